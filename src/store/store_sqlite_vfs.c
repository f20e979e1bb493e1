/*
 * store_sqlite_vfs.c — "fg-wb", a shim over SQLite's default VFS that can
 * hand the writes of a store's main file to a background thread while a
 * bulk batch is imported (fg_store_bulk_journal), so that the thread
 * inserting rows does not also copy every page into the kernel.
 *
 * Why.  A million-person import writes 6.7 GB of pages. Measured with perf
 * on the benchmark machine, the kernel's copy of those pages into the page
 * cache (copy_folio_from_iter_atomic, under pwrite) took a quarter of the
 * inserting thread, which bounds the import; the reading thread had time
 * to spare. SQLite has no write-behind of its own (its old sqlite3async
 * extension gave up durability and is unmaintained), hence this file.
 *
 * What stays true.  Only xWrite of the main database file is deferred, and
 * only while write-behind is switched on for it (FG_SQLITE_FCNTL_WB). Every
 * other method of that file — xRead, xSync, xTruncate, xFileSize, the
 * locks, file controls, close — first waits until every queued write has
 * been made (fg_wb_drain), so each of them sees the file exactly as if
 * every xWrite had been done in place, in order (one writer thread, a FIFO
 * queue). In particular xSync, which SQLite calls before it reports a
 * commit, returns only after every page is written and fsync'd: a commit
 * acknowledged is on disk (a kill -9 loses nothing acknowledged,
 * tests/e2e_crash.sh). The rollback journal is not deferred, so SQLite's
 * order "journal synced, then pages overwritten" holds, and deferral only
 * delays a page write, never moves it before the journal.
 *
 * A failed background write is kept and returned by the next method of
 * the file, and by every later xWrite and xSync until write-behind is
 * switched off: SQLite then rolls the transaction back (the journal makes
 * that safe whatever the file holds) and a batch is never reported stored
 * with a page missing (test_import: test_write_behind_failure).
 *
 * Reads, file size and locks are rare in a bulk insert (strace of a
 * 100,000-person import: 81,384 page writes, 83 reads of the file), so
 * waiting for the queue there costs nothing measurable.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

enum {
  FG_WB_SLOTS = 2048,           /* queued writes at most (backpressure) */
  FG_WB_SLOT_BYTES = 16384,     /* a page of up to 16 KiB; larger: written in place */
};

typedef struct fg_wb_slot {
  sqlite3_int64 off;
  int n;
} fg_wb_slot;

/* The queue of one file while write-behind is on. */
typedef struct fg_wb_queue {
  pthread_mutex_t mu;
  pthread_cond_t work; /* writer: a slot, or stop */
  pthread_cond_t room; /* SQLite's thread: a free slot, or the queue drained */
  fg_wb_slot slots[FG_WB_SLOTS];
  char *data;          /* FG_WB_SLOTS * FG_WB_SLOT_BYTES */
  uint64_t head, tail; /* writer takes [head], SQLite's thread fills [tail] */
  bool busy;           /* the writer is writing slot head (not yet retired) */
  bool stop;
  int rc;              /* first failed write (SQLITE_IOERR_*), sticky */
  pthread_t th;
} fg_wb_queue;

typedef struct fg_wb_file {
  sqlite3_file base;
  sqlite3_file *real; /* the default VFS's file, right after this struct */
  bool main_db;
  fg_wb_queue *q; /* NULL: every call straight through */
} fg_wb_file;

static sqlite3_vfs *fg_wb_real_vfs;
static _Atomic uint64_t fg_wb_queued_pages; /* every page ever queued, for tests */

uint64_t fg_sqlite_wb_pages(void) { return fg_wb_queued_pages; }

