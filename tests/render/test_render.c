/* SPDX-License-Identifier: MIT */
/* test_render.c — the pipeline as a library (render.h): several jobs in one
 * process give the bytes the budgetpdf program writes; a failing job
 * between good ones changes nothing for them; a file sink is atomic; a
 * hundred jobs on shared resources (run under ASan, LeakSanitizer checks
 * that nothing is left); out of memory is survived. */
#define _GNU_SOURCE 1
#include "harness.h"
#include "render.h"

#include <errno.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define GENERALITY SOURCE_DIR "/tests/e2e/generality/data/shifan-agri-2022.yaml"
#define FINAL SOURCE_DIR "/data/yunling-agritech-final-2022.yaml"
#define GENERALITY_LAYOUT \
  SOURCE_DIR "/tests/e2e/generality/layouts/county-budget.yaml"

static char workdir[256];

static const char *work_path(const char *name) {
  static char buf[4][512];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", workdir, name);
  return p;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  bbuf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    bbuf_append(&b, chunk, n);
  fclose(f);
  *len = b.len;
  return b.data ? b.data : xstrdup("");
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

/* What the budgetpdf program writes for data (with the test's
 * environment, SOURCE_DATE_EPOCH included). */
static char *program_output(const char *data, const char *name, size_t *len) {
  const char *out = work_path(name);
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stderr))
      _exit(127);
    execl(BUDGETPDF_EXE, "budgetpdf", "render", data, "-o", out, (char *)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return slurp(out, len);
}

static render_job job_for(const char *data) {
  return (render_job){.data = data,
                      .datadir = SOURCE_DIR,
                      .source_date_epoch = getenv("SOURCE_DATE_EPOCH")};
}

/* Render job to memory; *messages receives what was reported. */
static int render_to_memory(render_resources *res, const render_job *job,
                            bbuf *pdf, render_result *r, char **messages) {
  captured_diag cap;
  diag *d = diag_new(capture_open(&cap));
  int status = render(res, job, &(render_sink){.memory = pdf}, r, d);
  diag_drop(d);
  *messages = xstrdup(capture_text(&cap));
  capture_close(&cap);
  return status;
}

static bool same_bytes(const bbuf *got, const char *want, size_t want_len) {
  return want && got->len == want_len && !memcmp(got->data, want, want_len);
}

static char *reference_pdf, *generality_pdf, *final_pdf;
static size_t reference_len, generality_len, final_len;

TEST(jobs_in_one_process_match_the_program) {
  render_resources *res = render_resources_new();
  /* Three kinds of document (three schemas, layouts, font sets). */
  const char *order[] = {REFERENCE, GENERALITY, FINAL,
                         REFERENCE, FINAL,      GENERALITY};
  for (size_t i = 0; i < 6; i++) {
    render_job job = job_for(order[i]);
    bbuf pdf = {0};
    render_result r = {0};
    char *messages;
    CHECK_INT(render_to_memory(res, &job, &pdf, &r, &messages), BP_EXIT_OK);
    CHECK(!strcmp(order[i], REFERENCE)
              ? same_bytes(&pdf, reference_pdf, reference_len)
          : !strcmp(order[i], FINAL)
              ? same_bytes(&pdf, final_pdf, final_len)
              : same_bytes(&pdf, generality_pdf, generality_len));
    CHECK_INT(r.bytes, pdf.len);
    CHECK(r.pages > 10);
    /* Data, schema, layout, fonts configuration and font files. */
    CHECK(r.ninputs >= 5);
    CHECK_STR(r.inputs[0], order[i]);
    free(messages);
    bbuf_free(&pdf);
    render_result_clear(&r);
  }
  render_resources_drop(res);
}

