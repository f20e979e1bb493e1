/*
 * build_impl.h — private to the model builder (build.c, build_tables.c,
 * build_finish.c, load.c): the builder's string pools, its per-table row
 * vectors, the per-table descriptors (struct size, converter, where the
 * interned ids sit in each struct) and the arena that owns a finished model.
 * Converters read a TEXT value as exactly n bytes of s (the loader's values
 * are not NUL-terminated).
 */
#ifndef FG_SCREEN_BUILD_IMPL_H
#define FG_SCREEN_BUILD_IMPL_H

#include <stdio.h>

#include "screen/build.h"

#define FG_MB_STR_BLOCK_BYTES ((size_t)4 << 20) /* string storage block */
#define FG_MB_STRINGS_MAX 0x7ffffff0u           /* distinct ids per pool */
#define FG_MB_PERSON_ID_MAX 64                  /* stack buffer for upper-casing */
#define FG_MB_SID_FIELDS_MAX 8
#define FG_MB_PK_FIELDS_MAX 2
#define FG_MB_MONEY_FIELDS_MAX 4 /* fg_fen32 fields of a struct (model.h) */
#define FG_MB_UID_FIELDS_MAX 1   /* fg_uid fields of a struct (model.h) */
/* Most bytes of a model's uid blob: an fg_uid is a 32-bit offset. About
 * 400 M payment ids of 10 characters; beyond, fg_mb_check refuses. */
#define FG_MB_UID_BYTES_MAX ((uint64_t)UINT32_MAX)
#define FG_MB_SCHEME_DIGITS 4    /* scheme codes are 3 digits */
#define FG_MB_MIN_SLOTS 2048     /* smallest hash table of a pool */
#define FG_MB_LOAD_NUM 3         /* a pool's table grows past load NUM/DEN */
#define FG_MB_LOAD_DEN 4
#define FG_MB_PREFETCH_AHEAD 8   /* merging pools: prefetch this many ids ahead */
/* Row arrays from this size on are 2 MiB aligned and asked to be backed by
 * transparent huge pages: filling GBs of fresh 4 KiB pages spends more
 * time in page faults than in copying (a VM's faults are dear). */
#define FG_MB_HUGE_BYTES ((size_t)2 << 20)

/* Every table the model holds, with its count and array fields in
 * fg_model: X(table, count, array). One list for taking a builder's rows
 * into a model and for reading a model's rows back (build_finish.c). */
#define FG_MB_TABLE_ARRAYS(X)                                   \
  X(FG_T_PERSONS, npersons, persons)                            \
  X(FG_T_EMPLOYERS, nemployers, employers)                      \
  X(FG_T_ENROLLMENTS, nenrollments, enrollments)                \
  X(FG_T_CONTRIBUTIONS, ncontributions, contributions)          \
  X(FG_T_BENEFIT_PAYMENTS, npayments, payments)                 \
  X(FG_T_RETIREMENTS, nretirements, retirements)                \
  X(FG_T_INSTITUTIONS, ninstitutions, institutions)             \
  X(FG_T_CATALOG, ncatalog, catalog)                            \
  X(FG_T_MEDICAL_SETTLEMENTS, nsettlements, settlements)        \
  X(FG_T_MEDICAL_ITEMS, nitems, items)                          \
  X(FG_T_DEATHS, ndeaths, deaths)                               \
  X(FG_T_INCARCERATIONS, nincarcerations, incarcerations)       \
  X(FG_T_SURVIVAL_CERTIFICATIONS, nsurvivals, survivals)        \
  X(FG_T_FUND_ACCOUNTS, naccounts, accounts)                    \
  X(FG_T_FUND_TRANSACTIONS, ntxns, txns)                        \
  X(FG_T_STAFF, nstaff, staff)                                  \
  X(FG_T_OPERATIONS, noperations, operations)                   \
  X(FG_T_WAGE_BASES, nwage_bases, wage_bases)

/* Interned strings: id -> text, open-addressing hash with linear probing.
 * A slot holds (32-bit hash << 32) | (id + 1), 0 = empty, so a probe reads
 * the text only when the hashes agree. */
typedef struct fg_mb_pool {
  char **blocks;
  size_t nblocks, capblocks;
  size_t block_used_bytes, block_cap_bytes;
  const char **str;
  uint32_t n, cap;
  uint64_t *slots;
  uint64_t nslots;
  bool over; /* FG_MB_STRINGS_MAX reached: later ids were not kept (fg_mb_check) */
} fg_mb_pool;

/* The uid blob a builder writes (model.h fg_m_uid): each text's entry,
 * front-coded, appended in the order rows arrive; byte 0 is a NUL (uid 0 =
 * ""). */
typedef struct fg_mb_blob {
  char *data;
  uint64_t n, cap;
  bool over; /* FG_MB_UID_BYTES_MAX reached: later texts were not kept (fg_mb_check) */
} fg_mb_blob;

typedef struct fg_mb_vec {
  char *data;
  int64_t n, cap;
  bool external; /* data is a window into another builder's rows (fg_mb_rows_window) */
} fg_mb_vec;

