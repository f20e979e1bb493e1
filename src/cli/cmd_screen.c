/*
 * cmd_screen.c — `fundguard screen [--db PATH] [--as-of DATE] [--rules LIST]
 * [--config FILE] [--key FILE]`: run the screening rules (screen.h fg_screen_run) and
 * print a summary per rule on stdout; timing and warnings on stderr.
 * Findings are results, not problems: exit 0 whatever is found. The user
 * (FUNDGUARD_USER / FUNDGUARD_PASSWORD or the terminal) needs
 * findings.screen; the run and its findings are stored together with a
 * "screen.run" journal entry signed by that user (journal.h
 * fg_journal_screen_hook), in one transaction. --db defaults to
 * ./fundguard.db, --as-of to today in Beijing time (UTC+8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/date.h"
#include "authz/authz.h"
#include "cases/cases.h"
#include "cli/cli.h"
#include "journal/journal.h"
#include "screen/screen.h"


static const char fg_screen_help[] =
    "用法 usage: fundguard screen [--db PATH] [--as-of DATE] [--rules LIST] [--config FILE]"
    " [--allow-future]\n"
    "       fundguard screen show RUN [--db PATH]   重新打印某次运行的汇总 reprint a run's summary"
    " [--key FILE]\n"
    "\n"
    "运行疑点筛查规则，结果作为一次筛查运行保存在数据库中。\n"
    "Run the screening rules over the store; the findings are stored as one run\n"
    "(export them with `fundguard findings`).\n"
    "\n"
    "  --db PATH       数据库文件 the store (默认 default ./fundguard.db)\n"
    "  --as-of DATE    筛查基准日 YYYY-MM-DD the screening date\n"
    "                  (默认今天, 北京时间 default: today in Beijing time, UTC+8)\n"
    "  --allow-future  允许晚于今天的 --as-of（记为假设分析 what-if，不作为正式筛查）\n"
    "  --rules LIST    只运行这些规则 (逗号分隔) only these rule ids, comma-separated\n"
    "  --config FILE   假设分析: 使用另一份配置 (不作为正式筛查)\n"
    "                  what-if run with another configuration (not official)\n"
    "  --key FILE      平台私钥 platform key: --key, else $FUNDGUARD_KEY, else PATH.key\n"
    "\n"
    "身份 identity: 环境变量 FUNDGUARD_USER / FUNDGUARD_PASSWORD，否则在终端输入；\n"
    "  两者皆无则退出码 1。需要权限 findings.screen (基金监督 supervisor)。\n"
    "  本次运行由该用户签名记入日志 (screen.run)。\n"
    "\n"
    "stdout: 每条规则的疑点数和涉及金额; stderr: 用时和警告. Exit 0 whatever is found.\n";

/* Authenticate the acting user with findings.screen (refusals are
 * journaled by fg_authn_cli); *me signs the run's journal entry. */
static int fg_screen_login(const char *db, const char *key, fg_signer *me, fg_err *err) {
  fg_store *s = NULL;
  int rc = fg_store_open(db, false, &s, err);
  if (rc == 0) rc = fg_authn_cli_key(s, db, key, FG_PERM_FINDINGS_SCREEN, 0, me, err);
  fg_store_close(s);
  return rc;
}

/* One line of the summary table, padded by display width. */
static void fg_screen_line(const char *rule, int64_t count, int64_t amount_fen, const char *name) {
  char n[32], yuan[32];
  snprintf(n, sizeof n, "%lld", (long long)count);
  fg_fen_to_yuan(amount_fen, yuan, sizeof yuan);
  fg_cli_cell(rule, 42, false), putchar(' ');
  fg_cli_cell(n, 10, true), putchar(' ');
  fg_cli_cell(yuan, 18, true);
  printf("  %s\n", name);
}

/* The summary of a run (just made, or stored: screen show). kind_zh names
 * the kind (正式 / 部分规则 / 假设分析). */
static void fg_screen_print_stats(int64_t run_id, const char *as_of, const char *note,
                                  const char *kind_zh, const char *config_hash,
                                  const fg_screen_rule_stat *stats, int nstats, int64_t nfindings,
                                  int64_t amount_fen) {
  printf("筛查运行 run #%lld  基准日 as of %s%s  %s  配置 config %.12s\n", (long long)run_id, as_of,
         note, kind_zh, config_hash);
  fg_cli_cell("规则 rule", 42, false), putchar(' ');
  fg_cli_cell("疑点数", 10, true), putchar(' ');
  fg_cli_cell("涉及金额(元)", 18, true);
  printf("  名称\n");
  int nskipped = 0;
  for (int i = 0; i < nstats; i++) {
    if (stats[i].skipped) nskipped++;
    else fg_screen_line(stats[i].rule->id, stats[i].count, stats[i].amount_fen, stats[i].rule->title_zh);
  }
  fg_screen_line("合计 total", nfindings, amount_fen, "");
  if (nskipped) {
    printf("\n已跳过的规则 skipped rules (缺少输入表 input tables absent): %d\n", nskipped);
    for (int i = 0; i < nstats; i++)
      if (stats[i].skipped)
        printf("  %-40s %s (缺少 %s)\n", stats[i].rule->id, stats[i].rule->title_zh,
               stats[i].missing[0] ? stats[i].missing : "输入表");
  }
}

