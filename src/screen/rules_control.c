/*
 * rules_control.c — internal-control rules of rules.md v1.2 (control.*):
 * self_review, missing_review, unapproved_modification, self_dealing,
 * tenure_exceeded, incompatible_roles, off_hours_high_risk.
 *
 * High-risk operations: op_type back_payment, retirement_approval,
 * benefit_change, data_modification, permission_change, and payment with an
 * amount > large_payment (cfg, 50000 yuan). Working hours are inclusive
 * (cfg, 08:00:00-19:00:00); working days come from the configuration's
 * calendar. Staff are looked up by staff_id through one sorted index per
 * run. Read-only on the model; writes only to `out`.
 */
#include <stdlib.h>
#include <string.h>

#include "screen/rule_kit.h"
#include "screen/rules.h"

#define FG_SECONDS_PER_DAY 86400

static const char *const fg_op_names[] = {"参保登记 enroll", "补缴 back_payment", "退休审批 retirement_approval",
                                          "待遇变更 benefit_change", "支付 payment", "数据修改 data_modification",
                                          "权限变更 permission_change", "其他 other"};

static const char *fg_op_name(const fg_m_operation *op) {
  return op->op_type < FG_ARRAY_LEN(fg_op_names) ? fg_op_names[op->op_type] : "?";
}

static bool fg_high_risk(const fg_config *cfg, const fg_m_operation *op) {
  switch (op->op_type) {
  case FG_OP_BACK_PAYMENT:
  case FG_OP_RETIREMENT_APPROVAL:
  case FG_OP_BENEFIT_CHANGE:
  case FG_OP_DATA_MODIFICATION:
  case FG_OP_PERMISSION_CHANGE: return true;
  case FG_OP_PAYMENT: return op->amount_fen >= 0 && op->amount_fen > cfg->large_payment_fen;
  default: return false;
  }
}

/* Tests one operation; on firing writes its detail and returns true. */
typedef bool (*fg_op_test)(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                           fg_rk *rk);

static void fg_op_rule(const fg_rule_ctx *ctx, fg_findings *out, const char *rule,
                       fg_op_test test, const void *aux) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int64_t i = 0; i < m->noperations; i++) {
    const fg_m_operation *op = &m->operations[i];
    if (!test(ctx, aux, op, &rk)) {
      fg_rk_reset(&rk);
      continue;
    }
    fg_rk_ev(&rk, FG_T_OPERATIONS, op->row);
    fg_rk_emit(&rk, out, rule, "op_id", m->str[op->op_id], 0);
  }
  fg_rk_release(&rk);
}

static bool fg_t_self_review(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                             fg_rk *rk) {
  (void)aux;
  bool rev = op->reviewer_id != 0 && op->reviewer_id == op->operator_id;
  bool app = op->approver_id != 0 && op->approver_id == op->operator_id;
  if (!rev && !app) return false;
  fg_rk_text(rk, "%s（经办人 %s）：%s", fg_op_name(op), ctx->m->str[op->operator_id],
             rev && app ? "经办人自己复核并审批"
                        : rev ? "经办人自己复核" : "经办人自己审批");
  return true;
}

void fg_rule_control_self_review(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_op_rule(ctx, out, "control.self_review", fg_t_self_review, NULL);
}

static bool fg_t_missing_review(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                                fg_rk *rk) {
  (void)aux;
  if (!fg_high_risk(ctx->cfg, op) || op->reviewer_id != 0) return false;
  fg_rk_text(rk, "高风险操作 %s（经办人 %s）没有复核人", fg_op_name(op),
             ctx->m->str[op->operator_id]);
  return true;
}

void fg_rule_control_missing_review(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_op_rule(ctx, out, "control.missing_review", fg_t_missing_review, NULL);
}

static bool fg_t_unapproved(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                            fg_rk *rk) {
  (void)aux;
  if (op->op_type != FG_OP_DATA_MODIFICATION && op->op_type != FG_OP_PERMISSION_CHANGE)
    return false;
  const char *why;
  if (op->approver_id == 0) why = "没有审批人";
  else if (op->approver_id == op->operator_id) why = "经办人自己审批";
  else if (op->reviewer_id != 0 && op->approver_id == op->reviewer_id)
    why = "由复核人审批";
  else return false;
  fg_rk_text(rk, "%s（经办人 %s）：%s", fg_op_name(op), ctx->m->str[op->operator_id], why);
  return true;
}

void fg_rule_control_unapproved_modification(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_op_rule(ctx, out, "control.unapproved_modification", fg_t_unapproved, NULL);
}

/* staff_id sid -> staff index, sorted for binary search. */
typedef struct {
  fg_sid staff_id;
  int32_t index;
} fg_staff_ix;

