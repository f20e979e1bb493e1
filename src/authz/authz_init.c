/*
 * authz_init.c — the one unilateral act: the first users, from the roster
 * given to `fundguard init --roster FILE` (CSV with a header naming
 * user, name, roles — `;`-separated — and optionally initial_password and
 * agency, in any order). The whole roster is checked first (names, known roles, no
 * exclusive pair, no duplicate user) and then created in one transaction, one
 * "user.create" journal entry per user signed by the platform key: a roster
 * with one bad row creates nobody.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "csv/csv.h"

enum { FG_AUTHZ_ROSTER_USERS_MAX = 1000, FG_AUTHZ_ROSTER_COLS = 5 };

typedef struct fg_authz_roster_row {
  char user[FG_STORE_USER_MAX];
  char name[FG_STORE_DISPLAY_MAX];
  char roles[FG_STORE_ROLES_MAX];
  char password[FG_AUTHN_PASSWORD_MAX + 1]; /* "" = none given */
  char agency[FG_STORE_AGENCY_MAX];         /* "" = the supervision office */
} fg_authz_roster_row;

/* The roster's columns, found by header name; -1 when absent. */
static const char *const fg_authz_roster_names[FG_AUTHZ_ROSTER_COLS] = {
    "user", "name", "roles", "initial_password", "agency"};

/* Copy field i of rec into out; false when it does not fit. */
static bool fg_authz_field(const fg_csv_record *rec, int i, char *out, size_t out_size) {
  if (i < 0) {
    out[0] = '\0';
    return true;
  }
  if (i >= rec->nf || rec->f[i].n >= out_size) return false;
  memcpy(out, rec->f[i].s, rec->f[i].n);
  out[rec->f[i].n] = '\0';
  return true;
}

static int fg_authz_roster_header(const char *path, const fg_csv_record *rec, int col[], fg_err *err) {
  for (int k = 0; k < FG_AUTHZ_ROSTER_COLS; k++) col[k] = -1;
  for (int i = 0; i < rec->nf; i++) {
    char h[64];
    int k = 0;
    if (!fg_authz_field(rec, i, h, sizeof h)) h[0] = '\0';
    while (k < FG_AUTHZ_ROSTER_COLS && strcmp(h, fg_authz_roster_names[k]) != 0) k++;
    if (k == FG_AUTHZ_ROSTER_COLS || col[k] >= 0)
      return fg_errf(err, FG_EINPUT, "%s:1:%d: 名单表头有未知或重复的列 (%.60s)；应为 user,name,roles"
                     "[,initial_password][,agency]", path, i + 1, h);
    col[k] = i;
  }
  if (col[0] < 0 || col[1] < 0 || col[2] < 0)
    return fg_errf(err, FG_EINPUT, "%s:1:1: 名单表头缺少 user、name 或 roles 列", path);
  return 0;
}

static int fg_authz_roster_read(const char *path, fg_authz_roster_row **rows, size_t *n,
                                fg_err *err) {
  fg_csv *c = NULL;
  int rc = fg_csv_open(path, NULL, &c, err);
  if (rc) return rc;
  fg_csv_record rec;
  *rows = NULL;
  *n = 0;
  int col[FG_AUTHZ_ROSTER_COLS];
  bool header = true;
  while (rc == 0 && (rc = fg_csv_next(c, &rec, err)) == 1) {
    rc = 0;
    if (header) {
      header = false;
      rc = fg_authz_roster_header(path, &rec, col, err);
      continue;
    }
    if (*n == FG_AUTHZ_ROSTER_USERS_MAX)
      rc = fg_errf(err, FG_ELIMIT, "%s: 用户超过 %d 个", path, FG_AUTHZ_ROSTER_USERS_MAX);
    if (rc) break;
    *rows = fg_xrealloc(*rows, (*n + 1) * sizeof **rows);
    fg_authz_roster_row *r = &(*rows)[*n];
    memset(r, 0, sizeof *r);
    if (!fg_authz_field(&rec, col[0], r->user, sizeof r->user) ||
        !fg_authz_field(&rec, col[1], r->name, sizeof r->name) ||
        !fg_authz_field(&rec, col[2], r->roles, sizeof r->roles) ||
        !fg_authz_field(&rec, col[3], r->password, sizeof r->password) ||
        !fg_authz_field(&rec, col[4], r->agency, sizeof r->agency))
      rc = fg_errf(err, FG_EINPUT, "%s:%lld: 缺少列或值过长", path, (long long)rec.line);
    else if (r->password[0] && fg_authn_password_policy(r->password, err) != 0)
      rc = fg_errf(err, FG_EINPUT, "%s:%lld: 用户 %s 的 initial_password 不符合密码要求", path,
                   (long long)rec.line, r->user);
    else
      (*n)++;
  }
  fg_csv_close(c);
  if (rc == 0 && *n == 0) rc = fg_errf(err, FG_EINPUT, "%s: 名单中没有用户", path);
  return rc < 0 ? rc : 0;
}