/* The runs a "by pk" table's rows came in (fg_mb_sort_run): run i is
 * [start[i], start[i + 1]), the last one ends at end; each sorted by pk. */
typedef struct fg_mb_runs {
  int64_t *start;
  int n, cap;
  int64_t end;
  bool broken; /* rows came in some other way: finish sorts as it always did */
} fg_mb_runs;

/* Most runs finishing merges (a linear scan of the run heads per row); a
 * table in more chunks is copied through the counting sort. */
#define FG_MB_MERGE_RUNS_MAX 64

typedef struct fg_mb_col_cache {
  fg_sid sid; /* 0 = nothing cached */
  size_t n;
} fg_mb_col_cache;

struct fg_model_builder {
  fg_mb_pool str; /* sid pool; id 0 = "" */
  fg_mb_pool pid; /* person ids, upper-cased; id = pk */
  fg_mb_blob uid; /* texts of the unique ids not interned (model.h) */
  /* the uid blob's front coding (model.h FG_UID_HEAD): the offset of the
   * head entry deltas refer to (0 = none yet) and the text written last */
  uint64_t uid_head;
  size_t uid_prev_n; /* SIZE_MAX: none (or longer than FG_UID_DELTA_TEXT_MAX) */
  char uid_prev[FG_UID_DELTA_TEXT_MAX];
  bool present[FG_T_COUNT];
  fg_mb_vec rows[FG_T_COUNT];
  /* the last person id fg_mb_pk interned (raw text) and its pk */
  size_t last_pk_len; /* SIZE_MAX = none */
  char last_pk_text[FG_MB_PERSON_ID_MAX];
  fg_pk last_pk;
  /* the row fg_mb_add is converting, and each column's last sid */
  fg_table_id cur_t;
  const fg_value *cur_vals;
  fg_mb_col_cache col_cache[FG_MAX_COLS];
  fg_mb_runs runs[FG_T_COUNT];
  /* a "by pk" table already in its final order and its model rows
   * (fg_mb_model_size), with its npk + 1 offsets (heap, moved into the
   * model): set by an extension (build_extend.c), which knows both;
   * fg_mb_finish then neither sorts nor counts it */
  int64_t *pk_off[FG_T_COUNT];
  /* pk_off[t] was made by fg_mb_settle (settled[t]) and counts the persons
   * known then (pk_off_npk[t], 0 or more); an extension's counts every
   * person. Later persons have no rows of t: fg_mb_finish extends the
   * offsets with empty groups. */
  bool settled[FG_T_COUNT];
  int64_t pk_off_npk[FG_T_COUNT];
  bool defer; /* unique columns are appended unchecked (fg_mb_defer) */
  bool over;  /* a row did not fit its window: the model is incomplete (fg_mb_check) */
  bool row_over; /* a rowid outside [1, FG_ROW32_MAX] came in (fg_mb_check refuses) */
  bool region_bad; /* a contribution's region not 6 digits came in (fg_mb_check refuses) */
};

typedef void (*fg_mb_conv_fn)(fg_model_builder *b, void *row, const fg_value *v);

/* A builder's row of a table whose model rows hold no pk (model.h: the two
 * largest): the model's row, then the pk it is grouped by. Finishing keeps
 * the first model_size bytes of each row, in pk order (build_finish.c); a
 * month's merge does the same for the new rows (build_extend.c). */
typedef struct { fg_m_contribution m; fg_pk pk; } fg_mb_contribution;
typedef struct { fg_m_payment m; fg_pk pk; } fg_mb_payment;

typedef struct fg_mb_desc {
  size_t elem_size;
  fg_mb_conv_fn conv;
  int nsid;
  size_t sid_off[FG_MB_SID_FIELDS_MAX];
  int npk;
  size_t pk_off[FG_MB_PK_FIELDS_MAX];
  /* fg_fen32 fields: an escaped one holds a sid, renumbered with the sids */
  int nmoney;
  size_t money_off[FG_MB_MONEY_FIELDS_MAX];
  /* fg_uid fields: offsets into the builder's uid blob, moved with it */
  int nuid;
  size_t uid_off[FG_MB_UID_FIELDS_MAX];
  /* a model row's bytes when less than elem_size (fg_mb_contribution): the
   * builder's row then ends with the pk; 0 = elem_size */
  size_t model_size;
} fg_mb_desc;

/* What a finished model owns besides its struct. */
typedef struct fg_model_arena {
  fg_mb_pool str, pid;
  void **blocks;
  size_t nblocks, capblocks;
  void *map;        /* a snapshot model's read-only mapping (snapshot.c), or NULL */
  size_t map_bytes;
} fg_model_arena;

const fg_mb_desc *fg_mb_desc_of(fg_table_id t);
/* Bytes of one of table t's rows in a finished model (d->model_size or
 * d->elem_size). */
size_t fg_mb_model_size(fg_table_id t);
/* Where a "by pk" table's builder row holds the pk it is grouped by. */
size_t fg_mb_pk_at(fg_table_id t);
/* Whether the model holds table t's rows: tables no rule reads (agencies,
 * for case work) have no descriptor and are not loaded. */
