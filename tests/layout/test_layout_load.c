/* SPDX-License-Identifier: MIT */
/* test_layout_load.c — the layout file loader: the reference layout loads,
 * and each kind of mistake in a layout gives one positioned error
 * (src/layout/load.c), and header rows come out of column trees
 * (src/layout/columns.c). */
#include "harness.h"
#include "layout_imp.h"

#include <unistd.h>

/* A minimal valid layout; tests splice mistakes into copies of it. */
static const char minimal[] =
    "schema: department-budget\n"
    "styles:\n"
    "  body: {font: 仿宋, size: 三号, indent: 2em}\n"
    "  cell: {font: 宋体, size: 五号}\n"
    "pages:\n"
    "  portrait: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
    "document:\n"
    "  - section:\n"
    "      page: portrait\n"
    "      content:\n"
    "        - paragraph: {text: \"{unit}\", style: body}\n";

static char *write_temp(const char *text) {
  char *path = xstrdup("/tmp/bp-layout-XXXXXX");
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

/* Load text as a layout; return the diagnostics with the temp path
 * replaced by "L". */
static char *load_errors(const char *text, layout **out) {
  char *path = write_temp(text);
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  layout *l = layout_load(path, d);
  bbuf b = {0};
  const char *msg = capture_text(&c);
  size_t plen = strlen(path);
  for (const char *p = msg; *p;) {
    if (!strncmp(p, path, plen)) {
      bbuf_puts(&b, "L");
      p += plen;
    } else {
      bbuf_append(&b, p++, 1);
    }
  }
  if (!b.data)
    bbuf_puts(&b, "");
  if (out)
    *out = l;
  else
    layout_drop(l);
  diag_drop(d);
  capture_close(&c);
  unlink(path);
  free(path);
  return b.data;
}

static char *replace(const char *s, const char *from, const char *to) {
  const char *at = strstr(s, from);
  if (!at)
    return xstrdup("(replace: not found)");
  bbuf b = {0};
  bbuf_append(&b, s, (size_t)(at - s));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  return b.data;
}

TEST(reference_layout_loads) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  layout *l = layout_load(SOURCE_DIR "/layouts/department-budget.yaml", d);
  CHECK(l != NULL);
  CHECK_STR(capture_text(&c), "");
  if (l) {
    CHECK_STR(layout_schema_name(l), "department-budget");
    const layout_style *body = layout_lookup_style(l, "body");
    CHECK(body && body->size == 16 && body->first_indent == 32);
    CHECK(body && body->align == ALIGN_JUSTIFY);
    /* Every table fits its page's type area. */
    for (int s = 0; s < l->nsections; s++)
      for (int i = 0; i < l->sections[s].nblocks; i++) {
        const lblock *b = &l->sections[s].blocks[i];
        if (b->kind != LB_TABLE)
          continue;
        arena *a = arena_new();
        int n;
        (void)header_rows_from_column_tree(a, b->u.table.columns,
                                           b->u.table.ncolumns, NULL, &n);
        CHECK(n >= 1);
        arena_drop(a);
      }
  }
  layout_drop(l);
  diag_drop(d);
  capture_close(&c);
}

TEST(minimal_layout_loads) {
  layout *l;
  char *e = load_errors(minimal, &l);
  CHECK_STR(e, "");
  CHECK(l && l->nsections == 1 && l->sections[0].page->turned == false);
  CHECK(l && l->sections[0].blocks[0].kind == LB_PARAGRAPH);
  layout_drop(l);
  free(e);
}

typedef struct mistake {
  const char *from, *to, *error;
} mistake;

