/*
 * csv_parse.c — the RFC 4180 record parser behind fg_csv_next, and
 * fg_csv_split, which cuts the rest of a file into parts that start on
 * record boundaries so that several threads can parse one file.
 *
 * Grammar (csv.h): record = field *("," field) (LF | CRLF | end);
 * field = *SP ( DQUOTE *(not-DQUOTE | DQUOTE DQUOTE) DQUOTE *SP | unquoted ),
 * where unquoted holds no '"', ',' or LF. Values are trimmed of U+0020.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv/csv.h"
#include "csv/csv_internal.h"

#define FG_CSV_ONES_8 0x0101010101010101ULL
#define FG_CSV_HIGH_8 0x8080808080808080ULL
#define FG_CSV_LOW7_8 0x7F7F7F7F7F7F7F7FULL
#define FG_CSV_NOT_SCRATCH UINT32_MAX

/* State of the record being parsed. */
typedef struct rec_state {
  size_t start;       /* offset of the record's first byte */
  int64_t line;       /* physical line where it starts */
  int64_t quoted_lfs; /* line feeds inside quoted fields so far */
} rec_state;

static int fg_fail(fg_csv *c, fg_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record an error, make it sticky, copy it to err. */
static int fg_fail(fg_csv *c, fg_err *err, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fg_verrf(&c->sticky, code, fmt, ap);
  va_end(ap);
  c->failed = true;
  if (err != NULL) *err = c->sticky;
  return code;
}

/* High bit set in each byte of v equal to b (exact, no false positives). */
static inline uint64_t fg_bytes_eq(uint64_t v, uint8_t b) {
  const uint64_t x = v ^ (FG_CSV_ONES_8 * b);
  return ~(((x & FG_CSV_LOW7_8) + FG_CSV_LOW7_8) | x) & FG_CSV_HIGH_8;
}

static inline bool fg_is_stop(char ch) { return ch == ',' || ch == '\n' || ch == '"'; }

/* First offset >= p holding ',', '\n' or '"', or end. */
static inline size_t fg_scan_unquoted(const char *t, size_t p, size_t end) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (p + 8 <= end) {
    uint64_t v;
    memcpy(&v, t + p, 8);
    const uint64_t m = fg_bytes_eq(v, ',') | fg_bytes_eq(v, '\n') | fg_bytes_eq(v, '"');
    if (m != 0) return p + ((size_t)__builtin_ctzll(m) >> 3);
    p += 8;
  }
#endif
  while (p < end && !fg_is_stop(t[p])) p++;
  return p;
}

