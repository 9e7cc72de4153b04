/* SPDX-License-Identifier: MIT */
/* e2e.h — reading a rendered PDF back with the tools finance staff's
 * readers are built on (poppler, mupdf, qpdf), for the end-to-end tests.
 *
 *   e2e_doc *doc = e2e_doc_render(BUDGETPDF_EXE, data, dir, "ref");
 *   ... doc->pages[i].layout / .raw / .rotation / .folio,
 *       doc->outline, doc->links ...
 *   e2e_doc_drop(doc);
 *
 * Text comes from one `pdftotext -layout` and one plain `pdftotext` run
 * over the whole file, split at form feeds; pages are 0-based here and
 * 1-based in messages (as poppler and viewers count them). */
#ifndef BUDGETPDF_E2E_H
#define BUDGETPDF_E2E_H

#include "base.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* printf into a string of its own (caller frees). */
static inline char *fmt(const char *format, ...)
    __attribute__((format(printf, 1, 2)));
static inline char *fmt(const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(NULL, 0, format, ap);
  va_end(ap);
  char *s = xmalloc((size_t)n + 1);
  va_start(ap, format);
  vsnprintf(s, (size_t)n + 1, format, ap);
  va_end(ap);
  return s;
}

/* Run a shell command; its stdout and stderr are returned in *out and
 * *err (caller frees; either may be NULL to discard).  Returns the exit
 * status, or -1 if it did not exit. */
int e2e_run(const char *cmd, char **out, char **err);

/* Text split into words at ASCII white space, in reading order. */
typedef struct e2e_words {
  char **items;
  size_t count, cap;
} e2e_words;
void e2e_words_split(e2e_words *w, const char *text);
void e2e_words_free(e2e_words *w);

typedef struct e2e_page {
  char *layout;    /* pdftotext -layout */
  char *raw;       /* pdftotext, reading order */
  int rotation;    /* pdfinfo's "Page N rot" */
  double width, height; /* pdfinfo's page size, pt */
  int folio;       /* the number in "— N —" on the page, 0 if none */
} e2e_page;

typedef struct e2e_outline {
  int depth;       /* 1 = top */
  char *title;
  int page;        /* 0-based */
} e2e_outline;

typedef struct e2e_link {
  int page;        /* where the link is, 0-based */
  double top;      /* its rectangle's top, PDF units (y up) */
  int target;      /* the page its /Dest names, 0-based; -1 if none */
} e2e_link;

typedef struct e2e_doc {
  char *pdf;
  int status;      /* budgetpdf's exit status */
  char *err;       /* budgetpdf's stderr */
  e2e_page *pages;
  size_t npages;
  e2e_outline *outline;
  size_t noutline;
  e2e_link *links; /* in page order, then in each page's /Annots order */
  size_t nlinks;
  char *tool_errors; /* what pdftotext, pdfinfo and mutool said on stderr */
} e2e_doc;

/* Render data (a path) with budgetpdf into dir/name.pdf, with `env`
 * (e.g. "SOURCE_DATE_EPOCH=1" or "") before the command, and read the
 * result back.  Never NULL; on a failed render npages is 0. */
e2e_doc *e2e_doc_render(const char *exe, const char *data, const char *dir,
                        const char *name, const char *env);
void e2e_doc_drop(e2e_doc *doc);

/* A copy of s without ASCII white space (caller frees): how the tests
 * compare text that the PDF breaks into lines or cells. */
char *e2e_squeeze(const char *s);

/* Do the words, from index `from` on, hold `want` (white space ignored)
 * as the concatenation of whole words w[i1] w[i2] … with i1 < i2 < …?
 * That is how a cell's text comes out of pdftotext when it is broken
 * into lines and other cells' words come between them.  Returns the
 * index of the first word used, or -1. */
long e2e_words_find_pieces(const e2e_words *w, size_t from, const char *want);

/* The words of pages [first, last] (0-based, inclusive) in one list:
 * plain text if raw, else -layout text. */
void e2e_doc_words(const e2e_doc *doc, size_t first, size_t last, bool raw,
                   e2e_words *out);

/* The index of the page whose folio is n, or -1. */
int e2e_doc_page_with_folio(const e2e_doc *doc, int n);

/* Page i's plain text without its folio line (on a turned page poppler
 * reads the unturned number in the middle of the content); caller frees. */
char *e2e_page_text(const e2e_doc *doc, size_t i);

/* Whether page i's squeezed plain text contains want (squeezed). */
bool e2e_page_has(const e2e_doc *doc, size_t i, const char *want);

/* The whole document's plain text, folio lines and page breaks removed,
 * lines joined without a separator (caller frees). */
char *e2e_doc_running_text(const e2e_doc *doc);

/* mutool's stderr without what Debian's build prints for any file
 * ("warning: ICC support is not available"); caller frees. */
char *e2e_mutool_noise_removed(const char *text);

/* Temporary directory for a test's files (caller frees the string and
 * calls e2e_tmpdir_remove). */
char *e2e_tmpdir_new(const char *tag);
void e2e_tmpdir_remove(const char *dir);

#endif
