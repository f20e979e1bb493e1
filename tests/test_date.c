/*
 * test_date.c — calendar arithmetic of common/date.h, with the boundary
 * readings of rules.md (29 February, month differences).
 */
#include "testutil.h"

#include "common/date.h"

static fg_day D(const char *s) {
  fg_day d;
  assert_true(fg_parse_day(s, 10, &d));
  return d;
}

static void test_roundtrip(void **state) {
  (void)state;
  for (fg_day d = D("1900-01-01"); d <= D("2099-12-31"); d += 13) {
    char buf[11];
    fg_format_day(d, buf);
    assert_int_equal(D(buf), d);
  }
  assert_int_equal(D("1970-01-01"), 0);
  assert_int_equal(fg_weekday(D("2026-11-29")), 6); /* a Sunday */
}

static void test_parse_rejects(void **state) {
  (void)state;
  fg_day d;
  fg_month m;
  int64_t ts;
  assert_false(fg_parse_day("2023-02-29", 10, &d));
  assert_true(fg_parse_day("2024-02-29", 10, &d));
  assert_false(fg_parse_day("1899-12-31", 10, &d));
  assert_false(fg_parse_day("2100-01-01", 10, &d));
  assert_false(fg_parse_day("2024-1-01", 9, &d));
  assert_false(fg_parse_month("2024-13", 7, &m));
  assert_false(fg_parse_month("2024-00", 7, &m));
  assert_true(fg_parse_timestamp("2024-01-01T19:00:00", 19, &ts));
  assert_false(fg_parse_timestamp("2024-01-01T24:00:00", 19, &ts));
  assert_false(fg_parse_timestamp("2024-01-01T23:60:00", 19, &ts));
}

static void test_years_and_age(void **state) {
  (void)state;
  assert_int_equal(fg_day_minus_years(D("2024-02-29"), 5), D("2019-02-28"));
  assert_int_equal(fg_day_plus_years(D("2024-02-29"), 1), D("2025-03-01"));
  assert_int_equal(fg_age_years(D("2008-02-29"), D("2024-02-28")), 15);
  assert_int_equal(fg_age_years(D("2008-02-29"), D("2023-02-28")), 14);
  assert_int_equal(fg_age_years(D("2008-02-29"), D("2023-03-01")), 15);
  assert_int_equal(fg_age_years(D("1964-05-10"), D("2024-05-09")), 59);
  assert_int_equal(fg_age_years(D("1964-05-10"), D("2024-05-10")), 60);
  fg_month a, b;
  assert_true(fg_parse_month("2024-03", 7, &a));
  assert_true(fg_parse_month("2023-12", 7, &b));
  assert_int_equal(a - b, 3);
  assert_int_equal(fg_month_last_day(a), D("2024-03-31"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),
      cmocka_unit_test(test_parse_rejects),
      cmocka_unit_test(test_years_and_age),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
