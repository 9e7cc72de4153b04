/* SPDX-License-Identifier: MIT */
/* diag.c — the diagnostics sink: print, count, collapse repeats.
 *
 * What a message prints comes partly from the inputs (a key, a font's
 * family name, a file name), so every message is escaped on its way out:
 * a control character or an invalid UTF-8 byte reaches the terminal as
 * \xNN text, never as a byte that could clear the screen or move the
 * cursor.  A hostile file can also make one mistake a million times;
 * each kind of message (its format) is printed DIAG_MAX_LIKE times, then
 * counted and summed up as "… and N more like this". */
#include "base.h"

#include <stdlib.h>
#include <string.h>

/* Messages of one format printed before the rest are only counted. */
enum { DIAG_MAX_LIKE = 100 };

/* Edit-distance cells diag_suggest computes for one sink: "did you mean"
 * over 20,000 unknown names and 20,000 known ones must not take minutes. */
enum { DIAG_SUGGEST_BUDGET = 20 * 1000 * 1000 };

typedef struct diag_format_count {
  const char *fmt; /* the format string, compared by address */
  int printed;
  long long held;  /* reports not printed */
  const char *file; /* of the last one held */
} diag_format_count;

struct diag {
  FILE *out;
  int errors;
  int warnings;
  int by_kind[DIAG_KIND_COUNT];
  char **files; /* interned file names */
  size_t nfiles, capfiles;
  char *last; /* the previous message, to collapse repeats */
  diag_format_count *formats; /* open addressing by fmt address */
  size_t nformats, capformats; /* capformats: a power of two, or 0 */
  size_t suggest_budget; /* cells diag_suggest may still compute */
  bool budget_set;
};

diag *diag_new(FILE *out) {
  diag *d = xcalloc(1, sizeof *d);
  d->out = out ? out : stderr;
  return d;
}

/* The count of fmt's reports, found or added. */
static diag_format_count *format_count(diag *d, const char *fmt) {
  if (2 * (d->nformats + 1) > d->capformats) {
    size_t cap = d->capformats ? 2 * d->capformats : 64;
    diag_format_count *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < d->capformats; i++)
      if (d->formats[i].fmt) {
        size_t h = ((uintptr_t)d->formats[i].fmt >> 3) & (cap - 1);
        while (t[h].fmt)
          h = (h + 1) & (cap - 1);
        t[h] = d->formats[i];
      }
    free(d->formats);
    d->formats = t;
    d->capformats = cap;
  }
  size_t h = ((uintptr_t)fmt >> 3) & (d->capformats - 1);
  while (d->formats[h].fmt && d->formats[h].fmt != fmt)
    h = (h + 1) & (d->capformats - 1);
  if (!d->formats[h].fmt) {
    d->formats[h].fmt = fmt;
    d->nformats++;
  }
  return &d->formats[h];
}

/* Print "… and N more like this" for every format that was held back, in
 * the order of the table (deterministic: the formats are string literals
 * of the program, but their addresses are not sorted by file order, so
 * the notes are sorted by count of held reports, then by text). */
static int held_cmp(const void *a, const void *b) {
  const diag_format_count *x = *(const diag_format_count *const *)a;
  const diag_format_count *y = *(const diag_format_count *const *)b;
  if (x->held != y->held)
    return x->held > y->held ? -1 : 1;
  return strcmp(x->fmt, y->fmt);
}

void diag_flush(diag *d) {
  if (!d || !d->nformats)
    return;
  const diag_format_count **held = xcalloc(d->nformats, sizeof *held);
  size_t n = 0;
  for (size_t i = 0; i < d->capformats; i++)
    if (d->formats[i].fmt && d->formats[i].held)
      held[n++] = &d->formats[i];
  qsort(held, n, sizeof *held, held_cmp);
  for (size_t i = 0; i < n; i++) {
    bbuf msg = {0};
    bbuf_printf(&msg, "%s: note: … and %lld more like this",
                held[i]->file ? held[i]->file : "budgetpdf", held[i]->held);
    bbuf shown = {0};
    diag_escape(&shown, msg.data, msg.len);
    fprintf(d->out, "%s\n", shown.data);
    bbuf_free(&shown);
    bbuf_free(&msg);
  }
  fflush(d->out);
  free(held);
  for (size_t i = 0; i < d->capformats; i++)
    d->formats[i].held = 0;
}

void diag_drop(diag *d) {
  if (!d)
    return;
  diag_flush(d);
  free(d->formats);
  for (size_t i = 0; i < d->nfiles; i++)
    free(d->files[i]);
  free(d->files);
  free(d->last);
  free(d);
}

