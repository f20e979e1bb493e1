/*
 * import_keyset.h — private to src/import: an open-addressing hash map from
 * key bytes to a 64-bit tag, the importer's in-memory index of keys and
 * reference targets.
 *
 * Import never runs a per-row SELECT: before a batch it loads, from the
 * store, the keys of every table it will write and the key column of every
 * table it must check references against (fg_store_scan_cols), and it adds
 * the keys of this batch's rows as it goes. Its peak memory is these sets
 * (tens of millions of keys for a city of a million persons), so a key
 * costs 16 bytes of slot at a load of at most 3/4 plus its bytes once in an
 * append-only arena (a length prefix and the bytes) — about 40 bytes for a
 * payment id instead of the 96-192 of the earlier 48-byte inline slots at
 * load <= 1/2. A slot holds the tag (the importer uses it for a stored
 * rowid, a line of this batch, or the index of a rejection) and, packed in
 * one word, the key's arena offset and 24 further bits of its hash: a probe
 * reads the arena (a second cache line) only when those bits match, so a
 * key that is absent almost never costs more than its run of slots. Keys
 * are compared byte for byte: a match is exact, never probable.
 */
#ifndef FG_IMPORT_IMPORT_KEYSET_H
#define FG_IMPORT_IMPORT_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest key (bytes) the set accepts: two fields of the CSV limit. */
#define FG_KEYSET_KEY_LEN_MAX (2u * 64u * 1024u + 1u)

typedef struct fg_keyset_slot {
  int64_t tag;
  /* 0 = empty; else (arena offset << 24) | check, check = 24 bits of the
   * key's hash, never 0 */
  uint64_t ref;
} fg_keyset_slot;

typedef struct fg_keyset {
  fg_keyset_slot *slots;
  size_t cap; /* any size (indexes by multiply-shift), 0 before the first key */
  size_t count;
  char *arena; /* per key: its length (LEB128), then its bytes */
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

/* The same two with the key's hash h (fg_keyset_hash_of) already known
 * (the import keeps it for batch_keys). */
int64_t *fg_keyset_find_h(fg_keyset *k, uint64_t h, const char *key, size_t n);
int64_t *fg_keyset_put_h(fg_keyset *k, uint64_t h, const char *key, size_t n, int64_t tag,
                         bool *added);

/* Ask the CPU to start reading the slot where a probe for hash h begins
 * (a hint: no effect on the set's contents). The importer issues it for a
 * row's key and references before its other work, so that their cache
 * misses overlap instead of following one another (issue 19). */
void fg_keyset_prefetch(const fg_keyset *k, uint64_t h);

/* The set's 64-bit hash of n bytes (never 0; also used by import_filter.c). */
uint64_t fg_keyset_hash_of(const char *key, size_t n);

#endif
