/*
 * build_finish.c — fg_mb_finish(): turn the builder's row vectors into the
 * sorted, indexed model of model.h.
 *
 * "By pk" tables are placed with a stable counting sort on pk (linear, and
 * it yields the <table>_off arrays directly); each person's group is then
 * sorted by the table's secondary order, rowid last, skipping the sort when
 * the group already is in order (the usual case: files come by period).
 * Items are counting-sorted the same way by their settlement's index.
 * Every order ends with the rowid, so the model is the same on every run.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "screen/build_impl.h"

typedef int (*fg_mb_cmp)(const void *a, const void *b, void *ctx);

#define FG_MB_CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

void *fg_mb_own(fg_model_arena *a, void *p) {
  if (a->nblocks == a->capblocks) {
    a->capblocks = a->capblocks ? 2 * a->capblocks : 64;
    a->blocks = fg_xrealloc(a->blocks, a->capblocks * sizeof *a->blocks);
  }
  a->blocks[a->nblocks++] = p;
  return p;
}

static int fg_mb_strcmp(const fg_mb_pool *p, fg_sid x, fg_sid y) {
  return x == y ? 0 : strcmp(p->str[x], p->str[y]);
}

static int fg_cmp_enrollment(const void *a, const void *b, void *ctx) {
  const fg_m_enrollment *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->start, y->start);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_contribution(const void *a, const void *b, void *ctx) {
  const fg_m_contribution *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(fg_mc_period(x), fg_mc_period(y));
  FG_MB_CMP(fg_mc_paid(x), fg_mc_paid(y));
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_payment(const void *a, const void *b, void *ctx) {
  const fg_m_payment *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(fg_mp_period(x), fg_mp_period(y));
  FG_MB_CMP(x->paid, y->paid);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_retirement(const void *a, const void *b, void *ctx) {
  const fg_m_retirement *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->approved_on, y->approved_on);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_settlement(const void *a, const void *b, void *ctx) {
  const fg_m_settlement *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->admit, y->admit);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_death(const void *a, const void *b, void *ctx) {
  const fg_m_death *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->death_date, y->death_date);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_incarceration(const void *a, const void *b, void *ctx) {
  const fg_m_incarceration *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->start, y->start);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_survival(const void *a, const void *b, void *ctx) {
  const fg_m_survival *x = a, *y = b;
  (void)ctx;
  FG_MB_CMP(x->certified_on, y->certified_on);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
/* The int64 an fg_fen32 of the builder holds (model.h fg_m_fen). */
static int64_t fg_mb_fen_of(const fg_mb_pool *p, fg_fen32 v) {
  if (!(v & FG_FEN32_BIG)) return (int64_t)v;
  const fg_sid sid = v & ~FG_FEN32_BIG;
  FG_ASSERT(sid > 0 && sid < p->n);
  return fg_mb_fen_text(p->str[sid]);
}

