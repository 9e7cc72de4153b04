/* SPDX-License-Identifier: MIT */
/* test_faults.c — faults and mistakes met by `budgetpdf render`, through
 * the real binary: the output folder missing or read-only, the output a
 * directory or a device, the disk full, font files missing, truncated or
 * not fonts (on the command line and in a fonts file), layouts naming
 * data that does not exist or tables wider than their page, and signals
 * while writing.  Each asserts the exact message, the exit status, that
 * the previous PDF at the target is unchanged and that no temporary file
 * is left (docs/ERRORS.md lists the messages). */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define FIXTURES TEST_DIR "/fixtures"

static bp_limits plain_limits(void) {
  bp_limits l = {0};
  l.wall_seconds = BP_SANITIZED ? 300 : 60;
  return l;
}

/* A fresh folder work/<name> holding the previous PDF as out.pdf. */
static const char *workdir(const char *name) {
  return bp_workdir("", name);
}

/* dir/layout.yaml: the small layout with `from` replaced by `to`. */
static void layout_variant(const char *dir, const char *from, const char *to) {
  bp_layout_variant(dir, FIXTURES "/layout-small.yaml", from, to);
}

/* render the reference data with dir/layout.yaml into dir/out.pdf; the
 * errors (warnings dropped: the published arithmetic mistakes) and status
 * must be as given, and the previous PDF kept. */
static void render_fails_with_layout(const char *dir, const char *errors,
                                     int status) {
  bp_limits lim = plain_limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, errors);
  CHECK_INT(r.status, status);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  free(e);
  bp_result_drop(&r);
}

/* ---------------------------------------------------------------- layout */

TEST(small_layout_renders) {
  const char *dir = workdir("layout-ok");
  layout_variant(dir, "{unit}{year}", "{unit}{year}");
  bp_limits lim = plain_limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 0);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, "");
  free(e);
  char *pdf = bp_slurp("work/layout-ok/out.pdf");
  CHECK(!strncmp(pdf, "%PDF-", 5) && strcmp(pdf, bp_previous_pdf));
  free(pdf);
  CHECK_INT(bp_temporaries(dir, "out.pdf"), 0);
  bp_result_drop(&r);
}

TEST(layout_naming_a_field_that_does_not_exist) {
  const char *dir = workdir("layout-field");
  layout_variant(dir, "field: 合计,", "field: 合记,");
  render_fails_with_layout(
      dir,
      "layout.yaml:22:36: error: table 表三 has no field '合记'; did you "
      "mean '合计'?\n",
      1);
  dir = workdir("layout-placeholder");
  layout_variant(dir, "{unit}{year}", "{unit}{yaer}");
  render_fails_with_layout(
      dir,
      "layout.yaml:14:29: error: unknown placeholder {yaer} (known: {unit}, "
      "{year}, {amount_unit}, {page}, {<part>.<field>} of a fields part)\n",
      1);
  dir = workdir("layout-table");
  layout_variant(dir, "data: 表三", "data: 表十");
  render_fails_with_layout(
      dir,
      "layout.yaml:16:19: error: the data has no table '表十'\n"
      "layout.yaml:11:3: error: the data's table 表三 is placed nowhere in "
      "the layout; add a 'table: {data: 表三, ...}' block to a section of "
      "this document (or list it under 'omit:')\n",
      1);
}

TEST(table_wider_than_its_page) {
  const char *dir = workdir("layout-wide");
  layout_variant(dir, "width: 60mm", "width: 160mm");
  render_fails_with_layout(
      dir,
      "layout.yaml:15:11: error: table 表三 is 220.0mm wide; the type area "
      "of page 'a4' is 156.0mm\n",
      1);
}

/* libharu refused these pages half-way through writing: exit 3 before. */
TEST(page_of_no_size_or_too_big) {
  const char *dir = workdir("layout-page-zero");
  layout_variant(dir, "size: [210mm, 297mm]", "size: [0mm, 297mm]");
  render_fails_with_layout(
      dir,
      "layout.yaml:6:15: error: width must be between 3pt and 14400pt "
      "(5080mm), the limits of a PDF page\n",
      1);
  dir = workdir("layout-page-huge");
  layout_variant(dir, "size: [210mm, 297mm]", "size: [210mm, 6m]");
  render_fails_with_layout(
      dir,
      "layout.yaml:6:22: error: height: unknown unit 'm' (use pt, mm, cm, in "
      "or em)\n",
      1);
  dir = workdir("layout-page-huge2");
  layout_variant(dir, "size: [210mm, 297mm]", "size: [-210mm, 6000mm]");
  render_fails_with_layout(
      dir,
      "layout.yaml:6:15: error: width must be between 3pt and 14400pt "
      "(5080mm), the limits of a PDF page\n"
      "layout.yaml:6:23: error: height must be between 3pt and 14400pt "
      "(5080mm), the limits of a PDF page\n",
      1);
}

