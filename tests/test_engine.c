/*
 * test_engine.c — the screening engine's core: the model builder (person
 * keys, upper-casing, earliest death, sorting and offsets, item, catalogue
 * and account links, merging two builders), running rules with absent
 * inputs skipped, determinism, and a run stored and read back.
 *
 * Engine tests use a test-local rule table through fg_screen_run_rules()
 * (engine.h) so they do not depend on the 48 catalogue rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build.h"
#include "screen/engine.h"
#include "store/store.h"
#include "support_model.h"
#include "testutil.h"

static const char *const PERSONS =
    "person_id,name,sex,birth_date,region\n"
    "11010519491231002x,张三,1,1949-12-31,110105\n"
    "ab12,李四,2,1980-02-29,\n";

static void test_pk_interning(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = PERSONS,
      [FG_T_DEATHS] = "person_id,death_date,source\n"
                      "AB12,2024-05-01,health\n"
                      "ab12,2024-04-30,civil_affairs\n"
                      "999,2020-01-01,court\n"
                      "ab12,2024-06-01,funeral\n",
  });
  assert_int_equal(m->npk, 3);
  fg_pk a = fg_model_find_pk(m, "11010519491231002X");
  fg_pk b = fg_model_find_pk(m, "AB12");
  fg_pk c = fg_model_find_pk(m, "999");
  assert_true(a >= 0 && b >= 0 && c >= 0);
  assert_int_equal(fg_model_find_pk(m, "11010519491231002x"), a);
  assert_int_equal(fg_model_find_pk(m, "Ab12"), b);
  assert_int_equal(fg_model_find_pk(m, "nobody"), -1);
  assert_string_equal(m->pk_id[b], "AB12");
  assert_string_equal(m->pk_id[a], "11010519491231002X");
  assert_int_equal(m->pk_person[a], 0);
  assert_int_equal(m->pk_person[b], 1);
  assert_int_equal(m->pk_person[c], -1); /* named only by deaths.csv */
  assert_int_equal(m->pk_death[b], fg_day_from_ymd(2024, 4, 30));
  assert_int_equal(m->pk_death[c], fg_day_from_ymd(2020, 1, 1));
  assert_int_equal(m->pk_death[a], FG_NODAY);
  assert_int_equal(m->persons[1].sex, FG_SEX_FEMALE);
  assert_int_equal(m->persons[1].birth, fg_day_from_ymd(1980, 2, 29));
  assert_int_equal(m->persons[1].region, 0);
  assert_string_equal(m->str[m->persons[0].region], "110105");
  /* deaths by pk then date; offsets cover every pk */
  assert_int_equal(m->deaths_off[m->npk], 4);
  int64_t lo = m->deaths_off[b], hi = m->deaths_off[b + 1];
  assert_int_equal(hi - lo, 3);
  assert_int_equal(m->deaths[lo].death_date, fg_day_from_ymd(2024, 4, 30));
  assert_int_equal(m->deaths[lo].row, 2);
  assert_int_equal(m->deaths[lo + 2].row, 4);
  assert_true(m->present[FG_T_DEATHS] && m->present[FG_T_PERSONS]);
  assert_false(m->present[FG_T_CONTRIBUTIONS]);
  assert_int_equal(m->contributions_off[0], 0);
  assert_int_equal(m->contributions_off[m->npk], 0);
  fg_model_free(m);
}

/* Contributions' and benefit payments' packed fields (model.h, decision
 * 90) give back every value the data standard allows, at both ends of its
 * ranges, and the absent ones. */