static int fg_cmp_item(const void *a, const void *b, void *ctx) {
  const fg_m_item *x = a, *y = b;
  int c = fg_mb_strcmp(ctx, x->settlement_id, y->settlement_id); /* orphans only */
  if (c) return c;
  if (x->line_f32 != y->line_f32) FG_MB_CMP(fg_mb_fen_of(ctx, x->line_f32), fg_mb_fen_of(ctx, y->line_f32));
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_catalog(const void *a, const void *b, void *ctx) {
  const fg_m_catalog *x = a, *y = b;
  int c = fg_mb_strcmp(ctx, x->item_code, y->item_code);
  if (c) return c;
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_institution(const void *a, const void *b, void *ctx) {
  const fg_m_institution *x = a, *y = b;
  int c = fg_mb_strcmp(ctx, x->institution_id, y->institution_id);
  if (c) return c;
  FG_MB_CMP(x->start, y->start);
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_account(const void *a, const void *b, void *ctx) {
  const fg_m_account *x = a, *y = b;
  int c = fg_mb_strcmp(ctx, x->account_no, y->account_no);
  if (c) return c;
  FG_MB_CMP(x->row, y->row);
  return 0;
}
static int fg_cmp_txn(const void *a, const void *b, void *ctx) {
  const fg_m_txn *x = a, *y = b;
  int64_t ax = x->account < 0 ? INT64_MAX : x->account;
  int64_t ay = y->account < 0 ? INT64_MAX : y->account;
  FG_MB_CMP(ax, ay);
  if (x->account < 0) {
    int c = fg_mb_strcmp(ctx, x->account_no, y->account_no);
    if (c) return c;
  }
  FG_MB_CMP(x->booked_on, y->booked_on);
  int c = fg_mb_strcmp(ctx, x->txn_id, y->txn_id);
  if (c) return c;
  FG_MB_CMP(x->row, y->row);
  return 0;
}

/* Sort [p, p + n) unless it already is in order. */
static void fg_mb_sort_group(char *p, int64_t n, size_t es, fg_mb_cmp cmp, void *ctx) {
  int64_t i = 1;
  while (i < n && cmp(p + (size_t)(i - 1) * es, p + (size_t)i * es, ctx) <= 0) i++;
  if (i < n) qsort_r(p, (size_t)n, es, cmp, ctx);
}

/* What a key function needs: how many keys there are, and where a "by pk"
 * table's builder row holds its pk (fg_mb_pk_at). */
typedef struct fg_mb_keys {
  int64_t n;
  size_t pk_at;
} fg_mb_keys;
typedef int64_t (*fg_mb_key_fn)(const char *row, const fg_mb_keys *keys);

/* True when the keys of v never decrease: the counting sort would not move
 * a row (the usual case for a table read in file order). */
static bool fg_mb_keys_in_order(const fg_mb_vec *v, size_t es, const fg_mb_keys *keys,
                                fg_mb_key_fn key) {
  int64_t prev = -1;
  for (int64_t r = 0; r < v->n; r++) {
    int64_t k = key(v->data + (size_t)r * es, keys);
    FG_ASSERT(k >= 0 && k < keys->n);
    if (k < prev) return false;
    prev = k;
  }
  return true;
}

/* Whether runs cover v's rows and there are few enough to merge. */
static bool fg_mb_runs_usable(const fg_mb_runs *runs, const fg_mb_vec *v) {
  return runs && !runs->broken && runs->n >= 2 && runs->n <= FG_MB_MERGE_RUNS_MAX &&
         runs->start[0] == 0 && runs->end == v->n && !v->external;
}

/* Merge the runs of v (each sorted by key, in row order) into a new block
 * in key order, stable (a tie goes to the earlier run), handing each run's
 * consumed pages back every FG_MB_RELEASE_ROWS rows (fg_mb_sort_run). Each
 * row of es bytes keeps its first os (the model's row, fg_mb_model_size). */
#define FG_MB_RELEASE_ROWS 8192
static void fg_mb_merge_runs(fg_mb_vec *v, size_t es, size_t os, const fg_mb_keys *keys,
                             fg_mb_key_fn key, const fg_mb_runs *runs) {
  const int k = runs->n;
  int64_t pos[FG_MB_MERGE_RUNS_MAX], end[FG_MB_MERGE_RUNS_MAX], head[FG_MB_MERGE_RUNS_MAX];
  size_t done[FG_MB_MERGE_RUNS_MAX];
  for (int j = 0; j < k; j++) {
    pos[j] = runs->start[j];
    end[j] = j + 1 < k ? runs->start[j + 1] : runs->end;
    FG_ASSERT(pos[j] <= end[j]);
    head[j] = pos[j] < end[j] ? key(v->data + (size_t)pos[j] * es, keys) : INT64_MAX;
    done[j] = (size_t)pos[j] * es;
  }
  char *out = fg_mb_alloc_rows((size_t)v->n * os);
  for (int64_t o = 0; o < v->n; o++) {
    int best = 0;
    for (int j = 1; j < k; j++)
      if (head[j] < head[best]) best = j;
    FG_ASSERT(head[best] != INT64_MAX);
    const char *row = v->data + (size_t)pos[best]++ * es;
    memcpy(out + (size_t)o * os, row, os);
    if (pos[best] < end[best]) {
      head[best] = key(row + es, keys);
      FG_ASSERT(head[best] >= key(row, keys)); /* the run is sorted */
    } else {
      head[best] = INT64_MAX;
    }
    if (pos[best] % FG_MB_RELEASE_ROWS == 0 || pos[best] == end[best])
      done[best] += fg_mb_hand_back(v->data + done[best], (size_t)pos[best] * es - done[best]);
  }
  free(v->data);
  v->data = out;
  v->cap = v->n;
}

/* Keep the first os bytes of each of v's rows of es bytes, in place (os <
 * es: a row only moves down), and hand the freed tail's pages back. */
static void fg_mb_compact(fg_mb_vec *v, size_t es, size_t os) {
  FG_ASSERT(os < es && !v->external);
  for (int64_t r = 1; r < v->n; r++)
    memmove(v->data + (size_t)r * os, v->data + (size_t)r * es, os);
  (void)fg_mb_hand_back(v->data + (size_t)v->n * os, (size_t)v->n * (es - os));
  v->cap = v->n;
}

/* Stable counting sort of v by key(row) in [0, keys->n), then each group by
 * cmp. Returns the keys->n + 1 offsets (heap). Skips the copy when the keys
 * already are in order (the result is the same: the sort is stable), and
 * merges runs (fg_mb_sort_run) instead when they cover v. The copy reads v
 * in order, so it hands v's pages back behind it (as the merge does): a
 * million-person city's medical items, 240 MB copied after the rest of the
 * model is built, were the cold screening's peak (issue 19, goal 3). An
 * in-place permutation saved 40 MB more but took 1.3 s against 0.6 s.
 * Rows of es bytes come out as rows of their first os bytes (the model's
 * row: contributions and benefit payments drop their pk, model.h); the
 * merge and the copy write them so, rows already in order move down. */
static int64_t *fg_mb_bucket_sort(fg_mb_vec *v, size_t es, size_t os, const fg_mb_keys *keys,
                                  fg_mb_key_fn key, fg_mb_cmp cmp, void *ctx,
                                  const fg_mb_runs *runs) {
  FG_ASSERT(os > 0 && os <= es);
  const int64_t nkeys = keys->n;
  const bool in_order = fg_mb_keys_in_order(v, es, keys, key);
  int64_t *off = fg_xcalloc((size_t)nkeys + 1, sizeof *off);
  for (int64_t r = 0; r < v->n; r++) off[key(v->data + (size_t)r * es, keys) + 1]++;
  for (int64_t k = 0; k < nkeys; k++) off[k + 1] += off[k];
  FG_ASSERT(off[nkeys] == v->n);
  if (!in_order && fg_mb_runs_usable(runs, v)) {
    fg_mb_merge_runs(v, es, os, keys, key, runs);
  } else if (!in_order) {
    char *out = v->n ? fg_mb_alloc_rows((size_t)v->n * os) : NULL;
    size_t done = 0; /* v's bytes [0, done) handed back */
    for (int64_t r = 0; r < v->n; r++) { /* off[k] walks from start(k) to end(k) */
      const char *row = v->data + (size_t)r * es;
      int64_t k = key(row, keys);
      memcpy(out + (size_t)off[k]++ * os, row, os);
      if (!v->external && (r + 1) % FG_MB_RELEASE_ROWS == 0) /* else base's mapping */
        done += fg_mb_hand_back(v->data + done, (size_t)(r + 1) * es - done);
    }
    for (int64_t k = nkeys; k > 0; k--) off[k] = off[k - 1];
    off[0] = 0;
    if (!v->external) free(v->data); /* else base's rows (build_extend.c): not ours */
    v->data = out;
    v->cap = v->n;
    v->external = false;
  } else if (os < es) {
    fg_mb_compact(v, es, os);
  }
  for (int64_t k = 0; k < nkeys; k++)
    if (off[k + 1] - off[k] > 1)
      fg_mb_sort_group(v->data + (size_t)off[k] * os, off[k + 1] - off[k], os, cmp, ctx);
  return off;
}

static int64_t fg_mb_key_pk(const char *row, const fg_mb_keys *keys) {
  fg_pk pk;
  memcpy(&pk, row + keys->pk_at, sizeof pk);
  return pk;
}

/* Items: their settlement's index; items of no settlement in the last bucket. */
static int64_t fg_mb_key_item(const char *row, const fg_mb_keys *keys) {
  const fg_m_item *it = (const fg_m_item *)row;
  return it->settlement >= 0 ? it->settlement : keys->n - 1;
}

typedef struct {
  fg_table_id t;
  fg_mb_cmp cmp;
} fg_mb_pk_sort;

static const fg_mb_pk_sort fg_mb_pk_sorts[] = {
    {FG_T_ENROLLMENTS, fg_cmp_enrollment},     {FG_T_CONTRIBUTIONS, fg_cmp_contribution},
    {FG_T_BENEFIT_PAYMENTS, fg_cmp_payment},   {FG_T_RETIREMENTS, fg_cmp_retirement},
    {FG_T_MEDICAL_SETTLEMENTS, fg_cmp_settlement}, {FG_T_DEATHS, fg_cmp_death},
    {FG_T_INCARCERATIONS, fg_cmp_incarceration}, {FG_T_SURVIVAL_CERTIFICATIONS, fg_cmp_survival},
};

void fg_mb_sort_run(fg_model_builder *b, fg_table_id t, int64_t from) {
  FG_ASSERT(b && t >= 0 && t < FG_T_COUNT);
  bool by_pk = false;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++) by_pk |= fg_mb_pk_sorts[i].t == t;
  fg_mb_vec *v = &b->rows[t];
  fg_mb_runs *runs = &b->runs[t];
  if (!by_pk || from >= v->n) return;
  if (from != (runs->n ? runs->end : 0)) runs->broken = true;
  const size_t es = fg_mb_desc_of(t)->elem_size;
  const fg_mb_keys keys = {.n = INT64_MAX, .pk_at = fg_mb_pk_at(t)};
  char *p = v->data + (size_t)from * es;
  const int64_t n = v->n - from;
  int64_t lo = INT64_MAX, hi = -1, prev = -1;
  bool ascending = true;
  for (int64_t r = 0; r < n; r++) {
    const int64_t k = fg_mb_key_pk(p + (size_t)r * es, &keys);
    FG_ASSERT(k >= 0);
    ascending &= k >= prev;
    prev = k;
    lo = FG_MIN(lo, k);
    hi = FG_MAX(hi, k);
  }
  if (!ascending) { /* stable counting sort over [lo, hi] through a copy of the run */
    int64_t *off = fg_xcalloc((size_t)(hi - lo) + 2, sizeof *off);
    for (int64_t r = 0; r < n; r++) off[fg_mb_key_pk(p + (size_t)r * es, &keys) - lo + 1]++;
    for (int64_t k = 0; k <= hi - lo; k++) off[k + 1] += off[k];
    char *tmp = fg_xmalloc((size_t)n * es);
    for (int64_t r = 0; r < n; r++)
      memcpy(tmp + (size_t)off[fg_mb_key_pk(p + (size_t)r * es, &keys) - lo]++ * es,
             p + (size_t)r * es, es);
    memcpy(p, tmp, (size_t)n * es);
    free(tmp);
    free(off);
  }
  if (runs->n == runs->cap) {
    runs->cap = runs->cap ? 2 * runs->cap : 16;
    runs->start = fg_xrealloc(runs->start, (size_t)runs->cap * sizeof *runs->start);
  }
  runs->start[runs->n++] = from;
  runs->end = v->n;
}

void fg_mb_settle(fg_model_builder *b, fg_table_id t) {
  FG_ASSERT(b && t >= 0 && t < FG_T_COUNT && b->pk_off[t] == NULL);
  const size_t es = fg_mb_desc_of(t)->elem_size, os = fg_mb_model_size(t);
  if (os == es) return;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++) {
    if (fg_mb_pk_sorts[i].t != t) continue;
    const int64_t npk = (int64_t)b->pid.n;
    const fg_mb_keys keys = {.n = npk, .pk_at = fg_mb_pk_at(t)};
    b->pk_off[t] = fg_mb_bucket_sort(&b->rows[t], es, os, &keys, fg_mb_key_pk,
                                     fg_mb_pk_sorts[i].cmp, NULL, &b->runs[t]);
    b->pk_off_npk[t] = npk;
    b->settled[t] = true;
    return;
  }
  FG_ASSERT(!"a table that drops its pk is a by-pk table");
}

void fg_mb_presort(fg_model_builder *b) {
  FG_ASSERT(b);
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++) {
    fg_mb_vec *v = &b->rows[fg_mb_pk_sorts[i].t];
    const size_t es = fg_mb_desc_of(fg_mb_pk_sorts[i].t)->elem_size;
    const fg_mb_keys keys = {.n = INT64_MAX, .pk_at = fg_mb_pk_at(fg_mb_pk_sorts[i].t)};
    int64_t start = 0;
    for (int64_t r = 1; r <= v->n; r++) {
      if (r < v->n && fg_mb_key_pk(v->data + (size_t)r * es, &keys) ==
                          fg_mb_key_pk(v->data + (size_t)start * es, &keys))
        continue;
      if (r - start > 1)
        fg_mb_sort_group(v->data + (size_t)start * es, r - start, es, fg_mb_pk_sorts[i].cmp, NULL);
      start = r;
    }
  }
}

