/* SPDX-License-Identifier: MIT */
/* test_e2e_pdfa.c — every PDF budgetpdf is shipped to make is a valid
 * PDF/A-1b file (ISO 19005-1, GB/T 23286.1) to a real validator: Apache
 * PDFBox's Preflight (Debian libpdfbox2-java), run once over
 *   - every example in data/ (the reference, changji-sib-2021.yaml, among
 *     them) and tests/e2e/generality/data/,
 *   - a large generated unit (bench/gen_unit, 200 projects, ~350 pages);
 * any error fails the test and is printed.  Each file also passes
 * qpdf --check, and renders to the same bytes twice (the trailer /ID is a
 * hash of the file, not of the clock).
 *
 * Without Java or Preflight's jars the test exits 77, which ctest reports
 * as skipped (SKIP_RETURN_CODE), saying what is missing and which
 * packages bring it. */
#include "harness.h"
#include "e2e.h"

#include <dirent.h>
#include <stdarg.h>
#include <unistd.h>

enum { SKIPPED = 77, LARGE_UNIT_PROJECTS = 200 };

static const char install_hint[] =
    "apt-get install default-jre-headless libpdfbox2-java libactivation-java "
    "libjaxb-api-java";

typedef struct rendered {
  char *label; /* where it came from, for messages */
  char *pdf;   /* dir/<n>-<name>.pdf: unique base names, which Preflight's
                  report uses */
} rendered;

static rendered files[64];
static size_t nfiles;
static char *dir;

/* Why Preflight cannot run here, or NULL if it can. */
static char *preflight_missing(void) {
  char *out = NULL;
  if (e2e_run("command -v java", &out, NULL) != 0) {
    free(out);
    return xstrdup("no java on PATH");
  }
  free(out);
  char *cp = xstrdup(PREFLIGHT_CLASSPATH);
  for (char *jar = strtok(cp, ":"); jar; jar = strtok(NULL, ":"))
    if (access(jar, R_OK) != 0) {
      char *why = fmt("%s is missing", jar);
      free(cp);
      return why;
    }
  free(cp);
  return NULL;
}

static void render(const char *label, const char *data) {
  if (nfiles == sizeof files / sizeof *files) {
    CHECK(!"more examples than the test has room for");
    return;
  }
  const char *base = strrchr(data, '/') ? strrchr(data, '/') + 1 : data;
  char *pdf = fmt("%s/%zu-%.*s.pdf", dir, nfiles, (int)(strlen(base) - 5), base);
  char *cmd = fmt("'%s' render '%s' -o '%s'", BUDGETPDF_EXE, data, pdf);
  char *err = NULL;
  int st = e2e_run(cmd, NULL, &err);
  if (st != 0)
    fprintf(stderr, "%s: render exited %d:\n%s\n", label, st, err);
  CHECK_INT(st, 0);
  free(err);
  /* the same bytes again */
  char *again = fmt("%s.again", pdf);
  char *cmd2 = fmt("'%s' render '%s' -o '%s' 2>/dev/null && cmp '%s' '%s'",
                   BUDGETPDF_EXE, data, again, pdf, again);
  int same = e2e_run(cmd2, NULL, NULL);
  if (same != 0)
    fprintf(stderr, "%s: a second render differs\n", label);
  CHECK_INT(same, 0);
  char *check = fmt("qpdf --check '%s'", pdf);
  char *qerr = NULL;
  CHECK_INT(e2e_run(check, NULL, &qerr), 0);
  CHECK_STR(qerr, "");
  free(qerr);
  files[nfiles++] = (rendered){xstrdup(label), pdf};
  free(cmd);
  free(again);
  free(cmd2);
  free(check);
}

/* Every *.yaml of a folder, in name order. */
static void render_folder(const char *folder) {
  struct dirent **names;
  int n = scandir(folder, &names, NULL, alphasort);
  CHECK(n > 0);
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    size_t len = strlen(name);
    if (len > 5 && !strcmp(name + len - 5, ".yaml")) {
      char *path = fmt("%s/%s", folder, name);
      render(path, path);
      free(path);
    }
    free(names[i]);
  }
  free(names);
}

