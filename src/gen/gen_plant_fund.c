/*
 * gen_plant_fund.c — planted cases and near misses for fund.* (rules.md
 * "Fund accounts" and its Boundaries). Planted income accounts FP<rep><k>
 * are separate from the background accounts FA<scheme>01..03; transfers
 * out of the background fiscal and expenditure accounts are planted here
 * too. Month X is a complete month before as_of.
 */
#include <stdio.h>
#include <string.h>

#include "gen/gen_internal.h"

static void fg_account(fg_gen_plant *p, const char *no, const char *scheme, const char *kind,
                    int64_t opening, fg_day opened) {
  fg_gen_row(p->o, FG_T_FUND_ACCOUNTS, "sssyd", no, scheme, kind, opening, opened);
}

static void fg_acct_name(const fg_gen_plant *p, char k, char out[16]) {
  snprintf(out, 16, "FP%03d%c", p->rep, k);
}

/* A sweep from an income account and its mirror on the fiscal special account. */
static void fg_sweep(fg_gen_plant *p, const char *inc, const char *fis, fg_day d, int64_t fen) {
  char tid[32];
  fg_gen_p_txn(p, inc, d, "out", fen, fis, "fund", NULL, "sweep", tid);
  fg_gen_p_txn(p, fis, d, "in", fen, inc, "fund", tid, "sweep", NULL);
}

static void fg_income_balance(fg_gen_plant *p, fg_month x) {
  const fg_gen_ctx *c = p->c;
  const fg_day first = fg_month_first_day(x), last = fg_month_last_day(x);
  char a[16];
  fg_acct_name(p, 'A', a); /* swept one fen short */
  fg_account(p, a, "110", "income", 0, c->hist_first_day);
  fg_gen_p_txn(p, a, first + 4, "in", 100000, "410200000001", "employer", NULL, NULL, NULL);
  fg_sweep(p, a, "FA11003", last, 99999);
  fg_gen_truth_add(p, "fund.income_balance_at_month_end", a, 0);
  fg_acct_name(p, 'B', a); /* not swept at all */
  fg_account(p, a, "210", "income", 0, c->hist_first_day);
  fg_gen_p_txn(p, a, first + 4, "in", 50000, "410200000002", "employer", NULL, NULL, NULL);
  fg_gen_truth_add(p, "fund.income_balance_at_month_end", a, 0);
  fg_acct_name(p, 'C', a); /* booked before opened_on: counts in month X, swept there */
  fg_account(p, a, "310", "income", 0, first);
  fg_gen_p_txn(p, a, first - 1, "in", 70000, "410200000003", "employer", NULL, NULL, NULL);
  fg_sweep(p, a, "FA31003", last, 70000);
  fg_acct_name(p, 'D', a); /* opening balance swept with the month's receipts */
  fg_account(p, a, "390", "income", 10000, c->hist_first_day);
  fg_gen_p_txn(p, a, first + 9, "in", 20000, "410200000004", "employer", NULL, NULL, NULL);
  fg_sweep(p, a, "FA39003", last, 30000);
  if (fg_month_last_day(c->as_of_month) > c->as_of) /* the open month is not checked */
    fg_gen_p_txn(p, a, fg_month_first_day(c->as_of_month), "in", 5000, "410200000004",
                 "employer", NULL, NULL, NULL);
}

