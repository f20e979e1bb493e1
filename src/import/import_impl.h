/*
 * import_impl.h — private to src/import: the state of one import run
 * shared by import.c (directory, batch, transaction, result),
 * import_row.c (header, fields, keys, references, rows) and import_pipe.c
 * (the worker thread that runs import_row.c, and the SQLite thread).
 */
#ifndef FG_IMPORT_IMPORT_IMPL_H
#define FG_IMPORT_IMPORT_IMPL_H

#include <stdio.h>

#include "csv/csv.h"
#include "common/fsout.h"
#include "import/import.h"
#include "import/import_keyset.h"

/* Rows between two progress reports. */
#define FG_IMPORT_PROGRESS_ROWS 65536
/* Longest reason kept for one rejected row (bytes). */
#define FG_IMPORT_REASON_LEN_MAX 4096

/* Longest path of a file of the batch (folder + name). */
#define FG_IMPORT_PATH_LEN_MAX 4096

typedef struct fg_imp_filter fg_imp_filter;

/* Per standard table: what import knows of its keys and reference targets.
 * keys: key bytes -> tag: > 0 the rowid of a row stored by an earlier
 * batch, < 0 minus the line of a row of this batch. refs: values of the
 * column other tables reference (column 0) — the same set as keys when the
 * key is that single column. rejected (quarantine cascade): referenced
 * value of a rejected row -> index of its first rejection in fg_imp.roots. */
typedef struct fg_imp_table {
  fg_keyset keys;
  fg_keyset refs_own;
  fg_keyset *refs;
  fg_keyset rejected;
  bool keys_loaded, refs_loaded;
  bool present; /* some batch, this one included, brought the table */
  bool in_batch;
  /* the bytes this batch will look up in the table's sets (import_filter.c);
   * NULL: load every stored key */
  fg_imp_filter *filter;
} fg_imp_table;

struct fg_imp_pipe;

typedef struct fg_imp {
  fg_store *s;
  const fg_import_opts *o;
  fg_import_result *r;
  int64_t batch_id;
  bool quarantine;
  bool storing; /* false once an atomic batch has an error: only validate */
  const char *dir;   /* the folder being imported */
  FILE *reject;      /* = reject_out.f: the quarantine list being written */
  fg_fsout reject_out;
  fg_imp_table tabs[FG_T_COUNT];
  char **roots; /* "file:line" of first rejections */
  size_t nroots, roots_cap;
  uint64_t done_bytes, total_bytes;
  fg_csv *csv[FG_T_COUNT];  /* the open readers (the worker reads them) */
  struct fg_imp_pipe *pipe; /* the pipeline while the files are read */
} fg_imp;

/* Record a problem: listed up to FG_IMPORT_ERRORS_LISTED_MAX, always counted. */
void fg_imp_error(fg_imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fg_imp_notice(fg_imp *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Load every stored key the batch of csv looks up (import_load.c): the key
 * sets of the tables it writes (a keyless table's row digests: 16 digest
 * bytes -> rowid) and the reference sets of the tables they point to; on
 * both cores when every one of those tables has a filter. */
int fg_imp_load_stored(fg_imp *im, fg_csv *const csv[FG_T_COUNT], fg_err *err);
/* The serial loads: the key bytes of the columns cols[0..ncols) of every
 * stored row of t (the filter's, when t has one) into set; the digests of
 * keyless t's stored rows into set. */
int fg_imp_load_cols_into(fg_imp *im, fg_table_id t, const int *cols, int ncols, fg_keyset *set,
                          fg_err *err);
int fg_imp_load_digests_into(fg_imp *im, fg_table_id t, fg_keyset *set, fg_err *err);
/* Tests: rowids per range of the parallel load (returns the previous). */
int64_t fg_imp_load_chunk_rows_set(int64_t rows);
/* Whether the stored rows of the tables the batch's files look up far
 * outnumber the batch's rows (then build the filters; FUNDGUARD_IMPORT_FILTER=0
 * never). */
int fg_imp_filter_wanted(fg_imp *im, fg_csv *const csv[FG_T_COUNT], bool *wanted, fg_err *err);
/* Read the batch's files once and fill the filter of every table they look
 * up (see import_filter.c). */
void fg_imp_filter_build(fg_imp *im, fg_csv *const csv[FG_T_COUNT]);
/* Whether n bytes s may have been added to f (never false for added bytes). */
bool fg_imp_filter_has(const fg_imp_filter *f, const void *s, size_t n);
/* Exactly: was a key of hash h (fg_keyset_hash_of) added? (Bloom bits,
 * then the sorted hashes.) */
bool fg_imp_filter_has_hash(const fg_imp_filter *f, uint64_t h);
void fg_imp_filter_free(fg_imp_filter *f);
/* The value of one field as stored (v), or absent: empty, or refused (the
 * reason returned; "" for a value outside the column's codes). The import
 * and the filter's first read (import_filter.c) both judge with it, so
 * both see the same values. */
const char *fg_imp_value(const fg_column *col, const char *s, size_t n, fg_value *v, char *pid);
/* The schema column named by header field i (-1: none), and in *dup the
 * earlier field of the same name (-1: none; a repeated column is not read).
 * The import and the filter's first read map headers alike. */
int fg_imp_header_col(const fg_table *t, const fg_csv_record *h, int i, int *dup);
/* Read every record of one open file (header first) into the batch. */
int fg_imp_read_file(fg_imp *im, fg_import_file *f, fg_csv *c, fg_err *err);

#endif
