/*
 * snapshot.c — write a model to `<db>.model` and map it back (snapshot.h).
 *
 * Layout.  The header (fg_snap_header: 8-byte fields only, so no padding),
 * then the string pool and the person ids as blobs of NUL-terminated
 * strings in id order, then the uid blob (model.h fg_m_uid: its two parts
 * written as one), then the FG_SNAP_NARRAYS arrays of fg_snap_arrays[]
 * in that order, every piece starting at a multiple of 8 (zero padding).
 * Writer and reader derive every offset from the header with the same
 * function (fg_snap_layout), so the file has no offset table to trust.
 *
 * Trust.  The reader checks the header against the store's key and the
 * whole file's digest against the one of a signed journal entry before it
 * uses a byte of it; the string blobs are checked to hold exactly the
 * recorded number of strings. The row contents (pk, indexes) are then as
 * trustworthy as the rows the SQLite load would have read.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sha256.h"
#include "journal/journal.h"
#include "journal/json.h"
#include "screen/build_impl.h"
#include "screen/snapshot.h"

#define FG_SNAP_ALIGN 8
#define FG_SNAP_WBUF_BYTES ((size_t)4 << 20) /* writer's buffer */
/* Alignment of a direct write's buffer, offset and length (the largest
 * logical block size of Linux block devices in use; FG_SNAP_WBUF_BYTES is
 * a multiple). */
#define FG_SNAP_DIRECT_ALIGN ((size_t)4096)
_Static_assert(FG_SNAP_WBUF_BYTES % FG_SNAP_DIRECT_ALIGN == 0, "whole blocks per buffer");
/* The file's digest is a hash list: SHA-256 over the SHA-256 of each piece
 * of this many bytes (the last one shorter), in order. The reader hashes
 * the pieces on both cores (fg_snapshot_digest): verifying a 4 GB snapshot took
 * 2.2 s on one. Pieces of a fixed size, in a file whose size the header
 * fixes, leave nothing to choose: it is as collision-resistant as SHA-256. */
#define FG_SNAP_PIECE_BYTES ((size_t)64 << 20)
/* Most pieces a file may have (FG_SNAPSHOT_BYTES_MAX / piece, rounded up). */
#define FG_SNAP_PIECES_MAX ((size_t)(FG_SNAPSHOT_BYTES_MAX / FG_SNAP_PIECE_BYTES) + 1)
#define FG_SNAP_NARRAYS 28
#define FG_SNAP_NBLOBS 3 /* the string pool, the person ids, the uid texts */

/* One array of the model: where its pointer and its count sit in fg_model. */
typedef struct fg_snap_desc {
  size_t ptr_off, cnt_off;
  size_t elem_size;
  bool cnt32;  /* the count field is int32_t (else int64_t) */
  bool plus1;  /* an offsets array: count + 1 entries */
} fg_snap_desc;

#define FG_SNAP_FIELD(f) (((fg_model *)0)->f)
#define FG_SNAP_ARR(arr, cnt) \
  {offsetof(fg_model, arr), offsetof(fg_model, cnt), sizeof *FG_SNAP_FIELD(arr), \
   sizeof FG_SNAP_FIELD(cnt) == 4, false}
#define FG_SNAP_OFF(arr) \
  {offsetof(fg_model, arr), offsetof(fg_model, npk), sizeof(int64_t), true, true}

