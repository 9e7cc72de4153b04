/* SPDX-License-Identifier: MIT */
/* main.c — the budgetpdf command line: parse the options (getopt_long)
 * into a job for the render library (render.h) and return the exit status
 * it gives.  No pipeline logic lives here. */
#define _GNU_SOURCE 1 /* getopt_long */
#include "base.h"
#include "import.h"
#include "render.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The help texts: --help, render --help, check --help.  Every option here
 * is in the manual page too, and the other way round (tests/cli). */
static const char help_general[] = N_(
    "usage: budgetpdf render DATA.yaml -o OUT.pdf [options]\n"
    "       budgetpdf render A.yaml B.yaml ... -d OUTDIR [options]\n"
    "       budgetpdf check DATA.yaml [--schema FILE]\n"
    "\n"
    "commands:\n"
    "  render    render the disclosure PDF (budgetpdf render --help)\n"
    "  check     check the data and its arithmetic (budgetpdf check --help)\n"
    "  import BOOK.xlsx (-o DATA.yaml --layout NAME | --into DATA.yaml)\n"
    "            read the tables of a budget system's workbook (.xlsx, .xls,\n"
    "            or .csv files, one a sheet); --year N if no title says it\n"
    "            (docs/IMPORT.md)\n"
    "\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "\n"
    "The manual page budgetpdf(1) tells more: the data directory, the\n"
    "environment, examples.\n"
    "\n"
    "Exit status: 0 success, 1 errors in the inputs (nothing written),\n"
    "2 usage or I/O error, 3 internal error, 128+N interrupted by signal N.\n");

static const char help_render[] = N_(
    "usage: budgetpdf render DATA.yaml -o OUT.pdf [options]\n"
    "       budgetpdf render A.yaml B.yaml ... -d OUTDIR [options]\n"
    "Render the disclosure PDF.  What check finds is printed as warnings.\n"
    "Nothing is written unless the whole PDF could be made.\n"
    "\n"
    "  -o, --output FILE   the PDF to write; '-' writes it to standard output\n"
    "  --schema FILE       use this schema instead of the one the data names\n"
    "  --layout FILE       use this layout instead of the one the data names\n"
    "  --fonts FILE        font roles (default fonts/fonts.yaml of the data\n"
    "                      directory)\n"
    "  --font ROLE=FILE    set a font role to a font file of yours,\n"
    "                      e.g. --font 仿宋=/fonts/仿宋_GB2312.ttf (FILE#N for\n"
    "                      face N of a collection); may be repeated\n"
    "  --strict            refuse to render if check finds anything\n"
    "  --dump blocks|pages print the block tree or the display lists\n"
    "                      instead of writing a PDF\n"
    "batch options (render into -d OUTDIR; docs/BATCH.md):\n"
    "  -d, --output-dir DIR  where the PDFs go (made if missing)\n"
    "  --manifest FILE     more data files: a YAML list (.yaml, entries\n"
    "                      may name their output) or one path a line\n"
    "  -j, --jobs N        worker processes (default: the number of CPUs)\n"
    "  --report FILE       one JSON line per document (status, pages,\n"
    "                      bytes, milliseconds, messages)\n"
    "  --changed           render only documents whose inputs changed since\n"
    "                      their PDF (recorded in OUT.pdf.sha256)\n"
    "  --shard K/N         only the K-th (from 0) of N slices of the list;\n"
    "                      '--shard N' takes K from JOB_COMPLETION_INDEX\n"
    "  -h, --help          show this help\n"
    "Options take their value as '--opt FILE', '--opt=FILE' or '-oFILE';\n"
    "'--' ends the options.  The PDF's creation date is the data's sign-off\n"
    "date, or SOURCE_DATE_EPOCH when that is set.\n");

static const char help_check[] = N_(
    "usage: budgetpdf check DATA.yaml [--schema FILE]\n"
    "Check the data against its schema and its arithmetic; each mistake is\n"
    "reported as file:line:col: error: ...  Exit status 0: no findings.\n"
    "\n"
    "  --schema FILE       use this schema instead of the one the data names\n"
    "  -h, --help          show this help\n");

/* A usage error: one line, and where to read more. */
static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs(_("budgetpdf: error: "), stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs(_("\nTry 'budgetpdf --help' for more information.\n"), stderr);
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
  render_batch batch;      /* when -d, --manifest or several data files */
  bool batch_option;       /* one of the batch's options was given */
} cli;

enum { OPT_SCHEMA = 256, OPT_LAYOUT, OPT_FONTS, OPT_FONT, OPT_STRICT,
       OPT_DUMP, OPT_MANIFEST, OPT_REPORT, OPT_CHANGED, OPT_SHARD };

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"fonts", required_argument, NULL, OPT_FONTS},
    {"font", required_argument, NULL, OPT_FONT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"dump", required_argument, NULL, OPT_DUMP},
    {"output-dir", required_argument, NULL, 'd'},
    {"manifest", required_argument, NULL, OPT_MANIFEST},
    {"jobs", required_argument, NULL, 'j'},
    {"report", required_argument, NULL, OPT_REPORT},
    {"changed", no_argument, NULL, OPT_CHANGED},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Is option `opt` one the command takes?  check takes only --schema. */
