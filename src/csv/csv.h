/*
 * csv.h — the CSV reader of the data standard ("File rules"): one file at a
 * time, UTF-8 (leading BOM allowed) or GB18030/GBK, RFC 4180 quoting, LF or
 * CRLF, records handed out one by one with zero copies where possible.
 *
 * How it fits: the importer opens each table file with fg_csv_open, checks
 * fg_csv_sha256 against the store (byte-identical files are skipped), reads
 * the header row and then every record with fg_csv_next, and hands each
 * field (already trimmed of U+0020) to the parsers of fields/fields.h.
 *
 * Encoding. A UTF-8 BOM means UTF-8; otherwise a file that is valid UTF-8
 * is UTF-8; otherwise GB18030 (a superset of GBK, 4-byte sequences
 * included), converted to UTF-8 as a whole with glibc iconv at open. A
 * forced encoding ("utf-8", "gb18030", "gbk"; case-insensitive; gbk and
 * gb2312 are read as gb18030) skips detection. All text handed out is
 * UTF-8. A byte sequence invalid in the chosen encoding fails fg_csv_open
 * with FG_EINPUT and `name:line: 无法按 <enc> 解码的字节 (hex)`, line being
 * the physical line where the bytes occur.
 *
 * Syntax. Comma separator; a field may be quoted with `"`, and then may hold
 * commas, doubled quotes (`""` reads as one `"`) and line breaks. Spaces
 * around a quoted field are allowed. A record ends at LF or CRLF or at the
 * end of the file. Lines that are empty or hold only spaces/CR are skipped
 * wherever they are (the standard requires ignoring them at the end of the
 * file; elsewhere they carry no data). The first record is the header row.
 * Malformed quoting fails fg_csv_next with FG_EINPUT and
 * `name:line:column: what is wrong`, where line is the physical line on
 * which the record starts and column the 1-based field position:
 * unterminated quote at end of file, text after a closing quote, a quote
 * inside an unquoted field. Limits (FG_CSV_*_MAX below) fail with FG_ELIMIT.
 *
 * Speed. The file is mmap'ed; UTF-8 input is parsed in place; fields point
 * into the mapping (or, for quoted fields holding `""`, into a per-record
 * scratch buffer). Pointers in a record stay valid until the next
 * fg_csv_next or fg_csv_close on the same reader. Fields are NOT
 * NUL-terminated: always use (s, n).
 *
 * Memory: fg_csv_open allocates the reader; fg_csv_close frees it.
 * Error messages name the file by its base name.
 */
#ifndef FG_CSV_CSV_H
#define FG_CSV_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"

/* Explicit limits. A field longer than FG_CSV_FIELD_LEN_MAX bytes (after
 * unquoting; an unterminated quote usually shows up as this), a record of
 * more than FG_CSV_FIELDS_MAX fields or spanning more than
 * FG_CSV_RECORD_LEN_MAX bytes is an error (FG_ELIMIT). */
#define FG_CSV_FIELD_LEN_MAX (64u * 1024u)
#define FG_CSV_FIELDS_MAX 256
#define FG_CSV_RECORD_LEN_MAX (1024u * 1024u)
/* Largest input accepted (bytes); larger files fail fg_csv_open. */
#define FG_CSV_FILE_SIZE_MAX ((uint64_t)1 << 40)
/* Most parts fg_csv_split hands out. */
#define FG_CSV_SPLIT_PARTS_MAX 64

typedef struct fg_csv fg_csv; /* opaque reader */

typedef struct fg_csv_field {
  const char *s; /* UTF-8, trimmed of U+0020 at both ends; not NUL-terminated */
  uint32_t n;    /* length in bytes; 0 = empty (absent value) */
  bool quoted;   /* the field was written in quotes */
} fg_csv_field;

