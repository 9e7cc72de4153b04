/* SPDX-License-Identifier: MIT */
/* test_model_check.c — the arithmetic of `check` (src/model/check.c).
 *
 * Each case is fixtures/data/clean.yaml (which adds up) with a few
 * replacements, and the findings that must come out: line:col and the
 * message, in order.  Every rule has a failing case; the clean file and
 * the "passes" cases show it does not raise false alarms (absent parents
 * of empty rows, 4.3 written as 4.30, explicit zeros).  A 10,000-row
 * table checks the loader and the checker stay fast. */
#include "harness.h"
#include "model.h"

#include <unistd.h>

#define MINI_SCHEMA TEST_DIR "/fixtures/schemas/mini.yaml"

typedef struct check_case {
  const char *name;
  const char *replace[8]; /* pairs: text in clean.yaml, its replacement;
                             NULL after the last */
  const char *findings;   /* "line:col: message\n" each */
} check_case;

static const check_case cases[] = {
    {"clean", {NULL}, ""},

    /* ---- hierarchy: a parent equals the sum of its children ---- */
    {"parent row wrong",
     {"{code: 20801, name: 人力资源和社会保障管理事务, 合计: 100.5,",
      "{code: 20801, name: 人力资源和社会保障管理事务, 合计: 100.6,"},
     "31:48: 支出表 row 20801 人力资源和社会保障管理事务, 合计: found 100.6, "
     "expected 100.5 = the sum of its 项 rows\n"},
    {"a child row wrong: blamed where its row sum and the column cross",
     {"合计: 60.5, 基本支出: 60.5}", "合计: 60.6, 基本支出: 60.5}"},
     "32:43: 支出表 row 2080101 行政运行, 合计: found 60.6, expected 60.5 so "
     "that 合计 = 基本支出 + 项目支出 (60.5 = 60.5 + 0) and row 20801 is the "
     "sum of the rows under it\n"},
    {"absent parent whose children sum to non-zero",
     {"合计: 100.5, 基本支出: 60.5, 项目支出: 40}\n      - {code: \"2080101\"",
      "合计: 100.5, 基本支出: 60.5}\n      - {code: \"2080101\""},
     "31:9: 支出表 row 20801 人力资源和社会保障管理事务, 项目支出: found "
     "（空）, expected 40 = the sum of its 项 rows\n"},
    {"passes: absent parent whose children are zero",
     {"{code: 302, name: 商品和服务支出, 合计: 60.5, 人员经费: 0,",
      "{code: 302, name: 商品和服务支出, 合计: 60.5,"},
     ""},
    {"passes: the same figure with another number of decimals",
     {"合计: 1.4, 人员经费: 0, 公用经费: 1.4}", "合计: 1.40, 人员经费: 0.0, "
                                           "公用经费: 1.4}"},
     ""},
    {"items: a row equals the rows indented under it",
     {"{name: 一般公共预算, level: 1, 预算数: 100.5}",
      "{name: 一般公共预算, level: 1, 预算数: 100.4}"},
     "19:29: 收支表 income row 财政拨款, 预算数: found 100.5, expected 100.4 "
     "= the sum of the rows under it\n"},
    {"project rows add up to their 款",
     {"project: upkeep, 项目支出合计: 30, 商品和服务支出: 30}",
      "project: upkeep, 项目支出合计: 31, 商品和服务支出: 31}"},
     "44:52: 项目表 row 20801 人力资源和社会保障管理事务, 项目支出合计: found "
     "40, expected 41 = the sum of its 项 rows\n"
     "44:65: 项目表 row 20801 人力资源和社会保障管理事务, 商品和服务支出: "
     "found 30, expected 31 = the sum of its 项 rows\n"
     "79:21: performance sheet 系统维护经费, 年度资金总额: found 30, expected "
     "31 = the project's 项目支出合计 in 项目表 (line 45)\n"},

    /* ---- totals: the total row equals the sum of the top-level rows ---- */
    {"total row wrong",
     {"total: {合计: 100.5, 基本支出: 60.50", "total: {合计: 101, 基本支出: 60.50"},
     "34:17: 支出表 total row, 合计: found 101, expected 100.5 = the sum of "
     "the top-level rows\n"},
    {"total row left out",
     {"    total: {合计: 100.5, 基本支出: 60.50, 项目支出: 40}\n", ""},
     "29:5: 支出表 total row, 合计: found （空）, expected 100.5 = the sum of "
     "the top-level rows\n"
     "29:5: 支出表 total row, 基本支出: found （空）, expected 60.5 = the sum "
     "of the top-level rows\n"
     "29:5: 支出表 total row, 项目支出: found （空）, expected 40 = the sum of "
     "the top-level rows\n"},

    /* ---- row sums: within a row ---- */
    {"record row sum",
     {"三公表: {合计: 1.4,", "三公表: {合计: 1.5,"},
     "48:13: 三公表, 合计: found 1.5, expected 1.4 = 公务用车运行费 （空） + "
     "公务接待费 1.4\n"},
    {"performance sheet funds",
     {"funds: {年度资金总额: 30, 财政拨款: 30}",
      "funds: {年度资金总额: 30, 财政拨款: 29}"},
     "79:21: performance sheet 系统维护经费, 年度资金总额: found 30, expected "
     "29 = 财政拨款 29 + 其他资金 （空）\n"},

    /* ---- identities between tables ---- */
    {"identity with a record and a code",
     {"三公表: {合计: 1.4, 公务接待费: 1.4}", "三公表: {合计: 1.5, 公务接待费: 1.5}"},
     "48:25: 三公表, 公务接待费: found 1.5, expected 1.4 = 经济表[30217].合计 "
     "(line 39)\n"},
    {"identity for every code, with a row missing on one side",
     {"{code: 201, name: 一般公共服务支出}",
      "{code: 201, name: 一般公共服务支出, 预算数: 1}",
      "{code: 208, name: 社会保障和就业支出, 预算数: 100.5}",
      "{code: 208, name: 社会保障和就业支出, 预算数: 99.5}"},
     "25:44: 收支表 expenditure row 201 一般公共服务支出, 预算数: found 1, "
     "expected 0 = 支出表[201].合计 （空）\n"
     "26:45: 收支表 expenditure row 208 社会保障和就业支出, 预算数: found "
     "99.5, expected 100.5 = 支出表[208].合计 (line 30)\n"},
    {"identity between totals",
     {"{code: 30201, name: 办公费, 合计: 59.1, 人员经费: 0, 公用经费: 59.1}",
      "{code: 30201, name: 办公费, 合计: 59.1, 人员经费: 0, 公用经费: 59.1}\n"
      "      - {code: 30202, name: 印刷费, 合计: 1, 人员经费: 0, 公用经费: 1}",
      "合计: 60.5, 人员经费: 0, 公用经费: 60.5}\n      - {code: 30201",
      "合计: 61.5, 人员经费: 0, 公用经费: 61.5}\n      - {code: 30201",
      "total: {合计: 60.5, 人员经费: 0, 公用经费: 60.5}",
      "total: {合计: 61.5, 人员经费: 0, 公用经费: 61.5}"},
     "34:30: 支出表 total row, 基本支出: found 60.50, expected 61.5 = "
     "经济表.total.合计 (line 41)\n"},
    {"identity with an item named by its label",
     {"{name: 事业收入}", "{name: 事业收入}\n"
                           "        - {name: 其他收入, 预算数: 1}",
      "      total: {预算数: 100.5}\n    expenditure",
      "      total: {预算数: 101.5}\n    expenditure"},
     "23:20: 收支表 income total row, 预算数: found 101.5, expected 100.5 = "
     "收支表.expenditure.total.预算数 (line 28)\n"},

    /* ---- no overflow, ever ---- */
    {"sums too large to add up exactly",
     {"合计: 60.5, 基本支出: 60.5}", "合计: 9223372036854.775807, 基本支出: "
                                  "9223372036854.775807}"},
     "31:48: 支出表 row 20801 人力资源和社会保障管理事务, 合计: the figures "
     "are too large to add up exactly\n"
     "31:61: 支出表 row 20801 人力资源和社会保障管理事务, 基本支出: found "
     "60.5, expected 9223372036854.775807 = the sum of its 项 rows\n"},
};

