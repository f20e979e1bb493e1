/*
 * cmd_person.c — `fundguard person show PERSON_ID [--db PATH] [--run ID]
 * [--key FILE]`: one person's records from the standard tables (persons,
 * the number of enrollments, the newest 12 contributions and benefit
 * payments, deaths), the findings about the person in a run (the latest by
 * default) with their dispositions, and the approved amendments of the rows
 * shown. Needs person.read (supervisor, auditor).
 *
 * A read of personal data is journaled: the view is built into a buffer
 * first, then a "person.view" entry signed by the viewer (who looked at
 * whom; the entry's time says when) is committed, and only then is the view
 * printed. On a terminal personal ids are masked as in the findings view
 * (export.h fg_export_mask_id); in a pipe or file they are whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions/actions.h"
#include "authz/authz.h"
#include "cli/cli.h"
#include "fields/fields.h"
#include "screen/export.h"

#define FG_PERSON_RECENT 12     /* newest contributions / benefit payments shown */
#define FG_PERSON_ID_BYTES 19   /* normalised person id, NUL included */

static const char fg_person_help[] =
    "用法 usage: fundguard person show PERSON_ID [--db PATH] [--run ID] [--key FILE]\n"
    "\n"
    "查看一个人的记录: 参保人员信息、参保登记条数、最近 12 条缴费记录和待遇发放、死亡火化信息、\n"
    "筛查运行中关于此人的疑点 (默认最近一次运行) 及其处置，以及已批准的修正。\n"
    "Show one person's records, the findings about them and approved amendments.\n"
    "\n"
    "  --db PATH    数据库 (默认 ./fundguard.db)\n"
    "  --run ID     疑点取自这次筛查运行 (默认最近一次)\n"
    "  --key FILE   平台私钥: --key，否则环境变量 FUNDGUARD_KEY，否则 PATH.key\n"
    "\n"
    "需要权限 person.read (基金监督 supervisor、稽核 auditor)。每次查看 (谁、查看了谁、何时)\n"
    "都由查看人签名记入日志 (person.view)，然后才显示。终端上身份证号被遮蔽\n"
    "(110101********123X)，输出到文件或管道时完整。\n"
    "身份: FUNDGUARD_USER / FUNDGUARD_PASSWORD，或在终端输入。\n";

typedef struct fg_person_args {
  const char *db, *key, *run, *id;
} fg_person_args;

typedef struct fg_person_view {
  fg_store *s;
  FILE *out;
  bool mask;
  const fg_table *t; /* table of the rows being printed */
  int64_t records;
  fg_buf tmp;
  fg_err *err;
} fg_person_view;

/* Append value text to the view, masked on a terminal where personal. */
static void fg_person_put(fg_person_view *v, const fg_column *c, const char *text) {
  fg_buf_reset(&v->tmp);
  if (v->mask && c != NULL && c->type == FG_COL_PERSON_ID)
    fg_export_mask_id(&v->tmp, text, strlen(text));
  else if (v->mask)
    fg_export_mask_text(&v->tmp, text);
  else
    fg_buf_adds(&v->tmp, text);
  fputs(v->tmp.buf ? v->tmp.buf : "", v->out);
}

static int fg_person_amendment(void *ud, const fg_store_amendment *a) {
  fg_person_view *v = ud;
  int ci = fg_schema_col(v->t, a->column);
  const fg_column *c = ci >= 0 ? &v->t->cols[ci] : NULL;
  fprintf(v->out, "      修正 amendment (提议 #%lld) %s: ", (long long)a->proposal_id, a->column);
  fg_person_put(v, c, a->old_value ? a->old_value : "(空)");
  fputs(" -> ", v->out);
  fg_person_put(v, c, a->new_value ? a->new_value : "(空)");
  fprintf(v->out, "  理由: %s; 提议 %s, 复核 %s, 审批 %s\n", a->reason, a->proposer, a->reviewer,
          a->approver ? a->approver : "-");
  return 0;
}

