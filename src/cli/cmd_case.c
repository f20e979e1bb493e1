/*
 * cmd_case.c — the case-work commands of cases.md: `case issue | assign |
 * note | classify | close | serious | show | list`, `recovery pay |
 * deposit`, `report monthly | serious`, and `propose writeoff | penalty`.
 * Thin: parse the flags, log in, call the one library function of
 * src/cases/cases.h (which checks, writes and journals), print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authz/authz.h"
#include "cases/cases.h"
#include "cli/cli.h"
#include "common/fsout.h"
#include "fields/fields.h"
#include "screen/export.h"

#define FG_CASE_OPTS_MAX 32

typedef struct fg_case_args {
  const char *cmd, *sub, *db, *key, *pos;
  const char *name[FG_CASE_OPTS_MAX], *val[FG_CASE_OPTS_MAX];
  int n;
} fg_case_args;

static const char *const fg_case_valued[] = {
    "--db", "--key", "--run", "--rule", "--subject", "--to", "--due-days", "--text", "--attach",
    "--records", "--body", "--doc-no", "--on", "--outcome", "--amount", "--reason", "--state",
    "--agency", "--region", "--format", "-o", "--how", "--account", "--basis", "--base", "--month", "--half", "--year", "--inspectors", "--notice-on", "--start-on",
    "--due-on", "--evidence", "--channel", "--reporter-file", "--subject-type", "--subject-id", "--tip",
    "--verified-amount", "--contribution"};
static const char *const fg_case_flags[] = {"--overdue", "--penalty", "--replan", "--anonymous"};

static const char fg_case_help[] =
    "用法 usage (cases.md):\n"
    "  fundguard case issue --run R [--rule ID]… [--subject S|疑点编号]… [--region 区划前缀,…] --to AGENCY [--due-days N]\n"
    "  fundguard case assign CASE --to USER\n"
    "  fundguard case note CASE --text T [--attach FILE] [--records registration|referral|"
    "audit_conclusion|extraction_fix] [--body 接收机关 --doc-no 文号 --on YYYY-MM-DD]\n"
    "  fundguard case classify CASE --outcome O --text T [--amount 元 --reason 理由]\n"
    "  fundguard case close CASE\n"
    "  fundguard case serious CASE --text T\n"
    "  fundguard case show CASE\n"
    "  fundguard case list [--state S] [--agency A] [--overdue] [--format table|csv|jsonl|xlsx] [-o FILE]\n"
    "  fundguard recovery pay CASE --amount 元 --on YYYY-MM-DD --how cash|transfer|offset_account|"
    "offset_lump_sum|offset_benefit [--penalty]\n"
    "  fundguard recovery deposit CASE --amount 元 --on YYYY-MM-DD --account 账号 [--penalty]\n"
    "  fundguard report monthly --month YYYY-MM [--format csv|xlsx|html] [-o FILE]\n"
    "  fundguard report notice CASE [-o FILE]     追回社会保险待遇告知书 (HTML, A4)\n"
    "  fundguard report serious CASE [-o FILE]\n"
    "  fundguard report half-year --half YYYYH1|YYYYH2 [-o FILE]\n"
    "  fundguard propose writeoff CASE --amount 元 --reason T\n"
    "  fundguard propose penalty CASE --basis fraud|evasion|obstruction --amount 元 [--base 元] --reason T\n"
    "  fundguard inspection plan --year Y [--replan --reason T]   年度现场检查计划（种子取自日志树根）\n"
    "  fundguard inspection replay --year Y                     重算并核对计划\n"
    "  fundguard inspection open --agency A --inspectors U1,U2 --notice-on DATE --start-on DATE\n"
    "  fundguard inspection problem INSPECTION --text T --due-on DATE [--amount 元]\n"
    "  fundguard inspection notice|letter|report INSPECTION [-o FILE]   检查通知书、问题反馈函、监督报告 (HTML)\n"
    "  fundguard rectify close PROBLEM --evidence FILE --text T   提议销号（须他人复核）\n"
    "  fundguard rectify list [--format csv|xlsx -o FILE]      问题整改台账\n"
    "  fundguard tip file --channel phone|letter|email|visit|web (--anonymous | --reporter-file F | 标准输入)\n"
    "                     --subject-type T --subject-id S --text T   举报人信息只从文件或标准输入读取，加密保存\n"
    "  fundguard tip reveal TIP | tip list [--format xlsx -o FILE] | tip decision TIP -o FILE\n"
    "                     仅举报受理人员；每次查看记入日志；decision 为举报奖励决定书\n"
    "  fundguard case issue --tip TIP --to AGENCY            举报作为案件下发\n"
    "  fundguard propose reward TIP --verified-amount 元 [--contribution T]   举报奖励（复核、审批）\n"
    "通用选项: --db PATH --key FILE。日期以北京时间当天为准；期限按官方工作日日历计算。\n"
    "定性结果 outcome: operator_error conversion_error unregistered_employer ineligible large_unrepaid fraud normal\n";

static bool fg_case_in(const char *k, const char *const *set, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(k, set[i]) == 0) return true;
  return false;
}

/* argv[2..] into *a; -1 to go on, else the exit code. */
static int fg_case_parse(int argc, char **argv, fg_case_args *a) {
  for (int i = 2; i < argc; i++) {
    const char *k = argv[i];
    if (strcmp(k, "--help") == 0 || strcmp(k, "-h") == 0) {
      fputs(fg_case_help, stdout);
      return 0;
    }
    const bool valued = fg_case_in(k, fg_case_valued, FG_ARRAY_LEN(fg_case_valued));
    const bool flag = fg_case_in(k, fg_case_flags, FG_ARRAY_LEN(fg_case_flags));
    if (valued && i + 1 >= argc) return fg_cli_usage(a->cmd, "%s 需要一个值 needs a value", k);
    if ((valued || flag) && a->n == FG_CASE_OPTS_MAX) return fg_cli_usage(a->cmd, "选项过多");
    if (strcmp(k, "--db") == 0) a->db = argv[++i];
    else if (strcmp(k, "--key") == 0) a->key = argv[++i];
    else if (valued || flag) {
      a->name[a->n] = k;
      a->val[a->n++] = valued ? argv[++i] : "";
    } else if (k[0] != '-' && a->pos == NULL) a->pos = k;
    else return fg_cli_usage(a->cmd, "未知或多余的参数 %s (见 --help)", k);
  }
  return -1;
}

