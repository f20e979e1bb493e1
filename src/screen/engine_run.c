/*
 * engine_run.c — fg_screen_run() (screen.h): one screening run from store
 * to stored findings. The pieces (rule selection, the worker pool, the
 * digest) are in engine.c; this file is the sequence and the storing.
 * The model comes from the verified snapshot beside the store when there is
 * a current one (snapshot.h), else from SQLite, and then a run writes the
 * snapshot for the next one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "screen/build.h"
#include "screen/engine.h"
#include "common/fsout.h"
#include "screen/snapshot.h"

#include <pthread.h>
#include "store/store.h"

#define FG_SCREEN_YEAR_MIN 1900
#define FG_SCREEN_YEAR_MAX 2099

static double fg_screen_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Now, Beijing time, YYYY-MM-DDTHH:MM:SS. */
static void fg_screen_timestamp(char out[20]) {
  fg_format_timestamp(fg_beijing_now_s(), out);
}

/* The official configuration of the store, or a what-if file over the
 * defaults. */
static int fg_screen_config(fg_store *s, const char *path, fg_config *cfg, bool *official,
                            fg_err *err) {
  fg_config_defaults(cfg);
  if (path) {
    *official = false;
    return fg_config_load_file(cfg, path, err);
  }
  *official = true;
  char *text = NULL;
  bool found = false;
  int rc = fg_store_config_get_official(s, &text, NULL, NULL, &found, err);
  if (rc) return rc;
  if (!found) {
    fprintf(stderr, "fundguard screen: 数据库中没有正式配置，使用默认配置"
                    " (no official configuration stored: using the defaults)\n");
    return 0;
  }
  rc = fg_config_parse(cfg, "official configuration", text, strlen(text), err);
  free(text);
  return rc;
}

/* Warn once, naming every year the calendar-reading rules of this run
 * read that the working-day calendar does not cover (rules.md: Monday-Friday
 * are then working days). Only control.off_hours_high_risk reads the
 * calendar, at the operations' timestamps; a run without it reads none. */
static void fg_screen_warn_calendar(const fg_model *m, const fg_config *cfg,
                                    const fg_rule *const *sel, int nsel) {
  bool reads = false;
  for (int i = 0; i < nsel; i++) reads |= strcmp(sel[i]->id, "control.off_hours_high_risk") == 0;
  if (!reads || !m->present[FG_T_OPERATIONS]) return;
  bool seen[FG_SCREEN_YEAR_MAX - FG_SCREEN_YEAR_MIN + 1] = {false};
  int y, mo, d;
  for (int64_t i = 0; i < m->noperations; i++) {
    int64_t at_s = m->operations[i].at_s;
    if (at_s == INT64_MIN) continue;
    int64_t day = at_s >= 0 ? at_s / 86400 : -((-at_s + 86399) / 86400);
    fg_ymd_from_day((fg_day)day, &y, &mo, &d);
    if (y >= FG_SCREEN_YEAR_MIN && y <= FG_SCREEN_YEAR_MAX) seen[y - FG_SCREEN_YEAR_MIN] = true;
  }
  fg_buf b = FG_BUF_INIT;
  for (int k = 0; k < (int)FG_ARRAY_LEN(seen); k++)
    if (seen[k] && !fg_config_covers_year(cfg, FG_SCREEN_YEAR_MIN + k))
      fg_buf_addf(&b, "%s%d", b.len ? ", " : "", FG_SCREEN_YEAR_MIN + k);
  if (b.len)
    fprintf(stderr,
            "fundguard screen: 警告: 工作日历未覆盖 %s 年，这些年份按周一至周五为工作日处理"
            " (warning: the working-day calendar does not cover %s)\n",
            b.buf, b.buf);
  fg_buf_release(&b);
}

/* A step of the run starts (done 0) or ends (done 1), for a progress bar. */
static void fg_screen_step(const fg_screen_opts *o, const char *step, uint64_t done) {
  if (o->progress) o->progress(o->progress_ud, step, done, 1);
}

/* Comma-joined ids of the rules that ran (skipped = false) or were skipped. */
static char *fg_screen_rule_list(const fg_screen_result *res, bool skipped) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "");
  for (int i = 0; i < res->nstats; i++)
    if (res->stats[i].skipped == skipped)
      fg_buf_addf(&b, "%s%s", b.len ? "," : "", res->stats[i].rule->id);
  return fg_buf_detach(&b);
}

