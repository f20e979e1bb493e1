/*
 * fields.c — strict single-field parsers of the data standard ("What import
 * checks" and "Codes"): money in fen, quantities in thousandths, whole
 * numbers, years, person_id normalisation, region codes, and the GB 11643
 * (citizen identity number) and GB 32100 (unified social credit code)
 * check characters and validity tests.
 *
 * The importer calls the parsers on every field of every row, so they are
 * branch-light, never allocate and never read past n. The generator uses
 * the check-character functions to make valid numbers; the screening rule
 * identity.invalid_id uses fg_gb11643_valid.
 */
#include "fields/fields.h"

#include <string.h>

#include "common/fg.h"

enum {
  FG_FIELDS_MONEY_INT_DIGITS_MAX = 13,
  FG_FIELDS_MONEY_FRAC_DIGITS_MAX = 2,
  FG_FIELDS_QTY_INT_DIGITS_MAX = 15,
  FG_FIELDS_QTY_FRAC_DIGITS_MAX = 3,
  FG_FIELDS_UINT_DIGITS_MAX = 9,
  FG_FIELDS_YEAR_DIGITS = 4,
  FG_FIELDS_PERSON_ID_LEN_MAX = 18,
  FG_FIELDS_REGION_LEN = 6,
  FG_FIELDS_ID_LEN = 18,
  FG_FIELDS_USCC_LEN = 18,
  FG_FIELDS_USCC_MOD = 31,
  FG_FIELDS_ID_MOD = 11,
};

static bool fg_is_digit(char c) { return c >= '0' && c <= '9'; }

static bool fg_is_alnum_ascii(char c) {
  return fg_is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Shared body of money and quantity: [0-9]{1,int_max}(\.[0-9]{1,frac_max})?
 * scaled by 10^frac_max. */
static bool fg_parse_fixed(const char *s, size_t n, int int_max, int frac_max, int64_t *out) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(out != NULL);
  FG_ASSERT_HOT(int_max > 0 && int_max <= 15 && frac_max > 0 && frac_max <= 3);
  size_t i = 0;
  int64_t v = 0;
  while (i < n && fg_is_digit(s[i])) {
    if ((int)i >= int_max) return false;
    v = v * 10 + (s[i] - '0');
    i++;
  }
  if (i == 0) return false;
  int frac = 0;
  if (i < n) {
    if (s[i] != '.') return false;
    i++;
    while (i < n && fg_is_digit(s[i])) {
      if (frac >= frac_max) return false;
      v = v * 10 + (s[i] - '0');
      frac++;
      i++;
    }
    if (frac == 0 || i != n) return false;
  }
  for (; frac < frac_max; frac++) v *= 10;
  FG_ASSERT_HOT(v >= 0);
  *out = v;
  return true;
}

bool fg_parse_money(const char *s, size_t n, int64_t *out_fen) {
  return fg_parse_fixed(s, n, FG_FIELDS_MONEY_INT_DIGITS_MAX, FG_FIELDS_MONEY_FRAC_DIGITS_MAX,
                     out_fen);
}

bool fg_parse_qty(const char *s, size_t n, int64_t *out_milli) {
  return fg_parse_fixed(s, n, FG_FIELDS_QTY_INT_DIGITS_MAX, FG_FIELDS_QTY_FRAC_DIGITS_MAX,
                     out_milli);
}

bool fg_parse_uint(const char *s, size_t n, int64_t *out) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(out != NULL);
  if (n == 0 || n > FG_FIELDS_UINT_DIGITS_MAX) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!fg_is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool fg_parse_year(const char *s, size_t n, int *out) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(out != NULL);
  if (n != FG_FIELDS_YEAR_DIGITS) return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!fg_is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool fg_person_id_normalize(const char *s, size_t n, char *out) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  FG_ASSERT_HOT(out != NULL);
  if (n == 0 || n > FG_FIELDS_PERSON_ID_LEN_MAX) return false;
  for (size_t i = 0; i < n; i++) {
    if (!fg_is_alnum_ascii(s[i])) return false;
  }
  memcpy(out, s, n);
  if (out[n - 1] == 'x') out[n - 1] = 'X';
  out[n] = '\0';
  return true;
}

bool fg_province_prefix_ok(int two_digits) {
  const int p = two_digits;
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82 || p == 83;
}

