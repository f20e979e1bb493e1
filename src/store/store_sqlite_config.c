/*
 * store_sqlite_config.c — SQLite storage of the config area (see
 * store_impl.h and the "configuration" section of store.h).
 *
 * One table, config_versions: every stored configuration text (the
 * canonical form of config/config.h) with its SHA-256, append-only like the
 * authz tables. A row is either `official` (the newest official row is the
 * configuration in force: init stores the defaults, an applied proposal
 * appends a new official row) or `proposed` (the text of a pending proposal,
 * naming it). The hash is computed here from the text, and checked again on
 * every read, so a row edited behind the platform's back is refused.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

#define FG_CONFIG_TEXT_BYTES_MAX FG_TEXT_FILE_BYTES_MAX /* the config file limit */

const char *const fg_sqlite_ddl_config =
    "CREATE TABLE config_versions (id INTEGER PRIMARY KEY,"
    " created_at INTEGER NOT NULL, text TEXT NOT NULL,"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
    " status TEXT NOT NULL CHECK (status IN ('official','proposed')),"
    " proposal_id INTEGER, jseq INTEGER);\n"
    "CREATE INDEX config_versions_status ON config_versions(status, id);\n";


static void fg_config_sha256_hex(const char *text, size_t n, char out[65]) {
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, (const unsigned char *)text, n);
  fg_hex(digest, sizeof digest, out);
}

int fg_store_config_put(fg_store *s, const char *text, bool official, int64_t proposal_id,
                        int64_t created_s, int64_t jseq, int64_t *id_out, fg_err *err) {
  FG_ASSERT(s != NULL && s->db != NULL && text != NULL);
  size_t n = strlen(text);
  if (n > FG_CONFIG_TEXT_BYTES_MAX)
    return fg_errf(err, FG_ELIMIT, "配置文本过大（%zu 字节）", n);
  char hex[65];
  fg_config_sha256_hex(text, n, hex);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db,
                         "INSERT INTO config_versions (created_at, text, sha256, status,"
                         " proposal_id, jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                         -1, &st, NULL) != SQLITE_OK) {
    sqlite3_finalize(st);
    return fg_sqlite_err(s, err, "config_versions insert");
  }
  sqlite3_bind_int64(st, 1, created_s);
  sqlite3_bind_text(st, 2, text, (int)n, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, hex, 64, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, official ? "official" : "proposed", -1, SQLITE_STATIC);
  if (proposal_id > 0) sqlite3_bind_int64(st, 5, proposal_id);
  else sqlite3_bind_null(st, 5);
  if (jseq >= 0) sqlite3_bind_int64(st, 6, jseq);
  else sqlite3_bind_null(st, 6);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return fg_sqlite_err(s, err, "config_versions insert");
  if (id_out) *id_out = sqlite3_last_insert_rowid(s->db);
  return 0;
}

/* Read the row st stands on (columns id, text, sha256), verifying the hash. */
static int fg_config_read_row(fg_store *s, sqlite3_stmt *st, char **text, char sha256_hex[65],
                              int64_t *id_out, fg_err *err) {
  int64_t id = sqlite3_column_int64(st, 0);
  const char *t = (const char *)sqlite3_column_text(st, 1);
  int n = sqlite3_column_bytes(st, 1);
  const char *stored = (const char *)sqlite3_column_text(st, 2);
  FG_ASSERT(t != NULL && n >= 0);
  char hex[65];
  fg_config_sha256_hex(t, (size_t)n, hex);
  if (stored == NULL || strcmp(stored, hex) != 0)
    return fg_errf(err, FG_EVERIFY,
                   "%s: config_versions 第 %lld 行的 SHA-256 与其文本不符：配置可能被篡改",
                   s->path ? s->path : "store", (long long)id);
  *text = fg_xstrndup(t, (size_t)n);
  if (sha256_hex) memcpy(sha256_hex, hex, 65);
  if (id_out) *id_out = id;
  return 0;
}

static int fg_config_select_one(fg_store *s, const char *sql, int64_t arg, char **text,
                                char sha256_hex[65], int64_t *id_out, bool *found,
                                fg_err *err) {
  FG_ASSERT(s != NULL && s->db != NULL && text != NULL && found != NULL);
  *found = false;
  *text = NULL;
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    sqlite3_finalize(st);
    return fg_sqlite_err(s, err, "config_versions select");
  }
  if (arg >= 0) sqlite3_bind_int64(st, 1, arg);
  int rc = sqlite3_step(st);
  int out = 0;
  if (rc == SQLITE_ROW) {
    out = fg_config_read_row(s, st, text, sha256_hex, id_out, err);
    *found = out == 0;
  } else if (rc != SQLITE_DONE) {
    out = fg_sqlite_err(s, err, "config_versions select");
  }
  sqlite3_finalize(st);
  return out;
}

int fg_store_config_get_official(fg_store *s, char **text, char sha256_hex[65], int64_t *id_out,
                                 bool *found, fg_err *err) {
  return fg_config_select_one(s,
                              "SELECT id, text, sha256 FROM config_versions"
                              " WHERE status = 'official' ORDER BY id DESC LIMIT 1",
                              -1, text, sha256_hex, id_out, found, err);
}

int fg_store_config_get(fg_store *s, int64_t id, char **text, char sha256_hex[65], bool *found,
                        fg_err *err) {
  FG_ASSERT(id >= 0);
  return fg_config_select_one(s, "SELECT id, text, sha256 FROM config_versions WHERE id = ?1",
                              id, text, sha256_hex, NULL, found, err);
}
