/* SPDX-License-Identifier: MIT */
/* display.c — display lists: pages of positioned glyph runs, lines and
 * rectangles, recorded once by pagination and replayed by the PDF writer
 * and the text dumper.  All of a document lives in one arena. */
#include "paginate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct page_doc {
  arena *a;
  page_list **pages; /* npages (the array is malloc'ed, the pages in the arena) */
  size_t npages, cappages;
  page_outline *outlines; /* malloc'ed */
  size_t noutlines, capoutlines;
  page_doc_info info;
};

page_doc *page_doc_new(void) {
  page_doc *doc = xcalloc(1, sizeof *doc);
  doc->a = arena_new();
  return doc;
}

void page_doc_drop(page_doc *doc) {
  if (!doc)
    return;
  free(doc->pages);
  free(doc->outlines);
  arena_drop(doc->a);
  free(doc);
}

arena *page_doc_arena(page_doc *doc) { return doc->a; }

page_list *page_doc_add_page(page_doc *doc, double width, double height) {
  page_list *pg = ARENA_NEW(doc->a, page_list);
  pg->width = width;
  pg->height = height;
  XGROW(doc->pages, doc->cappages, doc->npages + 1);
  doc->pages[doc->npages++] = pg;
  return pg;
}

size_t page_doc_page_count(const page_doc *doc) { return doc->npages; }

const page_list *page_doc_lookup_page(const page_doc *doc, size_t i) {
  return i < doc->npages ? doc->pages[i] : NULL;
}

void page_set_turned(page_list *pg) { pg->turned = true; }

void page_set_layer(page_list *pg, page_layer layer) { pg->layer = layer; }

void page_set_label(page_list *pg, page_label_style style, int number) {
  pg->label_style = style;
  pg->label = number;
}

double page_view_width(const page_list *pg) {
  return pg->turned ? pg->height : pg->width;
}

double page_view_height(const page_list *pg) {
  return pg->turned ? pg->width : pg->height;
}

static page_item *item_append(page_doc *doc, page_list *pg, page_item_kind kind) {
  page_item *it = ARENA_NEW(doc->a, page_item);
  it->kind = kind;
  it->layer = pg->layer;
  if (pg->last)
    pg->last->next = it;
  else
    pg->items = it;
  pg->last = it;
  pg->count++;
  return it;
}

void page_add_glyph_run(page_doc *doc, page_list *pg, const page_glyph_run *run) {
  if (run->count == 0)
    return;
  page_item *it = item_append(doc, pg, PAGE_ITEM_GLYPHS);
  page_glyph_run *r = &it->u.glyphs;
  *r = *run;
  page_glyph *g = ARENA_ARRAY(doc->a, page_glyph, run->count);
  memcpy(g, run->glyphs, run->count * sizeof *g);
  r->glyphs = g;
  r->text = arena_strndup(doc->a, run->text ? run->text : "", run->text_len);
}

void page_add_line(page_doc *doc, page_list *pg, const page_line *line) {
  item_append(doc, pg, PAGE_ITEM_LINE)->u.line = *line;
}

void page_add_rect(page_doc *doc, page_list *pg, const page_rect *rect) {
  item_append(doc, pg, PAGE_ITEM_RECT)->u.rect = *rect;
}

void page_add_link(page_doc *doc, page_list *pg, const page_link *link) {
  item_append(doc, pg, PAGE_ITEM_LINK)->u.link = *link;
}

