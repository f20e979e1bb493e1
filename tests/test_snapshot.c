/*
 * test_snapshot.c — model snapshots (screen/snapshot.h): a model written
 * and mapped back is identical, array by array and string by string; a
 * snapshot with one changed byte, another digest, a different store key
 * (a new batch, a new row) or a truncated file is refused; the mapped
 * model runs a rule to the same findings; and the store's side (key,
 * journal digest lookup) works on a real store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "screen/build.h"
#include "screen/build_impl.h"
#include "screen/snapshot.h"
#include "support_model.h"
#include "testutil.h"

#define SETT_HDR \
  "settlement_id,person_id,institution_id,scheme,visit_type,admit_date,discharge_date," \
  "diagnosis,invoice_no,total,fund_paid,settled_on\n"
#define ITEM_HDR "settlement_id,line_no,item_code,service_date,quantity,unit_price,amount,fund_amount\n"

static const fg_test_tables sample_tables = {
      [FG_T_PERSONS] = "person_id,name,sex,birth_date\nd1,a,1,1950-01-01\nP2,b,2,1960-05-05\n",
      [FG_T_DEATHS] = "person_id,death_date,source\nD1,2024-03-31,funeral\nP3,2024-01-01,court\n",
      [FG_T_BENEFIT_PAYMENTS] =
          "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"
          "P1,D1,110,pension,110105,2024-05,3000,2024-05-28,A1\n"
          "P2,D1,110,pension,110105,2024-04,3000,2024-04-28,A1\n"
          "P3,P2,120,pension,320105,2024-04,9999999999999.99,2024-04-28,A9\n",
      [FG_T_CONTRIBUTIONS] =
          "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n"
          "P2,110,E1,110105,2024-01,21474836.48,21474836.47,2024-01-15,normal\n"
          "D1,110,,110105,2024-05,5000,800,2024-05-15,back_payment\n",
      [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
      "S1,P2,H1,310,inpatient,2024-03-01,2024-03-05,J00,INV1,200,100,2024-03-05\n"
      "S2,P2,H1,310,outpatient,2024-03-02,,J00,INV2,50,10.5,2024-03-02\n",
      [FG_T_MEDICAL_ITEMS] = ITEM_HDR "S1,1,KID,2024-03-01,1,5,5,5\nS2,1,XX,2024-03-02,2,5,10,5\n",
      [FG_T_CATALOG] =
          "item_code,name,category,in_scope,max_unit_price,max_qty_per_day,sex_limit,min_age,max_age\n"
          "KID,children,drug,Y,,,,,6\n",
      [FG_T_FUND_ACCOUNTS] = "account_no,scheme,kind,opening_balance,opened_on\n"
                             "INC1,110,income,0,2024-01-10\nEXP1,110,expenditure,0,2020-01-01\n",
      [FG_T_FUND_TRANSACTIONS] =
          "txn_id,account_no,booked_on,direction,amount,counterparty_account,counterparty_kind,"
          "reference,purpose\n"
          "T1,INC1,2024-01-28,in,100,,employer,,\nT2,EXP1,2024-01-15,out,100,A1,person,P1,payment\n",
      [FG_T_STAFF] = "staff_id,name,person_id,post,post_since,high_risk,roles\n"
                     "S1,a,P2,fund,2020-06-29,Y,handler\n",
      [FG_T_WAGE_BASES] = "region,year,floor,cap\n110105,2024,6821,35283\n",
};

static fg_model *sample_model(void) { return fg_test_model(sample_tables); }

static fg_snapshot_key sample_key(void) {
  fg_snapshot_key k;
  memset(&k, 0, sizeof k);
  k.max_batch = 3;
  k.nbatches = 3;
  for (int t = 0; t < FG_T_COUNT; t++) {
    k.lo[t] = 1;
    k.hi[t] = 10 + t;
  }
  return k;
}

#define SAME_ARR(a, b, f, n) \
  do { if ((n) > 0) assert_memory_equal((a)->f, (b)->f, (size_t)(n) * sizeof *(a)->f); } while (0)

/* The same payments: every field, and for the payment id the same text
 * (its uid is a byte offset into a front-coded blob, model.h, which a
 * model built another way, chunk by chunk or extended by a month, codes
 * from other heads). */
static void assert_payments_equal(const fg_model *a, const fg_model *b) {
  assert_int_equal(a->npayments, b->npayments);
  fg_uid_buf ua, ub;
  for (int64_t i = 0; i < a->npayments; i++) {
    fg_m_payment x = a->payments[i], y = b->payments[i];
    assert_string_equal(fg_m_uid(a, x.payment_uid, &ua), fg_m_uid(b, y.payment_uid, &ub));
    x.payment_uid = y.payment_uid = 0;
    assert_memory_equal(&x, &y, sizeof x);
  }
}

/* The same uid blob, byte for byte (one part: a snapshot of a model that
 * was not extended, read back). */
static void assert_uid_bytes_equal(const fg_model *a, const fg_model *b) {
  assert_int_equal(a->uid_bytes[1], 0);
  assert_int_equal(b->uid_bytes[1], 0);
  assert_int_equal(a->uid_bytes[0], b->uid_bytes[0]);
  assert_memory_equal(a->uid[0], b->uid[0], (size_t)a->uid_bytes[0]);
}

