/*
 * gen_person.c — the background person model: one person per slot, drawn
 * from the slot's own random stream, written to the caller's buffers. The
 * model is built so that no background row raises any rule (docs/
 * generator.md lists, rule by rule, why):
 *   - employees (18-28 at their first job): 110/310/210 enrollments that
 *     never overlap within a group (a job change ends one 110 enrollment the
 *     day before the next starts), monthly 110 contributions with a base of
 *     70-250 % of the year's average wage (floor 60 %, cap 300 %), retirement
 *     on the statutory date (rules.md v1.3: original age 60 for men, 55 for
 *     the women cadres, 50 for the other women, moved by the 2025 law's
 *     schedule for the birth month) with a normally reviewed approval and
 *     the months contributed since the first job on file,
 *     monthly pensions up to the death month, a survival certification every
 *     12 months; a few become unemployed (210 contributions counted, paid at
 *     most their entitlement, no employer contributions meanwhile), women
 *     may draw maternity benefit (episodes >= 14 months apart);
 *   - residents: 390 medical with yearly contributions (children too), 170
 *     pension enrollment from 18 with yearly contributions, 170 pension from
 *     60; a few non-pensioners serve prison terms;
 *   - everyone: a few outpatient visits and rarely a short inpatient stay at
 *     background institutions, catalogue items within price, quantity, sex
 *     and age limits, an active (non-bed) item line every day of a stay.
 */
#include <string.h>

#include "gen/gen_internal.h"

enum {
  FG_GEN_AGE_ADULT_DAYS = 16 * 365 + 4,
  FG_GEN_AGE_OLD_DAYS = 60 * 365 + 15,
  FG_GEN_AGE_DAYS_MAX = 90 * 365,
  FG_GEN_EMPLOYEE_PER_MILLE = 420,
  FG_GEN_RETIRE_AGE_MALE = 60,
  FG_GEN_RETIRE_AGE_FEMALE = 50,
  FG_GEN_RETIRE_AGE_CADRE = 55,
  FG_GEN_CADRE_PER_MILLE = 250,       /* women whose original age is 55 */
  FG_GEN_ORIGINAL_AGE_PER_MILLE = 500, /* original_age written (else empty: the default) */
  FG_GEN_RESIDENT_PENSION_AGE = 60,
  FG_GEN_UNEMPLOYED_PER_MILLE = 50,
  FG_GEN_SWITCH_PER_MILLE = 300,
  FG_GEN_MATERNITY_PER_MILLE = 150,
  FG_GEN_DEATH_PER_MILLE = 90,
  FG_GEN_JAIL_PER_MILLE = 4,
  FG_GEN_INPATIENT_PER_MILLE = 60,
  FG_GEN_LINES_MAX = 64,
  FG_GEN_CONTRIB_RATE_PCT = 24,
  FG_GEN_UNEMP_RATE_PCT = 2,
  FG_GEN_PAY_DAY = 5,       /* pensions are paid on the 5th of the period */
  FG_GEN_CERT_DAY = 10,     /* certifications on the 10th */
  FG_GEN_CONTRIB_DAY = 15,  /* contributions paid on the 15th of the next month */
};

typedef struct bgp {
  const fg_gen_ctx *c;
  fg_gen_out *o;
  fg_gen_rng r;
  int64_t slot;
  char id[FG_GEN_ID_LEN + 1];
  char bank[24];
  int sex;
  fg_day birth, death; /* death FG_NODAY when alive */
  const char *region;
  int npay, nsettle, nop;
  bool worker; /* 310 medical, else 390 */
} bgp;

/* prefix + 10-digit slot + seq in `digits` digits. */
static void fg_mkid(char *out, const char *prefix, int64_t slot, int seq, int digits) {
  size_t n = strlen(prefix);
  memcpy(out, prefix, n);
  int64_t v = slot;
  for (int i = 9; i >= 0; i--, v /= 10) out[n + (size_t)i] = (char)('0' + v % 10);
  n += 10;
  for (int i = digits - 1; i >= 0; i--, seq /= 10) out[n + (size_t)i] = (char)('0' + seq % 10);
  out[n + (size_t)digits] = '\0';
}

