/*
 * api_work.c — the rest of case work over HTTP (web.md; cases.md): money
 * (receipts, deposits, write-off and penalty proposals), serious cases and
 * the case documents, on-site inspections and the rectification ledger,
 * the whistleblower desk, proposals made from the browser (configuration,
 * dismissal, amendment, users and roles), the half-year report, and the
 * journal's list and verification.
 *
 * Every endpoint is a thin front end, as the command line is: it reads the
 * request, calls the same fg_case_* / fg_inspect_* / fg_tip_* / fg_review_*
 * function with the session's signer, and turns the result into JSON (or a
 * file). The permission, the agency scope and the journal entry are the
 * library's, so a refusal here is the refusal the terminal gives.
 *
 * Files a library function reads or writes by path (evidence, attachments,
 * HTML documents, spreadsheets) go through a private temporary directory
 * that is removed before the answer leaves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "actions/actions.h"
#include "cases/cases.h"
#include "common/date.h"
#include "common/fsout.h"
#include "fields/fields.h"
#include "http/http_impl.h"
#include "journal/json.h"
#include "screen/export.h"

enum {
  FG_APIW_DOC_BYTES_MAX = 64 << 20,   /* an HTML document or a spreadsheet answered */
  FG_APIW_CSV_ROWS_MAX = 1000000,     /* rows of a library CSV turned into JSON */
};

/* ---- small helpers ----------------------------------------------------------------- */

static int fg_apiw_ctx(fg_http_req *r, fg_case_ctx *x, fg_err *err) {
  return fg_case_ctx_init(x, r->srv->s, r->srv->cfg, &r->sess->me, err);
}

/* Answer with the file the library wrote (rc its result); download names
 * the attachment (NULL: shown inline, as an HTML page to print). */
static int fg_apiw_send_file(fg_http_req *r, fg_http_tmp *t, int rc, fg_err *err, const char *ctype,
                             const char *download) {
  if (rc == 0) return fg_http_send_tmp(r, t, FG_APIW_DOC_BYTES_MAX, ctype, download);
  fg_http_tmp_remove(t);
  if (strstr(err->msg, "不存在") || strstr(err->msg, "没有")) return fg_http_error(r, 404, "not_found", NULL, "%s", err->msg);
  return fg_http_fail(r, rc, err);
}

#define FG_APIW_HTML "text/html; charset=utf-8"

/* A money amount in yuan ("1234.50"); absent: *fen = -1 and true. */
static bool fg_apiw_yuan(const fg_journal_json *v, const char *key, int64_t *fen) {
  const char *s = fg_http_jstr(v, key);
  *fen = -1;
  if (s == NULL) return fg_journal_json_get(v, key) == NULL;
  return fg_parse_money(s, strlen(s), fen) && *fen >= 0;
}

/* A calendar date "YYYY-MM-DD" (a fact's date, never the act's). */
static bool fg_apiw_day(const fg_journal_json *v, const char *key, fg_day *d) {
  const char *s = fg_http_jstr(v, key);
  return s != NULL && strlen(s) == 10 && fg_parse_day(s, 10, d);
}

static bool fg_apiw_bool(const fg_journal_json *v, const char *key) {
  const fg_journal_json *b = fg_journal_json_get(v, key);
  return b && b->type == FG_JSON_BOOL && b->b;
}

/* A positive whole number given as a JSON number or a digit string. */
static bool fg_apiw_int(const fg_journal_json *v, const char *key, int64_t lo, int64_t hi, int64_t *out) {
  const fg_journal_json *x = fg_journal_json_get(v, key);
  if (x && x->type == FG_JSON_INT && !x->neg && x->i >= lo && x->i <= hi) return (*out = x->i), true;
  if (x == NULL || x->type != FG_JSON_STR || x->len == 0 || x->len > 12) return false;
  int64_t n = 0;
  for (size_t i = 0; i < x->len; i++) {
    if (x->s[i] < '0' || x->s[i] > '9') return false;
    n = n * 10 + (x->s[i] - '0');
  }
  if (n < lo || n > hi) return false;
  *out = n;
  return true;
}

/* The library's refusal, with "no such …" as 404. */
static int fg_apiw_fail(fg_http_req *r, int rc, const fg_err *err) {
  if (strstr(err->msg, "不存在") || strstr(err->msg, "没有案件") || strstr(err->msg, "没有检查"))
    return fg_http_error(r, 404, "not_found", NULL, "%s", err->msg);
  return fg_http_fail(r, rc, err);
}

/* {"id": N, "proposal": P, ...} */
static int fg_apiw_done(fg_http_req *r, int status, const char *k1, int64_t v1, const char *k2, int64_t v2) {
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, k1, v1);
  if (k2) fg_http_jint(&r->out, &f, k2, v2);
  fg_buf_addc(&r->out, '}');
  return fg_http_json(r, status);
}

/* Write a file sent in a JSON body (name + base64) into t; the name's last
 * part only, as a file name. false with the 400 answered. */
