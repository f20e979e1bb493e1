/*
 * build_extend.c — fg_mb_extend() (build.h): a finished model plus the rows
 * a store gained since, finished again, without reading or copying what did
 * not change. It is how a screening after a month's import uses the
 * previous run's snapshot (engine_run.c, load.c fg_model_extend).
 *
 * Ids.  The new rows were read into a builder of their own (nb), whose
 * pools hold only the strings they use. Each of base's strings is looked up
 * in nb's small pool (a scan of base's strings on both cores, in place of
 * hashing all of them into a big table): a hit maps the nb id to the base
 * id; every nb string not in base gets the next id after base's, in nb's id
 * order. Person ids the same. So the ids are exactly those one builder fed
 * base's rows and then the new ones would hand out (test_snapshot.c), and
 * the final pools are base's string pointers (into the snapshot's mapping,
 * which the new model keeps) plus nb's new strings: no hash table, as for
 * any finished model (the rules never look ids up by text). The new rows'
 * uid texts (model.h) stay in nb's blob, which becomes the model's second
 * part beside base's: their uids move by base's size less its leading NUL.
 *
 * Rows.  A table without new rows keeps base's array where it is (for a
 * snapshot: in the mapping, made copy-on-write, so the few fields finishing
 * rewrites - item links, settlement item ranges - cost a private page, and
 * the rest is never copied). A "by pk" table with new rows is rebuilt in one
 * pass, person by person: base's group, then the new rows of that person,
 * and only a group that gained rows is sorted; the pass writes the table's
 * offsets too, so fg_mb_finish neither counts nor sorts it (four passes
 * over 2.2 GB at a million persons); an unchanged one keeps base's
 * offsets. Other tables are base's rows then
 * the new ones, as a full load would order them (rowid order), and are
 * sorted by fg_mb_finish as always. Two threads take the tables, largest
 * first (fg_run_pair_each).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "screen/build_impl.h"

/* The "by pk" tables and where base keeps their offsets. */
static const int64_t *fg_mbx_base_off(const fg_model *m, fg_table_id t) {
  switch (t) {
  case FG_T_ENROLLMENTS: return m->enrollments_off;
  case FG_T_CONTRIBUTIONS: return m->contributions_off;
  case FG_T_BENEFIT_PAYMENTS: return m->payments_off;
  case FG_T_RETIREMENTS: return m->retirements_off;
  case FG_T_MEDICAL_SETTLEMENTS: return m->settlements_off;
  case FG_T_DEATHS: return m->deaths_off;
  case FG_T_INCARCERATIONS: return m->incarcerations_off;
  case FG_T_SURVIVAL_CERTIFICATIONS: return m->survivals_off;
  default: return NULL;
  }
}

/* ---- ids ------------------------------------------------------------------ */

typedef struct fg_mbx_scan {
  const char *const *str; /* base's strings */
  uint32_t lo, hi;        /* this worker's range */
  fg_mb_pool *pool;       /* nb's pool (only read) */
  uint32_t *map;          /* nb id -> base id (UINT32_MAX: not in base) */
} fg_mbx_scan;

static void *fg_mbx_scan_run(void *arg) {
  fg_mbx_scan *s = arg;
  for (uint32_t i = s->lo; i < s->hi; i++) {
    int64_t j = fg_mb_pool_find(s->pool, s->str[i], strlen(s->str[i]));
    if (j >= 0) s->map[j] = i; /* nb's strings are distinct: one writer per slot */
  }
  return NULL;
}

/* map[nb id] = final id for every string of pool; *n_out = final count. */
static uint32_t *fg_mbx_map_ids(const char *const *base_str, uint32_t nbase, fg_mb_pool *pool,
                                uint32_t *n_out) {
  uint32_t *map = fg_xmalloc(((size_t)pool->n + 1) * sizeof *map);
  for (uint32_t j = 0; j < pool->n; j++) map[j] = UINT32_MAX;
  fg_mbx_scan half[2] = {{base_str, 0, nbase / 2, pool, map},
                         {base_str, nbase / 2, nbase, pool, map}};
  fg_run_pair(fg_mbx_scan_run, &half[0], &half[1]);
  uint32_t n = nbase;
  for (uint32_t j = 0; j < pool->n; j++)
    if (map[j] == UINT32_MAX) map[j] = n++;
  *n_out = n;
  return map;
}

