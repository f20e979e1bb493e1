/*
 * test_import.c — the importer against data-standard.md v1.2, in process
 * (fg_import_dir on a fresh store, CSV files written to a temp directory):
 * atomicity, keys and repeats, references, quarantine with cascade,
 * idempotent re-import, encodings, notices, file-level errors and the
 * exact error format.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fields/fields.h"
#include "import/import.h"
#include "import/import_impl.h"
#include "import/import_pipe.h"
#include "journal/journal.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "testutil.h"

typedef struct fx {
  char *root;
  char db[4200];
  fg_store *s;
  int ndirs;
} fx;

static int fx_setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->root = fg_test_tmpdir();
  snprintf(f->db, sizeof f->db, "%s/t.db", f->root);
  fg_err err = {0};
  assert_int_equal(fg_store_create(f->db, &f->s, &err), 0);
  *state = f;
  return 0;
}

static int fx_teardown(void **state) {
  fx *f = *state;
  fg_store_close(f->s);
  fg_test_rmrf(f->root);
  free(f->root);
  free(f);
  return 0;
}

/* A fresh data directory; returns a static-lifetime path in buf. */
static const char *fx_dir(fx *f, char *buf, size_t n) {
  snprintf(buf, n, "%s/d%d", f->root, f->ndirs++);
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s'", buf);
  assert_int_equal(system(cmd), 0);
  return buf;
}

/* Every stored batch: the journal digests the import computed while
 * storing must equal those re-derived from the stored rows. */
static int fx_digest_hook(void *ud, fg_store *s, const fg_import_result *r, fg_err *err) {
  int *checked = ud;
  assert_non_null(r->digests);
  const int rc = fg_import_journal_check(s, r, err);
  if (rc != 0) fprintf(stderr, "%s\n", err->msg);
  assert_int_equal(rc, 0);
  (*checked)++;
  return 0;
}

static int fx_checked;

static int fx_import(fx *f, const char *dir, const char *quarantine, fg_import_result *r,
                     fg_err *err) {
  fg_import_opts o = {.quarantine_path = quarantine, .actor = "tester",
                      .before_commit = fx_digest_hook, .hook_ud = &fx_checked};
  return fg_import_dir(f->s, dir, &o, r, err);
}

static bool has_line(char **list, int n, const char *s) {
  for (int i = 0; i < n; i++)
    if (strcmp(list[i], s) == 0) return true;
  return false;
}

static bool has_sub(char **list, int n, const char *s) {
  for (int i = 0; i < n; i++)
    if (strstr(list[i], s) != NULL) return true;
  return false;
}

/* The messages of a result, on stderr only with FG_TEST_VERBOSE set: a
 * passing test prints nothing. */
static void dump(const fg_import_result *r) {
  if (getenv("FG_TEST_VERBOSE") == NULL) return;
  for (int i = 0; i < r->nerrors_listed; i++) fprintf(stderr, "  error: %s\n", r->errors[i]);
  for (int i = 0; i < r->nnotices; i++) fprintf(stderr, "  notice: %s\n", r->notices[i]);
}

static const char PERSONS[] =
    "person_id,name,sex,birth_date,region\n"
    "11010519491231002x,张三,1,1949-12-31,110105\n"
    "110105195001010011,李四,2,1950-01-01,\n";

static void valid_uscc(char out[19]) {
  memcpy(out, "91110000100000000", 17);
  out[17] = fg_gb32100_check_char(out);
  out[18] = '\0';
}

static int64_t total_rows(fg_store *s) {
  int64_t n = 0;
  for (int t = 0; t < FG_T_COUNT; t++) n += fg_store_count(s, t);
  return n;
}

static void test_basic_and_idempotent(void **state) {
  fx *f = *state;
  char d[4200];
  fx_dir(f, d, sizeof d);
  char uscc[19], emp[256], con[512];
  valid_uscc(uscc);
  snprintf(emp, sizeof emp, "EMPLOYER_ID,Name\n%s,\"某某公司, 有限\"\"责任\"\"\"\n", uscc);
  fg_test_write(d, "persons.csv", PERSONS, (size_t)-1);
  fg_test_write(d, "employers.csv", emp, (size_t)-1);
  snprintf(con, sizeof con,
           "amount,base,person_id,employer_id,scheme,region,period,paid_date,kind\r\n"
           "400.5,5000,11010519491231002X,%s,110,410100,2024-01,2024-01-15,normal\r\n"
           " 0.01 ,12,110105195001010011,,110,410100,2024-02,2024-02-15,back_payment\r\n",
           uscc);
  fg_test_write(d, "contributions.csv", con, (size_t)-1);
  fg_import_result r;
  fg_err err = {0};
  int rc = fx_import(f, d, NULL, &r, &err);
  if (rc) dump(&r);
  assert_int_equal(rc, 0);
  assert_true(r.batch_id > 0);
  assert_int_equal(r.nfiles, 3);
  assert_int_equal(r.files[0].table, FG_T_PERSONS);
  assert_int_equal(r.files[2].table, FG_T_CONTRIBUTIONS);
  assert_int_equal(r.files[2].rows_stored, 2);
  assert_int_equal(r.files[2].rowid_last - r.files[2].rowid_first, 1);
  assert_int_equal(strlen(r.files[2].sha256_hex), 64);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), 2);
  fg_value v[FG_MAX_COLS];
  bool found = false;
  assert_int_equal(fg_store_get_row(f->s, FG_T_CONTRIBUTIONS, 2, v, &found, &err), 0);
  assert_true(found);
  assert_int_equal(v[6].i, 1);   /* amount 0.01 yuan = 1 fen */
  assert_true(v[1].is_null);     /* empty employer_id */
  assert_int_equal(fg_store_get_row(f->s, FG_T_CONTRIBUTIONS, 1, v, &found, &err), 0);
  assert_int_equal(v[6].i, 40050);
  assert_int_equal(v[5].i, 500000);
  assert_int_equal(fg_store_get_row(f->s, FG_T_EMPLOYERS, 1, v, &found, &err), 0);
  assert_string_equal(v[1].s, "某某公司, 有限\"责任\"");
  assert_int_equal(fg_store_get_row(f->s, FG_T_PERSONS, 1, v, &found, &err), 0);
  assert_string_equal(v[0].s, "11010519491231002X");

  /* the same file set again: a no-op */
  const int64_t batches = fg_store_batch_count(f->s), rows = total_rows(f->s);
  rc = fx_import(f, d, NULL, &r, &err);
  assert_int_equal(rc, 0);
  assert_true(r.noop);
  assert_int_equal(r.batch_id, 0);
  assert_true(r.files[0].skipped && r.files[1].skipped && r.files[2].skipped);
  assert_true(has_sub(r.notices, r.nnotices, "persons.csv 与此前导入的文件完全相同"));
  fg_import_result_release(&r);
  assert_int_equal(fg_store_batch_count(f->s), batches);
  assert_int_equal(total_rows(f->s), rows);
}

