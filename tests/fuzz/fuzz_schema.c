/* SPDX-License-Identifier: MIT */
/* fuzz_schema.c — the schema loader and `check` on arbitrary bytes.
 *
 * The input is a schema file; the reference data is read against it and,
 * when that succeeds, checked, so the rules a fuzzed schema declares are
 * evaluated over real figures.  The schema loader reads files only, so the
 * input goes to a temporary file (reused across inputs). */
#define _DEFAULT_SOURCE 1 /* mkstemp */
#include "fuzz.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char schema_path[] = "/tmp/budgetpdf-fuzz-schema-XXXXXX";
static int schema_fd = -1;

static void remove_schema(void) { unlink(schema_path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (schema_fd < 0) {
    schema_fd = mkstemp(schema_path);
    if (schema_fd < 0) {
      perror(schema_path);
      abort();
    }
    atexit(remove_schema);
  }
  if (ftruncate(schema_fd, 0) != 0 ||
      pwrite(schema_fd, data, size, 0) != (ssize_t)size) {
    perror(schema_path);
    abort();
  }
  model_options opts = {.schema_path = schema_path};
  diag *d = diag_new(fuzz_sink());
  model *m = model_load(REFERENCE_DATA, &opts, d);
  if (m) {
    model_report_findings(m, d, DIAG_ERROR);
    model_drop(m);
  }
  diag_drop(d);
  return 0;
}
