/* SPDX-License-Identifier: MIT */
/* pdf.c — display lists → libharu document → bytes.
 *
 * Two replays of the page_doc: the first collects every glyph of every
 * face (so each font is subset once, knowing its last glyph), the second
 * writes the pages.  Glyph runs become text objects written as raw
 * operators (through haru.c) with the subset's codes and TJ adjustments
 * that put every glyph exactly where the text stage placed it; lines and
 * rectangles go through libharu's public path API.  Page coordinates (y
 * down from the top) are flipped to PDF's (y up from the bottom) here. */
#include "haru.h"
#include "pdf_private.h"

#include <libdeflate.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct writer {
  const page_doc *doc;
  diag *d;
  HPDF_Doc pdf;
  bool failed;           /* a libharu error was reported */
  pdf_font *fonts;       /* one per face */
  size_t nfonts, capfonts;
  /* page being written */
  HPDF_Page page;
  const page_list *pg;
  double page_h;         /* height of the current layer's frame, to flip y */
  page_layer layer;
  /* Links wait until every page exists: a TOC links forward. */
  struct pending_link {
    HPDF_Page page;
    HPDF_Rect rect;
    size_t target_page;
    double target_y;
  } *links;
  size_t nlinks, caplinks;
  /* The page's content stream, written here as raw operators (libharu
   * never sees them) and compressed at the page's end.  What the stream
   * has set so far, so that nothing is said twice: */
  bbuf contents;
  bool in_text;          /* BT written, ET not yet */
  const pdf_font *cur_font; /* Tf, Tc: text state outlives BT/ET, not Q */
  double cur_size;
  long long tc;          /* character spacing, 1/100000 pt */
  const char **font_names; /* per font: this page's resource name */
  double stroke_gray, line_width, fill_gray;
  /* scratch for one glyph run */
  double *want, *adv, *adj;
  unsigned *code;
  size_t capscratch;
  struct libdeflate_compressor *deflater;
  haru_bytes *zpages;    /* each page's contents, compressed (read when the
                            document is saved) */
  pdf_archive archive;   /* the PDF/A objects' contents */
  pdf_settings *own_settings; /* read for this document alone */
  char xmp_date[40];     /* the creation date as XMP writes it, or "" */
} writer;

static void HPDF_STDCALL on_haru_error(HPDF_STATUS error_no,
                                       HPDF_STATUS detail_no, void *user) {
  writer *w = user;
  if (!w->failed)
    diag_error(w->d, DIAG_INTERNAL, (src_pos){0},
               "libharu error 0x%04X (detail %u) while writing the PDF",
               (unsigned)error_no, (unsigned)detail_no);
  w->failed = true;
}

static pdf_font *font_for(writer *w, const text_face *face) {
  for (size_t i = 0; i < w->nfonts; i++)
    if (w->fonts[i].face == face)
      return &w->fonts[i];
  XGROW(w->fonts, w->capfonts, w->nfonts + 1);
  pdf_font *f = &w->fonts[w->nfonts++];
  memset(f, 0, sizeof *f);
  f->face = face;
  return f;
}

/* ---------------------------------------------------------------- pass 1 */

static bool collect_glyphs(void *ctx, const page_glyph_run *run) {
  writer *w = ctx;
  pdf_font *f = font_for(w, run->face);
  for (size_t i = 0; i < run->count; i++) {
    const page_glyph *g = &run->glyphs[i];
    pdf_font_add_glyph(f, g->id, run->text + g->text_start, g->text_len);
  }
  return true;
}

/* ---------------------------------------------------------------- pass 2 */

/* The content stream is most of a PDF's bytes after the fonts, so it says
 * each thing once: text state (Tf, Tc) is set only when it changes (it
 * outlives BT/ET; q/Q reset what is known), a run with no adjustment is a
 * Tj, and a justified line's uniform extra spacing is one Tc rather than
 * a TJ adjustment between every two glyphs.  Text is placed with an
 * absolute Tm, not a relative Td: a viewer adds Td offsets in floating
 * point, and a glyph that lands a hair off a quarter pixel is drawn from
 * another cache bin.  Each rule is a path of its own: poppler snaps a
 * one-segment stroke to the pixel grid (stroke adjustment) and renders a
 * rule of several segments softer.  Text positions are printed with 3
 * decimals, Tc with 5 (it adds up along a line), rules with 4. */

