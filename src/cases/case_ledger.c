/*
 * case_ledger.c — the verification ledger (核查工作台账, `case list`) and
 * `case show`: every case the user may read, its events folded in one pass
 * (cases ordered by id, events by case then id), judged as of today; CSV
 * in the column order of cases.md, and xlsx with Chinese headers, a frozen
 * header row and an autofilter. Each read is journaled before any row is
 * given ("case.list", "case.view").
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

#define FG_CASE_LEDGER_COLS 22

static const char *const fg_case_cols[FG_CASE_LEDGER_COLS][2] = {
    {"case_id", "案件编号"},          {"source", "来源"},
    {"finding_no", "疑点编号"},       {"rule", "规则"},
    {"subject_type", "对象类型"},     {"subject_id", "对象编号"},
    {"amount", "涉及金额(元)"},       {"agency", "经办机构"},
    {"state", "状态"},                {"outcome", "定性结果"},
    {"issued_on", "下发日期"},        {"due_on", "核查期限"},
    {"closed_on", "办结日期"},        {"overdue", "核查逾期"},
    {"serious", "要情"},              {"serious_due_on", "要情报告期限"},
    {"serious_reported_on", "要情报告日期"}, {"recovery_due", "应追回(元)"},
    {"recovered", "已追回(元)"},      {"recovery_balance", "未追回余额(元)"},
    {"deposit_overdue", "缴存逾期"},  {"audit_due", "应稽核"},
};

void fg_case_csv_header(fg_buf *b) {
  fg_buf_adds(b, FG_EXPORT_CSV_BOM);
  for (int i = 0; i < FG_CASE_LEDGER_COLS; i++)
    fg_buf_addf(b, "%s%s", i ? "," : "", fg_case_cols[i][0]);
  fg_buf_addc(b, '\n');
}

/* The row's cells as text (dates "" when none; amounts in yuan). */
static void fg_case_cells(const fg_case_view *v, char cells[FG_CASE_LEDGER_COLS][300]) {
  const bool recovers = v->recovery_open;
  snprintf(cells[0], 300, "%lld", (long long)v->c.id);
  snprintf(cells[1], 300, "%s", v->c.source);
  snprintf(cells[2], 300, "%lld", (long long)v->c.finding_no);
  snprintf(cells[3], 300, "%s", v->c.rule);
  snprintf(cells[4], 300, "%s", v->c.subject_type);
  snprintf(cells[5], 300, "%s", v->c.subject_id);
  fg_fen_to_yuan(v->c.amount_fen, cells[6], 300);
  snprintf(cells[7], 300, "%s", v->c.agency);
  snprintf(cells[8], 300, "%s", fg_case_state_code(v->state));
  snprintf(cells[9], 300, "%s", v->outcome);
  snprintf(cells[10], 300, "%s", v->c.issued_on);
  snprintf(cells[11], 300, "%s", v->c.due_on);
  const fg_day days[] = {v->closed_on, v->serious_due_on, v->serious_reported_on};
  const int at[] = {12, 15, 16};
  for (int i = 0; i < 3; i++) {
    cells[at[i]][0] = '\0';
    if (days[i] != FG_NODAY) fg_format_day(days[i], cells[at[i]]);
  }
  snprintf(cells[13], 300, "%s", v->overdue ? "Y" : "N");
  snprintf(cells[14], 300, "%s", v->serious_on != FG_NODAY ? "Y" : "N");
  cells[17][0] = cells[18][0] = cells[19][0] = '\0';
  if (recovers) {
    fg_fen_to_yuan(v->recovery_due_fen, cells[17], 300);
    fg_fen_to_yuan(v->received_fen + v->writeoff_fen, cells[18], 300);
    fg_fen_to_yuan(fg_case_balance_fen(v), cells[19], 300);
  }
  snprintf(cells[20], 300, "%s", v->deposit_overdue ? "Y" : "N");
  snprintf(cells[21], 300, "%s", v->audit_due ? "Y" : "N");
}

