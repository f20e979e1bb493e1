/*
 * gen_plant_medical.c — planted cases and near misses for medical.* and
 * institution.resigned_within_ban (rules.md "Medical", "Institutions" and
 * their Boundaries). Settlements use background institutions H00001..H00008
 * (open agreements) unless the case is about agreements; stays are shorter
 * than 5 days unless the case is bed hanging; each person holds one case.
 */
#include <stdio.h>

#include "gen/gen_internal.h"

#define IT(k) (fg_gen_items[FG_GEN_IT_##k].code)
#define MAXP(k) (fg_gen_items[FG_GEN_IT_##k].max_price_fen)

typedef struct mctx {
  fg_gen_plant *p;
  fg_day v; /* a day-10 service date about half a year before as_of */
} mctx;

static void fg_person(mctx *m, int sex, int years, fg_gen_pp *pp) {
  fg_gen_pp_new(m->p, sex, fg_day_minus_years(m->v, years) - 41 * m->p->rep - 3, pp);
}

static void fg_stay(mctx *m, const fg_gen_pp *pp, const char *inst, fg_day a, fg_day d,
                 const char *diag, char sid[32]) {
  fg_gen_p_settle(m->p, pp, inst, "310", true, a, d, diag, NULL, 50000,
                  d == FG_NODAY ? a + 3 : d, sid);
}

static void fg_visit(mctx *m, const fg_gen_pp *pp, const char *inst, fg_day a, int64_t fund,
                  char sid[32]) {
  fg_gen_p_settle(m->p, pp, inst, "310", false, a, FG_NODAY, "J06.9", NULL, fund, a, sid);
}

static void fg_overlapping(mctx *m) {
  fg_gen_pp pp;
  char s[32];
  const fg_day v = m->v;
  fg_person(m, 1, 50, &pp); /* crossing stays at two institutions */
  fg_stay(m, &pp, "H00001", v, v + 3, "I63.9", s);
  fg_stay(m, &pp, "H00002", v + 2, v + 4, "I63.9", s);
  fg_gen_truth_add(m->p, "medical.overlapping_inpatient", pp.id, 0);
  fg_person(m, 2, 51, &pp); /* one stay inside another */
  fg_stay(m, &pp, "H00001", v, v + 4, "I21.9", s);
  fg_stay(m, &pp, "H00002", v + 1, v + 2, "K80.2", s);
  fg_gen_truth_add(m->p, "medical.overlapping_inpatient", pp.id, 0);
  fg_person(m, 1, 52, &pp); /* same-day transfer: no fire */
  fg_stay(m, &pp, "H00001", v, v + 3, "I63.9", s);
  fg_stay(m, &pp, "H00002", v + 3, v + 6, "I63.9", s);
  fg_person(m, 2, 53, &pp); /* a stay without discharge takes part in no test */
  fg_stay(m, &pp, "H00001", v, FG_NODAY, "I63.9", s);
  fg_stay(m, &pp, "H00002", v + 1, v + 3, "I63.9", s);
}

static void fg_outpatient_during(mctx *m) {
  fg_gen_pp pp;
  char s[32];
  const fg_day v = m->v;
  fg_person(m, 1, 44, &pp);
  fg_stay(m, &pp, "H00001", v, v + 4, "J18.9", s);
  fg_visit(m, &pp, "H00002", v + 2, 3000, s);
  fg_gen_truth_add(m->p, "medical.outpatient_during_inpatient", pp.id, 0);
  fg_person(m, 2, 45, &pp);
  fg_stay(m, &pp, "H00001", v, v + 2, "J18.9", s);
  fg_visit(m, &pp, "H00003", v + 1, 3000, s);
  fg_gen_truth_add(m->p, "medical.outpatient_during_inpatient", pp.id, 0);
  fg_person(m, 1, 46, &pp); /* on admission and discharge days, or same institution */
  fg_stay(m, &pp, "H00001", v, v + 4, "J18.9", s);
  fg_visit(m, &pp, "H00002", v, 3000, s);
  fg_visit(m, &pp, "H00002", v + 4, 3000, s);
  fg_visit(m, &pp, "H00001", v + 2, 3000, s);
}

