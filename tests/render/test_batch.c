/* SPDX-License-Identifier: MIT */
/* test_batch.c — `budgetpdf render A.yaml B.yaml … -d OUTDIR`: each
 * document as the single render writes it, a bad one reported with its
 * positions while the others render, the manifest's two forms, the JSON
 * report, the progress line only on a terminal, --changed, --shard (the
 * union of the shards is every document exactly once), and SIGINT at a
 * defined point (a worker held on a FIFO as its output) leaving the
 * finished PDFs and no temporary file. */
#define _GNU_SOURCE 1
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define GENERALITY SOURCE_DIR "/tests/e2e/generality/data/shifan-agri-2022.yaml"

static char root[256];

static const char *path_in(const char *fmt, ...) {
  /* Never reused: argument lists keep their pointers. */
  static char buf[400][512];
  static int next;
  if (next == 400)
    abort();
  char *p = buf[next++];
  char rel[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rel, sizeof rel, fmt, ap);
  va_end(ap);
  snprintf(p, sizeof buf[0], "%s/%s", root, rel);
  return p;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0, k;
  char *b = malloc(cap + 1);
  while ((k = fread(b + n, 1, cap - n, f)) > 0)
    if ((n += k) == cap)
      b = realloc(b, (cap *= 2) + 1);
  fclose(f);
  b[n] = 0;
  if (len)
    *len = n;
  return b;
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static bool same_file_bytes(const char *a, const char *b) {
  size_t la = 0, lb = 0;
  char *x = slurp(a, &la), *y = slurp(b, &lb);
  bool same = x && y && la == lb && !memcmp(x, y, la);
  free(x);
  free(y);
  return same;
}

static void copy(const char *from, const char *to) {
  size_t n = 0;
  char *b = slurp(from, &n);
  if (!b)
    return;
  FILE *f = fopen(to, "wb");
  fwrite(b, 1, n, f);
  fclose(f);
  free(b);
}

typedef struct run_result {
  int status; /* exit status, or 128 + signal */
  char *err;
} run_result;

/* Run budgetpdf with the NULL-terminated arguments; stderr captured
 * (through a pipe: not a terminal).  env: "NAME=value" or NULL. */
static run_result run(const char *env, const char *const *args) {
  int p[2];
  if (pipe(p) != 0)
    abort();
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 2);
    close(p[0]);
    close(p[1]);
    if (env)
      putenv((char *)env);
    execv(BUDGETPDF_EXE, (char *const *)args);
    _exit(127);
  }
  close(p[1]);
  FILE *f = fdopen(p[0], "r");
  size_t cap = 4096, n = 0, k;
  char *b = malloc(cap + 1);
  while ((k = fread(b + n, 1, cap - n, f)) > 0)
    if ((n += k) == cap)
      b = realloc(b, (cap *= 2) + 1);
  b[n] = 0;
  fclose(f);
  int st;
  waitpid(pid, &st, 0);
  return (run_result){WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
                      b};
}

/* The PDF the single render writes for data, made once. */
static const char *single(const char *data, const char *name) {
  const char *out = path_in("single-%s.pdf", name);
  if (access(out, F_OK) != 0) {
    const char *args[] = {"budgetpdf", "render", data, "-o", out, NULL};
    run_result r = run(NULL, args);
    CHECK_INT(r.status, 0);
    free(r.err);
  }
  return out;
}

/* Files in dir whose names start with '.' (the writer's temporaries). */
static int hidden_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] == '.' && strcmp(e->d_name, ".") &&
         strcmp(e->d_name, "..");
  if (d)
    closedir(d);
  return n;
}

