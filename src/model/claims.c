/* SPDX-License-Identifier: MIT */
/* claims.c — figures still typed by hand.  In the profile's and the
 * explanation's text, a clause that names a figure of the model (a row's
 * name, a column's label for its total, a project's name or a name the
 * schema gives a figure) and states an amount ("收支总预算3363.98万元") is
 * a claim; a claim no figure of that name agrees with is reported at the
 * amount.  Precision matters more than recall: a clause whose name is not
 * where a name starts (after the clause's start, a list number, the
 * unit's name, a year, a code, a '：' or another name) is no claim, and a
 * claim agreeing with any figure of its name is not reported. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

typedef struct named {
  const char *name;
  size_t len;
  model_figure fig;
  size_t order; /* as added: equal names are listed in this order */
} named;

typedef struct claims {
  const model *m;
  diag *d;
  named *names;
  size_t nnames, cap;
  size_t reported;
  int64_t unit_factor; /* the document's amount unit in 元 */
} claims;

static void add_name(claims *c, const char *name, const char *ref) {
  if (!name || !*name)
    return;
  model_figure f;
  char why[256];
  if (!model_lookup_figure(c->m, ref, strlen(ref), &f, why, sizeof why) ||
      f.kind != MODEL_FIGURE_AMOUNT)
    return;
  XGROW(c->names, c->cap, c->nnames + 1);
  c->names[c->nnames] = (named){name, strlen(name), f, c->nnames};
  c->nnames++;
}

/* Sorted by name, so the names starting with one character are together
 * (name_at); equal names keep their order, which the messages show. */
static int by_name(const void *x, const void *y) {
  const named *a = x, *b = y;
  int r = strcmp(a->name, b->name);
  return r ? r : (a->order < b->order ? -1 : a->order > b->order);
}

static void add_figure(claims *c, const char *name, const model_figure *f) {
  if (!name || !*name)
    return;
  XGROW(c->names, c->cap, c->nnames + 1);
  c->names[c->nnames] = (named){name, strlen(name), *f, c->nnames};
  c->nnames++;
}

/* Every row's name (its first column), every column's label (its total, or
 * a record's cell), the schema's names, the projects' names. */
static void add_row_names(claims *c) {
  const model *m = c->m;
  model_figure f;
  for (size_t t = 0; t < m->ntables; t++) {
    const model_table *tb = &m->tables[t];
    for (size_t s = 0; s < tb->nsides; s++) {
      const model_side *sd = &tb->sides[s];
      if (!sd->ncolumns)
        continue;
      for (size_t r = 0; sd->kind != MODEL_ROWS_RECORD && r < sd->nrows; r++) {
        const model_row *row = &sd->rows[r];
        if (!row->name.text || row->project)
          continue;
        figure_of_cell(m, tb, sd, row, 0, &f);
        add_figure(c, row->name.text, &f);
      }
      const model_row *cells =
          sd->kind == MODEL_ROWS_RECORD ? &sd->rows[0] : sd->total;
      for (size_t k = 0; cells && k < sd->ncolumns; k++) {
        figure_of_cell(m, tb, sd, cells, (int)k, &f);
        add_figure(c, sd->columns[k], &f);
      }
    }
  }
  const schema_figures *names = m->internal->schema->figures;
  for (size_t i = 0; i < names->nnames; i++)
    add_name(c, names->names[i].name, names->names[i].ref);
  model_figure *amounts = xcalloc(m->nprojects + 1, sizeof *amounts);
  if (figure_project_amounts(m, amounts))
    for (size_t i = 0; i < m->nprojects; i++)
      add_figure(c, m->projects[i].name.text, &amounts[i]);
  free(amounts);
  qsort(c->names, c->nnames, sizeof *c->names, by_name);
}

/* ---------------------------------------------------------------- scanning */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool starts(const char *s, const char *w) {
  return !strncmp(s, w, strlen(w));
}

/* Clause delimiters; '：' is a soft one (a name may start after it). */
static size_t delimiter_at(const char *s) {
  if (*s == '\x01') { /* an expression blanked out: one delimiter */
    size_t n = 1;
    while (s[n] == '\x01')
      n++;
    return n;
  }
  unsigned char b = (unsigned char)*s; /* most bytes start no delimiter */
  if (b != 0xE3 && b != 0xEF && b != ',' && b != ';' && b != '!' && b != '?')
    return 0;
  static const char *const d[] = {"。", "，", "；", "、", "！", "？", ",",
                                  ";", "!", "?", "\x01", NULL};
  for (int i = 0; d[i]; i++)
    if (starts(s, d[i]))
      return strlen(d[i]);
  return 0;
}

