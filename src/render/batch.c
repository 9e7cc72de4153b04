/* SPDX-License-Identifier: MIT */
/* batch.c — many documents: the list (command line, manifest, shard),
 * worker processes that keep their resources loaded, and what the parent
 * tells the user (messages, progress, report, summary).
 *
 * The parent forks the workers once and hands them one document at a time
 * over a pipe, so that a long document does not hold up a queue; each
 * answers with a fixed record and the document's messages.  A worker that
 * dies (a crash in a library) fails its document and is replaced.  The
 * parent takes its signals through a signalfd, so that it can stop the
 * workers and say how far it got; the workers keep the output writer's
 * handlers, which remove a temporary file before they die. */
#define _GNU_SOURCE 1 /* signalfd, sched_getaffinity, open_memstream */
#include "render.h"

#include "batch_imp.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- the list */

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* <outdir>/<name>.pdf for data file <name>.yaml (or .yml). */
static const char *default_output(arena *a, const char *outdir,
                                  const char *data) {
  const char *name = base_name(data);
  size_t n = strlen(name);
  if (str_ends_with(name, ".yaml"))
    n -= 5;
  else if (str_ends_with(name, ".yml"))
    n -= 4;
  return arena_printf(a, "%s/%.*s.pdf", outdir, (int)n, name);
}

static void add_doc(batch_list *l, const char *data, const char *output,
                    src_pos pos) {
  XGROW(l->docs, l->cap, l->count + 1);
  l->docs[l->count++] = (batch_doc){data, output, pos};
}

/* A path in the manifest is relative to the manifest's folder. */
static const char *beside(arena *a, const char *manifest, const char *path) {
  const char *slash = strrchr(manifest, '/');
  if (path[0] == '/' || !slash)
    return arena_strdup(a, path);
  return arena_printf(a, "%.*s/%s", (int)(slash - manifest), manifest, path);
}

static void load_yaml_manifest(batch_list *l, const char *path,
                               const char *outdir, diag *d) {
  const ynode *root = yaml_tree_load(l->arena, path, NULL, d);
  if (!root || !ynode_expect(root, YNODE_SEQ, "a manifest", d))
    return;
  static const char *const keys[] = {"data", "output", NULL};
  for (size_t i = 0; i < root->u.seq.count; i++) {
    const ynode *item = root->u.seq.items[i];
    const char *data = NULL, *output = NULL;
    if (item->kind == YNODE_SCALAR) {
      data = ynode_scalar(item, "a manifest entry", d);
    } else if (ynode_expect(item, YNODE_MAP, "a manifest entry", d)) {
      ymap_check_keys(item, keys, "a manifest entry", d);
      const ynode *dn = ymap_require(item, "data", "a manifest entry", d);
      data = dn ? ynode_scalar(dn, "data", d) : NULL;
      const ynode *on = ymap_lookup(item, "output");
      output = on ? ynode_scalar(on, "output", d) : NULL;
      if (output && (!*output || output[strlen(output) - 1] == '/')) {
        diag_error(d, DIAG_SCHEMA, on->pos, "output must name a file");
        output = NULL;
      }
    }
    if (data && !*data) {
      diag_error(d, DIAG_SCHEMA, item->pos, "data must name a file");
      data = NULL;
    }
    if (data)
      add_doc(l, beside(l->arena, path, data),
              output ? (output[0] == '/' ? output
                                         : arena_printf(l->arena, "%s/%s",
                                                        outdir, output))
                     : NULL,
              item->pos);
  }
}

/* One data file a line; blank lines and lines starting with '#' are
 * skipped, surrounding blanks trimmed. */
static void load_plain_manifest(batch_list *l, const char *path, diag *d) {
  size_t len;
  char *text = file_read_all(path, (size_t)64 << 20, &len, d);
  if (!text)
    return;
  const char *name = diag_intern_file(d, path);
  size_t first_invalid = utf8_first_invalid(text, len);
  int line = 1;
  for (char *p = text, *end; p < text + len; p = end + 1, line++) {
    end = memchr(p, '\n', (size_t)(text + len - p));
    if (!end)
      end = text + len;
    if (first_invalid != (size_t)-1 && (size_t)(p - text) <= first_invalid &&
        first_invalid < (size_t)(end - text)) {
      diag_error(d, DIAG_YAML, (src_pos){name, line, 1},
                 "not valid UTF-8");
      continue;
    }
    char *s = p, *e = end;
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      e--;
    if (s == e || *s == '#')
      continue;
    const char *entry = arena_strndup(l->arena, s, (size_t)(e - s));
    add_doc(l, beside(l->arena, path, entry), NULL,
            (src_pos){name, line, (int)utf8_length(p, (size_t)(s - p)) + 1});
  }
  free(text);
}

