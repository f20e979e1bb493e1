/*
 * gen_plant_contrib.c — planted cases and near misses for contribution.*
 * (rules.md "Contributions" and its Boundaries). Flexible-employment rows
 * (no employer) are used wherever the base range must not matter.
 */
#include "gen/gen_internal.h"

static fg_day fg_paid_after(fg_month m) { return fg_month_first_day(m + 1) + 14; }

static void fg_base_out_of_range(fg_gen_plant *p) {
  char emp[FG_GEN_ID_LEN + 1];
  fg_gen_employer_id(p->rep, emp);
  const int y = fg_month_year(p->c->as_of_month) - 1;
  const fg_month m = fg_month_from_ym(y, 3 + p->rep % 6);
  const int64_t floor = fg_gen_wage_floor_fen(y), cap = fg_gen_wage_cap_fen(y);
  const fg_day b = fg_day_minus_years(p->c->as_of, 40) - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, b, &pp); /* one fen under the floor */
  fg_gen_p_contrib(p, &pp, emp, "110", m, floor - 1, fg_paid_after(m), "normal");
  fg_gen_truth_add(p, "contribution.base_out_of_range", pp.id, 0);
  fg_gen_pp_new(p, 2, b - 3, &pp); /* one fen over the cap */
  fg_gen_p_contrib(p, &pp, emp, "110", m, cap + 1, fg_paid_after(m), "normal");
  fg_gen_truth_add(p, "contribution.base_out_of_range", pp.id, 0);
  /* near misses: exactly floor and cap; flexible 110 and employer 310 under the floor */
  fg_gen_pp_new(p, 1, b - 6, &pp);
  fg_gen_p_contrib(p, &pp, emp, "110", m, floor, fg_paid_after(m), "normal");
  fg_gen_p_contrib(p, &pp, emp, "110", m + 1, cap, fg_paid_after(m + 1), "normal");
  fg_gen_p_contrib(p, &pp, NULL, "110", m + 2, floor - 100, fg_paid_after(m + 2), "normal");
  fg_gen_p_contrib(p, &pp, emp, "310", m + 2, floor - 100, fg_paid_after(m + 2), "normal");
}

/* A person who retires (on the 60th / 50th birthday, properly reviewed) on
 * day 10 of month rm; returns the approval date. Where the 2025 law has
 * moved the statutory age later, the retirement is a lawful flexible early
 * one (rules.md v1.3), so only the rule under test fires. */
static fg_day fg_retiree(fg_gen_plant *p, fg_month rm, int sex, fg_gen_pp *pp) {
  const int age = sex == 1 ? 60 : 50;
  const fg_day birth = fg_month_first_day(rm - 12 * age) + 9;
  fg_gen_pp_new(p, sex, birth, pp);
  const fg_day rd = fg_birthday_at(birth, age);
  FG_ASSERT(fg_month_of_day(rd) == rm);
  char r1[16], r2[16];
  fg_gen_p_staff(p, 'r', p->rep, r1);
  fg_gen_p_staff(p, 'r', p->rep + 1, r2);
  fg_gen_p_retire(p, pp, fg_gen_lawful_kind(p->c, birth, age, rd), rd - 15, rd, birth, -1, r1, r2,
                  0, -1);
  return rd - 15;
}

static void fg_spike_person(fg_gen_plant *p, fg_month rm, int b_periods, int64_t b_fen,
                         int64_t a_fen) {
  fg_gen_pp pp;
  fg_retiree(p, rm, 1, &pp);
  for (fg_month m = rm - 36 - b_periods; m <= rm - 37; m++)
    fg_gen_p_contrib(p, &pp, NULL, "110", m, b_fen, fg_paid_after(m), "normal");
  for (fg_month m = rm - 36; m <= rm - 1; m++)
    fg_gen_p_contrib(p, &pp, NULL, "110", m, a_fen, fg_paid_after(m), "normal");
  if (b_periods >= 12 && a_fen * 100 > b_fen * 200)
    fg_gen_truth_add(p, "contribution.base_spike", pp.id, 0);
}

static void fg_base_spike(fg_gen_plant *p) {
  const fg_month rm = p->c->as_of_month - 3 - p->rep;
  const int64_t b = fg_gen_avg_wage_fen(fg_month_year(rm)) * 80 / 100;
  fg_spike_person(p, rm, 36, b, 2 * b + 1); /* mean A one fen over 2.0 x mean B: fires */
  fg_spike_person(p, rm - 1, 12, b, 3 * b); /* 12 periods in B suffice: fires */
  fg_spike_person(p, rm, 36, b, 2 * b);     /* exactly 2.0: no fire */
  fg_spike_person(p, rm, 11, b, 3 * b);     /* window B with 11 periods: no fire */
}

/* n back-payment rows for distinct periods from first, paid on `paid`;
 * returns the sum of their amounts. */
static int64_t fg_backpay_rows(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme,
                            fg_month first, int n, fg_day paid) {
  const int64_t base = 300000;
  int64_t sum = 0;
  for (int i = 0; i < n; i++) {
    fg_gen_p_contrib(p, pp, NULL, scheme, first + i, base, paid, "back_payment");
    sum += base * 20 / 100;
  }
  return sum;
}