static const fg_snap_desc fg_snap_arrays[FG_SNAP_NARRAYS] = {
    FG_SNAP_ARR(pk_person, npk),           FG_SNAP_ARR(pk_death, npk),
    FG_SNAP_ARR(persons, npersons),        FG_SNAP_ARR(employers, nemployers),
    FG_SNAP_ARR(enrollments, nenrollments), FG_SNAP_OFF(enrollments_off),
    FG_SNAP_ARR(contributions, ncontributions), FG_SNAP_OFF(contributions_off),
    FG_SNAP_ARR(payments, npayments),      FG_SNAP_OFF(payments_off),
    FG_SNAP_ARR(retirements, nretirements), FG_SNAP_OFF(retirements_off),
    FG_SNAP_ARR(institutions, ninstitutions), FG_SNAP_ARR(catalog, ncatalog),
    FG_SNAP_ARR(settlements, nsettlements), FG_SNAP_OFF(settlements_off),
    FG_SNAP_ARR(items, nitems),            FG_SNAP_ARR(deaths, ndeaths),
    FG_SNAP_OFF(deaths_off),               FG_SNAP_ARR(incarcerations, nincarcerations),
    FG_SNAP_OFF(incarcerations_off),       FG_SNAP_ARR(survivals, nsurvivals),
    FG_SNAP_OFF(survivals_off),            FG_SNAP_ARR(accounts, naccounts),
    FG_SNAP_ARR(txns, ntxns),              FG_SNAP_ARR(staff, nstaff),
    FG_SNAP_ARR(operations, noperations),  FG_SNAP_ARR(wage_bases, nwage_bases),
};

typedef struct fg_snap_header {
  char magic[8];
  uint64_t version, header_bytes, file_bytes;
  uint64_t elem_size[FG_SNAP_NARRAYS];
  int64_t n[FG_SNAP_NARRAYS];
  fg_snapshot_key key;
  uint64_t present[FG_T_COUNT];
  int64_t npk, nstr;
  uint64_t str_bytes, pid_bytes, uid_bytes;
} fg_snap_header;

_Static_assert(sizeof(fg_snap_header) % FG_SNAP_ALIGN == 0, "header is 8-byte fields");
_Static_assert(sizeof(fg_snapshot_key) == (2 + 2 * FG_T_COUNT) * sizeof(int64_t),
               "key has no padding");

static uint64_t fg_snap_align(uint64_t n) { return (n + FG_SNAP_ALIGN - 1) & ~(uint64_t)7; }

static int64_t fg_snap_count(const fg_model *m, const fg_snap_desc *d) {
  const char *p = (const char *)m + d->cnt_off;
  if (d->cnt32) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return (int64_t)v + (d->plus1 ? 1 : 0);
  }
  int64_t v;
  memcpy(&v, p, sizeof v);
  return v + (d->plus1 ? 1 : 0);
}

static void *fg_snap_ptr(const fg_model *m, const fg_snap_desc *d) {
  void *p;
  memcpy(&p, (const char *)m + d->ptr_off, sizeof p);
  return p;
}

/* Offsets of the three blobs (off[0..2]) and the arrays (off[3..]);
 * returns the file size, 0 when a count is out of range. */
static uint64_t fg_snap_layout(const fg_snap_header *h, uint64_t off[FG_SNAP_NARRAYS + FG_SNAP_NBLOBS]) {
  const uint64_t max = FG_SNAPSHOT_BYTES_MAX;
  uint64_t at = fg_snap_align(sizeof *h);
  if (h->str_bytes > max || h->pid_bytes > max || h->uid_bytes > max) return 0;
  off[0] = at;
  at += fg_snap_align(h->str_bytes);
  off[1] = at;
  at += fg_snap_align(h->pid_bytes);
  off[2] = at;
  at += fg_snap_align(h->uid_bytes);
  if (at > max) return 0;
  for (int i = 0; i < FG_SNAP_NARRAYS; i++) {
    const uint64_t es = fg_snap_arrays[i].elem_size;
    if (h->n[i] < 0 || (uint64_t)h->n[i] > max / es) return 0;
    off[i + FG_SNAP_NBLOBS] = at;
    at += fg_snap_align((uint64_t)h->n[i] * es);
    if (at > max) return 0;
  }
  return at;
}

static uint64_t fg_snap_blob_bytes(const char *const *str, int64_t n) {
  uint64_t bytes = 0;
  for (int64_t i = 0; i < n; i++) bytes += strlen(str[i]) + 1;
  return bytes;
}

