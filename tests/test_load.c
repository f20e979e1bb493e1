/*
 * test_load.c — the parallel model loader (screen/load.c): a small store
 * whose tables come out of order (persons interleaved, periods unsorted,
 * ids shared across tables, mixed case, NULLs) loads into byte-identical
 * models whatever the chunk size (one row per chunk up to one chunk per
 * table), and identical to a single builder fed every table with
 * fg_store_scan in the loader's documented table order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/build.h"
#include "store/store.h"
#include "testutil.h"

#define NPERSONS 23
#define NCONTRIB 211
#define NPAY 97
#define NSETT 31
#define NTXN 17

static fg_value T(const char *s) { return (fg_value){false, 0, s, (int)strlen(s)}; }
static fg_value I(int64_t i) { return (fg_value){false, i, NULL, 0}; }
static const fg_value NUL = {true, 0, NULL, 0};

static void put(fg_store *s, fg_table_id t, int64_t batch, const fg_value *v) {
  static int64_t line = 1; /* line 1 is a file's header */
  static const char digest[FG_DIGEST_BYTES] = "test-row-digest"; /* keyless tables */
  int64_t rowid = 0;
  fg_err err = {0};
  const fg_table *tab = fg_schema_table(t);
  fg_value all[FG_MAX_COLS];
  memcpy(all, v, (size_t)tab->ncols * sizeof *v);
  if (fg_schema_keyless(tab)) all[tab->ncols] = (fg_value){false, 0, digest, FG_DIGEST_BYTES};
  assert_int_equal(fg_store_insert(s, t, batch, ++line, all, &rowid, &err), 0);
}

static void pid(char *out, int k) { /* mixed case: pk matching upper-cases */
  snprintf(out, 24, "%s%016d", k % 3 ? "ab" : "AB", (k * 7) % NPERSONS);
}

static void put_people(fg_store *s, int64_t b) {
  char id[24], day[16];
  for (int k = NPERSONS - 1; k >= 0; k -= 2) { /* a person table out of order */
    pid(id, k);
    snprintf(day, sizeof day, "19%02d-0%d-1%d", 50 + k, 1 + k % 9, k % 9);
    fg_value v[] = {T(id), T("name"), T(k % 2 ? "1" : "2"), T(day), k % 4 ? T("110105") : NUL};
    put(s, FG_T_PERSONS, b, v);
  }
  for (int k = 0; k < NCONTRIB; k++) {
    char period[8], paid[16];
    pid(id, (k / 5) % (NPERSONS + 4)); /* runs of one person, some with no person row */
    snprintf(period, sizeof period, "20%02d-%02d", 10 + (k * 13) % 7, 1 + (k * 5) % 12);
    snprintf(paid, sizeof paid, "%.7s-15", period);
    fg_value v[] = {T(id), k % 6 ? T("E1") : NUL, T("110"), T("110105"), T(period),
                    I(500000 + k), I(80000), T(paid), T(k % 9 ? "normal" : "back_payment")};
    put(s, FG_T_CONTRIBUTIONS, b, v);
  }
}

static void put_money(fg_store *s, int64_t b) {
  char id[24], pay[16], acct[16], ref[16];
  for (int k = 0; k < NPAY; k++) {
    char period[8], paid[16];
    pid(id, (k * 11) % (NPERSONS + 6));
    snprintf(pay, sizeof pay, "P%05d", k);
    snprintf(acct, sizeof acct, "B%d", k % 13);
    snprintf(period, sizeof period, "2024-%02d", 1 + (k * 7) % 12);
    snprintf(paid, sizeof paid, "2024-%02d-10", 1 + (k * 3) % 12);
    fg_value v[] = {T(pay), T(id), T("110"), T("pension"), T("110105"), T(period),
                    I(300000 + k), T(paid), T(acct)};
    put(s, FG_T_BENEFIT_PAYMENTS, b, v);
  }
  for (int k = 0; k < 3; k++) {
    snprintf(acct, sizeof acct, "A%d", k);
    fg_value v[] = {T(acct), T("110"), T(k == 0 ? "income" : "expenditure"), I(0),
                    T("2016-01-01")};
    put(s, FG_T_FUND_ACCOUNTS, b, v);
  }
  for (int k = 0; k < NTXN; k++) {
    snprintf(pay, sizeof pay, "T%03d", NTXN - k);
    snprintf(acct, sizeof acct, "A%d", k % 4); /* A3 is no account */
    snprintf(ref, sizeof ref, "P%05d", k * 5); /* a payment id */
    fg_value v[] = {T(pay), T(acct), T("2024-03-0" "1"), T(k % 2 ? "in" : "out"),
                    I(1000 + k), k % 3 ? T("B1") : NUL, T("person"), T(ref),
                    T("payment")};
    put(s, FG_T_FUND_TRANSACTIONS, b, v);
  }
}