/* ---------------------------------------------------------------- output */

static void render_fails_writing(const char *dir, const bp_limits *lim,
                                 const char *out, const char *errors,
                                 int status) {
  bp_result r = bp_run(dir, lim, "render", REFERENCE, "-o", out, NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, errors);
  CHECK_INT(r.status, status);
  free(e);
  bp_result_drop(&r);
}

TEST(output_folder_missing) {
  const char *dir = workdir("out-missing");
  bp_limits lim = plain_limits();
  render_fails_writing(dir, &lim, "no-such-folder/out.pdf",
                       "no-such-folder/out.pdf: error: cannot write: No such "
                       "file or directory\n",
                       2);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
}

/* As root a read-only folder is writable: the program runs as nobody. */
TEST(output_folder_read_only) {
  const char *dir = workdir("out-read-only");
  CHECK(mkdir("work/out-read-only/ro", 0755) == 0);
  CHECK(bp_put("work/out-read-only/ro/out.pdf", bp_previous_pdf));
  CHECK(chmod("work/out-read-only/ro", 0555) == 0);
  bp_limits lim = plain_limits();
  lim.as_nobody = true;
  render_fails_writing(dir, &lim, "ro/out.pdf",
                       "ro/out.pdf: error: cannot write: Permission denied\n",
                       2);
  CHECK_PREVIOUS_KEPT("work/out-read-only/ro", "out.pdf");
  chmod("work/out-read-only/ro", 0755);
}

/* A full disk, made for real: a file-size limit fails write() part-way
 * with EFBIG (SIGXFSZ ignored), as ENOSPC would. */
TEST(disk_full_while_writing) {
  const char *dir = workdir("out-full");
  bp_limits lim = plain_limits();
  lim.file_bytes = 64 * 1024;
  render_fails_writing(dir, &lim, "out.pdf",
                       "out.pdf: error: cannot write: File too large\n", 2);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
}

/* `ulimit -f` in a shell: SIGXFSZ is not ignored there, and its default
 * action killed the program with the temporary file left behind. */
TEST(file_size_limit_of_the_shell) {
  const char *dir = workdir("out-ulimit-f");
  bp_limits lim = plain_limits();
  lim.file_bytes = 100 * 1024;
  lim.xfsz_default = true;
  render_fails_writing(dir, &lim, "out.pdf",
                       "out.pdf: error: cannot write: File too large\n", 2);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
}

/* -o naming the data file by mistake: refused, the data kept. */
TEST(output_is_the_data_file) {
  const char *dir = workdir("out-data");
  char *ref = bp_slurp(REFERENCE);
  CHECK(bp_put("work/out-data/data.yaml", ref));
  CHECK(symlink("data.yaml", "work/out-data/link.yaml") == 0);
  bp_limits lim = plain_limits();
  bp_result r = bp_run(dir, &lim, "render", "data.yaml", "-o", "data.yaml",
                       NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, "budgetpdf: error: -o data.yaml is the data file; the PDF "
               "would replace it\n");
  CHECK_INT(r.status, 2);
  free(e);
  bp_result_drop(&r);
  r = bp_run(dir, &lim, "render", "data.yaml", "-o", "link.yaml", NULL);
  e = bp_without_warnings(r.err);
  CHECK_STR(e, "budgetpdf: error: -o link.yaml is the data file; the PDF "
               "would replace it\n");
  CHECK_INT(r.status, 2);
  free(e);
  bp_result_drop(&r);
  char *after = bp_slurp("work/out-data/data.yaml");
  CHECK_STR(after, ref);
  CHECK_INT(bp_temporaries(dir, "data.yaml"), 0);
  free(after);
  free(ref);
}

