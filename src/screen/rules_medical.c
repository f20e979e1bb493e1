/*
 * rules_medical.c — the medical rules of rules.md v1.2 (medical.*).
 *
 * Person rules walk each person's settlements (sorted by admit date, model.h);
 * settlement rules walk the item lines, which the model groups by
 * settlement_id (one contiguous run per settlement, orphan items included);
 * duplicate_invoice and outside_agreement build one sorted index per run.
 * Boundaries follow "Boundaries and tie-breaks": an inpatient settlement
 * without a discharge_date takes part in no overlap, containment,
 * bed-hanging or split-admission test; items outside the catalogue never
 * fire sex_mismatch or age_mismatch. Read-only on the model; writes only to
 * `out`, so rules run concurrently.
 */
#include <stdlib.h>
#include <string.h>

#include "screen/rule_kit.h"
#include "screen/rules.h"

/* Days of a stay below which bed_hanging never fires. */
#define FG_BED_HANGING_MIN_STAY_DAYS 5
/* Diagnosis characters compared by split_admission. */
#define FG_SPLIT_DIAG_CHARS 3

static const fg_m_settlement *fg_sett(const fg_model *m, int64_t i) {
  FG_ASSERT(i >= 0 && i < m->nsettlements);
  return &m->settlements[i];
}

static bool fg_is_stay(const fg_m_settlement *s) {
  return s->visit == FG_VISIT_INPATIENT && s->discharge != FG_NODAY;
}

static int fg_cmp_ev(const void *a, const void *b) {
  const fg_evidence *x = a, *y = b;
  if (x->table != y->table) return x->table < y->table ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* Pair rules add a row once per pair it is in: keep each row once. */
static void fg_ev_unique(fg_rk *rk) {
  if (rk->nev < 2) return;
  qsort(rk->ev, (size_t)rk->nev, sizeof rk->ev[0], fg_cmp_ev);
  int32_t w = 1;
  for (int32_t i = 1; i < rk->nev; i++)
    if (fg_cmp_ev(&rk->ev[i], &rk->ev[w - 1]) != 0) rk->ev[w++] = rk->ev[i];
  rk->nev = w;
}

void fg_rule_medical_overlapping_inpatient(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  if (m->settlements_off == NULL) return;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->settlements_off[pk], hi = m->settlements_off[pk + 1];
    for (int64_t i = lo; i < hi; i++) {
      const fg_m_settlement *a = fg_sett(m, i);
      if (!fg_is_stay(a)) continue;
      /* sorted by admit: every later b with admit_b < discharge_a is a candidate */
      for (int64_t j = i + 1; j < hi && fg_sett(m, j)->admit < a->discharge; j++) {
        const fg_m_settlement *b = fg_sett(m, j);
        if (!fg_is_stay(b) || b->institution_id == a->institution_id) continue;
        if (!(a->admit < b->discharge && b->admit < a->discharge)) continue;
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, a->row);
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, b->row);
        fg_rk_item(&rk, "%s/%s", m->str[a->settlement_id], m->str[b->settlement_id]);
      }
    }
    if (fg_rk_empty(&rk)) continue;
    fg_ev_unique(&rk);
    fg_rk_emit(&rk, out, "medical.overlapping_inpatient", "person", m->pk_id[pk], 0);
  }
  fg_rk_release(&rk);
}

void fg_rule_medical_outpatient_during_inpatient(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  if (m->settlements_off == NULL) return;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->settlements_off[pk], hi = m->settlements_off[pk + 1];
    for (int64_t i = lo; i < hi; i++) {
      const fg_m_settlement *s = fg_sett(m, i);
      if (!fg_is_stay(s)) continue;
      /* outpatients strictly after admit come later in admit order */
      for (int64_t j = i + 1; j < hi && fg_sett(m, j)->admit < s->discharge; j++) {
        const fg_m_settlement *o = fg_sett(m, j);
        if (o->visit != FG_VISIT_OUTPATIENT || o->institution_id == s->institution_id ||
            o->admit <= s->admit)
          continue;
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, o->row);
        fg_rk_item(&rk, "%s 发生在 %s 期间", m->str[o->settlement_id], m->str[s->settlement_id]);
      }
    }
    if (fg_rk_empty(&rk)) continue;
    fg_ev_unique(&rk);
    fg_rk_emit(&rk, out, "medical.outpatient_during_inpatient", "person", m->pk_id[pk], 0);
  }
  fg_rk_release(&rk);
}

