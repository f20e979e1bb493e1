/*
 * action_dismiss.c — finding_dismiss: a supervisor proposes that a finding
 * (run, rule, subject_id) is normal, another person reviews (and approves,
 * where the kind table asks for it); the effect is one finding_dispositions
 * row "dismissed_normal" naming the reason, the proposal and the people,
 * covered by the final step's journal entry. The finding itself is never
 * changed; the findings export shows the disposition in its last column.
 *
 * Payload: {"reason", "rule", "run", "subject_id"}. The check refuses a
 * finding that does not exist and one already dismissed.
 */
#include <stdio.h>
#include <string.h>

#include "actions/actions_impl.h"

typedef struct fg_action_dismiss {
  int64_t run, case_id; /* case_id 0: not filed by case work */
  const char *rule, *subject_id, *reason;
} fg_action_dismiss;

char *fg_action_payload_dismiss(int64_t run, const char *rule, const char *subject_id,
                                const char *reason) {
  return fg_action_payload_dismiss_case(run, rule, subject_id, reason, 0);
}

char *fg_action_payload_dismiss_case(int64_t run, const char *rule, const char *subject_id,
                                     const char *reason, int64_t case_id) {
  FG_ASSERT(rule != NULL && subject_id != NULL && reason != NULL && case_id >= 0);
  fg_buf b = FG_BUF_INIT;
  if (case_id > 0) fg_buf_addf(&b, "{\"case\":%lld,\"reason\":", (long long)case_id);
  else fg_buf_adds(&b, "{\"reason\":");
  fg_journal_json_add_str(&b, reason, strlen(reason));
  fg_buf_adds(&b, ",\"rule\":");
  fg_journal_json_add_str(&b, rule, strlen(rule));
  fg_buf_addf(&b, ",\"run\":%lld,\"subject_id\":", (long long)run);
  fg_journal_json_add_str(&b, subject_id, strlen(subject_id));
  fg_buf_addc(&b, '}');
  return fg_buf_detach(&b);
}

static int fg_action_dismiss_read(const fg_journal_json *v, fg_action_dismiss *d, fg_err *err) {
  d->rule = fg_action_json_str(v, "rule");
  d->subject_id = fg_action_json_str(v, "subject_id");
  d->case_id = 0;
  if (fg_journal_json_get(v, "case") && (!fg_action_json_int(v, "case", &d->case_id) || d->case_id <= 0))
    return fg_errf(err, FG_EINPUT, "提议内容中的案件编号无效");
  if (!fg_action_json_int(v, "run", &d->run) || d->run <= 0 || d->rule == NULL ||
      d->subject_id == NULL)
    return fg_errf(err, FG_EINPUT, "提议内容不完整 (run, rule, subject_id)");
  return fg_action_reason(v, &d->reason, err);
}

typedef struct fg_action_seen {
  const fg_action_dismiss *d;
  bool dismissed;
} fg_action_seen;

static int fg_action_seen_one(void *ud, const fg_store_disposition *x) {
  fg_action_seen *c = ud;
  if (strcmp(x->rule, c->d->rule) == 0 && strcmp(x->subject_id, c->d->subject_id) == 0 &&
      strcmp(x->disposition, FG_STORE_DISPOSITION_DISMISSED) == 0)
    c->dismissed = true;
  return 0;
}

/* The finding exists in its run and is not dismissed yet. */
static int fg_action_dismiss_state(fg_store *s, const fg_action_dismiss *d, fg_err *err) {
  int64_t n = 0;
  int rc = fg_store_finding_count(s, d->run, d->rule, d->subject_id, &n, err);
  if (rc) return rc;
  if (n == 0)
    return fg_errf(err, FG_EINPUT, "筛查运行 #%lld 中没有规则 %s 关于 %s 的疑点，不能认定正常",
                   (long long)d->run, d->rule, d->subject_id);
  if (d->case_id > 0) {
    fg_store_case_row c;
    bool found = false;
    rc = fg_store_case_get(s, d->case_id, &c, &found, err);
    if (rc) return rc;
    if (!found || strcmp(c.rule, d->rule) != 0 || strcmp(c.subject_id, d->subject_id) != 0)
      return fg_errf(err, FG_EINPUT, "案件 #%lld 不是该疑点的案件", (long long)d->case_id);
  }
  fg_action_seen c = {d, false};
  rc = fg_store_dispositions_each(s, d->run, fg_action_seen_one, &c, err);
  if (rc == 0 && c.dismissed)
    rc = fg_errf(err, FG_EINPUT, "筛查运行 #%lld 中规则 %s 关于 %s 的疑点已被认定为正常",
                 (long long)d->run, d->rule, d->subject_id);
  return rc;
}

int fg_action_dismiss_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  int rc = fg_action_json(payload, &v, err);
  if (rc) return rc;
  fg_action_dismiss d;
  rc = fg_action_dismiss_read(v, &d, err);
  if (rc == 0) rc = fg_action_dismiss_state(s, &d, err);
  fg_journal_json_free(v);
  return rc;
}

/* A dismissal filed by case work closes its case (outcome normal) in the
 * same step, its row covered by the same entry. */
static int fg_action_dismiss_close(fg_store *s, const fg_action_dismiss *d,
                                   const fg_store_proposal *p, const fg_signer *by, int64_t jseq,
                                   fg_err *err) {
  char on[11];
  fg_format_day(fg_beijing_today(), on);
  fg_store_case_event e = {0};
  e.case_id = d->case_id;
  e.kind = "close";
  e.on_date = on;
  e.actor = by->actor;
  e.outcome = "normal";
  e.text = d->reason;
  e.proposal_id = p->id;
  return fg_store_case_event_add(s, &e, jseq, err);
}

int fg_action_dismiss_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                            int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && by != NULL && jseq >= 0);
  fg_journal_json *v = NULL;
  int rc = fg_action_json(p->payload, &v, err);
  if (rc) return rc;
  fg_action_dismiss d;
  rc = fg_action_dismiss_read(v, &d, err);
  if (rc == 0) {
    fg_store_disposition row = {.run = d.run,
                                .rule = d.rule,
                                .subject_id = d.subject_id,
                                .disposition = FG_STORE_DISPOSITION_DISMISSED,
                                .reason = d.reason,
                                .proposal_id = p->id,
                                .proposer = p->proposer};
    fg_action_people(p, by, &row.reviewer, &row.approver);
    rc = fg_store_disposition_add(s, &row, jseq, err);
    if (rc == 0 && d.case_id > 0) rc = fg_action_dismiss_close(s, &d, p, by, jseq, err);
  }
  fg_journal_json_free(v);
  return rc;
}
