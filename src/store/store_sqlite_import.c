/*
 * store_sqlite_import.c — SQLite side of import (store.h "import"): batch
 * records, the byte-identical file lookup, the prepared bulk INSERT of
 * standard rows, the by-rowid read used to compare a repeated key with
 * its stored row, and batch_keys (the hashes of each batch's stored keys,
 * store.h).
 *
 * Speed: INSERT statements per table (one row, FG_STORE_INSERT_ROWS rows)
 * are prepared once and reset per use (no clear_bindings);
 * TEXT values are bound SQLITE_STATIC (the caller keeps them alive for the
 * call), so a row costs one b-tree append and no copies on our side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

enum { FG_SQLITE_BULK_CACHE_KIB = 64 * 1024, FG_SQLITE_PARAMS_SAFE_MAX = 999 };
_Static_assert(FG_STORE_INSERT_ROWS * (FG_MAX_COLS + 2) <= FG_SQLITE_PARAMS_SAFE_MAX,
               "a multi-row INSERT must stay within SQLite's parameter limit");

int fg_store_bulk_tune(fg_store *s, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && s->db != NULL);
  char sql[96];
  snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY",
           FG_SQLITE_BULK_CACHE_KIB);
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                : fg_sqlite_err(s, err, "pragma");
}

/* journal_mode as the connection reports it after running sql ("wal",
 * "delete", ...) into out; "" when the statement failed (e.g. busy). */
static void fg_sqlite_journal_mode(fg_store *s, const char *sql, char out[16]) {
  out[0] = '\0';
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
    snprintf(out, 16, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* Switch write-behind (store_sqlite_vfs.c) on or off for s's main file. */
static void fg_store_write_behind(fg_store *s, bool on) {
  const char *env = getenv(FG_SQLITE_WB_ENV);
  if (on && env != NULL && strcmp(env, "0") == 0) return;
  int arg = on ? 1 : 0;
  (void)sqlite3_file_control(s->db, "main", FG_SQLITE_FCNTL_WB, &arg);
}

int fg_store_bulk_journal(fg_store *s, bool bulk, bool *switched) {
  FG_ASSERT_HOT(s != NULL && s->db != NULL && !s->read_only && s->tx_depth == 0);
  if (!bulk) fg_store_write_behind(s, false);
  char mode[16];
  /* Never wait for other connections: if one holds the file, stay in WAL. */
  sqlite3_busy_timeout(s->db, 0);
  fg_sqlite_journal_mode(s, bulk ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL",
                         mode);
  sqlite3_busy_timeout(s->db, FG_STORE_BUSY_TIMEOUT_MS);
  const bool ok = strcmp(mode, bulk ? "delete" : "wal") == 0;
  /* only in rollback mode: there the batch's pages go to the main file */
  if (bulk && ok) fg_store_write_behind(s, true);
  if (switched != NULL) *switched = ok;
  return ok ? 0 : FG_EDB;
}

void fg_sqlite_import_close(fg_store *s) {
  fg_sqlite_monthly_free(s);
  FG_ASSERT_HOT(s != NULL);
  for (int t = 0; t < FG_T_COUNT; t++) {
    sqlite3_finalize(s->insert_stmt[t]);
    sqlite3_finalize(s->insert_many_stmt[t]);
    sqlite3_finalize(s->get_row_stmt[t]);
    s->insert_stmt[t] = NULL;
    s->insert_many_stmt[t] = NULL;
    s->get_row_stmt[t] = NULL;
  }
}

void fg_sqlite_import_reset(fg_store *s) {
  FG_ASSERT_HOT(s != NULL);
  for (int t = 0; t < FG_T_COUNT; t++)
    if (s->get_row_stmt[t] != NULL) sqlite3_reset(s->get_row_stmt[t]);
}

static const char *fg_batch_mode_name(fg_batch_mode m) {
  return m == FG_BATCH_QUARANTINE ? "quarantine" : "atomic";
}

int fg_store_batch_begin(fg_store *s, const char *actor, fg_batch_mode mode,
                         const char *started_at, int64_t *batch_id, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && actor != NULL && started_at != NULL && batch_id != NULL);
  FG_ASSERT_HOT(s->tx_depth > 0 && !s->read_only);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO batches (started_at, actor, mode, status)"
                          " VALUES (?1, ?2, ?3, 'running')",
                          &st, "batches", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, started_at, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, fg_batch_mode_name(mode), -1, SQLITE_STATIC);
  rc = fg_sqlite_done(s, st, "batches", err);
  if (rc == 0) *batch_id = sqlite3_last_insert_rowid(s->db);
  if (rc == 0) fg_sqlite_monthly_begin(s);
  return rc;
}

