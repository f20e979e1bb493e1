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
#include "schema/schema.h"

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
  /* alice's key, registered the way a password setting does */
  assert_int_equal(fg_journal_next_seq(s, &seq, &err), 0);
  assert_int_equal(fg_store_user_key_add(s, "alice", c->alice.pk, seq, seq, &err), 0);
  assert_int_equal(fg_journal_append(s, &c->alice, "user.passwd", p, strlen(p), &got, &err), 0);
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
  fg_journal_verify_opts o = {pin, cp, 2, NULL, NULL};
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

/* Run sql with the append-only triggers of table out of the way and put
 * back afterwards, text for text, as a careful attacker would: the
 * schema check then sees nothing. */
static void t_sql_hidden(t_ctx *c, const char *table, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(c->db, &db), SQLITE_OK);
  char q[256], keep[2][1024] = {"", ""};
  for (int k = 0; k < 2; k++) {
    sqlite3_stmt *st = NULL;
    snprintf(q, sizeof q, "SELECT sql FROM sqlite_master WHERE name = '%s_no_%s'", table,
             k ? "delete" : "update");
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
      snprintf(keep[k], sizeof keep[k], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    snprintf(q, sizeof q, "DROP TRIGGER IF EXISTS %s_no_%s", table, k ? "delete" : "update");
    assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
  }
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  for (int k = 0; k < 2; k++)
    if (keep[k][0]) assert_int_equal(sqlite3_exec(db, keep[k], NULL, NULL, NULL), SQLITE_OK);
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

/* The tables are read on two connections by two threads, largest first
 * (journal_verify.c fg_jv_tables): the problems found are listed the same,
 * in table-name order, under the same cap, as by one thread. */
static char *t_verify_threads(t_ctx *c, int threads, int *rc, int64_t *problems) {
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, true, &s, &err), 0);
  fg_journal_verify_opts o = {NULL, NULL, threads, NULL, NULL};
  fg_journal_verify_report rep;
  *rc = fg_journal_verify(s, &o, &rep, &err);
  fg_store_close(s);
  *problems = rep.problems;
  return rep.text.buf ? fg_buf_detach(&rep.text) : strdup("");
}

static void test_tables_in_parallel(void **state) {
  t_ctx *c = *state;
  t_sql(c, "DROP TRIGGER IF EXISTS users_no_update; UPDATE users SET display_name = '李四';"
           "DROP TRIGGER IF EXISTS platform_keys_no_delete; DELETE FROM platform_keys;"
           "CREATE TABLE stash (x); INSERT INTO stash VALUES (1);"
           /* a standard table with the most rows is read first, yet listed last */
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
           " INSERT INTO wage_bases SELECT '410102', 2000 + i, 1, 2, 1, i FROM n");
  int rc1, rc2;
  int64_t n1, n2;
  char *one = t_verify_threads(c, 1, &rc1, &n1);
  char *two = t_verify_threads(c, 2, &rc2, &n2);
  assert_int_equal(rc1, FG_EVERIFY);
  assert_int_equal(rc2, FG_EVERIFY);
  assert_int_equal(n1, n2);
  assert_string_equal(one, two);
  const char *pk = strstr(two, "platform_keys"), *st = strstr(two, "表 stash"),
             *us = strstr(two, "表 users"), *wb = strstr(two, "表 wage_bases");
  assert_non_null(pk);
  assert_non_null(st);
  assert_non_null(us);
  assert_non_null(wb);
  assert_true(pk < st && st < us && us < wb);
  free(one);
  free(two);
  /* more problems than are listed: the same count and the same first ones */
  fg_buf sql = FG_BUF_INIT;
  for (int i = 0; i < FG_JOURNAL_PROBLEMS_LISTED_MAX + 50; i++)
    fg_buf_addf(&sql, "CREATE TABLE stash_%03d (x); INSERT INTO stash_%03d VALUES (%d);", i, i, i);
  t_sql(c, sql.buf);
  fg_buf_release(&sql);
  one = t_verify_threads(c, 1, &rc1, &n1);
  two = t_verify_threads(c, 2, &rc2, &n2);
  assert_int_equal(n1, n2);
  assert_true(n2 >= FG_JOURNAL_PROBLEMS_LISTED_MAX + 53);
  assert_string_equal(one, two);
  int lines = 0;
  for (const char *p = two; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, FG_JOURNAL_PROBLEMS_LISTED_MAX);
  free(one);
  free(two);
}

