/*
 * test_rules_retire.c — the retirement-approval rules of rules_retire.c on
 * small models built from CSV literals (support_model.h): birthdate_altered,
 * single_review, special_work_ineligible, underage, and (v1.3, the 2025
 * law) the statutory dates of underage, flexible_out_of_range and
 * insufficient_contribution at every boundary rules.md names. Every
 * retirements row is tested on its own; ages are reached on the birthday
 * (29 February on 1 March in common years); persons without a persons.csv
 * row do not fire. The expected dates of the v1.3 cases are worked out by
 * hand from the law's table (they are not computed by the code under test).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "support_model.h"

#define RET_HEAD \
  "person_id,kind,approved_on,retire_date,birth_date_on_file,special_work_years,reviewer1,reviewer2\n"


static const fg_finding *expect(const fg_findings *f, const char *subject) {
  const fg_finding *x = fg_test_expect(f, subject, 0);
  assert_string_equal(x->subject_type, "person");
  return x;
}

static void test_birthdate_altered(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nALT,a,1,1965-03-01\nSAME,b,1,1964-01-01\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "ALT,normal,2024-01-01,2024-01-01,1965-03-01,,S1,S2\n"  /* 1 same */
      "ALT,normal,2025-01-01,2025-01-01,1964-03-01,,S1,S2\n"  /* 2 altered */
      "SAME,normal,2024-01-01,2024-01-01,1964-01-01,,S1,S2\n" /* 3 */
      "NOPERSON,normal,2024-01-01,2024-01-01,1964-01-01,,S1,S2\n"});
  fg_findings f = fg_test_run_rule(m, "retirement.birthdate_altered", "2025-06-01");
  assert_int_equal(f.n, 1);
  const fg_finding *x = expect(&f, "ALT");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 2));
  assert_false(fg_test_has_ev(x, FG_T_RETIREMENTS, 1));
  assert_true(fg_test_has_ev(x, FG_T_PERSONS, 1));
  assert_non_null(strstr(x->detail, "1964-03-01"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_single_review(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_RETIREMENTS] = RET_HEAD
      "EARLY,early,2024-01-01,2024-01-01,1970-01-01,,S1,\n"           /* 1 fires */
      "DIS,disability,2024-01-01,2024-01-01,1970-01-01,,S1,S1\n"      /* 2 fires */
      "SW,special_work,2024-01-01,2024-01-01,1970-01-01,9,,S2\n"      /* 3 fires */
      "OK,special_work,2024-01-01,2024-01-01,1970-01-01,9,S1,S2\n"    /* 4 */
      "NORM,normal,2024-01-01,2024-01-01,1964-01-01,,,\n"             /* 5 normal */
      "TWICE,early,2023-01-01,2023-01-01,1970-01-01,,S1,S2\n"         /* 6 */
      "TWICE,early,2024-01-01,2024-01-01,1970-01-01,,S3,S3\n"});      /* 7 fires */
  fg_findings f = fg_test_run_rule(m, "retirement.single_review", "2025-06-01");
  assert_int_equal(f.n, 4);
  assert_true(fg_test_has_ev(expect(&f, "EARLY"), FG_T_RETIREMENTS, 1));
  assert_true(fg_test_has_ev(expect(&f, "DIS"), FG_T_RETIREMENTS, 2));
  expect(&f, "SW");
  const fg_finding *x = expect(&f, "TWICE");
  assert_int_equal(x->nev, 1);
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 7));
  assert_null(fg_test_find(&f, "OK"));
  assert_null(fg_test_find(&f, "NORM"));
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_special_work_ineligible(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "M55,a,1,1969-05-10\nM7,b,1,1969-05-10\nMEMPTY,c,1,1969-05-10\n"
                       "MYOUNG,d,1,1969-05-10\nF45,e,2,1979-05-10\nF44,f,2,1979-05-10\n"
                       "FLEAP,g,2,1980-02-29\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "M55,special_work,2024-05-01,2024-05-10,1969-05-10,8,S1,S2\n"     /* 1 ok: 55, 8 years */
      "M7,special_work,2024-05-01,2024-05-10,1969-05-10,7,S1,S2\n"      /* 2 fires: 7 years */
      "MEMPTY,special_work,2024-05-01,2024-05-10,1969-05-10,,S1,S2\n"   /* 3 fires: empty */
      "MYOUNG,special_work,2024-05-01,2024-05-09,1969-05-10,20,S1,S2\n" /* 4 fires: 54 */
      "F45,special_work,2024-05-01,2024-05-10,1979-05-10,8,S1,S2\n"     /* 5 ok */
      "F44,special_work,2024-05-01,2024-05-09,1979-05-10,8,S1,S2\n"     /* 6 fires */
      "FLEAP,special_work,2025-02-01,2025-03-01,1980-02-29,8,S1,S2\n"   /* 7 ok: 45 on 1 March */
      "FLEAP,early,2025-02-01,2025-02-28,1980-02-29,,S1,S2\n"           /* 8 not special */
      "NOPERSON,special_work,2024-05-01,2024-05-10,1969-05-10,,S1,S2\n"}); /* 9 no birth/sex */
  fg_findings f = fg_test_run_rule(m, "retirement.special_work_ineligible", "2025-06-01");
  assert_int_equal(f.n, 4);
  assert_true(fg_test_has_ev(expect(&f, "M7"), FG_T_RETIREMENTS, 2));
  assert_true(fg_test_has_ev(expect(&f, "MEMPTY"), FG_T_RETIREMENTS, 3));
  const fg_finding *x = expect(&f, "MYOUNG");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 4) && fg_test_has_ev(x, FG_T_PERSONS, 4));
  expect(&f, "F44");
  assert_null(fg_test_find(&f, "M55"));
  assert_null(fg_test_find(&f, "F45"));
  assert_null(fg_test_find(&f, "FLEAP"));
  assert_null(fg_test_find(&f, "NOPERSON"));
  fg_findings_release(&f);
  fg_model_free(m);
  /* the day before 1 March (common year) the 29 February birthday is not yet 45 */
  m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nFLEAP,g,2,1980-02-29\n",
      [FG_T_RETIREMENTS] = RET_HEAD "FLEAP,special_work,2025-02-01,2025-02-28,1980-02-29,8,S1,S2\n"});
  f = fg_test_run_rule(m, "retirement.special_work_ineligible", "2025-06-01");
  assert_int_equal(f.n, 1);
  expect(&f, "FLEAP");
  fg_findings_release(&f);
  fg_model_free(m);
}

