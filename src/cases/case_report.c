/*
 * case_report.c — the documents of case work: the serious-case report
 * (要情报告, HTML for A4, GZ 31) and the monthly fund report (ZZ 三(四),
 * cases.md columns; CSV or HTML). Each document carries the case or month,
 * the date and the journal entry number that records it; it is written to
 * a temporary file and renamed (fsout.h) inside the transaction of that
 * entry, before it commits. The recovery notice (追回社会保险待遇告知书,
 * GZ 29(四)) is the third document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cases/cases_impl.h"
#include "common/fsout.h"
#include "journal/json.h"
#include "screen/export.h"
#include "screen/screen.h"

#define FG_REPORT_SCHEMES_MAX 16
#define FG_REPORT_COLS 13

const char fg_case_report_css[] =
    "<style>@page{size:A4;margin:20mm}body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',"
    "sans-serif;font-size:11pt}h1{text-align:center;font-size:16pt}table{border-collapse:"
    "collapse;width:100%}td,th{border:1px solid #000;padding:3px 5px;font-size:9pt}"
    "td.n{text-align:right}.meta{color:#333;font-size:9pt}</style>";

void fg_case_html_text(fg_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '<': fg_buf_adds(b, "&lt;"); break;
    case '>': fg_buf_adds(b, "&gt;"); break;
    case '&': fg_buf_adds(b, "&amp;"); break;
    case '"': fg_buf_adds(b, "&quot;"); break;
    default: fg_buf_addc(b, *s);
    }
  }
}

int fg_case_report_write(const char *path, const fg_buf *b, fg_err *err) {
  if (strcmp(path, "-") == 0) {
    fwrite(b->buf, 1, b->len, stdout);
    return fflush(stdout) == 0 ? 0 : fg_errf(err, FG_EIO, "写标准输出失败");
  }
  fg_fsout o;
  int rc = fg_fsout_open(&o, path, NULL, false, err);
  if (rc) return rc;
  if (fwrite(b->buf, 1, b->len, o.f) != b->len) {
    fg_fsout_abort(&o);
    return fg_errf(err, FG_EIO, "写入 %s 失败", path);
  }
  return fg_fsout_commit(&o, err);
}

/* A document's entry: begin, append action with payload (*seq: its number,
 * which the document prints); then fg_report_entry_end writes the document
 * (out to path; or, when out is NULL, the caller already wrote it) and
 * commits, or rolls back when anything failed (no entry without its file). */
int fg_case_doc_begin(fg_case_ctx *x, const char *action, const fg_buf *payload, int64_t *seq,
                      fg_err *err) {
  int rc = fg_store_begin(x->s, err);
  if (rc) return rc;
  rc = fg_journal_append(x->s, x->me, action, payload->buf, payload->len, seq, err);
  if (rc) fg_store_rollback(x->s);
  return rc;
}

