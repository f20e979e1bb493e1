/*
 * gen_internal.h — what the generator's files share: the random streams,
 * the per-table output buffers with fast row formatting, the run context
 * (dates, pools of staff, employers and institutions, the catalogue), the
 * identity-number makers, and the planted-case toolkit with the truth list.
 *
 * File map: gen_run.c (options, threads, files, encoding, truth file),
 * gen_emit.c (buffers, row formatter, rng, ids, names), gen_world.c
 * (employers, institutions, catalogue, wage bases, fund ledger, staff),
 * gen_person.c (the background person model), gen_plant_*.c (planted cases
 * and near misses, one file per rule family), gen_regions.c (county codes).
 */
#ifndef FG_GEN_GEN_INTERNAL_H
#define FG_GEN_GEN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "common/date.h"
#include "common/fg.h"
#include "config/config.h"
#include "gen/gen.h"
#include "schema/schema.h"

#define FG_GEN_REGION_LEN 6
#define FG_GEN_ID_LEN 18
#define FG_GEN_SEQ_PER_SEX 500      /* 3-digit sequence numbers of one parity */
#define FG_GEN_HISTORY_MONTHS 120   /* about ten years of history */
#define FG_GEN_PERSONS_MIN 1000     /* the planted cases fit in this many */
#define FG_GEN_REPS_PER_PERSONS 250000 /* one more planted set per this many */
#define FG_GEN_NAME_MAX 64
#define FG_GEN_SID_MAX 64

/* ---- random streams (xoshiro256** seeded by splitmix64) ---------------- */
typedef struct fg_gen_rng {
  uint64_t s[4];
} fg_gen_rng;
enum { FG_GEN_STREAM_PERSON = 1, FG_GEN_STREAM_WORLD = 2, FG_GEN_STREAM_PLANT = 3 };
void fg_gen_rng_init(fg_gen_rng *r, uint64_t seed, uint64_t stream, uint64_t index);
uint64_t fg_gen_rng_u64(fg_gen_rng *r);
/* uniform in [0, n) */
uint32_t fg_gen_rng_below(fg_gen_rng *r, uint32_t n);
/* uniform in [lo, hi] */
int64_t fg_gen_rng_range(fg_gen_rng *r, int64_t lo, int64_t hi);
/* true with probability per_mille / 1000 */
bool fg_gen_rng_chance(fg_gen_rng *r, uint32_t per_mille);

/* ---- output buffers ---------------------------------------------------- */
typedef struct fg_gen_out {
  fg_buf t[FG_T_COUNT];
  int64_t rows[FG_T_COUNT];
} fg_gen_out;
void fg_gen_out_init(fg_gen_out *o);
void fg_gen_out_reset(fg_gen_out *o);
void fg_gen_out_release(fg_gen_out *o);

/* Append one row to table t. fmt has one letter per column (asserted against
 * the schema): s = const char * (NULL = empty), i = int64_t (< 0 = empty), d = fg_day
 * (FG_NODAY = empty), m = fg_month, y = money int64_t fen (< 0 = empty),
 * q = quantity int64_t thousandths (< 0 = empty), t = timestamp int64_t s. */
void fg_gen_row(fg_gen_out *o, fg_table_id t, const char *fmt, ...);

/* ---- identifiers, names ------------------------------------------------ */
extern const char fg_gen_county_codes[];
extern const int fg_gen_county_count;
/* Valid GB 11643 number for a person slot: county = slot mod counties,
 * sequence = 2 x (slot / counties) + (male ? 1 : 0). Unique per slot. */
void fg_gen_person_id(int64_t slot, int sex, fg_day birth, char out[FG_GEN_ID_LEN + 1]);
/* 17 digits + check char from a 6-char prefix, birth and 3-digit sequence. */
void fg_gen_id_make(const char prefix6[6], fg_day birth, int seq, char out[FG_GEN_ID_LEN + 1]);
/* Valid GB 32100 code for employer index idx. */
void fg_gen_employer_id(int64_t idx, char out[FG_GEN_ID_LEN + 1]);
void fg_gen_bank_account(int64_t slot, char out[24]);
void fg_gen_name(fg_gen_rng *r, int sex, char out[FG_GEN_NAME_MAX]);
/* Average monthly wage of the city for a year, fen; floor = 60 %, cap = 300 %. */
int64_t fg_gen_avg_wage_fen(int year);
int64_t fg_gen_wage_floor_fen(int year);
int64_t fg_gen_wage_cap_fen(int year);

