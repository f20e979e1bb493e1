/*
 * cmd_findings.c — `fundguard findings --db PATH [--run ID] [--rule ID]
 * --format csv|jsonl|xlsx [-o FILE]`: export the findings of a stored run
 * (the latest by default, named on stderr as official or what-if) through
 * screen/export.h. Subject ids are exported whole to files (-o) and pipes;
 * a view on a terminal (stdout a tty, no -o) masks personal ids (rules.md
 * "Findings export"). Exit 0 whatever the run found.
 *
 * An export is a read of personal data, so it is journaled: the user
 * (FUNDGUARD_USER / FUNDGUARD_PASSWORD or the terminal) needs
 * findings.export to write a file (-o), findings.read to print on stdout;
 * the export is made into a buffer (or a .part file for xlsx) first, then a
 * "findings.export" entry signed by the user (run, rule filter, format,
 * output, row count) is committed, and only then is the data released.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/actions.h"
#include "authz/authz.h"
#include "cli/cli.h"
#include "common/fsout.h"
#include "journal/journal.h"
#include "screen/export.h"
#include "screen/screen.h"

static const char fg_findings_help[] =
    "用法 usage: fundguard findings [--db PATH] [--run ID] [--rule ID] --format csv|jsonl|xlsx"
    " [-o FILE] [--key FILE]\n"
    "\n"
    "导出一次筛查运行的疑点 (默认最近一次，stderr 上说明是哪一次、正式还是假设分析)。\n"
    "Export the findings of a screening run (default: the latest run, named on stderr\n"
    "with its kind, official or what-if).\n"
    "\n"
    "  --db PATH        数据库文件 the store (默认 default ./fundguard.db)\n"
    "  --run ID         运行编号 run id (default latest)\n"
    "  --rule LIST      只导出这些规则的疑点（逗号分隔） only these rules' findings\n"
    "  --severity LIST  只导出这些风险等级 high,medium,low\n"
    "  --region LIST    只导出对象所在行政区划以这些代码开头的疑点（如 3601 = 赣州市各区县）\n"
    "  --institution LIST  只导出涉及这些定点医药机构的疑点（机构编号）\n"
    "  --resolved       改为导出上次正式运行查出、本次运行不再查出的疑点（已消除，continuity=resolved）\n"
    "  --format FMT     csv | jsonl | xlsx (Excel)\n"
    "  -o FILE          输出文件 (xlsx 必须指定; 其他默认 stdout)\n"
    "                   output file (required for xlsx; stdout otherwise)\n"
    "  --key FILE       平台私钥 platform key: --key, else $FUNDGUARD_KEY, else PATH.key\n"
    "\n"
    "CSV: rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_kind,run_id,\n"
    "     disposition, …, finding_id, finding_no (跨运行不变的疑点编号), continuity (new|carried|resolved)\n"
    "(UTF-8 带 BOM with a BOM, RFC 4180; amount in yuan with two decimals;\n"
    " run_kind = official 正式 | what-if 假设分析 (screen --config);\n"
    " disposition = 空 | dismissed_normal 经复核认定正常 (propose dismiss)).\n"
    "导出 (-o 文件或管道) 中的编号完整; 直接显示在终端上时个人身份号码被遮蔽,\n"
    "如 110101********123X. Ids are whole in files and pipes; on a terminal personal ids\n"
    "are masked.\n"
    "\n"
    "身份 identity: 环境变量 FUNDGUARD_USER / FUNDGUARD_PASSWORD，否则在终端输入；\n"
    "  两者皆无则退出码 1。写文件 (-o) 需要 findings.export (基金监督 supervisor)，\n"
    "  输出到 stdout 需要 findings.read (supervisor, auditor, security-auditor)。\n"
    "  每次导出 (谁、哪次运行、哪些条件、多少条) 都由该用户签名记入日志 (findings.export)。\n";

static const char *fg_findings_title(const char *rule_id) {
  const fg_rule *r = fg_rule_by_id(rule_id);
  return r ? r->title_zh : "";
}

typedef struct {
  const char *db, *run, *rule, *format, *out, *key, *severity, *region, *institution;
  bool mask; /* a view on a terminal: personal ids masked */
  bool resolved; /* --resolved: the previous official run's findings no longer raised */
} fg_findings_args;

/* Every item of a comma-separated list passes ok(); else a usage error
 * naming the item. */
