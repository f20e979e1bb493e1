/*
 * fg.c — implementation of the shared conventions of fg.h: the error
 * record, aborting allocators and the growable buffer.
 */
#include "common/fg.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int fg_verrf(fg_err *err, int code, const char *fmt, va_list ap) {
  FG_ASSERT(code < 0);
  if (err != NULL) {
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  }
  return code;
}

int fg_errf(fg_err *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fg_verrf(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void fg_err_release(fg_err *err) {
  if (err != NULL) {
    err->code = FG_OK;
    err->msg[0] = '\0';
  }
}

int fg_exit_code(int code) {
  if (code == FG_OK) return 0;
  if (code == FG_EUSAGE) return 2;
  return 1;
}

static void fg_oom(size_t n) {
  fprintf(stderr, "fundguard: out of memory (%zu bytes)\n", n);
  abort();
}

/* Large blocks ask for transparent huge pages (the system's THP mode is
 * usually "madvise": only blocks that ask get them). A model or key set is
 * gigabytes of such blocks, and 4 KiB pages cost one fault each on first
 * touch and a TLB miss per page on every random access afterwards. On the
 * benchmark machine (a VM) first touch of 2 GiB took 7-10 s on 4 KiB pages
 * and 0.2-3.3 s on huge pages, and the cold screening of a million persons
 * went from 31 s to 23 s (docs/benchmarks.md, issue 19, third session).
 * Only the 2 MiB-aligned interior is advised; a hint, never an error.
 * fg_xmalloc_seq is the exception: on the Intel VM of issue 19's sixth
 * session the faults went the other way (free 2 MiB blocks are handed back
 * to the host), and a block written once in order gains nothing else from
 * huge pages (docs/decisions.md 84). */
#define FG_HUGE_HINT_MIN_BYTES ((size_t)4 << 20)
#define FG_HUGE_PAGE_BYTES ((size_t)2 << 20)

void fg_huge_hint(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  if (n < FG_HUGE_HINT_MIN_BYTES) return;
  const uintptr_t a = ((uintptr_t)p + FG_HUGE_PAGE_BYTES - 1) & ~(uintptr_t)(FG_HUGE_PAGE_BYTES - 1);
  const uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(FG_HUGE_PAGE_BYTES - 1);
  if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

void *fg_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) fg_oom(n);
  fg_huge_hint(p, n);
  return p;
}

void *fg_xmalloc_seq(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) fg_oom(n);
  return p;
}

void *fg_xcalloc(size_t n, size_t size) {
  if (size != 0 && n > SIZE_MAX / size) fg_oom(SIZE_MAX);
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (p == NULL) fg_oom(n * size);
  fg_huge_hint(p, n * size);
  return p;
}

void *fg_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (q == NULL) fg_oom(n);
  fg_huge_hint(q, n);
  return q;
}

char *fg_xstrdup(const char *s) {
  FG_ASSERT(s != NULL);
  return fg_xstrndup(s, strlen(s));
}

char *fg_xstrndup(const char *s, size_t n) {
  char *p = fg_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void fg_buf_grow(fg_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  b->buf = fg_xrealloc(b->buf, cap);
  b->cap = cap;
}

void fg_buf_add(fg_buf *b, const void *data, size_t n) {
  fg_buf_grow(b, n);
  if (n) memcpy(b->buf + b->len, data, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

void fg_buf_adds(fg_buf *b, const char *s) { fg_buf_add(b, s, strlen(s)); }

void fg_buf_addc(fg_buf *b, char c) { fg_buf_add(b, &c, 1); }

void fg_buf_addf(fg_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  FG_ASSERT(n >= 0);
  fg_buf_grow(b, (size_t)n);
  vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
}

void fg_buf_reset(fg_buf *b) {
  b->len = 0;
  if (b->buf) b->buf[0] = '\0';
}

void fg_buf_release(fg_buf *b) {
  free(b->buf);
  b->buf = NULL;
  b->len = b->cap = 0;
}

char *fg_buf_detach(fg_buf *b) {
  char *s = b->buf ? b->buf : fg_xstrdup("");
  b->buf = NULL;
  b->len = b->cap = 0;
  return s;
}

void fg_fen_to_yuan(int64_t amount_fen, char *out, size_t out_size) {
  FG_ASSERT(out_size >= 32);
  uint64_t mag = amount_fen < 0 ? (uint64_t)0 - (uint64_t)amount_fen : (uint64_t)amount_fen;
  snprintf(out, out_size, "%s%" PRIu64 ".%02" PRIu64, amount_fen < 0 ? "-" : "",
           mag / 100, mag % 100);
}

void fg_hex(const uint8_t *data, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  out[2 * n] = '\0';
}

/* -?[0-9]+(\.[0-9]+)? */
static bool fg_plain_number(const char *s, size_t n) {
  size_t i = s[0] == '-' ? 1 : 0, d = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++, d++;
  if (d == 0) return false;
  if (i == n) return true;
  if (s[i++] != '.') return false;
  for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) d++;
  return d > 0 && i == n;
}

void fg_csv_cell(fg_buf *b, const char *s, size_t n) {
  FG_ASSERT(b != NULL && (s != NULL || n == 0));
  const bool formula = n > 0 && strchr("=+-@\t\r", s[0]) != NULL && !fg_plain_number(s, n);
  bool quote = false;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (quote) fg_buf_addc(b, '"');
  if (formula) fg_buf_addc(b, '\'');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fg_buf_addc(b, '"');
    fg_buf_addc(b, s[i]);
  }
  if (quote) fg_buf_addc(b, '"');
}

static _Atomic int64_t fg_saturation_count;

void fg_saturation_note(void) { fg_saturation_count++; }

int64_t fg_saturations(void) { return fg_saturation_count; }

void fg_assert_fail(const char *expr, const char *file, int line) {
  fprintf(stderr, "fundguard: internal invariant broken (内部不变式被破坏): %s at %s:%d\n", expr,
          file, line);
  abort();
}

void fg_run_pair(void *(*fn)(void *), void *here, void *there) {
  FG_ASSERT(fn != NULL);
  pthread_t th;
  const bool helper = pthread_create(&th, NULL, fn, there) == 0;
  fn(here);
  if (helper)
    pthread_join(th, NULL);
  else
    fn(there);
}

/* fg_run_pair_each: the shared index both threads take from. */
typedef struct fg_pair_each {
  void (*fn)(void *ctx, size_t i);
  void *ctx;
  size_t n;
  pthread_mutex_t mu;
  size_t next; /* next index to take, under mu */
} fg_pair_each;

static void *fg_pair_each_run(void *arg) {
  fg_pair_each *e = arg;
  for (;;) {
    pthread_mutex_lock(&e->mu);
    const size_t i = e->next < e->n ? e->next++ : SIZE_MAX;
    pthread_mutex_unlock(&e->mu);
    if (i == SIZE_MAX) return NULL;
    e->fn(e->ctx, i);
  }
}

void fg_run_pair_each(void (*fn)(void *ctx, size_t i), void *ctx, size_t n) {
  FG_ASSERT(fn != NULL && n < SIZE_MAX);
  fg_pair_each e = {.fn = fn, .ctx = ctx, .n = n};
  pthread_mutex_init(&e.mu, NULL);
  fg_run_pair(fg_pair_each_run, &e, &e);
  pthread_mutex_destroy(&e.mu);
  FG_ASSERT(e.next == n);
}
