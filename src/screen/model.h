/*
 * model.h — the in-memory picture of a store that the screening rules read.
 *
 * The loader (screen/load.c) reads every imported table once from the store
 * and turns it into flat arrays of small fixed-size structs: dates as fg_day,
 * months as fg_month, money as int64 fen, codes as small integers, and every
 * identifier interned to an integer. Rules then join by integer compares over
 * arrays that are sorted for them, never by string or by SQL. This is why the
 * engine is hand-written: the rules are a few dozen passes over sorted arrays
 * grouped by person, which beats a general query engine that must rebuild
 * hash tables for each rule.
 *
 * Persons.  Every distinct person_id seen in any table (persons, facts, the
 * other authorities' deaths/incarcerations/certifications, staff, operations)
 * gets a person key `pk` (0..npk-1, ids compared upper-cased). pk_person[pk]
 * is the index into persons[] or -1 when persons.csv never named the id.
 *
 * Grouping.  Tables marked "by pk" are sorted by (pk, then the order given)
 * and have an offset array `<table>_off` of npk+1 entries: the rows of person
 * pk are [off[pk], off[pk+1]).
 *
 * Strings.  Other identifiers (employer_id, settlement_id, institution_id,
 * item_code, account_no, staff_id, bank_account, invoice_no, diagnosis,
 * reference) are interned in one string pool: fg_sid is an index into
 * model->str (0 = empty/absent). Equal strings have equal sids.
 *
 * Unique ids.  A benefit payment's payment_id (21 M of a million-person
 * city's 24 M distinct ids) is not interned: each row keeps an fg_uid, the
 * offset of its text in the model's uid blob (fg_m_uid), with no hash
 * table and no pointer per string (issue 19, goal 3; decision 86). Two
 * payments with the same text have different uids: the two rules that join
 * on it look the text up among the few references they join with
 * (rule_kit.h fg_rk_textset). The blob is front-coded (decision 92): an
 * entry is a whole text (a "head") or the distance back to a head, how
 * many of its first bytes it shares, and the rest; fg_m_uid decodes.
 *
 * Evidence.  Every row keeps `row`, the store's rowid of the row in its
 * standard table, so a finding can name exactly which rows made it fire.
 *
 * Memory grows linearly with rows: about 16-72 bytes per fact row (24 for
 * the contributions and benefit payments) plus the string pool; see
 * docs/screening.md.
 */
#ifndef FG_SCREEN_MODEL_H
#define FG_SCREEN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fg.h"
#include "common/date.h"
#include "schema/schema.h"

typedef int32_t fg_pk;  /* person key, -1 = none */
typedef uint32_t fg_sid; /* interned string, 0 = empty */
typedef uint32_t fg_uid; /* offset of a unique id's text in the uid blob, 0 = empty */
typedef int64_t fg_rowid;
/* A model row's rowid in its table, in 4 bytes (issue 19, goal 3: 4 bytes
 * off each of the two largest tables' 55 M rows). A store row whose rowid
 * is above FG_ROW32_MAX cannot be held: fg_mb_check refuses the model by
 * name (a city has tens of millions of rows per table; a province that
 * nears 4 billion is the PostgreSQL backend's, docs/decisions.md 87). */
typedef uint32_t fg_row32;
#define FG_ROW32_MAX UINT32_MAX

/* Scheme codes are kept as their number: 110, 120, 170, 210, 310, 390, 410, 510. */
typedef int16_t fg_scheme;

enum { FG_SEX_NONE = 0, FG_SEX_MALE = 1, FG_SEX_FEMALE = 2 };
enum { FG_CONTRIB_NORMAL = 0, FG_CONTRIB_BACK = 1 };
enum {
  FG_BEN_PENSION, FG_BEN_UNEMPLOYMENT, FG_BEN_INJURY_DISABILITY, FG_BEN_INJURY_DEPENDANT,
  FG_BEN_MATERNITY, FG_BEN_FUNERAL, FG_BEN_SURVIVOR, FG_BEN_LUMP_SUM
};
enum { FG_RET_NORMAL, FG_RET_EARLY, FG_RET_SPECIAL_WORK, FG_RET_DISABILITY, FG_RET_FLEXIBLE_EARLY,
       FG_RET_FLEXIBLE_LATE };
