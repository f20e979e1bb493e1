/*
 * server.c — the HTTP front end of web.md on libmicrohttpd: listening,
 * request bodies, sessions, CSRF, the login rate limit, security headers,
 * JSON errors, routing to the endpoints (api_*.c), the workbench's static
 * files and a clean stop on SIGINT/SIGTERM.
 *
 * Why libmicrohttpd: it is the maintained embeddable C HTTP server Debian
 * ships (libmicrohttpd-dev, GNU, used by systemd-journal-remote), it does
 * the protocol work (HTTP/1.1 parsing, keep-alive, chunking, limits per
 * connection, a thread pool) that a hand-written server would get wrong,
 * and it leaves every decision of the product (who may do what) to us.
 *
 * Design. One store connection, guarded by one mutex, serves every request:
 * SQLite serialises writers anyway, a request costs about a millisecond,
 * and one connection keeps the guard of store_sqlite_guard.c (every row a
 * transaction writes is counted) simple. A screening started over HTTP runs
 * in its own thread with its own connection (POST /runs answers 202). The
 * sessions live in memory only: a session holds the user's unlocked
 * signing key, which never touches the disk; restarting the server logs
 * everyone out. Session ids and CSRF tokens are 256 random bits from
 * libsodium, compared in constant time; a new id at every login, never
 * reused. Every answer carries the security headers of web.md; every API
 * answer `Cache-Control: no-store`.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>

#include "cases/cases.h"
#include "common/fsout.h"
#include "http/http_impl.h"
#include "screen/export.h"
#include "journal/json.h"
#include "schema/schema.h"

#define FG_HTTP_CSP                                                                            \
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "          \
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "                \
  "form-action 'self'; frame-ancestors 'none'"

static int64_t fg_http_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- answers --------------------------------------------------------------- */

int fg_http_error(fg_http_req *r, int status, const char *code, const char *field,
                  const char *fmt, ...) {
  char msg[FG_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fg_buf_reset(&r->out);
  fg_buf_adds(&r->out, "{\"error\":{\"code\":");
  fg_journal_json_add_str(&r->out, code, strlen(code));
  fg_buf_adds(&r->out, ",\"message\":");
  fg_journal_json_add_str(&r->out, msg, strlen(msg));
  fg_buf_adds(&r->out, ",\"field\":");
  if (field) fg_journal_json_add_str(&r->out, field, strlen(field));
  else fg_buf_adds(&r->out, "null");
  fg_buf_adds(&r->out, "}}");
  r->status = status;
  r->ctype = "application/json; charset=utf-8";
  r->disposition[0] = '\0';
  return 0;
}

int fg_http_fail(fg_http_req *r, int rc, const fg_err *err) {
  const char *msg = err && err->msg[0] ? err->msg : "内部错误 (internal error)";
  switch (rc) {
  case FG_EINPUT:
  case FG_EUSAGE:
  case FG_ELIMIT: return fg_http_error(r, 400, "bad_input", NULL, "%s", msg);
  case FG_EPERM: return fg_http_error(r, 403, "forbidden", NULL, "%s", msg);
  case FG_ESTATE: return fg_http_error(r, 409, "wrong_state", NULL, "%s", msg);
  case FG_EVERIFY: return fg_http_error(r, 409, "verify_failed", NULL, "%s", msg);
  default: return fg_http_error(r, 500, "internal", NULL, "%s", msg);
  }
}

int fg_http_json(fg_http_req *r, int status) {
  r->status = status;
  r->ctype = "application/json; charset=utf-8";
  return 0;
}

const char *fg_http_query(fg_http_req *r, const char *key) {
  const char *v = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, key);
  return v && v[0] ? v : NULL;
}

fg_journal_json *fg_http_body_json(fg_http_req *r) {
  fg_journal_json *v = NULL;
  fg_err err = {0};
  if (r->body.len == 0) {
    fg_http_error(r, 400, "bad_input", NULL, "请求体应为 JSON 对象 (a JSON object body is required)");
    return NULL;
  }
  if (fg_journal_json_parse(r->body.buf, r->body.len, &v, &err) != 0 || v->type != FG_JSON_OBJ) {
    fg_journal_json_free(v);
    fg_http_error(r, 400, "bad_json", NULL, "请求体不是 JSON 对象: %s (body is not a JSON object)",
                  err.msg);
    return NULL;
  }
  return v;
}

const char *fg_http_jstr(const fg_journal_json *v, const char *key) {
  const fg_journal_json *x = fg_journal_json_get(v, key);
  return x && x->type == FG_JSON_STR && strlen(x->s) == x->len ? x->s : NULL;
}