void page_add_paragraph(page_doc *doc, page_list *pg, const text_paragraph *p,
                        size_t first, size_t count, double x, double y) {
  if (first >= p->nlines)
    return;
  if (count > p->nlines - first)
    count = p->nlines - first;
  double shift = p->lines[first].baseline - p->lines[0].baseline;
  /* The runs of these lines index the paragraph text; copy the part they
   * stand for once (not the whole paragraph for every page it is on) and
   * share it between the runs. */
  size_t lo = p->lines[first].start;
  size_t hi = first + count < p->nlines ? p->lines[first + count].start
                                        : p->text_len;
  const char *text = arena_strndup(doc->a, p->text + lo, hi - lo);
  for (size_t i = first; i < first + count; i++) {
    const text_line *l = &p->lines[i];
    bool span = l->nruns && (l->spread > PAGE_SPAN_SPREAD * l->runs[0].size ||
                             l->letter_spaced);
    if (span)
      item_append(doc, pg, PAGE_ITEM_SPAN)->u.span =
          (page_span){text + l->start - lo, l->end - l->start};
    for (size_t k = 0; k < l->nruns; k++) {
      const text_run *tr = &l->runs[k];
      if (!tr->count)
        continue;
      page_item *it = item_append(doc, pg, PAGE_ITEM_GLYPHS);
      page_glyph_run *r = &it->u.glyphs;
      r->face = tr->face;
      r->size = tr->size;
      r->x = x + tr->x;
      r->y = y + tr->y - shift;
      page_glyph *g = ARENA_ARRAY(doc->a, page_glyph, tr->count);
      for (size_t j = 0; j < tr->count; j++) {
        g[j].id = tr->glyphs[j].id;
        g[j].x = tr->glyphs[j].x;
        g[j].y = tr->glyphs[j].y;
        g[j].text_len = tr->glyphs[j].text_len;
        g[j].text_start =
            g[j].text_len ? tr->glyphs[j].text_start - (uint32_t)lo : 0;
      }
      r->glyphs = g;
      r->count = tr->count;
      r->text = text;
      r->text_len = hi - lo;
    }
    if (span)
      item_append(doc, pg, PAGE_ITEM_SPAN)->u.span = (page_span){NULL, 0};
  }
}

void page_doc_add_outline(page_doc *doc, const char *title, int level,
                          size_t page_index, double y) {
  XGROW(doc->outlines, doc->capoutlines, doc->noutlines + 1);
  page_outline *o = &doc->outlines[doc->noutlines++];
  o->title = arena_strdup(doc->a, title);
  o->level = level < 1 ? 1 : level;
  o->page_index = page_index;
  o->y = y;
}

size_t page_doc_outline_count(const page_doc *doc) { return doc->noutlines; }

const page_outline *page_doc_lookup_outline(const page_doc *doc, size_t i) {
  return i < doc->noutlines ? &doc->outlines[i] : NULL;
}

static const char *copy_or_null(arena *a, const char *s) {
  return s ? arena_strdup(a, s) : NULL;
}

void page_doc_set_info(page_doc *doc, const page_doc_info *info) {
  doc->info.title = copy_or_null(doc->a, info->title);
  doc->info.author = copy_or_null(doc->a, info->author);
  doc->info.subject = copy_or_null(doc->a, info->subject);
  doc->info.keywords = copy_or_null(doc->a, info->keywords);
  doc->info.creator = copy_or_null(doc->a, info->creator);
  doc->info.creation_date = copy_or_null(doc->a, info->creation_date);
}

const page_doc_info *page_doc_lookup_info(const page_doc *doc) {
  return &doc->info;
}

bool page_doc_replay(const page_doc *doc, const page_device *dev, void *ctx) {
  for (size_t i = 0; i < doc->npages; i++) {
    const page_list *pg = doc->pages[i];
    if (dev->begin_page && !dev->begin_page(ctx, i, pg))
      return false;
    page_layer layer = PAGE_LAYER_VIEW;
    for (const page_item *it = pg->items; it; it = it->next) {
      bool ok = true;
      if (it->layer != layer) {
        layer = it->layer;
        if (dev->set_layer && !dev->set_layer(ctx, layer))
          return false;
      }
      switch (it->kind) {
      case PAGE_ITEM_GLYPHS:
        ok = !dev->glyphs || dev->glyphs(ctx, &it->u.glyphs);
        break;
      case PAGE_ITEM_LINE:
        ok = !dev->line || dev->line(ctx, &it->u.line);
        break;
      case PAGE_ITEM_RECT:
        ok = !dev->rect || dev->rect(ctx, &it->u.rect);
        break;
      case PAGE_ITEM_LINK:
        ok = !dev->link || dev->link(ctx, &it->u.link);
        break;
      case PAGE_ITEM_SPAN:
        ok = !dev->span || dev->span(ctx, &it->u.span);
        break;
      }
      if (!ok)
        return false;
    }
    if (dev->end_page && !dev->end_page(ctx, i, pg))
      return false;
  }
  return true;
}

/* ---------------------------------------------------------------- dump */