static void test_packed_fields(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CONTRIBUTIONS] =
          "person_id,employer_id,scheme,region,period,base,amount,paid_date,kind\n"
          "P1,,9999,999999,2099-12,0,0,2099-12-31,back_payment\n"
          "P2,,110,110105,1900-01,0,0,1900-01-01,normal\n"
          "P3,,0,000000,,0,0,,\n"
          "P4,,,,,0,0,,\n",
      [FG_T_BENEFIT_PAYMENTS] =
          "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"
          "B1,P1,9999,lump_sum,410122,2099-12,1,2099-12-31,A1\n"
          "B2,P2,110,pension,410122,1900-01,1,1900-01-01,A1\n"
          "B3,P3,,,,,1,,\n",
  });
  const fg_m_contribution *c = m->contributions;
  const fg_m_payment *p = m->payments;
  const fg_pk p1 = fg_model_find_pk(m, "P1"), p2 = fg_model_find_pk(m, "P2");
  const fg_pk p3 = fg_model_find_pk(m, "P3"), p4 = fg_model_find_pk(m, "P4");
  const fg_m_contribution *c1 = &c[m->contributions_off[p1]], *c2 = &c[m->contributions_off[p2]];
  const fg_m_contribution *c3 = &c[m->contributions_off[p3]], *c4 = &c[m->contributions_off[p4]];
  assert_int_equal(fg_mc_scheme(c1), 9999);
  assert_int_equal(fg_mc_region(c1), 999999);
  assert_int_equal(fg_mc_period(c1), fg_month_from_ym(2099, 12));
  assert_int_equal(fg_mc_paid(c1), fg_day_from_ymd(2099, 12, 31));
  assert_int_equal(fg_mc_kind(c1), FG_CONTRIB_BACK);
  assert_int_equal(fg_mc_scheme(c2), 110);
  assert_int_equal(fg_mc_region(c2), 110105);
  assert_int_equal(fg_mc_period(c2), fg_month_from_ym(1900, 1));
  assert_int_equal(fg_mc_paid(c2), fg_day_from_ymd(1900, 1, 1));
  assert_int_equal(fg_mc_kind(c2), FG_CONTRIB_NORMAL);
  assert_int_equal(fg_mc_region(c3), 0); /* "000000" is a code, not empty */
  assert_int_equal(fg_mc_scheme(c3), 0);
  assert_int_equal(fg_mc_region(c4), -1);
  assert_int_equal(fg_mc_period(c4), FG_NOMONTH);
  assert_int_equal(fg_mc_paid(c4), FG_NODAY);
  assert_int_equal(fg_mc_kind(c4), FG_CONTRIB_NORMAL);
  const fg_m_payment *b1 = &p[m->payments_off[p1]], *b2 = &p[m->payments_off[p2]];
  const fg_m_payment *b3 = &p[m->payments_off[p3]];
  assert_int_equal(fg_mp_scheme(b1), 9999);
  assert_int_equal(fg_mp_type(b1), FG_BEN_LUMP_SUM);
  assert_int_equal(fg_mp_period(b1), fg_month_from_ym(2099, 12));
  assert_int_equal(b1->paid, fg_day_from_ymd(2099, 12, 31));
  fg_uid_buf ub;
  assert_string_equal(fg_m_uid(m, b1->payment_uid, &ub), "B1");
  assert_int_equal(fg_mp_scheme(b2), 110);
  assert_int_equal(fg_mp_type(b2), FG_BEN_PENSION);
  assert_int_equal(fg_mp_period(b2), fg_month_from_ym(1900, 1));
  assert_int_equal(fg_mp_period(b3), FG_NOMONTH);
  assert_int_equal(fg_mp_scheme(b3), 0);
  assert_int_equal(b3->paid, FG_NODAY);
  fg_model_free(m);
}

/* A medical item's quantity and money are 4-byte fg_fen32: values of 2^31
 * and more are escaped (model.h) and still come back exactly; lines sort by
 * number (an escaped line number, which only an edited store can hold, is
 * test_load's test_item_escaped_lines). */
static void test_item_big_numbers(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_MEDICAL_SETTLEMENTS] =
          "settlement_id,person_id,institution_id,scheme,visit_type,admit_date,discharge_date,"
          "diagnosis,invoice_no,total,fund_paid,settled_on\n"
          "S1,P1,H1,310,outpatient,2024-01-05,,J18,I1,100,50,2024-01-05\n",
      [FG_T_MEDICAL_ITEMS] =
          "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,fund_amount\n"
          "S1,999999999,C1,2024-01-05,3000000.5,30000000,1,30000000\n"
          "S1,5,C1,2024-01-05,1,1,1,1\n"
          "S1,7,C1,2024-01-05,1,21474836.48,1,21474836.47\n"
          "S1,6,C1,2024-01-05,1,1,1,1\n",
  });
  assert_int_equal(m->nitems, 4);
  static const int64_t lines[] = {5, 6, 7, 999999999};
  for (int i = 0; i < 4; i++) assert_int_equal(fg_m_fen(m, m->items[i].line_f32), lines[i]);
  assert_int_equal(fg_m_fen(m, m->items[2].unit_price_f32), 2147483648LL);
  assert_int_equal(fg_m_fen(m, m->items[2].fund_amount_f32), 2147483647LL);
  assert_int_equal(fg_m_fen(m, m->items[3].qty_milli_f32), 3000000500LL);
  assert_int_equal(fg_m_fen(m, m->items[3].unit_price_f32), 3000000000LL);
  assert_true((m->items[3].unit_price_f32 & FG_FEN32_BIG) &&
              !(m->items[2].fund_amount_f32 & FG_FEN32_BIG));
  fg_model_free(m);
}

/* The payment ids' blob is front-coded (model.h FG_UID_HEAD, decision 92):
 * every text comes back whole; ids that share their start with the head
 * before them are deltas, a run of ids that shares more with the id before
 * it than with the head starts a new head, and a text longer than
 * FG_UID_DELTA_TEXT_MAX or one that shares little is a head. The blob is
 * smaller than the texts. */
