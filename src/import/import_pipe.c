/*
 * import_pipe.c — the two-thread pipeline of import_pipe.h: a bounded ring
 * of row chunks between the worker (reads and judges the files) and the
 * SQLite thread (inserts), one mutex and two condition variables, plus a
 * one-slot request channel for the worker's reads of stored rows.
 */
#include "import/import_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_impl.h"

typedef struct fg_imp_cell {
  int64_t i;
  uint32_t off; /* text bytes in the chunk's text buffer */
  int32_t n;    /* -1: NULL; else text length (0 when the value has none) */
} fg_imp_cell;

typedef struct fg_imp_chunk {
  fg_import_file *f; /* the file (and table) of every row of the chunk */
  int nrows;
  int64_t line[FG_IMP_CHUNK_ROWS];
  int64_t rowid[FG_IMP_CHUNK_ROWS]; /* the rowid the row will get (digest) */
  uint64_t key_hash[FG_IMP_CHUNK_ROWS];
  /* the journal chunk whose leaf the SQLite thread makes from this row, or
   * -1: the worker hashed it (fg_imp_hash_policy) */
  int64_t leaf_chunk[FG_IMP_CHUNK_ROWS];
  fg_imp_cell cells[FG_IMP_CHUNK_ROWS][FG_MAX_COLS];
  fg_buf text;
} fg_imp_chunk;

typedef struct fg_imp_leaf {
  fg_table_id t;
  int64_t chunk;
  uint8_t leaf[32];
} fg_imp_leaf;

static fg_imp_hash_policy fg_imp_hash_policy_now = FG_IMP_HASH_BALANCE;

void fg_imp_pipe_set_hash_policy(fg_imp_hash_policy policy) {
  FG_ASSERT(policy >= FG_IMP_HASH_BALANCE && policy <= FG_IMP_HASH_ALTERNATE);
  __atomic_store_n(&fg_imp_hash_policy_now, policy, __ATOMIC_RELAXED);
}

struct fg_imp_pipe {
  fg_imp *im;
  pthread_mutex_t mu;
  pthread_cond_t work;  /* SQLite thread: a chunk, a request, or the end */
  pthread_cond_t space; /* worker: a free chunk, or its request served */
  fg_imp_chunk *ring;   /* FG_IMP_PIPE_CHUNKS; [head, tail) are full */
  uint64_t head, tail;  /* worker fills ring[tail % N] while tail - head < N */
  bool done;            /* the worker has finished (tail final) */
  int failed;           /* store failure on the SQLite thread (ferr) */
  fg_err ferr;
  /* the request channel */
  bool req_pending;
  fg_table_id req_table;
  int64_t req_rowid;
  fg_value *req_vals;
  bool req_found;
  int req_rc;
  fg_err req_err;
  fg_buf req_text;
  /* the worker's outcome */
  int wrc;
  fg_err werr;
  /* worker: one row's journal encoding (rowhash.h), and the rowid the next
   * row of each table will get (the table's last rowid when the batch
   * began, plus the rows queued since: one writer, rowids max + 1) */
  fg_buf enc;
  int64_t next_rowid[FG_T_COUNT];
  /* worker: per table, the journal chunk being filled is the SQLite thread's */
  bool leaf_deferred[FG_T_COUNT];
  uint64_t leaf_decisions;
  /* SQLite thread: the leaf it is making per table (open_chunk -1: none),
   * and those made, filed into the digests after the join */
  fg_rowhash_leaf leaf[FG_T_COUNT];
  int64_t open_chunk[FG_T_COUNT];
  fg_buf leaf_enc;
  fg_imp_leaf *leaves_done;
  size_t nleaves_done, leaves_done_cap;
  /* SQLite thread: the key hashes of the rows stored last, not yet written
   * to batch_keys: table, rowids first .. first + n - 1 */
  fg_table_id keys_table;
  int64_t keys_first, keys_n;
  uint64_t *keys; /* FG_STORE_KEY_HASHES_SEG_ROWS */
};

/* Row r of chunk c as the values bound to its INSERT (ncols with _digest). */
static void fg_imp_chunk_vals(const fg_imp_chunk *c, int r, int ncols, fg_value *vals) {
  for (int k = 0; k < ncols; k++) {
    const fg_imp_cell *cell = &c->cells[r][k];
    vals[k] = (fg_value){cell->n < 0, cell->i, cell->n > 0 ? c->text.buf + cell->off : "",
                         cell->n > 0 ? cell->n : 0};
  }
}

