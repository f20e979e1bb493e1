/*
 * export.c — the findings export of export.h: rows come from the store in
 * stored order (fg_store_findings_each) and go out as CSV, JSON Lines or an
 * Excel workbook. Nothing is masked: the export is for the people who must
 * act on the findings (rules.md "Findings export").
 */
#include "screen/export.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define FG_EXPORT_XLSX_CELL_MAX_BYTES 32000 /* Excel's cell limit is 32767 chars */
#define FG_EXPORT_XLSX_ROWS_PER_SHEET (LXW_ROW_MAX - 1) /* one header row per sheet */
#define FG_EXPORT_XLSX_SHEETS_MAX 1000
#define FG_EXPORT_COLS 9

static const char *const fg_export_csv_header =
    "rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_id\n";
static const char *const fg_export_titles_zh[FG_EXPORT_COLS] = {
    "规则", "对象类型", "对象编号", "涉及金额(元)", "详情", "风险等级", "规则名称", "证据", "运行编号"};

bool fg_export_parse_format(const char *s, fg_export_format *out) {
  assert(out);
  if (!s) return false;
  if (strcmp(s, "csv") == 0) *out = FG_EXPORT_CSV;
  else if (strcmp(s, "jsonl") == 0) *out = FG_EXPORT_JSONL;
  else if (strcmp(s, "xlsx") == 0) *out = FG_EXPORT_XLSX;
  else return false;
  return true;
}

void fg_export_csv_field(fg_buf *b, const char *s) {
  assert(b && s);
  if (!strpbrk(s, ",\"\r\n")) {
    fg_buf_adds(b, s);
    return;
  }
  fg_buf_addc(b, '"');
  for (const char *p = s; *p; p++) {
    if (*p == '"') fg_buf_addc(b, '"');
    fg_buf_addc(b, *p);
  }
  fg_buf_addc(b, '"');
}

void fg_export_json_string(fg_buf *b, const char *s) {
  assert(b && s);
  fg_buf_addc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fg_buf_adds(b, "\\\""); break;
    case '\\': fg_buf_adds(b, "\\\\"); break;
    case '\n': fg_buf_adds(b, "\\n"); break;
    case '\r': fg_buf_adds(b, "\\r"); break;
    case '\t': fg_buf_adds(b, "\\t"); break;
    default:
      if (*p < 0x20) fg_buf_addf(b, "\\u%04x", *p);
      else fg_buf_addc(b, (char)*p);
    }
  }
  fg_buf_addc(b, '"');
}

typedef struct fg_export_state {
  const fg_export_opts *o;
  fg_buf line;
  int64_t count;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *money, *head;
  uint32_t row;
  int sheets;
  int io_failed;
} fg_export_state;

static const char *fg_export_title(const fg_export_state *st, const char *rule) {
  const char *t = st->o->title_of ? st->o->title_of(rule) : NULL;
  return t ? t : "";
}

static int fg_export_csv_row(fg_export_state *st, const fg_store_finding *f, const char *ev) {
  char yuan[32], run[32];
  fg_fen_to_yuan(f->amount_fen, yuan, sizeof yuan);
  snprintf(run, sizeof run, "%lld", (long long)st->o->run_id);
  const char *cols[FG_EXPORT_COLS] = {f->rule,     f->subject_type, f->subject_id,
                                      yuan,        f->detail,       f->severity,
                                      fg_export_title(st, f->rule), ev, run};
  fg_buf_reset(&st->line);
  for (int i = 0; i < FG_EXPORT_COLS; i++) {
    if (i) fg_buf_addc(&st->line, ',');
    fg_export_csv_field(&st->line, cols[i]);
  }
  fg_buf_addc(&st->line, '\n');
  return fwrite(st->line.buf, 1, st->line.len, st->o->out) == st->line.len ? 0 : 1;
}

static int fg_export_jsonl_row(fg_export_state *st, const fg_store_finding *f, const char *ev) {
  char yuan[32];
  fg_fen_to_yuan(f->amount_fen, yuan, sizeof yuan);
  fg_buf *b = &st->line;
  fg_buf_reset(b);
  fg_buf_addf(b, "{\"run_id\":%lld,\"rule\":", (long long)st->o->run_id);
  fg_export_json_string(b, f->rule);
  fg_buf_adds(b, ",\"subject_type\":");
  fg_export_json_string(b, f->subject_type);
  fg_buf_adds(b, ",\"subject_id\":");
  fg_export_json_string(b, f->subject_id);
  fg_buf_addf(b, ",\"amount\":%s,\"amount_fen\":%lld,\"severity\":", yuan,
              (long long)f->amount_fen);
  fg_export_json_string(b, f->severity);
  fg_buf_adds(b, ",\"title_zh\":");
  fg_export_json_string(b, fg_export_title(st, f->rule));
  fg_buf_adds(b, ",\"detail\":");
  fg_export_json_string(b, f->detail);
  fg_buf_adds(b, ",\"evidence\":[");
  for (const char *p = ev; *p;) {
    const char *semi = strchr(p, ';');
    size_t n = semi ? (size_t)(semi - p) : strlen(p);
    char item[128];
    snprintf(item, sizeof item, "%.*s", (int)FG_MIN(n, sizeof item - 1), p);
    if (p != ev) fg_buf_addc(b, ',');
    fg_export_json_string(b, item);
    p += n + (semi ? 1 : 0);
  }
  fg_buf_adds(b, "]}\n");
  return fwrite(b->buf, 1, b->len, st->o->out) == b->len ? 0 : 1;
}

