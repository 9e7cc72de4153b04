/* SPDX-License-Identifier: MIT */
/* runner.h — running the real budgetpdf binary the way a hostile file, a
 * fault or a signal would meet it, for the hardening tests.
 *
 *   bp_limits lim = bp_hostile_limits();       small stack, memory, CPU
 *   bp_result r = bp_run(dir, &lim, "check", "deep.yaml", NULL);
 *   CHECK_INT(r.status, 1); CHECK_STR(r.err, "...");
 *   bp_result_drop(&r);
 *
 * The program runs in a child with the limits applied by setrlimit just
 * before exec (so `ulimit -s 256` and friends hold for the whole run),
 * stdout and stderr captured, and a wall-clock bound after which it is
 * killed and reported as hung.  Everything is header-only so each test
 * program stays one file.
 *
 * A test that must act while the program is at a given place (a signal
 * while the temporary PDF exists, say) never waits a while and hopes: it
 * runs the test build (budgetpdf-testing, with the test points of base.h)
 * stopped at a named test point, acts while it is stopped, and continues
 * it:  lim.stop_at = "before-rename"; lim.while_stopped = fn; */
#ifndef BUDGETPDF_RUNNER_H
#define BUDGETPDF_RUNNER_H

#define _DEFAULT_SOURCE 1
#include "base.h"
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sanitizers and valgrind need far more address space and stack than the
 * program itself; the limits are loosened for them, never dropped, except
 * the address-space limit (ASan reserves terabytes of shadow memory). */
#if defined(__SANITIZE_ADDRESS__)
#define BP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BP_SANITIZED 1
#endif
#endif
#ifndef BP_SANITIZED
#define BP_SANITIZED 0
#endif

typedef struct bp_limits {
  rlim_t stack_bytes;   /* RLIMIT_STACK; 0: inherit */
  rlim_t memory_bytes;  /* RLIMIT_AS; 0: inherit (always under ASan) */
  rlim_t cpu_seconds;   /* RLIMIT_CPU; 0: inherit */
  rlim_t file_bytes;    /* RLIMIT_FSIZE, with SIGXFSZ ignored so that a
                           write past it fails with EFBIG like a full disk
                           (unless xfsz_default); 0: inherit */
  bool xfsz_default;    /* leave SIGXFSZ as a shell's `ulimit -f` would:
                           its default action kills the process */
  int wall_seconds;     /* killed (SIGKILL) and reported hung after this */
  bool as_nobody;       /* as root: run as uid/gid 65534 */
  const char *env;      /* "NAME=value" added to the environment, or NULL */
  const char *stop_at;  /* run the test build, stopped (SIGSTOP) at this
                           test point; while_stopped is called then */
  unsigned long fail_alloc; /* run the test build, its Nth allocation
                               failing; 0: none */
  bool count_allocs;    /* run the test build; it prints "allocations: N" */
  void (*while_stopped)(pid_t pid, const char *dir, void *ctx);
  void *ctx;            /* for while_stopped */
} bp_limits;

/* What a hostile input may cost: `ulimit -s 256`, 1 GB of address space,
 * 10 s of CPU (loosened under sanitizers, which are slower and hungrier). */
static inline bp_limits bp_hostile_limits(void) {
  bp_limits l = {0};
  l.stack_bytes = BP_SANITIZED ? 1024 * 1024 : 256 * 1024;
  l.memory_bytes = BP_SANITIZED ? 0 : (rlim_t)1 << 30;
  l.cpu_seconds = BP_SANITIZED ? 60 : 10;
  l.wall_seconds = BP_SANITIZED ? 180 : 60;
  return l;
}

typedef struct bp_result {
  int status;   /* exit status; 128+N when killed by signal N; -1 hung */
  int signal;   /* the signal that ended it, or 0 */
  bool stopped; /* it reached lim->stop_at */
  char *out;    /* stdout, NUL-terminated */
  size_t out_len;
  char *err;    /* stderr */
  double seconds;
} bp_result;

/* The whole file, NUL-terminated ("" if unreadable); its length in *len
 * if len is not NULL. */
