/* SPDX-License-Identifier: MIT */
/* book.c — workbooks read into sheets of cells.
 *
 * .xlsx: libzip opens the package and inflates each part in chunks, which
 * expat parses as they come: xl/workbook.xml (sheet names), its
 * relationships (which part is which sheet), xl/sharedStrings.xml and each
 * worksheet (cells).  The uncompressed bytes are counted,
 * so a zip bomb stops at the limit instead of filling memory; a part with
 * a DTD is refused, so no entity is ever expanded.  (expat rather than
 * libxml2: Debian's libxml2 pulls in ICU, 30 MB mapped into every run.)  .xls: freexl.  .csv: one
 * sheet per file, UTF-8 or GBK.  Everything lands in the book's arena. */
#include "import_imp.h"

#include <errno.h>
#include <freexl.h>
#include <iconv.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

const import_limits import_default_limits = {
    .max_file_bytes = 64u << 20,
    .max_part_bytes = 64u << 20,
    .max_total_bytes = 256u << 20,
    .max_strings = 1000000,
    .max_text_bytes = 64u << 20,
    .max_cells = 2000000,
    .max_sheets = 256,
    .max_depth = 64,
};

/* Sheets at most this many rows and columns (Excel's own limits). */
enum { MAX_ROWS = 1048576, MAX_COLS = 16384 };

/* ---------------------------------------------------------------- building */

typedef struct builder {
  book *b;
  const char *file; /* for messages */
  const import_limits *lim;
  diag *d;
  size_t ncells, text_bytes;
  bool failed;
  /* the sheet being filled */
  book_cell *cells;
  size_t ncell, capcell;
} builder;

