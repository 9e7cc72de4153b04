/* SPDX-License-Identifier: MIT */
/* measure.c — blocks → measured items: paragraphs broken into lines at
 * their section's width, table cells broken at their column widths, row
 * heights from their tallest cells, spans noted for place.c. */
#include "paginate_imp.h"

#include <stdlib.h>
#include <string.h>

/* Font roles are looked up once per style (a few dozen styles against
 * thousands of cells). */
int paginator_role(paginator *p, const layout_style *s) {
  for (size_t i = 0; i < p->nroles; i++)
    if (p->roles[i].style == s)
      return p->roles[i].role;
  int role = text_fonts_lookup_role(p->fonts, s->font);
  if (role < 0)
    diag_error(p->d, DIAG_FONT, s->pos,
               "style '%s' uses the font role '%s', which the font "
               "configuration does not define",
               s->name, s->font);
  XGROW(p->roles, p->caproles, p->nroles + 1);
  p->roles[p->nroles++] = (style_role){s, role};
  return role;
}

text_style paginator_text_style(paginator *p, const layout_style *s) {
  return (text_style){paginator_role(p, s), s->size};
}

static text_align text_align_from(layout_align a) {
  switch (a) {
  case ALIGN_LEFT:
    return TEXT_ALIGN_LEFT;
  case ALIGN_CENTER:
    return TEXT_ALIGN_CENTER;
  case ALIGN_RIGHT:
    return TEXT_ALIGN_RIGHT;
  case ALIGN_JUSTIFY:
    return TEXT_ALIGN_JUSTIFY;
  }
  return TEXT_ALIGN_LEFT;
}

/* Break `text` in a style at a width; first_indent only for paragraphs. */
static const text_paragraph *set_text(paginator *p, const char *text,
                                      src_pos pos, const layout_style *s,
                                      double width, double first_indent,
                                      layout_align align) {
  text_para_spec spec = {
      .style = paginator_text_style(p, s),
      .width = width,
      .leading = s->leading,
      .first_indent = first_indent,
      .align = text_align_from(align),
      .compress_punct = true,
      .no_lone_char = s->avoid_lone_char,
  };
  return text_break(p->shaper, &spec, text, strlen(text), pos, p->a, p->d);
}

/* ---------------------------------------------------------------- tables */

/* Figures too wide for their column, gathered per column so that a
 * narrow column is one error, at the layout, naming its widest figure. */
typedef struct too_wide {
  const mcell *widest;
  double need, room;
  int count;
} too_wide;

static void note_too_wide(too_wide *narrow, int ncols, const mcell *m,
                          double room) {
  too_wide *w = &narrow[m->cell->col < ncols ? m->cell->col : 0];
  if (!w->widest || m->para->natural_width > w->need) {
    w->widest = m;
    w->need = m->para->natural_width;
    w->room = room;
  }
  w->count++;
}

static void report_too_wide(paginator *p, const too_wide *narrow, int ncols) {
  for (int i = 0; i < ncols; i++) {
    const too_wide *w = &narrow[i];
    if (!w->widest)
      continue;
    const block_cell *c = w->widest->cell;
    const char *count =
        w->count > 1 ? arena_printf(p->a, " (%d figures do not fit)", w->count)
                     : "";
    if (w->room <= 0) /* its padding and indent take the whole column */
      diag_error(p->d, DIAG_LAYOUT, c->column_pos,
                 "column too narrow: %s needs %.1fmm, and the column's "
                 "padding and indent leave no room at all%s; widen it",
                 c->text, w->need * 25.4 / 72, count);
    else
      diag_error(p->d, DIAG_LAYOUT, c->column_pos,
                 "column too narrow: %s needs %.1fmm, the column leaves "
                 "%.1fmm%s; widen it (figures are never broken across lines)",
                 c->text, w->need * 25.4 / 72, w->room * 25.4 / 72, count);
    diag_report(p->d, DIAG_NOTE, DIAG_LAYOUT, c->pos, "%s is here", c->text);
  }
}

