/*
 * gen_plant_benefit.c — planted cases and near misses for benefit.*
 * (rules.md "Benefits" and its Boundaries). Pension spells of planted
 * persons stay within 12 months of their first period unless the case is
 * the survival certification itself, so no other rule fires.
 */
#include <stdio.h>

#include "gen/gen_internal.h"

enum { PENSION_FEN = 300000, UNEMP_FEN = 180000, MATERNITY_FEN = 500000 };

static fg_day fg_birth_of(const fg_gen_plant *p, int years, int k) {
  return fg_day_minus_years(p->c->as_of, years) - 53 * p->rep - 7 * k;
}

static int64_t fg_pensions(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme, fg_month from,
                        fg_month to, int64_t fen) {
  for (fg_month m = from; m <= to; m++) fg_gen_p_pay(p, pp, scheme, "pension", m, fen, NULL, NULL);
  return (to - from + 1) * fen;
}

static void fg_contrib210(fg_gen_plant *p, const fg_gen_pp *pp, fg_month from, fg_month to) {
  for (fg_month m = from; m <= to; m++)
    fg_gen_p_contrib(p, pp, NULL, "210", m, 400000, fg_month_first_day(m + 1) + 14, "normal");
}

static int64_t fg_unemp(fg_gen_plant *p, const fg_gen_pp *pp, fg_month from, fg_month to) {
  for (fg_month m = from; m <= to; m++)
    fg_gen_p_pay(p, pp, "210", "unemployment", m, UNEMP_FEN, NULL, NULL);
  return (to - from + 1) * UNEMP_FEN;
}

static void fg_paid_after_death(fg_gen_plant *p) {
  const fg_month d = p->c->as_of_month - 8 - p->rep;
  const fg_day dd = fg_month_first_day(d) + 14;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_birth_of(p, 75, 0), &pp); /* pensions two months past death */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "civil_affairs");
  fg_pensions(p, &pp, "110", d - 2, d, PENSION_FEN);
  const int64_t after = fg_pensions(p, &pp, "110", d + 1, d + 2, PENSION_FEN);
  fg_gen_p_pay(p, &pp, "110", "funeral", d + 1, 1200000, NULL, NULL);
  fg_gen_truth_add(p, "benefit.paid_after_death", pp.id, after);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 31, 0), &pp); /* maternity and injury after death */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "health");
  for (int k = -1; k <= 1; k++)
    fg_gen_p_pay(p, &pp, "510", "maternity", d + k, MATERNITY_FEN, NULL, NULL);
  fg_gen_p_pay(p, &pp, "410", "injury_disability", d, 200000, NULL, NULL);
  fg_gen_p_pay(p, &pp, "410", "injury_disability", d + 1, 200000, NULL, NULL);
  fg_gen_truth_add(p, "benefit.paid_after_death", pp.id, MATERNITY_FEN + 200000);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 76, 1), &pp); /* death month paid; lawful grants after */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "funeral");
  fg_pensions(p, &pp, "110", d - 3, d, PENSION_FEN);
  fg_gen_p_pay(p, &pp, "110", "funeral", d + 1, 1200000, NULL, NULL);
  fg_gen_p_pay(p, &pp, "110", "survivor", d + 1, 100000, NULL, NULL);
  fg_gen_p_pay(p, &pp, "110", "lump_sum", d + 2, 800000, NULL, NULL);
}

static void fg_jail(fg_gen_plant *p, const fg_gen_pp *pp, fg_day s, fg_day e) {
  fg_gen_row(p->o, FG_T_INCARCERATIONS, "sdd", pp->id, s, e);
}