TEST(a_failing_job_between_good_ones_changes_nothing) {
  render_resources *res = render_resources_new();
  const char *broken = work_path("broken.yaml");
  write_file(broken, "schema: department-budget\nlayout: [unclosed\n");
  render_job jobs[5] = {job_for(REFERENCE), job_for(broken),
                        job_for(REFERENCE), job_for(REFERENCE),
                        job_for(GENERALITY)};
  /* The reference's data with the other kind's layout, and with a font
   * role the layout does not use. */
  jobs[2].layout = GENERALITY_LAYOUT;
  static const char *const bad_role[] = {"仿宋体=/nonexistent.ttf"};
  jobs[3].font_roles = bad_role;
  jobs[3].nfont_roles = 1;
  static const char *const want[] = {
      NULL, "broken.yaml:3:1: error:",
      "county-budget.yaml: error: this layout is for schema 'county-budget'; "
      "the data is 'department-budget'\n",
      "--font 仿宋体=/nonexistent.ttf: error: unknown font role '仿宋体' in "
      "the layout; did you mean '仿宋'?\n",
      NULL};
  static const int want_status[] = {BP_EXIT_OK, BP_EXIT_INPUT, BP_EXIT_INPUT,
                                    BP_EXIT_USAGE, BP_EXIT_OK};
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < 5; i++) {
      bbuf pdf = {0};
      char *messages;
      CHECK_INT(render_to_memory(res, &jobs[i], &pdf, NULL, &messages),
                want_status[i]);
      if (want[i]) {
        CHECK_CONTAINS(messages, want[i]);
        CHECK_INT(pdf.len, 0);
      } else {
        CHECK(i == 0 ? same_bytes(&pdf, reference_pdf, reference_len)
                     : same_bytes(&pdf, generality_pdf, generality_len));
      }
      free(messages);
      bbuf_free(&pdf);
    }
  render_resources_drop(res);
}

TEST(a_file_sink_is_replaced_only_by_a_whole_document) {
  const char *out = work_path("sink.pdf");
  write_file(out, "the previous PDF");
  render_resources *res = render_resources_new();
  const char *broken = work_path("broken2.yaml");
  write_file(broken, "schema: department-budget\nlayout: x\nbogus: 1\n");
  diag *d = diag_new(fopen("/dev/null", "w"));
  render_job bad = job_for(broken);
  CHECK_INT(render(res, &bad, &(render_sink){.path = out}, NULL, d),
            BP_EXIT_INPUT);
  diag_drop(d);
  size_t len;
  char *kept = slurp(out, &len);
  CHECK_STR(kept, "the previous PDF");
  free(kept);
  d = diag_new(stderr);
  render_job good = job_for(REFERENCE);
  CHECK_INT(render(res, &good, &(render_sink){.path = out}, NULL, d),
            BP_EXIT_OK);
  char *written = slurp(out, &len);
  CHECK(written && len == reference_len &&
        !memcmp(written, reference_pdf, len));
  free(written);
  /* The sink may not be an input. */
  render_job self = job_for(REFERENCE);
  diag_drop(d);
  captured_diag cap;
  d = diag_new(capture_open(&cap));
  CHECK_INT(render(res, &self, &(render_sink){.path = REFERENCE}, NULL, d),
            BP_EXIT_USAGE);
  CHECK_CONTAINS(capture_text(&cap), "is the data file; the PDF would "
                                     "replace it");
  diag_drop(d);
  capture_close(&cap);
  render_resources_drop(res);
}

/* The PDF settings are kept per file: a job whose data directory has a
 * broken fonts/pdf.yaml reports it, and the jobs around it, with the
 * right one, still get their bytes. */
TEST(kept_pdf_settings_follow_the_data_directory) {
  const char *dir = work_path("datadir");
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s/fonts' && ln -s '%s/schemas' '%s/layouts' '%s/' && "
           "ln -s '%s/fonts/fonts.yaml' '%s/fonts/'",
           dir, SOURCE_DIR, SOURCE_DIR, dir, SOURCE_DIR, dir);
  CHECK_INT(system(cmd), 0);
  char settings[600];
  snprintf(settings, sizeof settings, "%s/fonts/pdf.yaml", dir);
  write_file(settings, "language: zh-CN\noutput_intent: {identifier: x}\n");
  render_resources *res = render_resources_new();
  render_job other = job_for(REFERENCE);
  other.datadir = dir;
  const render_job jobs[3] = {job_for(REFERENCE), other, job_for(REFERENCE)};
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < 3; i++) {
      bbuf pdf = {0};
      char *messages;
      int status = render_to_memory(res, &jobs[i], &pdf, NULL, &messages);
      if (i == 1) {
        CHECK_INT(status, BP_EXIT_INPUT);
        CHECK_CONTAINS(messages, "datadir/fonts/pdf.yaml:2:");
        CHECK_CONTAINS(messages, "profile");
        CHECK_INT(pdf.len, 0);
      } else {
        CHECK_INT(status, BP_EXIT_OK);
        CHECK(same_bytes(&pdf, reference_pdf, reference_len));
      }
      free(messages);
      bbuf_free(&pdf);
    }
  render_resources_drop(res);
}

/* A hundred jobs on one set of resources, one in ten failing; run under
 * ASan this is the leak check (LeakSanitizer at exit). */
