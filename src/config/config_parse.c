/*
 * config_parse.c — the configuration file format of docs/configuration.md:
 * INI-like `[section]` headers and `key = value` lines, parsed over the
 * configuration already in cfg (normally the defaults), and the canonical
 * text (fg_config_serialize) that parses back to the same configuration and
 * is what the store keeps and fg_config_hash hashes.
 *
 * Every error reads `name:line: key: 什么错误 (value)`; parsing stops at the
 * first error and leaves cfg untouched (work is done on a copy).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsout.h"
#include "config/config_impl.h"

#define FG_CFG_LINE_MAX 4096          /* bytes of one line */
#define FG_CFG_FILE_MAX FG_TEXT_FILE_BYTES_MAX /* bytes of one configuration file */
#define FG_CFG_RATIO_PCT_MAX 100000   /* base_spike_ratio <= 1000.00 */
#define FG_CFG_RATIO_MIN_PCT 100      /* base_spike_ratio >= 1.00 */
#define FG_CFG_MONEY_FEN_MAX 99999999999999LL /* 13 integer digits of yuan */
#define FG_CFG_AGE_MIN_MONTHS (16 * 12)
#define FG_CFG_AGE_MONTHS_MAX (80 * 12)
#define FG_CFG_YEAR_MIN 1900
#define FG_CFG_YEAR_MAX 2099

enum { SEC_NONE, SEC_THRESHOLDS, SEC_HOURS, SEC_RETIREMENT, SEC_ROLES, SEC_IDENTITY,
       SEC_CALENDAR, SEC_CASES, SEC_REWARDS, SEC_COUNT };
static const char *const fg_section_names[SEC_COUNT] = {
    "", "thresholds", "hours", "retirement_age", "roles", "identity", "calendar", "cases", "rewards"};

/* Whole-number keys: their field, section and allowed range. */
typedef struct {
  int section;
  const char *key;
  size_t offset; /* of an int32_t in fg_config */
  int32_t min, max;
} fg_int_key;

static const fg_int_key fg_int_keys[] = {
    {SEC_THRESHOLDS, "backpay_min_periods", offsetof(fg_config, backpay_min_periods), 1, 600},
    {SEC_THRESHOLDS, "survival_cert_max_gap_months",
     offsetof(fg_config, survival_cert_max_gap_months), 1, 600},
    {SEC_THRESHOLDS, "shared_account_min_persons",
     offsetof(fg_config, shared_account_min_persons), 2, 100000},
    {SEC_THRESHOLDS, "high_frequency_max_visits", offsetof(fg_config, high_frequency_max_visits),
     1, 100000},
    {SEC_THRESHOLDS, "split_admission_max_days", offsetof(fg_config, split_admission_max_days), 0,
     3650},
    {SEC_THRESHOLDS, "tenure_max_years", offsetof(fg_config, tenure_max_years), 1, 60},
    {SEC_THRESHOLDS, "special_work_min_years", offsetof(fg_config, special_work_min_years), 1, 60},
    {SEC_IDENTITY, "password_max_age_days", offsetof(fg_config, password_max_age_days), 1, 3650},
    {SEC_IDENTITY, "lockout_failures", offsetof(fg_config, lockout_failures), 1, 1000},
    {SEC_IDENTITY, "session_idle_minutes", offsetof(fg_config, session_idle_minutes), 1, 1440},
    {SEC_CASES, "verify_working_days", offsetof(fg_config, verify_working_days), 1, 250},
    {SEC_CASES, "repay_working_days", offsetof(fg_config, repay_working_days), 1, 250},
};
#define FG_N_INT_KEYS ((int)FG_ARRAY_LEN(fg_int_keys))
/* Other single keys, numbered after the int keys for duplicate detection. */
enum { K_RATIO = FG_N_INT_KEYS, K_LARGE, K_CASE_LARGE, K_RW_RATE, K_RW_FLOOR, K_RW_CAP, K_START, K_END, K_EXCLUSIVE, K_REPLACE, K_COVERS,
       K_MC_BASE, K_MC_FROM, K_MC_STEP, K_MC_MAX, K_COUNT };

/* A calendar line of this file, remembered for duplicates and coverage. */
typedef struct {
  fg_day day;
  int line;
} fg_cal_seen;