static void fg_snap_header_fill(const fg_model *m, const fg_snapshot_key *k, fg_snap_header *h) {
  memset(h, 0, sizeof *h);
  memcpy(h->magic, FG_SNAPSHOT_MAGIC, sizeof h->magic);
  h->version = FG_SNAPSHOT_VERSION;
  h->header_bytes = sizeof *h;
  for (int i = 0; i < FG_SNAP_NARRAYS; i++) {
    h->elem_size[i] = fg_snap_arrays[i].elem_size;
    h->n[i] = fg_snap_count(m, &fg_snap_arrays[i]);
  }
  h->key = *k;
  for (int t = 0; t < FG_T_COUNT; t++) h->present[t] = m->present[t] ? 1 : 0;
  h->npk = m->npk;
  h->nstr = m->nstr;
  h->str_bytes = fg_snap_blob_bytes(m->str, m->nstr);
  h->pid_bytes = fg_snap_blob_bytes(m->pk_id, m->npk);
  h->uid_bytes = m->uid_bytes[0] + m->uid_bytes[1];
}

/* ---- writer -------------------------------------------------------------- */

/* The writer bypasses the page cache (O_DIRECT) where the file system
 * allows it. A buffered write copies 3.6 GB into freshly allocated page
 * cache pages: on the benchmark machine that copy was 72 % of the writer
 * thread's time, 9.7 s beside rules that took 4.2 s, so the first
 * screening waited for its snapshot. Direct writes leave the copy to the
 * disk (every write goes through the aligned buffer, whole blocks; the
 * last block is zero-padded and the file cut back to its size). Where
 * O_DIRECT is refused, at open or at the first write, the writer is
 * buffered as before. The bytes on disk are the same either way.
 *
 * Two buffers: while a thread of its own writes one out (a direct write
 * waits for the disk), the writer copies into and hashes the other. One at
 * a time, it took copy + hash + disk, 5.9-6.9 s for the million-person
 * model, longer than the rules and the store it runs beside; overlapped,
 * the larger of the two. A write is started only after the previous one
 * has finished, so the file is written in order, and only the I/O thread
 * touches fd, direct and failed while a write is out (fg_snap_io_wait; the
 * filling side reads direct_seen, updated there). */
typedef struct fg_snap_writer {
  int fd;
  bool direct;         /* fd has O_DIRECT: only whole aligned blocks */
  fg_sha256_ctx sha;   /* over the pieces' digests */
  fg_sha256_ctx piece; /* over the current piece's bytes */
  size_t piece_used;
  char *buf;           /* FG_SNAP_WBUF_BYTES, FG_SNAP_DIRECT_ALIGN-aligned */
  char *spare;         /* the other buffer: being written while inflight */
  size_t used;
  uint64_t total;      /* bytes of the file written (its logical size) */
  bool failed;
  int failed_errno;    /* errno of the failed write (the I/O thread's own) */
  bool direct_seen;    /* direct as of the last fg_snap_io_wait: what the filling side reads */
  pthread_t io;        /* writes spare[0, io_n) when inflight */
  size_t io_n;
  bool inflight;
} fg_snap_writer;

/* Feed n bytes to the hash list (FG_SNAP_PIECE_BYTES). */
static void fg_snap_hash(fg_snap_writer *w, const char *p, size_t n) {
  while (n > 0) {
    const size_t k = FG_MIN(n, FG_SNAP_PIECE_BYTES - w->piece_used);
    fg_sha256_update(&w->piece, p, k);
    w->piece_used += k;
    p += k;
    n -= k;
    if (w->piece_used == FG_SNAP_PIECE_BYTES) {
      uint8_t d[32];
      fg_sha256_final(&w->piece, d);
      fg_sha256_update(&w->sha, d, sizeof d);
      fg_sha256_init(&w->piece);
      w->piece_used = 0;
    }
  }
}

/* Write n bytes at the file's end; a direct write refused as such (EINVAL)
 * turns the writer buffered and is retried. */
static void fg_snap_write_all(fg_snap_writer *w, const char *c, size_t n) {
  while (n > 0 && !w->failed) {
    ssize_t k = write(w->fd, c, n);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && errno == EINVAL && w->direct) {
      const int fl = fcntl(w->fd, F_GETFL);
      w->direct = false;
      if (fl != -1 && fcntl(w->fd, F_SETFL, fl & ~O_DIRECT) == 0) continue;
    }
    if (k <= 0) {
      w->failed = true;
      w->failed_errno = k < 0 ? errno : EIO;
      break;
    }
    c += k;
    n -= (size_t)k;
  }
}

