/*
 * rules_retire.c — retirement-approval rules of rules.md v1.2:
 * retirement.birthdate_altered, retirement.single_review,
 * retirement.special_work_ineligible, retirement.underage.
 *
 * Each retirements row is tested on its own; a person is found when any of
 * their rows fires (one finding per person, every firing row as evidence).
 * Ages come from the config's age table in months (fg_config_age_months) and
 * are compared as dates: age at d >= A months <=> d >= fg_rk_reach_day(birth, A).
 * A rule that needs birth date or sex (birthdate_altered, special_work_ineligible,
 * underage) does not fire for a person without a persons.csv row. Read-only on the model; writes only to `out`.
 */
#include "screen/rule_kit.h"
#include "screen/rules.h"

/* Tests one retirements row; on firing adds its detail text and returns true. */
typedef bool (*fg_rr_test)(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r, fg_rk *rk);

/* Runs test over every retirements row; one finding per person with a firing
 * row. with_person: the rule reads the person's birth date/sex, so its
 * persons row is evidence too (added once). */
static void fg_rr_run(const fg_rule_ctx *ctx, fg_findings *out, const char *rule, fg_rr_test test,
                      bool with_person) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    bool any = false;
    for (int64_t i = m->retirements_off[pk]; i < m->retirements_off[pk + 1]; i++) {
      const fg_m_retirement *r = &m->retirements[i];
      FG_ASSERT(r->pk == pk);
      fg_rk_sep(&rk);
      if (!test(ctx, pk, r, &rk)) continue;
      any = true;
      fg_rk_ev(&rk, FG_T_RETIREMENTS, r->row);
    }
    if (!any) continue;
    if (with_person) fg_rk_ev(&rk, FG_T_PERSONS, fg_rk_person_row(m, pk));
    fg_rk_emit(&rk, out, rule, "person", m->pk_id[pk], 0);
  }
  fg_rk_release(&rk);
}

static bool fg_rr_birthdate_altered(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r,
                                    fg_rk *rk) {
  fg_day birth = fg_rk_birth(ctx->m, pk);
  if (birth == FG_NODAY || r->birth_on_file == FG_NODAY || r->birth_on_file == birth) return false;
  char a[11], b[11], d[11];
  fg_format_day(r->birth_on_file, a);
  fg_format_day(birth, b);
  fg_format_day(r->approved_on, d);
  fg_rk_text(rk, "%s 批准退休：档案出生日期 %s，参保人出生日期 %s", d, a, b);
  return true;
}

void fg_rule_retirement_birthdate_altered(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.birthdate_altered", fg_rr_birthdate_altered, true);
}

static bool fg_rr_single_review(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r,
                                fg_rk *rk) {
  if (r->kind != FG_RET_EARLY && r->kind != FG_RET_SPECIAL_WORK && r->kind != FG_RET_DISABILITY)
    return false;
  const char *why;
  if (r->reviewer1 == 0 || r->reviewer2 == 0) why = "缺少一名审核人";
  else if (r->reviewer1 == r->reviewer2) why = "两次审核为同一人";
  else return false;
  char d[11];
  fg_format_day(r->approved_on, d);
  fg_rk_text(rk, "%s 批准退休：%s", d, why);
  return true;
}

void fg_rule_retirement_single_review(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.single_review", fg_rr_single_review, false);
}

/* Whether pk was younger than the (sex, category, birth month) age at d;
 * false when the age is unknown (no persons row or no config row). */
static bool fg_rr_under_age(const fg_rule_ctx *ctx, fg_pk pk, int category, fg_day d,
                            int32_t *limit_months) {
  fg_day birth;
  *limit_months = fg_rk_age_limit(ctx->cfg, ctx->m, pk, category, &birth);
  if (*limit_months < 0 || d == FG_NODAY) return false;
  return d < fg_rk_reach_day(birth, *limit_months);
}

static bool fg_rr_special_work(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r,
                               fg_rk *rk) {
  if (r->kind != FG_RET_SPECIAL_WORK) return false;
  /* the rule needs birth date and sex: without them it does not fire (Boundaries) */
  if (fg_rk_birth(ctx->m, pk) == FG_NODAY || fg_rk_sex(ctx->m, pk) == FG_SEX_NONE) return false;
  bool few_years = r->special_work_years < 0 ||
                   r->special_work_years < ctx->cfg->special_work_min_years;
  int32_t limit_months;
  bool young = fg_rr_under_age(ctx, pk, FG_AGE_SPECIAL_WORK, r->retire_date, &limit_months);
  if (!few_years && !young) return false;
  char d[11];
  fg_format_day(r->retire_date, d);
  fg_rk_text(rk, "%s 特殊工种退休：", d);
  if (few_years && r->special_work_years < 0) fg_rk_text(rk, "特殊工种年限为空");
  else if (few_years) fg_rk_text(rk, "特殊工种年限 %d 年", (int)r->special_work_years);
  if (young) fg_rk_text(rk, "%s未满 %d 个月的年龄", few_years ? "," : "", (int)limit_months);
  return true;
}

void fg_rule_retirement_special_work_ineligible(const fg_rule_ctx *ctx, fg_findings *out) {
  FG_ASSERT(ctx->cfg->special_work_min_years >= 0);
  fg_rr_run(ctx, out, "retirement.special_work_ineligible", fg_rr_special_work, true);
}

static bool fg_rr_underage(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r, fg_rk *rk) {
  if (r->kind != FG_RET_NORMAL) return false;
  int32_t limit_months;
  if (!fg_rr_under_age(ctx, pk, FG_AGE_NORMAL, r->retire_date, &limit_months)) return false;
  char d[11];
  fg_format_day(r->retire_date, d);
  fg_rk_text(rk, "%s 正常退休，未满法定年龄 %d 个月（时年 %d 岁）", d, (int)limit_months,
             fg_age_years(fg_rk_birth(ctx->m, pk), r->retire_date));
  return true;
}

void fg_rule_retirement_underage(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.underage", fg_rr_underage, true);
}