/* Numbers in content streams: m / 10^digits with trailing zeros dropped,
 * no exponent, no "-0". */
static void put_fixed(bbuf *b, long long m, int digits) {
  if (m == 0) {
    bbuf_append(b, "0", 1);
    return;
  }
  char buf[40], *p = buf + sizeof buf;
  bool neg = m < 0;
  unsigned long long u = neg ? (unsigned long long)-m : (unsigned long long)m;
  unsigned long long unit = 1;
  for (int i = 0; i < digits; i++)
    unit *= 10;
  unsigned long long frac = u % unit;
  u /= unit;
  if (frac) {
    while (frac % 10 == 0) {
      frac /= 10;
      digits--;
    }
    for (int i = 0; i < digits; i++) {
      *--p = (char)('0' + frac % 10);
      frac /= 10;
    }
    *--p = '.';
  }
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (neg)
    *--p = '-';
  bbuf_append(b, p, (size_t)(buf + sizeof buf - p));
}

static void put_milli(bbuf *b, long long m) { put_fixed(b, m, 3); }

/* Limits of the fixed-point numbers written: far beyond any page (14400pt)
 * or metric, far inside a long long. */
#define PUT_LIMIT 1000000000000000LL

static long long milli(double v) { return round_within(v * 1000, PUT_LIMIT); }

static void put_num(bbuf *b, double v) { put_milli(b, milli(v)); }

/* Path coordinates keep 4 decimals: a rule moved by even 0.0005 pt can
 * land on the other side of a device pixel in some viewer at some zoom. */
static void put_coord(bbuf *b, double v) {
  put_fixed(b, round_within(v * 1e4, PUT_LIMIT), 4);
}

static void put_op(bbuf *b, const char *op) { bbuf_append(b, op, strlen(op)); }

static void end_text(writer *w) {
  if (w->in_text) {
    put_op(&w->contents, "ET\n");
    w->in_text = false;
  }
}

static void begin_text(writer *w) {
  if (!w->in_text) {
    put_op(&w->contents, "BT\n");
    w->in_text = true;
  }
}

/* After q or Q: the graphics state, text state included, is not known. */
static void forget_state(writer *w) {
  w->cur_font = NULL;
  w->cur_size = 0;
  w->tc = 0;
  w->stroke_gray = w->line_width = w->fill_gray = -1;
}

/* A turned page draws its view layer inside "q 0 1 -1 0 W 0 cm … Q": the
 * view's x runs up the sheet and its y (after the usual flip) runs
 * right-to-left, which /Rotate 90 shows upright. */
static void enter_view(writer *w) {
  end_text(w);
  put_op(&w->contents, "q 0 1 -1 0 ");
  put_num(&w->contents, w->pg->width);
  put_op(&w->contents, " 0 cm\n");
  w->page_h = w->pg->width; /* the view's height */
  forget_state(w);
}

static void leave_view(writer *w) {
  end_text(w);
  put_op(&w->contents, "Q\n");
  w->page_h = w->pg->height;
  forget_state(w);
}

static bool set_layer(void *ctx, page_layer layer) {
  writer *w = ctx;
  if (w->pg->turned && layer != w->layer) {
    if (layer == PAGE_LAYER_SHEET)
      leave_view(w);
    else
      enter_view(w);
  }
  w->layer = layer;
  return true;
}

