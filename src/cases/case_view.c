/*
 * case_view.c — the derived view of a case (cases.h fg_case_view): its
 * state, outcome, recovery, penalty, closing conditions and deadline flags,
 * folded from its append-only events in order, then judged as of today.
 *
 * Folding rules (cases.md): `assign` moves an issued or assigned case to
 * assigned; `classify` to classified (ineligible, fraud and large_unrepaid
 * open a recovery whose notice date is the first classification that opened
 * it; a reclassification to large_unrepaid keeps it); a `normal`
 * classification whose dismissal proposal was refused or expired returns the
 * case to assigned (the caller tells, see fg_case_fold_dismissal); `close`
 * closes. Receipts, deposits, write-offs and penalties only add up.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/cases_impl.h"

static const char *const fg_case_states[][2] = {
    {"issued", "已下发"}, {"assigned", "核查中"}, {"classified", "已定性"}, {"closed", "已办结"}};

const char *fg_case_state_code(fg_case_state st) {
  FG_ASSERT(st >= FG_CASE_ISSUED && st <= FG_CASE_CLOSED);
  return fg_case_states[st][0];
}

const char *fg_case_state_zh(fg_case_state st) {
  FG_ASSERT(st >= FG_CASE_ISSUED && st <= FG_CASE_CLOSED);
  return fg_case_states[st][1];
}

bool fg_case_state_parse(const char *s, fg_case_state *out) {
  for (int i = 0; i <= FG_CASE_CLOSED; i++)
    if (strcmp(s, fg_case_states[i][0]) == 0) {
      *out = (fg_case_state)i;
      return true;
    }
  return false;
}

static const char *const fg_case_outcomes[][2] = {
    {"operator_error", "经办操作或后台修改导致数据错误"},
    {"conversion_error", "数据转换导致数据错误"},
    {"unregistered_employer", "单位未依法参保登记"},
    {"ineligible", "不符合待遇领取条件"},
    {"large_unrepaid", "金额较大、限期内未退还或抵扣不足（稽核）"},
    {"fraud", "涉嫌欺诈骗保"},
    {"normal", "经核实无问题（排除）"},
};

const char *fg_case_outcome_zh(const char *outcome) {
  for (size_t i = 0; outcome && i < FG_ARRAY_LEN(fg_case_outcomes); i++)
    if (strcmp(outcome, fg_case_outcomes[i][0]) == 0) return fg_case_outcomes[i][1];
  return NULL;
}

bool fg_case_outcome_recovers(const char *outcome) {
  return strcmp(outcome, "ineligible") == 0 || strcmp(outcome, "fraud") == 0 ||
         strcmp(outcome, "large_unrepaid") == 0;
}

void fg_case_view_release(fg_case_view *v) {
  for (int p = 0; p < 2; p++) {
    free(v->to_deposit[p]);
    free(v->deposited[p]);
    v->to_deposit[p] = v->deposited[p] = NULL;
    v->nto_deposit[p] = v->ndeposited[p] = 0;
  }
}

void fg_case_view_start(fg_case_view *v, const fg_store_case_row *c) {
  memset(v, 0, sizeof *v);
  v->c = *c;
  v->state = FG_CASE_ISSUED;
  fg_parse_day(c->issued_on, (int)strlen(c->issued_on), &v->issued_on);
  fg_parse_day(c->due_on, (int)strlen(c->due_on), &v->due_on);
  v->classified_on = v->notice_on = v->closed_on = FG_NODAY;
  v->serious_on = v->serious_reported_on = v->penalty_on = FG_NODAY;
  v->last_classify_note = FG_NODAY;
}

static void fg_case_push(fg_case_money **a, int *n, fg_day on, int64_t fen) {
  FG_ASSERT(*n < INT32_MAX / 2);
  *a = fg_xrealloc(*a, (size_t)(*n + 1) * sizeof **a);
  (*a)[(*n)++] = (fg_case_money){on, fen};
}

static void fg_case_fold_classify(fg_case_view *v, const fg_store_case_event *e, fg_day on) {
  const bool reclass = v->state == FG_CASE_CLASSIFIED;
  v->state = FG_CASE_CLASSIFIED;
  snprintf(v->outcome, sizeof v->outcome, "%s", e->outcome);
  v->classified_on = on;
  v->dismiss_proposal = e->proposal_id;
  if (fg_case_outcome_recovers(e->outcome) && !(reclass && v->recovery_open)) {
    v->recovery_open = true;
    v->recovery_due_fen = e->amount_fen;
    v->notice_on = on;
  }
}

static void fg_case_fold_note(fg_case_view *v, const fg_store_case_event *e, fg_day on) {
  if (strcmp(e->how, "registration") == 0) v->registration = true;
  else if (strcmp(e->how, "referral") == 0) v->referral = true;
  else if (strcmp(e->how, "audit_conclusion") == 0) v->audit_conclusion = true;
  else if (strcmp(e->how, "extraction_fix") == 0) v->extraction_fix = true;
  if (v->state == FG_CASE_CLASSIFIED) v->last_classify_note = on;
}

static bool fg_case_needs_deposit(const char *how) {
  return strcmp(how, "cash") == 0 || strcmp(how, "transfer") == 0;
}

void fg_case_fold(fg_case_view *v, const fg_store_case_event *e) {
  FG_ASSERT(v != NULL && e != NULL && e->case_id == v->c.id);
  fg_day on = FG_NODAY;
  fg_parse_day(e->on_date, (int)strlen(e->on_date), &on);
  const int p = e->penalty ? 1 : 0;
  const char *k = e->kind;
  if (strcmp(k, "assign") == 0) {
    snprintf(v->assignee, sizeof v->assignee, "%s", e->who);
    if (v->state == FG_CASE_ISSUED) v->state = FG_CASE_ASSIGNED;
  } else if (strcmp(k, "classify") == 0) {
    fg_case_fold_classify(v, e, on);
  } else if (strcmp(k, "note") == 0) {
    fg_case_fold_note(v, e, on);
  } else if (strcmp(k, "close") == 0) {
    v->state = FG_CASE_CLOSED;
    v->closed_on = on;
    if (e->outcome[0]) snprintf(v->outcome, sizeof v->outcome, "%s", e->outcome);
  } else if (strcmp(k, "serious") == 0) {
    v->serious_on = on;
  } else if (strcmp(k, "serious_report") == 0) {
    if (v->serious_reported_on == FG_NODAY) v->serious_reported_on = on;
  } else if (strcmp(k, "receipt") == 0) {
    if (p) v->penalty_received_fen += e->amount_fen;
    else v->received_fen += e->amount_fen;
    if (fg_case_needs_deposit(e->how))
      fg_case_push(&v->to_deposit[p], &v->nto_deposit[p], on, e->amount_fen);
  } else if (strcmp(k, "deposit") == 0) {
    fg_case_push(&v->deposited[p], &v->ndeposited[p], on, e->amount_fen);
  } else if (strcmp(k, "writeoff") == 0) {
    v->writeoff_fen += e->amount_fen;
  } else if (strcmp(k, "penalty") == 0) {
    v->penalty_due_fen += e->amount_fen;
    if (v->penalty_on == FG_NODAY) v->penalty_on = on;
  } else if (strcmp(k, "amendment") == 0) {
    v->amended = true;
  }
}

void fg_case_fold_dismissal(fg_case_view *v, bool refused) {
  if (refused && v->state == FG_CASE_CLASSIFIED && strcmp(v->outcome, "normal") == 0) {
    v->state = FG_CASE_ASSIGNED; /* a step back: classification refused in review */
    v->outcome[0] = '\0';
    v->dismiss_proposal = 0;
  }
}

