/*
 * cmd_propose.c — `fundguard propose list|show|review|approve|refuse`: the
 * two-person review queue (authz.h fg_review_); `propose config|dismiss|
 * amend` make proposals (cmd_propose_make.c). Listing needs
 * proposal.read; review, approval and refusal are checked by the engine
 * (not the proposer, not the reviewer again, the right permission, not
 * expired) and every refusal is journaled. Lists print a header row and
 * Beijing times (+08:00), as the journal does.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/date.h"
#include "actions/actions.h"
#include "authz/authz.h"
#include "cli/cli.h"

typedef struct fg_propose_args {
  const char *sub, *db, *key, *reason, *idtext;
} fg_propose_args;

static void fg_propose_usage(FILE *f) {
  fprintf(f,
          "用法 usage: fundguard propose <子命令> [--db PATH] [--key FILE]\n"
          "  list                 列出提议及其状态 (需 proposal.read)\n"
          "  show ID              查看提议内容\n"
          "  review ID            复核 (须非提议人，需 proposal.review)\n"
          "  approve ID           审批 (须非提议人、非复核人，需 proposal.approve)\n"
          "  refuse ID [--reason TEXT]   驳回\n"
          "  config FILE          提议配置变更 (需 config.propose: 基金监督、系统管理；\n"
          "                       复核、审批后成为正式配置，下次 screen 使用)\n"
          "  dismiss --run R --rule ID --subject S --reason TEXT   或 dismiss --finding 疑点编号 --reason TEXT\n"
          "                       提议认定疑点正常 (需 finding.dismiss: 基金监督；经复核后生效，\n"
          "                       疑点导出的 disposition 列显示 dismissed_normal)\n"
          "  amend --table T --record K[,K2] --set COLUMN=VALUE [--set ...] --reason TEXT\n"
          "                       提议修正导入的记录 (需 data.amend: 经办；复核、审批后记入\n"
          "                       修正表 amendments，原记录不变；新值按导入规则校验；\n"
          "                       --case CASE: 经办操作错误的案件据此办结)\n"
          "  writeoff CASE --amount 元 --reason TEXT\n"
          "                       提议核销追回余额 (需 writeoff.propose: 案件所属机构经办；复核、审批)\n"
          "  penalty CASE --basis fraud|evasion|obstruction --amount 元 [--base 元] --reason TEXT\n"
          "                       提议罚款 (需 penalty.propose: 基金监督；须在法定幅度内；复核、审批)\n"
          "  --db PATH    数据库 (默认 ./fundguard.db)\n"
          "  --key FILE   平台私钥: --key，否则环境变量 FUNDGUARD_KEY，否则 PATH.key\n"
          "list 先打印表头; 时间为北京时间 (+08:00)，与日志相同。\n"
          "身份: FUNDGUARD_USER / FUNDGUARD_PASSWORD，或在终端输入。\n"
          "list/show: 有 proposal.read 者看全部；提议人看自己的；复核人、审批人看待其判断的。\n"
          "show 另给出可读的摘要（配置变更逐项列出 现值 → 新值，数据修正列出原值和新值）。\n");
}


static void fg_propose_print(const fg_store_proposal *p, bool full) {
  fg_buf shown = FG_BUF_INIT;
  fg_action_payload_shown(p->payload, &shown);
  time_t exp = (time_t)p->expires_s + FG_BEIJING_OFFSET_S; /* as the journal shows times */
  struct tm tm;
  char when[40];
  gmtime_r(&exp, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  fg_review_status st = fg_review_status_of(p, (int64_t)time(NULL));
  printf("#%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)p->id, p->kind, p->proposer,
         fg_review_status_zh(st), when, full ? "" : shown.buf);
  if (full)
    printf("  内容 payload: %s\n  复核 reviewer: %s\n  审批 approver: %s\n  驳回 refused by: %s\n",
           shown.buf, p->reviewer[0] ? p->reviewer : "-", p->approver[0] ? p->approver : "-",
           p->refused_by[0] ? p->refused_by : "-");
  fg_buf_release(&shown);
}

/* Who may read proposal p: proposal.read, its proposer, or a reviewer or
 * approver (the people asked to judge it). */
static bool fg_propose_may_read(fg_store *s, const fg_signer *me, const fg_store_proposal *p) {
  return fg_authz_check(s, me->actor, FG_PERM_PROPOSAL_READ, NULL) == 0 ||
         strcmp(p->proposer, me->actor) == 0 ||
         fg_authz_check(s, me->actor, FG_PERM_PROPOSAL_REVIEW, NULL) == 0 ||
         fg_authz_check(s, me->actor, FG_PERM_PROPOSAL_APPROVE, NULL) == 0;
}

typedef struct fg_propose_list_ctx {
  fg_store *s;
  const fg_signer *me;
  int hidden;
} fg_propose_list_ctx;

static void fg_propose_header(void) {
  printf("编号 id\t类型 kind\t提议人 proposer\t状态 status\t到期 expires (北京时间)\t"
         "内容 payload\n");
}

static int fg_propose_list_one(void *ud, const fg_store_proposal *p) {
  fg_propose_list_ctx *c = ud;
  if (fg_propose_may_read(c->s, c->me, p)) fg_propose_print(p, false);
  else c->hidden++;
  return 0;
}

