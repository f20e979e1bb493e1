/*
 * store_sqlite_util.c — small helpers shared by the store_sqlite_*.c files
 * (declared in store_impl.h): preparing a statement with a formatted error,
 * running a write statement to completion, and walking the rows of a
 * findings query (screen and person areas read findings the same way).
 */
#include "store/store_impl.h"

int fg_sqlite_err(fg_store *s, fg_err *err, const char *what) {
  FG_ASSERT(s != NULL && what != NULL);
  const char *m = s->db ? sqlite3_errmsg(s->db) : "no connection";
  return fg_errf(err, FG_EDB, "数据库错误 (%s): %s", what, m);
}

int fg_sqlite_prep(fg_store *s, const char *sql, sqlite3_stmt **st, const char *what,
                   fg_err *err) {
  FG_ASSERT(s != NULL && s->db != NULL && sql != NULL && st != NULL && what != NULL);
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
    sqlite3_finalize(*st);
    *st = NULL;
    return fg_sqlite_err(s, err, what);
  }
  return 0;
}

int fg_sqlite_done(fg_store *s, sqlite3_stmt *st, const char *what, fg_err *err) {
  FG_ASSERT(s != NULL && st != NULL && what != NULL);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, what);
  sqlite3_finalize(st);
  return rc;
}

int fg_sqlite_findings_step(fg_store *s, sqlite3_stmt *st, fg_store_finding_fn fn, void *ud,
                            fg_err *err) {
  FG_ASSERT(s != NULL && st != NULL && fn != NULL);
  int rc;
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_finding f = {0};
    f.rule = (const char *)sqlite3_column_text(st, 1);
    f.subject_type = (const char *)sqlite3_column_text(st, 2);
    f.subject_id = (const char *)sqlite3_column_text(st, 3);
    f.amount_fen = sqlite3_column_int64(st, 4);
    f.severity = (const char *)sqlite3_column_text(st, 5);
    f.detail = (const char *)sqlite3_column_text(st, 6);
    const char *ev = (const char *)sqlite3_column_text(st, 7);
    if ((ret = fn(ud, sqlite3_column_int64(st, 0), &f, ev ? ev : "")) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "findings");
  sqlite3_finalize(st);
  return ret;
}

void fg_sqlite_append_only(const char *t, fg_buf *ddl) {
  FG_ASSERT(t != NULL && ddl != NULL);
  fg_buf_addf(ddl,
              "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT,"
              " 'fundguard: %s rows are never changed (append-only; corrections go through"
              " review)'); END;\n"
              "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT,"
              " 'fundguard: %s rows are never deleted'); END;\n",
              t, t, t, t, t, t);
}

bool fg_sqlite_has_object(fg_store *s, const char *name) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM main.sqlite_master WHERE name = ?1", -1, &st, NULL) !=
      SQLITE_OK)
    return false;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  const bool found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return found;
}
