/*
 * test_config.c — the screening configuration (config/config.h): the
 * catalogue's defaults, every key of the file format, error messages that
 * name file, line and key, the canonical text's round trip and hash, the
 * working-day calendar, exclusive role pairs, and the config_versions store
 * table (store.h "configuration").
 */
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "store/store.h"

static fg_day D(const char *s) {
  fg_day d;
  assert_true(fg_parse_day(s, 10, &d));
  return d;
}

static fg_month M(const char *s) {
  fg_month m;
  assert_true(fg_parse_month(s, 7, &m));
  return m;
}

/* Parse text over the defaults; returns the FG_* code, cfg and err filled. */
static int parse(fg_config *cfg, const char *text, fg_err *err) {
  fg_config_defaults(cfg);
  fg_err_release(err);
  return fg_config_parse(cfg, "t.conf", text, strlen(text), err);
}

static void test_defaults(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  assert_int_equal(c->base_spike_ratio_pct, 200);
  assert_int_equal(c->backpay_min_periods, 12);
  assert_int_equal(c->survival_cert_max_gap_months, 12);
  assert_int_equal(c->shared_account_min_persons, 3);
  assert_int_equal(c->large_payment_fen, 5000000);
  assert_int_equal(c->high_frequency_max_visits, 20);
  assert_int_equal(c->split_admission_max_days, 15);
  assert_int_equal(c->tenure_max_years, 5);
  assert_int_equal(c->special_work_min_years, 8);
  assert_int_equal(c->work_start_s, 8 * 3600);
  assert_int_equal(c->work_end_s, 19 * 3600);
  assert_int_equal(c->password_max_age_days, 90);
  assert_int_equal(c->lockout_failures, 5);
  assert_int_equal(c->nrole_pairs, 4);
  assert_string_equal(c->role_pairs[0][0], "handler");
  assert_string_equal(c->role_pairs[0][1], "reviewer");
  assert_string_equal(c->role_pairs[3][1], "supervisor");
  const fg_month born[] = {M("1900-01"), M("1965-07"), M("2099-12")};
  for (size_t i = 0; i < FG_ARRAY_LEN(born); i++) {
    assert_int_equal(fg_config_age_months(c, 1, FG_AGE_ENROLL_LIMIT, born[i]), 720);
    assert_int_equal(fg_config_age_months(c, 2, FG_AGE_ENROLL_LIMIT, born[i]), 660);
    assert_int_equal(fg_config_age_months(c, 1, FG_AGE_SPECIAL_WORK, born[i]), 660);
    assert_int_equal(fg_config_age_months(c, 2, FG_AGE_SPECIAL_WORK, born[i]), 540);
  }
  assert_int_equal(fg_config_age_months(c, 0, FG_AGE_STATUTORY, M("1960-01")), -1);
  /* the statutory base rows, and the law's rows (test_law_2025 has the edges) */
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1900-01")), 720);
  assert_int_equal(fg_config_age_months(c, 55, FG_AGE_STATUTORY, M("1900-01")), 660);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1900-01")), 600);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1965-07")), 722);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("2099-12")), 756);
  assert_int_equal(fg_config_age_months(c, 55, FG_AGE_STATUTORY, M("2099-12")), 696);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("2099-12")), 660);
  assert_int_equal(c->nage_rows, 7 + 36 + 36 + 60);
  assert_int_equal(fg_config_min_contribution_months(c, 2025), 180);
  assert_int_equal(c->cal_year_min, 2020);
  assert_int_equal(c->cal_year_max, 2026);
  assert_int_equal(c->ncal, 175); /* rows of data/cn-workday-calendar.csv */
  free(c);
}

/* cases.md: the n-th working day after d, d never counted; the 2026 Spring
 * Festival (16-23 Feb off, 14 and 28 Feb make-up working Saturdays) and the
 * National Day week (1-7 Oct off, 10 Oct make-up). */
/* rules.md v1.3: the law's three schedules as rows of the age table, at
 * every edge: the month before each schedule's first birth month, the
 * first month, both edges of every step, the last step, the cap and beyond,
 * with the examples of rules.md; the minimum contribution months by year. */
