/*
 * csv_decode.c — the encoding layer of the CSV reader: strict UTF-8
 * validation with an ASCII fast path, GB18030 -> UTF-8 conversion through
 * glibc iconv (4-byte sequences included, so rare characters in names
 * survive), and the byte counting the reader needs for line numbers and
 * fg_csv_split. See csv.h for the detection rules that use these.
 */
#include "csv/csv_internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define FG_CSV_HIGH_BITS_8 0x8080808080808080ULL
#define FG_CSV_ONES_8 0x0101010101010101ULL

/* Length of the valid UTF-8 sequence starting at s[0] (a non-ASCII lead),
 * or 0 when it is invalid or truncated. */
static size_t fg_utf8_seq_len(const uint8_t *s, size_t avail) {
  FG_ASSERT_HOT(avail >= 1 && s[0] >= 0x80);
  const uint8_t b0 = s[0];
  size_t len;
  uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (avail < len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
  }
  return len;
}

size_t fg_csv_utf8_invalid_at(const uint8_t *s, size_t n, int *max_seq) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  size_t i = 0, longest = 1;
  while (i < n) {
    /* ASCII fast path: 32 then 8 bytes at a time. */
    while (i + 32 <= n) {
      uint64_t a, b, c, d;
      memcpy(&a, s + i, 8);
      memcpy(&b, s + i + 8, 8);
      memcpy(&c, s + i + 16, 8);
      memcpy(&d, s + i + 24, 8);
      if ((a | b | c | d) & FG_CSV_HIGH_BITS_8) break;
      i += 32;
    }
    while (i + 8 <= n) {
      uint64_t v;
      memcpy(&v, s + i, 8);
      if (v & FG_CSV_HIGH_BITS_8) break;
      i += 8;
    }
    while (i < n && s[i] < 0x80) i++;
    if (i == n) break;
    /* Non-ASCII: validate sequences until the next ASCII byte. */
    while (i < n && s[i] >= 0x80) {
      const size_t len = fg_utf8_seq_len(s + i, n - i);
      if (len == 0) return i;
      if (len > longest) longest = len;
      i += len;
    }
  }
  if (max_seq) *max_seq = (int)longest;
  return n;
}

/* Grow the output of an iconv loop, keeping *out_at at the same offset. */
static void fg_grow_out(char **buf, size_t *cap, char **out_at, size_t *out_left) {
  const size_t used = (size_t)(*out_at - *buf);
  *cap = *cap * 2 + 64;
  *buf = fg_xrealloc(*buf, *cap);
  *out_at = *buf + used;
  *out_left = *cap - used;
}

int fg_csv_gb18030_to_utf8(const uint8_t *s, size_t n, char **out, size_t *out_n,
                           size_t *bad_at) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(out != NULL && out_n != NULL && bad_at != NULL);
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1) return FG_EIO;
  /* 2 bytes -> at most 3 bytes of UTF-8; 4 bytes -> at most 4. */
  size_t cap = n + n / 2 + 16;
  char *buf = fg_xmalloc(cap);
  char *in_at = (char *)(uintptr_t)s;
  size_t in_left = n;
  char *out_at = buf;
  size_t out_left = cap;
  int rc = 0;
  while (in_left > 0) {
    const size_t r = iconv(cd, &in_at, &in_left, &out_at, &out_left);
    if (r != (size_t)-1) break;
    if (errno == E2BIG) {
      fg_grow_out(&buf, &cap, &out_at, &out_left);
      continue;
    }
    /* EILSEQ (invalid) or EINVAL (truncated at the end). */
    *bad_at = (size_t)((const uint8_t *)in_at - s);
    rc = FG_EINPUT;
    break;
  }
  iconv_close(cd);
  if (rc != 0) {
    free(buf);
    return rc;
  }
  *out_n = (size_t)(out_at - buf);
  FG_ASSERT_HOT(*out_n <= cap);
  *out = buf;
  return 0;
}

int64_t fg_csv_line_of(const uint8_t *s, size_t off) {
  uint64_t quotes = 0, lines = 0;
  fg_csv_count_quotes_lines((const char *)s, off, &quotes, &lines);
  return (int64_t)lines + 1;
}

/* Number of bytes equal to c in the 8-byte word v (SWAR). */
static unsigned fg_swar_count(uint64_t v, uint8_t c) {
  const uint64_t x = v ^ (FG_CSV_ONES_8 * c);
  /* High bit of each byte set where the byte of x is zero (exact form). */
  const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t t = ((x & low7) + low7) | x;
  const uint64_t zero_bytes = ~t & FG_CSV_HIGH_BITS_8;
  return (unsigned)__builtin_popcountll(zero_bytes);
}

void fg_csv_count_quotes_lines(const char *s, size_t n, uint64_t *quotes, uint64_t *lines) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(quotes != NULL && lines != NULL);
  uint64_t q = 0, l = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    q += fg_swar_count(v, '"');
    l += fg_swar_count(v, '\n');
  }
  for (; i < n; i++) {
    q += s[i] == '"';
    l += s[i] == '\n';
  }
  *quotes = q;
  *lines = l;
}
