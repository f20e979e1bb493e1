/*
 * screen.h — the screening engine's public face: run the rule catalogue
 * over a store, collect findings, export them.
 *
 * Flow: fg_screen_run() loads the model (model.h) from the store, runs every
 * selected rule of the registry (rules.h) on FG_SCREEN_THREADS (2) worker
 * threads (each rule writes to its own findings list, so there is no
 * locking in the hot path), sorts the findings by (rule, subject_id) so a
 * rerun on the same data gives the same result, and stores them as one run.
 */
#ifndef FG_SCREEN_SCREEN_H
#define FG_SCREEN_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/date.h"
#include "common/fg.h"
#include "config/config.h"
#include "schema/schema.h"
#include "screen/model.h"

/* One piece of evidence: a row of a standard table (its store rowid). */
typedef struct fg_evidence {
  uint8_t table; /* fg_table_id */
  fg_rowid row;
} fg_evidence;

typedef struct fg_finding {
  const char *rule;         /* static rule id */
  const char *subject_type; /* static */
  char *subject_id;         /* owned */
  int64_t amount_fen;
  char *detail;             /* owned, human-readable (English keys, values) */
  fg_evidence *ev;          /* owned */
  int32_t nev;
} fg_finding;

typedef struct fg_findings {
  fg_finding *v;
  int64_t n, cap;
} fg_findings;

/* Append a finding; copies subject_id, detail and the evidence. */
void fg_findings_add(fg_findings *f, const char *rule, const char *subject_type,
                     const char *subject_id, int64_t amount_fen, const char *detail,
                     const fg_evidence *ev, int32_t nev);
void fg_findings_release(fg_findings *f);
/* Sort by (rule, subject_id). */
void fg_findings_sort(fg_findings *f);

/* What a rule sees. */
typedef struct fg_rule_ctx {
  const fg_model *m;
  const fg_config *cfg;
  fg_day as_of;
} fg_rule_ctx;

typedef void (*fg_rule_fn)(const fg_rule_ctx *ctx, fg_findings *out);

typedef struct fg_rule {
  const char *id;           /* "benefit.paid_after_death" */
  const char *subject_type; /* "person" */
  const char *title_zh;     /* 死亡后继续领取待遇 */
  uint32_t inputs;          /* bit (1u << fg_table_id) per table read */
  fg_rule_fn run;
} fg_rule;

#define FG_SCREEN_RULES_MAX 256 /* rules one run may select */

/* The registry of rules.md, in catalogue order. */
const fg_rule *fg_rules(int *n);
const fg_rule *fg_rule_by_id(const char *id);

/* ---- running a screening (engine.c) ---------------------------------------
 * fg_screen_run(): load the model from the store, run the selected rules on
 * FG_SCREEN_THREADS worker threads, sort the findings, and store the run,
 * its findings and their evidence in one transaction. */

#define FG_SCREEN_THREADS 2
#define FG_SCREEN_ACTOR_MAX 64

/* Called inside the run's transaction just before commit (the journal hooks
 * in here). findings_sha256_hex is the SHA-256 of the canonical findings
 * bytes: for every finding in stored order, the UTF-8 line
 *   rule \t subject_type \t subject_id \t amount_fen (decimal) \n
 * snapshot_sha256_hex: the SHA-256 of the model snapshot (snapshot.h) the
 * run read or wrote, NULL when none.
 * A non-zero return rolls the whole run back and is returned by the run. */
struct fg_store;
typedef int (*fg_screen_commit_hook)(void *ud, struct fg_store *s, int64_t run_id,
                                     const char *findings_sha256_hex,
                                     const char *snapshot_sha256_hex, fg_err *err);

typedef struct fg_screen_opts {
  fg_day as_of;
  const char *rules;       /* comma-separated rule ids; NULL or "" = all */
  const char *config_path; /* what-if configuration file; NULL = the official one */
  const char *actor;       /* who runs it (user name) */
  bool future;             /* as_of is after today (allowed by --allow-future; recorded) */
  /* optional: each long step (load, rules, store) from 0 to total */
  void (*progress)(void *ud, const char *step, uint64_t done, uint64_t total);
  void *progress_ud;
  fg_screen_commit_hook on_commit; /* optional */
  void *hook_ud;
} fg_screen_opts;

/* One selected rule's outcome, in registry order. */
typedef struct fg_screen_rule_stat {
  const fg_rule *rule;
  bool skipped;        /* an input table is absent from every batch */
  int64_t count;       /* findings */
  int64_t amount_fen;  /* their amounts summed */
  char missing[160];   /* when skipped: the absent tables, comma-separated */
} fg_screen_rule_stat;

typedef struct fg_screen_result {
  int64_t run_id;
  int nstats;
  fg_screen_rule_stat *stats; /* heap */
  int64_t nfindings, amount_fen;
  bool official;
  char config_hash[65];
  char findings_sha256[65];
  double load_ms, rules_ms, store_ms;
} fg_screen_result;

/* Severity of a rule's findings: "high", "medium" or "low" (engine.c). */
const char *fg_screen_severity(const char *rule_id);
/* A rule as the catalogue lists it (catalog.c): the tables it reads
 * (comma-separated names) and the thresholds of cfg it uses, in words ("" when
 * it has none). Both buffers are reset and NUL-terminated. */
void fg_screen_rule_describe(const fg_rule *r, const fg_config *cfg, fg_buf *inputs,
                             fg_buf *thresholds);

int fg_screen_run(const char *store_path, const fg_screen_opts *opts, fg_screen_result *res,
                  fg_err *err);
void fg_screen_result_release(fg_screen_result *res);

#endif