int64_t fg_case_balance_fen(const fg_case_view *v) {
  return v->recovery_due_fen - v->received_fen - v->writeoff_fen;
}

int64_t fg_case_undeposited_fen(const fg_case_view *v, bool penalty) {
  const int p = penalty ? 1 : 0;
  int64_t n = 0;
  for (int i = 0; i < v->nto_deposit[p]; i++) n += v->to_deposit[p][i].fen;
  for (int i = 0; i < v->ndeposited[p]; i++) n -= v->deposited[p][i].fen;
  return n;
}

/* Deposits pay receipts first in, first out: a receipt is overdue when the
 * deposits that cover it in full came after its due date (deposited late:
 * it stays Y), or when it is not covered yet and today is past the date. */
static bool fg_case_deposit_late(const fg_case_view *v, const fg_config *cfg, fg_day today,
                                 int p) {
  int64_t need = 0, got = 0;
  int d = 0;
  for (int i = 0; i < v->nto_deposit[p]; i++) {
    need += v->to_deposit[p][i].fen;
    const fg_day due =
        fg_config_add_working_days(cfg, v->to_deposit[p][i].on, FG_CASE_DEPOSIT_WORKING_DAYS);
    while (got < need && d < v->ndeposited[p]) got += v->deposited[p][d++].fen;
    if (got < need) return today > due;
    if (v->deposited[p][d - 1].on > due) return true;
  }
  return false;
}