void fg_case_csv_row(fg_buf *b, const fg_case_view *v) {
  static char cells[FG_CASE_LEDGER_COLS][300];
  fg_case_cells(v, cells);
  for (int i = 0; i < FG_CASE_LEDGER_COLS; i++) {
    if (i) fg_buf_addc(b, ',');
    fg_export_csv_field(b, cells[i]);
  }
  fg_buf_addc(b, '\n');
}

/* ---- one pass over every case ---------------------------------------------- */

typedef struct fg_case_all {
  fg_case_view *v;
  int64_t n, cap;
} fg_case_all;

static int fg_case_all_add(void *ud, const fg_store_case_row *r) {
  fg_case_all *a = ud;
  if (a->n == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 256;
    a->v = fg_xrealloc(a->v, (size_t)a->cap * sizeof *a->v);
  }
  fg_case_view_start(&a->v[a->n++], r);
  return 0;
}

static int fg_case_all_fold(void *ud, const fg_store_case_event *e) {
  fg_case_all *a = ud;
  int64_t lo = 0, hi = a->n - 1; /* cases are in id order */
  while (lo <= hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (a->v[mid].c.id == e->case_id) {
      fg_case_fold(&a->v[mid], e);
      return 0;
    }
    if (a->v[mid].c.id < e->case_id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0; /* another agency's case */
}

static bool fg_case_wanted(const fg_case_view *v, const fg_case_filter *f) {
  fg_case_state st;
  if (f->state && fg_case_state_parse(f->state, &st) && st != v->state) return false;
  if (f->agency && strcmp(f->agency, v->c.agency) != 0) return false;
  return !f->overdue_only || v->overdue || v->deposit_overdue || v->serious_late;
}

static int fg_case_read_journal(fg_case_ctx *x, const char *action, const fg_case_filter *f,
                                int64_t case_id, fg_err *err) {
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"agency\":");
  const char *ag = f && f->agency ? f->agency : x->agency;
  fg_journal_json_add_str(&p, ag, strlen(ag));
  fg_buf_addf(&p, ",\"case\":%lld,\"state\":", (long long)case_id);
  const char *st = f && f->state ? f->state : "";
  fg_journal_json_add_str(&p, st, strlen(st));
  fg_buf_addc(&p, '}');
  int rc = fg_store_begin(x->s, err);
  if (rc == 0) {
    rc = fg_journal_append(x->s, x->me, action, p.buf, p.len, NULL, err);
    if (rc == 0) rc = fg_store_commit(x->s, err);
    else fg_store_rollback(x->s);
  }
  fg_buf_release(&p);
  return rc;
}

int fg_case_ledger(fg_case_ctx *x, const fg_case_filter *f, fg_case_view_fn fn, void *ud,
                   fg_err *err) {
  FG_ASSERT(x != NULL && f != NULL && fn != NULL);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_CASE_READ, err);
  if (rc == 0 && f->state) {
    fg_case_state st;
    if (!fg_case_state_parse(f->state, &st))
      rc = fg_errf(err, FG_EINPUT, "--state 应为 issued、assigned、classified 或 closed (%s)",
                   f->state);
  }
  if (rc == 0 && x->agency[0] && f->agency && strcmp(f->agency, x->agency) != 0)
    rc = fg_errf(err, FG_EPERM, "权限不足: 用户 %s 只能查看本机构 %s 的案件", x->me->actor,
                 x->agency);
  if (rc) return fg_case_refuse(x, "list", 0, err);
  if ((rc = fg_case_read_journal(x, "case.list", f, 0, err)) != 0) return rc;
  fg_case_all a = {0};
  const char *scope = x->agency[0] ? x->agency : NULL;
  rc = fg_store_cases_each(x->s, scope, fg_case_all_add, &a, err);
  if (rc == 0) rc = fg_store_case_events_each(x->s, 0, fg_case_all_fold, &a, err);
  for (int64_t i = 0; i < a.n; i++) {
    fg_case_view *v = &a.v[i];
    bool refused = false;
    if (rc == 0 && v->state == FG_CASE_CLASSIFIED && strcmp(v->outcome, "normal") == 0)
      rc = fg_case_dismissal_refused(x->s, v->dismiss_proposal, &refused, err);
    fg_case_fold_dismissal(v, refused);
    fg_case_judge(v, x->cfg, x->today);
    if (rc == 0 && fg_case_wanted(v, f)) rc = fn(ud, v);
    fg_case_view_release(v);
  }
  free(a.v);
  return rc;
}

