/*
 * gen_plant_identity.c — planted cases and near misses for identity.* and
 * enrollment.* (rules.md "Identity and enrollment"). Each planted person
 * carries only the rows its case needs, so it raises nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "fields/fields.h"
#include "gen/gen_internal.h"

static fg_day fg_adult_birth(const fg_gen_plant *p, int years) {
  return fg_day_minus_years(p->c->as_of, years) - 37 * p->rep - 11;
}

/* A person row with an explicit id (invalid or mismatching on purpose); it
 * takes a slot, so persons.csv holds exactly --persons rows. */
static void fg_raw_person(fg_gen_plant *p, const char *id, int sex, fg_day birth) {
  p->next_slot++;
  char name[FG_GEN_NAME_MAX];
  fg_gen_name(&p->rng, sex, name);
  fg_gen_row(p->o, FG_T_PERSONS, "sssds", id, name, sex == 1 ? "1" : "2", birth,
             fg_gen_city_regions[0]);
}

static void fg_invalid_ids(fg_gen_plant *p) {
  const fg_day b = fg_adult_birth(p, 40);
  char id[32];
  /* wrong check character */
  fg_gen_person_id(p->next_slot, 1, b, id);
  id[17] = id[17] == '0' ? '1' : '0';
  fg_raw_person(p, id, 1, b);
  fg_gen_truth_add(p, "identity.invalid_id", id, 0);
  /* a 15-digit legacy number */
  snprintf(id, sizeof id, "4101027%02d101%03d", p->rep % 100, 101 + p->rep);
  fg_raw_person(p, id, 1, b);
  fg_gen_truth_add(p, "identity.invalid_id", id, 0);
  /* birth part after as_of (check char right) */
  const fg_day future = p->c->as_of + 30 + p->rep;
  fg_gen_id_make("410102", future, 301 + 2 * p->rep, id);
  fg_raw_person(p, id, 1, future);
  fg_gen_truth_add(p, "identity.invalid_id", id, 0);
  /* first two digits not a province-level code */
  fg_gen_id_make("990102", b, 303 + 2 * p->rep, id);
  fg_raw_person(p, id, 1, b);
  fg_gen_truth_add(p, "identity.invalid_id", id, 0);
  /* birth part not a real date: 30 February */
  snprintf(id, sizeof id, "41010219900230%03d", 305 + 2 * p->rep);
  id[17] = fg_gb11643_check_char(id);
  id[18] = '\0';
  fg_raw_person(p, id, 1, fg_day_from_ymd(1990, 2, 28));
  fg_gen_truth_add(p, "identity.invalid_id", id, 0);
}

/* Valid numbers that look odd: none fires. */
static void fg_valid_near_misses(fg_gen_plant *p) {
  const fg_day b = fg_adult_birth(p, 33);
  char id[32];
  /* permanent residence number, female with an odd sequence: parity is not compared */
  fg_gen_id_make("911010", b, 401 + 2 * p->rep, id);
  fg_raw_person(p, id, 2, b);
  /* a code that is no current county (valid: only the province is checked),
   * check char X written as lower-case x (import upper-cases it) */
  for (int seq = 500 + 100 * p->rep; seq < 600 + 100 * p->rep; seq++) {
    fg_gen_id_make("410199", b, seq % 1000, id);
    if (id[17] == 'X') {
      id[17] = 'x';
      fg_raw_person(p, id, seq % 2 ? 1 : 2, b);
      break;
    }
  }
  /* a 29 February birth that matches */
  int y = fg_month_year(p->c->as_of_month) - 30 - 4 * p->rep;
  while (!fg_is_leap(y)) y--;
  fg_gen_pp pp;
  fg_gen_pp_new(p, 2, fg_day_from_ymd(y, 2, 29), &pp);
}

static void fg_id_mismatch(fg_gen_plant *p) {
  const fg_day b = fg_adult_birth(p, 45);
  char id[32];
  fg_gen_person_id(p->next_slot, 1, b, id);
  fg_raw_person(p, id, 1, b + 1); /* birth_date one day off */
  fg_gen_truth_add(p, "identity.id_mismatch", id, 0);
  fg_gen_person_id(p->next_slot, 1, b, id);
  fg_raw_person(p, id, 2, b); /* odd sequence, sex female */
  fg_gen_truth_add(p, "identity.id_mismatch", id, 0);
  fg_gen_id_make("911010", b, 601 + 2 * p->rep, id);
  fg_raw_person(p, id, 1, b - 1); /* permanent residence number: birth is compared */
  fg_gen_truth_add(p, "identity.id_mismatch", id, 0);
}

