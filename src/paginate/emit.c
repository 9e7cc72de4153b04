/* SPDX-License-Identifier: MIT */
/* emit.c — placements → display lists.  Runs after every section is
 * placed, so page numbers are final: the table of contents, the folios and
 * the bookmarks are exact.
 *
 * Frames: place.c works in the content frame (origin at the type area's
 * top-left, y down).  A page that is not turned maps it to the page by
 * the margins.  A turned page is shown landscape: its view is the sheet
 * turned by 90° clockwise, so the sheet's left (binding) margin is the
 * view's top, its bottom margin the view's left; the folio is drawn on
 * the sheet layer, where the portrait sheet has it. */
#include "paginate_imp.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where a page's content frame sits on its page (view) coordinates. */
typedef struct frame {
  double left, top, width, height;
} frame;

static frame content_frame(const layout_page *pg) {
  frame f;
  if (pg->turned) {
    f.left = pg->margin_bottom;
    f.top = pg->margin_left;
  } else {
    f.left = pg->margin_left;
    f.top = pg->margin_top;
  }
  f.width = layout_page_content_width(pg);
  f.height = layout_page_content_height(pg);
  return f;
}

/* ---------------------------------------------------------------- rules
 * Table borders are collected as segments and merged, so that a border
 * shared by two cells is drawn once and a row's line is one stroke. */

typedef struct segment {
  double at, from, to; /* y (horizontal) or x (vertical), and extent */
} segment;

typedef struct rules {
  segment *h, *v;
  size_t nh, nv, caph, capv;
} rules;

static void add_h(rules *r, double y, double x0, double x1) {
  XGROW(r->h, r->caph, r->nh + 1);
  r->h[r->nh++] = (segment){y, x0, x1};
}

static void add_v(rules *r, double x, double y0, double y1) {
  XGROW(r->v, r->capv, r->nv + 1);
  r->v[r->nv++] = (segment){x, y0, y1};
}

static int segment_cmp(const void *x, const void *y) {
  const segment *a = x, *b = y;
  if (fabs(a->at - b->at) > 0.01)
    return a->at < b->at ? -1 : 1;
  if (a->from != b->from)
    return a->from < b->from ? -1 : 1;
  return (a->to > b->to) - (a->to < b->to);
}

static void flush_segments(page_doc *doc, page_list *pg, segment *s, size_t n,
                           bool horizontal, double width) {
  if (!n)
    return; /* a borderless table (a caption line): s is NULL */
  qsort(s, n, sizeof *s, segment_cmp);
  size_t i = 0;
  while (i < n) {
    segment cur = s[i++];
    while (i < n && fabs(s[i].at - cur.at) <= 0.01 &&
           s[i].from <= cur.to + 0.01) {
      if (s[i].to > cur.to)
        cur.to = s[i].to;
      i++;
    }
    page_line line = {.width = width, .gray = 0};
    if (horizontal)
      line.x0 = cur.from, line.x1 = cur.to, line.y0 = line.y1 = cur.at;
    else
      line.y0 = cur.from, line.y1 = cur.to, line.x0 = line.x1 = cur.at;
    page_add_line(doc, pg, &line);
  }
}

