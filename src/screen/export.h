/*
 * export.h — findings of a stored run out to CSV, JSON Lines or Excel.
 *
 * CSV (RFC 4180, UTF-8, no BOM): header
 *   rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_id
 * amount in yuan with two decimals; evidence `table:rowid;...`.
 * JSONL: one object per finding with the same fields (amount as a number
 * with two decimals, amount_fen exact, evidence as an array of strings).
 * XLSX (libxlsxwriter): one sheet 疑点 with Chinese column titles, amounts
 * as numbers formatted 0.00, ids as text so they are exported whole; a run
 * larger than a sheet continues on 疑点2, 疑点3, ...
 */
#ifndef FG_SCREEN_EXPORT_H
#define FG_SCREEN_EXPORT_H

#include <stdio.h>

#include "common/fg.h"
#include "store/store.h"

typedef enum fg_export_format { FG_EXPORT_CSV, FG_EXPORT_JSONL, FG_EXPORT_XLSX } fg_export_format;

typedef struct fg_export_opts {
  int64_t run_id;
  const char *rule;            /* NULL = every rule */
  fg_export_format format;
  FILE *out;                   /* csv / jsonl */
  const char *xlsx_path;       /* xlsx */
  /* Chinese title of a rule id ("" when unknown); NULL = no titles. */
  const char *(*title_of)(const char *rule_id);
} fg_export_opts;

/* "csv" | "jsonl" | "xlsx" -> format; false when unknown. */
bool fg_export_parse_format(const char *s, fg_export_format *out);
/* Export; sets *count to the number of findings written. */
int fg_export_findings(fg_store *s, const fg_export_opts *o, int64_t *count, fg_err *err);

/* Building blocks (tested on their own). */
void fg_export_csv_field(fg_buf *b, const char *s);   /* RFC 4180 quoting when needed */
void fg_export_json_string(fg_buf *b, const char *s); /* quoted, escaped */

#endif
