/*
 * import.h — `fundguard import`: reads the files of the data standard
 * (data-standard.md v1.2) found in one directory and stores them as one
 * batch, checking exactly what the standard's "What import checks" section
 * says: each field alone, keys and repeats, references.
 *
 * How it fits: the CLI (cmd_import.c) calls fg_import_dir and prints the
 * result; the CSV reader (csv/csv.h) decodes the files, the field parsers
 * (fields/fields.h) judge values, the schema (schema/schema.h) says what
 * each table holds, and the store (store/store.h) keeps the rows. The
 * journal hooks in through before_commit.
 *
 * One batch, one transaction. Tables are processed in reference order
 * (persons, employers, staff, institutions, catalog, fund_accounts,
 * medical_settlements, then the rest), so a reference to a row of the same
 * batch is satisfied. In atomic mode (default) any error stores nothing;
 * in quarantine mode the good rows are stored and every rejected row is
 * written to the reject file (see below).
 *
 * Reject file (quarantine mode): UTF-8 CSV (RFC 4180) with the header
 * `file,line,reason,record`: the file name, the physical line on which the
 * record starts, the reason (all of its errors, `; `-separated; a row
 * rejected because it references a rejected row says so and names the
 * first rejection of the chain as `file:line`), and the record's text as
 * read (decoded to UTF-8). File-level errors (undecodable bytes, a missing
 * required column, a duplicate header, bad CSV syntax) refuse the whole
 * batch in both modes: a file that cannot be read has no good rows.
 */
#ifndef FG_IMPORT_IMPORT_H
#define FG_IMPORT_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fg.h"
#include "journal/rowhash.h"
#include "schema/schema.h"
#include "store/store.h"

/* Errors listed in full; beyond this only their count is given. */
#define FG_IMPORT_ERRORS_LISTED_MAX 100

/* One standard file of the directory, in processing order. */
typedef struct fg_import_file {
  fg_table_id table;
  char sha256_hex[65];
  int64_t bytes;
  const char *encoding; /* "utf-8" / "gb18030"; static string */
  bool skipped;         /* byte-identical to a file imported earlier for this table */
  int64_t rows_read, rows_stored, rows_unchanged, rows_rejected;
  /* Rows this batch stored in the table are rowids [rowid_first,
   * rowid_last] (contiguous: one writer, one transaction); none when
   * rowid_first > rowid_last. */
  int64_t rowid_first, rowid_last;
} fg_import_file;

typedef struct fg_import_result {
  int64_t batch_id; /* 0 when nothing was stored */
  bool noop;        /* every file was already imported: nothing to do */
  int nfiles;
  fg_import_file files[FG_T_COUNT];
  int64_t nerrors;   /* problems found (atomic mode: each is listed up to the limit) */
  int64_t nrejected; /* rows rejected (quarantine mode) */
  char **errors;     /* the first FG_IMPORT_ERRORS_LISTED_MAX, in the order found */
  int nerrors_listed;
  char **notices; /* unknown columns, unknown files, skipped files */
  int nnotices;
  /* Per standard table (index fg_table_id), the journal digest of the rows
   * this batch stored (rowhash.h: count, chunk leaves, root), computed by
   * the inserting thread from the very values it bound, in rowid order;
   * finished before before_commit runs. NULL when nothing was stored. */
  fg_rowhash *digests;
  /* How the stored keys were read when the batch was small beside the
   * store (import_load.c): rowid ranges, and threads (0: not that way). */
  int load_scans, load_threads;
  /* Of those, the stored rows looked at by their key hash only (batch_keys),
   * and the rows then read back one by one because their hash matched. */
  int64_t load_rows_hashed, load_rows_fetched;
} fg_import_result;

/* Called INSIDE the batch's transaction right before commit (the journal
 * appends its entry here). Non-zero rolls the whole batch back and is
 * returned by fg_import_dir with err as the hook filled it. */
typedef int (*fg_import_hook)(void *ud, fg_store *s, const fg_import_result *r, fg_err *err);
typedef void (*fg_import_progress)(void *ud, uint64_t done_bytes, uint64_t total_bytes);

typedef struct fg_import_opts {
  const char *encoding;        /* NULL = detect per file */
  const char *quarantine_path; /* NULL = atomic mode */
  const char *actor;           /* who runs it (fg_import_actor() when NULL) */
  fg_import_hook before_commit;
  void *hook_ud;
  fg_import_progress progress; /* NULL = none */
  void *progress_ud;
} fg_import_opts;

/* Import the standard files of dir into s as one batch. r is filled in
 * every case (free with fg_import_result_release). Returns 0 when stored (or a
 * no-op), FG_EINPUT when the input had errors (nothing stored; r->errors
 * lists them), other FG_E* on store or file system failures. */
int fg_import_dir(fg_store *s, const char *dir, const fg_import_opts *o, fg_import_result *r,
                  fg_err *err);
void fg_import_result_release(fg_import_result *r);

/* Bytes of a normalized person id (fg_person_id_normalize), NUL included. */
#define FG_IMPORT_PID_BYTES 19

/* Judge one field s[0..n) of column c alone, as data-standard.md "What
 * import checks" says (fields.h parsers, the schema's type and codes; import
 * treats an empty field as NULL before asking). Sets v->i for the integer
 * types and, for a person id, writes the normalized id to pid
 * (FG_IMPORT_PID_BYTES) and points v->s at it; the rest of *v is left as
 * the caller set it. NULL when valid, else the message of what is wrong
 * (static text, "" for a code not allowed). */
const char *fg_import_judge(const fg_column *c, const char *s, size_t n, fg_value *v,
                            char *pid);

/* The user an import is recorded for until the trust core lands:
 * FUNDGUARD_USER, else the OS user. Static or environment storage. */
const char *fg_import_actor(void);

/* The journal's entry of a batch (import_journal.c), the before_commit
 * hook every front end passes (ud is the fg_signer of the user who
 * imports): appends "import.batch" covering the batch's rows in every
 * standard table, its `batches` row and its `batch_files` rows; the
 * payload names each file with its SHA-256 and row counts. */
int fg_import_journal_hook(void *ud, fg_store *s, const fg_import_result *r, fg_err *err);
/* The check behind the import's digests: re-read the batch's rows of every
 * standard table and compare with r->digests (computed while storing);
 * FG_EVERIFY on any difference. The hook runs it first when the
 * environment variable below is set (and not "0"); tests always do. */
#define FG_IMPORT_RECHECK_ENV "FUNDGUARD_JOURNAL_RECHECK"
int fg_import_journal_check(fg_store *s, const fg_import_result *r, fg_err *err);

#endif
