/*
 * main.c — entry point: dispatch `fundguard <command> [args]` to the
 * subcommand's function, print the version, or the list of commands.
 */
#define _XOPEN_SOURCE 700
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "actions/actions.h"
#include "authz/authz.h"
#include "cases/cases.h"
#include "cli/cli.h"
#include "store/store.h"

typedef struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help_zh;
  const char *help_en;
} fg_command;

static const fg_command fg_commands[] = {
    {"init", fg_cmd_init, "创建数据库、平台密钥和首批用户", "create a store, platform key and first users"},
    {"gen", fg_cmd_gen, "生成确定性的模拟城市数据和应查出的疑点清单", "generate a synthetic city and its truth file"},
    {"import", fg_cmd_import, "按数据接入标准导入一批文件", "import a directory of standard files as one batch"},
    {"screen", fg_cmd_screen, "运行疑点筛查规则", "run the screening rules"},
    {"findings", fg_cmd_findings, "导出疑点 (csv/jsonl/xlsx)", "export findings (csv/jsonl/xlsx)"},
    {"log", fg_cmd_log, "日志校验、检查点和证明", "journal verify, checkpoint and proofs"},
    {"user", fg_cmd_user, "用户与角色", "users and roles"},
    {"propose", fg_cmd_propose, "一岗双核：提议、复核、审批", "two-person review: propose, review, approve"},
    {"person", fg_cmd_person, "查看某人的记录 (记入日志)", "view a person's records (journaled)"},
    {"finding", fg_cmd_finding, "查看一条疑点及其证据 (记入日志)", "show one finding with its evidence (journaled)"},
    {"rules", fg_cmd_rules, "疑点规则目录与现行阈值", "the rule catalogue and thresholds in force"},
    {"runs", fg_cmd_runs, "列出筛查运行", "list screening runs"},
    {"case", fg_cmd_case, "案件：下发、指派、备注、定性、办结、要情、台账", "cases: issue, assign, note, classify, close, ledger"},
    {"recovery", fg_cmd_recovery, "追回款收款与缴存", "recovery receipts and deposits"},
    {"report", fg_cmd_report, "月报与要情报告", "monthly fund report and serious-case reports"},
    {"inspection", fg_cmd_inspection, "现场检查：年度计划、立项、问题", "on-site inspections: plan, open, problems"},
    {"rectify", fg_cmd_rectify, "问题整改台账与销号", "rectification ledger and closing"},
    {"tip", fg_cmd_tip, "举报受理：登记、列表、查看举报人（加密保存）", "whistleblower tips (reporter encrypted)"},
    {"serve", fg_cmd_serve, "网页工作台与 HTTP API", "the web workbench and HTTP API"},
    {"batches", fg_cmd_batches, "列出导入批次", "list import batches"},
};

static void fg_main_usage(FILE *f) {
  fprintf(f, "用法 usage: fundguard <command> [options]\n\n");
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_commands); i++)
    fprintf(f, "  %-9s %s — %s\n", fg_commands[i].name, fg_commands[i].help_zh,
            fg_commands[i].help_en);
  fprintf(f, "\n`fundguard <command> --help` shows a command's options.\n");
  fprintf(f, "以用户身份执行的命令 (import, screen, findings, log checkpoint, user, propose, person)\n"
             "从环境变量 FUNDGUARD_USER / FUNDGUARD_PASSWORD 取得身份，否则在终端输入；\n"
             "两者皆无则退出码 1。gen、log verify/prove/check-proof 不需要用户。\n");
}

int fg_cli_fail(const fg_err *err) {
  fprintf(stderr, "fundguard: %s\n", err->msg[0] ? err->msg : "failed");
  return fg_exit_code(err->code ? err->code : FG_EINPUT);
}

int fg_cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fundguard %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(see `fundguard %s --help`)\n", cmd);
  va_end(ap);
  return 2;
}

bool fg_cli_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  return false;
}

bool fg_cli_stderr_tty(void) { return isatty(STDERR_FILENO) == 1; }

/* Edit distance (insert, delete, substitute, swap of neighbours), capped:
 * enough to tell "improt" is "import". */
