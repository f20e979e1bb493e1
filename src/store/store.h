/*
 * store.h — the one interface through which fundguard reaches its storage.
 *
 * The domain (import, screen, journal, authz, actions) calls only these
 * functions; no SQL text exists outside src/store/. The one implementation
 * is SQLite (store_sqlite*.c): a plain SQLite 3 file in WAL mode with
 * synchronous=FULL, so a commit that returned is on disk. A PostgreSQL
 * backend would implement these same functions behind this header (there
 * is no table of function pointers yet: one backend needs none) without
 * any change in the callers.
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

#define FG_STORE_SCHEMA_VERSION 5

/* What the current transaction wrote to one table: counted by the store
 * itself (SQLite's update hook sees every row change of the connection,
 * triggers' changes included), so a journal entry covers exactly the rows
 * its act wrote and never rows that merely carry its number. */
#define FG_STORE_WRITTEN_TABLES_MAX 64
typedef struct fg_store_written {
  char table[64];
  int64_t inserted, updated, deleted;
} fg_store_written;
/* The tables the open transaction has written so far (n entries); a
 * transaction that wrote more than FG_STORE_WRITTEN_TABLES_MAX tables sets
 * *overflow. The array belongs to the store. */
const fg_store_written *fg_store_tx_written(fg_store *s, int *n, bool *overflow);
/* Rows inserted into table by the open transaction. */
int64_t fg_store_tx_inserted(fg_store *s, const char *table);
/* Start counting afresh (the journal calls it after each entry it
 * appends, so the next entry of the same transaction covers only its own
 * rows). */
void fg_store_tx_written_reset(fg_store *s);

/* The schema of the file (tables, columns, indexes, triggers, views, from
 * sqlite_master) compared with the one the code's own migrations make,
 * derived afresh on an in-memory database. Each difference is a line of
 * report (Chinese, naming the object); *problems counts them. A store
 * opened for writing is refused when they differ, so a planted trigger
 * never rides on a legitimate act; `log verify` reports them. */
int fg_store_schema_check(fg_store *s, fg_buf *report, int *problems, fg_err *err);

/* Create a new store at path (fails if it exists). */
int fg_store_create(const char *path, fg_store **out, fg_err *err);
/* Open an existing store; read_only opens a second, read-only connection
 * (used by parallel readers). Runs forward migrations when not read-only. */
int fg_store_open(const char *path, bool read_only, fg_store **out, fg_err *err);
void fg_store_close(fg_store *s);
/* A second, read-only connection to the file of s, for reading on another
 * thread beside an open transaction of s (the import's parallel reading of
 * stored keys). No recovery, no migration: s opened the file. Closed with
 * fg_store_close; it must be closed before s writes much (a reader holds
 * the file's SHARED lock, which a rollback-journal writer must wait out). */
int fg_store_open_reader(fg_store *s, fg_store **out, fg_err *err);
/* Call fn(ctx, conn, i) for every i in [0, n), on two threads: this one
 * with conn = s, a helper with a reader of its own (fg_store_open_reader),
 * each taking the next i until none is left or a call returned non-zero
 * (the others then take no more). When the reader or the thread cannot be
 * had, every i runs here. Returns how many threads ran (1 or 2). */
typedef int (*fg_store_each_fn)(void *ctx, fg_store *conn, size_t i);
int fg_store_pair_each(fg_store *s, fg_store_each_fn fn, void *ctx, size_t n);
int fg_store_begin(fg_store *s, fg_err *err);
int fg_store_commit(fg_store *s, fg_err *err);
void fg_store_rollback(fg_store *s);
int fg_store_schema_version(fg_store *s);
/* The path the store was opened with. */
const char *fg_store_path(fg_store *s);
/* Whether a transaction is open on s. */
bool fg_store_in_transaction(fg_store *s);

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
/* Number of stored rows of table t whose first key column is key. */
int64_t fg_store_count_key(fg_store *s, fg_table_id t, const char *key);
/* True when any batch has brought table t (even with zero rows). */
bool fg_store_table_present(fg_store *s, fg_table_id t);

/* ---- import (batches) ---------------------------------------------------- */

/* A batch is one run of `fundguard import`: a row in `batches` and one row
 * per imported file in `batch_files`. Its rows carry _batch = its id. */
typedef enum fg_batch_mode { FG_BATCH_ATOMIC, FG_BATCH_QUARANTINE } fg_batch_mode;

/* Insert a `batches` row with status "running"; sets *batch_id. Inside the
 * caller's transaction. started_at is YYYY-MM-DDTHH:MM:SS (Beijing time). */
int fg_store_batch_begin(fg_store *s, const char *actor, fg_batch_mode mode,
                         const char *started_at, int64_t *batch_id, fg_err *err);
/* Set finished_at and status ("stored") of a batch. */
int fg_store_batch_finish(fg_store *s, int64_t batch_id, const char *status,
                          const char *finished_at, fg_err *err);

/* One imported file of a batch (a `batch_files` row). */
typedef struct fg_store_batch_file {
  fg_table_id table;
  const char *file_name;
  const char *sha256_hex; /* 64 lowercase hex digits */
  int64_t bytes;
  const char *encoding; /* "utf-8" or "gb18030" */
  int64_t rows_read, rows_stored, rows_unchanged, rows_rejected;
} fg_store_batch_file;
int fg_store_batch_file_add(fg_store *s, int64_t batch_id, const fg_store_batch_file *f,
                            fg_err *err);
/* Where a stored row came from: its batch, its line in the file, and the
 * file's name (from batch_files); all zero / "" when there is no such row. */
int fg_store_row_origin(fg_store *s, fg_table_id t, int64_t rowid, int64_t *batch, int64_t *line,
                        char *file, size_t file_size, fg_err *err);
