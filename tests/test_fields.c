/*
 * test_fields.c — the single-field parsers of fields/fields.h against the
 * data standard ("What import checks", "Codes"), and the GB 11643 / GB 32100
 * validators against the public vectors in tests/data/ids plus own cases.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/date.h"
#include "common/fg.h"
#include "fields/fields.h"

static bool money(const char *s, int64_t *out) { return fg_parse_money(s, strlen(s), out); }
static bool qty(const char *s, int64_t *out) { return fg_parse_qty(s, strlen(s), out); }

static fg_day D(const char *s) {
  fg_day d;
  assert_true(fg_parse_day(s, 10, &d));
  return d;
}

static void test_money_ok(void **state) {
  (void)state;
  int64_t v = -1;
  assert_true(money("3250", &v));
  assert_int_equal(v, 325000);
  assert_true(money("3250.5", &v));
  assert_int_equal(v, 325050);
  assert_true(money("3250.50", &v));
  assert_int_equal(v, 325050);
  assert_true(money("0", &v));
  assert_int_equal(v, 0);
  assert_true(money("0.01", &v));
  assert_int_equal(v, 1);
  assert_true(money("007.10", &v));
  assert_int_equal(v, 710);
  assert_true(money("9999999999999.99", &v)); /* 13 integer digits */
  assert_int_equal(v, 999999999999999LL);
  assert_true(money("1234567890123", &v));
  assert_int_equal(v, 123456789012300LL);
}

static void test_money_errors(void **state) {
  (void)state;
  static const char *const bad[] = {
      "1.234", "1e3", "-5", "12,000", "+5", ".5", "5.", "\xC2\xA5" "5", "", " 5", "5 ",
      "10000000000000", "12345678901234.5", "1..2", "1.2.3", "0x10", "５", "1.",
      "NaN", "1 000", "1.5a",
  };
  for (size_t i = 0; i < FG_ARRAY_LEN(bad); i++) {
    int64_t v = 777;
    if (money(bad[i], &v)) fail_msg("money accepted \"%s\"", bad[i]);
    assert_int_equal(v, 777);
  }
  /* The length is honoured: no reading past n. */
  int64_t v;
  assert_true(fg_parse_money("12.345", 5, &v));
  assert_int_equal(v, 1234);
  assert_false(fg_parse_money("12", 0, &v));
}

static void test_qty(void **state) {
  (void)state;
  int64_t v = -1;
  assert_true(qty("2", &v));
  assert_int_equal(v, 2000);
  assert_true(qty("0.5", &v));
  assert_int_equal(v, 500);
  assert_true(qty("1.25", &v));
  assert_int_equal(v, 1250);
  assert_true(qty("1.234", &v));
  assert_int_equal(v, 1234);
  assert_true(qty("999999999999999.999", &v)); /* 15 integer digits */
  assert_int_equal(v, 999999999999999999LL);
  static const char *const bad[] = {"1.2345", "1e3", "-1", ".5", "5.", "+1", "1,5", "",
                                    "1000000000000000", "a"};
  for (size_t i = 0; i < FG_ARRAY_LEN(bad); i++) {
    if (qty(bad[i], &v)) fail_msg("qty accepted \"%s\"", bad[i]);
  }
}

static void test_uint_year(void **state) {
  (void)state;
  int64_t v = -1;
  assert_true(fg_parse_uint("0", 1, &v));
  assert_int_equal(v, 0);
  assert_true(fg_parse_uint("0042", 4, &v));
  assert_int_equal(v, 42);
  assert_true(fg_parse_uint("999999999", 9, &v));
  assert_int_equal(v, 999999999);
  assert_false(fg_parse_uint("1000000000", 10, &v));
  assert_false(fg_parse_uint("", 0, &v));
  assert_false(fg_parse_uint("-1", 2, &v));
  assert_false(fg_parse_uint("+1", 2, &v));
  assert_false(fg_parse_uint("1.0", 3, &v));
  assert_false(fg_parse_uint("1a", 2, &v));
  int y = -1;
  assert_true(fg_parse_year("2024", 4, &y));
  assert_int_equal(y, 2024);
  assert_true(fg_parse_year("0999", 4, &y));
  assert_int_equal(y, 999);
  assert_false(fg_parse_year("202", 3, &y));
  assert_false(fg_parse_year("20245", 5, &y));
  assert_false(fg_parse_year("20a4", 4, &y));
  assert_false(fg_parse_year("-202", 4, &y));
}