int fg_case_doc_end(fg_case_ctx *x, int rc, const char *path, const fg_buf *out, fg_err *err) {
  if (rc == 0 && out != NULL) rc = fg_case_report_write(path, out, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  return rc;
}

/* The agency's name from agencies.csv ("" when not imported). */
static void fg_report_agency_name(fg_store *s, const char *agency, char *out, size_t n) {
  out[0] = '\0';
  fg_value key = {false, 0, agency, (int)strlen(agency)};
  int64_t rowid = 0;
  bool found = false;
  fg_err e = {0};
  fg_value vals[FG_MAX_COLS];
  if (fg_store_row_by_key(s, FG_T_AGENCIES, &key, &rowid, &found, &e) == 0 && found &&
      fg_store_get_row(s, FG_T_AGENCIES, rowid, vals, &found, &e) == 0 && found) {
    const int c = fg_schema_col(fg_schema_table(FG_T_AGENCIES), "name");
    if (c >= 0 && !vals[c].is_null) snprintf(out, n, "%.*s", vals[c].n, vals[c].s);
  }
}

/* ---- recovery notice (追回社会保险待遇告知书) ----------------------------------- */

static void fg_report_notice_html(const fg_case_view *v, const char *agency_name,
                                  const char *today, int64_t seq, fg_buf *b) {
  char due[32], bal[32], notice[11] = "", repay[11] = "";
  fg_fen_to_yuan(v->recovery_due_fen, due, sizeof due);
  fg_fen_to_yuan(fg_case_balance_fen(v), bal, sizeof bal);
  if (v->notice_on != FG_NODAY) fg_format_day(v->notice_on, notice);
  if (v->repay_due_on != FG_NODAY) fg_format_day(v->repay_due_on, repay);
  fg_buf_addf(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                 "<title>追回社会保险待遇告知书 案件 %lld</title>%s</head><body>"
                 "<h1>追回社会保险待遇告知书</h1><p class=\"meta\">案件编号 %lld · 告知日期 %s · "
                 "出具日期 %s · 日志记录 #%lld</p><p>",
              (long long)v->c.id, fg_case_report_css, (long long)v->c.id, notice, today, (long long)seq);
  fg_case_html_text(b, fg_export_subject_type_zh(v->c.subject_type));
  fg_buf_adds(b, " ");
  fg_case_html_text(b, v->c.subject_id);
  fg_buf_adds(b, "：</p><p>经核查，你（单位）不符合社会保险待遇领取条件而领取了待遇（");
  fg_case_html_text(b, v->c.rule);
  fg_buf_addf(b, "），依据《赣州市社会保险基金监督办法》第二十九条，本机构已暂停发放，"
                 "现告知你（单位）应退还 <b>%s 元</b>（尚未退还 %s 元），请于 <b>%s</b> 前退还。"
                 "逾期未退还的，可从个人账户余额、一次性待遇或恢复发放后一年内的定期待遇中抵扣；"
                 "金额较大或抵扣不足的，将依法稽核追缴。</p>",
              due, bal, repay);
  fg_buf_adds(b, "<table><tr><th>经办机构</th><td>");
  fg_case_html_text(b, v->c.agency);
  fg_buf_adds(b, " ");
  fg_case_html_text(b, agency_name);
  fg_buf_adds(b, "</td></tr><tr><th>承办人</th><td>");
  fg_case_html_text(b, v->assignee);
  fg_buf_addf(b, "</td></tr><tr><th>退还期限</th><td>%s（告知后 %s）</td></tr></table>"
                 "<p style=\"margin-top:30mm;text-align:right\">（经办机构盖章）<br>%s</p>"
                 "</body></html>\n",
              repay, "按工作日计算", today);
}

int fg_case_report_notice(fg_case_ctx *x, int64_t case_id, const char *path, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_RECOVERY_RECORD, NULL, &v, err);
  if (rc == 0 && !v.recovery_open) {
    fg_case_view_release(&v);
    rc = fg_errf(err, FG_EINPUT, "案件 #%lld 没有追回事项（须先定性为不符合待遇领取条件、金额较大或欺诈）",
                 (long long)case_id);
  }
  if (rc) return fg_case_refuse(x, "report_notice", case_id, err);
  char name[256], today[11];
  fg_report_agency_name(x->s, v.c.agency, name, sizeof name);
  fg_format_day(x->today, today);
  fg_buf p = FG_BUF_INIT, html = FG_BUF_INIT;
  fg_case_payload(&p, case_id, NULL);
  int64_t seq = 0;
  rc = fg_case_doc_begin(x, "report.notice", &p, &seq, err);
  if (rc == 0) {
    fg_report_notice_html(&v, name, today, seq, &html);
    rc = fg_case_doc_end(x, 0, path, &html, err);
  }
  fg_buf_release(&p);
  fg_buf_release(&html);
  fg_case_view_release(&v);
  return rc;
}

/* ---- serious-case report ------------------------------------------------------ */

