/* SPDX-License-Identifier: MIT */
/* test_e2e_kinds.c — document kinds written as schema and layout files
 * only (docs/DATA.md, "Writing a new document kind"), rendered and read
 * back:
 *   - the 部门决算公开 (data/yunling-agritech-final-2022.yaml): the nine
 *     决算 tables, every figure on its table's pages, the 增减 and 增减率
 *     the data leaves out printed as computed; 本年收入合计 and the other
 *     sub-totals in the bodies of 表一 and 表四; a 项目支出绩效自评表 per
 *     project with its computed 执行率 and its 分值/得分 figures; check
 *     finds nothing, and a planted mistake (a 增减率 typed wrong) is
 *     found at its cell;
 *   - nothing is left out silently: a layout that omits a table, a data
 *     part the layout has no place for, and a row label an identity needs
 *     each fail with exit 1 and a positioned message. */
#include "harness.h"
#include "e2e_checks.h"

#include <ctype.h>

#define FINAL SOURCE_DIR "/data/yunling-agritech-final-2022.yaml"
#define PROVINCE SOURCE_DIR "/data/qinghe-market-2023.yaml"

static const char *const final_turned[] = {"表二", "表三", "表五", "表七",
                                           "表八", NULL};
static const char *const no_codes_whole[] = {NULL};

static const e2e_spec final_spec = {
    .label = "{id}：",
    .continued = "{id}（续）",
    .toc_title = "目  录",
    .toc_first = 1,
    .toc_last = 2, /* 目录 takes two pages */
    .first_numbered = 3,
    .cover_title = "2022年度部门决算公开",
    .parts = {"第一部分  云岭市农业技术推广中心概况", "第二部分  2022年度部门决算表",
              "第三部分  2022年度云岭市农业技术推广中心决算情况说明",
              "第四部分  名词解释"},
    .fund_decimals = 2,
    .turned = final_turned,
    .whole_codes = no_codes_whole,
};

static model *m;
static e2e_doc *doc;
static char *dir;
static e2e_range ranges[12];

static size_t table_index(const char *id) {
  for (size_t i = 0; i < m->ntables; i++)
    if (!strcmp(m->tables[i].id, id))
      return i;
  return 0;
}

/* Does the layout text of the table's pages hold `word`? */
static bool table_shows(const char *id, const char *word) {
  e2e_range r = ranges[table_index(id)];
  for (int p = r.first; p >= 0 && p <= r.last; p++)
    if (strstr(doc->pages[p].layout, word))
      return true;
  return false;
}

TEST(final_accounts_check_clean_and_render_quietly) {
  char *out, *err;
  char *cmd = fmt("'%s' check '%s'", BUDGETPDF_EXE, FINAL);
  CHECK_INT(e2e_run(cmd, &out, &err), 0);
  CHECK_CONTAINS(out, "yunling-agritech-final-2022.yaml: no findings\n");
  CHECK_STR(err, "");
  free(out), free(err), free(cmd);
  CHECK_INT(doc->status, 0);
  CHECK_STR(doc->err, "");
  CHECK_INT(m->ntables, 9);
}

TEST(final_accounts_tables_show_every_figure_computed_ones_as_computed) {
  check_tables(doc, &final_spec, m, ranges);
  for (size_t i = 1; i < m->ntables; i++)
    CHECK(ranges[i].first > ranges[i - 1].last);
  check_turned_pages(doc, &final_spec, m, ranges);
  /* 表五: 增减 and 增减率 the data leaves out, as the loader computed
   * them (round half away from zero): 68.40 − 66.00 = 2.40, 3.64 %;
   * 141.50 − 150.00 = −8.50, −5.67 %; 240 − 240 = 0.00, 0.00 %. */
  const model_side *s5 = &m->tables[table_index("表五")].sides[0];
  CHECK(s5->rows[0].amounts[4].computed);
  CHECK_STR(s5->rows[0].amounts[5].text, "3.64");
  CHECK(table_shows("表五", "-8.50"));
  CHECK(table_shows("表五", "-5.67"));
  CHECK(table_shows("表五", "0.71")); /* the total row's, as written */
  /* 表七: 10.75 against 12.00 is −1.25, −10.42 %. */
  CHECK(table_shows("表七", "-1.25"));
  CHECK(table_shows("表七", "-10.42"));
  /* 表一's sub-total rows are rows of the body, each once. */
  CHECK(table_shows("表一", "本年收入合计"));
  CHECK(table_shows("表一", "年初结转和结余"));
  CHECK(table_shows("表一", "1233.72"));
}