static int fg_cmp_staff_ix(const void *a, const void *b) {
  const fg_staff_ix *x = a, *y = b;
  if (x->staff_id != y->staff_id) return x->staff_id < y->staff_id ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

typedef struct {
  fg_staff_ix *v;
  int32_t n;
} fg_staff_map;

/* The person key of staff member `id`, or -1 (no such staff, no person_id). */
static fg_pk fg_staff_pk(const fg_model *m, const fg_staff_map *map, fg_sid id) {
  if (id == 0) return -1;
  int32_t lo = 0, hi = map->n;
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (map->v[mid].staff_id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < map->n && map->v[lo].staff_id == id ? m->staff[map->v[lo].index].pk : -1;
}

static bool fg_t_self_dealing(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                              fg_rk *rk) {
  const fg_staff_map *map = aux;
  if (op->subject_pk < 0) return false;
  bool by_op = fg_staff_pk(ctx->m, map, op->operator_id) == op->subject_pk;
  bool by_rev = fg_staff_pk(ctx->m, map, op->reviewer_id) == op->subject_pk;
  if (!by_op && !by_rev) return false;
  fg_rk_text(rk, "%s：%s办理的是本人的记录", fg_op_name(op), by_op ? "经办人" : "复核人");
  return true;
}

void fg_rule_control_self_dealing(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_staff_map map = {fg_xmalloc(((size_t)m->nstaff + 1) * sizeof *map.v), m->nstaff};
  for (int32_t i = 0; i < m->nstaff; i++) {
    map.v[i].staff_id = m->staff[i].staff_id;
    map.v[i].index = i;
  }
  qsort(map.v, (size_t)map.n, sizeof *map.v, fg_cmp_staff_ix);
  fg_op_rule(ctx, out, "control.self_dealing", fg_t_self_dealing, &map);
  free(map.v);
}

void fg_rule_control_tenure_exceeded(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  const fg_day limit = fg_day_minus_years(ctx->as_of, ctx->cfg->tenure_max_years);
  fg_rk rk;
  fg_rk_init(&rk);
  for (int32_t i = 0; i < m->nstaff; i++) {
    const fg_m_staff *s = &m->staff[i];
    if (!s->high_risk || s->post_since == FG_NODAY || s->post_since >= limit) continue;
    char d[11];
    fg_format_day(s->post_since, d);
    fg_rk_text(&rk, "自 %2$s 起在高风险岗位 %1$s", m->str[s->post], d);
    fg_rk_ev(&rk, FG_T_STAFF, s->row);
    fg_rk_emit(&rk, out, "control.tenure_exceeded", "staff_id", m->str[s->staff_id], 0);
  }
  fg_rk_release(&rk);
}

void fg_rule_control_incompatible_roles(const fg_rule_ctx *ctx, fg_findings *out) {
  const fg_model *m = ctx->m;
  fg_rk rk;
  fg_rk_init(&rk);
  for (int32_t i = 0; i < m->nstaff; i++) {
    const fg_m_staff *s = &m->staff[i];
    const char *a = NULL, *b = NULL;
    if (s->roles == 0 || !fg_config_roles_conflict(ctx->cfg, m->str[s->roles], &a, &b)) continue;
    fg_rk_text(&rk, "岗位 %s 含不相容的 %s+%s", m->str[s->roles], a, b);
    fg_rk_ev(&rk, FG_T_STAFF, s->row);
    fg_rk_emit(&rk, out, "control.incompatible_roles", "staff_id", m->str[s->staff_id], 0);
  }
  fg_rk_release(&rk);
}

static bool fg_t_off_hours(const fg_rule_ctx *ctx, const void *aux, const fg_m_operation *op,
                           fg_rk *rk) {
  (void)aux;
  if (!fg_high_risk(ctx->cfg, op)) return false;
  int64_t day = op->at_s / FG_SECONDS_PER_DAY, secs = op->at_s % FG_SECONDS_PER_DAY;
  if (secs < 0) day--, secs += FG_SECONDS_PER_DAY;
  bool workday = fg_config_is_workday(ctx->cfg, (fg_day)day);
  if (workday && secs >= ctx->cfg->work_start_s && secs <= ctx->cfg->work_end_s) return false;
  char ts[20];
  fg_format_timestamp(op->at_s, ts);
  fg_rk_text(rk, "高风险操作 %s 发生于 %s（%s）", fg_op_name(op), ts,
             workday ? "工作时间以外" : "非工作日");
  return true;
}

void fg_rule_control_off_hours_high_risk(const fg_rule_ctx *ctx, fg_findings *out) {
  fg_op_rule(ctx, out, "control.off_hours_high_risk", fg_t_off_hours, NULL);
}