static void test_law_2025(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  static const struct {
    int o, first_year, step, cap;
  } law[] = {{60, 1965, 4, 36}, {55, 1970, 4, 36}, {50, 1975, 2, 60}};
  for (size_t i = 0; i < FG_ARRAY_LEN(law); i++) {
    const int o = law[i].o;
    const fg_month first = fg_month_from_ym(law[i].first_year, 1);
    assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, first - 1), o * 12);
    assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, first), o * 12 + 1);
    for (int d = 1; d <= law[i].cap; d++) {
      const fg_month lo = first + (d - 1) * law[i].step, hi = lo + law[i].step - 1;
      assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, lo), o * 12 + d);
      if (d < law[i].cap) assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, hi), o * 12 + d);
    }
    const fg_month cap_from = first + (law[i].cap - 1) * law[i].step;
    assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, cap_from - 1), o * 12 + law[i].cap - 1);
    assert_int_equal(fg_config_age_months(c, o, FG_AGE_STATUTORY, cap_from + 100), o * 12 + law[i].cap);
  }
  /* rules.md's examples */
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1965-04")), 721);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1965-05")), 722);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1976-08")), 755);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1976-09")), 756);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1975-02")), 601);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1975-03")), 602);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1984-10")), 659);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1984-11")), 660);
  assert_int_equal(fg_config_age_months(c, 55, FG_AGE_STATUTORY, M("1981-09")), 696);
  /* the statutory date: born 1965-01-31, 60y1m, 2025-02-28 (the law's table) */
  assert_int_equal(fg_birthday_plus(D("1965-01-31"), 60, 1), D("2025-02-28"));
  assert_int_equal(fg_birthday_plus(D("1972-02-29"), 55, 7), D("2027-10-01"));
  assert_int_equal(fg_birthday_plus(D("1981-01-31"), 50, -35), D("2028-02-29"));
  static const int want[] = {180, 186, 192, 198, 204, 210, 216, 222, 228, 234, 240, 240};
  assert_int_equal(fg_config_min_contribution_months(c, 2000), 180);
  for (int y = 2029; y <= 2040; y++)
    assert_int_equal(fg_config_min_contribution_months(c, y), want[y - 2029]);
  /* a reviewed change of law is a configuration change */
  fg_err err;
  const char *text = "[retirement_age]\nstatutory.60.1965-01..1965-04 = 61y\n"
                     "min_contribution_months_max = 300\nmin_contribution_rise_per_year = 12\n";
  assert_int_equal(fg_config_parse(c, "law.conf", text, strlen(text), &err), 0);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1965-03")), 732);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1965-05")), 722);
  assert_int_equal(fg_config_min_contribution_months(c, 2031), 204);
  assert_int_equal(fg_config_min_contribution_months(c, 2040), 300);
  free(c);
}

