/*
 * cmd_findings.c — `fundguard findings --db PATH [--run ID] [--rule ID]
 * --format csv|jsonl|xlsx [-o FILE]`: export the findings of a stored run
 * (the latest by default) through screen/export.h. Subject ids are
 * exported whole. Exit 0 whatever the run found.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "screen/export.h"
#include "screen/screen.h"

static const char fg_findings_help[] =
    "用法 usage: fundguard findings --db PATH [--run ID] [--rule ID] --format csv|jsonl|xlsx"
    " [-o FILE]\n"
    "\n"
    "导出一次筛查运行的疑点 (默认最近一次)。\n"
    "Export the findings of a screening run (default: the latest run).\n"
    "\n"
    "  --db PATH        数据库文件 the store\n"
    "  --run ID         运行编号 run id (default latest)\n"
    "  --rule ID        只导出这条规则的疑点 only this rule's findings\n"
    "  --format FMT     csv | jsonl | xlsx (Excel)\n"
    "  -o FILE          输出文件 (xlsx 必须指定; 其他默认 stdout)\n"
    "                   output file (required for xlsx; stdout otherwise)\n"
    "\n"
    "CSV: rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_id\n"
    "(UTF-8, RFC 4180; amount in yuan with two decimals).\n";

/* The one place the acting user is determined. The trust core replaces
 * this with authentication (FUNDGUARD_USER / FUNDGUARD_PASSWORD) and
 * journals the export under that user. */
static const char *fg_findings_actor(void) {
  const char *u = getenv("FUNDGUARD_USER");
  if (!u || !*u) u = getenv("USER");
  return u && *u ? u : "unknown";
}

static const char *fg_findings_title(const char *rule_id) {
  const fg_rule *r = fg_rule_by_id(rule_id);
  return r ? r->title_zh : "";
}

typedef struct {
  const char *db, *run, *rule, *format, *out;
} fg_findings_args;

static int fg_findings_parse(int argc, char **argv, fg_findings_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i];
    if (strcmp(k, "--help") == 0 || strcmp(k, "-h") == 0) return 1;
    const char **slot = strcmp(k, "--db") == 0       ? &a->db
                        : strcmp(k, "--run") == 0    ? &a->run
                        : strcmp(k, "--rule") == 0   ? &a->rule
                        : strcmp(k, "--format") == 0 ? &a->format
                        : strcmp(k, "-o") == 0       ? &a->out
                                                     : NULL;
    if (!slot) return fg_cli_usage("findings", "未知参数 unknown argument '%s'", k);
    if (i + 1 >= argc) return fg_cli_usage("findings", "%s 需要一个值 needs a value", k);
    *slot = argv[++i];
  }
  return 0;
}

/* Resolve --run (or the latest run) into *run_id. */
static int fg_findings_run_id(fg_store *s, const char *run, int64_t *run_id, fg_err *err) {
  bool found = false;
  if (!run) {
    int rc = fg_store_run_latest(s, run_id, &found, err);
    if (rc) return rc;
    if (!found) return fg_errf(err, FG_EINPUT, "数据库中还没有筛查运行 (no screening run yet: "
                                               "run `fundguard screen` first)");
    return 0;
  }
  fg_store_run r;
  int rc = fg_store_run_get(s, *run_id, &r, &found, err);
  fg_store_run_clear(&r);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EINPUT, "没有编号为 %s 的筛查运行 (no run %s)", run, run);
  return 0;
}

static int fg_findings_export(const fg_findings_args *a, fg_export_format fmt, int64_t run_id) {
  fg_err err = {0};
  fg_store *s = NULL;
  const char *actor = fg_findings_actor();
  (void)actor; /* the trust core journals the export under this user */
  int rc = fg_store_open(a->db, false, &s, &err);
  if (rc == 0) rc = fg_findings_run_id(s, a->run, &run_id, &err);
  FILE *out = NULL;
  if (rc == 0 && fmt != FG_EXPORT_XLSX) {
    out = a->out ? fopen(a->out, "wb") : stdout;
    if (!out) rc = fg_errf(&err, FG_EIO, "无法写入 %s: %s", a->out, strerror(errno));
  }
  int64_t count = 0;
  if (rc == 0) {
    fg_export_opts o = {.run_id = run_id, .rule = a->rule, .format = fmt, .out = out,
                        .xlsx_path = fmt == FG_EXPORT_XLSX ? a->out : NULL,
                        .title_of = fg_findings_title};
    rc = fg_export_findings(s, &o, &count, &err);
  }
  if (out && out != stdout && fclose(out) != 0 && rc == 0)
    rc = fg_errf(&err, FG_EIO, "无法写入 %s: %s", a->out, strerror(errno));
  fg_store_close(s);
  if (rc) return fg_cli_fail(&err);
  fprintf(stderr, "fundguard findings: 运行 run #%lld, 导出 %lld 条疑点 exported\n",
          (long long)run_id, (long long)count);
  return 0;
}

int fg_cmd_findings(int argc, char **argv) {
  fg_findings_args a = {0};
  int rc = fg_findings_parse(argc, argv, &a);
  if (rc == 1) {
    fputs(fg_findings_help, stdout);
    return 0;
  }
  if (rc) return rc;
  fg_export_format fmt;
  if (!a.db) return fg_cli_usage("findings", "缺少 --db missing --db");
  if (!a.format) return fg_cli_usage("findings", "缺少 --format missing --format");
  if (!fg_export_parse_format(a.format, &fmt))
    return fg_cli_usage("findings", "--format 只能是 csv, jsonl 或 xlsx: %s", a.format);
  if (fmt == FG_EXPORT_XLSX && !a.out)
    return fg_cli_usage("findings", "xlsx 格式需要 -o FILE (xlsx needs -o FILE)");
  if (a.rule && !fg_rule_by_id(a.rule))
    return fg_cli_usage("findings", "未知的规则 unknown rule: %s", a.rule);
  int64_t run_id = 0;
  if (a.run) {
    char *end = NULL;
    long long v = strtoll(a.run, &end, 10);
    if (!*a.run || *end || v <= 0)
      return fg_cli_usage("findings", "--run 需要正整数 needs a positive number: %s", a.run);
    run_id = v;
  }
  return fg_findings_export(&a, fmt, run_id);
}
