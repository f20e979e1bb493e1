/*
 * rowhash.h — the digest of a covered group of stored rows (docs/journal.md
 * "Covers"): the group's rows, in rowid order, are cut into chunks of
 * FG_JOURNAL_CHUNK_ROWS rows; a chunk's leaf is SHA-256(0x00 || rows), each
 * row framed as rowid (8 bytes, big-endian), length of its encoding (4
 * bytes, big-endian) and its canonical encoding; the group's root is the
 * RFC 6962 root over the chunk leaves (merkle.h). One streaming SHA-256
 * per chunk instead of one hash (and one tree node) per row.
 *
 * Two encoders give the same bytes: from stored cells (what `log verify`
 * and fg_journal_rows_root read back with SELECT *) and from the values the
 * importer binds to its INSERT (import_pipe.c), so the import computes its
 * digests while it stores the rows and the journal hook reads nothing back.
 */
#ifndef FG_JOURNAL_ROWHASH_H
#define FG_JOURNAL_ROWHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "common/fg.h"
#include "common/sha256.h"
#include "schema/schema.h"
#include "store/store.h"

/* Rows per chunk (the unit a changed row is located to). */
#define FG_JOURNAL_CHUNK_ROWS 4096
/* Bytes framing each row inside a chunk: rowid (8) and length (4). */
#define FG_ROWHASH_FRAME_BYTES 12

typedef struct fg_rowhash {
  fg_sha256_ctx sha; /* the open chunk */
  int chunk_rows;               /* rows in the open chunk */
  bool open_skipped;            /* the open chunk's leaf is made elsewhere */
  int64_t rows;
  int64_t last_rowid;           /* rowids must increase */
  uint8_t (*leaves)[32];        /* one per chunk */
  int64_t *first, *last;        /* rowid range of each chunk */
  bool *awaited;                /* per chunk: skipped, its leaf not filed yet */
  int64_t nchunks, cap, nawaited;
  bool finished;
  uint8_t root[32]; /* after fg_rowhash_finish */
} fg_rowhash;

void fg_rowhash_init(fg_rowhash *h);
/* Start a row's bytes in b: reset, then the frame's room. */
void fg_rowhash_row_begin(fg_buf *b);
/* Add the row framed in b (fg_rowhash_row_begin, then an encoder). */
void fg_rowhash_add(fg_rowhash *h, int64_t rowid, fg_buf *b);
/* Close the open chunk and compute the root (empty group: SHA-256("")).
 * Every skipped chunk's leaf must have been filed. */
void fg_rowhash_finish(fg_rowhash *h);
void fg_rowhash_release(fg_rowhash *h);

/* Leaves made on another thread (the importer's, import_pipe.c): the side
 * that counts the rows calls fg_rowhash_skip instead of fg_rowhash_add for
 * every row of a chunk whose leaf another side makes (a chunk is wholly one
 * or the other: its first row decides) and gets the chunk's index; that
 * side makes the leaf over the same rows with fg_rowhash_leaf_*, and it is
 * filed with fg_rowhash_set_leaf, after fg_rowhash_close and before
 * fg_rowhash_finish. The bytes are the same whichever side hashes them. */
int64_t fg_rowhash_skip(fg_rowhash *h, int64_t rowid);
/* Close the open chunk, if any (fg_rowhash_finish does it too). */
void fg_rowhash_close(fg_rowhash *h);
void fg_rowhash_set_leaf(fg_rowhash *h, int64_t chunk, const uint8_t leaf[32]);

typedef struct fg_rowhash_leaf {
  fg_sha256_ctx sha;
  int rows;
  int64_t last_rowid;
} fg_rowhash_leaf;
void fg_rowhash_leaf_begin(fg_rowhash_leaf *l);
/* Add the row framed in b (fg_rowhash_row_begin, then an encoder). */
void fg_rowhash_leaf_add(fg_rowhash_leaf *l, int64_t rowid, fg_buf *b);
void fg_rowhash_leaf_end(fg_rowhash_leaf *l, uint8_t out[32]);

/* Canonical encoding of a stored row, appended to out: every column in
 * declared order as `N`, `I` + int64, `R` + IEEE double (8 bytes,
 * big-endian), `T`/`B` + 4-byte big-endian length + bytes. */
void fg_journal_row_encode(const fg_store_cell *cells, int n, fg_buf *out);
/* The stored cells of a row of table std (a standard table, or NULL for
 * any other) that its encoding holds: all of them, except that NULLs at
 * the end of the columns a later migration added to a standard table are
 * left out (schema.h store_version), so a row stored before the column
 * existed keeps the digest the journal signed for it. */
int fg_journal_cells_used(const fg_table *std, const fg_store_cell *cells, int n);
/* Columns of vals (a row of standard table t, cols[] order) its digests
 * encode: the base columns, then the added ones up to the last non-NULL. */
int fg_journal_row_cols(const fg_table *t, const fg_value *vals);
/* The same bytes for a row of standard table t as the importer binds it,
 * in the store's column order: the base columns (INTEGER columns from i,
 * TEXT from s/n, NULL when is_null), _batch, _line, the _digest of a
 * keyless table (vals[ncols]), then the added columns (fg_journal_row_cols). */
void fg_journal_values_encode(const fg_table *t, const fg_value *vals, int64_t batch,
                              int64_t line, fg_buf *out);

#endif
