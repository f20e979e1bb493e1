/*
 * schema.c — the tables of data-standard.md v1.3, transcribed once.
 *
 * Keep this file in the order and spelling of the standard: a reviewer
 * should be able to hold the two side by side. References name the key
 * column of the table they point to; the "never checked" references of the
 * standard (deaths, incarcerations, survival certifications, item codes,
 * counterparty accounts, bank accounts, reference columns) carry -1.
 */
#include "schema/schema.h"
#include "common/fg.h"

#include <string.h>
#include <strings.h>

static const char *const fg_schemes[] = {"110", "120", "170", "210", "310",
                                         "390", "410", "510", NULL};
static const char *const fg_med_schemes[] = {"310", "390", "410", "510", NULL};
static const char *const fg_sexes[] = {"1", "2", NULL};
static const char *const fg_yn[] = {"Y", "N", NULL};
static const char *const fg_contrib_kinds[] = {"normal", "back_payment", NULL};
static const char *const fg_benefit_types[] = {
    "pension", "unemployment", "injury_disability", "injury_dependant",
    "maternity", "funeral", "survivor", "lump_sum", NULL};
static const char *const fg_retire_kinds[] = {"normal", "early", "special_work",
                                              "disability", "flexible_early", "flexible_late",
                                              NULL};
static const char *const fg_original_ages[] = {"60", "55", "50", NULL}; /* v1.3 */
static const char *const fg_inst_kinds[] = {"hospital", "pharmacy", "rehab",
                                            "assistive", NULL};
static const char *const fg_term_reasons[] = {"violation", "illegal", NULL};
static const char *const fg_item_cats[] = {"drug", "exam", "treatment",
                                           "material", "bed", NULL};
static const char *const fg_visit_types[] = {"outpatient", "inpatient", NULL};
static const char *const fg_death_sources[] = {
    "civil_affairs", "health", "public_security", "funeral", "court", NULL};
static const char *const fg_account_kinds[] = {"income", "expenditure",
                                               "fiscal_special", NULL};
static const char *const fg_directions[] = {"in", "out", NULL};
static const char *const fg_cp_kinds[] = {"person", "employer", "institution",
                                          "fund", "fiscal", "bank", "other", NULL};
static const char *const fg_purposes[] = {"sweep", "allocate", "payment", "refund",
                                          "remit_up", "other", NULL};
static const char *const fg_agency_levels[] = {"city", "county", NULL};
static const char *const fg_op_types[] = {
    "enroll", "back_payment", "retirement_approval", "benefit_change", "payment",
    "data_modification", "permission_change", "other", NULL};

#define R true
#define O false
#define NOREF -1, -1
#define COL(n, t, r) {n, t, r, NULL, NOREF, 0}
/* a column store migration v added to an existing table (schema.h) */
#define COLV(n, t, r, vals, v) {n, t, r, vals, NOREF, v}
#define ENUMC(n, r, v) {n, FG_COL_ENUM, r, v, NOREF, 0}
#define REF(n, t, r, tab) {n, t, r, NULL, tab, 0, 0}

static const fg_column c_persons[] = {
    COL("person_id", FG_COL_PERSON_ID, R), COL("name", FG_COL_TEXT, R),
    ENUMC("sex", R, fg_sexes), COL("birth_date", FG_COL_DATE, R),
    COL("region", FG_COL_REGION, O)};
static const fg_column c_employers[] = {COL("employer_id", FG_COL_USCC, R),
                                        COL("name", FG_COL_TEXT, R),
                                        COL("region", FG_COL_REGION, O)};
static const fg_column c_enrollments[] = {
    REF("person_id", FG_COL_PERSON_ID, R, FG_T_PERSONS), ENUMC("scheme", R, fg_schemes),
    COL("region", FG_COL_REGION, R), REF("employer_id", FG_COL_ID, O, FG_T_EMPLOYERS),
    COL("start_date", FG_COL_DATE, R), COL("end_date", FG_COL_DATE, O)};
static const fg_column c_contributions[] = {
    REF("person_id", FG_COL_PERSON_ID, R, FG_T_PERSONS),
    REF("employer_id", FG_COL_ID, O, FG_T_EMPLOYERS), ENUMC("scheme", R, fg_schemes),
    COL("region", FG_COL_REGION, R), COL("period", FG_COL_MONTH, R),
    COL("base", FG_COL_MONEY, R), COL("amount", FG_COL_MONEY, R),
    COL("paid_date", FG_COL_DATE, R), ENUMC("kind", R, fg_contrib_kinds)};