static void fg_incarceration(fg_gen_plant *p) {
  const fg_month s = p->c->as_of_month - 12 - p->rep, s2 = p->c->as_of_month - 4 - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_birth_of(p, 70, 0), &pp); /* start month paid, end month not */
  fg_jail(p, &pp, fg_month_first_day(s) + 9, fg_month_first_day(s + 5) + 19);
  fg_pensions(p, &pp, "110", s - 1, s, PENSION_FEN);
  const int64_t in = fg_pensions(p, &pp, "110", s + 1, s + 5, PENSION_FEN);
  fg_pensions(p, &pp, "110", s + 6, s + 7, PENSION_FEN);
  fg_gen_truth_add(p, "benefit.paid_during_incarceration", pp.id, in);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 66, 0), &pp); /* open end, overlapping terms count once */
  fg_jail(p, &pp, fg_month_first_day(s2) + 4, FG_NODAY);
  fg_jail(p, &pp, fg_month_first_day(s2 + 1), fg_month_first_day(s2 + 2) + 27);
  fg_pensions(p, &pp, "170", s2 - 1, s2, 20000);
  fg_gen_truth_add(p, "benefit.paid_during_incarceration", pp.id,
                   fg_pensions(p, &pp, "170", s2 + 1, s2 + 3, 20000));
  fg_gen_pp_new(p, 1, fg_birth_of(p, 71, 1), &pp); /* paid around the term only: no fire */
  fg_jail(p, &pp, fg_month_first_day(s) + 9, fg_month_first_day(s + 2) + 19);
  fg_pensions(p, &pp, "110", s, s, PENSION_FEN);
  fg_gen_p_pay(p, &pp, "110", "survivor", s + 1, 100000, NULL, NULL);
  fg_pensions(p, &pp, "110", s + 3, s + 4, PENSION_FEN);
}

static void fg_duplicate_pension(fg_gen_plant *p) {
  const fg_month m = p->c->as_of_month - 6 - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_birth_of(p, 68, 0), &pp); /* 110 and 170 in two periods */
  fg_pensions(p, &pp, "110", m, m + 2, PENSION_FEN);
  fg_pensions(p, &pp, "170", m + 1, m + 2, 20000);
  fg_gen_truth_add(p, "benefit.duplicate_pension", pp.id, 2 * 20000);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 67, 0), &pp); /* three in one period */
  fg_pensions(p, &pp, "110", m, m + 1, PENSION_FEN);
  fg_pensions(p, &pp, "120", m, m, 250000);
  fg_pensions(p, &pp, "170", m, m, 250000);
  fg_gen_truth_add(p, "benefit.duplicate_pension", pp.id, 500000);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 69, 1), &pp); /* pension and survivor: no fire */
  fg_pensions(p, &pp, "110", m, m + 1, PENSION_FEN);
  fg_gen_p_pay(p, &pp, "110", "survivor", m, 100000, NULL, NULL);
}

static void fg_unemployment(fg_gen_plant *p) {
  const fg_month u = p->c->as_of_month - 8 - p->rep;
  char emp[FG_GEN_ID_LEN + 1];
  fg_gen_employer_id(p->rep + 3, emp);
  fg_gen_pp pp;
  const int64_t w = fg_gen_avg_wage_fen(fg_month_year(u));
  fg_gen_pp_new(p, 1, fg_birth_of(p, 40, 0), &pp); /* employer 110 in the first paid month */
  fg_contrib210(p, &pp, u - 24, u - 1);
  for (fg_month m = u - 24; m <= u; m++)
    fg_gen_p_contrib(p, &pp, emp, "110", m, w, fg_month_first_day(m + 1) + 14, "normal");
  fg_unemp(p, &pp, u, u + 3);
  fg_gen_truth_add(p, "benefit.unemployment_while_employed", pp.id, UNEMP_FEN);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 41, 0), &pp); /* employer 310 in the second */
  fg_contrib210(p, &pp, u - 24, u - 1);
  fg_gen_p_contrib(p, &pp, emp, "310", u + 1, w, fg_month_first_day(u + 2) + 14, "normal");
  fg_unemp(p, &pp, u, u + 2);
  fg_gen_truth_add(p, "benefit.unemployment_while_employed", pp.id, UNEMP_FEN);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 42, 0), &pp); /* flexible 110 and employer 210: no fire */
  fg_contrib210(p, &pp, u - 24, u - 1);
  fg_gen_p_contrib(p, &pp, NULL, "110", u + 1, w, fg_month_first_day(u + 2) + 14, "normal");
  fg_gen_p_contrib(p, &pp, emp, "210", u + 1, w, fg_month_first_day(u + 2) + 14, "normal");
  fg_unemp(p, &pp, u, u + 2);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 58, 0), &pp); /* pension in two paid months */
  fg_contrib210(p, &pp, u - 24, u - 1);
  fg_pensions(p, &pp, "110", u - 3, u + 1, PENSION_FEN);
  fg_unemp(p, &pp, u, u + 3);
  fg_gen_truth_add(p, "benefit.unemployment_while_pensioned", pp.id, 2 * UNEMP_FEN);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 59, 0), &pp); /* pension ends the month before: no fire */
  fg_contrib210(p, &pp, u - 24, u - 1);
  fg_pensions(p, &pp, "110", u - 3, u - 1, PENSION_FEN);
  fg_unemp(p, &pp, u, u + 2);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 57, 0), &pp); /* and one more that fires */
  fg_contrib210(p, &pp, u - 30, u - 1);
  fg_pensions(p, &pp, "120", u + 2, u + 2, PENSION_FEN);
  fg_unemp(p, &pp, u, u + 2);
  fg_gen_truth_add(p, "benefit.unemployment_while_pensioned", pp.id, UNEMP_FEN);
}

