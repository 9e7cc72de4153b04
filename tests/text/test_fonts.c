/* SPDX-License-Identifier: MIT */
/* test_fonts.c — font roles, fallback and refusals (src/text):
 * fonts.yaml loading and its errors; a character missing in the first
 * candidate drawn with the next; the missing-glyph error (U+XXXX, the
 * character, file:line:col); fonts refused for their licence (OS/2
 * fsType), missing, truncated or not fonts at all — each with a message
 * naming the file and the reason.  Fixtures are made at test time in the
 * build directory from a Debian font (a small hb-subset of it). */
#include "harness.h"
#include "text.h"

#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <unistd.h>

#define GBSN "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define NOTO_SERIF "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
#define WQY "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static void write_file(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  fwrite(p, 1, n, f);
  fclose(f);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A small TrueType font: AR PL SungtiL GB cut down to a few glyphs, with
 * its OS/2 fsType set to fs_type.  Returns its bytes (free them). */
static unsigned char *small_font(unsigned fs_type, size_t *len) {
  hb_blob_t *blob = hb_blob_create_from_file(GBSN);
  hb_face_t *face = hb_face_create(blob, 0);
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  const char *text = "一二三";
  for (const char *p = text; *p;) {
    uint32_t cp;
    p += utf8_decode(p, strlen(p), &cp);
    hb_set_add(hb_subset_input_unicode_set(in), cp);
  }
  hb_face_t *sub = hb_subset_or_fail(face, in);
  hb_blob_t *out = hb_face_reference_blob(sub);
  unsigned n;
  const char *data = hb_blob_get_data(out, &n);
  unsigned char *bytes = xmalloc(n);
  memcpy(bytes, data, n);
  *len = n;
  unsigned ntables = (unsigned)bytes[4] << 8 | bytes[5];
  for (unsigned i = 0; i < ntables; i++) {
    unsigned char *rec = bytes + 12 + i * 16;
    if (!memcmp(rec, "OS/2", 4)) {
      unsigned char *os2 = bytes + be32(rec + 8);
      os2[8] = (unsigned char)(fs_type >> 8);
      os2[9] = (unsigned char)fs_type;
    }
  }
  hb_blob_destroy(out);
  hb_face_destroy(sub);
  hb_subset_input_destroy(in);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return bytes;
}

/* The error text_fonts_set_role reports for spec (NUL if none). */
static char *set_role_error(const char *spec) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  text_fonts *f = text_fonts_new();
  bool ok = text_fonts_set_role(f, "仿宋", spec, (src_pos){0}, d);
  char *msg = xstrdup(capture_text(&c));
  if (ok != (msg[0] == 0))
    msg[0] = '?'; /* status and message disagree: make the test fail */
  text_fonts_drop(f);
  diag_drop(d);
  capture_close(&c);
  return msg;
}

TEST(refuses_restricted_licence_font) {
  size_t n;
  unsigned char *b = small_font(0x0002, &n);
  write_file("restricted.ttf", b, n);
  free(b);
  char *msg = set_role_error("restricted.ttf");
  CHECK_STR(msg, "budgetpdf: error: font file restricted.ttf: its licence forbids "
                 "embedding (OS/2 fsType 0x0002: restricted licence); a PDF "
                 "cannot use it\n");
  free(msg);
}

TEST(refuses_no_subsetting_font) {
  size_t n;
  unsigned char *b = small_font(0x0100, &n);
  write_file("nosubset.ttf", b, n);
  free(b);
  char *msg = set_role_error("nosubset.ttf");
  CHECK_STR(msg, "budgetpdf: error: font file nosubset.ttf: its licence forbids "
                 "subsetting (OS/2 fsType 0x0100); budgetpdf embeds subsets only\n");
  free(msg);
}

TEST(accepts_installable_and_editable_fonts) {
  size_t n;
  unsigned char *b = small_font(0x0008, &n);
  write_file("editable.ttf", b, n);
  free(b);
  char *msg = set_role_error("editable.ttf");
  CHECK_STR(msg, "");
  free(msg);
}