static void draw_rules(page_doc *doc, page_list *pg, rules *r, double width) {
  flush_segments(doc, pg, r->h, r->nh, true, width);
  flush_segments(doc, pg, r->v, r->nv, false, width);
  free(r->h);
  free(r->v);
  memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- cells */

typedef struct emitter {
  paginator *p;
  page_doc *doc;
  page_list *pg;
  frame f;
} emitter;

/* The part of a cell's text to draw: all of it, vertically centred in its
 * box, or — in a row cut across pages — the lines between `from` and `to`
 * (offsets in the row; to 0: its end), from the top. */
typedef struct cell_part {
  double from, to;
} cell_part;

/* A cell over rows of total height h whose top is at y (content frame). */
static void draw_cell(emitter *e, const mtable *t, const mcell *m, double y,
                      double h, cell_part part, rules *r) {
  const block_table *bt = t->bt;
  double x = t->x0 + m->x;
  double tx = x + bt->padding.h + m->cell->indent * t->scale;
  const text_paragraph *para = m->para;
  if (part.from == 0 && part.to == 0) {
    double ph = para->height;
    double ty = y + (h - ph) / 2; /* vertically centred */
    if (ty < y + bt->padding.v && ph + 2 * bt->padding.v <= h + 0.01)
      ty = y + bt->padding.v;
    if (para->nlines)
      page_add_paragraph(e->doc, e->pg, para, 0, para->nlines,
                         e->f.left + tx, e->f.top + ty);
  } else {
    /* Line k spans [pad + k·lead, pad + (k+1)·lead) in the row. */
    double lead = m->style->leading, pad = bt->padding.v;
    size_t k0 = 0, k1 = para->nlines;
    while (k0 < k1 && pad + k0 * lead < part.from - 0.01)
      k0++;
    while (part.to > 0 && k1 > k0 && pad + k1 * lead > part.to + 0.01)
      k1--;
    double top = y + (part.from > 0 ? pad : 0) + pad + k0 * lead - part.from;
    if (k1 > k0)
      page_add_paragraph(e->doc, e->pg, para, k0, k1 - k0, e->f.left + tx,
                         e->f.top + top);
  }
  if (!bt->borders)
    return;
  double xl = e->f.left + x, xr = xl + m->width;
  double yt = e->f.top + y, yb = yt + h;
  add_h(r, yt, xl, xr);
  add_h(r, yb, xl, xr);
  add_v(r, xl, yt, yb);
  add_v(r, xr, yt, yb);
}

/* Draw rows [from, to) of `rows` whose tops start at y; cells spanning in
 * from rows above `from` (none starts above row `scan`) are drawn again
 * (their text repeated), and cells reaching past `to` are cut there.
 * `cut` is the part of the first and last rows shown when a row taller
 * than a page is cut (zeros: whole). */
static double draw_rows(emitter *e, const mtable *t, const mrow *rows,
                        const double *h, int scan, int from, int to, double y,
                        cell_part cut, rules *r) {
  double pad = t->bt->padding.v;
  double *top = xmalloc(sizeof *top * (size_t)(to - from + 1));
  top[0] = y;
  for (int i = from; i < to; i++) {
    double hi = h[i];
    double a = i == from ? cut.from : 0;
    double b = i == to - 1 && cut.to > 0 ? cut.to : h[i];
    if (a > 0 || b < h[i])
      hi = b - a + (a > 0 ? pad : 0);
    top[i - from + 1] = top[i - from] + hi;
  }
  for (int i = scan; i < to; i++)
    for (int k = 0; k < rows[i].ncells; k++) {
      const mcell *m = &rows[i].cells[k];
      int end = i + (m->cell->rowspan > 1 ? m->cell->rowspan : 1);
      if (end <= from)
        continue;
      int a = i < from ? from : i, b = end < to ? end : to;
      cell_part part = {a == from ? cut.from : 0,
                        b == to ? cut.to : 0};
      draw_cell(e, t, m, top[a - from], top[b - from] - top[a - from], part,
                r);
    }
  double bottom = top[to - from];
  free(top);
  return bottom;
}

static void draw_table(emitter *e, const mitem *it, const placement *pl) {
  const mtable *t = it->table;
  const block_table *bt = t->bt;
  rules r = {0};
  double y = pl->y;
  if (pl->continued && t->continued) {
    page_add_paragraph(e->doc, e->pg, t->continued, 0, t->continued->nlines,
                       e->f.left + t->x0, e->f.top + y);
    y += t->continued_h;
  }
  if (!pl->continued)
    y = draw_rows(e, t, t->head, t->head_h, 0, 0, bt->nhead, y,
                  (cell_part){0, 0}, &r);
  else if (pl->first >= bt->repeat_after)
    y = draw_rows(e, t, t->repeat, t->repeat_h, 0, 0, bt->nrepeat, y,
                  (cell_part){0, 0}, &r);
  if (pl->count > 0) {
    /* Only cells spanning rows (t->spans has them all) reach the page's
     * first row from above: looking at every row above would be
     * quadratic in a long table's pages. */
    int scan = pl->first;
    for (int k = 0; k < t->nspans; k++)
      if (t->spans[k].start < scan && t->spans[k].end > pl->first)
        scan = t->spans[k].start;
    draw_rows(e, t, t->body, t->body_h, scan, pl->first, pl->first + pl->count,
              y, (cell_part){pl->from, pl->to}, &r);
  }
  draw_rules(e->doc, e->pg, &r, bt->rule_width);
}

/* ---------------------------------------------------------------- TOC */

/* The folio number of each page, from the sections' numbering. */
typedef struct page_info {
  int number;
  bool folio;
  const layout_page *page;
} page_info;

/* Shape one short line (a number, a leader) in a style; never breaks. */
static const text_paragraph *short_text(paginator *p, const char *text,
                                        const layout_style *s, src_pos pos) {
  text_para_spec spec = {.style = paginator_text_style(p, s),
                         .width = 0,
                         .leading = s->leading,
                         .align = TEXT_ALIGN_LEFT};
  return text_break(p->shaper, &spec, text, strlen(text), pos, p->a, p->d);
}

/* The page number after the title of a TOC entry's last line, with a
 * leader of dots between them.  Dots stand on a grid shared by all entries
 * so that they line up down the page. */
static void draw_toc_number(emitter *e, const mitem *it, const placement *pl,
                            const page_info *pages) {
  paginator *p = e->p;
  const toc_entry *te = &p->toc[it->toc_entry];
  if (te->page < 0)
    return;
  const text_paragraph *para = it->para;
  size_t last = para->nlines - 1;
  if (last < (size_t)pl->first || last >= (size_t)(pl->first + pl->count))
    return; /* the entry's last line is on another page */
  const layout_style *s = it->style;
  /* The whole entry (its lines on this page) links to its target. */
  page_link link = {e->f.left + it->x, e->f.top + pl->y,
                    e->f.width - it->x, pl->count * s->leading,
                    (size_t)te->page, te->y};
  page_add_link(e->doc, e->pg, &link);
  char num[16];
  snprintf(num, sizeof num, "%d", pages[te->page].number);
  const text_paragraph *np = short_text(p, num, s, it->b->pos);
  double line_top = pl->y + (double)(last - (size_t)pl->first) * s->leading;
  double right = e->f.width - s->right_indent;
  double nx = right - np->natural_width;
  page_add_paragraph(e->doc, e->pg, np, 0, np->nlines, e->f.left + nx,
                     e->f.top + line_top);
  const char *leader = it->b->u.toc.leader;
  if (!leader || !*leader)
    return;
  const text_paragraph *lp = short_text(p, leader, s, it->b->pos);
  if (!lp->nlines || !lp->lines[0].nruns || lp->natural_width <= 0)
    return;
  const text_line *ll = &lp->lines[0];
  double text_end = it->x + para->lines[last].x + para->lines[last].width;
  /* One pitch for every level (0.3 em, or the dot's own width if wider),
   * so that the dots stand on one grid; close enough that a reader
   * extracting text sees a run of dots, not dots and spaces. */
  double pitch = lp->natural_width > 0.3 * s->size ? lp->natural_width
                                                   : 0.3 * s->size;
  double start = ceil((text_end + pitch) / pitch) * pitch;
  double stop = nx - pitch;
  size_t count =
      start < stop ? (size_t)round_within(floor((stop - start) / pitch), INT_MAX) + 1
                   : 0;
  if (!count)
    return;
  /* One run of the leader's first glyph repeated on the grid. */
  const text_run *src = &ll->runs[0];
  page_glyph *g = xmalloc(sizeof *g * count);
  char *text = xmalloc(count * strlen(leader) + 1);
  size_t tl = strlen(leader);
  for (size_t k = 0; k < count; k++) {
    g[k] = (page_glyph){src->glyphs[0].id, (float)(k * pitch), 0,
                        (uint32_t)(k * tl), (uint32_t)tl};
    memcpy(text + k * tl, leader, tl);
  }
  text[count * tl] = 0;
  page_glyph_run run = {
      .face = src->face,
      .size = src->size,
      .x = e->f.left + start,
      .y = e->f.top + line_top + ll->baseline,
      .glyphs = g,
      .count = count,
      .text = text,
      .text_len = count * tl,
  };
  page_add_glyph_run(e->doc, e->pg, &run);
  free(g);
  free(text);
}

/* ---------------------------------------------------------------- folio */

static void draw_folio(emitter *e, const layout_folio *fo, int number,
                       const layout_page *lp) {
  paginator *p = e->p;
  char num[16];
  snprintf(num, sizeof num, "%d", number);
  bbuf text = {0};
  for (const char *s = fo->text; *s;) {
    if (!strncmp(s, "{page}", 6)) {
      bbuf_puts(&text, num);
      s += 6;
    } else {
      bbuf_append(&text, s++, 1);
    }
  }
  const text_paragraph *fp = short_text(p, text.data, fo->style, fo->pos);
  bbuf_free(&text);
  /* On the sheet: GB/T 9704 puts odd numbers at the right, even at the
   * left, `inset` in from the type area's edge, `below` it — the type area
   * of the folio's own page setup if it names one, so that the number
   * stays at one spot of every bound sheet. */
  if (fo->frame)
    lp = fo->frame;
  double area_left = lp->margin_left;
  double area_right = lp->sheet_width - lp->margin_right;
  double area_bottom = lp->sheet_height - lp->margin_bottom;
  double x = number % 2 ? area_right - fo->inset - fp->natural_width
                        : area_left + fo->inset;
  double middle = area_bottom + fo->below;
  double top = middle - fo->style->size / 2 -
               (text_baseline_in_line(fo->style->size, fo->style->leading) -
                text_baseline_in_line(fo->style->size, fo->style->size));
  page_set_layer(e->pg, PAGE_LAYER_SHEET);
  page_add_paragraph(e->doc, e->pg, fp, 0, fp->nlines, x, top);
  page_set_layer(e->pg, PAGE_LAYER_VIEW);
}

/* ---------------------------------------------------------------- driver */

page_doc *paginate(const block_doc *b, text_fonts *fonts,
                   text_shaper *shaper, diag *d) {
  paginator p = {.doc = b, .fonts = fonts, .shaper = shaper, .d = d};
  p.a = arena_new();
  TEST_POINT("paginate"); /* the document is being made, nothing written */
  measure_document(&p);

  /* Place every section; each starts a new page. */
  place_result *placed = xcalloc((size_t)p.nsections, sizeof *placed);
  int *first_page = xcalloc((size_t)p.nsections + 1, sizeof *first_page);
  int next = 0;
  for (int s = 0; s < p.nsections; s++) {
    first_page[s] = next;
    msection *ms = &p.sections[s];
    if (ms->sec->page)
      next = place_section(ms->blocks, ms->n, ms->height, next, &placed[s]);
  }
  first_page[p.nsections] = next;
  int npages = next;

  /* Page numbers: a section may restart them; otherwise they go on. */
  page_info *pages = xcalloc((size_t)npages + 1, sizeof *pages);
  int number = 0;
  for (int s = 0; s < p.nsections; s++)
    for (int pg = first_page[s]; pg < first_page[s + 1]; pg++) {
      number = pg == first_page[s] && p.sections[s].sec->first_page_number
                   ? p.sections[s].sec->first_page_number
                   : number + 1;
      pages[pg] = (page_info){number, p.sections[s].sec->folio,
                              p.sections[s].sec->page};
    }

  /* Where each TOC entry's target landed.  Entries are in document order
   * (collect_toc), so each section's are a run of p.toc sorted by block
   * address, and its items' first placements are found in one pass: a
   * 目录 of 100,000 entries costs no more than 100,000 lookups. */
  int entry = 0;
  for (int s = 0; s < p.nsections; s++) {
    const block_section *bs = &b->sections[s];
    int first_entry = entry;
    while (entry < p.ntoc && p.toc[entry].target >= bs->blocks &&
           p.toc[entry].target < bs->blocks + bs->nblocks)
      entry++;
    if (entry == first_entry)
      continue;
    int n = p.sections[s].n;
    const placement **first = xcalloc((size_t)n + 1, sizeof *first);
    for (size_t k = placed[s].count; k-- > 0;) { /* the earliest wins */
      int at = placed[s].items[k].block;
      if (at >= 0 && at < n)
        first[at] = &placed[s].items[k];
    }
    frame f = content_frame(p.sections[s].sec->page);
    for (int i = 0; i < n; i++) {
      const block *blk = p.sections[s].items[i].b;
      if (!blk || blk->toc_level <= 0 || !first[i])
        continue;
      int lo = first_entry, hi = entry; /* binary search by address */
      while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (p.toc[mid].target < blk)
          lo = mid + 1;
        else
          hi = mid;
      }
      if (lo < entry && p.toc[lo].target == blk) {
        p.toc[lo].page = first[i]->page;
        p.toc[lo].y = f.top + first[i]->y;
      }
    }
    free(first);
  }

  page_doc *doc = page_doc_new();
  page_list **lists = xcalloc((size_t)npages + 1, sizeof *lists);
  int front = 0; /* unnumbered pages so far: i, ii, iii for viewers */
  for (int pg = 0; pg < npages; pg++) {
    const layout_page *lp = pages[pg].page;
    lists[pg] = page_doc_add_page(doc, lp->sheet_width, lp->sheet_height);
    if (lp->turned)
      page_set_turned(lists[pg]);
    if (b->folio && pages[pg].folio)
      page_set_label(lists[pg], PAGE_LABEL_ARABIC, pages[pg].number);
    else
      page_set_label(lists[pg], PAGE_LABEL_ROMAN, ++front);
  }

  for (int s = 0; s < p.nsections; s++) {
    msection *ms = &p.sections[s];
    if (!ms->sec->page)
      continue;
    emitter e = {&p, doc, NULL, content_frame(ms->sec->page)};
    if (ms->sec->bookmark && first_page[s] < first_page[s + 1])
      page_doc_add_outline(doc, ms->sec->bookmark, 1,
                           (size_t)first_page[s], 0);
    for (size_t k = 0; k < placed[s].count; k++) {
      const placement *pl = &placed[s].items[k];
      const mitem *it = &ms->items[pl->block];
      e.pg = lists[pl->page];
      if (it->table) {
        draw_table(&e, it, pl);
      } else if (it->para) {
        page_add_paragraph(doc, e.pg, it->para, (size_t)pl->first,
                           (size_t)pl->count, e.f.left + it->x,
                           e.f.top + pl->y);
        if (it->toc_entry >= 0)
          draw_toc_number(&e, it, pl, pages);
      }
      const block *blk = it->b;
      if (blk && blk->bookmark_level > 0 && pl->first == 0 &&
          it->toc_entry < 0) {
        const char *title = blk->toc_text ? blk->toc_text
                            : blk->kind == BLOCK_PARAGRAPH
                                ? blk->u.paragraph.text
                                : NULL;
        if (title)
          page_doc_add_outline(doc, title, blk->bookmark_level,
                               (size_t)pl->page, e.f.top + pl->y);
      }
    }
  }

  if (b->folio)
    for (int pg = 0; pg < npages; pg++)
      if (pages[pg].folio) {
        emitter e = {&p, doc, lists[pg], content_frame(pages[pg].page)};
        draw_folio(&e, b->folio, pages[pg].number, pages[pg].page);
      }

  page_doc_info info = {.title = b->title,
                        .author = b->author,
                        .subject = b->subject,
                        .keywords = b->keywords,
                        .creator = "budgetpdf",
                        .creation_date = b->creation_date};
  page_doc_set_info(doc, &info);

  for (int s = 0; s < p.nsections; s++)
    place_result_free(&placed[s]);
  free(placed);
  free(first_page);
  free(pages);
  free(lists);
  free(p.roles);
  free(p.scaled);
  free(p.grid);
  arena_drop(p.a);
  return doc;
}
