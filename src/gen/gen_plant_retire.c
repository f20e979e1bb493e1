/*
 * gen_plant_retire.c — planted cases and near misses for retirement.*
 * (rules.md "Retirement approval"): altered birth dates on file, single
 * review of early / special-work / disability retirements, special-work
 * eligibility (8 years, 55 / 45) and normal retirement ages (60 / 50),
 * including a 29 February birthday in a common year.
 */
#include "gen/gen_internal.h"

/* One planted retiree; rule != NULL adds its truth row. */
static void fg_retire_case(fg_gen_plant *p, int sex, fg_day birth, const char *kind, fg_day retire,
                        fg_day on_file, int years, bool r1, bool r2, bool same,
                        const char *rule) {
  fg_gen_pp pp;
  fg_gen_pp_new(p, sex, birth, &pp);
  char s1[16], s2[16];
  fg_gen_p_staff(p, 'r', p->rep, s1);
  fg_gen_p_staff(p, 'r', same ? p->rep : p->rep + 1, s2);
  fg_gen_p_retire(p, &pp, kind, retire - 15, retire, on_file == FG_NODAY ? birth : on_file, years,
                  r1 ? s1 : NULL, r2 ? s2 : NULL);
  if (rule) fg_gen_truth_add(p, rule, pp.id, 0);
}

/* A birth date whose `age`-th birthday falls about `months_ago` months before as_of. */
static fg_day fg_born(const fg_gen_plant *p, int age, int months_ago, int k) {
  return fg_month_first_day(p->c->as_of_month - months_ago - 12 * age - p->rep) + 3 + k;
}

static void fg_birthdate_altered(fg_gen_plant *p) {
  fg_day b = fg_born(p, 60, 20, 0);
  fg_retire_case(p, 1, b, "normal", fg_birthday_at(b, 60), b - 365, -1, true, true, false,
              "retirement.birthdate_altered");
  b = fg_born(p, 50, 21, 1);
  fg_retire_case(p, 2, b, "normal", fg_birthday_at(b, 50), b + 1, -1, true, true, false,
              "retirement.birthdate_altered");
}

static void fg_single_review(fg_gen_plant *p) {
  fg_day b = fg_born(p, 55, 22, 0);
  fg_retire_case(p, 1, b, "early", fg_birthday_at(b, 55), FG_NODAY, -1, true, false, false,
              "retirement.single_review");
  b = fg_born(p, 52, 22, 1);
  fg_retire_case(p, 2, b, "disability", fg_birthday_at(b, 52), FG_NODAY, -1, true, true, true,
              "retirement.single_review");
  b = fg_born(p, 55, 22, 2);
  fg_retire_case(p, 1, b, "special_work", fg_birthday_at(b, 55), FG_NODAY, 10, false, false, false,
              "retirement.single_review");
  b = fg_born(p, 60, 22, 3); /* normal needs no second review: no fire */
  fg_retire_case(p, 1, b, "normal", fg_birthday_at(b, 60), FG_NODAY, -1, false, false, false, NULL);
  b = fg_born(p, 53, 22, 4); /* early with two reviewers: no fire */
  fg_retire_case(p, 2, b, "early", fg_birthday_at(b, 53), FG_NODAY, -1, true, true, false, NULL);
}

static void fg_special_work(fg_gen_plant *p) {
  fg_day b = fg_born(p, 55, 23, 0);
  fg_retire_case(p, 1, b, "special_work", fg_birthday_at(b, 55), FG_NODAY, 7, true, true, false,
              "retirement.special_work_ineligible");
  b = fg_born(p, 45, 23, 1);
  fg_retire_case(p, 2, b, "special_work", fg_birthday_at(b, 45), FG_NODAY, -1, true, true, false,
              "retirement.special_work_ineligible");
  b = fg_born(p, 55, 23, 2); /* the day before the 55th birthday */
  fg_retire_case(p, 1, b, "special_work", fg_birthday_at(b, 55) - 1, FG_NODAY, 10, true, true, false,
              "retirement.special_work_ineligible");
  b = fg_born(p, 55, 23, 3); /* exactly 55 with 8 years: no fire */
  fg_retire_case(p, 1, b, "special_work", fg_birthday_at(b, 55), FG_NODAY, 8, true, true, false,
              NULL);
  b = fg_born(p, 45, 23, 4); /* exactly 45: no fire */
  fg_retire_case(p, 2, b, "special_work", fg_birthday_at(b, 45), FG_NODAY, 20, true, true, false,
              NULL);
}

static void fg_underage(fg_gen_plant *p) {
  fg_day b = fg_born(p, 60, 24, 0);
  fg_retire_case(p, 1, b, "normal", fg_birthday_at(b, 60) - 1, FG_NODAY, -1, true, true, false,
              "retirement.underage");
  b = fg_born(p, 50, 24, 1);
  fg_retire_case(p, 2, b, "normal", fg_birthday_at(b, 50) - 1, FG_NODAY, -1, true, true, false,
              "retirement.underage");
  /* 29 February birth, 50th year common: 28 Feb is 49 (fires), 1 March is 50 */
  int y = fg_month_year(p->c->as_of_month) - 52 - 4 * p->rep;
  while (!fg_is_leap(y)) y--;
  const fg_day leap = fg_day_from_ymd(y, 2, 29);
  fg_retire_case(p, 2, leap, "normal", fg_day_from_ymd(y + 50, 2, 28), FG_NODAY, -1, true, true,
              false, "retirement.underage");
  fg_retire_case(p, 2, leap, "normal", fg_day_from_ymd(y + 50, 3, 1), FG_NODAY, -1, true, true,
              false, NULL);
  b = fg_born(p, 60, 24, 2); /* exactly 60: no fire */
  fg_retire_case(p, 1, b, "normal", fg_birthday_at(b, 60), FG_NODAY, -1, true, true, false, NULL);
}

void fg_gen_plant_retire(fg_gen_plant *p) {
  fg_birthdate_altered(p);
  fg_single_review(p);
  fg_special_work(p);
  fg_underage(p);
}
