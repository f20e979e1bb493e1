/*
 * authn.c — users and authentication (see authz.h, fg_authn_): Argon2id
 * password hashes, the user's Ed25519 key pair sealed under a key derived
 * from the password (crypto_pwhash on a per-user salt, then secretbox), so
 * only the right password yields a signer; lockout after consecutive failed
 * logins (counted from the journal, where each refusal is an entry) and
 * password expiry. Passwords and keys are wiped after use and never written
 * to a message, a log or the journal.
 *
 * Design (docs/security.md, "Keys and passwords"):
 *   - An initial password (init's roster, a reviewed user_create) is stored
 *     as an Argon2id hash only, with no key sealed under it: it cannot sign
 *     anything. It does one thing: set the user's own password.
 *   - Every password setting makes a NEW key pair, seals it under the new
 *     password, registers its public key in user_keys (valid from the
 *     entry that sets it) and replaces the credential row, destroying the
 *     old seal; the row keeps a digest chain of the rows it replaced. So
 *     whoever knew an old password holds no key the platform still trusts.
 *   - A login is judged inside one write transaction: the failure count is
 *     read, the password checked and a refusal recorded before the next
 *     attempt can look, so parallel guesses are counted one by one and a
 *     locked account refuses even the right password. An unknown user name
 *     costs the same Argon2id work and gets the same message.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "fields/fields.h"

#define FG_AUTHN_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define FG_AUTHN_MEMLIMIT_BYTES crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES <= FG_STORE_PWHASH_MAX, "hash fits the store");
_Static_assert(crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES == FG_STORE_SK_BOX_BYTES,
               "sealed key size");

/* Passwords nobody may choose (compared lower-cased): common ones of public
 * breach lists that reach the minimum length, and the product's own words. */
static const char *const fg_authn_common[] = {
    "1234567890", "12345678910", "123456789a", "1q2w3e4r5t", "1qaz2wsx3edc", "a123456789",
    "aa12345678", "abc1234567", "abcd123456", "admin12345", "administrator", "iloveyou12",
    "password12", "password123", "password1234", "passw0rd123", "qwerty1234", "qwertyuiop",
    "qwerty123456", "woaini1314", "woaini5201314", "zxcvbnm123", "1234qwer!@#$", "p@ssw0rd123",
    "welcome123", "fundguard123", "fundguard2026", "changeme123", "letmein1234", "0123456789",
    "9876543210", "1111111111", "0000000000", "88888888888", "66666666666", "asdfghjkl1",
    "123123123123", "aaaaaaaaaa", "abcdefghij", "1234512345",
};

void fg_authn_signer_wipe(fg_signer *signer) {
  if (signer != NULL) sodium_memzero(signer, sizeof *signer);
}

/* Characters of a UTF-8 string (continuation bytes not counted). */
static size_t fg_authn_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

int fg_authn_password_policy(const char *password, fg_err *err) {
  FG_ASSERT(password != NULL);
  const size_t bytes = strlen(password), chars = fg_authn_chars(password);
  if (chars < FG_AUTHN_PASSWORD_MIN)
    return fg_errf(err, FG_EINPUT, "密码太短：至少 %d 个字符", FG_AUTHN_PASSWORD_MIN);
  if (bytes > FG_AUTHN_PASSWORD_MAX)
    return fg_errf(err, FG_ELIMIT, "密码太长：至多 %d 个字节", FG_AUTHN_PASSWORD_MAX);
  char low[FG_AUTHN_PASSWORD_MAX + 1];
  for (size_t i = 0; i <= bytes; i++)
    low[i] = (char)(password[i] >= 'A' && password[i] <= 'Z' ? password[i] + 32 : password[i]);
  bool common = false, same = true;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_authn_common); i++)
    common |= strcmp(low, fg_authn_common[i]) == 0;
  for (size_t i = 1; i < bytes; i++) same &= password[i] == password[0];
  sodium_memzero(low, sizeof low);
  if (common || same)
    return fg_errf(err, FG_EINPUT, "密码过于常见或简单（在常见密码表中），请另选一个");
  return 0;
}

void fg_authn_initial_password(char out[FG_AUTHN_INITIAL_MAX]) {
  /* 4 groups of 4 letters of a 32-letter alphabet without 0/O/1/I/l: 80 bits */
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789A";
  _Static_assert(sizeof alphabet - 1 == 32, "32 letters");
  size_t k = 0;
  for (int g = 0; g < 4; g++) {
    if (g) out[k++] = '-';
    for (int i = 0; i < 4; i++) out[k++] = alphabet[randombytes_uniform(32)];
  }
  out[k] = '\0';
  FG_ASSERT(k < FG_AUTHN_INITIAL_MAX);
}