int32_t fg_region_digits(const char *s, size_t n) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  if (n != FG_FIELDS_REGION_LEN) return -1;
  int32_t code = 0;
  for (size_t i = 0; i < n; i++) {
    if (!fg_is_digit(s[i])) return -1;
    code = 10 * code + (s[i] - '0');
  }
  return code;
}

bool fg_region_ok(const char *s, size_t n) {
  return fg_region_digits(s, n) >= 0 && fg_province_prefix_ok((s[0] - '0') * 10 + (s[1] - '0'));
}

bool fg_agency_id_ok(const char *s, size_t n) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  if (n == 0 || n > FG_FIELDS_AGENCY_ID_LEN_MAX) return false;
  for (size_t i = 0; i < n; i++) {
    const char c = s[i];
    if (!fg_is_digit(c) && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

/* ---- GB 11643 ---------------------------------------------------------- */

char fg_gb11643_check_char(const char digits17[17]) {
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char map[FG_FIELDS_ID_MOD + 1] = "10X98765432";
  FG_ASSERT_HOT(digits17 != NULL);
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    FG_ASSERT_HOT(fg_is_digit(digits17[i]));
    sum += (digits17[i] - '0') * weights[i];
  }
  return map[sum % FG_FIELDS_ID_MOD];
}

static int fg_digits_value(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* Birth part (digits 7-14) as a day, or FG_NODAY when not a real date.
 * The 17 leading characters must be digits. */
static fg_day fg_id_birth_or_none(const char *id) {
  const int y = fg_digits_value(id + 6, 4);
  const int m = fg_digits_value(id + 10, 2);
  const int d = fg_digits_value(id + 12, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > fg_days_in_month(y, m)) return FG_NODAY;
  return fg_day_from_ymd(y, m, d);
}

bool fg_gb11643_valid(const char *id, size_t n, fg_day as_of) {
  FG_ASSERT_HOT(id != NULL || n == 0);
  if (n != FG_FIELDS_ID_LEN) return false;
  for (int i = 0; i < 17; i++) {
    if (!fg_is_digit(id[i])) return false;
  }
  if (fg_gb11643_check_char(id) != id[17]) return false;
  /* Permanent residence number (2023 form): '9' + province in digits 2-3. */
  const char *prov = id[0] == '9' ? id + 1 : id;
  if (!fg_province_prefix_ok(fg_digits_value(prov, 2))) return false;
  const fg_day birth = fg_id_birth_or_none(id);
  if (birth == FG_NODAY) return false;
  return as_of == FG_NODAY || birth <= as_of;
}

fg_day fg_gb11643_birth(const char *id) {
  FG_ASSERT_HOT(id != NULL);
  for (int i = 6; i < 14; i++) FG_ASSERT_HOT(fg_is_digit(id[i]));
  const fg_day birth = fg_id_birth_or_none(id);
  FG_ASSERT_HOT(birth != FG_NODAY);
  return birth;
}

/* ---- GB 32100 ---------------------------------------------------------- */

static const char uscc_alphabet[FG_FIELDS_USCC_MOD + 1] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Value 0..30 of a code character, or -1 when outside the alphabet. */
static int fg_uscc_value(char c) {
  if (c == '\0') return -1;
  const char *p = memchr(uscc_alphabet, c, FG_FIELDS_USCC_MOD);
  return p ? (int)(p - uscc_alphabet) : -1;
}

char fg_gb32100_check_char(const char first17[17]) {
  static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  FG_ASSERT_HOT(first17 != NULL);
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    const int v = fg_uscc_value(first17[i]);
    FG_ASSERT_HOT(v >= 0);
    sum += v * weights[i];
  }
  const int c = (FG_FIELDS_USCC_MOD - sum % FG_FIELDS_USCC_MOD) % FG_FIELDS_USCC_MOD;
  FG_ASSERT_HOT(c >= 0 && c < FG_FIELDS_USCC_MOD);
  return uscc_alphabet[c];
}

bool fg_gb32100_valid(const char *s, size_t n) {
  FG_ASSERT_HOT(s != NULL || n == 0);
  if (n != FG_FIELDS_USCC_LEN) return false;
  for (size_t i = 0; i < n; i++) {
    if (fg_uscc_value(s[i]) < 0) return false;
  }
  for (size_t i = 2; i < 8; i++) {
    if (!fg_is_digit(s[i])) return false;
  }
  return fg_gb32100_check_char(s) == s[17];
}
