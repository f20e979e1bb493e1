/*
 * rules_contrib.c — contribution rules of rules.md v1.2:
 * contribution.base_out_of_range, contribution.base_spike,
 * contribution.backpay_before_retirement, contribution.before_age_16,
 * contribution.after_death. Person rules: one finding per person key.
 *
 * Contributions are grouped by person and sorted by (period, paid_date)
 * (model.h), so every rule is one pass over a person's rows, with binary
 * search for the retirement windows. Money is summed in int64 fen; the
 * base_spike ratio is compared by cross-multiplication in __int128.
 * Read-only on the model; writes only to `out` (thread-safe).
 */
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"
#include "screen/rule_kit.h"
#include "screen/rules.h"

/* contribution.base_spike windows (rules.md Boundaries). */
enum {
  FG_RC_SPIKE_WINDOW_MONTHS = 36,
  FG_RC_SPIKE_MIN_PERIODS = 12,
  FG_RC_PCT = 100,
  /* backpay window: paid_date in [approved_on - 364 days, approved_on] */
  FG_RC_BACKPAY_WINDOW_DAYS = 364,
  FG_RC_ADULT_AGE_YEARS = 16,
};

static bool fg_rc_is_pension(fg_scheme s) { return s == 110 || s == 120 || s == 170; }

/* A wage_bases row keyed as contributions hold their region (model.h
 * fg_mc_region: the 6-digit code, -1 when empty). */
typedef struct fg_rc_wb {
  int32_t region; /* -1 empty; -2 a text that is not 6 digits: no contribution has it */
  int year;
  const fg_m_wage_base *w;
} fg_rc_wb;

/* A wage_bases row's region text keyed as fg_mc_region holds it. */
static int32_t fg_rc_region_code(const char *s) {
  if (s[0] == '\0') return -1;
  const int32_t code = fg_region_digits(s, strlen(s));
  return code >= 0 ? code : -2;
}

static int fg_rc_wb_cmp(const void *a, const void *b) {
  const fg_rc_wb *x = a, *y = b;
  if (x->region != y->region) return x->region < y->region ? -1 : 1;
  return (x->year > y->year) - (x->year < y->year);
}

/* The wage_bases row of (region, year) in the sorted copy, or NULL. */
static const fg_m_wage_base *fg_rc_wb_find(const fg_rc_wb *wb, int32_t n, int32_t region,
                                           int year) {
  fg_rc_wb key = {.region = region, .year = year};
  const fg_rc_wb *hit = bsearch(&key, wb, (size_t)n, sizeof wb[0], fg_rc_wb_cmp);
  return hit ? hit->w : NULL;
}

static void fg_rc_range_person(const fg_model *m, const fg_rc_wb *wb, fg_pk pk,
                               fg_rk *rk, fg_findings *out) {
  fg_rowid last_wb_row = -1;
  for (int64_t i = m->contributions_off[pk]; i < m->contributions_off[pk + 1]; i++) {
    const fg_m_contribution *c = &m->contributions[i];
    if (fg_mc_scheme(c) != 110 || c->employer_id == 0) continue;
    const fg_m_wage_base *w =
        fg_rc_wb_find(wb, m->nwage_bases, fg_mc_region(c), fg_month_year(fg_mc_period(c)));
    if (w == NULL || (fg_m_fen(m, c->base_f32) >= w->floor_fen && fg_m_fen(m, c->base_f32) <= w->cap_fen)) continue;
    char mo[8], base[32], lim[32];
    fg_format_month(fg_mc_period(c), mo);
    fg_fen_to_yuan(fg_m_fen(m, c->base_f32), base, sizeof base);
    bool low = fg_m_fen(m, c->base_f32) < w->floor_fen;
    fg_fen_to_yuan(low ? w->floor_fen : w->cap_fen, lim, sizeof lim);
    if (fg_rk_empty(rk)) fg_rk_text(rk, "职工养老（110）缴费基数超出上下限: ");
    fg_rk_item(rk, "%s 基数 %s %s %s", mo, base, low ? "低于下限" : "高于上限", lim);
    fg_rk_ev(rk, FG_T_CONTRIBUTIONS, c->row);
    if (w->row != last_wb_row) fg_rk_ev(rk, FG_T_WAGE_BASES, w->row);
    last_wb_row = w->row;
  }
  if (!fg_rk_empty(rk))
    fg_rk_emit(rk, out, "contribution.base_out_of_range", "person", m->pk_id[pk], 0);
}

