/* SPDX-License-Identifier: MIT */
/* main.c — the budgetpdf command line: parse arguments, call the stages,
 * choose the exit status.  No document logic lives here. */
#include "base.h"
#include "layout.h"
#include "model.h"
#include "paginate.h"
#include "pdf.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    "  --strict            (render) refuse to render if check finds anything\n"
    "  --dump blocks|pages (render) print the block tree or the display lists\n"
    "                      instead of writing a PDF\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
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

/* check DATA.yaml [--schema FILE]: load errors first; the arithmetic only
 * runs on data that loaded cleanly. */
static int run_check(int argc, char **argv) {
  const char *data = NULL;
  model_options opts = {.datadir = program_datadir()};
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

/* ---------------------------------------------------------------- render */

typedef struct render_args {
  const char *data, *out, *layout, *fonts;
  const char *dump; /* "blocks", "pages" or NULL */
  bool strict;
  const char **font_roles; /* --font ROLE=FILE, argv strings */
  int nfont_roles;
  model_options model;
} render_args;

static int parse_render_args(int argc, char **argv, render_args *a) {
  a->font_roles = xcalloc((size_t)argc, sizeof *a->font_roles);
  a->model.datadir = program_datadir();
  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];
    const char **slot = !strcmp(arg, "-o")         ? &a->out
                        : !strcmp(arg, "--layout") ? &a->layout
                        : !strcmp(arg, "--fonts")  ? &a->fonts
                        : !strcmp(arg, "--schema") ? &a->model.schema_path
                        : !strcmp(arg, "--dump")   ? &a->dump
                                                   : NULL;
    if (slot) {
      if (i + 1 == argc)
        return usage_error("this option needs a value:", arg);
      *slot = argv[++i];
    } else if (!strcmp(arg, "--font")) {
      if (i + 1 == argc || !strchr(argv[i + 1], '='))
        return usage_error("--font needs ROLE=FILE", NULL);
      a->font_roles[a->nfont_roles++] = argv[++i];
    } else if (!strcmp(arg, "--strict")) {
      a->strict = true;
    } else if (arg[0] == '-') {
      return usage_error("unknown option for render:", arg);
    } else if (!a->data) {
      a->data = arg;
    } else {
      return usage_error("render takes one data file; extra argument", arg);
    }
  }
  if (!a->data)
    return usage_error("render needs a data file", NULL);
  if (a->dump && strcmp(a->dump, "blocks") && strcmp(a->dump, "pages"))
    return usage_error("--dump takes 'blocks' or 'pages', not", a->dump);
  if (!a->out && !a->dump)
    return usage_error("render needs -o OUT.pdf", NULL);
  return BP_EXIT_OK;
}

/* Do both paths name one existing file (through links, too)? */
static bool same_file(const char *x, const char *y) {
  struct stat sx, sy;
  return x && y && stat(x, &sx) == 0 && stat(y, &sy) == 0 &&
         sx.st_dev == sy.st_dev && sx.st_ino == sy.st_ino;
}

/* SOURCE_DATE_EPOCH (reproducible builds) as "YYYY-MM-DDTHH:MM:SSZ";
 * NULL when unset.  A malformed value is a usage error. */
