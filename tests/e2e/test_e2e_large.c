/* SPDX-License-Identifier: MIT */
/* test_e2e_large.c — a county bureau as a new user would try it: 62
 * projects and about 7亿元 (bench/gen_unit -l: project amounts such as
 * 538.83 on every sheet, 表四 totals of five integer digits), rendered
 * with the shipped layout and read back.  Before issue 12 the layout's
 * fixed 12 mm columns refused it with 62 errors; now its columns are sized
 * by their content:
 *   - it renders, and check finds nothing;
 *   - every figure of every table is on that table's pages, and each
 *     sheet's funds, texts and indicators on its pages (e2e_checks.h);
 *   - no continuation page of a table holds its total row alone;
 *   - a sheet that goes on over a page says whose it is: the project's
 *     name and （续） above the repeated header row. */
#include "harness.h"
#include "e2e_checks.h"

static const char *const turned[] = {"表二", "表七", NULL};
static const char *const sheet_head[] = {"一级指标", "二级指标", "三级指标",
                                         "指标值（包含数字及文字描述）", NULL};

static e2e_spec spec = {
    .label = "{id}：",
    .continued = "{id}（续）",
    .toc_title = "目  录",
    .toc_first = 1,
    .cover_title = "2021年部门（单位）预算公开",
    .parts = {"第一部分  基准测试局单位概况",
              "第二部分  2021年部门（单位）预算公开表",
              "第三部分  2021年基准测试局预算情况说明",
              "第四部分  名词解释"},
    .turned = turned,
    .whole_codes = NULL,
    .fund_decimals = -1, /* as written: 538.83, 655 */
    .sheet_head = sheet_head,
};

static model *m;
static e2e_doc *doc;
static char *dir, *data;
static e2e_range ranges[16];

TEST(renders_with_the_shipped_layout) {
  CHECK_INT(doc->status, 0);
  CHECK_STR(doc->err, "");
  CHECK_INT(m->nsheets, 62);
  /* The amounts the old layout refused: hundreds of 万元 with decimals
   * on the sheets (538.83), five integer digits in the totals. */
  size_t sheet_like = 0;
  for (size_t k = 0; k < m->nsheets; k++)
    for (size_t f = 0; f < m->sheets[k].nfunds; f++) {
      const model_amount *a = &m->sheets[k].funds[f];
      sheet_like += a->present && a->scale == 2 && a->value >= 10000;
    }
  CHECK(sheet_like > 50);
  bool five_digits = false;
  for (size_t i = 0; i < m->ntables; i++)
    for (size_t s = 0; s < m->tables[i].nsides; s++) {
      const model_side *side = &m->tables[i].sides[s];
      for (size_t c = 0; side->total && c < side->ncolumns; c++)
        five_digits |= side->total->amounts[c].present &&
                       side->total->amounts[c].value >= 1000000;
    }
  CHECK(five_digits);
}

TEST(every_figure_on_its_tables_pages) {
  check_tables(doc, &spec, m, ranges);
  for (size_t i = 1; i < m->ntables; i++)
    CHECK(ranges[i].first > ranges[i - 1].last);
  check_turned_pages(doc, &spec, m, ranges);
}

TEST(every_sheet_holds_its_funds_and_indicators) {
  size_t *sheet_at = xcalloc(m->nsheets + 1, sizeof *sheet_at);
  check_outline(doc, &spec, m, sheet_at);
  int last = -1;
  for (size_t k = 0; k < m->nsheets; k++) {
    e2e_range r = check_sheet(doc, &spec, m, k, sheet_at[k]);
    CHECK(r.first > last);
    last = r.last;
    /* A continuation page names the project. */
    for (int p = r.first + 1; p <= r.last && p >= 0; p++) {
      char *want = fmt("%s（续）", model_sheet_field(&m->sheets[k], "name")->text);
      char *page = e2e_squeeze(doc->pages[p].raw);
      char *w = e2e_squeeze(want);
      if (!strstr(page, w))
        FAIL_MSG("sheet %s: page %d goes on without \"%s\"",
                 model_sheet_field(&m->sheets[k], "name")->text, p + 1, want);
      free(w);
      free(page);
      free(want);
    }
  }
  free(sheet_at);
}

/* A table's continuation page shows more than its total row: some body
 * row's name stands above it. */
TEST(no_total_row_alone_on_a_page) {
  int continued = 0;
  for (size_t i = 0; i < m->ntables; i++) {
    e2e_range r = ranges[i];
    if (r.first < 0 || r.last <= r.first)
      continue;
    continued++;
    char *page = e2e_squeeze(doc->pages[r.last].layout);
    int names = 0;
    const model_table *t = &m->tables[i];
    for (size_t s = 0; s < t->nsides; s++)
      for (size_t k = 0; k < t->sides[s].nrows; k++) {
        const char *name = t->sides[s].rows[k].name.text;
        if (!name)
          continue;
        char *sq = e2e_squeeze(name);
        names += strstr(page, sq) != NULL;
        free(sq);
      }
    if (names == 0)
      FAIL_MSG("%s: page %d holds its total row alone", t->id, r.last + 1);
    free(page);
  }
  CHECK(continued >= 1); /* 表七 at least goes on */
}

TEST(fonts_syntax_and_readers_are_clean) { check_tools(doc); }
TEST(every_sentence_is_extractable) { CHECK(check_sentences(doc, &spec, m) > 100); }
TEST(pages_are_numbered_after_the_cover_and_toc) { check_folios(doc, &spec); }
TEST(toc_numbers_and_links_lead_to_their_titles) { check_toc(doc, &spec, m); }
TEST(same_bytes_every_time) {
  check_reproducible(BUDGETPDF_EXE, data, dir, "2021-02-02T00:00:00Z");
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  dir = e2e_tmpdir_new("e2e-large");
  data = fmt("%s/large.yaml", dir);
  char *gen = fmt("'%s' -l 62 '%s'", GEN_UNIT_EXE, data);
  if (e2e_run(gen, NULL, NULL) != 0) {
    fprintf(stderr, "cannot run %s\n", gen);
    return 1;
  }
  free(gen);
  diag *d = diag_new(NULL);
  model_options opts = {.datadir = SOURCE_DIR};
  m = model_load(data, &opts, d);
  if (!m) {
    fprintf(stderr, "cannot load %s\n", data);
    diag_drop(d);
    return 1;
  }
  /* The data names its layout; the program's own layouts/ has it. */
  doc = e2e_doc_render(BUDGETPDF_EXE, data, dir, "large", "");
  int first = e2e_doc_page_with_folio(doc, 1);
  if (first > 1) {
    spec.first_numbered = (size_t)first;
    spec.toc_last = (size_t)first - 1;
  }
  RUN(renders_with_the_shipped_layout);
  if (doc->status == 0 && first > 1) {
    RUN(every_figure_on_its_tables_pages);
    RUN(every_sheet_holds_its_funds_and_indicators);
    RUN(no_total_row_alone_on_a_page);
    RUN(fonts_syntax_and_readers_are_clean);
    RUN(every_sentence_is_extractable);
    RUN(pages_are_numbered_after_the_cover_and_toc);
    RUN(toc_numbers_and_links_lead_to_their_titles);
    RUN(same_bytes_every_time);
  }
  e2e_doc_drop(doc);
  model_drop(m);
  diag_drop(d);
  e2e_tmpdir_remove(dir);
  free(dir);
  free(data);
  return harness_done();
}
