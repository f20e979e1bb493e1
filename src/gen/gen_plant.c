/*
 * gen_plant.c — the toolkit the planted cases share: planted persons (valid
 * identity numbers from their own slots, own bank accounts), one writer per
 * table row kind with ids from counters in their own namespaces (BX, SX,
 * FX, OX, TX prefixes, never used by the background), and the truth list
 * with the subject type of each of the 50 rules of rules.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/gen_internal.h"

static const struct {
  const char *rule, *stype;
} fg_gen_rules[] = {
    {"identity.invalid_id", "person"},
    {"identity.id_mismatch", "person"},
    {"enrollment.over_age", "person"},
    {"enrollment.duplicate", "person"},
    {"contribution.base_out_of_range", "person"},
    {"contribution.base_spike", "person"},
    {"contribution.backpay_before_retirement", "person"},
    {"contribution.before_age_16", "person"},
    {"contribution.after_death", "person"},
    {"benefit.paid_after_death", "person"},
    {"benefit.paid_during_incarceration", "person"},
    {"benefit.duplicate_pension", "person"},
    {"benefit.unemployment_while_employed", "person"},
    {"benefit.unemployment_while_pensioned", "person"},
    {"benefit.unemployment_over_entitlement", "person"},
    {"benefit.survival_cert_overdue", "person"},
    {"benefit.shared_bank_account", "bank_account"},
    {"benefit.large_payment_unreviewed", "payment_id"},
    {"benefit.maternity_repeat", "person"},
    {"retirement.birthdate_altered", "person"},
    {"retirement.single_review", "person"},
    {"retirement.special_work_ineligible", "person"},
    {"retirement.underage", "person"},
    {"retirement.flexible_out_of_range", "person"},
    {"retirement.insufficient_contribution", "person"},
    {"medical.overlapping_inpatient", "person"},
    {"medical.outpatient_during_inpatient", "person"},
    {"medical.after_death", "person"},
    {"medical.sex_mismatch", "settlement_id"},
    {"medical.age_mismatch", "settlement_id"},
    {"medical.price_over_limit", "settlement_id"},
    {"medical.quantity_over_limit", "settlement_id"},
    {"medical.out_of_scope_charged", "settlement_id"},
    {"medical.duplicate_invoice", "institution_id/invoice_no"},
    {"medical.outside_agreement", "settlement_id"},
    {"medical.high_frequency", "person"},
    {"medical.bed_hanging", "settlement_id"},
    {"medical.split_admission", "person"},
    {"institution.resigned_within_ban", "institution"},
    {"fund.income_balance_at_month_end", "account_no"},
    {"fund.income_account_outflow", "txn_id"},
    {"fund.cross_scheme_transfer", "txn_id"},
    {"fund.unmatched_private_payment", "txn_id"},
    {"control.self_review", "op_id"},
    {"control.missing_review", "op_id"},
    {"control.unapproved_modification", "op_id"},
    {"control.self_dealing", "op_id"},
    {"control.tenure_exceeded", "staff_id"},
    {"control.incompatible_roles", "staff_id"},
    {"control.off_hours_high_risk", "op_id"},
};

const char *fg_gen_rule_subject_type(const char *rule) {
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_gen_rules); i++)
    if (strcmp(fg_gen_rules[i].rule, rule) == 0) return fg_gen_rules[i].stype;
  return NULL;
}

void fg_gen_truth_add(fg_gen_plant *p, const char *rule, const char *sid, int64_t amount_fen) {
  FG_ASSERT(fg_gen_rule_subject_type(rule) != NULL);
  FG_ASSERT(strlen(sid) < FG_GEN_SID_MAX && amount_fen >= 0);
  if (p->ntruth == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 256;
    p->truth = fg_xrealloc(p->truth, p->cap * sizeof *p->truth);
  }
  fg_gen_truth *t = &p->truth[p->ntruth++];
  t->rule = rule;
  snprintf(t->sid, sizeof t->sid, "%s", sid);
  t->amount_fen = amount_fen;
}

void fg_gen_pp_new(fg_gen_plant *p, int sex, fg_day birth, fg_gen_pp *pp) {
  FG_ASSERT(sex == 1 || sex == 2);
  const int64_t slot = p->next_slot++;
  memset(pp, 0, sizeof *pp);
  pp->sex = sex;
  pp->birth = birth;
  pp->region = fg_gen_city_regions[slot % FG_GEN_CITY_REGIONS];
  fg_gen_person_id(slot, sex, birth, pp->id);
  fg_gen_bank_account(slot, pp->bank);
  char name[FG_GEN_NAME_MAX];
  fg_gen_name(&p->rng, sex, name);
  fg_gen_row(p->o, FG_T_PERSONS, "sssds", pp->id, name, sex == 1 ? "1" : "2", birth, pp->region);
}

void fg_gen_p_pay(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme, const char *type,
                  fg_month period, int64_t amount_fen, const char *bank, char pid_out[32]) {
  char pid[32];
  snprintf(pid, sizeof pid, "BX%07lld", (long long)p->npay++);
  fg_gen_row(p->o, FG_T_BENEFIT_PAYMENTS, "sssssmyds", pid, pp->id, scheme, type, pp->region,
             period, amount_fen, fg_month_first_day(period) + 9, bank ? bank : pp->bank);
  if (pid_out) memcpy(pid_out, pid, strlen(pid) + 1);
}

void fg_gen_p_contrib(fg_gen_plant *p, const fg_gen_pp *pp, const char *employer,
                      const char *scheme, fg_month period, int64_t base_fen, fg_day paid,
                      const char *kind) {
  fg_gen_row(p->o, FG_T_CONTRIBUTIONS, "ssssmyyds", pp->id, employer, scheme, pp->region, period,
             base_fen, base_fen * 20 / 100, paid, kind);
}

void fg_gen_p_enroll(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme,
                     const char *employer, fg_day start, fg_day end) {
  fg_gen_row(p->o, FG_T_ENROLLMENTS, "ssssdd", pp->id, scheme, pp->region, employer, start, end);
}

void fg_gen_p_retire(fg_gen_plant *p, const fg_gen_pp *pp, const char *kind, fg_day approved,
                     fg_day retire, fg_day birth_on_file, int sw_years, const char *r1,
                     const char *r2, int original_age, int contribution_months) {
  FG_ASSERT(original_age == 0 || original_age == 60 || original_age == 55 || original_age == 50);
  fg_gen_row(p->o, FG_T_RETIREMENTS, "ssdddissii", pp->id, kind, approved, retire, birth_on_file,
             (int64_t)sw_years, r1, r2, (int64_t)(original_age ? original_age : -1),
             (int64_t)contribution_months);
}

const char *fg_gen_lawful_kind(const fg_gen_ctx *c, fg_day birth, int o, fg_day day) {
  if (day >= fg_gen_statutory(c, birth, o, 0)) return "normal";
  const int delay = fg_gen_delay_months(c, birth, o);
  FG_ASSERT(day >= fg_birthday_plus(birth, o, FG_MAX(delay - 36, 0)));
  return "flexible_early";
}

void fg_gen_p_settle(fg_gen_plant *p, const fg_gen_pp *pp, const char *inst, const char *scheme,
                     bool inpatient, fg_day admit, fg_day discharge, const char *diag,
                     const char *invoice, int64_t fund_paid_fen, fg_day settled,
                     char sid_out[32]) {
  char sid[32], inv[32];
  snprintf(sid, sizeof sid, "SX%06lld", (long long)p->nsettle);
  snprintf(inv, sizeof inv, "FX%06lld", (long long)p->nsettle++);
  fg_gen_row(p->o, FG_T_MEDICAL_SETTLEMENTS, "sssssddssyyd", sid, pp->id, inst, scheme,
             inpatient ? "inpatient" : "outpatient", admit, discharge, diag,
             invoice ? invoice : inv, fund_paid_fen + fund_paid_fen * 3 / 7, fund_paid_fen,
             settled);
  if (sid_out) memcpy(sid_out, sid, strlen(sid) + 1);
}

int64_t fg_gen_p_item(fg_gen_plant *p, const char *sid, int line, const char *code, fg_day day,
                      int64_t qty_milli, int64_t price_fen, int64_t fund_fen) {
  const int64_t amount = (price_fen * qty_milli + 500) / 1000;
  fg_gen_row(p->o, FG_T_MEDICAL_ITEMS, "sisdqyyy", sid, (int64_t)line, code, day, qty_milli,
             price_fen, amount, fund_fen < 0 ? amount : fund_fen);
  return amount;
}

void fg_gen_p_op(fg_gen_plant *p, const char *type, const char *op, const char *rev,
                 const char *appr, const char *subject, const char *ref, int64_t amount_fen,
                 int64_t at_s, char oid_out[32]) {
  char oid[32];
  snprintf(oid, sizeof oid, "OX%06lld", (long long)p->nop++);
  fg_gen_row(p->o, FG_T_OPERATIONS, "sssssssyt", oid, type, op, rev, appr, subject, ref,
             amount_fen, at_s);
  if (oid_out) memcpy(oid_out, oid, strlen(oid) + 1);
}

void fg_gen_p_txn(fg_gen_plant *p, const char *acct, fg_day day, const char *dir,
                  int64_t amount_fen, const char *cp_acct, const char *cp_kind, const char *ref,
                  const char *purpose, char tid_out[32]) {
  char tid[32];
  snprintf(tid, sizeof tid, "TX%06lld", (long long)p->ntxn++);
  fg_gen_row(p->o, FG_T_FUND_TRANSACTIONS, "ssdsyssss", tid, acct, day, dir, amount_fen, cp_acct,
             cp_kind, ref, purpose);
  if (tid_out) memcpy(tid_out, tid, strlen(tid) + 1);
}

void fg_gen_p_staff(const fg_gen_plant *p, char which, int k, char out[16]) {
  const fg_gen_ctx *c = p->c;
  const int *pool = which == 'h' ? c->handlers : which == 'r' ? c->reviewers : c->approvers;
  const int n = which == 'h' ? c->nhandlers : which == 'r' ? c->nreviewers : c->napprovers;
  FG_ASSERT(n > 0 && k >= 0);
  fg_gen_staff_id(pool[k % n], out);
}
