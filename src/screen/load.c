/*
 * load.c — fg_model_load(): read every standard table of a store into a
 * model, on both cores.
 *
 * Plan.  The tables are put in a fixed sequence: the two-sided split of
 * earlier versions (largest table first, each to the lighter side, ties by
 * table order; side 0's tables in table order, then side 1's), so that a
 * store gives the same ids as it always did. Each table is cut into chunks
 * of at most FG_LOAD_CHUNK_ROWS rowids (`rowid BETWEEN lo AND hi`).
 *
 * Run.  FG_LOAD_THREADS workers, each on its own read-only connection, take
 * the chunks in sequence order; each chunk is read into its own builder.
 * Whenever the next chunk in sequence is read, one worker at a time merges
 * it into chunk 0's builder (fg_mb_absorb), so merging overlaps reading and
 * the ids handed out are exactly those of reading the whole sequence on one
 * thread: first appearance, in sequence order. (The payment ids' blob is
 * the exception: each chunk front-codes its own texts, model.h
 * FG_UID_HEAD, so their uids depend on where chunks begin; their texts do
 * not.) Nothing depends on which worker was faster. The merging worker also sorts each merged chunk of a
 * "by pk" table by person (fg_mb_sort_run), so that finishing merges the
 * chunks instead of copying the whole table, and once a table's last chunk
 * is merged, sorts a table whose model rows drop the pk into its final
 * order (fg_mb_settle) while the other worker reads on.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screen/build_impl.h"

#define FG_LOAD_THREADS 2
#define FG_LOAD_SIDES 2                        /* sides of the legacy table split */
#define FG_LOAD_CHUNK_ROWS ((int64_t)2 << 20)  /* rowids per chunk */
#define FG_LOAD_CHUNKS_MAX (1 << 20)                /* sanity bound */

typedef struct fg_load_chunk {
  fg_table_id t;
  bool first;       /* the table's first chunk */
  int64_t lo, hi;   /* rowid range; lo > hi = no rows */
  char *rows;       /* where its rows go: a window of the table's block */
  fg_model_builder *b;
  bool done;
  int rc;
  fg_err err;
} fg_load_chunk;

typedef struct fg_load {
  const char *path;
  int64_t chunk_rows; /* rowids per chunk */
  fg_load_chunk *chunks;
  int nchunks;
  pthread_mutex_t mu;
  int next;     /* next chunk to read */
  int merged;   /* chunks [1, merged) are in chunks[0].b */
  bool merging; /* some worker is merging */
  bool failed;
} fg_load;

typedef struct fg_load_worker {
  fg_load *L;
  fg_store *store; /* opened by the worker's thread (or given) */
  int rc;
  fg_err err;
} fg_load_worker;

typedef struct fg_load_ctx {
  fg_model_builder *b;
  fg_table_id t;
  const int *stop; /* NULL, or read atomically: non-zero stops the reading */
} fg_load_ctx;

/* What a reading stopped by its stop flag returns (never an fg error). */
#define FG_LOAD_STOPPED (-1)

static int fg_load_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_load_ctx *c = ud;
  if (c->stop && __atomic_load_n(c->stop, __ATOMIC_RELAXED) != 0) return FG_LOAD_STOPPED;
  fg_mb_add(c->b, c->t, rowid, vals);
  return 0;
}

/* Read chunk c on store s into its builder (chunk 0's exists already). */
static int fg_load_chunk_read(fg_store *s, fg_load_chunk *c) {
  if (!c->b) {
    c->b = fg_mb_new();
    fg_mb_defer(c->b);
    if (c->lo <= c->hi) fg_mb_rows_window(c->b, c->t, c->rows, c->hi - c->lo + 1);
  }
  if (c->first && fg_store_table_present(s, c->t)) fg_mb_present(c->b, c->t);
  if (c->lo > c->hi) return 0;
  fg_load_ctx ctx = {c->b, c->t, NULL};
  int rc = fg_store_scan_range(s, c->t, fg_mb_cols_of(c->t), c->lo, c->hi, fg_load_row, &ctx,
                               &c->err);
  if (rc == 0) fg_mb_presort(c->b);
  return rc;
}

