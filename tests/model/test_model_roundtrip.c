/* SPDX-License-Identifier: MIT */
/* test_model_roundtrip.c — the reference data holds the whole reference
 * document.  reference/changji-sib-2021-budget.txt is the published text
 * as extracted from Word (one table cell a line, TAB-prefixed; rows
 * separated by blank lines).  Three checks, white space (ASCII and
 * U+3000) ignored throughout:
 *
 *   1. every number in the reference occurs in the data file;
 *   2. every line and every table cell equals a text of the model (a
 *      paragraph, heading, name, code, figure, label: value …), or a
 *      piece of presentation the layout supplies (listed below);
 *   3. for each table (表一 … 表九) and each performance sheet, the
 *      numbers in the reference, counted with repeats, are exactly the
 *      model's codes, figures and the numbers in its names and notes.
 *
 * Filler rows of the Word tables (empty cells) hold nothing to check. */
#include "harness.h"
#include "model.h"

#include <ctype.h>
#include <stdlib.h>

#define REFERENCE_TEXT TEST_DIR "/reference/changji-sib-2021-budget.txt"
#define REFERENCE_DATA SOURCE_DIR "/data/changji-sib-2021.yaml"

static model *m;
static char *data_text;

/* ---------------------------------------------------------------- strings */

/* s without blanks, tabs, line ends and U+3000, in a new string. */
static char *squeeze(const char *s) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (; *s; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
      continue;
    if (!strncmp(s, "\xE3\x80\x80", 3)) {
      s += 2;
      continue;
    }
    bbuf_append(&b, s, 1);
  }
  return b.data;
}

typedef struct strset {
  char **items;
  size_t n, cap;
  bool sorted;
} strset;

static void set_add(strset *s, const char *text) {
  if (!text)
    return;
  XGROW(s->items, s->cap, s->n + 1);
  s->items[s->n++] = squeeze(text);
  s->sorted = false;
}

static void set_addf(strset *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_addf(strset *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[4096];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  set_add(s, buf);
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool set_has(strset *s, const char *squeezed) {
  if (!s->sorted) {
    qsort(s->items, s->n, sizeof *s->items, str_cmp);
    s->sorted = true;
  }
  return bsearch(&squeezed, s->items, s->n, sizeof *s->items, str_cmp);
}

static void set_free(strset *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->items[i]);
  free(s->items);
}

/* The numbers in s ("1681.99", "2021", "12333"), each added to out. */
static void numbers_of(const char *s, strset *out) {
  while (*s) {
    if (!isdigit((unsigned char)*s)) {
      s++;
      continue;
    }
    const char *start = s;
    while (isdigit((unsigned char)*s))
      s++;
    if (*s == '.' && isdigit((unsigned char)s[1]))
      for (s++; isdigit((unsigned char)*s);)
        s++;
    char *n = xstrndup(start, (size_t)(s - start));
    set_add(out, n);
    free(n);
  }
}

/* ---------------------------------------------------------------- corpus */

static void add_sections(strset *c, const model_section *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    set_add(c, s[i].heading.text);
    for (size_t k = 0; k < s[i].nparagraphs; k++)
      set_add(c, s[i].paragraphs[k].text);
    add_sections(c, s[i].sections, s[i].nsections);
  }
}

/* Every text the model holds, as a layout could print it. */
static void model_corpus(strset *c) {
  set_add(c, m->unit.text);
  set_add(c, model_lookup_part(m, "explanation")->title.text);
  add_sections(c, model_lookup_part(m, "profile")->sections, model_lookup_part(m, "profile")->nsections);
  add_sections(c, model_lookup_part(m, "explanation")->sections, model_lookup_part(m, "explanation")->nsections);
  for (size_t t = 0; t < m->ntables; t++) {
    const model_table *tb = &m->tables[t];
    set_add(c, tb->title);
    set_add(c, tb->note.text);
    for (size_t s = 0; s < tb->nsides; s++) {
      const model_side *sd = &tb->sides[s];
      for (size_t k = 0; k < sd->ncolumns; k++)
        set_add(c, sd->columns[k]);
      for (size_t r = 0; r <= sd->nrows; r++) {
        const model_row *row = r < sd->nrows ? &sd->rows[r] : sd->total;
        if (!row)
          continue;
        set_add(c, row->name.text);
        if (row->code) {
          set_add(c, row->code);
          set_addf(c, "%s%s", row->code, row->name.text);
          for (size_t l = 0; l < sd->nlevels; l++)
            set_add(c, row->code_parts[l]);
        }
        if (row->project)
          set_add(c, row->project->name.text);
        for (size_t k = 0; k < sd->ncolumns; k++)
          set_add(c, row->amounts[k].text);
      }
    }
  }
  for (size_t i = 0; i < m->ndescriptions; i++)
    for (size_t k = 0; k < m->descriptions[i].nfields; k++)
      set_addf(c, "%s：%s", m->descriptions[i].fields[k].label.text,
               m->descriptions[i].fields[k].value.text);
  for (size_t i = 0; i < m->nsheets; i++) {
    const model_sheet *s = &m->sheets[i];
    set_add(c, (model_sheet_field(s, "unit")->text ? model_sheet_field(s, "unit")->text : m->unit.text));
    set_add(c, model_sheet_field(s, "name")->text);
    set_add(c, model_sheet_field(s, "goal")->text);
    for (size_t k = 0; k < s->nfunds; k++)
      set_add(c, s->funds[k].text);
    for (size_t k = 0; k < s->nrows; k++) {
      set_add(c, s->rows[k].cells[0].text);
      set_add(c, s->rows[k].cells[1].text);
      set_add(c, s->rows[k].cells[2].text);
      set_add(c, s->rows[k].cells[3].text);
    }
  }
  set_add(c, model_lookup_part(m, "glossary")->title.text);
  for (size_t i = 0; i < model_lookup_part(m, "glossary")->nentries; i++)
    set_add(c, model_lookup_part(m, "glossary")->entries[i].text);
  set_addf(c, "%s%s", model_part_field(model_lookup_part(m, "sign_off"), "unit")->text, model_part_field(model_lookup_part(m, "sign_off"), "date")->text);
}

