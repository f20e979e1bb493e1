/*
 * rules_retire.c — retirement-approval rules of rules.md v1.3:
 * retirement.birthdate_altered, retirement.single_review,
 * retirement.special_work_ineligible, retirement.underage and (v1.3, the
 * 2025 law) retirement.flexible_out_of_range and
 * retirement.insufficient_contribution.
 *
 * The statutory age comes from the config's age table (category
 * FG_AGE_STATUTORY, keyed by the original age O and the birth month; the
 * law's three schedules by default): S = O years + delay months, and the
 * statutory date is fg_birthday_plus(birth, O, delay) — the O-th birthday
 * moved by delay months, a day the month lacks becoming its last day (born
 * 1965-01-31: 2025-02-28). Flexible retirement may come up to 36 months
 * before it (never before the O-th birthday) or 36 months after it.
 *
 * Each retirements row is tested on its own; a person is found when any of
 * their rows fires (one finding per person, every firing row as evidence).
 * Ages come from the config's age table in months (fg_config_age_months) and
 * are compared as dates: age at d >= A months <=> d >= fg_rk_reach_day(birth, A).
 * A rule that needs birth date or sex (birthdate_altered, special_work_ineligible,
 * underage) does not fire for a person without a persons.csv row. Read-only on the model; writes only to `out`.
 */
#include <stdio.h>

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

/* The statutory age of a retirement row: O (original_age, else 60 for men
 * and 50 for women), the birth date and the delay in months. false when
 * unknown (no birth date, no sex where O is empty, no config row). */
typedef struct fg_rr_statutory {
  int o_years, delay_months;
  fg_day birth;
} fg_rr_statutory;

static bool fg_rr_statutory_of(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r,
                               fg_rr_statutory *st) {
  st->birth = fg_rk_birth(ctx->m, pk);
  if (st->birth == FG_NODAY) return false;
  st->o_years = r->original_years;
  if (st->o_years == 0) {
    const int sex = fg_rk_sex(ctx->m, pk);
    if (sex != FG_SEX_MALE && sex != FG_SEX_FEMALE) return false;
    st->o_years = sex == FG_SEX_MALE ? 60 : 50;
  }
  FG_ASSERT(st->o_years == 60 || st->o_years == 55 || st->o_years == 50);
  const int32_t s = fg_config_age_months(ctx->cfg, st->o_years, FG_AGE_STATUTORY,
                                         fg_month_of_day(st->birth));
  if (s < 0) return false;
  st->delay_months = s - st->o_years * 12;
  return true;
}

/* "60 周岁 3 个月" style text of O years + delay months into out. */
static void fg_rr_age_text(int years, int months, char *out, size_t size) {
  const int total = years * 12 + months;
  if (total % 12 == 0) snprintf(out, size, "%d 周岁", total / 12);
  else snprintf(out, size, "%d 周岁 %d 个月", total / 12, total % 12);
}

static bool fg_rr_underage(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r, fg_rk *rk) {
  if (r->kind != FG_RET_NORMAL || r->retire_date == FG_NODAY) return false;
  fg_rr_statutory st;
  if (!fg_rr_statutory_of(ctx, pk, r, &st)) return false;
  const fg_day due = fg_birthday_plus(st.birth, st.o_years, st.delay_months);
  if (r->retire_date >= due) return false;
  char d[11], dd[11], age[32];
  fg_format_day(r->retire_date, d);
  fg_format_day(due, dd);
  fg_rr_age_text(st.o_years, st.delay_months, age, sizeof age);
  fg_rk_text(rk, "%s 正常退休，早于法定退休日期 %s（原退休年龄 %d 岁，法定退休年龄 %s）", d, dd,
             st.o_years, age);
  return true;
}

void fg_rule_retirement_underage(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.underage", fg_rr_underage, true);
}

/* Flexible retirement: early no more than 36 months before the statutory
 * date and never before the O-th birthday; late no more than 36 after. */
enum { FG_RR_FLEX_MONTHS = 36 };

static bool fg_rr_flexible(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r, fg_rk *rk) {
  const bool early = r->kind == FG_RET_FLEXIBLE_EARLY;
  if ((!early && r->kind != FG_RET_FLEXIBLE_LATE) || r->retire_date == FG_NODAY) return false;
  fg_rr_statutory st;
  if (!fg_rr_statutory_of(ctx, pk, r, &st)) return false;
  char d[11], bd[11], age[32];
  fg_format_day(r->retire_date, d);
  if (early) {
    const fg_day a = fg_birthday_plus(st.birth, st.o_years, st.delay_months - FG_RR_FLEX_MONTHS);
    const fg_day b = fg_birthday_plus(st.birth, st.o_years, 0);
    const fg_day bound = a > b ? a : b;
    if (r->retire_date >= bound) return false;
    fg_format_day(bound, bd);
    fg_rr_age_text(st.o_years, FG_MAX(st.delay_months - FG_RR_FLEX_MONTHS, 0), age, sizeof age);
    fg_rk_text(rk, "%s 弹性提前退休，早于最早可退休日期 %s（%s）", d, bd, age);
    return true;
  }
  const fg_day bound = fg_birthday_plus(st.birth, st.o_years, st.delay_months + FG_RR_FLEX_MONTHS);
  if (r->retire_date <= bound) return false;
  fg_format_day(bound, bd);
  fg_rr_age_text(st.o_years, st.delay_months + FG_RR_FLEX_MONTHS, age, sizeof age);
  fg_rk_text(rk, "%s 弹性延迟退休，晚于最晚退休日期 %s（%s）", d, bd, age);
  return true;
}

void fg_rule_retirement_flexible_out_of_range(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.flexible_out_of_range", fg_rr_flexible, true);
}

static bool fg_rr_contribution(const fg_rule_ctx *ctx, fg_pk pk, const fg_m_retirement *r,
                               fg_rk *rk) {
  (void)pk;
  if (r->kind != FG_RET_NORMAL && r->kind != FG_RET_FLEXIBLE_EARLY &&
      r->kind != FG_RET_FLEXIBLE_LATE)
    return false;
  if (r->contribution_months < 0 || r->retire_date == FG_NODAY) return false;
  int y, m, dd;
  fg_ymd_from_day(r->retire_date, &y, &m, &dd);
  const int32_t min = fg_config_min_contribution_months(ctx->cfg, y);
  if (r->contribution_months >= min) return false;
  char d[11];
  fg_format_day(r->retire_date, d);
  fg_rk_text(rk, "%s 退休，累计缴费 %d 个月，少于 %d 年退休所需的最低缴费年限 %d 个月", d,
             (int)r->contribution_months, y, (int)min);
  return true;
}

void fg_rule_retirement_insufficient_contribution(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_rr_run(ctx, out, "retirement.insufficient_contribution", fg_rr_contribution, false);
}