/* Merge every read chunk that is next in sequence; called with L->mu held,
 * by one worker at a time (the others go on reading meanwhile). */
static void fg_load_merge_ready(fg_load *L) {
  if (L->merging) return;
  L->merging = true;
  while (!L->failed && L->merged < L->nchunks && L->chunks[L->merged].done) {
    int i = L->merged;
    pthread_mutex_unlock(&L->mu);
    const fg_table_id t = L->chunks[i].t;
    const int64_t from = i > 0 ? L->chunks[0].b->rows[t].n : 0;
    if (i > 0) {
      fg_mb_absorb(L->chunks[0].b, L->chunks[i].b);
      L->chunks[i].b = NULL;
    }
    fg_mb_sort_run(L->chunks[0].b, t, from); /* by person, beside the reading */
    if (i + 1 == L->nchunks || L->chunks[i + 1].t != t) /* t's last chunk */
      fg_mb_settle(L->chunks[0].b, t);
    pthread_mutex_lock(&L->mu);
    L->merged = i + 1;
  }
  L->merging = false;
}

static void *fg_load_worker_run(void *arg) {
  fg_load_worker *w = arg;
  fg_load *L = w->L;
  if (!w->store) {
    w->rc = fg_store_open(L->path, true, &w->store, &w->err);
    if (w->rc) return NULL;
  }
  fg_store_scan_tune(w->store);
  pthread_mutex_lock(&L->mu);
  while (!L->failed && L->next < L->nchunks) {
    fg_load_chunk *c = &L->chunks[L->next++];
    pthread_mutex_unlock(&L->mu);
    c->rc = fg_load_chunk_read(w->store, c);
    pthread_mutex_lock(&L->mu);
    c->done = true;
    if (c->rc) L->failed = true;
    fg_load_merge_ready(L);
  }
  pthread_mutex_unlock(&L->mu);
  return NULL;
}

/* Table order: the legacy two-sided split by row count (see top). */
static void fg_load_order(const int64_t *count, fg_table_id *order) {
  int64_t load[FG_LOAD_SIDES] = {0};
  bool done[FG_T_COUNT] = {false};
  int side_of[FG_T_COUNT];
  for (int k = 0; k < FG_T_COUNT; k++) {
    int best = -1;
    for (int t = 0; t < FG_T_COUNT; t++)
      if (!done[t] && (best < 0 || count[t] > count[best])) best = t;
    FG_ASSERT_HOT(best >= 0);
    done[best] = true;
    int side = load[1] < load[0] ? 1 : 0;
    side_of[best] = side;
    load[side] += count[best] > 0 ? count[best] : 0;
  }
  int n = 0;
  for (int side = 0; side < FG_LOAD_SIDES; side++)
    for (int t = 0; t < FG_T_COUNT; t++)
      if (side_of[t] == side) order[n++] = (fg_table_id)t;
  FG_ASSERT_HOT(n == FG_T_COUNT);
}

/* One block per table for all its rows (rowids are dense, so the span is
 * the row count; untouched pages of a sparse table cost nothing), owned by
 * chunk 0's builder; every chunk writes into its own window of it. */
static void fg_load_blocks(fg_load *L, const int64_t *lo, const int64_t *span) {
  char *block[FG_T_COUNT] = {NULL};
  L->chunks[0].b = fg_mb_new();
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (span[t] <= 0) continue;
    block[t] = fg_mb_alloc_rows((size_t)span[t] * fg_mb_desc_of((fg_table_id)t)->elem_size);
    fg_mb_rows_adopt(L->chunks[0].b, (fg_table_id)t, block[t], span[t]);
  }
  for (int i = 0; i < L->nchunks; i++) {
    fg_load_chunk *c = &L->chunks[i];
    if (c->lo <= c->hi)
      c->rows = block[c->t] + (size_t)(c->lo - lo[c->t]) * fg_mb_desc_of(c->t)->elem_size;
  }
}

