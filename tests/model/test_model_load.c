/* SPDX-License-Identifier: MIT */
/* test_model_load.c — the loader's errors (src/model/load*.c, schema.c).
 * Each kind of mistake has a small malformed file under fixtures/data/;
 * the test asserts every message and its file:line:col exactly, and that
 * all of a file's errors are reported, not just the first.  A clean file
 * loads into the model a layout walks. */
#include "harness.h"
#include "model.h"

#include <unistd.h>

/* Load fixtures/<path> (relative to fixtures/, as the messages show it);
 * return the model and everything reported. */
static model *load(const char *path, char **messages) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  model_options opts = {0}; /* no installed schemas: only ../schemas/ */
  model *m = model_load(path, &opts, d);
  *messages = xstrdup(capture_text(&c));
  diag_drop(d);
  capture_close(&c);
  return m;
}

typedef struct error_case {
  const char *file;
  const char *messages;
} error_case;

static const error_case error_cases[] = {
    {"data/bad-amounts.yaml",
     "data/bad-amounts.yaml:9:29: error: 预算数: '63x.42' is not an amount: "
     "unexpected character 'x'\n"
     "data/bad-amounts.yaml:10:29: error: 预算数: '1,681.99' is not an "
     "amount: thousands separators are not allowed; write the digits "
     "without commas\n"
     "data/bad-amounts.yaml:11:29: error: 预算数: '1e3' is not an amount: "
     "exponent forms (1e3) are not allowed; write the digits out\n"
     "data/bad-amounts.yaml:12:20: error: 预算数: '1.1234567' is not an "
     "amount: more than 6 decimal places\n"
     "data/bad-amounts.yaml:15:45: error: the amount of 预算数 must be a "
     "scalar, not a mapping\n"
     "data/bad-amounts.yaml:16:20: error: 预算数: '.5' is not an amount: a "
     "decimal point needs digits on both sides (0.5, not .5 or 5.)\n"
     "data/bad-amounts.yaml:20:13: error: 合计: '５' is not an amount: "
     "full-width digits are not allowed; use 0-9 and '.'\n"},
    {"data/bad-keys.yaml",
     "data/bad-keys.yaml:3:1: error: unknown key 'layuot' in the data file; "
     "did you mean 'layout'?\n"
     "data/bad-keys.yaml:2:1: error: missing key 'layout' in the data file\n"
     "data/bad-keys.yaml:13:38: error: unknown key '合记' in row 208 of "
     "支出表; did you mean '合计'?\n"
     "data/bad-keys.yaml:14:23: error: unknown key 'nmae' in row 20801 of "
     "支出表; did you mean 'name'?\n"
     "data/bad-keys.yaml:14:9: error: missing key 'name' in row 20801 of "
     "支出表\n"
     "data/bad-keys.yaml:15:19: error: unknown key 'totl' in 经济表; did you "
     "mean 'total'?\n"
     "data/bad-keys.yaml:17:16: error: unknown key '公务招待费' in table "
     "三公表; did you mean '公务接待费'?\n"
     "data/bad-keys.yaml:18:3: error: unknown table '表十'\n"},
    {"data/missing-keys.yaml",
     "data/missing-keys.yaml:2:1: error: missing key 'layout' in the data "
     "file\n"
     "data/missing-keys.yaml:3:11: error: missing key 'year' in document\n"
     "data/missing-keys.yaml:8:11: error: missing key 'name' in a row of "
     "收支表 income\n"
     "data/missing-keys.yaml:6:5: error: missing key 'expenditure' in table "
     "收支表\n"
     "data/missing-keys.yaml:11:9: error: missing key 'code' in a row of "
     "支出表\n"
     "data/missing-keys.yaml:13:8: error: missing key 'rows' in 项目表\n"
     "data/missing-keys.yaml:5:3: error: missing table 三公表 in tables\n"},
    {"data/bad-codes.yaml",
     "data/bad-codes.yaml:11:18: error: code '20801' is a 款 code; rows of "
     "收支表 expenditure are 类 only\n"
     "data/bad-codes.yaml:14:16: error: code '2O8' in 支出表 must be digits "
     "only\n"
     "data/bad-codes.yaml:15:16: error: code '20801011' has 8 digits; "
     "function codes have 3 (类), 5 (款) or 7 (项)\n"
     "data/bad-codes.yaml:17:9: error: code 210 appears twice in 支出表 "
     "(first at line 16)\n"
     "data/bad-codes.yaml:18:23: error: code '3010101' has 7 digits; "
     "economic codes have 3 (类) or 5 (款)\n"},
    {"data/bad-projects.yaml",
     "data/bad-projects.yaml:21:10: error: project id 'upkeep' is used twice "
     "(first at line 19)\n"
     "data/bad-projects.yaml:14:53: error: only 项 rows of 项目表 name a "
     "project\n"
     "data/bad-projects.yaml:15:47: error: unknown project 'upkep'; did you "
     "mean 'upkeep'?\n"
     "data/bad-projects.yaml:16:9: error: missing key 'project' in row "
     "2080108 of 项目表\n"
     "data/bad-projects.yaml:19:5: error: project 'upkeep' has no row in "
     "项目表\n"
     "data/bad-projects.yaml:20:5: error: project 'spare' has no row in "
     "项目表\n"},
    {"data/bad-parts.yaml",
     "data/bad-parts.yaml:4:30: error: the year must be four digits, not "
     "'21'\n"
     "data/bad-parts.yaml:4:47: error: unknown amount unit '美元'; did you "
     "mean '万元'?\n"
     "data/bad-parts.yaml:10:33: error: level 2 follows a row of level 0; a "
     "row can be at most one level deeper than the row above\n"
     "data/bad-parts.yaml:23:5: error: unknown field '预算按排规模' in the "
     "description of project upkeep; did you mean '预算安排规模'?\n"
     "data/bad-parts.yaml:21:5: error: missing key '预算安排规模' in the "
     "description of project upkeep\n"
     "data/bad-parts.yaml:30:16: error: unknown 二级指标 '数量指示' under "
     "产出指标; did you mean '数量指标'?\n"
     "data/bad-parts.yaml:31:10: error: unknown 一级指标 '效果指标'\n"
     "data/bad-parts.yaml:32:9: error: a row of indicators has 4 cells [一级指标, "
     "二级指标, 三级指标, 指标值], not 3\n"
     "data/bad-parts.yaml:36:15: error: unknown insert 'sheet'; did you mean "
     "'sheets'?\n"
     "data/bad-parts.yaml:21:3: error: no section shows the descriptions; "
     "add 'insert: descriptions' to one\n"
     "data/bad-parts.yaml:25:3: error: no section shows the sheets; add "
     "'insert: sheets' to one\n"},
    /* Errors base's YAML reader finds surface unchanged. */
    {"data/duplicate-key.yaml",
     "data/duplicate-key.yaml:4:1: error: duplicate key 'document' (first at "
     "line 3)\n"},
    {"data/syntax-error.yaml",
     "data/syntax-error.yaml:4:7: error: YAML syntax: did not find expected "
     "',' or '}' while parsing a flow mapping\n"},
    {"data/invalid-utf8.yaml",
     "data/invalid-utf8.yaml:3:19: error: invalid leading UTF-8 octet (byte "
     "0xFF); the file must be UTF-8 (saved as GBK or GB18030?)\n"},
    {"data/unknown-schema.yaml",
     "data/unknown-schema.yaml:1:9: error: no schema 'nosuch' (looked for "
     "schemas/nosuch.yaml)\n"},
    {"data/missing-file.yaml",
     "data/missing-file.yaml: error: cannot open: No such file or "
     "directory\n"},
    /* A schema's own mistakes are reported in the schema file. */
    {"broken/data/uses-broken.yaml",
     "broken/schemas/broken.yaml:4:23: error: level '款' must have "
     "more digits than the level before it (at most 20), not '2'\n"
     "broken/schemas/broken.yaml:7:11: error: unknown row kind "
     "'fuction'; did you mean 'function'?\n"
     "broken/schemas/broken.yaml:8:25: error: '合计' appears twice "
     "in columns\n"
     "broken/schemas/broken.yaml:10:9: error: unknown column "
     "'项目支出'\n"
     "broken/schemas/broken.yaml:11:9: error: row sum '合计 基本支出' "
     "must have the form 'A = B + C'\n"
     "broken/schemas/broken.yaml:12:16: error: hierarchy must be "
     "true or false, not 'yes'\n"
     "broken/schemas/broken.yaml:16:5: error: unknown key 'colums' "
     "in table 表乙; did you mean 'columns'?\n"
     "broken/schemas/broken.yaml:15:7: error: a table with sides "
     "needs at least two; give a one-sided table its rows and columns "
     "directly\n"
     "broken/schemas/broken.yaml:18:5: error: unknown table '表丙'; "
     "did you mean '表甲'?\n"
     "broken/schemas/broken.yaml:18:5: error: '表甲.total.合计': 表甲 "
     "has no total row\n"
     "broken/schemas/broken.yaml:19:5: error: '表甲.total.合计': 表甲 "
     "has no total row\n"
     "broken/schemas/broken.yaml:19:5: error: unknown column '合记' "
     "in 表甲; did you mean '合计'?\n"
     "broken/schemas/broken.yaml:20:74: error: table 表甲 has no "
     "project_level, so no row carries a project\n"},
    /* A schema of before parts: says where its register went. */
    {"broken/data/uses-old-parts.yaml",
     "broken/schemas/old-parts.yaml:6:1: error: unknown key 'projects' in "
     "the schema; the document's parts (text, register, descriptions, "
     "sheets) are declared as items of 'parts:', e.g. '- {name: projects, "
     "kind: ...}' (docs/DATA.md)\n"},
    /* Regression (found by mutating the schema): an identity naming a
     * table whose sides: is empty read past its sides. */
    {"broken/data/uses-no-sides.yaml",
     "broken/schemas/no-sides.yaml:5:5: error: 'rows' belongs to a "
     "side when the table has sides\n"
     "broken/schemas/no-sides.yaml:6:5: error: 'columns' belongs to "
     "a side when the table has sides\n"
     "broken/schemas/no-sides.yaml:7:11: error: sides must be a "
     "sequence, not a scalar\n"},
    {"broken/data/uses-bad-grid.yaml",
     "broken/schemas/bad-grid.yaml:14:26: error: grid column 指标 holds no "
     "figures (list it under figures:)\n"
     "broken/schemas/bad-grid.yaml:14:36: error: a bound is \"<column> <= "
     "<column>\" (得分 <= 分值), not \"得分 < 分值\"\n"
     "broken/schemas/bad-grid.yaml:14:45: error: unknown grid column '分数'; "
     "did you mean '分值'?\n"
     "broken/schemas/bad-grid.yaml:15:28: error: the total of 得分 must be a "
     "figure: unexpected character 'x'\n"
     "broken/schemas/bad-grid.yaml:15:32: error: grid column 指标 holds no "
     "figures (list it under figures:)\n"},
};