static void *fg_snap_io_run(void *arg) {
  fg_snap_writer *w = arg;
  fg_snap_write_all(w, w->spare, w->io_n);
  return NULL;
}

/* Wait for the write that is out, if any: then spare is free again and
 * direct and failed are the writer's to read. */
static void fg_snap_io_wait(fg_snap_writer *w) {
  if (!w->inflight) return;
  int rc = pthread_join(w->io, NULL);
  FG_ASSERT(rc == 0);
  (void)rc;
  w->inflight = false;
  w->direct_seen = w->direct;
}

/* Hash, count and write n bytes (buffered: from anywhere). */
static void fg_snap_raw(fg_snap_writer *w, const void *p, size_t n) {
  fg_snap_io_wait(w);
  FG_ASSERT(!w->direct);
  fg_snap_hash(w, p, n);
  w->total += n;
  fg_snap_write_all(w, p, n);
}

/* Hand the buffer to the I/O thread and take the other one. Direct: it is
 * full, or this is the file's last flush (the tail is zero-padded to a
 * block; fg_snapshot_write cuts the file back to w->total). */
static void fg_snap_flush(fg_snap_writer *w) {
  if (w->used == 0) return;
  size_t n = w->used;
  fg_snap_hash(w, w->buf, n); /* while the previous buffer is written */
  w->total += n;
  fg_snap_io_wait(w);
  if (w->direct && n % FG_SNAP_DIRECT_ALIGN != 0) {
    const size_t padded = (n + FG_SNAP_DIRECT_ALIGN - 1) & ~(FG_SNAP_DIRECT_ALIGN - 1);
    memset(w->buf + n, 0, padded - n);
    n = padded;
  }
  char *full = w->buf;
  w->buf = w->spare;
  w->spare = full;
  w->io_n = n;
  w->used = 0;
  if (w->failed) return;
  if (pthread_create(&w->io, NULL, fg_snap_io_run, w) == 0) w->inflight = true;
  else fg_snap_write_all(w, full, n); /* no thread: write it here */
}

static void fg_snap_put(fg_snap_writer *w, const void *p, size_t n) {
  if (!w->direct_seen && n >= FG_SNAP_WBUF_BYTES / 2) { /* large: straight from the model's memory */
    fg_snap_flush(w);
    fg_snap_raw(w, p, n);
    return;
  }
  const char *c = p;
  while (n > 0) {
    if (w->used == FG_SNAP_WBUF_BYTES) fg_snap_flush(w);
    const size_t k = FG_MIN(n, FG_SNAP_WBUF_BYTES - w->used);
    memcpy(w->buf + w->used, c, k);
    w->used += k;
    c += k;
    n -= k;
  }
}

static void fg_snap_pad(fg_snap_writer *w) {
  static const char zero[FG_SNAP_ALIGN] = {0};
  uint64_t at = w->total + w->used;
  fg_snap_put(w, zero, (size_t)(fg_snap_align(at) - at));
}

static void fg_snap_put_blob(fg_snap_writer *w, const char *const *str, int64_t n) {
  for (int64_t i = 0; i < n; i++) fg_snap_put(w, str[i], strlen(str[i]) + 1);
  fg_snap_pad(w);
}

int fg_snapshot_write(const fg_model *m, const fg_snapshot_key *k, const char *path,
                      char hex[65], fg_err *err) {
  return fg_snapshot_write_via(m, k, path, true, hex, err);
}