void fg_rule_contribution_base_out_of_range(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  FG_ASSERT(m->nwage_bases >= 0);
  fg_rc_wb *wb = fg_xcalloc((size_t)m->nwage_bases + 1, sizeof *wb);
  for (int32_t i = 0; i < m->nwage_bases; i++) {
    const fg_m_wage_base *w = &m->wage_bases[i];
    FG_ASSERT(w->region < m->nstr);
    wb[i] = (fg_rc_wb){fg_rc_region_code(m->str[w->region]), w->year, w};
  }
  qsort(wb, (size_t)m->nwage_bases, sizeof *wb, fg_rc_wb_cmp);
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++)
    if (m->contributions_off[pk] < m->contributions_off[pk + 1])
      fg_rc_range_person(m, wb, pk, &rk, out);
  fg_rk_release(&rk);
  free(wb);
}

/* First contribution index in [lo, hi) with period >= mo (rows sorted by period). */
static int64_t fg_rc_lower_bound(const fg_model *m, int64_t lo, int64_t hi, fg_month mo) {
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (fg_mc_period(&m->contributions[mid]) < mo) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef struct fg_rc_window {
  int64_t sum_fen, rows;
  int32_t periods; /* distinct */
} fg_rc_window;

/* Scheme-110 rows of [lo, hi) with period in [from, to]. */
static fg_rc_window fg_rc_window_of(const fg_model *m, int64_t lo, int64_t hi, fg_month from,
                                    fg_month to) {
  fg_rc_window w = {0, 0, 0};
  fg_month last = FG_NOMONTH;
  for (int64_t i = fg_rc_lower_bound(m, lo, hi, from); i < hi; i++) {
    const fg_m_contribution *c = &m->contributions[i];
    if (fg_mc_period(c) > to) break;
    if (fg_mc_scheme(c) != 110) continue;
    w.sum_fen = fg_add_sat(w.sum_fen, fg_m_fen(m, c->base_f32));
    w.rows++;
    if (fg_mc_period(c) != last) w.periods++;
    last = fg_mc_period(c);
  }
  return w;
}

/* base_spike test of one retirement; fills the two windows (A, B). */
static bool fg_rc_spike_fires(const fg_rule_ctx *ctx, int64_t lo, int64_t hi,
                              const fg_m_retirement *r, fg_rc_window *a, fg_rc_window *b) {
  if (r->retire_date == FG_NODAY) return false;
  fg_month M = fg_month_of_day(r->retire_date);
  *a = fg_rc_window_of(ctx->m, lo, hi, M - FG_RC_SPIKE_WINDOW_MONTHS, M - 1);
  *b = fg_rc_window_of(ctx->m, lo, hi, M - 2 * FG_RC_SPIKE_WINDOW_MONTHS,
                       M - FG_RC_SPIKE_WINDOW_MONTHS - 1);
  if (a->periods < FG_RC_SPIKE_MIN_PERIODS || b->periods < FG_RC_SPIKE_MIN_PERIODS) return false;
  FG_ASSERT(a->rows > 0 && b->rows > 0);
  /* mean(A) > pct/100 x mean(B)  <=>  sumA*rowsB*100 > pct*sumB*rowsA */
  __int128 lhs = (__int128)a->sum_fen * b->rows * FG_RC_PCT;
  __int128 rhs = (__int128)ctx->cfg->base_spike_ratio_pct * b->sum_fen * a->rows;
  return lhs > rhs;
}

static void fg_rc_spike_person(const fg_rule_ctx *ctx, fg_pk pk, fg_rk *rk, fg_findings *out) {
  const fg_model *m = ctx->m;
  int64_t lo = m->contributions_off[pk], hi = m->contributions_off[pk + 1];
  for (int64_t r = m->retirements_off[pk]; r < m->retirements_off[pk + 1]; r++) {
    const fg_m_retirement *ret = &m->retirements[r];
    fg_rc_window a, b;
    if (!fg_rc_spike_fires(ctx, lo, hi, ret, &a, &b)) continue;
    fg_month M = fg_month_of_day(ret->retire_date);
    char mo[8], sa[32], sb[32];
    fg_format_month(M, mo);
    fg_fen_to_yuan(a.sum_fen, sa, sizeof sa);
    fg_fen_to_yuan(b.sum_fen, sb, sizeof sb);
    fg_rk_text(rk, "%s退休月 %s：前一窗口基数合计 %s（%lld 行），后一窗口 %s（%lld 行）",
               fg_rk_empty(rk) ? "" : "; ", mo, sa, (long long)a.rows, sb, (long long)b.rows);
    fg_rk_ev(rk, FG_T_RETIREMENTS, ret->row);
    for (int64_t i = fg_rc_lower_bound(m, lo, hi, M - 2 * FG_RC_SPIKE_WINDOW_MONTHS); i < hi; i++) {
      if (fg_mc_period(&m->contributions[i]) >= M) break;
      if (fg_mc_scheme(&m->contributions[i]) == 110) fg_rk_ev(rk, FG_T_CONTRIBUTIONS, m->contributions[i].row);
    }
  }
  if (!fg_rk_empty(rk)) fg_rk_emit(rk, out, "contribution.base_spike", "person", m->pk_id[pk], 0);
}

void fg_rule_contribution_base_spike(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  FG_ASSERT(ctx->cfg->base_spike_ratio_pct >= 0);
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++)
    if (m->retirements_off[pk] < m->retirements_off[pk + 1] &&
        m->contributions_off[pk] < m->contributions_off[pk + 1])
      fg_rc_spike_person(ctx, pk, &rk, out);
  fg_rk_release(&rk);
}

