/* SPDX-License-Identifier: MIT */
/* fuzz_expr.c — the expression language inside text on arbitrary bytes:
 * the input is one text, expanded against the bound reference (loaded
 * once), as a paragraph of it would be; then the claim check reads it. */
#include "fuzz.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

#define BOUND_DATA SOURCE_DIR "/data/changji-sib-2021-bound.yaml"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static model *m;
  if (!m) {
    diag *d = diag_new(fuzz_sink());
    model_options o = {.schema_path = REFERENCE_SCHEMA};
    m = model_load(BOUND_DATA, &o, d); /* kept for the whole run */
    diag_drop(d);
    if (!m)
      abort();
  }
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = 0;
  diag *d = diag_new(fuzz_sink());
  arena *a = arena_new();
  model_text t = {text, {NULL, 0, 0}};
  model_text_expand(m, &t, a, d);
  arena_drop(a);
  diag_drop(d);
  free(text);
  return 0;
}
