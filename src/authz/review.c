/*
 * review.c — the two-person review engine (一岗双核, see authz.h,
 * fg_review_): propose (A) -> review (B != A) -> approve (C != A, C != B)
 * where the kind needs approval -> apply, inside the final step's
 * transaction. Every step is a journal entry signed by the acting user; every
 * refused step is one journal entry signed by that user and nothing else.
 * Proposals and their steps are append-only rows (store.h); the status is
 * derived from the steps and the expiry time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "authz/review_impl.h"
#include "journal/json.h"

enum { FG_REVIEW_MSG_MAX = 512, FG_REVIEW_APPLIERS_MAX = 16 };

typedef struct fg_review_kind_def {
  const char *kind;
  bool needs_approval;
  const char *propose_perm;
} fg_review_kind_def;

/* The configurable table of kinds: which need a third person's approval. */
static const fg_review_kind_def fg_review_kinds[] = {
    {FG_REVIEW_ROLE_GRANT, true, FG_PERM_USER_MANAGE},
    {FG_REVIEW_ROLE_REVOKE, false, FG_PERM_USER_MANAGE},
    {FG_REVIEW_USER_CREATE, true, FG_PERM_USER_MANAGE},
    {FG_REVIEW_USER_UNLOCK, false, FG_PERM_USER_MANAGE},
    {FG_REVIEW_CONFIG_CHANGE, true, FG_PERM_CONFIG_PROPOSE},
    {FG_REVIEW_DATA_AMENDMENT, true, FG_PERM_DATA_AMEND},
    {FG_REVIEW_FINDING_DISMISS, false, FG_PERM_FINDING_DISMISS},
    {FG_REVIEW_CASE_WRITEOFF, true, FG_PERM_WRITEOFF_PROPOSE},
    {FG_REVIEW_CASE_PENALTY, true, FG_PERM_PENALTY_PROPOSE},
    /* proposed through src/cases, which checks the proposer's agency scope */
    {FG_REVIEW_RECTIFY_CLOSE, false, FG_PERM_INSPECTION_MANAGE},
    {FG_REVIEW_INSPECTION_REPLAN, false, FG_PERM_INSPECTION_MANAGE},
    {FG_REVIEW_TIP_REWARD, true, FG_PERM_REPORT_INTAKE},
    {FG_REVIEW_CASE_DISMISS, false, FG_PERM_CASE_HANDLE},
};

static struct {
  const char *kind;
  fg_review_apply_fn fn;
  fg_review_check_fn check;
} fg_review_appliers[FG_REVIEW_APPLIERS_MAX];

bool fg_review_kind(const char *kind, bool *needs_approval, const char **propose_perm) {
  for (size_t i = 0; kind != NULL && i < FG_ARRAY_LEN(fg_review_kinds); i++) {
    if (strcmp(fg_review_kinds[i].kind, kind) != 0) continue;
    if (needs_approval) *needs_approval = fg_review_kinds[i].needs_approval;
    if (propose_perm) *propose_perm = fg_review_kinds[i].propose_perm;
    return true;
  }
  return false;
}

/* The slot of kind in the table of external kinds (a free one when new). */
static int fg_review_slot(const char *kind) {
  FG_ASSERT(kind != NULL);
  if (!fg_review_kind(kind, NULL, NULL) || fg_review_builtin(kind)) return FG_EINPUT;
  for (int i = 0; i < FG_REVIEW_APPLIERS_MAX; i++) {
    if (fg_review_appliers[i].kind == NULL || strcmp(fg_review_appliers[i].kind, kind) == 0) {
      fg_review_appliers[i].kind = kind;
      return i;
    }
  }
  return FG_ELIMIT;
}

int fg_review_set_applier(const char *kind, fg_review_apply_fn fn) {
  FG_ASSERT(kind != NULL && fn != NULL);
  int i = fg_review_slot(kind);
  if (i < 0) return i;
  fg_review_appliers[i].fn = fn;
  return 0;
}

int fg_review_set_checker(const char *kind, fg_review_check_fn fn) {
  FG_ASSERT(kind != NULL && fn != NULL);
  int i = fg_review_slot(kind);
  if (i < 0) return i;
  fg_review_appliers[i].check = fn;
  return 0;
}

fg_review_status fg_review_status_of(const fg_store_proposal *p, int64_t now_s) {
  FG_ASSERT(p != NULL);
  if (p->refused_by[0]) return FG_REVIEW_REFUSED;
  if (p->applied) return FG_REVIEW_APPLIED;
  if (now_s > p->expires_s) return FG_REVIEW_EXPIRED;
  return p->reviewer[0] ? FG_REVIEW_REVIEWED : FG_REVIEW_PENDING;
}

