/*
 * test_rules_medical.c — the medical.* rules (rules_medical.c) on small
 * models built from CSV literals (support_model.h): every rule fires with
 * its exact amount, and every boundary rules.md names does not fire.
 */
#include <stdio.h>
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "support_model.h"

#define AS_OF "2025-06-30"

static const fg_finding *expect(const fg_findings *f, const char *subject, int64_t amount_fen) {
  return fg_test_expect(f, subject, amount_fen);
}

#define SETT_HDR                                                                          \
  "settlement_id,person_id,institution_id,scheme,visit_type,admit_date,discharge_date,"   \
  "diagnosis,invoice_no,total,fund_paid,settled_on\n"

static const char *const persons =
    "person_id,name,sex,birth_date\n"
    "M1,male,1,1980-05-01\n"
    "F1,female,2,2020-02-29\n";

static const char *const stays =
    SETT_HDR
    /* P1 overlap at two institutions */
    "S1,P1,H1,310,inpatient,2024-01-01,2024-01-10,J18,I1,1,1,2024-01-10\n"
    "S2,P1,H2,310,inpatient,2024-01-05,2024-01-08,J18,I2,1,1,2024-01-08\n"
    /* P2 same-day transfer */
    "S3,P2,H1,310,inpatient,2024-01-01,2024-01-10,J18,I3,1,1,2024-01-10\n"
    "S4,P2,H2,310,inpatient,2024-01-10,2024-01-15,J18,I4,1,1,2024-01-15\n"
    /* P3 no discharge date: takes part in nothing */
    "S5,P3,H1,310,inpatient,2024-01-01,,J18,I5,1,1,2024-01-10\n"
    "S6,P3,H2,310,inpatient,2024-01-02,2024-01-05,J18,I6,1,1,2024-01-05\n"
    "S6o,P3,H3,310,outpatient,2024-01-06,,J18,I6o,1,1,2024-01-06\n"
    /* P4 same institution */
    "S7,P4,H1,310,inpatient,2024-01-01,2024-01-10,J18,I7,1,1,2024-01-10\n"
    "S8,P4,H1,310,inpatient,2024-01-05,2024-01-08,J18,I8,1,1,2024-01-08\n"
    /* P5 outpatient elsewhere during a stay; on admit and discharge day it does not count */
    "S9,P5,H1,310,inpatient,2024-02-01,2024-02-10,J18,I9,1,1,2024-02-10\n"
    "O1,P5,H2,310,outpatient,2024-02-05,,J00,IO1,1,1,2024-02-05\n"
    "S10,P6,H1,310,inpatient,2024-02-01,2024-02-10,J18,I10,1,1,2024-02-10\n"
    "O2,P6,H2,310,outpatient,2024-02-01,,J00,IO2,1,1,2024-02-01\n"
    "O3,P6,H2,310,outpatient,2024-02-10,,J00,IO3,1,1,2024-02-10\n"
    "O4,P6,H1,310,outpatient,2024-02-05,,J00,IO4,1,1,2024-02-05\n"
    /* split admission: 15 days fires, 16 not, 0 fires, short diagnosis never */
    "A1,P12,H1,310,inpatient,2024-01-01,2024-01-10,J18.9,IA1,1,1,2024-01-10\n"
    "A2,P12,H1,310,inpatient,2024-01-25,2024-01-30,J18.0,IA2,1,1,2024-01-30\n"
    "A3,P13,H1,310,inpatient,2024-01-01,2024-01-10,J18.9,IA3,1,1,2024-01-10\n"
    "A4,P13,H1,310,inpatient,2024-01-26,2024-01-30,J18.0,IA4,1,1,2024-01-30\n"
    "A5,P14,H1,310,inpatient,2024-01-01,2024-01-10,K35,IA5,1,1,2024-01-10\n"
    "A6,P14,H1,310,inpatient,2024-01-10,2024-01-12,K35.1,IA6,1,1,2024-01-12\n"
    "A7,P15,H1,310,inpatient,2024-01-01,2024-01-10,J1,IA7,1,1,2024-01-10\n"
    "A8,P15,H1,310,inpatient,2024-01-12,2024-01-14,J1,IA8,1,1,2024-01-14\n"
    "A9,P16,H1,310,inpatient,2024-01-01,2024-01-10,J18,IA9,1,1,2024-01-10\n"
    "A10,P16,H2,310,inpatient,2024-01-12,2024-01-14,J18,IA10,1,1,2024-01-14\n";

