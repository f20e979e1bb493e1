/*
 * test_rules_person.c — identity.invalid_id, identity.id_mismatch,
 * enrollment.over_age and enrollment.duplicate (rules_person.c) on small
 * models built from CSV literals (support_model.h): each rule fires with its
 * evidence, and the boundaries rules.md names do not fire.
 */
#include "testutil.h"

#include <string.h>

#include "screen/rule_kit.h"
#include "support_model.h"


/* Asserts the finding of subject exists with amount and nev evidence rows. */
static const fg_finding *expect(const fg_findings *f, const char *subject, int64_t amount_fen,
                                int32_t nev) {
  const fg_finding *x = fg_test_expect(f, subject, amount_fen);
  assert_int_equal(x->nev, nev);
  assert_string_equal(x->subject_type, "person");
  return x;
}

static const char *const persons_ids =
    "person_id,name,sex,birth_date\n"
    "11010519491231002x,ok,2,1949-12-31\n"        /* 1 valid (x upper-cased) */
    "110105194912310012,badcheck,1,1949-12-31\n"  /* 2 wrong check char */
    "110105194912310,fifteen,1,1949-12-31\n"      /* 3 15 digits */
    "11010520300101001X,future,2,2030-01-01\n"    /* 4 birth after as_of */
    "10010519491231001X,prov10,2,1949-12-31\n"    /* 5 province 10 */
    "110105192302290018,feb29,1,1923-02-28\n"     /* 6 1923-02-29 not a date */
    "911105194912310011,prp,1,1949-12-31\n"       /* 7 permanent residence, 11 */
    "910105194912310010,prp10,1,1949-12-31\n";    /* 8 permanent residence, 10 */

