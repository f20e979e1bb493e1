/*
 * test_merkle.c — RFC 6962 Merkle trees (journal/merkle.h) against public
 * references: the 8-leaf root set (tests/data/rfc6962/leaves.csv, roots.csv)
 * and every transparency-dev/merkle inclusion and consistency vector, each
 * driven by its wantErr; then our own trees: every proof of random trees
 * verifies, and any one flipped byte makes it fail.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "journal/json.h"
#include "journal/merkle.h"

#define T_MAX_ITEMS 80
#define T_MAX_BYTES 256
#define T_MAX_PATH 4096

typedef struct {
  uint8_t bytes[T_MAX_ITEMS][T_MAX_BYTES];
  fg_merkle_bytes items[T_MAX_ITEMS];
  size_t n;
} t_vec;

static fg_merkle_bytes t_b64(t_vec *v, const fg_journal_json *j) {
  assert_non_null(j);
  assert_int_equal(j->type, FG_JSON_STR);
  assert_true(v->n < T_MAX_ITEMS);
  size_t len = 0;
  uint8_t *dst = v->bytes[v->n];
  assert_int_equal(sodium_base642bin(dst, T_MAX_BYTES, j->s, j->len, NULL, &len, NULL,
                                     sodium_base64_VARIANT_ORIGINAL), 0);
  fg_merkle_bytes b = {dst, len};
  v->items[v->n++] = b;
  return b;
}

/* "proof": null or a list of base64 strings; returns the first item. */
static const fg_merkle_bytes *t_proof(t_vec *v, const fg_journal_json *j, size_t *len) {
  assert_non_null(j);
  size_t first = v->n;
  *len = 0;
  if (j->type == FG_JSON_NULL) return NULL;
  assert_int_equal(j->type, FG_JSON_ARR);
  for (size_t i = 0; i < j->n; i++) t_b64(v, &j->items[i]);
  *len = j->n;
  return &v->items[first];
}

static uint64_t t_int(const fg_journal_json *o, const char *key) {
  const fg_journal_json *j = fg_journal_json_get(o, key);
  assert_non_null(j);
  assert_int_equal(j->type, FG_JSON_INT);
  assert_false(j->neg);
  return j->u;
}

/* Run one vector file; returns 1 when it must verify, 0 when it must not. */
static int t_run_vector(const char *path, bool inclusion, int *checked) {
  size_t n;
  char *text = fg_test_read(path, &n);
  assert_non_null(text);
  fg_journal_json *o = NULL;
  fg_err err = {0};
  assert_int_equal(fg_journal_json_parse(text, n, &o, &err), 0);
  const fg_journal_json *want = fg_journal_json_get(o, "wantErr");
  assert_non_null(want);
  t_vec *v = calloc(1, sizeof *v);
  size_t plen;
  int rc;
  if (inclusion) {
    fg_merkle_bytes root = t_b64(v, fg_journal_json_get(o, "root"));
    fg_merkle_bytes leaf = t_b64(v, fg_journal_json_get(o, "leafHash"));
    const fg_merkle_bytes *proof = t_proof(v, fg_journal_json_get(o, "proof"), &plen);
    rc = fg_merkle_verify_inclusion(t_int(o, "leafIdx"), t_int(o, "treeSize"),
                                    leaf, proof, plen, root, &err);
  } else {
    fg_merkle_bytes r1 = t_b64(v, fg_journal_json_get(o, "root1"));
    fg_merkle_bytes r2 = t_b64(v, fg_journal_json_get(o, "root2"));
    const fg_merkle_bytes *proof = t_proof(v, fg_journal_json_get(o, "proof"), &plen);
    rc = fg_merkle_verify_consistency(t_int(o, "size1"), t_int(o, "size2"), r1,
                                      r2, proof, plen, &err);
  }
  if ((rc != 0) != want->b) fprintf(stderr, "vector %s: rc=%d (%s), wantErr=%d\n", path, rc, err.msg, want->b);
  assert_int_equal(rc != 0, want->b);
  int must_verify = !want->b;
  (*checked)++;
  free(v);
  fg_journal_json_free(o);
  free(text);
  return must_verify;
}

static int t_walk(const char *dir, bool inclusion, int *checked) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int ok = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[T_MAX_PATH];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
      ok += t_run_vector(path, inclusion, checked);
    else
      ok += t_walk(path, inclusion, checked);
  }
  closedir(d);
  return ok;
}

