/*
 * fg.h — the conventions every fundguard subsystem shares.
 *
 * One error convention, used everywhere (in the spirit of git's error()):
 * a function that can fail returns int, 0 on success or a negative FG_E*
 * code, and writes a human-readable message into a caller-owned fg_err.
 * The message is the whole story for the user: the CLI prints it verbatim
 * to stderr and maps the code to an exit status (fg_exit_code()).
 *
 * Memory ownership is explicit: a function that returns heap memory says
 * so in its header comment. One convention (git's strbuf): X_release
 * empties a struct the caller owns (frees what it holds, leaves it reusable
 * as if initialised); X_free frees a heap object itself (fg_model_free,
 * fg_journal_json_free); X_close ends a handle (fg_store_close).
 *
 * Money is always int64_t fen; names carry their unit last (amount_fen,
 * timeout_ms). Floats never hold money.
 */
#ifndef FG_COMMON_FG_H
#define FG_COMMON_FG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  FG_OK = 0,
  FG_EINPUT = -1,   /* bad input: refused, exit 1 */
  FG_EUSAGE = -2,   /* usage error, exit 2 */
  FG_EIO = -3,      /* file system error, exit 1 */
  FG_EDB = -4,      /* store error, exit 1 */
  FG_EPERM = -5,    /* permission denied / authentication failed, exit 1 */
  FG_ENOMEM = -6,   /* out of memory, exit 1 */
  FG_EVERIFY = -7,  /* verification failed, exit 1 */
  FG_ELIMIT = -8,   /* an explicit limit was exceeded, exit 1 */
  FG_ESTATE = -9,   /* the act does not fit the object's state (a closed case): exit 1, HTTP 409 */
};

#define FG_ERR_MSG_MAX 2048

typedef struct fg_err {
  int code;
  char msg[FG_ERR_MSG_MAX];
} fg_err;

/* Record an error; returns code so callers can write `return fg_errf(...)`.
 * A later call overwrites an earlier message. err may be NULL. */
int fg_errf(fg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int fg_verrf(fg_err *err, int code, const char *fmt, va_list ap);
void fg_err_release(fg_err *err);
/* Map an error code to the process exit status of cli.md (0, 1 or 2). */
int fg_exit_code(int code);

/* Allocation that aborts on failure: the platform has no useful way to
 * continue without memory, and every caller checking NULL is noise. */
void *fg_xmalloc(size_t n);
void *fg_xcalloc(size_t n, size_t size);
void *fg_xrealloc(void *p, size_t n);
char *fg_xstrdup(const char *s);
char *fg_xstrndup(const char *s, size_t n);
/* Ask for transparent huge pages over the 2 MiB-aligned interior of
 * [p, p + bytes) when bytes is at least 4 MiB (fg.c says why). The three
 * allocators above do it for every block they return; a hint, not an error. */
void fg_huge_hint(void *p, size_t bytes);
/* fg_xmalloc without the hint, for a large block written once from start
 * to end and then read in order (docs/decisions.md 84): there huge pages
 * save no TLB misses worth having, and on a virtual machine whose free
 * 2 MiB blocks go back to the host, faulting them in cost 5 times as much
 * as small pages. */
void *fg_xmalloc_seq(size_t n);

/* Invariants. FG_ASSERT is checked in every build, the shipped Release
 * included (a broken invariant stops the process with the expression,
 * file and line, before it can store or sign anything wrong): its budget
 * is a compare and a branch, fine on any per-call or per-finding path.
 * FG_ASSERT_HOT is for per-byte, per-field and per-row paths (the CSV
 * parser, key sets, row digests, the model builder), where even that
 * budget counts at 65 M rows: it is checked in Debug and sanitizer builds
 * only. Plain FG_ASSERT() is not used in src/. */
_Noreturn void fg_assert_fail(const char *expr, const char *file, int line);
#define FG_ASSERT(c) ((c) ? (void)0 : fg_assert_fail(#c, __FILE__, __LINE__))
#ifdef NDEBUG
#define FG_ASSERT_HOT(c) ((void)0)
#else
#define FG_ASSERT_HOT(c) FG_ASSERT(c)
#endif

/* Banned functions (curl's and git's list): strcpy, strcat, sprintf,
 * vsprintf, gets, atoi, atol, atoll, strtok — unbounded copies and
 * formatting, conversions that cannot report an error, hidden state.
 * tests/e2e_banned.sh fails the build's tests where one appears in src/
 * (a #pragma GCC poison here would also hit the system headers included
 * after this one). */

#define FG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define FG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define FG_MAX(a, b) ((a) > (b) ? (a) : (b))

/* The largest text file a person hands the platform whole (a configuration,
 * a checkpoint, a proof): 16 MiB. */
#define FG_TEXT_FILE_BYTES_MAX (16u << 20)

/* Growable byte buffer (git's strbuf): buf is always NUL-terminated. */
typedef struct fg_buf {
  char *buf;
  size_t len;
  size_t cap;
} fg_buf;
#define FG_BUF_INIT {NULL, 0, 0}
void fg_buf_grow(fg_buf *b, size_t extra);
void fg_buf_add(fg_buf *b, const void *data, size_t n);
void fg_buf_adds(fg_buf *b, const char *s);
void fg_buf_addc(fg_buf *b, char c);
void fg_buf_addf(fg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fg_buf_reset(fg_buf *b);
void fg_buf_release(fg_buf *b);
/* Detach the buffer: the caller owns the returned string (free()). */
char *fg_buf_detach(fg_buf *b);

/* a + b for sums of untrusted values (money, quantities): saturated at
 * the int64 bounds instead of wrapping. Each saturation is counted in a
 * process-wide counter (fg_saturations) so a screening can say that a sum
 * hit the bound; the finding still fires on the saturated value. */
void fg_saturation_note(void);
int64_t fg_saturations(void);
static inline int64_t fg_add_sat(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_expect(__builtin_add_overflow(a, b, &r), 0)) {
    fg_saturation_note();
    return b > 0 ? INT64_MAX : INT64_MIN;
  }
  return r;
}

/* One CSV cell for a person's spreadsheet (RFC 4180 quoting when
 * needed), of n bytes of s. A cell that starts with = + - @, tab or CR
 * would run as a formula in Excel or LibreOffice, so it gets a leading '
 * (OWASP "CSV injection") — except a plain number such as -12.50. Every CSV
 * the platform writes goes through here. */
void fg_csv_cell(fg_buf *b, const char *s, size_t n);

/* Format money (fen) as yuan with two decimals into out (>= 32 bytes). */
void fg_fen_to_yuan(int64_t amount_fen, char *out, size_t out_size);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void fg_hex(const uint8_t *data, size_t n, char *out);

/* The two cores: run fn(here) on this thread and fn(there) on a helper
 * thread, and return when both are done. When no thread can start, this
 * thread runs fn(there) too, after fn(here): callers must not depend on
 * the two running at once. here and there may be the same argument (a job
 * both threads take work from). */
void fg_run_pair(void *(*fn)(void *), void *here, void *there);
/* fn(ctx, i) for every i in [0, n), on the two cores (fg_run_pair): each
 * thread takes the next i in increasing order until none is left (so put
 * the largest jobs first). fn must not depend on which thread runs which i. */
void fg_run_pair_each(void (*fn)(void *ctx, size_t i), void *ctx, size_t n);

#endif
