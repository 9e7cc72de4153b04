/* SPDX-License-Identifier: MIT */
/* output.c — writing the PDF file atomically, and removing the temporary
 * file if the process dies while writing it.
 *
 * The bytes go to a temporary file created with mkstemp beside the target
 * (so rename stays within one file system), are fsync'ed, and the file is
 * renamed over the target only then; the directory is synced after.  A
 * failure at any step removes the temporary file and leaves the previous
 * target as it was.  While a temporary file exists its path is in a small
 * fixed registry that a signal handler and an atexit hook can read without
 * allocating: both only call unlink (async-signal-safe). */
#define _DEFAULT_SOURCE 1 /* mkstemp, fchmod */
#include "pdf_private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void (*pdf_test_after_temp_created)(const char *temp_path);

/* ---------------------------------------------------------------- registry */

enum { MAX_TEMPS = 4 };
static char temp_paths[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_live[MAX_TEMPS];

static void remove_temps(void) {
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temp_live[i]) {
      unlink(temp_paths[i]);
      temp_live[i] = 0;
    }
}

/* Signals that end the process, after the handler removed the temporary
 * file: interrupts, hang-ups, a closed pipe, a CPU-time limit. */
static const int fatal_signals[] = {SIGINT,  SIGTERM, SIGHUP,
                                    SIGPIPE, SIGQUIT, SIGXCPU};

/* The message's two parts, translated when the handlers are installed:
 * the handler itself may call no gettext. */
static const char *interrupted_by = "budgetpdf: error: interrupted by ";
static const char *no_pdf_written = "; no PDF written\n";

/* Say why the program stops, with write() only (async-signal-safe). */
static void say_interrupted(int sig) {
  static const char *const names[] = {
      [SIGINT] = "SIGINT", [SIGTERM] = "SIGTERM", [SIGHUP] = "SIGHUP",
      [SIGPIPE] = "SIGPIPE", [SIGQUIT] = "SIGQUIT", [SIGXCPU] = "SIGXCPU"};
  const char *name = sig > 0 && sig < (int)(sizeof names / sizeof *names) &&
                             names[sig] ? names[sig] : "a signal";
  const char *parts[] = {interrupted_by, name, no_pdf_written};
  for (size_t i = 0; i < 3; i++)
    if (write(2, parts[i], strlen(parts[i])) < 0)
      return;
}

static void on_fatal_signal(int sig) {
  int saved = errno;
  remove_temps();
  if (sig != SIGPIPE) /* stderr may be the broken pipe */
    say_interrupted(sig);
  /* SA_RESETHAND restored the default action: die of the same signal. */
  raise(sig);
  errno = saved;
}

static void on_exit_hook(void) { remove_temps(); }

void pdf_install_cleanup_handlers(void) {
  static bool installed;
  if (installed)
    return;
  installed = true;
  /* TRANSLATORS: followed by a signal's name, e.g. SIGINT */
  interrupted_by = _("budgetpdf: error: interrupted by ");
  /* TRANSLATORS: follows "interrupted by SIGINT" */
  no_pdf_written = _("; no PDF written\n");
  atexit(on_exit_hook);
  for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
    struct sigaction old;
    if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
        old.sa_handler == SIG_IGN)
      continue; /* e.g. nohup: keep ignoring */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(fatal_signals[i], &sa, NULL);
  }
  /* Past a file-size limit (ulimit -f) a write then fails with EFBIG and
   * is reported like a full disk, instead of the signal killing the
   * process with the temporary file still there. */
  signal(SIGXFSZ, SIG_IGN);
}

/* Block the signals the handler serves while the registry changes, so it
 * never sees a half-copied path. */
static void block_signals(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
    sigaddset(&set, fatal_signals[i]);
  sigprocmask(SIG_BLOCK, &set, old);
}

/* Create the temporary file and register it in one step.  Returns the fd
 * and the slot, or -1 with errno set. */
static int temp_create(const char *pattern, int *slot) {
  sigset_t old;
  block_signals(&old);
  int fd = -1, i;
  for (i = 0; i < MAX_TEMPS && temp_live[i]; i++)
    ;
  if (i == MAX_TEMPS) {
    errno = EMFILE;
  } else {
    snprintf(temp_paths[i], PATH_MAX, "%s", pattern);
    fd = mkstemp(temp_paths[i]);
    if (fd >= 0) {
      temp_live[i] = 1;
      *slot = i;
    }
  }
  int saved = errno;
  sigprocmask(SIG_SETMASK, &old, NULL);
  errno = saved;
  return fd;
}

static void temp_forget(int slot, bool remove) {
  sigset_t old;
  block_signals(&old);
  if (remove)
    unlink(temp_paths[slot]);
  temp_live[slot] = 0;
  sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---------------------------------------------------------------- writing */

static bool write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += k;
    n -= (size_t)k;
  }
  return true;
}

/* A target that exists and is not a regular file (a device such as
 * /dev/stdout or /dev/full, a FIFO) is written in place: there is no
 * previous PDF to keep, and renaming over it would replace the device
 * node itself. */
static bool write_in_place(const char *path, const void *bytes, size_t len,
                           src_pos pos, diag *d) {
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  bool ok = fd >= 0 && write_all(fd, bytes, len);
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok)
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(err));
  return ok;
}

static bool write_atomically(const char *path, const void *bytes, size_t len,
                             src_pos pos, diag *d);