static int64_t fg_count_lf(const char *s, size_t n) {
  int64_t k = 0;
  const char *e = s + n;
  while (s < e && (s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
    k++;
    s++;
  }
  return k;
}

/* Trim U+0020 from both ends of [*s, *s + *n). */
static inline void fg_trim_spaces(const char **s, size_t *n) {
  while (*n > 0 && (*s)[0] == ' ') {
    (*s)++;
    (*n)--;
  }
  while (*n > 0 && (*s)[*n - 1] == ' ') (*n)--;
}

/* Skip lines that are empty or hold only spaces / CR. */
static void fg_skip_blank_lines(fg_csv *c) {
  const char *t = c->text;
  while (c->pos < c->end) {
    const char ch = t[c->pos];
    if (ch != ' ' && ch != '\r' && ch != '\n') return;
    size_t q = c->pos;
    while (q < c->end && (t[q] == ' ' || t[q] == '\r')) q++;
    if (q < c->end && t[q] != '\n') return;
    c->pos = q < c->end ? q + 1 : q;
    c->line += q < c->end;
  }
}

static void fg_set_field(fg_csv *c, int col, const char *s, size_t n, bool quoted,
                      uint32_t scratch_off) {
  FG_ASSERT_HOT(col >= 0 && col < FG_CSV_FIELDS_MAX);
  FG_ASSERT_HOT(n <= FG_CSV_FIELD_LEN_MAX);
  c->fields[col].s = s;
  c->fields[col].n = (uint32_t)n;
  c->fields[col].quoted = quoted;
  c->scratch_off[col] = scratch_off;
}

/* The value of a quoted field whose closing quote is at close_at: in place,
 * or completed in the scratch buffer when it held "" (esc). */
static void fg_quoted_value(fg_csv *c, int col, size_t seg, size_t close_at, bool esc,
                         size_t scratch_start) {
  const char *t = c->text;
  if (!esc) {
    const char *s = t + seg;
    size_t n = close_at - seg;
    fg_trim_spaces(&s, &n);
    fg_set_field(c, col, s, n, true, FG_CSV_NOT_SCRATCH);
    return;
  }
  fg_buf_add(&c->scratch, t + seg, close_at - seg);
  const char *s = c->scratch.buf + scratch_start;
  size_t n = c->scratch.len - scratch_start;
  fg_trim_spaces(&s, &n);
  /* The scratch buffer may move later in this record: keep an offset. */
  fg_set_field(c, col, NULL, n, true, (uint32_t)(s - c->scratch.buf));
}

/* Quoted field opening at *pp; leaves *pp after the closing quote. */
static int fg_parse_quoted(fg_csv *c, rec_state *st, int col, size_t *pp, fg_err *err) {
  const char *t = c->text;
  const size_t open_at = *pp;
  FG_ASSERT_HOT(t[open_at] == '"');
  const size_t lim = FG_MIN(c->end, open_at + 2 + (size_t)FG_CSV_FIELD_LEN_MAX);
  const size_t scratch_start = c->scratch.len;
  size_t p = open_at + 1, seg = p;
  bool esc = false;
  for (;;) {
    const char *q = p < lim ? memchr(t + p, '"', lim - p) : NULL;
    if (q == NULL && lim == c->end) {
      return fg_fail(c, err, FG_EINPUT, "%s:%lld:%d: 引号未闭合：字段以引号开始，到文件末尾仍无结束引号",
                  c->name, (long long)st->line, col + 1);
    }
    if (q == NULL) {
      return fg_fail(c, err, FG_ELIMIT, "%s:%lld:%d: 字段超过 %u 字节上限（引号未闭合？）", c->name,
                  (long long)st->line, col + 1, FG_CSV_FIELD_LEN_MAX);
    }
    const size_t qi = (size_t)(q - t);
    if (qi + 1 < c->end && t[qi + 1] == '"') {
      fg_buf_add(&c->scratch, t + seg, qi + 1 - seg); /* keep one quote */
      esc = true;
      p = seg = qi + 2;
      continue;
    }
    st->quoted_lfs += fg_count_lf(t + open_at + 1, qi - open_at - 1);
    fg_quoted_value(c, col, seg, qi, esc, scratch_start);
    *pp = qi + 1;
    return 0;
  }
}

/* One field at *pp; leaves *pp on the ',' / '\n' that ends it, or at end. */
static int fg_parse_field(fg_csv *c, rec_state *st, int col, size_t *pp, fg_err *err) {
  const char *t = c->text;
  const size_t end = c->end, field_at = *pp;
  size_t p = field_at;
  while (p < end && t[p] == ' ') p++;
  if (p < end && t[p] == '"') {
    int rc = fg_parse_quoted(c, st, col, &p, err);
    if (rc != 0) return rc;
    while (p < end && t[p] == ' ') p++;
    if (p < end && t[p] == '\r' && (p + 1 == end || t[p + 1] == '\n')) p++;
    if (p < end && t[p] != ',' && t[p] != '\n') {
      return fg_fail(c, err, FG_EINPUT, "%s:%lld:%d: 结束引号之后出现多余字符（结束引号后只能是逗号或换行）",
                  c->name, (long long)st->line, col + 1);
    }
    *pp = p;
    return 0;
  }
  const size_t q = fg_scan_unquoted(t, p, end);
  if (q - field_at > FG_CSV_FIELD_LEN_MAX) {
    return fg_fail(c, err, FG_ELIMIT, "%s:%lld:%d: 字段超过 %u 字节上限", c->name,
                (long long)st->line, col + 1, FG_CSV_FIELD_LEN_MAX);
  }
  if (q < end && t[q] == '"') {
    return fg_fail(c, err, FG_EINPUT,
                "%s:%lld:%d: 未加引号的字段中出现引号（含引号的字段须整体加引号，内部引号写作 \"\"）",
                c->name, (long long)st->line, col + 1);
  }
  const char *s = t + p;
  size_t n = q - p;
  if (n > 0 && s[n - 1] == '\r' && (q == end || t[q] == '\n')) n--;
  while (n > 0 && s[n - 1] == ' ') n--;
  fg_set_field(c, col, s, n, false, FG_CSV_NOT_SCRATCH);
  *pp = q;
  return 0;
}

/* Fill rec once all fields are parsed; p is just past the record. */
static void fg_finish_record(fg_csv *c, const rec_state *st, int nf, size_t p, bool lf,
                          fg_csv_record *rec) {
  for (int i = 0; i < nf; i++) {
    if (c->scratch_off[i] != FG_CSV_NOT_SCRATCH) {
      c->fields[i].s = c->scratch.buf + c->scratch_off[i];
    }
  }
  size_t raw_end = lf ? p - 1 : p;
  if (raw_end > st->start && c->text[raw_end - 1] == '\r') raw_end--;
  rec->f = c->fields;
  rec->nf = nf;
  rec->line = st->line;
  rec->raw = c->text + st->start;
  rec->raw_n = raw_end - st->start;
  c->pos = p;
  c->line = st->line + st->quoted_lfs + (lf ? 1 : 0);
}

int fg_csv_next(fg_csv *c, fg_csv_record *rec, fg_err *err) {
  FG_ASSERT_HOT(c != NULL && rec != NULL);
  if (c->failed) {
    if (err != NULL) *err = c->sticky;
    return c->sticky.code;
  }
  fg_skip_blank_lines(c);
  if (c->pos >= c->end) return 0;
  rec_state st = {.start = c->pos, .line = c->line, .quoted_lfs = 0};
  fg_buf_reset(&c->scratch);
  size_t p = c->pos;
  int nf = 0;
  bool lf = false;
  for (;;) {
    if (nf == FG_CSV_FIELDS_MAX) {
      return fg_fail(c, err, FG_ELIMIT, "%s:%lld: 记录超过 %d 个字段上限", c->name,
                  (long long)st.line, FG_CSV_FIELDS_MAX);
    }
    int rc = fg_parse_field(c, &st, nf, &p, err);
    if (rc != 0) return rc;
    nf++;
    if (p - st.start > FG_CSV_RECORD_LEN_MAX) {
      return fg_fail(c, err, FG_ELIMIT, "%s:%lld: 记录超过 %u 字节上限", c->name,
                  (long long)st.line, FG_CSV_RECORD_LEN_MAX);
    }
    if (p == c->end) break;
    const char ch = c->text[p++];
    FG_ASSERT_HOT(ch == ',' || ch == '\n');
    if (ch == '\n') {
      lf = true;
      break;
    }
  }
  fg_finish_record(c, &st, nf, p, lf, rec);
  return 1;
}

/* ---- splitting ------------------------------------------------------------ */

/* From *cur (quote parity *odd, line *line) to the first line end at or
 * after target that lies outside quotes; leaves *cur just after it. */
static void fg_advance_to_boundary(const fg_csv *c, size_t target, size_t *cur, bool *odd,
                                int64_t *line) {
  FG_ASSERT_HOT(target >= *cur && target <= c->end);
  uint64_t quotes = 0, lfs = 0;
  fg_csv_count_quotes_lines(c->text + *cur, target - *cur, &quotes, &lfs);
  *odd ^= (quotes & 1) != 0;
  *line += (int64_t)lfs;
  size_t p = target;
  /* Target just after an LF outside quotes is already a boundary. */
  if (!*odd && p > *cur && c->text[p - 1] == '\n') {
    *cur = p;
    return;
  }
  while (p < c->end) {
    const char ch = c->text[p++];
    if (ch == '"') {
      *odd = !*odd;
    } else if (ch == '\n') {
      (*line)++;
      if (!*odd) break;
    }
  }
  *cur = p;
}

static fg_csv *fg_part_new(const fg_csv *c, size_t from, size_t to, int64_t line) {
  FG_ASSERT_HOT(!c->is_part && !c->hash_pending);
  fg_csv *part = fg_xcalloc(1, sizeof *part);
  pthread_mutex_init(&part->hash_mu, NULL);
  memcpy(part->name, c->name, sizeof part->name);
  part->enc = c->enc;
  memcpy(part->sha, c->sha, sizeof part->sha);
  part->text = c->text;
  part->text_n = c->text_n;
  part->begin = part->pos = from;
  part->end = to;
  part->line = line;
  part->is_part = true;
  fg_buf_grow(&part->scratch, 256);
  return part;
}

int fg_csv_split(fg_csv *c, int k, fg_csv **parts, fg_err *err) {
  FG_ASSERT_HOT(c != NULL && parts != NULL);
  if (k < 1 || k > FG_CSV_SPLIT_PARTS_MAX) {
    return fg_errf(err, FG_EUSAGE, "%s: 分段数 %d 超出 1..%d", c->name, k,
                   FG_CSV_SPLIT_PARTS_MAX);
  }
  if (c->is_part) return fg_errf(err, FG_EUSAGE, "%s: 分段不能再分", c->name);
  fg_csv_hash_wait(c); /* parts carry the hash */
  const size_t start = c->failed ? c->end : c->pos;
  const size_t span = c->end - start;
  size_t cur = start;
  bool odd = false;
  int64_t line = c->line;
  for (int i = 0; i < k; i++) {
    const size_t from = cur;
    const int64_t from_line = line;
    if (i + 1 < k) {
      const size_t target = start + (size_t)((uint64_t)span * (uint64_t)(i + 1) / (uint64_t)k);
      /* span <= FG_CSV_FILE_SIZE_MAX (2^40), k <= 64: no overflow. */
      fg_advance_to_boundary(c, FG_MAX(target, cur), &cur, &odd, &line);
    } else {
      cur = c->end;
    }
    parts[i] = fg_part_new(c, from, cur, from_line);
  }
  c->pos = c->end;
  return 0;
}
