/*
 * store_sqlite_review.c — SQLite storage of the effects of reviewed actions
 * (see the "reviewed actions" section of store.h): finding dispositions and
 * amendments of imported rows, plus the lookup of a standard-table row by
 * its key that an amendment needs.
 *
 * Both tables are append-only like the authz tables (triggers refuse UPDATE
 * and DELETE) and every row carries jseq, the journal entry of the review
 * step that wrote it, so `log verify` covers them with no extra code. The
 * standard tables themselves are never touched here: an amendment is a row
 * of its own that names the original row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define FG_REVIEW_SQL_MAX 1024 /* bytes of a generated SELECT */

const char *const fg_sqlite_ddl_review =
    "CREATE TABLE finding_dispositions (id INTEGER PRIMARY KEY,"
    " run INTEGER NOT NULL REFERENCES runs(id), rule TEXT NOT NULL,"
    " subject_id TEXT NOT NULL,"
    " disposition TEXT NOT NULL CHECK (disposition IN ('dismissed_normal')),"
    " reason TEXT NOT NULL, proposal_id INTEGER NOT NULL, proposer TEXT NOT NULL,"
    " reviewer TEXT NOT NULL, approver TEXT, jseq INTEGER NOT NULL);\n"
    "CREATE INDEX finding_dispositions_run ON finding_dispositions(run, rule, subject_id);\n"
    "CREATE TABLE amendments (id INTEGER PRIMARY KEY, table_name TEXT NOT NULL,"
    " row_key TEXT NOT NULL, row_id INTEGER NOT NULL, column_name TEXT NOT NULL,"
    " old_value TEXT, new_value TEXT, reason TEXT NOT NULL, proposal_id INTEGER NOT NULL,"
    " proposer TEXT NOT NULL, reviewer TEXT NOT NULL, approver TEXT,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE INDEX amendments_row ON amendments(table_name, row_id);\n";

static int fg_review_prep(fg_store *s, const char *sql, sqlite3_stmt **st, fg_err *err) {
  return fg_sqlite_prep(s, sql, st, "review prepare", err);
}

static void fg_review_bind_opt(sqlite3_stmt *st, int i, const char *v) {
  if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, i);
}

int fg_store_finding_count(fg_store *s, int64_t run, const char *rule, const char *subject_id,
                           int64_t *n, fg_err *err) {
  FG_ASSERT(rule != NULL && subject_id != NULL && n != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s,
                          "SELECT count(*) FROM findings WHERE run = ?1 AND rule = ?2"
                          " AND subject_id = ?3",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_text(st, 2, rule, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, subject_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st) == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "findings count");
  if (rc == 0) *n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc;
}

