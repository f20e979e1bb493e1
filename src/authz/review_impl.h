/*
 * review_impl.h — private to src/authz/: the built-in kinds' checks and
 * effects of the review engine (review_apply.c), used by review.c.
 */
#ifndef FG_AUTHZ_REVIEW_IMPL_H
#define FG_AUTHZ_REVIEW_IMPL_H

#include "authz/authz.h"

/* Whether kind's effect is built into authz (user and role kinds). */
bool fg_review_builtin(const char *kind);

/* Check payload of kind against the current state and the people involved
 * so far (reviewer/approver may be NULL): the target user exists, roles are
 * known, no exclusive pair would arise, and nobody grants a role to
 * themselves. FG_EINPUT / FG_EPERM with the message. */
int fg_review_validate(fg_store *s, const fg_config *cfg, const char *kind, const char *payload,
                       const char *proposer, const char *reviewer, const char *approver,
                       fg_err *err);

/* Execute the row effects of p (final step by `by`): rows carrying jseq,
 * the seq of the step's journal entry, appended right after (so it covers
 * them). Inside the caller's transaction. Checks every kind's rules. */
int fg_review_apply(fg_store *s, const fg_config *cfg, const fg_store_proposal *p,
                    const fg_signer *by, int64_t jseq,
                    int64_t now_s, fg_err *err);
/* The effects that write journal entries of their own (user_create:
 * "user.create"; user_unlock: "user.unlock"), after the step's entry. */
int fg_review_apply_after(fg_store *s, const fg_config *cfg, const fg_store_proposal *p,
                          const fg_signer *by, int64_t now_s,
                          fg_err *err);

/* The registered effect of an external kind, or NULL. */
fg_review_apply_fn fg_review_applier(const char *kind);
/* The registered payload check of an external kind, or NULL. */
fg_review_check_fn fg_review_checker(const char *kind);

#endif