TEST(final_accounts_self_assessment_sheets) {
  CHECK_INT(m->nsheets, 2);
  for (size_t k = 0; k < m->nsheets; k++) {
    const model_sheet *sh = &m->sheets[k];
    const char *name = model_sheet_field(sh, "name")->text;
    size_t page = 0;
    while (page < doc->npages && !e2e_page_has(doc, page, "项目支出绩效自评表"))
      page++;
    bool found = false;
    for (size_t p = page; p < doc->npages && !found; p++) {
      if (!e2e_page_has(doc, p, name))
        continue;
      found = true;
      /* The computed 执行率 (141.50 / 150.00 = 94.33 %), the funds and
       * every 分值 and 得分 as figures. */
      for (size_t f = 0; f < sh->nfunds; f++) {
        char buf[64];
        model_amount_format(&sh->funds[f], 2, buf, sizeof buf);
        if (!strstr(doc->pages[p].layout, buf))
          FAIL_MSG("sheet %s: %s %s not on page %zu", name, sh->fund_keys[f],
                   buf, p + 1);
      }
      for (size_t r = 0; r < sh->nrows; r++)
        if (!page_has_pieces(doc, p, sh->rows[r].cells[2].text))
          FAIL_MSG("sheet %s: %s not on page %zu", name,
                   sh->rows[r].cells[2].text, p + 1);
    }
    CHECK(found);
  }
  CHECK(m->sheets[0].funds[3].computed);
  CHECK_STR(m->sheets[0].funds[3].text, "94.33");
  CHECK(!m->sheets[1].funds[3].computed); /* written: 100.00 */
  CHECK(m->sheets[0].rows[8].amounts[6].present); /* 得分 9.5 */
  CHECK_STR(m->sheets[0].rows[8].amounts[6].text, "9.5");
}

/* Entries of the 目录 on page p: lines ending in leader dots and a page
 * number. */
static int toc_entries_on(const e2e_doc *d, size_t p) {
  int n = 0;
  for (const char *l = d->pages[p].layout; l && *l;) {
    const char *e = strchr(l, '\n');
    size_t len = e ? (size_t)(e - l) : strlen(l);
    size_t run = 0, longest = 0;
    for (size_t i = 0; i < len; i++) {
      run = l[i] == '.' ? run + 1 : 0;
      if (run > longest)
        longest = run;
    }
    size_t k = len;
    while (k > 0 && l[k - 1] == ' ')
      k--;
    n += longest >= 5 && k > 0 && isdigit((unsigned char)l[k - 1]);
    l = e ? e + 1 : l + len;
  }
  return n;
}

TEST(final_accounts_text_toc_outline_and_tools) {
  /* The 目录 runs over to a second page: never with one entry alone. */
  size_t toc = 0;
  while (toc < doc->npages && !toc_entries_on(doc, toc))
    toc++;
  CHECK(toc + 1 < doc->npages && toc_entries_on(doc, toc + 1) >= 2);
  CHECK(check_sentences(doc, &final_spec, m) > 20);
  check_folios(doc, &final_spec);
  check_toc(doc, &final_spec, m);
  size_t sheet_at[2] = {0, 0};
  check_outline(doc, &final_spec, m, sheet_at);
  check_tools(doc);
  check_reproducible(BUDGETPDF_EXE, FINAL, dir, "2023-08-25T00:00:00Z");
  (void)check_sheet; /* its grid is the 绩效目标表's; see the test above */
}

/* A copy of the document's files, with the sed script data_sed applied to
 * its data and the perl script layout_perl to its layout (read whole;
 * NULL: none); the exit status and stderr of `budgetpdf args` run in it. */