static bool fg_apiw_upload(fg_http_req *r, const fg_journal_json *v, const char *name_key,
                           const char *data_key, fg_http_tmp *t) {
  const char *name = fg_http_jstr(v, name_key), *b64 = fg_http_jstr(v, data_key);
  if (name == NULL || b64 == NULL || name[0] == '\0') {
    fg_http_error(r, 400, "bad_input", data_key, "缺少文件：%s（文件名）与 %s（base64 内容）", name_key, data_key);
    return false;
  }
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  if (base[0] == '\0' || base[0] == '.' || strlen(base) > 100 || strchr(base, '\\')) {
    fg_http_error(r, 400, "bad_input", name_key, "文件名不可用 (%.60s)", name);
    return false;
  }
  const size_t cap = strlen(b64) / 4 * 3 + 3;
  unsigned char *bytes = fg_xmalloc(cap + 1);
  size_t n = 0;
  if (sodium_base642bin(bytes, cap, b64, strlen(b64), " \n\r", &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
    free(bytes);
    fg_http_error(r, 400, "bad_input", data_key, "%s 应为 base64 编码的文件内容", data_key);
    return false;
  }
  if (!fg_http_tmp_make(r, t, base)) {
    free(bytes);
    return false;
  }
  FILE *fp = fopen(t->path, "wb");
  const bool ok = fp && fwrite(bytes, 1, n, fp) == n;
  if (fp && fclose(fp) != 0) fp = NULL;
  free(bytes);
  if (!ok || fp == NULL) {
    fg_http_tmp_remove(t);
    fg_http_error(r, 500, "internal", NULL, "无法写入临时文件");
    return false;
  }
  return true;
}

/* ---- a CSV the library made, as a JSON list (or as it is) ---------------------------- */

/* One RFC 4180 field of s at *i into out; returns the char after it. */
static char fg_apiw_csv_field(const char *s, size_t n, size_t *i, fg_buf *out) {
  fg_buf_reset(out);
  if (*i < n && s[*i] == '"') {
    (*i)++;
    while (*i < n) {
      if (s[*i] == '"' && *i + 1 < n && s[*i + 1] == '"') {
        fg_buf_addc(out, '"');
        *i += 2;
      } else if (s[*i] == '"') {
        (*i)++;
        break;
      } else {
        fg_buf_addc(out, s[(*i)++]);
      }
    }
  } else {
    while (*i < n && s[*i] != ',' && s[*i] != '\n' && s[*i] != '\r') fg_buf_addc(out, s[(*i)++]);
  }
  if (*i < n && s[*i] == '\r') (*i)++;
  return *i < n ? s[(*i)++] : '\n';
}

/* csv (header line, then rows) as {"items":[{header: value}...],"next","total"}
 * paged by row number; format=csv answers csv itself (with a BOM, for
 * Excel), format=xlsx is the caller's. mask: resident ids masked. */
static int fg_apiw_csv_answer(fg_http_req *r, const fg_buf *csv, const char *download, bool mask) {
  const char *format = fg_http_query(r, "format");
  if (format && strcmp(format, "csv") == 0) {
    fg_buf_adds(&r->out, FG_EXPORT_CSV_BOM);
    if (mask) fg_export_mask_text(&r->out, csv->buf ? csv->buf : "");
    else fg_buf_add(&r->out, csv->buf, csv->len);
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", download);
    return 0;
  }
  if (format && strcmp(format, "json") != 0)
    return fg_http_error(r, 400, "bad_input", "format", "format 应为 json、csv 或 xlsx (%.16s)", format);
  int limit;
  int64_t after;
  if (!fg_http_paging(r, &limit, &after)) return 0;
  enum { COLS_MAX = 32 };
  char *head[COLS_MAX];
  int ncols = 0;
  size_t i = 0;
  const char *s = csv->buf ? csv->buf : "";
  const size_t n = csv->len;
  fg_buf cell = FG_BUF_INIT, m = FG_BUF_INIT;
  for (char end = ','; end == ',' && i < n && ncols < COLS_MAX;) {
    end = fg_apiw_csv_field(s, n, &i, &cell);
    head[ncols++] = fg_xstrdup(cell.buf ? cell.buf : "");
  }
  fg_buf_adds(&r->out, "{\"items\":[");
  int64_t row = 0, last = 0;
  int shown = 0;
  bool more = false;
  while (i < n && row < FG_APIW_CSV_ROWS_MAX) {
    row++;
    const bool emit = row > after && shown < limit;
    if (row > after && shown == limit) more = true;
    if (emit) fg_buf_adds(&r->out, shown++ ? ",{" : "{");
    char end = ',';
    for (int c = 0; end == ',' && i < n; c++) {
      end = fg_apiw_csv_field(s, n, &i, &cell);
      if (!emit || c >= ncols) continue;
      if (c) fg_buf_addc(&r->out, ',');
      fg_journal_json_add_str(&r->out, head[c], strlen(head[c]));
      fg_buf_addc(&r->out, ':');
      fg_buf_reset(&m);
      if (mask) fg_export_mask_text(&m, cell.buf ? cell.buf : "");
      else fg_buf_add(&m, cell.buf ? cell.buf : "", cell.len);
      fg_journal_json_add_str(&r->out, m.buf ? m.buf : "", m.len);
    }
    if (emit) {
      fg_buf_addc(&r->out, '}');
      last = row;
    }
  }
  fg_buf_adds(&r->out, "],\"next\":");
  if (more) fg_buf_addf(&r->out, "\"%lld\"", (long long)last);
  else fg_buf_adds(&r->out, "null");
  fg_buf_addf(&r->out, ",\"total\":%lld}", (long long)row);
  for (int c = 0; c < ncols; c++) free(head[c]);
  fg_buf_release(&cell);
  fg_buf_release(&m);
  return fg_http_json(r, 200);
}

/* ---- money: receipts, deposits, write-offs, penalties -------------------------------- */

/* POST /cases/{id}/payments {amount, on, how, penalty?}
 * POST /cases/{id}/deposits {amount, on, account, penalty?} */
int fg_http_api_case_money(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  const bool pay = strcmp(r->seg[4], "payments") == 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  int64_t fen;
  fg_day on;
  const char *how = fg_http_jstr(v, pay ? "how" : "account");
  int rc = 0;
  if (!fg_apiw_yuan(v, "amount", &fen) || fen <= 0)
    rc = fg_http_error(r, 400, "bad_input", "amount", "amount 应为正的金额（元），如 \"1234.50\"");
  else if (!fg_apiw_day(v, "on", &on))
    rc = fg_http_error(r, 400, "bad_input", "on", "on 应为到账日期 YYYY-MM-DD");
  else if (how == NULL || how[0] == '\0')
    rc = fg_http_error(r, 400, "bad_input", pay ? "how" : "account",
                       pay ? "how 应为 cash、transfer、offset_account、offset_lump_sum 或 offset_benefit"
                           : "缺少基金账户 (account)");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  rc = fg_apiw_ctx(r, &x, &err);
  const bool penalty = fg_apiw_bool(v, "penalty");
  if (rc == 0)
    rc = pay ? fg_case_pay(&x, id, fen, on, how, penalty, &err) : fg_case_deposit(&x, id, fen, on, how, penalty, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  fg_case_view cv;
  bool found = false;
  rc = fg_case_load(&x, id, &cv, &found, &err);
  if (rc || !found) return fg_http_fail(r, rc ? rc : FG_EDB, &err);
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "case", id);
  fg_http_jyuan(&r->out, &f, "received", cv.received_fen);
  fg_http_jyuan(&r->out, &f, "balance", fg_case_balance_fen(&cv));
  fg_http_jyuan(&r->out, &f, "undeposited", fg_case_undeposited_fen(&cv, penalty));
  fg_buf_addc(&r->out, '}');
  fg_case_view_release(&cv);
  return fg_http_json(r, 201);
}

/* POST /cases/{id}/writeoff {amount, reason}
 * POST /cases/{id}/penalty {basis, amount, base?, reason} — proposals */
int fg_http_api_case_propose(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  const bool writeoff = strcmp(r->seg[4], "writeoff") == 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  int64_t fen, base = -1;
  const char *reason = fg_http_jstr(v, "reason"), *basis = fg_http_jstr(v, "basis");
  int rc = 0;
  if (!fg_apiw_yuan(v, "amount", &fen) || fen <= 0)
    rc = fg_http_error(r, 400, "bad_input", "amount", "amount 应为正的金额（元）");
  else if (!writeoff && !fg_apiw_yuan(v, "base", &base))
    rc = fg_http_error(r, 400, "bad_input", "base", "base 应为金额（元）");
  else if (!writeoff && (basis == NULL || basis[0] == '\0'))
    rc = fg_http_error(r, 400, "bad_input", "basis", "basis 应为 fraud、evasion 或 obstruction");
  else if (reason == NULL || reason[0] == '\0')
    rc = fg_http_error(r, 400, "bad_input", "reason", "须写明理由 (reason)");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t pid = 0;
  rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0)
    rc = writeoff ? fg_case_propose_writeoff(&x, id, fen, reason, &pid, &err)
                  : fg_case_propose_penalty(&x, id, basis, fen, base < 0 ? 0 : base, reason, &pid, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "case", id, "proposal", pid);
}

