/*
 * csv.c — the CSV reader of csv.h: opening (mmap or memory), encoding
 * detection and conversion (through csv_decode.c), SHA-256 of the raw bytes,
 * the RFC 4180 record parser and fg_csv_split for parallel parsing.
 *
 * The parser works in place on the decoded text: an unquoted field is a
 * (pointer, length) into the text, found by a scan that looks at 8 bytes at a
 * time for the three bytes that end it (',' '\n' '"'); a quoted field is
 * found with memchr for '"', and only a quoted field holding "" is copied
 * (unescaped) into the reader's per-record scratch buffer.
 */
#include "csv/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv/csv_internal.h"
#include "common/sha256.h"

static const char *const ENC_UTF8 = "utf-8";
static const char *const ENC_GB18030 = "gb18030";

/* ---- opening -------------------------------------------------------------- */

/* Hand back the whole pages of the file mapping inside raw[from, to) (raw
 * is the mapping, or memory this reader does not own: then nothing). The
 * mapping is read-only and private: a page read again is refaulted from the
 * file, the same bytes, so this changes no byte anyone reads (see
 * fg_csv_release_consumed); it only lowers resident memory. Safe while
 * another thread reads the mapping. */
static void fg_csv_drop_pages(const fg_csv *c, const uint8_t *raw, size_t from, size_t to) {
  if (c->map == NULL || raw != (const uint8_t *)c->map) return;
  FG_ASSERT(from <= to && to <= c->map_n);
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  from = (from + page - 1) & ~(page - 1);
  if (to != c->map_n) to &= ~(page - 1); /* the last page may be partial */
  if (to > from) (void)madvise((uint8_t *)c->map + from, to - from, MADV_DONTNEED);
}

/* The passes over a mapped file at open (SHA-256, UTF-8 validation) read
 * their pieces with pread into a buffer of their own, not through the
 * mapping: on the benchmark machine (a VM) touching 2.7 GB of cached file
 * through a mapping cost 1.3-2.4 s of page faults, reading it with pread
 * 0.4-0.6 s, and the parser faults the mapping in once more anyway. Read
 * bytes into buf: false on a short read or an error, and the caller then
 * reads the mapping (the same bytes of an unchanged file). */