static bool command_takes(const char *command, int opt) {
  return !strcmp(command, "render") || opt == OPT_SCHEMA || opt == 'h';
}

/* A whole decimal number in [min, max]. */
static bool parse_count(const char *s, int min, int max, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || *end || errno || v < min || v > max)
    return false;
  *out = (int)v;
  return true;
}

/* --shard K/N, or N with K from JOB_COMPLETION_INDEX (a Kubernetes
 * Indexed Job's index). */
static bool parse_shard(const char *arg, render_batch *b) {
  const char *slash = strchr(arg, '/');
  const char *count = slash ? slash + 1 : arg;
  char index[24] = "";
  if (slash)
    snprintf(index, sizeof index, "%.*s", (int)(slash - arg), arg);
  else if (getenv("JOB_COMPLETION_INDEX"))
    snprintf(index, sizeof index, "%s", getenv("JOB_COMPLETION_INDEX"));
  else {
    usage_error(_("--shard N takes K from JOB_COMPLETION_INDEX, which is "
                  "not set; give --shard K/N, not '%s'"),
                arg);
    return false;
  }
  if (!parse_count(count, 1, 1000000, &b->nshards) ||
      !parse_count(index, 0, b->nshards - 1, &b->shard)) {
    usage_error(_("--shard takes K/N with 0 <= K < N, not '%s'"), arg);
    return false;
  }
  return true;
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
  for (;;) {
    int index = -1;
    int opt = getopt_long(nargs, args, ":o:d:j:h", long_options, &index);
    if (opt == -1)
      break;
    if (opt == '?')
      return usage_error(_("unknown option for %s: '%s'"), c->command,
                         optopt ? (char[]){'-', (char)optopt, 0}
                                : args[optind - 1]);
    if (opt == ':') {
      int o = optopt ? optopt : long_options[index].val;
      char short_name[3] = {'-', (char)o, 0};
      return usage_error(_("%s needs %s"),
                         o < 256 ? short_name : args[optind - 1],
                         o == OPT_FONT    ? _("ROLE=FILE")
                         : o == OPT_DUMP  ? _("'blocks' or 'pages'")
                         : o == 'd'       ? _("a folder")
                         : o == 'j'       ? _("a number")
                         : o == OPT_SHARD ? "K/N"
                                          : _("a file"));
    }
    if (!command_takes(c->command, opt)) {
      char name[32];
      if (index >= 0)
        snprintf(name, sizeof name, "--%s", long_options[index].name);
      else
        snprintf(name, sizeof name, "-%c", opt);
      return usage_error(_("unknown option for %s: '%s'"), c->command, name);
    }
    switch (opt) {
    case 'o': c->output = optarg; break;
    case OPT_SCHEMA: c->job.schema = optarg; break;
    case OPT_LAYOUT: c->job.layout = optarg; break;
    case OPT_FONTS: c->job.fonts = optarg; break;
    case OPT_FONT:
      if (!strchr(optarg, '='))
        return usage_error("%s", _("--font needs ROLE=FILE"));
      c->font_roles[c->job.nfont_roles++] = optarg;
      break;
    case OPT_STRICT: c->job.strict = true; break;
    case OPT_DUMP:
      if (!strcmp(optarg, "blocks"))
        c->job.product = RENDER_BLOCKS;
      else if (!strcmp(optarg, "pages"))
        c->job.product = RENDER_PAGES;
      else
        return usage_error(_("--dump takes 'blocks' or 'pages', not '%s'"),
                           optarg);
      break;
    case 'd': c->batch.outdir = optarg; break;
    case OPT_MANIFEST: c->batch.manifest = optarg; break;
    case 'j':
      if (!parse_count(optarg, 1, 4096, &c->batch.workers))
        return usage_error(
            _("-j takes a number of processes (1 to 4096), not '%s'"), optarg);
      break;
    case OPT_REPORT: c->batch.report = optarg; break;
    case OPT_CHANGED: c->batch.changed = true; break;
    case OPT_SHARD:
      if (!parse_shard(optarg, &c->batch))
        return BP_EXIT_USAGE;
      break;
    case 'h':
      fputs(_(!strcmp(c->command, "check") ? help_check : help_render),
            stdout);
      return -1;
    }
    c->batch_option |= opt == 'd' || opt == 'j' || opt >= OPT_MANIFEST;
  }
  c->job.font_roles = c->font_roles;
  for (int i = optind; i < nargs; i++)
    c->data[c->ndata++] = args[i];
  return BP_EXIT_OK;
}

