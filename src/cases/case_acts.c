/*
 * case_acts.c — the acts of case work (cases.h): issue, assign, note,
 * classify, close, mark serious, receipts, deposits, and the write-off and
 * penalty proposals. Each act: scope (permission + agency), the state
 * check on the derived view, then its rows and the journal entry in one
 * transaction. A refusal after login is journaled as "case.denied".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_impl.h"
#include "common/fsout.h"
#include "common/sha256.h"
#include "journal/json.h"
#include "screen/export.h"

int fg_case_ctx_init(fg_case_ctx *x, fg_store *s, const fg_config *cfg, const fg_signer *me,
                     fg_err *err) {
  FG_ASSERT(x != NULL && s != NULL && cfg != NULL && me != NULL);
  memset(x, 0, sizeof *x);
  x->s = s;
  x->cfg = cfg;
  x->me = me;
  x->today = fg_beijing_today();
  fg_store_user u;
  bool found = false;
  int rc = fg_store_user_get(s, me->actor, &u, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EPERM, "用户 %s 不存在", me->actor);
  if (rc == 0) snprintf(x->agency, sizeof x->agency, "%s", u.agency);
  return rc;
}

void fg_case_payload(fg_buf *b, int64_t case_id, const char *more) {
  fg_buf_addf(b, "{\"case\":%lld%s}", (long long)case_id, more ? more : "");
}

int fg_case_refuse(fg_case_ctx *x, const char *act, int64_t case_id, fg_err *err) {
  FG_ASSERT(x != NULL && act != NULL && err != NULL);
  const int code = err->code ? err->code : FG_EINPUT;
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"act\":");
  fg_journal_json_add_str(&p, act, strlen(act));
  fg_buf_addf(&p, ",\"case\":%lld,\"reason\":", (long long)case_id);
  fg_journal_json_add_str(&p, err->msg, strlen(err->msg));
  fg_buf_addc(&p, '}');
  fg_err jerr = {0};
  if (fg_store_begin(x->s, &jerr) == 0) {
    if (fg_journal_append(x->s, x->me, "case.denied", p.buf, p.len, NULL, &jerr) == 0)
      fg_store_commit(x->s, &jerr);
    else fg_store_rollback(x->s);
  }
  fg_buf_release(&p);
  return code;
}

/* Read the case again inside the write transaction and run the check. */
static int fg_case_recheck_now(fg_case_ctx *x, int64_t case_id, const fg_case_recheck *r,
                               fg_err *err) {
  fg_case_view v;
  bool found = false;
  int rc = fg_case_load(x, case_id, &v, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "案件 #%lld 不存在", (long long)case_id);
  if (rc == 0) rc = r->fn(r->ud, &v, err);
  if (found) fg_case_view_release(&v);
  return rc;
}

int fg_case_commit_event(fg_case_ctx *x, const char *action, fg_store_case_event *e,
                         const char *payload, const fg_case_recheck *recheck, fg_err *err) {
  FG_ASSERT(x != NULL && action != NULL && e != NULL && payload != NULL);
  int rc = fg_store_begin(x->s, err);
  if (rc) return rc;
  if (recheck && (rc = fg_case_recheck_now(x, e->case_id, recheck, err)) != 0) {
    fg_store_rollback(x->s);
    return fg_case_refuse(x, recheck->act, e->case_id, err);
  }
  int64_t seq = 0, got = 0;
  rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0) rc = fg_store_case_event_add(x->s, e, seq, err);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, action, payload, strlen(payload), &got, err);
  FG_ASSERT(rc != 0 || got == seq);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  return rc;
}

/* fg_case_commit_event with the payload {"case":N,"key":value}. */
static int fg_case_commit_str(fg_case_ctx *x, const char *action, fg_store_case_event *e,
                              const char *key, const char *value, const fg_case_recheck *r,
                              fg_err *err) {
  fg_buf p = FG_BUF_INIT, more = FG_BUF_INIT;
  fg_buf_addf(&more, ",\"%s\":", key);
  fg_journal_json_add_str(&more, value, strlen(value));
  fg_case_payload(&p, e->case_id, more.buf);
  int rc = fg_case_commit_event(x, action, e, p.buf, r, err);
  fg_buf_release(&p);
  fg_buf_release(&more);
  return rc;
}

