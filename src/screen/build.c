/*
 * build.c — the model builder of build.h: stored rows in, model.h out.
 *
 * fg_mb_add() converts a row at once into its fixed-size model struct
 * (dates, months, codes, money) and interns its identifiers into two pools
 * owned by the builder: person ids (upper-cased) -> pk, everything else ->
 * sid. Pools are open-addressing hash tables over strings kept in big
 * blocks, so memory is one small struct per row plus one copy of each
 * distinct string. fg_mb_finish() then derives the per-person arrays,
 * sorts the tables (counting sort by pk, then a per-person sort), builds the
 * offsets and links items, catalogue entries and accounts.
 *
 * Determinism: ids are handed out in the order rows arrive. The parallel
 * loader (load.c) gives each thread its own builder over a fixed set of
 * tables and merges them with fg_mb_absorb() in a fixed order, so the same
 * stored data always gives the same ids, and every sort ends with the rowid.
 * sid order is NOT text order: compare m->str[sid] with strcmp for that.
 */
#include "screen/build.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build_impl.h"

/* ---- string pools --------------------------------------------------------- */

static uint32_t fg_mb_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a, folded to 32 bits */
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
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

static void fg_mb_pool_rehash(fg_mb_pool *p, uint64_t nslots) {
  assert((nslots & (nslots - 1)) == 0);
  free(p->slots);
  p->slots = fg_xcalloc(nslots, sizeof *p->slots);
  p->nslots = nslots;
  for (uint32_t id = 0; id < p->n; id++) {
    uint64_t i = p->hash[id] & (nslots - 1);
    while (p->slots[i]) i = (i + 1) & (nslots - 1);
    p->slots[i] = id + 1;
  }
}

/* Look s up; when absent and add is true, add it. Returns the id or -1. */
static int64_t fg_mb_pool_get(fg_mb_pool *p, const char *s, size_t n, bool add) {
  uint32_t h = fg_mb_hash(s, n);
  if (p->nslots) {
    for (uint64_t i = h & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1)) {
      uint32_t slot = p->slots[i];
      if (!slot) break;
      const char *t = p->str[slot - 1];
      if (p->hash[slot - 1] == h && memcmp(t, s, n) == 0 && t[n] == '\0') return slot - 1;
    }
  }
  if (!add) return -1;
  if (p->n >= FG_MB_MAX_STRINGS) {
    fprintf(stderr, "fundguard: more than %u distinct identifiers\n", FG_MB_MAX_STRINGS);
    abort();
  }
  if (p->n == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 1024;
    p->str = fg_xrealloc(p->str, p->cap * sizeof *p->str);
    p->hash = fg_xrealloc(p->hash, p->cap * sizeof *p->hash);
  }
  uint32_t id = p->n++;
  p->str[id] = fg_mb_pool_copy(p, s, n);
  p->hash[id] = h;
  if ((uint64_t)p->n * 2 > p->nslots) {
    fg_mb_pool_rehash(p, p->nslots ? 2 * p->nslots : 2048);
  } else {
    uint64_t i = h & (p->nslots - 1);
    while (p->slots[i]) i = (i + 1) & (p->nslots - 1);
    p->slots[i] = id + 1;
  }
  return id;
}

void fg_mb_pool_free(fg_mb_pool *p) {
  for (size_t i = 0; i < p->nblocks; i++) free(p->blocks[i]);
  free(p->blocks);
  free(p->str);
  free(p->hash);
  free(p->slots);
  memset(p, 0, sizeof *p);
}

/* Person ids are compared upper-cased. */
static int64_t fg_mb_person_get(fg_mb_pool *p, const char *s, size_t n, bool add) {
  char small[FG_MB_PERSON_ID_MAX] = {0};
  char *up = n < sizeof small ? small : fg_xmalloc(n + 1);
  for (size_t i = 0; i < n; i++)
    up[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
  int64_t id = fg_mb_pool_get(p, up, n, add);
  if (up != small) free(up);
  return id;
}

/* ---- builder -------------------------------------------------------------- */

fg_model_builder *fg_mb_new(void) {
  fg_model_builder *b = fg_xcalloc(1, sizeof *b);
  int64_t empty = fg_mb_pool_get(&b->str, "", 0, true);
  assert(empty == 0);
  (void)empty;
  return b;
}

void fg_mb_present(fg_model_builder *b, fg_table_id t) {
  assert(b && t >= 0 && t < FG_T_COUNT);
  b->present[t] = true;
}

fg_sid fg_mb_sid(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || v->n <= 0 || !v->s) return 0;
  return (fg_sid)fg_mb_pool_get(&b->str, v->s, (size_t)v->n, true);
}