static void test_underage(void **state) {
  (void)state;
  fg_model *m = fg_test_model((fg_test_tables){
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\n"
                       "M59,a,1,1964-05-10\nM60,b,1,1964-05-10\n"
                       "FLEAP,c,2,1972-02-29\nFOK,d,2,1972-02-29\n"
                       "EARLY,e,1,1970-01-01\nTWO,f,2,1970-06-15\n",
      [FG_T_RETIREMENTS] = RET_HEAD
      "M59,normal,2024-05-01,2024-05-09,1964-05-10,,S1,S2\n"   /* 1 fires: the day before */
      "M60,normal,2024-05-01,2024-05-10,1964-05-10,,S1,S2\n"   /* 2 60 that day */
      "FLEAP,normal,2022-02-01,2022-02-28,1972-02-29,,S1,S2\n" /* 3 fires: 50 on 1 March */
      "FOK,normal,2022-02-01,2022-03-01,1972-02-29,,S1,S2\n"   /* 4 */
      "EARLY,early,2020-01-01,2020-01-01,1970-01-01,,S1,S2\n"  /* 5 not normal */
      "TWO,normal,2020-06-15,2020-06-15,1970-06-15,,S1,S2\n"   /* 6 50: ok */
      "TWO,normal,2019-06-15,2019-06-14,1970-06-15,,S1,S2\n"   /* 7 fires */
      "NOPERSON,normal,2020-01-01,2020-01-01,2000-01-01,,S1,S2\n"});
  fg_findings f = fg_test_run_rule(m, "retirement.underage", "2025-06-01");
  assert_int_equal(f.n, 3);
  const fg_finding *x = expect(&f, "M59");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 1) && fg_test_has_ev(x, FG_T_PERSONS, 1));
  assert_true(fg_test_has_ev(expect(&f, "FLEAP"), FG_T_RETIREMENTS, 3));
  x = expect(&f, "TWO");
  assert_true(fg_test_has_ev(x, FG_T_RETIREMENTS, 7));
  assert_false(fg_test_has_ev(x, FG_T_RETIREMENTS, 6));
  assert_null(fg_test_find(&f, "M60"));
  assert_null(fg_test_find(&f, "FOK"));
  assert_null(fg_test_find(&f, "EARLY"));
  assert_null(fg_test_find(&f, "NOPERSON"));
  fg_findings_release(&f);
  fg_model_free(m);
}