/* Two documents for one file would overwrite each other: both named. */
static void check_outputs_distinct(const batch_list *l, diag *d) {
  arena *a = arena_new();
  size_t nb = 16;
  while (nb < 2 * l->count)
    nb *= 2;
  size_t *slot = ARENA_ARRAY(a, size_t, nb); /* index + 1, 0: empty */
  for (size_t i = 0; i < l->count; i++) {
    uint64_t h = 1469598103934665603u;
    for (const char *p = l->docs[i].output; *p; p++)
      h = (h ^ (unsigned char)*p) * 1099511628211u;
    size_t k = h & (nb - 1);
    for (; slot[k]; k = (k + 1) & (nb - 1))
      if (!strcmp(l->docs[slot[k] - 1].output, l->docs[i].output)) {
        const batch_doc *first = &l->docs[slot[k] - 1];
        diag_error(d, l->docs[i].pos.file ? DIAG_SCHEMA : DIAG_USAGE,
                   l->docs[i].pos,
                   "%s is also the output of %s; give one of them another "
                   "name (a manifest's output:)",
                   l->docs[i].output, first->data);
        break;
      }
    if (!slot[k])
      slot[k] = i + 1;
  }
  arena_drop(a);
}

bool batch_list_load(batch_list *l, const render_batch *b, diag *d) {
  int errors = diag_error_count(d);
  l->arena = arena_new();
  for (size_t i = 0; i < b->ndata; i++)
    add_doc(l, b->data[i], NULL, (src_pos){0});
  if (b->manifest) {
    if (str_ends_with(b->manifest, ".yaml") ||
        str_ends_with(b->manifest, ".yml"))
      load_yaml_manifest(l, b->manifest, b->outdir, d);
    else
      load_plain_manifest(l, b->manifest, d);
  }
  for (size_t i = 0; i < l->count; i++)
    if (!l->docs[i].output)
      l->docs[i].output = default_output(l->arena, b->outdir,
                                         l->docs[i].data);
  check_outputs_distinct(l, d);
  if (diag_error_count(d) != errors)
    return false;
  /* The shard is taken from the whole list, so that every machine
   * agrees on it. */
  if (b->nshards > 0) {
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++)
      if (i % (size_t)b->nshards == (size_t)b->shard)
        l->docs[kept++] = l->docs[i];
    l->count = kept;
  }
  return true;
}

void batch_list_drop(batch_list *l) {
  free(l->docs);
  arena_drop(l->arena);
  memset(l, 0, sizeof *l);
}

/* ---------------------------------------------------------------- pipes */

bool read_full(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n) {
    ssize_t k = read(fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    p += k;
    n -= (size_t)k;
  }
  return true;
}

bool write_full(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    p += k;
    n -= (size_t)k;
  }
  return true;
}

/* ---------------------------------------------------------------- workers */