static const char *fg_case_opt(const fg_case_args *a, const char *name) {
  for (int i = 0; i < a->n; i++)
    if (strcmp(a->name[i], name) == 0) return a->val[i];
  return NULL;
}

static int fg_case_id(const fg_case_args *a, int64_t *id) {
  char *end = NULL;
  const long long v = a->pos ? strtoll(a->pos, &end, 10) : 0;
  if (a->pos == NULL || *end || v <= 0)
    return fg_cli_usage(a->cmd, "%s 需要案件编号 CASE", a->sub);
  *id = v;
  return -1;
}

static int fg_case_amount(const fg_case_args *a, const char *name, int64_t *fen, bool required) {
  const char *v = fg_case_opt(a, name);
  *fen = -1;
  if (v == NULL) return required ? fg_cli_usage(a->cmd, "%s 需要 %s 元", a->sub, name) : -1;
  if (!fg_parse_money(v, strlen(v), fen) || *fen <= 0)
    return fg_cli_usage(a->cmd, "%s 应为正的金额（元，最多两位小数）(%s)", name, v);
  return -1;
}

static int fg_case_day(const fg_case_args *a, const char *name, fg_day *d, bool required) {
  const char *v = fg_case_opt(a, name);
  *d = FG_NODAY;
  if (v == NULL) return required ? fg_cli_usage(a->cmd, "%s 需要 %s YYYY-MM-DD", a->sub, name) : -1;
  if (!fg_parse_day(v, (int)strlen(v), d))
    return fg_cli_usage(a->cmd, "%s 应为日期 YYYY-MM-DD (%s)", name, v);
  return -1;
}

/* ---- each subcommand: -1 usage already reported is never returned here ---- */

static int fg_case_do_issue(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  fg_case_issue_opts o = {0};
  for (int i = 0; i < a->n; i++) {
    if (strcmp(a->name[i], "--rule") == 0 && o.nrules < FG_CASE_FILTER_MAX) o.rules[o.nrules++] = a->val[i];
    if (strcmp(a->name[i], "--subject") == 0 && o.nsubjects < FG_CASE_FILTER_MAX)
      o.subjects[o.nsubjects++] = a->val[i];
  }
  const char *run = fg_case_opt(a, "--run"), *dd = fg_case_opt(a, "--due-days");
  const char *tip = fg_case_opt(a, "--tip");
  if (tip) { /* a tip handled as a case */
    const long long t = strtoll(tip, NULL, 10);
    const int days = dd ? (int)strtol(dd, NULL, 10) : 0;
    if (t <= 0 || fg_case_opt(a, "--to") == NULL || run)
      return fg_cli_usage(a->cmd, "issue --tip TIP --to AGENCY [--due-days N]（不与 --run 同用）");
    int64_t id = 0;
    int rc = fg_case_issue_tip(x, t, fg_case_opt(a, "--to"), days, &id, err);
    if (rc == 0) printf("举报 #%lld 已下发为案件 #%lld\n", t, (long long)id);
    return rc;
  }
  o.run = run ? strtoll(run, NULL, 10) : 0;
  o.agency = fg_case_opt(a, "--to");
  o.region = fg_case_opt(a, "--region");
  o.due_days = dd ? (int)strtol(dd, NULL, 10) : 0;
  if (o.run <= 0 || o.agency == NULL || (dd && o.due_days <= 0))
    return fg_cli_usage(a->cmd, "issue 需要 --run R --to AGENCY [--due-days N>0]");
  fg_case_issue_result r;
  int rc = fg_case_issue(x, &o, &r, err);
  if (rc) return rc;
  char due[11];
  fg_format_day(r.due_on, due);
  printf("已下发 %lld 件至 %s，核查期限 %s；跳过 %lld 件（已有案件 %lld，已认定正常 %lld，未编号 %lld）\n",
         (long long)r.issued, o.agency, due,
         (long long)(r.skipped_cased + r.skipped_dismissed + r.skipped_unnumbered),
         (long long)r.skipped_cased, (long long)r.skipped_dismissed,
         (long long)r.skipped_unnumbered);
  return 0;
}