static void test_add_working_days(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  char out[11];
  struct { const char *from; int n; const char *want; } v[] = {
      {"2026-02-12", 0, "2026-02-12"}, {"2026-02-12", 1, "2026-02-13"},
      {"2026-02-12", 2, "2026-02-14"}, {"2026-02-12", 3, "2026-02-24"},
      {"2026-02-13", 10, "2026-03-05"}, {"2026-02-15", 1, "2026-02-24"},
      {"2026-02-27", 1, "2026-02-28"}, {"2026-09-30", 1, "2026-10-08"},
      {"2026-09-30", 3, "2026-10-10"}, {"2026-09-24", 5, "2026-10-09"},
      {"2026-10-03", 5, "2026-10-13"}, {"2030-01-04", 1, "2030-01-07"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    fg_format_day(fg_config_add_working_days(c, D(v[i].from), v[i].n), out);
    assert_string_equal(out, v[i].want);
  }
  free(c);
}

static void test_calendar(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  assert_true(fg_config_is_workday(c, D("2024-02-04")));  /* Sunday, make-up day */
  assert_false(fg_config_is_workday(c, D("2024-10-01"))); /* Tuesday, National Day */
  assert_false(fg_config_is_workday(c, D("2024-10-05"))); /* plain Saturday */
  assert_true(fg_config_is_workday(c, D("2024-10-08")));  /* plain Tuesday */
  assert_true(fg_config_covers_year(c, 2020));
  assert_true(fg_config_covers_year(c, 2026));
  assert_false(fg_config_covers_year(c, 2019));
  assert_false(fg_config_covers_year(c, 2027));
  /* outside coverage: Monday-Friday */
  assert_true(fg_config_is_workday(c, D("2030-01-01")));  /* Tuesday, New Year */
  assert_false(fg_config_is_workday(c, D("2030-01-05"))); /* Saturday */
  assert_true(fg_config_is_workday(c, D("2019-10-01")));  /* Tuesday */
  /* appending a year extends coverage */
  fg_err err;
  assert_int_equal(parse(c, "[calendar]\n2027-01-01 = off 元旦\n2027-02-07 = work\n", &err), 0);
  assert_true(fg_config_covers_year(c, 2027));
  assert_int_equal(c->cal_year_min, 2020);
  assert_false(fg_config_is_workday(c, D("2027-01-01")));
  assert_true(fg_config_is_workday(c, D("2027-02-07")));
  assert_false(fg_config_is_workday(c, D("2024-10-01"))); /* bundled rows kept */
  /* replace: only the file's rows and years */
  assert_int_equal(parse(c, "[calendar]\nreplace = true\n2027-01-01 = off\n", &err), 0);
  assert_int_equal(c->ncal, 1);
  assert_false(fg_config_covers_year(c, 2024));
  assert_true(fg_config_is_workday(c, D("2024-10-01")));
  /* covers narrows: rows outside are dropped */
  assert_int_equal(parse(c, "[calendar]\ncovers = 2024..2024\n", &err), 0);
  assert_false(fg_config_covers_year(c, 2023));
  for (int32_t i = 0; i < c->ncal; i++) {
    int y, m, d;
    fg_ymd_from_day(c->cal[i].day, &y, &m, &d);
    assert_int_equal(y, 2024);
  }
  assert_true(fg_config_is_workday(c, D("2024-02-04")));
  assert_int_equal(parse(c, "[calendar]\nreplace = true\ncovers = none\n", &err), 0);
  assert_false(fg_config_covers_year(c, 2024));
  assert_false(fg_config_is_workday(c, D("2024-02-04")));
  free(c);
}

static const char *const every_key =
    "# every key\n"
    "[thresholds]\n"
    "base_spike_ratio = 2.5\n"
    "backpay_min_periods = 24\n"
    "survival_cert_max_gap_months = 6\n"
    "shared_account_min_persons = 4\n"
    "large_payment = 12345.6\n"
    "high_frequency_max_visits = 30\n"
    "split_admission_max_days = 0\n"
    "tenure_max_years = 3\n"
    "special_work_min_years = 10\n"
    "\n"
    "[hours]\n"
    "work_start = 08:30:00\n"
    "  work_end=18:00:59  \r\n"
    "[retirement_age]\n"
    "male.enroll_limit = 61y\n"
    "female.enroll_limit = 56y\n"
    "male.normal = 62y\n"
    "female.normal = 51y\n"
    "male.special_work = 56y\n"
    "female.special_work = 46y\n"
    "female.normal.1975-01..1975-12 = 50y4m\n"
    "male.normal.1966-05 = 60y6m\n"
    "[roles]\n"
    "exclusive =  Handler + REVIEWER , clerk+auditor\n"
    "[identity]\n"
    "password_max_age_days = 30\n"
    "lockout_failures = 3\n"
    "[calendar]\n"
    "2027-10-01 = off 国庆节\n";

static void test_every_key(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_err err;
  int rc = parse(c, every_key, &err);
  if (rc) fail_msg("%s", err.msg);
  assert_int_equal(c->base_spike_ratio_pct, 250);
  assert_int_equal(c->backpay_min_periods, 24);
  assert_int_equal(c->survival_cert_max_gap_months, 6);
  assert_int_equal(c->shared_account_min_persons, 4);
  assert_int_equal(c->large_payment_fen, 1234560);
  assert_int_equal(c->high_frequency_max_visits, 30);
  assert_int_equal(c->split_admission_max_days, 0);
  assert_int_equal(c->tenure_max_years, 3);
  assert_int_equal(c->special_work_min_years, 10);
  assert_int_equal(c->work_start_s, 8 * 3600 + 30 * 60);
  assert_int_equal(c->work_end_s, 18 * 3600 + 59);
  assert_int_equal(fg_config_age_months(c, 1, FG_AGE_ENROLL_LIMIT, M("1970-01")), 61 * 12);
  assert_int_equal(fg_config_age_months(c, 2, FG_AGE_ENROLL_LIMIT, M("1970-01")), 56 * 12);
  /* v1.2's male.normal / female.normal set the base rows of statutory.60 /
   * statutory.50: births before the law's first months; the law's rows win
   * after them */
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1960-01")), 62 * 12);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1970-01")), 736); /* 60y16m */
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1970-01")), 51 * 12);
  assert_int_equal(fg_config_age_months(c, 1, FG_AGE_SPECIAL_WORK, M("1970-01")), 56 * 12);
  assert_int_equal(fg_config_age_months(c, 2, FG_AGE_SPECIAL_WORK, M("1970-01")), 46 * 12);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1975-01")), 604);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1975-12")), 604);
  assert_int_equal(fg_config_age_months(c, 50, FG_AGE_STATUTORY, M("1976-01")), 607);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1966-05")), 726);
  assert_int_equal(fg_config_age_months(c, 60, FG_AGE_STATUTORY, M("1966-06")), 725);
  assert_int_equal(c->nage_rows, 7 + 132 + 2);
  assert_int_equal(c->nrole_pairs, 2);
  assert_string_equal(c->role_pairs[0][0], "handler");
  assert_string_equal(c->role_pairs[0][1], "reviewer");
  assert_string_equal(c->role_pairs[1][0], "clerk");
  assert_string_equal(c->role_pairs[1][1], "auditor");
  assert_int_equal(c->password_max_age_days, 30);
  assert_int_equal(c->lockout_failures, 3);
  assert_false(fg_config_is_workday(c, D("2027-10-01")));
  assert_int_equal(c->cal_year_max, 2027);
  free(c);
}