static void test_overlapping_inpatient(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_MEDICAL_SETTLEMENTS] = stays});
  fg_findings f = fg_test_run_rule(m, "medical.overlapping_inpatient", AS_OF);
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "P1", 0);
  assert_int_equal(x->nev, 2);
  assert_string_equal(x->subject_type, "person");
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_outpatient_during_inpatient(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_MEDICAL_SETTLEMENTS] = stays});
  fg_findings f = fg_test_run_rule(m, "medical.outpatient_during_inpatient", AS_OF);
  /* P5 fires; P6 (admit day, discharge day, same institution) and P3 (no discharge) do not.
   * P1's S2 is inpatient, not an outpatient visit. */
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "P5", 0)->nev, 2);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_split_admission(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_MEDICAL_SETTLEMENTS] = stays});
  fg_findings f = fg_test_run_rule(m, "medical.split_admission", AS_OF);
  expect(&f, "P12", 0);
  expect(&f, "P14", 0);
  assert_null(fg_test_find(&f, "P13"));
  assert_null(fg_test_find(&f, "P15"));
  assert_null(fg_test_find(&f, "P16"));
  /* P1..P4 pairs: S3->S4 is another institution, S1/S2 overlap (negative gap) */
  assert_int_equal(f.n, 2);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_after_death(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
      "D1,P9,H1,310,outpatient,2024-03-01,,J00,X1,200,100,2024-03-01\n"
      "D2,P9,H1,310,outpatient,2024-03-02,,J00,X2,200,100.50,2024-03-02\n"
      "D3,P9,H1,310,inpatient,2024-04-01,2024-04-05,J00,X3,200,1,2024-04-05\n"
      "D4,P10,H1,310,outpatient,2024-04-01,,J00,X4,200,7,2024-04-01\n",
      [FG_T_DEATHS] = "person_id,death_date,source\n"
                      "P9,2024-03-05,health\nP9,2024-03-01,civil_affairs\n"});
  fg_findings f = fg_test_run_rule(m, "medical.after_death", AS_OF);
  assert_int_equal(f.n, 1);
  expect(&f, "P9", 10150); /* the death date itself does not fire */
  fg_findings_release(&f);
  fg_model_free(m);
}

static const char *const catalog =
    "item_code,name,category,in_scope,max_unit_price,max_qty_per_day,sex_limit,min_age,max_age\n"
    "FEM,female only,exam,Y,,,2,,\n"
    "KID,children,drug,Y,,,,,6\n"
    "OLD,adults,drug,Y,,,,18,\n"
    "PR,priced,drug,Y,10.00,,,,\n"
    "QT,limited,drug,Y,,2,,,\n"
    "NS,not in scope,drug,N,,,,,\n"
    "BED,bed,bed,Y,,,,,\n"
    "DRUG,drug,drug,Y,,,,,\n";

#define ITEM_HDR "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,fund_amount\n"

static const char *const item_setts =
    SETT_HDR
    "X1,M1,H1,310,outpatient,2024-01-01,,J00,N1,1,1,2024-01-01\n"
    "X2,F1,H1,310,outpatient,2024-01-01,,J00,N2,1,1,2024-01-01\n"
    "X3,M1,H1,310,outpatient,2024-01-02,,J00,N3,1,1,2024-01-02\n"
    "X4,F1,H1,310,outpatient,2026-03-01,,J00,N4,1,1,2026-03-01\n"
    "X5,F1,H1,310,outpatient,2026-03-01,,J00,N5,1,1,2026-03-01\n"
    "X6,NOPERSON,H1,310,outpatient,2024-01-01,,J00,N6,1,1,2024-01-01\n";

