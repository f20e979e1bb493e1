/*
 * engine.c — the engine's parts below a run (engine.h): the severity of
 * each rule, resolving a rule list against the registry, and running the
 * selected rules on FG_SCREEN_THREADS workers that pull rule indexes from
 * an atomic counter, each rule writing its own findings list (no locks in
 * the hot path), then concatenating in list order and sorting by (rule,
 * subject_id), so the same data, configuration and as_of give the same
 * findings. The run itself (configuration, model load or snapshot, the
 * stored run and its journal entry) is engine_run.c.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build.h"
#include "screen/engine.h"
#include "store/store.h"


/* Severity of each catalogue rule's findings:
 *   high   — money already paid out or moved unlawfully, or evidence of
 *            deliberate falsification (pay after death, double pay, fund
 *            transfers, self-dealing, altered birth dates);
 *   medium — likely irregular, needs a case worker's review;
 *   low    — data quality and control hygiene signals.
 * A rule not listed (a test rule, a later addition) is medium. */
static const struct {
  const char *rule, *severity;
} fg_screen_severities[] = {
    {"identity.invalid_id", "low"},
    {"identity.id_mismatch", "medium"},
    {"enrollment.over_age", "medium"},
    {"enrollment.duplicate", "medium"},
    {"contribution.base_out_of_range", "low"},
    {"contribution.base_spike", "medium"},
    {"contribution.backpay_before_retirement", "medium"},
    {"contribution.before_age_16", "low"},
    {"contribution.after_death", "high"},
    {"benefit.paid_after_death", "high"},
    {"benefit.paid_during_incarceration", "high"},
    {"benefit.duplicate_pension", "high"},
    {"benefit.unemployment_while_employed", "medium"},
    {"benefit.unemployment_while_pensioned", "high"},
    {"benefit.unemployment_over_entitlement", "medium"},
    {"benefit.survival_cert_overdue", "medium"},
    {"benefit.shared_bank_account", "medium"},
    {"benefit.large_payment_unreviewed", "medium"},
    {"benefit.maternity_repeat", "medium"},
    {"retirement.birthdate_altered", "high"},
    {"retirement.single_review", "medium"},
    {"retirement.special_work_ineligible", "medium"},
    {"retirement.underage", "medium"},
    {"retirement.flexible_out_of_range", "medium"},
    {"retirement.insufficient_contribution", "medium"},
    {"medical.overlapping_inpatient", "high"},
    {"medical.outpatient_during_inpatient", "medium"},
    {"medical.after_death", "high"},
    {"medical.sex_mismatch", "low"},
    {"medical.age_mismatch", "low"},
    {"medical.price_over_limit", "medium"},
    {"medical.quantity_over_limit", "low"},
    {"medical.out_of_scope_charged", "medium"},
    {"medical.duplicate_invoice", "high"},
    {"medical.outside_agreement", "medium"},
    {"medical.high_frequency", "low"},
    {"medical.bed_hanging", "medium"},
    {"medical.split_admission", "medium"},
    {"institution.resigned_within_ban", "medium"},
    {"fund.income_balance_at_month_end", "medium"},
    {"fund.income_account_outflow", "high"},
    {"fund.cross_scheme_transfer", "high"},
    {"fund.unmatched_private_payment", "high"},
    {"control.self_review", "medium"},
    {"control.missing_review", "medium"},
    {"control.unapproved_modification", "medium"},
    {"control.self_dealing", "high"},
    {"control.tenure_exceeded", "low"},
    {"control.incompatible_roles", "low"},
    {"control.off_hours_high_risk", "low"},
};

const char *fg_screen_severity(const char *rule_id) {
  FG_ASSERT(rule_id);
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_screen_severities); i++)
    if (strcmp(fg_screen_severities[i].rule, rule_id) == 0) return fg_screen_severities[i].severity;
  return "medium";
}

int fg_screen_select(const fg_rule *table, int ntable, const char *list, const fg_rule **out,
                     int *nout, fg_err *err) {
  FG_ASSERT(table && out && nout && ntable <= FG_SCREEN_RULES_MAX);
  bool want[FG_SCREEN_RULES_MAX] = {false};
  bool all = !list || !*list;
  for (const char *p = list; !all && *p;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n > 0 && *p == ' ') p++, n--;
    while (n > 0 && p[n - 1] == ' ') n--;
    int hit = -1;
    for (int i = 0; n > 0 && i < ntable; i++)
      if (strlen(table[i].id) == n && memcmp(table[i].id, p, n) == 0) hit = i;
    if (n > 0 && hit < 0)
      return fg_errf(err, FG_EUSAGE, "未知的规则 unknown rule: %.*s", (int)n, p);
    if (hit >= 0) want[hit] = true;
    p = end ? end + 1 : p + n;
    if (!end) break;
  }
  *nout = 0;
  for (int i = 0; i < ntable; i++)
    if (all || want[i]) out[(*nout)++] = &table[i];
  if (*nout == 0) return fg_errf(err, FG_EUSAGE, "没有选中任何规则 no rule selected");
  return 0;
}