/* The <preflight name="base"> block of Preflight's group report: valid,
 * or its errors printed. */
static void check_report(const char *report, const rendered *r) {
  const char *base = strrchr(r->pdf, '/') + 1;
  char *open = fmt("<preflight name=\"%s\">", base);
  const char *at = strstr(report, open);
  if (!at) {
    fprintf(stderr, "%s: not in Preflight's report\n", r->label);
    CHECK(!"every file validated");
    free(open);
    return;
  }
  const char *end = strstr(at + 1, "<preflight ");
  size_t len = end ? (size_t)(end - at) : strlen(at);
  char *block = xstrndup(at, len);
  bool valid = strstr(block, "<isValid type=\"PDF/A1-b\">true</isValid>");
  if (!valid) /* the first errors are enough to see what is wrong */
    fprintf(stderr, "%s is not valid PDF/A-1b:\n%.3000s%s\n", r->label, block,
            len > 3000 ? "\n…" : "");
  CHECK(valid);
  printf("%s %s: PDF/A-1b\n", valid ? "ok  " : "FAIL", r->label);
  free(block);
  free(open);
}

TEST(preflight_finds_no_error_in_any_shipped_document) {
  render_folder(SOURCE_DIR "/data"); /* the reference among them */
  bool reference = false; /* (its bound twin sorts before it) */
  for (size_t i = 0; i < nfiles && !reference; i++)
    reference = strstr(files[i].label, "/changji-sib-2021.yaml") != NULL;
  CHECK(reference);
  render_folder(SOURCE_DIR "/tests/e2e/generality/data");
  char *unit = fmt("%s/large-unit.yaml", dir);
  char *gen = fmt("'%s' %d '%s'", GEN_UNIT_EXE, LARGE_UNIT_PROJECTS, unit);
  CHECK_INT(e2e_run(gen, NULL, NULL), 0);
  render("a generated unit of 200 projects", unit);
  free(gen);
  free(unit);

  /* One Java start for all files ("group" mode writes one XML report
   * beside the list). */
  char *list = fmt("%s/files.txt", dir);
  FILE *f = fopen(list, "w");
  CHECK(f != NULL);
  for (size_t i = 0; f && i < nfiles; i++)
    fprintf(f, "%s\n", files[i].pdf);
  if (f)
    fclose(f);
  char *cmd = fmt("java -cp '%s' org.apache.pdfbox.preflight.Validator_A1b xml group '%s'",
                  PREFLIGHT_CLASSPATH, list);
  char *err = NULL;
  int st = e2e_run(cmd, NULL, &err);
  if (st != 0)
    fprintf(stderr, "Preflight exited %d:\n%s\n", st, err);
  CHECK_INT(st, 0);
  free(err);
  char *report_path = fmt("%s.preflight.xml", list);
  size_t len;
  diag *d = diag_new(stderr);
  char *report = file_read_all(report_path, 1 << 26, &len, d);
  CHECK(report != NULL);
  for (size_t i = 0; report && i < nfiles; i++)
    check_report(report, &files[i]);
  CHECK(nfiles >= 3);
  free(report);
  diag_drop(d);
  free(report_path);
  free(cmd);
  free(list);
  for (size_t i = 0; i < nfiles; i++) {
    free(files[i].label);
    free(files[i].pdf);
  }
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  char *missing = preflight_missing();
  if (missing) {
    printf("SKIPPED: PDF/A validator not available (%s); %s\n", missing, install_hint);
    free(missing);
    return SKIPPED;
  }
  dir = e2e_tmpdir_new("pdfa");
  RUN(preflight_finds_no_error_in_any_shipped_document);
  e2e_tmpdir_remove(dir);
  free(dir);
  return harness_done();
}