/* The importer judges a record while the reader is already one record
 * ahead (import_row.c fg_imp_hold): a quoted field holding "" lies in the
 * reader's per-record scratch, which reading the next record overwrites.
 * Each row must keep its own text. */
static void test_quoted_rows_held(void **state) {
  fx *f = *state;
  char d[4200];
  fx_dir(f, d, sizeof d);
  char uscc[3][19], emp[1024];
  for (int i = 0; i < 3; i++) {
    memcpy(uscc[i], "91110000100000000", 17);
    uscc[i][16] = (char)('1' + i);
    uscc[i][17] = fg_gb32100_check_char(uscc[i]);
    uscc[i][18] = '\0';
  }
  snprintf(emp, sizeof emp,
           "employer_id,name\n%s,\"甲\"\"一\"\"公司\"\n%s,\"乙\"\"二\"\n%s,\"丙, 三\"\n",
           uscc[0], uscc[1], uscc[2]);
  fg_test_write(d, "employers.csv", emp, (size_t)-1);
  fg_import_result r;
  fg_err err = {0};
  const int rc = fx_import(f, d, NULL, &r, &err);
  if (rc) dump(&r);
  assert_int_equal(rc, 0);
  assert_int_equal(r.files[0].rows_stored, 3);
  fg_import_result_release(&r);
  static const char *const want[3] = {"甲\"一\"公司", "乙\"二", "丙, 三"};
  for (int i = 0; i < 3; i++) {
    fg_value v[FG_MAX_COLS];
    bool found = false;
    assert_int_equal(fg_store_get_row(f->s, FG_T_EMPLOYERS, i + 1, v, &found, &err), 0);
    assert_true(found);
    assert_string_equal(v[0].s, uscc[i]);
    assert_string_equal(v[1].s, want[i]);
  }
}

/* The read-ahead's hashes are the judge's (fg_imp_hash_known): person ids
 * in lower case are upper-cased by the judge, so a hash of the raw field
 * would miss both the key set (a resent person not seen as unchanged) and
 * the reference set (an enrollment of a known person refused). Every row
 * but a file's first is judged with the hashes made one record ahead. */
static void test_hashes_carried_ahead(void **state) {
  fx *f = *state;
  enum { N = 5 };
  char d[4200], persons[1024], enroll[1024];
  size_t pn = (size_t)snprintf(persons, sizeof persons, "person_id,name,sex,birth_date\n");
  size_t en = (size_t)snprintf(enroll, sizeof enroll, "person_id,scheme,region,start_date\n");
  for (int i = 0; i < N; i++) {
    pn += (size_t)snprintf(persons + pn, sizeof persons - pn, "11010519491231%03dx,某,1,1949-12-31\n", i);
    en += (size_t)snprintf(enroll + en, sizeof enroll - en,
                           "11010519491231%03dx,110,410100,2020-01-01\n", i);
  }
  fg_import_result r;
  fg_err err = {0};
  for (int round = 0; round < 2; round++) { /* the second resends them and one more */
    fx_dir(f, d, sizeof d);
    if (round == 1)
      pn += (size_t)snprintf(persons + pn, sizeof persons - pn, "11010519491231%03dx,某,1,1949-12-31\n", N);
    fg_test_write(d, "persons.csv", persons, (size_t)-1);
    if (round == 0) fg_test_write(d, "enrollments.csv", enroll, (size_t)-1);
    const int rc = fx_import(f, d, NULL, &r, &err);
    if (rc) dump(&r);
    assert_int_equal(rc, 0);
    assert_int_equal(r.nerrors, 0);
    assert_int_equal(r.nfiles, round == 0 ? 2 : 1);
    for (int i = 0; i < r.nfiles; i++) {
      assert_int_equal(r.files[i].rows_stored, round == 0 ? N : 1);
      assert_int_equal(r.files[i].rows_unchanged, round == 0 ? 0 : N);
    }
    fg_import_result_release(&r);
  }
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), N + 1);
  assert_int_equal(fg_store_count(f->s, FG_T_ENROLLMENTS), N);
}

static void test_atomic_last_line_of_last_file(void **state) {
  fx *f = *state;
  char d[4200];
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv", PERSONS, (size_t)-1);
  fg_import_result r;
  fg_err err = {0};
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  int64_t before[FG_T_COUNT];
  for (int t = 0; t < FG_T_COUNT; t++) before[t] = fg_store_count(f->s, t);
  const int64_t batches = fg_store_batch_count(f->s);

  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date\n120101198001010012,王五,1,1980-01-01\n",
                (size_t)-1);
  fg_test_write(d, "deaths.csv", "person_id,death_date,source\nX1,2020-01-01,health\n",
                (size_t)-1);
  fg_test_write(d, "wage_bases.csv",
                "region,year,floor,cap\n410100,2023,3000,20000\n410100,2024,3000,2e4\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_int_equal(r.nerrors, 1);
  assert_string_equal(r.errors[0],
                      "wage_bases.csv:3:4: cap: 金额应为元，非负，最多 13 位整数和 2 位小数 (2e4)");
  assert_int_equal(r.batch_id, 0);
  fg_import_result_release(&r);
  for (int t = 0; t < FG_T_COUNT; t++) assert_int_equal(fg_store_count(f->s, t), before[t]);
  assert_int_equal(fg_store_batch_count(f->s), batches);
  assert_false(fg_store_table_present(f->s, FG_T_WAGE_BASES));
}