int fg_store_batch_finish(fg_store *s, int64_t batch_id, const char *status,
                          const char *finished_at, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && status != NULL && finished_at != NULL && batch_id > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, "UPDATE batches SET finished_at = ?1, status = ?2 WHERE id = ?3",
                          &st, "batches", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, finished_at, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, batch_id);
  rc = fg_sqlite_done(s, st, "batches", err);
  FG_ASSERT_HOT(rc != 0 || sqlite3_changes(s->db) == 1);
  if (rc == 0 && strcmp(status, "stored") == 0) rc = fg_sqlite_monthly_write(s, batch_id, err);
  return rc;
}

int fg_store_batch_file_add(fg_store *s, int64_t batch_id, const fg_store_batch_file *f,
                            fg_err *err) {
  FG_ASSERT_HOT(s != NULL && f != NULL && batch_id > 0);
  FG_ASSERT_HOT(f->sha256_hex != NULL && strlen(f->sha256_hex) == 64);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, "INSERT INTO batch_files VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                          &st, "batch_files", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, batch_id);
  sqlite3_bind_text(st, 2, fg_schema_table(f->table)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, f->file_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, f->sha256_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, f->bytes);
  sqlite3_bind_text(st, 6, f->encoding, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, f->rows_read);
  sqlite3_bind_int64(st, 8, f->rows_stored);
  sqlite3_bind_int64(st, 9, f->rows_unchanged);
  sqlite3_bind_int64(st, 10, f->rows_rejected);
  return fg_sqlite_done(s, st, "batch_files", err);
}

/* Step the bound "SELECT 1 FROM batch_files ..." st once: *found when it
 * gave a row. Finalizes st. */
static int fg_batch_files_any(fg_store *s, sqlite3_stmt *st, bool *found, fg_err *err) {
  FG_ASSERT_HOT(st != NULL && found != NULL);
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "batch_files");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_file_imported(fg_store *s, fg_table_id t, const char *sha256_hex, bool *found,
                           fg_err *err) {
  FG_ASSERT_HOT(s != NULL && sha256_hex != NULL && found != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT 1 FROM batch_files WHERE table_name = ?1 AND sha256 = ?2 LIMIT 1",
                          &st, "batch_files", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, fg_schema_table(t)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, sha256_hex, -1, SQLITE_STATIC);
  return fg_batch_files_any(s, st, found, err);
}

int fg_store_file_size_seen(fg_store *s, fg_table_id t, int64_t bytes, bool *seen,
                            fg_err *err) {
  FG_ASSERT_HOT(s != NULL && seen != NULL && bytes >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT 1 FROM batch_files WHERE table_name = ?1 AND bytes = ?2 LIMIT 1",
                          &st, "batch_files", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, fg_schema_table(t)->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, bytes);
  return fg_batch_files_any(s, st, seen, err);
}

/* Parameters of one row: its columns, _batch, _line and, for a keyless
 * table, _digest (vals[ncols].i). */
static int fg_sqlite_insert_params(const fg_table *t) {
  return t->ncols + 2 + (fg_schema_keyless(t) ? 1 : 0);
}