static int count_lines(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; p && (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* Six units: the two documents under several names, and a broken one. */
static void make_inputs(void) {
  mkdir(path_in("in"), 0777);
  /* The county kind's schema and layout where its data looks for them. */
  mkdir(path_in("schemas"), 0777);
  mkdir(path_in("layouts"), 0777);
  copy(SOURCE_DIR "/tests/e2e/generality/schemas/county-budget.yaml",
       path_in("schemas/county-budget.yaml"));
  copy(SOURCE_DIR "/tests/e2e/generality/layouts/county-budget.yaml",
       path_in("layouts/county-budget.yaml"));
  const char *names[] = {"u0", "u1", "u2", "u3", "u4", "u5"};
  for (int i = 0; i < 6; i++)
    copy(i % 2 ? GENERALITY : REFERENCE, path_in("in/%s.yaml", names[i]));
  put(path_in("in/bad.yaml"),
      "schema: department-budget\nlayout: department-budget\n"
      "document:\n  unit: 某单位\n  year: 20x1\n");
}

TEST(a_bad_document_among_good_ones) {
  const char *out = path_in("out1");
  const char *report = path_in("report1.json");
  const char *args[] = {"budgetpdf", "render", path_in("in/u0.yaml"),
                        path_in("in/bad.yaml"), path_in("in/u1.yaml"),
                        "-d", out, "-j2", "--report", report, NULL};
  run_result r = run(NULL, args);
  CHECK_INT(r.status, 1);
  /* Positioned, named in the summary, no progress line into a pipe. */
  CHECK_CONTAINS(r.err, "in/bad.yaml:5:9: error: the year must be four "
                        "digits, not '20x1'\n");
  CHECK_CONTAINS(r.err, "budgetpdf: 2 of 3 documents rendered, 0 unchanged, "
                        "1 failed");
  CHECK_CONTAINS(r.err, "budgetpdf: failed: ");
  CHECK_CONTAINS(r.err, "in/bad.yaml\n");
  CHECK(!strchr(r.err, '\r'));
  CHECK(!strstr(r.err, "ETA"));
  CHECK(same_file_bytes(path_in("out1/u0.pdf"), single(REFERENCE, "ref")));
  CHECK(same_file_bytes(path_in("out1/u1.pdf"), single(GENERALITY, "gen")));
  CHECK(access(path_in("out1/bad.pdf"), F_OK) != 0);
  CHECK_INT(hidden_files(out), 0);
  char *json = slurp(report, NULL);
  CHECK_INT(count_lines(json, "\n"), 3);
  CHECK_INT(count_lines(json, "\"status\":\"rendered\",\"exit\":0,"), 2);
  CHECK_INT(count_lines(json, "\"status\":\"failed\",\"exit\":1,\"pages\":0,"
                              "\"bytes\":0,"),
            1);
  CHECK_CONTAINS(json, "\"output\":\"");
  CHECK_CONTAINS(json, "out1/u1.pdf\",\"status\":\"rendered\",\"exit\":0,"
                       "\"pages\":16,\"bytes\":");
  CHECK_CONTAINS(json, "\"messages\":[\"");
  CHECK_CONTAINS(json, "in/bad.yaml:5:9: error: the year must be four "
                       "digits, not '20x1'\"");
  CHECK_CONTAINS(json, "\"milliseconds\":");
  free(json);
  free(r.err);
}

TEST(manifests) {
  /* YAML: paths relative to the manifest, outputs named or not. */
  put(path_in("in/list.yaml"), "- u0.yaml\n"
                               "- {data: u1.yaml, output: 示范县.pdf}\n");
  const char *a1[] = {"budgetpdf", "render", "--manifest",
                      path_in("in/list.yaml"), "-d", path_in("out2"), NULL};
  run_result r = run(NULL, a1);
  CHECK_INT(r.status, 0);
  CHECK(same_file_bytes(path_in("out2/u0.pdf"), single(REFERENCE, "ref")));
  CHECK(same_file_bytes(path_in("out2/示范县.pdf"), single(GENERALITY, "gen")));
  free(r.err);
  /* A plain list: one path a line, comments and blank lines skipped. */
  put(path_in("in/list.txt"), "# the county\n\n  u1.yaml\nu3.yaml\n");
  const char *a2[] = {"budgetpdf", "render", "--manifest",
                      path_in("in/list.txt"), "-d", path_in("out3"), NULL};
  r = run(NULL, a2);
  CHECK_INT(r.status, 0);
  CHECK(same_file_bytes(path_in("out3/u1.pdf"), single(GENERALITY, "gen")));
  CHECK(same_file_bytes(path_in("out3/u3.pdf"), single(GENERALITY, "gen")));
  free(r.err);
  /* Mistakes in the manifest are positioned; nothing renders. */
  put(path_in("in/wrong.yaml"), "- u0.yaml\n- {data: u1.yaml, ouput: x.pdf}\n"
                                "- {data: u2.yaml, output: u0.pdf}\n");
  const char *a3[] = {"budgetpdf", "render", "--manifest",
                      path_in("in/wrong.yaml"), "-d", path_in("out4"), NULL};
  r = run(NULL, a3);
  CHECK_INT(r.status, 1);
  CHECK_CONTAINS(r.err, "in/wrong.yaml:2:19: error: unknown key 'ouput' in "
                        "a manifest entry; did you mean 'output'?\n");
  CHECK_CONTAINS(r.err, "in/wrong.yaml:3:3: error: ");
  CHECK_CONTAINS(r.err, "out4/u0.pdf is also the output of ");
  CHECK(access(path_in("out4/u0.pdf"), F_OK) != 0);
  free(r.err);
}

TEST(shards_cover_every_document_once) {
  const char *report = path_in("report-shards.json");
  unlink(report);
  put(path_in("in/seven.txt"),
      "u0.yaml\nu1.yaml\nu2.yaml\nu3.yaml\nu4.yaml\nu5.yaml\nbad.yaml\n");
  for (int k = 0; k < 3; k++) {
    char shard[16], env[40];
    snprintf(shard, sizeof shard, "%d/3", k);
    snprintf(env, sizeof env, "JOB_COMPLETION_INDEX=%d", k);
    const char *shard_report = path_in("shard%d.json", k);
    /* Shard 1 takes its index from the environment, as in a Kubernetes
     * Indexed Job. */
    const char *args[] = {"budgetpdf", "render", "--manifest",
                          path_in("in/seven.txt"), "-d", path_in("out5"),
                          "--shard", k == 1 ? "3" : shard,
                          "--report", shard_report, NULL};
    run_result r = run(k == 1 ? env : NULL, args);
    CHECK_INT(r.status, k == 0 ? 1 : 0); /* bad.yaml is the 7th: shard 0 */
    free(r.err);
    char *json = slurp(shard_report, NULL);
    CHECK_INT(count_lines(json, "\n"), k == 0 ? 3 : 2);
    FILE *all = fopen(report, "a");
    fputs(json, all);
    fclose(all);
    free(json);
  }
  char *json = slurp(report, NULL);
  const char *names[] = {"u0", "u1", "u2", "u3", "u4", "u5", "bad"};
  for (int i = 0; i < 7; i++) {
    char key[64];
    snprintf(key, sizeof key, "in/%s.yaml\"", names[i]);
    CHECK_INT(count_lines(json, key), 1);
  }
  CHECK_INT(count_lines(json, "\n"), 7);
  free(json);
  const char *bad[] = {"budgetpdf", "render", "--manifest",
                       path_in("in/seven.txt"), "-d", path_in("out5"),
                       "--shard", "3/3", NULL};
  run_result r = run(NULL, bad);
  CHECK_INT(r.status, 2);
  CHECK_CONTAINS(r.err, "--shard takes K/N with 0 <= K < N, not '3/3'");
  free(r.err);
}

TEST(changed_renders_only_what_changed) {
  const char *out = path_in("out6");
  const char *report = path_in("report6.json");
  copy(REFERENCE, path_in("in/c0.yaml"));
  copy(GENERALITY, path_in("in/c1.yaml"));
  const char *args[] = {"budgetpdf", "render", path_in("in/c0.yaml"),
                        path_in("in/c1.yaml"), "-d", out, "--changed",
                        "--report", report, NULL};
  /* First run: no record yet, both rendered, sidecars written. */
  run_result r = run(NULL, args);
  CHECK_INT(r.status, 0);
  free(r.err);
  CHECK(access(path_in("out6/c0.pdf.sha256"), F_OK) == 0);
  char *side = slurp(path_in("out6/c1.pdf.sha256"), NULL);
  CHECK_CONTAINS(side, "# budgetpdf ");
  CHECK_CONTAINS(side, "/layouts/county-budget.yaml\n");
  CHECK_CONTAINS(side, "out6/c1.pdf\n");
  free(side);
  /* sha256sum's own format and hashes (the comment line aside). */
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "sha256sum -c --status '%s' 2>/dev/null",
           path_in("out6/c1.pdf.sha256"));
  CHECK_INT(system(cmd), 0);
  /* Nothing changed. */
  r = run(NULL, args);
  CHECK_INT(r.status, 0);
  CHECK_CONTAINS(r.err, "0 of 2 documents rendered, 2 unchanged, 0 failed");
  free(r.err);
  char *json = slurp(report, NULL);
  CHECK_INT(count_lines(json, "\"status\":\"unchanged\""), 2);
  free(json);
  /* One data file edited; one PDF removed. */
  FILE *f = fopen(path_in("in/c0.yaml"), "a");
  fputs("# corrected\n", f);
  fclose(f);
  r = run(NULL, args);
  CHECK_CONTAINS(r.err, "1 of 2 documents rendered, 1 unchanged, 0 failed");
  free(r.err);
  json = slurp(report, NULL);
  CHECK_CONTAINS(json, "in/c0.yaml\",\"output\"");
  CHECK_INT(count_lines(json, "\"status\":\"rendered\""), 1);
  free(json);
  unlink(path_in("out6/c1.pdf"));
  r = run(NULL, args);
  CHECK_CONTAINS(r.err, "1 of 2 documents rendered, 1 unchanged, 0 failed");
  free(r.err);
  CHECK(same_file_bytes(path_in("out6/c1.pdf"), single(GENERALITY, "gen")));
  /* Other options: rendered again. */
  const char *strict[] = {"budgetpdf", "render", path_in("in/c1.yaml"), "-d",
                          out, "--changed", "--strict", NULL};
  r = run(NULL, strict);
  CHECK_CONTAINS(r.err, "1 of 1 documents rendered, 0 unchanged");
  free(r.err);
}

/* SIGINT once the first document is reported: the second document's
 * output is a FIFO nobody reads, so its worker is held there (a defined
 * point, no timing) and the third is never started. */
TEST(sigint_leaves_finished_pdfs_and_no_temporary) {
  const char *out = path_in("out7");
  mkdir(out, 0777);
  const char *fifo_report = path_in("report7.fifo");
  CHECK(mkfifo(fifo_report, 0600) == 0);
  CHECK(mkfifo(path_in("out7/u1.pdf"), 0600) == 0);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    execl(BUDGETPDF_EXE, "budgetpdf", "render", path_in("in/u0.yaml"),
          path_in("in/u1.yaml"), path_in("in/u2.yaml"), path_in("in/u3.yaml"),
          "-d", out, "-j1", "--report", fifo_report, (char *)NULL);
    _exit(127);
  }
  FILE *rep = fopen(fifo_report, "r");
  char line[8192];
  bool first = rep && fgets(line, sizeof line, rep);
  CHECK(first);
  CHECK(first && strstr(line, "in/u0.yaml\""));
  kill(pid, SIGINT);
  int lines_after = 0;
  while (rep && fgets(line, sizeof line, rep))
    lines_after++;
  if (rep)
    fclose(rep);
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
  CHECK_INT(lines_after, 0);
  CHECK(same_file_bytes(path_in("out7/u0.pdf"), single(REFERENCE, "ref")));
  CHECK(access(path_in("out7/u2.pdf"), F_OK) != 0);
  CHECK(access(path_in("out7/u3.pdf"), F_OK) != 0);
  CHECK_INT(hidden_files(out), 0);
}

