/* SPDX-License-Identifier: MIT */
/* model.h — the model stage: a department's budget data (YAML) read
 * against its schema into an immutable, typed model, and `check`, the
 * arithmetic the schema declares.
 *
 *   model *m = model_load(path, &opts, d);     read, validate, report all
 *   if (m) model_check(m, on_finding, ctx);    or model_report_findings
 *   ... layout_expand(l, m, d) ...
 *   model_drop(m);
 *
 * What a kind of document holds (its tables, their rows and amount
 * columns, how the figures add up) is declared by a schema file
 * (schemas/<name>.yaml); the data file names it.  No code here names a
 * table, a column, a unit or a year.  docs/DATA.md describes both files.
 *
 * Everything a model points to lives in the model's arena and stays
 * valid until model_drop; nothing is freed piece by piece.  Every value
 * keeps the src_pos it was read from, so a later stage can point at the
 * YAML cell behind anything it prints.
 *
 * Amounts are exact decimals held as integers; "absent" (a cell left out,
 * printed blank) and 0 are different values.  No floating point touches
 * an amount. */
#ifndef BUDGETPDF_MODEL_H
#define BUDGETPDF_MODEL_H

#include "base.h"

/* ================================================================ amounts */

/* Most decimals an amount may be written with. */
#define MODEL_MAX_SCALE 6

/* One amount cell.  value × 10^-scale is the figure as written: "1681.99"
 * is {168199, 2}, "410" is {410, 0}, "4.30" is {430, 2}. */
typedef struct model_amount {
  bool present;     /* false: the cell was left out (absent, printed
                       blank); value and scale are then 0 */
  int64_t value;    /* unscaled */
  int scale;        /* decimals as written, 0..MODEL_MAX_SCALE */
  const char *text; /* the figure as written ("4.30"), NULL when absent */
  src_pos pos;      /* the value in the YAML, or its row when absent */
  bool computed;    /* the data left it out and the schema's computation
                       of the column filled it in (text is that figure) */
} model_amount;

/* Parse an amount as written: an optional '-', digits, and optionally '.'
 * and 1..MODEL_MAX_SCALE digits.  Spaces and U+3000 around it are
 * dropped; "" is absent.  Thousands separators, exponents, full-width
 * digits and anything else are refused: returns false and writes why
 * into why[0..whycap) (why may be NULL).  out->text and out->pos are
 * left to the caller. */
bool model_amount_parse(const char *text, model_amount *out, char *why,
                        size_t whycap);

/* Write the amount with `decimals` decimals (or as written if decimals
 * < 0) into buf[0..cap) and return buf; an absent amount gives "".
 * Rounding is half away from zero (四舍五入): 0.125 → "0.13",
 * -0.125 → "-0.13"; a result of zero never carries a sign. */
char *model_amount_format(const model_amount *a, int decimals, char *buf,
                          size_t cap);

/* Whether formatting with `decimals` keeps every non-zero digit (true for
 * absent amounts), so a layout can refuse to print 4.305 as "4.31". */
bool model_amount_fits(const model_amount *a, int decimals);

/* Compare two amounts by value, absent counting as 0: <0, 0 or >0. */
int model_amount_compare(const model_amount *a, const model_amount *b);

/* ================================================================ text */

/* A piece of text from the data, kept exactly as written except that
 * leading and trailing white space (ASCII blanks, tabs, line ends and
 * U+3000) is dropped.  text is NULL when an optional text is absent. */
typedef struct model_text {
  const char *text;
  src_pos pos;
} model_text;

/* Where a section of the explanatory part shows generated content. */
typedef enum model_insert {
  MODEL_INSERT_NONE,
  MODEL_INSERT_DESCRIPTIONS, /* the project descriptions, in data order */
  MODEL_INSERT_SHEETS        /* the performance target sheets */
} model_insert;

/* A titled section: its heading (numbering kept as published, e.g.
 * "一、主要职能" or "7、 关于…"), its paragraphs, then the generated
 * content it shows (if any), then its subsections. */
typedef struct model_section {
  model_text heading;
  const model_text *paragraphs;
  size_t nparagraphs;
  model_insert insert;
  const struct model_section *sections;
  size_t nsections;
  src_pos pos;
} model_section;

/* ================================================================ tables */

typedef enum model_row_kind {
  MODEL_ROWS_CODED,  /* classification codes: each code's length gives
                        its level (类/款/项) */
  MODEL_ROWS_ITEMS,  /* free labels with an indent level (表一's income) */
  MODEL_ROWS_RECORD  /* one row of amounts, no code or label (表八) */
} model_row_kind;

/* A level of a classification: "类" with 3 digits, "款" with 5 … */
typedef struct model_level {
  const char *name;
  int digits;
} model_level;

