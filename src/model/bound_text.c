/* SPDX-License-Identifier: MIT */
/* bound_text.c — the model's text parts as one list for the expression
 * check and the claim check, and positions inside a YAML scalar: a
 * dangling reference in the middle of a paragraph is reported at its own
 * line and column, not at the start of the paragraph. */
#include "model_imp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- walking */

static void walk_sections(const model_section *s, size_t n, bool free_text,
                          text_visit_fn fn, void *ctx) {
  for (size_t i = 0; i < n; i++) {
    fn(&s[i].heading, free_text, ctx);
    for (size_t k = 0; k < s[i].nparagraphs; k++)
      fn(&s[i].paragraphs[k], free_text, ctx);
    walk_sections(s[i].sections, s[i].nsections, free_text, fn, ctx);
  }
}

void walk_model_texts(const model *m, text_visit_fn fn, void *ctx) {
  for (size_t i = 0; i < m->nparts; i++) {
    const model_part *p = &m->parts[i];
    /* free text: the sections' headings and paragraphs (profile,
     * explanation); entries and fields are labels and lists */
    fn(&p->title, false, ctx);
    if (p->kind == MODEL_PART_SECTIONS)
      walk_sections(p->sections, p->nsections, true, fn, ctx);
    for (size_t k = 0; k < p->nentries; k++)
      fn(&p->entries[k], false, ctx);
    for (size_t k = 0; k < p->nfields; k++)
      fn(&p->fields[k].value, false, ctx);
  }
  for (size_t i = 0; i < m->ntables; i++)
    fn(&m->tables[i].note, false, ctx);
  for (size_t i = 0; i < m->ndescriptions; i++)
    for (size_t k = 0; k < m->descriptions[i].nfields; k++)
      fn(&m->descriptions[i].fields[k].value, false, ctx);
  for (size_t i = 0; i < m->nsheets; i++) {
    const model_sheet *s = &m->sheets[i];
    for (size_t k = 0; k < s->nfields; k++)
      fn(&s->fields[k], false, ctx);
    for (size_t r = 0; r < s->nrows; r++)
      for (size_t k = 0; k < s->ngrid_columns; k++)
        if (!s->rows[r].amounts[k].present) /* a figure column's cell is an amount */
          fn(&s->rows[r].cells[k], false, ctx);
  }
}

typedef struct check_ctx {
  const model *m;
  arena *a;
  diag *d;
} check_ctx;

static void check_one(const model_text *t, bool free_text, void *ctx) {
  (void)free_text;
  check_ctx *c = ctx;
  if (t->text)
    model_text_expand(c->m, t, c->a, c->d);
}

void load_check_bound_text(loader *L) {
  arena *scratch = arena_new();
  check_ctx c = {L->m, scratch, L->d};
  walk_model_texts(L->m, check_one, &c);
  arena_drop(scratch);
}

/* ---------------------------------------------------------------- positions */

static size_t utf8_step(const char *s) {
  unsigned char c = (unsigned char)*s;
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool blank_at(const char *s, size_t *n) {
  if (*s == ' ' || *s == '\t') {
    *n = 1;
    return true;
  }
  if (!strncmp(s, "\xE3\x80\x80", 3)) {
    *n = 3;
    return true;
  }
  return false;
}

/* Read path whole (NULL if it cannot be). */
static char *read_source(const char *path) {
  FILE *f = path ? fopen(path, "rb") : NULL;
  if (!f)
    return NULL;
  bbuf b = {0};
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (64u << 20))
    bbuf_append(&b, buf, n);
  fclose(f);
  bbuf_puts(&b, "");
  return b.data;
}

/* Without the source (a file gone since): as if the scalar were plain,
 * on one line. */
static src_pos counted_from_start(const model_text *t, size_t offset) {
  src_pos at = t->pos;
  if (at.line > 0)
    for (size_t i = 0; i < offset && t->text[i]; i += utf8_step(t->text + i))
      at.col++;
  return at;
}

src_pos text_pos_at(const model *m, const model_text *t, size_t offset) {
  src_pos start = t->pos;
  char *src = start.line <= 0          ? NULL
              : m->internal->source  ? xstrdup(m->internal->source)
              : m->internal->from_file ? read_source(start.file)
                                       : NULL;
  if (!src)
    return counted_from_start(t, offset);
  const char *r = src;
  for (int line = 1; line < start.line && *r; r++)
    if (*r == '\n')
      line++;
  for (int col = 1; col < start.col && *r && *r != '\n'; col++)
    r += utf8_step(r);
  src_pos at = start;
  char quote = *r == '"' || *r == '\'' ? *r : 0;
  if (*r == '|' || *r == '>' || !*r) {
    free(src);
    return start; /* block scalars: the start is as near as it gets */
  }
  if (quote) {
    r++;
    at.col++;
  }
  size_t n;
  while (blank_at(r, &n)) { /* trimmed from the value */
    r += n;
    at.col++;
  }
  const char *v = t->text;
  for (size_t i = 0; i < offset && v[i] && *r;) {
    if (*r == '\n') { /* a folded line: one blank in the value */
      r++;
      at.line++;
      at.col = 1;
      while (*r == ' ' || *r == '\t')
        r++, at.col++;
      i++;
      continue;
    }
    size_t step; /* bytes of the source for one character of the value */
    int cols;    /* and the columns they take */
    if (quote == '"' && *r == '\\') {
      char e = r[1];
      step = e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
      cols = (int)step;
    } else if (quote == '\'' && r[0] == '\'' && r[1] == '\'') {
      step = 2;
      cols = 2;
    } else {
      step = utf8_step(r);
      cols = 1;
    }
    for (size_t k = 0; k < step && *r && *r != '\n'; k++)
      r++;
    at.col += cols;
    i += utf8_step(v + i);
  }
  free(src);
  return at;
}