/* text must fail with exactly this message */
static void expect_error(const char *text, const char *msg) {
  fg_config *c = malloc(sizeof *c);
  fg_config *before = malloc(sizeof *before);
  fg_err err;
  fg_config_defaults(before);
  int rc = parse(c, text, &err);
  assert_int_equal(rc, FG_EINPUT);
  assert_string_equal(err.msg, msg);
  assert_memory_equal(c, before, sizeof *c); /* untouched on error */
  free(c);
  free(before);
}

static void test_errors(void **state) {
  (void)state;
  expect_error("[thresholds]\n\nbogus = 1\n", "t.conf:3: bogus: 未知的配置项 (1)");
  expect_error("[thresholds]\nbackpay_min_periods = 0\n",
               "t.conf:2: backpay_min_periods: 取值超出范围 1..600 (0)");
  expect_error("[thresholds]\nbackpay_min_periods = 1x\n",
               "t.conf:2: backpay_min_periods: 应为非负整数 (1x)");
  expect_error("[thresholds]\ntenure_max_years = 5\ntenure_max_years = 6\n",
               "t.conf:3: tenure_max_years: 重复设置，第 2 行已设置 (6)");
  expect_error("[thresholds]\nbase_spike_ratio = 2.005\n",
               "t.conf:2: base_spike_ratio: 应为 1.00 至 1000.00 之间的倍数，最多两位小数 (2.005)");
  expect_error("[thresholds]\nlarge_payment = -5\n",
               "t.conf:2: large_payment: 应为正的金额（元），最多两位小数 (-5)");
  expect_error("[thresholds]\nlarge_payment =\n", "t.conf:2: large_payment: 缺少取值 ()");
  expect_error("[nosuch]\n", "t.conf:1: [nosuch]: 未知的节 (nosuch)");
  expect_error("tenure_max_years = 5\n",
               "t.conf:1: tenure_max_years: 配置项必须位于某个 [节] 之下 (5)");
  expect_error("[hours]\nwork_start 08:00:00\n",
               "t.conf:2: work_start 08:00:00: 缺少“=”：应为 key = value (work_start 08:00:00)");
  expect_error("[hours]\nwork_start = 8:00\n", "t.conf:2: work_start: 应为时间 HH:MM:SS (8:00)");
  expect_error("[hours]\nwork_end = 07:00:00\n",
               "t.conf:2: work_end: 上班时间必须早于下班时间 (work_start >= work_end)");
  expect_error("[identity]\nlockout_failures = 0\n",
               "t.conf:2: lockout_failures: 取值超出范围 1..1000 (0)");
  expect_error("[identity]\nbase_spike_ratio = 2\n",
               "t.conf:2: base_spike_ratio: 未知的配置项 (2)");
  expect_error("[retirement_age]\nmale.early = 60y\n",
               "t.conf:2: male.early: 未知的配置项：应为 statutory.60|55|50[.YYYY-MM..YYYY-MM]、male|female.enroll_limit|special_work[.YYYY-MM..YYYY-MM] 或 min_contribution_* (60y)");
  expect_error("[retirement_age]\nmale.normal = 60\n",
               "t.conf:2: male.normal: 应为 16y 至 80y 之间的年龄，如 60y 或 50y4m (60)");
  expect_error("[retirement_age]\nfemale.normal.1975-12..1975-01 = 50y\n",
               "t.conf:2: female.normal.1975-12..1975-01: 未知的配置项：应为 statutory.60|55|50[.YYYY-MM..YYYY-MM]、male|female.enroll_limit|special_work[.YYYY-MM..YYYY-MM] 或 min_contribution_* (50y)");
  expect_error("[retirement_age]\nmale.normal = 60y\nmale.normal = 61y\n",
               "t.conf:3: male.normal: 重复设置 (61y)");
  /* v1.3: the statutory table by original age; male.normal is statutory.60 */
  expect_error("[retirement_age]\nstatutory.60 = 60y\nmale.normal = 61y\n",
               "t.conf:3: male.normal: 重复设置 (61y)");
  expect_error("[retirement_age]\nstatutory.61 = 61y\n", "t.conf:2: statutory.61: 未知的配置项：应为 statutory.60|55|50[.YYYY-MM..YYYY-MM]、male|female.enroll_limit|special_work[.YYYY-MM..YYYY-MM] 或 min_contribution_* (61y)");
  expect_error("[retirement_age]\nmale.statutory = 61y\n", "t.conf:2: male.statutory: 未知的配置项：应为 statutory.60|55|50[.YYYY-MM..YYYY-MM]、male|female.enroll_limit|special_work[.YYYY-MM..YYYY-MM] 或 min_contribution_* (61y)");
  expect_error("[retirement_age]\nmin_contribution_months = 12x\n",
               "t.conf:2: min_contribution_months: 取值超出范围 0..1200 (12x)");
  expect_error("[retirement_age]\nmin_contribution_rise_from = 2030\nmin_contribution_rise_from = 2031\n",
               "t.conf:3: min_contribution_rise_from: 重复设置，第 2 行已设置 (2031)");
  expect_error("[retirement_age]\nmin_contribution_months_max = 100\n",
               "t.conf:2: min_contribution_months_max: 不得小于 min_contribution_months "
               "(min_contribution_months_max < min_contribution_months)");
  expect_error("[roles]\nexclusive = handler\n",
               "t.conf:2: exclusive: 应为以逗号分隔的“角色+角色”组合 (handler)");
  expect_error("[roles]\nexclusive = a+A\n", "t.conf:2: exclusive: 组合的两个角色相同 (a+A)");
  expect_error("[roles]\nadmins = a+b\n", "t.conf:2: admins: 未知的配置项 (a+b)");
  expect_error("[calendar]\n2024-10-05 = off\n",
               "t.conf:2: 2024-10-05: off 只能用于周一至周五 (off)");
  expect_error("[calendar]\n2024-10-08 = work\n",
               "t.conf:2: 2024-10-08: work 只能用于周六或周日 (work)");
  expect_error("[calendar]\n2024-10-08 = holiday\n",
               "t.conf:2: 2024-10-08: 应为 off（节假日）或 work（调休上班），可跟名称 (holiday)");
  expect_error("[calendar]\n2024-02-30 = off\n",
               "t.conf:2: 2024-02-30: 未知的配置项：应为 replace、covers 或日期 YYYY-MM-DD (off)");
  expect_error("[calendar]\n2027-01-01 = off\nreplace = true\n",
               "t.conf:3: replace: 必须写在所有日期之前 (true)");
  expect_error("[calendar]\n2027-01-01 = off\n2027-01-01 = off\n",
               "t.conf:3: 2027-01-01: 重复设置，第 2 行已设置 (off)");
  expect_error("[calendar]\ncovers = 2024..2025\n2027-01-01 = off\n",
               "t.conf:3: 2027-01-01: 日期不在 covers 声明的年份范围内 (2027-01-01)");
  expect_error("[calendar]\ncovers = 2025..2024\n",
               "t.conf:2: covers: 应为年份范围 YYYY..YYYY 或 none (2025..2024)");
}