static void test_field_errors_format(void **state) {
  fx *f = *state;
  char d[4200];
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date,region\n"
                "A1,\"多行\n姓名\",3,2023-02-30,990000\n"
                "A-2,  ,1,1990-01-01,\n",
                (size_t)-1);
  fg_test_write(d, "operations.csv",
                "op_id,op_type,operator_id,at,amount\nO1,enroll,S1,2024-01-01T24:00:00,-5\n",
                (size_t)-1);
  fg_import_result r;
  fg_err err = {0};
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  dump(&r);
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "persons.csv:2:3: sex: 不是允许的代码之一 [1 2] (3)"));
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "persons.csv:2:4: birth_date: 不是有效日期，应为 1900-01-01 至 "
                       "2099-12-31 间的 YYYY-MM-DD (2023-02-30)"));
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "persons.csv:2:5: region: 行政区划代码应为 6 位数字，前两位为省级代码 "
                       "(990000)"));
  /* the record of line 2 spans two lines; the next starts on line 4 */
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "persons.csv:4:1: person_id: 身份证号应为 1-18 位 ASCII 字母或数字 (A-2)"));
  assert_true(has_line(r.errors, r.nerrors_listed, "persons.csv:4:2: name: 必填字段为空"));
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "operations.csv:2:4: at: 不是有效时间，应为 YYYY-MM-DDTHH:MM:SS "
                       "(2024-01-01T24:00:00)"));
  assert_true(has_sub(r.errors, r.nerrors_listed, "operations.csv:2:5: amount: 金额应为元"));
  /* operator S1 is not checked: no batch brought staff */
  assert_false(has_sub(r.errors, r.nerrors_listed, "operator_id"));
  /* a line feed inside a quoted name is a control character (issue 12.12) */
  assert_true(has_sub(r.errors, r.nerrors_listed, "persons.csv:2:2: name: 含控制字符"));
  assert_true(has_sub(r.errors, r.nerrors_listed, "(多行\\x0A姓名)"));
  assert_int_equal(r.nerrors, 8);
  fg_import_result_release(&r);
}

/* Data standard v1.3 (issue 13.2): a keyless row equal in every column to
 * one an earlier batch stored is a resend, skipped and counted unchanged —
 * whatever the line ends, quoting, column order or encoding of the file;
 * within one batch equal rows stay two facts. */
static void test_keyless_resend(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P1,110,410100,2024-01,5000,400,2024-01-15,normal\n"
                "P1,110,410100,2024-01,5000,400,2024-01-15,normal\n"
                "P2,110,410100,2024-01,6000,480.5,2024-01-15,normal\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(r.files[0].rows_stored, 3); /* two equal rows: two facts */
  fg_import_result_release(&r);
  /* re-exported: CRLF, quotes, other column order, 400.00 for 400 */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "contributions.csv",
                "kind,person_id,scheme,region,period,base,amount,paid_date\r\n"
                "normal,\"P1\",110,410100,2024-01,5000.00,400.00,2024-01-15\r\n"
                "normal,P1,110,410100,2024-01,5000,400,2024-01-15\r\n"
                "normal,P2,110,410100,2024-01,6000,480.50,2024-01-15\r\n"
                "normal,P2,110,410100,2024-02,6000,480.50,2024-02-15\r\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(r.files[0].rows_unchanged, 3);
  assert_int_equal(r.files[0].rows_stored, 1); /* the new month only */
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), 4);
}

static void exec_sql(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg);
  sqlite3_close(db);
}

/* A contribution planted at rowid (text) by an insider who can write the
 * file, then a batch of two: refused by name, nothing stored. */
static void planted_rowid_refused(fx *f, const char *rowid) {
  char d[4200], sql[512];
  fg_import_result r;
  fg_err err = {0};
  snprintf(sql, sizeof sql,
           "INSERT INTO contributions (rowid, person_id, scheme, region, period, base, amount,"
           " paid_date, kind, _batch, _line, _digest) VALUES (%s, 'P9', '110', '410100',"
           " '2024-01', 1, 1, '2024-01-15', 'normal', 1, 2, x'00')",
           rowid);
  exec_sql(f->db, sql);
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P1,110,410100,2024-01,5000,400,2024-01-15,normal\n"
                "P2,110,410100,2024-01,6000,480.5,2024-01-15,normal\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EDB);
  assert_non_null(strstr(err.msg, "contributions 的行号已到上限"));
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), 1);
  assert_int_equal(fg_store_batch_count(f->s), 0);
}

/* An insider who can write the file plants a row with the largest rowid:
 * SQLite then gives new rows rowids at random. The import refuses up
 * front, naming the table, and stores nothing. (Before, the rows were
 * stored at random rowids and only the journal's digest check refused
 * the batch, saying the digest covered 2 rows where 3 were stored.) */
static void test_planted_max_rowid(void **state) {
  planted_rowid_refused(*state, "9223372036854775807");
}

/* The same one below the largest rowid: the first row would get the
 * largest, and the journal digest (computed at the rowid each row will
 * get) could not know the next one's. Refused at that row, by name. */
static void test_planted_near_max_rowid(void **state) {
  planted_rowid_refused(*state, "9223372036854775806");
}

static void test_keys_and_repeats(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date\nP1,甲,1,1960-01-01\nP1,乙,1,1960-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_string_equal(r.errors[0], "persons.csv:3:1: person_id: 重复的键 person_id=P1，与本批第 2 行相同");
  fg_import_result_release(&r);

  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date\nP1,甲,1,1960-01-01\nP2,乙,2,1961-01-01\n",
                (size_t)-1);
  fg_test_write(d, "institutions.csv",
                "institution_id,name,kind,agreement_start\nH1,医院,hospital,2020-01-01\n"
                "H1,医院,hospital,2022-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);

  /* same values -> unchanged; other values -> error naming key and column */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "name,person_id,sex,birth_date\n甲,P1,1,1960-01-01\n乙,P2,2,1961-02-01\n"
                "丙,P3,1,1970-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_int_equal(r.nerrors, 1);
  assert_string_equal(r.errors[0],
                      "persons.csv:3:4: birth_date: 键 person_id=P2 已由此前的批次存入，而本行的 "
                      "birth_date 不同，更正须另行报送，不能覆盖 (1961-02-01)");
  fg_import_result_release(&r);
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv",
                "name,person_id,sex,birth_date\n甲,P1,1,1960-01-01\n丙,P3,1,1970-01-01\n",
                (size_t)-1);
  fg_test_write(d, "institutions.csv",
                "institution_id,name,kind,agreement_start\nH1,医院,hospital,2022-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(r.files[0].rows_unchanged, 1);
  assert_int_equal(r.files[0].rows_stored, 1);
  assert_int_equal(r.files[1].rows_unchanged, 1);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), 3);
  assert_int_equal(fg_store_count(f->s, FG_T_INSTITUTIONS), 2);
}