typedef struct worker {
  pid_t pid;  /* 0: not running */
  int to, from; /* job indices down, results up */
  long doc;   /* the document it renders, or -1 */
} worker;

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The worker's life: documents by index until the pipe closes. */
static _Noreturn void worker_main(const render_batch *b, const batch_list *l,
                                  int in, int out) {
  render_resources *res = render_resources_new();
  batch_hashes *hashes = batch_hashes_new();
  uint32_t index;
  while (read_full(in, &index, sizeof index)) {
    const batch_doc *doc = &l->docs[index];
    double start = now_seconds();
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    diag *d = diag_new(mem ? mem : stderr);
    batch_record rec = {.index = index, .outcome = BATCH_RENDERED};
    render_job job = b->job;
    job.data = doc->data;
    if (b->changed && batch_unchanged(hashes, b, &job, doc->output, d)) {
      rec.outcome = BATCH_UNCHANGED;
    } else {
      render_result r = {0};
      rec.status = render(res, &job, &(render_sink){.path = doc->output}, &r,
                          d);
      if (rec.status != BP_EXIT_OK)
        rec.outcome = BATCH_FAILED;
      else if (b->changed) {
        batch_record_inputs(hashes, b, &r, doc->output, d);
        rec.status = diag_exit_status(d); /* the sidecar's write */
      }
      rec.pages = r.pages;
      rec.bytes = r.bytes;
      render_result_clear(&r);
    }
    diag_drop(d);
    if (mem)
      fclose(mem);
    rec.milliseconds = (uint64_t)((now_seconds() - start) * 1000 + 0.5);
    rec.message_bytes = (uint32_t)(text ? text_len : 0);
    bool sent = write_full(out, &rec, sizeof rec) &&
                write_full(out, text ? text : "", rec.message_bytes);
    free(text);
    if (!sent)
      break;
  }
  batch_hashes_drop(hashes);
  render_resources_drop(res);
  _exit(0);
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static bool start_worker(worker *w, worker *all, int nworkers,
                         const render_batch *b, const batch_list *l,
                         const sigset_t *child_mask, FILE *report) {
  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0)
    return false;
  if (pipe2(up, O_CLOEXEC) != 0) {
    close(down[0]);
    close(down[1]);
    return false;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(down[0]);
    close(down[1]);
    close(up[0]);
    close(up[1]);
    return false;
  }
  if (pid == 0) {
    /* The other workers' pipes are not this one's business: holding them
     * would keep a dead worker's pipe open. */
    for (int i = 0; i < nworkers; i++)
      if (all[i].pid) {
        close(all[i].to);
        close(all[i].from);
      }
    if (report)
      close(fileno(report)); /* the parent writes it */
    close(down[1]);
    close(up[0]);
    sigprocmask(SIG_SETMASK, child_mask, NULL);
    worker_main(b, l, down[0], up[1]);
  }
  close(down[0]);
  close(up[1]);
  *w = (worker){pid, down[1], up[0], -1};
  return true;
}

static void stop_worker(worker *w) {
  close(w->to);
  close(w->from);
  int status;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
    ;
  w->pid = 0;
}