typedef struct {
  fg_config *cfg; /* the working copy */
  const char *name;
  int line;
  int section;
  int key_line[K_COUNT];               /* line where a key was set, 0 = not */
  bool age_seen[FG_CFG_AGE_ROWS_MAX];  /* age rows set by this file */
  fg_cal_seen *cal_seen;
  int32_t ncal_seen;
  bool replace;
  int covers_from, covers_to;
  fg_err *err;
} fg_parse_state;

static int fg_perr(fg_parse_state *st, const char *key, const char *what, const char *value) {
  return fg_errf(st->err, FG_EINPUT, "%s:%d: %s: %s (%s)", st->name, st->line, key, what, value);
}

static bool fg_all_digits(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/* Parse `digits[.d{1,2}]` into hundredths; false on bad syntax or overflow. */
static bool fg_parse_hundredths(const char *v, int64_t max, int64_t *out) {
  const char *dot = strchr(v, '.');
  size_t ilen = dot ? (size_t)(dot - v) : strlen(v);
  size_t flen = dot ? strlen(dot + 1) : 0;
  if (!fg_all_digits(v, ilen) || ilen > 15 || (dot && (flen < 1 || flen > 2)) ||
      (dot && !fg_all_digits(dot + 1, flen)))
    return false;
  int64_t x = 0;
  for (size_t i = 0; i < ilen; i++) x = x * 10 + (v[i] - '0');
  int64_t frac = 0;
  for (size_t i = 0; i < 2; i++) frac = frac * 10 + (i < flen ? dot[1 + i] - '0' : 0);
  x = x * 100 + frac;
  if (x > max) return false;
  *out = x;
  return true;
}

/* HH:MM:SS into seconds of the day. */
static bool fg_parse_clock(const char *v, int32_t *out_s) {
  if (strlen(v) != 8 || v[2] != ':' || v[5] != ':' || !fg_all_digits(v, 2) ||
      !fg_all_digits(v + 3, 2) || !fg_all_digits(v + 6, 2))
    return false;
  int h = (v[0] - '0') * 10 + v[1] - '0', m = (v[3] - '0') * 10 + v[4] - '0',
      s = (v[6] - '0') * 10 + v[7] - '0';
  if (h > 23 || m > 59 || s > 59) return false;
  *out_s = h * 3600 + m * 60 + s;
  return true;
}

/* Mark a single key as set on this line; a second setting is an error. */
static int fg_key_once(fg_parse_state *st, int k, const char *key, const char *value) {
  FG_ASSERT(k >= 0 && k < K_COUNT);
  if (st->key_line[k] != 0) {
    char what[96];
    snprintf(what, sizeof what, "重复设置，第 %d 行已设置", st->key_line[k]);
    return fg_perr(st, key, what, value);
  }
  st->key_line[k] = st->line;
  return 0;
}

static int fg_set_int_key(fg_parse_state *st, int k, const char *key, const char *value) {
  const fg_int_key *ik = &fg_int_keys[k];
  size_t n = strlen(value);
  if (!fg_all_digits(value, n) || n > 9)
    return fg_perr(st, key, "应为非负整数", value);
  long v = strtol(value, NULL, 10);
  if (v < ik->min || v > ik->max) {
    char what[96];
    snprintf(what, sizeof what, "取值超出范围 %d..%d", ik->min, ik->max);
    return fg_perr(st, key, what, value);
  }
  int rc = fg_key_once(st, k, key, value);
  if (rc) return rc;
  *(int32_t *)((char *)st->cfg + ik->offset) = (int32_t)v;
  return 0;
}

static int fg_parse_thresholds(fg_parse_state *st, const char *key, const char *value) {
  int64_t x;
  if (strcmp(key, "base_spike_ratio") == 0) {
    if (!fg_parse_hundredths(value, FG_CFG_RATIO_PCT_MAX, &x) || x < FG_CFG_RATIO_MIN_PCT)
      return fg_perr(st, key, "应为 1.00 至 1000.00 之间的倍数，最多两位小数", value);
    int rc = fg_key_once(st, K_RATIO, key, value);
    if (rc) return rc;
    st->cfg->base_spike_ratio_pct = (int32_t)x;
    return 0;
  }
  if (strcmp(key, "large_payment") == 0) {
    if (!fg_parse_hundredths(value, FG_CFG_MONEY_FEN_MAX, &x) || x <= 0)
      return fg_perr(st, key, "应为正的金额（元），最多两位小数", value);
    int rc = fg_key_once(st, K_LARGE, key, value);
    if (rc) return rc;
    st->cfg->large_payment_fen = x;
    return 0;
  }
  return 1; /* not one of these: try the whole-number keys */
}

/* [rewards] rate (percent, two decimals), floor and cap (yuan). */
static int fg_parse_rewards(fg_parse_state *st, const char *key, const char *value) {
  int64_t x = 0;
  const bool rate = strcmp(key, "rate") == 0;
  const int k = rate ? K_RW_RATE : strcmp(key, "floor") == 0 ? K_RW_FLOOR
                                 : strcmp(key, "cap") == 0   ? K_RW_CAP
                                                             : -1;
  if (k < 0) return fg_perr(st, key, "未知的配置项", value);
  if (!fg_parse_hundredths(value, rate ? 10000 : FG_CFG_MONEY_FEN_MAX, &x) || (!rate && x <= 0))
    return fg_perr(st, key, rate ? "应为 0 至 100 的百分数，最多两位小数" : "应为正的金额（元），最多两位小数",
                   value);
  int rc = fg_key_once(st, k, key, value);
  if (rc) return rc;
  if (rate) st->cfg->reward_rate_bp = (int32_t)x;
  else if (k == K_RW_FLOOR) st->cfg->reward_floor_fen = x;
  else st->cfg->reward_cap_fen = x;
  return 0;
}

/* [cases] large_amount (cases.md: 金额较大, yuan); 1 for the other keys. */
static int fg_parse_cases(fg_parse_state *st, const char *key, const char *value) {
  if (strcmp(key, "large_amount") != 0) return 1;
  int64_t x = 0;
  if (!fg_parse_hundredths(value, FG_CFG_MONEY_FEN_MAX, &x) || x <= 0)
    return fg_perr(st, key, "应为正的金额（元），最多两位小数", value);
  int rc = fg_key_once(st, K_CASE_LARGE, key, value);
  if (rc) return rc;
  st->cfg->case_large_amount_fen = x;
  return 0;
}

static int fg_parse_hours(fg_parse_state *st, const char *key, const char *value) {
  bool start = strcmp(key, "work_start") == 0;
  if (!start && strcmp(key, "work_end") != 0) return fg_perr(st, key, "未知的配置项", value);
  int32_t secs;
  if (!fg_parse_clock(value, &secs)) return fg_perr(st, key, "应为时间 HH:MM:SS", value);
  int rc = fg_key_once(st, start ? K_START : K_END, key, value);
  if (rc) return rc;
  if (start) st->cfg->work_start_s = secs;
  else st->cfg->work_end_s = secs;
  return 0;
}

/* `60y`, `50y4m`, `4m`: an age in months. */
static bool fg_parse_age(const char *v, int32_t *out_months) {
  int32_t years = 0, months = 0;
  const char *p = v;
  bool any = false;
  size_t n = strspn(p, "0123456789");
  if (n > 0 && n <= 3 && p[n] == 'y') {
    years = (int32_t)strtol(p, NULL, 10);
    p += n + 1;
    any = true;
    n = strspn(p, "0123456789");
  }
  if (n > 0 && n <= 4 && p[n] == 'm') {
    months = (int32_t)strtol(p, NULL, 10);
    if (any && months > 11) return false;
    p += n + 1;
    any = true;
  }
  if (!any || *p != '\0') return false;
  *out_months = years * 12 + months;
  return true;
}

/* The birth-month range after a key's second dot: `YYYY-MM` or
 * `YYYY-MM..YYYY-MM`; none (r == NULL) is every birth month. */
static bool fg_parse_born_range(const char *r, fg_month *from, fg_month *to) {
  *from = fg_cfg_born_all_from();
  *to = fg_cfg_born_all_to();
  if (r == NULL) return true;
  if (strlen(r) == 7) return fg_parse_month(r, 7, from) && fg_parse_month(r, 7, to);
  return strlen(r) == 16 && strncmp(r + 7, "..", 2) == 0 && fg_parse_month(r, 7, from) &&
         fg_parse_month(r + 9, 7, to) && *from <= *to;
}

/* `male|female.enroll_limit|special_work[.range]`, `statutory.60|55|50[.range]`,
 * and the v1.2 spelling `male|female.normal[.range]`, read as statutory.60 /
 * statutory.50 (the original ages the law keeps for men and women workers). */
static bool fg_parse_age_key(const char *key, int *who, int *cat, fg_month *from, fg_month *to) {
  const char *dot = strchr(key, '.');
  if (!dot) return false;
  const size_t wl = (size_t)(dot - key);
  const char *c = dot + 1;
  const char *dot2 = strchr(c, '.');
  const size_t cl = dot2 ? (size_t)(dot2 - c) : strlen(c);
  if (!fg_parse_born_range(dot2 ? dot2 + 1 : NULL, from, to)) return false;
  if (wl == 9 && strncmp(key, "statutory", 9) == 0) {
    *cat = FG_AGE_STATUTORY;
    *who = cl == 2 && strncmp(c, "60", 2) == 0   ? 60
           : cl == 2 && strncmp(c, "55", 2) == 0 ? 55
           : cl == 2 && strncmp(c, "50", 2) == 0 ? 50
                                                 : -1;
    return *who > 0;
  }
  int sex;
  if (wl == 4 && strncmp(key, "male", 4) == 0) sex = FG_CFG_SEX_MALE;
  else if (wl == 6 && strncmp(key, "female", 6) == 0) sex = FG_CFG_SEX_FEMALE;
  else return false;
  if (cl == 6 && strncmp(c, "normal", 6) == 0) {
    *cat = FG_AGE_STATUTORY;
    *who = sex == FG_CFG_SEX_MALE ? 60 : 50;
    return true;
  }
  *who = sex;
  *cat = -1;
  for (int i = 0; i < FG_AGE_CATEGORIES; i++)
    if (i != FG_AGE_STATUTORY && strlen(fg_cfg_category_names[i]) == cl &&
        strncmp(c, fg_cfg_category_names[i], cl) == 0)
      *cat = i;
  return *cat >= 0;
}

/* The minimum contribution months (rules.md v1.3): four whole numbers.
 * Returns 0, an error, or 1 when key is none of them. */
static int fg_parse_min_contribution(fg_parse_state *st, const char *key, const char *value) {
  fg_min_contribution *mc = &st->cfg->min_contribution;
  static const struct {
    const char *key;
    size_t off;
    int32_t lo, hi;
    int k;
  } keys[] = {
      {"min_contribution_months", offsetof(fg_min_contribution, base_months), 0, 1200, K_MC_BASE},
      {"min_contribution_rise_from", offsetof(fg_min_contribution, rise_from_year), 1900, 2099, K_MC_FROM},
      {"min_contribution_rise_per_year", offsetof(fg_min_contribution, step_months), 0, 120, K_MC_STEP},
      {"min_contribution_months_max", offsetof(fg_min_contribution, max_months), 0, 1200, K_MC_MAX},
  };
  for (size_t i = 0; i < FG_ARRAY_LEN(keys); i++) {
    if (strcmp(key, keys[i].key) != 0) continue;
    char *end = NULL;
    const long v = fg_all_digits(value, strlen(value)) && strlen(value) <= 9 ? strtol(value, &end, 10) : -1;
    if (v < keys[i].lo || v > keys[i].hi) {
      char what[64];
      snprintf(what, sizeof what, "取值超出范围 %d..%d", (int)keys[i].lo, (int)keys[i].hi);
      return fg_perr(st, key, what, value);
    }
    const int rc = fg_key_once(st, keys[i].k, key, value);
    if (rc) return rc;
    *(int32_t *)((char *)mc + keys[i].off) = (int32_t)v;
    return 0;
  }
  return 1; /* not one of these keys */
}

static int fg_parse_retirement(fg_parse_state *st, const char *key, const char *value) {
  int who, cat;
  fg_month from, to;
  int32_t months;
  if (strncmp(key, "min_contribution", 16) == 0) {
    int rc = fg_parse_min_contribution(st, key, value);
    if (rc <= 0) return rc;
  }
  if (!fg_parse_age_key(key, &who, &cat, &from, &to))
    return fg_perr(st, key,
                   "未知的配置项：应为 statutory.60|55|50[.YYYY-MM..YYYY-MM]、"
                   "male|female.enroll_limit|special_work[.YYYY-MM..YYYY-MM] 或 min_contribution_*",
                   value);
  if (!fg_parse_age(value, &months) || months < FG_CFG_AGE_MIN_MONTHS ||
      months > FG_CFG_AGE_MONTHS_MAX)
    return fg_perr(st, key, "应为 16y 至 80y 之间的年龄，如 60y 或 50y4m", value);
  int32_t at = fg_cfg_age_set(st->cfg, who, cat, from, to, months);
  if (at < 0) return fg_perr(st, key, "退休年龄规则过多", value);
  if (st->age_seen[at]) return fg_perr(st, key, "重复设置", value);
  st->age_seen[at] = true;
  return 0;
}

/* One role name of a pair: trimmed, lower-cased into out. */
static bool fg_parse_role(const char *s, size_t n, char out[FG_CFG_ROLE_MAX]) {
  while (n > 0 && (*s == ' ' || *s == '\t')) s++, n--;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n == 0 || n >= FG_CFG_ROLE_MAX || memchr(s, ';', n)) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  out[n] = '\0';
  return true;
}

