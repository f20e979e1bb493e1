/*
 * api.c — the endpoints of screening, findings, persons, proposals, the
 * journal, batches and users (web.md "Endpoints"). Each calls the library
 * function the matching command calls; lists follow web.md "Lists"
 * ({"items","next","total"}, limit and cursor, format=csv|xlsx).
 * Identity numbers are masked as the terminal masks them unless the
 * request says reveal=true, which is journaled as a read of personal data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "actions/actions.h"
#include "import/import.h"
#include "common/date.h"
#include "fields/fields.h"
#include "common/fsout.h"
#include "http/http_impl.h"
#include "journal/json.h"
#include "schema/schema.h"
#include "screen/export.h"
#include "screen/screen.h"

/* ---- helpers ------------------------------------------------------------------ */

static bool fg_api_reveal(fg_http_req *r) {
  const char *v = fg_http_query(r, "reveal");
  return v && strcmp(v, "true") == 0;
}

/* A personal id, masked unless revealed. */
static void fg_api_id(fg_buf *b, bool *first, const char *key, const char *id, bool personal,
                      bool reveal) {
  fg_http_jkey(b, first, key);
  if (!personal || reveal) {
    fg_journal_json_add_str(b, id, strlen(id));
    return;
  }
  fg_buf m = FG_BUF_INIT;
  fg_export_mask_id(&m, id, strlen(id));
  fg_journal_json_add_str(b, m.buf ? m.buf : "", m.len);
  fg_buf_release(&m);
}

static void fg_api_text(fg_buf *b, bool *first, const char *key, const char *text, bool reveal) {
  fg_http_jkey(b, first, key);
  if (reveal) {
    fg_journal_json_add_str(b, text, strlen(text));
    return;
  }
  fg_buf m = FG_BUF_INIT;
  fg_export_mask_text(&m, text);
  fg_journal_json_add_str(b, m.buf ? m.buf : "", m.len);
  fg_buf_release(&m);
}

static void fg_api_list_end(fg_buf *b, int64_t next, int64_t total) {
  fg_buf_adds(b, "],\"next\":");
  if (next > 0) fg_buf_addf(b, "\"%lld\"", (long long)next);
  else fg_buf_adds(b, "null");
  fg_buf_addf(b, ",\"total\":%lld}", (long long)total);
}

static bool fg_api_format(fg_http_req *r, fg_export_format *fmt, bool *file) {
  const char *f = fg_http_query(r, "format");
  *file = false;
  if (f == NULL || strcmp(f, "json") == 0) return true;
  if ((strcmp(f, "csv") == 0 || strcmp(f, "xlsx") == 0) && fg_export_parse_format(f, fmt)) {
    *file = true;
    return true;
  }
  fg_http_error(r, 400, "bad_input", "format", "format 应为 json、csv 或 xlsx (%.16s)", f);
  return false;
}

static const char *fg_api_title(const char *rule_id) {
  const fg_rule *r = fg_rule_by_id(rule_id);
  return r ? r->title_zh : "";
}

/* ---- rules, runs -------------------------------------------------------------- */

int fg_http_api_rules(fg_http_req *r) {
  int n = 0;
  const fg_rule *rules = fg_rules(&n);
  fg_buf in = FG_BUF_INIT, th = FG_BUF_INIT, *b = &r->out;
  fg_buf_adds(b, "{\"items\":[");
  for (int i = 0; i < n; i++) {
    fg_screen_rule_describe(&rules[i], r->srv->cfg, &in, &th);
    bool f = true;
    fg_buf_adds(b, i ? ",{" : "{");
    fg_http_jstr_add(b, &f, "rule", rules[i].id);
    fg_http_jstr_add(b, &f, "title_zh", rules[i].title_zh);
    fg_http_jstr_add(b, &f, "subject_type", rules[i].subject_type);
    fg_http_jstr_add(b, &f, "severity", fg_screen_severity(rules[i].id));
    fg_http_jstr_add(b, &f, "inputs", in.buf ? in.buf : "");
    fg_http_jstr_add(b, &f, "thresholds", th.buf ? th.buf : "");
    fg_buf_addc(b, '}');
  }
  fg_api_list_end(b, 0, n);
  fg_buf_release(&in);
  fg_buf_release(&th);
  return fg_http_json(r, 200);
}

static void fg_api_run_json(fg_buf *b, const fg_store_run *run) {
  bool f = true;
  fg_buf_addc(b, '{');
  fg_http_jint(b, &f, "id", run->id);
  fg_http_jstr_add(b, &f, "state", "done");
  fg_http_jstr_add(b, &f, "as_of", run->as_of);
  fg_http_jstr_add(b, &f, "started_at", run->started_at);
  fg_http_jstr_add(b, &f, "finished_at", run->finished_at);
  fg_http_jstr_add(b, &f, "run_kind", !run->official ? "what-if" : run->partial ? "partial" : "official");
  fg_http_jstr_add(b, &f, "actor", run->actor);
  fg_http_jint(b, &f, "findings", run->nfindings);
  fg_http_jstr_add(b, &f, "config_sha256", run->config_sha256);
  fg_http_jkey(b, &f, "progress");
  fg_buf_adds(b, "{\"step\":\"done\",\"done\":1,\"total\":1}");
  fg_buf_addc(b, '}');
}

typedef struct fg_api_runs {
  fg_buf *b;
  int n;
} fg_api_runs;

static int fg_api_run_item(void *ud, const fg_store_run *run) {
  fg_api_runs *x = ud;
  if (x->n++) fg_buf_addc(x->b, ',');
  fg_api_run_json(x->b, run);
  return 0;
}

