/*
 * journal_proof.c — signed tree heads (checkpoints) and the proof files of
 * `log prove` / `log check-proof` (journal.h). Proofs are computed from the
 * stored leaf hashes (verify re-derives those); proof files use the JSON
 * layout of transparency-dev/merkle's test vectors, base64 hashes.
 */
#include "journal/journal_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static const char FG_CP_MAGIC[] = "fundguard checkpoint v1\n";

typedef struct fg_leaves_acc {
  fg_merkle_hash *h;
  uint64_t n, want;
  bool bad;
} fg_leaves_acc;

static int fg_journal_leaves_cb(void *ud, const fg_store_journal_row *r) {
  fg_leaves_acc *a = ud;
  if (a->n == a->want) return 1;
  if (r->seq != (int64_t)a->n || r->leaf_len != 32) a->bad = true;
  else memcpy(a->h[a->n], r->leaf, 32);
  a->n++;
  return a->bad ? 1 : 0;
}

int fg_journal_load_leaves(fg_store *s, uint64_t n, fg_merkle_hash **out, fg_err *err) {
  FG_ASSERT(s != NULL && out != NULL);
  fg_leaves_acc a = {fg_xcalloc(n ? n : 1, sizeof(fg_merkle_hash)), 0, n, false};
  int rc = fg_store_journal_scan(s, 0, fg_journal_leaves_cb, &a, err);
  if (rc < 0) {
    free(a.h);
    return rc;
  }
  if (a.bad || a.n != n) {
    free(a.h);
    return fg_errf(err, FG_EVERIFY, "日志不足 %llu 条或有缺号，请先运行 log verify",
                   (unsigned long long)n);
  }
  *out = a.h;
  return 0;
}

static void fg_cp_message(const fg_journal_checkpoint *cp, fg_buf *out) {
  char root[65], pk[65];
  fg_hex(cp->root, 32, root);
  fg_hex(cp->pubkey, 32, pk);
  fg_buf_reset(out);
  fg_buf_adds(out, FG_CP_MAGIC);
  fg_buf_addf(out, "size %llu\nroot %s\ntime %s\npubkey %s\n", (unsigned long long)cp->size, root,
              cp->time, pk);
}

int fg_journal_root_at(fg_store *s, int64_t size, uint8_t root[32], int64_t *size_out,
                       fg_err *err) {
  FG_ASSERT(s != NULL && root != NULL && size_out != NULL);
  int64_t n = 0;
  int rc = fg_store_journal_count(s, &n, err);
  if (rc == 0 && size > n)
    rc = fg_errf(err, FG_EVERIFY, "日志只有 %lld 条，少于记录的 %lld 条", (long long)n, (long long)size);
  if (rc) return rc;
  if (size > 0) n = size;
  fg_merkle_hash *leaves = NULL;
  rc = fg_journal_load_leaves(s, (uint64_t)n, &leaves, err);
  if (rc) return rc;
  fg_merkle_root(leaves, (uint64_t)n, root);
  free(leaves);
  *size_out = n;
  return 0;
}

int fg_journal_checkpoint_make(fg_store *s, const fg_signer *signer, fg_journal_checkpoint *cp,
                               fg_err *err) {
  FG_ASSERT(s != NULL && signer != NULL && cp != NULL);
  memset(cp, 0, sizeof *cp);
  int64_t n = 0;
  int rc = fg_store_journal_count(s, &n, err);
  fg_merkle_hash *leaves = NULL;
  if (rc == 0) rc = fg_journal_load_leaves(s, (uint64_t)n, &leaves, err);
  if (rc != 0) return rc;
  cp->size = (uint64_t)n;
  fg_merkle_root(leaves, cp->size, cp->root);
  free(leaves);
  fg_journal_now(cp->time);
  memcpy(cp->pubkey, signer->pk, 32);
  fg_buf m = FG_BUF_INIT;
  fg_cp_message(cp, &m);
  crypto_sign_ed25519_detached(cp->sig, NULL, (const uint8_t *)m.buf, m.len, signer->sk);
  fg_buf_release(&m);
  return 0;
}