static int fg_case_open_check(void *ud, const fg_case_view *v, fg_err *err) {
  (void)ud;
  return v->state == FG_CASE_CLOSED
             ? fg_errf(err, FG_ESTATE, "案件 #%lld 已办结", (long long)v->c.id)
             : 0;
}

static int fg_case_not_serious(void *ud, const fg_case_view *v, fg_err *err) {
  (void)ud;
  return v->serious_on != FG_NODAY
             ? fg_errf(err, FG_EINPUT, "案件 #%lld 已标记为要情", (long long)v->c.id)
             : 0;
}

int fg_case_dismissal_refused(fg_store *s, int64_t proposal_id, bool *refused, fg_err *err) {
  *refused = false;
  if (proposal_id <= 0) return 0;
  fg_store_proposal p = {0};
  bool found = false;
  int rc = fg_store_proposal_get(s, proposal_id, &p, &found, err);
  if (rc == 0 && found) {
    fg_review_status st = fg_review_status_of(&p, fg_beijing_now_s());
    *refused = st == FG_REVIEW_REFUSED || st == FG_REVIEW_EXPIRED;
  }
  fg_store_proposal_release(&p);
  return rc;
}

static int fg_case_fold_one(void *ud, const fg_store_case_event *e) {
  fg_case_fold(ud, e);
  return 0;
}

int fg_case_load(fg_case_ctx *x, int64_t case_id, fg_case_view *v, bool *found, fg_err *err) {
  fg_store_case_row c;
  int rc = fg_store_case_get(x->s, case_id, &c, found, err);
  if (rc || !*found) return rc;
  fg_case_view_start(v, &c);
  rc = fg_store_case_events_each(x->s, case_id, fg_case_fold_one, v, err);
  bool refused = false;
  if (rc == 0 && strcmp(v->outcome, "normal") == 0 && v->state == FG_CASE_CLASSIFIED)
    rc = fg_case_dismissal_refused(x->s, v->dismiss_proposal, &refused, err);
  fg_case_fold_dismissal(v, refused);
  fg_case_judge(v, x->cfg, x->today);
  return rc;
}

int fg_case_load_unscoped(fg_store *s, int64_t case_id, fg_case_view *v, bool *found,
                          fg_err *err) {
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg); /* deadlines do not matter to the checks that use this */
  fg_case_ctx x = {.s = s, .cfg = cfg, .today = fg_beijing_today()};
  int rc = fg_case_load(&x, case_id, v, found, err);
  free(cfg);
  return rc;
}

int fg_case_scoped(fg_case_ctx *x, int64_t case_id, const char *perm, const char *office_perm,
                   fg_case_view *v, fg_err *err) {
  const char *need = x->agency[0] ? perm : office_perm;
  if (need == NULL)
    return fg_errf(err, FG_EPERM,
                   "权限不足: 用户 %s 属于基金监督机构，此步骤由案件所属经办机构的用户办理",
                   x->me->actor);
  int rc = fg_authz_check(x->s, x->me->actor, need, err);
  if (rc) return rc;
  bool found = false;
  rc = fg_case_load(x, case_id, v, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EINPUT, "案件 #%lld 不存在", (long long)case_id);
  if (x->agency[0] && strcmp(x->agency, v->c.agency) != 0) {
    fg_case_view_release(v);
    return fg_errf(err, FG_EPERM, "权限不足: 案件 #%lld 属于经办机构 %s，用户 %s 属于 %s",
                   (long long)case_id, v->c.agency, x->me->actor, x->agency);
  }
  return 0;
}

/* ---- continuity ------------------------------------------------------------- */

