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

/* A composite (Type0) font with one descendant CIDFont, Identity-H. */
typedef struct haru_font_spec {
  const char *base_font;      /* "ABCDEF+PostScriptName" */
  bool cff;                   /* CIDFontType0 + FontFile3/CIDFontType0C;
                                 else CIDFontType2 + FontFile2 with
                                 /CIDToGIDMap /Identity */
  const unsigned char *program; /* the font program (subset) */
  size_t program_len;
  const char *to_unicode;     /* a ToUnicode CMap program */
  size_t to_unicode_len;
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

/* Make the page's content stream `len` bytes of zlib data, marked
 * /FlateDecode.  Nothing else may write to the page's contents. */
bool haru_page_put_deflated_contents(HPDF_Page page, const void *bytes,
                                     size_t len);

/* A destination [page /XYZ null top null]: go to height `top` (PDF
 * coordinates) and keep the reader's zoom (the public
 * HPDF_Destination_SetXYZ insists on a zoom factor).  NULL on error. */
HPDF_Destination haru_destination_at(HPDF_Doc pdf, HPDF_Page page, double top);

#endif