static int run_in_copy(const char *data_sed, const char *layout_perl,
                       const char *args, char **err) {
  char *copy = fmt("%s/copy", dir);
  char *cmd = fmt("rm -rf '%s' && mkdir -p '%s/data' && cp -R '%s/schemas' "
                  "'%s/layouts' '%s/' && cp '%s' '%s/data/' && sed -i -e '%s' "
                  "'%s/data/yunling-agritech-final-2022.yaml' && perl -0pi -e '%s' "
                  "'%s/layouts/department-final.yaml' && cd '%s' && '%s' %s",
                  copy, copy, SOURCE_DIR, SOURCE_DIR, copy, FINAL, copy,
                  data_sed ? data_sed : "", copy,
                  layout_perl ? layout_perl : "", copy, copy, BUDGETPDF_EXE,
                  args);
  char *out;
  int status = e2e_run(cmd, &out, err);
  free(out), free(cmd), free(copy);
  return status;
}

TEST(a_planted_mistake_in_a_computed_column_is_found_at_its_cell) {
  char *err;
  /* A score above its weight, and weights that no longer add up to 90. */
  CHECK_INT(run_in_copy("s/培训人次（人次）, ≥1500, 2100, 15, 15, 无/培训人次（人次）, "
                        "≥1500, 2100, 15, 16, 无/; s/推广主推技术（项）, ≥12, 14, "
                        "15, 15, 无/推广主推技术（项）, ≥12, 14, 10, 10, 无/",
                        NULL, "check data/yunling-agritech-final-2022.yaml",
                        &err),
            1);
  CHECK_CONTAINS(err, "data/yunling-agritech-final-2022.yaml:200:49: error: "
                      "performance sheet 农业科技成果转化与推广服务, 得分: found "
                      "16, expected at most its 分值 15 (row 培训人次（人次）)\n");
  CHECK_CONTAINS(err, "data/yunling-agritech-final-2022.yaml:199:9: error: "
                      "performance sheet 农业科技成果转化与推广服务, 分值: its "
                      "rows add up to 85, expected 90 (the schema's total)\n");
  free(err);
  /* The unit typed 213's 增减率 as 0.40 (4.35 / 990.00 is 0.44 %). */
  CHECK_INT(run_in_copy("s/增减: 4.35, 增减率: 0.44/增减: 4.35, 增减率: 0.40/",
                        NULL, "check data/yunling-agritech-final-2022.yaml",
                        &err),
            1);
  CHECK_CONTAINS(err,
                 "data/yunling-agritech-final-2022.yaml:112:105: error: 表五 row "
                 "213 农林水支出, 增减率: found 0.40, expected 0.44 = 增减 / "
                 "年初预算数 as a percentage (2 decimals) (4.35 / 990.00)\n");
  free(err);
  /* A sub-total typed wrong: 本年收入合计 1195.21. */
  CHECK_INT(run_in_copy("s/{name: 本年收入合计, 决算数: 1195.12}/{name: "
                        "本年收入合计, 决算数: 1195.21}/",
                        NULL, "check data/yunling-agritech-final-2022.yaml",
                        &err),
            1);
  CHECK_CONTAINS(err, "表一 income row 本年收入合计, 决算数: found 1195.21, "
                      "expected 1195.12 = the sum of 一、一般公共预算财政拨款收入");
  free(err);
  /* A sheet's 得分 below zero, and a written 执行率 that is not the
   * computed one. */
  CHECK_INT(run_in_copy("s/93%, 10, 9.5,/93%, 10, -9.5,/", NULL,
                        "check data/yunling-agritech-final-2022.yaml", &err),
            1);
  CHECK_CONTAINS(err, ":207:52: error: 得分: -9.5 is negative; a grid's "
                      "figures are not\n");
  free(err);
  CHECK_INT(run_in_copy("s/全年执行数: 240.00, 执行率: 100.00/全年执行数: "
                        "240.00, 执行率: 99.00/",
                        NULL, "check data/yunling-agritech-final-2022.yaml",
                        &err),
            1);
  CHECK_CONTAINS(err, "error: performance sheet 农业生产发展资金, 执行率: found "
                      "99.00, expected 100.00 = 全年执行数 / 全年预算数 as a "
                      "percentage\n");
  free(err);
}

