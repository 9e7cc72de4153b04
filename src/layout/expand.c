/* SPDX-License-Identifier: MIT */
/* expand.c — a loaded layout + a model → the block tree.
 *
 * Each layout block kind has one function here (section banners below).
 * Fields named by the layout are bound to the model once per table, and a
 * field that does not exist is an error at the layout's position, with a
 * "did you mean".  Amounts are formatted exactly (model_amount_format);
 * one that would lose digits at the layout's decimals is an error at the
 * data's position, because money must print as written. */
#include "layout_imp.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct expander {
  const layout *l;
  const model *m;
  diag *d;
  arena *a;
  block_doc *doc;
  /* The section being built. */
  block *blocks;
  size_t nblocks, capblocks;
  const layout_page *page;
  /* What the blocks placed: data names and the blocks placing them. */
  const char **placed;
  src_pos *placed_at;
  size_t nplaced, capplaced, capplaced_at;
} expander;

static void lerr(expander *x, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lerr(expander *x, src_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(x->d, DIAG_ERROR, DIAG_LAYOUT, pos, fmt, ap);
  va_end(ap);
}

static block *add_block(expander *x, block_kind kind, src_pos pos) {
  XGROW(x->blocks, x->capblocks, x->nblocks + 1);
  block *b = &x->blocks[x->nblocks++];
  memset(b, 0, sizeof *b);
  b->kind = kind;
  b->pos = pos;
  return b;
}

/* ================================================================ templates
 * "{unit}{year}年…": placeholders name document facts.  {page} is left for
 * paginate (folio) and {label} for a table's continued line. */

typedef struct template_var {
  const char *name;
  const char *value; /* NULL: keep the placeholder as written */
} template_var;

/* A placeholder that is no document fact may quote a figure of the model,
 * so a layout can hold boilerplate ("收支总预算{收支总预算}万元"): its
 * value, or NULL.  Something that is plainly an expression ('.' or '(')
 * but does not evaluate is the model's error at the template (*reported). */
static const char *figure_placeholder(expander *x, ltemplate t,
                                      const char *braced, size_t n,
                                      bool *reported) {
  char *msg = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&msg, &len);
  diag *quiet = diag_new(f);
  model_text text = {arena_strndup(x->a, braced, n), {NULL, 0, 0}};
  const char *value = model_text_expand(x->m, &text, x->a, quiet);
  diag_drop(quiet);
  fclose(f);
  const char *error = msg ? strstr(msg, "error: ") : NULL;
  if (!value && error && !memchr(braced, '.', n) &&
      !memchr(braced, '(', n))
    error = NULL; /* {unti}: the unknown-placeholder message says more */
  *reported = !value && error;
  if (*reported)
    lerr(x, t.pos, "%.*s", (int)strcspn(error + 7, "\n"), error + 7);
  free(msg);
  return value;
}

/* Text from the data with its {…} figures filled in (the model checked
 * the expressions when it was loaded). */
static const char *data_text(expander *x, const model_text *t) {
  const char *s = model_text_expand(x->m, t, x->a, x->d);
  return s ? s : t->text;
}

/* {part.field}: a field of one of the data's fields parts (a sign-off's
 * date, say); NULL if name is not one. */
static const model_text *part_field_var(const model *m, const char *name,
                                        size_t n) {
  const char *dot = memchr(name, '.', n);
  if (!dot)
    return NULL;
  for (size_t i = 0; i < m->nparts; i++) {
    const model_part *p = &m->parts[i];
    if (p->kind != MODEL_PART_FIELDS || strlen(p->name) != (size_t)(dot - name) ||
        strncmp(p->name, name, (size_t)(dot - name)))
      continue;
    for (size_t k = 0; k < p->nfields; k++)
      if (strlen(p->fields[k].label.text) == n - (size_t)(dot - name) - 1 &&
          !strncmp(p->fields[k].label.text, dot + 1, n - (size_t)(dot - name) - 1))
        return &p->fields[k].value;
  }
  return NULL;
}

/* {part.field} of a fields part the schema declares but the data left
 * out: that part, else NULL. */
static const model_part *absent_fields_part(const model *m, const char *name,
                                            size_t n) {
  const char *dot = memchr(name, '.', n);
  for (size_t i = 0; dot && i < m->nparts; i++) {
    const model_part *p = &m->parts[i];
    if (p->kind == MODEL_PART_FIELDS && !p->present &&
        strlen(p->name) == (size_t)(dot - name) &&
        !strncmp(p->name, name, (size_t)(dot - name)))
      return p;
  }
  return NULL;
}

static const char *fill_template(expander *x, ltemplate t,
                                 const template_var *extra) {
  if (!t.text)
    return NULL;
  const template_var facts[] = {
      {"unit", x->m->unit.text},
      {"year", x->m->year.text},
      {"amount_unit", x->m->amount_unit.text},
      {"page", NULL},
  };
  bbuf out = {0};
  bbuf_puts(&out, "");
  for (const char *p = t.text; *p;) {
    if (*p != '{') {
      bbuf_append(&out, p++, 1);
      continue;
    }
    const char *close = strchr(p, '}');
    if (!close) {
      lerr(x, t.pos, "unclosed '{' in \"%s\"", t.text);
      break;
    }
    size_t n = (size_t)(close - p - 1);
    const template_var *hit = NULL;
    for (size_t i = 0; i < sizeof facts / sizeof *facts && !hit; i++)
      if (strlen(facts[i].name) == n && !strncmp(facts[i].name, p + 1, n))
        hit = &facts[i];
    for (const template_var *e = extra; e && e->name && !hit; e++)
      if (strlen(e->name) == n && !strncmp(e->name, p + 1, n))
        hit = e;
    const model_text *field = hit ? NULL : part_field_var(x->m, p + 1, n);
    const model_part *absent =
        hit || field ? NULL : absent_fields_part(x->m, p + 1, n);
    if (absent) {
      lerr(x, t.pos,
           "{%.*s}: the data %s has no %s, which the layout prints here "
           "(give the data its %s, or leave {%s.…} out of the layout)",
           (int)n, p + 1, x->m->path, absent->name, absent->name,
           absent->name);
      p = close + 1;
      continue;
    }
    bool reported = false;
    const char *figure = hit || field ? NULL
                                      : figure_placeholder(x, t, p, n + 2,
                                                           &reported);
    if (field) {
      bbuf_puts(&out, field->text ? field->text : "");
    } else if (figure) {
      bbuf_puts(&out, figure);
    } else if (!hit) {
      /* {date} of a layout older than parts: the field is a part's now. */
      const char *part = NULL;
      for (size_t i = 0; !reported && i < x->m->nparts && !part; i++)
        if (x->m->parts[i].kind == MODEL_PART_FIELDS)
          for (size_t k = 0; k < x->m->parts[i].nfields; k++)
            if (strlen(x->m->parts[i].fields[k].label.text) == n &&
                !strncmp(x->m->parts[i].fields[k].label.text, p + 1, n))
              part = x->m->parts[i].name;
      if (reported) {
        /* the model said what is wrong with the expression */
      } else if (part)
        lerr(x, t.pos, "unknown placeholder {%.*s}; did you mean {%s.%.*s}?",
             (int)n, p + 1, part, (int)n, p + 1);
      else
        lerr(x, t.pos,
             "unknown placeholder {%.*s} (known: {unit}, {year}, "
             "{amount_unit}, {page}, {<part>.<field>} of a fields part)",
             (int)n, p + 1);
    } else if (hit->value) {
      bbuf_puts(&out, hit->value);
    } else {
      bbuf_append(&out, p, n + 2);
    }
    p = close + 1;
  }
  const char *s = arena_strdup(x->a, out.data);
  bbuf_free(&out);
  return s;
}

