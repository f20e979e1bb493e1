/*
 * import_load.c — which stored keys a batch needs (fg_imp_load_stored),
 * and, for a small batch on a big store, reading them on both cores.
 *
 * What.  Before the files are read, the import loads the key sets of the
 * tables the batch writes (a keyed table's keys, a keyless table's row
 * digests: the resend rule) and the reference sets of the tables they
 * point to (import.c). Without a filter every stored key goes into a set,
 * one table after the other on the store's own connection, as always.
 *
 * Why in parallel.  With a filter (import_filter.c: a month on a store of
 * years) each stored key is read, hashed, tested against the filter and
 * nearly always dropped: the sets stay small, and the time is all in the
 * reading. At a million persons a month's import read 58 M stored keys on
 * one thread for 9 of its 11 seconds, the other core idle.
 *
 * How.  Each table to read is cut into ranges of FG_IMP_LOAD_CHUNK_ROWS
 * rowids (at most FG_IMP_LOAD_SCANS_MAX ranges in all). The import's
 * thread and one helper thread, on its own read-only connection
 * (fg_store_pair_each), take the ranges in turn; a range keeps the keys
 * its rows' filter lets through, in rowid order, in its own buffer. Then
 * the import's thread puts them into the sets, range after range: the
 * order of reading one table on one thread, so every set, and every tag in
 * it (the first stored row of a key wins), is what the serial reading
 * gives (test_import: test_parallel_stored_keys).
 *
 * Same data on both connections: the import holds the file's write lock
 * (BEGIN IMMEDIATE) and has not written a standard table yet, so the helper
 * sees exactly the committed rows the import's connection sees. The helper
 * closes before the first row is inserted (its SHARED lock would make a
 * rollback-journal writer wait). When the helper cannot open a connection,
 * the import's thread reads every range itself.
 *
 * Key hashes.  Where the store has the hashes of a table's stored keys
 * (batch_keys, store.h; every batch since store version 5 writes them), a
 * segment of them is one range: its hashes are tested against the batch's
 * exactly (fg_imp_filter_has_hash) and only the rows whose hash matches are
 * read back by rowid, their real keys kept as a range's are; a segment with
 * more matches than one row in FG_IMP_LOAD_FETCH_RATIO is read whole. The
 * rows between and after segments are ranges as above, so the order of
 * the kept keys is still the rowid order. A month at a million persons:
 * 58 M stored rows read before; after, 58.9 M hashes, no row read back
 * (no key met again), and the 1 M persons read whole (the month names
 * most of them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_impl.h"
#include "import/import_keyset.h"
#include "import/import_sets.h"

enum {
  /* ranges in all: a sanity bound (a planted rowid far away makes the
   * ranges wider, not more) */
  FG_IMP_LOAD_SCANS_MAX = 4096,
  /* bytes of the frame of a kept key: rowid (8) and length (4) */
  FG_IMP_LOAD_FRAME_BYTES = 12,
  /* a key-hash segment whose matches are more than 1 in this many rows is
   * read as a range (one row read back by rowid costs about as much as
   * this many read in order: persons met by most of a month's rows) */
  FG_IMP_LOAD_FETCH_RATIO = 64,
};

/* Rowids per range (1 Mi: 33 ranges for the contributions of a million
 * persons, so the two threads end close together). Tests make it small. */
static int64_t fg_imp_load_chunk_rows = (int64_t)1 << 20;

int64_t fg_imp_load_chunk_rows_set(int64_t rows) {
  FG_ASSERT(rows > 0);
  const int64_t old = fg_imp_load_chunk_rows;
  fg_imp_load_chunk_rows = rows;
  return old;
}

/* One table's stored keys to load: keys (the key columns, or the digests
 * of a keyless table) or the reference set of column 0. */
typedef struct fg_imp_load {
  fg_table_id t;
  bool digests;
  const int *cols;
  int ncols;
  fg_keyset *set;
} fg_imp_load;