static void fg_after_death(mctx *m) {
  fg_gen_pp pp;
  char s[32];
  const fg_day dd = m->v;
  fg_person(m, 1, 80, &pp);
  fg_gen_row(m->p->o, FG_T_DEATHS, "sds", pp.id, dd, "health");
  fg_visit(m, &pp, "H00001", dd, 4000, s);          /* the death day itself: no fire */
  fg_stay(m, &pp, "H00002", dd - 10, dd - 7, "I50.9", s); /* before death */
  fg_visit(m, &pp, "H00003", dd + 1, 12345, s);
  fg_gen_truth_add(m->p, "medical.after_death", pp.id, 12345);
  fg_person(m, 2, 81, &pp);
  fg_gen_row(m->p->o, FG_T_DEATHS, "sds", pp.id, dd + 30, "funeral");
  fg_gen_row(m->p->o, FG_T_DEATHS, "sds", pp.id, dd, "civil_affairs");
  fg_visit(m, &pp, "H00001", dd + 2, 10000, s);
  fg_visit(m, &pp, "H00002", dd + 20, 20000, s);
  fg_gen_truth_add(m->p, "medical.after_death", pp.id, 30000);
}

/* An outpatient settlement with one line; rule != NULL adds its truth row. */
static void fg_one_line(mctx *m, const fg_gen_pp *pp, const char *code, int64_t qty,
                     int64_t price, int64_t fund, const char *rule, int64_t amount) {
  char s[32];
  fg_visit(m, pp, "H00004", m->v, 5000, s);
  fg_gen_p_item(m->p, s, 1, code, m->v, qty, price, fund);
  if (rule) fg_gen_truth_add(m->p, rule, s, amount);
}

static void fg_sex_age(mctx *m) {
  fg_gen_pp pp;
  fg_person(m, 1, 40, &pp);
  fg_one_line(m, &pp, IT(CERVIX), 1000, MAXP(CERVIX), -1, "medical.sex_mismatch", 0);
  fg_person(m, 2, 41, &pp);
  fg_one_line(m, &pp, IT(PSA), 1000, MAXP(PSA), -1, "medical.sex_mismatch", 0);
  fg_person(m, 2, 42, &pp); /* matching sex; an item outside the catalogue: no fire */
  fg_one_line(m, &pp, IT(CERVIX), 1000, MAXP(CERVIX), -1, NULL, 0);
  fg_one_line(m, &pp, "ZZ9999", 1000, 3000, 0, NULL, 0);
  fg_gen_pp_new(m->p, 1, fg_day_minus_years(m->v, 30) - m->p->rep, &pp); /* child item at 30 */
  fg_one_line(m, &pp, IT(CHILD), 1000, 1000, -1, "medical.age_mismatch", 0);
  fg_gen_pp_new(m->p, 2, fg_day_minus_years(m->v, 18) + 1 + m->p->rep, &pp); /* 17: adult item */
  fg_one_line(m, &pp, IT(ADULT), 1000, 5000, -1, "medical.age_mismatch", 0);
  fg_gen_pp_new(m->p, 1, fg_day_minus_years(m->v, 14) - m->p->rep, &pp); /* exactly 14: fine */
  fg_one_line(m, &pp, IT(CHILD), 1000, 1000, -1, NULL, 0);
  fg_gen_pp_new(m->p, 2, fg_day_minus_years(m->v, 18) - m->p->rep, &pp); /* exactly 18: fine */
  fg_one_line(m, &pp, IT(ADULT), 1000, 5000, -1, NULL, 0);
}

static int64_t fg_overage(int64_t price, int64_t max, int64_t qty_milli) {
  return ((price - max) * qty_milli + 500) / 1000; /* half up, per line */
}

