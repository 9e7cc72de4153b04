/* SPDX-License-Identifier: MIT */
/* e2e_checks.h — what every rendered disclosure must satisfy, read back
 * from the PDF and compared with the data it was made from (the model,
 * loaded independently of the layout and pagination code):
 *
 *   tables     each table's pages are its title's page and the pages that
 *              follow it starting with the continued line; the figures
 *              (two decimals) on those pages are exactly the data's,
 *              each once; its codes, row names and notes are there too
 *   turned     exactly the pages of the tables the layout sets turned
 *              report /Rotate 90; every sheet is portrait A4
 *   folios     unnumbered cover and 目录, then 1, 2, 3 … on every page
 *   text       every sentence of the data comes out of pdftotext, and a
 *              paragraph without spaces comes out without any (justified
 *              lines carry /ActualText)
 *   toc        the 目录's entries are the expected headings in order;
 *              each number is the folio of the page where that title
 *              is; each entry is a link to that page
 *   outline    bookmarks: cover, 目录, parts, sections, tables, sheets,
 *              each pointing at the page that shows its title
 *   sheets     each performance sheet's pages hold its figures and
 *              texts; on every page an indicator is on, its 一级 and 二级
 *              cells are too (merged cells continued), under the
 *              repeated header row
 *   tools      pdffonts: emb/sub/uni yes; qpdf --check; nothing on
 *              pdftotext's, pdfinfo's or mutool's stderr
 *
 * Include once, after harness.h, in a test program. */
#ifndef BUDGETPDF_E2E_CHECKS_H
#define BUDGETPDF_E2E_CHECKS_H

#include "e2e.h"
#include "model.h"

#include <ctype.h>
#include <stdarg.h>

/* What a test knows about the layout a document is rendered with.  (A
 * table's printed title is taken to be its schema title.) */
typedef struct e2e_spec {
  const char *label;            /* a table's label: "{id}：" */
  const char *continued;        /* the continued line: "{id}（续）" */
  const char *toc_title;        /* the 目录 page's title */
  size_t toc_first, toc_last;   /* its pages, 0-based */
  size_t first_numbered;        /* the page numbered 1, 0-based */
  const char *cover_title;      /* printed under the unit on the cover */
  const char *parts[4];         /* the parts' 目录 texts, in order */
  const char *const *turned;    /* ids of tables on turned pages, NULL-ended */
  const char *const *whole_codes; /* ids of tables printing whole codes
                                     (the others print 类/款/项 apart) */
  int fund_decimals;            /* decimals of a sheet's funds */
  const char *const *sheet_head; /* cells of the sheet header row that
                                    repeats, NULL-ended */
} e2e_spec;

/* Pages a table or a sheet was found on, 0-based, inclusive; -1 if not
 * found. */
typedef struct e2e_range {
  int first, last;
} e2e_range;

static bool in_list(const char *const *list, const char *s) {
  for (; list && *list; list++)
    if (!strcmp(*list, s))
      return true;
  return false;
}

/* The template with each "{id}" replaced by id (caller frees). */
static char *with_id(const char *tmpl, const char *id) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (const char *p = tmpl; *p;) {
    if (!strncmp(p, "{id}", 4)) {
      bbuf_puts(&b, id);
      p += 4;
    } else {
      bbuf_append(&b, p++, 1);
    }
  }
  return b.data;
}

/* Fail the current test with a message (the harness's CHECK prints only
 * the expression). */
#define FAIL_MSG(...)                                                          \
  do {                                                                         \
    harness_checks++;                                                          \
    harness_failures++;                                                        \
    harness_current_failed = 1;                                                \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
    fprintf(stderr, __VA_ARGS__);                                              \
    fputc('\n', stderr);                                                       \
  } while (0)

static bool is_decimal_word(const char *w) {
  const char *p = w + (*w == '-');
  size_t digits = strspn(p, "0123456789");
  return digits > 0 && p[digits] == '.' &&
         strspn(p + digits + 1, "0123456789") > 0 &&
         !p[digits + 1 + strspn(p + digits + 1, "0123456789")];
}

/* ---------------------------------------------------------------- tables */

static char *table_heading(const e2e_spec *s, const model_table *t) {
  char *label = with_id(s->label, t->id);
  char *h = fmt("%s%s", label, t->title);
  free(label);
  return h;
}