static int fg_parse_roles(fg_parse_state *st, const char *key, const char *value) {
  if (strcmp(key, "exclusive") != 0) return fg_perr(st, key, "未知的配置项", value);
  int rc = fg_key_once(st, K_EXCLUSIVE, key, value);
  if (rc) return rc;
  fg_config *cfg = st->cfg;
  memset(cfg->role_pairs, 0, sizeof cfg->role_pairs);
  cfg->nrole_pairs = 0;
  for (const char *p = value; *p;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    const char *plus = memchr(p, '+', n);
    if (cfg->nrole_pairs == FG_CFG_ROLE_PAIRS_MAX)
      return fg_perr(st, key, "互斥角色组合过多", value);
    char(*pair)[FG_CFG_ROLE_MAX] = cfg->role_pairs[cfg->nrole_pairs];
    if (!plus || !fg_parse_role(p, (size_t)(plus - p), pair[0]) ||
        !fg_parse_role(plus + 1, n - (size_t)(plus - p) - 1, pair[1]))
      return fg_perr(st, key, "应为以逗号分隔的“角色+角色”组合", value);
    if (strcmp(pair[0], pair[1]) == 0) return fg_perr(st, key, "组合的两个角色相同", value);
    for (int32_t i = 0; i < cfg->nrole_pairs; i++) {
      bool same = (strcmp(cfg->role_pairs[i][0], pair[0]) == 0 &&
                   strcmp(cfg->role_pairs[i][1], pair[1]) == 0) ||
                  (strcmp(cfg->role_pairs[i][0], pair[1]) == 0 &&
                   strcmp(cfg->role_pairs[i][1], pair[0]) == 0);
      if (same) return fg_perr(st, key, "重复的角色组合", value);
    }
    cfg->nrole_pairs++;
    p = comma ? comma + 1 : p + n;
  }
  return 0;
}

