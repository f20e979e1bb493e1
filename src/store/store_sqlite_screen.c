/*
 * store_sqlite_screen.c — SQLite storage of the screen area (see
 * store_impl.h and the "screening" section of store.h): screening runs,
 * their findings in sorted order, and each finding's evidence rows.
 *
 * All three tables are append-only (triggers refuse UPDATE and DELETE): a
 * run is a record of what the platform found on a given day, and a rerun is
 * a new run. Findings are inserted with two prepared statements inside the
 * caller's transaction; the store's synchronous=FULL makes the commit
 * durable. Each evidence row repeats its run id, so that one journal entry
 * ("screen.run", journal.h fg_journal_screen_hook) covers a whole run:
 * runs by id, findings and finding_evidence by run.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define FG_SCREEN_BATCH_LIST_BYTES_MAX (1 << 20)

const char *const fg_sqlite_ddl_screen =
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
    " finished_at TEXT NOT NULL, as_of TEXT NOT NULL, rules_run TEXT NOT NULL,"
    " rules_skipped TEXT NOT NULL,"
    " config_sha256 TEXT NOT NULL CHECK (length(config_sha256) = 64),"
    " official INTEGER NOT NULL CHECK (official IN (0, 1)), batches TEXT NOT NULL,"
    " max_batch INTEGER NOT NULL, actor TEXT NOT NULL, nfindings INTEGER NOT NULL,"
    " findings_sha256 TEXT NOT NULL CHECK (length(findings_sha256) = 64),"
    " partial INTEGER NOT NULL CHECK (partial IN (0, 1)),"
    " future INTEGER NOT NULL CHECK (future IN (0, 1)));\n"
    "CREATE TABLE findings (id INTEGER PRIMARY KEY,"
    " run INTEGER NOT NULL REFERENCES runs(id), rule TEXT NOT NULL,"
    " subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, amount_fen INTEGER NOT NULL,"
    " severity TEXT NOT NULL CHECK (severity IN ('high','medium','low')),"
    " detail TEXT NOT NULL);\n"
    "CREATE INDEX findings_run_rule ON findings(run, rule);\n"
    "CREATE TABLE finding_evidence (finding INTEGER NOT NULL REFERENCES findings(id),"
    " table_name TEXT NOT NULL, row_id INTEGER NOT NULL,"
    " run INTEGER NOT NULL REFERENCES runs(id));\n"
    "CREATE INDEX finding_evidence_finding ON finding_evidence(finding);\n"
    "CREATE INDEX finding_evidence_run ON finding_evidence(run);\n";


int fg_store_batches_read(fg_store *s, char **list, int64_t *max_batch, fg_err *err) {
  FG_ASSERT(s && list && max_batch);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s, "SELECT DISTINCT batch FROM batch_files ORDER BY batch", &st, "batches", err);
  if (rc) return rc;
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "");
  *max_batch = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    if (b.len < FG_SCREEN_BATCH_LIST_BYTES_MAX) fg_buf_addf(&b, "%s%lld", b.len ? "," : "", (long long)id);
    if (id > *max_batch) *max_batch = id;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    fg_buf_release(&b);
    return fg_sqlite_err(s, err, "batches");
  }
  *list = fg_buf_detach(&b);
  return 0;
}

int fg_store_run_add(fg_store *s, const fg_store_run *r, int64_t *run_id, fg_err *err) {
  FG_ASSERT(s && r && run_id && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "INSERT INTO runs (started_at, finished_at, as_of, rules_run, rules_skipped,"
      " config_sha256, official, batches, max_batch, actor, nfindings, findings_sha256,"
      " partial, future) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      &st, "runs insert", err);
  if (rc) return rc;
  const char *texts[] = {r->started_at, r->finished_at,   r->as_of,
                         r->rules_run,  r->rules_skipped, r->config_sha256};
  for (int i = 0; i < 6; i++) sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 7, r->official ? 1 : 0);
  sqlite3_bind_text(st, 8, r->batches, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 9, r->max_batch);
  sqlite3_bind_text(st, 10, r->actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 11, r->nfindings);
  sqlite3_bind_text(st, 12, r->findings_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 13, r->partial ? 1 : 0);
  sqlite3_bind_int(st, 14, r->future ? 1 : 0);
  rc = fg_sqlite_done(s, st, "runs insert", err);
  if (rc == 0) *run_id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

static int fg_screen_put_one(fg_store *s, sqlite3_stmt *fs, sqlite3_stmt *es, int64_t run_id,
                             const fg_store_finding *f, fg_err *err) {
  sqlite3_reset(fs);
  sqlite3_bind_int64(fs, 1, run_id);
  sqlite3_bind_text(fs, 2, f->rule, -1, SQLITE_STATIC);
  sqlite3_bind_text(fs, 3, f->subject_type, -1, SQLITE_STATIC);
  sqlite3_bind_text(fs, 4, f->subject_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(fs, 5, f->amount_fen);
  sqlite3_bind_text(fs, 6, f->severity, -1, SQLITE_STATIC);
  sqlite3_bind_text(fs, 7, f->detail ? f->detail : "", -1, SQLITE_STATIC);
  if (sqlite3_step(fs) != SQLITE_DONE) return fg_sqlite_err(s, err, "findings insert");
  int64_t fid = sqlite3_last_insert_rowid(s->db);
  for (int32_t k = 0; k < f->nev; k++) {
    sqlite3_reset(es);
    sqlite3_bind_int64(es, 1, fid);
    sqlite3_bind_text(es, 2, fg_schema_table(f->ev[k].table)->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(es, 3, f->ev[k].rowid);
    sqlite3_bind_int64(es, 4, run_id);
    if (sqlite3_step(es) != SQLITE_DONE) return fg_sqlite_err(s, err, "evidence insert");
  }
  return 0;
}

int fg_store_findings_add(fg_store *s, int64_t run_id, const fg_store_finding *f, int64_t n,
                          fg_err *err) {
  FG_ASSERT(s && (f || n == 0) && n >= 0 && s->tx_depth > 0);
  sqlite3_stmt *fs = NULL, *es = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO findings (run, rule, subject_type, subject_id,"
                          " amount_fen, severity, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          &fs, "findings insert", err);
  if (rc == 0)
    rc = fg_sqlite_prep(s,
                        "INSERT INTO finding_evidence (finding, table_name, row_id, run)"
                        " VALUES (?1, ?2, ?3, ?4)",
                        &es, "evidence insert", err);
  for (int64_t i = 0; rc == 0 && i < n; i++) rc = fg_screen_put_one(s, fs, es, run_id, &f[i], err);
  sqlite3_finalize(fs);
  sqlite3_finalize(es);
  return rc ? rc : fg_store_finding_numbers_assign(s, run_id, err);
}

int fg_store_run_latest(fg_store *s, bool full_official, int64_t *run_id, bool *found,
                        fg_err *err) {
  FG_ASSERT(s && run_id && found);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          full_official ? "SELECT max(id) FROM runs WHERE official = 1"
                                          " AND partial = 0 AND future = 0"
                                        : "SELECT max(id) FROM runs",
                          &st, "runs", err);
  if (rc) return rc;
  *found = false;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *run_id = sqlite3_column_int64(st, 0);
    *found = true;
  }
  sqlite3_finalize(st);
  return 0;
}

static const char *fg_screen_col_dup(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return fg_xstrdup(t ? (const char *)t : "");
}

int fg_store_run_get(fg_store *s, int64_t id, fg_store_run *r, bool *found, fg_err *err) {
  FG_ASSERT(s && r && found);
  memset(r, 0, sizeof *r);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "SELECT id, started_at, finished_at, as_of, rules_run, rules_skipped, config_sha256,"
      " official, batches, max_batch, actor, nfindings, findings_sha256, partial, future"
      " FROM runs WHERE id = ?1",
      &st, "runs", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  *found = false;
  if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    *found = true;
    r->id = sqlite3_column_int64(st, 0);
    r->started_at = fg_screen_col_dup(st, 1);
    r->finished_at = fg_screen_col_dup(st, 2);
    r->as_of = fg_screen_col_dup(st, 3);
    r->rules_run = fg_screen_col_dup(st, 4);
    r->rules_skipped = fg_screen_col_dup(st, 5);
    r->config_sha256 = fg_screen_col_dup(st, 6);
    r->official = sqlite3_column_int(st, 7) != 0;
    r->batches = fg_screen_col_dup(st, 8);
    r->max_batch = sqlite3_column_int64(st, 9);
    r->actor = fg_screen_col_dup(st, 10);
    r->nfindings = sqlite3_column_int64(st, 11);
    r->partial = sqlite3_column_int(st, 13) != 0;
    r->future = sqlite3_column_int(st, 14) != 0;
    r->findings_sha256 = fg_screen_col_dup(st, 12);
    rc = SQLITE_DONE;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "runs");
}

void fg_store_run_release(fg_store_run *r) {
  if (!r) return;
  const char *heap[] = {r->started_at, r->finished_at, r->as_of, r->rules_run, r->rules_skipped,
                        r->config_sha256, r->batches, r->actor, r->findings_sha256};
  for (size_t i = 0; i < FG_ARRAY_LEN(heap); i++) free((void *)heap[i]);
  memset(r, 0, sizeof *r);
}

int fg_store_findings_each(fg_store *s, int64_t run_id, const char *rule,
                           fg_store_finding_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s && fn);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      FG_SQLITE_FINDINGS_SELECT
      " WHERE f.run = ?1 AND (?2 IS NULL OR f.rule = ?2) ORDER BY f.id",
      &st, "findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  if (rule) sqlite3_bind_text(st, 2, rule, -1, SQLITE_STATIC);
  return fg_sqlite_findings_step(s, st, fn, ud, err);
}

static void fg_sqlite_bind_opt(sqlite3_stmt *st, int i, const char *v) {
  if (v != NULL) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

#define FG_SQLITE_FINDINGS_FILTER                                                   \
  " WHERE f.run = ?1 AND (?2 IS NULL OR f.rule = ?2) AND (?3 IS NULL OR"            \
  " f.subject_type = ?3) AND (?4 IS NULL OR f.subject_id = ?4)"

int fg_store_findings_page(fg_store *s, const fg_store_findings_query *q, fg_store_finding_fn fn,
                           void *ud, int64_t *total, fg_err *err) {
  FG_ASSERT(s != NULL && q != NULL && fn != NULL && total != NULL && q->limit > 0);
  sqlite3_stmt *st = NULL;
  int rc;
  if (!q->skip_count) {
    rc = fg_sqlite_prep(s, "SELECT count(*) FROM findings f" FG_SQLITE_FINDINGS_FILTER, &st, "findings",
                        err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, q->run_id);
    fg_sqlite_bind_opt(st, 2, q->rule);
    fg_sqlite_bind_opt(st, 3, q->subject_type);
    fg_sqlite_bind_opt(st, 4, q->subject_id);
    *total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
  }
  /* the page's ids first, then the evidence of those rows only (one
   * query over the run's index would build every row's evidence before
   * sorting and cutting the page) */
  rc = fg_sqlite_prep(s, FG_SQLITE_FINDINGS_SELECT " WHERE f.id IN (SELECT f.id FROM findings f"
                      FG_SQLITE_FINDINGS_FILTER " AND f.id > ?5 ORDER BY f.id LIMIT ?6) ORDER BY f.id",
                      &st, "findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, q->run_id);
  fg_sqlite_bind_opt(st, 2, q->rule);
  fg_sqlite_bind_opt(st, 3, q->subject_type);
  fg_sqlite_bind_opt(st, 4, q->subject_id);
  sqlite3_bind_int64(st, 5, q->after_id);
  sqlite3_bind_int(st, 6, q->limit);
  return fg_sqlite_findings_step(s, st, fn, ud, err);
}

