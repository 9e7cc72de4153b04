/* SPDX-License-Identifier: MIT */
/* match.c — sheets matched to the schema's tables and read.
 *
 * A table's header is recognised from the layout's column tree, the tree
 * that draws it: the roots' titles stand in one row, left to right; each
 * node's children stand in the next row under it, between it and its
 * next sibling; a leaf's title may stand lower (a leaf spans down).  A
 * title is found by its text (white space and the width of brackets
 * ignored), so extra or blank columns in between do not matter, and the
 * text of a merged cell is its top-left cell's.  A code node whose 类/款/
 * 项 children are not there is one column holding whole codes.  Below the
 * header, each row is a row of every side whose columns hold something:
 * the total row by the layout's total label, a line of one text that
 * starts as the layout's `import: note:` says as the note. */
#include "import_imp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum field_kind {
  F_NONE,
  F_CODE,      /* the whole code */
  F_CODE_PART, /* one level's digits */
  F_CODE_NAME, /* "201 一般公共服务支出" */
  F_NAME,
  F_PROJECT,
  F_AMOUNT
} field_kind;

typedef struct binding {
  int side;
  field_kind kind;
  int index;       /* F_CODE_PART: the level; F_AMOUNT: the column */
  int decimals;
  const char *field; /* the layout's field, side prefix included */
  int col;           /* the sheet column; -1 while unbound */
} binding;

typedef struct matcher {
  arena *a;
  diag *d;
  const book_sheet *s;
  const model_table *t;
  const layout_table *lt;
  int top, bottom, deepest, ncols;
  binding *b;
  size_t nb, cap;
  /* the first mismatch */
  bool failed;
  cellref at;
  const char *message;
  const char **norms; /* each cell's label_norm, made once when asked */
  const char *const *note_starts; /* the layout's, see is_note */
} matcher;

static const char *cell_label(matcher *m, const book_cell *c) {
  size_t i = (size_t)(c - m->s->cells);
  if (!m->norms[i])
    m->norms[i] = label_norm(m->a, cell_text(m->a, c));
  return m->norms[i];
}