/* One v1.3 case: a person and one retirement; fires says whether `rule`
 * must find them. sex 1/2; o "" (empty: 60 men, 50 women) or 60/55/50;
 * months "" or the contribution months. */
typedef struct {
  const char *id, *sex, *birth, *kind, *retire, *o, *months;
  bool fires;
} retire_case;

/* Builds the model of the cases, runs rule and checks that exactly the
 * cases marked `fires` are found. */
static void run_cases(const char *rule, const retire_case *cs, size_t n) {
  static char persons[64 * 1024], rets[64 * 1024];
  size_t pl = (size_t)snprintf(persons, sizeof persons, "person_id,name,sex,birth_date\n");
  size_t rl = (size_t)snprintf(rets, sizeof rets,
                               "person_id,kind,approved_on,retire_date,birth_date_on_file,"
                               "special_work_years,reviewer1,reviewer2,original_age,"
                               "contribution_months\n");
  for (size_t i = 0; i < n; i++) {
    pl += (size_t)snprintf(persons + pl, sizeof persons - pl, "%s,p,%s,%s\n", cs[i].id, cs[i].sex,
                           cs[i].birth);
    rl += (size_t)snprintf(rets + rl, sizeof rets - rl, "%s,%s,%s,%s,%s,,S1,S2,%s,%s\n", cs[i].id,
                           cs[i].kind, cs[i].retire, cs[i].retire, cs[i].birth, cs[i].o,
                           cs[i].months);
    assert_true(pl < sizeof persons && rl < sizeof rets);
  }
  fg_model *m = fg_test_model((fg_test_tables){[FG_T_PERSONS] = persons, [FG_T_RETIREMENTS] = rets});
  fg_findings f = fg_test_run_rule(m, rule, "2026-06-30");
  size_t want = 0;
  for (size_t i = 0; i < n; i++) {
    const fg_finding *x = fg_test_find(&f, cs[i].id);
    if (cs[i].fires != (x != NULL))
      fail_msg("%s: %s born %s, %s on %s (O %s, months %s): expected %s", rule, cs[i].id,
               cs[i].birth, cs[i].kind, cs[i].retire, cs[i].o, cs[i].months,
               cs[i].fires ? "a finding" : "none");
    want += cs[i].fires;
  }
  assert_int_equal(f.n, want);
  fg_findings_release(&f);
  fg_model_free(m);
}

#define N(a) (sizeof(a) / sizeof(a)[0])

/* retirement.underage against the statutory date, schedule by schedule:
 * the month before the first birth month (the old age), the first month,
 * both edges of the first and second steps, the last step before the cap,
 * the cap and beyond, the day before / on / after each date, births on the
 * 29th-31st whose month lacks the day (the last day instead), 29 February
 * births whose O-th birthday is in a common year (1 March, then the delay). */
