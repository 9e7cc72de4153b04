/* SPDX-License-Identifier: MIT */
/* test_limits.c — libharu's limits (hpdf_consts.h) reached by a document:
 * pages, strings, page-label ranges.  Each is refused before libharu sees
 * it, as an error of the inputs (exit 1) naming the limit, at its position
 * where it has one; one less than each limit renders. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define SMALL TEST_DIR "/fixtures/layout-small.yaml"

static bp_limits limits(void) {
  bp_limits l = {0};
  l.wall_seconds = BP_SANITIZED ? 600 : 120;
  return l;
}

static const char *workdir(const char *name) {
  return bp_workdir("limits-", name);
}

/* dir/layout.yaml: the small layout with `before` put before "pages:" and
 * `after` appended to its document. */
static void write_layout(const char *dir, const char *before,
                         const char *after) {
  char *s = bp_slurp(SMALL);
  char *at = strstr(s, "pages:\n");
  CHECK(at != NULL);
  /* `after` goes at the end of the document list: before the top-level
   * keys that follow it, if any */
  const char *end = strstr(s, "\n# The rest");
  if (!end)
    end = strstr(s, "\nomit:");
  end = end ? end + 1 : s + strlen(s);
  bbuf b = {0};
  bbuf_append(&b, s, (size_t)(at - s));
  bbuf_puts(&b, before ? before : "");
  bbuf_append(&b, at, (size_t)(end - at));
  bbuf_puts(&b, after ? after : "");
  bbuf_puts(&b, end);
  bbuf path = {0};
  bbuf_printf(&path, "%s/layout.yaml", dir);
  CHECK(bp_put(path.data, b.data));
  bbuf_free(&path);
  bbuf_free(&b);
  free(s);
}

static void render(const char *dir, const char *errors, int status) {
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, errors);
  CHECK_INT(r.status, status);
  if (status)
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  else
    CHECK_INT(bp_temporaries(dir, "out.pdf"), 0);
  free(e);
  bp_result_drop(&r);
}

/* n more sections of one page each (the small layout has one of two) */
static char *sections(size_t n, const char *extra) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (size_t i = 0; i < n; i++)
    bbuf_printf(&b, "  - section: {page: a4%s, content: [{paragraph: {text: "
                    "x, style: body}}]}\n",
                extra ? extra : "");
  return b.data;
}

/* The small layout makes one page (a paragraph and 表三).  32,768 pages
 * made libharu fail (exit 3, libharu error 0x1001: its page list holds
 * 32767); the page tree has nodes of 4096 pages past 8191, so they render.
 * The limit left (32767 nodes, 134 million pages, and the objects a file
 * holds) is checked too, but no test makes a document that long. */
TEST(pages) {
  static const size_t extra_sections[] = {8190, 8191, 32767, 40000};
  for (size_t i = 0; i < sizeof extra_sections / sizeof *extra_sections; i++) {
    const char *dir = workdir("pages");
    char *more = sections(extra_sections[i], NULL);
    write_layout(dir, NULL, more);
    render(dir, "", 0);
    free(more);
    /* every page is in the file: its /Type /Page objects counted */
    size_t len = 0, n = 0;
    char *pdf = bp_slurp_len("work/limits-pages/out.pdf", &len);
    static const char page[] = "/Type /Page\n";
    for (size_t k = 0; k + strlen(page) <= len; k++)
      n += !memcmp(pdf + k, page, strlen(page));
    CHECK_INT((int)n, (int)extra_sections[i] + 1);
    free(pdf);
  }
}

/* Page numbering that restarts on every page: two /PageLabels entries
 * each. */
TEST(page_label_restarts) {
  const char *dir = workdir("labels");
  static const char folio[] = "folio: {text: \"{page}\", style: body, page: a4}\n";
  char *more = sections(16383, ", first-page-number: 1");
  write_layout(dir, folio, more);
  render(dir,
         "budgetpdf: error: the document's page numbering restarts 16384 "
         "times; a PDF made with libharu holds at most 16383 restarts "
         "(HPDF_LIMIT_MAX_ARRAY, the page labels)\n",
         1);
  free(more);
  dir = workdir("labels-ok");
  more = sections(16382, ", first-page-number: 1");
  write_layout(dir, folio, more);
  render(dir, "", 0);
  free(more);
}

static char *repeated(const char *s, size_t n) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (size_t i = 0; i < n; i++)
    bbuf_puts(&b, s);
  return b.data;
}

