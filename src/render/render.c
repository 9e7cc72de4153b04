/* SPDX-License-Identifier: MIT */
/* render.c — one job through the pipeline: model → layout → text →
 * paginate → pdf, to a file, memory or a stream.  Resources that jobs can
 * share (schemas, layouts, font configurations) come from a
 * render_resources when the caller keeps one.  Out of memory anywhere
 * below jumps back here (oom_set_recovery): the one setjmp of the
 * program, at the library's edge, so that a batch survives it. */
#include "render.h"

#include "layout.h"
#include "model.h"
#include "paginate.h"
#include "pdf.h"
#include "text.h"

#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---------------------------------------------------------------- resources */

typedef struct kept_layout {
  struct kept_layout *next;
  char *path;
  layout *l;
} kept_layout;

/* A font configuration as one job set it up: its file, the --font specs
 * (applied once: they open files) and the layout they were checked
 * against. */
typedef struct kept_fonts {
  struct kept_fonts *next;
  char *key;
  text_fonts *fonts;
  text_shaper *shaper; /* its cache of shaped cells serves later jobs */
} kept_fonts;

/* A kept shaper is made afresh past this many cached texts, so that its
 * memory does not grow with the number of jobs: the reference caches
 * 661, and each further unit of a province adds 50–80 (its figures). */
enum { KEPT_SHAPER_MAX_ENTRIES = 5000 };

struct render_resources {
  model_schemas *schemas;
  kept_layout *layouts;
  kept_fonts *fonts;
  char *pdf_settings_path; /* the PDF settings file last read, and it */
  pdf_settings *pdf_settings;
};

render_resources *render_resources_new(void) {
  render_resources *res = xcalloc(1, sizeof *res);
  res->schemas = model_schemas_new();
  return res;
}

/* Drop what is kept, keeping the container: after out of memory, when a
 * kept object may have been half-way through a change. */
static void resources_flush(render_resources *res) {
  for (kept_layout *k = res->layouts, *next; k; k = next) {
    next = k->next;
    layout_drop(k->l);
    free(k->path);
    free(k);
  }
  for (kept_fonts *k = res->fonts, *next; k; k = next) {
    next = k->next;
    text_shaper_drop(k->shaper);
    text_fonts_drop(k->fonts);
    free(k->key);
    free(k);
  }
  model_schemas_drop(res->schemas);
  pdf_settings_drop(res->pdf_settings);
  free(res->pdf_settings_path);
  res->layouts = NULL;
  res->fonts = NULL;
  res->schemas = NULL;
  res->pdf_settings = NULL;
  res->pdf_settings_path = NULL;
}

void render_resources_drop(render_resources *res) {
  if (!res)
    return;
  resources_flush(res);
  free(res);
}

/* ---------------------------------------------------------------- results */

void render_result_clear(render_result *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->ninputs; i++)
    free(r->inputs[i]);
  free(r->inputs);
  memset(r, 0, sizeof *r);
}

static void add_input(render_result *r, const char *path) {
  if (!r || !path)
    return;
  for (size_t i = 0; i < r->ninputs; i++)
    if (!strcmp(r->inputs[i], path))
      return;
  r->inputs = xrealloc(r->inputs, (r->ninputs + 1) * sizeof *r->inputs);
  r->inputs[r->ninputs++] = xstrdup(path);
}

/* ---------------------------------------------------------------- a job */

/* What one job made, on the heap so that it survives the longjmp of out
 * of memory (locals changed after setjmp would be indeterminate). */
typedef struct job_state {
  arena *scratch;
  model *m;
  layout *own_layout; /* when not kept in resources */
  text_fonts *own_fonts;
  text_shaper *shaper;
  block_doc *blocks;
  page_doc *pages;
  bbuf out;
} job_state;

static void job_state_drop(job_state *s) {
  page_doc_drop(s->pages);
  text_shaper_drop(s->shaper);
  block_doc_drop(s->blocks);
  text_fonts_drop(s->own_fonts);
  layout_drop(s->own_layout);
  model_drop(s->m);
  bbuf_free(&s->out);
  arena_drop(s->scratch);
  free(s);
}

/* SOURCE_DATE_EPOCH (reproducible builds) as "YYYY-MM-DDTHH:MM:SSZ";
 * NULL when not given.  A malformed value is a usage error. */
