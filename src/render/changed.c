/* SPDX-License-Identifier: MIT */
/* changed.c — `--changed`: re-render a document only if something it was
 * made from changed.  After a render the sidecar <output>.sha256 records
 * the SHA-256 (libmd) of every input file (data, schema, layout, font
 * configuration, font files) and of the PDF written, in sha256sum's
 * format under one comment line naming the program version and a hash of
 * the options; a document is unchanged when the sidecar exists for the
 * same options and every file it lists hashes as recorded.  A PDF edited
 * or removed since, a file missing, a sidecar unreadable: rendered. */
#define _GNU_SOURCE 1
#include "batch_imp.h"

#include "pdf.h"

#include <sha2.h>
#include <stdlib.h>
#include <string.h>

enum { HEX = 2 * SHA256_DIGEST_LENGTH };

typedef struct known_hash {
  struct known_hash *next;
  char *path;
  char hex[HEX + 1];
} known_hash;

struct batch_hashes {
  known_hash *head;
};

batch_hashes *batch_hashes_new(void) { return xcalloc(1, sizeof(batch_hashes)); }

void batch_hashes_drop(batch_hashes *h) {
  if (!h)
    return;
  for (known_hash *k = h->head, *next; k; k = next) {
    next = k->next;
    free(k->path);
    free(k);
  }
  free(h);
}

static bool hash_file(const char *path, char *hex) {
  FILE *f = fopen(path, "rbe");
  if (!f)
    return false;
  SHA2_CTX ctx;
  SHA256Init(&ctx);
  static uint8_t chunk[1 << 16];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    SHA256Update(&ctx, chunk, n);
  bool ok = !ferror(f);
  fclose(f);
  SHA256End(&ctx, hex); /* lowercase hex, NUL-terminated */
  return ok;
}

/* The data file and the PDF change between documents and runs; the
 * other inputs are hashed once per worker. */
static bool hash_of(batch_hashes *h, const char *path, bool keep, char *hex) {
  if (!keep)
    return hash_file(path, hex);
  for (known_hash *k = h->head; k; k = k->next)
    if (!strcmp(k->path, path)) {
      memcpy(hex, k->hex, HEX + 1);
      return true;
    }
  if (!hash_file(path, hex))
    return false;
  known_hash *k = xcalloc(1, sizeof *k);
  k->path = xstrdup(path);
  memcpy(k->hex, hex, HEX + 1);
  k->next = h->head;
  h->head = k;
  return true;
}

/* Everything besides the files that decides the bytes of the PDF. */
static void options_hash(const render_batch *b, const render_job *job,
                         char *hex) {
  SHA2_CTX ctx;
  SHA256Init(&ctx);
  const char *parts[] = {b->version, job->schema, job->layout, job->fonts,
                         job->datadir, job->source_date_epoch,
                         job->strict ? "strict" : "lenient"};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    const char *s = parts[i] ? parts[i] : "(none)";
    SHA256Update(&ctx, (const uint8_t *)s, strlen(s) + 1);
  }
  for (size_t i = 0; i < job->nfont_roles; i++)
    SHA256Update(&ctx, (const uint8_t *)job->font_roles[i],
                 strlen(job->font_roles[i]) + 1);
  SHA256End(&ctx, hex);
}

static char *sidecar_path(const char *output) {
  size_t n = strlen(output);
  char *p = xmalloc(n + 8);
  memcpy(p, output, n);
  memcpy(p + n, ".sha256", 8);
  return p;
}

bool batch_unchanged(batch_hashes *h, const render_batch *b,
                     const render_job *job, const char *output, diag *d) {
  (void)d; /* an unreadable sidecar only means: render */
  char *path = sidecar_path(output);
  FILE *f = fopen(path, "re");
  free(path);
  if (!f)
    return false;
  char want[HEX + 1];
  options_hash(b, job, want);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  bool header = false, saw_data = false, saw_output = false, same = true;
  while (same && (n = getline(&line, &cap, f)) > 0) {
    if (line[n - 1] == '\n')
      line[--n] = 0;
    if (!header) {
      const char *opt = strstr(line, " options ");
      header = line[0] == '#' && opt && !strcmp(opt + 9, want);
      same = header;
      continue;
    }
    if (n < HEX + 3 || line[HEX] != ' ' || line[HEX + 1] != ' ') {
      same = false;
      break;
    }
    const char *file = line + HEX + 2;
    bool is_data = !strcmp(file, job->data), is_output = !strcmp(file, output);
    saw_data |= is_data;
    saw_output |= is_output;
    char hex[HEX + 1];
    same = hash_of(h, file, !is_data && !is_output, hex) &&
           !memcmp(hex, line, HEX);
  }
  free(line);
  fclose(f);
  return same && header && saw_data && saw_output;
}

void batch_record_inputs(batch_hashes *h, const render_batch *b,
                         const render_result *r, const char *output,
                         diag *d) {
  render_job job = b->job;
  job.data = r->ninputs ? r->inputs[0] : NULL;
  char hex[HEX + 1];
  options_hash(b, &job, hex);
  bbuf text = {0};
  bbuf_printf(&text, "# budgetpdf %s inputs of this PDF; options %s\n",
              b->version ? b->version : "", hex);
  for (size_t i = 0; i <= r->ninputs; i++) {
    const char *file = i < r->ninputs ? r->inputs[i] : output;
    if (strchr(file, '\n') ||
        !hash_of(h, file, i > 0 && i < r->ninputs, hex)) {
      bbuf_free(&text); /* no record: the next run renders it */
      return;
    }
    bbuf_printf(&text, "%s  %s\n", hex, file);
  }
  char *path = sidecar_path(output);
  pdf_write_atomically(path, text.data, text.len, d);
  free(path);
  bbuf_free(&text);
}