int fg_http_api_runs(fg_http_req *r) {
  fg_api_runs x = {&r->out, 0};
  fg_err err = {0};
  fg_buf_adds(&r->out, "{\"items\":[");
  int rc = fg_store_runs_each(r->srv->s, fg_api_run_item, &x, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  fg_api_list_end(&r->out, 0, x.n);
  return fg_http_json(r, 200);
}

/* ---- a screening in the background (POST /runs) ---------------------------- */

static void fg_api_job_progress(void *ud, const char *step, uint64_t done, uint64_t total) {
  (void)ud, (void)step, (void)done, (void)total; /* the state says running; steps are short */
}

static void *fg_api_job_main(void *arg) {
  fg_http_job *j = arg;
  fg_http_server *srv = j->srv;
  fg_screen_opts o;
  memset(&o, 0, sizeof o);
  fg_day as_of = FG_NODAY;
  (void)fg_parse_day(j->as_of, 10, &as_of);
  o.as_of = as_of;
  o.rules = j->rules;
  o.actor = j->me.actor;
  o.on_commit = fg_journal_screen_hook;
  o.hook_ud = &j->me;
  o.progress = fg_api_job_progress;
  fg_screen_result res;
  memset(&res, 0, sizeof res);
  fg_err err = {0};
  const int rc = fg_screen_run(srv->o->db, &o, &res, &err);
  pthread_mutex_lock(&srv->lock);
  if (rc == 0) {
    j->run_id = res.run_id;
    snprintf(j->state, sizeof j->state, "done");
  } else {
    snprintf(j->state, sizeof j->state, "failed");
    snprintf(j->error, sizeof j->error, "%s", err.msg);
  }
  fg_authn_signer_wipe(&j->me);
  pthread_mutex_unlock(&srv->lock);
  if (rc == 0) fg_screen_result_release(&res);
  return NULL;
}

static int64_t fg_api_next_run_id(fg_http_req *r) {
  int64_t last = 0;
  bool found = false;
  fg_err err = {0};
  (void)fg_store_run_latest(r->srv->s, false, &last, &found, &err);
  int64_t next = found ? last + 1 : 1;
  for (int i = 0; i < FG_HTTP_JOBS_MAX; i++)
    if (r->srv->jobs[i].used && r->srv->jobs[i].id >= next) next = r->srv->jobs[i].id + 1;
  return next;
}

int fg_http_api_run_start(fg_http_req *r) {
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  char day[11] = "";
  const char *given = fg_http_jstr(v, "as_of");
  if (given) snprintf(day, sizeof day, "%.10s", given); /* v is freed before the answer */
  else fg_format_day(fg_beijing_today(), day);
  const char *as_of = given && strlen(given) > 10 ? "(过长)" : day;
  fg_day d = FG_NODAY;
  if (strlen(as_of) != 10 || !fg_parse_day(as_of, 10, &d)) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "as_of", "as_of 应为 YYYY-MM-DD (%.32s)", as_of);
  }
  if (d > fg_beijing_today()) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "as_of",
                         "as_of 晚于今天（北京时间）：未来日期的试算只能在命令行用 --allow-future (%s)",
                         as_of);
  }
  fg_buf rules = FG_BUF_INIT;
  const fg_journal_json *rl = fg_journal_json_get(v, "rules");
  if (rl && rl->type != FG_JSON_NULL) {
    bool ok = rl->type == FG_JSON_ARR;
    for (size_t i = 0; ok && i < rl->n; i++) {
      ok = rl->items[i].type == FG_JSON_STR && fg_rule_by_id(rl->items[i].s) != NULL;
      if (ok) fg_buf_addf(&rules, "%s%s", rules.len ? "," : "", rl->items[i].s);
    }
    if (!ok) {
      fg_journal_json_free(v);
      fg_buf_release(&rules);
      return fg_http_error(r, 400, "bad_input", "rules", "rules 应为规则编号的数组，且每个编号都存在");
    }
  }
  fg_journal_json_free(v);
  fg_http_server *srv = r->srv;
  fg_http_job *j = NULL;
  for (int i = 0; i < FG_HTTP_JOBS_MAX; i++) {
    fg_http_job *x = &srv->jobs[i];
    if (x->used && strcmp(x->state, "running") == 0) {
      fg_buf_release(&rules);
      return fg_http_error(r, 409, "busy", NULL, "已有一次筛查正在运行 (#%lld)，请等它完成",
                           (long long)x->id);
    }
  }
  for (int i = 0; i < FG_HTTP_JOBS_MAX && j == NULL; i++)
    if (!srv->jobs[i].used) j = &srv->jobs[i];
  if (j == NULL) { /* reuse the oldest finished slot */
    j = &srv->jobs[0];
    for (int i = 1; i < FG_HTTP_JOBS_MAX; i++)
      if (srv->jobs[i].started_s < j->started_s) j = &srv->jobs[i];
    pthread_join(j->thread, NULL);
    free(j->rules);
  }
  memset(j, 0, sizeof *j);
  j->used = true;
  j->srv = srv;
  j->id = fg_api_next_run_id(r);
  j->started_s = (int64_t)time(NULL);
  snprintf(j->state, sizeof j->state, "running");
  snprintf(j->as_of, sizeof j->as_of, "%s", as_of);
  j->rules = rules.len ? fg_buf_detach(&rules) : NULL;
  fg_buf_release(&rules);
  fg_http_signer(r, &j->me);
  if (pthread_create(&j->thread, NULL, fg_api_job_main, j) != 0) {
    fg_authn_signer_wipe(&j->me);
    free(j->rules);
    memset(j, 0, sizeof *j);
    return fg_http_error(r, 500, "internal", NULL, "无法启动筛查线程");
  }
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "id", j->id);
  fg_http_jstr_add(&r->out, &f, "state", "running");
  fg_http_jkey(&r->out, &f, "progress");
  fg_buf_adds(&r->out, "{\"step\":\"running\",\"done\":0,\"total\":1}");
  fg_buf_addc(&r->out, '}');
  return fg_http_json(r, 202);
}

