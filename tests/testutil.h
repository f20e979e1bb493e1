/*
 * testutil.h — helpers shared by the cmocka tests: temporary directories,
 * writing files, running the fundguard binary.
 */
#ifndef FG_TESTS_TESTUTIL_H
#define FG_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* mkdtemp under $TMPDIR (or /tmp); returns heap path (free()). */
char *fg_test_tmpdir(void);
/* rm -rf path */
void fg_test_rmrf(const char *path);
/* Write n bytes (or strlen when n == (size_t)-1) to dir/name. */
void fg_test_write(const char *dir, const char *name, const char *data, size_t n);
/* Read a whole file; returns heap memory, sets *n. NULL if absent. */
char *fg_test_read(const char *path, size_t *n);
/* Run a shell command line; returns its exit status; captures stdout and
 * stderr into heap strings when out/errout are non-NULL. */
int fg_test_run(const char *cmdline, char **out, char **errout);

#endif