static void test_invalid_id(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_PERSONS] = persons_ids});
  fg_findings f = fg_test_run_rule(m, "identity.invalid_id", "2025-01-01");
  assert_int_equal(f.n, 6);
  assert_true(fg_test_has_ev(expect(&f, "110105194912310012", 0, 1), FG_T_PERSONS, 2));
  expect(&f, "110105194912310", 0, 1);
  assert_true(fg_test_has_ev(expect(&f, "11010520300101001X", 0, 1), FG_T_PERSONS, 4));
  expect(&f, "10010519491231001X", 0, 1);
  expect(&f, "110105192302290018", 0, 1);
  assert_true(fg_test_has_ev(expect(&f, "910105194912310010", 0, 1), FG_T_PERSONS, 8));
  assert_null(fg_test_find(&f, "11010519491231002X"));
  assert_null(fg_test_find(&f, "911105194912310011"));
  assert_string_equal(f.v[0].rule, "identity.invalid_id");
  fg_findings_release(&f);
  /* birth date on as_of itself is not after it */
  f = fg_test_run_rule(m, "identity.invalid_id", "2030-01-01");
  assert_int_equal(f.n, 5);
  assert_null(fg_test_find(&f, "11010520300101001X"));
  fg_findings_release(&f);
  f = fg_test_run_rule(m, "identity.invalid_id", "2029-12-31");
  assert_non_null(fg_test_find(&f, "11010520300101001X"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_id_mismatch(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "110105198001010016,ok,1,1980-01-01\n"     /* odd, male: fine */
                       "110105198001010024,sexbad,1,1980-01-01\n" /* even, male */
                       "11010519491231002X,birthbad,2,1949-12-30\n"
                       "911105198001010024,prpsex,1,1980-01-01\n" /* parity not compared */
                       "911105198001010016,prpbirth,1,1980-01-02\n"
                       "110105198001010017,invalid,2,1999-01-01\n"}); /* invalid: not here */
  fg_findings f = fg_test_run_rule(m, "identity.id_mismatch", "2025-01-01");
  assert_int_equal(f.n, 3);
  assert_true(fg_test_has_ev(expect(&f, "110105198001010024", 0, 1), FG_T_PERSONS, 2));
  assert_true(fg_test_has_ev(expect(&f, "11010519491231002X", 0, 1), FG_T_PERSONS, 3));
  expect(&f, "911105198001010016", 0, 1);
  assert_null(fg_test_find(&f, "911105198001010024"));
  assert_null(fg_test_find(&f, "110105198001010016"));
  assert_null(fg_test_find(&f, "110105198001010017"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_over_age(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "M60,a,1,1964-05-10\nM59,b,1,1964-05-10\n"
                       "F55,c,2,1969-05-10\nF54,d,2,1969-05-10\n"
                       "FEB29,e,2,1968-02-29\nFEB28,f,2,1968-02-29\n"
                       "LATER,g,1,1940-01-01\n",
      [FG_T_ENROLLMENTS] =
          "person_id,scheme,region,start_date,end_date\n"
          "M60,110,110105,2024-05-10,\n"    /* 1 turns 60 that day */
          "M59,110,110105,2024-05-09,\n"    /* 2 the day before */
          "F55,110,110105,2024-05-10,\n"    /* 3 */
          "F54,110,110105,2024-05-09,\n"    /* 4 */
          "FEB29,110,110105,2023-03-01,\n"  /* 5 55 on 1 March in a common year */
          "FEB28,110,110105,2023-02-28,\n"  /* 6 the day before */
          "LATER,110,110105,1990-01-01,1999-12-31\n" /* 7 earliest 110: age 50 */
          "LATER,110,110105,2005-01-01,\n"  /* 8 later one over age: not tested */
          "LATER,120,110105,2003-01-01,\n"  /* 9 other scheme */
          "NOPERSON,110,110105,2024-01-01,\n"}); /* 10 no persons row */
  fg_findings f = fg_test_run_rule(m, "enrollment.over_age", "2025-01-01");
  assert_int_equal(f.n, 3);
  const fg_finding *x = expect(&f, "M60", 0, 2);
  assert_true(fg_test_has_ev(x, FG_T_ENROLLMENTS, 1));
  assert_true(fg_test_has_ev(x, FG_T_PERSONS, 1));
  assert_true(fg_test_has_ev(expect(&f, "F55", 0, 2), FG_T_ENROLLMENTS, 3));
  assert_true(fg_test_has_ev(expect(&f, "FEB29", 0, 2), FG_T_ENROLLMENTS, 5));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_duplicate(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_ENROLLMENTS] =
          "person_id,scheme,region,start_date,end_date\n"
          "A,110,110105,2020-01-01,2020-06-30\n" /* 1 end == start of 2: one day */
          "A,120,110105,2020-06-30,\n"           /* 2 */
          "B,110,110105,2020-01-01,2020-06-29\n" /* 3 the day before: none */
          "B,110,110105,2020-06-30,\n"           /* 4 */
          "C,410,110105,2020-01-01,\n"           /* 5 410 exempt */
          "C,410,110105,2020-02-01,\n"           /* 6 */
          "D,310,110105,2019-01-01,\n"           /* 7 open end */
          "D,390,110105,2024-01-01,2024-12-31\n" /* 8 */
          "E,110,110105,2020-01-01,\n"           /* 9 other groups */
          "E,310,110105,2020-01-01,\n"           /* 10 */
          "E,210,110105,2020-01-01,\n"           /* 11 */
          "E,510,110105,2020-01-01,\n"           /* 12 */
          "F,170,110105,2019-01-01,2019-12-31\n" /* 13 no overlap */
          "F,110,110105,2020-01-01,2020-12-31\n" /* 14 */
          "F,110,110105,2020-12-31,\n"           /* 15 */
          "G,210,110105,2020-01-01,2021-01-01\n" /* 16 */
          "G,210,110105,2020-05-01,2020-04-01\n" /* 17 empty interval */
          "H,510,110105,2020-01-01,2020-12-31\n" /* 18 identical rows overlap */
          "H,510,110105,2020-01-01,2020-12-31\n"}); /* 19 */
  fg_findings f = fg_test_run_rule(m, "enrollment.duplicate", "2025-01-01");
  assert_int_equal(f.n, 4);
  const fg_finding *x = expect(&f, "A", 0, 2);
  assert_true(fg_test_has_ev(x, FG_T_ENROLLMENTS, 1) && fg_test_has_ev(x, FG_T_ENROLLMENTS, 2));
  x = expect(&f, "D", 0, 2);
  assert_true(fg_test_has_ev(x, FG_T_ENROLLMENTS, 7) && fg_test_has_ev(x, FG_T_ENROLLMENTS, 8));
  x = expect(&f, "F", 0, 2);
  assert_true(fg_test_has_ev(x, FG_T_ENROLLMENTS, 14) && fg_test_has_ev(x, FG_T_ENROLLMENTS, 15));
  assert_false(fg_test_has_ev(x, FG_T_ENROLLMENTS, 13));
  expect(&f, "H", 0, 2);
  assert_null(fg_test_find(&f, "B"));
  assert_null(fg_test_find(&f, "C"));
  assert_null(fg_test_find(&f, "E"));
  assert_null(fg_test_find(&f, "G"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static fg_day D(const char *s) {
  fg_day d;
  assert_true(fg_parse_day(s, 10, &d));
  return d;
}

static void test_reach_day(void **state) {
  (void)state;
  /* whole years: exactly the birthday, 29 Feb -> 1 March in a common year */
  assert_int_equal(fg_rk_reach_day(D("1964-05-10"), 720), D("2024-05-10"));
  assert_int_equal(fg_rk_reach_day(D("1968-02-29"), 660), D("2023-03-01"));
  assert_int_equal(fg_rk_reach_day(D("1968-02-29"), 672), D("2024-02-29"));
  for (fg_day b = D("1950-01-01"); b < D("1980-01-01"); b += 17)
    assert_int_equal(fg_rk_reach_day(b, 60 * 12), fg_day_plus_years(b, 60));
  /* a day the target month lacks rolls to the 1st of the next month */
  assert_int_equal(fg_rk_reach_day(D("1965-08-31"), 60 * 12 + 3), D("2025-12-01"));
  assert_int_equal(fg_rk_reach_day(D("1965-08-30"), 60 * 12 + 3), D("2025-11-30"));
  assert_int_equal(fg_rk_reach_day(D("1965-01-31"), 1), D("1965-03-01"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_invalid_id), cmocka_unit_test(test_id_mismatch),
      cmocka_unit_test(test_over_age),   cmocka_unit_test(test_duplicate),
      cmocka_unit_test(test_reach_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
