/* SPDX-License-Identifier: MIT */
/* book.c — workbooks read into sheets of cells.
 *
 * .xlsx: libzip opens the package, libxml2's streaming reader walks
 * xl/workbook.xml (sheet names), its relationships (which part is which
 * sheet), xl/sharedStrings.xml and each worksheet (cells, merged ranges).
 * Every part is read through a callback that counts its uncompressed
 * bytes, so a zip bomb stops at the limit instead of filling memory; no
 * DTD is loaded and no entity substituted.  .xls: freexl.  .csv: one
 * sheet per file, UTF-8 or GBK.  Everything lands in the book's arena. */
#include "import_imp.h"

#include <errno.h>
#include <freexl.h>
#include <iconv.h>
#include <libxml/xmlreader.h>
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
  book_merge *merges;
  size_t nmerge, capmerge;
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
    qsort(bd->cells, bd->ncell, sizeof *bd->cells, cell_order);
    s->cells = ARENA_ARRAY(b->arena, book_cell, bd->ncell ? bd->ncell : 1);
    if (bd->ncell)
      memcpy(s->cells, bd->cells, bd->ncell * sizeof *bd->cells);
    s->ncells = bd->ncell;
    s->nrows = bd->ncell ? s->cells[bd->ncell - 1].row + 1 : 0;
    s->merges = ARENA_ARRAY(b->arena, book_merge, bd->nmerge ? bd->nmerge : 1);
    if (bd->nmerge)
      memcpy(s->merges, bd->merges, bd->nmerge * sizeof *bd->merges);
    s->nmerges = bd->nmerge;
  }
  bd->ncell = bd->nmerge = 0;
}

