/* SPDX-License-Identifier: MIT */
/* roles.c — the user's own font files for roles (--font ROLE=FILE),
 * checked against the roles a layout uses before any is opened. */
#include "text.h"

#include <string.h>

bool text_fonts_override_roles(text_fonts *f, const char *const *specs,
                               size_t n, const char *const *used, diag *d) {
  bool ok = true;
  arena *scratch = arena_new();
  for (size_t i = 0; i < n; i++) {
    const char *eq = strchr(specs[i], '=');
    /* The option as written is where its mistakes are. */
    src_pos opt = {diag_intern_file(d, arena_printf(scratch, "--font %s",
                                                    specs[i])),
                   0, 0};
    if (!eq || eq == specs[i] || !eq[1]) {
      diag_error(d, DIAG_USAGE, opt, "--font needs ROLE=FILE");
      ok = false;
      continue;
    }
    const char *role =
        arena_strndup(scratch, specs[i], (size_t)(eq - specs[i]));
    bool is_used = false;
    for (size_t k = 0; used && used[k] && !is_used; k++)
      is_used = !strcmp(used[k], role);
    if (!is_used) {
      report_unknown_name(d, DIAG_USAGE, opt, "font role", role,
                          "in the layout", used);
      ok = false;
    } else if (!text_fonts_set_role(f, role, eq + 1, opt, d)) {
      ok = false;
    }
  }
  arena_drop(scratch);
  return ok;
}
