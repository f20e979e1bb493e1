/*
 * test_review.c — the two-person review engine (一岗双核): self-review,
 * self-approval, the same person as reviewer and approver, self-granted
 * permission, an exclusive pair by grant and an expired proposal are each
 * refused with a clear message and leave exactly one journal entry (row
 * counts of every table before and after); an approval applies the grant;
 * an amendment's effect runs only after review and approval; proposals
 * cannot be deleted or edited.
 */
#include "authz_fixture.h"

/* Users: two sysadmins (one also reviewer, one also approver), two
 * reviewers, two approvers (one also reviewer), a handler. */
static fx *rv_setup(void) {
  fx *f = fx_new();
  fx_user(f, "adm", "sysadmin;reviewer");
  fx_user(f, "adm2", "sysadmin;approver");
  fx_user(f, "rev", "reviewer");
  fx_user(f, "rev2", "reviewer");
  fx_user(f, "apr", "approver");
  fx_user(f, "both", "reviewer;approver");
  fx_user(f, "wkr", "handler");
  return f;
}

static int64_t rv_propose_grant(fx *f, const char *by, const char *user, const char *role) {
  fg_signer s;
  fx_login(f, by, FX_T0, &s);
  char *payload = fg_review_payload_role(user, role);
  int64_t id = 0;
  fg_err err = {0};
  int rc = fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_ROLE_GRANT, payload, FX_T0, &id, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, 0);
  assert_true(id > 0);
  free(payload);
  fg_authn_signer_wipe(&s);
  return id;
}

/* Take a step as user `by`; expect rc; on refusal check the message and
 * that only one journal entry was added. */
static void rv_step(fx *f, const char *by, const char *step, int64_t id, int64_t now_s,
                    int want_rc, const char *msg_part) {
  fg_signer s;
  fx_login(f, by, FX_T0, &s);
  fx_counts before, after;
  fx_count(f, &before);
  fg_err err = {0};
  int rc;
  if (strcmp(step, "review") == 0)
    rc = fg_review_review(f->s, f->cfg, &s, id, now_s, &err);
  else if (strcmp(step, "approve") == 0)
    rc = fg_review_approve(f->s, f->cfg, &s, id, now_s, &err);
  else
    rc = fg_review_refuse(f->s, &s, id, "不同意", now_s, &err);
  if (rc != want_rc) fprintf(stderr, "%s %s #%lld: %d %s\n", by, step, (long long)id, rc, err.msg);
  assert_int_equal(rc, want_rc);
  if (want_rc != 0) {
    assert_non_null(strstr(err.msg, msg_part));
    fx_count(f, &after);
    fx_only_journal(&before, &after, 1);
  }
  fg_authn_signer_wipe(&s);
}

static void test_self_review(void **state) {
  (void)state;
  fx *f = rv_setup();
  int64_t id = rv_propose_grant(f, "adm", "wkr", "auditor");
  long long denied = fx_journal_actions(f, "proposal.denied");
  rv_step(f, "adm", "review", id, FX_T0, FG_EPERM, "不准复核本人");
  assert_int_equal(fx_journal_actions(f, "proposal.denied"), denied + 1);
  rv_step(f, "adm", "refuse", id, FX_T0, FG_EPERM, "本人");
  fx_free(f);
}

static void test_self_approval_and_same_person(void **state) {
  (void)state;
  fx *f = rv_setup();
  int64_t id = rv_propose_grant(f, "adm2", "wkr", "auditor");
  rv_step(f, "apr", "approve", id, FX_T0, FG_EINPUT, "待复核"); /* not yet reviewed */
  rv_step(f, "both", "review", id, FX_T0, 0, NULL);
  rv_step(f, "adm2", "approve", id, FX_T0, FG_EPERM, "不准审批本人");
  rv_step(f, "both", "approve", id, FX_T0, FG_EPERM, "第三人");
  rv_step(f, "rev2", "approve", id, FX_T0, FG_EPERM, "权限不足"); /* a reviewer only */
  fg_err err = {0};
  assert_int_equal(fg_authz_check(f->s, "wkr", FG_PERM_FINDINGS_READ, &err), FG_EPERM);
  rv_step(f, "apr", "approve", id, FX_T0, 0, NULL); /* a third person: applied */
  assert_int_equal(fg_authz_check(f->s, "wkr", FG_PERM_FINDINGS_READ, &err), 0);
  rv_step(f, "apr", "approve", id, FX_T0, FG_EINPUT, "已生效"); /* applied only once */
  fx_free(f);
}

