/* SPDX-License-Identifier: MIT */
/* test_e2e_bound.c — the reference with its text bound to the figures
 * (data/changji-sib-2021-bound.yaml):
 *   - its blocks are the published reference's, word for word, except
 *     the two published 收支总预算3363.98万元, which now read 1681.99;
 *   - a correction propagates: one project's amount changed from 95 to
 *     85 万元 consistently in the tables (its rows, their parents and the
 *     totals of 表一 … 表七) and its sheet, and the rendered PDF, read back
 *     with poppler, quotes the new figure, shares, totals and changes in
 *     every sentence, its description and its sheet; no sentence keeps an
 *     old figure. */
#include "harness.h"
#include "e2e.h"

#define BOUND SOURCE_DIR "/data/changji-sib-2021-bound.yaml"
#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"

static char *dir;

static char *slurp(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *text = file_read_all(path, 1 << 22, &len, d);
  diag_drop(d);
  return text ? text : xstrdup("");
}

static char *blocks_of(const char *data) {
  bbuf cmd = {0};
  bbuf_printf(&cmd, "'%s' render '%s' -o '%s/unused.pdf' --dump blocks",
              BUDGETPDF_EXE, data, dir);
  char *out = NULL;
  int status = e2e_run(cmd.data, &out, NULL);
  CHECK_INT(status, 0);
  bbuf_free(&cmd);
  return out ? out : xstrdup("");
}

/* The next line of *p (advancing it), or NULL at the end. */
static char *next_line(char **p) {
  if (!**p)
    return NULL;
  char *line = *p, *end = strchr(line, '\n');
  if (end) {
    *end = 0;
    *p = end + 1;
  } else {
    *p = line + strlen(line);
  }
  return line;
}

TEST(the_bound_text_is_the_published_text_but_for_the_corrections) {
  char *published = blocks_of(REFERENCE), *bound = blocks_of(BOUND);
  static const char *const corrected[][2] = {
      {"收支总预算3363.98万元。", "收支总预算1681.99万元。"},
      {"2021年财政拨款收支总预算3363.98万元。",
       "2021年财政拨款收支总预算1681.99万元。"},
  };
  size_t lines = 0, differ = 0;
  char *p = published, *q = bound, *a, *b;
  while ((a = next_line(&p)) && (b = next_line(&q))) {
    lines++;
    if (!strcmp(a, b))
      continue;
    CHECK(differ < 2);
    if (differ < 2) {
      CHECK(strstr(a, corrected[differ][0]) != NULL);
      CHECK(strstr(b, corrected[differ][1]) != NULL);
    }
    differ++;
  }
  CHECK(!*p && !*q);
  CHECK_INT(differ, 2);
  CHECK(lines > 600); /* every block: sections, tables, descriptions, sheets */
  free(published);
  free(bound);
}

/* text with every `from` replaced by `to`, which must occur `count` times */
static char *replace_all(char *text, const char *from, const char *to,
                         int count) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  int n = 0;
  const char *p = text, *at;
  while ((at = strstr(p, from))) {
    bbuf_append(&b, p, (size_t)(at - p));
    bbuf_puts(&b, to);
    p = at + strlen(from);
    n++;
  }
  bbuf_puts(&b, p);
  if (n != count)
    fprintf(stderr, "'%s' occurs %d times, not %d\n", from, n, count);
  CHECK_INT(n, count);
  free(text);
  return b.data;
}

TEST(a_corrected_amount_reaches_every_sentence_that_quotes_it) {
  char *text = slurp(BOUND);
  /* Only the tables and the sheets hold figures; the text quotes them. */
  text = replace_all(text, "project: jinbao-maintenance, 项目支出合计: 95, "
                           "商品和服务支出: 95",
                     "project: jinbao-maintenance, 项目支出合计: 85, "
                     "商品和服务支出: 85", 1);
  text = replace_all(text, "{年度资金总额: 95, 财政拨款: 95}",
                     "{年度资金总额: 85, 财政拨款: 85}", 1);
  text = replace_all(text, "name: 信息化建设, 总计: 410, 一般公共预算拨款: 410",
                     "name: 信息化建设, 总计: 400, 一般公共预算拨款: 400", 1);
  text = replace_all(text, "name: 信息化建设, 合计: 410, 项目支出: 410",
                     "name: 信息化建设, 合计: 400, 项目支出: 400", 2);
  text = replace_all(text, "655", "645", 7);      /* 20801 and 表七's 商品和服务 */
  text = replace_all(text, "1293.42", "1283.42", 4); /* 20801 */
  text = replace_all(text, "1603.04", "1593.04", 7); /* 208 */
  text = replace_all(text, "1681.99", "1671.99", 14); /* totals, the header */
  text = replace_all(text, "项目支出: 901", "项目支出: 891", 4);
  text = replace_all(text, "项目支出合计: 901", "项目支出合计: 891", 1);
  bbuf path = {0};
  bbuf_printf(&path, "%s/corrected.yaml", dir);
  FILE *f = fopen(path.data, "w");
  fputs(text, f);
  fclose(f);

  /* The tables still add up as before: the same three published cells. */
  bbuf cmd = {0};
  bbuf_printf(&cmd, "'%s' check '%s'", BUDGETPDF_EXE, path.data);
  char *err = NULL;
  CHECK_INT(e2e_run(cmd.data, NULL, &err), 1);
  CHECK_CONTAINS(err, "项目支出合计: found 645, expected 891");
  CHECK_CONTAINS(err, "note: 3 findings");
  free(err);
  bbuf_free(&cmd);

  e2e_doc *doc = e2e_doc_render(BUDGETPDF_EXE, path.data, dir, "corrected",
                                "SOURCE_DATE_EPOCH=1");
  CHECK_INT(doc->status, 0);
  char *all = e2e_doc_running_text(doc);
  static const char *const sentences[] = {
      /* 一 … 四: totals, shares, changes */
      "收支总预算1671.99万元。",
      "昌吉回族自治州社会保险管理局收入预算1671.99万元，其中：",
      "一般公共预算1671.99万元，占100%，比上年预算数增加434.37万元，",
      "2021年支出预算1671.99万元，其中：",
      "基本支出780.99万元，占47%，比上年预算数减少124.63万元，",
      "项目支出891万元，占53%，比上年预算数增加559万元，",
      "2021年财政拨款收支总预算1671.99万元。",
      "收入预算包括：一般公共预算拨款1671.99万元。",
      "社会保障和就业支出1593.04万元，卫生健康支出78.95万元，",
      /* 五: the general budget, its structure, the changed 项 */
      "2021年一般公共预算拨款合计1671.99万元，其中：基本支出780.99万元，"
      "比上年预算数减少124.63万元，下降14%。",
      "项目支出891万元，比上年预算数增加559万元，增长168%。",
      "1.社会保障和就业支出1593.04万元，占95.3%。",
      "2.卫生健康支出78.95万元，占4.7%。",
      "2080108信息化建设：2021年预算数为400万元，比上年预算数增加323万元，"
      "增长419%，",
      /* 十（四）: the projects' total; the project's description */
      "一般公共预算项目15个，涉及预算金额891万元。",
      "预算安排规模：85万元",
      NULL};
  for (int i = 0; sentences[i]; i++) {
    char *want = e2e_squeeze(sentences[i]);
    if (!strstr(all, want))
      fprintf(stderr, "not in the PDF: %s\n", sentences[i]);
    CHECK(strstr(all, want) != NULL);
    free(want);
  }
  /* The sheet's cost ceiling, and no sentence or cell keeps an old one. */
  CHECK(strstr(all, "金保工程运行成本（万元/年）≤85") != NULL);
  CHECK(strstr(all, "1681.99") == NULL);
  CHECK(strstr(all, "1603.04") == NULL);
  CHECK(strstr(all, "≤95") == NULL);
  CHECK(strstr(all, "占54%") == NULL);
  free(all);
  e2e_doc_drop(doc);
  bbuf_free(&path);
  free(text);
}