/* The final pool: base's pointers, then nb's strings that are new; nb's
 * string storage moves into it. Its hash table stays empty. */
static void fg_mbx_pool(fg_mb_pool *out, const char *const *base_str, uint32_t nbase,
                        fg_mb_pool *nbp, const uint32_t *map, uint32_t n) {
  memset(out, 0, sizeof *out);
  out->str = fg_xmalloc(((size_t)n + 1) * sizeof *out->str);
  if (nbase) memcpy(out->str, base_str, (size_t)nbase * sizeof *out->str);
  for (uint32_t j = 0; j < nbp->n; j++)
    if (map[j] >= nbase) out->str[map[j]] = nbp->str[j];
  out->n = out->cap = n;
  out->blocks = nbp->blocks; /* the new strings' bytes */
  out->nblocks = nbp->nblocks;
  out->capblocks = nbp->capblocks;
  nbp->blocks = NULL;
  nbp->nblocks = nbp->capblocks = 0;
  out->over = n > FG_MB_STRINGS_MAX || nbp->over;
}

/* ---- rows ----------------------------------------------------------------- */

/* Base's rows of a table that was rebuilt are not read again: hand their
 * pages of the mapping back (whole pages only: neighbours share the edge
 * ones), so the peak memory of an extension is the mapping plus one
 * rebuilt table, not plus all of them. */
static void fg_mbx_drop(const fg_model_arena *ba, const void *rows, size_t bytes) {
  if (!ba->map || bytes == 0) return;
  const uintptr_t m0 = (uintptr_t)ba->map, m1 = m0 + ba->map_bytes;
  FG_ASSERT((uintptr_t)rows >= m0 && (uintptr_t)rows + bytes <= m1);
  (void)fg_mb_hand_back(rows, bytes); /* refaults would read the file */
}

/* Base's rows are handed back every this many bytes as they are copied. */
#define FG_MBX_DROP_BYTES ((size_t)8 << 20)
/* The new array is faulted in this many bytes at a time ahead of the copy. */
#define FG_MBX_FAULT_BYTES ((size_t)8 << 20)

/* Fault the pages of the new array p[0, n) up to need (and at least
 * FG_MBX_FAULT_BYTES past done) in with one call (MADV_POPULATE_WRITE)
 * instead of one trap per 4 KiB page as the copy first writes them: on the
 * AMD VM of issue 19's ninth session the traps' handling in the hypervisor
 * was 19 % of a month's samples at a million persons, and the merge went
 * from 3.9-4.9 s to 2.9-3.4 s. Window by window, so memory grows as the
 * copy goes, as before (the whole array at once: the month's peak was
 * 4.3 GiB instead of 2.9). Returns the new mark; only speed: a kernel
 * without it (before 5.14) faults as before. */
static size_t fg_mbx_prefault(char *p, size_t n, size_t done, size_t need) {
#ifdef MADV_POPULATE_WRITE
  if (need <= done || done >= n) return done;
  const uintptr_t page = 4096;
  size_t to = FG_MIN(n, FG_MAX(need, done + FG_MBX_FAULT_BYTES));
  const uintptr_t a = ((uintptr_t)p + done + page - 1) & ~(page - 1);
  const uintptr_t b = ((uintptr_t)p + to) & ~(page - 1);
  if (b > a) (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE); /* only speed */
  return to;
#else
  (void)p;
  (void)n;
  (void)need;
  return done;
#endif
}

/* Base's rows of a "by pk" table, then per person the new rows (nv, already
 * remapped to final pks), into a new array: pk order holds throughout.
 * Base's rows are read once, in order: the pages of the mapping already
 * copied are handed back as the copy goes (fg_mbx_drop), so the mapping
 * and the new array are not both resident (at a million persons they
 * were, 3.6 + 2.6 GB). */
