/*
 * rules_benefit.c — benefit rules of rules.md v1.2: paid_after_death,
 * paid_during_incarceration, duplicate_pension, unemployment_while_employed,
 * unemployment_while_pensioned, unemployment_over_entitlement,
 * survival_cert_overdue, shared_bank_account, large_payment_unreviewed,
 * maternity_repeat.
 *
 * Payments are grouped by person and sorted by (period, paid_date) (model.h),
 * so the person rules walk a person's payments once, period group by period
 * group. shared_bank_account regroups payments by bank account with one
 * counting sort; large_payment_unreviewed indexes the payment operations by
 * reference once. Money is summed in int64 fen. Read-only on the model;
 * writes only to `out` (thread-safe).
 */
#include <stdlib.h>

#include "screen/rule_kit.h"
#include "screen/rules.h"

enum {
  /* benefit.maternity_repeat: episode starts closer than this fire */
  FG_RB_MATERNITY_MIN_GAP_MONTHS = 10,
  /* benefit.unemployment_over_entitlement: 210 months -> entitled months */
  FG_RB_ENTITLE_MONTHS_1 = 12, FG_RB_ENTITLE_MONTHS_2 = 60, FG_RB_ENTITLE_MONTHS_3 = 120,
  FG_RB_ENTITLED_1 = 12, FG_RB_ENTITLED_2 = 18, FG_RB_ENTITLED_3 = 24,
};
/* shared_bank_account indexes payments with 32-bit positions. */
#define FG_RB_PAYMENTS_MAX ((int64_t)UINT32_MAX - 1)

#define FG_RB_FOR_PERSONS(m, pk) for (fg_pk pk = 0; pk < (m)->npk; pk++)

/* End (exclusive) of the period group that starts at payment i (< hi). */
static int64_t fg_rb_period_end(const fg_model *m, int64_t i, int64_t hi) {
  FG_ASSERT(i < hi);
  int64_t j = i + 1;
  while (j < hi && fg_mp_period(&m->payments[j]) == fg_mp_period(&m->payments[i])) j++;
  return j;
}

static bool fg_rb_periodic_type(uint8_t t) {
  return t == FG_BEN_PENSION || t == FG_BEN_UNEMPLOYMENT || t == FG_BEN_INJURY_DISABILITY ||
         t == FG_BEN_INJURY_DEPENDANT || t == FG_BEN_MATERNITY;
}

void fg_rule_benefit_paid_after_death(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
    if (lo == hi || m->pk_death[pk] == FG_NODAY) continue;
    fg_month dm = fg_month_of_day(m->pk_death[pk]);
    int64_t sum_fen = 0;
    for (int64_t i = hi - 1; i >= lo && fg_mp_period(&m->payments[i]) > dm; i--) {
      const fg_m_payment *p = &m->payments[i];
      if (!fg_rb_periodic_type(fg_mp_type(p))) continue;
      sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, p->amount_f32));
      fg_rk_ev(&rk, FG_T_BENEFIT_PAYMENTS, p->row);
    }
    if (fg_rk_empty(&rk)) continue;
    char d[11];
    fg_format_day(m->pk_death[pk], d);
    fg_rk_text(&rk, "死亡（%s）后仍按月发放待遇", d);
    fg_rk_ev_death(&rk, m, pk);
    fg_rk_emit(&rk, out, "benefit.paid_after_death", "person", m->pk_id[pk], sum_fen);
  }
  fg_rk_release(&rk);
}

/* Whether incarceration c covers period mo: after the start month and not
 * after the end month (open end: no bound). */
static bool fg_rb_jail_covers(const fg_m_incarceration *c, fg_month mo) {
  if (c->start == FG_NODAY || mo <= fg_month_of_day(c->start)) return false;
  return c->end == FG_NODAY || mo <= fg_month_of_day(c->end);
}