static int fg_parse_calendar_day(fg_parse_state *st, const char *key, const char *value) {
  fg_day day;
  if (!fg_parse_day(key, (int)strlen(key), &day))
    return fg_perr(st, key, "未知的配置项：应为 replace、covers 或日期 YYYY-MM-DD", value);
  size_t kl = strcspn(value, " \t");
  bool work = kl == 4 && strncmp(value, "work", 4) == 0;
  if (!work && !(kl == 3 && strncmp(value, "off", 3) == 0))
    return fg_perr(st, key, "应为 off（节假日）或 work（调休上班），可跟名称", value);
  bool weekend = fg_weekday(day) >= 5;
  if (work && !weekend) return fg_perr(st, key, "work 只能用于周六或周日", value);
  if (!work && weekend) return fg_perr(st, key, "off 只能用于周一至周五", value);
  for (int32_t i = 0; i < st->ncal_seen; i++)
    if (st->cal_seen[i].day == day) {
      char what[96];
      snprintf(what, sizeof what, "重复设置，第 %d 行已设置", st->cal_seen[i].line);
      return fg_perr(st, key, what, value);
    }
  if (!fg_cfg_cal_set(st->cfg, day, work) || st->ncal_seen == FG_CFG_CAL_DAYS_MAX)
    return fg_perr(st, key, "日历条目过多", value);
  st->cal_seen[st->ncal_seen].day = day;
  st->cal_seen[st->ncal_seen].line = st->line;
  st->ncal_seen++;
  return 0;
}