int fg_snapshot_write_via(const fg_model *m, const fg_snapshot_key *k, const char *path,
                          bool try_direct, char hex[65], fg_err *err) {
  FG_ASSERT(m && k && path && hex);
  fg_snap_header h;
  fg_snap_header_fill(m, k, &h);
  uint64_t off[FG_SNAP_NARRAYS + FG_SNAP_NBLOBS];
  h.file_bytes = fg_snap_layout(&h, off);
  if (h.file_bytes == 0)
    return fg_errf(err, FG_ELIMIT, "模型快照过大 (snapshot above %llu bytes)",
                   (unsigned long long)FG_SNAPSHOT_BYTES_MAX);
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  fg_snap_writer w = {.fd = try_direct ? open(path, flags | O_DIRECT, 0600) : -1, .direct = true};
  if (!try_direct || (w.fd < 0 && errno == EINVAL)) /* a file system without direct I/O */
    w = (fg_snap_writer){.fd = open(path, flags, 0600), .direct = false};
  if (w.fd < 0) return fg_errf(err, FG_EIO, "无法创建模型快照 %s: %s", path, strerror(errno));
  void *buf[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++)
    if (posix_memalign(&buf[i], FG_SNAP_DIRECT_ALIGN, FG_SNAP_WBUF_BYTES) != 0) buf[i] = NULL;
  if (buf[0] == NULL || buf[1] == NULL) {
    free(buf[0]);
    free(buf[1]);
    close(w.fd);
    unlink(path);
    return fg_errf(err, FG_ENOMEM, "无法为模型快照分配缓冲区 (snapshot buffer)");
  }
  w.buf = buf[0];
  w.spare = buf[1];
  w.direct_seen = w.direct;
  fg_sha256_init(&w.sha);
  fg_sha256_init(&w.piece);
  fg_snap_put(&w, &h, sizeof h);
  fg_snap_pad(&w);
  fg_snap_put_blob(&w, m->str, m->nstr);
  fg_snap_put_blob(&w, m->pk_id, m->npk);
  FG_ASSERT(w.total + w.used == off[2]);
  for (int i = 0; i < 2; i++)
    if (m->uid_bytes[i]) fg_snap_put(&w, m->uid[i], (size_t)m->uid_bytes[i]);
  fg_snap_pad(&w);
  for (int i = 0; i < FG_SNAP_NARRAYS; i++) {
    FG_ASSERT(w.total + w.used == off[i + FG_SNAP_NBLOBS]);
    const void *p = fg_snap_ptr(m, &fg_snap_arrays[i]);
    size_t bytes = (size_t)h.n[i] * fg_snap_arrays[i].elem_size;
    if (bytes) fg_snap_put(&w, p, bytes);
    fg_snap_pad(&w);
  }
  fg_snap_flush(&w);
  fg_snap_io_wait(&w);
  free(w.buf);
  free(w.spare);
  /* No fsync: the snapshot is a cache whose digest is checked at every use,
   * so a file cut short by a crash is simply rejected and rebuilt; syncing
   * 4 GB would cost the screening run seconds for nothing. */
  bool ok = !w.failed && w.total == h.file_bytes;
  int e = w.failed ? w.failed_errno : errno;
  if (ok && ftruncate(w.fd, (off_t)w.total) != 0) { /* a direct write's padding */
    ok = false;
    e = errno;
  }
  if (close(w.fd) != 0) ok = false;
  if (!ok) {
    unlink(path);
    return fg_errf(err, FG_EIO, "写入模型快照失败 %s: %s", path, strerror(e));
  }
  uint8_t d[32];
  if (w.piece_used > 0) { /* the last, shorter piece */
    fg_sha256_final(&w.piece, d);
    fg_sha256_update(&w.sha, d, sizeof d);
  }
  fg_sha256_final(&w.sha, d);
  fg_hex(d, sizeof d, hex);
  return 0;
}

/* ---- reader -------------------------------------------------------------- */