static void fg_rb_jail_person(const fg_model *m, fg_pk pk, fg_rk *rk, fg_findings *out) {
  int64_t clo = m->incarcerations_off[pk], chi = m->incarcerations_off[pk + 1];
  int64_t sum_fen = 0;
  for (int64_t i = m->payments_off[pk]; i < m->payments_off[pk + 1]; i++) {
    const fg_m_payment *p = &m->payments[i];
    if (fg_mp_type(p) != FG_BEN_PENSION) continue;
    bool covered = false;
    for (int64_t c = clo; c < chi && !covered; c++)
      covered = fg_rb_jail_covers(&m->incarcerations[c], fg_mp_period(p));
    if (!covered) continue; /* a payment counts once however many cover it */
    if (fg_rk_empty(rk)) fg_rk_text(rk, "服刑期间发放养老金的期间: ");
    fg_rk_item_month(rk, fg_mp_period(p));
    fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, p->row);
    sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, p->amount_f32));
  }
  if (fg_rk_empty(rk)) return;
  for (int64_t c = clo; c < chi; c++) {
    bool used = false;
    for (int64_t i = m->payments_off[pk]; i < m->payments_off[pk + 1] && !used; i++)
      used = fg_mp_type(&m->payments[i]) == FG_BEN_PENSION &&
             fg_rb_jail_covers(&m->incarcerations[c], fg_mp_period(&m->payments[i]));
    if (used) fg_rk_ev(rk, FG_T_INCARCERATIONS, m->incarcerations[c].row);
  }
  fg_rk_emit(rk, out, "benefit.paid_during_incarceration", "person", m->pk_id[pk], sum_fen);
}

void fg_rule_benefit_paid_during_incarceration(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    if (m->payments_off[pk] < m->payments_off[pk + 1] &&
        m->incarcerations_off[pk] < m->incarcerations_off[pk + 1])
      fg_rb_jail_person(m, pk, &rk, out);
  }
  fg_rk_release(&rk);
}

void fg_rule_benefit_duplicate_pension(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
    int64_t amount_fen = 0;
    for (int64_t i = lo, j; i < hi; i = j) {
      j = fg_rb_period_end(m, i, hi);
      int64_t n = 0, sum_fen = 0, max_fen = 0;
      for (int64_t k = i; k < j; k++) {
        if (fg_mp_type(&m->payments[k]) != FG_BEN_PENSION) continue;
        n++;
        sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, m->payments[k].amount_f32));
        max_fen = FG_MAX(max_fen, fg_m_fen(m, m->payments[k].amount_f32));
      }
      if (n < 2) continue;
      if (fg_rk_empty(&rk)) fg_rk_text(&rk, "同一期间多笔养老金: ");
      fg_rk_item_month(&rk, fg_mp_period(&m->payments[i]));
      for (int64_t k = i; k < j; k++)
        if (fg_mp_type(&m->payments[k]) == FG_BEN_PENSION) fg_rk_ev(&rk, FG_T_BENEFIT_PAYMENTS, m->payments[k].row);
      amount_fen = fg_add_sat(amount_fen, sum_fen - max_fen);
    }
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, "benefit.duplicate_pension", "person", m->pk_id[pk], amount_fen);
  }
  fg_rk_release(&rk);
}