static void test_self_granted_permission(void **state) {
  (void)state;
  fx *f = rv_setup();
  fg_signer s;
  fx_login(f, "adm", FX_T0, &s);
  fx_counts before, after;
  fx_count(f, &before);
  char *payload = fg_review_payload_role("adm", "auditor");
  int64_t id = 0;
  fg_err err = {0};
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_ROLE_GRANT, payload, FX_T0,
                                     &id, &err),
                   FG_EPERM);
  assert_non_null(strstr(err.msg, "不准擅自增加本人权限"));
  fx_count(f, &after);
  fx_only_journal(&before, &after, 1);
  free(payload);
  fg_authn_signer_wipe(&s);
  /* a grant to the reviewer or to the approver is refused at their step */
  id = rv_propose_grant(f, "adm2", "rev", "auditor");
  rv_step(f, "rev", "review", id, FX_T0, FG_EPERM, "不准擅自增加本人权限");
  id = rv_propose_grant(f, "adm2", "apr", "auditor");
  rv_step(f, "rev", "review", id, FX_T0, 0, NULL);
  rv_step(f, "apr", "approve", id, FX_T0, FG_EPERM, "不准擅自增加本人权限");
  assert_int_equal(fg_authz_check(f->s, "apr", FG_PERM_FINDINGS_READ, &err), FG_EPERM);
  fx_free(f);
}

static void test_exclusive_pair_by_grant(void **state) {
  (void)state;
  fx *f = rv_setup();
  fg_signer s;
  fx_login(f, "adm", FX_T0, &s);
  fx_counts before, after;
  fx_count(f, &before);
  char *payload = fg_review_payload_role("wkr", "reviewer"); /* handler + reviewer */
  int64_t id = 0;
  fg_err err = {0};
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_ROLE_GRANT, payload, FX_T0,
                                     &id, &err),
                   FG_EINPUT);
  assert_non_null(strstr(err.msg, "互斥"));
  fx_count(f, &after);
  fx_only_journal(&before, &after, 1);
  free(payload);
  /* a pair that arises between proposal and approval is caught at approval */
  fx_user(f, "nov", "");
  int64_t a = rv_propose_grant(f, "adm", "nov", "handler");
  int64_t b = rv_propose_grant(f, "adm", "nov", "reviewer");
  rv_step(f, "rev", "review", a, FX_T0, 0, NULL);
  rv_step(f, "rev2", "review", b, FX_T0, 0, NULL);
  rv_step(f, "apr", "approve", a, FX_T0, 0, NULL);
  rv_step(f, "apr", "approve", b, FX_T0, FG_EINPUT, "互斥");
  char roles[FG_STORE_ROLES_MAX];
  assert_int_equal(fg_store_user_roles(f->s, "nov", roles, sizeof roles, &err), 0);
  assert_string_equal(roles, "handler");
  fg_authn_signer_wipe(&s);
  fx_free(f);
}

static void test_expired(void **state) {
  (void)state;
  fx *f = rv_setup();
  int64_t id = rv_propose_grant(f, "adm", "wkr", "auditor");
  const int64_t late = FX_T0 + (FG_REVIEW_EXPIRY_DAYS * FX_DAY) + 1;
  rv_step(f, "rev", "review", id, late, FG_EINPUT, "已过期");
  rv_step(f, "rev", "review", id, FX_T0 + FX_DAY, 0, NULL); /* in time: fine */
  rv_step(f, "apr", "approve", id, late, FG_EINPUT, "已过期");
  fx_free(f);
}

static void test_revoke_and_refuse(void **state) {
  (void)state;
  fx *f = rv_setup();
  fg_signer s;
  fx_login(f, "adm", FX_T0, &s);
  char *payload = fg_review_payload_role("rev2", "reviewer");
  int64_t id = 0;
  fg_err err = {0};
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_ROLE_REVOKE, payload, FX_T0,
                                     &id, &err),
                   0);
  free(payload);
  assert_int_equal(fg_authz_check(f->s, "rev2", FG_PERM_PROPOSAL_REVIEW, &err), 0);
  rv_step(f, "rev", "review", id, FX_T0, 0, NULL); /* revoke needs no approval */
  assert_int_equal(fg_authz_check(f->s, "rev2", FG_PERM_PROPOSAL_REVIEW, &err), FG_EPERM);
  /* a refused proposal is closed */
  int64_t g = rv_propose_grant(f, "adm", "wkr", "auditor");
  rv_step(f, "wkr", "refuse", g, FX_T0, FG_EPERM, "权限不足");
  rv_step(f, "rev", "refuse", g, FX_T0, 0, NULL);
  rv_step(f, "both", "review", g, FX_T0, FG_EINPUT, "已驳回");
  fg_store_proposal p;
  bool found = false;
  assert_int_equal(fg_store_proposal_get(f->s, g, &p, &found, &err), 0);
  assert_true(found);
  assert_int_equal(fg_review_status_of(&p, FX_T0), FG_REVIEW_REFUSED);
  fg_store_proposal_release(&p);
  fg_authn_signer_wipe(&s);
  fx_free(f);
}