static int cpu_count(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

/* ---------------------------------------------------------------- the run */

typedef struct batch_run {
  const render_batch *b;
  const batch_list *l;
  batch_view *view;
  FILE *report;
  worker *workers;
  int nworkers;
  struct pollfd *fds; /* nworkers results, then the signalfd */
  int *fd_worker;     /* which worker each of fds is */
  int sfd;            /* the parent's stop signals */
  sigset_t child_mask;
  size_t next;        /* the next document to hand out */
  int stopped_by;     /* the stop signal received, or 0 */
  bool cannot_start;  /* fork or pipe failed with no worker left */
} batch_run;

/* Read a stop signal if one is there; stop every worker on the first:
 * each removes its temporary file and dies of it. */
static void take_signal(batch_run *run, bool wait) {
  struct pollfd pf = {run->sfd, POLLIN, 0};
  if (!wait && poll(&pf, 1, 0) <= 0)
    return;
  struct signalfd_siginfo si;
  if (!read_full(run->sfd, &si, sizeof si) || run->stopped_by)
    return;
  run->stopped_by = (int)si.ssi_signo;
  for (int i = 0; i < run->nworkers; i++)
    if (run->workers[i].pid)
      kill(run->workers[i].pid, run->stopped_by);
}

/* Give every idle worker a document, starting workers as needed. */
static void hand_out(batch_run *run) {
  for (int i = 0; i < run->nworkers; i++) {
    take_signal(run, false); /* none handed out once stopped */
    worker *w = &run->workers[i];
    if (run->stopped_by || run->next == run->l->count ||
        (w->pid && w->doc >= 0))
      continue;
    if (!w->pid && !start_worker(w, run->workers, run->nworkers, run->b,
                                 run->l, &run->child_mask, run->report))
      continue;
    uint32_t index = (uint32_t)run->next;
    if (!write_full(w->to, &index, sizeof index)) {
      stop_worker(w);
      continue;
    }
    w->doc = (long)run->next++;
  }
}

/* A worker's answer, or its death: of our stop signal, or of a crash
 * while rendering (the document fails, another worker takes over). */
static void collect(batch_run *run, worker *w) {
  batch_record rec;
  char *messages = NULL;
  bool got = read_full(w->from, &rec, sizeof rec);
  if (got) {
    messages = xmalloc((size_t)rec.message_bytes + 1);
    got = read_full(w->from, messages, rec.message_bytes);
    messages[got ? rec.message_bytes : 0] = 0;
  }
  if (got) {
    batch_view_done(run->view, &rec, messages);
    w->doc = -1;
  } else {
    long doc = w->doc;
    int status = 0;
    close(w->to);
    close(w->from);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
      ;
    w->pid = 0;
    if (!run->stopped_by)
      batch_view_worker_died(run->view, (size_t)doc, status);
  }
  free(messages);
}

/* Hand out and collect until every document is done or a signal came.
 */
static void run_documents(batch_run *run) {
  for (;;) {
    hand_out(run);
    nfds_t busy = 0;
    for (int i = 0; i < run->nworkers; i++)
      if (run->workers[i].pid && run->workers[i].doc >= 0) {
        run->fd_worker[busy] = i;
        run->fds[busy++] = (struct pollfd){run->workers[i].from, POLLIN, 0};
      }
    if (busy == 0) {
      /* Done, stopped, or no worker could be started. */
      run->cannot_start = run->next < run->l->count && !run->stopped_by;
      return;
    }
    run->fds[busy] = (struct pollfd){run->sfd, POLLIN, 0};
    if (poll(run->fds, busy + 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      run->cannot_start = true;
      return;
    }
    if (run->fds[busy].revents & POLLIN)
      take_signal(run, true);
    for (nfds_t k = 0; k < busy; k++)
      if (run->fds[k].revents & (POLLIN | POLLHUP | POLLERR))
        collect(run, &run->workers[run->fd_worker[k]]);
  }
}

int render_batch_run(const render_batch *b, diag *d) {
  if (b->job.product != RENDER_PDF) {
    diag_error(d, DIAG_USAGE, (src_pos){0}, "a batch renders PDFs only");
    return diag_exit_status(d);
  }
  if (mkdir(b->outdir, 0777) != 0 && errno != EEXIST) {
    diag_error(d, DIAG_IO, (src_pos){diag_intern_file(d, b->outdir), 0, 0},
               "cannot make the output folder: %s", strerror(errno));
    return diag_exit_status(d);
  }
  batch_list l = {0};
  if (!batch_list_load(&l, b, d)) {
    batch_list_drop(&l);
    return diag_exit_status(d);
  }
  batch_run run = {.b = b, .l = &l};
  if (b->report && !(run.report = fopen(b->report, "we"))) {
    diag_error(d, DIAG_IO, (src_pos){diag_intern_file(d, b->report), 0, 0},
               "cannot write: %s", strerror(errno));
    batch_list_drop(&l);
    return diag_exit_status(d);
  }
  batch_view view;
  batch_view_init(&view, b->messages ? b->messages : stderr, run.report, &l);
  run.view = &view;
  run.nworkers = b->workers > 0 ? b->workers : cpu_count();
  if ((size_t)run.nworkers > l.count)
    run.nworkers = (int)l.count;
  run.workers = xcalloc((size_t)run.nworkers + 1, sizeof *run.workers);
  run.fds = xcalloc((size_t)run.nworkers + 1, sizeof *run.fds);
  run.fd_worker = xcalloc((size_t)run.nworkers + 1, sizeof *run.fd_worker);

  /* The parent takes its stop signals from a signalfd (blocked, they
   * wait there); a worker gets the mask as it was, so the output
   * writer's handlers serve it. */
  sigset_t stop;
  sigemptyset(&stop);
  for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
    sigaddset(&stop, stop_signals[i]);
  sigset_t block = stop;
  sigaddset(&block, SIGPIPE); /* a dead worker's pipe: EPIPE, not death */
  sigprocmask(SIG_BLOCK, &block, &run.child_mask);
  run.sfd = signalfd(-1, &stop, SFD_CLOEXEC);
  if (run.sfd < 0) {
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "signalfd: %s",
               strerror(errno));
  } else {
    run_documents(&run);
    close(run.sfd);
  }
  int start_errno = errno;
  for (int i = 0; i < run.nworkers; i++)
    if (run.workers[i].pid)
      stop_worker(&run.workers[i]);
  if (run.cannot_start)
    diag_error(d, DIAG_INTERNAL, (src_pos){0},
               "cannot start a worker process: %s", strerror(start_errno));
  int status = batch_view_finish(&view, run.stopped_by);
  if (run.report)
    fclose(run.report);
  free(run.workers);
  free(run.fds);
  free(run.fd_worker);
  batch_list_drop(&l);
  if (run.stopped_by) {
    /* Die of the signal, as a single render would. */
    signal(run.stopped_by, SIG_DFL);
    sigprocmask(SIG_SETMASK, &run.child_mask, NULL);
    raise(run.stopped_by);
    /* Still here: PID 1 of a container ignores signals it has no handler
     * for.  The status says it all the same. */
    return BP_EXIT_SIGNAL + run.stopped_by;
  }
  sigprocmask(SIG_SETMASK, &run.child_mask, NULL);
  int own = diag_exit_status(d);
  return own > status ? own : status;
}
