/* SPDX-License-Identifier: MIT */
/* test_model_cli.c — `budgetpdf check` end to end: the program's exact
 * output and exit status on the reference data (the published errors,
 * nothing else), on a clean file, on a file with schema errors, and on
 * usage and I/O errors. */
#include "harness.h"
#include "base.h"

#include <sys/wait.h>
#include <unistd.h>

typedef struct run_result {
  int status;
  char *out;
  char *err;
} run_result;

static char *slurp(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *text = file_read_all(path, 1 << 20, &len, d);
  diag_drop(d);
  return text ? text : xstrdup("");
}

/* Run budgetpdf with args (a shell fragment) in dir. */
static run_result run(const char *dir, const char *args) {
  char err_path[] = "/tmp/budgetpdf-cli-XXXXXX";
  int fd = mkstemp(err_path);
  close(fd);
  bbuf cmd = {0};
  bbuf_printf(&cmd, "cd '%s' && '%s' %s 2>'%s'", dir, BUDGETPDF_EXE, args,
              err_path);
  FILE *p = popen(cmd.data, "r");
  bbuf out = {0};
  bbuf_puts(&out, "");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    bbuf_append(&out, buf, n);
  int status = pclose(p);
  run_result r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out.data,
                  slurp(err_path)};
  unlink(err_path);
  bbuf_free(&cmd);
  return r;
}

static void drop(run_result *r) {
  free(r->out);
  free(r->err);
}

TEST(check_on_the_reference_lists_its_published_errors) {
  run_result r = run(SOURCE_DIR, "check data/changji-sib-2021.yaml");
  char *want = slurp(TEST_DIR "/expected/check-changji-sib-2021.txt");
  CHECK_INT(r.status, 1);
  CHECK_STR(r.out, "");
  CHECK_STR(r.err, want);
  free(want);
  drop(&r);
}

TEST(check_on_a_clean_file_says_so) {
  run_result r = run(TEST_DIR "/fixtures", "check data/clean.yaml");
  CHECK_INT(r.status, 0);
  CHECK_STR(r.out, "data/clean.yaml: no findings\n");
  CHECK_STR(r.err, "");
  drop(&r);
}

TEST(schema_errors_come_first_and_stop_the_arithmetic) {
  run_result r = run(TEST_DIR "/fixtures", "check data/bad-keys.yaml");
  CHECK_INT(r.status, 1);
  CHECK_CONTAINS(r.err, "data/bad-keys.yaml:13:38: error: unknown key '合记' "
                        "in row 208 of 支出表; did you mean '合计'?\n");
  CHECK_CONTAINS(r.err, "data/bad-keys.yaml: note: arithmetic not checked: "
                        "fix the errors above first\n");
  drop(&r);
  /* An explicit schema replaces the named one. */
  r = run(TEST_DIR "/fixtures",
          "check --schema schemas/mini.yaml data/unknown-schema.yaml");
  CHECK_INT(r.status, 1);
  CHECK_CONTAINS(r.err, "missing key 'document' in the data file");
  drop(&r);
}

TEST(io_and_usage_errors_exit_2) {
  run_result r = run(TEST_DIR "/fixtures", "check data/nope.yaml");
  CHECK_INT(r.status, 2);
  CHECK_STR(r.err, "data/nope.yaml: error: cannot open: No such file or "
                   "directory\n");
  drop(&r);
  r = run(SOURCE_DIR, "check");
  CHECK_INT(r.status, 2);
  CHECK_CONTAINS(r.err, "budgetpdf: error: check needs a data file\n");
  drop(&r);
  r = run(SOURCE_DIR, "check a.yaml b.yaml");
  CHECK_INT(r.status, 2);
  drop(&r);
  r = run(SOURCE_DIR, "check --strict a.yaml");
  CHECK_INT(r.status, 2);
  CHECK_CONTAINS(r.err, "unknown option for check: '--strict'");
  drop(&r);
  r = run(SOURCE_DIR, "check a.yaml --schema");
  CHECK_INT(r.status, 2);
  CHECK_CONTAINS(r.err, "budgetpdf: error: --schema needs a file\n");
  drop(&r);
  r = run(SOURCE_DIR, "chekc a.yaml");
  CHECK_INT(r.status, 2);
  CHECK_CONTAINS(r.err, "budgetpdf: error: unknown command 'chekc'\n");
  drop(&r);
}

TEST(help_lists_render_and_check) {
  run_result r = run(SOURCE_DIR, "--help");
  CHECK_INT(r.status, 0);
  CHECK_CONTAINS(r.out, "budgetpdf render DATA.yaml -o OUT.pdf");
  CHECK_CONTAINS(r.out, "budgetpdf check DATA.yaml");
  drop(&r);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(check_on_the_reference_lists_its_published_errors);
  RUN(check_on_a_clean_file_says_so);
  RUN(schema_errors_come_first_and_stop_the_arithmetic);
  RUN(io_and_usage_errors_exit_2);
  RUN(help_lists_render_and_check);
  return harness_done();
}
