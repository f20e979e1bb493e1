/*
 * test_journal.c — the tamper-evident journal (journal/journal.h) on real
 * stores: append and verify; then changes made behind the platform's back
 * with raw SQLite (triggers dropped first, as an attacker would): a payload
 * byte, a replaced signature, entries reordered / deleted / inserted, a
 * covered row edited, added or deleted, an unknown table; truncation and
 * re-keying caught with a checkpoint or pinned key; proofs round-trip.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "journal/journal.h"

#define T_ENTRIES 40

typedef struct t_ctx {
  char *dir;
  char db[4096], key[4096];
  fg_signer platform, alice;
} t_ctx;

static void t_add_alice(t_ctx *c, fg_store *s) {
  fg_err err = {0};
  int64_t seq;
  fg_store_user u = {0};
  snprintf(u.name, sizeof u.name, "alice");
  snprintf(u.display_name, sizeof u.display_name, "张三");
  memcpy(u.public_key, c->alice.pk, 32);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_journal_next_seq(s, &seq, &err), 0);
  assert_int_equal(fg_store_user_add(s, &u, seq, &err), 0);
  const char *p = "{\"user\":\"alice\"}";
  int64_t got;
  assert_int_equal(fg_journal_append(s, &c->platform, "user.create", p, strlen(p), &got, &err), 0);
  assert_int_equal(got, seq);
  assert_int_equal(fg_store_commit(s, &err), 0);
}

static int t_setup(void **state) {
  t_ctx *c = calloc(1, sizeof *c);
  c->dir = fg_test_tmpdir();
  snprintf(c->db, sizeof c->db, "%s/s.db", c->dir);
  snprintf(c->key, sizeof c->key, "%s/s.db.key", c->dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(c->db, &s, &err), 0);
  assert_int_equal(fg_journal_platform_keygen(s, c->key, NULL, &err), 0);
  assert_int_equal(fg_journal_platform_signer(c->key, &c->platform, &err), 0);
  snprintf(c->alice.actor, sizeof c->alice.actor, "alice");
  crypto_sign_ed25519_keypair(c->alice.pk, c->alice.sk);
  t_add_alice(c, s);
  assert_int_equal(fg_store_begin(s, &err), 0); /* several entries, one commit */
  for (int i = 0; i < T_ENTRIES; i++) {
    char p[64];
    snprintf(p, sizeof p, "{\"n\":%d}", i);
    const fg_signer *who = i % 2 ? &c->alice : &c->platform;
    assert_int_equal(fg_journal_append(s, who, "test.act", p, strlen(p), NULL, &err), 0);
  }
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
  *state = c;
  return 0;
}

static int t_teardown(void **state) {
  t_ctx *c = *state;
  fg_test_rmrf(c->dir);
  free(c->dir);
  free(c);
  return 0;
}

/* Verify; returns the problems text (heap) and sets *rc. */
static char *t_verify(t_ctx *c, const fg_journal_checkpoint *cp, const uint8_t *pin, int *rc) {
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, true, &s, &err), 0);
  fg_journal_verify_opts o = {pin, cp, 2};
  fg_journal_verify_report rep;
  *rc = fg_journal_verify(s, &o, &rep, &err);
  fg_store_close(s);
  char *text = rep.text.buf ? fg_buf_detach(&rep.text) : strdup("");
  return text;
}

static void t_sql(t_ctx *c, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) fprintf(stderr, "sql: %s\n", msg);
  assert_int_equal(rc, SQLITE_OK);
  sqlite3_close(db);
}

static void t_expect(t_ctx *c, const char *sql, const char *needle) {
  t_sql(c, "DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete;");
  t_sql(c, sql);
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  if (!strstr(text, needle)) fprintf(stderr, "after %s:\n%s", sql, text);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, needle));
  free(text);
}

static void test_clean_verifies(void **state) {
  t_ctx *c = *state;
  int rc;
  char *text = t_verify(c, NULL, c->platform.pk, &rc);
  assert_string_equal(text, "");
  assert_int_equal(rc, 0);
  free(text);
}