/* /ActualText spans: the text as UTF-16BE in a hex string. */
static bool span(void *ctx, const page_span *s) {
  writer *w = ctx;
  bbuf *b = &w->contents;
  if (!s->text) {
    put_op(b, "EMC\n");
    return true;
  }
  begin_text(w); /* BDC and EMC must nest with BT/ET: open BT first */
  static const char hex[] = "0123456789ABCDEF";
  put_op(b, "/Span<</ActualText<FEFF");
  for (size_t i = 0; i < s->len;) {
    uint32_t cp;
    size_t n = utf8_decode(s->text + i, s->len - i, &cp);
    if (!n)
      break;
    i += n;
    unsigned units[2] = {cp, 0};
    int nunits = 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[0] = 0xD800 + (cp >> 10);
      units[1] = 0xDC00 + (cp & 0x3FF);
      nunits = 2;
    }
    for (int k = 0; k < nunits; k++) {
      char h[4] = {hex[units[k] >> 12 & 15], hex[units[k] >> 8 & 15],
                   hex[units[k] >> 4 & 15], hex[units[k] & 15]};
      bbuf_append(b, h, 4);
    }
  }
  put_op(b, ">>>BDC\n");
  return true;
}

static bool add_link(void *ctx, const page_link *l) {
  writer *w = ctx;
  HPDF_Rect r;
  if (w->pg->turned && w->layer == PAGE_LAYER_VIEW) {
    /* view (u, v down) → sheet (x, y up) is (v, u) */
    r = (HPDF_Rect){(HPDF_REAL)l->y, (HPDF_REAL)l->x, (HPDF_REAL)(l->y + l->h),
                    (HPDF_REAL)(l->x + l->w)};
  } else {
    r = (HPDF_Rect){(HPDF_REAL)l->x, (HPDF_REAL)(w->page_h - l->y - l->h),
                    (HPDF_REAL)(l->x + l->w), (HPDF_REAL)(w->page_h - l->y)};
  }
  XGROW(w->links, w->caplinks, w->nlinks + 1);
  w->links[w->nlinks++] =
      (struct pending_link){w->page, r, l->target_page, l->target_y};
  return true;
}

/* A destination on page index at view height y: the top of that spot, or
 * the whole page when it is turned (viewers disagree on /XYZ there).  A
 * new direct object for each outline entry and link (see
 * haru_destination_new). */
static HPDF_Destination destination(writer *w, size_t index, double y) {
  HPDF_Page page = HPDF_GetPageByIndex(w->pdf, (HPDF_UINT)index);
  const page_list *pg = page_doc_lookup_page(w->doc, index);
  if (!page || !pg)
    return NULL;
  return haru_destination_new(w->pdf, page, pg->height - y, pg->turned);
}

static bool add_links(writer *w) {
  for (size_t i = 0; i < w->nlinks; i++) {
    const struct pending_link *l = &w->links[i];
    HPDF_Destination dst = destination(w, l->target_page, l->target_y);
    if (!dst)
      return false;
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(l->page, l->rect, dst);
    if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK ||
        !haru_annotation_set_printed(a))
      return false;
  }
  return !w->failed;
}

static bool begin_page(void *ctx, size_t index, const page_list *pg) {
  writer *w = ctx;
  (void)index;
  w->page = haru_add_page(w->pdf);
  if (!w->page)
    return false;
  HPDF_Page_SetWidth(w->page, (HPDF_REAL)pg->width);
  HPDF_Page_SetHeight(w->page, (HPDF_REAL)pg->height);
  w->pg = pg;
  w->page_h = pg->height;
  w->layer = PAGE_LAYER_VIEW;
  w->contents.len = 0;
  w->in_text = false;
  memset(w->font_names, 0, w->nfonts * sizeof *w->font_names);
  /* a content stream starts in the default graphics state */
  forget_state(w);
  w->tc = 0;
  w->stroke_gray = w->fill_gray = 0;
  w->line_width = 1;
  if (pg->turned) {
    HPDF_Page_SetRotate(w->page, 90);
    enter_view(w);
  }
  return !w->failed;
}

static size_t glyph_index(const pdf_font *f, uint32_t gid) {
  return hb_map_get(f->text_index, gid);
}

static void put_codes(bbuf *b, const unsigned *code, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  bbuf_append(b, "<", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned c = code[i];
    char h[4] = {hex[c >> 12 & 15], hex[c >> 8 & 15], hex[c >> 4 & 15], hex[c & 15]};
    bbuf_append(b, h, 4);
  }
  bbuf_append(b, ">", 1);
}