static void *fg_wb_writer(void *arg) {
  fg_wb_file *f = arg;
  fg_wb_queue *q = f->q;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (!q->stop && q->head == q->tail) pthread_cond_wait(&q->work, &q->mu);
    if (q->head == q->tail) break; /* stop, and drained */
    const uint64_t i = q->head % FG_WB_SLOTS;
    const fg_wb_slot s = q->slots[i];
    q->busy = true;
    const bool failed = q->rc != SQLITE_OK;
    pthread_mutex_unlock(&q->mu);
    /* the real file is this thread's alone until the queue is empty */
    const int rc = failed ? SQLITE_OK
                          : f->real->pMethods->xWrite(f->real, q->data + i * FG_WB_SLOT_BYTES,
                                                      s.n, s.off);
    pthread_mutex_lock(&q->mu);
    if (rc != SQLITE_OK && q->rc == SQLITE_OK) q->rc = rc;
    q->head++;
    q->busy = false;
    pthread_cond_broadcast(&q->room);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

/* Wait until every queued write is made; the first failure, if any. */
static int fg_wb_drain(fg_wb_file *f) {
  fg_wb_queue *q = f->q;
  if (q == NULL) return SQLITE_OK;
  pthread_mutex_lock(&q->mu);
  while (q->head != q->tail || q->busy) pthread_cond_wait(&q->room, &q->mu);
  const int rc = q->rc;
  pthread_mutex_unlock(&q->mu);
  return rc;
}

static int fg_wb_on(fg_wb_file *f) {
  if (f->q != NULL || !f->main_db) return f->main_db ? SQLITE_OK : SQLITE_MISUSE;
  fg_wb_queue *q = calloc(1, sizeof *q);
  if (q == NULL) return SQLITE_NOMEM;
  q->data = malloc((size_t)FG_WB_SLOTS * FG_WB_SLOT_BYTES);
  if (q->data == NULL) {
    free(q);
    return SQLITE_NOMEM;
  }
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->work, NULL);
  pthread_cond_init(&q->room, NULL);
  f->q = q;
  if (pthread_create(&q->th, NULL, fg_wb_writer, f) != 0) {
    f->q = NULL;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->room);
    free(q->data);
    free(q);
    return SQLITE_OK; /* writes stay in place */
  }
  return SQLITE_OK;
}

/* Drain, stop the writer; the first failure, if any. */
static int fg_wb_off(fg_wb_file *f) {
  fg_wb_queue *q = f->q;
  if (q == NULL) return SQLITE_OK;
  pthread_mutex_lock(&q->mu);
  q->stop = true;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->mu);
  pthread_join(q->th, NULL);
  FG_ASSERT(q->head == q->tail && !q->busy);
  const int rc = q->rc;
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->work);
  pthread_cond_destroy(&q->room);
  free(q->data);
  free(q);
  f->q = NULL;
  return rc;
}

static int fg_wb_write(sqlite3_file *pf, const void *buf, int n, sqlite3_int64 off) {
  fg_wb_file *f = (fg_wb_file *)pf;
  fg_wb_queue *q = f->q;
  if (q == NULL) return f->real->pMethods->xWrite(f->real, buf, n, off);
  if (n <= 0 || n > FG_WB_SLOT_BYTES) {
    const int rc = fg_wb_drain(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite(f->real, buf, n, off);
  }
  pthread_mutex_lock(&q->mu);
  while (q->rc == SQLITE_OK && q->tail - q->head >= FG_WB_SLOTS)
    pthread_cond_wait(&q->room, &q->mu);
  int rc = q->rc;
  pthread_mutex_unlock(&q->mu);
  if (rc != SQLITE_OK) return rc;
  /* slot tail is ours: the writer never reads past tail */
  const uint64_t i = q->tail % FG_WB_SLOTS;
  memcpy(q->data + i * FG_WB_SLOT_BYTES, buf, (size_t)n);
  pthread_mutex_lock(&q->mu);
  q->slots[i] = (fg_wb_slot){off, n};
  q->tail++;
  fg_wb_queued_pages++;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->mu);
  return SQLITE_OK;
}

/* The methods that wait for the queue, then pass the call on. */
#define FG_WB_DRAINED(f)                        \
  do {                                          \
    const int drc_ = fg_wb_drain(f);            \
    if (drc_ != SQLITE_OK) return drc_;         \
  } while (0)

static int fg_wb_close(sqlite3_file *pf) {
  fg_wb_file *f = (fg_wb_file *)pf;
  (void)fg_wb_off(f);
  return f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
}

static int fg_wb_read(sqlite3_file *pf, void *buf, int n, sqlite3_int64 off) {
  fg_wb_file *f = (fg_wb_file *)pf;
  FG_WB_DRAINED(f);
  return f->real->pMethods->xRead(f->real, buf, n, off);
}

