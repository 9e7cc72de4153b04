/* main.c — the budgetpdf command line: parse arguments, call the stages,
 * choose the exit status.  No document logic lives here. */
#include "base.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: budgetpdf <command> [options]\n"
    "\n"
    "commands:\n"
    "  render DATA.yaml -o OUT.pdf   render the disclosure PDF\n"
    "                                (--strict: refuse if check finds "
    "anything)\n"
    "  check DATA.yaml               check the data and its arithmetic\n"
    "\n"
    "options:\n"
    "  --schema FILE    use this schema instead of the one the data names\n"
    "  -h, --help       show this help\n"
    "  --version        show the version\n"
    "\n"
    "Exit status: 0 success, 1 errors in the inputs, 2 usage or I/O error,\n"
    "3 internal error, 128+N interrupted by signal N.\n";

static int usage_error(const char *message, const char *arg) {
  fprintf(stderr, "budgetpdf: error: %s%s%s%s\n%s", message,
          arg ? " '" : "", arg ? arg : "", arg ? "'" : "", usage);
  return BP_EXIT_USAGE;
}

/* check DATA.yaml [--schema FILE]: load errors first; the arithmetic only
 * runs on data that loaded cleanly. */
static int run_check(int argc, char **argv) {
  const char *data = NULL;
  model_options opts = {.datadir = BUDGETPDF_DATADIR};
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--schema")) {
      if (i + 1 == argc)
        return usage_error("--schema needs a file", NULL);
      opts.schema_path = argv[++i];
    } else if (argv[i][0] == '-')
      return usage_error("unknown option for check:", argv[i]);
    else if (!data)
      data = argv[i];
    else
      return usage_error("check takes one data file; extra argument", argv[i]);
  }
  if (!data)
    return usage_error("check needs a data file", NULL);
  diag *d = diag_new(stderr);
  model *m = model_load(data, &opts, d);
  src_pos whole = {data, 0, 0};
  if (!m) {
    if (diag_exit_status(d) == BP_EXIT_INPUT)
      diag_report(d, DIAG_NOTE, DIAG_SCHEMA, whole,
                  "arithmetic not checked: fix the errors above first");
  } else {
    size_t n = model_report_findings(m, d, DIAG_ERROR);
    if (n)
      diag_report(d, DIAG_NOTE, DIAG_CHECK, whole, "%zu finding%s", n,
                  n == 1 ? "" : "s");
    else
      printf("%s: no findings\n", data);
  }
  int status = diag_exit_status(d);
  model_drop(m);
  diag_drop(d);
  return status;
}

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
  if (!strcmp(argv[1], "check"))
    return run_check(argc, argv);
  if (!strcmp(argv[1], "render")) {
    fputs("budgetpdf: error: render is not built yet in this version\n",
          stderr);
    return BP_EXIT_INTERNAL;
  }
  return usage_error("unknown command", argv[1]);
}