/* One batch with its files summed (fg_store_batches_each). */
typedef struct fg_store_batch_row {
  int64_t id;
  const char *started_at, *finished_at, *actor, *mode, *status;
  const char *files; /* "table:encoding,..." */
  int64_t nfiles, rows_read, rows_stored, rows_unchanged, rows_rejected;
} fg_store_batch_row;
typedef int (*fg_store_batch_fn)(void *ud, const fg_store_batch_row *b);
int fg_store_batches_each(fg_store *s, fg_store_batch_fn fn, void *ud, fg_err *err);
/* Sets *found when a file with this SHA-256 was already imported for t. */
int fg_store_file_imported(fg_store *s, fg_table_id t, const char *sha256_hex, bool *found,
                           fg_err *err);

/* Bulk insert of rows of table t (prepared once per store and table).
 * vals[ncols] in schema column order; TEXT values must stay valid until the
 * call returns (they are bound without copying). Sets *rowid. */
int fg_store_insert(fg_store *s, fg_table_id t, int64_t batch_id, int64_t line,
                    const fg_value *vals, int64_t *rowid, fg_err *err);
/* Rows per multi-row INSERT: one statement step per this many rows saves
 * SQLite's per-statement work. (ncols + 2) * rows stays below SQLite's
 * historic 999 bound parameters. */
#define FG_STORE_INSERT_ROWS 32
/* Insert exactly FG_STORE_INSERT_ROWS rows of t in one statement: row r's
 * values are vals[r * FG_MAX_COLS ..] (schema order), its line lines[r];
 * they get consecutive rowids, the last in *rowid_last. */
int fg_store_insert_many(fg_store *s, fg_table_id t, int64_t batch_id, const int64_t *lines,
                         const fg_value *vals, int nrows, int64_t *rowid_last, fg_err *err);
/* Like fg_store_scan, restricted to the columns cols[0..ncols) of t: fn gets
 * vals[ncols] in that order. Used to load keys and reference targets into
 * the importer's in-memory hash sets (no per-row SELECT during import). */
int fg_store_scan_cols(fg_store *s, fg_table_id t, const int *cols, int ncols, fg_row_fn fn,
                       void *ud, fg_err *err);
/* (v1.3) The row digests (_digest) of keyless table t with their rowids,
 * in no particular order; fn returns non-zero to stop (returned). */
typedef int (*fg_store_digest_fn)(void *ud, int64_t rowid, const void *digest);
int fg_store_scan_digests(fg_store *s, fg_table_id t, fg_store_digest_fn fn, void *ud,
                          fg_err *err);
/* The same for the rows with lo <= rowid <= hi only, in rowid order. */
int fg_store_scan_digests_range(fg_store *s, fg_table_id t, int64_t lo, int64_t hi,
                                fg_store_digest_fn fn, void *ud, fg_err *err);
/* The same for the rows rowids[0..n) (one lookup each, in that order; a
 * rowid not stored is skipped). */
int fg_store_scan_digests_rowids(fg_store *s, fg_table_id t, const int64_t *rowids, size_t n,
                                 fg_store_digest_fn fn, void *ud, fg_err *err);

/* batch_keys (version 5): for every batch, the 64-bit hash of each stored
 * row's lookup key (a keyed table's key bytes, a keyless one's digest: the
 * import's key encoding, hashed by FG_STORE_KEY_HASH_FN), in rowid order,
 * in segments of at most FG_STORE_KEY_HASHES_SEG_ROWS rows of consecutive
 * rowids. A small batch on a big store reads them instead of every stored
 * row (import_load.c); they are a pre-filter only: a row they point at is
 * read back and its real key used. Covered by the batch's journal entry. */
#define FG_STORE_KEY_HASH_FN 1
#define FG_STORE_KEY_HASHES_SEG_ROWS ((int64_t)1 << 20)
#define FG_STORE_KEY_SEGS_MAX 65536 /* segments of one table */
typedef struct fg_store_key_seg {
  int64_t id;          /* the batch_keys row */
  int64_t first_rowid; /* rows first_rowid .. first_rowid + rows - 1 */
  int64_t rows;
  int64_t bytes;       /* of the stored blob (rows * 8 unless edited) */
} fg_store_key_seg;
/* Inside the batch's transaction: one segment. */
int fg_store_batch_keys_add(fg_store *s, int64_t batch_id, fg_table_id t, int64_t first_rowid,
                            const uint64_t *hashes, int64_t rows, fg_err *err);
/* The segments of t, by first_rowid (*out malloc'd; none when there are
 * more than FG_STORE_KEY_SEGS_MAX: the caller then reads the rows). */
int fg_store_batch_keys_list(fg_store *s, fg_table_id t, fg_store_key_seg **out, size_t *n,
                             fg_err *err);
/* The hashes of segment g into hashes[g->rows]; *ok false when the stored
 * blob is not g->rows hashes (an edited store: the caller reads the rows). */
int fg_store_batch_keys_read(fg_store *s, const fg_store_key_seg *g, uint64_t *hashes, bool *ok,
                             fg_err *err);
/* Read the stored row `rowid` of t into vals[ncols] (schema order). The TEXT
 * pointers stay valid until the next fg_store_get_row on this store and
 * table. Sets *found. */
int fg_store_get_row(fg_store *s, fg_table_id t, int64_t rowid, fg_value *vals, bool *found,
                     fg_err *err);
/* Tune the connection for a bulk load (a large page cache, so the batch's
 * b-tree pages stay in memory until commit). */
int fg_store_bulk_tune(fg_store *s, fg_err *err);
/* Journal of a bulk batch. bulk=true (outside any transaction): switch
 * the file from WAL to SQLite's rollback journal, which writes each new
 * page once (WAL writes it twice: log, then checkpoint) and journals only
 * the few pre-existing pages an append touches; synchronous=FULL keeps a
 * commit durable and atomic either way. Never waits: when another
 * connection has the file open the switch fails, *switched is false and
 * the batch runs in WAL. bulk=false switches back to WAL (also done by
 * fg_store_open, should a crash leave the file in rollback mode).
 * In rollback mode the file's page writes go to a background thread
 * (write-behind, store_sqlite_vfs.c), which every other access to the
 * file waits for; xSync at commit writes and syncs them all first.
 * Returns 0 when the file is in the requested mode, FG_EDB otherwise. */