static void test_vectors_inclusion(void **state) {
  (void)state;
  int checked = 0;
  int ok = t_walk(FG_TESTDATA_DIR "/rfc6962/inclusion", true, &checked);
  assert_true(checked >= 80);
  assert_int_equal(ok, 6); /* five happy paths and the matching single entry */
}

static void test_vectors_consistency(void **state) {
  (void)state;
  int checked = 0;
  int ok = t_walk(FG_TESTDATA_DIR "/rfc6962/consistency", false, &checked);
  assert_true(checked >= 90);
  assert_int_equal(ok, 6); /* five happy paths and equal sizes one */
}

static void t_hex(const char *hex, uint8_t *out, size_t *n) {
  size_t len = strlen(hex);
  assert_int_equal(sodium_hex2bin(out, 64, hex, len, NULL, n, NULL), 0);
}

static void test_reference_roots(void **state) {
  (void)state;
  size_t n;
  char *leaves = fg_test_read(FG_TESTDATA_DIR "/rfc6962/leaves.csv", &n);
  char *roots = fg_test_read(FG_TESTDATA_DIR "/rfc6962/roots.csv", &n);
  assert_non_null(leaves);
  assert_non_null(roots);
  fg_merkle_hash lh[8];
  int nl = 0;
  for (char *line = strtok(leaves, "\n"); line; line = strtok(NULL, "\n")) {
    if (strncmp(line, "index", 5) == 0) continue;
    char *comma = strchr(line, ',');
    assert_non_null(comma);
    uint8_t data[64];
    size_t dn = 0;
    t_hex(comma + 1, data, &dn);
    assert_true(nl < 8);
    fg_merkle_leaf_hash(data, dn, lh[nl++]);
  }
  assert_int_equal(nl, 8);
  int nr = 0;
  for (char *line = strtok(roots, "\n"); line; line = strtok(NULL, "\n")) {
    if (strncmp(line, "tree_size", 9) == 0) continue;
    int size = atoi(line);
    uint8_t want[64];
    size_t wn = 0;
    t_hex(strchr(line, ',') + 1, want, &wn);
    assert_int_equal(wn, 32);
    fg_merkle_hash got, streamed;
    fg_merkle_root(lh, (uint64_t)size, got);
    assert_memory_equal(got, want, 32);
    fg_merkle_stream st;
    fg_merkle_stream_init(&st);
    for (int i = 0; i < size; i++) fg_merkle_stream_push(&st, lh[i]);
    fg_merkle_stream_root(&st, streamed);
    assert_memory_equal(streamed, want, 32);
    nr++;
  }
  assert_int_equal(nr, 9);
  free(leaves);
  free(roots);
}

static void t_bytes(const fg_merkle_hash *p, size_t n, fg_merkle_bytes *out) {
  for (size_t i = 0; i < n; i++) out[i] = (fg_merkle_bytes){p[i], FG_MERKLE_HASH_BYTES};
}

/* Every inclusion proof of a tree verifies; flipping any byte of the proof,
 * the leaf or the root makes it fail. */
static void t_check_inclusion(const fg_merkle_hash *lh, uint64_t n, uint64_t idx) {
  fg_merkle_hash proof[FG_MERKLE_PROOF_MAX], root;
  fg_merkle_bytes pb[FG_MERKLE_PROOF_MAX];
  size_t plen;
  fg_err err = {0};
  fg_merkle_root(lh, n, root);
  assert_int_equal(fg_merkle_inclusion_proof(lh, n, idx, proof, &plen, &err), 0);
  t_bytes(proof, plen, pb);
  fg_merkle_bytes rb = {root, 32}, leaf = {lh[idx], 32};
  assert_int_equal(fg_merkle_verify_inclusion(idx, n, leaf, pb, plen, rb, &err), 0);
  for (size_t i = 0; i < plen; i++) {
    proof[i][idx % 32] ^= 0x01;
    assert_int_not_equal(fg_merkle_verify_inclusion(idx, n, leaf, pb, plen, rb, &err), 0);
    proof[i][idx % 32] ^= 0x01;
  }
  root[7] ^= 0x80;
  assert_int_not_equal(fg_merkle_verify_inclusion(idx, n, leaf, pb, plen, rb, &err), 0);
  root[7] ^= 0x80;
  if (n > 1) assert_int_not_equal(fg_merkle_verify_inclusion((idx + 1) % n, n, leaf, pb, plen, rb, &err), 0);
  if (plen > 0) assert_int_not_equal(fg_merkle_verify_inclusion(idx, n, leaf, pb, plen - 1, rb, &err), 0);
}

