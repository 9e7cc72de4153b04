/* SPDX-License-Identifier: MIT */
/* test_e2e_typeset.c — the reference document set as a careful Chinese
 * typesetter would (issue 12), read back from its display lists
 * (`render --dump pages`) and from the PDF with pdftotext:
 *   - every table header cell's lines, listed, and none broken inside a
 *     word of the headers' vocabulary (政府性基金/预算拨款, not 政府性基/金);
 *   - turned tables (表二, 表七) centred in the turned type area, ±2 mm;
 *   - body lines on GB/T 9704's grid: Han characters one pitch (156 mm /
 *     28) apart plus at most 0.15 em of spreading, a full line of Han
 *     holds 28; no last line of punctuation alone or of one character
 *     and its marks;
 *   - no space between two CJK characters of a text;
 *   - at least 97% of the table rows read in order (name, then figures)
 *     on one line of `pdftotext -layout`;
 *   - every sentence of every 项目总体目标 comes out whole. */
#include "harness.h"
#include "e2e_checks.h"

#include <math.h>

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"

static model *m;
static e2e_doc *doc;
static char *dir, *dump;

/* ---------------------------------------------------------------- dump */

/* One glyph run of the display lists. */
typedef struct run {
  int page;          /* 1-based, as dumped */
  bool turned;
  char font[64];
  double size, x, y;
  char *text;        /* UTF-8 */
  double *gx;        /* glyph x, relative to x */
  size_t nglyphs;
} run;

typedef struct rule {
  int page;
  double x0, y0, x1, y1;
} rule;

static run *runs;
static size_t nruns;
static rule *rules;
static size_t nrules;

static uint32_t *decode(const char *s, size_t *n) {
  size_t len = strlen(s);
  uint32_t *cp = xmalloc(sizeof *cp * (len + 1));
  *n = 0;
  for (size_t i = 0; i < len;) {
    size_t k = utf8_decode(s + i, len - i, &cp[*n]);
    i += k ? k : 1;
    (*n)++;
  }
  return cp;
}

static void read_dump(void) {
  int page = 0;
  bool turned = false, sheet_layer = false;
  size_t caprun = 0, caprule = 0;
  for (char *line = dump; line && *line;) {
    char *end = strchr(line, '\n');
    if (end)
      *end = 0;
    if (!strncmp(line, "page ", 5)) {
      page = atoi(line + 5);
      turned = strstr(line, " turned") != NULL;
      sheet_layer = false;
    } else if (!strcmp(line, "  layer sheet")) {
      sheet_layer = true;
    } else if (!strcmp(line, "  layer view")) {
      sheet_layer = false;
    } else if (!strncmp(line, "  glyphs ", 9) && !sheet_layer) {
      run r = {.page = page, .turned = turned};
      char *paren = strstr(line, " (");
      char *at = strstr(line, ") ");
      char *q1 = strchr(line, '"'), *q2 = strrchr(line, '"');
      if (paren && at && q1 && q2 > q1) {
        size_t fl = (size_t)(paren - (line + 9));
        snprintf(r.font, sizeof r.font, "%.*s", (int)fl, line + 9);
        sscanf(at + 2, "%lf at %lf,%lf", &r.size, &r.x, &r.y);
        r.text = xmalloc((size_t)(q2 - q1));
        memcpy(r.text, q1 + 1, (size_t)(q2 - q1 - 1));
        r.text[q2 - q1 - 1] = 0;
        char *g = strchr(q2, '[');
        r.gx = xmalloc(sizeof *r.gx * (strlen(line) / 2 + 1));
        for (char *p = g; p && (p = strchr(p, '@'));) {
          r.gx[r.nglyphs++] = strtod(p + 1, &p);
        }
        XGROW(runs, caprun, nruns + 1);
        runs[nruns++] = r;
      }
    } else if (!strncmp(line, "  line ", 7) && !sheet_layer) {
      rule r = {.page = page};
      if (sscanf(line + 7, "%lf,%lf → %lf,%lf", &r.x0, &r.y0, &r.x1, &r.y1) ==
          4) {
        XGROW(rules, caprule, nrules + 1);
        rules[nrules++] = r;
      }
    }
    line = end ? end + 1 : NULL;
  }
}