/* The header is usable with key k and describes a file of file_bytes. */
static int fg_snap_header_check(const fg_snap_header *h, const fg_snapshot_key *k,
                                uint64_t file_bytes, uint64_t off[FG_SNAP_NARRAYS + FG_SNAP_NBLOBS],
                                fg_err *err) {
  if (memcmp(h->magic, FG_SNAPSHOT_MAGIC, sizeof h->magic) != 0 ||
      h->version != FG_SNAPSHOT_VERSION || h->header_bytes != sizeof *h)
    return fg_errf(err, FG_EVERIFY, "不是本版本的模型快照 (not a version %d snapshot)",
                   FG_SNAPSHOT_VERSION);
  for (int i = 0; i < FG_SNAP_NARRAYS; i++)
    if (h->elem_size[i] != fg_snap_arrays[i].elem_size)
      return fg_errf(err, FG_EVERIFY, "快照的结构布局不同 (snapshot of another build)");
  if (k && memcmp(&h->key, k, sizeof *k) != 0)
    return fg_errf(err, FG_EVERIFY, "数据库已有新批次或行 (store changed since the snapshot)");
  if (h->npk < 0 || h->npk >= INT32_MAX || h->nstr < 1 || h->nstr > FG_MB_STRINGS_MAX)
    return fg_errf(err, FG_EVERIFY, "快照头部计数无效 (bad counts)");
  for (int i = 0; i < FG_SNAP_NARRAYS; i++) {
    const fg_snap_desc *d = &fg_snap_arrays[i];
    bool bad = d->plus1 ? h->n[i] != h->npk + 1
                        : d->cnt_off == offsetof(fg_model, npk) ? h->n[i] != h->npk
                        : d->cnt32 && h->n[i] > INT32_MAX;
    if (bad) return fg_errf(err, FG_EVERIFY, "快照头部计数无效 (bad count of array %d)", i);
  }
  for (int t = 0; t < FG_T_COUNT; t++)
    if (h->present[t] > 1) return fg_errf(err, FG_EVERIFY, "快照头部无效 (bad present flag)");
  uint64_t size = fg_snap_layout(h, off);
  if (size == 0 || size != h->file_bytes || size != file_bytes)
    return fg_errf(err, FG_EVERIFY, "快照大小不符 (snapshot size mismatch)");
  return 0;
}

/* Pointers to the n NUL-terminated strings of blob[0..bytes); NULL when the
 * blob does not hold exactly n strings. */
static const char **fg_snap_strings(const char *blob, uint64_t bytes, int64_t n) {
  const char **str = fg_xmalloc(((size_t)n + 1) * sizeof *str);
  const char *p = blob, *end = blob + bytes;
  for (int64_t i = 0; i < n; i++) {
    const char *z = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
    if (!z) {
      free(str);
      return NULL;
    }
    str[i] = p;
    p = z + 1;
  }
  if (p != end) {
    free(str);
    return NULL;
  }
  return str;
}

/* The model over the mapping (verified already); NULL when a blob is bad. */
static fg_model *fg_snap_model(const fg_snap_header *h, char *map, uint64_t bytes,
                               const uint64_t off[FG_SNAP_NARRAYS + FG_SNAP_NBLOBS]) {
  const char **str = fg_snap_strings(map + off[0], h->str_bytes, h->nstr);
  const char **pid = fg_snap_strings(map + off[1], h->pid_bytes, h->npk);
  /* the uid blob starts (uid 0 = "") and ends with a NUL, so every uid
   * below its size names a NUL-terminated text (model.h fg_m_uid) */
  const char *uid = map + off[2];
  const bool uid_ok = h->uid_bytes >= 1 && h->uid_bytes <= FG_MB_UID_BYTES_MAX &&
                      uid[0] == '\0' && uid[h->uid_bytes - 1] == '\0';
  if (!str || !pid || str[0][0] != '\0' || !uid_ok) {
    free(str);
    free(pid);
    return NULL;
  }
  fg_model *m = fg_xcalloc(1, sizeof *m);
  fg_model_arena *a = fg_xcalloc(1, sizeof *a);
  for (int t = 0; t < FG_T_COUNT; t++) m->present[t] = h->present[t] != 0;
  m->nstr = (uint32_t)h->nstr;
  m->str = a->str.str = str;
  a->str.n = m->nstr;
  m->npk = (int32_t)h->npk;
  m->pk_id = a->pid.str = pid;
  a->pid.n = (uint32_t)m->npk;
  m->uid[0] = uid;
  m->uid_bytes[0] = h->uid_bytes;
  for (int i = 0; i < FG_SNAP_NARRAYS; i++) {
    const fg_snap_desc *d = &fg_snap_arrays[i];
    void *p = map + off[i + FG_SNAP_NBLOBS];
    memcpy((char *)m + d->ptr_off, &p, sizeof p);
    if (d->plus1) continue;
    if (d->cnt32) {
      int32_t v = (int32_t)h->n[i];
      memcpy((char *)m + d->cnt_off, &v, sizeof v);
    } else {
      memcpy((char *)m + d->cnt_off, &h->n[i], sizeof h->n[i]);
    }
  }
  a->map = map;
  a->map_bytes = (size_t)bytes;
  m->arena = a;
  return m;
}