int fg_http_api_run_get(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_http_server *srv = r->srv;
  for (int i = 0; i < FG_HTTP_JOBS_MAX; i++) {
    fg_http_job *j = &srv->jobs[i];
    if (!j->used || j->id != id || strcmp(j->state, "done") == 0) continue;
    bool f = true;
    fg_buf_addc(&r->out, '{');
    fg_http_jint(&r->out, &f, "id", j->id);
    fg_http_jstr_add(&r->out, &f, "state", j->state);
    fg_http_jstr_add(&r->out, &f, "as_of", j->as_of);
    if (j->error[0]) fg_http_jstr_add(&r->out, &f, "error", j->error);
    fg_http_jkey(&r->out, &f, "progress");
    fg_buf_addf(&r->out, "{\"step\":\"%s\",\"done\":0,\"total\":1}", j->state);
    fg_buf_addc(&r->out, '}');
    return fg_http_json(r, 200);
  }
  for (int i = 0; i < FG_HTTP_JOBS_MAX; i++) /* a job whose run got another id */
    if (srv->jobs[i].used && srv->jobs[i].id == id && srv->jobs[i].run_id) id = srv->jobs[i].run_id;
  fg_store_run run;
  bool found = false;
  fg_err err = {0};
  int rc = fg_store_run_get(srv->s, id, &run, &found, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  if (!found) return fg_http_error(r, 404, "not_found", NULL, "没有筛查运行 #%lld", (long long)id);
  fg_api_run_json(&r->out, &run);
  fg_store_run_release(&run);
  return fg_http_json(r, 200);
}

static bool fg_api_run_exists(fg_http_req *r, int64_t id) {
  fg_store_run run;
  bool found = false;
  fg_err err = {0};
  if (fg_store_run_get(r->srv->s, id, &run, &found, &err) != 0) {
    fg_http_fail(r, FG_EDB, &err);
    return false;
  }
  if (found) fg_store_run_release(&run);
  else fg_http_error(r, 404, "not_found", NULL, "没有筛查运行 #%lld", (long long)id);
  return found;
}

/* ---- findings ------------------------------------------------------------------ */

typedef struct fg_api_findings {
  fg_http_req *r;
  int64_t run;
  fg_export_regions *regions;
  const char *region; /* filter: division code prefix */
  bool reveal;
  int n, limit;
  int64_t last_id;
  bool more;
} fg_api_findings;

static void fg_api_evidence(fg_buf *b, const char *ev) {
  fg_buf_addc(b, '[');
  bool first = true;
  for (const char *p = ev ? ev : ""; *p;) {
    const size_t n = strcspn(p, ";");
    if (!first) fg_buf_addc(b, ',');
    first = false;
    fg_journal_json_add_str(b, p, n);
    p += n + (p[n] == ';');
  }
  fg_buf_addc(b, ']');
}

static void fg_api_finding_json(fg_store *s, fg_buf *b, int64_t id, int64_t run,
                                const fg_store_finding *f, const char *ev, const char *region,
                                bool reveal) {
  bool x = true;
  int64_t no = 0;
  fg_err err = {0};
  (void)fg_store_finding_no_of(s, f->rule, f->subject_id, &no, &err); /* 0: not numbered */
  const bool personal = strcmp(f->subject_type, FG_EXPORT_PERSON) == 0;
  fg_buf_addc(b, '{');
  fg_http_jint(b, &x, "finding_id", id);
  fg_http_jint(b, &x, "run_id", run);
  fg_http_jint(b, &x, "finding_no", no);
  fg_http_jstr_add(b, &x, "rule", f->rule);
  const fg_rule *rule = fg_rule_by_id(f->rule);
  fg_http_jstr_add(b, &x, "title_zh", rule ? rule->title_zh : "");
  fg_http_jstr_add(b, &x, "subject_type", f->subject_type);
  fg_http_jstr_add(b, &x, "subject_type_zh", fg_export_subject_type_zh(f->subject_type));
  fg_api_id(b, &x, "subject_id", f->subject_id, personal, reveal);
  fg_http_jyuan(b, &x, "amount", f->amount_fen);
  fg_http_jstr_add(b, &x, "severity", f->severity);
  fg_http_jstr_add(b, &x, "severity_zh", fg_export_severity_zh(f->severity));
  fg_http_jstr_add(b, &x, "region", region ? region : "");
  fg_api_text(b, &x, "detail", f->detail ? f->detail : "", reveal);
  fg_http_jkey(b, &x, "evidence");
  fg_api_evidence(b, ev);
  fg_buf_addc(b, '}');
}

static int fg_api_finding_item(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_api_findings *x = ud;
  const char *region = x->regions ? fg_export_region(x->regions, f->subject_type, f->subject_id) : "";
  if (x->region && strncmp(region, x->region, strlen(x->region)) != 0) return 0;
  if (x->n == x->limit) {
    x->more = true;
    return 1;
  }
  if (x->n++) fg_buf_addc(&x->r->out, ',');
  fg_api_finding_json(x->r->srv->s, &x->r->out, id, x->run, f, ev, region, x->reveal);
  x->last_id = id;
  return 0;
}

/* The findings as a file (format=csv|xlsx): the command line's export,
 * journaled as the command journals it. */
static int fg_api_findings_file(fg_http_req *r, int64_t run, fg_export_format fmt) {
  const char *rule = fg_http_query(r, "rule"), *region = fg_http_query(r, "region");
  fg_err err = {0};
  fg_http_tmp t;
  bool have_tmp = false;
  char *mem = NULL;
  size_t nmem = 0;
  FILE *mf = NULL;
  int rc = 0;
  if (fmt == FG_EXPORT_XLSX) {
    if (!fg_http_tmp_make(r, &t, "findings.xlsx")) return 0;
    have_tmp = true;
  } else if ((mf = open_memstream(&mem, &nmem)) == NULL) rc = fg_errf(&err, FG_EIO, "内存不足");
  int64_t count = 0;
  if (rc == 0) {
    fg_export_opts o = {.run_id = run, .rule = rule, .region = region, .format = fmt, .out = mf,
                        .xlsx_path = have_tmp ? t.path : NULL,
                        .title_of = fg_api_title};
    rc = fg_export_findings(r->srv->s, &o, &count, &err);
  }
  if (mf) fclose(mf);
  if (rc == 0) {
    fg_signer me;
    fg_http_signer(r, &me);
    const fg_action_export x = {fmt == FG_EXPORT_XLSX ? "xlsx" : "csv", "http", rule, NULL, region,
                                NULL, run, count};
    rc = fg_action_findings_exported(r->srv->s, &me, &x, &err);
    sodium_memzero(&me, sizeof me);
  }
  if (rc) {
    free(mem);
    if (have_tmp) fg_http_tmp_remove(&t);
    return fg_http_fail(r, rc, &err);
  }
  char name[64];
  snprintf(name, sizeof name, "findings-run%lld.%s", (long long)run, fmt == FG_EXPORT_XLSX ? "xlsx" : "csv");
  if (have_tmp) return fg_http_send_tmp(r, &t, FG_HTTP_FILE_BYTES_MAX, FG_HTTP_XLSX, name);
  fg_buf_reset(&r->out);
  fg_buf_add(&r->out, mem, nmem);
  free(mem);
  r->status = 200;
  r->ctype = "text/csv; charset=utf-8";
  snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", name);
  return 0;
}

int fg_http_regions_of(fg_http_req *r, int64_t run, fg_export_regions **out, fg_err *err) {
  fg_http_server *srv = r->srv;
  int64_t dv = 0;
  int rc = fg_store_data_version(srv->s, &dv, err);
  if (rc) return rc;
  fg_http_regions *c = &srv->regions;
  if (c->regions == NULL || c->run != run || c->data_version != dv || c->gen != srv->write_gen) {
    fg_export_regions_free(c->regions);
    c->regions = NULL;
    if ((rc = fg_export_regions_load(srv->s, run, &c->regions, err)) != 0) return rc;
    c->run = run, c->data_version = dv, c->gen = srv->write_gen;
  }
  *out = c->regions;
  return 0;
}

int fg_http_api_run_findings(fg_http_req *r) {
  int64_t run;
  if (!fg_http_seg_id(r, 3, &run) || !fg_api_run_exists(r, run)) return 0;
  fg_export_format fmt;
  bool file;
  if (!fg_api_format(r, &fmt, &file)) return 0;
  if (file) {
    if (!fg_http_may(r, FG_PERM_FINDINGS_EXPORT)) {
      fg_err err = {0};
      fg_errf(&err, FG_EPERM, "没有导出疑点的权限 (findings.export)");
      return fg_http_deny(r, FG_PERM_FINDINGS_EXPORT, &err);
    }
    return fg_api_findings_file(r, run, fmt);
  }
  int limit;
  int64_t after;
  if (!fg_http_paging(r, &limit, &after)) return 0;
  const char *subject_type = fg_http_query(r, "subject_type");
  fg_store_findings_query q = {run, after, fg_http_query(r, "rule"), subject_type,
                               fg_http_query(r, "subject_id"), limit, false};
  fg_api_findings x = {r, run, NULL, fg_http_query(r, "region"), fg_api_reveal(r), 0, limit, 0, false};
  fg_err err = {0};
  /* a masked page is the same for every reader while the store is
   * unchanged (decision 72): served from the server's cache when it can */
  char key[512];
  int64_t dv = 0;
  fg_http_server *srv = r->srv;
  snprintf(key, sizeof key, "%lld|%lld|%d|%s|%s|%s|%s", (long long)run, (long long)after, limit,
           q.rule ? q.rule : "", subject_type ? subject_type : "", q.subject_id ? q.subject_id : "",
           x.region ? x.region : "");
  const bool cacheable = !x.reveal && strlen(key) < sizeof key - 1 &&
                         fg_store_data_version(srv->s, &dv, &err) == 0;
  for (int i = 0; cacheable && i < FG_HTTP_PAGE_CACHE; i++)
    if (srv->pages[i].key && strcmp(srv->pages[i].key, key) == 0 && srv->pages[i].data_version == dv &&
        srv->pages[i].gen == srv->write_gen) {
      fg_buf_adds(&r->out, srv->pages[i].json);
      return fg_http_json(r, 200);
    }
  int rc = fg_http_regions_of(r, run, &x.regions, &err);
  int64_t total = 0;
  fg_buf_adds(&r->out, "{\"items\":[");
  if (rc == 0) {
    if (x.region) q.limit = INT32_MAX; /* filtered here: read on until the page is full */
    else q.limit = limit + 1;
    /* an unfiltered run's total is counted once: a run's findings never change */
    const bool plain = !q.rule && !q.subject_type && !q.subject_id && !x.region;
    int slot = -1;
    for (int i = 0; plain && i < FG_HTTP_SUMMARY_CACHE; i++)
      if (srv->totals[i].run == run) slot = i;
    if (slot >= 0) q.skip_count = true, total = srv->totals[slot].total;
    rc = fg_store_findings_page(srv->s, &q, fg_api_finding_item, &x, &total, &err);
    if (rc == 1) rc = 0;
    if (rc == 0 && plain && slot < 0) {
      const int k = srv->ntotals_next++ % FG_HTTP_SUMMARY_CACHE;
      srv->totals[k].run = run, srv->totals[k].total = total;
    }
  }
  if (rc == 0 && x.region) { /* total of the region filter: count it */
    fg_api_findings c = {r, run, x.regions, x.region, false, 0, INT32_MAX, 0, false};
    fg_buf save = r->out;
    r->out = (fg_buf)FG_BUF_INIT;
    fg_store_findings_query all = q;
    all.after_id = 0;
    rc = fg_store_findings_page(r->srv->s, &all, fg_api_finding_item, &c, &total, &err);
    fg_buf_release(&r->out);
    r->out = save;
    total = c.n;
  }
  if (rc) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  if (x.reveal && x.n > 0) { /* a read of personal data, journaled */
    fg_signer me;
    fg_http_signer(r, &me);
    const fg_action_export ex = {"json-reveal", "http", q.rule, NULL, x.region, NULL, run, x.n};
    rc = fg_action_findings_exported(r->srv->s, &me, &ex, &err);
    sodium_memzero(&me, sizeof me);
    if (rc) {
      fg_buf_reset(&r->out);
      return fg_http_fail(r, rc, &err);
    }
  }
  fg_api_list_end(&r->out, x.more ? x.last_id : 0, total);
  if (cacheable && r->out.len < FG_HTTP_PAGE_CACHE_BYTES) {
    const int k = srv->npages_next++ % FG_HTTP_PAGE_CACHE;
    free(srv->pages[k].key), free(srv->pages[k].json);
    srv->pages[k].key = fg_xstrdup(key);
    srv->pages[k].json = fg_xstrdup(r->out.buf);
    srv->pages[k].data_version = dv, srv->pages[k].gen = srv->write_gen;
  }
  return fg_http_json(r, 200);
}

/* GET /findings/{id}: one finding with its evidence rows' text. */
typedef struct fg_api_one {
  fg_http_req *r;
  bool reveal, seen;
  int64_t run;
} fg_api_one;

static int fg_api_one_finding(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_api_one *x = ud;
  x->seen = true;
  fg_api_finding_json(x->r->srv->s, &x->r->out, id, x->run, f, ev, "", x->reveal);
  return 0;
}

int fg_http_api_finding(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  fg_api_one x = {r, fg_api_reveal(r), false, 0};
  fg_err err = {0};
  int rc = fg_store_finding_get(r->srv->s, id, &x.run, fg_api_one_finding, &x, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  if (!x.seen) return fg_http_error(r, 404, "not_found", NULL, "没有疑点 #%lld", (long long)id);
  /* the CLI journals every finding view (finding.view) */
  fg_signer me;
  fg_http_signer(r, &me);
  rc = fg_action_finding_viewed(r->srv->s, &me, id, x.run, FG_PERM_FINDINGS_READ, &err);
  sodium_memzero(&me, sizeof me);
  if (rc) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  /* patch the run id in: it was unknown while the finding was written */
  char *p = strstr(r->out.buf, "\"run_id\":0");
  if (p) {
    fg_buf fixed = FG_BUF_INIT;
    fg_buf_add(&fixed, r->out.buf, (size_t)(p - r->out.buf));
    fg_buf_addf(&fixed, "\"run_id\":%lld", (long long)x.run);
    fg_buf_adds(&fixed, p + strlen("\"run_id\":0"));
    fg_buf_release(&r->out);
    r->out = fixed;
  }
  return fg_http_json(r, 200);
}

/* ---- the run summary (cached: a run never changes) ------------------------- */

typedef struct fg_api_sum {
  char key[64];
  int64_t count, amount_fen;
} fg_api_sum;

typedef struct fg_api_sums {
  fg_api_sum *v;
  int n, cap;
} fg_api_sums;

static void fg_api_sums_add(fg_api_sums *s, const char *key, int64_t amount_fen) {
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->v[i].key, key) == 0) {
      s->v[i].count++;
      s->v[i].amount_fen = fg_add_sat(s->v[i].amount_fen, amount_fen);
      return;
    }
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 32;
    s->v = fg_xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
  }
  fg_api_sum *x = &s->v[s->n++];
  snprintf(x->key, sizeof x->key, "%s", key);
  x->count = 1;
  x->amount_fen = amount_fen;
}