static const fg_column c_benefit_payments[] = {
    COL("payment_id", FG_COL_ID, R), REF("person_id", FG_COL_PERSON_ID, R, FG_T_PERSONS),
    ENUMC("scheme", R, fg_schemes), ENUMC("benefit_type", R, fg_benefit_types),
    COL("region", FG_COL_REGION, R), COL("period", FG_COL_MONTH, R),
    COL("amount", FG_COL_MONEY, R), COL("paid_date", FG_COL_DATE, R),
    COL("bank_account", FG_COL_ID, R)};
static const fg_column c_retirements[] = {
    REF("person_id", FG_COL_PERSON_ID, R, FG_T_PERSONS), ENUMC("kind", R, fg_retire_kinds),
    COL("approved_on", FG_COL_DATE, R), COL("retire_date", FG_COL_DATE, R),
    COL("birth_date_on_file", FG_COL_DATE, R), COL("special_work_years", FG_COL_UINT, O),
    REF("reviewer1", FG_COL_ID, O, FG_T_STAFF), REF("reviewer2", FG_COL_ID, O, FG_T_STAFF),
    /* v1.3 (rules.md, the 2025 law): added by store version 4 */
    COLV("original_age", FG_COL_UINT, O, fg_original_ages, 4),
    COLV("contribution_months", FG_COL_UINT, O, NULL, 4)};
static const fg_column c_institutions[] = {
    COL("institution_id", FG_COL_ID, R), COL("name", FG_COL_TEXT, R),
    ENUMC("kind", R, fg_inst_kinds), COL("agreement_start", FG_COL_DATE, R),
    COL("agreement_end", FG_COL_DATE, O), COL("terminated_on", FG_COL_DATE, O),
    ENUMC("termination_reason", O, fg_term_reasons)};
static const fg_column c_catalog[] = {
    COL("item_code", FG_COL_ID, R),        COL("name", FG_COL_TEXT, R),
    ENUMC("category", R, fg_item_cats),    ENUMC("in_scope", R, fg_yn),
    COL("max_unit_price", FG_COL_MONEY, O), COL("max_qty_per_day", FG_COL_QTY, O),
    ENUMC("sex_limit", O, fg_sexes),       COL("min_age", FG_COL_UINT, O),
    COL("max_age", FG_COL_UINT, O)};
static const fg_column c_medical_settlements[] = {
    COL("settlement_id", FG_COL_ID, R),
    REF("person_id", FG_COL_PERSON_ID, R, FG_T_PERSONS),
    REF("institution_id", FG_COL_ID, R, FG_T_INSTITUTIONS),
    ENUMC("scheme", R, fg_med_schemes),
    ENUMC("visit_type", R, fg_visit_types),
    COL("admit_date", FG_COL_DATE, R),
    COL("discharge_date", FG_COL_DATE, O),
    COL("diagnosis", FG_COL_TEXT, O),
    COL("invoice_no", FG_COL_ID, R),
    COL("total", FG_COL_MONEY, R),
    COL("fund_paid", FG_COL_MONEY, R),
    COL("settled_on", FG_COL_DATE, R)};
static const fg_column c_medical_items[] = {
    REF("settlement_id", FG_COL_ID, R, FG_T_MEDICAL_SETTLEMENTS),
    COL("line_no", FG_COL_UINT, R), COL("item_code", FG_COL_ID, R),
    COL("service_date", FG_COL_DATE, R), COL("quantity", FG_COL_QTY, R),
    COL("unit_price", FG_COL_MONEY, R), COL("amount", FG_COL_MONEY, R),
    COL("fund_amount", FG_COL_MONEY, R)};
static const fg_column c_deaths[] = {COL("person_id", FG_COL_PERSON_ID, R),
                                     COL("death_date", FG_COL_DATE, R),
                                     ENUMC("source", R, fg_death_sources)};
static const fg_column c_incarcerations[] = {COL("person_id", FG_COL_PERSON_ID, R),
                                             COL("start_date", FG_COL_DATE, R),
                                             COL("end_date", FG_COL_DATE, O)};