typedef struct fg_imp_scan {
  const fg_imp_load *load;
  const fg_imp_filter *filter;
  int64_t lo, hi;
  const fg_store_key_seg *seg; /* rows lo..hi by their key hashes; NULL: read them */
  int64_t hashed, fetched;     /* rows looked at by hash, rows then read back */
  fg_buf kept; /* frames: rowid, length, key bytes */
  fg_buf key;  /* scratch */
  int rc;
  fg_err err;
} fg_imp_scan;

typedef struct fg_imp_scans {
  fg_imp_scan *v;
  int n;
  fg_store *own;       /* the import's connection (tuned for the batch) */
  bool reader_tuned;   /* the helper's reader: read by the helper only */
} fg_imp_scans;

static void fg_imp_scan_keep(fg_imp_scan *sc, int64_t rowid, const void *key, size_t n) {
  FG_ASSERT_HOT(n <= UINT32_MAX);
  const uint32_t len = (uint32_t)n;
  fg_buf_add(&sc->kept, &rowid, sizeof rowid);
  fg_buf_add(&sc->kept, &len, sizeof len);
  fg_buf_add(&sc->kept, key, n);
}

/* A row of a key range: vals at the schema's positions (fg_store_scan_range). */
static int fg_imp_scan_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_imp_scan *sc = ud;
  const fg_imp_load *l = sc->load;
  const fg_table *t = fg_schema_table(l->t);
  fg_buf_reset(&sc->key);
  for (int i = 0; i < l->ncols; i++) {
    const fg_value *v = &vals[l->cols[i]];
    if (v->is_null) return 0; /* a key column is required: only a hand-edited store */
    fg_imp_key_add(&sc->key, &t->cols[l->cols[i]], v);
  }
  const char *key = sc->key.buf ? sc->key.buf : "";
  if (fg_imp_filter_has(sc->filter, key, sc->key.len)) fg_imp_scan_keep(sc, rowid, key, sc->key.len);
  return 0;
}

static int fg_imp_scan_digest(void *ud, int64_t rowid, const void *digest) {
  fg_imp_scan *sc = ud;
  if (fg_imp_filter_has(sc->filter, digest, FG_DIGEST_BYTES))
    fg_imp_scan_keep(sc, rowid, digest, FG_DIGEST_BYTES);
  return 0;
}

static uint32_t fg_imp_load_mask(const fg_imp_load *l) {
  uint32_t mask = 0;
  for (int i = 0; i < l->ncols; i++) mask |= 1u << l->cols[i];
  return mask;
}

/* The rows of a segment whose key hash the batch looks up (rowids), or
 * *scan when they are too many to read one by one (a plain read of the
 * segment's range is then cheaper). */
static int fg_imp_seg_hits(fg_store *s, fg_imp_scan *sc, int64_t **hits, size_t *nhits,
                           bool *scan) {
  const fg_store_key_seg *g = sc->seg;
  FG_ASSERT(g->rows > 0 && g->rows <= FG_STORE_KEY_HASHES_SEG_ROWS);
  *hits = NULL;
  *nhits = 0;
  *scan = true;
  uint64_t *h = fg_xmalloc((size_t)g->rows * sizeof *h);
  bool ok = false;
  int rc = fg_store_batch_keys_read(s, g, h, &ok, &sc->err);
  if (rc == 0 && ok) {
    size_t n = 0, cap = 0;
    int64_t *v = NULL;
    const size_t most = (size_t)(g->rows / FG_IMP_LOAD_FETCH_RATIO);
    for (int64_t i = 0; i < g->rows && n <= most; i++) {
      if (h[i] == 0 || !fg_imp_filter_has_hash(sc->filter, h[i])) continue;
      if (n == cap) {
        cap = cap ? 2 * cap : 64;
        v = fg_xrealloc(v, cap * sizeof *v);
      }
      v[n++] = g->first_rowid + i;
    }
    if (n <= most) {
      *hits = v;
      *nhits = n;
      *scan = false;
    } else {
      free(v);
    }
  }
  free(h);
  return rc;
}