static size_t digits_at(const char *s) {
  size_t n = 0;
  while (is_digit(s[n]))
    n++;
  return n;
}

/* What may stand before a figure's name: a list number ("1." "（三）"),
 * the unit's name, a year ("2021年", "2021年度"), blanks. */
static const char *skip_prefix(const claims *c, const char *s) {
  for (;;) {
    const char *was = s;
    size_t n = digits_at(s);
    size_t after = n + (s[n] == '.' ? 1 : 3);
    size_t code = n ? digits_at(s + after) : 0;
    /* "1." before a name, or before a code ("1.2080101行政运行"), not
     * the integer part of an amount ("1.5万元") */
    if (n && n <= 2 &&
        (s[n] == '.' || starts(s + n, "．") || starts(s + n, "、")) &&
        (code == 0 || (code >= 3 && s[after + code] != '.')))
      s += n + (s[n] == '.' ? 1 : 3);
    else if (n == 4 && starts(s + 4, "年度"))
      s += 4 + 6;
    else if (n == 4 && starts(s + 4, "年"))
      s += 4 + 3;
    if (starts(s, "（")) {
      const char *close = strstr(s, "）");
      if (close && close - s <= 3 * 4)
        s = close + 3;
    }
    const char *unit = c->m->unit.text;
    if (unit && *unit && starts(s, unit))
      s += strlen(unit);
    while (*s == ' ' || starts(s, "\xE3\x80\x80"))
      s += *s == ' ' ? 1 : 3;
    if (s == was)
      return s;
  }
}

enum { MAX_SAME_NAME = 64 };

/* The longest name at s; its figures are names[idx[0 .. *n)]. */
static size_t name_at(const claims *c, const char *s, size_t *idx,
                      size_t *n) {
  /* the names sharing s's first character: one run of the sorted list */
  unsigned char b = (unsigned char)*s;
  size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  size_t lo = 0, hi = c->nnames;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strncmp(c->names[mid].name, s, k) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < c->nnames && !strncmp(c->names[end].name, s, k))
    end++;
  size_t best = 0;
  for (size_t i = lo; i < end; i++)
    if (c->names[i].len > best &&
        !strncmp(s, c->names[i].name, c->names[i].len))
      best = c->names[i].len;
  *n = 0;
  for (size_t i = lo; best && i < end && *n < MAX_SAME_NAME; i++) {
    if (c->names[i].len != best || strncmp(s, c->names[i].name, best))
      continue;
    bool again = false; /* 基本支出 the column label and the schema's name */
    for (size_t j = 0; j < *n && !again; j++)
      again = c->names[idx[j]].fig.key == c->names[i].fig.key;
    if (!again)
      idx[(*n)++] = i;
  }
  return best;
}

/* Words between a name and its amount: "为", "合计", "2021年预算数为"… */
static const char *skip_connectors(const char *s) {
  static const char *const words[] = {"：", ":", "为", "是", "合计", "共计",
                                      "预算数", "预算", "数", " ",
                                      "\xE3\x80\x80", NULL};
  for (;;) {
    const char *was = s;
    for (int i = 0; words[i]; i++)
      if (starts(s, words[i]))
        s += strlen(words[i]);
    size_t n = digits_at(s);
    if (n == 4 && starts(s + 4, "年度"))
      s += 10;
    else if (n == 4 && starts(s + 4, "年"))
      s += 7;
    if (s == was)
      return s;
  }
}

static int64_t unit_factor(const char *s, size_t *len) {
  static const struct {
    const char *w;
    int64_t f;
  } units[] = {{"亿元", 100000000}, {"万元", 10000}, {"千元", 1000}, {"元", 1}};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (starts(s, units[i].w)) {
      *len = strlen(units[i].w);
      return units[i].f;
    }
  return 0;
}

/* An amount with its money unit at s: its value in the document's unit
 * (exact, as value × 10^-scale) and its length. */