static const char *creation_date(const char *epoch, char *buf, size_t cap,
                                 diag *d) {
  if (!epoch)
    return NULL;
  char *end;
  errno = 0;
  long long secs = strtoll(epoch, &end, 10);
  struct tm tm;
  time_t t = (time_t)secs;
  /* A PDF date has four digits of year: the last second it can say is
   * 9999-12-31T23:59:59Z. */
  const long long LAST_PDF_SECOND = 253402300799LL;
  if (!*epoch || *end || errno || secs < 0 || secs > LAST_PDF_SECOND ||
      !gmtime_r(&t, &tm)) {
    diag_error(d, DIAG_USAGE, (src_pos){0},
               "SOURCE_DATE_EPOCH must be seconds since 1970 up to %lld "
               "(9999-12-31T23:59:59Z, the last date a PDF can hold), not "
               "'%s'",
               (long long)LAST_PDF_SECOND, epoch);
    return NULL;
  }
  strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static model_options model_options_for(render_resources *res,
                                       const render_job *job) {
  return (model_options){.schema_path = job->schema,
                         .datadir = job->datadir,
                         .schemas = res ? res->schemas : NULL};
}

static const layout *load_layout(render_resources *res, job_state *s,
                                 const char *path, diag *d) {
  if (!res)
    return s->own_layout = layout_load(path, d);
  for (kept_layout *k = res->layouts; k; k = k->next)
    if (!strcmp(k->path, path))
      return k->l;
  layout *l = layout_load(path, d);
  if (!l)
    return NULL;
  kept_layout *k = xcalloc(1, sizeof *k);
  k->path = xstrdup(path);
  k->l = l;
  k->next = res->layouts;
  res->layouts = k; /* linked only once whole */
  return l;
}

/* The font configuration for the job: its file with the job's --font
 * specs applied (each checked against the roles the layout uses), and
 * every role the layout uses opened, so that a missing font fails the job
 * before any work. */
static text_fonts *load_fonts(render_resources *res, job_state *s,
                              const render_job *job, const char *path,
                              const char *layout_path, const layout *l,
                              kept_fonts **kept, diag *d) {
  bbuf key = {0};
  bbuf_printf(&key, "%s\n%s", path, layout_path);
  for (size_t i = 0; i < job->nfont_roles; i++)
    bbuf_printf(&key, "\n%s", job->font_roles[i]);
  text_fonts *f = NULL;
  *kept = NULL;
  for (kept_fonts *k = res ? res->fonts : NULL; k && !f; k = k->next)
    if (!strcmp(k->key, key.data)) {
      f = k->fonts;
      *kept = k;
    }
  if (!f) {
    f = text_fonts_load(path, d);
    if (f && !text_fonts_override_roles(f, job->font_roles, job->nfont_roles,
                                        layout_font_roles(l), d)) {
      text_fonts_drop(f);
      f = NULL;
    }
    if (f && res) {
      kept_fonts *k = xcalloc(1, sizeof *k);
      k->key = key.data;
      key.data = NULL;
      k->fonts = f;
      k->next = res->fonts;
      res->fonts = k;
      *kept = k;
    } else {
      s->own_fonts = f;
    }
  }
  bbuf_free(&key);
  if (f && !text_fonts_check_roles_at(
               f, layout_font_roles(l), layout_font_role_positions(l),
               (src_pos){diag_intern_file(d, layout_path), 0, 0}, d))
    return NULL;
  return f;
}

/* The kept fonts' shaper, made afresh when its cache has grown past
 * KEPT_SHAPER_MAX_ENTRIES. */
static text_shaper *kept_shaper(kept_fonts *k) {
  if (k->shaper) {
    text_shaper_stats st;
    text_shaper_lookup_stats(k->shaper, &st);
    if (st.cache_entries > KEPT_SHAPER_MAX_ENTRIES) {
      text_shaper_drop(k->shaper);
      k->shaper = NULL;
    }
  }
  if (!k->shaper)
    k->shaper = text_shaper_new(k->fonts);
  return k->shaper;
}

/* Do both paths name one existing file (through links, too)? */
static bool same_file(const char *x, const char *y) {
  struct stat sx, sy;
  return x && y && stat(x, &sx) == 0 && stat(y, &sy) == 0 &&
         sx.st_dev == sy.st_dev && sx.st_ino == sy.st_ino;
}

/* The sink's file must not be one of the inputs: the PDF would replace
 * it.  The font files of --font ROLE=FILE[#N] are inputs too. */
static bool sink_spares_inputs(const render_sink *sink, const char *const *in,
                               const render_job *job, arena *scratch,
                               diag *d) {
  static const char *const names[] = {"data", "schema", "layout", "fonts"};
  for (size_t i = 0; sink->path && i < 4; i++)
    if (same_file(sink->path, in[i])) {
      diag_error(d, DIAG_USAGE, (src_pos){0},
                 "-o %s is the %s file; the PDF would replace it", sink->path,
                 names[i]);
      return false;
    }
  for (size_t i = 0; sink->path && i < job->nfont_roles; i++) {
    const char *eq = strchr(job->font_roles[i], '=');
    const char *file = eq ? eq + 1 : job->font_roles[i];
    const char *hash = strrchr(file, '#');
    if (same_file(sink->path, file) ||
        (hash && same_file(sink->path,
                           arena_strndup(scratch, file, (size_t)(hash - file))))) {
      diag_error(d, DIAG_USAGE, (src_pos){0},
                 "-o %s is the font file of --font %s; the PDF would replace "
                 "it",
                 sink->path, job->font_roles[i]);
      return false;
    }
  }
  return true;
}

static bool deliver(const render_sink *sink, const bbuf *bytes, diag *d) {
  if (sink->memory) {
    bbuf_append(sink->memory, bytes->data ? bytes->data : "", bytes->len);
    return true;
  }
  if (sink->stream) {
    if (fwrite(bytes->data ? bytes->data : "", 1, bytes->len, sink->stream) ==
            bytes->len &&
        fflush(sink->stream) == 0)
      return true;
    diag_error(d, DIAG_IO, (src_pos){0}, "cannot write: %s", strerror(errno));
    return false;
  }
  return pdf_write_atomically(sink->path, bytes->data ? bytes->data : "",
                              bytes->len, d);
}

/* The PDF settings file at path, read once for all jobs when resources
 * are kept (one file: every job of a batch has the same data directory).
 * NULL after reporting a mistake in it; without resources, NULL and
 * pdf_render_with reads it. */
static const pdf_settings *kept_pdf_settings(render_resources *res,
                                             const char *path, diag *d,
                                             bool *failed) {
  *failed = false;
  if (!res)
    return NULL;
  if (res->pdf_settings && !strcmp(res->pdf_settings_path, path))
    return res->pdf_settings;
  pdf_settings *loaded = pdf_settings_load(path, d);
  if (!loaded) {
    *failed = true;
    return NULL;
  }
  pdf_settings_drop(res->pdf_settings);
  free(res->pdf_settings_path);
  res->pdf_settings_path = xstrdup(path);
  res->pdf_settings = loaded;
  return loaded;
}

static void run_job(render_resources *res, job_state *s, const render_job *job,
                    const render_sink *sink, render_result *r, diag *d) {
  char date[32];
  layout_expand_options xo = {
      creation_date(job->source_date_epoch, date, sizeof date, d)};
  if (diag_error_count(d))
    return;
  model_options mo = model_options_for(res, job);
  s->m = model_load(job->data, &mo, d);
  add_input(r, job->data);
  if (!s->m)
    return;
  add_input(r, s->m->schema_path);
  size_t findings =
      model_report_findings(s->m, d, job->strict ? DIAG_ERROR : DIAG_WARNING);
  if (findings && job->strict) {
    diag_report(d, DIAG_NOTE, DIAG_CHECK, (src_pos){job->data, 0, 0},
                "not rendered: --strict and %zu finding%s", findings,
                findings == 1 ? "" : "s");
    return;
  }

  const char *layout_path =
      job->layout ? job->layout
                  : resource_path(s->scratch, "layout", "layouts",
                                  s->m->layout.text, job->data, job->datadir,
                                  s->m->layout.pos, d);
  const layout *l = layout_path ? load_layout(res, s, layout_path, d) : NULL;
  add_input(r, layout_path);
  if (!l)
    return;
  /* The schema/layout match is layout_expand's. */
  if (!(s->blocks = layout_expand(l, s->m, &xo, d)))
    return;

  const char *fonts_path =
      job->fonts ? job->fonts
                 : arena_printf(s->scratch, "%s/fonts/fonts.yaml",
                                job->datadir ? job->datadir : ".");
  add_input(r, fonts_path);
  kept_fonts *kept = NULL;
  text_fonts *fonts =
      load_fonts(res, s, job, fonts_path, layout_path, l, &kept, d);
  if (!fonts || diag_error_count(d))
    return;
  const char *inputs[] = {job->data, s->m->schema_path, layout_path,
                          fonts_path};
  if (!sink_spares_inputs(sink, inputs, job, s->scratch, d))
    return;

  if (job->product == RENDER_BLOCKS) {
    /* block_doc_dump prints to a stream: through memory to the sink. */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
      out_of_memory();
    block_doc_dump(s->blocks, mem);
    fclose(mem);
    bbuf_append(&s->out, text, len);
    free(text);
  } else {
    text_shaper *shaper = kept ? kept_shaper(kept) : NULL;
    if (!shaper)
      shaper = s->shaper = text_shaper_new(fonts);
    s->pages = paginate(s->blocks, fonts, shaper, d);
    text_fonts_report_changed(fonts, d); /* read as zeros: see text.h */
    if (diag_error_count(d))
      return; /* a missing glyph, say: no PDF with holes in it */
    r->pages = page_doc_page_count(s->pages);
    if (job->product == RENDER_PAGES)
      page_doc_dump(s->pages, &s->out);
    else {
      /* the PDF settings (language, PDF/A colour profile) beside the fonts */
      const char *settings = arena_printf(s->scratch, "%s/fonts/pdf.yaml",
                                          job->datadir ? job->datadir : ".");
      add_input(r, settings);
      bool failed;
      const pdf_settings *loaded = kept_pdf_settings(res, settings, d, &failed);
      if (failed)
        return;
      /* kept fonts are subset again by the next job: their pages stay */
      pdf_options po = {.settings = settings,
                        .loaded_settings = loaded,
                        .keep_font_pages = kept != NULL};
      if (!pdf_render_with(s->pages, &po, &s->out, NULL, d))
        return;
    }
  }
  for (size_t i = 0; i < text_fonts_face_count(fonts); i++) {
    text_face_info fi;
    text_face_describe(text_fonts_lookup_face(fonts, i), &fi);
    add_input(r, fi.path);
  }
  if (deliver(sink, &s->out, d) && r)
    r->bytes = s->out.len;
}

/* Run fn(ctx) with out of memory jumping back here.  Returns false if it
 * did; kept resources are then dropped, as they may have been in the
 * middle of a change. */
static bool run_guarded(void (*fn)(void *), void *ctx,
                        render_resources *res) {
  jmp_buf recovery;
  jmp_buf *outer = oom_set_recovery(&recovery);
  volatile bool completed = false;
  if (setjmp(recovery) == 0) {
    fn(ctx);
    completed = true;
  }
  oom_set_recovery(outer);
  if (!completed && res) {
    resources_flush(res);
    res->schemas = model_schemas_new();
  }
  return completed;
}

typedef struct render_call {
  render_resources *res;
  const render_job *job;
  const render_sink *sink;
  render_result *r;
  diag *d;
  job_state *s;
  size_t findings;
} render_call;

static void render_guarded(void *ctx) {
  render_call *c = ctx;
  run_job(c->res, c->s, c->job, c->sink, c->r, c->d);
}

int render(render_resources *res, const render_job *job,
           const render_sink *sink, render_result *result, diag *d) {
  render_result spare = {0};
  render_call c = {res, job, sink, result ? result : &spare, d,
                   xcalloc(1, sizeof(job_state)), 0};
  c.s->scratch = arena_new();
  if (!run_guarded(render_guarded, &c, res))
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "out of memory");
  job_state_drop(c.s);
  render_result_clear(&spare);
  return diag_exit_status(d);
}