static int fg_findings_check_list(const char *flag, const char *list, bool (*ok)(const char *)) {
  char item[128];
  for (const char *p = list; *p;) {
    const size_t len = strcspn(p, ",");
    snprintf(item, sizeof item, "%.*s", (int)FG_MIN(len, sizeof item - 1), p);
    if (len == 0 || !ok(item))
      return fg_cli_usage("findings", "%s: 未知或无效的值 unknown value '%s'", flag, item);
    p += len + (p[len] == ',');
  }
  return 0;
}

static bool fg_findings_rule_ok(const char *s) { return fg_rule_by_id(s) != NULL; }
static bool fg_findings_severity_ok(const char *s) {
  return strcmp(s, "high") == 0 || strcmp(s, "medium") == 0 || strcmp(s, "low") == 0;
}
static bool fg_findings_region_ok(const char *s) {
  const size_t n = strlen(s);
  if (n < 2 || n > 6) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
static bool fg_findings_any_ok(const char *s) { return *s != '\0'; }

static int fg_findings_parse(int argc, char **argv, fg_findings_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i];
    if (strcmp(k, "--help") == 0 || strcmp(k, "-h") == 0) return 1;
    if (strcmp(k, "--resolved") == 0) {
      a->resolved = true;
      continue;
    }
    const char **slot = strcmp(k, "--db") == 0       ? &a->db
                        : strcmp(k, "--run") == 0    ? &a->run
                        : strcmp(k, "--rule") == 0 || strcmp(k, "--rules") == 0 ? &a->rule
                        : strcmp(k, "--severity") == 0    ? &a->severity
                        : strcmp(k, "--region") == 0      ? &a->region
                        : strcmp(k, "--institution") == 0 ? &a->institution
                        : strcmp(k, "--format") == 0 ? &a->format
                        : strcmp(k, "-o") == 0       ? &a->out
                        : strcmp(k, "--key") == 0    ? &a->key
                                                     : NULL;
    if (!slot) return fg_cli_usage("findings", "未知参数 unknown argument '%s'", k);
    if (i + 1 >= argc) return fg_cli_usage("findings", "%s 需要一个值 needs a value", k);
    *slot = argv[++i];
  }
  return 0;
}

/* Resolve --run (or the latest run, named on stderr with its kind) into
 * *run_id. */
static int fg_findings_run_id(fg_store *s, const char *run, int64_t *run_id, fg_err *err) {
  bool found = false;
  if (run) {
    fg_store_run r;
    int rc = fg_store_run_get(s, *run_id, &r, &found, err);
    fg_store_run_release(&r);
    if (rc) return rc;
    if (!found) return fg_errf(err, FG_EINPUT, "没有编号为 %s 的筛查运行 (no run %s)", run, run);
    return 0;
  }
  int rc = fg_store_run_latest(s, true, run_id, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EINPUT, "数据库中还没有运行全部规则的正式筛查；部分规则或假设分析的运行请用 "
                                             "--run 指定（fundguard runs 列出所有运行）");
  const char *kind = NULL;
  if ((rc = fg_export_run_kind(s, *run_id, &kind, err)) != 0) return rc;
  bool official = strcmp(kind, FG_EXPORT_OFFICIAL) == 0;
  fprintf(stderr, "fundguard findings: 未指定 --run，导出最近一次全部规则的正式筛查 #%lld: %s\n"
                  "  (no --run: the latest full official run #%lld, %s)\n",
          (long long)*run_id, official ? "正式筛查" : "假设分析 (非正式，screen --config)",
          (long long)*run_id, kind);
  return 0;
}

/* The "findings.export" entry (actions.h fg_action_findings_exported). */
static int fg_findings_journal(fg_store *s, const fg_signer *me, const fg_findings_args *a,
                               int64_t run_id, int64_t count, fg_err *err) {
  const fg_action_export x = {a->format, a->out ? a->out : "stdout", a->rule, a->severity,
                              a->region, a->institution, run_id, count};
  return fg_action_findings_exported(s, me, &x, err);
}

/* Stage the export whole before anything is journaled: to a memory
 * buffer for stdout, to a temporary file beside -o FILE otherwise (never
 * the store, its key or snapshot: fsout.h). */
