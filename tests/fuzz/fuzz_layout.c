/* SPDX-License-Identifier: MIT */
/* fuzz_layout.c — the layout loader and layout_expand on arbitrary bytes.
 *
 * The input is a layout file.  When it parses, it is expanded against the
 * reference model (loaded once) and the block tree is dumped, which walks
 * every block the expansion made. */
#include "fuzz.h"
#include "layout.h"

#include <stdlib.h>

static model *reference;

static void drop_reference(void) { model_drop(reference); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!reference) {
    diag *d = diag_new(NULL);
    reference = model_load(REFERENCE_DATA, NULL, d);
    diag_drop(d);
    if (!reference)
      abort();
    atexit(drop_reference);
  }
  diag *d = diag_new(fuzz_sink());
  layout *l = layout_parse("fuzz.yaml", (const char *)data, size, d);
  if (l) {
    layout_expand_options xo = {0};
    block_doc *b = layout_expand(l, reference, &xo, d);
    if (b)
      block_doc_dump(b, fuzz_sink());
    block_doc_drop(b);
    layout_drop(l);
  }
  diag_drop(d);
  return 0;
}