/* Does page i start (first line with text) with the continued line? */
static bool page_continues(const e2e_doc *doc, size_t i, const char *want) {
  char *text = e2e_page_text(doc, i);
  bool same = false;
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *line = xstrndup(p, n), *sq = e2e_squeeze(line);
    free(line);
    if (*sq) {
      same = !strcmp(sq, want);
      free(sq);
      break;
    }
    free(sq);
    p += n + (e ? 1 : 0);
  }
  free(text);
  return same;
}

/* The table's pages: the one page after the 目录 showing its label and
 * title, then each next page beginning with the continued line. */
static e2e_range table_pages(const e2e_doc *doc, const e2e_spec *s,
                             const model_table *t) {
  e2e_range r = {-1, -1};
  char *heading = table_heading(s, t);
  for (size_t i = s->toc_last + 1; i < doc->npages; i++) {
    if (!e2e_page_has(doc, i, heading))
      continue;
    if (r.first >= 0)
      FAIL_MSG("%s: title on pages %d and %zu", heading, r.first + 1, i + 1);
    else
      r.first = (int)i;
  }
  if (r.first < 0) {
    FAIL_MSG("%s: title on no page", heading);
    free(heading);
    return r;
  }
  char *cont = with_id(s->continued, t->id), *sq = e2e_squeeze(cont);
  r.last = r.first;
  while ((size_t)r.last + 1 < doc->npages &&
         page_continues(doc, (size_t)r.last + 1, sq))
    r.last++;
  free(cont);
  free(sq);
  free(heading);
  return r;
}

typedef struct expected_words {
  char **w;
  const char **why;
  size_t n, cap;
} expected_words;

static void expect_word(expected_words *e, char *w, const char *why) {
  XGROW(e->w, e->cap, e->n + 1);
  e->why = xrealloc(e->why, e->cap * sizeof *e->why);
  e->w[e->n] = w;
  e->why[e->n++] = why;
}

static void expected_free(expected_words *e) {
  for (size_t i = 0; i < e->n; i++)
    free(e->w[i]);
  free(e->w);
  free(e->why);
}

/* Take each expected word from the words once; report those missing. */
static size_t take_words(e2e_words *have, const expected_words *want,
                         const char *table, e2e_range r) {
  size_t missing = 0;
  for (size_t i = 0; i < want->n; i++) {
    size_t k = 0;
    while (k < have->count && (!have->items[k] || strcmp(have->items[k], want->w[i])))
      k++;
    if (k < have->count) {
      free(have->items[k]);
      have->items[k] = NULL;
    } else {
      missing++;
      FAIL_MSG("%s: %s (%s) not on pages %d–%d", table, want->w[i],
               want->why[i], r.first + 1, r.last + 1);
    }
  }
  return missing;
}

/* Figures, codes, names, project names and the note of table t on its
 * pages. */
static e2e_range check_table(const e2e_doc *doc, const e2e_spec *s,
                             const model_table *t) {
  e2e_range r = table_pages(doc, s, t);
  if (r.first < 0)
    return r;
  expected_words figures = {0}, codes = {0};
  e2e_words raw = {0}, layout = {0};
  e2e_doc_words(doc, (size_t)r.first, (size_t)r.last, true, &raw);
  e2e_doc_words(doc, (size_t)r.first, (size_t)r.last, false, &layout);
  bool whole = in_list(s->whole_codes, t->id);
  for (size_t si = 0; si < t->nsides; si++) {
    const model_side *side = &t->sides[si];
    for (size_t ri = 0; ri <= side->nrows; ri++) {
      const model_row *row = ri < side->nrows ? &side->rows[ri] : side->total;
      if (!row)
        continue;
      for (size_t c = 0; c < side->ncolumns; c++) {
        char buf[64];
        if (row->amounts[c].present)
          expect_word(&figures,
                      xstrdup(model_amount_format(&row->amounts[c], 2, buf,
                                                  sizeof buf)),
                      side->columns[c]);
      }
      if (row->is_total)
        continue;
      if (row->code) {
        if (whole)
          expect_word(&codes, xstrdup(row->code), "code");
        else
          for (int l = 0; l <= row->level; l++)
            expect_word(&codes, xstrdup(row->code_parts[l]), "code part");
      }
      if (row->name.text && e2e_words_find_pieces(&raw, 0, row->name.text) < 0)
        FAIL_MSG("%s: row name %s not on pages %d–%d", t->id, row->name.text,
                 r.first + 1, r.last + 1);
      if (row->project &&
          e2e_words_find_pieces(&raw, 0, row->project->name.text) < 0)
        FAIL_MSG("%s: project %s not on pages %d–%d", t->id,
                 row->project->name.text, r.first + 1, r.last + 1);
    }
  }
  /* Figures: exactly the data's, each once; nothing else with a decimal
   * point (a row printed twice across a break would show here). */
  take_words(&layout, &figures, t->id, r);
  for (size_t k = 0; k < layout.count; k++)
    if (layout.items[k] && is_decimal_word(layout.items[k]))
      FAIL_MSG("%s: %s on pages %d–%d is not a figure of the table", t->id,
               layout.items[k], r.first + 1, r.last + 1);
  e2e_words_free(&layout);
  e2e_doc_words(doc, (size_t)r.first, (size_t)r.last, false, &layout);
  take_words(&layout, &codes, t->id, r);
  if (t->note.text) {
    bool found = false;
    for (int i = r.first; i <= r.last; i++)
      found |= e2e_page_has(doc, (size_t)i, t->note.text);
    if (!found)
      FAIL_MSG("%s: note not on pages %d–%d", t->id, r.first + 1, r.last + 1);
  }
  e2e_words_free(&raw);
  e2e_words_free(&layout);
  expected_free(&figures);
  expected_free(&codes);
  return r;
}

