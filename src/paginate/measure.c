/* SPDX-License-Identifier: MIT */
/* measure.c — blocks → measured items: paragraphs broken into lines at
 * their section's width, table cells broken at their column widths, row
 * heights from their tallest cells, spans noted for place.c. */
#include "paginate_imp.h"

#include <math.h>
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

/* Break `text` in a style at a width into arena a; first_indent only for
 * paragraphs; words: break only between words (table cells). */
static text_para_spec text_spec(paginator *p, const layout_style *s,
                                double width, double first_indent,
                                layout_align align, bool words) {
  return (text_para_spec){
      .style = paginator_text_style(p, s),
      .width = width,
      .leading = s->leading,
      .first_indent = first_indent,
      .align = text_align_from(align),
      .compress_punct = true,
      .no_lone_char = s->avoid_lone_char,
      .words = words,
  };
}

static const text_paragraph *set_text_in(paginator *p, arena *a,
                                         const char *text, src_pos pos,
                                         const layout_style *s, double width,
                                         double first_indent,
                                         layout_align align, bool words) {
  text_para_spec spec = text_spec(p, s, width, first_indent, align, words);
  return text_break(p->shaper, &spec, text, strlen(text), pos, a, p->d);
}

/* set_text_in at a trial width: the lines' count and widths, no glyphs. */
static const text_paragraph *try_text_in(paginator *p, arena *a,
                                         const char *text, src_pos pos,
                                         const layout_style *s, double width,
                                         layout_align align, bool words) {
  text_para_spec spec = text_spec(p, s, width, 0, align, words);
  spec.measure_only = true;
  return text_break(p->shaper, &spec, text, strlen(text), pos, a, p->d);
}

static const text_paragraph *set_text(paginator *p, const char *text,
                                      src_pos pos, const layout_style *s,
                                      double width, double first_indent,
                                      layout_align align) {
  return set_text_in(p, p->a, text, pos, s, width, first_indent, align,
                     false);
}

/* A style on a character grid over a frame: its pitch as tracking, its
 * em indents in pitches, its leading the frame's height over its lines.
 * The style itself if it has no grid. */
static const layout_style *on_grid(paginator *p, const layout_style *s,
                                   double frame_w, double frame_h,
                                   double *tracking) {
  *tracking = s->grid_chars ? frame_w / s->grid_chars - s->size : 0;
  if (!s->grid_chars && !s->grid_lines)
    return s;
  /* one copy per style and frame (their font roles are cached by style) */
  for (size_t i = 0; i < p->ngrid; i++)
    if (p->grid[i].from == s && p->grid[i].w == frame_w &&
        p->grid[i].h == frame_h)
      return p->grid[i].style;
  layout_style *g = ARENA_NEW(p->a, layout_style);
  XGROW(p->grid, p->capgrid, p->ngrid + 1);
  p->grid[p->ngrid++] = (grid_style){s, frame_w, frame_h, g};
  *g = *s;
  if (s->grid_chars) {
    double pitch = frame_w / s->grid_chars;
    double f = pitch / s->size;
    g->first_indent *= f;
    g->left_indent *= f;
    g->right_indent *= f;
  }
  if (s->grid_lines)
    g->leading = frame_h / s->grid_lines;
  return g;
}

/* A table cell's text: broken between words, and a wrapped centred cell
 * (a header) balanced — as narrow as it can be in as many lines — so that
 * its lines are of even length. */
