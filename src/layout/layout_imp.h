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
  double width;     /* > 0: fixed; else sized by content: */
  double min_width, max_width, share;
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
  double head_padding; /* above and below header text; 0: padding's */
  double rule;
  double min_row_height;
  double space_after;
  const double *smaller; /* font sizes to try when the columns do not fit */
  int nsmaller;
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
  const char **import_sheets; /* import-sheets: sheet names, or NULL */
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
  bool merge; /* equal neighbours down the column merge into one cell
                 (also when the schema says the column spans its runs) */
  ltemplate fallback; /* printed when the field is left out, or absent */
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
  block_column *columns; /* ncols sizing rules (widths: fixed ones) */
  int ncols;
  src_pos widths_pos;
  const double *smaller;
  int nsmaller;
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
  ltemplate text; /* one paragraph per field: "{label}：{value}" */
} layout_descriptions;

/* Block kinds are generic: a text-sections, entries or fields block shows
 * whichever part of the data its `data:` names; a table block one table.
 * Each kind is one row of lblock_kinds (blocks.c). */
typedef enum lblock_kind {
  LB_SPACE,
  LB_PAGE_BREAK,
  LB_PARAGRAPH,     /* literal text */
  LB_HEADING,       /* literal text, in the TOC and bookmarks */
  LB_TOC,
  LB_TEXT_SECTIONS, /* a sections part, with descriptions and sheets where
                       its sections insert them */
  LB_TABLE,
  LB_ENTRIES,       /* an entries part: a title and paragraphs */
  LB_FIELDS,        /* a fields part: one paragraph per field */
  LB_NKINDS
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
      const char *data; /* the fields part */
      src_pos data_pos;
      const layout_style *style;
      double space_before;
    } fields;
  } u;
} lblock;

struct reader;   /* load.c */
struct expander; /* expand.c */

/* What a block kind is: its key in the layout, how it is read (the value
 * under the key, already known to be there) and expanded, and which data
 * it places — a table id or a part name, for the check that nothing the
 * data holds is left out (NULL: none). */
typedef struct lblock_kind_ops {
  const char *name;
  void (*read)(struct reader *r, const ynode *v, lblock *b);
  void (*expand)(struct expander *x, const lblock *b);
  const char *(*places)(const lblock *b);
} lblock_kind_ops;

extern const lblock_kind_ops lblock_kinds[LB_NKINDS];

void read_space_block(struct reader *r, const ynode *v, lblock *b);
void read_nothing_block(struct reader *r, const ynode *v, lblock *b);
void read_paragraph_block(struct reader *r, const ynode *v, lblock *b);
void read_toc_block(struct reader *r, const ynode *v, lblock *b);
void read_text_block(struct reader *r, const ynode *v, lblock *b);
void read_table_block(struct reader *r, const ynode *v, lblock *b);
void read_fields_block(struct reader *r, const ynode *v, lblock *b);

void expand_space_block(struct expander *x, const lblock *b);
void expand_page_break_block(struct expander *x, const lblock *b);
void expand_paragraph_block(struct expander *x, const lblock *b);
void expand_toc_block(struct expander *x, const lblock *b);
void expand_sections_block(struct expander *x, const lblock *b);
void expand_table_block(struct expander *x, const lblock *b);
void expand_entries_block(struct expander *x, const lblock *b);
void expand_fields_block(struct expander *x, const lblock *b);

typedef struct lsection {
  const layout_page *page;
  bool folio;
  int first_page_number;
  const char *bookmark;
  lblock *blocks;
  int nblocks;
  src_pos pos;
} lsection;

/* The creation date: a template giving the date's text, and the pattern
 * that text reads as ("{year}年{month}月{day}日"). */
typedef struct layout_date {
  ltemplate text, reads;
} layout_date;

struct layout {
  arena *arena;
  const char *path;
  const char *schema;
  ltemplate info_title, info_author, info_subject, info_keywords;
  layout_date info_date;
  /* How `budgetpdf import` reads a workbook (`import:`): the starts of a
   * table's note line, NULL-terminated (or NULL), and where a title gives
   * the year ("{year}年"; NULL: none does). */
  const char *const *import_note;
  const char *import_year;
  /* Tables and parts of the data the layout leaves out on purpose. */
  const char *const *omit;
  const src_pos *omit_pos;
  size_t nomit;
  src_pos document_pos;
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
  src_pos *role_pos;  /* per role: the first style's `font:` naming it */
  int *style_index;   /* open addressing by name: index into styles, -1
                         empty; style_index_cap slots (a power of two) */
  size_t style_index_cap;
  const char **style_names; /* NULL-terminated, for "did you mean" */
};

const layout_style *layout_lookup_style(const layout *l, const char *name);

/* numbering.c: the label of number n in a numbering pattern ("（一）" and
 * 3 → "（三）", "1." and 3 → "3."), and text with its first {#} replaced
 * by a label (text itself if it has none). */
const char *numbering_label(arena *a, const char *pattern, int n);
const char *numbering_fill(arena *a, const char *text, const char *label);

#endif