/* Record that the block at pos places the data named `name`. */
static void mark_placed(expander *x, const char *name, src_pos pos) {
  if (!name)
    return;
  XGROW(x->placed, x->capplaced, x->nplaced + 1);
  XGROW(x->placed_at, x->capplaced_at, x->nplaced + 1);
  x->placed[x->nplaced] = name;
  x->placed_at[x->nplaced++] = pos;
}

static void add_paragraph(expander *x, const char *text, src_pos pos,
                          const layout_style *style, int toc) {
  if (!style)
    return; /* the loader reported the missing style */
  block *b = add_block(x, BLOCK_PARAGRAPH, pos);
  b->u.paragraph.text = text ? text : "";
  b->u.paragraph.style = style;
  b->keep_with_next = style->keep_with_next;
  b->toc_level = toc;
  b->bookmark_level = toc;
}

/* A paragraph of the data's text (a section's paragraph, an entry, a
 * field): every one passes here, the one place where text bound to
 * figures is to be filled in. */
static void add_data_paragraph(expander *x, const model_text *t,
                               const layout_style *style) {
  add_paragraph(x, data_text(x, t), t->pos, style, 0);
}

/* ================================================================ tables */

typedef enum field_kind {
  F_AMOUNT,    /* an amount column of the side */
  F_CODE,      /* the whole code */
  F_CODE_PART, /* the code's digits at one level (code.类) */
  F_NAME,      /* 科目名称 or item label */
  F_CODE_NAME, /* "201 一般公共服务支出" */
  F_PROJECT,   /* the project's name as the table prints it */
  F_BLANK      /* unbound (an error was reported) */
} field_kind;

typedef struct bound_field {
  const model_side *side;
  int side_index;
  field_kind kind;
  int index; /* amount column or level */
} bound_field;

/* The leaves of a column tree in column order. */
typedef struct leaf_list {
  const layout_column **items;
  int count, cap;
} leaf_list;

static void collect_leaves(const layout_column *c, int n, leaf_list *out,
                           arena *a) {
  for (int i = 0; i < n; i++) {
    if (c[i].nchildren) {
      collect_leaves(c[i].children, c[i].nchildren, out, a);
      continue;
    }
    if (out->count == out->cap) {
      int cap = out->cap ? out->cap * 2 : 16;
      const layout_column **items = ARENA_ARRAY(a, const layout_column *, (size_t)cap);
      if (out->count)
        memcpy(items, out->items, sizeof *items * (size_t)out->count);
      out->items = items;
      out->cap = cap;
    }
    out->items[out->count++] = &c[i];
  }
}

static const char *const text_fields[] = {"code", "name", "code-name",
                                          "project", NULL};

static void suggest_field(expander *x, src_pos pos, const model_table *t,
                          const model_side *side, const char *name) {
  const char **names = xmalloc(sizeof *names * (side->ncolumns + 8));
  size_t n = 0;
  for (size_t i = 0; i < side->ncolumns; i++)
    names[n++] = side->columns[i];
  for (int i = 0; text_fields[i]; i++)
    names[n++] = text_fields[i];
  names[n] = NULL;
  const char *near = diag_suggest(x->d, name, names);
  if (near)
    lerr(x, pos, "table %s has no field '%s'; did you mean '%s'?", t->id,
         name, near);
  else
    lerr(x, pos, "table %s has no field '%s'", t->id, name);
  free(names);
}

/* Resolve "income.预算数", "code.类", "name" … against table t. */
static bound_field bind_field(expander *x, const model_table *t,
                              const char *field, src_pos pos) {
  bound_field f = {NULL, 0, F_BLANK, 0};
  const char *name = field;
  if (t->nsides > 1) {
    const char *dot = strchr(field, '.');
    for (size_t i = 0; dot && i < t->nsides; i++)
      if (strlen(t->sides[i].id) == (size_t)(dot - field) &&
          !strncmp(t->sides[i].id, field, (size_t)(dot - field))) {
        f.side = &t->sides[i];
        f.side_index = (int)i;
        name = dot + 1;
      }
    if (!f.side) {
      bbuf ids = {0};
      for (size_t i = 0; i < t->nsides; i++)
        bbuf_printf(&ids, "%s%s.", i ? ", " : "", t->sides[i].id);
      lerr(x, pos, "table %s has sides; start the field with one of %s",
           t->id, ids.data);
      bbuf_free(&ids);
      return f;
    }
  } else {
    f.side = &t->sides[0];
  }
  const model_side *s = f.side;
  int col = model_side_column_index(s, name);
  if (col >= 0) {
    f.kind = F_AMOUNT;
    f.index = col;
    return f;
  }
  if (!strcmp(name, "name")) {
    f.kind = F_NAME;
  } else if (!strcmp(name, "code") || !strcmp(name, "code-name") ||
             !strncmp(name, "code.", 5)) {
    if (s->kind != MODEL_ROWS_CODED) {
      lerr(x, pos, "table %s%s%s has no codes; '%s' cannot be shown", t->id,
           s->id ? " side " : "", s->id ? s->id : "", field);
      return f;
    }
    if (!strcmp(name, "code"))
      f.kind = F_CODE;
    else if (!strcmp(name, "code-name"))
      f.kind = F_CODE_NAME;
    else {
      f.kind = F_CODE_PART;
      f.index = -1;
      for (size_t i = 0; i < s->nlevels; i++)
        if (!strcmp(s->levels[i].name, name + 5))
          f.index = (int)i;
      if (f.index < 0) {
        lerr(x, pos, "the codes of table %s have no level '%s'", t->id,
             name + 5);
        f.kind = F_BLANK;
      }
    }
  } else if (!strcmp(name, "project")) {
    f.kind = F_PROJECT;
  } else {
    suggest_field(x, pos, t, s, name);
  }
  return f;
}