/* ---- xlsx ---------------------------------------------------------------------- */

typedef struct fg_case_sheet {
  lxw_worksheet *ws;
  lxw_format *money;
  int64_t row;
} fg_case_sheet;

static int fg_case_xlsx_row(void *ud, const fg_case_view *v) {
  fg_case_sheet *sh = ud;
  if (sh->row >= LXW_ROW_MAX - 1) return FG_ELIMIT;
  char cells[FG_CASE_LEDGER_COLS][300];
  fg_case_cells(v, cells);
  const lxw_row_t r = (lxw_row_t)++sh->row;
  for (int i = 0; i < FG_CASE_LEDGER_COLS; i++) {
    const bool money = i == 6 || (i >= 17 && i <= 19);
    if (money && cells[i][0]) {
      char *end = NULL;
      long long fen = strtoll(cells[i], &end, 10) * 100; /* yuan with two decimals */
      const bool neg = cells[i][0] == '-';
      if (end && *end == '.') fen += (neg ? -1 : 1) * strtoll(end + 1, NULL, 10);
      worksheet_write_number(sh->ws, r, (lxw_col_t)i, (double)fen / 100.0, sh->money);
    } else if (i == 0 || i == 2) {
      worksheet_write_number(sh->ws, r, (lxw_col_t)i, (double)strtoll(cells[i], NULL, 10), NULL);
    } else {
      worksheet_write_string(sh->ws, r, (lxw_col_t)i, cells[i], NULL);
    }
  }
  return 0;
}

lxw_workbook *fg_case_xlsx_open(const char *path, fg_fsout *o, fg_err *err) {
  if (strcmp(path, "-") == 0) {
    fg_errf(err, FG_EINPUT, "xlsx 须用 -o FILE 写入文件");
    return NULL;
  }
  if (fg_fsout_open(o, path, NULL, false, err) != 0) return NULL;
  if (fg_fsout_release_stream(o, err) != 0) {
    fg_fsout_abort(o);
    return NULL;
  }
  lxw_workbook *wb = workbook_new(o->tmp);
  if (wb == NULL) {
    fg_fsout_abort(o);
    fg_errf(err, FG_EIO, "无法写入 %s", path);
  }
  return wb;
}

int fg_case_xlsx_close(lxw_workbook *wb, fg_fsout *o, const char *path, int rc, fg_err *err) {
  const lxw_error e = workbook_close(wb);
  if (rc == 0 && e != LXW_NO_ERROR) rc = fg_errf(err, FG_EIO, "写入 %s 失败: %s", path, lxw_strerror(e));
  if (rc == 0) return fg_fsout_commit(o, err);
  fg_fsout_abort(o);
  return rc;
}

int fg_case_xlsx(fg_case_ctx *x, const fg_case_filter *f, const char *path, int64_t *rows,
                 fg_err *err) {
  fg_fsout o;
  lxw_workbook *wb = fg_case_xlsx_open(path, &o, err);
  if (wb == NULL) return err->code ? err->code : FG_EIO;
  fg_case_sheet sh = {workbook_add_worksheet(wb, "核查工作台账"), workbook_add_format(wb), 0};
  format_set_num_format(sh.money, "0.00");
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  for (int i = 0; i < FG_CASE_LEDGER_COLS; i++) {
    char t[96];
    snprintf(t, sizeof t, "%s %s", fg_case_cols[i][1], fg_case_cols[i][0]);
    worksheet_write_string(sh.ws, 0, (lxw_col_t)i, t, head);
  }
  worksheet_freeze_panes(sh.ws, 1, 0);
  int rc = fg_case_ledger(x, f, fg_case_xlsx_row, &sh, err);
  if (rc == FG_ELIMIT) fg_errf(err, FG_ELIMIT, "台账行数超过 xlsx 上限");
  worksheet_autofilter(sh.ws, 0, 0, (lxw_row_t)sh.row, FG_CASE_LEDGER_COLS - 1);
  *rows = sh.row;
  return fg_case_xlsx_close(wb, &o, path, rc, err);
}

