/*
 * import_keyset.c — the open-addressing hash map of import_keyset.h:
 * linear probing over a table of any size kept at most three quarters full
 * (a 32-bit multiply-shift of the hash picks the home slot), 24 bits of the
 * hash in each slot compared before the key bytes, and every key's bytes
 * once in an append-only arena behind a LEB128 length. The slot does not
 * keep the whole hash: growing re-reads each key from the arena (rare: the
 * importer sizes a set once from a sample of its file).
 */
#include "import/import_keyset.h"

#include <stdlib.h>
#include <string.h>

#include "common/fg.h"

enum { FG_KEYSET_CAP_MIN = 1024, FG_KEYSET_ARENA_MIN_BYTES = 64 * 1024 };
/* Largest size hint honoured (keys): 2^28, 7 GiB of slots at most. */
#define FG_KEYSET_RESERVE_MAX ((size_t)1 << 28)
/* Most slots a set may have: the home slot is a 32-bit multiply-shift. */
#define FG_KEYSET_CAP_MAX ((size_t)1 << 32)
/* Load limits: grow past 3/4; a reservation sizes for 3/5 (linear probing
 * then looks at about 3.6 slots, 58 bytes, for an absent key). */
#define FG_KEYSET_LOAD_MAX_NUM 3
#define FG_KEYSET_LOAD_MAX_DEN 4
#define FG_KEYSET_RESERVE_NUM 5
#define FG_KEYSET_RESERVE_DEN 3
/* A slot's ref: arena offset above FG_KEYSET_CHECK_BITS of hash. */
#define FG_KEYSET_CHECK_BITS 24
#define FG_KEYSET_CHECK_MASK ((UINT64_C(1) << FG_KEYSET_CHECK_BITS) - 1)
/* Largest arena (bytes) a ref can address: 2^40, 1 TiB. */
#define FG_KEYSET_ARENA_MAX_BYTES (UINT64_C(1) << (64 - FG_KEYSET_CHECK_BITS))
/* Bytes assumed per key (length prefix included) when reserving an arena
 * that holds no key yet. */
#define FG_KEYSET_KEY_BYTES_GUESS 24
/* Slot arrays from this size on are first touched (the kernel zeroes
 * them) by two threads at once: a 4M-key table is ~800 MB, and zeroing it
 * on the worker alone stalled the whole import for ~1.7 s (2 cores). */
#define FG_KEYSET_PREFAULT_BYTES ((size_t)64 << 20)
#define FG_KEYSET_TOUCH_STRIDE ((size_t)4096)

typedef struct fg_keyset_span {
  char *p;
  size_t n;
} fg_keyset_span;

/* Write one (zero) byte per page of a freshly allocated, zeroed span. */
static void *fg_keyset_touch(void *arg) {
  const fg_keyset_span *s = arg;
  volatile char *p = s->p;
  for (size_t i = 0; i < s->n; i += FG_KEYSET_TOUCH_STRIDE) p[i] = 0;
  return NULL;
}

/* Fault a large zeroed slot array in with a helper thread taking the first
 * half; any failure to start it just leaves the work to this thread. */
static void fg_keyset_prefault(void *p, size_t n) {
  if (n < FG_KEYSET_PREFAULT_BYTES) return;
  fg_keyset_span lo = {p, n / 2}, hi = {(char *)p + n / 2, n - n / 2};
  fg_run_pair(fg_keyset_touch, &hi, &lo);
}

/* Word-at-a-time multiply-xorshift hash (keys are short: ids of 1-40
 * bytes), finished with murmur3's fmix64; never returns 0 (0 marks an
 * empty slot). */
uint64_t fg_keyset_hash_of(const char *key, size_t n) {
  const uint64_t k1 = 0x9e3779b97f4a7c15ULL, k2 = 0xbf58476d1ce4e5b9ULL;
  uint64_t h = k1 ^ (n * k2);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, key + i, 8);
    h = (h ^ w) * k2;
    h ^= h >> 29;
  }
  if (i < n) {
    uint64_t w = 0;
    memcpy(&w, key + i, n - i);
    h = (h ^ w) * k2;
    h ^= h >> 29;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h ? h : 1;
}

