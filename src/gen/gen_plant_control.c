/*
 * gen_plant_control.c — planted cases and near misses for control.*
 * (rules.md "Internal control" and its Boundaries): self review, missing
 * review, unapproved modifications, self dealing, tenure, incompatible
 * roles and off-hours high-risk operations, with the working-day calendar
 * (weekday holidays fire, weekend make-up working days do not) and the
 * 08:00:00 / 19:00:00 edges. Planted staff are SX<rep><k>.
 */
#include <stdio.h>

#include "gen/gen_internal.h"

enum { HOUR_S = 3600, DAY_S = 86400, SEARCH_DAYS = 3 * 365 };

static void fg_staff(fg_gen_plant *p, char k, const char *person, fg_day since, const char *high,
                  const char *roles, char out[16]) {
  snprintf(out, 16, "SX%03d%c", p->rep, k);
  fg_gen_row(p->o, FG_T_STAFF, "ssssdsss", out, "测试人员", person, "经办岗", since, high, roles,
             fg_gen_agencies[0].id);
}

static int64_t fg_at(fg_day d, int h, int m, int s) { return (int64_t)d * DAY_S + h * HOUR_S + m * 60 + s; }

static void fg_reviews(fg_gen_plant *p, fg_day w) {
  char h[16], h2[16], r[16], r2[16], a[16], oid[32];
  fg_gen_p_staff(p, 'h', p->rep, h);
  fg_gen_p_staff(p, 'h', p->rep + 1, h2);
  fg_gen_p_staff(p, 'r', p->rep, r);
  fg_gen_p_staff(p, 'r', p->rep + 1, r2);
  fg_gen_p_staff(p, 'a', p->rep, a);
  const int64_t t = fg_at(w, 10, 0, 0);
  fg_gen_p_op(p, "enroll", h, h, NULL, NULL, NULL, -1, t, oid);
  fg_gen_truth_add(p, "control.self_review", oid, 0);
  fg_gen_p_op(p, "other", h, r, h, NULL, NULL, -1, t, oid);
  fg_gen_truth_add(p, "control.self_review", oid, 0);
  fg_gen_p_op(p, "other", h, r, a, NULL, NULL, -1, t, NULL);
  fg_gen_p_op(p, "back_payment", h, NULL, NULL, NULL, "BJ-001", 120000, t, oid);
  fg_gen_truth_add(p, "control.missing_review", oid, 0);
  fg_gen_p_op(p, "payment", h2, NULL, NULL, NULL, "REF-LARGE", 5000001, t, oid);
  fg_gen_truth_add(p, "control.missing_review", oid, 0);
  fg_gen_p_op(p, "payment", h2, NULL, NULL, NULL, "REF-EDGE", 5000000, t, NULL);
  fg_gen_p_op(p, "enroll", h2, NULL, NULL, NULL, NULL, -1, t, NULL);
  fg_gen_p_op(p, "data_modification", h, r, NULL, NULL, "DM-001", -1, t, oid);
  fg_gen_truth_add(p, "control.unapproved_modification", oid, 0);
  fg_gen_p_op(p, "permission_change", h2, r2, r2, NULL, "PC-001", -1, t, oid);
  fg_gen_truth_add(p, "control.unapproved_modification", oid, 0);
  fg_gen_p_op(p, "data_modification", h, r, a, NULL, "DM-002", -1, t, NULL);
}

static void fg_dealing(fg_gen_plant *p, fg_day w) {
  const fg_day since = p->c->as_of - 400;
  fg_gen_pp pa, pb, pc;
  fg_gen_pp_new(p, 1, fg_day_minus_years(p->c->as_of, 35) - p->rep, &pa);
  fg_gen_pp_new(p, 2, fg_day_minus_years(p->c->as_of, 36) - p->rep, &pb);
  fg_gen_pp_new(p, 1, fg_day_minus_years(p->c->as_of, 37) - p->rep, &pc);
  char s1[16], s2[16], s3[16], h[16], r[16], oid[32];
  fg_staff(p, '1', pa.id, since, "N", "handler", s1);
  fg_staff(p, '2', pb.id, since, "N", "reviewer", s2);
  fg_staff(p, '3', pc.id, since, "N", "approver", s3);
  fg_gen_p_staff(p, 'h', p->rep, h);
  fg_gen_p_staff(p, 'r', p->rep, r);
  const int64_t t = fg_at(w, 11, 0, 0);
  fg_gen_p_op(p, "enroll", s1, r, NULL, pa.id, NULL, -1, t, oid);
  fg_gen_truth_add(p, "control.self_dealing", oid, 0);
  fg_gen_p_op(p, "enroll", h, s2, NULL, pb.id, NULL, -1, t, oid);
  fg_gen_truth_add(p, "control.self_dealing", oid, 0);
  fg_gen_p_op(p, "other", h, r, s3, pc.id, NULL, -1, t, NULL); /* the approver: no fire */
}

