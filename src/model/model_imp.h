/* SPDX-License-Identifier: MIT */
/* model_imp.h — what the model stage's files share and callers need not
 * see: the parsed schema, exact decimal arithmetic, and the loaders of the
 * model's parts.  Everything lives in the model's arena. */
#ifndef BUDGETPDF_MODEL_IMP_H
#define BUDGETPDF_MODEL_IMP_H

#include "model.h"

/* ---------------------------------------------------------------- decimals
 * Sums and comparisons of amounts with different scales: both sides are
 * brought to the larger scale first.  Every step is overflow-checked. */
typedef struct decimal {
  int64_t value;
  int scale;
} decimal;

/* false on overflow (*out untouched). */
bool decimal_add(decimal a, decimal b, decimal *out);
/* <0, 0, >0; decimals within MODEL_MAX_SCALE never overflow here. */
int decimal_compare(decimal a, decimal b);
/* The amount's value, absent counting as 0. */
decimal decimal_from_amount(const model_amount *a);
/* Exact, with the decimal's own scale: a sum has the decimals of its
 * most precise operand, as its figures are written ("5391346.90"). */
char *decimal_format(decimal d, char *buf, size_t cap);
/* Why a text was refused, printed into the caller's why[cap] (either may
 * be NULL/0: nothing is written). */