/* Cut the tables, in sequence order, into chunks of L. */
static int fg_load_plan(fg_store *s, fg_load *L, fg_err *err) {
  /* count: the rowid span (count(*) would read the whole table) */
  int64_t lo[FG_T_COUNT], hi[FG_T_COUNT], count[FG_T_COUNT], pieces[FG_T_COUNT], total = 0;
  const int64_t step = L->chunk_rows;
  for (int t = 0; t < FG_T_COUNT; t++) {
    int rc = fg_store_rowid_bounds(s, (fg_table_id)t, &lo[t], &hi[t], err);
    if (rc) return rc;
    count[t] = hi[t] >= lo[t] ? hi[t] - lo[t] + 1 : 0;
    pieces[t] = count[t] > 0 ? (count[t] - 1) / step + 1 : 1;
    if (!fg_mb_holds((fg_table_id)t)) count[t] = 0, pieces[t] = 0; /* no rule reads it */
    total += pieces[t];
  }
  if (total > FG_LOAD_CHUNKS_MAX)
    return fg_errf(err, FG_EDB, "数据表过大 (more than %d chunks of %lld rows)",
                   FG_LOAD_CHUNKS_MAX, (long long)step);
  fg_table_id order[FG_T_COUNT];
  fg_load_order(count, order);
  L->chunks = fg_xcalloc((size_t)total, sizeof *L->chunks);
  for (int k = 0; k < FG_T_COUNT; k++) {
    fg_table_id t = order[k];
    for (int64_t p = 0; p < pieces[t]; p++) {
      fg_load_chunk *c = &L->chunks[L->nchunks++];
      c->t = t;
      c->first = p == 0;
      c->lo = count[t] > 0 ? lo[t] + p * step : 1;
      c->hi = count[t] > 0 ? FG_MIN(hi[t], c->lo + step - 1) : 0;
    }
  }
  FG_ASSERT_HOT(L->nchunks == total);
  fg_load_blocks(L, lo, count);
  return 0;
}

/* Run the workers (the calling thread is one of them) over the plan. */
static int fg_load_run(fg_load *L, fg_store *first_store, fg_err *err) {
  fg_load_worker w[FG_LOAD_THREADS];
  memset(w, 0, sizeof w);
  pthread_t th[FG_LOAD_THREADS];
  bool started[FG_LOAD_THREADS] = {false};
  for (int i = 0; i < FG_LOAD_THREADS; i++) w[i].L = L;
  w[0].store = first_store;
  for (int i = 1; i < FG_LOAD_THREADS; i++)
    started[i] = pthread_create(&th[i], NULL, fg_load_worker_run, &w[i]) == 0;
  fg_load_worker_run(&w[0]); /* takes every chunk when no thread could start */
  for (int i = 1; i < FG_LOAD_THREADS; i++)
    if (started[i]) pthread_join(th[i], NULL);
  pthread_mutex_lock(&L->mu);
  fg_load_merge_ready(L);
  pthread_mutex_unlock(&L->mu);
  int rc = 0;
  for (int i = 0; i < FG_LOAD_THREADS; i++) {
    if (i > 0) fg_store_close(w[i].store);
    if (w[i].rc && rc == 0) {
      rc = w[i].rc;
      if (err) *err = w[i].err;
    }
  }
  for (int i = 0; i < L->nchunks && rc == 0; i++)
    if (L->chunks[i].rc) {
      rc = L->chunks[i].rc;
      if (err) *err = L->chunks[i].err;
    }
  FG_ASSERT_HOT(rc != 0 || L->merged == L->nchunks);
  return rc;
}

int fg_model_load(const char *store_path, fg_model **out, fg_err *err) {
  return fg_model_load_chunked(store_path, FG_LOAD_CHUNK_ROWS, out, err);
}