typedef struct fg_api_summary {
  fg_store *s;
  int64_t run;
  fg_export_regions *regions;
  fg_api_sums by_region, by_scheme;
  fg_buf schemes;
} fg_api_summary;

static int fg_api_summary_row(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  (void)id, (void)ev;
  fg_api_summary *x = ud;
  const char *region = fg_export_region(x->regions, f->subject_type, f->subject_id);
  fg_api_sums_add(&x->by_region, region[0] ? region : "", f->amount_fen);
  fg_buf_reset(&x->schemes);
  fg_err err = {0};
  if (fg_store_finding_schemes(x->s, x->run, f->rule, f->subject_id, &x->schemes, &err) != 0)
    return FG_EDB;
  char scheme[16] = "";
  if (x->schemes.len) snprintf(scheme, sizeof scheme, "%.*s", (int)strcspn(x->schemes.buf, ","), x->schemes.buf);
  fg_api_sums_add(&x->by_scheme, scheme, f->amount_fen);
  return 0;
}

static int fg_api_rule_sum(void *ud, const char *rule, int64_t count, int64_t amount_fen) {
  fg_buf *b = ud;
  const fg_rule *r = fg_rule_by_id(rule);
  bool f = true;
  fg_buf_adds(b, b->buf[b->len - 1] == '[' ? "{" : ",{");
  fg_http_jstr_add(b, &f, "rule", rule);
  fg_http_jstr_add(b, &f, "title_zh", r ? r->title_zh : "");
  fg_http_jint(b, &f, "count", count);
  fg_http_jyuan(b, &f, "amount", amount_fen);
  fg_buf_addc(b, '}');
  return 0;
}

