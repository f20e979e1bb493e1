/*
 * test_authz.c — identity and authorization (src/authz): Argon2id password
 * check, wrong passwords counted and journaled, lockout after N, expiry, the
 * personal key unlocked only by the right password, signing as another user
 * refused, exclusive role pairs refused at creation, the permission matrix
 * of cli.md, the append-only tables refusing UPDATE and DELETE, and the one
 * lookup of the platform key file (--key, FUNDGUARD_KEY, PATH.key).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "authz_fixture.h"
#include "import/import.h"

static void test_password_and_key(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "alice", "handler");
  fg_signer a;
  fg_err err = {0};
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "alice", "pw-alice-1234", FX_T0, 0,
                                  &a, &err),
                   0);
  uint8_t pk[32];
  bool found = false;
  assert_int_equal(fg_store_user_key_at(f->s, "alice", INT64_MAX, pk, &found, &err), 0);
  assert_true(found);
  assert_memory_equal(a.pk, pk, 32);
  uint8_t sig[64];
  const uint8_t msg[] = "entry";
  crypto_sign_detached(sig, NULL, msg, sizeof msg, a.sk);
  assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, pk), 0);
  /* the stored credential holds no clear secret: the hash is Argon2id */
  fg_store_cred c;
  assert_int_equal(fg_store_cred_get(f->s, "alice", &c, &found, &err), 0);
  assert_true(strncmp(c.password_hash, "$argon2id$", 10) == 0);
  assert_null(memmem(c.sk_box, sizeof c.sk_box, a.sk, 32));
  /* a wrong password gives no signer, is journaled, does not echo the password */
  fg_signer b;
  memset(&b, 0x5a, sizeof b);
  long long before = fx_journal_actions(f, "authn.refused");
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "alice", "guess-word-9", FX_T0, 0,
                                  &b, &err),
                   FG_EPERM);
  assert_null(strstr(err.msg, "guess-word-9"));
  assert_non_null(strstr(err.msg, "密码错误"));
  assert_int_equal(fx_journal_actions(f, "authn.refused"), before + 1);
  int64_t n = 0;
  assert_int_equal(fg_authn_failures(f->s, "alice", &n, &err), 0);
  assert_int_equal(n, 1);
  /* an unknown user gets the very same message (and the same Argon2id work) */
  char known[FG_ERR_MSG_MAX];
  snprintf(known, sizeof known, "%s", err.msg);
  fx_user(f, "bob", "auditor");
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "guess-word-9", FX_T0, 0,
                                  &b, &err),
                   FG_EPERM);
  snprintf(known, sizeof known, "%s", err.msg);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "mallory", "whatever-1", FX_T0, 0,
                                  &b, &err),
                   FG_EPERM);
  assert_string_equal(err.msg, known);
  fg_authn_signer_wipe(&a);
  fx_free(f);
}

/* Issue 12.5: an initial password does one thing only, setting the
 * user's own password; it unlocks no key and signs nothing. */
static void test_initial_password_only_sets(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user_initial(f, "ivy", "supervisor");
  fg_signer v;
  fg_err err = {0};
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "ivy", "init-ivy-4567", FX_T0, 0,
                                  &v, &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "初始密码"));
  bool initial = false;
  assert_int_equal(fg_authn_is_initial(f->s, "ivy", &initial, &err), 0);
  assert_true(initial);
  uint8_t pk[32];
  bool found = true;
  assert_int_equal(fg_store_user_key_at(f->s, "ivy", INT64_MAX, pk, &found, &err), 0);
  assert_false(found); /* no key exists for an initial password */
  /* the policy: length, common list, one repeated character, not the same */
  const char *bad[] = {"short-pw", "password123", "Password123", "aaaaaaaaaaaa", "init-ivy-4567"};
  for (size_t i = 0; i < FG_ARRAY_LEN(bad); i++)
    assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "ivy", "init-ivy-4567",
                                           bad[i], FX_T0, &err),
                     FG_EINPUT);
  /* a wrong initial password is a failed login, not a password change */
  assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "ivy", "init-ivy-0000",
                                         "ivy-own-pass-1", FX_T0, &err),
                   FG_EPERM);
  long long first = fx_journal_actions(f, "user.passwd");
  assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "ivy", "init-ivy-4567",
                                         "ivy-own-pass-1", FX_T0, &err),
                   0);
  assert_int_equal(fx_journal_actions(f, "user.passwd"), first + 1); /* journaled */
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "ivy", "ivy-own-pass-1", FX_T0, 0,
                                  &v, &err),
                   0);
  fg_authn_signer_wipe(&v);
  /* the initial password is gone for good */
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "ivy", "init-ivy-4567", FX_T0, 0,
                                  &v, &err),
                   FG_EPERM);
  /* generated initial passwords are distinct and long enough */
  char p1[FG_AUTHN_INITIAL_MAX], p2[FG_AUTHN_INITIAL_MAX];
  fg_authn_initial_password(p1);
  fg_authn_initial_password(p2);
  assert_string_not_equal(p1, p2);
  assert_int_equal(strlen(p1), 19);
  assert_int_equal(fg_authn_password_policy(p1, &err), 0);
  fx_free(f);
}

