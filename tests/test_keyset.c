/*
 * test_keyset.c — the importer's key sets (import/import_keyset.h) at the
 * sizes a city brings: growth by doubling, a reserved table large enough for
 * its slot array to be pre-touched by two threads, keys of every length
 * class of the arena's length prefix, two keys that share a home slot and
 * the slot's 24 check bits (told apart only by their bytes), and tags that
 * stay attached to their keys across rehashes.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_keyset.h"

enum { NKEYS = 3000000 };

static size_t key_of(int64_t i, char *buf, size_t size) {
  /* short payment-style ids and, every 7th, a longer key */
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
  assert_true(cap * 3 >= 5 * (size_t)NKEYS - 5); /* sized for a load of 3/5 */
  assert_true(cap * sizeof *k.slots >= (size_t)64 << 20); /* the two-thread pre-touch path */
  fill_and_check(&k);
  assert_int_equal(k.cap, cap); /* no rehash after the reservation */
  fg_keyset_release(&k);
}

/* Keys that differ only in length, or only in their last byte, across the
 * LEB128 length prefix's boundaries (1, 2 and 3 bytes). */
static void test_lengths(void **state) {
  (void)state;
  static const size_t lens[] = {0, 1, 2, 20, 21, 127, 128, 129, 16383, 16384, 16385,
                                FG_KEYSET_KEY_LEN_MAX};
  enum { NL = sizeof lens / sizeof lens[0] };
  char *buf = malloc(FG_KEYSET_KEY_LEN_MAX);
  assert_non_null(buf);
  memset(buf, 'k', FG_KEYSET_KEY_LEN_MAX);
  fg_keyset k;
  fg_keyset_init(&k);
  bool added = false;
  for (size_t i = 0; i < NL; i++) {
    fg_keyset_put(&k, buf, lens[i], (int64_t)i, &added);
    assert_true(added);
  }
  for (size_t i = 1; i < NL; i++) { /* the same length, last byte changed */
    buf[lens[i] - 1] = 'z';
    fg_keyset_put(&k, buf, lens[i], 100 + (int64_t)i, &added);
    assert_true(added);
    buf[lens[i] - 1] = 'k';
  }
  for (size_t i = 0; i < NL; i++) {
    int64_t *tag = fg_keyset_find(&k, buf, lens[i]);
    assert_non_null(tag);
    assert_int_equal(*tag, (int64_t)i);
    if (i == 0) continue;
    buf[lens[i] - 1] = 'z';
    tag = fg_keyset_find(&k, buf, lens[i]);
    assert_non_null(tag);
    assert_int_equal(*tag, 100 + (int64_t)i);
    buf[lens[i] - 1] = 'k';
  }
  assert_int_equal(k.count, 2 * NL - 1);
  fg_keyset_release(&k);
  free(buf);
}

/* The slot keeps only 24 bits of a key's hash. Find two keys whose home slot
 * in a fresh (FG_KEYSET_CAP_MIN) table and whose check bits are both equal —
 * the formulas of import_keyset.c, repeated here — and show the set keeps
 * them apart by their bytes: a set trusting the check bits alone would
 * take the second for the first. */
typedef struct hk {
  uint64_t sig;
  uint32_t i;
} hk;

static int hk_cmp(const void *a, const void *b) {
  const hk *x = a, *y = b;
  return x->sig < y->sig ? -1 : x->sig > y->sig ? 1 : (x->i > y->i) - (x->i < y->i);
}

static void test_check_collision(void **state) {
  (void)state;
  enum { NTRY = 1 << 20, CAP = 1024 };
  hk *v = malloc(NTRY * sizeof *v);
  assert_non_null(v);
  char a[32], b[32];
  for (uint32_t i = 0; i < NTRY; i++) {
    const int n = snprintf(a, sizeof a, "PAY%08u", i);
    const uint64_t h = fg_keyset_hash_of(a, (size_t)n);
    uint64_t check = h >> 40;
    if (check == 0) check = 1;
    const uint64_t home = ((h & 0xffffffffu) * (uint64_t)CAP) >> 32;
    v[i] = (hk){check << 10 | home, i};
  }
  qsort(v, NTRY, sizeof *v, hk_cmp);
  size_t j = 0;
  while (j + 1 < NTRY && v[j].sig != v[j + 1].sig) j++;
  assert_true(j + 1 < NTRY); /* ~2^34 signatures, 2^20 keys: pairs expected */
  const int na = snprintf(a, sizeof a, "PAY%08u", v[j].i);
  const int nb = snprintf(b, sizeof b, "PAY%08u", v[j + 1].i);
  free(v);
  fg_keyset k;
  fg_keyset_init(&k);
  bool added = false;
  fg_keyset_put(&k, a, (size_t)na, 1, &added);
  assert_true(added);
  assert_int_equal(k.cap, CAP);
  assert_null(fg_keyset_find(&k, b, (size_t)nb));
  fg_keyset_put(&k, b, (size_t)nb, 2, &added);
  assert_true(added);
  assert_int_equal(*fg_keyset_find(&k, a, (size_t)na), 1);
  assert_int_equal(*fg_keyset_find(&k, b, (size_t)nb), 2);
  fg_keyset_release(&k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_growth),
      cmocka_unit_test(test_reserved_large),
      cmocka_unit_test(test_lengths),
      cmocka_unit_test(test_check_collision),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
