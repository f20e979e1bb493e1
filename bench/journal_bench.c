/*
 * journal_bench.c — driver of bench/journal: appends N journal entries in
 * durable commits of K entries each (synchronous=FULL), then verifies the
 * whole journal (signatures on two threads), printing entries/s and
 * seconds. Usage: journal_bench DB N K
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "journal/journal.h"

static double fg_bench_now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4 || sodium_init() < 0) return 2;
  const char *db = argv[1];
  long n = atol(argv[2]), k = atol(argv[3]);
  char key[4096];
  snprintf(key, sizeof key, "%s.key", db);
  fg_err err = {0};
  fg_store *s = NULL;
  fg_signer sg;
  if (fg_store_create(db, &s, &err) || fg_journal_platform_keygen(s, key, NULL, &err) ||
      fg_journal_platform_signer(key, &sg, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  double t0 = fg_bench_now_s();
  for (long i = 0; i < n; i += k) {
    if (fg_store_begin(s, &err)) return 1;
    for (long j = i; j < i + k && j < n; j++) {
      char p[96];
      int len = snprintf(p, sizeof p, "{\"bench\":%ld,\"what\":\"screen.run\"}", j);
      if (fg_journal_append(s, &sg, "bench.entry", p, (size_t)len, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
      }
    }
    if (fg_store_commit(s, &err)) return 1;
  }
  double t1 = fg_bench_now_s();
  fg_journal_verify_opts o = {sg.pk, NULL, 2};
  fg_journal_verify_report rep;
  int rc = fg_journal_verify(s, &o, &rep, &err);
  double t2 = fg_bench_now_s();
  printf("append %ld entries, %ld per durable commit: %.1f s, %.0f entries/s\n", n, k, t1 - t0,
         (double)n / (t1 - t0));
  printf("verify %llu entries (2 threads): %.1f s, rc=%d, problems=%lld\n",
         (unsigned long long)rep.entries, t2 - t1, rc, (long long)rep.problems);
  fg_buf_release(&rep.text);
  fg_store_close(s);
  return rc == 0 ? 0 : 1;
}
