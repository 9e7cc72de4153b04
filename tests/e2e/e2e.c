/* SPDX-License-Identifier: MIT */
/* e2e.c — render with budgetpdf, read the PDF back with pdftotext,
 * pdfinfo and mutool (see e2e.h).  Everything here only reads what the
 * tools print; the tests decide what is right. */
#include "e2e.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(const char *path) {
  diag *d = diag_new(NULL);
  size_t len;
  char *s = file_read_all(path, 1 << 26, &len, d);
  diag_drop(d);
  return s ? s : xstrdup("");
}

int e2e_run(const char *cmd, char **out, char **err) {
  char out_path[] = "/tmp/budgetpdf-e2e-out-XXXXXX";
  char err_path[] = "/tmp/budgetpdf-e2e-err-XXXXXX";
  int fo = mkstemp(out_path), fe = mkstemp(err_path);
  if (fo >= 0)
    close(fo);
  if (fe >= 0)
    close(fe);
  bbuf full = {0};
  bbuf_printf(&full, "( %s ) >'%s' 2>'%s'", cmd, out_path, err_path);
  int st = system(full.data);
  bbuf_free(&full);
  if (out)
    *out = slurp(out_path);
  if (err)
    *err = slurp(err_path);
  unlink(out_path);
  unlink(err_path);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---------------------------------------------------------------- words */

void e2e_words_split(e2e_words *w, const char *text) {
  const char *p = text;
  while (*p) {
    while (*p && isspace((unsigned char)*p))
      p++;
    const char *s = p;
    while (*p && !isspace((unsigned char)*p))
      p++;
    if (p > s) {
      XGROW(w->items, w->cap, w->count + 1);
      w->items[w->count++] = xstrndup(s, (size_t)(p - s));
    }
  }
}

void e2e_words_free(e2e_words *w) {
  for (size_t i = 0; i < w->count; i++)
    free(w->items[i]);
  free(w->items);
  w->items = NULL;
  w->count = w->cap = 0;
}

char *e2e_squeeze(const char *s) {
  char *out = xmalloc(strlen(s) + 1), *o = out;
  for (; *s; s++)
    if (!isspace((unsigned char)*s))
      *o++ = *s;
  *o = 0;
  return out;
}

static long find_rest(const e2e_words *w, size_t from, const char *want) {
  for (size_t i = from; i < w->count; i++) {
    size_t n = strlen(w->items[i]);
    if (strncmp(w->items[i], want, n))
      continue;
    if (!want[n] || find_rest(w, i + 1, want + n) >= 0)
      return (long)i;
  }
  return -1;
}

long e2e_words_find_pieces(const e2e_words *w, size_t from, const char *want) {
  char *sq = e2e_squeeze(want);
  long at = *sq ? find_rest(w, from, sq) : -1;
  free(sq);
  return at;
}

void e2e_doc_words(const e2e_doc *doc, size_t first, size_t last, bool raw,
                   e2e_words *out) {
  for (size_t i = first; i <= last && i < doc->npages; i++)
    e2e_words_split(out, raw ? doc->pages[i].raw : doc->pages[i].layout);
}

/* ---------------------------------------------------------------- pages */

/* "— N —" alone on a line (any white space around). */
static int folio_of_line(const char *line, size_t len) {
  static const char dash[] = "\xe2\x80\x94"; /* U+2014 EM DASH */
  const char *p = line, *end = line + len;
  while (p < end && isspace((unsigned char)*p))
    p++;
  if ((size_t)(end - p) < 3 || memcmp(p, dash, 3))
    return 0;
  p += 3;
  while (p < end && *p == ' ')
    p++;
  int n = 0, digits = 0;
  while (p < end && isdigit((unsigned char)*p) && digits < 6) {
    n = n * 10 + (*p++ - '0');
    digits++;
  }
  while (p < end && *p == ' ')
    p++;
  if (!digits || (size_t)(end - p) < 3 || memcmp(p, dash, 3))
    return 0;
  p += 3;
  while (p < end && isspace((unsigned char)*p))
    p++;
  return p == end ? n : 0;
}

static int folio_of_page(const char *text) {
  int found = 0;
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    int f = folio_of_line(p, n);
    if (f)
      found = f;
    p += n + (e ? 1 : 0);
  }
  return found;
}