static int fg_screen_store(fg_store *s, const fg_screen_opts *o, fg_screen_result *res,
                           const fg_findings *f, const char *started_at, const char *snap_hex,
                           fg_err *err) {
  char *batches = NULL, *run = fg_screen_rule_list(res, false),
       *skipped = fg_screen_rule_list(res, true);
  char as_of[11], finished_at[20];
  int64_t max_batch = 0;
  fg_format_day(o->as_of, as_of);
  fg_store_finding *rows = fg_xcalloc((size_t)f->n + 1, sizeof *rows);
  fg_store_evidence *ev = NULL;
  int64_t nev = 0;
  for (int64_t i = 0; i < f->n; i++) nev += f->v[i].nev;
  ev = fg_xcalloc((size_t)nev + 1, sizeof *ev);
  nev = 0;
  for (int64_t i = 0; i < f->n; i++) {
    const fg_finding *x = &f->v[i];
    rows[i] = (fg_store_finding){x->rule, x->subject_type, x->subject_id, x->amount_fen,
                                 fg_screen_severity(x->rule), x->detail, ev + nev, x->nev};
    for (int32_t k = 0; k < x->nev; k++, nev++)
      ev[nev] = (fg_store_evidence){(fg_table_id)x->ev[k].table, x->ev[k].row};
  }
  int rc = fg_store_batches_read(s, &batches, &max_batch, err);
  if (rc == 0) rc = fg_store_begin(s, err);
  if (rc == 0) {
    fg_screen_timestamp(finished_at);
    fg_store_run r = {0, started_at, finished_at, as_of, run, skipped, res->config_hash,
                      res->official, batches, max_batch, o->actor ? o->actor : "",
                      f->n, res->findings_sha256, o->rules != NULL && o->rules[0] != '\0',
                      o->future};
    rc = fg_store_run_add(s, &r, &res->run_id, err);
    if (rc == 0) rc = fg_store_findings_add(s, res->run_id, rows, f->n, err);
    if (rc == 0 && o->on_commit)
      rc = o->on_commit(o->hook_ud, s, res->run_id, res->findings_sha256, snap_hex, err);
    if (rc == 0) rc = fg_store_commit(s, err);
    if (rc) fg_store_rollback(s);
  }
  free(rows);
  free(ev);
  free(batches);
  free(run);
  free(skipped);
  return rc;
}

/* The model snapshot of a run (snapshot.h): the file beside the store, the
 * temporary file a run that loaded from SQLite writes (renamed over it once
 * the run has committed, so the journal never names a file not yet there)
 * and the digest the run records. */
typedef struct fg_screen_snap {
  bool enabled;
  char path[FG_SNAPSHOT_PATH_MAX], tmp[FG_SNAPSHOT_PATH_MAX];
  fg_snapshot_key key;
  bool have; /* hex is the digest of the model the run read */
  bool wrote; /* tmp holds it, to be renamed to path */
  int64_t grown_rows; /* rows read from SQLite to extend the snapshot */
  char hex[65];
} fg_screen_snap;

/* Snapshots need the journal hook (it records their digest). */
static void fg_screen_snap_init(const char *store_path, const fg_screen_opts *o,
                                fg_screen_snap *sn) {
  memset(sn, 0, sizeof *sn);
  const char *env = getenv(FG_SNAPSHOT_ENV);
  sn->enabled = o->on_commit && !(env && strcmp(env, "0") == 0) &&
                fg_snapshot_path(store_path, sn->path) &&
                snprintf(sn->tmp, sizeof sn->tmp, "%s.tmp.%ld", sn->path, (long)getpid()) <
                    (int)sizeof sn->tmp;
  /* a screening killed while writing its snapshot left PATH.model.tmp.PID */
  if (sn->enabled) fg_fsout_sweep(sn->path);
}

/* Where a run's model came from. */
typedef enum {
  FG_SCREEN_FROM_STORE,    /* read from SQLite (no usable snapshot) */
  FG_SCREEN_FROM_SNAPSHOT, /* the snapshot, current */
  FG_SCREEN_FROM_GROWN,    /* the snapshot plus the rows the store gained since */
} fg_screen_from;

/* A run that extended the snapshot writes a new one only when the rows it
 * read from SQLite are more than 1/FG_SCREEN_REFRESH_DIV of the model's:
 * until then the next run extends the same snapshot again (a month of
 * data: seconds) instead of every run writing ~4 GB (docs/decisions.md 77). */
#define FG_SCREEN_REFRESH_DIV 4

/* Whether the store keyed now has rows beyond a snapshot keyed was, but
 * at most 1/FG_SCREEN_REFRESH_DIV as many as it (rowid spans): a month,
 * worth reading while the snapshot is verified; not a snapshot of some
 * other, smaller store (its rows would be read for nothing). */