void fg_mb_sort_person(fg_table_id t, char *rows, int64_t n) {
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++)
    if (fg_mb_pk_sorts[i].t == t) {
      const size_t os = fg_mb_model_size(t);
      if (n > 1) fg_mb_sort_group(rows, n, os, fg_mb_pk_sorts[i].cmp, NULL);
      return;
    }
  FG_ASSERT(!"not a by-pk table");
}

typedef struct fg_mb_sort_job {
  fg_model_builder *b;
  int64_t npk;
  bool mine[FG_ARRAY_LEN(fg_mb_pk_sorts)]; /* the tables this job sorts */
  int64_t *offs[FG_ARRAY_LEN(fg_mb_pk_sorts)];
} fg_mb_sort_job;

static void *fg_mb_sort_job_run(void *arg) {
  fg_mb_sort_job *j = arg;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++) {
    if (!j->mine[i]) continue;
    fg_table_id t = fg_mb_pk_sorts[i].t;
    const fg_mb_keys keys = {.n = j->npk, .pk_at = fg_mb_pk_at(t)};
    j->offs[i] = fg_mb_bucket_sort(&j->b->rows[t], fg_mb_desc_of(t)->elem_size,
                                   fg_mb_model_size(t), &keys, fg_mb_key_pk,
                                   fg_mb_pk_sorts[i].cmp, NULL, &j->b->runs[t]);
  }
  return NULL;
}

