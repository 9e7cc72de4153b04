/* SPDX-License-Identifier: MIT */
/* limits.c — what libharu 2.3.0 can hold, checked before it sees the
 * document.  Past one of its limits (hpdf_consts.h) libharu stops with an
 * error code half-way through the objects, which would be reported as an
 * internal error (exit 3) naming only "libharu error 0x1001".  Every limit
 * a document can reach is checked here first, on the display lists, and
 * reported as an error of the inputs (exit 1) that names the limit:
 *
 *   HPDF_LIMIT_MAX_ARRAY 32767        page-tree nodes (/Kids of the root:
 *                                     of 4096 pages each past 8191 pages),
 *                                     links on one page (/Annots), label
 *                                     ranges ×2 (/Nums)
 *   HPDF_LIMIT_MAX_STRING_LEN 65535   info strings, bookmark titles (bytes)
 *   HPDF_LIMIT_MAX_XREF_ELEMENT 8388607  objects in the file
 *
 * The info strings are checked where they are made, at their position in
 * the layout (layout_expand); they are checked here again for callers
 * that build a page_doc themselves.  Names (≤ 127 bytes) are made by the
 * writer itself and cut to fit; real numbers (±32767) are page
 * coordinates, which a layout keeps within 14400pt; font widths are
 * checked with each font (embed.c). */
#include "pdf_private.h"

#include <string.h>

#define MAX_ARRAY HPDF_LIMIT_MAX_ARRAY
#define MAX_STRING HPDF_LIMIT_MAX_STRING_LEN
#define MAX_OBJECTS HPDF_LIMIT_MAX_XREF_ELEMENT

typedef struct link_count {
  size_t page, on_page, total, worst_page, worst;
} link_count;

static bool count_link(void *ctx, const page_link *l) {
  (void)l;
  link_count *c = ctx;
  c->on_page++;
  c->total++;
  return true;
}

static bool page_starts(void *ctx, size_t index, const page_list *pg) {
  (void)pg;
  link_count *c = ctx;
  c->page = index;
  c->on_page = 0;
  return true;
}

static bool page_ends(void *ctx, size_t index, const page_list *pg) {
  (void)pg;
  link_count *c = ctx;
  if (c->on_page > c->worst) {
    c->worst = c->on_page;
    c->worst_page = index;
  }
  return true;
}

static void error(diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void error(diag *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(d, DIAG_ERROR, DIAG_LAYOUT, (src_pos){0}, fmt, ap);
  va_end(ap);
}

/* The first characters of a long text, for a message. */
static const char *opening(const char *s, char *buf, size_t cap) {
  size_t n = 0, len = strlen(s);
  while (n < len && n < cap - 8) {
    uint32_t cp;
    size_t k = utf8_decode(s + n, len - n, &cp);
    if (!k || n + k > cap - 8)
      break;
    n += k;
  }
  snprintf(buf, cap, "%.*s%s", (int)n, s, n < len ? "…" : "");
  return buf;
}

bool pdf_check_limits(const page_doc *doc, diag *d) {
  int before = diag_error_count(d);
  size_t pages = page_doc_page_count(doc);
  /* Past 8191 pages the page tree has nodes of 4096 pages under its root
   * (haru.c), so the root's /Kids holds the nodes. */
  size_t nodes = pages > 8191 ? (pages + 4095) / 4096 : pages;
  if (nodes > MAX_ARRAY)
    error(d,
          "the document has %zu pages; a PDF made with libharu holds at most "
          "%lld (HPDF_LIMIT_MAX_ARRAY nodes of 4096 pages in the page tree)",
          pages, (long long)MAX_ARRAY * 4096);

  const page_doc_info *in = page_doc_lookup_info(doc);
  const struct {
    const char *name, *value;
  } info[] = {{"title", in->title},     {"author", in->author},
              {"subject", in->subject}, {"keywords", in->keywords},
              {"creator", in->creator}};
  for (size_t i = 0; i < sizeof info / sizeof *info; i++)
    if (info[i].value && strlen(info[i].value) > MAX_STRING)
      error(d,
            "the document's %s is %zu bytes; a PDF string made with libharu "
            "holds at most %d (HPDF_LIMIT_MAX_STRING_LEN)",
            info[i].name, strlen(info[i].value), MAX_STRING);

  size_t noutlines = page_doc_outline_count(doc);
  for (size_t i = 0; i < noutlines; i++) {
    const page_outline *o = page_doc_lookup_outline(doc, i);
    if (o->title && strlen(o->title) > MAX_STRING) {
      char buf[64];
      error(d,
            "the bookmark '%s' is %zu bytes; a PDF string made with libharu "
            "holds at most %d (HPDF_LIMIT_MAX_STRING_LEN)",
            opening(o->title, buf, sizeof buf), strlen(o->title), MAX_STRING);
    }
  }

  /* A label range where the numbering does not follow on: two entries of
   * /PageLabels /Nums each (pdf.c, add_page_labels). */
  size_t ranges = 0;
  const page_list *prev = NULL;
  for (size_t i = 0; i < pages; i++) {
    const page_list *pg = page_doc_lookup_page(doc, i);
    bool follows = prev && prev->label_style == pg->label_style &&
                   pg->label == prev->label + 1;
    prev = pg;
    ranges += !follows && pg->label_style != PAGE_LABEL_NONE;
  }
  if (2 * ranges > MAX_ARRAY)
    error(d,
          "the document's page numbering restarts %zu times; a PDF made with "
          "libharu holds at most %d restarts (HPDF_LIMIT_MAX_ARRAY, the page "
          "labels)",
          ranges, MAX_ARRAY / 2);

  link_count links = {0};
  page_device counter = {.begin_page = page_starts, .end_page = page_ends,
                         .link = count_link};
  page_doc_replay(doc, &counter, &links);
  if (links.worst > MAX_ARRAY)
    error(d,
          "page %zu has %zu links (目录 entries); a PDF page made with libharu "
          "holds at most %d (HPDF_LIMIT_MAX_ARRAY, the page's annotations)",
          links.worst_page + 1, links.worst, MAX_ARRAY);

  /* Objects: per page its dictionary, contents and their length; per link
   * its annotation and border; per bookmark its item and destination;
   * a generous allowance for fonts and the catalogue. */
  size_t objects = 4 * pages + 2 * links.total + 2 * noutlines + 1000;
  if (objects > MAX_OBJECTS)
    error(d,
          "the document needs about %zu PDF objects (%zu pages, %zu links, "
          "%zu bookmarks); a PDF made with libharu holds at most %d "
          "(HPDF_LIMIT_MAX_XREF_ELEMENT)",
          objects, pages, links.total, noutlines, MAX_OBJECTS);
  return diag_error_count(d) == before;
}
