/*
 * build.c — the model builder of build.h: stored rows in, model.h out.
 *
 * fg_mb_add() converts a row at once into its fixed-size model struct
 * (dates, months, codes, money; for contributions and benefit payments the
 * struct followed by the row's pk, which finishing drops: build_impl.h
 * fg_mb_contribution) and interns its identifiers into two pools
 * owned by the builder: person ids (upper-cased) -> pk, everything else ->
 * sid, except a benefit payment's payment_id, unique per row, which is
 * only appended to a blob of texts (model.h "Unique ids"). Pools are
 * open-addressing hash tables (linear probing, the hash kept in the slot)
 * over strings kept in big blocks, so memory is one small struct per row
 * plus one copy of each distinct string. Rows come grouped by person, so
 * the previous row's person id and each column's previous value are
 * compared first (no hashing when they repeat). fg_mb_finish()
 * then derives the per-person arrays, sorts the tables (counting sort by
 * pk, then a per-person sort), builds the offsets and links items,
 * catalogue entries and accounts.
 *
 * Determinism: ids are handed out in the order rows arrive. The parallel
 * loader (load.c) reads chunks of the tables into builders of their own and
 * merges them with fg_mb_absorb() in a fixed order; a merge re-interns the
 * absorbed builder's ids in its id order, so the ids are those one builder
 * fed the same rows in the same order would give, and every sort ends with
 * the rowid. sid order is NOT text order: compare m->str[sid] with strcmp.
 */
#include "screen/build.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "screen/build_impl.h"

/* ---- string pools --------------------------------------------------------- */

/* Multiply-xor hash over 8-byte loads, folded to 32 bits (ids are short). */
uint32_t fg_mb_hash(const char *s, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, sizeof w);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
  }
  if (i < n) {
    uint64_t w = 0;
    memcpy(&w, s + i, n - i);
    h = (h ^ w) * 0x94d049bb133111ebull;
  }
  h ^= h >> 29;
  h *= 0xff51afd7ed558ccdull;
  return (uint32_t)(h ^ (h >> 32));
}

static char *fg_mb_pool_copy(fg_mb_pool *p, const char *s, size_t n) {
  if (p->block_used_bytes + n + 1 > p->block_cap_bytes) {
    size_t cap = FG_MAX(FG_MB_STR_BLOCK_BYTES, n + 1);
    if (p->nblocks == p->capblocks) {
      p->capblocks = p->capblocks ? 2 * p->capblocks : 16;
      p->blocks = fg_xrealloc(p->blocks, p->capblocks * sizeof *p->blocks);
    }
    p->blocks[p->nblocks++] = fg_xmalloc(cap);
    p->block_used_bytes = 0;
    p->block_cap_bytes = cap;
  }
  char *dst = p->blocks[p->nblocks - 1] + p->block_used_bytes;
  memcpy(dst, s, n);
  dst[n] = '\0';
  p->block_used_bytes += n + 1;
  return dst;
}

/* Rebuild the slot table with nslots (a power of two) slots. */
static void fg_mb_pool_rehash(fg_mb_pool *p, uint64_t nslots) {
  FG_ASSERT_HOT((nslots & (nslots - 1)) == 0);
  FG_ASSERT_HOT((uint64_t)p->n * FG_MB_LOAD_DEN <= nslots * FG_MB_LOAD_NUM);
  uint64_t *old = p->slots, nold = p->nslots;
  p->slots = fg_xcalloc(nslots, sizeof *p->slots);
  p->nslots = nslots;
  for (uint64_t k = 0; k < nold; k++) {
    if (!old[k]) continue;
    uint64_t i = (old[k] >> 32) & (nslots - 1);
    while (p->slots[i]) i = (i + 1) & (nslots - 1);
    p->slots[i] = old[k];
  }
  free(old);
}

/* Room for one more string id; false (and the pool marked over its limit,
 * which fg_mb_check refuses) for a city past the model's limit. */
static bool fg_mb_pool_reserve(fg_mb_pool *p) {
  if (p->n >= FG_MB_STRINGS_MAX) {
    p->over = true;
    return false;
  }
  if (p->n == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 1024;
    if (p->cap > FG_MB_STRINGS_MAX) p->cap = FG_MB_STRINGS_MAX;
    p->str = fg_xrealloc(p->str, p->cap * sizeof *p->str);
  }
  return true;
}