static fg_month fg_last_contrib_month(const fg_gen_ctx *c) {
  return fg_month_of_day(c->as_of - (FG_GEN_CONTRIB_DAY - 1)) - 1;
}
static fg_month fg_last_pension_month(const fg_gen_ctx *c) {
  return fg_month_of_day(c->as_of - (FG_GEN_PAY_DAY - 1));
}

static void fg_bg_pay(bgp *p, const char *scheme, const char *type, fg_month m, int64_t fen, int day) {
  char pid[32];
  fg_mkid(pid, "BP", p->slot, p->npay++, 4);
  fg_gen_row(p->o, FG_T_BENEFIT_PAYMENTS, "sssssmyds", pid, p->id, scheme, type, p->region, m,
             fen, fg_month_first_day(m) + day - 1, p->bank);
}

static void fg_bg_op(bgp *p, const char *type, int64_t at, bool reviewed) {
  const fg_gen_ctx *c = p->c;
  char oid[32], op[16], rev[16];
  fg_mkid(oid, "OB", p->slot, p->nop++, 1);
  fg_gen_staff_id(c->handlers[fg_gen_rng_below(&p->r, (uint32_t)c->nhandlers)], op);
  fg_gen_staff_id(c->reviewers[fg_gen_rng_below(&p->r, (uint32_t)c->nreviewers)], rev);
  fg_gen_row(p->o, FG_T_OPERATIONS, "sssssssyt", oid, type, op, reviewed ? rev : NULL, NULL,
             p->id, NULL, (int64_t)-1, at);
}

/* Pensions pm0..limit (cut at the death month), certifications every 12
 * months from pm0 + 11, the death row(s) and a funeral grant. */
static void fg_bg_pension(bgp *p, const char *scheme, fg_month pm0, int64_t fen) {
  const fg_gen_ctx *c = p->c;
  fg_month pm1 = fg_last_pension_month(c);
  if (pm0 > pm1) return;
  if (pm0 <= pm1 - 2 && fg_gen_rng_chance(&p->r, FG_GEN_DEATH_PER_MILLE)) {
    p->death = (fg_day)fg_gen_rng_range(&p->r, fg_month_first_day(pm0) + 10, c->as_of - 1);
    static const char *const src[] = {"civil_affairs", "health", "public_security", "funeral"};
    fg_gen_row(p->o, FG_T_DEATHS, "sds", p->id, p->death, src[fg_gen_rng_below(&p->r, 4)]);
    if (fg_gen_rng_chance(&p->r, 300))
      fg_gen_row(p->o, FG_T_DEATHS, "sds", p->id, p->death + (fg_day)fg_gen_rng_range(&p->r, 0, 20),
                 "funeral");
    const fg_month dm = fg_month_of_day(p->death);
    if (dm + 1 <= pm1 && fg_month_first_day(dm + 1) + 14 <= c->as_of)
      fg_bg_pay(p, scheme, "funeral", dm + 1, fen * 4, 15);
    const int64_t at = fg_gen_worktime(c, &p->r, p->death + (fg_day)fg_gen_rng_range(&p->r, 3, 20));
    if (at / 86400 <= c->as_of) fg_bg_op(p, "benefit_change", at, true);
    pm1 = FG_MIN(pm1, dm);
  }
  for (fg_month m = pm0; m <= pm1; m++) fg_bg_pay(p, scheme, "pension", m, fen, FG_GEN_PAY_DAY);
  static const char *const methods[] = {"人脸识别", "社区核验", "上门认证"};
  for (fg_month m = pm0 + 11;; m += 12) {
    const fg_day d = fg_month_first_day(m) + FG_GEN_CERT_DAY - 1;
    if (d > c->as_of || (p->death != FG_NODAY && d > p->death)) break;
    fg_gen_row(p->o, FG_T_SURVIVAL_CERTIFICATIONS, "sds", p->id, d,
               methods[fg_gen_rng_below(&p->r, 3)]);
  }
}

