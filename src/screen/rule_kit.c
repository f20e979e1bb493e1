/*
 * rule_kit.c — the finding accumulator, person lookups and age-in-months
 * arithmetic that the person-centred rule files share (see rule_kit.h).
 */
#include "screen/rule_kit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build.h"

/* Longest single detail list item or text piece we format. */
enum { FG_RK_PIECE_MAX = 256 };

void fg_rk_init(fg_rk *rk) {
  FG_ASSERT(rk != NULL);
  rk->ev = fg_xcalloc(FG_RK_EVIDENCE_MAX, sizeof rk->ev[0]);
  rk->detail = (fg_buf)FG_BUF_INIT;
  fg_buf_grow(&rk->detail, FG_RK_DETAIL_MAX + FG_RK_PIECE_MAX);
  fg_rk_reset(rk);
}

void fg_rk_release(fg_rk *rk) {
  FG_ASSERT(rk != NULL);
  free(rk->ev);
  rk->ev = NULL;
  fg_buf_release(&rk->detail);
}

void fg_rk_reset(fg_rk *rk) {
  FG_ASSERT(rk != NULL && rk->ev != NULL);
  rk->nev = 0;
  rk->ev_more = 0;
  rk->items_more = 0;
  rk->nitems = 0;
  rk->last_month = FG_NOMONTH;
  rk->sep_pending = false;
  fg_buf_reset(&rk->detail);
}

bool fg_rk_empty(const fg_rk *rk) { return rk->nev == 0 && rk->ev_more == 0; }

void fg_rk_ev(fg_rk *rk, fg_table_id table, fg_rowid row) {
  FG_ASSERT(table < FG_T_COUNT);
  FG_ASSERT(rk->nev >= 0 && rk->nev <= FG_RK_EVIDENCE_MAX);
  if (rk->nev == FG_RK_EVIDENCE_MAX) {
    rk->ev_more++;
    return;
  }
  rk->ev[rk->nev].table = (uint8_t)table;
  rk->ev[rk->nev].row = row;
  rk->nev++;
}