static bool field_is_text(field_kind k) { return k != F_AMOUNT && k != F_BLANK; }

/* An amount as the layout prints it, refusing to drop digits. */
static const char *format_amount(expander *x, const model_amount *a,
                                 int decimals, const char *where) {
  if (!a->present)
    return "";
  if (decimals >= 0 && !model_amount_fits(a, decimals)) {
    lerr(x, a->pos,
         "%s: %s has more decimals than the layout prints (%d); "
         "it would be rounded",
         where, a->text ? a->text : "the amount", decimals);
  }
  char buf[64];
  model_amount_format(a, decimals, buf, sizeof buf);
  return arena_strdup(x->a, buf);
}

static void set_cell(block_cell *c, const char *text, src_pos pos,
                     const layout_style *style, layout_align align, int col) {
  c->text = text ? text : "";
  c->pos = pos;
  c->style = style;
  c->align = align;
  c->col = col;
  c->colspan = 1;
  c->rowspan = 1;
}

/* The text of a row's cell for a text field. */
static const char *row_text(expander *x, const model_row *r, bound_field f) {
  switch (f.kind) {
  case F_CODE:
    return r->code ? r->code : "";
  case F_CODE_PART:
    return r->code_parts ? r->code_parts[f.index] : "";
  case F_NAME:
    return r->name.text ? r->name.text : "";
  case F_CODE_NAME:
    if (!r->code)
      return r->name.text ? r->name.text : "";
    return arena_printf(x->a, "%s %s", r->code,
                        r->name.text ? r->name.text : "");
  case F_PROJECT:
    return r->project && r->project->name.text ? r->project->name.text : "";
  case F_AMOUNT:
  case F_BLANK:
    break;
  }
  return "";
}

static layout_align default_align(const layout_column *c, field_kind k) {
  if (c->align_set)
    return c->align;
  if (k == F_AMOUNT)
    return ALIGN_RIGHT;
  if (k == F_CODE_PART || k == F_CODE)
    return ALIGN_CENTER;
  return ALIGN_LEFT;
}

/* One body or total row of a table across its leaves. */
static void fill_row(expander *x, const model_table *t, block_row *out,
                     const layout_column *const *leaves, const bound_field *f,
                     int nleaves, const model_row *const *rows_by_side,
                     bool total, const layout_total *totals, int ntotals,
                     const layout_table *lt) {
  out->cells = ARENA_ARRAY(x->a, block_cell, (size_t)nleaves);
  out->ncells = nleaves;
  const layout_style *style = total && lt->look.total ? lt->look.total
                                                      : lt->look.cell;
  for (int i = 0; i < nleaves; i++) {
    block_cell *c = &out->cells[i];
    const model_row *r = f[i].side ? rows_by_side[f[i].side_index] : NULL;
    layout_align align = default_align(leaves[i], f[i].kind);
    set_cell(c, "", r ? r->pos : leaves[i]->pos, style, align, i);
    c->column_pos = leaves[i]->pos;
    c->nowrap = f[i].kind == F_AMOUNT || f[i].kind == F_CODE ||
                f[i].kind == F_CODE_PART;
    if (!r)
      continue;
    if (f[i].kind == F_AMOUNT) {
      const model_amount *a = &r->amounts[f[i].index];
      c->pos = a->pos;
      c->text = format_amount(x, a, leaves[i]->decimals, t->id);
      continue;
    }
    if (total) {
      for (int k = 0; k < ntotals; k++)
        if (totals[k].at && leaves[i]->field &&
            !strcmp(totals[k].at, leaves[i]->field)) {
          c->text = fill_template(x, totals[k].label, NULL);
          c->pos = totals[k].pos;
          c->align = ALIGN_CENTER;
        }
      continue;
    }
    c->text = row_text(x, r, f[i]);
    if (f[i].kind == F_NAME || f[i].kind == F_PROJECT)
      c->pos = r->name.pos;
    if (f[i].kind == F_NAME || f[i].kind == F_CODE_NAME)
      c->indent = leaves[i]->indent * r->level;
  }
}

static block *add_caption_line(expander *x, const layout_table *lt,
                               const char *left, const char *right,
                               src_pos pos, double width) {
  const layout_style *st = lt->look.meta_style;
  if (!st)
    return NULL;
  block *b = add_block(x, BLOCK_TABLE, pos);
  b->keep_with_next = true;
  block_table *bt = &b->u.table;
  /* The unit's name is long, "单位：万元" short. */
  double *w = ARENA_ARRAY(x->a, double, 2);
  w[0] = width * 0.75;
  w[1] = width - w[0];
  bt->widths = w;
  bt->ncols = 2;
  bt->borders = false;
  bt->body = ARENA_NEW(x->a, block_row);
  bt->nbody = 1;
  bt->body->cells = ARENA_ARRAY(x->a, block_cell, 2);
  bt->body->ncells = 2;
  set_cell(&bt->body->cells[0], left, pos, st, ALIGN_LEFT, 0);
  set_cell(&bt->body->cells[1], right, pos, st, ALIGN_RIGHT, 1);
  return b;
}

/* The layout's smaller sizes as factors on the table's cell style. */
static void table_scales(expander *x, block_table *bt,
                         const layout_table_look *look, const double *sizes,
                         int n) {
  const layout_style *base = look ? look->cell : NULL;
  if (!n || !base || base->size <= 0)
    return;
  double *f = ARENA_ARRAY(x->a, double, (size_t)n);
  for (int i = 0; i < n; i++)
    f[i] = sizes[i] / base->size;
  bt->scales = f;
  bt->nscales = n;
}

