/*
 * cmd_propose_make.c — `fundguard propose config|dismiss|amend`: make a
 * proposal of the reviewed actions of actions.h (configuration change,
 * finding judged normal, amendment of an imported record). The command
 * only builds the payload and hands it to the review engine, which checks
 * the proposer's permission and the payload (refusals journaled); the
 * effect happens at the final `propose review|approve` by other people.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/actions.h"
#include "authz/authz.h"
#include "cli/cli.h"

typedef struct fg_make_args {
  const char *sub, *db, *key, *file, *run, *rule, *subject, *reason, *table, *record, *case_id, *finding;
  const char *set_col[FG_ACTION_SET_MAX];
  const char *set_val[FG_ACTION_SET_MAX];
  char set_buf[FG_ACTION_SET_MAX][FG_ACTION_VALUE_MAX];
  int nset;
} fg_make_args;

/* --set COLUMN=VALUE into the next slot; false when malformed or full. */
static bool fg_make_set(fg_make_args *a, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (eq == NULL || eq == arg || a->nset == FG_ACTION_SET_MAX ||
      strlen(arg) >= FG_ACTION_VALUE_MAX)
    return false;
  char *b = a->set_buf[a->nset];
  snprintf(b, FG_ACTION_VALUE_MAX, "%s", arg);
  b[eq - arg] = '\0';
  a->set_col[a->nset] = b;
  a->set_val[a->nset] = b + (eq - arg) + 1;
  a->nset++;
  return true;
}

/* Flags of argv[2..] into *a; -1 to go on, else the exit code. */
static int fg_make_parse(int argc, char **argv, fg_make_args *a) {
  for (int i = 2; i < argc; i++) {
    const char *k = argv[i];
    const char **slot = strcmp(k, "--db") == 0        ? &a->db
                        : strcmp(k, "--key") == 0     ? &a->key
                        : strcmp(k, "--run") == 0     ? &a->run
                        : strcmp(k, "--rule") == 0    ? &a->rule
                        : strcmp(k, "--subject") == 0 ? &a->subject
                        : strcmp(k, "--reason") == 0  ? &a->reason
                        : strcmp(k, "--table") == 0   ? &a->table
                        : strcmp(k, "--record") == 0  ? &a->record
                        : strcmp(k, "--case") == 0    ? &a->case_id
                        : strcmp(k, "--finding") == 0 ? &a->finding
                                                      : NULL;
    bool is_set = strcmp(k, "--set") == 0;
    if ((slot || is_set) && i + 1 >= argc)
      return fg_cli_usage("propose", "%s 需要一个值 needs a value", k);
    if (slot) *slot = argv[++i];
    else if (is_set && !fg_make_set(a, argv[++i]))
      return fg_cli_usage("propose", "--set 应为 COLUMN=VALUE (至多 %d 个): %s",
                          FG_ACTION_SET_MAX, argv[i]);
    else if (!is_set && k[0] != '-' && a->file == NULL) a->file = k;
    else if (!is_set) return fg_cli_usage("propose", "未知或缺少参数的选项 %s", k);
  }
  return -1;
}

typedef struct fg_make_found {
  char rule[FG_STORE_CASE_TEXT_MAX], subject[FG_STORE_CASE_TEXT_MAX];
} fg_make_found;

static int fg_make_found_one(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_make_found *x = ud;
  snprintf(x->rule, sizeof x->rule, "%s", f->rule);
  snprintf(x->subject, sizeof x->subject, "%s", f->subject_id);
  return 0;
}

/* dismiss --finding NO: the stable number's newest finding (the terminal
 * masks subject ids, so users quote the number). 1 on a refusal. */
static int fg_make_dismiss_no(const fg_make_args *a, char **payload, fg_err *err) {
  char *end = NULL;
  const long long no = strtoll(a->finding, &end, 10);
  if (*end || no <= 0) return fg_cli_usage("propose", "--finding 应为疑点编号 (%s)", a->finding);
  fg_store *s = NULL;
  int rc = fg_store_open(a->db, true, &s, err);
  int64_t fid = 0, run = 0;
  fg_make_found x = {"", ""};
  if (rc == 0) rc = fg_store_finding_by_no(s, no, &fid, &run, err);
  if (rc == 0 && fid == 0) rc = fg_errf(err, FG_EINPUT, "没有编号为 %lld 的疑点", no);
  if (rc == 0) rc = fg_store_finding_get(s, fid, &run, fg_make_found_one, &x, err);
  fg_store_close(s);
  if (rc) return 1;
  *payload = fg_action_payload_dismiss(run, x.rule, x.subject, a->reason);
  return 0;
}