/* ---- catalogue --------------------------------------------------------- */
typedef struct fg_gen_item {
  const char *code, *name, *category;
  char in_scope;
  int64_t max_price_fen;  /* -1 = none */
  int64_t max_qty_milli;  /* -1 = none */
  int sex_limit;          /* 0 = none */
  int min_age, max_age;   /* -1 = none */
} fg_gen_item;
enum {
  FG_GEN_IT_AMOX, FG_GEN_IT_CEFIX, FG_GEN_IT_IBU, FG_GEN_IT_DANSHEN, FG_GEN_IT_BLOOD,
  FG_GEN_IT_CT, FG_GEN_IT_INFUSION, FG_GEN_IT_INFSET, FG_GEN_IT_BED, FG_GEN_IT_CARE,
  FG_GEN_IT_PSA, FG_GEN_IT_CERVIX, FG_GEN_IT_CHILD, FG_GEN_IT_ADULT, FG_GEN_IT_OUT,
  FG_GEN_IT_FREE, FG_GEN_IT_COUNT
};
extern const fg_gen_item fg_gen_items[FG_GEN_IT_COUNT];
#define FG_GEN_GENERAL_ITEMS 8 /* items 0..7: no sex or age limit, not bed */

/* ---- run context ------------------------------------------------------- */
#define FG_GEN_CITY_REGIONS 8
extern const char *const fg_gen_city_regions[FG_GEN_CITY_REGIONS];

/* (v1.3) The city's social insurance agencies: [0] the city's, then one per
 * district in fg_gen_city_regions order. */
enum { FG_GEN_AGENCIES = 1 + FG_GEN_CITY_REGIONS };
typedef struct fg_gen_agency {
  const char *id, *name, *region;
} fg_gen_agency;
extern const fg_gen_agency fg_gen_agencies[FG_GEN_AGENCIES];

typedef struct fg_gen_ctx {
  const fg_gen_opts *opts;
  fg_config *cfg;
  fg_day as_of;
  fg_month as_of_month;
  fg_month hist_first_month; /* first month of the background history */
  fg_day hist_first_day;
  int reps;                  /* planted sets */
  int64_t nemployers;
  int64_t ninstitutions;     /* background institutions H0001.. (open agreements) */
  int64_t first_bg_slot;     /* background persons are slots first_bg_slot .. persons-1 */
  /* staff pools (indexes into staff ids "ST%04d") */
  int nstaff;
  int nhandlers, nreviewers, napprovers;
  int handlers[64], reviewers[64], approvers[64];
} fg_gen_ctx;

void fg_gen_staff_id(int idx, char out[16]);
void fg_gen_inst_id(int64_t idx, char out[16]);
/* A timestamp on the first working day >= day, between 08:30 and 18:30. */
int64_t fg_gen_worktime(const fg_gen_ctx *c, fg_gen_rng *r, fg_day day);
/* (rules.md v1.3) Months the statutory age of someone born on birth with
 * original age o (60, 55, 50) exceeds o years, by the generator's config
 * (the 2025 law's schedules), and the date birth plus o years and
 * delay + delta_months months (delta 0: the statutory date). */
int fg_gen_delay_months(const fg_gen_ctx *c, fg_day birth, int o);
fg_day fg_gen_statutory(const fg_gen_ctx *c, fg_day birth, int o, int delta_months);
/* Pick two distinct staff of a pool. */
void fg_gen_pick2(fg_gen_rng *r, const int *pool, int n, int *a, int *b);

/* ---- world, background ------------------------------------------------- */
void fg_gen_world(fg_gen_ctx *c, fg_gen_out *o);
void fg_gen_person_bg(const fg_gen_ctx *c, int64_t slot, fg_gen_out *o);

