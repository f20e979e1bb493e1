/*
 * listfile.c — any list of the API as a file (web.md: "Any list can be had
 * as a file with format=csv|xlsx").
 *
 * The lists whose command line has an export of its own (findings, the
 * case ledger, the rectification ledger, the tip ledger) answer format=
 * themselves, with the command line's columns; their routes say so
 * (own_file). Every other list (runs, rules, proposals, batches, users, the
 * journal) is turned into a file here from its own JSON answer, so the file
 * holds exactly what the page shows and passes the same permission check:
 * the handler is called page after page (1,000 rows each, following
 * "next"), the keys of the first item are the header in their order,
 * scalars are written as themselves, nested values as their JSON text, and
 * every CSV cell goes through fg_csv_cell (RFC 4180, formula-proofed).
 * A list longer than FG_HTTP_FILE_ROWS_MAX rows (what a worksheet holds)
 * is refused with a 400 naming format (counted as the rows come: a page's
 * "total" is not always the filtered count, the journal's is not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "http/http_impl.h"
#include "journal/json.h"
#include "screen/export.h"

enum {
  FG_HTTP_FILE_ROWS_MAX = 1000000, /* an xlsx worksheet holds 1,048,576 rows */
  FG_HTTP_FILE_COLS_MAX = 64,
  FG_HTTP_FILE_DEPTH_MAX = 16,     /* nesting of a value written as JSON text */
};

/* A nested value as compact JSON text (bounded depth: deeper is "…"). */
static void fg_lf_json(fg_buf *b, const fg_journal_json *v, int depth) {
  if (depth > FG_HTTP_FILE_DEPTH_MAX) {
    fg_buf_adds(b, "\"…\"");
    return;
  }
  switch (v->type) {
  case FG_JSON_NULL: fg_buf_adds(b, "null"); break;
  case FG_JSON_BOOL: fg_buf_adds(b, v->b ? "true" : "false"); break;
  case FG_JSON_INT: fg_buf_addf(b, "%s%llu", v->neg ? "-" : "", (unsigned long long)v->u); break;
  case FG_JSON_STR: fg_journal_json_add_str(b, v->s, v->len); break;
  case FG_JSON_ARR:
  case FG_JSON_OBJ:
    fg_buf_addc(b, v->type == FG_JSON_ARR ? '[' : '{');
    for (size_t i = 0; i < v->n; i++) {
      if (i) fg_buf_addc(b, ',');
      if (v->type == FG_JSON_OBJ) {
        fg_journal_json_add_str(b, v->keys[i], strlen(v->keys[i]));
        fg_buf_addc(b, ':');
      }
      fg_lf_json(b, &v->items[i], depth + 1);
    }
    fg_buf_addc(b, v->type == FG_JSON_ARR ? ']' : '}');
    break;
  }
}

/* One cell's text (empty for null or absent). */
static void fg_lf_text(fg_buf *b, const fg_journal_json *v) {
  fg_buf_reset(b);
  if (v == NULL || v->type == FG_JSON_NULL) return;
  if (v->type == FG_JSON_STR) fg_buf_add(b, v->s, v->len);
  else fg_lf_json(b, v, 0);
}

typedef struct fg_lf {
  bool xlsx;
  fg_buf csv;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *head;
  char *cols[FG_HTTP_FILE_COLS_MAX];
  int ncols;
  int64_t rows;
  fg_buf cell;
} fg_lf;

static void fg_lf_header(fg_lf *f, const fg_journal_json *item) {
  for (size_t i = 0; i < item->n && f->ncols < FG_HTTP_FILE_COLS_MAX; i++) {
    f->cols[f->ncols] = fg_xstrdup(item->keys[i]);
    if (f->xlsx) worksheet_write_string(f->ws, 0, (lxw_col_t)f->ncols, f->cols[f->ncols], f->head);
    else {
      if (f->ncols) fg_buf_addc(&f->csv, ',');
      fg_csv_cell(&f->csv, f->cols[f->ncols], strlen(f->cols[f->ncols]));
    }
    f->ncols++;
  }
  if (!f->xlsx) fg_buf_addc(&f->csv, '\n');
}

static void fg_lf_row(fg_lf *f, const fg_journal_json *item) {
  f->rows++;
  for (int c = 0; c < f->ncols; c++) {
    const fg_journal_json *v = item->type == FG_JSON_OBJ ? fg_journal_json_get(item, f->cols[c]) : NULL;
    if (f->xlsx) {
      /* whole numbers that a double holds exactly as numbers (ids,
       * counts: sortable in Excel); money is a string in the API already */
      if (v && v->type == FG_JSON_INT && v->u < (1ull << 53))
        worksheet_write_number(f->ws, (lxw_row_t)f->rows, (lxw_col_t)c, v->neg ? -(double)v->u : (double)v->u, NULL);
      else {
        fg_lf_text(&f->cell, v);
        if (f->cell.len) worksheet_write_string(f->ws, (lxw_row_t)f->rows, (lxw_col_t)c, f->cell.buf, NULL);
      }
    } else {
      if (c) fg_buf_addc(&f->csv, ',');
      fg_lf_text(&f->cell, v);
      fg_csv_cell(&f->csv, f->cell.buf ? f->cell.buf : "", f->cell.len);
    }
  }
  if (!f->xlsx) fg_buf_addc(&f->csv, '\n');
}