static int fg_propose_show(fg_store *s, fg_signer *me, int64_t id, fg_err *err) {
  fg_store_proposal p;
  bool found = false;
  int rc = fg_store_proposal_get(s, id, &p, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EINPUT, "提议 #%lld 不存在", (long long)id);
  if (!fg_propose_may_read(s, me, &p)) {
    fg_store_proposal_release(&p);
    fg_errf(err, FG_EPERM, "权限不足: 用户 %s 不能查看他人的提议 #%lld（需要 proposal.read，"
            "或是提议人、复核人、审批人）", me->actor, (long long)id);
    return fg_authn_deny(s, me, FG_PERM_PROPOSAL_READ, err);
  }
  fg_buf what = FG_BUF_INIT;
  rc = fg_action_describe(s, &p, &what, err);
  if (rc == 0) {
    fg_propose_header();
    fg_propose_print(&p, true);
    printf("提议内容 summary:\n%s", what.buf ? what.buf : "");
  }
  fg_buf_release(&what);
  fg_store_proposal_release(&p);
  return rc;
}

/* review / approve / refuse as the authenticated user. */
static int fg_propose_act(fg_store *s, const fg_propose_args *a, int64_t id, fg_err *err) {
  const char *sub = a->sub, *reason = a->reason;
  fg_signer me;
  int rc = fg_authn_cli_key(s, a->db, a->key, NULL, 0, &me, err);
  if (rc) return rc;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  rc = fg_authz_load_config(s, cfg, err);
  const int64_t now = (int64_t)time(NULL);
  if (rc == 0 && strcmp(sub, "review") == 0) rc = fg_review_review(s, cfg, &me, id, now, err);
  else if (rc == 0 && strcmp(sub, "approve") == 0)
    rc = fg_review_approve(s, cfg, &me, id, now, err);
  else if (rc == 0)
    rc = fg_review_refuse(s, &me, id, reason ? reason : "", now, err);
  fg_authn_signer_wipe(&me);
  free(cfg);
  if (rc == 0) fprintf(stderr, "提议 #%lld: %s 已记录。\n", (long long)id, sub);
  return rc;
}

/* Flags into *a and the proposal number into *id; -1 to go on, else the
 * exit code. */
static int fg_propose_parse(int argc, char **argv, fg_propose_args *a, int64_t *id) {
  a->sub = argv[1];
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) a->db = argv[++i];
    else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) a->key = argv[++i];
    else if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc) a->reason = argv[++i];
    else if (argv[i][0] != '-' && a->idtext == NULL) a->idtext = argv[i];
    else return fg_cli_usage("propose", "未知或缺少参数的选项 %s", argv[i]);
  }
  const char *sub = a->sub;
  bool known = strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
               strcmp(sub, "review") == 0 || strcmp(sub, "approve") == 0 ||
               strcmp(sub, "refuse") == 0;
  static const char *const subs[] = {"list",   "show",   "review", "approve",
                                     "refuse", "config", "dismiss", "amend",
                                     "writeoff", "penalty", "reward"};
  if (!known) return fg_cli_unknown("propose", sub, subs, (int)FG_ARRAY_LEN(subs));
  char *end = NULL;
  long long v = a->idtext ? strtoll(a->idtext, &end, 10) : 0;
  if (strcmp(sub, "list") != 0 && (a->idtext == NULL || *end != '\0' || v <= 0))
    return fg_cli_usage("propose", "%s 需要一个提议编号 ID", sub);
  *id = v;
  return -1;
}

int fg_cmd_propose(int argc, char **argv) {
  if (argc < 2) {
    fg_propose_usage(stderr);
    return 2;
  }
  if (fg_cli_wants_help(argc, argv)) {
    fg_propose_usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "config") == 0 || strcmp(argv[1], "dismiss") == 0 ||
      strcmp(argv[1], "amend") == 0)
    return fg_propose_make(argc, argv);
  if (strcmp(argv[1], "writeoff") == 0 || strcmp(argv[1], "penalty") == 0 ||
      strcmp(argv[1], "reward") == 0)
    return fg_propose_case(argc, argv);
  fg_propose_args a = {.db = "fundguard.db"};
  int64_t id = 0;
  int pr = fg_propose_parse(argc, argv, &a, &id);
  if (pr >= 0) return pr;
  bool is_list = strcmp(a.sub, "list") == 0;
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  int rc;
  if (is_list || strcmp(a.sub, "show") == 0) {
    fg_signer me;
    rc = fg_authn_cli_key(s, a.db, a.key, NULL, 0, &me, &err);
    if (rc == 0 && is_list) fg_propose_header();
    fg_propose_list_ctx c = {s, &me, 0};
    if (rc == 0)
      rc = is_list ? fg_store_proposal_each(s, fg_propose_list_one, &c, &err)
                   : fg_propose_show(s, &me, id, &err);
    if (rc == 0 && c.hidden > 0)
      fprintf(stderr, "另有 %d 条他人的提议未列出（需要 proposal.read）\n", c.hidden);
    fg_authn_signer_wipe(&me);
  } else {
    rc = fg_propose_act(s, &a, id, &err);
  }
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}