enum { FG_INST_HOSPITAL, FG_INST_PHARMACY, FG_INST_REHAB, FG_INST_ASSISTIVE };
enum { FG_TERM_NONE, FG_TERM_VIOLATION, FG_TERM_ILLEGAL };
enum { FG_CAT_DRUG, FG_CAT_EXAM, FG_CAT_TREATMENT, FG_CAT_MATERIAL, FG_CAT_BED };
enum { FG_VISIT_OUTPATIENT, FG_VISIT_INPATIENT };
enum { FG_ACC_INCOME, FG_ACC_EXPENDITURE, FG_ACC_FISCAL_SPECIAL };
enum { FG_DIR_IN, FG_DIR_OUT };
enum { FG_CP_PERSON, FG_CP_EMPLOYER, FG_CP_INSTITUTION, FG_CP_FUND, FG_CP_FISCAL,
       FG_CP_BANK, FG_CP_OTHER };
enum { FG_PURPOSE_NONE, FG_PURPOSE_SWEEP, FG_PURPOSE_ALLOCATE, FG_PURPOSE_PAYMENT,
       FG_PURPOSE_REFUND, FG_PURPOSE_REMIT_UP, FG_PURPOSE_OTHER };
enum { FG_OP_ENROLL, FG_OP_BACK_PAYMENT, FG_OP_RETIREMENT_APPROVAL, FG_OP_BENEFIT_CHANGE,
       FG_OP_PAYMENT, FG_OP_DATA_MODIFICATION, FG_OP_PERMISSION_CHANGE, FG_OP_OTHER };

typedef struct { fg_row32 row; fg_pk pk; uint8_t sex; fg_day birth; fg_sid region; } fg_m_person;
typedef struct { fg_row32 row; fg_sid employer_id; } fg_m_employer;
/* by pk, then start */
typedef struct { fg_row32 row; fg_pk pk; fg_scheme scheme; fg_sid region; fg_sid employer_id;
                 fg_day start, end; /* end FG_NODAY = open */ } fg_m_enrollment;
/* Money of the two largest tables (65 M of a million-person city's rows),
 * and a medical item's line number, quantity and money, in 4 bytes instead
 * of 8 (issue 19, goal 3): a value in [0, 2^31) fen is
 * held as it is; any other (at least 21,474,836.48 yuan, or negative) has
 * FG_FEN32_BIG set and the rest is the sid of its exact value written in
 * decimal fen in the string pool. fg_m_fen() gives the int64 back; the
 * field names end in _f32 so that no rule can read one as fen by mistake. */
typedef uint32_t fg_fen32;
#define FG_FEN32_BIG 0x80000000u

/* The two largest tables' small fields, packed (issue 19, goal 3: 24-byte
 * rows, decision 90). Every value the data standard allows is held exactly;
 * read them only through the fg_mc_ / fg_mp_ accessors below.
 *   - a month (1900-01 .. 2099-12, fg_parse_month) in 12 bits: month -
 *     FG_PACK_MONTH_BASE, FG_PACK_MONTH_NONE for FG_NOMONTH;
 *   - a date (1900-01-01 .. 2099-12-31, fg_parse_day) in 17 bits: days
 *     since 1900-01-01, FG_PACK_DAY_NONE for FG_NODAY;
 *   - a scheme code (fg_mb_scheme: at most 4 digits) in 14 bits;
 *   - a contribution's region, a 6-digit division code (FG_COL_REGION), in
 *     20 bits as code + 1 (0 = empty). A stored region that is not 6
 *     digits cannot come from an import: the builder refuses the model by
 *     name (fg_mb_check), as it refuses a rowid above FG_ROW32_MAX. */
#define FG_PACK_MONTH_BASE (1900 * 12)
#define FG_PACK_MONTH_NONE 0xFFFu
#define FG_PACK_MONTH_BITS 12
#define FG_PACK_DAY_BASE (-25567) /* 1900-01-01 as an fg_day */
#define FG_PACK_DAY_NONE 0x1FFFFu
#define FG_PACK_DAY_BITS 17
#define FG_PACK_SCHEME_MAX 9999
#define FG_PACK_REGION_MAX 999999