bool fg_mb_holds(fg_table_id t);
/* Bit i set when column i of t is an interned id unique per row (settlement_id, ...). */
uint32_t fg_mb_unique_cols(fg_table_id t);
/* Bit i set when t's converter reads column i. */
uint32_t fg_mb_cols_of(fg_table_id t);
fg_sid fg_mb_sid(fg_model_builder *b, const fg_value *v);
/* The sid of the n bytes at s in b's string pool (added when new). */
fg_sid fg_mb_intern(fg_model_builder *b, const char *s, size_t n);
fg_pk fg_mb_pk(fg_model_builder *b, const fg_value *v);
void fg_mb_pool_release(fg_mb_pool *p);
/* Free p's hash table, keeping its strings: no id can be added or found by
 * text afterwards. fg_mb_finish does it first (a million-person city's
 * table is 512 MiB, live while the finish sorts the payments). */
void fg_mb_pool_drop_slots(fg_mb_pool *p);
/* Hand back (MADV_DONTNEED) the whole pages inside [p, p + n): rows that
 * were copied out and are never read again (a page shared with bytes
 * outside is kept). Returns the bytes from p to the end of the last page
 * handed back, 0 when none was. */
size_t fg_mb_hand_back(const void *p, size_t n);
/* Give arena a the heap block p (freed with its model); returns p. */
void *fg_mb_own(fg_model_arena *a, void *p);
/* Move what base owns (its arrays, its strings' bytes, its mapping) into
 * m's arena, then free base's model: m points into them (build_extend.c). */
void fg_model_adopt(fg_model *m, fg_model *base);
/* Room for bytes of rows (free() it): huge-page backed when large. */
void *fg_mb_alloc_rows(size_t bytes);
/* The id of s in p, or -1 (never adds; safe from several threads at once). */
int64_t fg_mb_pool_find(fg_mb_pool *p, const char *s, size_t n);
/* Rewrite the sid (or pk, -1 kept) at field through map. */
void fg_mb_remap_u32(char *field, const uint32_t *map, bool is_pk);
/* Rewrite the sid of the fg_fen32 at field through map when it holds one. */
void fg_mb_remap_fen32(char *field, const uint32_t *map);
/* Renumber every id of one row of table d through the string map smap and
 * the person map pmap (build.c; used by absorbing and extending). */
void fg_mb_remap_row(const fg_mb_desc *d, char *row, const uint32_t *smap, const uint32_t *pmap);
/* Move every non-empty fg_uid of one row of table d by shift bytes: its
 * blob was appended at shift - 1 in another (its leading NUL dropped). */
void fg_mb_shift_uids(const fg_mb_desc *d, char *row, uint64_t shift);
/* The uid of the n bytes at s, appended to b's blob (0 when n is 0). */
fg_uid fg_mb_uid(fg_model_builder *b, const fg_value *v);

/* A model's rows of table t and their count (NULL, 0: none). */
const void *fg_mb_model_rows(const fg_model *m, fg_table_id t, int64_t *n);
/* Sort n model rows (fg_mb_model_size) of one person of "by pk" table t by
 * the table's order (the comparison fg_mb_finish sorts each person's rows
 * with). */
void fg_mb_sort_person(fg_table_id t, char *rows, int64_t n);
/* Sort each run of consecutive rows with the same pk of every "by pk" table
 * by that table's order, in place. The loader runs it on each chunk (in
 * parallel), so that fg_mb_finish mostly finds the groups in order. */
void fg_mb_presort(fg_model_builder *b);
/* Rows [from, n) of table t just came in as one run (the loader's chunk,
 * merged): when t is a "by pk" table, sort them by pk (stable) and note
 * the run. fg_mb_finish then merges the runs of a table whose pks do not
 * ascend, in pk order, into a new block, handing each run's pages back as
 * it consumes them: the table is not held twice over (at a million
 * persons the benefit payments' copy, 1 GB on top of the whole model, was
 * the screening's peak). The result is the stable counting sort's. */
void fg_mb_sort_run(fg_model_builder *b, fg_table_id t, int64_t from);
/* The int64 written in decimal as an escaped fg_fen32's text (model.h:
 * an optional '-' and digits, as fg_mb_fen32 wrote it; anything else is a
 * broken invariant). */
int64_t fg_mb_fen_text(const char *s);
/* Every row of "by pk" table t is in (the loader merged its last chunk):
 * when its model rows drop the pk (contributions, benefit payments), sort
 * it now as fg_mb_finish would, into model rows and offsets for the
 * persons known so far (pk_off, pk_off_npk), while the loader goes on
 * reading the other tables. Each table's builder rows (4 bytes of pk a row
 * more than the model's) then give way to its model rows before the next
 * table's are read, instead of all of them being held at the load's end,
 * the cold screening's peak (issue 19, goal 3). Other tables: nothing. */
void fg_mb_settle(fg_model_builder *b, fg_table_id t);

#endif
