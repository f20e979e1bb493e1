/*
 * authz_journal.c — how the trust core writes to the journal: canonical JSON
 * payloads (sorted keys, no whitespace, no secrets) and refusals journaled in
 * their own transaction, so that a refused act leaves exactly one journal
 * entry and nothing else (see authz_impl.h).
 */
#include <stdarg.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "journal/json.h"

int fg_authz_journal_alone(fg_store *s, const fg_signer *signer, const char *action,
                           const char *payload, fg_err *err) {
  FG_ASSERT(s != NULL && signer != NULL && action != NULL && payload != NULL);
  int rc = fg_store_begin(s, err);
  if (rc) return rc;
  int64_t seq = -1;
  rc = fg_journal_append(s, signer, action, payload, strlen(payload), &seq, err);
  if (rc == 0) rc = fg_store_commit(s, err);
  if (rc) fg_store_rollback(s);
  return rc;
}

int fg_authz_refuse(fg_store *s, const fg_signer *signer, const char *action,
                    const char *payload, fg_err *err, int code, const char *fmt, ...) {
  FG_ASSERT(code < 0 && fmt != NULL);
  fg_err jerr = {0};
  int rc = fg_authz_journal_alone(s, signer, action, payload, &jerr);
  if (rc) {
    fg_errf(err, rc, "拒绝记录写入日志失败: %s", jerr.msg);
    return rc;
  }
  va_list ap;
  va_start(ap, fmt);
  fg_verrf(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void fg_authz_json_begin(fg_buf *b) {
  FG_ASSERT(b != NULL);
  fg_buf_addc(b, '{');
}

static void fg_authz_json_key(fg_buf *b, const char *key) {
  FG_ASSERT(b->len > 0 && key != NULL);
  if (b->buf[b->len - 1] != '{') fg_buf_addc(b, ',');
  fg_journal_json_add_str(b, key, strlen(key));
  fg_buf_addc(b, ':');
}

void fg_authz_json_str(fg_buf *b, const char *key, const char *val) {
  FG_ASSERT(val != NULL);
  fg_authz_json_key(b, key);
  fg_journal_json_add_str(b, val, strlen(val));
}

void fg_authz_json_int(fg_buf *b, const char *key, int64_t val) {
  fg_authz_json_key(b, key);
  fg_buf_addf(b, "%lld", (long long)val);
}

void fg_authz_json_end(fg_buf *b) {
  FG_ASSERT(b->len > 0);
  fg_buf_addc(b, '}');
}