static int fg_imp_scan_run(fg_store *s, fg_imp_scan *sc) {
  const fg_imp_load *l = sc->load;
  if (sc->seg != NULL) {
    int64_t *hits = NULL;
    size_t n = 0;
    bool scan = true;
    int rc = fg_imp_seg_hits(s, sc, &hits, &n, &scan);
    if (rc == 0 && !scan) {
      sc->hashed = sc->seg->rows;
      sc->fetched = (int64_t)n;
      rc = l->digests ? fg_store_scan_digests_rowids(s, l->t, hits, n, fg_imp_scan_digest, sc,
                                                     &sc->err)
                      : fg_store_scan_rowids(s, l->t, fg_imp_load_mask(l), hits, n,
                                             fg_imp_scan_row, sc, &sc->err);
    }
    free(hits);
    if (rc != 0 || !scan) return rc;
  }
  if (l->digests)
    return fg_store_scan_digests_range(s, l->t, sc->lo, sc->hi, fg_imp_scan_digest, sc, &sc->err);
  return fg_store_scan_range(s, l->t, fg_imp_load_mask(l), sc->lo, sc->hi, fg_imp_scan_row, sc,
                             &sc->err);
}

/* Range i on conn (fg_store_pair_each: a failure stops the others). */
static int fg_imp_scan_each(void *ctx, fg_store *conn, size_t i) {
  fg_imp_scans *ss = ctx;
  fg_imp_scan *sc = &ss->v[i];
  if (conn != ss->own && !ss->reader_tuned) {
    fg_store_scan_tune(conn);
    ss->reader_tuned = true;
  }
  sc->rc = fg_imp_scan_run(conn, sc);
  return sc->rc;
}

/* Cut [lo, hi] into ranges of at least chunk_rows rowids, appended to ss
 * (sized by the caller: at most FG_IMP_LOAD_SCANS_MAX in all). */
static void fg_imp_scans_cut(fg_imp_scans *ss, const fg_imp_load *l, const fg_imp_filter *f,
                             int64_t lo, int64_t hi, uint64_t width) {
  FG_ASSERT(lo <= hi && width > 0);
  for (int64_t a = lo;;) {
    FG_ASSERT(ss->n < FG_IMP_LOAD_SCANS_MAX);
    const int64_t b = (uint64_t)hi - (uint64_t)a < width ? hi : (int64_t)((uint64_t)a + width - 1);
    ss->v[ss->n++] = (fg_imp_scan){.load = l, .filter = f, .lo = a, .hi = b};
    if (b == hi) return;
    a = b + 1;
  }
}

/* The key-hash segments of l's table to use in [lo, hi] (*segs malloc'd,
 * by rowid, none when the store has none or they do not fit together: a
 * segment off its table's rows, overlapping another, or of the wrong size
 * is an edited store, and the rows are then read as they are). */
static int fg_imp_load_segs(fg_imp *im, const fg_imp_load *l, int64_t lo, int64_t hi,
                            fg_store_key_seg **segs, size_t *n, fg_err *err) {
  *segs = NULL;
  *n = 0;
  const char *env = getenv("FUNDGUARD_IMPORT_KEY_HASHES");
  if (env != NULL && strcmp(env, "0") == 0) return 0;
  /* only a table's own keys are hashed, not the column-0 values of a table
   * whose key is wider (institutions: a few thousand rows) */
  if (l->set != &im->tabs[l->t].keys) return 0;
  fg_store_key_seg *v = NULL;
  size_t k = 0;
  const int rc = fg_store_batch_keys_list(im->s, l->t, &v, &k, err);
  if (rc != 0) return rc;
  int64_t next = lo;
  for (size_t i = 0; i < k; i++) {
    const fg_store_key_seg *g = &v[i];
    /* rows first .. first + rows - 1 within [next, hi], below INT64_MAX
     * (no overflow: the span is compared unsigned once first <= hi) */
    const bool fits = g->rows > 0 && g->rows <= FG_STORE_KEY_HASHES_SEG_ROWS &&
                      g->bytes == g->rows * (int64_t)sizeof(uint64_t) && g->first_rowid >= next &&
                      g->first_rowid <= hi &&
                      (uint64_t)hi - (uint64_t)g->first_rowid >= (uint64_t)(g->rows - 1) &&
                      g->first_rowid + (g->rows - 1) < INT64_MAX;
    if (!fits) {
      free(v);
      return 0;
    }
    next = g->first_rowid + g->rows;
  }
  *segs = v;
  *n = k;
  return 0;
}