/* POST /cases/{id}/serious {text} */
int fg_http_api_case_serious(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *text = fg_http_jstr(v, "text");
  if (text == NULL || text[0] == '\0') {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "text", "缺少要情说明 (text)");
  }
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_serious(&x, id, text, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 200, "case", id, NULL, 0);
}

/* POST /cases/{id}/attachments {name, content_base64, text} — a note with
 * an attached file (the command line's note --attach). */
int fg_http_api_case_attach(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *text = fg_http_jstr(v, "text");
  fg_http_tmp t;
  if (text == NULL || text[0] == '\0') {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "text", "缺少备注内容 (text)");
  }
  if (!fg_apiw_upload(r, v, "name", "content_base64", &t)) {
    fg_journal_json_free(v);
    return 0;
  }
  fg_case_note_opts o = {text, t.path, NULL, NULL, NULL, FG_NODAY};
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_note(&x, id, &o, &err);
  fg_http_tmp_remove(&t);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "case", id, NULL, 0);
}

/* GET /cases/{id}/notice — 追回社会保险待遇告知书; GET /cases/{id}/serious-report */
int fg_http_api_case_doc(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  const bool notice = strcmp(r->seg[4], "notice") == 0;
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, notice ? "notice.html" : "serious.html")) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = notice ? fg_case_report_notice(&x, id, t.path, &err) : fg_case_report_serious(&x, id, t.path, &err);
  return fg_apiw_send_file(r, &t, rc, &err, FG_APIW_HTML, NULL);
}