void expand_table_block(expander *x, const lblock *lb) {
  const layout_table *lt = &lb->u.table;
  if (!lt->data)
    return;
  const model_table *t = model_lookup_table(x->m, lt->data);
  if (!t) {
    lerr(x, lt->data_pos, "the data has no table '%s'", lt->data);
    return;
  }
  mark_placed(x, t->id, lb->pos);
  for (size_t i = 0; i < x->m->nparts; i++) /* and the tables part */
    if (x->m->parts[i].kind == MODEL_PART_TABLES)
      mark_placed(x, x->m->parts[i].name, lb->pos);
  leaf_list leaves = {0};
  collect_leaves(lt->columns, lt->ncolumns, &leaves, x->a);
  int n = leaves.count;
  if (!n)
    return;
  bound_field *f = ARENA_ARRAY(x->a, bound_field, (size_t)n);
  double *widths = ARENA_ARRAY(x->a, double, (size_t)n);
  block_column *columns = ARENA_ARRAY(x->a, block_column, (size_t)n);
  double total_width = 0;
  bool sized = false; /* some column is sized by its content */
  for (int i = 0; i < n; i++) {
    const layout_column *lc = leaves.items[i];
    f[i] = bind_field(x, t, lc->field, lc->field_pos);
    columns[i] = (block_column){lc->width, lc->min_width, lc->max_width,
                                lc->share, lc->pos, lc->title};
    widths[i] = lc->width > 0 ? lc->width : lc->min_width;
    sized |= !(lc->width > 0);
    total_width += widths[i];
  }
  for (int k = 0; k < lt->ntotals; k++) {
    bool found = false;
    for (int i = 0; i < n && !found; i++)
      found = lt->totals[k].at && !strcmp(lt->totals[k].at, leaves.items[i]->field) &&
              field_is_text(f[i].kind);
    if (!found && lt->totals[k].at)
      lerr(x, lt->totals[k].pos,
           "total label 'at: %s' names no text column of this table",
           lt->totals[k].at);
  }
  double frame = layout_page_content_width(x->page);
  if (sized)
    total_width = frame; /* a sized table spans the type area */
  else if (total_width > frame + 0.5) {
    lerr(x, lb->pos,
         "table %s is %.1fmm wide; the type area of page '%s' is %.1fmm",
         t->id, total_width * 25.4 / 72, x->page->name, frame * 25.4 / 72);
  }
  /* Caption: label, title, then the meta line, kept with the table. */
  /* {id} and {label} name the table in its continued line. */
  template_var table_vars[] = {{"id", t->id}, {"label", NULL}, {NULL, NULL}};
  const char *label = fill_template(x, lt->label, NULL);
  table_vars[1].value = label ? label : t->id;
  if (label && lt->look.label_style)
    add_paragraph(x, label, lt->label.pos, lt->look.label_style, 0);
  const char *title = fill_template(x, lt->title, NULL);
  if (title && lt->look.title_style) {
    add_paragraph(x, title, lt->title.pos, lt->look.title_style, 0);
    block *tb = &x->blocks[x->nblocks - 1];
    tb->toc_level = tb->bookmark_level = lt->toc;
    tb->toc_text = label ? arena_printf(x->a, "%s%s", label, title) : NULL;
  }
  if (lt->look.meta_left.text || lt->look.meta_right.text)
    add_caption_line(x, lt, fill_template(x, lt->look.meta_left, NULL),
                     fill_template(x, lt->look.meta_right, NULL), lb->pos,
                     total_width);
  /* The grid. */
  block *b = add_block(x, BLOCK_TABLE, lb->pos);
  block_table *bt = &b->u.table;
  bt->widths = widths;
  bt->ncols = n;
  if (sized) {
    bt->columns = columns;
    bt->widths_pos = lb->pos;
  }
  table_scales(x, bt, &lt->look, lt->look.smaller, lt->look.nsmaller);
  bt->borders = true;
  bt->padding = lt->look.padding;
  bt->head_padding = lt->look.head_padding;
  bt->rule_width = lt->look.rule;
  bt->min_row_height = lt->look.min_row_height;
  bt->space_after = lt->look.space_after;
  bt->head = header_rows_from_column_tree(x->a, lt->columns, lt->ncolumns,
                                          lt->look.head, &bt->nhead);
  bt->repeat = bt->head;
  bt->nrepeat = bt->nhead;
  bt->continued = fill_template(x, lt->look.continued, table_vars);
  bt->continued_style = lt->look.continued_style;
  size_t nrows = 0;
  for (size_t s = 0; s < t->nsides; s++)
    if (t->sides[s].nrows > nrows)
      nrows = t->sides[s].nrows;
  bool has_total = false;
  for (size_t s = 0; s < t->nsides; s++)
    has_total |= t->sides[s].total != NULL;
  int blank = nrows == 0 ? lt->empty_rows : 0;
  bt->nbody = (int)nrows + blank + (has_total ? 1 : 0);
  bt->body = ARENA_ARRAY(x->a, block_row, (size_t)bt->nbody);
  const model_row **by_side = ARENA_ARRAY(x->a, const model_row *, t->nsides);
  for (size_t r = 0; r < nrows; r++) {
    for (size_t s = 0; s < t->nsides; s++)
      by_side[s] = r < t->sides[s].nrows ? &t->sides[s].rows[r] : NULL;
    fill_row(x, t, &bt->body[r], (const layout_column *const *)leaves.items,
             f, n, by_side, false, NULL, 0, lt);
  }
  for (int r = 0; r < blank; r++) {
    for (size_t s = 0; s < t->nsides; s++)
      by_side[s] = NULL;
    fill_row(x, t, &bt->body[nrows + (size_t)r],
             (const layout_column *const *)leaves.items, f, n, by_side, false,
             NULL, 0, lt);
  }
  if (has_total) {
    for (size_t s = 0; s < t->nsides; s++)
      by_side[s] = t->sides[s].total;
    fill_row(x, t, &bt->body[bt->nbody - 1],
             (const layout_column *const *)leaves.items, f, n, by_side, true,
             lt->totals, lt->ntotals, lt);
  }
  if (t->note.text && !lt->look.note_style)
    lerr(x, lb->pos,
         "the data gives table %s a note (%s:%d); give the table or "
         "table-defaults a 'note-style' to print it",
         t->id, t->note.pos.file ? t->note.pos.file : "", t->note.pos.line);
  else if (t->note.text)
    add_paragraph(x, data_text(x, &t->note), t->note.pos, lt->look.note_style, 0);
}

/* ================================================================ sheets */

