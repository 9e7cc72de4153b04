/* SPDX-License-Identifier: MIT */
/* test_scale.c — inputs large enough that a pass quadratic in their size
 * would take minutes: 20,000 unknown keys or style names (each with a
 * "did you mean" search), a 目录 of 100,000 entries, a schema of 100,000
 * amount units (each checked for a repeat), a table of 100,000 columns
 * naming fields that do not exist.  Nothing here is timed: the assertions
 * are on the output (lines counted, the summary of repeated errors), and a
 * quadratic pass would only make the test run into ctest's TIMEOUT.
 *
 * The same error is printed 100 times, then summed up once as
 * "… and N more like this"; every one still counts for the exit status. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define REFERENCE_SCHEMA SOURCE_DIR "/schemas/department-budget.yaml"
#define SMALL TEST_DIR "/fixtures/layout-small.yaml"

static bp_limits limits(void) {
  bp_limits l = {0};
  l.wall_seconds = BP_SANITIZED ? 1200 : 600;
  return l;
}

static const char *workdir(const char *name) {
  static char dir[256];
  snprintf(dir, sizeof dir, "work/scale-%s", name);
  bp_fresh_dir(dir);
  return dir;
}

/* dir/name: the file at `from` with the first `old` replaced by `new`. */
static void variant(const char *dir, const char *name, const char *from,
                    const char *old, const char *new) {
  char *s = bp_slurp(from);
  char *at = strstr(s, old);
  CHECK(at != NULL);
  bbuf b = {0};
  if (at) {
    bbuf_append(&b, s, (size_t)(at - s));
    bbuf_puts(&b, new);
    bbuf_puts(&b, at + strlen(old));
  }
  bbuf path = {0};
  bbuf_printf(&path, "%s/%s", dir, name);
  CHECK(bp_put(path.data, b.data ? b.data : ""));
  bbuf_free(&path);
  bbuf_free(&b);
  free(s);
}

/* Lines of text containing needle. */
static size_t count_lines(const char *text, const char *needle) {
  size_t n = 0;
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char *line = xstrndup(p, len);
    n += strstr(line, needle) != NULL;
    free(line);
    p += len + (nl ? 1 : 0);
  }
  return n;
}

/* The N of every "… and N more like this", summed. */
static long long held_back(const char *text) {
  long long total = 0;
  for (const char *p = text; (p = strstr(p, "note: … and "));) {
    p += strlen("note: … and ");
    total += strtoll(p, NULL, 10);
  }
  return total;
}

/* ---------------------------------------------------------------- cases */

#define N_NAMES 20000

TEST(twenty_thousand_unknown_keys) {
  const char *dir = workdir("keys");
  bbuf keys = {0};
  for (int i = 0; i < N_NAMES; i++)
    bbuf_printf(&keys, "%s%05dx: 1\n", i % 2 ? "documnt" : "k", i);
  bbuf_puts(&keys, "pages:\n");
  variant(dir, "layout.yaml", SMALL, "pages:\n", keys.data);
  bbuf_free(&keys);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 1);
  size_t shown = count_lines(r.err, "error: unknown key");
  CHECK(shown <= 200); /* two kinds: with and without a suggestion */
  CHECK_INT((int)(shown + (size_t)held_back(r.err)), N_NAMES);
  CHECK(strstr(r.err, "layout.yaml:6:1: error: unknown key 'documnt00001x' "
                      "in the layout\n"));
  bp_result_drop(&r);
}

TEST(twenty_thousand_unknown_styles_among_twenty_thousand) {
  const char *dir = workdir("styles");
  bbuf styles = {0}, refs = {0};
  bbuf_puts(&styles, "styles:\n");
  for (int i = 0; i < N_NAMES; i++)
    bbuf_printf(&styles, "  s%d: {font: 仿宋, size: 三号}\n", i);
  variant(dir, "step.yaml", SMALL, "styles:\n", styles.data);
  bbuf_puts(&refs, "        - paragraph: {text: \"{unit}{year}\", style: body}\n");
  for (int i = 0; i < N_NAMES; i++)
    bbuf_printf(&refs, "        - paragraph: {text: x, style: t%d}\n", i);
  char *step = bp_slurp("work/scale-styles/step.yaml");
  bbuf step_path = {0};
  bbuf_printf(&step_path, "%s/step.yaml", dir);
  variant(dir, "layout.yaml", step_path.data,
          "        - paragraph: {text: \"{unit}{year}\", style: body}\n",
          refs.data);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 1);
  size_t shown = count_lines(r.err, "error: no style named");
  CHECK(shown <= 200);
  CHECK_INT((int)(shown + (size_t)held_back(r.err)), N_NAMES);
  CHECK(strstr(r.err, "error: no style named 't0'; did you mean 's0'?\n"));
  free(step);
  bbuf_free(&step_path);
  bbuf_free(&styles);
  bbuf_free(&refs);
  bp_result_drop(&r);
}

