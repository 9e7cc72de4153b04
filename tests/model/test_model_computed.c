/* SPDX-License-Identifier: MIT */
/* test_model_computed.c — computed and non-additive columns, sub-total
 * rows and totals of named rows (schema `computed:`, `summed:`,
 * `negative:`, `subtotals:`, `total: A + B`), and required parts.
 *
 * fixtures/computed/clean.yaml adds up; each case changes a few lines of
 * it and lists what must come out: the loader's errors, or check's
 * findings ("line:col: message"). */
#include "harness.h"
#include "model.h"

#include <unistd.h>

#define FIXTURES TEST_DIR "/fixtures/computed"

static char *clean_text(void) {
  diag *d = diag_new(stderr);
  size_t len;
  char *text = file_read_all(FIXTURES "/clean.yaml", 1 << 20, &len, d);
  diag_drop(d);
  return text;
}

/* clean.yaml with `from` replaced by `to` (NULL: as it is). */
static char *variant(const char *from, const char *to) {
  char *text = clean_text();
  if (!from)
    return text;
  char *at = strstr(text, from);
  CHECK(at != NULL); /* the case's text is in clean.yaml */
  if (!at)
    return text;
  bbuf b = {0};
  bbuf_append(&b, text, (size_t)(at - text));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  free(text);
  return b.data;
}

static model *load(const char *text, char **errors) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  model_options o = {.schema_path = FIXTURES "/computed.yaml"};
  model *m = model_parse("c.yaml", text, strlen(text), &o, d);
  *errors = xstrdup(capture_text(&c));
  diag_drop(d);
  capture_close(&c);
  return m;
}

static void on_finding(const model_finding *f, void *ctx) {
  bbuf_printf(ctx, "%d:%d: %s\n", f->pos.line, f->pos.col, f->message);
}

static char *findings_of(const char *text) {
  char *errors;
  model *m = load(text, &errors);
  CHECK_STR(errors, "");
  free(errors);
  bbuf out = {0};
  bbuf_puts(&out, "");
  if (m)
    model_check(m, on_finding, &out);
  model_drop(m);
  return out.data;
}

static const char *cell(const model *m, const char *table, size_t row,
                        const char *column) {
  const model_side *s =
      model_table_lookup_side(model_lookup_table(m, table), NULL);
  const model_row *r = row < s->nrows ? &s->rows[row] : s->total;
  const model_amount *a = &r->amounts[model_side_column_index(s, column)];
  return a->present ? a->text : "(absent)";
}

TEST(computed_cells_the_data_leaves_out_are_filled_in_exactly) {
  char *text = variant(NULL, NULL);
  char *errors;
  model *m = load(text, &errors);
  CHECK_STR(errors, "");
  CHECK(m != NULL);
  if (m) {
    CHECK_STR(cell(m, "对比表", 0, "增减"), "12.5"); /* as written */
    CHECK_STR(cell(m, "对比表", 1, "增减"), "12.5"); /* computed */
    /* Round half away from zero on the exact quotient: -0.01 / 8 is
     * -0.125 %, 0.01 / 8 is 0.125 %, 12.5 / 284 is 4.4014… %. */
    CHECK_STR(cell(m, "对比表", 2, "增减率"), "-0.13");
    CHECK_STR(cell(m, "对比表", 3, "增减率"), "4.40");
    CHECK_STR(cell(m, "对比表", 4, "增减率"), "0.13");
    CHECK_STR(cell(m, "对比表", 4, "增减"), "0.01");
    /* No figures, no change; no rate of nothing. */
    CHECK_STR(cell(m, "对比表", 5, "增减"), "(absent)");
    CHECK_STR(cell(m, "对比表", 5, "增减率"), "(absent)");
    CHECK_STR(cell(m, "对比表", 99, "增减率"), "4.17"); /* total row */
    const model_side *s =
        model_table_lookup_side(model_lookup_table(m, "对比表"), NULL);
    CHECK(s->rows[1].amounts[3].computed);
    CHECK(!s->rows[0].amounts[3].computed);
  }
  model_drop(m);
  free(errors);
  free(text);
  char *clean = clean_text();
  char *got = findings_of(clean);
  CHECK_STR(got, "");
  free(got);
  free(clean);
}