static void fg_report_serious_html(const fg_case_view *v, const char *today, int64_t seq,
                                   const char *actor, fg_buf *b) {
  char yuan[32], due[11] = "";
  fg_fen_to_yuan(v->c.amount_fen, yuan, sizeof yuan);
  if (v->serious_due_on != FG_NODAY) fg_format_day(v->serious_due_on, due);
  fg_buf_addf(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                 "<title>要情报告 案件 %lld</title>%s</head><body>",
              (long long)v->c.id, fg_case_report_css);
  fg_buf_adds(b, "<h1>社会保险基金要情报告</h1><p class=\"meta\">案件编号 ");
  fg_buf_addf(b, "%lld · 报告日期 %s · 日志记录 #%lld · 报告人 ", (long long)v->c.id, today,
              (long long)seq);
  fg_case_html_text(b, actor);
  fg_buf_adds(b, "</p><table><tr><th>经办机构</th><td>");
  fg_case_html_text(b, v->c.agency);
  fg_buf_addf(b, "</td></tr><tr><th>规则</th><td>%s %s</td></tr><tr><th>对象</th><td>",
              v->c.rule, fg_rule_by_id(v->c.rule) ? fg_rule_by_id(v->c.rule)->title_zh : "");
  fg_case_html_text(b, fg_export_subject_type_zh(v->c.subject_type));
  fg_buf_adds(b, " ");
  fg_case_html_text(b, v->c.subject_id);
  fg_buf_addf(b, "</td></tr><tr><th>涉及金额</th><td>%s 元</td></tr>", yuan);
  fg_buf_addf(b, "<tr><th>下发日期</th><td>%s</td></tr><tr><th>状态</th><td>%s</td></tr>",
              v->c.issued_on, fg_case_state_zh(v->state));
  char marked[11] = "";
  if (v->serious_on != FG_NODAY) fg_format_day(v->serious_on, marked);
  fg_buf_addf(b, "<tr><th>标记要情日期</th><td>%s</td></tr><tr><th>报告期限（5 个工作日）</th>"
                 "<td>%s%s</td></tr></table>",
              marked, due, strcmp(today, due) > 0 ? "（逾期报告）" : "");
  fg_buf_adds(b, "<p>依据《赣州市社会保险基金监督办法》第三十一条报告。</p></body></html>\n");
}

int fg_case_report_serious(fg_case_ctx *x, int64_t case_id, const char *path, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_SERIOUS, FG_PERM_CASE_SERIOUS, &v, err);
  if (rc == 0 && v.serious_on == FG_NODAY) {
    fg_case_view_release(&v);
    rc = fg_errf(err, FG_EINPUT, "案件 #%lld 未标记为要情 (case serious)", (long long)case_id);
  }
  if (rc) return fg_case_refuse(x, "report_serious", case_id, err);
  char on[11];
  fg_format_day(x->today, on);
  fg_store_case_event e = {.case_id = case_id, .kind = "serious_report", .on_date = on,
                           .actor = x->me->actor};
  fg_buf p = FG_BUF_INIT, html = FG_BUF_INIT;
  fg_case_payload(&p, case_id, NULL);
  rc = fg_store_begin(x->s, err);
  int64_t seq = 0;
  if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0) {
    v.serious_reported_on = x->today;
    fg_report_serious_html(&v, on, seq, x->me->actor, &html);
    rc = fg_case_commit_event(x, "report.serious", &e, p.buf, NULL, err);
  }
  if (rc == 0) rc = fg_case_report_write(path, &html, err); /* before the commit: no entry without its file */
  if (rc == 0) rc = fg_store_commit(x->s, err);
  else fg_store_rollback(x->s);
  fg_buf_release(&p);
  fg_buf_release(&html);
  fg_case_view_release(&v);
  return rc;
}

/* ---- monthly fund report --------------------------------------------------- */

static const char *const fg_report_cols[FG_REPORT_COLS][2] = {
    {"scheme", "险种"},
    {"contributions", "征缴收入"},
    {"benefits", "待遇支付"},
    {"medical_fund_paid", "医保基金支付"},
    {"income_in", "收入户收入"},
    {"swept_to_fiscal", "归集至财政专户"},
    {"expenditure_out", "支出户支出"},
    {"income_balance", "收入户余额"},
    {"expenditure_balance", "支出户余额"},
    {"fiscal_balance", "财政专户余额"},
    {"cases_issued", "下发案件"},
    {"cases_closed", "办结案件"},
    {"recovered", "追回金额"},
};