TEST(a_layout_that_omits_a_table_fails_where_the_table_could_go) {
  char *err;
  /* Drop 表六's block from the layout. */
  /* Drop the section placing 表六 from the layout. */
  CHECK_INT(run_in_copy(NULL,
                        "s/  - section:\\n(?:(?!  - section:).)*?data: "
                        "表六.*?(?=  - section:)//s",
                        "render data/yunling-agritech-final-2022.yaml -o "
                        "out.pdf || { test ! -e out.pdf && exit 1; }",
                        &err),
            1);
  CHECK_CONTAINS(err, "layouts/department-final.yaml:");
  CHECK_CONTAINS(err, ": error: the data's table 表六 is placed nowhere in the "
                      "layout; add a 'table: {data: 表六, ...}' block after the "
                      "one placing 表五 (or list it under 'omit:')\n");
  free(err);
}

TEST(a_data_part_with_no_place_and_a_missing_label_fail_positioned) {
  char *err;
  /* A 预算 document may leave its sign_off out (its schema does not
   * require one), but its layout prints the date on the cover. */
  char *out;
  char *cmd = fmt("sed -e '/^sign_off:/,$d' '%s/data/changji-sib-2021.yaml' > "
                  "'%s/unsigned.yaml' && cd '%s' && '%s' render unsigned.yaml "
                  "-o unsigned.pdf",
                  SOURCE_DIR, dir, dir, BUDGETPDF_EXE);
  CHECK_INT(e2e_run(cmd, &out, &err), 1);
  CHECK_CONTAINS(err, "layouts/department-budget.yaml:");
  CHECK_CONTAINS(err, ":29: error: "
                      "{sign_off.date}: the data unsigned.yaml has no "
                      "sign_off, which the layout prints here (give the data "
                      "its sign_off, or leave {sign_off.…} out of the "
                      "layout)\n");
  free(out), free(err), free(cmd);
  /* The layout has no place for the glossary. */
  CHECK_INT(run_in_copy(NULL, "s/ *- entries: \\{data: glossary.*\\n//",
                        "render data/yunling-agritech-final-2022.yaml -o "
                        "out.pdf",
                        &err),
            1);
  CHECK_CONTAINS(err, ": error: the data's part 'glossary' is placed nowhere "
                      "in the layout; add an 'entries: {data: glossary, ...}' "
                      "block after the one placing explanation (or list it "
                      "under 'omit:')\n");
  free(err);
  /* 表四's income side without the row an identity names. */
  CHECK_INT(run_in_copy("/{name: 一、一般公共预算财政拨款, 决算数: 1150.12}/d",
                        NULL, "check data/yunling-agritech-final-2022.yaml",
                        &err),
            1);
  CHECK_CONTAINS(err, "data/yunling-agritech-final-2022.yaml:");
  CHECK_CONTAINS(err, ": error: 表四 side income has no row "
                      "'一、一般公共预算财政拨款', which the identity "
                      "'表四.income[一、一般公共预算财政拨款].决算数 = "
                      "表一.income[一、一般公共预算财政拨款收入].决算数' (schema "
                      "department-final, line ");
  free(err);
}

/* ---------------------------------------------------------------- province */

static const char *const province_turned[] = {"表二", "表七", NULL};

static const e2e_spec province_spec = {
    .label = "{id}：",
    .continued = "{id}（续）",
    .toc_title = "目  录",
    .toc_first = 1,
    .toc_last = 1,
    .first_numbered = 2,
    .turned = province_turned,
    .whole_codes = no_codes_whole,
};