typedef struct fg_screen_pool {
  const fg_rule_ctx *ctx;
  const fg_rule *const *rules;
  int n;
  fg_screen_rule_stat *stats;
  fg_findings *outs;
  atomic_int next;
} fg_screen_pool;

static void *fg_screen_worker(void *arg) {
  fg_screen_pool *p = arg;
  for (;;) {
    int i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n) break;
    if (!p->stats[i].skipped) p->rules[i]->run(p->ctx, &p->outs[i]);
  }
  return NULL;
}

/* Mark the rules whose inputs are absent, naming the tables. */
static void fg_screen_mark_skipped(const fg_model *m, const fg_rule *const *rules, int n,
                                   fg_screen_rule_stat *stats) {
  for (int i = 0; i < n; i++) {
    memset(&stats[i], 0, sizeof stats[i]);
    stats[i].rule = rules[i];
    for (int t = 0; t < FG_T_COUNT; t++) {
      if (!(rules[i]->inputs & (1u << t)) || m->present[t]) continue;
      size_t len = strlen(stats[i].missing);
      snprintf(stats[i].missing + len, sizeof stats[i].missing - len, "%s%s", len ? "," : "",
               fg_schema_table((fg_table_id)t)->name);
      stats[i].skipped = true;
    }
  }
}

void fg_screen_run_rules(const fg_rule_ctx *ctx, const fg_rule *const *rules, int n,
                         int threads, fg_screen_rule_stat *stats, fg_findings *out) {
  FG_ASSERT(ctx && ctx->m && ctx->cfg && (rules || n == 0) && stats && out);
  FG_ASSERT(threads >= 1 && threads <= 64);
  fg_screen_mark_skipped(ctx->m, rules, n, stats);
  fg_screen_pool pool = {.ctx = ctx, .rules = rules, .n = n, .stats = stats};
  pool.outs = fg_xcalloc((size_t)n + 1, sizeof *pool.outs);
  atomic_init(&pool.next, 0);
  pthread_t th[64];
  int started = 0;
  for (int k = 1; k < threads; k++)
    if (pthread_create(&th[started], NULL, fg_screen_worker, &pool) == 0) started++;
  fg_screen_worker(&pool); /* this thread is a worker too */
  for (int k = 0; k < started; k++) pthread_join(th[k], NULL);
  int64_t total = out->n;
  for (int i = 0; i < n; i++) total += pool.outs[i].n;
  if (total > out->cap) {
    out->v = fg_xrealloc(out->v, (size_t)(total + 1) * sizeof *out->v);
    out->cap = total;
  }
  for (int i = 0; i < n; i++) {
    fg_findings *f = &pool.outs[i];
    stats[i].count = f->n;
    for (int64_t j = 0; j < f->n; j++) {
      /* each finding names the rule that ran (a rule writes its id itself) */
      FG_ASSERT(strcmp(f->v[j].rule, stats[i].rule->id) == 0);
      stats[i].amount_fen = fg_add_sat(stats[i].amount_fen, f->v[j].amount_fen);
    }
    if (f->n) memcpy(out->v + out->n, f->v, (size_t)f->n * sizeof *f->v);
    out->n += f->n;
    free(f->v); /* the findings themselves moved to out */
  }
  free(pool.outs);
  fg_findings_sort(out);
}

void fg_screen_findings_digest(const fg_findings *f, char out_hex[65]) {
  FG_ASSERT(f && out_hex);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (int64_t i = 0; i < f->n; i++) {
    const fg_finding *x = &f->v[i];
    char amount[32];
    int an = snprintf(amount, sizeof amount, "%lld\n", (long long)x->amount_fen);
    const char *parts[] = {x->rule, "\t", x->subject_type, "\t", x->subject_id, "\t"};
    for (size_t k = 0; k < FG_ARRAY_LEN(parts); k++)
      crypto_hash_sha256_update(&st, (const unsigned char *)parts[k], strlen(parts[k]));
    crypto_hash_sha256_update(&st, (const unsigned char *)amount, (unsigned long long)an);
  }
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  fg_hex(digest, sizeof digest, out_hex);
}

void fg_screen_result_release(fg_screen_result *res) {
  if (!res) return;
  free(res->stats);
  memset(res, 0, sizeof *res);
}
