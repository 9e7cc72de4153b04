/* SPDX-License-Identifier: MIT */
/* book_writer.c — see book_writer.h. */
#include "book_writer.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

typedef struct gcell {
  int row, col, rows, cols; /* span */
  char *text;
  bool number;
} gcell;

typedef struct grid {
  gcell *cells;
  size_t n, cap;
  const char *name;
} grid;

static void put(grid *g, int row, int col, int rows, int cols,
                const char *text, bool number) {
  XGROW(g->cells, g->cap, g->n + 1);
  g->cells[g->n++] = (gcell){row, col, rows, cols, xstrdup(text), number};
}

static int depth(const layout_column *c) {
  int d = 0;
  for (int i = 0; i < layout_column_nchildren(c); i++) {
    int k = depth(layout_column_child(c, i));
    d = k > d ? k : d;
  }
  return d + 1;
}

static bool code_node(const layout_column *c) {
  int n = layout_column_nchildren(c);
  for (int i = 0; i < n; i++) {
    const char *f = layout_column_field(layout_column_child(c, i));
    if (!f || !strstr(f, "code."))
      return false;
  }
  return n > 0;
}

typedef struct leafcol {
  const char *field;
  bool whole_code;
} leafcol;

typedef struct builder {
  grid *g;
  const book_shape *shape;
  leafcol cols[64];
  int ncols;
  int header_rows;
} builder;

static const char *relabel(const builder *b, const char *title) {
  bbuf t = {0};
  for (const char *p = title; *p; p++)
    if (*p != ' ')
      bbuf_append(&t, p, 1);
  static char out[256];
  snprintf(out, sizeof out, "%s",
           b->shape->header_from && !strcmp(t.data, b->shape->header_from)
               ? b->shape->header_to
               : t.data);
  bbuf_free(&t);
  return out;
}

static void header(builder *b, const layout_column *const *nodes, int n,
                   int row, int *col) {
  for (int i = 0; i < n; i++) {
    const layout_column *c = nodes[i];
    const char *title = relabel(b, layout_column_title(c));
    if (b->shape->codes_one_column && code_node(c)) {
      put(b->g, row, *col, b->header_rows - (row - 2), 1, title, false);
      b->cols[b->ncols++] = (leafcol){"code", true};
      (*col)++;
      continue;
    }
    int nk = layout_column_nchildren(c);
    if (!nk) {
      put(b->g, row, *col, b->header_rows - (row - 2), 1, title, false);
      b->cols[b->ncols++] = (leafcol){layout_column_field(c), false};
      (*col)++;
      continue;
    }
    int start = *col;
    const layout_column *kids[64];
    for (int k = 0; k < nk; k++)
      kids[k] = layout_column_child(c, k);
    char *kept = xstrdup(title); /* relabel's buffer is reused below */
    header(b, kids, nk, row + 1, col);
    put(b->g, row, start, 1, *col - start, kept, false);
    free(kept);
  }
}

static const model_side *side_of(const model_table *t, const char **field) {
  const char *dot = strchr(*field, '.');
  if (t->nsides > 1 && dot) {
    for (size_t i = 0; i < t->nsides; i++)
      if (t->sides[i].id && !strncmp(t->sides[i].id, *field, (size_t)(dot - *field))) {
        *field = dot + 1;
        return &t->sides[i];
      }
  }
  return &t->sides[0];
}

static char *figure_text(const builder *b, const model_amount *a, bool full_width) {
  if (!a->present)
    return NULL;
  if (!b->shape->numbers_as_text)
    return xstrdup(a->text);
  /* thousands separators, or full-width digits */
  bbuf t = {0};
  const char *s = a->text;
  const char *dot = strchr(s, '.');
  size_t intlen = dot ? (size_t)(dot - s) : strlen(s);
  for (size_t i = 0; s[i]; i++) {
    if (i > 0 && i < intlen && (intlen - i) % 3 == 0 && !full_width)
      bbuf_puts(&t, ",");
    if (full_width && s[i] >= '0' && s[i] <= '9') {
      char u[4];
      bbuf_append(&t, u, utf8_encode(0xFF10 + (uint32_t)(s[i] - '0'), u));
    } else if (full_width && s[i] == '.')
      bbuf_puts(&t, "\xEF\xBC\x8E");
    else
      bbuf_append(&t, &s[i], 1);
  }
  return t.data;
}