static void fail(builder *bd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(builder *bd, const char *fmt, ...) {
  if (bd->failed)
    return; /* the first error says it; the rest follow from it */
  bd->failed = true;
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(bd->d, DIAG_ERROR, DIAG_IO, (src_pos){bd->file, 0, 0}, fmt, ap);
  va_end(ap);
}

static const char *keep_text(builder *bd, const char *s, size_t n) {
  bd->text_bytes += n;
  if (bd->text_bytes > bd->lim->max_text_bytes) {
    fail(bd, "the workbook holds more than %zu bytes of text (limit)",
         bd->lim->max_text_bytes);
    return NULL;
  }
  if (utf8_first_invalid(s, n) != (size_t)-1) {
    fail(bd, "a cell's text is not valid UTF-8");
    return NULL;
  }
  return arena_strndup(bd->b->arena, s, n);
}

static void add_cell(builder *bd, int row, int col, cell_kind kind,
                     const char *text, double number) {
  if (bd->failed)
    return;
  if (row < 0 || row >= MAX_ROWS || col < 0 || col >= MAX_COLS) {
    fail(bd, "a cell lies outside %d rows and %d columns", MAX_ROWS,
         MAX_COLS);
    return;
  }
  if (++bd->ncells > bd->lim->max_cells) {
    fail(bd, "the workbook has more than %zu cells (limit)",
         bd->lim->max_cells);
    return;
  }
  XGROW(bd->cells, bd->capcell, bd->ncell + 1);
  bd->cells[bd->ncell++] = (book_cell){row, col, kind, text, number};
}

static int cell_order(const void *pa, const void *pb) {
  const book_cell *a = pa, *b = pb;
  if (a->row != b->row)
    return a->row < b->row ? -1 : 1;
  return (a->col > b->col) - (a->col < b->col);
}

static void end_sheet(builder *bd, const char *name) {
  if (!bd->failed && bd->b->nsheets >= bd->lim->max_sheets)
    fail(bd, "the workbook has more than %zu sheets (limit)",
         bd->lim->max_sheets);
  if (!bd->failed) {
    book *b = bd->b;
    b->sheets = xrealloc(b->sheets, (b->nsheets + 1) * sizeof *b->sheets);
    book_sheet *s = &b->sheets[b->nsheets++];
    *s = (book_sheet){.name = arena_strdup(b->arena, name), .file = bd->file};
    if (bd->ncell)
      qsort(bd->cells, bd->ncell, sizeof *bd->cells, cell_order);
    s->cells = ARENA_ARRAY(b->arena, book_cell, bd->ncell ? bd->ncell : 1);
    if (bd->ncell)
      memcpy(s->cells, bd->cells, bd->ncell * sizeof *bd->cells);
    s->ncells = bd->ncell;
    s->nrows = bd->ncell ? s->cells[bd->ncell - 1].row + 1 : 0;
  }
  bd->ncell = 0;
}

static void builder_free(builder *bd) {
  free(bd->cells);
}

const book_cell *sheet_cell(const book_sheet *s, int row, int col) {
  size_t lo = 0, hi = s->ncells;
  book_cell key = {.row = row, .col = col};
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cell_order(&key, &s->cells[mid]);
    if (!c)
      return &s->cells[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

void book_drop(book *b) {
  if (!b)
    return;
  free(b->sheets);
  arena_drop(b->arena);
  free(b);
}

static book *book_new(void) {
  book *b = xcalloc(1, sizeof *b);
  b->arena = arena_new();
  return b;
}

/* "D7" → row 6, col 3; false if malformed or beyond the sheet limits. */
static bool parse_ref(const char *s, int *row, int *col) {
  long c = 0, r = 0;
  int letters = 0;
  for (; *s >= 'A' && *s <= 'Z'; s++, letters++) {
    c = c * 26 + (*s - 'A' + 1);
    if (c > MAX_COLS)
      return false;
  }
  if (!letters || *s < '1' || *s > '9')
    return false;
  for (; *s >= '0' && *s <= '9'; s++) {
    r = r * 10 + (*s - '0');
    if (r > MAX_ROWS)
      return false;
  }
  if (*s)
    return false;
  *row = (int)r - 1;
  *col = (int)c - 1;
  return true;
}

/* ---------------------------------------------------------------- xlsx parts
 * Each part is fed to expat in chunks as libzip inflates it; the
 * callbacks below keep what a sheet needs and nothing else. */

typedef struct xlsx xlsx;

typedef struct walker {
  xlsx *x;
  XML_Parser p;
  const char *part;
  int depth;
  void (*start)(struct walker *w, const char *name, const char **atts);
  void (*end)(struct walker *w, const char *name);
  bbuf *collect; /* character data goes here while non-NULL */
} walker;

struct xlsx {
  builder *bd;
  zip_t *zip;
  size_t total;
  /* shared strings */
  const char **strings;
  size_t nstrings, capstrings;
  /* the workbook's sheets: names, relationship ids, parts */
  struct sheet_ref {
    char *name, *rid, *target;
  } *refs;
  size_t nrefs, caprefs;
  char *strings_part;
  /* parse state */
  bbuf text, is_text;
  int rph;
  bool in_is;
  int row, next_col;
  int cell_row, cell_col;
  char cell_type[16];
  char cell_ref[24];
  bool has_v, has_f;
};

/* The element's local name: "x:row" → "row". */
static const char *local(const char *name) {
  const char *colon = strrchr(name, ':');
  return colon ? colon + 1 : name;
}

static const char *att(const char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (!strcmp(atts[i], name))
      return atts[i + 1];
  return NULL;
}

/* An attribute by local name with some prefix ("r:id"). */
static const char *att_prefixed(const char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strchr(atts[i], ':') && !strcmp(local(atts[i]), name))
      return atts[i + 1];
  return NULL;
}

static void stop(walker *w) { XML_StopParser(w->p, XML_FALSE); }

static void on_start(void *ud, const char *name, const char **atts) {
  walker *w = ud;
  if (++w->depth > w->x->bd->lim->max_depth) {
    fail(w->x->bd, "%s nests elements deeper than %d (limit)", w->part,
         w->x->bd->lim->max_depth);
    stop(w);
    return;
  }
  w->start(w, local(name), atts);
  if (w->x->bd->failed)
    stop(w);
}

static void on_end(void *ud, const char *name) {
  walker *w = ud;
  w->depth--;
  w->end(w, local(name));
  if (w->x->bd->failed)
    stop(w);
}

static void on_text(void *ud, const char *s, int len) {
  walker *w = ud;
  if (!w->collect)
    return;
  bbuf_append(w->collect, s, (size_t)len);
  if (w->collect->len > w->x->bd->lim->max_text_bytes) {
    fail(w->x->bd, "%s holds a text of more than %zu bytes (limit)", w->part,
         w->x->bd->lim->max_text_bytes);
    stop(w);
  }
}

/* A DTD could declare entities that expand a thousandfold: none is taken. */
static void on_doctype(void *ud, const char *name, const char *sysid,
                       const char *pubid, int internal) {
  walker *w = ud;
  (void)name, (void)sysid, (void)pubid, (void)internal;
  fail(w->x->bd, "%s has a document type declaration, which a workbook "
                 "part never has",
       w->part);
  stop(w);
}

/* Parse one part with the walker's callbacks; *missing if there is no
 * such part. */
static void walk_part(xlsx *x, const char *name, walker *w, bool *missing) {
  builder *bd = x->bd;
  *missing = false;
  zip_int64_t idx = zip_name_locate(x->zip, name, 0);
  if (idx < 0) {
    *missing = true;
    return;
  }
  zip_stat_t st;
  if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
      (st.valid & ZIP_STAT_SIZE) && st.size > bd->lim->max_part_bytes) {
    fail(bd, "%s is %llu bytes uncompressed, more than %zu (limit); a zip "
             "bomb?",
         name, (unsigned long long)st.size, bd->lim->max_part_bytes);
    return;
  }
  zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
  if (!zf) {
    fail(bd, "cannot read %s in the workbook: %s", name, zip_strerror(x->zip));
    return;
  }
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (!p)
    out_of_memory();
  w->x = x;
  w->p = p;
  w->part = name;
  w->depth = 0;
  w->collect = NULL;
  XML_SetUserData(p, w);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetStartDoctypeDeclHandler(p, on_doctype);
  char buf[65536];
  size_t read = 0;
  for (;;) {
    zip_int64_t n = zip_fread(zf, buf, sizeof buf);
    if (n < 0) {
      fail(bd, "%s is damaged in the zip: %s", name, zip_file_strerror(zf));
      break;
    }
    read += (size_t)n;
    x->total += (size_t)n;
    if (read > bd->lim->max_part_bytes || x->total > bd->lim->max_total_bytes) {
      fail(bd, "%s is more than %zu bytes uncompressed, or the parts "
               "together more than %zu (limit); a zip bomb?",
           name, bd->lim->max_part_bytes, bd->lim->max_total_bytes);
      break;
    }
    if (XML_Parse(p, buf, (int)n, n == 0) != XML_STATUS_OK) {
      if (!bd->failed)
        fail(bd, "%s is not well-formed XML: %s at line %lu", name,
             XML_ErrorString(XML_GetErrorCode(p)),
             (unsigned long)XML_GetCurrentLineNumber(p));
      break;
    }
    if (n == 0)
      break;
  }
  XML_ParserFree(p);
  zip_fclose(zf);
}

/* ------------------------------------------------ the workbook and its rels */

static void workbook_start(walker *w, const char *name, const char **atts) {
  xlsx *x = w->x;
  if (strcmp(name, "sheet"))
    return;
  if (x->nrefs >= x->bd->lim->max_sheets) {
    fail(x->bd, "the workbook has more than %zu sheets (limit)",
         x->bd->lim->max_sheets);
    return;
  }
  XGROW(x->refs, x->caprefs, x->nrefs + 1);
  const char *n = att(atts, "name"), *id = att_prefixed(atts, "id");
  x->refs[x->nrefs++] = (struct sheet_ref){n ? xstrdup(n) : NULL,
                                           id ? xstrdup(id) : NULL, NULL};
}

static void rels_start(walker *w, const char *name, const char **atts) {
  xlsx *x = w->x;
  if (strcmp(name, "Relationship"))
    return;
  const char *id = att(atts, "Id"), *target = att(atts, "Target"),
             *type = att(atts, "Type");
  if (!id || !target)
    return;
  bbuf path = {0};
  if (target[0] == '/')
    bbuf_puts(&path, target + 1);
  else
    bbuf_printf(&path, "xl/%s", target);
  if (type && str_ends_with(type, "/sharedStrings") && !x->strings_part)
    x->strings_part = xstrdup(path.data);
  for (size_t i = 0; i < x->nrefs; i++)
    if (x->refs[i].rid && !x->refs[i].target && !strcmp(x->refs[i].rid, id))
      x->refs[i].target = xstrdup(path.data);
  bbuf_free(&path);
}

static void no_end(walker *w, const char *name) { (void)w, (void)name; }

/* ------------------------------------------------ shared strings */

static void reset(bbuf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = 0;
}

/* Rich text: the runs' <t>, phonetic runs (<rPh>) left out. */
static void rich_start(walker *w, const char *name, bbuf *into) {
  if (!strcmp(name, "rPh"))
    w->x->rph++;
  else if (!strcmp(name, "t") && !w->x->rph)
    w->collect = into;
}

static void rich_end(walker *w, const char *name) {
  if (!strcmp(name, "rPh"))
    w->x->rph--;
  else if (!strcmp(name, "t"))
    w->collect = NULL;
}

static void sst_start(walker *w, const char *name, const char **atts) {
  (void)atts;
  if (!strcmp(name, "si")) {
    reset(&w->x->text);
    w->x->rph = 0;
  } else
    rich_start(w, name, &w->x->text);
}

static void sst_end(walker *w, const char *name) {
  xlsx *x = w->x;
  rich_end(w, name);
  if (strcmp(name, "si"))
    return;
  if (x->nstrings >= x->bd->lim->max_strings) {
    fail(x->bd, "%s has more than %zu strings (limit)", w->part,
         x->bd->lim->max_strings);
    return;
  }
  const char *kept = keep_text(x->bd, x->text.data ? x->text.data : "",
                               x->text.len);
  if (!kept)
    return;
  XGROW(x->strings, x->capstrings, x->nstrings + 1);
  x->strings[x->nstrings++] = kept;
}

/* ------------------------------------------------ worksheets */

static void sheet_start(walker *w, const char *name, const char **atts) {
  xlsx *x = w->x;
  builder *bd = x->bd;
  if (x->in_is) {
    rich_start(w, name, &x->is_text);
    return;
  }
  if (!strcmp(name, "row")) {
    const char *r = att(atts, "r");
    long n = r ? strtol(r, NULL, 10) : x->row + 2;
    if (n < 1 || n > MAX_ROWS)
      fail(bd, "%s: a row number '%.20s' is out of range", w->part,
           r ? r : "?");
    x->row = (int)n - 1;
    x->next_col = 0;
  } else if (!strcmp(name, "c")) {
    const char *r = att(atts, "r"), *t = att(atts, "t");
    x->cell_row = x->row < 0 ? 0 : x->row;
    x->cell_col = x->next_col;
    snprintf(x->cell_ref, sizeof x->cell_ref, "%s", r ? r : "?");
    if (r && !parse_ref(r, &x->cell_row, &x->cell_col))
      fail(bd, "%s: a cell reference '%.20s' is malformed", w->part, r);
    x->next_col = x->cell_col + 1;
    snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
    reset(&x->text);
    reset(&x->is_text);
    x->has_v = x->has_f = false;
  } else if (!strcmp(name, "f")) {
    x->has_f = true;
  } else if (!strcmp(name, "v")) {
    x->has_v = true;
    w->collect = &x->text;
  } else if (!strcmp(name, "is")) {
    x->in_is = true;
    x->rph = 0;
  }
}

static void finish_cell(walker *w) {
  xlsx *x = w->x;
  builder *bd = x->bd;
  const char *t = x->cell_type;
  const char *v = x->text.data ? x->text.data : "";
  int r = x->cell_row, c = x->cell_col;
  if (!strcmp(t, "inlineStr")) {
    if (x->is_text.len) {
      const char *k = keep_text(bd, x->is_text.data, x->is_text.len);
      if (k)
        add_cell(bd, r, c, CELL_TEXT, k, 0);
    }
  } else if (x->has_f && !x->has_v) {
    /* a formula never computed: its figure is not in the file */
    fail(bd, "%s: cell %s holds a formula without its value; open the "
             "workbook in a spreadsheet program and save it again",
         w->part, x->cell_ref);
  } else if (!x->has_v || !*v) {
  } else if (!strcmp(t, "b")) {
    add_cell(bd, r, c, CELL_TEXT, !strcmp(v, "1") ? "TRUE" : "FALSE", 0);
  } else if (!strcmp(t, "s")) {
    char *end;
    errno = 0;
    unsigned long i = strtoul(v, &end, 10);
    if (*end || errno || i >= x->nstrings)
      fail(bd, "%s: cell %s names shared string '%.20s', which does not "
               "exist",
           w->part, x->cell_ref, v);
    else if (x->strings[i][0])
      add_cell(bd, r, c, CELL_TEXT, x->strings[i], 0);
  } else if (!strcmp(t, "n")) {
    char *end;
    double num = strtod(v, &end);
    if (*end || end == v)
      fail(bd, "%s: cell %s holds '%.40s', which is not a number", w->part,
           x->cell_ref, v);
    else
      add_cell(bd, r, c, CELL_NUMBER, NULL, num);
  } else { /* str (a formula's text), b (boolean), e (#DIV/0!), d (date) */
    const char *k = keep_text(bd, v, x->text.len);
    if (k)
      add_cell(bd, r, c, CELL_TEXT, k, 0);
  }
}

static void sheet_end(walker *w, const char *name) {
  xlsx *x = w->x;
  if (x->in_is) {
    if (!strcmp(name, "is"))
      x->in_is = false;
    else
      rich_end(w, name);
    return;
  }
  if (!strcmp(name, "v"))
    w->collect = NULL;
  else if (!strcmp(name, "c"))
    finish_cell(w);
}

/* ------------------------------------------------ the package */

static void read_xlsx(builder *bd, const void *bytes, size_t len) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
  zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)
                 : NULL;
  if (!z) {
    fail(bd, "not a readable .xlsx (zip) file: %s", zip_error_strerror(&ze));
    if (src)
      zip_source_free(src);
    zip_error_fini(&ze);
    return;
  }
  zip_error_fini(&ze);
  xlsx x = {.bd = bd, .zip = z, .row = -1};
  bool missing;
  walker w = {.start = workbook_start, .end = no_end};
  walk_part(&x, "xl/workbook.xml", &w, &missing);
  if (missing)
    fail(bd, "not a spreadsheet: the package has no xl/workbook.xml");
  if (!bd->failed) {
    w = (walker){.start = rels_start, .end = no_end};
    walk_part(&x, "xl/_rels/workbook.xml.rels", &w, &missing);
  }
  if (!bd->failed) {
    w = (walker){.start = sst_start, .end = sst_end};
    walk_part(&x, x.strings_part ? x.strings_part : "xl/sharedStrings.xml",
              &w, &missing);
  }
  for (size_t i = 0; i < x.nrefs && !bd->failed; i++) {
    if (!x.refs[i].name || !x.refs[i].target) {
      fail(bd, "sheet %zu of the workbook has no part", i + 1);
      break;
    }
    x.row = -1;
    x.in_is = false;
    w = (walker){.start = sheet_start, .end = sheet_end};
    walk_part(&x, x.refs[i].target, &w, &missing);
    if (missing)
      fail(bd, "sheet '%s' has no part %s in the workbook", x.refs[i].name,
           x.refs[i].target);
    end_sheet(bd, x.refs[i].name);
  }
  for (size_t i = 0; i < x.nrefs; i++) {
    free(x.refs[i].name);
    free(x.refs[i].rid);
    free(x.refs[i].target);
  }
  free(x.refs);
  free(x.strings_part);
  free(x.strings);
  bbuf_free(&x.text);
  bbuf_free(&x.is_text);
  zip_discard(z);
}

