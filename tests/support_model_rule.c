/*
 * support_model_rule.c — fg_test_run_rule() of support_model.h: run one rule
 * of the registry over a test model with the default configuration, as the
 * engine would (same context), and return its findings sorted. Kept apart
 * from support_model.c because it links the whole rule registry.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_model.h"
#include "testutil.h"

fg_findings fg_test_run_rule(const fg_model *m, const char *rule_id, const char *as_of) {
  assert(m && rule_id && as_of);
  const fg_rule *r = fg_rule_by_id(rule_id);
  if (!r) {
    fprintf(stderr, "support_model: no rule '%s'\n", rule_id);
    abort();
  }
  fg_day day;
  if (!fg_parse_day(as_of, (int)strlen(as_of), &day)) {
    fprintf(stderr, "support_model: bad as_of '%s'\n", as_of);
    abort();
  }
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg);
  fg_rule_ctx ctx = {.m = m, .cfg = cfg, .as_of = day};
  fg_findings out = {0};
  r->run(&ctx, &out);
  fg_findings_sort(&out);
  free(cfg);
  return out;
}

bool fg_test_has_ev(const fg_finding *f, fg_table_id t, fg_rowid row) {
  for (int32_t i = 0; i < f->nev; i++)
    if (f->ev[i].table == t && f->ev[i].row == row) return true;
  return false;
}

const fg_finding *fg_test_expect(const fg_findings *f, const char *subject, int64_t amount_fen) {
  const fg_finding *x = fg_test_find(f, subject);
  if (x == NULL) fail_msg("no finding for %s", subject);
  assert_int_equal(x->amount_fen, amount_fen);
  assert_true(x->nev >= 1);
  assert_non_null(x->detail);
  return x;
}
