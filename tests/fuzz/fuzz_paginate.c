/* SPDX-License-Identifier: MIT */
/* fuzz_paginate.c — a layout on arbitrary bytes, taken all the way to
 * pages: layout_parse, layout_expand against the reference model, then
 * paginate with the project's fonts (measuring, line and page breaking,
 * tables, the table of contents).  Where fuzz_layout stops at the block
 * tree, this reaches the loops a nonsensical page, style or table could
 * make run forever; a hang is reported by libFuzzer's -timeout.
 *
 * The model and fonts are loaded once; a shaper is made per input, so no
 * cache carries one input's text into the next. */
#include "fuzz.h"
#include "paginate.h"

#include <stdlib.h>
#include <string.h>

static model *reference;
static text_fonts *fonts;

static void drop_reference(void) {
  model_drop(reference);
  text_fonts_drop(fonts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!reference) {
    diag *d = diag_new(NULL);
    reference = model_load(REFERENCE_DATA, NULL, d);
    fonts = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
    diag_drop(d);
    if (!reference || !fonts)
      abort();
    atexit(drop_reference);
  }
  diag *d = diag_new(fuzz_sink());
  layout *l = layout_parse("fuzz.yaml", (const char *)data, size, d);
  if (l && !strcmp(layout_schema_name(l), "department-budget") &&
      text_fonts_check_roles(fonts, layout_font_roles(l), (src_pos){0}, d)) {
    layout_expand_options xo = {0};
    block_doc *b = layout_expand(l, reference, &xo, d);
    if (b) {
      text_shaper *shaper = text_shaper_new(fonts);
      page_doc_drop(paginate(b, fonts, shaper, d));
      text_shaper_drop(shaper);
    }
    block_doc_drop(b);
  }
  layout_drop(l);
  diag_drop(d);
  return 0;
}
