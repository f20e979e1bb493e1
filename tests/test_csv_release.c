/*
 * test_csv_release.c — handing back the pages of records already read
 * (fg_csv_release_consumed) changes nothing a reader sees: a file several
 * times larger than the guard is read twice, once releasing every few
 * hundred records, and every field and line number must match; the SHA-256
 * (computed on a background thread that may refault released pages) too.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv/csv.h"

enum { NROWS = 300000 };

static uint64_t read_all(const char *path, bool release, int64_t *nrec, uint8_t sha[32]) {
  fg_csv *c = NULL;
  fg_err err;
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), 0);
  fg_csv_record rec;
  uint64_t h = 1469598103934665603ULL;
  int got;
  *nrec = 0;
  while ((got = fg_csv_next(c, &rec, &err)) > 0) {
    for (int i = 0; i < rec.nf; i++)
      for (uint32_t k = 0; k < rec.f[i].n; k++) h = (h ^ (uint8_t)rec.f[i].s[k]) * 1099511628211ULL;
    h = (h ^ (uint64_t)rec.line) * 1099511628211ULL;
    if (release && ++*nrec % 500 == 0) fg_csv_release_consumed(c);
    if (!release) ++*nrec;
  }
  assert_int_equal(got, 0);
  fg_csv_sha256(c, sha);
  fg_csv_close(c);
  return h;
}

static void test_release_is_invisible(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  char path[4096];
  snprintf(path, sizeof path, "%s/persons.csv", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs("person_id,name,note\n", f);
  for (int i = 0; i < NROWS; i++)
    fprintf(f, "%018d,名字%d,\"a, quoted \"\"note\"\"\nspanning lines %d\"\n", i, i % 97, i);
  fclose(f);
  int64_t n1 = 0, n2 = 0;
  uint8_t s1[32], s2[32];
  uint64_t h1 = read_all(path, true, &n1, s1);
  uint64_t h2 = read_all(path, false, &n2, s2);
  assert_int_equal(n1, NROWS + 1);
  assert_int_equal(n2, NROWS + 1);
  assert_true(h1 == h2);
  assert_memory_equal(s1, s2, 32);
  fg_test_rmrf(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_release_is_invisible)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