struct model_project;

typedef struct model_row {
  const char *code;  /* coded rows: the digits ("2080101"); else NULL */
  const char *const *code_parts; /* coded rows: the code cut at each level
                        of the classification ("208", "01", "01"); ""
                        past the row's own level; else NULL */
  int level;         /* coded rows: index into the side's levels (0 = 类);
                        items: indent level, 0 = top; record/total: 0 */
  const char *level_name; /* coded rows: "类", "款", "项"; else NULL */
  model_text name;   /* 科目名称 or item label; NULL text for a record or
                        total row */
  const struct model_project *project; /* rows of a project level: the
                        project; else NULL */
  const model_amount *amounts; /* side->ncolumns cells, in column order */
  bool is_total;     /* the side's total row */
  src_pos pos;       /* the row's mapping */
} model_row;

/* A table has one side, or two (表一/表四: income and expenditure, printed
 * next to each other).  Each side has its own rows, columns and total. */
typedef struct model_side {
  const char *id;    /* the schema's side id ("income"), NULL if the table
                        has one side */
  model_row_kind kind;
  const char *classification; /* coded rows: "function", "economic" */
  const model_level *levels;  /* coded rows: the classification's levels */
  size_t nlevels;
  const char *const *columns; /* amount column keys, schema order */
  size_t ncolumns;
  const model_row *rows;      /* body rows in data order */
  size_t nrows;
  const model_row *total;     /* the total row, or NULL if the schema
                                 declares none; present (all cells absent)
                                 when the data leaves it out */
  src_pos pos;                /* the side's (or table's) mapping */
} model_side;

typedef struct model_table {
  const char *id;    /* "表一" */
  const char *title; /* the schema's title for the table */
  const model_side *sides;
  size_t nsides;
  model_text note;   /* "备注：…" under the table, or NULL text */
  src_pos pos;
} model_table;

/* ================================================================ projects */

/* A description field: label and text as published ("预算安排规模",
 * "95万元"), in data order. */
typedef struct model_field {
  model_text label;
  model_text value;
} model_field;

typedef struct model_description {
  const struct model_project *project;
  const model_field *fields;
  size_t nfields;
  src_pos pos;
} model_description;

/* One row of a sheet's grid (the performance sheet's indicators): one
 * cell per grid column the schema declares, in schema order.  Cells of a
 * figure column (schema `figures:`) are also read as amounts; the layout
 * may merge equal neighbours down a column (the schema's `spans:`). */
typedef struct model_grid_row {
  const model_text *cells;     /* ncolumns cells; text NULL if left out */
  const model_amount *amounts; /* ncolumns; present only in figure columns */
  src_pos pos;
} model_grid_row;

/* A per-item sheet (项目支出绩效目标表, 绩效自评表): the header fields the
 * schema declares (texts and fund figures) and the grid's rows. */
typedef struct model_sheet {
  const struct model_project *project;
  const model_text *title;       /* the field naming the sheet (schema
                                    `title_field`), or NULL */
  const char *const *field_keys; /* the schema's text fields */
  const model_text *fields;      /* nfields, text NULL if left out */
  size_t nfields;
  const char *const *fund_keys; /* the schema's fund keys */
  const model_amount *funds;    /* nfunds cells, in fund_keys order */
  size_t nfunds;
  const char *const *grid_columns; /* the schema's grid columns */
  const bool *grid_spans;  /* per column: equal neighbours down it are one
                              cell (the schema's spans) */
  size_t ngrid_columns;
  const model_grid_row *rows;
  size_t nrows;
  src_pos pos;
} model_sheet;

/* A header field of the sheet by key; NULL if the schema has none. */
const model_text *model_sheet_field(const model_sheet *s, const char *key);
/* The index of a grid column by name, or -1. */
int model_sheet_grid_column(const model_sheet *s, const char *name);

/* A project.  It appears up to three times, each occurrence with its own
 * order and its own published spelling of the name: rows of the project
 * table (the register's name is the one printed there), a description,
 * a performance sheet. */
typedef struct model_project {
  const char *id;
  model_text name;
  const model_description *description; /* NULL if none */
  const model_sheet *sheet;             /* NULL if none */
  src_pos pos;
} model_project;

/* ================================================================ parts
 * The schema declares a document's parts in order (`parts:`), each a named
 * part of a generic kind; the data holds each under its name.  Tables,
 * the register and its descriptions and sheets are held in the model's
 * arrays below; the text parts here. */