/* Sort the "by pk" tables on two threads (tables are independent, nothing
 * else runs meanwhile): the second takes the largest table whose rows must
 * move (out of pk order), or else the largest. */
static void fg_mb_sort_pk_tables(fg_model_builder *b, int64_t npk, int64_t **offs) {
  enum { NT = FG_ARRAY_LEN(fg_mb_pk_sorts) };
  fg_mb_sort_job job[2];
  memset(job, 0, sizeof job);
  int big = -1;
  bool big_moves = false;
  for (int i = 0; i < NT; i++) {
    if (b->pk_off[fg_mb_pk_sorts[i].t]) continue; /* in order already: an extension's */
    const fg_table_id t = fg_mb_pk_sorts[i].t;
    const fg_mb_vec *v = &b->rows[t];
    const fg_mb_keys keys = {.n = npk, .pk_at = fg_mb_pk_at(t)};
    bool moves = !fg_mb_keys_in_order(v, fg_mb_desc_of(t)->elem_size, &keys, fg_mb_key_pk);
    if (big < 0 || (moves && !big_moves) ||
        (moves == big_moves && v->n > b->rows[fg_mb_pk_sorts[big].t].n)) {
      big = i;
      big_moves = moves;
    }
  }
  for (int i = 0; i < NT; i++)
    if (!b->pk_off[fg_mb_pk_sorts[i].t]) job[i == big ? 1 : 0].mine[i] = true;
  for (int k = 0; k < 2; k++) {
    job[k].b = b;
    job[k].npk = npk;
  }
  fg_run_pair(fg_mb_sort_job_run, &job[0], &job[1]);
  for (int i = 0; i < NT; i++) {
    const fg_table_id t = fg_mb_pk_sorts[i].t;
    const int64_t settled = b->pk_off_npk[t];
    FG_ASSERT(!b->settled[t] || (b->pk_off[t] != NULL && settled >= 0 && settled <= npk));
    if (b->settled[t] && settled < npk) { /* persons came after fg_mb_settle */
      b->pk_off[t] = fg_xrealloc(b->pk_off[t], ((size_t)npk + 1) * sizeof *b->pk_off[t]);
      for (int64_t k = settled + 1; k <= npk; k++) b->pk_off[t][k] = b->pk_off[t][settled];
    }
    int64_t **given = &b->pk_off[fg_mb_pk_sorts[i].t];
    offs[i] = *given ? *given : job[0].mine[i] ? job[0].offs[i] : job[1].offs[i];
    if (*given) FG_ASSERT((*given)[npk] == b->rows[fg_mb_pk_sorts[i].t].n);
    *given = NULL; /* moved into the model */
  }
}