static void test_underage_2025(void **state) {
  (void)state;
  static const retire_case cs[] = {
      /* men, O 60: 1965-01, one month per 4 birth months, cap 36 */
      {"M6412A", "1", "1964-12-15", "normal", "2024-12-14", "", "", true},
      {"M6412B", "1", "1964-12-15", "normal", "2024-12-15", "", "", false},
      {"M6412C", "1", "1964-12-15", "normal", "2024-12-16", "60", "", false},
      {"M6501A", "1", "1965-01-15", "normal", "2025-02-14", "", "", true},
      {"M6501B", "1", "1965-01-15", "normal", "2025-02-15", "", "", false},
      {"M6501C", "1", "1965-01-15", "normal", "2025-01-15", "", "", true}, /* old age: too early */
      {"M6501D", "1", "1965-01-31", "normal", "2025-02-27", "60", "", true},
      {"M6501E", "1", "1965-01-31", "normal", "2025-02-28", "60", "", false},
      {"M6504A", "1", "1965-04-30", "normal", "2025-05-29", "", "", true},
      {"M6504B", "1", "1965-04-30", "normal", "2025-05-30", "", "", false},
      {"M6505A", "1", "1965-05-01", "normal", "2025-06-30", "", "", true},
      {"M6505B", "1", "1965-05-01", "normal", "2025-07-01", "", "", false},
      {"M6503A", "1", "1965-03-31", "normal", "2025-04-29", "", "", true},
      {"M6503B", "1", "1965-03-31", "normal", "2025-04-30", "", "", false},
      {"M7608A", "1", "1976-08-10", "normal", "2039-07-09", "", "", true}, /* 60y35m */
      {"M7608B", "1", "1976-08-10", "normal", "2039-07-10", "", "", false},
      {"M7609A", "1", "1976-09-10", "normal", "2039-09-09", "", "", true}, /* the cap: 63y */
      {"M7609B", "1", "1976-09-10", "normal", "2039-09-10", "", "", false},
      {"M9001A", "1", "1990-01-10", "normal", "2053-01-09", "", "", true},
      {"M9001B", "1", "1990-01-10", "normal", "2053-01-10", "", "", false},
      {"M6802A", "1", "1968-02-29", "normal", "2028-12-28", "", "", true}, /* 60y10m, leap */
      {"M6802B", "1", "1968-02-29", "normal", "2028-12-29", "", "", false},
      /* women cadres, O 55: 1970-01, 4 months, cap 36 */
      {"C6912A", "2", "1969-12-20", "normal", "2024-12-19", "55", "", true},
      {"C6912B", "2", "1969-12-20", "normal", "2024-12-20", "55", "", false},
      {"C7001A", "2", "1970-01-20", "normal", "2025-02-19", "55", "", true},
      {"C7001B", "2", "1970-01-20", "normal", "2025-02-20", "55", "", false},
      {"C7004A", "2", "1970-04-30", "normal", "2025-05-29", "55", "", true},
      {"C7004B", "2", "1970-04-30", "normal", "2025-05-30", "55", "", false},
      {"C7005A", "2", "1970-05-01", "normal", "2025-06-30", "55", "", true},
      {"C7005B", "2", "1970-05-01", "normal", "2025-07-01", "55", "", false},
      {"C7202A", "2", "1972-02-29", "normal", "2027-09-30", "55", "", true}, /* 1 Mar + 7 months */
      {"C7202B", "2", "1972-02-29", "normal", "2027-10-01", "55", "", false},
      {"C8108A", "2", "1981-08-05", "normal", "2039-07-04", "55", "", true}, /* 55y35m */
      {"C8108B", "2", "1981-08-05", "normal", "2039-07-05", "55", "", false},
      {"C8109A", "2", "1981-09-05", "normal", "2039-09-04", "55", "", true}, /* cap: 58y */
      {"C8109B", "2", "1981-09-05", "normal", "2039-09-05", "55", "", false},
      /* women workers, O 50 (empty for a woman): 1975-01, 2 months, cap 60 */
      {"W7412A", "2", "1974-12-10", "normal", "2024-12-09", "", "", true},
      {"W7412B", "2", "1974-12-10", "normal", "2024-12-10", "50", "", false},
      {"W7501A", "2", "1975-01-10", "normal", "2025-02-09", "", "", true},
      {"W7501B", "2", "1975-01-10", "normal", "2025-02-10", "", "", false},
      {"W7501C", "2", "1975-01-29", "normal", "2025-02-27", "50", "", true},
      {"W7501D", "2", "1975-01-29", "normal", "2025-02-28", "50", "", false},
      {"W7502A", "2", "1975-02-28", "normal", "2025-03-27", "50", "", true},
      {"W7502B", "2", "1975-02-28", "normal", "2025-03-28", "50", "", false},
      {"W7503A", "2", "1975-03-31", "normal", "2025-05-30", "50", "", true},
      {"W7503B", "2", "1975-03-31", "normal", "2025-05-31", "50", "", false},
      {"W7602A", "2", "1976-02-29", "normal", "2026-09-30", "50", "", true}, /* 1 Mar + 7 */
      {"W7602B", "2", "1976-02-29", "normal", "2026-10-01", "50", "", false},
      {"W8410A", "2", "1984-10-10", "normal", "2039-09-09", "50", "", true}, /* 50y59m */
      {"W8410B", "2", "1984-10-10", "normal", "2039-09-10", "50", "", false},
      {"W8411A", "2", "1984-11-10", "normal", "2039-11-09", "50", "", true}, /* cap: 55y */
      {"W8411B", "2", "1984-11-10", "normal", "2039-11-10", "50", "", false},
      /* the original age decides, not the sex: a woman worker recorded 55 */
      {"X7501A", "2", "1975-01-10", "normal", "2030-01-10", "55", "", true},
      {"X7501B", "2", "1975-01-10", "normal", "2031-05-09", "55", "", true}, /* 55y16m */
      {"X7501C", "2", "1975-01-10", "normal", "2031-05-10", "55", "", false},
      /* other kinds are not judged by this rule */
      {"K6501A", "1", "1965-01-15", "flexible_early", "2025-01-15", "", "", false},
      {"K6501B", "1", "1965-01-15", "early", "2024-01-15", "", "", false},
  };
  run_cases("retirement.underage", cs, N(cs));
}