void fg_case_judge(fg_case_view *v, const fg_config *cfg, fg_day today) {
  v->overdue = v->state < FG_CASE_CLASSIFIED && today > v->due_on;
  v->deposit_overdue =
      fg_case_deposit_late(v, cfg, today, 0) || fg_case_deposit_late(v, cfg, today, 1);
  v->serious_due_on = v->serious_on == FG_NODAY
                          ? FG_NODAY
                          : fg_config_add_working_days(cfg, v->serious_on,
                                                       FG_CASE_SERIOUS_WORKING_DAYS);
  v->serious_late = v->serious_on != FG_NODAY &&
                    (v->serious_reported_on == FG_NODAY ? today > v->serious_due_on
                                                        : v->serious_reported_on > v->serious_due_on);
  v->repay_due_on = v->recovery_open
                        ? fg_config_add_working_days(cfg, v->notice_on, cfg->repay_working_days)
                        : FG_NODAY;
  v->audit_due = v->recovery_open && !v->audit_conclusion && today > v->repay_due_on &&
                 fg_case_balance_fen(v) >= cfg->case_large_amount_fen;
}

bool fg_case_closable(const fg_case_view *v, const char **why) {
  const char *o = v->outcome;
  const bool settled = v->recovery_open && fg_case_balance_fen(v) == 0;
  *why = NULL;
  if (v->state != FG_CASE_CLASSIFIED) *why = "案件尚未定性";
  else if (strcmp(o, "operator_error") == 0 && !v->amended)
    *why = "须先有指明本案的数据更正提议获批准 (propose amend … --case)";
  else if (strcmp(o, "conversion_error") == 0 && !(v->extraction_fix))
    *why = "须先以备注记录数据抽取的修正 (case note --records extraction_fix)";
  else if (strcmp(o, "unregistered_employer") == 0 && !v->registration && !v->referral)
    *why = "须先记录参保登记已确认或已移送劳动保障监察 (case note --records registration|referral)";
  else if (strcmp(o, "ineligible") == 0 && !settled)
    *why = "追回尚未结清 (已收回与核销之和须等于应追回金额)";
  else if (strcmp(o, "large_unrepaid") == 0 && !(v->audit_conclusion && settled))
    *why = "须记录稽核结论并结清追回 (case note --records audit_conclusion)";
  else if (strcmp(o, "fraud") == 0 && !v->referral)
    *why = "须先记录移送（接收机关、文号、日期）(case note --records referral)";
  else if (strcmp(o, "normal") == 0)
    *why = "排除的案件由另一人复核认定正常的提议后自动办结";
  return *why == NULL;
}