int fg_store_bulk_journal(fg_store *s, bool bulk, bool *switched);
/* Sets *seen when a file of exactly this many bytes was imported for t
 * (a byte-identical file must have the same size: when none has, the
 * importer need not wait for the SHA-256 before reading). */
int fg_store_file_size_seen(fg_store *s, fg_table_id t, int64_t bytes, bool *seen,
                            fg_err *err);
/* Number of rows in `batches` (for tests and summaries). */
int64_t fg_store_batch_count(fg_store *s);

/* ---- screening (runs, findings) ------------------------------------------ */

/* Owned by screen (screen/screen.h is the domain's face). Tables:
 *   runs              one row per screening run (append-only)
 *   findings          one row per finding, in the run's sorted order
 *   finding_evidence  the standard-table rows (table, rowid) behind a finding
 * Rows are never changed or deleted (triggers refuse it). Times are
 * YYYY-MM-DDTHH:MM:SS Beijing time. */

typedef struct fg_store_run {
  int64_t id;                  /* set by fg_store_run_add / read back */
  const char *started_at, *finished_at;
  const char *as_of;           /* YYYY-MM-DD */
  const char *rules_run;       /* comma-separated rule ids */
  const char *rules_skipped;   /* comma-separated rule ids ("" = none) */
  const char *config_sha256;   /* 64 hex digits */
  bool official;               /* false: a what-if run (screen --config) */
  const char *batches;         /* comma-separated batch ids read */
  int64_t max_batch;           /* highest batch id read, 0 = none */
  const char *actor;
  int64_t nfindings;
  const char *findings_sha256; /* screen.h defines the canonical bytes */
  bool partial;                /* screen --rules: not every rule of the catalogue */
  bool future;                 /* --as-of after the day of the run (--allow-future) */
} fg_store_run;

typedef struct fg_store_evidence {
  fg_table_id table;
  int64_t rowid;
} fg_store_evidence;

typedef struct fg_store_finding {
  const char *rule, *subject_type, *subject_id;
  int64_t amount_fen;
  const char *severity; /* high | medium | low */
  const char *detail;
  const fg_store_evidence *ev;
  int32_t nev;
} fg_store_finding;

/* The batches that have brought rows or files so far: *list is heap
 * ("1,2,3", "" when none), *max_batch 0 when none. */
int fg_store_batches_read(fg_store *s, char **list, int64_t *max_batch, fg_err *err);
/* Insert a run row; sets *run_id. Inside the caller's transaction. */
int fg_store_run_add(fg_store *s, const fg_store_run *r, int64_t *run_id, fg_err *err);
/* Bulk insert of f[0..n) with their evidence, in order (prepared once).
 * Inside the caller's transaction. */
int fg_store_findings_add(fg_store *s, int64_t run_id, const fg_store_finding *f, int64_t n,
                          fg_err *err);
/* The newest run's id; *found false when no run is stored. */
/* The latest run; with full_official, the latest official run of every
 * rule with an as-of not in the future (what findings and person show use
 * by default). */
int fg_store_run_latest(fg_store *s, bool full_official, int64_t *run_id, bool *found,
                        fg_err *err);
/* Every run in id order (r valid during the call); fn non-zero stops. */
typedef int (*fg_store_run_fn)(void *ud, const fg_store_run *r);
int fg_store_runs_each(fg_store *s, fg_store_run_fn fn, void *ud, fg_err *err);
/* Read run id: strings in *r are heap (fg_store_run_release frees them). */
int fg_store_run_get(fg_store *s, int64_t id, fg_store_run *r, bool *found, fg_err *err);
void fg_store_run_release(fg_store_run *r);
/* Call fn for each finding of a run (rule NULL = all rules) in stored
 * order; f->ev is NULL and evidence is "table:rowid;..." text. fn returns
 * non-zero to stop (the value is returned). */
typedef int (*fg_store_finding_fn)(void *ud, int64_t finding_id, const fg_store_finding *f,
                                   const char *evidence);
int fg_store_findings_each(fg_store *s, int64_t run_id, const char *rule,
                           fg_store_finding_fn fn, void *ud, fg_err *err);
/* A page of a run's findings for the HTTP API (web.md "Lists"): those with
 * id > after_id matching the filters (NULL = any), in id order, at most
 * limit; *total counts every finding matching the filters. */
typedef struct fg_store_findings_query {
  int64_t run_id, after_id;
  const char *rule, *subject_type, *subject_id;
  int limit;
  bool skip_count; /* *total is left as it is (the caller knows it: runs never change) */
} fg_store_findings_query;
int fg_store_findings_page(fg_store *s, const fg_store_findings_query *q, fg_store_finding_fn fn,
                           void *ud, int64_t *total, fg_err *err);
/* Count and amount of a run's findings per rule, in rule order. */
typedef int (*fg_store_rule_sum_fn)(void *ud, const char *rule, int64_t count, int64_t amount_fen);
int fg_store_findings_by_rule(fg_store *s, int64_t run_id, fg_store_rule_sum_fn fn, void *ud,
                              fg_err *err);
/* One finding by id: fn called once (not at all when there is none);
 * *run_id its run (0 when none). */
int fg_store_finding_get(fg_store *s, int64_t finding_id, int64_t *run_id,
                         fg_store_finding_fn fn, void *ud, fg_err *err);


/* Bulk reading for the model loader (store_sqlite_scan.c). */
/* Tune a read-only connection for whole-table scans (memory map, cache). */
void fg_store_scan_tune(fg_store *s);
/* Smallest and largest rowid of t; *lo > *hi when t has no rows. */
int fg_store_rowid_bounds(fg_store *s, fg_table_id t, int64_t *lo, int64_t *hi, fg_err *err);
/* Like fg_store_scan, for the rows with lo <= rowid <= hi only, reading only
 * the columns whose bit (1u << column index) is set in col_mask: vals keeps
 * the schema's column order, and the other columns read as NULL. TEXT
 * values are NOT NUL-terminated here: read exactly n bytes of s. */