typedef enum model_part_kind {
  MODEL_PART_SECTIONS,     /* titled sections of paragraphs, maybe a title */
  MODEL_PART_ENTRIES,      /* a list of paragraphs, maybe a title */
  MODEL_PART_FIELDS,       /* named text fields (a sign-off: unit, date) */
  MODEL_PART_TABLES,       /* the schema's tables */
  MODEL_PART_REGISTER,     /* the items (projects) the tables' rows name */
  MODEL_PART_DESCRIPTIONS, /* per-item description fields */
  MODEL_PART_SHEETS        /* per-item sheets */
} model_part_kind;

typedef struct model_part {
  const char *name;      /* the schema's name, the data's key */
  model_part_kind kind;
  bool present;          /* the data holds it */
  src_pos pos;           /* its key in the data (the file's start if not) */
  model_text title;      /* sections and entries: NULL text if none */
  const model_section *sections; /* sections */
  size_t nsections;
  const model_text *entries;     /* entries */
  size_t nentries;
  const model_field *fields;     /* fields, in schema order; a field left
                                    out has NULL value text */
  size_t nfields;
} model_part;

/* ================================================================ model */

struct model_internal; /* the schema and the arena; see model_imp.h */

typedef struct model {
  const char *path;         /* the data file, as given */
  const char *schema_name;  /* as the data names it */
  const char *schema_path;  /* the schema file read */
  const char *schema_title; /* the kind of document ("部门（单位）预算公开") */
  model_text layout;        /* the layout the data asks for */

  /* Document facts. */
  model_text unit;          /* 昌吉回族自治州社会保险管理局 */
  model_text year;          /* "2021" */
  int year_number;          /* 2021 */
  model_text amount_unit;   /* 万元 or 元 (one of the schema's) */

  /* Every part the schema declares, in schema order. */
  const model_part *parts;
  size_t nparts;

  /* The tables part: every table of the schema, in schema order. */
  const model_table *tables;
  size_t ntables;

  /* Projects in register order; descriptions and sheets in published
   * order, each pointing at its project. */
  const model_project *projects;
  size_t nprojects;
  const model_description *descriptions;
  size_t ndescriptions;
  const model_sheet *sheets;
  size_t nsheets;

  struct model_internal *internal;
} model;

/* Parsed schemas kept between models (a batch loads one schema for
 * thousands of data files): keyed by path, read once, valid until
 * model_schemas_drop, which must come after every model that used them.
 * A schema that fails to load is not kept (each load reports it again).
 * The files are assumed not to change while the cache lives. */
typedef struct model_schemas model_schemas;
model_schemas *model_schemas_new(void);
void model_schemas_drop(model_schemas *c);

typedef struct model_options {
  /* The schema file to use, overriding the data's `schema:` name; NULL to
   * resolve the name (see datadir). */
  const char *schema_path;
  /* Where the program's own schemas/ live (BUDGETPDF_DATADIR); searched
   * after ../schemas/ beside the data file.  NULL: not searched. */
  const char *datadir;
  /* Take the schema from (and add it to) this cache; NULL: the model reads
   * its own copy. */
  model_schemas *schemas;
} model_options;

/* Read the data file at path and the schema it names; validate both and
 * report every error found (file:line:col) to d.  Returns the model, or
 * NULL if anything was wrong.  opts may be NULL.  The caller owns the
 * model; positions in it point at file names it keeps itself. */
model *model_load(const char *path, const model_options *opts, diag *d);
/* The same from bytes in memory (for fuzzing); name stands for the file in
 * positions and is where a schema named by the data is looked for. */
model *model_parse(const char *name, const char *bytes, size_t len,
                   const model_options *opts, diag *d);
/* Free the model and everything it points to; NULL is accepted. */
void model_drop(model *m);

/* Lookups borrow from the model and return NULL (or -1) when not found. */
const model_table *model_lookup_table(const model *m, const char *id);
/* The side with that id; NULL id gives the first side. */
const model_side *model_table_lookup_side(const model_table *t,
                                          const char *id);
int model_side_column_index(const model_side *s, const char *key);
const model_project *model_lookup_project(const model *m, const char *id);
/* The part of that name (present or not), or NULL if the schema has none. */
const model_part *model_lookup_part(const model *m, const char *name);
/* A fields part's field by key, or NULL. */
const model_text *model_part_field(const model_part *p, const char *key);

/* ================================================================ check */

typedef enum model_rule {
  MODEL_RULE_HIERARCHY, /* a parent row = the sum of its child rows */
  MODEL_RULE_ROW_SUM,   /* within a row: 合计 = 基本支出 + 项目支出 */
  MODEL_RULE_TOTAL,     /* the total row = the sum of the top-level rows */
  MODEL_RULE_IDENTITY,  /* a figure agrees with another table's */
  MODEL_RULE_PROJECT,   /* a sheet's funds = its project's amount */
  MODEL_RULE_COMPUTED,  /* a computed column: 增减 = 决算数 − 预算数 */
  MODEL_RULE_SUBTOTAL,  /* a sub-total row: 总计 = 本年收入合计 + 年初结转和结余 */
  MODEL_RULE_GRID       /* a sheet's grid: 得分 ≤ 分值, Σ分值 as declared */
} model_rule;