/* INSERT of nrows rows (1 or FG_STORE_INSERT_ROWS) into t, prepared once. */
static sqlite3_stmt *fg_sqlite_insert_stmt(fg_store *s, const fg_table *t, int nrows,
                                           fg_err *err) {
  FG_ASSERT_HOT(nrows == 1 || nrows == FG_STORE_INSERT_ROWS);
  sqlite3_stmt **slot = nrows == 1 ? &s->insert_stmt[t->id] : &s->insert_many_stmt[t->id];
  if (*slot != NULL) return *slot;
  fg_buf sql = FG_BUF_INIT;
  fg_buf_addf(&sql, "INSERT INTO %s (", t->name);
  for (int i = 0; i < t->ncols; i++) fg_buf_addf(&sql, "%s, ", t->cols[i].name);
  fg_buf_addf(&sql, "_batch, _line%s) VALUES ", fg_schema_keyless(t) ? ", " FG_DIGEST_COLUMN : "");
  for (int r = 0; r < nrows; r++) {
    fg_buf_adds(&sql, r ? ", (" : "(");
    for (int i = 0; i < fg_sqlite_insert_params(t); i++) fg_buf_adds(&sql, i ? ", ?" : "?");
    fg_buf_adds(&sql, ")");
  }
  if (sqlite3_prepare_v3(s->db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
    fg_sqlite_err(s, err, t->name);
  fg_buf_release(&sql);
  return *slot;
}

/* Bind one row's values at parameter base+1.. (ncols values, batch, line). */
static void fg_sqlite_bind_row(fg_store *s, sqlite3_stmt *st, const fg_table *t, int base,
                               int64_t batch_id, int64_t line, const fg_value *vals) {
  for (int i = 0; i < t->ncols; i++) {
    const fg_value *v = &vals[i];
    if (v->is_null)
      sqlite3_bind_null(st, base + i + 1);
    else if (fg_schema_is_int(t->cols[i].type))
      sqlite3_bind_int64(st, base + i + 1, v->i);
    else
      sqlite3_bind_text(st, base + i + 1, v->s, v->n, SQLITE_STATIC);
  }
  sqlite3_bind_int64(st, base + t->ncols + 1, batch_id);
  sqlite3_bind_int64(st, base + t->ncols + 2, line);
  fg_sqlite_monthly_row(s, t, vals);
  if (fg_schema_keyless(t)) {
    FG_ASSERT_HOT(vals[t->ncols].n == FG_DIGEST_BYTES);
    sqlite3_bind_blob(st, base + t->ncols + 3, vals[t->ncols].s, FG_DIGEST_BYTES, SQLITE_STATIC);
  }
}

int fg_store_insert(fg_store *s, fg_table_id tid, int64_t batch_id, int64_t line,
                    const fg_value *vals, int64_t *rowid, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && vals != NULL && batch_id > 0 && line > 1);
  FG_ASSERT_HOT(s->tx_depth > 0);
  const fg_table *t = fg_schema_table(tid);
  sqlite3_stmt *st = fg_sqlite_insert_stmt(s, t, 1, err);
  if (st == NULL) return FG_EDB;
  fg_sqlite_bind_row(s, st, t, 0, batch_id, line, vals);
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return fg_sqlite_err(s, err, t->name);
  if (rowid) *rowid = sqlite3_last_insert_rowid(s->db);
  return 0;
}

int fg_store_insert_many(fg_store *s, fg_table_id tid, int64_t batch_id, const int64_t *lines,
                         const fg_value *vals, int nrows, int64_t *rowid_last, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && vals != NULL && lines != NULL && nrows == FG_STORE_INSERT_ROWS);
  FG_ASSERT_HOT(s->tx_depth > 0 && batch_id > 0);
  const fg_table *t = fg_schema_table(tid);
  sqlite3_stmt *st = fg_sqlite_insert_stmt(s, t, nrows, err);
  if (st == NULL) return FG_EDB;
  for (int r = 0; r < nrows; r++)
    fg_sqlite_bind_row(s, st, t, r * fg_sqlite_insert_params(t), batch_id, lines[r],
                       &vals[r * FG_MAX_COLS]);
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return fg_sqlite_err(s, err, t->name);
  if (rowid_last) *rowid_last = sqlite3_last_insert_rowid(s->db);
  return 0;
}

static sqlite3_stmt *fg_sqlite_get_row_stmt(fg_store *s, const fg_table *t, fg_err *err) {
  if (s->get_row_stmt[t->id] != NULL) return s->get_row_stmt[t->id];
  fg_buf sql = FG_BUF_INIT;
  fg_buf_adds(&sql, "SELECT ");
  for (int i = 0; i < t->ncols; i++) fg_buf_addf(&sql, "%s%s", i ? ", " : "", t->cols[i].name);
  fg_buf_addf(&sql, " FROM %s WHERE rowid = ?1", t->name);
  if (sqlite3_prepare_v3(s->db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, &s->get_row_stmt[t->id],
                         NULL) != SQLITE_OK)
    fg_sqlite_err(s, err, t->name);
  fg_buf_release(&sql);
  return s->get_row_stmt[t->id];
}

