/* SPDX-License-Identifier: MIT */
/* test_e2e_generality.c — a second, differently shaped disclosure
 * (generality/: another province's schema and layout, a made-up county
 * bureau's data in 元) rendered and read back like the reference
 * (e2e_checks.h), plus what the reference does not exercise:
 *   - 表二 runs over three turned pages: "续表" and the three header rows
 *     (科目编码 … 本年支出预算 › 基本支出 › 人员经费/公用经费) on each;
 *   - the 高标准农田建设 sheet breaks across a page inside its merged
 *     产出指标 cell, which is continued with its text on the next page
 *     under the repeated indicator header row;
 *   - 表五 (government funds) with rows and a note; amounts such as
 *     1234567.89 元; an income side longer than the expenditure side;
 *   - `check` finds nothing; a copy with one mistyped figure is refused
 *     by check and render --strict and rendered as written otherwise. */
#include "harness.h"
#include "e2e_checks.h"

#define GENERALITY TEST_DIR "/generality"
#define DATA GENERALITY "/data/shifan-agri-2022.yaml"

static const char *const turned[] = {"表二", NULL};
static const char *const whole_codes[] = {"表一", "表二", "表三", NULL};
static const char *const sheet_head[] = {"一级指标", "二级指标", "三级指标",
                                         "指标值", NULL};

static const e2e_spec spec = {
    .label = "{id}：",
    .continued = "续表",
    .toc_title = "目  录",
    .toc_first = 1,
    .toc_last = 1,
    .first_numbered = 2,
    .cover_title = "2022年部门预算公开",
    .parts = {"第一部分  示范县农业农村局概况", "第二部分  2022年部门预算表",
              "第三部分  示范县农业农村局2022年预算情况说明",
              "第四部分  名词解释"},
    .turned = turned,
    .whole_codes = whole_codes,
    .fund_decimals = 2,
    .sheet_head = sheet_head,
};

static model *m;
static e2e_doc *doc;
static char *dir;
static e2e_range ranges[8];

static size_t table_index(const char *id) {
  for (size_t i = 0; i < m->ntables; i++)
    if (!strcmp(m->tables[i].id, id))
      return i;
  return 0;
}

TEST(check_finds_nothing_and_render_says_nothing) {
  char *out, *err;
  char *cmd = fmt("'%s' check '%s'", BUDGETPDF_EXE, DATA);
  CHECK_INT(e2e_run(cmd, &out, &err), 0);
  CHECK_CONTAINS(out, "shifan-agri-2022.yaml: no findings\n");
  CHECK_STR(err, "");
  free(out);
  free(err);
  free(cmd);
  CHECK_INT(doc->status, 0);
  CHECK_STR(doc->err, "");
  CHECK_INT(m->ntables, 5);
}

TEST(each_table_shows_its_figures_on_its_own_pages) {
  check_tables(doc, &spec, m, ranges);
  for (size_t i = 1; i < m->ntables; i++)
    CHECK(ranges[i].first > ranges[i - 1].last);
  check_turned_pages(doc, &spec, m, ranges);
  /* The figures in 元 are there as written, to the cent. */
  e2e_range t2 = ranges[table_index("表二")];
  bool found = false;
  for (int p = t2.first; p <= t2.last && p >= 0; p++)
    found |= strstr(doc->pages[p].layout, "1234567.89") != NULL;
  CHECK(found);
}

TEST(a_table_over_three_pages_repeats_its_header) {
  static const char *const head[] = {"科目编码", "科目名称", "本年支出预算",
                                     "合计",     "基本支出", "人员经费",
                                     "公用经费", "项目支出"};
  e2e_range r = ranges[table_index("表二")];
  CHECK_INT(r.last - r.first + 1, 3);
  for (int p = r.first; p <= r.last && p >= 0; p++) {
    for (size_t h = 0; h < sizeof head / sizeof *head; h++)
      if (!page_has_pieces(doc, (size_t)p, head[h]))
        FAIL_MSG("表二: header %s not on page %d", head[h], p + 1);
    /* The label and title only where the table starts; 续表 after. */
    CHECK(e2e_page_has(doc, (size_t)p, "表二：部门支出预算明细表") ==
          (p == r.first));
    CHECK(e2e_page_has(doc, (size_t)p, "续表") == (p != r.first));
  }
  /* No other table continues. */
  for (size_t i = 0; i < m->ntables; i++)
    if (strcmp(m->tables[i].id, "表二"))
      CHECK_INT(ranges[i].last, ranges[i].first);
}

TEST(every_sentence_is_extractable) {
  size_t n = check_sentences(doc, &spec, m);
  CHECK_INT(n, 31);
}

TEST(pages_are_numbered_after_the_cover_and_toc) { check_folios(doc, &spec); }

TEST(toc_numbers_and_links_lead_to_their_titles) { check_toc(doc, &spec, m); }