/* The 24 check bits of hash h kept in a slot (never 0: 0 marks empty). */
static uint64_t fg_keyset_check(uint64_t h) {
  const uint64_t c = (h >> (64 - FG_KEYSET_CHECK_BITS)) & FG_KEYSET_CHECK_MASK;
  return c ? c : 1;
}

static size_t fg_keyset_home(const fg_keyset *k, uint64_t h) {
  FG_ASSERT_HOT(k->cap > 0 && k->cap <= FG_KEYSET_CAP_MAX);
  return (size_t)(((h & UINT64_C(0xffffffff)) * (uint64_t)k->cap) >> 32);
}

/* The key at arena offset off: its bytes, length in *n. */
static const char *fg_keyset_key_at(const fg_keyset *k, uint64_t off, size_t *n) {
  FG_ASSERT_HOT(off < k->arena_len);
  const unsigned char *p = (const unsigned char *)k->arena + off;
  size_t len = 0;
  unsigned shift = 0;
  while (*p & 0x80u) {
    len |= (size_t)(*p++ & 0x7fu) << shift;
    shift += 7;
    FG_ASSERT_HOT(shift < 28); /* keys are at most FG_KEYSET_KEY_LEN_MAX */
  }
  len |= (size_t)*p++ << shift;
  *n = len;
  return (const char *)p;
}

void fg_keyset_init(fg_keyset *k) {
  FG_ASSERT_HOT(k != NULL);
  memset(k, 0, sizeof *k);
}

void fg_keyset_release(fg_keyset *k) {
  if (k == NULL) return;
  free(k->slots);
  free(k->arena);
  memset(k, 0, sizeof *k);
}

static fg_keyset_slot *fg_keyset_probe(const fg_keyset *k, uint64_t h, const char *key,
                                       size_t n) {
  const uint64_t check = fg_keyset_check(h);
  size_t i = fg_keyset_home(k, h);
  for (;;) {
    fg_keyset_slot *s = &k->slots[i];
    if (s->ref == 0) return s;
    if ((s->ref & FG_KEYSET_CHECK_MASK) == check) {
      size_t len;
      const char *p = fg_keyset_key_at(k, s->ref >> FG_KEYSET_CHECK_BITS, &len);
      if (len == n && memcmp(p, key, n) == 0) return s;
    }
    if (++i == k->cap) i = 0;
  }
}

static void fg_keyset_grow_to(fg_keyset *k, size_t ncap) {
  FG_ASSERT(ncap > k->cap && ncap <= FG_KEYSET_CAP_MAX);
  fg_keyset_slot *old = k->slots;
  const size_t ocap = k->cap;
  k->slots = fg_xcalloc(ncap, sizeof *k->slots); /* on huge pages (fg_huge_hint) */
  fg_keyset_prefault(k->slots, ncap * sizeof *k->slots);
  k->cap = ncap;
  for (size_t i = 0; i < ocap; i++) {
    if (old[i].ref == 0) continue;
    size_t len;
    const char *p = fg_keyset_key_at(k, old[i].ref >> FG_KEYSET_CHECK_BITS, &len);
    size_t j = fg_keyset_home(k, fg_keyset_hash_of(p, len));
    while (k->slots[j].ref != 0)
      if (++j == ncap) j = 0;
    k->slots[j] = old[i];
  }
  free(old);
}

/* Make the arena hold at least want bytes (glibc moves a large block with
 * mremap, so growing never holds two copies). */
static void fg_keyset_arena_reserve(fg_keyset *k, size_t want) {
  if (want <= k->arena_cap) return;
  FG_ASSERT(want <= FG_KEYSET_ARENA_MAX_BYTES);
  size_t ncap = k->arena_cap ? k->arena_cap : FG_KEYSET_ARENA_MIN_BYTES;
  while (ncap < want) ncap *= 2;
  k->arena = fg_xrealloc(k->arena, ncap);
  k->arena_cap = ncap;
}

