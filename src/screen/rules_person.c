/*
 * rules_person.c — identity and enrollment rules of rules.md v1.2:
 * identity.invalid_id, identity.id_mismatch, enrollment.over_age,
 * enrollment.duplicate. All four are person rules: one finding per person key,
 * subject_id the upper-cased person_id (model->pk_id).
 *
 * They read the model (model.h) read-only and append to `out` only, so they
 * run concurrently with every other rule (screen.h).
 */
#include <string.h>

#include "fields/fields.h"
#include "screen/rule_kit.h"
#include "screen/rules.h"

/* Length of a GB 11643 number: 17 digits + check character. */
enum { FG_RP_ID_LEN = 18, FG_RP_ID_DIGITS = 17 };
/* enrollment.duplicate groups (rules.md): pension, medical, 210, 510. */
enum { FG_RP_GROUP_NONE = -1, FG_RP_GROUP_PENSION, FG_RP_GROUP_MEDICAL, FG_RP_GROUP_UNEMPLOYMENT,
       FG_RP_GROUP_MATERNITY, FG_RP_GROUPS };

static const char *const fg_rp_group_name[FG_RP_GROUPS] = {"养老 110/120/170",
                                                           "医疗 310/390", "210", "510"};

/* A short reason why id is not a valid GB 11643 number (it is invalid). */
static const char *fg_rp_invalid_reason(const char *id, size_t n) {
  if (n != FG_RP_ID_LEN) return "不是 18 位";
  for (int i = 0; i < FG_RP_ID_DIGITS; i++)
    if (id[i] < '0' || id[i] > '9') return "前 17 位不全是数字";
  char c = id[FG_RP_ID_DIGITS];
  if (!((c >= '0' && c <= '9') || c == 'X')) return "校验码不是 0-9 或 X";
  if (fg_gb11643_check_char(id) != c) return "校验码错误";
  return "出生日期或省级代码无效";
}

void fg_rule_identity_invalid_id(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int32_t i = 0; i < m->npersons; i++) {
    const fg_m_person *p = &m->persons[i];
    FG_ASSERT(p->pk >= 0 && p->pk < m->npk);
    const char *id = m->pk_id[p->pk];
    size_t n = strlen(id);
    if (fg_gb11643_valid(id, n, ctx->as_of)) continue;
    fg_rk_text(&rk, "身份证号码不符合 GB 11643：%s", fg_rp_invalid_reason(id, n));
    fg_rk_ev(&rk, FG_T_PERSONS, p->row);
    fg_rk_emit(&rk, out, "identity.invalid_id", "person", id, 0);
  }
  fg_rk_release(&rk);
}

void fg_rule_identity_id_mismatch(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int32_t i = 0; i < m->npersons; i++) {
    const fg_m_person *p = &m->persons[i];
    const char *id = m->pk_id[p->pk];
    size_t n = strlen(id);
    if (!fg_gb11643_valid(id, n, ctx->as_of)) continue;
    FG_ASSERT(n == FG_RP_ID_LEN);
    bool bad_birth = p->birth != FG_NODAY && fg_gb11643_birth(id) != p->birth;
    bool bad_sex = false;
    if (id[0] != '9' && (p->sex == FG_SEX_MALE || p->sex == FG_SEX_FEMALE)) {
      int seq_odd = (id[16] - '0') % 2;
      bad_sex = seq_odd != (p->sex == FG_SEX_MALE);
    }
    if (!bad_birth && !bad_sex) continue;
    fg_rk_text(&rk, "身份证号码与");
    if (bad_birth) {
      char b[11];
      fg_format_day(p->birth, b);
      fg_rk_text(&rk, "出生日期 %s", b);
    }
    if (bad_sex) fg_rk_text(&rk, "%s性别 %d（顺序码末位 %c）", bad_birth ? "和" : "", p->sex, id[16]);
    fg_rk_ev(&rk, FG_T_PERSONS, p->row);
    fg_rk_emit(&rk, out, "identity.id_mismatch", "person", id, 0);
  }
  fg_rk_release(&rk);
}

