/* SPDX-License-Identifier: MIT */
/* fuzz_import.c — the workbook readers on arbitrary bytes: a zip package
 * ("PK…") goes to the .xlsx reader (libzip, libxml2's reader, shared
 * strings, cells, merged ranges), anything else to the CSV reader (UTF-8
 * or GBK).  Limits are small, so that a compressed bomb is refused in
 * microseconds rather than read. */
#include "fuzz.h"
#include "import.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  import_limits lim = import_default_limits;
  lim.max_part_bytes = 4u << 20;
  lim.max_total_bytes = 16u << 20;
  lim.max_strings = 100000;
  lim.max_text_bytes = 4u << 20;
  lim.max_cells = 200000;
  diag *d = diag_new(fuzz_sink());
  bool zip = size >= 2 && !memcmp(data, "PK", 2);
  import_read_book(zip ? "fuzz.xlsx" : "fuzz.csv", zip ? "xlsx" : "csv", data,
                   size, &lim, d);
  diag_drop(d);
  return 0;
}