/* The first cell at or after (row, col) in the sorted cells. */
static size_t lower_bound(const book_sheet *s, int row, int col) {
  size_t lo = 0, hi = s->ncells;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const book_cell *c = &s->cells[mid];
    if (c->row < row || (c->row == row && c->col < col))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static cellref ref(const book_sheet *s, int row, int col) {
  return (cellref){s, row, col};
}

/* The first column in [c0, c1) whose cell in rows [r0, r1] reads title,
 * row r0 first; -1 if none.  *row receives the row. */
static int find_title(matcher *m, const char *title, int r0, int r1, int c0,
                      int c1, int *row) {
  /* only the cells there are: a sheet of one cell at A1 and one at
   * XFD1048576 costs two looks, not sixteen thousand */
  for (int r = r0; r <= r1; r++)
    for (size_t i = lower_bound(m->s, r, c0);
         i < m->s->ncells && m->s->cells[i].row == r && m->s->cells[i].col < c1;
         i++)
      if (!strcmp(cell_label(m, &m->s->cells[i]), title)) {
        *row = r;
        return m->s->cells[i].col;
      }
  return -1;
}

static void resolve_field(matcher *m, binding *bd, const char *field) {
  const model_table *t = m->t;
  bd->field = field;
  bd->side = 0;
  bd->kind = F_NONE;
  const char *rest = field;
  const char *dot = strchr(field, '.');
  if (t->nsides > 1 && dot) {
    for (size_t i = 0; i < t->nsides; i++)
      if (t->sides[i].id && strlen(t->sides[i].id) == (size_t)(dot - field) &&
          !strncmp(t->sides[i].id, field, (size_t)(dot - field))) {
        bd->side = (int)i;
        rest = dot + 1;
      }
  }
  const model_side *s = &t->sides[bd->side];
  if (!strcmp(rest, "code"))
    bd->kind = F_CODE;
  else if (!strncmp(rest, "code.", 5)) {
    for (size_t l = 0; l < s->nlevels; l++)
      if (!strcmp(s->levels[l].name, rest + 5)) {
        bd->kind = F_CODE_PART;
        bd->index = (int)l;
      }
  } else if (!strcmp(rest, "code-name"))
    bd->kind = F_CODE_NAME;
  else if (!strcmp(rest, "name"))
    bd->kind = F_NAME;
  else if (!strcmp(rest, "project"))
    bd->kind = F_PROJECT;
  else if ((bd->index = model_side_column_index(s, rest)) >= 0)
    bd->kind = F_AMOUNT;
}

static void bind(matcher *m, const layout_column *leaf, field_kind force,
                 int col) {
  XGROW(m->b, m->cap, m->nb + 1);
  binding *bd = &m->b[m->nb++];
  resolve_field(m, bd, layout_column_field(leaf));
  if (force != F_NONE)
    bd->kind = force;
  bd->decimals = layout_column_decimals(leaf);
  bd->col = col;
}

static void mismatch(matcher *m, int row, int col, int c1, const char *title,
                     const char *under) {
  if (m->failed)
    return;
  m->failed = true;
  const char *found = NULL;
  for (size_t i = lower_bound(m->s, row, col);
       !found && i < m->s->ncells && m->s->cells[i].row == row &&
       m->s->cells[i].col < c1;
       i++)
    if (*cell_label(m, &m->s->cells[i])) {
      found = cell_text(m->a, &m->s->cells[i]);
      col = m->s->cells[i].col;
    }
  m->at = ref(m->s, row, col < c1 ? col : c1 - 1);
  m->message = arena_printf(
      m->a, "the header does not match the layout's columns of %s: expected "
            "'%s'%s%s%s, found %s%s%s",
      m->t->id, title, under ? " under '" : "", under ? under : "",
      under ? "'" : "", found ? "'" : "", found ? found : "nothing",
      found ? "'" : "");
}

static bool all_code_parts(matcher *m, const layout_column *node) {
  int n = layout_column_nchildren(node);
  for (int i = 0; i < n; i++) {
    const layout_column *c = layout_column_child(node, i);
    const char *f = layout_column_field(c);
    binding probe;
    if (!f)
      return false;
    resolve_field(m, &probe, f);
    if (probe.kind != F_CODE_PART)
      return false;
  }
  return n > 0;
}

static void match_level(matcher *m, const layout_column *const *nodes, int n,
                        int row, int c0, int c1, const char *under) {
  int starts[64];
  if (n > 64) {
    m->failed = true;
    return;
  }
  int cursor = c0;
  for (int i = 0; i < n && !m->failed; i++) {
    const char *title = label_norm(m->a, layout_column_title(nodes[i]));
    bool leaf = !layout_column_nchildren(nodes[i]);
    int found_row;
    int c = find_title(m, title, row, leaf ? m->bottom : row, cursor, c1,
                       &found_row);
    if (c < 0) {
      mismatch(m, row, cursor, c1, layout_column_title(nodes[i]), under);
      return;
    }
    if (found_row > m->deepest)
      m->deepest = found_row;
    starts[i] = c;
    cursor = c + 1;
  }
  for (int i = 0; i < n && !m->failed; i++) {
    int end = i + 1 < n ? starts[i + 1] : c1;
    int nk = layout_column_nchildren(nodes[i]);
    if (!nk) {
      bind(m, nodes[i], F_NONE, starts[i]);
      continue;
    }
    const layout_column *kids[64];
    for (int k = 0; k < nk && k < 64; k++)
      kids[k] = layout_column_child(nodes[i], k);
    if (all_code_parts(m, nodes[i])) {
      /* 类/款/项 under the code node, or one column of whole codes. */
      int r;
      const char *first = label_norm(m->a, layout_column_title(kids[0]));
      if (find_title(m, first, row + 1, m->bottom, starts[i], end, &r) < 0) {
        bind(m, kids[0], F_CODE, starts[i]);
        continue;
      }
    }
    match_level(m, kids, nk < 64 ? nk : 64, row + 1, starts[i], end,
                layout_column_title(nodes[i]));
  }
}

static int tree_depth(const layout_column *c) {
  int d = 0;
  for (int i = 0; i < layout_column_nchildren(c); i++) {
    int k = tree_depth(layout_column_child(c, i));
    if (k > d)
      d = k;
  }
  return d + 1;
}

/* Find the header rows; bind every leaf to a sheet column. */
static bool match_header(matcher *m) {
  int nroots = layout_table_ncolumns(m->lt);
  if (nroots <= 0 || nroots > 64)
    return false;
  const layout_column *roots[64];
  int depth = 0;
  for (int i = 0; i < nroots; i++) {
    roots[i] = layout_table_column(m->lt, i);
    int k = tree_depth(roots[i]);
    if (k > depth)
      depth = k;
  }
  m->ncols = 0;
  for (size_t i = 0; i < m->s->ncells; i++)
    if (m->s->cells[i].col + 1 > m->ncols)
      m->ncols = m->s->cells[i].col + 1;
  const char *first = label_norm(m->a, layout_column_title(roots[0]));
  bool tried = false;
  cellref fail_at = {0};
  const char *fail_msg = NULL;
  for (int r = 0; r < m->s->nrows && r < 40; r++) {
    int fr;
    if (find_title(m, first, r, r, 0, m->ncols, &fr) < 0)
      continue;
    m->top = r;
    m->bottom = r + depth - 1;
    m->deepest = r;
    m->nb = 0;
    m->failed = false;
    match_level(m, roots, nroots, r, 0, m->ncols, NULL);
    if (!m->failed)
      return true;
    if (!tried) {
      tried = true;
      fail_at = m->at;
      fail_msg = m->message;
    }
  }
  if (!tried)
    diag_error(m->d, DIAG_SCHEMA, cell_pos(m->d, ref(m->s, 0, 0)),
               "no header of %s found: no row of the first %d has '%s', the "
               "first column title of the layout's %s",
               m->t->id, m->s->nrows < 40 ? m->s->nrows : 40,
               layout_column_title(roots[0]), m->t->id);
  else
    diag_error(m->d, DIAG_SCHEMA, cell_pos(m->d, fail_at), "%s", fail_msg);
  return false;
}

/* ---------------------------------------------------------------- rows */

typedef struct row_reader {
  matcher *m;
  imp_table *it;
  bool ok;
} row_reader;

static void row_error(row_reader *rr, int row, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_error(row_reader *rr, int row, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(rr->m->d, DIAG_ERROR, DIAG_SCHEMA,
               cell_pos(rr->m->d, ref(rr->m->s, row, col)), fmt, ap);
  va_end(ap);
  rr->ok = false;
}

static const char *cell_str(row_reader *rr, int row, int col) {
  if (col < 0)
    return "";
  return text_trim(rr->m->a, cell_text(rr->m->a, sheet_cell(rr->m->s, row, col)));
}

static bool all_digits(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s))
      return false;
  return true;
}