static size_t amount_at(const claims *c, const char *s, model_amount *out) {
  size_t n = digits_at(s);
  if (!n)
    return 0;
  if (s[n] == '.' && is_digit(s[n + 1]))
    n += 1 + digits_at(s + n + 1);
  size_t blank = 0;
  while (s[n + blank] == ' ')
    blank++;
  size_t ulen;
  int64_t f = unit_factor(s + n + blank, &ulen);
  if (!f || !c->unit_factor)
    return 0;
  char lit[40];
  if (n >= sizeof lit)
    return 0;
  memcpy(lit, s, n);
  lit[n] = 0;
  if (!model_amount_parse(lit, out, NULL, 0))
    return 0;
  /* 元 in a 万元 document: the same amount at 4 more decimals. */
  for (int64_t k = f; k < c->unit_factor; k *= 10)
    out->scale++;
  for (int64_t k = c->unit_factor; k < f; k *= 10)
    out->value *= 10;
  if (out->scale > MODEL_MAX_SCALE)
    return 0;
  return n + blank + ulen;
}

/* Whether the figure, rounded to the claim's decimals, is the claim. */
static bool agrees(const model_amount *claim, const model_figure *f) {
  model_amount fig = f->amount;
  if (!fig.present)
    fig = (model_amount){.present = true};
  char a[48], b[48];
  model_amount_format(claim, claim->scale, a, sizeof a);
  model_amount_format(&fig, claim->scale, b, sizeof b);
  return !strcmp(a, b);
}

static void report_claim(claims *c, const model_text *t, size_t at,
                         size_t len, const char *name, size_t nlen,
                         const size_t *idx, size_t n) {
  bbuf msg = {0};
  bbuf_printf(&msg, "the text says %.*s %.*s; ", (int)nlen, name, (int)len,
              t->text + at);
  size_t listed = 0; /* the figures with a value first */
  for (int blank = 0; blank < 2; blank++)
    for (size_t i = 0; i < n && listed < 3; i++) {
      const model_figure *f = &c->names[idx[i]].fig;
      if (f->amount.present == (blank == 1))
        continue;
      char v[48];
      model_amount_format(&f->amount, -1, v, sizeof v);
      bbuf_printf(&msg, "%s%s is %s", listed++ ? ", " : "", f->label,
                  f->amount.present ? v : "（空）");
    }
  if (n > 3)
    bbuf_printf(&msg, " (and %zu more)", n - 3);
  diag_warning(c->d, DIAG_CHECK, text_pos_at(c->m, t, at), "%s", msg.data);
  bbuf_free(&msg);
  c->reported++;
}

/* A claim whose name starts at s (s within the clause ending at end):
 * returns the amount it judged, or NULL if there is no claim.  *agreed is
 * the figure it agrees with (NULL if it differs): what a change later in
 * the sentence is about. */
static const char *claim_at(claims *c, const model_text *t, const char *text,
                            const char *s, const char *end,
                            const model_figure **agreed) {
  s = skip_prefix(c, s);
  size_t nd = digits_at(s);
  if (nd >= 3) /* a classification code before its name */
    s += nd + (s[nd] == ' ' ? 1 : 0);
  size_t idx[MAX_SAME_NAME], n = 0, len;
  const char *name = NULL;
  size_t nlen = 0;
  /* "一般公共预算基本支出": a name qualified by another is the last one. */
  while (s < end && (len = name_at(c, s, idx, &n))) {
    name = s;
    nlen = len;
    s += len;
  }
  if (!name)
    return NULL;
  name_at(c, name, idx, &n);
  s = skip_connectors(s);
  model_amount claim;
  size_t alen = s < end ? amount_at(c, s, &claim) : 0;
  if (!alen || s + alen > end)
    return NULL;
  *agreed = NULL;
  for (size_t i = 0; i < n && !*agreed; i++)
    if (agrees(&claim, &c->names[idx[i]].fig))
      *agreed = &c->names[idx[i]].fig;
  /* of the figures it agrees with, one with a prior-year figure */
  for (size_t i = 0; i < n && *agreed && !(*agreed)->prior; i++)
    if (c->names[idx[i]].fig.prior && agrees(&claim, &c->names[idx[i]].fig))
      *agreed = &c->names[idx[i]].fig;
  if (!*agreed)
    report_claim(c, t, (size_t)(s - text), alen, name, nlen, idx, n);
  return s;
}

/* ---------------------------------------------------------------- changes */

__extension__ typedef __int128 wide;

/* value and prior at one scale */
static void at_common_scale(const model_amount *v, const model_amount *p,
                            wide *vv, wide *pp, int *scale) {
  *scale = v->scale > p->scale ? v->scale : p->scale;
  *vv = v->value;
  *pp = p->value;
  for (int i = v->scale; i < *scale; i++)
    *vv *= 10;
  for (int i = p->scale; i < *scale; i++)
    *pp *= 10;
}