static void test_lockout(void **state) {
  (void)state;
  fx *f = fx_new();
  f->cfg->lockout_failures = 3;
  fx_user(f, "bob", "auditor");
  fg_signer b;
  fg_err err = {0};
  /* two failures, then success: the success resets the count */
  for (int i = 0; i < 2; i++)
    assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "wrong-pass", FX_T0, 0, &b,
                                    &err),
                     FG_EPERM);
  fx_login(f, "bob", FX_T0, &b);
  int64_t n = -1;
  assert_int_equal(fg_authn_failures(f->s, "bob", &n, &err), 0);
  assert_int_equal(n, 0);
  /* three consecutive failures lock the account, even for the right password */
  for (int i = 0; i < 3; i++)
    assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "wrong-pass", FX_T0, 0, &b,
                                    &err),
                     FG_EPERM);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "pw-bob-1234", FX_T0, 0, &b,
                                  &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "锁定"));
  /* and no password change either */
  assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "bob", "pw-bob-1234",
                                         "bob-new-pass-2", FX_T0, &err),
                   FG_EPERM);
  fx_free(f);
}

/* Issue 12.6: guesses made at the same moment are judged one by one: with
 * a limit of 3, ten parallel wrong guesses give exactly three "password"
 * refusals and seven "locked" ones (the old code judged them all against
 * the same count). */
static void test_lockout_parallel(void **state) {
  (void)state;
  fx *f = fx_new();
  f->cfg->lockout_failures = 3;
  fx_user(f, "par", "auditor");
  enum { GUESSES = 10 };
  pid_t kids[GUESSES];
  for (int i = 0; i < GUESSES; i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0) {
      fg_store *s = NULL;
      fg_err e = {0};
      fg_signer out;
      if (fg_store_open(f->db, false, &s, &e) != 0) _exit(3);
      int rc = fg_authn_login(s, f->cfg, &f->platform, "par", "wrong-guess-1", FX_T0, 0, &out, &e);
      fg_store_close(s);
      _exit(rc == FG_EPERM ? 0 : 4);
    }
  }
  for (int i = 0; i < GUESSES; i++) {
    int st = 0;
    assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT json_extract(CAST(payload AS TEXT), '$.reason'),"
                                      " count(*) FROM journal WHERE action = 'authn.refused'"
                                      " GROUP BY 1 ORDER BY 1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  int locked = -1, password = -1;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (strcmp(r, "locked") == 0) locked = sqlite3_column_int(st, 1);
    if (strcmp(r, "password") == 0) password = sqlite3_column_int(st, 1);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  assert_int_equal(password, 3);
  assert_int_equal(locked, GUESSES - 3);
  fx_free(f);
}

/* Issue 12.4: each password setting makes a new key pair and destroys the
 * old seal; the old public key no longer signs, the credential row is the
 * only one of its user and chains the digest of the rows it replaced. */
