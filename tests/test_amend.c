/*
 * test_amend.c — the effects of the reviewed actions (actions.h) through
 * the review engine: a configuration change proposed, reviewed and approved
 * by three people becomes the official configuration; an invalid file is
 * refused with the parser's message; a finding is dismissed after review
 * (the export shows it), an unknown finding and a second dismissal are
 * refused; an amendment is validated like import (the message names the
 * column), needs review and approval, writes one row per column with the
 * old value, applies exactly once, and never changes the original row.
 * Every refusal leaves exactly one journal entry (row counts of every
 * table before and after).
 */
#include "authz_fixture.h"

#include "actions/actions.h"
#include "screen/export.h"

#define AM_PERSON "11010519491231002X"

static fx *am_setup(void) {
  assert_int_equal(fg_actions_register(), 0);
  fx *f = fx_new();
  fx_user(f, "hd", "handler");
  fx_user(f, "sup", "supervisor");
  fx_user(f, "rev", "reviewer");
  fx_user(f, "apr", "approver");
  fx_user(f, "adm", "sysadmin");
  fg_err err = {0};
  fg_store *s = f->s;
  int64_t batch = 0, rowid = 0, run = 0;
  fg_value v[5] = {{false, 0, AM_PERSON, 18}, {false, 0, "甲", 3}, {false, 0, "1", 1},
                   {false, 0, "1949-12-31", 10}, {true, 0, NULL, 0}};
  char hex[65];
  memset(hex, 'a', 64);
  hex[64] = '\0';
  fg_store_run r = {0, "2026-01-01T08:00:00", "2026-01-01T08:00:01", "2026-01-01", "x", "",
                    hex, true, "1", 1, "sup", 2, hex, false, false};
  fg_store_finding fd[] = {
      {"benefit.paid_after_death", "person", AM_PERSON, 300000, "high", "d", NULL, 0},
      {"control.tenure_exceeded", "staff_id", "S001", 0, "low", "post", NULL, 0}};
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_batch_begin(s, "hd", FG_BATCH_ATOMIC, "2026-01-01T08:00:00", &batch,
                                        &err),
                   0);
  assert_int_equal(fg_store_insert(s, FG_T_PERSONS, batch, 2, v, &rowid, &err), 0);
  assert_int_equal(fg_store_run_add(s, &r, &run, &err), 0);
  assert_int_equal(fg_store_findings_add(s, run, fd, 2, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  return f;
}

/* Propose as `by`; expect rc (on refusal: message part, one entry only). */
static int64_t am_propose(fx *f, const char *by, const char *kind, const char *payload,
                          int want_rc, const char *msg_part) {
  fg_signer me;
  fx_login(f, by, FX_T0, &me);
  fx_counts before, after;
  fx_count(f, &before);
  fg_err err = {0};
  int64_t id = 0;
  int rc = fg_review_propose(f->s, f->cfg, &me, kind, payload, FX_T0, &id, &err);
  if (rc != want_rc) fprintf(stderr, "propose %s: %d %s\n", kind, rc, err.msg);
  assert_int_equal(rc, want_rc);
  if (want_rc != 0) {
    if (strstr(err.msg, msg_part) == NULL) fprintf(stderr, "message: %s\n", err.msg);
    assert_non_null(strstr(err.msg, msg_part));
    fx_count(f, &after);
    fx_only_journal(&before, &after, 1);
  }
  fg_authn_signer_wipe(&me);
  return id;
}

static void am_step(fx *f, const char *by, const char *step, int64_t id, int want_rc,
                    const char *msg_part) {
  fg_signer me;
  fx_login(f, by, FX_T0, &me);
  fx_counts before, after;
  fx_count(f, &before);
  fg_err err = {0};
  int rc = strcmp(step, "review") == 0
               ? fg_review_review(f->s, f->cfg, &me, id, FX_T0, &err)
               : fg_review_approve(f->s, f->cfg, &me, id, FX_T0, &err);
  if (rc != want_rc) fprintf(stderr, "%s %s #%lld: %d %s\n", by, step, (long long)id, rc, err.msg);
  assert_int_equal(rc, want_rc);
  if (want_rc != 0) {
    assert_non_null(strstr(err.msg, msg_part));
    fx_count(f, &after);
    fx_only_journal(&before, &after, 1);
  }
  fg_authn_signer_wipe(&me);
}

static long long am_rows(fx *f, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

static char *am_config_payload(fx *f, const char *text) {
  fg_test_write(f->dir, "proposed.ini", text, (size_t)-1);
  char path[4300];
  snprintf(path, sizeof path, "%s/proposed.ini", f->dir);
  char *payload = NULL;
  fg_err err = {0};
  assert_int_equal(fg_action_payload_config_file(path, &payload, &err), 0);
  return payload;
}

static void test_config_change(void **state) {
  (void)state;
  fx *f = am_setup();
  char *bad = am_config_payload(f, "[thresholds]\nlarge_payment = lots\n");
  am_propose(f, "sup", FG_REVIEW_CONFIG_CHANGE, bad, FG_EINPUT, "proposed.ini:2");
  am_propose(f, "hd", FG_REVIEW_CONFIG_CHANGE, bad, FG_EPERM, "config.propose");
  assert_int_equal(fx_journal_actions(f, "proposal.denied"), 2);
  char *good = am_config_payload(f, "[thresholds]\nlarge_payment = 60000\n");
  int64_t id = am_propose(f, "sup", FG_REVIEW_CONFIG_CHANGE, good, 0, NULL);
  am_step(f, "sup", "review", id, FG_EPERM, "不准复核本人");
  am_step(f, "rev", "review", id, 0, NULL);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM config_versions"), 0); /* not yet */
  am_step(f, "sup", "approve", id, FG_EPERM, "不准审批本人");
  am_step(f, "apr", "approve", id, 0, NULL);
  fg_config *cfg = calloc(1, sizeof *cfg);
  fg_err err = {0};
  assert_int_equal(fg_authz_load_config(f->s, cfg, &err), 0);
  assert_int_equal(cfg->large_payment_fen, 6000000);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM config_versions WHERE status = 'official'"
                              " AND proposal_id IS NOT NULL AND jseq IS NOT NULL"),
                   1);
  /* the same configuration again: nothing to change */
  am_propose(f, "adm", FG_REVIEW_CONFIG_CHANGE, good, FG_EINPUT, "相同");
  am_step(f, "apr", "approve", id, FG_EINPUT, "已生效");
  free(cfg);
  free(bad);
  free(good);
  fx_free(f);
}