static void assert_models_equal(const fg_model *a, const fg_model *b) {
  assert_memory_equal(a->present, b->present, sizeof a->present);
  assert_int_equal(a->nstr, b->nstr);
  for (uint32_t i = 0; i < a->nstr; i++) assert_string_equal(a->str[i], b->str[i]);
  assert_int_equal(a->npk, b->npk);
  for (int32_t i = 0; i < a->npk; i++) assert_string_equal(a->pk_id[i], b->pk_id[i]);
  SAME_ARR(a, b, pk_person, a->npk);
  SAME_ARR(a, b, pk_death, a->npk);
  assert_payments_equal(a, b);
#define T(arr, cnt) assert_int_equal(a->cnt, b->cnt); SAME_ARR(a, b, arr, a->cnt)
#define O(arr) SAME_ARR(a, b, arr, a->npk + 1)
  T(persons, npersons); T(employers, nemployers);
  T(enrollments, nenrollments); O(enrollments_off);
  T(contributions, ncontributions); O(contributions_off);
  O(payments_off);
  T(retirements, nretirements); O(retirements_off);
  T(institutions, ninstitutions); T(catalog, ncatalog);
  T(settlements, nsettlements); O(settlements_off);
  T(items, nitems); T(deaths, ndeaths); O(deaths_off);
  T(incarcerations, nincarcerations); O(incarcerations_off);
  T(survivals, nsurvivals); O(survivals_off);
  T(accounts, naccounts); T(txns, ntxns); T(staff, nstaff);
  T(operations, noperations); T(wage_bases, nwage_bases);
#undef T
#undef O
}

static char *write_sample(const fg_model *m, const fg_snapshot_key *k, char hex[65]) {
  char *dir = fg_test_tmpdir();
  char *path = fg_xmalloc(strlen(dir) + 32);
  sprintf(path, "%s/s.db.model", dir);
  free(dir);
  fg_err err = {0};
  assert_int_equal(fg_snapshot_write(m, k, path, hex, &err), 0);
  assert_int_equal(strlen(hex), 64);
  return path;
}

static void rm_sample(char *path) {
  unlink(path);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  fg_test_rmrf(path);
  free(path);
}

static void test_roundtrip(void **state) {
  (void)state;
  fg_model *m = sample_model();
  fg_snapshot_key k = sample_key();
  char hex[65];
  char *path = write_sample(m, &k, hex);
  fg_model *r = NULL;
  fg_err err = {0};
  assert_int_equal(fg_snapshot_open(path, &k, hex, &r, &err), 0);
  assert_models_equal(m, r);
  assert_uid_bytes_equal(m, r);
  /* No finished model keeps its pools' hash tables (at a million persons
   * they are 512 MiB, freed before finishing sorts the payments); lookups
   * by text scan, on a loaded and on a mapped model alike. */
  for (int i = 0; i < 2; i++) {
    const fg_model *x = i ? r : m;
    const fg_model_arena *xa = x->arena;
    assert_null(xa->str.slots);
    assert_null(xa->pid.slots);
    assert_true(x->npk > 0 && x->nstr > 1);
    assert_int_equal(fg_model_find_pk(x, x->pk_id[x->npk - 1]), x->npk - 1);
    assert_int_equal(fg_model_find_sid(x, x->str[x->nstr - 1]), x->nstr - 1);
    assert_int_equal(fg_model_find_pk(x, "no such person"), -1);
  }
  fg_findings f1 = fg_test_run_rule(m, "benefit.paid_after_death", "2025-01-01");
  fg_findings f2 = fg_test_run_rule(r, "benefit.paid_after_death", "2025-01-01");
  assert_true(f1.n > 0);
  assert_int_equal(f1.n, f2.n);
  for (int64_t i = 0; i < f1.n; i++) {
    assert_string_equal(f1.v[i].subject_id, f2.v[i].subject_id);
    assert_string_equal(f1.v[i].detail, f2.v[i].detail);
  }
  fg_findings_release(&f1);
  fg_findings_release(&f2);
  fg_model_free(r);
  /* the same model writes the same bytes */
  char hex2[65];
  unlink(path);
  assert_int_equal(fg_snapshot_write(m, &k, path, hex2, &err), 0);
  assert_string_equal(hex, hex2);
  /* an existing file is never overwritten */
  assert_int_not_equal(fg_snapshot_write(m, &k, path, hex2, &err), 0);
  fg_model_free(m);
  rm_sample(path);
}

/* The sample with 352,000 contributions (8.4 MB of model at 24 bytes a
 * row: several writer buffers). */
static fg_model *big_model(void) {
  fg_buf contrib = FG_BUF_INIT;
  fg_buf_adds(&contrib, "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n");
  for (int i = 0; i < 352000; i++)
    fg_buf_addf(&contrib, "P%d,110,E%d,110105,2024-%02d,5000,800,2024-01-15,normal\n", i % 5000,
                i % 70, i % 12 + 1);
  fg_test_tables big;
  memcpy(big, sample_tables, sizeof big);
  big[FG_T_CONTRIBUTIONS] = contrib.buf;
  fg_model *m = fg_test_model(big);
  fg_buf_release(&contrib);
  return m;
}