static int fg_parse_calendar(fg_parse_state *st, const char *key, const char *value) {
  if (strcmp(key, "replace") == 0) {
    bool yes = strcmp(value, "true") == 0;
    if (!yes && strcmp(value, "false") != 0) return fg_perr(st, key, "应为 true 或 false", value);
    if (st->ncal_seen > 0) return fg_perr(st, key, "必须写在所有日期之前", value);
    int rc = fg_key_once(st, K_REPLACE, key, value);
    if (rc) return rc;
    st->replace = yes;
    if (yes) fg_cfg_cal_release(st->cfg);
    return 0;
  }
  if (strcmp(key, "covers") == 0) {
    int a = 0, b = -1;
    bool ok = strcmp(value, "none") == 0;
    if (!ok && strlen(value) == 10 && strncmp(value + 4, "..", 2) == 0 &&
        fg_all_digits(value, 4) && fg_all_digits(value + 6, 4)) {
      a = (int)strtol(value, NULL, 10); /* four digits each, checked above */
      b = (int)strtol(value + 6, NULL, 10);
      ok = a >= FG_CFG_YEAR_MIN && b <= FG_CFG_YEAR_MAX && a <= b;
    }
    if (!ok) return fg_perr(st, key, "应为年份范围 YYYY..YYYY 或 none", value);
    int rc = fg_key_once(st, K_COVERS, key, value);
    if (rc) return rc;
    st->covers_from = a;
    st->covers_to = b;
    return 0;
  }
  return fg_parse_calendar_day(st, key, value);
}