static int fg_findings_stage(fg_store *s, const fg_findings_args *a, fg_export_format fmt,
                             int64_t run_id, fg_fsout *out, char **mem, size_t *nmem,
                             int64_t *count, fg_err *err) {
  FILE *buf = NULL;
  int rc = 0;
  if (a->out) {
    fg_fsout_protect p = FG_FSOUT_PROTECT_INIT;
    fg_cli_protect(&p, a->db, a->key);
    rc = fg_fsout_open(out, a->out, &p, false, err);
    fg_fsout_protect_release(&p);
    if (rc == 0 && fmt == FG_EXPORT_XLSX) rc = fg_fsout_release_stream(out, err);
    buf = out->f;
  } else if ((buf = open_memstream(mem, nmem)) == NULL) {
    rc = fg_errf(err, FG_EIO, "内存不足: %s", strerror(errno));
  }
  if (rc) return rc;
  fg_export_opts o = {.run_id = run_id, .rule = a->rule, .severity = a->severity,
                      .region = a->region, .institution = a->institution, .format = fmt, .out = buf,
                      .xlsx_path = fmt == FG_EXPORT_XLSX ? out->tmp : NULL,
                      .title_of = fg_findings_title, .terminal_view = a->mask,
                      .resolved = a->resolved};
  rc = fg_export_findings(s, &o, count, err);
  if (!a->out && fclose(buf) != 0 && rc == 0) rc = fg_errf(err, FG_EIO, "内存不足");
  return rc;
}

/* Hand the staged export over (after its entry is committed): the
 * temporary file renamed onto -o, or the buffer to stdout. */
static int fg_findings_hand_over(const fg_findings_args *a, fg_fsout *out, const char *mem,
                               size_t nmem, fg_err *err) {
  if (a->out) return fg_fsout_commit(out, err);
  bool ok = fwrite(mem, 1, nmem, stdout) == nmem && fflush(stdout) == 0;
  return ok ? 0 : fg_errf(err, FG_EIO, "无法写入 stdout: %s", strerror(errno));
}

static int fg_findings_export(const fg_findings_args *a, fg_export_format fmt, int64_t run_id) {
  fg_err err = {0};
  fg_store *s = NULL;
  fg_signer me;
  const char *perm = a->out ? FG_PERM_FINDINGS_EXPORT : FG_PERM_FINDINGS_READ;
  int rc = fg_store_open(a->db, false, &s, &err);
  if (rc) return fg_cli_fail(&err);
  if ((rc = fg_authn_cli_key(s, a->db, a->key, perm, 0, &me, &err)) != 0) {
    fg_store_close(s);
    return fg_cli_fail(&err);
  }
  rc = fg_findings_run_id(s, a->run, &run_id, &err);
  fg_fsout out = {0};
  char *mem = NULL;
  size_t nmem = 0;
  int64_t count = 0;
  if (rc == 0) rc = fg_findings_stage(s, a, fmt, run_id, &out, &mem, &nmem, &count, &err);
  if (rc == 0) rc = fg_findings_journal(s, &me, a, run_id, count, &err);
  if (rc == 0) rc = fg_findings_hand_over(a, &out, mem, nmem, &err);
  if (rc) fg_fsout_abort(&out);
  fg_authn_signer_wipe(&me);
  fg_store_close(s);
  free(mem);
  if (rc) return fg_cli_fail(&err);
  fprintf(stderr, "fundguard findings: 运行 run #%lld, 导出 %lld 条疑点 exported\n",
          (long long)run_id, (long long)count);
  return 0;
}

int fg_cmd_findings(int argc, char **argv) {
  fg_findings_args a = {.db = "fundguard.db"};
  int rc = fg_findings_parse(argc, argv, &a);
  if (rc == 1) {
    fputs(fg_findings_help, stdout);
    return 0;
  }
  if (rc) return rc;
  fg_export_format fmt;
  if (!a.format) return fg_cli_usage("findings", "缺少 --format missing --format");
  if (!fg_export_parse_format(a.format, &fmt))
    return fg_cli_usage("findings", "--format 只能是 csv, jsonl 或 xlsx: %s", a.format);
  if (fmt == FG_EXPORT_XLSX && !a.out)
    return fg_cli_usage("findings", "xlsx 格式需要 -o FILE (xlsx needs -o FILE)");
  if ((a.rule && (rc = fg_findings_check_list("--rule", a.rule, fg_findings_rule_ok)) != 0) ||
      (a.severity && (rc = fg_findings_check_list("--severity", a.severity, fg_findings_severity_ok)) != 0) ||
      (a.region && (rc = fg_findings_check_list("--region", a.region, fg_findings_region_ok)) != 0) ||
      (a.institution && (rc = fg_findings_check_list("--institution", a.institution, fg_findings_any_ok)) != 0))
    return rc;
  a.mask = !a.out && isatty(STDOUT_FILENO) == 1;
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
