/* SPDX-License-Identifier: MIT */
/* embed.c — one embedded font per face: subset with hb-subset once every
 * glyph is known, widths for the used glyphs only, and a ToUnicode map
 * from the text each glyph stood for.
 *
 * Glyph ids are renumbered by the subsetter (no RETAIN_GIDS: a retained-gid
 * subset keeps tables sized to the whole font).  The code written in the
 * content stream is then:
 *   TrueType  the new glyph id (CIDFontType2, /CIDToGIDMap /Identity);
 *   CFF       the CID the subset's charset gives the new glyph id when the
 *             CFF is CID-keyed, as Noto CJK is (hb-subset keeps the
 *             original CIDs, so they are sparse), else the new glyph id.
 *             FreeType reads the charset: it is the same code a viewer's
 *             CFF parser will use. */
#include "haru.h"
#include "pdf_private.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include <hb-ot.h>
#include <hb-subset.h>
#include <libdeflate.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void pdf_font_add_glyph(pdf_font *f, uint32_t gid, const char *text,
                        uint32_t len) {
  if (!f->text_index)
    f->text_index = hb_map_create();
  hb_codepoint_t idx = hb_map_get(f->text_index, gid);
  if (idx != HB_MAP_VALUE_INVALID) {
    if (f->texts_len[idx] == 0 && len) { /* first seen inside a cluster */
      f->texts[idx] = text;
      f->texts_len[idx] = len;
    }
    return;
  }
  XGROW(f->texts, f->captexts, f->ntexts + 1);
  size_t cap = f->captexts;
  f->texts_len = xrealloc(f->texts_len, cap * sizeof *f->texts_len);
  f->gids = xrealloc(f->gids, cap * sizeof *f->gids);
  f->texts[f->ntexts] = text;
  f->texts_len[f->ntexts] = len;
  f->gids[f->ntexts] = gid;
  hb_map_set(f->text_index, gid, (hb_codepoint_t)f->ntexts);
  f->ntexts++;
}

void pdf_font_free(pdf_font *f) {
  hb_map_destroy(f->text_index);
  free(f->codes);
  free(f->advances);
  free(f->texts);
  free(f->texts_len);
  free(f->gids);
  free(f->w_codes);
  free(f->w_widths);
  free(f->zprogram);
  free(f->zcmap);
  free(f->zcid_set);
}

/* ---------------------------------------------------------------- subset */

/* Tables a PDF font program does not need: layout is done, vertical
 * metrics and kerning are not used by viewers, and glyphs are addressed
 * by id (CIDToGIDMap /Identity, or the CFF charset), never through
 * 'cmap'.  Dropping 'cmap' also spares the subsetter a walk over the
 * whole cmap, which is most of its time on a CJK font (LXGW WenKai:
 * 4.4 → 1.3 ms; Noto Serif CJK: 11 → 2.6 ms). */
static const hb_tag_t dropped_tables[] = {
    HB_TAG('c', 'm', 'a', 'p'),
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
    HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'),
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'),
    HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'),
    HB_TAG('P', 'C', 'L', 'T'), 0};

typedef struct code_width {
  unsigned code;
  double width;
} code_width;

static int by_code(const void *a, const void *b) {
  unsigned x = ((const code_width *)a)->code, y = ((const code_width *)b)->code;
  return x < y ? -1 : x > y;
}
static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The tag of a subset font's name ("ABCDEF+"): six letters from a hash of
 * its glyphs, so the same glyphs give the same name in every run. */
static void subset_tag(const pdf_font *f, char tag[8]) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < f->ntexts; i++)
    h = (h ^ f->gids[i]) * 1099511628211ull;
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = '+';
  tag[7] = 0;
}

static void put_hex4(bbuf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char h[4] = {hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
  bbuf_append(b, h, 4);
}

static void put_utf16_hex(bbuf *b, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode_or_replace(s + i, len - i, &cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put_hex4(b, 0xD800 + (cp >> 10));
      put_hex4(b, 0xDC00 + (cp & 0x3FF));
    } else {
      put_hex4(b, cp);
    }
  }
}