/* What the layout prints around the data: part headings and table meta
 * lines made from the document facts, table labels, header cells, total
 * labels and the fixed labels of a performance sheet. */
static void presentation_corpus(strset *c) {
  const char *unit = m->unit.text, *year = m->year.text;
  set_addf(c, "第一部分%s单位概况", unit);
  set_addf(c, "第二部分%s年部门（单位）预算公开表", year);
  set_addf(c, "第三部分%s年%s", year, unit);
  set_add(c, "第四部分名词解释");
  set_addf(c, "编制部门（单位）：%s单位：%s", unit, m->amount_unit.text);
  set_addf(c, "编制部门（单位）：%s", unit);
  set_addf(c, "单位：%s", m->amount_unit.text);
  static const char *const labels[] = {"表一：", "表二：", "表三：", "表四：",
                                       "表五：", "表六：", "表七：", "表八：",
                                       "表九："};
  for (size_t i = 0; i < 9; i++)
    set_add(c, labels[i]);
  static const char *const headers[] = {
      "收入", "支出", "项目", "功能分类", "功能分类科目编码", "功能分类科目名称",
      "经济分类科目编码", "经济分类科目名称", "科目编码", "科目", "项目名称",
      "类", "款", "项", "支出预算", "一般公共预算支出", "一般公共预算基本支出",
      "政府性基金预算支出", "财政拨款收入", "财政拨款支出", "收入总计",
      "支出总计", "合计", "总计"};
  for (size_t i = 0; i < sizeof headers / sizeof *headers; i++)
    set_add(c, headers[i]);
  static const char *const sheet[] = {
      "项目支出绩效目标表", "预算单位", "项目资金（万元）", "年度资金总额：",
      "其中：财政拨款", "其他资金", "项目总体目标", "一级指标", "二级指标",
      "三级指标", "指标值（包含数字及文字描述）"};
  for (size_t i = 0; i < sizeof sheet / sizeof *sheet; i++)
    set_add(c, sheet[i]);
  set_addf(c, "（%s年）", year);
}

/* ---------------------------------------------------------------- reference */

static char **ref_lines;
static size_t nref;

static void read_reference(void) {
  diag *d = diag_new(NULL);
  size_t len;
  char *text = file_read_all(REFERENCE_TEXT, 1 << 20, &len, d);
  diag_drop(d);
  CHECK(text != NULL);
  if (!text)
    return;
  size_t cap = 0;
  for (char *line = text, *next; line; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = 0;
    XGROW(ref_lines, cap, nref + 1);
    ref_lines[nref++] = xstrdup(line);
  }
  free(text);
}

TEST(every_number_occurs_in_the_data_file) {
  strset nums = {0};
  for (size_t i = 0; i < nref; i++)
    numbers_of(ref_lines[i], &nums);
  size_t missing = 0;
  for (size_t i = 0; i < nums.n; i++) {
    /* Find it with no digit or '.' joined to either end. */
    const char *n = nums.items[i];
    size_t len = strlen(n);
    bool found = false;
    for (const char *p = data_text; !found && (p = strstr(p, n)); p++) {
      bool before = p > data_text && (isdigit((unsigned char)p[-1]));
      bool after = isdigit((unsigned char)p[len]) ||
                   (p[len] == '.' && isdigit((unsigned char)p[len + 1]));
      found = !before && !after;
    }
    /* A 款 or 项 part of a code ("01") is in the data as part of the
     * code; check 3 counts those. */
    if (!found && len == 2)
      found = true;
    if (!found && missing++ < 10)
      fprintf(stderr, "number not in the data file: %s\n", n);
  }
  CHECK_INT(missing, 0);
  set_free(&nums);
}

TEST(every_line_and_cell_is_in_the_model_or_the_layout) {
  strset corpus = {0};
  model_corpus(&corpus);
  presentation_corpus(&corpus);
  size_t missing = 0, checked = 0;
  for (size_t i = 0; i < nref; i++) {
    char *s = squeeze(ref_lines[i]);
    if (*s) {
      checked++;
      if (!set_has(&corpus, s) && missing++ < 10)
        fprintf(stderr, "line %zu not in the model: %s\n", i + 1, s);
    }
    free(s);
  }
  CHECK_INT(missing, 0);
  CHECK(checked > 1500);
  set_free(&corpus);
}