bool fg_http_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out) {
  if (s == NULL || *s == '\0' || strlen(s) > 18) return false;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return false;
  const long long v = strtoll(s, NULL, 10);
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool fg_http_seg_id(fg_http_req *r, int i, int64_t *out) {
  FG_ASSERT(i >= 0 && i < r->nseg);
  if (fg_http_parse_i64(r->seg[i], 1, INT64_MAX / 2, out)) return true;
  fg_http_error(r, 404, "not_found", NULL, "编号应为正整数 (%.64s)", r->seg[i]);
  return false;
}

bool fg_http_paging(fg_http_req *r, int *limit, int64_t *after) {
  if (r->listing) { /* a list written as a file (listfile.c): the largest pages */
    *limit = FG_HTTP_LIST_MAX;
    *after = r->listing_after;
    return true;
  }
  int64_t l = FG_HTTP_LIST_DEFAULT, a = 0;
  const char *ls = fg_http_query(r, "limit"), *cs = fg_http_query(r, "cursor");
  if (ls && !fg_http_parse_i64(ls, 1, FG_HTTP_LIST_MAX, &l)) {
    fg_http_error(r, 400, "bad_input", "limit", "limit 应为 1 至 %d 的整数 (%.32s)", FG_HTTP_LIST_MAX, ls);
    return false;
  }
  if (cs && !fg_http_parse_i64(cs, 0, INT64_MAX / 2, &a)) {
    fg_http_error(r, 400, "bad_input", "cursor", "cursor 无效 (%.32s)", cs);
    return false;
  }
  *limit = (int)l;
  *after = a;
  return true;
}

bool fg_http_tmp_make(fg_http_req *r, fg_http_tmp *t, const char *name) {
  snprintf(t->dir, sizeof t->dir, "/tmp/fundguard-http-XXXXXX");
  if (mkdtemp(t->dir) == NULL) {
    fg_http_error(r, 500, "internal", NULL, "无法创建临时目录");
    return false;
  }
  snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
  return true;
}

void fg_http_tmp_remove(fg_http_tmp *t) {
  unlink(t->path);
  rmdir(t->dir);
}

int fg_http_send_tmp(fg_http_req *r, fg_http_tmp *t, size_t max_bytes, const char *ctype,
                     const char *download) {
  char *data = NULL;
  size_t n = 0;
  fg_err err = {0};
  const int rc = fg_file_read(t->path, max_bytes, &data, &n, &err);
  fg_http_tmp_remove(t);
  if (rc) return fg_http_fail(r, rc, &err);
  fg_buf_reset(&r->out);
  fg_buf_add(&r->out, data, n);
  free(data);
  r->status = 200;
  r->ctype = ctype;
  if (download) snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", download);
  return 0;
}

void fg_http_signer(const fg_http_req *r, fg_signer *out) {
  FG_ASSERT(r->sess != NULL);
  *out = r->sess->me;
}

int fg_http_deny(fg_http_req *r, const char *perm, const fg_err *err) {
  fg_signer me;
  fg_http_signer(r, &me);
  fg_err e = *err;
  (void)fg_authn_deny(r->srv->s, &me, perm, &e); /* journals authz.denied, wipes the copy */
  return fg_http_error(r, 403, "forbidden", NULL, "%s", err->msg);
}

bool fg_http_may(fg_http_req *r, const char *perm) {
  fg_err err = {0};
  return r->sess && fg_authz_check(r->srv->s, r->sess->me.actor, perm, &err) == 0;
}

void fg_http_jkey(fg_buf *b, bool *first, const char *key) {
  if (!*first) fg_buf_addc(b, ',');
  *first = false;
  fg_journal_json_add_str(b, key, strlen(key));
  fg_buf_addc(b, ':');
}

void fg_http_jstr_add(fg_buf *b, bool *first, const char *key, const char *v) {
  fg_http_jkey(b, first, key);
  if (v) fg_journal_json_add_str(b, v, strlen(v));
  else fg_buf_adds(b, "null");
}

void fg_http_jint(fg_buf *b, bool *first, const char *key, int64_t v) {
  fg_http_jkey(b, first, key);
  fg_buf_addf(b, "%lld", (long long)v);
}

void fg_http_jyuan(fg_buf *b, bool *first, const char *key, int64_t fen) {
  char y[40];
  fg_fen_to_yuan(fen, y, sizeof y);
  fg_http_jstr_add(b, first, key, y); /* web.md: amounts as strings, never floats */
}

void fg_http_jbool(fg_buf *b, bool *first, const char *key, bool v) {
  fg_http_jkey(b, first, key);
  fg_buf_adds(b, v ? "true" : "false");
}

/* ---- sessions ----------------------------------------------------------------- */

static void fg_http_session_end(fg_http_session *x) {
  fg_authn_signer_wipe(&x->me);
  sodium_memzero(x, sizeof *x);
}

/* The session of the request's cookie, when it is live: not idle for
 * longer than the configuration allows and its key still the user's
 * (a password change makes a new key, which ends every session). */
static fg_http_session *fg_http_session_of(fg_http_req *r) {
  const char *id = MHD_lookup_connection_value(r->c, MHD_COOKIE_KIND, "fg_session");
  if (id == NULL || strlen(id) != 2 * FG_HTTP_TOKEN_BYTES) return NULL;
  fg_http_server *srv = r->srv;
  const int64_t now = (int64_t)time(NULL);
  for (int i = 0; i < FG_HTTP_SESSIONS_MAX; i++) {
    fg_http_session *x = &srv->sessions[i];
    if (!x->used || sodium_memcmp(x->id, id, 2 * FG_HTTP_TOKEN_BYTES) != 0) continue;
    if (now - x->last_s > (int64_t)srv->cfg->session_idle_minutes * 60) {
      fg_http_session_end(x);
      return NULL;
    }
    uint8_t pk[32];
    bool have = false;
    fg_err err = {0};
    if (fg_store_user_key_at(srv->s, x->me.actor, INT64_MAX, pk, &have, &err) != 0)
      return NULL; /* the store could not answer: not this request, but the session stays */
    if (!have || sodium_memcmp(pk, x->me.pk, sizeof pk) != 0) {
      fg_http_session_end(x);
      return NULL;
    }
    x->last_s = now;
    return x;
  }
  return NULL;
}

static void fg_http_token(char out[2 * FG_HTTP_TOKEN_BYTES + 1]) {
  uint8_t raw[FG_HTTP_TOKEN_BYTES];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(out, 2 * FG_HTTP_TOKEN_BYTES + 1, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

/* A new session for the logged-in signer (moved in; *me wiped); NULL when
 * the table is full (the oldest idle one is reused first). */
static fg_http_session *fg_http_session_new(fg_http_server *srv, fg_signer *me) {
  fg_http_session *slot = NULL;
  for (int i = 0; i < FG_HTTP_SESSIONS_MAX; i++) {
    fg_http_session *x = &srv->sessions[i];
    if (!x->used) { slot = x; break; }
    if (slot == NULL || x->last_s < slot->last_s) slot = x;
  }
  if (slot->used) fg_http_session_end(slot);
  slot->used = true;
  fg_http_token(slot->id);
  fg_http_token(slot->csrf);
  slot->me = *me;
  fg_authn_signer_wipe(me);
  slot->last_s = (int64_t)time(NULL);
  return slot;
}

/* ---- the login rate limit (web.md: > 10 failed logins a minute from one
 * address answer 429) ---- */

static fg_http_rate *fg_http_rate_of(fg_http_server *srv, const char *addr) {
  fg_http_rate *slot = &srv->rate[0];
  for (int i = 0; i < FG_HTTP_RATE_SLOTS; i++) {
    fg_http_rate *x = &srv->rate[i];
    if (strcmp(x->addr, addr) == 0) return x;
    if (x->last_s < slot->last_s) slot = x;
  }
  memset(slot, 0, sizeof *slot);
  snprintf(slot->addr, sizeof slot->addr, "%s", addr);
  return slot;
}

/* Refused when the ring is full of failures of the last 60 seconds. */
static bool fg_http_rate_blocked(const fg_http_rate *x) {
  const int64_t oldest = x->fail_s[x->next];
  return oldest != 0 && (int64_t)time(NULL) - oldest < 60;
}

static void fg_http_rate_fail(fg_http_rate *x) {
  const int64_t now = (int64_t)time(NULL);
  x->fail_s[x->next] = now > 0 ? now : 1;
  x->next = (x->next + 1) % FG_HTTP_LOGIN_FAILS_PER_MINUTE;
  x->last_s = now;
}

int fg_http_api_session_login(fg_http_req *r) {
  fg_http_server *srv = r->srv;
  fg_http_rate *rate = fg_http_rate_of(srv, r->addr);
  if (fg_http_rate_blocked(rate))
    return fg_http_error(r, 429, "too_many_requests", NULL,
                         "登录失败次数过多，请一分钟后再试 (too many failed logins from this address)");
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *user = fg_http_jstr(v, "user"), *pw = fg_http_jstr(v, "password");
  if (user == NULL || user[0] == '\0' || strlen(user) >= FG_STORE_USER_MAX) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "user", "缺少用户名 (user is required)");
  }
  if (pw == NULL) {
    fg_journal_json_free(v);
    return fg_http_error(r, 400, "bad_input", "password", "缺少密码 (password is required)");
  }
  snprintf(r->user, sizeof r->user, "%s", user);
  fg_signer me = {0};
  fg_err err = {0};
  int rc = fg_authn_login(srv->s, srv->cfg, &srv->platform, user, pw, (int64_t)time(NULL), 0, &me,
                          &err);
  fg_journal_json_free(v);
  if (rc) {
    fg_http_rate_fail(rate);
    return fg_http_error(r, rc == FG_EPERM ? 401 : 500, rc == FG_EPERM ? "login_failed" : "internal",
                         NULL, "%s", err.msg);
  }
  fg_store_user u;
  bool found = false;
  char roles[256] = "";
  rc = fg_store_user_get(srv->s, me.actor, &u, &found, &err);
  if (rc == 0) rc = fg_store_user_roles(srv->s, me.actor, roles, sizeof roles, &err);
  if (rc) {
    fg_authn_signer_wipe(&me);
    return fg_http_fail(r, rc, &err);
  }
  fg_http_session *x = fg_http_session_new(srv, &me);
  snprintf(x->agency, sizeof x->agency, "%s", found ? u.agency : "");
  snprintf(x->roles, sizeof x->roles, "%s", roles);
  snprintf(x->display_name, sizeof x->display_name, "%s", found ? u.display_name : "");
  r->sess = x;
  snprintf(r->set_cookie, sizeof r->set_cookie,
           "fg_session=%s; HttpOnly; SameSite=Strict; Path=/", x->id);
  return fg_http_api_session_get(r);
}

int fg_http_api_session_get(fg_http_req *r) {
  fg_http_session *x = r->sess;
  fg_buf *b = &r->out;
  bool f = true;
  fg_buf_addc(b, '{');
  fg_http_jstr_add(b, &f, "user", x->me.actor);
  fg_http_jstr_add(b, &f, "name", x->display_name);
  fg_http_jkey(b, &f, "roles");
  fg_buf_addc(b, '[');
  bool g = true;
  for (const char *p = x->roles; *p;) {
    const size_t n = strcspn(p, ";");
    if (!g) fg_buf_addc(b, ',');
    g = false;
    fg_journal_json_add_str(b, p, n);
    p += n + (p[n] == ';');
  }
  fg_buf_addc(b, ']');
  fg_http_jstr_add(b, &f, "agency", x->agency[0] ? x->agency : NULL);
  /* what the user may do now (the store's roles, as every act checks
   * them): the workbench shows only the pages and buttons that would work */
  fg_http_jkey(b, &f, "permissions");
  fg_buf_addc(b, '[');
  g = true;
  for (size_t i = 0; fg_authz_permission_name(i); i++) {
    if (!fg_http_may(r, fg_authz_permission_name(i))) continue;
    if (!g) fg_buf_addc(b, ',');
    g = false;
    fg_journal_json_add_str(b, fg_authz_permission_name(i), strlen(fg_authz_permission_name(i)));
  }
  fg_buf_addc(b, ']');
  fg_http_jstr_add(b, &f, "csrf_token", x->csrf);
  fg_http_jint(b, &f, "idle_minutes", r->srv->cfg->session_idle_minutes);
  fg_buf_addc(b, '}');
  return fg_http_json(r, 200);
}

int fg_http_api_session_logout(fg_http_req *r) {
  fg_http_session_end(r->sess);
  r->sess = NULL;
  snprintf(r->set_cookie, sizeof r->set_cookie,
           "fg_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  fg_buf_adds(&r->out, "{\"ok\":true}");
  return fg_http_json(r, 200);
}

/* POST /api/v1/session/password {user, current, new}: set one's own
 * password (cli.md v1.1: an initial password only does this). Every
 * session of the user ends (its key is replaced). */
int fg_http_api_password(fg_http_req *r) {
  fg_http_server *srv = r->srv;
  fg_http_rate *rate = fg_http_rate_of(srv, r->addr);
  if (fg_http_rate_blocked(rate))
    return fg_http_error(r, 429, "too_many_requests", NULL, "登录失败次数过多，请一分钟后再试");
  fg_journal_json *v = fg_http_body_json(r);
  if (v == NULL) return 0;
  const char *user = fg_http_jstr(v, "user"), *cur = fg_http_jstr(v, "current");
  const char *npw = fg_http_jstr(v, "new");
  int rc = 0;
  fg_err err = {0};
  if (user == NULL || strlen(user) >= FG_STORE_USER_MAX)
    rc = fg_http_error(r, 400, "bad_input", "user", "缺少用户名 (user is required)"), rc = 1;
  else if (cur == NULL)
    rc = fg_http_error(r, 400, "bad_input", "current", "缺少当前密码 (current is required)"), rc = 1;
  else if (npw == NULL)
    rc = fg_http_error(r, 400, "bad_input", "new", "缺少新密码 (new is required)"), rc = 1;
  if (rc == 0) {
    snprintf(r->user, sizeof r->user, "%s", user);
    rc = fg_authn_set_password(srv->s, srv->cfg, &srv->platform, user, cur, npw,
                               (int64_t)time(NULL), &err);
    if (rc == FG_EPERM) {
      fg_http_rate_fail(rate);
      fg_http_error(r, 401, "login_failed", "current", "%s", err.msg);
    } else if (rc == FG_EINPUT) {
      fg_http_error(r, 400, "bad_input", "new", "%s", err.msg);
    } else if (rc) {
      fg_http_fail(r, rc, &err);
    } else {
      fg_buf_adds(&r->out, "{\"ok\":true}");
      fg_http_json(r, 200);
    }
  }
  fg_journal_json_free(v);
  return 0;
}

/* ---- static files of the workbench ------------------------------------------- */

static const char *fg_http_mime(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot == NULL) return "application/octet-stream";
  if (strcmp(dot, ".html") == 0) return "text/html; charset=utf-8";
  if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
  if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
  if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
  if (strcmp(dot, ".ico") == 0) return "image/x-icon";
  if (strcmp(dot, ".json") == 0) return "application/json; charset=utf-8";
  return "application/octet-stream";
}

/* A file of web_dir by the URL path: only names of letters, digits, '-',
 * '_' and '.', no "..", at most two levels (vendor/x.js). */
static int fg_http_static(fg_http_req *r) {
  const char *p = r->path;
  if (strcmp(p, "/") == 0 || strncmp(p, "/app/", 5) == 0) p = "/index.html";
  if (strcmp(p, "/favicon.ico") == 0) p = "/favicon.svg";
  /* Apache ECharts, installed by npm from web/package-lock.json (pinned) */
  if (strcmp(p, "/vendor/echarts.min.js") == 0) p = "/node_modules/echarts/dist/echarts.min.js";
  int slashes = 0;
  for (const char *q = p; *q; q++) {
    const char ch = *q;
    if (ch == '/') slashes++;
    else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '-' || ch == '_' || ch == '.'))
      return fg_http_error(r, 404, "not_found", NULL, "没有这个页面 (%.100s)", r->path);
  }
  /* of node_modules, only ECharts' dist folder is served */
  const bool vendor = strncmp(p, "/node_modules/echarts/dist/", 27) == 0;
  if (strstr(p, "..") || (slashes > 1 && !vendor))
    return fg_http_error(r, 404, "not_found", NULL, "没有这个页面 (%.100s)", r->path);
  char full[1600];
  snprintf(full, sizeof full, "%s%s", r->srv->web_dir, p);
  char *text = NULL;
  size_t n = 0;
  fg_err err = {0};
  if (fg_file_read(full, 16u << 20, &text, &n, &err) != 0)
    return fg_http_error(r, 404, "not_found", NULL, "没有这个页面 (%.100s)", r->path);
  fg_buf_add(&r->out, text, n);
  free(text);
  r->status = 200;
  r->ctype = fg_http_mime(p);
  return 0;
}

