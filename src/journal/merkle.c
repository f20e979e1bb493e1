/*
 * merkle.c — RFC 6962 Merkle tree hashing, proof generation (RFC 6962
 * section 2.1.1 PATH and 2.1.2 PROOF) and proof verification with
 * transparency-dev/merkle's algorithm (decomposition of the inclusion
 * proof into inner and border parts). See merkle.h.
 */
#include "journal/merkle.h"

#include <string.h>

#include <sodium.h>

static const uint8_t FG_MERKLE_LEAF_PREFIX = 0x00;
static const uint8_t FG_MERKLE_NODE_PREFIX = 0x01;

void fg_merkle_leaf_hash(const void *data, size_t n, fg_merkle_hash out) {
  FG_ASSERT(data != NULL || n == 0);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &FG_MERKLE_LEAF_PREFIX, 1);
  if (n > 0) crypto_hash_sha256_update(&st, data, n);
  crypto_hash_sha256_final(&st, out);
}

void fg_merkle_node_hash(const fg_merkle_hash left, const fg_merkle_hash right, fg_merkle_hash out) {
  uint8_t buf[1 + 2 * FG_MERKLE_HASH_BYTES];
  buf[0] = FG_MERKLE_NODE_PREFIX;
  memcpy(buf + 1, left, FG_MERKLE_HASH_BYTES);
  memcpy(buf + 1 + FG_MERKLE_HASH_BYTES, right, FG_MERKLE_HASH_BYTES);
  crypto_hash_sha256(out, buf, sizeof buf);
}

void fg_merkle_stream_init(fg_merkle_stream *st) {
  FG_ASSERT(st != NULL);
  memset(st, 0, sizeof *st);
}

/* The stack holds the roots of the perfect subtrees whose sizes are the set
 * bits of n, largest first; pushing merges equal-sized neighbours. */
void fg_merkle_stream_push(fg_merkle_stream *st, const fg_merkle_hash leaf) {
  FG_ASSERT(st != NULL && leaf != NULL);
  int depth = __builtin_popcountll(st->n);
  FG_ASSERT(depth < FG_MERKLE_HEIGHT_MAX);
  memcpy(st->stack[depth], leaf, FG_MERKLE_HASH_BYTES);
  depth++;
  for (uint64_t m = st->n; m & 1; m >>= 1) {
    FG_ASSERT(depth >= 2);
    fg_merkle_node_hash(st->stack[depth - 2], st->stack[depth - 1], st->stack[depth - 2]);
    depth--;
  }
  st->n++;
  FG_ASSERT(depth == __builtin_popcountll(st->n));
}

void fg_merkle_stream_root(const fg_merkle_stream *st, fg_merkle_hash out) {
  FG_ASSERT(st != NULL && out != NULL);
  int depth = __builtin_popcountll(st->n);
  if (depth == 0) {
    crypto_hash_sha256(out, NULL, 0);
    return;
  }
  fg_merkle_hash acc;
  memcpy(acc, st->stack[depth - 1], FG_MERKLE_HASH_BYTES);
  for (int i = depth - 2; i >= 0; i--) fg_merkle_node_hash(st->stack[i], acc, acc);
  memcpy(out, acc, FG_MERKLE_HASH_BYTES);
}