void fg_rule_medical_after_death(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  if (m->settlements_off == NULL) return;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    fg_day death = m->pk_death[pk];
    if (death == FG_NODAY) continue;
    int64_t sum_fen = 0;
    for (int64_t i = m->settlements_off[pk]; i < m->settlements_off[pk + 1]; i++) {
      const fg_m_settlement *s = fg_sett(m, i);
      if (s->admit == FG_NODAY || s->admit <= death) continue;
      sum_fen = fg_add_sat(sum_fen, s->fund_paid_fen);
      fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
      fg_rk_item(&rk, "%s", m->str[s->settlement_id]);
    }
    if (fg_rk_empty(&rk)) continue;
    char d[11];
    fg_format_day(death, d);
    fg_rk_text(&rk, "；死亡日期 %s", d);
    fg_rk_ev_death(&rk, m, pk);
    fg_rk_emit(&rk, out, "medical.after_death", "person", m->pk_id[pk], sum_fen);
  }
  fg_rk_release(&rk);
}

/* End (exclusive) of the run of items sharing items[i].settlement_id. */
static int64_t fg_item_run_end(const fg_model *m, int64_t i) {
  int64_t j = i + 1;
  while (j < m->nitems && m->items[j].settlement_id == m->items[i].settlement_id) j++;
  return j;
}

static const fg_m_catalog *fg_item_cat(const fg_model *m, const fg_m_item *it) {
  if (it->catalog < 0) return NULL;
  FG_ASSERT(it->catalog < m->ncatalog);
  return &m->catalog[it->catalog];
}

/* The person of an item line's settlement, or -1. */
static fg_pk fg_item_pk(const fg_model *m, const fg_m_item *it) {
  return it->settlement >= 0 ? fg_sett(m, it->settlement)->pk : -1;
}

/* Per-line test of the item rules; returns true when the line fires and
 * adds its money at risk to *amount_fen. */
typedef bool (*fg_item_test)(const fg_rule_ctx *ctx, const fg_m_item *it, fg_rk *rk,
                             int64_t *amount_fen);

static void fg_item_rule(const fg_rule_ctx *ctx, fg_findings *out, const char *rule,
                         fg_item_test test) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->nitems;) {
    int64_t end = fg_item_run_end(m, i);
    int64_t amount_fen = 0;
    for (int64_t k = i; k < end; k++)
      if (test(ctx, &m->items[k], &rk, &amount_fen))
        fg_rk_ev(&rk, FG_T_MEDICAL_ITEMS, m->items[k].row);
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, rule, "settlement_id", m->str[m->items[i].settlement_id], amount_fen);
    i = end;
  }
  fg_rk_release(&rk);
}

static bool fg_test_sex(const fg_rule_ctx *ctx, const fg_m_item *it, fg_rk *rk, int64_t *amt) {
  const fg_m_catalog *c = fg_item_cat(ctx->m, it);
  fg_pk pk = fg_item_pk(ctx->m, it);
  if (!c || c->sex_limit == FG_SEX_NONE || pk < 0) return false;
  int sex = fg_rk_sex(ctx->m, pk);
  if (sex == FG_SEX_NONE || sex == c->sex_limit) return false;
  fg_rk_item(rk, "第 %lld 行 %s 限定性别 %d，本人性别 %d", (long long)fg_m_fen(ctx->m, it->line_f32),
             ctx->m->str[it->item_code], c->sex_limit, sex);
  (void)amt;
  return true;
}