static int fg_parse_key(fg_parse_state *st, const char *key, const char *value) {
  if (st->section == SEC_NONE) return fg_perr(st, key, "配置项必须位于某个 [节] 之下", value);
  if (st->section == SEC_ROLES) return fg_parse_roles(st, key, value);
  if (value[0] == '\0') return fg_perr(st, key, "缺少取值", value);
  switch (st->section) {
  case SEC_HOURS: return fg_parse_hours(st, key, value);
  case SEC_RETIREMENT: return fg_parse_retirement(st, key, value);
  case SEC_CALENDAR: return fg_parse_calendar(st, key, value);
  case SEC_THRESHOLDS: {
    int rc = fg_parse_thresholds(st, key, value);
    if (rc <= 0) return rc;
    break;
  }
  case SEC_CASES: {
    int rc = fg_parse_cases(st, key, value);
    if (rc <= 0) return rc;
    break;
  }
  case SEC_REWARDS: return fg_parse_rewards(st, key, value);
  default: break;
  }
  for (int k = 0; k < FG_N_INT_KEYS; k++)
    if (fg_int_keys[k].section == st->section && strcmp(fg_int_keys[k].key, key) == 0)
      return fg_set_int_key(st, k, key, value);
  return fg_perr(st, key, "未知的配置项", value);
}

static char *fg_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* One line (NUL-terminated, modifiable). */
static int fg_parse_line(fg_parse_state *st, char *line) {
  char *s = fg_trim(line);
  if (*s == '\0' || *s == '#' || *s == ';') return 0;
  if (*s == '[') {
    size_t n = strlen(s);
    if (s[n - 1] != ']') return fg_perr(st, s, "节名缺少“]”", s);
    s[n - 1] = '\0';
    char *name = fg_trim(s + 1);
    for (int i = 1; i < SEC_COUNT; i++)
      if (strcmp(name, fg_section_names[i]) == 0) {
        st->section = i;
        return 0;
      }
    char shown[FG_CFG_LINE_MAX + 3];
    snprintf(shown, sizeof shown, "[%s]", name);
    return fg_perr(st, shown, "未知的节", name);
  }
  char *eq = strchr(s, '=');
  if (!eq) return fg_perr(st, s, "缺少“=”：应为 key = value", s);
  *eq = '\0';
  char *key = fg_trim(s);
  char *value = fg_trim(eq + 1);
  if (*key == '\0') return fg_perr(st, "(空)", "缺少配置项名称", value);
  return fg_parse_key(st, key, value);
}

/* Checks that need the whole file: hours order, minimum contribution
 * bounds, calendar coverage. */