static const char *levels_text(arena *a, const model_side *s) {
  bbuf b = {0};
  for (size_t k = 0; k < s->nlevels; k++)
    bbuf_printf(&b, "%s%d (%s)",
                k == 0 ? "" : k + 1 == s->nlevels ? " or " : ", ",
                s->levels[k].digits, s->levels[k].name);
  const char *out = arena_strdup(a, b.data ? b.data : "");
  bbuf_free(&b);
  return out;
}

/* The row's code from its code columns; NULL if it has none (or after an
 * error, *bad set). */
static const char *row_code(row_reader *rr, int side, int row, int *code_col,
                            const char **name_from_code, bool *bad) {
  matcher *m = rr->m;
  const model_side *s = &m->t->sides[side];
  bbuf code = {0};
  const char *out = NULL;
  *bad = false;
  *code_col = -1;
  bool gap = false;
  for (size_t i = 0; i < m->nb; i++) {
    binding *bd = &m->b[i];
    if (bd->side != side || bd->col < 0)
      continue;
    const book_cell *c = sheet_cell(m->s, row, bd->col);
    const char *t = cell_str(rr, row, bd->col);
    if (bd->kind == F_CODE || bd->kind == F_CODE_NAME) {
      if (!*t)
        continue;
      *code_col = bd->col;
      size_t n = 0;
      while (isdigit((unsigned char)t[n]))
        n++;
      if (bd->kind == F_CODE_NAME) {
        *name_from_code = text_trim(m->a, t + n);
        t = arena_strndup(m->a, t, n);
        if (!n)
          continue;
      }
      bbuf_puts(&code, t);
    } else if (bd->kind == F_CODE_PART) {
      if (!*t) {
        gap = true;
        continue;
      }
      if (*code_col < 0)
        *code_col = bd->col;
      int l = bd->index;
      int from = l ? s->levels[l - 1].digits : 0, to = s->levels[l].digits;
      size_t width = (size_t)(to - from), len = strlen(t);
      if (gap || code.len != (size_t)from) {
        row_error(rr, row, bd->col,
                  "a %s code part '%s' without the code parts before it",
                  s->levels[l].name, t);
        *bad = true;
        break;
      }
      if (!all_digits(t)) {
        row_error(rr, row, bd->col, "code part '%s' under %s is not digits",
                  t, s->levels[l].name);
        *bad = true;
        break;
      }
      if (len == width)
        bbuf_puts(&code, t);
      else if (len == (size_t)to && code.len && !strncmp(t, code.data, code.len))
        bbuf_puts(&code, t + code.len); /* the whole code, repeated */
      else if (c && c->kind == CELL_NUMBER && len < width) {
        for (size_t k = len; k < width; k++)
          bbuf_puts(&code, "0"); /* 1 typed for 01 */
        bbuf_puts(&code, t);
      } else {
        row_error(rr, row, bd->col,
                  "code part '%s' under %s should have %zu digit%s", t,
                  s->levels[l].name, width, width == 1 ? "" : "s");
        *bad = true;
        break;
      }
    }
  }
  if (!*bad && code.len) {
    if (!all_digits(code.data)) {
      row_error(rr, row, *code_col,
                "code '%s' is not a %s code: codes are digits", code.data,
                s->classification);
      *bad = true;
    } else {
      bool known = false;
      for (size_t l = 0; l < s->nlevels; l++)
        known |= (size_t)s->levels[l].digits == code.len;
      if (!known) {
        row_error(rr, row, *code_col,
                  "code '%s' is not in the %s classification: its codes have "
                  "%s digits",
                  code.data, s->classification, levels_text(m->a, s));
        *bad = true;
      } else
        out = arena_strdup(m->a, code.data);
    }
  }
  bbuf_free(&code);
  return out;
}