static void fg_api_sums_json(fg_buf *b, const char *name, const char *keyname, const fg_api_sums *s,
                             bool scheme) {
  fg_buf_addf(b, ",\"%s\":[", name);
  for (int i = 0; i < s->n; i++) {
    bool f = true;
    fg_buf_adds(b, i ? ",{" : "{");
    fg_http_jstr_add(b, &f, keyname, s->v[i].key);
    if (scheme) {
      const char *zh = fg_schema_code_label_zh("scheme", s->v[i].key);
      fg_http_jstr_add(b, &f, "label_zh", zh ? zh : "其他（无险种）");
    }
    fg_http_jint(b, &f, "count", s->v[i].count);
    fg_http_jyuan(b, &f, "amount", s->v[i].amount_fen);
    fg_buf_addc(b, '}');
  }
  fg_buf_addc(b, ']');
}

int fg_http_api_run_summary(fg_http_req *r) {
  int64_t run;
  if (!fg_http_seg_id(r, 3, &run) || !fg_api_run_exists(r, run)) return 0;
  fg_http_server *srv = r->srv;
  for (int i = 0; i < FG_HTTP_SUMMARY_CACHE; i++)
    if (srv->summaries[i].json && srv->summaries[i].run == run) {
      fg_buf_adds(&r->out, srv->summaries[i].json);
      return fg_http_json(r, 200);
    }
  fg_api_summary x = {srv->s, run, NULL, {0}, {0}, FG_BUF_INIT};
  fg_err err = {0};
  fg_buf *b = &r->out;
  fg_buf_addf(b, "{\"run_id\":%lld,\"by_rule\":[", (long long)run);
  int rc = fg_store_findings_by_rule(srv->s, run, fg_api_rule_sum, b, &err);
  fg_buf_addc(b, ']');
  if (rc == 0) rc = fg_export_regions_load(srv->s, run, &x.regions, &err);
  if (rc == 0) rc = fg_store_findings_each(srv->s, run, NULL, fg_api_summary_row, &x, &err);
  if (rc == 0) {
    fg_api_sums_json(b, "by_scheme", "scheme", &x.by_scheme, true);
    fg_api_sums_json(b, "by_region", "region", &x.by_region, false);
    fg_buf_addc(b, '}');
  }
  fg_export_regions_free(x.regions);
  free(x.by_region.v);
  free(x.by_scheme.v);
  fg_buf_release(&x.schemes);
  if (rc) {
    fg_buf_reset(b);
    return fg_http_fail(r, rc, &err);
  }
  fg_http_summary *slot = &srv->summaries[srv->nsummary_next++ % FG_HTTP_SUMMARY_CACHE];
  free(slot->json);
  slot->run = run;
  slot->json = fg_xstrdup(b->buf);
  return fg_http_json(r, 200);
}