/* An input the program may not read: an I/O error (as nobody when root). */
TEST(data_file_unreadable) {
  const char *dir = workdir("data-unreadable");
  char *ref = bp_slurp(REFERENCE);
  CHECK(bp_put("work/data-unreadable/data.yaml", ref));
  free(ref);
  CHECK(chmod("work/data-unreadable/data.yaml", 0) == 0);
  bp_limits lim = plain_limits();
  lim.as_nobody = true;
  bp_result r = bp_run(dir, &lim, "render", "data.yaml", "-o", "out.pdf",
                       NULL);
  CHECK_STR(r.err, "data.yaml: error: cannot open: Permission denied\n");
  CHECK_INT(r.status, 2);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  bp_result_drop(&r);
  chmod("work/data-unreadable/data.yaml", 0644);
}

/* The data names its schema or layout; a FIFO there (or /dev/stdin) made
 * the program wait for a writer for ever. */
TEST(data_naming_a_fifo) {
  const char *dir = workdir("data-fifo");
  CHECK(mkfifo("work/data-fifo/fifo.yaml", 0644) == 0);
  char *ref = bp_slurp(REFERENCE);
  char *at = strstr(ref, "schema: department-budget");
  CHECK(at != NULL);
  bbuf data = {0};
  if (at) {
    bbuf_append(&data, ref, (size_t)(at - ref));
    bbuf_puts(&data, "schema: fifo.yaml");
    bbuf_puts(&data, at + strlen("schema: department-budget"));
  }
  CHECK(bp_put("work/data-fifo/data.yaml", data.data ? data.data : ""));
  bp_limits lim = plain_limits();
  lim.wall_seconds = 20;
  bp_result r = bp_run(dir, &lim, "render", "data.yaml", "-o", "out.pdf",
                       NULL);
  CHECK_STR(r.err, "data.yaml:11:9: error: schema file './fifo.yaml' is not "
                   "a regular file\n");
  CHECK_INT(r.status, 1);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  bp_result_drop(&r);
  bbuf_free(&data);
  free(ref);
}

/* A device is written in place, never replaced by a renamed file (as root
 * that replaced the device node /dev/full with a PDF).  The program is
 * given a link to /dev/full, so that a regression replaces the link in
 * the test's folder, not the system's device. */
TEST(output_to_a_full_device) {
  struct stat st;
  if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) {
    SKIP("no /dev/full");
    return;
  }
  const char *dir = workdir("out-device");
  CHECK(symlink("/dev/full", "work/out-device/full") == 0);
  bp_limits lim = plain_limits();
  render_fails_writing(dir, &lim, "full",
                       "full: error: cannot write: No space left on device\n",
                       2);
  CHECK(lstat("work/out-device/full", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat("work/out-device/full", &st) == 0 && S_ISCHR(st.st_mode));
  CHECK_INT(bp_temporaries(dir, "full"), 0);
  CHECK_INT(bp_temporaries("/dev", "full"), 0);
}

/* The same rule makes -o /dev/stdout work in a pipe; when stdout is a file
 * (as here), the file is replaced and the link stays.  A link of the
 * test's own stands for /dev/stdout. */
TEST(output_to_stdout) {
  const char *dir = workdir("out-stdout");
  CHECK(symlink("/proc/self/fd/1", "work/out-stdout/stdout") == 0);
  bp_limits lim = plain_limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "stdout", NULL);
  CHECK_INT(r.status, 0);
  CHECK(!strncmp(r.out, "%PDF-", 5));
  CHECK(r.out_len > 6 && !strcmp(r.out + r.out_len - 6, "%%EOF\n"));
  struct stat st;
  CHECK(lstat("work/out-stdout/stdout", &st) == 0 && S_ISLNK(st.st_mode));
  bp_result_drop(&r);
}

/* A link to the published PDF: the PDF is replaced, the link kept; a
 * failed render leaves both alone. */
TEST(output_through_a_symbolic_link) {
  const char *dir = workdir("out-link");
  CHECK(mkdir("work/out-link/published", 0755) == 0);
  CHECK(bp_put("work/out-link/published/2021.pdf", bp_previous_pdf));
  CHECK(symlink("published/2021.pdf", "work/out-link/link.pdf") == 0);
  bp_limits lim = plain_limits();
  lim.file_bytes = 64 * 1024;
  render_fails_writing(dir, &lim, "link.pdf",
                       "link.pdf: error: cannot write: File too large\n", 2);
  CHECK_PREVIOUS_KEPT("work/out-link/published", "2021.pdf");
  lim.file_bytes = 0;
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "link.pdf", NULL);
  CHECK_INT(r.status, 0);
  struct stat st;
  CHECK(lstat("work/out-link/link.pdf", &st) == 0 && S_ISLNK(st.st_mode));
  char *pdf = bp_slurp("work/out-link/published/2021.pdf");
  CHECK(!strncmp(pdf, "%PDF-", 5) && strcmp(pdf, bp_previous_pdf));
  free(pdf);
  CHECK_INT(bp_temporaries("work/out-link/published", "2021.pdf"), 0);
  CHECK_INT(bp_temporaries(dir, "link.pdf"), 0);
  bp_result_drop(&r);
}