/* Where the symbolic link at path finally points, following links as the
 * kernel would (at most 40, as Linux's own limit): *out is NULL when path
 * is not a link, else the file's path (malloc'ed), which need not exist
 * (a dangling link: the PDF is created there).  Returns 0, or ELOOP for a
 * loop, or the errno of a link that cannot be read. */
static int link_target(const char *path, char **out) {
  enum { MAX_LINKS = 40 };
  *out = NULL;
  char *at = xstrdup(path);
  for (int hops = 0;; hops++) {
    struct stat st;
    if (lstat(at, &st) != 0 || !S_ISLNK(st.st_mode))
      break; /* a file, or nothing yet: the end of the chain */
    if (hops == MAX_LINKS) {
      free(at);
      return ELOOP;
    }
    char buf[PATH_MAX];
    ssize_t n = readlink(at, buf, sizeof buf - 1);
    if (n < 0) {
      int e = errno;
      free(at);
      return e;
    }
    buf[n] = 0;
    bbuf next = {0};
    const char *slash = strrchr(at, '/');
    if (buf[0] != '/' && slash) /* relative to the link's folder */
      bbuf_append(&next, at, (size_t)(slash - at + 1));
    bbuf_puts(&next, buf);
    free(at);
    at = next.data;
  }
  if (strcmp(at, path))
    *out = at;
  else
    free(at);
  return 0;
}

bool pdf_write_atomically(const char *path, const void *bytes, size_t len,
                          diag *d) {
  src_pos pos = {diag_intern_file(d, path), 0, 0};
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (!S_ISDIR(st.st_mode))
      return write_in_place(path, bytes, len, pos, d);
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(EISDIR));
    return false;
  }
  /* A symbolic link (/dev/stdout redirected to a file, say): the file it
   * points to is replaced or created, never the link. */
  char *target = NULL;
  int err = link_target(path, &target);
  if (err) {
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(err));
    return false;
  }
  bool ok = write_atomically(target ? target : path, bytes, len, pos, d);
  free(target);
  return ok;
}

/* Bytes of the target's name kept in its temporary ".NAME.XXXXXX": all of
 * them if that fits the folder's longest name (NAME_MAX, 255 on Linux),
 * else as many whole characters as leave room for the 8 added. */
static int temp_base_length(const char *path, const char *slash) {
  const char *base = slash ? slash + 1 : path;
  size_t n = strlen(base);
  long name_max = NAME_MAX;
  if (slash) {
    char *dir = xstrndup(path, (size_t)(slash - path) ? (size_t)(slash - path) : 1);
    long v = pathconf(dir, _PC_NAME_MAX);
    if (v > 0)
      name_max = v;
    free(dir);
  } else {
    long v = pathconf(".", _PC_NAME_MAX);
    if (v > 0)
      name_max = v;
  }
  size_t room = name_max > 8 ? (size_t)name_max - 8 : 1;
  if (n > room) {
    n = room;
    while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
      n--; /* not inside a UTF-8 character */
  }
  return (int)n;
}

/* The new file takes the previous PDF's mode, owner and group (a report
 * kept 0600, or shared with the finance group, stays so); with no
 * previous file, the usual 0666 & ~umask (mkstemp made it 0600).  An
 * owner that cannot be kept (not root) leaves this user's; a group this
 * user is not in, its default group. */
static bool take_previous_mode(int fd, const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    if (fchown(fd, st.st_uid, st.st_gid) != 0 &&
        fchown(fd, (uid_t)-1, st.st_gid) != 0) {
      /* neither: the mode below is no wider than before */
    }
    return fchmod(fd, st.st_mode & 07777) == 0;
  }
  mode_t mask = umask(0);
  umask(mask);
  return fchmod(fd, 0666 & ~mask) == 0;
}

static bool write_atomically(const char *path, const void *bytes, size_t len,
                             src_pos pos, diag *d) {
  const char *slash = strrchr(path, '/');
  bbuf pattern = {0};
  if (slash)
    bbuf_append(&pattern, path, (size_t)(slash - path + 1));
  bbuf_printf(&pattern, ".%.*s.XXXXXX", temp_base_length(path, slash),
              slash ? slash + 1 : path);
  if (pattern.len >= PATH_MAX) {
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(ENAMETOOLONG));
    bbuf_free(&pattern);
    return false;
  }
  int slot = -1;
  int fd = temp_create(pattern.data, &slot);
  bbuf_free(&pattern);
  if (fd < 0) {
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(errno));
    return false;
  }
  if (pdf_test_after_temp_created)
    pdf_test_after_temp_created(temp_paths[slot]);
  bool ok = take_previous_mode(fd, path) && write_all(fd, bytes, len) &&
            fsync(fd) == 0;
  int err = errno;
  if (close(fd) != 0 && ok) { /* NFS reports a full disk here */
    ok = false;
    err = errno;
  }
  if (ok) /* the complete temporary file, before it takes the name */
    TEST_POINT("before-rename");
  if (ok && rename(temp_paths[slot], path) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    temp_forget(slot, true);
    diag_error(d, DIAG_IO, pos, "cannot write: %s", strerror(err));
    return false;
  }
  temp_forget(slot, false);
  /* Make the rename itself durable. */
  char dir[PATH_MAX];
  if (slash)
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) ? (int)(slash - path) : 1, path);
  else
    snprintf(dir, sizeof dir, ".");
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}