/* GET /reports/half-year?half=YYYYH1|YYYYH2 — the CSV the command line writes */
int fg_http_api_report_half(fg_http_req *r) {
  const char *h = fg_http_query(r, "half");
  if (h == NULL || strlen(h) != 6 || h[4] != 'H' || (h[5] != '1' && h[5] != '2'))
    return fg_http_error(r, 400, "bad_input", "half", "half 应为 YYYYH1 或 YYYYH2 (%.16s)", h ? h : "");
  int year = 0;
  for (int i = 0; i < 4; i++) {
    if (h[i] < '0' || h[i] > '9')
      return fg_http_error(r, 400, "bad_input", "half", "half 应为 YYYYH1 或 YYYYH2 (%.16s)", h);
    year = year * 10 + (h[i] - '0');
  }
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, "half.csv")) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_report_half(&x, year, h[5] - '0', t.path, &err);
  char name[40];
  snprintf(name, sizeof name, "half-year-%.6s.csv", h);
  return fg_apiw_send_file(r, &t, rc, &err, "text/csv; charset=utf-8", name);
}

/* ---- on-site inspections and rectification ---------------------------------------- */

static void fg_apiw_plan_json(fg_buf *b, int year, const fg_inspect_plan_result *p) {
  bool f = true;
  fg_buf_addc(b, '{');
  fg_http_jint(b, &f, "year", year);
  fg_http_jstr_add(b, &f, "seed", p->seed);
  fg_http_jint(b, &f, "seed_size", p->seed_size);
  fg_http_jstr_add(b, &f, "agencies", p->agencies);
  if (p->stored[0]) fg_http_jstr_add(b, &f, "stored", p->stored);
  if (p->proposal_id) fg_http_jint(b, &f, "proposal", p->proposal_id);
}

/* GET /inspections/plan?year=Y — the stored plan replayed from the journal */
int fg_http_api_inspection_replay(fg_http_req *r) {
  const char *y = fg_http_query(r, "year");
  int64_t year;
  char *end = NULL;
  year = y ? strtoll(y, &end, 10) : 0;
  if (y == NULL || *end || year < 2000 || year > 2999)
    return fg_http_error(r, 400, "bad_input", "year", "year 应为年份 (%.16s)", y ? y : "");
  fg_inspect_plan_result *p = fg_xcalloc(1, sizeof *p);
  fg_case_ctx x;
  fg_err err = {0};
  bool same = false;
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_inspect_replay(&x, (int)year, p, &same, &err);
  if (rc) {
    free(p);
    return fg_apiw_fail(r, rc, &err);
  }
  fg_apiw_plan_json(&r->out, (int)year, p);
  fg_buf_addf(&r->out, ",\"replay_matches\":%s}", same ? "true" : "false");
  free(p);
  return fg_http_json(r, 200);
}

/* POST /inspections/plan {year, reason?} — the year's plan; a second one
 * (reason given) is a proposal */
int fg_http_api_inspection_plan(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  int64_t year;
  if (!fg_apiw_int(v, "year", 2000, 2999, &year)) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "year", "year 应为年份");
  }
  fg_inspect_plan_result *p = fg_xcalloc(1, sizeof *p);
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_inspect_plan(&x, (int)year, fg_http_jstr(v, "reason"), p, &err);
  fg_journal_json_free(v);
  if (rc) {
    free(p);
    return fg_apiw_fail(r, rc, &err);
  }
  fg_apiw_plan_json(&r->out, (int)year, p);
  fg_buf_addc(&r->out, '}');
  free(p);
  return fg_http_json(r, 201);
}