int fg_store_get_row(fg_store *s, fg_table_id tid, int64_t rowid, fg_value *vals, bool *found,
                     fg_err *err) {
  FG_ASSERT_HOT(s != NULL && vals != NULL && found != NULL);
  const fg_table *t = fg_schema_table(tid);
  sqlite3_stmt *st = fg_sqlite_get_row_stmt(s, t, err);
  if (st == NULL) return FG_EDB;
  sqlite3_reset(st); /* keeps the previous row's text alive until now */
  sqlite3_bind_int64(st, 1, rowid);
  const int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fg_sqlite_err(s, err, t->name);
  if (*found) fg_sqlite_read_vals(st, 0, t, NULL, t->ncols, vals);
  return 0;
}

int fg_store_scan_digests(fg_store *s, fg_table_id tid, fg_store_digest_fn fn, void *ud,
                          fg_err *err) {
  return fg_store_scan_digests_range(s, tid, INT64_MIN, INT64_MAX, fn, ud, err);
}

/* fg_store_scan_digests_range (rowids NULL) and fg_store_scan_digests_rowids
 * (the same statement once per rowid, as the range [rowid, rowid]). */
static int fg_sqlite_digest_rows(fg_store *s, fg_table_id tid, int64_t lo, int64_t hi,
                                 const int64_t *rowids, size_t n, fg_store_digest_fn fn, void *ud,
                                 fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL && (rowids != NULL || lo <= hi));
  const fg_table *t = fg_schema_table(tid);
  FG_ASSERT(fg_schema_keyless(t));
  char sql[192];
  snprintf(sql, sizeof sql,
           "SELECT rowid, " FG_DIGEST_COLUMN " FROM %s WHERE rowid BETWEEN ?1 AND ?2"
           " ORDER BY rowid", t->name);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, sql, &st, t->name, err);
  if (rc) return rc;
  for (size_t i = 0; rc == 0 && i < (rowids != NULL ? n : 1); i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rowids != NULL ? rowids[i] : lo);
    sqlite3_bind_int64(st, 2, rowids != NULL ? rowids[i] : hi);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
      const void *d = sqlite3_column_blob(st, 1);
      if (d == NULL || sqlite3_column_bytes(st, 1) != FG_DIGEST_BYTES) continue; /* verify reports it */
      if ((rc = fn(ud, sqlite3_column_int64(st, 0), d)) != 0) break;
    }
    if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, t->name);
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_scan_digests_range(fg_store *s, fg_table_id tid, int64_t lo, int64_t hi,
                                fg_store_digest_fn fn, void *ud, fg_err *err) {
  return fg_sqlite_digest_rows(s, tid, lo, hi, NULL, 0, fn, ud, err);
}

int fg_store_scan_digests_rowids(fg_store *s, fg_table_id tid, const int64_t *rowids, size_t n,
                                 fg_store_digest_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(rowids != NULL || n == 0);
  return n == 0 ? 0 : fg_sqlite_digest_rows(s, tid, 0, 0, rowids, n, fn, ud, err);
}

/* ---- batch_keys: the hashes of every stored row's key, per batch ---------- */