static void test_triggers_refuse(void **state) {
  t_ctx *c = *state;
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
  assert_int_not_equal(sqlite3_exec(db, "DELETE FROM journal WHERE seq = 3", NULL, NULL, NULL), SQLITE_OK);
  assert_int_not_equal(sqlite3_exec(db, "UPDATE journal SET actor = 'x'", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static void test_payload_byte(void **state) {
  t_expect(*state, "UPDATE journal SET payload = '{\"n\":9}' WHERE seq = 5", "第 5 条");
}
static void test_signature_replaced(void **state) {
  t_expect(*state, "UPDATE journal SET sig = (SELECT sig FROM journal WHERE seq = 7) WHERE seq = 9",
           "第 9 条");
}
static void test_entries_swapped(void **state) {
  t_expect(*state,
           "UPDATE journal SET seq = -1 WHERE seq = 10; UPDATE journal SET seq = 10 WHERE seq = 11;"
           " UPDATE journal SET seq = 11 WHERE seq = -1;",
           "签名不符");
}
static void test_entry_deleted(void **state) {
  t_expect(*state, "DELETE FROM journal WHERE seq = 12", "顺序断裂");
}
static void test_entry_inserted(void **state) {
  t_expect(*state,
           "INSERT INTO journal SELECT 1000, at, actor, action, payload, covers, pubkey, sig,"
           " leaf_hash FROM journal WHERE seq = 3",
           "顺序断裂");
}
static void test_covered_row_edited(void **state) {
  t_expect(*state, "DROP TRIGGER IF EXISTS users_no_update; UPDATE users SET display_name = '李四'",
           "表 users");
}
static void test_covered_row_inserted(void **state) {
  t_expect(*state,
           "INSERT INTO users (name, display_name, public_key, created, jseq)"
           " SELECT 'mallory', display_name, public_key, created, jseq + 5 FROM users",
           "没有任何日志条目覆盖");
}
static void test_unknown_table(void **state) {
  t_expect(*state, "CREATE TABLE stash (x); INSERT INTO stash VALUES (1)", "表 stash");
}
static void test_key_row_deleted(void **state) {
  t_expect(*state, "DROP TRIGGER IF EXISTS platform_keys_no_delete; DELETE FROM platform_keys",
           "platform_keys");
}

/* A covered group of several chunks (rowhash.h): a table with a jseq
 * column, T_BIG_ROWS rows written raw, then an entry that covers them. */
enum { T_BIG_ROWS = 2 * FG_JOURNAL_CHUNK_ROWS + 1000 };

static void t_big_group(t_ctx *c) {
  char sql[512];
  fg_store *s = NULL;
  fg_err err = {0};
  int64_t seq = 0;
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_journal_next_seq(s, &seq, &err), 0);
  fg_store_close(s);
  snprintf(sql, sizeof sql,
           "CREATE TABLE big (x INTEGER, y TEXT, jseq INTEGER);"
           " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
           " INSERT INTO big SELECT i, 'row' || i, %lld FROM n;",
           T_BIG_ROWS, (long long)seq);
  t_sql(c, sql);
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_journal_append(s, &c->platform, "test.big", "{}", 2, NULL, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  uint8_t root[32];
  int64_t n = 0;
  const fg_journal_cover cv = {"big", "jseq", NULL, NULL};
  char v[32];
  snprintf(v, sizeof v, "%lld", (long long)seq);
  const fg_journal_cover cv2 = {cv.table, cv.column, v, NULL};
  assert_int_equal(fg_journal_rows_root(s, &cv2, root, &n, &err), 0);
  assert_int_equal(n, T_BIG_ROWS);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_string_equal(text, "");
  assert_int_equal(rc, 0);
  free(text);
}

static void test_chunk_named_edit(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  char want[128];
  snprintf(want, sizeof want, "第 2 块（每块 %d 行）起不同：现存 rowid %d–%d", FG_JOURNAL_CHUNK_ROWS,
           FG_JOURNAL_CHUNK_ROWS + 1, 2 * FG_JOURNAL_CHUNK_ROWS);
  t_expect(c, "UPDATE big SET y = 'roW' WHERE rowid = 5000", want);
}
static void test_chunk_named_delete(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  char want[160];
  snprintf(want, sizeof want, "日志记录 %d 行，现存 %d 行（第 3 块", T_BIG_ROWS, T_BIG_ROWS - 1);
  t_expect(c, "DELETE FROM big WHERE rowid = 8500", want);
}
static void test_chunk_named_swap(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  /* two rows' contents swapped: same multiset of rows, other order */
  t_expect(c,
           "UPDATE big SET x = -1 WHERE rowid = 3; UPDATE big SET x = 3, y = 'row4'"
           " WHERE rowid = 4; UPDATE big SET x = 4, y = 'row3' WHERE rowid = 3;",
           "第 1 块");
}
static void test_chunk_renumbered(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  /* the last row moved to a new rowid, content unchanged */
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE big SET rowid = 100000 WHERE rowid = %d", T_BIG_ROWS);
  t_expect(c, sql, "第 3 块");
}

static void t_checkpoint(t_ctx *c, fg_journal_checkpoint *cp) {
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, true, &s, &err), 0);
  assert_int_equal(fg_journal_checkpoint_make(s, &c->platform, cp, &err), 0);
  fg_store_close(s);
  fg_buf b = FG_BUF_INIT;
  fg_journal_checkpoint back;
  fg_journal_checkpoint_format(cp, &b);
  assert_int_equal(fg_journal_checkpoint_parse(b.buf, b.len, &back, &err), 0);
  assert_memory_equal(&back, cp, sizeof back);
  b.buf[b.len - 3] ^= 1; /* the signature */
  assert_int_not_equal(fg_journal_checkpoint_parse(b.buf, b.len, &back, &err), 0);
  fg_buf_free(&b);
}

static void test_truncation_needs_checkpoint(void **state) {
  t_ctx *c = *state;
  fg_journal_checkpoint cp;
  t_checkpoint(c, &cp);
  int rc;
  t_sql(c, "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq >= 30");
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, 0); /* the documented limit: internally consistent */
  free(text);
  text = t_verify(c, &cp, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "截断"));
  free(text);
}