static char *cell_for(const builder *b, const model_table *t, const char *field,
                      const model_row *r) {
  const model_side *s = side_of(t, &field);
  bbuf out = {0};
  if (!strncmp(field, "code.", 5)) {
    for (size_t l = 0; l < s->nlevels && r->code_parts; l++)
      if (!strcmp(s->levels[l].name, field + 5) && r->code_parts[l][0])
        bbuf_puts(&out, r->code_parts[l]);
  } else if (!strcmp(field, "code")) {
    if (r->code)
      bbuf_puts(&out, r->code);
  } else if (!strcmp(field, "code-name")) {
    bbuf_printf(&out, "%s %s", r->code, r->name.text);
  } else if (!strcmp(field, "name")) {
    for (int i = 0; i < r->level && s->kind == MODEL_ROWS_ITEMS &&
                    !b->shape->no_indent;
         i++)
      bbuf_puts(&out, "\u3000\u3000");
    if (r->name.text)
      bbuf_puts(&out, r->name.text);
  } else if (!strcmp(field, "project")) {
    if (r->project)
      bbuf_puts(&out, r->project->name.text);
  } else {
    int k = model_side_column_index(s, field);
    if (k >= 0) {
      char *f = figure_text(b, &r->amounts[k], !strcmp(t->id, "表八"));
      if (f)
        bbuf_puts(&out, f);
      free(f);
    }
  }
  return out.data;
}

static bool is_amount(const model_table *t, const char *field) {
  const model_side *s = side_of(t, &field);
  return model_side_column_index(s, field) >= 0;
}

static void table_grid(grid *g, const model *m, const layout_table *lt,
                       const book_shape *shape) {
  const model_table *t = model_lookup_table(m, layout_table_data(lt));
  builder b = {.g = g, .shape = shape};
  int nroots = layout_table_ncolumns(lt);
  const layout_column *roots[64];
  for (int i = 0; i < nroots; i++) {
    roots[i] = layout_table_column(lt, i);
    int d = depth(roots[i]);
    b.header_rows = d > b.header_rows ? d : b.header_rows;
  }
  if (shape->codes_one_column) {
    /* the code node's level is gone: one header row less if it was deepest */
    int d = 0;
    for (int i = 0; i < nroots; i++) {
      int k = 1;
      for (int c = 0; c < layout_column_nchildren(roots[i]); c++) {
        const layout_column *kid = layout_column_child(roots[i], c);
        int kk = 1 + (code_node(kid) ? 1 : depth(kid));
        k = kk > k ? kk : k;
      }
      d = k > d ? k : d;
    }
    b.header_rows = d;
  }
  int col = 0;
  header(&b, roots, nroots, 2, &col);
  if (!shape->no_titles)
    put(g, 0, 0, 1, b.ncols, t->title, false);
  char buf[256];
  snprintf(buf, sizeof buf, "编制部门（单位）：%s", m->unit.text);
  put(g, 1, 0, 1, b.ncols > 1 ? b.ncols - 1 : 1, buf, false);
  snprintf(buf, sizeof buf, "单位：%s",
           shape->amount_unit ? shape->amount_unit : m->amount_unit.text);
  put(g, 1, b.ncols - 1, 1, 1, buf, false);
  int body = 2 + b.header_rows;
  size_t nbody = 0;
  for (size_t s = 0; s < t->nsides; s++)
    nbody = t->sides[s].nrows > nbody ? t->sides[s].nrows : nbody;
  bool record = t->sides[0].kind == MODEL_ROWS_RECORD;
  for (size_t i = 0; i < nbody; i++)
    for (int c = 0; c < b.ncols; c++) {
      const char *field = b.cols[c].field;
      const char *f2 = field;
      const model_side *s = side_of(t, &f2);
      if (i >= s->nrows)
        continue;
      const model_row *r = &s->rows[i];
      char *text = cell_for(&b, t, field, r);
      if (shape->change_table && !strcmp(shape->change_table, t->id) &&
          shape->change_row == (int)i && is_amount(t, field) &&
          !strcmp(f2, shape->change_column)) {
        free(text);
        text = xstrdup(shape->change_text);
      }
      if (shape->code_table && !strcmp(shape->code_table, t->id) &&
          shape->code_row == (int)i && !strncmp(f2, "code", 4) &&
          strcmp(f2, "code-name")) {
        free(text);
        text = !strcmp(f2, "code") || !strcmp(f2, "code.类")
                   ? xstrdup(shape->code_text)
                   : NULL;
      }
      if (text && *text)
        put(g, body + (int)i, c, 1, 1, text,
            is_amount(t, field) && !shape->numbers_as_text &&
                strspn(text, "-0123456789.") == strlen(text));
      free(text);
    }
  int total = body + (int)nbody;
  if (!record)
    for (int c = 0; c < b.ncols; c++) {
      const char *field = b.cols[c].field, *f2 = field;
      const model_side *s = side_of(t, &f2);
      const char *label = layout_table_total_label(lt, field);
      if (label) {
        bbuf l = {0};
        for (const char *p = label; *p; p++)
          if (*p != ' ')
            bbuf_append(&l, p, 1);
        bool single = t->nsides == 1;
        put(g, total, shape->total_first_column && single ? 0 : c, 1, 1,
            l.data, false);
        bbuf_free(&l);
      } else if (s->total && is_amount(t, field)) {
        char *text = cell_for(&b, t, field, s->total);
        if (text && *text)
          put(g, total, c, 1, 1, text,
              !shape->numbers_as_text);
        free(text);
      }
    }
  if (t->note.text)
    put(g, total + 1, 0, 1, b.ncols, t->note.text, false);
}