int fg_store_batch_keys_add(fg_store *s, int64_t batch_id, fg_table_id tid, int64_t first_rowid,
                            const uint64_t *hashes, int64_t rows, fg_err *err) {
  FG_ASSERT_HOT(s != NULL && hashes != NULL && batch_id > 0 && first_rowid > 0);
  FG_ASSERT_HOT(rows > 0 && rows <= FG_STORE_KEY_HASHES_SEG_ROWS && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO batch_keys (batch, table_name, hash_fn, first_rowid, rows,"
                          " hashes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, "batch_keys", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, batch_id);
  sqlite3_bind_text(st, 2, fg_schema_table(tid)->name, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 3, FG_STORE_KEY_HASH_FN);
  sqlite3_bind_int64(st, 4, first_rowid);
  sqlite3_bind_int64(st, 5, rows);
  sqlite3_bind_blob(st, 6, hashes, (int)(rows * (int64_t)sizeof *hashes), SQLITE_STATIC);
  rc = fg_sqlite_done(s, st, "batch_keys", err);
  return rc;
}

int fg_store_batch_keys_list(fg_store *s, fg_table_id tid, fg_store_key_seg **out, size_t *n,
                             fg_err *err) {
  FG_ASSERT(s != NULL && out != NULL && n != NULL);
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT rowid, first_rowid, rows, length(hashes) FROM batch_keys"
                          " WHERE table_name = ?1 AND hash_fn = ?2 ORDER BY first_rowid",
                          &st, "batch_keys", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, fg_schema_table(tid)->name, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, FG_STORE_KEY_HASH_FN);
  size_t cap = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const fg_store_key_seg g = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
    if (*n == FG_STORE_KEY_SEGS_MAX) { /* none: the caller reads the rows */
      free(*out);
      *out = NULL;
      *n = 0;
      break;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      *out = fg_xrealloc(*out, cap * sizeof **out);
    }
    (*out)[(*n)++] = g;
  }
  if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW) rc = fg_sqlite_err(s, err, "batch_keys");
  sqlite3_finalize(st);
  if (rc != 0) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int fg_store_batch_keys_read(fg_store *s, const fg_store_key_seg *g, uint64_t *hashes, bool *ok,
                             fg_err *err) {
  FG_ASSERT(s != NULL && g != NULL && hashes != NULL && ok != NULL);
  *ok = false;
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, "SELECT hashes FROM batch_keys WHERE rowid = ?1", &st, "batch_keys",
                          err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, g->id);
  const int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    const void *b = sqlite3_column_blob(st, 0);
    const int64_t bytes = sqlite3_column_bytes(st, 0);
    if (b != NULL && g->rows > 0 && g->rows <= FG_STORE_KEY_HASHES_SEG_ROWS &&
        bytes == g->rows * (int64_t)sizeof *hashes) {
      memcpy(hashes, b, (size_t)bytes);
      *ok = true;
    }
  } else if (step != SQLITE_DONE) {
    rc = fg_sqlite_err(s, err, "batch_keys");
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_batches_each(fg_store *s, fg_store_batch_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT b.id, b.started_at, coalesce(b.finished_at, ''), b.actor, b.mode,"
                          " b.status, count(f.batch), coalesce(sum(f.rows_read), 0),"
                          " coalesce(sum(f.rows_stored), 0), coalesce(sum(f.rows_unchanged), 0),"
                          " coalesce(sum(f.rows_rejected), 0),"
                          " coalesce(group_concat(f.table_name || ':' || f.encoding, ','), '')"
                          " FROM batches b LEFT JOIN batch_files f ON f.batch = b.id"
                          " GROUP BY b.id ORDER BY b.id",
                          &st, "batches", err);
  if (rc) return rc;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_batch_row b;
    b.id = sqlite3_column_int64(st, 0);
    const char **txt[] = {&b.started_at, &b.finished_at, &b.actor, &b.mode, &b.status};
    for (int i = 0; i < 5; i++) {
      const unsigned char *t = sqlite3_column_text(st, i + 1);
      *txt[i] = t ? (const char *)t : "";
    }
    b.nfiles = sqlite3_column_int64(st, 6);
    b.rows_read = sqlite3_column_int64(st, 7);
    b.rows_stored = sqlite3_column_int64(st, 8);
    b.rows_unchanged = sqlite3_column_int64(st, 9);
    b.rows_rejected = sqlite3_column_int64(st, 10);
    const unsigned char *t = sqlite3_column_text(st, 11);
    b.files = t ? (const char *)t : "";
    if ((rc = fn(ud, &b)) != 0) break;
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "batches");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_row_origin(fg_store *s, fg_table_id tid, int64_t rowid, int64_t *batch,
                        int64_t *line, char *file, size_t file_size, fg_err *err) {
  FG_ASSERT(s != NULL && batch != NULL && line != NULL && file != NULL && file_size > 0);
  const fg_table *t = fg_schema_table(tid);
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT r._batch, r._line, coalesce((SELECT f.file_name FROM batch_files f"
           " WHERE f.batch = r._batch AND f.table_name = '%s'), '') FROM %s r WHERE r.rowid = ?1",
           t->name, t->name);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, sql, &st, t->name, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, rowid);
  *batch = *line = 0;
  file[0] = '\0';
  if (sqlite3_step(st) == SQLITE_ROW) {
    *batch = sqlite3_column_int64(st, 0);
    *line = sqlite3_column_int64(st, 1);
    const unsigned char *f = sqlite3_column_text(st, 2);
    snprintf(file, file_size, "%s", f ? (const char *)f : "");
  }
  sqlite3_finalize(st);
  return 0;
}