static int fg_person_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_person_view *v = ud;
  char text[FG_ACTION_VALUE_MAX];
  fprintf(v->out, "    #%lld", (long long)rowid);
  for (int c = 0; c < v->t->ncols; c++) {
    const fg_column *col = &v->t->cols[c];
    if (strcmp(col->name, "person_id") == 0 || !fg_action_value_text(col, &vals[c], text, sizeof text))
      continue;
    fprintf(v->out, " %s=", col->name);
    fg_person_put(v, col, text);
    const char *label = fg_schema_code_label_zh(col->name, text); /* sex=1（男） */
    if (label != NULL) fprintf(v->out, "（%s）", label);
  }
  fputc('\n', v->out);
  v->records++;
  return v->t->nkey > 0 ? fg_store_amendments_each(v->s, v->t->name, rowid, fg_person_amendment,
                                                   v, v->err)
                        : 0;
}

/* One table's rows of the person (limit 0: all), with a heading. */
static int fg_person_table(fg_person_view *v, fg_table_id t, const char *id, const char *order,
                           int limit, fg_err *err) {
  v->t = fg_schema_table(t);
  fprintf(v->out, "  %s %s%s:\n", v->t->label_zh, v->t->name,
          limit ? " (最近 12 条 newest 12)" : "");
  return fg_store_person_rows(v->s, t, id, order, limit, fg_person_row, v, err);
}

static int fg_person_finding(void *ud, int64_t finding_id, const fg_store_finding *f,
                             const char *evidence) {
  fg_person_view *v = ud;
  char yuan[32];
  fg_fen_to_yuan(f->amount_fen, yuan, sizeof yuan);
  fprintf(v->out, "    疑点 #%lld %s  %s 元  %s  ", (long long)finding_id, f->rule, yuan,
          fg_export_severity_zh(f->severity));
  fg_person_put(v, NULL, f->detail);
  fprintf(v->out, "  证据 %s\n", evidence);
  v->records++;
  return 0;
}

typedef struct fg_person_disp {
  fg_person_view *v;
  const char *id;
} fg_person_disp;

static int fg_person_disposition(void *ud, const fg_store_disposition *d) {
  fg_person_disp *x = ud;
  if (strcmp(d->subject_id, x->id) != 0) return 0;
  fprintf(x->v->out, "    处置 disposition: %s %s (提议 #%lld, 理由: %s; 提议 %s, 复核 %s, 审批 %s)\n",
          d->rule, d->disposition, (long long)d->proposal_id, d->reason, d->proposer,
          d->reviewer, d->approver ? d->approver : "-");
  return 0;
}

/* The findings of run about the person, then their dispositions. */
static int fg_person_findings(fg_person_view *v, const char *id, int64_t run, fg_err *err) {
  fprintf(v->out, "  疑点 findings (筛查运行 run #%lld):\n", (long long)run);
  int rc = fg_store_person_findings(v->s, run, id, fg_person_finding, v, err);
  fg_person_disp x = {v, id};
  if (rc == 0) rc = fg_store_dispositions_each(v->s, run, fg_person_disposition, &x, err);
  return rc;
}

/* The whole view of person id into v->out. */
static int fg_person_build(fg_person_view *v, const char *id, const char *run_arg, fg_err *err) {
  fprintf(v->out, "人员 person: ");
  fg_person_put(v, &fg_schema_table(FG_T_PERSONS)->cols[0], id);
  fputc('\n', v->out);
  /* every table of the standard that names a person (issue 13.6): whole,
   * or the newest FG_PERSON_RECENT rows of the long monthly ones */
  static const struct {
    fg_table_id t;
    const char *order;
  } tables[] = {{FG_T_PERSONS, NULL},
                {FG_T_ENROLLMENTS, "start_date"},
                {FG_T_CONTRIBUTIONS, "period"},
                {FG_T_BENEFIT_PAYMENTS, "period"},
                {FG_T_RETIREMENTS, NULL},
                {FG_T_MEDICAL_SETTLEMENTS, "admit_date"},
                {FG_T_DEATHS, NULL},
                {FG_T_INCARCERATIONS, NULL},
                {FG_T_SURVIVAL_CERTIFICATIONS, "certified_on"},
                {FG_T_STAFF, NULL},
                {FG_T_OPERATIONS, "at"}};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < FG_ARRAY_LEN(tables); i++) {
    const fg_table *tab = fg_schema_table(tables[i].t);
    const char *order = tables[i].order && fg_schema_col(tab, tables[i].order) >= 0 ? tables[i].order : NULL;
    rc = fg_person_table(v, tables[i].t, id, order, order ? FG_PERSON_RECENT : 0, err);
  }
  if (rc) return rc;
  int64_t run = 0;
  bool found = false;
  if (run_arg) {
    char *end = NULL;
    run = strtoll(run_arg, &end, 10);
    found = *end == '\0' && run > 0;
    if (!found) return fg_errf(err, FG_EUSAGE, "--run 需要正整数: %s", run_arg);
  } else if ((rc = fg_store_run_latest(v->s, true, &run, &found, err)) != 0) {
    return rc;
  }
  if (!found) {
    fprintf(v->out, "  疑点 findings: 尚无全部规则的正式筛查运行（可用 --run 指定）\n");
    return 0;
  }
  return fg_person_findings(v, id, run, err);
}