static void assert_round_trip(const fg_config *c) {
  char *text = fg_config_serialize(c);
  fg_config *back = malloc(sizeof *back);
  fg_err err;
  int rc = parse(back, text, &err);
  if (rc) fail_msg("%s\n%s", err.msg, text);
  assert_memory_equal(back, c, sizeof *c);
  char *again = fg_config_serialize(back);
  assert_string_equal(again, text);
  free(again);
  free(text);
  free(back);
}

static void test_round_trip(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_err err;
  fg_config_defaults(c);
  assert_round_trip(c);
  assert_int_equal(parse(c, every_key, &err), 0);
  assert_round_trip(c);
  assert_int_equal(parse(c, "[roles]\nexclusive =\n[calendar]\nreplace = true\n", &err), 0);
  assert_int_equal(c->nrole_pairs, 0);
  assert_round_trip(c);
  free(c);
}

static void test_hash(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_err err;
  char h1[65], h2[65], h3[65], want[65];
  fg_config_defaults(c);
  fg_config_hash(c, h1);
  fg_config_defaults(c);
  fg_config_hash(c, h2);
  assert_string_equal(h1, h2);
  assert_int_equal(strlen(h1), 64);
  char *text = fg_config_serialize(c);
  uint8_t d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
  fg_hex(d, sizeof d, want);
  assert_string_equal(h1, want);
  free(text);
  /* the canonical text of the defaults, parsed, hashes the same */
  assert_int_equal(parse(c, "[thresholds]\nhigh_frequency_max_visits = 20\n", &err), 0);
  fg_config_hash(c, h3);
  assert_string_equal(h1, h3);
  assert_int_equal(parse(c, "[thresholds]\nhigh_frequency_max_visits = 21\n", &err), 0);
  fg_config_hash(c, h3);
  assert_string_not_equal(h1, h3);
  free(c);
}