const char *fg_review_status_zh(fg_review_status st) {
  switch (st) {
  case FG_REVIEW_PENDING: return "待复核";
  case FG_REVIEW_REVIEWED: return "已复核待审批";
  case FG_REVIEW_APPLIED: return "已生效";
  case FG_REVIEW_REFUSED: return "已驳回";
  case FG_REVIEW_EXPIRED: return "已过期";
  }
  return "?";
}

/* Refuse a step: one journal entry "proposal.denied" signed by the actor. */
static int fg_review_deny(fg_store *s, const fg_signer *by, int64_t id, const char *step,
                          const char *reason, fg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static int fg_review_deny(fg_store *s, const fg_signer *by, int64_t id, const char *step,
                          const char *reason, fg_err *err, int code, const char *fmt, ...) {
  char msg[FG_REVIEW_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_int(&b, "id", id);
  fg_authz_json_str(&b, "reason", reason);
  fg_authz_json_str(&b, "step", step);
  fg_authz_json_end(&b);
  int rc = fg_authz_refuse(s, by, "proposal.denied", b.buf, err, code, "%s", msg);
  fg_buf_release(&b);
  return rc;
}

/* Refuse with the message already in err (from a check or an effect). */
static int fg_review_deny_err(fg_store *s, const fg_signer *by, int64_t id, const char *step,
                              const char *reason, fg_err *err) {
  char msg[FG_ERR_MSG_MAX];
  snprintf(msg, sizeof msg, "%s", err->msg);
  int code = err->code < 0 ? err->code : FG_EPERM;
  return fg_review_deny(s, by, id, step, reason, err, code, "%s", msg);
}

static int fg_review_propose_do(fg_store *s, const fg_config *cfg, const fg_signer *by,
                                const char *kind, const char *payload, int64_t now_s,
                                bool checked, int64_t *id_out, fg_err *err) {
  FG_ASSERT(s && cfg && by && kind && payload && id_out);
  int rc = fg_authz_check_signer(s, by, NULL, err);
  if (rc) return rc;
  const char *perm = NULL;
  if (!fg_review_kind(kind, NULL, &perm))
    return fg_review_deny(s, by, 0, "propose", "unknown_kind", err, FG_EINPUT,
                          "未知的提议类型 \"%.40s\"", kind);
  if (!checked && fg_authz_check(s, by->actor, perm, err) != 0)
    return fg_review_deny_err(s, by, 0, "propose", "permission", err);
  if (fg_review_validate(s, cfg, kind, payload, by->actor, NULL, NULL, err) != 0)
    return fg_review_deny_err(s, by, 0, "propose", "invalid", err);
  fg_store_proposal p = {0};
  snprintf(p.kind, sizeof p.kind, "%s", kind);
  snprintf(p.proposer, sizeof p.proposer, "%s", by->actor);
  p.payload = (char *)payload;
  p.created_s = now_s;
  p.expires_s = now_s + (int64_t)FG_REVIEW_EXPIRY_DAYS * FG_AUTHN_DAY_S;
  if ((rc = fg_store_begin(s, err)) != 0) return rc;
  rc = fg_store_proposal_next_id(s, &p.id, err);
  fg_buf b = FG_BUF_INIT;
  if (rc == 0) {
    fg_authz_json_begin(&b);
    fg_authz_json_int(&b, "expires", p.expires_s);
    fg_authz_json_int(&b, "id", p.id);
    fg_authz_json_str(&b, "kind", kind);
    fg_authz_json_str(&b, "payload", payload);
    fg_authz_json_end(&b);
    int64_t seq = -1, got = -1;
    rc = fg_journal_next_seq(s, &seq, err);
    if (rc == 0) rc = fg_store_proposal_add(s, &p, seq, err);
    if (rc == 0) rc = fg_journal_append(s, by, "proposal.create", b.buf, b.len, &got, err);
    FG_ASSERT(rc != 0 || got == seq);
  }
  if (rc == 0) rc = fg_store_commit(s, err);
  if (rc) fg_store_rollback(s);
  fg_buf_release(&b);
  if (rc == 0) *id_out = p.id;
  return rc;
}

int fg_review_propose(fg_store *s, const fg_config *cfg, const fg_signer *by, const char *kind,
                      const char *payload, int64_t now_s, int64_t *id_out, fg_err *err) {
  return fg_review_propose_do(s, cfg, by, kind, payload, now_s, false, id_out, err);
}

int fg_review_propose_checked(fg_store *s, const fg_config *cfg, const fg_signer *by,
                              const char *kind, const char *payload, int64_t now_s,
                              int64_t *id_out, fg_err *err) {
  return fg_review_propose_do(s, cfg, by, kind, payload, now_s, true, id_out, err);
}

fg_review_apply_fn fg_review_applier(const char *kind) {
  for (size_t i = 0; i < FG_REVIEW_APPLIERS_MAX && fg_review_appliers[i].kind; i++)
    if (strcmp(fg_review_appliers[i].kind, kind) == 0) return fg_review_appliers[i].fn;
  return NULL;
}

fg_review_check_fn fg_review_checker(const char *kind) {
  for (size_t i = 0; i < FG_REVIEW_APPLIERS_MAX && fg_review_appliers[i].kind; i++)
    if (strcmp(fg_review_appliers[i].kind, kind) == 0) return fg_review_appliers[i].check;
  return NULL;
}

/* Load proposal id and check it is open for step (`review`: pending,
 * `approve`: reviewed, `refuse`: either). Refusals are journaled. */
static int fg_review_load(fg_store *s, const fg_signer *by, int64_t id, const char *step,
                          int64_t now_s, fg_store_proposal *p, fg_err *err) {
  bool found = false;
  int rc = fg_store_proposal_get(s, id, p, &found, err);
  if (rc) return rc;
  if (!found)
    return fg_review_deny(s, by, id, step, "not_found", err, FG_EINPUT, "提议 #%lld 不存在",
                          (long long)id);
  fg_review_status st = fg_review_status_of(p, now_s);
  bool open = st == FG_REVIEW_PENDING || st == FG_REVIEW_REVIEWED;
  if (strcmp(step, "review") == 0) open = st == FG_REVIEW_PENDING;
  if (strcmp(step, "approve") == 0) open = st == FG_REVIEW_REVIEWED;
  if (!open) {
    rc = fg_review_deny(s, by, id, step, st == FG_REVIEW_EXPIRED ? "expired" : "state", err,
                        FG_EINPUT, "提议 #%lld 当前状态为「%s」，不能%s", (long long)id,
                        fg_review_status_zh(st), strcmp(step, "approve") == 0 ? "审批" : "复核");
    fg_store_proposal_release(p);
  }
  return rc;
}

/* Take step (review / approve / refuse) by `by`; when final, apply p. */
static int fg_review_commit_step(fg_store *s, const fg_config *cfg, const fg_signer *by,
                                 fg_store_proposal *p, const char *step, bool final,
                                 const char *reason, int64_t now_s,
                                 fg_err *err) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "applied", final ? "yes" : "no");
  fg_authz_json_int(&b, "id", p->id);
  fg_authz_json_str(&b, "kind", p->kind);
  if (reason) fg_authz_json_str(&b, "reason", reason);
  fg_authz_json_end(&b);
  char action[64];
  snprintf(action, sizeof action, "proposal.%s", step);
  int64_t seq = -1, got = -1;
  int rc = fg_store_begin(s, err);
  /* the rows of the step (and of a row-only effect) carry the entry's seq */
  if (rc == 0) rc = fg_journal_next_seq(s, &seq, err);
  if (rc == 0) rc = fg_store_proposal_step(s, p->id, step, by->actor, now_s, seq, err);
  if (rc == 0 && final) rc = fg_review_apply(s, cfg, p, by, seq, now_s, err);
  if (rc == 0 && final) rc = fg_store_proposal_step(s, p->id, "apply", by->actor, now_s, seq, err);
  if (rc == 0) rc = fg_journal_append(s, by, action, b.buf, b.len, &got, err);
  FG_ASSERT(rc != 0 || got == seq);
  /* effects that write journal entries of their own come after */
  if (rc == 0 && final) rc = fg_review_apply_after(s, cfg, p, by, now_s, err);
  if (rc == 0) rc = fg_store_commit(s, err);
  fg_buf_release(&b);
  if (rc == 0) return 0;
  fg_store_rollback(s);
  if (rc == FG_EDB) return rc;
  return fg_review_deny_err(s, by, p->id, step, "effect", err);
}

