/* SPDX-License-Identifier: MIT */
/* testpoint.c — the test points of base.h, compiled into the test build
 * (budgetpdf-testing) only. */
#ifdef BUDGETPDF_TESTING
#include "base.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

void test_point(const char *name) {
  const char *stop = getenv("BUDGETPDF_TEST_STOP_AT");
  if (stop && !strcmp(stop, name))
    raise(SIGSTOP); /* the test sees the stop, acts, then continues us */
}

static unsigned long allocations, fail_at;
static bool read_env;

static void print_count(void) {
  fprintf(stderr, "allocations: %lu\n", allocations);
}

bool test_allocation_fails(void) {
  if (!read_env) {
    read_env = true;
    const char *n = getenv("BUDGETPDF_TEST_FAIL_ALLOC");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    if (getenv("BUDGETPDF_TEST_COUNT_ALLOCS"))
      atexit(print_count);
  }
  return ++allocations == fail_at;
}
#endif