/* A figure that does not add up.  Borrowed from the model; valid during
 * the callback only (message) or until model_drop (the rest). */
typedef struct model_finding {
  model_rule rule;
  src_pos pos;              /* the offending cell, or its row if absent */
  const char *table;        /* "表七", or NULL for a performance sheet */
  const char *side;         /* side id or NULL */
  const model_row *row;     /* NULL for a sheet */
  const model_sheet *sheet; /* NULL unless a sheet's figure */
  const char *column;       /* column or fund key */
  model_amount found;       /* as written; present == false if absent */
  model_amount expected;    /* what the rule computes (text NULL) */
  const char *message;      /* the whole finding, without position */
} model_finding;

typedef void (*model_finding_fn)(const model_finding *f, void *ctx);

/* Run the schema's arithmetic over the model and call fn for each finding
 * in a fixed order: per table in schema order, parents against their
 * child rows (deepest first), the sub-total rows, the total row, the sums
 * within rows, the computed columns as written; then the identities
 * between tables; then the performance sheets.  fn may be
 * NULL (just count).  Returns the number of findings.
 *
 * One mistake is reported once where the evidence allows: a sum that
 * does not add up blames the one row under it whose own row sum fails
 * and is mended by the difference; otherwise it blames the parent (or
 * total), which later rules then take at its expected value when that
 * mends another rule about it (docs/DATA.md, "How check decides"). */
size_t model_check(const model *m, model_finding_fn fn, void *ctx);

/* model_check printing each finding to d as a DIAG_CHECK report of the
 * given severity (errors for `check` and `render --strict`, warnings for
 * `render`), then the claims in text that differ from the figures they
 * name (model_report_claims, always warnings).  Returns the number of
 * findings and claims. */
size_t model_report_findings(const model *m, diag *d, diag_severity sev);


/* ================================================================ figures
 * Figures named in text: one lookup serves check, the layout and the
 * expressions inside text (figures.c, expr.c; docs/DATA.md, "Figures in
 * text").  A reference is segments separated by '.', a segment in [...]
 * taken as written:
 *
 *   表三.total.基本支出    the total row's cell (or a name the schema's
 *                          figures.total_names gives it: 表三.合计.基本支出)
 *   表三.2080101.合计      a row by code (rows sharing it are summed)
 *   表三.行政运行.合计      a row by its name; 表三[行政运行].合计 the same
 *   表一.income.total.预算数  a side first on a two-sided table
 *   表八.公务接待费          a record's cell
 *   收支总预算               a name the schema's figures.names gives
 *   projects.ID.amount      a register item's amount, name, description
 *                          field or sheet fund
 *
 * The last segment may be left out when the side has one column. */

typedef enum model_figure_kind {
  MODEL_FIGURE_AMOUNT, /* amount (and maybe prior) */
  MODEL_FIGURE_TEXT    /* text: a name, a description field */
} model_figure_kind;

typedef struct model_figure {
  model_figure_kind kind;
  model_amount amount;       /* the figure; present false when absent */
  const char *text;          /* MODEL_FIGURE_TEXT */
  const model_amount *prior; /* the data's prior-year figure, or NULL */
  const void *key;           /* the same figure gives the same key */
  char label[192];           /* for messages: "表三 total 基本支出" */
  /* What a share of a table's figure is of ("基本支出780.99万元，占46%"):
   * its side's total in the first column, or NULL. */
  const model_amount *whole;
  char whole_label[96];      /* "表三 total 合计" */
} model_figure;

/* Look ref[0..len) up.  Returns true and fills *out, or false and writes
 * why (with the nearest name where one is near) into why[0..whycap). */
bool model_lookup_figure(const model *m, const char *ref, size_t len,
                         model_figure *out, char *why, size_t whycap);

/* The text with each {expression} replaced by its value (docs/DATA.md);
 * "{{" and "}}" stand for braces; "{#}" (a section's generated number,
 * the layout's) is kept as written.  Returns t's text itself when it holds
 * no expression, else a copy in a; NULL after reporting a dangling
 * reference, an absent figure or a malformed expression to d at its
 * position in the YAML scalar.  Text that is NULL gives NULL. */
const char *model_text_expand(const model *m, const model_text *t, arena *a,
                              diag *d);

/* Claims in free text: a clause naming a figure of the model and stating
 * an amount that differs from it is reported to d as a warning at the
 * amount's position.  Returns the number reported. */
size_t model_report_claims(const model *m, diag *d);

#endif