static void test_roles(void **state) {
  (void)state;
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  const char *a = NULL, *b = NULL;
  assert_true(fg_config_roles_conflict(c, " Handler ;clerk; REVIEWER ", &a, &b));
  assert_string_equal(a, "handler");
  assert_string_equal(b, "reviewer");
  assert_true(fg_config_roles_conflict(c, "CASHIER;accountant", NULL, NULL));
  assert_true(fg_config_roles_conflict(c, "supervisor;handler", NULL, NULL));
  assert_false(fg_config_roles_conflict(c, "handler;cashier;dbadmin", NULL, NULL));
  assert_false(fg_config_roles_conflict(c, "handler reviewer", NULL, NULL));
  assert_false(fg_config_roles_conflict(c, "handler", NULL, NULL));
  assert_false(fg_config_roles_conflict(c, "", NULL, NULL));
  assert_false(fg_config_roles_conflict(c, NULL, NULL, NULL));
  fg_err err;
  assert_int_equal(parse(c, "[roles]\nexclusive = Clerk+Auditor\n", &err), 0);
  assert_false(fg_config_roles_conflict(c, "handler;reviewer", NULL, NULL));
  assert_true(fg_config_roles_conflict(c, "auditor ; CLERK", NULL, NULL));
  free(c);
}