static void test_references(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  /* no batch brought persons or staff: unchecked; exempt columns never fail */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "retirements.csv",
                "person_id,kind,approved_on,retire_date,birth_date_on_file,reviewer1\n"
                "NOBODY,normal,2020-01-01,2020-02-01,1960-01-01,S9\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  /* persons brought (empty): now checked; deaths exempt */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv", "person_id,name,sex,birth_date\n", (size_t)-1);
  fg_test_write(d, "deaths.csv", "person_id,death_date,source\nNOBODY,2020-01-01,court\n",
                (size_t)-1);
  fg_test_write(d, "medical_items.csv",
                "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,"
                "fund_amount\nSX,1,NOT_IN_CATALOG,2020-01-01,1.5,2,3,3\n",
                (size_t)-1);
  fg_test_write(d, "enrollments.csv",
                "person_id,scheme,region,start_date\nNOBODY,110,410100,2020-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_int_equal(r.nerrors, 1);
  assert_string_equal(r.errors[0],
                      "enrollments.csv:2:1: person_id: persons 中没有 person_id 为此值的行 (NOBODY)");
  fg_import_result_release(&r);
  /* persons empty file of an earlier batch... then a batch bringing the person */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv", "person_id,name,sex,birth_date\nNOBODY,某,1,1960-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "enrollments.csv",
                "person_id,scheme,region,start_date\nNOBODY,110,410100,2020-01-01\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  /* staff brought: reviewers checked now */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "staff.csv", "staff_id,name,post,post_since,high_risk\nS1,员,窗口,2020-01-01,N\n",
                (size_t)-1);
  fg_test_write(d, "operations.csv", "op_id,op_type,operator_id,approver_id,at\n"
                "O1,other,S1,S2,2024-01-01T08:00:00\n", (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_int_equal(r.nerrors, 1);
  assert_string_equal(r.errors[0],
                      "operations.csv:2:4: approver_id: staff 中没有 staff_id 为此值的行 (S2)");
  fg_import_result_release(&r);
}

/* v1.3 table 19: agencies, their codes, the parent within the same file
 * (parents first, decision 37) and staff.agency_id. */
static void test_agencies(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "agencies.csv",
                "agency_id,name,region,level,parent_id\n"
                "A410100,郑州市社会保险事业管理中心,410100,city,\n"
                "A-410102,中原区社保中心,410102,county,A410100\n"
                "A410103,二七区社保中心,410103,district,A410100\n"
                "A410105,金水区社保中心,410105,county,A410199\n"
                "A410104,管城区社保中心,410104,county,A410108\n"
                "A410108,惠济区社保中心,410108,county,A410100\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  dump(&r);
  assert_int_equal(r.nerrors, 4);
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "agencies.csv:3:1: agency_id: 经办机构编码应为 1-20 位 ASCII 字母或数字 (A-410102)"));
  assert_true(has_sub(r.errors, r.nerrors_listed, "agencies.csv:4:4: level: "));
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "agencies.csv:5:5: parent_id: agencies 中没有 agency_id 为此值的行 (A410199)"));
  /* a child before its parent: refused, the parent must come first */
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "agencies.csv:6:5: parent_id: agencies 中没有 agency_id 为此值的行 (A410108)"));
  assert_int_equal(fg_store_count(f->s, FG_T_AGENCIES), 0);
  fg_import_result_release(&r);
  /* a clean file, then staff naming an agency that is and one that is not */
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "agencies.csv",
                "agency_id,name,region,level,parent_id\n"
                "A410100,郑州市社会保险事业管理中心,410100,city,\n"
                "A410102,中原区社保中心,410102,county,A410100\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(fg_store_count(f->s, FG_T_AGENCIES), 2);
  fg_import_result_release(&r);
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "staff.csv",
                "staff_id,name,post,post_since,high_risk,agency_id\n"
                "S1,员甲,窗口,2020-01-01,N,A410102\n"
                "S2,员乙,窗口,2020-01-01,N,A410199\n"
                "S3,员丙,窗口,2020-01-01,N,\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  dump(&r);
  assert_int_equal(r.nerrors, 1);
  assert_string_equal(r.errors[0],
                      "staff.csv:3:6: agency_id: agencies 中没有 agency_id 为此值的行 (A410199)");
  fg_import_result_release(&r);
}

static void test_quarantine_cascade(void **state) {
  fx *f = *state;
  char d[4200], q[4300];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  snprintf(q, sizeof q, "%s/rejects.csv", f->root);
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date\nP1,甲,1,1960-01-01\nP2,乙,9,1960-01-01\n",
                (size_t)-1);
  fg_test_write(d, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P1,110,410100,2024-01,1,1,2024-01-02,normal\n"
                "P2,110,410100,2024-01,1,1,2024-01-02,normal\n",
                (size_t)-1);
  fg_test_write(d, "medical_settlements.csv",
                "settlement_id,person_id,institution_id,scheme,visit_type,admit_date,invoice_no,"
                "total,fund_paid,settled_on\nM1,P2,H1,310,outpatient,2024-01-01,I1,10,5,2024-01-01\n",
                (size_t)-1);
  fg_test_write(d, "medical_items.csv",
                "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,"
                "fund_amount\nM1,1,C1,2024-01-01,1,10,10,5\n",
                (size_t)-1);
  assert_int_equal(fx_import(f, d, q, &r, &err), 0);
  assert_true(r.batch_id > 0);
  assert_int_equal(r.nrejected, 4);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), 1);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), 1);
  assert_int_equal(fg_store_count(f->s, FG_T_MEDICAL_ITEMS), 0);
  char *txt = fg_test_read(q, NULL);
  assert_non_null(txt);
  /* a BOM for Excel; cells quoted only where RFC 4180 needs it */
  assert_true(strncmp(txt, "\xEF\xBB\xBF" "file,line,reason,record\n", 26) == 0);
  assert_non_null(strstr(txt, "\npersons.csv,3,persons.csv:3:3: sex: 不是允许的代码之一 [1 2] (9),"
                              "\"P2,乙,9,1960-01-01\"\n"));
  assert_non_null(strstr(txt, "contributions.csv,3,contributions.csv:3:1: person_id: 引用的 "
                              "persons 行已被拒绝，首个被拒绝的行是 persons.csv:3 (P2),"));
  /* two levels down the chain still names the first rejection */
  assert_non_null(strstr(txt, "medical_items.csv,2,medical_items.csv:2:1: settlement_id: "
                              "引用的 medical_settlements 行已被拒绝，首个被拒绝的行是 "
                              "persons.csv:3 (M1),"));
  free(txt);
}