static int fg_entitlement_months(int64_t contrib_months) {
  return contrib_months < 12 ? 0 : contrib_months < 60 ? 12 : contrib_months < 120 ? 18 : 24;
}

typedef struct job {
  fg_day ws, wend;      /* work start, work end (FG_NODAY = open) */
  fg_day sw;            /* employer switch (first of a month) or FG_NODAY */
  char e1[FG_GEN_ID_LEN + 1], e2[FG_GEN_ID_LEN + 1];
  fg_month cm0, cm1;    /* contribution months */
  int64_t base_pct;
  bool retired, unemployed;
  int original_age;     /* 60, 55, 50 */
  fg_day rd;
  fg_month um;          /* last employed month of an unemployed person */
  int ument;            /* unemployment months paid */
} job;

static void fg_bg_job_enrollments(bgp *p, const job *j) {
  const fg_day d2007 = fg_day_from_ymd(2007, 1, 1);
  const fg_day r390 = FG_MAX(p->birth, d2007);
  if (r390 < j->ws) fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "390", p->region, NULL, r390, j->ws - 1);
  if (j->sw != FG_NODAY) {
    fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "110", p->region, j->e1, j->ws, j->sw - 1);
    fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "110", p->region, j->e2, j->sw, j->wend);
  } else {
    fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "110", p->region, j->e1, j->ws, j->wend);
  }
  const char *el = j->sw != FG_NODAY ? j->e2 : j->e1;
  const fg_day mend = j->unemployed ? j->wend : FG_NODAY;
  fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "310", p->region, el, j->ws, mend);
  fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "210", p->region, el, j->ws, j->wend);
  if (j->unemployed)
    fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "390", p->region, NULL, j->wend + 1, FG_NODAY);
}

static void fg_bg_job_contributions(bgp *p, const job *j) {
  for (fg_month m = j->cm0; m <= j->cm1; m++) {
    const char *e = j->sw != FG_NODAY && m >= fg_month_of_day(j->sw) ? j->e2 : j->e1;
    const int64_t base = fg_gen_avg_wage_fen(fg_month_year(m)) * j->base_pct / 100;
    const fg_day paid = fg_month_first_day(m + 1) + FG_GEN_CONTRIB_DAY - 1;
    fg_gen_row(p->o, FG_T_CONTRIBUTIONS, "ssssmyyds", p->id, e, "110", p->region, m, base,
               base * FG_GEN_CONTRIB_RATE_PCT / 100, paid, "normal");
    if (j->unemployed)
      fg_gen_row(p->o, FG_T_CONTRIBUTIONS, "ssssmyyds", p->id, e, "210", p->region, m, base,
                 base * FG_GEN_UNEMP_RATE_PCT / 100, paid, "normal");
  }
}

/* Maternity benefit: one or two 4-month episodes >= 14 months apart, inside
 * the contribution months. */
static void fg_bg_maternity(bgp *p, const job *j) {
  if (p->sex != 2 || j->cm1 - j->cm0 < 12) return;
  if (!fg_gen_rng_chance(&p->r, FG_GEN_MATERNITY_PER_MILLE)) return;
  const fg_month b = (fg_month)fg_gen_rng_range(&p->r, j->cm0 + 2, j->cm1 - 4);
  const int age = fg_age_years(p->birth, fg_month_first_day(b));
  if (age < 22 || age > 42) return;
  fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "510", p->region, j->e1, j->ws, j->wend);
  const int64_t fen = fg_gen_avg_wage_fen(fg_month_year(b));
  fg_month b2 = b + (fg_month)fg_gen_rng_range(&p->r, 14, 40);
  for (int k = 0; k < 4; k++) fg_bg_pay(p, "510", "maternity", b + k, fen, 20);
  if (b2 + 3 <= j->cm1 && fg_gen_rng_chance(&p->r, 300))
    for (int k = 0; k < 4; k++) fg_bg_pay(p, "510", "maternity", b2 + k, fen, 20);
}