int fg_store_scan_range(fg_store *s, fg_table_id t, uint32_t col_mask, int64_t lo, int64_t hi,
                        fg_row_fn fn, void *ud, fg_err *err);
/* The same for the rows rowids[0..n) (one lookup each, in that order; a
 * rowid not stored is skipped). */
int fg_store_scan_rowids(fg_store *s, fg_table_id t, uint32_t col_mask, const int64_t *rowids,
                         size_t n, fg_row_fn fn, void *ud, fg_err *err);

/* ---- configuration ------------------------------------------------------ */

/* Owned by config (config/config.h gives the text form). Table
 * config_versions is append-only: each row is one canonical configuration
 * text with its SHA-256 (computed here, verified on every read), status
 * `official` or `proposed`. The configuration in force is the newest
 * official row. */

/* Append a configuration text: official (in force from now on) or proposed
 * (the text of proposal proposal_id; <= 0 for none). created_s is Unix
 * seconds; jseq the journal entry covering the row (< 0 for none). Sets
 * *id_out (may be NULL). Inside the caller's transaction. */
int fg_store_config_put(fg_store *s, const char *text, bool official, int64_t proposal_id,
                        int64_t created_s, int64_t jseq, int64_t *id_out, fg_err *err);
/* The official configuration: *text is heap memory (free()), sha256_hex
 * (may be NULL) gets the 64 hex digits, *id_out (may be NULL) the row id.
 * *found is false (and *text NULL) when none is stored. FG_EVERIFY when the
 * stored hash does not match the text. */
int fg_store_config_get_official(fg_store *s, char **text, char sha256_hex[65], int64_t *id_out,
                                 bool *found, fg_err *err);
/* One stored configuration by row id (same conventions). */
int fg_store_config_get(fg_store *s, int64_t id, char **text, char sha256_hex[65], bool *found,
                        fg_err *err);

/* ---- journal ------------------------------------------------------------- */

/* Owned by journal (journal/journal.h gives the meaning). `journal` holds
 * one row per entry; `platform_keys` the platform's Ed25519 public key. Both
 * are append-only (triggers refuse UPDATE and DELETE, as on the standard
 * tables and batch_files). Pointers of a row stay valid only during the
 * call that hands them out. */
typedef struct fg_store_journal_row {
  int64_t seq;
  const char *at, *actor, *action;
  const char *payload;
  size_t payload_len;
  const char *covers;
  size_t covers_len;
  const uint8_t *pubkey, *sig, *leaf;
  size_t pubkey_len, sig_len, leaf_len;
} fg_store_journal_row;
int fg_store_journal_insert(fg_store *s, const fg_store_journal_row *r, fg_err *err);
/* max(seq) + 1, or 0 for an empty journal. */
int fg_store_journal_next_seq(fg_store *s, int64_t *seq, fg_err *err);
int fg_store_journal_count(fg_store *s, int64_t *n, fg_err *err);
/* A number that changes when another connection (or process) has
 * committed to the store since the last call on this one (SQLite's
 * data_version): what a cache of derived data keys on, with the writes of
 * its own connection counted by the caller. */
int fg_store_data_version(fg_store *s, int64_t *v, fg_err *err);
/* Entries with seq >= from_seq in seq order; fn returns non-zero to stop. */
typedef int (*fg_store_journal_fn)(void *ud, const fg_store_journal_row *r);
int fg_store_journal_scan(fg_store *s, int64_t from_seq, fg_store_journal_fn fn, void *ud,
                          fg_err *err);
/* Payload (heap, NUL-terminated) and seq of the most recent entry of
 * `action` whose payload contains `needle`; *found false when none. */
int fg_store_journal_last_with(fg_store *s, const char *action, const char *needle,
                               char **payload, int64_t *seq, bool *found, fg_err *err);
int fg_store_platform_key_add(fg_store *s, const uint8_t pk[32], const char *created, int64_t jseq,
                              fg_err *err);
/* The platform public key (the first one stored); *found false if none. */
int fg_store_platform_key_get(fg_store *s, uint8_t pk[32], bool *found, fg_err *err);

/* Generic row access for coverage (any table, SQLite's own aside). */
typedef struct fg_store_cell {
  char type; /* 'N' null, 'I' integer, 'R' real, 'T' text, 'B' blob */
  int64_t i;
  double r;
  const void *p;
  int n;
} fg_store_cell;
/* Names of all tables (heap: free each and the array). */
int fg_store_tables(fg_store *s, char ***names, int *n, fg_err *err);
/* Rows of table with every column in declared order. column NULL or "":
 * all rows in rowid order, group "". value NULL: all rows ordered by
 * (column, rowid), group = the column's value as text ("" for NULL); else
 * only rows whose column equals value, in rowid order. */
typedef int (*fg_store_cells_fn)(void *ud, const char *group, int64_t rowid,
                                 const fg_store_cell *cells, int ncells);
int fg_store_rows_by(fg_store *s, const char *table, const char *column, const char *value,
                     fg_store_cells_fn fn, void *ud, fg_err *err);
/* Every row of table in rowid order (no sort: one pass over the table),
 * group = column's value as text ("" for NULL; column "" gives ""). */
int fg_store_rows_grouped(fg_store *s, const char *table, const char *column,
                          fg_store_cells_fn fn, void *ud, fg_err *err);

/* ---- users, roles, proposals --------------------------------------------- */

/* Owned by authz (src/authz/authz.h is the domain's face; these are only the
 * rows). Every table of this area is append-only: SQLite triggers refuse
 * UPDATE and DELETE, so a change is always a new row, and every row carries
 * jseq, the journal entry that covers it. Times are Unix seconds (UTC).
 *   users            one row per user: name, display name, public key
 *   user_credentials password hash + encrypted Ed25519 secret key; the
 *                    newest row of a user is the current one
 *   role_events      grant / revoke of a role; the newest event per
 *                    (user, role) decides
 *   proposals        two-person review: kind, payload, proposer, expiry
 *   proposal_events  review / approve / refuse / apply steps (one each) */

