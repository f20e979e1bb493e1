/*
 * http_impl.h — private to src/http/: the server's state, one request, the
 * route table that both the dispatcher (server.c) and the OpenAPI document
 * (openapi.c) read, and the helpers the endpoint files (api_*.c) share.
 */
#ifndef FG_HTTP_HTTP_IMPL_H
#define FG_HTTP_HTTP_IMPL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "authz/authz.h"
#include "config/config.h"
#include "http/http.h"
#include "journal/journal.h"
#include "store/store.h"

enum {
  FG_HTTP_SESSIONS_MAX = 512,
  FG_HTTP_JSON_BODY_MAX = 1 << 20,    /* web.md: JSON bodies 1 MiB */
  FG_HTTP_DISCARD_MAX = 64 << 20,     /* larger bodies are not even read (413 at once) */
  FG_HTTP_UPLOAD_MB_DEFAULT = 2048,   /* an import's files together (serve --upload-max-mb) */
  FG_HTTP_RATE_SLOTS = 1024,          /* addresses tracked for the login rate limit */
  FG_HTTP_LOGIN_FAILS_PER_MINUTE = 10, /* web.md: more answer 429 */
  FG_HTTP_LIST_DEFAULT = 100,
  FG_HTTP_LIST_MAX = 1000,
  FG_HTTP_PATH_MAX = 512,
  FG_HTTP_SEGS_MAX = 8,
  FG_HTTP_TOKEN_BYTES = 32,           /* session ids and CSRF tokens: 256 random bits */
  FG_HTTP_JOBS_MAX = 64,
  FG_HTTP_SUMMARY_CACHE = 16,         /* run summaries kept (runs never change) */
  FG_HTTP_THREADS = 4,
  FG_HTTP_PAGE_CACHE = 64,            /* masked findings pages kept */
  FG_HTTP_PAGE_CACHE_BYTES = 1 << 20, /* a larger page is not kept */
  FG_HTTP_FILE_BYTES_MAX = 1 << 30,   /* a spreadsheet answered */
};

#define FG_HTTP_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct fg_http_session {
  bool used;
  char id[2 * FG_HTTP_TOKEN_BYTES + 1];
  char csrf[2 * FG_HTTP_TOKEN_BYTES + 1];
  fg_signer me;                       /* unlocked at login; wiped when the session ends */
  char agency[FG_STORE_AGENCY_MAX];
  char roles[256];
  char display_name[FG_STORE_DISPLAY_MAX];
  int64_t last_s;                     /* last request, for the idle timeout */
} fg_http_session;

/* A screening started by POST /runs: run synchronously in its own thread
 * with its own store connection; id is the run id it will have. */
typedef struct fg_http_job {
  bool used;
  int64_t id, run_id;                 /* run_id: the stored run (0 while running) */
  char state[12];                     /* running | done | failed */
  char error[FG_ERR_MSG_MAX];
  char as_of[11];
  char *rules;
  fg_signer me;
  struct fg_http_server *srv;
  pthread_t thread;
  int64_t started_s;
} fg_http_job;

/* The last FG_HTTP_LOGIN_FAILS_PER_MINUTE failed logins of one address (a
 * ring of their times, seconds): a sliding minute, so no burst fits across
 * the turn of a clock minute. */
typedef struct fg_http_rate {
  char addr[64];
  int64_t fail_s[FG_HTTP_LOGIN_FAILS_PER_MINUTE];
  int next;                           /* the oldest of the ring */
  int64_t last_s;                     /* last failure (the slot least recently used is reused) */
} fg_http_rate;

typedef struct fg_http_summary {
  int64_t run;
  char *json;                         /* heap */
} fg_http_summary;

/* The subjects' regions of one run's findings (a scan of persons,
 * settlements and payments: seconds on a large city), kept while the store
 * has not changed: keyed by the run, the store's data_version (commits of
 * other connections: the CLI, a screening job) and the server's own write
 * generation (every state-changing request). */
struct fg_export_regions;
typedef struct fg_http_regions {
  int64_t run, data_version, gen;
  struct fg_export_regions *regions;  /* NULL: empty */
} fg_http_regions;