/* |num/den| rounded half away from zero to d decimals, as an integer. */
static wide rounded(wide num, wide den, int d) {
  if (num < 0)
    num = -num;
  for (int i = 0; i < d; i++)
    num *= 10;
  wide q = num / den, r = num % den;
  return r * 2 >= den ? q + 1 : q;
}

/* The claimed number at s ("124.63", "14") as digits at its decimals. */
static size_t number_at(const char *s, wide *digits, int *decimals) {
  size_t n = digits_at(s), frac = 0;
  if (!n || n > 18)
    return 0;
  if (s[n] == '.' && is_digit(s[n + 1]))
    frac = digits_at(s + n + 1);
  if (frac > 6)
    return 0;
  wide v = 0;
  for (size_t i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  for (size_t i = 0; i < frac; i++)
    v = v * 10 + (s[n + 1 + i] - '0');
  *digits = v;
  *decimals = (int)frac;
  return n + (frac ? frac + 1 : 0);
}

static void format_wide(bbuf *b, wide v, int decimals) {
  char digits[48];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v || n <= decimals);
  for (int i = n - 1; i >= 0; i--) {
    if (i == decimals - 1)
      bbuf_puts(b, ".");
    bbuf_append(b, &digits[i], 1);
  }
}

/* "比上年预算数减少124.63万元", "下降14%" in a sentence whose figure has a
 * prior-year figure: the change stated against the one computed. */
static void change_claim(claims *c, const model_text *t, const char *text,
                         const char *s, const char *end,
                         const model_figure *subject) {
  if (!subject || !subject->prior || !subject->amount.present)
    return;
  static const struct {
    const char *word;
    int sign;
    bool percent;
  } words[] = {{"增加", 1, false}, {"减少", -1, false},
               {"增长", 1, true},  {"下降", -1, true}};
  for (const char *p = s; p < end; p++)
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
      if (!starts(p, words[w].word))
        continue;
      const char *num = p + strlen(words[w].word);
      wide claimed;
      int d;
      size_t nlen = number_at(num, &claimed, &d);
      if (!nlen || num + nlen > end)
        continue;
      size_t ulen = 0;
      if (words[w].percent ? !starts(num + nlen, "%")
                           : !unit_factor(num + nlen, &ulen) ||
                                 ulen != strlen(c->m->amount_unit.text) ||
                                 strncmp(num + nlen, c->m->amount_unit.text,
                                         ulen))
        continue;
      wide v, pr;
      int scale;
      at_common_scale(&subject->amount, subject->prior, &v, &pr, &scale);
      wide diff = v - pr;
      if (words[w].percent && pr == 0)
        continue; /* no growth from nothing: nothing to compare */
      /* the change is diff / 10^scale, the growth diff × 100 / prior */
      wide den = 1;
      for (int i = 0; i < scale; i++)
        den *= 10;
      if (words[w].percent)
        den = pr < 0 ? -pr : pr;
      wide num100 = words[w].percent ? diff * 100 : diff;
      wide expect = rounded(num100, den, d);
      int sign = diff < 0 ? -1 : 1;
      bool ok = expect == claimed && (claimed == 0 || sign == words[w].sign);
      if (!ok) {
        bbuf msg = {0};
        bbuf_printf(&msg, "the text says %s%.*s against the prior year; %s "
                    "is %s, ", words[w].word,
                    (int)(nlen + (words[w].percent ? 1 : ulen)), num,
                    subject->label, subject->amount.text ? subject->amount.text
                                                         : "?");
        bbuf_printf(&msg, "%s the year before: ", subject->prior->text
                    ? subject->prior->text : "?");
        bbuf_puts(&msg, words[w].percent ? (sign < 0 ? "下降" : "增长")
                                         : (sign < 0 ? "减少" : "增加"));
        if (words[w].percent) {
          format_wide(&msg, rounded(num100, den, d), d);
          bbuf_puts(&msg, "%");
        } else {
          format_wide(&msg, diff < 0 ? -diff : diff, scale);
        }
        diag_warning(c->d, DIAG_CHECK, text_pos_at(c->m, t, (size_t)(p - text)),
                     "%s", msg.data);
        bbuf_free(&msg);
        c->reported++;
      }
      p = num + nlen;
      break;
    }
}

/* "，占46%" right after a sentence's figure: its share of its table's
 * total (FORMAT.md's explanation: 基本支出780.99万元，占46%), stated to
 * as many decimals as it is written. */