/* retirement.flexible_out_of_range: early no earlier than the later of
 * (statutory date - 36 months) and the O-th birthday; late no later than
 * statutory + 36 months; the day before / on / after each bound. */
static void test_flexible_2025(void **state) {
  (void)state;
  static const retire_case cs[] = {
      /* a man born 1965-01-15 (60y1m): early bound 60y = 2025-01-15 */
      {"E6501A", "1", "1965-01-15", "flexible_early", "2025-01-14", "", "", true},
      {"E6501B", "1", "1965-01-15", "flexible_early", "2025-01-15", "", "", false},
      {"E6501C", "1", "1965-01-15", "flexible_early", "2025-01-16", "", "", false},
      /* a man at the cap (63y): statutory - 36 months = the 60th birthday */
      {"E7609A", "1", "1976-09-10", "flexible_early", "2036-09-09", "", "", true},
      {"E7609B", "1", "1976-09-10", "flexible_early", "2036-09-10", "", "", false},
      /* women workers: delay 36 (bound = 50y), 37 (50y1m), 60 (52y) */
      {"E8011A", "2", "1980-11-10", "flexible_early", "2030-11-09", "50", "", true},
      {"E8011B", "2", "1980-11-10", "flexible_early", "2030-11-10", "50", "", false},
      {"E8101A", "2", "1981-01-10", "flexible_early", "2031-02-09", "50", "", true},
      {"E8101B", "2", "1981-01-10", "flexible_early", "2031-02-10", "50", "", false},
      {"E8411A", "2", "1984-11-10", "flexible_early", "2036-11-09", "", "", true},
      {"E8411B", "2", "1984-11-10", "flexible_early", "2036-11-10", "", "", false},
      /* born on the 31st, bound in a 30-day month: the last day */
      {"E8101C", "2", "1981-01-31", "flexible_early", "2031-02-27", "50", "", true}, /* 50y1m */
      {"E8101D", "2", "1981-01-31", "flexible_early", "2031-02-28", "50", "", false},
      /* late: statutory + 36 months */
      {"L6501A", "1", "1965-01-15", "flexible_late", "2028-02-15", "", "", false},
      {"L6501B", "1", "1965-01-15", "flexible_late", "2028-02-16", "", "", true},
      {"L6501C", "1", "1965-01-31", "flexible_late", "2028-02-29", "60", "", false},
      {"L6501D", "1", "1965-01-31", "flexible_late", "2028-03-01", "60", "", true},
      {"L7001A", "2", "1970-01-20", "flexible_late", "2028-02-20", "55", "", false},
      {"L7001B", "2", "1970-01-20", "flexible_late", "2028-02-21", "55", "", true},
      {"L7609A", "1", "1976-09-10", "flexible_late", "2042-09-10", "", "", false}, /* 66y */
      {"L7609B", "1", "1976-09-10", "flexible_late", "2042-09-11", "", "", true},
      {"L7602A", "2", "1976-02-29", "flexible_late", "2029-10-01", "50", "", false},
      {"L7602B", "2", "1976-02-29", "flexible_late", "2029-10-02", "50", "", true},
      /* before the law: the bounds are O and O + 3 years */
      {"L6001A", "1", "1960-06-01", "flexible_late", "2023-06-01", "", "", false},
      {"L6001B", "1", "1960-06-01", "flexible_late", "2023-06-02", "", "", true},
      {"E6001A", "1", "1960-06-01", "flexible_early", "2020-05-31", "", "", true},
      /* normal retirements are underage's, not this rule's */
      {"N6501A", "1", "1965-01-15", "normal", "2020-01-15", "", "", false},
  };
  run_cases("retirement.flexible_out_of_range", cs, N(cs));
}