void model_set_why(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------------- schema */

/* A sum over columns of one row: target = parts[0] + parts[1] + … */
typedef struct schema_sum {
  int target;
  const int *parts;
  size_t nparts;
  const char *text; /* as written, for messages */
  src_pos pos;
} schema_sum;

/* How a column's figures come about. */
typedef enum schema_compute {
  COMPUTE_NONE,   /* written in the data */
  COMPUTE_LINEAR, /* Σ ±column: 决算数 - 预算数 */
  COMPUTE_RATIO   /* column / column as a percentage, `percent` decimals,
                     rounded half away from zero (四舍五入) on the exact
                     quotient */
} schema_compute;

typedef struct schema_column {
  const char *name;
  bool summed;   /* parents and totals add it up (false: rates, 行次) */
  bool negative; /* a figure may be below zero */
  schema_compute compute;
  const int *terms; /* linear: columns; ratio: numerator, denominator */
  const int *signs; /* linear: +1 or -1 per term */
  size_t nterms;
  int decimals; /* ratio: decimals of the percentage */
  const char *text; /* the computation as written */
  src_pos pos;
} schema_column;

/* A sub-total row of an items side: the row labelled `target` equals the
 * sum of the rows labelled parts (总计 = 本年收入合计 + 年初结转和结余). */
typedef struct schema_subtotal {
  const char *target;
  const char *const *parts;
  size_t nparts;
  const char *text;
  src_pos pos;
} schema_subtotal;

/* The figure a computed column takes in a row with these cells: false
 * when it has none (its operands absent, or a zero denominator) or, with
 * *overflow set, when it is too large to hold. */
bool schema_column_compute(const schema_column *c, const model_amount *cells,
                           decimal *out, bool *overflow);

typedef struct schema_classification {
  const char *name;
  const model_level *levels;
  size_t nlevels;
} schema_classification;

typedef struct schema_side {
  const char *id; /* NULL for a one-sided table */
  model_row_kind kind;
  const schema_classification *classification; /* coded rows */
  unsigned level_mask;  /* coded rows: levels allowed (bit i: level i) */
  int project_level;    /* coded rows: level whose rows carry a project,
                           -1 if none */
  const char *const *columns; /* NULL-terminated too, for ymap_check_keys */
  size_t ncolumns;
  const schema_column *colspecs; /* ncolumns */
  const schema_subtotal *subtotals; /* items sides */
  size_t nsubtotals;
  /* The total row's rule when it is not the sum of the top-level rows:
   * the labels of the rows it adds up (NULL: the top-level rows). */
  const char *const *total_parts;
  size_t ntotal_parts;
  const schema_sum *row_sums;
  size_t nrow_sums;
  bool hierarchy; /* parents equal the sum of their children */
  bool total;     /* a total row, equal to the sum of the top-level rows */
  src_pos pos;
} schema_side;

typedef struct schema_table {
  const char *id;
  const char *title;
  const schema_side *sides;
  size_t nsides;
  bool two_sided; /* sides are named in the data */
  bool optional;  /* the data may leave the table out */
  src_pos pos;
} schema_table;

/* An operand of an identity: one cell (or the sum of the rows sharing a
 * code), the total row's cell, or a record's cell. */
typedef enum schema_ref_kind {
  REF_TOTAL,  /* 表三.total.合计 */
  REF_ROW,    /* 表六[30217].合计 — a code, or an item's label */
  REF_EACH,   /* 表二[*].总计 — every code of the first operand's side */
  REF_RECORD  /* 表八.公务接待费 */
} schema_ref_kind;

typedef struct schema_ref {
  schema_ref_kind kind;
  int table; /* index into schema tables */
  int side;
  const char *key; /* REF_ROW: the code or label */
  int column;
} schema_ref;

typedef struct schema_identity {
  const schema_ref *left, *right;
  size_t nleft, nright;
  bool each; /* operands are REF_EACH */
  const char *text;
  src_pos pos;
} schema_identity;

/* Allowed values of a grid's second column under one value of its first
 * (schema `values:`). */
typedef struct schema_grid_group {
  const char *first;
  const char *const *seconds; /* NULL-terminated */
  size_t nseconds;
} schema_grid_group;

/* A part as the schema declares it; the kind's own settings live in the
 * schema's fields below (one part of each of the kinds tables, register,
 * descriptions and sheets). */
typedef struct schema_part {
  const char *name;
  model_part_kind kind;
  bool required;    /* the data must hold it */
  bool title;       /* sections, entries: the data may give a title */
  const char *const *fields; /* fields: keys, NULL-terminated */
  size_t nfields;
  src_pos pos;
} schema_part;

typedef struct schema {
  const char *name;
  const char *path;
  const char *title;
  const char *const *amount_units; /* NULL-terminated */
  const schema_part *parts;
  size_t nparts;
  const char *const *part_names; /* NULL-terminated */
  const schema_classification *classifications;
  size_t nclassifications;
  const schema_table *tables;
  size_t ntables;
  const char *const *table_ids; /* NULL-terminated, for suggestions */
  const schema_identity *identities;
  size_t nidentities;
  /* Projects: whether the schema has a register, which table's rows
   * carry its items and which column is an item's amount; -1 if none. */
  bool has_register;
  int project_table;
  int project_side;
  int project_column;
  /* Description fields: required ones in order, then optional ones; all
   * NULL-terminated. */
  const char *const *required_fields;
  const char *const *description_fields; /* required + optional */
  /* Sheets: header text fields (required first, then optional; the
   * whole list NULL-terminated), the field naming a sheet (-1: none). */
  const char *const *sheet_fields;
  size_t nsheet_fields, nsheet_required;
  int sheet_title_field;
  const char *const *fund_keys; /* NULL-terminated */
  const schema_column *fund_specs; /* nfunds: computed funds (执行率) */
  size_t nfunds;
  const schema_sum *fund_sums;
  size_t nfund_sums;
  int project_fund; /* fund equal to the project's amount, -1 if none */
  /* The grid: its key in a sheet's data, its columns (NULL-terminated),
   * which hold figures and which span their runs, and the allowed pairs
   * of its first two columns (none: anything). */
  const char *grid_key;
  const char *const *grid_columns;
  size_t ngrid_columns;
  const bool *grid_figures;
  const bool *grid_spans;
  const schema_grid_group *grid_groups;
  size_t ngrid_groups;
  const char *const *grid_firsts; /* NULL-terminated */
  /* A row's figure that may not exceed another's (`bounds: [得分 <= 分值]`):
   * the two grid columns. */
  const struct schema_grid_bound {
    int bounded, limit;
  } *grid_bounds;
  size_t ngrid_bounds;
  /* What a figure column's rows add up to (`totals: {分值: 90}`). */
  const struct schema_grid_total {
    int column;
    decimal total;
    const char *text; /* as the schema writes it */
    src_pos pos;
  } *grid_totals;
  size_t ngrid_totals;
  struct schema_figures *figures; /* figures in text (figures.c); never NULL */
} schema;

/* Read and validate a schema file.  NULL after reporting errors to d. */
const schema *schema_load(arena *a, const char *path, diag *d);
/* The cache's schema for path, loading it on first use (schemas.c). */
const schema *model_schemas_load(model_schemas *c, const char *path, diag *d);

/* ---------------------------------------------------------------- loading */

struct model_internal {
  arena *arena;
  const schema *schema;
  const struct prior_figure *prior; /* the data's prior_year (figures.c) */
  bool from_file;  /* model_load: positions may be looked up in the file */
  const char *source; /* model_parse: a copy of the bytes, for the same */
  size_t nprior;
};

/* State shared by the loader's files while one data file is read. */
typedef struct loader {
  arena *a;
  diag *d;
  const schema *s;
  model *m;
  model_part *parts;         /* the model's parts, writable while loading */
  model_project *projects;   /* the register, writable while loading */
  const char **project_ids;  /* NULL-terminated, for suggestions */
  bool *project_in_table;    /* a row of the projects' table names it */
  int *project_slots;        /* hash of ids: index + 1, 0 empty */
  size_t nproject_slots;     /* a power of two, over twice the register */
} loader;

/* Text of a scalar, trimmed; reports and returns NULL for a non-scalar. */
const char *load_text_scalar(loader *L, const ynode *n, const char *what);
/* model_text from a scalar node (NULL node: absent text). */
model_text load_text(loader *L, const ynode *n, const char *what);
/* Report a missing key at its parent mapping. */
void load_missing(loader *L, const ynode *map, const char *key,
                  const char *what);

/* The project register (ids and names) from the register part's value
 * (NULL: none); before load_tables, whose rows refer to it. */
void load_projects(loader *L, const ynode *seq);
/* The tables part: every schema table from the `tables` mapping. */
void load_tables(loader *L, const ynode *tables);
/* Descriptions and sheets from their parts' values (NULL: none); after
 * load_tables. */
void load_project_parts(loader *L, const ynode *descs, const ynode *sheets);
/* The sections, entries and fields parts. */
void load_text_parts(loader *L, const ynode *root);
/* The schema's part of that name, or NULL. */
const schema_part *schema_lookup_part(const schema *s, const char *name);
/* The schema's part of a kind that has one at most, or NULL. */
const schema_part *schema_part_of_kind(const schema *s, model_part_kind k);

/* A project's index in the register, or -1 after reporting an unknown id
 * (with the nearest one) at n. */
int lookup_project_id(loader *L, const ynode *n, const char *what);

/* Trim blanks and U+3000 at both ends of s; returns a copy in a. */
char *text_trim_copy(arena *a, const char *s);


/* ---------------------------------------------------------------- figures in text
 * figures.c (references, names, prior-year data), expr.c (expressions in
 * text), claims.c (figures still typed by hand). */

typedef struct schema_figure_name {
  const char *name; /* "收支总预算" */
  const char *ref;  /* "表一.income.total.预算数" */
  src_pos pos;
} schema_figure_name;

typedef struct schema_figures {
  const char *const *total_names; /* NULL-terminated: row segments that
                                     mean a side's total row, besides
                                     "total" */
  const schema_figure_name *names;
  size_t nnames;
  const char *const *prior_year; /* NULL-terminated: table ids (and
                                    "projects") whose figures may have a
                                    prior-year figure in the data */
} schema_figures;

/* The schema's `figures:` mapping (NULL node: none). */
schema_figures *schema_parse_figures(arena *a, const ynode *n, diag *d);

typedef struct prior_figure {
  const void *key; /* model_figure.key of the current-year figure */
  model_amount amount;
} prior_figure;

/* The data's `prior_year:` mapping, and every named figure of the schema
 * resolved against the data; after the tables and projects. */
void load_prior_year(loader *L, const ynode *root);
/* Every expression in the model's text parsed and evaluated once, so a
 * dangling reference or an absent figure is a load error; last. */
void load_check_bound_text(loader *L);
/* Where byte `offset` of the text lies in its YAML scalar.  A model read
 * from a file reads it again to see quotes, escapes and folded lines; one
 * parsed from memory counts characters from the scalar's start. */
src_pos text_pos_at(const model *m, const model_text *t, size_t offset);
/* Every text part of the model in document order; free_text marks the
 * profile's and explanation's headings and paragraphs (the claim check's
 * text).  A part whose text is NULL is visited too. */
typedef void (*text_visit_fn)(const model_text *t, bool free_text,
                              void *ctx);
void walk_model_texts(const model *m, text_visit_fn fn, void *ctx);
/* One cell as model_lookup_figure gives it (its key, label and prior-year
 * figure), without looking its row up by name. */
void figure_of_cell(const model *m, const model_table *t,
                    const model_side *side, const model_row *r, int column,
                    model_figure *out);
/* Every project's amount as model_lookup_figure gives it for
 * projects.ID.amount, in one pass over the projects' table: out has
 * m->nprojects entries.  false if the schema gives projects no amount. */
bool figure_project_amounts(const model *m, model_figure *out);
/* Number of rows with a figure (count(...)). */
bool figure_count(const model *m, const char *ref, size_t len, int64_t *out,
                  char *why, size_t whycap);

#endif