static bool is_han(uint32_t c) { return c >= 0x3400 && c <= 0x9FFF; }
static bool is_cjk(uint32_t c) {
  return is_han(c) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

/* ---------------------------------------------------------------- headers */

/* Table header cells are set in 黑体 (Noto Sans CJK SC) at 五号, 小五 or
 * 六号: a cell is its runs of one page, one under the other at the style's
 * leading, centred on one axis. */
static bool is_head_run(const run *r) {
  return strstr(r->font, "NotoSansCJK") &&
         (fabs(r->size - 10.5) < 0.01 || fabs(r->size - 9) < 0.01 ||
          fabs(r->size - 7.5) < 0.01);
}

static double run_centre(const run *r) {
  double w = r->nglyphs ? r->gx[r->nglyphs - 1] + r->size : 0;
  return r->x + w / 2;
}

/* Cells of several lines, "line|line|line", in drawing order. */
static char **header_cells(size_t *n) {
  char **cells = NULL;
  size_t cap = 0;
  *n = 0;
  for (size_t i = 0; i < nruns;) {
    if (!is_head_run(&runs[i])) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < nruns && is_head_run(&runs[j]) && runs[j].page == runs[i].page &&
           fabs(runs[j].size - runs[i].size) < 0.01 &&
           runs[j].y - runs[j - 1].y > 0.9 * runs[i].size &&
           runs[j].y - runs[j - 1].y < 1.6 * runs[i].size &&
           fabs(run_centre(&runs[j]) - run_centre(&runs[i])) < 0.6 * runs[i].size)
      j++;
    if (j - i > 1) {
      bbuf b = {0};
      for (size_t k = i; k < j; k++) {
        if (k > i)
          bbuf_puts(&b, "|");
        bbuf_puts(&b, runs[k].text);
      }
      XGROW(cells, cap, *n + 1);
      cells[(*n)++] = b.data;
    }
    i = j;
  }
  return cells;
}

/* Every header cell of the reference that takes more than one line, as
 * the reader sees it: broken between words, lines of even length. */
static const char *const want_cells[] = {
    "功能分类|科目编码",
    "一般公共|预算拨款",
    "政府性|基金预算|拨款",
    "国有|资本|经营|预算",
    "财政专户|（教育|收费）",
    "事业|收入",
    "事业|单位|经营|收入",
    "单位|其他|资金|收入",
    "一般公共|预算",
    "政府性|基金预算",
    "国有资本|经营预算",
    "项目|支出|合计",
    "工资|福利|支出",
    "商品和|服务|支出",
    "对个人和|家庭的|补助",
    "债务|利息及|费用|支出",
    "资本性|支出|（基本|建设）",
    "资本性|支出",
    "对企业|补助|（基本|建设）",
    "对企业|补助",
    "对社会|保障|基金|补助",
    "其他|支出",
    "项目资金|（万元）",
    "指标值|（包含数字及文字描述）",
    "指标值|（包含数字及|文字描述）",
    NULL};

/* Words of the headers' own vocabulary: none may be cut by a line end
 * (政府性基/金 and 工资福/利 were; 工资|福利 is between words). */
static const char *const vocabulary[] = {
    "政府性", "基金", "预算", "拨款", "经济", "分类", "科目", "编码", "工资",
    "福利", "支出", "债务", "利息", "费用", "资本性", "基本", "建设", "商品",
    "服务", "个人", "家庭", "补助", "企业", "社会", "保障", "国有", "资本",
    "经营", "财政", "专户", "教育", "收费", "事业", "单位", "收入", "其他",
    "资金", "合计", "项目", "指标值", "数字", "文字", "描述", "总体", "目标",
    "万元", "功能", "名称", "人员", "经费", "公用", "公务用车", "购置", "运行",
    "接待", "因公", "出国", "一般", "公共", NULL};

