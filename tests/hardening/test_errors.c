/* SPDX-License-Identifier: MIT */
/* test_errors.c — every example of docs/ERRORS.md, run for real.
 *
 * The examples below are the source: each is run (the real binary, in a
 * folder of small inputs made here), its output (stdout, then stderr) and
 * exit status compared exactly, and docs/ERRORS.md must show it verbatim
 * as a ```console block:
 *
 *   $ budgetpdf check nosuch.yaml
 *   nosuch.yaml: error: cannot open: No such file or directory
 *   $ echo $?
 *   2
 *
 * and have no console block that is not one of them.  `./test_errors
 * --print` prints the blocks.  A render that fails must leave the
 * previous out.pdf as it was. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define ERRORS_MD SOURCE_DIR "/docs/ERRORS.md"
#define DIR "work/errors"

enum {
  EX_PREFIX = 1,  /* the output shown ends with "…": compare up to there */
  EX_CTRL_C = 2,  /* SIGINT while the PDF is being written (as ^C) */
  EX_UNSANITIZED = 4 /* needs a memory limit: not under ASan */
};

typedef struct example {
  const char *prelude; /* a shell line run first ("ulimit -v 40000"), or NULL */
  const char *args;    /* what follows "budgetpdf ", split at spaces */
  const char *output;
  int status;
  unsigned flags;
} example;