/* Split text at form feeds into n pieces (the text after the last form
 * feed is dropped: pdftotext ends every page with one). */
static char **split_pages(const char *text, size_t *n) {
  char **pages = NULL;
  size_t count = 0, cap = 0;
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\f');
    if (!e)
      break;
    XGROW(pages, cap, count + 1);
    pages[count++] = xstrndup(p, (size_t)(e - p));
    p = e + 1;
  }
  *n = count;
  return pages;
}

static void add_tool_errors(e2e_doc *doc, const char *tool, const char *err) {
  if (!*err)
    return;
  bbuf b = {0};
  bbuf_printf(&b, "%s%s: %s", doc->tool_errors, tool, err);
  free(doc->tool_errors);
  doc->tool_errors = b.data;
}

static void read_text(e2e_doc *doc) {
  char *out, *err;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "pdftotext -layout '%s' -", doc->pdf);
  e2e_run(cmd.data, &out, &err);
  add_tool_errors(doc, "pdftotext -layout", err);
  size_t n;
  char **layout = split_pages(out, &n);
  free(out);
  free(err);
  cmd.len = 0;
  bbuf_printf(&cmd, "pdftotext '%s' -", doc->pdf);
  e2e_run(cmd.data, &out, &err);
  add_tool_errors(doc, "pdftotext", err);
  size_t nraw;
  char **raw = split_pages(out, &nraw);
  free(out);
  free(err);
  bbuf_free(&cmd);
  doc->npages = n < nraw ? n : nraw;
  doc->pages = xcalloc(doc->npages ? doc->npages : 1, sizeof *doc->pages);
  for (size_t i = 0; i < n; i++) {
    if (i < doc->npages) {
      doc->pages[i].layout = layout[i];
      doc->pages[i].raw = raw[i];
      doc->pages[i].folio = folio_of_page(layout[i]);
    } else {
      free(layout[i]);
    }
  }
  for (size_t i = doc->npages; i < nraw; i++)
    free(raw[i]);
  free(layout);
  free(raw);
}

/* pdfinfo -f 1 -l N: "Page    7 size:  595.276 x 841.89 pts (A4)" and
 * "Page    7 rot:  90". */
static void read_page_info(e2e_doc *doc) {
  char *out, *err;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "pdfinfo -f 1 -l %zu '%s'", doc->npages, doc->pdf);
  e2e_run(cmd.data, &out, &err);
  bbuf_free(&cmd);
  add_tool_errors(doc, "pdfinfo", err);
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    size_t page;
    double w, h;
    int rot;
    if (sscanf(line, "Page %zu size: %lf x %lf", &page, &w, &h) == 3 &&
        page >= 1 && page <= doc->npages) {
      doc->pages[page - 1].width = w;
      doc->pages[page - 1].height = h;
    } else if (sscanf(line, "Page %zu rot: %d", &page, &rot) == 2 &&
               page >= 1 && page <= doc->npages) {
      doc->pages[page - 1].rotation = rot;
    }
  }
  free(out);
  free(err);
}

char *e2e_mutool_noise_removed(const char *text) {
  static const char icc[] = "warning: ICC support is not available";
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (!(n == strlen(icc) && !strncmp(p, icc, n))) {
      bbuf_append(&b, p, n);
      bbuf_puts(&b, "\n");
    }
    p += n + (e ? 1 : 0);
  }
  return b.data;
}

/* "page 4 = 55 0 R" lines → the object number of each page. */
static long *page_objects(const e2e_doc *doc) {
  long *objs = xcalloc(doc->npages + 1, sizeof *objs);
  char *out;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "mutool show -g '%s' pages 2>/dev/null", doc->pdf);
  e2e_run(cmd.data, &out, NULL);
  bbuf_free(&cmd);
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    size_t page;
    long obj;
    if (sscanf(line, "page %zu = %ld 0 R", &page, &obj) == 2 && page >= 1 &&
        page <= doc->npages)
      objs[page - 1] = obj;
  }
  free(out);
  return objs;
}

static int page_of_object(const e2e_doc *doc, const long *objs, long obj) {
  for (size_t i = 0; i < doc->npages; i++)
    if (objs[i] == obj)
      return (int)i;
  return -1;
}