void fg_journal_checkpoint_format(const fg_journal_checkpoint *cp, fg_buf *out) {
  fg_cp_message(cp, out);
  char sig[129];
  fg_hex(cp->sig, 64, sig);
  fg_buf_addf(out, "signature %s\n", sig);
}

static bool fg_cp_hex(const char *line, const char *tag, uint8_t *out, size_t n) {
  size_t tl = strlen(tag), bin = 0;
  if (strncmp(line, tag, tl) != 0 || strlen(line + tl) != 2 * n) return false;
  return sodium_hex2bin(out, n, line + tl, 2 * n, NULL, &bin, NULL) == 0 && bin == n;
}

int fg_journal_checkpoint_parse(const char *text, size_t n, fg_journal_checkpoint *cp, fg_err *err) {
  FG_ASSERT(text != NULL && cp != NULL);
  memset(cp, 0, sizeof *cp);
  char *copy = fg_xstrndup(text, n), *save = NULL;
  char *lines[6];
  int nl = 0;
  bool ok = strncmp(copy, FG_CP_MAGIC, strlen(FG_CP_MAGIC)) == 0;
  for (char *l = strtok_r(copy + (ok ? strlen(FG_CP_MAGIC) : 0), "\n", &save); ok && l;
       l = strtok_r(NULL, "\n", &save))
    if (nl < 6) lines[nl++] = l;
    else ok = false;
  char *end = NULL;
  ok = ok && nl == 5 && strncmp(lines[0], "size ", 5) == 0;
  if (ok) cp->size = strtoull(lines[0] + 5, &end, 10);
  ok = ok && end && *end == '\0' && lines[0][5] >= '0' && lines[0][5] <= '9';
  ok = ok && fg_cp_hex(lines[1], "root ", cp->root, 32);
  ok = ok && strncmp(lines[2], "time ", 5) == 0 && strlen(lines[2] + 5) < sizeof cp->time;
  if (ok) snprintf(cp->time, sizeof cp->time, "%s", lines[2] + 5);
  ok = ok && fg_cp_hex(lines[3], "pubkey ", cp->pubkey, 32);
  ok = ok && fg_cp_hex(lines[4], "signature ", cp->sig, 64);
  free(copy);
  if (!ok) return fg_errf(err, FG_EINPUT, "检查点文件格式不对（见 docs/journal.md）");
  fg_buf m = FG_BUF_INIT;
  fg_cp_message(cp, &m);
  int bad = crypto_sign_ed25519_verify_detached(cp->sig, (const uint8_t *)m.buf, m.len, cp->pubkey);
  fg_buf_release(&m);
  if (bad) return fg_errf(err, FG_EVERIFY, "检查点的签名无效");
  return 0;
}

static void fg_proof_b64(fg_buf *out, const uint8_t *h) {
  char b64[64];
  sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
  fg_buf_addf(out, "\"%s\"", b64);
}

static void fg_proof_list(fg_buf *out, const fg_merkle_hash *p, size_t n) {
  fg_buf_adds(out, "  \"proof\": [");
  for (size_t i = 0; i < n; i++) {
    fg_buf_adds(out, i ? ", " : "");
    fg_proof_b64(out, p[i]);
  }
  fg_buf_adds(out, "]\n}\n");
}

int fg_journal_prove_inclusion(fg_store *s, uint64_t idx, uint64_t size, fg_buf *out, fg_err *err) {
  int64_t n = 0;
  int rc = fg_store_journal_count(s, &n, err);
  if (rc != 0) return rc;
  if (size == 0) size = (uint64_t)n;
  if (size > (uint64_t)n)
    return fg_errf(err, FG_EVERIFY, "日志只有 %lld 条，少于 %llu 条", (long long)n,
                   (unsigned long long)size);
  fg_merkle_hash *leaves = NULL, proof[FG_MERKLE_PROOF_MAX], root;
  size_t plen = 0;
  if ((rc = fg_journal_load_leaves(s, size, &leaves, err)) != 0) return rc;
  rc = fg_merkle_inclusion_proof(leaves, size, idx, proof, &plen, err);
  if (rc == 0) {
    fg_merkle_root(leaves, size, root);
    fg_buf_addf(out, "{\n  \"kind\": \"inclusion\",\n  \"leafIdx\": %llu,\n  \"treeSize\": %llu,\n",
                (unsigned long long)idx, (unsigned long long)size);
    fg_buf_adds(out, "  \"root\": ");
    fg_proof_b64(out, root);
    fg_buf_adds(out, ",\n  \"leafHash\": ");
    fg_proof_b64(out, leaves[idx]);
    fg_buf_adds(out, ",\n");
    fg_proof_list(out, proof, plen);
  }
  free(leaves);
  return rc;
}