int fg_model_load_chunked(const char *store_path, int64_t chunk_rows, fg_model **out,
                          fg_err *err) {
  FG_ASSERT_HOT(store_path && out && chunk_rows > 0);
  fg_store *s = NULL;
  int rc = fg_store_open(store_path, true, &s, err);
  if (rc) return rc;
  fg_load L;
  memset(&L, 0, sizeof L);
  L.path = store_path;
  L.chunk_rows = chunk_rows;
  pthread_mutex_init(&L.mu, NULL);
  rc = fg_load_plan(s, &L, err);
  if (rc == 0) rc = fg_load_run(&L, s, err);
  fg_store_close(s);
  pthread_mutex_destroy(&L.mu);
  fg_model_builder *b = L.nchunks > 0 ? L.chunks[0].b : NULL;
  for (int i = 1; i < L.nchunks; i++) fg_mb_free(L.chunks[i].b);
  free(L.chunks);
  if (rc) {
    fg_mb_free(b);
    return rc;
  }
  FG_ASSERT_HOT(b);
  if ((rc = fg_mb_check(b, err)) != 0) {
    fg_mb_free(b);
    return rc;
  }
  *out = fg_mb_finish(b);
  return 0;
}

static double fg_load_secs(const struct timespec *a, const struct timespec *b) {
  return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The extension reads the new rows on one connection, in table order: a
 * month of data is a few percent of the store, and the time goes to
 * merging them into base's arrays (fg_mb_extend), not to reading. */
static bool fg_extend_too_big(const int64_t from[FG_T_COUNT], const int64_t to[FG_T_COUNT],
                              fg_err *err) {
  for (int t = 0; t < FG_T_COUNT; t++) /* the bound of a full load's plan */
    if (fg_mb_holds((fg_table_id)t) && to[t] >= from[t] &&
        to[t] - from[t] + 1 > FG_LOAD_CHUNK_ROWS * (int64_t)FG_LOAD_CHUNKS_MAX) {
      fg_errf(err, FG_EDB, "数据表过大 (table %d: %lld new rowids)", t,
              (long long)(to[t] - from[t] + 1));
      return true;
    }
  return false;
}

/* The new rows [from[t], to[t]] into a builder of their own. */
static int fg_extend_read(const char *store_path, const int64_t from[FG_T_COUNT],
                          const int64_t to[FG_T_COUNT], const int *stop, fg_model_builder **out,
                          int64_t *nread, double *read_s, fg_err *err) {
  *out = NULL;
  *nread = 0;
  *read_s = 0;
  if (fg_extend_too_big(from, to, err)) return FG_EDB;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  fg_model_builder *nb = fg_mb_new();
  fg_store *s = NULL;
  int rc = fg_store_open(store_path, true, &s, err);
  if (rc == 0) fg_store_scan_tune(s);
  int64_t read = 0;
  for (int t = 0; t < FG_T_COUNT && rc == 0; t++) {
    if (!fg_mb_holds((fg_table_id)t)) continue;
    if (fg_store_table_present(s, (fg_table_id)t)) fg_mb_present(nb, (fg_table_id)t);
    if (to[t] < from[t]) continue;
    fg_load_ctx ctx = {nb, (fg_table_id)t, stop};
    rc = fg_store_scan_range(s, (fg_table_id)t, fg_mb_cols_of((fg_table_id)t), from[t], to[t],
                             fg_load_row, &ctx, err);
    read += nb->rows[t].n;
  }
  fg_store_close(s);
  if (rc) {
    fg_mb_free(nb);
    return rc;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  *out = nb;
  *nread = read;
  *read_s = fg_load_secs(&t0, &t1);
  return 0;
}

/* Merge nb (the rows read, in read_s seconds) into base. */
static int fg_extend_merge(fg_model *base, fg_model_builder *nb, int64_t read, double read_s,
                           fg_model **out, fg_err *err) {
  struct timespec t1, t2;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fg_model *m = fg_mb_extend(base, nb, err);
  if (!m) return err && err->code ? err->code : FG_EDB;
  clock_gettime(CLOCK_MONOTONIC, &t2);
  fprintf(stderr, "fundguard screen: 扩展快照 extend: 读新增 %lld 行 read %.2f s, 合并排序 merge %.2f s\n",
          (long long)read, read_s, fg_load_secs(&t1, &t2));
  *out = m;
  return 0;
}

int fg_model_extend(const char *store_path, fg_model *base, const int64_t from[FG_T_COUNT],
                    const int64_t to[FG_T_COUNT], fg_model **out, int64_t *nread, fg_err *err) {
  FG_ASSERT_HOT(store_path && base && from && to && out && nread);
  fg_model_builder *nb = NULL;
  double read_s = 0;
  int rc = fg_extend_read(store_path, from, to, NULL, &nb, nread, &read_s, err);
  if (rc) {
    fg_model_free(base);
    return rc;
  }
  return fg_extend_merge(base, nb, *nread, read_s, out, err);
}

/* ---- reading the new rows while the snapshot is verified ------------------ */

struct fg_extend_job {
  char *store_path;
  int64_t from[FG_T_COUNT], to[FG_T_COUNT];
  pthread_t th;
  fg_model_builder *nb;
  int64_t read;
  double read_s;
  int rc;
  fg_err err;
  int stop; /* atomic: set by _cancel */
};

static void *fg_extend_job_run(void *arg) {
  fg_extend_job *j = arg;
  j->rc = fg_extend_read(j->store_path, j->from, j->to, &j->stop, &j->nb, &j->read, &j->read_s,
                         &j->err);
  return NULL;
}

fg_extend_job *fg_model_extend_start(const char *store_path, const int64_t from[FG_T_COUNT],
                                     const int64_t to[FG_T_COUNT]) {
  FG_ASSERT(store_path && from && to);
  fg_extend_job *j = fg_xcalloc(1, sizeof *j);
  j->store_path = fg_xstrdup(store_path);
  memcpy(j->from, from, sizeof j->from);
  memcpy(j->to, to, sizeof j->to);
  if (pthread_create(&j->th, NULL, fg_extend_job_run, j) != 0) {
    free(j->store_path);
    free(j);
    return NULL;
  }
  return j;
}

/* After the thread was joined: free the job and the rows it still holds. */
static void fg_extend_job_free(fg_extend_job *j) {
  fg_mb_free(j->nb);
  free(j->store_path);
  free(j);
}

void fg_model_extend_cancel(fg_extend_job *j) {
  if (j == NULL) return;
  __atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED); /* its next row ends the reading */
  pthread_join(j->th, NULL);
  fg_extend_job_free(j);
}

int fg_model_extend_finish(fg_extend_job *j, const char *store_path, fg_model *base,
                           const int64_t from[FG_T_COUNT], const int64_t to[FG_T_COUNT],
                           fg_model **out, int64_t *nread, fg_err *err) {
  FG_ASSERT_HOT(store_path && base && from && to && out && nread);
  if (j == NULL) return fg_model_extend(store_path, base, from, to, out, nread, err);
  pthread_join(j->th, NULL);
  /* the rows read are used only when they are the ones the verified
   * snapshot needs (the job was started from its header before the digest
   * was checked) and were read without a failure; else they are read again */
  const bool usable = j->rc == 0 && j->nb != NULL && memcmp(j->from, from, sizeof j->from) == 0 &&
                      memcmp(j->to, to, sizeof j->to) == 0;
  fg_model_builder *nb = usable ? j->nb : NULL;
  if (usable) j->nb = NULL; /* taken */
  const int64_t read = j->read;
  const double read_s = j->read_s;
  fg_extend_job_free(j);
  if (nb == NULL) return fg_model_extend(store_path, base, from, to, out, nread, err);
  *nread = read;
  return fg_extend_merge(base, nb, read, read_s, out, err);
}