/* Every table; the pages of each in ranges[i] (m->ntables of them). */
static void check_tables(const e2e_doc *doc, const e2e_spec *s, const model *m,
                         e2e_range *ranges) {
  for (size_t i = 0; i < m->ntables; i++)
    ranges[i] = check_table(doc, s, &m->tables[i]);
}

/* Turned exactly where the tables in s->turned are; A4 everywhere. */
static void check_turned_pages(const e2e_doc *doc, const e2e_spec *s,
                               const model *m, const e2e_range *ranges) {
  for (size_t i = 0; i < doc->npages; i++) {
    bool want = false;
    for (size_t t = 0; t < m->ntables; t++)
      if (in_list(s->turned, m->tables[t].id) && ranges[t].first >= 0 &&
          (int)i >= ranges[t].first && (int)i <= ranges[t].last)
        want = true;
    if (doc->pages[i].rotation != (want ? 90 : 0))
      FAIL_MSG("page %zu: rot %d, want %d", i + 1, doc->pages[i].rotation,
               want ? 90 : 0);
    if (doc->pages[i].width < 595 || doc->pages[i].width > 595.5 ||
        doc->pages[i].height < 841.5 || doc->pages[i].height > 842)
      FAIL_MSG("page %zu: %gx%g, not the A4 sheet", i + 1,
               doc->pages[i].width, doc->pages[i].height);
  }
}

/* ---------------------------------------------------------------- folios */

static void check_folios(const e2e_doc *doc, const e2e_spec *s) {
  for (size_t i = 0; i < doc->npages; i++) {
    int want = i < s->first_numbered ? 0 : (int)(i - s->first_numbered) + 1;
    if (doc->pages[i].folio != want)
      FAIL_MSG("page %zu: folio %d, want %d", i + 1, doc->pages[i].folio, want);
  }
}

/* ---------------------------------------------------------------- text */

typedef struct text_check {
  const char *running; /* lines joined, folios left out */
  char *squeezed;
  size_t missing, checked;
} text_check;

/* Is the text in the document?  Verbatim if it has no ASCII space (so a
 * justified line extracted with spaces between its characters fails),
 * else with white space ignored. */
static void expect_text(text_check *c, const char *what, const char *text) {
  if (!text || !*text)
    return;
  c->checked++;
  bool found;
  if (!strpbrk(text, " \t\n")) {
    found = strstr(c->running, text) != NULL;
  } else {
    char *sq = e2e_squeeze(text);
    found = strstr(c->squeezed, sq) != NULL;
    free(sq);
  }
  if (!found) {
    c->missing++;
    FAIL_MSG("%s not extractable: %s", what, text);
  }
}

static void expect_sections(text_check *c, const model_section *secs,
                            size_t n) {
  for (size_t i = 0; i < n; i++) {
    expect_text(c, "heading", secs[i].heading.text);
    for (size_t p = 0; p < secs[i].nparagraphs; p++)
      expect_text(c, "paragraph", secs[i].paragraphs[p].text);
    expect_sections(c, secs[i].sections, secs[i].nsections);
  }
}

