/*
 * rule_kit.h — small helpers shared by the seven rule files (rules_person.c,
 * rules_contrib.c, rules_benefit.c, rules_retire.c, rules_medical.c,
 * rules_fund.c, rules_control.c):
 *
 *  - fg_rk, a reusable finding accumulator: evidence rows (capped at
 *    FG_RK_EVIDENCE_MAX, the rest counted and reported as "+N more") and a
 *    detail text (capped at FG_RK_DETAIL_MAX bytes). One fg_rk lives for one
 *    rule run, is reset per subject and emits at most one finding per subject
 *    through fg_findings_add (which copies), so nothing is allocated per row.
 *  - person lookups (birth, sex, death) over the model's person keys, with
 *    "none" when persons.csv has no row for the key.
 *  - fg_rk_reach_day: the date on which a person reaches an age given in
 *    months (the config's retirement-age table is in months).
 *  - a set of sids, a bit each: for rules that pick out the few payments
 *    some other table names without sorting all of them.
 *  - a text set: a few sids found by their text, for the rules that join a
 *    benefit payment's payment_id (an fg_uid, not interned: model.h) with
 *    the references of operations or transactions.
 *
 * Everything here is thread-safe as long as each rule run owns its fg_rk.
 */
#ifndef FG_SCREEN_RULE_KIT_H
#define FG_SCREEN_RULE_KIT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/date.h"
#include "common/fg.h"
#include "screen/screen.h"

/* At most this many evidence rows per finding; the rest are counted. */
#define FG_RK_EVIDENCE_MAX 1000
/* At most this many bytes of detail list items; the rest are counted. */
#define FG_RK_DETAIL_MAX 1024

typedef struct fg_rk {
  fg_evidence *ev; /* FG_RK_EVIDENCE_MAX entries */
  int32_t nev;
  int64_t ev_more;     /* evidence rows beyond the cap */
  fg_buf detail;       /* head text + list items */
  int64_t items_more;  /* list items beyond FG_RK_DETAIL_MAX */
  int32_t nitems;      /* list items in the current list */
  fg_month last_month; /* last month listed by fg_rk_item_month */
  bool sep_pending;    /* next fg_rk_text starts with "; " */
} fg_rk;

void fg_rk_init(fg_rk *rk);
void fg_rk_release(fg_rk *rk);
/* Forget the current subject's evidence and detail. */
void fg_rk_reset(fg_rk *rk);
bool fg_rk_empty(const fg_rk *rk);
/* Add one evidence row (table, rowid); duplicates are the caller's concern. */
void fg_rk_ev(fg_rk *rk, fg_table_id table, fg_rowid row);
/* Append free detail text (e.g. "periods "); starts a new list. */
void fg_rk_text(fg_rk *rk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make the next fg_rk_text (if any) start with "; " when detail is not empty. */
void fg_rk_sep(fg_rk *rk);
/* Append one list item ("2024-03"), comma-separated, capped. */
void fg_rk_item(fg_rk *rk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A month item; a month equal to the one listed just before is skipped, so
 * rows sorted by period list each period once. */
void fg_rk_item_month(fg_rk *rk, fg_month mo);
/* Emit one finding from the accumulated evidence and detail, then reset. */
void fg_rk_emit(fg_rk *rk, fg_findings *out, const char *rule, const char *subject_type,
                const char *subject_id, int64_t amount_fen);

/* Person facts by person key; FG_NODAY / FG_SEX_NONE when persons.csv has
 * no row for pk (or the row has no value). */
fg_day fg_rk_birth(const fg_model *m, fg_pk pk);
int fg_rk_sex(const fg_model *m, fg_pk pk);
/* persons row id of pk, or -1. */
fg_rowid fg_rk_person_row(const fg_model *m, fg_pk pk);
/* Add the deaths rows that give pk its earliest death_date as evidence. */
void fg_rk_ev_death(fg_rk *rk, const fg_model *m, fg_pk pk);

/* The day someone born on `birth` reaches an age of age_months months:
 * birth's year-month plus age_months, same day of month; when that day does
 * not exist in the target month (29-31), the age is reached on the 1st of the
 * following month. For whole years this is exactly fg_day_plus_years (a
 * 29 February birthday counts on 1 March in common years), so
 * "age(p, d) >= A months" <=> d >= fg_rk_reach_day(birth, A). */
fg_day fg_rk_reach_day(fg_day birth, int32_t age_months);
/* Age limit in months from the config for pk's sex and birth month in
 * category (FG_AGE_*), or -1 when pk has no persons row/sex/birth or no
 * config row applies. Writes the birth date to *birth. */
int32_t fg_rk_age_limit(const fg_config *cfg, const fg_model *m, fg_pk pk, int category,
                        fg_day *birth);

/* A set of the model's sids, a bit each (nstr / 8 bytes), empty; free() it. */
uint64_t *fg_rk_sids_new(const fg_model *m);
static inline void fg_rk_sids_add(uint64_t *set, fg_sid id) {
  set[id / 64] |= (uint64_t)1 << (id % 64);
}
static inline bool fg_rk_sids_has(const uint64_t *set, fg_sid id) {
  return (set[id / 64] >> (id % 64)) & 1;
}

/* Some sids of a model, found by text: an open-addressing table sized for
 * them (the references of a few hundred thousand operations at most), so
 * a lookup touches one or two slots in cache. */
typedef struct fg_rk_textset {
  const fg_model *m;
  uint64_t *slots; /* (hash << 32) | sid, 0 = empty */
  uint64_t mask; /* slots - 1 */
} fg_rk_textset;

/* The set of sids[0, n) (0s skipped, repeats kept once). */
void fg_rk_textset_init(fg_rk_textset *ts, const fg_model *m, const fg_sid *sids, int64_t n);
/* The sid of the set whose text is s, or 0. */
fg_sid fg_rk_textset_find(const fg_rk_textset *ts, const char *s);
void fg_rk_textset_release(fg_rk_textset *ts);

#endif
