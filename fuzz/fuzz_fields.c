/*
 * fuzz_fields.c — libFuzzer harness for the single-field parsers of
 * fields/fields.h. Every parser sees the input; accepted values are checked
 * for consistency: money re-formatted as yuan parses back to the same fen,
 * a normalised person_id is stable, a valid identity number has a birth date
 * not after as_of and the right check character, a valid credit code has
 * the right check character and digits in positions 3-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/date.h"
#include "common/fg.h"
#include "fields/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_money(const char *s, size_t n) {
  int64_t fen = -1;
  if (!fg_parse_money(s, n, &fen)) return;
  if (fen < 0 || fen > 999999999999999LL) abort();
  char yuan[32];
  fg_fen_to_yuan(fen, yuan, sizeof yuan);
  int64_t again = -1;
  if (!fg_parse_money(yuan, strlen(yuan), &again) || again != fen) abort();
  int64_t milli = -1;
  if (!fg_parse_qty(s, n, &milli) || milli != fen * 10) abort(); /* money is a quantity */
}

static void check_ids(const char *s, size_t n) {
  char norm[19];
  if (fg_person_id_normalize(s, n, norm)) {
    char again[19];
    if (strlen(norm) != n || !fg_person_id_normalize(norm, n, again)) abort();
    if (strcmp(norm, again) != 0) abort();
    const fg_day as_of = fg_day_from_ymd(2024, 6, 30);
    if (fg_gb11643_valid(norm, n, as_of)) {
      if (n != 18 || fg_gb11643_check_char(norm) != norm[17]) abort();
      if (fg_gb11643_birth(norm) > as_of) abort();
    }
  }
  if (fg_gb32100_valid(s, n)) {
    if (n != 18 || fg_gb32100_check_char(s) != s[17]) abort();
    for (int i = 2; i < 8; i++) {
      if (s[i] < '0' || s[i] > '9') abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A heap copy of exactly size bytes: ASan sees any read past n. */
  char *s = malloc(size ? size : 1);
  if (s == NULL) return 0;
  if (size) memcpy(s, data, size);
  check_money(s, size);
  int64_t v;
  if (fg_parse_qty(s, size, &v) && v < 0) abort();
  if (fg_parse_uint(s, size, &v) && (v < 0 || v > 999999999)) abort();
  int y;
  if (fg_parse_year(s, size, &y) && (y < 0 || y > 9999)) abort();
  if (fg_region_ok(s, size) && size != 6) abort();
  check_ids(s, size);
  free(s);
  return 0;
}