int fg_authn_hash(const char *password, char out[FG_STORE_PWHASH_MAX], fg_err *err) {
  FG_ASSERT(password != NULL && out != NULL);
  if (crypto_pwhash_str_alg(out, password, strlen(password), FG_AUTHN_OPSLIMIT,
                            FG_AUTHN_MEMLIMIT_BYTES, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fg_errf(err, FG_ENOMEM, "密码哈希失败（内存不足）");
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
                         fg_store_cred *c, fg_err *err) {
  memset(c, 0, sizeof *c);
  c->opslimit = (int64_t)FG_AUTHN_OPSLIMIT;
  c->memlimit_bytes = (int64_t)FG_AUTHN_MEMLIMIT_BYTES;
  c->password_set_s = now_s;
  int rc = fg_authn_hash(password, c->password_hash, err);
  if (rc) return rc;
  randombytes_buf(c->key_salt, sizeof c->key_salt);
  randombytes_buf(c->key_nonce, sizeof c->key_nonce);
  uint8_t key[32];
  rc = fg_authn_derive(password, c, key, err);
  if (rc == 0) crypto_secretbox_easy(c->sk_box, sk, 64, c->key_nonce, key);
  sodium_memzero(key, sizeof key);
  return rc;
}

/* The journal payload of a user's creation (no secrets). */
static char *fg_authn_create_payload(const fg_store_user *u, const char *roles,
                                     int64_t proposal_id) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "agency", u->agency);
  fg_authz_json_str(&b, "display_name", u->display_name);
  fg_authz_json_str(&b, "password", "initial");
  fg_authz_json_int(&b, "proposal", proposal_id);
  fg_authz_json_str(&b, "roles", roles);
  fg_authz_json_str(&b, "user", u->name);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

/* Store the user, its initial credential and its roles (entry jseq). */
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

static int fg_authn_create_check(const fg_config *cfg, const char *user, const char *display_name,
                                 const char *roles, const char *initial_hash, char *norm,
                                 size_t norm_size, fg_err *err) {
  if (!fg_authn_name_ok(user))
    return fg_errf(err, FG_EINPUT,
                   "用户名 \"%.80s\" 无效: 1-%d 个小写字母、数字或 . _ -（platform 为保留名）", user,
                   FG_AUTHN_NAME_MAX);
  if (strlen(display_name) >= FG_STORE_DISPLAY_MAX)
    return fg_errf(err, FG_ELIMIT, "用户 %s 的姓名过长", user);
  if (strncmp(initial_hash, "$argon2id$", 10) != 0 || strlen(initial_hash) >= FG_STORE_PWHASH_MAX)
    return fg_errf(err, FG_EINPUT, "用户 %s 的初始密码哈希无效", user);
  int rc = fg_authz_roles_normalize(roles, norm, norm_size, err);
  return rc ? rc : fg_authz_roles_valid(cfg, norm, err);
}

/* A user's agency (cases.md, data standard v1.3): "" (the supervision
 * office) or an agency_id; checked against agencies.csv once a batch has
 * brought it (a roster may name agencies a later batch brings). */
int fg_authn_agency_check(fg_store *s, const char *user, const char *agency, fg_err *err) {
  FG_ASSERT(s != NULL && user != NULL && agency != NULL);
  if (agency[0] == '\0') return 0;
  if (!fg_agency_id_ok(agency, strlen(agency)))
    return fg_errf(err, FG_EINPUT, "用户 %s 的经办机构编码无效，应为 1-20 位 ASCII 字母或数字 (%.40s)",
                   user, agency);
  if (fg_store_table_present(s, FG_T_AGENCIES) && fg_store_count_key(s, FG_T_AGENCIES, agency) == 0)
    return fg_errf(err, FG_EINPUT, "用户 %s 的经办机构 %s 不在已导入的 agencies 中", user, agency);
  return 0;
}

int fg_authn_user_create(fg_store *s, const fg_config *cfg, const fg_signer *by,
                         const char *user, const char *display_name, const char *roles,
                         const char *agency, const char *initial_hash, int64_t proposal_id,
                         int64_t now_s, fg_err *err) {
  FG_ASSERT(s && cfg && by && user && display_name && roles && agency && initial_hash &&
            proposal_id >= 0);
  char norm[FG_STORE_ROLES_MAX];
  int rc = fg_authn_create_check(cfg, user, display_name, roles, initial_hash, norm, sizeof norm,
                                 err);
  if (rc == 0) rc = fg_authn_agency_check(s, user, agency, err);
  if (rc) return rc;
  fg_store_user u = {0}; /* public_key stays zero: keys live in user_keys */
  snprintf(u.name, sizeof u.name, "%s", user);
  snprintf(u.display_name, sizeof u.display_name, "%s", display_name);
  snprintf(u.agency, sizeof u.agency, "%s", agency);
  u.created_s = now_s;
  fg_store_cred c = {0}; /* no key sealed under an initial password */
  snprintf(c.password_hash, sizeof c.password_hash, "%s", initial_hash);
  c.password_set_s = now_s;
  c.must_change = true;
  char *payload = fg_authn_create_payload(&u, norm, proposal_id);
  int64_t seq = -1, got = -1;
  if ((rc = fg_store_begin(s, err)) == 0) {
    rc = fg_journal_next_seq(s, &seq, err); /* rows carry the entry's seq */
    if (rc == 0) rc = fg_authn_store_user(s, &u, &c, norm, proposal_id, seq, err);
    const fg_journal_cover cred = {"user_credentials", "user", u.name, NULL, 0};
    if (rc == 0)
      rc = fg_journal_append_covered(s, by, "user.create", payload, strlen(payload), &cred, 1, &got,
                                     err);
    FG_ASSERT(rc != 0 || got == seq);
    if (rc == 0) rc = fg_store_commit(s, err);
    if (rc) fg_store_rollback(s);
  }
  free(payload);
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

/* Journal a refused login (platform-signed) and return FG_EPERM with msg;
 * inside the login's transaction, which the caller commits. */
static int fg_authn_refuse(fg_store *s, const fg_signer *platform, const char *user,
                           const char *reason, const char *msg, fg_err *err) {
  char *payload = fg_authn_refusal(user, reason);
  int rc = fg_authz_refuse(s, platform, "authn.refused", payload, err, FG_EPERM, "%s", msg);
  free(payload);
  return rc;
}

/* The same Argon2id work for an unknown user as for a known one: a hash
 * of a random password made once per process with the same limits. */
static void fg_authn_dummy_verify(const char *password) {
  static char dummy[crypto_pwhash_STRBYTES];
  if (dummy[0] == '\0') {
    char pw[32];
    randombytes_buf(pw, sizeof pw - 1);
    for (size_t i = 0; i + 1 < sizeof pw; i++) pw[i] = (char)('a' + (uint8_t)pw[i] % 26);
    pw[sizeof pw - 1] = '\0';
    if (fg_authn_hash(pw, dummy, NULL) != 0) return;
  }
  if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0) return; /* never */
}

/* Judge user's password inside the open write transaction: locked (even
 * with the right password), unknown, wrong — each a journaled refusal with
 * one message for unknown and wrong. On success *u and *c are the user and
 * the credential. */
static int fg_authn_judge(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                          const char *user, const char *password, fg_store_user *u,
                          fg_store_cred *c, fg_err *err) {
  bool found = false, have_cred = false;
  int rc = fg_store_user_get(s, user, u, &found, err);
  if (rc == 0 && found) rc = fg_store_cred_get(s, user, c, &have_cred, err);
  int64_t failures = 0;
  if (rc == 0) rc = fg_store_authn_failures(s, user, &failures, err);
  if (rc) return rc;
  char msg[256];
  if (failures >= cfg->lockout_failures) {
    snprintf(msg, sizeof msg,
             "登录失败: 账户 %s 因连续 %lld 次登录失败已锁定，须经两人复核解锁"
             "（fundguard user unlock %s）",
             user, (long long)failures, user);
    return fg_authn_refuse(s, platform, user, "locked", msg, err);
  }
  bool ok = false;
  if (found && have_cred)
    ok = crypto_pwhash_str_verify(c->password_hash, password, strlen(password)) == 0;
  else
    fg_authn_dummy_verify(password);
  if (ok) return 0;
  snprintf(msg, sizeof msg, "登录失败: 用户名或密码错误（连续第 %lld 次，共 %d 次将锁定账户）",
           (long long)failures + 1, (int)cfg->lockout_failures);
  return fg_authn_refuse(s, platform, user, found && have_cred ? "password" : "unknown_user", msg,
                         err);
}

static bool fg_authn_expired(const fg_config *cfg, const fg_store_cred *c, int64_t now_s) {
  return now_s - c->password_set_s > (int64_t)cfg->password_max_age_days * FG_AUTHN_DAY_S;
}

/* Unlock the user's current key into out; it must be the key registered
 * for the user now (user_keys). */
static int fg_authn_unlock(fg_store *s, const fg_signer *platform, const fg_store_user *u,
                           const fg_store_cred *c, const char *password, fg_signer *out,
                           fg_err *err) {
  memset(out, 0, sizeof *out);
  snprintf(out->actor, sizeof out->actor, "%s", u->name);
  uint8_t key[32];
  bool ok = fg_authn_derive(password, c, key, err) == 0 &&
            crypto_secretbox_open_easy(out->sk, c->sk_box, sizeof c->sk_box, c->key_nonce, key) == 0;
  sodium_memzero(key, sizeof key);
  if (ok) crypto_sign_ed25519_sk_to_pk(out->pk, out->sk);
  if (!ok || fg_authz_check_signer(s, out, NULL, err) != 0) {
    fg_authn_signer_wipe(out);
    return fg_authn_refuse(s, platform, u->name, "key",
                           "登录失败: 无法解开用户的数字证书私钥，或它不是登记的公钥（凭据损坏）",
                           err);
  }
  return 0;
}

/* The login's transaction: judge, then refuse an initial password or an
 * expired one, unlock the key and reset the failure count. */
static int fg_authn_login_tx(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                             const char *user, const char *password, int64_t now_s,
                             unsigned flags, fg_signer *out, fg_err *err) {
  fg_store_user u;
  fg_store_cred c;
  int rc = fg_authn_judge(s, cfg, platform, user, password, &u, &c, err);
  if (rc) return rc;
  char msg[256];
  if (c.must_change) {
    snprintf(msg, sizeof msg,
             "登录失败: 用户 %s 仍在使用初始密码。初始密码只能用于设置本人密码："
             "fundguard user passwd（脚本中用 FUNDGUARD_NEW_PASSWORD 给出新密码）",
             u.name);
    rc = fg_authn_refuse(s, platform, u.name, "initial_password", msg, err);
  } else if (!(flags & FG_AUTHN_ALLOW_EXPIRED) && fg_authn_expired(cfg, &c, now_s)) {
    snprintf(msg, sizeof msg, "登录失败: 用户 %s 的密码已超过 %d 天未更换而过期，请用 "
             "fundguard user passwd 更换", u.name, (int)cfg->password_max_age_days);
    rc = fg_authn_refuse(s, platform, u.name, "expired", msg, err);
  } else {
    rc = fg_authn_unlock(s, platform, &u, &c, password, out, err);
  }
  int64_t failures = 0;
  if (rc == 0) rc = fg_store_authn_failures(s, user, &failures, err);
  if (rc == 0 && failures > 0) { /* the user's own signed entry resets the count */
    char *payload = fg_authn_refusal(user, "ok");
    rc = fg_authz_journal_alone(s, out, "authn.ok", payload, err);
    free(payload);
  }
  sodium_memzero(&c, sizeof c);
  if (rc) fg_authn_signer_wipe(out);
  return rc;
}

/* Commit a login-like transaction whose result is rc: a refusal (FG_EPERM)
 * was journaled inside it and is kept; anything else rolls back. */
static int fg_authn_finish(fg_store *s, int rc, fg_err *err) {
  if (rc == 0 || rc == FG_EPERM) {
    fg_err cerr = {0};
    const int crc = fg_store_commit(s, &cerr);
    if (crc != 0) {
      fg_store_rollback(s);
      if (err) *err = cerr;
      return crc;
    }
    return rc;
  }
  fg_store_rollback(s);
  return rc;
}

int fg_authn_login(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                   const char *user, const char *password, int64_t now_s, unsigned flags,
                   fg_signer *out, fg_err *err) {
  FG_ASSERT(s && cfg && platform && user && password && out);
  FG_ASSERT(cfg->lockout_failures > 0 && cfg->password_max_age_days > 0);
  int rc = fg_store_begin(s, err); /* BEGIN IMMEDIATE: one judge at a time */
  if (rc) return rc;
  rc = fg_authn_login_tx(s, cfg, platform, user, password, now_s, flags, out, err);
  rc = fg_authn_finish(s, rc, err);
  if (rc) fg_authn_signer_wipe(out);
  return rc;
}

int fg_authn_is_initial(fg_store *s, const char *user, bool *initial, fg_err *err) {
  fg_store_cred c;
  bool found = false;
  *initial = false;
  int rc = fg_store_cred_get(s, user, &c, &found, err);
  if (rc == 0 && found) *initial = c.must_change;
  sodium_memzero(&c, sizeof c);
  return rc;
}

/* Digest chain of replaced credentials: SHA-256 over the previous chain
 * and the replaced row (its hash, salt, nonce, sealed key, date). */
static void fg_authn_chain(const fg_store_cred *old, char out[65]) {
  crypto_hash_sha256_state st;
  uint8_t d[32];
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, (const uint8_t *)old->chain_sha256_hex,
                            strlen(old->chain_sha256_hex));
  crypto_hash_sha256_update(&st, (const uint8_t *)old->password_hash, strlen(old->password_hash));
  crypto_hash_sha256_update(&st, old->key_salt, sizeof old->key_salt);
  crypto_hash_sha256_update(&st, old->key_nonce, sizeof old->key_nonce);
  crypto_hash_sha256_update(&st, old->sk_box, sizeof old->sk_box);
  char when[32];
  snprintf(when, sizeof when, "%lld", (long long)old->password_set_s);
  crypto_hash_sha256_update(&st, (const uint8_t *)when, strlen(when));
  crypto_hash_sha256_final(&st, d);
  fg_hex(d, 32, out);
}

