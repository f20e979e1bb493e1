/*
 * test_rules_benefit.c — the benefit rules of rules_benefit.c on small models
 * built from CSV literals (support_model.h). Each rule fires with its exact
 * amount and evidence; the boundaries of rules.md do not fire (the death
 * month itself, the incarceration start month, L - C = 12, exactly 50000,
 * 12 paid periods on 12 entitled months, episode starts 10 months apart).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "common/fg.h"
#include "support_model.h"

#define PAY_HEAD "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"
#define CONTRIB_HEAD "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n"


static int32_t count_ev(const fg_finding *f, fg_table_id t) {
  int32_t n = 0;
  for (int32_t i = 0; i < f->nev; i++) n += f->ev[i].table == t;
  return n;
}

static const fg_finding *expect(const fg_findings *f, const char *subject, int64_t amount_fen) {
  const fg_finding *x = fg_test_find(f, subject);
  if (x == NULL) fail_msg("no finding for %s", subject);
  assert_int_equal(x->amount_fen, amount_fen);
  return x;
}

/* Appends n payment rows of person pid from period first on, ids <pid>-<tag><i>. */
static void pays(fg_buf *b, const char *pid, const char *tag, const char *type, const char *first,
                 int n, const char *amount) {
  fg_month mo;
  assert_true(fg_parse_month(first, 7, &mo));
  for (int i = 0; i < n; i++) {
    char p[8];
    fg_format_month(mo + i, p);
    fg_buf_addf(b, "%s-%s%d,%s,210,%s,110105,%s,%s,%s-28,ACC-%s\n", pid, tag, i, pid, type, p,
                amount, p, pid);
  }
}

/* Appends n scheme-210 contribution rows of pid from period first on. */
static void c210(fg_buf *b, const char *pid, const char *first, int n) {
  fg_month mo;
  assert_true(fg_parse_month(first, 7, &mo));
  for (int i = 0; i < n; i++) {
    char p[8];
    fg_format_month(mo + i, p);
    fg_buf_addf(b, "%s,210,E1,110105,%s,5000,25,%s-15,normal\n", pid, p, p);
  }
}

static void test_paid_after_death(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_DEATHS] = "person_id,death_date,source\nD,2024-03-31,funeral\n",
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,D,110,pension,110105,2024-03,3000,2024-03-28,A1\n"          /* 1 death month */
      "P2,D,110,pension,110105,2024-04,3000,2024-04-28,A1\n"          /* 2 fires */
      "P3,D,110,funeral,110105,2024-04,9000,2024-04-28,A1\n"          /* 3 lawful */
      "P4,D,110,survivor,110105,2024-05,800,2024-05-28,A1\n"          /* 4 lawful */
      "P5,D,110,lump_sum,110105,2024-05,20000,2024-05-28,A1\n"        /* 5 lawful */
      "P6,D,510,maternity,110105,2024-05,1000.01,2024-05-28,A1\n"     /* 6 fires */
      "P7,D,410,injury_dependant,110105,2024-06,500,2024-06-28,A1\n"  /* 7 fires */
      "P8,D,410,injury_disability,110105,2024-06,600,2024-06-28,A1\n" /* 8 fires */
      "P9,D,210,unemployment,110105,2024-07,1500,2024-07-28,A1\n"     /* 9 fires */
      "Q1,LIVE,110,pension,110105,2024-04,3000,2024-04-28,A2\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.paid_after_death", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "D", 300000 + 100001 + 50000 + 60000 + 150000);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 5);
  assert_false(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 1));
  assert_false(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 3));
  assert_true(fg_test_has_ev(x, FG_T_DEATHS, 1));
  assert_string_equal(x->subject_type, "person");
  fg_findings_release(&f);
  fg_model_free(m);
}

/* Amounts past 2^31 fen (the model keeps them escaped, model.h fg_fen32)
 * are summed exactly: 13 integer digits, 2^31 and 2^31 - 1. */