static const char *const items =
    ITEM_HDR
    /* X1 (male, 43): FEM fires sex; KID fires age; UNKNOWN never */
    "X1,1,FEM,2024-01-01,1,5,5,5\n"
    "X1,2,KID,2024-01-01,1,5,5,5\n"
    "X1,3,UNKNOWN,2024-01-01,1,5,5,0\n"
    /* X2 (female, 3): FEM fine; OLD fires age; KID fine */
    "X2,1,FEM,2024-01-01,1,5,5,5\n"
    "X2,2,OLD,2024-01-01,1,5,5,5\n"
    "X2,3,KID,2024-01-01,1,5,5,5\n"
    /* X3 prices: 0.4 fen -> 0 (fires anyway), 300 fen, 0.5 fen -> 1; exactly max no */
    "X3,1,PR,2024-01-02,0.4,10.01,4,0\n"
    "X3,2,PR,2024-01-02,1.5,12.00,18,0\n"
    "X3,3,PR,2024-01-02,0.5,10.01,5,0\n"
    "X3,4,PR,2024-01-02,3,10.00,30,0\n"
    /* X4 quantity: exactly at max on 03-01 (1+1), 1.5 + 1.5 on different dates */
    "X4,1,QT,2026-03-01,1,1,1,0\n"
    "X4,2,QT,2026-03-01,1,1,1,0\n"
    "X4,3,QT,2026-03-02,1.5,1,1,0\n"
    "X4,4,QT,2026-03-03,1.5,1,1,0\n"
    /* X5 quantity over: 1.5 + 1 on one date; out of scope: NS 5, unknown 3 */
    "X5,1,QT,2026-03-01,1.5,1,1,0\n"
    "X5,2,QT,2026-03-01,1,1,1,0\n"
    "X5,3,NS,2026-03-01,1,5,5,5\n"
    "X5,4,UNKNOWN,2026-03-01,1,3,3,3\n"
    "X5,5,NS,2026-03-01,1,5,5,0\n"
    "X5,6,DRUG,2026-03-01,1,100,100,100\n"
    /* X6: person without a persons row: sex and age never fire */
    "X6,1,FEM,2024-01-01,1,5,5,5\n"
    "X6,2,KID,2024-01-01,1,5,5,5\n";

static fg_model *item_model(void) {
  return fg_test_model((fg_test_tables){[FG_T_PERSONS] = persons,
                                        [FG_T_MEDICAL_SETTLEMENTS] = item_setts,
                                        [FG_T_MEDICAL_ITEMS] = items,
                                        [FG_T_CATALOG] = catalog});
}

static void test_sex_age(void **state) {
  (void)state;
  fg_model *m = item_model();
  fg_findings f = fg_test_run_rule(m, "medical.sex_mismatch", AS_OF);
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "X1", 0);
  assert_int_equal(x->nev, 1);
  assert_int_equal(x->ev[0].row, 1);
  assert_string_equal(x->subject_type, "settlement_id");
  fg_findings_release(&f);
  f = fg_test_run_rule(m, "medical.age_mismatch", AS_OF);
  assert_int_equal(f.n, 2);
  assert_int_equal(expect(&f, "X1", 0)->ev[0].row, 2);
  assert_int_equal(expect(&f, "X2", 0)->ev[0].row, 5);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_price_quantity_scope(void **state) {
  (void)state;
  fg_model *m = item_model();
  fg_findings f = fg_test_run_rule(m, "medical.price_over_limit", AS_OF);
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "X3", 301)->nev, 3);
  fg_findings_release(&f);
  f = fg_test_run_rule(m, "medical.quantity_over_limit", AS_OF);
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "X5", 0)->nev, 2);
  fg_findings_release(&f);
  f = fg_test_run_rule(m, "medical.out_of_scope_charged", AS_OF);
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "X5", 800)->nev, 2);
  fg_findings_release(&f);
  fg_model_free(m);
}

/* Issue 12.13: ten lines of the largest quantity on one day would wrap a
 * plain int64 sum negative and hide the finding; the sum saturates, the
 * finding fires and the saturation is counted. */
