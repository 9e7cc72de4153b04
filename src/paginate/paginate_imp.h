/* SPDX-License-Identifier: MIT */
/* paginate_imp.h — measured blocks, private to src/paginate.
 *
 * measure.c fills these from the block tree with the text stage; place.c
 * sees only their geometry (mblock); emit.c draws them.  Everything lives
 * in the paginator's arena. */
#ifndef BUDGETPDF_PAGINATE_IMP_H
#define BUDGETPDF_PAGINATE_IMP_H

#include "paginate.h"
#include "place.h"

/* A table cell set in its box. */
typedef struct mcell {
  const block_cell *cell;
  const layout_style *style; /* the cell's, at the table's size step */
  const text_paragraph *para;
  double x, width; /* left edge and width, from the table's left edge */
  double need;     /* content height + padding: the least its rows need */
  int row;         /* first row, within the head or the body */
} mcell;

typedef struct mrow {
  mcell *cells;
  int ncells;
} mrow;

typedef struct mtable {
  const block_table *bt;
  double x0;     /* the table's left edge in the content frame */
  double width;
  double *head_h;
  mrow *head;
  double *repeat_h;
  mrow *repeat;
  double *body_h;
  mrow *body;
  mspan *spans;
  int nspans;
  const double **cuts; /* per body row: where a too-tall row may be cut */
  int *ncuts;
  const text_paragraph *continued; /* NULL if none */
  double continued_h;
  double scale;  /* the size step the table is set at (1: as styled) */
} mtable;

/* One measured item of a section, parallel to the section's mblocks. */
typedef struct mitem {
  const block *b;               /* the block it came from */
  const text_paragraph *para;   /* paragraphs and TOC entries */
  const layout_style *style;
  double x;                     /* left edge of the paragraph's box */
  mtable *table;
  int toc_entry;                /* TOC lines: entry index; -1 otherwise */
} mitem;

/* An entry of the table of contents, found before measuring. */
typedef struct toc_entry {
  const block *target;
  int level;
  const char *text;
  int page;                     /* set after placement: 0-based page */
  double y;                     /* and the top of the target there */
} toc_entry;

typedef struct msection {
  const block_section *sec;
  mblock *blocks;
  mitem *items;
  int n;
  double width, height; /* the content frame */
} msection;

typedef struct style_role {
  const layout_style *style;
  int role;
} style_role;

/* A table's styles set a size step smaller (五号 → 小五). */
typedef struct scaled_style {
  const layout_style *from;
  double factor;
  layout_style *style;
} scaled_style;

/* A style on a page's character grid. */
typedef struct grid_style {
  const layout_style *from;
  double w, h; /* the frame */
  layout_style *style;
} grid_style;

typedef struct paginator {
  const block_doc *doc;
  text_fonts *fonts;
  text_shaper *shaper;
  diag *d;
  arena *a;
  toc_entry *toc;
  int ntoc;
  double toc_number_width; /* reserved at the right of TOC entries */
  msection *sections;
  int nsections;
  style_role *roles; /* font role of each style seen (malloc'd) */
  size_t nroles, caproles;
  scaled_style *scaled; /* (malloc'd; the styles in a) */
  size_t nscaled, capscaled;
  grid_style *grid; /* (malloc'd; the styles in a) */
  size_t ngrid, capgrid;
} paginator;

/* measure.c */
int paginator_role(paginator *p, const layout_style *s);
text_style paginator_text_style(paginator *p, const layout_style *s);
void measure_document(paginator *p);

#endif
