/* SPDX-License-Identifier: MIT */
/* expr.c — expressions inside text: "基本支出{表三.total.基本支出}万元，
 * 占{share(表三.total.基本支出, 收入预算)}，比上年预算数{change(基本支出)}万元".
 *
 *   text    := { literal | "{{" | "}}" | "{#}" | "{" expr [ "|" format ] "}" }
 *   expr    := term { " + " term | " - " term }     (operators between blanks)
 *   term    := primary [ " * " NUMBER ]
 *   primary := NUMBER | REFERENCE | FUNCTION "(" expr { "," expr } ")"
 *            | "(" expr ")"
 *   format  := { N | =N | 元 | 千元 | 万元 | 亿元 }
 *
 * Values are exact rationals of 128-bit integers: an amount is n/10^s, a
 * share or growth a quotient of amounts; the only rounding is the last
 * step, half away from zero on the exact value.  A reference is looked
 * up with model_lookup_figure; an absent figure is an error, not 0.
 * Every error is reported at its character in the YAML scalar. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 wide;

typedef enum value_kind { V_AMOUNT, V_PERCENT, V_COUNT, V_TEXT } value_kind;

typedef struct value {
  value_kind kind;
  wide num, den;       /* exact: num / den, den > 0 */
  int scale;           /* amounts: the decimals of the most precise operand */
  bool has_prior;
  wide prior_num, prior_den;
  const char *up, *down; /* a change: printed as a word and a magnitude */
  const char *text;    /* V_TEXT */
  const char *label;   /* the figure, for messages */
} value;

typedef struct parser {
  const model *m;
  const model_text *t;
  const char *s;   /* the text */
  size_t i, end;   /* within the current expression */
  diag *d;
  bool failed;
  bool overflow;   /* sticky: some step did not fit 128 bits */
  arena *a;
} parser;