static const text_paragraph *set_cell_text(paginator *p, const block_cell *c,
                                           const layout_style *s,
                                           double inner) {
  const text_paragraph *para =
      set_text_in(p, p->a, c->text, c->pos, s, inner, 0, c->align, true);
  if (para->nlines < 2 || c->align != ALIGN_CENTER)
    return para;
  arena *scratch = arena_new();
  /* Never narrower than its widest piece, which would break inside it;
   * unless the piece is wider than the cell (a text ICU has no words
   * for), which breaks inside it anyway. */
  double lo = text_cell_extent(p->shaper, paginator_text_style(p, s), c->text,
                               strlen(c->text), true, c->pos, scratch, p->d)
                  .widest_piece,
         hi = inner;
  if (lo > inner)
    lo = 0;
  for (int i = 0; i < 12 && hi - lo > 0.25; i++) {
    double mid = (lo + hi) / 2;
    const text_paragraph *q =
        try_text_in(p, scratch, c->text, c->pos, s, mid, c->align, true);
    if (q->nlines <= para->nlines && q->natural_width <= mid + 0.01)
      hi = mid;
    else
      lo = mid;
  }
  arena_drop(scratch);
  if (hi < inner - 0.25) {
    /* Centred in the cell at the balanced width. */
    const text_paragraph *q =
        set_text_in(p, p->a, c->text, c->pos, s, hi, 0, c->align, true);
    text_paragraph *moved = ARENA_NEW(p->a, text_paragraph);
    *moved = *q;
    text_line *lines = ARENA_ARRAY(p->a, text_line, q->nlines);
    for (size_t k = 0; k < q->nlines; k++) {
      lines[k] = q->lines[k];
      lines[k].x += (inner - hi) / 2;
      text_run *runs = ARENA_ARRAY(p->a, text_run, lines[k].nruns);
      for (size_t j = 0; j < lines[k].nruns; j++) {
        runs[j] = q->lines[k].runs[j];
        runs[j].x += (inner - hi) / 2;
      }
      lines[k].runs = runs;
    }
    moved->lines = lines;
    return moved;
  }
  return para;
}