static fg_imp_chunk *fg_imp_pipe_filling(fg_imp_pipe *p) {
  return &p->ring[p->tail % FG_IMP_PIPE_CHUNKS];
}

/* Worker: hand the filling chunk over and wait for a free one. */
static int fg_imp_pipe_publish(fg_imp_pipe *p, fg_err *err) {
  pthread_mutex_lock(&p->mu);
  if (fg_imp_pipe_filling(p)->nrows > 0) {
    p->tail++;
    pthread_cond_signal(&p->work);
  }
  while (__atomic_load_n(&p->failed, __ATOMIC_RELAXED) == 0 &&
         p->tail - p->head >= FG_IMP_PIPE_CHUNKS)
    pthread_cond_wait(&p->space, &p->mu);
  const int rc = __atomic_load_n(&p->failed, __ATOMIC_RELAXED);
  if (rc != 0) *err = p->ferr;
  pthread_mutex_unlock(&p->mu);
  if (rc == 0) {
    fg_imp_chunk *c = fg_imp_pipe_filling(p);
    c->nrows = 0;
    c->f = NULL;
    fg_buf_reset(&c->text);
  }
  return rc;
}

/* Worker, at a journal chunk's first row: does the SQLite thread make its
 * leaf? (fg_imp_hash_policy; the ring's fill read without the lock: a
 * hint, either answer is correct.) */
static bool fg_imp_pipe_defer_leaf(fg_imp_pipe *p) {
  switch (__atomic_load_n(&fg_imp_hash_policy_now, __ATOMIC_RELAXED)) {
  case FG_IMP_HASH_WORKER: return false;
  case FG_IMP_HASH_STORER: return true;
  case FG_IMP_HASH_ALTERNATE: return (p->leaf_decisions++ & 1) != 0;
  case FG_IMP_HASH_BALANCE: break;
  }
  const uint64_t queued = p->tail - __atomic_load_n(&p->head, __ATOMIC_RELAXED);
  return queued <= FG_IMP_PIPE_CHUNKS / 2;
}

int fg_imp_pipe_push(fg_imp_pipe *p, fg_import_file *f, int64_t line, const fg_value *vals,
                     uint64_t key_hash, fg_err *err) {
  FG_ASSERT_HOT(p != NULL && f != NULL && vals != NULL);
  fg_imp_chunk *c = fg_imp_pipe_filling(p);
  if (c->nrows > 0 && (c->f != f || c->nrows == FG_IMP_CHUNK_ROWS ||
                       c->text.len >= FG_IMP_CHUNK_TEXT_BYTES)) {
    const int rc = fg_imp_pipe_publish(p, err);
    if (rc != 0) return rc;
    c = fg_imp_pipe_filling(p);
  } else if (__atomic_load_n(&p->failed, __ATOMIC_RELAXED) != 0) {
    return fg_imp_pipe_publish(p, err); /* reports the failure */
  }
  const fg_table *tab = fg_schema_table(f->table);
  const int ncols = tab->ncols + (fg_schema_keyless(tab) ? 1 : 0); /* with _digest */
  if (p->next_rowid[f->table] == INT64_MAX) /* SQLite would pick the next ones at random */
    return fg_errf(err, FG_EDB, "%s 的行号已到上限，无法再存入 (rowid at its maximum)", tab->name);
  const int r = c->nrows++;
  c->f = f;
  c->line[r] = line;
  c->key_hash[r] = key_hash;
  for (int k = 0; k < ncols; k++) {
    const fg_value *v = &vals[k];
    fg_imp_cell *cell = &c->cells[r][k];
    cell->i = v->i;
    cell->off = (uint32_t)c->text.len;
    cell->n = v->is_null ? -1 : v->s != NULL ? v->n : 0;
    if (cell->n > 0) fg_buf_add(&c->text, v->s, (size_t)v->n);
  }
  /* The journal digest of the row (rowhash.h): from the very bytes the
   * SQLite thread will bind, at the rowid it will get (checked there); here,
   * or there for a chunk the SQLite thread takes (fg_imp_hash_policy). */
  c->rowid[r] = p->next_rowid[f->table]++;
  fg_rowhash *h = &p->im->r->digests[f->table];
  if (h->chunk_rows == 0) p->leaf_deferred[f->table] = fg_imp_pipe_defer_leaf(p);
  if (p->leaf_deferred[f->table]) {
    c->leaf_chunk[r] = fg_rowhash_skip(h, c->rowid[r]);
    return 0;
  }
  c->leaf_chunk[r] = -1;
  fg_value bound[FG_MAX_COLS + 1];
  fg_imp_chunk_vals(c, r, ncols, bound);
  fg_rowhash_row_begin(&p->enc);
  fg_journal_values_encode(tab, bound, p->im->batch_id, line, &p->enc);
  fg_rowhash_add(h, c->rowid[r], &p->enc);
  return 0;
}