/* Info strings: at their place in the layout. */
TEST(info_strings) {
  static const struct {
    const char *key, *unit;
    size_t count;
    const char *errors; /* NULL: renders */
  } cases[] = {
      {"title", "a", 65535, NULL},
      {"title", "a", 65536,
       "layout.yaml:5:15: error: info title is 65536 bytes once filled in; a "
       "PDF string made with libharu holds at most 65535 "
       "(HPDF_LIMIT_MAX_STRING_LEN)\n"},
      {"title", "预", 21846,
       "layout.yaml:5:15: error: info title is 65538 bytes once filled in; a "
       "PDF string made with libharu holds at most 65535 "
       "(HPDF_LIMIT_MAX_STRING_LEN)\n"},
      {"author", "{unit}", 3000,
       "layout.yaml:5:16: error: info author is 126000 bytes once filled in; "
       "a PDF string made with libharu holds at most 65535 "
       "(HPDF_LIMIT_MAX_STRING_LEN)\n"},
      {"subject", "b", 70000,
       "layout.yaml:5:17: error: info subject is 70000 bytes once filled in; "
       "a PDF string made with libharu holds at most 65535 "
       "(HPDF_LIMIT_MAX_STRING_LEN)\n"},
      {"keywords", "c,", 50000,
       "layout.yaml:5:18: error: info keywords is 100000 bytes once filled "
       "in; a PDF string made with libharu holds at most 65535 "
       "(HPDF_LIMIT_MAX_STRING_LEN)\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("info");
    char *text = repeated(cases[i].unit, cases[i].count);
    bbuf info = {0};
    bbuf_printf(&info, "info: {%s: \"%s\"}\n", cases[i].key, text);
    write_layout(dir, info.data, NULL);
    render(dir, cases[i].errors ? cases[i].errors : "",
           cases[i].errors ? 1 : 0);
    bbuf_free(&info);
    free(text);
  }
}

/* A bookmark: a heading's text in the outline. */
TEST(bookmark_title) {
  const char *dir = workdir("bookmark");
  char *text = repeated("预算", 11000); /* 66000 bytes */
  bbuf more = {0};
  bbuf_printf(&more,
              "  - section: {page: a4, content: [{heading: {text: \"%s\", "
              "style: body, toc: 1}}]}\n",
              text);
  write_layout(dir, NULL, more.data);
  render(dir,
         "budgetpdf: error: the bookmark '预算预算预算预算预算预算预算预算预算…' "
         "is 66000 bytes; a PDF string made with libharu holds at most 65535 "
         "(HPDF_LIMIT_MAX_STRING_LEN)\n",
         1);
  bbuf_free(&more);
  free(text);
}

/* A font whose glyphs are wider than a PDF number libharu writes: the
 * seed font (1024 units per em) with fewer units per em. */
TEST(font_widths) {
  static const struct {
    unsigned upem;
    const char *errors;
  } cases[] = {
      {16, "wide.ttf: error: glyph 24 advances 64000/1000 em; a PDF made with "
           "libharu holds widths up to 32767 (HPDF_LIMIT_MAX_REAL)\n"},
      {20, "wide.ttf: error: glyph 24 advances 51200/1000 em; a PDF made with "
           "libharu holds widths up to 32767 (HPDF_LIMIT_MAX_REAL)\n"},
      {30, "wide.ttf: error: glyph 24 advances 34133/1000 em; a PDF made with "
           "libharu holds widths up to 32767 (HPDF_LIMIT_MAX_REAL)\n"},
      {31, "wide.ttf: error: glyph 24 advances 33032/1000 em; a PDF made with "
           "libharu holds widths up to 32767 (HPDF_LIMIT_MAX_REAL)\n"},
      {40, ""},
  };
  size_t len = 0;
  char *font = bp_slurp_len(SOURCE_DIR "/tests/fuzz/fonts/song-tt.ttf", &len);
  unsigned char *b = (unsigned char *)font;
  size_t head = 0;
  unsigned ntables = (unsigned)b[4] << 8 | b[5];
  for (unsigned i = 0; i < ntables; i++)
    if (!memcmp(b + 12 + 16 * i, "head", 4))
      head = (size_t)b[12 + 16 * i + 8] << 24 | (size_t)b[12 + 16 * i + 9] << 16 |
             (size_t)b[12 + 16 * i + 10] << 8 | b[12 + 16 * i + 11];
  CHECK(head > 0);
  for (size_t i = 0; i < sizeof cases / sizeof *cases && head; i++) {
    const char *dir = workdir("widths");
    b[head + 18] = (unsigned char)(cases[i].upem >> 8);
    b[head + 19] = (unsigned char)cases[i].upem;
    CHECK(bp_put_bytes("work/limits-widths/wide.ttf", font, len));
    bp_limits lim = limits();
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout", SMALL,
                         "-o", "out.pdf", "--font", "仿宋=wide.ttf", NULL);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, cases[i].errors);
    CHECK_INT(r.status, cases[i].errors[0] ? 1 : 0);
    if (cases[i].errors[0])
      CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    free(e);
    bp_result_drop(&r);
  }
  free(font);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(pages);
  RUN(page_label_restarts);
  RUN(info_strings);
  RUN(bookmark_title);
  RUN(font_widths);
  return harness_done();
}