static void measure_row(paginator *p, const block_table *bt, const double *cx,
                        const block_row *row, int r, mrow *out,
                        too_wide *narrow) {
  out->ncells = row->ncells;
  out->cells = ARENA_ARRAY(p->a, mcell, (size_t)row->ncells);
  for (int i = 0; i < row->ncells; i++) {
    const block_cell *c = &row->cells[i];
    mcell *m = &out->cells[i];
    m->cell = c;
    m->row = r;
    int end = c->col + c->colspan;
    if (c->col < 0 || end > bt->ncols) {
      diag_error(p->d, DIAG_LAYOUT, c->pos,
                 "a cell spans past the table's %d columns", bt->ncols);
      end = c->col < 0 ? 0 : bt->ncols;
    }
    m->x = cx[c->col < 0 ? 0 : c->col];
    m->width = cx[end] - m->x;
    double room = m->width - 2 * bt->padding.h - c->indent;
    double inner = room < c->style->size ? c->style->size : room;
    /* (inner: one character at least, so that breaking never loops) */
    if (c->nowrap) {
      /* A figure split over two lines could be misread: set it whole, or
       * say that its column is too narrow. */
      m->para = set_text(p, c->text, c->pos, c->style, 0, 0, c->align);
      if (m->para->natural_width > room + 0.01)
        note_too_wide(narrow, bt->ncols, m, room);
      else if (c->align != ALIGN_LEFT)
        m->para = set_text(p, c->text, c->pos, c->style, inner, 0, c->align);
    } else {
      m->para = set_text(p, c->text, c->pos, c->style, inner, 0, c->align);
    }
    m->need = m->para->height + 2 * bt->padding.v;
  }
}

/* Row heights from the cells that start in them and span one row; then
 * rows grow where a spanning cell needs more than its rows give. */
static void size_rows(const mrow *rows, int n, double min_h, double *h,
                      mspan *spans, int *nspans) {
  for (int r = 0; r < n; r++)
    h[r] = min_h;
  for (int r = 0; r < n; r++)
    for (int i = 0; i < rows[r].ncells; i++) {
      const mcell *m = &rows[r].cells[i];
      if (m->cell->rowspan <= 1 && m->need > h[r])
        h[r] = m->need;
    }
  for (int r = 0; r < n; r++)
    for (int i = 0; i < rows[r].ncells; i++) {
      const mcell *m = &rows[r].cells[i];
      int span = m->cell->rowspan;
      if (span <= 1)
        continue;
      int end = r + span < n ? r + span : n;
      double have = 0;
      for (int k = r; k < end; k++)
        have += h[k];
      if (have < m->need)
        h[end - 1] += m->need - have;
      if (spans)
        spans[(*nspans)++] = (mspan){r, end, m->need};
    }
}

/* Where a row taller than half a page may be cut: the line boundaries of
 * its tallest cell.  Other rows get none. */
static void note_cuts(paginator *p, mtable *t, double frame_h) {
  const block_table *bt = t->bt;
  t->cuts = ARENA_ARRAY(p->a, const double *, (size_t)bt->nbody);
  t->ncuts = ARENA_ARRAY(p->a, int, (size_t)bt->nbody);
  for (int r = 0; r < bt->nbody; r++) {
    if (t->body_h[r] <= frame_h / 2)
      continue;
    const mcell *tallest = NULL;
    for (int i = 0; i < t->body[r].ncells; i++)
      if (!tallest || t->body[r].cells[i].need > tallest->need)
        tallest = &t->body[r].cells[i];
    if (!tallest || tallest->para->nlines < 2)
      continue;
    double lead = tallest->cell->style->leading;
    int n = (int)tallest->para->nlines - 1;
    double *c = ARENA_ARRAY(p->a, double, (size_t)n);
    for (int k = 0; k < n; k++)
      c[k] = bt->padding.v + (k + 1) * lead;
    t->cuts[r] = c;
    t->ncuts[r] = n;
  }
}

static int span_cmp(const void *x, const void *y) {
  const mspan *a = x, *b = y;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return (a->end > b->end) - (a->end < b->end);
}

/* place.c wants spans by start. */
static void sort_spans(mspan *s, int n) {
  qsort(s, (size_t)n, sizeof *s, span_cmp);
}

