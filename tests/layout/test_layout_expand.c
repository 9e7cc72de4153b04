/* SPDX-License-Identifier: MIT */
/* test_layout_expand.c — a layout bound to the reference data
 * (src/layout/expand.c): the block tree of the reference document (header
 * spans, two-sided tables paired, totals labelled, sheet indicators
 * merged, amounts formatted exactly), and each binding mistake reported
 * once at its position in the layout or the data. */
#include "harness.h"
#include "layout_imp.h"

static model *reference;
static diag *model_diag;

static const model *reference_model(void) {
  if (!reference) {
    model_diag = diag_new(stderr);
    model_options o = {.datadir = SOURCE_DIR};
    reference = model_load(SOURCE_DIR "/data/changji-sib-2021.yaml", &o,
                           model_diag);
  }
  return reference;
}

/* Expand a layout given as text against the reference; returns the block
 * dump (or "") and the diagnostics with the layout's name "L". */
static void expand_text(const char *text, char **dump, char **errors) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  layout *l = layout_parse("L", text, strlen(text), d);
  block_doc *b = l ? layout_expand(l, reference_model(), NULL, d) : NULL;
  bbuf out = {0};
  bbuf_puts(&out, "");
  if (b) {
    char *mem = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mem, &n);
    block_doc_dump(b, f);
    fclose(f);
    bbuf_append(&out, mem, n);
    free(mem);
  }
  *dump = out.data;
  *errors = xstrdup(capture_text(&c));
  block_doc_drop(b);
  layout_drop(l);
  diag_drop(d);
  capture_close(&c);
}

/* The reference layout's dump, once. */
static char *reference_dump(void) {
  static char *dump;
  if (dump)
    return dump;
  size_t len;
  diag *d = diag_new(stderr);
  char *text = file_read_all(SOURCE_DIR "/layouts/department-budget.yaml",
                             1 << 20, &len, d);
  char *errors;
  expand_text(text, &dump, &errors);
  CHECK_STR(errors, "");
  free(errors);
  free(text);
  diag_drop(d);
  return dump;
}

TEST(reference_tables_have_their_header_spans) {
  const char *dump = reference_dump();
  /* 表三: 项目 over (编码 over 类/款/项, 名称); 支出预算 over three. */
  CHECK_CONTAINS(dump, "    head* | 项    目 (4x1) | 支出预算 (3x1) |\n"
                       "    head* | 功能分类科目编码 (3x1) | 功能分类科目名称 (1x2) | "
                       "合  计 (1x2) | 基本支出 (1x2) | 项目支出 (1x2) |\n"
                       "    head* | 类 | 款 | 项 |\n");
  /* 表八: 合计 and 公务接待费 stand two rows tall. */
  CHECK_CONTAINS(dump, "    head* | 合  计 (1x2) | 因公出国（境）费 | 公务用车购置及运行费 (3x1) | 公务接待费 (1x2) |\n");
}

TEST(reference_rows_carry_codes_names_and_exact_amounts) {
  const char *dump = reference_dump();
  CHECK_CONTAINS(dump, "    row   | 208 | 01 | 01 | 行政运行 | 638.42 | 638.42 |  |  |  |  |  |  |\n");
  CHECK_CONTAINS(dump, "    row   | 302 | 02 | 印刷费 | 4.30 | 0.00 | 4.30 |\n");
  /* Absent stays blank, 0 prints as 0.00 (表六 prints zeros). */
  CHECK_CONTAINS(dump, "    row   | 301 |  | 工资福利支出 | 694.32 | 694.32 | 0.00 |\n");
  CHECK_CONTAINS(dump, "    row   | 208 | 25 | 01 | 其他城市生活救助 | 2021年州直破产企业退休职工采暖费 | 84.00 |  |  | 84.00 |");
}

TEST(two_sided_rows_pair_line_by_line_and_totals_are_labelled) {
  const char *dump = reference_dump();
  CHECK_CONTAINS(dump, "    row   | 财政拨款（补助） | 1681.99 | 201 一般公共服务支出 |  |\n"
                       "    row   | 一般公共预算 | 1681.99 | 202 外交支出 |  |\n");
  /* Past the income side's rows, its cells are blank. */
  CHECK_CONTAINS(dump, "    row   |  |  | 210 卫生健康支出 | 78.95 |\n");
  CHECK_CONTAINS(dump, "    row   | 收  入  总  计 | 1681.99 | 支  出  总  计 | 1681.99 |\n");
}

TEST(sheet_indicators_merge_down_their_columns) {
  const char *dump = reference_dump();
  CHECK_CONTAINS(dump, "    row   | 产出指标 (1x5) | 数量指标 | 核定补助企业1995年以前退休（人次） (3x1) | =13440 (2x1) |\n"
                       "    row   | 质量指标 | 资金发放到位率（%） (3x1) | =100% (2x1) |\n");
  /* 成本指标 over two rows; the second row starts at 三级. */
  CHECK_CONTAINS(dump, "    row   | 成本指标 (1x2) | 生活费补助金额（元/人/年） (3x1) | =1440 (2x1) |\n"
                       "    row   | 完成1995年以前企业退休人员生活补贴费发放成本（万元） (3x1) | =162 (2x1) |\n");
}

