/*
 * store_sqlite_guard.c — two defences of the store against an insider who
 * can write the database file (store.h "core"; docs/security.md):
 *
 *   1. The write tracker. SQLite's update hook reports every row the
 *      connection inserts, updates or deletes, including rows written by
 *      triggers. The store counts them per table for the open transaction,
 *      and the journal covers exactly those rows: a row planted ahead of time
 *      with the next entry's number is not something the act wrote, so the
 *      entry refuses to be signed over it (journal.c).
 *
 *   2. The schema check. The expected schema is not a list kept by hand: it
 *      is what the code's own migrations create, derived afresh on an
 *      in-memory database and compared object by object (type, name, table,
 *      SQL text) with the file's sqlite_master. A planted trigger, view or
 *      index, or a dropped append-only trigger, is a difference; a store
 *      with one is refused for writing and reported by `log verify`.
 *
 * SQLite's own objects (names starting with sqlite_) are left out of the
 * comparison: they are derived from the tables' SQL, which is compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

/* ---- write tracker ------------------------------------------------------ */

static void fg_guard_hook(void *ud, int op, const char *db, const char *table, sqlite3_int64 rowid) {
  (void)rowid;
  fg_store *s = ud;
  int i = 0;
  if (table == s->written_last_name && s->written_last < s->nwritten) { /* bulk import */
    i = s->written_last;
    goto count;
  }
  if (strcmp(db, "main") != 0) return; /* temp tables are not the store */
  while (i < s->nwritten && strcmp(s->written[i].table, table) != 0) i++;
  if (i == s->nwritten) {
    if (s->nwritten == FG_STORE_WRITTEN_TABLES_MAX || strlen(table) >= sizeof s->written[0].table) {
      s->written_overflow = true;
      return;
    }
    memset(&s->written[i], 0, sizeof s->written[i]);
    snprintf(s->written[i].table, sizeof s->written[i].table, "%s", table);
    s->nwritten++;
  }
  s->written_last_name = table, s->written_last = i;
count:
  if (op == SQLITE_INSERT) s->written[i].inserted++;
  else if (op == SQLITE_UPDATE) s->written[i].updated++;
  else s->written[i].deleted++;
}

void fg_sqlite_guard_attach(fg_store *s) {
  FG_ASSERT(s != NULL && s->db != NULL);
  sqlite3_update_hook(s->db, fg_guard_hook, s);
}

void fg_sqlite_guard_reset(fg_store *s) {
  s->nwritten = 0;
  s->written_last_name = NULL;
  s->written_overflow = false;
}

void fg_store_tx_written_reset(fg_store *s) {
  FG_ASSERT(s != NULL);
  fg_sqlite_guard_reset(s);
}

const fg_store_written *fg_store_tx_written(fg_store *s, int *n, bool *overflow) {
  FG_ASSERT(s != NULL && n != NULL);
  *n = s->nwritten;
  if (overflow) *overflow = s->written_overflow;
  return s->written;
}

int64_t fg_store_tx_inserted(fg_store *s, const char *table) {
  for (int i = 0; i < s->nwritten; i++)
    if (strcmp(s->written[i].table, table) == 0) return s->written[i].inserted;
  return 0;
}

/* ---- schema check -------------------------------------------------------- */

enum { FG_GUARD_OBJECTS_MAX = 1024 };

typedef struct fg_guard_obj {
  char *type, *name, *tbl, *sql;
} fg_guard_obj;

typedef struct fg_guard_schema {
  fg_guard_obj *o;
  int n;
} fg_guard_schema;

static char *fg_guard_col(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return fg_xstrdup(t ? (const char *)t : "");
}

static int fg_guard_read(fg_store *s, fg_guard_schema *out, fg_err *err) {
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT type, name, tbl_name, sql FROM main.sqlite_master"
                          " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
                          &st, "读取数据库结构", err);
  if (rc) return rc;
  out->o = fg_xcalloc(FG_GUARD_OBJECTS_MAX, sizeof *out->o);
  out->n = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (out->n == FG_GUARD_OBJECTS_MAX) {
      rc = fg_errf(err, FG_ELIMIT, "数据库结构对象超过 %d 个", FG_GUARD_OBJECTS_MAX);
      break;
    }
    fg_guard_obj *o = &out->o[out->n++];
    o->type = fg_guard_col(st, 0), o->name = fg_guard_col(st, 1);
    o->tbl = fg_guard_col(st, 2), o->sql = fg_guard_col(st, 3);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "读取数据库结构");
  sqlite3_finalize(st);
  return rc;
}

static void fg_guard_free(fg_guard_schema *g) {
  for (int i = 0; i < g->n; i++)
    free(g->o[i].type), free(g->o[i].name), free(g->o[i].tbl), free(g->o[i].sql);
  free(g->o);
  g->o = NULL, g->n = 0;
}

/* The schema the migrations make, on an in-memory database. */
static int fg_guard_expected(fg_guard_schema *out, fg_err *err) {
  fg_store *m = NULL;
  int rc = fg_sqlite_connect(":memory:", false, true, &m, err);
  if (rc == 0) rc = fg_sqlite_migrate_all(m, err);
  if (rc == 0) rc = fg_guard_read(m, out, err);
  fg_store_close(m);
  return rc;
}

static const fg_guard_obj *fg_guard_find(const fg_guard_schema *g, const fg_guard_obj *o) {
  for (int i = 0; i < g->n; i++)
    if (strcmp(g->o[i].type, o->type) == 0 && strcmp(g->o[i].name, o->name) == 0) return &g->o[i];
  return NULL;
}

static const char *fg_guard_type_zh(const char *type) {
  if (strcmp(type, "table") == 0) return "表";
  if (strcmp(type, "index") == 0) return "索引";
  if (strcmp(type, "trigger") == 0) return "触发器";
  if (strcmp(type, "view") == 0) return "视图";
  return type;
}

static void fg_guard_line(fg_buf *report, int *problems, const char *fmt, const fg_guard_obj *o) {
  (*problems)++;
  if (report == NULL) return;
  fg_buf_addf(report, fmt, fg_guard_type_zh(o->type), o->name, o->tbl);
  fg_buf_addc(report, '\n');
}

int fg_store_schema_check(fg_store *s, fg_buf *report, int *problems, fg_err *err) {
  FG_ASSERT(s != NULL && problems != NULL);
  *problems = 0;
  fg_guard_schema want = {0}, have = {0};
  int rc = fg_guard_expected(&want, err);
  if (rc == 0) rc = fg_guard_read(s, &have, err);
  for (int i = 0; rc == 0 && i < have.n; i++) {
    const fg_guard_obj *o = &have.o[i], *w = fg_guard_find(&want, o);
    if (w == NULL)
      fg_guard_line(report, problems, "数据库结构：多出%s %s（属于 %s），不是本程序建立的", o);
    else if (strcmp(w->sql, o->sql) != 0 || strcmp(w->tbl, o->tbl) != 0)
      fg_guard_line(report, problems, "数据库结构：%s %s（属于 %s）的定义被改动", o);
  }
  for (int i = 0; rc == 0 && i < want.n; i++)
    if (fg_guard_find(&have, &want.o[i]) == NULL)
      fg_guard_line(report, problems, "数据库结构：缺少%s %s（属于 %s），已被删除", &want.o[i]);
  fg_guard_free(&want);
  fg_guard_free(&have);
  return rc;
}