/* Print objects with `mutool show -g`, one line each, into lines[k] for
 * objs[k]. */
static char **show_objects(const e2e_doc *doc, const long *objs, size_t n) {
  char **lines = xcalloc(n ? n : 1, sizeof *lines);
  if (!n)
    return lines;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "mutool show -g '%s'", doc->pdf);
  for (size_t i = 0; i < n; i++)
    bbuf_printf(&cmd, " %ld", objs[i]);
  bbuf_puts(&cmd, " 2>/dev/null");
  char *out;
  e2e_run(cmd.data, &out, NULL);
  bbuf_free(&cmd);
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    long obj;
    if (sscanf(line, "%ld 0 obj", &obj) != 1)
      continue;
    for (size_t i = 0; i < n; i++)
      if (objs[i] == obj && !lines[i])
        lines[i] = xstrdup(line);
  }
  free(out);
  return lines;
}

/* The links of every page: mutool prints each page's /Annots on a line. */
static void read_links(e2e_doc *doc) {
  long *pobjs = page_objects(doc);
  char *out;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "mutool show -g '%s' 'pages/*/Annots' 2>/dev/null",
              doc->pdf);
  e2e_run(cmd.data, &out, NULL);
  bbuf_free(&cmd);
  long *annots = NULL;
  int *annot_page = NULL;
  size_t nannots = 0, cap = 0, cap2 = 0;
  size_t page = 0;
  for (char *p = out; *p && page < doc->npages; page++) {
    char *e = strchr(p, '\n');
    if (e)
      *e = 0;
    for (char *q = p; (q = strpbrk(q, "0123456789"));) {
      char *end;
      long obj = strtol(q, &end, 10);
      if (!strncmp(end, " 0 R", 4)) {
        XGROW(annots, cap, nannots + 1);
        XGROW(annot_page, cap2, nannots + 1);
        annots[nannots] = obj;
        annot_page[nannots++] = (int)page;
        end += 4;
      }
      q = end;
    }
    if (!e)
      break;
    p = e + 1;
  }
  free(out);
  char **objs = show_objects(doc, annots, nannots);
  long *dests = xcalloc(nannots ? nannots : 1, sizeof *dests);
  doc->links = xcalloc(nannots ? nannots : 1, sizeof *doc->links);
  for (size_t i = 0; i < nannots; i++) {
    e2e_link *l = &doc->links[doc->nlinks++];
    l->page = annot_page[i];
    l->target = -1;
    const char *o = objs[i] ? objs[i] : "";
    const char *r = strstr(o, "/Rect[");
    double x0, y0, x1, y1;
    if (r && sscanf(r, "/Rect[%lf %lf %lf %lf", &x0, &y0, &x1, &y1) == 4)
      l->top = y1 > y0 ? y1 : y0;
    const char *d = strstr(o, "/Dest");
    if (d) {
      d += 5;
      while (*d == ' ')
        d++;
      long obj;
      if (*d == '[') { /* an inline destination: [page 0 R /XYZ …] */
        if (sscanf(d + 1, "%ld 0 R", &obj) == 1)
          l->target = page_of_object(doc, pobjs, obj);
      } else if (sscanf(d, "%ld 0 R", &obj) == 1) {
        dests[i] = obj;
      }
    }
  }
  char **dest_objs = show_objects(doc, dests, nannots);
  for (size_t i = 0; i < nannots; i++) {
    const char *o = dest_objs[i];
    long obj;
    const char *a = o ? strchr(o, '[') : NULL;
    if (dests[i] && a && sscanf(a + 1, "%ld 0 R", &obj) == 1)
      doc->links[i].target = page_of_object(doc, pobjs, obj);
    free(dest_objs[i]);
    free(objs[i]);
  }
  free(dest_objs);
  free(objs);
  free(dests);
  free(annots);
  free(annot_page);
  free(pobjs);
}

/* `mutool show file outline`: "|\t\t\"title\"\t#page=4&…" — the tabs
 * before the title give the depth. */