static void perr(parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void perr(parser *p, size_t at, const char *fmt, ...) {
  if (p->failed)
    return; /* one error per expression: the rest would follow from it */
  p->failed = true;
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(p->d, DIAG_ERROR, DIAG_SCHEMA, text_pos_at(p->m, p->t, at), fmt, ap);
  va_end(ap);
}

static const wide WIDE_LIMIT = (wide)1 << 100; /* beyond: refuse */

static wide wabs(wide x) { return x < 0 ? -x : x; }

/* Checked steps: an overflow sets p->overflow (reported once, after). */
static wide mulw(parser *p, wide a, wide b) {
  wide r;
  if (__builtin_mul_overflow(a, b, &r)) {
    p->overflow = true;
    return 0;
  }
  return r;
}

static wide subw(parser *p, wide a, wide b) {
  wide r;
  if (__builtin_sub_overflow(a, b, &r)) {
    p->overflow = true;
    return 0;
  }
  return r;
}

static wide addw(parser *p, wide a, wide b) {
  wide r;
  if (__builtin_add_overflow(a, b, &r)) {
    p->overflow = true;
    return 0;
  }
  return r;
}

static wide wgcd(wide a, wide b) {
  a = wabs(a);
  b = wabs(b);
  while (b) {
    wide t = a % b;
    a = b;
    b = t;
  }
  return a ? a : 1;
}

static bool normalise(wide *num, wide *den) {
  if (*den < 0) {
    *num = -*num;
    *den = -*den;
  }
  wide g = wgcd(*num, *den);
  *num /= g;
  *den /= g;
  return wabs(*num) < WIDE_LIMIT && *den < WIDE_LIMIT;
}

static wide pow10w(int n) {
  wide r = 1;
  while (n-- > 0)
    r *= 10;
  return r;
}

/* ---------------------------------------------------------------- lexing */

static void skip_blanks(parser *p) {
  while (p->i < p->end && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
    p->i++;
}

static bool at_char(parser *p, char c) {
  skip_blanks(p);
  return p->i < p->end && p->s[p->i] == c;
}

/* A reference or a function name: up to a blank, ',', '(', ')' or '|'; a
 * [...] part may hold anything but ']'. */
static size_t scan_word(parser *p) {
  size_t start = p->i;
  while (p->i < p->end) {
    char c = p->s[p->i];
    if (c == '[') {
      const char *close = memchr(p->s + p->i, ']', p->end - p->i);
      p->i = close ? (size_t)(close - p->s) + 1 : p->end;
      continue;
    }
    if (c == ' ' || c == '\t' || c == ',' || c == '(' || c == ')' || c == '|')
      break;
    p->i++;
  }
  return p->i - start;
}

/* ---------------------------------------------------------------- values */

static value amount_value(const model_amount *a) {
  value v = {.kind = V_AMOUNT, .num = a->value, .den = pow10w(a->scale),
             .scale = a->scale};
  return v;
}

static void set_prior(value *v, const model_amount *prior) {
  if (!prior || !prior->present)
    return;
  v->has_prior = true;
  v->prior_num = prior->value;
  v->prior_den = pow10w(prior->scale);
  if (prior->scale > v->scale)
    v->scale = prior->scale;
}

static bool is_number(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && s[i] == '-')
    i++;
  if (i == n || s[i] < '0' || s[i] > '9')
    return false;
  for (; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
      return false;
  return true;
}

static value parse_expr(parser *p);

static value reference_value(parser *p, size_t at, size_t n) {
  value v = {.kind = V_AMOUNT, .den = 1};
  model_figure f;
  char why[320];
  if (!model_lookup_figure(p->m, p->s + at, n, &f, why, sizeof why)) {
    perr(p, at, "{%.*s}: %s", (int)n, p->s + at, why);
    return v;
  }
  v.label = arena_strdup(p->a, f.label);
  if (f.kind == MODEL_FIGURE_TEXT) {
    if (!f.text)
      perr(p, at, "{%.*s}: %s is not written in the data", (int)n,
           p->s + at, f.label);
    v.kind = V_TEXT;
    v.text = f.text ? f.text : "";
    return v;
  }
  if (!f.amount.present) {
    perr(p, at, "{%.*s}: %s is absent (blank in the table), not 0", (int)n,
         p->s + at, f.label);
    return v;
  }
  v = amount_value(&f.amount);
  v.label = arena_strdup(p->a, f.label);
  set_prior(&v, f.prior);
  return v;
}

static bool need_amount(parser *p, size_t at, const value *v,
                        const char *what) {
  if (v->kind == V_AMOUNT || v->kind == V_COUNT)
    return true;
  perr(p, at, "%s takes an amount, not %s", what,
       v->kind == V_TEXT ? "text" : "a percentage");
  return false;
}

static bool need_prior(parser *p, size_t at, const value *v,
                       const char *what) {
  if (!need_amount(p, at, v, what))
    return false;
  if (v->has_prior)
    return true;
  perr(p, at, "%s: %s has no prior-year figure (prior_year: in the data)",
       what, v->label ? v->label : "the value");
  return false;
}

typedef struct call_args {
  value v[3];
  size_t at[3];
  int n;
} call_args;

static value call_function(parser *p, size_t at, const char *name,
                           size_t nlen, const call_args *args) {
  value r = {.kind = V_AMOUNT, .den = 1};
  const value *a = &args->v[0];
#define IS(w) (nlen == strlen(w) && !strncmp(name, w, nlen))
  int want = IS("share") ? 2 : 1;
  if (!IS("share") && !IS("change") && !IS("growth") && !IS("prior") &&
      !IS("abs")) {
    perr(p, at, "unknown function '%.*s' (share, change, growth, prior, "
         "abs, count)", (int)nlen, name);
    return r;
  }
  if (args->n != want) {
    perr(p, at, "%.*s takes %d argument%s, not %d", (int)nlen, name, want,
         want == 1 ? "" : "s", args->n);
    return r;
  }
  if (IS("share")) {
    const value *b = &args->v[1];
    if (!need_amount(p, args->at[0], a, "share") ||
        !need_amount(p, args->at[1], b, "share"))
      return r;
    if (b->num == 0) {
      perr(p, args->at[1], "share: %s is 0", b->label ? b->label : "the whole");
      return r;
    }
    r.kind = V_PERCENT;
    r.num = mulw(p, mulw(p, a->num, b->den), 100);
    r.den = mulw(p, a->den, b->num);
  } else if (IS("change")) {
    if (!need_prior(p, args->at[0], a, "change"))
      return r;
    r = *a;
    r.num = subw(p, mulw(p, a->num, a->prior_den),
                 mulw(p, a->prior_num, a->den));
    r.den = mulw(p, a->den, a->prior_den);
    r.has_prior = false;
    r.up = "增加";
    r.down = "减少";
  } else if (IS("growth")) {
    if (!need_prior(p, args->at[0], a, "growth"))
      return r;
    if (a->prior_num == 0) {
      perr(p, args->at[0], "growth: the prior-year figure of %s is 0",
           a->label ? a->label : "the value");
      return r;
    }
    r.kind = V_PERCENT;
    r.num = mulw(p, subw(p, mulw(p, a->num, a->prior_den),
                         mulw(p, a->prior_num, a->den)), 100);
    r.den = mulw(p, a->den, a->prior_num);
    r.up = "增长";
    r.down = "下降";
  } else if (IS("prior")) {
    if (!need_prior(p, args->at[0], a, "prior"))
      return r;
    r = *a;
    r.num = a->prior_num;
    r.den = a->prior_den;
    r.has_prior = false;
  } else { /* abs */
    r = *a;
    if (r.kind == V_TEXT) {
      perr(p, args->at[0], "abs takes a number, not text");
      return r;
    }
    r.num = wabs(r.num);
    r.up = r.down = NULL;
  }
#undef IS
  if (p->overflow || !normalise(&r.num, &r.den))
    perr(p, at, "the value is too large");
  return r;
}

static value parse_primary(parser *p) {
  value v = {.kind = V_AMOUNT, .den = 1};
  skip_blanks(p);
  size_t at = p->i;
  if (p->i >= p->end) {
    perr(p, at, "an expression is missing");
    return v;
  }
  if (p->s[p->i] == '(') {
    p->i++;
    v = parse_expr(p);
    if (!at_char(p, ')'))
      perr(p, p->i, "')' expected");
    else
      p->i++;
    return v;
  }
  size_t n = scan_word(p);
  if (!n) {
    perr(p, at, "unexpected '%c'", p->s[at]);
    return v;
  }
  if (p->i < p->end && p->s[p->i] == '(') { /* a function call */
    p->i++;
    if (n == 5 && !strncmp(p->s + at, "count", 5)) {
      skip_blanks(p);
      size_t rat = p->i;
      size_t rn = scan_word(p);
      int64_t c = 0;
      char why[256];
      if (!figure_count(p->m, p->s + rat, rn, &c, why, sizeof why))
        perr(p, rat, "count(%.*s): %s", (int)rn, p->s + rat, why);
      if (!at_char(p, ')'))
        perr(p, p->i, "')' expected");
      else
        p->i++;
      v.kind = V_COUNT;
      v.num = c;
      return v;
    }
    call_args args = {0};
    if (!at_char(p, ')'))
      for (;;) {
        skip_blanks(p);
        size_t aat = p->i;
        value av = parse_expr(p);
        if (args.n < 3) {
          args.at[args.n] = aat;
          args.v[args.n] = av;
        }
        args.n++;
        if (at_char(p, ',')) {
          p->i++;
          continue;
        }
        break;
      }
    if (!at_char(p, ')')) {
      perr(p, p->i, "')' expected");
      return v;
    }
    p->i++;
    if (p->failed)
      return v;
    return call_function(p, at, p->s + at, n, &args);
  }
  if (is_number(p->s + at, n)) {
    char *lit = arena_strndup(p->a, p->s + at, n);
    model_amount a;
    char why[128];
    if (!model_amount_parse(lit, &a, why, sizeof why)) {
      perr(p, at, "'%s' is not a number: %s", lit, why);
      return v;
    }
    v = amount_value(&a);
    v.kind = V_COUNT; /* a plain number: no unit to convert */
    return v;
  }
  return reference_value(p, at, n);
}

static value parse_term(parser *p) {
  value v = parse_primary(p);
  while (!p->failed && at_char(p, '*')) {
    size_t at = p->i++;
    value f = parse_primary(p);
    if (p->failed)
      break;
    if (f.kind != V_COUNT || v.kind == V_TEXT) {
      perr(p, at, "'*' multiplies by a plain number");
      break;
    }
    v.num = mulw(p, v.num, f.num);
    v.den = mulw(p, v.den, f.den);
    if (v.has_prior) {
      v.prior_num = mulw(p, v.prior_num, f.num);
      v.prior_den = mulw(p, v.prior_den, f.den);
    }
    if (p->overflow || !normalise(&v.num, &v.den))
      perr(p, at, "the value is too large");
  }
  return v;
}

static value parse_expr(parser *p) {
  value v = parse_term(p);
  for (;;) {
    skip_blanks(p);
    if (p->failed || p->i >= p->end ||
        (p->s[p->i] != '+' && p->s[p->i] != '-'))
      return v;
    size_t at = p->i;
    int sign = p->s[p->i++] == '+' ? 1 : -1;
    value w = parse_term(p);
    if (p->failed)
      return v;
    if (v.kind == V_TEXT || w.kind == V_TEXT || v.up || w.up ||
        (v.kind == V_PERCENT) != (w.kind == V_PERCENT)) {
      perr(p, at, "'%c' adds amounts, or percentages", sign > 0 ? '+' : '-');
      return v;
    }
    bool prior = v.has_prior && w.has_prior;
    v.num = addw(p, mulw(p, v.num, w.den), mulw(p, sign * w.num, v.den));
    v.den = mulw(p, v.den, w.den);
    if (prior) {
      v.prior_num = addw(p, mulw(p, v.prior_num, w.prior_den),
                         mulw(p, sign * w.prior_num, v.prior_den));
      v.prior_den = mulw(p, v.prior_den, w.prior_den);
      if (!p->overflow && !normalise(&v.prior_num, &v.prior_den))
        p->overflow = true;
    }
    v.has_prior = prior;
    if (w.scale > v.scale)
      v.scale = w.scale;
    if (v.kind == V_COUNT && w.kind == V_AMOUNT)
      v.kind = V_AMOUNT;
    v.label = NULL;
    if (p->overflow || !normalise(&v.num, &v.den))
      perr(p, at, "the value is too large");
  }
}

/* ---------------------------------------------------------------- format */

typedef struct format {
  int decimals;   /* -1: as exact as the operands (amounts), 0 (percent) */
  bool fixed;     /* keep trailing zeros */
  const char *unit;
  int64_t unit_factor;
} format;

static int64_t money_unit_factor(const char *u, size_t n) {
  static const struct {
    const char *name;
    int64_t factor;
  } units[] = {{"元", 1}, {"千元", 1000}, {"万元", 10000}, {"亿元", 100000000}};
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (strlen(units[i].name) == n && !strncmp(units[i].name, u, n))
      return units[i].factor;
  return 0;
}

static bool parse_format(parser *p, size_t from, size_t to, format *f) {
  size_t i = from;
  while (i < to) {
    while (i < to && (p->s[i] == ' ' || p->s[i] == '\t'))
      i++;
    size_t start = i;
    while (i < to && p->s[i] != ' ' && p->s[i] != '\t')
      i++;
    if (i == start)
      break;
    const char *w = p->s + start;
    size_t n = i - start;
    bool fixed = w[0] == '=';
    size_t d = fixed ? 1 : 0;
    if (d < n && w[d] >= '0' && w[d] <= '9' && n - d <= 1) {
      f->decimals = w[d] - '0';
      f->fixed = fixed;
    } else if (money_unit_factor(w, n)) {
      f->unit = arena_strndup(p->a, w, n);
      f->unit_factor = money_unit_factor(w, n);
    } else {
      perr(p, start, "unknown format '%.*s' (N decimals, =N fixed decimals, "
           "元, 千元, 万元, 亿元)", (int)n, w);
      return false;
    }
  }
  return true;
}

/* num/den rounded half away from zero to `decimals`, written out. */
static void write_rounded(parser *p, bbuf *out, wide num, wide den,
                          int decimals, bool fixed) {
  wide scaled = mulw(p, wabs(num), pow10w(decimals));
  if (p->overflow)
    return;
  wide q = scaled / den, rem = scaled % den;
  if (rem * 2 >= den)
    q++;
  char digits[64];
  int n = 0;
  do {
    digits[n++] = (char)('0' + (int)(q % 10));
    q /= 10;
  } while (q > 0 || n <= decimals);
  int keep = decimals;
  if (!fixed)
    while (keep > 0 && digits[decimals - keep] == '0')
      keep--;
  bool zero = true;
  for (int i = 0; i < n; i++)
    if (digits[i] != '0' && i >= decimals - keep)
      zero = false;
  if (num < 0 && !zero)
    bbuf_puts(out, "-");
  for (int i = n - 1; i >= decimals; i--)
    bbuf_append(out, &digits[i], 1);
  if (keep > 0) {
    bbuf_puts(out, ".");
    for (int i = decimals - 1; i >= decimals - keep; i--)
      bbuf_append(out, &digits[i], 1);
  }
}

static void write_value(parser *p, bbuf *out, value v, const format *f,
                        size_t at) {
  if (v.kind == V_TEXT) {
    bbuf_puts(out, v.text);
    return;
  }
  if (v.up) {
    bbuf_puts(out, v.num < 0 ? v.down : v.up);
    v.num = wabs(v.num);
  }
  int decimals = f->decimals;
  if (v.kind == V_AMOUNT && f->unit) {
    int64_t from = money_unit_factor(p->m->amount_unit.text ? p->m->amount_unit.text : "",
                                     p->m->amount_unit.text ? strlen(p->m->amount_unit.text) : 0);
    if (!from) {
      perr(p, at, "the document's amount unit '%s' cannot be converted",
           p->m->amount_unit.text ? p->m->amount_unit.text : "");
      return;
    }
    v.num = mulw(p, v.num, from);
    v.den = mulw(p, v.den, f->unit_factor);
    if (p->overflow || !normalise(&v.num, &v.den)) {
      perr(p, at, "the value is too large");
      return;
    }
    /* 1681.99 万元 is exactly 16819900 元: the decimals follow the unit. */
    int shift = 0;
    for (int64_t r = from; r > f->unit_factor; r /= 10)
      shift--;
    for (int64_t r = f->unit_factor; r > from; r /= 10)
      shift++;
    if (decimals < 0)
      decimals = v.scale + shift > 0 ? v.scale + shift : 0;
  }
  if (decimals < 0)
    decimals = v.kind == V_AMOUNT ? v.scale : 0;
  if (decimals > MODEL_MAX_SCALE + 8)
    decimals = MODEL_MAX_SCALE + 8;
  write_rounded(p, out, v.num, v.den, decimals, f->fixed);
  if (p->overflow) {
    perr(p, at, "the value is too large");
    return;
  }
  if (v.kind == V_PERCENT)
    bbuf_puts(out, "%");
  if (f->unit && v.kind == V_AMOUNT)
    bbuf_puts(out, f->unit);
}

/* ---------------------------------------------------------------- text */

/* The closing '}' of the expression opened at s[i] ('{'), skipping [...]. */
static size_t find_close(const char *s, size_t i) {
  for (i++; s[i]; i++) {
    if (s[i] == '[') {
      const char *close = strchr(s + i, ']');
      if (!close)
        return (size_t)-1;
      i = (size_t)(close - s);
    } else if (s[i] == '}') {
      return i;
    } else if (s[i] == '{') {
      return (size_t)-1;
    }
  }
  return (size_t)-1;
}

const char *model_text_expand(const model *m, const model_text *t, arena *a,
                              diag *d) {
  if (!t || !t->text)
    return NULL;
  const char *s = t->text;
  if (!strchr(s, '{') && !strchr(s, '}'))
    return s;
  parser p = {.m = m, .t = t, .s = s, .d = d, .a = a};
  bbuf out = {0};
  bbuf_puts(&out, "");
  bool ok = true;
  for (size_t i = 0; s[i];) {
    if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
      bbuf_append(&out, &s[i], 1);
      i += 2;
      continue;
    }
    if (!strncmp(s + i, "{#}", 3)) { /* a section's number: the layout's */
      bbuf_puts(&out, "{#}");
      i += 3;
      continue;
    }
    if (s[i] == '}') {
      p.failed = false;
      perr(&p, i, "a '}' without its '{' (write }} for a brace)");
      ok = false;
      i++;
      continue;
    }
    if (s[i] != '{') {
      bbuf_append(&out, &s[i], 1);
      i++;
      continue;
    }
    size_t close = find_close(s, i);
    p.failed = false;
    if (close == (size_t)-1) {
      perr(&p, i, "a '{' without its '}' (write {{ for a brace)");
      ok = false;
      break;
    }
    const char *bar = memchr(s + i, '|', close - i);
    p.i = i + 1;
    p.overflow = false;
    p.end = bar ? (size_t)(bar - s) : close;
    value v = parse_expr(&p);
    skip_blanks(&p);
    if (!p.failed && p.i < p.end)
      perr(&p, p.i, "unexpected '%.*s' (operators need a blank on each side)",
           (int)(p.end - p.i), s + p.i);
    format f = {-1, false, NULL, 0};
    if (!p.failed && bar)
      parse_format(&p, (size_t)(bar - s) + 1, close, &f);
    if (!p.failed)
      write_value(&p, &out, v, &f, i + 1);
    ok = ok && !p.failed;
    i = close + 1;
  }
  const char *r = ok ? arena_strdup(a, out.data) : NULL;
  bbuf_free(&out);
  return r;
}
