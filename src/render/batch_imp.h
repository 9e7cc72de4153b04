/* SPDX-License-Identifier: MIT */
/* batch_imp.h — shared between the files of a batch (batch.c: the list
 * and the workers; view.c: what the user sees; changed.c: --changed). */
#ifndef BUDGETPDF_BATCH_IMP_H
#define BUDGETPDF_BATCH_IMP_H

#include "render.h"

#include <fcntl.h>

/* One document of the batch. */
typedef struct batch_doc {
  const char *data;   /* the data file */
  const char *output; /* the PDF */
  src_pos pos;        /* its manifest entry (file NULL: command line) */
} batch_doc;

typedef struct batch_list {
  arena *arena; /* paths, the manifest's tree */
  batch_doc *docs;
  size_t count, cap;
} batch_list;

/* The documents of b (command line, then manifest), outputs assigned and
 * checked, sharded.  false after reporting errors. */
bool batch_list_load(batch_list *l, const render_batch *b, diag *d);
void batch_list_drop(batch_list *l);

typedef enum batch_outcome {
  BATCH_RENDERED,
  BATCH_UNCHANGED, /* --changed: inputs and PDF as recorded */
  BATCH_FAILED
} batch_outcome;

/* What a worker sends back for one document, followed by message_bytes
 * of its messages. */
typedef struct batch_record {
  uint32_t index;
  int32_t status; /* BP_EXIT_* */
  uint32_t outcome;
  uint32_t message_bytes;
  uint64_t pages, bytes, milliseconds;
} batch_record;

bool read_full(int fd, void *buf, size_t n);
bool write_full(int fd, const void *buf, size_t n);

/* ---------------------------------------------------------------- view.c */

typedef struct batch_view {
  FILE *out;      /* messages, progress, summary */
  FILE *report;   /* JSON lines, or NULL */
  const batch_list *list;
  bool progress;  /* out is a terminal */
  double start;
  size_t done, rendered, unchanged, failed;
  int worst;      /* worst status of a document */
  size_t *failures; /* indices, in the order they failed */
} batch_view;

void batch_view_init(batch_view *v, FILE *out, FILE *report,
                     const batch_list *l);
/* A document finished: its messages, a report line, the progress. */
void batch_view_done(batch_view *v, const batch_record *rec,
                     const char *messages);
/* The worker rendering document `doc` died (wait status). */
void batch_view_worker_died(batch_view *v, size_t doc, int wait_status);
/* The summary; returns the batch's exit status (signal 0: not stopped). */
int batch_view_finish(batch_view *v, int signal);

/* Append s to b as a JSON string. */
void json_string(bbuf *b, const char *s, size_t len);

/* ---------------------------------------------------------------- changed.c */

/* SHA-256 of files, kept for files that do not change within a batch
 * (schemas, layouts, fonts: everything but the data and the PDF). */
typedef struct batch_hashes batch_hashes;
batch_hashes *batch_hashes_new(void);
void batch_hashes_drop(batch_hashes *h);

/* Is the sidecar <output>.sha256 there, for these options, and does every
 * file it lists (the inputs and the PDF) still have its hash? */
bool batch_unchanged(batch_hashes *h, const render_batch *b,
                     const render_job *job, const char *output, diag *d);
/* Write the sidecar for a document just rendered (atomically). */
void batch_record_inputs(batch_hashes *h, const render_batch *b,
                         const render_result *r, const char *output,
                         diag *d);

#endif