/* ---- routing ------------------------------------------------------------------- */

static void fg_http_split(fg_http_req *r) {
  snprintf(r->segbuf, sizeof r->segbuf, "%s", r->path);
  r->nseg = 0;
  for (char *p = r->segbuf; *p && r->nseg < FG_HTTP_SEGS_MAX;) {
    while (*p == '/') *p++ = '\0';
    if (*p == '\0') break;
    r->seg[r->nseg++] = p;
    while (*p && *p != '/') p++;
  }
}

/* Whether route's pattern matches the request's segments. */
static bool fg_http_match(const fg_http_route *rt, const fg_http_req *r) {
  char pat[FG_HTTP_PATH_MAX];
  snprintf(pat, sizeof pat, "%s", rt->pattern);
  int i = 0;
  for (char *save = NULL, *tok = strtok_r(pat, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (i >= r->nseg) return false;
    if (tok[0] != '{' && strcmp(tok, r->seg[i]) != 0) return false;
    i++;
  }
  return i == r->nseg;
}

static bool fg_http_changes_state(const char *method) {
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
         strcmp(method, "OPTIONS") != 0;
}

/* The session, CSRF and permission checks of a state-changing route. */
static bool fg_http_gate(fg_http_req *r, const char *perm) {
  r->sess = fg_http_session_of(r);
  if (r->sess) snprintf(r->user, sizeof r->user, "%s", r->sess->me.actor);
  if (r->sess == NULL) {
    fg_http_error(r, 401, "not_logged_in", NULL, "未登录或会话已过期，请重新登录 (not logged in)");
    return false;
  }
  const char *tok = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "X-CSRF-Token");
  if (tok == NULL || strlen(tok) != 2 * FG_HTTP_TOKEN_BYTES ||
      sodium_memcmp(tok, r->sess->csrf, 2 * FG_HTTP_TOKEN_BYTES) != 0) {
    fg_http_error(r, 403, "csrf", NULL, "缺少或错误的 X-CSRF-Token 请求头 (missing or wrong CSRF token)");
    return false;
  }
  fg_err err = {0};
  const int rc = fg_authz_check_signer(r->srv->s, &r->sess->me, perm, &err);
  if (rc == FG_EPERM) fg_http_deny(r, perm, &err);
  else if (rc) fg_http_fail(r, rc, &err);
  return rc == 0;
}

