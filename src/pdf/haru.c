/* SPDX-License-Identifier: MIT */
/* haru.c — libharu's object layer, used for what its public API cannot
 * do: Type0 fonts whose codes are glyph ids, raw text operators in a
 * page's content stream, and zoom-keeping destinations.
 *
 * What is relied on from libharu 2.3.0 beyond its public API (all of it
 * declared in the installed headers and exported by libhpdf.so):
 *   - struct _HPDF_Doc_Rec: the document's mmgr and xref (hpdf_doc.h);
 *   - struct _HPDF_Dict_Rec: a stream dict's `stream` and `filter`
 *     (hpdf_objects.h); HPDF_Dict_New, HPDF_DictStream_New, HPDF_Xref_Add,
 *     HPDF_Dict_Add*, HPDF_Array_*, HPDF_Name_New, HPDF_Null_New;
 *   - struct _HPDF_List_Rec: `items_per_block`, the step a list grows by;
 *     the xref's `entries` list, the root page node's /Kids array;
 *   - struct _HPDF_Stream_Rec: `attr` of a callback stream is its data;
 *     HPDF_CallbackReader_New, HPDF_Stream_Free, HPDF_MemStream_GetBuf*;
 *     the saved document is the memory stream `stream` of the doc;
 *   - struct _HPDF_PageAttr_Rec: a page's content `stream` (hpdf_pages.h)
 *     and HPDF_Page_GetLocalFontName, which registers any dict as a font
 *     resource (it does not check that the dict came from libharu's font
 *     loaders).
 * Objects added to a dict or array are owned by it; an object added to the
 * xref is owned by the document and freed with it. */
#include "haru.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>

/* Writing a stream dict, libharu drops any /Filter entry of a stream whose
 * `filter` is NONE and copies the data as it is; it calls `write_fn` just
 * before the closing ">>".  So data compressed beforehand (with
 * libdeflate, several times faster than libharu's zlib at level 6) is
 * stored with filter NONE and this hook names the filter. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out) {
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Streams that read the caller's bytes when the document is saved, so
 * that libharu does not copy them into a stream of its own first (it
 * copies byte by byte).  libharu reads a stream only through these
 * callbacks: seek to 0, then read until EOF. */
static HPDF_STATUS bytes_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz) {
  haru_bytes *b = st->attr;
  size_t n = b->len - b->pos < *siz ? b->len - b->pos : *siz;
  memcpy(ptr, (const unsigned char *)b->data + b->pos, n);
  b->pos += n;
  *siz = (HPDF_UINT)n;
  return b->pos == b->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS bytes_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode) {
  haru_bytes *b = st->attr;
  long long to = mode == HPDF_SEEK_SET   ? pos
                 : mode == HPDF_SEEK_CUR ? (long long)b->pos + pos
                                         : (long long)b->len + pos;
  if (to < 0 || (size_t)to > b->len)
    return HPDF_STREAM_EOF;
  b->pos = (size_t)to;
  return HPDF_OK;
}

static HPDF_INT32 bytes_tell(HPDF_Stream st) {
  return (HPDF_INT32)((haru_bytes *)st->attr)->pos;
}

static HPDF_UINT32 bytes_size(HPDF_Stream st) {
  return (HPDF_UINT32)((haru_bytes *)st->attr)->len;
}

/* Make the stream dict s read its data from b (zlib data if deflated). */
static bool stream_use_bytes(HPDF_Dict s, HPDF_MMgr mmgr, haru_bytes *b,
                             bool deflated) {
  HPDF_Stream reader =
      HPDF_CallbackReader_New(mmgr, bytes_read, bytes_seek, bytes_tell, bytes_size, b);
  if (!reader)
    return false;
  HPDF_Stream_Free(s->stream);
  s->stream = reader;
  s->filter = HPDF_STREAM_FILTER_NONE;
  if (deflated)
    s->write_fn = write_flate_filter;
  return true;
}

/* A stream object over b's bytes; deflated: they are zlib data. */
static HPDF_Dict stream_new(HPDF_Doc pdf, haru_bytes *b, bool deflated) {
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!s || !stream_use_bytes(s, pdf->mmgr, b, deflated))
    return NULL;
  return s;
}

/* An indirect dict (its own object number). */
static HPDF_Dict indirect_dict(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
    return NULL; /* Xref_Add frees d on failure */
  return d;
}

/* /W [c [w w …] c [w …] …]: runs of consecutive codes share a bracket. */
static HPDF_Array widths_array(HPDF_Doc pdf, const haru_font_spec *sp) {
  HPDF_Array w = HPDF_Array_New(pdf->mmgr);
  if (!w)
    return NULL;
  for (size_t i = 0; i < sp->nw;) {
    size_t j = i + 1;
    while (j < sp->nw && sp->w_codes[j] == sp->w_codes[j - 1] + 1)
      j++;
    HPDF_Array run = HPDF_Array_New(pdf->mmgr);
    if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)sp->w_codes[i]) != HPDF_OK ||
        HPDF_Array_Add(w, run) != HPDF_OK)
      return NULL;
    for (size_t k = i; k < j; k++) {
      double v = sp->w_widths[k];
      HPDF_STATUS st = v == (HPDF_INT32)v
                           ? HPDF_Array_AddNumber(run, (HPDF_INT32)v)
                           : HPDF_Array_AddReal(run, (HPDF_REAL)v);
      if (st != HPDF_OK)
        return NULL;
    }
    i = j;
  }
  return w;
}

