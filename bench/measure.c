/* SPDX-License-Identifier: MIT */
/* measure.c — runs a command repeatedly as a whole process and prints the
 * median and spread of its wall time, CPU time (user + system) and peak
 * resident set size, from wait4's rusage: no shell or /usr/bin/time in
 * between, microsecond clocks.
 *
 *   measure [-w WARMUP] [-r RUNS] [-q] -- COMMAND [ARG...]
 *
 * CPU time is also split into user and system (page faults, mapping the
 * libraries and fonts).  The warm-up runs are not counted (they fill the
 * page cache).  The
 * command's stdout and stderr go to /dev/null; a run that fails stops
 * everything with the command's status.  -q prints one machine-readable
 * line instead:
 *   wall_ms_median wall_ms_min wall_ms_max cpu_ms_median cpu_ms_min
 *   cpu_ms_max rss_kib_median rss_kib_min rss_kib_max runs */
#define _DEFAULT_SOURCE 1 /* wait4 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct run {
  double wall_ms, cpu_ms, rss_kib, user_ms, sys_ms;
} run;

static double ms_of(struct timeval tv) { return tv.tv_sec * 1e3 + tv.tv_usec / 1e3; }

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* One whole-process run; false if it could not start or did not exit 0. */
static bool run_once(char **argv, run *r) {
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return false;
  }
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("measure: wait4");
    return false;
  }
  r->wall_ms = now_ms() - t0;
  r->user_ms = ms_of(ru.ru_utime);
  r->sys_ms = ms_of(ru.ru_stime);
  r->cpu_ms = r->user_ms + r->sys_ms;
  r->rss_kib = (double)ru.ru_maxrss; /* KiB on Linux */
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "measure: %s exited with status %d\n", argv[0],
            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return false;
  }
  return true;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct stat3 {
  double median, min, max, q1, q3;
} stat3;

static stat3 summarise(const run *runs, size_t n, size_t field) {
  double *v = malloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++)
    v[i] = field == 0   ? runs[i].wall_ms
           : field == 1 ? runs[i].cpu_ms
           : field == 2 ? runs[i].rss_kib
           : field == 3 ? runs[i].user_ms
                        : runs[i].sys_ms;
  qsort(v, n, sizeof *v, by_value);
  stat3 s = {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1],
             v[n / 4], v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1]};
  free(v);
  return s;
}

int main(int argc, char **argv) {
  int warmup = 3, runs = 20, quiet = 0, i = 1;
  for (; i < argc && strcmp(argv[i], "--"); i++) {
    if (!strcmp(argv[i], "-w") && i + 1 < argc)
      warmup = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-r") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-q"))
      quiet = 1;
    else
      break;
  }
  if (i >= argc - 1 || strcmp(argv[i], "--") || runs < 1 || warmup < 0) {
    fputs("usage: measure [-w WARMUP] [-r RUNS] [-q] -- COMMAND [ARG...]\n", stderr);
    return 2;
  }
  char **cmd = argv + i + 1;
  run *r = calloc((size_t)runs, sizeof *r);
  for (int k = 0; k < warmup; k++)
    if (!run_once(cmd, &r[0]))
      return 1;
  for (int k = 0; k < runs; k++)
    if (!run_once(cmd, &r[k]))
      return 1;
  stat3 w = summarise(r, (size_t)runs, 0), c = summarise(r, (size_t)runs, 1),
        m = summarise(r, (size_t)runs, 2), u = summarise(r, (size_t)runs, 3),
        k = summarise(r, (size_t)runs, 4);
  if (quiet) {
    printf("%.2f %.2f %.2f %.2f %.2f %.2f %.0f %.0f %.0f %d\n", w.median, w.min, w.max,
           c.median, c.min, c.max, m.median, m.min, m.max, runs);
  } else {
    printf("  %d runs after %d warm-up\n", runs, warmup);
    printf("  wall  median %8.1f ms   min %8.1f   max %8.1f   IQR %.1f–%.1f\n", w.median,
           w.min, w.max, w.q1, w.q3);
    printf("  CPU   median %8.1f ms   min %8.1f   max %8.1f   IQR %.1f–%.1f"
           "   (user %.1f, system %.1f)\n",
           c.median, c.min, c.max, c.q1, c.q3, u.median, k.median);
    printf("  RSS   median %8.1f MiB  min %8.1f   max %8.1f\n", m.median / 1024,
           m.min / 1024, m.max / 1024);
  }
  free(r);
  return 0;
}
