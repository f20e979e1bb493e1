/*
 * api_cases.c — case work over HTTP (web.md, cases.md): the verification
 * ledger (JSON, or the command line's CSV / xlsx), one case, issuing a
 * run's findings, and the acts assign, note, classify, close; the monthly
 * report. Each endpoint builds the same fg_case_ctx as the command and
 * calls the same fg_case_* function, which checks the permission and the
 * agency scope and journals the act or its refusal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cases/cases.h"
#include "common/date.h"
#include "fields/fields.h"
#include "common/fsout.h"
#include "http/http_impl.h"
#include "journal/json.h"
#include "screen/export.h"

/* The acting user's case context (the session's signer). */
static int fg_apic_ctx(fg_http_req *r, fg_case_ctx *x, fg_err *err) {
  return fg_case_ctx_init(x, r->srv->s, r->srv->cfg, &r->sess->me, err);
}

static void fg_apic_day(fg_buf *b, bool *f, const char *key, fg_day d) {
  char t[11];
  if (d == FG_NODAY) {
    fg_http_jstr_add(b, f, key, NULL);
    return;
  }
  fg_format_day(d, t);
  fg_http_jstr_add(b, f, key, t);
}

static void fg_apic_view_json(fg_buf *b, const fg_case_view *v) {
  bool f = true;
  const bool personal = strcmp(v->c.subject_type, FG_EXPORT_PERSON) == 0;
  fg_buf_addc(b, '{');
  fg_http_jint(b, &f, "id", v->c.id);
  fg_http_jint(b, &f, "finding_no", v->c.finding_no);
  fg_http_jint(b, &f, "run_id", v->c.run);
  fg_http_jstr_add(b, &f, "rule", v->c.rule);
  fg_http_jstr_add(b, &f, "subject_type", v->c.subject_type);
  fg_http_jkey(b, &f, "subject_id");
  fg_buf m = FG_BUF_INIT;
  if (personal) fg_export_mask_id(&m, v->c.subject_id, strlen(v->c.subject_id));
  else fg_buf_adds(&m, v->c.subject_id);
  fg_journal_json_add_str(b, m.buf ? m.buf : "", m.len);
  fg_buf_release(&m);
  fg_http_jyuan(b, &f, "amount", v->c.amount_fen);
  fg_http_jstr_add(b, &f, "agency", v->c.agency);
  fg_http_jstr_add(b, &f, "state", fg_case_state_code(v->state));
  fg_http_jstr_add(b, &f, "state_zh", fg_case_state_zh(v->state));
  fg_http_jstr_add(b, &f, "assignee", v->assignee[0] ? v->assignee : NULL);
  fg_http_jstr_add(b, &f, "outcome", v->outcome[0] ? v->outcome : NULL);
  const char *oz = v->outcome[0] ? fg_case_outcome_zh(v->outcome) : NULL;
  fg_http_jstr_add(b, &f, "outcome_zh", oz);
  fg_apic_day(b, &f, "issued_on", v->issued_on);
  fg_apic_day(b, &f, "due_on", v->due_on);
  fg_apic_day(b, &f, "classified_on", v->classified_on);
  fg_apic_day(b, &f, "closed_on", v->closed_on);
  fg_http_jbool(b, &f, "overdue", v->overdue);
  fg_http_jyuan(b, &f, "recovery_due", v->recovery_due_fen);
  fg_http_jyuan(b, &f, "received", v->received_fen);
  fg_http_jyuan(b, &f, "balance", fg_case_balance_fen(v));
  fg_http_jint(b, &f, "dismiss_proposal", v->dismiss_proposal);
  fg_buf_addc(b, '}');
}

typedef struct fg_apic_list {
  fg_http_req *r;
  int64_t after, last;
  int limit, n;
  int64_t total;
  bool more;
  fg_buf csv; /* format=csv: the ledger's rows */
  bool as_csv;
} fg_apic_list;

