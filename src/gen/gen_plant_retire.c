/*
 * gen_plant_retire.c — planted cases and near misses for retirement.*
 * (rules.md "Retirement approval"): altered birth dates on file, single
 * review of early / special-work / disability retirements, special-work
 * eligibility (8 years, 55 / 45), and (v1.3, the 2025 law) the statutory
 * date of normal retirements, flexible early and late retirement and the
 * minimum contribution months, for men, women cadres and women workers
 * born on both sides of each schedule's first birth month, including a
 * 29 February birthday in a common year and births on the 29th-31st.
 */
#include "gen/gen_internal.h"

/* One planted retiree (original age and contribution months empty); rule
 * != NULL adds its truth row. kind NULL: the lawful kind for the date
 * (fg_gen_lawful_kind). */
static void fg_retire_case(fg_gen_plant *p, int sex, fg_day birth, const char *kind, fg_day retire,
                        fg_day on_file, int years, bool r1, bool r2, bool same,
                        const char *rule) {
  fg_gen_pp pp;
  fg_gen_pp_new(p, sex, birth, &pp);
  char s1[16], s2[16];
  fg_gen_p_staff(p, 'r', p->rep, s1);
  fg_gen_p_staff(p, 'r', same ? p->rep : p->rep + 1, s2);
  if (kind == NULL) kind = fg_gen_lawful_kind(p->c, birth, sex == 1 ? 60 : 50, retire);
  fg_gen_p_retire(p, &pp, kind, retire - 15, retire, on_file == FG_NODAY ? birth : on_file, years,
                  r1 ? s1 : NULL, r2 ? s2 : NULL, 0, -1);
  if (rule) fg_gen_truth_add(p, rule, pp.id, 0);
}

/* One v1.3 retiree: original age o written when write_o, contribution
 * months (-1 empty); every rule in rules (NULL-terminated) must find them. */
static void fg_law_case(fg_gen_plant *p, int sex, fg_day birth, int o, bool write_o,
                        const char *kind, fg_day retire, int months, const char *const *rules) {
  fg_gen_pp pp;
  fg_gen_pp_new(p, sex, birth, &pp);
  char s1[16], s2[16];
  fg_gen_p_staff(p, 'r', p->rep, s1);
  fg_gen_p_staff(p, 'r', p->rep + 1, s2);
  fg_gen_p_retire(p, &pp, kind, retire - 20, retire, birth, -1, s1, s2, write_o ? o : 0, months);
  for (; rules && *rules; rules++) fg_gen_truth_add(p, *rules, pp.id, 0);
}

/* A birth date whose `age`-th birthday falls about `months_ago` months before as_of. */
static fg_day fg_born(const fg_gen_plant *p, int age, int months_ago, int k) {
  return fg_month_first_day(p->c->as_of_month - months_ago - 12 * age - p->rep) + 3 + k;
}

static void fg_birthdate_altered(fg_gen_plant *p) {
  fg_day b = fg_born(p, 60, 20, 0);
  fg_retire_case(p, 1, b, NULL, fg_birthday_at(b, 60), b - 365, -1, true, true, false,
              "retirement.birthdate_altered");
  b = fg_born(p, 50, 21, 1);
  fg_retire_case(p, 2, b, NULL, fg_birthday_at(b, 50), b + 1, -1, true, true, false,
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
  fg_retire_case(p, 1, b, "normal", fg_gen_statutory(p->c, b, 60, 0), FG_NODAY, -1, false, false,
                 false, NULL);
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
  fg_retire_case(p, 1, b, "normal", fg_gen_statutory(p->c, b, 60, 0) - 1, FG_NODAY, -1, true, true,
                 false, "retirement.underage");
  b = fg_born(p, 50, 24, 1);
  fg_retire_case(p, 2, b, "normal", fg_gen_statutory(p->c, b, 50, 0) - 1, FG_NODAY, -1, true, true,
                 false, "retirement.underage");
  /* 29 February birth, 50th year common: 28 Feb is 49 (fires), 1 March is 50 */
  int y = fg_month_year(p->c->as_of_month) - 52 - 4 * p->rep;
  while (!fg_is_leap(y)) y--;
  const fg_day leap = fg_day_from_ymd(y, 2, 29);
  const fg_day due = fg_gen_statutory(p->c, leap, 50, 0); /* 1 March, then the law's delay */
  fg_retire_case(p, 2, leap, "normal", due - 1, FG_NODAY, -1, true, true, false,
                 "retirement.underage");
  fg_retire_case(p, 2, leap, "normal", due, FG_NODAY, -1, true, true, false, NULL);
  b = fg_born(p, 60, 24, 2); /* exactly the statutory date: no fire */
  fg_retire_case(p, 1, b, "normal", fg_gen_statutory(p->c, b, 60, 0), FG_NODAY, -1, true, true,
                 false, NULL);
}

/* The three schedules of the 2025 law (rules.md v1.3). */
static const struct {
  int sex, o, first_year;
  bool o_optional; /* O may be left empty (60 men, 50 women) */
} fg_law[] = {{1, 60, 1965, true}, {2, 55, 1970, false}, {2, 50, 1975, true}};

/* A birth date in month m whose day is 10, or (every third rep) the
 * month's last day, so the 29th-31st are planted too. */
static fg_day fg_law_birth(const fg_gen_plant *p, fg_month m, int k) {
  return (p->rep + k) % 3 == 2 ? fg_month_last_day(m) : fg_month_first_day(m) + 9;
}

/* retirement.underage against the statutory date: for each schedule a
 * birth in the month before its first month (the old age applies) and one
 * in its first steps (rep-dependent), retired the day before (fires) and on
 * the statutory date (no fire); one retired on the O-th birthday, which
 * the fixed ages of v1.2 would have passed. */
static void fg_underage_2025(fg_gen_plant *p) {
  static const char *const fire[] = {"retirement.underage", NULL};
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_law); i++) {
    const int sex = fg_law[i].sex, o = fg_law[i].o;
    const bool wo = !fg_law[i].o_optional || p->rep % 2 == 0;
    const fg_month first = fg_month_from_ym(fg_law[i].first_year, 1);
    fg_day b = fg_law_birth(p, first - 1 - p->rep % 4, 0);
    fg_day due = fg_gen_statutory(p->c, b, o, 0);
    fg_law_case(p, sex, b, o, wo, "normal", due - 1, -1, fire);
    fg_law_case(p, sex, b, o, wo, "normal", due, -1, NULL);
    b = fg_law_birth(p, first + p->rep % 10, 1);
    due = fg_gen_statutory(p->c, b, o, 0);
    fg_law_case(p, sex, b, o, wo, "normal", due - 1, -1, fire);
    fg_law_case(p, sex, b, o, wo, "normal", due, -1, NULL);
    fg_law_case(p, sex, b, o, wo, "normal", fg_birthday_at(b, o), 300, fire);
  }
}

