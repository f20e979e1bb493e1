/*
 * cmd_list.c — the read-only listings a supervisor needs without SQL:
 *   fundguard rules   [--db PATH]   the catalogue: id, Chinese name, severity,
 *                                   subject, input tables, thresholds in force
 *   fundguard runs    [--db PATH]   every screening run: kind, date, rules, findings
 *   fundguard batches [--db PATH]   every import batch: who, when, files, rows
 * `rules` reads only the configuration in force (no personal data: no user
 * needed; without a store, the defaults). `runs` needs findings.read;
 * `batches` data.import or findings.read. Tables are padded by display
 * width (Chinese headers line up).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authz/authz.h"
#include "cli/cli.h"
#include "screen/export.h"
#include "screen/screen.h"

typedef struct fg_list_args {
  const char *db, *key;
} fg_list_args;

static int fg_list_parse(const char *cmd, int argc, char **argv, fg_list_args *a,
                         const char *help) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(help, stdout);
      return 0;
    }
    const char **slot = strcmp(argv[i], "--db") == 0 ? &a->db : strcmp(argv[i], "--key") == 0 ? &a->key : NULL;
    if (slot == NULL || i + 1 >= argc)
      return fg_cli_usage(cmd, "未知或缺少参数的选项 %s", argv[i]);
    *slot = argv[++i];
  }
  return -1;
}

/* ---- rules ---------------------------------------------------------------- */

static const char fg_rules_help[] =
    "用法 usage: fundguard rules [--db PATH]\n"
    "\n"
    "列出疑点规则目录：规则编号、中文名称、风险等级、对象类型、读取的数据表、现行阈值。\n"
    "给出 --db（默认 ./fundguard.db，存在时）时阈值取该库的正式配置，否则为默认配置。\n"
    "List the rule catalogue with the thresholds in force (the store's official\n"
    "configuration when a store is given, else the defaults). No user needed.\n";

int fg_cmd_rules(int argc, char **argv) {
  fg_list_args a = {NULL, NULL};
  const int pr = fg_list_parse("rules", argc, argv, &a, fg_rules_help);
  if (pr >= 0) return pr;
  fg_err err = {0};
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg);
  const char *db = a.db ? a.db : (access("fundguard.db", F_OK) == 0 ? "fundguard.db" : NULL);
  if (db != NULL) {
    fg_store *s = NULL;
    int rc = fg_store_open(db, true, &s, &err);
    if (rc == 0) rc = fg_authz_load_config(s, cfg, &err);
    fg_store_close(s);
    if (rc) {
      free(cfg);
      return fg_cli_fail(&err);
    }
  }
  int n = 0;
  const fg_rule *r = fg_rules(&n);
  static const int w[] = {40, 30, 6, 12};
  const char *head[] = {"规则 rule", "名称 name", "风险", "对象 subject"};
  for (int k = 0; k < 4; k++) fg_cli_cell(head[k], w[k], false), putchar(' ');
  printf("输入表 inputs · 阈值 thresholds（%s）\n", db ? "正式配置" : "默认配置");
  fg_buf in = FG_BUF_INIT, th = FG_BUF_INIT;
  for (int i = 0; i < n; i++) {
    fg_screen_rule_describe(&r[i], cfg, &in, &th);
    fg_cli_cell(r[i].id, w[0], false), putchar(' ');
    fg_cli_cell(r[i].title_zh, w[1], false), putchar(' ');
    fg_cli_cell(fg_export_severity_zh(fg_screen_severity(r[i].id)), w[2], false), putchar(' ');
    fg_cli_cell(fg_export_subject_type_zh(r[i].subject_type), w[3], false), putchar(' ');
    printf("%s%s%s\n", in.buf, th.buf[0] ? " · " : "", th.buf);
  }
  printf("共 %d 条规则\n", n);
  fg_buf_release(&in);
  fg_buf_release(&th);
  free(cfg);
  return 0;
}

/* ---- runs ----------------------------------------------------------------- */

static const char fg_runs_help[] =
    "用法 usage: fundguard runs [--db PATH] [--key FILE]\n"
    "\n"
    "列出所有筛查运行：编号、类型（正式 / 部分规则 / 假设分析）、基准日、执行人、规则数、疑点数、完成时间。\n"
    "fundguard screen show RUN 重新打印某次运行的汇总。需要 findings.read。\n";

