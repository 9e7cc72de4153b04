/* SPDX-License-Identifier: MIT */
/* import.h — the import stage: the tables of a budget system's export
 * (a workbook: .xlsx, .xls, or one .csv file per sheet) read into a data
 * file, driven by what the schema and the layout already say.
 *
 *   import_options o = {.books = argv_books, .nbooks = n, .into = path};
 *   bool ok = import_run(&o, d);       report all; exit status from d
 *
 * A sheet is matched to a table of the schema by the layout's
 * `import-sheets:` names, else by its name (the table id, label or title),
 * else by the table's title in its first rows.  Its header rows are
 * recognised from the table's column tree in the layout (the tree that
 * draws the header), its rows by their code and name.  Figures are read
 * exactly: a spreadsheet number is a binary double, taken at its shortest
 * round-trip decimal, never printed with fixed decimals.  Errors are
 * positioned at the cell: "BOOK.xlsx:表三!D7: error: …".  Then `check`
 * runs on the imported data, its findings (warnings) positioned at the
 * cells the figures came from.  docs/IMPORT.md describes it all.
 *
 * What a hostile workbook could use to exhaust memory or time (zip bombs,
 * huge string tables, deep XML, enormous sheets) is bounded by
 * import_limits and refused with an error naming the limit. */
#ifndef BUDGETPDF_IMPORT_H
#define BUDGETPDF_IMPORT_H

#include "base.h"
#include "model.h"

typedef struct import_limits {
  size_t max_file_bytes;   /* the workbook (or CSV) file */
  size_t max_part_bytes;   /* one part of an .xlsx, uncompressed */
  size_t max_total_bytes;  /* all parts read, uncompressed */
  size_t max_strings;      /* entries of the shared-string table */
  size_t max_text_bytes;   /* all strings and cell texts kept */
  size_t max_cells;        /* non-empty cells in the whole book */
  size_t max_sheets;
  int max_depth;           /* XML element nesting */
} import_limits;

/* Limits for real exports: a budget workbook is a few hundred KB. */
extern const import_limits import_default_limits;

typedef struct import_options {
  /* The workbook: one .xlsx or .xls file, or one .csv file per sheet
   * (each sheet named after its file). */
  const char *const *books;
  size_t nbooks;
  /* Exactly one of: write a new data file (out), or update the tables of
   * an existing one in place (into), keeping everything else. */
  const char *out;
  const char *into;
  /* The layout, by name or path: required with out (it names the
   * schema); with into it overrides the data's. */
  const char *layout;
  /* out: the document's year when the workbook's titles do not say. */
  const char *year;
  model_options model;
  const import_limits *limits; /* NULL: import_default_limits */
} import_options;

/* Import the workbook as the options say; report every error to d.
 * Returns true if the data file was written (check findings are
 * warnings and do not stop it).  Nothing is written after an error, and
 * the file is replaced atomically. */
bool import_run(const import_options *o, diag *d);

/* Read a workbook from memory (for fuzzing the readers): kind is "xlsx"
 * or "csv"; name stands for the file in messages.  Returns the number of
 * sheets read, or -1 after reporting errors to d. */
int import_read_book(const char *name, const char *kind, const void *bytes,
                     size_t len, const import_limits *lim, diag *d);

#endif