static void test_person_id(void **state) {
  (void)state;
  char out[19];
  assert_true(fg_person_id_normalize("44011320141005001x", 18, out));
  assert_string_equal(out, "44011320141005001X");
  assert_true(fg_person_id_normalize("44011320141005001X", 18, out));
  assert_string_equal(out, "44011320141005001X");
  assert_true(fg_person_id_normalize("x", 1, out));
  assert_string_equal(out, "X");
  assert_true(fg_person_id_normalize("abx", 3, out));
  assert_string_equal(out, "abX"); /* only a trailing x changes */
  assert_true(fg_person_id_normalize("xab", 3, out));
  assert_string_equal(out, "xab");
  assert_true(fg_person_id_normalize("110101550101001", 15, out)); /* legacy 15 digits */
  assert_string_equal(out, "110101550101001");
  assert_true(fg_person_id_normalize("000000000000000000", 18, out));
  assert_string_equal(out, "000000000000000000");
  assert_false(fg_person_id_normalize("", 0, out));
  assert_false(fg_person_id_normalize("4401132014100500123", 19, out));
  assert_false(fg_person_id_normalize("440113-2014", 11, out));
  assert_false(fg_person_id_normalize("4401 13", 7, out));
  assert_false(fg_person_id_normalize("\xE5\xBC\xA0", 3, out)); /* 张 */
}

static void test_region(void **state) {
  (void)state;
  static const int ok[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                           42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
                           81, 82, 83};
  int n_ok = 0;
  for (int p = 0; p <= 99; p++) {
    bool expect = false;
    for (size_t i = 0; i < FG_ARRAY_LEN(ok); i++) expect = expect || ok[i] == p;
    assert_int_equal(fg_province_prefix_ok(p), expect);
    char code[7] = {(char)('0' + p / 10), (char)('0' + p % 10), '0', '1', '0', '2', '\0'};
    assert_int_equal(fg_region_ok(code, 6), expect);
    n_ok += expect;
  }
  assert_int_equal(n_ok, 35);
  assert_true(fg_region_ok("410100", 6));
  assert_false(fg_region_ok("41010", 5));
  assert_false(fg_region_ok("4101000", 7));
  assert_false(fg_region_ok("41010a", 6));
  assert_false(fg_region_ok("", 0));
}

/* Run every row of a vector file "number,expected,..." through valid(). */
static void check_vectors(const char *file, bool (*valid)(const char *s, size_t n),
                          int min_rows) {
  char path[1024];
  snprintf(path, sizeof path, "%s/ids/%s", FG_TESTDATA_DIR, file);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[256];
  int rows = 0;
  assert_non_null(fgets(line, sizeof line, f)); /* header */
  while (fgets(line, sizeof line, f)) {
    char *c1 = strchr(line, ',');
    assert_non_null(c1);
    *c1 = '\0';
    char *c2 = strchr(c1 + 1, ',');
    assert_non_null(c2);
    *c2 = '\0';
    const bool expect = strcmp(c1 + 1, "valid") == 0;
    assert_true(expect || strcmp(c1 + 1, "invalid") == 0);
    if (valid(line, strlen(line)) != expect) fail_msg("%s: %s should be %s", file, line, c1 + 1);
    rows++;
  }
  fclose(f);
  assert_true(rows >= min_rows);
}

static bool ric_valid_today(const char *s, size_t n) {
  char norm[19];
  if (!fg_person_id_normalize(s, n, norm)) return false;
  return fg_gb11643_valid(norm, n, D("2026-01-01"));
}

static void test_gb11643_vectors(void **state) {
  (void)state;
  check_vectors("cn_ric.csv", ric_valid_today, 6);
}

static void test_gb32100_vectors(void **state) {
  (void)state;
  check_vectors("cn_uscc.csv", fg_gb32100_valid, 200);
}