/* ---- a person's records (journaled as the CLI's person show) ---------------- */

typedef struct fg_api_person {
  fg_buf *b;
  const fg_table *t;
  int64_t rows;
  bool reveal;
} fg_api_person;

static int fg_api_person_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_api_person *x = ud;
  char text[FG_ACTION_VALUE_MAX];
  bool f = true;
  fg_buf_adds(x->b, x->rows++ ? ",{" : "{");
  fg_http_jint(x->b, &f, "rowid", rowid);
  for (int c = 0; c < x->t->ncols; c++) {
    const fg_column *col = &x->t->cols[c];
    if (!fg_action_value_text(col, &vals[c], text, sizeof text)) continue;
    if (col->type == FG_COL_PERSON_ID) fg_api_id(x->b, &f, col->name, text, true, x->reveal);
    else fg_api_text(x->b, &f, col->name, text, x->reveal);
  }
  fg_buf_addc(x->b, '}');
  return 0;
}

int fg_http_api_person(fg_http_req *r) {
  char pid[32];
  const char *raw = r->seg[3];
  if (!fg_person_id_normalize(raw, strlen(raw), pid))
    return fg_http_error(r, 400, "bad_input", "person_id", "身份证号应为 1-18 位 ASCII 字母或数字 (%.32s)", raw);
  static const fg_table_id tables[] = {FG_T_PERSONS,        FG_T_ENROLLMENTS, FG_T_CONTRIBUTIONS,
                                       FG_T_BENEFIT_PAYMENTS, FG_T_RETIREMENTS, FG_T_MEDICAL_SETTLEMENTS,
                                       FG_T_DEATHS,         FG_T_INCARCERATIONS,
                                       FG_T_SURVIVAL_CERTIFICATIONS};
  const bool reveal = fg_api_reveal(r);
  fg_buf *b = &r->out;
  fg_err err = {0};
  int rc = 0;
  int64_t records = 0;
  fg_buf_adds(b, "{\"person_id\":");
  fg_buf m = FG_BUF_INIT;
  if (reveal) fg_buf_adds(&m, pid);
  else fg_export_mask_id(&m, pid, strlen(pid));
  fg_journal_json_add_str(b, m.buf, m.len);
  fg_buf_release(&m);
  fg_buf_adds(b, ",\"tables\":{");
  for (size_t i = 0; rc == 0 && i < FG_ARRAY_LEN(tables); i++) {
    fg_api_person x = {b, fg_schema_table(tables[i]), 0, reveal};
    fg_buf_addf(b, "%s\"%s\":[", i ? "," : "", x.t->name);
    rc = fg_store_person_rows(r->srv->s, tables[i], pid, NULL, 200, fg_api_person_row, &x, &err);
    fg_buf_addc(b, ']');
    records += x.rows;
  }
  fg_buf_adds(b, "}}");
  if (rc == 0) {
    fg_signer me;
    fg_http_signer(r, &me);
    rc = fg_action_person_viewed(r->srv->s, &me, pid, records, &err);
    sodium_memzero(&me, sizeof me);
  }
  if (rc) {
    fg_buf_reset(b);
    return fg_http_fail(r, rc, &err);
  }
  if (records == 0) {
    fg_buf_reset(b);
    return fg_http_error(r, 404, "not_found", "person_id", "没有此人的记录");
  }
  return fg_http_json(r, 200);
}

/* ---- proposals: the approvals inbox ----------------------------------------- */

typedef struct fg_api_props {
  fg_http_req *r;
  int n;
  const char *state; /* filter: open | all */
} fg_api_props;

static const char *fg_api_prop_state(const fg_store_proposal *p) {
  if (p->applied) return "applied";
  if (p->refused_by[0]) return "refused";
  if (p->expires_s && p->expires_s < (int64_t)time(NULL)) return "expired";
  if (p->reviewer[0]) return "reviewed";
  return "pending";
}

/* The finding a finding_dismiss proposal asks to judge, with its evidence
 * (web.md: reviewers see what they approve), as "finding"; the read is
 * journaled as the CLI journals a reviewer's (finding.view, "reviewer of #N"). */
typedef struct fg_api_prop_ctx {
  fg_http_req *r;
  int64_t proposal, run;
} fg_api_prop_ctx;

static int fg_api_prop_found(void *ud, int64_t id, const fg_store_finding *f, const char *ev) {
  fg_api_prop_ctx *x = ud;
  fg_http_req *r = x->r;
  fg_buf_adds(&r->out, ",\"finding\":");
  fg_api_finding_json(r->srv->s, &r->out, id, x->run, f, ev, "", false);
  fg_signer me;
  fg_http_signer(r, &me);
  fg_err err = {0};
  char as[64];
  snprintf(as, sizeof as, "reviewer of #%lld", (long long)x->proposal);
  (void)fg_action_finding_viewed(r->srv->s, &me, id, x->run, as, &err);
  sodium_memzero(&me, sizeof me);
  return 1; /* one is enough */
}

