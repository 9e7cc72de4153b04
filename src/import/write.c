/* SPDX-License-Identifier: MIT */
/* write.c — imported tables as YAML, in the data file's own style: one
 * flow mapping a row ("- {code: 208, name: …, 合计: 1603.04}"), amounts
 * as plain decimals, blanks left out; and the atomic file write. */
#include "import_imp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void line_map_set(line_map *lm, int line, cellref at) {
  if (line < 1)
    return;
  size_t i = (size_t)line - 1;
  if (i >= lm->n) {
    XGROW(lm->rows, lm->cap, i + 1);
    memset(lm->rows + lm->n, 0, (i + 1 - lm->n) * sizeof *lm->rows);
    lm->n = i + 1;
  }
  lm->rows[i] = at;
}

/* Would s read back as the same string from a plain scalar in a flow
 * mapping?  Conservative: anything doubtful is quoted. */
static bool plain_ok(const char *s) {
  static const char *const words[] = {"null", "Null", "NULL", "~", "true",
                                      "True", "TRUE", "false", "False",
                                      "FALSE", "yes", "no", "on", "off", NULL};
  if (!*s || strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]))
    return false;
  for (int i = 0; words[i]; i++)
    if (!strcmp(s, words[i]))
      return false;
  for (const char *p = s; *p; p++)
    if (strchr(",[]{}:#\"'\\", *p) || (unsigned char)*p < 0x20)
      return false;
  size_t n = strlen(s);
  return s[n - 1] != ' ' && s[n - 1] != '\t';
}

void yaml_write_scalar(bbuf *b, const char *s) {
  if (plain_ok(s)) {
    bbuf_puts(b, s);
    return;
  }
  bbuf_puts(b, "\"");
  for (const char *p = s; *p; p++) {
    if (*p == '"' || *p == '\\')
      bbuf_printf(b, "\\%c", *p);
    else if (*p == '\n')
      bbuf_puts(b, "\\n");
    else if (*p == '\t')
      bbuf_puts(b, "\\t");
    else if ((unsigned char)*p < 0x20)
      bbuf_printf(b, "\\x%02X", (unsigned char)*p);
    else
      bbuf_append(b, p, 1);
  }
  bbuf_puts(b, "\"");
}

static int lines_in(const bbuf *b, int first_line, size_t from) {
  int line = first_line;
  for (size_t i = from; i < b->len; i++)
    line += b->data[i] == '\n';
  return line;
}

static void indent(bbuf *b, int n) {
  for (int i = 0; i < n; i++)
    bbuf_puts(b, " ");
}

/* ", 合计: 1603.04, 基本支出: 702.04" for the present amounts; returns how
 * many were written. */
static int write_amounts(bbuf *b, const model_side *s, const imp_row *r,
                         bool first) {
  int n = 0;
  for (size_t k = 0; k < s->ncolumns; k++) {
    if (!r->amounts[k].text)
      continue;
    bbuf_puts(b, first && !n ? "" : ", ");
    yaml_write_scalar(b, s->columns[k]);
    bbuf_puts(b, ": ");
    bbuf_puts(b, r->amounts[k].text);
    n++;
  }
  return n;
}

typedef struct writer {
  bbuf *b;
  line_map *lm;
  int first_line;
  size_t start;
} writer;

static void note_line(writer *w, cellref at) {
  line_map_set(w->lm, lines_in(w->b, w->first_line, w->start), at);
}

static void write_side(writer *w, const imp_side *is, int ind,
                       project_id_fn ids, void *ctx) {
  bbuf *b = w->b;
  const model_side *s = is->side;
  indent(b, ind);
  if (!is->nrows)
    bbuf_puts(b, "rows: []\n");
  else
    bbuf_puts(b, "rows:\n");
  for (size_t i = 0; i < is->nrows; i++) {
    const imp_row *r = &is->rows[i];
    note_line(w, r->at);
    indent(b, ind + 2);
    bbuf_puts(b, "- {");
    bool first = true;
    if (r->code) {
      bbuf_printf(b, "code: %s", r->code);
      first = false;
    }
    if (r->name) {
      bbuf_puts(b, first ? "name: " : ", name: ");
      yaml_write_scalar(b, r->name);
      first = false;
    }
    if (s->kind == MODEL_ROWS_ITEMS && r->level > 0)
      bbuf_printf(b, ", level: %d", r->level);
    if (r->project) {
      bbuf_puts(b, ", project: ");
      yaml_write_scalar(b, ids(r->project, r->at, ctx));
    }
    write_amounts(b, s, r, first);
    bbuf_puts(b, "}\n");
  }
  bool any = false;
  for (size_t k = 0; k < s->ncolumns; k++)
    any |= is->total.amounts[k].text != NULL;
  if (any) {
    note_line(w, is->total.at);
    indent(b, ind);
    bbuf_puts(b, "total: {");
    write_amounts(b, s, &is->total, true);
    bbuf_puts(b, "}\n");
  }
}

void yaml_write_table(bbuf *b, const imp_table *t, int ind, project_id_fn ids,
                      void *ctx, line_map *lm, int first_line) {
  writer w = {b, lm, first_line, b->len};
  const model_table *mt = t->table;
  indent(b, ind);
  yaml_write_scalar(b, mt->id);
  bbuf_puts(b, ":");
  if (mt->nsides == 1 && mt->sides[0].kind == MODEL_ROWS_RECORD) {
    const imp_side *is = &t->sides[0];
    const imp_row *r = is->nrows ? &is->rows[0] : &is->total;
    if (is->nrows)
      note_line(&w, r->at);
    bbuf_puts(b, " {");
    int n = write_amounts(b, is->side, r, true);
    if (t->note) {
      bbuf_puts(b, n ? ", note: " : "note: ");
      yaml_write_scalar(b, t->note);
    }
    bbuf_puts(b, "}\n");
    return;
  }
  bbuf_puts(b, "\n");
  for (size_t s = 0; s < mt->nsides; s++) {
    if (mt->nsides > 1) {
      indent(b, ind + 2);
      yaml_write_scalar(b, mt->sides[s].id);
      bbuf_puts(b, ":\n");
      write_side(&w, &t->sides[s], ind + 4, ids, ctx);
    } else
      write_side(&w, &t->sides[s], ind + 2, ids, ctx);
  }
  if (t->note) {
    note_line(&w, t->note_at);
    indent(b, ind + 2);
    bbuf_puts(b, "note: ");
    yaml_write_scalar(b, t->note);
    bbuf_puts(b, "\n");
  }
}

bool write_file_atomic(const char *path, const char *bytes, size_t len,
                       diag *d) {
  src_pos at = {path, 0, 0};
  bbuf tmp = {0};
  bbuf_printf(&tmp, "%s.XXXXXX", path);
  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    diag_error(d, DIAG_IO, at, "cannot write beside it: %s", strerror(errno));
    bbuf_free(&tmp);
    return false;
  }
  struct stat st;
  mode_t mode = 0644;
  if (stat(path, &st) == 0)
    mode = st.st_mode & 07777;
  bool ok = fchmod(fd, mode) == 0;
  for (size_t off = 0; ok && off < len;) {
    ssize_t n = write(fd, bytes + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    off += ok ? (size_t)n : 0;
  }
  ok = ok && fsync(fd) == 0;
  int saved = errno;
  ok = close(fd) == 0 && ok;
  if (ok && rename(tmp.data, path) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) {
    diag_error(d, DIAG_IO, at, "cannot write: %s", strerror(saved));
    unlink(tmp.data);
  }
  bbuf_free(&tmp);
  return ok;
}
