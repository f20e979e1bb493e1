/*
 * load.c — fg_model_load(): read every standard table of a store into a
 * model, on both cores.
 *
 * The tables are split between two read-only connections by row count
 * (largest first, each to the lighter side; ties by table order), so the
 * split is the same for the same data. Each side feeds its own builder; the
 * second builder is then merged into the first (fg_mb_absorb) and the model
 * finished. Builders share nothing, so the readers never lock, and the ids
 * of the model never depend on which thread ran faster.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build_impl.h"

#define FG_LOAD_SIDES 2

typedef struct fg_load_side {
  const char *path;
  fg_store *store; /* opened by the side's thread (or given) */
  fg_model_builder *b;
  bool tables[FG_T_COUNT];
  fg_table_id cur;
  int rc;
  fg_err err;
} fg_load_side;

static int fg_load_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_load_side *side = ud;
  fg_mb_add(side->b, side->cur, rowid, vals);
  return 0;
}

static void *fg_load_side_run(void *arg) {
  fg_load_side *side = arg;
  if (!side->store) {
    side->rc = fg_store_open(side->path, true, &side->store, &side->err);
    if (side->rc) return NULL;
  }
  for (int t = 0; t < FG_T_COUNT && side->rc == 0; t++) {
    if (!side->tables[t]) continue;
    side->cur = (fg_table_id)t;
    if (fg_store_table_present(side->store, side->cur)) fg_mb_present(side->b, side->cur);
    side->rc = fg_store_scan(side->store, side->cur, fg_load_row, side, &side->err);
  }
  return NULL;
}

/* Assign tables to sides, heaviest first, each to the lighter side. */
static void fg_load_split(fg_store *s, fg_load_side *sides) {
  int64_t count[FG_T_COUNT], load[FG_LOAD_SIDES] = {0};
  bool done[FG_T_COUNT] = {false};
  for (int t = 0; t < FG_T_COUNT; t++) count[t] = fg_store_count(s, (fg_table_id)t);
  for (int k = 0; k < FG_T_COUNT; k++) {
    int best = -1;
    for (int t = 0; t < FG_T_COUNT; t++)
      if (!done[t] && (best < 0 || count[t] > count[best])) best = t;
    assert(best >= 0);
    done[best] = true;
    int side = load[1] < load[0] ? 1 : 0;
    sides[side].tables[best] = true;
    load[side] += count[best] > 0 ? count[best] : 0;
  }
}

int fg_model_load(const char *store_path, fg_model **out, fg_err *err) {
  assert(store_path && out);
  fg_load_side sides[FG_LOAD_SIDES];
  memset(sides, 0, sizeof sides);
  int rc = fg_store_open(store_path, true, &sides[0].store, err);
  if (rc) return rc;
  for (int i = 0; i < FG_LOAD_SIDES; i++) {
    sides[i].path = store_path;
    sides[i].b = fg_mb_new();
  }
  fg_load_split(sides[0].store, sides);
  pthread_t th;
  bool threaded = pthread_create(&th, NULL, fg_load_side_run, &sides[1]) == 0;
  fg_load_side_run(&sides[0]);
  if (threaded)
    pthread_join(th, NULL);
  else
    fg_load_side_run(&sides[1]); /* no thread to be had: read the other half here */
  for (int i = 0; i < FG_LOAD_SIDES; i++) fg_store_close(sides[i].store);
  for (int i = 0; i < FG_LOAD_SIDES && rc == 0; i++)
    if (sides[i].rc) {
      rc = sides[i].rc;
      if (err) *err = sides[i].err;
    }
  if (rc) {
    for (int i = 0; i < FG_LOAD_SIDES; i++) fg_mb_free(sides[i].b);
    return rc;
  }
  fg_mb_absorb(sides[0].b, sides[1].b);
  *out = fg_mb_finish(sides[0].b);
  return 0;
}
