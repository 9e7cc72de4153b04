/* SPDX-License-Identifier: MIT */
/* diag.c — the diagnostics sink: print, count, collapse repeats. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

struct diag {
  FILE *out;
  int errors;
  int warnings;
  int by_kind[DIAG_KIND_COUNT];
  char **files; /* interned file names */
  size_t nfiles, capfiles;
  char *last; /* the previous message, to collapse repeats */
};

diag *diag_new(FILE *out) {
  diag *d = xcalloc(1, sizeof *d);
  d->out = out ? out : stderr;
  return d;
}

void diag_drop(diag *d) {
  if (!d)
    return;
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
  fprintf(d->out, "%s\n", msg.data);
  fflush(d->out);
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
