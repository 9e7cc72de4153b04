/* SPDX-License-Identifier: MIT */
/* test_model_expr.c — figures in text.  Runs expr.spec (each example's
 * text expanded against the bound reference, compared with its output or
 * error), then what the spec cannot show: errors at their line and column
 * inside the YAML scalar (plain and double-quoted with escapes), a
 * dangling reference failing the load, and the claim check's precision
 * (clauses that name no figure are never claims). */
#include "harness.h"
#include "model.h"

#include <unistd.h>

#define BOUND SOURCE_DIR "/data/changji-sib-2021-bound.yaml"
#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define SPEC TEST_DIR "/expr.spec"

static const char *only_example; /* argv[1]: one example's number */

static char *slurp(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *text = file_read_all(path, 1 << 22, &len, d);
  diag_drop(d);
  return text ? text : xstrdup("");
}

/* A diag writing into a string: out.data after diag_drop + fclose. */
typedef struct capture {
  char *data;
  size_t len;
  FILE *f;
  diag *d;
} capture;

static void cap_open(capture *c) {
  c->data = NULL;
  c->len = 0;
  c->f = open_memstream(&c->data, &c->len);
  c->d = diag_new(c->f);
}

static char *cap_close(capture *c) {
  diag_drop(c->d);
  fclose(c->f);
  return c->data;
}

static model *load(const char *path, char **messages) {
  capture c;
  cap_open(&c);
  model_options o = {.datadir = SOURCE_DIR};
  model *m = model_load(path, &o, c.d);
  char *msg = cap_close(&c);
  if (messages)
    *messages = msg;
  else
    free(msg);
  return m;
}

/* ---------------------------------------------------------------- spec */

static const char FENCE[] = "````````````````````````````````";

static void run_example(const model *m, int number, int line,
                        const char *input, const char *want) {
  capture c;
  cap_open(&c);
  model_text t = {input, {NULL, 0, 0}};
  arena *a = arena_new();
  const char *got = model_text_expand(m, &t, a, c.d);
  char *msg = cap_close(&c);
  bbuf out = {0};
  bbuf_puts(&out, "");
  if (got) {
    bbuf_puts(&out, got);
  } else { /* "budgetpdf: error: …\n" → "error: …" */
    const char *e = strstr(msg, "error: ");
    bbuf_puts(&out, e ? e : msg);
    if (out.len && out.data[out.len - 1] == '\n')
      out.data[--out.len] = 0;
  }
  harness_checks++;
  if (strcmp(out.data, want)) {
    harness_failures++;
    harness_current_failed = 1;
    fprintf(stderr, "expr.spec:%d: example %d\n  input: %s\n   want: %s\n"
            "    got: %s\n", line, number, input, want, out.data);
  }
  bbuf_free(&out);
  free(msg);
  arena_drop(a);
}

TEST(every_example_of_the_spec) {
  char *errors = NULL;
  model *m = load(BOUND, &errors);
  CHECK(m != NULL);
  CHECK_STR(errors, "");
  free(errors);
  if (!m)
    return;
  char *spec = slurp(SPEC);
  int number = 0, line = 1, examples = 0;
  char *p = spec;
  while ((p = strstr(p, FENCE))) {
    char *open_end = strchr(p, '\n');
    if (!open_end || strncmp(p + strlen(FENCE), " example", 8)) {
      p += strlen(FENCE);
      continue;
    }
    line = 1;
    for (char *q = spec; q < p; q++)
      line += *q == '\n';
    char *body = open_end + 1;
    char *dot = strstr(body, "\n.\n");
    char *close = strstr(body, FENCE);
    if (!dot || !close || dot > close) {
      fprintf(stderr, "expr.spec:%d: malformed example\n", line);
      harness_failures++;
      break;
    }
    number++;
    char *input = xstrndup(body, (size_t)(dot - body));
    char *want = xstrndup(dot + 3, (size_t)(close - dot - 3));
    if (*want && want[strlen(want) - 1] == '\n')
      want[strlen(want) - 1] = 0;
    if (!only_example || atoi(only_example) == number) {
      run_example(m, number, line, input, want);
      examples++;
    }
    free(input);
    free(want);
    p = close + strlen(FENCE);
  }
  CHECK(examples >= (only_example ? 1 : 30));
  free(spec);
  model_drop(m);
}