/* POST /inspections {agency, inspectors, notice_on, start_on} */
int fg_http_api_inspection_open(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *ag = fg_http_jstr(v, "agency"), *ins = fg_http_jstr(v, "inspectors");
  fg_day n, st;
  int rc = 0;
  if (ag == NULL || ag[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "agency", "缺少被检查的经办机构 (agency)");
  else if (ins == NULL || ins[0] == '\0')
    rc = fg_http_error(r, 400, "bad_input", "inspectors", "inspectors 应为检查人员用户名，逗号分隔（至少两人）");
  else if (!fg_apiw_day(v, "notice_on", &n))
    rc = fg_http_error(r, 400, "bad_input", "notice_on", "notice_on 应为通知日期 YYYY-MM-DD");
  else if (!fg_apiw_day(v, "start_on", &st))
    rc = fg_http_error(r, 400, "bad_input", "start_on", "start_on 应为进场日期 YYYY-MM-DD");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t id = 0;
  rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_inspect_open(&x, ag, ins, n, st, &id, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "id", id, NULL, 0);
}

/* POST /inspections/{id}/problems {text, due_on, amount?} */
int fg_http_api_inspection_problem(fg_http_req *r) {
  int64_t ins;
  if (!fg_http_seg_id(r, 3, &ins)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *text = fg_http_jstr(v, "text");
  fg_day due;
  int64_t fen;
  int rc = 0;
  if (text == NULL || text[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "text", "缺少问题描述 (text)");
  else if (!fg_apiw_day(v, "due_on", &due))
    rc = fg_http_error(r, 400, "bad_input", "due_on", "due_on 应为整改期限 YYYY-MM-DD");
  else if (!fg_apiw_yuan(v, "amount", &fen))
    rc = fg_http_error(r, 400, "bad_input", "amount", "amount 应为金额（元）");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t id = 0;
  rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_inspect_problem(&x, ins, text, due, fen < 0 ? 0 : fen, &id, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "id", id, "inspection", ins);
}

/* GET /inspections/{id}/document?kind=notice|letter|report — HTML for A4 */
int fg_http_api_inspection_doc(fg_http_req *r) {
  int64_t ins;
  if (!fg_http_seg_id(r, 3, &ins)) return 0;
  const char *kind = fg_http_query(r, "kind");
  if (kind == NULL || (strcmp(kind, "notice") != 0 && strcmp(kind, "letter") != 0 && strcmp(kind, "report") != 0))
    return fg_http_error(r, 400, "bad_input", "kind", "kind 应为 notice（检查通知书）、letter（问题反馈函）或 report（监督报告）");
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, "inspection.html")) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_inspect_document(&x, ins, kind, t.path, &err);
  return fg_apiw_send_file(r, &t, rc, &err, FG_APIW_HTML, NULL);
}

static int fg_apiw_rectify_row(void *ud, const fg_store_problem_row *p, bool overdue) {
  fg_buf *b = ud;
  char amt[32];
  fg_fen_to_yuan(p->amount_fen, amt, sizeof amt);
  fg_buf_addf(b, "%lld,%lld,%s,", (long long)p->id, (long long)p->inspection, p->agency);
  fg_csv_cell(b, p->text, strlen(p->text));
  fg_buf_addf(b, ",%s,%s,%s,%s,%s\n", amt, p->due_on, p->closed_on[0] ? p->closed_on : "",
              p->closed_on[0] ? "closed" : "open", overdue ? "true" : "false");
  return 0;
}

/* GET /rectifications[?format=csv|xlsx] — the rectification ledger */
int fg_http_api_rectifications(fg_http_req *r) {
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  const char *format = fg_http_query(r, "format");
  if (format && strcmp(format, "xlsx") == 0) {
    fg_http_tmp t;
    int64_t rows = 0;
    if (!fg_http_tmp_make(r, &t, "rectify.xlsx")) return 0;
    rc = fg_rectify_xlsx(&x, t.path, &rows, &err);
    return fg_apiw_send_file(r, &t, rc, &err, FG_HTTP_XLSX, "rectify.xlsx");
  }
  fg_buf csv = FG_BUF_INIT;
  fg_buf_adds(&csv, "problem_id,inspection_id,agency,text,amount,due_on,closed_on,state,overdue\n");
  rc = fg_rectify_list(&x, fg_apiw_rectify_row, &csv, &err);
  if (rc == 0) fg_apiw_csv_answer(r, &csv, "rectify.csv", false);
  fg_buf_release(&csv);
  return rc ? fg_http_fail(r, rc, &err) : 0;
}

/* POST /rectifications/{id}/close {evidence_name, evidence_base64, text} —
 * a rectify_close proposal with its evidence stored */
int fg_http_api_rectify_close(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *text = fg_http_jstr(v, "text");
  if (text == NULL || text[0] == '\0') {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "text", "缺少整改情况说明 (text)");
  }
  fg_http_tmp t;
  if (!fg_apiw_upload(r, v, "evidence_name", "evidence_base64", &t)) {
    fg_journal_json_free(v);
    return 0;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t pid = 0;
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_rectify_propose_close(&x, id, t.path, text, &pid, &err);
  fg_http_tmp_remove(&t);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "problem", id, "proposal", pid);
}

/* ---- the whistleblower desk -------------------------------------------------------- */

/* POST /tips {channel, anonymous?, reporter?, subject_type, subject_id, text}:
 * the reporter's details ("name=…\nid=…\nphone=…\ncapacity=full") travel
 * in the body only, are sealed by the library and never journaled. */
int fg_http_api_tip_file(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  fg_tip_opts o = {fg_http_jstr(v, "channel"), fg_apiw_bool(v, "anonymous"), fg_http_jstr(v, "reporter"),
                   fg_http_jstr(v, "subject_type"), fg_http_jstr(v, "subject_id"), fg_http_jstr(v, "text")};
  int rc = 0;
  if (o.anonymous && o.reporter)
    rc = fg_http_error(r, 400, "bad_input", "reporter", "匿名举报不应附举报人信息");
  else if (!o.anonymous && (o.reporter == NULL || o.reporter[0] == '\0'))
    rc = fg_http_error(r, 400, "bad_input", "reporter", "实名举报须附举报人信息 (reporter)，否则请选匿名 (anonymous)");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t id = 0;
  rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_tip_file(&x, &o, &id, &err);
  /* the body held the reporter's details: wipe it */
  if (r->body.buf) sodium_memzero(r->body.buf, r->body.len);
  fg_journal_json_free(v);
  if (rc) return fg_http_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "id", id, NULL, 0);
}