static double r2(double v) {
  double r = round(v * 100) / 100;
  return r == 0 ? 0 : r; /* no "-0" */
}

static bool dump_begin(void *ctx, size_t index, const page_list *pg) {
  bbuf_printf(ctx, "page %zu %gx%g%s", index + 1, r2(pg->width),
              r2(pg->height), pg->turned ? " turned" : "");
  if (pg->label_style != PAGE_LABEL_NONE)
    bbuf_printf(ctx, " label %s%d",
                pg->label_style == PAGE_LABEL_ROMAN ? "roman " : "",
                pg->label);
  bbuf_puts(ctx, "\n");
  return true;
}

static bool dump_layer(void *ctx, page_layer layer) {
  bbuf_printf(ctx, "  layer %s\n", layer == PAGE_LAYER_SHEET ? "sheet" : "view");
  return true;
}

static bool dump_span(void *ctx, const page_span *s) {
  if (s->text)
    bbuf_printf(ctx, "  span \"%.*s\"\n", (int)s->len, s->text);
  else
    bbuf_puts(ctx, "  end span\n");
  return true;
}

static bool dump_link(void *ctx, const page_link *l) {
  bbuf_printf(ctx, "  link %g,%g %gx%g → page %zu y %g\n", r2(l->x), r2(l->y),
              r2(l->w), r2(l->h), l->target_page + 1, r2(l->target_y));
  return true;
}

static bool dump_glyphs(void *ctx, const page_glyph_run *run) {
  bbuf *b = ctx;
  text_face_info fi;
  text_face_describe(run->face, &fi);
  const char *base = strrchr(fi.path, '/');
  bbuf_printf(b, "  glyphs %s (%s) %g at %g,%g \"", fi.postscript_name,
              base ? base + 1 : fi.path, r2(run->size), r2(run->x), r2(run->y));
  for (size_t i = 0; i < run->count; i++)
    if (run->glyphs[i].text_len)
      bbuf_append(b, run->text + run->glyphs[i].text_start,
                  run->glyphs[i].text_len);
  bbuf_puts(b, "\" [");
  for (size_t i = 0; i < run->count; i++) {
    bbuf_printf(b, "%s%u@%g", i ? " " : "", (unsigned)run->glyphs[i].id,
                r2(run->glyphs[i].x));
    if (run->glyphs[i].y != 0)
      bbuf_printf(b, ",%g", r2(run->glyphs[i].y));
  }
  bbuf_puts(b, "]\n");
  return true;
}

static bool dump_line(void *ctx, const page_line *l) {
  bbuf_printf(ctx, "  line %g,%g → %g,%g w %g gray %g\n", r2(l->x0), r2(l->y0),
              r2(l->x1), r2(l->y1), r2(l->width), r2(l->gray));
  return true;
}

static bool dump_rect(void *ctx, const page_rect *r) {
  bbuf *b = ctx;
  bbuf_printf(b, "  rect %g,%g %gx%g", r2(r->x), r2(r->y), r2(r->w), r2(r->h));
  if (r->fill)
    bbuf_printf(b, " fill %g", r2(r->fill_gray));
  if (r->stroke)
    bbuf_printf(b, " stroke %g w %g", r2(r->stroke_gray), r2(r->line_width));
  bbuf_puts(b, "\n");
  return true;
}

void page_doc_dump(const page_doc *doc, bbuf *out) {
  static const page_device dumper = {dump_begin, dump_glyphs, dump_line,
                                     dump_rect,  NULL,        dump_layer,
                                     dump_link,  dump_span};
  bbuf_append(out, "", 0);
  page_doc_replay(doc, &dumper, out);
  for (size_t i = 0; i < doc->noutlines; i++) {
    const page_outline *o = &doc->outlines[i];
    bbuf_printf(out, "outline %d \"%s\" → page %zu y %g\n", o->level, o->title,
                o->page_index + 1, r2(o->y));
  }
  const page_doc_info *in = &doc->info;
  const char *names[] = {"title", "author", "subject", "keywords", "creator",
                         "creation_date"};
  const char *vals[] = {in->title, in->author, in->subject, in->keywords,
                        in->creator, in->creation_date};
  for (int i = 0; i < 6; i++)
    if (vals[i])
      bbuf_printf(out, "info %s \"%s\"\n", names[i], vals[i]);
}