/* First contribution index in [lo, hi) with period >= mo (sorted by period). */
static int64_t fg_rb_contrib_lower_bound(const fg_model *m, int64_t lo, int64_t hi, fg_month mo) {
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (fg_mc_period(&m->contributions[mid]) < mo) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Adds the employed (110/310 with employer) contributions of period mo as
 * evidence; returns whether there is one. */
static bool fg_rb_employed_in(const fg_model *m, fg_pk pk, fg_month mo, fg_rk *rk) {
  int64_t hi = m->contributions_off[pk + 1];
  bool any = false;
  for (int64_t i = fg_rb_contrib_lower_bound(m, m->contributions_off[pk], hi, mo);
       i < hi && fg_mc_period(&m->contributions[i]) == mo; i++) {
    const fg_m_contribution *c = &m->contributions[i];
    if ((fg_mc_scheme(c) != 110 && fg_mc_scheme(c) != 310) || c->employer_id == 0) continue;
    any = true;
    fg_rk_ev(rk, FG_T_CONTRIBUTIONS, c->row);
  }
  return any;
}

static void fg_rb_employed_person(const fg_model *m, fg_pk pk, fg_rk *rk, fg_findings *out) {
  int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
  int64_t sum_fen = 0;
  for (int64_t i = lo, j; i < hi; i = j) {
    j = fg_rb_period_end(m, i, hi);
    bool paid = false;
    for (int64_t k = i; k < j && !paid; k++) paid = fg_mp_type(&m->payments[k]) == FG_BEN_UNEMPLOYMENT;
    if (!paid || !fg_rb_employed_in(m, pk, fg_mp_period(&m->payments[i]), rk)) continue;
    if (rk->nitems == 0) fg_rk_text(rk, "有缴费（就业）的期间领取失业保险金: ");
    fg_rk_item_month(rk, fg_mp_period(&m->payments[i]));
    for (int64_t k = i; k < j; k++) {
      if (fg_mp_type(&m->payments[k]) != FG_BEN_UNEMPLOYMENT) continue;
      sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, m->payments[k].amount_f32));
      fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, m->payments[k].row);
    }
  }
  if (!fg_rk_empty(rk))
    fg_rk_emit(rk, out, "benefit.unemployment_while_employed", "person", m->pk_id[pk], sum_fen);
}

void fg_rule_benefit_unemployment_while_employed(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    if (m->payments_off[pk] < m->payments_off[pk + 1] &&
        m->contributions_off[pk] < m->contributions_off[pk + 1])
      fg_rb_employed_person(m, pk, &rk, out);
  }
  fg_rk_release(&rk);
}

void fg_rule_benefit_unemployment_while_pensioned(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
    int64_t sum_fen = 0;
    for (int64_t i = lo, j; i < hi; i = j) {
      j = fg_rb_period_end(m, i, hi);
      bool pension = false, unemployment = false;
      for (int64_t k = i; k < j; k++) {
        pension |= fg_mp_type(&m->payments[k]) == FG_BEN_PENSION;
        unemployment |= fg_mp_type(&m->payments[k]) == FG_BEN_UNEMPLOYMENT;
      }
      if (!pension || !unemployment) continue;
      if (fg_rk_empty(&rk)) fg_rk_text(&rk, "同时发放失业保险金和养老金的期间: ");
      fg_rk_item_month(&rk, fg_mp_period(&m->payments[i]));
      for (int64_t k = i; k < j; k++) {
        uint8_t t = fg_mp_type(&m->payments[k]);
        if (t == FG_BEN_UNEMPLOYMENT) sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, m->payments[k].amount_f32));
        if (t == FG_BEN_UNEMPLOYMENT || t == FG_BEN_PENSION)
          fg_rk_ev(&rk, FG_T_BENEFIT_PAYMENTS, m->payments[k].row);
      }
    }
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, "benefit.unemployment_while_pensioned", "person", m->pk_id[pk], sum_fen);
  }
  fg_rk_release(&rk);
}

/* Entitled months of unemployment benefit for a number of 210 months. */
static int32_t fg_rb_entitlement(int32_t months_210) {
  if (months_210 < FG_RB_ENTITLE_MONTHS_1) return 0;
  if (months_210 < FG_RB_ENTITLE_MONTHS_2) return FG_RB_ENTITLED_1;
  if (months_210 < FG_RB_ENTITLE_MONTHS_3) return FG_RB_ENTITLED_2;
  return FG_RB_ENTITLED_3;
}

