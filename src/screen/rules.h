/*
 * rules.h — the 50 rules of rules.md v1.3, one function each.
 *
 * Each rule reads the model and appends its findings to `out`; it never
 * writes shared state, so rules run concurrently. Files: rules_person.c
 * (identity, enrollment), rules_contrib.c, rules_benefit.c, rules_retire.c,
 * rules_medical.c, rules_fund.c (institution, fund), rules_control.c.
 */
#ifndef FG_SCREEN_RULES_H
#define FG_SCREEN_RULES_H

#include "screen/screen.h"

void fg_rule_identity_invalid_id(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_identity_id_mismatch(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_enrollment_over_age(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_enrollment_duplicate(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_contribution_base_out_of_range(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_contribution_base_spike(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_contribution_backpay_before_retirement(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_contribution_before_age_16(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_contribution_after_death(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_paid_after_death(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_paid_during_incarceration(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_duplicate_pension(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_unemployment_while_employed(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_unemployment_while_pensioned(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_unemployment_over_entitlement(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_survival_cert_overdue(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_shared_bank_account(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_large_payment_unreviewed(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_benefit_maternity_repeat(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_birthdate_altered(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_single_review(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_special_work_ineligible(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_underage(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_flexible_out_of_range(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_retirement_insufficient_contribution(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_overlapping_inpatient(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_outpatient_during_inpatient(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_after_death(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_sex_mismatch(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_age_mismatch(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_price_over_limit(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_quantity_over_limit(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_out_of_scope_charged(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_duplicate_invoice(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_outside_agreement(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_high_frequency(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_bed_hanging(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_medical_split_admission(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_institution_resigned_within_ban(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_fund_income_balance_at_month_end(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_fund_income_account_outflow(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_fund_cross_scheme_transfer(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_fund_unmatched_private_payment(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_self_review(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_missing_review(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_unapproved_modification(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_self_dealing(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_tenure_exceeded(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_incompatible_roles(const fg_rule_ctx *ctx, fg_findings *out);
void fg_rule_control_off_hours_high_risk(const fg_rule_ctx *ctx, fg_findings *out);

#endif