TEST(output_is_a_folder) {
  const char *dir = workdir("out-folder");
  CHECK(mkdir("work/out-folder/pdfs", 0755) == 0);
  bp_limits lim = plain_limits();
  render_fails_writing(dir, &lim, "pdfs",
                       "pdfs: error: cannot write: Is a directory\n", 2);
  CHECK_INT(bp_temporaries(dir, "pdfs"), 0);
  struct stat st;
  CHECK(stat("work/out-folder/pdfs", &st) == 0 && S_ISDIR(st.st_mode));
}

/* ---------------------------------------------------------------- fonts */

#define SONG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

/* Bad font files, made in the folder: missing.ttf is not there. */
static void make_bad_fonts(const char *dir) {
  bbuf p = {0};
  bbuf_printf(&p, "%s/notfont.ttf", dir);
  CHECK(bp_put(p.data, "%PDF-1.4 not a font at all\n"));
  bbuf_free(&p);
  /* A TrueType header whose one table runs past the end of the file. */
  static const unsigned char cut[28] = {0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0,
                                        'c', 'm', 'a', 'p', 0, 0, 0, 0,
                                        0, 0, 0, 28, 0, 0, 3, 232};
  bbuf_printf(&p, "%s/cut.ttf", dir);
  CHECK(bp_put_bytes(p.data, cut, sizeof cut));
  bbuf_free(&p);
  /* A real font cut in half, as an interrupted copy leaves it. */
  size_t n;
  char *song = bp_slurp_len(SONG, &n);
  bbuf_printf(&p, "%s/half.ttf", dir);
  CHECK(n > 0 && bp_put_bytes(p.data, song, n / 2));
  bbuf_free(&p);
  free(song);
}

static void render_fails_with_font(const char *dir, const char *const *args,
                                   const char *errors, int status) {
  const char *argv[16] = {"render", REFERENCE, "-o", "out.pdf"};
  size_t n = 4;
  for (; *args; args++)
    argv[n++] = *args;
  argv[n] = NULL;
  bp_limits lim = plain_limits();
  bp_result r = bp_runv(dir, &lim, argv);
  char *e = bp_without_warnings(r.err);
  if (errors[strlen(errors) - 1] == '*') /* a prefix */
    CHECK(!strncmp(e, errors, strlen(errors) - 1) &&
          !strchr(e, '\n')[1]);
  else
    CHECK_STR(e, errors);
  CHECK_INT(r.status, status);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  free(e);
  bp_result_drop(&r);
}

TEST(font_file_bad_on_the_command_line) {
  const char *dir = workdir("font-option");
  make_bad_fonts(dir);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=missing.ttf", NULL},
      "--font 仿宋=missing.ttf: error: font file missing.ttf: cannot open: "
      "No such file or directory\n",
      1);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=notfont.ttf", NULL},
      "--font 仿宋=notfont.ttf: error: font file notfont.ttf: not a TrueType "
      "or OpenType font\n",
      1);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=cut.ttf", NULL},
      "--font 仿宋=cut.ttf: error: font file cut.ttf: truncated (table 'cmap' "
      "ends at byte 1028 of 28)\n",
      1);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=half.ttf", NULL},
      "--font 仿宋=half.ttf: error: font file half.ttf: truncated (table '*",
      1);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=" SONG "#2", NULL},
      "--font 仿宋=" SONG "#2: error: font file " SONG ": face index 2 given, "
      "but the file is not a collection\n",
      1);
  /* A FIFO (or /dev/stdin) named as a font: open() waited for a writer
   * for ever. */
  CHECK(mkfifo("work/font-option/fifo.ttf", 0644) == 0);
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿宋=fifo.ttf", NULL},
      "--font 仿宋=fifo.ttf: error: font file fifo.ttf: not a regular "
      "file\n",
      1);
  /* A role no style uses: the font would silently never be used. */
  render_fails_with_font(
      dir, (const char *[]){"--font", "仿末=" SONG, NULL},
      "--font 仿末=" SONG ": error: unknown font role '仿末' in the layout; "
      "did you mean '仿宋'?\n",
      2);
}