TEST(a_hundred_jobs) {
  render_resources *res = render_resources_new();
  const char *broken = work_path("broken3.yaml");
  write_file(broken, "schema: department-budget\n\tlayout: x\n");
  size_t good = 0;
  for (int i = 0; i < 100; i++) {
    render_job job = job_for(i % 10 == 9   ? broken
                             : i % 2 == 0 ? GENERALITY
                                          : REFERENCE);
    bbuf pdf = {0};
    render_result r = {0};
    char *messages;
    int status = render_to_memory(res, &job, &pdf, &r, &messages);
    if (status == BP_EXIT_OK)
      good += !strcmp(job.data, GENERALITY)
                  ? same_bytes(&pdf, generality_pdf, generality_len)
                  : same_bytes(&pdf, reference_pdf, reference_len);
    free(messages);
    bbuf_free(&pdf);
    render_result_clear(&r);
  }
  CHECK_INT(good, 90);
  render_resources_drop(res);
}

/* Out of memory in the middle of a job is reported and the process goes
 * on: the next job, with memory again, gives the same bytes.  The limit
 * is an address-space limit in a child process; not under ASan (which
 * reserves terabytes of address space). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
/* The child of out_of_memory_is_survived, run as a fresh process (the
 * test binary again, --oom-child): a forked child would inherit the
 * parent's heap, whose free memory lets a job through any limit. */
#ifndef UNDER_ASAN
static int out_of_memory_child(void) {
  /* Large blocks always come from mmap, so a job's first big buffer
   * (the PDF itself is 400 KB) needs new address space. */
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  render_resources *res = render_resources_new();
  render_job job = job_for(REFERENCE);
  /* Warm: fonts opened, so that the limit falls on the job's own
   * memory. */
  bbuf warm = {0}, pdf = {0};
  char *messages;
  if (render_to_memory(res, &job, &warm, NULL, &messages) != BP_EXIT_OK)
    return 10;
  free(messages);
  malloc_trim(0); /* what the warm-up freed is given back */
  struct rlimit old, tight;
  getrlimit(RLIMIT_AS, &old);
  /* What the process uses now: the job's first new memory fails. */
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (!f || fscanf(f, "%lu", &pages) != 1)
    return 11;
  fclose(f);
  tight = old;
  tight.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
  setrlimit(RLIMIT_AS, &tight);
  int status = render_to_memory(res, &job, &pdf, NULL, &messages);
  setrlimit(RLIMIT_AS, &old);
  bool reported = strstr(messages, "budgetpdf: error: out of memory\n");
  free(messages);
  bbuf_free(&pdf);
  if (status != BP_EXIT_INTERNAL || !reported)
    return 12;
  if (render_to_memory(res, &job, &pdf, NULL, &messages) != BP_EXIT_OK ||
      pdf.len != warm.len || memcmp(pdf.data, warm.data, warm.len))
    return 13;
  free(messages);
  bbuf_free(&pdf);
  bbuf_free(&warm);
  render_resources_drop(res);
  return 0;
}
#endif

TEST(out_of_memory_is_survived) {
#ifdef UNDER_ASAN
  puts("skip out_of_memory_is_survived: under AddressSanitizer");
#else
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/proc/self/exe", "test_render", "--oom-child", (char *)NULL);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK_INT(WEXITSTATUS(status), 0);
#endif
}

int main(int argc, char **argv) {
#ifndef UNDER_ASAN
  if (argc == 2 && !strcmp(argv[1], "--oom-child"))
    return out_of_memory_child();
#endif
  harness_init(argc, argv);
  snprintf(workdir, sizeof workdir, "%s/test_render.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(workdir)) {
    perror("mkdtemp");
    return 1;
  }
  reference_pdf = program_output(REFERENCE, "reference.pdf", &reference_len);
  generality_pdf =
      program_output(GENERALITY, "generality.pdf", &generality_len);
  final_pdf = program_output(FINAL, "final.pdf", &final_len);
  CHECK(reference_pdf && generality_pdf && final_pdf);
  RUN(jobs_in_one_process_match_the_program);
  RUN(a_failing_job_between_good_ones_changes_nothing);
  RUN(a_file_sink_is_replaced_only_by_a_whole_document);
  RUN(kept_pdf_settings_follow_the_data_directory);
  RUN(a_hundred_jobs);
  RUN(out_of_memory_is_survived);
  free(reference_pdf);
  free(generality_pdf);
  free(final_pdf);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
  if (system(cmd) != 0)
    perror("rm");
  return harness_done();
}