static int fg_apic_row(void *ud, const fg_case_view *v) {
  fg_apic_list *x = ud;
  if (x->as_csv) {
    fg_case_csv_row(&x->csv, v);
    return 0;
  }
  x->total++;
  if (v->c.id <= x->after) return 0;
  if (x->n == x->limit) {
    x->more = true;
    return 0;
  }
  if (x->n++) fg_buf_addc(&x->r->out, ',');
  fg_apic_view_json(&x->r->out, v);
  x->last = v->c.id;
  return 0;
}

int fg_http_api_cases(fg_http_req *r) {
  const char *format = fg_http_query(r, "format");
  fg_case_filter filt = {fg_http_query(r, "state"), fg_http_query(r, "agency"), false};
  const char *od = fg_http_query(r, "overdue");
  filt.overdue_only = od && strcmp(od, "true") == 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apic_ctx(r, &x, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  if (format && strcmp(format, "xlsx") == 0) {
    fg_http_tmp t;
    if (!fg_http_tmp_make(r, &t, "ledger.xlsx")) return 0;
    int64_t rows = 0;
    rc = fg_case_xlsx(&x, &filt, t.path, &rows, &err);
    if (rc) {
      fg_http_tmp_remove(&t);
      return fg_http_fail(r, rc, &err);
    }
    return fg_http_send_tmp(r, &t, FG_HTTP_FILE_BYTES_MAX, FG_HTTP_XLSX, "ledger.xlsx");
  }
  if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
    return fg_http_error(r, 400, "bad_input", "format", "format 应为 json、csv 或 xlsx (%.16s)", format);
  fg_apic_list l = {r, 0, 0, 0, 0, 0, false, FG_BUF_INIT, format && strcmp(format, "csv") == 0};
  if (!l.as_csv && !fg_http_paging(r, &l.limit, &l.after)) return 0;
  if (l.as_csv) {
    fg_buf_adds(&l.csv, FG_EXPORT_CSV_BOM);
    fg_case_csv_header(&l.csv);
  } else {
    fg_buf_adds(&r->out, "{\"items\":[");
  }
  rc = fg_case_ledger(&x, &filt, fg_apic_row, &l, &err);
  if (rc) {
    fg_buf_release(&l.csv);
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  if (l.as_csv) {
    fg_buf_release(&r->out);
    r->out = l.csv;
    r->status = 200;
    r->ctype = "text/csv; charset=utf-8";
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"ledger.csv\"");
    return 0;
  }
  fg_buf_adds(&r->out, "],\"next\":");
  if (l.more) fg_buf_addf(&r->out, "\"%lld\"", (long long)l.last);
  else fg_buf_adds(&r->out, "null");
  fg_buf_addf(&r->out, ",\"total\":%lld}", (long long)l.total);
  return fg_http_json(r, 200);
}

int fg_http_api_case_get(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apic_ctx(r, &x, &err);
  fg_buf text = FG_BUF_INIT;
  if (rc == 0) rc = fg_case_show(&x, id, &text, &err); /* checks scope, journals case.view */
  if (rc) {
    fg_buf_release(&text);
    if (strstr(err.msg, "没有案件")) return fg_http_error(r, 404, "not_found", NULL, "%s", err.msg);
    return fg_http_fail(r, rc, &err);
  }
  fg_case_view v;
  bool found = false;
  rc = fg_case_load(&x, id, &v, &found, &err);
  if (rc || !found) {
    fg_buf_release(&text);
    return rc ? fg_http_fail(r, rc, &err)
              : fg_http_error(r, 404, "not_found", NULL, "没有案件 #%lld", (long long)id);
  }
  fg_buf_adds(&r->out, "{\"case\":");
  fg_apic_view_json(&r->out, &v);
  fg_buf_adds(&r->out, ",\"text\":");
  fg_buf m = FG_BUF_INIT;
  fg_export_mask_text(&m, text.buf ? text.buf : "");
  fg_journal_json_add_str(&r->out, m.buf ? m.buf : "", m.len);
  fg_buf_addc(&r->out, '}');
  fg_buf_release(&m);
  fg_buf_release(&text);
  fg_case_view_release(&v);
  return fg_http_json(r, 200);
}

/* POST /cases {"run": N, "agency": ID, "rules": [...]?, "subjects": [...]?, "region": "..."?} */
int fg_http_api_case_issue(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const fg_journal_json *run = fg_journal_json_get(v, "run");
  const char *agency = fg_http_jstr(v, "agency");
  fg_case_issue_opts o;
  memset(&o, 0, sizeof o);
  int rc = 0;
  if (run == NULL || run->type != FG_JSON_INT || run->neg || run->i < 1)
    rc = fg_http_error(r, 400, "bad_input", "run", "run 应为正式筛查运行的编号");
  else if (agency == NULL || agency[0] == '\0')
    rc = fg_http_error(r, 400, "bad_input", "agency", "agency 应为经办机构编码");
  const char *lists[2] = {"rules", "subjects"};
  for (int k = 0; k < 2 && r->status == 500; k++) {
    const fg_journal_json *a = fg_journal_json_get(v, lists[k]);
    if (a == NULL || a->type == FG_JSON_NULL) continue;
    if (a->type != FG_JSON_ARR || a->n > FG_CASE_FILTER_MAX) {
      fg_http_error(r, 400, "bad_input", lists[k], "%s 应为至多 %d 个字符串的数组", lists[k],
                    FG_CASE_FILTER_MAX);
      break;
    }
    for (size_t i = 0; i < a->n; i++) {
      if (a->items[i].type != FG_JSON_STR) {
        fg_http_error(r, 400, "bad_input", lists[k], "%s 应为字符串数组", lists[k]);
        break;
      }
      if (k == 0) o.rules[o.nrules++] = a->items[i].s;
      else o.subjects[o.nsubjects++] = a->items[i].s;
    }
  }
  if (r->status != 500) {
    fg_journal_json_free(v);
    return 0;
  }
  (void)rc;
  o.run = run->i;
  o.agency = agency;
  o.region = fg_http_jstr(v, "region");
  fg_case_ctx x;
  fg_err err = {0};
  fg_case_issue_result res;
  memset(&res, 0, sizeof res);
  rc = fg_apic_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_issue(&x, &o, &res, &err);
  fg_journal_json_free(v);
  if (rc) return fg_http_fail(r, rc, &err);
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "issued", res.issued);
  fg_http_jint(&r->out, &f, "skipped_cased", res.skipped_cased);
  fg_http_jint(&r->out, &f, "skipped_dismissed", res.skipped_dismissed);
  fg_apic_day(&r->out, &f, "due_on", res.due_on);
  fg_buf_addc(&r->out, '}');
  return fg_http_json(r, 201);
}