static inline char *bp_slurp_len(const char *path, size_t *len) {
  diag *d = diag_new(NULL);
  size_t n = 0;
  char *s = file_read_all(path, (size_t)256 << 20, &n, d);
  diag_drop(d);
  if (len)
    *len = s ? n : 0;
  return s ? s : xstrdup("");
}

static inline char *bp_slurp(const char *path) {
  return bp_slurp_len(path, NULL);
}

static inline bool bp_put_bytes(const char *path, const void *bytes,
                                size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return false;
  bool ok = fwrite(bytes, 1, n, f) == n;
  return fclose(f) == 0 && ok;
}

static inline bool bp_put(const char *path, const char *s) {
  return bp_put_bytes(path, s, strlen(s));
}

/* Lines of `text` that are not warnings: what a test asserts when the
 * reference data's published arithmetic errors come first.  Caller frees. */
static inline char *bp_without_warnings(const char *text) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
    char *line = xstrndup(p, n);
    if (!strstr(line, ": warning: "))
      bbuf_append(&b, line, n);
    free(line);
    p += n;
  }
  return b.data;
}

/* Files in dir whose names start with ".<base>." — the writer's
 * temporaries (see src/pdf/output.c). */
static inline int bp_temporaries(const char *dir, const char *base) {
  char prefix[512];
  snprintf(prefix, sizeof prefix, ".%s.", base);
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += !strncmp(e->d_name, prefix, strlen(prefix));
  if (d)
    closedir(d);
  return n;
}

/* A fresh, empty folder (removing what a previous run left). */
static inline void bp_fresh_dir(const char *dir) {
  bbuf cmd = {0};
  bbuf_printf(&cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s' && mkdir -p '%s'",
              dir, dir, dir);
  CHECK(system(cmd.data) == 0);
  bbuf_free(&cmd);
}

static inline double bp_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void bp_apply_limit(int resource, rlim_t v) {
  if (!v)
    return;
  struct rlimit rl = {v, v};
  if (setrlimit(resource, &rl) != 0)
    _exit(126);
}

/* Run BUDGETPDF_EXE with the NULL-terminated argv in dir. */
static inline bp_result bp_runv(const char *dir, const bp_limits *lim,
                                const char *const *args) {
  char out_path[] = "/tmp/budgetpdf-run-out-XXXXXX";
  char err_path[] = "/tmp/budgetpdf-run-err-XXXXXX";
  int ofd = mkstemp(out_path), efd = mkstemp(err_path);
  size_t nargs = 0;
  while (args[nargs])
    nargs++;
  char **argv = xcalloc(nargs + 2, sizeof *argv);
  bool test_build = lim->stop_at || lim->fail_alloc || lim->count_allocs;
  const char *exe = test_build ? BUDGETPDF_TESTING_EXE : BUDGETPDF_EXE;
  argv[0] = (char *)exe;
  for (size_t i = 0; i < nargs; i++)
    argv[i + 1] = (char *)args[i];
  fflush(NULL);
  double start = bp_now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(ofd, 1);
    dup2(efd, 2);
    if (chdir(dir) != 0)
      _exit(125);
    /* As a terminal would deliver them, whatever the test inherited. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    bp_apply_limit(RLIMIT_STACK, lim->stack_bytes);
    bp_apply_limit(RLIMIT_AS, lim->memory_bytes);
    bp_apply_limit(RLIMIT_CPU, lim->cpu_seconds);
    if (lim->file_bytes) {
      /* An ignored signal stays ignored across exec. */
      signal(SIGXFSZ, lim->xfsz_default ? SIG_DFL : SIG_IGN);
      bp_apply_limit(RLIMIT_FSIZE, lim->file_bytes);
    }
    if (lim->env)
      putenv((char *)lim->env);
    if (lim->stop_at)
      setenv("BUDGETPDF_TEST_STOP_AT", lim->stop_at, 1);
    if (lim->fail_alloc) {
      char n[32];
      snprintf(n, sizeof n, "%lu", lim->fail_alloc);
      setenv("BUDGETPDF_TEST_FAIL_ALLOC", n, 1);
    }
    if (lim->count_allocs)
      setenv("BUDGETPDF_TEST_COUNT_ALLOCS", "1", 1);
    if (lim->as_nobody && geteuid() == 0 &&
        (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
         setuid(65534) != 0))
      _exit(124);
    execv(exe, argv);
    _exit(127);
  }
  free(argv);
  bp_result r = {0};
  int st = 0;
  for (;;) {
    pid_t w = waitpid(pid, &st, WNOHANG | WUNTRACED);
    if (w == pid && WIFSTOPPED(st)) {
      r.stopped = true;
      if (lim->while_stopped)
        lim->while_stopped(pid, dir, lim->ctx);
      kill(pid, SIGCONT);
      continue;
    }
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR)
      break;
    if (bp_now() - start > lim->wall_seconds) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      r.status = -1;
      break;
    }
    usleep(2000);
  }
  r.seconds = bp_now() - start;
  if (r.status != -1) {
    if (WIFEXITED(st))
      r.status = WEXITSTATUS(st);
    else if (WIFSIGNALED(st)) {
      r.signal = WTERMSIG(st);
      r.status = 128 + r.signal;
    }
  }
  close(ofd);
  close(efd);
  r.out = bp_slurp_len(out_path, &r.out_len);
  r.err = bp_slurp(err_path);
  unlink(out_path);
  unlink(err_path);
  return r;
}

