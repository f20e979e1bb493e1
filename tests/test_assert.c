/*
 * test_assert.c — the project's invariant macro (common/fg.h): FG_ASSERT
 * stops the process in every build, Release (NDEBUG) included, naming the
 * expression; FG_ASSERT_HOT only where NDEBUG is not defined. Issue 12.16:
 * the shipped build used to compile every check out.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "common/fg.h"

static int child_status(void (*fn)(void)) {
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    freopen("/dev/null", "w", stderr);
    fn();
    _exit(0);
  }
  int st = 0;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  return st;
}

static volatile int fg_test_zero = 0;
static void broken(void) { FG_ASSERT(fg_test_zero == 1); }
static void broken_hot(void) { FG_ASSERT_HOT(fg_test_zero == 1); }

static void test_assert_always_on(void **state) {
  (void)state;
  const int st = child_status(broken);
  assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
  const int hot = child_status(broken_hot);
#ifdef NDEBUG
  assert_true(WIFEXITED(hot) && WEXITSTATUS(hot) == 0); /* hot paths: debug only */
#else
  assert_true(WIFSIGNALED(hot) && WTERMSIG(hot) == SIGABRT);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_assert_always_on)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
