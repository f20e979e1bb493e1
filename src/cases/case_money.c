/*
 * case_money.c — recoveries (追回) and penalties of a case (cases.md):
 * receipts (`recovery pay`), deposits into the fund's income account
 * (`recovery deposit`), and the two reviewed kinds that only two more
 * people can carry out: case_writeoff (核销) and case_penalty (罚款, within
 * the law's range, ZZ 十二(六)(七)). Their check runs at every review step
 * and again when the effect executes; the effect is one case_events row
 * covered by the final step's journal entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_impl.h"
#include "journal/json.h"
#include "screen/export.h"

static const char *const fg_case_hows[] = {"cash", "transfer", "offset_account",
                                           "offset_lump_sum", "offset_benefit"};

static bool fg_case_how_ok(const char *how) {
  for (size_t i = 0; how && i < FG_ARRAY_LEN(fg_case_hows); i++)
    if (strcmp(how, fg_case_hows[i]) == 0) return true;
  return false;
}

/* The balance a receipt may pay: the recovery's, or the penalty's. */
static int64_t fg_case_open_fen(const fg_case_view *v, bool penalty) {
  return penalty ? v->penalty_due_fen - v->penalty_received_fen : fg_case_balance_fen(v);
}

static int fg_case_pay_check(const fg_case_view *v, int64_t amount_fen, fg_day on,
                             const char *how, bool penalty, fg_day today, fg_err *err) {
  char due[32], bal[32];
  if (!fg_case_how_ok(how))
    return fg_errf(err, FG_EINPUT,
                   "--how 应为 cash、transfer、offset_account、offset_lump_sum 或 offset_benefit (%s)",
                   how ? how : "");
  if (penalty && v->penalty_due_fen == 0)
    return fg_errf(err, FG_EINPUT, "案件 #%lld 没有已批准的罚款", (long long)v->c.id);
  if (!penalty && !v->recovery_open)
    return fg_errf(err, FG_EINPUT, "案件 #%lld 没有追回事项（须先定性为不符合待遇领取条件、金额较大或欺诈）",
                   (long long)v->c.id);
  const fg_day from = penalty ? v->penalty_on : v->notice_on;
  if (on > today) return fg_errf(err, FG_EINPUT, "收款日期不能晚于今天");
  if (on < from) {
    fg_format_day(from, due);
    return fg_errf(err, FG_EINPUT, "收款日期不能早于%s日期 %s", penalty ? "罚款决定" : "追回告知", due);
  }
  if (amount_fen <= 0) return fg_errf(err, FG_EINPUT, "金额应大于零");
  const int64_t open = fg_case_open_fen(v, penalty);
  if (amount_fen > open) {
    fg_fen_to_yuan(amount_fen, due, sizeof due);
    fg_fen_to_yuan(open, bal, sizeof bal);
    return fg_errf(err, FG_EINPUT, "收款 %s 元超过未收回余额 %s 元", due, bal);
  }
  return 0;
}

static int fg_case_money_event(fg_case_ctx *x, fg_store_case_event *e, const char *action,
                               const fg_case_recheck *r, fg_err *err) {
  char yuan[32];
  fg_fen_to_yuan(e->amount_fen, yuan, sizeof yuan);
  fg_buf more = FG_BUF_INIT, p = FG_BUF_INIT;
  fg_buf_addf(&more, ",\"account\":");
  fg_journal_json_add_str(&more, e->account ? e->account : "", e->account ? strlen(e->account) : 0);
  fg_buf_addf(&more, ",\"amount\":\"%s\",\"how\":\"%s\",\"on\":\"%s\",\"penalty\":%s", yuan,
              e->how ? e->how : "", e->on_date, e->penalty ? "true" : "false");
  fg_case_payload(&p, e->case_id, more.buf);
  int rc = fg_case_commit_event(x, action, e, p.buf, r, err);
  fg_buf_release(&more);
  fg_buf_release(&p);
  return rc;
}

typedef struct fg_case_pay_ud {
  int64_t amount_fen;
  fg_day on, today;
  const char *how;
  bool penalty;
} fg_case_pay_ud;

static int fg_case_pay_again(void *ud, const fg_case_view *v, fg_err *err) {
  const fg_case_pay_ud *p = ud;
  return fg_case_pay_check(v, p->amount_fen, p->on, p->how, p->penalty, p->today, err);
}