/* retirement.flexible_out_of_range: early the day before the earliest date
 * (fires) and on it; late the day after the latest (fires) and on it. */
static void fg_flexible(fg_gen_plant *p) {
  static const char *const fire[] = {"retirement.flexible_out_of_range", NULL};
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_law); i++) {
    const int sex = fg_law[i].sex, o = fg_law[i].o;
    const bool wo = !fg_law[i].o_optional || p->rep % 2 == 1;
    const fg_month first = fg_month_from_ym(fg_law[i].first_year, 1);
    const fg_day b = fg_law_birth(p, first + p->rep % 12, 2);
    const int delay = fg_gen_delay_months(p->c, b, o);
    const fg_day earliest = fg_birthday_plus(b, o, FG_MAX(delay - 36, 0));
    fg_law_case(p, sex, b, o, wo, "flexible_early", earliest - 1, 400, fire);
    fg_law_case(p, sex, b, o, wo, "flexible_early", earliest, 400, NULL);
    const fg_day latest = fg_gen_statutory(p->c, b, o, 36);
    fg_law_case(p, sex, b, o, wo, "flexible_late", latest + 1, -1, fire);
    fg_law_case(p, sex, b, o, wo, "flexible_late", latest, -1, NULL);
  }
}

/* retirement.insufficient_contribution: one month short of the minimum for
 * the year of retirement (fires) and exactly the minimum, for normal and
 * flexible retirements; a flexible late retirement in 2030, when the
 * minimum has risen to 186. */
static void fg_insufficient(fg_gen_plant *p) {
  static const char *const fire[] = {"retirement.insufficient_contribution", NULL};
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_law); i++) {
    const int sex = fg_law[i].sex, o = fg_law[i].o;
    const fg_month first = fg_month_from_ym(fg_law[i].first_year, 1);
    const fg_day b = fg_law_birth(p, first + p->rep % 8, 0);
    const fg_day due = fg_gen_statutory(p->c, b, o, 0);
    int y, m, d;
    fg_ymd_from_day(due, &y, &m, &d);
    const int min = fg_config_min_contribution_months(p->c->cfg, y);
    fg_law_case(p, sex, b, o, true, "normal", due, min - 1, fire);
    fg_law_case(p, sex, b, o, true, "normal", due, min, NULL);
    const fg_day early = fg_birthday_at(b, o);
    fg_ymd_from_day(early, &y, &m, &d);
    fg_law_case(p, sex, b, o, true, "flexible_early", early,
                fg_config_min_contribution_months(p->c->cfg, y) - 1 - p->rep % 60, fire);
  }
  /* a woman worker born 1977-01 (statutory 2028-02) retiring late in 2030 */
  const fg_day b = fg_day_from_ymd(1977, 1, 10 + p->rep % 10);
  const fg_day late = fg_day_from_ymd(2030, 3, 10 + p->rep % 10);
  FG_ASSERT(late <= fg_gen_statutory(p->c, b, 50, 36));
  const int min2030 = fg_config_min_contribution_months(p->c->cfg, 2030);
  fg_law_case(p, 2, b, 50, true, "flexible_late", late, min2030 - 1, fire);
  fg_law_case(p, 2, b, 50, true, "flexible_late", late, min2030, NULL);
}

void fg_gen_plant_retire(fg_gen_plant *p) {
  fg_birthdate_altered(p);
  fg_single_review(p);
  fg_special_work(p);
  fg_underage(p);
  fg_underage_2025(p);
  fg_flexible(p);
  fg_insufficient(p);
}