static void fg_mb_person_arrays(fg_model *m, fg_model_builder *b, fg_model_arena *a) {
  m->npk = (int32_t)b->pid.n;
  m->pk_id = b->pid.str;
  m->pk_person = fg_mb_own(a, fg_xmalloc(((size_t)m->npk + 1) * sizeof *m->pk_person));
  m->pk_death = fg_mb_own(a, fg_xmalloc(((size_t)m->npk + 1) * sizeof *m->pk_death));
  for (int32_t pk = 0; pk < m->npk; pk++) {
    m->pk_person[pk] = -1;
    m->pk_death[pk] = FG_NODAY;
  }
  const fg_mb_vec *pv = &b->rows[FG_T_PERSONS];
  const fg_m_person *persons = (const fg_m_person *)pv->data;
  for (int64_t i = 0; i < pv->n; i++) /* persons is keyed: the first row wins */
    if (persons[i].pk >= 0 && m->pk_person[persons[i].pk] < 0)
      m->pk_person[persons[i].pk] = (int32_t)i;
  const fg_mb_vec *dv = &b->rows[FG_T_DEATHS];
  const fg_m_death *deaths = (const fg_m_death *)dv->data;
  for (int64_t i = 0; i < dv->n; i++) {
    fg_day d = deaths[i].death_date, *cur = &m->pk_death[deaths[i].pk];
    if (d != FG_NODAY && (*cur == FG_NODAY || d < *cur)) *cur = d;
  }
}