/* The checks shared by review and approve; 0 when by may take step. */
static int fg_review_may(fg_store *s, const fg_config *cfg, const fg_signer *by,
                         const fg_store_proposal *p, const char *step, fg_err *err) {
  const bool approve = strcmp(step, "approve") == 0;
  if (strcmp(by->actor, p->proposer) == 0)
    return approve ? fg_review_deny(s, by, p->id, step, "self_approval", err, FG_EPERM,
                                    "不准审批本人提出的提议 #%lld（一岗双核）", (long long)p->id)
                   : fg_review_deny(s, by, p->id, step, "self_review", err, FG_EPERM,
                                    "不准复核本人提出的提议 #%lld，须由另一人复核（一岗双核）",
                                    (long long)p->id);
  if (approve && strcmp(by->actor, p->reviewer) == 0)
    return fg_review_deny(s, by, p->id, step, "same_reviewer", err, FG_EPERM,
                          "提议 #%lld 已由 %s 复核，审批须由第三人进行", (long long)p->id,
                          by->actor);
  const char *perm = approve ? FG_PERM_PROPOSAL_APPROVE : FG_PERM_PROPOSAL_REVIEW;
  if (fg_authz_check(s, by->actor, perm, err) != 0)
    return fg_review_deny_err(s, by, p->id, step, "permission", err);
  const char *reviewer = approve ? p->reviewer : by->actor;
  if (fg_review_validate(s, cfg, p->kind, p->payload, p->proposer, reviewer,
                         approve ? by->actor : NULL, err) != 0)
    return fg_review_deny_err(s, by, p->id, step, "invalid", err);
  return 0;
}