static void t_check_consistency(const fg_merkle_hash *lh, uint64_t n1, uint64_t n2) {
  fg_merkle_hash proof[FG_MERKLE_PROOF_MAX], r1, r2;
  fg_merkle_bytes pb[FG_MERKLE_PROOF_MAX];
  size_t plen;
  fg_err err = {0};
  fg_merkle_root(lh, n1, r1);
  fg_merkle_root(lh, n2, r2);
  assert_int_equal(fg_merkle_consistency_proof(lh, n2, n1, proof, &plen, &err), 0);
  t_bytes(proof, plen, pb);
  fg_merkle_bytes b1 = {r1, 32}, b2 = {r2, 32};
  assert_int_equal(fg_merkle_verify_consistency(n1, n2, b1, b2, pb, plen, &err), 0);
  for (size_t i = 0; i < plen; i++) {
    proof[i][31] ^= 0x04;
    assert_int_not_equal(fg_merkle_verify_consistency(n1, n2, b1, b2, pb, plen, &err), 0);
    proof[i][31] ^= 0x04;
  }
  r1[0] ^= 1;
  assert_int_not_equal(fg_merkle_verify_consistency(n1, n2, b1, b2, pb, plen, &err), 0);
  r1[0] ^= 1;
  r2[31] ^= 1;
  assert_int_not_equal(fg_merkle_verify_consistency(n1, n2, b1, b2, pb, plen, &err), 0);
  r2[31] ^= 1;
  if (n1 > 1) assert_int_not_equal(fg_merkle_verify_consistency(n1 - 1, n2, b1, b2, pb, plen, &err), 0);
}

static void test_random_trees(void **state) {
  (void)state;
  enum { MAX_LEAVES = 70 };
  fg_merkle_hash lh[MAX_LEAVES];
  for (int i = 0; i < MAX_LEAVES; i++) {
    uint8_t data[16];
    randombytes_buf(data, sizeof data);
    fg_merkle_leaf_hash(data, (size_t)(i % 17), lh[i]);
  }
  for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
    for (uint64_t idx = 0; idx < n; idx++) t_check_inclusion(lh, n, idx);
    for (uint64_t m = 1; m <= n; m++) t_check_consistency(lh, m, n);
  }
  /* A proof of a subtree root against itself, and the stream root of an
   * unbalanced tree equal to the recursive definition by the split. */
  fg_merkle_hash a, b, c;
  fg_merkle_root(lh, 13, a);
  fg_merkle_root(lh, 8, b);
  fg_merkle_root(lh + 8, 5, c);
  fg_merkle_node_hash(b, c, b);
  assert_memory_equal(a, b, 32);
}

static void test_json_reader(void **state) {
  (void)state;
  fg_err err = {0};
  fg_journal_json *v = NULL;
  const char *ok = " {\"a\":[1,-2,true,null],\"s\":\"x\\u00e9\\ud83d\\ude00\\n\"} ";
  assert_int_equal(fg_journal_json_parse(ok, strlen(ok), &v, &err), 0);
  const fg_journal_json *a = fg_journal_json_get(v, "a");
  assert_int_equal(a->n, 4);
  assert_int_equal(a->items[1].i, -2);
  assert_string_equal(fg_journal_json_get(v, "s")->s, "x\xc3\xa9\xf0\x9f\x98\x80\n");
  fg_journal_json_free(v);
  const char *bad[] = {"{", "[1,]", "{\"a\" 1}", "01", "1.5", "\"\\x\"", "[] x", "\"\x01\"",
                       "99999999999999999999999", "\"\\udc00\""};
  for (size_t i = 0; i < FG_ARRAY_LEN(bad); i++) {
    v = NULL;
    assert_int_not_equal(fg_journal_json_parse(bad[i], strlen(bad[i]), &v, &err), 0);
    assert_null(v);
  }
  fg_buf b = FG_BUF_INIT;
  fg_journal_json_add_str(&b, "q\"\\\n", 4);
  assert_string_equal(b.buf, "\"q\\\"\\\\\\u000a\"");
  fg_buf_release(&b);
}

int main(void) {
  assert_int_not_equal(sodium_init(), -1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_roots),   cmocka_unit_test(test_vectors_inclusion),
      cmocka_unit_test(test_vectors_consistency), cmocka_unit_test(test_random_trees),
      cmocka_unit_test(test_json_reader),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
