/*
 * rowhash.c — chunked digests of covered rows (rowhash.h): the row
 * encoders, the per-chunk streaming SHA-256 and the RFC 6962 root over the
 * chunk leaves. docs/journal.md "Covers" documents every byte.
 */
#include "journal/rowhash.h"

#include <stdlib.h>
#include <string.h>

#include "journal/merkle.h"

static inline void fg_rh_be(uint8_t *p, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; k++) p[k] = (uint8_t)(v >> (8 * (bytes - 1 - k)));
}

void fg_rowhash_init(fg_rowhash *h) {
  FG_ASSERT_HOT(h != NULL);
  memset(h, 0, sizeof *h);
  h->last_rowid = INT64_MIN;
}

void fg_rowhash_row_begin(fg_buf *b) {
  fg_buf_reset(b);
  fg_buf_grow(b, FG_ROWHASH_FRAME_BYTES);
  b->len = FG_ROWHASH_FRAME_BYTES;
}

/* Start a chunk's hash: SHA-256 over 0x00 (an RFC 6962 leaf), then rows. */
static void fg_rh_leaf_start(fg_sha256_ctx *sha) {
  const uint8_t prefix = 0x00;
  fg_sha256_init(sha);
  fg_sha256_update(sha, &prefix, 1);
}

/* Frame the row in b (rowid, length) and add it to a chunk's hash. */
static void fg_rh_frame_add(fg_sha256_ctx *sha, int64_t rowid, fg_buf *b) {
  uint8_t *frame = (uint8_t *)b->buf;
  fg_rh_be(frame, (uint64_t)rowid, 8);
  fg_rh_be(frame + 8, (uint64_t)(b->len - FG_ROWHASH_FRAME_BYTES), 4);
  fg_sha256_update(sha, frame, b->len);
}

void fg_rowhash_leaf_begin(fg_rowhash_leaf *l) {
  FG_ASSERT_HOT(l != NULL);
  fg_rh_leaf_start(&l->sha);
  l->rows = 0;
  l->last_rowid = INT64_MIN;
}

void fg_rowhash_leaf_add(fg_rowhash_leaf *l, int64_t rowid, fg_buf *b) {
  FG_ASSERT_HOT(l != NULL && b != NULL && b->len >= FG_ROWHASH_FRAME_BYTES);
  FG_ASSERT_HOT(rowid > l->last_rowid && l->rows < FG_JOURNAL_CHUNK_ROWS);
  FG_ASSERT_HOT(b->len - FG_ROWHASH_FRAME_BYTES <= UINT32_MAX);
  fg_rh_frame_add(&l->sha, rowid, b);
  l->last_rowid = rowid;
  l->rows++;
}

void fg_rowhash_leaf_end(fg_rowhash_leaf *l, uint8_t out[32]) {
  FG_ASSERT_HOT(l != NULL && l->rows > 0);
  fg_sha256_final(&l->sha, out);
}

static void fg_rh_close_chunk(fg_rowhash *h) {
  FG_ASSERT_HOT(h->chunk_rows > 0 && h->nchunks < h->cap);
  if (h->open_skipped) {
    memset(h->leaves[h->nchunks], 0, 32);
    h->awaited[h->nchunks] = true;
    h->nawaited++;
  } else {
    fg_sha256_final(&h->sha, h->leaves[h->nchunks]);
    h->awaited[h->nchunks] = false;
  }
  h->last[h->nchunks] = h->last_rowid;
  h->nchunks++;
  h->chunk_rows = 0;
  h->open_skipped = false;
}

/* Open chunk nchunks at rowid (its leaf made here unless skipped). */
static void fg_rh_open_chunk(fg_rowhash *h, int64_t rowid, bool skipped) {
  FG_ASSERT_HOT(h->chunk_rows == 0);
  if (h->nchunks == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 16;
    h->leaves = fg_xrealloc(h->leaves, (size_t)h->cap * sizeof *h->leaves);
    h->first = fg_xrealloc(h->first, (size_t)h->cap * sizeof *h->first);
    h->last = fg_xrealloc(h->last, (size_t)h->cap * sizeof *h->last);
    h->awaited = fg_xrealloc(h->awaited, (size_t)h->cap * sizeof *h->awaited);
  }
  if (!skipped) fg_rh_leaf_start(&h->sha);
  h->open_skipped = skipped;
  h->first[h->nchunks] = rowid;
}

void fg_rowhash_add(fg_rowhash *h, int64_t rowid, fg_buf *b) {
  FG_ASSERT_HOT(h != NULL && !h->finished && b != NULL && b->len >= FG_ROWHASH_FRAME_BYTES);
  FG_ASSERT_HOT(rowid > h->last_rowid); /* rowid order */
  FG_ASSERT_HOT(b->len - FG_ROWHASH_FRAME_BYTES <= UINT32_MAX);
  if (h->chunk_rows == 0) fg_rh_open_chunk(h, rowid, false);
  FG_ASSERT(!h->open_skipped); /* a chunk is wholly added or wholly skipped */
  fg_rh_frame_add(&h->sha, rowid, b);
  h->last_rowid = rowid;
  h->rows++;
  if (++h->chunk_rows == FG_JOURNAL_CHUNK_ROWS) fg_rh_close_chunk(h);
}