static bool side_cells_blank(row_reader *rr, int side, int row) {
  for (size_t i = 0; i < rr->m->nb; i++)
    if (rr->m->b[i].side == side && rr->m->b[i].col >= 0 &&
        *cell_str(rr, row, rr->m->b[i].col))
      return false;
  return true;
}

static void read_amounts(row_reader *rr, int side, int row, imp_row *out) {
  matcher *m = rr->m;
  const model_side *s = &m->t->sides[side];
  out->amounts = ARENA_ARRAY(m->a, imp_amount, s->ncolumns ? s->ncolumns : 1);
  for (size_t k = 0; k < s->ncolumns; k++)
    out->amounts[k].at = ref(m->s, row, out->at.col);
  for (size_t i = 0; i < m->nb; i++) {
    binding *bd = &m->b[i];
    if (bd->side != side || bd->kind != F_AMOUNT)
      continue;
    imp_amount *am = &out->amounts[bd->index];
    am->at = ref(m->s, row, bd->col);
    char why[256];
    if (!cell_amount(m->a, sheet_cell(m->s, row, bd->col), bd->decimals,
                     &am->text, why, sizeof why))
      row_error(rr, row, bd->col, "%s of %s: %s", s->columns[bd->index],
                m->t->id, why);
  }
}

/* The side's total label and the column it stands in, or NULL. */
static const char *total_label(row_reader *rr, int side, int *col) {
  for (size_t i = 0; i < rr->m->nb; i++) {
    binding *bd = &rr->m->b[i];
    if (bd->side != side)
      continue;
    const char *l = layout_table_total_label(rr->m->lt, bd->field);
    if (l) {
      *col = bd->col;
      return label_norm(rr->m->a, l);
    }
  }
  return NULL;
}

static int first_col_of_side(matcher *m, int side) {
  int col = -1;
  for (size_t i = 0; i < m->nb; i++)
    if (m->b[i].side == side && (col < 0 || m->b[i].col < col))
      col = m->b[i].col;
  return col < 0 ? 0 : col;
}

