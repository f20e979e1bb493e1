/*
 * authz_fixture.h — shared set-up of test_authz.c and test_review.c: a fresh
 * store in a temporary directory, the default configuration, a platform key
 * pair generated here, helpers to create and log in users, and a snapshot of
 * the row count of every table (to prove a refusal leaves only its journal
 * entry). Header-only (static functions) so each test stays one file.
 */
#ifndef FG_TESTS_AUTHZ_FIXTURE_H
#define FG_TESTS_AUTHZ_FIXTURE_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "authz/authz.h"

#define FX_T0 1767225600 /* 2026-01-01T00:00:00Z */
#define FX_DAY 86400
#define FX_MAX_TABLES 256

typedef struct fx {
  char *dir;
  char db[4200];
  fg_store *s;
  fg_config *cfg;
  fg_signer platform;
} fx;

static fx *fx_new(void) {
  fx *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->dir = fg_test_tmpdir();
  snprintf(f->db, sizeof f->db, "%s/fg.db", f->dir);
  fg_err err = {0};
  assert_int_equal(fg_store_create(f->db, &f->s, &err), 0);
  f->cfg = calloc(1, sizeof *f->cfg);
  assert_non_null(f->cfg);
  fg_config_defaults(f->cfg);
  snprintf(f->platform.actor, sizeof f->platform.actor, "platform");
  crypto_sign_keypair(f->platform.pk, f->platform.sk);
  return f;
}

static void fx_free(fx *f) {
  fg_store_close(f->s);
  fg_test_rmrf(f->dir);
  free(f->dir);
  free(f->cfg);
  fg_authn_signer_wipe(&f->platform);
  free(f);
}

/* Create user `name` with the initial password "init-NAME-4567" (as its
 * hash, like init and a reviewed creation do), without setting a password. */
static void fx_user_initial(fx *f, const char *name, const char *roles) {
  fg_err err = {0};
  char pw[64], hash[FG_STORE_PWHASH_MAX];
  snprintf(pw, sizeof pw, "init-%s-4567", name);
  assert_int_equal(fg_authn_hash(pw, hash, &err), 0);
  int rc = fg_authn_user_create(f->s, f->cfg, &f->platform, name, name, roles, "", hash, 0,
                                FX_T0, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, 0);
}

/* A user who has set the password "pw-NAME-1234" from the initial one. */
static void fx_user(fx *f, const char *name, const char *roles) {
  fx_user_initial(f, name, roles);
  fg_err err = {0};
  char init[64], pw[64];
  snprintf(init, sizeof init, "init-%s-4567", name);
  snprintf(pw, sizeof pw, "pw-%s-1234", name);
  int rc = fg_authn_set_password(f->s, f->cfg, &f->platform, name, init, pw, FX_T0, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, 0);
}

static void fx_login(fx *f, const char *name, int64_t now_s, fg_signer *out) {
  fg_err err = {0};
  char pw[64];
  snprintf(pw, sizeof pw, "pw-%s-1234", name);
  int rc = fg_authn_login(f->s, f->cfg, &f->platform, name, pw, now_s, 0, out, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  assert_int_equal(rc, 0);
}

/* Row counts of every table of the store, by name. */
typedef struct fx_counts {
  int n;
  char name[FX_MAX_TABLES][64];
  long long rows[FX_MAX_TABLES];
} fx_counts;

static void fx_count(fx *f, fx_counts *c) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT name FROM sqlite_master WHERE type = 'table'"
                                      " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                      -1, &st, NULL),
                   SQLITE_OK);
  c->n = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    assert_true(c->n < FX_MAX_TABLES);
    snprintf(c->name[c->n], sizeof c->name[c->n], "%s", sqlite3_column_text(st, 0));
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", c->name[c->n]);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    c->rows[c->n++] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* True for the journal area's tables (entries and the Merkle tree over
 * them), which a refusal may grow. */
static int fx_journal_table(const char *name) {
  return strstr(name, "journal") != NULL || strstr(name, "merkle") != NULL ||
         strstr(name, "tree") != NULL;
}

/* Assert that between before and after only the journal area changed and
 * the table `journal` gained exactly `entries` rows. */
static void fx_only_journal(const fx_counts *before, const fx_counts *after, long long entries) {
  assert_int_equal(before->n, after->n);
  int journal_seen = 0;
  for (int i = 0; i < before->n; i++) {
    assert_string_equal(before->name[i], after->name[i]);
    if (strcmp(before->name[i], "journal") == 0) {
      journal_seen = 1;
      assert_int_equal(after->rows[i] - before->rows[i], entries);
    } else if (!fx_journal_table(before->name[i]) && before->rows[i] != after->rows[i]) {
      fprintf(stderr, "table %s changed: %lld -> %lld\n", before->name[i], before->rows[i],
              after->rows[i]);
      fail();
    }
  }
  assert_true(journal_seen);
}

/* Number of journal entries with this action (read straight from SQLite). */
static long long fx_journal_actions(fx *f, const char *action) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *st = NULL;
  assert_int_equal(
      sqlite3_prepare_v2(db, "SELECT count(*) FROM journal WHERE action = ?1", -1, &st, NULL),
      SQLITE_OK);
  sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

/* Run sql on the store file directly; returns the SQLite result code. */
static int fx_sql(fx *f, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_close(db);
  return rc;
}

#endif