fg_pk fg_mb_pk(fg_model_builder *b, const fg_value *v) {
  if (v->is_null || v->n <= 0 || !v->s) return -1;
  return (fg_pk)fg_mb_person_get(&b->pid, v->s, (size_t)v->n, true);
}

void fg_mb_add(fg_model_builder *b, fg_table_id t, int64_t rowid, const fg_value *vals) {
  assert(b && vals && t >= 0 && t < FG_T_COUNT);
  const fg_mb_desc *d = fg_mb_desc_of(t);
  fg_mb_vec *v = &b->rows[t];
  b->present[t] = true;
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap + v->cap / 2 : 256;
    v->data = fg_xrealloc(v->data, (size_t)v->cap * d->elem_size);
  }
  char *row = v->data + (size_t)v->n * d->elem_size;
  memset(row, 0, d->elem_size);
  memcpy(row, &rowid, sizeof rowid); /* every model struct starts with fg_rowid row */
  d->conv(b, row, vals);
  v->n++;
}

static void fg_mb_remap_u32(char *field, const uint32_t *map, bool is_pk) {
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

/* Re-intern every id of from's table t through the maps and move its rows. */
static void fg_mb_absorb_table(fg_model_builder *into, fg_model_builder *from, int t,
                               const uint32_t *smap, const uint32_t *pmap) {
  const fg_mb_desc *d = fg_mb_desc_of((fg_table_id)t);
  fg_mb_vec *v = &from->rows[t];
  for (int64_t r = 0; r < v->n; r++) {
    char *row = v->data + (size_t)r * d->elem_size;
    for (int k = 0; k < d->nsid; k++) fg_mb_remap_u32(row + d->sid_off[k], smap, false);
    for (int k = 0; k < d->npk; k++) fg_mb_remap_u32(row + d->pk_off[k], pmap, true);
  }
  into->rows[t] = *v;
  memset(v, 0, sizeof *v);
}

void fg_mb_absorb(fg_model_builder *into, fg_model_builder *from) {
  assert(into && from && into != from);
  uint32_t *smap = fg_xmalloc((size_t)from->str.n * sizeof *smap + 1);
  uint32_t *pmap = fg_xmalloc((size_t)from->pid.n * sizeof *pmap + 1);
  for (uint32_t i = 0; i < from->str.n; i++) {
    const char *s = from->str.str[i];
    smap[i] = (uint32_t)fg_mb_pool_get(&into->str, s, strlen(s), true);
  }
  for (uint32_t i = 0; i < from->pid.n; i++) {
    const char *s = from->pid.str[i];
    pmap[i] = (uint32_t)fg_mb_pool_get(&into->pid, s, strlen(s), true);
  }
  assert(smap[0] == 0);
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (from->present[t]) into->present[t] = true;
    if (from->rows[t].n == 0) continue;
    assert(into->rows[t].n == 0); /* the loader splits tables, never rows */
    free(into->rows[t].data);
    fg_mb_absorb_table(into, from, t, smap, pmap);
  }
  free(smap);
  free(pmap);
  fg_mb_free(from);
}

void fg_mb_free(fg_model_builder *b) {
  if (!b) return;
  fg_mb_pool_free(&b->str);
  fg_mb_pool_free(&b->pid);
  for (int t = 0; t < FG_T_COUNT; t++) free(b->rows[t].data);
  free(b);
}

/* ---- lookups -------------------------------------------------------------- */

fg_pk fg_model_find_pk(const fg_model *m, const char *person_id) {
  assert(m && person_id);
  fg_model_arena *a = m->arena;
  return (fg_pk)fg_mb_person_get(&a->pid, person_id, strlen(person_id), false);
}

fg_sid fg_model_find_sid(const fg_model *m, const char *s) {
  assert(m && s);
  fg_model_arena *a = m->arena;
  int64_t id = fg_mb_pool_get(&a->str, s, strlen(s), false);
  return id < 0 ? 0 : (fg_sid)id;
}
