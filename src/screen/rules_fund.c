/*
 * rules_fund.c — institution and fund-account rules of rules.md v1.2:
 * institution.resigned_within_ban, fund.income_balance_at_month_end,
 * fund.income_account_outflow, fund.cross_scheme_transfer,
 * fund.unmatched_private_payment.
 *
 * Agreements are read per institution (the model sorts them by
 * institution_id, then agreement_start); transactions per account (sorted by
 * account, booked_on, txn_id). "Fund account" = a row of fund_accounts; a
 * transaction's counterparty is that account when counterparty_account names
 * one (fg_m_txn.cp_fund_account). Read-only on the model; writes only to `out`.
 */
#include <stdlib.h>
#include <string.h>

#include "screen/rule_kit.h"
#include "screen/rules.h"

/* Ban lengths of a terminated agreement, in years. */
#define FG_BAN_VIOLATION_YEARS 1
#define FG_BAN_ILLEGAL_YEARS 2

static int fg_ban_years(uint8_t reason) {
  if (reason == FG_TERM_VIOLATION) return FG_BAN_VIOLATION_YEARS;
  if (reason == FG_TERM_ILLEGAL) return FG_BAN_ILLEGAL_YEARS;
  return 0;
}

/* Agreements [lo, hi) of one institution: each banned one against the others. */
static void fg_ban_run(const fg_model *m, int32_t lo, int32_t hi, fg_rk *rk) {
  for (int32_t a = lo; a < hi; a++) {
    const fg_m_institution *t = &m->institutions[a];
    int years = fg_ban_years(t->term_reason);
    if (years == 0 || t->terminated_on == FG_NODAY) continue;
    fg_day ban_end = fg_day_plus_years(t->terminated_on, years); /* exclusive */
    for (int32_t b = lo; b < hi; b++) {
      const fg_m_institution *n = &m->institutions[b];
      if (b == a || n->start == FG_NODAY || n->start < t->terminated_on || n->start >= ban_end)
        continue;
      char d1[11], d2[11];
      fg_format_day(t->terminated_on, d1);
      fg_format_day(n->start, d2);
      fg_rk_item(rk, "%s 被解除协议（%s），%s 又签新协议", d1,
                 t->term_reason == FG_TERM_ILLEGAL ? "违法" : "违规", d2);
      fg_rk_ev(rk, FG_T_INSTITUTIONS, t->row);
      fg_rk_ev(rk, FG_T_INSTITUTIONS, n->row);
    }
  }
}

void fg_rule_institution_resigned_within_ban(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int32_t i = 0; i < m->ninstitutions;) {
    int32_t j = i + 1;
    while (j < m->ninstitutions &&
           m->institutions[j].institution_id == m->institutions[i].institution_id)
      j++;
    fg_ban_run(m, i, j, &rk);
    if (!fg_rk_empty(&rk))
      fg_rk_emit(&rk, out, "institution.resigned_within_ban", "institution",
                 m->str[m->institutions[i].institution_id], 0);
    i = j;
  }
  fg_rk_release(&rk);
}

static const fg_m_account *fg_txn_account(const fg_model *m, const fg_m_txn *t) {
  if (t->account < 0) return NULL;
  FG_ASSERT(t->account < m->naccounts);
  return &m->accounts[t->account];
}

static const fg_m_account *fg_txn_cp_account(const fg_model *m, const fg_m_txn *t) {
  if (t->cp_fund_account < 0) return NULL;
  FG_ASSERT(t->cp_fund_account < m->naccounts);
  return &m->accounts[t->cp_fund_account];
}

/* Transactions [lo, hi) of one income account: month-end balances. Booking
 * dates before opened_on count as opened_on, which keeps them sorted. */