/* Every sentence of the data outside the tables and sheets.  Returns how
 * many were checked. */
static size_t check_sentences(const e2e_doc *doc, const e2e_spec *s,
                              const model *m) {
  char *running = e2e_doc_running_text(doc);
  text_check c = {running, e2e_squeeze(running), 0, 0};
  expect_text(&c, "cover", m->unit.text);
  expect_text(&c, "cover", s->cover_title);
  expect_sections(&c, model_lookup_part(m, "profile")->sections, model_lookup_part(m, "profile")->nsections);
  expect_text(&c, "explanation title", model_lookup_part(m, "explanation")->title.text);
  expect_sections(&c, model_lookup_part(m, "explanation")->sections, model_lookup_part(m, "explanation")->nsections);
  for (size_t i = 0; i < m->ndescriptions; i++)
    for (size_t f = 0; f < m->descriptions[i].nfields; f++) {
      const model_field *fl = &m->descriptions[i].fields[f];
      char *line = fmt("%s：%s", fl->label.text, fl->value.text);
      expect_text(&c, "description", line);
      free(line);
    }
  expect_text(&c, "glossary title", model_lookup_part(m, "glossary")->title.text);
  for (size_t i = 0; i < model_lookup_part(m, "glossary")->nentries; i++)
    expect_text(&c, "glossary", model_lookup_part(m, "glossary")->entries[i].text);
  expect_text(&c, "sign-off", model_part_field(model_lookup_part(m, "sign_off"), "unit")->text);
  expect_text(&c, "sign-off", model_part_field(model_lookup_part(m, "sign_off"), "date")->text);
  free(c.squeezed);
  free(running);
  return c.checked;
}

/* ---------------------------------------------------------------- toc */

typedef struct toc_entry {
  char *text;  /* squeezed */
  int number;
  int depth;   /* 1 parts, 2 below */
} toc_entry;

typedef struct toc_list {
  toc_entry *items;
  size_t count, cap;
} toc_list;

static void toc_add(toc_list *l, const char *text, int number, int depth) {
  XGROW(l->items, l->cap, l->count + 1);
  l->items[l->count++] = (toc_entry){e2e_squeeze(text), number, depth};
}

static void toc_free(toc_list *l) {
  for (size_t i = 0; i < l->count; i++)
    free(l->items[i].text);
  free(l->items);
}

/* Entries as printed: text, a dot leader, the number at the line's end;
 * an entry's text may take several lines. */
static toc_list toc_read(const e2e_doc *doc, const e2e_spec *s) {
  toc_list l = {0};
  bbuf text = {0};
  bbuf_puts(&text, "");
  char *title = e2e_squeeze(s->toc_title);
  for (size_t i = s->toc_first; i <= s->toc_last && i < doc->npages; i++) {
    for (const char *p = doc->pages[i].layout; *p;) {
      const char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      char *line = xstrndup(p, n);
      p += n + (e ? 1 : 0);
      size_t len = strlen(line);
      while (len && isspace((unsigned char)line[len - 1]))
        line[--len] = 0;
      size_t d = len;
      while (d && isdigit((unsigned char)line[d - 1]))
        d--;
      size_t dots = d;
      while (dots && line[dots - 1] == ' ')
        dots--;
      size_t lead = dots;
      while (lead && line[lead - 1] == '.')
        lead--;
      char *sq = e2e_squeeze(line);
      if (d < len && dots - lead >= 3) {
        line[lead] = 0;
        bbuf_puts(&text, line);
        toc_add(&l, text.data, atoi(line + d), 0);
        text.len = 0;
        text.data[0] = 0;
      } else if (*sq && strcmp(sq, title)) {
        bbuf_puts(&text, line);
      }
      free(sq);
      free(line);
    }
  }
  char *rest = e2e_squeeze(text.data);
  if (*rest)
    FAIL_MSG("目录: text without a page number: %s", rest);
  free(rest);
  free(title);
  bbuf_free(&text);
  return l;
}

/* What the 目录 should list: parts at 1; profile sections, tables and
 * the explanation's top sections at 2 (each part's under it). */