static int fg_case_do_note(fg_case_ctx *x, const fg_case_args *a, int64_t id, fg_err *err) {
  fg_case_note_opts o = {fg_case_opt(a, "--text"), fg_case_opt(a, "--attach"),
                         fg_case_opt(a, "--records"), fg_case_opt(a, "--body"),
                         fg_case_opt(a, "--doc-no"), FG_NODAY};
  int u = fg_case_day(a, "--on", &o.on, false);
  if (u >= 0) return u;
  if (o.text == NULL) return fg_cli_usage(a->cmd, "note 需要 --text T");
  int rc = fg_case_note(x, id, &o, err);
  if (rc == 0) printf("已记录案件 #%lld 的备注\n", (long long)id);
  return rc;
}

static int fg_case_do_classify(fg_case_ctx *x, const fg_case_args *a, int64_t id, fg_err *err) {
  const char *outcome = fg_case_opt(a, "--outcome"), *text = fg_case_opt(a, "--text");
  int64_t fen = -1;
  int u = fg_case_amount(a, "--amount", &fen, false);
  if (u >= 0) return u;
  if (outcome == NULL || text == NULL) return fg_cli_usage(a->cmd, "classify 需要 --outcome O --text T");
  int64_t pid = 0;
  int rc = fg_case_classify(x, id, outcome, text, fen, fg_case_opt(a, "--reason"), &pid, err);
  if (rc == 0 && pid > 0)
    printf("案件 #%lld 定性为 %s；已提交认定正常的提议 #%lld，待他人复核后自动办结\n", (long long)id,
           outcome, (long long)pid);
  else if (rc == 0)
    printf("案件 #%lld 定性为 %s（%s）\n", (long long)id, outcome, fg_case_outcome_zh(outcome));
  return rc;
}

static int fg_case_money_cmd(fg_case_ctx *x, const fg_case_args *a, int64_t id, fg_err *err) {
  int64_t fen = 0;
  fg_day on = FG_NODAY;
  int u = fg_case_amount(a, "--amount", &fen, true);
  if (u < 0) u = fg_case_day(a, "--on", &on, true);
  if (u >= 0) return u;
  const bool penalty = fg_case_opt(a, "--penalty") != NULL;
  int rc;
  if (strcmp(a->sub, "pay") == 0) {
    const char *how = fg_case_opt(a, "--how");
    if (how == NULL) return fg_cli_usage(a->cmd, "pay 需要 --how");
    rc = fg_case_pay(x, id, fen, on, how, penalty, err);
  } else {
    rc = fg_case_deposit(x, id, fen, on, fg_case_opt(a, "--account"), penalty, err);
  }
  if (rc == 0) printf("已记录案件 #%lld 的%s\n", (long long)id, strcmp(a->sub, "pay") == 0 ? "收款" : "缴存");
  return rc;
}

/* --format summary: per agency and in all, the ledger's totals. */
typedef struct fg_case_sum {
  char agency[FG_STORE_AGENCY_MAX];
  int64_t issued, overdue, closed, at_risk_fen, recovered_fen;
} fg_case_sum;
#define FG_CASE_SUM_AGENCIES_MAX 256

typedef struct fg_case_out {
  fg_buf b;
  const char *format;
  int64_t rows;
  fg_case_sum sums[FG_CASE_SUM_AGENCIES_MAX + 1]; /* the last: all */
  int nsums;
} fg_case_out;

static void fg_case_sum_add(fg_case_sum *x, const fg_case_view *v) {
  x->issued++;
  x->overdue += v->overdue;
  x->closed += v->state == FG_CASE_CLOSED;
  if (v->state != FG_CASE_CLOSED) x->at_risk_fen += v->c.amount_fen;
  x->recovered_fen += v->received_fen;
}

