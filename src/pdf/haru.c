/* SPDX-License-Identifier: MIT */
/* haru.c — libharu's object layer, used for what its public API cannot
 * do: Type0 fonts whose codes are glyph ids, raw text operators in a
 * page's content stream, zoom-keeping direct destinations, printable
 * links, the PDF/A objects (metadata, output intent, version) and a
 * trailer /ID that is a hash of the file.
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
 *     loaders);
 *   - the doc's `catalog`, `trailer` and `pdf_version` (written by
 *     WriteHeader as it stands when the document is saved);
 *   - HPDF_OSUBCLASS_DESTINATION: the class bit that makes an array a
 *     destination to HPDF_Outline_SetDestination and
 *     HPDF_Page_CreateLinkAnnot;
 * Objects added to a dict or array are owned by it; an object added to the
 * xref is owned by the document and freed with it. */
#include "haru.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <string.h>
#include <xxhash.h>

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
  if (sp->cid_set) {
    HPDF_Dict cid_set = stream_new(pdf, sp->cid_set, true);
    if (!cid_set)
      return NULL;
    st |= HPDF_Dict_Add(desc, "CIDSet", cid_set);
  }

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

/* PDF/A-1 (and PDF 1.4's implementation limits) allow an array 8191
 * elements: a longer document's page tree gets a level of nodes of this
 * many pages each. */
enum { MAX_ARRAY = 8191, PAGES_PER_NODE = 4096 };

static void reserve_kids(HPDF_Dict pages_node, size_t n) {
  HPDF_Array kids = HPDF_Dict_GetItem(pages_node, "Kids", HPDF_OCLASS_ARRAY);
  if (kids && n > kids->list->items_per_block)
    kids->list->items_per_block = (HPDF_UINT)n;
}

void haru_reserve(HPDF_Doc pdf, size_t pages) {
  /* About 4 objects a page (the page, its contents and their length, its
   * links' array), plus outline entries and destinations. */
  size_t objects = 8 * pages;
  if (objects > pdf->xref->entries->items_per_block)
    pdf->xref->entries->items_per_block = (HPDF_UINT)objects;
  if (pages > MAX_ARRAY) {
    HPDF_SetPagesConfiguration(pdf, PAGES_PER_NODE);
    reserve_kids(pdf->root_pages, pages / PAGES_PER_NODE + 1);
  } else {
    reserve_kids(pdf->root_pages, pages);
  }
}

HPDF_Page haru_add_page(HPDF_Doc pdf) {
  HPDF_Page page = HPDF_AddPage(pdf);
  if (page && pdf->cur_pages != pdf->root_pages)
    reserve_kids(pdf->cur_pages, PAGES_PER_NODE); /* a node just begun */
  return page;
}

/* The /ID strings are written as <hex>; this many zero digits hold their
 * place until the file's hash is known.  The hash is XXH3's 128 bits: the
 * ID only has to come from the content (PDF/A asks for one, no one
 * checks it cryptographically), and XXH3 reads a 380 KB file in a tenth
 * of the instructions MD5 takes (bench/RESULTS.md). */
enum { ID_BYTES = sizeof(XXH128_canonical_t), ID_HEX = 2 * ID_BYTES };

static bool add_placeholder_id(HPDF_Doc pdf) {
  static HPDF_BYTE zero[ID_BYTES];
  HPDF_Array id = HPDF_Array_New(pdf->mmgr);
  if (!id || HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
    return false;
  for (int i = 0; i < 2; i++)
    if (HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, zero, ID_BYTES)) != HPDF_OK)
      return false;
  return true;
}

/* The two zeroed strings of the trailer's /ID in pdf[0..len): the last
 * "/ID" of the file, in the trailer at its end. */