TEST(refuses_missing_truncated_and_non_fonts) {
  char *msg = set_role_error("/nonexistent/仿宋_GB2312.ttf");
  CHECK_STR(msg, "budgetpdf: error: font file /nonexistent/仿宋_GB2312.ttf: cannot "
                 "open: No such file or directory\n");
  free(msg);

  size_t n;
  unsigned char *b = small_font(0, &n);
  write_file("truncated.ttf", b, n / 2);
  free(b);
  msg = set_role_error("truncated.ttf");
  CHECK_CONTAINS(msg, "budgetpdf: error: font file truncated.ttf: truncated (table '");
  CHECK_CONTAINS(msg, "of " );
  free(msg);

  write_file("header-only.ttf", "\0\1\0\0\0\x10", 6);
  msg = set_role_error("header-only.ttf");
  CHECK_STR(msg, "budgetpdf: error: font file header-only.ttf: not a font file "
                 "(only 6 bytes)\n");
  free(msg);

  const char text[] = "这不是字体文件，只是一段文字。\n";
  write_file("not-a-font.ttf", text, sizeof text - 1);
  msg = set_role_error("not-a-font.ttf");
  CHECK_STR(msg, "budgetpdf: error: font file not-a-font.ttf: not a TrueType or "
                 "OpenType font\n");
  free(msg);

  msg = set_role_error(".");
  CHECK_STR(msg, "budgetpdf: error: font file .: not a regular file\n");
  free(msg);

  msg = set_role_error(WQY "#7");
  CHECK_STR(msg, "budgetpdf: error: font file " WQY ": face index 7 out of range "
                 "(the collection has 3 faces)\n");
  free(msg);

  msg = set_role_error(GBSN "#1");
  CHECK_STR(msg, "budgetpdf: error: font file " GBSN ": face index 1 given, but "
                 "the file is not a collection\n");
  free(msg);
}

TEST(falls_back_to_the_next_candidate_per_character) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", NOTO_SERIF "#2", (src_pos){0}, d));
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  arena *a = arena_new();
  /* 〘〙 are not in GB 2312, so AR PL SungtiL GB lacks them. */
  const char *text = "一〘二〙三";
  text_para_spec ps = {.style = {text_fonts_lookup_role(f, "宋体"), 10}};
  const text_paragraph *p = text_break(s, &ps, text, strlen(text), (src_pos){0}, a, d);
  CHECK_INT(p->missing, 0);
  CHECK_INT(p->nlines, 1);
  CHECK_INT(p->lines[0].nruns, 5);
  text_face_info fi;
  const char *want[] = {"gbsn00lp.ttf", "NotoSerifCJK-Regular.ttc", "gbsn00lp.ttf",
                        "NotoSerifCJK-Regular.ttc", "gbsn00lp.ttf"};
  for (size_t i = 0; i < p->lines[0].nruns && i < 5; i++) {
    text_face_describe(p->lines[0].runs[i].face, &fi);
    CHECK_STR(strrchr(fi.path, '/') + 1, want[i]);
  }
  /* the fallback face is opened only because it was needed */
  CHECK_INT(text_fonts_face_count(f), 2);
  CHECK_INT(diag_error_count(d), 0);
  arena_drop(a);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
}