bool fg_http_upload_allowed(fg_http_req *r) { return fg_http_gate(r, FG_PERM_DATA_IMPORT); }

/* One part of an import's multipart body: a standard file, by its name. */
static enum MHD_Result fg_http_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *filename, const char *content_type,
                                    const char *transfer_encoding, const char *data, uint64_t off,
                                    size_t size) {
  (void)kind, (void)key, (void)content_type, (void)transfer_encoding;
  fg_http_req *r = cls;
  if (filename == NULL || r->upbad[0]) return MHD_YES;
  const char *base = strrchr(filename, '/');
  base = base ? base + 1 : filename;
  if (r->upf == NULL || strcmp(r->upname, base) != 0) {
    if (r->upf) fclose(r->upf), r->upf = NULL;
    if (fg_schema_by_file(base) == NULL || strlen(base) >= sizeof r->upname) {
      snprintf(r->upbad, sizeof r->upbad, "不是数据接入标准的文件名 (%.100s)", base);
      return MHD_YES;
    }
    snprintf(r->upname, sizeof r->upname, "%s", base);
    char path[160];
    snprintf(path, sizeof path, "%s/%s", r->updir, base);
    if (off != 0 || (r->upf = fopen(path, "wbx")) == NULL) {
      snprintf(r->upbad, sizeof r->upbad, "同一文件上传了两次 (%.100s)", base);
      return MHD_YES;
    }
  }
  const int64_t cap = (int64_t)(r->srv->o->upload_max_mb ? r->srv->o->upload_max_mb
                                                         : FG_HTTP_UPLOAD_MB_DEFAULT) << 20;
  r->upbytes += (int64_t)size;
  if (r->upbytes > cap) {
    r->too_large = true;
    return MHD_YES;
  }
  if (size && fwrite(data, 1, size, r->upf) != size) snprintf(r->upbad, sizeof r->upbad, "无法写入临时文件");
  return MHD_YES;
}