static void fg_price_qty(mctx *m) {
  fg_gen_pp pp;
  char s[32];
  const fg_day v = m->v;
  fg_person(m, 1, 35, &pp); /* 0.35 x 1.5 = 0.525 -> 0.53; 0.01 x 1.003 -> 0.01 */
  fg_visit(m, &pp, "H00005", v, 9000, s);
  fg_gen_p_item(m->p, s, 1, IT(AMOX), v, 1500, MAXP(AMOX) + 35, -1);
  fg_gen_p_item(m->p, s, 2, IT(CEFIX), v, 1003, MAXP(CEFIX) + 1, -1);
  fg_gen_truth_add(m->p, "medical.price_over_limit", s,
                   fg_overage(MAXP(AMOX) + 35, MAXP(AMOX), 1500) +
                       fg_overage(MAXP(CEFIX) + 1, MAXP(CEFIX), 1003));
  fg_person(m, 2, 36, &pp); /* overage rounds to 0 fen: still fires */
  fg_one_line(m, &pp, IT(IBU), 400, MAXP(IBU) + 1, -1, "medical.price_over_limit",
           fg_overage(MAXP(IBU) + 1, MAXP(IBU), 400));
  fg_person(m, 1, 37, &pp); /* exactly the limit; no limit: no fire */
  fg_one_line(m, &pp, IT(AMOX), 2000, MAXP(AMOX), -1, NULL, 0);
  fg_one_line(m, &pp, IT(FREE), 1000, 99900, -1, NULL, 0);
  fg_person(m, 2, 38, &pp); /* 4 + 3 infusions in one day (max 6) */
  fg_visit(m, &pp, "H00005", v, 9000, s);
  fg_gen_p_item(m->p, s, 1, IT(INFUSION), v, 4000, 1000, -1);
  fg_gen_p_item(m->p, s, 2, IT(INFUSION), v, 3000, 1000, -1);
  fg_gen_truth_add(m->p, "medical.quantity_over_limit", s, 0);
  fg_person(m, 1, 39, &pp); /* 1.5 CT scans (max 1) */
  fg_one_line(m, &pp, IT(CT), 1500, 10000, -1, "medical.quantity_over_limit", 0);
  fg_person(m, 2, 40, &pp); /* 1 + 1 of max 2; 6 on each of two days: no fire */
  fg_visit(m, &pp, "H00005", v, 9000, s);
  fg_gen_p_item(m->p, s, 1, IT(BLOOD), v, 1000, 2000, -1);
  fg_gen_p_item(m->p, s, 2, IT(BLOOD), v, 1000, 2000, -1);
  fg_gen_p_item(m->p, s, 3, IT(AMOX), v, 6000, 2000, -1);
  fg_gen_p_item(m->p, s, 4, IT(AMOX), v + 1, 6000, 2000, -1);
}

static void fg_out_of_scope(mctx *m) {
  fg_gen_pp pp;
  char s[32];
  fg_person(m, 1, 47, &pp);
  fg_visit(m, &pp, "H00006", m->v, 9000, s);
  fg_gen_p_item(m->p, s, 1, IT(OUT), m->v, 1000, 8000, 5000);
  fg_gen_p_item(m->p, s, 2, "ZZ9999", m->v, 1000, 3000, 1234);
  fg_gen_p_item(m->p, s, 3, IT(AMOX), m->v, 1000, 2000, -1);
  fg_gen_truth_add(m->p, "medical.out_of_scope_charged", s, 5000 + 1234);
  fg_person(m, 2, 48, &pp);
  fg_one_line(m, &pp, IT(OUT), 1000, 8000, 1, "medical.out_of_scope_charged", 1);
  fg_person(m, 1, 49, &pp); /* out of scope but self-paid: no fire */
  fg_one_line(m, &pp, IT(OUT), 1000, 8000, 0, NULL, 0);
  fg_one_line(m, &pp, "ZZ9998", 2000, 1500, 0, NULL, 0);
}

static void fg_duplicate_invoice(mctx *m) {
  fg_gen_pp pp;
  char s[32], inv[32], sid[64];
  const fg_day v = m->v;
  fg_gen_plant *p = m->p;
  fg_person(m, 1, 55, &pp); /* a 310 and a 410 claim on one invoice */
  snprintf(inv, sizeof inv, "FXD%03d", 2 * p->rep);
  fg_gen_p_settle(p, &pp, "H00003", "310", false, v, FG_NODAY, "S62.5", inv, 10000, v + 1, s);
  fg_gen_p_settle(p, &pp, "H00003", "410", false, v, FG_NODAY, "S62.5", inv, 8000, v + 5, s);
  snprintf(sid, sizeof sid, "H00003/%s", inv);
  fg_gen_truth_add(p, "medical.duplicate_invoice", sid, 8000);
  fg_person(m, 2, 56, &pp); /* three, two settled the same earliest day: the smaller id is kept */
  snprintf(inv, sizeof inv, "FXD%03d", 2 * p->rep + 1);
  fg_gen_p_settle(p, &pp, "H00003", "310", false, v, FG_NODAY, "J06.9", inv, 100, v + 2, s);
  fg_gen_p_settle(p, &pp, "H00003", "310", false, v, FG_NODAY, "J06.9", inv, 200, v + 2, s);
  fg_gen_p_settle(p, &pp, "H00003", "310", false, v, FG_NODAY, "J06.9", inv, 300, v + 4, s);
  snprintf(sid, sizeof sid, "H00003/%s", inv);
  fg_gen_truth_add(p, "medical.duplicate_invoice", sid, 500);
  fg_person(m, 1, 57, &pp); /* one number at two institutions: no fire */
  snprintf(inv, sizeof inv, "FXN%03d", p->rep);
  fg_gen_p_settle(p, &pp, "H00004", "310", false, v, FG_NODAY, "J06.9", inv, 900, v, s);
  fg_gen_p_settle(p, &pp, "H00005", "310", false, v, FG_NODAY, "J06.9", inv, 900, v, s);
}