TEST(missing_glyph_names_code_point_character_and_position) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  arena *a = arena_new();
  src_pos pos = {diag_intern_file(d, "data/budget.yaml"), 42, 17};
  const char *text = "合计😀元";
  text_para_spec ps = {.style = {0, 10}};
  const text_paragraph *p = text_break(s, &ps, text, strlen(text), pos, a, d);
  CHECK_STR(capture_text(&c),
            "data/budget.yaml:42:17: error: no font of role 宋体 has a glyph for "
            "U+1F600 '😀' (tried AR PL SungtiL GB (gbsn00lp.ttf))\n");
  CHECK_INT(p->missing, 1);
  /* left out, not drawn as .notdef: three glyphs, none of them glyph 0 */
  size_t glyphs = 0;
  for (size_t r = 0; r < p->lines[0].nruns; r++)
    for (size_t g = 0; g < p->lines[0].runs[r].count; g++, glyphs++)
      CHECK(p->lines[0].runs[r].glyphs[g].id != 0);
  CHECK_INT(glyphs, 3);
  /* served from the cache, the same text at another place is reported
   * there too */
  double w;
  src_pos pos2 = {pos.file, 50, 3};
  CHECK(!text_measure(s, ps.style, text, strlen(text), pos2, &w, d));
  CHECK_CONTAINS(capture_text(&c), "data/budget.yaml:50:3: error: no font of role "
                                   "宋体 has a glyph for U+1F600 '😀'");
  CHECK_INT(diag_kind_count(d, DIAG_FONT), 2);
  arena_drop(a);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
  capture_close(&c);
}

TEST(measures_and_caches) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  double w = 0;
  text_style st = {0, 10.5};
  CHECK(text_measure(s, st, "一般公共预算", strlen("一般公共预算"), (src_pos){0}, &w, d));
  CHECK(fabs(w - 63) < 1e-9);
  CHECK(text_measure(s, st, "1681.99", 7, (src_pos){0}, &w, d));
  CHECK(fabs(w - 36.75) < 1e-9); /* 7 half-width characters */
  CHECK(text_measure(s, st, "1681.99", 7, (src_pos){0}, &w, d));
  text_shaper_stats stats;
  text_shaper_lookup_stats(s, &stats);
  CHECK_INT(stats.cache_hits, 1);
  CHECK_INT(stats.cache_entries, 2);
  CHECK(text_measure(s, st, "", 0, (src_pos){0}, &w, d) && w == 0);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
}

TEST(loads_the_default_configuration_lazily) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  CHECK(f != NULL);
  const char *roles[] = {"宋体", "黑体", "楷体", "仿宋", "小标宋", NULL};
  for (int i = 0; roles[i]; i++)
    CHECK(text_fonts_lookup_role(f, roles[i]) >= 0);
  CHECK_INT(text_fonts_lookup_role(f, "隶书"), -1);
  CHECK_INT(text_fonts_face_count(f), 0); /* nothing opened yet */
  CHECK(text_fonts_check_roles(f, roles, (src_pos){0}, d));
  CHECK_INT(text_fonts_face_count(f), 5); /* first candidates only */
  CHECK_INT(diag_error_count(d), 0);
  text_face_info fi;
  text_face_describe(text_fonts_lookup_face(f, 4), &fi);
  CHECK(fi.cff);
  CHECK_INT(fi.index, 2);
  CHECK_STR(fi.postscript_name, "NotoSerifCJKsc-Bold");
  text_face_describe(text_fonts_lookup_face(f, 1), &fi);
  CHECK_STR(fi.postscript_name, "NotoSansCJKsc-Regular");
  text_fonts_drop(f);
  diag_drop(d);
}

TEST(reports_configuration_errors_with_positions) {
  const char *yaml = "roles:\n"
                     "  宋体:\n"
                     "    - famly: AR PL SungtiL GB\n"
                     "  黑体:\n"
                     "    - file: x.ttc\n"
                     "      index: two\n"
                     "  楷体: []\n"
                     "colours: {}\n";
  write_file("bad-fonts.yaml", yaml, strlen(yaml));
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  text_fonts *f = text_fonts_load("bad-fonts.yaml", d);
  CHECK(f == NULL);
  const char *out = capture_text(&c);
  CHECK_CONTAINS(out, "bad-fonts.yaml:8:1: error: unknown key 'colours' in a font configuration");
  CHECK_CONTAINS(out, "bad-fonts.yaml:3:7: error: unknown key 'famly' in a font "
                      "candidate; did you mean 'family'?");
  CHECK_CONTAINS(out, "bad-fonts.yaml:6:14: error: index must be a face number 0…65535");
  CHECK_CONTAINS(out, "bad-fonts.yaml:7:7: error: font role 楷体 has no candidates");
  diag_drop(d);
  capture_close(&c);
}

