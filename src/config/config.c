/*
 * config.c — the screening configuration's defaults (the (cfg) values of
 * rules.md and the bundled working-day calendar) and the lookups the rules
 * and the trust core call: retirement age by (sex, category, birth month),
 * working day, calendar coverage, exclusive role pairs, and the hash of the
 * canonical text. The file format itself (parse and canonical text) lives
 * in config_parse.c.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_impl.h"

/* Limits of fg_config_roles_conflict's scan of one staff member's roles. */
#define FG_CFG_ROLES_TOKENS_MAX 64

const char *const fg_cfg_category_names[FG_AGE_CATEGORIES] = {"enroll_limit", "statutory",
                                                              "special_work"};

/* The catalogue's defaults (rules.md), ages in months: the base rows (every
 * birth month). */
static const struct {
  uint8_t who, category;
  int32_t age_months;
} fg_default_ages[] = {
    {FG_CFG_SEX_MALE, FG_AGE_ENROLL_LIMIT, 60 * 12}, {FG_CFG_SEX_FEMALE, FG_AGE_ENROLL_LIMIT, 55 * 12},
    {60, FG_AGE_STATUTORY, 60 * 12},                 {55, FG_AGE_STATUTORY, 55 * 12},
    {50, FG_AGE_STATUTORY, 50 * 12},
    {FG_CFG_SEX_MALE, FG_AGE_SPECIAL_WORK, 55 * 12}, {FG_CFG_SEX_FEMALE, FG_AGE_SPECIAL_WORK, 45 * 12},
};

/* The 2025 law's three schedules (全国人大常委会《关于实施渐进式延迟法定退休
 * 年龄的决定》, 2024-09-13, rules.md v1.3): for original age O, a birth month k
 * months after `first` (k >= 0) retires floor(k / step) + 1 months later, at
 * most `cap` months. They are expanded into rows of the age table (one per
 * delay month, the last open to the end of time), so the table, not this
 * code, is what a screening reads and what a reviewed change replaces. */
static const struct {
  uint8_t original_years;
  int first_year, step_months, cap_months;
} fg_law_2025[] = {
    {60, 1965, 4, 36}, /* men */
    {55, 1970, 4, 36}, /* women cadres */
    {50, 1975, 2, 60}, /* women workers */
};

static const char *const fg_default_role_pairs[][2] = {
    {"handler", "reviewer"}, {"accountant", "cashier"},
    {"sysadmin", "dbadmin"}, {"handler", "supervisor"},
};

fg_month fg_cfg_born_all_from(void) { return fg_month_from_ym(FG_CFG_BORN_MIN_YEAR, 1); }
fg_month fg_cfg_born_all_to(void) { return fg_month_from_ym(FG_CFG_BORN_YEAR_MAX, 12); }

