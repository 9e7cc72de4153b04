/* SPDX-License-Identifier: MIT */
/* test_paginate.c — pagination with the real text stage (src/paginate):
 * a figure is never broken across lines (a column too narrow for one is
 * a single error at the layout, with a note at the widest figure), and a
 * long table repeats its header under the continued line on every page.
 * The reference data is laid out with small layouts given inline. */
#include "harness.h"
#include "paginate.h"

static model *reference;
static text_fonts *fonts;

typedef struct run {
  char *errors;
  char *dump; /* display lists, or "" */
  size_t pages;
} run;

static run paginate_text(const char *layout_text) {
  run out = {0};
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  layout *l = layout_parse("L", layout_text, strlen(layout_text), d);
  block_doc *b = l ? layout_expand(l, reference, NULL, d) : NULL;
  bbuf dump = {0};
  bbuf_puts(&dump, "");
  if (b) {
    text_shaper *sh = text_shaper_new(fonts);
    page_doc *doc = paginate(b, fonts, sh, d);
    page_doc_dump(doc, &dump);
    out.pages = page_doc_page_count(doc);
    page_doc_drop(doc);
    text_shaper_drop(sh);
  }
  out.dump = dump.data;
  out.errors = xstrdup(capture_text(&c));
  block_doc_drop(b);
  layout_drop(l);
  diag_drop(d);
  capture_close(&c);
  return out;
}

static void run_free(run *r) {
  free(r->errors);
  free(r->dump);
}

/* The reference data's tables and parts the small layouts below leave out
 * (a layout places or omits everything the data holds). */
#define OMIT_BUT(...)                                                        \
  "omit: [" __VA_ARGS__ "profile, explanation, glossary, sign_off]\n"
#define ALL_TABLES "表一, 表二, 表三, 表四, 表五, 表六, 表七, 表八, 表九, "

static const char table_layout[] =
    "schema: department-budget\n"
    "styles:\n"
    "  cell: {font: 宋体, size: 五号, leading: 12pt}\n"
    "  cont: {font: 黑体, size: 五号}\n"
    "pages:\n"
    "  p: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
    "table-defaults: {cell-style: cell, head-style: cell, continued: {text: \"{id}续\", style: cont}}\n"
    "document:\n"
    "  - section:\n"
    "      page: p\n"
    "      content:\n"
    "        - table:\n"
    "            data: 表四\n"
    "            columns:\n"
    "              - {title: 功能分类, field: expenditure.code-name, width: 60mm}\n"
    "              - {title: 合计, field: expenditure.合计, width: WIDTH, decimals: 2}\n";

static char *replace_once(const char *s, const char *from, const char *to) {
  bbuf b = {0};
  const char *at = strstr(s, from);
  bbuf_append(&b, s, (size_t)(at - s));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  return b.data;
}

static char *layout_with_width(const char *width, const char *extra) {
  bbuf b = {0};
  const char *at = strstr(table_layout, "WIDTH");
  bbuf_append(&b, table_layout, (size_t)(at - table_layout));
  bbuf_puts(&b, width);
  bbuf_puts(&b, at + 5);
  if (extra)
    bbuf_puts(&b, extra);
  bbuf_puts(&b, OMIT_BUT("表一, 表二, 表三, 表五, 表六, 表七, 表八, 表九, "));
  return b.data;
}

TEST(figures_are_never_broken_a_narrow_column_is_one_error) {
  /* 1603.04 at 五号 in the 宋体 needs 13.0mm; 12mm less 2pt of padding
   * at each side leaves 10.6mm. */
  char *text = layout_with_width("12mm", NULL);
  run r = paginate_text(text);
  CHECK_CONTAINS(r.errors,
                 "L:16:17: error: column too narrow: 1603.04 needs 13.3mm, "
                 "the column leaves 10.6mm (2 figures do not fit); widen it "
                 "(figures are never broken across lines)\n");
  CHECK_CONTAINS(r.errors, "data/changji-sib-2021.yaml:");
  CHECK_CONTAINS(r.errors, ": note: 1603.04 is here\n");
  run_free(&r);
  free(text);
  text = layout_with_width("20mm", NULL);
  r = paginate_text(text);
  CHECK_STR(r.errors, "");
  CHECK_CONTAINS(r.dump, "\"1603.04\"");
  run_free(&r);
  free(text);
}

