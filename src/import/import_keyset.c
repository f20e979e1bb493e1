/*
 * import_keyset.c — the open-addressing hash map of import_keyset.h:
 * linear probing over a power-of-two table kept at most half full, 64-bit
 * hashes compared before the key bytes, short keys inside their slot and
 * longer ones packed in one arena.
 */
#include "import/import_keyset.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/fg.h"

enum { FG_KEYSET_CAP_MIN = 1024, FG_KEYSET_ARENA_MIN_BYTES = 64 * 1024 };
/* Largest size hint honoured (keys): 2^28, 8 GiB of slots at most. */
#define FG_KEYSET_RESERVE_MAX ((size_t)1 << 28)
/* Slot arrays from this size on ask for transparent huge pages: lookups in
 * a table of millions of keys are random, and each one would otherwise
 * also miss the TLB. */
#define FG_KEYSET_HUGE_BYTES ((size_t)4 << 20)
#define FG_KEYSET_HUGE_PAGE ((uintptr_t)2 << 20)
/* Slot arrays from this size on are first touched (the kernel zeroes
 * them) by two threads at once: a 4M-key table is ~800 MB, and zeroing it
 * on the worker alone stalled the whole import for ~1.7 s (2 cores). */
#define FG_KEYSET_PREFAULT_BYTES ((size_t)64 << 20)
#define FG_KEYSET_TOUCH_STRIDE ((size_t)4096)

static void fg_keyset_advise_huge(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  if (n < FG_KEYSET_HUGE_BYTES) return;
  const uintptr_t a = ((uintptr_t)p + FG_KEYSET_HUGE_PAGE - 1) & ~(FG_KEYSET_HUGE_PAGE - 1);
  const uintptr_t e = ((uintptr_t)p + n) & ~(FG_KEYSET_HUGE_PAGE - 1);
  if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* a hint: failure is fine */
#else
  (void)p;
  (void)n;
#endif
}

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
  pthread_t th;
  const bool helper = pthread_create(&th, NULL, fg_keyset_touch, &lo) == 0;
  fg_keyset_touch(&hi);
  if (helper)
    pthread_join(th, NULL);
  else
    fg_keyset_touch(&lo);
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

static const char *fg_keyset_key(const fg_keyset *k, const fg_keyset_slot *s) {
  return s->len <= FG_KEYSET_INLINE_LEN ? s->inl : k->arena + s->off;
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
  FG_ASSERT_HOT(k->cap > 0 && (k->cap & (k->cap - 1)) == 0);
  size_t i = (size_t)h & (k->cap - 1);
  for (;;) {
    fg_keyset_slot *s = &k->slots[i];
    if (s->hash == 0) return s;
    if (s->hash == h && s->len == n && memcmp(fg_keyset_key(k, s), key, n) == 0) return s;
    i = (i + 1) & (k->cap - 1);
  }
}

static void fg_keyset_grow_to(fg_keyset *k, size_t ncap) {
  FG_ASSERT_HOT(ncap > k->cap && (ncap & (ncap - 1)) == 0);
  fg_keyset_slot *old = k->slots;
  const size_t ocap = k->cap;
  k->slots = fg_xcalloc(ncap, sizeof *k->slots);
  fg_keyset_advise_huge(k->slots, ncap * sizeof *k->slots);
  fg_keyset_prefault(k->slots, ncap * sizeof *k->slots);
  k->cap = ncap;
  for (size_t i = 0; i < ocap; i++) {
    if (old[i].hash == 0) continue;
    size_t j = (size_t)old[i].hash & (ncap - 1);
    while (k->slots[j].hash != 0) j = (j + 1) & (ncap - 1);
    k->slots[j] = old[i];
  }
  free(old);
}

static void fg_keyset_grow(fg_keyset *k) {
  fg_keyset_grow_to(k, k->cap ? k->cap * 2 : FG_KEYSET_CAP_MIN);
}

/* Growing by doubling touches (and the kernel zeroes) about twice the final
 * table; a table that knows its size up front is allocated once. */
void fg_keyset_reserve(fg_keyset *k, size_t n) {
  FG_ASSERT_HOT(k != NULL);
  if (n > FG_KEYSET_RESERVE_MAX) n = FG_KEYSET_RESERVE_MAX;
  size_t need = (k->count + n) * 2, ncap = k->cap ? k->cap : FG_KEYSET_CAP_MIN;
  while (ncap < need) ncap *= 2;
  if (ncap > k->cap) fg_keyset_grow_to(k, ncap);
}

int64_t *fg_keyset_find(fg_keyset *k, const char *key, size_t n) {
  FG_ASSERT_HOT(k != NULL && (key != NULL || n == 0));
  if (k->count == 0) return NULL;
  fg_keyset_slot *s = fg_keyset_probe(k, fg_keyset_hash_of(key, n), key, n);
  return s->hash ? &s->tag : NULL;
}

int64_t *fg_keyset_put(fg_keyset *k, const char *key, size_t n, int64_t tag, bool *added) {
  FG_ASSERT_HOT(k != NULL && (key != NULL || n == 0) && added != NULL);
  FG_ASSERT_HOT(n <= FG_KEYSET_KEY_LEN_MAX);
  if ((k->count + 1) * 2 > k->cap) fg_keyset_grow(k);
  const uint64_t h = fg_keyset_hash_of(key, n);
  fg_keyset_slot *s = fg_keyset_probe(k, h, key, n);
  *added = s->hash == 0;
  if (!*added) return &s->tag;
  s->hash = h;
  s->len = (uint32_t)n;
  s->tag = tag;
  s->off = 0;
  if (n <= FG_KEYSET_INLINE_LEN) {
    if (n) memcpy(s->inl, key, n);
  } else {
    if (k->arena_len + n > k->arena_cap) {
      size_t ncap = k->arena_cap ? k->arena_cap : FG_KEYSET_ARENA_MIN_BYTES;
      while (ncap < k->arena_len + n) ncap *= 2;
      k->arena = fg_xrealloc(k->arena, ncap);
      k->arena_cap = ncap;
    }
    memcpy(k->arena + k->arena_len, key, n);
    s->off = k->arena_len;
    k->arena_len += n;
  }
  k->count++;
  FG_ASSERT_HOT(k->count * 2 <= k->cap);
  return &s->tag;
}
