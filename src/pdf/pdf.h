/* SPDX-License-Identifier: MIT */
/* pdf.h — the pdf stage of budgetpdf: display lists → a PDF file.
 *
 *   pdf_install_cleanup_handlers();            // once, early in main
 *   page_doc *doc = ...;                       // from paginate
 *   if (!pdf_write(doc, "out.pdf", NULL, d)) … // errors are in d
 *
 * Text is drawn with the glyph ids and positions the text stage chose, in
 * Type0 fonts (Identity-H) whose programs are subsets made with hb-subset
 * after the last page is known; each font has a ToUnicode map built from
 * the glyphs' text, so text copies out of the PDF as it went in.  Content
 * and font streams are Flate-compressed.  The output is deterministic:
 * the same page_doc gives the same bytes (no clock, no random IDs).
 *
 * The file is PDF/A-1b (ISO 19005-1 = GB/T 23286.1; docs/PDF.md): XMP
 * metadata repeating the document information, an output intent with the
 * ICC profile the PDF settings file names (fonts/pdf.yaml), a /CIDSet in
 * every font, a trailer /ID that is a hash of the file, printable links
 * with direct destinations; and the catalog names the language and opens
 * the bookmarks panel.
 *
 * The file is written atomically: rendered in memory, written to a
 * temporary file in the target's directory, synced and renamed over the
 * target only when complete.  On failure the target is untouched, the
 * temporary file is removed, and "<path>: error: cannot write: <reason>"
 * is reported (DIAG_IO).  A target that exists and is not a regular file
 * (a device such as /dev/stdout or /dev/full, a FIFO) is written in place,
 * not replaced; a directory is refused. */
#ifndef BUDGETPDF_PDF_H
#define BUDGETPDF_PDF_H

#include "paginate.h"

/* What went into a PDF, for the benchmark and tests. */
typedef struct pdf_stats {
  size_t pages;
  size_t fonts;              /* embedded fonts (one per face used) */
  size_t glyphs;             /* distinct glyphs over all fonts */
  size_t font_program_bytes; /* subset font programs, before compression */
  size_t bytes;              /* the whole PDF */
} pdf_stats;

/* The PDF settings file (the document's language and the output intent's
 * ICC profile), read and checked once so that many documents can share
 * it. */
typedef struct pdf_settings pdf_settings;

/* Read the PDF settings file at path (language, output_intent: profile,
 * identifier) and the profile it names, checked for PDF/A-1.  NULL after
 * reporting what is wrong, positioned in the file. */
pdf_settings *pdf_settings_load(const char *path, diag *d);

void pdf_settings_drop(pdf_settings *s);

/* How to write the PDF; all-zero (or a NULL pointer) for the defaults. */
typedef struct pdf_options {
  /* The PDF settings file: the document's language and the output
   * intent's ICC profile.  NULL: <datadir>/fonts/pdf.yaml. */
  const char *settings;
  /* The settings already read (pdf_settings_load); when set, `settings`
   * is not read. */
  const pdf_settings *loaded_settings;
  /* Leave the pages of the font files that subsetting read resident.  By
   * default each face's are given back once its subset is made, so that a
   * render's peak holds one face's pages; a batch worker, which subsets
   * the same faces for every document, keeps them rather than fault them
   * in again for each (text_face_release_pages). */
  bool keep_font_pages;
} pdf_options;

/* pdf_render with options (NULL: the defaults). */
bool pdf_render_with(const page_doc *doc, const pdf_options *opts, bbuf *out,
                     pdf_stats *stats, diag *d);

/* pdf_write with options (NULL: the defaults). */
bool pdf_write_with(const page_doc *doc, const char *path,
                    const pdf_options *opts, pdf_stats *stats, diag *d);

/* Render doc to PDF bytes appended to *out (the caller frees it with
 * bbuf_free), with the default options.  stats may be NULL.  Returns
 * false after reporting errors (the PDF settings or their colour profile,
 * font subsetting failed, a libharu error) to d; *out is then
 * unspecified. */
bool pdf_render(const page_doc *doc, bbuf *out, pdf_stats *stats, diag *d);

/* pdf_render, then pdf_write_atomically.  stats may be NULL. */
bool pdf_write(const page_doc *doc, const char *path, pdf_stats *stats,
               diag *d);

/* Write len bytes to path atomically (see above).  Returns false after
 * reporting "<path>: error: cannot write: <reason>". */
bool pdf_write_atomically(const char *path, const void *bytes, size_t len,
                          diag *d);

/* Remove a temporary output file left by a write that is interrupted:
 * installs handlers for SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT and
 * SIGXCPU that unlink it, say "budgetpdf: error: interrupted by SIGx; no
 * PDF written" and re-raise the signal with its default action (so the
 * exit status is 128+N), and an atexit hook for exits on the
 * out-of-memory path; ignores SIGXFSZ, so that a file-size limit fails a
 * write (EFBIG) instead of killing the process.  Call once from main
 * before writing; safe to call again. */
void pdf_install_cleanup_handlers(void);

#endif
