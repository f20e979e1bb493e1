/*
 * date.c — civil calendar arithmetic (Howard Hinnant's days_from_civil
 * algorithm) and the strict date parsers of the data standard.
 */
#include "common/date.h"
#include "common/fg.h"

#include <time.h>


bool fg_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int fg_days_in_month(int y, int m) {
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  FG_ASSERT(m >= 1 && m <= 12);
  return m == 2 && fg_is_leap(y) ? 29 : dim[m - 1];
}

fg_day fg_day_from_ymd(int y, int m, int d) {
  FG_ASSERT(m >= 1 && m <= 12 && d >= 1 && d <= fg_days_in_month(y, m));
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (fg_day)(era * 146097 + doe - 719468);
}

void fg_ymd_from_day(fg_day day, int *y, int *m, int *d) {
  FG_ASSERT(day != FG_NODAY);
  int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

int fg_weekday(fg_day day) {
  /* 1970-01-01 was a Thursday (3 with Monday = 0). */
  int w = (day + 3) % 7;
  return w < 0 ? w + 7 : w;
}

fg_month fg_month_of_day(fg_day day) {
  int y, m, d;
  fg_ymd_from_day(day, &y, &m, &d);
  return fg_month_from_ym(y, m);
}

fg_day fg_month_first_day(fg_month mo) {
  return fg_day_from_ymd(fg_month_year(mo), fg_month_mon(mo), 1);
}

fg_day fg_month_last_day(fg_month mo) {
  int y = fg_month_year(mo), m = fg_month_mon(mo);
  return fg_day_from_ymd(y, m, fg_days_in_month(y, m));
}

fg_day fg_day_minus_years(fg_day d, int n) {
  int y, m, dd;
  fg_ymd_from_day(d, &y, &m, &dd);
  y -= n;
  if (m == 2 && dd == 29 && !fg_is_leap(y)) dd = 28;
  return fg_day_from_ymd(y, m, dd);
}

fg_day fg_day_plus_years(fg_day d, int n) {
  int y, m, dd;
  fg_ymd_from_day(d, &y, &m, &dd);
  y += n;
  if (m == 2 && dd == 29 && !fg_is_leap(y)) {
    m = 3;
    dd = 1;
  }
  return fg_day_from_ymd(y, m, dd);
}

fg_day fg_birthday_at(fg_day birth, int n) { return fg_day_plus_years(birth, n); }

fg_day fg_day_plus_months(fg_day d, int n) {
  FG_ASSERT(d != FG_NODAY);
  int y, m, dd;
  fg_ymd_from_day(d, &y, &m, &dd);
  const fg_month to = fg_month_from_ym(y, m) + n;
  const int last = fg_days_in_month(fg_month_year(to), fg_month_mon(to));
  return fg_day_from_ymd(fg_month_year(to), fg_month_mon(to), dd <= last ? dd : last);
}

fg_day fg_birthday_plus(fg_day birth, int years, int months) {
  return fg_day_plus_months(fg_birthday_at(birth, years), months);
}

int fg_age_years(fg_day birth, fg_day d) {
  FG_ASSERT(birth != FG_NODAY && d != FG_NODAY);
  int by, bm, bd, y, m, dd;
  fg_ymd_from_day(birth, &by, &bm, &bd);
  fg_ymd_from_day(d, &y, &m, &dd);
  int age = y - by;
  /* Birthday this year (29 Feb -> 1 Mar in a common year). */
  int cm = bm, cd = bd;
  if (bm == 2 && bd == 29 && !fg_is_leap(y)) {
    cm = 3;
    cd = 1;
  }
  if (m < cm || (m == cm && dd < cd)) age--;
  return age;
}

static int fg_digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool fg_parse_month(const char *s, int n, fg_month *out) {
  if (n != 7 || s[4] != '-') return false;
  int y = fg_digits(s, 4), m = fg_digits(s + 5, 2);
  if (y < 1900 || y > 2099 || m < 1 || m > 12) return false;
  *out = fg_month_from_ym(y, m);
  return true;
}

bool fg_parse_day(const char *s, int n, fg_day *out) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return false;
  int y = fg_digits(s, 4), m = fg_digits(s + 5, 2), d = fg_digits(s + 8, 2);
  if (y < 1900 || y > 2099 || m < 1 || m > 12) return false;
  if (d < 1 || d > fg_days_in_month(y, m)) return false;
  *out = fg_day_from_ymd(y, m, d);
  return true;
}

bool fg_parse_timestamp(const char *s, int n, int64_t *out_s) {
  fg_day d;
  if (n != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (!fg_parse_day(s, 10, &d)) return false;
  int hh = fg_digits(s + 11, 2), mm = fg_digits(s + 14, 2), ss = fg_digits(s + 17, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return false;
  *out_s = (int64_t)d * 86400 + hh * 3600 + mm * 60 + ss;
  return true;
}

static void fg_put_digits(char *out, int v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

void fg_format_day(fg_day d, char *out) {
  int y, m, dd;
  fg_ymd_from_day(d, &y, &m, &dd);
  FG_ASSERT(y >= 0 && y <= 9999);
  fg_put_digits(out, y, 4);
  out[4] = '-';
  fg_put_digits(out + 5, m, 2);
  out[7] = '-';
  fg_put_digits(out + 8, dd, 2);
  out[10] = '\0';
}

void fg_format_month(fg_month mo, char *out) {
  FG_ASSERT(mo >= 0 && fg_month_year(mo) <= 9999);
  fg_put_digits(out, fg_month_year(mo), 4);
  out[4] = '-';
  fg_put_digits(out + 5, fg_month_mon(mo), 2);
  out[7] = '\0';
}

void fg_format_timestamp(int64_t ts_s, char *out) {
  fg_day d = (fg_day)(ts_s / 86400);
  int r = (int)(ts_s % 86400);
  fg_format_day(d, out);
  out[10] = 'T';
  fg_put_digits(out + 11, r / 3600, 2);
  out[13] = ':';
  fg_put_digits(out + 14, r / 60 % 60, 2);
  out[16] = ':';
  fg_put_digits(out + 17, r % 60, 2);
  out[19] = '\0';
}

int64_t fg_beijing_now_s(void) { return (int64_t)time(NULL) + FG_BEIJING_OFFSET_S; }

fg_day fg_beijing_today(void) {
  const int64_t s = fg_beijing_now_s();
  return (fg_day)((s >= 0 ? s : s - 86399) / 86400);
}
