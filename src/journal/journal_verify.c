/*
 * journal_verify.c — `log verify` (journal.h fg_journal_verify): re-derives
 * every entry (sequence, signature, key binding, leaf hash), the tree, the
 * tree head of a checkpoint, and then accounts for every row of every
 * table: a row belongs to the group a journal cover names (table, column,
 * value) and each group's count and chunked digest (rowhash.h) must match
 * the latest cover — a mismatch names the first 4096-row chunk that
 * differs; a row of no group, a group with no rows left, or a table nobody
 * covers is reported by table and rowids. Each table is read once in rowid
 * order (no sort), the tables two at a time on two connections (see
 * fg_jv_tables). Signatures are checked in chunks by several threads.
 */
#include "journal/journal_impl.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define FG_JV_CHUNK_ENTRIES 8192
/* Rows one cover may claim: far above any city (65 M rows at 1 M persons),
 * far below an overflow of the chunk arithmetic. */
#define FG_JOURNAL_COVER_ROWS_MAX ((int64_t)1 << 40)
#define FG_JV_THREADS_MAX 8
#define FG_JV_ACTORS_MAX 65536 /* registered user keys */
/* Groups of one table digested at once in a single unsorted pass. */
#define FG_JV_GROUPS_MAX 65536
#define FG_JV_TOO_MANY_GROUPS (-1000) /* callback code: rescan sorted */

typedef struct fg_jv_entry {
  fg_store_journal_row r; /* pointers into data; blob lengths clamped to ours */
  size_t pubkey_len_stored, sig_len_stored, leaf_len_stored; /* as found in the store */
  char *data;
  uint8_t pk[32], sig[64], leaf[32];
  uint8_t leaf_calc[32];
  bool sig_ok;
} fg_jv_entry;

typedef struct fg_jv_cover {
  char *table, *column, *value;
  int64_t rows, seq;
  uint8_t root[32];
  uint8_t (*leaves)[32]; /* the chunk leaves (heap); [root] for one chunk */
  int64_t nleaves;
  bool seen;
} fg_jv_cover;

typedef struct fg_jv_actor {
  char name[FG_JOURNAL_FIELD_MAX];
  uint8_t pk[32];
  int64_t from_seq;
  bool found;
} fg_jv_actor;

typedef struct fg_jv {
  fg_store *s;
  const fg_journal_verify_opts *o;
  fg_journal_verify_report *rep;
  uint8_t platform_pk[32];
  bool have_platform;
  fg_merkle_stream tree;
  int64_t expected;
  bool cp_taken;
  uint8_t cp_root[32];
  fg_jv_entry *chunk;
  size_t nchunk;
  fg_jv_cover *covers;
  size_t ncovers, cap;
  fg_jv_actor *actors;
  size_t nactors;
  int64_t total_entries; /* for progress */
} fg_jv;

static void fg_jv_problem(fg_jv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fg_jv_problem(fg_jv *v, const char *fmt, ...) {
  v->rep->problems++;
  if (v->rep->problems > FG_JOURNAL_PROBLEMS_LISTED_MAX) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fg_buf_adds(&v->rep->text, line);
  fg_buf_addc(&v->rep->text, '\n');
}

/* ---- entries ------------------------------------------------------------ */

typedef struct fg_jv_work {
  fg_jv_entry *e;
  size_t n;
} fg_jv_work;

static void *fg_jv_worker(void *arg) {
  fg_jv_work *w = arg;
  fg_buf canon = FG_BUF_INIT;
  for (size_t i = 0; i < w->n; i++) {
    fg_jv_entry *e = &w->e[i];
    fg_journal_canonical(&e->r, &canon);
    e->sig_ok = e->pubkey_len_stored == 32 && e->sig_len_stored == 64 &&
                crypto_sign_ed25519_verify_detached(e->sig, (const uint8_t *)canon.buf, canon.len,
                                                    e->pk) == 0;
    fg_journal_leaf(&canon, e->sig, e->r.sig_len, e->leaf_calc);
  }
  fg_buf_release(&canon);
  return NULL;
}

/* The user keys (user_keys), sorted by (user, from_seq): the key that
 * signs an entry of a user at seq is the latest registered at or before
 * seq. A user's key from before a password change stays valid for the
 * entries it signed then, and for nothing later. */
static int fg_jv_key_cmp(const void *a, const void *b) {
  const fg_jv_actor *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->from_seq > y->from_seq) - (x->from_seq < y->from_seq);
}

static int fg_jv_key_row(void *ud, const char *user, const uint8_t pk[32], int64_t from_seq) {
  fg_jv *v = ud;
  if (v->nactors == FG_JV_ACTORS_MAX) return 1;
  fg_jv_actor *a = &v->actors[v->nactors++];
  snprintf(a->name, sizeof a->name, "%s", user);
  memcpy(a->pk, pk, 32);
  a->from_seq = from_seq;
  a->found = true;
  return 0;
}