/* A ToUnicode CMap: code → the text its glyph stood for. */
static void to_unicode_cmap(const pdf_font *f, const unsigned *codes, bbuf *b) {
  bbuf_puts(b, "/CIDInit /ProcSet findresource begin\n"
               "12 dict begin\n"
               "begincmap\n"
               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
               "/CMapName /Adobe-Identity-UCS def\n"
               "/CMapType 2 def\n"
               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  /* codes[i] belongs to texts[i]; emit in code order, 100 a block. */
  size_t n = 0;
  size_t *order = xmalloc((f->ntexts + 1) * sizeof *order);
  for (size_t i = 0; i < f->ntexts; i++)
    if (f->texts_len[i])
      order[n++] = i;
  /* insertion sort is too slow for 600+ glyphs: sort indices by code */
  for (size_t gap = n / 2; gap > 0; gap /= 2)
    for (size_t i = gap; i < n; i++)
      for (size_t j = i; j >= gap && codes[order[j - gap]] > codes[order[j]]; j -= gap) {
        size_t t = order[j];
        order[j] = order[j - gap];
        order[j - gap] = t;
      }
  for (size_t i = 0; i < n; i += 100) {
    size_t m = n - i < 100 ? n - i : 100;
    bbuf_printf(b, "%zu beginbfchar\n", m);
    for (size_t k = i; k < i + m; k++) {
      size_t t = order[k];
      bbuf_append(b, "<", 1);
      put_hex4(b, codes[t]);
      bbuf_append(b, "> <", 3);
      put_utf16_hex(b, f->texts[t], f->texts_len[t]);
      bbuf_append(b, ">\n", 2);
    }
    bbuf_puts(b, "endbfchar\n");
  }
  bbuf_puts(b, "endcmap\n"
               "CMapName currentdict /CMap defineresource pop\n"
               "end\nend\n");
  free(order);
}

/* zlib-format data for a /FlateDecode stream, into *out (malloc'ed). */
static size_t deflate_bytes(struct libdeflate_compressor *c, const void *in,
                            size_t len, unsigned char **out) {
  size_t bound = libdeflate_zlib_compress_bound(c, len);
  *out = xmalloc(bound);
  return libdeflate_zlib_compress(c, in, len, *out, bound);
}

/* The /CIDSet of a subset font (PDF/A-1 requires one): a bit for every
 * CID the embedded program has, high bit first.  A TrueType subset's
 * CIDs are its glyph ids (/CIDToGIDMap /Identity); a CID-keyed CFF's are
 * its charset's (ft is the subset, read back), a name-keyed CFF's its
 * glyph ids.  .notdef (CID 0) is always there. */
static unsigned char *cid_set_bits(hb_face_t *sub, FT_Face ft, bool cid_keyed,
                                   size_t *len) {
  unsigned nglyphs = ft ? (unsigned)ft->num_glyphs : hb_face_get_glyph_count(sub);
  unsigned char *bits = xcalloc(0x10000 / 8, 1);
  size_t used = 1;
  for (unsigned g = 0; g < nglyphs; g++) {
    FT_UInt cid = g;
    if ((cid_keyed && FT_Get_CID_From_Glyph_Index(ft, g, &cid)) || cid > 0xFFFF)
      continue; /* no code can name it */
    bits[cid / 8] |= (unsigned char)(0x80 >> (cid % 8));
    if (cid / 8 + 1 > used)
      used = cid / 8 + 1;
  }
  *len = used;
  return bits;
}

/* Everything about one font that needs no libharu: subset, codes, widths,
 * ToUnicode, compression.  Touches only f, its face's HarfBuzz objects and
 * objects of its own (a FreeType library, a compressor); errors go to
 * f->error for pdf_font_emit to report. */
static void font_prepare(pdf_font *f) {
  text_face_info fi;
  text_face_describe(f->face, &fi);
  hb_face_t *face = text_face_hb_face(f->face);
  hb_font_t *font = text_face_hb_font(f->face);
  hb_subset_plan_t *plan = NULL;
  hb_face_t *sub = NULL;
  hb_blob_t *whole = NULL, *program = NULL;
  FT_Library ftlib = NULL;
  FT_Face ft = NULL;
  code_width *cw = NULL;
  unsigned *codes = NULL;
  bbuf cmap = {0};
  unsigned char *cid_set = NULL;
  size_t cid_set_len = 0;
  struct libdeflate_compressor *z = NULL;

  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) {
    snprintf(f->error, sizeof f->error, "out of memory subsetting the font");
    goto done;
  }
  /* Which glyphs to keep.  hb-subset 6.0 takes a slow path whenever glyph
   * ids are given: it walks the whole cmap (10–20 ms on a CJK font).  When
   * every glyph is the nominal glyph of the one character it stands for —
   * nearly always in Chinese text — the characters say the same thing and
   * the plan takes ~1 ms.  Otherwise (ligatures, GSUB forms) glyph ids. */
  bool all_nominal = true;
  for (size_t i = 0; i < f->ntexts && all_nominal; i++) {
    uint32_t cp;
    hb_codepoint_t g;
    size_t k = f->texts_len[i] ? utf8_decode(f->texts[i], f->texts_len[i], &cp) : 0;
    all_nominal = k && k == f->texts_len[i] && hb_font_get_nominal_glyph(font, cp, &g) &&
                  g == f->gids[i];
  }
  hb_set_t *unicodes = hb_subset_input_unicode_set(in);
  hb_set_clear(unicodes);
  if (all_nominal) {
    for (size_t i = 0; i < f->ntexts; i++) {
      uint32_t cp;
      utf8_decode(f->texts[i], f->texts_len[i], &cp);
      hb_set_add(unicodes, cp);
    }
  } else {
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0); /* .notdef stays glyph 0 */
    for (size_t i = 0; i < f->ntexts; i++)
      hb_set_add(glyphs, f->gids[i]);
  }
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (const hb_tag_t *t = dropped_tables; *t; t++)
    hb_set_add(drop, *t);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                    (fi.cff ? HB_SUBSET_FLAGS_DESUBROUTINIZE : 0));
  plan = hb_subset_plan_create_or_fail(face, in);
  hb_subset_input_destroy(in);
  if (plan)
    sub = hb_subset_plan_execute_or_fail(plan);
  if (!sub) {
    snprintf(f->error, sizeof f->error, "cannot subset the font (face %u)", fi.index);
    goto done;
  }
  const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
  whole = hb_face_reference_blob(sub);
  program = fi.cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                   : hb_blob_reference(whole);
  unsigned program_len;
  const char *program_data = hb_blob_get_data(program, &program_len);
  if (!program_len) {
    snprintf(f->error, sizeof f->error, "the font subset is empty (face %u)", fi.index);
    goto done;
  }

  /* Codes. */
  bool cid_keyed = false;
  if (fi.cff) {
    unsigned wl;
    const char *wd = hb_blob_get_data(whole, &wl);
    if (FT_Init_FreeType(&ftlib)) {
      ftlib = NULL;
      snprintf(f->error, sizeof f->error, "FreeType cannot start");
      goto done;
    }
    if (FT_New_Memory_Face(ftlib, (const FT_Byte *)wd, (FT_Long)wl, 0, &ft)) {
      ft = NULL;
      snprintf(f->error, sizeof f->error,
               "the CFF subset cannot be read back (face %u)", fi.index);
      goto done;
    }
    FT_Bool is_cid = 0;
    cid_keyed = !FT_Get_CID_Is_Internally_CID_Keyed(ft, &is_cid) && is_cid;
  }
  cw = xmalloc((f->ntexts + 1) * sizeof *cw);
  codes = xmalloc((f->ntexts + 1) * sizeof *codes);
  f->advances = xmalloc((f->ntexts + 1) * sizeof *f->advances);
  double to1000 = 1000.0 / fi.upem;
  for (size_t i = 0; i < f->ntexts; i++) {
    hb_codepoint_t ng = hb_map_get(old_to_new, f->gids[i]);
    if (ng == HB_MAP_VALUE_INVALID) {
      snprintf(f->error, sizeof f->error, "glyph %u lost in subsetting", f->gids[i]);
      goto done;
    }
    unsigned code = ng;
    if (cid_keyed) {
      FT_UInt cid;
      if (FT_Get_CID_From_Glyph_Index(ft, ng, &cid)) {
        snprintf(f->error, sizeof f->error, "no CID for glyph %u", ng);
        goto done;
      }
      code = cid;
    }
    if (code > 0xFFFF) {
      snprintf(f->error, sizeof f->error, "glyph code %u does not fit Identity-H", code);
      goto done;
    }
    codes[i] = code;
    double w = hb_font_get_glyph_h_advance(font, f->gids[i]) * to1000;
    /* A /W width is a PDF number: libharu holds reals up to 32767
     * (HPDF_LIMIT_MAX_REAL), 32.767 em — far beyond any real glyph. */
    if (!(fabs(w) <= HPDF_LIMIT_MAX_REAL)) {
      snprintf(f->error, sizeof f->error,
               "glyph %u advances %.0f/1000 em; a PDF made with libharu "
               "holds widths up to %d (HPDF_LIMIT_MAX_REAL)",
               f->gids[i], w, HPDF_LIMIT_MAX_REAL);
      goto done;
    }
    cw[i].code = code;
    cw[i].width = round(w * 1000) / 1000;
    f->advances[i] = cw[i].width;
  }

  /* Widths: the most common one is /DW, the others go in /W. */
  f->w_widths = xmalloc((f->ntexts + 1) * sizeof *f->w_widths);
  f->w_codes = xmalloc((f->ntexts + 1) * sizeof *f->w_codes);
  for (size_t i = 0; i < f->ntexts; i++)
    f->w_widths[i] = cw[i].width;
  qsort(f->w_widths, f->ntexts, sizeof *f->w_widths, by_double);
  f->dw = 1000;
  size_t best = 0;
  for (size_t i = 0; i < f->ntexts;) {
    size_t j = i;
    while (j < f->ntexts && f->w_widths[j] == f->w_widths[i])
      j++;
    if (j - i > best) {
      best = j - i;
      f->dw = f->w_widths[i];
    }
    i = j;
  }
  qsort(cw, f->ntexts, sizeof *cw, by_code);
  f->nw = 0;
  for (size_t i = 0; i < f->ntexts; i++)
    if (cw[i].width != f->dw) {
      f->w_codes[f->nw] = cw[i].code;
      f->w_widths[f->nw++] = cw[i].width;
    }
  /* /W [c [w …] c [w …] …]: libharu's arrays hold 32767 items
   * (HPDF_LIMIT_MAX_ARRAY), the outer one two per run of codes. */
  size_t runs = 0, longest = 0;
  for (size_t i = 0; i < f->nw;) {
    size_t j = i + 1;
    while (j < f->nw && f->w_codes[j] == f->w_codes[j - 1] + 1)
      j++;
    runs++;
    longest = j - i > longest ? j - i : longest;
    i = j;
  }
  if (2 * runs > HPDF_LIMIT_MAX_ARRAY || longest > HPDF_LIMIT_MAX_ARRAY) {
    snprintf(f->error, sizeof f->error,
             "%zu of its glyphs drawn have widths of their own; a PDF font "
             "made with libharu holds at most %d (HPDF_LIMIT_MAX_ARRAY)",
             f->nw, HPDF_LIMIT_MAX_ARRAY / 2);
    goto done;
  }

  to_unicode_cmap(f, codes, &cmap);
  cid_set = cid_set_bits(sub, ft, cid_keyed, &cid_set_len);

  /* Level 1: a 350 KB CJK subset in 2.4 ms (level 6: 4.8 ms, zlib's 6:
   * 10 ms) for 5% more bytes; the time budget is tight, bytes are not. */
  z = libdeflate_alloc_compressor(1);
  if (!z) {
    snprintf(f->error, sizeof f->error, "out of memory compressing the font");
    goto done;
  }
  f->program_raw_len = program_len;
  f->zprogram_len = deflate_bytes(z, program_data, program_len, &f->zprogram);
  f->zcmap_len = deflate_bytes(z, cmap.data, cmap.len, &f->zcmap);
  f->zcid_set_len = deflate_bytes(z, cid_set, cid_set_len, &f->zcid_set);
  if (!f->zprogram_len || !f->zcmap_len || !f->zcid_set_len) {
    snprintf(f->error, sizeof f->error, "cannot compress the font's streams");
    goto done;
  }

  char tag[8];
  subset_tag(f, tag);
  snprintf(f->base_font, sizeof f->base_font, "%s%.120s", tag, fi.postscript_name);
  f->cff = fi.cff;
  f->bbox[0] = (int)round_within(fi.bbox[0] * to1000, INT_MAX);
  f->bbox[1] = (int)round_within(fi.bbox[1] * to1000, INT_MAX);
  f->bbox[2] = (int)round_within(fi.bbox[2] * to1000, INT_MAX);
  f->bbox[3] = (int)round_within(fi.bbox[3] * to1000, INT_MAX);
  f->ascent = (int)round_within(fi.ascender * to1000, INT_MAX);
  f->descent = (int)round_within(fi.descender * to1000, INT_MAX);
  f->cap_height = (int)round_within((fi.cap_height ? fi.cap_height : fi.ascender) * to1000, INT_MAX);
  f->codes = codes;
  codes = NULL;
  f->prepared = true;