static void read_outline(e2e_doc *doc) {
  char *out, *err;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "mutool show '%s' outline", doc->pdf);
  e2e_run(cmd.data, &out, &err);
  bbuf_free(&cmd);
  char *kept = e2e_mutool_noise_removed(err);
  add_tool_errors(doc, "mutool show outline", kept);
  free(kept);
  free(err);
  size_t cap = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    char *p = line + 1;
    int depth = 0;
    while (*p == '\t') {
      depth++;
      p++;
    }
    if (*p != '"')
      continue;
    char *end = strrchr(p + 1, '"');
    if (!end)
      continue;
    char *hash = strstr(end, "#page=");
    XGROW(doc->outline, cap, doc->noutline + 1);
    e2e_outline *o = &doc->outline[doc->noutline++];
    o->depth = depth;
    o->title = xstrndup(p + 1, (size_t)(end - p - 1));
    o->page = hash ? atoi(hash + 6) - 1 : -1;
  }
  free(out);
}

e2e_doc *e2e_doc_render(const char *exe, const char *data, const char *dir,
                        const char *name, const char *env) {
  e2e_doc *doc = xcalloc(1, sizeof *doc);
  bbuf path = {0};
  bbuf_printf(&path, "%s/%s.pdf", dir, name);
  doc->pdf = path.data;
  doc->tool_errors = xstrdup("");
  bbuf cmd = {0};
  bbuf_printf(&cmd, "%s '%s' render '%s' -o '%s'", env ? env : "", exe, data,
              doc->pdf);
  doc->status = e2e_run(cmd.data, NULL, &doc->err);
  bbuf_free(&cmd);
  if (doc->status != 0 || access(doc->pdf, R_OK))
    return doc;
  read_text(doc);
  read_page_info(doc);
  read_outline(doc);
  read_links(doc);
  return doc;
}

void e2e_doc_drop(e2e_doc *doc) {
  if (!doc)
    return;
  for (size_t i = 0; i < doc->npages; i++) {
    free(doc->pages[i].layout);
    free(doc->pages[i].raw);
  }
  free(doc->pages);
  for (size_t i = 0; i < doc->noutline; i++)
    free(doc->outline[i].title);
  free(doc->outline);
  free(doc->links);
  free(doc->tool_errors);
  free(doc->err);
  free(doc->pdf);
  free(doc);
}

int e2e_doc_page_with_folio(const e2e_doc *doc, int n) {
  for (size_t i = 0; i < doc->npages; i++)
    if (doc->pages[i].folio == n)
      return (int)i;
  return -1;
}

char *e2e_page_text(const e2e_doc *doc, size_t i) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (const char *p = doc->pages[i].raw; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (!folio_of_line(p, n)) {
      bbuf_append(&b, p, n);
      bbuf_puts(&b, "\n");
    }
    p += n + (e ? 1 : 0);
  }
  return b.data;
}

bool e2e_page_has(const e2e_doc *doc, size_t i, const char *want) {
  if (i >= doc->npages)
    return false;
  char *text = e2e_page_text(doc, i);
  char *page = e2e_squeeze(text), *w = e2e_squeeze(want);
  free(text);
  bool found = strstr(page, w) != NULL;
  free(page);
  free(w);
  return found;
}

char *e2e_doc_running_text(const e2e_doc *doc) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (size_t i = 0; i < doc->npages; i++) {
    char *text = e2e_page_text(doc, i);
    for (const char *p = text; *p; p++)
      if (*p != '\n')
        bbuf_append(&b, p, 1);
    free(text);
  }
  return b.data;
}

char *e2e_tmpdir_new(const char *tag) {
  const char *base = getenv("TMPDIR");
  bbuf b = {0};
  bbuf_printf(&b, "%s/budgetpdf-%s-XXXXXX", base && *base ? base : "/tmp",
              tag);
  if (!mkdtemp(b.data)) {
    perror(b.data);
    exit(1);
  }
  return b.data;
}

void e2e_tmpdir_remove(const char *dir) {
  if (getenv("E2E_KEEP")) {
    fprintf(stderr, "kept %s\n", dir);
    return;
  }
  bbuf cmd = {0};
  bbuf_printf(&cmd, "rm -rf '%s'", dir);
  e2e_run(cmd.data, NULL, NULL);
  bbuf_free(&cmd);
}