/* Look s (hash h) up; when absent and add is true, add it. Returns the id or -1. */
static int64_t fg_mb_pool_get_h(fg_mb_pool *p, const char *s, size_t n, uint32_t h, bool add) {
  uint64_t i = 0, mask = p->nslots - 1;
  for (i = h & mask; p->nslots; i = (i + 1) & mask) {
    uint64_t slot = p->slots[i];
    if (!slot) break;
    if ((uint32_t)(slot >> 32) != h) continue;
    const char *t = p->str[(uint32_t)slot - 1];
    if (memcmp(t, s, n) == 0 && t[n] == '\0') return (uint32_t)slot - 1;
  }
  if (!add) return -1;
  if (!fg_mb_pool_reserve(p)) return 0;
  if (((uint64_t)p->n + 1) * FG_MB_LOAD_DEN > p->nslots * FG_MB_LOAD_NUM) {
    fg_mb_pool_rehash(p, p->nslots ? 2 * p->nslots : FG_MB_MIN_SLOTS);
    mask = p->nslots - 1;
    for (i = h & mask; p->slots[i]; i = (i + 1) & mask) {}
  }
  uint32_t id = p->n++;
  p->str[id] = fg_mb_pool_copy(p, s, n);
  p->slots[i] = ((uint64_t)h << 32) | ((uint64_t)id + 1);
  return id;
}

static int64_t fg_mb_pool_get(fg_mb_pool *p, const char *s, size_t n, bool add) {
  return fg_mb_pool_get_h(p, s, n, fg_mb_hash(s, n), add);
}

void fg_mb_pool_release(fg_mb_pool *p) {
  for (size_t i = 0; i < p->nblocks; i++) free(p->blocks[i]);
  free(p->blocks);
  free(p->str);
  free(p->slots);
  memset(p, 0, sizeof *p);
}

/* Intern every string of from into into, in from's id order (so into's new
 * ids follow from's order); map[from id] = into id. The slot each lookup
 * will touch is prefetched a few strings ahead: merging millions of
 * unique ids is bound by those cache misses otherwise. */
static void fg_mb_pool_merge(fg_mb_pool *into, const fg_mb_pool *from, uint32_t *map) {
  uint32_t *h = fg_xmalloc(((size_t)from->n + 1) * sizeof *h);
  uint32_t *len = fg_xmalloc(((size_t)from->n + 1) * sizeof *len);
  for (uint32_t i = 0; i < from->n; i++) {
    len[i] = (uint32_t)strlen(from->str[i]);
    h[i] = fg_mb_hash(from->str[i], len[i]);
  }
  for (uint32_t i = 0; i < from->n; i++) {
    if (i + FG_MB_PREFETCH_AHEAD < from->n && into->nslots)
      __builtin_prefetch(&into->slots[h[i + FG_MB_PREFETCH_AHEAD] & (into->nslots - 1)]);
    map[i] = (uint32_t)fg_mb_pool_get_h(into, from->str[i], len[i], h[i], true);
  }
  free(h);
  free(len);
}

void *fg_mb_alloc_rows(size_t bytes) {
  if (bytes < FG_MB_HUGE_BYTES) return fg_xmalloc(bytes ? bytes : 1);
  void *p = NULL;
  if (posix_memalign(&p, FG_MB_HUGE_BYTES, bytes) != 0 || !p) return fg_xmalloc(bytes);
  fg_huge_hint(p, bytes);
  return p;
}

void fg_mb_pool_drop_slots(fg_mb_pool *p) {
  free(p->slots);
  p->slots = NULL;
  p->nslots = 0;
}

size_t fg_mb_hand_back(const void *p, size_t n) {
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  FG_ASSERT(page > 0 && (page & (page - 1)) == 0);
  const uintptr_t a = (uintptr_t)p, lo = (a + page - 1) & ~(page - 1);
  const uintptr_t hi = (a + n) & ~(page - 1);
  if (hi <= lo) return 0;
  (void)madvise((void *)lo, hi - lo, MADV_DONTNEED); /* a hint: a refusal only costs memory */
  return hi - a;
}

int64_t fg_mb_pool_find(fg_mb_pool *p, const char *s, size_t n) {
  return fg_mb_pool_get(p, s, n, false);
}

/* s[0, n) upper-cased and NUL-terminated, in small when it fits, else on
 * the heap (free it when the result is not small). */
