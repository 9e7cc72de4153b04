/* SPDX-License-Identifier: MIT */
/* render.h — budgetpdf as a library: the whole pipeline (model → layout →
 * text → paginate → pdf) behind one call, and batches of documents.
 *
 *   render_resources *res = render_resources_new();   // optional: shared
 *   diag *d = diag_new(stderr);
 *   render_job job = {.data = "unit.yaml", .datadir = DATADIR};
 *   render_sink to = {.path = "unit.pdf"};            // or .memory, .stream
 *   render_result r = {0};
 *   int status = render(res, &job, &to, &r, d);       // BP_EXIT_*
 *   ... r.pages, r.bytes ...
 *   render_result_clear(&r);
 *   diag_drop(d);
 *   ... more jobs with the same res ...
 *   render_resources_drop(res);
 *
 * Every problem is reported to the caller's diag (file:line:col: error:)
 * and reflected in the returned status; nothing is written to the sink
 * unless every stage succeeded.  A job never exits the process: out of
 * memory inside the pipeline is reported ("out of memory", an internal
 * error) and the call returns BP_EXIT_INTERNAL after dropping what the
 * job made and every resource it may have been changing.  Memory a stage
 * held half-built at that moment (inside a loader, HarfBuzz or libharu)
 * is not recovered.  Not thread-safe: one job at a time per process
 * (batches use processes, see render_batch).
 *
 * Deterministic: the same job gives the same bytes whether its resources
 * are fresh or shared with earlier jobs. */
#ifndef BUDGETPDF_RENDER_H
#define BUDGETPDF_RENDER_H

#include "base.h"

/* ---------------------------------------------------------------- jobs */

/* What a job produces. */
typedef enum render_product {
  RENDER_PDF,    /* the disclosure PDF */
  RENDER_BLOCKS, /* the block tree as text (layout's dump), for tests */
  RENDER_PAGES   /* the display lists as text (paginate's dump) */
} render_product;

typedef struct render_job {
  const char *data;    /* the data file (required) */
  const char *schema;  /* schema file instead of the one the data names,
                          or NULL */
  const char *layout;  /* layout file instead of the data's, or NULL */
  const char *fonts;   /* font roles; NULL: <datadir>/fonts/fonts.yaml */
  const char *const *font_roles; /* nfont_roles "ROLE=FILE" specs
                                    (--font): each must be a role the
                                    layout uses */
  size_t nfont_roles;
  const char *datadir; /* the program's own schemas/, layouts/, fonts/
                          (BUDGETPDF_DATADIR); NULL: only beside the data */
  bool strict;         /* a check finding is an error: nothing rendered */
  render_product product;
  /* The value of SOURCE_DATE_EPOCH (seconds since 1970) to record as the
   * creation date instead of the data's sign-off date, or NULL.  A
   * malformed value is a usage error. */
  const char *source_date_epoch;
} render_job;

/* Where the product goes: exactly one of the three. */
typedef struct render_sink {
  const char *path; /* a file, written atomically (see pdf.h): on any
                       failure the previous file is untouched and no
                       temporary file is left.  Refused if it is one of the
                       job's input files. */
  bbuf *memory;     /* appended to (the caller frees it) */
  FILE *stream;     /* written to, e.g. stdout for a dump */
} render_sink;

/* What a job made.  Zero it before the first use; render fills it (also
 * on failure, as far as the job got) and render_result_clear frees it. */
typedef struct render_result {
  size_t pages; /* pages of the document (RENDER_PDF, RENDER_PAGES) */
  size_t bytes; /* bytes given to the sink */
  /* The files the product was made from, as paths: the data, schema,
   * layout and font configuration, then every font file opened so far
   * (with shared resources, fonts opened for earlier jobs too: a
   * superset).  What a content hash of the inputs covers. */
  char **inputs;
  size_t ninputs;
} render_result;
void render_result_clear(render_result *r);

/* ---------------------------------------------------------------- resources
 * What jobs can share: parsed schemas and layouts (by path), and font
 * configurations with their opened faces and HarfBuzz shape plans (by
 * configuration file, --font specs and layout).  Files are read once and
 * assumed not to change while the resources live.  Each job still makes
 * its own model, blocks, pages and shaping cache, so memory does not grow
 * with the number of jobs. */
typedef struct render_resources render_resources;
render_resources *render_resources_new(void);
/* Drops everything kept.  NULL accepted. */
void render_resources_drop(render_resources *res);

/* Render one job to the sink.  res may be NULL: everything is loaded for
 * this job and dropped after.  result may be NULL.  Returns the exit
 * status the job calls for (diag_exit_status of what it reported):
 * BP_EXIT_OK, BP_EXIT_INPUT (errors in the data, layout or fonts, or
 * findings with strict), BP_EXIT_USAGE (I/O), BP_EXIT_INTERNAL.  Check
 * findings are reported as warnings (errors with strict). */
int render(render_resources *res, const render_job *job,
           const render_sink *sink, render_result *result, diag *d);

/* `check`: load job->data (with job->schema, job->datadir) and report
 * load errors, or else every arithmetic finding as an error, with a note
 * counting them.  *findings (may be NULL) receives their number.  Returns
 * the exit status (BP_EXIT_INPUT if anything was found). */
int render_check(render_resources *res, const render_job *job,
                 size_t *findings, diag *d);

/* ---------------------------------------------------------------- batches
 * Many documents, each rendered atomically and independently: a data file
 * with errors is reported (with its positions) and the others still
 * render.  Work is spread over worker processes forked once, each keeping
 * its resources loaded for every document it is given.  docs/BATCH.md
 * describes the manifest, the report and the recipes for schedulers. */
typedef struct render_batch {
  render_job job;           /* what every document shares (.data unused;
                               .product must be RENDER_PDF) */
  const char *const *data;  /* data files named on the command line */
  size_t ndata;
  const char *manifest;     /* a file listing more (NULL: none): a YAML
                               sequence of paths or {data:, output:}
                               mappings (.yaml/.yml), else one path a line;
                               paths relative to the manifest's folder */
  const char *outdir;       /* where the PDFs go, <name>.pdf for
                               <name>.yaml unless the manifest names the
                               output (required; created if missing) */
  int workers;              /* processes; <= 0: the CPUs this process may
                               run on */
  const char *report;       /* one JSON line per document finished, as it
                               finishes, or NULL */
  bool changed;             /* skip a document whose inputs and PDF are as
                               its sidecar <output>.sha256 recorded; write
                               the sidecar after each render */
  int shard, nshards;       /* only documents i (in list order, counted
                               from 0) with i % nshards == shard;
                               nshards 0: all */
  const char *version;      /* the program's version, part of what
                               --changed compares */
  FILE *messages;           /* each document's messages, the progress line
                               (only when a terminal) and the summary
                               (NULL: stderr) */
} render_batch;

/* Render every document of the batch.  Problems with the batch itself
 * (the manifest, two documents for one output, the output folder) are
 * reported to d before anything renders.  Returns BP_EXIT_OK if every
 * document rendered (or was unchanged), else the worst status of a
 * document (BP_EXIT_INPUT when some had errors in their inputs); on
 * SIGINT, SIGTERM or SIGHUP the workers are stopped (each removes its
 * temporary file; finished PDFs stay), the summary says how far it got,
 * and the process dies of the signal. */
int render_batch_run(const render_batch *b, diag *d);

/* For a program: remove a temporary output file when the process is
 * interrupted or exits (pdf_install_cleanup_handlers, see pdf.h).  Not
 * done by render itself, which leaves a host program's signals alone. */
void render_install_signal_cleanup(void);

#endif