/* ---------------------------------------------------------------- xls */

static void read_xls(builder *bd, const char *path) {
  const void *h = NULL;
  int rc = freexl_open(path, &h);
  if (rc != FREEXL_OK) {
    fail(bd, "not a readable .xls file (freexl error %d)", rc);
    if (h)
      freexl_close(h);
    return;
  }
  unsigned int nsheets = 0;
  if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) != FREEXL_OK)
    fail(bd, "cannot read the sheets of the .xls file");
  for (unsigned int i = 0; i < nsheets && !bd->failed; i++) {
    const char *name = NULL;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK ||
        freexl_select_active_worksheet(h, (unsigned short)i) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
      fail(bd, "cannot read sheet %u of the .xls file", i + 1);
      break;
    }
    for (unsigned int r = 0; r < rows && !bd->failed; r++)
      for (unsigned short c = 0; c < cols && !bd->failed; c++) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
          continue;
        switch (v.type) {
        case FREEXL_CELL_INT:
          add_cell(bd, (int)r, c, CELL_NUMBER, NULL, v.value.int_value);
          break;
        case FREEXL_CELL_DOUBLE:
          add_cell(bd, (int)r, c, CELL_NUMBER, NULL, v.value.double_value);
          break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
          if (v.value.text_value && v.value.text_value[0]) {
            const char *k = keep_text(bd, v.value.text_value,
                                      strlen(v.value.text_value));
            if (k)
              add_cell(bd, (int)r, c, CELL_TEXT, k, 0);
          }
          break;
        default:
          break;
        }
      }
    end_sheet(bd, name ? name : "?");
  }
  freexl_close(h);
}