/* The style at a table's size step: size and leading scaled. */
static const layout_style *scaled(paginator *p, const layout_style *s,
                                  double factor) {
  if (!s || factor == 1)
    return s;
  for (size_t i = 0; i < p->nscaled; i++)
    if (p->scaled[i].from == s && p->scaled[i].factor == factor)
      return p->scaled[i].style;
  layout_style *c = ARENA_NEW(p->a, layout_style);
  *c = *s;
  c->size = s->size * factor;
  c->leading = s->leading * factor;
  XGROW(p->scaled, p->capscaled, p->nscaled + 1);
  p->scaled[p->nscaled++] = (scaled_style){s, factor, c};
  return c;
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
                        double scale, const block_row *row, int r, mrow *out,
                        too_wide *narrow, double pad_v) {
  out->ncells = row->ncells;
  out->cells = ARENA_ARRAY(p->a, mcell, (size_t)row->ncells);
  for (int i = 0; i < row->ncells; i++) {
    const block_cell *c = &row->cells[i];
    mcell *m = &out->cells[i];
    m->cell = c;
    m->style = scaled(p, c->style, scale);
    m->row = r;
    int end = c->col + c->colspan;
    if (c->col < 0 || end > bt->ncols) {
      diag_error(p->d, DIAG_LAYOUT, c->pos,
                 "a cell spans past the table's %d columns", bt->ncols);
      end = c->col < 0 ? 0 : bt->ncols;
    }
    m->x = cx[c->col < 0 ? 0 : c->col];
    m->width = cx[end] - m->x;
    const layout_style *st = m->style;
    double room = m->width - 2 * bt->padding.h - c->indent * scale;
    double inner = room < st->size ? st->size : room;
    /* (inner: one character at least, so that breaking never loops) */
    if (c->nowrap) {
      /* A figure split over two lines could be misread: set it whole, or
       * say that its column is too narrow. */
      m->para = set_text(p, c->text, c->pos, st, 0, 0, c->align);
      if (m->para->natural_width > room + 0.01)
        note_too_wide(narrow, bt->ncols, m, room);
      else if (c->align != ALIGN_LEFT)
        m->para = set_text(p, c->text, c->pos, st, inner, 0, c->align);
    } else {
      m->para = set_cell_text(p, c, st, inner);
    }
    m->need = m->para->height + 2 * pad_v;
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
    double lead = tallest->style->leading;
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

/* ---------------------------------------------------------------- widths
 * Columns sized by their content, as HTML's automatic table layout and
 * LaTeX's tabularx do: each column needs at least its widest unbreakable
 * piece (a figure, a code, a header word) and would like its widest
 * line; a cell spanning columns spreads what it needs over them.  If
 * every column can have what it would like, the width left over goes to
 * the columns with a `share`; if not, each gets what it needs plus part
 * of the rest in proportion to what more it would like (names wrap, and
 * headers between words); if not even the needs fit, the table steps down
 * a size where the layout allows, and is an error only at the smallest. */

typedef struct col_need {
  double lo, want; /* pt, padding included */
  double body;     /* what the body cells would like: served before the
                      headers, so that names stay on one line while
                      headers wrap */
} col_need;

/* What one cell needs (lo) and would like (want), at a size step. */
static col_need cell_need(paginator *p, arena *scratch, const block_table *bt,
                          const block_cell *c, double scale) {
  const layout_style *st = scaled(p, c->style, scale);
  double pad = 2 * bt->padding.h + c->indent * scale;
  col_need n = {pad, pad, 0};
  if (!c->text || !*c->text)
    return n;
  /* want: on one line; lo: its widest piece (a nowrap cell: the line) */
  text_extent e =
      text_cell_extent(p->shaper, paginator_text_style(p, st), c->text,
                       strlen(c->text), !c->nowrap, c->pos, scratch, p->d);
  n.want += e.one_line;
  n.lo += c->nowrap ? e.one_line : e.widest_piece;
  return n;
}

static void need_rows(paginator *p, arena *scratch, const block_table *bt,
                      const block_row *rows, int nrows, double scale,
                      col_need *cols, int span, bool body, double room) {
  for (int r = 0; r < nrows; r++)
    for (int i = 0; i < rows[r].ncells; i++) {
      const block_cell *c = &rows[r].cells[i];
      int n = c->colspan < 1 ? 1 : c->colspan;
      if (n != span || c->col < 0 || c->col + n > bt->ncols)
        continue;
      col_need need = cell_need(p, scratch, bt, c, scale);
      /* A text longer than the table is wide wraps whatever the widths:
       * it asks for no more than any other. */
      bool one_line = body && need.want <= room / 2;
      if (n == 1) {
        if (need.lo > cols[c->col].lo)
          cols[c->col].lo = need.lo;
        if (need.want > cols[c->col].want)
          cols[c->col].want = need.want;
        if (one_line && need.want > cols[c->col].body)
          cols[c->col].body = need.want;
        continue;
      }
      /* Spread what the spanned columns lack over them: what they need
       * evenly, what they would like by their shares (a long text across
       * a sheet widens its text columns, not its figures). */
      double lo = 0, want = 0, bw = 0, shares = 0;
      for (int k = c->col; k < c->col + n; k++) {
        lo += cols[k].lo, want += cols[k].want, bw += cols[k].body;
        if (!(bt->columns[k].width > 0))
          shares += bt->columns[k].share;
      }
      for (int k = c->col; k < c->col + n; k++) {
        double part = shares > 0 ? (bt->columns[k].width > 0
                                        ? 0
                                        : bt->columns[k].share / shares)
                                 : 1.0 / n;
        if (need.lo > lo)
          cols[k].lo += (need.lo - lo) / n;
        if (need.want > want)
          cols[k].want += (need.want - want) * part;
        if (one_line && need.want > bw)
          cols[k].body += (need.want - bw) * part;
      }
    }
}

static int widest_span(const block_row *rows, int nrows) {
  int w = 1;
  for (int r = 0; r < nrows; r++)
    for (int i = 0; i < rows[r].ncells; i++)
      if (rows[r].cells[i].colspan > w)
        w = rows[r].cells[i].colspan;
  return w;
}

/* The needs of every column at a size step, the layout's bounds applied. */
static void column_needs(paginator *p, const block_table *bt, double scale,
                         double room, col_need *cols) {
  arena *scratch = arena_new();
  int ncols = bt->ncols;
  for (int i = 0; i < ncols; i++)
    cols[i] = (col_need){0, 0, 0};
  int widest = widest_span(bt->head, bt->nhead);
  int wb = widest_span(bt->body, bt->nbody);
  if (wb > widest)
    widest = wb;
  for (int span = 1; span <= widest && span <= ncols; span++) {
    need_rows(p, scratch, bt, bt->head, bt->nhead, scale, cols, span, false,
              room);
    need_rows(p, scratch, bt, bt->body, bt->nbody, scale, cols, span, true,
              room);
  }
  arena_drop(scratch);
  for (int i = 0; i < ncols; i++) {
    const block_column *c = &bt->columns[i];
    col_need *n = &cols[i];
    if (c->width > 0) {
      n->lo = n->want = n->body = c->width;
      continue;
    }
    if (n->lo < c->min)
      n->lo = c->min;
    if (n->want < n->lo)
      n->want = n->lo;
    if (c->max > 0 && n->want > c->max)
      n->want = c->max > n->lo ? c->max : n->lo;
    if (n->body < n->lo)
      n->body = n->lo;
    if (n->body > n->want)
      n->body = n->want;
  }
}

/* Give `spare` to the columns by weight, none beyond its cap (0: no
 * cap), a capped column's part going to the others; returns what is left
 * once every column with weight is capped. */
static double fill(int n, double *w, const double *weight, const double *cap,
                   double spare) {
  bool *done = xcalloc((size_t)n, sizeof *done);
  for (int round = 0; round < n + 1 && spare > 0.001; round++) {
    double total = 0;
    for (int i = 0; i < n; i++)
      if (!done[i] && weight[i] > 0)
        total += weight[i];
    if (total <= 0)
      break;
    double given = 0;
    bool capped = false;
    for (int i = 0; i < n; i++) {
      if (done[i] || weight[i] <= 0)
        continue;
      double part = spare * weight[i] / total;
      if (cap && w[i] + part >= cap[i]) {
        part = cap[i] > w[i] ? cap[i] - w[i] : 0;
        done[i] = capped = true;
      }
      w[i] += part;
      given += part;
    }
    spare -= given;
    if (!capped)
      break;
  }
  free(done);
  return spare > 0.001 ? spare : 0;
}

/* Widths for a frame `room` wide; false if not even the needs fit.  Every
 * column gets what it needs; then each grows towards what its body cells
 * would like, then its header, in proportion to what it lacks; what is
 * still left goes by share. */
static bool distribute(const block_table *bt, const col_need *cols,
                       double room, double *w) {
  int n = bt->ncols;
  double lo = 0, shares = 0;
  double *weight = xmalloc(sizeof *weight * (size_t)n);
  double *cap = xmalloc(sizeof *cap * (size_t)n);
  for (int i = 0; i < n; i++) {
    w[i] = cols[i].lo;
    lo += cols[i].lo;
    cap[i] = cols[i].want;
    if (!(bt->columns[i].width > 0))
      shares += bt->columns[i].share;
  }
  bool ok = lo <= room + 0.01;
  if (ok) {
    double spare = room - lo;
    for (int i = 0; i < n; i++) {
      cap[i] = cols[i].body;
      weight[i] = bt->columns[i].width > 0 ? 0 : cap[i] - w[i];
    }
    spare = fill(n, w, weight, cap, spare);
    for (int i = 0; i < n; i++) {
      cap[i] = cols[i].want;
      weight[i] = bt->columns[i].width > 0 ? 0 : cap[i] - w[i];
    }
    spare = fill(n, w, weight, cap, spare);
    for (int i = 0; i < n; i++)
      weight[i] = bt->columns[i].width > 0 ? 0
                  : shares > 0             ? bt->columns[i].share
                                           : cols[i].want;
    fill(n, w, weight, NULL, spare);
  }
  free(weight);
  free(cap);
  return ok;
}

/* Too wide even at the smallest step: one error per column that cannot
 * have what it needs out of its fair part of the frame. */
static void report_columns(paginator *p, const block_table *bt,
                           const col_need *cols, double room, double scale) {
  double lo = 0;
  for (int i = 0; i < bt->ncols; i++)
    lo += cols[i].lo;
  diag_error(p->d, DIAG_LAYOUT, bt->widths_pos,
             "the table's columns need %.1fmm%s, the type area is "
             "%.1fmm wide: %.1fmm missing (allow a smaller size with "
             "'smaller:', or lower the columns' minimums)",
             lo * 25.4 / 72, scale < 1 ? " at its smallest size" : "",
             room * 25.4 / 72, (lo - room) * 25.4 / 72);
  for (int i = 0; i < bt->ncols; i++) {
    double fair = cols[i].lo * room / lo;
    if (cols[i].lo <= fair + 0.01)
      continue;
    const block_column *c = &bt->columns[i];
    diag_report(p->d, DIAG_NOTE, DIAG_LAYOUT, c->pos,
                "column%s%s needs %.1fmm, %.1fmm more than its part of "
                "the width",
                *c->title ? " " : "", c->title, cols[i].lo * 25.4 / 72,
                (cols[i].lo - fair) * 25.4 / 72);
  }
}

/* A table of fixed widths that allows smaller sizes: the first size at
 * which every figure and code fits its column. */
static double fixed_scale(paginator *p, const block_table *bt,
                          double frame_w) {
  (void)frame_w;
  arena *scratch = arena_new();
  double scale = 1;
  for (int step = 0; step <= bt->nscales; step++) {
    scale = step ? bt->scales[step - 1] : 1;
    bool fits = true;
    for (int r = 0; r < bt->nbody && fits; r++)
      for (int i = 0; i < bt->body[r].ncells && fits; i++) {
        const block_cell *c = &bt->body[r].cells[i];
        if (!c->nowrap || c->col < 0 || c->col + c->colspan > bt->ncols)
          continue;
        double room = -2 * bt->padding.h - c->indent * scale;
        for (int k = c->col; k < c->col + c->colspan; k++)
          room += bt->widths[k];
        fits = cell_need(p, scratch, bt, c, scale).want -
                   2 * bt->padding.h - c->indent * scale <=
               room + 0.01;
      }
    if (fits)
      break;
  }
  arena_drop(scratch);
  return scale;
}

/* Column widths of a sized table and the size step it is set at. */
static double size_columns(paginator *p, const block_table *bt,
                           double frame_w, double *w) {
  col_need *cols = xmalloc(sizeof *cols * (size_t)bt->ncols);
  double scale = 1;
  bool ok = false;
  /* The first size at which every body cell that can be one line is
   * (names: they read across the row); else the smallest. */
  for (int step = 0; step <= bt->nscales; step++) {
    scale = step ? bt->scales[step - 1] : 1;
    column_needs(p, bt, scale, frame_w, cols);
    double body = 0;
    for (int i = 0; i < bt->ncols; i++)
      body += cols[i].body;
    if (body <= frame_w + 0.01)
      break;
    /* Nowhere on one line: the smallest size wraps least. */
  }
  ok = distribute(bt, cols, frame_w, w);
  if (!ok) {
    report_columns(p, bt, cols, frame_w, scale);
    /* go on at the needs, so that the rest is still checked */
    for (int i = 0; i < bt->ncols; i++)
      w[i] = cols[i].lo;
  }
  free(cols);
  return scale;
}

static mtable *measure_table(paginator *p, const block *b, double frame_w,
                             double frame_h) {
  const block_table *bt = &b->u.table;
  mtable *t = ARENA_NEW(p->a, mtable);
  t->bt = bt;
  t->scale = 1;
  const double *widths = bt->widths;
  if (bt->columns) {
    double *w = ARENA_ARRAY(p->a, double, (size_t)bt->ncols);
    t->scale = size_columns(p, bt, frame_w, w);
    widths = w;
  } else if (bt->nscales) {
    t->scale = fixed_scale(p, bt, frame_w);
  }
  double *cx = ARENA_ARRAY(p->a, double, (size_t)bt->ncols + 1);
  for (int i = 0; i < bt->ncols; i++)
    cx[i + 1] = cx[i] + widths[i];
  t->width = cx[bt->ncols];
  /* Centred in the frame when narrower; a wider table was refused by the
   * layout stage. */
  t->x0 = t->width < frame_w ? (frame_w - t->width) / 2 : 0;
  too_wide *narrow = xcalloc((size_t)bt->ncols + 1, sizeof *narrow);
  /* Header text keeps its own distance from the rules (3pt: FORMAT.md) */
  double head_v = bt->head_padding > bt->padding.v ? bt->head_padding
                                                   : bt->padding.v;
  t->head = ARENA_ARRAY(p->a, mrow, (size_t)bt->nhead);
  t->head_h = ARENA_ARRAY(p->a, double, (size_t)bt->nhead);
  for (int r = 0; r < bt->nhead; r++)
    measure_row(p, bt, cx, t->scale, &bt->head[r], r, &t->head[r], narrow,
                head_v);
  double min_h = bt->min_row_height * t->scale;
  size_rows(t->head, bt->nhead, min_h, t->head_h, NULL, NULL);
  t->repeat = ARENA_ARRAY(p->a, mrow, (size_t)bt->nrepeat);
  t->repeat_h = ARENA_ARRAY(p->a, double, (size_t)bt->nrepeat);
  for (int r = 0; r < bt->nrepeat; r++)
    measure_row(p, bt, cx, t->scale, &bt->repeat[r], r, &t->repeat[r],
                narrow, bt->repeat == bt->head ? head_v : bt->padding.v);
  size_rows(t->repeat, bt->nrepeat, min_h, t->repeat_h, NULL, NULL);
  t->body = ARENA_ARRAY(p->a, mrow, (size_t)bt->nbody);
  t->body_h = ARENA_ARRAY(p->a, double, (size_t)bt->nbody);
  int nspans = (bt->keep_rows > 1 ? 1 : 0) + 1;
  for (int r = 0; r < bt->nbody; r++) {
    measure_row(p, bt, cx, t->scale, &bt->body[r], r, &t->body[r], narrow,
                bt->padding.v);
    for (int i = 0; i < bt->body[r].ncells; i++)
      nspans += bt->body[r].cells[i].rowspan > 1;
  }
  t->spans = ARENA_ARRAY(p->a, mspan, (size_t)nspans);
  size_rows(t->body, bt->nbody, min_h, t->body_h, t->spans, &t->nspans);
  if (bt->keep_rows > 1) /* a span needing no height only ties rows */
    t->spans[t->nspans++] =
        (mspan){0, bt->keep_rows < bt->nbody ? bt->keep_rows : bt->nbody, 0};
  /* No last row (a total) alone on a continuation page: it keeps the row
   * before it. */
  if (bt->borders && bt->nbody >= 3)
    t->spans[t->nspans++] = (mspan){bt->nbody - 2, bt->nbody, 0};
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
  double tracking;
  s = on_grid(p, s, ms->width, ms->height, &tracking);
  double width = ms->width - s->left_indent - s->right_indent - right_reserve;
  it->b = b;
  it->style = s;
  it->x = s->left_indent;
  it->toc_entry = entry;
  text_para_spec spec = {
      .style = paginator_text_style(p, s),
      .width = width,
      .leading = s->leading,
      .first_indent = s->first_indent,
      .align = text_align_from(s->align),
      .compress_punct = true,
      .no_lone_char = s->avoid_lone_char,
      .tracking = tracking,
      .max_spread = s->max_spread,
  };
  /* a grid pitch within 0.1% of the em is no grid: no float noise */
  if (fabs(tracking) < s->size * 1e-3)
    spec.tracking = 0;
  it->para = text_break(p->shaper, &spec, text, strlen(text), b->pos, p->a,
                        p->d);
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
        /* No entry of a part at a page's foot without its first entry,
         * and no last entry alone on a page of its own. */
        if (e + 1 < p->ntoc &&
            (e + 2 == p->ntoc || p->toc[e + 1].level > p->toc[e].level))
          ms->blocks[ms->n - 1].keep_with_next = true;
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