typedef struct fg_http_server {
  const fg_http_opts *o;
  char web_dir[1024];
  struct MHD_Daemon *d;
  pthread_mutex_t lock;               /* the store connection and everything below */
  fg_store *s;
  fg_config *cfg;
  fg_signer platform;
  fg_http_session sessions[FG_HTTP_SESSIONS_MAX];
  fg_http_rate rate[FG_HTTP_RATE_SLOTS];
  fg_http_job jobs[FG_HTTP_JOBS_MAX];
  fg_http_summary summaries[FG_HTTP_SUMMARY_CACHE];
  int nsummary_next;
  fg_http_regions regions;
  struct { int64_t run, total; } totals[FG_HTTP_SUMMARY_CACHE]; /* findings of a run (never change) */
  int ntotals_next;
  /* masked findings pages (the same for every reader): key, JSON, and the
   * data_version / write generation they were built at */
  struct { char *key, *json; int64_t data_version, gen; } pages[FG_HTTP_PAGE_CACHE];
  int npages_next;
  int64_t write_gen;                  /* state-changing requests served */
  char *openapi;
} fg_http_server;

typedef struct fg_http_req {
  fg_http_server *srv;
  struct MHD_Connection *c;
  const char *method;
  char path[FG_HTTP_PATH_MAX];
  char *seg[FG_HTTP_SEGS_MAX];        /* the path's segments (into segbuf) */
  int nseg;
  char segbuf[FG_HTTP_PATH_MAX];
  fg_buf body;
  bool too_large;
  bool headers_checked;
  fg_http_session *sess;              /* NULL: not logged in */
  char user[FG_STORE_USER_MAX];       /* for the log line */
  char addr[64];
  int64_t t0_ns;
  /* the answer */
  int status;
  fg_buf out;
  const char *ctype;
  char disposition[256];
  char set_cookie[320];
  char *file_path;                    /* answer with this file's bytes (then unlinked) */
  /* POST /imports: multipart files streamed into updir */
  struct MHD_PostProcessor *pp;
  bool upload;
  bool refused;                       /* upload refused: body read and dropped, then answered */
  uint64_t dropped_bytes;             /* of a refused upload, at most FG_HTTP_DISCARD_MAX */
  char updir[64];
  bool updir_made;
  FILE *upf;
  char upname[64];
  int64_t upbytes;
  char upbad[160];                    /* the first bad part (named in the 400) */
  /* a list written as a file (listfile.c): fg_http_paging answers these */
  bool listing;
  int64_t listing_after;
} fg_http_req;

typedef int (*fg_http_handler)(fg_http_req *r);

/* One endpoint: the dispatcher matches method and pattern ({name} matches
 * one segment), checks login, CSRF and the permission, then calls fn. */
typedef struct fg_http_route {
  const char *method, *pattern;
  fg_http_handler fn;
  const char *perm;    /* NULL: login only; "-": public (no login) */
  const char *summary; /* Chinese, for the OpenAPI document */
  const char *query;   /* comma-separated query parameters */
  const char *body;    /* comma-separated JSON body fields ("" none) */
  bool list;           /* a list: limit, cursor, format=csv|xlsx */
  bool own_file;       /* the list answers format= itself (the command line's export) */
} fg_http_route;

extern const fg_http_route fg_http_routes[];
extern const int fg_http_nroutes;