static int fg_case_count_one(void *ud, const fg_store_numbered *f) {
  fg_case_continuity *c = ud;
  if (f->carried) c->carried++;
  else c->fresh++;
  c->dismissed += f->dismissed;
  c->in_case += f->has_case;
  return 0;
}

int fg_case_run_continuity(fg_store *s, int64_t run, fg_case_continuity *c, fg_err *err) {
  memset(c, 0, sizeof *c);
  int rc = fg_store_run_findings_numbered(s, run, fg_case_count_one, c, err);
  return rc ? rc : fg_store_run_resolved_count(s, run, &c->resolved, err);
}

/* ---- issue ------------------------------------------------------------------ */

typedef struct fg_case_issuing {
  const fg_case_issue_opts *o;
  fg_export_regions *regions; /* when o->region */
  fg_case_issue_result *r;
  fg_store_numbered *take; /* copies of the findings to issue */
  char **strings;
  int64_t n, cap, nstr;
} fg_case_issuing;

static bool fg_case_matches(const fg_case_issue_opts *o, const fg_store_numbered *f) {
  bool rule = o->nrules == 0, subject = o->nsubjects == 0;
  for (int i = 0; !rule && i < o->nrules; i++) rule = strcmp(o->rules[i], f->rule) == 0;
  char no[24];
  snprintf(no, sizeof no, "%lld", (long long)f->finding_no);
  for (int i = 0; !subject && i < o->nsubjects; i++)
    subject = strcmp(o->subjects[i], f->subject_id) == 0 ||
              (f->finding_no > 0 && strcmp(o->subjects[i], no) == 0);
  return rule && subject;
}

static int fg_case_issue_one(void *ud, const fg_store_numbered *f) {
  fg_case_issuing *g = ud;
  if (!fg_case_matches(g->o, f)) return 0;
  if (g->regions &&
      !fg_export_in_list(g->o->region, fg_export_region(g->regions, f->subject_type, f->subject_id),
                         true))
    return 0;
  if (f->finding_no <= 0) g->r->skipped_unnumbered++;
  else if (f->has_case) g->r->skipped_cased++;
  else if (f->dismissed) g->r->skipped_dismissed++;
  else {
    if (g->n == g->cap) {
      g->cap = g->cap ? g->cap * 2 : 64;
      g->take = fg_xrealloc(g->take, (size_t)g->cap * sizeof *g->take);
      g->strings = fg_xrealloc(g->strings, (size_t)g->cap * 3 * sizeof *g->strings);
    }
    fg_store_numbered c = *f;
    c.rule = g->strings[g->nstr++] = fg_xstrdup(f->rule);
    c.subject_type = g->strings[g->nstr++] = fg_xstrdup(f->subject_type);
    c.subject_id = g->strings[g->nstr++] = fg_xstrdup(f->subject_id);
    g->take[g->n++] = c;
  }
  return 0;
}

static int fg_case_issue_check(fg_case_ctx *x, const fg_case_issue_opts *o, fg_err *err) {
  fg_store_run r = {0};
  bool found = false;
  int rc = fg_store_run_get(x->s, o->run, &r, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "筛查运行 #%lld 不存在", (long long)o->run);
  if (rc == 0 && !r.official)
    rc = fg_errf(err, FG_EINPUT, "筛查运行 #%lld 是假设分析 (what-if)，不能据此下发案件",
                 (long long)o->run);
  fg_store_run_release(&r);
  if (rc == 0 && (o->agency == NULL || fg_store_count_key(x->s, FG_T_AGENCIES, o->agency) <= 0))
    rc = fg_errf(err, FG_EINPUT, "经办机构 %s 不在已导入的 agencies 中",
                 o->agency ? o->agency : "");
  if (rc == 0 && (o->due_days < 0 || o->due_days > 250))
    rc = fg_errf(err, FG_EINPUT, "--due-days 应为 1 至 250 个工作日 (%d)", o->due_days);
  return rc;
}