/* Put the kept keys of every range into its set, in range order. */
static void fg_imp_scans_put(const fg_imp_scans *ss) {
  for (int i = 0; i < ss->n; i++) {
    const fg_imp_scan *sc = &ss->v[i];
    for (size_t at = 0; at < sc->kept.len;) {
      int64_t rowid;
      uint32_t len;
      FG_ASSERT(sc->kept.len - at >= FG_IMP_LOAD_FRAME_BYTES);
      memcpy(&rowid, sc->kept.buf + at, sizeof rowid);
      memcpy(&len, sc->kept.buf + at + sizeof rowid, sizeof len);
      at += FG_IMP_LOAD_FRAME_BYTES;
      FG_ASSERT(sc->kept.len - at >= len && rowid > 0);
      bool added = false;
      fg_keyset_put(sc->load->set, sc->kept.buf + at, len, rowid, &added);
      at += len;
    }
  }
}

/* Read the stored keys of loads[0..n) (every table filtered) on both
 * cores. */
static int fg_imp_load_parallel(fg_imp *im, const fg_imp_load *loads, int n, fg_err *err) {
  int64_t lo[FG_T_COUNT * 2], hi[FG_T_COUNT * 2];
  uint64_t span_total = 0;
  for (int i = 0; i < n; i++) {
    const int rc = fg_store_rowid_bounds(im->s, loads[i].t, &lo[i], &hi[i], err);
    if (rc) return rc;
    if (lo[i] <= hi[i]) {
      const uint64_t span = (uint64_t)hi[i] - (uint64_t)lo[i];
      span_total = span_total + span < span_total ? UINT64_MAX : span_total + span;
    }
  }
  /* ranges of chunk_rows rowids, wider if that would make too many */
  uint64_t width = (uint64_t)fg_imp_load_chunk_rows;
  const uint64_t room = FG_IMP_LOAD_SCANS_MAX / 2 - (uint64_t)n;
  if (span_total / width >= room) width = span_total / room + 1;
  fg_imp_scans ss = {.v = fg_xcalloc(FG_IMP_LOAD_SCANS_MAX, sizeof(fg_imp_scan)), .own = im->s};
  fg_store_key_seg *segs[FG_T_COUNT * 2] = {0};
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    if (lo[i] > hi[i]) continue;
    const fg_imp_filter *f = im->tabs[loads[i].t].filter;
    size_t nseg = 0;
    rc = fg_imp_load_segs(im, &loads[i], lo[i], hi[i], &segs[i], &nseg, err);
    if (rc == 0 && ss.n + 2 * nseg + 1 > FG_IMP_LOAD_SCANS_MAX / 2) nseg = 0; /* read it all */
    /* the segments, and the rows between them read: in rowid order */
    int64_t next = lo[i];
    for (size_t k = 0; rc == 0 && k < nseg; k++) {
      const fg_store_key_seg *g = &segs[i][k];
      if (g->first_rowid > next) fg_imp_scans_cut(&ss, &loads[i], f, next, g->first_rowid - 1, width);
      FG_ASSERT(ss.n < FG_IMP_LOAD_SCANS_MAX);
      ss.v[ss.n++] = (fg_imp_scan){.load = &loads[i], .filter = f, .lo = g->first_rowid,
                                   .hi = g->first_rowid + g->rows - 1, .seg = g};
      next = g->first_rowid + g->rows;
    }
    if (rc == 0 && next <= hi[i]) fg_imp_scans_cut(&ss, &loads[i], f, next, hi[i], width);
  }
  const int threads = rc != 0 ? 0 : fg_store_pair_each(im->s, fg_imp_scan_each, &ss, (size_t)ss.n);
  for (int i = 0; i < ss.n && rc == 0; i++)
    if (ss.v[i].rc != 0) {
      rc = ss.v[i].rc;
      *err = ss.v[i].err;
    }
  if (rc == 0) fg_imp_scans_put(&ss);
  im->r->load_scans = ss.n;
  im->r->load_threads = threads;
  for (int i = 0; i < ss.n; i++) {
    im->r->load_rows_hashed += ss.v[i].hashed;
    im->r->load_rows_fetched += ss.v[i].fetched;
    fg_buf_release(&ss.v[i].kept);
    fg_buf_release(&ss.v[i].key);
  }
  free(ss.v);
  for (int i = 0; i < n; i++) free(segs[i]);
  return rc;
}