#define FG_STORE_USER_MAX 64       /* bytes of a user name, NUL included */
#define FG_STORE_DISPLAY_MAX 128   /* bytes of a display name, NUL included */
#define FG_STORE_AGENCY_MAX 24     /* bytes of an agency_id (1-20), NUL included */
#define FG_STORE_ROLES_MAX 512     /* bytes of a `;`-joined role list */
#define FG_STORE_KIND_MAX 32       /* bytes of a proposal kind */
#define FG_STORE_PWHASH_MAX 128    /* crypto_pwhash_STRBYTES */
#define FG_STORE_SK_BOX_BYTES 80   /* secretbox of a 64-byte Ed25519 key */

typedef struct fg_store_user {
  char name[FG_STORE_USER_MAX];
  char display_name[FG_STORE_DISPLAY_MAX];
  uint8_t public_key[32];
  int64_t created_s;
  char agency[FG_STORE_AGENCY_MAX]; /* "" = the supervision office (cases.md) */
} fg_store_user;

typedef struct fg_store_cred {
  char password_hash[FG_STORE_PWHASH_MAX]; /* crypto_pwhash_str (Argon2id) */
  uint8_t key_salt[16];                    /* crypto_pwhash_SALTBYTES */
  uint8_t key_nonce[24];                   /* crypto_secretbox_NONCEBYTES */
  uint8_t sk_box[FG_STORE_SK_BOX_BYTES];   /* secretbox(Ed25519 sk) */
  int64_t opslimit;
  int64_t memlimit_bytes;
  int64_t password_set_s;
  bool must_change; /* an initial password: it only sets the user's own */
  char chain_sha256_hex[65]; /* digest chain of the credential rows replaced */
} fg_store_cred;

/* Insert a user (fails with FG_EINPUT when the name exists). */
int fg_store_user_add(fg_store *s, const fg_store_user *u, int64_t jseq, fg_err *err);
/* Read a user; *found is false when there is none. */
int fg_store_user_get(fg_store *s, const char *name, fg_store_user *u, bool *found,
                      fg_err *err);
/* Call fn for every user in name order; fn returns non-zero to stop. */
typedef int (*fg_store_user_fn)(void *ud, const fg_store_user *u);
int fg_store_user_each(fg_store *s, fg_store_user_fn fn, void *ud, fg_err *err);
/* Append a credential row (the user's current one from now on). */
int fg_store_cred_add(fg_store *s, const char *user, const fg_store_cred *c, int64_t jseq,
                      fg_err *err);
/* The current credential of a user; *found false when none. */
int fg_store_cred_get(fg_store *s, const char *user, fg_store_cred *c, bool *found,
                      fg_err *err);
/* Append a grant (grant=true) or revoke of role for user. proposal_id is 0
 * for the roster given to init. */
int fg_store_role_event(fg_store *s, const char *user, const char *role, bool grant,
                        int64_t proposal_id, int64_t jseq, fg_err *err);
/* Register a user's public key, valid for the user's entries from journal
 * entry from_seq on (user_keys; a password change registers a new one). */
int fg_store_user_key_add(fg_store *s, const char *user, const uint8_t pk[32], int64_t from_seq,
                          int64_t jseq, fg_err *err);
/* The user's key valid at entry seq (the latest registered at or before
 * it); *found false when none (a user who has only an initial password). */
int fg_store_user_key_at(fg_store *s, const char *user, int64_t seq, uint8_t pk[32], bool *found,
                         fg_err *err);
/* Every registered key; fn returns non-zero to stop (returned). */
typedef int (*fg_store_user_key_fn)(void *ud, const char *user, const uint8_t pk[32],
                                    int64_t from_seq);
int fg_store_user_keys_each(fg_store *s, fg_store_user_key_fn fn, void *ud, fg_err *err);
/* Replace the user's credential (the old row, and the seal of the old
 * secret key in it, is deleted; c->chain_sha256_hex chains its digest). */
int fg_store_cred_replace(fg_store *s, const char *user, const fg_store_cred *c, int64_t jseq,
                          fg_err *err);
/* Current roles of user, sorted, `;`-joined into out (empty when none). */
int fg_store_user_roles(fg_store *s, const char *user, char *out, size_t out_size,
                        fg_err *err);
/* Number of consecutive refused logins (journal action "authn.refused" with
 * reason "password") of user since the user's last signed journal entry or
 * the last "user.unlock" / "user.passwd" entry naming the user. The journal
 * is the source of truth: a refused login adds a journal entry and nothing
 * else. */
int fg_store_authn_failures(fg_store *s, const char *user, int64_t *n, fg_err *err);

typedef struct fg_store_proposal {
  int64_t id;
  char kind[FG_STORE_KIND_MAX];
  char *payload; /* heap (canonical JSON); fg_store_proposal_release frees */
  char proposer[FG_STORE_USER_MAX];
  int64_t created_s, expires_s;
  /* steps taken so far ("" / 0 when not taken) */
  char reviewer[FG_STORE_USER_MAX];
  char approver[FG_STORE_USER_MAX];
  char refused_by[FG_STORE_USER_MAX];
  bool applied;
} fg_store_proposal;
void fg_store_proposal_release(fg_store_proposal *p);
/* The id the next fg_store_proposal_add will get (inside a transaction). */
int fg_store_proposal_next_id(fg_store *s, int64_t *id, fg_err *err);
/* Insert a proposal with id p->id (from fg_store_proposal_next_id). */
int fg_store_proposal_add(fg_store *s, const fg_store_proposal *p, int64_t jseq, fg_err *err);
/* Read a proposal with its steps; *found false when absent. The caller
 * clears p with fg_store_proposal_release. */
int fg_store_proposal_get(fg_store *s, int64_t id, fg_store_proposal *p, bool *found,
                          fg_err *err);
/* Append a step: "review", "approve", "refuse" or "apply" (each at most once). */
int fg_store_proposal_step(fg_store *s, int64_t id, const char *step, const char *actor,
                           int64_t at_s, int64_t jseq, fg_err *err);