/* SQLite thread: serve the pending request (deep copy of the row). */
static void fg_imp_pipe_serve(fg_imp_pipe *p) {
  fg_value vals[FG_MAX_COLS];
  const int ncols = fg_schema_table(p->req_table)->ncols;
  p->req_rc = fg_store_get_row(p->im->s, p->req_table, p->req_rowid, vals, &p->req_found,
                               &p->req_err);
  fg_buf_reset(&p->req_text);
  size_t offs[FG_MAX_COLS];
  for (int k = 0; p->req_rc == 0 && p->req_found && k < ncols; k++) {
    offs[k] = p->req_text.len;
    if (!vals[k].is_null && vals[k].s != NULL)
      fg_buf_add(&p->req_text, vals[k].s, (size_t)vals[k].n);
  }
  for (int k = 0; p->req_rc == 0 && p->req_found && k < ncols; k++) {
    p->req_vals[k] = vals[k];
    if (!vals[k].is_null && vals[k].s != NULL) p->req_vals[k].s = p->req_text.buf + offs[k];
  }
}

int fg_imp_pipe_get_row(fg_imp_pipe *p, fg_table_id t, int64_t rowid, fg_value *vals,
                        bool *found, fg_err *err) {
  FG_ASSERT_HOT(p != NULL && vals != NULL && found != NULL);
  pthread_mutex_lock(&p->mu);
  FG_ASSERT_HOT(!p->req_pending);
  p->req_table = t;
  p->req_rowid = rowid;
  p->req_vals = vals;
  p->req_pending = true;
  pthread_cond_signal(&p->work);
  while (p->req_pending) pthread_cond_wait(&p->space, &p->mu);
  const int rc = p->req_rc;
  *found = p->req_found;
  if (rc != 0) *err = p->req_err;
  pthread_mutex_unlock(&p->mu);
  return rc;
}

/* Note the rowids [first, last] stored for f (contiguous: one writer). */
static void fg_imp_pipe_rowids(fg_import_file *f, int64_t first, int64_t last) {
  if (f->rowid_last == 0) f->rowid_first = first;
  FG_ASSERT_HOT(f->rowid_last == 0 || first == f->rowid_last + 1);
  f->rowid_last = last;
}

/* SQLite thread: write the key hashes held to batch_keys. */
static int fg_imp_pipe_keys_flush(fg_imp_pipe *p, fg_err *err) {
  if (p->keys_n == 0) return 0;
  const int rc = fg_store_batch_keys_add(p->im->s, p->im->batch_id, p->keys_table, p->keys_first,
                                         p->keys, p->keys_n, err);
  p->keys_n = 0;
  return rc;
}

/* SQLite thread: the key hashes of rows [first, first + n) of t, just
 * stored; a segment holds consecutive rowids of one table. */
static int fg_imp_pipe_keys(fg_imp_pipe *p, fg_table_id t, int64_t first, const uint64_t *h,
                            int n, fg_err *err) {
  if (p->keys == NULL) p->keys = fg_xmalloc((size_t)FG_STORE_KEY_HASHES_SEG_ROWS * sizeof *p->keys);
  for (int i = 0; i < n; i++) {
    if (p->keys_n > 0 && (p->keys_table != t || p->keys_first + p->keys_n != first + i ||
                          p->keys_n == FG_STORE_KEY_HASHES_SEG_ROWS)) {
      const int rc = fg_imp_pipe_keys_flush(p, err);
      if (rc != 0) return rc;
    }
    if (p->keys_n == 0) {
      p->keys_table = t;
      p->keys_first = first + i;
    }
    p->keys[p->keys_n++] = h[i];
  }
  return 0;
}

/* SQLite thread: the leaf of table t being made is done; keep it. */
static void fg_imp_pipe_leaf_close(fg_imp_pipe *p, fg_table_id t) {
  FG_ASSERT_HOT(p->open_chunk[t] >= 0);
  if (p->nleaves_done == p->leaves_done_cap) {
    p->leaves_done_cap = p->leaves_done_cap ? p->leaves_done_cap * 2 : 64;
    p->leaves_done = fg_xrealloc(p->leaves_done, p->leaves_done_cap * sizeof *p->leaves_done);
  }
  fg_imp_leaf *d = &p->leaves_done[p->nleaves_done++];
  d->t = t;
  d->chunk = p->open_chunk[t];
  fg_rowhash_leaf_end(&p->leaf[t], d->leaf);
  p->open_chunk[t] = -1;
}