TEST(font_file_bad_in_a_fonts_file) {
  const char *dir = workdir("font-config");
  make_bad_fonts(dir);
  static const char *const bad[] = {"missing.ttf", "notfont.ttf", "cut.ttf"};
  static const char *const why[] = {
      "cannot open: No such file or directory",
      "not a TrueType or OpenType font",
      "truncated (table 'cmap' ends at byte 1028 of 28)"};
  for (int i = 0; i < 3; i++) {
    bbuf fonts = {0}, path = {0}, err = {0};
    bbuf_printf(&fonts,
                "roles:\n"
                "  宋体: [{file: %s}]\n"
                "  黑体: [{file: %s}]\n"
                "  楷体: [{file: %s}]\n"
                "  仿宋: [{file: %s}]\n"
                "  小标宋: [{file: %s}]\n",
                SONG, SONG, SONG, bad[i], SONG);
    bbuf_printf(&path, "%s/fonts.yaml", dir);
    CHECK(bp_put(path.data, fonts.data));
    bbuf_printf(&err,
                "fonts.yaml:5:8: error: font file %s: %s\n"
                "fonts.yaml:5:3: error: font role 仿宋 has no usable font\n",
                bad[i], why[i]);
    render_fails_with_font(dir, (const char *[]){"--fonts", "fonts.yaml", NULL},
                           err.data, 1);
    bbuf_free(&fonts);
    bbuf_free(&path);
    bbuf_free(&err);
  }
}

/* ---------------------------------------------------------------- memory */

/* Too little address space: wherever it runs out — a font file's mapping
 * (reported as a font that "cannot map" before), an allocation — the run
 * ends with the internal error, the previous PDF kept.  The limits are far
 * below what the reference needs (about 115 MB of address space: it
 * succeeded at 116 MB and passed at 100 MB), so that where it runs out
 * does not depend on the machine; allocations failing later, stage by
 * stage, are the next test's. */
TEST(memory_runs_out) {
  if (BP_SANITIZED) {
    SKIP("the sanitizers reserve terabytes of address space");
    return;
  }
  static const rlim_t limits_kb[] = {40000, 60000};
  for (size_t i = 0; i < sizeof limits_kb / sizeof *limits_kb; i++) {
    const char *dir = workdir("out-of-memory");
    bp_limits lim = plain_limits();
    lim.memory_bytes = limits_kb[i] * 1024;
    render_fails_writing(dir, &lim, "out.pdf",
                         "budgetpdf: error: out of memory\n", 3);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  }
}

/* One allocation fails (the test build's hook, base.h): the first, and
 * one a quarter, half and three quarters through the render, counted on a
 * successful run first.  Each ends with the internal error, the previous
 * PDF kept, no temporary left. */
TEST(an_allocation_fails) {
  const char *dir = workdir("alloc-count");
  bp_limits lim = plain_limits();
  lim.count_allocs = true;
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 0);
  const char *at = strstr(r.err, "allocations: ");
  unsigned long total = at ? strtoul(at + strlen("allocations: "), NULL, 10)
                           : 0;
  CHECK(total > 1000);
  bp_result_drop(&r);
  const unsigned long nth[] = {1, total / 4, total / 2, total / 4 * 3};
  for (size_t i = 0; i < sizeof nth / sizeof *nth && total; i++) {
    dir = workdir("alloc-fails");
    lim = plain_limits();
    lim.fail_alloc = nth[i];
    /* What a stage had allocated when the failure unwinds to render()
     * (src/render) is not freed (the process exits then): LeakSanitizer
     * would report it.  Everything else the sanitizers check still. */
    if (BP_SANITIZED)
      lim.env = "ASAN_OPTIONS=detect_leaks=0";
    render_fails_writing(dir, &lim, "out.pdf",
                         "budgetpdf: error: out of memory\n", 3);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    if (harness_current_failed) {
      fprintf(stderr, "  (allocation %lu of %lu failing)\n", nth[i], total);
      break;
    }
  }
}

/* ---------------------------------------------------------------- signals */

typedef struct signal_plan {
  int sig;
  const char *temporary_of; /* a target whose temporary must exist, or NULL */
  bool temporary_seen;
} signal_plan;