static void put_medical(fg_store *s, int64_t b) {
  char id[24], sett[16], day[16];
  for (int k = 0; k < NSETT; k++) {
    pid(id, (k * 5) % NPERSONS);
    snprintf(sett, sizeof sett, "S%03d", (k * 7) % NSETT);
    snprintf(day, sizeof day, "2024-0%d-1%d", 1 + k % 9, k % 10);
    fg_value v[] = {T(sett), T(id), T("H1"), T("310"), T(k % 2 ? "inpatient" : "outpatient"),
                    T(day), k % 2 ? T(day) : NUL, T("J18"), T(sett), I(10000 + k), I(8000),
                    T(day)};
    put(s, FG_T_MEDICAL_SETTLEMENTS, b, v);
  }
  for (int k = 0; k < 3 * NSETT + 2; k++) {
    snprintf(sett, sizeof sett, "S%03d", (k * 3) % (NSETT + 1)); /* S031: no settlement */
    fg_value v[] = {T(sett), I(3 - k % 4), T(k % 2 ? "D1" : "X9"), T("2024-01-10"), I(1000),
                    I(250), I(250), I(200)};
    put(s, FG_T_MEDICAL_ITEMS, b, v);
  }
  for (int k = 0; k < 4; k++) {
    pid(id, k * 3);
    snprintf(day, sizeof day, "2024-0%d-01", 5 - k);
    fg_value v[] = {T(id), T(day), T("health")};
    put(s, FG_T_DEATHS, b, v);
  }
}

/* A new store at path with one batch open: its id in *b. */
static fg_store *open_batch(const char *path, int64_t *b) {
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_create(path, &s, &err), 0);
  assert_int_equal(fg_store_begin(s, &err), 0);
  assert_int_equal(fg_store_batch_begin(s, "t", FG_BATCH_ATOMIC, "2025-01-01T00:00:00", b, &err),
                   0);
  return s;
}

/* A new store in a new temporary directory (*dir, path) with one batch
 * open (*b); commit_batch stores the batch and closes it. */
static fg_store *fresh_batch(char **dir, char *path, size_t n, int64_t *b) {
  *dir = fg_test_tmpdir();
  snprintf(path, n, "%s/fg.db", *dir);
  return open_batch(path, b);
}

