/*
 * journal.c — appending entries (journal.h): canonical entry bytes, the
 * covers of stored rows (digests: rowhash.c), Ed25519 signing, the leaf
 * hash; the platform key. (The import's hook, which writes the digests the
 * importer computed while storing, is src/import/import_journal.c.) Verification is in journal_verify.c, checkpoints and
 * proofs in journal_proof.c; both re-derive with the functions here
 * (journal_impl.h). docs/journal.md is the reference for every format.
 */
#include "common/date.h"
#include "journal/journal_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>


static const char FG_JOURNAL_MAGIC[] = FG_JOURNAL_FORMAT "\n";

typedef struct fg_rows_ctx {
  fg_rowhash *h;
  fg_buf enc;
  const fg_table *std; /* the standard table covered, else NULL */
} fg_rows_ctx;

void fg_journal_now(char out[FG_JOURNAL_TIME_MAX]) {
  time_t t = (time_t)fg_beijing_now_s();
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, FG_JOURNAL_TIME_MAX, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

void fg_journal_canonical(const fg_store_journal_row *r, fg_buf *out) {
  FG_ASSERT(r != NULL && out != NULL);
  char pk[65];
  fg_hex(r->pubkey, r->pubkey_len == 32 ? 32 : 0, pk);
  fg_buf_reset(out);
  fg_buf_adds(out, FG_JOURNAL_MAGIC);
  fg_buf_addf(out, "%lld\n%s\n%s\n%s\n%s\n%zu\n", (long long)r->seq, r->at, r->actor, r->action,
              pk, r->payload_len);
  fg_buf_add(out, r->payload, r->payload_len);
  fg_buf_addf(out, "\n%zu\n", r->covers_len);
  fg_buf_add(out, r->covers, r->covers_len);
}

void fg_journal_leaf(const fg_buf *canonical, const uint8_t *sig, size_t sig_len, uint8_t out[32]) {
  crypto_hash_sha256_state st;
  const uint8_t prefix = 0x00;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &prefix, 1);
  crypto_hash_sha256_update(&st, (const uint8_t *)canonical->buf, canonical->len);
  if (sig_len > 0) crypto_hash_sha256_update(&st, sig, sig_len);
  crypto_hash_sha256_final(&st, out);
}

static int fg_journal_rows_cb(void *ud, const char *group, int64_t rowid, const fg_store_cell *cells,
                              int ncells) {
  (void)group;
  fg_rows_ctx *a = ud;
  fg_rowhash_row_begin(&a->enc);
  fg_journal_row_encode(cells, fg_journal_cells_used(a->std, cells, ncells), &a->enc);
  fg_rowhash_add(a->h, rowid, &a->enc);
  return 0;
}

int fg_journal_rows_digest(fg_store *s, const fg_journal_cover *c, fg_rowhash *h, fg_err *err) {
  FG_ASSERT(s != NULL && c != NULL && c->table != NULL && h != NULL);
  fg_rowhash_init(h);
  fg_rows_ctx a = {h, FG_BUF_INIT, fg_schema_by_name(c->table)};
  const char *col = c->column ? c->column : "";
  int rc = fg_store_rows_by(s, c->table, col, *col ? c->value : NULL, fg_journal_rows_cb, &a, err);
  fg_buf_release(&a.enc);
  fg_rowhash_finish(h);
  return rc;
}

int fg_journal_rows_root(fg_store *s, const fg_journal_cover *c, uint8_t root[32], int64_t *count,
                         fg_err *err) {
  FG_ASSERT(root != NULL && count != NULL);
  fg_rowhash h;
  int rc = fg_journal_rows_digest(s, c, &h, err);
  memcpy(root, h.root, 32);
  *count = h.rows;
  fg_rowhash_release(&h);
  return rc;
}

static bool fg_journal_field_ok(const char *s) {
  return s != NULL && strlen(s) < FG_JOURNAL_FIELD_MAX && strpbrk(s, "\t\n\r") == NULL;
}

/* One cover line: table, column, value, rows, root, chunk leaves (hex,
 * only when the group has more than one chunk). */
