/* main.c — the budgetpdf command line: parse arguments, call the stages,
 * choose the exit status.  No document logic lives here. */
#include "base.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: budgetpdf <command> [options]\n"
    "\n"
    "commands:\n"
    "  render DATA.yaml -o OUT.pdf   render the disclosure PDF\n"
    "  check DATA.yaml               check the data and its arithmetic\n"
    "\n"
    "options:\n"
    "  -h, --help       show this help\n"
    "  --version        show the version\n"
    "\n"
    "Exit status: 0 success, 1 errors in the inputs, 2 usage or I/O error,\n"
    "3 internal error, 128+N interrupted by signal N.\n";

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return BP_EXIT_USAGE;
  }
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(usage, stdout);
    return BP_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("budgetpdf %s\n", BUDGETPDF_VERSION);
    return BP_EXIT_OK;
  }
  fprintf(stderr, "budgetpdf: error: unknown command '%s'\n%s", argv[1],
          usage);
  return BP_EXIT_USAGE;
}