static bool find_placeholder_id(unsigned char *pdf, size_t len,
                                unsigned char *digits[2]) {
  if (len < 3)
    return false;
  size_t from = len > 4096 ? len - 4096 : 0;
  unsigned char *key = NULL;
  for (size_t i = len - 3 + 1; i-- > from && !key;)
    if (!memcmp(pdf + i, "/ID", 3))
      key = pdf + i;
  if (!key)
    return false;
  unsigned char *p = key, *end = pdf + len;
  for (int k = 0; k < 2; k++) {
    while (p < end && *p != '<')
      p++;
    if (end - p < ID_HEX + 2)
      return false;
    digits[k] = ++p;
    for (int j = 0; j < ID_HEX; j++)
      if (p[j] != '0')
        return false;
    p += ID_HEX;
  }
  return true;
}

bool haru_save(HPDF_Doc pdf, bbuf *out) {
  if (!add_placeholder_id(pdf) || HPDF_SaveToStream(pdf) != HPDF_OK)
    return false;
  size_t start = out->len;
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
  unsigned char *file = (unsigned char *)out->data + start, *digits[2];
  size_t len = out->len - start;
  if (!find_placeholder_id(file, len, digits))
    return false;
  XXH128_canonical_t canonical; /* big-endian, as xxhsum -H2 prints it */
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(file, len));
  const unsigned char *hash = canonical.digest;
  static const char hex[] = "0123456789ABCDEF";
  for (int k = 0; k < 2; k++)
    for (int j = 0; j < ID_BYTES; j++) {
      digits[k][2 * j] = (unsigned char)hex[hash[j] >> 4];
      digits[k][2 * j + 1] = (unsigned char)hex[hash[j] & 15];
    }
  return true;
}

HPDF_Destination haru_destination_new(HPDF_Doc pdf, HPDF_Page page, double top,
                                      bool fit) {
  HPDF_Array dst = HPDF_Array_New(pdf->mmgr);
  if (!dst)
    return NULL;
  dst->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;
  HPDF_STATUS st = HPDF_Array_Add(dst, page);
  if (fit) {
    st |= HPDF_Array_AddName(dst, "Fit");
  } else {
    st |= HPDF_Array_AddName(dst, "XYZ");
    st |= HPDF_Array_Add(dst, HPDF_Null_New(pdf->mmgr));
    st |= HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    st |= HPDF_Array_Add(dst, HPDF_Null_New(pdf->mmgr));
  }
  if (st != HPDF_OK) {
    HPDF_Array_Free(dst);
    return NULL;
  }
  return dst;
}

bool haru_annotation_set_printed(HPDF_Annotation annot) {
  return HPDF_Dict_AddNumber(annot, "F", 4) == HPDF_OK; /* bit 3: Print */
}

bool haru_make_archival(HPDF_Doc pdf, const haru_archival_spec *sp) {
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_Dict meta = stream_new(pdf, sp->xmp, false);
  HPDF_Dict profile = stream_new(pdf, sp->icc, true);
  HPDF_Dict intent = HPDF_Dict_New(mm), prefs = HPDF_Dict_New(mm);
  HPDF_Array intents = HPDF_Array_New(mm);
  if (!meta || !profile || !intent || !prefs || !intents)
    return false;
  HPDF_STATUS st = HPDF_OK;
  st |= HPDF_Dict_AddName(meta, "Type", "Metadata");
  st |= HPDF_Dict_AddName(meta, "Subtype", "XML");
  st |= HPDF_Dict_Add(pdf->catalog, "Metadata", meta);
  st |= HPDF_Dict_AddNumber(profile, "N", sp->icc_components);
  st |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  st |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  st |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                      HPDF_String_New(mm, sp->condition, NULL));
  st |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, sp->condition, NULL));
  st |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  st |= HPDF_Array_Add(intents, intent);
  st |= HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
  /* The window's title is the document's title, not its file name. */
  st |= HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE));
  st |= HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs);
  if (sp->lang)
    st |= HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(mm, sp->lang, NULL));
  if (st != HPDF_OK)
    return false;
  if (sp->show_outlines && HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
    return false;
  /* PDF/A-1 is PDF 1.4; libharu starts at 1.3 and raises the version only
   * for features this program does not use. */
  pdf->pdf_version = HPDF_VER_14;
  return true;
}
