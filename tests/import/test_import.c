/* SPDX-License-Identifier: MIT */
/* test_import.c — `budgetpdf import` against the reference.
 *
 * The reference workbook (tests/import/fixtures/reference.{xlsx,xls},
 * saved by LibreOffice: make-fixtures.py) imports to exactly the tables of
 * data/changji-sib-2021.yaml; --into on the reference data file changes
 * not a byte; workbooks written here with libxlsxwriter (book_writer.c)
 * in odd shapes import to the same tables; each error class is reported
 * at its BOOK:SHEET!CELL; hostile packages are refused by their limits;
 * and a changed figure re-imported and rendered shows in the PDF. */
#include "harness.h"
#include "book_writer.h"
#include "import.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define FIXTURES TEST_DIR "/fixtures"

static char tmpdir[] = "/tmp/budgetpdf-import-XXXXXX";

static char *tmp(const char *name) {
  static char paths[16][512];
  static int next;
  char *p = paths[next++ % 16];
  snprintf(p, 512, "%s/%s", tmpdir, name);
  return p;
}

static char *slurp(const char *path, size_t *len) {
  diag *d = diag_new(NULL);
  size_t n;
  char *text = file_read_all(path, 64u << 20, &n, d);
  diag_drop(d);
  if (len)
    *len = text ? n : 0;
  return text ? text : xstrdup("");
}

static void copy_file(const char *from, const char *to) {
  size_t n;
  char *b = slurp(from, &n);
  FILE *f = fopen(to, "wb");
  fwrite(b, 1, n, f);
  fclose(f);
  free(b);
}

static model_options model_opts(void) {
  return (model_options){.datadir = SOURCE_DIR};
}

/* Run import; the messages go to *messages (caller frees). */
static bool import(const char *const *books, size_t n, const char *out,
                   const char *into, char **messages) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  import_options o = {.books = books, .nbooks = n, .out = out, .into = into,
                      .layout = out ? "department-budget" : NULL,
                      .year = "2021", .model = model_opts()};
  bool ok = import_run(&o, d);
  diag_drop(d);
  *messages = xstrdup(capture_text(&c));
  capture_close(&c);
  return ok;
}

static bool import1(const char *book, const char *out, const char *into,
                    char **messages) {
  const char *books[] = {book};
  return import(books, 1, out, into, messages);
}

/* Every table, side, row and cell of a and b the same (projects by
 * name); the first difference is printed. */
static bool same_tables(const model *a, const model *b) {
  if (a->ntables != b->ntables)
    return false;
  for (size_t t = 0; t < a->ntables; t++) {
    const model_table *x = &a->tables[t], *y = &b->tables[t];
    if ((x->note.text == NULL) != (y->note.text == NULL) ||
        (x->note.text && strcmp(x->note.text, y->note.text))) {
      fprintf(stderr, "%s: notes differ\n", x->id);
      return false;
    }
    for (size_t s = 0; s < x->nsides; s++) {
      const model_side *p = &x->sides[s], *q = &y->sides[s];
      if (p->nrows != q->nrows) {
        fprintf(stderr, "%s: %zu rows, want %zu\n", x->id, q->nrows, p->nrows);
        return false;
      }
      for (size_t i = 0; i <= p->nrows; i++) {
        const model_row *r = i < p->nrows ? &p->rows[i] : p->total;
        const model_row *u = i < p->nrows ? &q->rows[i] : q->total;
        if (!r || !u)
          continue;
        bool same = (r->code == NULL) == (u->code == NULL) &&
                    (!r->code || !strcmp(r->code, u->code)) &&
                    (r->name.text == NULL) == (u->name.text == NULL) &&
                    (!r->name.text || !strcmp(r->name.text, u->name.text)) &&
                    r->level == u->level &&
                    (r->project == NULL) == (u->project == NULL) &&
                    (!r->project ||
                     !strcmp(r->project->name.text, u->project->name.text));
        for (size_t k = 0; k < p->ncolumns && same; k++)
          same = r->amounts[k].present == u->amounts[k].present &&
                 (!r->amounts[k].present ||
                  !strcmp(r->amounts[k].text, u->amounts[k].text));
        if (!same) {
          fprintf(stderr, "%s row %zu (%s %s) differs\n", x->id, i,
                  r->code ? r->code : "", r->name.text ? r->name.text : "");
          return false;
        }
      }
    }
  }
  return true;
}

