/* SPDX-License-Identifier: MIT */
/* fuzz_model.c — the data loader and `check` on arbitrary bytes.
 *
 * The input is a data file.  It is read against the reference schema (or
 * the tests' mini schema when it names it), never against a schema file it
 * names itself, so an input cannot make the target read /dev/stdin or a
 * FIFO.  A model that loads is checked: the arithmetic and its messages. */
#define _GNU_SOURCE 1 /* memmem */
#include "fuzz.h"
#include "model.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  model_options opts = {
      .schema_path = memmem(data, size, "schema: mini", 12) ? MINI_SCHEMA
                                                            : REFERENCE_SCHEMA};
  diag *d = diag_new(fuzz_sink());
  model *m = model_parse("fuzz.yaml", (const char *)data, size, &opts, d);
  if (m) {
    model_report_findings(m, d, DIAG_ERROR);
    model_drop(m);
  }
  diag_drop(d);
  return 0;
}