static void fg_bg_retirement(bgp *p, const job *j) {
  const fg_gen_ctx *c = p->c;
  const int64_t at = fg_gen_worktime(c, &p->r, j->rd - (fg_day)fg_gen_rng_range(&p->r, 10, 40));
  const fg_day approved = (fg_day)(at / 86400);
  int r1, r2;
  fg_gen_pick2(&p->r, c->reviewers, c->nreviewers, &r1, &r2);
  char s1[16], s2[16];
  fg_gen_staff_id(r1, s1);
  fg_gen_staff_id(r2, s2);
  /* empty original_age means 60 for men and 50 for women: a cadre's 55 is
   * always written */
  const bool write_o = j->original_age == FG_GEN_RETIRE_AGE_CADRE ||
                       fg_gen_rng_chance(&p->r, FG_GEN_ORIGINAL_AGE_PER_MILLE);
  const int64_t months = fg_month_of_day(j->rd) - fg_month_of_day(j->ws);
  FG_ASSERT(months >= fg_config_min_contribution_months(c->cfg, 2099));
  fg_gen_row(p->o, FG_T_RETIREMENTS, "ssdddissii", p->id, "normal", approved, j->rd, p->birth,
             (int64_t)-1, s1, s2, (int64_t)(write_o ? j->original_age : -1), months);
  if (approved >= c->hist_first_day && approved <= c->as_of)
    fg_bg_op(p, "retirement_approval", at, true);
  const fg_month pm0 = FG_MAX(fg_month_of_day(j->rd) + 1, c->hist_first_month);
  fg_bg_pension(p, "110", pm0, fg_gen_rng_range(&p->r, 250000, 650000));
}

static void fg_bg_unemployment(bgp *p, const job *j) {
  for (int k = 1; k <= j->ument; k++)
    fg_bg_pay(p, "210", "unemployment", j->um + k, 180000, 10);
}

/* Employee life; returns false when the person is too young to work. */
static bool fg_bg_employee(bgp *p) {
  const fg_gen_ctx *c = p->c;
  job j;
  memset(&j, 0, sizeof j);
  j.ws = fg_day_plus_years(p->birth, 18 + (int)fg_gen_rng_below(&p->r, 11)) +
         (fg_day)fg_gen_rng_below(&p->r, 200);
  if (j.ws > c->as_of - 60) return false;
  p->worker = true;
  j.original_age = p->sex == 1 ? FG_GEN_RETIRE_AGE_MALE
                   : fg_gen_rng_chance(&p->r, FG_GEN_CADRE_PER_MILLE) ? FG_GEN_RETIRE_AGE_CADRE
                                                                       : FG_GEN_RETIRE_AGE_FEMALE;
  j.rd = fg_gen_statutory(c, p->birth, j.original_age, 0);
  j.retired = j.rd <= c->as_of;
  j.wend = j.retired ? j.rd : FG_NODAY;
  j.sw = FG_NODAY;
  j.base_pct = fg_gen_rng_range(&p->r, 70, 250);
  fg_gen_employer_id(fg_gen_rng_below(&p->r, (uint32_t)c->nemployers), j.e1);
  j.cm0 = FG_MAX(fg_month_of_day(j.ws), c->hist_first_month);
  j.cm1 = j.retired ? fg_month_of_day(j.rd) - 1 : fg_last_contrib_month(c);
  if (!j.retired && j.rd > c->as_of + 400 && j.cm1 - j.cm0 > 20 &&
      fg_gen_rng_chance(&p->r, FG_GEN_UNEMPLOYED_PER_MILLE)) {
    j.um = (fg_month)fg_gen_rng_range(&p->r, j.cm0 + 14, j.cm1 - 2);
    const int ent = fg_entitlement_months(j.um - j.cm0 + 1);
    const int room = (int)(fg_last_pension_month(c) - 1 - j.um);
    j.ument = FG_MIN(FG_MIN(ent, (int)fg_gen_rng_range(&p->r, 2, 9)), room);
    if (j.ument > 0) {
      j.unemployed = true;
      j.cm1 = j.um;
      j.wend = fg_month_last_day(j.um);
    }
  }
  const fg_month swm = fg_month_of_day(j.ws) + 13;
  const fg_month lastm = j.wend == FG_NODAY ? c->as_of_month - 1 : fg_month_of_day(j.wend) - 1;
  if (swm < lastm && fg_gen_rng_chance(&p->r, FG_GEN_SWITCH_PER_MILLE)) {
    j.sw = fg_month_first_day((fg_month)fg_gen_rng_range(&p->r, swm, lastm));
    fg_gen_employer_id(fg_gen_rng_below(&p->r, (uint32_t)c->nemployers), j.e2);
    if (strcmp(j.e1, j.e2) == 0) j.sw = FG_NODAY;
  }
  fg_bg_job_enrollments(p, &j);
  if (j.ws >= c->hist_first_day)
    fg_bg_op(p, "enroll", fg_gen_worktime(c, &p->r, j.ws), fg_gen_rng_chance(&p->r, 500));
  fg_bg_job_contributions(p, &j);
  if (!j.retired) fg_bg_maternity(p, &j);
  if (j.unemployed) fg_bg_unemployment(p, &j);
  if (j.retired) fg_bg_retirement(p, &j);
  return true;
}