static void fg_outflow(fg_gen_plant *p, fg_month x) {
  const fg_day first = fg_month_first_day(x), last = fg_month_last_day(x);
  char a[16], tid[32];
  fg_acct_name(p, 'E', a);
  fg_account(p, a, "210", "income", 0, p->c->hist_first_day);
  fg_gen_p_txn(p, a, first + 2, "in", 100000, "410200000005", "employer", NULL, NULL, NULL);
  struct {
    int64_t fen;
    const char *cp, *kind, *purpose;
    bool fires;
  } outs[] = {
      {40000, "FA21002", "fund", "allocate", true},  /* income straight to expenditure */
      {5000, NULL, "bank", "other", true},           /* no counterparty */
      {3000, "621799990001", "person", "refund", false},
      {10000, "ZXSJ-410000", "fund", "remit_up", false},
      {2000, NULL, "fund", "remit_up", true},        /* remit_up needs an account */
      {1000, "621799990002", "bank", "refund", true}, /* refund needs person/employer */
  };
  int64_t left = 100000;
  for (size_t k = 0; k < FG_ARRAY_LEN(outs); k++) {
    fg_gen_p_txn(p, a, first + 10 + (fg_day)k, "out", outs[k].fen, outs[k].cp, outs[k].kind,
                 NULL, outs[k].purpose, tid);
    if (outs[k].fires) fg_gen_truth_add(p, "fund.income_account_outflow", tid, outs[k].fen);
    left -= outs[k].fen;
  }
  FG_ASSERT(left > 0);
  fg_sweep(p, a, "FA21003", last, left);
}

static void fg_cross_scheme(fg_gen_plant *p, fg_month x) {
  const fg_day d = fg_month_first_day(x) + 11;
  char tid[32];
  fg_gen_p_txn(p, "FA11003", d, "out", 100000, "FA21002", "fund", NULL, "allocate", tid);
  fg_gen_truth_add(p, "fund.cross_scheme_transfer", tid, 100000);
  fg_gen_p_txn(p, "FA21002", d, "in", 100000, "FA11003", "fund", tid, "allocate", NULL);
  fg_gen_p_txn(p, "FA31002", d, "out", 50000, "FA39003", "fund", NULL, "other", tid);
  fg_gen_truth_add(p, "fund.cross_scheme_transfer", tid, 50000);
  /* same scheme, and to an account that is no fund account: no fire */
  fg_gen_p_txn(p, "FA11003", d, "out", 70000, "FA11002", "fund", NULL, "allocate", NULL);
  fg_gen_p_txn(p, "FA11002", d, "out", 20000, "ZXSJ-410000", "fund", NULL, "remit_up", NULL);
}

static void fg_private_payment(fg_gen_plant *p, fg_month x) {
  fg_gen_pp pp;
  fg_gen_pp_new(p, 1, fg_day_minus_years(p->c->as_of, 70) - p->rep, &pp);
  char pid[3][32], tid[32];
  for (int k = 0; k < 3; k++)
    fg_gen_p_pay(p, &pp, "110", "pension", x - 2 + k, 300000, NULL, pid[k]);
  const fg_day d = fg_month_first_day(x) + 12;
  struct {
    const char *ref, *cp, *kind;
    int64_t fen;
    bool fires;
  } outs[] = {
      {pid[0], pp.bank, "person", 300000, false},        /* matches */
      {pid[1], pp.bank, "person", 300001, true},         /* another amount */
      {pid[2], "6217999999999999", "person", 300000, true}, /* another account */
      {"BX-NONE", pp.bank, "person", 300000, true},      /* no such payment */
      {NULL, pp.bank, "person", 150000, true},           /* empty reference */
      {"BX-NONE", "BATCH-0002", "bank", 300000, false},  /* not to a person */
  };
  for (size_t k = 0; k < FG_ARRAY_LEN(outs); k++) {
    fg_gen_p_txn(p, "FA11002", d, "out", outs[k].fen, outs[k].cp, outs[k].kind, outs[k].ref,
                 "payment", tid);
    if (outs[k].fires) fg_gen_truth_add(p, "fund.unmatched_private_payment", tid, outs[k].fen);
  }
}

void fg_gen_plant_fund(fg_gen_plant *p) {
  const fg_month x = p->c->as_of_month - 2 - p->rep;
  fg_income_balance(p, x);
  fg_outflow(p, x);
  fg_cross_scheme(p, x);
  fg_private_payment(p, x);
}