TEST(a_missing_family_falls_back_with_a_warning) {
  const char *yaml = "roles:\n"
                     "  宋体:\n"
                     "    - family: No Such Font Family\n"
                     "    - file: " GBSN "\n";
  write_file("fallback-fonts.yaml", yaml, strlen(yaml));
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  text_fonts *f = text_fonts_load("fallback-fonts.yaml", d);
  CHECK(f != NULL);
  const char *roles[] = {"宋体", NULL};
  CHECK(text_fonts_check_roles(f, roles, (src_pos){0}, d));
  CHECK_STR(capture_text(&c),
            "fallback-fonts.yaml:3:7: warning: font family 'No Such Font Family' is "
            "not installed; role 宋体 falls back to its next candidate\n");
  text_fonts_drop(f);
  diag_drop(d);
  capture_close(&c);
}

/* Everything text_break gives, compared: lines, runs, glyphs. */
static bool same_paragraph(const text_paragraph *a, const text_paragraph *b) {
  if (a->nlines != b->nlines || a->natural_width != b->natural_width ||
      a->height != b->height || a->text_len != b->text_len ||
      memcmp(a->text, b->text, a->text_len) || a->text == b->text)
    return false;
  for (size_t i = 0; i < a->nlines; i++) {
    const text_line *x = &a->lines[i], *y = &b->lines[i];
    if (x->nruns != y->nruns || x->x != y->x || x->width != y->width ||
        x->start != y->start || x->end != y->end || x->spread != y->spread)
      return false;
    for (size_t r = 0; r < x->nruns; r++) {
      const text_run *p = &x->runs[r], *q = &y->runs[r];
      if (p->face != q->face || p->count != q->count || p->x != q->x ||
          p->text != a->text || q->text != b->text)
        return false;
      for (size_t g = 0; g < p->count; g++)
        if (memcmp(&p->glyphs[g], &q->glyphs[g], sizeof p->glyphs[g]))
          return false;
    }
  }
  return true;
}

TEST(a_short_text_set_again_is_the_same_until_the_fonts_change) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  arena *a = arena_new(), *b = arena_new();
  const char *text = "一般公共预算（万元）";
  text_para_spec ps = {.style = {0, 10}, .width = 45, .compress_punct = true,
                       .align = TEXT_ALIGN_CENTER, .words = true};
  const text_paragraph *p1 = text_break(s, &ps, text, strlen(text), (src_pos){0}, a, d);
  const text_paragraph *p2 = text_break(s, &ps, text, strlen(text), (src_pos){0}, b, d);
  CHECK(p1->nlines >= 2);
  CHECK(same_paragraph(p1, p2));
  size_t nlines = p1->nlines;
  arena_drop(a); /* the second lives in its own arena */
  CHECK_INT(p2->nlines, nlines);
  text_extent e1 = text_cell_extent(s, ps.style, text, strlen(text), true, (src_pos){0}, b, d);
  text_extent e2 = text_cell_extent(s, ps.style, text, strlen(text), true, (src_pos){0}, b, d);
  CHECK(e1.one_line == e2.one_line && e1.widest_piece == e2.widest_piece);
  CHECK(e1.one_line > e1.widest_piece && e1.widest_piece > 0);
  /* another font first in the role: set with it, not from memory */
  CHECK(text_fonts_set_role(f, "宋体", NOTO_SERIF "#2", (src_pos){0}, d));
  const text_paragraph *p3 = text_break(s, &ps, text, strlen(text), (src_pos){0}, b, d);
  text_face_info fi;
  text_face_describe(p3->lines[0].runs[0].face, &fi);
  CHECK_STR(strrchr(fi.path, '/') + 1, "NotoSerifCJK-Regular.ttc");
  text_extent e3 = text_cell_extent(s, ps.style, text, strlen(text), true, (src_pos){0}, b, d);
  CHECK(e3.one_line != e1.one_line || e3.widest_piece != e1.widest_piece ||
        p3->lines[0].runs[0].face != p2->lines[0].runs[0].face);
  CHECK_INT(diag_error_count(d), 0);
  arena_drop(b);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
}

