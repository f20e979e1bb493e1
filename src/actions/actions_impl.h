/*
 * actions_impl.h — private to src/actions/: the checks and effects of each
 * kind (action_config.c, action_dismiss.c, action_amend.c) and the small
 * helpers they share (actions.c).
 */
#ifndef FG_ACTIONS_ACTIONS_IMPL_H
#define FG_ACTIONS_ACTIONS_IMPL_H

#include "actions/actions.h"
#include "journal/json.h"

int fg_action_config_check(fg_store *s, const char *payload, fg_err *err);
int fg_action_config_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                           int64_t jseq, fg_err *err);
int fg_action_dismiss_check(fg_store *s, const char *payload, fg_err *err);
int fg_action_dismiss_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                            int64_t jseq, fg_err *err);
int fg_action_amend_check(fg_store *s, const char *payload, fg_err *err);
int fg_action_amend_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                          int64_t jseq, fg_err *err);

/* Parse payload as a JSON object into *v (fg_journal_json_free). */
int fg_action_json(const char *payload, fg_journal_json **v, fg_err *err);
/* String member key of object v (NUL-free), or NULL. */
const char *fg_action_json_str(const fg_journal_json *v, const char *key);
/* Each corrected column of an amendment payload: "  column: stored → proposed". */
int fg_action_amend_describe(fg_store *s, const char *payload, fg_buf *out, fg_err *err);
/* Integer member key of object v into *out; false when absent or not one. */
bool fg_action_json_int(const fg_journal_json *v, const char *key, int64_t *out);
/* A reason: present, not empty, shorter than FG_ACTION_REASON_MAX. */
int fg_action_reason(const fg_journal_json *v, const char **reason, fg_err *err);
/* Who took the steps of p, whose final step `by` takes now: the reviewer
 * and the approver (NULL when the kind needed no approval). */
void fg_action_people(const fg_store_proposal *p, const fg_signer *by, const char **reviewer,
                      const char **approver);

#endif