/* A back payment of a pension scheme paid within retirement r's window. */
static bool fg_rc_backpay_in(const fg_m_contribution *c, const fg_m_retirement *r) {
  return fg_mc_kind(c) == FG_CONTRIB_BACK && fg_rc_is_pension(fg_mc_scheme(c)) && r->approved_on != FG_NODAY &&
         fg_mc_paid(c) != FG_NODAY && fg_mc_paid(c) >= r->approved_on - FG_RC_BACKPAY_WINDOW_DAYS &&
         fg_mc_paid(c) <= r->approved_on;
}

/* Distinct periods of the back payments in retirement r's window. */
static int32_t fg_rc_backpay_periods(const fg_model *m, int64_t lo, int64_t hi,
                                     const fg_m_retirement *r) {
  int32_t periods = 0;
  fg_month last = FG_NOMONTH;
  for (int64_t i = lo; i < hi; i++) {
    const fg_m_contribution *c = &m->contributions[i];
    if (!fg_rc_backpay_in(c, r)) continue;
    if (fg_mc_period(c) != last) periods++; /* rows sorted by period */
    last = fg_mc_period(c);
  }
  return periods;
}

/* Growable per-person flags (one per retirement), reused across persons. */
typedef struct fg_rc_flags {
  uint8_t *v;
  int64_t cap;
} fg_rc_flags;

static void fg_rc_flags_need(fg_rc_flags *f, int64_t n) {
  FG_ASSERT(n >= 0);
  if (n <= f->cap) return;
  f->cap = FG_MAX(n, 2 * f->cap);
  f->v = fg_xrealloc(f->v, (size_t)f->cap);
}

