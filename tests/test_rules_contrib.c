/*
 * test_rules_contrib.c — the contribution rules of rules_contrib.c on small
 * models built from CSV literals (support_model.h): base_out_of_range,
 * base_spike, backpay_before_retirement, before_age_16, after_death. Each
 * fires with its exact amount and evidence; the boundaries of rules.md
 * (floor/cap themselves, ratio exactly 2.0, 11 vs 12 periods, paid_date
 * approved_on - 364 vs - 365, the month of the 16th birthday, the death month)
 * do not fire.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "common/fg.h"
#include "support_model.h"

#define CONTRIB_HEAD "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n"


static int32_t count_ev(const fg_finding *f, fg_table_id t) {
  int32_t n = 0;
  for (int32_t i = 0; i < f->nev; i++) n += f->ev[i].table == t;
  return n;
}

static const fg_finding *expect(const fg_findings *f, const char *subject, int64_t amount_fen) {
  const fg_finding *x = fg_test_expect(f, subject, amount_fen);
  assert_string_equal(x->subject_type, "person");
  return x;
}

/* Appends n rows "<head><period><tail>\n" for consecutive periods from first. */
static void rows(fg_buf *b, const char *head, const char *first, int n, const char *tail) {
  fg_month mo;
  assert_true(fg_parse_month(first, 7, &mo));
  for (int i = 0; i < n; i++) {
    char p[8];
    fg_format_month(mo + i, p);
    fg_buf_addf(b, "%s%s%s\n", head, p, tail);
  }
}

static void test_base_out_of_range(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_WAGE_BASES] = "region,year,floor,cap\n110105,2024,6821,35283\n110105,2023,6326,33891\n",
      [FG_T_CONTRIBUTIONS] = CONTRIB_HEAD
      "LOW,110,E1,110105,2024-03,6820.99,1000,2024-03-15,normal\n"   /* 1 fires */
      "LOW,110,E1,110105,2024-04,6821,1000,2024-04-15,normal\n"      /* 2 floor itself */
      "HIGH,110,E1,110105,2024-03,35283,1000,2024-03-15,normal\n"    /* 3 cap itself */
      "HIGH,110,E1,110105,2024-04,35283.01,1000,2024-04-15,normal\n" /* 4 fires */
      "HIGH,110,E1,110105,2023-04,33891.01,1000,2023-04-15,back_payment\n" /* 5 fires, 2023 */
      "FLEX,110,,110105,2024-03,100,20,2024-03-15,normal\n"          /* 6 no employer */
      "OTHER,310,E1,110105,2024-03,100,20,2024-03-15,normal\n"       /* 7 not 110 */
      "NOBASE,110,E1,110106,2024-03,100,20,2024-03-15,normal\n"      /* 8 no wage base */
      "NOYEAR,110,E1,110105,2022-03,100,20,2022-03-15,normal\n"});   /* 9 no wage base */
  fg_findings f = fg_test_run_rule(m, "contribution.base_out_of_range", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "LOW", 0);
  assert_true(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 1));
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 2));
  assert_true(fg_test_has_ev(x, FG_T_WAGE_BASES, 1));
  x = expect(&f, "HIGH", 0);
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 2);
  assert_true(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 4) && fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 5));
  assert_true(fg_test_has_ev(x, FG_T_WAGE_BASES, 2));
  assert_non_null(strstr(x->detail, "2024-04"));
  fg_findings_release(&f);
  fg_model_free(m);
}

/* Window B = 2018-07..2021-06, window A = 2021-07..2024-06 for a retire_date
 * in 2024-07. */