static bool fg_screen_few_new(const fg_snapshot_key *was, const fg_snapshot_key *now) {
  uint64_t old_rows = 0, new_rows = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (was->lo[t] <= was->hi[t]) old_rows += (uint64_t)was->hi[t] - (uint64_t)was->lo[t] + 1;
    if (now->lo[t] <= now->hi[t]) new_rows += (uint64_t)now->hi[t] - (uint64_t)now->lo[t] + 1;
  }
  return new_rows > old_rows && new_rows - old_rows <= old_rows / FG_SCREEN_REFRESH_DIV;
}

/* Use the snapshot when the journal's digest matches it: as it is when it
 * is current; extended by the new rows when the store only grew since (its
 * rows are append-only, so the snapshot's rows are still the store's). */
static fg_screen_from fg_screen_snap_try(const char *store_path, fg_store *s,
                                         fg_screen_snap *sn, fg_model **m) {
  if (access(sn->path, F_OK) != 0) return FG_SCREEN_FROM_STORE;
  fg_err e = {0};
  bool found = false;
  fg_snapshot_key was;
  fg_model *base = NULL;
  int64_t from[FG_T_COUNT], to[FG_T_COUNT];
  /* The store's new rows are read on a thread of their own while the
   * snapshot's digest is checked (that waits for the disk: 3 GB at a
   * million persons), from the key its header names; they are used only if
   * the verified header names the same (fg_model_extend_finish). */
  fg_extend_job *job = NULL;
  int rc = fg_snapshot_recorded(s, sn->hex, &found, &e);
  if (rc == 0 && !found) rc = fg_errf(&e, FG_EVERIFY, "日志中没有快照摘要 (no digest in the journal)");
  fg_snapshot_key peek;
  int64_t pfrom[FG_T_COUNT], pto[FG_T_COUNT];
  if (rc == 0 && fg_snapshot_peek_key(sn->path, &peek) && fg_screen_few_new(&peek, &sn->key) &&
      fg_snapshot_key_grown(&peek, &sn->key, pfrom, pto))
    job = fg_model_extend_start(store_path, pfrom, pto);
  if (rc == 0) rc = fg_snapshot_open_any(sn->path, sn->hex, &was, &base, &e);
  if (rc == 0 && memcmp(&was, &sn->key, sizeof was) == 0) {
    fg_model_extend_cancel(job);
    *m = base;
    sn->have = true;
    return FG_SCREEN_FROM_SNAPSHOT;
  }
  if (rc == 0 && !fg_snapshot_key_grown(&was, &sn->key, from, to))
    rc = fg_errf(&e, FG_EVERIFY, "数据库的行有减少 (rows gone since the snapshot)");
  if (rc == 0) {
    const int64_t base_rows = fg_model_rows_total(base);
    int64_t read = 0;
    rc = fg_model_extend_finish(job, store_path, base, from, to, m, &read, &e); /* consumes base */
    job = NULL;
    base = NULL;
    if (rc == 0) {
      /* have: the run records the snapshot it extended, which stays */
      sn->have = read <= base_rows / FG_SCREEN_REFRESH_DIV;
      sn->grown_rows = read;
      return FG_SCREEN_FROM_GROWN;
    }
  }
  fg_model_extend_cancel(job);
  fg_model_free(base);
  fprintf(stderr, "fundguard screen: 快照已失效，重新从数据库载入 (snapshot not used: %s)\n",
          e.msg);
  return FG_SCREEN_FROM_STORE;
}

/* After the rules: write the model that came from SQLite to sn->tmp. A
 * failure only costs the next run the SQLite load. */
static void fg_screen_snap_write(const fg_model *m, fg_screen_snap *sn) {
  double t0 = fg_screen_now_ms();
  fg_err e = {0};
  unlink(sn->tmp);
  if (fg_snapshot_write(m, &sn->key, sn->tmp, sn->hex, &e) != 0) {
    fprintf(stderr, "fundguard screen: 警告: 未写入模型快照 (snapshot not written: %s)\n", e.msg);
    return;
  }
  sn->have = sn->wrote = true;
  fprintf(stderr, "fundguard screen: 写入快照 snapshot written %.1f s\n",
          (fg_screen_now_ms() - t0) / 1000.0);
}

typedef struct fg_screen_snap_job {
  const fg_model *m;
  fg_screen_snap *sn;
} fg_screen_snap_job;

static void *fg_screen_snap_thread(void *arg) {
  fg_screen_snap_job *j = arg;
  fg_screen_snap_write(j->m, j->sn);
  return NULL;
}

/* Once the run has committed (ok) put the new snapshot in place; else drop it. */
static void fg_screen_snap_finish(fg_screen_snap *sn, bool ok) {
  if (!sn->wrote) return;
  if (ok && rename(sn->tmp, sn->path) == 0) return;
  if (ok) fprintf(stderr, "fundguard screen: 警告: 无法放置模型快照 %s\n", sn->path);
  unlink(sn->tmp);
}