/* A money amount in yuan ("1234.50") from a JSON string; -1 when absent. */
static bool fg_apic_yuan(const fg_journal_json *v, const char *key, int64_t *fen) {
  const char *s = fg_http_jstr(v, key);
  *fen = -1;
  if (s == NULL) return fg_journal_json_get(v, key) == NULL;
  return fg_parse_money(s, strlen(s), fen);
}

/* POST /cases/{id}/{assign,note,classify,close} */
int fg_http_api_case_act(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  const char *act = r->seg[4];
  fg_journal_json *v = NULL;
  if (strcmp(act, "close") != 0 && (v = fg_http_body_json(r)) == NULL) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apic_ctx(r, &x, &err);
  int64_t proposal = 0;
  if (rc == 0 && strcmp(act, "assign") == 0) {
    const char *user = fg_http_jstr(v, "user");
    if (user == NULL) {
      fg_journal_json_free(v);
      return fg_http_error(r, 400, "bad_input", "user", "缺少承办人用户名 (user)");
    }
    rc = fg_case_assign(&x, id, user, &err);
  } else if (rc == 0 && strcmp(act, "note") == 0) {
    fg_case_note_opts o = {fg_http_jstr(v, "text"), NULL, fg_http_jstr(v, "records"),
                           fg_http_jstr(v, "body"), fg_http_jstr(v, "doc_no"), FG_NODAY};
    if (o.text == NULL || o.text[0] == '\0') {
      fg_journal_json_free(v);
      return fg_http_error(r, 400, "bad_input", "text", "缺少备注内容 (text)");
    }
    rc = fg_case_note(&x, id, &o, &err);
  } else if (rc == 0 && strcmp(act, "classify") == 0) {
    const char *outcome = fg_http_jstr(v, "outcome"), *text = fg_http_jstr(v, "text");
    int64_t fen;
    if (outcome == NULL) {
      fg_journal_json_free(v);
      return fg_http_error(r, 400, "bad_input", "outcome", "缺少定性结论 (outcome)");
    }
    if (text == NULL || text[0] == '\0') {
      fg_journal_json_free(v);
      return fg_http_error(r, 400, "bad_input", "text", "缺少核查情况说明 (text)");
    }
    if (!fg_apic_yuan(v, "amount", &fen)) {
      fg_journal_json_free(v);
      return fg_http_error(r, 400, "bad_input", "amount", "amount 应为元，如 \"1234.50\"");
    }
    rc = fg_case_classify(&x, id, outcome, text, fen, fg_http_jstr(v, "reason"), &proposal, &err);
  } else if (rc == 0) {
    rc = fg_case_close(&x, id, &err);
  }
  fg_journal_json_free(v);
  if (rc) {
    if (strstr(err.msg, "没有案件")) return fg_http_error(r, 404, "not_found", NULL, "%s", err.msg);
    return fg_http_fail(r, rc, &err);
  }
  fg_case_view view;
  bool found = false;
  rc = fg_case_load(&x, id, &view, &found, &err);
  if (rc || !found) return fg_http_fail(r, rc ? rc : FG_EDB, &err);
  fg_buf_adds(&r->out, "{\"case\":");
  fg_apic_view_json(&r->out, &view);
  fg_buf_addf(&r->out, ",\"proposal\":%lld}", (long long)proposal);
  fg_case_view_release(&view);
  return fg_http_json(r, 200);
}

