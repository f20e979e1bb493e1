/*
 * store_impl.h — private to src/store/: the SQLite representation of a
 * store, shared by the store_sqlite_*.c files. Nothing outside src/store/
 * includes this header.
 *
 * Each area keeps its SQL in its own file and contributes its tables'
 * DDL (CREATE TABLE ... statements, run once by the migration that creates
 * schema version 1; later versions append migrations in store_sqlite.c):
 *   store_sqlite.c         core, standard tables, batches (import)
 *   store_sqlite_screen.c  screening runs and findings
 *   store_sqlite_config.c  stored configuration
 *   store_sqlite_journal.c journal entries, tree heads
 *   store_sqlite_authz.c   users, roles, keys, proposals
 *   store_sqlite_review.c  effects of reviewed actions: finding dispositions,
 *                          amendments of imported rows, lookup by key
 *   store_sqlite_person.c  reads of one person's records (person view)
 *   store_sqlite_util.c    helpers the files above share (declared below)
 */
#ifndef FG_STORE_STORE_IMPL_H
#define FG_STORE_STORE_IMPL_H

#include <sqlite3.h>

#include "store/store.h"

/* How long a connection waits for another one's lock. */
#define FG_STORE_BUSY_TIMEOUT_MS 30000

struct fg_store {
  sqlite3 *db;
  char *path;
  bool read_only;
  int tx_depth;
  /* import: prepared per standard table on first use, finalized at close */
  sqlite3_stmt *insert_stmt[FG_T_COUNT];
  sqlite3_stmt *insert_many_stmt[FG_T_COUNT]; /* FG_STORE_INSERT_ROWS rows */
  sqlite3_stmt *get_row_stmt[FG_T_COUNT];
  /* journal: tables holding a given column (the schema is fixed once the
   * store is open, so the answer is cached; every append asks for it) */
  bool colcache_valid;
  char colcache_key[32];
  char **colcache_names;
  int colcache_n;
  /* rows this transaction wrote, per table (sqlite3_update_hook; see
   * store_sqlite_guard.c): what a journal entry may cover */
  fg_store_written written[FG_STORE_WRITTEN_TABLES_MAX];
  int nwritten;
  bool written_overflow;
  const char *written_last_name; /* SQLite's table name pointer, fast path */
  int written_last;
};

/* Install the write tracker on a new connection (store_sqlite_guard.c). */
void fg_sqlite_guard_attach(fg_store *s);
/* Forget what the finished transaction wrote. */
void fg_sqlite_guard_reset(fg_store *s);
/* Apply the forward migrations to s (store_sqlite.c); the guard builds
 * the expected schema with it on an in-memory database. */
int fg_sqlite_migrate_all(fg_store *s, fg_err *err);
int fg_sqlite_connect(const char *path, bool read_only, bool create, fg_store **out,
                      fg_err *err);

/* Finalize the statements the import area prepared (called by close). */
void fg_sqlite_import_close(fg_store *s);
/* Reset (not finalize) them, so no read is pending at commit/rollback. */
void fg_sqlite_import_reset(fg_store *s);

extern const char *const fg_sqlite_ddl_screen;
extern const char *const fg_sqlite_ddl_config;
extern const char *const fg_sqlite_ddl_journal;
extern const char *const fg_sqlite_ddl_authz;
extern const char *const fg_sqlite_ddl_review;

/* Free what the journal area cached (called by close). */
void fg_sqlite_journal_close(fg_store *s);

/* Format the current SQLite error into err and return FG_EDB. */
int fg_sqlite_err(fg_store *s, fg_err *err, const char *what);

/* DDL of the two triggers that make table t append-only (UPDATE and DELETE
 * are refused); t is a string literal. */
#define FG_SQLITE_APPEND_ONLY(t)                                                          \
  "CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t " BEGIN SELECT RAISE(ABORT,"     \
  " 'fundguard: " t " rows are never changed (append-only; changes go through review)');" \
  " END;\n"                                                                               \
  "CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t " BEGIN SELECT RAISE(ABORT,"     \
  " 'fundguard: " t " rows are never deleted');"                                          \
  " END;\n"

/* Prepare sql into *st; on failure *st is NULL and err says what (FG_EDB). */
int fg_sqlite_prep(fg_store *s, const char *sql, sqlite3_stmt **st, const char *what,
                   fg_err *err);
/* Step a write statement once and finalize it: 0 when it ran to
 * SQLITE_DONE, else FG_EDB with err naming what. */
int fg_sqlite_done(fg_store *s, sqlite3_stmt *st, const char *what, fg_err *err);

/* The columns of a findings query that fg_sqlite_findings_step reads: id,
 * rule, subject_type, subject_id, amount_fen, severity, detail, evidence
 * ("table:rowid;..."), from findings aliased f. Append the WHERE clause. */
#define FG_SQLITE_FINDINGS_SELECT                                                           \
  "SELECT f.id, f.rule, f.subject_type, f.subject_id, f.amount_fen, f.severity, f.detail," \
  " (SELECT group_concat(e, ';') FROM (SELECT table_name || ':' || row_id AS e"           \
  "   FROM finding_evidence WHERE finding = f.id ORDER BY rowid))"                         \
  " FROM findings f"

/* Call fn for each row of the prepared, bound findings query st (see
 * FG_SQLITE_FINDINGS_SELECT), stopping at fn's first nonzero return;
 * finalizes st. */
int fg_sqlite_findings_step(fg_store *s, sqlite3_stmt *st, fg_store_finding_fn fn, void *ud,
                            fg_err *err);

#endif