/* Add a load (t, its digests or the columns cols[0..ncols)) into set. */
static void fg_imp_plan(fg_imp_load *loads, int *n, fg_table_id t, bool digests, const int *cols,
                        int ncols, fg_keyset *set) {
  FG_ASSERT(*n < FG_T_COUNT * 2);
  loads[(*n)++] = (fg_imp_load){t, digests, cols, ncols, set};
}

/* The key set of t (once). */
static void fg_imp_plan_keys(fg_imp *im, fg_imp_load *loads, int *n, int t) {
  fg_imp_table *it = &im->tabs[t];
  const fg_table *tab = fg_schema_table(t);
  FG_ASSERT(tab->nkey > 0 && tab->nkey <= FG_MAX_KEY_COLS);
  if (it->keys_loaded) return;
  it->keys_loaded = true;
  fg_imp_plan(loads, n, t, false, tab->key_cols, tab->nkey, &it->keys);
}

/* The loads of the batch (import.c's order, each once): the sets of the
 * tables it writes, and the reference sets of the tables they point to. */
static int fg_imp_plan_all(fg_imp *im, fg_csv *const csv[FG_T_COUNT], fg_imp_load *loads) {
  static const int col0[1] = {0};
  int n = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (csv[t] == NULL) continue;
    const fg_table *tab = fg_schema_table(t);
    fg_imp_table *it = &im->tabs[t];
    if (tab->nkey > 0) {
      fg_imp_plan_keys(im, loads, &n, t);
    } else if (it->present && !it->keys_loaded) { /* resends */
      it->keys_loaded = true;
      fg_imp_plan(loads, &n, t, true, NULL, 0, &it->keys);
    }
    for (int c = 0; c < tab->ncols; c++) {
      const int rt = tab->cols[c].ref_table;
      if (rt < 0 || !im->tabs[rt].present) continue;
      fg_imp_table *rs = &im->tabs[rt];
      if (rs->refs_loaded) continue;
      rs->refs_loaded = true;
      if (fg_imp_refs_are_keys(rt)) {
        rs->refs = &rs->keys;
        fg_imp_plan_keys(im, loads, &n, rt);
      } else {
        rs->refs = &rs->refs_own;
        fg_imp_plan(loads, &n, rt, false, col0, 1, &rs->refs_own);
      }
    }
  }
  return n;
}

int fg_imp_load_stored(fg_imp *im, fg_csv *const csv[FG_T_COUNT], fg_err *err) {
  fg_imp_load loads[FG_T_COUNT * 2];
  const int n = fg_imp_plan_all(im, csv, loads);
  bool filtered = n > 0;
  for (int i = 0; i < n; i++) filtered &= im->tabs[loads[i].t].filter != NULL;
  if (filtered) return fg_imp_load_parallel(im, loads, n, err);
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    const fg_imp_load *l = &loads[i];
    rc = l->digests ? fg_imp_load_digests_into(im, l->t, l->set, err)
                    : fg_imp_load_cols_into(im, l->t, l->cols, l->ncols, l->set, err);
  }
  return rc;
}