/* Make a valid number from 17 digits. */
static void make_id(const char *digits17, char out[19]) {
  memcpy(out, digits17, 17);
  out[17] = fg_gb11643_check_char(digits17);
  out[18] = '\0';
}

static void test_gb11643_own(void **state) {
  (void)state;
  const fg_day as_of = D("2024-06-30");
  char id[19];
  assert_int_equal(fg_gb11643_check_char("11010519491231002"), 'X'); /* GB 11643 example */
  make_id("11010519491231002", id);
  assert_true(fg_gb11643_valid(id, 18, as_of));
  assert_int_equal(fg_gb11643_birth(id), D("1949-12-31"));
  id[17] = id[17] == '0' ? '1' : '0';
  assert_false(fg_gb11643_valid(id, 18, as_of)); /* wrong check char */
  make_id("41010020000229123", id); /* 29 Feb in a leap year */
  assert_true(fg_gb11643_valid(id, 18, as_of));
  make_id("41010020010229123", id); /* 29 Feb in a common year */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  make_id("41010019000229123", id); /* 1900 was not a leap year */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  make_id("41010020240630123", id); /* born on as_of: fine */
  assert_true(fg_gb11643_valid(id, 18, as_of));
  make_id("41010020240701123", id); /* born after as_of */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  assert_true(fg_gb11643_valid(id, 18, D("2024-07-01")));
  make_id("16010019800101123", id); /* 16 is no province */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  make_id("81000019800101123", id); /* Hong Kong residence permit */
  assert_true(fg_gb11643_valid(id, 18, as_of));
  make_id("93100019800101123", id); /* permanent residence, Shanghai */
  assert_true(fg_gb11643_valid(id, 18, as_of));
  make_id("99000019800101123", id); /* 9 + 90: no province */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  make_id("91100019801301123", id); /* permanent residence, month 13 */
  assert_false(fg_gb11643_valid(id, 18, as_of));
  assert_false(fg_gb11643_valid(id, 17, as_of));
  assert_false(fg_gb11643_valid("11010519491231002x", 18, as_of)); /* not normalised */
  assert_false(fg_gb11643_valid("110101194912310", 15, as_of));
  assert_false(fg_gb11643_valid("1101051949123100AX", 18, as_of));
}

static void test_gb32100_own(void **state) {
  (void)state;
  assert_int_equal(fg_gb32100_check_char("91110000600037341"), 'L');
  assert_true(fg_gb32100_valid("91110000600037341L", 18));
  assert_false(fg_gb32100_valid("91110000600037341l", 18)); /* lower case */
  assert_false(fg_gb32100_valid("91110000600037341", 17));
  assert_false(fg_gb32100_valid("91110A00600037341L", 18)); /* letter in 3-8 */
  /* Every check value 0..30 is reachable and maps into the alphabet. */
  char code[19] = "9141010000000000";
  bool seen[128] = {false};
  for (int a = 0; a < 31 * 4; a++) {
    code[16] = "0123456789ABCDEFGHJKLMNPQRTUWXY"[a % 31];
    code[15] = "0123"[a / 31];
    code[17] = fg_gb32100_check_char(code);
    code[18] = '\0';
    assert_true(fg_gb32100_valid(code, 18));
    seen[(unsigned char)code[17]] = true;
    for (const char *bad = "IOSVZ"; *bad; bad++) {
      char copy[19];
      memcpy(copy, code, 19);
      copy[17] = *bad;
      assert_false(fg_gb32100_valid(copy, 18));
    }
  }
  int distinct = 0;
  for (int i = 0; i < 128; i++) distinct += seen[i];
  assert_int_equal(distinct, 31);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_money_ok),        cmocka_unit_test(test_money_errors),
      cmocka_unit_test(test_qty),             cmocka_unit_test(test_uint_year),
      cmocka_unit_test(test_person_id),       cmocka_unit_test(test_region),
      cmocka_unit_test(test_gb11643_vectors), cmocka_unit_test(test_gb32100_vectors),
      cmocka_unit_test(test_gb11643_own),     cmocka_unit_test(test_gb32100_own),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