static void test_load_file(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  fg_test_write(dir, "a.conf", "\xEF\xBB\xBF[thresholds]\nhigh_frequency_max_visits = x\n",
                (size_t)-1);
  char path[4096];
  snprintf(path, sizeof path, "%s/a.conf", dir);
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  fg_err err;
  assert_int_equal(fg_config_load_file(c, path, &err), FG_EINPUT);
  char want[4200];
  snprintf(want, sizeof want, "%s:2: high_frequency_max_visits: 应为非负整数 (x)", path);
  assert_string_equal(err.msg, want);
  snprintf(path, sizeof path, "%s/missing.conf", dir);
  assert_int_equal(fg_config_load_file(c, path, &err), FG_EIO);
  fg_test_rmrf(dir);
  free(dir);
  free(c);
}

static void test_store(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  char path[4096];
  snprintf(path, sizeof path, "%s/s.db", dir);
  fg_store *s = NULL;
  fg_err err;
  if (fg_store_create(path, &s, &err)) fail_msg("%s", err.msg);
  char *text = NULL;
  bool found = true;
  assert_int_equal(fg_store_config_get_official(s, &text, NULL, NULL, &found, &err), 0);
  assert_false(found);
  fg_config *c = malloc(sizeof *c);
  fg_config_defaults(c);
  char *canon = fg_config_serialize(c);
  char want[65], got[65];
  fg_config_hash(c, want);
  int64_t id1 = 0, id2 = 0, id = 0;
  assert_int_equal(fg_store_config_put(s, canon, true, 0, 1700000000, 0, &id1, &err), 0);
  assert_int_equal(fg_store_config_put(s, "[thresholds]\n", false, 7, 1700000001, -1, &id2, &err),
                   0);
  assert_int_equal(fg_store_config_get_official(s, &text, got, &id, &found, &err), 0);
  assert_true(found);
  assert_int_equal(id, id1);
  assert_string_equal(text, canon);
  assert_string_equal(got, want);
  free(text);
  assert_int_equal(fg_store_config_get(s, id2, &text, got, &found, &err), 0);
  assert_true(found);
  assert_string_equal(text, "[thresholds]\n");
  free(text);
  fg_store_close(s);
  /* an attacker edits the text with sqlite3: the read is refused */
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_not_equal(sqlite3_exec(db, "UPDATE config_versions SET text = 'x'", 0, 0, 0),
                       SQLITE_OK); /* the trigger refuses */
  assert_int_equal(sqlite3_exec(db,
                                "DROP TRIGGER config_versions_no_update;"
                                "UPDATE config_versions SET text = text || '#'"
                                " WHERE status = 'official'",
                                0, 0, 0),
                   SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(fg_store_open(path, true, &s, &err), 0);
  assert_int_equal(fg_store_config_get_official(s, &text, got, &id, &found, &err), FG_EVERIFY);
  assert_false(found);
  fg_store_close(s);
  free(canon);
  free(c);
  fg_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),  cmocka_unit_test(test_calendar),
      cmocka_unit_test(test_add_working_days), cmocka_unit_test(test_law_2025),
      cmocka_unit_test(test_every_key), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_round_trip), cmocka_unit_test(test_hash),
      cmocka_unit_test(test_roles),     cmocka_unit_test(test_load_file),
      cmocka_unit_test(test_store),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