static void fg_mbx_merge_pk(fg_mb_vec *out, int64_t **off_out, fg_table_id t,
                            const fg_model_arena *ba, const char *base, int64_t nbase,
                            const int64_t *boff, int32_t npk_base, fg_mb_vec *nv, int32_t npk) {
  /* nv's rows are builder rows (es bytes, the pk at pk_at); base's and the
   * result's are model rows (es, or fewer bytes: fg_mb_model_size) */
  const size_t nes = fg_mb_desc_of(t)->elem_size, es = fg_mb_model_size(t);
  const size_t pk_at = fg_mb_pk_at(t);
  /* count and place the new rows by pk (stable: their order within a pk kept) */
  int64_t *noff = fg_xcalloc((size_t)npk + 1, sizeof *noff);
  for (int64_t r = 0; r < nv->n; r++) {
    fg_pk pk;
    memcpy(&pk, nv->data + (size_t)r * nes + pk_at, sizeof pk);
    FG_ASSERT(pk >= 0 && pk < npk);
    noff[pk + 1]++;
  }
  for (int32_t k = 0; k < npk; k++) noff[k + 1] += noff[k];
  char *sorted = fg_xmalloc((size_t)(nv->n ? nv->n : 1) * es);
  int64_t *pos = fg_xmalloc(((size_t)npk + 1) * sizeof *pos);
  memcpy(pos, noff, ((size_t)npk + 1) * sizeof *pos);
  for (int64_t r = 0; r < nv->n; r++) {
    fg_pk pk;
    memcpy(&pk, nv->data + (size_t)r * nes + pk_at, sizeof pk);
    memcpy(sorted + (size_t)pos[pk]++ * es, nv->data + (size_t)r * nes, es);
  }
  free(pos);
  const int64_t n = nbase + nv->n;
  out->data = fg_xmalloc_seq((size_t)n * es); /* written once in order: decision 84 */
  out->n = out->cap = n;
  out->external = false;
  int64_t w = 0;
  size_t dropped = 0; /* base's bytes [0, dropped) handed back */
  size_t faulted = 0; /* out's bytes [0, faulted) faulted in (fg_mbx_prefault) */
  int64_t *off = fg_xmalloc(((size_t)npk + 1) * sizeof *off);
  for (int32_t k = 0; k < npk; k++) {
    off[k] = w;
    const int64_t grows = (k < npk_base ? boff[k + 1] - boff[k] : 0) + noff[k + 1] - noff[k];
    faulted = fg_mbx_prefault(out->data, (size_t)n * es, faulted, (size_t)(w + grows) * es);
    if (k < npk_base && boff[k + 1] > boff[k]) {
      const int64_t c = boff[k + 1] - boff[k];
      memcpy(out->data + (size_t)w * es, base + (size_t)boff[k] * es, (size_t)c * es);
      w += c;
      const size_t done = (size_t)boff[k + 1] * es;
      if (done - dropped >= FG_MBX_DROP_BYTES) {
        fg_mbx_drop(ba, base + dropped, done - dropped);
        dropped = done;
      }
    }
    if (noff[k + 1] > noff[k]) {
      const int64_t c = noff[k + 1] - noff[k];
      memcpy(out->data + (size_t)w * es, sorted + (size_t)noff[k] * es, (size_t)c * es);
      w += c;
      fg_mb_sort_person(t, out->data + (size_t)off[k] * es, w - off[k]); /* it gained rows */
    }
  }
  FG_ASSERT(w == n);
  off[npk] = n;
  *off_out = off; /* fg_mb_finish neither sorts nor counts this table again */
  free(sorted);
  free(noff);
}

/* Base's offsets of an unchanged "by pk" table for npk persons (the new
 * ones have no rows of it). */
static int64_t *fg_mbx_off_grown(const int64_t *boff, int32_t npk_base, int32_t npk) {
  FG_ASSERT(npk >= npk_base && npk_base >= 0);
  int64_t *off = fg_xmalloc(((size_t)npk + 1) * sizeof *off);
  memcpy(off, boff, ((size_t)npk_base + 1) * sizeof *off);
  for (int32_t k = npk_base + 1; k <= npk; k++) off[k] = boff[npk_base];
  return off;
}

