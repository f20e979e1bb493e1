/*
 * export.c — the findings export of export.h: rows come from the store in
 * stored order (fg_store_findings_each) and go out as CSV, JSON Lines or an
 * Excel workbook. Exports are whole: they are for the people who must act
 * on the findings (rules.md "Findings export"); only a view on a terminal
 * (opts.terminal_view) masks personal ids (fg_export_mask_id). Every row
 * says whether its run is official or a what-if run (run_kind) and, in the
 * last column, whether the finding was judged normal through two-person
 * review (disposition: "" or dismissed_normal, store.h finding_dispositions).
 */
#include "screen/export_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define FG_EXPORT_XLSX_CELL_BYTES_MAX 32000 /* Excel's cell limit is 32767 chars */
#define FG_EXPORT_XLSX_ROWS_PER_SHEET (LXW_ROW_MAX - 1) /* one header row per sheet */
#define FG_EXPORT_XLSX_SHEETS_MAX 1000
#define FG_EXPORT_COLS 21
#define FG_EXPORT_DISP_SEP "\x1f" /* between rule and subject id in a lookup key */
#define FG_EXPORT_MASK_HEAD 6 /* 110101********123X */
#define FG_EXPORT_MASK_TAIL 4
#define FG_EXPORT_ID_LEN 18     /* GB 11643 citizen id: 17 digits + check char */
#define FG_EXPORT_ID_LEN_OLD 15 /* the first-generation 15-digit id */

static const char *const fg_export_csv_header =
    FG_EXPORT_CSV_BOM
    "rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_kind,run_id,"
    "disposition,severity_zh,subject_type_zh,run_kind_zh,name,region,unit_id,unit_name,"
    "finding_id,finding_no,continuity\n";
static const char *const fg_export_titles_zh[FG_EXPORT_COLS] = {
    "规则", "对象类型", "对象编号", "涉及金额(元)", "详情", "风险等级", "规则名称", "证据",
    "运行类型 run_kind", "运行编号", "处置 disposition", "风险等级（中文）", "对象类型（中文）",
    "运行类型（中文）", "姓名/名称", "行政区划", "机构编号", "机构名称", "疑点记录号",
    "疑点编号（跨运行不变）", "新增/延续 continuity"};

static const char *const fg_export_labels[][2] = {
    {"high", "高"},
    {"medium", "中"},
    {"low", "低"},
    {"person", "参保人"},
    {"settlement_id", "医疗结算单"},
    {"institution", "定点医药机构"},
    {"institution_id/invoice_no", "机构/发票号"},
    {"payment_id", "待遇支付"},
    {"bank_account", "银行账户"},
    {"account_no", "基金账户"},
    {"txn_id", "账户流水"},
    {"op_id", "经办操作"},
    {"staff_id", "经办人员"},
    {FG_EXPORT_OFFICIAL, "正式"},
    {FG_EXPORT_WHAT_IF, "假设分析"},
    {FG_EXPORT_PARTIAL, "部分规则"},
};

static const char *fg_export_label(const char *code) {
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_export_labels); i++)
    if (strcmp(fg_export_labels[i][0], code) == 0) return fg_export_labels[i][1];
  return code;
}

const char *fg_export_severity_zh(const char *s) { return fg_export_label(s); }
const char *fg_export_subject_type_zh(const char *s) { return fg_export_label(s); }
const char *fg_export_run_kind_zh(const char *s) { return fg_export_label(s); }

bool fg_export_in_list(const char *list, const char *item, bool prefix) {
  FG_ASSERT(list != NULL && item != NULL);
  const size_t n = strlen(item);
  for (const char *p = list; *p;) {
    const size_t len = strcspn(p, ",");
    if (len > 0 && (prefix ? len <= n : len == n) && strncmp(p, item, len) == 0) return true;
    p += len + (p[len] == ',');
  }
  return false;
}

bool fg_export_parse_format(const char *s, fg_export_format *out) {
  FG_ASSERT(out);
  if (!s) return false;
  if (strcmp(s, "csv") == 0) *out = FG_EXPORT_CSV;
  else if (strcmp(s, "jsonl") == 0) *out = FG_EXPORT_JSONL;
  else if (strcmp(s, "xlsx") == 0) *out = FG_EXPORT_XLSX;
  else return false;
  return true;
}

