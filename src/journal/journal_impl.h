/*
 * journal_impl.h — private to src/journal/: the canonical forms shared by
 * appending (journal.c), verification (journal_verify.c) and proofs
 * (journal_proof.c). docs/journal.md documents each byte.
 */
#ifndef FG_JOURNAL_JOURNAL_IMPL_H
#define FG_JOURNAL_JOURNAL_IMPL_H

#include "journal/journal.h"
#include "journal/json.h"
#include "journal/merkle.h"
#include "journal/rowhash.h"

#define FG_JOURNAL_TIME_MAX 40 /* "YYYY-MM-DDTHH:MM:SS+08:00" and NUL */

/* Current Beijing time as YYYY-MM-DDTHH:MM:SS+08:00. */
void fg_journal_now(char out[FG_JOURNAL_TIME_MAX]);
/* The bytes an entry's signature covers (out is reset first). */
void fg_journal_canonical(const fg_store_journal_row *r, fg_buf *out);
/* Leaf hash: SHA-256(0x00 || canonical || signature). */
void fg_journal_leaf(const fg_buf *canonical, const uint8_t *sig, size_t sig_len, uint8_t out[32]);
/* Stored leaf hashes of the first n entries (heap, free()); FG_EVERIFY
 * when the journal is shorter or a hash is malformed. */
int fg_journal_load_leaves(fg_store *s, uint64_t n, fg_merkle_hash **out, fg_err *err);

#endif