static int fg_parse_finish(fg_parse_state *st) {
  fg_config *cfg = st->cfg;
  if (cfg->work_start_s >= cfg->work_end_s) {
    st->line = FG_MAX(st->key_line[K_START], st->key_line[K_END]);
    return fg_perr(st, st->key_line[K_END] ? "work_end" : "work_start",
                   "上班时间必须早于下班时间", "work_start >= work_end");
  }
  if (cfg->min_contribution.max_months < cfg->min_contribution.base_months) {
    st->line = FG_MAX(st->key_line[K_MC_BASE], st->key_line[K_MC_MAX]);
    return fg_perr(st, "min_contribution_months_max", "不得小于 min_contribution_months",
                   "min_contribution_months_max < min_contribution_months");
  }
  if (st->key_line[K_COVERS]) {
    for (int32_t i = 0; i < st->ncal_seen; i++) {
      int y, m, d;
      fg_ymd_from_day(st->cal_seen[i].day, &y, &m, &d);
      if (y < st->covers_from || y > st->covers_to) {
        char day[11];
        fg_format_day(st->cal_seen[i].day, day);
        st->line = st->cal_seen[i].line;
        return fg_perr(st, day, "日期不在 covers 声明的年份范围内", day);
      }
    }
    /* Entries outside the declared coverage mean nothing: drop them. */
    int32_t w = 0;
    for (int32_t i = 0; i < cfg->ncal; i++) {
      int y, m, d;
      fg_ymd_from_day(cfg->cal[i].day, &y, &m, &d);
      if (y >= st->covers_from && y <= st->covers_to) cfg->cal[w++] = cfg->cal[i];
    }
    memset(&cfg->cal[w], 0, (size_t)(cfg->ncal - w) * sizeof cfg->cal[0]);
    cfg->ncal = w;
    cfg->cal_year_min = st->covers_from;
    cfg->cal_year_max = st->covers_to;
    return 0;
  }
  if (st->replace) {
    cfg->cal_year_min = FG_CFG_NO_YEAR_MIN;
    cfg->cal_year_max = FG_CFG_NO_YEAR_MAX;
  }
  for (int32_t i = 0; i < st->ncal_seen; i++) {
    int y, m, d;
    fg_ymd_from_day(st->cal_seen[i].day, &y, &m, &d);
    if (cfg->cal_year_max < cfg->cal_year_min) cfg->cal_year_min = cfg->cal_year_max = y;
    cfg->cal_year_min = FG_MIN(cfg->cal_year_min, y);
    cfg->cal_year_max = FG_MAX(cfg->cal_year_max, y);
  }
  return 0;
}

static int fg_parse_lines(fg_parse_state *st, const char *text, size_t len) {
  char buf[FG_CFG_LINE_MAX + 1];
  size_t pos = 0;
  while (pos < len) {
    st->line++;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
    if (n > FG_CFG_LINE_MAX) return fg_perr(st, "(行)", "行过长", "超过 4096 字节");
    if (memchr(text + pos, '\0', n)) return fg_perr(st, "(行)", "含有 NUL 字节", "\\0");
    memcpy(buf, text + pos, n);
    buf[n] = '\0';
    int rc = fg_parse_line(st, buf);
    if (rc) return rc;
    pos += n + 1;
  }
  return 0;
}

int fg_config_parse(fg_config *cfg, const char *name, const char *text, size_t len,
                    fg_err *err) {
  FG_ASSERT(cfg != NULL && name != NULL && (text != NULL || len == 0));
  fg_parse_state st;
  memset(&st, 0, sizeof st);
  st.cfg = fg_xmalloc(sizeof *cfg);
  memcpy(st.cfg, cfg, sizeof *cfg);
  st.cal_seen = fg_xcalloc(FG_CFG_CAL_DAYS_MAX, sizeof *st.cal_seen);
  st.name = name;
  st.err = err;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3; /* BOM */
  int rc = fg_parse_lines(&st, text, len);
  if (rc == 0) rc = fg_parse_finish(&st);
  if (rc == 0) memcpy(cfg, st.cfg, sizeof *cfg);
  free(st.cal_seen);
  free(st.cfg);
  return rc;
}

int fg_config_load_file(fg_config *cfg, const char *path, fg_err *err) {
  char *text = NULL;
  size_t n = 0;
  int rc = fg_file_read(path, FG_CFG_FILE_MAX, &text, &n, err);
  if (rc == 0) rc = fg_config_parse(cfg, path, text, n, err);
  free(text);
  return rc;
}

static void fg_add_age(fg_buf *b, int32_t months) {
  if (months % 12 == 0) fg_buf_addf(b, "%dy\n", months / 12);
  else fg_buf_addf(b, "%dy%dm\n", months / 12, months % 12);
}

static void fg_serialize_ages(const fg_config *cfg, fg_buf *b) {
  fg_buf_adds(b, "\n[retirement_age]\n");
  for (int32_t i = 0; i < cfg->nage_rows; i++) {
    const fg_age_row *r = &cfg->age_rows[i];
    FG_ASSERT(r->category < FG_AGE_CATEGORIES);
    if (r->category == FG_AGE_STATUTORY)
      fg_buf_addf(b, "statutory.%d", (int)r->who);
    else
      fg_buf_addf(b, "%s.%s", r->who == FG_CFG_SEX_MALE ? "male" : "female",
                  fg_cfg_category_names[r->category]);
    if (r->born_from != fg_cfg_born_all_from() || r->born_to != fg_cfg_born_all_to()) {
      char from[8], to[8];
      fg_format_month(r->born_from, from);
      fg_format_month(r->born_to, to);
      fg_buf_addf(b, ".%s..%s", from, to);
    }
    fg_buf_adds(b, " = ");
    fg_add_age(b, r->age_months);
  }
  const fg_min_contribution *mc = &cfg->min_contribution;
  fg_buf_addf(b,
              "min_contribution_months = %d\nmin_contribution_rise_from = %d\n"
              "min_contribution_rise_per_year = %d\nmin_contribution_months_max = %d\n",
              (int)mc->base_months, (int)mc->rise_from_year, (int)mc->step_months,
              (int)mc->max_months);
}