static char *fg_mb_upcase(const char *s, size_t n, char small[FG_MB_PERSON_ID_MAX]) {
  char *up = n < FG_MB_PERSON_ID_MAX ? small : fg_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    up[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
  up[n] = '\0';
  return up;
}

/* Person ids are compared upper-cased. */
static int64_t fg_mb_person_get(fg_mb_pool *p, const char *s, size_t n, bool add) {
  char small[FG_MB_PERSON_ID_MAX];
  char *up = fg_mb_upcase(s, n, small);
  int64_t id = fg_mb_pool_get(p, up, n, add);
  if (up != small) free(up);
  return id;
}

/* ---- the uid blob ---------------------------------------------------------- */

/* Append the npre bytes at pre, the n bytes at s and a NUL to blob p;
 * false (p marked over its limit, which fg_mb_check refuses) when the blob
 * would pass FG_MB_UID_BYTES_MAX. */
static bool fg_mb_blob_add2(fg_mb_blob *p, const void *pre, size_t npre, const char *s, size_t n) {
  const uint64_t need = (uint64_t)npre + n + 1;
  if (p->n + need > FG_MB_UID_BYTES_MAX) {
    p->over = true;
    return false;
  }
  if (p->n + need > p->cap) {
    uint64_t cap = FG_MAX(p->cap ? 2 * p->cap : 4096, p->n + need);
    p->cap = FG_MIN(cap, FG_MB_UID_BYTES_MAX);
    p->data = fg_xrealloc(p->data, (size_t)p->cap); /* large: glibc moves it by mremap */
  }
  if (npre) memcpy(p->data + p->n, pre, npre);
  if (n) memcpy(p->data + p->n + npre, s, n);
  p->data[p->n + npre + n] = '\0';
  p->n += need;
  return true;
}

static bool fg_mb_blob_add(fg_mb_blob *p, const char *s, size_t n) {
  return fg_mb_blob_add2(p, NULL, 0, s, n);
}

/* How many first bytes a and b share, stopping at a NUL of a. */
static size_t fg_mb_common(const char *a, const char *b, size_t n) {
  size_t k = 0;
  while (k < n && a[k] != '\0' && a[k] == b[k]) k++;
  return k;
}

/* The uid blob's front coding (model.h): a text becomes a delta against
 * the current head when it is short, the head is near and they share at
 * least FG_MB_UID_SHARED_MIN bytes, unless it shares clearly more with the
 * text before it (a new run of ids begins: it becomes the next head). */
#define FG_MB_UID_SHARED_MIN 4
#define FG_MB_UID_REHEAD_GAIN 2
fg_uid fg_mb_uid(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || v->n <= 0 || !v->s) return 0;
  const uint64_t at = b->uid.n;
  FG_ASSERT_HOT(at >= 1 && at <= FG_MB_UID_BYTES_MAX);
  const size_t n = (size_t)v->n;
  size_t shared = 0;
  const bool short_text = n <= FG_UID_DELTA_TEXT_MAX;
  if (short_text && b->uid_head > 0 && at - b->uid_head <= FG_UID_BACK_MAX) {
    FG_ASSERT_HOT(b->uid.data[b->uid_head] == FG_UID_HEAD);
    shared = fg_mb_common(b->uid.data + b->uid_head + 1, v->s, n);
    const size_t prev = b->uid_prev_n == SIZE_MAX ? 0 : fg_mb_common(b->uid_prev, v->s,
                                                                     FG_MIN(n, b->uid_prev_n));
    if (shared < FG_MB_UID_SHARED_MIN || prev > shared + FG_MB_UID_REHEAD_GAIN) shared = 0;
  }
  if (short_text) {
    memcpy(b->uid_prev, v->s, n);
    b->uid_prev_n = n;
  } else {
    b->uid_prev_n = SIZE_MAX;
  }
  unsigned char pre[4];
  size_t npre = 0;
  if (shared == 0) { /* a head */
    pre[npre++] = FG_UID_HEAD;
    if (!fg_mb_blob_add2(&b->uid, pre, npre, v->s, n)) return 0;
    b->uid_head = at;
    return (fg_uid)at;
  }
  FG_ASSERT_HOT(shared <= FG_UID_DELTA_TEXT_MAX);
  for (uint64_t x = at - b->uid_head + 1;; x >>= 7) { /* LEB128 of back + 1 (>= 2) */
    FG_ASSERT_HOT(npre < 3);
    pre[npre++] = (unsigned char)((x & 0x7f) | (x >= 0x80 ? 0x80 : 0));
    if (x < 0x80) break;
  }
  pre[npre++] = (unsigned char)shared;
  return fg_mb_blob_add2(&b->uid, pre, npre, v->s + shared, n - shared) ? (fg_uid)at : 0;
}