/* A covered group of several chunks (rowhash.h): a table with a jseq
 * column, T_BIG_ROWS rows written raw, then an entry that covers them. */
enum { T_BIG_ROWS = 2 * FG_JOURNAL_CHUNK_ROWS + 1000 };

static void t_big_group(t_ctx *c) {
  fg_store *s = NULL;
  fg_err err = {0};
  int64_t batch = 0, rowid = 0;
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_batch_begin(s, "alice", FG_BATCH_ATOMIC, "2026-01-01T00:00:00", &batch,
                                        &err),
                   0);
  const fg_table *t = fg_schema_table(FG_T_PERSONS);
  fg_value v[FG_MAX_COLS];
  char id[32], name[32];
  for (int i = 1; i <= T_BIG_ROWS; i++) {
    for (int k = 0; k < t->ncols; k++) v[k] = (fg_value){false, 1, "1", 1};
    snprintf(id, sizeof id, "P%d", i);
    snprintf(name, sizeof name, "row%d", i);
    v[0] = (fg_value){false, 0, id, (int)strlen(id)};
    v[1] = (fg_value){false, 0, name, (int)strlen(name)};
    assert_int_equal(fg_store_insert(s, FG_T_PERSONS, batch, i + 1, v, &rowid, &err), 0);
  }
  char b[32];
  snprintf(b, sizeof b, "%lld", (long long)batch);
  const fg_journal_cover cv[] = {{"persons", "_batch", b, NULL, 0},
                                 {"batches", "id", b, NULL, 0},
                                 {"batch_files", "batch", b, NULL, 0}};
  assert_int_equal(fg_journal_append_covered(s, &c->alice, "import.batch", "{}", 2, cv, 3, NULL,
                                             &err),
                   0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  uint8_t root[32];
  int64_t n = 0;
  assert_int_equal(fg_journal_rows_root(s, &cv[0], root, &n, &err), 0);
  assert_int_equal(n, T_BIG_ROWS);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_string_equal(text, "");
  assert_int_equal(rc, 0);
  free(text);
}

#define T_UNLOCK_PERSONS \
  "DROP TRIGGER IF EXISTS persons_no_update; DROP TRIGGER IF EXISTS persons_no_delete; "

static void test_chunk_named_edit(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  char want[128];
  snprintf(want, sizeof want, "第 2 块（每块 %d 行）起不同：现存 rowid %d–%d", FG_JOURNAL_CHUNK_ROWS,
           FG_JOURNAL_CHUNK_ROWS + 1, 2 * FG_JOURNAL_CHUNK_ROWS);
  t_expect(c, T_UNLOCK_PERSONS "UPDATE persons SET name = 'roW' WHERE rowid = 5000", want);
}
static void test_chunk_named_delete(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  char want[160];
  snprintf(want, sizeof want, "日志记录 %d 行，现存 %d 行（第 3 块", T_BIG_ROWS, T_BIG_ROWS - 1);
  t_expect(c, T_UNLOCK_PERSONS "DELETE FROM persons WHERE rowid = 8500", want);
}
static void test_chunk_named_swap(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  /* two rows' contents swapped: same multiset of rows, other order */
  t_expect(c,
           T_UNLOCK_PERSONS "UPDATE persons SET person_id = 'X' WHERE rowid = 3; UPDATE persons SET"
           " person_id = 'P3', name = 'row3', _line = 4 WHERE rowid = 4; UPDATE persons SET"
           " person_id = 'P4', name = 'row4', _line = 5 WHERE rowid = 3;",
           "第 1 块");
}
static void test_chunk_renumbered(void **state) {
  t_ctx *c = *state;
  t_big_group(c);
  /* the last row moved to a new rowid, content unchanged */
  char sql[160];
  snprintf(sql, sizeof sql, T_UNLOCK_PERSONS "UPDATE persons SET rowid = 100000 WHERE rowid = %d", T_BIG_ROWS);
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
  fg_buf_release(&b);
}

static void test_truncation_needs_checkpoint(void **state) {
  t_ctx *c = *state;
  fg_journal_checkpoint cp;
  t_checkpoint(c, &cp);
  int rc;
  t_sql_hidden(c, "journal", "DELETE FROM journal WHERE seq >= 30");
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
  fg_buf_release(&p);
  fg_buf_release(&msg);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, &old, NULL, &rc);
  assert_int_equal(rc, 0);
  free(text);
}

/* Issue 12.1: a row planted with the next entry's number is not covered by
 * that entry: the entry refuses to be signed (even a refused login's), and
 * verify names the row as covered by nobody. */