static void test_dismiss(void **state) {
  (void)state;
  fx *f = am_setup();
  char *unknown = fg_action_payload_dismiss(1, "benefit.paid_after_death", "X1", "核实无误");
  am_propose(f, "sup", FG_REVIEW_FINDING_DISMISS, unknown, FG_EINPUT, "没有规则");
  char *noreason = fg_action_payload_dismiss(1, "benefit.paid_after_death", AM_PERSON, "");
  am_propose(f, "sup", FG_REVIEW_FINDING_DISMISS, noreason, FG_EINPUT, "理由");
  char *p = fg_action_payload_dismiss(1, "benefit.paid_after_death", AM_PERSON, "死亡信息有误");
  int64_t id = am_propose(f, "sup", FG_REVIEW_FINDING_DISMISS, p, 0, NULL);
  am_step(f, "sup", "review", id, FG_EPERM, "不准复核本人");
  am_step(f, "rev", "review", id, 0, NULL); /* final: the kind needs no approval */
  assert_int_equal(am_rows(f, "SELECT count(*) FROM finding_dispositions WHERE run = 1 AND"
                              " disposition = 'dismissed_normal' AND proposer = 'sup' AND"
                              " reviewer = 'rev' AND approver IS NULL AND jseq >= 0"),
                   1);
  am_step(f, "apr", "approve", id, FG_EINPUT, "已生效"); /* applied exactly once */
  am_propose(f, "sup", FG_REVIEW_FINDING_DISMISS, p, FG_EINPUT, "已被认定为正常");
  assert_int_equal(am_rows(f, "SELECT count(*) FROM finding_dispositions"), 1);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM findings"), 2); /* findings unchanged */
  char *out = NULL;
  size_t n = 0;
  FILE *mem = open_memstream(&out, &n);
  fg_export_opts o = {.run_id = 1, .format = FG_EXPORT_CSV, .out = mem};
  int64_t count = 0;
  fg_err err = {0};
  assert_int_equal(fg_export_findings(f->s, &o, &count, &err), 0);
  fclose(mem);
  assert_non_null(strstr(out, ",official,1,dismissed_normal,"));
  assert_non_null(strstr(out, "S001,0.00,post,low,,,official,1,,"));
  free(out);
  free(unknown);
  free(noreason);
  free(p);
  fx_free(f);
}

