/*
 * authz_impl.h — private to src/authz/: helpers shared by authz.c, authn.c,
 * authn_cli.c and review.c (journaling a refusal or an act in its own
 * transaction, building canonical JSON payloads).
 */
#ifndef FG_AUTHZ_AUTHZ_IMPL_H
#define FG_AUTHZ_AUTHZ_IMPL_H

#include "authz/authz.h"
#include "common/fg.h"

/* agency of a new user: "" (the supervision office) or a valid agency_id,
 * one of the imported agencies once a batch has brought agencies.csv.
 * Checked when a user_create is proposed and when any user is created. */
int fg_authn_agency_check(fg_store *s, const char *user, const char *agency, fg_err *err);

/* Journal one entry (action, payload) signed by signer in a transaction of
 * its own: used for refusals, which must leave their entry and nothing else.
 * Returns 0 or the store/journal error. */
int fg_authz_journal_alone(fg_store *s, const fg_signer *signer, const char *action,
                           const char *payload, fg_err *err);

/* Record a refusal: journal it (own transaction) and return FG_EPERM (or
 * FG_EINPUT when code says so) with the message. A failure to journal wins. */
int fg_authz_refuse(fg_store *s, const fg_signer *signer, const char *action,
                    const char *payload, fg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Canonical JSON object builder: keys must be added in sorted order. */
void fg_authz_json_begin(fg_buf *b);
void fg_authz_json_str(fg_buf *b, const char *key, const char *val);
void fg_authz_json_int(fg_buf *b, const char *key, int64_t val);
void fg_authz_json_end(fg_buf *b);

#endif
