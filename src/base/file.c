/* file.c — reading whole input files with a size bound. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