static char *clean_text;

static char *read_file(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *text = file_read_all(path, 1 << 20, &len, d);
  diag_drop(d);
  return text;
}

/* Replace the one occurrence of from in text (freed) with to. */
static char *replace_once(char *text, const char *from, const char *to) {
  char *at = strstr(text, from);
  CHECK(at != NULL);
  if (!at)
    return text;
  CHECK(strstr(at + 1, from) == NULL);
  bbuf b = {0};
  bbuf_append(&b, text, (size_t)(at - text));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  free(text);
  return b.data;
}

static void collect(const model_finding *f, void *ctx) {
  bbuf_printf(ctx, "%d:%d: %s\n", f->pos.line, f->pos.col, f->message);
}

/* Write text to a temporary file, load it against mini.yaml and return
 * every finding as text (or the load errors, prefixed "load: "). */
static char *findings_of(const char *text) {
  char path[] = "/tmp/budgetpdf-check-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  model_options opts = {.schema_path = MINI_SCHEMA};
  model *m = model_load(path, &opts, d);
  bbuf out = {0};
  bbuf_puts(&out, "");
  if (!m)
    bbuf_printf(&out, "load: %s", capture_text(&c));
  else
    model_check(m, collect, &out);
  model_drop(m);
  diag_drop(d);
  capture_close(&c);
  unlink(path);
  return out.data;
}

