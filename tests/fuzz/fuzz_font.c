/* SPDX-License-Identifier: MIT */
/* fuzz_font.c — a font file on arbitrary bytes, taken through everything
 * that reads a font: the sfnt checks of text_fonts_set_role, fallback to
 * the project's fonts for what it lacks, HarfBuzz shaping and line
 * breaking (paginate over the small hardening layout and the reference
 * data), then subsetting and embedding (pdf_render into memory).
 *
 * The input is written to a file of its own (fonts are files: they are
 * mapped, and named in messages), and a fresh text_fonts is made for each
 * input, since faces are cached by path.  The model and layout are loaded
 * once.  Seeds: small subsets of the Debian fonts in tests/fuzz/fonts/. */
#include "fuzz.h"
#include "paginate.h"
#include "pdf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMALL_LAYOUT SOURCE_DIR "/tests/hardening/fixtures/layout-small.yaml"

static model *reference;
static layout *small;
static block_doc *blocks;
static char font_path[64];

static void drop_reference(void) {
  block_doc_drop(blocks);
  layout_drop(small);
  model_drop(reference);
  unlink(font_path);
}

static void load_once(void) {
  diag *d = diag_new(NULL);
  reference = model_load(REFERENCE_DATA, NULL, d);
  small = reference ? layout_load(SMALL_LAYOUT, d) : NULL;
  layout_expand_options xo = {0};
  blocks = small ? layout_expand(small, reference, &xo, d) : NULL;
  diag_drop(d);
  if (!blocks)
    abort();
  snprintf(font_path, sizeof font_path, "/tmp/budgetpdf-fuzz-font-%ld.ttf",
           (long)getpid());
  atexit(drop_reference);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!blocks)
    load_once();
  FILE *f = fopen(font_path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    abort();
  diag *d = diag_new(fuzz_sink());
  text_fonts *fonts = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!fonts)
    abort();
  /* Both roles of the small layout: its paragraph and its table. */
  if (text_fonts_set_role(fonts, "仿宋", font_path, (src_pos){0}, d) &&
      text_fonts_set_role(fonts, "宋体", font_path, (src_pos){0}, d) &&
      text_fonts_check_roles(fonts, layout_font_roles(small), (src_pos){0},
                             d)) {
    text_shaper *shaper = text_shaper_new(fonts);
    page_doc *pages = paginate(blocks, fonts, shaper, d);
    if (pages && !diag_error_count(d)) {
      bbuf pdf = {0};
      pdf_render(pages, &pdf, NULL, d);
      bbuf_free(&pdf);
    }
    page_doc_drop(pages);
    text_shaper_drop(shaper);
  }
  text_fonts_drop(fonts);
  diag_drop(d);
  return 0;
}