TEST(a_province_ten_tables_in_yuan_and_a_six_column_grid) {
  diag *d = diag_new(NULL);
  model_options o = {.datadir = SOURCE_DIR};
  model *pm = model_load(PROVINCE, &o, d);
  CHECK(pm != NULL);
  char *pdir = fmt("%s/province", dir);
  char *cmd = fmt("mkdir -p '%s'", pdir);
  e2e_run(cmd, NULL, NULL);
  free(cmd);
  e2e_doc *pd = e2e_doc_render(BUDGETPDF_EXE, PROVINCE, pdir, "province", "");
  CHECK_INT(pd->status, 0);
  CHECK_STR(pd->err, "");
  if (pm && pd->npages) {
    CHECK_INT(pm->ntables, 10);
    CHECK_STR(pm->amount_unit.text, "元");
    e2e_range r[10];
    check_tables(pd, &province_spec, pm, r);
    check_turned_pages(pd, &province_spec, pm, r);
    check_folios(pd, &province_spec);
    check_tools(pd);
    /* To the cent: 7149028.81 元 on 表一's page. */
    CHECK(r[0].first >= 0 && strstr(pd->pages[r[0].first].layout, "7149028.81"));
    /* Each sheet: the six cells of every indicator on its page. */
    CHECK_INT(pm->nsheets, 4);
    for (size_t k = 0; k < pm->nsheets; k++) {
      const model_sheet *sh = &pm->sheets[k];
      CHECK_INT(sh->ngrid_columns, 6);
      const char *name = model_sheet_field(sh, "name")->text;
      size_t p = 0;
      while (p < pd->npages && !(e2e_page_has(pd, p, "项目支出绩效目标表") &&
                                 e2e_page_has(pd, p, name)))
        p++;
      CHECK(p < pd->npages);
      for (size_t i = 0; p < pd->npages && i < sh->nrows; i++)
        for (size_t c = 0; c < 6; c++)
          if (!page_has_pieces(pd, p, sh->rows[i].cells[c].text))
            FAIL_MSG("sheet %s: %s (%s) not on page %zu", name,
                     sh->rows[i].cells[c].text, sh->grid_columns[c], p + 1);
      CHECK(page_has_pieces(pd, p < pd->npages ? p : 0, "指标方向"));
      CHECK(page_has_pieces(pd, p < pd->npages ? p : 0, "计量单位"));
    }
  }
  e2e_doc_drop(pd);
  /* check finds nothing; a cent typed wrong in 表六 is found at its cell. */
  char *out, *err;
  cmd = fmt("'%s' check '%s'", BUDGETPDF_EXE, PROVINCE);
  CHECK_INT(e2e_run(cmd, &out, &err), 0);
  CHECK_CONTAINS(out, "qinghe-market-2023.yaml: no findings\n");
  free(out), free(err), free(cmd);
  cmd = fmt("cp -R '%s/schemas' '%s/layouts' '%s/' && mkdir -p '%s/data' && "
            "sed 's/{code: 30211, name: 差旅费, 合计: 78500.00, 公用经费: "
            "78500.00}/{code: 30211, name: 差旅费, 合计: 78500.00, 公用经费: "
            "78500.01}/' '%s' > '%s/data/qinghe-market-2023.yaml' && cd '%s' "
            "&& '%s' check data/qinghe-market-2023.yaml",
            SOURCE_DIR, SOURCE_DIR, pdir, pdir, PROVINCE, pdir, pdir,
            BUDGETPDF_EXE);
  CHECK_INT(e2e_run(cmd, &out, &err), 1);
  CHECK_CONTAINS(err, "data/qinghe-market-2023.yaml:");
  CHECK_CONTAINS(err, ": error: 表六 row 30211 差旅费, 公用经费: found 78500.01, "
                      "expected 78500.00 so that 合计 = 人员经费 + 公用经费");
  free(out), free(err), free(cmd);
  free(pdir);
  model_drop(pm);
  diag_drop(d);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  model_options o = {.datadir = SOURCE_DIR};
  m = model_load(FINAL, &o, d);
  if (!m || m->ntables > sizeof ranges / sizeof *ranges) {
    fprintf(stderr, "cannot load %s\n", FINAL);
    model_drop(m);
    diag_drop(d);
    return 1;
  }
  dir = e2e_tmpdir_new("e2e-kinds");
  doc = e2e_doc_render(BUDGETPDF_EXE, FINAL, dir, "final", "");
  if (doc->status == 0 && doc->npages) {
    RUN(final_accounts_check_clean_and_render_quietly);
    RUN(final_accounts_tables_show_every_figure_computed_ones_as_computed);
    RUN(final_accounts_self_assessment_sheets);
    RUN(final_accounts_text_toc_outline_and_tools);
    RUN(a_planted_mistake_in_a_computed_column_is_found_at_its_cell);
    RUN(a_layout_that_omits_a_table_fails_where_the_table_could_go);
    RUN(a_data_part_with_no_place_and_a_missing_label_fail_positioned);
    RUN(a_province_ten_tables_in_yuan_and_a_six_column_grid);
  } else {
    fprintf(stderr, "render failed (%d): %s", doc->status, doc->err);
    harness_failures++;
  }
  e2e_doc_drop(doc);
  e2e_tmpdir_remove(dir);
  free(dir);
  model_drop(m);
  diag_drop(d);
  return harness_done();
}