HPDF_Dict haru_type0_font_new(HPDF_Doc pdf, const haru_font_spec *sp) {
  HPDF_Dict type0 = indirect_dict(pdf), cid = indirect_dict(pdf),
            desc = indirect_dict(pdf);
  if (!type0 || !cid || !desc)
    return NULL;
  HPDF_Dict file = stream_new(pdf, sp->program, sp->deflated);
  HPDF_Dict tounicode = stream_new(pdf, sp->to_unicode, sp->deflated);
  if (!file || !tounicode)
    return NULL;
  if (sp->cff) {
    if (HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C") != HPDF_OK)
      return NULL;
  } else if (HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)sp->program_raw_len) !=
             HPDF_OK) {
    return NULL;
  }

  HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
  if (!bbox)
    return NULL;
  for (int i = 0; i < 4; i++)
    HPDF_Array_AddNumber(bbox, sp->bbox[i]);
  HPDF_STATUS st = HPDF_OK;
  st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
  st |= HPDF_Dict_AddName(desc, "FontName", sp->base_font);
  st |= HPDF_Dict_AddNumber(desc, "Flags", sp->flags);
  st |= HPDF_Dict_Add(desc, "FontBBox", bbox);
  st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
  st |= HPDF_Dict_AddNumber(desc, "Ascent", sp->ascent);
  st |= HPDF_Dict_AddNumber(desc, "Descent", sp->descent);
  st |= HPDF_Dict_AddNumber(desc, "CapHeight", sp->cap_height);
  st |= HPDF_Dict_AddNumber(desc, "StemV", sp->stem_v);
  st |= HPDF_Dict_Add(desc, sp->cff ? "FontFile3" : "FontFile2", file);

  HPDF_Dict sysinfo = HPDF_Dict_New(pdf->mmgr);
  if (!sysinfo)
    return NULL;
  st |= HPDF_Dict_Add(sysinfo, "Registry",
                      HPDF_String_New(pdf->mmgr, "Adobe", NULL));
  st |= HPDF_Dict_Add(sysinfo, "Ordering",
                      HPDF_String_New(pdf->mmgr, "Identity", NULL));
  st |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);

  HPDF_Array w = widths_array(pdf, sp);
  if (!w)
    return NULL;
  st |= HPDF_Dict_AddName(cid, "Type", "Font");
  st |= HPDF_Dict_AddName(cid, "Subtype", sp->cff ? "CIDFontType0" : "CIDFontType2");
  st |= HPDF_Dict_AddName(cid, "BaseFont", sp->base_font);
  st |= HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
  st |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
  if (sp->dw != 1000) {
    if (sp->dw == (HPDF_INT32)sp->dw)
      st |= HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)sp->dw);
    else
      st |= HPDF_Dict_AddReal(cid, "DW", (HPDF_REAL)sp->dw);
  }
  st |= HPDF_Dict_Add(cid, "W", w);
  if (!sp->cff)
    st |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

  HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
  if (!descendants)
    return NULL;
  st |= HPDF_Array_Add(descendants, cid);
  st |= HPDF_Dict_AddName(type0, "Type", "Font");
  st |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
  st |= HPDF_Dict_AddName(type0, "BaseFont", sp->base_font);
  st |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
  st |= HPDF_Dict_Add(type0, "DescendantFonts", descendants);
  st |= HPDF_Dict_Add(type0, "ToUnicode", tounicode);
  return st == HPDF_OK ? type0 : NULL;
}

const char *haru_page_font_name(HPDF_Page page, HPDF_Dict font) {
  return HPDF_Page_GetLocalFontName(page, (HPDF_Font)font);
}

bool haru_page_set_deflated_contents(HPDF_Doc pdf, HPDF_Page page,
                                     haru_bytes *b) {
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  if (!stream_use_bytes(attr->contents, pdf->mmgr, b, true))
    return false;
  attr->stream = attr->contents->stream;
  return true;
}

void haru_reserve(HPDF_Doc pdf, size_t pages) {
  /* About 4 objects a page (the page, its contents and their length, its
   * links' array), plus outline entries and destinations. */
  size_t objects = 8 * pages;
  if (objects > pdf->xref->entries->items_per_block)
    pdf->xref->entries->items_per_block = (HPDF_UINT)objects;
  HPDF_Array kids = HPDF_Dict_GetItem(pdf->root_pages, "Kids", HPDF_OCLASS_ARRAY);
  if (kids && pages > kids->list->items_per_block)
    kids->list->items_per_block = (HPDF_UINT)pages;
}

bool haru_save(HPDF_Doc pdf, bbuf *out) {
  if (HPDF_SaveToStream(pdf) != HPDF_OK)
    return false;
  /* The saved document is in pdf->stream, a memory stream: copy its
   * buffers out (HPDF_ReadFromStream copies byte by byte). */
  HPDF_UINT n = HPDF_MemStream_GetBufCount(pdf->stream);
  for (HPDF_UINT i = 0; i < n; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(pdf->stream, i, &len);
    if (!p)
      return false;
    bbuf_append(out, p, len);
  }
  return true;
}

HPDF_Destination haru_destination_at(HPDF_Doc pdf, HPDF_Page page, double top) {
  HPDF_Destination dst = HPDF_Page_CreateDestination(page);
  if (!dst)
    return NULL;
  /* CreateDestination made [page /Fit]: rebuild it. */
  HPDF_Array arr = (HPDF_Array)dst;
  HPDF_Array_Clear(arr);
  HPDF_STATUS st = HPDF_Array_Add(arr, page);
  st |= HPDF_Array_AddName(arr, "XYZ");
  st |= HPDF_Array_Add(arr, HPDF_Null_New(pdf->mmgr));
  st |= HPDF_Array_AddReal(arr, (HPDF_REAL)top);
  st |= HPDF_Array_Add(arr, HPDF_Null_New(pdf->mmgr));
  return st == HPDF_OK ? dst : NULL;
}