static int fg_http_dispatch(fg_http_req *r) {
  fg_http_split(r);
  /* anything that may write: caches of derived data are stale after it */
  if (fg_http_changes_state(r->method)) r->srv->write_gen++;
  if (strcmp(r->path, "/api/openapi.json") == 0 && strcmp(r->method, "GET") == 0) {
    fg_buf_adds(&r->out, r->srv->openapi);
    return fg_http_json(r, 200);
  }
  if (strncmp(r->path, "/api/", 5) != 0) {
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
      return fg_http_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 (%s)", r->method);
    return fg_http_static(r);
  }
  const fg_http_route *hit = NULL;
  bool path_known = false;
  for (int i = 0; i < fg_http_nroutes && hit == NULL; i++)
    if (fg_http_match(&fg_http_routes[i], r)) {
      path_known = true;
      if (strcmp(fg_http_routes[i].method, r->method) == 0) hit = &fg_http_routes[i];
    }
  if (hit == NULL)
    return path_known ? fg_http_error(r, 405, "method_not_allowed", NULL, "不支持的请求方法 (%s)", r->method)
                      : fg_http_error(r, 404, "not_found", NULL, "没有这个接口 (%.100s)", r->path);
  r->sess = fg_http_session_of(r);
  if (r->sess) snprintf(r->user, sizeof r->user, "%s", r->sess->me.actor);
  const bool public_route = hit->perm && strcmp(hit->perm, "-") == 0;
  if (!public_route && r->sess == NULL)
    return fg_http_error(r, 401, "not_logged_in", NULL, "未登录或会话已过期，请重新登录 (not logged in)");
  if (!public_route && fg_http_changes_state(r->method)) {
    const char *tok = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "X-CSRF-Token");
    if (tok == NULL || strlen(tok) != 2 * FG_HTTP_TOKEN_BYTES ||
        sodium_memcmp(tok, r->sess->csrf, 2 * FG_HTTP_TOKEN_BYTES) != 0)
      return fg_http_error(r, 403, "csrf", NULL,
                           "缺少或错误的 X-CSRF-Token 请求头 (missing or wrong CSRF token)");
  }
  if (!public_route && hit->perm) {
    fg_err err = {0};
    int rc = fg_authz_check_signer(r->srv->s, &r->sess->me, hit->perm, &err);
    if (rc == FG_EPERM) return fg_http_deny(r, hit->perm, &err);
    if (rc) return fg_http_fail(r, rc, &err);
  }
  if (hit->list && !hit->own_file) { /* format=csv|xlsx of a list without its own export */
    const char *f = fg_http_query(r, "format");
    if (f && (strcmp(f, "csv") == 0 || strcmp(f, "xlsx") == 0)) return fg_http_list_file(r, hit, f[0] == 'x');
    if (f && strcmp(f, "json") != 0)
      return fg_http_error(r, 400, "bad_input", "format", "format 应为 json、csv 或 xlsx (%.16s)", f);
  }
  return hit->fn(r);
}

