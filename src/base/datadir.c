/* SPDX-License-Identifier: MIT */
/* datadir.c — where the program's own data files are (base.h).
 *
 * BUDGETPDF_DATADIR_FROM_EXE and BUDGETPDF_LOCALEDIR_FROM_EXE are the
 * install's share/budgetpdf and share/locale relative to the folder of
 * the installed executable (GNUInstallDirs, src/base/CMakeLists.txt), e.g.
 * "../share/budgetpdf": no absolute path is compiled in, so a relocated
 * install, and the build tree, work alike. */
#include "base.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The executable's folder + "/" + relative, in buf; NULL if unknown. */
static const char *beside_executable(char *buf, size_t cap,
                                     const char *relative) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = 0;
  int len = snprintf(buf, cap, "%s/%s", exe, relative);
  return len > 0 && (size_t)len < cap ? buf : NULL;
}

const char *program_datadir(void) {
  static char dir[PATH_MAX];
  const char *env = getenv("BUDGETPDF_DATADIR");
  if (env && *env)
    return env;
  return beside_executable(dir, sizeof dir, BUDGETPDF_DATADIR_FROM_EXE);
}

const char *program_localedir(void) {
  static char dir[PATH_MAX];
  return beside_executable(dir, sizeof dir, BUDGETPDF_LOCALEDIR_FROM_EXE);
}

void messages_init(void) {
  setlocale(LC_CTYPE, "");
  setlocale(LC_MESSAGES, "");
  const char *dir = program_localedir();
  if (dir)
    bindtextdomain("budgetpdf", dir);
  bind_textdomain_codeset("budgetpdf", "UTF-8");
  textdomain("budgetpdf");
}
