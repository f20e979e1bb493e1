/*
 * authn.c — users and authentication (see authz.h, fg_authn_): Argon2id
 * password hashes, the user's Ed25519 key pair sealed under a key derived
 * from the password (crypto_pwhash on a per-user salt, then secretbox), so
 * only the right password yields a signer; lockout after consecutive wrong
 * passwords (counted from the journal, where each refusal is an entry) and
 * password expiry. Passwords and keys are wiped after use and never written
 * to a message, a log or the journal.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/authz_impl.h"

#define FG_AUTHN_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define FG_AUTHN_MEMLIMIT_BYTES crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES <= FG_STORE_PWHASH_MAX, "hash fits the store");
_Static_assert(crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES == FG_STORE_SK_BOX_BYTES,
               "sealed key size");

void fg_authn_signer_wipe(fg_signer *signer) {
  if (signer != NULL) sodium_memzero(signer, sizeof *signer);
}

static int fg_authn_password_ok(const char *password, fg_err *err) {
  assert(password != NULL);
  size_t n = strlen(password);
  if (n < FG_AUTHN_PASSWORD_MIN)
    return fg_errf(err, FG_EINPUT, "密码太短: 至少 %d 个字节", FG_AUTHN_PASSWORD_MIN);
  if (n > FG_AUTHN_PASSWORD_MAX)
    return fg_errf(err, FG_ELIMIT, "密码太长: 至多 %d 个字节", FG_AUTHN_PASSWORD_MAX);
  return 0;
}

static bool fg_authn_name_ok(const char *user) {
  size_t n = strlen(user);
  if (n == 0 || n > FG_AUTHN_NAME_MAX || strcmp(user, "platform") == 0) return false;
  for (size_t i = 0; i < n; i++) {
    char c = user[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

/* Derive the sealing key of a secret key from the password. */
static int fg_authn_derive(const char *password, const fg_store_cred *c, uint8_t key[32],
                           fg_err *err) {
  _Static_assert(crypto_secretbox_KEYBYTES == 32, "key size");
  if (crypto_pwhash(key, 32, password, strlen(password), c->key_salt,
                    (unsigned long long)c->opslimit, (size_t)c->memlimit_bytes,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fg_errf(err, FG_ENOMEM, "口令密钥派生失败（内存不足）");
  return 0;
}

/* Hash password and seal sk under it into a fresh credential c. */
static int fg_authn_seal(const char *password, const uint8_t sk[64], int64_t now_s,
                         bool must_change, fg_store_cred *c, fg_err *err) {
  memset(c, 0, sizeof *c);
  c->opslimit = (int64_t)FG_AUTHN_OPSLIMIT;
  c->memlimit_bytes = (int64_t)FG_AUTHN_MEMLIMIT_BYTES;
  c->password_set_s = now_s;
  c->must_change = must_change;
  if (crypto_pwhash_str_alg(c->password_hash, password, strlen(password), FG_AUTHN_OPSLIMIT,
                            FG_AUTHN_MEMLIMIT_BYTES, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fg_errf(err, FG_ENOMEM, "密码哈希失败（内存不足）");
  randombytes_buf(c->key_salt, sizeof c->key_salt);
  randombytes_buf(c->key_nonce, sizeof c->key_nonce);
  uint8_t key[32];
  int rc = fg_authn_derive(password, c, key, err);
  if (rc == 0) crypto_secretbox_easy(c->sk_box, sk, 64, c->key_nonce, key);
  sodium_memzero(key, sizeof key);
  return rc;
}

/* Unseal the secret key of c with password; false when it does not open. */
static bool fg_authn_unseal(const char *password, const fg_store_cred *c, uint8_t sk[64],
                            fg_err *err) {
  uint8_t key[32];
  if (fg_authn_derive(password, c, key, err) != 0) return false;
  bool ok = crypto_secretbox_open_easy(sk, c->sk_box, sizeof c->sk_box, c->key_nonce, key) == 0;
  sodium_memzero(key, sizeof key);
  return ok;
}

/* The journal payload of a user's creation (no secrets: public key only). */
static char *fg_authn_create_payload(const fg_store_user *u, const char *roles,
                                     int64_t proposal_id) {
  char pk_hex[65];
  fg_hex(u->public_key, sizeof u->public_key, pk_hex);
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "display_name", u->display_name);
  fg_authz_json_int(&b, "proposal", proposal_id);
  fg_authz_json_str(&b, "public_key", pk_hex);
  fg_authz_json_str(&b, "roles", roles);
  fg_authz_json_str(&b, "user", u->name);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

/* Store the user, its credential and its roles, covered by entry jseq. */
static int fg_authn_store_user(fg_store *s, const fg_store_user *u, const fg_store_cred *c,
                               const char *roles, int64_t proposal_id, int64_t jseq,
                               fg_err *err) {
  int rc = fg_store_user_add(s, u, jseq, err);
  if (rc == 0) rc = fg_store_cred_add(s, u->name, c, jseq, err);
  const char *p = roles;
  char role[FG_STORE_ROLES_MAX];
  while (rc == 0 && *p) {
    size_t len = strcspn(p, ";");
    snprintf(role, sizeof role, "%.*s", (int)len, p);
    char *r = role;
    while (*r == ' ') r++;
    for (size_t n = strlen(r); n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\r'); n--) r[n - 1] = 0;
    if (*r) rc = fg_store_role_event(s, u->name, r, true, proposal_id, jseq, err);
    p += len + (p[len] == ';');
  }
  return rc;
}

int fg_authn_user_create(fg_store *s, const fg_config *cfg, const fg_signer *by,
                         const char *user, const char *display_name, const char *roles,
                         const char *password, int64_t proposal_id, int64_t now_s,
                         fg_err *err) {
  assert(s && cfg && by && user && display_name && roles && password && proposal_id >= 0);
  if (!fg_authn_name_ok(user))
    return fg_errf(err, FG_EINPUT,
                   "用户名 \"%.80s\" 无效: 1-%d 个小写字母、数字或 . _ -（platform 为保留名）", user,
                   FG_AUTHN_NAME_MAX);
  if (strlen(display_name) >= FG_STORE_DISPLAY_MAX)
    return fg_errf(err, FG_ELIMIT, "用户 %s 的姓名过长", user);
  char norm[FG_STORE_ROLES_MAX];
  int rc = fg_authz_roles_normalize(roles, norm, sizeof norm, err);
  if (rc == 0) rc = fg_authz_roles_valid(cfg, norm, err);
  if (rc == 0) rc = fg_authn_password_ok(password, err);
  if (rc) return rc;
  roles = norm;
  fg_store_user u = {0};
  snprintf(u.name, sizeof u.name, "%s", user);
  snprintf(u.display_name, sizeof u.display_name, "%s", display_name);
  u.created_s = now_s;
  uint8_t sk[64];
  crypto_sign_keypair(u.public_key, sk);
  fg_store_cred c;
  rc = fg_authn_seal(password, sk, now_s, true, &c, err);
  sodium_memzero(sk, sizeof sk);
  if (rc) return rc;
  char *payload = fg_authn_create_payload(&u, roles, proposal_id);
  int64_t seq = -1;
  if ((rc = fg_store_begin(s, err)) != 0) goto out;
  int64_t got = -1; /* rows first, carrying the entry's seq; then the entry covers them */
  rc = fg_journal_next_seq(s, &seq, err);
  if (rc == 0) rc = fg_authn_store_user(s, &u, &c, roles, proposal_id, seq, err);
  if (rc == 0) rc = fg_journal_append(s, by, "user.create", payload, strlen(payload), &got, err);
  assert(rc != 0 || got == seq);
  if (rc == 0) rc = fg_store_commit(s, err);
  if (rc) fg_store_rollback(s);
out:
  free(payload);
  sodium_memzero(&c, sizeof c);
  return rc;
}

int fg_authn_failures(fg_store *s, const char *user, int64_t *n, fg_err *err) {
  return fg_store_authn_failures(s, user, n, err);
}

static char *fg_authn_refusal(const char *user, const char *reason) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "reason", reason);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

/* Journal a refused login (platform-signed) and return FG_EPERM with msg. */
static int fg_authn_refuse(fg_store *s, const fg_signer *platform, const char *user,
                           const char *reason, const char *msg, fg_err *err) {
  char *payload = fg_authn_refusal(user, reason);
  int rc = fg_authz_refuse(s, platform, "authn.refused", payload, err, FG_EPERM, "%s", msg);
  free(payload);
  return rc;
}

/* Checks before the password: the user exists and is not locked. */
static int fg_authn_precheck(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                             const char *user, fg_store_user *u, fg_store_cred *c,
                             fg_err *err) {
  bool found = false, have_cred = false;
  int rc = fg_store_user_get(s, user, u, &found, err);
  if (rc == 0 && found) rc = fg_store_cred_get(s, user, c, &have_cred, err);
  if (rc) return rc;
  if (!found || !have_cred)
    return fg_authn_refuse(s, platform, user, "unknown_user", "登录失败: 用户名或密码错误", err);
  int64_t failures = 0;
  if ((rc = fg_store_authn_failures(s, user, &failures, err)) != 0) return rc;
  if (failures >= cfg->lockout_failures) {
    char msg[256];
    snprintf(msg, sizeof msg,
             "登录失败: 账户 %s 因连续 %lld 次密码错误已锁定，须经两人复核解锁"
             "（fundguard user unlock %s）",
             user, (long long)failures, user);
    return fg_authn_refuse(s, platform, user, "locked", msg, err);
  }
  return 0;
}

/* The password is right: check expiry and unlock the key into out. */
static int fg_authn_unlock(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                           const fg_store_user *u, const fg_store_cred *c,
                           const char *password, int64_t now_s, unsigned flags,
                           fg_signer *out, fg_err *err) {
  const int64_t max_age_s = (int64_t)cfg->password_max_age_days * FG_AUTHN_DAY_S;
  if (!(flags & FG_AUTHN_ALLOW_EXPIRED) && now_s - c->password_set_s > max_age_s) {
    char msg[256];
    snprintf(msg, sizeof msg, "登录失败: 用户 %s 的密码已超过 %d 天未更换而过期，请用 "
             "fundguard user passwd 更换", u->name, (int)cfg->password_max_age_days);
    return fg_authn_refuse(s, platform, u->name, "expired", msg, err);
  }
  memset(out, 0, sizeof *out);
  snprintf(out->actor, sizeof out->actor, "%s", u->name);
  memcpy(out->pk, u->public_key, sizeof out->pk);
  if (!fg_authn_unseal(password, c, out->sk, err) ||
      fg_authz_check_signer(s, out, NULL, err) != 0) {
    fg_authn_signer_wipe(out);
    return fg_authn_refuse(s, platform, u->name, "key",
                           "登录失败: 无法解开用户的数字证书私钥（凭据损坏）", err);
  }
  return 0;
}

int fg_authn_login(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                   const char *user, const char *password, int64_t now_s, unsigned flags,
                   fg_signer *out, bool *must_change, fg_err *err) {
  assert(s && cfg && platform && user && password && out);
  assert(cfg->lockout_failures > 0 && cfg->password_max_age_days > 0);
  fg_store_user u;
  fg_store_cred c;
  int rc = fg_authn_precheck(s, cfg, platform, user, &u, &c, err);
  if (rc) return rc;
  if (crypto_pwhash_str_verify(c.password_hash, password, strlen(password)) != 0) {
    int64_t failures = 0;
    fg_store_authn_failures(s, user, &failures, NULL);
    char msg[256];
    snprintf(msg, sizeof msg, "登录失败: 用户名或密码错误（连续第 %lld 次，共 %d 次将锁定账户）",
             (long long)failures + 1, (int)cfg->lockout_failures);
    return fg_authn_refuse(s, platform, user, "password", msg, err);
  }
  if ((rc = fg_authn_unlock(s, cfg, platform, &u, &c, password, now_s, flags, out, err)) != 0)
    return rc;
  int64_t failures = 0;
  rc = fg_store_authn_failures(s, user, &failures, err);
  if (rc == 0 && failures > 0) { /* the user's own signed entry resets the count */
    char *payload = fg_authn_refusal(user, "ok");
    rc = fg_authz_journal_alone(s, out, "authn.ok", payload, err);
    free(payload);
  }
  if (rc) {
    fg_authn_signer_wipe(out);
    return rc;
  }
  if (must_change) *must_change = c.must_change;
  return 0;
}

int fg_authn_passwd(fg_store *s, const fg_signer *self, const char *new_password,
                    int64_t now_s, fg_err *err) {
  assert(s && self && new_password);
  int rc = fg_authz_check_signer(s, self, NULL, err);
  if (rc == 0) rc = fg_authn_password_ok(new_password, err);
  if (rc) return rc;
  fg_store_cred c;
  if ((rc = fg_authn_seal(new_password, self->sk, now_s, false, &c, err)) != 0) return rc;
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "user", self->actor);
  fg_authz_json_end(&b);
  int64_t seq = -1;
  if ((rc = fg_store_begin(s, err)) == 0) {
    int64_t got = -1;
    rc = fg_journal_next_seq(s, &seq, err);
    if (rc == 0) rc = fg_store_cred_add(s, self->actor, &c, seq, err);
    if (rc == 0) rc = fg_journal_append(s, self, "user.passwd", b.buf, b.len, &got, err);
    assert(rc != 0 || got == seq);
    if (rc == 0) rc = fg_store_commit(s, err);
    if (rc) fg_store_rollback(s);
  }
  fg_buf_free(&b);
  sodium_memzero(&c, sizeof c);
  return rc;
}
