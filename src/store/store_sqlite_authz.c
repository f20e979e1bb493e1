/*
 * store_sqlite_authz.c — SQLite storage of the authz area (see store_impl.h
 * and the "users, roles, proposals" section of store.h): users, their
 * credentials (password hash, encrypted Ed25519 secret key), role grants and
 * revokes, two-person-review proposals and their steps.
 *
 * Every table here is append-only. Triggers refuse UPDATE and DELETE, so a
 * change of state is always a new row and each row names the journal entry
 * (jseq) that covers it; `log verify` can account for every row. The current
 * state is derived: the newest credential row, the newest role event per
 * (user, role), the set of steps of a proposal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

const char *const fg_sqlite_ddl_authz =
    "CREATE TABLE users (name TEXT PRIMARY KEY, display_name TEXT NOT NULL,"
    " public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
    " created INTEGER NOT NULL, jseq INTEGER NOT NULL,"
    " agency TEXT NOT NULL DEFAULT '');\n" /* cases.md: '' = the supervision office */
    "CREATE TABLE user_credentials (id INTEGER PRIMARY KEY,"
    " user TEXT NOT NULL REFERENCES users(name), password_hash TEXT NOT NULL,"
    " key_salt BLOB NOT NULL CHECK (length(key_salt) = 16),"
    " key_nonce BLOB NOT NULL CHECK (length(key_nonce) = 24),"
    " secret_key_box BLOB NOT NULL CHECK (length(secret_key_box) = 80),"
    " opslimit INTEGER NOT NULL, memlimit INTEGER NOT NULL,"
    " password_set_at INTEGER NOT NULL, must_change INTEGER NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE INDEX user_credentials_user ON user_credentials(user, id);\n"
    "CREATE TABLE role_events (id INTEGER PRIMARY KEY,"
    " user TEXT NOT NULL REFERENCES users(name), role TEXT NOT NULL,"
    " op TEXT NOT NULL CHECK (op IN ('grant','revoke')), proposal_id INTEGER NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE INDEX role_events_user ON role_events(user, role, id);\n"
    "CREATE TABLE proposals (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    " payload TEXT NOT NULL, proposer TEXT NOT NULL REFERENCES users(name),"
    " created INTEGER NOT NULL, expires INTEGER NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE TABLE proposal_events (id INTEGER PRIMARY KEY,"
    " proposal_id INTEGER NOT NULL REFERENCES proposals(id),"
    " step TEXT NOT NULL CHECK (step IN ('review','approve','refuse','apply')),"
    " actor TEXT NOT NULL, at INTEGER NOT NULL, jseq INTEGER NOT NULL,"
    " UNIQUE (proposal_id, step));\n";

/* Prepare sql; on failure format err and return FG_EDB. */
static int fg_authz_prep(fg_store *s, const char *sql, sqlite3_stmt **st, fg_err *err) {
  return fg_sqlite_prep(s, sql, st, "authz prepare", err);
}

/* Step a write statement to completion and finalize it. */
static int fg_authz_done(fg_store *s, sqlite3_stmt *st, const char *what, fg_err *err) {
  FG_ASSERT(st != NULL);
  int rc = sqlite3_step(st);
  int out = 0;
  if (rc == SQLITE_CONSTRAINT)
    out = fg_errf(err, FG_EINPUT, "%s: %s", what, sqlite3_errmsg(s->db));
  else if (rc != SQLITE_DONE)
    out = fg_sqlite_err(s, err, what);
  sqlite3_finalize(st);
  return out;
}

static void fg_authz_copy_text(sqlite3_stmt *st, int col, char *out, size_t out_size) {
  FG_ASSERT(out != NULL && out_size > 0);
  const unsigned char *t = sqlite3_column_text(st, col);
  snprintf(out, out_size, "%s", t ? (const char *)t : "");
}

static void fg_authz_copy_blob(sqlite3_stmt *st, int col, uint8_t *out, size_t n) {
  const void *b = sqlite3_column_blob(st, col);
  FG_ASSERT((size_t)sqlite3_column_bytes(st, col) == n && b != NULL);
  memcpy(out, b, n);
}