/* A worker that dies fails its document only: the second document's
 * output is a FIFO the test reads, so the worker is known to be writing
 * it when it is killed; a new worker renders the third. */
TEST(a_dying_worker_fails_only_its_document) {
  const char *out = path_in("out9");
  mkdir(out, 0777);
  const char *report = path_in("report9.json");
  CHECK(mkfifo(path_in("out9/u1.pdf"), 0600) == 0);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    execl(BUDGETPDF_EXE, "budgetpdf", "render", path_in("in/u0.yaml"),
          path_in("in/u1.yaml"), path_in("in/u2.yaml"), "-d", out, "-j1",
          "--report", report, (char *)NULL);
    _exit(127);
  }
  int fifo = open(path_in("out9/u1.pdf"), O_RDONLY);
  char byte;
  CHECK(fifo >= 0 && read(fifo, &byte, 1) == 1); /* it is writing u1 */
  char children[64];
  snprintf(children, sizeof children, "/proc/%d/task/%d/children", (int)pid,
           (int)pid);
  char *list = slurp(children, NULL);
  int worker = list ? atoi(list) : 0;
  CHECK(worker > 0);
  if (worker > 0)
    kill(worker, SIGKILL);
  free(list);
  close(fifo);
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
  char *json = slurp(report, NULL);
  CHECK_INT(count_lines(json, "\n"), 3);
  CHECK_CONTAINS(json, "in/u1.yaml: error: the process rendering it died "
                       "of signal 9; not rendered\"");
  CHECK_INT(count_lines(json, "\"status\":\"rendered\""), 2);
  free(json);
  CHECK(same_file_bytes(path_in("out9/u0.pdf"), single(REFERENCE, "ref")));
  CHECK(same_file_bytes(path_in("out9/u2.pdf"), single(REFERENCE, "ref")));
  CHECK_INT(hidden_files(out), 0);
}