int fg_journal_prove_consistency(fg_store *s, const fg_journal_checkpoint *cp, fg_buf *out,
                                 fg_err *err) {
  int64_t n = 0;
  int rc = fg_store_journal_count(s, &n, err);
  if (rc != 0) return rc;
  if (cp->size == 0 || cp->size > (uint64_t)n)
    return fg_errf(err, FG_EVERIFY, "无法从 %llu 条的检查点证明到 %lld 条的日志",
                   (unsigned long long)cp->size, (long long)n);
  fg_merkle_hash *leaves = NULL, proof[FG_MERKLE_PROOF_MAX], r1, r2;
  size_t plen = 0;
  if ((rc = fg_journal_load_leaves(s, (uint64_t)n, &leaves, err)) != 0) return rc;
  fg_merkle_root(leaves, cp->size, r1);
  fg_merkle_root(leaves, (uint64_t)n, r2);
  if (memcmp(r1, cp->root, 32) != 0)
    rc = fg_errf(err, FG_EVERIFY, "日志前 %llu 条的树根与检查点不符：历史被改写",
                 (unsigned long long)cp->size);
  if (rc == 0) rc = fg_merkle_consistency_proof(leaves, (uint64_t)n, cp->size, proof, &plen, err);
  if (rc == 0) {
    fg_buf_addf(out, "{\n  \"kind\": \"consistency\",\n  \"size1\": %llu,\n  \"size2\": %lld,\n",
                (unsigned long long)cp->size, (long long)n);
    fg_buf_adds(out, "  \"root1\": ");
    fg_proof_b64(out, r1);
    fg_buf_adds(out, ",\n  \"root2\": ");
    fg_proof_b64(out, r2);
    fg_buf_adds(out, ",\n");
    fg_proof_list(out, proof, plen);
  }
  free(leaves);
  return rc;
}

#define FG_PROOF_VALUE_MAX 64

typedef struct fg_proof_vals {
  uint8_t bytes[FG_MERKLE_PROOF_MAX + 2][FG_PROOF_VALUE_MAX];
  fg_merkle_bytes items[FG_MERKLE_PROOF_MAX + 2];
  size_t n;
} fg_proof_vals;