/* The writer goes around the page cache (O_DIRECT) where the file system
 * allows it, in whole 4 KiB blocks, and cuts the file back to its size;
 * elsewhere it writes through the cache. Both give the same bytes and
 * digest, for a model of several writer buffers (352,000 contributions,
 * 8.4 MB) and for the small sample. (The fallback from a direct write
 * refused at its first write, fcntl, is not reached here.) */
static void test_direct_and_buffered(void **state) {
  (void)state;
  fg_model *models[2] = {big_model(), sample_model()};
  for (int k = 0; k < 2; k++) {
    fg_snapshot_key key = sample_key();
    char hex_disk[65], hex_shm[65], shm[4200];
    char *disk = write_sample(models[k], &key, hex_disk); /* direct */
    snprintf(shm, sizeof shm, "%s.buffered", disk);
    fg_err err = {0};
    assert_int_equal(fg_snapshot_write_via(models[k], &key, shm, false, hex_shm, &err), 0);
    assert_string_equal(hex_disk, hex_shm);
    size_t nd = 0, ns = 0;
    char *a = fg_test_read(disk, &nd), *b = fg_test_read(shm, &ns);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(nd == ns && nd % 8 == 0 && memcmp(a, b, nd) == 0);
    if (k == 0) assert_true(nd > ((size_t)7 << 20));
    fg_model *r = NULL;
    assert_int_equal(fg_snapshot_open(disk, &key, hex_disk, &r, &err), 0);
    assert_models_equal(models[k], r);
    assert_uid_bytes_equal(models[k], r);
    fg_model_free(r);
    free(a);
    free(b);
    unlink(shm);
    rm_sample(disk);
    fg_model_free(models[k]);
  }
}

/* A write that fails while the other buffer is being filled (the writer
 * writes on a thread of its own) still fails the snapshot, names the
 * system's reason and leaves no file. The file size limit makes the writes
 * past 3 MB fail (EFBIG) in a child process. */
static void test_write_fails(void **state) {
  (void)state;
  fg_model *m = big_model();
  char *dir = fg_test_tmpdir();
  for (int direct = 0; direct < 2; direct++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/f%d.db.model", dir, direct);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      signal(SIGXFSZ, SIG_IGN);
      struct rlimit lim = {(rlim_t)3 << 20, (rlim_t)3 << 20};
      if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(10);
      fg_snapshot_key key = sample_key();
      char hex[65];
      fg_err err = {0};
      if (fg_snapshot_write_via(m, &key, path, direct == 1, hex, &err) == 0) _exit(11);
      if (!strstr(err.msg, strerror(EFBIG))) _exit(12);
      _exit(access(path, F_OK) == 0 ? 13 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }
  fg_test_rmrf(dir);
  free(dir);
  fg_model_free(m);
}

/* The digest is a hash list of 64 MiB pieces: SHA-256 over the pieces'
 * SHA-256s. Checked against that definition computed here one piece at a
 * time (libsodium's SHA-256), at the sizes where pieces begin and end; and
 * the writer's streamed digest of a file equals the digest of its bytes. */
static void ref_digest(const uint8_t *p, size_t n, uint8_t out[32]) {
  const size_t piece = (size_t)64 << 20;
  crypto_hash_sha256_state list;
  crypto_hash_sha256_init(&list);
  for (size_t off = 0; off < n; off += piece) {
    uint8_t d[32];
    crypto_hash_sha256(d, p + off, n - off < piece ? n - off : piece);
    crypto_hash_sha256_update(&list, d, sizeof d);
  }
  crypto_hash_sha256_final(&list, out);
}

static void test_digest(void **state) {
  (void)state;
  const size_t max = ((size_t)130 << 20) + 7;
  uint8_t *buf = malloc(max);
  assert_non_null(buf);
  for (size_t i = 0; i < max; i++) buf[i] = (uint8_t)(i * 2654435761u >> 13);
  const size_t piece = (size_t)64 << 20;
  const size_t sizes[] = {0, 1, 4096, piece - 1, piece, piece + 1, 2 * piece, max};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    uint8_t want[32], got[32];
    ref_digest(buf, sizes[i], want);
    fg_snapshot_digest(buf, sizes[i], got);
    assert_memory_equal(got, want, 32);
  }
  uint8_t one[32], two[32]; /* not the plain SHA-256 of the bytes */
  crypto_hash_sha256(one, buf, 4096);
  fg_snapshot_digest(buf, 4096, two);
  assert_memory_not_equal(one, two, 32);
  free(buf);
  /* the writer's digest is the digest of the file it wrote */
  fg_model *m = sample_model();
  fg_snapshot_key k = sample_key();
  char hex[65], hex2[65];
  char *path = write_sample(m, &k, hex);
  fg_model_free(m);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  uint8_t file[1 << 16];
  const size_t n = fread(file, 1, sizeof file, f);
  assert_true(feof(f) && n > 0);
  fclose(f);
  uint8_t d[32];
  fg_snapshot_digest(file, n, d);
  fg_hex(d, sizeof d, hex2);
  assert_string_equal(hex, hex2);
  rm_sample(path);
}