/* The hash list of FG_SNAP_PIECE_BYTES over p[0, n), its pieces hashed on
 * both cores (fg_run_pair_each). */
typedef struct fg_snap_hasher {
  const char *p;
  size_t n;
  uint8_t (*d)[32];
} fg_snap_hasher;

static void fg_snap_hash_piece(void *arg, size_t i) {
  fg_snap_hasher *h = arg;
  const size_t off = i * FG_SNAP_PIECE_BYTES;
  fg_sha256(h->p + off, FG_MIN(FG_SNAP_PIECE_BYTES, h->n - off), h->d[i]);
}

void fg_snapshot_digest(const void *data, size_t n, uint8_t out[32]) {
  const size_t npieces = (n + FG_SNAP_PIECE_BYTES - 1) / FG_SNAP_PIECE_BYTES;
  FG_ASSERT(npieces <= FG_SNAP_PIECES_MAX);
  fg_snap_hasher h = {.p = data, .n = n};
  h.d = fg_xmalloc((npieces ? npieces : 1) * sizeof *h.d);
  fg_run_pair_each(fg_snap_hash_piece, &h, npieces);
  fg_sha256(h.d, npieces * sizeof *h.d, out);
  free(h.d);
}

/* Map fd's bytes read-only; hash them and compare with expect_hex. */
static int fg_snap_map_verified(int fd, uint64_t bytes, const char *expect_hex, char **map_out,
                                fg_err *err) {
  void *map = mmap(NULL, (size_t)bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return fg_errf(err, FG_EIO, "无法映射模型快照: %s", strerror(errno));
  madvise(map, (size_t)bytes, MADV_SEQUENTIAL);
  uint8_t d[32];
  char hex[65];
  fg_snapshot_digest(map, (size_t)bytes, d);
  fg_hex(d, sizeof d, hex);
  madvise(map, (size_t)bytes, MADV_NORMAL);
  if (strcmp(hex, expect_hex) != 0) {
    munmap(map, (size_t)bytes);
    return fg_errf(err, FG_EVERIFY, "快照摘要与日志记录不符 (SHA-256 differs from the journal)");
  }
  *map_out = map;
  return 0;
}

/* k NULL: any key; *got (when given) receives the header's key. */
static int fg_snap_open(const char *path, const fg_snapshot_key *k, const char *expect_hex,
                        fg_snapshot_key *got, fg_model **out, fg_err *err) {
  FG_ASSERT(path && expect_hex && out);
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fg_errf(err, FG_EIO, "无法打开模型快照 %s: %s", path, strerror(errno));
  struct stat st;
  fg_snap_header h;
  uint64_t off[FG_SNAP_NARRAYS + FG_SNAP_NBLOBS];
  int rc = 0;
  if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof h ||
      (uint64_t)st.st_size > FG_SNAPSHOT_BYTES_MAX ||
      pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
    rc = fg_errf(err, FG_EVERIFY, "模型快照不完整 (snapshot truncated)");
  if (rc == 0) rc = fg_snap_header_check(&h, k, (uint64_t)st.st_size, off, err);
  char *map = NULL;
  if (rc == 0) rc = fg_snap_map_verified(fd, (uint64_t)st.st_size, expect_hex, &map, err);
  close(fd);
  if (rc) return rc;
  /* The header was read before the file was mapped and hashed: a file
   * swapped in between would pass the digest with a header other than the
   * one the offsets came from. Only the verified bytes count. */
  if (memcmp(map, &h, sizeof h) != 0) {
    munmap(map, (size_t)st.st_size);
    return fg_errf(err, FG_EVERIFY, "快照在读取时被替换 (snapshot changed while opened)");
  }
  *out = fg_snap_model(&h, map, (uint64_t)st.st_size, off);
  if (!*out) {
    munmap(map, (size_t)st.st_size);
    return fg_errf(err, FG_EVERIFY, "快照字符串区无效 (bad string blob)");
  }
  if (got) *got = h.key;
  return 0;
}

bool fg_snapshot_peek_key(const char *path, fg_snapshot_key *got) {
  FG_ASSERT(path && got);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  fg_snap_header h;
  const bool ok = pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h &&
                  memcmp(h.magic, FG_SNAPSHOT_MAGIC, sizeof h.magic) == 0 &&
                  h.version == FG_SNAPSHOT_VERSION;
  close(fd);
  if (ok) *got = h.key;
  return ok;
}

int fg_snapshot_open(const char *path, const fg_snapshot_key *k, const char *expect_hex,
                     fg_model **out, fg_err *err) {
  FG_ASSERT(k);
  return fg_snap_open(path, k, expect_hex, NULL, out, err);
}

int fg_snapshot_open_any(const char *path, const char *expect_hex, fg_snapshot_key *got,
                         fg_model **out, fg_err *err) {
  FG_ASSERT(got);
  return fg_snap_open(path, NULL, expect_hex, got, out, err);
}

bool fg_snapshot_key_grown(const fg_snapshot_key *old, const fg_snapshot_key *now,
                           int64_t from[FG_T_COUNT], int64_t to[FG_T_COUNT]) {
  FG_ASSERT(old && now && from && to);
  if (now->nbatches < old->nbatches || now->max_batch < old->max_batch) return false;
  for (int t = 0; t < FG_T_COUNT; t++) {
    const bool had = old->lo[t] <= old->hi[t], has = now->lo[t] <= now->hi[t];
    if (had && (!has || now->lo[t] != old->lo[t] || now->hi[t] < old->hi[t])) return false;
    from[t] = had ? old->hi[t] + 1 : now->lo[t];
    to[t] = has ? now->hi[t] : from[t] - 1;
  }
  return true;
}

/* ---- the store's side ------------------------------------------------------ */

int fg_snapshot_key_read(fg_store *s, fg_snapshot_key *k, fg_err *err) {
  FG_ASSERT(s && k);
  memset(k, 0, sizeof *k);
  char *list = NULL;
  int rc = fg_store_batches_read(s, &list, &k->max_batch, err);
  free(list);
  if (rc) return rc;
  k->nbatches = fg_store_batch_count(s);
  for (int t = 0; t < FG_T_COUNT && rc == 0; t++)
    rc = fg_store_rowid_bounds(s, (fg_table_id)t, &k->lo[t], &k->hi[t], err);
  return rc;
}

int fg_snapshot_recorded(fg_store *s, char hex[65], bool *found, fg_err *err) {
  FG_ASSERT(s && hex && found);
  *found = false;
  char *payload = NULL;
  bool have = false;
  int64_t seq = -1;
  int rc = fg_store_journal_last_with(s, "screen.run", "\"" FG_SNAPSHOT_JSON_KEY "\":", &payload,
                                      &seq, &have, err);
  if (rc || !have) return rc;
  /* trust the digest only from an entry whose signature holds */
  if ((rc = fg_journal_entry_check(s, seq, err)) != 0) {
    free(payload);
    return rc;
  }
  fg_journal_json *j = NULL;
  rc = fg_journal_json_parse(payload, strlen(payload), &j, err);
  free(payload);
  if (rc) return rc;
  const fg_journal_json *v = fg_journal_json_get(j, FG_SNAPSHOT_JSON_KEY);
  if (v && v->type == FG_JSON_STR && v->len == 64) {
    memcpy(hex, v->s, 65);
    *found = true;
  }
  fg_journal_json_free(j);
  return 0;
}

bool fg_snapshot_path(const char *db_path, char out[FG_SNAPSHOT_PATH_MAX]) {
  FG_ASSERT(db_path && out);
  int n = snprintf(out, FG_SNAPSHOT_PATH_MAX, "%s%s", db_path, FG_SNAPSHOT_SUFFIX);
  return n > 0 && n < FG_SNAPSHOT_PATH_MAX;
}
