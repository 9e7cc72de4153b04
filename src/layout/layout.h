/* SPDX-License-Identifier: MIT */
/* layout.h — the layout stage: a layout file (in layouts/) says how a
 * kind of document looks; expanded against a budget model it gives a block
 * tree that paginate sets on pages.
 *
 *   layout *l = layout_load(path, d);          parse + validate the file
 *   block_doc *b = layout_expand(l, m, d);     bind to the data, make blocks
 *   ... paginate(b) ...
 *   block_doc_drop(b); layout_drop(l);
 *
 * Nothing here measures text: blocks carry text, styles and column widths;
 * line breaking and page breaking are paginate's.  No code here names a
 * table, unit or year — all of that comes from the layout file and the
 * data.  Lengths are in PDF points (1/72 in) throughout. */
#ifndef BUDGETPDF_LAYOUT_H
#define BUDGETPDF_LAYOUT_H

#include "base.h"
#include "model.h"

/* ================================================================ styles */

typedef enum layout_align {
  ALIGN_LEFT,
  ALIGN_CENTER,
  ALIGN_RIGHT,
  ALIGN_JUSTIFY /* spread lines to both edges; a paragraph's last line left */
} layout_align;

typedef struct layout_style {
  const char *name;
  src_pos pos;
  const char *font;    /* a font role (fonts/fonts.yaml), e.g. "宋体" */
  src_pos font_pos;    /* its `font:` value */
  double size;         /* pt */
  double leading;      /* line pitch, pt; defaults to 1.2 × size */
  layout_align align;
  double first_indent; /* extra indent of a paragraph's first line */
  double left_indent, right_indent;
  double space_before, space_after;
  bool keep_with_next; /* stay on the page of the next block's start */
  bool avoid_lone_char; /* no last line of one character (孤字) */
  double max_spread;    /* pt a justified line may add per gap (max-spread) */
  /* A character grid on the type area (GB/T 9704: 28 × 22 at 三号): 0, or
   * full-width characters a line (their pitch is the type area's width
   * over it; em indents follow the pitch) and lines a page (the leading
   * is the type area's height over it). */
  int grid_chars, grid_lines;
} layout_style;

/* A page setup.  The sheet is the paper as printed and bound; the margins
 * are on the sheet.  A turned page keeps the sheet and its type area but
 * sets the content turned by 90°, head towards the binding edge, as GB/T
 * 9704 asks of landscape tables; the PDF shows it landscape. */
typedef struct layout_page {
  const char *name;
  src_pos pos;
  double sheet_width, sheet_height;
  double margin_top, margin_bottom, margin_left, margin_right;
  bool turned;
} layout_page;

/* Width and height of the type area as the content sees it (swapped for a
 * turned page). */
double layout_page_content_width(const layout_page *p);
double layout_page_content_height(const layout_page *p);

/* ================================================================ blocks
 * The block tree: what layout_expand makes and paginate consumes.  It is
 * allocated in the block_doc's arena and immutable once made. */

typedef enum block_kind {
  BLOCK_PARAGRAPH, /* text broken into lines */
  BLOCK_SPACE,     /* vertical space (dropped at the top of a page) */
  BLOCK_TABLE,     /* bordered (or borderless) grid */
  BLOCK_TOC,       /* the table of contents, filled in after pagination */
  BLOCK_PAGE_BREAK
} block_kind;

/* Space between a cell's border and its text. */
typedef struct cell_padding {
  double v, h; /* above and below; left and right (pt) */
} cell_padding;

typedef struct block_cell {
  const char *text; /* "" for an empty cell */
  src_pos pos;      /* where the text came from (data or layout) */
  const layout_style *style;
  layout_align align;
  double indent;    /* extra left indent, pt (款/项 names) */
  int col;          /* first column, 0-based */
  int colspan, rowspan;
  bool nowrap;      /* a figure or a code: set on one line, never broken;
                       one too wide for its column is an error */
  src_pos column_pos; /* the layout's column (or grid cell), for that
                         error */
} block_cell;