static void commit_batch(fg_store *s, int64_t b) {
  fg_err err = {0};
  assert_int_equal(fg_store_batch_finish(s, b, "stored", "2025-01-01T00:00:01", &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
}

static void make_store(const char *path) {
  fg_err err = {0};
  int64_t b = 0;
  fg_store *s = open_batch(path, &b);
  put_people(s, b);
  put_money(s, b);
  put_medical(s, b);
  const fg_table_id brought[] = {FG_T_PERSONS, FG_T_CONTRIBUTIONS, FG_T_BENEFIT_PAYMENTS,
                                 FG_T_FUND_ACCOUNTS, FG_T_FUND_TRANSACTIONS,
                                 FG_T_MEDICAL_SETTLEMENTS, FG_T_MEDICAL_ITEMS, FG_T_DEATHS,
                                 FG_T_INCARCERATIONS}; /* the last one with no rows */
  char hex[65];
  memset(hex, 'a', 64);
  hex[64] = '\0';
  for (size_t i = 0; i < sizeof brought / sizeof *brought; i++) {
    fg_store_batch_file f = {brought[i], "f.csv", hex, 1, "utf-8", 1, 1, 0, 0};
    hex[i] = 'b';
    assert_int_equal(fg_store_batch_file_add(s, b, &f, &err), 0);
  }
  assert_int_equal(fg_store_batch_finish(s, b, "stored", "2025-01-01T00:00:01", &err), 0);
  assert_int_equal(fg_store_commit(s, &err), 0);
  fg_store_close(s);
}

/* ---- the reference: one builder, fg_store_scan, the documented order ------ */

typedef struct {
  fg_model_builder *b;
  fg_table_id t;
} feed;

static int feed_row(void *ud, int64_t rowid, const fg_value *vals) {
  feed *f = ud;
  fg_mb_add(f->b, f->t, rowid, vals);
  return 0;
}

/* load.c's order: largest table first, each to the lighter of two sides
 * (ties to side 0, equal sizes in table order); side 0's tables in table
 * order, then side 1's. */
static fg_model *reference_model(const char *path) {
  fg_store *s = NULL;
  fg_err err = {0};
  assert_int_equal(fg_store_open(path, true, &s, &err), 0);
  int64_t count[FG_T_COUNT], load[2] = {0, 0};
  int side_of[FG_T_COUNT];
  bool done[FG_T_COUNT] = {false};
  for (int t = 0; t < FG_T_COUNT; t++) count[t] = fg_store_count(s, (fg_table_id)t);
  for (int k = 0; k < FG_T_COUNT; k++) {
    int best = -1;
    for (int t = 0; t < FG_T_COUNT; t++)
      if (!done[t] && (best < 0 || count[t] > count[best])) best = t;
    done[best] = true;
    side_of[best] = load[1] < load[0] ? 1 : 0;
    load[side_of[best]] += count[best];
  }
  fg_model_builder *b = fg_mb_new();
  for (int side = 0; side < 2; side++)
    for (int t = 0; t < FG_T_COUNT; t++) {
      if (side_of[t] != side) continue;
      feed f = {b, (fg_table_id)t};
      if (fg_store_table_present(s, f.t)) fg_mb_present(b, f.t);
      assert_int_equal(fg_store_scan(s, f.t, feed_row, &f, &err), 0);
    }
  fg_store_close(s);
  return fg_mb_finish(b);
}

/* ---- comparing models byte by byte ---------------------------------------- */

#define SAME_ARRAY(x, y, n, arr)                                                     \
  do {                                                                               \
    assert_int_equal((x)->n, (y)->n);                                                \
    if ((x)->n) assert_memory_equal((x)->arr, (y)->arr, (size_t)(x)->n * sizeof *(x)->arr); \
  } while (0)
#define SAME_OFF(x, y, off) \
  assert_memory_equal((x)->off, (y)->off, ((size_t)(x)->npk + 1) * sizeof *(x)->off)

static void same_model(const fg_model *x, const fg_model *y) {
  assert_memory_equal(x->present, y->present, sizeof x->present);
  assert_int_equal(x->nstr, y->nstr);
  for (uint32_t i = 0; i < x->nstr; i++) assert_string_equal(x->str[i], y->str[i]);
  assert_int_equal(x->npk, y->npk);
  for (int32_t i = 0; i < x->npk; i++) assert_string_equal(x->pk_id[i], y->pk_id[i]);
  assert_memory_equal(x->pk_person, y->pk_person, (size_t)x->npk * sizeof *x->pk_person);
  assert_memory_equal(x->pk_death, y->pk_death, (size_t)x->npk * sizeof *x->pk_death);
  SAME_ARRAY(x, y, npersons, persons);
  SAME_ARRAY(x, y, nemployers, employers);
  SAME_ARRAY(x, y, ncontributions, contributions);
  SAME_OFF(x, y, contributions_off);
  assert_int_equal(x->npayments, y->npayments);
  for (int64_t i = 0; i < x->npayments; i++) { /* every field; the uid below, by its text */
    fg_m_payment a = x->payments[i], b = y->payments[i];
    a.payment_uid = b.payment_uid = 0;
    assert_memory_equal(&a, &b, sizeof a);
  }
  fg_uid_buf bx, by; /* the texts are equal; a chunk's blob starts its own front coding */
  for (int64_t i = 0; i < x->npayments; i++)
    assert_string_equal(fg_m_uid(x, x->payments[i].payment_uid, &bx),
                        fg_m_uid(y, y->payments[i].payment_uid, &by));
  SAME_OFF(x, y, payments_off);
  SAME_ARRAY(x, y, nsettlements, settlements);
  SAME_OFF(x, y, settlements_off);
  SAME_ARRAY(x, y, nitems, items);
  SAME_ARRAY(x, y, ndeaths, deaths);
  SAME_OFF(x, y, deaths_off);
  SAME_ARRAY(x, y, naccounts, accounts);
  SAME_ARRAY(x, y, ntxns, txns);
  SAME_OFF(x, y, enrollments_off);
  SAME_OFF(x, y, incarcerations_off);
}

static void test_chunk_sizes(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir(), path[4200];
  snprintf(path, sizeof path, "%s/fg.db", dir);
  make_store(path);
  fg_model *ref = reference_model(path);
  assert_int_equal(ref->ncontributions, NCONTRIB);
  assert_int_equal(ref->npayments, NPAY);
  assert_true(ref->present[FG_T_INCARCERATIONS]);
  assert_false(ref->present[FG_T_STAFF]);
  const int64_t sizes[] = {1, 2, 3, 7, 64, (int64_t)1 << 30};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    fg_model *m = NULL;
    fg_err err = {0};
    assert_int_equal(fg_model_load_chunked(path, sizes[i], &m, &err), 0);
    same_model(ref, m);
    fg_model_free(m);
  }
  fg_model *m = NULL;
  fg_err err = {0};
  assert_int_equal(fg_model_load(path, &m, &err), 0);
  same_model(ref, m);
  /* ids shared across tables intern to one sid; pk matching upper-cases */
  fg_sid p5 = fg_model_find_sid(m, "P00005");
  assert_true(p5 != 0);
  bool shared = false;
  for (int64_t k = 0; k < m->ntxns; k++) shared |= m->txns[k].reference == p5;
  assert_true(shared);
  assert_true(fg_model_find_pk(m, "ab0000000000000007") >= 0);
  fg_model_free(m);
  fg_model_free(ref);
  fg_test_rmrf(dir);
  free(dir);
}

/* Finishing merges the loader's chunks of a table whose persons do not
 * ascend (each chunk sorted by person as it is merged) and hands each
 * chunk's pages back as it copies them out (fg_mb_sort_run). 60,000
 * payments (2.9 MB) whose persons cycle, in chunks of 4,096 rows (15 runs,
 * pages released every 8,192 rows of a run and at its end) and of 50,000
 * (two runs): the model equals the single builder's, byte for byte. */
#define BIG_PAY 60000
static void test_merge_runs(void **state) {
  (void)state;
  char *dir = NULL, path[4200];
  fg_err err = {0};
  int64_t b = 0;
  fg_store *s = fresh_batch(&dir, path, sizeof path, &b);
  for (int k = 0; k < BIG_PAY; k++) {
    char id[24], pay[24], period[8], paid[16];
    pid(id, k % 5003); /* every person again after 5,003 rows */
    snprintf(pay, sizeof pay, "PAY%07d", k);
    snprintf(period, sizeof period, "20%02d-%02d", 10 + (k * 7) % 9, 1 + (k * 5) % 12);
    snprintf(paid, sizeof paid, "%.7s-2%d", period, k % 8);
    fg_value v[] = {T(pay), T(id), T("110"), T("pension"), T("110105"), T(period), I(300000 + k),
                    T(paid), T(k % 11 ? "B1" : "B2")};
    put(s, FG_T_BENEFIT_PAYMENTS, b, v);
  }
  commit_batch(s, b);
  fg_model *ref = reference_model(path);
  assert_int_equal(ref->npayments, BIG_PAY);
  const int64_t sizes[] = {4096, 50000};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    fg_model *m = NULL;
    assert_int_equal(fg_model_load_chunked(path, sizes[i], &m, &err), 0);
    same_model(ref, m);
    /* by person (the groups of payments_off cover every row), then period */
    assert_int_equal(m->payments_off[0], 0);
    assert_int_equal(m->payments_off[m->npk], m->npayments);
    for (fg_pk pk = 0; pk < m->npk; pk++) {
      assert_true(m->payments_off[pk] <= m->payments_off[pk + 1]);
      for (int64_t r = m->payments_off[pk] + 1; r < m->payments_off[pk + 1]; r++)
        assert_true(fg_mp_period(&m->payments[r - 1]) <= fg_mp_period(&m->payments[r]));
    }
    fg_model_free(m);
  }
  fg_model_free(ref);
  fg_test_rmrf(dir);
  free(dir);
}