TEST(header_cells_break_between_words) {
  size_t n;
  char **cells = header_cells(&n);
  CHECK(n >= 15);
  /* The distinct cells, in order, are the list above. */
  size_t want = 0;
  for (size_t i = 0; i < n; i++) {
    bool seen = false;
    for (size_t k = 0; k < i && !seen; k++)
      seen = !strcmp(cells[k], cells[i]);
    if (seen)
      continue;
    if (!want_cells[want] || strcmp(want_cells[want], cells[i]))
      FAIL_MSG("header cell %zu is %s, want %s", want + 1, cells[i],
               want_cells[want] ? want_cells[want] : "(no more)");
    if (want_cells[want])
      want++;
  }
  if (want_cells[want])
    FAIL_MSG("header cell %s not found", want_cells[want]);
  for (size_t i = 0; i < n; i++) {
    printf("  header: %s\n", cells[i]);
    /* a word of the vocabulary across a '|' */
    char *flat = xmalloc(strlen(cells[i]) + 1);
    size_t *cut = xcalloc(strlen(cells[i]) + 1, sizeof *cut);
    size_t k = 0, ncut = 0;
    for (const char *p = cells[i]; *p; p++) {
      if (*p == '|')
        cut[ncut++] = k;
      else
        flat[k++] = *p;
    }
    flat[k] = 0;
    for (size_t w = 0; vocabulary[w]; w++)
      for (const char *at = flat; (at = strstr(at, vocabulary[w])); at++) {
        size_t s = (size_t)(at - flat), e = s + strlen(vocabulary[w]);
        for (size_t c = 0; c < ncut; c++)
          if (cut[c] > s && cut[c] < e)
            FAIL_MSG("header %s breaks inside %s", cells[i], vocabulary[w]);
      }
    /* balanced: no line more than twice the shortest's characters + 1 */
    size_t shortest = 1000, longest = 0, len = 0;
    for (const char *p = cells[i];; p++) {
      if (*p == '|' || !*p) {
        if (len < shortest)
          shortest = len;
        if (len > longest)
          longest = len;
        len = 0;
        if (!*p)
          break;
      } else if (((unsigned char)*p & 0xC0) != 0x80) {
        len++;
      }
    }
    /* (the layout breaks 指标值\n（包含数字及文字描述） itself) */
    if (longest > 2 * shortest + 1 && strncmp(cells[i], "指标值|", 10))
      FAIL_MSG("header %s: lines of %zu and %zu characters", cells[i],
               shortest, longest);
    free(flat);
    free(cut);
    free(cells[i]);
  }
  free(cells);
}

/* Text at least 3 pt from the rules: every head run's glyph box (its em
 * box: baseline − 0.88 em … + 0.12 em) is 3 pt or more below the nearest
 * horizontal rule above it on its page. */
TEST(header_text_clears_the_rules) {
  size_t checked = 0;
  for (size_t i = 0; i < nruns; i++) {
    const run *r = &runs[i];
    if (!is_head_run(r))
      continue;
    double top = r->y - 0.88 * r->size, bottom = r->y + 0.12 * r->size;
    double left = r->x, right = run_centre(r) * 2 - r->x;
    if (!strncmp(r->text, "（", 3)) /* its blank left half compressed away */
      left += r->size / 2;
    size_t tl = strlen(r->text);
    if (tl >= 3 && !strcmp(r->text + tl - 3, "）")) /* ink in its left half */
      right -= r->size / 2;
    for (size_t k = 0; k < nrules; k++) {
      const rule *l = &rules[k];
      if (l->page != r->page)
        continue;
      if (l->y0 == l->y1 && l->x0 < right && l->x1 > left) {
        double d = l->y0 < top ? top - l->y0 : l->y0 - bottom;
        if ((l->y0 < top || l->y0 > bottom) && d < 3 - 0.35 && d < 30)
          FAIL_MSG("page %d: %s is %.1fpt from a rule", r->page, r->text, d);
      }
      if (l->x0 == l->x1 && l->y0 < bottom && l->y1 > top) {
        double d = l->x0 < left ? left - l->x0 : l->x0 - right;
        if ((l->x0 < left || l->x0 > right) && d < 3 - 0.35 && d < 30)
          FAIL_MSG("page %d: %s is %.1fpt from a rule", r->page, r->text, d);
      }
    }
    checked++;
  }
  CHECK(checked > 50);
}

