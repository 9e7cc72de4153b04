/* SPDX-License-Identifier: MIT */
/* paginate.h — the paginate stage of budgetpdf: blocks → pages.
 *
 * The output of pagination is a page_doc: pages in order, each a display
 * list of positioned glyph runs, lines and rectangles, plus the document's
 * outline and info.  Nothing is written to the PDF while the layout can
 * still change; the pdf stage and the text dumper replay the lists
 * (STYLE.md 13–14).
 */
#ifndef BUDGETPDF_PAGINATE_H
#define BUDGETPDF_PAGINATE_H

#include "base.h"
#include "layout.h"
#include "text.h"

/* ================================================================
 * Display lists
 * ================================================================
 *
 * Protocol: page_doc_new; page_doc_add_page for each page in order, then
 * page_add_* to append items to it (items are drawn in the order added);
 * page_doc_add_outline and page_doc_set_info at any time; replay with
 * page_doc_replay (the PDF writer) or dump with page_doc_dump (tests);
 * page_doc_drop last.  Everything a page_doc holds is allocated in its own
 * arena — strings and glyph arrays passed in are copied — so callers may
 * free their inputs at once.  Faces are borrowed from the text_fonts,
 * which must outlive the page_doc's replay.
 *
 * Coordinates are points, origin at the top-left corner of the page, y
 * growing downwards (the PDF writer flips them).
 */

/* One glyph of a run: HarfBuzz's glyph id in the face's own numbering
 * (the PDF writer renumbers after subsetting) and the text it stands for,
 * from which the ToUnicode map is built. */
typedef struct page_glyph {
  uint32_t id;
  float x, y;          /* relative to the run's origin, pt, y down */
  uint32_t text_start; /* bytes of page_glyph_run.text it stands for */
  uint32_t text_len;   /* 0: shares the text of an earlier glyph */
} page_glyph;

typedef struct page_glyph_run {
  const text_face *face; /* borrowed from the text_fonts */
  double size;           /* pt */
  double x, y;           /* origin on the baseline, page coordinates */
  const page_glyph *glyphs;
  size_t count;
  const char *text;      /* UTF-8 the glyphs' text spans index */
  size_t text_len;
} page_glyph_run;

typedef struct page_line {
  double x0, y0, x1, y1; /* page coordinates */
  double width;          /* stroke width, pt */
  double gray;           /* 0 black … 1 white */
} page_line;

typedef struct page_rect {
  double x, y, w, h; /* top-left corner and size, page coordinates */
  bool fill, stroke;
  double fill_gray, stroke_gray; /* 0 black … 1 white */
  double line_width;             /* when stroked, pt */
} page_rect;

/* A link: clicking the rectangle goes to a page, at height y there. */
typedef struct page_link {
  double x, y, w, h; /* the active area, page coordinates */
  size_t target_page;
  double target_y;   /* in the target page's view coordinates */
} page_link;

/* What the glyphs between a span's start and end stand for, when their
 * positions alone would mislead a reader extracting text: a justified line
 * whose gaps look like spaces.  Written as PDF /ActualText. */
typedef struct page_span {
  const char *text; /* UTF-8, NULL at the span's end */
  size_t len;
} page_span;

typedef enum page_item_kind {
  PAGE_ITEM_GLYPHS,
  PAGE_ITEM_LINE,
  PAGE_ITEM_RECT,
  PAGE_ITEM_LINK,
  PAGE_ITEM_SPAN /* start (text) or end (no text) of a span */
} page_item_kind;

/* Which frame an item's coordinates are in.  On a page that is not
 * turned the two are the same.  On a turned page (page_set_turned) the
 * view is the sheet turned by 90° clockwise, as a reader holds a bound
 * document to read a landscape table: view coordinates have their origin
 * at the view's top-left and the sheet's height as their width; sheet
 * coordinates are those of the portrait sheet (for what stays where it is
 * on every printed sheet, such as the page number). */
typedef enum page_layer { PAGE_LAYER_VIEW, PAGE_LAYER_SHEET } page_layer;

typedef struct page_item {
  const struct page_item *next; /* drawing order */
  page_item_kind kind;
  page_layer layer;
  union {
    page_glyph_run glyphs;
    page_line line;
    page_rect rect;
    page_link link;
    page_span span;
  } u;
} page_item;

/* How a viewer names a page (PDF page labels): its printed number, or a
 * roman numeral for front matter that has none. */
typedef enum page_label_style {
  PAGE_LABEL_NONE,   /* nothing said: the viewer counts */
  PAGE_LABEL_ARABIC, /* 1, 2, 3 */
  PAGE_LABEL_ROMAN   /* i, ii, iii */
} page_label_style;

typedef struct page_list {
  double width, height;   /* the sheet, pt */
  bool turned;            /* shown turned (see page_layer) */
  page_label_style label_style;
  int label;              /* the number in that style */
  const page_item *items; /* first item, then ->next */
  page_item *last;        /* for appending (private to display.c) */
  size_t count;
  page_layer layer;       /* where page_add_* puts items now */
} page_list;

/* A bookmark: `title` at nesting `level` (1 = top), pointing at page
 * `page_index` (0-based) at height y (page coordinates). */
typedef struct page_outline {
  const char *title;
  int level;
  size_t page_index;
  double y;
} page_outline;