static void fg_balance_run(const fg_rule_ctx *ctx, const fg_m_account *acc, int64_t lo,
                           int64_t hi, fg_rk *rk) {
  const fg_model *m = ctx->m;
  int64_t balance_fen = acc->opening_fen;
  for (int64_t i = lo; i < hi;) {
    fg_day d0 = FG_MAX(m->txns[i].booked_on, acc->opened_on);
    fg_month mo = fg_month_of_day(d0);
    int64_t j = i;
    for (; j < hi && fg_month_of_day(FG_MAX(m->txns[j].booked_on, acc->opened_on)) == mo; j++) {
      const fg_m_txn *t = &m->txns[j];
      balance_fen =
          fg_add_sat(balance_fen, t->dir == FG_DIR_IN ? t->amount_fen : -t->amount_fen);
    }
    if (fg_month_last_day(mo) <= ctx->as_of && balance_fen != 0) {
      char b[8], y[32];
      fg_format_month(mo, b);
      fg_fen_to_yuan(balance_fen, y, sizeof y);
      fg_rk_item(rk, "%s 月末余额 %s", b, y);
      for (int64_t k = i; k < j; k++) fg_rk_ev(rk, FG_T_FUND_TRANSACTIONS, m->txns[k].row);
    }
    i = j;
  }
}

void fg_rule_fund_income_balance_at_month_end(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->ntxns;) {
    int64_t j = i + 1;
    while (j < m->ntxns && m->txns[j].account == m->txns[i].account &&
           m->txns[j].account_no == m->txns[i].account_no)
      j++;
    const fg_m_account *acc = fg_txn_account(m, &m->txns[i]);
    if (acc && acc->kind == FG_ACC_INCOME && acc->opened_on != FG_NODAY) {
      fg_balance_run(ctx, acc, i, j, &rk);
      if (!fg_rk_empty(&rk)) {
        fg_rk_ev(&rk, FG_T_FUND_ACCOUNTS, acc->row);
        fg_rk_emit(&rk, out, "fund.income_balance_at_month_end", "account_no",
                   m->str[acc->account_no], 0);
      }
    }
    i = j;
  }
  fg_rk_release(&rk);
}

/* The three lawful outflows of an income account (rules.md). */
static bool fg_outflow_lawful(const fg_model *m, const fg_m_account *acc, const fg_m_txn *t) {
  const fg_m_account *cp = fg_txn_cp_account(m, t);
  if (cp && cp->kind == FG_ACC_FISCAL_SPECIAL && cp->scheme == acc->scheme) return true;
  if (t->purpose == FG_PURPOSE_REFUND &&
      (t->cp_kind == FG_CP_PERSON || t->cp_kind == FG_CP_EMPLOYER))
    return true;
  return t->purpose == FG_PURPOSE_REMIT_UP && t->cp_kind == FG_CP_FUND && t->cp_account != 0 &&
         cp == NULL;
}

static void fg_emit_txn(fg_rk *rk, fg_findings *out, const fg_model *m, const char *rule,
                        const fg_m_txn *t) {
  fg_rk_ev(rk, FG_T_FUND_TRANSACTIONS, t->row);
  fg_rk_emit(rk, out, rule, "txn_id", m->str[t->txn_id], t->amount_fen);
}

void fg_rule_fund_income_account_outflow(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->ntxns; i++) {
    const fg_m_txn *t = &m->txns[i];
    const fg_m_account *acc = fg_txn_account(m, t);
    if (!acc || acc->kind != FG_ACC_INCOME || t->dir != FG_DIR_OUT || fg_outflow_lawful(m, acc, t))
      continue;
    fg_rk_text(&rk, "从收入户 %s 转出到 %s", m->str[acc->account_no],
               t->cp_account ? m->str[t->cp_account] : "（无对方账户）");
    fg_emit_txn(&rk, out, m, "fund.income_account_outflow", t);
  }
  fg_rk_release(&rk);
}

void fg_rule_fund_cross_scheme_transfer(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->ntxns; i++) {
    const fg_m_txn *t = &m->txns[i];
    const fg_m_account *acc = fg_txn_account(m, t), *cp = fg_txn_cp_account(m, t);
    if (!acc || !cp || t->dir != FG_DIR_OUT || acc->scheme == cp->scheme) continue;
    fg_rk_text(&rk, "险种 %d 的账户 %s 转入险种 %d 的账户 %s", acc->scheme,
               m->str[acc->account_no], cp->scheme, m->str[cp->account_no]);
    fg_rk_ev(&rk, FG_T_FUND_ACCOUNTS, acc->row);
    fg_rk_ev(&rk, FG_T_FUND_ACCOUNTS, cp->row);
    fg_emit_txn(&rk, out, m, "fund.cross_scheme_transfer", t);
  }
  fg_rk_release(&rk);
}