/* fg_mb_settle sorts contributions into their final rows as soon as their
 * last chunk is in; persons first named by a table read after them (here
 * deaths: the largest table is read first) have no contributions, and
 * finishing extends the settled offsets with their empty groups. The model
 * equals the single builder's, byte for byte, in chunks of every size. */
static void test_settled_then_new_persons(void **state) {
  (void)state;
  char *dir = NULL, path[4200];
  fg_err err = {0};
  int64_t b = 0;
  fg_store *s = fresh_batch(&dir, path, sizeof path, &b);
  char id[24], period[8], paid[16];
  for (int k = 0; k < 200; k++) {
    snprintf(id, sizeof id, "C%04d", (k * 7) % 40); /* out of order: the runs are merged */
    snprintf(period, sizeof period, "2024-%02d", 1 + k % 12);
    snprintf(paid, sizeof paid, "%.7s-15", period);
    fg_value v[] = {T(id), T("E1"), T("110"), T("110105"), T(period), I(500000 + k), I(80000),
                    T(paid), T("normal")};
    put(s, FG_T_CONTRIBUTIONS, b, v);
  }
  for (int k = 0; k < 10; k++) {
    snprintf(id, sizeof id, "D%04d", k);
    fg_value v[] = {T(id), T("2024-05-01"), T("health")};
    put(s, FG_T_DEATHS, b, v);
  }
  commit_batch(s, b);
  fg_model *ref = reference_model(path);
  assert_int_equal(ref->npk, 50);
  const int64_t sizes[] = {1, 7, 64, (int64_t)1 << 30};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    fg_model *m = NULL;
    assert_int_equal(fg_model_load_chunked(path, sizes[i], &m, &err), 0);
    same_model(ref, m);
    for (fg_pk pk = 0; pk < m->npk; pk++) { /* the persons of deaths: none */
      const bool dead = m->pk_death[pk] != FG_NODAY;
      assert_int_equal(m->contributions_off[pk + 1] - m->contributions_off[pk], dead ? 0 : 5);
    }
    fg_model_free(m);
  }
  fg_model_free(ref);
  fg_test_rmrf(dir);
  free(dir);
}