static int fg_case_issue_store(fg_case_ctx *x, const fg_case_issue_opts *o, fg_case_issuing *g,
                               fg_err *err) {
  char on[11], due[11];
  fg_format_day(x->today, on);
  fg_format_day(g->r->due_on, due);
  int rc = fg_store_begin(x->s, err);
  if (rc) return rc;
  int64_t seq = 0, got = 0;
  rc = fg_journal_next_seq(x->s, &seq, err);
  for (int64_t i = 0; rc == 0 && i < g->n; i++) {
    const fg_store_numbered *f = &g->take[i];
    fg_store_case c = {"finding", f->finding_no, o->run, f->rule, f->subject_type, f->subject_id,
                       f->amount_fen, o->agency, on, due, x->me->actor};
    rc = fg_store_case_add(x->s, &c, seq, NULL, err);
  }
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"agency\":");
  fg_journal_json_add_str(&p, o->agency, strlen(o->agency));
  fg_buf_addf(&p, ",\"due_on\":\"%s\",\"issued\":%lld,\"issued_on\":\"%s\",\"run\":%lld,"
                  "\"skipped\":%lld}",
              due, (long long)g->n, on, (long long)o->run,
              (long long)(g->r->skipped_cased + g->r->skipped_dismissed +
                          g->r->skipped_unnumbered));
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "case.issue", p.buf, p.len, &got, err);
  fg_buf_release(&p);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  return rc;
}

int fg_case_issue(fg_case_ctx *x, const fg_case_issue_opts *o, fg_case_issue_result *r,
                  fg_err *err) {
  FG_ASSERT(x != NULL && o != NULL && r != NULL);
  memset(r, 0, sizeof *r);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_CASE_ISSUE, err);
  if (rc == 0) rc = fg_case_issue_check(x, o, err);
  if (rc) return fg_case_refuse(x, "issue", 0, err);
  r->due_on = fg_config_add_working_days(
      x->cfg, x->today, o->due_days > 0 ? o->due_days : x->cfg->verify_working_days);
  fg_case_issuing g = {o, NULL, r, NULL, NULL, 0, 0, 0};
  /* read what is already issued inside the write transaction: two issues
   * racing cannot both see a finding as free */
  rc = fg_store_begin(x->s, err);
  if (rc == 0 && o->region) rc = fg_export_regions_load(x->s, o->run, &g.regions, err);
  if (rc == 0) rc = fg_store_run_findings_numbered(x->s, o->run, fg_case_issue_one, &g, err);
  if (rc == 0) rc = fg_case_issue_store(x, o, &g, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  if (rc == 0) r->issued = g.n;
  for (int64_t i = 0; i < g.nstr; i++) free(g.strings[i]);
  free(g.strings);
  free(g.take);
  fg_export_regions_free(g.regions);
  return rc;
}

/* ---- steps of one case ----------------------------------------------------- */

static void fg_case_event_init(fg_case_ctx *x, fg_store_case_event *e, int64_t case_id,
                               const char *kind, char on[11]) {
  memset(e, 0, sizeof *e);
  fg_format_day(x->today, on);
  e->case_id = case_id;
  e->kind = kind;
  e->on_date = on;
  e->actor = x->me->actor;
}

/* Refuse with err already set by a check (journaled), releasing the view. */
static int fg_case_fail(fg_case_ctx *x, const char *act, fg_case_view *v, fg_err *err) {
  const int64_t id = v->c.id;
  fg_case_view_release(v);
  return fg_case_refuse(x, act, id, err);
}

/* Refuse with a message (journaled), releasing the view. */
static int fg_case_no(fg_case_ctx *x, const char *act, fg_case_view *v, fg_err *err,
                      const char *fmt, const char *arg) {
  fg_errf(err, FG_EINPUT, fmt, (long long)v->c.id, arg ? arg : "");
  return fg_case_fail(x, act, v, err);
}