/* ---- answers (server.c) ---- */
/* A JSON error {"error":{"code","message","field"}}; returns 0. */
int fg_http_error(fg_http_req *r, int status, const char *code, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The library's error as an answer: FG_EINPUT 400, FG_EPERM 403, FG_ESTATE
 * 409, not found 404 (by the caller), others 500. */
int fg_http_fail(fg_http_req *r, int rc, const fg_err *err);
/* r->out holds JSON: answer status. */
int fg_http_json(fg_http_req *r, int status);
const char *fg_http_query(fg_http_req *r, const char *key);
/* The parsed JSON body (heap; NULL with a 400 answered when it is not JSON). */
struct fg_journal_json;
struct fg_journal_json *fg_http_body_json(fg_http_req *r);
const char *fg_http_jstr(const struct fg_journal_json *v, const char *key);
/* A whole number from a path segment; false (400 answered) when not. */
bool fg_http_seg_id(fg_http_req *r, int i, int64_t *out);
/* limit and cursor of a list; false (400 answered) when wrong. */
bool fg_http_paging(fg_http_req *r, int *limit, int64_t *after);
/* A decimal integer in [lo, hi]. */
bool fg_http_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
/* A list's route answered as a csv or xlsx file of all its pages
 * (listfile.c); 0 when answered. */
int fg_http_list_file(fg_http_req *r, const fg_http_route *hit, bool xlsx);
/* A private temporary directory for a file an answer carries (never
 * beside the store): made (false: 500 answered), removed; fg_http_send_tmp
 * answers with the file's bytes (at most max_bytes; download names the
 * attachment, NULL shows it inline) and removes it. */
typedef struct fg_http_tmp {
  char dir[64];
  char path[160];
} fg_http_tmp;
bool fg_http_tmp_make(fg_http_req *r, fg_http_tmp *t, const char *name);
void fg_http_tmp_remove(fg_http_tmp *t);
int fg_http_send_tmp(fg_http_req *r, fg_http_tmp *t, size_t max_bytes, const char *ctype,
                     const char *download);
/* The signer of the session (a copy, for functions that wipe theirs). */
void fg_http_signer(const fg_http_req *r, fg_signer *out);
/* Journal a refused permission as the CLI does and answer 403. */
int fg_http_deny(fg_http_req *r, const char *perm, const fg_err *err);
/* The regions of run's findings (borrowed: valid while srv->lock is held). */
int fg_http_regions_of(fg_http_req *r, int64_t run, struct fg_export_regions **out, fg_err *err);
/* Whether the session's user holds perm (no journal entry). */
bool fg_http_may(fg_http_req *r, const char *perm);

/* JSON writing into r->out */
void fg_http_jkey(fg_buf *b, bool *first, const char *key);
void fg_http_jstr_add(fg_buf *b, bool *first, const char *key, const char *v);
void fg_http_jint(fg_buf *b, bool *first, const char *key, int64_t v);
void fg_http_jyuan(fg_buf *b, bool *first, const char *key, int64_t fen);
void fg_http_jbool(fg_buf *b, bool *first, const char *key, bool v);

/* ---- endpoints (api_*.c) ---- */
int fg_http_api_session_login(fg_http_req *r);
int fg_http_api_session_get(fg_http_req *r);
int fg_http_api_session_logout(fg_http_req *r);
int fg_http_api_password(fg_http_req *r);
int fg_http_api_rules(fg_http_req *r);
int fg_http_api_runs(fg_http_req *r);
int fg_http_api_run_start(fg_http_req *r);
int fg_http_api_run_get(fg_http_req *r);
int fg_http_api_run_findings(fg_http_req *r);
int fg_http_api_run_summary(fg_http_req *r);
int fg_http_api_finding(fg_http_req *r);
int fg_http_api_person(fg_http_req *r);
int fg_http_api_proposals(fg_http_req *r);
int fg_http_api_proposal_act(fg_http_req *r);
int fg_http_api_journal_status(fg_http_req *r);
int fg_http_api_journal_checkpoint(fg_http_req *r);
int fg_http_api_cases(fg_http_req *r);
int fg_http_api_case_issue(fg_http_req *r);
int fg_http_api_case_get(fg_http_req *r);
int fg_http_api_case_act(fg_http_req *r);
int fg_http_api_report_monthly(fg_http_req *r);
int fg_http_api_batches(fg_http_req *r);
int fg_http_api_users(fg_http_req *r);
int fg_http_api_import(fg_http_req *r);
/* api_work.c */
int fg_http_api_case_money(fg_http_req *r);
int fg_http_api_case_propose(fg_http_req *r);
int fg_http_api_case_serious(fg_http_req *r);
int fg_http_api_case_attach(fg_http_req *r);
int fg_http_api_case_doc(fg_http_req *r);
int fg_http_api_report_half(fg_http_req *r);
int fg_http_api_inspection_replay(fg_http_req *r);
int fg_http_api_inspection_plan(fg_http_req *r);
int fg_http_api_inspection_open(fg_http_req *r);
int fg_http_api_inspection_problem(fg_http_req *r);
int fg_http_api_inspection_doc(fg_http_req *r);
int fg_http_api_rectifications(fg_http_req *r);
int fg_http_api_rectify_close(fg_http_req *r);
int fg_http_api_tip_file(fg_http_req *r);
int fg_http_api_tips(fg_http_req *r);
int fg_http_api_tip_reveal(fg_http_req *r);
int fg_http_api_tip_issue(fg_http_req *r);
int fg_http_api_tip_reward(fg_http_req *r);
int fg_http_api_tip_decision(fg_http_req *r);
int fg_http_api_proposal_make(fg_http_req *r);
int fg_http_api_journal_list(fg_http_req *r);
int fg_http_api_journal_verify(fg_http_req *r);
/* Before an upload's body is read: login, CSRF and data.import; false with
 * the answer prepared when refused. */
bool fg_http_upload_allowed(fg_http_req *r);

#endif
