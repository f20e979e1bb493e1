/*
 * json.h — a small, strict JSON reader and string writer for the journal:
 * entry payloads (canonical JSON, parsed again by `log verify`), proof files
 * (the transparency-dev/merkle test-vector layout) and the RFC 6962 test
 * vectors. Not a general JSON library: integers only as numbers (sizes,
 * indexes, counts; -2^64 < n < 2^64), UTF-8 text, explicit depth and size limits.
 */
#ifndef FG_JOURNAL_JSON_H
#define FG_JOURNAL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"

#define FG_JOURNAL_JSON_DEPTH_MAX 32
#define FG_JOURNAL_JSON_BYTES_MAX (64u * 1024u * 1024u)

typedef enum fg_journal_json_type {
  FG_JSON_NULL,
  FG_JSON_BOOL,
  FG_JSON_INT,
  FG_JSON_STR,
  FG_JSON_ARR,
  FG_JSON_OBJ,
} fg_journal_json_type;

typedef struct fg_journal_json {
  fg_journal_json_type type;
  bool b;
  int64_t i;  /* FG_JSON_INT that fits int64 (else 0) */
  uint64_t u; /* FG_JSON_INT: magnitude (JSON sizes may need all 64 bits) */
  bool neg;   /* FG_JSON_INT: negative */
  char *s; /* FG_JSON_STR: NUL-terminated, len bytes (may hold NUL) */
  size_t len;
  struct fg_journal_json *items; /* FG_JSON_ARR / FG_JSON_OBJ: n values */
  char **keys;                   /* FG_JSON_OBJ: n keys */
  size_t n;
} fg_journal_json;

/* Parse text[0..n) as one JSON value; *out is heap memory
 * (fg_journal_json_free). Errors name the byte offset. */
int fg_journal_json_parse(const char *text, size_t n, fg_journal_json **out, fg_err *err);
void fg_journal_json_free(fg_journal_json *v);
/* Member of an object by key, or NULL (also when v is not an object). */
const fg_journal_json *fg_journal_json_get(const fg_journal_json *v, const char *key);
/* Append s as a JSON string literal (quotes and escapes) to b. */
void fg_journal_json_add_str(fg_buf *b, const char *s, size_t n);

#endif
