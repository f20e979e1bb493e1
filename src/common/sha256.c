/*
 * sha256.c — the bulk SHA-256 of sha256.h on OpenSSL's libcrypto (the
 * low-level SHA256_* interface: no allocation per context, and the
 * assembly block functions with SHA-NI/AVX2 paths).
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "common/sha256.h"
#include "common/fg.h"

#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((fg_sha256_ctx *)0)->opaque),
               "fg_sha256_ctx too small for SHA256_CTX");

void fg_sha256_init(fg_sha256_ctx *c) {
  FG_ASSERT(c != NULL);
  int ok = SHA256_Init((SHA256_CTX *)(void *)c->opaque);
  FG_ASSERT(ok == 1);
  (void)ok;
}

void fg_sha256_update(fg_sha256_ctx *c, const void *data, size_t n) {
  FG_ASSERT(c != NULL && (data != NULL || n == 0));
  if (n > 0) SHA256_Update((SHA256_CTX *)(void *)c->opaque, data, n);
}

void fg_sha256_final(fg_sha256_ctx *c, uint8_t out[32]) {
  FG_ASSERT(c != NULL && out != NULL);
  SHA256_Final(out, (SHA256_CTX *)(void *)c->opaque);
}

void fg_sha256(const void *data, size_t n, uint8_t out[32]) {
  fg_sha256_ctx c;
  fg_sha256_init(&c);
  fg_sha256_update(&c, data, n);
  fg_sha256_final(&c, out);
}