static void fg_agreement(fg_gen_plant *p, const char *inst, fg_day start, fg_day end, fg_day term,
                      const char *reason) {
  fg_gen_row(p->o, FG_T_INSTITUTIONS, "sssddds", inst, "协议定点诊所", "hospital", start, end,
             term, reason);
}

static void fg_outside_agreement(mctx *m) {
  fg_gen_plant *p = m->p;
  const fg_day a = p->c->as_of;
  const fg_day s0 = fg_day_minus_years(a, 3);
  char i1[16], i2[16], i3[16], i4[16], s[32];
  snprintf(i1, sizeof i1, "HX%03d1", p->rep);
  snprintf(i2, sizeof i2, "HX%03d2", p->rep);
  snprintf(i3, sizeof i3, "HX%03d3", p->rep);
  snprintf(i4, sizeof i4, "HX%03d4", p->rep);
  fg_agreement(p, i1, s0, a - 100, FG_NODAY, NULL);
  fg_agreement(p, i2, s0, a + 500, a - 150, NULL);
  fg_agreement(p, i3, s0, FG_NODAY, FG_NODAY, NULL);
  fg_agreement(p, i4, s0, s0 + 365, FG_NODAY, NULL);
  fg_agreement(p, i4, s0 + 400, FG_NODAY, FG_NODAY, NULL);
  struct {
    const char *inst;
    fg_day day;
    bool fires;
  } cases[] = {{i1, a - 99, true},  {i1, a - 100, false}, {i2, a - 150, true},
               {i2, a - 151, false}, {i3, s0 - 1, true},   {i3, a - 10, false},
               {i4, s0 + 380, true}, {i4, s0 + 365, false}, {i4, s0 + 400, false}};
  for (size_t k = 0; k < FG_ARRAY_LEN(cases); k++) {
    fg_gen_pp pp;
    fg_person(m, 1 + (int)(k % 2), 30 + (int)k, &pp);
    const int64_t fund = 1000 + (int64_t)k;
    fg_gen_p_settle(p, &pp, cases[k].inst, "310", false, cases[k].day, FG_NODAY, "J06.9", NULL,
                    fund, cases[k].day, s);
    if (cases[k].fires) fg_gen_truth_add(p, "medical.outside_agreement", s, fund);
  }
}

static void fg_high_frequency(mctx *m) {
  const fg_month mo = m->p->c->as_of_month - 3 - m->p->rep;
  const int counts[3][2] = {{21, 0}, {20, 0}, {15, 15}};
  for (int k = 0; k < 3; k++) {
    fg_gen_pp pp;
    char s[32];
    fg_person(m, 1 + k % 2, 60 + k, &pp);
    for (int j = 0; j < 2; j++)
      for (int i = 0; i < counts[k][j]; i++)
        fg_visit(m, &pp, "H00006", fg_month_first_day(mo + j) + i % 25, 2000, s);
    if (k == 0) fg_gen_truth_add(m->p, "medical.high_frequency", pp.id, 0);
  }
}

/* A stay of len days at H00007 with a bed line every day and a drug line on
 * the first `active` days (plus one unknown item when `unknown`). */
