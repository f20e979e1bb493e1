/*
 * fuzz_csv.c — libFuzzer harness for the CSV reader (csv/csv.h). The first
 * byte picks the encoding (detect, forced utf-8, forced gb18030); the rest
 * is the file. Every record is read and checked against the reader's
 * promises (field and record limits, rising line numbers, offsets within the
 * size). When the whole file parses, fg_csv_split into 1-4 parts must give
 * exactly the same records and line numbers as one sequential reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/fg.h"
#include "csv/csv.h"

static void render_record(const fg_csv_record *rec, fg_buf *out) {
  fg_buf_addf(out, "%lld:%d", (long long)rec->line, rec->nf);
  for (int i = 0; i < rec->nf; i++) {
    const fg_csv_field *f = &rec->f[i];
    if (f->n > FG_CSV_FIELD_LEN_MAX) abort();
    if (f->n > 0 && (f->s[0] == ' ' || f->s[f->n - 1] == ' ')) abort();
    fg_buf_addf(out, "|%c%u:", f->quoted ? 'q' : 'u', f->n);
    fg_buf_add(out, f->s, f->n);
  }
  fg_buf_addc(out, '\n');
}

/* Append every record of c to out; returns the last fg_csv_next result. */
static int render(fg_csv *c, fg_buf *out) {
  fg_csv_record rec;
  fg_err err;
  int rc;
  int64_t prev_line = 0;
  while ((rc = fg_csv_next(c, &rec, &err)) == 1) {
    if (rec.nf < 1 || rec.nf > FG_CSV_FIELDS_MAX) abort();
    if (rec.line <= prev_line) abort();
    if (rec.raw_n > FG_CSV_RECORD_LEN_MAX + (size_t)FG_CSV_FIELD_LEN_MAX + 2) abort();
    if (fg_csv_offset(c) > fg_csv_size(c)) abort();
    prev_line = rec.line;
    render_record(&rec, out);
  }
  if (rc < 0 && (err.code != rc || strstr(err.msg, "t.csv:") != err.msg)) abort();
  return rc;
}

/* Read the header, split the rest in k parts, read the parts in order:
 * the result must equal the sequential reading. */
static void check_split(const uint8_t *data, size_t n, const char *enc, const fg_buf *whole,
                        int k) {
  fg_csv *c = NULL;
  fg_err err;
  if (fg_csv_open_mem("t.csv", data, n, enc, &c, &err) != 0) abort();
  fg_buf pieces = FG_BUF_INIT;
  fg_csv_record rec;
  if (fg_csv_next(c, &rec, &err) == 1) render_record(&rec, &pieces);
  fg_csv *parts[4];
  if (fg_csv_split(c, k, parts, &err) != 0) abort();
  for (int i = 0; i < k; i++) {
    if (render(parts[i], &pieces) != 0) abort();
    fg_csv_close(parts[i]);
  }
  fg_csv_close(c);
  const char *a = whole->buf ? whole->buf : "", *b = pieces.buf ? pieces.buf : "";
  if (strcmp(a, b) != 0) abort();
  fg_buf_release(&pieces);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char *const encs[] = {NULL, "utf-8", "gb18030"};
  const char *enc = encs[data[0] % 3];
  const int k = 1 + (data[0] / 3) % 4;
  data++;
  size--;
  fg_csv *c = NULL;
  fg_err err;
  if (fg_csv_open_mem("t.csv", data, size, enc, &c, &err) != 0) {
    if (c != NULL || err.code >= 0) abort();
    return 0;
  }
  fg_buf whole = FG_BUF_INIT;
  const int rc = render(c, &whole);
  fg_csv_close(c);
  if (rc == 0) check_split(data, size, enc, &whole, k);
  fg_buf_release(&whole);
  return 0;
}