void fg_rk_text(fg_rk *rk, const char *fmt, ...) {
  char piece[FG_RK_PIECE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(piece, sizeof piece, fmt, ap);
  va_end(ap);
  rk->nitems = 0;
  rk->last_month = FG_NOMONTH;
  if (rk->sep_pending && rk->detail.len > 0) fg_buf_adds(&rk->detail, "; ");
  rk->sep_pending = false;
  fg_buf_adds(&rk->detail, piece);
}

void fg_rk_sep(fg_rk *rk) { rk->sep_pending = true; }

void fg_rk_item(fg_rk *rk, const char *fmt, ...) {
  if (rk->detail.len >= FG_RK_DETAIL_MAX) {
    rk->items_more++;
    return;
  }
  char piece[FG_RK_PIECE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(piece, sizeof piece, fmt, ap);
  va_end(ap);
  if (rk->nitems > 0) fg_buf_addc(&rk->detail, ',');
  fg_buf_adds(&rk->detail, piece);
  rk->nitems++;
}

void fg_rk_item_month(fg_rk *rk, fg_month mo) {
  char buf[8];
  FG_ASSERT(mo != FG_NOMONTH);
  if (mo == rk->last_month) return;
  rk->last_month = mo;
  fg_format_month(mo, buf);
  fg_rk_item(rk, "%s", buf);
}

void fg_rk_emit(fg_rk *rk, fg_findings *out, const char *rule, const char *subject_type,
                const char *subject_id, int64_t amount_fen) {
  FG_ASSERT(out != NULL && rule != NULL && subject_type != NULL && subject_id != NULL);
  FG_ASSERT(amount_fen >= 0);
  if (rk->items_more > 0) fg_buf_addf(&rk->detail, "（另有 %lld 项）", (long long)rk->items_more);
  if (rk->ev_more > 0)
    fg_buf_addf(&rk->detail, "；另有 %lld 条证据行", (long long)rk->ev_more);
  fg_findings_add(out, rule, subject_type, subject_id, amount_fen,
                  rk->detail.buf != NULL ? rk->detail.buf : "", rk->ev, rk->nev);
  fg_rk_reset(rk);
}

static const fg_m_person *fg_rk_person(const fg_model *m, fg_pk pk) {
  FG_ASSERT(m != NULL && pk >= 0 && pk < m->npk);
  int32_t ix = m->pk_person[pk];
  if (ix < 0) return NULL;
  FG_ASSERT(ix < m->npersons);
  return &m->persons[ix];
}

fg_day fg_rk_birth(const fg_model *m, fg_pk pk) {
  const fg_m_person *p = fg_rk_person(m, pk);
  return p != NULL ? p->birth : FG_NODAY;
}

int fg_rk_sex(const fg_model *m, fg_pk pk) {
  const fg_m_person *p = fg_rk_person(m, pk);
  return p != NULL ? p->sex : FG_SEX_NONE;
}

fg_rowid fg_rk_person_row(const fg_model *m, fg_pk pk) {
  const fg_m_person *p = fg_rk_person(m, pk);
  return p != NULL ? (fg_rowid)p->row : -1;
}

void fg_rk_ev_death(fg_rk *rk, const fg_model *m, fg_pk pk) {
  FG_ASSERT(pk >= 0 && pk < m->npk);
  fg_day dd = m->pk_death[pk];
  if (dd == FG_NODAY || m->deaths_off == NULL) return;
  for (int64_t i = m->deaths_off[pk]; i < m->deaths_off[pk + 1]; i++)
    if (m->deaths[i].death_date == dd) fg_rk_ev(rk, FG_T_DEATHS, m->deaths[i].row);
}

fg_day fg_rk_reach_day(fg_day birth, int32_t age_months) {
  FG_ASSERT(birth != FG_NODAY);
  FG_ASSERT(age_months >= 0);
  int by, bm, bd;
  fg_ymd_from_day(birth, &by, &bm, &bd);
  fg_month target = fg_month_from_ym(by, bm) + age_months;
  int ty = fg_month_year(target), tm = fg_month_mon(target);
  if (bd <= fg_days_in_month(ty, tm)) return fg_day_from_ymd(ty, tm, bd);
  return fg_month_first_day(target + 1);
}

int32_t fg_rk_age_limit(const fg_config *cfg, const fg_model *m, fg_pk pk, int category,
                        fg_day *birth) {
  FG_ASSERT(cfg != NULL && birth != NULL);
  FG_ASSERT(category >= 0 && category < FG_AGE_CATEGORIES);
  *birth = fg_rk_birth(m, pk);
  int sex = fg_rk_sex(m, pk);
  if (*birth == FG_NODAY || (sex != FG_SEX_MALE && sex != FG_SEX_FEMALE)) return -1;
  return fg_config_age_months(cfg, sex, category, fg_month_of_day(*birth));
}

uint64_t *fg_rk_sids_new(const fg_model *m) {
  FG_ASSERT(m != NULL);
  return fg_xcalloc((size_t)m->nstr / 64 + 1, sizeof(uint64_t));
}

/* ---- text sets ------------------------------------------------------------ */

void fg_rk_textset_init(fg_rk_textset *ts, const fg_model *m, const fg_sid *sids, int64_t n) {
  FG_ASSERT(ts && m && n >= 0 && (uint64_t)n < ((uint64_t)1 << 40));
  uint64_t nslots = 64;
  while (nslots < 4 * (uint64_t)n) nslots *= 2; /* load at most 1/4: most lookups miss */
  ts->m = m;
  ts->slots = fg_xcalloc((size_t)nslots, sizeof *ts->slots);
  ts->mask = nslots - 1;
  for (int64_t i = 0; i < n; i++) {
    const fg_sid id = sids[i];
    if (id == 0) continue;
    FG_ASSERT(id < m->nstr);
    const char *s = m->str[id];
    const uint32_t h = fg_mb_hash(s, strlen(s));
    uint64_t k = h & ts->mask;
    while (ts->slots[k] && (fg_sid)ts->slots[k] != id) k = (k + 1) & ts->mask;
    ts->slots[k] = ((uint64_t)h << 32) | id; /* equal texts have equal sids: one slot per text */
  }
}

fg_sid fg_rk_textset_find(const fg_rk_textset *ts, const char *s) {
  FG_ASSERT_HOT(ts && ts->slots && s);
  const size_t n = strlen(s);
  const uint32_t h = fg_mb_hash(s, n);
  for (uint64_t k = h & ts->mask;; k = (k + 1) & ts->mask) {
    const uint64_t slot = ts->slots[k];
    if (slot == 0) return 0;
    if ((uint32_t)(slot >> 32) != h) continue; /* the text is read only when the hashes agree */
    const fg_sid id = (fg_sid)slot;
    const char *t = ts->m->str[id];
    if (memcmp(t, s, n) == 0 && t[n] == '\0') return id;
  }
}

void fg_rk_textset_release(fg_rk_textset *ts) {
  free(ts->slots);
  memset(ts, 0, sizeof *ts);
}