typedef struct finding_case {
  const char *name, *from, *to, *findings;
} finding_case;

static const finding_case cases[] = {
    {"a rate written wrong",
     "增减率: 4.17", "增减率: 4.11",
     "15:82: 对比表 row 208 社会保障和就业支出, 增减率: found 4.11, expected "
     "4.17 = 增减 / 预算数 as a percentage (2 decimals) (12.5 / 300)\n"},
    {"a difference written wrong (and the rate written from it is right)",
     "增减: 12.5, 增减率: 4.17", "增减: 13, 增减率: 4.33",
     "15:71: 对比表 row 208 社会保障和就业支出, 增减: found 13, expected 12.5 "
     "= 决算数 - 预算数 (312.5 - 300)\n"},
    {"a rate where there is nothing to compare",
     "{code: 2080104, name: 信息化建设, 行次: 6}",
     "{code: 2080104, name: 信息化建设, 行次: 6, 增减率: 0}",
     "20:50: 对比表 row 2080104 信息化建设, 增减率: found 0, expected （空）: "
     "增减 / 预算数 has no figure\n"},
    {"行次 is not summed, and a rate is not: no finding",
     "增减率: 4.17, 结余", "增减率: 4.17, 行次x: 0, 结余", NULL},
    {"a sub-total row wrong",
     "{name: 本年收入合计, 决算数: 100}", "{name: 本年收入合计, 决算数: 99}",
     "10:29: 收入表 row 本年收入合计, 决算数: found 99, expected 100 = the sum "
     "of 财政拨款收入 + 事业收入\n"}, /* and the total takes it as 100 */
    {"a total of named rows wrong",
     "total: {决算数: 105}", "total: {决算数: 100}",
     "12:18: 收入表 total row, 决算数: found 100, expected 105 = the sum of "
     "本年收入合计 + 年初结转和结余\n"},
    {"a row a rule names is missing",
     "      - {name: 年初结转和结余, 决算数: 5}\n", "",
     "6:5: 收入表 has no row '年初结转和结余', which the rule 'total = "
     "本年收入合计 + 年初结转和结余' needs; add the row (its cells may be left "
     "blank)\n"},
};

TEST(check_compares_written_figures_with_their_rules) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const finding_case *fc = &cases[i];
    if (!fc->findings)
      continue;
    char *text = variant(fc->from, fc->to);
    char *got = findings_of(text);
    if (strcmp(got, fc->findings))
      fprintf(stderr, "case '%s':\n", fc->name);
    CHECK_STR(got, fc->findings);
    free(got);
    free(text);
  }
}

TEST(negative_figures_only_where_the_schema_allows_them) {
  char *text = variant("预算数: 8, 决算数: 8.01, 结余: -2.5",
                       "预算数: -8, 决算数: 8.01, 结余: -2.5");
  char *errors;
  model *m = load(text, &errors);
  CHECK(m == NULL);
  CHECK_STR(errors,
            "c.yaml:19:49: error: 预算数: -8 is negative; the schema does not "
            "allow negative figures in this column (negative: true)\n");
  model_drop(m);
  free(errors);
  free(text);
}

TEST(a_part_the_schema_requires_must_be_in_the_data) {
  char *text = variant("notes:\n  entries: [说明。]\n", "");
  char *errors;
  model *m = load(text, &errors);
  CHECK(m == NULL);
  CHECK_STR(errors,
            "c.yaml:1:1: error: missing part 'notes': schema computed "
            "requires it (line 28); an empty part is written empty\n");
  model_drop(m);
  free(errors);
  free(text);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(computed_cells_the_data_leaves_out_are_filled_in_exactly);
  RUN(check_compares_written_figures_with_their_rules);
  RUN(negative_figures_only_where_the_schema_allows_them);
  RUN(a_part_the_schema_requires_must_be_in_the_data);
  return harness_done();
}
