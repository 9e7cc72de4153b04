/* SPDX-License-Identifier: MIT */
/* haru.h — the only door into libharu's object layer (private to src/pdf).
 *
 * libharu 2.3.0's public API cannot draw HarfBuzz glyph ids: its text
 * functions re-encode text through its own encoders.  Its object layer,
 * installed and exported by the same package (hpdf_objects.h, hpdf_doc.h,
 * hpdf_pages.h), can build any PDF object.  haru.c is the one file that
 * uses it; everything else in src/pdf uses the public API only. */
#ifndef BUDGETPDF_PDF_HARU_H
#define BUDGETPDF_PDF_HARU_H

#include "base.h"

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

/* Bytes a stream object reads when the document is saved: the caller
 * keeps `data` (and this struct) alive until haru_save has returned. */
typedef struct haru_bytes {
  const void *data;
  size_t len;
  size_t pos; /* libharu's read position */
} haru_bytes;

/* A composite (Type0) font with one descendant CIDFont, Identity-H. */
typedef struct haru_font_spec {
  const char *base_font;      /* "ABCDEF+PostScriptName" */
  bool cff;                   /* CIDFontType0 + FontFile3/CIDFontType0C;
                                 else CIDFontType2 + FontFile2 with
                                 /CIDToGIDMap /Identity */
  haru_bytes *program;        /* the font program (subset) */
  haru_bytes *to_unicode;     /* a ToUnicode CMap program */
  const unsigned *w_codes;    /* codes with widths other than dw, ascending */
  const double *w_widths;     /* their widths, 1/1000 em */
  size_t nw;
  double dw;                  /* the default width */
  int flags;                  /* FontDescriptor /Flags */
  int bbox[4];                /* 1/1000 em */
  int ascent, descent, cap_height, stem_v;
  bool deflated;              /* program and to_unicode are already
                                 zlib-compressed: write them as they are,
                                 marked /FlateDecode */
  size_t program_raw_len;     /* the program's length before compression
                                 (/Length1 of a FontFile2) */
} haru_font_spec;

/* Build the font's objects in pdf (Type0 dict, CIDFont, FontDescriptor,
 * font file and ToUnicode streams).  Returns the Type0 dict, owned by the
 * document, or NULL on a libharu error (the document's error handler has
 * been told). */
HPDF_Dict haru_type0_font_new(HPDF_Doc pdf, const haru_font_spec *spec);

/* The page's resource name for font ("F1"), adding it to the page's
 * /Resources /Font on first use.  NULL on error. */
const char *haru_page_font_name(HPDF_Page page, HPDF_Dict font);

/* Make the page's content stream b's bytes, zlib data marked
 * /FlateDecode.  Nothing else may write to the page's contents. */
bool haru_page_set_deflated_contents(HPDF_Doc pdf, HPDF_Page page,
                                     haru_bytes *b);

/* Prepare pdf for a document of `pages` pages: libharu grows its lists by
 * a fixed step (8 items for an array such as the page tree's /Kids, 1024
 * for the cross-reference table), copying the whole list byte by byte each
 * time, which is quadratic in the pages of a long document.  Call once,
 * before adding pages. */
void haru_reserve(HPDF_Doc pdf, size_t pages);

/* Save the document, appending the PDF to *out.  False on a libharu error
 * (the document's error handler has been told). */
bool haru_save(HPDF_Doc pdf, bbuf *out);

/* A destination [page /XYZ null top null]: go to height `top` (PDF
 * coordinates) and keep the reader's zoom (the public
 * HPDF_Destination_SetXYZ insists on a zoom factor).  NULL on error. */
HPDF_Destination haru_destination_at(HPDF_Doc pdf, HPDF_Page page, double top);

#endif