/* retirement.insufficient_contribution: each year's minimum from 2029 to
 * 2040 (180, 186, ..., 240 from 2039), one month short and exactly met. */
static void test_insufficient_contribution(void **state) {
  (void)state;
  static const int want[] = {180, 186, 192, 198, 204, 210, 216, 222, 228, 234, 240, 240};
  static char ids[2 * N(want)][16], dates[N(want)][16], months[2 * N(want)][16];
  retire_case cs[2 * N(want) + 8];
  size_t n = 0;
  for (size_t i = 0; i < N(want); i++) {
    const int y = 2029 + (int)i;
    snprintf(dates[i], sizeof dates[i], "%d-%s", y, i % 2 ? "01-01" : "12-31");
    for (int k = 0; k < 2; k++) {
      snprintf(ids[2 * i + k], sizeof ids[0], "Y%d%c", y, k ? 'B' : 'A');
      snprintf(months[2 * i + k], sizeof months[0], "%d", want[i] - 1 + k);
      cs[n++] = (retire_case){ids[2 * i + k], "1", "1970-01-01", i % 3 == 0 ? "normal"
                              : i % 3 == 1 ? "flexible_early" : "flexible_late",
                              dates[i], "", months[2 * i + k], k == 0};
    }
  }
  cs[n++] = (retire_case){"EMPTY", "1", "1965-01-01", "normal", "2026-01-01", "", "", false};
  cs[n++] = (retire_case){"EARLY", "1", "1970-01-01", "early", "2026-01-01", "", "12", false};
  cs[n++] = (retire_case){"SPEC", "1", "1970-01-01", "special_work", "2026-01-01", "", "12", false};
  cs[n++] = (retire_case){"DIS", "1", "1970-01-01", "disability", "2026-01-01", "", "12", false};
  cs[n++] = (retire_case){"ZERO", "2", "1975-01-01", "normal", "2026-01-01", "50", "0", true};
  run_cases("retirement.insufficient_contribution", cs, n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_birthdate_altered),
      cmocka_unit_test(test_single_review),
      cmocka_unit_test(test_special_work_ineligible),
      cmocka_unit_test(test_underage),
      cmocka_unit_test(test_underage_2025),
      cmocka_unit_test(test_flexible_2025),
      cmocka_unit_test(test_insufficient_contribution),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