/* The kind and payload of the subcommand; exit code 2 on a usage error. */
static int fg_make_payload(const fg_make_args *a, const char **kind, char **payload,
                           fg_err *err) {
  if (strcmp(a->sub, "config") == 0) {
    if (!a->file) return fg_cli_usage("propose", "config 需要一个配置文件 FILE");
    *kind = FG_REVIEW_CONFIG_CHANGE;
    return fg_action_payload_config_file(a->file, payload, err) ? 1 : 0;
  }
  if (a->file) return fg_cli_usage("propose", "多余的参数 %s", a->file);
  if (strcmp(a->sub, "dismiss") == 0 && a->finding) {
    if (a->run || a->rule || a->subject || !a->reason)
      return fg_cli_usage("propose", "dismiss --finding 疑点编号 --reason TEXT（不再给 --run/--rule/--subject）");
    *kind = FG_REVIEW_FINDING_DISMISS;
    return fg_make_dismiss_no(a, payload, err);
  }
  if (strcmp(a->sub, "dismiss") == 0) {
    char *end = NULL;
    long long run = a->run ? strtoll(a->run, &end, 10) : 0;
    if (!a->run || *end || run <= 0 || !a->rule || !a->subject || !a->reason)
      return fg_cli_usage("propose", "dismiss 需要 --run ID --rule ID --subject S --reason TEXT");
    *kind = FG_REVIEW_FINDING_DISMISS;
    *payload = fg_action_payload_dismiss(run, a->rule, a->subject, a->reason);
    return 0;
  }
  if (!a->table || !a->record || a->nset == 0 || !a->reason)
    return fg_cli_usage("propose",
                        "amend 需要 --table T --record K[,K2] --set COLUMN=VALUE --reason TEXT [--case CASE]");
  char *end = NULL;
  const long long case_id = a->case_id ? strtoll(a->case_id, &end, 10) : 0;
  if (a->case_id && (*end || case_id <= 0))
    return fg_cli_usage("propose", "--case 应为案件编号 (%s)", a->case_id);
  *kind = FG_REVIEW_DATA_AMENDMENT;
  *payload = fg_action_payload_amend_case(a->table, a->record, a->set_col, a->set_val, a->nset,
                                          a->reason, case_id);
  return 0;
}

/* Authenticate with the kind's permission and propose. */
static int fg_make_propose(const fg_make_args *a, const char *kind, const char *payload,
                           int64_t *id, fg_err *err) {
  const char *perm = NULL;
  fg_review_kind(kind, NULL, &perm);
  fg_store *s = NULL;
  int rc = fg_store_open(a->db, false, &s, err);
  if (rc) return rc;
  fg_signer me;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  rc = fg_authn_cli_key(s, a->db, a->key, perm, 0, &me, err);
  if (rc == 0) {
    rc = fg_authz_load_config(s, cfg, err);
    if (rc == 0) rc = fg_review_propose(s, cfg, &me, kind, payload, (int64_t)time(NULL), id, err);
    fg_authn_signer_wipe(&me);
  }
  free(cfg);
  fg_store_close(s);
  return rc;
}

int fg_propose_make(int argc, char **argv) {
  FG_ASSERT(argc >= 2);
  fg_make_args *a = fg_xcalloc(1, sizeof *a);
  a->sub = argv[1];
  a->db = "fundguard.db";
  int rc = fg_make_parse(argc, argv, a);
  const char *kind = NULL;
  char *payload = NULL;
  fg_err err = {0};
  if (rc < 0) rc = fg_make_payload(a, &kind, &payload, &err);
  int64_t id = 0;
  if (rc == 0 && fg_make_propose(a, kind, payload, &id, &err) != 0) rc = 1;
  if (rc == 1) rc = fg_cli_fail(&err); /* the refusal is journaled by the engine */
  else if (rc == 0)
    printf("已提交提议 #%lld (%s)，待他人复核: fundguard propose review %lld --db %s\n",
           (long long)id, kind, (long long)id, a->db);
  free(payload);
  free(a);
  return rc;
}