static void test_expiry_and_passwd(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "carol", "supervisor");
  fg_signer c;
  fg_err err = {0};
  const int64_t late = FX_T0 + (int64_t)(f->cfg->password_max_age_days + 1) * FX_DAY;
  fx_login(f, "carol", FX_T0 + (int64_t)f->cfg->password_max_age_days * FX_DAY - 60, &c);
  uint8_t pk_before[32];
  memcpy(pk_before, c.pk, 32);
  fg_signer old = c;
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "pw-carol-1234", late, 0,
                                  &c, &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "过期"));
  /* an expired password may still set a new one */
  assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "carol", "pw-carol-1234",
                                         "pw-carol-1234", late, &err),
                   FG_EINPUT); /* not the same one again */
  assert_int_equal(fg_authn_set_password(f->s, f->cfg, &f->platform, "carol", "pw-carol-1234",
                                         "a-new-long-pass", late, &err),
                   0);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "pw-carol-1234", late, 0,
                                  &c, &err),
                   FG_EPERM);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "a-new-long-pass", late,
                                  0, &c, &err),
                   0);
  assert_memory_not_equal(c.pk, pk_before, 32); /* a new key pair */
  fg_authn_signer_wipe(&c);
  /* the old key, unsealed before the change, is no longer the user's */
  assert_int_equal(fg_authz_check_signer(f->s, &old, NULL, &err), FG_EPERM);
  fg_authn_signer_wipe(&old);
  fg_store_cred cr;
  bool found = false;
  assert_int_equal(fg_store_cred_get(f->s, "carol", &cr, &found, &err), 0);
  assert_int_equal(strlen(cr.chain_sha256_hex), 64);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT (SELECT count(*) FROM user_credentials WHERE"
                                      " user = 'carol'), (SELECT count(*) FROM user_keys WHERE"
                                      " user = 'carol')",
                                      -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 1); /* old seals destroyed */
  assert_int_equal(sqlite3_column_int(st, 1), 2); /* both public keys kept */
  sqlite3_finalize(st);
  sqlite3_close(db);
  fx_free(f);
}

static void test_signing_as_another(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "alice", "sysadmin");
  fx_user(f, "bob", "sysadmin");
  fg_signer b, forged, al;
  fx_login(f, "bob", FX_T0, &b);
  fx_login(f, "alice", FX_T0, &al);
  fg_err err = {0};
  /* bob's key under alice's name */
  forged = b;
  snprintf(forged.actor, sizeof forged.actor, "alice");
  assert_int_equal(fg_authz_check_signer(f->s, &forged, NULL, &err), FG_EPERM);
  assert_non_null(strstr(err.msg, "他人数字证书"));
  /* alice's public key with bob's secret key */
  memcpy(forged.pk, al.pk, 32);
  memcpy(forged.sk + 32, al.pk, 32);
  fg_authn_signer_wipe(&al);
  assert_int_equal(fg_authz_check_signer(f->s, &forged, NULL, &err), FG_EPERM);
  fx_counts before, after;
  fx_count(f, &before);
  int64_t id = 0;
  char *payload = fg_review_payload_role("bob", "auditor");
  assert_int_equal(fg_review_propose(f->s, f->cfg, &forged, FG_REVIEW_ROLE_GRANT, payload,
                                     FX_T0, &id, &err),
                   FG_EPERM);
  fx_count(f, &after);
  fx_only_journal(&before, &after, 0); /* nothing signed in alice's name */
  /* bob's password does not open alice's account */
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "alice", "pw-bob-1234", FX_T0, 0,
                                  &forged, &err),
                   FG_EPERM);
  free(payload);
  fg_authn_signer_wipe(&b);
  fx_free(f);
}

static void test_exclusive_roles_at_creation(void **state) {
  (void)state;
  fx *f = fx_new();
  fg_err err = {0};
  fx_counts before, after;
  fx_count(f, &before);
  char h[FG_STORE_PWHASH_MAX];
  assert_int_equal(fg_authn_hash("init-dave-4567", h, &err), 0);
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave", "auditor", "",
                                        "plain-text-password", 0, FX_T0, &err),
                   FG_EINPUT); /* only a hash is ever stored */
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave",
                                        "handler; Reviewer", "", h, 0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "互斥"));
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave",
                                        "supervisor;handler", "", h, 0, FX_T0, &err),
                   FG_EINPUT);
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave", "root", "", h,
                                        0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "未知角色"));
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "Dave!", "Dave", "auditor", "", h,
                                        0, FX_T0, &err),
                   FG_EINPUT);
  fx_count(f, &after);
  fx_only_journal(&before, &after, 0);
  fx_free(f);
}