/* The extra space most gaps of a line share (a justified line spreads its
 * slack evenly between glyphs), if more than half of them do and it is
 * under 0.08 em; else 0.  A wider gap stays a TJ adjustment: text
 * extraction (poppler counts Tc as part of a glyph) must still see it as
 * a space.  Boyer–Moore majority vote, gaps equal within 0.002 pt. */
static double common_gap(const double *want, const double *adv, size_t n,
                         double size) {
  if (n < 3)
    return 0;
  double cand = 0;
  size_t count = 0;
  for (size_t k = 0; k + 1 < n; k++) {
    double gap = want[k + 1] - want[k] - adv[k];
    if (count == 0) {
      cand = gap;
      count = 1;
    } else if (fabs(gap - cand) < 0.002) {
      count++;
    } else {
      count--;
    }
  }
  size_t agree = 0;
  for (size_t k = 0; k + 1 < n; k++)
    agree += fabs(want[k + 1] - want[k] - adv[k] - cand) < 0.002;
  return 2 * agree > n - 1 && fabs(cand) >= 0.001 && fabs(cand) < 0.08 * size ? cand
                                                                          : 0;
}

/* One glyph run: Tf if the font or size changed; per segment of glyphs on
 * one baseline, Tc if the common spacing changed, Tm at its first glyph,
 * then Tj, or TJ with an adjustment wherever the viewer's pen (the font's
 * /W width plus Tc) would not be where the text stage put the next glyph
 * (kerning, compressed punctuation, uneven gaps). */
static bool draw_glyphs(void *ctx, const page_glyph_run *run) {
  writer *w = ctx;
  const pdf_font *f = font_for(w, run->face);
  size_t fi = (size_t)(f - w->fonts);
  bbuf *b = &w->contents;
  begin_text(w);
  if (f != w->cur_font || run->size != w->cur_size) {
    if (!w->font_names[fi]) {
      w->font_names[fi] = haru_page_font_name(w->page, f->dict);
      if (!w->font_names[fi]) {
        on_haru_error(0, 0, w);
        return false;
      }
    }
    put_op(b, "/");
    put_op(b, w->font_names[fi]);
    put_op(b, " ");
    put_num(b, run->size);
    put_op(b, " Tf\n");
    w->cur_font = f;
    w->cur_size = run->size;
  }
  if (run->count > w->capscratch) {
    w->capscratch = run->count;
    w->want = xrealloc(w->want, w->capscratch * sizeof *w->want);
    w->adv = xrealloc(w->adv, w->capscratch * sizeof *w->adv);
    w->adj = xrealloc(w->adj, w->capscratch * sizeof *w->adj);
    w->code = xrealloc(w->code, w->capscratch * sizeof *w->code);
  }
  double scale = run->size / 1000;
  for (size_t i = 0; i < run->count;) {
    /* a segment of glyphs on one vertical offset */
    size_t j = i + 1;
    while (j < run->count && run->glyphs[j].y == run->glyphs[i].y)
      j++;
    size_t n = j - i;
    const page_glyph *g = &run->glyphs[i];
    for (size_t k = 0; k < n; k++) {
      w->want[k] = run->x + g[k].x;
      /* the viewer advances by the glyph's /W width */
      size_t gi = glyph_index(f, g[k].id);
      w->adv[k] = f->advances[gi] * scale;
      w->code[k] = f->codes[gi];
    }
    long long tc =
        round_within(common_gap(w->want, w->adv, n, run->size) * 1e5, PUT_LIMIT);
    if (tc != w->tc) {
      put_fixed(b, tc, 5);
      put_op(b, " Tc\n");
      w->tc = tc;
    }
    long long x = milli(w->want[0]), y = milli(w->page_h - (run->y + g[0].y));
    put_op(b, "1 0 0 1 ");
    put_milli(b, x);
    put_op(b, " ");
    put_milli(b, y);
    put_op(b, " Tm ");
    /* where the viewer puts each glyph, and the adjustments that keep it
     * where it belongs (in 1/1000 em, 3 decimals) */
    double pen = w->want[0]; /* Tm's rounding moves the whole segment */
    bool any = false;
    for (size_t k = 0; k < n; k++) {
      /* Unspread text keeps every adjustment of 0.001 em/1000 or more
       * (text extraction decides lines and words on such edges: a
       * compressed colon 500.001 back is a new line to pdftotext, 500 is
       * not); spread text, whose gaps Tc carries, only those that put a
       * glyph more than 0.0002 pt off. */
      double a = round((pen - w->want[k]) / scale * 1000) / 1000;
      w->adj[k] = 0;
      if (tc == 0 ? fabs(a) >= 0.001 : fabs(pen - w->want[k]) > 0.0002) {
        w->adj[k] = a;
        pen -= a * scale;
        any = true;
      }
      pen += w->adv[k] + tc / 1e5;
    }
    if (!any) {
      put_codes(b, w->code, n);
      put_op(b, " Tj\n");
    } else {
      put_op(b, "[");
      size_t start = 0;
      for (size_t k = 0; k < n; k++) {
        if (w->adj[k] == 0)
          continue;
        if (k > start)
          put_codes(b, w->code + start, k - start);
        put_milli(b, round_within(w->adj[k] * 1000, PUT_LIMIT));
        start = k;
      }
      put_codes(b, w->code + start, n - start);
      put_op(b, "] TJ\n");
    }
    i = j;
  }
  return true;
}

