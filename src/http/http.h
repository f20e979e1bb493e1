/*
 * http.h — `fundguard serve`: the JSON API of web.md (base /api/v1, its
 * OpenAPI document at /api/openapi.json) and the Simplified Chinese
 * workbench (static files of web/), in one process on libmicrohttpd.
 *
 * How it fits. The server is a front end like the CLI: every endpoint
 * calls the same library function as the command (fg_case_*, fg_review_*,
 * fg_export_findings, ...), after the same permission check
 * (fg_authz_check_signer) and with the same journal entries; a refusal is
 * journaled exactly as on the command line. A login unlocks the user's
 * signing key (fg_authn_login) and keeps it in the session's memory only,
 * so every act is signed personally; the key is wiped at logout, at idle
 * expiry and when the password changes. Design: docs/web.md.
 */
#ifndef FG_HTTP_HTTP_H
#define FG_HTTP_HTTP_H

#include "common/fg.h"

typedef struct fg_http_opts {
  const char *db;      /* the store */
  const char *listen;  /* "ADDR:PORT", default 127.0.0.1:8080 */
  const char *key;     /* platform key file (NULL: --key rules of the CLI) */
  const char *web_dir; /* the workbench's files (NULL: built-in default) */
  int upload_max_mb;   /* an import's files together (0: 2048) */
} fg_http_opts;

/* Serve until SIGINT or SIGTERM; prints the URL on stdout once it accepts
 * connections, one line per request on stderr. Requests in flight finish;
 * the store is closed. */
int fg_http_serve(const fg_http_opts *o, fg_err *err);

/* The OpenAPI 3.0 document of every endpoint (heap, free()). */
char *fg_http_openapi(void);

#endif