static mtable *measure_table(paginator *p, const block *b, double frame_w,
                             double frame_h) {
  const block_table *bt = &b->u.table;
  mtable *t = ARENA_NEW(p->a, mtable);
  t->bt = bt;
  double *cx = ARENA_ARRAY(p->a, double, (size_t)bt->ncols + 1);
  for (int i = 0; i < bt->ncols; i++)
    cx[i + 1] = cx[i] + bt->widths[i];
  t->width = cx[bt->ncols];
  /* Centred in the frame when narrower; a wider table was refused by the
   * layout stage. */
  t->x0 = t->width < frame_w ? (frame_w - t->width) / 2 : 0;
  too_wide *narrow = xcalloc((size_t)bt->ncols + 1, sizeof *narrow);
  t->head = ARENA_ARRAY(p->a, mrow, (size_t)bt->nhead);
  t->head_h = ARENA_ARRAY(p->a, double, (size_t)bt->nhead);
  for (int r = 0; r < bt->nhead; r++)
    measure_row(p, bt, cx, &bt->head[r], r, &t->head[r], narrow);
  size_rows(t->head, bt->nhead, bt->min_row_height, t->head_h, NULL, NULL);
  t->repeat = ARENA_ARRAY(p->a, mrow, (size_t)bt->nrepeat);
  t->repeat_h = ARENA_ARRAY(p->a, double, (size_t)bt->nrepeat);
  for (int r = 0; r < bt->nrepeat; r++)
    measure_row(p, bt, cx, &bt->repeat[r], r, &t->repeat[r], narrow);
  size_rows(t->repeat, bt->nrepeat, bt->min_row_height, t->repeat_h, NULL,
            NULL);
  t->body = ARENA_ARRAY(p->a, mrow, (size_t)bt->nbody);
  t->body_h = ARENA_ARRAY(p->a, double, (size_t)bt->nbody);
  int nspans = bt->keep_rows > 1 ? 1 : 0;
  for (int r = 0; r < bt->nbody; r++) {
    measure_row(p, bt, cx, &bt->body[r], r, &t->body[r], narrow);
    for (int i = 0; i < bt->body[r].ncells; i++)
      nspans += bt->body[r].cells[i].rowspan > 1;
  }
  t->spans = ARENA_ARRAY(p->a, mspan, (size_t)nspans);
  size_rows(t->body, bt->nbody, bt->min_row_height, t->body_h, t->spans,
            &t->nspans);
  if (bt->keep_rows > 1) /* a span needing no height only ties rows */
    t->spans[t->nspans++] =
        (mspan){0, bt->keep_rows < bt->nbody ? bt->keep_rows : bt->nbody, 0};
  sort_spans(t->spans, t->nspans);
  note_cuts(p, t, frame_h);
  report_too_wide(p, narrow, bt->ncols);
  free(narrow);
  if (bt->continued && bt->continued_style) {
    t->continued = set_text(p, bt->continued, b->pos, bt->continued_style,
                            t->width, 0, bt->continued_style->align);
    t->continued_h = t->continued->height;
  }
  return t;
}

/* ---------------------------------------------------------------- TOC */

static void collect_toc(paginator *p) {
  int n = 0;
  for (int s = 0; s < p->doc->nsections; s++)
    for (int i = 0; i < p->doc->sections[s].nblocks; i++)
      n += p->doc->sections[s].blocks[i].toc_level > 0;
  p->toc = ARENA_ARRAY(p->a, toc_entry, (size_t)n);
  for (int s = 0; s < p->doc->nsections; s++)
    for (int i = 0; i < p->doc->sections[s].nblocks; i++) {
      const block *b = &p->doc->sections[s].blocks[i];
      if (b->toc_level <= 0)
        continue;
      const char *text = b->toc_text ? b->toc_text
                         : b->kind == BLOCK_PARAGRAPH ? b->u.paragraph.text
                                                      : "";
      p->toc[p->ntoc++] = (toc_entry){b, b->toc_level, text, -1, 0};
    }
}

/* ---------------------------------------------------------------- blocks */