typedef struct fg_report_row {
  char scheme[16];
  int64_t v[FG_REPORT_COLS]; /* v[0] unused */
} fg_report_row;

typedef struct fg_report {
  fg_report_row rows[FG_REPORT_SCHEMES_MAX + 1]; /* + "all" */
  int n;
  fg_day first, last;
  bool overflow;
} fg_report;

static fg_report_row *fg_report_scheme(fg_report *r, const char *scheme) {
  for (int i = 0; i < r->n; i++)
    if (strcmp(r->rows[i].scheme, scheme) == 0) return &r->rows[i];
  if (r->n == FG_REPORT_SCHEMES_MAX) {
    r->overflow = true;
    return NULL;
  }
  fg_report_row *x = &r->rows[r->n++];
  memset(x, 0, sizeof *x);
  snprintf(x->scheme, sizeof x->scheme, "%s", scheme);
  return x;
}

static int fg_report_metric(void *ud, const char *scheme, const char *metric, int64_t fen) {
  fg_report *r = ud;
  fg_report_row *x = fg_report_scheme(r, scheme);
  if (x == NULL) return 0;
  const char *name = strcmp(metric, "fiscal_special_balance") == 0 ? "fiscal_balance" : metric;
  for (int c = 1; c < FG_REPORT_COLS; c++)
    if (strcmp(fg_report_cols[c][0], name) == 0) x->v[c] += fen;
  return 0;
}

/* Cases: per case, its scheme; then the ledger's fold gives the dates. */
typedef struct fg_report_cases {
  fg_report *r;
  int64_t *ids;
  char (*schemes)[16];
  int64_t n, cap;
} fg_report_cases;

static int fg_report_case_scheme(void *ud, int64_t id, const char *scheme) {
  fg_report_cases *c = ud;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 256;
    c->ids = fg_xrealloc(c->ids, (size_t)c->cap * sizeof *c->ids);
    c->schemes = fg_xrealloc(c->schemes, (size_t)c->cap * sizeof *c->schemes);
  }
  c->ids[c->n] = id;
  snprintf(c->schemes[c->n++], 16, "%s", scheme);
  return 0;
}