TEST(a_missing_glyph_is_reported_at_every_setting_short_or_long) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  arena *a = arena_new();
  text_para_spec ps = {.style = {0, 10}, .width = 100};
  bbuf long_text = {0};
  for (int i = 0; i < 40; i++)
    bbuf_puts(&long_text, "项目支出");
  bbuf_puts(&long_text, "😀");
  const char *texts[] = {"合计😀元", long_text.data};
  int errors = 0;
  for (int t = 0; t < 2; t++)
    for (int line = 1; line <= 2; line++) {
      src_pos pos = {diag_intern_file(d, "u.yaml"), 10 * t + line, 1};
      const text_paragraph *p =
          text_break(s, &ps, texts[t], strlen(texts[t]), pos, a, d);
      CHECK_INT(p->missing, 1);
      /* the same message at the same place is said once */
      text_cell_extent(s, ps.style, texts[t], strlen(texts[t]), true, pos, a, d);
      errors++;
      CHECK_INT(diag_kind_count(d, DIAG_FONT), errors);
    }
  CHECK_CONTAINS(capture_text(&c), "u.yaml:12:1: error: no font of role 宋体");
  bbuf_free(&long_text);
  arena_drop(a);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
  capture_close(&c);
}

TEST(the_last_long_texts_are_shaped_once) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *s = text_shaper_new(f);
  text_style st = {0, 10};
  bbuf t = {0};
  for (int i = 0; i < 60; i++)
    bbuf_puts(&t, "预算");
  double w1, w2;
  text_shaper_stats before, after;
  CHECK(text_measure(s, st, t.data, t.len, (src_pos){0}, &w1, d));
  text_shaper_lookup_stats(s, &before);
  CHECK(text_measure(s, st, t.data, t.len, (src_pos){0}, &w2, d));
  text_shaper_lookup_stats(s, &after);
  CHECK(w1 == w2 && fabs(w1 - 1200) < 1e-9);
  CHECK_INT(after.cache_hits, before.cache_hits + 1);
  CHECK_INT(after.shaped_runs, before.shaped_runs);
  CHECK_INT(after.cache_entries, 0); /* not kept for good */
  /* a hundred other long texts later it is shaped again */
  for (int k = 0; k < 100; k++) {
    bbuf o = {0};
    bbuf_printf(&o, "%s%d", t.data, k);
    CHECK(text_measure(s, st, o.data, o.len, (src_pos){0}, &w2, d));
    bbuf_free(&o);
  }
  text_shaper_lookup_stats(s, &before);
  CHECK(text_measure(s, st, t.data, t.len, (src_pos){0}, &w2, d));
  text_shaper_lookup_stats(s, &after);
  CHECK_INT(after.cache_hits, before.cache_hits);
  CHECK(after.shaped_runs > before.shaped_runs && w2 == w1);
  bbuf_free(&t);
  text_shaper_drop(s);
  text_fonts_drop(f);
  diag_drop(d);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(refuses_restricted_licence_font);
  RUN(refuses_no_subsetting_font);
  RUN(accepts_installable_and_editable_fonts);
  RUN(refuses_missing_truncated_and_non_fonts);
  RUN(falls_back_to_the_next_candidate_per_character);
  RUN(missing_glyph_names_code_point_character_and_position);
  RUN(measures_and_caches);
  RUN(a_short_text_set_again_is_the_same_until_the_fonts_change);
  RUN(a_missing_glyph_is_reported_at_every_setting_short_or_long);
  RUN(the_last_long_texts_are_shaped_once);
  RUN(loads_the_default_configuration_lazily);
  RUN(reports_configuration_errors_with_positions);
  RUN(a_missing_family_falls_back_with_a_warning);
  return harness_done();
}
