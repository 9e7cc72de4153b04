/* SPDX-License-Identifier: MIT */
/* replay.c — a main() for a fuzz target built without libFuzzer: feed it
 * every file named on the command line (a folder: every file in it, in
 * name order), one input at a time.  The normal test suite runs each
 * target this way over its regression inputs (tests/fuzz/regressions/)
 * and its seeds, so what fuzzing once found stays fixed under gcc, ASan
 * and valgrind alike.  A crash, a sanitizer report or a hang (ctest's
 * timeout) fails the test. */
#define _DEFAULT_SOURCE 1 /* scandir, alphasort */
#include "base.h"
#include "fuzz.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *bytes = file_read_all(path, (size_t)64 << 20, &len, d);
  diag_drop(d);
  if (!bytes)
    return 1;
  /* A copy of exactly len bytes, so reading past the input is caught. */
  uint8_t *input = xmalloc(len ? len : 1);
  memcpy(input, bytes, len);
  free(bytes);
  LLVMFuzzerTestOneInput(input, len);
  free(input);
  return 0;
}

static int is_dot(const struct dirent *e) { return e->d_name[0] != '.'; }

int main(int argc, char **argv) {
  int inputs = 0, failures = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: %s: cannot open\n", argv[i]);
      failures++;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      failures += run_file(argv[i]);
      inputs++;
      continue;
    }
    struct dirent **names;
    int n = scandir(argv[i], &names, is_dot, alphasort);
    for (int k = 0; k < n; k++) {
      char *path = xmalloc(strlen(argv[i]) + strlen(names[k]->d_name) + 2);
      sprintf(path, "%s/%s", argv[i], names[k]->d_name);
      if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        failures += run_file(path);
        inputs++;
      }
      free(path);
      free(names[k]);
    }
    free(names);
  }
  printf("replayed %d inputs, %d unreadable\n", inputs, failures);
  return failures || inputs == 0;
}