/* Base's rows then the new ones, in a new array. */
static void fg_mbx_concat(fg_mb_vec *out, const char *base, int64_t nbase, const fg_mb_vec *nv,
                          size_t es) {
  const int64_t n = nbase + nv->n;
  out->data = fg_xmalloc_seq((size_t)n * es); /* written once in order: decision 84 */
  if (nbase) memcpy(out->data, base, (size_t)nbase * es);
  if (nv->n) memcpy(out->data + (size_t)nbase * es, nv->data, (size_t)nv->n * es);
  out->n = out->cap = n;
  out->external = false;
}

/* ---- unique ids ----------------------------------------------------------- */

/* Base's uid texts in one part (a model extended before has two): copied
 * into one heap block base owns. Not the path of a snapshot, which has one. */
static void fg_mbx_uid_flatten(fg_model *base) {
  if (base->uid_bytes[1] == 0) return;
  const uint64_t n0 = base->uid_bytes[0], n1 = base->uid_bytes[1];
  char *p = fg_xmalloc((size_t)(n0 + n1));
  memcpy(p, base->uid[0], (size_t)n0);
  memcpy(p + n0, base->uid[1], (size_t)n1);
  base->uid[0] = fg_mb_own(base->arena, p);
  base->uid_bytes[0] = n0 + n1;
  base->uid[1] = NULL;
  base->uid_bytes[1] = 0;
}

/* m was finished with nb's uid blob as its only part: make base's texts
 * part 0 and nb's (without its leading NUL) part 1, where the uids that
 * fg_mbx_table moved by base's size less one point. */
static void fg_mbx_uid_parts(fg_model *m, const fg_model *base) {
  FG_ASSERT(m->uid_bytes[1] == 0 && m->uid_bytes[0] >= 1 && base->uid_bytes[1] == 0);
  const char *nbu = m->uid[0];
  const uint64_t nbn = m->uid_bytes[0];
  m->uid[0] = base->uid[0];
  m->uid_bytes[0] = base->uid_bytes[0];
  m->uid[1] = nbu + 1;
  m->uid_bytes[1] = nbn - 1;
}

/* ---- the tables, on both cores -------------------------------------------- */

/* The tables are independent here (each reads base's rows and nb's, and
 * writes only its own b->rows[t] and its own pages of the mapping), so two
 * threads take them, largest first: the month's contributions and benefit
 * payments - most of the copying and of the kernel's zeroing of the new
 * arrays - are rebuilt side by side. The result does not depend on which
 * thread took which table. */
typedef struct fg_mbx_job {
  fg_model *base;
  fg_model_builder *nb, *b;
  const uint32_t *smap, *pmap;
  uint64_t ushift; /* nb's uids move this far: its texts follow base's */
  int32_t npid;
  int order[FG_T_COUNT]; /* the held tables, most rows first */
  int norder;
} fg_mbx_job;

static void fg_mbx_plan(fg_mbx_job *j) {
  int64_t size[FG_T_COUNT] = {0};
  j->norder = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    if (!fg_mb_holds((fg_table_id)t)) continue;
    int64_t nbase = 0;
    (void)fg_mb_model_rows(j->base, (fg_table_id)t, &nbase);
    size[t] = (nbase + j->nb->rows[t].n) * (int64_t)fg_mb_model_size((fg_table_id)t);
    int k = j->norder++;
    while (k > 0 && size[j->order[k - 1]] < size[t]) { /* insertion, stable */
      j->order[k] = j->order[k - 1];
      k--;
    }
    j->order[k] = t;
  }
}

/* Table t of the extended builder: nb's rows renumbered into the final ids,
 * then base's rows kept, merged by person or appended. */