static void test_base_spike(void **state) {
  (void)state;
  fg_buf c = FG_BUF_INIT;
  fg_buf_adds(&c, CONTRIB_HEAD);
  /* SPIKE: mean A 10000.01 > 2 x 5000 */
  rows(&c, "SPIKE,110,E1,110105,", "2018-07", 12, ",5000,800,2019-01-01,normal");
  rows(&c, "SPIKE,110,E1,110105,", "2023-07", 12, ",10000.01,800,2024-01-01,normal");
  rows(&c, "SPIKE,310,E1,110105,", "2018-07", 12, ",1,1,2019-01-01,normal"); /* not 110 */
  /* EXACT: ratio exactly 2.0; rows of M and M-73 are outside both windows */
  rows(&c, "EXACT,110,E1,110105,", "2018-07", 12, ",5000,800,2019-01-01,normal");
  rows(&c, "EXACT,110,E1,110105,", "2023-07", 12, ",10000,800,2024-01-01,normal");
  rows(&c, "EXACT,110,E1,110105,", "2024-07", 1, ",90000,800,2024-08-01,normal");
  rows(&c, "EXACT,110,E1,110105,", "2018-06", 1, ",1,800,2018-07-01,normal");
  /* SHORT: window A has 11 distinct periods (12 rows) */
  rows(&c, "SHORT,110,E1,110105,", "2018-07", 12, ",5000,800,2019-01-01,normal");
  rows(&c, "SHORT,110,E1,110105,", "2023-08", 11, ",90000,800,2024-01-01,normal");
  rows(&c, "SHORT,110,E1,110105,", "2024-06", 1, ",90000,800,2024-01-01,back_payment");
  /* TWO: two retirements, only the second fires */
  rows(&c, "TWO,110,,110105,", "2018-07", 12, ",5000,800,2019-01-01,normal");
  rows(&c, "TWO,110,,110105,", "2023-07", 12, ",10000.01,800,2024-01-01,normal");
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CONTRIBUTIONS] = c.buf,
      [FG_T_RETIREMENTS] = "person_id,kind,approved_on,retire_date,birth_date_on_file\n"
                           "SPIKE,normal,2024-07-01,2024-07-15,1964-07-15\n"
                           "EXACT,normal,2024-07-01,2024-07-01,1964-07-01\n"
                           "SHORT,normal,2024-07-01,2024-07-31,1964-07-31\n"
                           "TWO,normal,2019-12-01,2020-01-01,1960-01-01\n"
                           "TWO,normal,2024-07-01,2024-07-15,1960-01-01\n"});
  fg_findings f = fg_test_run_rule(m, "contribution.base_spike", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "SPIKE", 0);
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 1));
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 24);
  x = expect(&f, "TWO", 0);
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 5));
  assert_false(fg_test_has_ev(x, FG_T_RETIREMENTS, 4));
  assert_null(fg_test_find(&f, "EXACT"));
  assert_null(fg_test_find(&f, "SHORT"));
  fg_findings_release(&f);
  fg_model_free(m);
  fg_buf_release(&c);
}

/* approved_on 2024-06-30: the window is paid_date in [2023-07-02, 2024-06-30]. */
static void test_backpay_before_retirement(void **state) {
  (void)state;
  fg_buf c = FG_BUF_INIT;
  fg_buf_adds(&c, CONTRIB_HEAD);
  /* FIRE: 12 periods paid on approved_on - 364, one identical row twice */
  rows(&c, "FIRE,110,,110105,", "2010-01", 12, ",3000,480,2023-07-02,back_payment");
  rows(&c, "FIRE,110,,110105,", "2010-01", 1, ",3000,480,2023-07-02,back_payment");
  rows(&c, "FIRE,110,,110105,", "2011-01", 1, ",3000,480,2024-06-30,normal");       /* normal */
  rows(&c, "FIRE,310,,110105,", "2011-02", 1, ",3000,480,2024-06-30,back_payment"); /* 310 */
  rows(&c, "FIRE,170,,110105,", "2011-03", 1, ",3000,1.5,2024-07-01,back_payment"); /* after */
  /* ELEVEN: 11 periods in the window, the 12th paid on approved_on - 365 */
  rows(&c, "ELEVEN,120,,110105,", "2010-01", 11, ",3000,480,2024-06-30,back_payment");
  rows(&c, "ELEVEN,120,,110105,", "2010-12", 1, ",3000,480,2023-07-01,back_payment");
  /* DUPPER: 12 rows but 11 distinct periods */
  rows(&c, "DUPPER,110,,110105,", "2010-01", 11, ",3000,480,2024-01-01,back_payment");
  rows(&c, "DUPPER,110,,110105,", "2010-11", 1, ",3000,480,2024-01-01,back_payment");
  /* BOTH: two retirements fire; shared rows count once */
  rows(&c, "BOTH,170,,110105,", "2010-01", 12, ",100,10,2024-06-01,back_payment");
  rows(&c, "BOTH,170,,110105,", "2011-01", 1, ",100,7,2024-07-05,back_payment");
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CONTRIBUTIONS] = c.buf,
      [FG_T_RETIREMENTS] = "person_id,kind,approved_on,retire_date,birth_date_on_file\n"
                           "FIRE,normal,2024-06-30,2024-07-01,1964-07-01\n"
                           "ELEVEN,normal,2024-06-30,2024-07-01,1964-07-01\n"
                           "DUPPER,normal,2024-06-30,2024-07-01,1964-07-01\n"
                           "BOTH,normal,2024-06-30,2024-07-01,1964-07-01\n"
                           "BOTH,normal,2024-07-10,2024-07-11,1964-07-01\n"});
  fg_findings f = fg_test_run_rule(m, "contribution.backpay_before_retirement", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "FIRE", 13 * 48000);
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 13);
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 1));
  x = expect(&f, "BOTH", 12 * 1000 + 700);
  assert_int_equal(count_ev(x, FG_T_RETIREMENTS), 2);
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 13);
  assert_null(fg_test_find(&f, "ELEVEN"));
  assert_null(fg_test_find(&f, "DUPPER"));
  fg_findings_release(&f);
  fg_model_free(m);
  fg_buf_release(&c);
}