int fg_case_pay(fg_case_ctx *x, int64_t case_id, int64_t amount_fen, fg_day on, const char *how,
                bool penalty, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_RECOVERY_RECORD, NULL, &v, err);
  if (rc == 0 && (rc = fg_case_pay_check(&v, amount_fen, on, how, penalty, x->today, err)) != 0)
    fg_case_view_release(&v);
  if (rc) return fg_case_refuse(x, "pay", case_id, err);
  char day[11];
  fg_format_day(on, day);
  fg_store_case_event e = {.case_id = case_id, .kind = "receipt", .on_date = day,
                            .actor = x->me->actor, .amount_fen = amount_fen, .penalty = penalty,
                            .how = how};
  fg_case_pay_ud pu = {amount_fen, on, x->today, how, penalty};
  const fg_case_recheck r = {fg_case_pay_again, &pu, "pay"};
  rc = fg_case_money_event(x, &e, "recovery.pay", &r, err);
  fg_case_view_release(&v);
  return rc;
}

/* A deposit's account: for a recovery, an income account (收入户) of a
 * scheme the finding's evidence names; for a penalty, any account named
 * (the fiscal penalty account need not be in fund_accounts). */
static int fg_case_account_check(fg_case_ctx *x, const fg_case_view *v, const char *account,
                                 bool penalty, fg_err *err) {
  if (account == NULL || account[0] == '\0') return fg_errf(err, FG_EINPUT, "须写明入账账户 (--account)");
  if (penalty) return 0;
  char scheme[16] = "", kind[32] = "";
  bool found = false;
  int rc = fg_store_fund_account(x->s, account, scheme, sizeof scheme, kind, sizeof kind, &found,
                                 err);
  if (rc) return rc;
  if (!found || strcmp(kind, "income") != 0)
    return fg_errf(err, FG_EINPUT, "账户 %s 不是已导入 fund_accounts 中的收入户", account);
  fg_buf schemes = FG_BUF_INIT;
  rc = fg_store_finding_schemes(x->s, v->c.run, v->c.rule, v->c.subject_id, &schemes, err);
  if (rc == 0 && !fg_export_in_list(schemes.buf ? schemes.buf : "", scheme, false))
    rc = fg_errf(err, FG_EINPUT, "账户 %s 属于险种 %s，不是本案证据涉及的险种 (%s)", account,
                 scheme, schemes.buf ? schemes.buf : "无");
  fg_buf_release(&schemes);
  return rc;
}

typedef struct fg_case_deposit_ud {
  int64_t amount_fen;
  bool penalty;
} fg_case_deposit_ud;

static int fg_case_deposit_again(void *ud, const fg_case_view *v, fg_err *err) {
  const fg_case_deposit_ud *d = ud;
  const int64_t open = fg_case_undeposited_fen(v, d->penalty);
  if (d->amount_fen > 0 && d->amount_fen <= open) return 0;
  char a[32], b[32];
  fg_fen_to_yuan(d->amount_fen, a, sizeof a);
  fg_fen_to_yuan(open, b, sizeof b);
  return fg_errf(err, FG_EINPUT, "缴存 %s 元超过尚未缴存的现金和转账收款 %s 元", a, b);
}

int fg_case_deposit(fg_case_ctx *x, int64_t case_id, int64_t amount_fen, fg_day on,
                    const char *account, bool penalty, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_RECOVERY_RECORD, NULL, &v, err);
  if (rc) return fg_case_refuse(x, "deposit", case_id, err);
  const int p = penalty ? 1 : 0;
  fg_case_deposit_ud du = {amount_fen, penalty};
  if ((rc = fg_case_account_check(x, &v, account, penalty, err)) != 0) {
  } else if ((rc = fg_case_deposit_again(&du, &v, err)) != 0) {
  } else if (on > x->today || (v.nto_deposit[p] > 0 && on < v.to_deposit[p][0].on)) {
    rc = fg_errf(err, FG_EINPUT, "缴存日期不能晚于今天，也不能早于收款日期");
  }
  if (rc) {
    fg_case_view_release(&v);
    return fg_case_refuse(x, "deposit", case_id, err);
  }
  char day[11];
  fg_format_day(on, day);
  fg_store_case_event e = {.case_id = case_id, .kind = "deposit", .on_date = day,
                           .actor = x->me->actor, .amount_fen = amount_fen, .penalty = penalty,
                           .how = "", .account = account};
  const fg_case_recheck r = {fg_case_deposit_again, &du, "deposit"};
  rc = fg_case_money_event(x, &e, "recovery.deposit", &r, err);
  fg_case_view_release(&v);
  return rc;
}

/* ---- reviewed kinds: case_writeoff, case_penalty --------------------------- */