/* by pk, then period, paid: 24 bytes (the largest table: 33 M rows at a
 * million persons). Contributions and benefit payments hold no pk: a row's
 * person is its group's (contributions_off, payments_off); the builder's
 * rows carry it after these fields (build_impl.h fg_mb_contribution).
 * region_period: region code + 1 (20 bits) << 12 | month (12 bits);
 * paid_kind_scheme: date (17 bits) | kind (1 bit) << 17 | scheme << 18. */
typedef struct { fg_row32 row; fg_sid employer_id; /* 0 = none */
                 fg_fen32 base_f32, amount_f32;
                 uint32_t region_period, paid_kind_scheme; } fg_m_contribution;
/* by pk, then period, paid; 24 bytes, no pk (as contributions); the
 * region is not held (no rule reads it). period_scheme_type: month (12
 * bits) | scheme (14 bits) << 12 | benefit type (3 bits) << 26. */
typedef struct { fg_row32 row; fg_uid payment_uid; fg_fen32 amount_f32; fg_day paid;
                 fg_sid bank_account; uint32_t period_scheme_type; } fg_m_payment;

static inline fg_month fg_pack_month_get(uint32_t v) {
  v &= FG_PACK_MONTH_NONE;
  return v == FG_PACK_MONTH_NONE ? FG_NOMONTH : (fg_month)(FG_PACK_MONTH_BASE + (int32_t)v);
}
static inline fg_day fg_pack_day_get(uint32_t v) {
  v &= FG_PACK_DAY_NONE;
  return v == FG_PACK_DAY_NONE ? FG_NODAY : (fg_day)(FG_PACK_DAY_BASE + (int32_t)v);
}
static inline fg_month fg_mc_period(const fg_m_contribution *c) {
  return fg_pack_month_get(c->region_period);
}
/* The region's 6-digit code, -1 when empty. */
static inline int32_t fg_mc_region(const fg_m_contribution *c) {
  return (int32_t)(c->region_period >> FG_PACK_MONTH_BITS) - 1;
}
static inline fg_day fg_mc_paid(const fg_m_contribution *c) {
  return fg_pack_day_get(c->paid_kind_scheme);
}
static inline uint8_t fg_mc_kind(const fg_m_contribution *c) {
  return (uint8_t)((c->paid_kind_scheme >> FG_PACK_DAY_BITS) & 1u);
}
static inline fg_scheme fg_mc_scheme(const fg_m_contribution *c) {
  return (fg_scheme)(c->paid_kind_scheme >> (FG_PACK_DAY_BITS + 1));
}
static inline fg_month fg_mp_period(const fg_m_payment *p) {
  return fg_pack_month_get(p->period_scheme_type);
}
static inline fg_scheme fg_mp_scheme(const fg_m_payment *p) {
  return (fg_scheme)((p->period_scheme_type >> FG_PACK_MONTH_BITS) & 0x3FFFu);
}
static inline uint8_t fg_mp_type(const fg_m_payment *p) {
  return (uint8_t)((p->period_scheme_type >> 26) & 7u);
}
/* by pk, then approved_on */
typedef struct { fg_row32 row; fg_pk pk; uint8_t kind; fg_day approved_on, retire_date,
                 birth_on_file; int32_t special_work_years; /* -1 = empty */
                 fg_sid reviewer1, reviewer2;
                 uint8_t original_years;        /* v1.3: 60, 55, 50; 0 = empty */
                 int32_t contribution_months;   /* v1.3: -1 = empty */ } fg_m_retirement;
/* sorted by institution_id then agreement_start */
typedef struct { fg_row32 row; fg_sid institution_id; uint8_t kind; fg_day start, end,
                 terminated_on; uint8_t term_reason; } fg_m_institution;
/* sorted by item_code; absent numbers are -1 */
typedef struct { fg_row32 row; fg_sid item_code; uint8_t category; bool in_scope;
                 int64_t max_unit_price_fen; int64_t max_qty_milli; uint8_t sex_limit;
                 int32_t min_age, max_age; } fg_m_catalog;