TEST(headings_toc_and_bookmarks) {
  const char *dump = reference_dump();
  CHECK_CONTAINS(dump, "  paragraph [part-title] keep toc=1 bookmark=1 第一部分\n昌吉回族自治州社会保险管理局单位概况\n");
  CHECK_CONTAINS(dump, "  paragraph [table-title] keep toc=2 bookmark=2 部门（单位）收入总体情况表\n");
  CHECK_CONTAINS(dump, "  paragraph [sheet-title] keep bookmark=3 项  目  支  出  绩  效  目  标  表\n");
  CHECK_CONTAINS(dump, "document \"昌吉回族自治州社会保险管理局2021年部门（单位）预算公开\" "
                       "author \"昌吉回族自治州社会保险管理局\" date 2021-02-02\n");
}

/* A one-table layout; each mistake below is spliced into it. */
static const char one_table[] =
    "schema: department-budget\n"
    "styles:\n"
    "  cell: {font: 宋体, size: 五号}\n"
    "pages:\n"
    "  p: {size: [210mm, 297mm], margins: {top: 37mm, bottom: 35mm, left: 28mm, right: 26mm}}\n"
    "table-defaults: {cell-style: cell, head-style: cell}\n"
    "document:\n"
    "  - section:\n"
    "      page: p\n"
    "      content:\n"
    "        - table:\n"
    "            data: 表三\n"
    "            title: \"{unit}\"\n"
    "            columns:\n"
    "              - {title: 名称, field: name, width: 60mm}\n"
    "              - {title: 合计, field: 合计, width: 30mm, decimals: 2}\n"
    "omit: [表一, 表二, 表四, 表五, 表六, 表七, 表八, 表九, profile, explanation, "
    "glossary, sign_off]\n";

static char *with(const char *from, const char *to) {
  const char *at = strstr(one_table, from);
  bbuf b = {0};
  if (!at)
    return xstrdup("(not found)");
  bbuf_append(&b, one_table, (size_t)(at - one_table));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  return b.data;
}

typedef struct binding_case {
  const char *from, *to, *error;
} binding_case;

static const binding_case binding_cases[] = {
    {"field: 合计,", "field: 合记,",
     "L:16:36: error: table 表三 has no field '合记'; did you mean '合计'?\n"},
    {"field: name,", "field: income.name,",
     "L:15:36: error: table 表三 has no field 'income.name'\n"},
    {"data: 表三", "data: 表十",
     "L:12:19: error: the data has no table '表十'\n"
     "L:8:3: error: the data's table 表三 is placed nowhere in the layout; "
     "add a 'table: {data: 表三, ...}' block to a section of this document "
     "(or list it under 'omit:')\n"},
    {"title: \"{unit}\"", "title: \"{unti}\"",
     "L:13:20: error: unknown placeholder {unti} (known: {unit}, {year}, "
     "{amount_unit}, {page}, {<part>.<field>} of a fields part)\n"},
    {"title: \"{unit}\"", "title: \"{date}\"",
     "L:13:20: error: unknown placeholder {date}; did you mean "
     "{sign_off.date}?\n"},
    {"width: 60mm}", "width: 160mm}",
     "L:11:11: error: table 表三 is 190.0mm wide; the type area of page 'p' "
     "is 156.0mm\n"},
    {"field: name, width: 60mm}", "field: code.段, width: 60mm}",
     "L:15:36: error: the codes of table 表三 have no level '段'\n"},
};

TEST(each_binding_mistake_is_reported_where_it_is) {
  for (size_t i = 0; i < sizeof binding_cases / sizeof *binding_cases; i++) {
    char *text = with(binding_cases[i].from, binding_cases[i].to);
    char *dump, *errors;
    expand_text(text, &dump, &errors);
    CHECK_STR(errors, binding_cases[i].error);
    CHECK_STR(dump, ""); /* no blocks after an error */
    free(dump);
    free(errors);
    free(text);
  }
}

/* A layout's boilerplate may quote figures (issue 11): a named figure of
 * the schema and a reference; one that does not resolve is the model's
 * error at the template. */
TEST(a_layout_text_may_quote_figures_of_the_model) {
  char *text = with("        - table:\n",
                    "        - paragraph: {text: \"收支总预算{收支总预算}万元，"
                    "其中基本支出{表三.total.基本支出}万元，占"
                    "{share(表三.total.基本支出, 支出预算)}（{sign_off.date}）\", "
                    "style: cell}\n"
                    "        - table:\n");
  char *dump, *errors;
  expand_text(text, &dump, &errors);
  CHECK_STR(errors, "");
  CHECK_CONTAINS(dump, "收支总预算1681.99万元，其中基本支出780.99万元，占46%"
                       "（2021年2月2日）");
  free(dump);
  free(errors);
  free(text);
  text = with("title: \"{unit}\"", "title: \"{表三.total.合记}\"");
  expand_text(text, &dump, &errors);
  CHECK_STR(errors, "L:13:20: error: {表三.total.合记}: 表三 has no column "
                    "'合记'; did you mean '合计'?\n");
  free(dump);
  free(errors);
  free(text);
}