/* Link items to settlements (first settlement of an id, in settlement order)
 * and to the catalogue (fg_mb_group_items then groups them). */
static void fg_mb_link_items(fg_model_builder *b, int32_t *map) {
  fg_mb_vec *sv = &b->rows[FG_T_MEDICAL_SETTLEMENTS], *iv = &b->rows[FG_T_MEDICAL_ITEMS];
  fg_mb_vec *cv = &b->rows[FG_T_CATALOG];
  fg_m_settlement *sett = (fg_m_settlement *)sv->data;
  fg_m_catalog *cat = (fg_m_catalog *)cv->data;
  FG_ASSERT(iv->n < INT32_MAX && sv->n < INT32_MAX); /* fg_mb_check refused larger */
  for (int64_t i = sv->n - 1; i >= 0; i--) map[sett[i].settlement_id] = (int32_t)i;
  for (int64_t i = 0; i < iv->n; i++) {
    fg_m_item *it = (fg_m_item *)iv->data + i;
    it->settlement = map[it->settlement_id];
  }
  for (int64_t i = 0; i < sv->n; i++) map[sett[i].settlement_id] = -1;
  for (int64_t i = cv->n - 1; i >= 0; i--) map[cat[i].item_code] = (int32_t)i;
  for (int64_t i = 0; i < iv->n; i++) {
    fg_m_item *it = (fg_m_item *)iv->data + i;
    it->catalog = map[it->item_code];
  }
  for (int64_t i = 0; i < cv->n; i++) map[cat[i].item_code] = -1;
}

