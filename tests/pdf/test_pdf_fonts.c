/* SPDX-License-Identifier: MIT */
/* test_pdf_fonts.c — end to end per default font role (and Noto CJK, the
 * OpenType/CFF fonts, on their own): draw known text into a PDF and read
 * it back with the tools finance staff's readers are built on.  Noto CJK
 * (OpenType/CFF) and WenQuanYi (TrueType in a .ttc) are also tried alone.
 *   pdftotext    gives the text back exactly (“”, ≥, ％, （）, Latin, digits)
 *   pdffonts     every font emb=yes sub=yes uni=yes
 *   qpdf --check passes
 *   pdftoppm, mutool draw  render without a word on stderr (mutool's own
 *                "ICC support is not available" and its "page …" progress
 *                lines aside: Debian's build prints them for any file)
 * And the same document renders to the same bytes twice. */
#include "harness.h"
#include "pdf.h"

#include <sys/wait.h>

static const char sample[] =
    "预算“三公”经费≥95％（增长）Latin 2021年1681.99万元≤15天—…、。";

static char *slurp(const char *path) {
  size_t len;
  diag *d = diag_new(NULL);
  char *s = file_read_all(path, 1 << 24, &len, d);
  diag_drop(d);
  return s ? s : xstrdup("(unreadable)");
}

/* Run a shell command; stdout and stderr to files; returns exit status. */
static int run(const char *cmd, const char *out, const char *err) {
  char buf[2048];
  snprintf(buf, sizeof buf, "%s >%s 2>%s", cmd, out, err);
  int st = system(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* stderr of mutool without the lines it prints for every file. */
static char *mutool_noise_removed(const char *text) {
  bbuf b = {0};
  bbuf_append(&b, "", 0);
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (!(n == strlen("warning: ICC support is not available") &&
          !strncmp(p, "warning: ICC support is not available", n)) &&
        strncmp(p, "page ", 5)) {
      bbuf_append(&b, p, n);
      bbuf_puts(&b, "\n");
    }
    p += n + (e ? 1 : 0);
  }
  return b.data;
}

static page_doc *sample_doc(text_shaper *sh, int role, arena *a, diag *d) {
  page_doc *doc = page_doc_new();
  page_list *pg = page_doc_add_page(doc, 595.28, 841.89);
  text_para_spec ps = {.style = {role, 12}, .leading = 18};
  const text_paragraph *p = text_break(sh, &ps, sample, strlen(sample),
                                       (src_pos){0}, a, d);
  page_add_paragraph(doc, pg, p, 0, p->nlines, 72, 72);
  page_add_line(doc, pg, &(page_line){72, 95, 500, 95, 0.5, 0});
  page_add_rect(doc, pg, &(page_rect){72, 100, 200, 20, true, true, 0.9, 0, 0.5});
  page_doc_add_outline(doc, "示例", 1, 0, 72);
  page_doc_set_info(doc, &(page_doc_info){.title = "预算公开", .author = "测试",
                                          .creation_date = "2021-03-01"});
  return doc;
}

static void check_role(text_fonts *fonts, const char *role_name, const char *file) {
  diag *d = diag_new(NULL);
  text_shaper *sh = text_shaper_new(fonts);
  arena *a = arena_new();
  int role = text_fonts_lookup_role(fonts, role_name);
  CHECK(role >= 0);
  page_doc *doc = sample_doc(sh, role, a, d);
  bbuf pdf = {0}, again = {0};
  CHECK(pdf_render(doc, &pdf, NULL, d));
  CHECK(pdf_render(doc, &again, NULL, d));
  CHECK(pdf.len == again.len && !memcmp(pdf.data, again.data, pdf.len));
  CHECK(pdf_write_atomically(file, pdf.data, pdf.len, d));
  CHECK_INT(diag_error_count(d), 0);

  char cmd[512], out[300], err[300];
  snprintf(out, sizeof out, "%s.out", file);
  snprintf(err, sizeof err, "%s.err", file);

  snprintf(cmd, sizeof cmd, "pdftotext %s -", file);
  CHECK_INT(run(cmd, out, err), 0);
  char *text = slurp(out), *errs = slurp(err);
  bbuf want = {0};
  bbuf_printf(&want, "%s\n\n\f", sample); /* poppler ends a block with a blank line */
  CHECK_STR(text, want.data);
  CHECK_STR(errs, "");
  free(text);
  free(errs);
  bbuf_free(&want);

  snprintf(cmd, sizeof cmd, "pdffonts %s", file);
  CHECK_INT(run(cmd, out, err), 0);
  text = slurp(out);
  int fonts_seen = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (!strncmp(line, "name ", 5) || !strncmp(line, "-----", 5))
      continue;
    fonts_seen++;
    if (!strstr(line, "Identity-H       yes yes yes")) {
      fprintf(stderr, "%s: %s: not emb/sub/uni: %s\n", role_name, file, line);
      CHECK(!"every font embedded, subset, with ToUnicode");
    }
  }
  CHECK(fonts_seen >= 1);
  free(text);

  snprintf(cmd, sizeof cmd, "qpdf --check %s", file);
  CHECK_INT(run(cmd, out, err), 0);
  errs = slurp(err);
  CHECK_STR(errs, "");
  free(errs);

  snprintf(cmd, sizeof cmd, "pdftoppm -r 40 -png %s %s.poppler", file, file);
  CHECK_INT(run(cmd, out, err), 0);
  errs = slurp(err);
  CHECK_STR(errs, "");
  free(errs);

  snprintf(cmd, sizeof cmd, "mutool draw -r 40 -o %s.mupdf.png %s", file, file);
  CHECK_INT(run(cmd, out, err), 0);
  errs = slurp(err);
  char *kept = mutool_noise_removed(errs);
  CHECK_STR(kept, "");
  free(kept);
  free(errs);

  bbuf_free(&pdf);
  bbuf_free(&again);
  page_doc_drop(doc);
  arena_drop(a);
  text_shaper_drop(sh);
  diag_drop(d);
}

