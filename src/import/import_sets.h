/*
 * import_sets.h — private to src/import: canonical key bytes and the
 * choice of reference set (see import_sets.c).
 */
#ifndef FG_IMPORT_IMPORT_SETS_H
#define FG_IMPORT_IMPORT_SETS_H

#include "common/fg.h"
#include "schema/schema.h"
#include "store/store.h"

/* Append one key column's value to the key bytes in b. */
void fg_imp_key_add(fg_buf *b, const fg_column *col, const fg_value *v);
/* (v1.3) The digest of a keyless table's row into out: BLAKE2b-128 over
 * every column's value as judged (type-tagged and length-prefixed, so no
 * two different rows encode alike); scratch is reused. 128 bits of a
 * cryptographic hash: equal digests are taken as equal rows (a collision
 * is beyond reach, even for a sender who crafts rows), so no stored row is
 * read back per resent row. */
void fg_imp_row_digest(const fg_table *t, const fg_value *vals, fg_buf *scratch,
                       uint8_t out[FG_DIGEST_BYTES]);
/* True when references to t name its whole (single-column) key, so the key
 * set doubles as the reference set. */
bool fg_imp_refs_are_keys(fg_table_id t);

/* Tags of a key of this batch: line and whether the row was rejected. */
static inline int64_t fg_imp_tag_batch(int64_t line, bool rejected) {
  return -(line * 2 + (rejected ? 1 : 0));
}
static inline bool fg_imp_tag_in_batch(int64_t tag) { return tag < 0; }
static inline bool fg_imp_tag_rejected(int64_t tag) { return tag < 0 && ((-tag) & 1) != 0; }
static inline int64_t fg_imp_tag_line(int64_t tag) { return (-tag) / 2; }

#endif
