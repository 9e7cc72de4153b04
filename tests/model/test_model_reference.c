/* SPDX-License-Identifier: MIT */
/* test_model_reference.c — data/changji-sib-2021.yaml, the published 2021
 * disclosure as data: it loads against schemas/department-budget.yaml,
 * figures from every table and text from every part are where a layout
 * will look for them, the published mistakes are kept, and `check` finds
 * exactly the arithmetic errors of the published 表七. */
#include "harness.h"
#include "model.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"

static model *m;

static const model_side *side(const char *table, const char *id) {
  return model_table_lookup_side(model_lookup_table(m, table), id);
}

/* The row with this code (the first, for project rows). */
static const model_row *row(const model_side *s, const char *code) {
  for (size_t i = 0; i < s->nrows; i++)
    if (s->rows[i].code && !strcmp(s->rows[i].code, code))
      return &s->rows[i];
  return NULL;
}

/* A cell as written ("" if absent). */
static const char *cell(const model_side *s, const model_row *r,
                        const char *column) {
  int c = model_side_column_index(s, column);
  if (!r || c < 0)
    return "(no such cell)";
  return r->amounts[c].present ? r->amounts[c].text : "";
}

TEST(document_facts) {
  CHECK_STR(m->schema_name, "department-budget");
  CHECK_STR(m->layout.text, "department-budget");
  CHECK_STR(m->unit.text, "昌吉回族自治州社会保险管理局");
  CHECK_INT(m->year_number, 2021);
  CHECK_STR(m->amount_unit.text, "万元");
  CHECK_INT(m->ntables, 9);
  CHECK_STR(m->tables[6].id, "表七");
  CHECK_STR(m->tables[6].title, "一般公共预算项目支出情况表");
}

TEST(table_1_two_sides_with_the_function_class_list) {
  const model_side *in = side("表一", "income");
  CHECK_INT(in->nrows, 8);
  CHECK_STR(in->rows[0].name.text, "财政拨款（补助）");
  CHECK_STR(cell(in, &in->rows[0], "预算数"), "1681.99");
  CHECK_INT(in->rows[3].level, 1);
  CHECK_STR(cell(in, &in->rows[3], "预算数"), "");
  CHECK_STR(cell(in, in->total, "预算数"), "1681.99");
  const model_side *ex = side("表一", "expenditure");
  CHECK_INT(ex->nrows, 30); /* 201 … 234, blanks included */
  CHECK_STR(ex->rows[0].code, "201");
  CHECK_STR(ex->rows[29].name.text, "抗疫特别国债还本支出");
  CHECK_STR(cell(ex, row(ex, "210"), "预算数"), "78.95");
  CHECK_STR(cell(ex, row(ex, "227"), "预算数"), "");
}

TEST(tables_2_to_5_by_function) {
  const model_side *t2 = side("表二", NULL);
  CHECK_INT(t2->nrows, 13);
  const model_row *r = row(t2, "2080108");
  CHECK_STR(cell(t2, r, "总计"), "410");
  CHECK_INT(r->amounts[0].value, 410);
  CHECK_INT(r->amounts[0].scale, 0);
  CHECK_STR(cell(t2, r, "事业收入"), "");
  const model_side *t3 = side("表三", NULL);
  CHECK_STR(cell(t3, row(t3, "208"), "基本支出"), "702.04");
  CHECK_STR(cell(t3, row(t3, "2080101"), "项目支出"), "");
  CHECK_STR(cell(t3, t3->total, "基本支出"), "780.99");
  const model_side *t4 = side("表四", "expenditure");
  CHECK_STR(cell(t4, row(t4, "208"), "一般公共预算"), "1603.04");
  CHECK_STR(cell(t4, t4->total, "合计"), "1681.99");
  CHECK_INT(side("表四", "income")->nrows, 4);
  const model_side *t5 = side("表五", NULL);
  CHECK_STR(cell(t5, row(t5, "2101103"), "合计"), "19.24");
  CHECK_STR(row(t5, "2101103")->code_parts[1], "11");
}

