/*
 * store_sqlite_journal.c — SQLite storage of the journal area (see
 * store_impl.h and store.h "journal"): the append-only `journal` table, the
 * `platform_keys` table, triggers that refuse UPDATE and DELETE on them and
 * on the standard (fact) tables, and the generic row access that `log
 * verify` uses to account for every row of every table (journal/journal.h
 * and docs/journal.md say what the rows mean; no SQL exists elsewhere).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

const char *const fg_sqlite_ddl_journal =
    "CREATE TABLE journal (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, payload TEXT NOT NULL, covers TEXT NOT NULL,"
    " pubkey BLOB NOT NULL, sig BLOB NOT NULL, leaf_hash BLOB NOT NULL);\n"
    "CREATE TABLE platform_keys (id INTEGER PRIMARY KEY, pubkey BLOB NOT NULL,"
    " created TEXT NOT NULL, jseq INTEGER NOT NULL);\n";

/* Identifiers come from sqlite_master (an attacker may name a table
 * anything): always quoted. */
static void fg_j_ident(fg_buf *b, const char *name) {
  fg_buf_addc(b, '"');
  for (const char *p = name; *p; p++) {
    if (*p == '"') fg_buf_addc(b, '"');
    fg_buf_addc(b, *p);
  }
  fg_buf_addc(b, '"');
}

int fg_store_journal_insert(fg_store *s, const fg_store_journal_row *r, fg_err *err) {
  FG_ASSERT(s != NULL && r != NULL && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO journal (seq, at, actor, action, payload, covers, pubkey,"
                         " sig, leaf_hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                         -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "journal insert");
  sqlite3_bind_int64(st, 1, r->seq);
  sqlite3_bind_text(st, 2, r->at, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, r->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, r->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, r->payload, (int)r->payload_len, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, r->covers, (int)r->covers_len, SQLITE_STATIC);
  sqlite3_bind_blob(st, 7, r->pubkey, (int)r->pubkey_len, SQLITE_STATIC);
  sqlite3_bind_blob(st, 8, r->sig, (int)r->sig_len, SQLITE_STATIC);
  sqlite3_bind_blob(st, 9, r->leaf, (int)r->leaf_len, SQLITE_STATIC);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "journal insert");
  sqlite3_finalize(st);
  return rc;
}

static int fg_j_int_query(fg_store *s, const char *sql, int64_t *out, fg_err *err) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "journal query");
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "journal query");
}

int fg_store_journal_next_seq(fg_store *s, int64_t *seq, fg_err *err) {
  FG_ASSERT(s != NULL && seq != NULL);
  return fg_j_int_query(s, "SELECT coalesce(max(seq) + 1, 0) FROM journal", seq, err);
}

int fg_store_journal_count(fg_store *s, int64_t *n, fg_err *err) {
  FG_ASSERT(s != NULL && n != NULL);
  return fg_j_int_query(s, "SELECT count(*) FROM journal", n, err);
}

int fg_store_data_version(fg_store *s, int64_t *v, fg_err *err) {
  FG_ASSERT(s != NULL && v != NULL);
  return fg_j_int_query(s, "PRAGMA data_version", v, err);
}

int fg_store_journal_last_with(fg_store *s, const char *action, const char *needle,
                               char **payload, int64_t *seq, bool *found, fg_err *err) {
  FG_ASSERT(s != NULL && action != NULL && needle != NULL && payload != NULL && found != NULL);
  *payload = NULL;
  *found = false;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT payload, seq FROM journal WHERE action = ?1 AND instr(payload, ?2) > 0"
                         " ORDER BY seq DESC LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "journal last");
  sqlite3_bind_text(st, 1, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, needle, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    *payload = fg_xstrdup(t ? t : "");
    if (seq) *seq = sqlite3_column_int64(st, 1);
    *found = true;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "journal last");
}

int fg_store_journal_scan(fg_store *s, int64_t from_seq, fg_store_journal_fn fn, void *ud,
                          fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT seq, at, actor, action, payload, covers, pubkey, sig, leaf_hash"
                         " FROM journal WHERE seq >= ?1 ORDER BY seq",
                         -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "journal scan");
  sqlite3_bind_int64(st, 1, from_seq);
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_journal_row r = {0};
    r.seq = sqlite3_column_int64(st, 0);
    r.at = (const char *)sqlite3_column_text(st, 1);
    r.actor = (const char *)sqlite3_column_text(st, 2);
    r.action = (const char *)sqlite3_column_text(st, 3);
    r.payload = (const char *)sqlite3_column_text(st, 4);
    r.payload_len = (size_t)sqlite3_column_bytes(st, 4);
    r.covers = (const char *)sqlite3_column_text(st, 5);
    r.covers_len = (size_t)sqlite3_column_bytes(st, 5);
    r.pubkey = sqlite3_column_blob(st, 6);
    r.pubkey_len = (size_t)sqlite3_column_bytes(st, 6);
    r.sig = sqlite3_column_blob(st, 7);
    r.sig_len = (size_t)sqlite3_column_bytes(st, 7);
    r.leaf = sqlite3_column_blob(st, 8);
    r.leaf_len = (size_t)sqlite3_column_bytes(st, 8);
    if (!r.at) r.at = "";
    if (!r.actor) r.actor = "";
    if (!r.action) r.action = "";
    if (!r.payload) r.payload = "";
    if (!r.covers) r.covers = "";
    rc = fn(ud, &r);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "journal scan");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_platform_key_add(fg_store *s, const uint8_t pk[32], const char *created, int64_t jseq,
                              fg_err *err) {
  FG_ASSERT(s != NULL && pk != NULL && created != NULL && jseq >= 0);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "INSERT INTO platform_keys (pubkey, created, jseq) VALUES (?1,?2,?3)",
                         -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "platform key");
  sqlite3_bind_blob(st, 1, pk, 32, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, created, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, jseq);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "platform key");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_platform_key_get(fg_store *s, uint8_t pk[32], bool *found, fg_err *err) {
  FG_ASSERT(s != NULL && pk != NULL && found != NULL);
  *found = false;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, "SELECT pubkey FROM platform_keys ORDER BY id LIMIT 1", -1, &st,
                         NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "platform key");
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
    memcpy(pk, sqlite3_column_blob(st, 0), 32);
    *found = true;
  }
  sqlite3_finalize(st);
  return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "platform key");
}