/* SQLite thread: add a row just stored (values as bound) to the leaf of its
 * journal chunk, which the worker left to this thread. */
static void fg_imp_pipe_leaf_row(fg_imp_pipe *p, fg_table_id t, int64_t chunk, int64_t rowid,
                                 int64_t line, const fg_value *vals) {
  if (p->open_chunk[t] >= 0 && p->open_chunk[t] != chunk) fg_imp_pipe_leaf_close(p, t);
  if (p->open_chunk[t] < 0) {
    fg_rowhash_leaf_begin(&p->leaf[t]);
    p->open_chunk[t] = chunk;
  }
  fg_rowhash_row_begin(&p->leaf_enc);
  fg_journal_values_encode(fg_schema_table(t), vals, p->im->batch_id, line, &p->leaf_enc);
  fg_rowhash_leaf_add(&p->leaf[t], rowid, &p->leaf_enc);
  if (p->leaf[t].rows == FG_JOURNAL_CHUNK_ROWS) fg_imp_pipe_leaf_close(p, t);
}

/* After the join: close every digest's last chunk and file the leaves the
 * SQLite thread made (each once, into a chunk the worker skipped). */
static void fg_imp_pipe_file_leaves(fg_imp_pipe *p) {
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (p->open_chunk[t] >= 0) fg_imp_pipe_leaf_close(p, (fg_table_id)t);
    fg_rowhash_close(&p->im->r->digests[t]);
  }
  for (size_t i = 0; i < p->nleaves_done; i++) {
    const fg_imp_leaf *d = &p->leaves_done[i];
    fg_rowhash_set_leaf(&p->im->r->digests[d->t], d->chunk, d->leaf);
  }
}

/* SQLite thread: insert the rows of one chunk, FG_STORE_INSERT_ROWS per
 * statement while that many are left, then one by one. */
static int fg_imp_pipe_insert(fg_imp_pipe *p, const fg_imp_chunk *c, fg_err *err) {
  fg_import_file *f = c->f;
  const fg_table *tab = fg_schema_table(f->table);
  const int ncols = tab->ncols + (fg_schema_keyless(tab) ? 1 : 0); /* with _digest */
  fg_value vals[FG_STORE_INSERT_ROWS * FG_MAX_COLS];
  for (int r = 0; r < c->nrows;) {
    const int n = c->nrows - r >= FG_STORE_INSERT_ROWS ? FG_STORE_INSERT_ROWS : 1;
    for (int j = 0; j < n; j++) fg_imp_chunk_vals(c, r + j, ncols, &vals[j * FG_MAX_COLS]);
    int64_t last = 0;
    const int rc = n == 1 ? fg_store_insert(p->im->s, f->table, p->im->batch_id, c->line[r],
                                            vals, &last, err)
                          : fg_store_insert_many(p->im->s, f->table, p->im->batch_id,
                                                 &c->line[r], vals, n, &last, err);
    if (rc != 0) return rc;
    if (last != c->rowid[r + n - 1]) /* the digest's rowids: only an edited store */
      return fg_errf(err, FG_EDB, "%s 的新行得到行号 %lld，而不是预期的 %lld (rowid not as expected)",
                     tab->name, (long long)last, (long long)c->rowid[r + n - 1]);
    fg_imp_pipe_rowids(f, last - n + 1, last);
    for (int j = 0; j < n; j++)
      if (c->leaf_chunk[r + j] >= 0)
        fg_imp_pipe_leaf_row(p, f->table, c->leaf_chunk[r + j], c->rowid[r + j], c->line[r + j],
                             &vals[j * FG_MAX_COLS]);
    const int krc = fg_imp_pipe_keys(p, f->table, last - n + 1, &c->key_hash[r], n, err);
    if (krc != 0) return krc;
    r += n;
  }
  return 0;
}