int fg_case_assign(fg_case_ctx *x, int64_t case_id, const char *user, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_HANDLE, FG_PERM_CASE_ISSUE, &v, err);
  if (rc) return fg_case_refuse(x, "assign", case_id, err);
  if ((rc = fg_case_open_check(NULL, &v, err)) != 0) return fg_case_fail(x, "assign", &v, err);
  fg_store_user u;
  bool found = false;
  rc = fg_store_user_get(x->s, user, &u, &found, err);
  if (rc) {
    fg_case_view_release(&v);
    return rc;
  }
  if (!found || strcmp(u.agency, v.c.agency) != 0 ||
      fg_authz_check(x->s, user, FG_PERM_CASE_HANDLE, NULL) != 0)
    return fg_case_no(x, "assign", &v, err,
                      "案件 #%lld 只能交给其所属经办机构有办案权限 (case.handle) 的用户，%s 不是",
                      user);
  fg_store_case_event e;
  char on[11];
  fg_case_event_init(x, &e, case_id, "assign", on);
  e.who = user;
  const fg_case_recheck r = {fg_case_open_check, NULL, "assign"};
  rc = fg_case_commit_str(x, "case.assign", &e, "to", user, &r, err);
  fg_case_view_release(&v);
  return rc;
}

static bool fg_case_records_ok(const char *r) {
  static const char *const ok[] = {"registration", "referral", "audit_conclusion",
                                   "extraction_fix"};
  for (size_t i = 0; i < FG_ARRAY_LEN(ok); i++)
    if (strcmp(r, ok[i]) == 0) return true;
  return false;
}

/* The note's attached file: stored by SHA-256 in the note's transaction. */
static int fg_case_attach(fg_case_ctx *x, const char *path, char hex[65], char **bytes,
                          size_t *n, fg_err *err) {
  int rc = fg_file_read(path, FG_CASE_ATTACH_BYTES_MAX, bytes, n, err);
  if (rc) return rc;
  uint8_t d[32];
  fg_sha256(*bytes, *n, d);
  fg_hex(d, 32, hex);
  return 0;
}

static int fg_case_note_check(const fg_case_note_opts *o, fg_err *err) {
  if (o->text == NULL || o->text[0] == '\0') return fg_errf(err, FG_EINPUT, "须填写备注内容 (--text)");
  if (strlen(o->text) >= FG_CASE_TEXT_MAX)
    return fg_errf(err, FG_ELIMIT, "备注超过 %d 字节上限", FG_CASE_TEXT_MAX - 1);
  const char *r = o->records ? o->records : "";
  if (r[0] && !fg_case_records_ok(r))
    return fg_errf(err, FG_EINPUT,
                   "--records 应为 registration、referral、audit_conclusion 或 extraction_fix (%s)",
                   r);
  if (strcmp(r, "referral") == 0 &&
      (o->body == NULL || !o->body[0] || o->doc_no == NULL || !o->doc_no[0] || o->on == FG_NODAY))
    return fg_errf(err, FG_EINPUT, "移送须写明接收机关 (--body)、文号 (--doc-no) 和日期 (--on)");
  return 0;
}