static text_fonts *defaults;

TEST(song_ti_reads_back) { check_role(defaults, "宋体", "song.pdf"); }
TEST(hei_ti_reads_back) { check_role(defaults, "黑体", "hei.pdf"); }
TEST(kai_ti_reads_back) { check_role(defaults, "楷体", "kai.pdf"); }
TEST(fang_song_reads_back) { check_role(defaults, "仿宋", "fangsong.pdf"); }
TEST(xiao_biao_song_cff_reads_back) { check_role(defaults, "小标宋", "xiaobiaosong.pdf"); }

TEST(noto_cjk_cff_and_wqy_ttc_alone_read_back) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "serif", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#2",
                            (src_pos){0}, d));
  CHECK(text_fonts_set_role(f, "sans", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2",
                            (src_pos){0}, d));
  /* and a TrueType face from a collection, with no fallback at all */
  CHECK(text_fonts_set_role(f, "wqy", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
                            (src_pos){0}, d));
  check_role(f, "serif", "noto-serif.pdf");
  check_role(f, "sans", "noto-sans.pdf");
  check_role(f, "wqy", "wqy.pdf");
  text_fonts_drop(f);
  diag_drop(d);
}

TEST(pdf_info_and_outline_read_back) {
  diag *d = diag_new(NULL);
  text_shaper *sh = text_shaper_new(defaults);
  arena *a = arena_new();
  page_doc *doc = sample_doc(sh, text_fonts_lookup_role(defaults, "宋体"), a, d);
  CHECK(pdf_write(doc, "info.pdf", NULL, d));
  CHECK_INT(run("pdfinfo info.pdf", "info.out", "info.err"), 0);
  char *info = slurp("info.out");
  CHECK_CONTAINS(info, "Title:           预算公开\n");
  CHECK_CONTAINS(info, "Author:          测试\n");
  CHECK_CONTAINS(info, "CreationDate:    Mon Mar  1 00:00:00 2021");
  CHECK_CONTAINS(info, "Page size:       595.28 x 841.89 pts (A4)");
  free(info);
  CHECK_INT(run("mutool show info.pdf outline", "outline.out", "outline.err"), 0);
  char *outline = slurp("outline.out");
  CHECK_CONTAINS(outline, "示例");
  free(outline);
  page_doc_drop(doc);
  arena_drop(a);
  text_shaper_drop(sh);
  diag_drop(d);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  defaults = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!defaults)
    return 1;
  RUN(song_ti_reads_back);
  RUN(hei_ti_reads_back);
  RUN(kai_ti_reads_back);
  RUN(fang_song_reads_back);
  RUN(xiao_biao_song_cff_reads_back);
  RUN(noto_cjk_cff_and_wqy_ttc_alone_read_back);
  RUN(pdf_info_and_outline_read_back);
  text_fonts_drop(defaults);
  diag_drop(d);
  return harness_done();
}
