/*
 * import_keyset.h — private to src/import: an open-addressing hash map from
 * key bytes to a 64-bit tag, the importer's in-memory index of keys and
 * reference targets.
 *
 * Import never runs a per-row SELECT: before a batch it loads, from the
 * store, the keys of every table it will write and the key column of every
 * table it must check references against (fg_store_scan_cols), and it adds
 * the keys of this batch's rows as it goes. A short key is kept in its
 * slot, a longer one once in an append-only arena; a slot holds the hash,
 * the key (or its arena offset), its length and the tag (the importer uses it for a stored rowid, a line of this batch, or
 * the index of a rejection).
 */
#ifndef FG_IMPORT_IMPORT_KEYSET_H
#define FG_IMPORT_IMPORT_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest key (bytes) the set accepts: two fields of the CSV limit. */
#define FG_KEYSET_KEY_LEN_MAX (2u * 64u * 1024u + 1u)

/* Keys up to this many bytes (identity numbers, credit codes, most ids)
 * live in the slot itself: a lookup then touches one cache line, not two. */
#define FG_KEYSET_INLINE_LEN 20

typedef struct fg_keyset_slot {
  uint64_t hash; /* 0 = empty slot */
  int64_t tag;
  uint64_t off; /* key bytes in the arena (longer keys only) */
  uint32_t len;
  char inl[FG_KEYSET_INLINE_LEN]; /* key bytes of a short key */
} fg_keyset_slot;

typedef struct fg_keyset {
  fg_keyset_slot *slots;
  size_t cap; /* power of two */
  size_t count;
  char *arena;
  size_t arena_len, arena_cap;
} fg_keyset;

void fg_keyset_init(fg_keyset *k);
void fg_keyset_release(fg_keyset *k);
/* Make room for n more keys without rehashing (a size hint; never shrinks). */
void fg_keyset_reserve(fg_keyset *k, size_t n);
/* Find key; returns a pointer to its tag (writable) or NULL. */
int64_t *fg_keyset_find(fg_keyset *k, const char *key, size_t n);
/* Insert key with tag unless present; returns the tag slot of the (new or
 * existing) entry and sets *added. */
int64_t *fg_keyset_put(fg_keyset *k, const char *key, size_t n, int64_t tag, bool *added);

/* The set's 64-bit hash of n bytes (never 0; also used by import_filter.c). */
uint64_t fg_keyset_hash_of(const char *key, size_t n);

#endif