static void fg_journal_cover_line(const fg_journal_cover *c, const fg_rowhash *h, fg_buf *covers) {
  FG_ASSERT(h->finished);
  char hex[65];
  fg_hex(h->root, 32, hex);
  fg_buf_addf(covers, "%s\t%s\t%s\t%lld\t%s\t", c->table, c->column ? c->column : "",
              c->value ? c->value : "", (long long)h->rows, hex);
  for (int64_t k = 0; h->nchunks > 1 && k < h->nchunks; k++) {
    fg_hex(h->leaves[k], 32, hex);
    fg_buf_add(covers, hex, 64);
  }
  fg_buf_addc(covers, '\n');
}

/* The rows the act wrote in c's table since the transaction's last entry,
 * or the fixed count the caller names. */
static int64_t fg_journal_expected(fg_store *s, const fg_journal_cover *c) {
  return c->rows_fixed > 0 ? c->rows_fixed : fg_store_tx_inserted(s, c->table);
}

static int fg_journal_planted(const fg_journal_cover *c, int64_t want, int64_t have, fg_err *err) {
  return fg_errf(err, FG_EVERIFY,
                 "拒绝签名：表 %s 中 %s=%s 现有 %lld 行，而本操作只写入了 %lld 行；"
                 "多出的行不是本操作写的（数据库可能被篡改），请运行 fundguard log verify",
                 c->table, c->column ? c->column : "", c->value ? c->value : "", (long long)have,
                 (long long)want);
}

static int fg_journal_add_cover(fg_store *s, const fg_journal_cover *c, bool keep_empty,
                                fg_buf *covers, fg_err *err) {
  if (!fg_journal_field_ok(c->table) || !fg_journal_field_ok(c->column ? c->column : "") ||
      !fg_journal_field_ok(c->value ? c->value : ""))
    return fg_errf(err, FG_EINPUT, "日志覆盖范围的名称无效");
  const int64_t want = fg_journal_expected(s, c);
  fg_rowhash h;
  const fg_rowhash *d = c->digest;
  int rc = 0;
  if (d == NULL) { /* read back; the count must be what the act wrote */
    rc = fg_journal_rows_digest(s, c, &h, err);
    d = &h;
  }
  if (rc == 0 && d->rows != want) rc = fg_journal_planted(c, want, d->rows, err);
  if (rc == 0 && (d->rows > 0 || keep_empty)) fg_journal_cover_line(c, d, covers);
  if (d == &h) fg_rowhash_release(&h);
  return rc;
}

/* Every table the transaction wrote since its last entry is covered by
 * this one, with only the kinds of change its policy allows. */
static int fg_journal_written_covered(fg_store *s, const char *action,
                                      const fg_journal_cover *covers, size_t ncovers,
                                      fg_err *err) {
  int n = 0;
  bool overflow = false;
  const fg_store_written *w = fg_store_tx_written(s, &n, &overflow);
  if (overflow) return fg_errf(err, FG_ELIMIT, "一次操作写入的表过多，不能签名");
  for (int i = 0; i < n; i++) {
    if (strcmp(w[i].table, "journal") == 0) continue;
    const fg_journal_policy *p = fg_journal_policy_of(w[i].table);
    bool named = p != NULL && strcmp(p->column, FG_JOURNAL_JSEQ_COLUMN) == 0;
    for (size_t k = 0; !named && k < ncovers; k++) named = strcmp(covers[k].table, w[i].table) == 0;
    if (p == NULL || !named || !fg_journal_policy_allows(p, action) ||
        (w[i].updated > 0 && !p->may_update) || (w[i].deleted > 0 && !p->may_delete))
      return fg_errf(err, FG_EVERIFY,
                     "拒绝签名：操作 %s 改动了表 %s（新增 %lld、修改 %lld、删除 %lld 行），"
                     "这不是该操作可以写的内容（数据库结构或程序被改动？）",
                     action, w[i].table, (long long)w[i].inserted, (long long)w[i].updated,
                     (long long)w[i].deleted);
  }
  return 0;
}