static void fg_case_summary_row(fg_case_out *o, const fg_case_view *v) {
  int i = 0;
  while (i < o->nsums && strcmp(o->sums[i].agency, v->c.agency) != 0) i++;
  if (i == o->nsums && o->nsums < FG_CASE_SUM_AGENCIES_MAX)
    snprintf(o->sums[o->nsums++].agency, FG_STORE_AGENCY_MAX, "%s", v->c.agency);
  if (i < o->nsums) fg_case_sum_add(&o->sums[i], v);
  fg_case_sum_add(&o->sums[FG_CASE_SUM_AGENCIES_MAX], v);
}

static void fg_case_summary_print(const fg_case_out *o) {
  static const char *const head[] = {"经办机构", "已下发", "逾期", "已办结", "未结涉及金额(元)",
                                     "已追回(元)"};
  static const int width[] = {12, 8, 8, 8, 20, 18};
  for (int k = 0; k < 6; k++) fg_cli_cell(head[k], width[k], k > 0), putchar(k < 5 ? ' ' : '\n');
  for (int i = 0; i <= o->nsums; i++) {
    const fg_case_sum *x = i < o->nsums ? &o->sums[i] : &o->sums[FG_CASE_SUM_AGENCIES_MAX];
    char cells[6][32];
    snprintf(cells[0], 32, "%s", i < o->nsums ? x->agency : "合计 all");
    snprintf(cells[1], 32, "%lld", (long long)x->issued);
    snprintf(cells[2], 32, "%lld", (long long)x->overdue);
    snprintf(cells[3], 32, "%lld", (long long)x->closed);
    fg_fen_to_yuan(x->at_risk_fen, cells[4], 32);
    fg_fen_to_yuan(x->recovered_fen, cells[5], 32);
    for (int k = 0; k < 6; k++) fg_cli_cell(cells[k], width[k], k > 0), putchar(k < 5 ? ' ' : '\n');
  }
}

static int fg_case_list_row(void *ud, const fg_case_view *v) {
  fg_case_out *o = ud;
  o->rows++;
  if (strcmp(o->format, "summary") == 0) {
    fg_case_summary_row(o, v);
  } else if (strcmp(o->format, "jsonl") == 0) {
    char due[32], bal[32];
    fg_fen_to_yuan(v->recovery_due_fen, due, sizeof due);
    fg_fen_to_yuan(fg_case_balance_fen(v), bal, sizeof bal);
    fg_buf_addf(&o->b, "{\"case_id\":%lld,\"finding_no\":%lld,\"rule\":\"%s\",\"agency\":\"%s\","
                       "\"state\":\"%s\",\"outcome\":\"%s\",\"due_on\":\"%s\",\"overdue\":%s,"
                       "\"recovery_due\":\"%s\",\"recovery_balance\":\"%s\"}\n",
                (long long)v->c.id, (long long)v->c.finding_no, v->c.rule, v->c.agency,
                fg_case_state_code(v->state), v->outcome, v->c.due_on,
                v->overdue ? "true" : "false", due, bal);
  } else if (strcmp(o->format, "csv") == 0) {
    fg_case_csv_row(&o->b, v);
  } else {
    fg_buf_addf(&o->b, "%-6lld %-8s %-40s %-10s %-10s %-18s %s%s\n", (long long)v->c.id,
                v->c.agency, v->c.rule, fg_case_state_zh(v->state), v->c.due_on, v->outcome,
                v->overdue ? "逾期 " : "", v->serious_on != FG_NODAY ? "要情" : "");
  }
  return 0;
}

static int fg_case_list_write(fg_case_out *o, const char *out, fg_err *err) {
  if (out == NULL) {
    if (o->b.len) fwrite(o->b.buf, 1, o->b.len, stdout);
    return 0;
  }
  fg_fsout w;
  int rc = fg_fsout_open(&w, out, NULL, false, err);
  if (rc) return rc;
  if (fwrite(o->b.buf ? o->b.buf : "", 1, o->b.len, w.f) != o->b.len) {
    fg_fsout_abort(&w);
    return fg_errf(err, FG_EIO, "写入 %s 失败", out);
  }
  return fg_fsout_commit(&w, err);
}

static int fg_case_do_list(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  fg_case_filter f = {fg_case_opt(a, "--state"), fg_case_opt(a, "--agency"),
                      fg_case_opt(a, "--overdue") != NULL};
  const char *format = fg_case_opt(a, "--format"), *out = fg_case_opt(a, "-o");
  if (format == NULL) format = "table";
  if (strcmp(format, "xlsx") == 0) {
    if (out == NULL) return fg_cli_usage(a->cmd, "xlsx 需要 -o FILE");
    int64_t rows = 0;
    int rc = fg_case_xlsx(x, &f, out, &rows, err);
    if (rc == 0) fprintf(stderr, "已导出 %lld 件至 %s\n", (long long)rows, out);
    return rc;
  }
  if (strcmp(format, "csv") && strcmp(format, "jsonl") && strcmp(format, "table") &&
      strcmp(format, "summary"))
    return fg_cli_usage(a->cmd, "--format 应为 table、csv、jsonl、xlsx 或 summary (%s)", format);
  fg_case_out *o = fg_xcalloc(1, sizeof *o);
  o->format = format;
  if (strcmp(format, "csv") == 0) fg_case_csv_header(&o->b);
  int rc = fg_case_ledger(x, &f, fg_case_list_row, o, err);
  if (rc == 0 && strcmp(format, "summary") == 0) fg_case_summary_print(o);
  else if (rc == 0) rc = fg_case_list_write(o, out, err);
  if (rc == 0) fprintf(stderr, "共 %lld 件\n", (long long)o->rows);
  fg_buf_release(&o->b);
  free(o);
  return rc;
}