static void flip_byte(const char *path, long at) {
  FILE *f = fopen(path, "r+b");
  assert_non_null(f);
  assert_int_equal(fseek(f, at, SEEK_SET), 0);
  int c = fgetc(f);
  assert_int_equal(fseek(f, at, SEEK_SET), 0);
  fputc(c ^ 1, f);
  fclose(f);
}

static void expect_refused(const char *path, const fg_snapshot_key *k, const char *hex) {
  fg_model *r = NULL;
  fg_err err = {0};
  assert_int_equal(fg_snapshot_open(path, k, hex, &r, &err), FG_EVERIFY);
  assert_null(r);
}

static void test_refused(void **state) {
  (void)state;
  fg_model *m = sample_model();
  fg_snapshot_key k = sample_key();
  char hex[65];
  char *path = write_sample(m, &k, hex);
  fg_model_free(m);
  fg_snapshot_key nb = k; /* a new batch */
  nb.max_batch++;
  nb.nbatches++;
  expect_refused(path, &nb, hex);
  fg_snapshot_key nr = k; /* a new row */
  nr.hi[FG_T_CONTRIBUTIONS]++;
  expect_refused(path, &nr, hex);
  char other[65];
  memcpy(other, hex, sizeof other);
  other[0] = other[0] == '0' ? '1' : '0';
  expect_refused(path, &k, other);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  flip_byte(path, (long)st.st_size - 3); /* in the last array */
  expect_refused(path, &k, hex);
  flip_byte(path, (long)st.st_size - 3);
  fg_model *r = NULL;
  fg_err err = {0};
  assert_int_equal(fg_snapshot_open(path, &k, hex, &r, &err), 0); /* restored: fine again */
  fg_model_free(r);
  /* The uid blob ends with a NUL (model.h fg_m_uid reads up to one): a
   * file whose digest is right but whose last payment id runs on into the
   * arrays is refused all the same. */
  size_t fn = 0;
  char *file = fg_test_read(path, &fn);
  assert_non_null(file);
  /* the sample's payment ids, in row order: heads (model.h FG_UID_HEAD) */
  static const char tail[] = "\0\x01" "P1\0\x01" "P2\0\x01" "P3";
  char *at = memmem(file, fn, tail, sizeof tail);  /* with the last NUL */
  assert_non_null(at);
  at[sizeof tail - 1] = 'x';
  FILE *w = fopen(path, "wb");
  assert_non_null(w);
  assert_int_equal(fwrite(file, 1, fn, w), fn);
  assert_int_equal(fclose(w), 0);
  uint8_t d[32];
  char runs_on[65];
  fg_snapshot_digest(file, fn, d);
  fg_hex(d, sizeof d, runs_on);
  memset(&err, 0, sizeof err);
  assert_int_equal(fg_snapshot_open(path, &k, runs_on, &r, &err), FG_EVERIFY);
  assert_non_null(strstr(err.msg, "bad string blob"));
  assert_null(r);
  at[sizeof tail - 1] = '\0';
  w = fopen(path, "wb");
  assert_non_null(w);
  assert_int_equal(fwrite(file, 1, fn, w), fn);
  assert_int_equal(fclose(w), 0);
  free(file);
  assert_int_equal(fg_snapshot_open(path, &k, hex, &r, &err), 0);
  fg_model_free(r);
  assert_int_equal(truncate(path, st.st_size - 8), 0);
  expect_refused(path, &k, hex);
  assert_int_equal(truncate(path, 16), 0);
  expect_refused(path, &k, hex);
  rm_sample(path);
}