/* Is `claimed` (d decimals) part's share of whole, in percent?  *expect
 * is the share, or -1 if there is none (no whole, or not above 0). */
static bool share_is(const model_amount *part, const model_amount *whole,
                     wide claimed, int d, wide *expect) {
  wide p, w;
  int scale;
  *expect = -1;
  if (!whole || !whole->present)
    return false;
  at_common_scale(part, whole, &p, &w, &scale);
  if (w <= 0 || p < 0)
    return false;
  *expect = rounded(p * 100, w, d);
  return *expect == claimed;
}

static void share_claim(claims *c, const model_text *t, const char *text,
                        const char *s, const char *end,
                        const model_figure *subject,
                        const model_figure *first) {
  while (s < end && *s == ' ')
    s++;
  if (!subject || !subject->whole || !subject->amount.present ||
      !subject->whole->present || !starts(s, "占"))
    return;
  const char *num = s + strlen("占");
  wide claimed;
  int d;
  size_t nlen = number_at(num, &claimed, &d);
  if (!nlen || num + nlen >= end || !starts(num + nlen, "%") ||
      num + nlen + 1 != end)
    return; /* "占总支出的46%", "占用": not a bare share */
  /* of its table's total, or of the sentence's first figure ("本年收入
   * 合计1195.12万元，其中：…1150.12万元，占96.23%") */
  wide expect, other;
  if (share_is(&subject->amount, subject->whole, claimed, d, &expect) ||
      (first && first != subject &&
       share_is(&subject->amount, &first->amount, claimed, d, &other)) ||
      expect < 0)
    return;
  bbuf msg = {0};
  bbuf_printf(&msg, "the text says 占%.*s; %s is %s of %s %s: ", (int)(nlen + 1),
              num, subject->label, subject->amount.text ? subject->amount.text : "?",
              subject->whole_label,
              subject->whole->text ? subject->whole->text : "?");
  format_wide(&msg, expect, d);
  bbuf_puts(&msg, "%");
  diag_warning(c->d, DIAG_CHECK, text_pos_at(c->m, t, (size_t)(num - text)),
               "%s", msg.data);
  bbuf_free(&msg);
  c->reported++;
}

static void scan_text(const model_text *t, bool free_text, void *ctx) {
  claims *c = ctx;
  if (!free_text || !t->text)
    return;
  /* Expressions are computed, not claimed: blank them out, offsets kept. */
  char *s = xstrdup(t->text);
  for (char *p = strchr(s, '{'); p; p = strchr(p, '{')) {
    char *close = strchr(p, '}');
    if (!close)
      break;
    memset(p, '\x01', (size_t)(close - p) + 1);
  }
  const model_figure *subject = NULL; /* the sentence's figure */
  const model_figure *first = NULL;   /* and its first */
  bool after_claim = false; /* the clause before judged a claim */
  for (const char *clause = s; *clause;) {
    const char *end = clause;
    size_t dl = 0;
    while (*end && !(dl = delimiter_at(end)))
      end++;
    /* After each '：' too, unless its amount was judged already
     * ("2080101行政运行:2021年预算数为638.42万元" names 行政运行). */
    const char *judged = claim_at(c, t, s, clause, end, &subject);
    for (const char *p = clause; p < end; p++)
      if (*p == ':' || ((unsigned char)*p == 0xEF && starts(p, "："))) {
        const char *after = p + (*p == ':' ? 1 : 3);
        const char *j = NULL;
        if (!judged || judged < after)
          j = claim_at(c, t, s, after, end, &subject);
        if (j)
          judged = j;
      }
    if (!judged) {
      change_claim(c, t, s, clause, end, subject);
      /* a share is of the figure just claimed, not of one further back
       * ("合计1195.12万元，其中：…收入1150.12万元，占96.23%") */
      if (after_claim)
        share_claim(c, t, s, clause, end, subject, first);
    }
    after_claim = judged != NULL;
    if (judged && !first)
      first = subject;
    if (starts(end, "。") || *end == '\x01')
      subject = first = NULL;
    clause = *end ? end + dl : end;
  }
  free(s);
}

size_t model_report_claims(const model *m, diag *d) {
  claims c = {.m = m, .d = d};
  size_t ulen;
  c.unit_factor = m->amount_unit.text ? unit_factor(m->amount_unit.text, &ulen)
                                      : 0;
  add_row_names(&c);
  walk_model_texts(m, scan_text, &c);
  free(c.names);
  return c.reported;
}
