/* SPDX-License-Identifier: MIT */
/* import_imp.h — the import stage's parts, private to src/import:
 *
 *   book.c     workbooks (.xlsx by libzip + expat, .xls by freexl,
 *              .csv) read into sheets of cells, within the limits
 *   figure.c   a cell as a figure, a code, a label: exact decimals
 *   match.c    sheets matched to the schema's tables, headers to the
 *              layout's column trees, rows to codes and names
 *   write.c    imported tables as YAML: a new data file, or the tables of
 *              an existing one replaced in place
 *   import.c   the run: read, match, write, check, positions to cells */
#ifndef BUDGETPDF_IMPORT_IMP_H
#define BUDGETPDF_IMPORT_IMP_H

#include "import.h"
#include "layout.h"

/* ---------------------------------------------------------------- books */

typedef enum cell_kind { CELL_TEXT, CELL_NUMBER } cell_kind;

/* A non-empty cell.  row and col are 0-based (A1 is 0, 0).  A merged
 * range holds its text in its top-left cell, as the matcher reads it; the
 * cells it covers are empty. */
typedef struct book_cell {
  int row, col;
  cell_kind kind;
  const char *text; /* CELL_TEXT: the text (UTF-8); CELL_NUMBER: NULL */
  double number;    /* CELL_NUMBER: the value as stored */
} book_cell;

typedef struct book_sheet {
  const char *name;
  const char *file;    /* the file it came from, for positions */
  book_cell *cells;    /* sorted by row, then column */
  size_t ncells;
  int nrows;           /* 1 + the last row holding a cell */
} book_sheet;

typedef struct book {
  arena *arena; /* owns everything */
  book_sheet *sheets;
  size_t nsheets;
} book;

/* Read a workbook file by its extension (.xlsx, .xls, .csv).  NULL after
 * reporting. */
book *book_load(const char *const *paths, size_t npaths,
                const import_limits *lim, diag *d);
/* From memory: "xlsx" or "csv" (freexl reads only files). */
book *book_parse(const char *name, const char *kind, const void *bytes,
                 size_t len, const import_limits *lim, diag *d);
void book_drop(book *b);

/* The cell at (row, col), or NULL if empty. */
const book_cell *sheet_cell(const book_sheet *s, int row, int col);

/* ---------------------------------------------------------------- cells */

/* Where a value came from: a sheet's cell. */
typedef struct cellref {
  const book_sheet *sheet;
  int row, col;
} cellref;

/* "BOOK.xlsx:表三!D7", interned in d, as a position (line 0). */
src_pos cell_pos(diag *d, cellref at);
/* "D7" into buf (at least 16 bytes). */
char *cell_name(int row, int col, char *buf);

/* A cell's text as shown: a text cell's text, a number's shortest
 * round-trip decimal; "" for an empty cell.  In arena a. */
const char *cell_text(arena *a, const book_cell *c);

/* The shortest decimal that reads back as v, without an exponent
 * ("1681.99", "0.000001", "1e+20" → "100000000000000000000"); false if v
 * is not finite or needs more than cap bytes. */
bool double_shortest(double v, char *buf, size_t cap);

/* A cell as an amount written for the data file: a number at its shortest
 * decimal (float noise past `decimals` rounded off), a text figure
 * ("1,681.99", full-width digits) when unambiguous.  Empty: *text NULL.
 * false after writing why into why[0..whycap). */
bool cell_amount(arena *a, const book_cell *c, int decimals,
                 const char **text, char *why, size_t whycap);

/* A label normalised for matching: white space dropped, ASCII brackets
 * and colons as their full-width forms.  In arena a. */
const char *label_norm(arena *a, const char *text);
/* Text with white space (ASCII, U+3000, U+00A0) trimmed at both ends. */
const char *text_trim(arena *a, const char *text);
/* Width of the text's leading indentation (U+3000 counts 2, blank 1). */
int text_indent(const char *text);

/* ---------------------------------------------------------------- tables */

typedef struct imp_amount {
  const char *text; /* as the data file will hold it; NULL: blank */
  cellref at;       /* the cell (also when blank) */
} imp_amount;

typedef struct imp_row {
  const char *code;    /* coded rows: the whole code */
  const char *name;    /* trimmed; NULL for a record */
  int level;           /* item rows: indent level */
  const char *project; /* the project's name, or NULL */
  imp_amount *amounts; /* side ncolumns */
  cellref at;          /* the row's first cell */
} imp_row;

typedef struct imp_side {
  const model_side *side;
  imp_row *rows;
  size_t nrows, cap;
  imp_row total;    /* all blank if the sheet has no total row */
  bool has_total;
} imp_side;

typedef struct imp_table {
  const model_table *table; /* the schema's table (through a model) */
  const layout_table *look; /* the layout's table */
  const book_sheet *sheet;  /* NULL: not found */
  imp_side *sides;          /* table->nsides */
  const char *note;         /* a 备注 row under the table, or NULL */
  cellref note_at;
} imp_table;

/* What the matcher learnt about the document from the sheets' meta rows
 * and titles (NULL where not found). */
typedef struct imp_facts {
  const char *unit, *amount_unit, *year;
  cellref unit_at, amount_unit_at;
} imp_facts;

/* Match every table of the model's schema to a sheet of b and read it.
 * tables receives m->ntables entries.  Returns false after reporting
 * errors (each at its cell). */
bool import_match(arena *a, const book *b, const model *m, const layout *l,
                  imp_table *tables, imp_facts *facts, diag *d);

/* The document facts from the sheets' first rows, read with the layout's
 * meta line (for a new data file, before a schema is at hand). */
void import_scan_facts(arena *a, const book *b, const layout *l,
                       imp_facts *f);

/* ---------------------------------------------------------------- YAML */

/* Which sheet row each line of the written YAML holds: for positions. */
typedef struct line_map {
  cellref *rows; /* index: line - 1; sheet NULL where none */
  size_t n, cap;
} line_map;
void line_map_set(line_map *lm, int line, cellref at);

/* Project ids by name: the existing register's, or new ones. */
typedef const char *(*project_id_fn)(const char *name, cellref at,
                                     void *ctx);

/* Append a table's YAML at `indent` spaces (its key included), noting in
 * lm the line of each row; first_line is the line b's end starts at. */
void yaml_write_table(bbuf *b, const imp_table *t, int indent,
                      project_id_fn ids, void *ctx, line_map *lm,
                      int first_line);
/* Append s as a YAML scalar (plain when that reads back as the same
 * string, else double-quoted). */
void yaml_write_scalar(bbuf *b, const char *s);

/* Write bytes to path atomically (a temporary file beside it, renamed
 * over it), keeping the old file's mode.  false after reporting. */
bool write_file_atomic(const char *path, const char *bytes, size_t len,
                       diag *d);

#endif