/* Group the linked items by settlement; fill items_first/items_count. */
static int64_t *fg_mb_group_items(fg_model_builder *b) {
  fg_mb_vec *sv = &b->rows[FG_T_MEDICAL_SETTLEMENTS], *iv = &b->rows[FG_T_MEDICAL_ITEMS];
  fg_m_settlement *sett = (fg_m_settlement *)sv->data;
  const fg_mb_keys keys = {.n = sv->n + 1, .pk_at = 0};
  int64_t *off = fg_mb_bucket_sort(iv, sizeof(fg_m_item), sizeof(fg_m_item), &keys,
                                   fg_mb_key_item, fg_cmp_item, &b->str, NULL);
  for (int64_t i = 0; i < sv->n; i++) {
    sett[i].items_first = (int32_t)off[i];
    sett[i].items_count = (int32_t)(off[i + 1] - off[i]);
  }
  return off;
}

static void fg_mb_link_txns(fg_model_builder *b, int32_t *map) {
  fg_mb_vec *av = &b->rows[FG_T_FUND_ACCOUNTS], *tv = &b->rows[FG_T_FUND_TRANSACTIONS];
  fg_m_account *acc = (fg_m_account *)av->data;
  for (int64_t i = av->n - 1; i >= 0; i--) map[acc[i].account_no] = (int32_t)i;
  map[0] = -1; /* an empty counterparty is no account */
  for (int64_t i = 0; i < tv->n; i++) {
    fg_m_txn *t = (fg_m_txn *)tv->data + i;
    t->account = map[t->account_no];
    t->cp_fund_account = map[t->cp_account];
  }
  for (int64_t i = 0; i < av->n; i++) map[acc[i].account_no] = -1;
  if (tv->n > 1) qsort_r(tv->data, (size_t)tv->n, sizeof(fg_m_txn), fg_cmp_txn, &b->str);
}

static void fg_mb_sort_keyed(fg_model_builder *b) {
  fg_mb_vec *v = &b->rows[FG_T_CATALOG];
  if (v->n > 1) qsort_r(v->data, (size_t)v->n, sizeof(fg_m_catalog), fg_cmp_catalog, &b->str);
  v = &b->rows[FG_T_INSTITUTIONS];
  if (v->n > 1)
    qsort_r(v->data, (size_t)v->n, sizeof(fg_m_institution), fg_cmp_institution, &b->str);
  v = &b->rows[FG_T_FUND_ACCOUNTS];
  if (v->n > 1) qsort_r(v->data, (size_t)v->n, sizeof(fg_m_account), fg_cmp_account, &b->str);
}

#define FG_MB_TAKE(t, cnt, arr)                                            \
  do {                                                                     \
    m->cnt = b->rows[t].n;                                                 \
    m->arr = b->rows[t].external ? (void *)b->rows[t].data                 \
                                 : fg_mb_own(a, b->rows[t].data);          \
    b->rows[t].data = NULL;                                                \
  } while (0);

static void fg_mb_take_all(fg_model *m, fg_model_builder *b, fg_model_arena *a) {
  FG_MB_TABLE_ARRAYS(FG_MB_TAKE)
}

