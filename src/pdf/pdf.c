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
  bbuf text;             /* raw operators not yet handed to libharu */
  bool in_text;          /* BT written, ET not yet */
  const pdf_font *cur_font;
  double cur_size;
  const char **font_names; /* per font: this page's resource name */
  double stroke_gray, line_width;
  struct libdeflate_compressor *deflater;
  bbuf contents;         /* a page's content stream, before compression */
  void *zbuf;            /* and after */
  size_t zcap;
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

/* Numbers in content streams: at most 3 decimals, no exponent, no "-0". */
static void put_num(bbuf *b, double v) {
  long long m = llround(v * 1000);
  if (m == 0) {
    bbuf_puts(b, "0");
    return;
  }
  char buf[32], *p = buf + sizeof buf;
  *--p = 0;
  bool neg = m < 0;
  unsigned long long u = neg ? (unsigned long long)-m : (unsigned long long)m;
  unsigned frac = (unsigned)(u % 1000);
  u /= 1000;
  if (frac) {
    int digits = 3;
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
  bbuf_puts(b, p);
}

static bool flush_text(writer *w) {
  if (w->in_text) {
    bbuf_puts(&w->text, "ET\n");
    w->in_text = false;
  }
  if (w->text.len && !haru_page_write(w->page, w->text.data, w->text.len)) {
    on_haru_error(0, 0, w);
    return false;
  }
  w->text.len = 0;
  if (w->text.data)
    w->text.data[0] = 0;
  return true;
}

/* A turned page draws its view layer inside "q 0 1 -1 0 W 0 cm … Q": the
 * view's x runs up the sheet and its y (after the usual flip) runs
 * right-to-left, which /Rotate 90 shows upright.  The stroke state is
 * forgotten at every q/Q so that it is set again where needed. */
static void enter_view(writer *w) {
  bbuf_puts(&w->text, "q 0 1 -1 0 ");
  put_num(&w->text, w->pg->width);
  bbuf_puts(&w->text, " 0 cm\n");
  w->page_h = w->pg->width; /* the view's height */
  w->stroke_gray = w->line_width = -1;
}

static void leave_view(writer *w) {
  bbuf_puts(&w->text, "Q\n");
  w->page_h = w->pg->height;
  w->stroke_gray = w->line_width = -1;
}

static bool set_layer(void *ctx, page_layer layer) {
  writer *w = ctx;
  if (!w->pg->turned || layer == w->layer) {
    w->layer = layer;
    return true;
  }
  if (w->in_text) {
    bbuf_puts(&w->text, "ET\n");
    w->in_text = false;
  }
  if (layer == PAGE_LAYER_SHEET)
    leave_view(w);
  else
    enter_view(w);
  w->layer = layer;
  return flush_text(w);
}

/* /ActualText spans: the text as UTF-16BE in a hex string. */
static bool span(void *ctx, const page_span *s) {
  writer *w = ctx;
  bbuf *b = &w->text;
  if (!s->text) {
    bbuf_puts(b, "EMC\n");
    return true;
  }
  if (!w->in_text) { /* BDC and EMC must nest with BT/ET: open BT first */
    bbuf_puts(b, "BT\n");
    w->in_text = true;
    w->cur_font = NULL;
  }
  bbuf_puts(b, "/Span<</ActualText<FEFF");
  for (size_t i = 0; i < s->len;) {
    uint32_t cp;
    size_t n = utf8_decode(s->text + i, s->len - i, &cp);
    if (!n)
      break;
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      bbuf_printf(b, "%04X%04X", 0xD800 + (unsigned)(cp >> 10),
                  0xDC00 + (unsigned)(cp & 0x3FF));
    } else {
      bbuf_printf(b, "%04X", (unsigned)cp);
    }
  }
  bbuf_puts(b, ">>>BDC\n");
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
 * the whole page when it is turned (viewers disagree on /XYZ there). */
static HPDF_Destination destination(writer *w, size_t index, double y) {
  HPDF_Page page = HPDF_GetPageByIndex(w->pdf, (HPDF_UINT)index);
  const page_list *pg = page_doc_lookup_page(w->doc, index);
  if (!page || !pg)
    return NULL;
  if (pg->turned)
    return HPDF_Page_CreateDestination(page); /* /Fit */
  return haru_destination_at(w->pdf, page, pg->height - y);
}

static bool add_links(writer *w) {
  for (size_t i = 0; i < w->nlinks; i++) {
    const struct pending_link *l = &w->links[i];
    HPDF_Destination dst = destination(w, l->target_page, l->target_y);
    if (!dst)
      return false;
    HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(l->page, l->rect, dst);
    if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
      return false;
  }
  return !w->failed;
}

static bool begin_page(void *ctx, size_t index, const page_list *pg) {
  writer *w = ctx;
  (void)index;
  w->page = HPDF_AddPage(w->pdf);
  if (!w->page)
    return false;
  HPDF_Page_SetWidth(w->page, (HPDF_REAL)pg->width);
  HPDF_Page_SetHeight(w->page, (HPDF_REAL)pg->height);
  w->pg = pg;
  w->page_h = pg->height;
  w->layer = PAGE_LAYER_VIEW;
  w->in_text = false;
  w->cur_font = NULL;
  w->cur_size = 0;
  memset(w->font_names, 0, w->nfonts * sizeof *w->font_names);
  w->stroke_gray = 0;
  w->line_width = 1;
  if (pg->turned) {
    HPDF_Page_SetRotate(w->page, 90);
    enter_view(w);
  }
  return !w->failed;
}

static void put_codes(bbuf *b, const pdf_font *f, const page_glyph *g,
                      size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  bbuf_puts(b, "<");
  for (size_t i = 0; i < n; i++) {
    unsigned c = f->codes[hb_map_get(f->text_index, g[i].id)];
    char h[4] = {hex[c >> 12 & 15], hex[c >> 8 & 15], hex[c >> 4 & 15], hex[c & 15]};
    bbuf_append(b, h, 4);
  }
  bbuf_puts(b, ">");
}

/* One glyph run: Tf if the font or size changed, Tm at the run's origin,
 * then TJ with an adjustment wherever the text stage's position differs
 * from where the font's own width would put the next glyph (kerning,
 * justification).  A glyph with a vertical offset starts a new Tm. */
static bool draw_glyphs(void *ctx, const page_glyph_run *run) {
  writer *w = ctx;
  const pdf_font *f = font_for(w, run->face);
  size_t fi = (size_t)(f - w->fonts);
  bbuf *b = &w->text;
  if (!w->in_text) {
    bbuf_puts(b, "BT\n");
    w->in_text = true;
    w->cur_font = NULL;
  }
  if (f != w->cur_font || run->size != w->cur_size) {
    if (!w->font_names[fi]) {
      w->font_names[fi] = haru_page_font_name(w->page, f->dict);
      if (!w->font_names[fi]) {
        on_haru_error(0, 0, w);
        return false;
      }
    }
    bbuf_printf(b, "/%s ", w->font_names[fi]);
    put_num(b, run->size);
    bbuf_puts(b, " Tf\n");
    w->cur_font = f;
    w->cur_size = run->size;
  }
  double scale = run->size / 1000;
  for (size_t i = 0; i < run->count;) {
    /* a segment of glyphs on one vertical offset */
    size_t j = i + 1;
    while (j < run->count && run->glyphs[j].y == run->glyphs[i].y)
      j++;
    double x0 = run->x + run->glyphs[i].x;
    bbuf_puts(b, "1 0 0 1 ");
    put_num(b, x0);
    bbuf_puts(b, " ");
    put_num(b, w->page_h - (run->y + run->glyphs[i].y));
    bbuf_puts(b, " Tm [");
    double pen = x0; /* where the viewer will put the next glyph */
    size_t start = i;
    for (size_t k = i; k < j; k++) {
      double want = run->x + run->glyphs[k].x;
      double adj = (pen - want) * 1000 / run->size;
      adj = round(adj * 1000) / 1000;
      if (fabs(adj) >= 0.001) {
        if (k > start)
          put_codes(b, f, &run->glyphs[start], k - start);
        put_num(b, adj);
        start = k;
        pen -= adj * run->size / 1000;
      }
      /* The viewer advances by the glyph's /W width. */
      pen += f->advances[hb_map_get(f->text_index, run->glyphs[k].id)] * scale;
    }
    put_codes(b, f, &run->glyphs[start], j - start);
    bbuf_puts(b, "] TJ\n");
    i = j;
  }
  return true;
}

static void set_stroke(writer *w, double gray, double width) {
  if (gray != w->stroke_gray) {
    HPDF_Page_SetGrayStroke(w->page, (HPDF_REAL)gray);
    w->stroke_gray = gray;
  }
  if (width != w->line_width) {
    HPDF_Page_SetLineWidth(w->page, (HPDF_REAL)width);
    w->line_width = width;
  }
}

static bool draw_line(void *ctx, const page_line *l) {
  writer *w = ctx;
  if (!flush_text(w))
    return false;
  set_stroke(w, l->gray, l->width);
  HPDF_Page_MoveTo(w->page, (HPDF_REAL)l->x0, (HPDF_REAL)(w->page_h - l->y0));
  HPDF_Page_LineTo(w->page, (HPDF_REAL)l->x1, (HPDF_REAL)(w->page_h - l->y1));
  HPDF_Page_Stroke(w->page);
  return !w->failed;
}

static bool draw_rect(void *ctx, const page_rect *r) {
  writer *w = ctx;
  if (!flush_text(w))
    return false;
  if (!r->fill && !r->stroke)
    return true;
  if (r->stroke)
    set_stroke(w, r->stroke_gray, r->line_width);
  if (r->fill)
    HPDF_Page_SetGrayFill(w->page, (HPDF_REAL)r->fill_gray);
  HPDF_Page_Rectangle(w->page, (HPDF_REAL)r->x, (HPDF_REAL)(w->page_h - r->y - r->h),
                      (HPDF_REAL)r->w, (HPDF_REAL)r->h);
  if (r->fill && r->stroke)
    HPDF_Page_FillStroke(w->page);
  else if (r->fill)
    HPDF_Page_Fill(w->page);
  else
    HPDF_Page_Stroke(w->page);
  if (r->fill && r->fill_gray != 0)
    HPDF_Page_SetGrayFill(w->page, 0); /* text is black */
  return !w->failed;
}

/* The page's content stream is compressed here with libdeflate (level 1,
 * as the fonts) rather than by libharu's zlib at save time: ~4x faster. */
static bool end_page(void *ctx, size_t index, const page_list *pg) {
  writer *w = ctx;
  (void)index;
  if (pg->turned && w->layer == PAGE_LAYER_VIEW) {
    if (w->in_text) {
      bbuf_puts(&w->text, "ET\n");
      w->in_text = false;
    }
    leave_view(w);
  }
  if (!flush_text(w))
    return false;
  w->contents.len = 0;
  if (!haru_page_take_contents(w->page, &w->contents)) {
    on_haru_error(0, 0, w);
    return false;
  }
  size_t bound = libdeflate_zlib_compress_bound(w->deflater, w->contents.len);
  if (bound > w->zcap) {
    w->zcap = bound;
    w->zbuf = xrealloc(w->zbuf, bound);
  }
  size_t n = libdeflate_zlib_compress(w->deflater, w->contents.data, w->contents.len,
                                      w->zbuf, w->zcap);
  if (!n || !haru_page_put_deflated_contents(w->page, w->zbuf, n)) {
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

bool pdf_render(const page_doc *doc, bbuf *out, pdf_stats *stats, diag *d) {
  writer w = {.doc = doc, .d = d};
  bool ok = false;
  w.pdf = HPDF_New(on_haru_error, &w);
  if (!w.pdf) {
    diag_error(d, DIAG_INTERNAL, (src_pos){0}, "libharu cannot create a document");
    return false;
  }
  HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(w.pdf);
  HPDF_SetCurrentEncoder(w.pdf, "UTF-8"); /* info strings are UTF-8 */
  if (w.failed || !set_info(&w))
    goto done;

  static const page_device collector = {.glyphs = collect_glyphs};
  page_doc_replay(doc, &collector, &w);
  size_t glyphs = 0, program = 0;
  pdf_fonts_prepare(w.fonts, w.nfonts);
  bool fonts_ok = true;
  for (size_t i = 0; i < w.nfonts; i++) { /* in order: same bytes every run */
    fonts_ok &= pdf_font_emit(&w.fonts[i], w.pdf, d);
    glyphs += w.fonts[i].ntexts;
    program += w.fonts[i].program_raw_len;
  }
  if (!fonts_ok)
    goto done;
  w.font_names = xcalloc(w.nfonts + 1, sizeof *w.font_names);
  w.deflater = libdeflate_alloc_compressor(1);
  if (!w.deflater) {
    fputs("budgetpdf: error: out of memory\n", stderr);
    exit(BP_EXIT_INTERNAL);
  }
  static const page_device painter = {begin_page, draw_glyphs, draw_line,
                                      draw_rect,  end_page,    set_layer,
                                      add_link,   span};
  if (!page_doc_replay(doc, &painter, &w) || w.failed)
    goto done;
  if (!add_outlines(&w) || !add_links(&w))
    goto done;
  if (HPDF_SaveToStream(w.pdf) != HPDF_OK || w.failed)
    goto done;
  HPDF_UINT32 size = HPDF_GetStreamSize(w.pdf);
  XGROW(out->data, out->cap, out->len + size + 1);
  HPDF_UINT32 got = size;
  if (HPDF_ReadFromStream(w.pdf, (HPDF_BYTE *)out->data + out->len, &got) !=
          HPDF_OK &&
      got != size)
    goto done;
  out->len += got;
  out->data[out->len] = 0;
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
  bbuf_free(&w.text);
  bbuf_free(&w.contents);
  free(w.zbuf);
  if (w.deflater)
    libdeflate_free_compressor(w.deflater);
  return ok;
}

bool pdf_write(const page_doc *doc, const char *path, pdf_stats *stats,
               diag *d) {
  bbuf bytes = {0};
  bool ok = pdf_render(doc, &bytes, stats, d) &&
            pdf_write_atomically(path, bytes.data, bytes.len, d);
  bbuf_free(&bytes);
  return ok;
}