const char *fg_m_uid_delta(const char *part, uint64_t n, uint64_t at, fg_uid_buf *buf) {
  FG_ASSERT(part && buf && at > 0 && at < n && part[n - 1] == '\0');
  const unsigned char *p = (const unsigned char *)part + at;
  uint64_t x = 0;
  size_t k = 0;
  for (int shift = 0;; shift += 7) {
    FG_ASSERT(shift <= 14 && at + k < n);
    const unsigned char c = p[k++];
    x |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) break;
  }
  FG_ASSERT(x >= 2 && x - 1 <= at && at + k < n);
  const char *head = part + at - (x - 1);
  const size_t shared = p[k++];
  FG_ASSERT(head[0] == FG_UID_HEAD && shared >= 1 && shared <= FG_UID_DELTA_TEXT_MAX);
  FG_ASSERT(memchr(head + 1, '\0', shared) == NULL); /* the head has that many bytes */
  memcpy(buf->s, head + 1, shared);
  const char *rest = (const char *)p + k; /* NUL-terminated: the part ends with one */
  const size_t nrest = strnlen(rest, FG_UID_DELTA_TEXT_MAX + 1 - shared);
  FG_ASSERT(shared + nrest <= FG_UID_DELTA_TEXT_MAX);
  memcpy(buf->s + shared, rest, nrest);
  buf->s[shared + nrest] = '\0';
  return buf->s;
}

void fg_mb_shift_uids(const fg_mb_desc *d, char *row, uint64_t shift) {
  for (int k = 0; k < d->nuid; k++) {
    fg_uid u;
    memcpy(&u, row + d->uid_off[k], sizeof u);
    if (u == 0) continue;
    FG_ASSERT_HOT((uint64_t)u + shift <= FG_MB_UID_BYTES_MAX);
    u = (fg_uid)((uint64_t)u + shift);
    memcpy(row + d->uid_off[k], &u, sizeof u);
  }
}

/* ---- builder -------------------------------------------------------------- */

fg_model_builder *fg_mb_new(void) {
  fg_model_builder *b = fg_xcalloc(1, sizeof *b);
  b->last_pk_len = SIZE_MAX; /* nothing cached */
  b->uid_prev_n = SIZE_MAX;
  bool ok = fg_mb_blob_add(&b->uid, "", 0); /* uid 0 = "" */
  FG_ASSERT_HOT(ok && b->uid.n == 1);
  (void)ok;
  int64_t empty = fg_mb_pool_get(&b->str, "", 0, true);
  FG_ASSERT_HOT(empty == 0);
  (void)empty;
  return b;
}

void fg_mb_present(fg_model_builder *b, fg_table_id t) {
  FG_ASSERT_HOT(b && t >= 0 && t < FG_T_COUNT);
  b->present[t] = true;
}

/* Append s as a new id without looking for an equal one (a deferring
 * builder: fg_mb_absorb merges the duplicates). */
static uint32_t fg_mb_pool_append(fg_mb_pool *p, const char *s, size_t n) {
  if (!fg_mb_pool_reserve(p)) return 0;
  p->str[p->n] = fg_mb_pool_copy(p, s, n);
  return p->n++;
}

/* The column of the row being converted that v is, or -1. */
static int fg_mb_col_of(const fg_model_builder *b, const fg_value *v) {
  uintptr_t d = (uintptr_t)v - (uintptr_t)b->cur_vals;
  if (!b->cur_vals || d % sizeof *v != 0 || d / sizeof *v >= FG_MAX_COLS) return -1;
  return (int)(d / sizeof *v);
}

/* Interning by column: a column that is unique per row (fg_mb_unique_cols)
 * is appended unchecked by a deferring builder; any other column first
 * compares with its value in the previous row, which usually repeats
 * (rows come grouped by person). */