const void *fg_mb_model_rows(const fg_model *m, fg_table_id t, int64_t *n) {
  switch (t) {
#define FG_MB_ROWS(tab, cnt, arr) \
  case tab:                       \
    *n = m->cnt;                  \
    return m->arr;
    FG_MB_TABLE_ARRAYS(FG_MB_ROWS)
#undef FG_MB_ROWS
  default:
    *n = 0;
    return NULL;
  }
}

int64_t fg_model_rows_total(const fg_model *m) {
  FG_ASSERT(m);
  int64_t total = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    int64_t n = 0;
    (void)fg_mb_model_rows(m, (fg_table_id)t, &n);
    total += n;
  }
  return total;
}

fg_model *fg_mb_finish(fg_model_builder *b) {
  FG_ASSERT(b);
  fg_model *m = fg_xcalloc(1, sizeof *m);
  fg_model_arena *a = fg_xcalloc(1, sizeof *a);
  m->arena = a;
  fg_mb_pool_drop_slots(&b->str);
  fg_mb_pool_drop_slots(&b->pid);
  memcpy(m->present, b->present, sizeof m->present);
  fg_mb_person_arrays(m, b, a);
  int64_t *offs[FG_ARRAY_LEN(fg_mb_pk_sorts)];
  fg_mb_sort_pk_tables(b, m->npk, offs);
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_mb_pk_sorts); i++) fg_mb_own(a, offs[i]);
  m->enrollments_off = offs[0];
  m->contributions_off = offs[1];
  m->payments_off = offs[2];
  m->retirements_off = offs[3];
  m->settlements_off = offs[4];
  m->deaths_off = offs[5];
  m->incarcerations_off = offs[6];
  m->survivals_off = offs[7];
  fg_mb_sort_keyed(b);
  int32_t *map = fg_xmalloc(((size_t)b->str.n + 1) * sizeof *map);
  for (uint32_t i = 0; i < b->str.n; i++) map[i] = -1;
  fg_mb_link_items(b, map);
  fg_mb_link_txns(b, map);
  /* the map (4 bytes per string: 96 MB at a million persons) goes before
   * the items' sort takes its copy (240 MB): they were the peak together */
  free(map);
  free(fg_mb_group_items(b));
  fg_mb_take_all(m, b, a);
  FG_ASSERT(b->uid.n >= 1 && b->uid.data[0] == '\0' && b->uid.data[b->uid.n - 1] == '\0');
  m->uid[0] = fg_mb_own(a, fg_xrealloc(b->uid.data, (size_t)b->uid.n)); /* cap back to size */
  m->uid_bytes[0] = b->uid.n;
  b->uid.data = NULL;
  m->nstr = b->str.n;
  m->str = b->str.str;
  a->str = b->str; /* the pools move into the arena */
  a->pid = b->pid;
  memset(&b->str, 0, sizeof b->str);
  memset(&b->pid, 0, sizeof b->pid);
  fg_mb_free(b);
  return m;
}

void fg_model_adopt(fg_model *m, fg_model *base) {
  FG_ASSERT(m && base && m != base);
  fg_model_arena *a = m->arena, *ba = base->arena;
  for (size_t i = 0; i < ba->nblocks; i++) fg_mb_own(a, ba->blocks[i]);
  ba->nblocks = 0;
  fg_mb_pool *pools[2] = {&ba->str, &ba->pid};
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < pools[k]->nblocks; i++) fg_mb_own(a, pools[k]->blocks[i]);
    pools[k]->nblocks = 0;
  }
  FG_ASSERT(a->map == NULL);
  a->map = ba->map;
  a->map_bytes = ba->map_bytes;
  ba->map = NULL;
  fg_model_free(base);
}

void fg_model_free(fg_model *m) {
  if (!m) return;
  fg_model_arena *a = m->arena;
  for (size_t i = 0; i < a->nblocks; i++) free(a->blocks[i]);
  free(a->blocks);
  fg_mb_pool_release(&a->str);
  fg_mb_pool_release(&a->pid);
  if (a->map) munmap(a->map, a->map_bytes);
  free(a);
  free(m);
}