static toc_list toc_expected(const e2e_spec *s, const model *m) {
  toc_list l = {0};
  toc_add(&l, s->parts[0], 0, 1);
  for (size_t i = 0; i < model_lookup_part(m, "profile")->nsections; i++)
    toc_add(&l, model_lookup_part(m, "profile")->sections[i].heading.text, 0, 2);
  toc_add(&l, s->parts[1], 0, 1);
  for (size_t i = 0; i < m->ntables; i++) {
    char *h = table_heading(s, &m->tables[i]);
    toc_add(&l, h, 0, 2);
    free(h);
  }
  toc_add(&l, s->parts[2], 0, 1);
  for (size_t i = 0; i < model_lookup_part(m, "explanation")->nsections; i++)
    toc_add(&l, model_lookup_part(m, "explanation")->sections[i].heading.text, 0, 2);
  toc_add(&l, s->parts[3], 0, 1);
  return l;
}

/* Each entry's number leads to its title: the page with that folio shows
 * it, and the entry's link goes there. */
static void check_toc(const e2e_doc *doc, const e2e_spec *s, const model *m) {
  toc_list got = toc_read(doc, s), want = toc_expected(s, m);
  CHECK_INT(got.count, want.count);
  size_t nlinks = 0;
  for (size_t k = 0; k < doc->nlinks; k++) {
    if (doc->links[k].page < (int)s->toc_first ||
        doc->links[k].page > (int)s->toc_last)
      FAIL_MSG("a link on page %d, outside the 目录", doc->links[k].page + 1);
    else
      nlinks++;
  }
  CHECK_INT(nlinks, want.count);
  for (size_t i = 0; i < got.count && i < want.count; i++) {
    if (strcmp(got.items[i].text, want.items[i].text)) {
      FAIL_MSG("目录 entry %zu: %s, want %s", i + 1, got.items[i].text,
               want.items[i].text);
      continue;
    }
    int page = e2e_doc_page_with_folio(doc, got.items[i].number);
    if (page < 0) {
      FAIL_MSG("目录: %s → %d, no page has that number", got.items[i].text,
               got.items[i].number);
      continue;
    }
    if (!e2e_page_has(doc, (size_t)page, got.items[i].text))
      FAIL_MSG("目录: %s → %d, but page %d (numbered %d) does not show it",
               got.items[i].text, got.items[i].number, page + 1,
               got.items[i].number);
    /* The title is not already on an earlier page after the 目录. */
    for (int q = (int)s->toc_last + 1; q < page; q++)
      if (e2e_page_has(doc, (size_t)q, got.items[i].text))
        FAIL_MSG("目录: %s → %d, but it starts on page %d", got.items[i].text,
                 got.items[i].number, q + 1);
    if (i < doc->nlinks && doc->links[i].target != page)
      FAIL_MSG("目录: the link of %s goes to page %d, want %d",
               got.items[i].text, doc->links[i].target + 1, page + 1);
  }
  toc_free(&got);
  toc_free(&want);
}

/* ---------------------------------------------------------------- outline */

static bool section_has_sheets(const model_section *sec) {
  if (sec->insert == MODEL_INSERT_SHEETS)
    return true;
  for (size_t i = 0; i < sec->nsections; i++)
    if (section_has_sheets(&sec->sections[i]))
      return true;
  return false;
}

/* Bookmarks: 封面, 目录, then the 目录's entries with the sheets' names
 * (depth 3) after the section that holds them; each pointing at a page
 * showing it.  Returns the outline index of each sheet in sheet_at. */
