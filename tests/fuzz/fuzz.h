/* SPDX-License-Identifier: MIT */
/* fuzz.h — what the fuzz targets share: the libFuzzer entry points, and
 * where the reference files are.  Each target is one .c file with
 * LLVMFuzzerTestOneInput; it is linked either with libFuzzer (clang,
 * BUDGETPDF_FUZZ) or with replay.c, which feeds it files (the regression
 * inputs, in the normal test suite). */
#ifndef BUDGETPDF_FUZZ_H
#define BUDGETPDF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REFERENCE_DATA SOURCE_DIR "/data/changji-sib-2021.yaml"
#define REFERENCE_SCHEMA SOURCE_DIR "/schemas/department-budget.yaml"
#define REFERENCE_LAYOUT SOURCE_DIR "/layouts/department-budget.yaml"
#define MINI_SCHEMA SOURCE_DIR "/tests/model/fixtures/schemas/mini.yaml"

/* Diagnostics go nowhere: a target looks for crashes, hangs and leaks,
 * not messages.  Opened once, never closed. */
static inline FILE *fuzz_sink(void) {
  static FILE *f;
  if (!f)
    f = fopen("/dev/null", "w");
  return f;
}

#endif
