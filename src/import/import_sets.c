/*
 * import_sets.c — loading the importer's in-memory key and reference sets
 * (import_keyset.h) from the store, and the canonical key bytes shared by
 * stored rows and rows being read: the key columns' values (INTEGER ones
 * in decimal) joined by 0x1F.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "import/import_impl.h"
#include "journal/rowhash.h"
#include "import/import_keyset.h"
#include "import/import_sets.h"

enum { FG_IMP_KEY_SEP = 0x1f, FG_IMP_INT_TEXT_MAX = 24 };

void fg_imp_key_add(fg_buf *b, const fg_column *col, const fg_value *v) {
  FG_ASSERT(b != NULL && col != NULL && v != NULL && !v->is_null);
  if (b->len > 0) fg_buf_addc(b, FG_IMP_KEY_SEP);
  if (fg_schema_is_int(col->type)) {
    char tmp[FG_IMP_INT_TEXT_MAX];
    const int n = snprintf(tmp, sizeof tmp, "%" PRId64, v->i);
    fg_buf_add(b, tmp, (size_t)n);
  } else {
    fg_buf_add(b, v->s, (size_t)v->n);
  }
}

typedef struct fg_imp_load_ctx {
  const fg_table *t;
  const int *cols;
  int ncols;
  fg_keyset *set;
  fg_buf key;
  const fg_imp_filter *filter; /* NULL: every stored key */
} fg_imp_load_ctx;

static int fg_imp_load_row(void *ud, int64_t rowid, const fg_value *vals) {
  fg_imp_load_ctx *lc = ud;
  FG_ASSERT(rowid > 0);
  fg_buf_reset(&lc->key);
  for (int i = 0; i < lc->ncols; i++) {
    if (vals[i].is_null) return 0; /* a key column is required: only a hand-edited store */
    fg_imp_key_add(&lc->key, &lc->t->cols[lc->cols[i]], &vals[i]);
  }
  const char *key = lc->key.buf ? lc->key.buf : "";
  if (lc->filter && !fg_imp_filter_has(lc->filter, key, lc->key.len)) return 0; /* not looked up */
  bool added = false;
  fg_keyset_put(lc->set, key, lc->key.len, rowid, &added);
  return 0;
}

/* Without a filter every stored row's key goes into set: size it once from
 * the table's rowid span (growing by doubling would rehash, reading every
 * key back from the arena, about twice). With a filter only a few do. */
static int fg_imp_load_reserve(fg_imp *im, fg_table_id t, fg_keyset *set, fg_err *err) {
  if (im->tabs[t].filter != NULL) return 0;
  int64_t lo = 0, hi = 0;
  const int rc = fg_store_rowid_bounds(im->s, t, &lo, &hi, err);
  if (rc == 0 && hi >= lo && lo > 0) fg_keyset_reserve(set, (size_t)(hi - lo + 1));
  return rc;
}

int fg_imp_load_cols_into(fg_imp *im, fg_table_id t, const int *cols, int ncols, fg_keyset *set,
                          fg_err *err) {
  const int rrc = fg_imp_load_reserve(im, t, set, err);
  if (rrc != 0) return rrc;
  fg_imp_load_ctx lc = {fg_schema_table(t), cols, ncols, set, FG_BUF_INIT, im->tabs[t].filter};
  const int rc = fg_store_scan_cols(im->s, t, cols, ncols, fg_imp_load_row, &lc, err);
  fg_buf_release(&lc.key);
  return rc;
}

bool fg_imp_refs_are_keys(fg_table_id t) {
  const fg_table *tab = fg_schema_table(t);
  return tab->nkey == 1 && tab->key_cols[0] == 0;
}

void fg_imp_row_digest(const fg_table *t, const fg_value *vals, fg_buf *scratch,
                       uint8_t out[FG_DIGEST_BYTES]) {
  FG_ASSERT_HOT(t != NULL && vals != NULL && scratch != NULL);
  fg_buf_reset(scratch);
  /* added columns' trailing NULLs are left out, so a resend of a row stored
   * before the column existed is still recognised (fg_journal_row_cols) */
  const int used = fg_journal_row_cols(t, vals);
  for (int c = 0; c < used; c++) {
    const fg_value *v = &vals[c];
    if (v->is_null) {
      fg_buf_addc(scratch, 'N');
    } else if (fg_schema_is_int(t->cols[c].type)) {
      fg_buf_addc(scratch, 'I');
      fg_buf_add(scratch, &v->i, sizeof v->i);
    } else {
      const uint32_t n = (uint32_t)v->n;
      fg_buf_addc(scratch, 'T');
      fg_buf_add(scratch, &n, sizeof n);
      fg_buf_add(scratch, v->s, (size_t)v->n);
    }
  }
  crypto_generichash(out, FG_DIGEST_BYTES, (const uint8_t *)scratch->buf, scratch->len, NULL, 0);
}

typedef struct fg_imp_digest_ctx {
  fg_keyset *set;
  const fg_imp_filter *filter; /* NULL: every stored digest */
} fg_imp_digest_ctx;

static int fg_imp_digest_row(void *ud, int64_t rowid, const void *digest) {
  fg_imp_digest_ctx *dc = ud;
  if (dc->filter && !fg_imp_filter_has(dc->filter, digest, FG_DIGEST_BYTES)) return 0;
  bool added = false;
  fg_keyset_put(dc->set, digest, FG_DIGEST_BYTES, rowid, &added);
  return 0;
}

int fg_imp_load_digests_into(fg_imp *im, fg_table_id t, fg_keyset *set, fg_err *err) {
  FG_ASSERT(fg_schema_keyless(fg_schema_table(t)));
  fg_imp_digest_ctx dc = {set, im->tabs[t].filter};
  const int rc = fg_imp_load_reserve(im, t, set, err);
  return rc != 0 ? rc : fg_store_scan_digests(im->s, t, fg_imp_digest_row, &dc, err);
}