/* ---------------------------------------------------------------- counts */

/* The numbers of reference lines [from, to), sorted. */
static strset reference_numbers(size_t from, size_t to) {
  strset s = {0};
  for (size_t i = from; i < to; i++)
    numbers_of(ref_lines[i], &s);
  set_has(&s, ""); /* sorts */
  return s;
}

static bool same_numbers(strset *a, strset *b, const char *what) {
  set_has(a, "");
  set_has(b, "");
  bool same = a->n == b->n;
  for (size_t i = 0; same && i < a->n; i++)
    same = !strcmp(a->items[i], b->items[i]);
  if (!same) {
    fprintf(stderr, "%s: reference has", what);
    for (size_t i = 0; i < a->n; i++)
      fprintf(stderr, " %s", a->items[i]);
    fprintf(stderr, "\n%s: model has", what);
    for (size_t i = 0; i < b->n; i++)
      fprintf(stderr, " %s", b->items[i]);
    fprintf(stderr, "\n");
  }
  return same;
}

static size_t find_line(const char *squeezed_prefix, size_t from) {
  for (size_t i = from; i < nref; i++) {
    char *s = squeeze(ref_lines[i]);
    bool hit = !strncmp(s, squeezed_prefix, strlen(squeezed_prefix));
    free(s);
    if (hit)
      return i;
  }
  return nref;
}

TEST(each_table_holds_exactly_the_published_figures) {
  static const char *const labels[] = {"表一：", "表二：", "表三：",
                                       "表四：", "表五：", "表六：",
                                       "表七：", "表八：", "表九：",
                                       "第三部分"};
  size_t at[10];
  for (size_t i = 0; i < 10; i++)
    at[i] = find_line(labels[i], i ? at[i - 1] : 0);
  for (size_t t = 0; t < 9; t++) {
    strset ref = reference_numbers(at[t], at[t + 1]);
    strset mine = {0};
    const model_table *tb = &m->tables[t];
    numbers_of(tb->note.text ? tb->note.text : "", &mine);
    for (size_t s = 0; s < tb->nsides; s++) {
      const model_side *sd = &tb->sides[s];
      for (size_t r = 0; r <= sd->nrows; r++) {
        const model_row *row = r < sd->nrows ? &sd->rows[r] : sd->total;
        if (!row)
          continue;
        for (size_t l = 0; row->code && l < sd->nlevels; l++)
          if (*row->code_parts[l])
            set_add(&mine, row->code_parts[l]);
        if (row->project)
          numbers_of(row->project->name.text, &mine);
        for (size_t k = 0; k < sd->ncolumns; k++)
          set_add(&mine, row->amounts[k].text);
      }
    }
    /* 表一/表四 print a class code and its name in one cell. */
    CHECK(same_numbers(&ref, &mine, tb->id));
    set_free(&ref);
    set_free(&mine);
  }
}

TEST(each_sheet_holds_exactly_the_published_figures) {
  size_t at = 0;
  for (size_t i = 0; i < m->nsheets; i++) {
    size_t from = find_line("项目支出绩效目标表", at);
    size_t to = find_line("项目支出绩效目标表", from + 1);
    if (to == nref)
      to = find_line("（五）其他需说明的事项", from);
    at = to;
    strset ref = reference_numbers(from, to);
    strset mine = {0};
    const model_sheet *s = &m->sheets[i];
    numbers_of(m->year.text, &mine); /* （2021年） */
    numbers_of((model_sheet_field(s, "unit")->text ? model_sheet_field(s, "unit")->text : m->unit.text), &mine);
    numbers_of(model_sheet_field(s, "name")->text, &mine);
    numbers_of(model_sheet_field(s, "goal")->text, &mine);
    for (size_t k = 0; k < s->nfunds; k++)
      set_add(&mine, s->funds[k].text);
    for (size_t k = 0; k < s->nrows; k++) {
      numbers_of(s->rows[k].cells[2].text, &mine);
      numbers_of(s->rows[k].cells[3].text, &mine);
    }
    CHECK(same_numbers(&ref, &mine, model_sheet_field(s, "name")->text));
    set_free(&ref);
    set_free(&mine);
  }
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  model_options opts = {.datadir = SOURCE_DIR};
  m = model_load(REFERENCE_DATA, &opts, d);
  size_t len;
  data_text = file_read_all(REFERENCE_DATA, 1 << 22, &len, d);
  diag_drop(d);
  read_reference();
  if (!m || !data_text || !nref)
    return 1;
  RUN(every_number_occurs_in_the_data_file);
  RUN(every_line_and_cell_is_in_the_model_or_the_layout);
  RUN(each_table_holds_exactly_the_published_figures);
  RUN(each_sheet_holds_exactly_the_published_figures);
  for (size_t i = 0; i < nref; i++)
    free(ref_lines[i]);
  free(ref_lines);
  free(data_text);
  model_drop(m);
  return harness_done();
}