/* SQLite thread: take chunks and requests until the worker is done. */
static void fg_imp_pipe_consume(fg_imp_pipe *p) {
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->req_pending && p->head == p->tail && !p->done)
      pthread_cond_wait(&p->work, &p->mu);
    if (p->req_pending) {
      fg_imp_pipe_serve(p); /* the worker waits for it: no one else runs */
      p->req_pending = false;
      pthread_cond_broadcast(&p->space);
      continue;
    }
    if (p->head == p->tail) break; /* done and drained */
    fg_imp_chunk *c = &p->ring[p->head % FG_IMP_PIPE_CHUNKS];
    pthread_mutex_unlock(&p->mu);
    int rc = 0;
    if (__atomic_load_n(&p->failed, __ATOMIC_RELAXED) == 0)
      rc = fg_imp_pipe_insert(p, c, &p->ferr);
    pthread_mutex_lock(&p->mu);
    if (rc != 0) __atomic_store_n(&p->failed, rc, __ATOMIC_RELAXED);
    __atomic_store_n(&p->head, p->head + 1, __ATOMIC_RELAXED); /* fg_imp_pipe_defer_leaf */
    pthread_cond_broadcast(&p->space);
  }
  pthread_mutex_unlock(&p->mu);
}

static void *fg_imp_pipe_worker(void *arg) {
  fg_imp_pipe *p = arg;
  fg_imp *im = p->im;
  for (int i = 0; i < im->r->nfiles && p->wrc == 0; i++) {
    fg_import_file *f = &im->r->files[i];
    if (im->csv[f->table] != NULL) p->wrc = fg_imp_read_file(im, f, im->csv[f->table], &p->werr);
  }
  fg_err perr = {0};
  const int prc = fg_imp_pipe_publish(p, &perr);
  if (p->wrc == 0 && prc != 0) {
    p->wrc = prc;
    p->werr = perr;
  }
  pthread_mutex_lock(&p->mu);
  p->done = true;
  pthread_cond_signal(&p->work);
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int fg_imp_pipe_run(fg_imp *im, fg_csv *const csv[FG_T_COUNT], fg_err *err) {
  FG_ASSERT_HOT(im != NULL && csv != NULL && im->pipe == NULL);
  fg_imp_pipe *p = fg_xcalloc(1, sizeof *p);
  p->im = im;
  p->ring = fg_xcalloc(FG_IMP_PIPE_CHUNKS, sizeof *p->ring);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work, NULL);
  pthread_cond_init(&p->space, NULL);
  for (int t = 0; t < FG_T_COUNT; t++) im->csv[t] = csv[t];
  for (int t = 0; t < FG_T_COUNT; t++) p->open_chunk[t] = -1;
  im->pipe = p;
  pthread_t th;
  int rc = 0;
  /* A row planted with the largest rowid makes SQLite pick the next ones at
   * random: the batch's rows would not follow each other (rowid_first ..
   * rowid_last, the journal's chunks). Refused here, by name. */
  for (int t = 0; t < FG_T_COUNT && rc == 0; t++) {
    int64_t lo = 1, hi = 0;
    if (csv[t] != NULL) rc = fg_store_rowid_bounds(im->s, (fg_table_id)t, &lo, &hi, err);
    if (rc == 0 && hi == INT64_MAX)
      rc = fg_errf(err, FG_EDB, "%s 的行号已到上限 %lld（数据库文件被改动过？），无法再存入 "
                   "(rowid at its maximum)", fg_schema_table((fg_table_id)t)->name, (long long)hi);
    if (rc == 0) p->next_rowid[t] = hi + 1; /* hi 0 when empty: rowid 1 first */
  }
  if (rc != 0) {
    /* the worker never ran */
  } else if (pthread_create(&th, NULL, fg_imp_pipe_worker, p) != 0) {
    rc = fg_errf(err, FG_ENOMEM, "无法创建导入线程");
  } else {
    fg_imp_pipe_consume(p);
    pthread_join(th, NULL);
    rc = p->wrc != 0 ? p->wrc : __atomic_load_n(&p->failed, __ATOMIC_RELAXED);
    if (rc != 0) *err = p->wrc != 0 ? p->werr : p->ferr;
    if (rc == 0 && im->storing) rc = fg_imp_pipe_keys_flush(p, err);
    if (rc == 0) fg_imp_pipe_file_leaves(p);
  }
  im->pipe = NULL;
  for (int i = 0; i < FG_IMP_PIPE_CHUNKS; i++) fg_buf_release(&p->ring[i].text);
  fg_buf_release(&p->req_text);
  fg_buf_release(&p->enc);
  fg_buf_release(&p->leaf_enc);
  free(p->leaves_done);
  free(p->keys);
  pthread_cond_destroy(&p->space);
  pthread_cond_destroy(&p->work);
  pthread_mutex_destroy(&p->mu);
  free(p->ring);
  free(p);
  return rc;
}