TEST(a_sheet_breaks_inside_its_merged_cells) {
  size_t sheet_at[2] = {0, 0};
  check_outline(doc, &spec, m, sheet_at);
  CHECK_INT(m->nsheets, 2);
  e2e_range r0 = check_sheet(doc, &spec, m, 0, sheet_at[0]);
  e2e_range r1 = check_sheet(doc, &spec, m, 1, sheet_at[1]);
  CHECK_INT(r0.last - r0.first + 1, 2);
  CHECK_INT(r1.last - r1.first + 1, 1);
  if (r0.first < 0 || r0.last != r0.first + 1)
    return;
  /* The title and the first rows share the first page. */
  CHECK(e2e_page_has(doc, (size_t)r0.first, "项目支出绩效目标表"));
  CHECK(e2e_page_has(doc, (size_t)r0.first, "（2022年度）"));
  CHECK(page_has_pieces(doc, (size_t)r0.first, "新建高标准农田面积（亩）"));
  /* The first indicator on the second page shares its 一级 cell with the
   * last one on the first: the merged cell is continued, its text shown
   * on both pages (check_sheet saw to that for every indicator). */
  const model_sheet *sh = &m->sheets[0];
  size_t k = 0;
  while (k < sh->nrows &&
         !page_has_pieces(doc, (size_t)r0.last, sh->rows[k].cells[2].text))
    k++;
  CHECK(k > 0 && k < sh->nrows);
  if (k > 0 && k < sh->nrows) {
    CHECK_STR(sh->rows[k].cells[0].text, sh->rows[k - 1].cells[0].text);
    CHECK(!page_has_pieces(doc, (size_t)r0.first,
                           sh->rows[k].cells[2].text));
  }
}

TEST(fonts_syntax_and_readers_are_clean) { check_tools(doc); }

TEST(same_bytes_every_time) {
  check_reproducible(BUDGETPDF_EXE, DATA, dir, "2022-01-20T00:00:00Z");
}

/* A copy of the set with one figure mistyped (823456.78 → 823456.87). */
TEST(a_mistyped_figure_is_found_and_refused_with_strict) {
  char *copy = fmt("%s/broken", dir);
  char *cmd = fmt("mkdir '%s' && cp -R '%s/data' '%s/schemas' '%s/layouts' "
                  "'%s/' && sed -i 's/公用经费: 823456.78}/公用经费: "
                  "823456.87}/' '%s/data/shifan-agri-2022.yaml'",
                  copy, GENERALITY, GENERALITY, GENERALITY, copy, copy);
  CHECK_INT(e2e_run(cmd, NULL, NULL), 0);
  free(cmd);
  static const char finding[] =
      "data/shifan-agri-2022.yaml:66:79: %s: 表二 row 2130101 行政运行, "
      "公用经费: found 823456.87, expected 823456.78 so that 合计 = 人员经费 "
      "+ 公用经费 + 项目支出 (5391346.90 = 4567890.12 + 823456.78 + 0) and row "
      "21301 is the sum of the rows under it\n";
  char *out, *err;
  cmd = fmt("cd '%s' && '%s' check data/shifan-agri-2022.yaml", copy,
            BUDGETPDF_EXE);
  CHECK_INT(e2e_run(cmd, &out, &err), 1);
  char *want = fmt(finding, "error");
  CHECK_CONTAINS(err, want);
  free(want);
  free(out);
  free(err);
  free(cmd);
  cmd = fmt("cd '%s' && '%s' render --strict data/shifan-agri-2022.yaml -o "
            "strict.pdf; echo $?; test ! -e strict.pdf",
            copy, BUDGETPDF_EXE);
  CHECK_INT(e2e_run(cmd, &out, &err), 0); /* nothing written */
  CHECK_STR(out, "1\n");
  free(out);
  free(err);
  free(cmd);
  cmd = fmt("cd '%s' && '%s' render data/shifan-agri-2022.yaml -o w.pdf && "
            "pdftotext -layout w.pdf -",
            copy, BUDGETPDF_EXE);
  CHECK_INT(e2e_run(cmd, &out, &err), 0);
  want = fmt(finding, "warning");
  CHECK_STR(err, want);
  CHECK_CONTAINS(out, "823456.87"); /* printed as written */
  CHECK(!strstr(out, "823456.78"));
  free(want);
  free(out);
  free(err);
  free(cmd);
  free(copy);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  m = model_load(DATA, NULL, d);
  if (!m || m->ntables > sizeof ranges / sizeof *ranges) {
    fprintf(stderr, "cannot load %s\n", DATA);
    model_drop(m);
    diag_drop(d);
    return 1;
  }
  dir = e2e_tmpdir_new("e2e-gen");
  doc = e2e_doc_render(BUDGETPDF_EXE, DATA, dir, "generality", "");
  if (doc->status == 0 && doc->npages) {
    RUN(check_finds_nothing_and_render_says_nothing);
    RUN(each_table_shows_its_figures_on_its_own_pages);
    RUN(a_table_over_three_pages_repeats_its_header);
    RUN(every_sentence_is_extractable);
    RUN(pages_are_numbered_after_the_cover_and_toc);
    RUN(toc_numbers_and_links_lead_to_their_titles);
    RUN(a_sheet_breaks_inside_its_merged_cells);
    RUN(fonts_syntax_and_readers_are_clean);
    RUN(same_bytes_every_time);
    RUN(a_mistyped_figure_is_found_and_refused_with_strict);
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