static int fg_case_do_report(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  const char *out = fg_case_opt(a, "-o");
  if (strcmp(a->sub, "notice") == 0 || strcmp(a->sub, "serious") == 0) {
    const bool notice = strcmp(a->sub, "notice") == 0;
    int64_t id = 0;
    int u = fg_case_id(a, &id);
    if (u >= 0) return u;
    char path[64];
    snprintf(path, sizeof path, "%s-%lld.html", a->sub, (long long)id);
    int rc = notice ? fg_case_report_notice(x, id, out ? out : path, err)
                    : fg_case_report_serious(x, id, out ? out : path, err);
    if (rc == 0)
      printf("%s已写入 %s\n", notice ? "追回社会保险待遇告知书" : "要情报告", out ? out : path);
    return rc;
  }
  if (strcmp(a->sub, "half-year") == 0) {
    const char *h = fg_case_opt(a, "--half");
    char *end = NULL;
    const long y = h ? strtol(h, &end, 10) : 0;
    if (h == NULL || y < 1900 || y > 2099 || end == NULL || end[0] != 'H' ||
        (end[1] != '1' && end[1] != '2') || end[2] != '\0')
      return fg_cli_usage(a->cmd, "half-year 需要 --half YYYYH1 或 YYYYH2");
    return fg_case_report_half(x, (int)y, end[1] - '0', out ? out : "-", err);
  }
  const char *m = fg_case_opt(a, "--month"), *format = fg_case_opt(a, "--format");
  fg_month month = 0;
  if (m == NULL || !fg_parse_month(m, (int)strlen(m), &month))
    return fg_cli_usage(a->cmd, "monthly 需要 --month YYYY-MM");
  fg_report_format fmt = FG_REPORT_CSV;
  if (format && strcmp(format, "html") == 0) fmt = FG_REPORT_HTML;
  else if (format && strcmp(format, "xlsx") == 0) fmt = FG_REPORT_XLSX;
  else if (format && strcmp(format, "csv") != 0)
    return fg_cli_usage(a->cmd, "--format 应为 csv、xlsx 或 html (%s)", format);
  return fg_case_report_monthly(x, month, fmt, out ? out : "-", err);
}

static int fg_case_do_reward(fg_case_ctx *x, const fg_case_args *a, int64_t tip, fg_err *err) {
  int64_t fen = 0, pid = 0, reward = 0;
  int u = fg_case_amount(a, "--verified-amount", &fen, true);
  if (u >= 0) return u;
  int rc = fg_tip_propose_reward(x, tip, fen, fg_case_opt(a, "--contribution"), &pid, &reward, err);
  char yuan[32];
  fg_fen_to_yuan(reward, yuan, sizeof yuan);
  if (rc == 0)
    printf("已提交奖励提议 #%lld (tip_reward)，按配置计奖励 %s 元，待他人复核、审批\n", (long long)pid, yuan);
  return rc;
}

static int fg_case_do_propose(fg_case_ctx *x, const fg_case_args *a, int64_t id, fg_err *err) {
  if (strcmp(a->sub, "reward") == 0) return fg_case_do_reward(x, a, id, err);
  int64_t fen = 0, base = 0, pid = 0;
  int u = fg_case_amount(a, "--amount", &fen, true);
  if (u < 0 && strcmp(a->sub, "penalty") == 0) u = fg_case_amount(a, "--base", &base, false);
  if (u >= 0) return u;
  const char *reason = fg_case_opt(a, "--reason");
  if (reason == NULL) return fg_cli_usage(a->cmd, "%s 需要 --reason T", a->sub);
  int rc = strcmp(a->sub, "writeoff") == 0
               ? fg_case_propose_writeoff(x, id, fen, reason, &pid, err)
               : fg_case_propose_penalty(x, id, fg_case_opt(a, "--basis"), fen, base, reason,
                                         &pid, err);
  if (rc == 0)
    printf("已提交提议 #%lld (%s)，待他人复核、审批: fundguard propose review %lld --db %s\n",
           (long long)pid, strcmp(a->sub, "writeoff") == 0 ? FG_REVIEW_CASE_WRITEOFF : FG_REVIEW_CASE_PENALTY,
           (long long)pid, a->db);
  return rc;
}