void fg_rule_medical_sex_mismatch(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_item_rule(ctx, out, "medical.sex_mismatch", fg_test_sex);
}

static bool fg_test_age(const fg_rule_ctx *ctx, const fg_m_item *it, fg_rk *rk, int64_t *amt) {
  const fg_m_catalog *c = fg_item_cat(ctx->m, it);
  fg_pk pk = fg_item_pk(ctx->m, it);
  if (!c || (c->min_age < 0 && c->max_age < 0) || pk < 0 || it->service_date == FG_NODAY)
    return false;
  fg_day birth = fg_rk_birth(ctx->m, pk);
  if (birth == FG_NODAY) return false;
  int age = fg_age_years(birth, it->service_date);
  if ((c->min_age < 0 || age >= c->min_age) && (c->max_age < 0 || age <= c->max_age))
    return false;
  fg_rk_item(rk, "第 %lld 行 %s 年龄 %d 不在 [%d,%d] 内", (long long)fg_m_fen(ctx->m, it->line_f32),
             ctx->m->str[it->item_code], age, c->min_age, c->max_age);
  (void)amt;
  return true;
}

void fg_rule_medical_age_mismatch(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_item_rule(ctx, out, "medical.age_mismatch", fg_test_age);
}

/* (unit_price - max) x quantity in fen, rounded half up; saturates. */
static int64_t fg_overage_fen(int64_t diff_fen, int64_t qty_milli) {
  FG_ASSERT(diff_fen > 0 && qty_milli >= 0);
  int64_t whole, part;
  if (__builtin_mul_overflow(diff_fen, qty_milli / 1000, &whole) ||
      __builtin_mul_overflow(diff_fen, qty_milli % 1000, &part))
    return INT64_MAX;
  int64_t r = part / 1000 + ((part % 1000) >= 500 ? 1 : 0);
  int64_t sum;
  if (__builtin_add_overflow(whole, r, &sum)) return INT64_MAX;
  return sum;
}

static bool fg_test_price(const fg_rule_ctx *ctx, const fg_m_item *it, fg_rk *rk, int64_t *amt) {
  const fg_m_catalog *c = fg_item_cat(ctx->m, it);
  const int64_t unit_price_fen = fg_m_fen(ctx->m, it->unit_price_f32);
  if (!c || c->max_unit_price_fen < 0 || unit_price_fen <= c->max_unit_price_fen)
    return false;
  int64_t over = fg_overage_fen(unit_price_fen - c->max_unit_price_fen,
                                fg_m_fen(ctx->m, it->qty_milli_f32));
  if (__builtin_add_overflow(*amt, over, amt)) *amt = INT64_MAX;
  char p[32], mx[32];
  fg_fen_to_yuan(unit_price_fen, p, sizeof p);
  fg_fen_to_yuan(c->max_unit_price_fen, mx, sizeof mx);
  fg_rk_item(rk, "第 %lld 行 %s 单价 %s 高于限价 %s", (long long)fg_m_fen(ctx->m, it->line_f32),
             ctx->m->str[it->item_code], p, mx);
  return true;
}

void fg_rule_medical_price_over_limit(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_item_rule(ctx, out, "medical.price_over_limit", fg_test_price);
}

static bool fg_test_scope(const fg_rule_ctx *ctx, const fg_m_item *it, fg_rk *rk, int64_t *amt) {
  const fg_m_catalog *c = fg_item_cat(ctx->m, it);
  const int64_t fund_amount_fen = fg_m_fen(ctx->m, it->fund_amount_f32);
  if ((c && c->in_scope) || fund_amount_fen <= 0) return false;
  if (__builtin_add_overflow(*amt, fund_amount_fen, amt)) *amt = INT64_MAX;
  fg_rk_item(rk, "第 %lld 行 %s %s", (long long)fg_m_fen(ctx->m, it->line_f32), ctx->m->str[it->item_code],
             c ? "不在支付范围（in_scope N）" : "不在医保目录中");
  return true;
}

