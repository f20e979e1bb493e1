/*
 * build_tables.c — one converter per standard table: a stored row (schema
 * column order, store.h fg_value) into its model.h struct, plus the table
 * descriptors (struct size, where the interned ids sit) that the builder
 * uses to grow, merge and sort rows generically. Column indexes below follow
 * schema.c; the static asserts pin the struct layout the builder relies on
 * (rowid first, pk right after it for "by pk" tables).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"
#include "screen/build_impl.h"

/* Every model struct starts with its fg_row32 row (fg_mb_add writes it
 * there). The sorts and merges find a "by pk" table's pk through its
 * descriptor (fg_mb_pk_at: contributions and benefit payments carry it
 * after the model's row, build_impl.h); in the structs that hold one it
 * stays right after the row, the layout snapshot format 7 writes. */
#define FG_MB_ROW_FIRST(type) \
  _Static_assert(offsetof(type, row) == 0 && sizeof(((type *)0)->row) == sizeof(fg_row32), \
                 #type ": row first, 4 bytes")
#define FG_MB_PK_SECOND(type) \
  FG_MB_ROW_FIRST(type);    \
  _Static_assert(offsetof(type, pk) == sizeof(fg_row32), #type ": pk after row")
FG_MB_ROW_FIRST(fg_m_person);
FG_MB_ROW_FIRST(fg_m_employer);
FG_MB_ROW_FIRST(fg_m_institution);
FG_MB_ROW_FIRST(fg_m_catalog);
FG_MB_ROW_FIRST(fg_m_item);
FG_MB_ROW_FIRST(fg_m_account);
FG_MB_ROW_FIRST(fg_m_txn);
FG_MB_ROW_FIRST(fg_m_staff);
FG_MB_ROW_FIRST(fg_m_operation);
FG_MB_ROW_FIRST(fg_m_wage_base);
FG_MB_PK_SECOND(fg_m_enrollment);
FG_MB_ROW_FIRST(fg_m_contribution);
FG_MB_ROW_FIRST(fg_m_payment);
FG_MB_PK_SECOND(fg_m_retirement);
FG_MB_PK_SECOND(fg_m_settlement);
FG_MB_PK_SECOND(fg_m_death);
FG_MB_PK_SECOND(fg_m_incarceration);
FG_MB_PK_SECOND(fg_m_survival);
_Static_assert(sizeof(fg_m_contribution) == 24, "contributions: packed fields (model.h)");
_Static_assert(sizeof(fg_m_payment) == 24, "benefit payments: packed fields (model.h)");
_Static_assert(sizeof(fg_m_item) == 40, "medical items: 4-byte numbers (model.h)");
/* the packed fields' widths hold every value they are given (model.h) */
_Static_assert(2100 * 12 - FG_PACK_MONTH_BASE <= (int)FG_PACK_MONTH_NONE, "months in 12 bits");
_Static_assert(FG_PACK_SCHEME_MAX < (1 << 14), "scheme codes in 14 bits");
_Static_assert(FG_PACK_REGION_MAX + 1 < (1 << 20), "region codes in 20 bits");
_Static_assert(FG_BEN_LUMP_SUM < 8 && FG_CONTRIB_BACK < 2, "benefit types in 3 bits, kinds in 1");
/* their builder rows: the model's row, then the pk, no padding between */
_Static_assert(offsetof(fg_mb_contribution, pk) == sizeof(fg_m_contribution) &&
                   sizeof(fg_mb_contribution) == sizeof(fg_m_contribution) + sizeof(fg_pk),
               "contributions: pk after the model's row");
_Static_assert(offsetof(fg_mb_payment, pk) == sizeof(fg_m_payment) &&
                   sizeof(fg_mb_payment) == sizeof(fg_m_payment) + sizeof(fg_pk),
               "benefit payments: pk after the model's row");

static fg_day fg_mb_day(const fg_value *v) {
  fg_day d;
  if (v->is_null || !v->s || !fg_parse_day(v->s, v->n, &d)) return FG_NODAY;
  return d;
}

static fg_month fg_mb_month(const fg_value *v) {
  fg_month m;
  if (v->is_null || !v->s || !fg_parse_month(v->s, v->n, &m)) return FG_NOMONTH;
  return m;
}

static int64_t fg_mb_int(const fg_value *v, int64_t absent) { return v->is_null ? absent : v->i; }

/* A money value as a fg_fen32 (model.h): one outside [0, 2^31) fen is
 * interned as its decimal fen and its sid kept with FG_FEN32_BIG. */
static fg_fen32 fg_mb_fen32(fg_model_builder *b, const fg_value *v) {
  const int64_t fen = fg_mb_int(v, 0);
  if (fen >= 0 && fen < (int64_t)FG_FEN32_BIG) return (fg_fen32)fen;
  char text[24]; /* INT64_MIN is 20 characters */
  const int n = snprintf(text, sizeof text, "%lld", (long long)fen);
  FG_ASSERT_HOT(n > 0 && n < (int)sizeof text);
  const fg_sid sid = fg_mb_intern(b, text, (size_t)n);
  FG_ASSERT_HOT(sid > 0 && sid < FG_FEN32_BIG); /* pools stop at FG_MB_STRINGS_MAX */
  return FG_FEN32_BIG | sid;
}

/* The scheme code's digits (codes are validated at import: 110, 120, ...;
 * s need not be NUL-terminated). */
static fg_scheme fg_mb_scheme(const fg_value *v) {
  if (v->is_null || !v->s) return 0;
  int i = 0, x = 0;
  while (i < v->n && (v->s[i] == ' ' || v->s[i] == '\t')) i++;
  for (int k = 0; i < v->n && k < FG_MB_SCHEME_DIGITS && v->s[i] >= '0' && v->s[i] <= '9'; i++, k++)
    x = 10 * x + (v->s[i] - '0');
  return (fg_scheme)x;
}

/* Index of the value in the column's enumeration, -1 when absent. */
static int fg_mb_enum(fg_table_id t, int col, const fg_value *v) {
  if (v->is_null || !v->s || v->n <= 0) return -1;
  const fg_column *c = &fg_schema_table(t)->cols[col];
  FG_ASSERT_HOT(c->type == FG_COL_ENUM && c->enum_values);
  for (int i = 0; c->enum_values[i]; i++)
    if ((int)strlen(c->enum_values[i]) == v->n && memcmp(c->enum_values[i], v->s, (size_t)v->n) == 0)
      return i;
  return -1;
}

/* Enumerations whose model code is index + 1 (0 = none): sex, reasons, purposes. */
static uint8_t fg_mb_enum1(fg_table_id t, int col, const fg_value *v) {
  return (uint8_t)(fg_mb_enum(t, col, v) + 1);
}

static uint8_t fg_mb_enum0(fg_table_id t, int col, const fg_value *v) {
  int e = fg_mb_enum(t, col, v);
  return (uint8_t)(e < 0 ? 0 : e);
}

static void fg_conv_person(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_person *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->sex = fg_mb_enum1(FG_T_PERSONS, 2, &v[2]);
  r->birth = fg_mb_day(&v[3]);
  r->region = fg_mb_sid(b, &v[4]);
}

static void fg_conv_employer(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_employer *r = row;
  r->employer_id = fg_mb_sid(b, &v[0]);
}

static void fg_conv_enrollment(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_enrollment *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->scheme = fg_mb_scheme(&v[1]);
  r->region = fg_mb_sid(b, &v[2]);
  r->employer_id = fg_mb_sid(b, &v[3]);
  r->start = fg_mb_day(&v[4]);
  r->end = fg_mb_day(&v[5]);
}

/* A month in its 12 packed bits (model.h). fg_mb_month gives 1900-01 ..
 * 2099-12 or FG_NOMONTH. */
static uint32_t fg_mb_pack_month(fg_month mo) {
  if (mo == FG_NOMONTH) return FG_PACK_MONTH_NONE;
  FG_ASSERT_HOT(mo >= FG_PACK_MONTH_BASE && mo - FG_PACK_MONTH_BASE < (int32_t)FG_PACK_MONTH_NONE);
  return (uint32_t)(mo - FG_PACK_MONTH_BASE);
}

/* A date in its 17 packed bits (model.h); fg_mb_day gives 1900-01-01 ..
 * 2099-12-31 or FG_NODAY. */
static uint32_t fg_mb_pack_day(fg_day d) {
  if (d == FG_NODAY) return FG_PACK_DAY_NONE;
  FG_ASSERT_HOT(d >= FG_PACK_DAY_BASE && d - FG_PACK_DAY_BASE < (int32_t)FG_PACK_DAY_NONE);
  return (uint32_t)(d - FG_PACK_DAY_BASE);
}

/* A contribution's region as code + 1 (0 = empty); a text that is not 6
 * digits is noted (fg_mb_check refuses the model: the import never stores
 * one, so the store was written some other way). */
static uint32_t fg_mb_region_code(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || !v->s || v->n == 0) return 0;
  const int32_t code = fg_region_digits(v->s, (size_t)v->n);
  if (code < 0) {
    b->region_bad = true;
    return 0;
  }
  FG_ASSERT_HOT(code <= FG_PACK_REGION_MAX);
  return (uint32_t)code + 1;
}

static void fg_conv_contribution(fg_model_builder *b, void *row, const fg_value *v) {
  fg_mb_contribution *br = row;
  fg_m_contribution *r = &br->m;
  br->pk = fg_mb_pk(b, &v[0]);
  r->employer_id = fg_mb_sid(b, &v[1]);
  const fg_scheme scheme = fg_mb_scheme(&v[2]);
  r->region_period = fg_mb_region_code(b, &v[3]) << FG_PACK_MONTH_BITS |
                     fg_mb_pack_month(fg_mb_month(&v[4]));
  r->base_f32 = fg_mb_fen32(b, &v[5]);
  r->amount_f32 = fg_mb_fen32(b, &v[6]);
  const uint32_t kind = fg_mb_enum0(FG_T_CONTRIBUTIONS, 8, &v[8]);
  FG_ASSERT_HOT(kind <= 1 && scheme >= 0 && scheme <= FG_PACK_SCHEME_MAX);
  r->paid_kind_scheme = fg_mb_pack_day(fg_mb_day(&v[7])) | kind << FG_PACK_DAY_BITS |
                        (uint32_t)scheme << (FG_PACK_DAY_BITS + 1);
}

static void fg_conv_payment(fg_model_builder *b, void *row, const fg_value *v) {
  fg_mb_payment *br = row;
  fg_m_payment *r = &br->m;
  r->payment_uid = fg_mb_uid(b, &v[0]);
  br->pk = fg_mb_pk(b, &v[1]);
  const fg_scheme scheme = fg_mb_scheme(&v[2]);
  const uint32_t type = fg_mb_enum0(FG_T_BENEFIT_PAYMENTS, 3, &v[3]);
  FG_ASSERT_HOT(type < 8 && scheme >= 0 && scheme <= FG_PACK_SCHEME_MAX);
  /* v[4], the region: no rule reads it */
  r->period_scheme_type = fg_mb_pack_month(fg_mb_month(&v[5])) |
                          (uint32_t)scheme << FG_PACK_MONTH_BITS | type << 26;
  r->amount_f32 = fg_mb_fen32(b, &v[6]);
  r->paid = fg_mb_day(&v[7]);
  r->bank_account = fg_mb_sid(b, &v[8]);
}

static void fg_conv_retirement(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_retirement *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->kind = fg_mb_enum0(FG_T_RETIREMENTS, 1, &v[1]);
  r->approved_on = fg_mb_day(&v[2]);
  r->retire_date = fg_mb_day(&v[3]);
  r->birth_on_file = fg_mb_day(&v[4]);
  r->special_work_years = (int32_t)fg_mb_int(&v[5], -1);
  r->reviewer1 = fg_mb_sid(b, &v[6]);
  r->reviewer2 = fg_mb_sid(b, &v[7]);
  r->original_years = (uint8_t)fg_mb_int(&v[8], 0); /* import allows 60, 55, 50 only */
  r->contribution_months = (int32_t)fg_mb_int(&v[9], -1);
}

static void fg_conv_institution(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_institution *r = row;
  r->institution_id = fg_mb_sid(b, &v[0]);
  r->kind = fg_mb_enum0(FG_T_INSTITUTIONS, 2, &v[2]);
  r->start = fg_mb_day(&v[3]);
  r->end = fg_mb_day(&v[4]);
  r->terminated_on = fg_mb_day(&v[5]);
  r->term_reason = fg_mb_enum1(FG_T_INSTITUTIONS, 6, &v[6]);
}

static void fg_conv_catalog(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_catalog *r = row;
  r->item_code = fg_mb_sid(b, &v[0]);
  r->category = fg_mb_enum0(FG_T_CATALOG, 2, &v[2]);
  r->in_scope = fg_mb_enum(FG_T_CATALOG, 3, &v[3]) == 0; /* "Y" */
  r->max_unit_price_fen = fg_mb_int(&v[4], -1);
  r->max_qty_milli = fg_mb_int(&v[5], -1);
  r->sex_limit = fg_mb_enum1(FG_T_CATALOG, 6, &v[6]);
  r->min_age = (int32_t)fg_mb_int(&v[7], -1);
  r->max_age = (int32_t)fg_mb_int(&v[8], -1);
}

static void fg_conv_settlement(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_settlement *r = row;
  r->settlement_id = fg_mb_sid(b, &v[0]);
  r->pk = fg_mb_pk(b, &v[1]);
  r->institution_id = fg_mb_sid(b, &v[2]);
  r->scheme = fg_mb_scheme(&v[3]);
  r->visit = fg_mb_enum0(FG_T_MEDICAL_SETTLEMENTS, 4, &v[4]);
  r->admit = fg_mb_day(&v[5]);
  r->discharge = fg_mb_day(&v[6]);
  r->diagnosis = fg_mb_sid(b, &v[7]);
  r->invoice_no = fg_mb_sid(b, &v[8]);
  r->total_fen = fg_mb_int(&v[9], 0);
  r->fund_paid_fen = fg_mb_int(&v[10], 0);
  r->settled_on = fg_mb_day(&v[11]);
  r->items_first = 0;
  r->items_count = 0;
}

static void fg_conv_item(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_item *r = row;
  r->settlement_id = fg_mb_sid(b, &v[0]);
  r->settlement = -1;
  r->line_f32 = fg_mb_fen32(b, &v[1]);
  r->item_code = fg_mb_sid(b, &v[2]);
  r->catalog = -1;
  r->service_date = fg_mb_day(&v[3]);
  r->qty_milli_f32 = fg_mb_fen32(b, &v[4]);
  r->unit_price_f32 = fg_mb_fen32(b, &v[5]);
  /* v[6], the line's amount: no rule reads it */
  r->fund_amount_f32 = fg_mb_fen32(b, &v[7]);
}

static void fg_conv_death(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_death *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->death_date = fg_mb_day(&v[1]);
}

static void fg_conv_incarceration(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_incarceration *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->start = fg_mb_day(&v[1]);
  r->end = fg_mb_day(&v[2]);
}

static void fg_conv_survival(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_survival *r = row;
  r->pk = fg_mb_pk(b, &v[0]);
  r->certified_on = fg_mb_day(&v[1]);
}

static void fg_conv_account(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_account *r = row;
  r->account_no = fg_mb_sid(b, &v[0]);
  r->scheme = fg_mb_scheme(&v[1]);
  r->kind = fg_mb_enum0(FG_T_FUND_ACCOUNTS, 2, &v[2]);
  r->opening_fen = fg_mb_int(&v[3], 0);
  r->opened_on = fg_mb_day(&v[4]);
}

static void fg_conv_txn(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_txn *r = row;
  r->txn_id = fg_mb_sid(b, &v[0]);
  r->account_no = fg_mb_sid(b, &v[1]);
  r->account = -1;
  r->booked_on = fg_mb_day(&v[2]);
  r->dir = fg_mb_enum0(FG_T_FUND_TRANSACTIONS, 3, &v[3]);
  r->amount_fen = fg_mb_int(&v[4], 0);
  r->cp_account = fg_mb_sid(b, &v[5]);
  r->cp_fund_account = -1;
  r->cp_kind = fg_mb_enum0(FG_T_FUND_TRANSACTIONS, 6, &v[6]);
  r->reference = fg_mb_sid(b, &v[7]);
  r->purpose = fg_mb_enum1(FG_T_FUND_TRANSACTIONS, 8, &v[8]);
}

static void fg_conv_staff(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_staff *r = row;
  r->staff_id = fg_mb_sid(b, &v[0]);
  r->pk = fg_mb_pk(b, &v[2]);
  r->post = fg_mb_sid(b, &v[3]);
  r->post_since = fg_mb_day(&v[4]);
  r->high_risk = fg_mb_enum(FG_T_STAFF, 5, &v[5]) == 0; /* "Y" */
  r->roles = fg_mb_sid(b, &v[6]);
}

static void fg_conv_operation(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_operation *r = row;
  r->op_id = fg_mb_sid(b, &v[0]);
  r->op_type = fg_mb_enum0(FG_T_OPERATIONS, 1, &v[1]);
  r->operator_id = fg_mb_sid(b, &v[2]);
  r->reviewer_id = fg_mb_sid(b, &v[3]);
  r->approver_id = fg_mb_sid(b, &v[4]);
  r->subject_pk = fg_mb_pk(b, &v[5]);
  r->reference = fg_mb_sid(b, &v[6]);
  r->amount_fen = fg_mb_int(&v[7], -1);
  int64_t ts = 0;
  if (v[8].is_null || !v[8].s || !fg_parse_timestamp(v[8].s, v[8].n, &ts)) ts = INT64_MIN;
  r->at_s = ts;
}

static void fg_conv_wage_base(fg_model_builder *b, void *row, const fg_value *v) {
  fg_m_wage_base *r = row;
  r->region = fg_mb_sid(b, &v[0]);
  r->year = (int)fg_mb_int(&v[1], 0);
  r->floor_fen = fg_mb_int(&v[2], 0);
  r->cap_fen = fg_mb_int(&v[3], 0);
}

#define O(T, f) offsetof(T, f)
static const fg_mb_desc fg_mb_descs[FG_T_COUNT] = {
    [FG_T_PERSONS] = {sizeof(fg_m_person), fg_conv_person, 1, {O(fg_m_person, region)}, 1,
                      {O(fg_m_person, pk)}},
    [FG_T_EMPLOYERS] = {sizeof(fg_m_employer), fg_conv_employer, 1,
                        {O(fg_m_employer, employer_id)}, 0, {0}},
    [FG_T_ENROLLMENTS] = {sizeof(fg_m_enrollment), fg_conv_enrollment, 2,
                          {O(fg_m_enrollment, region), O(fg_m_enrollment, employer_id)}, 1,
                          {O(fg_m_enrollment, pk)}},
    [FG_T_CONTRIBUTIONS] = {sizeof(fg_mb_contribution), fg_conv_contribution, 1,
                            {O(fg_m_contribution, employer_id)},
                            1, {O(fg_mb_contribution, pk)}, 2,
                            {O(fg_m_contribution, base_f32), O(fg_m_contribution, amount_f32)},
                            .model_size = sizeof(fg_m_contribution)},
    [FG_T_BENEFIT_PAYMENTS] = {sizeof(fg_mb_payment), fg_conv_payment, 1,
                               {O(fg_m_payment, bank_account)},
                               1, {O(fg_mb_payment, pk)}, 1, {O(fg_m_payment, amount_f32)},
                               1, {O(fg_m_payment, payment_uid)},
                               .model_size = sizeof(fg_m_payment)},
    [FG_T_RETIREMENTS] = {sizeof(fg_m_retirement), fg_conv_retirement, 2,
                          {O(fg_m_retirement, reviewer1), O(fg_m_retirement, reviewer2)}, 1,
                          {O(fg_m_retirement, pk)}},
    [FG_T_INSTITUTIONS] = {sizeof(fg_m_institution), fg_conv_institution, 1,
                           {O(fg_m_institution, institution_id)}, 0, {0}},
    [FG_T_CATALOG] = {sizeof(fg_m_catalog), fg_conv_catalog, 1, {O(fg_m_catalog, item_code)}, 0,
                      {0}},
    [FG_T_MEDICAL_SETTLEMENTS] = {sizeof(fg_m_settlement), fg_conv_settlement, 4,
                                  {O(fg_m_settlement, settlement_id),
                                   O(fg_m_settlement, institution_id),
                                   O(fg_m_settlement, diagnosis), O(fg_m_settlement, invoice_no)},
                                  1, {O(fg_m_settlement, pk)}},
    [FG_T_MEDICAL_ITEMS] = {sizeof(fg_m_item), fg_conv_item, 2,
                            {O(fg_m_item, settlement_id), O(fg_m_item, item_code)}, 0, {0}, 4,
                            {O(fg_m_item, line_f32), O(fg_m_item, qty_milli_f32),
                             O(fg_m_item, unit_price_f32), O(fg_m_item, fund_amount_f32)}},
    [FG_T_DEATHS] = {sizeof(fg_m_death), fg_conv_death, 0, {0}, 1, {O(fg_m_death, pk)}},
    [FG_T_INCARCERATIONS] = {sizeof(fg_m_incarceration), fg_conv_incarceration, 0, {0}, 1,
                             {O(fg_m_incarceration, pk)}},
    [FG_T_SURVIVAL_CERTIFICATIONS] = {sizeof(fg_m_survival), fg_conv_survival, 0, {0}, 1,
                                      {O(fg_m_survival, pk)}},
    [FG_T_FUND_ACCOUNTS] = {sizeof(fg_m_account), fg_conv_account, 1,
                            {O(fg_m_account, account_no)}, 0, {0}},
    [FG_T_FUND_TRANSACTIONS] = {sizeof(fg_m_txn), fg_conv_txn, 4,
                                {O(fg_m_txn, txn_id), O(fg_m_txn, account_no),
                                 O(fg_m_txn, cp_account), O(fg_m_txn, reference)},
                                0, {0}},
    [FG_T_STAFF] = {sizeof(fg_m_staff), fg_conv_staff, 3,
                    {O(fg_m_staff, staff_id), O(fg_m_staff, post), O(fg_m_staff, roles)}, 1,
                    {O(fg_m_staff, pk)}},
    [FG_T_OPERATIONS] = {sizeof(fg_m_operation), fg_conv_operation, 5,
                         {O(fg_m_operation, op_id), O(fg_m_operation, operator_id),
                          O(fg_m_operation, reviewer_id), O(fg_m_operation, approver_id),
                          O(fg_m_operation, reference)},
                         1, {O(fg_m_operation, subject_pk)}},
    [FG_T_WAGE_BASES] = {sizeof(fg_m_wage_base), fg_conv_wage_base, 1, {O(fg_m_wage_base, region)},
                         0, {0}},
};
#undef O

/* The columns each converter reads (bit i = column i): the loader selects
 * only these. Keep in step with the converters above. */
#define C(i) (1u << (i))
#define FIRST(n) ((1u << (n)) - 1u)
static const uint32_t fg_mb_cols[FG_T_COUNT] = {
    [FG_T_PERSONS] = C(0) | C(2) | C(3) | C(4),
    [FG_T_EMPLOYERS] = C(0),
    [FG_T_ENROLLMENTS] = FIRST(6),
    [FG_T_CONTRIBUTIONS] = FIRST(9),
    [FG_T_BENEFIT_PAYMENTS] = FIRST(9) & ~C(4), /* not the region */
    [FG_T_RETIREMENTS] = FIRST(10), /* v1.3: original_age, contribution_months */
    [FG_T_INSTITUTIONS] = C(0) | C(2) | C(3) | C(4) | C(5) | C(6),
    [FG_T_CATALOG] = C(0) | C(2) | C(3) | C(4) | C(5) | C(6) | C(7) | C(8),
    [FG_T_MEDICAL_SETTLEMENTS] = FIRST(12),
    [FG_T_MEDICAL_ITEMS] = FIRST(8) & ~C(6), /* not the line's amount */
    [FG_T_DEATHS] = FIRST(2),
    [FG_T_INCARCERATIONS] = FIRST(3),
    [FG_T_SURVIVAL_CERTIFICATIONS] = FIRST(2),
    [FG_T_FUND_ACCOUNTS] = FIRST(5),
    [FG_T_FUND_TRANSACTIONS] = FIRST(9),
    [FG_T_STAFF] = C(0) | C(2) | C(3) | C(4) | C(5) | C(6),
    [FG_T_OPERATIONS] = FIRST(9),
    [FG_T_WAGE_BASES] = FIRST(4),
};
#undef C
#undef FIRST

uint32_t fg_mb_unique_cols(fg_table_id t) {
  FG_ASSERT_HOT(t >= 0 && t < FG_T_COUNT);
  switch (t) {
    case FG_T_MEDICAL_SETTLEMENTS: return (1u << 0) | (1u << 8); /* settlement_id, invoice_no */
    case FG_T_FUND_TRANSACTIONS: return 1u << 0;                /* txn_id */
    case FG_T_OPERATIONS: return 1u << 0;                       /* op_id */
    default: return 0;
  }
}

uint32_t fg_mb_cols_of(fg_table_id t) {
  FG_ASSERT_HOT(t >= 0 && t < FG_T_COUNT);
  uint32_t all = fg_schema_table(t)->ncols >= 32 ? ~0u : (1u << fg_schema_table(t)->ncols) - 1u;
  FG_ASSERT_HOT(fg_mb_cols[t] != 0 && (fg_mb_cols[t] & ~all) == 0);
  return fg_mb_cols[t] & all;
}

bool fg_mb_holds(fg_table_id t) {
  FG_ASSERT_HOT(t >= 0 && t < FG_T_COUNT);
  return fg_mb_descs[t].conv != NULL;
}

const fg_mb_desc *fg_mb_desc_of(fg_table_id t) {
  FG_ASSERT_HOT(t >= 0 && t < FG_T_COUNT);
  FG_ASSERT_HOT(fg_mb_descs[t].conv != NULL);
  return &fg_mb_descs[t];
}

size_t fg_mb_model_size(fg_table_id t) {
  const fg_mb_desc *d = fg_mb_desc_of(t);
  FG_ASSERT_HOT(d->model_size <= d->elem_size);
  return d->model_size ? d->model_size : d->elem_size;
}

size_t fg_mb_pk_at(fg_table_id t) {
  const fg_mb_desc *d = fg_mb_desc_of(t);
  FG_ASSERT_HOT(d->npk >= 1); /* the first pk field is the one rows are grouped by */
  FG_ASSERT_HOT(d->pk_off[0] + sizeof(fg_pk) <= d->elem_size);
  return d->pk_off[0];
}
