/*
 * test_rules_fund.c — institution.resigned_within_ban and the fund.* rules
 * (rules_fund.c) on small models built from CSV literals (support_model.h):
 * each rule fires with its exact amount; each boundary of rules.md does not.
 */
#include "testutil.h"

#include <string.h>

#include "support_model.h"

#define AS_OF "2025-06-20"
#define INST_HDR \
  "institution_id,name,kind,agreement_start,agreement_end,terminated_on,termination_reason\n"
#define TXN_HDR \
  "txn_id,account_no,booked_on,direction,amount,counterparty_account,counterparty_kind,reference,purpose\n"

static const fg_finding *expect(const fg_findings *f, const char *subject, int64_t amount_fen) {
  return fg_test_expect(f, subject, amount_fen);
}

static void test_resigned_within_ban(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_INSTITUTIONS] = INST_HDR
      "I1,a,hospital,2020-01-01,,2023-03-10,violation\n"
      "I1,a,hospital,2024-03-09,,,\n" /* last day of the 1-year ban: fires */
      "I2,b,hospital,2020-01-01,,2023-03-10,violation\n"
      "I2,b,hospital,2024-03-10,,,\n" /* ban end is exclusive */
      "I3,c,hospital,2020-01-01,,2024-02-29,illegal\n"
      "I3,c,hospital,2026-02-28,,,\n" /* 2 years from 29 Feb end on 1 March: fires */
      "I4,d,hospital,2020-01-01,,2024-02-29,illegal\n"
      "I4,d,hospital,2026-03-01,,,\n"
      "I5,e,pharmacy,2020-01-01,,2023-03-10,\n" /* terminated without a ban reason */
      "I5,e,pharmacy,2023-06-01,,,\n"
      "I6,f,pharmacy,2020-01-01,,2023-03-10,illegal\n"
      "I6,f,pharmacy,2023-03-09,,,\n" /* started before the termination */
      "I7,g,pharmacy,2023-03-10,,2023-03-10,illegal\n"}); /* only itself */
  fg_findings f = fg_test_run_rule(m, "institution.resigned_within_ban", AS_OF);
  assert_int_equal(f.n, 2);
  assert_int_equal(expect(&f, "I1", 0)->nev, 2);
  expect(&f, "I3", 0);
  assert_string_equal(f.v[0].subject_type, "institution");
  fg_findings_release(&f);
  fg_model_free(m);
}

static const char *const accounts =
    "account_no,scheme,kind,opening_balance,opened_on\n"
    "INC1,110,income,0,2024-01-10\n"
    "INC2,210,income,100,2024-01-01\n"
    "FIS1,110,fiscal_special,0,2020-01-01\n"
    "FIS2,210,fiscal_special,0,2020-01-01\n"
    "EXP1,110,expenditure,0,2020-01-01\n";

