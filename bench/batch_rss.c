/* SPDX-License-Identifier: MIT */
/* batch_rss.c — what one batch worker's memory does over many documents:
 * renders the data files given (again and again, up to COUNT documents)
 * in one process with one render_resources, as a worker does, and prints
 * the resident set size after the 1st, 10th, 100th, … and last document,
 * and the peak, and what of it is the process's own memory (RssAnon) and
 * what is mapped files (RssFile: the fonts' pages, which the page cache
 * holds once for every worker).  The PDFs go to memory (dropped at once): the file
 * writing is the same for every document and not what is measured.
 *
 *   batch_rss COUNT DATADIR DATA.yaml...
 */
#define _GNU_SOURCE 1
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* A field of /proc/self/status (VmRSS, VmHWM, RssAnon, RssFile), KiB. */
static long status_kib(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  size_t n = strlen(field);
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, field, n) && line[n] == ':')
      kib = strtol(line + n + 1, NULL, 10);
  if (f)
    fclose(f);
  return kib;
}

int main(int argc, char **argv) {
  long count = argc > 3 ? strtol(argv[1], NULL, 10) : 0;
  if (count < 1) {
    fputs("usage: batch_rss COUNT DATADIR DATA.yaml...\n", stderr);
    return 2;
  }
  render_resources *res = render_resources_new();
  FILE *quiet = fopen("/dev/null", "w");
  long failures = 0, next_report = 1;
  printf("  %8s %10s %10s %10s %10s\n", "document", "RSS_KiB", "peak_KiB",
         "anon_KiB", "file_KiB");
  for (long i = 1; i <= count; i++) {
    render_job job = {.data = argv[3 + (i - 1) % (argc - 3)],
                      .datadir = argv[2],
                      .source_date_epoch = getenv("SOURCE_DATE_EPOCH")};
    bbuf pdf = {0};
    diag *d = diag_new(quiet);
    failures += render(res, &job, &(render_sink){.memory = &pdf}, NULL, d) !=
                BP_EXIT_OK;
    diag_drop(d);
    bbuf_free(&pdf);
    if (i == next_report || i == count) {
      printf("  %8ld %10ld %10ld %10ld %10ld\n", i, status_kib("VmRSS"),
             status_kib("VmHWM"), status_kib("RssAnon"), status_kib("RssFile"));
      fflush(stdout);
      next_report *= 10;
    }
  }
  render_resources_drop(res);
  fclose(quiet);
  if (failures)
    fprintf(stderr, "batch_rss: %ld documents failed\n", failures);
  return failures ? 1 : 0;
}