static void test_quantity_sum_saturates(void **state) {
  (void)state;
  char buf[4096];
  int n = snprintf(buf, sizeof buf, ITEM_HDR);
  for (int i = 1; i <= 10; i++)
    n += snprintf(buf + n, sizeof buf - (size_t)n, "X5,%d,QT,2026-03-01,999999999999999.999,0,0,0\n", i);
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_PERSONS] = persons,
                                               [FG_T_MEDICAL_SETTLEMENTS] = item_setts,
                                               [FG_T_MEDICAL_ITEMS] = buf,
                                               [FG_T_CATALOG] = catalog});
  const int64_t before = fg_saturations();
  fg_findings f = fg_test_run_rule(m, "medical.quantity_over_limit", AS_OF);
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "X5", 0)->nev, 10);
  assert_true(fg_saturations() > before);
  fg_findings_release(&f);
  fg_model_free(m);
  assert_int_equal(fg_add_sat(INT64_MAX - 1, 5), INT64_MAX);
  assert_int_equal(fg_add_sat(INT64_MIN + 1, -5), INT64_MIN);
  assert_int_equal(fg_add_sat(-5, 7), 2);
}

static void test_duplicate_invoice(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
      "DA,P1,H1,310,outpatient,2024-02-01,,J00,INV1,50,10,2024-02-02\n"
      "DC,P2,H1,410,outpatient,2024-02-01,,J00,INV1,50,20,2024-02-01\n"
      "DB,P3,H1,310,outpatient,2024-02-01,,J00,INV1,50,30,2024-02-01\n"
      "DD,P3,H2,310,outpatient,2024-02-01,,J00,INV1,50,40,2024-02-01\n"
      "DE,P3,H2,310,outpatient,2024-02-01,,J00,INV2,50,40,2024-02-01\n"});
  fg_findings f = fg_test_run_rule(m, "medical.duplicate_invoice", AS_OF);
  assert_int_equal(f.n, 1);
  /* earliest: settled 02-01, tie broken by the smaller id DB; the rest 10 + 20 yuan */
  const fg_finding *x = expect(&f, "H1/INV1", 3000);
  assert_int_equal(x->nev, 3);
  assert_string_equal(x->subject_type, "institution_id/invoice_no");
  assert_non_null(strstr(x->detail, "最早的结算 DB"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_outside_agreement(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_INSTITUTIONS] =
          "institution_id,name,kind,agreement_start,agreement_end,terminated_on,termination_reason\n"
          "H1,a,hospital,2020-01-01,2024-12-31,,\n"
          "H2,b,hospital,2020-01-01,2030-12-31,2024-06-01,violation\n"
          "H3,c,pharmacy,2020-01-01,,,\n",
      [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
      "G1,P1,H1,310,outpatient,2024-12-31,,J00,V1,9,1,2024-12-31\n"
      "G2,P1,H1,310,outpatient,2025-01-01,,J00,V2,9,2.5,2025-01-01\n"
      "G3,P1,H2,310,outpatient,2024-05-31,,J00,V3,9,3,2024-05-31\n"
      "G4,P1,H2,310,outpatient,2024-06-01,,J00,V4,9,4,2024-06-01\n"
      "G5,P1,H3,310,outpatient,2030-01-01,,J00,V5,9,5,2030-01-01\n"
      "G6,P1,H4,310,outpatient,2024-01-01,,J00,V6,9,6,2024-01-01\n"
      "G7,P1,H3,310,outpatient,2019-12-31,,J00,V7,9,7,2019-12-31\n"});
  fg_findings f = fg_test_run_rule(m, "medical.outside_agreement", AS_OF);
  assert_int_equal(f.n, 4);
  expect(&f, "G2", 250); /* after agreement_end */
  expect(&f, "G4", 400); /* terminated_on is exclusive; agreement_end ignored */
  expect(&f, "G6", 600); /* no agreement at all */
  expect(&f, "G7", 700); /* before agreement_start */
  fg_findings_release(&f);
  fg_model_free(m);
}