static void check_outline(const e2e_doc *doc, const e2e_spec *s,
                          const model *m, size_t *sheet_at) {
  toc_list toc = toc_expected(s, m);
  size_t section = 0;
  toc_list want = {0};
  toc_add(&want, "封面", 0, 1);
  toc_add(&want, "目录", 0, 1);
  size_t in_part = 0;
  for (size_t i = 0; i < toc.count; i++) {
    toc_add(&want, toc.items[i].text, 0, toc.items[i].depth);
    if (toc.items[i].depth == 1)
      in_part++;
    if (in_part == 3 && toc.items[i].depth == 2) {
      const model_section *sec = &model_lookup_part(m, "explanation")->sections[section++];
      if (section_has_sheets(sec))
        for (size_t k = 0; k < m->nsheets; k++) {
          sheet_at[k] = want.count;
          toc_add(&want, model_sheet_field(&m->sheets[k], "name")->text, 0, 3);
        }
    }
  }
  CHECK_INT(doc->noutline, want.count);
  for (size_t i = 0; i < doc->noutline && i < want.count; i++) {
    char *got = e2e_squeeze(doc->outline[i].title);
    if (strcmp(got, want.items[i].text) ||
        doc->outline[i].depth != want.items[i].depth)
      FAIL_MSG("bookmark %zu: %s at depth %d, want %s at depth %d", i + 1,
               got, doc->outline[i].depth, want.items[i].text,
               want.items[i].depth);
    const char *shown = i == 0   ? m->unit.text
                        : i == 1 ? s->toc_title
                                 : doc->outline[i].title;
    if (doc->outline[i].page < 0 ||
        !e2e_page_has(doc, (size_t)doc->outline[i].page, shown))
      FAIL_MSG("bookmark %s goes to page %d, which does not show it", got,
               doc->outline[i].page + 1);
    free(got);
  }
  toc_free(&want);
  toc_free(&toc);
}

/* ---------------------------------------------------------------- sheets */

static bool page_has_pieces(const e2e_doc *doc, size_t page, const char *text) {
  e2e_words w = {0};
  e2e_doc_words(doc, page, page, true, &w);
  bool found = e2e_words_find_pieces(&w, 0, text) >= 0;
  e2e_words_free(&w);
  return found;
}

static bool page_has_sheet_head(const e2e_doc *doc, const e2e_spec *s,
                                size_t page) {
  for (const char *const *h = s->sheet_head; *h; h++)
    if (!page_has_pieces(doc, page, *h))
      return false;
  return true;
}

/* Sheet k starts on its bookmark's page and goes on over the next pages
 * that repeat the indicator header row. */
static e2e_range check_sheet(const e2e_doc *doc, const e2e_spec *s,
                             const model *m, size_t k, size_t outline_at) {
  e2e_range r = {-1, -1};
  const model_sheet *sh = &m->sheets[k];
  if (outline_at >= doc->noutline || doc->outline[outline_at].page < 0) {
    FAIL_MSG("sheet %s: no bookmark", model_sheet_field(sh, "name")->text);
    return r;
  }
  r.first = r.last = doc->outline[outline_at].page;
  int next = outline_at + 1 < doc->noutline
                 ? doc->outline[outline_at + 1].page
                 : (int)doc->npages;
  while (r.last + 1 < next && page_has_sheet_head(doc, s, (size_t)r.last + 1))
    r.last++;
  if (!page_has_sheet_head(doc, s, (size_t)r.first))
    FAIL_MSG("sheet %s: no indicator header on its first page %d",
             model_sheet_field(sh, "name")->text, r.first + 1);
  e2e_words w = {0};
  e2e_doc_words(doc, (size_t)r.first, (size_t)r.last, true, &w);
  const char *unit = model_sheet_field(sh, "unit")->text ? model_sheet_field(sh, "unit")->text : m->unit.text;
  const char *texts[] = {unit, model_sheet_field(sh, "name")->text, model_sheet_field(sh, "goal")->text};
  for (size_t i = 0; i < 3; i++)
    if (e2e_words_find_pieces(&w, 0, texts[i]) < 0)
      FAIL_MSG("sheet %s: %s not on pages %d–%d", model_sheet_field(sh, "name")->text, texts[i],
               r.first + 1, r.last + 1);
  for (size_t f = 0; f < sh->nfunds; f++) {
    char buf[64];
    if (!sh->funds[f].present)
      continue;
    model_amount_format(&sh->funds[f], s->fund_decimals, buf, sizeof buf);
    if (e2e_words_find_pieces(&w, 0, buf) < 0)
      FAIL_MSG("sheet %s: %s %s not on pages %d–%d", model_sheet_field(sh, "name")->text,
               sh->fund_keys[f], buf, r.first + 1, r.last + 1);
  }
  e2e_words_free(&w);
  /* Each indicator on some page of the sheet, with its 一级 and 二级
   * there too. */
  for (size_t i = 0; i < sh->nrows; i++) {
    const model_grid_row *in = &sh->rows[i];
    bool seen = false;
    for (int p = r.first; p <= r.last; p++) {
      e2e_words pw = {0};
      e2e_doc_words(doc, (size_t)p, (size_t)p, true, &pw);
      long at = e2e_words_find_pieces(&pw, 0, in->cells[2].text);
      if (at >= 0) {
        seen = true;
        /* (poppler's reading order may put the value first) */
        if (e2e_words_find_pieces(&pw, 0, in->cells[3].text) < 0)
          FAIL_MSG("sheet %s page %d: value %s of %s missing", model_sheet_field(sh, "name")->text,
                   p + 1, in->cells[3].text, in->cells[2].text);
        if (e2e_words_find_pieces(&pw, 0, in->cells[0].text) < 0 ||
            e2e_words_find_pieces(&pw, 0, in->cells[1].text) < 0)
          FAIL_MSG("sheet %s page %d: %s without its %s / %s", model_sheet_field(sh, "name")->text,
                   p + 1, in->cells[2].text, in->cells[0].text, in->cells[1].text);
      }
      e2e_words_free(&pw);
    }
    if (!seen)
      FAIL_MSG("sheet %s: indicator %s on none of pages %d–%d", model_sheet_field(sh, "name")->text,
               in->cells[2].text, r.first + 1, r.last + 1);
  }
  return r;
}