/* Growing by doubling touches (and the kernel zeroes) about twice the final
 * table; a table that knows its size up front is allocated once. */
void fg_keyset_reserve(fg_keyset *k, size_t n) {
  FG_ASSERT_HOT(k != NULL);
  if (n > FG_KEYSET_RESERVE_MAX) n = FG_KEYSET_RESERVE_MAX;
  const size_t need = k->count + n;
  size_t ncap = need / FG_KEYSET_RESERVE_DEN * FG_KEYSET_RESERVE_NUM + FG_KEYSET_RESERVE_NUM;
  if (ncap < FG_KEYSET_CAP_MIN) ncap = FG_KEYSET_CAP_MIN;
  if (ncap > k->cap) fg_keyset_grow_to(k, ncap);
  const size_t per_key = k->count ? k->arena_len / k->count + 1 : FG_KEYSET_KEY_BYTES_GUESS;
  fg_keyset_arena_reserve(k, k->arena_len + n * per_key);
}

void fg_keyset_prefetch(const fg_keyset *k, uint64_t h) {
  FG_ASSERT_HOT(k != NULL);
  if (k->cap > 0) __builtin_prefetch(&k->slots[fg_keyset_home(k, h)]);
}

int64_t *fg_keyset_find(fg_keyset *k, const char *key, size_t n) {
  return fg_keyset_find_h(k, fg_keyset_hash_of(key, n), key, n);
}

int64_t *fg_keyset_find_h(fg_keyset *k, uint64_t h, const char *key, size_t n) {
  FG_ASSERT_HOT(k != NULL && (key != NULL || n == 0));
  FG_ASSERT_HOT(h == fg_keyset_hash_of(key, n));
  if (k->count == 0) return NULL;
  fg_keyset_slot *s = fg_keyset_probe(k, h, key, n);
  return s->ref ? &s->tag : NULL;
}

int64_t *fg_keyset_put(fg_keyset *k, const char *key, size_t n, int64_t tag, bool *added) {
  return fg_keyset_put_h(k, fg_keyset_hash_of(key, n), key, n, tag, added);
}

int64_t *fg_keyset_put_h(fg_keyset *k, uint64_t h, const char *key, size_t n, int64_t tag,
                         bool *added) {
  FG_ASSERT_HOT(k != NULL && (key != NULL || n == 0) && added != NULL);
  FG_ASSERT_HOT(n <= FG_KEYSET_KEY_LEN_MAX && h == fg_keyset_hash_of(key, n));
  if ((k->count + 1) * FG_KEYSET_LOAD_MAX_DEN > k->cap * FG_KEYSET_LOAD_MAX_NUM)
    fg_keyset_grow_to(k, k->cap ? k->cap * 2 : FG_KEYSET_CAP_MIN);
  fg_keyset_slot *s = fg_keyset_probe(k, h, key, n);
  *added = s->ref == 0;
  if (!*added) return &s->tag;
  fg_keyset_arena_reserve(k, k->arena_len + n + 3); /* 3: LEB128 of 2^17 */
  const uint64_t off = k->arena_len;
  unsigned char *p = (unsigned char *)k->arena + off;
  size_t len = n;
  for (; len >= 0x80u; len >>= 7) *p++ = (unsigned char)(0x80u | (len & 0x7fu));
  *p++ = (unsigned char)len;
  if (n) memcpy(p, key, n);
  k->arena_len = (size_t)(p - (unsigned char *)k->arena) + n;
  FG_ASSERT(k->arena_len <= FG_KEYSET_ARENA_MAX_BYTES);
  s->tag = tag;
  s->ref = (off << FG_KEYSET_CHECK_BITS) | fg_keyset_check(h);
  k->count++;
  FG_ASSERT_HOT(k->count * FG_KEYSET_LOAD_MAX_DEN <= k->cap * FG_KEYSET_LOAD_MAX_NUM);
  return &s->tag;
}
