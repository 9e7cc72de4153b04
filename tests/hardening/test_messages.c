/* SPDX-License-Identifier: MIT */
/* test_messages.c — what a message may print, and messages that used to
 * mislead, through the real binary.
 *
 * Text from an input (a YAML key, a font's table tag, a file name) reaches
 * the terminal escaped: an ESC byte as \x1b, C1 controls and bidirectional
 * overrides as \u009B / \u202E, a NUL as \x00 (it used to cut the message
 * short).  And: an empty font role, an unknown role at its style, a font's
 * impossible unitsPerEm, a SOURCE_DATE_EPOCH past what a PDF date holds,
 * files too large without any alias, memory running out in HarfBuzz — each
 * says what it is. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define SMALL TEST_DIR "/fixtures/layout-small.yaml"
#define SEED_FONT SOURCE_DIR "/tests/fuzz/fonts/song-tt.ttf"

static bp_limits limits(void) {
  bp_limits l = {0};
  l.wall_seconds = BP_SANITIZED ? 300 : 60;
  return l;
}

static const char *workdir(const char *name) {
  return bp_workdir("messages-", name);
}

static void put_in(const char *dir, const char *name, const void *bytes,
                   size_t n) {
  bbuf p = {0};
  bbuf_printf(&p, "%s/%s", dir, name);
  CHECK(bp_put_bytes(p.data, bytes, n));
  bbuf_free(&p);
}

/* dir/layout.yaml: the small layout with `from` replaced by `to`. */
static void layout_variant(const char *dir, const char *from, const char *to) {
  bp_layout_variant(dir, SMALL, from, to);
}

static void expect(bp_result *r, const char *errors, int status) {
  char *e = bp_without_warnings(r->err);
  CHECK_STR(e, errors);
  CHECK_INT(r->status, status);
  free(e);
  bp_result_drop(r);
}

static bp_result render_layout(const char *dir) {
  bp_limits lim = limits();
  return bp_run(dir, &lim, "render", REFERENCE, "--layout", "layout.yaml",
                "-o", "out.pdf", NULL);
}

/* ---------------------------------------------------------------- escaping */

TEST(keys_from_yaml_are_escaped) {
  static const struct {
    const char *key, *shown;
  } cases[] = {
      {"\"\\e[2J\"", "\\x1b[2J"},           /* the "\e" key */
      {"\"\\e]0;pwned\\a\"", "\\x1b]0;pwned\\x07"}, /* sets a window title */
      {"\"\\x9b2J\"", "\\u009B2J"},          /* C1 CSI */
      {"\"abc\\u202Efdp.exe\"", "abc\\u202Efdp.exe"}, /* right-to-left override */
      {"\"\\x7f\\b\\r\"", "\\x7f\\x08\\x0d"},
      {"\"tab\\there\"", "tab\\x09here"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("keys");
    bbuf to = {0};
    bbuf_printf(&to, "%s: 1\npages:\n", cases[i].key);
    layout_variant(dir, "pages:\n", to.data);
    bp_result r = render_layout(dir);
    bbuf want = {0};
    bbuf_printf(&want, "layout.yaml:5:1: error: unknown key '%s' in the layout\n",
                cases[i].shown);
    expect(&r, want.data, 1);
    bbuf_free(&want);
    bbuf_free(&to);
  }
}

/* A font whose only table has a hostile tag, running past the end. */
TEST(font_table_tags_are_escaped) {
  static const struct {
    const char tag[4];
    const char *shown;
  } cases[] = {
      {{0x1b, '[', '2', 'J'}, "\\x1b[2J"},
      {{0, 'c', 'm', 'a'}, "\\x00cma"},
      {{'c', 'm', 'a', 0}, "cma\\x00"},
      {{(char)0x9b, 'a', 'b', 'c'}, "\\x9babc"},
      {{'\\', 'x', '4', '1'}, "\\x5cx41"},
      {{'c', 'm', 'a', 'p'}, "cmap"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("tags");
    unsigned char cut[28] = {0, 1, 0, 0, 0, 1, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0,
                             0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 3, 232};
    memcpy(cut + 12, cases[i].tag, 4);
    put_in(dir, "cut.ttf", cut, sizeof cut);
    bp_limits lim = limits();
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf",
                         "--font", "仿宋=cut.ttf", NULL);
    bbuf want = {0};
    bbuf_printf(&want,
                "--font 仿宋=cut.ttf: error: font file cut.ttf: truncated "
                "(table '%s' ends at byte 1028 of 28)\n",
                cases[i].shown);
    expect(&r, want.data, 1);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    bbuf_free(&want);
  }
}

/* A file name from the command line, in an I/O error. */
TEST(file_names_are_escaped) {
  const char *dir = workdir("names");
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o",
                       "no\x1b[2Jsuch/out.pdf", NULL);
  expect(&r,
         "no\\x1b[2Jsuch/out.pdf: error: cannot write: No such file or "
         "directory\n",
         2);
}