/* A step is judged and taken inside one write transaction (BEGIN
 * IMMEDIATE): the proposal's state is read where it is changed, so two
 * steps racing (approve and refuse) are decided one after the other and
 * the second sees the first. A journaled denial is committed; a store
 * error rolls everything back. */
static int fg_review_finish(fg_store *s, int rc) {
  if (!fg_store_in_transaction(s)) return rc; /* a failed step rolled back */
  if (rc == FG_EDB || rc == FG_EIO || rc == FG_ENOMEM) {
    fg_store_rollback(s);
    return rc;
  }
  fg_err cerr = {0};
  const int crc = fg_store_commit(s, &cerr);
  if (crc) fg_store_rollback(s);
  return crc ? crc : rc;
}

static int fg_review_act_tx(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                            const char *step, int64_t now_s, fg_err *err) {
  int rc = fg_authz_check_signer(s, by, NULL, err);
  if (rc) return rc;
  fg_store_proposal p;
  if ((rc = fg_review_load(s, by, id, step, now_s, &p, err)) != 0) return rc;
  rc = fg_review_may(s, cfg, by, &p, step, err);
  bool needs_approval = true;
  fg_review_kind(p.kind, &needs_approval, NULL);
  bool final = strcmp(step, "approve") == 0 || !needs_approval;
  if (rc == 0) rc = fg_review_commit_step(s, cfg, by, &p, step, final, NULL, now_s, err);
  fg_store_proposal_release(&p);
  return rc;
}

static int fg_review_act(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                         const char *step, int64_t now_s, fg_err *err) {
  FG_ASSERT(s && cfg && by);
  int rc = fg_store_begin(s, err);
  if (rc) return rc;
  return fg_review_finish(s, fg_review_act_tx(s, cfg, by, id, step, now_s, err));
}

int fg_review_review(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                     int64_t now_s, fg_err *err) {
  return fg_review_act(s, cfg, by, id, "review", now_s, err);
}

int fg_review_approve(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                      int64_t now_s, fg_err *err) {
  return fg_review_act(s, cfg, by, id, "approve", now_s, err);
}

static int fg_review_refuse_tx(fg_store *s, const fg_signer *by, int64_t id, const char *reason,
                               int64_t now_s, fg_err *err) {
  int rc = fg_authz_check_signer(s, by, NULL, err);
  if (rc) return rc;
  fg_store_proposal p;
  if ((rc = fg_review_load(s, by, id, "refuse", now_s, &p, err)) != 0) return rc;
  if (strcmp(by->actor, p.proposer) == 0)
    rc = fg_review_deny(s, by, id, "refuse", "self_review", err, FG_EPERM,
                        "提议 #%lld 由本人提出，不能由本人驳回（可待其过期）", (long long)id);
  else if (fg_authz_check(s, by->actor, FG_PERM_PROPOSAL_REVIEW, err) != 0 &&
           fg_authz_check(s, by->actor, FG_PERM_PROPOSAL_APPROVE, err) != 0)
    rc = fg_review_deny_err(s, by, id, "refuse", "permission", err);
  if (rc == 0)
    rc = fg_review_commit_step(s, NULL, by, &p, "refuse", false, reason, now_s, err);
  fg_store_proposal_release(&p);
  return rc;
}

int fg_review_refuse(fg_store *s, const fg_signer *by, int64_t id, const char *reason,
                     int64_t now_s, fg_err *err) {
  FG_ASSERT(s && by && reason);
  int rc = fg_store_begin(s, err);
  if (rc) return rc;
  return fg_review_finish(s, fg_review_refuse_tx(s, by, id, reason, now_s, err));
}