/* Stroke colour and width for what follows. */
static void set_stroke(writer *w, double gray, double width) {
  bbuf *b = &w->contents;
  if (gray == w->stroke_gray && width == w->line_width)
    return;
  if (gray != w->stroke_gray) {
    put_num(b, gray);
    put_op(b, " G\n");
    w->stroke_gray = gray;
  }
  if (width != w->line_width) {
    put_num(b, width);
    put_op(b, " w\n");
    w->line_width = width;
  }
}

static bool draw_line(void *ctx, const page_line *l) {
  writer *w = ctx;
  bbuf *b = &w->contents;
  end_text(w);
  set_stroke(w, l->gray, l->width);
  put_coord(b, l->x0);
  put_op(b, " ");
  put_coord(b, w->page_h - l->y0);
  put_op(b, " m ");
  put_coord(b, l->x1);
  put_op(b, " ");
  put_coord(b, w->page_h - l->y1);
  put_op(b, " l S\n");
  return true;
}

static bool draw_rect(void *ctx, const page_rect *r) {
  writer *w = ctx;
  bbuf *b = &w->contents;
  if (!r->fill && !r->stroke)
    return true;
  end_text(w);
  if (r->stroke)
    set_stroke(w, r->stroke_gray, r->line_width);
  if (r->fill) {
      if (r->fill_gray != w->fill_gray) {
      put_num(b, r->fill_gray);
      put_op(b, " g\n");
      w->fill_gray = r->fill_gray;
    }
  }
  put_coord(b, r->x);
  put_op(b, " ");
  put_coord(b, w->page_h - r->y - r->h);
  put_op(b, " ");
  put_coord(b, r->w);
  put_op(b, " ");
  put_coord(b, r->h);
  put_op(b, " re\n");
  if (r->fill) {
    put_op(b, r->stroke ? "B\n" : "f\n");
    if (r->fill_gray != 0) { /* text is black */
      put_op(b, "0 g\n");
      w->fill_gray = 0;
    }
  } else {
    put_op(b, "S\n");
  }
  return true;
}

/* The page's content stream is compressed here (level 1, as the fonts)
 * rather than by libharu's zlib at save time: ~4x faster. */
static bool end_page(void *ctx, size_t index, const page_list *pg) {
  writer *w = ctx;
  if (pg->turned && w->layer == PAGE_LAYER_VIEW)
    leave_view(w);
  end_text(w);
  size_t bound = libdeflate_zlib_compress_bound(w->deflater, w->contents.len);
  unsigned char *z = xmalloc(bound);
  size_t n = libdeflate_zlib_compress(w->deflater, w->contents.data, w->contents.len,
                                      z, bound);
  haru_bytes *b = &w->zpages[index];
  *b = (haru_bytes){xrealloc(z, n ? n : 1), n, 0};
  if (!n || !haru_page_set_deflated_contents(w->pdf, w->page, b)) {
    on_haru_error(0, 0, w);
    return false;
  }
  return !w->failed;
}