/* Index of the first calendar entry with day >= d. */
static int32_t fg_cal_lower_bound(const fg_config *cfg, fg_day d) {
  int32_t lo = 0, hi = cfg->ncal;
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (cfg->cal[mid].day < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

bool fg_cfg_cal_set(fg_config *cfg, fg_day day, bool work) {
  FG_ASSERT(cfg->ncal >= 0 && cfg->ncal <= FG_CFG_CAL_DAYS_MAX);
  int32_t i = fg_cal_lower_bound(cfg, day);
  if (i < cfg->ncal && cfg->cal[i].day == day) {
    cfg->cal[i].work = work;
    return true;
  }
  if (cfg->ncal == FG_CFG_CAL_DAYS_MAX) return false;
  memmove(&cfg->cal[i + 1], &cfg->cal[i], (size_t)(cfg->ncal - i) * sizeof cfg->cal[0]);
  memset(&cfg->cal[i], 0, sizeof cfg->cal[i]);
  cfg->cal[i].day = day;
  cfg->cal[i].work = work;
  cfg->ncal++;
  return true;
}

void fg_cfg_cal_release(fg_config *cfg) {
  memset(cfg->cal, 0, sizeof cfg->cal);
  cfg->ncal = 0;
}

int32_t fg_cfg_age_set(fg_config *cfg, int who, int category, fg_month from, fg_month to,
                       int32_t age_months) {
  FG_ASSERT(category == FG_AGE_STATUTORY ? (who == 60 || who == 55 || who == 50)
                                         : (who == FG_CFG_SEX_MALE || who == FG_CFG_SEX_FEMALE));
  FG_ASSERT(category >= 0 && category < FG_AGE_CATEGORIES && from <= to && age_months > 0);
  for (int32_t i = 0; i < cfg->nage_rows; i++) {
    fg_age_row *r = &cfg->age_rows[i];
    if (r->who == who && r->category == category && r->born_from == from && r->born_to == to) {
      r->age_months = age_months;
      return i;
    }
  }
  if (cfg->nage_rows == FG_CFG_AGE_ROWS_MAX) return -1;
  fg_age_row *r = &cfg->age_rows[cfg->nage_rows++];
  memset(r, 0, sizeof *r);
  r->who = (uint8_t)who;
  r->category = (uint8_t)category;
  r->born_from = from;
  r->born_to = to;
  r->age_months = age_months;
  return cfg->nage_rows - 1;
}

/* Load the compiled-in calendar CSV (`date,kind,name`, header first). The
 * data is part of the build, so a malformed row is a build defect (assert). */
static void fg_load_bundled_calendar(fg_config *cfg) {
  const char *p = fg_bundled_calendar_csv;
  const char *nl = strchr(p, '\n');
  FG_ASSERT(nl != NULL && "bundled calendar has a header");
  p = nl + 1;
  int ymin = 0, ymax = -1;
  while (*p) {
    nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len > 0 && p[len - 1] == '\r') len--;
    if (len > 0) {
      fg_day day;
      bool ok = len > 11 && p[10] == ',' && fg_parse_day(p, 10, &day);
      FG_ASSERT(ok && "bundled calendar row has a valid date");
      bool work = strncmp(p + 11, "work,", 5) == 0;
      FG_ASSERT(work || strncmp(p + 11, "off,", 4) == 0);
      ok = fg_cfg_cal_set(cfg, day, work);
      FG_ASSERT(ok && "bundled calendar fits FG_CFG_CAL_DAYS_MAX");
      (void)ok;
      int y, m, d;
      fg_ymd_from_day(day, &y, &m, &d);
      if (ymax < ymin) ymin = ymax = y;
      ymin = FG_MIN(ymin, y);
      ymax = FG_MAX(ymax, y);
    }
    p = nl ? nl + 1 : p + len;
  }
  cfg->cal_year_min = ymin;
  cfg->cal_year_max = ymax;
}

/* The rows of fg_law_2025: delay d = 1 .. cap-1 for the birth months
 * [first + (d-1) step, first + d step - 1], the cap from there on. */
static void fg_cfg_law_2025(fg_config *cfg) {
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_law_2025); i++) {
    const int o = fg_law_2025[i].original_years, step = fg_law_2025[i].step_months;
    const int cap = fg_law_2025[i].cap_months;
    const fg_month first = fg_month_from_ym(fg_law_2025[i].first_year, 1);
    for (int d = 1; d <= cap; d++) {
      const fg_month from = first + (d - 1) * step;
      const fg_month to = d < cap ? from + step - 1 : fg_cfg_born_all_to();
      int32_t at = fg_cfg_age_set(cfg, o, FG_AGE_STATUTORY, from, to, o * 12 + d);
      FG_ASSERT(at >= 0 && "the law's rows fit FG_CFG_AGE_ROWS_MAX");
      (void)at;
    }
  }
}

void fg_config_defaults(fg_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->base_spike_ratio_pct = 200;
  cfg->backpay_min_periods = 12;
  cfg->survival_cert_max_gap_months = 12;
  cfg->shared_account_min_persons = 3;
  cfg->large_payment_fen = 5000000;
  cfg->high_frequency_max_visits = 20;
  cfg->split_admission_max_days = 15;
  cfg->tenure_max_years = 5;
  cfg->special_work_min_years = 8;
  cfg->work_start_s = 8 * 3600;
  cfg->work_end_s = 19 * 3600;
  cfg->verify_working_days = 20;        /* cases.md: a local choice */
  cfg->repay_working_days = 15;
  cfg->case_large_amount_fen = 1000000; /* 10,000 yuan */
  cfg->reward_rate_bp = 500;            /* a local choice (decision 58) */
  cfg->reward_floor_fen = 20000;
  cfg->reward_cap_fen = 10000000;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_default_ages); i++) {
    int32_t at = fg_cfg_age_set(cfg, fg_default_ages[i].who, fg_default_ages[i].category,
                                fg_cfg_born_all_from(), fg_cfg_born_all_to(),
                                fg_default_ages[i].age_months);
    FG_ASSERT(at == (int32_t)i);
    (void)at;
  }
  fg_cfg_law_2025(cfg);
  cfg->min_contribution = (fg_min_contribution){180, 2030, 6, 240};
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_default_role_pairs); i++) {
    snprintf(cfg->role_pairs[i][0], sizeof cfg->role_pairs[i][0], "%s", fg_default_role_pairs[i][0]);
    snprintf(cfg->role_pairs[i][1], sizeof cfg->role_pairs[i][1], "%s", fg_default_role_pairs[i][1]);
  }
  cfg->nrole_pairs = (int32_t)FG_ARRAY_LEN(fg_default_role_pairs);
  cfg->password_max_age_days = 90;
  cfg->lockout_failures = 5;
  cfg->session_idle_minutes = 30; /* web.md */
  fg_load_bundled_calendar(cfg);
}