TEST(table_6_by_economic_class_keeps_zeros_and_names) {
  const model_side *t6 = side("表六", NULL);
  CHECK_INT(t6->nrows, 27);
  CHECK_STR(t6->classification, "economic");
  const model_row *r = row(t6, "301");
  CHECK_STR(cell(t6, r, "公用经费"), "0"); /* printed 0, not blank */
  CHECK(r->amounts[2].present);
  CHECK_STR(row(t6, "30299")->name.text, "他商品和服务支出");
  CHECK_STR(row(t6, "30314")->name.text, "对个人和家庭的补助");
  CHECK_STR(row(t6, "30399")->name.text, "对个人和家庭的补助");
  CHECK_STR(row(t6, "30231")->name.text, "公务车运行维护费");
  CHECK_STR(cell(t6, row(t6, "30202"), "合计"), "4.3");
  CHECK_STR(cell(t6, t6->total, "人员经费"), "707.72");
}

TEST(table_7_project_rows_as_published) {
  const model_side *t7 = side("表七", NULL);
  CHECK_INT(t7->nrows, 18);
  CHECK_INT(t7->ncolumns, 11);
  CHECK_STR(cell(t7, row(t7, "208"), "项目支出合计"), "655"); /* sic */
  CHECK_STR(cell(t7, row(t7, "20825"), "对个人和家庭的补助"), ""); /* sic */
  size_t n2080108 = 0;
  for (size_t i = 0; i < t7->nrows; i++)
    n2080108 += !strcmp(t7->rows[i].code, "2080108");
  CHECK_INT(n2080108, 3);
  const model_row *r = &t7->rows[8];
  CHECK_STR(r->code, "2080109");
  CHECK_STR(r->project->id, "hotline-12333");
  CHECK_STR(r->project->name.text,
            "人力资源和社会保障12333电话咨询服务中心工作经费");
  CHECK_STR(cell(t7, r, "项目支出合计"), "30");
  CHECK_STR(cell(t7, t7->total, "对个人和家庭的补助"), "246");
}

TEST(tables_8_and_9) {
  const model_side *t8 = side("表八", NULL);
  CHECK(t8->kind == MODEL_ROWS_RECORD);
  CHECK_STR(cell(t8, &t8->rows[0], "合计"), "7.86");
  CHECK_STR(cell(t8, &t8->rows[0], "因公出国（境）费"), "");
  CHECK_STR(cell(t8, &t8->rows[0], "公务用车运行费"), "6.46");
  const model_table *t9 = model_lookup_table(m, "表九");
  CHECK_INT(t9->sides[0].nrows, 0);
  CHECK_STR(cell(&t9->sides[0], t9->sides[0].total, "合计"), "");
  CHECK_STR(t9->note.text,
            "备注：昌吉州社会保险管理局2021年没有安排政府性基金预算拨款。");
}

TEST(profile_and_explanation_keep_their_numbering) {
  CHECK_INT(model_lookup_part(m, "profile")->nsections, 2);
  CHECK_STR(model_lookup_part(m, "profile")->sections[1].heading.text, "二、机构设置及人员情况");
  CHECK_INT(model_lookup_part(m, "profile")->sections[1].nparagraphs, 2);
  CHECK_CONTAINS(model_lookup_part(m, "profile")->sections[1].paragraphs[1].text, "编制数63人，实有人数81人");
  CHECK_STR(model_lookup_part(m, "explanation")->title.text, "预算情况说明");
  CHECK_INT(model_lookup_part(m, "explanation")->nsections, 10);
  CHECK_STR(model_lookup_part(m, "explanation")->sections[6].heading.text,
            "7、 关于昌吉回族自治州社会保险管理局2021年一般公共预算项目支出"
            "情况说明");
  CHECK(model_lookup_part(m, "explanation")->sections[6].insert == MODEL_INSERT_DESCRIPTIONS);
  CHECK_CONTAINS(model_lookup_part(m, "explanation")->sections[0].paragraphs[0].text, "收支总预算3363.98万元");
  const model_section *five = &model_lookup_part(m, "explanation")->sections[4];
  CHECK_INT(five->nsections, 3);
  CHECK_INT(five->sections[2].nparagraphs, 7);
  CHECK(!strncmp(five->sections[2].paragraphs[3].text, "4.2080505", 9));
  CHECK(!strncmp(five->sections[2].paragraphs[4].text, "4.2082501", 9));
  CHECK_CONTAINS(model_lookup_part(m, "explanation")->sections[5].paragraphs[1].text, "伙食补助费   60.48万元");
  const model_section *ten = &model_lookup_part(m, "explanation")->sections[9];
  CHECK_INT(ten->nsections, 5);
  CHECK(ten->sections[3].insert == MODEL_INSERT_SHEETS);
  CHECK_STR(ten->sections[4].paragraphs[0].text, "无其他需要说明的事项。");
}

