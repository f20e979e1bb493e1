/*
 * test_export.c — the findings export (screen/export.h): RFC 4180 quoting
 * of details with commas, quotes and newlines, amounts in yuan with two
 * decimals, JSON Lines escaping, and an xlsx workbook that is a real zip
 * file, the UTF-8 BOM and run_kind (official | what-if) of every export, and
 * the masking of personal ids in views on a terminal. Findings are stored
 * through the store's screening section first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/export.h"
#include "store/store.h"
#include "testutil.h"

static const char *title_of(const char *rule) {
  return strcmp(rule, "benefit.paid_after_death") == 0 ? "死亡后继续发放待遇" : "";
}

static void test_csv_field(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  fg_export_csv_field(&b, "plain 张三");
  fg_buf_addc(&b, '|');
  fg_export_csv_field(&b, "a,b \"q\"\nline2");
  fg_buf_addc(&b, '|');
  fg_export_csv_field(&b, "");
  assert_string_equal(b.buf, "plain 张三|\"a,b \"\"q\"\"\nline2\"|");
  fg_buf_reset(&b);
  fg_export_json_string(&b, "x\"\\\n\t\x01张");
  assert_string_equal(b.buf, "\"x\\\"\\\\\\n\\t\\u0001张\"");
  fg_buf_release(&b);
}

/* Issue 12.15: cells a spreadsheet would run as formulas get a leading '
 * (OWASP), plain numbers stay numbers. */
static void test_csv_formula_injection(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"=1+cmd|calc", "'=1+cmd|calc"}, {"+1", "'+1"},      {"-x", "'-x"},
      {"@SUM(A1)", "'@SUM(A1)"},       {"\tA", "'\tA"},   {"\rA", "\"'\rA\""},
      {"=a,b", "\"'=a,b\""},           {"-12.50", "-12.50"}, {"-7", "-7"},
      {"12", "12"},                    {"-1.", "'-1."},    {"-.5", "'-.5"},
      {"6222=1", "6222=1"},            {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fg_buf b = FG_BUF_INIT;
    fg_export_csv_field(&b, cases[i][0]);
    fg_buf_addc(&b, '\0');
    if (strcmp(b.buf, cases[i][1]) != 0) fprintf(stderr, "case %zu: %s\n", i, b.buf);
    assert_string_equal(b.buf, cases[i][1]);
    fg_buf_release(&b);
  }
}

/* A store with one run of three findings (official or what-if); returns
 * the store path (heap). */