void fg_rule_medical_out_of_scope_charged(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_item_rule(ctx, out, "medical.out_of_scope_charged", fg_test_scope);
}

/* Scratch index array owned by one rule run (grown, never shrunk). */
typedef struct {
  int64_t *v;
  int64_t n, cap;
} fg_ix;

static void fg_ix_push(fg_ix *x, int64_t i) {
  if (x->n == x->cap) {
    x->cap = x->cap ? 2 * x->cap : 64;
    x->v = fg_xrealloc(x->v, (size_t)x->cap * sizeof x->v[0]);
  }
  x->v[x->n++] = i;
}

static int fg_cmp_item_code_date(const void *a, const void *b, void *ctx) {
  const fg_model *m = ctx;
  const fg_m_item *x = &m->items[*(const int64_t *)a], *y = &m->items[*(const int64_t *)b];
  if (x->item_code != y->item_code) return x->item_code < y->item_code ? -1 : 1;
  if (x->service_date != y->service_date) return x->service_date < y->service_date ? -1 : 1;
  if (x->line_f32 == y->line_f32) return 0;
  const int64_t lx = fg_m_fen(m, x->line_f32), ly = fg_m_fen(m, y->line_f32);
  return lx < ly ? -1 : lx > ly;
}

/* One settlement's lines [i, end): groups (item_code, service_date) of
 * catalogue items with a daily maximum whose quantity sum exceeds it. */
static void fg_quantity_run(const fg_model *m, int64_t i, int64_t end, fg_ix *x, fg_rk *rk) {
  x->n = 0;
  for (int64_t k = i; k < end; k++) {
    const fg_m_catalog *c = fg_item_cat(m, &m->items[k]);
    if (c && c->max_qty_milli >= 0) fg_ix_push(x, k);
  }
  if (x->n > 1) qsort_r(x->v, (size_t)x->n, sizeof x->v[0], fg_cmp_item_code_date, (void *)m);
  for (int64_t g = 0; g < x->n;) {
    const fg_m_item *first = &m->items[x->v[g]];
    int64_t h = g, sum_milli = 0;
    for (; h < x->n && m->items[x->v[h]].item_code == first->item_code &&
           m->items[x->v[h]].service_date == first->service_date;
         h++)
      sum_milli = fg_add_sat(sum_milli, fg_m_fen(m, m->items[x->v[h]].qty_milli_f32));
    int64_t max_milli = fg_item_cat(m, first)->max_qty_milli;
    if (sum_milli > max_milli) {
      char d[11];
      fg_format_day(first->service_date, d);
      fg_rk_item(rk, "%s 在 %s 数量 %lld.%03lld 超过每日上限 %lld.%03lld", m->str[first->item_code], d,
                 (long long)(sum_milli / 1000), (long long)(sum_milli % 1000),
                 (long long)(max_milli / 1000), (long long)(max_milli % 1000));
      for (int64_t k = g; k < h; k++) fg_rk_ev(rk, FG_T_MEDICAL_ITEMS, m->items[x->v[k]].row);
    }
    g = h;
  }
}

void fg_rule_medical_quantity_over_limit(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  fg_ix x = {0};
  for (int64_t i = 0; i < m->nitems;) {
    int64_t end = fg_item_run_end(m, i);
    fg_quantity_run(m, i, end, &x, &rk);
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, "medical.quantity_over_limit", "settlement_id",
                 m->str[m->items[i].settlement_id], 0);
    i = end;
  }
  free(x.v);
  fg_rk_release(&rk);
}

