/*
 * test_store.c — the SQLite store's core and import sections: create
 * refuses an existing file, schema version and migrations, the standard
 * tables derived from the schema, batches, insert/scan/get_row round trips,
 * transactions, presence and the byte-identical file lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "testutil.h"

typedef struct scan_acc {
  int rows;
  int64_t last_rowid;
  char names[4][32];
  int64_t amounts[4];
} scan_acc;

static int scan_cb(void *ud, int64_t rowid, const fg_value *v) {
  scan_acc *a = ud;
  assert_true(rowid > a->last_rowid);
  a->last_rowid = rowid;
  if (a->rows < 4) {
    assert_false(v[1].is_null);
    assert_int_equal(strlen(v[1].s), (size_t)v[1].n);
    snprintf(a->names[a->rows], sizeof a->names[0], "%s", v[1].s);
    a->amounts[a->rows] = v[4].is_null ? -1 : 1;
  }
  a->rows++;
  return 0;
}

static char *make_db_path(char **dir) {
  *dir = fg_test_tmpdir();
  char *p = malloc(strlen(*dir) + 16);
  sprintf(p, "%s/t.db", *dir);
  return p;
}

static void test_create_open(void **state) {
  (void)state;
  char *dir, *path = make_db_path(&dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  assert_int_equal(fg_store_schema_version(s), FG_STORE_SCHEMA_VERSION);
  for (int t = 0; t < FG_T_COUNT; t++) {
    assert_int_equal(fg_store_count(s, t), 0);
    assert_false(fg_store_table_present(s, t));
  }
  fg_store_close(s);
  fg_store *s2 = NULL;
  assert_int_not_equal(fg_store_create(path, &s2, &err), 0);
  assert_non_null(strstr(err.msg, "已存在"));
  assert_int_equal(fg_store_open(path, false, &s2, &err), 0);
  assert_int_equal(fg_store_schema_version(s2), FG_STORE_SCHEMA_VERSION);
  fg_store_close(s2);
  assert_int_equal(fg_store_open(path, true, &s2, &err), 0);
  fg_store_close(s2);
  char missing[4200];
  snprintf(missing, sizeof missing, "%s/none.db", dir);
  assert_int_not_equal(fg_store_open(missing, false, &s2, &err), 0);
  fg_test_rmrf(dir);
  free(dir);
  free(path);
}

static fg_value txt(const char *s) { return (fg_value){false, 0, s, (int)strlen(s)}; }
static fg_value nul(void) { return (fg_value){true, 0, NULL, 0}; }

static void test_insert_scan_batches(void **state) {
  (void)state;
  char *dir, *path = make_db_path(&dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  int64_t b = 0;
  assert_int_equal(fg_store_batch_begin(s, "alice", FG_BATCH_ATOMIC, "2024-01-01T00:00:00", &b,
                                        &err), 0);
  assert_true(b > 0);
  fg_value p[5] = {txt("11010519491231002X"), txt("张三"), txt("1"), txt("1949-12-31"), nul()};
  int64_t r1 = 0, r2 = 0;
  assert_int_equal(fg_store_insert(s, FG_T_PERSONS, b, 2, p, &r1, &err), 0);
  p[1] = txt("李四");
  assert_int_equal(fg_store_insert(s, FG_T_PERSONS, b, 3, p, &r2, &err), 0);
  assert_int_equal(r2, r1 + 1);
  fg_store_batch_file f = {FG_T_PERSONS, "persons.csv",
                           "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                           10, "utf-8", 2, 2, 0, 0};
  assert_int_equal(fg_store_batch_file_add(s, b, &f, &err), 0);
  assert_int_equal(fg_store_batch_finish(s, b, "stored", "2024-01-01T00:00:01", &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);

  assert_true(fg_store_table_present(s, FG_T_PERSONS));
  assert_false(fg_store_table_present(s, FG_T_EMPLOYERS));
  assert_int_equal(fg_store_count(s, FG_T_PERSONS), 2);
  assert_int_equal(fg_store_batch_count(s), 1);
  bool found = false;
  assert_int_equal(fg_store_file_imported(s, FG_T_PERSONS, f.sha256_hex, &found, &err), 0);
  assert_true(found);
  assert_int_equal(fg_store_file_imported(s, FG_T_STAFF, f.sha256_hex, &found, &err), 0);
  assert_false(found);

  scan_acc acc = {0};
  assert_int_equal(fg_store_scan(s, FG_T_PERSONS, scan_cb, &acc, &err), 0);
  assert_int_equal(acc.rows, 2);
  assert_string_equal(acc.names[0], "张三");
  assert_string_equal(acc.names[1], "李四");
  assert_int_equal(acc.amounts[0], -1); /* region column stored NULL */

  fg_value got[FG_MAX_COLS];
  assert_int_equal(fg_store_get_row(s, FG_T_PERSONS, r2, got, &found, &err), 0);
  assert_true(found);
  assert_string_equal(got[1].s, "李四");
  assert_true(got[4].is_null);
  assert_int_equal(fg_store_get_row(s, FG_T_PERSONS, r2 + 100, got, &found, &err), 0);
  assert_false(found);

  /* rollback leaves nothing */
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_insert(s, FG_T_PERSONS, b, 4, p, NULL, &err), 0);
  fg_store_rollback(s);
  assert_int_equal(fg_store_count(s, FG_T_PERSONS), 2);
  fg_store_close(s);
  fg_test_rmrf(dir);
  free(dir);
  free(path);
}

static void test_money_integer_roundtrip(void **state) {
  (void)state;
  char *dir, *path = make_db_path(&dir);
  fg_err err = {0};
  fg_store *s = NULL;
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  int64_t b = 0;
  assert_int_equal(fg_store_batch_begin(s, "x", FG_BATCH_QUARANTINE, "2024-01-01T00:00:00", &b,
                                        &err), 0);
  fg_value w[4] = {txt("410100"), {false, 2024, NULL, 0}, {false, 325050, NULL, 0},
                   {false, 9999999999999LL * 100 + 99, NULL, 0}};
  int64_t r = 0;
  assert_int_equal(fg_store_insert(s, FG_T_WAGE_BASES, b, 2, w, &r, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_value got[FG_MAX_COLS];
  bool found = false;
  assert_int_equal(fg_store_get_row(s, FG_T_WAGE_BASES, r, got, &found, &err), 0);
  assert_true(found);
  assert_int_equal(got[1].i, 2024);
  assert_int_equal(got[2].i, 325050);
  assert_int_equal(got[3].i, 999999999999999LL);
  fg_store_close(s);
  fg_test_rmrf(dir);
  free(dir);
  free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_create_open),
      cmocka_unit_test(test_insert_scan_batches),
      cmocka_unit_test(test_money_integer_roundtrip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