fg_sid fg_mb_sid(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || v->n <= 0 || !v->s) return 0;
  const size_t n = (size_t)v->n;
  const int col = fg_mb_col_of(b, v);
  if (col < 0) return (fg_sid)fg_mb_pool_get(&b->str, v->s, n, true);
  if (b->defer && (fg_mb_unique_cols(b->cur_t) & (1u << col)))
    return fg_mb_pool_append(&b->str, v->s, n);
  fg_mb_col_cache *c = &b->col_cache[col];
  if (c->sid && c->n == n) {
    const char *t = b->str.str[c->sid];
    if (memcmp(t, v->s, n) == 0 && t[n] == '\0') return c->sid;
  }
  fg_sid sid = (fg_sid)fg_mb_pool_get(&b->str, v->s, n, true);
  c->sid = sid;
  c->n = n;
  return sid;
}

fg_sid fg_mb_intern(fg_model_builder *b, const char *s, size_t n) {
  FG_ASSERT_HOT(b && s);
  return (fg_sid)fg_mb_pool_get(&b->str, s, n, true);
}

void fg_mb_defer(fg_model_builder *b) {
  FG_ASSERT_HOT(b && b->str.n == 1); /* before the first row */
  b->defer = true;
}

/* Rows come grouped by person, so the last row's person id usually repeats:
 * compare the raw text with it before upper-casing and hashing. */
fg_pk fg_mb_pk(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || v->n <= 0 || !v->s) return -1;
  size_t n = (size_t)v->n;
  if (n == b->last_pk_len && memcmp(v->s, b->last_pk_text, n) == 0) return b->last_pk;
  fg_pk pk = (fg_pk)fg_mb_person_get(&b->pid, v->s, n, true);
  if (n < sizeof b->last_pk_text) {
    memcpy(b->last_pk_text, v->s, n);
    b->last_pk_len = n;
    b->last_pk = pk;
  }
  return pk;
}

/* Room for n rows; false when the rows are a fixed window that is full
 * (more rows than the loader planned: refused by fg_mb_check). */
static bool fg_mb_vec_reserve(fg_mb_vec *v, int64_t n, size_t es) {
  if (n <= v->cap) return true;
  if (v->external) return false;
  v->cap = n;
  v->data = fg_xrealloc(v->data, (size_t)v->cap * es);
  return true;
}

void fg_mb_rows_adopt(fg_model_builder *b, fg_table_id t, void *rows, int64_t cap) {
  FG_ASSERT_HOT(b && t >= 0 && t < FG_T_COUNT && rows && cap > 0);
  fg_mb_vec *v = &b->rows[t];
  FG_ASSERT_HOT(v->n == 0 && !v->external);
  free(v->data);
  v->data = rows;
  v->cap = cap;
}

void fg_mb_rows_window(fg_model_builder *b, fg_table_id t, void *rows, int64_t cap) {
  fg_mb_rows_adopt(b, t, rows, cap);
  b->rows[t].external = true;
}

void fg_mb_add(fg_model_builder *b, fg_table_id t, int64_t rowid, const fg_value *vals) {
  FG_ASSERT_HOT(b && vals && t >= 0 && t < FG_T_COUNT);
  const fg_mb_desc *d = fg_mb_desc_of(t);
  fg_mb_vec *v = &b->rows[t];
  b->present[t] = true;
  if (v->n == v->cap && !fg_mb_vec_reserve(v, v->cap ? v->cap + v->cap / 2 + 1 : 256, d->elem_size)) {
    b->over = true; /* the row is dropped; the load is refused */
    return;
  }
  char *row = v->data + (size_t)v->n * d->elem_size;
  memset(row, 0, d->elem_size);
  /* every model struct starts with its fg_row32 row (build_tables.c) */
  if (rowid < 1 || rowid > (int64_t)FG_ROW32_MAX) b->row_over = true; /* fg_mb_check refuses */
  const fg_row32 row32 = (fg_row32)rowid;
  memcpy(row, &row32, sizeof row32);
  if (t != b->cur_t) memset(b->col_cache, 0, sizeof b->col_cache);
  b->cur_t = t;
  b->cur_vals = vals;
  d->conv(b, row, vals);
  b->cur_vals = NULL;
  v->n++;
}

void fg_mb_remap_u32(char *field, const uint32_t *map, bool is_pk) {
  if (is_pk) {
    fg_pk pk;
    memcpy(&pk, field, sizeof pk);
    if (pk >= 0) pk = (fg_pk)map[pk];
    memcpy(field, &pk, sizeof pk);
  } else {
    fg_sid sid;
    memcpy(&sid, field, sizeof sid);
    sid = map[sid];
    memcpy(field, &sid, sizeof sid);
  }
}