/* Distinct periods of scheme-210 contributions of pk strictly before mo. */
static int32_t fg_rb_months_210(const fg_model *m, fg_pk pk, fg_month mo) {
  int32_t n = 0;
  fg_month last = FG_NOMONTH;
  for (int64_t i = m->contributions_off[pk];
       i < m->contributions_off[pk + 1] && fg_mc_period(&m->contributions[i]) < mo; i++) {
    if (fg_mc_scheme(&m->contributions[i]) != 210) continue;
    if (fg_mc_period(&m->contributions[i]) != last) n++;
    last = fg_mc_period(&m->contributions[i]);
  }
  return n;
}

static void fg_rb_entitle_person(const fg_model *m, fg_pk pk, fg_rk *rk, fg_findings *out) {
  int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
  int32_t entitled = -1, distinct = 0, months_210 = 0;
  fg_month last = FG_NOMONTH;
  int64_t sum_fen = 0;
  for (int64_t i = lo; i < hi; i++) {
    const fg_m_payment *p = &m->payments[i];
    if (fg_mp_type(p) != FG_BEN_UNEMPLOYMENT) continue;
    if (entitled < 0) {
      months_210 = fg_rb_months_210(m, pk, fg_mp_period(p));
      entitled = fg_rb_entitlement(months_210);
    }
    if (fg_mp_period(p) != last) distinct++;
    last = fg_mp_period(p);
    if (distinct <= entitled) continue;
    if (fg_rk_empty(rk)) fg_rk_text(rk, "超出领取期限的期间: ");
    fg_rk_item_month(rk, fg_mp_period(p));
    fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, p->row);
    sum_fen = fg_add_sat(sum_fen, fg_m_fen(m, p->amount_f32));
  }
  if (fg_rk_empty(rk)) return;
  fg_rk_text(rk, "；已发放 %d 个不同期间，失业保险缴费 %d 个月，应享受 %d 个月",
             distinct, months_210, entitled);
  fg_rk_emit(rk, out, "benefit.unemployment_over_entitlement", "person", m->pk_id[pk], sum_fen);
}

void fg_rule_benefit_unemployment_over_entitlement(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    if (m->payments_off[pk] < m->payments_off[pk + 1]) fg_rb_entitle_person(m, pk, &rk, out);
  }
  fg_rk_release(&rk);
}

/* The latest certification of pk on or before as_of, or FG_NODAY. */
static fg_day fg_rb_latest_cert(const fg_model *m, fg_pk pk, fg_day as_of) {
  fg_day best = FG_NODAY;
  for (int64_t i = m->survivals_off[pk]; i < m->survivals_off[pk + 1]; i++) {
    fg_day d = m->survivals[i].certified_on;
    if (d != FG_NODAY && d <= as_of && d > best) best = d;
  }
  return best;
}

static void fg_rb_cert_person(const fg_rule_ctx *ctx, fg_pk pk, fg_rk *rk, fg_findings *out) {
  const fg_model *m = ctx->m;
  int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
  fg_month first = FG_NOMONTH, latest = FG_NOMONTH;
  for (int64_t i = lo; i < hi; i++) {
    if (fg_mp_type(&m->payments[i]) != FG_BEN_PENSION) continue;
    if (first == FG_NOMONTH) first = fg_mp_period(&m->payments[i]); /* sorted by period */
    latest = fg_mp_period(&m->payments[i]);
  }
  if (first == FG_NOMONTH) return; /* only pensioners */
  fg_day cert = fg_rb_latest_cert(m, pk, ctx->as_of);
  fg_month c = cert != FG_NODAY ? fg_month_of_day(cert) : first;
  if (latest - c <= ctx->cfg->survival_cert_max_gap_months) return;
  char l[8], cm[8];
  fg_format_month(latest, l);
  fg_format_month(c, cm);
  fg_rk_text(rk, "最近养老金期间 %s，%s %s：相隔 %d 个月", l,
             cert != FG_NODAY ? "上次生存认证" : "从未认证，首个养老金期间",
             cm, (int)(latest - c));
  for (int64_t i = lo; i < hi; i++)
    if (fg_mp_type(&m->payments[i]) == FG_BEN_PENSION && fg_mp_period(&m->payments[i]) == latest)
      fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, m->payments[i].row);
  for (int64_t i = m->survivals_off[pk]; i < m->survivals_off[pk + 1] && cert != FG_NODAY; i++)
    if (m->survivals[i].certified_on == cert) fg_rk_ev(rk, FG_T_SURVIVAL_CERTIFICATIONS, m->survivals[i].row);
  fg_rk_emit(rk, out, "benefit.survival_cert_overdue", "person", m->pk_id[pk], 0);
}

