/*
 * import_filter.c — a small batch on a big store: read the batch's own keys
 * first, then load only the stored keys that could equal one of them.
 *
 * Why.  An import checks every row against what earlier batches stored:
 * keys (a payment id stored before), resends (a keyless row's digest) and
 * references (the person a contribution names). It used to load every
 * stored key of those tables into hash sets before reading the batch: for
 * a month of data on a store of ten years that is 60 M keys, most of the
 * time and memory of the import (perf: hash-set inserts and the kernel
 * zeroing their pages), for 0.6 M rows that need a few of them.
 *
 * How.  When the stored rows of the tables involved far outnumber the
 * batch's rows (fg_imp_filter_wanted), the batch's files are read once
 * before (fg_imp_filter_build): every row's fields are judged exactly as
 * the import proper judges them (fg_import_judge; a value it refuses is
 * absent, as there), and the bytes the import proper will look up are
 * added to a filter of the table they are looked up in: a keyed row's key,
 * a keyless row's digest, every referenced value. Nothing is reported and
 * nothing counted in this pass; the import proper then reads the files
 * as always. A file this pass cannot read to its end, or whose bytes are
 * not the bytes the import proper reads (SHA-256 of both readers: a file
 * swapped in between), leaves every table without a filter.
 *
 * The filter is a Bloom filter (two bits of 16 per entry, in one word): it
 * never says no to bytes that were added, so every stored key the batch
 * could meet is loaded, and each lookup answers as with the whole set; a
 * stored key it wrongly lets through (a few percent) only costs memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_impl.h"
#include "import/import_keyset.h"
#include "import/import_sets.h"

enum {
  FG_IMP_FILTER_BITS_PER_KEY = 16,
  FG_IMP_FILTER_BITS_MIN = 4096,
  /* rows are assumed at least this long when guessing a batch's row count */
  FG_IMP_FILTER_ROW_BYTES_MIN = 16,
  /* filter only when the stored rows are this many times the batch's */
  FG_IMP_FILTER_RATIO = 8,
  FG_IMP_FILTER_RELEASE_ROWS = 65536,
};

struct fg_imp_filter {
  uint64_t *h; /* hashes added; once sealed, sorted and distinct */
  size_t n, cap;
  uint64_t *bits;
  uint64_t mask; /* bit count - 1 */
};

static void fg_imp_filter_add(fg_imp_filter *f, const void *s, size_t n) {
  if (f->n == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 1024;
    f->h = fg_xrealloc(f->h, f->cap * sizeof *f->h);
  }
  f->h[f->n++] = fg_keyset_hash_of(s, n);
}

/* The word of h and its two bits in it: a blocked Bloom filter (one cache
 * line per probe; the stored keys probed are tens of millions). */
static uint64_t fg_imp_filter_word(const fg_imp_filter *f, uint64_t h, uint64_t *bits) {
  *bits = (1ull << ((h >> 52) & 63)) | (1ull << ((h >> 40) & 63));
  return (h & f->mask) / 64;
}