/* text with `from` (once) replaced by `to` opening a double-quoted
 * scalar, closed at the end of its line. */
static char *quote_from(char *text, const char *from, const char *to) {
  char *at = strstr(text, from);
  CHECK(at != NULL);
  if (!at)
    return text;
  char *eol = strchr(at, '\n');
  bbuf b = {0};
  bbuf_append(&b, text, (size_t)(at - text));
  bbuf_puts(&b, to);
  bbuf_append(&b, at + strlen(from), (size_t)(eol - at) - strlen(from));
  bbuf_puts(&b, "\"");
  bbuf_puts(&b, eol);
  free(text);
  return b.data;
}

TEST(generated_numbers_mend_the_published_numbering) {
  /* The explanation's headings and 五（三）'s items numbered with {#}:
   * "7、 关于…" becomes 七、, and the two items numbered 4. become 4. and 5. */
  char *text = slurp(BOUND);
  static const char *const headings[] = {
      "一、关于", "二、关于", "三、关于", "四、关于", "五、关于", "六、关于",
      "7、 关于", "八、关于", "九、关于", "十、其他", NULL};
  for (int i = 0; headings[i]; i++) {
    bbuf from = {0}, to = {0};
    bbuf_printf(&from, "- heading: %s", headings[i]);
    bbuf_printf(&to, "- heading: \"{#}%s",
                headings[i] + strlen(headings[i]) - strlen("关于"));
    text = quote_from(text, from.data, to.data);
    bbuf_free(&from);
    bbuf_free(&to);
  }
  static const char *const codes[] = {"2080101", "2080108", "2080109", "2080505",
                                      "2082501", "2101101", "2101103", NULL};
  static const char *const numbers[] = {"1.", "2.", "3.", "4.", "4.", "5.", "6."};
  for (int i = 0; codes[i]; i++) {
    bbuf from = {0}, to = {0};
    bbuf_printf(&from, "- %s%s", numbers[i], codes[i]);
    bbuf_printf(&to, "- \"{#}%s", codes[i]);
    text = quote_from(text, from.data, to.data);
    bbuf_free(&from);
    bbuf_free(&to);
  }
  bbuf path = {0};
  bbuf_printf(&path, "%s/numbered.yaml", dir);
  FILE *f = fopen(path.data, "w");
  fputs(text, f);
  fclose(f);
  char *blocks = blocks_of(path.data);
  CHECK_CONTAINS(blocks, "七、关于昌吉回族自治州社会保险管理局2021年一般公共"
                         "预算项目支出情况说明");
  CHECK_CONTAINS(blocks, "十、其他重要事项的情况说明");
  CHECK(strstr(blocks, "7、") == NULL);
  CHECK_CONTAINS(blocks, "（三）一般公共预算当年拨款具体使用情况");
  CHECK_CONTAINS(blocks, "4.2080505机关事业单位基本养老保险缴费支出");
  CHECK_CONTAINS(blocks, "5.2082501其他城市生活救助");
  CHECK_CONTAINS(blocks, "7.2101103公务员医疗补助");
  free(blocks);
  bbuf_free(&path);
  free(text);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  dir = e2e_tmpdir_new("bound");
  RUN(the_bound_text_is_the_published_text_but_for_the_corrections);
  RUN(a_corrected_amount_reaches_every_sentence_that_quotes_it);
  RUN(generated_numbers_mend_the_published_numbering);
  e2e_tmpdir_remove(dir);
  free(dir);
  return harness_done();
}