static void test_uid_front_coding(void **state) {
  (void)state;
  static const char *const ids[] = {
      "BP00009999990118", "BP00009999990119", "BP00009999990120", /* head, deltas */
      "BP00009999980001", /* shares 11 with the head and with the id before: a delta */
      "BP00009999980002", /* shares 14 with the id before, 11 with the head: a head */
      "X1", "X2",         /* share nothing, then 1 byte: heads */
      "BP0000999998000300000000000000000000000000000000000000000000000000001", /* 69 > 64 */
      "BP00009999980004"}; /* a delta against the long head */
  enum { N = sizeof ids / sizeof ids[0] };
  static const bool head[N] = {true, false, false, false, true, true, true, true, false};
  char csv[4096];
  size_t n = (size_t)snprintf(csv, sizeof csv,
                              "payment_id,person_id,scheme,benefit_type,region,period,amount,"
                              "paid_date,bank_account\n");
  size_t raw = 0;
  for (int i = 0; i < N; i++) {
    n += (size_t)snprintf(csv + n, sizeof csv - n, "%s,P1,110,pension,,2024-%02d,1,,\n", ids[i],
                          i + 1);
    raw += strlen(ids[i]) + 1;
  }
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_BENEFIT_PAYMENTS] = csv});
  assert_int_equal(m->npayments, N);
  fg_uid_buf ub;
  for (int i = 0; i < N; i++) { /* one person, by period: row i is ids[i] */
    const fg_m_payment *p = &m->payments[i];
    assert_string_equal(fg_m_uid(m, p->payment_uid, &ub), ids[i]);
    assert_int_equal(m->uid[0][p->payment_uid] == FG_UID_HEAD, head[i]);
  }
  assert_true(m->uid_bytes[0] + m->uid_bytes[1] < raw);
  fg_model_free(m);
}

static void test_sort_offsets(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_CONTRIBUTIONS] =
          "person_id,employer_id,scheme,region,period,base,amount,paid_date,kind\n"
          "P2,,110,110105,2024-03,5000,400.5,2024-04-01,normal\n"
          "P1,E1,110,110105,2024-02,6000,480,2024-03-01,normal\n"
          "P2,,110,110105,2024-01,5000,400,2024-02-15,back_payment\n"
          "P2,,110,110105,2024-01,5000,400,2024-02-01,normal\n"
          "P1,E1,110,110105,2024-01,6000,480,2024-02-01,normal\n",
      [FG_T_EMPLOYERS] = "employer_id,name\n",
  });
  fg_pk p1 = fg_model_find_pk(m, "P1"), p2 = fg_model_find_pk(m, "P2");
  assert_int_equal(m->ncontributions, 5);
  const fg_m_contribution *c = m->contributions;
  int64_t o1 = m->contributions_off[p1], o2 = m->contributions_off[p2];
  assert_int_equal(m->contributions_off[p1 + 1] - o1, 2);
  assert_int_equal(m->contributions_off[p2 + 1] - o2, 3);
  assert_int_equal(c[o1].row, 5);
  assert_int_equal(c[o1 + 1].row, 2);
  assert_int_equal(c[o2].row, 4); /* same period: paid first */
  assert_int_equal(c[o2 + 1].row, 3);
  assert_int_equal(fg_mc_kind(&c[o2 + 1]), FG_CONTRIB_BACK);
  assert_int_equal(c[o2 + 2].row, 1);
  assert_int_equal(fg_m_fen(m, c[o2 + 2].amount_f32), 40050);
  assert_int_equal(fg_m_fen(m, c[o2 + 2].base_f32), 500000);
  assert_int_equal(fg_mc_period(&c[o2 + 2]), fg_month_from_ym(2024, 3));
  assert_int_equal(c[o2].employer_id, 0);
  assert_string_equal(m->str[c[o1].employer_id], "E1");
  assert_int_equal(fg_mc_scheme(&c[o1]), 110);
  assert_true(m->present[FG_T_EMPLOYERS]);
  assert_int_equal(m->nemployers, 0);
  fg_model_free(m);
}

static const char *const SETTLEMENTS =
    "settlement_id,person_id,institution_id,scheme,visit_type,admit_date,discharge_date,"
    "diagnosis,invoice_no,total,fund_paid,settled_on\n"
    "S2,P1,H1,310,inpatient,2024-03-01,2024-03-10,J18.9,INV2,1000,800,2024-03-11\n"
    "S1,P1,H1,310,outpatient,2024-01-05,,,INV1,100,50,2024-01-05\n"
    "S3,P2,H2,390,outpatient,2024-02-01,,,INV3,10,5,2024-02-01\n";