static const char *fg_report_case_scheme_of(const fg_report_cases *c, int64_t id) {
  int64_t lo = 0, hi = c->n - 1;
  while (lo <= hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (c->ids[mid] == id) return c->schemes[mid];
    if (c->ids[mid] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

static void fg_report_count(fg_report *r, fg_report_row *all, const char *scheme, int col,
                            int64_t v) {
  all->v[col] += v;
  fg_report_row *x = scheme ? fg_report_scheme(r, scheme) : NULL;
  if (x) x->v[col] += v;
}

static int fg_report_case_one(void *ud, const fg_case_view *v) {
  fg_report_cases *c = ud;
  fg_report *r = c->r;
  fg_report_row *all = &r->rows[FG_REPORT_SCHEMES_MAX];
  const char *scheme = fg_report_case_scheme_of(c, v->c.id);
  if (v->issued_on >= r->first && v->issued_on <= r->last) fg_report_count(r, all, scheme, 10, 1);
  if (v->closed_on != FG_NODAY && v->closed_on >= r->first && v->closed_on <= r->last)
    fg_report_count(r, all, scheme, 11, 1);
  return 0;
}

/* recovered: receipts of recoveries (not penalties) recorded in the month. */
static int fg_report_receipt(void *ud, const fg_store_case_event *e) {
  fg_report_cases *c = ud;
  fg_report *r = c->r;
  fg_day on = FG_NODAY;
  if (strcmp(e->kind, "receipt") != 0 || e->penalty) return 0;
  if (!fg_parse_day(e->on_date, (int)strlen(e->on_date), &on) || on < r->first || on > r->last)
    return 0;
  fg_report_count(r, &r->rows[FG_REPORT_SCHEMES_MAX], fg_report_case_scheme_of(c, e->case_id), 12,
                  e->amount_fen);
  return 0;
}

static int fg_report_sort_cmp(const void *a, const void *b) {
  return strcmp(((const fg_report_row *)a)->scheme, ((const fg_report_row *)b)->scheme);
}

static int fg_report_gather(fg_case_ctx *x, fg_report *r, fg_err *err) {
  char first[11], last[11];
  fg_format_day(r->first, first);
  fg_format_day(r->last, last);
  int rc = fg_store_monthly_funds(x->s, first, last, fg_report_metric, r, err);
  fg_report_cases c = {r, NULL, NULL, 0, 0};
  if (rc == 0) rc = fg_store_case_schemes_each(x->s, fg_report_case_scheme, &c, err);
  fg_case_filter f = {0};
  if (rc == 0) rc = fg_case_ledger(x, &f, fg_report_case_one, &c, err);
  if (rc == 0) rc = fg_store_case_events_each(x->s, 0, fg_report_receipt, &c, err);
  free(c.ids);
  free(c.schemes);
  if (rc == 0 && r->overflow) rc = fg_errf(err, FG_ELIMIT, "险种超过 %d 个", FG_REPORT_SCHEMES_MAX);
  qsort(r->rows, (size_t)r->n, sizeof r->rows[0], fg_report_sort_cmp);
  /* the all row: money summed over the scheme rows; cases counted once each */
  fg_report_row *all = &r->rows[FG_REPORT_SCHEMES_MAX];
  snprintf(all->scheme, sizeof all->scheme, "all");
  for (int i = 0; i < r->n; i++)
    for (int k = 1; k < 10; k++) all->v[k] += r->rows[i].v[k];
  return rc;
}

static void fg_report_cell(char *out, size_t n, int col, int64_t v) {
  if (col == 10 || col == 11) snprintf(out, n, "%lld", (long long)v);
  else fg_fen_to_yuan(v, out, n);
}

static void fg_report_csv(const fg_report *r, fg_buf *b) {
  for (int c = 0; c < FG_REPORT_COLS; c++) fg_buf_addf(b, "%s%s", c ? "," : "", fg_report_cols[c][0]);
  fg_buf_addc(b, '\n');
  for (int i = 0; i <= r->n; i++) {
    const fg_report_row *x = i < r->n ? &r->rows[i] : &r->rows[FG_REPORT_SCHEMES_MAX];
    fg_buf_adds(b, x->scheme);
    for (int c = 1; c < FG_REPORT_COLS; c++) {
      char cell[32];
      fg_report_cell(cell, sizeof cell, c, x->v[c]);
      fg_buf_addf(b, ",%s", cell);
    }
    fg_buf_addc(b, '\n');
  }
}

/* The monthly report as xlsx: Chinese headers with the codes, frozen header
 * row, autofilter; amounts as numbers with two decimals. */
static int fg_report_xlsx(const fg_report *r, const char *month, const char *path, fg_err *err) {
  fg_fsout o;
  lxw_workbook *wb = fg_case_xlsx_open(path, &o, err);
  if (wb == NULL) return err->code ? err->code : FG_EIO;
  char title[32];
  snprintf(title, sizeof title, "月报 %s", month);
  lxw_worksheet *ws = workbook_add_worksheet(wb, title);
  lxw_format *head = workbook_add_format(wb), *money = workbook_add_format(wb);
  format_set_bold(head);
  format_set_num_format(money, "0.00");
  for (int c = 0; c < FG_REPORT_COLS; c++) {
    char t[64];
    snprintf(t, sizeof t, "%s %s", fg_report_cols[c][1], fg_report_cols[c][0]);
    worksheet_write_string(ws, 0, (lxw_col_t)c, t, head);
  }
  for (int i = 0; i <= r->n; i++) {
    const fg_report_row *x = i < r->n ? &r->rows[i] : &r->rows[FG_REPORT_SCHEMES_MAX];
    worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, x->scheme, NULL);
    for (int c = 1; c < FG_REPORT_COLS; c++)
      worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
                             c == 10 || c == 11 ? (double)x->v[c] : (double)x->v[c] / 100.0,
                             c == 10 || c == 11 ? NULL : money);
  }
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_autofilter(ws, 0, 0, (lxw_row_t)(r->n + 1), FG_REPORT_COLS - 1);
  return fg_case_xlsx_close(wb, &o, path, 0, err);
}

static void fg_report_html(const fg_report *r, const char *month, const char *today, int64_t seq,
                           const char *actor, const char *due, fg_buf *b) {
  fg_buf_addf(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                 "<title>社会保险基金月报 %s</title>%s</head><body><h1>社会保险基金月报（%s）</h1>"
                 "<p class=\"meta\">编制日期 %s · 日志记录 #%lld · 编制人 ",
              month, fg_case_report_css, month, today, (long long)seq);
  fg_case_html_text(b, actor);
  fg_buf_addf(b, " · 金额单位：元 · 报送期限 %s%s</p><table><tr>", due,
              strcmp(today, due) > 0 ? "（逾期报送）" : "");
  for (int c = 0; c < FG_REPORT_COLS; c++) fg_buf_addf(b, "<th>%s</th>", fg_report_cols[c][1]);
  fg_buf_adds(b, "</tr>");
  for (int i = 0; i <= r->n; i++) {
    const fg_report_row *x = i < r->n ? &r->rows[i] : &r->rows[FG_REPORT_SCHEMES_MAX];
    const char *label = fg_schema_code_label_zh("scheme", x->scheme);
    fg_buf_addf(b, "<tr><td>%s %s</td>", x->scheme, i < r->n ? (label ? label : "") : "合计");
    for (int c = 1; c < FG_REPORT_COLS; c++) {
      char cell[32];
      fg_report_cell(cell, sizeof cell, c, x->v[c]);
      fg_buf_addf(b, "<td class=\"n\">%s</td>", cell);
    }
    fg_buf_adds(b, "</tr>");
  }
  fg_buf_adds(b, "</table><p>依据《郑州市社会保险基金监督办法》三(四) 按月报送。</p></body></html>\n");
}

int fg_case_report_monthly(fg_case_ctx *x, fg_month month, fg_report_format fmt,
                           const char *path, fg_err *err) {
  FG_ASSERT(x != NULL && path != NULL);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_REPORT_MAKE, err);
  if (rc) return fg_case_refuse(x, "report_monthly", 0, err);
  fg_report *r = fg_xcalloc(1, sizeof *r);
  r->first = fg_month_first_day(month);
  r->last = fg_month_last_day(month);
  char mo[8], today[11], due[11];
  fg_format_month(month, mo);
  fg_format_day(x->today, today);
  /* ZZ 三(四): by the 15th of the following month, a calendar day */
  fg_format_day(fg_month_first_day(month + 1) + 14, due);
  rc = fg_report_gather(x, r, err);
  fg_buf p = FG_BUF_INIT, out = FG_BUF_INIT;
  static const char *const fmts[] = {"csv", "xlsx", "html"};
  fg_buf_addf(&p, "{\"due_on\":\"%s\",\"format\":\"%s\",\"late\":%s,\"month\":\"%s\",\"output\":",
              due, fmts[fmt], strcmp(today, due) > 0 ? "true" : "false", mo);
  fg_journal_json_add_str(&p, path, strlen(path));
  fg_buf_addc(&p, '}');
  int64_t seq = 0;
  if (rc == 0) rc = fg_case_doc_begin(x, "report.monthly", &p, &seq, err);
  if (rc == 0) {
    if (fmt == FG_REPORT_CSV) fg_report_csv(r, &out);
    else if (fmt == FG_REPORT_HTML) fg_report_html(r, mo, today, seq, x->me->actor, due, &out);
    else rc = fg_report_xlsx(r, mo, path, err);
    rc = fg_case_doc_end(x, rc, path, fmt == FG_REPORT_XLSX ? NULL : &out, err);
  }
  fg_buf_release(&p);
  fg_buf_release(&out);
  free(r);
  return rc;
}