static int fg_case_do_plan(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  const char *y = fg_case_opt(a, "--year");
  char *end = NULL;
  const long year = y ? strtol(y, &end, 10) : 0;
  if (y == NULL || *end || year < 2000 || year > 2099)
    return fg_cli_usage(a->cmd, "%s 需要 --year YYYY", a->sub);
  fg_inspect_plan_result *r = fg_xcalloc(1, sizeof *r);
  int rc;
  if (strcmp(a->sub, "replay") == 0) {
    bool same = false;
    rc = fg_inspect_replay(x, (int)year, r, &same, err);
    if (rc == 0 && same)
      printf("%ld 年计划核对一致：种子（日志前 %lld 条的树根）%s，抽取 %s\n", year,
             (long long)r->seed_size, r->seed, r->agencies);
    else if (rc == 0)
      rc = fg_errf(err, FG_EVERIFY, "%ld 年计划核对不一致：存储的 %s，重算的 %s", year, r->stored,
                   r->agencies);
  } else {
    const bool replan = fg_case_opt(a, "--replan") != NULL;
    const char *reason = fg_case_opt(a, "--reason");
    if (replan && reason == NULL) {
      free(r);
      return fg_cli_usage(a->cmd, "--replan 需要 --reason T");
    }
    rc = fg_inspect_plan(x, (int)year, replan ? reason : NULL, r, err);
    if (rc == 0 && r->proposal_id)
      printf("已提交第二个计划的提议 #%lld（须他人复核）：%s\n", (long long)r->proposal_id, r->agencies);
    else if (rc == 0)
      printf("%ld 年现场检查计划：%s（种子: 日志前 %lld 条的树根 %s）\n", year, r->agencies,
             (long long)r->seed_size, r->seed);
  }
  free(r);
  return rc;
}

static int fg_case_do_inspection(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  if (strcmp(a->sub, "plan") == 0 || strcmp(a->sub, "replay") == 0) return fg_case_do_plan(x, a, err);
  int64_t id = 0;
  if (strcmp(a->sub, "open") == 0) {
    fg_day n = FG_NODAY, st = FG_NODAY;
    int u = fg_case_day(a, "--notice-on", &n, true);
    if (u < 0) u = fg_case_day(a, "--start-on", &st, true);
    if (u >= 0) return u;
    const char *ag = fg_case_opt(a, "--agency"), *ins = fg_case_opt(a, "--inspectors");
    if (ag == NULL || ins == NULL) return fg_cli_usage(a->cmd, "open 需要 --agency A --inspectors U1,U2");
    int rc = fg_inspect_open(x, ag, ins, n, st, &id, err);
    if (rc == 0) printf("已立项现场检查 #%lld：%s\n", (long long)id, ag);
    return rc;
  }
  int64_t ins = 0, fen = 0;
  fg_day due = FG_NODAY;
  int u = fg_case_id(a, &ins);
  if (u < 0 && strcmp(a->sub, "problem") != 0) { /* notice, letter, report */
    char path[64];
    const char *out = fg_case_opt(a, "-o");
    snprintf(path, sizeof path, "inspection-%lld-%s.html", (long long)ins, a->sub);
    int rc = fg_inspect_document(x, ins, a->sub, out ? out : path, err);
    if (rc == 0) printf("已写入 %s\n", out ? out : path);
    return rc;
  }
  if (u < 0) u = fg_case_day(a, "--due-on", &due, true);
  if (u < 0) u = fg_case_amount(a, "--amount", &fen, false);
  if (u >= 0) return u;
  const char *text = fg_case_opt(a, "--text");
  if (text == NULL) return fg_cli_usage(a->cmd, "problem 需要 --text T");
  int rc = fg_inspect_problem(x, ins, text, due, fen < 0 ? 0 : fen, &id, err);
  if (rc == 0) printf("已记入问题整改台账：问题 #%lld\n", (long long)id);
  return rc;
}

static int fg_case_rectify_row(void *ud, const fg_store_problem_row *r, bool overdue) {
  fg_buf *b = ud;
  char yuan[32];
  fg_fen_to_yuan(r->amount_fen, yuan, sizeof yuan);
  fg_buf_addf(b, "%lld,%lld,%s,", (long long)r->id, (long long)r->inspection, r->agency);
  fg_export_csv_field(b, r->text);
  fg_buf_addf(b, ",%s,%s,%s,%s,%s\n", yuan, r->due_on, r->closed_on[0] ? "closed" : "open",
              r->closed_on, overdue ? "Y" : "N");
  return 0;
}