static int fg_runs_row(void *ud, const fg_store_run *r) {
  (void)ud;
  int nrules = r->rules_run[0] ? 1 : 0;
  for (const char *p = r->rules_run; *p; p++) nrules += *p == ',';
  const char *kind = !r->official ? FG_EXPORT_WHAT_IF : r->partial ? FG_EXPORT_PARTIAL : FG_EXPORT_OFFICIAL;
  char id[32], rules[32], nf[32];
  snprintf(id, sizeof id, "#%lld", (long long)r->id);
  snprintf(rules, sizeof rules, "%d", nrules);
  snprintf(nf, sizeof nf, "%lld", (long long)r->nfindings);
  fg_cli_cell(id, 6, false), putchar(' ');
  fg_cli_cell(fg_export_run_kind_zh(kind), 10, false), putchar(' ');
  fg_cli_cell(r->as_of, 12, false), putchar(' ');
  fg_cli_cell(r->actor, 12, false), putchar(' ');
  fg_cli_cell(rules, 8, true), putchar(' ');
  fg_cli_cell(nf, 10, true), putchar(' ');
  printf("%s%s\n", r->finished_at, r->future ? "（未来日期试算）" : "");
  return 0;
}

int fg_cmd_runs(int argc, char **argv) {
  fg_list_args a = {"fundguard.db", NULL};
  const int pr = fg_list_parse("runs", argc, argv, &a, fg_runs_help);
  if (pr >= 0) return pr;
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  fg_signer me;
  int rc = fg_authn_cli_key(s, a.db, a.key, FG_PERM_FINDINGS_READ, 0, &me, &err);
  if (rc == 0) {
    fg_authn_signer_wipe(&me);
    const char *head[] = {"运行", "类型", "基准日 as-of", "执行人", "规则数", "疑点数"};
    const int w[] = {6, 10, 12, 12, 8, 10};
    for (int k = 0; k < 6; k++) fg_cli_cell(head[k], w[k], k >= 4), putchar(' ');
    printf("完成时间 finished\n");
    rc = fg_store_runs_each(s, fg_runs_row, NULL, &err);
  }
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}

/* ---- batches -------------------------------------------------------------- */

static const char fg_batches_help[] =
    "用法 usage: fundguard batches [--db PATH] [--key FILE]\n"
    "\n"
    "列出所有导入批次：编号、开始时间、导入人、模式、文件数、读取 / 存入 / 未变 / 拒绝行数、各文件编码。\n"
    "需要 data.import 或 findings.read。\n";

static int fg_batches_row(void *ud, const fg_store_batch_row *b) {
  (void)ud;
  char id[32], nums[5][32];
  snprintf(id, sizeof id, "#%lld", (long long)b->id);
  const int64_t v[5] = {b->nfiles, b->rows_read, b->rows_stored, b->rows_unchanged, b->rows_rejected};
  fg_cli_cell(id, 6, false), putchar(' ');
  fg_cli_cell(b->started_at, 20, false), putchar(' ');
  fg_cli_cell(b->actor, 12, false), putchar(' ');
  fg_cli_cell(strcmp(b->mode, "quarantine") == 0 ? "隔离" : "原子", 6, false), putchar(' ');
  for (int k = 0; k < 5; k++) {
    snprintf(nums[k], sizeof nums[k], "%lld", (long long)v[k]);
    fg_cli_cell(nums[k], k == 0 ? 6 : 12, true), putchar(' ');
  }
  printf("%s\n", b->files);
  return 0;
}

int fg_cmd_batches(int argc, char **argv) {
  fg_list_args a = {"fundguard.db", NULL};
  const int pr = fg_list_parse("batches", argc, argv, &a, fg_batches_help);
  if (pr >= 0) return pr;
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  fg_signer me;
  const char *const perms[] = {FG_PERM_DATA_IMPORT, FG_PERM_FINDINGS_READ};
  int rc = fg_authn_cli_any(s, a.db, a.key, perms, 2, &me, &err);
  if (rc == 0) {
    fg_authn_signer_wipe(&me);
    const char *head[] = {"批次", "开始时间", "导入人", "模式", "文件", "读取", "存入", "未变", "拒绝"};
    const int w[] = {6, 20, 12, 6, 6, 12, 12, 12, 12};
    for (int k = 0; k < 9; k++) fg_cli_cell(head[k], w[k], k >= 4), putchar(' ');
    printf("文件:编码\n");
    rc = fg_store_batches_each(s, fg_batches_row, NULL, &err);
  }
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}