static void fg_bg_resident(bgp *p) {
  const fg_gen_ctx *c = p->c;
  const fg_day r390 = FG_MAX(p->birth, fg_day_from_ymd(2007, 1, 1));
  fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "390", p->region, NULL, r390, FG_NODAY);
  const int y0 = fg_month_year(c->hist_first_month), y1 = fg_month_year(c->as_of_month);
  const fg_day s170 = FG_MAX(fg_day_plus_years(p->birth, 18), fg_day_from_ymd(2010, 7, 1)) +
                      (fg_day)fg_gen_rng_below(&p->r, 90);
  if (s170 <= c->as_of - 30) {
    fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", p->id, "170", p->region, NULL, s170, FG_NODAY);
    const fg_day p60 = fg_birthday_at(p->birth, FG_GEN_RESIDENT_PENSION_AGE);
    const int64_t grade = 50000 * (1 + (int64_t)fg_gen_rng_below(&p->r, 4));
    for (int y = y0; y <= y1; y++) {
      const fg_month m = fg_month_from_ym(y, 6);
      const fg_day paid = fg_month_first_day(m) + 19;
      if (m <= fg_month_of_day(s170) || m >= fg_month_of_day(p60) || paid > c->as_of) continue;
      fg_gen_row(p->o, FG_T_CONTRIBUTIONS, "ssssmyyds", p->id, NULL, "170", p->region, m, grade,
                 grade, paid, "normal");
    }
    if (p60 <= c->as_of) {
      const fg_month pm0 = FG_MAX(FG_MAX(fg_month_of_day(p60), fg_month_of_day(s170)) + 1,
                                  c->hist_first_month);
      fg_bg_pension(p, "170", pm0, fg_gen_rng_range(&p->r, 15000, 40000));
    } else if (fg_age_years(p->birth, c->as_of) >= 22 &&
               fg_gen_rng_chance(&p->r, FG_GEN_JAIL_PER_MILLE)) {
      const fg_day s = (fg_day)fg_gen_rng_range(&p->r, c->hist_first_day, c->as_of - 100);
      const fg_day e = s + (fg_day)fg_gen_rng_range(&p->r, 180, 1500);
      fg_gen_row(p->o, FG_T_INCARCERATIONS, "sdd", p->id, s, e > c->as_of ? FG_NODAY : e);
    }
  }
  /* Yearly resident medical contributions, none after the death month. */
  for (int y = y0; y <= y1; y++) {
    const fg_month m = fg_month_from_ym(y, 1);
    const fg_day paid = fg_month_first_day(m) + 9;
    if (m < fg_month_of_day(r390) || paid > c->as_of) continue;
    if (p->death != FG_NODAY && m > fg_month_of_day(p->death)) break;
    fg_gen_row(p->o, FG_T_CONTRIBUTIONS, "ssssmyyds", p->id, NULL, "390", p->region, m,
               (int64_t)38000, (int64_t)38000, paid, "normal");
  }
}