static void fg_entitlement(fg_gen_plant *p) {
  const fg_month f = p->c->as_of_month - 16 - p->rep, f3 = p->c->as_of_month - 30 - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_birth_of(p, 35, 0), &pp); /* 12 months -> 12; 13 paid, twice in the 13th */
  fg_contrib210(p, &pp, f - 12, f - 1);
  fg_unemp(p, &pp, f, f + 12);
  fg_unemp(p, &pp, f + 12, f + 12);
  fg_gen_truth_add(p, "benefit.unemployment_over_entitlement", pp.id, 2 * UNEMP_FEN);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 36, 0), &pp); /* 11 months -> 0 (a later month not counted) */
  fg_contrib210(p, &pp, f - 11, f - 1);
  fg_contrib210(p, &pp, f + 1, f + 1);
  fg_gen_truth_add(p, "benefit.unemployment_over_entitlement", pp.id, fg_unemp(p, &pp, f, f + 2));
  fg_gen_pp_new(p, 1, fg_birth_of(p, 45, 0), &pp); /* 120 months -> 24; 25 paid */
  fg_contrib210(p, &pp, f3 - 120, f3 - 1);
  fg_unemp(p, &pp, f3, f3 + 24);
  fg_gen_truth_add(p, "benefit.unemployment_over_entitlement", pp.id, UNEMP_FEN);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 46, 0), &pp); /* 60 months -> 18; 18 paid: no fire */
  fg_contrib210(p, &pp, f3 - 60, f3 - 1);
  fg_unemp(p, &pp, f3, f3 + 17);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 37, 0), &pp); /* 12 months, 12 paid: no fire */
  fg_contrib210(p, &pp, f - 12, f - 1);
  fg_unemp(p, &pp, f, f + 11);
}

static void fg_cert(fg_gen_plant *p, const fg_gen_pp *pp, fg_day d) {
  fg_gen_row(p->o, FG_T_SURVIVAL_CERTIFICATIONS, "sds", pp->id, d, "人脸识别");
}

static void fg_survival(fg_gen_plant *p) {
  const fg_month m = p->c->as_of_month - 18 - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_birth_of(p, 72, 0), &pp); /* L - C = 13 */
  fg_pensions(p, &pp, "110", m, m + 15, PENSION_FEN);
  fg_cert(p, &pp, fg_month_first_day(m + 2) + 9);
  fg_gen_truth_add(p, "benefit.survival_cert_overdue", pp.id, 0);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 73, 0), &pp); /* none on or before as_of: C = first period */
  fg_pensions(p, &pp, "170", m, m + 13, 20000);
  fg_cert(p, &pp, p->c->as_of + 5);
  fg_gen_truth_add(p, "benefit.survival_cert_overdue", pp.id, 0);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 74, 0), &pp); /* L - C = 12: no fire */
  fg_pensions(p, &pp, "110", m, m + 14, PENSION_FEN);
  fg_cert(p, &pp, fg_month_first_day(m + 2) + 27);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 75, 1), &pp); /* no certification, L - first = 12 */
  fg_pensions(p, &pp, "110", m, m + 12, PENSION_FEN);
}