/* ---------------------------------------------------------------- check */

static void check_guarded(void *ctx) {
  render_call *c = ctx;
  model_options mo = model_options_for(c->res, c->job);
  src_pos whole = {c->job->data, 0, 0};
  c->s->m = model_load(c->job->data, &mo, c->d);
  if (!c->s->m) {
    if (diag_exit_status(c->d) == BP_EXIT_INPUT)
      diag_report(c->d, DIAG_NOTE, DIAG_SCHEMA, whole,
                  "arithmetic not checked: fix the errors above first");
  } else if ((c->findings = model_report_findings(c->s->m, c->d,
                                                  DIAG_ERROR)) != 0) {
    diag_report(c->d, DIAG_NOTE, DIAG_CHECK, whole, "%zu finding%s",
                c->findings, c->findings == 1 ? "" : "s");
  }
}

int render_check(render_resources *res, const render_job *job,
                 size_t *findings, diag *d) {
  render_call c = {res, job, NULL, NULL, d, xcalloc(1, sizeof(job_state)), 0};
  if (!run_guarded(check_guarded, &c, res))
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "out of memory");
  if (findings)
    *findings = c.findings;
  job_state_drop(c.s);
  return diag_exit_status(d);
}

void render_install_signal_cleanup(void) { pdf_install_cleanup_handlers(); }