/* cases.md: a user's agency is "" (the supervision office) or an agency_id,
 * checked against agencies.csv once a batch has brought it. */
static void test_user_agency(void **state) {
  (void)state;
  fx *f = fx_new();
  fg_err err = {0};
  char h[FG_STORE_PWHASH_MAX];
  assert_int_equal(fg_authn_hash("init-erin-4567", h, &err), 0);
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "erin", "Erin", "handler",
                                        "A-1", h, 0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "经办机构编码无效"));
  /* no agencies imported yet: any well-formed code is taken */
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "erin", "Erin", "handler",
                                        "A410102", h, 0, FX_T0, &err),
                   0);
  fg_store_user u;
  bool found = false;
  assert_int_equal(fg_store_user_get(f->s, "erin", &u, &found, &err), 0);
  assert_true(found);
  assert_string_equal(u.agency, "A410102");
  /* once agencies.csv is in, an unknown agency is refused */
  char dir[4200];
  snprintf(dir, sizeof dir, "%s/agencies", f->dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  fg_test_write(dir, "agencies.csv",
                "agency_id,name,region,level\nA410100,郑州市社会保险事业管理中心,410100,city\n",
                (size_t)-1);
  fg_import_opts o = {.actor = "tester"};
  fg_import_result r;
  assert_int_equal(fg_import_dir(f->s, dir, &o, &r, &err), 0);
  fg_import_result_release(&r);
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "fred", "Fred", "handler",
                                        "A410102", h, 0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "不在已导入的 agencies 中"));
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "fred", "Fred", "handler",
                                        "A410100", h, 0, FX_T0, &err),
                   0);
  fx_free(f);
}

typedef struct {
  const char *role, *perm;
  bool allowed;
} fx_perm_case;

/* cli.md's defaults, stated here independently of the code's table. */
static const fx_perm_case fx_matrix[] = {
    {"handler", FG_PERM_DATA_IMPORT, true},        {"handler", FG_PERM_FINDINGS_SCREEN, false},
    {"handler", FG_PERM_FINDINGS_READ, false},     {"handler", FG_PERM_USER_MANAGE, false},
    {"supervisor", FG_PERM_FINDINGS_SCREEN, true}, {"supervisor", FG_PERM_FINDINGS_READ, true},
    {"supervisor", FG_PERM_FINDINGS_EXPORT, true}, {"supervisor", FG_PERM_DATA_IMPORT, false},
    {"supervisor", FG_PERM_JOURNAL_CHECKPOINT, true},
    {"auditor", FG_PERM_FINDINGS_READ, true},      {"auditor", FG_PERM_JOURNAL_READ, true},
    {"auditor", FG_PERM_JOURNAL_CHECKPOINT, true}, {"auditor", FG_PERM_FINDINGS_SCREEN, false},
    {"auditor", FG_PERM_FINDINGS_EXPORT, false},
    {"security-auditor", FG_PERM_FINDINGS_READ, true},
    {"security-auditor", FG_PERM_JOURNAL_READ, true},
    {"security-auditor", FG_PERM_JOURNAL_CHECKPOINT, true},
    {"security-auditor", FG_PERM_USER_MANAGE, false},
    {"sysadmin", FG_PERM_USER_MANAGE, true},       {"sysadmin", FG_PERM_FINDINGS_READ, false},
    {"sysadmin", FG_PERM_PROPOSAL_REVIEW, false},  {"sysadmin", FG_PERM_PROPOSAL_APPROVE, false},
    {"sysadmin", FG_PERM_JOURNAL_CHECKPOINT, false},
    {"reviewer", FG_PERM_PROPOSAL_REVIEW, true},   {"reviewer", FG_PERM_PROPOSAL_APPROVE, false},
    {"approver", FG_PERM_PROPOSAL_APPROVE, true},  {"approver", FG_PERM_PROPOSAL_REVIEW, false},
    {"whistleblower-desk", FG_PERM_REPORT_INTAKE, true},
    {"whistleblower-desk", FG_PERM_FINDINGS_READ, false},
};