static void test_preplanted_row_refused(void **state) {
  t_ctx *c = *state;
  fg_store *s = NULL;
  fg_err err = {0};
  int64_t seq = 0;
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_journal_next_seq(s, &seq, &err), 0);
  fg_store_close(s);
  char sql[256];
  snprintf(sql, sizeof sql,
           "INSERT INTO users VALUES ('mallory', 'M', zeroblob(32), 0, %lld, '')", (long long)seq);
  t_sql(c, sql);
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_journal_append(s, &c->platform, "authn.refused", "{}", 2, NULL, &err),
                   FG_EVERIFY);
  assert_non_null(strstr(err.msg, "不是本操作写的"));
  fg_store_rollback(s);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "没有任何日志条目覆盖"));
  free(text);
}

/* Issue 12.2: a validly signed entry that claims rows its act cannot write,
 * or rows another entry covers, is refused by verify. The attacker signs
 * with a key of their own (alice), naming the row count by hand. */
static void test_recover_refused(void **state) {
  t_ctx *c = *state;
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  const fg_journal_cover cv = {"users", "jseq", "1", NULL, 1};
  assert_int_equal(fg_journal_append_covered(s, &c->alice, "person.view", "{}", 2, &cv, 1, NULL,
                                             &err),
                   0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "该操作不能写这张表"));
  free(text);
  /* the same by an act that may write users: a second cover of one group */
  assert_int_equal(fg_store_open(c->db, false, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_journal_append_covered(s, &c->platform, "user.create", "{}", 2, &cv, 1, NULL,
                                             &err),
                   0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
  text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "再次覆盖"));
  free(text);
}

/* Issue 12.3: the schema is checked. A planted trigger makes the store
 * refuse every write (so it never rides on a legitimate act) and verify
 * reports it; a dropped append-only trigger is reported too. */
static void test_schema_checked(void **state) {
  t_ctx *c = *state;
  t_sql(c, "CREATE TRIGGER copy_user AFTER INSERT ON users BEGIN"
           " INSERT INTO users VALUES (new.name || '2', new.display_name, new.public_key,"
           " new.created, new.jseq, new.agency); END;");
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(c->db, false, &s, &err), FG_EVERIFY);
  assert_non_null(strstr(err.msg, "copy_user"));
  int rc;
  char *text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "多出触发器 copy_user"));
  free(text);
  t_sql(c, "DROP TRIGGER copy_user; DROP TRIGGER users_no_delete;");
  text = t_verify(c, NULL, NULL, &rc);
  assert_int_equal(rc, FG_EVERIFY);
  assert_non_null(strstr(text, "缺少触发器 users_no_delete"));
  free(text);
}

/* Issue 12.14: verify reports and exits 1 on any content, never crashes:
 * a 50 MB signature, a NULL key, an absurd row count in a cover line. */
static void test_hostile_content(void **state) {
  t_ctx *c = *state;
  t_expect(c, "UPDATE journal SET sig = randomblob(50000000) WHERE seq = 3", "签名长度不对");
  t_expect(c, "UPDATE journal SET pubkey = x'', leaf_hash = zeroblob(0) WHERE seq = 4", "第 4 条");
  t_expect(c,
           "UPDATE journal SET covers = 'users\tjseq\t1\t9223372036854775807\t'"
           " || lower(hex(randomblob(32))) || '\t' WHERE seq = 1",
           "覆盖范围格式不对");
  t_expect(c, "UPDATE journal SET covers = 'users\tjseq' WHERE seq = 2", "覆盖范围格式不对");
}

int main(void) {
  assert_int_not_equal(sodium_init(), -1);
#define T(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)
  const struct CMUnitTest tests[] = {
      T(test_clean_verifies),      T(test_triggers_refuse),   T(test_payload_byte),
      T(test_signature_replaced),  T(test_entries_swapped),   T(test_entry_deleted),
      T(test_entry_inserted),      T(test_covered_row_edited), T(test_covered_row_inserted),
      T(test_unknown_table),       T(test_key_row_deleted),   T(test_tables_in_parallel),
      T(test_truncation_needs_checkpoint), T(test_rekey_caught), T(test_proofs),
      T(test_chunk_named_edit),    T(test_chunk_named_delete), T(test_chunk_named_swap),
      T(test_chunk_renumbered),    T(test_preplanted_row_refused), T(test_recover_refused),
      T(test_schema_checked),      T(test_hostile_content),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
