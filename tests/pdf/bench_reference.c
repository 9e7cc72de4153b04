/* bench_reference.c — the text and pdf stages over the whole reference
 * document, laid out crudely (no layout engine yet): each paragraph of the
 * reference text in 仿宋 三号, justified with a 2-em indent; each table
 * cell (a TAB-prefixed line) in 宋体 五号 in a ruled grid of four columns;
 * a new A4 page when one is full.  Prints where the time goes:
 *
 *   ./bench_reference [out.pdf]
 *
 * Whole-process time: `time ./bench_reference /tmp/ref.pdf`. */
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  const char *out = argc > 1 ? argv[1] : "bench_reference.pdf";
  double t0 = now_ms();
  diag *d = diag_new(NULL);
  size_t len;
  char *ref = file_read_all(SOURCE_DIR "/../shared/reference/changji-sib-2021-budget.txt",
                            1 << 20, &len, d);
  if (!ref)
    return 1;
  text_fonts *fonts = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!fonts)
    return 1;
  text_shaper *sh = text_shaper_new(fonts);
  int fangsong = text_fonts_lookup_role(fonts, "仿宋");
  int song = text_fonts_lookup_role(fonts, "宋体");
  double t1 = now_ms();

  page_doc *doc = page_doc_new();
  arena *a = arena_new();
  const double left = 79.4, top = 104.9, width = 442.2, bottom = 104.9 + 637.8;
  page_list *pg = NULL;
  double y = bottom;
  int col = 0, lines = 0, cells = 0;
  const double cell_w = width / 4, cell_h = 18;
  for (char *line = ref, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    size_t n = next ? (size_t)(next - line) : strlen(line);
    if (next)
      next++;
    if (n == 0) {
      col = 0;
      continue;
    }
    bool cell = line[0] == '\t';
    const char *text = cell ? line + 1 : line;
    size_t tlen = cell ? n - 1 : n;
    text_para_spec ps = cell ? (text_para_spec){.style = {song, 10.5}, .width = cell_w - 6,
                                                .leading = 14, .align = TEXT_ALIGN_LEFT}
                             : (text_para_spec){.style = {fangsong, 16}, .width = width,
                                                .leading = 28.9, .first_indent = 32,
                                                .align = TEXT_ALIGN_JUSTIFY,
                                                .compress_punct = true};
    const text_paragraph *p = text_break(sh, &ps, text, tlen, (src_pos){0}, a, d);
    double h = cell ? (p->height > cell_h ? p->height : cell_h) : p->height;
    if (y + h > bottom || !pg) {
      pg = page_doc_add_page(doc, 595.28, 841.89);
      y = top;
      col = 0;
    }
    if (cell) {
      double x = left + col * cell_w;
      page_add_rect(doc, pg, &(page_rect){x, y, cell_w, h, false, true, 0, 0, 0.5});
      page_add_paragraph(doc, pg, p, 0, p->nlines, x + 3, y + 2);
      cells++;
      if (++col == 4) {
        col = 0;
        y += h;
      }
    } else {
      if (col) {
        col = 0;
        y += cell_h;
      }
      page_add_paragraph(doc, pg, p, 0, p->nlines, left, y);
      y += h;
      lines += (int)p->nlines;
    }
  }
  page_doc_set_info(doc, &(page_doc_info){.title = "昌吉回族自治州社会保险管理局2021年部门预算公开",
                                          .creation_date = "2021-03-01"});
  double t2 = now_ms();
  pdf_stats st;
  bbuf pdf = {0};
  bool ok = pdf_render(doc, &pdf, &st, d);
  double t3 = now_ms();
  ok = ok && pdf_write_atomically(out, pdf.data, pdf.len, d);
  double t4 = now_ms();
  text_shaper_stats ss;
  text_shaper_lookup_stats(sh, &ss);
  printf("%s: %zu pages, %d body lines, %d cells; %zu fonts, %zu glyphs, font "
         "programs %zu bytes, PDF %zu bytes\n",
         out, st.pages, lines, cells, st.fonts, st.glyphs, st.font_program_bytes, st.bytes);
  printf("load fonts.yaml+reference %.1f ms, shape+break+record %.1f ms "
         "(%zu runs shaped, %zu cache hits), PDF %.1f ms, write %.1f ms, total %.1f ms\n",
         t1 - t0, t2 - t1, ss.shaped_runs, ss.cache_hits, t3 - t2, t4 - t3, t4 - t0);
  bbuf_free(&pdf);
  arena_drop(a);
  page_doc_drop(doc);
  text_shaper_drop(sh);
  text_fonts_drop(fonts);
  free(ref);
  int status = ok ? 0 : 1;
  diag_drop(d);
  return status;
}