done:
  if (z)
    libdeflate_free_compressor(z);
  if (ft)
    FT_Done_Face(ft);
  if (ftlib)
    FT_Done_FreeType(ftlib);
  hb_blob_destroy(program);
  hb_blob_destroy(whole);
  hb_face_destroy(sub);
  hb_subset_plan_destroy(plan);
  free(cw);
  free(codes);
  bbuf_free(&cmap);
  free(cid_set);
}

/* Sequential on purpose.  A helper thread (one font each) was measured:
 * no faster on the 2-core machine this runs on beside other work, and
 * hb-subset 6.0 writes a process-wide scratch buffer while serialising
 * (helgrind reports the race), so fonts are prepared one after another. */
void pdf_fonts_prepare(pdf_font *fonts, size_t n, bool keep_pages) {
  /* Memory: a subset reads megabytes of its face's file (see
   * text_face_release_pages); drop them once it is made, so that the peak
   * holds one face's pages, not all of them — unless the caller will
   * subset the same faces again (pdf_options.keep_font_pages). */
  for (size_t i = 0; i < n; i++) {
    font_prepare(&fonts[i]);
    if (!keep_pages)
      text_face_release_pages(fonts[i].face);
  }
}

bool pdf_font_emit(pdf_font *f, HPDF_Doc pdf, diag *d) {
  if (!f->prepared) {
    text_face_info fi;
    text_face_describe(f->face, &fi);
    diag_error(d, DIAG_FONT, (src_pos){diag_intern_file(d, fi.path), 0, 0}, "%s",
               f->error[0] ? f->error : "cannot embed the font");
    return false;
  }
  f->program_bytes = (haru_bytes){f->zprogram, f->zprogram_len, 0};
  f->cmap_bytes = (haru_bytes){f->zcmap, f->zcmap_len, 0};
  f->cid_set_bytes = (haru_bytes){f->zcid_set, f->zcid_set_len, 0};
  haru_font_spec spec = {
      .base_font = f->base_font,
      .cff = f->cff,
      .program = &f->program_bytes,
      .program_raw_len = f->program_raw_len,
      .to_unicode = &f->cmap_bytes,
      .w_codes = f->w_codes,
      .w_widths = f->w_widths,
      .nw = f->nw,
      .dw = f->dw,
      .flags = 4, /* symbolic: glyphs outside the standard Latin set */
      .bbox = {f->bbox[0], f->bbox[1], f->bbox[2], f->bbox[3]},
      .ascent = f->ascent,
      .descent = f->descent,
      .cap_height = f->cap_height,
      .stem_v = 80,
      .deflated = true,
      .cid_set = &f->cid_set_bytes,
  };
  f->dict = haru_type0_font_new(pdf, &spec);
  if (!f->dict) {
    diag_error(d, DIAG_INTERNAL, (src_pos){0},
               "libharu could not build the objects of font %s", f->base_font);
    return false;
  }
  return true;
}