TEST(each_rule_passes_and_fails_as_it_should) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *text = xstrdup(clean_text);
    for (size_t k = 0; cases[i].replace[k]; k += 2)
      text = replace_once(text, cases[i].replace[k], cases[i].replace[k + 1]);
    char *got = findings_of(text);
    if (strcmp(got, cases[i].findings))
      fprintf(stderr, "case: %s\n", cases[i].name);
    CHECK_STR(got, cases[i].findings);
    free(got);
    free(text);
  }
}

typedef struct kept {
  model_finding f;
  const char *row_code;
  char *message;
} kept;

static void keep_first(const model_finding *f, void *ctx) {
  kept *k = ctx;
  if (k->message)
    return;
  k->f = *f;
  k->row_code = f->row ? f->row->code : NULL;
  k->message = xstrdup(f->message);
}

TEST(a_finding_names_table_row_column_and_both_figures) {
  char *text = replace_once(xstrdup(clean_text),
                            "{code: 20801, name: 人力资源和社会保障管理事务, "
                            "合计: 100.5,",
                            "{code: 20801, name: 人力资源和社会保障管理事务, "
                            "合计: 100.6,");
  char path[] = "/tmp/budgetpdf-check-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  diag *d = diag_new(NULL);
  model_options opts = {.schema_path = MINI_SCHEMA};
  model *m = model_load(path, &opts, d);
  CHECK(m != NULL);
  kept k = {0};
  CHECK_INT(model_check(m, keep_first, &k), 1);
  CHECK(k.f.rule == MODEL_RULE_HIERARCHY);
  CHECK_STR(k.f.table, "支出表");
  CHECK(k.f.side == NULL);
  CHECK_STR(k.row_code, "20801");
  CHECK_STR(k.f.column, "合计");
  CHECK_STR(k.f.found.text, "100.6");
  CHECK_INT(k.f.expected.value, 1005);
  CHECK_INT(k.f.expected.scale, 1);
  CHECK_INT(k.f.pos.line, 31);
  CHECK_INT(k.f.pos.col, 48);
  CHECK(k.f.pos.file != NULL && !strcmp(k.f.pos.file, path));
  /* The same findings reach a diag, as errors or as warnings. */
  captured_diag c;
  diag *w = diag_new(capture_open(&c));
  CHECK_INT(model_report_findings(m, w, DIAG_WARNING), 1);
  CHECK_INT(diag_warning_count(w), 1);
  CHECK_INT(diag_exit_status(w), BP_EXIT_OK);
  CHECK_CONTAINS(capture_text(&c), ":31:48: warning: 支出表 row 20801");
  diag_drop(w);
  capture_close(&c);
  CHECK_INT(model_check(m, NULL, NULL), 1);
  free(k.message);
  model_drop(m);
  diag_drop(d);
  unlink(path);
  free(text);
}

/* One 类, 100 款, 100 项 each: 10,101 rows that add up. */
TEST(ten_thousand_rows_load_and_check_quickly) {
  bbuf b = {0};
  bbuf_puts(&b, "schema: mini\nlayout: mini\n"
                "document: {unit: 测试单位, year: 2021, amount_unit: 元}\n"
                "tables:\n"
                "  收支表: {income: {rows: []}, expenditure: {rows: []}}\n"
                "  经济表: {rows: []}\n  项目表: {rows: []}\n  三公表: {}\n"
                "  支出表:\n    rows:\n");
  bbuf_puts(&b, "      - {code: 208, name: 类, 合计: 1000000, 基本支出: "
                "1000000}\n");
  for (int k = 0; k < 100; k++) {
    bbuf_printf(&b, "      - {code: 208%02d, name: 款, 合计: 10000, "
                    "基本支出: 10000}\n",
                k);
    for (int x = 0; x < 100; x++)
      bbuf_printf(&b, "      - {code: 208%02d%02d, name: 项, 合计: 100.00, "
                      "基本支出: 100}\n",
                  k, x);
  }
  bbuf_puts(&b, "    total: {合计: 1000000, 基本支出: 1000000}\n");
  char *got = findings_of(b.data);
  /* Only the identities with the empty tables fail. */
  CHECK_STR(got,
            "10112:17: 支出表 total row, 合计: found 1000000, expected 0 = "
            "收支表.expenditure.total.预算数 （空）\n"
            "10112:32: 支出表 total row, 基本支出: found 1000000, expected 0 "
            "= 经济表.total.合计 （空）\n"
            "5:17: 收支表 side income has no row '财政拨款', which the "
            "identity '收支表.income[财政拨款].预算数 = 支出表.total.合计' "
            "(schema mini, line 63) needs; add the row (its cells may be "
            "left blank)\n");
  free(got);
  bbuf_free(&b);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  clean_text = read_file(TEST_DIR "/fixtures/data/clean.yaml");
  if (!clean_text)
    return 1;
  RUN(each_rule_passes_and_fails_as_it_should);
  RUN(a_finding_names_table_row_column_and_both_figures);
  RUN(ten_thousand_rows_load_and_check_quickly);
  free(clean_text);
  return harness_done();
}