/* ---- half-year summary (GZ 31) ---------------------------------------------- */

#define FG_HALF_AGENCIES_MAX 256

typedef struct fg_half_row {
  char agency[FG_STORE_AGENCY_MAX];
  int64_t issued, closed, serious, serious_late, amount_fen, recovered_fen, penalty_fen;
} fg_half_row;

typedef struct fg_half {
  fg_day first, last;
  fg_half_row rows[FG_HALF_AGENCIES_MAX + 1]; /* the last: all */
  int n;
} fg_half;

static void fg_half_add(fg_half_row *r, const fg_case_view *v) {
  r->issued++;
  r->closed += v->state == FG_CASE_CLOSED;
  r->serious += v->serious_on != FG_NODAY;
  r->serious_late += v->serious_late;
  r->amount_fen += v->c.amount_fen;
  r->recovered_fen += v->received_fen;
  r->penalty_fen += v->penalty_received_fen;
}

static int fg_half_one(void *ud, const fg_case_view *v) {
  fg_half *h = ud;
  if (v->issued_on < h->first || v->issued_on > h->last) return 0;
  int i = 0;
  while (i < h->n && strcmp(h->rows[i].agency, v->c.agency) != 0) i++;
  if (i == h->n && h->n < FG_HALF_AGENCIES_MAX)
    snprintf(h->rows[h->n++].agency, FG_STORE_AGENCY_MAX, "%s", v->c.agency);
  if (i < h->n) fg_half_add(&h->rows[i], v);
  fg_half_add(&h->rows[FG_HALF_AGENCIES_MAX], v);
  return 0;
}