/* ---- libmicrohttpd glue ------------------------------------------------------- */

static void fg_http_headers(struct MHD_Response *resp, const fg_http_req *r, bool api) {
  MHD_add_response_header(resp, "Content-Security-Policy", FG_HTTP_CSP);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Cache-Control", api ? "no-store" : "no-cache");
  if (r->ctype) MHD_add_response_header(resp, "Content-Type", r->ctype);
  if (r->disposition[0]) MHD_add_response_header(resp, "Content-Disposition", r->disposition);
  if (r->set_cookie[0]) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
}

static enum MHD_Result fg_http_send(fg_http_req *r) {
  const bool api = strncmp(r->path, "/api/", 5) == 0;
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(r->out.len, r->out.len ? r->out.buf : (void *)"",
                                      MHD_RESPMEM_MUST_COPY);
  if (resp == NULL) return MHD_NO;
  fg_http_headers(resp, r, api);
  const enum MHD_Result ok = MHD_queue_response(r->c, (unsigned)r->status, resp);
  MHD_destroy_response(resp);
  const double ms = (double)(fg_http_now_ns() - r->t0_ns) / 1e6;
  fprintf(stderr, "%s %s %d %.1fms %s\n", r->method, r->path, r->status, ms,
          r->user[0] ? r->user : "-");
  return ok;
}