/* Call fn for every proposal in id order (p is valid during the call). */
typedef int (*fg_store_proposal_fn)(void *ud, const fg_store_proposal *p);
int fg_store_proposal_each(fg_store *s, fg_store_proposal_fn fn, void *ud, fg_err *err);

/* ---- reviewed actions: dispositions, amendments -------------------------- */

/* Owned by actions (src/actions/actions.h is the domain's face; these are
 * only the rows). The effects of approved proposals that are not users or
 * configuration, written by the final review step inside its transaction.
 * Both tables are append-only (triggers refuse UPDATE and DELETE) and every
 * row carries jseq, the journal entry of that step, which covers it.
 *   finding_dispositions  a finding (run, rule, subject_id) judged normal
 *   amendments            one corrected column of an imported row; the
 *                         original row is never changed */

#define FG_STORE_DISPOSITION_DISMISSED "dismissed_normal"

typedef struct fg_store_disposition {
  int64_t run;
  const char *rule, *subject_id;
  const char *disposition; /* FG_STORE_DISPOSITION_DISMISSED */
  const char *reason;
  int64_t proposal_id;
  const char *proposer, *reviewer;
  const char *approver; /* NULL when the kind needs no approval */
} fg_store_disposition;

/* Number of findings of run with this rule and subject id. */
int fg_store_finding_count(fg_store *s, int64_t run, const char *rule, const char *subject_id,
                           int64_t *n, fg_err *err);
/* Append a disposition row (inside the caller's transaction). */
int fg_store_disposition_add(fg_store *s, const fg_store_disposition *d, int64_t jseq,
                             fg_err *err);
/* Call fn for every disposition of run or an earlier run (a disposition
 * follows its rule and subject into later runs: a finding judged normal
 * stays judged), in id order (d valid during the
 * call); fn returns non-zero to stop (the value is returned). */
typedef int (*fg_store_disposition_fn)(void *ud, const fg_store_disposition *d);
int fg_store_dispositions_each(fg_store *s, int64_t run, fg_store_disposition_fn fn, void *ud,
                               fg_err *err);

typedef struct fg_store_amendment {
  const char *table;    /* standard table name */
  const char *key;      /* the row's key as given, "k1" or "k1,k2" */
  int64_t rowid;        /* the original row */
  const char *column;
  const char *old_value, *new_value; /* as text (money in yuan); NULL = empty */
  const char *reason;
  int64_t proposal_id;
  const char *proposer, *reviewer;
  const char *approver; /* NULL when the kind needs no approval */
} fg_store_amendment;

/* Append an amendment row (inside the caller's transaction). */
int fg_store_amendment_add(fg_store *s, const fg_store_amendment *a, int64_t jseq, fg_err *err);
/* Call fn for every amendment of row `rowid` of table (rowid < 0: every
 * amendment of the table), in id order; fn returns non-zero to stop. */
typedef int (*fg_store_amendment_fn)(void *ud, const fg_store_amendment *a);
int fg_store_amendments_each(fg_store *s, const char *table, int64_t rowid,
                             fg_store_amendment_fn fn, void *ud, fg_err *err);
/* The newest stored row of t (which has a key, nkey > 0) whose key columns
 * equal keys[0..nkey) (key order, typed as fg_store_insert takes them).
 * A full scan: the standard tables carry no key index. */
int fg_store_row_by_key(fg_store *s, fg_table_id t, const fg_value *keys, int64_t *rowid,
                        bool *found, fg_err *err);

/* ---- person (one person's records) --------------------------------------- */

/* Owned by the person view (src/actions/actions.h, cli `person show`): reads
 * only; the caller journals the read ("person.view"). Every table here is
 * a standard table with a person_id column. */

/* Rows of t whose person_id equals person_id, newest first by order_col
 * (NULL: by rowid), at most limit rows (0: all); fn gets vals in schema
 * order (TEXT NUL-terminated, valid during the call). */
int fg_store_person_rows(fg_store *s, fg_table_id t, const char *person_id,
                         const char *order_col, int limit, fg_row_fn fn, void *ud, fg_err *err);
/* Number of rows of t whose person_id equals person_id. */
int fg_store_person_count(fg_store *s, fg_table_id t, const char *person_id, int64_t *n,
                          fg_err *err);
/* The findings of run about the person (subject_type "person"), as
 * fg_store_findings_each gives them. */
int fg_store_person_findings(fg_store *s, int64_t run, const char *person_id,
                             fg_store_finding_fn fn, void *ud, fg_err *err);


/* ---- cases (finding numbers, cases, their events) ------------------------ */

/* Owned by case work (src/cases/cases.h is the domain's face; these are only
 * the rows, store_sqlite_cases.c). Append-only tables:
 *   finding_numbers  the stable number of a (rule, subject_id), given by the
 *                    run that first raises it (covered by its screen.run)
 *   cases            one finding (or tip, or inspection problem) issued to
 *                    an agency, with its verification due date
 *   case_events      every later step of a case (assign, note, classify,
 *                    close, serious, receipts, deposits, write-offs, ...)
 *   case_files       files attached to notes, by SHA-256
 *   batch_monthly    each import batch's sums by table, scheme and month of
 *                    contributions, benefits and settlements (written by
 *                    fg_store_batch_finish, covered by the batch's entry), so
 *                    the monthly report reads sums, not every row
 * (batch_keys, version 5, is declared with the import's functions above.) */

#define FG_STORE_CASE_TEXT_MAX 256 /* bytes of a case's rule / subject, NUL included */

/* Give every (rule, subject_id) of run that has no number yet the next one
 * (inside the run's transaction, after its findings). */
int fg_store_finding_numbers_assign(fg_store *s, int64_t run_id, fg_err *err);