/* A table settled before any person is known: the benefit payments and
 * the deaths are the same size, so the payments take side 0 and an empty
 * contributions table joins them there, ahead of them in table order; it
 * is settled with no persons at all, and finishing extends its offsets
 * from that empty start. */
static void test_settled_before_any_person(void **state) {
  (void)state;
  char *dir = NULL, path[4200];
  fg_err err = {0};
  int64_t b = 0;
  fg_store *s = fresh_batch(&dir, path, sizeof path, &b);
  char id[24], pay[24];
  for (int k = 0; k < 3; k++) {
    snprintf(id, sizeof id, "Q%04d", k);
    snprintf(pay, sizeof pay, "PAY%04d", k);
    fg_value p[] = {T(pay), T(id), T("110"), T("pension"), T("110105"), T("2024-01"),
                    I(300000), T("2024-01-10"), T("B1")};
    put(s, FG_T_BENEFIT_PAYMENTS, b, p);
    fg_value d[] = {T(id), T("2024-05-01"), T("health")};
    put(s, FG_T_DEATHS, b, d);
  }
  commit_batch(s, b);
  fg_model *ref = reference_model(path);
  const int64_t sizes[] = {1, (int64_t)1 << 30};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    fg_model *m = NULL;
    assert_int_equal(fg_model_load_chunked(path, sizes[i], &m, &err), 0);
    same_model(ref, m);
    assert_int_equal(m->npk, 3);
    assert_int_equal(m->contributions_off[m->npk], 0);
    fg_model_free(m);
  }
  fg_model_free(ref);
  fg_test_rmrf(dir);
  free(dir);
}

static void test_missing_store(void **state) {
  (void)state;
  fg_model *m = NULL;
  fg_err err = {0};
  assert_int_not_equal(fg_model_load("/nonexistent/fg.db", &m, &err), 0);
  assert_null(m);
}