/* Check every row before creating anyone. */
static int fg_authz_roster_check(const fg_config *cfg, const char *path,
                                 const fg_authz_roster_row *rows, size_t n, fg_err *err) {
  for (size_t i = 0; i < n; i++) {
    char norm[FG_STORE_ROLES_MAX];
    int rc = fg_authz_roles_normalize(rows[i].roles, norm, sizeof norm, err);
    if (rc == 0) rc = fg_authz_roles_valid(cfg, norm, err);
    if (rc) {
      char msg[FG_ERR_MSG_MAX];
      snprintf(msg, sizeof msg, "%s", err->msg);
      return fg_errf(err, rc, "%s: 用户 %s: %s", path, rows[i].user, msg);
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp(rows[i].user, rows[j].user) == 0)
        return fg_errf(err, FG_EINPUT, "%s: 用户 %s 重复", path, rows[i].user);
      if (rows[i].password[0] && strcmp(rows[i].password, rows[j].password) == 0)
        return fg_errf(err, FG_EINPUT, "%s: 用户 %s 与 %s 的初始密码相同；每人的初始密码须不同",
                       path, rows[j].user, rows[i].user);
    }
  }
  return 0;
}

/* Each row's initial password: given, shared (one-user roster), or made. */
static int fg_authz_roster_passwords(fg_authz_roster_row *rows, size_t n, const char *shared,
                                     fg_buf *generated, fg_err *err) {
  for (size_t i = 0; i < n; i++) {
    if (rows[i].password[0]) continue;
    if (shared != NULL && shared[0] != '\0') {
      if (n != 1)
        return fg_errf(err, FG_EINPUT,
                       "FUNDGUARD_INIT_PASSWORD 只能用于只有一个用户的名单；每人的初始密码须不同"
                       "（名单的 initial_password 列，或不设该变量由平台生成）");
      int rc = fg_authn_password_policy(shared, err);
      if (rc) return rc;
      snprintf(rows[i].password, sizeof rows[i].password, "%s", shared);
      continue;
    }
    char pw[FG_AUTHN_INITIAL_MAX];
    fg_authn_initial_password(pw);
    snprintf(rows[i].password, sizeof rows[i].password, "%s", pw);
    fg_buf_addf(generated, "%s,%s\n", rows[i].user, pw);
    sodium_memzero(pw, sizeof pw);
  }
  return 0;
}

static int fg_authz_roster_create(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                                  const fg_authz_roster_row *rows, size_t n, int64_t now_s,
                                  fg_err *err) {
  int rc = fg_store_begin(s, err);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char hash[FG_STORE_PWHASH_MAX];
    rc = fg_authn_hash(rows[i].password, hash, err);
    if (rc == 0)
      rc = fg_authn_user_create(s, cfg, platform, rows[i].user, rows[i].name, rows[i].roles,
                                rows[i].agency, hash, 0, now_s, err);
  }
  if (rc == 0) rc = fg_store_commit(s, err);
  if (rc) fg_store_rollback(s);
  return rc;
}

int fg_authz_init_roster(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                         const char *roster_path, const char *shared_password, int64_t now_s,
                         fg_buf *generated, size_t *created, fg_err *err) {
  FG_ASSERT(s && cfg && platform && roster_path && generated && created);
  *created = 0;
  fg_authz_roster_row *rows = NULL;
  size_t n = 0;
  int rc = fg_authz_roster_read(roster_path, &rows, &n, err);
  if (rc == 0) rc = fg_authz_roster_check(cfg, roster_path, rows, n, err);
  if (rc == 0) rc = fg_authz_roster_passwords(rows, n, shared_password, generated, err);
  if (rc == 0) rc = fg_authz_roster_create(s, cfg, platform, rows, n, now_s, err);
  if (rc == 0) *created = n;
  if (rows) sodium_memzero(rows, n * sizeof *rows);
  free(rows);
  return rc;
}

int fg_authz_init_config(fg_store *s, const fg_signer *platform, fg_err *err) {
  FG_ASSERT(s != NULL && platform != NULL);
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg);
  char *text = fg_config_serialize(cfg);
  char hash[65];
  fg_config_hash(cfg, hash);
  free(cfg);
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"config_sha256\":\"%s\",\"status\":\"official\"}", hash);
  int64_t seq = -1, got = -1;
  int rc = fg_store_begin(s, err);
  if (rc == 0) {
    rc = fg_journal_next_seq(s, &seq, err);
    if (rc == 0) rc = fg_store_config_put(s, text, true, 0, (int64_t)time(NULL), seq, NULL, err);
    if (rc == 0) rc = fg_journal_append(s, platform, "config.init", p.buf, p.len, &got, err);
    FG_ASSERT(rc != 0 || got == seq);
    if (rc == 0) rc = fg_store_commit(s, err);
    else fg_store_rollback(s);
  }
  fg_buf_release(&p);
  free(text);
  return rc;
}