/* Document info.  creation_date is given by the caller ("2021-03-01" or
 * "2021-03-01T09:30:00"), never taken from the clock, so the same input
 * gives the same PDF.  NULL fields are left out. */
typedef struct page_doc_info {
  const char *title, *author, *subject, *keywords, *creator;
  const char *creation_date;
} page_doc_info;

typedef struct page_doc page_doc;

/* A new, empty document.  Drop with page_doc_drop. */
page_doc *page_doc_new(void);
/* Frees the document, its pages and everything copied into it.  NULL is
 * accepted. */
void page_doc_drop(page_doc *doc);
/* The arena the document allocates from (borrowed): paginate may put its
 * own per-document data there. */
arena *page_doc_arena(page_doc *doc);

/* Append a page of the given size (pt) and return it (borrowed; valid
 * until the document is dropped). */
page_list *page_doc_add_page(page_doc *doc, double width, double height);
size_t page_doc_page_count(const page_doc *doc);
/* The i-th page (borrowed), or NULL if out of range. */
const page_list *page_doc_lookup_page(const page_doc *doc, size_t i);

/* Show the page turned by 90° clockwise (PDF /Rotate 90): items added in
 * the view layer are in the turned frame, width and height swapped. */
void page_set_turned(page_list *pg);
/* Name the page for viewers (see page_label_style). */
void page_set_label(page_list *pg, page_label_style style, int number);
/* Items added from now on go to `layer` (PAGE_LAYER_VIEW at first). */
void page_set_layer(page_list *pg, page_layer layer);
/* The page's size as the reader sees it (swapped if turned). */
double page_view_width(const page_list *pg);
double page_view_height(const page_list *pg);

/* Append items to a page of doc.  Everything is copied. */
void page_add_glyph_run(page_doc *doc, page_list *pg, const page_glyph_run *run);
void page_add_line(page_doc *doc, page_list *pg, const page_line *line);
void page_add_rect(page_doc *doc, page_list *pg, const page_rect *rect);
void page_add_link(page_doc *doc, page_list *pg, const page_link *link);

/* Append every glyph run of a broken paragraph whose top-left corner is at
 * (x, y) on the page; lines [first, first+count) only, so that a paragraph
 * split across pages can be emitted in parts (the parts' baselines are
 * shifted up so line `first` sits where line 0 would).  A line justified
 * with gaps wide enough to pass for spaces (PAGE_SPAN_SPREAD em) goes in a
 * span carrying its text. */
void page_add_paragraph(page_doc *doc, page_list *pg, const text_paragraph *p,
                        size_t first, size_t count, double x, double y);
#define PAGE_SPAN_SPREAD 0.02

void page_doc_add_outline(page_doc *doc, const char *title, int level,
                          size_t page_index, double y);
size_t page_doc_outline_count(const page_doc *doc);
const page_outline *page_doc_lookup_outline(const page_doc *doc, size_t i);

/* Copy info in (strings too). */
void page_doc_set_info(page_doc *doc, const page_doc_info *info);
/* The info (borrowed); fields not set are NULL. */
const page_doc_info *page_doc_lookup_info(const page_doc *doc);

/* A device that display lists are replayed into.  Any callback may be
 * NULL.  A callback returning false stops the replay. */
typedef struct page_device {
  bool (*begin_page)(void *ctx, size_t index, const page_list *pg);
  bool (*glyphs)(void *ctx, const page_glyph_run *run);
  bool (*line)(void *ctx, const page_line *line);
  bool (*rect)(void *ctx, const page_rect *rect);
  bool (*end_page)(void *ctx, size_t index, const page_list *pg);
  /* Called before an item whose layer differs from the previous item's
   * (each page starts in the view layer). */
  bool (*set_layer)(void *ctx, page_layer layer);
  bool (*link)(void *ctx, const page_link *link);
  bool (*span)(void *ctx, const page_span *span);
} page_device;

/* Replay every page in order into dev.  Returns false if a callback
 * stopped it. */
bool page_doc_replay(const page_doc *doc, const page_device *dev, void *ctx);

/* A text dump of the display lists, one item a line (for tests):
 *   page 1 595.28x841.89
 *     glyphs AR PL SungtiL GB (gbsn00lp.ttf) 16 at 72,100 "一二" [980@0 981@16]
 *     line 72,100 → 500,100 w 0.5 gray 0
 *     rect 72,100 428x20 fill 0.9 stroke 0 w 0.5
 *   outline 1 "第一部分" → page 1 y 100
 * Numbers are printed with %g after rounding to 0.01 pt. */
void page_doc_dump(const page_doc *doc, bbuf *out);

/* ================================================================
 * Pagination
 * ================================================================
 *
 * Blocks → pages, in three steps (place.h): measure every paragraph and
 * cell with the text stage, place lines and rows on pages (headings and
 * captions kept with what follows, no single line of a paragraph alone at
 * a page's top or bottom, tables broken between rows with their header
 * repeated and spanning cells continued), then draw, once every page
 * number is known — the table of contents, bookmarks and folios are
 * exact.  Errors (missing glyphs, unknown font roles) are reported to d
 * with the position of the text in the data or layout.
 *
 * Returns the display lists; never NULL.  The page_doc borrows faces from
 * fonts, so drop it before them. */
page_doc *paginate(const block_doc *b, text_fonts *fonts, text_shaper *shaper,
                   diag *d);

#endif