static int fg_cmp_invoice(const void *a, const void *b, void *ctx) {
  const fg_model *m = ctx;
  const fg_m_settlement *x = fg_sett(m, *(const int64_t *)a), *y = fg_sett(m, *(const int64_t *)b);
  if (x->institution_id != y->institution_id) return x->institution_id < y->institution_id ? -1 : 1;
  if (x->invoice_no != y->invoice_no) return x->invoice_no < y->invoice_no ? -1 : 1;
  if (x->settled_on != y->settled_on) return x->settled_on < y->settled_on ? -1 : 1;
  int c = strcmp(m->str[x->settlement_id], m->str[y->settlement_id]);
  if (c) return c;
  return x->row < y->row ? -1 : x->row > y->row;
}

void fg_rule_medical_duplicate_invoice(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_ix x = {0};
  for (int64_t i = 0; i < m->nsettlements; i++)
    if (m->settlements[i].invoice_no != 0) fg_ix_push(&x, i);
  if (x.n > 1) qsort_r(x.v, (size_t)x.n, sizeof x.v[0], fg_cmp_invoice, (void *)m);
  fg_rk rk;
  fg_rk_init(&rk);
  fg_buf subject = FG_BUF_INIT;
  for (int64_t g = 0; g < x.n;) {
    const fg_m_settlement *first = fg_sett(m, x.v[g]);
    int64_t h = g + 1, sum_fen = 0;
    while (h < x.n && fg_sett(m, x.v[h])->institution_id == first->institution_id &&
           fg_sett(m, x.v[h])->invoice_no == first->invoice_no)
      h++;
    if (h - g >= 2) {
      fg_rk_text(&rk, "最早的结算 %s；重复的结算 ", m->str[first->settlement_id]);
      fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, first->row);
      for (int64_t k = g + 1; k < h; k++) {
        const fg_m_settlement *s = fg_sett(m, x.v[k]);
        sum_fen = fg_add_sat(sum_fen, s->fund_paid_fen);
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
        fg_rk_item(&rk, "%s", m->str[s->settlement_id]);
      }
      fg_buf_reset(&subject);
      fg_buf_addf(&subject, "%s/%s", m->str[first->institution_id], m->str[first->invoice_no]);
      fg_rk_emit(&rk, out, "medical.duplicate_invoice", "institution_id/invoice_no", subject.buf,
                 sum_fen);
    }
    g = h;
  }
  fg_buf_release(&subject);
  fg_rk_release(&rk);
  free(x.v);
}

/* The agreements of one institution: institutions[first, first+count). */
typedef struct {
  fg_sid institution_id;
  int32_t first, count;
} fg_inst_run;

static int fg_cmp_inst_run(const void *a, const void *b) {
  fg_sid x = ((const fg_inst_run *)a)->institution_id, y = ((const fg_inst_run *)b)->institution_id;
  return x < y ? -1 : x > y;
}

/* Runs of equal institution_id (the model sorts institutions by id), sorted
 * by sid for binary search. Returns heap memory; sets *n. */
static fg_inst_run *fg_inst_runs(const fg_model *m, int32_t *n) {
  fg_inst_run *runs = fg_xcalloc((size_t)m->ninstitutions + 1, sizeof *runs);
  int32_t k = 0;
  for (int32_t i = 0; i < m->ninstitutions;) {
    int32_t j = i + 1;
    while (j < m->ninstitutions && m->institutions[j].institution_id == m->institutions[i].institution_id)
      j++;
    runs[k].institution_id = m->institutions[i].institution_id;
    runs[k].first = i;
    runs[k].count = j - i;
    k++;
    i = j;
  }
  qsort(runs, (size_t)k, sizeof *runs, fg_cmp_inst_run);
  *n = k;
  return runs;
}

/* Whether an agreement covers day d: [start, terminated_on) when
 * terminated, else [start, end], open when both are empty. */
static bool fg_agreement_covers(const fg_m_institution *a, fg_day d) {
  if (a->start == FG_NODAY || d < a->start) return false;
  if (a->terminated_on != FG_NODAY) return d < a->terminated_on;
  return a->end == FG_NODAY || d <= a->end;
}