int64_t fg_rowhash_skip(fg_rowhash *h, int64_t rowid) {
  FG_ASSERT_HOT(h != NULL && !h->finished);
  FG_ASSERT_HOT(rowid > h->last_rowid); /* rowid order */
  if (h->chunk_rows == 0) fg_rh_open_chunk(h, rowid, true);
  FG_ASSERT(h->open_skipped); /* a chunk is wholly added or wholly skipped */
  const int64_t chunk = h->nchunks;
  h->last_rowid = rowid;
  h->rows++;
  if (++h->chunk_rows == FG_JOURNAL_CHUNK_ROWS) fg_rh_close_chunk(h);
  return chunk;
}

void fg_rowhash_close(fg_rowhash *h) {
  FG_ASSERT_HOT(h != NULL && !h->finished);
  if (h->chunk_rows > 0) fg_rh_close_chunk(h);
}

void fg_rowhash_set_leaf(fg_rowhash *h, int64_t chunk, const uint8_t leaf[32]) {
  FG_ASSERT(h != NULL && !h->finished && chunk >= 0 && chunk < h->nchunks);
  FG_ASSERT(h->awaited[chunk]); /* filed once, and only for a skipped chunk */
  memcpy(h->leaves[chunk], leaf, 32);
  h->awaited[chunk] = false;
  h->nawaited--;
}

void fg_rowhash_finish(fg_rowhash *h) {
  FG_ASSERT_HOT(h != NULL && !h->finished);
  fg_rowhash_close(h);
  FG_ASSERT(h->nawaited == 0); /* a skipped chunk's leaf never filed: a wrong root */
  FG_ASSERT_HOT(h->nchunks == (h->rows + FG_JOURNAL_CHUNK_ROWS - 1) / FG_JOURNAL_CHUNK_ROWS);
  fg_merkle_root((const fg_merkle_hash *)h->leaves, (uint64_t)h->nchunks, h->root);
  h->finished = true;
}

void fg_rowhash_release(fg_rowhash *h) {
  if (h == NULL) return;
  free(h->leaves);
  free(h->first);
  free(h->last);
  free(h->awaited);
  fg_rowhash_init(h);
}

/* Room for n more bytes; returns where they go (len advanced). */
static inline uint8_t *fg_rh_room(fg_buf *out, size_t n) {
  fg_buf_grow(out, n);
  uint8_t *p = (uint8_t *)out->buf + out->len;
  out->len += n;
  return p;
}

static inline void fg_rh_int(fg_buf *out, char tag, uint64_t u) {
  uint8_t *p = fg_rh_room(out, 9);
  p[0] = (uint8_t)tag;
  fg_rh_be(p + 1, u, 8);
}

static inline void fg_rh_bytes(fg_buf *out, char tag, const void *s, int n) {
  FG_ASSERT_HOT(n >= 0);
  uint8_t *p = fg_rh_room(out, 5 + (size_t)n);
  p[0] = (uint8_t)tag;
  fg_rh_be(p + 1, (uint32_t)n, 4);
  if (n > 0) memcpy(p + 5, s, (size_t)n);
}

void fg_journal_row_encode(const fg_store_cell *cells, int n, fg_buf *out) {
  FG_ASSERT_HOT(cells != NULL || n == 0);
  for (int c = 0; c < n; c++) {
    const fg_store_cell *x = &cells[c];
    uint64_t u = (uint64_t)x->i;
    switch (x->type) {
    case 'I': fg_rh_int(out, 'I', u); break;
    case 'R':
      memcpy(&u, &x->r, sizeof u);
      fg_rh_int(out, 'R', u);
      break;
    case 'T':
    case 'B': fg_rh_bytes(out, x->type, x->p, x->n); break;
    default: fg_buf_addc(out, 'N'); break;
    }
  }
}

int fg_journal_cells_used(const fg_table *std, const fg_store_cell *cells, int n) {
  FG_ASSERT_HOT(cells != NULL || n == 0);
  if (std == NULL) return n;
  const int base = fg_schema_base_cols(std) + 2 + (fg_schema_keyless(std) ? 1 : 0);
  FG_ASSERT_HOT(n >= base);
  while (n > base && cells[n - 1].type == 'N') n--;
  return n;
}

int fg_journal_row_cols(const fg_table *t, const fg_value *vals) {
  FG_ASSERT_HOT(t != NULL && vals != NULL);
  int n = t->ncols;
  while (n > 0 && t->cols[n - 1].store_version > 0 && vals[n - 1].is_null) n--;
  return n;
}

static void fg_rh_value(fg_buf *out, const fg_column *c, const fg_value *v) {
  if (v->is_null) fg_buf_addc(out, 'N');
  else if (fg_schema_is_int(c->type)) fg_rh_int(out, 'I', (uint64_t)v->i);
  else fg_rh_bytes(out, 'T', v->s, v->n);
}

void fg_journal_values_encode(const fg_table *t, const fg_value *vals, int64_t batch,
                              int64_t line, fg_buf *out) {
  FG_ASSERT_HOT(t != NULL && vals != NULL && out != NULL);
  const int base = fg_schema_base_cols(t), used = fg_journal_row_cols(t, vals);
  for (int c = 0; c < base; c++) fg_rh_value(out, &t->cols[c], &vals[c]);
  fg_rh_int(out, 'I', (uint64_t)batch);
  fg_rh_int(out, 'I', (uint64_t)line);
  if (fg_schema_keyless(t)) fg_rh_bytes(out, 'B', vals[t->ncols].s, FG_DIGEST_BYTES); /* _digest */
  for (int c = base; c < used; c++) fg_rh_value(out, &t->cols[c], &vals[c]);
}