/* ---- show ---------------------------------------------------------------------- */

typedef struct fg_case_hist {
  fg_buf *out;
} fg_case_hist;

static int fg_case_hist_one(void *ud, const fg_store_case_event *e) {
  fg_case_hist *h = ud;
  char yuan[32];
  fg_fen_to_yuan(e->amount_fen, yuan, sizeof yuan);
  fg_buf_addf(h->out, "  %s  %-14s %s", e->on_date, e->kind, e->actor);
  if (e->who[0]) fg_buf_addf(h->out, " → %s", e->who);
  if (e->outcome[0]) fg_buf_addf(h->out, " 结果 %s", e->outcome);
  if (e->amount_fen) fg_buf_addf(h->out, " 金额 %s 元", yuan);
  if (e->how[0]) fg_buf_addf(h->out, " (%s)", e->how);
  if (e->account[0]) fg_buf_addf(h->out, " 账户/文号 %s", e->account);
  if (e->proposal_id) fg_buf_addf(h->out, " 提议 #%lld", (long long)e->proposal_id);
  if (e->file_sha256[0]) fg_buf_addf(h->out, " 附件 sha256 %s", e->file_sha256);
  if (e->text[0]) fg_buf_addf(h->out, "\n      %s", e->text);
  fg_buf_addf(h->out, "  [日志 #%lld]\n", (long long)e->jseq);
  return 0;
}

static int fg_case_show_finding(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_buf *out = ud;
  const fg_rule *r = fg_rule_by_id(f->rule);
  fg_buf_addf(out, "疑点 finding #%lld: %s %s\n  详情 detail: %s\n  证据 evidence: %s\n",
              (long long)id, f->rule, r ? r->title_zh : "", f->detail, ev && ev[0] ? ev : "（无）");
  return 0;
}

int fg_case_show(fg_case_ctx *x, int64_t case_id, fg_buf *out, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_READ, FG_PERM_CASE_READ, &v, err);
  if (rc) return fg_case_refuse(x, "show", case_id, err);
  rc = fg_case_read_journal(x, "case.view", NULL, case_id, err);
  char cells[FG_CASE_LEDGER_COLS][300];
  fg_case_cells(&v, cells);
  for (int i = 0; rc == 0 && i < FG_CASE_LEDGER_COLS; i++)
    fg_buf_addf(out, "%s %s: %s\n", fg_case_cols[i][1], fg_case_cols[i][0], cells[i]);
  if (rc == 0) {
    const char *oz = fg_case_outcome_zh(v.outcome);
    fg_buf_addf(out, "状态（中文）: %s%s%s\n承办人 assignee: %s\n", fg_case_state_zh(v.state),
                oz ? "；定性: " : "", oz ? oz : "", v.assignee[0] ? v.assignee : "（未指派）");
    fg_buf_addf(out, "下发人 issued_by: %s  筛查运行 run: #%lld  [日志 #%lld]\n",
                v.c.issued_by, (long long)v.c.run, (long long)v.c.jseq);
    int64_t fid = 0, frun = 0;
    if (v.c.finding_no > 0) rc = fg_store_finding_by_no(x->s, v.c.finding_no, &fid, &frun, err);
    if (rc == 0 && fid > 0) rc = fg_store_finding_get(x->s, fid, &frun, fg_case_show_finding, out, err);
    if (rc == 0 && fid > 0)
      fg_buf_addf(out, "  （证据行的全部字段: fundguard finding show --no %lld）\n", (long long)v.c.finding_no);
    fg_buf_adds(out, "历史 history:\n");
    fg_case_hist h = {out};
    rc = fg_store_case_events_each(x->s, case_id, fg_case_hist_one, &h, err);
  }
  fg_case_view_release(&v);
  return rc;
}
