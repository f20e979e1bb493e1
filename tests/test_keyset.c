/*
 * test_keyset.c — the importer's key sets (import/import_keyset.h) at the
 * sizes a city brings: growth by doubling, a reserved table large enough for
 * its slot array to be pre-touched by two threads, keys longer than the
 * inline slot, and tags that stay attached to their keys across rehashes.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "import/import_keyset.h"

enum { NKEYS = 1500000 };

static size_t key_of(int64_t i, char *buf, size_t size) {
  /* short payment-style ids and, every 7th, a key past the inline length */
  int n = i % 7 == 0 ? snprintf(buf, size, "LONG-KEY-%020lld-X", (long long)i)
                     : snprintf(buf, size, "BX%09lld", (long long)i);
  assert_true(n > 0 && (size_t)n < size);
  return (size_t)n;
}

static void fill_and_check(fg_keyset *k) {
  char buf[64];
  bool added = false;
  for (int64_t i = 0; i < NKEYS; i++) {
    size_t n = key_of(i, buf, sizeof buf);
    fg_keyset_put(k, buf, n, i * 3, &added);
    assert_true(added);
  }
  assert_int_equal(k->count, NKEYS);
  for (int64_t i = 0; i < NKEYS; i += 1) {
    size_t n = key_of(i, buf, sizeof buf);
    int64_t *tag = fg_keyset_find(k, buf, n);
    assert_non_null(tag);
    assert_int_equal(*tag, i * 3);
    fg_keyset_put(k, buf, n, -1, &added);
    assert_false(added); /* a repeat finds the first */
  }
  assert_null(fg_keyset_find(k, "BX-not-there", 12));
}

static void test_growth(void **state) {
  (void)state;
  fg_keyset k;
  fg_keyset_init(&k);
  fill_and_check(&k);
  fg_keyset_release(&k);
}

static void test_reserved_large(void **state) {
  (void)state;
  fg_keyset k;
  fg_keyset_init(&k);
  fg_keyset_reserve(&k, NKEYS);
  size_t cap = k.cap;
  assert_true(cap >= 2 * (size_t)NKEYS);
  assert_true(cap * sizeof *k.slots >= (size_t)64 << 20); /* the two-thread pre-touch path */
  fill_and_check(&k);
  assert_int_equal(k.cap, cap); /* no rehash after the reservation */
  fg_keyset_release(&k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_growth),
      cmocka_unit_test(test_reserved_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