static void test_paid_after_death_big(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_DEATHS] = "person_id,death_date,source\nD,2024-03-31,funeral\n",
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,D,110,pension,110105,2024-04,9999999999999.99,2024-04-28,A1\n"
      "P2,D,110,pension,110105,2024-05,21474836.48,2024-05-28,A1\n"
      "P3,D,110,pension,110105,2024-06,21474836.47,2024-06-28,A1\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.paid_after_death", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x =
      expect(&f, "D", INT64_C(999999999999999) + INT64_C(2147483648) + INT64_C(2147483647));
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 3);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_paid_during_incarceration(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_INCARCERATIONS] = "person_id,start_date,end_date\n"
                              "J,2024-01-20,2024-04-10\nJ,2024-01-05,2024-02-20\n"
                              "OPEN,2023-12-01,\n",
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,J,110,pension,110105,2024-01,3000,2024-01-28,A1\n"      /* 1 start month */
      "P2,J,110,pension,110105,2024-02,3000,2024-02-28,A1\n"      /* 2 fires once */
      "P3,J,120,pension,110105,2024-04,3000.5,2024-04-28,A1\n"    /* 3 end month fires */
      "P4,J,110,pension,110105,2024-05,3000,2024-05-28,A1\n"      /* 4 after end */
      "P5,J,210,unemployment,110105,2024-03,1500,2024-03-28,A1\n" /* 5 not pension */
      "O1,OPEN,170,pension,110105,2023-12,200,2023-12-28,A2\n"    /* 6 start month */
      "O2,OPEN,170,pension,110105,2030-06,200,2030-06-28,A2\n"    /* 7 open end fires */
      "F1,FREE,110,pension,110105,2024-02,3000,2024-02-28,A3\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.paid_during_incarceration", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "J", 300000 + 300050);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 2);
  assert_true(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 2) && fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 3));
  assert_int_equal(count_ev(x, FG_T_INCARCERATIONS), 2);
  x = expect(&f, "OPEN", 20000);
  assert_true(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 7));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_duplicate_pension(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,X,110,pension,110105,2024-01,3000,2024-01-28,A1\n"
      "P2,X,120,pension,320105,2024-01,2000,2024-01-28,A9\n"      /* 2000 */
      "P3,X,110,pension,110105,2024-02,3000,2024-02-28,A1\n"
      "P4,X,110,pension,110105,2024-02,3000,2024-02-28,A1\n"
      "P5,X,170,pension,110105,2024-02,1000,2024-02-28,A1\n"      /* 4000 */
      "P6,X,110,pension,110105,2024-03,3000,2024-03-28,A1\n"
      "P7,X,210,unemployment,110105,2024-03,1500,2024-03-28,A1\n" /* no */
      "Q1,Y,110,pension,110105,2024-01,3000,2024-01-28,A2\n"
      "Q2,Y,110,pension,110105,2024-02,3000,2024-02-28,A2\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.duplicate_pension", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "X", 600000);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 5);
  assert_non_null(strstr(x->detail, "2024-01"));
  assert_null(strstr(x->detail, "2024-03"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_unemployment_while_employed(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CONTRIBUTIONS] = CONTRIB_HEAD
      "U,110,E1,110105,2024-01,5000,800,2024-01-15,normal\n"   /* 1 employed */
      "U,110,,110105,2024-02,5000,800,2024-02-15,normal\n"     /* 2 flexible */
      "U,210,E1,110105,2024-03,5000,800,2024-03-15,normal\n"   /* 3 210 */
      "U,310,E1,110105,2024-04,5000,800,2024-04-15,back_payment\n", /* 4 employed */
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,U,210,unemployment,110105,2024-01,1500,2024-01-28,A1\n"
      "P2,U,210,unemployment,110105,2024-01,1500,2024-01-28,A1\n"
      "P3,U,210,unemployment,110105,2024-02,1500,2024-02-28,A1\n"
      "P4,U,210,unemployment,110105,2024-03,1500,2024-03-28,A1\n"
      "P5,U,210,unemployment,110105,2024-04,1400.01,2024-04-28,A1\n"
      "P6,U,110,pension,110105,2024-04,3000,2024-04-28,A1\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.unemployment_while_employed", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "U", 300000 + 140001);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 3);
  assert_true(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 1) && fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 4));
  assert_false(fg_test_has_ev(x, FG_T_CONTRIBUTIONS, 2));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_unemployment_while_pensioned(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,U,210,unemployment,110105,2024-01,1500,2024-01-28,A1\n"
      "P2,U,110,pension,110105,2024-01,3000,2024-01-28,A1\n"
      "P3,U,210,unemployment,110105,2024-01,1500.5,2024-01-29,A1\n"
      "P4,U,210,unemployment,110105,2024-02,1500,2024-02-28,A1\n"
      "P5,U,110,pension,110105,2024-03,3000,2024-03-28,A1\n"
      "Q1,V,210,unemployment,110105,2024-01,1500,2024-01-28,A2\n"
      "Q2,V,410,injury_disability,110105,2024-01,1500,2024-01-28,A2\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.unemployment_while_pensioned", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "U", 300050);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 3);
  assert_false(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 4));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_unemployment_over_entitlement(void **state) {
  (void)state;
  fg_buf c = FG_BUF_INIT, p = FG_BUF_INIT;
  fg_buf_adds(&c, CONTRIB_HEAD);
  fg_buf_adds(&p, PAY_HEAD);
  /* E12: 12 months -> 12 entitled; 13 periods paid, the 13th twice */
  c210(&c, "E12", "2022-01", 12);
  pays(&p, "E12", "u", "unemployment", "2023-01", 13, "1500");
  pays(&p, "E12", "v", "unemployment", "2024-01", 1, "1000.5");
  /* OK12: 12 entitled, exactly 12 periods paid */
  c210(&c, "OK12", "2022-01", 12);
  pays(&p, "OK12", "u", "unemployment", "2023-01", 12, "1500");
  /* E0: 11 months before the first paid period (the 12th is that period) */
  c210(&c, "E0", "2022-02", 12);
  pays(&p, "E0", "u", "unemployment", "2023-01", 1, "1500");
  pays(&p, "E0", "p", "pension", "2022-01", 1, "3000"); /* not unemployment */
  /* B59: 59 months -> 12; 13 paid.  B60: 60 months -> 18; 18 paid, 19 paid */
  c210(&c, "B59", "2015-01", 59);
  pays(&p, "B59", "u", "unemployment", "2020-01", 13, "1000");
  c210(&c, "B60", "2015-01", 60);
  pays(&p, "B60", "u", "unemployment", "2020-01", 18, "1000");
  c210(&c, "B60X", "2015-01", 60);
  pays(&p, "B60X", "u", "unemployment", "2020-01", 19, "1000");
  /* B120: 120 months -> 24; 25 paid, with a gap before the last */
  c210(&c, "B120", "2010-01", 120);
  pays(&p, "B120", "u", "unemployment", "2020-01", 24, "1000");
  pays(&p, "B120", "w", "unemployment", "2023-01", 1, "999");
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_CONTRIBUTIONS] = c.buf,
                                               [FG_T_BENEFIT_PAYMENTS] = p.buf});
  fg_findings f = fg_test_run_rule(m, "benefit.unemployment_over_entitlement", "2025-01-01");
  assert_int_equal(f.n, 5);
  const fg_finding *x = expect(&f, "E12", 150000 + 100050);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 2);
  x = expect(&f, "E0", 150000);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 1);
  expect(&f, "B59", 100000);
  expect(&f, "B60X", 100000);
  expect(&f, "B120", 99900);
  assert_null(fg_test_find(&f, "OK12"));
  assert_null(fg_test_find(&f, "B60"));
  fg_findings_release(&f);
  fg_model_free(m);
  fg_buf_release(&c);
  fg_buf_release(&p);
}

