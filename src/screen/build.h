/*
 * build.h — building a model (model.h) row by row.
 *
 * The store loader (load.c) scans every standard table of the store and feeds
 * each row here; tests feed rows straight from small CSV literals. After the
 * last row, fg_mb_finish() interns, sorts and indexes everything and returns
 * the model; the builder is consumed.
 *
 * Rows are given as they are stored (store.h fg_value, schema column order):
 * INTEGER columns (money in fen, quantities in thousandths, whole numbers,
 * years) in .i, TEXT columns in .s/.n, .is_null for an absent value.
 */
#ifndef FG_SCREEN_BUILD_H
#define FG_SCREEN_BUILD_H

#include "schema/schema.h"
#include "screen/model.h"
#include "store/store.h"

typedef struct fg_model_builder fg_model_builder;

/* Multiply-xor hash of the n bytes at s, folded to 32 bits: the builder's
 * pools and the rules' text sets (rule_kit.h) hash ids with it. */
uint32_t fg_mb_hash(const char *s, size_t n);

fg_model_builder *fg_mb_new(void);
/* Mark table t as brought by some batch (even with no rows). */
void fg_mb_present(fg_model_builder *b, fg_table_id t);
/* Add one stored row (implies fg_mb_present). Copies what it keeps. */
void fg_mb_add(fg_model_builder *b, fg_table_id t, int64_t rowid, const fg_value *vals);
/* Give b the heap block rows (room for cap rows of t; b owns it from now)
 * to hold its rows of t, before its first row of t. */
void fg_mb_rows_adopt(fg_model_builder *b, fg_table_id t, void *rows, int64_t cap);
/* Let b write its rows of t into rows[0..cap) inside a block adopted by the
 * builder it will be absorbed into, at or after where that builder's rows
 * of t will end: absorbing then moves no row (or moves it down). b never
 * holds more than cap rows of t. */
void fg_mb_rows_window(fg_model_builder *b, fg_table_id t, void *rows, int64_t cap);
/* Make b a builder that will be absorbed into another: the ids that are
 * unique per row (settlement_id, invoice_no, txn_id, op_id)
 * are then not looked up, only appended; fg_mb_absorb merges equal ones.
 * Call before the first row; never on the builder that is finished. */
void fg_mb_defer(fg_model_builder *b);
/* Whether b holds a complete model within the model's limits (distinct
 * ids, rows per window, items and settlements): FG_ELIMIT with a message
 * otherwise. Call before fg_mb_finish; a builder over a limit never aborts
 * the process, it is refused here. */
int fg_mb_check(const fg_model_builder *b, fg_err *err);
/* Finish: returns the model (owned by caller, fg_model_free) and frees b. */
fg_model *fg_mb_finish(fg_model_builder *b);
void fg_model_free(fg_model *m);
/* Discard a builder without finishing it. */
void fg_mb_free(fg_model_builder *b);
/* Move every table of `from` into `into` (from's rows of a table go after
 * into's), re-interning from's identifiers in id order; frees `from`. The parallel
 * loader builds one builder per thread and merges them in a fixed order,
 * so the ids of the model do not depend on thread timing. */
void fg_mb_absorb(fg_model_builder *into, fg_model_builder *from);

/* Finish nb (a builder of the rows a store gained since base was built,
 * rowids above base's) onto base: the model of base's rows and nb's, with
 * the ids one builder fed base's rows and then nb's would give. Consumes
 * base and nb (also on failure: NULL, err set). base may be a snapshot's
 * mapping (build_extend.c). */
fg_model *fg_mb_extend(fg_model *base, fg_model_builder *nb, fg_err *err);

/* Load the whole model from a store (uses both cores: chunks of the tables
 * are read on two connections in parallel; see load.c). */
int fg_model_load(const char *store_path, fg_model **out, fg_err *err);
/* The same with chunks of at most chunk_rows rowids (tests: any chunk size
 * gives the same model). */
int fg_model_load_chunked(const char *store_path, int64_t chunk_rows, fg_model **out,
                          fg_err *err);

/* The model of base extended by the store's rows with rowids in
 * [from[t], to[t]] of each table t (from > to: none): the rows the store
 * gained since base was built, when the store only grew (snapshot.h
 * fg_snapshot_key_grown). Same rows as fg_model_load, so the same findings;
 * ids may be numbered differently. base is consumed (also on failure).
 * *nread: the rows read from the store. */
int fg_model_extend(const char *store_path, fg_model *base, const int64_t from[FG_T_COUNT],
                    const int64_t to[FG_T_COUNT], fg_model **out, int64_t *nread, fg_err *err);

/* The same in two steps, so that the new rows are read while something
 * else runs (the snapshot's digest being checked): _start reads rows
 * [from, to] on a thread of its own (NULL when no thread could start);
 * _finish waits for it and extends base with them when its from and to
 * are the ones given (else it reads them again: the job was started from
 * an unverified header), consuming base as fg_model_extend does; _cancel
 * waits and drops them (j NULL: nothing). */
typedef struct fg_extend_job fg_extend_job;
fg_extend_job *fg_model_extend_start(const char *store_path, const int64_t from[FG_T_COUNT],
                                     const int64_t to[FG_T_COUNT]);
int fg_model_extend_finish(fg_extend_job *j, const char *store_path, fg_model *base,
                           const int64_t from[FG_T_COUNT], const int64_t to[FG_T_COUNT],
                           fg_model **out, int64_t *nread, fg_err *err);
void fg_model_extend_cancel(fg_extend_job *j);

/* The rows the model holds, all tables together. */
int64_t fg_model_rows_total(const fg_model *m);

/* Lookups: -1 / 0 when the id is not in the model (sid 0 is also the empty
 * string, so check for 0 before comparing). Person ids match upper-cased.
 * sids are not in text order; compare m->str[sid] with strcmp for that. */
fg_pk fg_model_find_pk(const fg_model *m, const char *person_id);
fg_sid fg_model_find_sid(const fg_model *m, const char *s);

#endif