/* The store's side: the key follows new rows; no digest before any run. */
static void test_store_side(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  char db[512];
  snprintf(db, sizeof db, "%s/t.db", dir);
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_create(db, &s, &err), 0);
  fg_snapshot_key k1, k2;
  assert_int_equal(fg_snapshot_key_read(s, &k1, &err), 0);
  assert_int_equal(k1.nbatches, 0);
  char hex[65];
  bool found = true;
  assert_int_equal(fg_snapshot_recorded(s, hex, &found, &err), 0);
  assert_false(found);
  assert_int_equal(fg_store_begin(s, &err), 0);
  int64_t b = 0, rowid = 0;
  assert_int_equal(fg_store_batch_begin(s, "t", FG_BATCH_ATOMIC, "2024-01-01T00:00:00", &b, &err),
                   0);
  /* deaths is keyless: its row digest (16 bytes) follows the columns */
  fg_value v[] = {{false, 0, "D1", 2}, {false, 0, "2024-01-01", 10}, {false, 0, "court", 5},
                  {false, 0, "0123456789abcdef", FG_DIGEST_BYTES}};
  assert_int_equal(fg_store_insert(s, FG_T_DEATHS, b, 2, v, &rowid, &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  assert_int_equal(fg_snapshot_key_read(s, &k2, &err), 0);
  assert_int_equal(k2.nbatches, 1);
  assert_int_equal(k2.hi[FG_T_DEATHS], rowid);
  assert_memory_not_equal(&k1, &k2, sizeof k1);
  char path[FG_SNAPSHOT_PATH_MAX];
  assert_true(fg_snapshot_path(db, path));
  assert_non_null(strstr(path, "t.db.model"));
  fg_store_close(s);
  fg_test_rmrf(dir);
  free(dir);
}

/* Rows a store gained after sample_model()'s: new persons and rows of known
 * ones, a new settlement with items, a new transaction; strings old and new. */
static const fg_test_tables more_rows = {
    [FG_T_PERSONS] = "person_id,name,sex,birth_date\nN9,c,1,1970-02-02\nd1,dup,2,1951-01-01\n",
    [FG_T_BENEFIT_PAYMENTS] =
        "payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account\n"
        "P9,D1,110,pension,110105,2024-03,3000,2024-03-28,A1\n"
        "Q1,N9,110,pension,999999,2024-06,10,2024-06-28,NEWACC\n"
        "Q2,N9,110,pension,999999,2024-07,30000000,2024-07-28,NEWACC\n",
    [FG_T_CONTRIBUTIONS] = "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n"
                           "P2,110,E1,110105,2023-12,21474836.48,9999999999999.99,2024-01-15,normal\n",
    [FG_T_MEDICAL_SETTLEMENTS] = SETT_HDR
    "S0,N9,H1,310,inpatient,2024-02-01,2024-02-05,J00,INV9,300,100,2024-02-05\n",
    [FG_T_MEDICAL_ITEMS] = ITEM_HDR "S0,1,KID,2024-02-01,1,5,5,5\nS1,2,NEW,2024-03-02,1,5,5,5\n",
    [FG_T_FUND_TRANSACTIONS] =
        "txn_id,account_no,booked_on,direction,amount,counterparty_account,counterparty_kind,"
        "reference,purpose\n"
        "T0,INC1,2024-01-02,in,5,,employer,,\n",
};

/* The row counts of sample_model()'s literals: more_rows' rowids follow them. */
static void sample_counts(const fg_model *m, int64_t row0[FG_T_COUNT]) {
  memset(row0, 0, FG_T_COUNT * sizeof *row0);
  for (int t = 0; t < FG_T_COUNT; t++) (void)fg_mb_model_rows(m, (fg_table_id)t, &row0[t]);
}

/* One builder fed sample_model()'s rows and then more_rows. */
static fg_model *whole_model(const int64_t row0[FG_T_COUNT]) {
  fg_model_builder *b = fg_mb_new();
  fg_test_feed(b, sample_tables, NULL);
  fg_test_feed(b, more_rows, row0);
  return fg_mb_finish(b);
}

/* A model extended by new rows (fg_mb_extend) is the model one builder fed
 * the old rows and then the new ones gives, array by array and id by id;
 * from a heap model, from a snapshot's mapping, and by no rows at all. */
/* Make tmpl ("...XXXXXX") a name no file has: mkstemp, then remove it. */
static void free_name(char *tmpl) {
  int fd = mkstemp(tmpl);
  assert_true(fd >= 0);
  close(fd);
  unlink(tmpl);
}

/* Write m under sample_key() to a file named from the template path (filled
 * in) and map it back, verified. */
static fg_model *write_and_map(const fg_model *m, char *path) {
  free_name(path);
  fg_snapshot_key k = sample_key(), got;
  char hex[65];
  fg_err err = {0};
  assert_int_equal(fg_snapshot_write(m, &k, path, hex, &err), 0);
  fg_model *mapped = NULL;
  assert_int_equal(fg_snapshot_open_any(path, hex, &got, &mapped, &err), 0);
  assert_memory_equal(&got, &k, sizeof k);
  return mapped;
}

/* The payment ids' texts are held at 32-bit offsets: a city whose ids
 * pass FG_MB_UID_BYTES_MAX bytes is refused by name, whether one builder
 * reaches the limit, a merge of two does, or a month's rows on a snapshot
 * do (the blob's size is faked: the bytes past it are never touched). */
/* fg_mb_check refuses b as over a limit, naming what (a word of its message). */
static void expect_limit(const fg_model_builder *b, const char *what) {
  fg_err err = {0};
  assert_int_equal(fg_mb_check(b, &err), FG_ELIMIT);
  assert_non_null(strstr(err.msg, what));
}

/* Extending m by nb's rows (both consumed) is refused as over a limit,
 * naming what. */
static void expect_extend_limit(fg_model *m, fg_model_builder *nb, const char *what) {
  fg_err err = {0};
  assert_null(fg_mb_extend(m, nb, &err));
  assert_int_equal(err.code, FG_ELIMIT);
  assert_non_null(strstr(err.msg, what));
}

static void test_uid_limit(void **state) {
  (void)state;
  fg_model_builder *b = fg_mb_new();
  b->uid.n = FG_MB_UID_BYTES_MAX - 2; /* "P1" and its NUL do not fit */
  fg_test_feed(b, sample_tables, NULL);
  expect_limit(b, "待遇支付编号");
  fg_mb_free(b);

  fg_model_builder *into = fg_mb_new(), *from = fg_mb_new();
  into->uid.n = FG_MB_UID_BYTES_MAX - 2;
  fg_test_feed(from, sample_tables, NULL);
  fg_mb_absorb(into, from); /* frees from */
  expect_limit(into, "待遇支付编号");
  fg_mb_free(into);

  fg_model *m = sample_model();
  int64_t row0[FG_T_COUNT];
  sample_counts(m, row0);
  m->uid_bytes[0] = FG_MB_UID_BYTES_MAX - 2; /* as if the snapshot's blob were that big */
  fg_model_builder *nb = fg_mb_new();
  fg_test_feed(nb, more_rows, row0);
  expect_extend_limit(m, nb, "待遇支付编号");
}

/* Rowids are held in 4 bytes (model.h fg_row32): a store row past
 * FG_ROW32_MAX is refused by name, never cut to its low bits (that would
 * name some other row as a finding's evidence), from one builder, a merge
 * and a month on a model; a table that ends at FG_ROW32_MAX exactly is held. */
static void test_row_limit(void **state) {
  (void)state;
  fg_model *m = sample_model();
  int64_t n[FG_T_COUNT], last[FG_T_COUNT], past[FG_T_COUNT];
  sample_counts(m, n);
  fg_model_free(m);
  for (int t = 0; t < FG_T_COUNT; t++) {
    last[t] = (int64_t)FG_ROW32_MAX - n[t]; /* its last row gets FG_ROW32_MAX */
    past[t] = last[t] + 1;
  }
  fg_model_builder *b = fg_mb_new();
  fg_test_feed(b, sample_tables, last);
  fg_err err = {0};
  assert_int_equal(fg_mb_check(b, &err), 0);
  m = fg_mb_finish(b);
  assert_true(m->ncontributions > 0);
  fg_row32 top = 0;
  for (int64_t i = 0; i < m->ncontributions; i++) top = FG_MAX(top, m->contributions[i].row);
  assert_int_equal(top, FG_ROW32_MAX);
  fg_model_free(m);

  b = fg_mb_new();
  fg_test_feed(b, sample_tables, past);
  expect_limit(b, "行号");
  fg_mb_free(b);

  fg_model_builder *into = fg_mb_new(), *from = fg_mb_new();
  fg_test_feed(into, sample_tables, NULL);
  fg_test_feed(from, more_rows, past);
  fg_mb_absorb(into, from); /* frees from */
  expect_limit(into, "行号");
  fg_mb_free(into);

  m = sample_model();
  fg_model_builder *nb = fg_mb_new();
  fg_test_feed(nb, more_rows, past);
  expect_extend_limit(m, nb, "行号");
}

static void test_extend(void **state) {
  (void)state;
  fg_model *m = sample_model();
  int64_t row0[FG_T_COUNT];
  sample_counts(m, row0);
  fg_model *whole = whole_model(row0);
  fg_err err = {0};
  fg_model_builder *nb = fg_mb_new();
  fg_test_feed(nb, more_rows, row0);
  fg_model *ext = fg_mb_extend(m, nb, &err); /* consumes m */
  assert_non_null(ext);
  assert_models_equal(whole, ext);
  assert_true(ext->nstr > 0 && ext->npk == whole->npk);
  fg_model_free(ext);

  m = sample_model();
  char path[] = "/tmp/fg_snap_extend_XXXXXX";
  free_name(path);
  fg_snapshot_key k = sample_key(), got;
  char hex[65];
  assert_int_equal(fg_snapshot_write(m, &k, path, hex, &err), 0);
  fg_model *mapped = NULL;
  assert_int_equal(fg_snapshot_open_any(path, hex, &got, &mapped, &err), 0);
  assert_memory_equal(&got, &k, sizeof k);
  nb = fg_mb_new();
  fg_test_feed(nb, more_rows, row0);
  ext = fg_mb_extend(mapped, nb, &err);
  assert_non_null(ext);
  assert_models_equal(whole, ext);
  /* its uid texts are in two parts (the mapping's, the new rows'): a
   * snapshot of it writes them as one, and extending it again joins them */
  assert_true(ext->uid_bytes[0] > 1 && ext->uid_bytes[1] > 1);
  char path2[] = "/tmp/fg_snap_extend2_XXXXXX";
  fg_model *remapped = write_and_map(ext, path2);
  assert_int_equal(remapped->uid_bytes[1], 0);
  assert_models_equal(whole, remapped);
  fg_model_free(remapped);
  unlink(path2);
  ext = fg_mb_extend(ext, fg_mb_new(), &err);
  assert_non_null(ext);
  assert_int_equal(ext->uid_bytes[1], 0);
  assert_models_equal(whole, ext);
  fg_model_free(ext);
  /* the file is unchanged by the copy-on-write rewrites of finishing */
  fg_model *again = NULL;
  assert_int_equal(fg_snapshot_open(path, &k, hex, &again, &err), 0);
  assert_models_equal(m, again);
  /* extended by nothing: the same model */
  ext = fg_mb_extend(again, fg_mb_new(), &err);
  assert_non_null(ext);
  assert_models_equal(m, ext);
  fg_model_free(ext);
  /* refused (new rows past the model's limits): NULL, err set, and base
   * and nb consumed all the same (build.h) — LeakSanitizer (the ASan job)
   * reports a base left behind */
  nb = fg_mb_new();
  fg_test_feed(nb, more_rows, row0);
  nb->over = true;
  memset(&err, 0, sizeof err);
  assert_null(fg_mb_extend(sample_model(), nb, &err));
  assert_int_not_equal(err.code, 0);
  /* more new rowids than a full load would plan for: refused before any
   * read, base consumed */
  int64_t from[FG_T_COUNT], to[FG_T_COUNT];
  for (int t = 0; t < FG_T_COUNT; t++) from[t] = 1, to[t] = 0;
  to[FG_T_CONTRIBUTIONS] = (int64_t)1 << 50;
  fg_model *none = NULL;
  int64_t nread = 0;
  memset(&err, 0, sizeof err);
  assert_int_equal(fg_model_extend("/nonexistent/fg.db", sample_model(), from, to, &none,
                                   &nread, &err),
                   FG_EDB);
  assert_non_null(strstr(err.msg, "数据表过大"));
  assert_null(none);
  fg_model_free(whole);
  fg_model_free(m);
  unlink(path);
}

/* The fen of payment id's row of m, -1 when there is none. */
static int64_t payment_fen(const fg_model *m, const char *id) {
  fg_uid_buf ub;
  for (int64_t i = 0; i < m->npayments; i++)
    if (strcmp(fg_m_uid(m, m->payments[i].payment_uid, &ub), id) == 0)
      return fg_m_fen(m, m->payments[i].amount_f32);
  return -1;
}

/* The contribution of person pid for period ym of m. */
static const fg_m_contribution *contribution_of(const fg_model *m, const char *pid, int y, int mo) {
  const fg_pk pk = fg_model_find_pk(m, pid);
  assert_true(pk >= 0);
  for (int64_t i = m->contributions_off[pk]; i < m->contributions_off[pk + 1]; i++)
    if (fg_mc_period(&m->contributions[i]) == fg_month_from_ym(y, mo)) return &m->contributions[i];
  fail_msg("no contribution of %s for %d-%02d", pid, y, mo);
  return NULL;
}

/* m holds sample_tables' money exactly (and more_rows' when extended). */
static void check_money(const fg_model *m, bool extended) {
  assert_int_equal(payment_fen(m, "P1"), 300000);
  assert_int_equal(payment_fen(m, "P3"), INT64_C(999999999999999));
  const fg_m_contribution *c = contribution_of(m, "P2", 2024, 1);
  assert_int_equal(fg_m_fen(m, c->base_f32), INT64_C(2147483648)); /* 2^31: escaped */
  assert_int_equal(fg_m_fen(m, c->amount_f32), INT64_C(2147483647)); /* 2^31 - 1: as it is */
  assert_true(c->base_f32 & FG_FEN32_BIG);
  assert_int_equal(c->amount_f32, INT64_C(2147483647));
  if (!extended) return;
  assert_int_equal(payment_fen(m, "Q1"), 1000);
  assert_int_equal(payment_fen(m, "Q2"), INT64_C(3000000000));
  c = contribution_of(m, "P2", 2023, 12);
  assert_int_equal(fg_m_fen(m, c->base_f32), INT64_C(2147483648));
  assert_int_equal(fg_m_fen(m, c->amount_f32), INT64_C(999999999999999));
  /* the old and the new row's 2^31 are one string: one sid */
  assert_int_equal(c->base_f32, contribution_of(m, "P2", 2024, 1)->base_f32);
}

/* Money outside [0, 2^31) fen of the contributions and benefit payments is
 * escaped into the string pool (model.h fg_fen32); every value comes back
 * exactly from a heap model, a mapped snapshot, an extended one (old and
 * new strings renumbered), and from one builder fed everything. Values no
 * import lets in (negative, INT64_MIN, INT64_MAX: a row written into the
 * store by hand) come back exactly too. */
static void test_big_money(void **state) {
  (void)state;
  fg_model *m = sample_model();
  check_money(m, false);
  int64_t row0[FG_T_COUNT];
  sample_counts(m, row0);
  fg_model *whole = whole_model(row0);
  check_money(whole, true);
  char path[] = "/tmp/fg_snap_money_XXXXXX";
  fg_model *mapped = write_and_map(m, path);
  fg_err err = {0};
  check_money(mapped, false);
  fg_model_builder *nb = fg_mb_new();
  fg_test_feed(nb, more_rows, row0);
  fg_model *ext = fg_mb_extend(mapped, nb, &err);
  assert_non_null(ext);
  check_money(ext, true);
  fg_model_free(ext);
  fg_model_free(whole);
  fg_model_free(m);
  unlink(path);

  /* by hand: the values of a row no import would store */
  static const int64_t odd[] = {-1, INT64_MIN, INT64_MAX, INT64_C(2147483648), 0,
                                INT64_C(2147483647)};
  fg_model_builder *b = fg_mb_new();
  for (int i = 0; i < 3; i++) {
    fg_value v[FG_MAX_COLS];
    memset(v, 0, sizeof v);
    v[0] = (fg_value){.s = "H1", .n = 2};
    v[2] = (fg_value){.s = "110", .n = 3};
    v[4] = (fg_value){.s = "2024-01", .n = 7};
    v[5] = (fg_value){.i = odd[2 * i]};
    v[6] = (fg_value){.i = odd[2 * i + 1]};
    v[7] = (fg_value){.s = "2024-02-01", .n = 10};
    fg_mb_add(b, FG_T_CONTRIBUTIONS, i + 1, v);
  }
  m = fg_mb_finish(b);
  assert_int_equal(m->ncontributions, 3);
  for (int i = 0; i < 3; i++) {
    const fg_m_contribution *c = &m->contributions[i];
    assert_int_equal(c->row, i + 1);
    assert_int_equal(fg_m_fen(m, c->base_f32), odd[2 * i]);
    assert_int_equal(fg_m_fen(m, c->amount_f32), odd[2 * i + 1]);
  }
  fg_model_free(m);
}

/* Which stores only grew since a snapshot's key, and the rowids that are new. */
/* A mapped snapshot extended by a month: its rows of a rebuilt "by pk"
 * table are handed back every 8 MiB as they are copied (fg_mbx_merge_pk).
 * 250,000 contributions (12 MB) of 5,000 persons plus 3,000 new ones
 * spread over them: the extension equals one builder fed both. */
static void test_extend_big(void **state) {
  (void)state;
  const char *head = "person_id,scheme,employer_id,region,period,base,amount,paid_date,kind\n";
  fg_buf base = FG_BUF_INIT, more = FG_BUF_INIT;
  fg_buf_adds(&base, head);
  fg_buf_adds(&more, head);
  for (int i = 0; i < 250000; i++)
    fg_buf_addf(&base, "P%d,110,E%d,110105,20%02d-%02d,5000,800,2024-01-15,normal\n", i % 5000,
                i % 70, 10 + i / 5000 / 12, i / 5000 % 12 + 1);
  for (int i = 0; i < 3000; i++)
    fg_buf_addf(&more, "P%d,110,E1,110105,2025-01,6000,960,2025-02-15,normal\n", (i * 7) % 5003);
  fg_test_tables base_t = {[FG_T_CONTRIBUTIONS] = base.buf}, more_t = {[FG_T_CONTRIBUTIONS] = more.buf};
  fg_model *m = fg_test_model(base_t);
  int64_t row0[FG_T_COUNT];
  sample_counts(m, row0);
  fg_model_builder *wb = fg_mb_new();
  fg_test_feed(wb, base_t, NULL);
  fg_test_feed(wb, more_t, row0);
  fg_model *whole = fg_mb_finish(wb);
  char path[] = "/tmp/fg_snap_extend_big_XXXXXX";
  fg_model *mapped = write_and_map(m, path);
  fg_err err = {0};
  fg_model_builder *nb = fg_mb_new();
  fg_test_feed(nb, more_t, row0);
  fg_model *ext = fg_mb_extend(mapped, nb, &err);
  assert_non_null(ext);
  assert_int_equal(ext->ncontributions, 253000);
  assert_models_equal(whole, ext);
  fg_model_free(ext);
  fg_model_free(whole);
  fg_model_free(m);
  unlink(path);
  fg_buf_release(&base);
  fg_buf_release(&more);
}

static void test_grown(void **state) {
  (void)state;
  fg_snapshot_key old = sample_key(), now = old;
  int64_t from[FG_T_COUNT], to[FG_T_COUNT];
  assert_true(fg_snapshot_key_grown(&old, &now, from, to)); /* the same: nothing new */
  for (int t = 0; t < FG_T_COUNT; t++) assert_true(from[t] > to[t]);
  now.nbatches++, now.max_batch++;
  now.hi[FG_T_CONTRIBUTIONS] += 7;
  old.lo[FG_T_STAFF] = 1, old.hi[FG_T_STAFF] = 0; /* a table the snapshot did not have */
  now.lo[FG_T_STAFF] = 40, now.hi[FG_T_STAFF] = 44;
  assert_true(fg_snapshot_key_grown(&old, &now, from, to));
  assert_int_equal(from[FG_T_CONTRIBUTIONS], old.hi[FG_T_CONTRIBUTIONS] + 1);
  assert_int_equal(to[FG_T_CONTRIBUTIONS], old.hi[FG_T_CONTRIBUTIONS] + 7);
  assert_int_equal(from[FG_T_STAFF], 40);
  assert_int_equal(to[FG_T_STAFF], 44);
  assert_true(from[FG_T_PERSONS] > to[FG_T_PERSONS]);
  fg_snapshot_key bad = now; /* the last row of a table gone */
  bad.hi[FG_T_PERSONS]--;
  assert_false(fg_snapshot_key_grown(&old, &bad, from, to));
  bad = now; /* the first row gone */
  bad.lo[FG_T_PERSONS]++;
  assert_false(fg_snapshot_key_grown(&old, &bad, from, to));
  bad = now; /* every row of a table gone */
  bad.lo[FG_T_DEATHS] = 1, bad.hi[FG_T_DEATHS] = 0;
  assert_false(fg_snapshot_key_grown(&old, &bad, from, to));
  bad = now; /* a batch gone */
  bad.nbatches = old.nbatches - 1;
  assert_false(fg_snapshot_key_grown(&old, &bad, from, to));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),
      cmocka_unit_test(test_direct_and_buffered),
      cmocka_unit_test(test_write_fails),
      cmocka_unit_test(test_digest),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_store_side),
      cmocka_unit_test(test_extend),
      cmocka_unit_test(test_uid_limit),
      cmocka_unit_test(test_row_limit),
      cmocka_unit_test(test_extend_big),
      cmocka_unit_test(test_big_money),
      cmocka_unit_test(test_grown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
