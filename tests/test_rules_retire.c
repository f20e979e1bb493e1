/*
 * test_rules_retire.c — the retirement-approval rules of rules_retire.c on
 * small models built from CSV literals (support_model.h): birthdate_altered,
 * single_review, special_work_ineligible, underage. Every retirements row is
 * tested on its own; ages are reached on the birthday (29 February on
 * 1 March in common years); persons without a persons.csv row do not fire.
 */
#include "testutil.h"

#include <string.h>

#include "support_model.h"

#define RET_HEAD \
  "person_id,kind,approved_on,retire_date,birth_date_on_file,special_work_years,reviewer1,reviewer2\n"


static const fg_finding *expect(const fg_findings *f, const char *subject) {
  const fg_finding *x = fg_test_expect(f, subject, 0);
  assert_string_equal(x->subject_type, "person");
  return x;
}

static void test_birthdate_altered(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nALT,a,1,1965-03-01\nSAME,b,1,1964-01-01\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "ALT,normal,2024-01-01,2024-01-01,1965-03-01,,S1,S2\n"  /* 1 same */
      "ALT,normal,2025-01-01,2025-01-01,1964-03-01,,S1,S2\n"  /* 2 altered */
      "SAME,normal,2024-01-01,2024-01-01,1964-01-01,,S1,S2\n" /* 3 */
      "NOPERSON,normal,2024-01-01,2024-01-01,1964-01-01,,S1,S2\n"});
  fg_findings f = fg_test_run_rule(m, "retirement.birthdate_altered", "2025-06-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "ALT");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 2));
  assert_false(fg_test_has_ev(x, FG_T_RETIREMENTS, 1));
  assert_true(fg_test_has_ev(x, FG_T_PERSONS, 1));
  assert_non_null(strstr(x->detail, "1964-03-01"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_single_review(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_RETIREMENTS] = RET_HEAD
      "EARLY,early,2024-01-01,2024-01-01,1970-01-01,,S1,\n"           /* 1 fires */
      "DIS,disability,2024-01-01,2024-01-01,1970-01-01,,S1,S1\n"      /* 2 fires */
      "SW,special_work,2024-01-01,2024-01-01,1970-01-01,9,,S2\n"      /* 3 fires */
      "OK,special_work,2024-01-01,2024-01-01,1970-01-01,9,S1,S2\n"    /* 4 */
      "NORM,normal,2024-01-01,2024-01-01,1964-01-01,,,\n"             /* 5 normal */
      "TWICE,early,2023-01-01,2023-01-01,1970-01-01,,S1,S2\n"         /* 6 */
      "TWICE,early,2024-01-01,2024-01-01,1970-01-01,,S3,S3\n"});      /* 7 fires */
  fg_findings f = fg_test_run_rule(m, "retirement.single_review", "2025-06-01");
  assert_int_equal(f.n, 4);
  assert_true(fg_test_has_ev(expect(&f, "EARLY"), FG_T_RETIREMENTS, 1));
  assert_true(fg_test_has_ev(expect(&f, "DIS"), FG_T_RETIREMENTS, 2));
  expect(&f, "SW");
  const fg_finding *x = expect(&f, "TWICE");
  assert_int_equal(x->nev, 1);
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 7));
  assert_null(fg_test_find(&f, "OK"));
  assert_null(fg_test_find(&f, "NORM"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_special_work_ineligible(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "M55,a,1,1969-05-10\nM7,b,1,1969-05-10\nMEMPTY,c,1,1969-05-10\n"
                       "MYOUNG,d,1,1969-05-10\nF45,e,2,1979-05-10\nF44,f,2,1979-05-10\n"
                       "FLEAP,g,2,1980-02-29\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "M55,special_work,2024-05-01,2024-05-10,1969-05-10,8,S1,S2\n"     /* 1 ok: 55, 8 years */
      "M7,special_work,2024-05-01,2024-05-10,1969-05-10,7,S1,S2\n"      /* 2 fires: 7 years */
      "MEMPTY,special_work,2024-05-01,2024-05-10,1969-05-10,,S1,S2\n"   /* 3 fires: empty */
      "MYOUNG,special_work,2024-05-01,2024-05-09,1969-05-10,20,S1,S2\n" /* 4 fires: 54 */
      "F45,special_work,2024-05-01,2024-05-10,1979-05-10,8,S1,S2\n"     /* 5 ok */
      "F44,special_work,2024-05-01,2024-05-09,1979-05-10,8,S1,S2\n"     /* 6 fires */
      "FLEAP,special_work,2025-02-01,2025-03-01,1980-02-29,8,S1,S2\n"   /* 7 ok: 45 on 1 March */
      "FLEAP,early,2025-02-01,2025-02-28,1980-02-29,,S1,S2\n"           /* 8 not special */
      "NOPERSON,special_work,2024-05-01,2024-05-10,1969-05-10,,S1,S2\n"}); /* 9 no birth/sex */
  fg_findings f = fg_test_run_rule(m, "retirement.special_work_ineligible", "2025-06-01");
  assert_int_equal(f.n, 4);
  assert_true(fg_test_has_ev(expect(&f, "M7"), FG_T_RETIREMENTS, 2));
  assert_true(fg_test_has_ev(expect(&f, "MEMPTY"), FG_T_RETIREMENTS, 3));
  const fg_finding *x = expect(&f, "MYOUNG");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 4) && fg_test_has_ev(x, FG_T_PERSONS, 4));
  expect(&f, "F44");
  assert_null(fg_test_find(&f, "M55"));
  assert_null(fg_test_find(&f, "F45"));
  assert_null(fg_test_find(&f, "FLEAP"));
  assert_null(fg_test_find(&f, "NOPERSON"));
  fg_findings_release(&f);
  fg_model_free(m);
  /* the day before 1 March (common year) the 29 February birthday is not yet 45 */
  m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nFLEAP,g,2,1980-02-29\n",
      [FG_T_RETIREMENTS] = RET_HEAD "FLEAP,special_work,2025-02-01,2025-02-28,1980-02-29,8,S1,S2\n"});
  f = fg_test_run_rule(m, "retirement.special_work_ineligible", "2025-06-01");
  assert_int_equal(f.n, 1);
  expect(&f, "FLEAP");
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_underage(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "M59,a,1,1964-05-10\nM60,b,1,1964-05-10\n"
                       "FLEAP,c,2,1972-02-29\nFOK,d,2,1972-02-29\n"
                       "EARLY,e,1,1970-01-01\nTWO,f,2,1970-06-15\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "M59,normal,2024-05-01,2024-05-09,1964-05-10,,S1,S2\n"   /* 1 fires: the day before */
      "M60,normal,2024-05-01,2024-05-10,1964-05-10,,S1,S2\n"   /* 2 60 that day */
      "FLEAP,normal,2022-02-01,2022-02-28,1972-02-29,,S1,S2\n" /* 3 fires: 50 on 1 March */
      "FOK,normal,2022-02-01,2022-03-01,1972-02-29,,S1,S2\n"   /* 4 */
      "EARLY,early,2020-01-01,2020-01-01,1970-01-01,,S1,S2\n"  /* 5 not normal */
      "TWO,normal,2020-06-15,2020-06-15,1970-06-15,,S1,S2\n"   /* 6 50: ok */
      "TWO,normal,2019-06-15,2019-06-14,1970-06-15,,S1,S2\n"   /* 7 fires */
      "NOPERSON,normal,2020-01-01,2020-01-01,2000-01-01,,S1,S2\n"});
  fg_findings f = fg_test_run_rule(m, "retirement.underage", "2025-06-01");
  assert_int_equal(f.n, 3);
  const fg_finding *x = expect(&f, "M59");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 1) && fg_test_has_ev(x, FG_T_PERSONS, 1));
  assert_true(fg_test_has_ev(expect(&f, "FLEAP"), FG_T_RETIREMENTS, 3));
  x = expect(&f, "TWO");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 7));
  assert_false(fg_test_has_ev(x, FG_T_RETIREMENTS, 6));
  assert_null(fg_test_find(&f, "M60"));
  assert_null(fg_test_find(&f, "FOK"));
  assert_null(fg_test_find(&f, "EARLY"));
  assert_null(fg_test_find(&f, "NOPERSON"));
  fg_findings_release(&f);
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_birthdate_altered),
      cmocka_unit_test(test_single_review),
      cmocka_unit_test(test_special_work_ineligible),
      cmocka_unit_test(test_underage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