static void test_income_balance(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_FUND_ACCOUNTS] = accounts,
      [FG_T_FUND_TRANSACTIONS] = TXN_HDR
      "T1,INC1,2023-12-28,in,100,,employer,,\n" /* counts on opened_on 2024-01-10 */
      "T2,INC1,2024-01-31,out,100,FIS1,fiscal,,sweep\n"
      "T3,INC1,2024-02-10,in,50,,employer,,\n"
      "T4,INC1,2024-03-05,out,50,FIS1,fiscal,,sweep\n"
      "T5,INC1,2025-06-15,in,10,,employer,,\n" /* June 2025 not over at as_of */
      "T6,INC2,2024-01-15,out,100,FIS2,fiscal,,sweep\n"
      "T7,EXP1,2024-01-15,in,100,FIS1,fiscal,,\n"});
  fg_findings f = fg_test_run_rule(m, "fund.income_balance_at_month_end", AS_OF);
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "INC1", 0);
  assert_int_equal(x->nev, 2); /* T3 and the account row */
  assert_non_null(strstr(x->detail, "2024-02"));
  assert_null(strstr(x->detail, "2023-12"));
  fg_findings_release(&f);
  /* once June 2025 is over, its balance of 10 fires too */
  f = fg_test_run_rule(m, "fund.income_balance_at_month_end", "2025-06-30");
  assert_non_null(strstr(expect(&f, "INC1", 0)->detail, "2025-06"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static const char *const outflows =
    TXN_HDR
    "O1,INC1,2024-01-31,out,1,FIS1,fiscal,,sweep\n"      /* sweep: lawful */
    "O2,INC1,2024-01-31,out,2,FIS2,fiscal,,sweep\n"      /* fiscal of another scheme */
    "O3,INC1,2024-01-31,out,3,6222001,person,,refund\n"  /* refund to a person: lawful */
    "O4,INC1,2024-01-31,out,4,6222002,institution,,refund\n"
    "O5,INC1,2024-01-31,out,5,UPPER,fund,,remit_up\n"    /* remit up: lawful */
    "O6,INC1,2024-01-31,out,6,,fund,,remit_up\n"         /* empty counterparty */
    "O7,INC1,2024-01-31,out,7,EXP1,fund,,remit_up\n"     /* own fund account */
    "O8,INC1,2024-01-31,out,8,FIS1,other,,other\n"       /* sweep by account: lawful */
    "O9,INC1,2024-01-31,out,9,,other,,\n"
    "O10,INC1,2024-01-31,in,10,FIS2,fiscal,,\n"
    "O11,EXP1,2024-01-31,out,11,FIS2,fiscal,,\n"
    "O12,EXP1,2024-01-31,out,12,BANKX,bank,,\n"
    "O13,INC2,2024-01-31,out,13,UPPER,employer,,remit_up\n"; /* remit_up needs kind fund */

static void test_income_outflow(void **state) {
  (void)state;
  fg_model *m = fg_test_model(
      (fg_test_tables){[FG_T_FUND_ACCOUNTS] = accounts, [FG_T_FUND_TRANSACTIONS] = outflows});
  fg_findings f = fg_test_run_rule(m, "fund.income_account_outflow", AS_OF);
  assert_int_equal(f.n, 6);
  expect(&f, "O2", 200);
  expect(&f, "O4", 400);
  expect(&f, "O6", 600);
  expect(&f, "O7", 700);
  expect(&f, "O9", 900);
  expect(&f, "O13", 1300);
  assert_string_equal(f.v[0].subject_type, "txn_id");
  fg_findings_release(&f);
  f = fg_test_run_rule(m, "fund.cross_scheme_transfer", AS_OF);
  assert_int_equal(f.n, 2); /* O2 110->210, O11 110->210; O10 is inbound; O12 no fund */
  expect(&f, "O2", 200);
  expect(&f, "O11", 1100);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_unmatched_private_payment(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_FUND_ACCOUNTS] = accounts,
      [FG_T_BENEFIT_PAYMENTS] =
          "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"
          "PAY1,P1,110,pension,110105,2024-01,100,2024-01-15,B1\n"
          /* two payments of one id (a hand-edited store): the first counts */
          "PAY2,P2,110,pension,110105,2024-01,50,2024-01-15,B1\n"
          "PAY2,P3,110,pension,110105,2024-01,60,2024-01-15,B1\n",
      [FG_T_FUND_TRANSACTIONS] = TXN_HDR
      "U1,EXP1,2024-01-15,out,100,B1,person,PAY1,payment\n" /* matches */
      "U2,EXP1,2024-01-15,out,5,B1,person,,payment\n"       /* empty reference */
      "U3,EXP1,2024-01-15,out,99,B1,person,PAY1,payment\n"  /* other amount */
      "U4,EXP1,2024-01-15,out,100,B2,person,PAY1,payment\n" /* other bank account */
      "U5,EXP1,2024-01-15,out,7,B1,person,NOPE,payment\n"   /* no such payment */
      "U6,EXP1,2024-01-15,out,8,B1,employer,,payment\n"     /* not to a person */
      "U7,INC1,2024-01-15,out,9,B1,person,,payment\n"     /* not an expenditure account */
      "U8,EXP1,2024-01-15,out,50,B1,person,PAY2,payment\n" /* the first PAY2 */
      "U9,EXP1,2024-01-15,out,60,B1,person,PAY2,payment\n" /* the second PAY2 does not count */
      "U10,EXP1,2024-01-15,in,1,B1,person,NOPE,payment\n"}); /* money in */
  fg_findings f = fg_test_run_rule(m, "fund.unmatched_private_payment", AS_OF);
  assert_int_equal(f.n, 5);
  assert_int_equal(expect(&f, "U9", 6000)->nev, 2);
  expect(&f, "U2", 500);
  expect(&f, "U3", 9900);
  assert_int_equal(expect(&f, "U4", 10000)->nev, 2);
  expect(&f, "U5", 700);
  fg_findings_release(&f);
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resigned_within_ban),
      cmocka_unit_test(test_income_balance),
      cmocka_unit_test(test_income_outflow),
      cmocka_unit_test(test_unmatched_private_payment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