/* ---------------------------------------------------------------- turned */

TEST(turned_tables_are_centred_in_the_turned_type_area) {
  /* the portrait type area turned: from the sheet's bottom margin, 225 mm */
  const double mm = 72 / 25.4, left = 35 * mm, width = 225 * mm;
  int pages = 0;
  for (size_t i = 0; i < doc->npages; i++) {
    if (doc->pages[i].rotation != 90)
      continue;
    double lo = 1e9, hi = -1e9;
    for (size_t k = 0; k < nrules; k++)
      if (rules[k].page == (int)i + 1) {
        lo = fmin(lo, fmin(rules[k].x0, rules[k].x1));
        hi = fmax(hi, fmax(rules[k].x0, rules[k].x1));
      }
    if (hi < lo)
      continue;
    pages++;
    double off = (lo + hi) / 2 - (left + width / 2);
    if (fabs(off) > 2 * mm)
      FAIL_MSG("page %zu: the table's centre is %.1fmm off the type area's",
               i + 1, off / mm);
    if (lo < left - 0.5 || hi > left + width + 0.5)
      FAIL_MSG("page %zu: the table (%.1f–%.1fmm) leaves the type area", i + 1,
               lo / mm, hi / mm);
  }
  CHECK_INT(pages, 2); /* 表二, 表七 */
}

/* ---------------------------------------------------------------- body */

static bool is_body_run(const run *r) {
  return fabs(r->size - 16) < 0.01 && !r->turned;
}

TEST(body_lines_stand_on_the_grid) {
  const double mm = 72 / 25.4, pitch = 156 * mm / 28, left = 28 * mm,
               right = left + 156 * mm;
  size_t full = 0, han_only = 0;
  double worst = 0;
  for (size_t i = 0; i < nruns; i++) {
    const run *r = &runs[i];
    if (!is_body_run(r))
      continue;
    size_t n;
    uint32_t *cp = decode(r->text, &n);
    if (n != r->nglyphs) {
      free(cp);
      continue;
    }
    for (size_t k = 0; k + 1 < n; k++)
      if (is_han(cp[k]) && is_han(cp[k + 1])) {
        double extra = r->gx[k + 1] - r->gx[k] - pitch;
        if (extra > worst)
          worst = extra;
        if (extra < -0.05)
          FAIL_MSG("page %d: %s: Han characters closer than the pitch", r->page,
                   r->text);
      }
    double end = r->x + r->gx[n - 1] + pitch;
    bool reaches = fabs(end - right) < 1 || fabs(end - right - pitch / 2) < 1;
    if (reaches) {
      full++;
      bool all_han = true;
      for (size_t k = 0; k < n; k++)
        all_han &= is_han(cp[k]);
      if (all_han) {
        han_only++;
        double cells = n + (r->x - left) / pitch;
        if (fabs(cells - 28) > 0.05)
          FAIL_MSG("page %d: %s: %.2f characters a line", r->page, r->text,
                   cells);
      }
    }
    free(cp);
  }
  printf("  %zu full body lines, %zu of Han only; most spreading %.3f em\n",
         full, han_only, worst / 16);
  CHECK(full > 100);
  if (worst > 0.15 * 16)
    FAIL_MSG("a body line spreads %.3f em a gap (at most 0.15)", worst / 16);
}

TEST(no_last_line_of_punctuation_alone) {
  for (size_t i = 0; i < nruns; i++) {
    const run *r = &runs[i];
    if (!is_body_run(r))
      continue;
    size_t n, counted = 0;
    uint32_t *cp = decode(r->text, &n);
    for (size_t k = 0; k < n; k++)
      counted += is_han(cp[k]) || (cp[k] < 0x80 && isalnum((int)cp[k]));
    if (counted == 0 || (counted == 1 && n > 1))
      FAIL_MSG("page %d: a line of \"%s\"", r->page, r->text);
    free(cp);
  }
}

