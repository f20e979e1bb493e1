/*
 * cmd_finding.c — `fundguard finding show ID [--db PATH] [--key FILE]`: one
 * finding as a case worker reads it: run and kind, rule with its Chinese
 * name, severity, subject, amount, detail, disposition, and every evidence
 * row with its columns (codes labelled in Chinese) and where it came from:
 * the batch, the file and the line. The evidence of a finding is then
 * readable without SQL (issue 13.6).
 *
 * Who may read it: findings.read (supervisor, auditor, security auditor),
 * or a reviewer / approver while an open proposal names the finding's
 * subject (they must see what they are asked to judge). Either way the read
 * is journaled ("finding.view", signed by the reader, saying in which
 * capacity) before anything is printed; ids are masked on a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions/actions.h"
#include "authz/authz.h"
#include "cli/cli.h"
#include "screen/export.h"
#include "screen/screen.h"

static const char fg_finding_help[] =
    "用法 usage: fundguard finding show ID | --no 疑点编号 [--db PATH] [--key FILE]\n"
    "\n"
    "显示一条疑点：所属运行、规则及中文名称、风险等级、对象、金额、详情、处置，以及每条证据行的\n"
    "全部字段（代码附中文）和来源（批次、文件、行号）。疑点编号见 findings 导出的 evidence 列或\n"
    "fundguard runs / findings；--no 疑点编号 按跨运行不变的编号 (导出的 finding_no 列) 显示其最新一条。\n"
    "需要 findings.read；复核人、审批人在有未完成的提议涉及该对象时也可查看。\n"
    "每次查看都由查看人签名记入日志 (finding.view)。终端上身份证号被遮蔽。\n";

typedef struct fg_finding_view {
  fg_store *s;
  fg_buf out;
  bool mask;
  bool found;
  char subject[256];
  char subject_type[64];
  fg_err *err;
} fg_finding_view;

static void fg_finding_put(fg_finding_view *v, bool personal, const char *text) {
  if (v->mask && personal) fg_export_mask_id(&v->out, text, strlen(text));
  else if (v->mask) fg_export_mask_text(&v->out, text);
  else fg_buf_adds(&v->out, text);
}

/* One evidence row "table:rowid": its origin and columns. */
static int fg_finding_evidence(fg_finding_view *v, const char *item) {
  char table[64];
  const char *colon = strchr(item, ':');
  if (colon == NULL || (size_t)(colon - item) >= sizeof table) return 0;
  snprintf(table, sizeof table, "%.*s", (int)(colon - item), item);
  const fg_table *t = fg_schema_by_name(table);
  const int64_t rowid = strtoll(colon + 1, NULL, 10);
  if (t == NULL || rowid <= 0) return 0;
  int64_t batch = 0, line = 0;
  char file[256];
  int rc = fg_store_row_origin(v->s, t->id, rowid, &batch, &line, file, sizeof file, v->err);
  fg_value vals[FG_MAX_COLS];
  bool found = false;
  if (rc == 0) rc = fg_store_get_row(v->s, t->id, rowid, vals, &found, v->err);
  if (rc) return rc;
  fg_buf_addf(&v->out, "  证据 %s（%s）#%lld", t->label_zh, t->name, (long long)rowid);
  if (!found) {
    fg_buf_adds(&v->out, "：该行已不存在（请运行 fundguard log verify）\n");
    return 0;
  }
  fg_buf_addf(&v->out, "，来自批次 #%lld 文件 %s 第 %lld 行\n   ", (long long)batch,
              file[0] ? file : t->file, (long long)line);
  char text[FG_ACTION_VALUE_MAX];
  for (int c = 0; c < t->ncols; c++) {
    const fg_column *col = &t->cols[c];
    if (!fg_action_value_text(col, &vals[c], text, sizeof text)) continue;
    fg_buf_addf(&v->out, " %s=", col->name);
    fg_finding_put(v, col->type == FG_COL_PERSON_ID, text);
    const char *label = fg_schema_code_label_zh(col->name, text);
    if (label) fg_buf_addf(&v->out, "（%s）", label);
  }
  fg_buf_addc(&v->out, '\n');
  return 0;
}

