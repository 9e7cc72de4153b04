/* SPDX-License-Identifier: MIT */
/* memory.c — allocation that never returns NULL, arenas, byte buffers. */
#include "base.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf *oom_recovery;

jmp_buf *oom_set_recovery(jmp_buf *where) {
  jmp_buf *previous = oom_recovery;
  oom_recovery = where;
  return previous;
}

_Noreturn void out_of_memory(void) {
  jmp_buf *where = oom_recovery;
  if (where) {
    oom_recovery = NULL; /* a second failure while unwinding exits */
    longjmp(*where, 1);
  }
  fputs(_("budgetpdf: error: out of memory\n"), stderr);
  exit(BP_EXIT_INTERNAL); /* atexit handlers remove temporary files */
}

/* The test build fails one chosen allocation (base.h, test points). */
#ifdef BUDGETPDF_TESTING
#define ALLOCATION_FAILS() test_allocation_fails()
#else
#define ALLOCATION_FAILS() false
#endif

void *xmalloc(size_t n) {
  void *p = ALLOCATION_FAILS() ? NULL : malloc(n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xcalloc(size_t count, size_t size) {
  void *p = ALLOCATION_FAILS() ? NULL : calloc(count ? count : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = ALLOCATION_FAILS() ? NULL : realloc(p, n ? n : 1);
  if (!q)
    out_of_memory();
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return;
  size_t c = *cap ? *cap : 8;
  while (c < need) {
    if (c > SIZE_MAX / 2)
      out_of_memory();
    c *= 2;
  }
  if (c > SIZE_MAX / elem)
    out_of_memory();
  *p = xrealloc(*p, c * elem);
  *cap = c;
}

/* ---------------------------------------------------------------- arena */

enum { ARENA_CHUNK = 64 * 1024 };

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  max_align_t data[]; /* payload */
} chunk;

struct arena {
  chunk *head;
  size_t total;
};

arena *arena_new(void) { return xcalloc(1, sizeof(arena)); }

void arena_drop(arena *a) {
  if (!a)
    return;
  for (chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void *arena_alloc(arena *a, size_t n) {
  const size_t align = _Alignof(max_align_t);
  if (n > SIZE_MAX - align)
    out_of_memory();
  n = (n + align - 1) & ~(align - 1);
  chunk *c = a->head;
  if (!c || c->size - c->used < n) {
    size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
    c = xmalloc(sizeof(chunk) + size);
    c->size = size;
    c->used = 0;
    if (a->head && n > ARENA_CHUNK / 2) {
      /* A big block goes behind the current chunk so that chunk's free
       * space stays usable. */
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  void *p = (char *)c->data + c->used;
  c->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
  if (n > 0)
    vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

size_t arena_used(const arena *a) { return a->total; }

/* ---------------------------------------------------------------- bbuf */

void bbuf_append(bbuf *b, const void *bytes, size_t n) {
  XGROW(b->data, b->cap, b->len + n + 1);
  if (n)
    memcpy(b->data + b->len, bytes, n);
  b->len += n;
  b->data[b->len] = 0;
}

void bbuf_puts(bbuf *b, const char *s) { bbuf_append(b, s, strlen(s)); }

void bbuf_printf(bbuf *b, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n > 0) {
    XGROW(b->data, b->cap, b->len + (size_t)n + 1);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  } else if (!b->data) {
    bbuf_append(b, "", 0);
  }
  va_end(ap);
}

void bbuf_free(bbuf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