int fg_store_findings_by_rule(fg_store *s, int64_t run_id, fg_store_rule_sum_fn fn, void *ud,
                              fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT rule, count(*), sum(amount_fen) FROM findings WHERE run = ?1"
                          " GROUP BY rule ORDER BY rule",
                          &st, "findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW && rc == 0)
    rc = fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
            sqlite3_column_int64(st, 2));
  if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW) rc = fg_sqlite_err(s, err, "findings");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_runs_each(fg_store *s, fg_store_run_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, "SELECT id FROM runs ORDER BY id", &st, "runs", err);
  if (rc) return rc;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_run r;
    bool found = false;
    if ((rc = fg_store_run_get(s, sqlite3_column_int64(st, 0), &r, &found, err)) != 0) break;
    if (found) rc = fn(ud, &r);
    fg_store_run_release(&r);
    if (rc) break;
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "runs");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_finding_get(fg_store *s, int64_t finding_id, int64_t *run_id,
                         fg_store_finding_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s && fn && run_id);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, "SELECT run FROM findings WHERE id = ?1", &st, "findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, finding_id);
  *run_id = 0;
  if (sqlite3_step(st) == SQLITE_ROW) *run_id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (*run_id == 0) return 0;
  rc = fg_sqlite_prep(s, FG_SQLITE_FINDINGS_SELECT " WHERE f.id = ?1", &st, "findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, finding_id);
  return fg_sqlite_findings_step(s, st, fn, ud, err);
}