static void fg_lf_release(fg_lf *f) {
  for (int c = 0; c < f->ncols; c++) free(f->cols[c]);
  f->ncols = 0;
  fg_buf_release(&f->csv);
  fg_buf_release(&f->cell);
}

/* One page of the handler's JSON into the file; *next: the next cursor (0:
 * the last page). Returns 0, or answers an error and returns -1. */
static int fg_lf_page(fg_http_req *r, fg_lf *f, int64_t *next) {
  fg_journal_json *v = NULL;
  fg_err err = {0};
  *next = 0;
  if (fg_journal_json_parse(r->out.buf ? r->out.buf : "", r->out.len, &v, &err) != 0 || v->type != FG_JSON_OBJ) {
    fg_journal_json_free(v);
    fg_buf_reset(&r->out);
    fg_http_error(r, 500, "internal", NULL, "列表无法转为文件");
    return -1;
  }
  const fg_journal_json *items = fg_journal_json_get(v, "items");
  const fg_journal_json *nx = fg_journal_json_get(v, "next");
  int rc = 0;
  fg_buf_reset(&r->out);
  if (items == NULL || items->type != FG_JSON_ARR) {
    fg_http_error(r, 500, "internal", NULL, "列表无法转为文件");
    rc = -1;
  } else {
    for (size_t i = 0; i < items->n; i++) {
      if (f->ncols == 0 && items->items[i].type == FG_JSON_OBJ) fg_lf_header(f, &items->items[i]);
      if (f->rows >= FG_HTTP_FILE_ROWS_MAX) {
        fg_http_error(r, 400, "bad_input", "format", "超过一个文件的上限 %d 行：请加筛选条件后再导出",
                      FG_HTTP_FILE_ROWS_MAX);
        rc = -1;
        break;
      }
      fg_lf_row(f, &items->items[i]);
    }
    if (rc == 0 && nx && nx->type == FG_JSON_STR) {
      int64_t c = 0;
      if (!fg_http_parse_i64(nx->s, 1, INT64_MAX / 2, &c)) {
        fg_http_error(r, 500, "internal", NULL, "列表的游标无效");
        rc = -1;
      }
      *next = c;
    }
  }
  fg_journal_json_free(v);
  return rc;
}

/* The list of route hit as a file (csv or xlsx); 0 when answered. */
int fg_http_list_file(fg_http_req *r, const fg_http_route *hit, bool xlsx) {
  FG_ASSERT(r != NULL && hit != NULL && hit->list && !hit->own_file);
  fg_lf f = {.xlsx = xlsx, .csv = FG_BUF_INIT, .cell = FG_BUF_INIT};
  fg_http_tmp t;
  char download[96];
  snprintf(download, sizeof download, "%.64s.%s", r->seg[r->nseg - 1], xlsx ? "xlsx" : "csv");
  if (xlsx) {
    if (!fg_http_tmp_make(r, &t, "list.xlsx")) return 0;
    f.wb = workbook_new(t.path);
    f.ws = f.wb ? workbook_add_worksheet(f.wb, NULL) : NULL;
    if (f.ws == NULL) {
      if (f.wb) workbook_close(f.wb);
      fg_http_tmp_remove(&t);
      return fg_http_error(r, 500, "internal", NULL, "无法创建工作簿");
    }
    f.head = workbook_add_format(f.wb);
    format_set_bold(f.head);
  } else {
    fg_buf_adds(&f.csv, FG_EXPORT_CSV_BOM);
  }
  /* every page, as the page would be answered (fg_http_paging reads
   * r->listing: the largest page, from listing_after) */
  r->listing = true;
  r->listing_after = 0;
  int rc = 0;
  for (int64_t next = 0;;) {
    fg_buf_reset(&r->out);
    r->status = 500;
    hit->fn(r);
    if (r->status != 200 || (r->ctype && strncmp(r->ctype, "application/json", 16) != 0)) {
      rc = -1; /* the handler's own answer (an error) stands */
      break;
    }
    if ((rc = fg_lf_page(r, &f, &next)) != 0) break;
    if (next == 0) break;
    FG_ASSERT(next != r->listing_after); /* a cursor always moves on */
    r->listing_after = next;
  }
  r->listing = false;
  if (xlsx) {
    const bool closed = workbook_close(f.wb) == LXW_NO_ERROR;
    fg_lf_release(&f);
    if (rc) {
      fg_http_tmp_remove(&t);
      return 0;
    }
    if (!closed) {
      fg_http_tmp_remove(&t);
      return fg_http_error(r, 500, "internal", NULL, "无法写入工作簿");
    }
    return fg_http_send_tmp(r, &t, FG_HTTP_FILE_BYTES_MAX,
                            FG_HTTP_XLSX, download);
  }
  if (rc == 0) { /* the file becomes the answer's buffer (no copy) */
    fg_buf_release(&r->out);
    r->out = f.csv;
    f.csv = (fg_buf)FG_BUF_INIT;
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", download);
  }
  fg_lf_release(&f);
  return 0;
}