void fg_merkle_root(const fg_merkle_hash *leaves, uint64_t n, fg_merkle_hash out) {
  FG_ASSERT(leaves != NULL || n == 0);
  fg_merkle_stream st;
  fg_merkle_stream_init(&st);
  for (uint64_t i = 0; i < n; i++) fg_merkle_stream_push(&st, leaves[i]);
  fg_merkle_stream_root(&st, out);
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t fg_merkle_split(uint64_t n) {
  FG_ASSERT(n >= 2);
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

static int fg_merkle_proof_add(fg_merkle_hash *proof, size_t *len, const fg_merkle_hash h) {
  if (*len >= FG_MERKLE_PROOF_MAX) return -1;
  memcpy(proof[(*len)++], h, FG_MERKLE_HASH_BYTES);
  return 0;
}

/* RFC 6962 PATH(m, D[n]): siblings from the leaf up. */
static int fg_merkle_path(const fg_merkle_hash *d, uint64_t n, uint64_t m, fg_merkle_hash *proof,
                          size_t *len) {
  FG_ASSERT(m < n);
  if (n == 1) return 0;
  uint64_t k = fg_merkle_split(n);
  fg_merkle_hash sib;
  int rc;
  if (m < k) {
    rc = fg_merkle_path(d, k, m, proof, len);
    fg_merkle_root(d + k, n - k, sib);
  } else {
    rc = fg_merkle_path(d + k, n - k, m - k, proof, len);
    fg_merkle_root(d, k, sib);
  }
  return rc ? rc : fg_merkle_proof_add(proof, len, sib);
}

int fg_merkle_inclusion_proof(const fg_merkle_hash *leaves, uint64_t n, uint64_t idx,
                              fg_merkle_hash *proof, size_t *len, fg_err *err) {
  FG_ASSERT(proof != NULL && len != NULL);
  *len = 0;
  if (idx >= n)
    return fg_errf(err, FG_EINPUT, "条目 %llu 不在大小为 %llu 的日志树中", (unsigned long long)idx,
                   (unsigned long long)n);
  if (fg_merkle_path(leaves, n, idx, proof, len) != 0)
    return fg_errf(err, FG_ELIMIT, "证明超过 %d 个哈希", FG_MERKLE_PROOF_MAX);
  return 0;
}

/* RFC 6962 SUBPROOF(m, D[n], b). */
static int fg_merkle_subproof(const fg_merkle_hash *d, uint64_t n, uint64_t m, bool whole,
                              fg_merkle_hash *proof, size_t *len) {
  FG_ASSERT(m >= 1 && m <= n);
  fg_merkle_hash h;
  if (m == n) {
    if (whole) return 0;
    fg_merkle_root(d, n, h);
    return fg_merkle_proof_add(proof, len, h);
  }
  uint64_t k = fg_merkle_split(n);
  int rc;
  if (m <= k) {
    rc = fg_merkle_subproof(d, k, m, whole, proof, len);
    fg_merkle_root(d + k, n - k, h);
  } else {
    rc = fg_merkle_subproof(d + k, n - k, m - k, false, proof, len);
    fg_merkle_root(d, k, h);
  }
  return rc ? rc : fg_merkle_proof_add(proof, len, h);
}

int fg_merkle_consistency_proof(const fg_merkle_hash *leaves, uint64_t size2, uint64_t size1,
                                fg_merkle_hash *proof, size_t *len, fg_err *err) {
  FG_ASSERT(proof != NULL && len != NULL);
  *len = 0;
  if (size1 == 0 || size1 > size2)
    return fg_errf(err, FG_EINPUT, "无法证明从 %llu 条到 %llu 条的一致性",
                   (unsigned long long)size1, (unsigned long long)size2);
  if (fg_merkle_subproof(leaves, size2, size1, true, proof, len) != 0)
    return fg_errf(err, FG_ELIMIT, "证明超过 %d 个哈希", FG_MERKLE_PROOF_MAX);
  return 0;
}

/* ---- verification (transparency-dev/merkle proof/verify.go) ------------- */

static bool fg_merkle_is_hash(fg_merkle_bytes b) {
  return b.p != NULL && b.n == FG_MERKLE_HASH_BYTES;
}

static bool fg_merkle_eq(fg_merkle_bytes b, const fg_merkle_hash h) {
  return fg_merkle_is_hash(b) && sodium_memcmp(b.p, h, FG_MERKLE_HASH_BYTES) == 0;
}

static int fg_merkle_bitlen(uint64_t x) { return x == 0 ? 0 : 64 - __builtin_clzll(x); }

/* Number of inner (below the border) and border proof hashes for a leaf. */
static void fg_merkle_decomp(uint64_t idx, uint64_t size, int *inner, int *border) {
  FG_ASSERT(idx < size);
  *inner = fg_merkle_bitlen(idx ^ (size - 1));
  *border = __builtin_popcountll(*inner >= 64 ? 0 : idx >> *inner);
}

static void fg_merkle_chain_inner(fg_merkle_hash seed, const fg_merkle_bytes *proof, int n,
                                  uint64_t idx, bool right_only) {
  for (int i = 0; i < n; i++) {
    FG_ASSERT(fg_merkle_is_hash(proof[i]));
    if ((idx >> i) & 1)
      fg_merkle_node_hash(proof[i].p, seed, seed);
    else if (!right_only)
      fg_merkle_node_hash(seed, proof[i].p, seed);
  }
}

static void fg_merkle_chain_border(fg_merkle_hash seed, const fg_merkle_bytes *proof, int n) {
  for (int i = 0; i < n; i++) {
    FG_ASSERT(fg_merkle_is_hash(proof[i]));
    fg_merkle_node_hash(proof[i].p, seed, seed);
  }
}

static int fg_merkle_check_items(const fg_merkle_bytes *proof, size_t n, fg_err *err) {
  for (size_t i = 0; i < n; i++)
    if (!fg_merkle_is_hash(proof[i]))
      return fg_errf(err, FG_EVERIFY, "证明的第 %zu 个哈希长度为 %zu 字节，应为 %d", i, proof[i].n,
                     FG_MERKLE_HASH_BYTES);
  return 0;
}

int fg_merkle_verify_inclusion(uint64_t idx, uint64_t size, fg_merkle_bytes leaf,
                               const fg_merkle_bytes *proof, size_t proof_len,
                               fg_merkle_bytes root, fg_err *err) {
  FG_ASSERT(proof != NULL || proof_len == 0);
  if (idx >= size)
    return fg_errf(err, FG_EVERIFY, "叶序号 %llu 不小于树大小 %llu", (unsigned long long)idx,
                   (unsigned long long)size);
  if (!fg_merkle_is_hash(leaf))
    return fg_errf(err, FG_EVERIFY, "叶哈希长度为 %zu 字节，应为 %d", leaf.n, FG_MERKLE_HASH_BYTES);
  int inner, border;
  fg_merkle_decomp(idx, size, &inner, &border);
  if (proof_len != (size_t)(inner + border))
    return fg_errf(err, FG_EVERIFY, "包含证明有 %zu 个哈希，应为 %d", proof_len, inner + border);
  if (fg_merkle_check_items(proof, proof_len, err) != 0) return FG_EVERIFY;
  fg_merkle_hash h;
  memcpy(h, leaf.p, FG_MERKLE_HASH_BYTES);
  fg_merkle_chain_inner(h, proof, inner, idx, false);
  fg_merkle_chain_border(h, proof + inner, border);
  if (!fg_merkle_eq(root, h)) return fg_errf(err, FG_EVERIFY, "包含证明算出的根与给定的根不符");
  return 0;
}

static int fg_merkle_consistency_trivial(uint64_t size1, uint64_t size2, fg_merkle_bytes root1,
                                         fg_merkle_bytes root2, size_t proof_len, fg_err *err) {
  if (size1 == 0) return fg_errf(err, FG_EVERIFY, "从空树出发的一致性证明没有意义");
  if (size2 < size1)
    return fg_errf(err, FG_EVERIFY, "旧树大小 %llu 大于新树大小 %llu", (unsigned long long)size1,
                   (unsigned long long)size2);
  if (size1 == size2) {
    if (proof_len != 0) return fg_errf(err, FG_EVERIFY, "树大小相同，证明应为空");
    if (root1.n != root2.n || (root1.n > 0 && memcmp(root1.p, root2.p, root1.n) != 0))
      return fg_errf(err, FG_EVERIFY, "树大小相同但根不同");
    return 0;
  }
  if (proof_len == 0) return fg_errf(err, FG_EVERIFY, "一致性证明为空");
  return 1; /* needs the full check */
}

int fg_merkle_verify_consistency(uint64_t size1, uint64_t size2, fg_merkle_bytes root1,
                                 fg_merkle_bytes root2, const fg_merkle_bytes *proof,
                                 size_t proof_len, fg_err *err) {
  FG_ASSERT(proof != NULL || proof_len == 0);
  int rc = fg_merkle_consistency_trivial(size1, size2, root1, root2, proof_len, err);
  if (rc <= 0) return rc;
  if (!fg_merkle_is_hash(root1) || !fg_merkle_is_hash(root2))
    return fg_errf(err, FG_EVERIFY, "树根长度不是 %d 字节", FG_MERKLE_HASH_BYTES);
  if (fg_merkle_check_items(proof, proof_len, err) != 0) return FG_EVERIFY;
  int inner, border;
  fg_merkle_decomp(size1 - 1, size2, &inner, &border);
  int shift = __builtin_ctzll(size1);
  inner -= shift;
  fg_merkle_bytes seed = proof[0];
  size_t start = 1;
  if (size1 == (uint64_t)1 << shift) {
    seed = root1;
    start = 0;
  }
  if (proof_len != start + (size_t)inner + (size_t)border)
    return fg_errf(err, FG_EVERIFY, "一致性证明有 %zu 个哈希，应为 %zu", proof_len,
                   start + (size_t)inner + (size_t)border);
  const fg_merkle_bytes *p = proof + start;
  uint64_t mask = (size1 - 1) >> shift;
  fg_merkle_hash h1, h2;
  memcpy(h1, seed.p, FG_MERKLE_HASH_BYTES);
  memcpy(h2, seed.p, FG_MERKLE_HASH_BYTES);
  fg_merkle_chain_inner(h1, p, inner, mask, true);
  fg_merkle_chain_border(h1, p + inner, border);
  if (!fg_merkle_eq(root1, h1)) return fg_errf(err, FG_EVERIFY, "一致性证明与旧树根不符");
  fg_merkle_chain_inner(h2, p, inner, mask, false);
  fg_merkle_chain_border(h2, p + inner, border);
  if (!fg_merkle_eq(root2, h2)) return fg_errf(err, FG_EVERIFY, "一致性证明与新树根不符");
  return 0;
}