static bool fg_csv_pread_piece(const fg_csv *c, size_t from, size_t n, uint8_t *buf) {
  FG_ASSERT(c->fd >= 0 && n <= FG_CSV_PASS_READ_BYTES && from + n <= c->map_n);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = pread(c->fd, buf + got, n - got, (off_t)(from + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += (size_t)r;
  }
  return true;
}

/* True when the passes read c's raw bytes raw with pread (a mapped file). */
static bool fg_csv_pass_reads(const fg_csv *c, const uint8_t *raw) {
  return c->fd >= 0 && c->map != NULL && raw == (const uint8_t *)c->map;
}

/* fg_csv_utf8_invalid_at over raw[0, n) in pieces, each cut just before an
 * ASCII byte — never inside a character, and the validator restarts at
 * every ASCII byte anyway — so the answer (first invalid offset, longest
 * sequence) is the whole buffer's. A mapped file's piece is read with
 * pread and cut before its last ASCII byte; otherwise a piece of raw is
 * extended to the next ASCII byte and its pages are handed back after it. */
static size_t fg_csv_utf8_invalid_at_piecewise(const fg_csv *c, const uint8_t *raw, size_t n,
                                               int *max_seq) {
  size_t from = 0;
  int longest = 1;
  uint8_t *buf = fg_csv_pass_reads(c, raw) ? fg_xmalloc(FG_CSV_PASS_READ_BYTES) : NULL;
  while (from < n) {
    const size_t piece_bytes = buf != NULL ? FG_CSV_PASS_READ_BYTES : FG_CSV_PASS_PIECE_BYTES;
    size_t to = n - from > piece_bytes ? from + piece_bytes : n;
    bool in_buf = false; /* the piece is in buf (else read through the mapping) */
    if (buf != NULL && fg_csv_pread_piece(c, from, to - from, buf)) {
      size_t cut = to - from;
      if (to < n) /* before the piece's last ASCII byte (a CSV has one per line) */
        while (cut > 0 && buf[cut - 1] >= 0x80) cut--;
      in_buf = cut > 1;
      if (in_buf) to = from + cut - (to < n ? 1 : 0);
    }
    if (!in_buf)
      while (to < n && raw[to] >= 0x80) to++; /* to the next ASCII byte */
    int piece_longest = 1;
    const size_t bad = fg_csv_utf8_invalid_at(in_buf ? buf : raw + from, to - from, &piece_longest);
    if (bad != to - from) {
      free(buf);
      return from + bad;
    }
    if (piece_longest > longest) longest = piece_longest;
    if (!in_buf) fg_csv_drop_pages(c, raw, from, to);
    from = to;
  }
  free(buf);
  if (max_seq) *max_seq = longest;
  return n;
}

/* Map an encoding option to ENC_*; NULL when unknown. *detect for none. */
static const char *fg_encoding_of(const char *opt, bool *detect) {
  *detect = opt == NULL || opt[0] == '\0';
  if (*detect) return NULL;
  if (strcasecmp(opt, "utf-8") == 0 || strcasecmp(opt, "utf8") == 0) return ENC_UTF8;
  if (strcasecmp(opt, "gb18030") == 0 || strcasecmp(opt, "gbk") == 0 ||
      strcasecmp(opt, "gb2312") == 0 || strcasecmp(opt, "cp936") == 0)
    return ENC_GB18030;
  return NULL;
}

static int fg_decode_error(const fg_csv *c, const uint8_t *raw, size_t raw_n, size_t bad_at,
                        fg_err *err) {
  FG_ASSERT(bad_at < raw_n || raw_n == 0 || bad_at == raw_n);
  char hex[FG_CSV_HEX_BYTES_SHOWN * 3 + 1] = "";
  size_t shown = FG_MIN((size_t)FG_CSV_HEX_BYTES_SHOWN, raw_n - bad_at);
  size_t at = 0;
  for (size_t i = 0; i < shown; i++) {
    at += (size_t)snprintf(hex + at, sizeof hex - at, i ? " %02X" : "%02X", raw[bad_at + i]);
  }
  return fg_errf(err, FG_EINPUT, "%s:%lld: 无法按 %s 解码的字节 (%s)", c->name,
                 (long long)fg_csv_line_of(raw, bad_at), c->enc, hex);
}

static bool fg_has_utf8_bom(const uint8_t *s, size_t n) {
  return n >= FG_CSV_BOM_LEN && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
}

/* Data standard v1.3: a file valid as UTF-8 whose non-ASCII characters
 * are all two-byte ones is GB18030 when it is valid GB18030 (GBK names
 * such as 郑伟 read as UTF-8 look like that). The whole file decides.
 * True when it was taken as GB18030 (c->text set, c->enc_guessed). */
static bool fg_decode_try_gb18030(fg_csv *c, const uint8_t *raw, size_t n) {
  size_t out_n = 0, bad_at = 0;
  char *text = NULL;
  if (fg_csv_gb18030_to_utf8(raw, n, &text, &out_n, &bad_at) != 0) return false;
  c->enc = ENC_GB18030;
  c->enc_guessed = true;
  c->owned_text = text;
  c->text = c->owned_text;
  c->text_n = out_n;
  c->begin = 0;
  return true;
}

/* Decide the encoding and set c->text/text_n/begin. raw must stay valid
 * for UTF-8 (parsed in place). */
static int fg_decode(fg_csv *c, const uint8_t *raw, size_t n, const char *encoding, fg_err *err) {
  bool detect;
  const char *forced = fg_encoding_of(encoding, &detect);
  if (!detect && forced == NULL) {
    return fg_errf(err, FG_EUSAGE, "%s: 不支持的编码 %s（可用 utf-8、gb18030、gbk）", c->name,
                   encoding);
  }
  const bool bom = fg_has_utf8_bom(raw, n);
  size_t bad_at = n;
  int longest = 1;
  if (forced == ENC_UTF8 || (detect && bom)) {
    c->enc = ENC_UTF8;
    bad_at = fg_csv_utf8_invalid_at_piecewise(c, raw, n, NULL);
    if (bad_at != n) return fg_decode_error(c, raw, n, bad_at, err);
  } else if (detect && (bad_at = fg_csv_utf8_invalid_at_piecewise(c, raw, n, &longest)) == n &&
             (longest != 2 || !fg_decode_try_gb18030(c, raw, n))) {
    c->enc = ENC_UTF8; /* ASCII only, or a character of 3+ bytes (every Chinese one) */
  } else if (c->enc_guessed) {
    return 0; /* valid UTF-8 of two-byte characters only, valid GB18030: read as GB18030 */
  } else {
    c->enc = ENC_GB18030;
    size_t out_n = 0;
    int rc = fg_csv_gb18030_to_utf8(raw, n, &c->owned_text, &out_n, &bad_at);
    if (rc == FG_EIO) return fg_errf(err, FG_EIO, "%s: 系统 iconv 不支持 GB18030", c->name);
    if (rc != 0) return fg_decode_error(c, raw, n, bad_at, err);
    c->text = c->owned_text;
    c->text_n = out_n;
    c->begin = fg_has_utf8_bom((const uint8_t *)c->text, out_n) ? FG_CSV_BOM_LEN : 0;
    return 0;
  }
  c->text = (const char *)raw;
  c->text_n = n;
  c->begin = bom ? FG_CSV_BOM_LEN : 0;
  return 0;
}

/* ---- hashing ------------------------------------------------------------- */

/* SHA-256 of the raw bytes, piece by piece, handing back each piece's
 * pages of a mapped file behind it. */
static void *fg_hash_main(void *arg) {
  fg_csv *c = arg;
  fg_sha256_ctx h;
  fg_sha256_init(&h);
  uint8_t *buf = fg_csv_pass_reads(c, c->hash_src) ? fg_xmalloc(FG_CSV_PASS_READ_BYTES) : NULL;
  for (size_t from = 0; from < c->hash_n;) {
    const size_t piece_bytes = buf != NULL ? FG_CSV_PASS_READ_BYTES : FG_CSV_PASS_PIECE_BYTES;
    const size_t k = FG_MIN(c->hash_n - from, piece_bytes);
    if (buf != NULL && fg_csv_pread_piece(c, from, k, buf)) {
      fg_sha256_update(&h, buf, k);
    } else {
      fg_sha256_update(&h, c->hash_src + from, k);
      fg_csv_drop_pages(c, c->hash_src, from, from + k);
    }
    from += k;
  }
  free(buf);
  fg_sha256_final(&h, c->sha);
  return NULL;
}

/* Hash raw[0..n): on a thread when background and the file is big (raw
 * must then stay valid until fg_csv_hash_wait), else right away. */
static void fg_hash_start(fg_csv *c, const uint8_t *raw, size_t n, bool background) {
  FG_ASSERT(!c->hash_pending);
  c->hash_src = raw;
  c->hash_n = n;
  if (background && n >= FG_CSV_HASH_THREAD_MIN_BYTES &&
      pthread_create(&c->hash_thread, NULL, fg_hash_main, c) == 0) {
    c->hash_pending = true;
    return;
  }
  fg_hash_main(c);
}

void fg_csv_hash_wait(fg_csv *c) {
  FG_ASSERT(c != NULL && !c->is_part);
  pthread_mutex_lock(&c->hash_mu);
  if (c->hash_pending) {
    pthread_join(c->hash_thread, NULL);
    c->hash_pending = false;
  }
  pthread_mutex_unlock(&c->hash_mu);
}

static fg_csv *fg_reader_new(const char *name) {
  fg_csv *c = fg_xcalloc(1, sizeof *c);
  c->fd = -1;
  pthread_mutex_init(&c->hash_mu, NULL);
  const char *slash = strrchr(name, '/');
  snprintf(c->name, sizeof c->name, "%s", slash ? slash + 1 : name);
  c->line = 1;
  return c;
}

/* Common tail of both openers: hash, decode, position at the start. */
static int fg_open_common(fg_csv *c, const uint8_t *raw, size_t n, const char *encoding,
                       bool background, fg_err *err) {
  if ((uint64_t)n > FG_CSV_FILE_SIZE_MAX) {
    return fg_errf(err, FG_ELIMIT, "%s: 文件超过 %llu 字节上限", c->name,
                   (unsigned long long)FG_CSV_FILE_SIZE_MAX);
  }
  static const uint8_t empty[1] = {0};
  if (sodium_init() < 0) return fg_errf(err, FG_EIO, "%s: libsodium 初始化失败", c->name);
  fg_hash_start(c, n ? raw : empty, n, background);
  int rc = fg_decode(c, n ? raw : empty, n, encoding, err);
  if (rc != 0) return rc;
  c->pos = c->begin;
  c->end = c->text_n;
  FG_ASSERT(c->begin <= c->end);
  /* Line ends of CR alone (old Mac exports) would read as one endless
   * line: refuse them clearly. The first line decides (a header line is
   * never a megabyte long). */
  const size_t look = FG_MIN(c->end - c->begin, (size_t)FG_CSV_CR_ONLY_LOOK_BYTES);
  const char *head = (const char *)c->text + c->begin;
  const char *cr = look > 0 ? memchr(head, '\r', look) : NULL;
  if (cr != NULL && memchr(head, '\n', look) == NULL && cr + 1 < head + (c->end - c->begin))
    return fg_errf(err, FG_EINPUT,
                   "%s:1:1: 文件以单独的 CR 换行（旧式 Mac 格式），无法分行；"
                   "请另存为 CRLF（Windows）或 LF 换行的 CSV",
                   c->name);
  fg_buf_grow(&c->scratch, 256);
  return 0;
}

int fg_csv_open_mem(const char *name, const void *data, size_t len, const char *encoding,
                    fg_csv **out, fg_err *err) {
  FG_ASSERT(name != NULL && out != NULL);
  FG_ASSERT(data != NULL || len == 0);
  *out = NULL;
  fg_csv *c = fg_reader_new(name);
  int rc = fg_open_common(c, data, len, encoding, false, err);
  if (rc != 0) {
    fg_csv_close(c);
    return rc;
  }
  *out = c;
  return 0;
}

/* mmap path into c->map; an empty file maps nothing. */
static int fg_map_file(fg_csv *c, const char *path, fg_err *err) {
  /* O_NOFOLLOW: a symbolic link is not read (it could point out of the
   * folder); O_NONBLOCK: a FIFO does not hang the open; then only a
   * regular file is accepted. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ELOOP)
    return fg_errf(err, FG_EINPUT, "%s: 是符号链接，不读取（只接受目录中的普通文件）", path);
  if (fd < 0) return fg_errf(err, FG_EIO, "%s: 无法打开文件：%s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return fg_errf(err, FG_EINPUT, "%s: 不是普通文件（管道、设备或目录），不读取", path);
  }
  c->map_n = (size_t)st.st_size;
  if (c->map_n > 0) {
    c->map = mmap(NULL, c->map_n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (c->map == MAP_FAILED) {
      c->map = NULL;
      close(fd);
      return fg_errf(err, FG_EIO, "%s: 无法映射文件：%s", path, strerror(errno));
    }
    (void)madvise(c->map, c->map_n, MADV_SEQUENTIAL);
    c->fd = fd; /* for the passes at open (fg_csv_pread_piece); closed with c */
    return 0;
  }
  close(fd);
  return 0;
}

