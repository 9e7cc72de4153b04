/* SPDX-License-Identifier: MIT */
/* test_e2e_reference.c — the reference document (data/changji-sib-2021.yaml
 * with layouts/department-budget.yaml) rendered by the budgetpdf program
 * and read back with poppler, mupdf and qpdf: every figure of 表一 … 表九
 * on its table's pages and nowhere else on them, every sentence
 * extractable, 表二 and 表七 (and only they) on turned pages, page numbers
 * 1 … N after the cover and 目录, 目录 numbers and links leading to their
 * titles, bookmarks for parts, sections, tables and sheets, each sheet's
 * figures and texts, clean fonts and syntax, and the same bytes twice
 * (e2e_checks.h says how each is decided). */
#include "harness.h"
#include "e2e_checks.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"

static const char *const turned[] = {"表二", "表七", NULL};
static const char *const sheet_head[] = {"一级指标", "二级指标", "三级指标",
                                         "指标值（包含数字及文字描述）", NULL};

/* The 目录's length is the layout's to polish: its last page is the one
 * before the page numbered 1 (main() fills it in). */
static e2e_spec spec = {
    .label = "{id}：",
    .continued = "{id}（续）",
    .toc_title = "目  录",
    .toc_first = 1,
    .cover_title = "2021年部门（单位）预算公开",
    .parts = {"第一部分  昌吉回族自治州社会保险管理局单位概况",
              "第二部分  2021年部门（单位）预算公开表",
              "第三部分  2021年昌吉回族自治州社会保险管理局预算情况说明",
              "第四部分  名词解释"},
    .turned = turned,
    .whole_codes = NULL,
    .fund_decimals = 0,
    .sheet_head = sheet_head,
};

static model *m;
static e2e_doc *doc;
static char *dir;
static arena *scratch;

TEST(renders_with_the_published_errors_as_warnings) {
  CHECK_INT(doc->status, 0);
  /* The three arithmetic errors of the published 表七 and the two
   * 收支总预算3363.98万元 claims of its text, nothing else. */
  int lines = 0;
  for (const char *p = doc->err; (p = strchr(p, '\n')); p++)
    lines++;
  CHECK_INT(lines, 5);
  CHECK_CONTAINS(doc->err, "262:67: warning: the text says 收支总预算 "
                           "3363.98万元; 表一 income total 预算数 is 1681.99");
  CHECK_CONTAINS(doc->err, "warning: 表七 row 208 社会保障和就业支出, "
                           "项目支出合计: found 655, expected 901");
  CHECK(doc->npages > 30);
}

TEST(each_table_shows_its_figures_on_its_own_pages) {
  e2e_range ranges[16];
  CHECK(m->ntables <= 16);
  check_tables(doc, &spec, m, ranges);
  /* In order, none sharing a page with the next. */
  for (size_t i = 1; i < m->ntables; i++)
    CHECK(ranges[i].first > ranges[i - 1].last);
  check_turned_pages(doc, &spec, m, ranges);
}

TEST(every_sentence_is_extractable) {
  size_t n = check_sentences(doc, &spec, m);
  CHECK(n > 150); /* profile, 第三部分, descriptions, glossary, … */
}

TEST(pages_are_numbered_after_the_cover_and_toc) { check_folios(doc, &spec); }

TEST(toc_numbers_and_links_lead_to_their_titles) { check_toc(doc, &spec, m); }

TEST(bookmarks_and_sheets) {
  size_t *sheet_at = xcalloc(m->nsheets + 1, sizeof *sheet_at);
  check_outline(doc, &spec, m, sheet_at);
  CHECK_INT(m->nsheets, 15);
  int last = -1;
  for (size_t k = 0; k < m->nsheets; k++) {
    e2e_range r = check_sheet(doc, &spec, m, k, sheet_at[k]);
    CHECK(r.first > last); /* each sheet starts a new page */
    last = r.last;
  }
  free(sheet_at);
}

TEST(fonts_syntax_and_readers_are_clean) { check_tools(doc); }

/* A viewer's page box says what the page prints: i, ii, iii for the cover
 * and 目录, then 1, 2, … from the page numbered — 1 —. */
TEST(viewers_name_pages_as_they_are_numbered) {
  char *cmd = arena_printf(scratch, "mutool show %s/reference.pdf "
                                    "trailer/Root/PageLabels",
                           dir);
  char *out = NULL, *err = NULL;
  CHECK_INT(e2e_run(cmd, &out, &err), 0);
  char *got = e2e_squeeze(out ? out : "");
  int first = e2e_doc_page_with_folio(doc, 1);
  char *want = arena_printf(scratch, "<</Nums[0<</S/r/St1>>%d<</S/D/St1>>]>>",
                            first);
  CHECK_STR(got, want);
  free(got);
  free(out);
  free(err);
}

TEST(same_bytes_every_time) {
  check_reproducible(BUDGETPDF_EXE, REFERENCE, dir, "2021-02-02T00:00:00Z");
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  scratch = arena_new();
  diag *d = diag_new(NULL);
  model_options opts = {.datadir = SOURCE_DIR};
  m = model_load(REFERENCE, &opts, d);
  if (!m) {
    fprintf(stderr, "cannot load %s\n", REFERENCE);
    model_drop(m);
    diag_drop(d);
    return 1;
  }
  dir = e2e_tmpdir_new("e2e-ref");
  doc = e2e_doc_render(BUDGETPDF_EXE, REFERENCE, dir, "reference", "");
  int first = e2e_doc_page_with_folio(doc, 1);
  if (first > 1) {
    spec.first_numbered = (size_t)first;
    spec.toc_last = (size_t)first - 1;
  }
  if (doc->status == 0 && first > 1 &&
      e2e_page_has(doc, (size_t)first, spec.parts[0])) {
    RUN(renders_with_the_published_errors_as_warnings);
    RUN(each_table_shows_its_figures_on_its_own_pages);
    RUN(every_sentence_is_extractable);
    RUN(pages_are_numbered_after_the_cover_and_toc);
    RUN(toc_numbers_and_links_lead_to_their_titles);
    RUN(bookmarks_and_sheets);
    RUN(fonts_syntax_and_readers_are_clean);
    RUN(viewers_name_pages_as_they_are_numbered);
    RUN(same_bytes_every_time);
  } else {
    fprintf(stderr, "render failed (%d), or no page 1 showing %s: %s",
            doc->status, spec.parts[0], doc->err);
    harness_failures++;
  }
  e2e_doc_drop(doc);
  e2e_tmpdir_remove(dir);
  free(dir);
  model_drop(m);
  diag_drop(d);
  arena_drop(scratch);
  return harness_done();
}
