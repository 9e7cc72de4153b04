/* SPDX-License-Identifier: MIT */
/* columns.c — header rows from a table's column tree.
 *
 * A node at depth d (1 = top) with k leaves below it becomes one header
 * cell in row d-1 spanning k columns; a leaf spans down to the last header
 * row, so leaves of a shallow branch stand beside a deep one (e.g.
 * 功能分类科目名称 beside 功能分类科目编码 over 类/款/项). */
#include "layout_imp.h"

static int tree_depth(const layout_column *c) {
  int deepest = 0;
  for (int i = 0; i < c->nchildren; i++) {
    int d = tree_depth(&c->children[i]);
    if (d > deepest)
      deepest = d;
  }
  return deepest + 1;
}

static int leaf_count(const layout_column *c) {
  if (!c->nchildren)
    return 1;
  int n = 0;
  for (int i = 0; i < c->nchildren; i++)
    n += leaf_count(&c->children[i]);
  return n;
}

typedef struct header_builder {
  arena *a;
  block_row *rows;
  int nrows;
  int *caps; /* per row, allocated cells */
  const layout_style *style;
} header_builder;

static void place(header_builder *h, const layout_column *c, int depth,
                  int *next_col) {
  block_row *row = &h->rows[depth - 1];
  block_cell *cell = &row->cells[row->ncells++];
  cell->text = c->title;
  cell->pos = c->pos;
  cell->style = h->style;
  cell->align = ALIGN_CENTER;
  cell->col = *next_col;
  cell->colspan = leaf_count(c);
  cell->rowspan = c->nchildren ? 1 : h->nrows - depth + 1;
  if (!c->nchildren) {
    (*next_col)++;
    return;
  }
  for (int i = 0; i < c->nchildren; i++)
    place(h, &c->children[i], depth + 1, next_col);
}

/* Cells in each row, to size the arrays before placing. */
static void count_cells(const layout_column *c, int depth, int *counts) {
  counts[depth - 1]++;
  for (int i = 0; i < c->nchildren; i++)
    count_cells(&c->children[i], depth + 1, counts);
}

block_row *header_rows_from_column_tree(arena *a, const layout_column *roots,
                                        int nroots, const layout_style *style,
                                        int *nrows) {
  int depth = 0;
  for (int i = 0; i < nroots; i++) {
    int d = tree_depth(&roots[i]);
    if (d > depth)
      depth = d;
  }
  *nrows = depth;
  if (!depth)
    return NULL;
  header_builder h = {a, ARENA_ARRAY(a, block_row, (size_t)depth), depth,
                      NULL, style};
  int counts[8] = {0}; /* the loader bounds nesting at 6 */
  for (int i = 0; i < nroots; i++)
    count_cells(&roots[i], 1, counts);
  for (int r = 0; r < depth; r++)
    h.rows[r].cells = ARENA_ARRAY(a, block_cell, (size_t)counts[r]);
  int col = 0;
  for (int i = 0; i < nroots; i++)
    place(&h, &roots[i], 1, &col);
  return h.rows;
}