static int rv_amend_calls;
static int rv_amend(fg_store *s, const fg_store_proposal *p, const fg_signer *by, int64_t jseq,
                    fg_err *err) {
  (void)s, (void)by, (void)err;
  assert_string_equal(p->kind, FG_REVIEW_DATA_AMENDMENT);
  assert_true(jseq >= 0);
  rv_amend_calls++;
  return 0;
}

static void test_amendment_needs_review(void **state) {
  (void)state;
  fx *f = rv_setup();
  fg_signer s;
  fx_login(f, "wkr", FX_T0, &s);
  const char *payload = "{\"person_id\":\"110101199001011234\",\"table\":\"persons\"}";
  int64_t id = 0;
  fg_err err = {0};
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_DATA_AMENDMENT, payload, FX_T0,
                                     &id, &err),
                   0);
  fg_authn_signer_wipe(&s);
  rv_step(f, "rev", "review", id, FX_T0, 0, NULL);
  /* no effect wired in: approval is refused, nothing pretends to apply */
  rv_step(f, "apr", "approve", id, FX_T0, FG_EINPUT, "尚未接入");
  assert_int_equal(fg_review_set_applier(FG_REVIEW_DATA_AMENDMENT, rv_amend), 0);
  assert_int_equal(rv_amend_calls, 0); /* proposed and reviewed: not yet amended */
  rv_step(f, "apr", "approve", id, FX_T0, 0, NULL);
  assert_int_equal(rv_amend_calls, 1);
  /* a sysadmin may not propose an amendment at all */
  fx_login(f, "adm", FX_T0, &s);
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_DATA_AMENDMENT, payload, FX_T0,
                                     &id, &err),
                   FG_EPERM);
  fg_authn_signer_wipe(&s);
  fx_free(f);
}

static void test_unlock_through_review(void **state) {
  (void)state;
  fx *f = rv_setup();
  f->cfg->lockout_failures = 2;
  fg_signer s;
  fg_err err = {0};
  for (int i = 0; i < 2; i++)
    assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "wkr", "wrong-pass", FX_T0, 0, &s,
                                    &err),
                     FG_EPERM);
  assert_int_equal(fg_authn_login(f->s, f->cfg, &f->platform, "wkr", "pw-wkr-1234", FX_T0, 0, &s,
                                  &err),
                   FG_EPERM);
  fx_login(f, "adm", FX_T0, &s);
  char *payload = fg_review_payload_unlock("wkr");
  int64_t id = 0;
  assert_int_equal(fg_review_propose(f->s, f->cfg, &s, FG_REVIEW_USER_UNLOCK, payload, FX_T0, &id,
                                     &err),
                   0);
  free(payload);
  fg_authn_signer_wipe(&s);
  rv_step(f, "rev", "review", id, FX_T0, 0, NULL);
  fx_login(f, "wkr", FX_T0, &s);
  fg_authn_signer_wipe(&s);
  fx_free(f);
}

static void test_proposals_append_only(void **state) {
  (void)state;
  fx *f = rv_setup();
  int64_t id = rv_propose_grant(f, "adm", "wkr", "auditor");
  rv_step(f, "rev", "review", id, FX_T0, 0, NULL);
  fx_counts before, after;
  fx_count(f, &before);
  assert_int_not_equal(fx_sql(f, "DELETE FROM proposals"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "DELETE FROM proposal_events"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "UPDATE proposal_events SET actor = 'adm'"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "UPDATE proposals SET proposer = 'rev2'"), SQLITE_OK);
  fx_count(f, &after);
  fx_only_journal(&before, &after, 0);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_self_review),
      cmocka_unit_test(test_self_approval_and_same_person),
      cmocka_unit_test(test_self_granted_permission),
      cmocka_unit_test(test_exclusive_pair_by_grant),
      cmocka_unit_test(test_expired),
      cmocka_unit_test(test_revoke_and_refuse),
      cmocka_unit_test(test_amendment_needs_review),
      cmocka_unit_test(test_unlock_through_review),
      cmocka_unit_test(test_proposals_append_only),
  };
  if (sodium_init() < 0) return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
