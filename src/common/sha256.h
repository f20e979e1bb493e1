/*
 * sha256.h — SHA-256 for bulk data: whole imported files and the chunked
 * row digests of the journal (gigabytes per import).
 *
 * Why not libsodium here: its SHA-256 is portable C (~340 MB/s on the
 * benchmark machine), while OpenSSL's libcrypto uses the CPU's SHA
 * extensions or AVX2 (~1.8 GB/s there). The digests are the same standard
 * SHA-256; libsodium stays in use for signatures, password hashing and the
 * small fixed-size hashes of the Merkle tree.
 */
#ifndef FG_COMMON_SHA256_H
#define FG_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Opaque, fixed-size state (holds OpenSSL's SHA256_CTX); no allocation. */
typedef struct fg_sha256_ctx {
  _Alignas(16) unsigned char opaque[128];
} fg_sha256_ctx;

void fg_sha256_init(fg_sha256_ctx *c);
void fg_sha256_update(fg_sha256_ctx *c, const void *data, size_t n);
void fg_sha256_final(fg_sha256_ctx *c, uint8_t out[32]);
/* One shot. */
void fg_sha256(const void *data, size_t n, uint8_t out[32]);

#endif