typedef struct fg_store_numbered {
  int64_t finding_id, finding_no; /* finding_no 0: run made before numbers */
  const char *rule, *subject_type, *subject_id;
  int64_t amount_fen;
  bool has_case;  /* a case (open or closed) holds this number */
  bool dismissed; /* judged normal in this run or an earlier one */
  bool carried;   /* raised by the previous official run too */
} fg_store_numbered;
typedef int (*fg_store_numbered_fn)(void *ud, const fg_store_numbered *x);
/* Every finding of run with its number and continuity, in id order. */
int fg_store_run_findings_numbered(fg_store *s, int64_t run_id, fg_store_numbered_fn fn,
                                   void *ud, fg_err *err);
/* Findings of the official run before run_id that run_id no longer raises. */
int fg_store_run_resolved_count(fg_store *s, int64_t run_id, int64_t *n, fg_err *err);
/* The ids (ascending, heap: free) of the findings of the official run
 * before run_id (*prev_run; 0 when there is none) that run_id no longer
 * raises. */
int fg_store_resolved_ids(fg_store *s, int64_t run_id, int64_t *prev_run, int64_t **ids,
                          int64_t *n, fg_err *err);
/* The newest finding carrying number no (*finding_id 0 when none). */
int fg_store_finding_by_no(fg_store *s, int64_t no, int64_t *finding_id, int64_t *run_id,
                           fg_err *err);
/* The number of (rule, subject_id); 0 when none. */
int fg_store_finding_no_of(fg_store *s, const char *rule, const char *subject_id, int64_t *no,
                           fg_err *err);

typedef struct fg_store_case {
  const char *source; /* finding | tip | inspection */
  int64_t finding_no, run;
  const char *rule, *subject_type, *subject_id;
  int64_t amount_fen;
  const char *agency, *issued_on, *due_on, *issued_by;
} fg_store_case;
int fg_store_case_add(fg_store *s, const fg_store_case *c, int64_t jseq, int64_t *id,
                      fg_err *err);

typedef struct fg_store_case_row {
  int64_t id, finding_no, run, amount_fen, jseq;
  char source[16], rule[FG_STORE_CASE_TEXT_MAX], subject_type[64],
      subject_id[FG_STORE_CASE_TEXT_MAX], agency[FG_STORE_AGENCY_MAX], issued_on[11], due_on[11],
      issued_by[FG_STORE_USER_MAX];
} fg_store_case_row;
int fg_store_case_get(fg_store *s, int64_t id, fg_store_case_row *r, bool *found, fg_err *err);
/* The case of a source row (source "tip": run holds the tip's id); 0 when none. */
int fg_store_case_of(fg_store *s, const char *source, int64_t run, int64_t *case_id,
                     fg_err *err);
typedef int (*fg_store_case_fn)(void *ud, const fg_store_case_row *r);
/* Cases in id order; agency NULL for all. */
int fg_store_cases_each(fg_store *s, const char *agency, fg_store_case_fn fn, void *ud,
                        fg_err *err);

typedef struct fg_store_case_event {
  int64_t id, case_id;
  const char *kind;    /* assign note classify close serious serious_report receipt
                          deposit writeoff penalty amendment */
  const char *on_date; /* YYYY-MM-DD: the act's day, a receipt's or deposit's date */
  const char *actor, *who, *outcome, *text;
  int64_t amount_fen;
  bool penalty;
  const char *how, *account, *file_sha256;
  int64_t proposal_id, jseq;
} fg_store_case_event;
int fg_store_case_event_add(fg_store *s, const fg_store_case_event *e, int64_t jseq,
                            fg_err *err);
typedef int (*fg_store_case_event_fn)(void *ud, const fg_store_case_event *e);
/* Events of case_id (0: of every case, by case then id), in id order. */
int fg_store_case_events_each(fg_store *s, int64_t case_id, fg_store_case_event_fn fn, void *ud,
                              fg_err *err);
int fg_store_case_file_add(fg_store *s, const char *sha256_hex, const char *name,
                           const void *bytes, size_t n, int64_t jseq, fg_err *err);

/* An imported fund account's scheme and kind; *found false when none. */
int fg_store_fund_account(fg_store *s, const char *account_no, char *scheme, size_t scheme_size,
                          char *kind, size_t kind_size, bool *found, fg_err *err);
/* The schemes the evidence rows of a finding name, comma-joined, sorted. */
int fg_store_finding_schemes(fg_store *s, int64_t run, const char *rule, const char *subject_id,
                             fg_buf *schemes, fg_err *err);
/* Each case's scheme: the smallest scheme code its finding's evidence rows
 * name (cases with none are not listed). */
typedef int (*fg_store_case_scheme_fn)(void *ud, int64_t case_id, const char *scheme);
int fg_store_case_schemes_each(fg_store *s, fg_store_case_scheme_fn fn, void *ud, fg_err *err);
/* The monthly report's fund figures (cases.md) for the days [first, last]:
 * fn(scheme, metric, fen) per scheme and metric, metric one of
 * contributions benefits medical_fund_paid income_in swept_to_fiscal
 * expenditure_out income_balance expenditure_balance fiscal_special_balance,
 * or "" (a scheme that appears, value 0); amended values in force. */
typedef int (*fg_store_monthly_fn)(void *ud, const char *scheme, const char *metric,
                                   int64_t fen);
int fg_store_monthly_funds(fg_store *s, const char *first_day, const char *last_day,
                           fg_store_monthly_fn fn, void *ud, fg_err *err);

/* ---- on-site inspections (case work II, cases.md) ------------------------- */

/* Owned by src/cases/inspect.c. Append-only: the yearly plans (the draw and
 * its journal seed), inspections, the problems of the rectification ledger
 * and their closures (the effect of a reviewed rectify_close). */
#define FG_STORE_PLAN_AGENCIES_MAX 2048 /* bytes of a plan's agency list */
#define FG_STORE_INSPECTORS_MAX 512     /* bytes of an inspector list */