static int fg_imp_filter_cmp(const void *a, const void *b) {
  const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Build the bits from the hashes added; keep the hashes, sorted and
 * distinct, for fg_imp_filter_has_hash. */
static void fg_imp_filter_seal(fg_imp_filter *f) {
  uint64_t nbits = FG_IMP_FILTER_BITS_MIN;
  while (nbits < (uint64_t)f->n * FG_IMP_FILTER_BITS_PER_KEY) nbits *= 2;
  f->bits = fg_xcalloc(nbits / 64, sizeof *f->bits);
  f->mask = nbits - 1;
  for (size_t i = 0; i < f->n; i++) {
    uint64_t b = 0;
    const uint64_t w = fg_imp_filter_word(f, f->h[i], &b);
    f->bits[w] |= b;
  }
  if (f->n > 1) qsort(f->h, f->n, sizeof *f->h, fg_imp_filter_cmp);
  size_t k = 0;
  for (size_t i = 0; i < f->n; i++)
    if (k == 0 || f->h[k - 1] != f->h[i]) f->h[k++] = f->h[i];
  f->n = k;
}

bool fg_imp_filter_has_hash(const fg_imp_filter *f, uint64_t h) {
  FG_ASSERT_HOT(f != NULL && f->bits != NULL);
  uint64_t b = 0;
  const uint64_t w = fg_imp_filter_word(f, h, &b);
  if ((f->bits[w] & b) != b) return false;
  size_t lo = 0, hi = f->n;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (f->h[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->n && f->h[lo] == h;
}

bool fg_imp_filter_has(const fg_imp_filter *f, const void *s, size_t n) {
  FG_ASSERT_HOT(f != NULL && f->bits != NULL);
  uint64_t b = 0;
  const uint64_t w = fg_imp_filter_word(f, fg_keyset_hash_of(s, n), &b);
  return (f->bits[w] & b) == b;
}

void fg_imp_filter_free(fg_imp_filter *f) {
  if (f == NULL) return;
  free(f->h);
  free(f->bits);
  free(f);
}

/* The tables whose stored keys the batch's rows look up: its own, and the
 * ones they reference. */
static void fg_imp_filter_tables(fg_csv *const csv[FG_T_COUNT], bool looked_up[FG_T_COUNT]) {
  memset(looked_up, 0, FG_T_COUNT * sizeof *looked_up);
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (csv[t] == NULL) continue;
    looked_up[t] = true;
    const fg_table *tab = fg_schema_table(t);
    for (int c = 0; c < tab->ncols; c++)
      if (tab->cols[c].ref_table >= 0) looked_up[tab->cols[c].ref_table] = true;
  }
}

int fg_imp_filter_wanted(fg_imp *im, fg_csv *const csv[FG_T_COUNT], bool *wanted, fg_err *err) {
  *wanted = false;
  const char *env = getenv("FUNDGUARD_IMPORT_FILTER");
  if (env && strcmp(env, "0") == 0) return 0; /* every stored key, for comparison */
  bool looked_up[FG_T_COUNT];
  fg_imp_filter_tables(csv, looked_up);
  uint64_t batch_bytes = 0;
  int64_t stored = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (csv[t] != NULL) batch_bytes += fg_csv_size(csv[t]);
    if (!looked_up[t]) continue;
    int64_t lo = 0, hi = 0;
    const int rc = fg_store_rowid_bounds(im->s, (fg_table_id)t, &lo, &hi, err);
    if (rc) return rc;
    if (hi >= lo) stored += hi - lo + 1; /* rowids are dense: the span is the count */
  }
  const uint64_t batch_rows_max = batch_bytes / FG_IMP_FILTER_ROW_BYTES_MIN + 1;
  *wanted = stored > 0 && (uint64_t)stored / FG_IMP_FILTER_RATIO > batch_rows_max;
  return 0;
}

/* The file's header: field position -> schema column, -1 not read. */
static int fg_imp_filter_header(const fg_table *t, const fg_csv_record *h, int *colmap) {
  for (int i = 0; i < h->nf; i++) {
    int dup = -1;
    const int c = fg_imp_header_col(t, h, i, &dup);
    colmap[i] = dup < 0 ? c : -1;
  }
  return h->nf;
}

typedef struct fg_imp_filter_row {
  const fg_table *t;
  fg_value vals[FG_MAX_COLS + 1];
  char pid[FG_MAX_COLS][FG_IMPORT_PID_BYTES];
  uint8_t digest[FG_DIGEST_BYTES];
  fg_buf key;
} fg_imp_filter_row;

/* One row: judge its fields as the import does, add what will be looked up. */
static void fg_imp_filter_row_add(fg_imp *im, fg_imp_filter_row *r, const fg_csv_record *rec,
                                  const int *colmap) {
  const fg_table *t = r->t;
  for (int c = 0; c < t->ncols; c++) r->vals[c] = (fg_value){true, 0, NULL, 0};
  for (int i = 0; i < rec->nf; i++)
    if (colmap[i] >= 0)
      (void)fg_imp_value(&t->cols[colmap[i]], rec->f[i].s, rec->f[i].n, &r->vals[colmap[i]],
                         r->pid[colmap[i]]);
  if (fg_schema_keyless(t)) {
    fg_imp_row_digest(t, r->vals, &r->key, r->digest);
    fg_imp_filter_add(im->tabs[t->id].filter, r->digest, FG_DIGEST_BYTES);
  } else {
    fg_buf_reset(&r->key);
    bool whole = true;
    for (int k = 0; k < t->nkey && whole; k++) {
      const fg_value *v = &r->vals[t->key_cols[k]];
      whole = !v->is_null;
      if (whole) fg_imp_key_add(&r->key, &t->cols[t->key_cols[k]], v);
    }
    if (whole) fg_imp_filter_add(im->tabs[t->id].filter, r->key.buf ? r->key.buf : "", r->key.len);
  }
  for (int c = 0; c < t->ncols; c++) {
    const int rt = t->cols[c].ref_table;
    const fg_value *v = &r->vals[c];
    if (rt >= 0 && !v->is_null) fg_imp_filter_add(im->tabs[rt].filter, v->s, (size_t)v->n);
  }
}

/* Read one file of the batch (a reader of its own, same encoding). False
 * when it could not be read to its end or its bytes are not those of the
 * import proper's reader (the file replaced meanwhile): then no filter. */
static bool fg_imp_filter_file(fg_imp *im, fg_table_id tid, const fg_csv *main) {
  char path[FG_IMPORT_PATH_LEN_MAX];
  const int pn = snprintf(path, sizeof path, "%s/%s", im->dir, fg_schema_table(tid)->file);
  if (pn < 0 || (size_t)pn >= sizeof path) return false;
  fg_csv *c = NULL;
  fg_err e = {0};
  if (fg_csv_open(path, fg_csv_encoding(main), &c, &e) != 0) return false;
  fg_imp_filter_row *r = fg_xcalloc(1, sizeof *r);
  r->t = fg_schema_table(tid);
  int *colmap = fg_xmalloc(FG_CSV_FIELDS_MAX * sizeof *colmap);
  fg_csv_record rec;
  int nheader = 0;
  int got = fg_csv_next(c, &rec, &e);
  if (got > 0) nheader = fg_imp_filter_header(r->t, &rec, colmap);
  for (int64_t n = 1; got > 0; n++) {
    got = fg_csv_next(c, &rec, &e);
    if (got > 0 && rec.nf == nheader) fg_imp_filter_row_add(im, r, &rec, colmap);
    if (n % FG_IMP_FILTER_RELEASE_ROWS == 0) fg_csv_release_consumed(c);
  }
  uint8_t mine[32], theirs[32];
  fg_csv_sha256(c, mine);
  fg_csv_sha256(main, theirs);
  fg_buf_release(&r->key);
  free(colmap);
  free(r);
  fg_csv_close(c);
  return got == 0 && memcmp(mine, theirs, sizeof mine) == 0;
}

void fg_imp_filter_build(fg_imp *im, fg_csv *const csv[FG_T_COUNT]) {
  bool looked_up[FG_T_COUNT];
  fg_imp_filter_tables(csv, looked_up);
  for (int t = 0; t < FG_T_COUNT; t++)
    if (looked_up[t]) im->tabs[t].filter = fg_xcalloc(1, sizeof *im->tabs[t].filter);
  bool ok = true;
  for (int t = 0; t < FG_T_COUNT && ok; t++)
    if (csv[t] != NULL) ok = fg_imp_filter_file(im, (fg_table_id)t, csv[t]);
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (!im->tabs[t].filter) continue;
    if (ok) {
      fg_imp_filter_seal(im->tabs[t].filter);
    } else { /* a filter missing some of the batch's keys would be wrong: none */
      fg_imp_filter_free(im->tabs[t].filter);
      im->tabs[t].filter = NULL;
    }
  }
}