static void read_side_row(row_reader *rr, int side, int row) {
  matcher *m = rr->m;
  const model_side *s = &m->t->sides[side];
  imp_side *is = &rr->it->sides[side];
  int tcol = -1;
  const char *tl = total_label(rr, side, &tcol);
  imp_row r = {.at = ref(m->s, row, first_col_of_side(m, side))};
  /* The total label where the layout prints it, or in any other label
   * column of the side (some exports put 合计 under the codes). */
  for (size_t i = 0; tl && tcol >= 0 && i < m->nb; i++) {
    const binding *bd = &m->b[i];
    if (bd->side == side && bd->kind != F_AMOUNT && bd->col >= 0 &&
        !strcmp(label_norm(m->a, cell_str(rr, row, bd->col)), tl) &&
        strcmp(label_norm(m->a, cell_str(rr, row, tcol)), tl))
      tcol = bd->col;
  }
  if (tl && tcol >= 0 && !strcmp(label_norm(m->a, cell_str(rr, row, tcol)), tl)) {
    if (is->has_total)
      row_error(rr, row, tcol, "a second total row in %s (the first in row %d)",
                m->t->id, is->total.at.row + 1);
    read_amounts(rr, side, row, &r);
    is->total = r;
    is->has_total = true;
    return;
  }
  const char *name_from_code = NULL;
  int code_col;
  bool bad = false;
  r.code = s->kind == MODEL_ROWS_CODED
               ? row_code(rr, side, row, &code_col, &name_from_code, &bad)
               : NULL;
  for (size_t i = 0; i < m->nb; i++) {
    binding *bd = &m->b[i];
    if (bd->side != side || bd->col < 0)
      continue;
    if (bd->kind == F_NAME) {
      const book_cell *c = sheet_cell(m->s, row, bd->col);
      const char *raw = cell_text(m->a, c);
      r.name = text_trim(m->a, raw);
      r.level = (text_indent(raw) + 3) / 4;
    } else if (bd->kind == F_PROJECT) {
      const char *p = cell_str(rr, row, bd->col);
      r.project = *p ? p : NULL;
    }
  }
  if (!r.name && name_from_code)
    r.name = name_from_code;
  if (s->kind == MODEL_ROWS_CODED && !r.code && !bad) {
    row_error(rr, row, r.at.col, "a row of %s%s%s without a code%s%s%s",
              m->t->id, s->id ? " " : "", s->id ? s->id : "",
              r.name && *r.name ? " ('" : "", r.name ? r.name : "",
              r.name && *r.name ? "')" : "");
    return;
  }
  if (s->kind != MODEL_ROWS_RECORD && (!r.name || !*r.name)) {
    row_error(rr, row, r.at.col, "a row of %s without a name", m->t->id);
    return;
  }
  if (s->kind == MODEL_ROWS_RECORD && is->nrows) {
    row_error(rr, row, r.at.col,
              "%s holds one row of figures; this is a second (the first is "
              "row %d)",
              m->t->id, is->rows[0].at.row + 1);
    return;
  }
  read_amounts(rr, side, row, &r);
  XGROW(is->rows, is->cap, is->nrows + 1);
  is->rows[is->nrows++] = r;
}

/* Does t start as the layout says a note line does (`import: note:`)? */
static bool is_note(const char *const *starts, const char *t) {
  for (size_t i = 0; starts && starts[i]; i++)
    if (!strncmp(t, starts[i], strlen(starts[i])))
      return true;
  return false;
}

static bool read_rows(matcher *m, imp_table *it) {
  row_reader rr = {m, it, true};
  /* row by row over the cells there are (empty rows cost nothing) */
  for (size_t i = lower_bound(m->s, m->deepest + 1, 0); i < m->s->ncells;) {
    int row = m->s->cells[i].row;
    /* a note line: the only text of its row */
    int texts = 0, first = -1;
    for (; i < m->s->ncells && m->s->cells[i].row == row; i++)
      if (*text_trim(m->a, cell_text(m->a, &m->s->cells[i]))) {
        texts++;
        if (first < 0)
          first = m->s->cells[i].col;
      }
    if (!texts)
      continue;
    const char *t = cell_str(&rr, row, first);
    if (texts == 1 && is_note(m->note_starts, t)) {
      it->note = t;
      it->note_at = ref(m->s, row, first);
      continue;
    }
    for (size_t side = 0; side < m->t->nsides; side++)
      if (!side_cells_blank(&rr, (int)side, row))
        read_side_row(&rr, (int)side, row);
  }
  /* the rows are copied out of the growable arrays into the arena */
  for (size_t side = 0; side < m->t->nsides; side++) {
    imp_side *is = &it->sides[side];
    imp_row *rows = ARENA_ARRAY(m->a, imp_row, is->nrows ? is->nrows : 1);
    if (is->nrows)
      memcpy(rows, is->rows, is->nrows * sizeof *rows);
    free(is->rows);
    is->rows = rows;
    if (!is->has_total) {
      imp_row none = {.at = ref(m->s, m->s->nrows, 0)};
      const model_side *s = &m->t->sides[side];
      none.amounts = ARENA_ARRAY(m->a, imp_amount, s->ncolumns ? s->ncolumns : 1);
      for (size_t k = 0; k < s->ncolumns; k++)
        none.amounts[k].at = none.at;
      is->total = none;
    }
  }
  return rr.ok;
}