static void test_rekey_caught(void **state) {
  t_ctx *c = *state;
  fg_journal_checkpoint cp;
  t_checkpoint(c, &cp);
  /* A store re-keyed and re-signed throughout: a fresh store with a new
   * platform key and the same history shape. */
  t_ctx *d = NULL;
  assert_int_equal(t_setup((void **)&d), 0);
  int rc;
  char *text = t_verify(d, NULL, NULL, &rc);
  assert_int_equal(rc, 0);
  free(text);
  text = t_verify(d, &cp, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "换了密钥"));
  free(text);
  text = t_verify(d, NULL, c->platform.pk, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  free(text);
  t_teardown((void **)&d);
}

static void test_proofs(void **state) {
  t_ctx *c = *state;
  fg_journal_checkpoint old, now;
  t_checkpoint(c, &old);
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  for (int i = 0; i < 7; i++)
    assert_int_equal(fg_journal_append(s, &c->platform, "test.more", "{}", 2, NULL, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  assert_int_equal(fg_journal_checkpoint_make(s, &c->platform, &now, &err), 0);
  fg_buf p = FG_BUF_INIT, msg = FG_BUF_INIT;
  assert_int_equal(fg_journal_prove_consistency(s, &old, &p, &err), 0);
  assert_int_equal(fg_journal_check_proof(p.buf, p.len, &old, &msg, &err), 0);
  assert_int_not_equal(fg_journal_check_proof(p.buf, p.len, &now, &msg, &err), 0);
  char *q = strstr(p.buf, "\"proof\": [\"");
  assert_non_null(q);
  q[12] = q[12] == 'A' ? 'B' : 'A';
  assert_int_not_equal(fg_journal_check_proof(p.buf, p.len, &old, &msg, &err), 0);
  for (uint64_t e = 0; e < now.size; e += 5) {
    fg_buf_reset(&p);
    assert_int_equal(fg_journal_prove_inclusion(s, e, 0, &p, &err), 0);
    assert_int_equal(fg_journal_check_proof(p.buf, p.len, &now, &msg, &err), 0);
    assert_int_not_equal(fg_journal_check_proof(p.buf, p.len, &old, &msg, &err), 0);
  }
  fg_buf_free(&p);
  fg_buf_free(&msg);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, &old, NULL, &rc);
  assert_int_equal(rc, 0);
  free(text);
}

int main(void) {
  assert_int_not_equal(sodium_init(), -1);
#define T(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)
  const struct CMUnitTest tests[] = {
      T(test_clean_verifies),      T(test_triggers_refuse),   T(test_payload_byte),
      T(test_signature_replaced),  T(test_entries_swapped),   T(test_entry_deleted),
      T(test_entry_inserted),      T(test_covered_row_edited), T(test_covered_row_inserted),
      T(test_unknown_table),       T(test_key_row_deleted),   T(test_truncation_needs_checkpoint),
      T(test_rekey_caught),        T(test_proofs),            T(test_chunk_named_edit),
      T(test_chunk_named_delete),  T(test_chunk_named_swap),  T(test_chunk_renumbered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
