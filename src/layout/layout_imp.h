/* SPDX-License-Identifier: MIT */
/* layout_imp.h — the loaded layout, private to src/layout.
 *
 * layout_load turns the YAML file into these structs once, checking every
 * key, type, style and page reference as it goes; layout_expand then only
 * binds fields to the data.  Everything lives in the layout's arena. */
#ifndef BUDGETPDF_LAYOUT_IMP_H
#define BUDGETPDF_LAYOUT_IMP_H

#include "layout.h"

/* Text from the layout file, possibly with {placeholders} filled in from
 * the data at expansion; the position is for errors about it. */
typedef struct ltemplate {
  const char *text; /* NULL: not given */
  src_pos pos;
} ltemplate;

/* A node of a table's column tree.  Leaves bind a field; inner nodes only
 * title the leaves below them. */
struct layout_column {
  const char *title;
  src_pos pos;
  layout_column *children;
  int nchildren;
  /* leaves only: */
  const char *field; /* e.g. "name", "code.类", "income.预算数", "合计" */
  src_pos field_pos;
  double width;
  layout_align align;
  bool align_set;  /* else amounts right, text left, codes centred */
  int decimals;    /* amounts: digits after the point; -1 as written */
  double indent;   /* per level below the top (款, 项), pt */
};

/* Where a total row puts its label: the leaf bound to `at`, spanning
 * the empty leaves to its left that are not amounts. */
typedef struct layout_total {
  ltemplate label;
  const char *at;
  src_pos pos;
} layout_total;

/* How tables look when a table does not say otherwise. */
typedef struct layout_table_look {
  const layout_style *label_style, *title_style, *meta_style, *note_style;
  const layout_style *cell, *head, *total;
  ltemplate meta_left, meta_right;
  ltemplate continued; /* above repeated headers; may be absent */
  const layout_style *continued_style;
  cell_padding padding;
  double rule;
  double min_row_height;
  double space_after;
} layout_table_look;

typedef struct layout_table {
  const char *data; /* the schema's table id */
  src_pos data_pos;
  ltemplate label, title;
  int toc;
  layout_column *columns;
  int ncolumns;
  layout_total *totals;
  int ntotals;
  int empty_rows; /* blank rows added when the table has no rows */
  layout_table_look look;
} layout_table;

/* A cell of a template grid row (performance sheets). */
typedef struct layout_grid_cell {
  ltemplate text;    /* literal text, or absent */
  const char *field; /* or a field of the sheet, or NULL */
  src_pos pos;
  int span;
  const layout_style *style; /* NULL: the grid's cell style */
  layout_align align;
  bool align_set;
  int decimals;
  bool merge; /* equal neighbours down the column merge into one cell */
} layout_grid_cell;

typedef struct layout_grid_row {
  layout_grid_cell *cells;
  int ncells;
  src_pos pos;
} layout_grid_row;

typedef struct layout_sheets {
  bool new_page;
  ltemplate title, subtitle;
  const layout_style *title_style, *subtitle_style;
  const layout_style *cell, *head;
  double *widths;
  int ncols;
  layout_grid_row *header;
  int nheader;
  int repeat_header; /* the last n header rows repeat */
  layout_grid_row row; /* one per indicator */
  cell_padding padding;
  double rule;
  double space_after;
  src_pos pos;
} layout_sheets;

typedef struct layout_descriptions {
  const layout_style *paragraph;
  double space_between;
} layout_descriptions;

typedef enum lblock_kind {
  LB_SPACE,
  LB_PAGE_BREAK,
  LB_PARAGRAPH,     /* literal text */
  LB_HEADING,       /* literal text, in the TOC and bookmarks */
  LB_TOC,
  LB_TEXT_SECTIONS, /* the data's titled sections of paragraphs */
  LB_TABLE,
  LB_EXPLANATION,   /* sections with descriptions and sheets inside */
  LB_GLOSSARY,
  LB_SIGNOFF
} lblock_kind;

typedef struct lblock {
  lblock_kind kind;
  src_pos pos;
  union {
    double space;
    struct {
      ltemplate text, toc_text;
      const layout_style *style;
      int toc; /* level, 0 none */
    } para;
    struct {
      ltemplate title;
      const layout_style *title_style;
      const layout_style *levels[4];
      int nlevels;
      const char *leader;
    } toc;
    struct {
      const char *data; /* which part of the data */
      src_pos data_pos;
      const layout_style *heading[4]; /* by depth; NULL beyond */
      int nheading;
      const layout_style *paragraph, *title;
      int toc;
      const char *const *numbering; /* by depth: "一、", "（一）", "1." —
                                       the number where 一 or 1 stands;
                                       what {#} in the data prints */
      int nnumbering;
      layout_descriptions descriptions;
      layout_sheets *sheets;
    } text;
    layout_table table;
    struct {
      const layout_style *style;
      double space_before;
    } signoff;
  } u;
} lblock;

typedef struct lsection {
  const layout_page *page;
  bool folio;
  int first_page_number;
  const char *bookmark;
  lblock *blocks;
  int nblocks;
  src_pos pos;
} lsection;

struct layout {
  arena *arena;
  const char *path;
  const char *schema;
  ltemplate info_title, info_author, info_subject, info_keywords;
  layout_style *styles;
  int nstyles;
  layout_page *pages;
  int npages;
  layout_folio folio; /* folio.text is the template's text */
  src_pos folio_pos;
  bool has_folio;
  layout_table_look table_look;
  lsection *sections;
  int nsections;
  const char **roles; /* NULL-terminated */
};

const layout_style *layout_lookup_style(const layout *l, const char *name);

/* numbering.c: the label of number n in a numbering pattern ("（一）" and
 * 3 → "（三）", "1." and 3 → "3."), and text with its first {#} replaced
 * by a label (text itself if it has none). */
const char *numbering_label(arena *a, const char *pattern, int n);
const char *numbering_fill(arena *a, const char *text, const char *label);

#endif