static void test_item_linking(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_MEDICAL_SETTLEMENTS] = SETTLEMENTS,
      [FG_T_MEDICAL_ITEMS] =
          "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,fund_amount\n"
          "S2,2,C2,2024-03-02,1.5,10,15,10\n"
          "S1,1,C1,2024-01-05,1,100,100,50\n"
          "S2,1,C9,2024-03-01,2,5.25,10.5,0\n"
          "SX,1,C1,2024-01-01,1,1,1,1\n",
      [FG_T_CATALOG] = "item_code,name,category,in_scope,max_unit_price,max_qty_per_day,"
                       "sex_limit,min_age,max_age\n"
                       "C2,床位费,bed,Y,20,1,,,\n"
                       "C1,青霉素,drug,N,,,2,0,12\n",
  });
  fg_pk p1 = fg_model_find_pk(m, "P1");
  int64_t s0 = m->settlements_off[p1];
  assert_int_equal(m->settlements_off[p1 + 1] - s0, 2);
  const fg_m_settlement *a = &m->settlements[s0], *b = &m->settlements[s0 + 1];
  assert_string_equal(m->str[a->settlement_id], "S1"); /* by admit */
  assert_string_equal(m->str[b->settlement_id], "S2");
  assert_int_equal(a->items_count, 1);
  assert_int_equal(b->items_count, 2);
  assert_int_equal(b->discharge, fg_day_from_ymd(2024, 3, 10));
  assert_int_equal(a->discharge, FG_NODAY);
  assert_int_equal(a->diagnosis, 0);
  assert_int_equal(b->visit, FG_VISIT_INPATIENT);
  const fg_m_item *it = &m->items[b->items_first];
  assert_int_equal(fg_m_fen(m, it[0].line_f32), 1);
  assert_int_equal(fg_m_fen(m, it[0].qty_milli_f32), 2000);
  assert_int_equal(fg_m_fen(m, it[0].unit_price_f32), 525);
  assert_int_equal(fg_m_fen(m, it[0].fund_amount_f32), 0);
  assert_int_equal(it[0].catalog, -1); /* C9 outside the catalogue */
  assert_int_equal(fg_m_fen(m, it[1].line_f32), 2);
  assert_int_equal(fg_m_fen(m, it[1].qty_milli_f32), 1500);
  assert_int_equal(fg_m_fen(m, it[1].fund_amount_f32), 1000);
  assert_int_equal(it[0].settlement, (int32_t)(s0 + 1));
  assert_true(it[1].catalog >= 0);
  assert_int_equal(m->catalog[it[1].catalog].category, FG_CAT_BED);
  /* catalogue sorted by item_code; absent numbers -1 */
  assert_string_equal(m->str[m->catalog[0].item_code], "C1");
  assert_false(m->catalog[0].in_scope);
  assert_int_equal(m->catalog[0].sex_limit, FG_SEX_FEMALE);
  assert_int_equal(m->catalog[0].max_unit_price_fen, -1);
  assert_int_equal(m->catalog[0].max_age, 12);
  assert_int_equal(m->catalog[1].max_qty_milli, 1000);
  assert_int_equal(m->catalog[1].sex_limit, FG_SEX_NONE);
  assert_int_equal(m->catalog[1].min_age, -1);
  /* the orphan item comes last, linked to nothing */
  assert_int_equal(m->nitems, 4);
  assert_int_equal(m->items[3].settlement, -1);
  assert_string_equal(m->str[m->items[3].settlement_id], "SX");
  fg_model_free(m);
}

static void test_accounts_txns(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_FUND_ACCOUNTS] = "account_no,scheme,kind,opening_balance,opened_on\n"
                             "B,110,expenditure,0,2020-01-01\n"
                             "A,110,income,100,2020-01-01\n",
      [FG_T_FUND_TRANSACTIONS] =
          "txn_id,account_no,booked_on,direction,amount,counterparty_account,"
          "counterparty_kind,reference,purpose\n"
          "T3,B,2024-01-02,out,5,,person,PAY1,payment\n"
          "T2,A,2024-01-02,out,100,B,fund,,\n"
          "T1,A,2024-01-02,in,100,X,employer,,\n"
          "T0,Z,2024-01-01,in,1,,other,,\n",
      [FG_T_OPERATIONS] = "op_id,op_type,operator_id,reviewer_id,approver_id,"
                          "subject_person_id,reference,amount,at\n"
                          "O1,payment,S1,,,p9x,PAY1,60000,2024-01-02T19:00:01\n"
                          "O2,other,S1,S2,,,,,2024-01-02T08:00:00\n",
  });
  assert_string_equal(m->str[m->accounts[0].account_no], "A");
  assert_int_equal(m->accounts[0].kind, FG_ACC_INCOME);
  assert_int_equal(m->accounts[0].opening_fen, 10000);
  const fg_m_txn *t = m->txns;
  assert_string_equal(m->str[t[0].txn_id], "T1"); /* account A, same day, txn_id order */
  assert_string_equal(m->str[t[1].txn_id], "T2");
  assert_int_equal(t[1].cp_fund_account, 1);
  assert_int_equal(t[1].cp_kind, FG_CP_FUND);
  assert_int_equal(t[1].purpose, FG_PURPOSE_NONE);
  assert_int_equal(t[0].cp_fund_account, -1);
  assert_string_equal(m->str[t[2].txn_id], "T3");
  assert_int_equal(t[2].account, 1);
  assert_int_equal(t[2].cp_fund_account, -1);
  assert_int_equal(t[2].purpose, FG_PURPOSE_PAYMENT);
  assert_int_equal(t[2].dir, FG_DIR_OUT);
  assert_string_equal(m->str[t[3].txn_id], "T0"); /* unknown account last */
  assert_int_equal(t[3].account, -1);
  assert_int_equal(m->operations[0].subject_pk, fg_model_find_pk(m, "P9X"));
  assert_int_equal(m->operations[0].amount_fen, 6000000);
  assert_int_equal(m->operations[1].amount_fen, -1);
  assert_int_equal(m->operations[1].subject_pk, -1);
  assert_int_equal(m->operations[0].op_type, FG_OP_PAYMENT);
  assert_int_equal(m->operations[0].reviewer_id, 0);
  assert_int_equal(m->operations[0].reference, fg_model_find_sid(m, "PAY1"));
  assert_int_equal(m->operations[0].at_s - m->operations[1].at_s, 11 * 3600 + 1);
  fg_model_free(m);
}