static void fg_serialize_calendar(const fg_config *cfg, fg_buf *b) {
  fg_buf_adds(b, "\n[calendar]\nreplace = true\n");
  if (cfg->cal_year_min <= cfg->cal_year_max)
    fg_buf_addf(b, "covers = %04d..%04d\n", cfg->cal_year_min, cfg->cal_year_max);
  else
    fg_buf_adds(b, "covers = none\n");
  for (int32_t i = 0; i < cfg->ncal; i++) {
    char day[11];
    fg_format_day(cfg->cal[i].day, day);
    fg_buf_addf(b, "%s = %s\n", day, cfg->cal[i].work ? "work" : "off");
  }
}

static void fg_add_clock(fg_buf *b, const char *key, int32_t s) {
  fg_buf_addf(b, "%s = %02d:%02d:%02d\n", key, s / 3600, s / 60 % 60, s % 60);
}

char *fg_config_serialize(const fg_config *cfg) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "# fundguard configuration (canonical form; see docs/configuration.md)\n");
  fg_buf_adds(&b, "\n[thresholds]\n");
  fg_buf_addf(&b, "base_spike_ratio = %d.%02d\n", cfg->base_spike_ratio_pct / 100,
              cfg->base_spike_ratio_pct % 100);
  char yuan[32];
  fg_fen_to_yuan(cfg->large_payment_fen, yuan, sizeof yuan);
  fg_buf_addf(&b, "large_payment = %s\n", yuan);
  for (int k = 0; k < FG_N_INT_KEYS; k++)
    if (fg_int_keys[k].section == SEC_THRESHOLDS)
      fg_buf_addf(&b, "%s = %d\n", fg_int_keys[k].key,
                  *(const int32_t *)((const char *)cfg + fg_int_keys[k].offset));
  fg_buf_adds(&b, "\n[hours]\n");
  fg_add_clock(&b, "work_start", cfg->work_start_s);
  fg_add_clock(&b, "work_end", cfg->work_end_s);
  fg_serialize_ages(cfg, &b);
  fg_buf_adds(&b, "\n[roles]\nexclusive =");
  for (int32_t i = 0; i < cfg->nrole_pairs; i++)
    fg_buf_addf(&b, "%s %s+%s", i ? "," : "", cfg->role_pairs[i][0], cfg->role_pairs[i][1]);
  fg_buf_adds(&b, "\n\n[identity]\n");
  for (int k = 0; k < FG_N_INT_KEYS; k++)
    if (fg_int_keys[k].section == SEC_IDENTITY)
      fg_buf_addf(&b, "%s = %d\n", fg_int_keys[k].key,
                  *(const int32_t *)((const char *)cfg + fg_int_keys[k].offset));
  fg_buf_adds(&b, "\n[cases]\n");
  fg_fen_to_yuan(cfg->case_large_amount_fen, yuan, sizeof yuan);
  fg_buf_addf(&b, "large_amount = %s\n", yuan);
  for (int k = 0; k < FG_N_INT_KEYS; k++)
    if (fg_int_keys[k].section == SEC_CASES)
      fg_buf_addf(&b, "%s = %d\n", fg_int_keys[k].key,
                  *(const int32_t *)((const char *)cfg + fg_int_keys[k].offset));
  fg_buf_addf(&b, "\n[rewards]\nrate = %d.%02d\n", cfg->reward_rate_bp / 100, cfg->reward_rate_bp % 100);
  fg_fen_to_yuan(cfg->reward_floor_fen, yuan, sizeof yuan);
  fg_buf_addf(&b, "floor = %s\n", yuan);
  fg_fen_to_yuan(cfg->reward_cap_fen, yuan, sizeof yuan);
  fg_buf_addf(&b, "cap = %s\n", yuan);
  fg_serialize_calendar(cfg, &b);
  return fg_buf_detach(&b);
}
