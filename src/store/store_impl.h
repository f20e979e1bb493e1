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
 *   store_sqlite_cases.c   finding numbers, cases and their events, the
 *                          monthly report's fund figures (version 3)
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
  /* rows this transaction wrote, per table (sqlite3_update_hook; see
   * store_sqlite_guard.c): what a journal entry may cover */
  fg_store_written written[FG_STORE_WRITTEN_TABLES_MAX];
  int nwritten;
  bool written_overflow;
  const char *written_last_name; /* SQLite's table name pointer, fast path */
  int written_last;
  /* the monthly sums of the batch being imported (store_sqlite_cases.c) */
  struct fg_sqlite_monthly *monthly;
  /* a finding's stable number, asked once per finding of a page
   * (store_sqlite_cases.c): prepared once, reset after each use */
  sqlite3_stmt *finding_no_stmt;
};
/* Monthly sums of an import batch (batch_monthly, store_sqlite_cases.c):
 * begin at the batch's start, add each inserted row, write at its finish
 * (status "stored"), free at close. */
void fg_sqlite_monthly_begin(fg_store *s);
void fg_sqlite_monthly_row(fg_store *s, const fg_table *t, const fg_value *vals);
int fg_sqlite_monthly_write(fg_store *s, int64_t batch_id, fg_err *err);
void fg_sqlite_monthly_free(fg_store *s);

/* Install the write tracker on a new connection (store_sqlite_guard.c). */
void fg_sqlite_guard_attach(fg_store *s);
/* Forget what the finished transaction wrote. */
void fg_sqlite_guard_reset(fg_store *s);
/* Apply the forward migrations to s (store_sqlite.c); the guard builds
 * the expected schema with it on an in-memory database. */
int fg_sqlite_migrate_all(fg_store *s, fg_err *err);
int fg_sqlite_connect(const char *path, bool read_only, bool create, fg_store **out,
                      fg_err *err);

/* The write-behind VFS (store_sqlite_vfs.c): its name once registered (NULL
 * when it could not be: connections then use SQLite's default VFS; the first
 * call also configures SQLite for the process), and the
 * file control that switches it on (*(int *)arg = 1) or off (0, after every
 * queued write is made; returns the first failed write) for a connection's
 * main file. Set FUNDGUARD_WRITE_BEHIND=0 to never switch it on. */
#define FG_SQLITE_VFS_NAME "fg-wb"
#define FG_SQLITE_FCNTL_WB 0x46475742
#define FG_SQLITE_WB_ENV "FUNDGUARD_WRITE_BEHIND"
const char *fg_sqlite_vfs(void);
/* Pages this process ever handed to a write-behind queue (tests). */
uint64_t fg_sqlite_wb_pages(void);

/* Fill vals[i] from result column first + i of st according to the schema
 * type of t's column cols[i] (cols NULL: column i), for i < ncols: text is
 * SQLite's, valid until st steps or resets. */
void fg_sqlite_read_vals(sqlite3_stmt *st, int first, const fg_table *t, const int *cols,
                         int ncols, fg_value *vals);

/* Finalize the statements the import area prepared (called by close). */
void fg_sqlite_import_close(fg_store *s);
/* Reset (not finalize) them, so no read is pending at commit/rollback. */
void fg_sqlite_import_reset(fg_store *s);

extern const char *const fg_sqlite_ddl_screen;
extern const char *const fg_sqlite_ddl_config;
extern const char *const fg_sqlite_ddl_journal;
extern const char *const fg_sqlite_ddl_authz;
extern const char *const fg_sqlite_ddl_review;
extern const char *const fg_sqlite_ddl_cases;


/* Format the current SQLite error into err and return FG_EDB. */
int fg_sqlite_err(fg_store *s, fg_err *err, const char *what);

/* Append to ddl the two triggers that make table t append-only (UPDATE
 * and DELETE refused): the one text every append-only table of the store
 * gets, generated by the migrations (store_sqlite.c). */
void fg_sqlite_append_only(const char *t, fg_buf *ddl);
/* Whether sqlite_master names an object (table, index, trigger) so. */
bool fg_sqlite_has_object(fg_store *s, const char *name);

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