static void fg_backpay(fg_gen_plant *p) {
  const fg_month rm = p->c->as_of_month - 2 - p->rep;
  const fg_month old = rm - 130;
  fg_gen_pp pp;
  fg_day a0 = fg_retiree(p, rm, 1, &pp); /* 12 periods, one paid at approved_on - 364 */
  int64_t sum = fg_backpay_rows(p, &pp, "110", old, 1, a0 - 364);
  sum += fg_backpay_rows(p, &pp, "110", old + 1, 11, a0 - 30);
  fg_gen_truth_add(p, "contribution.backpay_before_retirement", pp.id, sum);
  a0 = fg_retiree(p, rm, 2, &pp); /* 6 periods of 110 and 6 of 120, paid on approved_on */
  sum = fg_backpay_rows(p, &pp, "110", old, 6, a0);
  sum += fg_backpay_rows(p, &pp, "120", old + 6, 6, a0);
  fg_gen_truth_add(p, "contribution.backpay_before_retirement", pp.id, sum);
  a0 = fg_retiree(p, rm, 1, &pp); /* 11 inside, the 12th at approved_on - 365: no fire */
  fg_backpay_rows(p, &pp, "110", old, 11, a0 - 100);
  fg_backpay_rows(p, &pp, "110", old + 11, 1, a0 - 365);
  a0 = fg_retiree(p, rm, 2, &pp); /* 12 rows but 11 distinct periods: no fire */
  fg_backpay_rows(p, &pp, "170", old, 11, a0 - 5);
  fg_backpay_rows(p, &pp, "170", old + 10, 1, a0 - 5);
}

static void fg_before_16(fg_gen_plant *p) {
  const fg_month t = p->c->as_of_month - 14 - p->rep; /* month of the 16th birthday */
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_month_first_day(t - 192) + 4, &pp);
  int64_t sum = 0;
  fg_gen_p_contrib(p, &pp, NULL, "110", t - 3, 20000, fg_paid_after(t - 3), "normal");
  fg_gen_p_contrib(p, &pp, NULL, "170", t - 2, 20000, fg_paid_after(t - 2), "normal");
  fg_gen_p_contrib(p, &pp, NULL, "170", t - 1, 20000, fg_paid_after(t - 1), "back_payment");
  sum += 3 * (20000 * 20 / 100);
  fg_gen_p_contrib(p, &pp, NULL, "170", t, 20000, fg_paid_after(t), "normal");
  fg_gen_truth_add(p, "contribution.before_age_16", pp.id, sum);
  fg_gen_pp_new(p, 2, fg_month_first_day(t - 192) + 20, &pp); /* T itself and 390: no fire */
  fg_gen_p_contrib(p, &pp, NULL, "170", t, 20000, fg_paid_after(t), "normal");
  fg_gen_p_contrib(p, &pp, NULL, "390", t - 5, 38000, fg_paid_after(t - 5), "normal");
  fg_gen_pp_new(p, 1, fg_month_first_day(t - 192) + 7, &pp); /* 16 a year ago, fine */
  fg_gen_p_contrib(p, &pp, NULL, "170", t + 1, 20000, fg_paid_after(t + 1), "normal");
}

static void fg_after_death(fg_gen_plant *p) {
  const fg_month d = p->c->as_of_month - 10 - p->rep;
  const fg_day dd = fg_month_first_day(d) + 14;
  const fg_day b = fg_day_minus_years(p->c->as_of, 50) - p->rep;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, b, &pp); /* death month paid (lawful), the next two fire */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "civil_affairs");
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd + 40, "funeral");
  for (int k = 0; k <= 2; k++)
    fg_gen_p_contrib(p, &pp, NULL, "170", d + k, 30000, fg_paid_after(d + k), "normal");
  fg_gen_truth_add(p, "contribution.after_death", pp.id, 2 * (30000 * 20 / 100));
  fg_gen_pp_new(p, 2, b - 5, &pp); /* any scheme, 390 included */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd + 60, "court");
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "health");
  fg_gen_p_contrib(p, &pp, NULL, "390", d, 38000, fg_paid_after(d), "normal");
  fg_gen_p_contrib(p, &pp, NULL, "390", d + 1, 38000, fg_paid_after(d + 1), "normal");
  fg_gen_truth_add(p, "contribution.after_death", pp.id, 38000 * 20 / 100);
  fg_gen_pp_new(p, 1, b - 9, &pp); /* only the death month: no fire */
  fg_gen_row(p->o, FG_T_DEATHS, "sds", pp.id, dd, "public_security");
  fg_gen_p_contrib(p, &pp, NULL, "170", d, 30000, fg_paid_after(d), "normal");
}

void fg_gen_plant_contrib(fg_gen_plant *p) {
  fg_base_out_of_range(p);
  fg_base_spike(p);
  fg_backpay(p);
  fg_before_16(p);
  fg_after_death(p);
}