void fg_mb_remap_fen32(char *field, const uint32_t *map) {
  fg_fen32 v;
  memcpy(&v, field, sizeof v);
  if (!(v & FG_FEN32_BIG)) return;
  v = FG_FEN32_BIG | map[v & ~FG_FEN32_BIG];
  FG_ASSERT_HOT(v != FG_FEN32_BIG); /* an escaped value is never "" */
  memcpy(field, &v, sizeof v);
}

void fg_mb_remap_row(const fg_mb_desc *d, char *row, const uint32_t *smap, const uint32_t *pmap) {
  for (int k = 0; k < d->nsid; k++) fg_mb_remap_u32(row + d->sid_off[k], smap, false);
  for (int k = 0; k < d->npk; k++) fg_mb_remap_u32(row + d->pk_off[k], pmap, true);
  for (int k = 0; k < d->nmoney; k++) fg_mb_remap_fen32(row + d->money_off[k], smap);
}

/* Append from's rows of table t to into's, re-interning every id through
 * the maps on the way: in place when from's rows are a window of into's
 * block (moved down first if rows of t were missing before it) or when into
 * has no rows of t yet, else copied. */
static void fg_mb_absorb_table(fg_model_builder *into, fg_model_builder *from, int t,
                               const uint32_t *smap, const uint32_t *pmap, uint64_t ushift) {
  const fg_mb_desc *d = fg_mb_desc_of((fg_table_id)t);
  fg_mb_vec *v = &from->rows[t], *iv = &into->rows[t];
  const size_t es = d->elem_size;
  const bool take = iv->n == 0 && !v->external;
  char *dst = v->data;
  if (!take) {
    if (!v->external && !fg_mb_vec_reserve(iv, iv->n + v->n, es)) {
      into->over = true;
      return;
    }
    dst = iv->data + (size_t)iv->n * es;
    FG_ASSERT_HOT(!v->external || ((uintptr_t)v->data >= (uintptr_t)dst &&
                            (uintptr_t)v->data + (size_t)v->n * es <=
                                (uintptr_t)iv->data + (size_t)iv->cap * es));
    if (dst != v->data) memmove(dst, v->data, (size_t)v->n * es);
  }
  for (int64_t r = 0; r < v->n; r++) {
    fg_mb_remap_row(d, dst + (size_t)r * es, smap, pmap);
    if (d->nuid && ushift) fg_mb_shift_uids(d, dst + (size_t)r * es, ushift);
  }
  if (take) {
    free(iv->data);
    *iv = *v;
  } else {
    iv->n += v->n;
    if (!v->external) free(v->data);
  }
  memset(v, 0, sizeof *v);
}

void fg_mb_absorb(fg_model_builder *into, fg_model_builder *from) {
  FG_ASSERT_HOT(into && from && into != from);
  uint32_t *smap = fg_xmalloc((size_t)from->str.n * sizeof *smap + 1);
  uint32_t *pmap = fg_xmalloc((size_t)from->pid.n * sizeof *pmap + 1);
  fg_mb_pool_merge(&into->str, &from->str, smap);
  fg_mb_pool_merge(&into->pid, &from->pid, pmap);
  FG_ASSERT_HOT(smap[0] == 0);
  into->over |= from->over || from->str.over || from->pid.over;
  into->row_over |= from->row_over;
  into->region_bad |= from->region_bad;
  /* from's uid entries follow into's (from's leading NUL dropped): every
   * entry refers back only within from's own entries (model.h
   * FG_UID_HEAD), so they move as one by ushift */
  FG_ASSERT_HOT(into->uid.n >= 1 && from->uid.n >= 1);
  uint64_t ushift = into->uid.n - 1;
  if (from->uid.n > 1) /* its texts and their NULs; the last NUL is added back */
    (void)fg_mb_blob_add(&into->uid, from->uid.data + 1, (size_t)from->uid.n - 2);
  into->uid.over |= from->uid.over;
  if (into->uid.over) ushift = 0; /* fg_mb_check refuses the model: uids moot */
  into->uid_head = 0; /* from's entries refer into its own texts; into starts afresh */
  into->uid_prev_n = SIZE_MAX;
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (from->present[t]) into->present[t] = true;
    if (from->rows[t].n == 0) continue;
    fg_mb_absorb_table(into, from, t, smap, pmap, ushift);
  }
  free(smap);
  free(pmap);
  fg_mb_free(from);
}