/* Start a new sheet with its header row. */
static int fg_export_xlsx_sheet(fg_export_state *st) {
  if (st->sheets >= FG_EXPORT_XLSX_SHEETS_MAX) return 1;
  char name[32];
  snprintf(name, sizeof name, st->sheets ? "疑点%d" : "疑点", st->sheets + 1);
  st->ws = workbook_add_worksheet(st->wb, name);
  if (!st->ws) return 1;
  st->sheets++;
  for (int c = 0; c < FG_EXPORT_COLS; c++)
    worksheet_write_string(st->ws, 0, (lxw_col_t)c, fg_export_titles_zh[c], st->head);
  worksheet_set_column(st->ws, 0, 0, 36, NULL);
  worksheet_set_column(st->ws, 2, 2, 24, NULL);
  worksheet_set_column(st->ws, 3, 3, 14, NULL);
  worksheet_set_column(st->ws, 4, 4, 60, NULL);
  worksheet_freeze_panes(st->ws, 1, 0);
  st->row = 1;
  return 0;
}

/* Excel cells hold at most 32767 characters: cut long text at a UTF-8
 * character boundary. */
static const char *fg_export_cell(const char *s, char *buf, size_t cap) {
  size_t n = strlen(s);
  if (n < cap) return s;
  n = cap - 4;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  memcpy(buf, s, n);
  memcpy(buf + n, "...", 4);
  return buf;
}

static int fg_export_xlsx_row(fg_export_state *st, const fg_store_finding *f, const char *ev) {
  static _Thread_local char cut1[FG_EXPORT_XLSX_CELL_MAX_BYTES], cut2[FG_EXPORT_XLSX_CELL_MAX_BYTES];
  if (st->row > FG_EXPORT_XLSX_ROWS_PER_SHEET && fg_export_xlsx_sheet(st)) return 1;
  lxw_worksheet *ws = st->ws;
  lxw_row_t r = st->row++;
  lxw_error e = worksheet_write_string(ws, r, 0, f->rule, NULL);
  if (!e) e = worksheet_write_string(ws, r, 1, f->subject_type, NULL);
  if (!e) e = worksheet_write_string(ws, r, 2, f->subject_id, NULL);
  if (!e) e = worksheet_write_number(ws, r, 3, (double)f->amount_fen / 100.0, st->money);
  if (!e) e = worksheet_write_string(ws, r, 4, fg_export_cell(f->detail, cut1, sizeof cut1), NULL);
  if (!e) e = worksheet_write_string(ws, r, 5, f->severity, NULL);
  if (!e) e = worksheet_write_string(ws, r, 6, fg_export_title(st, f->rule), NULL);
  if (!e) e = worksheet_write_string(ws, r, 7, fg_export_cell(ev, cut2, sizeof cut2), NULL);
  if (!e) e = worksheet_write_number(ws, r, 8, (double)st->o->run_id, NULL);
  return e == LXW_NO_ERROR ? 0 : 1;
}

static int fg_export_row(void *ud, int64_t finding_id, const fg_store_finding *f,
                         const char *evidence) {
  fg_export_state *st = ud;
  (void)finding_id;
  int failed = 0;
  switch (st->o->format) {
  case FG_EXPORT_CSV: failed = fg_export_csv_row(st, f, evidence); break;
  case FG_EXPORT_JSONL: failed = fg_export_jsonl_row(st, f, evidence); break;
  case FG_EXPORT_XLSX: failed = fg_export_xlsx_row(st, f, evidence); break;
  }
  if (failed) {
    st->io_failed = 1;
    return FG_EIO;
  }
  st->count++;
  return 0;
}

static int fg_export_xlsx_open(fg_export_state *st, fg_err *err) {
  st->wb = workbook_new(st->o->xlsx_path);
  if (!st->wb) return fg_errf(err, FG_EIO, "无法创建 %s", st->o->xlsx_path);
  st->money = workbook_add_format(st->wb);
  format_set_num_format(st->money, "0.00");
  st->head = workbook_add_format(st->wb);
  format_set_bold(st->head);
  if (fg_export_xlsx_sheet(st)) return fg_errf(err, FG_EIO, "无法创建工作表");
  return 0;
}

int fg_export_findings(fg_store *s, const fg_export_opts *o, int64_t *count, fg_err *err) {
  assert(s && o && count);
  assert(o->format == FG_EXPORT_XLSX ? o->xlsx_path != NULL : o->out != NULL);
  fg_export_state st = {.o = o};
  int rc = 0;
  if (o->format == FG_EXPORT_XLSX) rc = fg_export_xlsx_open(&st, err);
  else if (o->format == FG_EXPORT_CSV && fputs(fg_export_csv_header, o->out) == EOF)
    rc = fg_errf(err, FG_EIO, "写入失败 (write failed)");
  if (rc == 0) rc = fg_store_findings_each(s, o->run_id, o->rule, fg_export_row, &st, err);
  if (st.io_failed) rc = fg_errf(err, FG_EIO, "写入导出文件失败 (write failed)");
  if (st.wb) {
    lxw_error e = workbook_close(st.wb);
    if (rc == 0 && e != LXW_NO_ERROR)
      rc = fg_errf(err, FG_EIO, "无法写入 %s: %s", o->xlsx_path, lxw_strerror(e));
  }
  if (rc == 0 && o->out && fflush(o->out) != 0) rc = fg_errf(err, FG_EIO, "写入失败 (write failed)");
  fg_buf_free(&st.line);
  *count = st.count;
  return rc;
}