typedef struct fg_store_plan {
  int year;
  const char *seed; /* 64 hex: the journal root the draw used */
  int64_t seed_size; /* entries that root covers */
  const char *agencies, *planner;
  int64_t proposal_id; /* 0: the year's first plan */
} fg_store_plan;
int fg_store_plan_add(fg_store *s, const fg_store_plan *p, int64_t jseq, fg_err *err);
typedef struct fg_store_plan_row {
  int64_t id, seed_size;
  char seed[65], agencies[FG_STORE_PLAN_AGENCIES_MAX], planner[FG_STORE_USER_MAX];
} fg_store_plan_row;
/* The year's latest plan and how many there are (*count 0: none). */
int fg_store_plan_latest(fg_store *s, int year, fg_store_plan_row *p, int64_t *count,
                         fg_err *err);

typedef struct fg_store_inspection {
  const char *agency, *inspectors, *notice_on, *start_on, *opened_by;
} fg_store_inspection;
int fg_store_inspection_add(fg_store *s, const fg_store_inspection *x, int64_t jseq,
                            int64_t *id, fg_err *err);
typedef struct fg_store_inspection_row {
  int64_t id, jseq;
  char agency[FG_STORE_AGENCY_MAX], inspectors[FG_STORE_INSPECTORS_MAX], notice_on[11],
      start_on[11], opened_by[FG_STORE_USER_MAX];
} fg_store_inspection_row;
int fg_store_inspection_get(fg_store *s, int64_t id, fg_store_inspection_row *x, bool *found,
                            fg_err *err);

typedef struct fg_store_problem {
  int64_t inspection;
  const char *text, *due_on;
  int64_t amount_fen;
  const char *added_by;
} fg_store_problem;
int fg_store_problem_add(fg_store *s, const fg_store_problem *p, int64_t jseq, int64_t *id,
                         fg_err *err);
typedef struct fg_store_closure {
  int64_t problem;
  const char *text, *evidence_sha256, *closed_on;
  int64_t proposal_id;
  const char *proposer, *reviewer;
} fg_store_closure;
int fg_store_problem_close(fg_store *s, const fg_store_closure *c, int64_t jseq, fg_err *err);
typedef struct fg_store_problem_row {
  int64_t id, inspection, amount_fen, jseq;
  const char *agency, *text, *due_on, *added_by;
  const char *closed_on; /* "" while open */
} fg_store_problem_row;
typedef int (*fg_store_problem_fn)(void *ud, const fg_store_problem_row *r);
/* Problems of inspection (0: all) and with id problem (0: any), in id
 * order, with their closing date. */
int fg_store_problems_each(fg_store *s, int64_t inspection, int64_t problem,
                           fg_store_problem_fn fn, void *ud, fg_err *err);
/* Whether a file with this SHA-256 is stored (case_files). */
bool fg_store_case_file_has(fg_store *s, const char *sha256_hex);

/* ---- the whistleblower desk (case work II, cases.md) ----------------------- */

/* Owned by src/cases/tips.c. desk_keys: the desk's X25519 secret key sealed
 * to each desk user's current key (a row per user and key); tips: each tip
 * with the reporter's details sealed to the desk's public key (never in
 * the clear). Append-only like every table. */
#define FG_STORE_SEALED_MAX 256 /* bytes of a sealed desk key */
int fg_store_desk_key_add(fg_store *s, const char *user, const uint8_t user_pk[32],
                          const uint8_t desk_pk[32], const uint8_t *sealed, size_t n, int64_t jseq,
                          fg_err *err);
/* The newest sealed copy for (user, user_pk); user NULL: any copy (only its
 * desk_pk, to know a desk key exists). */
int fg_store_desk_key_get(fg_store *s, const char *user, const uint8_t user_pk[32],
                          uint8_t desk_pk[32], uint8_t *sealed, size_t cap, size_t *n,
                          bool *found, fg_err *err);
typedef struct fg_store_tip {
  int64_t id, jseq;
  const char *channel;
  bool anonymous;
  const char *subject_type, *subject_id, *text;
  const uint8_t *reporter; /* crypto_box_seal to desk_pk; empty when anonymous */
  size_t nreporter;
  uint8_t desk_pk[32];
  const char *filed_on, *filed_by;
  bool full_capacity; /* the reporter declared full civil capacity */
  bool fund_duties;   /* the reporter's id was a staff person_id at filing */
} fg_store_tip;
int fg_store_tip_add(fg_store *s, const fg_store_tip *t, int64_t jseq, int64_t *id, fg_err *err);
typedef int (*fg_store_tip_fn)(void *ud, const fg_store_tip *t);
/* Tips in id order (id 0: all, else that one). */
int fg_store_tips_each(fg_store *s, int64_t id, fg_store_tip_fn fn, void *ud, fg_err *err);
/* What a reward needs to know of a tip (GZ 36-37): findings of its subject
 * from runs whose screen.run entry precedes the tip's and cases of it issued
 * before (already known: journal order, not clock time), earlier tips on
 * the same subject, rewards already given. */
typedef struct fg_store_tip_facts_row {
  int64_t known_before, earlier_tips, rewards;
} fg_store_tip_facts_row;
int fg_store_tip_facts(fg_store *s, int64_t tip, fg_store_tip_facts_row *f, fg_err *err);
/* Whether person_id is a staff member's (staff.csv): fund duties. */
int fg_store_staff_person(fg_store *s, const char *person_id, bool *found, fg_err *err);
typedef struct fg_store_tip_reward {
  int64_t tip, verified_fen, reward_fen;
  const char *contribution;
  int64_t proposal_id;
  const char *proposer, *reviewer, *approver;
} fg_store_tip_reward;
int fg_store_tip_reward_add(fg_store *s, const fg_store_tip_reward *r, int64_t jseq, fg_err *err);
typedef struct fg_store_tip_reward_row {
  int64_t verified_fen, reward_fen, proposal_id;
  char proposer[FG_STORE_USER_MAX], reviewer[FG_STORE_USER_MAX], approver[FG_STORE_USER_MAX];
} fg_store_tip_reward_row;
/* The reward of tip (zeros when none). */
int fg_store_tip_reward_get(fg_store *s, int64_t tip, fg_store_tip_reward_row *r, fg_err *err);

#endif