static int shift(const book_shape *s, int col) {
  return s->extra_blank_column && col >= 1 ? col + 1 : col;
}

static bool write_xlsx(const char *path, grid *grids, int n,
                       const book_shape *shape) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb)
    return false;
  lxw_format *text_format = workbook_add_format(wb);
  format_set_num_format(text_format, "@");
  for (int i = 0; i < n; i++) {
    char name[32];
    snprintf(name, sizeof name, "Sheet%d", i + 1);
    lxw_worksheet *ws = workbook_add_worksheet(
        wb, shape->renamed_sheets ? name : grids[i].name);
    if (shape->far_cell)
      worksheet_write_number(ws, LXW_ROW_MAX - 1, LXW_COL_MAX - 1, 1, NULL);
    for (size_t k = 0; k < grids[i].n; k++) {
      gcell *c = &grids[i].cells[k];
      int col = shift(shape, c->col);
      int last = shift(shape, c->col + c->cols - 1);
      if (shape->merged_headers && (c->rows > 1 || c->cols > 1))
        worksheet_merge_range(ws, (lxw_row_t)c->row, (lxw_col_t)col,
                              (lxw_row_t)(c->row + c->rows - 1),
                              (lxw_col_t)last, c->text, NULL);
      else if (c->number)
        worksheet_write_number(ws, (lxw_row_t)c->row, (lxw_col_t)col,
                               strtod(c->text, NULL), NULL);
      else
        worksheet_write_string(ws, (lxw_row_t)c->row, (lxw_col_t)col,
                               c->text, text_format);
    }
  }
  return workbook_close(wb) == LXW_NO_ERROR;
}

static bool write_csv(const char *dir, grid *grids, int n,
                      const book_shape *shape) {
  mkdir(dir, 0755);
  for (int i = 0; i < n; i++) {
    int rows = 0, cols = 0;
    for (size_t k = 0; k < grids[i].n; k++) {
      gcell *c = &grids[i].cells[k];
      rows = c->row + 1 > rows ? c->row + 1 : rows;
      cols = shift(shape, c->col) + 1 > cols ? shift(shape, c->col) + 1 : cols;
    }
    bbuf out = {0};
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c)
          bbuf_puts(&out, ",");
        for (size_t k = 0; k < grids[i].n; k++) {
          gcell *g = &grids[i].cells[k];
          if (g->row == r && shift(shape, g->col) == c) {
            bbuf_puts(&out, "\"");
            for (const char *p = g->text; *p; p++)
              bbuf_puts(&out, *p == '"' ? "\"\"" : (char[2]){*p, 0});
            bbuf_puts(&out, "\"");
          }
        }
      }
      bbuf_puts(&out, "\r\n");
    }
    char *bytes = out.data;
    size_t len = out.len;
    char *gbk = NULL;
    if (shape->gbk) {
      iconv_t cd = iconv_open("GB18030", "UTF-8");
      size_t cap = len * 2 + 4, left = cap;
      gbk = xmalloc(cap);
      char *in = bytes, *o = gbk;
      size_t inleft = len;
      iconv(cd, &in, &inleft, &o, &left);
      iconv_close(cd);
      bytes = gbk;
      len = (size_t)(o - gbk);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/%s.csv", dir, grids[i].name);
    FILE *f = fopen(path, "wb");
    if (!f)
      return false;
    fwrite(bytes, 1, len, f);
    fclose(f);
    free(gbk);
    bbuf_free(&out);
  }
  return true;
}

bool write_reference_book(const char *path, const model *m, const layout *l,
                          const book_shape *shape) {
  int n = layout_table_count(l), ng = 0;
  grid *grids = xcalloc((size_t)n, sizeof *grids);
  for (int i = 0; i < n; i++) {
    const layout_table *lt = layout_table_at(l, i);
    if (shape->skip_table && !strcmp(shape->skip_table, layout_table_data(lt)))
      continue;
    grids[ng].name = layout_table_data(lt);
    table_grid(&grids[ng++], m, lt, shape);
  }
  bool ok = str_ends_with(path, ".xlsx") ? write_xlsx(path, grids, ng, shape)
                                         : write_csv(path, grids, ng, shape);
  for (int i = 0; i < ng; i++) {
    for (size_t k = 0; k < grids[i].n; k++)
      free(grids[i].cells[k].text);
    free(grids[i].cells);
  }
  free(grids);
  return ok;
}
