/*
 * store_sqlite_person.c — reads of one person's records for the person view
 * (see the "person" section of store.h): the rows of a standard table with
 * a given person_id, their count, and the findings of a run about the
 * person. Reads only; the caller journals the read ("person.view").
 *
 * The standard tables carry no person index (the importer keeps keys in
 * memory, store_sqlite.c), so each read is one scan of its table: fine for
 * a person looked up by hand, slow on a city of millions of rows.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"

#define FG_PERSON_SQL_MAX 2048    /* bytes of a generated SELECT */
#define FG_PERSON_COLUMN "person_id"

static int fg_person_prep(fg_store *s, const char *sql, sqlite3_stmt **st, fg_err *err) {
  return fg_sqlite_prep(s, sql, st, "person prepare", err);
}

/* The column that names the person: person_id, or operations'
 * subject_person_id (a fixed schema: an assert). */
static const char *fg_person_column(const fg_table *tab) {
  if (fg_schema_col(tab, FG_PERSON_COLUMN) >= 0) return FG_PERSON_COLUMN;
  FG_ASSERT(fg_schema_col(tab, "subject_person_id") >= 0);
  return "subject_person_id";
}

static const fg_table *fg_person_table(fg_table_id t) {
  const fg_table *tab = fg_schema_table(t);
  (void)fg_person_column(tab);
  return tab;
}

int fg_store_person_rows(fg_store *s, fg_table_id t, const char *person_id,
                         const char *order_col, int limit, fg_row_fn fn, void *ud, fg_err *err) {
  const fg_table *tab = fg_person_table(t);
  FG_ASSERT(person_id != NULL && fn != NULL && limit >= 0);
  FG_ASSERT(order_col == NULL || fg_schema_col(tab, order_col) >= 0);
  char sql[FG_PERSON_SQL_MAX];
  int n = snprintf(sql, sizeof sql, "SELECT rowid");
  for (int c = 0; c < tab->ncols; c++)
    n += snprintf(sql + n, sizeof sql - (size_t)n, ", %s", tab->cols[c].name);
  n += snprintf(sql + n, sizeof sql - (size_t)n, " FROM %s WHERE %s = ?1 ORDER BY %s%s rowid DESC",
                tab->name, fg_person_column(tab), order_col ? order_col : "",
                order_col ? " DESC," : "");
  if (limit > 0) n += snprintf(sql + n, sizeof sql - (size_t)n, " LIMIT %d", limit);
  FG_ASSERT(n > 0 && (size_t)n < sizeof sql);
  sqlite3_stmt *st = NULL;
  int rc = fg_person_prep(s, sql, &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, person_id, -1, SQLITE_TRANSIENT);
  fg_value vals[FG_MAX_COLS];
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_sqlite_read_vals(st, 1, tab, NULL, tab->ncols, vals); /* after the rowid */
    if ((ret = fn(ud, sqlite3_column_int64(st, 0), vals)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, tab->name);
  sqlite3_finalize(st);
  return ret;
}

int fg_store_person_count(fg_store *s, fg_table_id t, const char *person_id, int64_t *n,
                          fg_err *err) {
  const fg_table *tab = fg_person_table(t);
  FG_ASSERT(person_id != NULL && n != NULL);
  char sql[FG_PERSON_SQL_MAX];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?1", tab->name,
           fg_person_column(tab));
  sqlite3_stmt *st = NULL;
  int rc = fg_person_prep(s, sql, &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, person_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st) == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, tab->name);
  if (rc == 0) *n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc;
}

int fg_store_person_findings(fg_store *s, int64_t run, const char *person_id,
                             fg_store_finding_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(person_id != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_person_prep(s,
                          FG_SQLITE_FINDINGS_SELECT
                          " WHERE f.run = ?1 AND f.subject_type = 'person' AND f.subject_id = ?2"
                          " ORDER BY f.id",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_text(st, 2, person_id, -1, SQLITE_TRANSIENT);
  return fg_sqlite_findings_step(s, st, fn, ud, err);
}
