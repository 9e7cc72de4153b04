/* SPDX-License-Identifier: MIT */
/* filemap.c — font files mapped into memory, and what happens when one is
 * truncated while mapped.
 *
 * A face reads its file through a read-only mapping: the CJK collections
 * are 19–27 MB and a render touches a small part of each (the cmap, the
 * glyphs it draws), so reading them whole would cost tens of megabytes and
 * their read time on every run (text_face_release_pages relies on the
 * mapping too).  But a file cut short under a mapping makes every read
 * past its new end a SIGBUS, which kills the process with no message —
 * and the read happens deep inside HarfBuzz, FreeType or hb-subset.
 *
 * So a SIGBUS handler looks up the faulting address among the mappings
 * registered here.  In one, it maps a page of zeros over the faulting
 * page (MAP_FIXED, anonymous) and marks the mapping changed; the read
 * is retried and sees zeros, and the library finishes on them (HarfBuzz
 * and FreeType are fuzzed against arbitrary bytes).  The mark is sticky:
 * before anything is written the text stage and the PDF writer ask for it
 * and report "font file changed while being read" (an I/O error, exit 2).
 * A fault anywhere else is passed on to the previous action (the default
 * kills the process, as it would have).  Unwinding with siglongjmp was the
 * alternative: it would leave the libraries' objects half-built, with
 * their memory leaked, mid-call.  mmap is not on POSIX's list of
 * async-signal-safe functions, but on Linux it is a plain system call
 * that takes no user-space lock; the handler calls nothing else.
 *
 * The table has a fixed size so the handler never sees it reallocated;
 * a face opened when it is full reads its file into memory instead. */
#define _DEFAULT_SOURCE 1
#include "text_private.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MAX_MAPPINGS = 256 };

typedef struct mapping {
  char *volatile start; /* NULL: a free slot */
  volatile size_t len;
  volatile sig_atomic_t changed;
} mapping;

static mapping mappings[MAX_MAPPINGS];
static struct sigaction previous_action;
static bool handler_installed;

static void on_sigbus(int sig, siginfo_t *info, void *uctx) {
  char *at = info ? (char *)info->si_addr : NULL;
  for (int i = 0; at && i < MAX_MAPPINGS; i++) {
    char *start = mappings[i].start;
    if (start && at >= start && at < start + mappings[i].len) {
      long page = sysconf(_SC_PAGESIZE);
      char *base = (char *)((uintptr_t)at & ~(uintptr_t)(page - 1));
      void *z = mmap(base, (size_t)page, PROT_READ,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (z != MAP_FAILED) {
        mappings[i].changed = 1;
        return; /* the read is retried and sees zeros */
      }
      break;
    }
  }
  /* Not ours (or no page to be had): what would have happened. */
  sigaction(SIGBUS, &previous_action, NULL);
  if (previous_action.sa_flags & SA_SIGINFO) {
    if (previous_action.sa_sigaction)
      previous_action.sa_sigaction(sig, info, uctx);
  } else if (previous_action.sa_handler != SIG_DFL &&
             previous_action.sa_handler != SIG_IGN) {
    previous_action.sa_handler(sig);
  }
  /* Returning re-runs the faulting read under the previous action. */
}

static void install_handler(void) {
  if (handler_installed)
    return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGBUS, &sa, &previous_action) == 0)
    handler_installed = true;
}

int filemap_register(void *start, size_t len) {
  install_handler();
  if (!handler_installed)
    return -1;
  for (int i = 0; i < MAX_MAPPINGS; i++)
    if (!mappings[i].start) {
      mappings[i].len = len;
      mappings[i].changed = 0;
      mappings[i].start = start; /* last: the handler may look from now */
      return i;
    }
  return -1;
}

void filemap_unregister(int slot) {
  if (slot < 0 || slot >= MAX_MAPPINGS)
    return;
  mappings[slot].start = NULL;
  mappings[slot].len = 0;
}

bool filemap_changed(int slot) {
  return slot >= 0 && slot < MAX_MAPPINGS && mappings[slot].changed;
}