static void fg_shared_account(fg_gen_plant *p) {
  const fg_month m = p->c->as_of_month - 5 - p->rep;
  char x[24], y[24];
  snprintf(x, sizeof x, "62179999%08d", 2 * p->rep);
  snprintf(y, sizeof y, "62179999%08d", 2 * p->rep + 1);
  fg_gen_pp pp;
  for (int k = 0; k < 3; k++) { /* three persons, one account, one period: fires */
    fg_gen_pp_new(p, 1 + k % 2, fg_birth_of(p, 70 + k, 2), &pp);
    fg_gen_p_pay(p, &pp, "110", "pension", m, PENSION_FEN, x, NULL);
  }
  fg_gen_truth_add(p, "benefit.shared_bank_account", x, 0);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 70, 3), &pp); /* two persons in one period: no fire */
  fg_gen_p_pay(p, &pp, "110", "pension", m, PENSION_FEN, y, NULL);
  fg_gen_p_pay(p, &pp, "110", "survivor", m, 100000, y, NULL);
  fg_gen_pp_new(p, 2, fg_birth_of(p, 71, 3), &pp);
  fg_gen_p_pay(p, &pp, "110", "pension", m, PENSION_FEN, y, NULL);
  fg_gen_pp_new(p, 1, fg_birth_of(p, 72, 3), &pp);
  fg_gen_p_pay(p, &pp, "110", "pension", m + 1, PENSION_FEN, y, NULL);
}

static void fg_large_payment(fg_gen_plant *p) {
  const fg_month d = p->c->as_of_month - 6 - p->rep;
  const int64_t at = fg_gen_worktime(p->c, &p->rng, fg_month_first_day(d + 1) + 12);
  char h[16], r[16], pid[32], oid[32];
  fg_gen_p_staff(p, 'h', p->rep, h);
  fg_gen_p_staff(p, 'r', p->rep, r);
  const int64_t amounts[4] = {6000000, 5000001, 5000000, 8000000};
  for (int k = 0; k < 4; k++) {
    fg_gen_pp pp;
    fg_gen_pp_new(p, 1 + k % 2, fg_birth_of(p, 66, k), &pp);
    fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, fg_month_first_day(d) + 9, "civil_affairs");
    fg_gen_p_pay(p, &pp, "110", "lump_sum", d + 1, amounts[k], NULL, pid);
    if (k == 1) { /* reviewed by the operator: also control.self_review */
      fg_gen_p_op(p, "payment", h, h, NULL, pp.id, pid, amounts[k], at, oid);
      fg_gen_truth_add(p, "control.self_review", oid, 0);
    }
    if (k == 3) fg_gen_p_op(p, "payment", h, r, NULL, pp.id, pid, amounts[k], at, NULL);
    if (k <= 1) fg_gen_truth_add(p, "benefit.large_payment_unreviewed", pid, amounts[k]);
  }
}

static void fg_maternity(fg_gen_plant *p) {
  const fg_month m = p->c->as_of_month - 24 - p->rep;
  static const int fire1[] = {0, 1, 2, 9}, fire2[] = {0, 2}, near1[] = {0, 1, 2, 10},
                   near2[] = {0, 1, 2, 3, 4, 5};
  const int *sets[] = {fire1, fire2, near1, near2};
  const int lens[] = {4, 2, 4, 6};
  for (int k = 0; k < 4; k++) {
    fg_gen_pp pp;
    fg_gen_pp_new(p, 2, fg_birth_of(p, 30 + k, 4), &pp);
    for (int i = 0; i < lens[k]; i++)
      fg_gen_p_pay(p, &pp, "510", "maternity", m + sets[k][i], MATERNITY_FEN, NULL, NULL);
    if (k < 2) fg_gen_truth_add(p, "benefit.maternity_repeat", pp.id, 0);
  }
}

void fg_gen_plant_benefit(fg_gen_plant *p) {
  fg_paid_after_death(p);
  fg_incarceration(p);
  fg_duplicate_pension(p);
  fg_unemployment(p);
  fg_entitlement(p);
  fg_survival(p);
  fg_shared_account(p);
  fg_large_payment(p);
  fg_maternity(p);
}
