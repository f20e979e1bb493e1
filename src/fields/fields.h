/*
 * fields.h — strict parsers and validators for single field values of the
 * data standard (money, quantities, whole numbers, identity numbers, unified
 * social credit codes, region codes), plus the check-character functions the
 * generator uses to make valid numbers.
 *
 * Every parser takes (s, n): the field's bytes, already trimmed of U+0020,
 * not necessarily NUL-terminated. They never allocate and never read past n.
 */
#ifndef FG_FIELDS_FIELDS_H
#define FG_FIELDS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/date.h"

/* [0-9]{1,13}(\.[0-9]{1,2})? -> fen. */
bool fg_parse_money(const char *s, size_t n, int64_t *out_fen);
/* [0-9]+(\.[0-9]{1,3})? -> thousandths (at most 15 integer digits). */
bool fg_parse_qty(const char *s, size_t n, int64_t *out_milli);
/* [0-9]+ (at most 9 digits). */
bool fg_parse_uint(const char *s, size_t n, int64_t *out);
/* exactly 4 digits */
bool fg_parse_year(const char *s, size_t n, int *out);

/* person_id as import accepts it: 1-18 ASCII letters and digits. Writes the
 * normalised form (a trailing 'x' upper-cased) to out (>= 19 bytes). */
bool fg_person_id_normalize(const char *s, size_t n, char *out);

/* Region: 6 digits whose first two are a province-level prefix
 * (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83). */
bool fg_province_prefix_ok(int two_digits);
bool fg_region_ok(const char *s, size_t n);
/* The value of a text of exactly six ASCII digits (0 ..
 * 999999), -1 for any other text: a division code's number, without
 * fg_region_ok's province check (the screening model holds regions so). */
int32_t fg_region_digits(const char *s, size_t n);

/* (v1.3) agency_id: 1-20 ASCII letters and digits. */
#define FG_FIELDS_AGENCY_ID_LEN_MAX 20
bool fg_agency_id_ok(const char *s, size_t n);

/* GB 11643 ISO 7064 MOD 11-2 check character for 17 digits ('0'-'9'/'X'). */
char fg_gb11643_check_char(const char digits17[17]);
/* Full validity as rule identity.invalid_id defines it: 17 digits + check
 * char, correct check char, birth part a real date not after as_of, first two
 * digits a province-level code; or a foreigner's permanent residence number
 * ('9' + province code in digits 2-3, same birth part and check char).
 * id must already be normalised (upper-case X). as_of == FG_NODAY: no bound
 * on the birth date (it must still be a real date). */
bool fg_gb11643_valid(const char *id, size_t n, fg_day as_of);
/* Birth date encoded in a (valid) identity number. */
fg_day fg_gb11643_birth(const char *id);

/* GB 32100: alphabet 0-9A-HJ-NP-RTUWXY, digits 3-8 a division code (digits),
 * check character 18 by MOD 31 with weights 3^(i-1) mod 31. */
char fg_gb32100_check_char(const char first17[17]);
bool fg_gb32100_valid(const char *s, size_t n);

#endif