typedef struct fg_csv_record {
  const fg_csv_field *f; /* nf fields, valid until the next call */
  int nf;                /* 1 .. FG_CSV_FIELDS_MAX */
  int64_t line;          /* 1-based physical line where the record starts */
  const char *raw;       /* the record's text as decoded, line end excluded */
  size_t raw_n;          /* (for reject files); not NUL-terminated */
} fg_csv_record;

/* Open path (mmap). encoding: NULL or "" = detect, else "utf-8"/"utf8",
 * "gb18030", "gbk", "gb2312". Computes the SHA-256 of the raw bytes and
 * validates/converts the encoding before returning. Errors: FG_EIO (cannot
 * open/read), FG_EUSAGE (unknown encoding name), FG_EINPUT (undecodable
 * bytes), FG_ELIMIT (file larger than FG_CSV_FILE_SIZE_MAX). */
int fg_csv_open(const char *path, const char *encoding, fg_csv **out, fg_err *err);

/* The same over a memory buffer (tests, fuzzing). name is used in messages
 * as given. data need not outlive the call for GB18030 input but must
 * outlive the reader for UTF-8 input (parsed in place; not copied). */
int fg_csv_open_mem(const char *name, const void *data, size_t len, const char *encoding,
                    fg_csv **out, fg_err *err);

/* Next record: 1 = *rec filled, 0 = end of file, < 0 = error (err filled).
 * After an error the reader stays at the error (further calls repeat it). */
int fg_csv_next(fg_csv *c, fg_csv_record *rec, fg_err *err);

/* "utf-8" or "gb18030", as detected or forced. */
/* True when the file was valid UTF-8 but read as GB18030 (every non-ASCII
 * character a two-byte one, and valid GB18030): callers say so. */
bool fg_csv_encoding_guessed(const fg_csv *c);
const char *fg_csv_encoding(const fg_csv *c);
/* The file's name as used in messages (base name of the path). */
const char *fg_csv_name(const fg_csv *c);
/* SHA-256 (common/sha256.h) of the raw file bytes, BOM included, before
 * any conversion. SHA-256 is slower than parsing, so fg_csv_open starts
 * hashing a big file (>= 8 MiB) on a background thread and this call waits
 * for it (thread-safe): a caller that reads records first and asks for the
 * hash afterwards overlaps the two. */
void fg_csv_sha256(const fg_csv *c, uint8_t out[32]);
/* Hand back the resident pages of records already read (all but the last
 * few MiB before the read position). Call between records, never while a
 * record's fields are still in use; no effect for converted (GB18030) text
 * or parts. */
void fg_csv_release_consumed(fg_csv *c);
/* Progress: position of the reader and total size, in bytes of the decoded
 * (UTF-8) text; for UTF-8 files equal to raw file offsets. offset reaches
 * size at end of file. For a part of fg_csv_split, offset runs from
 * fg_csv_begin(part) to its own end; size is the whole text's size. */
uint64_t fg_csv_offset(const fg_csv *c);
uint64_t fg_csv_size(const fg_csv *c);
uint64_t fg_csv_begin(const fg_csv *c);

/* Parallel parsing. Splits the rest of c (from its current position, e.g.
 * after the header row was read) into k readers over disjoint consecutive
 * ranges that start on record boundaries, with correct line numbers; parts
 * may be empty. Costs one pass that counts quotes and line ends (no
 * parsing). c is left at end of file. Each part is used by one thread;
 * close every part (fg_csv_close) before closing c, whose text they share.
 * Boundaries are exact for well-formed input (a record boundary is a line
 * end preceded by an even number of quotes). If part i fails with a
 * syntax error, the file is malformed and the boundaries of the parts after
 * i may be wrong: report part i's error and discard what the later parts
 * said. 1 <= k <= FG_CSV_SPLIT_PARTS_MAX. Returns 0 (never fails today;
 * FG_EUSAGE reserved for a bad k). */
int fg_csv_split(fg_csv *c, int k, fg_csv **parts, fg_err *err);

/* Free the reader (NULL is fine). */
void fg_csv_close(fg_csv *c);

#endif
