/* SPDX-License-Identifier: MIT */
/* test_display.c — display lists (src/paginate/display.c): items keep
 * their order, everything is copied into the document, paragraphs can be
 * emitted in parts across pages, and the text dump shows it all. */
#include "harness.h"
#include "paginate.h"

#define GBSN "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

TEST(records_and_dumps_pages_in_order) {
  diag *d = diag_new(NULL);
  text_fonts *f = text_fonts_new();
  CHECK(text_fonts_set_role(f, "宋体", GBSN, (src_pos){0}, d));
  text_shaper *sh = text_shaper_new(f);
  arena *scratch = arena_new();
  text_para_spec ps = {.style = {0, 10}, .width = 20, .leading = 15};
  const text_paragraph *p =
      text_break(sh, &ps, "一二三四", strlen("一二三四"), (src_pos){0}, scratch, d);
  CHECK_INT(p->nlines, 2);

  page_doc *doc = page_doc_new();
  page_list *p1 = page_doc_add_page(doc, 595.28, 841.89);
  page_add_rect(doc, p1, &(page_rect){72, 100, 100, 20, true, true, 0.9, 0, 0.5});
  page_add_paragraph(doc, p1, p, 0, 1, 72, 100);
  page_list *p2 = page_doc_add_page(doc, 841.89, 595.28); /* landscape */
  page_add_paragraph(doc, p2, p, 1, 5, 72, 100); /* the rest, at the top */
  page_add_line(doc, p2, &(page_line){72, 120, 300, 120, 0.5, 0});
  page_doc_add_outline(doc, "第一部分", 1, 0, 100);
  page_doc_add_outline(doc, "一、主要职能", 2, 1, 100);
  page_doc_set_info(doc, &(page_doc_info){.title = "预算", .creation_date = "2021-03-01"});
  arena_drop(scratch); /* the document keeps its own copies */

  bbuf out = {0};
  page_doc_dump(doc, &out);
  CHECK_STR(out.data,
            "page 1 595.28x841.89\n"
            "  rect 72,100 100x20 fill 0.9 stroke 0 w 0.5\n"
            "  glyphs BousungEG-Light-GB (gbsn00lp.ttf) 10 at 72,111.3 \"一二\" [948@0 1025@10]\n"
            "page 2 841.89x595.28\n"
            "  glyphs BousungEG-Light-GB (gbsn00lp.ttf) 10 at 72,111.3 \"三四\" [953@0 1915@10]\n"
            "  line 72,120 → 300,120 w 0.5 gray 0\n"
            "outline 1 \"第一部分\" → page 1 y 100\n"
            "outline 2 \"一、主要职能\" → page 2 y 100\n"
            "info title \"预算\"\n"
            "info creation_date \"2021-03-01\"\n");
  CHECK_INT(page_doc_page_count(doc), 2);
  CHECK_INT(page_doc_lookup_page(doc, 0)->count, 2);
  CHECK(page_doc_lookup_page(doc, 2) == NULL);
  bbuf_free(&out);
  page_doc_drop(doc);
  page_doc_drop(NULL);
  text_shaper_drop(sh);
  text_fonts_drop(f);
  diag_drop(d);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(records_and_dumps_pages_in_order);
  return harness_done();
}