static const example examples[] = {
    {NULL, "check budget.yaml", "budget.yaml: no findings\n", 0, 0},
    {NULL, "render budget.yaml -o out.pdf", "", 0, 0},
    /* usage */
    {NULL, "render budget.yaml",
     "budgetpdf: error: render needs -o OUT.pdf\n"
     "Try 'budgetpdf --help' for more information.\n", 2, 0},
    {NULL, "render budget.yaml -o out.pdf --font 仿末=mine.ttf",
     "--font 仿末=mine.ttf: error: unknown font role '仿末' in the layout; "
     "did you mean '仿宋'?\n", 2, 0},
    /* I/O */
    {NULL, "check nosuch.yaml",
     "nosuch.yaml: error: cannot open: No such file or directory\n", 2, 0},
    {NULL, "render budget.yaml -o reports/out.pdf",
     "reports/out.pdf: error: cannot write: No such file or directory\n", 2,
     0},
    {"ulimit -f 100", "render budget.yaml -o out.pdf",
     "out.pdf: error: cannot write: File too large\n", 2, 0},
    /* YAML */
    {NULL, "check tabs.yaml",
     "tabs.yaml:5:1: error: YAML syntax: found a tab character that violates "
     "indentation while scanning a plain scalar (a tab: YAML indents with "
     "spaces only)\n"
     "tabs.yaml: note: arithmetic not checked: fix the errors above first\n",
     1, 0},
    {NULL, "check bomb.yaml",
     "bomb.yaml:7:10: error: document expands to more than 2000000 nodes "
     "(alias bomb?); refused\n"
     "bomb.yaml: note: arithmetic not checked: fix the errors above first\n",
     1, 0},
    /* schema */
    {NULL, "check amount.yaml",
     "amount.yaml:35:33: error: 预算数: '168l.99' is not an amount: "
     "unexpected character 'l'\n"
     "amount.yaml: note: arithmetic not checked: fix the errors above first\n",
     1, 0},
    /* check */
    {NULL, "check data/changji-sib-2021.yaml",
     "data/changji-sib-2021.yaml:224:9: error: 表七 row 20825 其他生活救助, "
     "对个人和家庭的补助: found （空）, expected 246 = the sum of its 项 rows\n"
     "data/changji-sib-2021.yaml:209:46: error: 表七 row 208 社会保障和就业支出, "
     "项目支出合计: found 655, expected 901 = the sum of its 款 rows\n"
     "data/changji-sib-2021.yaml:209:9: error: 表七 row 208 社会保障和就业支出, "
     "对个人和家庭的补助: found （空）, expected 246 = the sum of its 款 rows, "
     "taking 20825 as 246\n"
     "data/changji-sib-2021.yaml:262:67: warning: the text says 收支总预算 "
     "3363.98万元; 表一 income total 预算数 is 1681.99\n"
     "data/changji-sib-2021.yaml:278:25: warning: the text says "
     "财政拨款收支总预算 3363.98万元; 表四 income total 合计 is 1681.99\n"
     "data/changji-sib-2021.yaml: note: 5 findings\n", 1, 0},
    {NULL, "render data/changji-sib-2021.yaml -o out.pdf --strict",
     "data/changji-sib-2021.yaml:224:9: error: 表七 row 20825 其他生活救助, "
     "对个人和家庭的补助: found （空）, expected 246 = the sum of its 项 rows\n"
     "data/changji-sib-2021.yaml:209:46: error: 表七 row 208 社会保障和就业支出, "
     "项目支出合计: found 655, expected 901 = the sum of its 款 rows\n"
     "data/changji-sib-2021.yaml:209:9: error: 表七 row 208 社会保障和就业支出, "
     "对个人和家庭的补助: found （空）, expected 246 = the sum of its 款 rows, "
     "taking 20825 as 246\n"
     "data/changji-sib-2021.yaml:262:67: warning: the text says 收支总预算 "
     "3363.98万元; 表一 income total 预算数 is 1681.99\n"
     "data/changji-sib-2021.yaml:278:25: warning: the text says "
     "财政拨款收支总预算 3363.98万元; 表四 income total 合计 is 1681.99\n"
     "data/changji-sib-2021.yaml: note: not rendered: --strict and 5 "
     "findings\n", 1, 0},
    /* font */
    {NULL, "render budget.yaml -o out.pdf --font 仿宋=cut.ttf",
     "--font 仿宋=cut.ttf: error: font file cut.ttf: truncated (table 'cmap' "
     "ends at byte 1028 of 28)\n", 1, 0},
    {NULL, "render private-use.yaml -o out.pdf",
     "private-use.yaml:27:11: error: no font of role 仿宋 has a glyph for "
     "U+E000 '\xEE\x80\x80' (tried Noto Serif CJK SC "
     "(NotoSerifCJK-Regular.ttc#2), AR PL SungtiL GB (gbsn00lp.ttf))\n", 1, 0},
    /* layout */
    {NULL, "render budget.yaml -o out.pdf --layout field.yaml",
     "field.yaml:22:36: error: table 表三 has no field '合记'; did you mean "
     "'合计'?\n", 1, 0},
    {NULL, "render budget.yaml -o out.pdf --layout wide.yaml",
     "wide.yaml:15:11: error: table 表三 is 220.0mm wide; the type area of "
     "page 'a4' is 156.0mm\n", 1, 0},
    /* lengths, libharu's limits, -o naming a font (issue 14) */
    {NULL, "render budget.yaml -o out.pdf --layout leading.yaml",
     "leading.yaml:8:39: error: leading must be between 1pt and 1000pt "
     "(352.8mm), not '0'\n", 1, 0},
    {NULL, "render budget.yaml -o out.pdf --layout labels.yaml",
     "budgetpdf: error: the document's page numbering restarts 16384 times; "
     "a PDF made with libharu holds at most 16383 restarts "
     "(HPDF_LIMIT_MAX_ARRAY, the page labels)\n",
     1, 0},
    {NULL, "render budget.yaml -o mine.ttf --font 仿宋=mine.ttf",
     "budgetpdf: error: -o mine.ttf is the font file of --font 仿宋=mine.ttf; "
     "the PDF would replace it\n", 2, 0},
    {NULL, "render budget.yaml -o out.pdf --layout omits.yaml",
     "omits.yaml:15:11: error: the data's table 表九 is placed nowhere in the "
     "layout; add a 'table: {data: 表九, ...}' block after the one placing "
     "表三 (or list it under 'omit:')\n", 1, 0},
    /* internal */
    {"ulimit -v 40000", "check big.yaml", "budgetpdf: error: out of memory\n",
     3, EX_UNSANITIZED},
    /* signal */
    {NULL, "render budget.yaml -o out.pdf",
     "budgetpdf: error: interrupted by SIGINT; no PDF written\n", 130,
     EX_CTRL_C},
};

/* The block docs/ERRORS.md shows for an example. */
static char *block_of(const example *e) {
  bbuf b = {0};
  bbuf_puts(&b, "```console\n");
  if (e->prelude)
    bbuf_printf(&b, "$ %s\n", e->prelude);
  bbuf_printf(&b, "$ budgetpdf %s\n", e->args);
  if (e->flags & EX_CTRL_C)
    bbuf_puts(&b, "^C\n");
  bbuf_printf(&b, "%s$ echo $?\n%d\n```\n", e->output, e->status);
  return b.data;
}

/* ---------------------------------------------------------------- inputs */

static void put_in(const char *name, const char *text) {
  bbuf p = {0};
  bbuf_printf(&p, "%s/%s", DIR, name);
  CHECK(bp_put(p.data, text));
  bbuf_free(&p);
}