static void fg_api_prop_finding(fg_http_req *r, const fg_store_proposal *p) {
  fg_journal_json *v = NULL;
  fg_err err = {0};
  if (fg_journal_json_parse(p->payload, strlen(p->payload), &v, &err) != 0) return;
  const fg_journal_json *run = fg_journal_json_get(v, "run");
  const char *rule = fg_http_jstr(v, "rule"), *subject = fg_http_jstr(v, "subject_id");
  if (run && run->type == FG_JSON_INT && rule && subject) {
    fg_store_findings_query q = {run->i, 0, rule, NULL, subject, 1, false};
    fg_api_prop_ctx x = {r, p->id, run->i};
    int64_t total = 0;
    (void)fg_store_findings_page(r->srv->s, &q, fg_api_prop_found, &x, &total, &err);
  }
  fg_journal_json_free(v);
}

static int fg_api_prop_item(void *ud, const fg_store_proposal *p) {
  fg_api_props *x = ud;
  const char *state = fg_api_prop_state(p);
  const bool open = strcmp(state, "pending") == 0 || strcmp(state, "reviewed") == 0;
  if (strcmp(x->state, "open") == 0 && !open) return 0;
  fg_buf *b = &x->r->out;
  fg_buf text = FG_BUF_INIT;
  fg_err err = {0};
  if (fg_action_describe(x->r->srv->s, p, &text, &err) != 0) {
    fg_buf_reset(&text);
    fg_buf_addf(&text, "（无法显示内容: %s）", err.msg);
  }
  bool f = true;
  fg_buf_adds(b, x->n++ ? ",{" : "{");
  fg_http_jint(b, &f, "id", p->id);
  fg_http_jstr_add(b, &f, "kind", p->kind);
  fg_http_jstr_add(b, &f, "state", state);
  fg_http_jstr_add(b, &f, "proposer", p->proposer);
  fg_http_jstr_add(b, &f, "reviewer", p->reviewer[0] ? p->reviewer : NULL);
  fg_http_jstr_add(b, &f, "approver", p->approver[0] ? p->approver : NULL);
  fg_http_jstr_add(b, &f, "refused_by", p->refused_by[0] ? p->refused_by : NULL);
  char t[20];
  fg_format_timestamp(p->created_s, t);
  fg_http_jstr_add(b, &f, "created_at", t);
  fg_api_text(b, &f, "description", text.buf ? text.buf : "", false);
  if (strcmp(p->kind, "finding_dismiss") == 0) fg_api_prop_finding(x->r, p);
  fg_buf_addc(b, '}');
  fg_buf_release(&text);
  return 0;
}

int fg_http_api_proposals(fg_http_req *r) {
  const char *state = fg_http_query(r, "state");
  fg_api_props x = {r, 0, state && strcmp(state, "all") == 0 ? "all" : "open"};
  fg_err err = {0};
  fg_buf_adds(&r->out, "{\"items\":[");
  int rc = fg_store_proposal_each(r->srv->s, fg_api_prop_item, &x, &err);
  if (rc) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  fg_api_list_end(&r->out, 0, x.n);
  return fg_http_json(r, 200);
}

/* POST /proposals/{id}/{review,approve,refuse}: the review engine decides
 * who may (separation of duties, the kind's permission). */
int fg_http_api_proposal_act(fg_http_req *r) {
  int64_t id;
  if (!fg_http_seg_id(r, 3, &id)) return 0;
  const char *act = r->seg[4];
  fg_signer me;
  fg_http_signer(r, &me);
  fg_err err = {0};
  int rc;
  const int64_t now = (int64_t)time(NULL);
  if (strcmp(act, "review") == 0) {
    rc = fg_review_review(r->srv->s, r->srv->cfg, &me, id, now, &err);
  } else if (strcmp(act, "approve") == 0) {
    rc = fg_review_approve(r->srv->s, r->srv->cfg, &me, id, now, &err);
  } else {
    fg_journal_json *v = fg_http_body_json(r);
    if (v == NULL) {
      sodium_memzero(&me, sizeof me);
      return 0;
    }
    const char *reason = fg_http_jstr(v, "reason");
    if (reason == NULL || reason[0] == '\0') {
      fg_journal_json_free(v);
      sodium_memzero(&me, sizeof me);
      return fg_http_error(r, 400, "bad_input", "reason", "驳回须写明理由 (reason is required)");
    }
    rc = fg_review_refuse(r->srv->s, &me, id, reason, now, &err);
    fg_journal_json_free(v);
  }
  sodium_memzero(&me, sizeof me);
  if (rc) {
    if (strstr(err.msg, "不存在") || strstr(err.msg, "没有提议"))
      return fg_http_error(r, 404, "not_found", NULL, "%s", err.msg);
    return fg_http_fail(r, rc, &err);
  }
  fg_buf_addf(&r->out, "{\"id\":%lld,\"done\":\"%s\"}", (long long)id, act);
  return fg_http_json(r, 200);
}

/* ---- journal, batches, users ---------------------------------------------------- */

int fg_http_api_journal_status(fg_http_req *r) {
  int64_t n = 0;
  fg_err err = {0};
  int rc = fg_store_journal_count(r->srv->s, &n, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  uint8_t root[32];
  char hex[65] = "";
  int64_t used = 0;
  if (n > 0 && fg_journal_root_at(r->srv->s, 0, root, &used, &err) == 0) fg_hex(root, 32, hex);
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "entries", n);
  fg_http_jstr_add(&r->out, &f, "root", hex);
  fg_buf_addc(&r->out, '}');
  return fg_http_json(r, 200);
}

/* A signed tree head (as `log checkpoint`: the user needs
 * journal.checkpoint, the platform key signs); its text in "checkpoint". */
int fg_http_api_journal_checkpoint(fg_http_req *r) {
  fg_err err = {0};
  fg_journal_checkpoint cp;
  int rc = fg_journal_checkpoint_make(r->srv->s, &r->srv->platform, &cp, &err);
  if (rc) return fg_http_fail(r, rc, &err);
  char hex[65];
  fg_hex(cp.root, 32, hex);
  fg_buf text = FG_BUF_INIT;
  fg_journal_checkpoint_format(&cp, &text);
  bool f = true;
  fg_buf_addc(&r->out, '{');
  fg_http_jint(&r->out, &f, "entries", (int64_t)cp.size);
  fg_http_jstr_add(&r->out, &f, "root", hex);
  fg_http_jstr_add(&r->out, &f, "checkpoint", text.buf ? text.buf : "");
  fg_buf_addc(&r->out, '}');
  fg_buf_release(&text);
  return fg_http_json(r, 201);
}

