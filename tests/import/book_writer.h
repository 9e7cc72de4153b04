/* SPDX-License-Identifier: MIT */
/* book_writer.h — test workbooks written at test time: the reference
 * data's tables, laid out as a budget system exports them (title row,
 * 编制部门 / 单位 row, the header the layout's column tree draws, body
 * rows, the total row, a 备注 row), in odd shapes on request, as .xlsx
 * (libxlsxwriter) or as one .csv a sheet (UTF-8 or GBK). */
#ifndef BUDGETPDF_TEST_BOOK_WRITER_H
#define BUDGETPDF_TEST_BOOK_WRITER_H

#include "layout.h"
#include "model.h"

typedef struct book_shape {
  bool codes_one_column;  /* 类/款/项 as one column of whole codes */
  bool merged_headers;    /* spans as merged cells (else top-left only) */
  bool numbers_as_text;   /* "1,681.99" text cells; 表八 in full-width */
  bool extra_blank_column; /* an empty column after the first */
  bool renamed_sheets;    /* Sheet1 … (the title row identifies them) */
  bool no_titles;         /* no title row (the layout must map sheets) */
  bool no_indent;         /* item names not indented by level */
  bool total_first_column; /* 合计 in the first column, not under names */
  const char *amount_unit; /* the 单位： line's unit, if not the data's */
  bool far_cell;          /* a stray cell at XFD1048576, the sheet's last */
  bool gbk;               /* csv: GBK bytes */
  const char *skip_table; /* leave this table's sheet out */
  /* one cell of the body changed: table, row index (0-based body row of
   * side 0, -1 the total), column key, new text ("638.52", "63x.42") */
  const char *change_table;
  int change_row;
  const char *change_column;
  const char *change_text;
  /* one header label replaced */
  const char *header_from, *header_to;
  /* one row's code replaced (table, body row index, code) */
  const char *code_table;
  int code_row;
  const char *code_text;
} book_shape;

/* Write the model's tables as layout l draws them.  path ends in .xlsx,
 * or is a folder for .csv files (one per table).  false on failure. */
bool write_reference_book(const char *path, const model *m, const layout *l,
                          const book_shape *shape);

#endif