TEST(projects_in_three_places_with_three_spellings) {
  CHECK_INT(m->nprojects, 15);
  CHECK_INT(m->ndescriptions, 15);
  CHECK_INT(m->nsheets, 15);
  const model_project *p = model_lookup_project(m, "hotline-12333");
  CHECK_STR(p->description->fields[0].value.text,
            "人力资源和社会保障12333电话咨询服务中心工接线员作经费");
  CHECK_STR(model_sheet_field(p->sheet, "name")->text,
            "人力资源和社会保障12333电话咨询服务中心接线员工作经费");
  /* Each list in its published order. */
  CHECK_STR(m->descriptions[0].project->id, "jinbao-maintenance");
  CHECK_STR(m->descriptions[3].project->id, "hotline-12333");
  CHECK_STR(m->sheets[0].project->id, "pre-1995-retirees");
  CHECK_STR(m->sheets[14].project->id, "jinbao-upgrade");
  /* Extra description fields, in order. */
  const model_description *d = model_lookup_project(m, "pre-1995-retirees")
                                   ->description;
  CHECK_INT(d->nfields, 13);
  CHECK_STR(d->fields[6].label.text, "资金来源");
  CHECK_STR(d->fields[7].value.text, "1120人");
  /* A published mistake: a 40万元 project "共计35万元". */
  const model_description *card =
      model_lookup_project(m, "social-security-card")->description;
  CHECK_STR(card->fields[2].value.text, "40万元");
  CHECK_CONTAINS(card->fields[4].value.text, "共计35万元");
  /* Sheets: funds and the indicator grid. */
  const model_sheet *s = &m->sheets[0];
  CHECK(model_sheet_field(s, "unit")->text == NULL); /* the layout prints {unit} */
  CHECK_STR(s->funds[0].text, "162");
  CHECK(!s->funds[2].present);
  CHECK_STR(s->rows[0].cells[3].text, "=13440");
  CHECK_STR(s->rows[4].cells[1].text, "成本指标");
  CHECK_INT(model_lookup_project(m, "jinbao-maintenance")->sheet->nrows,
            17);
  const model_sheet *std = model_lookup_project(m, "standardisation")->sheet;
  CHECK_STR(std->rows[5].cells[0].text, "效益指标"); /* tab trimmed */
}

TEST(glossary_and_sign_off) {
  CHECK_STR(model_lookup_part(m, "glossary")->title.text, "名词解释：");
  CHECK_INT(model_lookup_part(m, "glossary")->nentries, 8);
  CHECK(!strncmp(model_lookup_part(m, "glossary")->entries[7].text, "八、机关运行经费：", 27));
  CHECK_STR(model_part_field(model_lookup_part(m, "sign_off"), "unit")->text, "昌吉回族自治州社会保险管理局");
  CHECK_STR(model_part_field(model_lookup_part(m, "sign_off"), "date")->text, "2021年2月2日");
}

static void collect(const model_finding *f, void *ctx) {
  bbuf_printf(ctx, "%d:%d: %s\n", f->pos.line, f->pos.col, f->message);
}

TEST(check_finds_the_published_errors_and_nothing_else) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  CHECK_INT(model_check(m, collect, &b), 3);
  CHECK_STR(b.data,
            "224:9: 表七 row 20825 其他生活救助, 对个人和家庭的补助: found "
            "（空）, expected 246 = the sum of its 项 rows\n"
            "209:46: 表七 row 208 社会保障和就业支出, 项目支出合计: found 655, "
            "expected 901 = the sum of its 款 rows\n"
            "209:9: 表七 row 208 社会保障和就业支出, 对个人和家庭的补助: found "
            "（空）, expected 246 = the sum of its 款 rows, taking 20825 as "
            "246\n");
  bbuf_free(&b);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  model_options opts = {.datadir = SOURCE_DIR};
  m = model_load(REFERENCE, &opts, d);
  CHECK_INT(diag_error_count(d), 0);
  diag_drop(d);
  if (!m)
    return harness_done() | 1;
  RUN(document_facts);
  RUN(table_1_two_sides_with_the_function_class_list);
  RUN(tables_2_to_5_by_function);
  RUN(table_6_by_economic_class_keeps_zeros_and_names);
  RUN(table_7_project_rows_as_published);
  RUN(tables_8_and_9);
  RUN(profile_and_explanation_keep_their_numbering);
  RUN(projects_in_three_places_with_three_spellings);
  RUN(glossary_and_sign_off);
  RUN(check_finds_the_published_errors_and_nothing_else);
  model_drop(m);
  return harness_done();
}