/* Nothing the data holds is dropped without a word: a table or a part
 * the layout neither places nor omits is an error at the layout line
 * where it could go. */
TEST(what_the_layout_leaves_out_is_an_error_where_it_could_go) {
  char *text = with("表八, 表九, profile,", "表九, profile,");
  char *dump, *errors;
  expand_text(text, &dump, &errors);
  CHECK_STR(errors,
            "L:11:11: error: the data's table 表八 is placed nowhere in the "
            "layout; add a 'table: {data: 表八, ...}' block after the one "
            "placing 表三 (or list it under 'omit:')\n");
  CHECK_STR(dump, "");
  free(dump), free(errors), free(text);

  text = with(" glossary,", "");
  expand_text(text, &dump, &errors);
  CHECK_STR(errors,
            "L:11:11: error: the data's part 'glossary' is placed nowhere in "
            "the layout; add an 'entries: {data: glossary, ...}' block after "
            "the one placing tables (or list it under 'omit:')\n");
  free(dump), free(errors), free(text);

  text = with("omit: [", "omit: [表甲, ");
  expand_text(text, &dump, &errors);
  CHECK_STR(errors, "L:17:8: error: omit: the data has no table or part '表甲'\n");
  free(dump), free(errors), free(text);
}

/* A block shows a part by name; a name that is no part of its kind is an
 * error with the parts it could show. */
TEST(a_block_names_a_part_of_its_kind) {
  char *text = with("        - table:\n",
                    "        - entries: {data: glosary, paragraph: cell}\n"
                    "        - fields: {data: profile, style: cell}\n"
                    "        - table:\n");
  char *dump, *errors;
  expand_text(text, &dump, &errors);
  CHECK_STR(errors,
            "L:11:27: error: entries shows no part 'glosary'; did you mean "
            "'glossary'?\n"
            "L:12:26: error: fields shows a part of the data (sign_off); "
            "'profile' is not one\n");
  free(dump), free(errors), free(text);
}

/* What the data holds and the layout gives no style for is an error, not
 * dropped: the glossary's title, 表九's note. */
TEST(a_title_or_note_without_a_style_is_an_error) {
  char *text = with(" glossary,", "");
  char *t2 = xstrdup(text);
  char *at = strstr(t2, "        - table:\n");
  bbuf b = {0};
  bbuf_append(&b, t2, (size_t)(at - t2));
  bbuf_puts(&b, "        - entries: {data: glossary, paragraph: cell}\n");
  bbuf_puts(&b, at);
  char *dump, *errors;
  expand_text(b.data, &dump, &errors);
  CHECK_CONTAINS(errors, "L:11:11: error: the data's part 'glossary' has a "
                         "title (");
  CHECK_CONTAINS(errors, "changji-sib-2021.yaml:703); give this block a "
                         "'title' style to print it\n");
  free(dump), free(errors), free(t2), free(text);
  bbuf_free(&b);
  text = with("data: 表三", "data: 表九");
  char *swapped = xstrdup(text);
  char *nine = strstr(swapped, "表八, 表九,");
  memcpy(nine + strlen("表八, "), "表三", strlen("表三"));
  expand_text(swapped, &dump, &errors);
  CHECK_CONTAINS(errors, "L:11:11: error: the data gives table 表九 a note (");
  CHECK_CONTAINS(errors, "); give the table or table-defaults a 'note-style' "
                         "to print it\n");
  free(dump), free(errors), free(swapped), free(text);
}

TEST(an_amount_never_loses_digits_to_the_layout) {
  /* 1681.99 at one decimal would print 1682.0: refused at the data. */
  char *text = with("decimals: 2}", "decimals: 1}");
  char *dump, *errors;
  expand_text(text, &dump, &errors);
  CHECK_CONTAINS(errors, "data/changji-sib-2021.yaml:");
  CHECK_CONTAINS(errors, ": error: 表三: 638.42 has more decimals than the layout prints (1); it would be rounded\n");
  free(dump);
  free(errors);
  free(text);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  if (!reference_model()) {
    fputs("the reference data does not load\n", stderr);
    return 1;
  }
  RUN(reference_tables_have_their_header_spans);
  RUN(reference_rows_carry_codes_names_and_exact_amounts);
  RUN(two_sided_rows_pair_line_by_line_and_totals_are_labelled);
  RUN(sheet_indicators_merge_down_their_columns);
  RUN(headings_toc_and_bookmarks);
  RUN(each_binding_mistake_is_reported_where_it_is);
  RUN(what_the_layout_leaves_out_is_an_error_where_it_could_go);
  RUN(a_block_names_a_part_of_its_kind);
  RUN(a_title_or_note_without_a_style_is_an_error);
  RUN(an_amount_never_loses_digits_to_the_layout);
  RUN(a_layout_text_may_quote_figures_of_the_model);
  model_drop(reference);
  diag_drop(model_diag);
  return harness_done();
}