/* ---------------------------------------------------------------- sheets */

/* How well sheet s stands for table t: the layout's mapping, then its name,
 * then the table's title in its first rows (the longest title wins). */
static int sheet_score(arena *a, const book_sheet *s, const model_table *t,
                       const layout_table *lt) {
  const char *const *names = lt ? layout_table_sheets(lt) : NULL;
  for (size_t i = 0; names && names[i]; i++)
    if (!strcmp(names[i], s->name))
      return 100000;
  const char *name = label_norm(a, s->name);
  const char *label = lt && layout_table_label(lt)
                          ? label_norm(a, layout_table_label(lt))
                          : NULL;
  const char *titles[2] = {t->title ? label_norm(a, t->title) : NULL,
                           lt && layout_table_title(lt)
                               ? label_norm(a, layout_table_title(lt))
                               : NULL};
  if (!strcmp(name, label_norm(a, t->id)) ||
      (label && !strncmp(label, name, strlen(name)) && *name &&
       (!strcmp(label, name) ||
        !strcmp(label + strlen(name), "："))))
    return 50000;
  for (int k = 0; k < 2; k++)
    if (titles[k] && !strcmp(name, titles[k]))
      return 40000;
  int best = 0;
  for (size_t i = 0; i < s->ncells && s->cells[i].row < 6; i++) {
    if (s->cells[i].kind != CELL_TEXT)
      continue;
    const char *text = label_norm(a, s->cells[i].text);
    for (int k = 0; k < 2; k++)
      if (titles[k] && *titles[k] && strstr(text, titles[k]) &&
          (int)strlen(titles[k]) > best)
        best = (int)strlen(titles[k]);
  }
  return best;
}

static const layout_table *layout_for(const layout *l, const char *id) {
  for (int i = 0; i < layout_table_count(l); i++)
    if (!strcmp(layout_table_data(layout_table_at(l, i)), id))
      return layout_table_at(l, i);
  return NULL;
}

/* The text after a template's literal prefix ("单位：{amount_unit}"),
 * found in the rows above the header. */
static const char *meta_value(arena *a, const book_sheet *s, int above,
                              const char *tmpl, cellref *at) {
  if (!tmpl)
    return NULL;
  const char *brace = strchr(tmpl, '{');
  if (!brace || brace == tmpl)
    return NULL;
  const char *prefix = label_norm(a, arena_strndup(a, tmpl, (size_t)(brace - tmpl)));
  for (size_t i = 0; i < s->ncells && s->cells[i].row < above; i++) {
    if (s->cells[i].kind != CELL_TEXT)
      continue;
    const char *t = text_trim(a, s->cells[i].text);
    const char *n = label_norm(a, t);
    if (!strncmp(n, prefix, strlen(prefix)) && n[strlen(prefix)]) {
      /* the value as written: skip the prefix's characters in t */
      size_t skip = utf8_length(prefix, strlen(prefix)), k = 0, bytes = 0;
      size_t tl = strlen(t);
      while (k < skip && bytes < tl) {
        uint32_t cp;
        size_t len = utf8_decode(t + bytes, tl - bytes, &cp);
        if (!len)
          break;
        bytes += len;
        if (cp != ' ' && cp != 0x3000)
          k++;
      }
      if (at)
        *at = ref(s, s->cells[i].row, s->cells[i].col);
      return text_trim(a, t + bytes);
    }
  }
  return NULL;
}

/* The year in t as the layout's template says a title gives it
 * ("{year}年": four digits, not inside a longer number, with what stands
 * around {year} around them), or NULL. */