static int fg_jv_keys_load(fg_jv *v, fg_err *err) {
  int rc = fg_store_user_keys_each(v->s, fg_jv_key_row, v, err);
  if (rc > 0) {
    fg_jv_problem(v, "用户公钥超过 %d 个，其余未能核对", FG_JV_ACTORS_MAX);
    rc = 0;
  }
  qsort(v->actors, v->nactors, sizeof *v->actors, fg_jv_key_cmp);
  return rc;
}

static bool fg_jv_actor_key(fg_jv *v, const char *actor, int64_t seq, uint8_t pk[32]) {
  const fg_jv_actor *best = NULL;
  size_t lo = 0, hi = v->nactors;
  while (lo < hi) { /* first key of actor */
    const size_t mid = (lo + hi) / 2;
    if (strcmp(v->actors[mid].name, actor) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < v->nactors && strcmp(v->actors[i].name, actor) == 0; i++)
    if (v->actors[i].from_seq <= seq) best = &v->actors[i];
  if (best) memcpy(pk, best->pk, 32);
  return best != NULL;
}

/* The chunk leaves of a cover line: hex (more than one chunk) or "" (the
 * root is the only leaf, or there are no rows); they must be as many as
 * the rows need and their root the line's root. Heap, NULL when bad. */
static uint8_t (*fg_jv_cover_leaves(const char *hex, int64_t rows, const uint8_t root[32],
                                    int64_t *n))[32] {
  if (rows < 0 || rows > FG_JOURNAL_COVER_ROWS_MAX) return NULL; /* a tampered count */
  const int64_t want = (rows + FG_JOURNAL_CHUNK_ROWS - 1) / FG_JOURNAL_CHUNK_ROWS;
  const size_t len = strlen(hex);
  *n = len == 0 ? FG_MIN(want, 1) : (int64_t)(len / 64);
  if (*n != want || (len > 0 && (len % 64 != 0 || want < 2))) return NULL;
  uint8_t(*leaves)[32] = fg_xcalloc((size_t)*n + 1, 32);
  if (len == 0) {
    if (*n == 1) memcpy(leaves[0], root, 32);
    return leaves;
  }
  size_t bin = 0;
  uint8_t calc[32];
  if (sodium_hex2bin((uint8_t *)leaves, (size_t)*n * 32, hex, len, NULL, &bin, NULL) == 0 &&
      bin == (size_t)*n * 32) {
    fg_merkle_root((const fg_merkle_hash *)leaves, (uint64_t)*n, calc);
    if (memcmp(calc, root, 32) == 0) return leaves;
  }
  free(leaves);
  return NULL;
}

/* A cover must name a table, column and action the policy allows
 * (journal_policy.c): an entry signed by a valid key still cannot claim
 * rows its act cannot write. */
static bool fg_jv_cover_allowed(fg_jv *v, int64_t seq, const char *action, const char *table,
                                const char *column) {
  const fg_journal_policy *p = fg_journal_policy_of(table);
  if (p == NULL)
    fg_jv_problem(v, "日志第 %lld 条（%s）覆盖了表 %s，没有任何操作可以写这张表", (long long)seq,
                  action, table);
  else if (strcmp(p->column, column) != 0)
    fg_jv_problem(v, "日志第 %lld 条（%s）按列 %s 覆盖表 %s，应按列 %s", (long long)seq, action,
                  column, table, *p->column ? p->column : "（整表）");
  else if (!fg_journal_policy_allows(p, action))
    fg_jv_problem(v, "日志第 %lld 条（%s）覆盖了表 %s，但该操作不能写这张表", (long long)seq,
                  action, table);
  else
    return true;
  return false;
}

static void fg_jv_cover_line(fg_jv *v, int64_t seq, const char *action, char *line) {
  enum { NF = 6 };
  char *f[NF];
  int nf = 0;
  for (char *p = line; nf < NF; nf++) {
    f[nf] = p;
    char *tab = strchr(p, '\t');
    if (!tab) {
      nf++;
      break;
    }
    *tab = '\0';
    p = tab + 1;
  }
  uint8_t root[32];
  size_t bin = 0;
  char *end = NULL;
  long long rows = nf == NF ? strtoll(f[3], &end, 10) : -1;
  int64_t nleaves = 0;
  uint8_t(*leaves)[32] = NULL;
  if (nf == NF && end && !*end && rows >= 0 &&
      sodium_hex2bin(root, 32, f[4], strlen(f[4]), NULL, &bin, NULL) == 0 && bin == 32)
    leaves = fg_jv_cover_leaves(f[5], rows, root, &nleaves);
  if (leaves == NULL) {
    fg_jv_problem(v, "日志第 %lld 条：覆盖范围格式不对", (long long)seq);
    return;
  }
  if (!fg_jv_cover_allowed(v, seq, action, f[0], f[1])) {
    free(leaves);
    return;
  }
  if (v->ncovers == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 64;
    v->covers = fg_xrealloc(v->covers, v->cap * sizeof *v->covers);
  }
  fg_jv_cover *c = &v->covers[v->ncovers++];
  *c = (fg_jv_cover){fg_xstrdup(f[0]), fg_xstrdup(f[1]), fg_xstrdup(f[2]), rows, seq, {0},
                     leaves, nleaves, false};
  memcpy(c->root, root, 32);
}

static void fg_jv_covers(fg_jv *v, const fg_jv_entry *e) {
  char *text = fg_xstrndup(e->r.covers, e->r.covers_len);
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
    fg_jv_cover_line(v, e->r.seq, e->r.action, line);
  free(text);
}

static void fg_jv_check_entry(fg_jv *v, fg_jv_entry *e) {
  const long long seq = (long long)e->r.seq;
  if (e->r.seq != v->expected)
    fg_jv_problem(v, "日志顺序断裂：此处应为第 %lld 条，实为第 %lld 条（条目被删除、插入或重排）",
                  (long long)v->expected, seq);
  v->expected = e->r.seq + 1;
  if (e->pubkey_len_stored != 32 || e->sig_len_stored != 64)
    fg_jv_problem(v, "日志第 %lld 条：公钥或签名长度不对（%zu、%zu 字节）", seq,
                  e->pubkey_len_stored, e->sig_len_stored);
  else if (!e->sig_ok)
    fg_jv_problem(v, "日志第 %lld 条（%s %s）：签名不符，条目内容或签名被改动", seq, e->r.actor,
                  e->r.action);
  if (e->leaf_len_stored != 32 || memcmp(e->leaf, e->leaf_calc, 32) != 0)
    fg_jv_problem(v, "日志第 %lld 条：存储的叶哈希与条目内容不符", seq);
  uint8_t want[32];
  bool known = strcmp(e->r.actor, FG_JOURNAL_PLATFORM_ACTOR) == 0
                   ? (memcpy(want, v->platform_pk, 32), v->have_platform)
                   : fg_jv_actor_key(v, e->r.actor, e->r.seq, want);
  if (!known)
    fg_jv_problem(v, "日志第 %lld 条：签名人 %s 此时没有登记的公钥（初始密码不能签名）", seq,
                  e->r.actor);
  else if (e->r.pubkey_len == 32 && memcmp(want, e->pk, 32) != 0)
    fg_jv_problem(v, "日志第 %lld 条：签名公钥不是 %s 的登记公钥", seq, e->r.actor);
  fg_merkle_stream_push(&v->tree, e->leaf_calc);
  const fg_journal_checkpoint *cp = v->o->checkpoint;
  if (cp && v->tree.n == cp->size) {
    fg_merkle_stream_root(&v->tree, v->cp_root);
    v->cp_taken = true;
  }
  fg_jv_covers(v, e);
}

static void fg_jv_flush(fg_jv *v) {
  int nt = v->o->threads < 1 ? 1 : FG_MIN(v->o->threads, FG_JV_THREADS_MAX);
  pthread_t th[FG_JV_THREADS_MAX];
  fg_jv_work w[FG_JV_THREADS_MAX];
  size_t per = (v->nchunk + (size_t)nt - 1) / (size_t)nt, at = 0;
  for (int t = 0; t < nt; t++) {
    w[t].e = v->chunk + at;
    w[t].n = at < v->nchunk ? FG_MIN(per, v->nchunk - at) : 0;
    at += w[t].n;
  }
  for (int t = 1; t < nt; t++)
    if (pthread_create(&th[t], NULL, fg_jv_worker, &w[t]) != 0) fg_jv_worker(&w[t]), th[t] = 0;
  fg_jv_worker(&w[0]);
  for (int t = 1; t < nt; t++)
    if (th[t]) pthread_join(th[t], NULL);
  for (size_t i = 0; i < v->nchunk; i++) {
    fg_jv_check_entry(v, &v->chunk[i]);
    free(v->chunk[i].data);
  }
  v->nchunk = 0;
  if (v->o->progress)
    v->o->progress(v->o->progress_ud, "核对日志 entries", v->tree.n, (uint64_t)v->total_entries);
}

/* Copy the row r into e (lengths clamped, data on the heap). */
static int fg_jv_copy_into(fg_jv *v, fg_jv_entry *e, const fg_store_journal_row *r) {
  (void)v;
  memset(e, 0, sizeof *e);
  size_t la = strlen(r->at) + 1, lc = strlen(r->actor) + 1, ln = strlen(r->action) + 1;
  e->data = fg_xmalloc(la + lc + ln + r->payload_len + r->covers_len + 2);
  char *p = e->data;
  e->r = *r;
  e->r.at = memcpy(p, r->at, la), p += la;
  e->r.actor = memcpy(p, r->actor, lc), p += lc;
  e->r.action = memcpy(p, r->action, ln), p += ln;
  e->r.payload = memcpy(p, r->payload, r->payload_len), p += r->payload_len;
  *p++ = '\0';
  e->r.covers = memcpy(p, r->covers, r->covers_len), p += r->covers_len;
  *p = '\0';
  /* A tampered store may hold blobs of any size: keep at most what an
   * entry has, and the stored sizes for the report. */
  e->pubkey_len_stored = r->pubkey_len, e->sig_len_stored = r->sig_len;
  e->leaf_len_stored = r->leaf_len;
  e->r.pubkey_len = FG_MIN(r->pubkey_len, 32), e->r.sig_len = FG_MIN(r->sig_len, 64);
  e->r.leaf_len = FG_MIN(r->leaf_len, 32);
  if (e->r.pubkey_len) memcpy(e->pk, r->pubkey, e->r.pubkey_len);
  if (e->r.sig_len) memcpy(e->sig, r->sig, e->r.sig_len);
  if (e->r.leaf_len) memcpy(e->leaf, r->leaf, e->r.leaf_len);
  e->r.pubkey = e->pk, e->r.sig = e->sig, e->r.leaf = e->leaf;
  return 0;
}

static int fg_jv_copy(void *ud, const fg_store_journal_row *r) {
  fg_jv *v = ud;
  fg_jv_copy_into(v, &v->chunk[v->nchunk++], r);
  if (v->nchunk == FG_JV_CHUNK_ENTRIES) fg_jv_flush(v);
  return 0;
}

/* ---- anchors: pinned key and checkpoint --------------------------------- */

static void fg_jv_anchors(fg_jv *v) {
  const fg_journal_verify_opts *o = v->o;
  if (!v->have_platform) fg_jv_problem(v, "数据库中没有平台公钥 (platform_keys)");
  if (o->pin_pubkey && v->have_platform && memcmp(o->pin_pubkey, v->platform_pk, 32) != 0)
    fg_jv_problem(v, "数据库中的平台公钥与 --pubkey 给出的不同：数据库被换了密钥并重新签名");
  const fg_journal_checkpoint *cp = o->checkpoint;
  if (!cp) return;
  if (o->pin_pubkey && memcmp(o->pin_pubkey, cp->pubkey, 32) != 0)
    fg_jv_problem(v, "检查点的平台公钥与 --pubkey 给出的不同");
  if (v->have_platform && memcmp(cp->pubkey, v->platform_pk, 32) != 0)
    fg_jv_problem(v, "数据库中的平台公钥与检查点的不同：数据库被换了密钥并重新签名");
  if (cp->size > v->rep->entries)
    fg_jv_problem(v, "日志只有 %llu 条，少于检查点记录的 %llu 条：日志尾部被截断",
                  (unsigned long long)v->rep->entries, (unsigned long long)cp->size);
  if (cp->size == 0) {
    fg_merkle_stream empty;
    fg_merkle_stream_init(&empty);
    fg_merkle_stream_root(&empty, v->cp_root);
    v->cp_taken = true;
  }
  if (cp->size <= v->rep->entries && (!v->cp_taken || memcmp(v->cp_root, cp->root, 32) != 0))
    fg_jv_problem(v, "日志前 %llu 条的树根与检查点不符：检查点之前的历史被改写",
                  (unsigned long long)cp->size);
}

/* ---- coverage of stored rows -------------------------------------------- */

static int fg_jv_cover_cmp(const void *a, const void *b) {
  const fg_jv_cover *x = a, *y = b;
  int c = strcmp(x->table, y->table);
  if (!c) c = strcmp(x->column, y->column);
  if (!c) c = strcmp(x->value, y->value);
  if (!c) c = (x->seq > y->seq) - (x->seq < y->seq);
  return c;
}

/* Sort and keep the latest cover of each (table, column, value). */
static void fg_jv_covers_settle(fg_jv *v) {
  if (v->ncovers == 0) return;
  qsort(v->covers, v->ncovers, sizeof *v->covers, fg_jv_cover_cmp);
  size_t out = 0;
  for (size_t i = 0; i < v->ncovers; i++) {
    fg_jv_cover *c = &v->covers[i];
    bool later = i + 1 < v->ncovers && !strcmp(c->table, c[1].table) &&
                 !strcmp(c->column, c[1].column) && !strcmp(c->value, c[1].value);
    const fg_journal_policy *p = fg_journal_policy_of(c->table);
    if (later && (p == NULL || !p->supersede))
      fg_jv_problem(v, "日志第 %lld 条再次覆盖了表 %s 中 %s=%s 的行（已由第 %lld 条覆盖）；"
                    "每组行只能由写入它们的那一条覆盖",
                    (long long)c[1].seq, c->table, c->column, c->value, (long long)c->seq);
    if (later) {
      free(c->table), free(c->column), free(c->value), free(c->leaves);
      continue;
    }
    v->covers[out++] = *c;
  }
  v->ncovers = out;
}

static fg_jv_cover *fg_jv_find(fg_jv *v, const char *table, const char *column, const char *value) {
  fg_jv_cover key = {(char *)table, (char *)column, (char *)value, 0, INT64_MIN, {0}, NULL, 0,
                     false};
  size_t lo = 0, hi = v->ncovers;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    key.seq = v->covers[mid].seq;
    int c = fg_jv_cover_cmp(&key, &v->covers[mid]);
    if (c == 0) return &v->covers[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

/* One table's scan in rowid order (no sort), each row added to the digest
 * of its group (the cover column's value); the open groups are kept
 * sorted by value. Past FG_JV_GROUPS_MAX groups the table is scanned
 * again ordered by group, one group open at a time. */
typedef struct fg_jv_group {
  char *name;
  fg_rowhash h;
} fg_jv_group;

typedef struct fg_jv_scan {
  fg_jv *v;
  const char *table, *column;
  const fg_table *std; /* the standard table of that name, else NULL */
  /* schema_meta: the rows platform.init recorded (-1: another table); a
   * later migration's row is not in that cover (see fg_jv_row) */
  int64_t meta_covered;
  fg_jv_group *groups;
  size_t ngroups, cap, cur;
  bool sorted; /* rows arrive ordered by group */
  fg_buf enc;
} fg_jv_scan;

/* The rowid range of the group (for rows no entry covers). */
static void fg_jv_rowids(const fg_rowhash *h, char *out, size_t size) {
  snprintf(out, size, "%lld–%lld", h->nchunks ? (long long)h->first[0] : 0,
           h->nchunks ? (long long)h->last[h->nchunks - 1] : 0);
}

/* The first chunk whose leaf differs from the cover's, described by the
 * rowids it holds now (or where the rows end). */
static void fg_jv_first_diff(const fg_jv_cover *c, const fg_rowhash *h, char *out, size_t size) {
  int64_t k = 0;
  while (k < h->nchunks && k < c->nleaves && memcmp(h->leaves[k], c->leaves[k], 32) == 0) k++;
  if (k < h->nchunks)
    snprintf(out, size, "第 %lld 块（每块 %d 行）起不同：现存 rowid %lld–%lld", (long long)k + 1,
             FG_JOURNAL_CHUNK_ROWS, (long long)h->first[k], (long long)h->last[k]);
  else
    snprintf(out, size, "前 %lld 块（每块 %d 行）相同，其后的行不在了（现存最后 rowid %lld）",
             (long long)k, FG_JOURNAL_CHUNK_ROWS,
             h->nchunks ? (long long)h->last[h->nchunks - 1] : 0LL);
}

static void fg_jv_group_end(fg_jv_scan *sc, const char *group, fg_rowhash *h) {
  fg_jv *v = sc->v;
  fg_rowhash_finish(h);
  char ids[256];
  fg_jv_rowids(h, ids, sizeof ids);
  fg_jv_cover *c = fg_jv_find(v, sc->table, sc->column, group);
  if (!c) {
    if (*sc->column)
      fg_jv_problem(v, "表 %s 中 %s=%s 的 %lld 行（rowid %s）没有任何日志条目覆盖", sc->table,
                    sc->column, group, (long long)h->rows, ids);
    else
      fg_jv_problem(v, "表 %s 的 %lld 行（rowid %s）没有任何日志条目覆盖（未知的表或行）",
                    sc->table, (long long)h->rows, ids);
  } else {
    c->seen = true;
    if (c->rows != h->rows || memcmp(c->root, h->root, 32) != 0) {
      fg_jv_first_diff(c, h, ids, sizeof ids);
      fg_jv_problem(v,
                    "表 %s 中 %s=%s 的行与日志第 %lld 条不符：日志记录 %lld 行，现存 %lld 行"
                    "（%s）；有行被改动、删除、插入或重排",
                    sc->table, sc->column, group, (long long)c->seq, (long long)c->rows,
                    (long long)h->rows, ids);
    } else {
      v->rep->rows_covered += h->rows;
    }
  }
}

/* Report every open group (in value order) and close them. */
static void fg_jv_groups_end(fg_jv_scan *sc, bool report) {
  for (size_t i = 0; i < sc->ngroups; i++) {
    if (report) fg_jv_group_end(sc, sc->groups[i].name, &sc->groups[i].h);
    fg_rowhash_release(&sc->groups[i].h);
    free(sc->groups[i].name);
  }
  sc->ngroups = 0;
  sc->cur = 0;
}

/* The open group named group (opened if new); NULL past the limit. */
static fg_jv_group *fg_jv_group_get(fg_jv_scan *sc, const char *group) {
  size_t lo = 0, hi = sc->ngroups;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    const int c = strcmp(group, sc->groups[mid].name);
    if (c == 0) return &sc->groups[sc->cur = mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  if (sc->sorted) fg_jv_groups_end(sc, true), lo = 0;
  if (sc->ngroups == FG_JV_GROUPS_MAX) return NULL;
  if (sc->ngroups == sc->cap) {
    sc->cap = sc->cap ? sc->cap * 2 : 16;
    sc->groups = fg_xrealloc(sc->groups, sc->cap * sizeof *sc->groups);
  }
  memmove(&sc->groups[lo + 1], &sc->groups[lo], (sc->ngroups - lo) * sizeof *sc->groups);
  sc->ngroups++;
  sc->groups[lo].name = fg_xstrdup(group);
  fg_rowhash_init(&sc->groups[lo].h);
  return &sc->groups[sc->cur = lo];
}

static int fg_jv_row(void *ud, const char *group, int64_t rowid, const fg_store_cell *cells,
                     int ncells) {
  fg_jv_scan *sc = ud;
  if (sc->meta_covered >= 0 && rowid > sc->meta_covered) {
    /* A migration applied after init (schema_meta's rowid is the version):
     * accepted when it is one this program knows; that the schema is the
     * one its migrations make is the schema check's (fg_jv_schema). */
    if (rowid > FG_STORE_SCHEMA_VERSION)
      fg_jv_problem(sc->v, "表 schema_meta 中有本程序不认识的结构版本 %lld", (long long)rowid);
    else sc->v->rep->rows_covered++;
    return 0;
  }
  fg_jv_group *g = sc->cur < sc->ngroups && strcmp(group, sc->groups[sc->cur].name) == 0
                       ? &sc->groups[sc->cur]
                       : fg_jv_group_get(sc, group);
  if (g == NULL) return FG_JV_TOO_MANY_GROUPS;
  fg_rowhash_row_begin(&sc->enc);
  fg_journal_row_encode(cells, fg_journal_cells_used(sc->std, cells, ncells), &sc->enc);
  fg_rowhash_add(&g->h, rowid, &sc->enc);
  return 0;
}

/* The one cover column of a table ("" = whole table), NULL when no entry
 * covers it; a table covered by two different columns is a problem. */
static const char *fg_jv_table_column(fg_jv *v, const char *table) {
  const char *col = NULL;
  for (size_t i = 0; i < v->ncovers; i++) {
    if (strcmp(v->covers[i].table, table) != 0) continue;
    if (col && strcmp(col, v->covers[i].column) != 0) {
      fg_jv_problem(v, "表 %s 被不同的列 (%s, %s) 覆盖", table, col, v->covers[i].column);
      continue;
    }
    col = v->covers[i].column;
  }
  return col;
}

static int fg_jv_table(fg_jv *v, fg_store *s, const char *table, fg_err *err) {
  const char *col = fg_jv_table_column(v, table);
  fg_jv_scan sc = {.v = v, .table = table, .column = col ? col : "", .meta_covered = -1,
                   .std = fg_schema_by_name(table)};
  if (strcmp(table, "schema_meta") == 0) {
    const fg_jv_cover *c = fg_jv_find(v, table, sc.column, "");
    sc.meta_covered = c ? c->rows : -1;
  }
  sc.enc = (fg_buf)FG_BUF_INIT;
  int rc = fg_store_rows_grouped(s, table, sc.column, fg_jv_row, &sc, err);
  if (rc == FG_JV_TOO_MANY_GROUPS) { /* many small groups: sort instead */
    fg_jv_groups_end(&sc, false);
    sc.sorted = true;
    rc = fg_store_rows_by(s, table, sc.column, NULL, fg_jv_row, &sc, err);
    FG_ASSERT(rc != FG_JV_TOO_MANY_GROUPS);
  }
  fg_jv_groups_end(&sc, rc == 0);
  free(sc.groups);
  fg_buf_release(&sc.enc);
  if (rc != 0) return rc;
  for (size_t i = 0; i < v->ncovers; i++) {
    fg_jv_cover *c = &v->covers[i];
    if (strcmp(c->table, table) != 0 || c->seen || c->rows == 0) continue;
    fg_jv_problem(v, "表 %s 中 %s=%s 的 %lld 行已不存在（日志第 %lld 条记录了它们）", table,
                  c->column, c->value, (long long)c->rows, (long long)c->seq);
    c->seen = true;
  }
  return 0;
}

/* The tables are read by two threads (one when o->threads is 1), each on a
 * connection of its own (fg_store_pair_each: the caller's and a reader), largest
 * table first (by rowid bounds: the two biggest of a city are half its rows
 * each), each table whole by one thread as before. A table's problems go to
 * a report of its own and are merged in name order afterwards, so the text
 * is the same whatever thread read what. A cover belongs to one table, so
 * the threads write disjoint covers (seen); the covers array itself is only
 * read. As before, each table is one statement: its own read snapshot. */
typedef struct fg_jv_task {
  const char *name;
  int64_t rows_est;
  fg_journal_verify_report rep; /* this table's problems and rows covered */
  int rc;
  fg_err err;
} fg_jv_task;

typedef struct fg_jv_tables_run {
  fg_jv *v;
  fg_jv_task *tasks;
  int *order; /* task indices, largest first */
  int n, done;
  pthread_mutex_t mu; /* done, and the progress callback */
} fg_jv_tables_run;

/* The i-th largest table on conn (fg_store_pair_each); never stops the
 * others: every table is read, whatever another one held. */
static int fg_jv_table_each(void *ctx, fg_store *conn, size_t i) {
  fg_jv_tables_run *run = ctx;
  fg_jv_task *t = &run->tasks[run->order[i]];
  fg_jv tv = *run->v; /* problems of this table to t->rep */
  tv.rep = &t->rep;
  t->rc = fg_jv_table(&tv, conn, t->name, &t->err);
  pthread_mutex_lock(&run->mu);
  run->done++;
  const fg_journal_verify_opts *o = run->v->o;
  if (o->progress) o->progress(o->progress_ud, "核对数据 tables", (uint64_t)run->done, (uint64_t)run->n);
  pthread_mutex_unlock(&run->mu);
  return 0;
}

static int fg_jv_task_cmp(const void *a, const void *b, void *ud) {
  const fg_jv_task *t = ud;
  const int64_t x = t[*(const int *)a].rows_est, y = t[*(const int *)b].rows_est;
  if (x != y) return x > y ? -1 : 1;
  return *(const int *)a - *(const int *)b;
}

/* Append a table's problems to the whole report, under its cap. */
static void fg_jv_merge(fg_journal_verify_report *rep, const fg_jv_task *t) {
  rep->rows_covered += t->rep.rows_covered;
  const char *p = t->rep.text.buf ? t->rep.text.buf : "";
  for (int64_t i = 0; i < t->rep.problems; i++) {
    rep->problems++;
    const char *nl = strchr(p, '\n');
    if (nl == NULL) continue; /* past the table's own cap: counted only */
    if (rep->problems <= FG_JOURNAL_PROBLEMS_LISTED_MAX) fg_buf_add(&rep->text, p, (size_t)(nl - p) + 1);
    p = nl + 1;
  }
}

static int fg_jv_tables(fg_jv *v, fg_err *err) {
  char **names = NULL;
  int n = 0;
  int rc = fg_store_tables(v->s, &names, &n, err);
  fg_jv_task *tasks = fg_xcalloc((size_t)(n > 0 ? n : 1), sizeof *tasks);
  int *order = fg_xcalloc((size_t)(n > 0 ? n : 1), sizeof *order);
  int m = 0;
  for (int i = 0; rc == 0 && i < n; i++) {
    if (strcmp(names[i], "journal") == 0) continue;
    fg_jv_task *t = &tasks[m];
    t->name = names[i];
    t->rep.text = (fg_buf)FG_BUF_INIT;
    const fg_table *std = fg_schema_by_name(names[i]);
    int64_t lo = 1, hi = 0;
    if (std != NULL && fg_store_rowid_bounds(v->s, std->id, &lo, &hi, err) != 0) rc = FG_EDB;
    t->rows_est = hi >= lo ? hi - lo + 1 : 0;
    order[m] = m;
    m++;
  }
  if (rc == 0) {
    qsort_r(order, (size_t)m, sizeof *order, fg_jv_task_cmp, tasks);
    fg_jv_tables_run run = {.v = v, .tasks = tasks, .order = order, .n = m};
    pthread_mutex_init(&run.mu, NULL);
    if (v->o->threads > 1) {
      (void)fg_store_pair_each(v->s, fg_jv_table_each, &run, (size_t)m);
    } else {
      for (int i = 0; i < m; i++) (void)fg_jv_table_each(&run, v->s, (size_t)i);
    }
    pthread_mutex_destroy(&run.mu);
    for (int i = 0; i < m; i++) { /* name order, as the tables were listed */
      if (rc == 0 && tasks[i].rc != 0) {
        rc = tasks[i].rc;
        *err = tasks[i].err;
      }
      fg_jv_merge(v->rep, &tasks[i]);
    }
  }
  for (int i = 0; i < m; i++) fg_buf_release(&tasks[i].rep.text);
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  free(tasks);
  free(order);
  v->rep->tables = n;
  /* covers naming a table that no longer exists (dropped) */
  for (size_t i = 0; rc == 0 && i < v->ncovers; i++) {
    fg_jv_cover *c = &v->covers[i];
    if (c->seen || c->rows == 0) continue;
    fg_jv_problem(v, "表 %s 已不存在（日志第 %lld 条记录了其中 %s=%s 的 %lld 行）", c->table,
                  (long long)c->seq, c->column, c->value, (long long)c->rows);
  }
  return rc;
}

/* The schema against the migrations' (store.h fg_store_schema_check). */
static int fg_jv_schema(fg_jv *v, fg_err *err) {
  fg_buf report = FG_BUF_INIT;
  int problems = 0;
  int rc = fg_store_schema_check(v->s, &report, &problems, err);
  char *save = NULL;
  for (char *l = report.buf ? strtok_r(report.buf, "\n", &save) : NULL; rc == 0 && l;
       l = strtok_r(NULL, "\n", &save))
    fg_jv_problem(v, "%s", l);
  fg_buf_release(&report);
  return rc;
}

int fg_journal_verify(fg_store *s, const fg_journal_verify_opts *o, fg_journal_verify_report *rep,
                      fg_err *err) {
  FG_ASSERT(s != NULL && o != NULL && rep != NULL);
  memset(rep, 0, sizeof *rep);
  rep->anchored = o->pin_pubkey != NULL || o->checkpoint != NULL;
  fg_jv v = {.s = s, .o = o, .rep = rep};
  fg_merkle_stream_init(&v.tree);
  v.chunk = fg_xcalloc(FG_JV_CHUNK_ENTRIES, sizeof *v.chunk);
  v.actors = fg_xcalloc(FG_JV_ACTORS_MAX, sizeof *v.actors);
  int rc = fg_store_platform_key_get(s, v.platform_pk, &v.have_platform, err);
  if (rc == 0) rc = fg_jv_keys_load(&v, err);
  if (rc == 0) rc = fg_store_journal_count(s, &v.total_entries, err);
  if (rc == 0) rc = fg_store_journal_scan(s, 0, fg_jv_copy, &v, err);
  if (rc == 0) fg_jv_flush(&v);
  for (size_t i = 0; i < v.nchunk; i++) free(v.chunk[i].data);
  rep->entries = v.tree.n;
  fg_merkle_stream_root(&v.tree, rep->root);
  if (rc == 0) fg_jv_anchors(&v);
  if (rc == 0) {
    fg_jv_covers_settle(&v);
    rc = fg_jv_tables(&v, err);
  }
  if (rc == 0) rc = fg_jv_schema(&v, err);
  for (size_t i = 0; i < v.ncovers; i++)
    free(v.covers[i].table), free(v.covers[i].column), free(v.covers[i].value),
        free(v.covers[i].leaves);
  free(v.covers);
  free(v.chunk);
  free(v.actors);
  if (rc != 0) return rc;
  if (rep->problems > 0)
    return fg_errf(err, FG_EVERIFY, "日志校验失败：发现 %lld 处不符", (long long)rep->problems);
  return 0;
}

/* ---- one entry ---------------------------------------------------------- */

typedef struct fg_je_one {
  int64_t seq;
  fg_jv_entry e;
  bool got;
} fg_je_one;

static int fg_je_take(void *ud, const fg_store_journal_row *r) {
  fg_je_one *o = ud;
  if (r->seq != o->seq) return 1;
  fg_jv v = {0};
  v.chunk = &o->e;
  (void)fg_jv_copy_into(&v, &o->e, r);
  o->got = true;
  return 1;
}

int fg_journal_entry_check(fg_store *s, int64_t seq, fg_err *err) {
  FG_ASSERT(s != NULL && seq >= 0);
  fg_je_one o = {.seq = seq};
  int rc = fg_store_journal_scan(s, seq, fg_je_take, &o, err);
  if (rc < 0) return rc;
  if (!o.got) return fg_errf(err, FG_EVERIFY, "日志第 %lld 条不存在", (long long)seq);
  fg_jv_work w = {&o.e, 1};
  fg_jv_worker(&w);
  uint8_t want[32];
  bool known = false;
  if (strcmp(o.e.r.actor, FG_JOURNAL_PLATFORM_ACTOR) == 0)
    rc = fg_store_platform_key_get(s, want, &known, err);
  else
    rc = fg_store_user_key_at(s, o.e.r.actor, seq, want, &known, err);
  const bool ok = rc == 0 && known && o.e.sig_ok && memcmp(want, o.e.pk, 32) == 0 &&
                  o.e.leaf_len_stored == 32 && memcmp(o.e.leaf, o.e.leaf_calc, 32) == 0;
  free(o.e.data);
  if (rc) return rc;
  return ok ? 0
            : fg_errf(err, FG_EVERIFY, "日志第 %lld 条的签名或叶哈希不符（数据库可能被篡改）",
                      (long long)seq);
}
