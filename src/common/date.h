/*
 * date.h — calendar dates and months as small integers.
 *
 * A date (fg_day) is the count of days since 1970-01-01 in the proleptic
 * Gregorian calendar; a month (fg_month) is year*12 + (month-1). Both are
 * exact, totally ordered and cheap to subtract, which is what the rules
 * need: "m1 - m2 counts months", "d - 364 days". Absent values are
 * FG_NODAY / FG_NOMONTH, which compare below every real value.
 *
 * Year arithmetic follows rules.md "Boundaries": minus N years turns
 * 29 February into 28 February in a common year; plus N years turns it into
 * 1 March; a 29 February birthday counts on 1 March in common years.
 */
#ifndef FG_COMMON_DATE_H
#define FG_COMMON_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t fg_day;
typedef int32_t fg_month;
#define FG_NODAY INT32_MIN
#define FG_NOMONTH INT32_MIN

bool fg_is_leap(int y);
int fg_days_in_month(int y, int m);
/* y-m-d must be a real date (asserted). */
fg_day fg_day_from_ymd(int y, int m, int d);
void fg_ymd_from_day(fg_day day, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday */
int fg_weekday(fg_day day);
static inline fg_month fg_month_from_ym(int y, int m) { return (fg_month)(y * 12 + (m - 1)); }
static inline int fg_month_year(fg_month mo) { return mo / 12; }
static inline int fg_month_mon(fg_month mo) { return mo % 12 + 1; }
fg_month fg_month_of_day(fg_day day);
fg_day fg_month_first_day(fg_month mo);
fg_day fg_month_last_day(fg_month mo);
/* d minus n years (29 Feb -> 28 Feb in a common year). */
fg_day fg_day_minus_years(fg_day d, int n);
/* d plus n years (29 Feb -> 1 Mar in a common year). */
fg_day fg_day_plus_years(fg_day d, int n);
/* Whole years from birth to d; the age goes up on the birthday, a 29 Feb
 * birthday counting on 1 March in common years. */
int fg_age_years(fg_day birth, fg_day d);
/* The date on which someone born on birth turns n (29 Feb -> 1 Mar). */
fg_day fg_birthday_at(fg_day birth, int n);
/* d moved by n calendar months (n may be negative); a day the target month
 * lacks becomes its last day (2025-01-31 plus 1 month = 2025-02-28). */
fg_day fg_day_plus_months(fg_day d, int n);
/* rules.md v1.3 "birth_date plus O years M months": the O-th birthday
 * (29 Feb -> 1 Mar) moved by M calendar months (fg_day_plus_months). */
fg_day fg_birthday_plus(fg_day birth, int years, int months);

/* Strict parsers of the data standard. Return true and set *out when s
 * (length n, no surrounding spaces) is a valid value in 1900-01-01 ..
 * 2099-12-31 (YYYY-MM-DD), a month YYYY-MM, or a timestamp
 * YYYY-MM-DDTHH:MM:SS (seconds since 1970-01-01T00:00:00 Beijing time). */
bool fg_parse_day(const char *s, int n, fg_day *out);
bool fg_parse_month(const char *s, int n, fg_month *out);
bool fg_parse_timestamp(const char *s, int n, int64_t *out_s);

/* Formatters: out must hold 11 / 8 / 20 bytes. */
void fg_format_day(fg_day d, char *out);
void fg_format_month(fg_month m, char *out);
void fg_format_timestamp(int64_t ts_s, char *out);

/* Beijing time (UTC+8, no daylight saving): the platform's one clock for
 * dates and times people read (the journal, batches, runs, the default
 * --as-of). Seconds since 1970-01-01T00:00:00 of Beijing wall time, the
 * form fg_format_timestamp prints; and today's date there. */
#define FG_BEIJING_OFFSET_S (8 * 3600)
int64_t fg_beijing_now_s(void);
fg_day fg_beijing_today(void);

#endif
