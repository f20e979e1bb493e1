/*
 * authz_init.c — the one unilateral act: the first users, from the roster
 * given to `fundguard init --roster FILE` (CSV `user,name,roles`, roles
 * `;`-separated). The whole roster is checked first (names, known roles, no
 * exclusive pair, no duplicate user) and then created in one transaction, one
 * "user.create" journal entry per user signed by the platform key: a roster
 * with one bad row creates nobody.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "csv/csv.h"

enum { FG_AUTHZ_ROSTER_MAX_USERS = 1000 };

typedef struct fg_authz_roster_row {
  char user[FG_STORE_USER_MAX];
  char name[FG_STORE_DISPLAY_MAX];
  char roles[FG_STORE_ROLES_MAX];
} fg_authz_roster_row;

/* Copy field i of rec into out; false when it does not fit. */
static bool fg_authz_field(const fg_csv_record *rec, int i, char *out, size_t out_size) {
  if (i >= rec->nf || rec->f[i].n >= out_size) return false;
  memcpy(out, rec->f[i].s, rec->f[i].n);
  out[rec->f[i].n] = '\0';
  return true;
}

static int fg_authz_roster_read(const char *path, fg_authz_roster_row **rows, size_t *n,
                                fg_err *err) {
  fg_csv *c = NULL;
  int rc = fg_csv_open(path, NULL, &c, err);
  if (rc) return rc;
  fg_csv_record rec;
  *rows = NULL;
  *n = 0;
  bool header = true;
  while (rc == 0 && (rc = fg_csv_next(c, &rec, err)) == 1) {
    rc = 0;
    if (header) {
      header = false;
      char h[64];
      if (rec.nf < 3 || !fg_authz_field(&rec, 0, h, sizeof h) || strcmp(h, "user") != 0)
        rc = fg_errf(err, FG_EINPUT, "%s: 第 1 行应为表头 user,name,roles", path);
      continue;
    }
    if (*n == FG_AUTHZ_ROSTER_MAX_USERS)
      rc = fg_errf(err, FG_ELIMIT, "%s: 用户超过 %d 个", path, FG_AUTHZ_ROSTER_MAX_USERS);
    if (rc) break;
    *rows = fg_xrealloc(*rows, (*n + 1) * sizeof **rows);
    fg_authz_roster_row *r = &(*rows)[*n];
    if (rec.nf != 3 || !fg_authz_field(&rec, 0, r->user, sizeof r->user) ||
        !fg_authz_field(&rec, 1, r->name, sizeof r->name) ||
        !fg_authz_field(&rec, 2, r->roles, sizeof r->roles))
      rc = fg_errf(err, FG_EINPUT, "%s:%lld: 应有 3 列 user,name,roles 且不过长", path,
                   (long long)rec.line);
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
    for (size_t j = 0; j < i; j++)
      if (strcmp(rows[i].user, rows[j].user) == 0)
        return fg_errf(err, FG_EINPUT, "%s: 用户 %s 重复", path, rows[i].user);
  }
  return 0;
}

int fg_authz_init_roster(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                         const char *roster_path, const char *password, int64_t now_s,
                         size_t *created, fg_err *err) {
  assert(s && cfg && platform && roster_path && password && created);
  *created = 0;
  fg_authz_roster_row *rows = NULL;
  size_t n = 0;
  int rc = fg_authz_roster_read(roster_path, &rows, &n, err);
  if (rc == 0) rc = fg_authz_roster_check(cfg, roster_path, rows, n, err);
  if (rc == 0) rc = fg_store_begin(s, err);
  if (rc) {
    free(rows);
    return rc;
  }
  for (size_t i = 0; rc == 0 && i < n; i++)
    rc = fg_authn_user_create(s, cfg, platform, rows[i].user, rows[i].name, rows[i].roles,
                              password, 0, now_s, err);
  if (rc == 0) rc = fg_store_commit(s, err);
  if (rc)
    fg_store_rollback(s);
  else
    *created = n;
  free(rows);
  return rc;
}