static const fg_column c_survival[] = {COL("person_id", FG_COL_PERSON_ID, R),
                                       COL("certified_on", FG_COL_DATE, R),
                                       COL("method", FG_COL_TEXT, O)};
static const fg_column c_fund_accounts[] = {
    COL("account_no", FG_COL_ID, R), ENUMC("scheme", R, fg_schemes),
    ENUMC("kind", R, fg_account_kinds), COL("opening_balance", FG_COL_MONEY, R),
    COL("opened_on", FG_COL_DATE, R)};
static const fg_column c_fund_transactions[] = {
    COL("txn_id", FG_COL_ID, R),
    REF("account_no", FG_COL_ID, R, FG_T_FUND_ACCOUNTS),
    COL("booked_on", FG_COL_DATE, R),
    ENUMC("direction", R, fg_directions),
    COL("amount", FG_COL_MONEY, R),
    COL("counterparty_account", FG_COL_ID, O),
    ENUMC("counterparty_kind", R, fg_cp_kinds),
    COL("reference", FG_COL_TEXT, O),
    ENUMC("purpose", O, fg_purposes)};
static const fg_column c_staff[] = {
    COL("staff_id", FG_COL_ID, R),          COL("name", FG_COL_TEXT, R),
    REF("person_id", FG_COL_PERSON_ID, O, FG_T_PERSONS),
    COL("post", FG_COL_TEXT, R),            COL("post_since", FG_COL_DATE, R),
    ENUMC("high_risk", R, fg_yn),           COL("roles", FG_COL_TEXT, O),
    REF("agency_id", FG_COL_AGENCY_ID, O, FG_T_AGENCIES)}; /* v1.3 */
static const fg_column c_operations[] = {
    COL("op_id", FG_COL_ID, R),
    ENUMC("op_type", R, fg_op_types),
    REF("operator_id", FG_COL_ID, R, FG_T_STAFF),
    REF("reviewer_id", FG_COL_ID, O, FG_T_STAFF),
    REF("approver_id", FG_COL_ID, O, FG_T_STAFF),
    REF("subject_person_id", FG_COL_PERSON_ID, O, FG_T_PERSONS),
    COL("reference", FG_COL_TEXT, O),
    COL("amount", FG_COL_MONEY, O),
    COL("at", FG_COL_TIMESTAMP, R)};
static const fg_column c_wage_bases[] = {COL("region", FG_COL_REGION, R),
                                         COL("year", FG_COL_YEAR, R),
                                         COL("floor", FG_COL_MONEY, R),
                                         COL("cap", FG_COL_MONEY, R)};
/* v1.3, table 19: parent_id points into the same file (a county agency's
 * city agency), so a parent must come before its children (decision 37). */
static const fg_column c_agencies[] = {
    COL("agency_id", FG_COL_AGENCY_ID, R), COL("name", FG_COL_TEXT, R),
    COL("region", FG_COL_REGION, R),       ENUMC("level", R, fg_agency_levels),
    REF("parent_id", FG_COL_AGENCY_ID, O, FG_T_AGENCIES)};

#define TAB(id, name, zh, cols, k0, k1, nk)                                   \
  {id, name, name ".csv", zh, cols, (int)(sizeof cols / sizeof cols[0]), {k0, k1}, nk}