TEST(long_table_repeats_its_header_on_every_page) {
  /* Rows 120pt tall: five a page, so 表四's 31 rows take several pages,
   * each with the header, all but the first with the continued line. */
  char *text = layout_with_width("20mm", "            min-row-height: 120pt\n");
  run r = paginate_text(text);
  CHECK_STR(r.errors, "");
  CHECK(r.pages >= 6);
  size_t heads = 0, conts = 0;
  for (const char *p = r.dump; (p = strstr(p, "\"功能分类\"")); p++)
    heads++;
  for (const char *p = r.dump; (p = strstr(p, "\"表四续\"")); p++)
    conts++;
  CHECK_INT(heads, r.pages);
  CHECK_INT(conts, r.pages - 1);
  run_free(&r);
  free(text);
}

/* Columns sized by content (issue 12): the amount column is as wide as
 * 1681.99 needs, the name column takes the rest of the type area. */
static const char sized_layout[] =
    "schema: department-budget\n"
    OMIT_BUT("表一, 表二, 表三, 表五, 表六, 表七, 表八, 表九, ")
    "styles:\n"
    "  cell: {font: 宋体, size: 五号, leading: 12pt}\n"
    "  small: {font: 宋体, size: 六号, leading: 9pt}\n"
    "pages:\n"
    "  p: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
    "table-defaults: {cell-style: cell, head-style: cell, padding: [2pt, 3pt]}\n"
    "document:\n"
    "  - section:\n"
    "      page: p\n"
    "      content:\n"
    "        - table:\n"
    "            data: 表四\n"
    "            SMALLER\n"
    "            columns:\n"
    "              - {title: 功能分类, field: expenditure.code-name, MIN}\n"
    "              - {title: 合计, field: expenditure.合计, decimals: 2}\n";

static char *sized(const char *smaller, const char *min) {
  char *a = replace_once(sized_layout, "SMALLER", smaller);
  char *b = replace_once(a, "MIN", min);
  free(a);
  return b;
}

TEST(columns_take_their_width_from_their_content) {
  char *text = sized("empty-rows: 0", "share: 1");
  run r = paginate_text(text);
  CHECK_STR(r.errors, "");
  /* 1681.99 at 五号 in Noto Serif CJK's figures and 3pt each side: the
   * amount column's rules stand that far apart, the name column has the
   * rest of 156mm. */
  CHECK_CONTAINS(r.dump, "line 79.37,");
  CHECK_CONTAINS(r.dump, "→ 521.57,");
  run_free(&r);
  free(text);
  /* A minimum the type area cannot give: one error at the table, a note
   * at the column, saying how much is missing. */
  text = sized("empty-rows: 0", "min: 150mm");
  r = paginate_text(text);
  CHECK_CONTAINS(r.errors, "L:13:11: error: the table's columns need 165.4mm, ");
  CHECK_CONTAINS(r.errors, "the type area is 156.0mm wide: 9.4mm missing");
  CHECK_CONTAINS(r.errors, "mm missing (allow a smaller size with 'smaller:', "
                           "or lower the columns' minimums)\n");
  CHECK_CONTAINS(r.errors, "L:17:17: note: column 功能分类 needs 150.0mm");
  run_free(&r);
  free(text);
  /* With a smaller size allowed, a too-wide figure column steps down. */
  text = sized("smaller: [六号]", "min: 143mm");
  r = paginate_text(text);
  CHECK_STR(r.errors, "");
  CHECK_CONTAINS(r.dump, " 7.5 at ");
  run_free(&r);
  free(text);
}

TEST(a_total_row_never_stands_alone_on_a_page) {
  /* Rows of 20.5pt: the header and 表四's 30 rows fill the first page
   * exactly, so its total row would go on alone; the row before keeps it
   * company. */
  char *text = layout_with_width("20mm", "            min-row-height: 20.5pt\n");
  run r = paginate_text(text);
  CHECK_STR(r.errors, "");
  CHECK_INT(r.pages, 2);
  const char *second = strstr(r.dump, "page 2 ");
  CHECK(second != NULL);
  if (second) {
    CHECK(strstr(second, "1681.99") != NULL);          /* the total */
    CHECK(strstr(second, "抗疫特别国债还本支出") != NULL); /* and a row */
  }
  run_free(&r);
  free(text);
}