typedef struct fg_api_count {
  fg_buf *b;
  int n;
} fg_api_count;

static int fg_api_batch_item(void *ud, const fg_store_batch_row *x) {
  fg_api_count *c = ud;
  bool f = true;
  fg_buf_adds(c->b, c->n++ ? ",{" : "{");
  fg_http_jint(c->b, &f, "id", x->id);
  fg_http_jstr_add(c->b, &f, "started_at", x->started_at);
  fg_http_jstr_add(c->b, &f, "actor", x->actor);
  fg_http_jstr_add(c->b, &f, "status", x->status);
  fg_http_jint(c->b, &f, "rows_stored", x->rows_stored);
  fg_http_jint(c->b, &f, "rows_rejected", x->rows_rejected);
  fg_buf_addc(c->b, '}');
  return 0;
}

int fg_http_api_batches(fg_http_req *r) {
  fg_api_count c = {&r->out, 0};
  fg_err err = {0};
  fg_buf_adds(&r->out, "{\"items\":[");
  int rc = fg_store_batches_each(r->srv->s, fg_api_batch_item, &c, &err);
  if (rc) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  fg_api_list_end(&r->out, 0, c.n);
  return fg_http_json(r, 200);
}

typedef struct fg_api_users {
  fg_http_req *r;
  int n;
} fg_api_users;

static int fg_api_user_item(void *ud, const fg_store_user *u) {
  fg_api_users *x = ud;
  char roles[256] = "";
  fg_err err = {0};
  if (fg_store_user_roles(x->r->srv->s, u->name, roles, sizeof roles, &err) != 0) return FG_EDB;
  fg_buf *b = &x->r->out;
  bool f = true;
  fg_buf_adds(b, x->n++ ? ",{" : "{");
  fg_http_jstr_add(b, &f, "user", u->name);
  fg_http_jstr_add(b, &f, "name", u->display_name);
  fg_http_jstr_add(b, &f, "roles", roles);
  fg_http_jstr_add(b, &f, "agency", u->agency[0] ? u->agency : NULL);
  fg_buf_addc(b, '}');
  return 0;
}

int fg_http_api_users(fg_http_req *r) {
  fg_api_users x = {r, 0};
  fg_err err = {0};
  fg_buf_adds(&r->out, "{\"items\":[");
  int rc = fg_store_user_each(r->srv->s, fg_api_user_item, &x, &err);
  if (rc) {
    fg_buf_reset(&r->out);
    return fg_http_fail(r, rc, &err);
  }
  fg_api_list_end(&r->out, 0, x.n);
  return fg_http_json(r, 200);
}

/* ---- POST /imports: the standard's files as one batch (the CLI's import) ---- */

int fg_http_api_import(fg_http_req *r) {
  if (r->too_large)
    return fg_http_error(r, 413, "too_large", "files", "上传的文件合计超过 %d MiB (serve --upload-max-mb)",
                         r->srv->o->upload_max_mb ? r->srv->o->upload_max_mb : FG_HTTP_UPLOAD_MB_DEFAULT);
  if (r->upbad[0]) return fg_http_error(r, 400, "bad_input", "files", "%s", r->upbad);
  if (r->upname[0] == '\0')
    return fg_http_error(r, 400, "bad_input", "files", "没有上传任何数据接入标准的文件");
  fg_signer me;
  fg_http_signer(r, &me);
  fg_import_opts o = {.actor = me.actor, .before_commit = fg_import_journal_hook, .hook_ud = &me};
  fg_import_result res;
  fg_err err = {0};
  const int rc = fg_import_dir(r->srv->s, r->updir, &o, &res, &err);
  sodium_memzero(&me, sizeof me);
  fg_buf *b = &r->out;
  bool f = true;
  if (rc != 0 && res.nerrors_listed == 0) {
    fg_import_result_release(&res);
    return fg_http_fail(r, rc, &err);
  }
  fg_buf_addc(b, '{');
  if (rc != 0) { /* the batch had errors: nothing stored; they are listed */
    fg_buf_adds(b, "\"error\":{\"code\":\"bad_input\",\"field\":\"files\",\"message\":");
    fg_journal_json_add_str(b, err.msg, strlen(err.msg));
    fg_buf_adds(b, "},");
  }
  fg_http_jint(b, &f, "batch_id", res.batch_id);
  fg_http_jbool(b, &f, "noop", res.noop);
  fg_http_jkey(b, &f, "files");
  fg_buf_addc(b, '[');
  for (int i = 0; i < res.nfiles; i++) {
    const fg_import_file *x = &res.files[i];
    bool g = true;
    fg_buf_adds(b, i ? ",{" : "{");
    fg_http_jstr_add(b, &g, "file", fg_schema_table(x->table)->file);
    fg_http_jstr_add(b, &g, "encoding", x->encoding ? x->encoding : "");
    fg_http_jbool(b, &g, "skipped", x->skipped);
    fg_http_jint(b, &g, "rows_read", x->rows_read);
    fg_http_jint(b, &g, "rows_stored", x->rows_stored);
    fg_http_jint(b, &g, "rows_unchanged", x->rows_unchanged);
    fg_http_jint(b, &g, "rows_rejected", x->rows_rejected);
    fg_buf_addc(b, '}');
  }
  fg_buf_addc(b, ']');
  fg_http_jkey(b, &f, "errors");
  fg_buf_addc(b, '[');
  for (int i = 0; i < res.nerrors_listed; i++) {
    if (i) fg_buf_addc(b, ',');
    fg_journal_json_add_str(b, res.errors[i], strlen(res.errors[i]));
  }
  fg_buf_addc(b, ']');
  fg_http_jkey(b, &f, "notices");
  fg_buf_addc(b, '[');
  for (int i = 0; i < res.nnotices; i++) {
    if (i) fg_buf_addc(b, ',');
    fg_journal_json_add_str(b, res.notices[i], strlen(res.notices[i]));
  }
  fg_buf_adds(b, "]}");
  fg_import_result_release(&res);
  return fg_http_json(r, rc == 0 ? 201 : 400);
}