TEST(each_kind_of_error_is_reported_where_it_is) {
  for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
    char *messages;
    model *m = load(error_cases[i].file, &messages);
    CHECK(m == NULL);
    CHECK_STR(messages, error_cases[i].messages);
    free(messages);
    model_drop(m);
  }
}

TEST(an_explicit_schema_path_overrides_the_name) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  model_options opts = {.schema_path = "schemas/mini.yaml"};
  model *m = model_load("data/clean.yaml", &opts, d);
  CHECK(m != NULL);
  CHECK_STR(capture_text(&c), "");
  CHECK_STR(m->schema_path, "schemas/mini.yaml");
  model_drop(m);
  /* The installed schemas are searched after ../schemas/. */
  opts = (model_options){.datadir = "."};
  m = model_load("broken/data/../../data/clean.yaml", &opts, d);
  CHECK(m != NULL);
  model_drop(m);
  diag_drop(d);
  capture_close(&c);
}

TEST(a_clean_file_loads_into_the_model) {
  char *messages;
  model *m = load("data/clean.yaml", &messages);
  CHECK_STR(messages, "");
  free(messages);
  CHECK(m != NULL);
  if (!m)
    return;
  CHECK_STR(m->schema_name, "mini");
  CHECK_STR(m->schema_path, "schemas/mini.yaml");
  CHECK_STR(m->schema_title, "测试文件");
  CHECK_STR(m->layout.text, "mini");
  CHECK_STR(m->unit.text, "测试单位");
  CHECK_INT(m->year_number, 2021);
  CHECK_STR(m->amount_unit.text, "万元");
  CHECK_INT(m->ntables, 6);

  /* Two sides, each with its own rows, columns and total. */
  const model_table *t = model_lookup_table(m, "收支表");
  CHECK_INT(t->nsides, 2);
  const model_side *income = model_table_lookup_side(t, "income");
  CHECK(income == model_table_lookup_side(t, NULL));
  CHECK(income->kind == MODEL_ROWS_ITEMS);
  CHECK_INT(income->nrows, 3);
  CHECK_STR(income->rows[1].name.text, "一般公共预算");
  CHECK_INT(income->rows[1].level, 1);
  CHECK(income->rows[2].amounts[0].present == false);
  CHECK_INT(income->rows[2].amounts[0].pos.line, 21); /* its row */
  const model_side *exp = model_table_lookup_side(t, "expenditure");
  CHECK_STR(exp->classification, "function");
  CHECK_STR(exp->rows[1].code, "208");
  CHECK_STR(exp->rows[1].level_name, "类");
  CHECK(model_table_lookup_side(t, "outgo") == NULL);

  /* Coded rows: code kept as a string, level and parts derived. */
  const model_side *s = model_table_lookup_side(model_lookup_table(m, "支出表"),
                                                NULL);
  CHECK(s->id == NULL);
  CHECK_INT(s->ncolumns, 3);
  CHECK_INT(model_side_column_index(s, "项目支出"), 2);
  CHECK_INT(model_side_column_index(s, "合记"), -1);
  const model_row *r = &s->rows[2];
  CHECK_STR(r->code, "2080101");
  CHECK_INT(r->level, 2);
  CHECK_STR(r->level_name, "项");
  CHECK_STR(r->code_parts[0], "208");
  CHECK_STR(r->code_parts[1], "01");
  CHECK_STR(r->code_parts[2], "01");
  CHECK_STR(s->rows[1].code_parts[2], "");
  CHECK_STR(r->amounts[0].text, "60.5");
  CHECK_INT(r->amounts[0].value, 605);
  CHECK_INT(r->amounts[0].scale, 1);
  CHECK_INT(r->amounts[0].pos.line, 32);
  CHECK_INT(r->amounts[0].pos.col, 43);
  CHECK(!r->amounts[2].present);
  CHECK(s->total->is_total);
  CHECK_STR(s->total->amounts[1].text, "60.50");

  /* 0 is present; a record table has one row; an optional table left out
   * is there, empty. */
  const model_side *econ =
      model_table_lookup_side(model_lookup_table(m, "经济表"), NULL);
  CHECK(econ->rows[0].amounts[1].present);
  CHECK_INT(econ->rows[0].amounts[1].value, 0);
  const model_side *rec =
      model_table_lookup_side(model_lookup_table(m, "三公表"), NULL);
  CHECK(rec->kind == MODEL_ROWS_RECORD);
  CHECK_INT(rec->nrows, 1);
  CHECK(!rec->rows[0].amounts[1].present);
  CHECK_STR(rec->rows[0].amounts[2].text, "1.4");
  const model_table *empty = model_lookup_table(m, "空表");
  CHECK_INT(empty->sides[0].nrows, 0);
  CHECK(empty->sides[0].total != NULL);

  /* Projects: three occurrences, three orders, each its own spelling. */
  CHECK_INT(m->nprojects, 2);
  const model_project *p = model_lookup_project(m, "allowance");
  CHECK_STR(p->name.text, "生活补贴");
  CHECK(p->description == &m->descriptions[0]);
  CHECK_STR(p->description->fields[0].label.text, "项目名称");
  CHECK_STR(p->description->fields[0].value.text, "生活补贴资金");
  CHECK_STR(p->description->fields[2].label.text, "补贴人数");
  CHECK(p->sheet == NULL);
  const model_project *up = model_lookup_project(m, "upkeep");
  const model_side *ps =
      model_table_lookup_side(model_lookup_table(m, "项目表"), NULL);
  CHECK(ps->rows[2].project == up);
  CHECK(ps->rows[0].project == NULL);
  CHECK(up->sheet == &m->sheets[0]);
  CHECK_STR(model_sheet_field(up->sheet, "name")->text, "系统维护经费");
  /* Left out: the layout prints its default (the document's unit). */
  CHECK(model_sheet_field(up->sheet, "unit")->text == NULL);
  CHECK(model_sheet_field(up->sheet, "no such field") == NULL);
  CHECK_INT(model_sheet_grid_column(up->sheet, "指标值"), 3);
  CHECK_INT(up->sheet->nfunds, 3);
  CHECK_STR(up->sheet->fund_keys[1], "财政拨款");
  CHECK_STR(up->sheet->funds[0].text, "30");
  CHECK(!up->sheet->funds[2].present);
  CHECK_INT(up->sheet->nrows, 2);
  CHECK_STR(up->sheet->rows[0].cells[3].text, "≥4");
  CHECK_STR(up->sheet->rows[1].cells[1].text, "满意度指标");
  CHECK(model_lookup_project(m, "nosuch") == NULL);

  /* Text parts. */
  CHECK_INT(model_lookup_part(m, "profile")->nsections, 1);
  CHECK_STR(model_lookup_part(m, "profile")->sections[0].heading.text, "一、主要职能");
  CHECK_STR(model_lookup_part(m, "profile")->sections[0].paragraphs[0].text, "负责测试。");
  CHECK_STR(model_lookup_part(m, "explanation")->title.text, "预算情况说明");
  CHECK_INT(model_lookup_part(m, "explanation")->nsections, 3);
  CHECK(model_lookup_part(m, "explanation")->sections[1].insert == MODEL_INSERT_DESCRIPTIONS);
  CHECK(model_lookup_part(m, "explanation")->sections[2].sections[0].insert == MODEL_INSERT_SHEETS);
  CHECK_STR(model_lookup_part(m, "explanation")->sections[2].sections[0].heading.text, "（一）预算绩效情况");
  CHECK_STR(model_lookup_part(m, "glossary")->title.text, "名词解释：");
  CHECK_INT(model_lookup_part(m, "glossary")->nentries, 1);
  CHECK_STR(model_part_field(model_lookup_part(m, "sign_off"), "date")->text, "2021年2月2日");
  CHECK_INT(model_part_field(model_lookup_part(m, "sign_off"), "date")->pos.line, 92);
  CHECK(model_lookup_part(m, "sign_off")->present);
  CHECK(model_lookup_part(m, "no such part") == NULL);
  model_drop(m);
}

TEST(drop_accepts_null) { model_drop(NULL); }

int main(int argc, char **argv) {
  harness_init(argc, argv);
  if (chdir(TEST_DIR "/fixtures")) {
    perror(TEST_DIR "/fixtures");
    return 1;
  }
  RUN(each_kind_of_error_is_reported_where_it_is);
  RUN(an_explicit_schema_path_overrides_the_name);
  RUN(a_clean_file_loads_into_the_model);
  RUN(drop_accepts_null);
  return harness_done();
}