/* bp_runv with the arguments listed, NULL-terminated. */
static inline bp_result bp_run(const char *dir, const bp_limits *lim, ...) {
  const char *args[64];
  size_t n = 0;
  va_list ap;
  va_start(ap, lim);
  for (const char *a; (a = va_arg(ap, const char *)) && n < 63;)
    args[n++] = a;
  va_end(ap);
  args[n] = NULL;
  return bp_runv(dir, lim, args);
}

static inline void bp_result_drop(bp_result *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

/* The previous PDF a render must leave alone when it fails. */
static const char bp_previous_pdf[] = "%PDF-1.7\n% the previous version\n";

/* dir/layout.yaml: the layout at `from_file` with the first `from`
 * replaced by `to` (a check fails if `from` is not there). */
static inline void bp_layout_variant(const char *dir, const char *from_file,
                                     const char *from, const char *to) {
  char *s = bp_slurp(from_file);
  char *at = s ? strstr(s, from) : NULL;
  CHECK(at != NULL);
  bbuf b = {0};
  if (at) {
    bbuf_append(&b, s, (size_t)(at - s));
    bbuf_puts(&b, to);
    bbuf_puts(&b, at + strlen(from));
  }
  bbuf path = {0};
  bbuf_printf(&path, "%s/layout.yaml", dir);
  CHECK(bp_put_bytes(path.data, b.data ? b.data : "", b.len));
  bbuf_free(&path);
  bbuf_free(&b);
  free(s);
}

/* A fresh folder work/<prefix><name> holding the previous PDF as out.pdf
 * (a render that fails must leave it); the name lasts until the next
 * call. */
static inline const char *bp_workdir(const char *prefix, const char *name) {
  static char dir[256];
  snprintf(dir, sizeof dir, "work/%s%s", prefix, name);
  bp_fresh_dir(dir);
  bbuf p = {0};
  bbuf_printf(&p, "%s/out.pdf", dir);
  CHECK(bp_put(p.data, bp_previous_pdf));
  bbuf_free(&p);
  return dir;
}

/* dir/name holds exactly the previous PDF, and no temporary is left. */
#define CHECK_PREVIOUS_KEPT(dir, name)                                         \
  do {                                                                         \
    bbuf p_ = {0};                                                             \
    bbuf_printf(&p_, "%s/%s", (dir), (name));                                  \
    char *s_ = bp_slurp(p_.data);                                              \
    CHECK_STR(s_, bp_previous_pdf);                                            \
    free(s_);                                                                  \
    CHECK_INT(bp_temporaries((dir), (name)), 0);                               \
    bbuf_free(&p_);                                                            \
  } while (0)

#endif