static int fg_cli_distance(const char *a, const char *b) {
  enum { N = 32 };
  const size_t la = strlen(a), lb = strlen(b);
  if (la >= N || lb >= N) return N;
  int d[N + 1][N + 1];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      v = FG_MIN(v, d[i - 1][j] + 1);
      v = FG_MIN(v, d[i][j - 1] + 1);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = FG_MIN(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  return d[la][lb];
}

int fg_cli_unknown(const char *cmd, const char *got, const char *const *choices, int n) {
  int best = -1, bd = 3; /* suggest only close ones */
  for (int i = 0; i < n; i++) {
    const int dist = fg_cli_distance(got, choices[i]);
    if (dist < bd) bd = dist, best = i;
  }
  if (best >= 0)
    return fg_cli_usage(cmd, "未知的%s '%s'；是否想用 '%s'？(unknown '%s'; did you mean '%s'?)",
                        *cmd ? "子命令" : "命令", got, choices[best], got, choices[best]);
  fg_buf b = FG_BUF_INIT;
  for (int i = 0; i < n; i++) fg_buf_addf(&b, "%s%s", i ? ", " : "", choices[i]);
  const int rc = fg_cli_usage(cmd, "未知的%s '%s'；可用: %s", *cmd ? "子命令" : "命令", got, b.buf);
  fg_buf_release(&b);
  return rc;
}

int fg_cli_width(const char *s) {
  mbstate_t st;
  memset(&st, 0, sizeof st);
  int w = 0;
  for (size_t n = strlen(s); n > 0;) {
    wchar_t wc;
    const size_t k = mbrtowc(&wc, s, n, &st);
    if (k == (size_t)-1 || k == (size_t)-2 || k == 0) { /* not UTF-8: a column a byte */
      w++, s++, n--;
      memset(&st, 0, sizeof st);
      continue;
    }
    const int cw = wcwidth(wc);
    w += cw > 0 ? cw : 0;
    s += k, n -= k;
  }
  return w;
}

void fg_cli_cell(const char *s, int width, bool right) {
  const int pad = width - fg_cli_width(s);
  if (right)
    for (int i = 0; i < pad; i++) putchar(' ');
  fputs(s, stdout);
  if (!right)
    for (int i = 0; i < pad; i++) putchar(' ');
}

/* The one progress bar of the CLI (stderr, terminals only): per step,
 * never backwards, never past 100%, a line of its own when the step ends.
 * Single-threaded callers only. */
static struct {
  char label[64];
  int pct;
  bool open;
} fg_cli_bar;

void fg_cli_progress(const char *label, uint64_t done, uint64_t total) {
  if (!fg_cli_stderr_tty()) return;
  if (!fg_cli_bar.open || strcmp(fg_cli_bar.label, label) != 0) {
    fg_cli_progress_end();
    snprintf(fg_cli_bar.label, sizeof fg_cli_bar.label, "%s", label);
    fg_cli_bar.pct = -1;
    fg_cli_bar.open = true;
  }
  if (done > total) done = total;
  const int pct = total ? (int)(done * 100 / total) : 100;
  if (pct <= fg_cli_bar.pct) return; /* monotonic: only forward */
  fg_cli_bar.pct = pct;
  enum { W = 40 };
  char bar[W + 1];
  for (int i = 0; i < W; i++) bar[i] = i < pct * W / 100 ? '#' : '.';
  bar[W] = '\0';
  fprintf(stderr, "\r%s [%s] %3d%%", label, bar, pct);
  fflush(stderr);
}

void fg_cli_progress_end(void) {
  if (!fg_cli_bar.open) return;
  fg_cli_bar.open = false;
  if (fg_cli_bar.pct >= 0) fputc('\n', stderr);
}

void fg_cli_protect(fg_fsout_protect *p, const char *db, const char *key_flag) {
  fg_fsout_protect_store(p, db);
  char key[FG_AUTHN_PATH_MAX];
  if (fg_authn_key_path(db, key_flag, key, sizeof key, NULL) == 0) fg_fsout_protect_add(p, key);
}

int main(int argc, char **argv) {
  /* Every file the platform writes holds personal data or secrets: the
   * store, its -wal/-shm, exports, quarantine lists, checkpoints and proofs
   * are created for the owner only (0600), whatever the caller's umask. */
  umask(077);
  /* display widths of Chinese text (tables line up by columns, not bytes) */
  if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) (void)setlocale(LC_CTYPE, "");
  if (argc < 2) {
    fg_main_usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
    printf("fundguard %s (schema version %d)\n", FG_VERSION, FG_STORE_SCHEMA_VERSION);
    return 0;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fg_main_usage(stdout);
    return 0;
  }
  /* the effects of reviewed configuration changes, dismissals, amendments */
  if (fg_actions_register() != 0 || fg_cases_register() != 0) {
    fprintf(stderr, "fundguard: internal error: review kinds not registered\n");
    return 1;
  }
  const char *names[FG_ARRAY_LEN(fg_commands)];
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_commands); i++) {
    if (strcmp(argv[1], fg_commands[i].name) == 0) return fg_commands[i].fn(argc - 1, argv + 1);
    names[i] = fg_commands[i].name;
  }
  return fg_cli_unknown("", argv[1], names, (int)FG_ARRAY_LEN(names));
}
