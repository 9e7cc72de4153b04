/* SPDX-License-Identifier: MIT */
/* view.c — what a batch tells its user as documents finish: each
 * document's messages in one piece, a progress line on a terminal (never
 * into a file or pipe), one JSON line per document in the report, and the
 * summary at the end. */
#define _GNU_SOURCE 1
#include "batch_imp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void batch_view_init(batch_view *v, FILE *out, FILE *report,
                     const batch_list *l) {
  memset(v, 0, sizeof *v);
  v->out = out;
  v->report = report;
  v->list = l;
  v->progress = isatty(fileno(out));
  v->start = now_seconds();
  v->failures = xcalloc(l->count + 1, sizeof *v->failures);
}

void json_string(bbuf *b, const char *s, size_t len) {
  bbuf_puts(b, "\"");
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      bbuf_printf(b, "\\%c", c);
    else if (c == '\n')
      bbuf_puts(b, "\\n");
    else if (c == '\t')
      bbuf_puts(b, "\\t");
    else if (c < 0x20 || c == 0x7f)
      bbuf_printf(b, "\\u%04x", c);
    else if (c < 0x80)
      bbuf_append(b, s + i, 1);
    else {
      /* UTF-8 as it is; a byte that is not (a file name in another
       * encoding) becomes U+FFFD, as JSON must be UTF-8. */
      uint32_t cp;
      size_t n = utf8_decode(s + i, len - i, &cp);
      if (n) {
        bbuf_append(b, s + i, n);
        i += n - 1;
      } else {
        bbuf_puts(b, "\\ufffd");
      }
    }
  }
  bbuf_puts(b, "\"");
}

static const char *outcome_word(uint32_t outcome) {
  return outcome == BATCH_RENDERED    ? "rendered"
         : outcome == BATCH_UNCHANGED ? "unchanged"
                                      : "failed";
}

/* {"input":…,"output":…,"status":…,"exit":…,"pages":…,"bytes":…,
 *  "milliseconds":…,"messages":[one string a line]} */
static void report_line(batch_view *v, const batch_doc *doc,
                        const batch_record *rec, const char *messages) {
  bbuf b = {0};
  bbuf_puts(&b, "{\"input\":");
  json_string(&b, doc->data, strlen(doc->data));
  bbuf_puts(&b, ",\"output\":");
  json_string(&b, doc->output, strlen(doc->output));
  bbuf_printf(&b,
              ",\"status\":\"%s\",\"exit\":%d,\"pages\":%llu,\"bytes\":%llu,"
              "\"milliseconds\":%llu,\"messages\":[",
              outcome_word(rec->outcome), (int)rec->status,
              (unsigned long long)rec->pages, (unsigned long long)rec->bytes,
              (unsigned long long)rec->milliseconds);
  const char *p = messages;
  for (bool first = true; *p; first = false) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (!first)
      bbuf_puts(&b, ",");
    json_string(&b, p, n);
    p += n + (nl ? 1 : 0);
  }
  bbuf_puts(&b, "]}\n");
  fwrite(b.data, 1, b.len, v->report);
  fflush(v->report); /* a dashboard follows the file as it grows */
  bbuf_free(&b);
}

static void clear_progress(batch_view *v) {
  if (v->progress)
    fputs("\r\033[K", v->out);
}

static void draw_progress(batch_view *v) {
  if (!v->progress)
    return;
  double elapsed = now_seconds() - v->start;
  double rate = elapsed > 0 ? (double)v->done / elapsed : 0;
  size_t left = v->list->count - v->done;
  long eta = rate > 0 ? (long)((double)left / rate + 0.5) : 0;
  fprintf(v->out, "\r\033[Kbudgetpdf: %zu/%zu done, %zu failed, %.1f/s, ETA "
                  "%ld:%02ld",
          v->done, v->list->count, v->failed, rate, eta / 60, eta % 60);
  fflush(v->out);
}

static void count(batch_view *v, size_t index, uint32_t outcome,
                  int status) {
  v->done++;
  if (outcome == BATCH_RENDERED)
    v->rendered++;
  else if (outcome == BATCH_UNCHANGED)
    v->unchanged++;
  else
    v->failures[v->failed++] = index;
  if (status > v->worst)
    v->worst = status;
}

void batch_view_done(batch_view *v, const batch_record *rec,
                     const char *messages) {
  const batch_doc *doc = &v->list->docs[rec->index];
  if (*messages) {
    clear_progress(v);
    fputs(messages, v->out);
    fflush(v->out);
  }
  if (v->report)
    report_line(v, doc, rec, messages);
  count(v, rec->index, rec->outcome, rec->status);
  draw_progress(v);
}

void batch_view_worker_died(batch_view *v, size_t doc, int wait_status) {
  bbuf msg = {0};
  if (WIFSIGNALED(wait_status))
    bbuf_printf(&msg, "%s: error: the process rendering it died of signal "
                      "%d; not rendered\n",
                v->list->docs[doc].data, WTERMSIG(wait_status));
  else
    bbuf_printf(&msg, "%s: error: the process rendering it exited (%d); "
                      "not rendered\n",
                v->list->docs[doc].data, WEXITSTATUS(wait_status));
  batch_record rec = {.index = (uint32_t)doc, .status = BP_EXIT_INTERNAL,
                      .outcome = BATCH_FAILED};
  batch_view_done(v, &rec, msg.data);
  bbuf_free(&msg);
}

int batch_view_finish(batch_view *v, int signal_number) {
  clear_progress(v);
  double elapsed = now_seconds() - v->start;
  size_t total = v->list->count;
  if (signal_number)
    fprintf(v->out,
            "budgetpdf: interrupted by %s after %zu of %zu documents; the "
            "PDFs finished are complete, the others not written\n",
            signal_number == SIGINT    ? "SIGINT"
            : signal_number == SIGTERM ? "SIGTERM"
                                       : "SIGHUP",
            v->done, total);
  fprintf(v->out,
          "budgetpdf: %zu of %zu documents rendered, %zu unchanged, %zu "
          "failed (%.1f s, %.1f documents/s)\n",
          v->rendered, total, v->unchanged, v->failed, elapsed,
          elapsed > 0 ? (double)v->done / elapsed : 0.0);
  if (v->failed) {
    enum { NAMED = 20 };
    fputs("budgetpdf: failed:", v->out);
    for (size_t i = 0; i < v->failed && i < NAMED; i++)
      fprintf(v->out, " %s", v->list->docs[v->failures[i]].data);
    if (v->failed > NAMED)
      fprintf(v->out, " and %zu more (see the messages above)",
              v->failed - NAMED);
    fputs("\n", v->out);
  }
  fflush(v->out);
  free(v->failures);
  v->failures = NULL;
  return v->worst;
}
