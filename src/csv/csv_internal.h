/*
 * csv_internal.h — private interface between the CSV reader (csv.c) and its
 * encoding layer (csv_decode.c) and record parser (csv_parse.c): the
 * reader's layout and the helpers they share. Not for use outside src/csv.
 */
#ifndef FG_CSV_CSV_INTERNAL_H
#define FG_CSV_CSV_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"
#include "csv/csv.h"

enum {
  FG_CSV_NAME_LEN_MAX = 255,
  FG_CSV_SHA256_BYTES = 32,
  FG_CSV_BOM_LEN = 3,
  FG_CSV_HEX_BYTES_SHOWN = 4,
};
/* Files at least this big are hashed on a background thread (SHA-256 is
 * slower than parsing). */
/* Bytes of the first line searched for a line end (CR-only files). */
#define FG_CSV_CR_ONLY_LOOK_BYTES ((size_t)1 << 20)
#define FG_CSV_HASH_THREAD_MIN_BYTES ((size_t)8 << 20)
/* fg_csv_release_consumed keeps this much below the read position resident
 * (more than the largest record, so no field still in use is dropped). */
#define FG_CSV_RELEASE_GUARD_BYTES ((size_t)4 << 20)
/* The whole-file passes at open (SHA-256, UTF-8 validation) walk a mapped
 * file in pieces of this size and hand each piece's pages back behind
 * them: a city's files are opened together, and keeping every page they
 * touched made the files' whole size (5 GB at a million persons) the
 * import's peak resident memory before the first row was parsed. */
#define FG_CSV_PASS_PIECE_BYTES ((size_t)8 << 20)
/* A mapped file's passes read it with pread in pieces of this size, into a
 * buffer of their own, instead of touching the mapping (csv.c says why);
 * small enough to stay in cache and to add little to resident memory. */
#define FG_CSV_PASS_READ_BYTES ((size_t)1 << 20)

struct fg_csv {
  char name[FG_CSV_NAME_LEN_MAX + 1];
  const char *enc;                     /* "utf-8" or "gb18030" */
  bool enc_guessed;                    /* valid UTF-8 read as GB18030 (v1.3) */
  uint8_t sha[FG_CSV_SHA256_BYTES];    /* valid once hash_pending is false */
  bool hash_pending;                   /* hash_thread runs; join before reading sha */
  pthread_t hash_thread;
  pthread_mutex_t hash_mu;             /* guards hash_pending */
  const uint8_t *hash_src;             /* raw bytes being hashed */
  size_t hash_n;
  const char *text;                    /* decoded UTF-8 text */
  size_t text_n;                       /* its whole size */
  size_t begin, pos, end;              /* this reader's range and position */
  int64_t line;                        /* physical line at pos */
  void *map;                           /* owned mapping (not for parts) */
  int fd;                              /* the mapped file, for the passes' pread; -1 */
  size_t map_n;
  size_t released;                     /* map bytes handed back (fg_csv_release_consumed) */
  char *owned_text;                    /* owned converted text (not for parts) */
  bool is_part;
  bool failed;                         /* sticky error */
  fg_err sticky;
  fg_buf scratch;                      /* unescaped quoted fields */
  uint32_t scratch_off[FG_CSV_FIELDS_MAX]; /* UINT32_MAX = field not in scratch */
  fg_csv_field fields[FG_CSV_FIELDS_MAX];
};

/* Wait for the background hash, if any (thread-safe). */
void fg_csv_hash_wait(fg_csv *c);

/* Offset of the first byte that does not start a valid UTF-8 sequence
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), or n
 * when all of s is valid. ASCII runs are checked 8 bytes at a time.
 * *max_seq (may be NULL) gets the longest sequence seen: 1 for pure ASCII,
 * 2 when every non-ASCII character is a two-byte one (data standard v1.3:
 * what GBK text looks like when it happens to be valid UTF-8). */
size_t fg_csv_utf8_invalid_at(const uint8_t *s, size_t n, int *max_seq);

/* Convert GB18030 (4-byte sequences included) to UTF-8 with glibc iconv.
 * On success returns 0 and a heap buffer (*out, *out_n; free()). On
 * undecodable bytes returns FG_EINPUT and sets *bad_at to their offset.
 * FG_EIO when iconv has no GB18030 converter. */
int fg_csv_gb18030_to_utf8(const uint8_t *s, size_t n, char **out, size_t *out_n,
                           size_t *bad_at);

/* 1-based line of byte offset off in s (count of LF before it, plus one). */
int64_t fg_csv_line_of(const uint8_t *s, size_t off);

/* Counts of '"' and '\n' in s[0..n). */
void fg_csv_count_quotes_lines(const char *s, size_t n, uint64_t *quotes, uint64_t *lines);

#endif