/* On a terminal the progress line is drawn (and cleared for the
 * summary). */
TEST(progress_on_a_terminal) {
  int master;
  fflush(NULL);
  pid_t pid = forkpty(&master, NULL, NULL, NULL);
  if (pid == 0) {
    execl(BUDGETPDF_EXE, "budgetpdf", "render", path_in("in/u1.yaml"),
          path_in("in/u3.yaml"), "-d", path_in("out8"), "-j1", (char *)NULL);
    _exit(127);
  }
  char buf[16384];
  size_t n = 0;
  ssize_t k;
  while (n < sizeof buf - 1 && (k = read(master, buf + n, sizeof buf - 1 - n)) > 0)
    n += (size_t)k;
  buf[n] = 0;
  close(master);
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CHECK_CONTAINS(buf, "\r\033[Kbudgetpdf: 1/2 done, 0 failed, ");
  CHECK_CONTAINS(buf, "\r\033[Kbudgetpdf: 2/2 done, 0 failed, ");
  CHECK_CONTAINS(buf, "ETA ");
  CHECK_CONTAINS(buf, "\r\033[Kbudgetpdf: 2 of 2 documents rendered");
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  snprintf(root, sizeof root, "%s/test_batch.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    return 1;
  }
  make_inputs();
  RUN(a_bad_document_among_good_ones);
  RUN(manifests);
  RUN(shards_cover_every_document_once);
  RUN(changed_renders_only_what_changed);
  RUN(sigint_leaves_finished_pdfs_and_no_temporary);
  RUN(a_dying_worker_fails_only_its_document);
  RUN(progress_on_a_terminal);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0)
    perror("rm");
  return harness_done();
}