typedef struct fg_case_prop {
  int64_t case_id, amount_fen, base_fen;
  const char *reason, *basis;
} fg_case_prop;

static int fg_case_prop_read(const char *payload, fg_journal_json **v, fg_case_prop *p,
                             fg_err *err) {
  memset(p, 0, sizeof *p);
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), v, &jerr) != 0 || (*v)->type != FG_JSON_OBJ)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON 对象: %s", jerr.msg);
  const fg_journal_json *m;
  if ((m = fg_journal_json_get(*v, "case")) && m->type == FG_JSON_INT && !m->neg) p->case_id = m->i;
  if ((m = fg_journal_json_get(*v, "amount_fen")) && m->type == FG_JSON_INT && !m->neg)
    p->amount_fen = m->i;
  if ((m = fg_journal_json_get(*v, "base_fen")) && m->type == FG_JSON_INT && !m->neg)
    p->base_fen = m->i;
  if ((m = fg_journal_json_get(*v, "reason")) && m->type == FG_JSON_STR) p->reason = m->s;
  if ((m = fg_journal_json_get(*v, "basis")) && m->type == FG_JSON_STR) p->basis = m->s;
  if (p->case_id <= 0 || p->amount_fen <= 0 || p->reason == NULL || p->reason[0] == '\0')
    return fg_errf(err, FG_EINPUT, "提议内容不完整 (case, amount, reason)");
  return 0;
}

static int fg_case_prop_view(fg_store *s, int64_t case_id, fg_case_view *v, fg_err *err) {
  bool found = false;
  int rc = fg_case_load_unscoped(s, case_id, v, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "案件 #%lld 不存在", (long long)case_id);
  return rc;
}

static int fg_case_writeoff_state(const fg_case_view *v, const fg_case_prop *p, fg_err *err) {
  if (!v->recovery_open)
    return fg_errf(err, FG_EINPUT, "案件 #%lld 没有追回事项，无可核销", (long long)p->case_id);
  if (p->amount_fen > fg_case_balance_fen(v)) {
    char a[32], b[32];
    fg_fen_to_yuan(p->amount_fen, a, sizeof a);
    fg_fen_to_yuan(fg_case_balance_fen(v), b, sizeof b);
    return fg_errf(err, FG_EINPUT, "核销 %s 元超过未收回余额 %s 元", a, b);
  }
  return 0;
}

/* ZZ 十二(六)(七): fraud 2-5 times the amount defrauded, evasion 1-3 times
 * the contributions evaded, obstruction 2,000-20,000 yuan. */
static int fg_case_penalty_range(const fg_case_prop *p, fg_err *err) {
  int64_t lo = 0, hi = 0;
  if (p->basis && strcmp(p->basis, "obstruction") == 0) {
    lo = 200000;
    hi = 2000000;
  } else if (p->basis && (strcmp(p->basis, "fraud") == 0 || strcmp(p->basis, "evasion") == 0)) {
    const int64_t k_lo = strcmp(p->basis, "fraud") == 0 ? 2 : 1;
    const int64_t k_hi = strcmp(p->basis, "fraud") == 0 ? 5 : 3;
    if (p->base_fen <= 0 || p->base_fen > INT64_MAX / 8)
      return fg_errf(err, FG_EINPUT, "--basis %s 须给出基数金额 (--base)", p->basis);
    lo = k_lo * p->base_fen;
    hi = k_hi * p->base_fen;
  } else {
    return fg_errf(err, FG_EINPUT, "--basis 应为 fraud、evasion 或 obstruction (%s)",
                   p->basis ? p->basis : "");
  }
  if (p->amount_fen < lo || p->amount_fen > hi) {
    char a[32], l[32], h[32];
    fg_fen_to_yuan(p->amount_fen, a, sizeof a);
    fg_fen_to_yuan(lo, l, sizeof l);
    fg_fen_to_yuan(hi, h, sizeof h);
    return fg_errf(err, FG_EINPUT, "罚款 %s 元超出法定幅度 %s 至 %s 元 (%s)", a, l, h, p->basis);
  }
  return 0;
}

static int fg_case_kind_check(fg_store *s, const char *payload, bool penalty, fg_err *err) {
  fg_journal_json *j = NULL;
  fg_case_prop p;
  int rc = fg_case_prop_read(payload, &j, &p, err);
  fg_case_view v;
  if (rc == 0 && penalty) rc = fg_case_penalty_range(&p, err);
  if (rc == 0 && (rc = fg_case_prop_view(s, p.case_id, &v, err)) == 0) {
    if (!penalty) rc = fg_case_writeoff_state(&v, &p, err);
    fg_case_view_release(&v);
  }
  fg_journal_json_free(j);
  return rc;
}