static bool imports_to_reference(const char *const *books, size_t n,
                                 char **messages) {
  const char *out = tmp("imported.yaml");
  unlink(out);
  if (!import(books, n, out, NULL, messages))
    return false;
  model_options mo = model_opts();
  diag *d = diag_new(NULL);
  model *ref = model_load(REFERENCE, &mo, d);
  model *got = model_load(out, &mo, d);
  bool same = ref && got && same_tables(ref, got);
  model_drop(ref);
  model_drop(got);
  diag_drop(d);
  return same;
}

static model *reference_model;
static layout *reference_layout;

static const char *write_book(const char *name, const book_shape *shape) {
  const char *path = tmp(name);
  if (!write_reference_book(path, reference_model, reference_layout, shape)) {
    fprintf(stderr, "cannot write %s\n", path);
    abort();
  }
  return path;
}

/* ---------------------------------------------------------------- reference */

TEST(reference_xlsx_made_by_libreoffice_imports_to_the_reference_tables) {
  const char *books[] = {FIXTURES "/reference.xlsx"};
  char *msg;
  CHECK(imports_to_reference(books, 1, &msg));
  /* check's findings, at the cells of the published mistakes */
  CHECK_CONTAINS(msg, "reference.xlsx:表七!F5: warning: 表七 row 208 "
                      "社会保障和就业支出, 项目支出合计: found 655, expected 901");
  CHECK_CONTAINS(msg, "reference.xlsx:表七!I20: warning:");
  CHECK_CONTAINS(msg, "reference.xlsx:表七!I5: warning:");
  CHECK(!strstr(msg, "error"));
  free(msg);
}

TEST(reference_xls_made_by_libreoffice_imports_to_the_reference_tables) {
  const char *books[] = {FIXTURES "/reference.xls"};
  char *msg;
  CHECK(imports_to_reference(books, 1, &msg));
  CHECK_CONTAINS(msg, "reference.xls:表七!F5: warning:");
  free(msg);
}