static const fg_table fg_tables[FG_T_COUNT] = {
    TAB(FG_T_PERSONS, "persons", "参保人员", c_persons, 0, 0, 1),
    TAB(FG_T_EMPLOYERS, "employers", "参保单位", c_employers, 0, 0, 1),
    TAB(FG_T_ENROLLMENTS, "enrollments", "参保登记", c_enrollments, 0, 0, 0),
    TAB(FG_T_CONTRIBUTIONS, "contributions", "缴费记录", c_contributions, 0, 0, 0),
    TAB(FG_T_BENEFIT_PAYMENTS, "benefit_payments", "待遇发放", c_benefit_payments, 0, 0, 1),
    TAB(FG_T_RETIREMENTS, "retirements", "退休审批", c_retirements, 0, 0, 0),
    TAB(FG_T_INSTITUTIONS, "institutions", "定点协议机构", c_institutions, 0, 3, 2),
    TAB(FG_T_CATALOG, "catalog", "医保目录", c_catalog, 0, 0, 1),
    TAB(FG_T_MEDICAL_SETTLEMENTS, "medical_settlements", "医疗结算", c_medical_settlements, 0, 0, 1),
    TAB(FG_T_MEDICAL_ITEMS, "medical_items", "费用明细", c_medical_items, 0, 1, 2),
    TAB(FG_T_DEATHS, "deaths", "死亡火化信息", c_deaths, 0, 0, 0),
    TAB(FG_T_INCARCERATIONS, "incarcerations", "服刑人员信息", c_incarcerations, 0, 0, 0),
    TAB(FG_T_SURVIVAL_CERTIFICATIONS, "survival_certifications", "生存认证", c_survival, 0, 0, 0),
    TAB(FG_T_FUND_ACCOUNTS, "fund_accounts", "基金银行账户", c_fund_accounts, 0, 0, 1),
    TAB(FG_T_FUND_TRANSACTIONS, "fund_transactions", "账户流水", c_fund_transactions, 0, 0, 1),
    TAB(FG_T_STAFF, "staff", "经办人员", c_staff, 0, 0, 1),
    TAB(FG_T_OPERATIONS, "operations", "经办操作日志", c_operations, 0, 0, 1),
    TAB(FG_T_WAGE_BASES, "wage_bases", "缴费基数上下限", c_wage_bases, 0, 1, 2),
    TAB(FG_T_AGENCIES, "agencies", "经办机构", c_agencies, 0, 0, 1),
};

const fg_table *fg_schema_table(fg_table_id id) {
  FG_ASSERT(id >= 0 && id < FG_T_COUNT);
  FG_ASSERT(fg_tables[id].id == id);
  return &fg_tables[id];
}

const fg_table *fg_schema_by_name(const char *name) {
  for (int i = 0; i < FG_T_COUNT; i++)
    if (strcmp(fg_tables[i].name, name) == 0) return &fg_tables[i];
  return NULL;
}

const fg_table *fg_schema_by_file(const char *file) {
  for (int i = 0; i < FG_T_COUNT; i++)
    if (strcmp(fg_tables[i].file, file) == 0) return &fg_tables[i];
  return NULL;
}

int fg_schema_col(const fg_table *t, const char *name) {
  for (int i = 0; i < t->ncols; i++)
    if (strcasecmp(t->cols[i].name, name) == 0) return i;
  return -1;
}

int fg_schema_base_cols(const fg_table *t) {
  int n = 0;
  while (n < t->ncols && t->cols[n].store_version == 0) n++;
  for (int c = n; c < t->ncols; c++) FG_ASSERT(t->cols[c].store_version > 1);
  return n;
}

const char *fg_schema_sql_type(fg_coltype type) {
  return fg_schema_is_int(type) ? "INTEGER" : "TEXT";
}

typedef struct {
  const char *column, *value, *label;
} fg_code_label;

static const fg_code_label fg_labels[] = {
    {"scheme", "110", "企业职工基本养老保险"}, {"scheme", "120", "机关事业单位基本养老保险"},
    {"scheme", "170", "城乡居民基本养老保险"}, {"scheme", "210", "失业保险"},
    {"scheme", "310", "职工基本医疗保险"},     {"scheme", "390", "城乡居民基本医疗保险"},
    {"scheme", "410", "工伤保险"},             {"scheme", "510", "生育保险"},
    {"sex", "1", "男"},                         {"sex", "2", "女"},
    {"benefit_type", "pension", "基本养老金"},  {"benefit_type", "unemployment", "失业保险金"},
    {"benefit_type", "injury_disability", "伤残津贴"},
    {"benefit_type", "injury_dependant", "供养亲属抚恤金"},
    {"benefit_type", "maternity", "生育津贴"},  {"benefit_type", "funeral", "丧葬补助金"},
    {"benefit_type", "survivor", "遗属待遇"},   {"benefit_type", "lump_sum", "一次性待遇"},
    {"level", "city", "市级"},                  {"level", "county", "县（区）级"},
};

const char *fg_schema_code_label_zh(const char *column, const char *value) {
  for (size_t i = 0; i < sizeof fg_labels / sizeof fg_labels[0]; i++)
    if (strcmp(fg_labels[i].column, column) == 0 && strcmp(fg_labels[i].value, value) == 0)
      return fg_labels[i].label;
  return NULL;
}
