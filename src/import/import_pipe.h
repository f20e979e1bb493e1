/*
 * import_pipe.h — private to src/import: the two-thread pipeline of one
 * import batch.
 *
 * A worker thread reads every file (CSV parsing, field checks, keys,
 * references, error messages, reject file: import_row.c, unchanged in what
 * it decides and in the order it reports) and hands each row to be stored
 * to the pipe as a copy (values and text); the calling thread, the only one
 * that touches the SQLite connection, takes the rows out in order and
 * inserts them. The pipe is a ring of FG_IMP_PIPE_CHUNKS chunks of at most
 * FG_IMP_CHUNK_ROWS rows (and about FG_IMP_CHUNK_TEXT_BYTES of text, one
 * record more at worst): that bounds the memory in flight. The rare read
 * the worker needs from the store (a key stored by an earlier batch: its
 * row, to compare) is a request the SQLite thread serves between chunks.
 * A store failure on the SQLite thread stops the worker at its next row;
 * the caller then rolls the whole batch back.
 */
#ifndef FG_IMPORT_IMPORT_PIPE_H
#define FG_IMPORT_IMPORT_PIPE_H

#include "common/fg.h"
#include "csv/csv.h"
#include "import/import.h"

/* Chunks in the ring, rows per chunk, text bytes per chunk (soft). */
#define FG_IMP_PIPE_CHUNKS 8
#define FG_IMP_CHUNK_ROWS 1024
#define FG_IMP_CHUNK_TEXT_BYTES (256u * 1024u)

typedef struct fg_imp fg_imp;
typedef struct fg_imp_pipe fg_imp_pipe;

/* Run the batch's file loop (fg_imp_read_file for every file with a reader
 * in csv[]) on a worker thread while this thread stores the rows. Returns
 * the first failure (the worker's, else the store's) with err filled. */
int fg_imp_pipe_run(fg_imp *im, fg_csv *const csv[FG_T_COUNT], fg_err *err);

/* Worker side: queue a copy of row vals (schema column order) of file f
 * for insertion, with the hash of its key (0: none) for batch_keys;
 * non-zero when the SQLite thread has failed (err filled). */
int fg_imp_pipe_push(fg_imp_pipe *p, fg_import_file *f, int64_t line, const fg_value *vals,
                     uint64_t key_hash, fg_err *err);
/* Worker side: fg_store_get_row through the SQLite thread. The TEXT values
 * stay valid until the next call. */
int fg_imp_pipe_get_row(fg_imp_pipe *p, fg_table_id t, int64_t rowid, fg_value *vals,
                        bool *found, fg_err *err);

/* Who makes the journal's leaves (rowhash.h) of the rows stored: the
 * worker as it queues a row, or the SQLite thread as it inserts it; a
 * journal chunk (FG_JOURNAL_CHUNK_ROWS rows) is wholly one side's, the
 * bytes hashed the same either way. By default (BALANCE) the worker decides
 * at each chunk's first row from the ring: at most half full, the SQLite
 * thread keeps up and takes the chunk; fuller, it is the slower side and
 * the worker keeps it. Which thread bounds an import differs from one
 * machine to the next (issue 19: the SQLite thread on one VM, the worker on
 * another); a fixed side was wrong on one of them. Tests force a side, or
 * alternate, to prove the leaves agree. Process-wide; not for users. */
typedef enum {
  FG_IMP_HASH_BALANCE,
  FG_IMP_HASH_WORKER,
  FG_IMP_HASH_STORER,
  FG_IMP_HASH_ALTERNATE
} fg_imp_hash_policy;
void fg_imp_pipe_set_hash_policy(fg_imp_hash_policy policy);

#endif