/* GET /reports/monthly?month=YYYY-MM[&format=html|csv|xlsx] (html default:
 * ready to print on A4). */
int fg_http_api_report_monthly(fg_http_req *r) {
  const char *ms = fg_http_query(r, "month"), *format = fg_http_query(r, "format");
  fg_month month;
  if (ms == NULL || strlen(ms) != 7 || !fg_parse_month(ms, 7, &month))
    return fg_http_error(r, 400, "bad_input", "month", "month 应为 YYYY-MM (%.16s)", ms ? ms : "");
  fg_report_format fmt = FG_REPORT_HTML;
  const char *ctype = "text/html; charset=utf-8", *ext = "html";
  if (format && strcmp(format, "csv") == 0) fmt = FG_REPORT_CSV, ctype = "text/csv; charset=utf-8", ext = "csv";
  else if (format && strcmp(format, "xlsx") == 0)
    fmt = FG_REPORT_XLSX, ctype = FG_HTTP_XLSX, ext = "xlsx";
  else if (format && strcmp(format, "html") != 0)
    return fg_http_error(r, 400, "bad_input", "format", "format 应为 html、csv 或 xlsx (%.16s)", format);
  char name[32], download[48];
  snprintf(name, sizeof name, "monthly.%s", ext);
  snprintf(download, sizeof download, "monthly-%s.%s", ms, ext);
  fg_http_tmp t;
  if (!fg_http_tmp_make(r, &t, name)) return 0;
  fg_case_ctx x;
  fg_err err = {0};
  int rc = fg_apic_ctx(r, &x, &err);
  if (rc == 0) rc = fg_case_report_monthly(&x, month, fmt, t.path, &err);
  if (rc) {
    fg_http_tmp_remove(&t);
    return fg_http_fail(r, rc, &err);
  }
  /* HTML is shown to print on A4; the tables are downloads */
  return fg_http_send_tmp(r, &t, FG_HTTP_FILE_BYTES_MAX, ctype, fmt == FG_REPORT_HTML ? NULL : download);
}