int fg_case_note(fg_case_ctx *x, int64_t case_id, const fg_case_note_opts *o, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_HANDLE, NULL, &v, err);
  if (rc == 0 && (rc = fg_case_note_check(o, err)) != 0) fg_case_view_release(&v);
  if (rc == 0 && o->on != FG_NODAY && o->on > x->today) {
    fg_case_view_release(&v);
    rc = fg_errf(err, FG_EINPUT, "日期不能晚于今天");
  }
  if (rc) return fg_case_refuse(x, "note", case_id, err);
  char hex[65] = "", *bytes = NULL;
  size_t n = 0;
  if (o->attach_path && (rc = fg_case_attach(x, o->attach_path, hex, &bytes, &n, err)) != 0) {
    fg_case_view_release(&v);
    return rc;
  }
  fg_store_case_event e;
  char on[11];
  fg_case_event_init(x, &e, case_id, "note", on);
  if (o->on != FG_NODAY) fg_format_day(o->on, on);
  e.text = o->text;
  e.how = o->records ? o->records : "";
  e.who = o->body ? o->body : "";
  e.account = o->doc_no ? o->doc_no : "";
  e.file_sha256 = hex;
  fg_buf p = FG_BUF_INIT, more = FG_BUF_INIT;
  fg_buf_adds(&more, ",\"file_sha256\":");
  fg_journal_json_add_str(&more, hex, strlen(hex));
  fg_buf_adds(&more, ",\"records\":");
  fg_journal_json_add_str(&more, e.how, strlen(e.how));
  fg_buf_adds(&more, ",\"text\":");
  fg_journal_json_add_str(&more, o->text, strlen(o->text));
  fg_case_payload(&p, case_id, more.buf);
  rc = fg_store_begin(x->s, err);
  if (rc == 0 && bytes) {
    int64_t seq = 0;
    rc = fg_journal_next_seq(x->s, &seq, err);
    const char *base = strrchr(o->attach_path, '/');
    if (rc == 0)
      rc = fg_store_case_file_add(x->s, hex, base ? base + 1 : o->attach_path, bytes, n, seq, err);
  }
  if (rc == 0) rc = fg_case_commit_event(x, "case.note", &e, p.buf, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  else fg_store_rollback(x->s);
  free(bytes);
  fg_buf_release(&p);
  fg_buf_release(&more);
  fg_case_view_release(&v);
  return rc;
}

/* ---- classify, close, serious -------------------------------------------- */

static int fg_case_classify_state(fg_case_ctx *x, const fg_case_view *v, const char *outcome,
                                  fg_err *err) {
  if (fg_case_outcome_zh(outcome) == NULL)
    return fg_errf(err, FG_EINPUT,
                   "未知的定性结果 %s (operator_error conversion_error unregistered_employer"
                   " ineligible large_unrepaid fraud normal)",
                   outcome);
  if (strcmp(v->assignee, x->me->actor) != 0)
    return fg_errf(err, FG_EPERM, "案件 #%lld 的定性由承办人 %s 办理", (long long)v->c.id,
                   v->assignee[0] ? v->assignee : "（尚未指派）");
  const bool reclass = v->state == FG_CASE_CLASSIFIED && strcmp(v->outcome, "ineligible") == 0 &&
                       strcmp(outcome, "large_unrepaid") == 0;
  if (v->state != FG_CASE_ASSIGNED && !reclass)
    return fg_errf(err, FG_ESTATE, "案件 #%lld 状态为%s，不能定性（只有不符合待遇领取条件可改定为金额较大）",
                   (long long)v->c.id, fg_case_state_zh(v->state));
  return 0;
}

static int fg_case_classify_text(const char *text, int64_t amount_fen, const char *reason,
                                 fg_err *err) {
  if (text == NULL || text[0] == '\0') return fg_errf(err, FG_EINPUT, "须填写核查情况 (--text)");
  if (strlen(text) >= FG_CASE_TEXT_MAX)
    return fg_errf(err, FG_ELIMIT, "核查情况超过 %d 字节上限", FG_CASE_TEXT_MAX - 1);
  if (amount_fen >= 0 && (reason == NULL || reason[0] == '\0'))
    return fg_errf(err, FG_EINPUT, "指定追回金额 (--amount) 须说明理由 (--reason)");
  return 0;
}

typedef struct fg_case_classify_ud {
  fg_case_ctx *x;
  const char *outcome;
} fg_case_classify_ud;

static int fg_case_classify_again(void *ud, const fg_case_view *v, fg_err *err) {
  const fg_case_classify_ud *c = ud;
  return fg_case_classify_state(c->x, v, c->outcome, err);
}