/* ---------------------------------------------------------------- fonts */

TEST(font_roles_in_styles) {
  static const struct {
    const char *font, *errors;
  } cases[] = {
      {"\"\"", "layout.yaml:8:16: error: style 'body': font must name a font "
               "role of the fonts file (宋体, 黑体 …), not ''\n"},
      {"仿末", "layout.yaml:8:16: error: unknown font role '仿末' in the fonts "
               "file; did you mean '仿宋'?\n"},
      {"\"\\e[2J\"", "layout.yaml:8:16: error: unknown font role '\\x1b[2J' "
                     "in the fonts file\n"},
      {"Song", "layout.yaml:8:16: error: unknown font role 'Song' in the "
               "fonts file\n"},
      {"宋", "layout.yaml:8:16: error: unknown font role '宋' in the fonts "
             "file; did you mean '宋体'?\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("roles");
    bbuf to = {0};
    bbuf_printf(&to, "body: {font: %s,", cases[i].font);
    layout_variant(dir, "body: {font: 仿宋,", to.data);
    bp_result r = render_layout(dir);
    expect(&r, cases[i].errors, 1);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    bbuf_free(&to);
  }
}

/* head.unitsPerEm outside 16–16384, in a copy of a seed font. */
TEST(units_per_em_out_of_range) {
  static const unsigned values[] = {0, 1, 15, 16385, 65535};
  size_t len = 0;
  char *font = bp_slurp_len(SEED_FONT, &len);
  unsigned char *b = (unsigned char *)font;
  size_t head = 0;
  unsigned ntables = (unsigned)b[4] << 8 | b[5];
  for (unsigned i = 0; i < ntables; i++)
    if (!memcmp(b + 12 + 16 * i, "head", 4))
      head = (size_t)b[12 + 16 * i + 8] << 24 | (size_t)b[12 + 16 * i + 9] << 16 |
             (size_t)b[12 + 16 * i + 10] << 8 | b[12 + 16 * i + 11];
  CHECK(head > 0);
  for (size_t i = 0; i < sizeof values / sizeof *values && head; i++) {
    const char *dir = workdir("upem");
    b[head + 18] = (unsigned char)(values[i] >> 8);
    b[head + 19] = (unsigned char)values[i];
    put_in(dir, "bad.ttf", font, len);
    bp_limits lim = limits();
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf",
                         "--font", "宋体=bad.ttf", NULL);
    bbuf want = {0};
    bbuf_printf(&want,
                "--font 宋体=bad.ttf: error: font file bad.ttf: not a usable "
                "font (head.unitsPerEm is %u; a font has 16 to 16384 units per "
                "em)\n",
                values[i]);
    expect(&r, want.data, 1);
    bbuf_free(&want);
  }
  free(font);
}

/* Memory running out while fonts are read and text shaped is out of
 * memory (3), never a bad font (1). */