TEST(no_space_between_two_cjk_characters) {
  size_t checked = 0;
  for (size_t i = 0; i < nruns; i++) {
    size_t n;
    uint32_t *cp = decode(runs[i].text, &n);
    for (size_t k = 1; k + 1 < n; k++)
      if ((cp[k] == ' ' || cp[k] == 0x3000) && is_cjk(cp[k - 1])) {
        size_t e = k;
        while (e < n && (cp[e] == ' ' || cp[e] == 0x3000))
          e++;
        if (e < n && is_cjk(cp[e]))
          FAIL_MSG("page %d: \"%s\" keeps a space between CJK characters",
                   runs[i].page, runs[i].text);
      }
    checked++;
    free(cp);
  }
  CHECK(checked > 1000);
  /* and what a reader copies out of the text pages */
  for (size_t i = 0; i < doc->npages; i++) {
    if (doc->pages[i].rotation)
      continue;
    size_t n;
    uint32_t *cp = decode(doc->pages[i].raw, &n);
    for (size_t k = 1; k + 1 < n; k++)
      if (cp[k] == ' ' && is_han(cp[k - 1]) && is_han(cp[k + 1])) {
        /* two cells side by side are two texts: only lines of one text
         * count, i.e. pages without rules */
        bool table = false;
        for (size_t r = 0; r < nrules && !table; r++)
          table = rules[r].page == (int)i + 1;
        if (!table)
          FAIL_MSG("page %zu: pdftotext reads a space between Han", i + 1);
        break;
      }
    free(cp);
  }
}

/* ---------------------------------------------------------------- order */

/* A row reads in order when one line of `pdftotext -layout` holds its
 * name and then its figures, left to right. */
static bool row_in_order(const e2e_doc *d, e2e_range r, const model_row *row,
                         const model_side *side) {
  char *name = e2e_squeeze(row->name.text ? row->name.text : "");
  bool found = false;
  for (int p = r.first; p <= r.last && !found; p++) {
    const char *layout = d->pages[p].layout;
    for (const char *l = layout; *l && !found;) {
      const char *e = strchr(l, '\n');
      size_t len = e ? (size_t)(e - l) : strlen(l);
      char *line = xmalloc(len + 1);
      memcpy(line, l, len);
      line[len] = 0;
      char *sq = e2e_squeeze(line);
      const char *at = *name ? strstr(sq, name) : sq;
      if (at) {
        at += strlen(name);
        bool ok = true;
        for (size_t c = 0; c < side->ncolumns && ok; c++) {
          char buf[64];
          if (!row->amounts[c].present)
            continue;
          model_amount_format(&row->amounts[c], 2, buf, sizeof buf);
          const char *f = strstr(at, buf);
          ok = f != NULL;
          if (f)
            at = f + strlen(buf);
        }
        found = ok;
      }
      free(sq);
      free(line);
      l += len + (e ? 1 : 0);
    }
  }
  free(name);
  return found;
}

TEST(table_rows_read_in_order) {
  e2e_spec spec = {.label = "{id}：", .continued = "{id}（续）",
                   .toc_first = 1};
  int first = e2e_doc_page_with_folio(doc, 1);
  spec.toc_last = first > 1 ? (size_t)first - 1 : 1;
  spec.first_numbered = first > 1 ? (size_t)first : 2;
  size_t rows = 0, in_order = 0;
  for (size_t i = 0; i < m->ntables; i++) {
    const model_table *t = &m->tables[i];
    e2e_range r = table_pages(doc, &spec, t);
    if (r.first < 0)
      continue;
    for (size_t s = 0; s < t->nsides; s++)
      for (size_t k = 0; k < t->sides[s].nrows; k++) {
        const model_row *row = &t->sides[s].rows[k];
        rows++;
        if (row_in_order(doc, r, row, &t->sides[s]))
          in_order++;
        else
          printf("  out of order: %s %s\n", t->id,
                 row->name.text ? row->name.text : "");
      }
  }
  printf("  %zu of %zu table rows read in order (%.1f%%)\n", in_order, rows,
         rows ? 100.0 * (double)in_order / (double)rows : 0);
  CHECK(rows > 100);
  CHECK(in_order * 100 >= rows * 97);
}