/* GET /tips[?format=csv|xlsx] — the ledger without reporters (journaled) */
int fg_http_api_tips(fg_http_req *r) {
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  const char *format = fg_http_query(r, "format");
  if (format && strcmp(format, "xlsx") == 0) {
    fg_http_tmp t;
    int64_t rows = 0;
    if (!fg_http_tmp_make(r, &t, "tips.xlsx")) return 0;
    rc = fg_tip_xlsx(&x, t.path, &rows, &err);
    return fg_apiw_send_file(r, &t, rc, &err, FG_HTTP_XLSX, "tips.xlsx");
  }
  fg_buf csv = FG_BUF_INIT;
  rc = fg_tip_list(&x, &csv, &err);
  if (rc == 0) fg_apiw_csv_answer(r, &csv, "tips.csv", false);
  fg_buf_release(&csv);
  return rc ? fg_http_fail(r, rc, &err) : 0;
}

/* POST /tips/{id}/reveal — the reporter's details (journaled tip.reveal) */
int fg_http_api_tip_reveal(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  fg_buf b = FG_BUF_INIT;
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_tip_reveal(&x, id, &b, &err);
  if (rc == 0) {
    fg_buf_addf(&r->out, "{\"id\":%lld,\"reporter\":", (long long)id);
    fg_journal_json_add_str(&r->out, b.buf ? b.buf : "", b.len);
    fg_buf_addc(&r->out, '}');
  }
  if (b.buf) sodium_memzero(b.buf, b.len);
  fg_buf_release(&b);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_http_json(r, 200);
}

/* POST /tips/{id}/issue {agency, due_days?} — the tip handled as a case */
int fg_http_api_tip_issue(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *agency = fg_http_jstr(v, "agency");
  int64_t days = 0;
  int rc = 0;
  if (agency == NULL || agency[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "agency", "缺少经办机构 (agency)");
  else if (fg_journal_json_get(v, "due_days") && !fg_apiw_int(v, "due_days", 1, 250, &days))
    rc = fg_http_error(r, 400, "bad_input", "due_days", "due_days 应为 1 到 250 个工作日");
  if (r->status != 500) {
    fg_journal_json_free(v);
    return rc;
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t case_id = 0;
  rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_issue_tip(&x, id, agency, (int)days, &case_id, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  return fg_apiw_done(r, 201, "tip", id, "case", case_id);
}

/* POST /tips/{id}/reward {verified_amount, contribution?} — a proposal */
int fg_http_api_tip_reward(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  int64_t fen;
  if (!fg_apiw_yuan(v, "verified_amount", &fen) || fen <= 0) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "verified_amount", "verified_amount 应为查实金额（元）");
  }
  fg_case_ctx x;
  fg_err err = {0};
  int64_t pid = 0, reward = 0;
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_tip_propose_reward(&x, id, fen, fg_http_jstr(v, "contribution"), &pid, &reward, &err);
  fg_journal_json_free(v);
  if (rc) return fg_apiw_fail(r, rc, &err);
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "tip", id);
  fg_http_jint(&r->out, &f, "proposal", pid);
  fg_http_jyuan(&r->out, &f, "reward", reward);
  fg_buf_addc(&r->out, '}');
  return fg_http_json(r, 201);
}

/* GET /tips/{id}/decision — 举报奖励决定书 (HTML, journaled like a reveal) */
int fg_http_api_tip_decision(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, "decision.html")) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apiw_ctx(r, &x, &err);
  if (rc == 0) rc = fg_tip_decision(&x, id, t.path, &err);
  return fg_apiw_send_file(r, &t, rc, &err, FG_APIW_HTML, NULL);
}

/* ---- proposals made in the browser ------------------------------------------------- */

/* The payload of a config_change from the text of a configuration file. */
static int fg_apiw_config_payload(fg_http_req *r, const char *text, char **payload, fg_err *err) {
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, "fundguard.conf")) return -1;
  FILE *fp = fopen(t.path, "wb");
  const size_t n = strlen(text);
  bool ok = fp && fwrite(text, 1, n, fp) == n;
  if (fp && fclose(fp) != 0) ok = false;
  int rc = ok ? fg_action_payload_config_file(t.path, payload, err)
              : fg_errf(err, FG_EIO, "无法写入临时文件");
  fg_http_tmp_remove(&t);
  return rc;
}

/* amend: "set" is an object {column: value} */
static int fg_apiw_amend_payload(fg_http_req *r, const fg_journal_json *v, char **payload) {
  const char *table = fg_http_jstr(v, "table"), *record = fg_http_jstr(v, "record"),
             *reason = fg_http_jstr(v, "reason");
  const fg_journal_json *set = fg_journal_json_get(v, "set");
  int64_t case_id = 0;
  if (table == NULL) return fg_http_error(r, 400, "bad_input", "table", "缺少表名 (table)"), -1;
  if (record == NULL) return fg_http_error(r, 400, "bad_input", "record", "缺少记录主键 (record)"), -1;
  if (set == NULL || set->type != FG_JSON_OBJ || set->n == 0 || set->n > FG_ACTION_SET_MAX)
    return fg_http_error(r, 400, "bad_input", "set", "set 应为 {列名: 新值} 对象（至多 %d 列）", FG_ACTION_SET_MAX), -1;
  const char *cols[FG_ACTION_SET_MAX], *vals[FG_ACTION_SET_MAX];
  for (size_t i = 0; i < set->n; i++) {
    if (set->items[i].type != FG_JSON_STR || strlen(set->items[i].s) >= FG_ACTION_VALUE_MAX)
      return fg_http_error(r, 400, "bad_input", "set", "set 的值应为字符串 (%.40s)", set->keys[i]), -1;
    cols[i] = set->keys[i];
    vals[i] = set->items[i].s;
  }
  if (reason == NULL || reason[0] == '\0') return fg_http_error(r, 400, "bad_input", "reason", "须写明理由 (reason)"), -1;
  if (fg_journal_json_get(v, "case") && !fg_apiw_int(v, "case", 1, INT64_MAX / 2, &case_id))
    return fg_http_error(r, 400, "bad_input", "case", "case 应为案件编号"), -1;
  *payload = fg_action_payload_amend_case(table, record, cols, vals, (int)set->n, reason, case_id);
  return 0;
}

