/*
 * catalog.c — the rule catalogue as a reader sees it (screen.h
 * fg_screen_rule_describe): for `fundguard rules` and the workbench, each
 * rule's Chinese name, severity, the standard tables it reads and the
 * thresholds of the configuration in force, in words. The thresholds come
 * from the fg_config the caller loaded (the store's official one), so the
 * list says what a screening would use today.
 */
#include <stdio.h>
#include <string.h>

#include "screen/screen.h"

/* Tables a rule reads, by name, comma-separated. */
static void fg_cat_inputs(const fg_rule *r, fg_buf *out) {
  for (int t = 0; t < FG_T_COUNT; t++)
    if (r->inputs & (1u << t)) {
      if (out->len) fg_buf_addc(out, ',');
      fg_buf_adds(out, fg_schema_table(t)->name);
    }
}

typedef struct fg_cat_threshold {
  const char *rule;
  const char *what; /* printf format of one int64 */
  size_t offset;    /* of an int32_t in fg_config; SIZE_MAX: large_payment_fen */
} fg_cat_threshold;

#define FG_CAT_I32(field) offsetof(fg_config, field)
#define FG_CAT_FEN ((size_t)-1)

static const fg_cat_threshold fg_cat_thresholds[] = {
    {"contribution.base_spike", "base_spike_ratio_pct = %lld（后一窗口超过前一窗口的百分比）",
     FG_CAT_I32(base_spike_ratio_pct)},
    {"contribution.backpay_before_retirement", "backpay_min_periods = %lld 个期间",
     FG_CAT_I32(backpay_min_periods)},
    {"benefit.survival_cert_overdue", "survival_cert_max_gap_months = %lld 个月",
     FG_CAT_I32(survival_cert_max_gap_months)},
    {"benefit.shared_bank_account", "shared_account_min_persons = %lld 人",
     FG_CAT_I32(shared_account_min_persons)},
    {"benefit.large_payment_unreviewed", "large_payment = %lld 元", FG_CAT_FEN},
    {"medical.high_frequency", "high_frequency_max_visits = %lld 次/月",
     FG_CAT_I32(high_frequency_max_visits)},
    {"medical.split_admission", "split_admission_max_days = %lld 天",
     FG_CAT_I32(split_admission_max_days)},
    {"control.tenure_exceeded", "tenure_max_years = %lld 年", FG_CAT_I32(tenure_max_years)},
    {"retirement.special_work_ineligible", "special_work_min_years = %lld 年",
     FG_CAT_I32(special_work_min_years)},
};

static void fg_cat_thresholds_of(const fg_rule *r, const fg_config *cfg, fg_buf *out) {
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_cat_thresholds); i++) {
    const fg_cat_threshold *t = &fg_cat_thresholds[i];
    if (strcmp(t->rule, r->id) != 0) continue;
    int64_t v = t->offset == FG_CAT_FEN ? cfg->large_payment_fen / 100
                                        : *(const int32_t *)((const char *)cfg + t->offset);
    fg_buf_addf(out, t->what, (long long)v);
  }
  if (strcmp(r->id, "control.off_hours_high_risk") == 0)
    fg_buf_addf(out, "工作时间 %02d:%02d-%02d:%02d，工作日历 %d-%d 年", cfg->work_start_s / 3600,
                cfg->work_start_s / 60 % 60, cfg->work_end_s / 3600, cfg->work_end_s / 60 % 60,
                (int)cfg->cal_year_min, (int)cfg->cal_year_max);
  if (strcmp(r->id, "control.incompatible_roles") == 0)
    fg_buf_addf(out, "不相容岗位 %d 对（配置 roles）", (int)cfg->nrole_pairs);
  const bool statutory = strcmp(r->id, "retirement.underage") == 0 ||
                         strcmp(r->id, "retirement.flexible_out_of_range") == 0;
  if (statutory)
    fg_buf_addf(out, "%s法定退休年龄（原退休年龄 60 岁）：1965-01 出生 %d 个月，2000-01 出生 %d 个月"
                     "（年龄表 %d 行，配置 retirement_age）",
                out->len ? "；" : "",
                (int)fg_config_age_months(cfg, 60, FG_AGE_STATUTORY, fg_month_from_ym(1965, 1)),
                (int)fg_config_age_months(cfg, 60, FG_AGE_STATUTORY, fg_month_from_ym(2000, 1)),
                (int)cfg->nage_rows);
  if (strcmp(r->id, "retirement.special_work_ineligible") == 0 ||
      strcmp(r->id, "enrollment.over_age") == 0)
    fg_buf_addf(out, "%s年龄表 %d 行（配置 retirement_age）", out->len ? "；" : "",
                (int)cfg->nage_rows);
  if (strcmp(r->id, "retirement.insufficient_contribution") == 0)
    fg_buf_addf(out, "最低缴费 %d 个月，%d 年起每年加 %d 个月，至多 %d 个月",
                (int)cfg->min_contribution.base_months, (int)cfg->min_contribution.rise_from_year,
                (int)cfg->min_contribution.step_months, (int)cfg->min_contribution.max_months);
}

void fg_screen_rule_describe(const fg_rule *r, const fg_config *cfg, fg_buf *inputs,
                             fg_buf *thresholds) {
  FG_ASSERT(r != NULL && cfg != NULL && inputs != NULL && thresholds != NULL);
  fg_buf_reset(inputs);
  fg_buf_reset(thresholds);
  fg_cat_inputs(r, inputs);
  fg_cat_thresholds_of(r, cfg, thresholds);
  fg_buf_add(inputs, "", 0);
  fg_buf_add(thresholds, "", 0);
}