void fg_rule_medical_outside_agreement(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  int32_t nruns;
  fg_inst_run *runs = fg_inst_runs(m, &nruns);
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->nsettlements; i++) {
    const fg_m_settlement *s = fg_sett(m, i);
    fg_inst_run key = {.institution_id = s->institution_id};
    const fg_inst_run *r = bsearch(&key, runs, (size_t)nruns, sizeof *runs, fg_cmp_inst_run);
    bool covered = false;
    for (int32_t k = 0; r && k < r->count && !covered; k++)
      covered = fg_agreement_covers(&m->institutions[r->first + k], s->settled_on);
    if (covered) continue;
    char d[11] = "";
    if (s->settled_on != FG_NODAY) fg_format_day(s->settled_on, d);
    fg_rk_text(&rk, "结算日 %s 不在 %s 的任何协议期内%s", d,
               m->str[s->institution_id], r ? "" : "（无任何协议）");
    fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
    for (int32_t k = 0; r && k < r->count; k++)
      fg_rk_ev(&rk, FG_T_INSTITUTIONS, m->institutions[r->first + k].row);
    fg_rk_emit(&rk, out, "medical.outside_agreement", "settlement_id", m->str[s->settlement_id],
               s->fund_paid_fen);
  }
  fg_rk_release(&rk);
  free(runs);
}

/* Outpatients of [lo, hi) admitted in month mo, as evidence. */
static void fg_month_evidence(const fg_model *m, int64_t lo, int64_t hi, fg_month mo, fg_rk *rk) {
  for (int64_t k = lo; k < hi; k++) {
    const fg_m_settlement *s = fg_sett(m, k);
    if (s->visit == FG_VISIT_OUTPATIENT && s->admit != FG_NODAY && fg_month_of_day(s->admit) == mo)
      fg_rk_ev(rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
  }
}

void fg_rule_medical_high_frequency(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  if (m->settlements_off == NULL) return;
  const int32_t max_visits = ctx->cfg->high_frequency_max_visits;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->settlements_off[pk], hi = m->settlements_off[pk + 1];
    fg_month cur = FG_NOMONTH;
    int64_t count = 0, cur_first = lo;
    for (int64_t i = lo; i <= hi; i++) {
      const fg_m_settlement *s = i < hi ? fg_sett(m, i) : NULL;
      if (s && (s->visit != FG_VISIT_OUTPATIENT || s->admit == FG_NODAY)) continue;
      fg_month mo = s ? fg_month_of_day(s->admit) : FG_NOMONTH;
      if (s && mo == cur) {
        count++;
        continue;
      }
      if (cur != FG_NOMONTH && count > max_visits) { /* close the month */
        char b[8];
        fg_format_month(cur, b);
        fg_rk_item(&rk, "%s：门诊 %lld 次", b, (long long)count);
        fg_month_evidence(m, cur_first, i, cur, &rk);
      }
      cur = mo;
      count = 1;
      cur_first = i;
    }
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, "medical.high_frequency", "person", m->pk_id[pk], 0);
  }
  fg_rk_release(&rk);
}

