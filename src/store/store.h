/*
 * store.h — the one interface through which fundguard reaches its storage.
 *
 * The domain (import, screen, journal, authz, cases) calls only these
 * functions; no SQL text exists outside src/store/. The embedded default is
 * SQLite (store_sqlite*.c): a plain SQLite 3 file in WAL mode with
 * synchronous=FULL, so a commit that returned is on disk. A PostgreSQL
 * backend would implement the same functions (the fg_store_ops table in
 * store_impl.h) without any change above this line.
 *
 * Layout of the store:
 *   - one table per table of the data standard, same table and column names
 *     (schema.h gives the types), plus bookkeeping columns prefixed `_`
 *     (_batch: the batch that stored the row; _line: its line in the file);
 *   - the platform's own tables (batches, batch_files, schema_meta, config,
 *     findings, journal, users, ...) under other names.
 * Keys are designed so the fact tables can be partitioned by person_id:
 * every person-keyed fact carries person_id, and no fact's identity depends
 * on a global sequence other than its rowid within its partition.
 *
 * Sections below are owned by subsystems; add declarations to your section.
 */
#ifndef FG_STORE_STORE_H
#define FG_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fg.h"
#include "schema/schema.h"

typedef struct fg_store fg_store;

/* ---- core ---------------------------------------------------------------- */

#define FG_STORE_SCHEMA_VERSION 1

/* Create a new store at path (fails if it exists). */
int fg_store_create(const char *path, fg_store **out, fg_err *err);
/* Open an existing store; read_only opens a second, read-only connection
 * (used by parallel readers). Runs forward migrations when not read-only. */
int fg_store_open(const char *path, bool read_only, fg_store **out, fg_err *err);
void fg_store_close(fg_store *s);
int fg_store_begin(fg_store *s, fg_err *err);
int fg_store_commit(fg_store *s, fg_err *err);
void fg_store_rollback(fg_store *s);
int fg_store_schema_version(fg_store *s);

/* A stored value of a standard table's column: INTEGER columns in i, TEXT
 * columns in s (n bytes, NUL-terminated), is_null for an absent value. */
typedef struct fg_value {
  bool is_null;
  int64_t i;
  const char *s;
  int n;
} fg_value;

/* Call fn for every stored row of table t, in rowid order, with vals[ncols]
 * in the schema's column order. fn returns 0 to go on, non-zero to stop (the
 * value is returned). */
typedef int (*fg_row_fn)(void *ud, int64_t rowid, const fg_value *vals);
int fg_store_scan(fg_store *s, fg_table_id t, fg_row_fn fn, void *ud, fg_err *err);
/* Number of stored rows of table t. */
int64_t fg_store_count(fg_store *s, fg_table_id t);
/* True when any batch has brought table t (even with zero rows). */
bool fg_store_table_present(fg_store *s, fg_table_id t);

/* ---- import (batches) ---------------------------------------------------- */

/* ---- screening (runs, findings) ------------------------------------------ */

/* ---- journal ------------------------------------------------------------- */

/* ---- users, roles, proposals --------------------------------------------- */

#endif