/* The finding_dismiss proposal of a normal classification, naming the case. */
static int fg_case_file_dismissal(fg_case_ctx *x, const fg_case_view *v, const char *text,
                                  int64_t *proposal_id, fg_err *err) {
  const bool finding = strcmp(v->c.source, "finding") == 0;
  char *payload = NULL;
  if (finding) {
    payload = fg_action_payload_dismiss_case(v->c.run, v->c.rule, v->c.subject_id, text, v->c.id);
  } else { /* a tip or an inspection problem: case_dismiss */
    fg_buf b = FG_BUF_INIT;
    fg_buf_addf(&b, "{\"case\":%lld,\"reason\":", (long long)v->c.id);
    fg_journal_json_add_str(&b, text, strlen(text));
    fg_buf_addc(&b, '}');
    payload = fg_buf_detach(&b);
  }
  int rc = fg_review_propose_checked(x->s, x->cfg, x->me,
                                     finding ? FG_REVIEW_FINDING_DISMISS : FG_REVIEW_CASE_DISMISS,
                                     payload, fg_beijing_now_s(), proposal_id, err);
  free(payload);
  return rc;
}

/* case_dismiss (a tip's case judged normal): the case exists, is not a
 * finding's (those use finding_dismiss) and is classified normal, open. */
static int fg_case_dismiss_read(fg_store *s, const char *payload, int64_t *case_id,
                                const char **reason, fg_journal_json **v, fg_err *err) {
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), v, &jerr) != 0 || (*v)->type != FG_JSON_OBJ)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON 对象: %s", jerr.msg);
  const fg_journal_json *c = fg_journal_json_get(*v, "case"), *r = fg_journal_json_get(*v, "reason");
  if (!c || c->type != FG_JSON_INT || c->neg || !r || r->type != FG_JSON_STR)
    return fg_errf(err, FG_EINPUT, "提议内容不完整 (case, reason)");
  *case_id = c->i;
  *reason = r->s;
  fg_store_case_row row;
  bool found = false;
  int rc = fg_store_case_get(s, c->i, &row, &found, err);
  if (rc == 0 && (!found || strcmp(row.source, "finding") == 0))
    rc = fg_errf(err, FG_EINPUT, "案件 #%lld 不存在或是疑点案件", (long long)c->i);
  return rc;
}

static int fg_case_dismiss_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  int64_t id = 0;
  const char *reason = NULL;
  int rc = fg_case_dismiss_read(s, payload, &id, &reason, &v, err);
  fg_journal_json_free(v);
  return rc;
}

static int fg_case_dismiss_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                                 int64_t jseq, fg_err *err) {
  fg_journal_json *v = NULL;
  int64_t id = 0;
  const char *reason = NULL;
  int rc = fg_case_dismiss_read(s, p->payload, &id, &reason, &v, err);
  char on[11];
  fg_format_day(fg_beijing_today(), on);
  fg_store_case_event e = {.case_id = id, .kind = "close", .on_date = on, .actor = by->actor,
                           .outcome = "normal", .text = reason, .proposal_id = p->id};
  if (rc == 0) rc = fg_store_case_event_add(s, &e, jseq, err);
  fg_journal_json_free(v);
  return rc;
}

int fg_case_dismiss_register(void) {
  int rc = fg_review_set_checker(FG_REVIEW_CASE_DISMISS, fg_case_dismiss_check);
  return rc ? rc : fg_review_set_applier(FG_REVIEW_CASE_DISMISS, fg_case_dismiss_apply);
}