void fg_mb_free(fg_model_builder *b) {
  if (!b) return;
  fg_mb_pool_release(&b->str);
  fg_mb_pool_release(&b->pid);
  free(b->uid.data);
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (!b->rows[t].external) free(b->rows[t].data);
    free(b->runs[t].start);
    free(b->pk_off[t]);
  }
  free(b);
}

/* ---- lookups -------------------------------------------------------------- */

/* A finished model keeps no hash tables (fg_mb_pool_drop_slots; a mapped
 * one never had them) and the rules never look ids up by text, so these
 * test helpers scan: O(strings) per call. */
static int64_t fg_model_scan(const char *const *str, int64_t n, const char *s) {
  for (int64_t i = 0; i < n; i++)
    if (strcmp(str[i], s) == 0) return i;
  return -1;
}

fg_pk fg_model_find_pk(const fg_model *m, const char *person_id) {
  FG_ASSERT_HOT(m && person_id);
  char small[FG_MB_PERSON_ID_MAX];
  char *up = fg_mb_upcase(person_id, strlen(person_id), small);
  int64_t pk = fg_model_scan(m->pk_id, m->npk, up);
  if (up != small) free(up);
  return (fg_pk)pk;
}

fg_sid fg_model_find_sid(const fg_model *m, const char *s) {
  FG_ASSERT_HOT(m && s);
  int64_t id = fg_model_scan(m->str, m->nstr, s);
  return id < 0 ? 0 : (fg_sid)id;
}

int64_t fg_m_fen_big(const fg_model *m, fg_fen32 v) {
  const fg_sid sid = v & ~FG_FEN32_BIG;
  FG_ASSERT(m && (v & FG_FEN32_BIG) && sid > 0 && sid < m->nstr);
  return fg_mb_fen_text(m->str[sid]);
}

int64_t fg_mb_fen_text(const char *s) {
  FG_ASSERT(s != NULL);
  const bool neg = *s == '-';
  s += neg;
  FG_ASSERT(*s != '\0');
  uint64_t x = 0;
  for (; *s; s++) {
    FG_ASSERT(*s >= '0' && *s <= '9' && x <= (UINT64_MAX - 9) / 10);
    x = 10 * x + (uint64_t)(*s - '0');
  }
  FG_ASSERT(x <= (uint64_t)INT64_MAX + (neg ? 1u : 0u));
  if (!neg) return (int64_t)x;
  return x == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)x;
}

int fg_mb_check(const fg_model_builder *b, fg_err *err) {
  FG_ASSERT(b != NULL);
  if (b->str.over || b->pid.over)
    return fg_errf(err, FG_ELIMIT,
                   "数据超出本版本筛查模型的上限：不同的标识符超过 %u 个（city too large for the model）",
                   FG_MB_STRINGS_MAX);
  if (b->uid.over)
    return fg_errf(err, FG_ELIMIT,
                   "数据超出本版本筛查模型的上限：待遇支付编号共超过 %llu 字节（city too large for the model）",
                   (unsigned long long)FG_MB_UID_BYTES_MAX);
  if (b->row_over)
    return fg_errf(err, FG_ELIMIT,
                   "数据超出本版本筛查模型的上限：某表的行号超过 %u（city too large for the model）",
                   (unsigned)FG_ROW32_MAX);
  if (b->region_bad)
    return fg_errf(err, FG_EVERIFY,
                   "数据库中有缴费记录的 region 不是 6 位数字的行政区划代码：导入不会存入这样的值，"
                   "数据库可能被导入以外的方式改动过，请运行 fundguard log verify 检查"
                   "（a stored contributions.region is not a 6-digit code）");
  if (b->over)
    return fg_errf(err, FG_ELIMIT, "数据库的行数在载入时增加了（另一个导入同时进行？），请重新筛查");
  if (b->rows[FG_T_MEDICAL_ITEMS].n >= INT32_MAX || b->rows[FG_T_MEDICAL_SETTLEMENTS].n >= INT32_MAX)
    return fg_errf(err, FG_ELIMIT, "医疗结算或费用明细超过 %d 行，超出本版本筛查模型的上限", INT32_MAX - 1);
  return 0;
}