void fg_export_csv_field(fg_buf *b, const char *s) {
  FG_ASSERT(b && s);
  fg_csv_cell(b, s, strlen(s));
}

void fg_export_json_string(fg_buf *b, const char *s) {
  FG_ASSERT(b && s);
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

/* Byte length of the UTF-8 character starting at p (1 for a stray byte). */
static size_t fg_export_char_len(const unsigned char *p) {
  size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 1;
  return n;
}

void fg_export_mask_id(fg_buf *b, const char *id, size_t n) {
  FG_ASSERT(b && id);
  size_t chars = 0;
  for (size_t i = 0; i < n; i += fg_export_char_len((const unsigned char *)id + i)) chars++;
  const bool long_id = chars > FG_EXPORT_MASK_HEAD + FG_EXPORT_MASK_TAIL;
  const size_t head = long_id ? FG_EXPORT_MASK_HEAD : chars / 4;
  const size_t tail = long_id ? FG_EXPORT_MASK_TAIL : chars / 4;
  size_t c = 0;
  for (size_t i = 0; i < n; c++) {
    size_t len = fg_export_char_len((const unsigned char *)id + i);
    if (c < head || c >= chars - tail) fg_buf_add(b, id + i, len);
    else fg_buf_addc(b, '*');
    i += len;
  }
}

/* Length of a resident id number at p (18: 17 digits + digit or X; 15
 * digits), or 0. */
static size_t fg_export_id_at(const char *p) {
  size_t d = 0;
  while (d < FG_EXPORT_ID_LEN && isdigit((unsigned char)p[d])) d++;
  size_t n = d;
  if (d == FG_EXPORT_ID_LEN - 1 && (p[d] == 'X' || p[d] == 'x')) n = FG_EXPORT_ID_LEN;
  if (n != FG_EXPORT_ID_LEN && n != FG_EXPORT_ID_LEN_OLD) return 0;
  return isalnum((unsigned char)p[n]) ? 0 : n;
}

void fg_export_mask_text(fg_buf *b, const char *s) {
  FG_ASSERT(b && s);
  for (const char *p = s; *p;) {
    size_t n = (p == s || !isalnum((unsigned char)p[-1])) ? fg_export_id_at(p) : 0;
    if (n) {
      fg_export_mask_id(b, p, n);
      p += n;
    } else { /* up to the next place an id could start, in one piece */
      const char *q = p + 1;
      while (*q && (isalnum((unsigned char)q[-1]) || !isdigit((unsigned char)*q))) q++;
      fg_buf_add(b, p, (size_t)(q - p));
      p = q;
    }
  }
}

/* The dispositions of a run: "rule\x1fsubject_id" keys, sorted. */
typedef struct fg_export_disp {
  char **keys;
  size_t n, cap;
} fg_export_disp;

/* Each finding's stable number and whether the previous official run
 * raised it too, by finding id (ascending, as the store gives them). */
typedef struct fg_export_num {
  int64_t id, no;
  bool carried;
} fg_export_num;
typedef struct fg_export_nums {
  fg_export_num *v;
  int64_t n, cap;
} fg_export_nums;

typedef struct fg_export_state {
  const fg_export_opts *o;
  fg_export_subjects subjects;
  const fg_export_subject *who; /* of the row being written, or NULL */
  int64_t finding_id;           /* of the row being written (finding show ID) */
  fg_export_disp disp;
  const char *run_kind; /* "official" | "what-if" */
  fg_buf line, masked_id, masked_detail;
  int64_t count;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *money, *head;
  uint32_t row;
  int sheets;
  int io_failed;
  const char *disposition; /* of the row being written */
  fg_export_nums nums;
  int64_t finding_no;      /* of the row being written; 0 when not numbered */
  const char *continuity;  /* "new" | "carried" | "resolved" */
  int64_t *resolved;       /* o->resolved: the ids to write (ascending) */
  int64_t nresolved;
} fg_export_state;

static bool fg_export_is_resolved(const fg_export_state *st, int64_t id) {
  int64_t lo = 0, hi = st->nresolved - 1;
  while (lo <= hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (st->resolved[mid] == id) return true;
    if (st->resolved[mid] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

static int fg_export_num_add(void *ud, const fg_store_numbered *x) {
  fg_export_nums *n = ud;
  if (n->n == n->cap) {
    n->cap = n->cap ? 2 * n->cap : 256;
    n->v = fg_xrealloc(n->v, (size_t)n->cap * sizeof *n->v);
  }
  n->v[n->n++] = (fg_export_num){x->finding_id, x->finding_no, x->carried};
  return 0;
}

static const fg_export_num *fg_export_num_of(const fg_export_nums *n, int64_t id) {
  int64_t lo = 0, hi = n->n - 1;
  while (lo <= hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (n->v[mid].id == id) return &n->v[mid];
    if (n->v[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

static int fg_export_disp_add(void *ud, const fg_store_disposition *d) {
  fg_export_disp *x = ud;
  if (strcmp(d->disposition, FG_STORE_DISPOSITION_DISMISSED) != 0) return 0;
  if (x->n == x->cap) {
    x->cap = x->cap ? 2 * x->cap : 16;
    x->keys = fg_xrealloc(x->keys, x->cap * sizeof *x->keys);
  }
  fg_buf k = FG_BUF_INIT;
  fg_buf_addf(&k, "%s" FG_EXPORT_DISP_SEP "%s", d->rule, d->subject_id);
  x->keys[x->n++] = fg_buf_detach(&k);
  return 0;
}

static int fg_export_disp_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void fg_export_disp_free(fg_export_disp *x) {
  for (size_t i = 0; i < x->n; i++) free(x->keys[i]);
  free(x->keys);
  memset(x, 0, sizeof *x);
}

/* "dismissed_normal" when the finding (rule, subject_id) of the run was
 * judged normal, else "". */
static const char *fg_export_disposition(const fg_export_state *st, const fg_store_finding *f) {
  if (st->disp.n == 0) return "";
  fg_buf k = FG_BUF_INIT;
  fg_buf_addf(&k, "%s" FG_EXPORT_DISP_SEP "%s", f->rule, f->subject_id);
  const char *key = k.buf;
  bool hit = bsearch(&key, st->disp.keys, st->disp.n, sizeof *st->disp.keys,
                     fg_export_disp_cmp) != NULL;
  fg_buf_release(&k);
  return hit ? FG_STORE_DISPOSITION_DISMISSED : "";
}

static const char *fg_export_title(const fg_export_state *st, const char *rule) {
  const char *t = st->o->title_of ? st->o->title_of(rule) : NULL;
  return t ? t : "";
}

static int fg_export_csv_row(fg_export_state *st, const fg_store_finding *f, const char *ev) {
  char yuan[32], run[32], fid[32], fno[32];
  snprintf(fid, sizeof fid, "%lld", (long long)st->finding_id);
  snprintf(fno, sizeof fno, "%lld", (long long)st->finding_no);
  fg_fen_to_yuan(f->amount_fen, yuan, sizeof yuan);
  snprintf(run, sizeof run, "%lld", (long long)st->o->run_id);
  const fg_export_subject *w = st->who;
  const char *cols[FG_EXPORT_COLS] = {
      f->rule, f->subject_type, f->subject_id, yuan, f->detail, f->severity,
      fg_export_title(st, f->rule), ev, st->run_kind, run, st->disposition,
      fg_export_severity_zh(f->severity), fg_export_subject_type_zh(f->subject_type),
      fg_export_run_kind_zh(st->run_kind), w && w->name ? w->name : "",
      w && w->region ? w->region : "", w && w->unit_id ? w->unit_id : "",
      w && w->unit_name ? w->unit_name : "", fid, fno, st->continuity};
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
  fg_buf_addf(b, "{\"run_id\":%lld,\"run_kind\":\"%s\",\"rule\":", (long long)st->o->run_id,
              st->run_kind);
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
  fg_buf_adds(b, "],\"disposition\":");
  fg_export_json_string(b, st->disposition);
  const fg_export_subject *w = st->who;
  const char *const extra[][2] = {{"severity_zh", fg_export_severity_zh(f->severity)},
                                  {"subject_type_zh", fg_export_subject_type_zh(f->subject_type)},
                                  {"run_kind_zh", fg_export_run_kind_zh(st->run_kind)},
                                  {"name", w && w->name ? w->name : ""},
                                  {"region", w && w->region ? w->region : ""},
                                  {"unit_id", w && w->unit_id ? w->unit_id : ""},
                                  {"unit_name", w && w->unit_name ? w->unit_name : ""}};
  for (size_t i = 0; i < FG_ARRAY_LEN(extra); i++) {
    fg_buf_addf(b, ",\"%s\":", extra[i][0]);
    fg_export_json_string(b, extra[i][1]);
  }
  fg_buf_addf(b, ",\"finding_id\":%lld,\"finding_no\":%lld,\"continuity\":\"%s\"",
              (long long)st->finding_id, (long long)st->finding_no, st->continuity);
  fg_buf_adds(b, "}\n");
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
  static _Thread_local char cut1[FG_EXPORT_XLSX_CELL_BYTES_MAX], cut2[FG_EXPORT_XLSX_CELL_BYTES_MAX];
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
  if (!e) e = worksheet_write_string(ws, r, 8, st->run_kind, NULL);
  if (!e) e = worksheet_write_number(ws, r, 9, (double)st->o->run_id, NULL);
  if (!e) e = worksheet_write_string(ws, r, 10, st->disposition, NULL);
  const fg_export_subject *w = st->who;
  const char *const extra[7] = {fg_export_severity_zh(f->severity),
                                fg_export_subject_type_zh(f->subject_type),
                                fg_export_run_kind_zh(st->run_kind),
                                w && w->name ? w->name : "",
                                w && w->region ? w->region : "",
                                w && w->unit_id ? w->unit_id : "",
                                w && w->unit_name ? w->unit_name : ""};
  for (int k = 0; k < 7 && !e; k++)
    e = worksheet_write_string(ws, r, (lxw_col_t)(11 + k), extra[k], NULL);
  if (!e) e = worksheet_write_number(ws, r, 18, (double)st->finding_id, NULL);
  if (!e) e = worksheet_write_number(ws, r, 19, (double)st->finding_no, NULL);
  if (!e) e = worksheet_write_string(ws, r, 20, st->continuity, NULL);
  return e == LXW_NO_ERROR ? 0 : 1;
}

static int fg_export_row(void *ud, int64_t finding_id, const fg_store_finding *f,
                         const char *evidence) {
  fg_export_state *st = ud;
  st->finding_id = finding_id;
  const fg_export_opts *o = st->o;
  if (o->resolved && !fg_export_is_resolved(st, finding_id)) return 0;
  st->who = fg_export_subject_of(&st->subjects, f->subject_type, f->subject_id);
  if ((o->rule && !fg_export_in_list(o->rule, f->rule, false)) ||
      (o->severity && !fg_export_in_list(o->severity, f->severity, false)) ||
      (o->region && !(st->who && st->who->region && fg_export_in_list(o->region, st->who->region, true))) ||
      (o->institution &&
       !(st->who && st->who->unit_id && fg_export_in_list(o->institution, st->who->unit_id, false))))
    return 0; /* filtered out */
  st->disposition = fg_export_disposition(st, f); /* looked up by the id as stored */
  const fg_export_num *num = fg_export_num_of(&st->nums, finding_id);
  st->finding_no = num ? num->no : 0;
  st->continuity = o->resolved ? "resolved" : num && num->carried ? "carried" : "new";
  fg_store_finding view;
  if (st->o->terminal_view) { /* a view on screen: personal ids masked */
    view = *f;
    fg_buf_reset(&st->masked_id);
    fg_buf_reset(&st->masked_detail);
    if (strcmp(f->subject_type, FG_EXPORT_PERSON) == 0)
      fg_export_mask_id(&st->masked_id, f->subject_id, strlen(f->subject_id));
    else
      fg_buf_adds(&st->masked_id, f->subject_id);
    fg_export_mask_text(&st->masked_detail, f->detail);
    fg_buf_add(&st->masked_id, "", 0); /* NUL-terminated even when empty */
    fg_buf_add(&st->masked_detail, "", 0);
    view.subject_id = st->masked_id.buf;
    view.detail = st->masked_detail.buf;
    f = &view;
  }
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

int fg_export_run_kind(fg_store *s, int64_t run_id, const char **kind, fg_err *err) {
  FG_ASSERT(s && kind);
  fg_store_run r;
  bool found = false;
  int rc = fg_store_run_get(s, run_id, &r, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EINPUT, "没有编号为 %lld 的筛查运行 (no run %lld)",
                             (long long)run_id, (long long)run_id);
  *kind = !r.official ? FG_EXPORT_WHAT_IF : r.partial ? FG_EXPORT_PARTIAL : FG_EXPORT_OFFICIAL;
  fg_store_run_release(&r);
  return 0;
}

int fg_export_findings(fg_store *s, const fg_export_opts *o_in, int64_t *count, fg_err *err) {
  FG_ASSERT(s && o_in && count);
  fg_export_opts resolved_opts = *o_in;
  int64_t *resolved = NULL, nresolved = 0;
  if (o_in->resolved) { /* the previous official run's findings this run no longer raises */
    int64_t prev = 0;
    int rc = fg_store_resolved_ids(s, o_in->run_id, &prev, &resolved, &nresolved, err);
    if (rc == 0 && prev == 0)
      rc = fg_errf(err, FG_EINPUT, "运行 #%lld 之前没有正式筛查，无已消除的疑点", (long long)o_in->run_id);
    if (rc) {
      free(resolved);
      return rc;
    }
    resolved_opts.run_id = prev;
  }
  const fg_export_opts *o = &resolved_opts;
  FG_ASSERT(o->format == FG_EXPORT_XLSX ? o->xlsx_path != NULL : o->out != NULL);
  FG_ASSERT(!(o->terminal_view && o->format == FG_EXPORT_XLSX));
  fg_export_state st = {.o = o, .resolved = resolved, .nresolved = nresolved};
  int rc = fg_export_run_kind(s, o->run_id, &st.run_kind, err);
  if (rc == 0) rc = fg_store_dispositions_each(s, o->run_id, fg_export_disp_add, &st.disp, err);
  if (rc == 0 && st.disp.n > 1)
    qsort(st.disp.keys, st.disp.n, sizeof *st.disp.keys, fg_export_disp_cmp);
  if (rc == 0 && o->format == FG_EXPORT_XLSX) rc = fg_export_xlsx_open(&st, err);
  else if (o->format == FG_EXPORT_CSV &&
           fputs(fg_export_csv_header + (o->terminal_view ? strlen(FG_EXPORT_CSV_BOM) : 0),
                 o->out) == EOF)
    rc = fg_errf(err, FG_EIO, "写入失败 (write failed)");
  if (rc == 0) rc = fg_export_subjects_load(s, o->run_id, &st.subjects, err);
  if (rc == 0) rc = fg_store_run_findings_numbered(s, o->run_id, fg_export_num_add, &st.nums, err);
  /* one rule: the store filters; a list: the row callback does */
  const char *one = o->rule && !strchr(o->rule, ',') ? o->rule : NULL;
  if (rc == 0) rc = fg_store_findings_each(s, o->run_id, one, fg_export_row, &st, err);
  fg_export_subjects_release(&st.subjects);
  if (st.io_failed) rc = fg_errf(err, FG_EIO, "写入导出文件失败 (write failed)");
  if (st.wb) {
    lxw_error e = workbook_close(st.wb);
    if (rc == 0 && e != LXW_NO_ERROR)
      rc = fg_errf(err, FG_EIO, "无法写入 %s: %s", o->xlsx_path, lxw_strerror(e));
  }
  if (rc == 0 && o->out && fflush(o->out) != 0) rc = fg_errf(err, FG_EIO, "写入失败 (write failed)");
  fg_buf_release(&st.line);
  fg_buf_release(&st.masked_id);
  fg_buf_release(&st.masked_detail);
  fg_export_disp_free(&st.disp);
  free(st.nums.v);
  free(resolved);
  *count = st.count;
  return rc;
}