/* n outpatient visits of person in 2024-03 (and one in 2024-04). */
static void add_visits(fg_buf *b, const char *person, int n) {
  for (int i = 0; i < n; i++)
    fg_buf_addf(b, "%s-%d,%s,H1,310,outpatient,2024-03-%02d,,J00,%s-%d,1,1,2024-03-%02d\n", person,
                i, person, i % 28 + 1, person, i, i % 28 + 1);
  fg_buf_addf(b, "%s-x,%s,H1,310,outpatient,2024-04-01,,J00,%s-x,1,1,2024-04-01\n", person,
              person, person);
  fg_buf_addf(b, "%s-y,%s,H1,310,inpatient,2024-03-05,2024-03-06,J00,%s-y,1,1,2024-03-06\n",
              person, person, person);
}

static void test_high_frequency(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, SETT_HDR);
  add_visits(&b, "P20", 20);
  add_visits(&b, "P21", 21);
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_MEDICAL_SETTLEMENTS] = b.buf});
  fg_findings f = fg_test_run_rule(m, "medical.high_frequency", AS_OF);
  assert_int_equal(f.n, 1);
  assert_int_equal(expect(&f, "P21", 0)->nev, 21);
  fg_findings_release(&f);
  fg_model_free(m);
  fg_buf_release(&b);
}

static void test_bed_hanging(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CATALOG] = catalog,
      [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
      "B1,P1,H1,310,inpatient,2024-01-01,2024-01-07,J00,W1,9,1,2024-01-07\n"
      "B2,P2,H1,310,inpatient,2024-01-01,2024-01-07,J00,W2,9,1,2024-01-07\n"
      "B3,P3,H1,310,inpatient,2024-01-01,2024-01-05,J00,W3,9,1,2024-01-05\n"
      "B4,P4,H1,310,inpatient,2024-01-01,2024-01-07,J00,W4,9,1,2024-01-07\n"
      "B5,P5,H1,310,inpatient,2024-01-01,2024-01-07,J00,W5,9,1,2024-01-07\n"
      "B6,P6,H1,310,inpatient,2024-01-01,,J00,W6,9,1,2024-01-07\n",
      [FG_T_MEDICAL_ITEMS] = ITEM_HDR
      "B1,1,BED,2024-01-03,1,1,1,1\nB1,2,DRUG,2024-01-01,1,1,1,1\nB1,3,DRUG,2024-01-02,1,1,1,1\n"
      "B1,4,DRUG,2024-01-02,1,1,1,1\n"
      "B2,1,DRUG,2024-01-01,1,1,1,1\nB2,2,DRUG,2024-01-02,1,1,1,1\nB2,3,DRUG,2024-01-03,1,1,1,1\n"
      "B4,1,UNKNOWN,2024-01-01,1,1,1,1\nB4,2,UNKNOWN,2024-01-02,1,1,1,1\n"
      "B4,3,UNKNOWN,2024-01-03,1,1,1,1\n"
      "B5,1,DRUG,2024-01-01,1,1,1,1\nB5,2,DRUG,2024-01-07,1,1,1,1\nB5,3,DRUG,2023-12-31,1,1,1,1\n"});
  fg_findings f = fg_test_run_rule(m, "medical.bed_hanging", AS_OF);
  /* B1: 2 active of 6 fires; B2: 3 of 6 (2x3 = 6) no; B3: stay 4 never; B4: unknown
   * items are care, 3 of 6 no; B5: only 01-01 counts (discharge day and before admit
   * do not), fires; B6: no discharge date */
  assert_int_equal(f.n, 2);
  expect(&f, "B1", 0);
  expect(&f, "B5", 0);
  fg_findings_release(&f);
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_overlapping_inpatient), cmocka_unit_test(test_outpatient_during_inpatient),
      cmocka_unit_test(test_split_admission),       cmocka_unit_test(test_after_death),
      cmocka_unit_test(test_sex_age),               cmocka_unit_test(test_price_quantity_scope),
      cmocka_unit_test(test_quantity_sum_saturates),
      cmocka_unit_test(test_duplicate_invoice),     cmocka_unit_test(test_outside_agreement),
      cmocka_unit_test(test_high_frequency),        cmocka_unit_test(test_bed_hanging),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