/* Covers: the explicit ones, then every jseq table's rows of this seq
 * (each must hold exactly the rows this act inserted there). */
static int fg_journal_covers(fg_store *s, int64_t seq, const char *action,
                             const fg_journal_cover *covers, size_t ncovers, fg_buf *out,
                             fg_err *err) {
  int rc = fg_journal_written_covered(s, action, covers, ncovers, err);
  for (size_t i = 0; rc == 0 && i < ncovers; i++) rc = fg_journal_add_cover(s, &covers[i], true, out, err);
  const char *names[FG_STORE_WRITTEN_TABLES_MAX];
  const size_t nt = fg_journal_policy_jseq_tables(names, FG_ARRAY_LEN(names));
  char value[32];
  snprintf(value, sizeof value, "%lld", (long long)seq);
  for (size_t t = 0; rc == 0 && t < nt; t++) {
    const fg_journal_cover c = {names[t], FG_JOURNAL_JSEQ_COLUMN, value, NULL, 0};
    rc = fg_journal_add_cover(s, &c, false, out, err);
  }
  return rc;
}

int fg_journal_next_seq(fg_store *s, int64_t *seq, fg_err *err) {
  return fg_store_journal_next_seq(s, seq, err);
}

int fg_journal_append_covered(fg_store *s, const fg_signer *signer, const char *action,
                              const char *payload, size_t payload_len,
                              const fg_journal_cover *covers, size_t ncovers, int64_t *seq_out,
                              fg_err *err) {
  FG_ASSERT(s != NULL && signer != NULL && action != NULL && (payload != NULL || payload_len == 0));
  FG_ASSERT(ncovers <= FG_JOURNAL_COVERS_MAX);
  if (!fg_journal_field_ok(signer->actor) || !fg_journal_field_ok(action) || !signer->actor[0])
    return fg_errf(err, FG_EINPUT, "日志条目的操作人或动作无效");
  char at[FG_JOURNAL_TIME_MAX];
  fg_journal_now(at);
  fg_store_journal_row r = {0};
  int rc = fg_store_journal_next_seq(s, &r.seq, err);
  fg_buf cov = FG_BUF_INIT, canon = FG_BUF_INIT;
  fg_buf_grow(&cov, 1);
  if (rc == 0) rc = fg_journal_covers(s, r.seq, action, covers, ncovers, &cov, err);
  uint8_t sig[crypto_sign_BYTES], leaf[32];
  if (rc == 0) {
    r.at = at, r.actor = signer->actor, r.action = action;
    r.payload = payload ? payload : "", r.payload_len = payload_len;
    r.covers = cov.buf, r.covers_len = cov.len;
    r.pubkey = signer->pk, r.pubkey_len = 32;
    fg_journal_canonical(&r, &canon);
    crypto_sign_ed25519_detached(sig, NULL, (const uint8_t *)canon.buf, canon.len, signer->sk);
    fg_journal_leaf(&canon, sig, sizeof sig, leaf);
    r.sig = sig, r.sig_len = sizeof sig, r.leaf = leaf, r.leaf_len = sizeof leaf;
    rc = fg_store_journal_insert(s, &r, err);
  }
  if (rc == 0) fg_store_tx_written_reset(s); /* the next entry covers only its own rows */
  if (rc == 0 && seq_out) *seq_out = r.seq;
  fg_buf_release(&cov);
  fg_buf_release(&canon);
  return rc;
}

int fg_journal_append(fg_store *s, const fg_signer *signer, const char *action,
                      const char *payload, size_t payload_len, int64_t *seq_out, fg_err *err) {
  return fg_journal_append_covered(s, signer, action, payload, payload_len, NULL, 0, seq_out, err);
}

/* ---- platform key ------------------------------------------------------- */

