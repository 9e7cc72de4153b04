/* SPDX-License-Identifier: MIT */
/* tables.c — the layout's tables as the importer reads them: each table
 * block in document order, its column tree, total labels, meta line and
 * the sheet names a layout may map it to (`import-sheets:`). */
#include "layout_imp.h"

#include <string.h>

static const lblock *table_block(const layout *l, int want) {
  int n = 0;
  for (int s = 0; s < l->nsections; s++)
    for (int b = 0; b < l->sections[s].nblocks; b++)
      if (l->sections[s].blocks[b].kind == LB_TABLE && n++ == want)
        return &l->sections[s].blocks[b];
  return NULL;
}

int layout_table_count(const layout *l) {
  int n = 0;
  for (int s = 0; s < l->nsections; s++)
    for (int b = 0; b < l->sections[s].nblocks; b++)
      n += l->sections[s].blocks[b].kind == LB_TABLE;
  return n;
}

const layout_table *layout_table_at(const layout *l, int i) {
  const lblock *b = table_block(l, i);
  return b ? &b->u.table : NULL;
}

const char *layout_table_data(const layout_table *t) { return t->data; }
const char *layout_table_title(const layout_table *t) { return t->title.text; }
const char *layout_table_label(const layout_table *t) { return t->label.text; }

const char *const *layout_table_sheets(const layout_table *t) {
  return (const char *const *)t->import_sheets;
}

const char *layout_table_total_label(const layout_table *t, const char *at) {
  for (int i = 0; i < t->ntotals; i++)
    if (t->totals[i].at && !strcmp(t->totals[i].at, at))
      return t->totals[i].label.text;
  return NULL;
}

const char *layout_table_meta(const layout_table *t, bool right) {
  return right ? t->look.meta_right.text : t->look.meta_left.text;
}

int layout_table_ncolumns(const layout_table *t) { return t->ncolumns; }

const layout_column *layout_table_column(const layout_table *t, int i) {
  return i >= 0 && i < t->ncolumns ? &t->columns[i] : NULL;
}

const char *layout_column_title(const layout_column *c) { return c->title; }
const char *layout_column_field(const layout_column *c) {
  return c->nchildren ? NULL : c->field;
}
int layout_column_decimals(const layout_column *c) { return c->decimals; }
int layout_column_nchildren(const layout_column *c) { return c->nchildren; }
const layout_column *layout_column_child(const layout_column *c, int i) {
  return i >= 0 && i < c->nchildren ? &c->children[i] : NULL;
}

const char *const *layout_import_note(const layout *l) {
  return l->import_note;
}

const char *layout_import_year(const layout *l) { return l->import_year; }
