/* SPDX-License-Identifier: MIT */
/* file.c — reading whole input files with a size bound. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *file_read_all(const char *path, size_t max_bytes, size_t *len,
                    diag *d) {
  src_pos pos = {diag_intern_file(d, path), 0, 0};
  FILE *f = fopen(path, "rb");
  if (!f) {
    diag_error(d, DIAG_IO, pos, "cannot open: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    diag_error(d, DIAG_IO, pos, "is a directory, not a file");
    fclose(f);
    return NULL;
  }
  bbuf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b.len + n > max_bytes) {
      diag_error(d, DIAG_IO, pos, "file is larger than %zu bytes; refused",
                 max_bytes);
      bbuf_free(&b);
      fclose(f);
      return NULL;
    }
    bbuf_append(&b, chunk, n);
  }
  if (ferror(f)) {
    diag_error(d, DIAG_IO, pos, "cannot read: %s", strerror(errno));
    bbuf_free(&b);
    fclose(f);
    return NULL;
  }
  fclose(f);
  if (!b.data)
    bbuf_append(&b, "", 0);
  *len = b.len;
  return b.data;
}

static bool readable(const char *path) { return access(path, R_OK) == 0; }

bool str_ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), m = strlen(tail);
  return n >= m && !strcmp(s + n - m, tail);
}

const char *resource_path(arena *a, const char *kind, const char *folder,
                          const char *name, const char *data_path,
                          const char *datadir, src_pos pos, diag *d) {
  const char *slash = strrchr(data_path, '/');
  const char *dir = slash ? arena_strndup(a, data_path,
                                          (size_t)(slash - data_path) + (slash == data_path))
                          : ".";
  if (strchr(name, '/') || str_ends_with(name, ".yaml")) {
    const char *p =
        name[0] == '/' ? name : arena_printf(a, "%s/%s", dir, name);
    struct stat st;
    if (readable(p) && stat(p, &st) == 0 && S_ISREG(st.st_mode))
      return p;
    /* A FIFO or /dev/stdin would block reading for ever. */
    if (readable(p))
      diag_error(d, DIAG_SCHEMA, pos, "%s file '%s' is not a regular file",
                 kind, p);
    else
      diag_error(d, DIAG_SCHEMA, pos, "%s file '%s' not found", kind, p);
    return NULL;
  }
  /* The data folder's parent, without a "/.." where it can be avoided. */
  const char *cut = strrchr(dir, '/');
  const char *last = cut ? cut + 1 : dir;
  const char *beside;
  if (!strcmp(dir, ".") || !strcmp(last, "..") || !strcmp(last, "."))
    beside = arena_printf(a, "%s/../%s/%s.yaml", dir, folder, name);
  else if (!cut)
    beside = arena_printf(a, "%s/%s.yaml", folder, name);
  else if (cut == dir)
    beside = arena_printf(a, "/%s/%s.yaml", folder, name);
  else
    beside = arena_printf(a, "%.*s/%s/%s.yaml", (int)(cut - dir), dir,
                          folder, name);
  if (readable(beside))
    return beside;
  const char *installed =
      datadir ? arena_printf(a, "%s/%s/%s.yaml", datadir, folder, name) : NULL;
  if (installed && readable(installed))
    return installed;
  if (installed)
    diag_error(d, DIAG_SCHEMA, pos, "no %s '%s' (looked for %s and %s)", kind,
               name, beside, installed);
  else
    diag_error(d, DIAG_SCHEMA, pos, "no %s '%s' (looked for %s)", kind, name,
               beside);
  return NULL;
}