/* After the judge accepted the current password: a new key pair sealed
 * under the new password replaces the credential; its public key is
 * registered from this entry on; the entry is signed by the new key. */
static int fg_authn_rotate(fg_store *s, const fg_store_cred *old, const char *user,
                           const char *new_password, int64_t now_s, fg_err *err) {
  fg_signer me = {0};
  snprintf(me.actor, sizeof me.actor, "%s", user);
  crypto_sign_keypair(me.pk, me.sk);
  fg_store_cred c;
  int rc = fg_authn_seal(new_password, me.sk, now_s, &c, err);
  if (rc == 0) fg_authn_chain(old, c.chain_sha256_hex);
  fg_buf b = FG_BUF_INIT;
  char pk[65];
  fg_hex(me.pk, 32, pk);
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "first", old->must_change ? "yes" : "no");
  fg_authz_json_str(&b, "public_key", pk);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  int64_t seq = -1, got = -1;
  if (rc == 0) rc = fg_journal_next_seq(s, &seq, err);
  if (rc == 0) rc = fg_store_cred_replace(s, user, &c, seq, err);
  if (rc == 0) rc = fg_store_user_key_add(s, user, me.pk, seq, seq, err);
  const fg_journal_cover cred = {"user_credentials", "user", user, NULL, 0};
  if (rc == 0)
    rc = fg_journal_append_covered(s, &me, "user.passwd", b.buf, b.len, &cred, 1, &got, err);
  FG_ASSERT(rc != 0 || got == seq);
  fg_buf_release(&b);
  sodium_memzero(&c, sizeof c);
  fg_authn_signer_wipe(&me);
  return rc;
}

static int fg_authn_set_tx(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                           const char *user, const char *current, const char *new_password,
                           int64_t now_s, fg_err *err) {
  fg_store_user u;
  fg_store_cred c;
  int rc = fg_authn_judge(s, cfg, platform, user, current, &u, &c, err);
  if (rc) return rc;
  if (strcmp(current, new_password) == 0)
    rc = fg_errf(err, FG_EINPUT, "新密码不能与当前密码相同");
  else if (rc == 0)
    rc = fg_authn_rotate(s, &c, user, new_password, now_s, err);
  sodium_memzero(&c, sizeof c);
  FG_ASSERT(rc != FG_EPERM); /* only the judge's refusals are kept (committed) */
  return rc;
}

int fg_authn_set_password(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                          const char *user, const char *current, const char *new_password,
                          int64_t now_s, fg_err *err) {
  FG_ASSERT(s && cfg && platform && user && current && new_password);
  int rc = fg_authn_password_policy(new_password, err);
  if (rc == 0) rc = fg_store_begin(s, err);
  if (rc) return rc;
  rc = fg_authn_set_tx(s, cfg, platform, user, current, new_password, now_s, err);
  return fg_authn_finish(s, rc, err);
}