/* Remove an import's temporary directory and its files. */
static void fg_http_updir_remove(fg_http_req *r) {
  if (r->upf) fclose(r->upf), r->upf = NULL;
  if (r->pp) MHD_destroy_post_processor(r->pp), r->pp = NULL;
  if (!r->updir_made) return;
  for (int t = 0; t < FG_T_COUNT; t++) {
    char path[160];
    snprintf(path, sizeof path, "%s/%s", r->updir, fg_schema_table(t)->file);
    unlink(path);
  }
  rmdir(r->updir);
  r->updir_made = false;
}

static void fg_http_req_free(fg_http_req *r) {
  if (r == NULL) return;
  fg_http_updir_remove(r);
  fg_buf_release(&r->body);
  fg_buf_release(&r->out);
  free(r->file_path);
  free(r);
}

static void fg_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe) {
  (void)cls, (void)c, (void)toe;
  fg_http_req_free(*con_cls);
  *con_cls = NULL;
}

static void fg_http_addr(struct MHD_Connection *c, char out[64]) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  out[0] = '\0';
  if (ci == NULL || ci->client_addr == NULL) return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 64);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 64);
}

static enum MHD_Result fg_http_access(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls) {
  (void)version;
  fg_http_server *srv = cls;
  fg_http_req *r = *con_cls;
  if (r == NULL) {
    r = fg_xcalloc(1, sizeof *r);
    r->srv = srv;
    r->c = c;
    r->method = method;
    r->t0_ns = fg_http_now_ns();
    r->body = (fg_buf)FG_BUF_INIT;
    r->out = (fg_buf)FG_BUF_INIT;
    r->status = 500;
    snprintf(r->path, sizeof r->path, "%s", url);
    fg_http_addr(c, r->addr);
    *con_cls = r;
    /* A body over the limit is read and dropped, then answered 413 (a
     * client still writing would see a reset instead of the answer); one
     * beyond FG_HTTP_DISCARD_MAX is answered at once. */
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
    r->upload = strcmp(method, "POST") == 0 && strcmp(url, "/api/v1/imports") == 0;
    if (r->upload) { /* checked before a byte of the files is read */
      pthread_mutex_lock(&srv->lock);
      const bool allowed = fg_http_upload_allowed(r);
      pthread_mutex_unlock(&srv->lock);
      /* refused: no file is written; the body is dropped as for a JSON
       * body over the limit, so the client reads the answer */
      if (!allowed && len > FG_HTTP_DISCARD_MAX) return fg_http_send(r);
      if (!allowed) {
        r->refused = true;
        return MHD_YES;
      }
      snprintf(r->updir, sizeof r->updir, "/tmp/fundguard-import-XXXXXX");
      r->updir_made = mkdtemp(r->updir) != NULL;
      r->pp = r->updir_made ? MHD_create_post_processor(c, 64 * 1024, fg_http_part, r) : NULL;
      if (r->pp == NULL) {
        fg_http_error(r, 400, "bad_input", "files", "上传应为 multipart/form-data，每个文件一部分");
        return fg_http_send(r);
      }
      return MHD_YES;
    }
    r->too_large = len > FG_HTTP_JSON_BODY_MAX;
    if (len > FG_HTTP_DISCARD_MAX) {
      fg_http_error(r, 413, "too_large", NULL, "请求体超过 %d 字节 (body too large)",
                    FG_HTTP_JSON_BODY_MAX);
      return fg_http_send(r);
    }
    return MHD_YES;
  }
  if (r->refused && *upload_data_size > 0) { /* no Content-Length: still bounded */
    r->dropped_bytes += *upload_data_size;
    *upload_data_size = 0;
    return r->dropped_bytes > FG_HTTP_DISCARD_MAX ? fg_http_send(r) : MHD_YES;
  }
  if (r->refused) return fg_http_send(r);
  if (r->upload && *upload_data_size > 0) {
    MHD_post_process(r->pp, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    if (r->body.len + *upload_data_size > FG_HTTP_JSON_BODY_MAX) r->too_large = true;
    else fg_buf_add(&r->body, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (r->upload) {
    if (r->upf) fclose(r->upf), r->upf = NULL;
    pthread_mutex_lock(&srv->lock);
    srv->write_gen++;
    fg_http_api_import(r);
    pthread_mutex_unlock(&srv->lock);
    return fg_http_send(r);
  }
  if (r->too_large) {
    fg_http_error(r, 413, "too_large", NULL, "请求体超过 %d 字节 (body too large)",
                  FG_HTTP_JSON_BODY_MAX);
    return fg_http_send(r);
  }
  if (strlen(url) >= FG_HTTP_PATH_MAX) {
    fg_http_error(r, 414, "uri_too_long", NULL, "地址过长 (URI too long)");
    return fg_http_send(r);
  }
  fg_buf_add(&r->body, "", 0); /* an empty body still has a buffer */
  pthread_mutex_lock(&srv->lock);
  fg_http_dispatch(r);
  pthread_mutex_unlock(&srv->lock);
  return fg_http_send(r);
}

/* "ADDR:PORT" (IPv4) into sa. */
static int fg_http_listen_addr(const char *listen, struct sockaddr_in *sa, fg_err *err) {
  const char *colon = strrchr(listen, ':');
  char host[64];
  int64_t port = 0;
  if (colon == NULL || (size_t)(colon - listen) >= sizeof host ||
      !fg_http_parse_i64(colon + 1, 1, 65535, &port))
    return fg_errf(err, FG_EUSAGE, "--listen 应为 地址:端口，如 127.0.0.1:8080 (%s)", listen);
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = '\0';
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
    return fg_errf(err, FG_EUSAGE, "--listen 的地址应为 IPv4 地址，如 127.0.0.1 (%s)", host);
  return 0;
}

static int fg_http_open(fg_http_server *srv, const fg_http_opts *o, fg_err *err) {
  int rc = fg_store_open(o->db, false, &srv->s, err);
  char key_path[FG_AUTHN_PATH_MAX];
  if (rc == 0) rc = fg_authz_load_config(srv->s, srv->cfg, err);
  if (rc == 0) rc = fg_authn_key_path(o->db, o->key, key_path, sizeof key_path, err);
  if (rc == 0) rc = fg_journal_platform_signer(key_path, &srv->platform, err);
  if (rc == 0) rc = fg_journal_platform_check(srv->s, &srv->platform, err);
  if (rc == 0) rc = fg_cases_register();
  return rc;
}

int fg_http_serve(const fg_http_opts *o, fg_err *err) {
  FG_ASSERT(o != NULL && o->db != NULL);
  fg_http_server *srv = fg_xcalloc(1, sizeof *srv);
  srv->o = o;
  srv->cfg = fg_xmalloc(sizeof *srv->cfg);
  snprintf(srv->web_dir, sizeof srv->web_dir, "%s", o->web_dir ? o->web_dir : FG_SOURCE_DIR "/web");
  pthread_mutex_init(&srv->lock, NULL);
  srv->openapi = fg_http_openapi();
  struct sockaddr_in sa;
  int rc = fg_http_listen_addr(o->listen ? o->listen : "127.0.0.1:8080", &sa, err);
  struct stat st;
  if (rc == 0 && stat(srv->web_dir, &st) != 0)
    rc = fg_errf(err, FG_EIO, "找不到工作台文件目录 %s (use --web DIR)", srv->web_dir);
  if (rc == 0) rc = fg_http_open(srv, o, err);
  /* SIGINT and SIGTERM are waited for below; the server's threads inherit
   * the blocked mask, so only sigwait sees them. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (rc == 0) {
    srv->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, fg_http_access, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)FG_HTTP_THREADS, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        fg_http_completed, srv, MHD_OPTION_END);
    if (srv->d == NULL)
      rc = fg_errf(err, FG_EIO, "无法在 %s 上监听（端口被占用？）: %s",
                   o->listen ? o->listen : "127.0.0.1:8080", strerror(errno));
  }
  if (rc == 0) {
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    printf("http://%s:%d/\n", host, (int)ntohs(sa.sin_port));
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "fundguard serve: 收到信号 %d，正在停止 (stopping)\n", sig);
    MHD_stop_daemon(srv->d); /* waits for the requests in flight */
  }
  pthread_mutex_lock(&srv->lock);
  for (int i = 0; i < FG_HTTP_JOBS_MAX; i++)
    if (srv->jobs[i].used) {
      pthread_mutex_unlock(&srv->lock);
      pthread_join(srv->jobs[i].thread, NULL);
      pthread_mutex_lock(&srv->lock);
      free(srv->jobs[i].rules);
      fg_authn_signer_wipe(&srv->jobs[i].me);
    }
  for (int i = 0; i < FG_HTTP_SESSIONS_MAX; i++)
    if (srv->sessions[i].used) fg_http_session_end(&srv->sessions[i]);
  for (int i = 0; i < FG_HTTP_SUMMARY_CACHE; i++) free(srv->summaries[i].json);
  fg_export_regions_free(srv->regions.regions);
  for (int i = 0; i < FG_HTTP_PAGE_CACHE; i++) free(srv->pages[i].key), free(srv->pages[i].json);
  pthread_mutex_unlock(&srv->lock);
  fg_authn_signer_wipe(&srv->platform);
  fg_store_close(srv->s);
  pthread_mutex_destroy(&srv->lock);
  free(srv->openapi);
  free(srv->cfg);
  free(srv);
  return rc;
}