static void builder_free(builder *bd) {
  free(bd->cells);
  free(bd->merges);
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

const book_merge *sheet_merge(const book_sheet *s, int row, int col) {
  for (size_t i = 0; i < s->nmerges; i++) {
    const book_merge *m = &s->merges[i];
    if (row >= m->row0 && row <= m->row1 && col >= m->col0 && col <= m->col1)
      return m;
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

/* ---------------------------------------------------------------- xlsx parts */

typedef struct part_io {
  zip_file_t *zf;
  size_t read, limit;
  size_t *total, total_limit;
  bool over;
  bool zip_error;
} part_io;

static int part_read(void *ctx, char *buf, int len) {
  part_io *io = ctx;
  zip_int64_t n = zip_fread(io->zf, buf, (zip_uint64_t)len);
  if (n < 0) {
    io->zip_error = true;
    return -1;
  }
  io->read += (size_t)n;
  *io->total += (size_t)n;
  if (io->read > io->limit || *io->total > io->total_limit) {
    io->over = true;
    return -1;
  }
  return (int)n;
}

static int part_close(void *ctx) {
  (void)ctx;
  return 0;
}

typedef struct xlsx {
  builder *bd;
  zip_t *zip;
  size_t total;
  char xml_error[256];
  /* shared strings */
  const char **strings;
  size_t nstrings, capstrings;
} xlsx;

static void xml_error(void *arg, const char *msg, xmlParserSeverities sev,
                      xmlTextReaderLocatorPtr loc) {
  xlsx *x = arg;
  (void)loc;
  if (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR)
    return;
  if (!x->xml_error[0]) {
    snprintf(x->xml_error, sizeof x->xml_error, "%s", msg ? msg : "?");
    size_t n = strlen(x->xml_error);
    while (n && (x->xml_error[n - 1] == '\n' || x->xml_error[n - 1] == ' '))
      x->xml_error[--n] = 0;
  }
}

/* A part's reader, or NULL (missing parts are the caller's to judge:
 * *missing set). */
typedef struct part {
  xmlTextReaderPtr r;
  part_io io;
  const char *name;
} part;

static bool part_open(xlsx *x, const char *name, part *p, bool *missing) {
  builder *bd = x->bd;
  *missing = false;
  memset(p, 0, sizeof *p);
  p->name = name;
  zip_stat_t st;
  zip_int64_t idx = zip_name_locate(x->zip, name, 0);
  if (idx < 0) {
    *missing = true;
    return false;
  }
  if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
      (st.valid & ZIP_STAT_SIZE) && st.size > bd->lim->max_part_bytes) {
    fail(bd, "%s is %llu bytes uncompressed, more than %zu (limit); a zip "
             "bomb?",
         name, (unsigned long long)st.size, bd->lim->max_part_bytes);
    return false;
  }
  p->io.zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
  if (!p->io.zf) {
    fail(bd, "cannot read %s in the workbook: %s", name,
         zip_strerror(x->zip));
    return false;
  }
  p->io.limit = bd->lim->max_part_bytes;
  p->io.total = &x->total;
  p->io.total_limit = bd->lim->max_total_bytes;
  x->xml_error[0] = 0;
  /* No network, no DTD loading, no entity substitution. */
  p->r = xmlReaderForIO(part_read, part_close, &p->io, name, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
  if (!p->r) {
    zip_fclose(p->io.zf);
    fail(bd, "cannot parse %s in the workbook", name);
    return false;
  }
  xmlTextReaderSetErrorHandler(p->r, xml_error, x);
  return true;
}

/* Next node; false at the end or after an error (reported). */
static bool part_next(xlsx *x, part *p) {
  if (x->bd->failed)
    return false;
  int rc = xmlTextReaderRead(p->r);
  if (rc == 1) {
    if (xmlTextReaderDepth(p->r) > x->bd->lim->max_depth) {
      fail(x->bd, "%s nests elements deeper than %d (limit)", p->name,
           x->bd->lim->max_depth);
      return false;
    }
    return true;
  }
  if (rc < 0) {
    if (p->io.over)
      fail(x->bd, "%s is more than %zu bytes uncompressed, or the parts "
                  "together more than %zu (limit); a zip bomb?",
           p->name, x->bd->lim->max_part_bytes, x->bd->lim->max_total_bytes);
    else if (p->io.zip_error)
      fail(x->bd, "%s is damaged in the zip: %s", p->name,
           zip_file_strerror(p->io.zf));
    else
      fail(x->bd, "%s is not well-formed XML: %s", p->name,
           x->xml_error[0] ? x->xml_error : "parse error");
  }
  return false;
}

static void part_close_all(part *p) {
  if (p->r)
    xmlFreeTextReader(p->r);
  if (p->io.zf)
    zip_fclose(p->io.zf);
  p->r = NULL;
  p->io.zf = NULL;
}

static bool is_element(part *p, const char *local) {
  return xmlTextReaderNodeType(p->r) == XML_READER_TYPE_ELEMENT &&
         !strcmp((const char *)xmlTextReaderConstLocalName(p->r), local);
}

static bool is_end(part *p, const char *local) {
  return xmlTextReaderNodeType(p->r) == XML_READER_TYPE_END_ELEMENT &&
         !strcmp((const char *)xmlTextReaderConstLocalName(p->r), local);
}

static char *attr(part *p, const char *name) {
  return (char *)xmlTextReaderGetAttribute(p->r, (const xmlChar *)name);
}

/* Text of the current element (its text children), appended to out. */
static void append_text(xlsx *x, part *p, bbuf *out) {
  if (xmlTextReaderIsEmptyElement(p->r))
    return;
  int depth = xmlTextReaderDepth(p->r);
  while (part_next(x, p)) {
    int t = xmlTextReaderNodeType(p->r);
    if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
        t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_CDATA) {
      const char *v = (const char *)xmlTextReaderConstValue(p->r);
      if (v)
        bbuf_puts(out, v);
      if (out->len > x->bd->lim->max_text_bytes) {
        fail(x->bd, "%s holds a text of more than %zu bytes (limit)",
             p->name, x->bd->lim->max_text_bytes);
        return;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT &&
               xmlTextReaderDepth(p->r) == depth)
      return;
  }
}

/* The text runs of a rich string (<si> or <is>), phonetic runs left out:
 * the reader is on the opening element. */
static void rich_text(xlsx *x, part *p, const char *end, bbuf *out) {
  if (xmlTextReaderIsEmptyElement(p->r))
    return;
  int rph = 0;
  while (part_next(x, p)) {
    if (is_end(p, end))
      return;
    if (is_element(p, "rPh") && !xmlTextReaderIsEmptyElement(p->r))
      rph++;
    else if (is_end(p, "rPh"))
      rph--;
    else if (is_element(p, "t") && !rph)
      append_text(x, p, out);
  }
}

static void read_shared_strings(xlsx *x, const char *name) {
  part p;
  bool missing;
  if (!part_open(x, name, &p, &missing))
    return;
  bbuf s = {0};
  while (part_next(x, &p)) {
    if (!is_element(&p, "si"))
      continue;
    s.len = 0;
    if (s.data)
      s.data[0] = 0;
    rich_text(x, &p, "si", &s);
    if (x->nstrings >= x->bd->lim->max_strings) {
      fail(x->bd, "%s has more than %zu strings (limit)", name,
           x->bd->lim->max_strings);
      break;
    }
    const char *kept = keep_text(x->bd, s.data ? s.data : "", s.len);
    if (!kept)
      break;
    XGROW(x->strings, x->capstrings, x->nstrings + 1);
    x->strings[x->nstrings++] = kept;
  }
  bbuf_free(&s);
  part_close_all(&p);
}

static void read_cell(xlsx *x, part *p, int row, int *next_col) {
  builder *bd = x->bd;
  char *ref = attr(p, "r"), *type = attr(p, "t");
  int r = row, c = *next_col;
  if (ref && !parse_ref(ref, &r, &c))
    fail(bd, "%s: a cell reference '%.20s' is malformed", p->name, ref);
  *next_col = c + 1;
  bbuf v = {0}, is = {0};
  bool has_v = false, has_is = false;
  if (!xmlTextReaderIsEmptyElement(p->r)) {
    while (part_next(x, p)) {
      if (is_end(p, "c"))
        break;
      if (is_element(p, "v")) {
        has_v = true;
        append_text(x, p, &v);
      } else if (is_element(p, "is")) {
        has_is = true;
        rich_text(x, p, "is", &is);
      }
    }
  }
  const char *t = type ? type : "n";
  if (bd->failed) {
  } else if (!strcmp(t, "inlineStr")) {
    if (has_is && is.len) {
      const char *k = keep_text(bd, is.data, is.len);
      if (k)
        add_cell(bd, r, c, CELL_TEXT, k, 0);
    }
  } else if (!has_v || !v.len) {
  } else if (!strcmp(t, "s")) {
    char *end;
    errno = 0;
    unsigned long i = strtoul(v.data, &end, 10);
    if (*end || errno || i >= x->nstrings)
      fail(bd, "%s: cell %.20s names shared string '%.20s', which does not "
               "exist",
           p->name, ref ? ref : "?", v.data);
    else if (x->strings[i][0])
      add_cell(bd, r, c, CELL_TEXT, x->strings[i], 0);
  } else if (!strcmp(t, "n")) {
    char *end;
    double num = strtod(v.data, &end);
    if (*end || end == v.data)
      fail(bd, "%s: cell %.20s holds '%.40s', which is not a number",
           p->name, ref ? ref : "?", v.data);
    else
      add_cell(bd, r, c, CELL_NUMBER, NULL, num);
  } else { /* str (a formula's text), b (boolean), e (#DIV/0!), d (date) */
    const char *k = keep_text(bd, v.data, v.len);
    if (k)
      add_cell(bd, r, c, CELL_TEXT, k, 0);
  }
  bbuf_free(&v);
  bbuf_free(&is);
  xmlFree(ref);
  xmlFree(type);
}

static void read_merge(xlsx *x, part *p) {
  char *ref = attr(p, "ref");
  char *colon = ref ? strchr(ref, ':') : NULL;
  book_merge m;
  if (colon) {
    *colon = 0;
    if (parse_ref(ref, &m.row0, &m.col0) &&
        parse_ref(colon + 1, &m.row1, &m.col1) && m.row0 <= m.row1 &&
        m.col0 <= m.col1) {
      if (x->bd->nmerge >= 100000)
        fail(x->bd, "%s has more than 100000 merged ranges (limit)", p->name);
      else {
        XGROW(x->bd->merges, x->bd->capmerge, x->bd->nmerge + 1);
        x->bd->merges[x->bd->nmerge++] = m;
      }
    }
  }
  xmlFree(ref);
}

static void read_worksheet(xlsx *x, const char *name, const char *sheet_name) {
  part p;
  bool missing;
  if (!part_open(x, name, &p, &missing)) {
    if (missing)
      fail(x->bd, "sheet '%s' has no part %s in the workbook", sheet_name,
           name);
    return;
  }
  int row = -1, col = 0;
  while (part_next(x, &p)) {
    if (is_element(&p, "row")) {
      char *r = attr(&p, "r");
      long n = r ? strtol(r, NULL, 10) : row + 2;
      if (n < 1 || n > MAX_ROWS)
        fail(x->bd, "%s: a row number '%.20s' is out of range", name,
             r ? r : "?");
      row = (int)n - 1;
      col = 0;
      xmlFree(r);
    } else if (is_element(&p, "c"))
      read_cell(x, &p, row < 0 ? 0 : row, &col);
    else if (is_element(&p, "mergeCell"))
      read_merge(x, &p);
  }
  part_close_all(&p);
  end_sheet(x->bd, sheet_name);
}

/* Sheets in workbook order: names and relationship ids. */
typedef struct sheet_ref {
  char *name, *rid, *target;
} sheet_ref;

static void read_workbook(xlsx *x, sheet_ref **refs, size_t *n) {
  part p;
  bool missing;
  size_t cap = 0;
  if (!part_open(x, "xl/workbook.xml", &p, &missing)) {
    if (missing)
      fail(x->bd, "not a spreadsheet: the package has no xl/workbook.xml");
    return;
  }
  while (part_next(x, &p)) {
    if (!is_element(&p, "sheet"))
      continue;
    if (*n >= x->bd->lim->max_sheets) {
      fail(x->bd, "the workbook has more than %zu sheets (limit)",
           x->bd->lim->max_sheets);
      break;
    }
    XGROW(*refs, cap, *n + 1);
    sheet_ref *s = &(*refs)[(*n)++];
    s->name = attr(&p, "name");
    s->rid = (char *)xmlTextReaderGetAttributeNs(
        p.r, (const xmlChar *)"id",
        (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/"
                         "2006/relationships");
    s->target = NULL;
  }
  part_close_all(&p);
}

/* Resolve relationship targets (relative to xl/) of the sheets, and find
 * the shared strings part. */
static char *read_rels(xlsx *x, sheet_ref *refs, size_t n) {
  part p;
  bool missing;
  char *strings = NULL;
  if (!part_open(x, "xl/_rels/workbook.xml.rels", &p, &missing))
    return NULL;
  while (part_next(x, &p)) {
    if (!is_element(&p, "Relationship"))
      continue;
    char *id = attr(&p, "Id"), *target = attr(&p, "Target"),
         *type = attr(&p, "Type");
    if (id && target) {
      bbuf path = {0};
      if (target[0] == '/')
        bbuf_puts(&path, target + 1);
      else
        bbuf_printf(&path, "xl/%s", target);
      if (type && str_ends_with(type, "/sharedStrings") && !strings)
        strings = xstrdup(path.data);
      for (size_t i = 0; i < n; i++)
        if (refs[i].rid && !refs[i].target && !strcmp(refs[i].rid, id))
          refs[i].target = xstrdup(path.data);
      bbuf_free(&path);
    }
    xmlFree(id);
    xmlFree(target);
    xmlFree(type);
  }
  part_close_all(&p);
  return strings;
}

static void silent_xml(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

static void read_xlsx(builder *bd, const void *bytes, size_t len) {
  xmlSetGenericErrorFunc(NULL, silent_xml);
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
  xlsx x = {.bd = bd, .zip = z};
  sheet_ref *refs = NULL;
  size_t nrefs = 0;
  read_workbook(&x, &refs, &nrefs);
  char *strings = bd->failed ? NULL : read_rels(&x, refs, nrefs);
  if (!bd->failed)
    read_shared_strings(&x, strings ? strings : "xl/sharedStrings.xml");
  for (size_t i = 0; i < nrefs && !bd->failed; i++) {
    if (!refs[i].name || !refs[i].target)
      fail(bd, "sheet %zu of the workbook has no part", i + 1);
    else
      read_worksheet(&x, refs[i].target, refs[i].name);
  }
  for (size_t i = 0; i < nrefs; i++) {
    xmlFree(refs[i].name);
    xmlFree(refs[i].rid);
    free(refs[i].target);
  }
  free(refs);
  free(strings);
  free(x.strings);
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