int fg_store_disposition_add(fg_store *s, const fg_store_disposition *d, int64_t jseq,
                             fg_err *err) {
  FG_ASSERT(d != NULL && d->rule && d->subject_id && d->disposition && d->reason && d->proposer &&
         d->reviewer && jseq >= 0 && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s,
                          "INSERT INTO finding_dispositions (run, rule, subject_id, disposition,"
                          " reason, proposal_id, proposer, reviewer, approver, jseq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, d->run);
  const char *texts[] = {d->rule, d->subject_id, d->disposition, d->reason};
  for (int i = 0; i < 4; i++) sqlite3_bind_text(st, i + 2, texts[i], -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, d->proposal_id);
  sqlite3_bind_text(st, 7, d->proposer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, d->reviewer, -1, SQLITE_TRANSIENT);
  fg_review_bind_opt(st, 9, d->approver);
  sqlite3_bind_int64(st, 10, jseq);
  return fg_sqlite_done(s, st, "finding_dispositions insert", err);
}

int fg_store_dispositions_each(fg_store *s, int64_t run, fg_store_disposition_fn fn, void *ud,
                               fg_err *err) {
  FG_ASSERT(fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s,
                          "SELECT run, rule, subject_id, disposition, reason, proposal_id,"
                          " proposer, reviewer, approver FROM finding_dispositions"
                          " WHERE run <= ?1 ORDER BY id",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_disposition d = {0};
    d.run = sqlite3_column_int64(st, 0);
    d.rule = (const char *)sqlite3_column_text(st, 1);
    d.subject_id = (const char *)sqlite3_column_text(st, 2);
    d.disposition = (const char *)sqlite3_column_text(st, 3);
    d.reason = (const char *)sqlite3_column_text(st, 4);
    d.proposal_id = sqlite3_column_int64(st, 5);
    d.proposer = (const char *)sqlite3_column_text(st, 6);
    d.reviewer = (const char *)sqlite3_column_text(st, 7);
    d.approver = (const char *)sqlite3_column_text(st, 8);
    if ((ret = fn(ud, &d)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "finding_dispositions");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_amendment_add(fg_store *s, const fg_store_amendment *a, int64_t jseq, fg_err *err) {
  FG_ASSERT(a != NULL && a->table && a->key && a->column && a->reason && a->proposer &&
         a->reviewer && jseq >= 0 && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s,
                          "INSERT INTO amendments (table_name, row_key, row_id, column_name,"
                          " old_value, new_value, reason, proposal_id, proposer, reviewer,"
                          " approver, jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                          " ?11, ?12)",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, a->table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, a->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, a->rowid);
  sqlite3_bind_text(st, 4, a->column, -1, SQLITE_TRANSIENT);
  fg_review_bind_opt(st, 5, a->old_value);
  fg_review_bind_opt(st, 6, a->new_value);
  sqlite3_bind_text(st, 7, a->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 8, a->proposal_id);
  sqlite3_bind_text(st, 9, a->proposer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 10, a->reviewer, -1, SQLITE_TRANSIENT);
  fg_review_bind_opt(st, 11, a->approver);
  sqlite3_bind_int64(st, 12, jseq);
  return fg_sqlite_done(s, st, "amendments insert", err);
}

int fg_store_amendments_each(fg_store *s, const char *table, int64_t rowid,
                             fg_store_amendment_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(table != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s,
                          "SELECT table_name, row_key, row_id, column_name, old_value, new_value,"
                          " reason, proposal_id, proposer, reviewer, approver FROM amendments"
                          " WHERE table_name = ?1 AND (?2 < 0 OR row_id = ?2) ORDER BY id",
                          &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, rowid);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_amendment a = {0};
    const char **texts[] = {&a.table, &a.key, NULL, &a.column, &a.old_value, &a.new_value,
                            &a.reason, NULL, &a.proposer, &a.reviewer, &a.approver};
    for (int i = 0; i < (int)FG_ARRAY_LEN(texts); i++)
      if (texts[i]) *texts[i] = (const char *)sqlite3_column_text(st, i);
    a.rowid = sqlite3_column_int64(st, 2);
    a.proposal_id = sqlite3_column_int64(st, 7);
    if ((ret = fn(ud, &a)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "amendments");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_row_by_key(fg_store *s, fg_table_id t, const fg_value *keys, int64_t *rowid,
                        bool *found, fg_err *err) {
  const fg_table *tab = fg_schema_table(t);
  FG_ASSERT(keys != NULL && rowid != NULL && found != NULL && tab->nkey > 0);
  char sql[FG_REVIEW_SQL_MAX];
  int n = snprintf(sql, sizeof sql, "SELECT max(rowid) FROM %s WHERE ", tab->name);
  for (int k = 0; k < tab->nkey; k++)
    n += snprintf(sql + n, sizeof sql - (size_t)n, "%s%s IS ?%d", k ? " AND " : "",
                  tab->cols[tab->key_cols[k]].name, k + 1);
  FG_ASSERT(n > 0 && (size_t)n < sizeof sql);
  sqlite3_stmt *st = NULL;
  int rc = fg_review_prep(s, sql, &st, err);
  if (rc) return rc;
  for (int k = 0; k < tab->nkey; k++) {
    const fg_column *c = &tab->cols[tab->key_cols[k]];
    if (keys[k].is_null) sqlite3_bind_null(st, k + 1);
    else if (fg_schema_is_int(c->type))
      sqlite3_bind_int64(st, k + 1, keys[k].i);
    else sqlite3_bind_text(st, k + 1, keys[k].s, keys[k].n, SQLITE_TRANSIENT);
  }
  *found = false;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    *found = true;
    *rowid = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "row by key");
}