void fg_rule_benefit_survival_cert_overdue(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  FG_ASSERT(ctx->cfg->survival_cert_max_gap_months >= 0);
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    if (m->payments_off[pk] < m->payments_off[pk + 1]) fg_rb_cert_person(ctx, pk, &rk, out);
  }
  fg_rk_release(&rk);
}

/* One payment to a shared account, sortable by (account, period, pk). */
typedef struct fg_rb_acct_row {
  fg_sid acct;
  fg_month period;
  fg_pk pk;
  uint32_t ix; /* into payments */
} fg_rb_acct_row;

static int fg_rb_acct_cmp(const void *a, const void *b) {
  const fg_rb_acct_row *x = a, *y = b;
  if (x->acct != y->acct) return x->acct < y->acct ? -1 : 1;
  if (x->period != y->period) return x->period < y->period ? -1 : 1;
  if (x->pk != y->pk) return x->pk < y->pk ? -1 : 1;
  return (x->ix > y->ix) - (x->ix < y->ix);
}

/* Tests one bank account's payments (rows, n), sorted by (period, pk). */
static void fg_rb_acct_test(const fg_rule_ctx *ctx, const fg_rb_acct_row *rows, int64_t n,
                            fg_rk *rk, fg_findings *out) {
  const fg_model *m = ctx->m;
  for (int64_t i = 0, j; i < n; i = j) {
    int32_t persons = 0;
    for (j = i; j < n && rows[j].period == rows[i].period; j++)
      if (j == i || rows[j].pk != rows[j - 1].pk) persons++;
    if (persons < ctx->cfg->shared_account_min_persons) continue;
    char mo[8];
    fg_format_month(rows[i].period, mo);
    if (fg_rk_empty(rk)) fg_rk_text(rk, "同一账户同期向多人发放: ");
    fg_rk_item(rk, "%s（%d 人）", mo, persons);
    for (int64_t k = i; k < j; k++) fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, m->payments[rows[k].ix].row);
  }
  if (!fg_rk_empty(rk))
    fg_rk_emit(rk, out, "benefit.shared_bank_account", "bank_account", m->str[rows[0].acct], 0);
}

typedef struct fg_rb_acct_pk {
  fg_sid acct;
  fg_pk pk;
} fg_rb_acct_pk;

static int fg_rb_acct_pk_cmp(const void *a, const void *b) {
  const fg_rb_acct_pk *x = a, *y = b;
  if (x->acct != y->acct) return x->acct < y->acct ? -1 : 1;
  return (x->pk > y->pk) - (x->pk < y->pk);
}

/* A bit per sid: the accounts that paid at least min_persons persons over
 * all periods, the only ones that can pay that many in one. From the
 * distinct (account, person) pairs: payments are grouped by person, and a
 * person is paid into one account or a few (the scan of that person's
 * pairs is quadratic in their distinct accounts). */