/* The payments the transactions name: the sids of the references, sorted
 * and distinct, each with the index of the first payment whose payment_id
 * has that text (-1: none). Built from the few references (one per private
 * payment out of an expenditure account) and one pass over the payments,
 * each payment_id (an fg_uid, not interned: model.h) looked up by text in
 * the set of the references, instead of sorting every payment by its id:
 * at a million persons that sort of 21 M entries took 1-2 s of the rules'
 * 3-5 s. */
typedef struct {
  fg_sid payment_id; /* the sid of a transaction's reference */
  int64_t index;
} fg_pay_ref;

static bool fg_private_out(const fg_model *m, const fg_m_txn *t) {
  const fg_m_account *acc = fg_txn_account(m, t);
  return acc && acc->kind == FG_ACC_EXPENDITURE && t->dir == FG_DIR_OUT &&
         t->cp_kind == FG_CP_PERSON;
}

static int fg_cmp_pay_ref(const void *a, const void *b) {
  const fg_pay_ref *x = a, *y = b;
  return (x->payment_id > y->payment_id) - (x->payment_id < y->payment_id);
}

static fg_pay_ref *fg_find_ref(fg_pay_ref *refs, int64_t n, fg_sid id) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (refs[mid].payment_id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && refs[lo].payment_id == id ? &refs[lo] : NULL;
}

static fg_pay_ref *fg_pay_refs(const fg_model *m, int64_t *nrefs) {
  fg_pay_ref *refs = fg_xmalloc(((size_t)m->ntxns + 1) * sizeof *refs);
  int64_t n = 0;
  for (int64_t i = 0; i < m->ntxns; i++)
    if (m->txns[i].reference && fg_private_out(m, &m->txns[i]))
      refs[n++] = (fg_pay_ref){m->txns[i].reference, -1};
  qsort(refs, (size_t)n, sizeof *refs, fg_cmp_pay_ref);
  int64_t k = 0;
  for (int64_t i = 0; i < n; i++)
    if (k == 0 || refs[k - 1].payment_id != refs[i].payment_id) refs[k++] = refs[i];
  if (k > 0) { /* the text set rejects the unreferenced payments without a search */
    fg_sid *ids = fg_xmalloc((size_t)k * sizeof *ids);
    for (int64_t i = 0; i < k; i++) ids[i] = refs[i].payment_id;
    fg_rk_textset named;
    fg_rk_textset_init(&named, m, ids, k);
    free(ids);
    fg_uid_buf ub;
    for (int64_t i = 0; i < m->npayments; i++) {
      fg_sid id = fg_rk_textset_find(&named, fg_m_uid(m, m->payments[i].payment_uid, &ub));
      if (id == 0) continue;
      fg_pay_ref *r = fg_find_ref(refs, k, id);
      FG_ASSERT(r != NULL);
      if (r->index < 0) r->index = i; /* the first payment of an id */
    }
    fg_rk_textset_release(&named);
  }
  *nrefs = k;
  return refs;
}

void fg_rule_fund_unmatched_private_payment(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  int64_t nrefs = 0;
  fg_pay_ref *refs = fg_pay_refs(m, &nrefs);
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->ntxns; i++) {
    const fg_m_txn *t = &m->txns[i];
    if (!fg_private_out(m, t)) continue;
    const fg_pay_ref *r = t->reference ? fg_find_ref(refs, nrefs, t->reference) : NULL;
    const fg_m_payment *p = r && r->index >= 0 ? &m->payments[r->index] : NULL;
    if (p && fg_m_fen(m, p->amount_f32) == t->amount_fen && p->bank_account == t->cp_account) continue;
    if (!t->reference) fg_rk_text(&rk, "没有关联的支付编号");
    else if (!p) fg_rk_text(&rk, "关联编号 %s 不是任何待遇支付", m->str[t->reference]);
    else {
      fg_rk_text(&rk, "与待遇支付 %s 的 %s 不一致", m->str[t->reference],
                 fg_m_fen(m, p->amount_f32) != t->amount_fen ? "金额" : "bank_account");
      fg_rk_ev(&rk, FG_T_BENEFIT_PAYMENTS, p->row);
    }
    fg_emit_txn(&rk, out, m, "fund.unmatched_private_payment", t);
  }
  fg_rk_release(&rk);
  free(refs);
}