static void test_permission_matrix(void **state) {
  (void)state;
  fx *f = fx_new();
  fg_err err = {0};
  for (size_t i = 0; i < fg_authz_role_count(); i++) {
    char name[64];
    snprintf(name, sizeof name, "u%zu", i);
    fx_user(f, name, fg_authz_role_name(i));
  }
  for (size_t k = 0; k < FG_ARRAY_LEN(fx_matrix); k++) {
    size_t i = 0;
    while (strcmp(fg_authz_role_name(i), fx_matrix[k].role) != 0) i++;
    char name[64];
    snprintf(name, sizeof name, "u%zu", i);
    int rc = fg_authz_check(f->s, name, fx_matrix[k].perm, &err);
    if ((rc == 0) != fx_matrix[k].allowed)
      fprintf(stderr, "role %s perm %s: got %d\n", fx_matrix[k].role, fx_matrix[k].perm, rc);
    assert_int_equal(rc, fx_matrix[k].allowed ? 0 : FG_EPERM);
    if (!fx_matrix[k].allowed) assert_non_null(strstr(err.msg, "权限不足"));
  }
  assert_int_equal(fg_authz_check(f->s, "nobody", FG_PERM_DATA_IMPORT, &err), FG_EPERM);
  fx_free(f);
}

static void test_tables_append_only(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "erin", "auditor");
  fx_counts before, after;
  fx_count(f, &before);
  assert_int_not_equal(fx_sql(f, "DELETE FROM users"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "DELETE FROM role_events"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "DELETE FROM user_keys"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "UPDATE user_credentials SET must_change = 0"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "UPDATE role_events SET role = 'sysadmin'"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "UPDATE users SET public_key = zeroblob(32)"), SQLITE_OK);
  fx_count(f, &after);
  fx_only_journal(&before, &after, 0);
  fx_free(f);
}

/* The platform key file: --key, else FUNDGUARD_KEY, else PATH.key — one
 * lookup for every command (init, import, screen, findings, log, ...). */
static void test_key_path_order(void **state) {
  (void)state;
  char out[FG_AUTHN_PATH_MAX];
  fg_err err = {0};
  unsetenv(FG_AUTHN_KEY_ENV);
  assert_int_equal(fg_authn_key_path("/d/fg.db", NULL, out, sizeof out, &err), 0);
  assert_string_equal(out, "/d/fg.db.key");
  setenv(FG_AUTHN_KEY_ENV, "", 1); /* empty: not set */
  assert_int_equal(fg_authn_key_path("/d/fg.db", NULL, out, sizeof out, &err), 0);
  assert_string_equal(out, "/d/fg.db.key");
  setenv(FG_AUTHN_KEY_ENV, "/secure/platform.key", 1);
  assert_int_equal(fg_authn_key_path("/d/fg.db", NULL, out, sizeof out, &err), 0);
  assert_string_equal(out, "/secure/platform.key");
  assert_int_equal(fg_authn_key_path("/d/fg.db", "/usb/k", out, sizeof out, &err), 0);
  assert_string_equal(out, "/usb/k");
  unsetenv(FG_AUTHN_KEY_ENV);
  char small[8];
  assert_int_equal(fg_authn_key_path("/d/fg.db", NULL, small, sizeof small, &err), FG_ELIMIT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_password_and_key),
      cmocka_unit_test(test_initial_password_only_sets),
      cmocka_unit_test(test_lockout),
      cmocka_unit_test(test_lockout_parallel),
      cmocka_unit_test(test_expiry_and_passwd),
      cmocka_unit_test(test_signing_as_another),
      cmocka_unit_test(test_exclusive_roles_at_creation),
      cmocka_unit_test(test_user_agency),
      cmocka_unit_test(test_permission_matrix),
      cmocka_unit_test(test_tables_append_only),
      cmocka_unit_test(test_key_path_order),
  };
  if (sodium_init() < 0) return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