static int fg_finding_row(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_finding_view *v = ud;
  v->found = true;
  snprintf(v->subject, sizeof v->subject, "%s", f->subject_id);
  snprintf(v->subject_type, sizeof v->subject_type, "%s", f->subject_type);
  const fg_rule *r = fg_rule_by_id(f->rule);
  char yuan[32];
  fg_fen_to_yuan(f->amount_fen, yuan, sizeof yuan);
  fg_buf_addf(&v->out, "疑点 finding #%lld\n  规则 rule: %s %s\n  风险等级 severity: %s（%s）\n",
              (long long)id, f->rule, r ? r->title_zh : "", fg_export_severity_zh(f->severity),
              f->severity);
  fg_buf_addf(&v->out, "  对象 subject: %s（%s）", fg_export_subject_type_zh(f->subject_type),
              f->subject_type);
  fg_buf_adds(&v->out, " ");
  fg_finding_put(v, strcmp(f->subject_type, FG_EXPORT_PERSON) == 0, f->subject_id);
  fg_buf_addf(&v->out, "\n  涉及金额 amount: %s 元\n  详情 detail: ", yuan);
  fg_finding_put(v, false, f->detail);
  fg_buf_adds(&v->out, "\n");
  int rc = 0;
  for (const char *p = ev; rc == 0 && *p;) {
    const size_t n = strcspn(p, ";");
    char item[128];
    snprintf(item, sizeof item, "%.*s", (int)FG_MIN(n, sizeof item - 1), p);
    rc = fg_finding_evidence(v, item);
    p += n + (p[n] == ';');
  }
  return rc;
}

/* findings.read, or a reviewer/approver of an open proposal naming the
 * subject; *as says which (for the journal). */
static int fg_finding_may(fg_store *s, const fg_signer *me, const char *subject, char *as,
                          size_t as_size, fg_err *err) {
  if (fg_authz_check(s, me->actor, FG_PERM_FINDINGS_READ, NULL) == 0) {
    snprintf(as, as_size, "%s", FG_PERM_FINDINGS_READ);
    return 0;
  }
  int64_t pid = 0;
  const bool judge = fg_authz_check(s, me->actor, FG_PERM_PROPOSAL_REVIEW, NULL) == 0 ||
                     fg_authz_check(s, me->actor, FG_PERM_PROPOSAL_APPROVE, NULL) == 0;
  int rc = judge ? fg_action_open_proposal_naming(s, subject, (int64_t)time(NULL), &pid, err) : 0;
  if (rc) return rc;
  if (pid > 0) {
    snprintf(as, as_size, "reviewer of #%lld", (long long)pid);
    return 0;
  }
  return fg_errf(err, FG_EPERM,
                 "权限不足: 用户 %s 无权查看疑点（需要 findings.read，或是涉及该对象的未完成提议的复核人、审批人）",
                 me->actor);
}

int fg_cmd_finding(int argc, char **argv) {
  const char *db = "fundguard.db", *key = NULL, *id_arg = NULL, *no_arg = NULL;
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(fg_finding_help, stdout);
    return 0;
  }
  if (argc < 3 || strcmp(argv[1], "show") != 0)
    return fg_cli_usage("finding", "用法: fundguard finding show ID (见 --help)");
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      fputs(fg_finding_help, stdout);
      return 0;
    } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
    else if (strcmp(argv[i], "--no") == 0 && i + 1 < argc) no_arg = argv[++i];
    else if (argv[i][0] != '-' && id_arg == NULL) id_arg = argv[i];
    else return fg_cli_usage("finding", "未知或缺少参数的选项 %s", argv[i]);
  }
  char *end = NULL;
  const char *arg = no_arg ? no_arg : id_arg;
  long long id = arg ? strtoll(arg, &end, 10) : 0;
  if (arg == NULL || *end || id <= 0 || (no_arg && id_arg))
    return fg_cli_usage("finding", "应给出疑点记录号 ID 或 --no 疑点编号（正整数）: %s",
                        arg ? arg : "(无)");
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(db, false, &s, &err) != 0) return fg_cli_fail(&err);
  if (no_arg) { /* the stable number: its newest finding */
    int64_t fid = 0, frun = 0;
    if (fg_store_finding_by_no(s, id, &fid, &frun, &err) != 0) {
      fg_store_close(s);
      return fg_cli_fail(&err);
    }
    id = fid > 0 ? fid : INT64_MAX;
  }
  fg_signer me;
  int rc = fg_authn_cli_key(s, db, key, NULL, 0, &me, &err);
  fg_finding_view v = {.s = s, .mask = isatty(STDOUT_FILENO) == 1, .err = &err};
  int64_t run = 0;
  char as[64] = "";
  if (rc == 0) rc = fg_store_finding_get(s, id, &run, fg_finding_row, &v, &err);
  if (rc == 0 && !v.found) rc = fg_errf(&err, FG_EINPUT, "没有编号为 %lld 的疑点", id);
  if (rc == 0 && (rc = fg_finding_may(s, &me, v.subject, as, sizeof as, &err)) == FG_EPERM)
    rc = fg_authn_deny(s, &me, FG_PERM_FINDINGS_READ, &err); /* journaled */
  if (rc == 0) rc = fg_action_finding_viewed(s, &me, id, run, as, &err);
  fg_authn_signer_wipe(&me);
  fg_store_close(s);
  if (rc == 0) {
    printf("运行 run #%lld\n%s", (long long)run, v.out.buf ? v.out.buf : "");
  }
  fg_buf_release(&v.out);
  return rc ? fg_cli_fail(&err) : 0;
}