/* Each row: a change to the minimal layout and the one error it gives. */
static const mistake mistakes[] = {
    {"indent: 2em}", "indnet: 2em}",
     "L:3:30: error: unknown key 'indnet' in a style; did you mean 'indent'?\n"},
    {"style: body}", "style: bdy}",
     "L:11:46: error: no style named 'bdy'; did you mean 'body'?\n"},
    {"size: 五号}", "size: 12px}",
     "L:4:26: error: size: unknown unit 'px' (use pt, mm, cm, in or em)\n"},
    {"size: 五号}", "size: 五号, align: centre}",
     "L:4:37: error: align must be left, center, right or justify, not "
     "'centre'; did you mean 'center'?\n"},
    {"size: 五号}", "size: 五号, max-spread: 2em}",
     "L:4:42: error: max-spread must be between 0.01em and 1em\n"},
    {"page: portrait\n", "page: landscape\n",
     "L:9:13: error: no page named 'landscape' in pages\n"},
    {", margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}", "",
     "L:6:13: error: missing key 'margins' in a page\n"},
    {"- paragraph:", "- paragrahp:",
     "L:11:11: error: unknown block kind 'paragrahp'; did you mean "
     "'paragraph'?\n"},
    {"  cell: {font: 宋体, size: 五号}\n", "  cell: {size: 五号}\n",
     "L:4:9: error: missing key 'font' in style 'cell'\n"},
    {"schema: department-budget\n", "",
     "L:1:1: error: missing key 'schema' in the layout\n"},
    {"document:\n", "documents:\n",
     "L:7:1: error: unknown key 'documents' in the layout; did you mean "
     "'document'?\n"
     "L:1:1: error: missing key 'document' in the layout\n"},
};

TEST(each_mistake_gives_one_positioned_error) {
  for (size_t i = 0; i < sizeof mistakes / sizeof *mistakes; i++) {
    char *text = replace(minimal, mistakes[i].from, mistakes[i].to);
    char *e = load_errors(text, NULL);
    CHECK_STR(e, mistakes[i].error);
    free(e);
    free(text);
  }
}

TEST(column_tree_mistakes) {
  char *text = replace(minimal, "        - paragraph: {text: \"{unit}\", style: body}\n",
                       "        - table:\n"
                       "            data: 表二\n"
                       "            cell-style: cell\n"
                       "            head-style: cell\n"
                       "            columns:\n"
                       "              - {title: 类, width: 10mm}\n"
                       "              - {title: 名称, field: name, width: -3mm}\n"
                       "              - {title: 额, field: 总计, width: 20mm, decimals: 9}\n"
                       "              - {title: 缩, field: name, width: 20mm, indent: 1em}\n");
  char *e = load_errors(text, NULL);
  CHECK_STR(e, "L:16:17: error: column '类' has neither 'field' nor 'columns'\n"
               "L:17:49: error: width must be between 1pt and 14400pt (5080mm), not "
               "'-3mm'\n"
               "L:18:62: error: decimals must be a whole number from 0 to 6, not '9'\n");
  free(e);
  free(text);
}

/* Issue 12: a column is fixed (width) or sized by content (min, max,
 * share), not both; smaller sizes go down. */
TEST(column_sizing_mistakes) {
  char *text = replace(minimal, "        - paragraph: {text: \"{unit}\", style: body}\n",
                       "        - table:\n"
                       "            data: 表二\n"
                       "            cell-style: cell\n"
                       "            head-style: cell\n"
                       "            smaller: [小五, 五号]\n"
                       "            columns:\n"
                       "              - {title: 名称, field: name, share: 2}\n"
                       "              - {title: 额, field: 总计, width: 20mm, min: 10mm}\n"
                       "              - {title: 缩, field: name, min: 30mm, max: 20mm}\n"
                       "              - {title: 份, field: name, share: many}\n");
  char *e = load_errors(text, NULL);
  CHECK_STR(e, "L:15:27: error: smaller sizes go down: each is smaller than the one before\n"
               "L:18:46: error: a column has a fixed 'width' or 'min'/'max'/'share', not both\n"
               "L:19:17: error: max is less than min\n"
               "L:20:48: error: share must be a number from 0 to 1000, not 'many'\n");
  free(e);
  free(text);
}

/* Issue 12: the page number stays where the folio's page setup puts it; a
 * page whose type area reaches down to it is refused. */
TEST(a_folio_inside_a_type_area_is_an_error) {
  char *text = replace(
      minimal,
      "document:\n",
      "  wide: {size: [210mm, 297mm], turned: true, margins: {top: 20mm, bottom: 20mm, left: 20mm, right: 15mm}}\n"
      "folio: {text: \"— {page} —\", style: cell, below: 7mm, page: portrait}\n"
      "document:\n"
      "  - section:\n"
      "      page: wide\n"
      "      content:\n"
      "        - paragraph: {text: \"{unit}\", style: body}\n");
  char *e = load_errors(text, NULL);
  CHECK_STR(e, "L:8:15: error: the page number would stand 9.9mm inside the "
               "type area of page 'wide' (its bottom margin is 20.0mm); give "
               "that page a bottom margin of at least 29.9mm\n");
  free(e);
  free(text);
  /* the same page, unnumbered, is fine */
  text = replace(minimal, "document:\n",
                 "  wide: {size: [210mm, 297mm], turned: true, margins: {top: 20mm, bottom: 20mm, left: 20mm, right: 15mm}}\n"
                 "folio: {text: \"— {page} —\", style: cell, page: portrait}\n"
                 "document:\n"
                 "  - section:\n"
                 "      page: wide\n"
                 "      folio: false\n"
                 "      content:\n"
                 "        - paragraph: {text: \"{unit}\", style: body}\n");
  e = load_errors(text, NULL);
  CHECK_STR(e, "");
  free(e);
  free(text);
}