static int fg_case_writeoff_check(fg_store *s, const char *payload, fg_err *err) {
  return fg_case_kind_check(s, payload, false, err);
}

static int fg_case_penalty_check(fg_store *s, const char *payload, fg_err *err) {
  return fg_case_kind_check(s, payload, true, err);
}

static int fg_case_kind_apply(fg_store *s, const fg_store_proposal *pr, const fg_signer *by,
                              int64_t jseq, bool penalty, fg_err *err) {
  fg_journal_json *j = NULL;
  fg_case_prop p;
  int rc = fg_case_prop_read(pr->payload, &j, &p, err);
  char on[11];
  fg_format_day(fg_beijing_today(), on);
  fg_store_case_event e = {.case_id = p.case_id, .kind = penalty ? "penalty" : "writeoff",
                           .on_date = on, .actor = by->actor, .text = p.reason,
                           .amount_fen = p.amount_fen, .how = penalty ? p.basis : "",
                           .proposal_id = pr->id};
  if (rc == 0) rc = fg_store_case_event_add(s, &e, jseq, err);
  fg_journal_json_free(j);
  return rc;
}

static int fg_case_writeoff_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                                  int64_t jseq, fg_err *err) {
  return fg_case_kind_apply(s, p, by, jseq, false, err);
}

static int fg_case_penalty_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                                 int64_t jseq, fg_err *err) {
  return fg_case_kind_apply(s, p, by, jseq, true, err);
}

int fg_cases_register(void) {
  int rc = fg_review_set_checker(FG_REVIEW_CASE_WRITEOFF, fg_case_writeoff_check);
  if (rc == 0) rc = fg_review_set_applier(FG_REVIEW_CASE_WRITEOFF, fg_case_writeoff_apply);
  if (rc == 0) rc = fg_review_set_checker(FG_REVIEW_CASE_PENALTY, fg_case_penalty_check);
  if (rc == 0) rc = fg_review_set_applier(FG_REVIEW_CASE_PENALTY, fg_case_penalty_apply);
  if (rc == 0) rc = fg_tips_register();
  if (rc == 0) rc = fg_case_dismiss_register();
  return rc ? rc : fg_inspect_register();
}

static char *fg_case_prop_payload(const fg_case_prop *p) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_addf(&b, "{\"amount_fen\":%lld", (long long)p->amount_fen);
  if (p->base_fen > 0) fg_buf_addf(&b, ",\"base_fen\":%lld", (long long)p->base_fen);
  if (p->basis) {
    fg_buf_adds(&b, ",\"basis\":");
    fg_journal_json_add_str(&b, p->basis, strlen(p->basis));
  }
  fg_buf_addf(&b, ",\"case\":%lld,\"reason\":", (long long)p->case_id);
  fg_journal_json_add_str(&b, p->reason, strlen(p->reason));
  fg_buf_addc(&b, '}');
  return fg_buf_detach(&b);
}

static int fg_case_propose(fg_case_ctx *x, const char *kind, const char *perm,
                           const char *office_perm, const fg_case_prop *p, int64_t *id,
                           fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, p->case_id, perm, office_perm, &v, err);
  if (rc) return fg_case_refuse(x, kind, p->case_id, err);
  fg_case_view_release(&v);
  char *payload = fg_case_prop_payload(p);
  rc = fg_review_propose(x->s, x->cfg, x->me, kind, payload, fg_beijing_now_s(), id, err);
  free(payload);
  return rc;
}

int fg_case_propose_writeoff(fg_case_ctx *x, int64_t case_id, int64_t amount_fen,
                             const char *reason, int64_t *proposal_id, fg_err *err) {
  fg_case_prop p = {case_id, amount_fen, 0, reason ? reason : "", NULL};
  return fg_case_propose(x, FG_REVIEW_CASE_WRITEOFF, FG_PERM_WRITEOFF_PROPOSE, NULL, &p,
                         proposal_id, err);
}

int fg_case_propose_penalty(fg_case_ctx *x, int64_t case_id, const char *basis,
                            int64_t amount_fen, int64_t base_fen, const char *reason,
                            int64_t *proposal_id, fg_err *err) {
  fg_case_prop p = {case_id, amount_fen, base_fen, reason ? reason : "", basis};
  return fg_case_propose(x, FG_REVIEW_CASE_PENALTY, FG_PERM_PENALTY_PROPOSE,
                         FG_PERM_PENALTY_PROPOSE, &p, proposal_id, err);
}