static int fg_case_do_rectify(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  if (strcmp(a->sub, "list") == 0 && fg_case_opt(a, "--format") &&
      strcmp(fg_case_opt(a, "--format"), "xlsx") == 0) {
    const char *out = fg_case_opt(a, "-o");
    int64_t rows = 0;
    if (out == NULL) return fg_cli_usage(a->cmd, "xlsx 需要 -o FILE");
    int rc = fg_rectify_xlsx(x, out, &rows, err);
    if (rc == 0) fprintf(stderr, "已导出 %lld 个问题至 %s\n", (long long)rows, out);
    return rc;
  }
  if (strcmp(a->sub, "list") == 0) {
    fg_buf b = FG_BUF_INIT;
    fg_buf_adds(&b, "problem_id,inspection_id,agency,text,amount,due_on,state,closed_on,overdue\n");
    int rc = fg_rectify_list(x, fg_case_rectify_row, &b, err);
    if (rc == 0) fwrite(b.buf, 1, b.len, stdout);
    fg_buf_release(&b);
    return rc;
  }
  int64_t id = 0, pid = 0;
  int u = fg_case_id(a, &id);
  if (u >= 0) return u;
  const char *ev = fg_case_opt(a, "--evidence"), *text = fg_case_opt(a, "--text");
  if (ev == NULL || text == NULL) return fg_cli_usage(a->cmd, "close 需要 --evidence FILE --text T");
  int rc = fg_rectify_propose_close(x, id, ev, text, &pid, err);
  if (rc == 0)
    printf("已提交销号提议 #%lld (rectify_close)，待他人复核: fundguard propose review %lld\n",
           (long long)pid, (long long)pid);
  return rc;
}

/* The reporter's details: from --reporter-file, else standard input (never
 * the command line, which `ps` shows). */
static int fg_case_tip_file(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  fg_tip_opts o = {fg_case_opt(a, "--channel"), fg_case_opt(a, "--anonymous") != NULL, NULL,
                   fg_case_opt(a, "--subject-type"), fg_case_opt(a, "--subject-id"),
                   fg_case_opt(a, "--text")};
  const char *file = fg_case_opt(a, "--reporter-file");
  if (o.anonymous && file) return fg_cli_usage(a->cmd, "--anonymous 与 --reporter-file 不能同时给出");
  char *text = NULL;
  size_t n = 0;
  int rc = 0;
  if (!o.anonymous && file) {
    rc = fg_file_read(file, 4096, &text, &n, err);
  } else if (!o.anonymous) {
    text = fg_xcalloc(4097, 1);
    n = fread(text, 1, 4096, stdin);
  }
  o.reporter = text;
  int64_t id = 0;
  if (rc == 0) rc = fg_tip_file(x, &o, &id, err);
  if (text) {
    memset(text, 0, n);
    free(text);
  }
  if (rc == 0) printf("已登记举报 #%lld（举报人信息已加密保存）\n", (long long)id);
  return rc;
}

static int fg_case_do_tip(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  if (strcmp(a->sub, "file") == 0) return fg_case_tip_file(x, a, err);
  const char *format = fg_case_opt(a, "--format"), *out = fg_case_opt(a, "-o");
  if (strcmp(a->sub, "list") == 0 && format && strcmp(format, "xlsx") == 0) {
    int64_t rows = 0;
    if (out == NULL) return fg_cli_usage(a->cmd, "xlsx 需要 -o FILE");
    int rc = fg_tip_xlsx(x, out, &rows, err);
    if (rc == 0) fprintf(stderr, "已导出 %lld 条举报至 %s\n", (long long)rows, out);
    return rc;
  }
  if (strcmp(a->sub, "decision") == 0) {
    int64_t id = 0;
    int u = fg_case_id(a, &id);
    if (u >= 0) return u;
    if (out == NULL) return fg_cli_usage(a->cmd, "decision 需要 -o FILE");
    int rc = fg_tip_decision(x, id, out, err);
    if (rc == 0) printf("举报奖励决定书已写入 %s\n", out);
    return rc;
  }
  fg_buf b = FG_BUF_INIT;
  int rc;
  if (strcmp(a->sub, "list") == 0) {
    rc = fg_tip_list(x, &b, err);
  } else {
    int64_t id = 0;
    int u = fg_case_id(a, &id);
    if (u >= 0) return u;
    rc = fg_tip_reveal(x, id, &b, err);
  }
  if (rc == 0 && b.len) fwrite(b.buf, 1, b.len, stdout);
  if (b.buf) memset(b.buf, 0, b.len);
  fg_buf_release(&b);
  return rc;
}