/* Build the view, journal it, then print it. */
static int fg_person_show(fg_store *s, const fg_person_args *a, const char *id, fg_err *err) {
  fg_signer me;
  int rc = fg_authn_cli_key(s, a->db, a->key, NULL, 0, &me, err);
  if (rc) return rc;
  /* person.read, or a reviewer / approver of an open proposal naming the
   * person: they must see what they are asked to judge (journaled alike) */
  if (fg_authz_check(s, me.actor, FG_PERM_PERSON_READ, err) != 0) {
    int64_t pid = 0;
    const bool judge = fg_authz_check(s, me.actor, FG_PERM_PROPOSAL_REVIEW, NULL) == 0 ||
                       fg_authz_check(s, me.actor, FG_PERM_PROPOSAL_APPROVE, NULL) == 0;
    if (judge && (rc = fg_action_open_proposal_naming(s, id, (int64_t)time(NULL), &pid, err)) != 0)
      return rc;
    if (pid == 0) return fg_authn_deny(s, &me, FG_PERM_PERSON_READ, err);
  }
  char *mem = NULL;
  size_t nmem = 0;
  fg_person_view v = {.s = s, .mask = isatty(STDOUT_FILENO) == 1, .err = err};
  if ((v.out = open_memstream(&mem, &nmem)) == NULL)
    rc = fg_errf(err, FG_EIO, "内存不足: %s", strerror(errno));
  if (rc == 0) rc = fg_person_build(&v, id, a->run, err);
  if (v.out && fclose(v.out) != 0 && rc == 0) rc = fg_errf(err, FG_EIO, "内存不足");
  if (rc == 0) rc = fg_action_person_viewed(s, &me, id, v.records, err);
  if (rc == 0 && (fwrite(mem, 1, nmem, stdout) != nmem || fflush(stdout) != 0))
    rc = fg_errf(err, FG_EIO, "写入失败 (write failed)");
  if (rc == 0 && v.records == 0)
    rc = fg_errf(err, FG_EINPUT, "没有此人的记录 (no records of this person)");
  fg_authn_signer_wipe(&me);
  fg_buf_release(&v.tmp);
  free(mem);
  return rc;
}

int fg_cmd_person(int argc, char **argv) {
  if (fg_cli_wants_help(argc, argv)) {
    fputs(fg_person_help, stdout);
    return 0;
  }
  static const char *const subs[] = {"show"};
  if (argc < 2) return fg_cli_usage("person", "子命令只有 show: fundguard person show PERSON_ID");
  if (strcmp(argv[1], "show") != 0) return fg_cli_unknown("person", argv[1], subs, 1);
  fg_person_args a = {.db = "fundguard.db"};
  for (int i = 2; i < argc; i++) {
    const char **slot = strcmp(argv[i], "--db") == 0    ? &a.db
                        : strcmp(argv[i], "--key") == 0 ? &a.key
                        : strcmp(argv[i], "--run") == 0 ? &a.run
                                                        : NULL;
    if (slot && i + 1 < argc) *slot = argv[++i];
    else if (!slot && argv[i][0] != '-' && a.id == NULL) a.id = argv[i];
    else return fg_cli_usage("person", "未知或缺少参数的选项 %s", argv[i]);
  }
  char id[FG_PERSON_ID_BYTES];
  if (a.id == NULL || !fg_person_id_normalize(a.id, strlen(a.id), id))
    return fg_cli_usage("person", "需要一个身份证号 PERSON_ID (1-18 位字母或数字)");
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  int rc = fg_person_show(s, &a, id, &err);
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}