TEST(toc_of_a_hundred_thousand_entries) {
  const char *dir = workdir("toc");
  bbuf heads = {0};
  bbuf_puts(&heads, "        - toc: {title: 目录, style: body, levels: [body]}\n");
  for (int i = 0; i < 100000; i++)
    bbuf_printf(&heads, "        - heading: {text: h%d, style: body, toc: 1}\n",
                i);
  variant(dir, "layout.yaml", SMALL,
          "        - paragraph: {text: \"{unit}{year}\", style: body}\n",
          heads.data);
  bbuf_free(&heads);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, "");
  CHECK_INT(r.status, 0);
  /* every entry is a link to its heading's page */
  size_t len = 0;
  char *pdf = bp_slurp_len("work/scale-toc/out.pdf", &len);
  size_t links = 0;
  static const char link[] = "/Subtype /Link";
  for (size_t i = 0; i + strlen(link) <= len; i++)
    links += !memcmp(pdf + i, link, strlen(link));
  CHECK_INT((int)links, 100000);
  free(pdf);
  free(e);
  bp_result_drop(&r);
}

static void schema_with_units(const char *dir, int n, bool twice) {
  bbuf units = {0};
  bbuf_puts(&units, "amount_units: [万元, 元");
  for (int k = 0; k < (twice ? 2 : 1); k++)
    for (int i = 0; i < n; i++)
      bbuf_printf(&units, ", u%d", i);
  bbuf_puts(&units, "]");
  variant(dir, "schema.yaml", REFERENCE_SCHEMA, "amount_units: [万元, 元]",
          units.data);
  bbuf_free(&units);
}

TEST(schema_of_a_hundred_thousand_amount_units) {
  const char *dir = workdir("units");
  schema_with_units(dir, 100000, false);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "check", REFERENCE, "--schema",
                       "schema.yaml", NULL);
  CHECK_INT(count_lines(r.err, "amount_units"), 0);
  CHECK_INT(r.status, 1); /* the reference's three published findings */
  bp_result_drop(&r);

  dir = workdir("units-twice");
  schema_with_units(dir, 100000, true);
  r = bp_run(dir, &lim, "check", REFERENCE, "--schema", "schema.yaml", NULL);
  CHECK_INT(r.status, 1);
  CHECK_INT(count_lines(r.err, "appears twice in amount_units"), 100);
  CHECK(strstr(r.err, "error: 'u0' appears twice in amount_units\n"));
  CHECK(strstr(r.err, "schema.yaml: note: … and 99900 more like this\n"));
  bp_result_drop(&r);
}

TEST(table_of_a_hundred_thousand_unknown_columns) {
  const char *dir = workdir("columns");
  bbuf cols = {0};
  bbuf_puts(&cols, "              - {title: 合计, field: 合计, width: 30mm, "
                   "decimals: 2}\n");
  for (int i = 0; i < 100000; i++)
    bbuf_printf(&cols, "              - {title: c, field: zz%d, width: 1mm}\n",
                i);
  variant(dir, "layout.yaml", SMALL,
          "              - {title: 合计, field: 合计, width: 30mm, decimals: 2}\n",
          cols.data);
  bbuf_free(&cols);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 1);
  char *e = bp_without_warnings(r.err);
  CHECK(count_lines(e, "\n") <= 300);
  CHECK_INT(count_lines(e, "has no field 'zz"), 100);
  CHECK(strstr(e, "layout.yaml: note: … and 99900 more like this\n"));
  CHECK(strstr(e, "error: table 表三 is 100120.0mm wide; the type area of "
                  "page 'a4' is 156.0mm\n"));
  free(e);
  bp_result_drop(&r);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(twenty_thousand_unknown_keys);
  RUN(twenty_thousand_unknown_styles_among_twenty_thousand);
  RUN(toc_of_a_hundred_thousand_entries);
  RUN(schema_of_a_hundred_thousand_amount_units);
  RUN(table_of_a_hundred_thousand_unknown_columns);
  return harness_done();
}