int32_t fg_config_age_months(const fg_config *cfg, int who, int category, fg_month born) {
  FG_ASSERT(category >= 0 && category < FG_AGE_CATEGORIES);
  /* Later rows win: scan from the end. */
  for (int32_t i = cfg->nage_rows - 1; i >= 0; i--) {
    const fg_age_row *r = &cfg->age_rows[i];
    if (r->who == who && r->category == category && born >= r->born_from && born <= r->born_to)
      return r->age_months;
  }
  return -1;
}

int32_t fg_config_min_contribution_months(const fg_config *cfg, int y) {
  const fg_min_contribution *mc = &cfg->min_contribution;
  FG_ASSERT(mc->base_months >= 0 && mc->step_months >= 0 && mc->max_months >= mc->base_months);
  if (y < mc->rise_from_year) return mc->base_months;
  const int64_t m = (int64_t)mc->base_months + (int64_t)(y - mc->rise_from_year + 1) * mc->step_months;
  return (int32_t)FG_MIN(m, (int64_t)mc->max_months);
}

bool fg_config_covers_year(const fg_config *cfg, int y) {
  return y >= cfg->cal_year_min && y <= cfg->cal_year_max;
}

bool fg_config_is_workday(const fg_config *cfg, fg_day day) {
  FG_ASSERT(day != FG_NODAY);
  bool weekday = fg_weekday(day) < 5;
  int y, m, d;
  fg_ymd_from_day(day, &y, &m, &d);
  if (!fg_config_covers_year(cfg, y)) return weekday;
  int32_t i = fg_cal_lower_bound(cfg, day);
  if (i < cfg->ncal && cfg->cal[i].day == day) return cfg->cal[i].work;
  return weekday;
}

fg_day fg_config_add_working_days(const fg_config *cfg, fg_day d, int n) {
  FG_ASSERT(cfg != NULL && d != FG_NODAY && n >= 0 && n <= 10000);
  fg_day x = d; /* 期间开始之日不计入: the start day never counts */
  for (int k = 0; k < n;)
    if (fg_config_is_workday(cfg, ++x)) k++;
  return x;
}

/* Split roles (`;`-separated) into trimmed, lower-cased tokens in buf;
 * tokens too long to be a configured role are dropped (they match none). */
static int fg_role_tokens(const char *roles, char buf[][FG_CFG_ROLE_MAX], int max_tokens) {
  int n = 0;
  const char *p = roles;
  while (*p && n < max_tokens) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    const char *s = p;
    while (len > 0 && *s == ' ') s++, len--;
    while (len > 0 && s[len - 1] == ' ') len--;
    if (len > 0 && len < FG_CFG_ROLE_MAX) {
      for (size_t i = 0; i < len; i++) buf[n][i] = (char)tolower((unsigned char)s[i]);
      buf[n][len] = '\0';
      n++;
    }
    p = end ? end + 1 : p + strlen(p);
  }
  return n;
}

static bool fg_role_held(char tokens[][FG_CFG_ROLE_MAX], int n, const char *role) {
  for (int i = 0; i < n; i++)
    if (strcmp(tokens[i], role) == 0) return true;
  return false;
}

bool fg_config_roles_conflict(const fg_config *cfg, const char *roles, const char **a,
                              const char **b) {
  FG_ASSERT(cfg != NULL);
  if (roles == NULL) return false;
  char tokens[FG_CFG_ROLES_TOKENS_MAX][FG_CFG_ROLE_MAX];
  int n = fg_role_tokens(roles, tokens, FG_CFG_ROLES_TOKENS_MAX);
  for (int32_t i = 0; i < cfg->nrole_pairs; i++) {
    if (fg_role_held(tokens, n, cfg->role_pairs[i][0]) &&
        fg_role_held(tokens, n, cfg->role_pairs[i][1])) {
      if (a) *a = cfg->role_pairs[i][0];
      if (b) *b = cfg->role_pairs[i][1];
      return true;
    }
  }
  return false;
}

void fg_config_hash(const fg_config *cfg, char out[65]) {
  char *text = fg_config_serialize(cfg);
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
  fg_hex(digest, sizeof digest, out);
  free(text);
}