static uint64_t *fg_rb_shared_accounts(const fg_model *m, int32_t min_persons) {
  fg_rb_acct_pk *pairs = NULL;
  size_t n = 0, cap = 0;
  FG_RB_FOR_PERSONS(m, pk) {
    const size_t first = n;
    for (int64_t i = m->payments_off[pk]; i < m->payments_off[pk + 1]; i++) {
      const fg_sid a = m->payments[i].bank_account;
      bool seen = a == 0; /* sid 0 = no account */
      for (size_t k = n; !seen && k > first; k--) seen = pairs[k - 1].acct == a;
      if (seen) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 4096;
        pairs = fg_xrealloc(pairs, cap * sizeof *pairs);
      }
      pairs[n++] = (fg_rb_acct_pk){a, pk};
    }
  }
  if (n > 1) qsort(pairs, n, sizeof *pairs, fg_rb_acct_pk_cmp);
  uint64_t *shared = fg_rk_sids_new(m);
  for (size_t i = 0, j; i < n; i = j) {
    for (j = i; j < n && pairs[j].acct == pairs[i].acct; j++) {}
    FG_ASSERT(pairs[i].acct < m->nstr);
    if ((int64_t)(j - i) >= min_persons) fg_rk_sids_add(shared, pairs[i].acct);
  }
  free(pairs);
  return shared;
}

/* Only the payments into accounts that paid enough persons overall are
 * sorted and tested: at a million persons a counting sort of all 21 M
 * payments by account took two arrays of one entry per string (24 M) and
 * 12 bytes a payment, 0.45 GB on top of the model. */
void fg_rule_benefit_shared_bank_account(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  FG_ASSERT(m->npayments <= FG_RB_PAYMENTS_MAX);
  const int32_t min_persons = FG_MAX(ctx->cfg->shared_account_min_persons, 1);
  uint64_t *shared = fg_rb_shared_accounts(m, min_persons);
  fg_rb_acct_row *rows = NULL;
  int64_t n = 0, cap = 0;
  FG_RB_FOR_PERSONS(m, pk) { /* a payment's person is its group's (model.h) */
    for (int64_t i = m->payments_off[pk]; i < m->payments_off[pk + 1]; i++) {
      const fg_m_payment *p = &m->payments[i];
      FG_ASSERT(p->bank_account < m->nstr);
      if (!fg_rk_sids_has(shared, p->bank_account)) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 4096;
        rows = fg_xrealloc(rows, (size_t)cap * sizeof *rows);
      }
      rows[n++] = (fg_rb_acct_row){p->bank_account, fg_mp_period(p), pk, (uint32_t)i};
    }
  }
  free(shared);
  if (n > 1) qsort(rows, (size_t)n, sizeof *rows, fg_rb_acct_cmp);
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0, j; i < n; i = j) {
    for (j = i; j < n && rows[j].acct == rows[i].acct; j++) {}
    fg_rb_acct_test(ctx, rows + i, j - i, &rk, out);
  }
  fg_rk_release(&rk);
  free(rows);
}

/* A payment operation that references a document, and whether it was
 * reviewed by someone other than its operator. */
typedef struct fg_rb_op_ref {
  fg_sid ref;
  bool reviewed;
  fg_rowid row;
} fg_rb_op_ref;