static void fg_posts(fg_gen_plant *p) {
  const fg_day five = fg_day_minus_years(p->c->as_of, 5), recent = p->c->as_of - 200;
  char s[16];
  fg_staff(p, 'A', NULL, five - 1, "Y", "reviewer", s);
  fg_gen_truth_add(p, "control.tenure_exceeded", s, 0);
  fg_staff(p, 'B', NULL, fg_day_minus_years(p->c->as_of, 8), "Y", "handler", s);
  fg_gen_truth_add(p, "control.tenure_exceeded", s, 0);
  fg_staff(p, 'C', NULL, five, "Y", "reviewer", s);                        /* exactly 5 years */
  fg_staff(p, 'D', NULL, fg_day_minus_years(p->c->as_of, 10), "N", "auditor", s); /* not high risk */
  static const char *const bad[] = {"handler;reviewer", " Accountant ; CASHIER ",
                                    "sysadmin;dbadmin", "handler;supervisor"};
  static const char *const good[] = {"handler;approver", "reviewer;supervisor",
                                     "accountant;auditor"};
  for (int k = 0; k < 4; k++) {
    fg_staff(p, (char)('E' + k), NULL, recent, "N", bad[k], s);
    fg_gen_truth_add(p, "control.incompatible_roles", s, 0);
  }
  for (int k = 0; k < 3; k++) fg_staff(p, (char)('J' + k), NULL, recent, "N", good[k], s);
}

/* The latest day <= from (within SEARCH_DAYS) with the wanted weekday class
 * and working-day status; FG_NODAY when none. */
static fg_day fg_find_day(const fg_gen_plant *p, fg_day from, bool weekend, bool work) {
  for (fg_day d = from; d > from - SEARCH_DAYS; d--)
    if ((fg_weekday(d) >= 5) == weekend && fg_config_is_workday(p->c->cfg, d) == work) return d;
  return FG_NODAY;
}

static void fg_off_hours(fg_gen_plant *p) {
  char h[16], r[16], oid[32];
  fg_gen_p_staff(p, 'h', p->rep + 1, h);
  fg_gen_p_staff(p, 'r', p->rep + 1, r);
  const fg_day from = p->c->as_of - 30 - 7 * p->rep;
  const fg_day w = fg_find_day(p, from, false, true);
  FG_ASSERT(w != FG_NODAY);
  const int64_t fire[] = {fg_at(w, 19, 0, 1), fg_at(w, 7, 59, 59)};
  const int64_t fine[] = {fg_at(w, 19, 0, 0), fg_at(w, 8, 0, 0)};
  for (int k = 0; k < 2; k++) {
    fg_gen_p_op(p, "back_payment", h, r, NULL, NULL, "BJ-T", 80000, fire[k], oid);
    fg_gen_truth_add(p, "control.off_hours_high_risk", oid, 0);
    fg_gen_p_op(p, "back_payment", h, r, NULL, NULL, "BJ-T", 80000, fine[k], NULL);
  }
  const fg_day sat = fg_find_day(p, from, true, false); /* an ordinary weekend day */
  FG_ASSERT(sat != FG_NODAY);
  fg_gen_p_op(p, "retirement_approval", h, r, NULL, NULL, "RT-T", -1, fg_at(sat, 10, 0, 0), oid);
  fg_gen_truth_add(p, "control.off_hours_high_risk", oid, 0);
  const fg_day hol = fg_find_day(p, from, false, false); /* a weekday public holiday */
  if (hol != FG_NODAY) {
    fg_gen_p_op(p, "benefit_change", h, r, NULL, NULL, "BC-T", -1, fg_at(hol, 10, 0, 0), oid);
    fg_gen_truth_add(p, "control.off_hours_high_risk", oid, 0);
  }
  const fg_day makeup = fg_find_day(p, from, true, true); /* 调休上班: a working day */
  if (makeup != FG_NODAY)
    fg_gen_p_op(p, "benefit_change", h, r, NULL, NULL, "BC-T", -1, fg_at(makeup, 10, 0, 0), NULL);
  /* not high risk: an enrolment at night, a 50000.00 payment on a Sunday */
  fg_gen_p_op(p, "enroll", h, r, NULL, NULL, NULL, -1, fg_at(sat, 23, 0, 0), NULL);
  fg_gen_p_op(p, "payment", h, r, NULL, NULL, "REF-EDGE", 5000000, fg_at(sat, 23, 0, 0), NULL);
}

void fg_gen_plant_control(fg_gen_plant *p) {
  const fg_day w = (fg_day)(fg_gen_worktime(p->c, &p->rng, p->c->as_of - 40 - 3 * p->rep) / DAY_S);
  fg_reviews(p, w);
  fg_dealing(p, w);
  fg_posts(p);
  fg_off_hours(p);
}