static void test_encodings_and_notices(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  /* GB18030: 张 = D5 C5, U+20000 = 95 32 82 36 (4-byte sequence) */
  fg_test_write(d, "persons.csv",
                "person_id,name,sex,birth_date,nickname\nG1,\xd5\xc5\x95\x32\x82\x36,1,1960-01-01,x\n",
                (size_t)-1);
  fg_test_write(d, "README.txt", "hello", (size_t)-1);
  fg_test_write(d, "Persons.CSV", "x", (size_t)-1);
  fg_test_write(d, "staff.csv", "\xef\xbb\xbfstaff_id,name,post,post_since,high_risk\n", (size_t)-1);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(r.files[0].encoding[0], 'g');
  assert_true(has_sub(r.notices, r.nnotices, "persons.csv: 以下列不属于数据标准，已忽略: nickname"));
  assert_true(has_sub(r.notices, r.nnotices, "未读取: Persons.CSV, README.txt"));
  fg_import_result_release(&r);
  assert_true(fg_store_table_present(f->s, FG_T_STAFF));
  assert_int_equal(fg_store_count(f->s, FG_T_STAFF), 0);
  fg_value v[FG_MAX_COLS];
  bool found = false;
  assert_int_equal(fg_store_get_row(f->s, FG_T_PERSONS, 1, v, &found, &err), 0);
  assert_string_equal(v[1].s, "张\xf0\xa0\x80\x80");
}

static void test_file_level_errors(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv", "person_id,name,birth_date\nP1,甲,1960-01-01\n", (size_t)-1);
  fg_test_write(d, "employers.csv", "employer_id,name,Name\n", (size_t)-1);
  fg_test_write(d, "staff.csv", "staff_id,name,post,post_since,high_risk\nS1,\xff\xff,a,2020-01-01,N\n",
                (size_t)-1);
  fg_test_write(d, "catalog.csv", "", 0);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  dump(&r);
  assert_true(has_line(r.errors, r.nerrors_listed, "persons.csv:1: 缺少必填列 sex"));
  assert_true(has_line(r.errors, r.nerrors_listed,
                       "employers.csv:1: 表头中的列重复: Name (第 2 列和第 3 列)"));
  assert_true(has_sub(r.errors, r.nerrors_listed, "staff.csv:2: "));
  assert_true(has_line(r.errors, r.nerrors_listed, "catalog.csv:1: 文件为空，缺少表头行"));
  fg_import_result_release(&r);
  assert_int_equal(total_rows(f->s), 0);
  assert_int_equal(fg_store_batch_count(f->s), 0);
}

typedef struct hook_seen {
  int calls;
  int64_t batch_id, first, last;
  int fail;
} hook_seen;

static int hook(void *ud, fg_store *s, const fg_import_result *r, fg_err *err) {
  hook_seen *h = ud;
  h->calls++;
  h->batch_id = r->batch_id;
  h->first = r->files[0].rowid_first;
  h->last = r->files[0].rowid_last;
  assert_int_equal(fg_store_count(s, FG_T_PERSONS), h->last); /* inside the transaction */
  return h->fail ? fg_errf(err, FG_EVERIFY, "journal refused") : 0;
}

/* Enough rows to wrap the pipeline's ring (import_pipe.h) several times,
 * with the stored-row comparison (a request to the SQLite thread) in the
 * middle of it; a file of an imported file's size but other bytes is read. */
enum { BIG_PERSONS = 20000, BIG_CONTRIBS = 30000 };

static void write_big(const char *d, int changed_line) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "person_id,name,sex,birth_date\n");
  for (int i = 0; i < BIG_PERSONS; i++)
    fg_buf_addf(&b, "P%07d,N%07d,%d,1960-01-01\n", i, i, i + 2 == changed_line ? 2 : 1);
  fg_test_write(d, "persons.csv", b.buf, b.len);
  fg_buf_reset(&b);
  fg_buf_adds(&b, "person_id,scheme,region,period,base,amount,paid_date,kind\n");
  for (int i = 0; i < BIG_CONTRIBS; i++)
    fg_buf_addf(&b, "P%07d,110,410100,2024-01,%d,1,2024-01-02,normal\n", i % BIG_PERSONS, i);
  fg_test_write(d, "contributions.csv", b.buf, b.len);
  fg_buf_release(&b);
}

/* A fresh directory of the big persons and contributions, imported. */
static void import_big(fx *f, char *d, size_t dn, fg_import_result *r, fg_err *err) {
  fx_dir(f, d, dn);
  write_big(d, 0);
  assert_int_equal(fx_import(f, d, NULL, r, err), 0);
}