/* ---- medical ------------------------------------------------------------ */

typedef struct line {
  int item;
  fg_day day;
  int64_t qty_milli, price_fen, amount_fen, fund_fen;
} line;

static void fg_add_line(bgp *p, line *ls, int *n, int item, fg_day day) {
  FG_ASSERT(*n < FG_GEN_LINES_MAX);
  const fg_gen_item *it = &fg_gen_items[item];
  line *l = &ls[(*n)++];
  l->item = item;
  l->day = day;
  const int64_t max_units = it->max_qty_milli < 0 ? 3 : it->max_qty_milli / 1000;
  l->qty_milli = 1000 * fg_gen_rng_range(&p->r, 1, max_units);
  const int64_t maxp = it->max_price_fen < 0 ? 5000 : it->max_price_fen;
  l->price_fen = fg_gen_rng_range(&p->r, maxp / 2, maxp);
  l->amount_fen = l->price_fen * l->qty_milli / 1000;
  l->fund_fen = it->in_scope == 'Y' ? l->amount_fen * 70 / 100 : 0;
}

/* Outpatient lines: distinct items (one line per item and day), limits kept. */
static int fg_outpatient_lines(bgp *p, line *ls, fg_day day) {
  int n = 0;
  const int first = (int)fg_gen_rng_below(&p->r, FG_GEN_GENERAL_ITEMS);
  const int k = 1 + (int)fg_gen_rng_below(&p->r, 3);
  for (int i = 0; i < k; i++) fg_add_line(p, ls, &n, (first + i * 3) % FG_GEN_GENERAL_ITEMS, day);
  const int age = fg_age_years(p->birth, day);
  const uint32_t roll = fg_gen_rng_below(&p->r, 100);
  if (roll < 4) fg_add_line(p, ls, &n, p->sex == 1 ? FG_GEN_IT_PSA : FG_GEN_IT_CERVIX, day);
  else if (roll < 8 && age <= 14) fg_add_line(p, ls, &n, FG_GEN_IT_CHILD, day);
  else if (roll < 12 && age >= 18) fg_add_line(p, ls, &n, FG_GEN_IT_ADULT, day);
  else if (roll < 16) fg_add_line(p, ls, &n, FG_GEN_IT_OUT, day);
  else if (roll < 20) fg_add_line(p, ls, &n, FG_GEN_IT_FREE, day);
  return n;
}

static void fg_bg_settlement(bgp *p, int64_t inst, bool inpatient, fg_day admit, fg_day disch,
                          const line *ls, int n) {
  static const char *const diags[] = {"J06.9", "K29.7", "I10", "E11.9", "M54.5", "J18.9", "N39.0"};
  char sid[32], inv[32], iid[16];
  fg_mkid(sid, "SB", p->slot, p->nsettle, 2);
  fg_mkid(inv, "FB", p->slot, p->nsettle++, 2);
  fg_gen_inst_id(inst + 1, iid);
  int64_t total = 0, fund = 0;
  for (int i = 0; i < n; i++) total += ls[i].amount_fen, fund += ls[i].fund_fen;
  const fg_day last = inpatient ? disch : admit;
  const fg_day settled = FG_MIN(last + (fg_day)fg_gen_rng_below(&p->r, 3), p->c->as_of);
  fg_gen_row(p->o, FG_T_MEDICAL_SETTLEMENTS, "sssssddssyyd", sid, p->id, iid,
             p->worker ? "310" : "390", inpatient ? "inpatient" : "outpatient", admit,
             inpatient ? disch : FG_NODAY, diags[fg_gen_rng_below(&p->r, 7)], inv, total, fund,
             settled);
  for (int i = 0; i < n; i++)
    fg_gen_row(p->o, FG_T_MEDICAL_ITEMS, "sisdqyyy", sid, (int64_t)i + 1,
               fg_gen_items[ls[i].item].code, ls[i].day, ls[i].qty_milli, ls[i].price_fen,
               ls[i].amount_fen, ls[i].fund_fen);
}

