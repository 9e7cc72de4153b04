/* SPDX-License-Identifier: MIT */
/* load.c — read a layout file into the structs of layout_imp.h.
 *
 * Every key is checked against what its mapping allows (typos are errors,
 * with a "did you mean"), every style and page reference is resolved, and
 * every length is converted to points here, so expansion and pagination
 * never see an unchecked value.  Errors are reported and loading goes on,
 * so one run shows them all. */
#include "layout_imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
  layout *l;
  diag *d;
} reader;

static void err(reader *r, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(reader *r, src_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(r->d, DIAG_ERROR, DIAG_SCHEMA, pos, fmt, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------- scalars */

/* The text of an optional scalar (NULL if absent or reported). */
static const char *scalar_text(reader *r, const ynode *n, const char *what) {
  return n ? ynode_scalar(n, what, r->d) : NULL;
}

static ltemplate template_at(reader *r, const ynode *map, const char *key) {
  const ynode *n = ymap_lookup(map, key);
  ltemplate t = {NULL, {0}};
  if (!n)
    return t;
  t.text = scalar_text(r, n, key);
  t.pos = n->pos;
  return t;
}

static const char *string_at(reader *r, const ynode *map, const char *key) {
  return scalar_text(r, ymap_lookup(map, key), key);
}

static bool bool_at(reader *r, const ynode *map, const char *key, bool dflt) {
  const ynode *n = ymap_lookup(map, key);
  bool v = dflt;
  if (n)
    ynode_bool(n, key, &v, r->d);
  return v;
}

static int int_at(reader *r, const ynode *map, const char *key, int dflt,
                  int min, int max) {
  const ynode *n = ymap_lookup(map, key);
  if (!n)
    return dflt;
  const char *t = scalar_text(r, n, key);
  if (!t)
    return dflt;
  char *end;
  long v = strtol(t, &end, 10);
  if (!*t || *end || v < min || v > max) {
    err(r, n->pos, "%s must be a whole number from %d to %d, not '%s'", key,
        min, max, t);
    return dflt;
  }
  return (int)v;
}

/* Chinese type sizes by name (FORMAT.md). */
static const struct {
  const char *name;
  double pt;
} type_sizes[] = {
    {"初号", 42}, {"小初", 36}, {"一号", 26}, {"小一", 24}, {"二号", 22},
    {"小二", 18}, {"三号", 16}, {"小三", 15}, {"四号", 14}, {"小四", 12},
    {"五号", 10.5}, {"小五", 9}, {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},
    {"八号", 5},
};

/* The range a length may take.  Every length key states one (LAYOUT.md,
 * "Values"): nothing below may meet a zero leading, a negative space or a
 * width beyond any page, and every product of these lengths that later
 * becomes a count or a PDF number stays far inside what an int and libharu
 * hold.  A PDF page is at most 14400pt each way. */
typedef struct length_range {
  double min, max; /* points */
  const char *why; /* said after the range, or NULL */
} length_range;

#define LAYOUT_MAX_LENGTH 14400.0
static const length_range range_space = {0, LAYOUT_MAX_LENGTH, NULL};
static const length_range range_width = {1, LAYOUT_MAX_LENGTH, NULL};
static const length_range range_page = {3, LAYOUT_MAX_LENGTH,
                                        "the limits of a PDF page"};
static const length_range range_size = {1, 200, NULL};
static const length_range range_leading = {1, 1000, NULL};
static const length_range range_padding = {0, 100, NULL};
static const length_range range_rule = {0, 20, NULL};

/* "14400pt (5080mm)": a limit as a finance office's layout writer reads it. */
static void put_limit(bbuf *b, double pt) {
  if (pt >= 72)
    bbuf_printf(b, "%gpt (%gmm)", pt, round(pt * 25.4 / 72 * 10) / 10);
  else
    bbuf_printf(b, "%gpt", pt);
}

static bool length_in_range(reader *r, const ynode *n, const char *what,
                            const char *text, double v, length_range range) {
  if (isfinite(v) && v >= range.min && v <= range.max)
    return true;
  bbuf msg = {0};
  bbuf_printf(&msg, "%s must be between ", what);
  put_limit(&msg, range.min);
  bbuf_puts(&msg, " and ");
  put_limit(&msg, range.max);
  if (range.why)
    bbuf_printf(&msg, ", %s", range.why);
  else
    bbuf_printf(&msg, ", not '%s'", text);
  err(r, n->pos, "%s", msg.data);
  bbuf_free(&msg);
  return false;
}

/* A length: "37mm", "2.5cm", "28.9pt", "2em" (needs em > 0), "2字" (= em)
 * or a bare number of points, within range (else reported, *out kept). */
static bool parse_length(reader *r, const ynode *n, double em, double *out,
                         const char *what, length_range range) {
  const char *t = scalar_text(r, n, what);
  if (!t)
    return false;
  char *end;
  double v = strtod(t, &end);
  /* strtod also reads "0x1p4", "inf", "nan" and leading spaces: a length
   * is written in decimal digits only. */
  if (end == t || !isfinite(v) || strspn(t, "+-0123456789.eE") < (size_t)(end - t)) {
    err(r, n->pos, "%s must be a length such as 12pt, 7mm or 2em, not '%s'",
        what, t);
    return false;
  }
  double scale;
  if (!*end || !strcmp(end, "pt"))
    scale = 1;
  else if (!strcmp(end, "mm"))
    scale = 72.0 / 25.4;
  else if (!strcmp(end, "cm"))
    scale = 720.0 / 25.4;
  else if (!strcmp(end, "in"))
    scale = 72;
  else if (!strcmp(end, "em") || !strcmp(end, "字")) {
    if (em <= 0) {
      err(r, n->pos, "%s: em has no meaning here; give pt or mm", what);
      return false;
    }
    scale = em;
  } else {
    err(r, n->pos, "%s: unknown unit '%s' (use pt, mm, cm, in or em)", what,
        end);
    return false;
  }
  double pt = v * scale + 0.0; /* + 0.0: "-0pt" is 0, not -0 */
  if (!length_in_range(r, n, what, t, pt, range))
    return false;
  *out = pt;
  return true;
}

/* The length under key, or dflt when it is absent or reported. */
static double length_at(reader *r, const ynode *map, const char *key,
                        double em, double dflt, length_range range) {
  const ynode *n = ymap_lookup(map, key);
  double v = dflt;
  if (n)
    parse_length(r, n, em, &v, key, range);
  return v;
}

static bool parse_font_size(reader *r, const ynode *n, double *out) {
  const char *t = scalar_text(r, n, "size");
  if (!t)
    return false;
  for (size_t i = 0; i < sizeof type_sizes / sizeof *type_sizes; i++)
    if (!strcmp(t, type_sizes[i].name)) {
      *out = type_sizes[i].pt;
      return true;
    }
  return parse_length(r, n, 0, out, "size", range_size);
}

static bool parse_align(reader *r, const ynode *n, layout_align *out) {
  static const char *const names[] = {"left", "center", "right", "justify",
                                      NULL};
  const char *t = scalar_text(r, n, "align");
  if (!t)
    return false;
  for (int i = 0; names[i]; i++)
    if (!strcmp(t, names[i])) {
      *out = (layout_align)i;
      return true;
    }
  const char *near = diag_suggest(r->d, t, names);
  err(r, n->pos, "align must be left, center, right or justify, not '%s'%s%s%s",
      t, near ? _("; did you mean '") : "", near ? near : "",
      near ? _("'?") : "");
  return false;
}

static bool expect(reader *r, const ynode *n, ynode_kind k, const char *what) {
  return n && ynode_expect(n, k, what, r->d);
}

static bool check_keys(reader *r, const ynode *map, const char *const *keys,
                       const char *what) {
  if (!expect(r, map, YNODE_MAP, what))
    return false;
  ymap_check_keys(map, keys, what, r->d);
  return true;
}

static const ynode *required(reader *r, const ynode *map, const char *key,
                             const char *what) {
  return ymap_require(map, key, what, r->d);
}

/* ---------------------------------------------------------------- styles */

static size_t name_hash(const char *s) {
  size_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

/* Styles by name: a layout of thousands of styles and references must
 * not compare every reference with every style. */
static void index_styles(layout *l) {
  size_t cap = 16;
  while (cap < 2 * (size_t)l->nstyles + 1)
    cap *= 2;
  l->style_index = ARENA_ARRAY(l->arena, int, cap);
  for (size_t i = 0; i < cap; i++)
    l->style_index[i] = -1;
  l->style_index_cap = cap;
  l->style_names = ARENA_ARRAY(l->arena, const char *, (size_t)l->nstyles + 1);
  for (int i = 0; i < l->nstyles; i++) {
    l->style_names[i] = l->styles[i].name;
    size_t h = name_hash(l->styles[i].name) & (cap - 1);
    while (l->style_index[h] >= 0 &&
           strcmp(l->styles[l->style_index[h]].name, l->styles[i].name))
      h = (h + 1) & (cap - 1);
    if (l->style_index[h] < 0) /* the first of a name given twice wins */
      l->style_index[h] = i;
  }
}

const layout_style *layout_lookup_style(const layout *l, const char *name) {
  if (!l->style_index_cap)
    return NULL;
  for (size_t h = name_hash(name) & (l->style_index_cap - 1);
       l->style_index[h] >= 0; h = (h + 1) & (l->style_index_cap - 1))
    if (!strcmp(l->styles[l->style_index[h]].name, name))
      return &l->styles[l->style_index[h]];
  return NULL;
}

static const layout_style *style_ref(reader *r, const ynode *n) {
  const char *t = scalar_text(r, n, "style");
  if (!t)
    return NULL;
  const layout_style *s = layout_lookup_style(r->l, t);
  if (s)
    return s;
  const char *const *names = r->l->style_names;
  static const char *const none[] = {NULL};
  if (!names)
    names = none;
  const char *near = diag_suggest(r->d, t, names);
  if (near)
    err(r, n->pos, "no style named '%s'; did you mean '%s'?", t, near);
  else
    err(r, n->pos, "no style named '%s' in styles", t);
  return NULL;
}

static const layout_style *style_at(reader *r, const ynode *map,
                                    const char *key,
                                    const layout_style *dflt) {
  const ynode *n = ymap_lookup(map, key);
  if (!n)
    return dflt;
  const layout_style *s = style_ref(r, n);
  return s ? s : dflt;
}

static void read_style(reader *r, const ypair *p, layout_style *s) {
  static const char *const keys[] = {
      "font",   "size",         "leading",      "align",
      "indent", "left-indent",  "right-indent", "space-before",
      "space-after", "keep-with-next", "avoid-lone-char",
      "characters-per-line", "lines-per-page",
      "max-spread", NULL};
  s->name = p->key->u.scalar.text;
  s->pos = p->key->pos;
  s->font = ""; /* read_styles compares fonts even when this one is bad */
  if (!check_keys(r, p->value, keys, "a style"))
    return;
  const ynode *m = p->value;
  s->font = string_at(r, m, "font");
  const ynode *font = ymap_lookup(m, "font");
  s->font_pos = font ? font->pos : m->pos;
  if (!s->font) {
    if (!font)
      err(r, m->pos, "missing key 'font' in style '%s'", s->name);
    s->font = "";
  } else if (!*s->font) {
    err(r, font->pos,
        "style '%s': font must name a font role of the fonts file (宋体, "
        "黑体 …), not ''",
        s->name);
  }
  const ynode *size = ymap_lookup(m, "size");
  s->size = 10.5;
  if (!size)
    err(r, m->pos, "missing key 'size' in style '%s'", s->name);
  else
    parse_font_size(r, size, &s->size);
  s->leading = length_at(r, m, "leading", s->size, s->size * 1.2, range_leading);
  const ynode *al = ymap_lookup(m, "align");
  s->align = ALIGN_LEFT;
  if (al)
    parse_align(r, al, &s->align);
  s->first_indent = length_at(r, m, "indent", s->size, 0, range_space);
  s->left_indent = length_at(r, m, "left-indent", s->size, 0, range_space);
  s->right_indent = length_at(r, m, "right-indent", s->size, 0, range_space);
  s->space_before = length_at(r, m, "space-before", s->size, 0, range_space);
  s->space_after = length_at(r, m, "space-after", s->size, 0, range_space);
  s->keep_with_next = bool_at(r, m, "keep-with-next", false);
  s->avoid_lone_char = bool_at(r, m, "avoid-lone-char", true);
  s->grid_chars = int_at(r, m, "characters-per-line", 0, 1, 200);
  s->grid_lines = int_at(r, m, "lines-per-page", 0, 1, 500);
  /* clreq: a justified line loose by more than this is rebroken */
  s->max_spread =
      length_at(r, m, "max-spread", s->size, 0.15 * s->size, range_space);
  const ynode *ms = ymap_lookup(m, "max-spread");
  if (ms && (s->max_spread < 0.01 * s->size || s->max_spread > s->size)) {
    err(r, ms->pos, "max-spread must be between 0.01em and 1em");
    s->max_spread = 0.15 * s->size;
  }
}

static void read_styles(reader *r, const ynode *n) {
  if (!expect(r, n, YNODE_MAP, "styles"))
    return;
  layout *l = r->l;
  l->nstyles = (int)n->u.map.count;
  l->styles = ARENA_ARRAY(l->arena, layout_style, (size_t)l->nstyles);
  for (int i = 0; i < l->nstyles; i++)
    read_style(r, &n->u.map.pairs[i], &l->styles[i]);
  index_styles(l);
  /* The font roles used, for the text stage to resolve up front: each
   * once, in the order of first use (a hash set of the roles seen). */
  l->roles = ARENA_ARRAY(l->arena, const char *, (size_t)l->nstyles + 1);
  l->role_pos = ARENA_ARRAY(l->arena, src_pos, (size_t)l->nstyles + 1);
  size_t cap = 16;
  while (cap < 2 * (size_t)l->nstyles + 1)
    cap *= 2;
  const char **seen = xcalloc(cap, sizeof *seen);
  int nroles = 0;
  for (int i = 0; i < l->nstyles; i++) {
    const char *font = l->styles[i].font;
    if (!*font)
      continue;
    size_t h = name_hash(font) & (cap - 1);
    while (seen[h] && strcmp(seen[h], font))
      h = (h + 1) & (cap - 1);
    if (!seen[h]) {
      seen[h] = font;
      l->role_pos[nroles] = l->styles[i].font_pos;
      l->roles[nroles++] = font;
    }
  }
  free(seen);
}

/* ---------------------------------------------------------------- pages */

static void read_page(reader *r, const ypair *p, layout_page *pg) {
  static const char *const keys[] = {"size", "margins", "turned", NULL};
  static const char *const margin_keys[] = {"top", "bottom", "left", "right",
                                            NULL};
  pg->name = p->key->u.scalar.text;
  pg->pos = p->key->pos;
  const ynode *m = p->value;
  if (!check_keys(r, m, keys, "a page"))
    return;
  const ynode *size = required(r, m, "size", "a page");
  if (size && expect(r, size, YNODE_SEQ, "size")) {
    if (size->u.seq.count != 2)
      err(r, size->pos, "size must be [width, height]");
    else {
      static const char *const what[] = {"width", "height"};
      double *dim[] = {&pg->sheet_width, &pg->sheet_height};
      for (int i = 0; i < 2; i++)
        /* libharu (and PDF readers) refuse pages outside these bounds */
        parse_length(r, size->u.seq.items[i], 0, dim[i], what[i], range_page);
    }
  }
  const ynode *mg = required(r, m, "margins", "a page");
  if (mg && check_keys(r, mg, margin_keys, "margins")) {
    pg->margin_top = length_at(r, mg, "top", 0, 0, range_space);
    pg->margin_bottom = length_at(r, mg, "bottom", 0, 0, range_space);
    pg->margin_left = length_at(r, mg, "left", 0, 0, range_space);
    pg->margin_right = length_at(r, mg, "right", 0, 0, range_space);
  }
  pg->turned = bool_at(r, m, "turned", false);
  if (pg->sheet_width > 0 && pg->sheet_height > 0 &&
      (layout_page_content_width(pg) < 36 ||
       layout_page_content_height(pg) < 36))
    err(r, m->pos, "page '%s': the margins leave no room for content",
        pg->name);
}

static void read_pages(reader *r, const ynode *n) {
  if (!expect(r, n, YNODE_MAP, "pages"))
    return;
  layout *l = r->l;
  l->npages = (int)n->u.map.count;
  l->pages = ARENA_ARRAY(l->arena, layout_page, (size_t)l->npages);
  for (int i = 0; i < l->npages; i++)
    read_page(r, &n->u.map.pairs[i], &l->pages[i]);
}

double layout_page_content_width(const layout_page *p) {
  double w = p->sheet_width - p->margin_left - p->margin_right;
  double h = p->sheet_height - p->margin_top - p->margin_bottom;
  return p->turned ? h : w;
}

double layout_page_content_height(const layout_page *p) {
  double w = p->sheet_width - p->margin_left - p->margin_right;
  double h = p->sheet_height - p->margin_top - p->margin_bottom;
  return p->turned ? w : h;
}

static const layout_page *page_ref(reader *r, const ynode *n) {
  const char *t = scalar_text(r, n, "page");
  if (!t)
    return NULL;
  for (int i = 0; i < r->l->npages; i++)
    if (!strcmp(r->l->pages[i].name, t))
      return &r->l->pages[i];
  err(r, n->pos, "no page named '%s' in pages", t);
  return NULL;
}

/* ---------------------------------------------------------------- folio */

/* The page number stays at one spot of every sheet (the folio's page
 * setup); a page setup whose type area reaches down to it would have its
 * table or text drawn over the number: an error at the folio, once per
 * page setup. */
static void check_folio_clear(reader *r) {
  const layout *l = r->l;
  if (!l->has_folio || !l->folio.style)
    return;
  for (int i = 0; i < l->npages; i++) {
    const layout_page *pg = &l->pages[i];
    bool numbered = false;
    for (int k = 0; k < l->nsections && !numbered; k++)
      numbered = l->sections[k].page == pg && l->sections[k].folio;
    if (!numbered)
      continue;
    const layout_page *fr = l->folio.frame ? l->folio.frame : pg;
    double middle = fr->sheet_height - fr->margin_bottom + l->folio.below;
    double top = middle - l->folio.style->size / 2;
    double area_bottom = pg->sheet_height - pg->margin_bottom;
    if (top < area_bottom - 0.01)
      err(r, l->folio.pos,
          "the page number would stand %.1fmm inside the type area of page "
          "'%s' (its bottom margin is %.1fmm); give that page a bottom "
          "margin of at least %.1fmm",
          (area_bottom - top) * 25.4 / 72, pg->name,
          pg->margin_bottom * 25.4 / 72,
          (pg->sheet_height - top) * 25.4 / 72);
  }
}

static void read_folio(reader *r, const ynode *n) {
  static const char *const keys[] = {"text", "style", "below", "inset",
                                     "page", NULL};
  layout *l = r->l;
  if (!check_keys(r, n, keys, "folio"))
    return;
  ltemplate t = template_at(r, n, "text");
  if (!t.text) {
    err(r, n->pos, "missing key 'text' in folio");
    return;
  }
  const ynode *st = required(r, n, "style", "folio");
  const layout_style *s = st ? style_ref(r, st) : NULL;
  if (!s)
    return;
  l->folio.text = t.text;
  l->folio.pos = t.pos;
  l->folio.style = s;
  l->folio.below = length_at(r, n, "below", s->size, 7 * 72 / 25.4, range_space);
  l->folio.inset = length_at(r, n, "inset", s->size, s->size, range_space);
  const ynode *pg = ymap_lookup(n, "page");
  l->folio.frame = pg ? page_ref(r, pg) : NULL;
  l->folio_pos = n->pos;
  l->has_folio = true;
}

/* ---------------------------------------------------------------- tables */

/* "2pt" for all sides, or [vertical, horizontal]. */
static cell_padding padding_at(reader *r, const ynode *m, cell_padding dflt) {
  const ynode *n = ymap_lookup(m, "padding");
  if (!n)
    return dflt;
  cell_padding p = dflt;
  if (n->kind == YNODE_SEQ) {
    if (n->u.seq.count != 2)
      err(r, n->pos, "padding is one length or [vertical, horizontal]");
    else if (parse_length(r, n->u.seq.items[0], 0, &p.v, "padding",
                          range_padding))
      parse_length(r, n->u.seq.items[1], 0, &p.h, "padding", range_padding);
  } else if (parse_length(r, n, 0, &p.v, "padding", range_padding)) {
    p.h = p.v;
  }
  return p;
}

static const char *const look_keys[] = {
    "label-style", "title-style", "meta",     "note-style", "cell-style",
    "head-style",  "total-style", "continued", "padding",   "rule",
    "min-row-height", "space-after", "smaller", "head-padding", NULL};

static bool is_look_key(const char *k) {
  for (int i = 0; look_keys[i]; i++)
    if (!strcmp(look_keys[i], k))
      return true;
  return false;
}

/* `smaller: [小五, 六号]`: the font sizes a table may step down to, each
 * smaller than the one before. */
static void smaller_at(reader *r, const ynode *m, const double **out,
                       int *nout) {
  const ynode *n = ymap_lookup(m, "smaller");
  if (!n || !expect(r, n, YNODE_SEQ, "smaller"))
    return;
  double *sizes = ARENA_ARRAY(r->l->arena, double, n->u.seq.count + 1);
  int k = 0;
  for (size_t i = 0; i < n->u.seq.count; i++) {
    double v;
    if (!parse_font_size(r, n->u.seq.items[i], &v))
      continue;
    if (k > 0 && v >= sizes[k - 1]) {
      err(r, n->u.seq.items[i]->pos,
          "smaller sizes go down: each is smaller than the one before");
      continue;
    }
    sizes[k++] = v;
  }
  *out = sizes;
  *nout = k;
}

/* Read the look keys present in m over a copy of `base`. */
static layout_table_look read_look(reader *r, const ynode *m,
                                   layout_table_look base) {
  static const char *const meta_keys[] = {"left", "right", "style", NULL};
  static const char *const cont_keys[] = {"text", "style", NULL};
  layout_table_look k = base;
  k.label_style = style_at(r, m, "label-style", k.label_style);
  k.title_style = style_at(r, m, "title-style", k.title_style);
  k.note_style = style_at(r, m, "note-style", k.note_style);
  k.cell = style_at(r, m, "cell-style", k.cell);
  k.head = style_at(r, m, "head-style", k.head);
  k.total = style_at(r, m, "total-style", k.total);
  const ynode *meta = ymap_lookup(m, "meta");
  if (meta && check_keys(r, meta, meta_keys, "meta")) {
    if (ymap_lookup(meta, "left"))
      k.meta_left = template_at(r, meta, "left");
    if (ymap_lookup(meta, "right"))
      k.meta_right = template_at(r, meta, "right");
    k.meta_style = style_at(r, meta, "style", k.meta_style);
  }
  const ynode *cont = ymap_lookup(m, "continued");
  if (cont && check_keys(r, cont, cont_keys, "continued")) {
    k.continued = template_at(r, cont, "text");
    k.continued_style = style_at(r, cont, "style", k.continued_style);
  }
  k.padding = padding_at(r, m, k.padding);
  k.head_padding =
      length_at(r, m, "head-padding", 0, k.head_padding, range_padding);
  k.rule = length_at(r, m, "rule", 0, k.rule, range_rule);
  k.min_row_height =
      length_at(r, m, "min-row-height", 0, k.min_row_height, range_space);
  k.space_after = length_at(r, m, "space-after", 0, k.space_after, range_space);
  smaller_at(r, m, &k.smaller, &k.nsmaller);
  return k;
}

static void read_table_defaults(reader *r, const ynode *n) {
  if (!check_keys(r, n, look_keys, "table-defaults"))
    return;
  layout_table_look base = {.padding = {2, 2}, .rule = 0.5};
  r->l->table_look = read_look(r, n, base);
}

/* A column's width: `width: 24mm` fixes it; otherwise it is sized by its
 * content, within `min` and `max`, taking `share` parts of what is left.
 * Lengths here are absolute (no em: a table may change size). */
static void read_sizing(reader *r, const ynode *m, double *width, double *min,
                        double *max, double *share) {
  const ynode *w = ymap_lookup(m, "width");
  if (w)
    parse_length(r, w, 0, width, "width", range_width);
  *min = length_at(r, m, "min", 0, 0, range_space);
  *max = length_at(r, m, "max", 0, 0, range_space);
  const ynode *sh = ymap_lookup(m, "share");
  if (sh) {
    const char *t = scalar_text(r, sh, "share");
    char *end;
    double v = t ? strtod(t, &end) : 0;
    if (t && (end == t || *end || !isfinite(v) || v < 0 || v > 1000))
      err(r, sh->pos, "share must be a number from 0 to 1000, not '%s'", t);
    else
      *share = v;
  }
  if (w && (ymap_lookup(m, "min") || ymap_lookup(m, "max") || sh))
    err(r, w->pos, "a column has a fixed 'width' or 'min'/'max'/'share', "
                   "not both");
  if (*max > 0 && *max < *min)
    err(r, m->pos, "max is less than min");
}

/* Columns are read breadth-first into arena arrays; the tree is shallow
 * (bounded by the YAML depth limit), so recursion here is bounded too. */
static void read_columns(reader *r, const ynode *seq, layout_column **out,
                         int *nout, int depth, double em);

/* em is the body cell style's size, for indents given in em. */
static void read_column(reader *r, const ynode *m, layout_column *c,
                        int depth, double em) {
  static const char *const keys[] = {"title", "columns", "field", "width",
                                     "min",   "max",     "share", "align",
                                     "decimals", "indent", NULL};
  if (!check_keys(r, m, keys, "a column"))
    return;
  c->pos = m->pos;
  c->title = string_at(r, m, "title");
  if (!c->title)
    c->title = "";
  c->decimals = -1;
  const ynode *kids = ymap_lookup(m, "columns");
  if (kids) {
    if (ymap_lookup(m, "field"))
      err(r, m->pos, "a column has either 'columns' or 'field', not both");
    read_columns(r, kids, &c->children, &c->nchildren, depth + 1, em);
    return;
  }
  const ynode *f = ymap_lookup(m, "field");
  if (!f) {
    err(r, m->pos, "column '%s' has neither 'field' nor 'columns'", c->title);
    return;
  }
  c->field = scalar_text(r, f, "field");
  c->field_pos = f->pos;
  read_sizing(r, m, &c->width, &c->min_width, &c->max_width, &c->share);
  const ynode *al = ymap_lookup(m, "align");
  if (al)
    c->align_set = parse_align(r, al, &c->align);
  c->decimals = int_at(r, m, "decimals", -1, 0, 6);
  c->indent = length_at(r, m, "indent", em, 0, range_space);
}

static void read_columns(reader *r, const ynode *seq, layout_column **out,
                         int *nout, int depth, double em) {
  if (!expect(r, seq, YNODE_SEQ, "columns"))
    return;
  if (depth > 6) {
    err(r, seq->pos, "columns nest deeper than 6 header rows");
    return;
  }
  *nout = (int)seq->u.seq.count;
  *out = ARENA_ARRAY(r->l->arena, layout_column, seq->u.seq.count);
  for (size_t i = 0; i < seq->u.seq.count; i++)
    read_column(r, seq->u.seq.items[i], &(*out)[i], depth, em);
}

static void read_totals(reader *r, const ynode *seq, layout_table *t) {
  static const char *const keys[] = {"label", "at", NULL};
  if (!expect(r, seq, YNODE_SEQ, "total"))
    return;
  t->ntotals = (int)seq->u.seq.count;
  t->totals = ARENA_ARRAY(r->l->arena, layout_total, seq->u.seq.count);
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *m = seq->u.seq.items[i];
    if (!check_keys(r, m, keys, "a total"))
      continue;
    t->totals[i].label = template_at(r, m, "label");
    t->totals[i].at = string_at(r, m, "at");
    t->totals[i].pos = m->pos;
    if (!t->totals[i].label.text || !t->totals[i].at)
      err(r, m->pos, "a total needs 'label' and 'at'");
  }
}

static void read_table(reader *r, const ynode *m, layout_table *t) {
  static const char *const own_keys[] = {"data", "label", "title", "toc",
                                         "columns", "total", "empty-rows",
                                         "import-sheets", NULL};
  if (!expect(r, m, YNODE_MAP, "table"))
    return;
  /* The table's own keys plus any look key. */
  for (size_t i = 0; i < m->u.map.count; i++) {
    const ynode *k = m->u.map.pairs[i].key;
    bool known = is_look_key(k->u.scalar.text);
    for (int j = 0; own_keys[j] && !known; j++)
      known = !strcmp(own_keys[j], k->u.scalar.text);
    if (!known) {
      const char *all[32];
      int n = 0;
      for (int j = 0; own_keys[j]; j++)
        all[n++] = own_keys[j];
      for (int j = 0; look_keys[j]; j++)
        all[n++] = look_keys[j];
      all[n] = NULL;
      const char *near = diag_suggest(r->d, k->u.scalar.text, all);
      if (near)
        err(r, k->pos, "unknown key '%s' in a table; did you mean '%s'?",
            k->u.scalar.text, near);
      else
        err(r, k->pos, "unknown key '%s' in a table", k->u.scalar.text);
    }
  }
  const ynode *data = required(r, m, "data", "a table");
  t->data = data ? scalar_text(r, data, "data") : NULL;
  t->data_pos = data ? data->pos : m->pos;
  t->label = template_at(r, m, "label");
  t->title = template_at(r, m, "title");
  t->toc = int_at(r, m, "toc", 0, 0, 4);
  t->look = read_look(r, m, r->l->table_look);
  if (!t->look.cell || !t->look.head)
    err(r, m->pos, "a table needs cell-style and head-style "
                   "(here or in table-defaults)");
  const ynode *cols = required(r, m, "columns", "a table");
  if (cols)
    read_columns(r, cols, &t->columns, &t->ncolumns, 1,
                 t->look.cell ? t->look.cell->size : 0);
  const ynode *tot = ymap_lookup(m, "total");
  if (tot)
    read_totals(r, tot, t);
  t->empty_rows = int_at(r, m, "empty-rows", 0, 0, 100);
  const ynode *sheets = ymap_lookup(m, "import-sheets");
  size_t nsheets;
  if (sheets)
    t->import_sheets = ynode_string_list(r->l->arena, sheets, "import-sheets",
                                         true, &nsheets, r->d);
}

/* ---------------------------------------------------------------- sheets */

static void read_grid_row(reader *r, const ynode *seq, layout_grid_row *row,
                          int ncols) {
  static const char *const keys[] = {"text",  "field",    "span", "style",
                                     "align", "decimals", "merge", "default",
                                     NULL};
  if (!expect(r, seq, YNODE_SEQ, "a grid row"))
    return;
  row->pos = seq->pos;
  row->ncells = (int)seq->u.seq.count;
  row->cells = ARENA_ARRAY(r->l->arena, layout_grid_cell, seq->u.seq.count);
  int span_total = 0;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *m = seq->u.seq.items[i];
    layout_grid_cell *c = &row->cells[i];
    c->span = 1;
    c->decimals = -1;
    if (!check_keys(r, m, keys, "a grid cell"))
      continue;
    c->pos = m->pos;
    c->text = template_at(r, m, "text");
    c->field = string_at(r, m, "field");
    if (!!c->text.text == !!c->field)
      err(r, m->pos, "a grid cell has either 'text' or 'field'");
    c->span = int_at(r, m, "span", 1, 1, 64);
    c->style = style_at(r, m, "style", NULL);
    const ynode *al = ymap_lookup(m, "align");
    if (al)
      c->align_set = parse_align(r, al, &c->align);
    c->decimals = int_at(r, m, "decimals", -1, 0, 6);
    c->merge = bool_at(r, m, "merge", false);
    c->fallback = template_at(r, m, "default");
    if (c->fallback.text && !c->field)
      err(r, c->fallback.pos, "'default' is for a cell that shows a field");
    span_total += c->span;
  }
  if (ncols > 0 && span_total != ncols)
    err(r, seq->pos, "the cells of this row span %d columns; the grid has %d",
        span_total, ncols);
}

static layout_sheets *read_sheets(reader *r, const ynode *m) {
  static const char *const keys[] = {
      "new-page", "title", "subtitle", "cell-style", "head-style", "widths",
      "header", "repeat-header", "row", "padding", "rule", "space-after",
      "smaller", NULL};
  static const char *const text_keys[] = {"text", "style", NULL};
  if (!check_keys(r, m, keys, "sheets"))
    return NULL;
  layout_sheets *s = ARENA_NEW(r->l->arena, layout_sheets);
  s->pos = m->pos;
  s->new_page = bool_at(r, m, "new-page", false);
  const ynode *t = ymap_lookup(m, "title");
  if (t && check_keys(r, t, text_keys, "title")) {
    s->title = template_at(r, t, "text");
    s->title_style = style_at(r, t, "style", NULL);
  }
  t = ymap_lookup(m, "subtitle");
  if (t && check_keys(r, t, text_keys, "subtitle")) {
    s->subtitle = template_at(r, t, "text");
    s->subtitle_style = style_at(r, t, "style", NULL);
  }
  if ((s->title.text && !s->title_style) ||
      (s->subtitle.text && !s->subtitle_style))
    err(r, m->pos, "sheet title and subtitle need a style");
  s->cell = style_at(r, m, "cell-style", NULL);
  s->head = style_at(r, m, "head-style", s->cell);
  if (!s->cell)
    err(r, m->pos, "missing key 'cell-style' in sheets");
  const ynode *w = required(r, m, "widths", "sheets");
  if (w && expect(r, w, YNODE_SEQ, "widths")) {
    s->ncols = (int)w->u.seq.count;
    s->widths = ARENA_ARRAY(r->l->arena, double, w->u.seq.count);
    s->columns = ARENA_ARRAY(r->l->arena, block_column, w->u.seq.count);
    s->widths_pos = w->pos;
    /* Each a length (fixed) or {min, max, share} (sized by content). */
    static const char *const col_keys[] = {"min", "max", "share", NULL};
    for (size_t i = 0; i < w->u.seq.count; i++) {
      const ynode *c = w->u.seq.items[i];
      block_column *bc = &s->columns[i];
      bc->pos = c->pos;
      bc->title = "";
      if (c->kind == YNODE_MAP) {
        if (check_keys(r, c, col_keys, "a grid column"))
          read_sizing(r, c, &bc->width, &bc->min, &bc->max, &bc->share);
      } else {
        parse_length(r, c, 0, &bc->width, "width", range_width);
      }
      s->widths[i] = bc->width > 0 ? bc->width : bc->min;
    }
  }
  smaller_at(r, m, &s->smaller, &s->nsmaller);
  const ynode *h = ymap_lookup(m, "header");
  if (h && expect(r, h, YNODE_SEQ, "header")) {
    s->nheader = (int)h->u.seq.count;
    s->header = ARENA_ARRAY(r->l->arena, layout_grid_row, h->u.seq.count);
    for (size_t i = 0; i < h->u.seq.count; i++)
      read_grid_row(r, h->u.seq.items[i], &s->header[i], s->ncols);
  }
  s->repeat_header = int_at(r, m, "repeat-header", 0, 0, s->nheader);
  const ynode *row = required(r, m, "row", "sheets");
  if (row)
    read_grid_row(r, row, &s->row, s->ncols);
  s->padding = padding_at(r, m, r->l->table_look.padding);
  s->rule = length_at(r, m, "rule", 0, r->l->table_look.rule, range_rule);
  s->space_after = length_at(r, m, "space-after", 0, 0, range_space);
  return s;
}

/* ---------------------------------------------------------------- blocks */

static void read_heading_styles(reader *r, const ynode *n, lblock *b) {
  if (n->kind == YNODE_SCALAR) {
    b->u.text.heading[0] = style_ref(r, n);
    b->u.text.nheading = 1;
    return;
  }
  if (!expect(r, n, YNODE_SEQ, "heading"))
    return;
  if (n->u.seq.count > 4) {
    err(r, n->pos, "at most 4 heading levels");
    return;
  }
  b->u.text.nheading = (int)n->u.seq.count;
  for (size_t i = 0; i < n->u.seq.count; i++)
    b->u.text.heading[i] = style_ref(r, n->u.seq.items[i]);
}

/* The block readers; blocks.c's table calls them by kind. */

void read_space_block(reader *r, const ynode *v, lblock *b) {
  parse_length(r, v, 0, &b->u.space, "space", range_space);
}

void read_nothing_block(reader *r, const ynode *v, lblock *b) {
  (void)r, (void)v, (void)b;
}

void read_paragraph_block(reader *r, const ynode *v, lblock *b) {
  const char *kind = lblock_kinds[b->kind].name;
  static const char *const keys[] = {"text", "style", "toc", "toc-text",
                                     NULL};
  if (!check_keys(r, v, keys, kind))
    return;
  b->u.para.text = template_at(r, v, "text");
  if (!b->u.para.text.text)
    err(r, v->pos, "missing key 'text' in %s", kind);
  const ynode *st = required(r, v, "style", kind);
  b->u.para.style = st ? style_ref(r, st) : NULL;
  b->u.para.toc = int_at(r, v, "toc", 0, 0, 4);
  b->u.para.toc_text = template_at(r, v, "toc-text");
}

void read_toc_block(reader *r, const ynode *v, lblock *b) {
  static const char *const keys[] = {"title", "style", "levels", "leader",
                                     NULL};
  if (!check_keys(r, v, keys, "toc"))
    return;
  b->u.toc.title = template_at(r, v, "title");
  b->u.toc.title_style = style_at(r, v, "style", NULL);
  const ynode *lv = required(r, v, "levels", "toc");
  if (lv && expect(r, lv, YNODE_SEQ, "levels")) {
    if (lv->u.seq.count < 1 || lv->u.seq.count > 4)
      err(r, lv->pos, "toc levels: give 1 to 4 styles");
    else {
      b->u.toc.nlevels = (int)lv->u.seq.count;
      for (size_t i = 0; i < lv->u.seq.count; i++)
        b->u.toc.levels[i] = style_ref(r, lv->u.seq.items[i]);
    }
  }
  b->u.toc.leader = string_at(r, v, "leader");
  if (!b->u.toc.leader)
    b->u.toc.leader = "";
  if (b->u.toc.title.text && !b->u.toc.title_style)
    err(r, v->pos, "toc has a title but no 'style'");
}

/* The part a block shows: `data:`, required. */
static const char *data_at(reader *r, const ynode *v, const char *kind,
                           src_pos *pos) {
  const ynode *data = required(r, v, "data", kind);
  *pos = data ? data->pos : v->pos;
  return data ? scalar_text(r, data, "data") : NULL;
}

/* numbering: ["一、", "（一）", "1."]: one pattern per depth, each with
 * the place of its number (一 for Chinese numerals, 1 for digits). */
static void read_numbering(reader *r, const ynode *n, lblock *b) {
  size_t count;
  const char **list =
      ynode_string_list(r->l->arena, n, "numbering", false, &count, r->d);
  if (!list)
    return;
  if (count > 4) {
    err(r, n->pos, "at most 4 numbering levels");
    return;
  }
  for (size_t i = 0; i < count; i++)
    if (!strstr(list[i], "一") && !strchr(list[i], '1')) {
      err(r, n->u.seq.items[i]->pos,
          "numbering '%s' has no place for the number (一 or 1)", list[i]);
      return;
    }
  b->u.text.numbering = list;
  b->u.text.nnumbering = (int)count;
}

/* text-sections and entries: a part's title, headings and paragraphs;
 * sections also the descriptions and sheets they insert. */
void read_text_block(reader *r, const ynode *v, lblock *b) {
  const char *kind = lblock_kinds[b->kind].name;
  static const char *const section_keys[] = {
      "data", "title", "heading", "paragraph", "toc", "descriptions",
      "sheets", "numbering", NULL};
  static const char *const entry_keys[] = {"data", "title", "paragraph",
                                           NULL};
  if (!check_keys(r, v, b->kind == LB_ENTRIES ? entry_keys : section_keys,
                  kind))
    return;
  b->u.text.data = data_at(r, v, kind, &b->u.text.data_pos);
  b->u.text.title = style_at(r, v, "title", NULL);
  const ynode *h = ymap_lookup(v, "heading");
  if (h)
    read_heading_styles(r, h, b);
  const ynode *para = required(r, v, "paragraph", kind);
  b->u.text.paragraph = para ? style_ref(r, para) : NULL;
  b->u.text.toc = int_at(r, v, "toc", 0, 0, 4);
  b->u.text.descriptions.paragraph = b->u.text.paragraph;
  const ynode *desc = ymap_lookup(v, "descriptions");
  if (desc) {
    static const char *const dkeys[] = {"paragraph", "space-between", "text",
                                        NULL};
    if (check_keys(r, desc, dkeys, "descriptions")) {
      b->u.text.descriptions.paragraph =
          style_at(r, desc, "paragraph", b->u.text.paragraph);
      b->u.text.descriptions.space_between =
          length_at(r, desc, "space-between", 0, 0, range_space);
      b->u.text.descriptions.text = template_at(r, desc, "text");
    }
  }
  const ynode *sh = ymap_lookup(v, "sheets");
  if (sh)
    b->u.text.sheets = read_sheets(r, sh);
  const ynode *num = ymap_lookup(v, "numbering");
  if (num)
    read_numbering(r, num, b);
}

void read_table_block(reader *r, const ynode *v, lblock *b) {
  read_table(r, v, &b->u.table);
}

void read_fields_block(reader *r, const ynode *v, lblock *b) {
  static const char *const keys[] = {"data", "style", "space-before", NULL};
  if (!check_keys(r, v, keys, "fields"))
    return;
  b->u.fields.data = data_at(r, v, "fields", &b->u.fields.data_pos);
  const ynode *st = required(r, v, "style", "fields");
  b->u.fields.style = st ? style_ref(r, st) : NULL;
  b->u.fields.space_before =
      length_at(r, v, "space-before", 0, 0, range_space);
}

static void read_block(reader *r, const ynode *item, lblock *b) {
  b->pos = item->pos;
  if (item->kind == YNODE_SCALAR && !strcmp(item->u.scalar.text, "page-break")) {
    b->kind = LB_PAGE_BREAK;
    return;
  }
  if (!expect(r, item, YNODE_MAP, "a content block"))
    return;
  if (item->u.map.count != 1) {
    err(r, item->pos, "a content block is a mapping with one key, its kind");
    return;
  }
  const ypair *p = &item->u.map.pairs[0];
  const char *kind = p->key->u.scalar.text;
  const char *names[LB_NKINDS + 1];
  int k = -1;
  for (int i = 0; i < LB_NKINDS; i++) {
    names[i] = lblock_kinds[i].name;
    if (!strcmp(names[i], kind))
      k = i;
  }
  names[LB_NKINDS] = NULL;
  if (k < 0) {
    const char *near = diag_suggest(r->d, kind, names);
    if (near)
      err(r, p->key->pos, "unknown block kind '%s'; did you mean '%s'?", kind,
          near);
    else
      err(r, p->key->pos,
          "unknown block kind '%s'; a part of the data is shown by "
          "text-sections, entries or fields with 'data: <part>'",
          kind);
    return;
  }
  b->kind = (lblock_kind)k;
  lblock_kinds[k].read(r, p->value, b);
}

static void read_section(reader *r, const ynode *item, lsection *s) {
  static const char *const keys[] = {"page", "folio", "first-page-number",
                                     "bookmark", "content", NULL};
  s->pos = item->pos;
  if (!expect(r, item, YNODE_MAP, "a document entry"))
    return;
  const ynode *sec = ymap_lookup(item, "section");
  if (item->u.map.count != 1 || !sec) {
    err(r, item->pos, "a document entry is a mapping with the key 'section'");
    return;
  }
  if (!check_keys(r, sec, keys, "a section"))
    return;
  const ynode *pg = required(r, sec, "page", "a section");
  s->page = pg ? page_ref(r, pg) : NULL;
  s->folio = bool_at(r, sec, "folio", true);
  s->first_page_number = int_at(r, sec, "first-page-number", 0, 1, 100000);
  s->bookmark = string_at(r, sec, "bookmark");
  const ynode *content = required(r, sec, "content", "a section");
  if (!content || !expect(r, content, YNODE_SEQ, "content"))
    return;
  s->nblocks = (int)content->u.seq.count;
  s->blocks = ARENA_ARRAY(r->l->arena, lblock, content->u.seq.count);
  for (size_t i = 0; i < content->u.seq.count; i++)
    read_block(r, content->u.seq.items[i], &s->blocks[i]);
}

static void read_document(reader *r, const ynode *n) {
  if (!expect(r, n, YNODE_SEQ, "document"))
    return;
  layout *l = r->l;
  l->nsections = (int)n->u.seq.count;
  l->sections = ARENA_ARRAY(l->arena, lsection, n->u.seq.count);
  for (size_t i = 0; i < n->u.seq.count; i++)
    read_section(r, n->u.seq.items[i], &l->sections[i]);
  if (!l->nsections)
    err(r, n->pos, "document has no sections");
}

/* ---------------------------------------------------------------- file */

static void read_info(reader *r, const ynode *n) {
  static const char *const keys[] = {"title", "author", "subject", "keywords",
                                     "date", NULL};
  if (!check_keys(r, n, keys, "info"))
    return;
  const ynode *date = ymap_lookup(n, "date");
  static const char *const date_keys[] = {"text", "reads", NULL};
  if (date && check_keys(r, date, date_keys, "info date")) {
    r->l->info_date.text = template_at(r, date, "text");
    r->l->info_date.reads = template_at(r, date, "reads");
    if (!r->l->info_date.text.text || !r->l->info_date.reads.text)
      err(r, date->pos, "info date needs 'text' (e.g. \"{<part>.<field>}\") "
                        "and 'reads' (e.g. \"{year}年{month}月{day}日\")");
  }
  r->l->info_title = template_at(r, n, "title");
  r->l->info_author = template_at(r, n, "author");
  r->l->info_subject = template_at(r, n, "subject");
  r->l->info_keywords = template_at(r, n, "keywords");
}

static layout *layout_from_tree(layout *l, const ynode *root, diag *d,
                                int errors_before);

/* import: {note: [备注, 注：], year: "{year}年"} */
static void read_import(reader *r, const ynode *n) {
  static const char *const keys[] = {"note", "year", NULL};
  if (!check_keys(r, n, keys, "import"))
    return;
  const ynode *note = ymap_lookup(n, "note");
  if (note && expect(r, note, YNODE_SEQ, "import note")) {
    size_t k;
    r->l->import_note = ynode_string_list(r->l->arena, note, "import note",
                                          true, &k, r->d);
    for (size_t i = 0; r->l->import_note && r->l->import_note[i]; i++)
      if (!*r->l->import_note[i])
        err(r, note->u.seq.items[i]->pos,
            "import note: an empty start would make every line a note");
  }
  const ynode *year = ymap_lookup(n, "year");
  if (year) {
    const char *t = scalar_text(r, year, "import year");
    const char *at = t ? strstr(t, "{year}") : NULL;
    if (t && (!at || strstr(at + 1, "{year}") || strchr(t, '{') != at ||
              strchr(at + 6, '{')))
      err(r, year->pos,
          "import year: \"%s\" must hold {year} once and no other "
          "placeholder (e.g. \"{year}年\")",
          t);
    else
      r->l->import_year = t;
  }
}

layout *layout_load(const char *path, diag *d) {
  layout *l = xcalloc(1, sizeof *l);
  l->arena = arena_new();
  l->path = arena_strdup(l->arena, path);
  int errors_before = diag_error_count(d);
  return layout_from_tree(l, yaml_tree_load(l->arena, path, NULL, d), d,
                          errors_before);
}

layout *layout_parse(const char *name, const char *bytes, size_t len,
                     diag *d) {
  layout *l = xcalloc(1, sizeof *l);
  l->arena = arena_new();
  l->path = arena_strdup(l->arena, name);
  int errors_before = diag_error_count(d);
  return layout_from_tree(
      l, yaml_tree_parse(l->arena, name, bytes, len, NULL, d), d,
      errors_before);
}

/* A style's indents must leave room for text, and its spaces and leading
 * must fit, on the smallest type area of the layout's pages: a line
 * narrower than nothing, or a space taller than any page, would lose the
 * text after it (lines drawn off the page).  Checked against every page,
 * as a style does not say where it is used; reported at the style. */
static void check_styles_fit_pages(reader *r) {
  const layout *l = r->l;
  const layout_page *narrow = NULL, *low = NULL;
  for (int i = 0; i < l->npages; i++) {
    const layout_page *pg = &l->pages[i];
    if (!(pg->sheet_width > 0 && pg->sheet_height > 0) ||
        layout_page_content_width(pg) < 36 ||
        layout_page_content_height(pg) < 36)
      continue; /* reported with the page */
    if (!narrow || layout_page_content_width(pg) <
                       layout_page_content_width(narrow))
      narrow = pg;
    if (!low || layout_page_content_height(pg) <
                    layout_page_content_height(low))
      low = pg;
  }
  if (!narrow)
    return;
  const double mm = 25.4 / 72;
  double width = layout_page_content_width(narrow);
  double height = layout_page_content_height(low);
  for (int i = 0; i < l->nstyles; i++) {
    const layout_style *s = &l->styles[i];
    double inside = s->left_indent + s->right_indent;
    double first = inside + s->first_indent;
    /* At least one em of text on every line. */
    if ((first > inside ? first : inside) + s->size > width)
      err(r, s->pos,
          "style '%s': its indents (%.1fmm, first line %.1fmm) leave less "
          "than one character of the %.1fmm type area of page '%s'",
          s->name, inside * mm, first * mm, width * mm, narrow->name);
    static const char *const what[] = {"leading", "space-before",
                                       "space-after"};
    double v[] = {s->leading, s->space_before, s->space_after};
    for (int k = 0; k < 3; k++)
      if (v[k] > height)
        err(r, s->pos,
            "style '%s': its %s (%.1fmm) is taller than the %.1fmm type "
            "area of page '%s'",
            s->name, what[k], v[k] * mm, height * mm, low->name);
  }
}

/* Read the whole layout from its YAML tree; NULL tree means the YAML
 * already failed (and was reported). */
static layout *layout_from_tree(layout *l, const ynode *root, diag *d,
                                int errors_before) {
  static const char *const keys[] = {"schema", "info",  "pages",  "folio",
                                     "styles", "table-defaults", "shared",
                                     "omit", "import", "document", NULL};
  reader r = {l, d};
  if (!root)
    goto fail;
  if (!check_keys(&r, root, keys, "the layout"))
    goto fail;
  const ynode *schema = required(&r, root, "schema", "the layout");
  l->schema = schema ? scalar_text(&r, schema, "schema") : NULL;
  const ynode *n;
  if ((n = ymap_lookup(root, "info")))
    read_info(&r, n);
  /* Styles first: pages, folio and tables refer to them. */
  if ((n = required(&r, root, "styles", "the layout")))
    read_styles(&r, n);
  if ((n = required(&r, root, "pages", "the layout")))
    read_pages(&r, n);
  check_styles_fit_pages(&r);
  if ((n = ymap_lookup(root, "folio")))
    read_folio(&r, n);
  l->table_look = (layout_table_look){.padding = {2, 2}, .rule = 0.5};
  if ((n = ymap_lookup(root, "table-defaults")))
    read_table_defaults(&r, n);
  if ((n = ymap_lookup(root, "shared")))
    expect(&r, n, YNODE_MAP, "shared"); /* only a home for anchors */
  if ((n = ymap_lookup(root, "import")))
    read_import(&r, n);
  if ((n = ymap_lookup(root, "omit")) && expect(&r, n, YNODE_SEQ, "omit")) {
    /* Tables and parts left out on purpose (a summary, a test layout). */
    size_t k;
    l->omit = ynode_string_list(l->arena, n, "omit", true, &k, d);
    l->nomit = l->omit ? k : 0;
    src_pos *pos = ARENA_ARRAY(l->arena, src_pos, l->nomit + 1);
    for (size_t i = 0; i < l->nomit; i++)
      pos[i] = n->u.seq.items[i]->pos;
    l->omit_pos = pos;
  }
  if ((n = required(&r, root, "document", "the layout"))) {
    l->document_pos = n->pos;
    read_document(&r, n);
  }
  check_folio_clear(&r);
  if (diag_error_count(d) > errors_before)
    goto fail;
  return l;
fail:
  layout_drop(l);
  return NULL;
}

void layout_drop(layout *l) {
  if (!l)
    return;
  arena_drop(l->arena);
  free(l);
}

const char *layout_schema_name(const layout *l) { return l->schema; }

const char *const *layout_font_roles(const layout *l) { return l->roles; }

const src_pos *layout_font_role_positions(const layout *l) {
  return l->role_pos;
}