int fg_store_tables(fg_store *s, char ***names, int *n, fg_err *err) {
  FG_ASSERT(s != NULL && names != NULL && n != NULL);
  *names = NULL;
  *n = 0;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "SELECT name FROM sqlite_master WHERE type = 'table'"
                         " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                         -1, &st, NULL) != SQLITE_OK)
    return fg_sqlite_err(s, err, "table list");
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    *names = fg_xrealloc(*names, (size_t)(*n + 1) * sizeof **names);
    (*names)[(*n)++] = fg_xstrdup((const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return step == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "table list");
}

static void fg_j_cells(sqlite3_stmt *st, int first, int ncols, fg_store_cell *cells) {
  for (int c = 0; c < ncols; c++) {
    fg_store_cell *x = &cells[c];
    memset(x, 0, sizeof *x);
    switch (sqlite3_column_type(st, first + c)) {
    case SQLITE_NULL: x->type = 'N'; break;
    case SQLITE_INTEGER: x->type = 'I'; x->i = sqlite3_column_int64(st, first + c); break;
    case SQLITE_FLOAT: x->type = 'R'; x->r = sqlite3_column_double(st, first + c); break;
    case SQLITE_BLOB:
      x->type = 'B';
      x->p = sqlite3_column_blob(st, first + c);
      x->n = sqlite3_column_bytes(st, first + c);
      break;
    default:
      x->type = 'T';
      x->p = sqlite3_column_text(st, first + c);
      x->n = sqlite3_column_bytes(st, first + c);
      break;
    }
  }
}

static void fg_j_rows_sql(fg_buf *b, const char *table, const char *column, const char *value,
                          bool by_group) {
  fg_buf_adds(b, "SELECT rowid, ");
  if (column && *column) {
    fg_buf_adds(b, "CAST(");
    fg_j_ident(b, column);
    fg_buf_adds(b, " AS TEXT)");
  } else {
    fg_buf_adds(b, "''");
  }
  fg_buf_adds(b, ", * FROM ");
  fg_j_ident(b, table);
  if (column && *column && value) {
    fg_buf_adds(b, " WHERE ");
    fg_j_ident(b, column);
    fg_buf_adds(b, " = ?1");
  }
  if (column && *column && !value && by_group) {
    fg_buf_adds(b, " ORDER BY ");
    fg_j_ident(b, column);
    fg_buf_adds(b, ", rowid");
  } else {
    fg_buf_adds(b, " ORDER BY rowid");
  }
}

static int fg_j_rows(fg_store *s, const char *table, const char *column, const char *value,
                     bool by_group, fg_store_cells_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && table != NULL && fn != NULL);
  fg_buf b = FG_BUF_INIT;
  fg_j_rows_sql(&b, table, column, value, by_group);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, b.buf, -1, &st, NULL) != SQLITE_OK) {
    fg_buf_release(&b);
    return fg_sqlite_err(s, err, table);
  }
  fg_buf_release(&b);
  if (column && *column && value) {
    char *end = NULL;
    long long iv = strtoll(value, &end, 10);
    if (*value && end && *end == '\0') sqlite3_bind_int64(st, 1, iv);
    else sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
  }
  const int ncols = sqlite3_column_count(st) - 2;
  FG_ASSERT(ncols >= 0);
  fg_store_cell *cells = fg_xcalloc((size_t)ncols + 1, sizeof *cells);
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *group = (const char *)sqlite3_column_text(st, 1);
    fg_j_cells(st, 2, ncols, cells);
    rc = fn(ud, group ? group : "", sqlite3_column_int64(st, 0), cells, ncols);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, table);
  sqlite3_finalize(st);
  free(cells);
  return rc;
}

int fg_store_rows_by(fg_store *s, const char *table, const char *column, const char *value,
                     fg_store_cells_fn fn, void *ud, fg_err *err) {
  return fg_j_rows(s, table, column, value, true, fn, ud, err);
}

int fg_store_rows_grouped(fg_store *s, const char *table, const char *column,
                          fg_store_cells_fn fn, void *ud, fg_err *err) {
  return fg_j_rows(s, table, column, NULL, false, fn, ud, err);
}