static int fg_wb_truncate(sqlite3_file *pf, sqlite3_int64 size) {
  fg_wb_file *f = (fg_wb_file *)pf;
  FG_WB_DRAINED(f);
  return f->real->pMethods->xTruncate(f->real, size);
}

static int fg_wb_sync(sqlite3_file *pf, int flags) {
  fg_wb_file *f = (fg_wb_file *)pf;
  FG_WB_DRAINED(f);
  return f->real->pMethods->xSync(f->real, flags);
}

static int fg_wb_file_size(sqlite3_file *pf, sqlite3_int64 *size) {
  fg_wb_file *f = (fg_wb_file *)pf;
  FG_WB_DRAINED(f);
  return f->real->pMethods->xFileSize(f->real, size);
}

/* Locks: the pages queued are written before another connection may see
 * the file (a lock changes only after the queue is empty). A failure is
 * not returned here: SQLite must still be able to unlock and roll back;
 * xWrite and xSync keep returning it. */
static int fg_wb_lock(sqlite3_file *pf, int level) {
  fg_wb_file *f = (fg_wb_file *)pf;
  (void)fg_wb_drain(f);
  return f->real->pMethods->xLock(f->real, level);
}

static int fg_wb_unlock(sqlite3_file *pf, int level) {
  fg_wb_file *f = (fg_wb_file *)pf;
  (void)fg_wb_drain(f);
  return f->real->pMethods->xUnlock(f->real, level);
}

static int fg_wb_check_reserved(sqlite3_file *pf, int *out) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int fg_wb_file_control(sqlite3_file *pf, int op, void *arg) {
  fg_wb_file *f = (fg_wb_file *)pf;
  if (op == FG_SQLITE_FCNTL_WB) {
    const int on = *(int *)arg;
    return on ? fg_wb_on(f) : fg_wb_off(f);
  }
  (void)fg_wb_drain(f);
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int fg_wb_sector_size(sqlite3_file *pf) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xSectorSize(f->real);
}

static int fg_wb_device(sqlite3_file *pf) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int fg_wb_shm_map(sqlite3_file *pf, int pg, int sz, int extend, void volatile **pp) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xShmMap(f->real, pg, sz, extend, pp);
}

static int fg_wb_shm_lock(sqlite3_file *pf, int offset, int n, int flags) {
  fg_wb_file *f = (fg_wb_file *)pf;
  (void)fg_wb_drain(f);
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void fg_wb_shm_barrier(sqlite3_file *pf) {
  fg_wb_file *f = (fg_wb_file *)pf;
  f->real->pMethods->xShmBarrier(f->real);
}

static int fg_wb_shm_unmap(sqlite3_file *pf, int del) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xShmUnmap(f->real, del);
}

/* Memory-mapped reads would not wait for the queue: none while it is on. */
static int fg_wb_fetch(sqlite3_file *pf, sqlite3_int64 off, int n, void **pp) {
  fg_wb_file *f = (fg_wb_file *)pf;
  if (f->q != NULL) {
    *pp = NULL;
    return SQLITE_OK;
  }
  return f->real->pMethods->xFetch(f->real, off, n, pp);
}

static int fg_wb_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p) {
  fg_wb_file *f = (fg_wb_file *)pf;
  return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods fg_wb_methods = {
    3,
    fg_wb_close, fg_wb_read, fg_wb_write, fg_wb_truncate, fg_wb_sync, fg_wb_file_size,
    fg_wb_lock, fg_wb_unlock, fg_wb_check_reserved, fg_wb_file_control, fg_wb_sector_size,
    fg_wb_device, fg_wb_shm_map, fg_wb_shm_lock, fg_wb_shm_barrier, fg_wb_shm_unmap,
    fg_wb_fetch, fg_wb_unfetch,
};

static int fg_wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags,
                      int *out_flags) {
  (void)vfs;
  fg_wb_file *f = (fg_wb_file *)pf;
  memset(f, 0, sizeof *f);
  f->real = (sqlite3_file *)(f + 1);
  f->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  const int rc = fg_wb_real_vfs->xOpen(fg_wb_real_vfs, name, f->real, flags, out_flags);
  /* the real file's methods are set even on failure when it needs closing */
  pf->pMethods = f->real->pMethods != NULL ? &fg_wb_methods : NULL;
  FG_ASSERT(f->real->pMethods == NULL || f->real->pMethods->iVersion >= 3);
  return rc;
}

