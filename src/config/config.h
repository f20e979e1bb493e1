/*
 * config.h — the screening configuration: thresholds marked (cfg) in
 * rules.md, retirement ages as data, mutually exclusive role pairs, working
 * hours and the official working-day calendar.
 *
 * The file format is documented in docs/configuration.md (INI-like
 * `key = value` lines in [sections]; the calendar as CSV `date,kind,name`).
 * fg_config_defaults() gives the safe defaults of the catalogue; the defaults
 * carry the calendar in data/cn-workday-calendar.csv, compiled in so the
 * binary runs without the source tree. init stores the official
 * configuration in the store; `screen --config FILE` loads another one for a
 * what-if run. Every parse error names the key (and line).
 */
#ifndef FG_CONFIG_CONFIG_H
#define FG_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/date.h"
#include "common/fg.h"

#define FG_CFG_ROLE_PAIRS_MAX 64
#define FG_CFG_AGE_ROWS_MAX 512
#define FG_CFG_CAL_DAYS_MAX 4096
#define FG_CFG_ROLE_MAX 48

/* Retirement-age categories (rules.md): the age limit that applies, and
 * who it is keyed by. */
enum {
  FG_AGE_ENROLL_LIMIT = 0, /* enrollment.over_age: by sex, 60 male / 55 female */
  FG_AGE_STATUTORY = 1,    /* the statutory retirement age (rules.md v1.3): by
                              original age O (60, 55, 50) and birth month, the
                              2025 law's three schedules by default */
  FG_AGE_SPECIAL_WORK = 2, /* retirement.special_work_ineligible: by sex, 55 / 45 */
  FG_AGE_CATEGORIES = 3
};

/* One row of the age table: for persons keyed `who` (a sex code 1/2, or for
 * FG_AGE_STATUTORY the original age in years) in `category` born in
 * [born_from, born_to] (months, inclusive), the age is age_months. Later rows
 * win over earlier ones, so a base row can be refined by birth month. */
typedef struct fg_age_row {
  uint8_t who, category;
  fg_month born_from, born_to;
  int32_t age_months;
} fg_age_row;

/* The minimum contribution months for a pension (rules.md v1.3): `base`
 * months up to the year before `rise_from_year`, then `step` more a year,
 * never more than `max`. */
typedef struct fg_min_contribution {
  int32_t base_months, rise_from_year, step_months, max_months;
} fg_min_contribution;

typedef struct fg_calendar_day {
  fg_day day;
  bool work; /* true: make-up working day on a weekend; false: holiday on a weekday */
} fg_calendar_day;

typedef struct fg_config {
  /* thresholds */
  int32_t base_spike_ratio_pct;        /* 200 = 2.0x (strictly greater) */
  int32_t backpay_min_periods;         /* 12 */
  int32_t survival_cert_max_gap_months;/* 12 */
  int32_t shared_account_min_persons;  /* 3 */
  int64_t large_payment_fen;           /* 5000000 = 50000 yuan */
  int32_t high_frequency_max_visits;   /* 20 */
  int32_t split_admission_max_days;    /* 15 */
  int32_t tenure_max_years;            /* 5 */
  int32_t special_work_min_years;      /* 8 */
  int32_t work_start_s, work_end_s;    /* 08:00:00, 19:00:00 inclusive */
  /* retirement ages */
  int32_t nage_rows;
  fg_age_row age_rows[FG_CFG_AGE_ROWS_MAX];
  fg_min_contribution min_contribution; /* 180, 2030, 6, 240 */
  /* mutually exclusive role pairs, lower-case, trimmed */
  int32_t nrole_pairs;
  char role_pairs[FG_CFG_ROLE_PAIRS_MAX][2][FG_CFG_ROLE_MAX];
  /* identity (trust core) */
  int32_t password_max_age_days;       /* 90 */
  int32_t lockout_failures;            /* 5 */
  int32_t session_idle_minutes;        /* 30: a web session ends after this idle time */
  /* case work (cases.md [cases]) */
  int32_t verify_working_days;         /* 20: verification due, working days after issue */
  int32_t repay_working_days;          /* 15: repayment demanded by a recovery notice */
  int64_t case_large_amount_fen;       /* 1000000 = 10000 yuan: 金额较大 */
  /* whistleblower rewards (cases.md [rewards], GZ 38) */
  int32_t reward_rate_bp;              /* 500 = 5.00% of the verified amount */
  int64_t reward_floor_fen;            /* 20000 = 200 yuan */
  int64_t reward_cap_fen;              /* 10000000 = 100000 yuan */
  /* working-day calendar: exceptions sorted by day; years covered */
  int32_t ncal;
  fg_calendar_day cal[FG_CFG_CAL_DAYS_MAX];
  int32_t cal_year_min, cal_year_max;
} fg_config;

/* Fill cfg with the catalogue's defaults and the bundled calendar. */
void fg_config_defaults(fg_config *cfg);
/* Parse a configuration file's text over the defaults already in cfg.
 * name is used in error messages ("name:line: key: what is wrong"). */
int fg_config_parse(fg_config *cfg, const char *name, const char *text, size_t len,
                    fg_err *err);
int fg_config_load_file(fg_config *cfg, const char *path, fg_err *err);
/* Canonical text form (what is stored and hashed): parsing it gives cfg back.
 * Returns heap memory (free()). */
char *fg_config_serialize(const fg_config *cfg);
/* SHA-256 of the canonical text, lowercase hex into out[65]. */
void fg_config_hash(const fg_config *cfg, char out[65]);

/* Age in months for (who, category, birth month): who is a sex code, or the
 * original age in years for FG_AGE_STATUTORY; -1 when no row applies. */
int32_t fg_config_age_months(const fg_config *cfg, int who, int category, fg_month born);
/* Minimum contribution months for a pension retiring in year y. */
int32_t fg_config_min_contribution_months(const fg_config *cfg, int y);
/* Working day per the calendar (weekday unless holiday; make-up weekend days). */
bool fg_config_is_workday(const fg_config *cfg, fg_day day);
/* The n-th working day after d (d itself never counts; cases.md). */
fg_day fg_config_add_working_days(const fg_config *cfg, fg_day d, int n);
/* true when the calendar covers year y (else the run warns). */
bool fg_config_covers_year(const fg_config *cfg, int y);
/* Case-insensitive, space-trimmed check of a role set (`;`-separated) against
 * the exclusive pairs; writes the first pair found to a/b (may be NULL). */
bool fg_config_roles_conflict(const fg_config *cfg, const char *roles, const char **a,
                              const char **b);

#endif
