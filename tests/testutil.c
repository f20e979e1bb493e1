/*
 * testutil.c — implementation of the test helpers.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

char *fg_test_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/fgtest.XXXXXX", base && *base ? base : "/tmp");
  char *p = mkdtemp(tmpl);
  assert_non_null(p);
  return strdup(p);
}

void fg_test_rmrf(const char *path) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  int rc = system(cmd);
  (void)rc;
}

void fg_test_write(const char *dir, const char *name, const char *data, size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  if (n == (size_t)-1) n = strlen(data);
  assert_int_equal(fwrite(data, 1, n, f), n);
  fclose(f);
}

char *fg_test_read(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)sz + 1);
  size_t got = fread(buf, 1, (size_t)sz, f);
  fclose(f);
  buf[got] = '\0';
  if (n) *n = got;
  return buf;
}

int fg_test_run(const char *cmdline, char **out, char **errout) {
  char *dir = fg_test_tmpdir();
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "(%s) >'%s/out' 2>'%s/err' </dev/null", cmdline, dir, dir);
  int st = system(cmd);
  char path[4200];
  snprintf(path, sizeof path, "%s/out", dir);
  if (out) *out = fg_test_read(path, NULL);
  snprintf(path, sizeof path, "%s/err", dir);
  if (errout) *errout = fg_test_read(path, NULL);
  fg_test_rmrf(dir);
  free(dir);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