TEST(grid_rows_must_span_the_grid) {
  char *text = replace(
      minimal, "        - paragraph: {text: \"{unit}\", style: body}\n",
      "        - text-sections:\n"
      "            data: explanation\n"
      "            sheets:\n"
      "              cell-style: cell\n"
      "              widths: [10mm, 10mm, 10mm]\n"
      "              header:\n"
      "                - [{text: a}, {field: unit, span: 1}]\n"
      "              row:\n"
      "                - {field: level1, merge: true}\n"
      "                - {text: x, field: value, span: 2}\n");
  char *e = load_errors(text, NULL);
  CHECK_STR(e, "L:12:13: error: missing key 'paragraph' in text-sections\n"
               "L:17:19: error: the cells of this row span 2 columns; the grid has 3\n"
               "L:20:19: error: a grid cell has either 'text' or 'field'\n");
  free(e);
  free(text);
}

/* A layout of before generic blocks gets the block kinds that show a
 * part by name. */
TEST(an_old_part_block_says_what_shows_a_part_now) {
  char *text = replace(
      minimal, "        - paragraph: {text: \"{unit}\", style: body}\n",
      "        - glossary: {data: glossary, title: body, paragraph: body}\n"
      "        - signoff: {style: body}\n");
  char *e = load_errors(text, NULL);
  CHECK_STR(e, "L:11:11: error: unknown block kind 'glossary'; a part of the "
               "data is shown by text-sections, entries or fields with "
               "'data: <part>'\n"
               "L:12:11: error: unknown block kind 'signoff'; a part of the "
               "data is shown by text-sections, entries or fields with "
               "'data: <part>'\n");
  free(e);
  free(text);
}

TEST(header_rows_span_leaves_and_depth) {
  /* 项目 over (编码 over 类 款 项) and 名称; 合计 alone. */
  layout_column code_leaves[3] = {{.title = "类"}, {.title = "款"}, {.title = "项"}};
  layout_column item_kids[2] = {
      {.title = "编码", .children = code_leaves, .nchildren = 3},
      {.title = "名称"}};
  layout_column roots[2] = {{.title = "项目", .children = item_kids, .nchildren = 2},
                            {.title = "合计"}};
  arena *a = arena_new();
  int n;
  block_row *rows = header_rows_from_column_tree(a, roots, 2, NULL, &n);
  CHECK_INT(n, 3);
  CHECK_INT(rows[0].ncells, 2);
  CHECK_STR(rows[0].cells[0].text, "项目");
  CHECK_INT(rows[0].cells[0].colspan, 4);
  CHECK_INT(rows[0].cells[0].rowspan, 1);
  CHECK_STR(rows[0].cells[1].text, "合计");
  CHECK_INT(rows[0].cells[1].col, 4);
  CHECK_INT(rows[0].cells[1].rowspan, 3);
  CHECK_INT(rows[1].ncells, 2);
  CHECK_INT(rows[1].cells[0].colspan, 3);
  CHECK_STR(rows[1].cells[1].text, "名称");
  CHECK_INT(rows[1].cells[1].col, 3);
  CHECK_INT(rows[1].cells[1].rowspan, 2);
  CHECK_INT(rows[2].ncells, 3);
  CHECK_INT(rows[2].cells[2].col, 2);
  arena_drop(a);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(reference_layout_loads);
  RUN(minimal_layout_loads);
  RUN(each_mistake_gives_one_positioned_error);
  RUN(column_tree_mistakes);
  RUN(column_sizing_mistakes);
  RUN(a_folio_inside_a_type_area_is_an_error);
  RUN(grid_rows_must_span_the_grid);
  RUN(an_old_part_block_says_what_shows_a_part_now);
  RUN(header_rows_span_leaves_and_depth);
  return harness_done();
}