static int fg_rb_op_ref_cmp(const void *a, const void *b) {
  const fg_rb_op_ref *x = a, *y = b;
  if (x->ref != y->ref) return x->ref < y->ref ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* First index in refs[0, n) with ref >= key. */
static int64_t fg_rb_op_lower_bound(const fg_rb_op_ref *refs, int64_t n, fg_sid key) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (refs[mid].ref < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* p's payment_id is not interned (model.h): the sid of the reference with
 * its text, found in the set of the operations' references (0: none). */
static void fg_rb_large_one(const fg_model *m, const fg_m_payment *p, const fg_rb_op_ref *refs,
                            int64_t nrefs, const fg_rk_textset *named, fg_rk *rk,
                            fg_findings *out) {
  fg_uid_buf ub;
  const char *id = fg_m_uid(m, p->payment_uid, &ub);
  const fg_sid ref = fg_rk_textset_find(named, id);
  int64_t a = ref ? fg_rb_op_lower_bound(refs, nrefs, ref) : nrefs, b = a;
  bool reviewed = false;
  for (; b < nrefs && refs[b].ref == ref; b++) reviewed |= refs[b].reviewed;
  if (reviewed) return;
  char amt[32];
  fg_fen_to_yuan(fg_m_fen(m, p->amount_f32), amt, sizeof amt);
  fg_rk_text(rk, "支付 %s 元；%lld 次支付操作，均无他人复核",
             amt, (long long)(b - a));
  fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, p->row);
  for (int64_t k = a; k < b; k++) fg_rk_ev(rk, FG_T_OPERATIONS, refs[k].row);
  fg_rk_emit(rk, out, "benefit.large_payment_unreviewed", "payment_id", id,
             fg_m_fen(m, p->amount_f32));
}

void fg_rule_benefit_large_payment_unreviewed(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rb_op_ref *refs = fg_xmalloc(((size_t)m->noperations + 1) * sizeof *refs);
  int64_t nrefs = 0;
  for (int64_t i = 0; i < m->noperations; i++) {
    const fg_m_operation *o = &m->operations[i];
    if (o->op_type != FG_OP_PAYMENT || o->reference == 0) continue;
    bool reviewed = o->reviewer_id != 0 && o->reviewer_id != o->operator_id;
    refs[nrefs++] = (fg_rb_op_ref){o->reference, reviewed, o->row};
  }
  qsort(refs, (size_t)nrefs, sizeof refs[0], fg_rb_op_ref_cmp);
  fg_sid *ids = fg_xmalloc(((size_t)nrefs + 1) * sizeof *ids);
  for (int64_t i = 0; i < nrefs; i++) ids[i] = refs[i].ref;
  fg_rk_textset named;
  fg_rk_textset_init(&named, m, ids, nrefs);
  free(ids);
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->npayments; i++) {
    const fg_m_payment *p = &m->payments[i];
    if (fg_m_fen(m, p->amount_f32) > ctx->cfg->large_payment_fen)
      fg_rb_large_one(m, p, refs, nrefs, &named, &rk, out);
  }
  fg_rk_release(&rk);
  fg_rk_textset_release(&named);
  free(refs);
}

/* Adds the maternity payments of period mo of pk (rows [lo, hi)) as evidence. */
static void fg_rb_ev_maternity(const fg_model *m, int64_t lo, int64_t hi, fg_month mo, fg_rk *rk) {
  for (int64_t i = lo; i < hi && fg_mp_period(&m->payments[i]) <= mo; i++)
    if (fg_mp_type(&m->payments[i]) == FG_BEN_MATERNITY && fg_mp_period(&m->payments[i]) == mo)
      fg_rk_ev(rk, FG_T_BENEFIT_PAYMENTS, m->payments[i].row);
}

void fg_rule_benefit_maternity_repeat(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  FG_RB_FOR_PERSONS(m, pk) {
    int64_t lo = m->payments_off[pk], hi = m->payments_off[pk + 1];
    fg_month prev = FG_NOMONTH, episode = FG_NOMONTH, listed = FG_NOMONTH;
    for (int64_t i = lo; i < hi; i++) {
      fg_month mo = fg_mp_period(&m->payments[i]);
      if (fg_mp_type(&m->payments[i]) != FG_BEN_MATERNITY || mo == prev) continue;
      bool starts = prev == FG_NOMONTH || prev + 1 < mo;
      prev = mo;
      if (!starts) continue;
      if (episode != FG_NOMONTH && mo - episode < FG_RB_MATERNITY_MIN_GAP_MONTHS) {
        char a[8], b[8];
        fg_format_month(episode, a);
        fg_format_month(mo, b);
        if (fg_rk_empty(&rk)) fg_rk_text(&rk, "两次生育津贴相隔不足 10 个月: ");
        fg_rk_item(&rk, "%s->%s", a, b);
        if (episode != listed) fg_rb_ev_maternity(m, lo, hi, episode, &rk);
        fg_rb_ev_maternity(m, lo, hi, mo, &rk);
        listed = mo;
      }
      episode = mo;
    }
    if (!fg_rk_empty(&rk)) fg_rk_emit(&rk, out, "benefit.maternity_repeat", "person", m->pk_id[pk], 0);
  }
  fg_rk_release(&rk);
}