static int run_check(cli *c) {
  if (c->ndata == 0)
    return usage_error("%s", _("check needs a data file"));
  if (c->ndata > 1)
    return usage_error(_("check takes one data file; extra argument '%s'"),
                       c->data[1]);
  c->job.data = c->data[0];
  diag *d = diag_new(stderr);
  size_t findings = 0;
  int status = render_check(NULL, &c->job, &findings, d);
  if (status == BP_EXIT_OK)
    printf(_("%s: no findings\n"), c->job.data);
  diag_drop(d);
  return status;
}

static int run_batch(cli *c) {
  if (c->ndata == 0 && !c->batch.manifest)
    return usage_error("%s", _("render needs a data file"));
  if (!c->batch.outdir)
    return usage_error("%s", _("rendering several documents needs -d OUTDIR"));
  if (c->output)
    return usage_error(_("-o names one PDF; a batch writes into -d, not '%s'"),
                       c->output);
  if (c->job.product != RENDER_PDF)
    return usage_error("%s", _("--dump takes one data file"));
  c->batch.job = c->job;
  c->batch.data = c->data;
  c->batch.ndata = c->ndata;
  c->batch.version = BUDGETPDF_VERSION;
  render_install_signal_cleanup();
  diag *d = diag_new(stderr);
  int status = render_batch_run(&c->batch, d);
  diag_drop(d);
  return status;
}

static int run_render(cli *c) {
  if (c->batch_option || c->ndata > 1)
    return run_batch(c);
  if (c->ndata == 0)
    return usage_error("%s", _("render needs a data file"));
  if (c->ndata > 1)
    return usage_error(_("render takes one data file; extra argument '%s'"),
                       c->data[1]);
  if (!c->output && c->job.product == RENDER_PDF)
    return usage_error("%s", _("render needs -o OUT.pdf"));
  c->job.data = c->data[0];
  render_install_signal_cleanup();
  diag *d = diag_new(stderr);
  render_sink sink = {0};
  /* -o -: the PDF is made in memory and goes to stdout only when whole. */
  bool to_stdout = c->output && !strcmp(c->output, "-");
  bbuf pdf = {0};
  if (c->job.product != RENDER_PDF)
    sink.stream = stdout;
  else if (to_stdout)
    sink.memory = &pdf;
  else
    sink.path = c->output;
  int status = render(NULL, &c->job, &sink, NULL, d);
  if (status == BP_EXIT_OK && to_stdout &&
      (fwrite(pdf.data ? pdf.data : "", 1, pdf.len, stdout) != pdf.len ||
       fflush(stdout) != 0))
    diag_error(d, DIAG_IO, (src_pos){0},
               "cannot write to standard output: %s", strerror(errno));
  if (to_stdout)
    status = diag_exit_status(d) > status ? diag_exit_status(d) : status;
  bbuf_free(&pdf);
  diag_drop(d);
  return status;
}

/* import BOOK... (-o DATA.yaml --layout NAME | --into DATA.yaml) */
static int run_import(int argc, char **argv) {
  static const struct option opts[] = {
      {"output", required_argument, NULL, 'o'},
      {"into", required_argument, NULL, 'i'},
      {"layout", required_argument, NULL, 'l'},
      {"schema", required_argument, NULL, 's'},
      {"year", required_argument, NULL, 'y'},
      {NULL, 0, NULL, 0}};
  import_options o = {.model.datadir = program_datadir()};
  opterr = 0;
  optind = 1;
  for (int c; (c = getopt_long(argc - 1, argv + 1, "o:", opts, NULL)) != -1;) {
    const char **slot = c == 'o'   ? &o.out
                        : c == 'i' ? &o.into
                        : c == 'l' ? &o.layout
                        : c == 's' ? &o.model.schema_path
                        : c == 'y' ? &o.year
                                   : NULL;
    if (!slot)
      return usage_error(
          _("unknown option or missing value for import: '%s'"),
          argv[optind]);
    *slot = optarg;
  }
  o.books = (const char *const *)argv + 1 + optind;
  o.nbooks = (size_t)(argc - 1 - optind);
  diag *d = diag_new(stderr);
  import_run(&o, d);
  int status = diag_exit_status(d);
  diag_drop(d);
  return status;
}

int main(int argc, char **argv) {
  messages_init();
  if (argc < 2)
    return usage_error("%s", _("a command is needed: render or check"));
  if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(_(help_general), stdout);
    return BP_EXIT_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("budgetpdf %s\n", BUDGETPDF_VERSION);
    return BP_EXIT_OK;
  }
  if (!strcmp(argv[1], "import"))
    return run_import(argc, argv);
  if (strcmp(argv[1], "check") && strcmp(argv[1], "render"))
    return usage_error(_("unknown command '%s'"), argv[1]);
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