static char *make_store_kind(const char *dir, int64_t *run_id, bool official) {
  char *path = malloc(4200);
  snprintf(path, 4200, "%s/fg.db", dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  fg_store_evidence ev[] = {{FG_T_BENEFIT_PAYMENTS, 3}, {FG_T_DEATHS, 1}};
  fg_store_finding f[] = {
      {"benefit.paid_after_death", "person", "11010519491231002X", 1234505, "high",
       "periods 2024-06,2024-07; note \"late\"\nsecond line", ev, 2},
      {"control.tenure_exceeded", "staff_id", "S001", 0, "low", "post 出纳", NULL, 0},
      {"medical.price_over_limit", "settlement_id", "000123", 7, "medium", "x", NULL, 0},
  };
  char hex[65];
  memset(hex, 'b', 64);
  hex[64] = 0;
  fg_store_run r = {0, "2025-01-01T08:00:00", "2025-01-01T08:00:01", "2025-01-01", "a", "", hex,
                    official, "", 0, "tester", 3, hex, false, false};
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_run_add(s, &r, run_id, &err), 0);
  assert_int_equal(fg_store_findings_add(s, *run_id, f, 3, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
  return path;
}

static char *make_store(const char *dir, int64_t *run_id) {
  return make_store_kind(dir, run_id, true);
}

static char *export_view(const char *db, const char *dir, fg_export_format fmt, const char *rule,
                         int64_t run_id, int64_t *count, bool terminal_view) {
  char out[4300];
  snprintf(out, sizeof out, "%s/out.txt", dir);
  FILE *f = fopen(out, "wb");
  assert_non_null(f);
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(db, true, &s, &err), 0);
  fg_export_opts o = {.run_id = run_id, .rule = rule, .format = fmt, .out = f,
                      .title_of = title_of, .terminal_view = terminal_view};
  assert_int_equal(fg_export_findings(s, &o, count, &err), 0);
  fg_store_close(s);
  fclose(f);
  size_t n = 0;
  return fg_test_read(out, &n);
}

static char *export_text(const char *db, const char *dir, fg_export_format fmt, const char *rule,
                         int64_t run_id, int64_t *count) {
  return export_view(db, dir, fmt, rule, run_id, count, false);
}

/* Views on screen mask personal ids: 6 + stars + 4; short ids keep a
 * quarter each side; ids inside text are found by their form. */
static void test_mask(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  fg_export_mask_id(&b, "11010119900307123X", 18);
  assert_string_equal(b.buf, "110101********123X");
  fg_buf_reset(&b);
  fg_export_mask_id(&b, "AB12", 4);
  assert_string_equal(b.buf, "A**2");
  fg_buf_reset(&b);
  fg_export_mask_id(&b, "张三丰李四", strlen("张三丰李四"));
  assert_string_equal(b.buf, "张***四");
  fg_buf_reset(&b);
  fg_export_mask_text(&b, "dup of 11010119900307123x, 110101900307123 (old); "
                          "1101011990030712345 phone 13800138000 身份证11010119900307123X重复");
  assert_string_equal(b.buf, "dup of 110101********123x, 110101*****7123 (old); "
                             "1101011990030712345 phone 13800138000 身份证110101********123X重复");
  fg_buf_release(&b);
}

static void test_terminal_view_what_if(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  int64_t run_id = 0, count = 0;
  char *db = make_store_kind(dir, &run_id, false);
  char *csv = export_view(db, dir, FG_EXPORT_CSV, NULL, run_id, &count, true);
  assert_int_equal(count, 3);
  assert_memory_equal(csv, "rule,", 5); /* no BOM on a terminal */
  assert_non_null(strstr(csv, "\nbenefit.paid_after_death,person,110105********002X,12345.05,"));
  assert_null(strstr(csv, "11010519491231002X"));
  assert_non_null(strstr(csv, ",staff_id,S001,")); /* only persons are masked */
  assert_non_null(strstr(csv, ",what-if,1,,低,经办人员,假设分析,"));
  free(csv);
  csv = export_text(db, dir, FG_EXPORT_JSONL, NULL, run_id, &count);
  assert_non_null(strstr(csv, "\"run_kind\":\"what-if\""));
  assert_non_null(strstr(csv, "11010519491231002X")); /* exports stay whole */
  free(csv);
  free(db);
  fg_test_rmrf(dir);
  free(dir);
}

static void test_csv_export(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  int64_t run_id = 0, count = 0;
  char *db = make_store(dir, &run_id);
  char *csv = export_text(db, dir, FG_EXPORT_CSV, NULL, run_id, &count);
  assert_int_equal(count, 3);
  const char *want =
      "\xEF\xBB\xBF" /* BOM: Excel and WPS then read the Chinese right */
      "rule,subject_type,subject_id,amount,detail,severity,title_zh,evidence,run_kind,run_id,"
      "disposition,severity_zh,subject_type_zh,run_kind_zh,name,region,unit_id,unit_name,finding_id,finding_no,continuity\n"
      "benefit.paid_after_death,person,11010519491231002X,12345.05,"
      "\"periods 2024-06,2024-07; note \"\"late\"\"\nsecond line\",high,死亡后继续发放待遇,"
      "benefit_payments:3;deaths:1,official,1,,高,参保人,正式,,,,,1,1,new\n"
      "control.tenure_exceeded,staff_id,S001,0.00,post 出纳,low,,,official,1,,低,经办人员,正式,,,,,2,2,new\n"
      "medical.price_over_limit,settlement_id,000123,0.07,x,medium,,,official,1,,中,医疗结算单,正式,,,,"
      ",3,3,new\n";
  assert_string_equal(csv, want);
  free(csv);
  csv = export_text(db, dir, FG_EXPORT_CSV, "control.tenure_exceeded", run_id, &count);
  assert_int_equal(count, 1);
  assert_non_null(strstr(csv, "S001"));
  assert_null(strstr(csv, "000123"));
  free(csv);
  /* issue 13.5: a list of rules */
  csv = export_text(db, dir, FG_EXPORT_CSV, "control.tenure_exceeded,medical.price_over_limit",
                    run_id, &count);
  assert_int_equal(count, 2);
  assert_null(strstr(csv, "benefit.paid_after_death"));
  free(csv);
  assert_true(fg_export_in_list("high,low", "low", false));
  assert_false(fg_export_in_list("high,low", "lo", false));
  assert_true(fg_export_in_list("3601,4401", "360121", true));
  assert_false(fg_export_in_list("3601", "36", true));
  free(db);
  fg_test_rmrf(dir);
  free(dir);
}

static void test_jsonl_export(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  int64_t run_id = 0, count = 0;
  char *db = make_store(dir, &run_id);
  char *js = export_text(db, dir, FG_EXPORT_JSONL, NULL, run_id, &count);
  assert_int_equal(count, 3);
  const char *first =
      "{\"run_id\":1,\"run_kind\":\"official\",\"rule\":\"benefit.paid_after_death\",\"subject_type\":\"person\","
      "\"subject_id\":\"11010519491231002X\",\"amount\":12345.05,\"amount_fen\":1234505,"
      "\"severity\":\"high\",\"title_zh\":\"死亡后继续发放待遇\","
      "\"detail\":\"periods 2024-06,2024-07; note \\\"late\\\"\\nsecond line\","
      "\"evidence\":[\"benefit_payments:3\",\"deaths:1\"],\"disposition\":\"\","
      "\"severity_zh\":\"高\",\"subject_type_zh\":\"参保人\",\"run_kind_zh\":\"正式\","
      "\"name\":\"\",\"region\":\"\",\"unit_id\":\"\",\"unit_name\":\"\",\"finding_id\":1,"
      "\"finding_no\":1,\"continuity\":\"new\"}\n";
  assert_memory_equal(js, first, strlen(first));
  assert_non_null(strstr(js, "\"amount\":0.07,"));
  assert_non_null(strstr(js, "\"evidence\":[],\"disposition\":\"\","));
  int lines = 0;
  for (const char *p = js; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, 3);
  free(js);
  free(db);
  fg_test_rmrf(dir);
  free(dir);
}

static void test_xlsx_export(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  int64_t run_id = 0, count = 0;
  char *db = make_store(dir, &run_id);
  char out[4300];
  snprintf(out, sizeof out, "%s/findings.xlsx", dir);
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(db, true, &s, &err), 0);
  fg_export_opts o = {.run_id = run_id, .format = FG_EXPORT_XLSX, .xlsx_path = out,
                      .title_of = title_of};
  assert_int_equal(fg_export_findings(s, &o, &count, &err), 0);
  fg_store_close(s);
  assert_int_equal(count, 3);
  size_t n = 0;
  char *x = fg_test_read(out, &n);
  assert_non_null(x);
  assert_true(n > 1000);
  assert_memory_equal(x, "PK\x03\x04", 4);
  free(x);
  fg_export_format fmt;
  assert_true(fg_export_parse_format("jsonl", &fmt) && fmt == FG_EXPORT_JSONL);
  assert_false(fg_export_parse_format("xls", &fmt));
  free(db);
  fg_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_csv_field),
      cmocka_unit_test(test_csv_formula_injection),
      cmocka_unit_test(test_csv_export),
      cmocka_unit_test(test_jsonl_export),
      cmocka_unit_test(test_xlsx_export),
      cmocka_unit_test(test_mask),
      cmocka_unit_test(test_terminal_view_what_if),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