/* Two builders merged give the same model as one builder fed everything. */
static void test_absorb(void **state) {
  (void)state;
  fg_value p[5], d[3];
  fg_model_builder *one = fg_mb_new(), *a = fg_mb_new(), *b = fg_mb_new();
  p[0] = (fg_value){.s = "X1", .n = 2};
  p[1] = (fg_value){.s = "n", .n = 1};
  p[2] = (fg_value){.s = "1", .n = 1};
  p[3] = (fg_value){.s = "1950-01-01", .n = 10};
  p[4] = (fg_value){.s = "110000", .n = 6};
  d[0] = (fg_value){.s = "X2", .n = 2};
  d[1] = (fg_value){.s = "2020-01-01", .n = 10};
  d[2] = (fg_value){.s = "court", .n = 5};
  fg_mb_add(one, FG_T_PERSONS, 1, p);
  fg_mb_add(one, FG_T_DEATHS, 1, d);
  fg_mb_add(a, FG_T_PERSONS, 1, p);
  fg_mb_present(b, FG_T_INCARCERATIONS);
  fg_mb_add(b, FG_T_DEATHS, 1, d);
  fg_mb_absorb(a, b);
  fg_model *m1 = fg_mb_finish(one), *m2 = fg_mb_finish(a);
  assert_int_equal(m1->npk, m2->npk);
  for (int32_t k = 0; k < m1->npk; k++) assert_string_equal(m1->pk_id[k], m2->pk_id[k]);
  assert_int_equal(m1->nstr, m2->nstr);
  assert_int_equal(m2->deaths[0].pk, fg_model_find_pk(m2, "X2"));
  assert_int_equal(m2->pk_death[m2->deaths[0].pk], fg_day_from_ymd(2020, 1, 1));
  assert_true(m2->present[FG_T_INCARCERATIONS]);
  assert_false(m1->present[FG_T_INCARCERATIONS]);
  fg_model_free(m1);
  fg_model_free(m2);
}


/* ---- engine: test-local rules ---------------------------------------------- */

static void rule_each_person(const fg_rule_ctx *ctx, fg_findings *out) {
  for (int32_t i = ctx->m->npersons - 1; i >= 0; i--) { /* reverse on purpose */
    const fg_m_person *p = &ctx->m->persons[i];
    fg_evidence ev = {FG_T_PERSONS, p->row};
    fg_findings_add(out, "t.each_person", "person", ctx->m->pk_id[p->pk], 100 + i, "a, \"b\"",
                    &ev, 1);
  }
}

static void rule_dead(const fg_rule_ctx *ctx, fg_findings *out) {
  for (int32_t pk = 0; pk < ctx->m->npk; pk++)
    if (ctx->m->pk_death[pk] != FG_NODAY && ctx->m->pk_death[pk] <= ctx->as_of)
      fg_findings_add(out, "t.dead", "person", ctx->m->pk_id[pk], 0, "", NULL, 0);
}

static void rule_never(const fg_rule_ctx *ctx, fg_findings *out) {
  (void)ctx;
  fg_findings_add(out, "t.never", "person", "X", 1, "must not run", NULL, 0);
}

static const fg_rule TEST_RULES[] = {
    {"t.each_person", "person", "每人", 1u << FG_T_PERSONS, rule_each_person},
    {"t.never", "person", "不应运行", (1u << FG_T_PERSONS) | (1u << FG_T_INCARCERATIONS) |
                                          (1u << FG_T_STAFF), rule_never},
    {"t.dead", "person", "死亡", 1u << FG_T_DEATHS, rule_dead},
};

static fg_model *engine_model(void) {
  return fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = PERSONS,
      [FG_T_DEATHS] = "person_id,death_date,source\nZZ9,2024-05-01,health\nab12,2030-01-01,court\n",
  });
}