/* How a table's column is sized (layout `width`, or `min`/`max`/`share`).
 * A fixed column keeps its width; an automatic one is as wide as its
 * widest figure, code or header word needs, at least `min` and at most
 * `max` where given, and takes `share` parts of the width left over once
 * every column has what it needs (paginate measures: the layout stage
 * does not see text). */
typedef struct block_column {
  double width;      /* > 0: fixed, pt */
  double min, max;   /* automatic: bounds, pt; 0: none */
  double share;      /* automatic: parts of the spare width; 0: none */
  src_pos pos;       /* the layout's column line, for errors */
  const char *title; /* for messages ("" for a sheet's grid column) */
} block_column;

typedef struct block_row {
  block_cell *cells; /* in column order; columns covered by a rowspan from
                        a row above have no cell here */
  int ncells;
} block_row;

typedef struct block_table {
  const double *widths; /* ncols column widths, pt (fixed columns; an
                           automatic column's `min` until measured) */
  int ncols;
  /* ncols sizing rules, or NULL: `widths` as given.  A table with
   * automatic columns spans its frame's width. */
  const block_column *columns;
  src_pos widths_pos;   /* the layout's columns or `widths:` line */
  /* Smaller type the table may be set in when its columns do not fit:
   * each a factor on every style of the table (五号 → 小五: 9/10.5),
   * tried in order.  NULL: none. */
  const double *scales;
  int nscales;
  bool borders;         /* false: a borderless grid (meta lines) */
  block_row *head;      /* header rows, drawn above the body where it
                           starts */
  int nhead;
  block_row *body;
  int nbody;
  /* Rows drawn again at the top of every later page the table continues
   * on (under the continued line) once the body is past row repeat_after:
   * a budget table's header rows, or a sheet's indicator header (which is
   * a body row itself, under the sheet's header block).  NULL: none. */
  const block_row *repeat;
  int nrepeat;
  int repeat_after;
  int keep_rows;        /* the first keep_rows body rows stay on one page
                           when they fit on one */
  const char *continued;               /* drawn above repeated headers, or NULL */
  const layout_style *continued_style;
  cell_padding padding;
  double head_padding;                 /* above and below the header rows'
                                          text, pt; 0: padding.v */
  double rule_width;                   /* border line width, pt */
  double min_row_height;               /* pt; rows grow beyond it */
  double space_after;                  /* below the last row, pt */
} block_table;

typedef struct block_toc {
  const layout_style *title_style;
  const char *title;
  const layout_style *const *level_styles; /* entry style per level; [0] is level 1 */
  int nlevels;
  const char *leader; /* repeated between title and page number */
} block_toc;

typedef struct block {
  block_kind kind;
  src_pos pos;
  bool keep_with_next; /* paragraph style's, or set by the layout */
  int toc_level;       /* 0: not in the table of contents */
  int bookmark_level;  /* 0: no bookmark */
  const char *toc_text; /* text for the TOC and bookmark (NULL: the text) */
  union {
    struct {
      const char *text;
      const layout_style *style;
    } paragraph;
    double space; /* pt */
    block_table table;
    block_toc toc;
  } u;
} block;

/* A run of pages with one page setup; every section starts a new page. */
typedef struct block_section {
  const layout_page *page;
  bool folio;             /* page numbers on these pages */
  int first_page_number;  /* 0: go on counting */
  const char *bookmark;   /* a bookmark for the section's first page, or NULL */
  block *blocks;
  int nblocks;
} block_section;

typedef struct layout_folio {
  const char *text;     /* template with {page} */
  src_pos pos;
  const layout_style *style;
  double below;         /* from the type area's bottom edge to the folio's
                           middle, pt */
  double inset;         /* from the type area's outer edge, pt */
  const layout_page *frame; /* whose type area places it on every sheet,
                               or NULL: the page's own */
} layout_folio;

typedef struct block_doc {
  arena *arena; /* owns everything below */
  block_section *sections;
  int nsections;
  const layout_folio *folio; /* NULL: no page numbers anywhere */
  /* Document information, templates already filled in. */
  const char *title, *author, *subject, *keywords;
  const char *creation_date; /* "YYYY-MM-DD[THH:MM:SS]", or NULL */
} block_doc;