static int fg_cmp_day(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Distinct dates in [admit, discharge) with a line that is not of category bed. */
static int64_t fg_active_days(const fg_model *m, const fg_m_settlement *s, fg_ix *x) {
  x->n = 0;
  for (int32_t k = 0; k < s->items_count; k++) {
    const fg_m_item *it = &m->items[s->items_first + k];
    const fg_m_catalog *c = fg_item_cat(m, it);
    if (it->service_date == FG_NODAY || it->service_date < s->admit ||
        it->service_date >= s->discharge || (c && c->category == FG_CAT_BED))
      continue;
    fg_ix_push(x, it->service_date);
  }
  if (x->n > 1) qsort(x->v, (size_t)x->n, sizeof x->v[0], fg_cmp_day);
  int64_t distinct = 0;
  for (int64_t i = 0; i < x->n; i++)
    if (i == 0 || x->v[i] != x->v[i - 1]) distinct++;
  return distinct;
}

void fg_rule_medical_bed_hanging(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  fg_ix x = {0};
  for (int64_t i = 0; i < m->nsettlements; i++) {
    const fg_m_settlement *s = fg_sett(m, i);
    if (!fg_is_stay(s) || s->admit == FG_NODAY) continue;
    int64_t stay_days = (int64_t)s->discharge - s->admit;
    if (stay_days < FG_BED_HANGING_MIN_STAY_DAYS) continue;
    int64_t active_days = fg_active_days(m, s, &x);
    if (2 * active_days >= stay_days) continue;
    fg_rk_text(&rk, "住院 %lld 天，其中只有 %lld 天有床位费以外的诊疗", (long long)stay_days,
               (long long)active_days);
    fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, s->row);
    fg_rk_emit(&rk, out, "medical.bed_hanging", "settlement_id", m->str[s->settlement_id], 0);
  }
  free(x.v);
  fg_rk_release(&rk);
}

/* Bytes of the first n UTF-8 characters of s, or -1 when s is shorter. */
static int fg_utf8_prefix_bytes(const char *s, int n) {
  int bytes = 0;
  for (int c = 0; c < n; c++) {
    if (s[bytes] == '\0') return -1;
    bytes++;
    while ((s[bytes] & 0xC0) == 0x80) bytes++;
  }
  return bytes;
}

static bool fg_same_diag_prefix(const fg_model *m, fg_sid a, fg_sid b) {
  int na = fg_utf8_prefix_bytes(m->str[a], FG_SPLIT_DIAG_CHARS);
  int nb = fg_utf8_prefix_bytes(m->str[b], FG_SPLIT_DIAG_CHARS);
  return na > 0 && na == nb && memcmp(m->str[a], m->str[b], (size_t)na) == 0;
}

/* Index into stays (sorted by admit) of the first stay admitted on or after d. */
static int64_t fg_stay_lower_bound(const fg_model *m, const fg_ix *stays, fg_day d) {
  int64_t lo = 0, hi = stays->n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (fg_sett(m, stays->v[mid])->admit < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void fg_rule_medical_split_admission(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  if (m->settlements_off == NULL) return;
  const int32_t max_days = ctx->cfg->split_admission_max_days;
  fg_rk rk;
  fg_rk_init(&rk);
  fg_ix stays = {0};
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    stays.n = 0;
    for (int64_t i = m->settlements_off[pk]; i < m->settlements_off[pk + 1]; i++)
      if (fg_is_stay(fg_sett(m, i)) && fg_sett(m, i)->admit != FG_NODAY) fg_ix_push(&stays, i);
    for (int64_t a = 0; a < stays.n; a++) {
      const fg_m_settlement *first = fg_sett(m, stays.v[a]);
      for (int64_t b = fg_stay_lower_bound(m, &stays, first->discharge); b < stays.n; b++) {
        const fg_m_settlement *second = fg_sett(m, stays.v[b]);
        if ((int64_t)second->admit - first->discharge > max_days) break;
        if (b == a || second->institution_id != first->institution_id ||
            !fg_same_diag_prefix(m, first->diagnosis, second->diagnosis))
          continue;
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, first->row);
        fg_rk_ev(&rk, FG_T_MEDICAL_SETTLEMENTS, second->row);
        fg_rk_item(&rk, "%s 出院后 %s 再次入院（相隔 %lld 天）", m->str[first->settlement_id],
                   m->str[second->settlement_id], (long long)(second->admit - first->discharge));
      }
    }
    if (fg_rk_empty(&rk)) continue;
    fg_ev_unique(&rk);
    fg_rk_emit(&rk, out, "medical.split_admission", "person", m->pk_id[pk], 0);
  }
  free(stays.v);
  fg_rk_release(&rk);
}