/* Names a grid cell may show, for "did you mean". */
static void report_unknown_sheet_field(expander *x, const model_sheet *s,
                                       const layout_grid_cell *c, bool row) {
  size_t cap = s->nfields + s->nfunds + s->ngrid_columns + 1;
  const char **names = xmalloc(sizeof *names * cap);
  size_t n = 0;
  if (row)
    for (size_t i = 0; i < s->ngrid_columns; i++)
      names[n++] = s->grid_columns[i];
  else {
    for (size_t i = 0; i < s->nfields; i++)
      names[n++] = s->field_keys[i];
    for (size_t i = 0; i < s->nfunds; i++)
      names[n++] = arena_printf(x->a, "funds.%s", s->fund_keys[i]);
  }
  names[n] = NULL;
  bbuf all = {0};
  for (size_t i = 0; i < n; i++)
    bbuf_printf(&all, "%s%s", i ? ", " : "", names[i]);
  const char *near = closest_name(c->field, names);
  if (near)
    lerr(x, c->pos, "%s has no field '%s'; did you mean '%s'?",
         row ? "a sheet's grid row" : "a sheet", c->field, near);
  else
    lerr(x, c->pos, "%s has no field '%s' (fields: %s)",
         row ? "a sheet's grid row" : "a sheet", c->field,
         all.data ? all.data : "none");
  bbuf_free(&all);
  free(names);
}

/* A header field of the sheet, a fund, or (row) a cell of a grid row. */
static const char *sheet_field(expander *x, const model_sheet *s,
                               const model_grid_row *row,
                               const layout_grid_cell *c, src_pos *pos) {
  const char *f = c->field;
  *pos = row ? row->pos : s->pos;
  if (row) {
    int k = model_sheet_grid_column(s, f);
    if (k < 0) {
      report_unknown_sheet_field(x, s, c, true);
      return "";
    }
    const model_text *t = &row->cells[k];
    *pos = t->pos;
    if (row->amounts[k].present)
      return format_amount(x, &row->amounts[k], c->decimals, "sheet");
    return t->text ? data_text(x, t) : c->fallback.text ? fill_template(x, c->fallback, NULL) : "";
  }
  const model_text *t = model_sheet_field(s, f);
  if (t) {
    *pos = t->pos;
    if (t->text)
      return data_text(x, t);
    return c->fallback.text ? fill_template(x, c->fallback, NULL) : "";
  }
  if (!strncmp(f, "funds.", 6)) {
    for (size_t i = 0; i < s->nfunds; i++)
      if (!strcmp(s->fund_keys[i], f + 6)) {
        *pos = s->funds[i].pos;
        if (!s->funds[i].present && c->fallback.text)
          return fill_template(x, c->fallback, NULL);
        return format_amount(x, &s->funds[i], c->decimals, "sheet");
      }
  }
  report_unknown_sheet_field(x, s, c, false);
  return "";
}

static void grid_cells(expander *x, const layout_sheets *ls,
                       const layout_grid_row *gr, block_row *out,
                       const model_sheet *s, const model_grid_row *in) {
  out->cells = ARENA_ARRAY(x->a, block_cell, (size_t)gr->ncells);
  out->ncells = gr->ncells;
  int col = 0;
  for (int i = 0; i < gr->ncells; i++) {
    const layout_grid_cell *g = &gr->cells[i];
    src_pos pos = g->pos;
    const char *text;
    if (g->text.text)
      text = fill_template(x, g->text, NULL);
    else
      text = sheet_field(x, s, in, g, &pos);
    const layout_style *st = g->style ? g->style : ls->cell;
    layout_align al = g->align_set ? g->align : st->align;
    set_cell(&out->cells[i], text, pos, st, al, col);
    out->cells[i].colspan = g->span;
    out->cells[i].column_pos = g->pos;
    /* Figures are set on one line, like a table's. */
    int k = in && g->field ? model_sheet_grid_column(s, g->field) : -1;
    out->cells[i].nowrap =
        g->field && (!strncmp(g->field, "funds.", 6) ||
                     (k >= 0 && in->amounts[k].present));
    col += g->span;
  }
}

/* Merge equal neighbours down the columns the row template marks, a
 * column's merge staying inside the groups of the merged columns to its
 * left (a second level within its first). */
static void merge_grid_cells(expander *x, const model_sheet *s,
                             const layout_grid_row *gr, block_row *rows,
                             int nrows) {
  /* group_start[r]: the row where r's current group (of the columns
   * merged so far) starts. */
  int *group_start = xcalloc((size_t)nrows + 1, sizeof *group_start);
  for (int i = 0; i < gr->ncells; i++) {
    int col = gr->cells[i].field
                  ? model_sheet_grid_column(s, gr->cells[i].field)
                  : -1;
    if (!gr->cells[i].merge && !(col >= 0 && s->grid_spans[col]))
      continue;
    int *next_start = xcalloc((size_t)nrows + 1, sizeof *next_start);
    int r = 0;
    while (r < nrows) {
      int e = r + 1;
      while (e < nrows && group_start[e] == group_start[r] &&
             !strcmp(rows[e].cells[i].text, rows[r].cells[i].text))
        e++;
      rows[r].cells[i].rowspan = e - r;
      for (int k = r; k < e; k++)
        next_start[k] = r;
      for (int k = r + 1; k < e; k++)
        rows[k].cells[i].rowspan = 0; /* covered: removed below */
      r = e;
    }
    free(group_start);
    group_start = next_start;
  }
  free(group_start);
  /* Drop covered cells so each row lists only the cells it starts. */
  for (int r = 0; r < nrows; r++) {
    int k = 0;
    for (int i = 0; i < rows[r].ncells; i++)
      if (rows[r].cells[i].rowspan > 0)
        rows[r].cells[k++] = rows[r].cells[i];
    rows[r].ncells = k;
  }
  (void)x;
}