static void fg_screen_print(const fg_screen_result *res, const fg_screen_opts *o, bool today) {
  char as_of[11];
  fg_format_day(o->as_of, as_of);
  const bool partial = o->rules != NULL && o->rules[0] != '\0';
  fg_screen_print_stats(res->run_id, as_of, today ? " (今天, 北京时间 today, Beijing time)" : "",
                        !res->official ? (o->future ? "假设分析 what-if（未来日期试算）" : "假设分析 what-if (非正式)")
                        : partial     ? "正式 official（部分规则 partial）"
                                      : "正式 official",
                        res->config_hash, res->stats, res->nstats, res->nfindings, res->amount_fen);
  if (fg_saturations() > 0)
    printf("注意：有 %lld 处金额或数量的累计超出了 64 位整数的上限，已按上限计"
           "（相关疑点照常列出，金额为下限）\n",
           (long long)fg_saturations());
}

/* Issue 15.3: new, carried over, resolved against the previous official run. */
static void fg_screen_print_continuity(const char *db, int64_t run) {
  fg_store *s = NULL;
  fg_err err = {0};
  fg_case_continuity c;
  if (fg_store_open(db, true, &s, &err) == 0 && fg_case_run_continuity(s, run, &c, &err) == 0)
    printf("与上次正式运行相比: 新增 %lld 条，延续 %lld 条，已消除 %lld 条；其中已认定正常 %lld 条，"
           "已立案 %lld 条 (new %lld, carried over %lld, resolved %lld)\n",
           (long long)c.fresh, (long long)c.carried, (long long)c.resolved, (long long)c.dismissed,
           (long long)c.in_case, (long long)c.fresh, (long long)c.carried, (long long)c.resolved);
  else
    fprintf(stderr, "fundguard screen: 警告: 未能统计新增/延续 (%s)\n", err.msg);
  fg_store_close(s);
}

/* ---- screen show RUN: reprint a stored run's summary ---------------------- */

typedef struct fg_screen_show {
  fg_screen_rule_stat stats[FG_SCREEN_RULES_MAX];
  int n;
  int64_t nfindings, amount_fen;
} fg_screen_show;

static void fg_screen_show_rules(fg_screen_show *x, const char *list, bool skipped) {
  char id[96];
  for (const char *p = list; *p && x->n < FG_SCREEN_RULES_MAX;) {
    const size_t len = strcspn(p, ",");
    snprintf(id, sizeof id, "%.*s", (int)FG_MIN(len, sizeof id - 1), p);
    const fg_rule *r = fg_rule_by_id(id);
    if (r) x->stats[x->n++] = (fg_screen_rule_stat){.rule = r, .skipped = skipped};
    p += len + (p[len] == ',');
  }
}

static int fg_screen_show_finding(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  (void)id, (void)ev;
  fg_screen_show *x = ud;
  for (int i = 0; i < x->n; i++)
    if (strcmp(x->stats[i].rule->id, f->rule) == 0) {
      x->stats[i].count++;
      x->stats[i].amount_fen = fg_add_sat(x->stats[i].amount_fen, f->amount_fen);
    }
  x->nfindings++;
  x->amount_fen = fg_add_sat(x->amount_fen, f->amount_fen);
  return 0;
}

static int fg_screen_show_run(const char *db, const char *key, const char *run_arg) {
  char *end = NULL;
  const long long id = strtoll(run_arg, &end, 10);
  if (*end || id <= 0) return fg_cli_usage("screen", "运行编号应为正整数: %s", run_arg);
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(db, false, &s, &err) != 0) return fg_cli_fail(&err);
  fg_signer me;
  int rc = fg_authn_cli_key(s, db, key, FG_PERM_FINDINGS_READ, 0, &me, &err);
  fg_store_run r;
  bool found = false;
  fg_screen_show *x = fg_xcalloc(1, sizeof *x);
  if (rc == 0) {
    fg_authn_signer_wipe(&me);
    rc = fg_store_run_get(s, id, &r, &found, &err);
  }
  if (rc == 0 && !found) rc = fg_errf(&err, FG_EINPUT, "没有编号为 %lld 的筛查运行", id);
  if (rc == 0) {
    fg_screen_show_rules(x, r.rules_run, false);
    fg_screen_show_rules(x, r.rules_skipped, true);
    rc = fg_store_findings_each(s, id, NULL, fg_screen_show_finding, x, &err);
  }
  if (rc == 0) {
    char note[96];
    snprintf(note, sizeof note, "（执行人 %s，完成于 %s）", r.actor, r.finished_at);
    fg_screen_print_stats(id, r.as_of, note,
                          !r.official ? "假设分析 what-if" : r.partial ? "正式 official（部分规则 partial）"
                                                                       : "正式 official",
                          r.config_sha256, x->stats, x->n, x->nfindings, x->amount_fen);
  }
  if (found) fg_store_run_release(&r);
  free(x);
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}