static void test_many_rows_pipeline(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  import_big(f, d, sizeof d, &r, &err);
  assert_int_equal(r.files[0].rows_stored, BIG_PERSONS);
  assert_int_equal(r.files[1].rows_stored, BIG_CONTRIBS);
  assert_int_equal(r.files[1].rowid_first, 1);
  assert_int_equal(r.files[1].rowid_last, BIG_CONTRIBS);
  fg_import_result_release(&r);
  fg_value v[FG_MAX_COLS];
  bool found = false;
  assert_int_equal(fg_store_get_row(f->s, FG_T_CONTRIBUTIONS, BIG_CONTRIBS, v, &found, &err), 0);
  assert_true(found);
  assert_int_equal(v[5].i, (int64_t)(BIG_CONTRIBS - 1) * 100);
  /* same size, one value changed far in: an error; every other row unchanged */
  fx_dir(f, d, sizeof d);
  write_big(d, 15000);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), FG_EINPUT);
  assert_int_equal(r.nerrors, 1);
  assert_true(has_sub(r.errors, r.nerrors_listed, "persons.csv:15000:3: sex: 键 person_id=P0014998"));
  assert_int_equal(r.files[0].rows_unchanged, BIG_PERSONS - 1);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), BIG_PERSONS);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), BIG_CONTRIBS);
  assert_int_equal(fg_store_batch_count(f->s), 1);
  /* a second stored batch: rowids go on from the first batch's, several
   * chunks of FG_JOURNAL_CHUNK_ROWS, digests checked by fx_digest_hook */
  fx_dir(f, d, sizeof d);
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "person_id,scheme,region,period,base,amount,paid_date,kind\n");
  for (int i = 0; i < BIG_CONTRIBS / 2; i++)
    fg_buf_addf(&b, "P%07d,110,410100,2024-02,%d,1,2024-02-02,normal\n", i % BIG_PERSONS, i);
  fg_test_write(d, "contributions.csv", b.buf, b.len);
  fg_buf_release(&b);
  const int checked = fx_checked;
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(fx_checked, checked + 1);
  assert_int_equal(r.files[0].rowid_first, BIG_CONTRIBS + 1);
  assert_int_equal(r.digests[FG_T_CONTRIBUTIONS].rows, BIG_CONTRIBS / 2);
  assert_true(r.digests[FG_T_CONTRIBUTIONS].nchunks > 1);
  fg_import_result_release(&r);
}

/* A small batch on a bigger store reads the stored keys it may meet on
 * both cores, in rowid ranges (import_load.c). Whatever the ranges, it
 * finds what reading every stored key finds (FUNDGUARD_IMPORT_FILTER=0):
 * the same errors for a person no batch brought and a person changed, the
 * same resends recognised, the same rows stored. */
static void import_env(fx *f, const char *d, const char *filter, int64_t chunk_rows,
                       fg_import_result *r, int want_rc) {
  fg_err err = {0};
  if (filter) setenv("FUNDGUARD_IMPORT_FILTER", filter, 1);
  const int64_t old = fg_imp_load_chunk_rows_set(chunk_rows);
  assert_int_equal(fx_import(f, d, NULL, r, &err), want_rc);
  fg_imp_load_chunk_rows_set(old);
  unsetenv("FUNDGUARD_IMPORT_FILTER");
  dump(r);
}

/* A filtered import (chunk_rows per range) with the stored key hashes
 * (batch_keys) used or not. */
static void import_hashes(fx *f, const char *d, bool hashes, int64_t chunk_rows,
                          fg_import_result *r, int want_rc) {
  if (!hashes) setenv("FUNDGUARD_IMPORT_KEY_HASHES", "0", 1);
  import_env(f, d, NULL, chunk_rows, r, want_rc);
  unsetenv("FUNDGUARD_IMPORT_KEY_HASHES");
  assert_true(hashes ? r->load_rows_hashed > 0 : r->load_rows_hashed == 0);
}

/* Same outcome as the reference import ref: errors, resends, rows read. */
static void same_outcome(const fg_import_result *ref, const fg_import_result *r) {
  assert_int_equal(r->nerrors, ref->nerrors);
  for (int i = 0; i < ref->nerrors_listed; i++) assert_string_equal(r->errors[i], ref->errors[i]);
  assert_int_equal(r->nfiles, ref->nfiles);
  for (int i = 0; i < ref->nfiles; i++) {
    assert_int_equal(r->files[i].rows_unchanged, ref->files[i].rows_unchanged);
    assert_int_equal(r->files[i].rows_read, ref->files[i].rows_read);
    assert_int_equal(r->files[i].rows_stored, ref->files[i].rows_stored);
  }
}

/* Either thread may make a journal chunk's leaf (import_pipe.h
 * fg_imp_hash_policy): whichever does, the digests must be those of the
 * rows as stored (fx_digest_hook re-reads them and compares every root).
 * Each side alone, the two alternating chunk by chunk, and the default. */
static void test_leaves_either_thread(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  import_big(f, d, sizeof d, &r, &err);
  fg_import_result_release(&r);
  static const fg_imp_hash_policy policies[] = {FG_IMP_HASH_STORER, FG_IMP_HASH_ALTERNATE,
                                                FG_IMP_HASH_WORKER, FG_IMP_HASH_BALANCE};
  for (int k = 0; k < 4; k++) {
    fg_imp_pipe_set_hash_policy(policies[k]);
    fx_dir(f, d, sizeof d);
    fg_buf b = FG_BUF_INIT;
    fg_buf_adds(&b, "person_id,scheme,region,period,base,amount,paid_date,kind\n");
    for (int i = 0; i < 3 * 4096 + 17; i++)
      fg_buf_addf(&b, "P%07d,110,410100,2024-%02d,%d,1,2024-%02d-02,normal\n", i % BIG_PERSONS,
                  k + 2, i, k + 2);
    fg_test_write(d, "contributions.csv", b.buf, b.len);
    fg_buf_release(&b);
    const int checked = fx_checked;
    const int rc = fx_import(f, d, NULL, &r, &err);
    fg_imp_pipe_set_hash_policy(FG_IMP_HASH_BALANCE);
    assert_int_equal(rc, 0);
    assert_int_equal(fx_checked, checked + 1);
    assert_int_equal(r.digests[FG_T_CONTRIBUTIONS].nchunks, 4);
    fg_import_result_release(&r);
  }
}