/* by pk, then admit */
typedef struct { fg_row32 row; fg_pk pk; fg_sid settlement_id; fg_sid institution_id;
                 fg_scheme scheme; uint8_t visit; fg_day admit, discharge; fg_sid diagnosis;
                 fg_sid invoice_no; int64_t total_fen, fund_paid_fen; fg_day settled_on;
                 int32_t items_first, items_count; /* into items[] */ } fg_m_settlement;
/* grouped by settlement (in settlement order), then line_no; 40 bytes.
 * The line number, quantity (thousandths) and money are fg_fen32 (read
 * with fg_m_fen: one outside [0, 2^31) is escaped into the string pool);
 * a line's amount is not held (no rule reads it; decision 90). */
typedef struct { fg_row32 row; fg_sid settlement_id; int32_t settlement; /* index, -1 none */
                 fg_fen32 line_f32; fg_sid item_code; int32_t catalog; /* index, -1 none */
                 fg_day service_date; fg_fen32 qty_milli_f32, unit_price_f32,
                 fund_amount_f32; } fg_m_item;
typedef struct { fg_row32 row; fg_pk pk; fg_day death_date; } fg_m_death;          /* by pk */
typedef struct { fg_row32 row; fg_pk pk; fg_day start, end; } fg_m_incarceration;  /* by pk */
typedef struct { fg_row32 row; fg_pk pk; fg_day certified_on; } fg_m_survival;     /* by pk */
typedef struct { fg_row32 row; fg_sid account_no; fg_scheme scheme; uint8_t kind;
                 int64_t opening_fen; fg_day opened_on; } fg_m_account; /* by account_no */
/* sorted by account, booked_on, txn_id */
typedef struct { fg_row32 row; fg_sid txn_id; fg_sid account_no; int32_t account; /* -1 */
                 fg_day booked_on; uint8_t dir; int64_t amount_fen; fg_sid cp_account;
                 int32_t cp_fund_account; /* index into accounts or -1 */ uint8_t cp_kind;
                 fg_sid reference; uint8_t purpose; } fg_m_txn;
typedef struct { fg_row32 row; fg_sid staff_id; fg_pk pk; /* -1 none */ fg_sid post;
                 fg_day post_since; bool high_risk; fg_sid roles; } fg_m_staff;
typedef struct { fg_row32 row; fg_sid op_id; uint8_t op_type; fg_sid operator_id,
                 reviewer_id, approver_id; fg_pk subject_pk; fg_sid reference;
                 int64_t amount_fen; /* -1 = empty */ int64_t at_s; } fg_m_operation;
typedef struct { fg_row32 row; fg_sid region; int year; int64_t floor_fen, cap_fen; } fg_m_wage_base;

typedef struct fg_model {
  /* which standard tables any batch has brought (rules skip otherwise) */
  bool present[FG_T_COUNT];

  /* string pool */
  uint32_t nstr;
  const char **str; /* str[sid] -> NUL-terminated; str[0] = "" */

  /* the uid blob (fg_m_uid): NUL-terminated texts, byte 0 a NUL (uid 0 =
   * ""); uids below uid_bytes[0] are in uid[0], the others in uid[1] at
   * uid - uid_bytes[0] (a month's new rows, beside a mapped snapshot's) */
  const char *uid[2];
  uint64_t uid_bytes[2];

  /* person keys */
  int32_t npk;
  const char **pk_id;    /* upper-cased person_id text */
  int32_t *pk_person;    /* index into persons or -1 */
  fg_day *pk_death;      /* earliest death_date or FG_NODAY */

  int32_t npersons;        fg_m_person *persons;
  int32_t nemployers;      fg_m_employer *employers;
  int64_t nenrollments;    fg_m_enrollment *enrollments;       int64_t *enrollments_off;
  int64_t ncontributions;  fg_m_contribution *contributions;   int64_t *contributions_off;
  int64_t npayments;       fg_m_payment *payments;             int64_t *payments_off;
  int64_t nretirements;    fg_m_retirement *retirements;       int64_t *retirements_off;
  int32_t ninstitutions;   fg_m_institution *institutions;
  int32_t ncatalog;        fg_m_catalog *catalog;
  int64_t nsettlements;    fg_m_settlement *settlements;       int64_t *settlements_off;
  int64_t nitems;          fg_m_item *items;
  int64_t ndeaths;         fg_m_death *deaths;                 int64_t *deaths_off;
  int64_t nincarcerations; fg_m_incarceration *incarcerations; int64_t *incarcerations_off;
  int64_t nsurvivals;      fg_m_survival *survivals;           int64_t *survivals_off;
  int32_t naccounts;       fg_m_account *accounts;
  int64_t ntxns;           fg_m_txn *txns;
  int32_t nstaff;          fg_m_staff *staff;
  int64_t noperations;     fg_m_operation *operations;
  int32_t nwage_bases;     fg_m_wage_base *wage_bases;

  void *arena; /* owner of all of the above */
} fg_model;