static int fg_journal_write_key(const char *key_path, const uint8_t sk[64], fg_err *err) {
  int fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return fg_errf(err, FG_EIO, "无法创建平台私钥文件 %s: %s", key_path, strerror(errno));
  char hex[129];
  fg_hex(sk, 64, hex);
  char line[160];
  int n = snprintf(line, sizeof line, "fundguard-platform-key-v1 %s\n", hex);
  bool ok = n > 0 && write(fd, line, (size_t)n) == (ssize_t)n && fsync(fd) == 0;
  sodium_memzero(hex, sizeof hex);
  sodium_memzero(line, sizeof line);
  if (close(fd) != 0) ok = false;
  return ok ? 0 : fg_errf(err, FG_EIO, "无法写入平台私钥文件 %s", key_path);
}

int fg_journal_platform_keygen(fg_store *s, const char *key_path, uint8_t pk_out[32], fg_err *err) {
  FG_ASSERT(s != NULL && key_path != NULL);
  bool found = false;
  uint8_t old[32];
  int rc = fg_store_platform_key_get(s, old, &found, err);
  if (rc != 0) return rc;
  if (found) return fg_errf(err, FG_EINPUT, "数据库已有平台密钥");
  fg_signer sg = {0};
  snprintf(sg.actor, sizeof sg.actor, "%s", FG_JOURNAL_PLATFORM_ACTOR);
  crypto_sign_ed25519_keypair(sg.pk, sg.sk);
  rc = fg_journal_write_key(key_path, sg.sk, err);
  int64_t seq = 0;
  char at[FG_JOURNAL_TIME_MAX];
  fg_journal_now(at);
  if (rc == 0) rc = fg_store_begin(s, err);
  if (rc == 0) {
    rc = fg_store_journal_next_seq(s, &seq, err);
    if (rc == 0) rc = fg_store_platform_key_add(s, sg.pk, at, seq, err);
    const char payload[] = "{\"platform_key\":\"created\"}";
    const fg_journal_cover meta = {"schema_meta", "", NULL, NULL, FG_STORE_SCHEMA_VERSION};
    if (rc == 0)
      rc = fg_journal_append_covered(s, &sg, "platform.init", payload, strlen(payload), &meta, 1,
                                     NULL, err);
    if (rc == 0) rc = fg_store_commit(s, err);
    else fg_store_rollback(s);
  }
  if (rc != 0) unlink(key_path);
  if (rc == 0 && pk_out) memcpy(pk_out, sg.pk, 32);
  sodium_memzero(&sg, sizeof sg);
  return rc;
}

int fg_journal_platform_check(fg_store *s, const fg_signer *platform, fg_err *err) {
  uint8_t pk[32];
  bool found = false;
  int rc = fg_store_platform_key_get(s, pk, &found, err);
  if (rc) return rc;
  if (!found || sodium_memcmp(pk, platform->pk, 32) != 0)
    return fg_errf(err, FG_EPERM,
                   "平台私钥文件不属于这个数据库（公钥不符）：拒绝用它签名。"
                   "请用 --key 或 FUNDGUARD_KEY 指定本数据库的平台私钥");
  return 0;
}

int fg_journal_platform_signer(const char *key_path, fg_signer *out, fg_err *err) {
  FG_ASSERT(key_path != NULL && out != NULL);
  FILE *f = fopen(key_path, "r");
  if (!f) return fg_errf(err, FG_EIO, "无法读取平台私钥文件 %s: %s", key_path, strerror(errno));
  char line[256] = {0};
  bool got = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  const char *tag = "fundguard-platform-key-v1 ";
  size_t bin = 0;
  memset(out, 0, sizeof *out);
  int rc = 0;
  if (!got || strncmp(line, tag, strlen(tag)) != 0 ||
      sodium_hex2bin(out->sk, 64, line + strlen(tag), 128, NULL, &bin, NULL) != 0 || bin != 64)
    rc = fg_errf(err, FG_EINPUT, "平台私钥文件 %s 格式不对", key_path);
  sodium_memzero(line, sizeof line);
  if (rc != 0) return rc;
  crypto_sign_ed25519_sk_to_pk(out->pk, out->sk);
  snprintf(out->actor, sizeof out->actor, "%s", FG_JOURNAL_PLATFORM_ACTOR);
  return 0;
}
