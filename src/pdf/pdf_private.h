/* SPDX-License-Identifier: MIT */
/* pdf_private.h — shared between the files of src/pdf; tests may include
 * it for the hooks at the end. */
#ifndef BUDGETPDF_PDF_PRIVATE_H
#define BUDGETPDF_PDF_PRIVATE_H

#include "haru.h"
#include "pdf.h"

#include <hb.h>
#include <hpdf.h>

/* One embedded font: every glyph of one face the document draws. */
typedef struct pdf_font {
  const text_face *face;
  hb_map_t *text_index;  /* original gid → index into texts */
  const char **texts;    /* what each glyph stands for (borrowed from the
                            page_doc), UTF-8, texts_len bytes */
  uint32_t *texts_len;
  uint32_t *gids;        /* original gid of each index */
  size_t ntexts, captexts;
  /* after pdf_fonts_prepare (no libharu) */
  bool prepared;         /* else error says why */
  char error[200];
  unsigned *codes;       /* per index: the code in content streams */
  double *advances;      /* per index: its /W width, 1/1000 em */
  char base_font[160];   /* "ABCDEF+PostScriptName" */
  bool cff;
  unsigned char *zprogram, *zcmap, *zcid_set; /* zlib data of the program,
                            ToUnicode and CIDSet */
  size_t zprogram_len, zcmap_len, zcid_set_len, program_raw_len;
  haru_bytes program_bytes, cmap_bytes, cid_set_bytes; /* the three, read at
                            save time */
  unsigned *w_codes;     /* codes whose width is not dw, ascending */
  double *w_widths;
  size_t nw;
  double dw;
  int bbox[4], ascent, descent, cap_height; /* 1/1000 em */
  /* after pdf_font_emit (libharu, the main thread) */
  HPDF_Dict dict;        /* the Type0 font */
} pdf_font;

/* Record that the font draws gid standing for text[0..len). */
void pdf_font_add_glyph(pdf_font *f, uint32_t gid, const char *text,
                        uint32_t len);

/* Subset, map codes, build widths and the ToUnicode map, compress: for
 * each of the n fonts (no libharu involved).  Failures are left in each
 * font's error for pdf_font_emit to report. */
void pdf_fonts_prepare(pdf_font *fonts, size_t n, bool keep_pages);

/* Build a prepared font's PDF objects in pdf (f->dict); reports a
 * preparation failure or a libharu error to d. */
bool pdf_font_emit(pdf_font *f, HPDF_Doc pdf, diag *d);

void pdf_font_free(pdf_font *f);

/* Check every limit of libharu the document reaches (pages, strings,
 * arrays, objects: limits.c) and report each as an error of the inputs
 * naming the limit.  True if none is passed. */
bool pdf_check_limits(const page_doc *doc, diag *d);

/* The PDF settings file as read (archive.c); documents share it. */
struct pdf_settings {
  char *lang;            /* the document's language tag, for /Lang */
  char *condition;       /* the output intent's identifier */
  int icc_components;    /* its profile's colour components */
  unsigned char *zicc;   /* the profile, zlib data */
  size_t zicc_len;
};

/* What makes one file PDF/A-1b (archive.c). */
typedef struct pdf_archive {
  const pdf_settings *settings;
  bbuf xmp;              /* the XMP packet */
  haru_bytes xmp_bytes, icc_bytes; /* the two, read at save time */
} pdf_archive;

/* The XMP packet: what the Info dictionary says (in), the producer
 * libharu writes there and the creation date as XMP writes it
 * ("2021-03-01T00:00:00", NULL for none), the language and the PDF/A
 * identification (part 1, conformance B). */
void pdf_archive_build_xmp(pdf_archive *a, const page_doc_info *in,
                           const char *producer, const char *created);

void pdf_archive_free(pdf_archive *a);

/* Test hook: called by pdf_write_atomically after the temporary file is
 * created and before it is written (NULL in normal runs). */
extern void (*pdf_test_after_temp_created)(const char *temp_path);

#endif