/* ---------------------------------------------------------------- positions */

/* Write text to a data file beside the real ones' layout (named schema
 * resolved through the datadir), and return its path. */
static char *put_data(const char *name, const char *text) {
  char *path = xstrdup(name);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

/* text with the first `from` replaced by `to` (the test fails if absent). */
static char *edit(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  CHECK(at != NULL);
  bbuf b = {0};
  bbuf_puts(&b, "");
  if (!at) {
    bbuf_puts(&b, text);
    return b.data;
  }
  bbuf_append(&b, text, (size_t)(at - text));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  return b.data;
}

/* "file:L:C: " where L:C is where `marker` starts in text, C counted in
 * characters. */
static char *position_of(const char *file, const char *text,
                         const char *marker) {
  const char *at = strstr(text, marker);
  CHECK(at != NULL);
  if (!at)
    return xstrdup("?");
  int line = 1;
  const char *bol = text;
  for (const char *q = text; q < at; q++)
    if (*q == '\n') {
      line++;
      bol = q + 1;
    }
  int col = 1;
  for (const char *q = bol; q < at; q++)
    col += ((unsigned char)*q & 0xC0) != 0x80;
  bbuf b = {0};
  bbuf_printf(&b, "%s:%d:%d: ", file, line, col);
  return b.data;
}

TEST(a_dangling_reference_is_an_error_at_its_column_in_a_plain_scalar) {
  char *bound = slurp(BOUND);
  char *text = edit(bound, "{growth(表五.2080109.合计)|1}",
                    "{growth(表五.2080109.合记)|1}");
  char *path = put_data("dangling.yaml", text);
  char *msg;
  model *m = load(path, &msg);
  CHECK(m == NULL);
  char *pos = position_of(path, text, "表五.2080109.合记");
  bbuf want = {0};
  bbuf_printf(&want, "%serror: {growth(表五.2080109.合记)|1}: 表五 has no "
              "column '合记'; did you mean '合计'?\n", pos);
  /* the whole expression is quoted in the message, the column is the
   * reference's */
  CHECK(strstr(msg, pos) != NULL);
  CHECK_CONTAINS(msg, "表五 has no column '合记'; did you mean '合计'?");
  CHECK_INT((int)(strchr(msg, '\n') - msg) + 1, (int)strlen(msg));
  model_drop(m);
  free(want.data);
  free(pos);
  free(msg);
  unlink(path);
  free(path);
  free(text);
  free(bound);
}

TEST(an_absent_figure_is_an_error_at_its_column_in_a_quoted_scalar) {
  char *bound = slurp(BOUND);
  /* \u4e00 is six characters of the file and one of the value */
  char *text = edit(bound, "\"{projects.archives.amount}万元\"",
                    "\"\\u4e00\\\"{表三.2080101.项目支出}万元\"");
  char *path = put_data("absent.yaml", text);
  char *msg;
  model *m = load(path, &msg);
  CHECK(m == NULL);
  char *pos = position_of(path, text, "表三.2080101.项目支出");
  bbuf want = {0};
  bbuf_printf(&want, "%serror: {表三.2080101.项目支出}: 表三 row 2080101 "
              "行政运行 项目支出 is absent (blank in the table), not 0\n", pos);
  CHECK_STR(msg, want.data);
  model_drop(m);
  free(want.data);
  free(pos);
  free(msg);
  unlink(path);
  free(path);
  free(text);
  free(bound);
}

TEST(a_prior_year_figure_must_name_a_figure_the_schema_allows) {
  char *bound = slurp(BOUND);
  char *text = edit(bound, "  表八.公务接待费: 1.41\n",
                    "  表八.公务接待费: 1.41\n  表八.公务招待费: 1\n"
                    "  基本支出: 3\n");
  char *path = put_data("prior.yaml", text);
  char *msg;
  model *m = load(path, &msg);
  CHECK(m == NULL);
  char *p1 = position_of(path, text, "表八.公务招待费: 1");
  char *p2 = position_of(path, text, "基本支出: 3");
  char *first = position_of(path, text, "表三.total.基本支出: 905.62");
  bbuf want = {0};
  bbuf_printf(&want, "%serror: prior_year: 表八 has no column '公务招待费'; "
              "did you mean '公务接待费'?\n", p1);
  bbuf_printf(&want, "%serror: prior_year: 表三 total 基本支出 is given twice "
              "(first at line %d)\n", p2, atoi(strchr(first, ':') + 1));
  CHECK_STR(msg, want.data);
  model_drop(m);
  free(want.data);
  free(p1);
  free(p2);
  free(first);
  free(msg);
  unlink(path);
  free(path);
  free(text);
  free(bound);
}

/* ---------------------------------------------------------------- claims */

/* The claims check's warnings for the reference with `sentence` as the
 * last paragraph of its text. */
static char *claims_in(char *text);

static char *claims_for(const char *sentence) {
  char *ref = slurp(REFERENCE);
  char *text = edit(ref, "无其他需要说明的事项。", sentence);
  free(ref);
  return claims_in(text);
}

/* The claims check's warnings without positions, the reference's own two
 * 收支总预算 claims left out; frees text. */
static char *claims_in(char *text) {
  char *path = put_data("claims.yaml", text);
  model *m = load(path, NULL);
  CHECK(m != NULL);
  capture c;
  cap_open(&c);
  if (m)
    model_report_claims(m, c.d);
  char *msg = cap_close(&c);
  model_drop(m);
  unlink(path);
  free(path);
  free(text);
  /* keep only the claims about the sentence (the reference's own two
   * 收支总预算 claims are on other lines) */
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (char *line = msg; *line;) {
    char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
    if (!strstr(line, "3363.98") || (end && strstr(line, "3363.98") > end))
      bbuf_append(&b, strchr(line, ' ') + 1, n - (size_t)(strchr(line, ' ') + 1 - line));
    line += n;
  }
  free(msg);
  return b.data;
}

TEST(a_claim_that_differs_is_reported_naming_the_figure) {
  char *got = claims_for("基本支出790.99万元，项目支出901万元。");
  CHECK_STR(got, "warning: the text says 基本支出 790.99万元; 表三 total "
                 "基本支出 is 780.99, 表五 total 基本支出 is 780.99, 表九 "
                 "total 基本支出 is （空）\n");
  free(got);
  got = claims_for("公务接待费14000元；公务接待费14001元。");
  CHECK_STR(got, "warning: the text says 公务接待费 14001元; 表六 row 30217 "
                 "公务接待费 合计 is 1.4, 表八 公务接待费 is 1.4\n");
  free(got);
}

TEST(clauses_that_name_no_figure_are_not_claims) {
  /* 资金分配情况's breakdown, the assets of 十（三）, a name inside a
   * longer word, a figure of another year, a rounded figure */
  char *got = claims_for(
      "数据中心机房系统维护费25万元；房屋14129.78平方米，价值280.58万元；"
      "其他对个人和家庭的补助9.48万元；政府采购预算292万元；"
      "基本支出约781万元；行政运行{表三.行政运行.合计}万元。");
  CHECK_STR(got, "");
  free(got);
}

/* The reference with the bound reference's prior-year figures. */
static char *reference_with_prior_year(void) {
  char *ref = slurp(REFERENCE), *bound = slurp(BOUND);
  const char *prior = strstr(bound, "\nprior_year:\n");
  CHECK(prior != NULL);
  bbuf b = {0};
  bbuf_puts(&b, ref);
  bbuf_puts(&b, prior ? prior : "");
  free(ref);
  free(bound);
  return b.data;
}

TEST(printed_changes_agree_with_the_prior_year_figures) {
  /* All of the reference's 比上年 changes and growths agree. */
  char *got = claims_in(reference_with_prior_year());
  CHECK_STR(got, "");
  free(got);
  char *text = reference_with_prior_year();
  static const char *const edits[][2] = {
      {"比上年预算数减少124.63万元，下降14%", "比上年预算数减少124.36万元，下降13%"},
      {"增长432%", "增长431%"},
      {"比上年预算数减少10万元，下降3.9%", "比上年预算数增加10万元，下降3.9%"},
      /* rounded: not a difference */
      {"减少21.42万元，下降22.62%", "减少21.42万元，下降22.6%"},
  };
  for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
    char *t = edit(text, edits[i][0], edits[i][1]);
    free(text);
    text = t;
  }
  got = claims_in(text);
  CHECK_STR(got,
            "warning: the text says 减少124.36万元 against the prior year; 表三 "
            "total 基本支出 is 780.99, 905.62 the year before: 减少124.63\n"
            "warning: the text says 下降13% against the prior year; 表三 total "
            "基本支出 is 780.99, 905.62 the year before: 下降14%\n"
            "warning: the text says 增长431% against the prior year; 表五 row "
            "2080108 信息化建设 合计 is 410, 77 the year before: 增长432%\n"
            "warning: the text says 增加10万元 against the prior year; 表五 row "
            "2080109 社会保险经办机构 合计 is 245, 255 the year before: 减少10\n");
  free(got);
}