static void test_survival_cert_overdue(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_SURVIVAL_CERTIFICATIONS] = "person_id,certified_on,method\n"
                                       "L12,2024-02-10,face\nL13,2024-02-29,face\n"
                                       "L13,2023-01-01,face\nFUT,2025-07-01,face\n"
                                       "NOPEN,2010-01-01,face\n",
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "A1,L12,110,pension,110105,2024-01,3000,2024-01-28,X1\n"
      "A2,L12,110,pension,110105,2025-02,3000,2025-02-28,X1\n" /* L - C = 12 */
      "B1,L13,110,pension,110105,2024-01,3000,2024-01-28,X2\n"
      "B2,L13,110,pension,110105,2025-03,3000,2025-03-28,X2\n" /* 13: fires */
      "C1,FUT,110,pension,110105,2024-01,3000,2024-01-28,X3\n"  /* cert after as_of */
      "C2,FUT,110,pension,110105,2025-02,3000,2025-02-28,X3\n"  /* L - first = 13 */
      "D1,NOCERT,110,pension,110105,2024-06,3000,2024-06-28,X4\n"
      "D2,NOCERT,110,pension,110105,2025-06,3000,2025-06-28,X4\n" /* 12: no */
      "E1,NOPEN,210,unemployment,110105,2025-06,3000,2025-06-28,X5\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.survival_cert_overdue", "2025-06-30");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "L13", 0);
  assert_true(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 4));
  assert_true(fg_test_has_ev(x, FG_T_SURVIVAL_CERTIFICATIONS, 2));
  x = expect(&f, "FUT", 0);
  assert_int_equal(count_ev(x, FG_T_SURVIVAL_CERTIFICATIONS), 0);
  assert_null(fg_test_find(&f, "L12"));
  assert_null(fg_test_find(&f, "NOCERT"));
  assert_null(fg_test_find(&f, "NOPEN"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_shared_bank_account(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "P1,A,110,pension,110105,2024-01,3000,2024-01-28,ACC1\n"
      "P2,B,110,pension,110105,2024-01,3000,2024-01-28,ACC1\n"
      "P3,C,210,unemployment,110105,2024-01,1500,2024-01-28,ACC1\n"
      "P4,A,110,pension,110105,2024-02,3000,2024-02-28,ACC1\n"   /* 1 person */
      "Q1,A,110,pension,110105,2024-03,3000,2024-03-28,ACC2\n"
      "Q2,A,110,pension,110105,2024-03,3000,2024-03-28,ACC2\n"   /* same person */
      "Q3,B,110,pension,110105,2024-03,3000,2024-03-28,ACC2\n"   /* 2 persons */
      "R1,A,110,pension,110105,2024-04,3000,2024-04-28,ACC3\n"
      "R2,B,110,pension,110105,2024-05,3000,2024-05-28,ACC3\n"
      "R3,C,110,pension,110105,2024-06,3000,2024-06-28,ACC3\n"}); /* other periods */
  fg_findings f = fg_test_run_rule(m, "benefit.shared_bank_account", "2025-01-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "ACC1", 0);
  assert_string_equal(x->subject_type, "bank_account");
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 3);
  assert_false(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 4));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_large_payment_unreviewed(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_BENEFIT_PAYMENTS] = PAY_HEAD
      "PAY1,A,110,lump_sum,110105,2024-01,50000.01,2024-01-28,X\n" /* 1 no operation */
      "PAY2,A,110,lump_sum,110105,2024-01,50000,2024-01-28,X\n"    /* 2 not above */
      "PAY3,A,110,lump_sum,110105,2024-01,60000,2024-01-28,X\n"    /* 3 reviewed */
      "PAY4,A,110,lump_sum,110105,2024-01,60000,2024-01-28,X\n"    /* 4 self review */
      "PAY5,A,110,lump_sum,110105,2024-01,60000,2024-01-28,X\n"    /* 5 no reviewer */
      "PAY6,A,110,lump_sum,110105,2024-01,60000,2024-01-28,X\n",   /* 6 wrong op_type */
      [FG_T_OPERATIONS] = "op_id,op_type,operator_id,reviewer_id,reference,amount,at\n"
                          "O1,payment,S1,S2,PAY3,60000,2024-01-28T10:00:00\n"
                          "O2,payment,S1,S1,PAY4,60000,2024-01-28T10:00:00\n"
                          "O3,payment,S1,,PAY5,60000,2024-01-28T10:00:00\n"
                          "O4,other,S1,S2,PAY6,60000,2024-01-28T10:00:00\n"
                          "O5,payment,S1,S1,PAY3,60000,2024-01-28T10:00:00\n"});
  fg_findings f = fg_test_run_rule(m, "benefit.large_payment_unreviewed", "2025-01-01");
  assert_int_equal(f.n, 4);
  const fg_finding *x = expect(&f, "PAY1", 5000001);
  assert_string_equal(x->subject_type, "payment_id");
  assert_true(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 1));
  x = expect(&f, "PAY4", 6000000);
  assert_true(fg_test_has_ev(x, FG_T_OPERATIONS, 2));
  expect(&f, "PAY5", 6000000);
  expect(&f, "PAY6", 6000000);
  assert_null(fg_test_find(&f, "PAY2"));
  assert_null(fg_test_find(&f, "PAY3"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_maternity_repeat(void **state) {
  (void)state;
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, PAY_HEAD);
  pays(&p, "NINE", "a", "maternity", "2023-01", 3, "4000");
  pays(&p, "NINE", "b", "maternity", "2023-10", 1, "4000"); /* 9 months after 2023-01 */
  pays(&p, "TEN", "a", "maternity", "2023-01", 3, "4000");
  pays(&p, "TEN", "b", "maternity", "2023-11", 2, "4000");  /* 10 months */
  pays(&p, "CONT", "a", "maternity", "2023-01", 12, "4000"); /* one episode */
  pays(&p, "GAP", "a", "maternity", "2023-01", 1, "4000");
  pays(&p, "GAP", "b", "maternity", "2023-03", 1, "4000");  /* new episode, 2 apart */
  pays(&p, "OTHER", "a", "maternity", "2023-01", 1, "4000");
  pays(&p, "OTHER", "b", "pension", "2023-03", 1, "4000");
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_BENEFIT_PAYMENTS] = p.buf});
  fg_findings f = fg_test_run_rule(m, "benefit.maternity_repeat", "2025-01-01");
  assert_int_equal(f.n, 2);
  const fg_finding *x = expect(&f, "NINE", 0);
  assert_int_equal(count_ev(x, FG_T_BENEFIT_PAYMENTS), 2);
  assert_true(fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 1) && fg_test_has_ev(x, FG_T_BENEFIT_PAYMENTS, 4));
  expect(&f, "GAP", 0);
  assert_null(fg_test_find(&f, "TEN"));
  assert_null(fg_test_find(&f, "CONT"));
  assert_null(fg_test_find(&f, "OTHER"));
  fg_findings_release(&f);
  fg_model_free(m);
  fg_buf_release(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paid_after_death),
      cmocka_unit_test(test_paid_after_death_big),
      cmocka_unit_test(test_paid_during_incarceration),
      cmocka_unit_test(test_duplicate_pension),
      cmocka_unit_test(test_unemployment_while_employed),
      cmocka_unit_test(test_unemployment_while_pensioned),
      cmocka_unit_test(test_unemployment_over_entitlement),
      cmocka_unit_test(test_survival_cert_overdue),
      cmocka_unit_test(test_shared_bank_account),
      cmocka_unit_test(test_large_payment_unreviewed),
      cmocka_unit_test(test_maternity_repeat),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