/* ---------------------------------------------------------------- document */

/* "2021-03-01", "2021-03-01T09:30", "2021-03-01T09:30:00+08:00" or "…Z". */
static bool parse_date(const char *s, HPDF_Date *out) {
  memset(out, 0, sizeof *out);
  out->ind = ' ';
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2d%n", &out->year, &out->month, &out->day, &n) != 3 ||
      n != 10)
    return false;
  s += n;
  if (*s == 'T' || *s == ' ') {
    n = 0;
    if (sscanf(s + 1, "%2d:%2d%n", &out->hour, &out->minutes, &n) != 2 || n != 5)
      return false;
    s += 1 + n;
    if (*s == ':') {
      n = 0;
      if (sscanf(s + 1, "%2d%n", &out->seconds, &n) != 1 || n != 2)
        return false;
      s += 3;
    }
    if (*s == 'Z') {
      out->ind = 'Z';
      s++;
    } else if (*s == '+' || *s == '-') {
      out->ind = *s;
      n = 0;
      if (sscanf(s + 1, "%2d:%2d%n", &out->off_hour, &out->off_minutes, &n) != 2 ||
          n != 5)
        return false;
      s += 1 + n;
    }
  }
  return *s == 0 && out->month >= 1 && out->month <= 12 && out->day >= 1 &&
         out->day <= 31 && out->hour <= 23 && out->minutes <= 59 &&
         out->seconds <= 59;
}

/* The date as XMP writes it: what libharu writes into the Info
 * dictionary (D:YYYYMMDDHHmmSS and the zone, if one was given) in ISO 8601,
 * so that the two agree as PDF/A requires. */
static void xmp_date(const HPDF_Date *t, char *buf, size_t cap) {
  int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month,
                   t->day, t->hour, t->minutes, t->seconds);
  if (n > 0 && (size_t)n < cap) {
    if (t->ind == 'Z')
      snprintf(buf + n, cap - (size_t)n, "Z");
    else if (t->ind == '+' || t->ind == '-')
      snprintf(buf + n, cap - (size_t)n, "%c%02d:%02d", t->ind, t->off_hour,
               t->off_minutes);
  }
}

static bool set_info(writer *w) {
  const page_doc_info *in = page_doc_lookup_info(w->doc);
  struct {
    HPDF_InfoType type;
    const char *value;
  } attrs[] = {{HPDF_INFO_TITLE, in->title},       {HPDF_INFO_AUTHOR, in->author},
               {HPDF_INFO_SUBJECT, in->subject},   {HPDF_INFO_KEYWORDS, in->keywords},
               {HPDF_INFO_CREATOR, in->creator}};
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
    if (attrs[i].value && *attrs[i].value)
      HPDF_SetInfoAttr(w->pdf, attrs[i].type, attrs[i].value);
  if (in->creation_date) {
    HPDF_Date date;
    if (!parse_date(in->creation_date, &date)) {
      diag_error(w->d, DIAG_USAGE, (src_pos){0},
                 "creation date '%s' is not YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]]",
                 in->creation_date);
      return false;
    }
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date);
    xmp_date(&date, w->xmp_date, sizeof w->xmp_date);
  }
  return !w->failed;
}

/* /PageLabels: a range starts wherever a page's label does not follow on
 * from the page before's. */