static void expand_sheet(expander *x, const layout_sheets *ls,
                         const model_sheet *s, int bookmark_level) {
  if (ls->new_page)
    add_block(x, BLOCK_PAGE_BREAK, s->pos);
  size_t first = x->nblocks;
  if (ls->title.text)
    add_paragraph(x, fill_template(x, ls->title, NULL), ls->title.pos,
                  ls->title_style, 0);
  if (ls->subtitle.text)
    add_paragraph(x, fill_template(x, ls->subtitle, NULL), ls->subtitle.pos,
                  ls->subtitle_style, 0);
  if (x->nblocks > first) {
    /* The sheet's bookmark carries the project's name. */
    block *tb = &x->blocks[first];
    tb->bookmark_level = bookmark_level;
    tb->toc_text = s->title && s->title->text ? data_text(x, s->title) : NULL;
  }
  double width = 0;
  bool sized = false;
  for (int i = 0; i < ls->ncols; i++) {
    width += ls->widths[i];
    sized |= !(ls->columns[i].width > 0);
  }
  if (!sized && width > layout_page_content_width(x->page) + 0.5)
    lerr(x, ls->pos, "the sheet grid is %.1fmm wide; the type area is %.1fmm",
         width * 25.4 / 72, layout_page_content_width(x->page) * 25.4 / 72);
  block *b = add_block(x, BLOCK_TABLE, s->pos);
  block_table *bt = &b->u.table;
  bt->widths = ls->widths;
  bt->ncols = ls->ncols;
  if (sized) {
    bt->columns = ls->columns;
    bt->widths_pos = ls->widths_pos;
  }
  if (ls->nsmaller && ls->cell && ls->cell->size > 0) {
    double *f = ARENA_ARRAY(x->a, double, (size_t)ls->nsmaller);
    for (int i = 0; i < ls->nsmaller; i++)
      f[i] = ls->smaller[i] / ls->cell->size;
    bt->scales = f;
    bt->nscales = ls->nsmaller;
  }
  bt->borders = true;
  bt->padding = ls->padding;
  bt->rule_width = ls->rule;
  bt->space_after = ls->space_after;
  /* The sheet's header block leads the body, so that a long 项目总体目标
   * can break across pages like any row; it stays with the first
   * indicator where it fits. */
  int nh = ls->nheader;
  bt->nbody = nh + (int)s->nrows;
  bt->body = ARENA_ARRAY(x->a, block_row, (size_t)bt->nbody);
  for (int i = 0; i < nh; i++)
    grid_cells(x, ls, &ls->header[i], &bt->body[i], s, NULL);
  for (size_t i = 0; i < s->nrows; i++)
    grid_cells(x, ls, &ls->row, &bt->body[nh + (int)i], s, &s->rows[i]);
  merge_grid_cells(x, s, &ls->row, bt->body + nh, (int)s->nrows);
  bt->repeat = bt->body + nh - ls->repeat_header;
  bt->nrepeat = ls->repeat_header;
  /* A sheet going on over a page says whose it is (FORMAT.md). */
  if (x->l->table_look.continued_style && s->title && s->title->text) {
    /* the tables' continued line, with the sheet's title for its id */
    const template_var sheet_vars[] = {{"id", s->title->text},
                                       {"label", s->title->text},
                                       {"title", s->title->text},
                                       {NULL, NULL}};
    bt->continued = fill_template(x, x->l->table_look.continued, sheet_vars);
    bt->continued_style = x->l->table_look.continued_style;
  }
  bt->repeat_after = nh;
  bt->keep_rows = nh + (s->nrows ? 1 : 0);
}

/* ================================================================ text */

static void expand_descriptions(expander *x, const lblock *lb) {
  const layout_descriptions *ld = &lb->u.text.descriptions;
  if (x->m->ndescriptions && !ld->text.text) {
    lerr(x, lb->pos,
         "the data inserts descriptions here; say how a field is printed "
         "with 'descriptions: {text: \"{label}：{value}\"}'");
    return;
  }
  for (size_t i = 0; i < x->m->ndescriptions; i++) {
    const model_description *d = &x->m->descriptions[i];
    if (i > 0 && ld->space_between > 0) {
      block *sp = add_block(x, BLOCK_SPACE, d->pos);
      sp->u.space = ld->space_between;
    }
    for (size_t k = 0; k < d->nfields; k++) {
      const model_field *f = &d->fields[k];
      const template_var vars[] = {
          {"label", f->label.text},
          {"value", f->value.text ? data_text(x, &f->value) : ""},
          {NULL, NULL}};
      add_paragraph(x, fill_template(x, ld->text, vars), f->label.pos,
                    ld->paragraph, 0);
    }
  }
}

static void expand_sheets(expander *x, const lblock *lb, int bookmark_level) {
  const layout_sheets *ls = lb->u.text.sheets;
  if (!ls) {
    lerr(x, lb->pos, "the data places performance sheets here, but this "
                     "block has no 'sheets' format");
    return;
  }
  for (size_t i = 0; i < x->m->nsheets; i++)
    expand_sheet(x, ls, &x->m->sheets[i], bookmark_level);
}

/* Data text whose {#} is the generated number n at this depth. */
static const char *numbered(expander *x, const lblock *lb, const model_text *t,
                            int depth, int n) {
  const char *text = data_text(x, t);
  if (!text || !strstr(text, "{#}"))
    return text;
  if (depth >= lb->u.text.nnumbering) {
    lerr(x, t->pos, "{#} asks for a number at depth %d, but the layout's "
         "block has %d numbering pattern%s (numbering: [一、, （一）, 1.])",
         depth + 1, lb->u.text.nnumbering,
         lb->u.text.nnumbering == 1 ? "" : "s");
    return text;
  }
  return numbering_fill(
      x->a, text, numbering_label(x->a, lb->u.text.numbering[depth], n));
}

static void expand_sections(expander *x, const lblock *lb,
                            const model_section *secs, size_t n, int depth) {
  int nh = lb->u.text.nheading;
  for (size_t i = 0; i < n; i++) {
    const model_section *s = &secs[i];
    const layout_style *hs =
        nh ? lb->u.text.heading[depth < nh ? depth : nh - 1] : NULL;
    int toc = depth == 0 ? lb->u.text.toc : 0;
    if (s->heading.text)
      add_paragraph(x, numbered(x, lb, &s->heading, depth, (int)i + 1),
                    s->heading.pos, hs ? hs : lb->u.text.paragraph, toc);
    int item = 0; /* the section's paragraphs numbered with {#} */
    for (size_t k = 0; k < s->nparagraphs; k++) {
      const model_text *p = &s->paragraphs[k];
      bool is_item = p->text && strstr(p->text, "{#}");
      add_paragraph(x, numbered(x, lb, p, depth + 1, is_item ? ++item : 0),
                    p->pos, lb->u.text.paragraph, 0);
    }
    if (s->insert == MODEL_INSERT_DESCRIPTIONS)
      expand_descriptions(x, lb);
    else if (s->insert == MODEL_INSERT_SHEETS)
      /* under the top-level section's bookmark, whatever the depth */
      expand_sheets(x, lb, (lb->u.text.toc ? lb->u.text.toc : 1) + 1);
    if (s->nsections)
      expand_sections(x, lb, s->sections, s->nsections, depth + 1);
  }
}

/* A part's title printed in the block's title style; a title the data
 * gives and the block has no style for is an error, not dropped. */
static void add_part_title(expander *x, const lblock *lb,
                           const model_part *p) {
  if (!p->title.text)
    return;
  if (!lb->u.text.title) {
    lerr(x, lb->pos,
         "the data's part '%s' has a title (%s:%d); give this block a "
         "'title' style to print it",
         p->name, p->title.pos.file ? p->title.pos.file : "",
         p->title.pos.line);
    return;
  }
  add_paragraph(x, p->title.text, p->title.pos, lb->u.text.title, 0);
}

