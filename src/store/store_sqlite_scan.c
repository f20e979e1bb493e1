/*
 * store_sqlite_scan.c — bulk reading of the standard tables for the model
 * loader (store.h "screening": fg_store_scan_range, fg_store_rowid_bounds,
 * fg_store_scan_tune).
 *
 * The loader reads every row of every table once, so this path is tuned for
 * throughput: a read connection has a large page cache, only
 * the columns the caller wants are selected, a rowid range lets several
 * connections share one big table, and each value costs one or two
 * sqlite3_column_* calls (a TEXT column is read in place as a blob and asks
 * for the type only when that is empty; an INTEGER column only when it reads
 * as 0).
 */
#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"

/* Bytes of the file a scanning connection memory-maps: none. A mapping
 * saves read() copies, but every page it touched counted in the screening's
 * resident memory until the connection closed (up to 2 GB per connection
 * beside the model being built: 6.3 GiB at a million persons, 5.3 GiB
 * without it), and reading through the page cache measured no slower
 * (docs/benchmarks.md, issue 19). */
#define FG_SCAN_MMAP_BYTES ((int64_t)0)
/* Page cache of a scanning connection, KiB (negative = KiB for SQLite). A
 * scan reads each page once, in rowid order: 64 MiB per connection bought
 * no speed and sat in the screening's peak beside the model being built
 * (two connections; at a million persons 8 MiB lowered the peak by 120-200
 * MiB, docs/benchmarks.md issue 19, ninth session). */
#define FG_SCAN_CACHE_KIB 8192

void fg_store_scan_tune(fg_store *s) {
  FG_ASSERT(s != NULL && s->db != NULL);
  char sql[128];
  snprintf(sql, sizeof sql, "PRAGMA mmap_size=%lld; PRAGMA cache_size=-%d;",
           (long long)FG_SCAN_MMAP_BYTES, FG_SCAN_CACHE_KIB);
  (void)sqlite3_exec(s->db, sql, NULL, NULL, NULL); /* best effort: only speed */
}

/* One rowid of t: the first (desc false) or last; false when t is empty.
 * (min and max in one SELECT would scan the table.) */
static int fg_scan_end_rowid(fg_store *s, const fg_table *t, bool desc, int64_t *rowid,
                             bool *found, fg_err *err) {
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT rowid FROM %s ORDER BY rowid %s LIMIT 1", t->name,
           desc ? "DESC" : "ASC");
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, t->name);
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  if (*found) *rowid = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fg_sqlite_err(s, err, t->name);
  return 0;
}

int fg_store_rowid_bounds(fg_store *s, fg_table_id tid, int64_t *lo, int64_t *hi,
                          fg_err *err) {
  FG_ASSERT(s != NULL && lo != NULL && hi != NULL);
  const fg_table *t = fg_schema_table(tid);
  bool found = false;
  *lo = 1;
  *hi = 0; /* empty */
  int rc = fg_scan_end_rowid(s, t, false, lo, &found, err);
  if (rc == 0 && found) rc = fg_scan_end_rowid(s, t, true, hi, &found, err);
  if (rc == 0 && !found) {
    *lo = 1;
    *hi = 0;
  }
  return rc;
}

/* Fill vals[cols[i]] from result column 1 + i. A TEXT value is read as a
 * blob: its bytes in place, without the copy sqlite3_column_text makes to
 * add a NUL (so s is not NUL-terminated here; n says where it ends). */
static void fg_scan_read(sqlite3_stmt *st, const int *cols, const bool *is_int, int ncols,
                         fg_value *vals) {
  for (int i = 0; i < ncols; i++) {
    fg_value *v = &vals[cols[i]];
    if (is_int[i]) {
      v->i = sqlite3_column_int64(st, 1 + i);
      v->is_null = v->i == 0 && sqlite3_column_type(st, 1 + i) == SQLITE_NULL;
    } else {
      v->s = (const char *)sqlite3_column_blob(st, 1 + i);
      v->n = v->s ? sqlite3_column_bytes(st, 1 + i) : 0;
      if (!v->s) { /* NULL, or an empty value */
        v->is_null = sqlite3_column_type(st, 1 + i) == SQLITE_NULL;
        v->s = v->is_null ? NULL : "";
      } else {
        v->is_null = false;
      }
    }
  }
}

/* fg_store_scan_range (rowids NULL: lo <= rowid <= hi) and
 * fg_store_scan_rowids (the rows rowids[0..n): the same statement run
 * once per rowid, as the range [rowid, rowid]). */
static int fg_scan_rows(fg_store *s, fg_table_id tid, uint32_t col_mask, int64_t lo, int64_t hi,
                        const int64_t *rowids, size_t n, fg_row_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL && (rowids != NULL || lo <= hi));
  const fg_table *t = fg_schema_table(tid);
  FG_ASSERT(t->ncols <= FG_MAX_COLS && FG_MAX_COLS <= 32);
  int cols[FG_MAX_COLS], ncols = 0;
  bool is_int[FG_MAX_COLS];
  fg_value vals[FG_MAX_COLS];
  memset(vals, 0, sizeof vals);
  fg_buf sql = FG_BUF_INIT;
  fg_buf_adds(&sql, "SELECT rowid");
  for (int c = 0; c < t->ncols; c++) {
    vals[c].is_null = true;
    if (!(col_mask & (1u << c))) continue;
    is_int[ncols] = fg_schema_is_int(t->cols[c].type);
    cols[ncols++] = c;
    fg_buf_addf(&sql, ", %s", t->cols[c].name);
  }
  fg_buf_addf(&sql, " FROM %s WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid", t->name);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
  fg_buf_release(&sql);
  if (rc != SQLITE_OK) return fg_sqlite_err(s, err, t->name);
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < (rowids != NULL ? n : 1); i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rowids != NULL ? rowids[i] : lo);
    sqlite3_bind_int64(st, 2, rowids != NULL ? rowids[i] : hi);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      fg_scan_read(st, cols, is_int, ncols, vals);
      ret = fn(ud, sqlite3_column_int64(st, 0), vals);
      if (ret != 0) break;
    }
    if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, t->name);
  }
  sqlite3_finalize(st);
  return ret;
}

int fg_store_scan_range(fg_store *s, fg_table_id tid, uint32_t col_mask, int64_t lo, int64_t hi,
                        fg_row_fn fn, void *ud, fg_err *err) {
  return fg_scan_rows(s, tid, col_mask, lo, hi, NULL, 0, fn, ud, err);
}

int fg_store_scan_rowids(fg_store *s, fg_table_id tid, uint32_t col_mask, const int64_t *rowids,
                         size_t n, fg_row_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(rowids != NULL || n == 0);
  return n == 0 ? 0 : fg_scan_rows(s, tid, col_mask, 0, 0, rowids, n, fn, ud, err);
}
