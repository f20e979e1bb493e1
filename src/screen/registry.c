/*
 * registry.c — the rule catalogue as a table: id, subject type, Chinese
 * title, the standard tables each rule reads (a rule is skipped when any of
 * them is absent from every batch, rules.md "Inputs"), and its function.
 * Order is the catalogue's order.
 */
#include <string.h>

#include "screen/rules.h"

#define B(t) (1u << (t))

static const fg_rule fg_rule_table[] = {
    {"identity.invalid_id", "person", "身份证号码无效", B(FG_T_PERSONS), fg_rule_identity_invalid_id},
    {"identity.id_mismatch", "person", "身份证号码与出生日期或性别不符", B(FG_T_PERSONS), fg_rule_identity_id_mismatch},
    {"enrollment.over_age", "person", "超龄参加职工养老保险", B(FG_T_ENROLLMENTS) | B(FG_T_PERSONS), fg_rule_enrollment_over_age},
    {"enrollment.duplicate", "person", "重复参保", B(FG_T_ENROLLMENTS), fg_rule_enrollment_duplicate},
    {"contribution.base_out_of_range", "person", "缴费基数超出上下限", B(FG_T_CONTRIBUTIONS) | B(FG_T_WAGE_BASES), fg_rule_contribution_base_out_of_range},
    {"contribution.base_spike", "person", "退休前缴费基数异常增长", B(FG_T_RETIREMENTS) | B(FG_T_CONTRIBUTIONS), fg_rule_contribution_base_spike},
    {"contribution.backpay_before_retirement", "person", "退休前集中补缴", B(FG_T_CONTRIBUTIONS) | B(FG_T_RETIREMENTS), fg_rule_contribution_backpay_before_retirement},
    {"contribution.before_age_16", "person", "未满16周岁缴费", B(FG_T_CONTRIBUTIONS) | B(FG_T_PERSONS), fg_rule_contribution_before_age_16},
    {"contribution.after_death", "person", "死亡后仍有缴费", B(FG_T_CONTRIBUTIONS) | B(FG_T_DEATHS), fg_rule_contribution_after_death},
    {"benefit.paid_after_death", "person", "死亡后继续发放待遇", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_DEATHS), fg_rule_benefit_paid_after_death},
    {"benefit.paid_during_incarceration", "person", "服刑期间发放养老金", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_INCARCERATIONS), fg_rule_benefit_paid_during_incarceration},
    {"benefit.duplicate_pension", "person", "重复领取养老金", B(FG_T_BENEFIT_PAYMENTS), fg_rule_benefit_duplicate_pension},
    {"benefit.unemployment_while_employed", "person", "就业期间领取失业保险金", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_CONTRIBUTIONS), fg_rule_benefit_unemployment_while_employed},
    {"benefit.unemployment_while_pensioned", "person", "领取养老金期间领取失业保险金", B(FG_T_BENEFIT_PAYMENTS), fg_rule_benefit_unemployment_while_pensioned},
    {"benefit.unemployment_over_entitlement", "person", "超期领取失业保险金", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_CONTRIBUTIONS), fg_rule_benefit_unemployment_over_entitlement},
    {"benefit.survival_cert_overdue", "person", "生存认证逾期", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_SURVIVAL_CERTIFICATIONS), fg_rule_benefit_survival_cert_overdue},
    {"benefit.shared_bank_account", "bank_account", "多人共用待遇银行账户", B(FG_T_BENEFIT_PAYMENTS), fg_rule_benefit_shared_bank_account},
    {"benefit.large_payment_unreviewed", "payment_id", "大额支付未经复核", B(FG_T_BENEFIT_PAYMENTS) | B(FG_T_OPERATIONS), fg_rule_benefit_large_payment_unreviewed},
    {"benefit.maternity_repeat", "person", "生育津贴间隔过短", B(FG_T_BENEFIT_PAYMENTS), fg_rule_benefit_maternity_repeat},
    {"retirement.birthdate_altered", "person", "档案出生日期被改动", B(FG_T_RETIREMENTS) | B(FG_T_PERSONS), fg_rule_retirement_birthdate_altered},
    {"retirement.single_review", "person", "特殊退休未经双人审核", B(FG_T_RETIREMENTS), fg_rule_retirement_single_review},
    {"retirement.special_work_ineligible", "person", "特殊工种退休条件不符", B(FG_T_RETIREMENTS) | B(FG_T_PERSONS), fg_rule_retirement_special_work_ineligible},
    {"retirement.underage", "person", "未到法定年龄正常退休", B(FG_T_RETIREMENTS) | B(FG_T_PERSONS), fg_rule_retirement_underage},
    {"retirement.flexible_out_of_range", "person", "弹性退休超出允许范围", B(FG_T_RETIREMENTS) | B(FG_T_PERSONS), fg_rule_retirement_flexible_out_of_range},
    {"retirement.insufficient_contribution", "person", "累计缴费不足最低缴费年限", B(FG_T_RETIREMENTS), fg_rule_retirement_insufficient_contribution},
    {"medical.overlapping_inpatient", "person", "同时在不同机构住院", B(FG_T_MEDICAL_SETTLEMENTS), fg_rule_medical_overlapping_inpatient},
    {"medical.outpatient_during_inpatient", "person", "住院期间在他院门诊", B(FG_T_MEDICAL_SETTLEMENTS), fg_rule_medical_outpatient_during_inpatient},
    {"medical.after_death", "person", "死亡后发生医疗结算", B(FG_T_MEDICAL_SETTLEMENTS) | B(FG_T_DEATHS), fg_rule_medical_after_death},
    {"medical.sex_mismatch", "settlement_id", "项目限定性别不符", B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG) | B(FG_T_MEDICAL_SETTLEMENTS) | B(FG_T_PERSONS), fg_rule_medical_sex_mismatch},
    {"medical.age_mismatch", "settlement_id", "项目限定年龄不符", B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG) | B(FG_T_MEDICAL_SETTLEMENTS) | B(FG_T_PERSONS), fg_rule_medical_age_mismatch},
    {"medical.price_over_limit", "settlement_id", "超限价收费", B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG), fg_rule_medical_price_over_limit},
    {"medical.quantity_over_limit", "settlement_id", "超日限量收费", B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG), fg_rule_medical_quantity_over_limit},
    {"medical.out_of_scope_charged", "settlement_id", "目录外项目由基金支付", B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG), fg_rule_medical_out_of_scope_charged},
    {"medical.duplicate_invoice", "institution_id/invoice_no", "同一发票重复报销", B(FG_T_MEDICAL_SETTLEMENTS), fg_rule_medical_duplicate_invoice},
    {"medical.outside_agreement", "settlement_id", "协议期外结算", B(FG_T_MEDICAL_SETTLEMENTS) | B(FG_T_INSTITUTIONS), fg_rule_medical_outside_agreement},
    {"medical.high_frequency", "person", "门诊就诊频次异常", B(FG_T_MEDICAL_SETTLEMENTS), fg_rule_medical_high_frequency},
    {"medical.bed_hanging", "settlement_id", "挂床住院", B(FG_T_MEDICAL_SETTLEMENTS) | B(FG_T_MEDICAL_ITEMS) | B(FG_T_CATALOG), fg_rule_medical_bed_hanging},
    {"medical.split_admission", "person", "分解住院", B(FG_T_MEDICAL_SETTLEMENTS), fg_rule_medical_split_admission},
    {"institution.resigned_within_ban", "institution", "解除协议后禁入期内重新签约", B(FG_T_INSTITUTIONS), fg_rule_institution_resigned_within_ban},
    {"fund.income_balance_at_month_end", "account_no", "收入户月末未归集", B(FG_T_FUND_ACCOUNTS) | B(FG_T_FUND_TRANSACTIONS), fg_rule_fund_income_balance_at_month_end},
    {"fund.income_account_outflow", "txn_id", "收入户违规支出", B(FG_T_FUND_ACCOUNTS) | B(FG_T_FUND_TRANSACTIONS), fg_rule_fund_income_account_outflow},
    {"fund.cross_scheme_transfer", "txn_id", "基金跨险种划转", B(FG_T_FUND_ACCOUNTS) | B(FG_T_FUND_TRANSACTIONS), fg_rule_fund_cross_scheme_transfer},
    {"fund.unmatched_private_payment", "txn_id", "支出户向个人支付无对应待遇", B(FG_T_FUND_ACCOUNTS) | B(FG_T_FUND_TRANSACTIONS) | B(FG_T_BENEFIT_PAYMENTS), fg_rule_fund_unmatched_private_payment},
    {"control.self_review", "op_id", "自己复核或审批自己的操作", B(FG_T_OPERATIONS), fg_rule_control_self_review},
    {"control.missing_review", "op_id", "高风险操作缺少复核", B(FG_T_OPERATIONS), fg_rule_control_missing_review},
    {"control.unapproved_modification", "op_id", "数据或权限修改未经审批", B(FG_T_OPERATIONS), fg_rule_control_unapproved_modification},
    {"control.self_dealing", "op_id", "经办本人或复核人本人业务", B(FG_T_OPERATIONS) | B(FG_T_STAFF), fg_rule_control_self_dealing},
    {"control.tenure_exceeded", "staff_id", "高风险岗位任职超期", B(FG_T_STAFF), fg_rule_control_tenure_exceeded},
    {"control.incompatible_roles", "staff_id", "不相容岗位兼任", B(FG_T_STAFF), fg_rule_control_incompatible_roles},
    {"control.off_hours_high_risk", "op_id", "非工作时间高风险操作", B(FG_T_OPERATIONS), fg_rule_control_off_hours_high_risk},
};

const fg_rule *fg_rules(int *n) {
  *n = (int)(sizeof fg_rule_table / sizeof fg_rule_table[0]);
  return fg_rule_table;
}

const fg_rule *fg_rule_by_id(const char *id) {
  for (size_t i = 0; i < sizeof fg_rule_table / sizeof fg_rule_table[0]; i++)
    if (strcmp(fg_rule_table[i].id, id) == 0) return &fg_rule_table[i];
  return NULL;
}