/* POST /proposals {kind, ...}: config_change {config}, finding_dismiss {run,
 * rule, subject, reason}, data_amendment {table, record, set, reason, case?},
 * role_grant | role_revoke {user, role}, user_create {user, name, roles,
 * agency?}, user_unlock {user}. The review engine checks the proposer's
 * permission for the kind and the payload (refusals journaled). A new
 * user's initial password is in this answer only (the proposer hands it
 * over; approvers never see it), as the command line prints it. */
int fg_http_api_proposal_make(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *kind = fg_http_jstr(v, "kind");
  char *payload = NULL;
  char initial[FG_AUTHN_INITIAL_MAX] = "";
  fg_err err = {0};
  int rc = 0;
  char role[FG_STORE_ROLES_MAX];
  const char *user = fg_http_jstr(v, "user");
  if (kind == NULL) {
    rc = fg_http_error(r, 400, "bad_input", "kind", "缺少提议类型 (kind)");
  } else if (strcmp(kind, FG_REVIEW_CONFIG_CHANGE) == 0) {
    const char *text = fg_http_jstr(v, "config");
    if (text == NULL || text[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "config", "缺少配置文件内容 (config)");
    else if ((rc = fg_apiw_config_payload(r, text, &payload, &err)) > 0) rc = fg_http_fail(r, rc, &err);
  } else if (strcmp(kind, FG_REVIEW_FINDING_DISMISS) == 0) {
    int64_t run;
    const char *rule = fg_http_jstr(v, "rule"), *subject = fg_http_jstr(v, "subject"),
               *reason = fg_http_jstr(v, "reason");
    if (!fg_apiw_int(v, "run", 1, INT64_MAX / 2, &run)) rc = fg_http_error(r, 400, "bad_input", "run", "run 应为运行编号");
    else if (rule == NULL) rc = fg_http_error(r, 400, "bad_input", "rule", "缺少规则编号 (rule)");
    else if (subject == NULL) rc = fg_http_error(r, 400, "bad_input", "subject", "缺少对象编号 (subject)");
    else if (reason == NULL || reason[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "reason", "须写明理由 (reason)");
    else payload = fg_action_payload_dismiss(run, rule, subject, reason);
  } else if (strcmp(kind, FG_REVIEW_DATA_AMENDMENT) == 0) {
    rc = fg_apiw_amend_payload(r, v, &payload) ? -1 : 0;
  } else if (strcmp(kind, FG_REVIEW_ROLE_GRANT) == 0 || strcmp(kind, FG_REVIEW_ROLE_REVOKE) == 0) {
    const char *roles = fg_http_jstr(v, "role");
    if (user == NULL) rc = fg_http_error(r, 400, "bad_input", "user", "缺少用户名 (user)");
    else if (roles == NULL || fg_authz_roles_normalize(roles, role, sizeof role, &err) != 0)
      rc = fg_http_error(r, 400, "bad_input", "role", "%s", err.msg[0] ? err.msg : "缺少岗位 (role)");
    else payload = fg_review_payload_role(user, role);
  } else if (strcmp(kind, FG_REVIEW_USER_CREATE) == 0) {
    const char *name = fg_http_jstr(v, "name"), *roles = fg_http_jstr(v, "roles"), *agency = fg_http_jstr(v, "agency");
    char hash[FG_STORE_PWHASH_MAX];
    if (user == NULL) rc = fg_http_error(r, 400, "bad_input", "user", "缺少用户名 (user)");
    else if (name == NULL || name[0] == '\0') rc = fg_http_error(r, 400, "bad_input", "name", "缺少姓名 (name)");
    else if (roles == NULL || fg_authz_roles_normalize(roles, role, sizeof role, &err) != 0)
      rc = fg_http_error(r, 400, "bad_input", "roles", "%s", err.msg[0] ? err.msg : "缺少岗位 (roles)");
    else {
      fg_authn_initial_password(initial);
      if ((rc = fg_authn_hash(initial, hash, &err)) != 0) rc = fg_http_fail(r, rc, &err);
      else payload = fg_review_payload_user(user, name, role, agency ? agency : "", hash);
    }
  } else if (strcmp(kind, FG_REVIEW_USER_UNLOCK) == 0) {
    if (user == NULL) rc = fg_http_error(r, 400, "bad_input", "user", "缺少用户名 (user)");
    else payload = fg_review_payload_unlock(user);
  } else {
    rc = fg_http_error(r, 400, "bad_input", "kind",
                       "kind 应为 config_change、finding_dismiss、data_amendment、role_grant、role_revoke、"
                       "user_create 或 user_unlock（核销、处罚、销号、奖励在各自的页面提议）(%.40s)", kind);
  }
  if (r->status != 500 || payload == NULL) {
    fg_journal_json_free(v);
    free(payload);
    sodium_memzero(initial, sizeof initial);
    return r->status != 500 ? 0 : fg_http_error(r, 400, "bad_input", NULL, "提议内容不完整");
  }
  fg_signer me;
  fg_http_signer(r, &me);
  int64_t id = 0;
  rc = fg_review_propose(r->srv->s, r->srv->cfg, &me, kind, payload, (int64_t)time(NULL), &id, &err);
  sodium_memzero(&me, sizeof me);
  free(payload);
  if (rc) {
    fg_journal_json_free(v);
    sodium_memzero(initial, sizeof initial);
    return fg_http_fail(r, rc, &err);
  }
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "id", id);
  fg_http_jstr_add(&r->out, &f, "kind", kind); /* kind lives in v: v is freed after */
  if (initial[0]) fg_http_jstr_add(&r->out, &f, "initial_password", initial);
  fg_buf_addc(&r->out, '}');
  fg_journal_json_free(v);
  sodium_memzero(initial, sizeof initial);
  return fg_http_json(r, 201);
}

/* ---- the journal: list and verify --------------------------------------------------- */

typedef struct fg_apiw_jlist {
  fg_buf *out;
  const char *action;
  int limit, n;
  int64_t last;
  bool more;
} fg_apiw_jlist;

static int fg_apiw_jrow(void *ud, const fg_store_journal_row *jr) {
  fg_apiw_jlist *c = ud;
  if (c->action && strcmp(jr->action, c->action) != 0) return 0;
  if (c->n == c->limit) {
    c->more = true;
    return 1;
  }
  bool f = true;
  fg_buf_adds(c->out, c->n++ ? ",{" : "{");
  fg_http_jint(c->out, &f, "seq", jr->seq);
  fg_http_jstr_add(c->out, &f, "at", jr->at);
  fg_http_jstr_add(c->out, &f, "actor", jr->actor);
  fg_http_jstr_add(c->out, &f, "action", jr->action);
  fg_http_jkey(c->out, &f, "payload");
  /* resident ids masked, as `log list` shows them on a screen */
  char *p = fg_xmalloc(jr->payload_len + 1);
  memcpy(p, jr->payload, jr->payload_len);
  p[jr->payload_len] = '\0';
  fg_buf m = FG_BUF_INIT;
  fg_export_mask_text(&m, p);
  fg_journal_json_add_str(c->out, m.buf ? m.buf : "", m.len);
  fg_buf_release(&m);
  free(p);
  fg_buf_addc(c->out, '}');
  c->last = jr->seq;
  return 0;
}

/* GET /journal?cursor=SEQ&limit=N&action=A — entries in order (journal.read) */
int fg_http_api_journal_list(fg_http_req *r) {
  int limit;
  int64_t after;
  if (!fg_http_paging(r, &limit, &after)) return 0;
  fg_apiw_jlist c = {&r->out, fg_http_query(r, "action"), limit, 0, 0, false};
  fg_err err = {0};
  int64_t total = 0;
  int rc = fg_store_journal_count(r->srv->s, &total, &err);
  fg_buf_adds(&r->out, "{\"items\":[");
  if (rc == 0) rc = fg_store_journal_scan(r->srv->s, after > 0 || fg_http_query(r, "cursor") ? after + 1 : 0, fg_apiw_jrow, &c, &err);
  if (rc < 0 || (rc > 0 && !c.more)) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  fg_buf_adds(&r->out, "],\"next\":");
  if (c.more) fg_buf_addf(&r->out, "\"%lld\"", (long long)c.last);
  else fg_buf_adds(&r->out, "null");
  fg_buf_addf(&r->out, ",\"total\":%lld}", (long long)total);
  return fg_http_json(r, 200);
}

/* POST /journal/verify — the whole chain and every signature, as `log
 * verify` (journal.read; long on a large store: it holds the server's
 * store lock while it runs). */
int fg_http_api_journal_verify(fg_http_req *r) {
  fg_journal_verify_opts o = {NULL, NULL, 2, NULL, NULL};
  fg_journal_verify_report rep;
  memset(&rep, 0, sizeof rep);
  fg_err err = {0};
  const int rc = fg_journal_verify(r->srv->s, &o, &rep, &err);
  if (rc != 0 && rc != FG_EVERIFY) {
    fg_buf_release(&rep.text);
    return fg_http_fail(r, rc, &err);
  }
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jbool(&r->out, &f, "ok", rc == 0);
  fg_http_jint(&r->out, &f, "entries", (int64_t)rep.entries);
  fg_http_jint(&r->out, &f, "rows_covered", rep.rows_covered);
  fg_http_jint(&r->out, &f, "problems", rep.problems);
  char root[65];
  fg_hex(rep.root, sizeof rep.root, root);
  fg_http_jstr_add(&r->out, &f, "root", root);
  fg_http_jkey(&r->out, &f, "report");
  fg_journal_json_add_str(&r->out, rep.text.buf ? rep.text.buf : "", rep.text.len);
  if (rc) fg_http_jstr_add(&r->out, &f, "error", err.msg);
  fg_buf_addc(&r->out, '}');
  fg_buf_release(&rep.text);
  return fg_http_json(r, 200);
}