int fg_case_report_half(fg_case_ctx *x, int year, int half, const char *path, fg_err *err) {
  FG_ASSERT(x != NULL && path != NULL && (half == 1 || half == 2));
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_REPORT_MAKE, err);
  if (rc) return fg_case_refuse(x, "report_half_year", 0, err);
  fg_half *h = fg_xcalloc(1, sizeof *h);
  h->first = fg_month_first_day(fg_month_from_ym(year, half == 1 ? 1 : 7));
  h->last = fg_month_last_day(fg_month_from_ym(year, half == 1 ? 6 : 12));
  snprintf(h->rows[FG_HALF_AGENCIES_MAX].agency, FG_STORE_AGENCY_MAX, "all");
  fg_case_filter f = {0};
  rc = fg_case_ledger(x, &f, fg_half_one, h, err);
  fg_buf out = FG_BUF_INIT, p = FG_BUF_INIT;
  fg_buf_adds(&out, "agency,cases_issued,cases_closed,serious,serious_late,amount,recovered,"
                    "penalties_received\n");
  for (int i = 0; i <= h->n; i++) {
    const fg_half_row *r = i < h->n ? &h->rows[i] : &h->rows[FG_HALF_AGENCIES_MAX];
    char a[32], b[32], c[32];
    fg_fen_to_yuan(r->amount_fen, a, sizeof a);
    fg_fen_to_yuan(r->recovered_fen, b, sizeof b);
    fg_fen_to_yuan(r->penalty_fen, c, sizeof c);
    fg_buf_addf(&out, "%s,%lld,%lld,%lld,%lld,%s,%s,%s\n", r->agency, (long long)r->issued,
                (long long)r->closed, (long long)r->serious, (long long)r->serious_late, a, b, c);
  }
  fg_buf_addf(&p, "{\"half\":\"%dH%d\",\"output\":", year, half);
  fg_journal_json_add_str(&p, path, strlen(path));
  fg_buf_addc(&p, '}');
  int64_t seq = 0;
  if (rc == 0) rc = fg_case_doc_begin(x, "report.half_year", &p, &seq, err);
  if (rc == 0) rc = fg_case_doc_end(x, 0, path, &out, err);
  fg_buf_release(&out);
  fg_buf_release(&p);
  free(h);
  return rc;
}