static char *am_amend(const char *key, const char *col, const char *val) {
  const char *cols[] = {col, "name"}, *vals[] = {val, "乙"};
  return fg_action_payload_amend("persons", key, cols, vals, 2, "户籍信息更正");
}

static void test_amend_refused(void **state) {
  (void)state;
  fx *f = am_setup();
  char *p = am_amend(AM_PERSON, "birth_date", "1949-13-01");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "birth_date");
  free(p);
  p = am_amend(AM_PERSON, "sex", "3");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "不是允许的代码之一 [1 2]");
  free(p);
  p = am_amend(AM_PERSON, "person_id", "110105194912310011");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "主键");
  free(p);
  p = am_amend("110105194912310011", "birth_date", "1949-12-01");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "没有主键为");
  free(p);
  p = am_amend(AM_PERSON, "sex", "");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "必填");
  free(p);
  const char *c[] = {"amount"}, *v[] = {"1.00"};
  p = fg_action_payload_amend("contributions", AM_PERSON, c, v, 1, "x");
  am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, FG_EINPUT, "没有主键");
  free(p);
  p = am_amend(AM_PERSON, "birth_date", "1949-12-01");
  am_propose(f, "sup", FG_REVIEW_DATA_AMENDMENT, p, FG_EPERM, "data.amend");
  free(p);
  fx_free(f);
}

static void test_amend_applied_once(void **state) {
  (void)state;
  fx *f = am_setup();
  char *p = am_amend(AM_PERSON, "birth_date", "1949-12-01");
  int64_t id = am_propose(f, "hd", FG_REVIEW_DATA_AMENDMENT, p, 0, NULL);
  am_step(f, "rev", "review", id, 0, NULL);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM amendments"), 0); /* reviewed: not yet */
  am_step(f, "rev", "approve", id, FG_EPERM, "第三人");
  am_step(f, "apr", "approve", id, 0, NULL);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM amendments"), 2);
  assert_int_equal(am_rows(f, "SELECT count(*) FROM amendments WHERE table_name = 'persons'"
                              " AND row_id = 1 AND column_name = 'birth_date'"
                              " AND old_value = '1949-12-31' AND new_value = '1949-12-01'"
                              " AND proposer = 'hd' AND reviewer = 'rev' AND approver = 'apr'"),
                   1);
  am_step(f, "apr", "approve", id, FG_EINPUT, "已生效");
  assert_int_equal(am_rows(f, "SELECT count(*) FROM amendments"), 2); /* exactly once */
  /* the original row is as imported */
  assert_int_equal(am_rows(f, "SELECT count(*) FROM persons WHERE birth_date = '1949-12-31'"
                              " AND name = '甲'"),
                   1);
  assert_int_not_equal(fx_sql(f, "UPDATE amendments SET new_value = 'x'"), SQLITE_OK);
  assert_int_not_equal(fx_sql(f, "DELETE FROM amendments"), SQLITE_OK);
  free(p);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_config_change),
      cmocka_unit_test(test_dismiss),
      cmocka_unit_test(test_amend_refused),
      cmocka_unit_test(test_amend_applied_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