/* Load, run the selected rules, and fill res; findings into *f. */
static int fg_screen_execute(const char *store_path, fg_store *s, const fg_screen_opts *opts,
                             const fg_config *cfg, const fg_rule **sel, int nsel,
                             fg_screen_result *res, fg_findings *f, fg_screen_snap *sn,
                             fg_err *err) {
  double t0 = fg_screen_now_ms();
  fg_model *m = NULL;
  int rc = sn->enabled ? fg_snapshot_key_read(s, &sn->key, err) : 0;
  if (rc) return rc;
  fg_screen_step(opts, "载入 load", 0);
  fg_screen_from from =
      sn->enabled ? fg_screen_snap_try(store_path, s, sn, &m) : FG_SCREEN_FROM_STORE;
  if (from == FG_SCREEN_FROM_STORE && (rc = fg_model_load(store_path, &m, err)) != 0) return rc;
  fg_screen_step(opts, "载入 load", 1);
  double t1 = fg_screen_now_ms();
  res->load_ms = t1 - t0;
  if (from == FG_SCREEN_FROM_GROWN)
    fprintf(stderr, "fundguard screen: 载入 load %.1f s (快照 + 新增 %lld 行 snapshot + new rows)\n",
            res->load_ms / 1000.0, (long long)sn->grown_rows);
  else
    fprintf(stderr, "fundguard screen: 载入 load %.1f s (%s)\n", res->load_ms / 1000.0,
            from == FG_SCREEN_FROM_SNAPSHOT ? "快照 snapshot" : "数据库 store");
  fg_screen_warn_calendar(m, cfg, sel, nsel);
  fg_rule_ctx ctx = {.m = m, .cfg = cfg, .as_of = opts->as_of};
  res->nstats = nsel;
  res->stats = fg_xcalloc((size_t)nsel + 1, sizeof *res->stats);
  /* The snapshot writer only reads the model, like the rules: it runs beside
   * them instead of after them (writing ~4 GB takes longer than the rules). */
  fg_screen_snap_job job = {m, sn};
  pthread_t writer;
  const bool write = sn->enabled && !sn->have;
  bool writing = write && pthread_create(&writer, NULL, fg_screen_snap_thread, &job) == 0;
  fg_screen_step(opts, "规则 rules", 0);
  fg_screen_run_rules(&ctx, sel, nsel, FG_SCREEN_THREADS, res->stats, f);
  fg_screen_step(opts, "规则 rules", 1);
  res->rules_ms = fg_screen_now_ms() - t1;
  if (writing) pthread_join(writer, NULL);
  else if (write) fg_screen_snap_write(m, sn);
  fg_model_free(m);
  res->nfindings = f->n;
  for (int64_t i = 0; i < f->n; i++)
    res->amount_fen = fg_add_sat(res->amount_fen, f->v[i].amount_fen);
  fg_screen_findings_digest(f, res->findings_sha256);
  return 0;
}

int fg_screen_run(const char *store_path, const fg_screen_opts *opts, fg_screen_result *res,
                  fg_err *err) {
  FG_ASSERT(store_path && opts && res);
  memset(res, 0, sizeof *res);
  int nreg = 0;
  const fg_rule *reg = fg_rules(&nreg);
  const fg_rule *sel[FG_SCREEN_RULES_MAX];
  int nsel = 0;
  int rc = fg_screen_select(reg, nreg, opts->rules, sel, &nsel, err);
  if (rc) return rc;
  char started_at[20];
  fg_screen_timestamp(started_at);
  fg_store *s = NULL;
  if ((rc = fg_store_open(store_path, false, &s, err)) != 0) return rc;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  rc = fg_screen_config(s, opts->config_path, cfg, &res->official, err);
  if (opts->future) res->official = false; /* a date in the future: a what-if aid only */
  fg_findings f = {0};
  fg_screen_snap sn;
  fg_screen_snap_init(store_path, opts, &sn);
  if (rc == 0) {
    fg_config_hash(cfg, res->config_hash);
    rc = fg_screen_execute(store_path, s, opts, cfg, sel, nsel, res, &f, &sn, err);
  }
  double t2 = fg_screen_now_ms();
  fg_screen_step(opts, "保存 store", 0);
  if (rc == 0) rc = fg_screen_store(s, opts, res, &f, started_at, sn.have ? sn.hex : NULL, err);
  fg_screen_step(opts, "保存 store", 1);
  fg_screen_snap_finish(&sn, rc == 0);
  res->store_ms = fg_screen_now_ms() - t2;
  fg_findings_release(&f);
  free(cfg);
  fg_store_close(s);
  if (rc) fg_screen_result_release(res);
  return rc;
}
