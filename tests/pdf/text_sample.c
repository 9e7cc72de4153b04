/* SPDX-License-Identifier: MIT */
/* text_sample.c — a demo: one A4 page per font role of fonts/fonts.yaml,
 * each with a title, justified body paragraphs with a 2-em indent, a
 * centred and a right-aligned line, ruled with a few lines and boxes, so
 * anyone can look at how each default font sets Chinese:
 *
 *   ./text_sample [out.pdf]        (default text_sample.pdf)
 *   pdftoppm -r 70 -png text_sample.pdf /tmp/sample
 *
 * Run as a test it also checks that the PDF was written. */
#include <stdio.h>
#include <string.h>
#include "pdf.h"

static const char *const paragraphs[] = {
    "贯彻执行国家及区州社会保险法律、法规和政策，拟定全州基金管理办法和经办服务规程并组织实施，"
    "研究提出完善社会保险政策的意见；负责区、州统筹的社会保险基金的管理和运营。",
    "2021年收入预算1681.99万元，其中：一般公共预算1681.99万元，比上年增加12333元（增长0.73％）。"
    "“三公”经费预算数为12.5万元；社会保障卡服务满意度≥95％，档案查询按时办结率≥98%，"
    "政策知晓率≤15天内达到100%——以上指标均按PDF、YAML等格式公开……",
    "项目名称：社会保险经办服务（Social Insurance Service）；资金执行时间：2021年1月—12月。",
};

static const char *const roles[] = {"宋体", "黑体", "楷体", "仿宋", "小标宋"};

int main(int argc, char **argv) {
  const char *out = argc > 1 ? argv[1] : "text_sample.pdf";
  diag *d = diag_new(NULL);
  text_fonts *fonts = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!fonts)
    return 1;
  text_shaper *sh = text_shaper_new(fonts);
  page_doc *doc = page_doc_new();
  arena *a = arena_new();
  const double left = 79.4, top = 104.9, width = 442.2; /* GB/T 9704 type area */
  for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
    int role = text_fonts_lookup_role(fonts, roles[r]);
    page_list *pg = page_doc_add_page(doc, 595.28, 841.89);
    double y = top;
    char title[128];
    snprintf(title, sizeof title, "%s：二号标题居中“示例”", roles[r]);
    text_para_spec ts = {.style = {role, 22}, .width = width, .leading = 40,
                         .align = TEXT_ALIGN_CENTER};
    const text_paragraph *p = text_break(sh, &ts, title, strlen(title),
                                         (src_pos){0}, a, d);
    page_add_paragraph(doc, pg, p, 0, p->nlines, left, y);
    page_doc_add_outline(doc, roles[r], 1, r, y);
    y += p->height + 8;
    page_add_line(doc, pg, &(page_line){left, y, left + width, y, 0.75, 0});
    y += 8;
    for (size_t i = 0; i < sizeof paragraphs / sizeof *paragraphs; i++) {
      text_para_spec ps = {.style = {role, 16}, .width = width, .leading = 28.9,
                           .first_indent = 32, .align = TEXT_ALIGN_JUSTIFY,
                           .compress_punct = true};
      p = text_break(sh, &ps, paragraphs[i], strlen(paragraphs[i]),
                     (src_pos){0}, a, d);
      page_add_paragraph(doc, pg, p, 0, p->nlines, left, y);
      y += p->height;
    }
    y += 12;
    /* a small boxed table row: centred code, left name, right amount */
    const char *cells[] = {"2080101", "行政运行", "1,681.99"};
    const text_align aligns[] = {TEXT_ALIGN_CENTER, TEXT_ALIGN_LEFT, TEXT_ALIGN_RIGHT};
    const double cw[] = {90, 232.2, 120};
    double x = left;
    page_add_rect(doc, pg, &(page_rect){left, y, width, 24, true, false, 0.9, 0, 0});
    for (int c = 0; c < 3; c++) {
      page_add_rect(doc, pg, &(page_rect){x, y, cw[c], 24, false, true, 0, 0, 0.5});
      text_para_spec cs = {.style = {role, 10.5}, .width = cw[c] - 8, .leading = 24,
                           .align = aligns[c]};
      p = text_break(sh, &cs, cells[c], strlen(cells[c]), (src_pos){0}, a, d);
      page_add_paragraph(doc, pg, p, 0, p->nlines, x + 4, y);
      x += cw[c];
    }
    y += 40;
    text_para_spec rs = {.style = {role, 16}, .width = width, .leading = 28.9,
                         .align = TEXT_ALIGN_RIGHT};
    const char *sign = "昌吉回族自治州社会保险管理局\n2021年3月1日";
    p = text_break(sh, &rs, sign, strlen(sign), (src_pos){0}, a, d);
    page_add_paragraph(doc, pg, p, 0, p->nlines, left, y);
    /* page number: — 1 — in 宋体 四号, 7 mm below the type area */
    char num[32];
    snprintf(num, sizeof num, "— %zu —", r + 1);
    text_para_spec ns = {.style = {text_fonts_lookup_role(fonts, "宋体"), 14},
                         .width = width, .leading = 14,
                         .align = r % 2 == 0 ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT};
    p = text_break(sh, &ns, num, strlen(num), (src_pos){0}, a, d);
    page_add_paragraph(doc, pg, p, 0, p->nlines, left, top + 637.8 + 19.8);
  }
  page_doc_set_info(doc, &(page_doc_info){.title = "字体示例", .author = "budgetpdf",
                                          .creation_date = "2021-03-01T09:00:00+08:00"});
  pdf_stats st;
  bool ok = pdf_write(doc, out, &st, d) && diag_error_count(d) == 0;
  if (ok)
    printf("%s: %zu pages, %zu fonts, %zu glyphs, font programs %zu bytes, "
           "PDF %zu bytes\n",
           out, st.pages, st.fonts, st.glyphs, st.font_program_bytes, st.bytes);
  arena_drop(a);
  page_doc_drop(doc);
  text_shaper_drop(sh);
  text_fonts_drop(fonts);
  int status = ok ? 0 : 1;
  diag_drop(d);
  return status;
}