int fg_csv_open(const char *path, const char *encoding, fg_csv **out, fg_err *err) {
  FG_ASSERT(path != NULL && out != NULL);
  *out = NULL;
  fg_csv *c = fg_reader_new(path);
  int rc = fg_map_file(c, path, err);
  if (rc == 0) rc = fg_open_common(c, c->map, c->map_n, encoding, true, err);
  if (rc != 0) {
    fg_csv_close(c);
    return rc;
  }
  *out = c;
  return 0;
}

void fg_csv_close(fg_csv *c) {
  if (c == NULL) return;
  if (!c->is_part) {
    fg_csv_hash_wait(c);
    if (c->map != NULL) munmap(c->map, c->map_n);
    if (c->fd >= 0) close(c->fd);
    free(c->owned_text);
  }
  fg_buf_release(&c->scratch);
  pthread_mutex_destroy(&c->hash_mu);
  free(c);
}

bool fg_csv_encoding_guessed(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->enc_guessed;
}

const char *fg_csv_encoding(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->enc;
}

const char *fg_csv_name(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->name;
}

void fg_csv_sha256(const fg_csv *c, uint8_t out[32]) {
  FG_ASSERT(c != NULL && out != NULL);
  /* The hash may still be computing: waiting changes no visible state. */
  if (!c->is_part) fg_csv_hash_wait((fg_csv *)(uintptr_t)c);
  memcpy(out, c->sha, FG_CSV_SHA256_BYTES);
}

/* The mapping is read-only and private: dropped pages are refaulted from the
 * file if anyone (the background hash) reads them again, so this only lowers
 * the resident memory of a multi-gigabyte import; it changes no byte. */
void fg_csv_release_consumed(fg_csv *c) {
  FG_ASSERT(c != NULL);
  if (c->is_part || c->map == NULL || c->owned_text != NULL) return;
  const uint8_t *base = c->map;
  FG_ASSERT((const uint8_t *)c->text >= base && (const uint8_t *)c->text <= base + c->map_n);
  size_t upto = (size_t)((const uint8_t *)c->text - base) + c->pos;
  if (upto <= FG_CSV_RELEASE_GUARD_BYTES) return;
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  upto = (upto - FG_CSV_RELEASE_GUARD_BYTES) & ~(page - 1);
  if (upto <= c->released) return;
  (void)madvise((uint8_t *)c->map + c->released, upto - c->released, MADV_DONTNEED);
  c->released = upto;
}

uint64_t fg_csv_offset(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->pos;
}

uint64_t fg_csv_size(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->text_n;
}

uint64_t fg_csv_begin(const fg_csv *c) {
  FG_ASSERT(c != NULL);
  return c->begin;
}
