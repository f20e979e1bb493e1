/*
 * engine.h — the screening engine's internal entry points, below
 * fg_screen_run() (screen.h): selecting rules from a list of ids, running a
 * set of rules over a model on worker threads, and the canonical digest of
 * a findings list. Tests drive these with rule tables of their own, so the
 * engine is tested without the 48 catalogue rules.
 */
#ifndef FG_SCREEN_ENGINE_H
#define FG_SCREEN_ENGINE_H

#include "screen/screen.h"


/* Resolve a comma-separated list of rule ids (NULL/"" = all) against the
 * given table into out[] (registry order, duplicates dropped). Unknown id:
 * FG_EUSAGE naming it. */
int fg_screen_select(const fg_rule *table, int ntable, const char *list, const fg_rule **out,
                     int *nout, fg_err *err);

/* Run rules[0..n) over ctx->m on `threads` workers (an atomic counter over
 * the list; each rule into its own findings). Rules with an absent input are
 * skipped (stats[i].skipped, .missing). out receives all findings,
 * concatenated in list order and sorted by (rule, subject_id). */
void fg_screen_run_rules(const fg_rule_ctx *ctx, const fg_rule *const *rules, int n,
                         int threads, fg_screen_rule_stat *stats, fg_findings *out);

/* SHA-256 (hex, 65 bytes) of the canonical bytes defined in screen.h. */
void fg_screen_findings_digest(const fg_findings *f, char out_hex[65]);

#endif
