/* SPDX-License-Identifier: MIT */
/* harness.h — a very small test harness shared by the C tests.
 *
 *   TEST(yaml_rejects_tabs) { CHECK(...); CHECK_STR(a, b); }
 *   int main(void) { RUN(yaml_rejects_tabs); return harness_done(); }
 *
 * A failed CHECK prints file:line and the expression and marks the test
 * failed; the test goes on, so one run shows every failure.  Run one test
 * by name: ./test_x name (a name the program has not is a failure).
 *
 * A test that cannot run here says why and returns: SKIP("no /dev/full").
 * It is reported as skipped, never as passed; a program all of whose
 * tests run were skipped exits 77, which ctest shows as skipped
 * (SKIP_RETURN_CODE, tests/CMakeLists.txt). */
#ifndef BUDGETPDF_HARNESS_H
#define BUDGETPDF_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failures, harness_checks, harness_tests;
static const char *harness_only;
static int harness_current_failed;
static const char *harness_current_skipped;
static int harness_tests_failed, harness_tests_skipped;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                              \
  do {                                                                         \
    if (harness_only && strcmp(harness_only, #name))                           \
      break;                                                                   \
    harness_current_failed = 0;                                                \
    harness_current_skipped = NULL;                                            \
    harness_tests++;                                                           \
    test_##name();                                                             \
    harness_report(#name);                                                     \
  } while (0)

/* The current test cannot run here, for this reason (a string literal). */
#define SKIP(reason) (harness_current_skipped = (reason))

#define CHECK(cond)                                                            \
  do {                                                                         \
    harness_checks++;                                                          \
    if (!(cond)) {                                                             \
      harness_failures++;                                                      \
      harness_current_failed = 1;                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    harness_checks++;                                                          \
    if (!g_ || !w_ || strcmp(g_, w_)) {                                        \
      harness_failures++;                                                      \
      harness_current_failed = 1;                                              \
      fprintf(stderr, "%s:%d: %s\n   got: %s\n  want: %s\n", __FILE__,        \
              __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                   \
  do {                                                                         \
    long long g_ = (long long)(got), w_ = (long long)(want);                   \
    harness_checks++;                                                          \
    if (g_ != w_) {                                                            \
      harness_failures++;                                                      \
      harness_current_failed = 1;                                              \
      fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__,    \
              #got, g_, w_);                                                   \
    }                                                                          \
  } while (0)

/* Does haystack contain needle?  For asserting diagnostics. */
#define CHECK_CONTAINS(haystack, needle)                                       \
  do {                                                                         \
    const char *h_ = (haystack), *n_ = (needle);                               \
    harness_checks++;                                                          \
    if (!h_ || !strstr(h_, n_)) {                                              \
      harness_failures++;                                                      \
      harness_current_failed = 1;                                              \
      fprintf(stderr, "%s:%d: %s does not contain \"%s\"\n  it is: %s\n",      \
              __FILE__, __LINE__, #haystack, n_, h_ ? h_ : "(null)");          \
    }                                                                          \
  } while (0)

static inline void harness_init(int argc, char **argv) {
  harness_only = argc > 1 ? argv[1] : NULL;
}

static inline void harness_report(const char *name) {
  if (harness_current_failed) {
    harness_tests_failed++;
    printf("FAIL %s\n", name);
  } else if (harness_current_skipped) {
    harness_tests_skipped++;
    printf("skip %s: %s\n", name, harness_current_skipped);
  } else {
    printf("ok   %s\n", name);
  }
}

static inline int harness_done(void) {
  if (harness_only && !harness_tests) {
    fprintf(stderr, "no test named '%s' in this program\n", harness_only);
    return 1;
  }
  int passed = harness_tests - harness_tests_failed - harness_tests_skipped;
  printf("%d passed, %d failed, %d skipped (%d checks)\n", passed,
         harness_tests_failed, harness_tests_skipped, harness_checks);
  if (harness_failures)
    return 1;
  return passed == 0 && harness_tests_skipped ? 77 : 0;
}

/* A diagnostics sink whose output a test can read back as a string. */
typedef struct captured_diag {
  char *text;
  size_t len;
  FILE *stream;
} captured_diag;

static inline FILE *capture_open(captured_diag *c) {
  c->text = NULL;
  c->len = 0;
  c->stream = open_memstream(&c->text, &c->len);
  return c->stream;
}

/* Flushes and returns everything printed so far. */
static inline const char *capture_text(captured_diag *c) {
  fflush(c->stream);
  return c->text ? c->text : "";
}

static inline void capture_close(captured_diag *c) {
  fclose(c->stream);
  free(c->text);
  c->text = NULL;
}

#endif