static void fg_bed_stay(mctx *m, int len, int active, bool unknown, bool fires) {
  fg_gen_pp pp;
  char s[32];
  fg_person(m, 1 + len % 2, 65 + len, &pp);
  const fg_day a = m->v;
  fg_stay(m, &pp, "H00007", a, a + len, "M54.5", s);
  int line = 1;
  for (int d = 0; d < len; d++) {
    fg_gen_p_item(m->p, s, line++, IT(BED), a + d, 1000, 5000, -1);
    if (d < active) fg_gen_p_item(m->p, s, line++, IT(INFUSION), a + d, 1000, 1000, -1);
  }
  if (unknown) fg_gen_p_item(m->p, s, line++, "ZZ9997", a + len - 1, 1000, 1000, 0);
  if (fires) fg_gen_truth_add(m->p, "medical.bed_hanging", s, 0);
}

static void fg_bed_hanging(mctx *m) {
  fg_bed_stay(m, 10, 4, false, true);  /* 8 < 10 */
  fg_bed_stay(m, 5, 2, false, true);   /* 4 < 5 */
  fg_bed_stay(m, 10, 5, false, false); /* 10 == 10 */
  fg_bed_stay(m, 6, 2, true, false);   /* the unknown item makes a third active day */
  fg_bed_stay(m, 4, 0, false, false);  /* shorter than 5 days */
}

static void fg_split(mctx *m, int gap, const char *d1, const char *d2, bool fires) {
  fg_gen_pp pp;
  char s[32];
  fg_person(m, 2, 58 + gap % 7, &pp);
  const fg_day a = m->v;
  fg_stay(m, &pp, "H00008", a, a + 3, d1, s);
  fg_stay(m, &pp, "H00008", a + 3 + gap, a + 5 + gap, d2, s);
  if (fires) fg_gen_truth_add(m->p, "medical.split_admission", pp.id, 0);
}

static void fg_split_admission(mctx *m) {
  fg_split(m, 15, "J18.0", "J18.9", true);
  fg_split(m, 0, "K35.8", "K35.2", true);
  fg_split(m, 16, "J18.0", "J18.9", false);
  fg_split(m, 5, "J18.0", "J20.9", false);
  fg_split(m, 3, "J1", "J1", false);
}

static void fg_resigned(fg_gen_plant *p) {
  const fg_day a = p->c->as_of, s0 = fg_day_minus_years(a, 6), t = fg_day_minus_years(a, 3) - p->rep;
  int y = fg_month_year(p->c->as_of_month) - 3 - 4 * p->rep;
  while (!fg_is_leap(y)) y--;
  const fg_day leap = fg_day_from_ymd(y, 2, 29);
  struct {
    const char *reason;
    fg_day term, next;
    bool fires;
  } cases[] = {
      {"violation", t, fg_day_plus_years(t, 1) - 1, true},
      {"illegal", t, fg_day_plus_years(t, 2) - 1, true},
      {"violation", leap, fg_day_from_ymd(y + 1, 2, 28), true},
      {"violation", t, fg_day_plus_years(t, 1), false},
      {"illegal", t, fg_day_plus_years(t, 2), false},
      {"violation", leap, fg_day_from_ymd(y + 1, 3, 1), false},
      {"violation", t, s0 + 10, false}, /* started before the termination */
  };
  for (size_t k = 0; k < FG_ARRAY_LEN(cases); k++) {
    char inst[16];
    snprintf(inst, sizeof inst, "HB%03d%d", p->rep, (int)k);
    fg_agreement(p, inst, s0, FG_NODAY, cases[k].term, cases[k].reason);
    fg_agreement(p, inst, cases[k].next, FG_NODAY, FG_NODAY, NULL);
    if (cases[k].fires) fg_gen_truth_add(p, "institution.resigned_within_ban", inst, 0);
  }
}

void fg_gen_plant_medical(fg_gen_plant *p) {
  mctx m = {p, fg_month_first_day(p->c->as_of_month - 7 - p->rep % 3) + 9};
  fg_overlapping(&m);
  fg_outpatient_during(&m);
  fg_after_death(&m);
  fg_sex_age(&m);
  fg_price_qty(&m);
  fg_out_of_scope(&m);
  fg_duplicate_invoice(&m);
  fg_outside_agreement(&m);
  fg_high_frequency(&m);
  fg_bed_hanging(&m);
  fg_split_admission(&m);
  fg_resigned(p);
}