/* Each sentence of a 项目总体目标 (up to 。；) in one piece in poppler's
 * default reading order: the label beside it does not cut in. */
TEST(goal_sentences_extract_whole) {
  char *running = e2e_doc_running_text(doc);
  char *sq = e2e_squeeze(running);
  size_t sentences = 0, whole = 0;
  for (size_t k = 0; k < m->nsheets; k++) {
    const char *g = model_sheet_field(&m->sheets[k], "goal")->text;
    if (!g)
      continue;
    char *goal = e2e_squeeze(g);
    for (char *p = goal; *p;) {
      char *e = p;
      while (*e && strncmp(e, "。", 3) && strncmp(e, "；", 3))
        e++;
      size_t len = (size_t)(e - p);
      if (len >= 6) {
        char *sent = xmalloc(len + 1);
        memcpy(sent, p, len);
        sent[len] = 0;
        sentences++;
        if (strstr(sq, sent))
          whole++;
        else
          FAIL_MSG("sheet %s: \"%s\" does not extract whole",
                   model_sheet_field(&m->sheets[k], "name")->text, sent);
        free(sent);
      }
      p = *e ? e + 3 : e;
    }
    free(goal);
  }
  printf("  %zu of %zu goal sentences whole\n", whole, sentences);
  CHECK(sentences > 20);
  free(sq);
  free(running);
}

/* The shared checks this program does not run (test_e2e_reference does). */
static void (*const unused_checks[])(void) = {
    (void (*)(void))check_folios,  (void (*)(void))check_outline,
    (void (*)(void))check_reproducible, (void (*)(void))check_sentences,
    (void (*)(void))check_sheet,   (void (*)(void))check_tables,
    (void (*)(void))check_toc,     (void (*)(void))check_tools,
    (void (*)(void))check_turned_pages};

int main(int argc, char **argv) {
  harness_init(argc, argv);
  (void)unused_checks;
  diag *d = diag_new(NULL);
  model_options opts = {.datadir = SOURCE_DIR};
  m = model_load(REFERENCE, &opts, d);
  if (!m) {
    fprintf(stderr, "cannot load %s\n", REFERENCE);
    diag_drop(d);
    return 1;
  }
  dir = e2e_tmpdir_new("e2e-typeset");
  doc = e2e_doc_render(BUDGETPDF_EXE, REFERENCE, dir, "reference", "");
  char *cmd = fmt("'%s' render '%s' --dump pages", BUDGETPDF_EXE, REFERENCE);
  int status = e2e_run(cmd, &dump, NULL);
  free(cmd);
  if (doc->status == 0 && status == 0 && dump) {
    read_dump();
    RUN(header_cells_break_between_words);
    RUN(header_text_clears_the_rules);
    RUN(turned_tables_are_centred_in_the_turned_type_area);
    RUN(body_lines_stand_on_the_grid);
    RUN(no_last_line_of_punctuation_alone);
    RUN(no_space_between_two_cjk_characters);
    RUN(table_rows_read_in_order);
    RUN(goal_sentences_extract_whole);
  } else {
    fprintf(stderr, "render failed (%d/%d): %s", doc->status, status,
            doc->err);
    harness_failures++;
  }
  for (size_t i = 0; i < nruns; i++) {
    free(runs[i].text);
    free(runs[i].gx);
  }
  free(runs);
  free(rules);
  free(dump);
  e2e_doc_drop(doc);
  e2e_tmpdir_remove(dir);
  free(dir);
  model_drop(m);
  diag_drop(d);
  return harness_done();
}