/* ================================================================ the stage */

typedef struct layout layout;

/* Parse and validate a layout file.  Returns NULL after reporting errors
 * (positioned, every one found) to d.  Drop with layout_drop. */
layout *layout_load(const char *path, diag *d);
/* The same from bytes in memory; name is used in positions. */
layout *layout_parse(const char *name, const char *bytes, size_t len,
                     diag *d);
void layout_drop(layout *l);

/* The schema name the layout is made for (borrowed). */
const char *layout_schema_name(const layout *l);

/* Font roles the layout's styles use, NULL-terminated (borrowed). */
const char *const *layout_font_roles(const layout *l);
/* Where each of them is first named (a style's `font:`), in the same
 * order (borrowed). */
const src_pos *layout_font_role_positions(const layout *l);

typedef struct layout_expand_options {
  /* The creation date to record ("YYYY-MM-DD[THH:MM:SS]"); NULL takes
   * the date the layout's `info: date:` reads from the data (no date if
   * it names none or the data has none). */
  const char *creation_date;
} layout_expand_options;

/* Expand the layout against a model: refuse a model of another schema
 * than the layout's ("this layout is for schema …", at the layout file),
 * bind every field (reporting fields
 * that do not exist, with the layout position), format amounts, compute
 * table header rows from the column trees, and return the block tree.
 * opts may be NULL.  NULL after errors.  The result borrows styles and
 * pages from l, so drop it before l. */
block_doc *layout_expand(const layout *l, const model *m,
                         const layout_expand_options *opts, diag *d);
void block_doc_drop(block_doc *b);

/* Print the block tree as text, one line per block or row, for tests and
 * for `budgetpdf dump-blocks`. */
void block_doc_dump(const block_doc *b, FILE *out);

/* ---------------------------------------------------------------- parts
 * Exposed for tests: header rows from a column tree. */

typedef struct layout_column layout_column;

/* The header rows a column tree makes: a node at depth d with k leaves
 * under it spans k columns; a leaf spans down to the last header row.
 * Cells are allocated in a; *nrows receives the number of rows.  Each
 * cell's text is the node's title and its style is `style`. */
block_row *header_rows_from_column_tree(arena *a, const layout_column *roots,
                                        int nroots, const layout_style *style,
                                        int *nrows);

/* ---------------------------------------------------------------- tables
 * What the importer (src/import) reads of a layout: each table block in
 * document order, the column tree that draws its header, its total
 * labels and meta line.  All borrowed from the layout. */

typedef struct layout_table layout_table;

int layout_table_count(const layout *l);
const layout_table *layout_table_at(const layout *l, int i);
const char *layout_table_data(const layout_table *t);  /* schema table id */
const char *layout_table_title(const layout_table *t); /* template or NULL */
const char *layout_table_label(const layout_table *t); /* "表三：" or NULL */
/* What starts a sheet's note line (`import: {note: [备注, 注：]}`),
 * NULL-terminated, or NULL: a line of one text starting so is the table's
 * note, not a row. */
const char *const *layout_import_note(const layout *l);
/* Where a sheet's title gives the year (`import: {year: "{year}年"}`): the
 * template, one {year} in it, or NULL. */
const char *layout_import_year(const layout *l);
/* The sheet names of `import-sheets:`, NULL-terminated, or NULL. */
const char *const *layout_table_sheets(const layout_table *t);
/* The label of the total row placed at a leaf's field, or NULL. */
const char *layout_table_total_label(const layout_table *t, const char *at);
/* The meta line's left or right template ("单位：{amount_unit}"). */
const char *layout_table_meta(const layout_table *t, bool right);
int layout_table_ncolumns(const layout_table *t);
const layout_column *layout_table_column(const layout_table *t, int i);

const char *layout_column_title(const layout_column *c);
const char *layout_column_field(const layout_column *c); /* NULL: inner */
int layout_column_decimals(const layout_column *c);      /* -1: as written */
int layout_column_nchildren(const layout_column *c);
const layout_column *layout_column_child(const layout_column *c, int i);

#endif
