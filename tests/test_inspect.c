/*
 * test_inspect.c — the yearly inspection draw (cases.md, GZ 13): every
 * city-level agency, at least 20% of the county-level ones (rounded up) for
 * 1 to 50 of them, the same seed and agencies giving the same plan whatever
 * the order they are listed in, and another seed another plan.
 */
#include <string.h>

#include "testutil.h"

#include "cases/cases.h"

static int draw(const uint8_t seed[32], int ncounty, bool shuffled, fg_buf *out) {
  char ids[64][16];
  const char *p[64];
  bool city[64];
  int n = 0;
  snprintf(ids[n], 16, "A410100"), city[n] = true, n++;
  for (int i = 0; i < ncounty; i++) snprintf(ids[n], 16, "A4101%02d", i + 1), city[n] = false, n++;
  for (int i = 0; i < n; i++) p[i] = ids[shuffled ? n - 1 - i : i];
  bool c2[64];
  for (int i = 0; i < n; i++) c2[i] = city[shuffled ? n - 1 - i : i];
  fg_buf_reset(out);
  return fg_inspect_draw(seed, p, c2, n, out);
}

static void test_share_and_city(void **state) {
  (void)state;
  uint8_t seed[32];
  for (int i = 0; i < 32; i++) seed[i] = (uint8_t)(i * 7 + 1);
  fg_buf out = FG_BUF_INIT;
  for (int n = 1; n <= 50; n++) {
    const int chosen = draw(seed, n, false, &out);
    const int county = chosen - 1;
    assert_true(county * 5 >= n);       /* at least 20% */
    assert_true((county - 1) * 5 < n);  /* rounded up, not more */
    assert_non_null(strstr(out.buf, "A410100"));
    int commas = 0;
    for (const char *c = out.buf; *c; c++) commas += *c == ',';
    assert_int_equal(commas + 1, chosen);
  }
  fg_buf_release(&out);
}

static void test_reproducible(void **state) {
  (void)state;
  uint8_t seed[32] = {0}, other[32] = {0};
  seed[0] = 0x5a;
  other[0] = 0xa5;
  fg_buf a = FG_BUF_INIT, b = FG_BUF_INIT;
  draw(seed, 40, false, &a);
  draw(seed, 40, true, &b);
  assert_string_equal(a.buf, b.buf); /* the listing order does not matter */
  int differ = 0;
  for (int k = 0; k < 8; k++) {
    other[1] = (uint8_t)k;
    draw(other, 40, false, &b);
    differ += strcmp(a.buf, b.buf) != 0;
  }
  assert_true(differ >= 7); /* another seed, another plan */
  fg_buf_release(&a);
  fg_buf_release(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_share_and_city),
      cmocka_unit_test(test_reproducible),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