TEST(memory_out_in_harfbuzz_is_not_a_bad_font) {
  if (BP_SANITIZED)
    return; /* no address-space limit under ASan */
  for (rlim_t mb = 90; mb <= 130; mb += 8) {
    const char *dir = workdir("memory");
    bp_limits lim = limits();
    lim.memory_bytes = mb << 20;
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "-o", "out.pdf", NULL);
    CHECK(r.status == 0 || r.status == 3);
    CHECK(!strstr(r.err, "font"));
    if (r.status == 3) {
      char *e = bp_without_warnings(r.err);
      CHECK_STR(e, "budgetpdf: error: out of memory\n");
      free(e);
      CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    }
    bp_result_drop(&r);
  }
}

/* ---------------------------------------------------------------- dates */

TEST(source_date_epoch_beyond_a_pdf_date) {
  static const char *const bad[] = {"253402300800", "253402300801",
                                    "99999999999999999999", "-1", "1e10",
                                    "9223372036854775807"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *dir = workdir("epoch");
    bbuf env = {0};
    bbuf_printf(&env, "SOURCE_DATE_EPOCH=%s", bad[i]);
    bp_limits lim = limits();
    lim.env = env.data;
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout", SMALL,
                         "-o", "out.pdf", NULL);
    bbuf want = {0};
    bbuf_printf(&want,
                "budgetpdf: error: SOURCE_DATE_EPOCH must be seconds since "
                "1970 up to 253402300799 (9999-12-31T23:59:59Z, the last date "
                "a PDF can hold), not '%s'\n",
                bad[i]);
    expect(&r, want.data, 2);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    bbuf_free(&want);
    bbuf_free(&env);
  }
  /* the last second renders, with its own date */
  const char *dir = workdir("epoch-last");
  bp_limits lim = limits();
  lim.env = "SOURCE_DATE_EPOCH=253402300799";
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout", SMALL,
                       "-o", "out.pdf", NULL);
  CHECK_INT(r.status, 0);
  size_t len = 0;
  char *pdf = bp_slurp_len("work/messages-epoch-last/out.pdf", &len);
  bool found = false;
  for (size_t i = 0; i + 16 <= len && !found; i++)
    found = !memcmp(pdf + i, "D:99991231235959", 16);
  CHECK(found);
  free(pdf);
  bp_result_drop(&r);
}

/* ---------------------------------------------------------------- sizes */

/* Large files with no alias: said as what they are, not "alias bomb". */
TEST(large_files_without_aliases) {
  const char *dir = workdir("sizes");
  bbuf text = {0};
  for (int i = 0; i < 17; i++) {
    bbuf_printf(&text, "k%d: \"", i);
    for (int k = 0; k < 100000; k++)
      bbuf_puts(&text, "0123456789");
    bbuf_puts(&text, "\"\n");
  }
  put_in(dir, "text.yaml", text.data, text.len);
  bbuf nodes = {0};
  bbuf_puts(&nodes, "a: [1");
  for (int i = 0; i < 2000000; i++)
    bbuf_puts(&nodes, ",1");
  bbuf_puts(&nodes, "]\n");
  put_in(dir, "nodes.yaml", nodes.data, nodes.len);
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "check", "text.yaml", NULL);
  expect(&r,
         "text.yaml:17:6: error: the file has more than 16777216 bytes of "
         "text; refused\n"
         "text.yaml: note: arithmetic not checked: fix the errors above "
         "first\n",
         1);
  r = bp_run(dir, &lim, "check", "nodes.yaml", NULL);
  expect(&r,
         "nodes.yaml:1:3999999: error: the file has more than 2000000 nodes "
         "(values, lists and mappings); refused\n"
         "nodes.yaml: note: arithmetic not checked: fix the errors above "
         "first\n",
         1);
  bbuf_free(&text);
  bbuf_free(&nodes);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(keys_from_yaml_are_escaped);
  RUN(font_table_tags_are_escaped);
  RUN(file_names_are_escaped);
  RUN(font_roles_in_styles);
  RUN(units_per_em_out_of_range);
  RUN(memory_out_in_harfbuzz_is_not_a_bad_font);
  RUN(source_date_epoch_beyond_a_pdf_date);
  RUN(large_files_without_aliases);
  return harness_done();
}