/* ---------------------------------------------------------------- csv */

/* GBK (GB18030) text as UTF-8, or NULL if it is not that either. */
static char *from_gb18030(const char *s, size_t len, size_t *outlen) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1)
    return NULL;
  size_t cap = len * 2 + 4, left = cap;
  char *out = xmalloc(cap), *o = out;
  char *in = (char *)s;
  size_t inleft = len;
  size_t rc = iconv(cd, &in, &inleft, &o, &left);
  iconv_close(cd);
  if (rc == (size_t)-1 || inleft) {
    free(out);
    return NULL;
  }
  *outlen = (size_t)(o - out);
  out[*outlen] = 0;
  return out;
}

static void read_csv(builder *bd, const char *sheet, const char *s,
                     size_t len) {
  char *converted = NULL;
  if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
    s += 3;
    len -= 3;
  }
  if (utf8_first_invalid(s, len) != (size_t)-1) {
    size_t n;
    converted = from_gb18030(s, len, &n);
    if (!converted) {
      fail(bd, "the file is neither UTF-8 nor GBK text (saved as GBK or "
               "GB18030?)");
      return;
    }
    s = converted;
    len = n;
  }
  bbuf field = {0};
  int row = 0, col = 0;
  size_t i = 0;
  while (i <= len && !bd->failed) {
    field.len = 0;
    bool quoted = i < len && s[i] == '"';
    if (quoted) {
      i++;
      for (;;) {
        if (i >= len) {
          fail(bd, "row %d: a quoted field is not closed", row + 1);
          break;
        }
        if (s[i] == '"' && i + 1 < len && s[i + 1] == '"') {
          bbuf_append(&field, "\"", 1);
          i += 2;
        } else if (s[i] == '"') {
          i++;
          break;
        } else
          bbuf_append(&field, &s[i++], 1);
      }
    }
    while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
      bbuf_append(&field, &s[i++], 1);
    if (field.len) {
      const char *k = keep_text(bd, field.data, field.len);
      if (k)
        add_cell(bd, row, col, CELL_TEXT, k, 0);
    }
    if (i >= len)
      break;
    if (s[i] == ',') {
      col++;
      i++;
    } else {
      if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
        i++;
      i++;
      row++;
      col = 0;
    }
  }
  bbuf_free(&field);
  free(converted);
  end_sheet(bd, sheet);
}