/* The rest of the VFS is the default one's. */
static int fg_wb_delete(sqlite3_vfs *v, const char *z, int sync_dir) {
  (void)v;
  return fg_wb_real_vfs->xDelete(fg_wb_real_vfs, z, sync_dir);
}
static int fg_wb_access(sqlite3_vfs *v, const char *z, int flags, int *out) {
  (void)v;
  return fg_wb_real_vfs->xAccess(fg_wb_real_vfs, z, flags, out);
}
static int fg_wb_full_pathname(sqlite3_vfs *v, const char *z, int n, char *out) {
  (void)v;
  return fg_wb_real_vfs->xFullPathname(fg_wb_real_vfs, z, n, out);
}
static void *fg_wb_dlopen(sqlite3_vfs *v, const char *z) {
  (void)v;
  return fg_wb_real_vfs->xDlOpen(fg_wb_real_vfs, z);
}
static void fg_wb_dlerror(sqlite3_vfs *v, int n, char *z) {
  (void)v;
  fg_wb_real_vfs->xDlError(fg_wb_real_vfs, n, z);
}
static void (*fg_wb_dlsym(sqlite3_vfs *v, void *h, const char *z))(void) {
  (void)v;
  return fg_wb_real_vfs->xDlSym(fg_wb_real_vfs, h, z);
}
static void fg_wb_dlclose(sqlite3_vfs *v, void *h) {
  (void)v;
  fg_wb_real_vfs->xDlClose(fg_wb_real_vfs, h);
}
static int fg_wb_randomness(sqlite3_vfs *v, int n, char *out) {
  (void)v;
  return fg_wb_real_vfs->xRandomness(fg_wb_real_vfs, n, out);
}
static int fg_wb_sleep(sqlite3_vfs *v, int us) {
  (void)v;
  return fg_wb_real_vfs->xSleep(fg_wb_real_vfs, us);
}
static int fg_wb_current_time(sqlite3_vfs *v, double *out) {
  (void)v;
  return fg_wb_real_vfs->xCurrentTime(fg_wb_real_vfs, out);
}
static int fg_wb_last_error(sqlite3_vfs *v, int n, char *z) {
  (void)v;
  return fg_wb_real_vfs->xGetLastError ? fg_wb_real_vfs->xGetLastError(fg_wb_real_vfs, n, z) : 0;
}
static int fg_wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *out) {
  (void)v;
  return fg_wb_real_vfs->xCurrentTimeInt64(fg_wb_real_vfs, out);
}

static sqlite3_vfs fg_wb_vfs = {
    2, 0, 0, NULL, FG_SQLITE_VFS_NAME, NULL,
    fg_wb_open, fg_wb_delete, fg_wb_access, fg_wb_full_pathname, fg_wb_dlopen, fg_wb_dlerror,
    fg_wb_dlsym, fg_wb_dlclose, fg_wb_randomness, fg_wb_sleep, fg_wb_current_time,
    fg_wb_last_error, fg_wb_current_time64, NULL, NULL, NULL,
};

static int fg_wb_register_rc = SQLITE_ERROR;

static void fg_wb_register_once(void) {
  /* Before SQLite initialises (the first call below does): no memory
   * statistics, which cost a global mutex on every allocation; nothing here
   * reads them. A refusal (SQLite already initialised, e.g. by a test) only
   * costs speed. */
  (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  fg_wb_real_vfs = sqlite3_vfs_find(NULL);
  if (fg_wb_real_vfs == NULL || fg_wb_real_vfs->iVersion < 2) return;
  fg_wb_vfs.szOsFile = (int)sizeof(fg_wb_file) + fg_wb_real_vfs->szOsFile;
  fg_wb_vfs.mxPathname = fg_wb_real_vfs->mxPathname;
  fg_wb_register_rc = sqlite3_vfs_register(&fg_wb_vfs, 0);
}

const char *fg_sqlite_vfs(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, fg_wb_register_once);
  return fg_wb_register_rc == SQLITE_OK ? FG_SQLITE_VFS_NAME : NULL;
}
