/* SPDX-License-Identifier: MIT */
/* main.c — the budgetpdf command line: parse the options (getopt_long)
 * into a job for the render library (render.h) and return the exit status
 * it gives.  No pipeline logic lives here. */
#define _GNU_SOURCE 1 /* getopt_long */
#include "base.h"
#include "render.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: budgetpdf <command> [options]\n"
    "\n"
    "commands:\n"
    "  render DATA.yaml -o OUT.pdf   render the disclosure PDF\n"
    "  check DATA.yaml               check the data and its arithmetic\n"
    "\n"
    "options:\n"
    "  --schema FILE       use this schema instead of the one the data names\n"
    "  --layout FILE       (render) use this layout instead of the data's\n"
    "  --fonts FILE        (render) font roles (default fonts/fonts.yaml)\n"
    "  --font ROLE=FILE    (render) set a font role to a font file of yours,\n"
    "                      e.g. --font 仿宋=/fonts/仿宋_GB2312.ttf (FILE#N for\n"
    "                      face N of a collection); may be repeated\n"
    "  -o, --output FILE   (render) the PDF to write\n"
    "  --strict            (render) refuse to render if check finds anything\n"
    "  --dump blocks|pages (render) print the block tree or the display lists\n"
    "                      instead of writing a PDF\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "Options take their value as '--opt FILE', '--opt=FILE' or '-oFILE';\n"
    "'--' ends the options.\n"
    "\n"
    "The PDF's creation date is the data's sign-off date, or\n"
    "SOURCE_DATE_EPOCH when that is set.\n"
    "\n"
    "Exit status: 0 success, 1 errors in the inputs (nothing written),\n"
    "2 usage or I/O error, 3 internal error, 128+N interrupted by signal N.\n";

static int usage_error(const char *message, const char *arg) {
  fprintf(stderr, "budgetpdf: error: %s%s%s%s\n%s", message,
          arg ? " '" : "", arg ? arg : "", arg ? "'" : "", usage);
  return BP_EXIT_USAGE;
}

/* What the command line asks of `render` or `check`. */
typedef struct cli {
  const char *command;
  render_job job;
  const char *output;
  const char **data; /* the data files, in order */
  size_t ndata;
  const char **font_roles; /* --font specs, argv strings */
} cli;

enum { OPT_SCHEMA = 256, OPT_LAYOUT, OPT_FONTS, OPT_FONT, OPT_STRICT,
       OPT_DUMP };

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"fonts", required_argument, NULL, OPT_FONTS},
    {"font", required_argument, NULL, OPT_FONT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"dump", required_argument, NULL, OPT_DUMP},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Is option `opt` one the command takes?  check takes only --schema. */
static bool command_takes(const char *command, int opt) {
  return !strcmp(command, "render") || opt == OPT_SCHEMA || opt == 'h';
}

/* Parse argv[1..] (argv[1] is the command).  Returns BP_EXIT_OK, or the
 * status of a usage error already printed; -1 for --help (printed). */
static int parse_cli(int argc, char **argv, cli *c) {
  c->command = argv[1];
  c->data = xcalloc((size_t)argc, sizeof *c->data);
  c->font_roles = xcalloc((size_t)argc, sizeof *c->font_roles);
  c->job.datadir = program_datadir();
  c->job.source_date_epoch = getenv("SOURCE_DATE_EPOCH");
  opterr = 0; /* our own messages, with the usage */
  optind = 1;
  char **args = argv + 1;
  int nargs = argc - 1;
  char what[64];
  snprintf(what, sizeof what, "unknown option for %s:", c->command);
  for (;;) {
    int index = -1;
    int opt = getopt_long(nargs, args, ":o:h", long_options, &index);
    if (opt == -1)
      break;
    if (opt == '?')
      return usage_error(what, optopt ? (char[]){'-', (char)optopt, 0}
                                      : args[optind - 1]);
    if (opt == ':') {
      char message[48];
      int o = optopt ? optopt : long_options[index].val;
      snprintf(message, sizeof message, "%s needs %s",
               o == 'o' ? "-o" : args[optind - 1],
               o == OPT_FONT   ? "ROLE=FILE"
               : o == OPT_DUMP ? "'blocks' or 'pages'"
                               : "a file");
      return usage_error(message, NULL);
    }
    if (!command_takes(c->command, opt)) {
      char name[32];
      if (index >= 0)
        snprintf(name, sizeof name, "--%s", long_options[index].name);
      else
        snprintf(name, sizeof name, "-%c", opt);
      return usage_error(what, name);
    }
    switch (opt) {
    case 'o': c->output = optarg; break;
    case OPT_SCHEMA: c->job.schema = optarg; break;
    case OPT_LAYOUT: c->job.layout = optarg; break;
    case OPT_FONTS: c->job.fonts = optarg; break;
    case OPT_FONT:
      if (!strchr(optarg, '='))
        return usage_error("--font needs ROLE=FILE", NULL);
      c->font_roles[c->job.nfont_roles++] = optarg;
      break;
    case OPT_STRICT: c->job.strict = true; break;
    case OPT_DUMP:
      if (!strcmp(optarg, "blocks"))
        c->job.product = RENDER_BLOCKS;
      else if (!strcmp(optarg, "pages"))
        c->job.product = RENDER_PAGES;
      else
        return usage_error("--dump takes 'blocks' or 'pages', not", optarg);
      break;
    case 'h': fputs(usage, stdout); return -1;
    }
  }
  c->job.font_roles = c->font_roles;
  for (int i = optind; i < nargs; i++)
    c->data[c->ndata++] = args[i];
  return BP_EXIT_OK;
}

static int run_check(cli *c) {
  if (c->ndata == 0)
    return usage_error("check needs a data file", NULL);
  if (c->ndata > 1)
    return usage_error("check takes one data file; extra argument",
                       c->data[1]);
  c->job.data = c->data[0];
  diag *d = diag_new(stderr);
  size_t findings = 0;
  int status = render_check(NULL, &c->job, &findings, d);
  if (status == BP_EXIT_OK)
    printf("%s: no findings\n", c->job.data);
  diag_drop(d);
  return status;
}

static int run_render(cli *c) {
  if (c->ndata == 0)
    return usage_error("render needs a data file", NULL);
  if (c->ndata > 1)
    return usage_error("render takes one data file; extra argument",
                       c->data[1]);
  if (!c->output && c->job.product == RENDER_PDF)
    return usage_error("render needs -o OUT.pdf", NULL);
  c->job.data = c->data[0];
  render_install_signal_cleanup();
  diag *d = diag_new(stderr);
  render_sink sink = {0};
  if (c->job.product == RENDER_PDF)
    sink.path = c->output;
  else
    sink.stream = stdout;
  int status = render(NULL, &c->job, &sink, NULL, d);
  diag_drop(d);
  return status;
}

int main(int argc, char **argv) {
  messages_init();
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
  if (strcmp(argv[1], "check") && strcmp(argv[1], "render"))
    return usage_error("unknown command", argv[1]);
  cli c = {0};
  int status = parse_cli(argc, argv, &c);
  if (status == BP_EXIT_OK)
    status = !strcmp(c.command, "check") ? run_check(&c) : run_render(&c);
  else if (status < 0)
    status = BP_EXIT_OK;
  free(c.data);
  free(c.font_roles);
  return status;
}