/* ---- planted cases ----------------------------------------------------- */
typedef struct fg_gen_truth {
  const char *rule;
  char sid[FG_GEN_SID_MAX];
  int64_t amount_fen;
} fg_gen_truth;

typedef struct fg_gen_plant {
  const fg_gen_ctx *c;
  fg_gen_out *o;
  fg_gen_rng rng;
  int rep;
  int64_t next_slot;
  int64_t nsettle, npay, nop, ntxn, ninst, nstaff, ninvalid;
  fg_gen_truth *truth;
  size_t ntruth, cap;
} fg_gen_plant;

/* A planted person: valid id matching sex and birth, own bank account. */
typedef struct fg_gen_pp {
  char id[FG_GEN_ID_LEN + 1];
  int sex;
  fg_day birth;
  char bank[24];
  const char *region;
} fg_gen_pp;

void fg_gen_truth_add(fg_gen_plant *p, const char *rule, const char *sid, int64_t amount_fen);
const char *fg_gen_rule_subject_type(const char *rule); /* NULL when unknown */
void fg_gen_pp_new(fg_gen_plant *p, int sex, fg_day birth, fg_gen_pp *pp);
/* Row helpers for planted cases (write to p->o). */
void fg_gen_p_pay(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme, const char *type,
                  fg_month period, int64_t amount_fen, const char *bank, char pid_out[32]);
void fg_gen_p_contrib(fg_gen_plant *p, const fg_gen_pp *pp, const char *employer,
                      const char *scheme, fg_month period, int64_t base_fen, fg_day paid,
                      const char *kind);
void fg_gen_p_enroll(fg_gen_plant *p, const fg_gen_pp *pp, const char *scheme,
                     const char *employer, fg_day start, fg_day end);
/* original_age 0 and contribution_months -1 write empty fields (v1.2 rows). */
void fg_gen_p_retire(fg_gen_plant *p, const fg_gen_pp *pp, const char *kind, fg_day approved,
                     fg_day retire, fg_day birth_on_file, int sw_years, const char *r1,
                     const char *r2, int original_age, int contribution_months);
/* A lawful kind for a retirement on `day` of someone born on birth with
 * original age o: "normal" on or after the statutory date, else
 * "flexible_early" (asserted to be in its range). */
const char *fg_gen_lawful_kind(const fg_gen_ctx *c, fg_day birth, int o, fg_day day);
void fg_gen_p_settle(fg_gen_plant *p, const fg_gen_pp *pp, const char *inst, const char *scheme,
                     bool inpatient, fg_day admit, fg_day discharge, const char *diag,
                     const char *invoice, int64_t fund_paid_fen, fg_day settled,
                     char sid_out[32]);
/* One item line; fund_fen < 0 means fund = amount. Returns the line amount. */
int64_t fg_gen_p_item(fg_gen_plant *p, const char *sid, int line, const char *code, fg_day day,
                      int64_t qty_milli, int64_t price_fen, int64_t fund_fen);
void fg_gen_p_op(fg_gen_plant *p, const char *type, const char *op, const char *rev,
                 const char *appr, const char *subject, const char *ref, int64_t amount_fen,
                 int64_t at_s, char oid_out[32]);
void fg_gen_p_txn(fg_gen_plant *p, const char *acct, fg_day day, const char *dir,
                  int64_t amount_fen, const char *cp_acct, const char *cp_kind, const char *ref,
                  const char *purpose, char tid_out[32]);
/* A background reviewer / handler / approver staff id by pool position. */
void fg_gen_p_staff(const fg_gen_plant *p, char which, int k, char out[16]);

/* Planted families (one file each). */
void fg_gen_plant_identity(fg_gen_plant *p);     /* identity.*, enrollment.* */
void fg_gen_plant_contrib(fg_gen_plant *p);      /* contribution.* */
void fg_gen_plant_benefit(fg_gen_plant *p);      /* benefit.* */
void fg_gen_plant_retire(fg_gen_plant *p);       /* retirement.* */
void fg_gen_plant_medical(fg_gen_plant *p);      /* medical.*, institution.* */
void fg_gen_plant_fund(fg_gen_plant *p);         /* fund.* */
void fg_gen_plant_control(fg_gen_plant *p);      /* control.* */

#endif