int fg_store_user_add(fg_store *s, const fg_store_user *u, int64_t jseq, fg_err *err) {
  FG_ASSERT(u != NULL && u->name[0] != '\0' && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s, "INSERT INTO users VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, u->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, u->display_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, u->public_key, sizeof u->public_key, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, u->created_s);
  sqlite3_bind_int64(st, 5, jseq);
  sqlite3_bind_text(st, 6, u->agency, -1, SQLITE_TRANSIENT);
  return fg_authz_done(s, st, "用户已存在或无法保存", err);
}

static void fg_authz_read_user(sqlite3_stmt *st, fg_store_user *u) {
  memset(u, 0, sizeof *u);
  fg_authz_copy_text(st, 0, u->name, sizeof u->name);
  fg_authz_copy_text(st, 1, u->display_name, sizeof u->display_name);
  fg_authz_copy_blob(st, 2, u->public_key, sizeof u->public_key);
  u->created_s = sqlite3_column_int64(st, 3);
  fg_authz_copy_text(st, 4, u->agency, sizeof u->agency);
}

int fg_store_user_get(fg_store *s, const char *name, fg_store_user *u, bool *found,
                      fg_err *err) {
  FG_ASSERT(name != NULL && u != NULL && found != NULL);
  *found = false;
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(
      s, "SELECT name, display_name, public_key, created, agency FROM users WHERE name = ?1", &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    fg_authz_read_user(st, u);
    *found = true;
  } else if (step != SQLITE_DONE) {
    rc = fg_sqlite_err(s, err, "读取用户");
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_user_each(fg_store *s, fg_store_user_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(
      s, "SELECT name, display_name, public_key, created, agency FROM users ORDER BY name", &st, err);
  if (rc) return rc;
  int step;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_user u;
    fg_authz_read_user(st, &u);
    rc = fn(ud, &u);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "列出用户");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_cred_add(fg_store *s, const char *user, const fg_store_cred *c, int64_t jseq,
                      fg_err *err) {
  FG_ASSERT(user != NULL && c != NULL && c->password_hash[0] != '\0' && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "INSERT INTO user_credentials (user, password_hash, key_salt,"
                         " key_nonce, secret_key_box, opslimit, memlimit, password_set_at,"
                         " must_change, jseq, chain_sha256)"
                         " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, c->password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, c->key_salt, sizeof c->key_salt, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 4, c->key_nonce, sizeof c->key_nonce, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 5, c->sk_box, sizeof c->sk_box, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, c->opslimit);
  sqlite3_bind_int64(st, 7, c->memlimit_bytes);
  sqlite3_bind_int64(st, 8, c->password_set_s);
  sqlite3_bind_int(st, 9, c->must_change ? 1 : 0);
  sqlite3_bind_int64(st, 10, jseq);
  sqlite3_bind_text(st, 11, c->chain_sha256_hex, -1, SQLITE_TRANSIENT);
  return fg_authz_done(s, st, "无法保存用户凭据", err);
}

int fg_store_cred_replace(fg_store *s, const char *user, const fg_store_cred *c, int64_t jseq,
                          fg_err *err) {
  FG_ASSERT(user != NULL && c != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s, "DELETE FROM user_credentials WHERE user = ?1", &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  rc = fg_authz_done(s, st, "无法销毁旧凭据", err);
  return rc ? rc : fg_store_cred_add(s, user, c, jseq, err);
}

int fg_store_user_key_add(fg_store *s, const char *user, const uint8_t pk[32], int64_t from_seq,
                          int64_t jseq, fg_err *err) {
  FG_ASSERT(user != NULL && pk != NULL && from_seq >= 0 && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(
      s, "INSERT INTO user_keys (user, public_key, from_seq, jseq) VALUES (?1, ?2, ?3, ?4)", &st,
      err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 2, pk, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, from_seq);
  sqlite3_bind_int64(st, 4, jseq);
  return fg_authz_done(s, st, "无法登记用户公钥", err);
}

int fg_store_user_key_at(fg_store *s, const char *user, int64_t seq, uint8_t pk[32], bool *found,
                         fg_err *err) {
  FG_ASSERT(user != NULL && pk != NULL && found != NULL);
  *found = false;
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT public_key FROM user_keys WHERE user = ?1 AND from_seq <= ?2"
                         " AND length(public_key) = 32 ORDER BY from_seq DESC, id DESC LIMIT 1",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, seq);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    fg_authz_copy_blob(st, 0, pk, 32);
    *found = true;
  } else if (step != SQLITE_DONE) {
    rc = fg_sqlite_err(s, err, "读取用户公钥");
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_user_keys_each(fg_store *s, fg_store_user_key_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT user, public_key, from_seq FROM user_keys"
                         " WHERE length(public_key) = 32 ORDER BY user, from_seq, id",
                         &st, err);
  if (rc) return rc;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *u = sqlite3_column_text(st, 0);
    const void *pk = sqlite3_column_blob(st, 1);
    if (u == NULL || pk == NULL) continue;
    rc = fn(ud, (const char *)u, pk, sqlite3_column_int64(st, 2));
    if (rc) break;
  }
  if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW) rc = fg_sqlite_err(s, err, "列出用户公钥");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_cred_get(fg_store *s, const char *user, fg_store_cred *c, bool *found,
                      fg_err *err) {
  FG_ASSERT(user != NULL && c != NULL && found != NULL);
  *found = false;
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT password_hash, key_salt, key_nonce, secret_key_box, opslimit,"
                         " memlimit, password_set_at, must_change, chain_sha256"
                         " FROM user_credentials"
                         " WHERE user = ?1 ORDER BY id DESC LIMIT 1",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    memset(c, 0, sizeof *c);
    fg_authz_copy_text(st, 0, c->password_hash, sizeof c->password_hash);
    fg_authz_copy_blob(st, 1, c->key_salt, sizeof c->key_salt);
    fg_authz_copy_blob(st, 2, c->key_nonce, sizeof c->key_nonce);
    fg_authz_copy_blob(st, 3, c->sk_box, sizeof c->sk_box);
    c->opslimit = sqlite3_column_int64(st, 4);
    c->memlimit_bytes = sqlite3_column_int64(st, 5);
    c->password_set_s = sqlite3_column_int64(st, 6);
    c->must_change = sqlite3_column_int(st, 7) != 0;
    fg_authz_copy_text(st, 8, c->chain_sha256_hex, sizeof c->chain_sha256_hex);
    *found = true;
  } else if (step != SQLITE_DONE) {
    rc = fg_sqlite_err(s, err, "读取用户凭据");
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_role_event(fg_store *s, const char *user, const char *role, bool grant,
                        int64_t proposal_id, int64_t jseq, fg_err *err) {
  FG_ASSERT(user != NULL && role != NULL && role[0] != '\0' && proposal_id >= 0 && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "INSERT INTO role_events (user, role, op, proposal_id, jseq)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, grant ? "grant" : "revoke", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, proposal_id);
  sqlite3_bind_int64(st, 5, jseq);
  return fg_authz_done(s, st, "无法保存角色变更", err);
}

int fg_store_user_roles(fg_store *s, const char *user, char *out, size_t out_size,
                        fg_err *err) {
  FG_ASSERT(user != NULL && out != NULL && out_size > 0);
  out[0] = '\0';
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT e.role FROM role_events e WHERE e.user = ?1 AND e.op = 'grant'"
                         " AND e.id = (SELECT max(id) FROM role_events x"
                         " WHERE x.user = e.user AND x.role = e.role) ORDER BY e.role",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  size_t len = 0;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(st, 0);
    size_t rl = strlen(r);
    if (len + rl + 2 > out_size) {
      sqlite3_finalize(st);
      return fg_errf(err, FG_ELIMIT, "用户 %s 的角色超过 %zu 字节上限", user, out_size);
    }
    if (len > 0) out[len++] = ';';
    memcpy(out + len, r, rl + 1);
    len += rl;
  }
  if (step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "读取角色");
  sqlite3_finalize(st);
  return rc;
}

void fg_store_proposal_release(fg_store_proposal *p) {
  if (p == NULL) return;
  free(p->payload);
  memset(p, 0, sizeof *p);
}

int fg_store_proposal_next_id(fg_store *s, int64_t *id, fg_err *err) {
  FG_ASSERT(id != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s, "SELECT coalesce(max(id), 0) + 1 FROM proposals", &st, err);
  if (rc) return rc;
  if (sqlite3_step(st) == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  else
    rc = fg_sqlite_err(s, err, "提议编号");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_proposal_add(fg_store *s, const fg_store_proposal *p, int64_t jseq, fg_err *err) {
  FG_ASSERT(p != NULL && p->id > 0 && p->payload != NULL && p->kind[0] && p->proposer[0]);
  FG_ASSERT(p->expires_s > p->created_s && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s, "INSERT INTO proposals VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st,
                         err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, p->id);
  sqlite3_bind_text(st, 2, p->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, p->payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, p->proposer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 5, p->created_s);
  sqlite3_bind_int64(st, 6, p->expires_s);
  sqlite3_bind_int64(st, 7, jseq);
  return fg_authz_done(s, st, "无法保存提议", err);
}

/* Fill the step fields of p from proposal_events. */
static int fg_authz_read_steps(fg_store *s, fg_store_proposal *p, fg_err *err) {
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s, "SELECT step, actor FROM proposal_events WHERE proposal_id = ?1",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, p->id);
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *what = (const char *)sqlite3_column_text(st, 0);
    if (strcmp(what, "review") == 0)
      fg_authz_copy_text(st, 1, p->reviewer, sizeof p->reviewer);
    else if (strcmp(what, "approve") == 0)
      fg_authz_copy_text(st, 1, p->approver, sizeof p->approver);
    else if (strcmp(what, "refuse") == 0)
      fg_authz_copy_text(st, 1, p->refused_by, sizeof p->refused_by);
    else
      p->applied = true;
  }
  if (step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "读取提议步骤");
  sqlite3_finalize(st);
  return rc;
}

static void fg_authz_read_proposal(sqlite3_stmt *st, fg_store_proposal *p) {
  memset(p, 0, sizeof *p);
  p->id = sqlite3_column_int64(st, 0);
  fg_authz_copy_text(st, 1, p->kind, sizeof p->kind);
  p->payload = fg_xstrdup((const char *)sqlite3_column_text(st, 2));
  fg_authz_copy_text(st, 3, p->proposer, sizeof p->proposer);
  p->created_s = sqlite3_column_int64(st, 4);
  p->expires_s = sqlite3_column_int64(st, 5);
}

int fg_store_proposal_get(fg_store *s, int64_t id, fg_store_proposal *p, bool *found,
                          fg_err *err) {
  FG_ASSERT(p != NULL && found != NULL);
  *found = false;
  memset(p, 0, sizeof *p);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT id, kind, payload, proposer, created, expires FROM proposals"
                         " WHERE id = ?1",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    fg_authz_read_proposal(st, p);
    *found = true;
  } else if (step != SQLITE_DONE) {
    rc = fg_sqlite_err(s, err, "读取提议");
  }
  sqlite3_finalize(st);
  if (rc == 0 && *found) rc = fg_authz_read_steps(s, p, err);
  if (rc) {
    fg_store_proposal_release(p);
    *found = false;
  }
  return rc;
}

int fg_store_proposal_step(fg_store *s, int64_t id, const char *step, const char *actor,
                           int64_t at_s, int64_t jseq, fg_err *err) {
  FG_ASSERT(id > 0 && step != NULL && actor != NULL && actor[0] != '\0' && jseq >= 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "INSERT INTO proposal_events (proposal_id, step, actor, at, jseq)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, step, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, at_s);
  sqlite3_bind_int64(st, 5, jseq);
  return fg_authz_done(s, st, "无法保存提议步骤", err);
}

int fg_store_proposal_each(fg_store *s, fg_store_proposal_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(s,
                         "SELECT id, kind, payload, proposer, created, expires FROM proposals"
                         " ORDER BY id",
                         &st, err);
  if (rc) return rc;
  int step;
  while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_proposal p;
    fg_authz_read_proposal(st, &p);
    rc = fg_authz_read_steps(s, &p, err);
    if (rc == 0) rc = fn(ud, &p);
    fg_store_proposal_release(&p);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = fg_sqlite_err(s, err, "列出提议");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_authn_failures(fg_store *s, const char *user, int64_t *n, fg_err *err) {
  FG_ASSERT(user != NULL && n != NULL);
  *n = 0;
  sqlite3_stmt *st = NULL;
  int rc = fg_authz_prep(
      s,
      "WITH j AS (SELECT seq, actor, action, CAST(payload AS TEXT) AS p FROM journal)"
      " SELECT count(*) FROM j WHERE action = 'authn.refused'"
      " AND json_extract(p, '$.user') = ?1"
      " AND json_extract(p, '$.reason') IN ('password', 'unknown_user')"
      " AND seq > coalesce((SELECT max(seq) FROM j WHERE actor = ?1 OR (action = 'user.unlock'"
      " AND json_extract(p, '$.user') = ?1)), -1)",
      &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) == SQLITE_ROW)
    *n = sqlite3_column_int64(st, 0);
  else
    rc = fg_sqlite_err(s, err, "统计登录失败次数");
  sqlite3_finalize(st);
  return rc;
}