static void fg_mbx_table(fg_mbx_job *j, fg_table_id t) {
  const fg_mb_desc *d = fg_mb_desc_of(t);
  fg_mb_vec *nv = &j->nb->rows[t];
  for (int64_t r = 0; r < nv->n; r++) {
    fg_mb_remap_row(d, nv->data + (size_t)r * d->elem_size, j->smap, j->pmap);
    if (d->nuid && j->ushift) fg_mb_shift_uids(d, nv->data + (size_t)r * d->elem_size, j->ushift);
  }
  int64_t nbase = 0;
  char *rows = (char *)fg_mb_model_rows(j->base, t, &nbase);
  const int64_t *boff = fg_mbx_base_off(j->base, t);
  fg_mb_vec *out = &j->b->rows[t];
  if (nv->n == 0) { /* unchanged: used where it lies, its offsets base's */
    *out = (fg_mb_vec){.data = rows, .n = nbase, .cap = nbase, .external = true};
    if (boff) j->b->pk_off[t] = fg_mbx_off_grown(boff, j->base->npk, j->npid);
  } else if (boff) {
    fg_mbx_merge_pk(out, &j->b->pk_off[t], t, j->base->arena, rows, nbase, boff, j->base->npk,
                    nv, j->npid);
  } else {
    FG_ASSERT(fg_mb_model_size(t) == d->elem_size); /* only "by pk" tables drop a pk */
    fg_mbx_concat(out, rows, nbase, nv, d->elem_size);
  }
  if (nv->n > 0) fg_mbx_drop(j->base->arena, rows, (size_t)nbase * fg_mb_model_size(t));
}

static void fg_mbx_run(void *arg, size_t i) {
  fg_mbx_job *j = arg;
  fg_mbx_table(j, (fg_table_id)j->order[i]);
}

fg_model *fg_mb_extend(fg_model *base, fg_model_builder *nb, fg_err *err) {
  FG_ASSERT(base && nb);
  fg_model_arena *ba = base->arena;
  /* a snapshot's mapping becomes copy-on-write: finishing rewrites links */
  if (ba->map && mprotect(ba->map, ba->map_bytes, PROT_READ | PROT_WRITE) != 0) {
    fg_mb_free(nb);
    fg_model_free(base); /* consumed, also on failure (build.h) */
    return fg_errf(err, FG_EIO, "无法映射模型快照为可写副本 (mprotect failed)"), NULL;
  }
  uint32_t nstr = 0, npid = 0;
  uint32_t *smap = fg_mbx_map_ids(base->str, base->nstr, &nb->str, &nstr);
  uint32_t *pmap = fg_mbx_map_ids(base->pk_id, (uint32_t)base->npk, &nb->pid, &npid);
  FG_ASSERT(smap[0] == 0); /* "" is sid 0 in both */
  fg_model_builder *b = fg_mb_new();
  fg_mb_pool_release(&b->str);
  fg_mbx_pool(&b->str, base->str, base->nstr, &nb->str, smap, nstr);
  fg_mbx_pool(&b->pid, base->pk_id, (uint32_t)base->npk, &nb->pid, pmap, npid);
  b->over = nb->over;
  b->row_over = nb->row_over;
  b->region_bad = nb->region_bad;
  for (int t = 0; t < FG_T_COUNT; t++) b->present[t] = base->present[t] || nb->present[t];
  fg_mbx_uid_flatten(base);
  FG_ASSERT(base->uid_bytes[0] >= 1);
  free(b->uid.data); /* nb's uid texts become b's, then m's part 1 */
  b->uid = nb->uid;
  memset(&nb->uid, 0, sizeof nb->uid);
  uint64_t ushift = base->uid_bytes[0] - 1;
  if (ushift + b->uid.n > FG_MB_UID_BYTES_MAX) b->uid.over = true;
  if (b->uid.over) ushift = 0; /* fg_mb_check refuses the model: uids moot */
  fg_mbx_job job = {.base = base, .nb = nb, .b = b, .smap = smap, .pmap = pmap,
                    .ushift = ushift, .npid = (int32_t)npid};
  fg_mbx_plan(&job);
  fg_run_pair_each(fg_mbx_run, &job, (size_t)job.norder); /* largest first */
  free(smap);
  free(pmap);
  fg_mb_free(nb);
  int rc = fg_mb_check(b, err);
  if (rc) {
    fg_mb_free(b); /* its pool holds base's string pointers, owns only nb's */
    fg_model_free(base);
    return NULL;
  }
  fg_model *m = fg_mb_finish(b);
  fg_mbx_uid_parts(m, base);
  fg_model_adopt(m, base); /* m keeps base's strings, uid texts and unchanged rows */
  return m;
}
