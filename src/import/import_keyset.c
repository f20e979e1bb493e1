/*
 * import_keyset.c — the open-addressing hash map of import_keyset.h:
 * linear probing over a power-of-two table kept at most half full, 64-bit
 * hashes compared before the key bytes, keys packed in one arena.
 */
#include "import/import_keyset.h"

#include <stdlib.h>
#include <string.h>

#include "common/fg.h"

enum { FG_KEYSET_CAP_MIN = 1024, FG_KEYSET_ARENA_MIN_BYTES = 64 * 1024 };

/* 64-bit FNV-1a, finished with a murmur3 mix; never returns 0 (0 marks an
 * empty slot). */
static uint64_t fg_keyset_hash(const char *key, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= (uint8_t)key[i];
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h ? h : 1;
}

void fg_keyset_init(fg_keyset *k) {
  assert(k != NULL);
  memset(k, 0, sizeof *k);
}

void fg_keyset_free(fg_keyset *k) {
  if (k == NULL) return;
  free(k->slots);
  free(k->arena);
  memset(k, 0, sizeof *k);
}

static fg_keyset_slot *fg_keyset_probe(const fg_keyset *k, uint64_t h, const char *key,
                                       size_t n) {
  assert(k->cap > 0 && (k->cap & (k->cap - 1)) == 0);
  size_t i = (size_t)h & (k->cap - 1);
  for (;;) {
    fg_keyset_slot *s = &k->slots[i];
    if (s->hash == 0) return s;
    if (s->hash == h && s->len == n && memcmp(k->arena + s->off, key, n) == 0) return s;
    i = (i + 1) & (k->cap - 1);
  }
}

static void fg_keyset_grow(fg_keyset *k) {
  const size_t ncap = k->cap ? k->cap * 2 : FG_KEYSET_CAP_MIN;
  fg_keyset_slot *old = k->slots;
  const size_t ocap = k->cap;
  k->slots = fg_xcalloc(ncap, sizeof *k->slots);
  k->cap = ncap;
  for (size_t i = 0; i < ocap; i++) {
    if (old[i].hash == 0) continue;
    size_t j = (size_t)old[i].hash & (ncap - 1);
    while (k->slots[j].hash != 0) j = (j + 1) & (ncap - 1);
    k->slots[j] = old[i];
  }
  free(old);
}

int64_t *fg_keyset_find(fg_keyset *k, const char *key, size_t n) {
  assert(k != NULL && (key != NULL || n == 0));
  if (k->count == 0) return NULL;
  fg_keyset_slot *s = fg_keyset_probe(k, fg_keyset_hash(key, n), key, n);
  return s->hash ? &s->tag : NULL;
}

int64_t *fg_keyset_put(fg_keyset *k, const char *key, size_t n, int64_t tag, bool *added) {
  assert(k != NULL && (key != NULL || n == 0) && added != NULL);
  assert(n <= FG_KEYSET_KEY_LEN_MAX);
  if ((k->count + 1) * 2 > k->cap) fg_keyset_grow(k);
  const uint64_t h = fg_keyset_hash(key, n);
  fg_keyset_slot *s = fg_keyset_probe(k, h, key, n);
  *added = s->hash == 0;
  if (!*added) return &s->tag;
  if (k->arena_len + n > k->arena_cap) {
    size_t ncap = k->arena_cap ? k->arena_cap : FG_KEYSET_ARENA_MIN_BYTES;
    while (ncap < k->arena_len + n) ncap *= 2;
    k->arena = fg_xrealloc(k->arena, ncap);
    k->arena_cap = ncap;
  }
  if (n) memcpy(k->arena + k->arena_len, key, n);
  s->hash = h;
  s->off = k->arena_len;
  s->len = (uint32_t)n;
  s->tag = tag;
  k->arena_len += n;
  k->count++;
  assert(k->count * 2 <= k->cap);
  return &s->tag;
}