typedef struct fg_screen_args {
  const char *db, *as_of, *key;
} fg_screen_args;

/* Flags into *a and *o; -1 to go on, else the exit code. */
static int fg_screen_parse(int argc, char **argv, fg_screen_args *a, fg_screen_opts *o) {
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i];
    if (strcmp(k, "--help") == 0 || strcmp(k, "-h") == 0) {
      fputs(fg_screen_help, stdout);
      return 0;
    }
    if (strcmp(k, "--allow-future") == 0) {
      o->future = true; /* checked against the date below */
      continue;
    }
    const char **slot = strcmp(k, "--db") == 0       ? &a->db
                        : strcmp(k, "--as-of") == 0  ? &a->as_of
                        : strcmp(k, "--key") == 0    ? &a->key
                        : strcmp(k, "--rules") == 0  ? &o->rules
                        : strcmp(k, "--config") == 0 ? &o->config_path
                                                     : NULL;
    if (!slot) return fg_cli_usage("screen", "未知参数 unknown argument '%s'", k);
    if (i + 1 >= argc) return fg_cli_usage("screen", "%s 需要一个值 needs a value", k);
    *slot = argv[++i];
  }
  return -1;
}

static void fg_screen_bar(void *ud, const char *step, uint64_t done, uint64_t total) {
  (void)ud;
  fg_cli_progress(step, done, total);
}


int fg_cmd_screen(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "show") == 0) { /* screen show RUN [--db PATH] [--key FILE] */
    const char *db = "fundguard.db", *key = NULL, *run = NULL;
    for (int i = 2; i < argc; i++) {
      if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
      else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) key = argv[++i];
      else if (run == NULL && argv[i][0] != '-') run = argv[i];
      else return fg_cli_usage("screen", "screen show RUN: 未知参数 %s", argv[i]);
    }
    if (run == NULL) return fg_cli_usage("screen", "screen show 需要运行编号 RUN");
    return fg_screen_show_run(db, key, run);
  }
  fg_screen_args a = {"fundguard.db", NULL, NULL};
  fg_screen_opts o = {0};
  int pr = fg_screen_parse(argc, argv, &a, &o);
  if (pr >= 0) return pr;
  if (!a.as_of) o.as_of = fg_beijing_today();
  else if (!fg_parse_day(a.as_of, (int)strlen(a.as_of), &o.as_of))
    return fg_cli_usage("screen", "--as-of 不是有效日期 YYYY-MM-DD: %s", a.as_of);
  /* A date after today screens data that cannot exist yet: only as a
   * what-if aid, asked for explicitly and recorded as such. */
  const bool after_today = o.as_of > fg_beijing_today();
  if (after_today && !o.future)
    return fg_cli_usage("screen",
                        "--as-of %s 晚于今天（北京时间）：如确需按未来日期试算，请加 --allow-future"
                        "（该运行记为假设分析，不作为正式筛查）",
                        a.as_of);
  o.future = after_today;
  fg_err err = {0};
  fg_signer me;
  if (fg_screen_login(a.db, a.key, &me, &err) != 0) return fg_cli_fail(&err);
  o.actor = me.actor;
  o.on_commit = fg_journal_screen_hook;
  o.progress = fg_screen_bar;
  o.hook_ud = &me;
  fg_screen_result res;
  int rc = fg_screen_run(a.db, &o, &res, &err);
  fg_cli_progress_end();
  fg_authn_signer_wipe(&me);
  if (rc) return fg_cli_fail(&err);
  fg_screen_print(&res, &o, a.as_of == NULL);
  fg_screen_print_continuity(a.db, res.run_id);
  fprintf(stderr, "fundguard screen: 载入 load %.2f s, 规则 rules %.2f s, 保存 store %.2f s\n",
          res.load_ms / 1000.0, res.rules_ms / 1000.0, res.store_ms / 1000.0);
  fg_screen_result_release(&res);
  return 0;
}
