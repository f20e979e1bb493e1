/*
 * test_sha256.c — the bulk SHA-256 (common/sha256.h) against the FIPS 180-2
 * examples and against libsodium's implementation on random data fed in
 * uneven pieces, so both digests of a file agree whichever computed it.
 */
#include "testutil.h"

#include <sodium.h>
#include <string.h>

#include "common/fg.h"
#include "common/sha256.h"

static void hex_of(const char *s, uint8_t out[32]) {
  uint8_t d[32];
  fg_sha256(s, strlen(s), d);
  memcpy(out, d, 32);
}

static void test_fips_vectors(void **state) {
  (void)state;
  uint8_t d[32];
  char hex[65];
  hex_of("abc", d);
  fg_hex(d, 32, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  hex_of("", d);
  fg_hex(d, 32, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", d);
  fg_hex(d, 32, hex);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_matches_libsodium(void **state) {
  (void)state;
  assert_true(sodium_init() >= 0);
  enum { N = 100000 };
  uint8_t *buf = fg_xmalloc(N);
  randombytes_buf(buf, N);
  uint8_t a[32], b[32];
  fg_sha256_ctx c;
  fg_sha256_init(&c);
  for (size_t off = 0, step = 1; off < N; off += step, step = step * 3 % 997 + 1)
    fg_sha256_update(&c, buf + off, FG_MIN(step, (size_t)N - off));
  fg_sha256_final(&c, a);
  crypto_hash_sha256(b, buf, N);
  assert_memory_equal(a, b, 32);
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fips_vectors),
      cmocka_unit_test(test_matches_libsodium),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