static bool add_page_labels(writer *w) {
  const page_list *prev = NULL;
  size_t n = page_doc_page_count(w->doc);
  for (size_t i = 0; i < n; i++) {
    const page_list *pg = page_doc_lookup_page(w->doc, i);
    bool follows = prev && prev->label_style == pg->label_style &&
                   pg->label == prev->label + 1;
    prev = pg;
    if (follows || pg->label_style == PAGE_LABEL_NONE)
      continue;
    HPDF_PageNumStyle style = pg->label_style == PAGE_LABEL_ROMAN
                                  ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                  : HPDF_PAGE_NUM_STYLE_DECIMAL;
    if (HPDF_AddPageLabel(w->pdf, (HPDF_UINT)i, style,
                          (HPDF_UINT)(pg->label > 0 ? pg->label : 1),
                          NULL) != HPDF_OK)
      return false;
  }
  return !w->failed;
}

static bool add_outlines(writer *w) {
  size_t n = page_doc_outline_count(w->doc);
  if (!n)
    return true;
  HPDF_Encoder utf8 = HPDF_GetEncoder(w->pdf, "UTF-8");
  enum { MAX_DEPTH = 16 };
  HPDF_Outline parents[MAX_DEPTH + 1] = {0};
  for (size_t i = 0; i < n; i++) {
    const page_outline *o = page_doc_lookup_outline(w->doc, i);
    int level = o->level > MAX_DEPTH ? MAX_DEPTH : o->level;
    /* A level with no parent hangs from the nearest level above it. */
    HPDF_Outline parent = NULL;
    for (int l = level - 1; l >= 1 && !parent; l--)
      parent = parents[l];
    HPDF_Outline ol = HPDF_CreateOutline(w->pdf, parent, o->title, utf8);
    if (!ol)
      return false;
    parents[level] = ol;
    for (int l = level + 1; l <= MAX_DEPTH; l++)
      parents[l] = NULL;
    if (level == 1)
      HPDF_Outline_SetOpened(ol, HPDF_TRUE);
    HPDF_Page page = HPDF_GetPageByIndex(w->pdf, (HPDF_UINT)o->page_index);
    if (!page) {
      diag_error(w->d, DIAG_INTERNAL, (src_pos){0},
                 "outline '%s' points at page %zu of %zu", o->title,
                 o->page_index + 1, page_doc_page_count(w->doc));
      return false;
    }
    HPDF_Destination dst = destination(w, o->page_index, o->y);
    if (!dst || HPDF_Outline_SetDestination(ol, dst) != HPDF_OK)
      return false;
  }
  return !w->failed;
}

/* The PDF/A objects, once the document information is set: XMP, output
 * intent, language, reading aids. */
static bool make_archival(writer *w) {
  pdf_archive *a = &w->archive;
  const pdf_settings *set = a->settings;
  const char *producer = HPDF_GetInfoAttr(w->pdf, HPDF_INFO_PRODUCER);
  pdf_archive_build_xmp(a, page_doc_lookup_info(w->doc), producer,
                        w->xmp_date[0] ? w->xmp_date : NULL);
  a->xmp_bytes = (haru_bytes){a->xmp.data, a->xmp.len, 0};
  a->icc_bytes = (haru_bytes){set->zicc, set->zicc_len, 0};
  haru_archival_spec spec = {
      .xmp = &a->xmp_bytes,
      .icc = &a->icc_bytes,
      .icc_components = set->icc_components,
      .condition = set->condition,
      .lang = set->lang,
      .show_outlines = page_doc_outline_count(w->doc) > 0,
  };
  return haru_make_archival(w->pdf, &spec) && !w->failed;
}

bool pdf_render(const page_doc *doc, bbuf *out, pdf_stats *stats, diag *d) {
  return pdf_render_with(doc, NULL, out, stats, d);
}

