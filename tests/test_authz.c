/*
 * test_authz.c — identity and authorization (src/authz): Argon2id password
 * check, wrong passwords counted and journaled, lockout after N, expiry, the
 * personal key unlocked only by the right password, signing as another user
 * refused, exclusive role pairs refused at creation, the permission matrix
 * of cli.md, the append-only tables refusing UPDATE and DELETE, and the one
 * lookup of the platform key file (--key, FUNDGUARD_KEY, PATH.key).
 */
#include "authz_fixture.h"

static void test_password_and_key(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "alice", "handler");
  fg_signer a;
  bool must_change = false;
  fg_err err = {0};
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "alice", "pw-alice-123", FX_T0, 0,
                                  &a, &must_change, &err),
                   0);
  assert_true(must_change); /* initial password */
  fg_store_user u;
  bool found = false;
  assert_int_equal(fg_store_user_get(f->s, "alice", &u, &found, &err), 0);
  assert_true(found);
  assert_memory_equal(a.pk, u.public_key, 32);
  uint8_t sig[64];
  const uint8_t msg[] = "entry";
  crypto_sign_detached(sig, NULL, msg, sizeof msg, a.sk);
  assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, u.public_key), 0);
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
                                  &b, NULL, &err),
                   FG_EPERM);
  assert_null(strstr(err.msg, "guess-word-9"));
  assert_non_null(strstr(err.msg, "密码错误"));
  assert_int_equal(fx_journal_actions(f, "authn.refused"), before + 1);
  int64_t n = 0;
  assert_int_equal(fg_authn_failures(f->s, "alice", &n, &err), 0);
  assert_int_equal(n, 1);
  /* an unknown user is refused the same way */
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "mallory", "whatever-1", FX_T0, 0,
                                  &b, NULL, &err),
                   FG_EPERM);
  fg_authn_signer_wipe(&a);
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
                                    NULL, &err),
                     FG_EPERM);
  fx_login(f, "bob", FX_T0, &b);
  int64_t n = -1;
  assert_int_equal(fg_authn_failures(f->s, "bob", &n, &err), 0);
  assert_int_equal(n, 0);
  /* three consecutive failures lock the account, even for the right password */
  for (int i = 0; i < 3; i++)
    assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "wrong-pass", FX_T0, 0, &b,
                                    NULL, &err),
                     FG_EPERM);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "bob", "pw-bob-123", FX_T0, 0, &b,
                                  NULL, &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "锁定"));
  fx_free(f);
}

static void test_expiry_and_passwd(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "carol", "supervisor");
  fg_signer c;
  fg_err err = {0};
  const int64_t late = FX_T0 + (int64_t)(f->cfg->password_max_age_days + 1) * FX_DAY;
  fx_login(f, "carol", FX_T0 + (int64_t)f->cfg->password_max_age_days * FX_DAY - 60, &c);
  fg_authn_signer_wipe(&c);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "pw-carol-123", late, 0,
                                  &c, NULL, &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "过期"));
  /* only passwd may log in expired; the new password works, the old does not */
  bool must = false;
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "pw-carol-123", late,
                                  FG_AUTHN_ALLOW_EXPIRED, &c, &must, &err),
                   0);
  uint8_t pk_before[32];
  memcpy(pk_before, c.pk, 32);
  assert_int_equal(fg_authn_passwd(f->s, &c, "short", late, &err), FG_EINPUT);
  assert_int_equal(fg_authn_passwd(f->s, &c, "a-new-long-pass", late, &err), 0);
  fg_authn_signer_wipe(&c);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "pw-carol-123", late, 0,
                                  &c, NULL, &err),
                   FG_EPERM);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "carol", "a-new-long-pass", late,
                                  0, &c, &must, &err),
                   0);
  assert_false(must);
  assert_memory_equal(c.pk, pk_before, 32); /* the certificate stays */
  fg_authn_signer_wipe(&c);
  fx_free(f);
}

static void test_signing_as_another(void **state) {
  (void)state;
  fx *f = fx_new();
  fx_user(f, "alice", "sysadmin");
  fx_user(f, "bob", "sysadmin");
  fg_signer b, forged;
  fx_login(f, "bob", FX_T0, &b);
  fg_err err = {0};
  /* bob's key under alice's name */
  forged = b;
  snprintf(forged.actor, sizeof forged.actor, "alice");
  assert_int_equal(fg_authz_check_signer(f->s, &forged, NULL, &err), FG_EPERM);
  assert_non_null(strstr(err.msg, "他人数字证书"));
  /* alice's public key with bob's secret key */
  fg_store_user ua;
  bool found = false;
  assert_int_equal(fg_store_user_get(f->s, "alice", &ua, &found, &err), 0);
  memcpy(forged.pk, ua.public_key, 32);
  memcpy(forged.sk + 32, ua.public_key, 32);
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
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "alice", "pw-bob-123", FX_T0, 0,
                                  &forged, NULL, &err),
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
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave",
                                        "handler; Reviewer", "pw-dave-123", 0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "互斥"));
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave",
                                        "supervisor;handler", "pw-dave-123", 0, FX_T0, &err),
                   FG_EINPUT);
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "dave", "Dave", "root",
                                        "pw-dave-123", 0, FX_T0, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "未知角色"));
  assert_int_equal(fg_authn_user_create(f->s, f->cfg, &f->platform, "Dave!", "Dave", "auditor",
                                        "pw-dave-123", 0, FX_T0, &err),
                   FG_EINPUT);
  fx_count(f, &after);
  fx_only_journal(&before, &after, 0);
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
  assert_int_not_equal(fx_sql(f, "DELETE FROM user_credentials"), SQLITE_OK);
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
      cmocka_unit_test(test_lockout),
      cmocka_unit_test(test_expiry_and_passwd),
      cmocka_unit_test(test_signing_as_another),
      cmocka_unit_test(test_exclusive_roles_at_creation),
      cmocka_unit_test(test_permission_matrix),
      cmocka_unit_test(test_tables_append_only),
      cmocka_unit_test(test_key_path_order),
  };
  if (sodium_init() < 0) return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