static const char *year_in(arena *a, const char *t, const char *tmpl) {
  const char *at = tmpl ? strstr(tmpl, "{year}") : NULL;
  if (!at)
    return NULL;
  size_t before = (size_t)(at - tmpl);
  const char *after = at + strlen("{year}");
  for (const char *p = t; *p; p++)
    if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
        isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
        !isdigit((unsigned char)p[4]) && (p == t || !isdigit((unsigned char)p[-1])) &&
        (size_t)(p - t) >= before && !strncmp(p - before, tmpl, before) &&
        !strncmp(p + 4, after, strlen(after)))
      return arena_strndup(a, p, 4);
  return NULL;
}

static void learn_facts(arena *a, const book_sheet *s, int above,
                        const layout *l, const layout_table *lt,
                        imp_facts *f) {
  if (!f->unit)
    f->unit = meta_value(a, s, above, layout_table_meta(lt, false), &f->unit_at);
  if (!f->amount_unit)
    f->amount_unit = meta_value(a, s, above, layout_table_meta(lt, true),
                                &f->amount_unit_at);
  for (size_t i = 0; !f->year && i < s->ncells && s->cells[i].row < above; i++) {
    const char *t = s->cells[i].kind == CELL_TEXT ? s->cells[i].text : "";
    if (is_note(layout_import_note(l), text_trim(a, t)))
      continue;
    f->year = year_in(a, t, layout_import_year(l));
  }
}

bool import_match(arena *a, const book *b, const model *m, const layout *l,
                  imp_table *tables, imp_facts *facts, diag *d) {
  bool ok = true;
  size_t ns = b->nsheets;
  int *claimed = xcalloc(ns ? ns : 1, sizeof *claimed); /* best score */
  int *pick = xcalloc(m->ntables ? m->ntables : 1, sizeof *pick);
  int *score = xcalloc(m->ntables ? m->ntables : 1, sizeof *score);
  for (size_t t = 0; t < m->ntables; t++) {
    tables[t] = (imp_table){.table = &m->tables[t],
                            .look = layout_for(l, m->tables[t].id)};
    pick[t] = -1;
    for (size_t s = 0; s < ns; s++) {
      int sc = sheet_score(a, &b->sheets[s], &m->tables[t], tables[t].look);
      if (sc > score[t]) {
        score[t] = sc;
        pick[t] = (int)s;
      }
    }
    if (pick[t] >= 0 && score[t] > claimed[pick[t]])
      claimed[pick[t]] = score[t];
  }
  const char *file = b->nsheets ? b->sheets[0].file : NULL;
  for (size_t t = 0; t < m->ntables; t++) {
    const model_table *mt = &m->tables[t];
    imp_table *it = &tables[t];
    if (!it->look) {
      diag_error(d, DIAG_LAYOUT, (src_pos){file, 0, 0},
                 "the layout has no table for %s, so it cannot be recognised",
                 mt->id);
      ok = false;
      continue;
    }
    if (pick[t] < 0 || claimed[pick[t]] > score[t]) {
      diag_error(d, DIAG_SCHEMA, (src_pos){file, 0, 0},
                 "no sheet holds %s (%s): name a sheet '%s', put the title in "
                 "its first rows, or list the sheet under import-sheets in the "
                 "layout",
                 mt->id, mt->title ? mt->title : "", mt->id);
      ok = false;
      continue;
    }
    it->sheet = &b->sheets[pick[t]];
    it->sides = ARENA_ARRAY(a, imp_side, mt->nsides);
    for (size_t s = 0; s < mt->nsides; s++)
      it->sides[s].side = &mt->sides[s];
    matcher mm = {.a = a, .d = d, .s = it->sheet, .t = mt, .lt = it->look,
                  .norms = xcalloc(it->sheet->ncells ? it->sheet->ncells : 1,
                                   sizeof(const char *)),
                  .note_starts = layout_import_note(l)};
    if (!match_header(&mm)) {
      ok = false;
    } else {
      learn_facts(a, it->sheet, mm.top, l, it->look, facts);
      ok &= read_rows(&mm, it);
    }
    free(mm.b);
    free(mm.norms);
  }
  free(claimed);
  free(pick);
  free(score);
  return ok;
}

void import_scan_facts(arena *a, const book *b, const layout *l,
                       imp_facts *f) {
  if (layout_table_count(l) <= 0)
    return;
  const layout_table *lt = layout_table_at(l, 0);
  for (size_t s = 0; s < b->nsheets; s++)
    learn_facts(a, &b->sheets[s], 4, l, lt, f);
}