const char *diag_intern_file(diag *d, const char *name) {
  if (!name)
    return NULL;
  for (size_t i = 0; i < d->nfiles; i++)
    if (strcmp(d->files[i], name) == 0)
      return d->files[i];
  XGROW(d->files, d->capfiles, d->nfiles + 1);
  d->files[d->nfiles] = xstrdup(name);
  return d->files[d->nfiles++];
}

/* The severity and what separates it from the message ("error: "; in
 * Chinese "错误：", a full-width colon); the position stays first in every
 * language, so that editors still jump to it. */
static const char *severity_word(diag_severity sev) {
  switch (sev) {
  case DIAG_ERROR:
    return _("error: ");
  case DIAG_WARNING:
    return _("warning: ");
  case DIAG_NOTE:
    return _("note: ");
  }
  return _("error: ");
}

void diag_vreport(diag *d, diag_severity sev, diag_kind kind, src_pos pos,
                  const char *fmt, va_list ap) {
  bbuf msg = {0};
  if (pos.file && pos.line > 0)
    bbuf_printf(&msg, "%s:%d:%d: ", pos.file, pos.line,
                pos.col > 0 ? pos.col : 1);
  else if (pos.file)
    bbuf_printf(&msg, "%s: ", pos.file);
  else
    bbuf_puts(&msg, "budgetpdf: ");
  bbuf_puts(&msg, severity_word(sev));
  fmt = gettext(fmt); /* the catalogue's, if it has the message */
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n > 0) {
    size_t at = msg.len;
    XGROW(msg.data, msg.cap, msg.len + (size_t)n + 1);
    vsnprintf(msg.data + at, (size_t)n + 1, fmt, ap);
    msg.len += (size_t)n;
  }
  if (d->last && strcmp(d->last, msg.data) == 0) {
    bbuf_free(&msg);
    return; /* a repeat: counted once, printed once */
  }
  diag_format_count *like = format_count(d, fmt);
  if (like->printed < DIAG_MAX_LIKE) {
    like->printed++;
    bbuf shown = {0};
    diag_escape(&shown, msg.data, msg.len);
    fprintf(d->out, "%s\n", shown.data);
    fflush(d->out);
    bbuf_free(&shown);
  } else {
    like->held++;
    like->file = pos.file ? diag_intern_file(d, pos.file) : NULL;
  }
  free(d->last);
  d->last = msg.data;
  if (sev == DIAG_ERROR) {
    d->errors++;
    if (kind >= 0 && kind < DIAG_KIND_COUNT)
      d->by_kind[kind]++;
  } else if (sev == DIAG_WARNING) {
    d->warnings++;
  }
}

void diag_report(diag *d, diag_severity sev, diag_kind kind, src_pos pos,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(d, sev, kind, pos, fmt, ap);
  va_end(ap);
}

void diag_error(diag *d, diag_kind kind, src_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(d, DIAG_ERROR, kind, pos, fmt, ap);
  va_end(ap);
}

void diag_warning(diag *d, diag_kind kind, src_pos pos, const char *fmt,
                  ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(d, DIAG_WARNING, kind, pos, fmt, ap);
  va_end(ap);
}

/* \xNN for a byte that is not shown as itself. */
static void put_hex_byte(bbuf *b, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
  bbuf_append(b, e, 4);
}

void diag_escape(bbuf *out, const char *s, size_t len) {
  bbuf_append(out, "", 0);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n) { /* invalid UTF-8: the byte, as text */
      put_hex_byte(out, (unsigned char)s[i]);
      i++;
      continue;
    }
    /* C0 and C1 controls and DEL move the cursor or start escape
     * sequences; the bidirectional overrides and isolates reorder what
     * follows them on the line (a message could then read backwards). */
    bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
    bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if (control && cp < 0x80)
      put_hex_byte(out, (unsigned char)cp);
    else if (control || bidi)
      bbuf_printf(out, "\\u%04X", (unsigned)cp);
    else
      bbuf_append(out, s + i, n);
    i += n;
  }
}

const char *diag_suggest(diag *d, const char *key, const char *const *names) {
  if (!d->budget_set) {
    d->suggest_budget = DIAG_SUGGEST_BUDGET;
    d->budget_set = true;
  }
  return closest_name_within(key, names, &d->suggest_budget);
}

int diag_error_count(const diag *d) { return d->errors; }
int diag_warning_count(const diag *d) { return d->warnings; }
int diag_kind_count(const diag *d, diag_kind kind) {
  return kind >= 0 && kind < DIAG_KIND_COUNT ? d->by_kind[kind] : 0;
}

int diag_exit_status(const diag *d) {
  if (d->by_kind[DIAG_INTERNAL])
    return BP_EXIT_INTERNAL;
  if (d->by_kind[DIAG_USAGE] || d->by_kind[DIAG_IO])
    return BP_EXIT_USAGE;
  if (d->errors)
    return BP_EXIT_INPUT;
  return BP_EXIT_OK;
}