static void fg_over_age(fg_gen_plant *p) {
  fg_gen_pp pp;
  const fg_day bm = fg_adult_birth(p, 64);
  fg_gen_pp_new(p, 1, bm, &pp); /* male enrolled on his 60th birthday: fires */
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_birthday_at(bm, 60), FG_NODAY);
  fg_gen_truth_add(p, "enrollment.over_age", pp.id, 0);
  fg_gen_pp_new(p, 2, bm - 5, &pp); /* female enrolled on her 55th birthday: fires */
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_birthday_at(bm - 5, 55), FG_NODAY);
  fg_gen_truth_add(p, "enrollment.over_age", pp.id, 0);
  fg_gen_pp_new(p, 1, bm - 9, &pp); /* the day before: no fire */
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_birthday_at(bm - 9, 60) - 1, FG_NODAY);
  fg_gen_pp_new(p, 1, bm - 13, &pp); /* earliest at 30, a later one at 61: no fire */
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_birthday_at(bm - 13, 30),
                  fg_birthday_at(bm - 13, 40));
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_birthday_at(bm - 13, 61), FG_NODAY);
  /* 29 February births, 55th year common: 28 Feb is age 54 (no fire),
   * 1 March is age 55 (fires). */
  int y = fg_month_year(p->c->as_of_month) - 57 - 4 * p->rep;
  while (!fg_is_leap(y)) y--;
  const fg_day leap = fg_day_from_ymd(y, 2, 29);
  fg_gen_pp_new(p, 2, leap, &pp);
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_day_from_ymd(y + 55, 2, 28), FG_NODAY);
  fg_gen_pp_new(p, 2, leap, &pp);
  fg_gen_p_enroll(p, &pp, "110", NULL, fg_day_from_ymd(y + 55, 3, 1), FG_NODAY);
  fg_gen_truth_add(p, "enrollment.over_age", pp.id, 0);
}

static void fg_duplicate(fg_gen_plant *p) {
  fg_gen_pp pp;
  const fg_day d1 = fg_day_minus_years(p->c->as_of, 6) + p->rep, d2 = d1 + 700;
  fg_gen_pp_new(p, 1, fg_adult_birth(p, 36), &pp); /* end_date == other start: fires */
  fg_gen_p_enroll(p, &pp, "110", NULL, d1, d2);
  fg_gen_p_enroll(p, &pp, "110", NULL, d2, FG_NODAY);
  fg_gen_truth_add(p, "enrollment.duplicate", pp.id, 0);
  fg_gen_pp_new(p, 2, fg_adult_birth(p, 37), &pp); /* 310 and 390 overlap: fires */
  fg_gen_p_enroll(p, &pp, "310", NULL, d1, FG_NODAY);
  fg_gen_p_enroll(p, &pp, "390", NULL, d1 + 100, d1 + 200);
  fg_gen_truth_add(p, "enrollment.duplicate", pp.id, 0);
  fg_gen_pp_new(p, 1, fg_adult_birth(p, 38), &pp); /* 120 and 170 overlap: fires */
  fg_gen_p_enroll(p, &pp, "120", NULL, d1, d2);
  fg_gen_p_enroll(p, &pp, "170", NULL, d2 - 100, FG_NODAY);
  fg_gen_truth_add(p, "enrollment.duplicate", pp.id, 0);
  /* near misses: the day before; 410 twice; different groups overlapping */
  fg_gen_pp_new(p, 2, fg_adult_birth(p, 39), &pp);
  fg_gen_p_enroll(p, &pp, "110", NULL, d1, d2);
  fg_gen_p_enroll(p, &pp, "110", NULL, d2 + 1, FG_NODAY);
  fg_gen_p_enroll(p, &pp, "390", NULL, d1 - 400, d1 - 1);
  fg_gen_p_enroll(p, &pp, "310", NULL, d1, FG_NODAY);
  fg_gen_p_enroll(p, &pp, "410", NULL, d1, FG_NODAY);
  fg_gen_p_enroll(p, &pp, "410", NULL, d1 + 10, FG_NODAY);
  fg_gen_p_enroll(p, &pp, "210", NULL, d1, d2);
  fg_gen_p_enroll(p, &pp, "510", NULL, d1, FG_NODAY);
}

void fg_gen_plant_identity(fg_gen_plant *p) {
  fg_invalid_ids(p);
  fg_valid_near_misses(p);
  fg_id_mismatch(p);
  fg_over_age(p);
  fg_duplicate(p);
}