static void fg_rc_backpay_person(const fg_rule_ctx *ctx, fg_pk pk, fg_rc_flags *fired,
                                 fg_rk *rk, fg_findings *out) {
  const fg_model *m = ctx->m;
  int64_t lo = m->contributions_off[pk], hi = m->contributions_off[pk + 1];
  int64_t rlo = m->retirements_off[pk], nret = m->retirements_off[pk + 1] - rlo;
  fg_rc_flags_need(fired, nret);
  bool any = false;
  for (int64_t r = 0; r < nret; r++) {
    const fg_m_retirement *ret = &m->retirements[rlo + r];
    int32_t periods = fg_rc_backpay_periods(m, lo, hi, ret);
    fired->v[r] = periods >= ctx->cfg->backpay_min_periods;
    if (!fired->v[r]) continue;
    char d[11];
    fg_format_day(ret->approved_on, d);
    fg_rk_text(rk, "%s%s 批准退休，之前集中补缴 %d 个期间", any ? "; " : "", d, periods);
    fg_rk_ev(rk, FG_T_RETIREMENTS, ret->row);
    any = true;
  }
  if (!any) return;
  int64_t sum_fen = 0;
  for (int64_t i = lo; i < hi; i++) {
    bool in = false;
    for (int64_t r = 0; r < nret && !in; r++)
      in = fired->v[r] && fg_rc_backpay_in(&m->contributions[i], &m->retirements[rlo + r]);
    if (!in) continue;
    sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, m->contributions[i].amount_f32));
    fg_rk_ev(rk, FG_T_CONTRIBUTIONS, m->contributions[i].row);
  }
  fg_rk_emit(rk, out, "contribution.backpay_before_retirement", "person", m->pk_id[pk], sum_fen);
}

void fg_rule_contribution_backpay_before_retirement(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rc_flags fired = {NULL, 0};
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++)
    if (m->retirements_off[pk] < m->retirements_off[pk + 1] &&
        m->contributions_off[pk] < m->contributions_off[pk + 1])
      fg_rc_backpay_person(ctx, pk, &fired, &rk, out);
  fg_rk_release(&rk);
  free(fired.v);
}

void fg_rule_contribution_before_age_16(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->contributions_off[pk], hi = m->contributions_off[pk + 1];
    fg_day birth = fg_rk_birth(m, pk);
    if (lo == hi || birth == FG_NODAY) continue;
    /* the month of the 16th birthday (29 Feb -> 1 March in a common year) */
    fg_month turns16 = fg_month_of_day(fg_birthday_at(birth, FG_RC_ADULT_AGE_YEARS));
    int64_t sum_fen = 0;
    for (int64_t i = lo; i < hi && fg_mc_period(&m->contributions[i]) < turns16; i++) {
      const fg_m_contribution *c = &m->contributions[i];
      if (fg_mc_scheme(c) == 390) continue;
      if (fg_rk_empty(&rk)) fg_rk_text(&rk, "未满 16 周岁的缴费期间: ");
      fg_rk_item_month(&rk, fg_mc_period(c));
      fg_rk_ev(&rk, FG_T_CONTRIBUTIONS, c->row);
      sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, c->amount_f32));
    }
    if (fg_rk_empty(&rk)) continue;
    fg_rk_ev(&rk, FG_T_PERSONS, fg_rk_person_row(m, pk));
    fg_rk_emit(&rk, out, "contribution.before_age_16", "person", m->pk_id[pk], sum_fen);
  }
  fg_rk_release(&rk);
}

void fg_rule_contribution_after_death(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->contributions_off[pk], hi = m->contributions_off[pk + 1];
    if (lo == hi || m->pk_death[pk] == FG_NODAY) continue;
    fg_month dm = fg_month_of_day(m->pk_death[pk]);
    if (fg_mc_period(&m->contributions[hi - 1]) <= dm) continue; /* sorted by period */
    int64_t sum_fen = 0;
    char d[11];
    fg_format_day(m->pk_death[pk], d);
    fg_rk_text(&rk, "%s 死亡；之后仍有缴费的期间 ", d);
    for (int64_t i = fg_rc_lower_bound(m, lo, hi, dm + 1); i < hi; i++) {
      const fg_m_contribution *c = &m->contributions[i];
      FG_ASSERT(fg_mc_period(c) > dm);
      fg_rk_item_month(&rk, fg_mc_period(c));
      fg_rk_ev(&rk, FG_T_CONTRIBUTIONS, c->row);
      sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, c->amount_f32));
    }
    fg_rk_ev_death(&rk, m, pk);
    fg_rk_emit(&rk, out, "contribution.after_death", "person", m->pk_id[pk], sum_fen);
  }
  fg_rk_release(&rk);
}