/* text with the first `from` replaced by `to` (a new string). */
static char *edit(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  CHECK(at != NULL);
  bbuf b = {0};
  bbuf_puts(&b, "");
  if (!at)
    return b.data;
  bbuf_append(&b, text, (size_t)(at - text));
  bbuf_puts(&b, to);
  bbuf_puts(&b, at + strlen(from));
  return b.data;
}

static void make_inputs(void) {
  bp_fresh_dir(DIR "/data");
  char *ref = bp_slurp(REFERENCE);
  put_in("data/changji-sib-2021.yaml", ref);
  /* budget.yaml: the reference with its five published mistakes
   * corrected, so that check finds nothing. */
  char *a = edit(ref, "{code: 208, name: 社会保障和就业支出, 项目支出合计: 655, "
                      "商品和服务支出: 655}",
                 "{code: 208, name: 社会保障和就业支出, 项目支出合计: 901, "
                 "商品和服务支出: 655, 对个人和家庭的补助: 246}");
  char *b = edit(a, "{code: 20825, name: 其他生活救助, 项目支出合计: 246}",
                 "{code: 20825, name: 其他生活救助, 项目支出合计: 246, "
                 "对个人和家庭的补助: 246}");
  free(a);
  /* and the text's two 收支总预算3363.98万元 claims (1681.99) */
  a = edit(b, "收支总预算3363.98万元", "收支总预算1681.99万元");
  free(b);
  char *budget = edit(a, "收支总预算3363.98万元", "收支总预算1681.99万元");
  put_in("budget.yaml", budget);
  free(a);
  a = edit(budget, "预算数: 1681.99}", "预算数: 168l.99}");
  put_in("amount.yaml", a);
  free(a);
  /* A character no font has: U+E000, private use, in a paragraph. */
  a = edit(budget, "下设16个科室", "下设16个\xEE\x80\x80科室");
  put_in("private-use.yaml", a);
  free(a);
  free(budget);
  free(ref);
  put_in("tabs.yaml", "schema: department-budget\nlayout: department-budget\n"
                      "document:\n  unit: 测试单位\n\tyear: 2021\n");
  bbuf bomb = {0};
  bbuf_puts(&bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 10; i++) {
    bbuf_printf(&bomb, "a%d: &a%d [", i, i);
    for (int j = 0; j < 10; j++)
      bbuf_printf(&bomb, "%s*a%d", j ? ", " : "", i - 1);
    bbuf_puts(&bomb, "]\n");
  }
  put_in("bomb.yaml", bomb.data);
  bbuf_free(&bomb);
  char *layout = bp_slurp(TEST_DIR "/fixtures/layout-small.yaml");
  a = edit(layout, "field: 合计,", "field: 合记,");
  put_in("field.yaml", a);
  free(a);
  a = edit(layout, "width: 60mm", "width: 160mm");
  put_in("wide.yaml", a);
  free(a);
  a = edit(layout, "size: 三号}", "size: 三号, leading: \"0\"}");
  put_in("leading.yaml", a);
  free(a);
  /* page numbers, and 16383 more sections each restarting them */
  bbuf labels = {0};
  const char *rest = strstr(layout, "\n# The rest");
  if (!rest)
    rest = strstr(layout, "\nomit:");
  rest = rest ? rest + 1 : layout + strlen(layout);
  const char *pages_key = strstr(layout, "pages:\n");
  CHECK(pages_key && pages_key < rest);
  bbuf_append(&labels, layout, (size_t)(pages_key - layout));
  bbuf_puts(&labels, "folio: {text: \"{page}\", style: body, page: a4}\n");
  bbuf_append(&labels, pages_key, (size_t)(rest - pages_key));
  for (int i = 0; i < 16383; i++)
    bbuf_puts(&labels, "  - section: {page: a4, first-page-number: 1, "
                       "content: [{paragraph: {text: x, style: body}}]}\n");
  bbuf_puts(&labels, rest);
  put_in("labels.yaml", labels.data);
  bbuf_free(&labels);
  size_t font_len = 0; /* a font of a few glyphs: the role falls back */
  char *font = bp_slurp_len(SOURCE_DIR "/tests/fuzz/fonts/song-tt.ttf",
                            &font_len);
  CHECK(bp_put_bytes(DIR "/mine.ttf", font, font_len));
  free(font);
  a = edit(layout, " 表九,", "");
  put_in("omits.yaml", a);
  free(a);
  free(layout);
  static const unsigned char cut[28] = {0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0,
                                        'c', 'm', 'a', 'p', 0, 0, 0, 0,
                                        0, 0, 0, 28, 0, 0, 3, 232};
  CHECK(bp_put_bytes(DIR "/cut.ttf", cut, sizeof cut));
  if (!BP_SANITIZED) { /* 40 MB of comment lines */
    size_t n = (size_t)40 << 20;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++)
      big[i] = i % 64 == 63 ? '\n' : '#';
    CHECK(bp_put_bytes(DIR "/big.yaml", big, n));
    free(big);
  }
}