static void test_parallel_stored_keys(void **state) {
  fx *f = *state;
  char d[4200], bad[4200], good[4200];
  fg_import_result r, r2;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  write_big(d, 0);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  assert_int_equal(r.load_scans, 0); /* nothing stored before: no reading */
  fg_import_result_release(&r);
  fx_dir(f, bad, sizeof bad);
  fg_test_write(bad, "persons.csv",
                "person_id,name,sex,birth_date\nP0000005,N0000005,1,1960-01-01\n"
                "P0019999,N0019999,2,1960-01-01\nP9000001,新,1,1970-01-01\n",
                (size_t)-1);
  fg_test_write(bad, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P0000007,110,410100,2024-01,7,1,2024-01-02,normal\n"
                "P0029999,110,410100,2024-02,1,1,2024-02-02,normal\n"
                "P0012345,110,410100,2024-02,1,1,2024-02-02,normal\n"
                "P0000007,110,410100,2024-01,29987,1,2024-01-02,normal\n"
                "P0007987,110,410100,2024-01,29987,1,2024-01-02,normal\n",
                (size_t)-1);
  /* every stored key, on the store's connection: the reference */
  import_env(f, bad, "0", (int64_t)1 << 20, &r, FG_EINPUT);
  assert_int_equal(r.load_scans, 0);
  assert_int_equal(r.nerrors, 2);
  assert_true(has_sub(r.errors, r.nerrors_listed, "persons.csv:3:3: sex: 键 person_id=P0019999"));
  assert_true(has_sub(r.errors, r.nerrors_listed,
                      "contributions.csv:3:1: person_id: persons 中没有 person_id 为此值的行"));
  /* filtered, reading the rows: one range per table, and ranges of 1,000
   * rowids; then by the stored key hashes (one segment per table, whatever
   * the range size), reading back only the rows whose hash the batch has */
  const int64_t chunks[] = {(int64_t)1 << 20, 1000, 1000};
  for (size_t k = 0; k < FG_ARRAY_LEN(chunks); k++) {
    import_hashes(f, bad, k == 2, chunks[k], &r2, FG_EINPUT);
    assert_int_equal(r2.load_threads, 2);
    assert_int_equal(r2.load_scans, k == 1 ? BIG_PERSONS / 1000 + BIG_CONTRIBS / 1000 : 2);
    if (k == 2) {
      assert_int_equal(r2.load_rows_hashed, BIG_PERSONS + BIG_CONTRIBS);
      assert_true(r2.load_rows_fetched >= 6 && r2.load_rows_fetched < 20);
    }
    same_outcome(&r, &r2);
    fg_import_result_release(&r2);
  }
  fg_import_result_release(&r);
  /* without the two faults: the resent rows are recognised, the rest stored */
  fx_dir(f, good, sizeof good);
  fg_test_write(good, "persons.csv",
                "person_id,name,sex,birth_date\nP0000005,N0000005,1,1960-01-01\n"
                "P0019999,N0019999,1,1960-01-01\nP9000001,新,1,1970-01-01\n",
                (size_t)-1);
  fg_test_write(good, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P0000007,110,410100,2024-01,7,1,2024-01-02,normal\n"
                "P9000001,110,410100,2024-02,1,1,2024-02-02,normal\n"
                "P0012345,110,410100,2024-02,1,1,2024-02-02,normal\n"
                "P0007987,110,410100,2024-01,27987,1,2024-01-02,normal\n",
                (size_t)-1);
  import_env(f, good, NULL, 1000, &r, 0);
  assert_int_equal(r.load_threads, 2);
  assert_int_equal(r.files[0].table, FG_T_PERSONS);
  assert_int_equal(r.files[0].rows_unchanged, 2);
  assert_int_equal(r.files[0].rows_stored, 1);
  assert_int_equal(r.files[1].rows_unchanged, 2); /* lines 2 and 5 were stored rows */
  assert_int_equal(r.files[1].rows_stored, 2);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), BIG_PERSONS + 1);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), BIG_CONTRIBS + 2);
}

/* Long stored keys (payment ids of 90 bytes, every 7th of 30,000) through
 * the parallel reading of a small batch's stored keys: the same errors,
 * resends and stored rows as the serial reading, with one range per table,
 * with ranges of 1,000 rowids, and by the stored key hashes (batch_keys:
 * the two resent rows and the changed one read back, nothing else). */
#define PAY_HEAD "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"

static void test_parallel_long_keys(void **state) {
  fx *f = *state;
  char d[4200], batch[4200];
  fg_import_result r, r2;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "person_id,name,sex,birth_date\nP0000001,N,1,1960-01-01\n");
  fg_test_write(d, "persons.csv", b.buf, b.len);
  fg_buf_reset(&b);
  fg_buf_adds(&b, PAY_HEAD);
  for (int i = 0; i < BIG_CONTRIBS; i++) /* every 7th payment id 90 bytes long */
    fg_buf_addf(&b, i % 7 == 0 ? "L%089d,P0000001,110,pension,410100,2024-01,%d,2024-01-28,A1\n"
                               : "B%07d,P0000001,110,pension,410100,2024-01,%d,2024-01-28,A1\n",
                i, 100 + i);
  fg_test_write(d, "benefit_payments.csv", b.buf, b.len);
  fg_buf_release(&b);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  fx_dir(f, batch, sizeof batch);
  char rows[2048];
  snprintf(rows, sizeof rows,
           PAY_HEAD
           "L%089d,P0000001,110,pension,410100,2024-01,%d,2024-01-28,A1\n" /* resent */
           "B%07d,P0000001,110,pension,410100,2024-01,%d,2024-01-28,A1\n"  /* resent */
           "L%089d,P0000001,110,pension,410100,2024-01,1,2024-01-28,A1\n"  /* changed: refused */
           "L%089d,P0000001,110,pension,410100,2024-01,1,2024-01-28,A1\n", /* new */
           14, 114, 15, 115, 29995, 123456);
  fg_test_write(batch, "benefit_payments.csv", rows, (size_t)-1);
  import_env(f, batch, "0", (int64_t)1 << 20, &r, FG_EINPUT);
  assert_int_equal(r.load_scans, 0);
  assert_int_equal(r.nerrors, 1);
  assert_true(has_sub(r.errors, r.nerrors_listed, "benefit_payments.csv:4:"));
  assert_int_equal(r.files[0].rows_unchanged, 2);
  const int64_t chunks[] = {(int64_t)1 << 20, 1000, 1000};
  for (size_t k = 0; k < FG_ARRAY_LEN(chunks); k++) {
    import_hashes(f, batch, k == 2, chunks[k], &r2, FG_EINPUT);
    assert_int_equal(r2.load_threads, 2);
    assert_true(r2.load_scans >= 1);
    if (k == 2) assert_int_equal(r2.load_rows_fetched, 3); /* the two resent, the changed */
    same_outcome(&r, &r2);
    fg_import_result_release(&r2);
  }
  fg_import_result_release(&r);
}


/* The stored key hashes (batch_keys) are only a pre-filter, and a store
 * edited behind the platform's back is read as it is: a row planted after
 * the last segment is read (the rows no segment covers are read as
 * before), and a segment whose blob is not its row count of hashes is not
 * used. Each case gives what reading every stored key gives. (Hashes
 * zeroed at the right length hide their rows from a small batch, as
 * deleting the rows would; `log verify` catches both: e2e_tamper.sh.) */