TEST(into_the_reference_data_changes_nothing) {
  const char *data = tmp("data/changji.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(import1(FIXTURES "/reference.xlsx", NULL, data, &msg));
  size_t a, b;
  char *before = slurp(REFERENCE, &a), *after = slurp(data, &b);
  CHECK(a == b && !memcmp(before, after, a));
  free(before);
  free(after);
  free(msg);
}

TEST(into_keeps_the_item_levels_an_export_does_not_indent) {
  book_shape s = {.merged_headers = true, .no_indent = true};
  const char *book = write_book("flat.xlsx", &s);
  const char *data = tmp("data/flat.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(import1(book, NULL, data, &msg));
  size_t a, b;
  char *before = slurp(REFERENCE, &a), *after = slurp(data, &b);
  CHECK(a == b && !memcmp(before, after, a));
  free(before);
  free(after);
  free(msg);
}

TEST(into_rewrites_only_the_table_whose_rows_changed) {
  /* 2080108 信息化建设 → 2080199 in 表三: its rows changed */
  book_shape s = {.codes_one_column = true, .merged_headers = true,
                  .code_table = "表三", .code_row = 3, .code_text = "2080199"};
  const char *book = write_book("recoded.xlsx", &s);
  const char *data = tmp("data/recoded.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(import1(book, NULL, data, &msg));
  size_t a, b;
  char *before = slurp(REFERENCE, &a), *after = slurp(data, &b);
  CHECK_CONTAINS(after, "      - {code: 2080199, name: 信息化建设, 合计: 410, 项目支出: 410}\n");
  /* the text before 表三 and from 表四 on is as it was, comments included */
  const char *t3 = strstr(before, "  表三:"), *t4 = strstr(before, "  表四:");
  const char *u3 = strstr(after, "  表三:"), *u4 = strstr(after, "  表四:");
  char *table3 = u3 && u4 ? xstrndup(u3, (size_t)(u4 - u3)) : xstrdup("");
  CHECK(!strstr(table3, "2080108"));
  free(table3);
  CHECK(t3 && u3 && t3 - before == u3 - after && !memcmp(before, after, (size_t)(t3 - before)));
  CHECK(t4 && u4 && !strcmp(t4, u4));
  CHECK_CONTAINS(after, "  # The published table prints 0 (not blank)");
  free(before);
  free(after);
  free(msg);
}

TEST(a_binary_double_is_read_as_the_figure_typed) {
  /* 0.1 + 0.2 as a formula leaves 0.30000000000000004 in the cell: the
   * column prints 2 decimals, so the noise is dropped; 4.3 stays 4.3 (the
   * double nearest it is 4.29999999999999982236431605997495353221893310546875) */
  book_shape s = {.merged_headers = true, .change_table = "表六",
                  .change_row = 13, .change_column = "公用经费",
                  .change_text = "0.30000000000000004"};
  const char *book = write_book("noise.xlsx", &s);
  const char *data = tmp("data/noise.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(import1(book, NULL, data, &msg));
  char *after = slurp(data, NULL);
  CHECK_CONTAINS(after, "{code: 30205, name: 水费, 合计: 2.5, 人员经费: 0, 公用经费: 0.3}");
  CHECK_CONTAINS(after, "{code: 30202, name: 印刷费, 合计: 4.3, 人员经费: 0, 公用经费: 4.3}");
  free(after);
  free(msg);
}

TEST(figures_in_another_unit_than_the_datas_are_refused) {
  book_shape s = {.amount_unit = "元"};
  const char *book = write_book("yuan.xlsx", &s);
  const char *data = tmp("data/yuan.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(!import1(book, NULL, data, &msg));
  CHECK_CONTAINS(msg, "yuan.xlsx:表一!D2: error: the workbook's figures are in "
                      "元, the data's in 万元");
  size_t a, b;
  char *before = slurp(REFERENCE, &a), *after = slurp(data, &b);
  CHECK(a == b && !memcmp(before, after, a)); /* untouched */
  free(before);
  free(after);
  free(msg);
}

TEST(the_workbook_is_never_the_output) {
  char *msg;
  const char *book = write_book("self.xlsx", &(book_shape){0});
  CHECK(!import1(book, book, NULL, &msg));
  CHECK_CONTAINS(msg, "self.xlsx is the workbook; the data would replace it");
  free(msg);
}

TEST(into_replaces_only_the_changed_figure) {
  book_shape s = {.merged_headers = true, .change_table = "表六",
                  .change_row = 13, .change_column = "合计",
                  .change_text = "2.75"};
  const char *book = write_book("changed.xlsx", &s);
  const char *data = tmp("data/changed.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(import1(book, NULL, data, &msg));
  /* the 水费 row's 合计 now disagrees with its 公用经费: at its cell */
  CHECK_CONTAINS(msg, "changed.xlsx:表六!D19: warning: 表六 row 30205 水费, 合计: found 2.75");
  size_t a, b;
  char *before = slurp(REFERENCE, &a), *after = slurp(data, &b);
  CHECK(b == a + 1); /* "2.5" → "2.75" */
  CHECK_CONTAINS(after, "{code: 30205, name: 水费, 合计: 2.75, 人员经费: 0, 公用经费: 2.5}");
  /* everything before the edit is the same */
  const char *at = strstr(after, "合计: 2.75");
  CHECK(at && !memcmp(before, after, (size_t)(at - after)));
  free(before);
  free(after);
  free(msg);
}

static int run_status(const char *cmd) {
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(a_changed_figure_reimported_and_rendered_changes_the_pdf) {
  book_shape s = {.merged_headers = true, .change_table = "表六",
                  .change_row = 13, .change_column = "公用经费",
                  .change_text = "2.75"};
  const char *book = write_book("render.xlsx", &s);
  const char *data = tmp("data/render.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  bbuf cmd = {0};
  bbuf_printf(&cmd, "'%s' import '%s' --into '%s' 2>/dev/null", BUDGETPDF_EXE,
              book, data);
  CHECK_INT(run_status(cmd.data), 0);
  cmd.len = 0;
  bbuf_printf(&cmd,
              "'%s' render '%s' -o '%s/render.pdf' 2>/dev/null && pdftotext "
              "-layout '%s/render.pdf' '%s/render.txt'",
              BUDGETPDF_EXE, data, tmpdir, tmpdir, tmpdir);
  CHECK_INT(run_status(cmd.data), 0);
  char *text = slurp(tmp("render.txt"), NULL);
  const char *water = strstr(text, "水费");
  CHECK(water);
  if (water) {
    const char *eol = strchr(water, '\n');
    char *line = xstrndup(water, eol ? (size_t)(eol - water) : strlen(water));
    /* 水费 2.50 0.00 2.75: the 公用经费 cell changed, 合计 not */
    CHECK_CONTAINS(line, "2.75");
    const char *first = strstr(line, "2.50");
    CHECK(first && !strstr(first + 1, "2.50"));
    free(line);
  }
  free(text);
  bbuf_free(&cmd);
}

/* ---------------------------------------------------------------- shapes */

TEST(odd_shapes_made_by_libxlsxwriter_import_to_the_reference_tables) {
  static const struct {
    const char *name;
    book_shape shape;
  } shapes[] = {
      {"plain.xlsx", {0}},
      {"merged.xlsx", {.merged_headers = true}},
      {"one-code-column.xlsx", {.codes_one_column = true, .merged_headers = true}},
      {"numbers-as-text.xlsx", {.numbers_as_text = true}},
      {"blank-column.xlsx", {.extra_blank_column = true, .merged_headers = true}},
      {"renamed.xlsx", {.renamed_sheets = true}},
      {"total-first.xlsx", {.total_first_column = true}},
      {"far-cell.xlsx", {.far_cell = true}}, /* its cells, not its extent */
  };
  for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
    const char *books[] = {write_book(shapes[i].name, &shapes[i].shape)};
    char *msg;
    bool ok = imports_to_reference(books, 1, &msg);
    if (!ok)
      fprintf(stderr, "%s:\n%s", shapes[i].name, msg);
    CHECK(ok);
    free(msg);
  }
}

static size_t csv_books(const char *dir, const char **books) {
  static char paths[9][512];
  static const char *const ids[] = {"表一", "表二", "表三", "表四", "表五",
                                    "表六", "表七", "表八", "表九"};
  for (size_t i = 0; i < 9; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/%s.csv", dir, ids[i]);
    books[i] = paths[i];
  }
  return 9;
}

TEST(csv_files_one_a_sheet_in_utf8_and_gbk_import_to_the_reference_tables) {
  const char *books[9];
  book_shape utf8 = {0}, gbk = {.gbk = true};
  csv_books(write_book("csv-utf8", &utf8), books);
  char *msg;
  CHECK(imports_to_reference(books, 9, &msg));
  free(msg);
  csv_books(write_book("csv-gbk", &gbk), books);
  CHECK(imports_to_reference(books, 9, &msg));
  free(msg);
}

/* A layout mapping each table to sheet SheetN (import-sheets:). */
static const char *mapping_layout(void) {
  const char *path = tmp("mapped-layout.yaml");
  char *text = slurp(SOURCE_DIR "/layouts/department-budget.yaml", NULL);
  bbuf out = {0};
  int n = 0;
  for (char *line = text; *line;) {
    char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line + 1) : strlen(line);
    bbuf_append(&out, line, len);
    const char *data = strstr(line, "data: 表");
    if (data && data < line + len) {
      int indent = (int)(data - line);
      bbuf_printf(&out, "%*simport-sheets: [Sheet%d]\n", indent, "", ++n);
    }
    line += len;
  }
  FILE *f = fopen(path, "w");
  fwrite(out.data, 1, out.len, f);
  fclose(f);
  bbuf_free(&out);
  free(text);
  return path;
}

TEST(sheets_without_titles_are_found_by_the_layouts_mapping) {
  book_shape s = {.renamed_sheets = true, .no_titles = true,
                  .merged_headers = true};
  const char *book = write_book("untitled.xlsx", &s);
  char *msg;
  /* without the mapping: nothing says which sheet is which table */
  CHECK(!import1(book, tmp("untitled.yaml"), NULL, &msg));
  CHECK_CONTAINS(msg, "untitled.xlsx: error: no sheet holds 表三");
  free(msg);
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  const char *books[] = {book};
  import_options o = {.books = books, .nbooks = 1, .out = tmp("untitled.yaml"),
                      .layout = mapping_layout(), .year = "2021",
                      .model = model_opts()};
  CHECK(import_run(&o, d));
  diag_drop(d);
  capture_close(&c);
  model_options mo = model_opts();
  diag *q = diag_new(NULL);
  model *got = model_load(tmp("untitled.yaml"), &mo, q);
  CHECK(got && same_tables(reference_model, got));
  model_drop(got);
  diag_drop(q);
}

/* The department-budget layout with its import: note: list replaced. */
static const char *note_layout(const char *starts) {
  const char *path = tmp("note-layout.yaml");
  char *text = slurp(SOURCE_DIR "/layouts/department-budget.yaml", NULL);
  const char *from = "  note: [备注, 注：]\n";
  char *at = strstr(text, from);
  CHECK(at != NULL);
  FILE *f = fopen(path, "w");
  if (at) {
    fwrite(text, 1, (size_t)(at - text), f);
    fprintf(f, "  note: [%s]\n%s", starts, at + strlen(from));
  }
  fclose(f);
  free(text);
  return path;
}

TEST(a_note_line_is_known_by_the_starts_the_layout_gives) {
  book_shape s = {.merged_headers = true};
  const char *books[] = {write_book("notes.xlsx", &s)};
  for (int pass = 0; pass < 2; pass++) {
    captured_diag c;
    diag *d = diag_new(capture_open(&c));
    /* 表九's 备注 line: a note for the layout that says so, else a row */
    import_options o = {.books = books, .nbooks = 1, .out = tmp("notes.yaml"),
                        .layout = note_layout(pass ? "说明：" : "注：, 备注"),
                        .year = "2021", .model = model_opts()};
    bool ok = import_run(&o, d);
    diag_drop(d);
    if (pass) {
      CHECK(!ok);
      CHECK_CONTAINS(capture_text(&c), "notes.xlsx:表九!");
    } else {
      if (!ok)
        fprintf(stderr, "%s", capture_text(&c));
      CHECK(ok);
    }
    capture_close(&c);
  }
}

/* ---------------------------------------------------------------- errors */

static char *import_error(const book_shape *s, const char *name) {
  const char *book = write_book(name, s);
  char *msg;
  CHECK(!import1(book, tmp("never.yaml"), NULL, &msg));
  struct stat st;
  CHECK(stat(tmp("never.yaml"), &st) != 0); /* nothing written */
  return msg;
}

TEST(a_header_that_does_not_match_the_column_tree_names_both_labels) {
  book_shape s = {.merged_headers = true, .header_from = "基本支出",
                  .header_to = "基本经费"};
  char *msg = import_error(&s, "bad-header.xlsx");
  CHECK_CONTAINS(msg, "bad-header.xlsx:表三!F4: error: the header does not "
                      "match the layout's columns of 表三: expected '基本支出' "
                      "under '支出预算', found '基本经费'");
  free(msg);
}

TEST(a_figure_that_is_not_a_number_is_an_error_at_its_cell) {
  book_shape s = {.merged_headers = true, .change_table = "表三",
                  .change_row = 2, .change_column = "合计",
                  .change_text = "63x.42"};
  char *msg = import_error(&s, "bad-figure.xlsx");
  CHECK_CONTAINS(msg, "bad-figure.xlsx:表三!E8: error: 合计 of 表三: '63x.42' "
                      "is not an amount: unexpected character 'x'");
  free(msg);
  /* an ambiguous separator is not a figure either */
  book_shape t = {.change_table = "表三", .change_row = 2,
                  .change_column = "合计", .change_text = "6,38.42"};
  msg = import_error(&t, "bad-separator.xlsx");
  CHECK_CONTAINS(msg, "bad-separator.xlsx:表三!E8: error: 合计 of 表三: '6,38.42' "
                      "is not a number");
  free(msg);
}

TEST(a_code_not_in_the_classification_is_an_error_at_its_cell) {
  book_shape s = {.codes_one_column = true, .merged_headers = true,
                  .code_table = "表三", .code_row = 1, .code_text = "2080"};
  char *msg = import_error(&s, "bad-code.xlsx");
  CHECK_CONTAINS(msg, "bad-code.xlsx:表三!A6: error: code '2080' is not in the "
                      "function classification: its codes have 3 (类), 5 (款) "
                      "or 7 (项) digits");
  free(msg);
}

TEST(the_data_files_own_errors_are_reported_at_the_rows_cells) {
  /* a code twice: the model stage's error, moved to the sheet's row */
  book_shape s = {.codes_one_column = true, .merged_headers = true,
                  .code_table = "表三", .code_row = 1, .code_text = "208"};
  char *msg = import_error(&s, "twice.xlsx");
  CHECK_CONTAINS(msg, "twice.xlsx:表三!A6: error: code 208 appears twice in 表三");
  free(msg);
}

TEST(a_missing_table_is_an_error_naming_it) {
  book_shape s = {.skip_table = "表九"};
  char *msg = import_error(&s, "no-table.xlsx");
  CHECK_CONTAINS(msg, "no-table.xlsx: error: no sheet holds 表九 "
                      "(政府性基金预算支出情况表)");
  free(msg);
}

/* ---------------------------------------------------------------- hostile */

/* A zip package with the given parts, as bytes. */
static char *package(const char *const *names, const char *const *parts,
                     const size_t *sizes, size_t n, size_t *len) {
  const char *path = tmp("hostile.zip");
  unlink(path);
  int err;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  for (size_t i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(z, parts[i], sizes[i], 0);
    zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE);
  }
  zip_close(z);
  return slurp(path, len);
}

static char *read_error(const char *bytes, size_t len, const import_limits *lim) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  int n = import_read_book("hostile.xlsx", "xlsx", bytes, len, lim, d);
  CHECK_INT(n, -1);
  diag_drop(d);
  char *msg = xstrdup(capture_text(&c));
  capture_close(&c);
  return msg;
}

static const char workbook_xml[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships\"><sheets><sheet name=\"表三\" r:id=\"rId1\"/>"
    "</sheets></workbook>";
static const char rels_xml[] =
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\""
    " Type=\"x/worksheet\"/></Relationships>";

TEST(a_broken_zip_is_refused) {
  static const char junk[] = "PK\x03\x04 this is not a zip file at all";
  char *msg = read_error(junk, sizeof junk - 1, NULL);
  CHECK_CONTAINS(msg, "hostile.xlsx: error: not a readable .xlsx (zip) file");
  free(msg);
}

TEST(a_zip_bomb_stops_at_the_part_limit) {
  size_t big = 8u << 20;
  char *sheet = xmalloc(big);
  memset(sheet, ' ', big);
  memcpy(sheet, "<worksheet>", 11);
  const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/worksheets/sheet1.xml"};
  const char *parts[] = {workbook_xml, rels_xml, sheet};
  size_t sizes[] = {strlen(workbook_xml), strlen(rels_xml), big};
  size_t len;
  char *bytes = package(names, parts, sizes, 3, &len);
  CHECK(len < big / 100); /* it compresses a hundredfold and more */
  import_limits lim = import_default_limits;
  lim.max_part_bytes = 1u << 20;
  char *msg = read_error(bytes, len, &lim);
  CHECK_CONTAINS(msg, "xl/worksheets/sheet1.xml is 8388608 bytes uncompressed, "
                      "more than 1048576 (limit); a zip bomb?");
  free(msg);
  free(bytes);
  free(sheet);
}

TEST(a_huge_shared_string_table_stops_at_the_limit) {
  bbuf sst = {0};
  bbuf_puts(&sst, "<sst>");
  for (int i = 0; i < 2000; i++)
    bbuf_printf(&sst, "<si><t>s%d</t></si>", i);
  bbuf_puts(&sst, "</sst>");
  const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/sharedStrings.xml"};
  const char *parts[] = {workbook_xml, rels_xml, sst.data};
  size_t sizes[] = {strlen(workbook_xml), strlen(rels_xml), sst.len};
  size_t len;
  char *bytes = package(names, parts, sizes, 3, &len);
  import_limits lim = import_default_limits;
  lim.max_strings = 1000;
  char *msg = read_error(bytes, len, &lim);
  CHECK_CONTAINS(msg, "xl/sharedStrings.xml has more than 1000 strings (limit)");
  free(msg);
  free(bytes);
  bbuf_free(&sst);
}

TEST(deep_xml_stops_at_the_depth_limit) {
  bbuf deep = {0};
  for (int i = 0; i < 200; i++)
    bbuf_puts(&deep, "<a>");
  for (int i = 0; i < 200; i++)
    bbuf_puts(&deep, "</a>");
  const char *names[] = {"xl/workbook.xml"};
  const char *parts[] = {deep.data};
  size_t sizes[] = {deep.len};
  size_t len;
  char *bytes = package(names, parts, sizes, 1, &len);
  char *msg = read_error(bytes, len, NULL);
  CHECK_CONTAINS(msg, "xl/workbook.xml nests elements deeper than 64 (limit)");
  free(msg);
  free(bytes);
  bbuf_free(&deep);
}

TEST(a_formula_never_computed_is_refused) {
  static const char sheet[] =
      "<worksheet><sheetData><row r=\"1\"><c r=\"D7\"><f>B7+C7</f></c>"
      "</row></sheetData></worksheet>";
  const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/worksheets/sheet1.xml"};
  const char *parts[] = {workbook_xml, rels_xml, sheet};
  size_t sizes[] = {strlen(workbook_xml), strlen(rels_xml), strlen(sheet)};
  size_t len;
  char *bytes = package(names, parts, sizes, 3, &len);
  char *msg = read_error(bytes, len, NULL);
  CHECK_CONTAINS(msg, "xl/worksheets/sheet1.xml: cell D7 holds a formula "
                      "without its value");
  free(msg);
  free(bytes);
}

/* Two cells, at A1 and at the last cell of a sheet: what is looked at
 * is the cells there are, not the rows and columns between them (a walk
 * of every position would be 17 billion steps). */
TEST(a_sparse_sheet_costs_its_cells_not_its_extent) {
  static const char sheet[] =
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
      "<is><t>项目</t></is></c></row><row r=\"1048576\"><c r=\"XFD1048576\">"
      "<v>1</v></c></row></sheetData></worksheet>";
  const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/worksheets/sheet1.xml"};
  const char *parts[] = {workbook_xml, rels_xml, sheet};
  size_t sizes[] = {strlen(workbook_xml), strlen(rels_xml), strlen(sheet)};
  size_t len;
  char *bytes = package(names, parts, sizes, 3, &len);
  const char *book = tmp("sparse.xlsx");
  FILE *f = fopen(book, "wb");
  fwrite(bytes, 1, len, f);
  fclose(f);
  const char *data = tmp("data/sparse.yaml");
  mkdir(tmp("data"), 0755);
  copy_file(REFERENCE, data);
  char *msg;
  CHECK(!import1(book, NULL, data, &msg));
  CHECK_CONTAINS(msg, "sparse.xlsx:表三!B1: error: the header does not match "
                      "the layout's columns of 表三: expected '支出预算', found "
                      "nothing");
  free(msg);
  free(bytes);
}

TEST(a_package_without_a_workbook_is_not_a_spreadsheet) {
  const char *names[] = {"hello.txt"};
  const char *parts[] = {"hello"};
  size_t sizes[] = {5};
  size_t len;
  char *bytes = package(names, parts, sizes, 1, &len);
  char *msg = read_error(bytes, len, NULL);
  CHECK_CONTAINS(msg, "not a spreadsheet: the package has no xl/workbook.xml");
  free(msg);
  free(bytes);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  if (!mkdtemp(tmpdir))
    return 1;
  model_options mo = model_opts();
  diag *d = diag_new(NULL);
  reference_model = model_load(REFERENCE, &mo, d);
  reference_layout = layout_load(SOURCE_DIR "/layouts/department-budget.yaml", d);
  diag_drop(d);
  if (!reference_model || !reference_layout)
    return 1;
  RUN(reference_xlsx_made_by_libreoffice_imports_to_the_reference_tables);
  RUN(reference_xls_made_by_libreoffice_imports_to_the_reference_tables);
  RUN(into_the_reference_data_changes_nothing);
  RUN(into_keeps_the_item_levels_an_export_does_not_indent);
  RUN(into_rewrites_only_the_table_whose_rows_changed);
  RUN(a_binary_double_is_read_as_the_figure_typed);
  RUN(figures_in_another_unit_than_the_datas_are_refused);
  RUN(the_workbook_is_never_the_output);
  RUN(into_replaces_only_the_changed_figure);
  RUN(a_changed_figure_reimported_and_rendered_changes_the_pdf);
  RUN(odd_shapes_made_by_libxlsxwriter_import_to_the_reference_tables);
  RUN(csv_files_one_a_sheet_in_utf8_and_gbk_import_to_the_reference_tables);
  RUN(a_header_that_does_not_match_the_column_tree_names_both_labels);
  RUN(a_figure_that_is_not_a_number_is_an_error_at_its_cell);
  RUN(a_code_not_in_the_classification_is_an_error_at_its_cell);
  RUN(the_data_files_own_errors_are_reported_at_the_rows_cells);
  RUN(a_missing_table_is_an_error_naming_it);
  RUN(sheets_without_titles_are_found_by_the_layouts_mapping);
  RUN(a_note_line_is_known_by_the_starts_the_layout_gives);
  RUN(a_broken_zip_is_refused);
  RUN(a_zip_bomb_stops_at_the_part_limit);
  RUN(a_huge_shared_string_table_stops_at_the_limit);
  RUN(deep_xml_stops_at_the_depth_limit);
  RUN(a_formula_never_computed_is_refused);
  RUN(a_sparse_sheet_costs_its_cells_not_its_extent);
  RUN(a_package_without_a_workbook_is_not_a_spreadsheet);
  model_drop(reference_model);
  layout_drop(reference_layout);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    return 1;
  return harness_done();
}