int fg_case_classify(fg_case_ctx *x, int64_t case_id, const char *outcome, const char *text,
                     int64_t amount_fen, const char *reason, int64_t *proposal_id, fg_err *err) {
  FG_ASSERT(outcome != NULL && proposal_id != NULL);
  *proposal_id = 0;
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_HANDLE, NULL, &v, err);
  if (rc) return fg_case_refuse(x, "classify", case_id, err);
  if ((rc = fg_case_classify_state(x, &v, outcome, err)) == 0)
    rc = fg_case_classify_text(text, amount_fen, reason, err);
  if (rc) {
    fg_case_view_release(&v);
    return fg_case_refuse(x, "classify", case_id, err);
  }
  fg_store_case_event e;
  char on[11];
  fg_case_event_init(x, &e, case_id, "classify", on);
  e.outcome = outcome;
  e.text = text;
  e.how = reason ? reason : "";
  e.amount_fen = fg_case_outcome_recovers(outcome)
                     ? (v.recovery_open ? v.recovery_due_fen
                                        : amount_fen >= 0 ? amount_fen : v.c.amount_fen)
                     : 0;
  rc = fg_store_begin(x->s, err);
  if (rc == 0 && strcmp(outcome, "normal") == 0)
    rc = fg_case_file_dismissal(x, &v, text, proposal_id, err);
  e.proposal_id = *proposal_id;
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, ",\"amount_fen\":%lld,\"outcome\":\"%s\",\"proposal\":%lld,\"text\":",
              (long long)e.amount_fen, outcome, (long long)*proposal_id);
  fg_journal_json_add_str(&p, text, strlen(text));
  fg_buf q = FG_BUF_INIT;
  fg_case_payload(&q, case_id, p.buf);
  fg_case_classify_ud cu = {x, outcome};
  const fg_case_recheck r = {fg_case_classify_again, &cu, "classify"};
  if (rc == 0) rc = fg_case_commit_event(x, "case.classify", &e, q.buf, &r, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  else fg_store_rollback(x->s);
  fg_buf_release(&p);
  fg_buf_release(&q);
  fg_case_view_release(&v);
  return rc;
}

static int fg_case_close_again(void *ud, const fg_case_view *v, fg_err *err) {
  const fg_case_ctx *x = ud;
  const char *why = NULL;
  if (strcmp(v->assignee, x->me->actor) != 0)
    return fg_errf(err, FG_EPERM, "案件 #%lld 由承办人办结，不是 %s", (long long)v->c.id,
                   x->me->actor);
  return fg_case_closable(v, &why) ? 0
                                   : fg_errf(err, FG_EINPUT, "案件 #%lld 不能办结: %s",
                                             (long long)v->c.id, why);
}

int fg_case_close(fg_case_ctx *x, int64_t case_id, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_HANDLE, NULL, &v, err);
  if (rc) return fg_case_refuse(x, "close", case_id, err);
  if ((rc = fg_case_close_again(x, &v, err)) != 0) return fg_case_fail(x, "close", &v, err);
  fg_store_case_event e;
  char on[11];
  fg_case_event_init(x, &e, case_id, "close", on);
  e.outcome = v.outcome;
  fg_buf p = FG_BUF_INIT, more = FG_BUF_INIT;
  fg_buf_addf(&more, ",\"outcome\":\"%s\"", v.outcome);
  fg_case_payload(&p, case_id, more.buf);
  const fg_case_recheck r = {fg_case_close_again, x, "close"};
  rc = fg_case_commit_event(x, "case.close", &e, p.buf, &r, err);
  fg_buf_release(&p);
  fg_buf_release(&more);
  fg_case_view_release(&v);
  return rc;
}

int fg_case_serious(fg_case_ctx *x, int64_t case_id, const char *text, fg_err *err) {
  fg_case_view v;
  int rc = fg_case_scoped(x, case_id, FG_PERM_CASE_SERIOUS, FG_PERM_CASE_SERIOUS, &v, err);
  if (rc) return fg_case_refuse(x, "serious", case_id, err);
  if ((rc = fg_case_not_serious(NULL, &v, err)) != 0) return fg_case_fail(x, "serious", &v, err);
  if (text == NULL || text[0] == '\0')
    return fg_case_no(x, "serious", &v, err, "案件 #%lld: 须写明要情内容 (--text)%s", "");
  fg_store_case_event e;
  char on[11];
  fg_case_event_init(x, &e, case_id, "serious", on);
  e.text = text;
  const fg_case_recheck r = {fg_case_not_serious, NULL, "serious"};
  rc = fg_case_commit_str(x, "case.serious", &e, "text", text, &r, err);
  fg_case_view_release(&v);
  return rc;
}