/* The part a block's `data:` names, of the kind the block shows; NULL
 * after an error naming the parts it could show. */
static const model_part *block_part(expander *x, const char *data,
                                    src_pos pos, model_part_kind kind,
                                    const char *kind_name) {
  const model_part *p = model_lookup_part(x->m, data);
  if (p && p->kind == kind)
    return p;
  const char **names = xmalloc(sizeof *names * (x->m->nparts + 1));
  size_t n = 0;
  for (size_t i = 0; i < x->m->nparts; i++)
    if (x->m->parts[i].kind == kind)
      names[n++] = x->m->parts[i].name;
  names[n] = NULL;
  bbuf all = {0};
  for (size_t i = 0; i < n; i++)
    bbuf_printf(&all, "%s%s", i ? ", " : "", names[i]);
  const char *near = closest_name(data ? data : "", names);
  if (near)
    lerr(x, pos, "%s shows no part '%s'; did you mean '%s'?", kind_name,
         data ? data : "", near);
  else
    lerr(x, pos, "%s shows a part of the data%s%s%s; '%s' is not one",
         kind_name, n ? " (" : "", n ? all.data : "", n ? ")" : "",
         data ? data : "");
  bbuf_free(&all);
  free(names);
  return NULL;
}

void expand_sections_block(expander *x, const lblock *lb) {
  const model_part *p = block_part(x, lb->u.text.data, lb->u.text.data_pos,
                                   MODEL_PART_SECTIONS, "text-sections");
  if (!p)
    return;
  mark_placed(x, p->name, lb->pos);
  add_part_title(x, lb, p);
  expand_sections(x, lb, p->sections, p->nsections, 0);
}

void expand_entries_block(expander *x, const lblock *lb) {
  const model_part *p = block_part(x, lb->u.text.data, lb->u.text.data_pos,
                                   MODEL_PART_ENTRIES, "entries");
  if (!p)
    return;
  mark_placed(x, p->name, lb->pos);
  add_part_title(x, lb, p);
  for (size_t i = 0; i < p->nentries; i++)
    add_data_paragraph(x, &p->entries[i], lb->u.text.paragraph);
}

void expand_fields_block(expander *x, const lblock *lb) {
  const model_part *p = block_part(x, lb->u.fields.data, lb->u.fields.data_pos,
                                   MODEL_PART_FIELDS, "fields");
  if (!p)
    return;
  mark_placed(x, p->name, lb->pos);
  if (!p->present)
    return;
  if (lb->u.fields.space_before > 0) {
    block *sp = add_block(x, BLOCK_SPACE, lb->pos);
    sp->u.space = lb->u.fields.space_before;
  }
  for (size_t i = 0; i < p->nfields; i++)
    add_data_paragraph(x, &p->fields[i].value, lb->u.fields.style);
}

/* ================================================================ blocks */

void expand_space_block(expander *x, const lblock *lb) {
  block *b = add_block(x, BLOCK_SPACE, lb->pos);
  b->u.space = lb->u.space;
}

void expand_page_break_block(expander *x, const lblock *lb) {
  add_block(x, BLOCK_PAGE_BREAK, lb->pos);
}

void expand_paragraph_block(expander *x, const lblock *lb) {
  const char *text = fill_template(x, lb->u.para.text, NULL);
  add_paragraph(x, text, lb->u.para.text.pos, lb->u.para.style,
                lb->u.para.toc);
  if (lb->u.para.toc_text.text && lb->u.para.style)
    x->blocks[x->nblocks - 1].toc_text =
        fill_template(x, lb->u.para.toc_text, NULL);
}

void expand_toc_block(expander *x, const lblock *lb) {
  block *b = add_block(x, BLOCK_TOC, lb->pos);
  b->u.toc.title = fill_template(x, lb->u.toc.title, NULL);
  b->u.toc.title_style = lb->u.toc.title_style;
  b->u.toc.level_styles = lb->u.toc.levels;
  b->u.toc.nlevels = lb->u.toc.nlevels;
  b->u.toc.leader = lb->u.toc.leader;
}

/* ================================================================ dates */

/* Read `text` as the layout's pattern ("{year}年{month}月{day}日"):
 * literal bytes match themselves, {year}, {month} and {day} runs of
 * digits.  "YYYY-MM-DD", or NULL if the text does not read so. */
static const char *read_date(arena *a, const char *text, const char *pat) {
  int v[3] = {0, 0, 0}; /* year, month, day */
  static const char *const names[3] = {"{year}", "{month}", "{day}"};
  bool seen[3] = {false, false, false};
  const char *t = text;
  while (*pat) {
    int k = -1;
    for (int i = 0; i < 3 && k < 0; i++)
      if (!strncmp(pat, names[i], strlen(names[i])))
        k = i;
    if (k < 0) {
      if (*t++ != *pat++)
        return NULL;
      continue;
    }
    pat += strlen(names[k]);
    int digits = 0;
    for (; *t >= '0' && *t <= '9' && digits < 4; t++, digits++)
      v[k] = v[k] * 10 + (*t - '0');
    if (!digits)
      return NULL;
    seen[k] = true;
  }
  if (*t || !seen[0] || !seen[1] || !seen[2] || v[0] < 1900 || v[1] < 1 ||
      v[1] > 12 || v[2] < 1 || v[2] > 31)
    return NULL;
  return arena_printf(a, "%04d-%02d-%02d", v[0], v[1], v[2]);
}

static const char *creation_date(expander *x) {
  const layout_date *ld = &x->l->info_date;
  if (!ld->text.text || !ld->reads.text)
    return NULL;
  const char *text = fill_template(x, ld->text, NULL);
  if (!text || !*text)
    return NULL; /* the data gives no date: none is recorded */
  const char *date = read_date(x->a, text, ld->reads.text);
  if (!date)
    lerr(x, ld->reads.pos, "the date \"%s\" does not read as \"%s\"", text,
         ld->reads.text);
  return date;
}

/* ================================================================ left out */

static bool was_placed(const expander *x, const char *name) {
  for (size_t i = 0; i < x->nplaced; i++)
    if (!strcmp(x->placed[i], name))
      return true;
  return false;
}

static bool is_omitted(const layout *l, const char *name) {
  for (size_t i = 0; i < l->nomit; i++)
    if (!strcmp(l->omit[i], name))
      return true;
  return false;
}

/* Where the layout could place order[at] (names in schema order): after
 * the block placing the nearest earlier one, else before the block placing
 * the nearest later one, else at the document.  *where says which. */