/* ---------------------------------------------------------------- tools */

static void check_tools(const e2e_doc *doc) {
  CHECK_STR(doc->tool_errors, "");
  char *out, *err;
  bbuf cmd = {0};
  bbuf_printf(&cmd, "pdffonts '%s'", doc->pdf);
  CHECK_INT(e2e_run(cmd.data, &out, &err), 0);
  CHECK_STR(err, "");
  int fonts = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    if (!strncmp(line, "name ", 5) || !strncmp(line, "----", 4))
      continue;
    fonts++;
    e2e_words w = {0};
    e2e_words_split(&w, line);
    if (w.count < 6 || strcmp(w.items[w.count - 5], "yes") ||
        strcmp(w.items[w.count - 4], "yes") ||
        strcmp(w.items[w.count - 3], "yes"))
      FAIL_MSG("pdffonts: not embedded, subset and with ToUnicode: %s", line);
    e2e_words_free(&w);
  }
  CHECK(fonts >= 4);
  free(out);
  free(err);
  cmd.len = 0;
  bbuf_printf(&cmd, "qpdf --check '%s'", doc->pdf);
  CHECK_INT(e2e_run(cmd.data, &out, &err), 0);
  CHECK_CONTAINS(out, "No syntax or stream encoding errors found");
  CHECK_STR(err, "");
  free(out);
  free(err);
  cmd.len = 0;
  bbuf_printf(&cmd, "mutool draw -q -o /dev/null '%s'", doc->pdf);
  CHECK_INT(e2e_run(cmd.data, &out, &err), 0);
  char *kept = e2e_mutool_noise_removed(err);
  CHECK_STR(kept, "");
  free(kept);
  free(out);
  free(err);
  bbuf_free(&cmd);
}

/* Two renders give the same bytes; SOURCE_DATE_EPOCH sets the creation
 * date and two renders with it agree too.  want_date: pdfinfo -isodates's
 * CreationDate without SOURCE_DATE_EPOCH. */
static void check_reproducible(const char *exe, const char *data,
                               const char *dir, const char *want_date) {
  const char *envs[] = {"", "SOURCE_DATE_EPOCH=1700000000"};
  const char *dates[] = {want_date, "2023-11-14T22:13:20Z"};
  for (int e = 0; e < 2; e++) {
    char *cmd = fmt("'%s' render '%s' -o '%s/a.pdf' && %s '%s' render '%s' "
                    "-o '%s/b.pdf' && cmp '%s/a.pdf' '%s/b.pdf'",
                    exe, data, dir, envs[e], exe, data, dir, dir, dir);
    /* The first render of each pair runs with the same environment. */
    char *full = fmt("%s %s", envs[e], cmd);
    char *out, *err;
    int st = e2e_run(full, &out, &err);
    if (st != 0)
      FAIL_MSG("%s renders differ (or failed): %s%s", envs[e], out, err);
    free(out);
    free(err);
    free(cmd);
    free(full);
    char *info = fmt("pdfinfo -isodates '%s/a.pdf'", dir);
    e2e_run(info, &out, NULL);
    char *want = fmt("CreationDate:    %s\n", dates[e]);
    CHECK_CONTAINS(out, want);
    free(want);
    free(out);
    free(info);
  }
}

#endif
