/* SPDX-License-Identifier: MIT */
/* test_pdf_output.c — the output file is written atomically (src/pdf,
 * output.c).  Every failure leaves the previous file at the target as it
 * was, leaves no temporary file behind, and is reported as
 *   <path>: error: cannot write: <strerror>
 * Failures are made for real: a missing directory; a directory the
 * process may not write (as an unprivileged user when the test runs as
 * root); a write that fails half-way (a file-size limit, which fails like
 * a full disk); and SIGTERM arriving while the temporary file exists. */
#define _DEFAULT_SOURCE 1
#include "harness.h"
#include "pdf_private.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char old_content[] = "%PDF-1.3 previous version\n";

static void put(const char *path, const char *s) {
  FILE *f = fopen(path, "wb");
  fputs(s, f);
  fclose(f);
}

static char *slurp(const char *path) {
  size_t len;
  diag *d = diag_new(NULL);
  char *s = file_read_all(path, 1 << 24, &len, d);
  diag_drop(d);
  return s;
}

/* Files in dir whose names start with ".<base>." — our temporaries. */
static int temporaries(const char *dir, const char *base) {
  char prefix[256];
  snprintf(prefix, sizeof prefix, ".%s.", base);
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += !strncmp(e->d_name, prefix, strlen(prefix));
  if (d)
    closedir(d);
  return n;
}

static void fresh_dir(const char *dir) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
  CHECK(system(cmd) == 0);
}

TEST(writes_and_replaces_the_target) {
  fresh_dir("out-ok");
  put("out-ok/doc.pdf", old_content);
  diag *d = diag_new(NULL);
  CHECK(pdf_write_atomically("out-ok/doc.pdf", "new bytes", 9, d));
  char *s = slurp("out-ok/doc.pdf");
  CHECK_STR(s, "new bytes");
  free(s);
  struct stat st;
  CHECK(stat("out-ok/doc.pdf", &st) == 0);
  mode_t mask = umask(0);
  umask(mask);
  CHECK_INT(st.st_mode & 0777, 0666 & ~mask);
  CHECK_INT(temporaries("out-ok", "doc.pdf"), 0);
  /* a bare file name writes in the current directory */
  CHECK(pdf_write_atomically("bare-name.pdf", "x", 1, d));
  CHECK_INT(temporaries(".", "bare-name.pdf"), 0);
  CHECK_INT(diag_error_count(d), 0);
  diag_drop(d);
}

TEST(missing_directory_is_an_io_error) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  CHECK(!pdf_write_atomically("no-such-dir/doc.pdf", "x", 1, d));
  CHECK_STR(capture_text(&c),
            "no-such-dir/doc.pdf: error: cannot write: No such file or directory\n");
  CHECK_INT(diag_kind_count(d, DIAG_IO), 1);
  CHECK_INT(diag_exit_status(d), BP_EXIT_USAGE);
  diag_drop(d);
  capture_close(&c);
}

/* Run fn in a child process; returns its raw wait status.  The child's
 * diagnostics go to the file `log`. */
static int in_child(void (*fn)(diag *), const char *log) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    FILE *f = fopen(log, "w");
    diag *d = diag_new(f);
    fn(d);
    diag_drop(d);
    fclose(f);
    _exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return st;
}

static void write_as_nobody(diag *d) {
  if (geteuid() == 0 && setuid(65534) != 0)
    _exit(3);
  pdf_write_atomically("out-ro/doc.pdf", "new bytes", 9, d);
}

TEST(unwritable_directory_keeps_the_previous_file) {
  fresh_dir("out-ro");
  put("out-ro/doc.pdf", old_content);
  CHECK(chmod("out-ro", 0555) == 0);
  int st = in_child(write_as_nobody, "out-ro.log");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  char *log = slurp("out-ro.log");
  CHECK_STR(log, "out-ro/doc.pdf: error: cannot write: Permission denied\n");
  free(log);
  char *s = slurp("out-ro/doc.pdf");
  CHECK_STR(s, old_content);
  free(s);
  CHECK_INT(temporaries("out-ro", "doc.pdf"), 0);
  chmod("out-ro", 0755);
}

/* A file-size limit makes write() fail part-way, as a full disk does. */
static void write_past_the_limit(diag *d) {
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit rl = {8192, 8192};
  setrlimit(RLIMIT_FSIZE, &rl);
  size_t n = 1 << 20;
  char *big = xmalloc(n);
  memset(big, 'x', n);
  pdf_write_atomically("out-full/doc.pdf", big, n, d);
  free(big);
}

TEST(failed_write_half_way_keeps_the_previous_file) {
  fresh_dir("out-full");
  put("out-full/doc.pdf", old_content);
  int st = in_child(write_past_the_limit, "out-full.log");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  char *log = slurp("out-full.log");
  CHECK_STR(log, "out-full/doc.pdf: error: cannot write: File too large\n");
  free(log);
  char *s = slurp("out-full/doc.pdf");
  CHECK_STR(s, old_content);
  free(s);
  CHECK_INT(temporaries("out-full", "doc.pdf"), 0);
}

static void terminate_now(const char *temp_path) {
  (void)temp_path;
  raise(SIGTERM);
}

static void killed_while_writing(diag *d) {
  pdf_install_cleanup_handlers();
  pdf_test_after_temp_created = terminate_now;
  pdf_write_atomically("out-sig/doc.pdf", "new bytes", 9, d);
  _exit(4); /* not reached: SIGTERM ends the process */
}

TEST(sigterm_while_writing_removes_the_temporary_file) {
  fresh_dir("out-sig");
  put("out-sig/doc.pdf", old_content);
  int st = in_child(killed_while_writing, "out-sig.log");
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
  char *s = slurp("out-sig/doc.pdf");
  CHECK_STR(s, old_content);
  free(s);
  CHECK_INT(temporaries("out-sig", "doc.pdf"), 0);
}

static void exits_while_writing_hook(const char *temp_path) {
  (void)temp_path;
  exit(BP_EXIT_INTERNAL); /* what xmalloc does when memory runs out */
}

static void exits_while_writing(diag *d) {
  pdf_install_cleanup_handlers();
  pdf_test_after_temp_created = exits_while_writing_hook;
  pdf_write_atomically("out-exit/doc.pdf", "new bytes", 9, d);
}

TEST(exit_while_writing_removes_the_temporary_file) {
  fresh_dir("out-exit");
  int st = in_child(exits_while_writing, "out-exit.log");
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == BP_EXIT_INTERNAL);
  CHECK_INT(temporaries("out-exit", "doc.pdf"), 0);
  CHECK(access("out-exit/doc.pdf", F_OK) != 0);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(writes_and_replaces_the_target);
  RUN(missing_directory_is_an_io_error);
  RUN(unwritable_directory_keeps_the_previous_file);
  RUN(failed_write_half_way_keeps_the_previous_file);
  RUN(sigterm_while_writing_removes_the_temporary_file);
  RUN(exit_while_writing_removes_the_temporary_file);
  return harness_done();
}
