/*
 * build_impl.h — private to the model builder (build.c, build_tables.c,
 * build_finish.c, load.c): the builder's string pools, its per-table row
 * vectors, the per-table descriptors (struct size, converter, where the
 * interned ids sit in each struct) and the arena that owns a finished model.
 */
#ifndef FG_SCREEN_BUILD_IMPL_H
#define FG_SCREEN_BUILD_IMPL_H

#include <stdio.h>

#include "screen/build.h"

#define FG_MB_STR_BLOCK_BYTES ((size_t)4 << 20) /* string storage block */
#define FG_MB_MAX_STRINGS 0x7ffffff0u           /* distinct ids per pool */
#define FG_MB_PERSON_ID_MAX 64                  /* stack buffer for upper-casing */
#define FG_MB_MAX_SID_FIELDS 8
#define FG_MB_MAX_PK_FIELDS 2

/* Interned strings: id -> text, open-addressing hash (slot = id + 1). */
typedef struct fg_mb_pool {
  char **blocks;
  size_t nblocks, capblocks;
  size_t block_used_bytes, block_cap_bytes;
  const char **str;
  uint32_t *hash;
  uint32_t n, cap;
  uint32_t *slots;
  uint64_t nslots;
} fg_mb_pool;

typedef struct fg_mb_vec {
  char *data;
  int64_t n, cap;
} fg_mb_vec;

struct fg_model_builder {
  fg_mb_pool str; /* sid pool; id 0 = "" */
  fg_mb_pool pid; /* person ids, upper-cased; id = pk */
  bool present[FG_T_COUNT];
  fg_mb_vec rows[FG_T_COUNT];
};

typedef void (*fg_mb_conv_fn)(fg_model_builder *b, void *row, const fg_value *v);

typedef struct fg_mb_desc {
  size_t elem_size;
  fg_mb_conv_fn conv;
  int nsid;
  size_t sid_off[FG_MB_MAX_SID_FIELDS];
  int npk;
  size_t pk_off[FG_MB_MAX_PK_FIELDS];
} fg_mb_desc;

/* What a finished model owns besides its struct. */
typedef struct fg_model_arena {
  fg_mb_pool str, pid;
  void **blocks;
  size_t nblocks, capblocks;
} fg_model_arena;

const fg_mb_desc *fg_mb_desc_of(fg_table_id t);
fg_sid fg_mb_sid(fg_model_builder *b, const fg_value *v);
fg_pk fg_mb_pk(fg_model_builder *b, const fg_value *v);
void fg_mb_pool_free(fg_mb_pool *p);

#endif
