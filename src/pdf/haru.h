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
  haru_bytes *cid_set;        /* zlib data of the /CIDSet bit string (one
                                 bit a CID the program has, high bit
                                 first), or NULL for none */
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
 * time, which is quadratic in the pages of a long document; and it puts
 * every page in the root's /Kids, which PDF/A-1 allows 8191.  Call once,
 * before adding pages (with haru_add_page). */
void haru_reserve(HPDF_Doc pdf, size_t pages);

/* HPDF_AddPage, growing the page tree's node by the step haru_reserve
 * chose: a document of more than 8191 pages (the longest array PDF/A-1
 * allows) has its pages in nodes of 4096 under the root. */
HPDF_Page haru_add_page(HPDF_Doc pdf);

/* Save the document, appending the PDF to *out.  The trailer's /ID is
 * the XXH3-128 of the file's bytes (with the /ID's place zeroed; the
 * hash in canonical, big-endian order, as `xxhsum -H2` prints it): the same
 * document gets the same ID, a changed one another.  False on a libharu
 * error (the document's error handler has been told). */
bool haru_save(HPDF_Doc pdf, bbuf *out);

/* A direct destination, for one outline entry or link (PDF/A validators
 * refuse a /Dest that is an indirect object, and a direct object belongs
 * to one container): [page /XYZ null top null] goes to height `top` (PDF
 * coordinates) and keeps the reader's zoom (the public
 * HPDF_Destination_SetXYZ insists on a zoom factor); fit: [page /Fit].
 * NULL on error. */
HPDF_Destination haru_destination_new(HPDF_Doc pdf, HPDF_Page page, double top,
                                      bool fit);

/* Mark an annotation printable (/F 4): PDF/A requires it, and an archived
 * page prints as it shows. */
bool haru_annotation_set_printed(HPDF_Annotation annot);

/* What makes the document PDF/A-1b (ISO 19005-1, GB/T 23286.1), and the
 * catalog entries readers use: */
typedef struct haru_archival_spec {
  haru_bytes *xmp;          /* the XMP metadata packet, as it is (PDF/A-1
                               forbids filtering it) */
  haru_bytes *icc;          /* zlib data of the output intent's ICC profile */
  int icc_components;       /* the profile's colour components (/N) */
  const char *condition;    /* /OutputConditionIdentifier and /Info */
  const char *lang;         /* catalog /Lang ("zh-CN"), NULL for none */
  bool show_outlines;       /* /PageMode /UseOutlines */
} haru_archival_spec;

/* PDF 1.4, /Metadata, /OutputIntents [GTS_PDFA1], /Lang,
 * /ViewerPreferences << /DisplayDocTitle true >> and the page mode.  The
 * spec's bytes are read when the document is saved.  False on a libharu
 * error. */
bool haru_make_archival(HPDF_Doc pdf, const haru_archival_spec *spec);

#endif