TEST(printed_shares_agree_with_their_tables_totals) {
  /* All of the reference's 占 shares agree (46%, 54%, 95.3%, 4.7%). */
  char *got = claims_in(slurp(REFERENCE));
  CHECK_STR(got, "");
  free(got);
  char *ref = slurp(REFERENCE);
  char *text = edit(ref, "基本支出780.99万元，占46%", "基本支出780.99万元，占47%");
  free(ref);
  char *t = edit(text, "卫生健康支出78.95万元，占4.7%",
                 "卫生健康支出78.95万元，占4.6%");
  free(text);
  got = claims_in(t);
  CHECK_STR(got,
            "warning: the text says 占47%; 表三 total 基本支出 is 780.99 of "
            "表三 total 合计 1681.99: 46%\n"
            "warning: the text says 占4.6%; 表一 expenditure row 210 卫生健康支出 "
            "预算数 is 78.95 of 表一 expenditure total 预算数 1681.99: 4.7%\n");
  free(got);
  /* a share after a clause that claims nothing is of nothing known; one
   * of another whole (占总支出的) is not judged */
  got = claims_for("合计1681.99万元，其中：某项收入900万元，占3%；"
                   "基本支出780.99万元，占总支出的99%。");
  CHECK_STR(got, "");
  free(got);
  /* a share of the sentence's first figure rather than of the table's
   * total: 410 of 项目支出 901 */
  got = claims_for("项目支出901万元，其中：信息化建设410万元，占45.5%。");
  CHECK_STR(got, "");
  free(got);
  got = claims_for("项目支出901万元，其中：信息化建设410万元，占44.5%。");
  CHECK_CONTAINS(got, "warning: the text says 占44.5%; 表二 row 2080108 "
                      "信息化建设 总计 is 410 of 表二 total 总计 1681.99: 24.4%\n");
  free(got);
}

int main(int argc, char **argv) {
  only_example = argc > 1 && atoi(argv[1]) > 0 ? argv[1] : NULL;
  if (only_example)
    argc = 1;
  harness_init(argc, argv);
  RUN(every_example_of_the_spec);
  RUN(a_dangling_reference_is_an_error_at_its_column_in_a_plain_scalar);
  RUN(an_absent_figure_is_an_error_at_its_column_in_a_quoted_scalar);
  RUN(a_prior_year_figure_must_name_a_figure_the_schema_allows);
  RUN(a_claim_that_differs_is_reported_naming_the_figure);
  RUN(clauses_that_name_no_figure_are_not_claims);
  RUN(printed_changes_agree_with_the_prior_year_figures);
  RUN(printed_shares_agree_with_their_tables_totals);
  return harness_done();
}