static const char *creation_date_from_env(char *buf, size_t cap, diag *d) {
  const char *env = getenv("SOURCE_DATE_EPOCH");
  if (!env)
    return NULL;
  char *end;
  errno = 0;
  long long secs = strtoll(env, &end, 10);
  struct tm tm;
  time_t t = (time_t)secs;
  if (!*env || *end || errno || secs < 0 || !gmtime_r(&t, &tm)) {
    diag_error(d, DIAG_USAGE, (src_pos){0},
               "SOURCE_DATE_EPOCH must be seconds since 1970, not '%s'", env);
    return NULL;
  }
  strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/* render DATA.yaml -o OUT.pdf: model → layout → text → paginate → pdf.
 * Nothing is written unless every stage succeeded. */
static int run_render(int argc, char **argv) {
  render_args a = {0};
  int status = parse_render_args(argc, argv, &a);
  if (status != BP_EXIT_OK) {
    free(a.font_roles);
    return status;
  }
  pdf_install_cleanup_handlers();
  diag *d = diag_new(stderr);
  arena *scratch = arena_new();
  model *m = NULL;
  layout *l = NULL;
  text_fonts *fonts = NULL;
  text_shaper *shaper = NULL;
  block_doc *blocks = NULL;
  page_doc *pages = NULL;
  char date[32];
  layout_expand_options xo = {creation_date_from_env(date, sizeof date, d)};
  if (diag_error_count(d))
    goto done;

  m = model_load(a.data, &a.model, d);
  if (!m)
    goto done;
  size_t findings = model_report_findings(
      m, d, a.strict ? DIAG_ERROR : DIAG_WARNING);
  if (findings && a.strict) {
    diag_report(d, DIAG_NOTE, DIAG_CHECK, (src_pos){a.data, 0, 0},
                "not rendered: --strict and %zu finding%s", findings,
                findings == 1 ? "" : "s");
    goto done;
  }

  const char *layout_path =
      a.layout ? a.layout
               : resource_path(scratch, "layout", "layouts", m->layout.text,
                               a.data, a.model.datadir, m->layout.pos, d);
  if (!layout_path || !(l = layout_load(layout_path, d)))
    goto done;
  if (strcmp(layout_schema_name(l), m->schema_name ? m->schema_name : "")) {
    diag_error(d, DIAG_LAYOUT, (src_pos){diag_intern_file(d, layout_path), 0, 0},
               "this layout is for schema '%s'; the data is '%s'",
               layout_schema_name(l), m->schema_name ? m->schema_name : "?");
    goto done;
  }

  const char *fonts_path =
      a.fonts ? a.fonts
      : a.model.datadir
          ? arena_printf(scratch, "%s/fonts/fonts.yaml", a.model.datadir)
          : "fonts/fonts.yaml";
  fonts = text_fonts_load(fonts_path, d);
  if (!fonts)
    goto done;
  for (int i = 0; i < a.nfont_roles; i++) {
    const char *eq = strchr(a.font_roles[i], '=');
    const char *role = arena_strndup(scratch, a.font_roles[i],
                                     (size_t)(eq - a.font_roles[i]));
    /* The option as written is where its mistakes are; a role the layout
     * never uses is a typo that would silently keep the default font. */
    src_pos opt = {diag_intern_file(d, arena_printf(scratch, "--font %s",
                                                    a.font_roles[i])),
                   0, 0};
    const char *const *roles = layout_font_roles(l);
    bool used = false;
    for (size_t k = 0; roles[k] && !used; k++)
      used = !strcmp(roles[k], role);
    if (used)
      text_fonts_set_role(fonts, role, eq + 1, opt, d);
    else
      report_unknown_name(d, DIAG_USAGE, opt, "font role", role,
                          "in the layout", roles);
  }
  text_fonts_check_roles(fonts, layout_font_roles(l),
                         (src_pos){diag_intern_file(d, layout_path), 0, 0}, d);
  if (diag_error_count(d))
    goto done;

  blocks = layout_expand(l, m, &xo, d);
  if (!blocks)
    goto done;
  if (a.dump && !strcmp(a.dump, "blocks")) {
    block_doc_dump(blocks, stdout);
    goto done;
  }
  shaper = text_shaper_new(fonts);
  pages = paginate(blocks, fonts, shaper, d);
  if (diag_error_count(d))
    goto done; /* a missing glyph, say: no PDF with holes in it */
  if (a.dump) {
    bbuf out = {0};
    page_doc_dump(pages, &out);
    fwrite(out.data, 1, out.len, stdout);
    bbuf_free(&out);
    goto done;
  }
  /* -o naming an input by mistake would replace it with the PDF. */
  const char *inputs[] = {a.data, m->schema_path, layout_path, fonts_path};
  static const char *const input_names[] = {"data", "schema", "layout",
                                            "fonts"};
  for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
    if (same_file(a.out, inputs[i])) {
      diag_error(d, DIAG_USAGE, (src_pos){0},
                 "-o %s is the %s file; the PDF would replace it", a.out,
                 input_names[i]);
      goto done;
    }
  pdf_write(pages, a.out, NULL, d);

done:
  status = diag_exit_status(d);
  page_doc_drop(pages);
  text_shaper_drop(shaper);
  block_doc_drop(blocks);
  text_fonts_drop(fonts);
  layout_drop(l);
  model_drop(m);
  arena_drop(scratch);
  diag_drop(d);
  free(a.font_roles);
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
  if (!strcmp(argv[1], "render"))
    return run_render(argc, argv);
  return usage_error("unknown command", argv[1]);
}