static void run_test_rules(const fg_model *m, int threads, fg_screen_rule_stat *stats,
                           fg_findings *out) {
  fg_config *cfg = fg_xcalloc(1, sizeof *cfg);
  fg_rule_ctx ctx = {.m = m, .cfg = cfg, .as_of = fg_day_from_ymd(2025, 1, 1)};
  const fg_rule *sel[3] = {&TEST_RULES[0], &TEST_RULES[1], &TEST_RULES[2]};
  fg_screen_run_rules(&ctx, sel, 3, threads, stats, out);
  free(cfg);
}

static void test_skip_absent(void **state) {
  (void)state;
  fg_model *m = engine_model();
  fg_screen_rule_stat stats[3];
  fg_findings f = {0};
  run_test_rules(m, 2, stats, &f);
  assert_false(stats[0].skipped);
  assert_true(stats[1].skipped);
  assert_string_equal(stats[1].missing, "incarcerations,staff");
  assert_int_equal(stats[1].count, 0);
  assert_int_equal(stats[0].count, 2);
  assert_int_equal(stats[0].amount_fen, 201);
  assert_int_equal(stats[2].count, 1);
  assert_int_equal(f.n, 3);
  assert_null(fg_test_find(&f, "X"));
  /* sorted by (rule, subject_id) */
  assert_string_equal(f.v[0].rule, "t.dead");
  assert_string_equal(f.v[0].subject_id, "ZZ9");
  assert_string_equal(f.v[1].subject_id, "11010519491231002X");
  assert_string_equal(f.v[2].subject_id, "AB12");
  assert_int_equal(f.v[2].ev[0].table, FG_T_PERSONS);
  assert_int_equal(f.v[2].ev[0].row, 2);
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_determinism(void **state) {
  (void)state;
  char d1[65], d2[65], d3[65];
  fg_screen_rule_stat stats[3];
  fg_findings f1 = {0}, f2 = {0}, f3 = {0};
  fg_model *m1 = engine_model(), *m2 = engine_model();
  run_test_rules(m1, 2, stats, &f1);
  run_test_rules(m2, 2, stats, &f2);
  run_test_rules(m1, 1, stats, &f3);
  fg_screen_findings_digest(&f1, d1);
  fg_screen_findings_digest(&f2, d2);
  fg_screen_findings_digest(&f3, d3);
  assert_string_equal(d1, d2);
  assert_string_equal(d1, d3);
  assert_int_equal(f1.n, f2.n);
  for (int64_t i = 0; i < f1.n; i++) {
    assert_string_equal(f1.v[i].subject_id, f2.v[i].subject_id);
    assert_string_equal(f1.v[i].detail, f2.v[i].detail);
  }
  fg_findings empty = {0};
  fg_screen_findings_digest(&empty, d3); /* SHA-256 of nothing */
  assert_string_equal(d3, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  fg_findings_release(&f1);
  fg_findings_release(&f2);
  fg_findings_release(&f3);
  fg_model_free(m1);
  fg_model_free(m2);
}

static void test_select(void **state) {
  (void)state;
  const fg_rule *sel[FG_SCREEN_RULES_MAX];
  int n = 0;
  fg_err err = {0};
  assert_int_equal(fg_screen_select(TEST_RULES, 3, "t.dead, t.each_person,t.dead", sel, &n, &err), 0);
  assert_int_equal(n, 2);
  assert_ptr_equal(sel[0], &TEST_RULES[0]); /* registry order */
  assert_int_equal(fg_screen_select(TEST_RULES, 3, NULL, sel, &n, &err), 0);
  assert_int_equal(n, 3);
  assert_int_equal(fg_screen_select(TEST_RULES, 3, "t.dead,benefit.nope", sel, &n, &err),
                   FG_EUSAGE);
  assert_non_null(strstr(err.msg, "benefit.nope"));
  assert_string_equal(fg_screen_severity("benefit.paid_after_death"), "high");
  assert_string_equal(fg_screen_severity("t.dead"), "medium");
}

/* ---- store round trip ------------------------------------------------------ */

typedef struct {
  int n;
  char ids[4][32];
  char ev[4][64];
  int64_t amount_fen[4];
} seen_findings;

static int collect(void *ud, int64_t id, const fg_store_finding *f, const char *evidence) {
  seen_findings *s = ud;
  (void)id;
  assert_true(s->n < 4);
  snprintf(s->ids[s->n], sizeof s->ids[0], "%s", f->subject_id);
  snprintf(s->ev[s->n], sizeof s->ev[0], "%s", evidence);
  s->amount_fen[s->n] = f->amount_fen;
  s->n++;
  return 0;
}

static void test_store_round_trip(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir(), path[4200];
  snprintf(path, sizeof path, "%s/fg.db", dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  bool found = true;
  int64_t id = 0;
  assert_int_equal(fg_store_run_latest(s, false, &id, &found, &err), 0);
  assert_false(found);
  fg_store_evidence ev[] = {{FG_T_PERSONS, 1}, {FG_T_DEATHS, 7}};
  fg_store_finding f[] = {
      {"r.a", "person", "P1", 12345, "high", "x", ev, 2},
      {"r.b", "person", "P2", 0, "low", "", NULL, 0},
  };
  char hex[65];
  memset(hex, 'a', 64);
  hex[64] = 0;
  fg_store_run r = {0, "2025-01-01T08:00:00", "2025-01-01T08:00:01", "2025-01-01", "r.a,r.b",
                    "r.c", hex, false, "1,2", 2, "alice", 2, hex, false, false};
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_run_add(s, &r, &id, &err), 0);
  assert_int_equal(fg_store_findings_add(s, id, f, 2, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  int64_t latest = 0;
  assert_int_equal(fg_store_run_latest(s, false, &latest, &found, &err), 0);
  assert_true(found);
  assert_int_equal(latest, id);
  fg_store_run back;
  assert_int_equal(fg_store_run_get(s, id, &back, &found, &err), 0);
  assert_true(found);
  assert_string_equal(back.rules_skipped, "r.c");
  assert_string_equal(back.actor, "alice");
  assert_false(back.official);
  assert_int_equal(back.max_batch, 2);
  fg_store_run_release(&back);
  seen_findings seen = {0};
  assert_int_equal(fg_store_findings_each(s, id, NULL, collect, &seen, &err), 0);
  assert_int_equal(seen.n, 2);
  assert_string_equal(seen.ids[0], "P1");
  assert_string_equal(seen.ev[0], "persons:1;deaths:7");
  assert_int_equal(seen.amount_fen[0], 12345);
  assert_string_equal(seen.ev[1], "");
  memset(&seen, 0, sizeof seen);
  assert_int_equal(fg_store_findings_each(s, id, "r.b", collect, &seen, &err), 0);
  assert_int_equal(seen.n, 1);
  assert_string_equal(seen.ids[0], "P2");
  char *batches = NULL;
  int64_t maxb = -1;
  assert_int_equal(fg_store_batches_read(s, &batches, &maxb, &err), 0);
  assert_string_equal(batches, "");
  assert_int_equal(maxb, 0);
  free(batches);
  fg_store_close(s);
  fg_test_rmrf(dir);
  free(dir);
}

/* ---- through the store and the CLI ---------------------------------------- */

/* Remove the last field of every CSV line (no quoted commas there). */
/* The last cell of every line, one per line (heap). */
static char *last_column(const char *csv) {
  fg_buf b = FG_BUF_INIT;
  for (const char *line = csv; *line;) {
    const char *nl = strchr(line, '\n');
    const char *end = nl ? nl : line + strlen(line);
    const char *c = end;
    while (c > line && c[-1] != ',') c--;
    fg_buf_add(&b, c, (size_t)(end - c));
    fg_buf_addc(&b, '\n');
    line = nl ? nl + 1 : end;
  }
  fg_buf_addc(&b, '\0');
  return fg_buf_detach(&b);
}

static void drop_last_column(char *csv) {
  char *w = csv;
  for (char *line = csv; *line;) {
    char *nl = strchr(line, '\n');
    char *end = nl ? nl : line + strlen(line);
    char *comma = end;
    while (comma > line && *comma != ',') comma--;
    const size_t keep = (size_t)((comma > line ? comma : end) - line);
    memmove(w, line, keep);
    w += keep;
    if (nl) *w++ = '\n';
    line = nl ? nl + 1 : end;
  }
  *w = '\0';
}

static char *cli(const char *fmt, const char *a, const char *b, int *rc) {
  char cmd[9000];
  snprintf(cmd, sizeof cmd, fmt, FG_BINARY, a, b);
  char *out = NULL;
  *rc = fg_test_run(cmd, &out, NULL);
  return out;
}

static void test_load_and_cli(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir(), db[4200], city[4200];
  snprintf(db, sizeof db, "%s/fg.db", dir);
  snprintf(city, sizeof city, "%s/city", dir);
  char mk[4300];
  snprintf(mk, sizeof mk, "mkdir -p '%s'", city);
  assert_int_equal(fg_test_run(mk, NULL, NULL), 0);
  fg_test_write(city, "persons.csv", PERSONS, (size_t)-1);
  fg_test_write(city, "deaths.csv", "person_id,death_date,source\nAB12,2024-03-15,health\n"
                                    "999,2020-01-01,court\n", (size_t)-1);
  fg_test_write(city, "benefit_payments.csv",
                "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,"
                "bank_account\nP2,ab12,110,pension,110105,2024-05,3000.5,2024-05-10,B1\n"
                "P1,ab12,110,pension,110105,2024-04,3000,2024-04-10,B1\n", (size_t)-1);
  fg_test_write(city, "incarcerations.csv", "person_id,start_date,end_date\n", (size_t)-1);
  int rc = 0;
  /* the trust core: the demo roster's handler imports, its supervisor screens */
  unsetenv("FUNDGUARD_INIT_PASSWORD");
  setenv("FUNDGUARD_PASSWORD", "engine-test-pass", 1);
  free(cli("%s init --db '%s' --roster '%s'", db, FG_SOURCE_DIR "/scripts/demo-roster.csv", &rc));
  assert_int_equal(rc, 0);
  /* each user sets a password of their own first (cli.md v1.1) */
  free(cli("FG=%s bash " FG_SOURCE_DIR "/scripts/set-passwords.sh '%s' '%s'", db,
           "engine-test-pass", &rc));
  assert_int_equal(rc, 0);
  free(cli("FUNDGUARD_USER=zhang.jb %s import --db '%s' '%s'", db, city, &rc));
  assert_int_equal(rc, 0);
  /* the parallel loader sees what the store holds */
  fg_model *m = NULL;
  fg_err err = {0};
  assert_int_equal(fg_model_load(db, &m, &err), 0);
  assert_int_equal(m->npk, 3);
  fg_pk p = fg_model_find_pk(m, "AB12");
  assert_int_equal(m->pk_death[p], fg_day_from_ymd(2024, 3, 15));
  assert_int_equal(m->payments_off[p + 1] - m->payments_off[p], 2);
  assert_int_equal(fg_mp_period(&m->payments[m->payments_off[p]]), fg_month_from_ym(2024, 4));
  assert_true(m->present[FG_T_INCARCERATIONS]);
  assert_false(m->present[FG_T_STAFF]);
  fg_model_free(m);
  /* two runs, same findings */
  char *out = cli("FUNDGUARD_USER=li.jd %s screen --db '%s' --as-of 2025-01-01 --rules %s", db,
                  "benefit.paid_after_death,benefit.paid_during_incarceration,control.self_review",
                  &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(out, "6000.50"));
  assert_non_null(strstr(out, "control.self_review"));
  free(out);
  free(cli("FUNDGUARD_USER=li.jd %s screen --db '%s' --as-of 2025-01-01 --rules %s", db,
           "benefit.paid_after_death,benefit.paid_during_incarceration,control.self_review", &rc));
  char *r1 = cli("FUNDGUARD_USER=li.jd %s findings --db '%s' --format csv --run %s", db, "1", &rc);
  assert_int_equal(rc, 0);
  char *r2 = cli("FUNDGUARD_USER=li.jd %s findings --db '%s' --format csv --run %s", db, "2", &rc);
  assert_non_null(strstr(r1, "benefit.paid_after_death,person,AB12,6000.50,"));
  /* a --rules run is partial; run_id column after run_kind */
  assert_non_null(strstr(r2, ",partial,2,"));
  for (char *q = r2; (q = strstr(q, ",partial,2,")) != NULL; q += 11) q[9] = '1';
  /* identity across runs (issue 15.3): run 2 raises run 1's findings again,
   * under the same stable numbers, as carried over */
  assert_non_null(strstr(r1, ",1,new\n"));
  assert_null(strstr(r1, ",carried\n"));
  assert_null(strstr(r2, ",new\n"));
  drop_last_column(r1), drop_last_column(r2); /* continuity: new, then carried */
  char *n1 = last_column(r1), *n2 = last_column(r2);
  assert_string_equal(n1, n2); /* finding_no: the same in both runs */
  free(n1);
  free(n2);
  drop_last_column(r1), drop_last_column(r2);
  drop_last_column(r1), drop_last_column(r2); /* finding_id: numbered across runs */
  assert_string_equal(r1, r2);
  free(r1);
  free(r2);
  free(cli("FUNDGUARD_USER=li.jd %s screen --db '%s' --as-of 2025-01-01 --rules %s", db, "no.such_rule", &rc));
  assert_int_equal(rc, 2);
  free(cli("FUNDGUARD_USER=li.jd %s findings --db '%s' --format %s", db, "xlsx", &rc));
  assert_int_equal(rc, 2);
  free(cli("FUNDGUARD_USER=li.jd %s findings --db '%s' --format csv --run %s", db, "99", &rc));
  assert_int_equal(rc, 1);
  fg_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pk_interning),  cmocka_unit_test(test_sort_offsets),
      cmocka_unit_test(test_packed_fields),
      cmocka_unit_test(test_uid_front_coding),
      cmocka_unit_test(test_item_big_numbers),
      cmocka_unit_test(test_item_linking),  cmocka_unit_test(test_accounts_txns),
      cmocka_unit_test(test_absorb),        cmocka_unit_test(test_skip_absent),
      cmocka_unit_test(test_determinism),   cmocka_unit_test(test_select),
      cmocka_unit_test(test_store_round_trip), cmocka_unit_test(test_load_and_cli),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