/* The program is stopped at its test point: check the temporary, send the
 * signal; it is delivered when the program continues. */
static void send_signal(pid_t pid, const char *dir, void *ctx) {
  signal_plan *p = ctx;
  if (p->temporary_of)
    p->temporary_seen = bp_temporaries(dir, p->temporary_of) > 0;
  kill(pid, p->sig);
}

/* The signal arrives while the complete temporary file waits to be
 * renamed (the test build stops at test point "before-rename"): the
 * temporary is removed, the previous PDF kept, the program says so and
 * dies of the signal (status 128+N). */
static void signal_while_writing(const char *name, int sig,
                                 const char *message) {
  const char *dir = workdir(name);
  signal_plan plan = {sig, "out.pdf", false};
  bp_limits lim = plain_limits();
  lim.stop_at = "before-rename";
  lim.while_stopped = send_signal;
  lim.ctx = &plan;
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
  CHECK(r.stopped);
  CHECK(plan.temporary_seen);
  CHECK_INT(r.signal, sig);
  CHECK_INT(r.status, 128 + sig);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, message);
  free(e);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  bp_result_drop(&r);
}

TEST(sigterm_while_writing) {
  signal_while_writing("sig-term", SIGTERM,
                       "budgetpdf: error: interrupted by SIGTERM; no PDF "
                       "written\n");
}

TEST(sigint_while_writing) {
  signal_while_writing("sig-int", SIGINT,
                       "budgetpdf: error: interrupted by SIGINT; no PDF "
                       "written\n");
}

/* A CPU-time limit (ulimit -t) ends a render with SIGXCPU: the temporary
 * file is removed too. */
TEST(sigxcpu_while_writing) {
  signal_while_writing("sig-xcpu", SIGXCPU,
                       "budgetpdf: error: interrupted by SIGXCPU; no PDF "
                       "written\n");
}

/* Earlier, while the document is being made (stopped where pagination
 * begins): nothing to remove, the previous PDF kept, no temporary made. */
TEST(sigterm_while_rendering) {
  const char *dir = workdir("sig-early");
  signal_plan plan = {SIGTERM, NULL, false};
  bp_limits lim = plain_limits();
  lim.stop_at = "paginate";
  lim.while_stopped = send_signal;
  lim.ctx = &plan;
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
  CHECK(r.stopped);
  CHECK_INT(r.signal, SIGTERM);
  CHECK_INT(r.status, 128 + SIGTERM);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  bp_result_drop(&r);
}

/* The program that ships has no test points: asked to stop where the test
 * build would, it renders as usual, and no test variable is in it. */
TEST(release_build_has_no_test_points) {
  const char *dir = workdir("release");
  bp_limits lim = plain_limits();
  lim.env = "BUDGETPDF_TEST_STOP_AT=before-rename";
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 0);
  bp_result_drop(&r);
  lim.env = "BUDGETPDF_TEST_FAIL_ALLOC=1";
  r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 0);
  bp_result_drop(&r);
  size_t n;
  char *exe = bp_slurp_len(BUDGETPDF_EXE, &n);
  static const char var[] = "BUDGETPDF_TEST";
  bool found = false;
  for (size_t i = 0; i + sizeof var - 1 <= n && !found; i++)
    found = !memcmp(exe + i, var, sizeof var - 1);
  CHECK(n > 0 && !found);
  free(exe);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(small_layout_renders);
  RUN(layout_naming_a_field_that_does_not_exist);
  RUN(table_wider_than_its_page);
  RUN(page_of_no_size_or_too_big);
  RUN(output_folder_missing);
  RUN(output_folder_read_only);
  RUN(disk_full_while_writing);
  RUN(file_size_limit_of_the_shell);
  RUN(output_is_the_data_file);
  RUN(data_file_unreadable);
  RUN(data_naming_a_fifo);
  RUN(output_to_a_full_device);
  RUN(output_to_stdout);
  RUN(output_through_a_symbolic_link);
  RUN(output_is_a_folder);
  RUN(font_file_bad_on_the_command_line);
  RUN(font_file_bad_in_a_fonts_file);
  RUN(memory_runs_out);
  RUN(an_allocation_fails);
  RUN(sigterm_while_writing);
  RUN(sigint_while_writing);
  RUN(sigxcpu_while_writing);
  RUN(sigterm_while_rendering);
  RUN(release_build_has_no_test_points);
  return harness_done();
}
