/* SPDX-License-Identifier: MIT */
/* test_pdf_subset_size.c — the embedded font programs are small: for the
 * distinct characters of the reference document, each default font's
 * embedded program is no more than 10% larger than what the hb-subset
 * command-line tool makes of the same font and characters.  Prints the
 * sizes (and the time the PDF took) for the record. */
#include "harness.h"
#include "pdf.h"

#include <sys/wait.h>
#include <time.h>

static const struct {
  const char *role, *spec;
} fonts_under_test[] = {
    {"宋体", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"},
    {"黑体", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0"},
    {"楷体", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"},
    {"仿宋", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"},
    {"小标宋", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc#2"},
    {"Noto Sans", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2"},
};

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Every distinct character of the reference text but controls, in order
 * of first appearance. */
static char *distinct_characters(size_t *count) {
  size_t len;
  diag *d = diag_new(NULL);
  char *ref = file_read_all(SOURCE_DIR "/../shared/reference/changji-sib-2021-budget.txt",
                            1 << 20, &len, d);
  if (!ref)
    ref = file_read_all("/work/shared/reference/changji-sib-2021-budget.txt", 1 << 20, &len, d);
  diag_drop(d);
  if (!ref)
    return NULL;
  static bool seen[0x110000];
  bbuf out = {0};
  *count = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t k = utf8_decode(ref + i, len - i, &cp);
    if (!k) {
      i++;
      continue;
    }
    if (cp >= 0x20 && !seen[cp]) {
      seen[cp] = true;
      bbuf_append(&out, ref + i, k);
      ++*count;
    }
    i += k;
  }
  free(ref);
  return out.data;
}

static long file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fclose(f);
  return n;
}

TEST(embedded_programs_within_10_percent_of_hb_subset) {
  size_t nchars = 0;
  char *chars = distinct_characters(&nchars);
  CHECK(chars != NULL);
  if (!chars)
    return;
  CHECK(nchars > 550);
  FILE *t = fopen("reference-chars.txt", "wb");
  fputs(chars, t);
  fclose(t);
  for (size_t i = 0; i < sizeof fonts_under_test / sizeof *fonts_under_test; i++) {
    diag *d = diag_new(NULL);
    text_fonts *f = text_fonts_new();
    CHECK(text_fonts_set_role(f, fonts_under_test[i].role, fonts_under_test[i].spec,
                              (src_pos){0}, d));
    double t0 = now_ms();
    text_shaper *sh = text_shaper_new(f);
    arena *a = arena_new();
    page_doc *doc = page_doc_new();
    page_list *pg = page_doc_add_page(doc, 595.28, 841.89);
    text_para_spec ps = {.style = {0, 10.5}, .width = 450, .leading = 16};
    const text_paragraph *p = text_break(sh, &ps, chars, strlen(chars), (src_pos){0}, a, d);
    CHECK_INT(p->missing, 0);
    page_add_paragraph(doc, pg, p, 0, p->nlines, 72, 72);
    double t1 = now_ms();
    pdf_stats st;
    bbuf pdf = {0};
    CHECK(pdf_render(doc, &pdf, &st, d));
    double t2 = now_ms();
    CHECK_INT(st.fonts, 1);

    char path[256], cmd[1024];
    const char *hash = strrchr(fonts_under_test[i].spec, '#');
    snprintf(path, sizeof path, "hb-subset-%zu.bin", i);
    snprintf(cmd, sizeof cmd,
             "hb-subset --font-file=%.*s --face-index=%s --text-file=reference-chars.txt -o %s",
             hash ? (int)(hash - fonts_under_test[i].spec) : (int)strlen(fonts_under_test[i].spec),
             fonts_under_test[i].spec, hash ? hash + 1 : "0", path);
    CHECK(system(cmd) == 0);
    long theirs = file_size(path);
    CHECK(theirs > 0);
    printf("  %-10s %3zu glyphs: embedded %7zu bytes, hb-subset %7ld bytes (%.0f%%); "
           "shape+break %.1f ms, PDF %.1f ms, %zu bytes\n",
           fonts_under_test[i].role, st.glyphs, st.font_program_bytes, theirs,
           100.0 * (double)st.font_program_bytes / (double)theirs, t1 - t0, t2 - t1,
           st.bytes);
    CHECK((double)st.font_program_bytes <= 1.10 * (double)theirs);
    bbuf_free(&pdf);
    page_doc_drop(doc);
    arena_drop(a);
    text_shaper_drop(sh);
    text_fonts_drop(f);
    diag_drop(d);
  }
  free(chars);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(embedded_programs_within_10_percent_of_hb_subset);
  return harness_done();
}