/* ---------------------------------------------------------------- entry */

static const char *stem(arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return arena_strndup(a, base, dot ? (size_t)(dot - base) : strlen(base));
}

book *book_parse(const char *name, const char *kind, const void *bytes,
                 size_t len, const import_limits *lim, diag *d) {
  book *b = book_new();
  builder bd = {.b = b, .file = diag_intern_file(d, name), .lim = lim, .d = d};
  if (len > lim->max_file_bytes)
    fail(&bd, "the file is larger than %zu bytes (limit)", lim->max_file_bytes);
  else if (!strcmp(kind, "csv"))
    read_csv(&bd, stem(b->arena, name), bytes, len);
  else
    read_xlsx(&bd, bytes, len);
  builder_free(&bd);
  if (bd.failed) {
    book_drop(b);
    return NULL;
  }
  return b;
}

book *book_load(const char *const *paths, size_t npaths,
                const import_limits *lim, diag *d) {
  book *b = book_new();
  for (size_t i = 0; i < npaths; i++) {
    const char *path = paths[i];
    builder bd = {.b = b, .file = diag_intern_file(d, path), .lim = lim,
                  .d = d};
    bool csv = str_ends_with(path, ".csv") || str_ends_with(path, ".CSV");
    bool xls = str_ends_with(path, ".xls") || str_ends_with(path, ".XLS");
    if (npaths > 1 && !csv)
      fail(&bd, "only .csv files (one per sheet) can be given together");
    else if (xls)
      read_xls(&bd, path);
    else {
      size_t len;
      char *bytes = file_read_all(path, lim->max_file_bytes, &len, d);
      if (!bytes)
        bd.failed = true;
      else if (csv)
        read_csv(&bd, stem(b->arena, path), bytes, len);
      else
        read_xlsx(&bd, bytes, len);
      free(bytes);
    }
    builder_free(&bd);
    if (bd.failed) {
      book_drop(b);
      return NULL;
    }
  }
  return b;
}