static int fg_case_dispatch(fg_case_ctx *x, const fg_case_args *a, fg_err *err) {
  const char *c = a->cmd, *s = a->sub;
  if (strcmp(c, "tip") == 0) return fg_case_do_tip(x, a, err);
  if (strcmp(c, "report") == 0) return fg_case_do_report(x, a, err);
  if (strcmp(c, "inspection") == 0) return fg_case_do_inspection(x, a, err);
  if (strcmp(c, "rectify") == 0) return fg_case_do_rectify(x, a, err);
  if (strcmp(s, "issue") == 0) return fg_case_do_issue(x, a, err);
  if (strcmp(s, "list") == 0) return fg_case_do_list(x, a, err);
  int64_t id = 0;
  int u = fg_case_id(a, &id);
  if (u >= 0) return u;
  if (strcmp(c, "recovery") == 0) return fg_case_money_cmd(x, a, id, err);
  if (strcmp(c, "propose") == 0) return fg_case_do_propose(x, a, id, err);
  if (strcmp(s, "assign") == 0) {
    const char *to = fg_case_opt(a, "--to");
    if (to == NULL) return fg_cli_usage(c, "assign 需要 --to USER");
    int rc = fg_case_assign(x, id, to, err);
    if (rc == 0) printf("案件 #%lld 已交 %s 承办\n", (long long)id, to);
    return rc;
  }
  if (strcmp(s, "note") == 0) return fg_case_do_note(x, a, id, err);
  if (strcmp(s, "classify") == 0) return fg_case_do_classify(x, a, id, err);
  if (strcmp(s, "close") == 0) {
    int rc = fg_case_close(x, id, err);
    if (rc == 0) printf("案件 #%lld 已办结\n", (long long)id);
    return rc;
  }
  if (strcmp(s, "serious") == 0) {
    const char *t = fg_case_opt(a, "--text");
    int rc = t ? fg_case_serious(x, id, t, err) : fg_cli_usage(c, "serious 需要 --text T");
    if (rc == 0) printf("案件 #%lld 已标记为要情，须在 5 个工作日内报告 (report serious)\n", (long long)id);
    return rc;
  }
  fg_buf b = FG_BUF_INIT, masked = FG_BUF_INIT;
  int rc = fg_case_show(x, id, &b, err);
  if (rc == 0 && isatty(STDOUT_FILENO) == 1) { /* a view on screen: resident ids masked */
    fg_export_mask_text(&masked, b.buf);
    fwrite(masked.buf, 1, masked.len, stdout);
  } else if (rc == 0) {
    fwrite(b.buf, 1, b.len, stdout);
  }
  fg_buf_release(&b);
  fg_buf_release(&masked);
  return rc;
}

static bool fg_case_sub_ok(const char *cmd, const char *sub) {
  static const char *const subs[][9] = {
      {"case", "issue", "assign", "note", "classify", "close", "serious", "show", "list"},
      {"recovery", "pay", "deposit"},
      {"report", "monthly", "serious", "half-year", "notice"},
      {"propose", "writeoff", "penalty", "reward"},
      {"inspection", "plan", "replay", "open", "problem", "notice", "letter", "report"},
      {"rectify", "close", "list"},
      {"tip", "file", "reveal", "list", "decision"}};
  for (size_t i = 0; i < FG_ARRAY_LEN(subs); i++)
    if (strcmp(subs[i][0], cmd) == 0)
      for (int k = 1; k < 9 && subs[i][k]; k++)
        if (strcmp(subs[i][k], sub) == 0) return true;
  return false;
}

static int fg_case_main(const char *cmd, int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(fg_case_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!fg_case_sub_ok(cmd, argv[1])) return fg_cli_usage(cmd, "未知的子命令 %s (见 --help)", argv[1]);
  fg_case_args a = {.cmd = cmd, .sub = argv[1], .db = "fundguard.db"};
  int u = fg_case_parse(argc, argv, &a);
  if (u >= 0) return u;
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  fg_signer me;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  int rc = fg_authn_cli_key(s, a.db, a.key, NULL, 0, &me, &err);
  if (rc == 0) {
    fg_case_ctx x;
    rc = fg_authz_load_config(s, cfg, &err);
    if (rc == 0) rc = fg_case_ctx_init(&x, s, cfg, &me, &err);
    if (rc == 0) rc = fg_case_dispatch(&x, &a, &err);
    fg_authn_signer_wipe(&me);
  }
  free(cfg);
  fg_store_close(s);
  if (rc == 2) return 2; /* a usage error, already reported */
  return rc ? fg_cli_fail(&err) : 0;
}

int fg_cmd_case(int argc, char **argv) { return fg_case_main("case", argc, argv); }
int fg_cmd_recovery(int argc, char **argv) { return fg_case_main("recovery", argc, argv); }
int fg_cmd_report(int argc, char **argv) { return fg_case_main("report", argc, argv); }
int fg_propose_case(int argc, char **argv) { return fg_case_main("propose", argc, argv); }
int fg_cmd_inspection(int argc, char **argv) { return fg_case_main("inspection", argc, argv); }
int fg_cmd_rectify(int argc, char **argv) { return fg_case_main("rectify", argc, argv); }
int fg_cmd_tip(int argc, char **argv) { return fg_case_main("tip", argc, argv); }