/* The fen a fg_fen32 of model m holds (exact). An escaped value's text was
 * written by the builder (build_tables.c), an optional '-' and decimal
 * digits, and a mapped snapshot's bytes were verified against the signed
 * journal: anything else is a broken invariant. Out of line: rare, and the
 * common case is the inline test. */
int64_t fg_m_fen_big(const fg_model *m, fg_fen32 v);
static inline int64_t fg_m_fen(const fg_model *m, fg_fen32 v) {
  return (v & FG_FEN32_BIG) ? fg_m_fen_big(m, v) : (int64_t)v;
}

/* The uid blob's entries (issue 19, goal 3; decision 92). Sequential ids
 * share all but their last few bytes (BP00009999990118, BP00009999990119),
 * and a million-person city has 21.9 M of them: whole, 348 MiB. So an entry
 * at offset u (u > 0) is either
 *   head:  FG_UID_HEAD, the text, NUL;
 *   delta: LEB128 of back + 1 (back >= 1: the head is at u - back, in the
 *          same part), the count of the head's first bytes it shares (1 ..
 *          FG_UID_DELTA_TEXT_MAX), the rest of its text, NUL.
 * A delta's first byte is never FG_UID_HEAD (it encodes at least 2) and no
 * byte of either is NUL until the end, so every part still ends with a NUL
 * and a part's entries refer only into that part: blobs concatenate (the
 * loader's chunks, a month beside its snapshot) with every offset moved by
 * the same amount. Only texts of at most FG_UID_DELTA_TEXT_MAX bytes are
 * deltas, so a decoded one fits an fg_uid_buf; a head is returned in place. */
#define FG_UID_HEAD 0x01
#define FG_UID_DELTA_TEXT_MAX 64
#define FG_UID_BACK_MAX ((uint64_t)1 << 20) /* a delta's distance: 3 LEB128 bytes */
typedef struct fg_uid_buf {
  char s[FG_UID_DELTA_TEXT_MAX + 1];
} fg_uid_buf;

/* A delta entry at offset at of a part of n bytes, decoded into buf. Every
 * bound is asserted (a snapshot's bytes were verified against the signed
 * journal; a builder wrote them): a broken one stops the process, it never
 * reads outside the part. Out of line: fg_m_uid's inline test is a head. */
const char *fg_m_uid_delta(const char *part, uint64_t n, uint64_t at, fg_uid_buf *buf);

/* The text of uid u of model m: in the blob (a head) or in buf (a delta).
 * The blob of each part ends with a NUL (the builder wrote it so, a
 * snapshot's reader checks it); a u at or past the total is a broken
 * invariant. */
static inline const char *fg_m_uid(const fg_model *m, fg_uid u, fg_uid_buf *buf) {
  if (u == 0) return "";
  const char *part = m->uid[0];
  uint64_t at = u, n = m->uid_bytes[0];
  if (at >= n) {
    at -= n;
    n = m->uid_bytes[1];
    part = m->uid[1];
    FG_ASSERT(at < n);
  }
  if (part[at] == FG_UID_HEAD) return part + at + 1;
  return fg_m_uid_delta(part, n, at, buf);
}

#endif