/* enrollment.over_age for person pk (rows [lo, hi) of enrollments). */
static void fg_rp_over_age_person(const fg_rule_ctx *ctx, fg_pk pk, int64_t lo, int64_t hi,
                                  fg_rk *rk, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_day first = FG_NODAY;
  for (int64_t i = lo; i < hi && first == FG_NODAY; i++)
    if (m->enrollments[i].scheme == 110) first = m->enrollments[i].start; /* sorted by start */
  if (first == FG_NODAY) return;
  fg_day birth;
  int32_t limit_months = fg_rk_age_limit(ctx->cfg, m, pk, FG_AGE_ENROLL_LIMIT, &birth);
  if (limit_months < 0 || first < fg_rk_reach_day(birth, limit_months)) return;
  char d[11];
  fg_format_day(first, d);
  fg_rk_text(rk, "最早的职工养老参保始于 %s，时年 %d 岁（上限 %d 个月）", d,
             fg_age_years(birth, first), limit_months);
  for (int64_t i = lo; i < hi; i++)
    if (m->enrollments[i].scheme == 110 && m->enrollments[i].start == first)
      fg_rk_ev(rk, FG_T_ENROLLMENTS, m->enrollments[i].row);
  fg_rk_ev(rk, FG_T_PERSONS, fg_rk_person_row(m, pk));
  fg_rk_emit(rk, out, "enrollment.over_age", "person", m->pk_id[pk], 0);
}

void fg_rule_enrollment_over_age(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->enrollments_off[pk], hi = m->enrollments_off[pk + 1];
    FG_ASSERT(lo <= hi);
    if (lo < hi) fg_rp_over_age_person(ctx, pk, lo, hi, &rk, out);
  }
  fg_rk_release(&rk);
}

static int fg_rp_group_of(fg_scheme s) {
  switch (s) {
    case 110: case 120: case 170: return FG_RP_GROUP_PENSION;
    case 310: case 390: return FG_RP_GROUP_MEDICAL;
    case 210: return FG_RP_GROUP_UNEMPLOYMENT;
    case 510: return FG_RP_GROUP_MATERNITY;
    default: return FG_RP_GROUP_NONE; /* 410 is exempt */
  }
}

/* Inclusive end of an enrollment; an open end never ends. */
static fg_day fg_rp_end(const fg_m_enrollment *e) { return e->end == FG_NODAY ? INT32_MAX : e->end; }

/* A non-empty enrollment of group g (an end before the start overlaps nothing). */
static bool fg_rp_in_group(const fg_m_enrollment *e, int g) {
  return fg_rp_group_of(e->scheme) == g && fg_rp_end(e) >= e->start;
}

/* Adds every row of group g that overlaps another row of the group as
 * evidence. Rows are sorted by start, so row k overlaps an earlier one iff the
 * latest end before it is >= its start, and a later one iff the next row's
 * start is <= its end. Returns whether any row overlaps. */
static bool fg_rp_dup_group(const fg_model *m, int64_t lo, int64_t hi, int g, fg_rk *rk) {
  bool any = false;
  fg_day prev_max_end = INT32_MIN; /* latest end among earlier rows of the group */
  for (int64_t k = lo; k < hi; k++) {
    const fg_m_enrollment *e = &m->enrollments[k];
    if (!fg_rp_in_group(e, g)) continue;
    FG_ASSERT(k == lo || m->enrollments[k - 1].start <= e->start);
    bool hit = prev_max_end >= e->start;
    prev_max_end = FG_MAX(prev_max_end, fg_rp_end(e));
    for (int64_t j = k + 1; j < hi && !hit; j++) {
      if (!fg_rp_in_group(&m->enrollments[j], g)) continue;
      hit = m->enrollments[j].start <= fg_rp_end(e);
      break; /* the next row of the group has the smallest later start */
    }
    if (!hit) continue;
    if (!any) fg_rk_text(rk, "%s%s", rk->detail.len > 0 ? "; " : "重复参保: ",
                         fg_rp_group_name[g]);
    any = true;
    fg_rk_ev(rk, FG_T_ENROLLMENTS, e->row);
  }
  return any;
}

void fg_rule_enrollment_duplicate(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (fg_pk pk = 0; pk < m->npk; pk++) {
    int64_t lo = m->enrollments_off[pk], hi = m->enrollments_off[pk + 1];
    if (hi - lo < 2) continue;
    bool any = false;
    for (int g = 0; g < FG_RP_GROUPS; g++) any |= fg_rp_dup_group(m, lo, hi, g, &rk);
    if (any) fg_rk_emit(&rk, out, "enrollment.duplicate", "person", m->pk_id[pk], 0);
    else fg_rk_reset(&rk);
  }
  fg_rk_release(&rk);
}