static void test_before_age_16(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nKID,a,1,2008-05-10\nLEAP,b,2,2008-02-29\n",
      [FG_T_CONTRIBUTIONS] = CONTRIB_HEAD
      "KID,110,E1,110105,2024-04,3000,100.5,2024-04-15,normal\n"  /* 1 fires */
      "KID,110,E1,110105,2024-04,3000,100.5,2024-04-15,normal\n"  /* 2 identical: twice */
      "KID,210,E1,110105,2023-01,3000,7,2023-01-15,back_payment\n" /* 3 fires */
      "KID,390,,110105,2020-01,0,300,2020-01-15,normal\n"         /* 4 resident medical */
      "KID,110,E1,110105,2024-05,3000,100,2024-05-15,normal\n"    /* 5 month of 16th birthday */
      "LEAP,110,E1,110105,2024-01,3000,50,2024-01-15,normal\n"    /* 6 fires */
      "LEAP,110,E1,110105,2024-02,3000,50,2024-02-15,normal\n"    /* 7 turns 16 on 2024-02-29 */
      "NOPERSON,110,E1,110105,1950-01,3000,50,1950-01-15,normal\n"});
  fg_findings f = fg_test_run_rule(m, "contribution.before_age_16", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "KID", 10050 * 2 + 700);
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 3);
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 4));
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 5));
  x = expect(&f, "LEAP", 5000);
  assert_true(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 6));
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 7));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_after_death(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_DEATHS] = "person_id,death_date,source\n"
                      "DEAD,2024-05-01,health\nDEAD,2024-03-15,civil_affairs\n"
                      "ALIVE2,2030-01-01,court\n",
      [FG_T_CONTRIBUTIONS] = CONTRIB_HEAD
      "DEAD,110,E1,110105,2024-03,3000,480,2024-03-15,normal\n"       /* 1 death month */
      "DEAD,110,E1,110105,2024-04,3000,480,2024-04-15,normal\n"       /* 2 fires */
      "DEAD,390,,110105,2024-05,0,35.01,2024-05-15,back_payment\n"    /* 3 fires */
      "ALIVE,110,E1,110105,2024-04,3000,480,2024-04-15,normal\n"      /* 4 no death */
      "ALIVE2,110,E1,110105,2024-04,3000,480,2024-04-15,normal\n"});  /* 5 */
  fg_findings f = fg_test_run_rule(m, "contribution.after_death", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "DEAD", 48000 + 3501);
  assert_int_equal(count_ev(x, FG_T_CONTRIBUTIONS), 2);
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 1));
  assert_true(fg_test_has_ev(x, FG_T_DEATHS, 2));  /* the earliest death row */
  assert_false(fg_test_has_ev(x, FG_T_DEATHS, 1));
  fg_findings_release(&f);
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base_out_of_range), cmocka_unit_test(test_base_spike),
      cmocka_unit_test(test_backpay_before_retirement), cmocka_unit_test(test_before_age_16),
      cmocka_unit_test(test_after_death),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
