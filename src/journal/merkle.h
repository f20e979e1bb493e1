/*
 * merkle.h — RFC 6962 (Certificate Transparency) Merkle trees over SHA-256:
 * leaf hash H(0x00 || data), node hash H(0x01 || left || right), the root of
 * n leaves (empty tree: H("")), inclusion and consistency proofs.
 *
 * The journal (journal.h) makes every entry a leaf; coverage of stored rows
 * uses the same trees over canonical row encodings. Verification follows
 * transparency-dev/merkle's semantics (see tests/data/rfc6962/README and
 * docs/journal.md): every value arrives with its length, a value of the
 * wrong length is a mismatch (never read past it), a consistency proof from
 * size 0 is an error, equal sizes need an empty proof and byte-equal roots.
 */
#ifndef FG_JOURNAL_MERKLE_H
#define FG_JOURNAL_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"

#define FG_MERKLE_HASH_BYTES 32
/* A tree of up to 2^63 leaves has proofs of at most 64 (+1) hashes. */
#define FG_MERKLE_PROOF_MAX 66
#define FG_MERKLE_HEIGHT_MAX 64

typedef uint8_t fg_merkle_hash[FG_MERKLE_HASH_BYTES];

/* A byte string of any length as read from outside (a proof file). */
typedef struct fg_merkle_bytes {
  const uint8_t *p;
  size_t n;
} fg_merkle_bytes;

void fg_merkle_leaf_hash(const void *data, size_t n, fg_merkle_hash out);
void fg_merkle_node_hash(const fg_merkle_hash left, const fg_merkle_hash right, fg_merkle_hash out);
/* Root of the tree whose leaf hashes are leaves[0..n). */
void fg_merkle_root(const fg_merkle_hash *leaves, uint64_t n, fg_merkle_hash out);

/* Streaming root: push leaf hashes in order, read the root at any time
 * (O(log n) memory; used for millions of leaves). */
typedef struct fg_merkle_stream {
  fg_merkle_hash stack[FG_MERKLE_HEIGHT_MAX];
  uint64_t n;
} fg_merkle_stream;
void fg_merkle_stream_init(fg_merkle_stream *st);
void fg_merkle_stream_push(fg_merkle_stream *st, const fg_merkle_hash leaf);
void fg_merkle_stream_root(const fg_merkle_stream *st, fg_merkle_hash out);

/* Inclusion proof (RFC 6962 PATH) of leaf idx in the tree of leaves[0..n):
 * writes up to FG_MERKLE_PROOF_MAX hashes into proof, sets *len. */
int fg_merkle_inclusion_proof(const fg_merkle_hash *leaves, uint64_t n, uint64_t idx,
                              fg_merkle_hash *proof, size_t *len, fg_err *err);
/* Consistency proof (RFC 6962 PROOF) from the first size1 leaves to all
 * size2 leaves; 0 < size1 <= size2. */
int fg_merkle_consistency_proof(const fg_merkle_hash *leaves, uint64_t size2, uint64_t size1,
                                fg_merkle_hash *proof, size_t *len, fg_err *err);

/* 0 when the proof shows leaf is leaf idx of the tree (size, root);
 * FG_EVERIFY with a reason otherwise. */
int fg_merkle_verify_inclusion(uint64_t idx, uint64_t size, fg_merkle_bytes leaf,
                               const fg_merkle_bytes *proof, size_t proof_len,
                               fg_merkle_bytes root, fg_err *err);
/* 0 when the proof shows tree (size2, root2) extends tree (size1, root1). */
int fg_merkle_verify_consistency(uint64_t size1, uint64_t size2, fg_merkle_bytes root1,
                                 fg_merkle_bytes root2, const fg_merkle_bytes *proof,
                                 size_t proof_len, fg_err *err);

#endif