static void test_key_hashes_edited_store(void **state) {
  fx *f = *state;
  char d[4200], batch[4200];
  fg_import_result r, r2;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  write_big(d, 0);
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  exec_sql(f->db, "INSERT INTO persons (person_id, name, sex, birth_date, _batch, _line)"
                  " VALUES ('P7777777', 'X', '1', '1960-01-01', 1, 99999)");
  fx_dir(f, batch, sizeof batch);
  fg_test_write(batch, "contributions.csv",
                "person_id,scheme,region,period,base,amount,paid_date,kind\n"
                "P7777777,110,410100,2024-03,1,1,2024-03-02,normal\n"
                "P0000007,110,410100,2024-01,7,1,2024-01-02,normal\n" /* resent */
                "P8888888,110,410100,2024-03,1,1,2024-03-02,normal\n", /* no such person */
                (size_t)-1);
  for (int round = 0; round < 2; round++) {
    /* the batch fails (line 4), so each import sees the same store */
    import_env(f, batch, "0", (int64_t)1 << 20, &r, FG_EINPUT);
    assert_int_equal(r.nerrors, 1);
    assert_true(has_sub(r.errors, r.nerrors_listed, "contributions.csv:4:1: person_id"));
    assert_int_equal(r.files[0].rows_unchanged, 1);
    import_hashes(f, batch, true, 1000, &r2, FG_EINPUT);
    same_outcome(&r, &r2);
    /* round 0: both tables by their segments, the planted row read after
     * the persons' segment; round 1: that segment is the wrong size */
    assert_int_equal(r2.load_rows_hashed, round == 0 ? BIG_PERSONS + BIG_CONTRIBS : BIG_CONTRIBS);
    fg_import_result_release(&r);
    fg_import_result_release(&r2);
    exec_sql(f->db, "DROP TRIGGER IF EXISTS batch_keys_no_update;"
                    " UPDATE batch_keys SET hashes = zeroblob(8) WHERE table_name = 'persons'");
  }
}

static void test_before_commit_hook(void **state) {
  fx *f = *state;
  char d[4200];
  fg_import_result r;
  fg_err err = {0};
  fx_dir(f, d, sizeof d);
  fg_test_write(d, "persons.csv", PERSONS, (size_t)-1);
  hook_seen h = {.fail = 1};
  fg_import_opts o = {.actor = "t", .before_commit = hook, .hook_ud = &h};
  assert_int_equal(fg_import_dir(f->s, d, &o, &r, &err), FG_EVERIFY);
  assert_string_equal(err.msg, "journal refused");
  assert_int_equal(r.batch_id, 0);
  fg_import_result_release(&r);
  assert_int_equal(h.calls, 1);
  assert_int_equal(total_rows(f->s), 0);
  assert_int_equal(fg_store_batch_count(f->s), 0);
  h.fail = 0;
  assert_int_equal(fg_import_dir(f->s, d, &o, &r, &err), 0);
  assert_int_equal(h.calls, 2);
  assert_int_equal(h.batch_id, r.batch_id);
  assert_int_equal(h.first, 1);
  assert_int_equal(h.last, 2);
  fg_import_result_release(&r);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), 2);
}

/* The main file's pages are written behind by a thread of their own during
 * a batch (store_sqlite_vfs.c). A page write that fails there fails the
 * batch: nothing stored, the file whole, the next import stores it all.
 * The file size limit makes page writes past the file's size + 512 KiB
 * fail (EFBIG) in a child process, while the rollback journal (the few
 * pages that existed before) stays under it. */
static int integrity_ok(const char *path) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  int ok = 0;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

static void test_write_behind_failure(void **state) {
  fx *f = *state;
  char d[4200];
  fx_dir(f, d, sizeof d);
  write_big(d, 0);
  fg_store_close(f->s);
  f->s = NULL;
  struct stat st0;
  assert_int_equal(stat(f->db, &st0), 0);
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    fg_err err = {0};
    fg_store *s = NULL;
    if (fg_store_open(f->db, false, &s, &err) != 0) _exit(10);
    const rlim_t cap = (rlim_t)st0.st_size + ((rlim_t)512 << 10);
    struct rlimit lim = {cap, cap};
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(11);
    fg_import_result r;
    fg_import_opts o = {.actor = "tester"};
    const uint64_t queued = fg_sqlite_wb_pages();
    const int rc = fg_import_dir(s, d, &o, &r, &err);
    if (rc == 0) _exit(12);
    if (r.batch_id != 0) _exit(13);
    fg_import_result_release(&r);
    if (fg_sqlite_wb_pages() == queued) _exit(14); /* the queue was not used */
    if (fg_store_batch_count(s) != 0 || fg_store_count(s, FG_T_PERSONS) != 0) _exit(15);
    fg_store_close(s);
    _exit(0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_true(integrity_ok(f->db));
  fg_err err = {0};
  assert_int_equal(fg_store_open(f->db, false, &f->s, &err), 0);
  assert_int_equal(fg_store_batch_count(f->s), 0);
  assert_int_equal(total_rows(f->s), 0);
  /* without the limit the same files are stored whole, and are there for
   * a connection opened after this one closed */
  fg_import_result r;
  assert_int_equal(fx_import(f, d, NULL, &r, &err), 0);
  fg_import_result_release(&r);
  fg_store_close(f->s);
  assert_true(integrity_ok(f->db));
  assert_int_equal(fg_store_open(f->db, false, &f->s, &err), 0);
  assert_int_equal(fg_store_count(f->s, FG_T_PERSONS), BIG_PERSONS);
  assert_int_equal(fg_store_count(f->s, FG_T_CONTRIBUTIONS), BIG_CONTRIBS);
  assert_int_equal(fg_store_batch_count(f->s), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_basic_and_idempotent, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_quoted_rows_held, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_hashes_carried_ahead, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_atomic_last_line_of_last_file, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_field_errors_format, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_keyless_resend, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_keys_and_repeats, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_references, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_agencies, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_quarantine_cascade, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_encodings_and_notices, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_file_level_errors, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_before_commit_hook, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_many_rows_pipeline, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_planted_max_rowid, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_leaves_either_thread, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_parallel_stored_keys, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_parallel_long_keys, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_key_hashes_edited_store, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_planted_near_max_rowid, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_write_behind_failure, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