TEST(pages_carry_labels_for_viewers) {
  /* A first section without page numbers, then numbering from 1. */
  static const char two_sections[] =
      "schema: department-budget\n"
      "styles:\n"
      "  body: {font: 宋体, size: 五号}\n"
      "  folio: {font: 宋体, size: 四号}\n"
      "pages:\n"
      "  p: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
      "folio: {text: \"— {page} —\", style: folio}\n"
      "document:\n"
      "  - section: {page: p, folio: false, content: [paragraph: {text: 封面, style: body}]}\n"
      "  - section: {page: p, first-page-number: 1, content: [paragraph: {text: 正文, style: body}]}\n"
      OMIT_BUT(ALL_TABLES);
  run r = paginate_text(two_sections);
  CHECK_STR(r.errors, "");
  CHECK_CONTAINS(r.dump, "page 1 595.28x841.89 label roman 1\n");
  CHECK_CONTAINS(r.dump, "page 2 595.28x841.89 label 1\n");
  run_free(&r);
}

/* Text the display lists hold, each copy counted once. */
typedef struct text_copies {
  const char *last;
  size_t bytes;
} text_copies;

static bool count_copy(void *ctx, const page_glyph_run *glyphs) {
  text_copies *c = ctx;
  if (glyphs->text != c->last) {
    c->bytes += glyphs->text_len;
    c->last = glyphs->text;
  }
  return true;
}

TEST(a_paragraph_over_many_pages_is_copied_once_not_once_a_page) {
  bbuf layout_text = {0};
  bbuf_puts(&layout_text,
            "schema: department-budget\n"
            "styles:\n"
            "  body: {font: 宋体, size: 五号}\n"
            "pages:\n"
            "  p: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
            "document:\n"
            "  - section: {page: p, content: [paragraph: {style: body, text: \"");
  size_t para = 0;
  for (int i = 0; i < 600; i++) {
    bbuf_puts(&layout_text, "贯彻执行国家及区州社会保险法律、法规和政策，拟定全州基金管理办法。");
    para += strlen("贯彻执行国家及区州社会保险法律、法规和政策，拟定全州基金管理办法。");
  }
  bbuf_puts(&layout_text, "\"}]}\n" OMIT_BUT(ALL_TABLES));
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  layout *l = layout_parse("L", layout_text.data, layout_text.len, d);
  block_doc *b = layout_expand(l, reference, NULL, d);
  text_shaper *sh = text_shaper_new(fonts);
  page_doc *doc = paginate(b, fonts, sh, d);
  CHECK_STR(capture_text(&c), "");
  CHECK(page_doc_page_count(doc) >= 10);
  text_copies copies = {0};
  page_device dev = {.glyphs = count_copy};
  page_doc_replay(doc, &dev, &copies);
  CHECK(copies.bytes <= para); /* each page holds its own lines' text */
  CHECK(copies.bytes >= para * 9 / 10);
  page_doc_drop(doc);
  text_shaper_drop(sh);
  block_doc_drop(b);
  layout_drop(l);
  diag_drop(d);
  capture_close(&c);
  bbuf_free(&layout_text);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(stderr);
  model_options o = {.datadir = SOURCE_DIR};
  reference = model_load(SOURCE_DIR "/data/changji-sib-2021.yaml", &o, d);
  fonts = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!reference || !fonts)
    return 1;
  RUN(figures_are_never_broken_a_narrow_column_is_one_error);
  RUN(long_table_repeats_its_header_on_every_page);
  RUN(columns_take_their_width_from_their_content);
  RUN(a_total_row_never_stands_alone_on_a_page);
  RUN(pages_carry_labels_for_viewers);
  RUN(a_paragraph_over_many_pages_is_copied_once_not_once_a_page);
  text_fonts_drop(fonts);
  model_drop(reference);
  diag_drop(d);
  return harness_done();
}