static int fg_proof_value(fg_proof_vals *v, const fg_journal_json *j, fg_merkle_bytes *out,
                          fg_err *err) {
  size_t len = 0;
  if (!j || j->type != FG_JSON_STR || v->n >= FG_MERKLE_PROOF_MAX + 2 ||
      sodium_base642bin(v->bytes[v->n], FG_PROOF_VALUE_MAX, j->s, j->len, NULL, &len, NULL,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return fg_errf(err, FG_EINPUT, "证明文件中的哈希不是有效的 base64");
  v->items[v->n] = (fg_merkle_bytes){v->bytes[v->n], len};
  *out = v->items[v->n++];
  return 0;
}

static int fg_proof_u64(const fg_journal_json *o, const char *key, uint64_t *out, fg_err *err) {
  const fg_journal_json *j = fg_journal_json_get(o, key);
  if (!j || j->type != FG_JSON_INT || j->neg)
    return fg_errf(err, FG_EINPUT, "证明文件缺少 %s", key);
  *out = j->u;
  return 0;
}

static int fg_proof_items(fg_proof_vals *v, const fg_journal_json *o, size_t *first, size_t *n,
                          fg_err *err) {
  const fg_journal_json *p = fg_journal_json_get(o, "proof");
  *first = v->n;
  *n = 0;
  if (!p || p->type == FG_JSON_NULL) return 0;
  if (p->type != FG_JSON_ARR || p->n > FG_MERKLE_PROOF_MAX)
    return fg_errf(err, FG_EINPUT, "证明文件的 proof 不是哈希列表");
  fg_merkle_bytes b;
  for (size_t i = 0; i < p->n; i++)
    if (fg_proof_value(v, &p->items[i], &b, err) != 0) return FG_EINPUT;
  *n = p->n;
  return 0;
}

static bool fg_proof_is(fg_merkle_bytes b, const uint8_t h[32]) {
  return b.n == 32 && memcmp(b.p, h, 32) == 0;
}

static int fg_check_inclusion(const fg_journal_json *o, fg_proof_vals *v,
                              const fg_journal_checkpoint *cp, fg_buf *msg, fg_err *err) {
  uint64_t idx = 0, size = 0;
  fg_merkle_bytes root, leaf;
  size_t first, n;
  if (fg_proof_u64(o, "leafIdx", &idx, err) || fg_proof_u64(o, "treeSize", &size, err) ||
      fg_proof_value(v, fg_journal_json_get(o, "root"), &root, err) ||
      fg_proof_value(v, fg_journal_json_get(o, "leafHash"), &leaf, err) ||
      fg_proof_items(v, o, &first, &n, err))
    return FG_EINPUT;
  if (size != cp->size || !fg_proof_is(root, cp->root))
    return fg_errf(err, FG_EVERIFY, "证明针对 %llu 条的树，与检查点（%llu 条）不是同一棵树",
                   (unsigned long long)size, (unsigned long long)cp->size);
  int rc = fg_merkle_verify_inclusion(idx, size, leaf, v->items + first, n, root, err);
  if (rc == 0)
    fg_buf_addf(msg, "包含证明有效：第 %llu 条在检查点的 %llu 条日志中\n", (unsigned long long)idx,
                (unsigned long long)size);
  return rc;
}

static int fg_check_consistency(const fg_journal_json *o, fg_proof_vals *v,
                                const fg_journal_checkpoint *cp, fg_buf *msg, fg_err *err) {
  uint64_t s1 = 0, s2 = 0;
  fg_merkle_bytes r1, r2;
  size_t first, n;
  if (fg_proof_u64(o, "size1", &s1, err) || fg_proof_u64(o, "size2", &s2, err) ||
      fg_proof_value(v, fg_journal_json_get(o, "root1"), &r1, err) ||
      fg_proof_value(v, fg_journal_json_get(o, "root2"), &r2, err) ||
      fg_proof_items(v, o, &first, &n, err))
    return FG_EINPUT;
  if (s1 != cp->size || !fg_proof_is(r1, cp->root))
    return fg_errf(err, FG_EVERIFY, "证明的起点（%llu 条）不是这个检查点（%llu 条）",
                   (unsigned long long)s1, (unsigned long long)cp->size);
  int rc = fg_merkle_verify_consistency(s1, s2, r1, r2, v->items + first, n, err);
  if (rc == 0) {
    char hex[65];
    fg_hex(r2.p, 32, hex);
    fg_buf_addf(msg, "一致性证明有效：%llu 条的日志（根 %s）是检查点 %llu 条的延续\n",
                (unsigned long long)s2, hex, (unsigned long long)s1);
  }
  return rc;
}

int fg_journal_check_proof(const char *text, size_t n, const fg_journal_checkpoint *cp, fg_buf *msg,
                           fg_err *err) {
  FG_ASSERT(text != NULL && cp != NULL && msg != NULL);
  fg_journal_json *o = NULL;
  int rc = fg_journal_json_parse(text, n, &o, err);
  if (rc != 0) return rc;
  const fg_journal_json *kind = fg_journal_json_get(o, "kind");
  fg_proof_vals *v = fg_xcalloc(1, sizeof *v);
  if (kind && kind->type == FG_JSON_STR && strcmp(kind->s, "inclusion") == 0)
    rc = fg_check_inclusion(o, v, cp, msg, err);
  else if (kind && kind->type == FG_JSON_STR && strcmp(kind->s, "consistency") == 0)
    rc = fg_check_consistency(o, v, cp, msg, err);
  else
    rc = fg_errf(err, FG_EINPUT, "证明文件的 kind 应为 inclusion 或 consistency");
  free(v);
  fg_journal_json_free(o);
  return rc;
}