static void fg_bg_medical(bgp *p) {
  const fg_gen_ctx *c = p->c;
  const fg_day from = FG_MAX(c->hist_first_day, p->birth + 1);
  const fg_day to = p->death != FG_NODAY ? p->death : c->as_of - 3;
  if (to - from < 30) return;
  line ls[FG_GEN_LINES_MAX];
  fg_day ia = FG_NODAY, id = FG_NODAY;
  int64_t iinst = 0;
  if (fg_gen_rng_chance(&p->r, FG_GEN_INPATIENT_PER_MILLE) && to - from > 20) {
    ia = (fg_day)fg_gen_rng_range(&p->r, from, to - 12);
    id = ia + (fg_day)fg_gen_rng_range(&p->r, 2, 10);
    iinst = fg_gen_rng_below(&p->r, (uint32_t)c->ninstitutions);
    int n = 0;
    for (fg_day d = ia; d < id; d++) {
      fg_add_line(p, ls, &n, FG_GEN_IT_BED, d);
      fg_add_line(p, ls, &n, FG_GEN_IT_INFUSION, d);
    }
    fg_bg_settlement(p, iinst, true, ia, id, ls, n);
  }
  const int visits = (int)fg_gen_rng_below(&p->r, 3) + (fg_age_years(p->birth, c->as_of) >= 60 ? (int)fg_gen_rng_below(&p->r, 3) : 0);
  for (int v = 0; v < visits; v++) {
    const fg_day d = (fg_day)fg_gen_rng_range(&p->r, from, to);
    int64_t inst = fg_gen_rng_below(&p->r, (uint32_t)c->ninstitutions);
    if (ia != FG_NODAY && d > ia && d < id) inst = iinst; /* never at another institution */
    const int n = fg_outpatient_lines(p, ls, d);
    fg_bg_settlement(p, inst, false, d, FG_NODAY, ls, n);
  }
}

/* Age in days at as_of: 16 % children, 64 % aged 16-59, 20 % aged 60-89. */
static fg_day fg_bg_age_days(fg_gen_rng *r) {
  const uint32_t roll = fg_gen_rng_below(r, 100);
  const int64_t lo = roll < 16 ? 0 : roll < 80 ? FG_GEN_AGE_ADULT_DAYS : FG_GEN_AGE_OLD_DAYS;
  const int64_t hi = roll < 16 ? FG_GEN_AGE_ADULT_DAYS : roll < 80 ? FG_GEN_AGE_OLD_DAYS : FG_GEN_AGE_DAYS_MAX;
  return (fg_day)fg_gen_rng_range(r, lo, hi - 1);
}

void fg_gen_person_bg(const fg_gen_ctx *c, int64_t slot, fg_gen_out *o) {
  FG_ASSERT(slot >= c->first_bg_slot && slot < c->opts->persons);
  bgp p;
  memset(&p, 0, sizeof p);
  p.c = c;
  p.o = o;
  p.slot = slot;
  p.death = FG_NODAY;
  fg_gen_rng_init(&p.r, c->opts->seed, FG_GEN_STREAM_PERSON, (uint64_t)slot);
  p.sex = 1 + (int)fg_gen_rng_below(&p.r, 2);
  p.birth = c->as_of - 1 - fg_bg_age_days(&p.r);
  p.region = fg_gen_city_regions[fg_gen_rng_below(&p.r, FG_GEN_CITY_REGIONS)];
  fg_gen_person_id(slot, p.sex, p.birth, p.id);
  fg_gen_bank_account(slot, p.bank);
  char name[FG_GEN_NAME_MAX];
  fg_gen_name(&p.r, p.sex, name);
  fg_gen_row(o, FG_T_PERSONS, "sssds", p.id, name, p.sex == 1 ? "1" : "2", p.birth, p.region);
  if (!fg_gen_rng_chance(&p.r, FG_GEN_EMPLOYEE_PER_MILLE) || !fg_bg_employee(&p)) fg_bg_resident(&p);
  fg_bg_medical(&p);
}