static src_pos place_hint(const expander *x, const char *const *order,
                          size_t n, size_t at, const char **where) {
  for (size_t i = at; i-- > 0;)
    for (size_t k = 0; k < x->nplaced; k++)
      if (!strcmp(x->placed[k], order[i])) {
        *where = arena_printf(x->a, _("after the one placing %s"), order[i]);
        return x->placed_at[k];
      }
  for (size_t i = at + 1; i < n; i++)
    for (size_t k = 0; k < x->nplaced; k++)
      if (!strcmp(x->placed[k], order[i])) {
        *where = arena_printf(x->a, _("before the one placing %s"), order[i]);
        return x->placed_at[k];
      }
  *where = "to a section of this document";
  return x->l->document_pos;
}

/* Every table and every part the data holds is placed by a block, or
 * listed under `omit:`; nothing is dropped without a word. */
static void check_nothing_left_out(expander *x) {
  const model *m = x->m;
  const char **tables = xmalloc(sizeof *tables * (m->ntables + 1));
  for (size_t i = 0; i < m->ntables; i++)
    tables[i] = m->tables[i].id;
  for (size_t i = 0; i < m->ntables; i++) {
    const char *id = tables[i];
    if (was_placed(x, id) || is_omitted(x->l, id))
      continue;
    const char *where;
    src_pos pos = place_hint(x, tables, m->ntables, i, &where);
    lerr(x, pos,
         "the data's table %s is placed nowhere in the layout; add a "
         "'table: {data: %s, ...}' block %s (or list it under 'omit:')",
         id, id, where);
  }
  free(tables);
  const char **parts = xmalloc(sizeof *parts * (m->nparts + 1));
  for (size_t i = 0; i < m->nparts; i++)
    parts[i] = m->parts[i].name;
  for (size_t i = 0; i < m->nparts; i++) {
    const model_part *p = &m->parts[i];
    const char *kind = p->kind == MODEL_PART_SECTIONS ? "text-sections"
                       : p->kind == MODEL_PART_ENTRIES ? "entries"
                       : p->kind == MODEL_PART_FIELDS  ? "fields"
                                                       : NULL;
    if (!kind || !p->present || was_placed(x, p->name) ||
        is_omitted(x->l, p->name))
      continue; /* tables are placed one by one; the register, its
                   descriptions and sheets where sections insert them */
    const char *where;
    src_pos pos = place_hint(x, parts, m->nparts, i, &where);
    lerr(x, pos,
         "the data's part '%s' is placed nowhere in the layout; add "
         "%s '%s: {data: %s, ...}' block %s (or list it under 'omit:')",
         p->name, p->kind == MODEL_PART_ENTRIES ? "an" : "a", kind, p->name,
         where);
  }
  free(parts);
  for (size_t i = 0; i < x->l->nomit; i++)
    if (!model_lookup_table(m, x->l->omit[i]) &&
        !model_lookup_part(m, x->l->omit[i]))
      lerr(x, x->l->omit_pos[i],
           "omit: the data has no table or part '%s'", x->l->omit[i]);
}

block_doc *layout_expand(const layout *l, const model *m,
                         const layout_expand_options *opts, diag *d) {
  /* A layout binds the fields of one schema: another kind's data would
   * fail field by field, or worse, fit by accident. */
  const char *data_schema = m->schema_name ? m->schema_name : "";
  if (strcmp(layout_schema_name(l), data_schema)) {
    diag_error(d, DIAG_LAYOUT, (src_pos){diag_intern_file(d, l->path), 0, 0},
               "this layout is for schema '%s'; the data is '%s'",
               layout_schema_name(l), *data_schema ? data_schema : "?");
    return NULL;
  }
  block_doc *doc = xcalloc(1, sizeof *doc);
  doc->arena = arena_new();
  expander x = {.l = l, .m = m, .d = d, .a = doc->arena, .doc = doc};
  int errors_before = diag_error_count(d);
  doc->nsections = l->nsections;
  doc->sections = ARENA_ARRAY(x.a, block_section, (size_t)l->nsections);
  for (int i = 0; i < l->nsections; i++) {
    const lsection *ls = &l->sections[i];
    block_section *bs = &doc->sections[i];
    bs->page = ls->page;
    bs->folio = ls->folio;
    bs->first_page_number = ls->first_page_number;
    bs->bookmark = ls->bookmark;
    if (!ls->page)
      continue;
    x.page = ls->page;
    x.nblocks = 0;
    for (int k = 0; k < ls->nblocks; k++)
      lblock_kinds[ls->blocks[k].kind].expand(&x, &ls->blocks[k]);
    bs->nblocks = (int)x.nblocks;
    bs->blocks = ARENA_ARRAY(x.a, block, x.nblocks);
    if (x.nblocks)
      memcpy(bs->blocks, x.blocks, sizeof *x.blocks * x.nblocks);
  }
  free(x.blocks);
  check_nothing_left_out(&x);
  free(x.placed);
  free(x.placed_at);
  if (l->has_folio)
    doc->folio = &l->folio;
  doc->title = fill_template(&x, l->info_title, NULL);
  doc->author = fill_template(&x, l->info_author, NULL);
  doc->subject = fill_template(&x, l->info_subject, NULL);
  doc->keywords = fill_template(&x, l->info_keywords, NULL);
  /* A PDF string libharu writes holds 65535 bytes (its
   * HPDF_LIMIT_MAX_STRING_LEN); said here, where the template is. */
  const struct {
    const char *name, *text;
    src_pos pos;
  } info[] = {{"title", doc->title, l->info_title.pos},
              {"author", doc->author, l->info_author.pos},
              {"subject", doc->subject, l->info_subject.pos},
              {"keywords", doc->keywords, l->info_keywords.pos}};
  for (size_t i = 0; i < sizeof info / sizeof *info; i++)
    if (info[i].text && strlen(info[i].text) > 65535)
      lerr(&x, info[i].pos,
           "info %s is %zu bytes once filled in; a PDF string made with "
           "libharu holds at most 65535 (HPDF_LIMIT_MAX_STRING_LEN)",
           info[i].name, strlen(info[i].text));
  doc->creation_date =
      opts && opts->creation_date
          ? arena_strdup(x.a, opts->creation_date)
          : creation_date(&x);
  if (diag_error_count(d) > errors_before) {
    block_doc_drop(doc);
    return NULL;
  }
  return doc;
}

void block_doc_drop(block_doc *b) {
  if (!b)
    return;
  arena_drop(b->arena);
  free(b);
}
