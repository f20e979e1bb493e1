/*
 * screen.h — the screening engine's public face: run the rule catalogue
 * over a store, collect findings, export them.
 *
 * Flow: fg_screen_run() loads the model (model.h) from the store, runs every
 * selected rule of the registry (rules.h) on a small pool of threads (one
 * per core; each rule writes to its own findings list, so there is no
 * locking in the hot path), sorts the findings by (rule, subject_id) so a
 * rerun on the same data gives the same result, and stores them as one run.
 */
#ifndef FG_SCREEN_SCREEN_H
#define FG_SCREEN_SCREEN_H

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
void fg_findings_free(fg_findings *f);
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

/* The registry of rules.md, in catalogue order. */
const fg_rule *fg_rules(int *n);
const fg_rule *fg_rule_by_id(const char *id);

#endif