/* Issue 14.5: a builder past a limit is refused with an error, never an
 * abort(): here more rows than the window the loader planned. */
static void test_limit_is_an_error(void **state) {
  (void)state;
  fg_model_builder *b = fg_mb_new();
  fg_err err = {0};
  assert_int_equal(fg_mb_check(b, &err), 0);
  const size_t es = 256; /* room enough for one row of any table */
  void *window = calloc(2, es);
  fg_mb_rows_window(b, FG_T_DEATHS, window, 1);
  fg_value v[] = {T("P1"), T("2024-01-01"), T("court")};
  fg_mb_add(b, FG_T_DEATHS, 1, v);
  fg_mb_add(b, FG_T_DEATHS, 2, v); /* does not fit: dropped, flagged */
  assert_int_equal(fg_mb_check(b, &err), FG_ELIMIT);
  assert_non_null(strstr(err.msg, "重新筛查"));
  fg_mb_free(b);
  free(window);
}

/* A contribution's region is held as its 6-digit code (model.h): a stored
 * text that is not one — never written by an import, so the store was
 * edited some other way — refuses the model by name instead of being
 * screened as some other region. */
static void test_region_not_a_code(void **state) {
  (void)state;
  static const char *const bad[] = {"X10105", "11010", "1101050", "11 105"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    fg_model_builder *b = fg_mb_new();
    fg_err err = {0};
    fg_value ok[] = {T("P1"), T("E1"), T("110"), T("110105"), T("2024-01"),
                     {false, 500000, NULL, 0}, {false, 40000, NULL, 0}, T("2024-02-01"), T("normal")};
    fg_mb_add(b, FG_T_CONTRIBUTIONS, 1, ok);
    assert_int_equal(fg_mb_check(b, &err), 0);
    fg_value v[9];
    memcpy(v, ok, sizeof v);
    v[3] = T(bad[k]);
    fg_mb_add(b, FG_T_CONTRIBUTIONS, 2, v);
    assert_int_equal(fg_mb_check(b, &err), FG_EVERIFY);
    assert_non_null(strstr(err.msg, "region"));
    assert_non_null(strstr(err.msg, "log verify"));
    fg_mb_free(b);
  }
}

/* Line numbers held as fg_fen32 sort by value even when escaped (a store
 * edited outside the import can hold any integer): a settlement's lines
 * 3000000000, 5, 2147483648 and 2147483647 come out in numeric order. */
static void test_item_escaped_lines(void **state) {
  (void)state;
  fg_model_builder *b = fg_mb_new();
  fg_value s[] = {T("S1"), T("P1"), T("H1"), T("310"), T("outpatient"), T("2024-01-05"), NUL,
                  NUL, T("I1"), I(100), I(50), T("2024-01-05")};
  fg_mb_add(b, FG_T_MEDICAL_SETTLEMENTS, 1, s);
  static const int64_t in[] = {3000000000LL, 5, 2147483648LL, 2147483647LL};
  static const int64_t want[] = {5, 2147483647LL, 2147483648LL, 3000000000LL};
  for (int k = 0; k < 4; k++) {
    fg_value v[] = {T("S1"), I(in[k]), T("C1"), T("2024-01-05"), I(1000), I(1), I(1), I(1)};
    fg_mb_add(b, FG_T_MEDICAL_ITEMS, k + 1, v);
  }
  fg_err err = {0};
  assert_int_equal(fg_mb_check(b, &err), 0);
  fg_model *m = fg_mb_finish(b);
  assert_int_equal(m->nitems, 4);
  for (int k = 0; k < 4; k++) {
    assert_int_equal(fg_m_fen(m, m->items[k].line_f32), want[k]);
    assert_int_equal(m->items[k].settlement, 0);
  }
  fg_model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chunk_sizes),
      cmocka_unit_test(test_merge_runs),
      cmocka_unit_test(test_settled_then_new_persons),
      cmocka_unit_test(test_settled_before_any_person),
      cmocka_unit_test(test_limit_is_an_error),
      cmocka_unit_test(test_region_not_a_code),
      cmocka_unit_test(test_item_escaped_lines),
      cmocka_unit_test(test_missing_store),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