static void item_paragraph(paginator *p, msection *ms, const block *b,
                           const char *text, const layout_style *s,
                           double right_reserve, int entry) {
  mitem *it = &ms->items[ms->n];
  mblock *mb = &ms->blocks[ms->n++];
  double width = ms->width - s->left_indent - s->right_indent - right_reserve;
  it->b = b;
  it->style = s;
  it->x = s->left_indent;
  it->toc_entry = entry;
  it->para = set_text(p, text, b->pos, s, width, s->first_indent, s->align);
  mb->kind = M_LINES;
  mb->nlines = (int)it->para->nlines;
  mb->pitch = s->leading;
  mb->min_lines = 2;
  mb->space_before = s->space_before;
  mb->space_after = s->space_after;
  mb->keep_with_next = b->keep_with_next;
}

static int toc_item_count(const paginator *p, const block *b) {
  return (b->u.toc.title ? 1 : 0) + p->ntoc;
}

static void measure_section(paginator *p, msection *ms) {
  const block_section *sec = ms->sec;
  int n = 0;
  for (int i = 0; i < sec->nblocks; i++)
    n += sec->blocks[i].kind == BLOCK_TOC ? toc_item_count(p, &sec->blocks[i])
                                          : 1;
  ms->blocks = ARENA_ARRAY(p->a, mblock, (size_t)n);
  ms->items = ARENA_ARRAY(p->a, mitem, (size_t)n);
  ms->width = layout_page_content_width(sec->page);
  ms->height = layout_page_content_height(sec->page);
  for (int i = 0; i < sec->nblocks; i++) {
    const block *b = &sec->blocks[i];
    switch (b->kind) {
    case BLOCK_PARAGRAPH:
      item_paragraph(p, ms, b, b->u.paragraph.text, b->u.paragraph.style, 0,
                     -1);
      break;
    case BLOCK_SPACE:
      ms->items[ms->n] = (mitem){.b = b, .toc_entry = -1};
      ms->blocks[ms->n++] = (mblock){.kind = M_SPACE, .space = b->u.space};
      break;
    case BLOCK_PAGE_BREAK:
      ms->items[ms->n] = (mitem){.b = b, .toc_entry = -1};
      ms->blocks[ms->n++] = (mblock){.kind = M_PAGE_BREAK};
      break;
    case BLOCK_TABLE: {
      mitem *it = &ms->items[ms->n];
      mblock *mb = &ms->blocks[ms->n++];
      *it = (mitem){.b = b, .toc_entry = -1};
      it->table = measure_table(p, b, ms->width, ms->height);
      mb->kind = M_TABLE;
      mb->keep_with_next = b->keep_with_next;
      mb->space_after = b->u.table.space_after;
      mb->table = (mtable_geometry){
          .nhead = b->u.table.nhead,
          .head_h = it->table->head_h,
          .nrepeat = b->u.table.nrepeat,
          .repeat_h = it->table->repeat_h,
          .repeat_after = b->u.table.repeat_after,
          .continued_h = it->table->continued_h,
          .nbody = b->u.table.nbody,
          .body_h = it->table->body_h,
          .spans = it->table->spans,
          .nspans = it->table->nspans,
          .cuts = it->table->cuts,
          .ncuts = it->table->ncuts,
          .slice_pad = b->u.table.padding.v,
      };
      break;
    }
    case BLOCK_TOC: {
      const block_toc *t = &b->u.toc;
      if (t->title && t->title_style)
        item_paragraph(p, ms, b, t->title, t->title_style, 0, -1);
      for (int e = 0; e < p->ntoc; e++) {
        int level = p->toc[e].level;
        if (level > t->nlevels)
          level = t->nlevels;
        const layout_style *s = t->level_styles[level - 1];
        /* Reserve room at the right for a few leader dots and a page
         * number of up to three digits, so entries break before it. */
        double reserve = 2.5 * s->size;
        item_paragraph(p, ms, b, p->toc[e].text, s, reserve, e);
        ms->items[ms->n - 1].style = s;
      }
      break;
    }
    }
  }
}

void measure_document(paginator *p) {
  collect_toc(p);
  p->nsections = p->doc->nsections;
  p->sections = ARENA_ARRAY(p->a, msection, (size_t)p->nsections);
  for (int s = 0; s < p->nsections; s++) {
    p->sections[s].sec = &p->doc->sections[s];
    if (p->doc->sections[s].page)
      measure_section(p, &p->sections[s]);
  }
}