/* ---------------------------------------------------------------- running */

/* Ctrl-C while the complete temporary PDF exists: the test build is
 * stopped at its test point "before-rename" (runner.h). */
static void send_sigint_when_writing(pid_t pid, const char *dir, void *ctx) {
  bool *seen = ctx;
  *seen = bp_temporaries(dir, "out.pdf") > 0;
  kill(pid, SIGINT);
}

static void run_example(const example *e) {
  if ((e->flags & EX_UNSANITIZED) && BP_SANITIZED) {
    printf("skip under sanitizers: budgetpdf %s\n", e->args);
    return;
  }
  int failures_before = harness_failures;
  CHECK(bp_put(DIR "/out.pdf", bp_previous_pdf));
  bp_limits lim = {0};
  lim.wall_seconds = BP_SANITIZED ? 300 : 60;
  unsigned long n;
  if (e->prelude && sscanf(e->prelude, "ulimit -v %lu", &n) == 1)
    lim.memory_bytes = (rlim_t)n * 1024;
  if (e->prelude && sscanf(e->prelude, "ulimit -f %lu", &n) == 1) {
    lim.file_bytes = (rlim_t)n * 1024;
    lim.xfsz_default = true; /* as a shell leaves it */
  }
  bool seen = false;
  if (e->flags & EX_CTRL_C) {
    lim.stop_at = "before-rename";
    lim.while_stopped = send_sigint_when_writing;
    lim.ctx = &seen;
  }
  char *args = xstrdup(e->args);
  const char *argv[32];
  size_t argc = 0;
  for (char *save, *t = strtok_r(args, " ", &save); t && argc < 31;
       t = strtok_r(NULL, " ", &save))
    argv[argc++] = t;
  argv[argc] = NULL;
  bp_result r = bp_runv(DIR, &lim, argv);
  bbuf got = {0};
  bbuf_puts(&got, r.out);
  bbuf_puts(&got, r.err);
  const char *ellipsis = strstr(e->output, "…\n");
  if (e->flags & EX_PREFIX) {
    size_t keep = (size_t)(ellipsis - e->output);
    CHECK(ellipsis && got.len > keep && !strncmp(got.data, e->output, keep));
    if (strncmp(got.data, e->output, keep))
      fprintf(stderr, "budgetpdf %s\n   got: %s\n  want: %s\n", e->args,
              got.data, e->output);
  } else {
    CHECK_STR(got.data, e->output);
  }
  CHECK_INT(r.status, e->status);
  if (e->flags & EX_CTRL_C)
    CHECK(seen);
  if (e->status != 0 && strstr(e->args, "-o out.pdf"))
    CHECK_PREVIOUS_KEPT(DIR, "out.pdf");
  if (e->status == 0 && strstr(e->args, "-o out.pdf")) {
    char *pdf = bp_slurp(DIR "/out.pdf");
    CHECK(!strncmp(pdf, "%PDF-", 5));
    free(pdf);
  }
  if (harness_failures > failures_before)
    fprintf(stderr, "  (in: budgetpdf %s)\n", e->args);
  bbuf_free(&got);
  bp_result_drop(&r);
  free(args);
}

TEST(every_example_runs_as_shown) {
  make_inputs();
  for (size_t i = 0; i < sizeof examples / sizeof *examples; i++)
    run_example(&examples[i]);
}

TEST(errors_md_shows_every_example_and_no_other) {
  char *doc = bp_slurp(ERRORS_MD);
  size_t blocks = 0;
  for (const char *p = doc; (p = strstr(p, "```console\n")); p++)
    blocks++;
  CHECK_INT(blocks, sizeof examples / sizeof *examples);
  for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
    char *b = block_of(&examples[i]);
    if (!strstr(doc, b)) {
      CHECK(!"docs/ERRORS.md shows this example");
      fprintf(stderr, "missing from docs/ERRORS.md:\n%s", b);
    }
    free(b);
  }
  free(doc);
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "--print")) {
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
      char *b = block_of(&examples[i]);
      printf("%s\n", b);
      free(b);
    }
    return 0;
  }
  harness_init(argc, argv);
  RUN(every_example_runs_as_shown);
  RUN(errors_md_shows_every_example_and_no_other);
  return harness_done();
}