bool pdf_render_with(const page_doc *doc, const pdf_options *opts, bbuf *out,
                     pdf_stats *stats, diag *d) {
  writer w = {.doc = doc, .d = d};
  bool ok = false;
  if (!pdf_check_limits(doc, d))
    return false;
  w.archive.settings = opts ? opts->loaded_settings : NULL;
  if (!w.archive.settings) {
    char fallback[4096];
    snprintf(fallback, sizeof fallback, "%s/fonts/pdf.yaml",
             program_datadir() ? program_datadir() : ".");
    const char *settings = opts && opts->settings ? opts->settings : fallback;
    w.archive.settings = w.own_settings = pdf_settings_load(settings, d);
    if (!w.own_settings)
      return false;
  }
  w.pdf = HPDF_New(on_haru_error, &w);
  if (!w.pdf) {
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "libharu cannot create a document");
    pdf_settings_drop(w.own_settings);
    return false;
  }
  haru_reserve(w.pdf, page_doc_page_count(doc));
  HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(w.pdf);
  HPDF_SetCurrentEncoder(w.pdf, "UTF-8"); /* info strings are UTF-8 */
  if (w.failed || !set_info(&w))
    goto done;

  static const page_device collector = {.glyphs = collect_glyphs};
  page_doc_replay(doc, &collector, &w);
  size_t glyphs = 0, program = 0;
  pdf_fonts_prepare(w.fonts, w.nfonts, opts && opts->keep_font_pages);
  /* A font file cut short while it was read gave zeros (text.h): what
   * was made from it is wrong (a subset that fails, say), so nothing is
   * written, and the reason is the file, not the font. */
  bool font_changed = false;
  for (size_t i = 0; i < w.nfonts; i++)
    if (text_face_file_changed(w.fonts[i].face)) {
      text_face_report_changed(w.fonts[i].face, d);
      font_changed = true;
    }
  if (font_changed)
    goto done;
  bool fonts_ok = true;
  for (size_t i = 0; i < w.nfonts; i++) { /* in order: same bytes every run */
    fonts_ok &= pdf_font_emit(&w.fonts[i], w.pdf, d);
    glyphs += w.fonts[i].ntexts;
    program += w.fonts[i].program_raw_len;
  }
  if (!fonts_ok)
    goto done;
  w.font_names = xcalloc(w.nfonts + 1, sizeof *w.font_names);
  w.zpages = xcalloc(page_doc_page_count(doc) + 1, sizeof *w.zpages);
  w.deflater = libdeflate_alloc_compressor(1);
  if (!w.deflater)
    out_of_memory();
  static const page_device painter = {begin_page, draw_glyphs, draw_line,
                                      draw_rect,  end_page,    set_layer,
                                      add_link,   span};
  if (!page_doc_replay(doc, &painter, &w) || w.failed)
    goto done;
  if (!add_outlines(&w) || !add_links(&w) || !add_page_labels(&w) ||
      !make_archival(&w))
    goto done;
  size_t before = out->len;
  if (!haru_save(w.pdf, out) || w.failed)
    goto done;
  size_t got = out->len - before;
  if (stats) {
    stats->pages = page_doc_page_count(doc);
    stats->fonts = w.nfonts;
    stats->glyphs = glyphs;
    stats->font_program_bytes = program;
    stats->bytes = got;
  }
  ok = true;
done:
  if (!ok && !w.failed && !diag_error_count(d))
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "the PDF could not be made");
  HPDF_Free(w.pdf);
  for (size_t i = 0; i < w.nfonts; i++)
    pdf_font_free(&w.fonts[i]);
  free(w.fonts);
  free(w.font_names);
  free(w.links);
  pdf_archive_free(&w.archive);
  pdf_settings_drop(w.own_settings);
  bbuf_free(&w.contents);
  free(w.want);
  free(w.adv);
  free(w.adj);
  free(w.code);
  if (w.zpages)
    for (size_t i = 0; i < page_doc_page_count(doc); i++)
      free((void *)w.zpages[i].data);
  free(w.zpages);
  if (w.deflater)
    libdeflate_free_compressor(w.deflater);
  return ok;
}

bool pdf_write(const page_doc *doc, const char *path, pdf_stats *stats,
               diag *d) {
  return pdf_write_with(doc, path, NULL, stats, d);
}

bool pdf_write_with(const page_doc *doc, const char *path,
                    const pdf_options *opts, pdf_stats *stats, diag *d) {
  bbuf bytes = {0};
  bool ok = pdf_render_with(doc, opts, &bytes, stats, d) &&
            pdf_write_atomically(path, bytes.data, bytes.len, d);
  bbuf_free(&bytes);
  return ok;
}
