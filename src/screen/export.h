/*
 * export.h — findings of a stored run out to CSV, JSON Lines or Excel.
 *
 * CSV (RFC 4180, UTF-8 with a BOM so Excel and WPS read Chinese): header
 *   rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_kind,run_id,
 *   disposition,severity_zh,subject_type_zh,run_kind_zh,name,region,unit_id,unit_name,
 *   finding_id (the number `fundguard finding show` takes)
 * (the first five columns are fixed by rules.md); amount in yuan with two
 * decimals; evidence `table:rowid;...`; run_kind `official` or `what-if`
 * (a run of `screen --config FILE`); disposition `` or `dismissed_normal`
 * (judged normal through two-person review: `propose dismiss`). The last
 * columns label the codes in Chinese and say who the finding is about: the
 * subject's name and region, and the institution (unit) of a medical one,
 * so it can be routed to the district or hospital concerned
 * (export_subject.c).
 * JSONL: one object per finding with the same fields (amount as a number
 * with two decimals, amount_fen exact, evidence as an array of strings).
 * XLSX (libxlsxwriter): one sheet 疑点 with Chinese column titles, amounts
 * as numbers formatted 0.00, ids as text so they are exported whole; a run
 * larger than a sheet continues on 疑点2, 疑点3, ...
 * Subject ids are exported whole; terminal_view (a view on a terminal,
 * csv / jsonl only) masks the ids of persons and the resident id numbers in
 * details as 110101********123X, and writes no BOM.
 */
#ifndef FG_SCREEN_EXPORT_H
#define FG_SCREEN_EXPORT_H

#include <stdio.h>

#include "common/fg.h"
#include "store/store.h"

#define FG_EXPORT_CSV_BOM "\xEF\xBB\xBF"
#define FG_EXPORT_PERSON "person" /* the subject type whose ids are personal */
#define FG_EXPORT_OFFICIAL "official"
#define FG_EXPORT_WHAT_IF "what-if"
#define FG_EXPORT_PARTIAL "partial" /* official, but screen --rules: not every rule */

typedef enum fg_export_format { FG_EXPORT_CSV, FG_EXPORT_JSONL, FG_EXPORT_XLSX } fg_export_format;

typedef struct fg_export_opts {
  int64_t run_id;
  const char *rule;            /* NULL = every rule; else a comma-separated list */
  const char *severity;        /* NULL, or a list of high,medium,low */
  const char *region;          /* NULL, or division code prefixes (3601 = 3601xx) */
  const char *institution;     /* NULL, or institution ids */
  fg_export_format format;
  FILE *out;                   /* csv / jsonl */
  const char *xlsx_path;       /* xlsx */
  /* Chinese title of a rule id ("" when unknown); NULL = no titles. */
  const char *(*title_of)(const char *rule_id);
  bool terminal_view;          /* a view on screen: ids masked, no BOM (never xlsx) */
  /* Instead of run_id's findings: those of the official run before it that
   * run_id no longer raises (continuity "resolved"; run_id column = theirs). */
  bool resolved;
} fg_export_opts;

/* "csv" | "jsonl" | "xlsx" -> format; false when unknown. */
bool fg_export_parse_format(const char *s, fg_export_format *out);
/* Export; sets *count to the number of findings written. */
int fg_export_findings(fg_store *s, const fg_export_opts *o, int64_t *count, fg_err *err);

/* Chinese labels of the export's codes (the code itself when unknown). */
const char *fg_export_severity_zh(const char *severity);
const char *fg_export_subject_type_zh(const char *subject_type);
const char *fg_export_run_kind_zh(const char *run_kind);
/* Whether item is one of the comma-separated list (exact, or a prefix of
 * item when prefix). */
bool fg_export_in_list(const char *list, const char *item, bool prefix);

/* "official" or "what-if" for a stored run; FG_EINPUT when there is none. */
int fg_export_run_kind(fg_store *s, int64_t run_id, const char **kind, fg_err *err);

/* Building blocks (tested on their own). */
void fg_export_csv_field(fg_buf *b, const char *s);   /* RFC 4180 quoting when needed */
void fg_export_json_string(fg_buf *b, const char *s); /* quoted, escaped */
/* Append the first n bytes of id masked: characters past the first 6 and
 * before the last 4 become '*' (110101********123X); an id of 10 characters
 * or fewer keeps only its first and last quarter. */
void fg_export_mask_id(fg_buf *b, const char *id, size_t n);
/* Append s with every resident id number in it (18 characters: 17 digits
 * and a digit or X; or 15 digits; not inside a longer run of letters and
 * digits) masked by fg_export_mask_id. */
void fg_export_mask_text(fg_buf *b, const char *s);

/* The subjects of a run with their regions, as the export's region column
 * gives them (case work issues findings to the agency of a region). */
typedef struct fg_export_regions fg_export_regions;
int fg_export_regions_load(fg_store *s, int64_t run_id, fg_export_regions **out, fg_err *err);
/* The 6-digit division code of a finding's subject; "" when unknown. */
const char *fg_export_region(fg_export_regions *r, const char *subject_type,
                             const char *subject_id);
void fg_export_regions_free(fg_export_regions *r);

#endif
