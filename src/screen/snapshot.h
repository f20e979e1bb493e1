/*
 * snapshot.h — a verified on-disk copy of a loaded model (model.h), so that
 * screening the same data again skips the SQLite load.
 *
 * The file `<db>.model` beside the store is a derived cache: the header
 * (magic "FGMODEL1", format version, struct sizes, the store key below,
 * counts), then every array of the model contiguously, each 8-byte
 * aligned: the string pool and the person ids as blobs of NUL-terminated
 * strings, then pk_person, pk_death and each table with its offsets.
 * Its digest (since version 3 a SHA-256 hash list: SHA-256 over the
 * SHA-256 of each 64 MiB piece, so both cores verify it) is recorded in
 * the signed "screen.run" journal entry ("snapshot_sha256"), and a
 * snapshot is used only when its header names the store's current batches
 * and rowid bounds and its digest equals the one of the most recent entry
 * that recorded one. docs/screening.md.
 *
 * A snapshot model maps the file read-only (MAP_PRIVATE, PROT_READ): the
 * arrays point into the mapping; fg_model_free unmaps it. The pools' hash
 * tables are not stored (no finished model keeps them; the rules never look
 * ids up by text), so fg_model_find_pk / _sid scan, as for a loaded model.
 */
#ifndef FG_SCREEN_SNAPSHOT_H
#define FG_SCREEN_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/fg.h"
#include "schema/schema.h"
#include "screen/model.h"
#include "store/store.h"

#define FG_SNAPSHOT_MAGIC "FGMODEL1"
/* 2: retirements gained original_years, contribution_months;
 * 3: contributions' fields reordered (48-byte rows); the digest is a hash
 *    list of 64 MiB pieces;
 * 4: contributions' and benefit payments' money as fg_fen32 (40-byte rows);
 * 5: payment_id out of the string pool, in the uid blob (fg_uid);
 * 6: every row's rowid in 4 bytes (fg_row32: 36-byte contributions and
 *    benefit payments);
 * 7: contributions and benefit payments without their pk (32-byte rows);
 * 8: their small fields packed, payments without region (24-byte rows);
 * 9: medical items' numbers as fg_fen32, without their amount (40 bytes);
 * 10: the uid blob front-coded (model.h FG_UID_HEAD) */
#define FG_SNAPSHOT_VERSION 10
#define FG_SNAPSHOT_SUFFIX ".model"
#define FG_SNAPSHOT_BYTES_MAX ((uint64_t)64 << 30) /* refuse larger files */
#define FG_SNAPSHOT_PATH_MAX 4096
/* Journal payload key of the snapshot's hex SHA-256 (screen.run). */
#define FG_SNAPSHOT_JSON_KEY "snapshot_sha256"
/* Set to "0" to neither read nor write snapshots. */
#define FG_SNAPSHOT_ENV "FUNDGUARD_SNAPSHOT"

/* What the store looked like when the model was loaded. The standard tables
 * are append-only (triggers refuse UPDATE and DELETE), so the batches and
 * each table's rowid bounds identify their contents (no count(*) scan). */
typedef struct fg_snapshot_key {
  int64_t max_batch, nbatches;
  int64_t lo[FG_T_COUNT], hi[FG_T_COUNT]; /* rowid bounds (lo > hi: none) */
} fg_snapshot_key;

/* Read the key of the store now (cheap: no table scan). */
int fg_snapshot_key_read(fg_store *s, fg_snapshot_key *k, fg_err *err);
/* The snapshot digest of the most recent screen.run entry that has one. */
int fg_snapshot_recorded(fg_store *s, char hex[65], bool *found, fg_err *err);
/* "<db_path>.model" into out; false when it does not fit. */
bool fg_snapshot_path(const char *db_path, char out[FG_SNAPSHOT_PATH_MAX]);

/* The snapshot digest of n bytes (the hash list above), pieces hashed on
 * both cores; n is at most FG_SNAPSHOT_BYTES_MAX (asserted). */
void fg_snapshot_digest(const void *data, size_t n, uint8_t out[32]);

/* Write m with key k to path (created, must not exist; mode 0600; not
 * fsync'd: a cache checked by its signed digest at every use);
 * sets hex to the file's digest (the hash list above). Removes the file on
 * failure. */
int fg_snapshot_write(const fg_model *m, const fg_snapshot_key *k, const char *path,
                      char hex[65], fg_err *err);
/* fg_snapshot_write, choosing whether to try direct I/O (O_DIRECT; the
 * default) or to write through the page cache, as the writer does where
 * direct I/O is refused. The same bytes either way (test_snapshot). */
int fg_snapshot_write_via(const fg_model *m, const fg_snapshot_key *k, const char *path,
                          bool try_direct, char hex[65], fg_err *err);
/* Map the snapshot at path as a model when its header matches k and its
 * digest is expect_hex; FG_EVERIFY (naming why) when not, FG_EIO when it
 * cannot be read. *out is fg_model_free'd as any model. */
int fg_snapshot_open(const char *path, const fg_snapshot_key *k, const char *expect_hex,
                     fg_model **out, fg_err *err);
/* The same for a snapshot of any key (the store may have grown since):
 * *got receives the key it was written with. */
int fg_snapshot_open_any(const char *path, const char *expect_hex, fg_snapshot_key *got,
                         fg_model **out, fg_err *err);
/* The key in the header of the snapshot at path, unverified (false when
 * it has no header of this format): a hint for work that starts before
 * fg_snapshot_open_any has checked the digest, and whose result is used
 * only if the verified key is the same. */
bool fg_snapshot_peek_key(const char *path, fg_snapshot_key *got);
/* Whether the store keyed now only grew since old: no batch and no row
 * gone (every table's first rowid the same, its last one not lower), and
 * batches only added. Then [from[t], to[t]] are the rowids of t that are
 * new (from > to: none). */
bool fg_snapshot_key_grown(const fg_snapshot_key *old, const fg_snapshot_key *now,
                           int64_t from[FG_T_COUNT], int64_t to[FG_T_COUNT]);

#endif
