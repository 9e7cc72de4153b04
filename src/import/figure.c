/* SPDX-License-Identifier: MIT */
/* figure.c — a cell read as a figure, a label, a position.
 *
 * A spreadsheet number is a binary double: 1681.99 is stored as
 * 1681.9899999999997817…  It is taken at the shortest decimal that reads
 * back as the same double (tried with %.1g … %.17g), which is the figure
 * the office typed; that decimal is then parsed exactly, as the data
 * file's amounts are.  Only when the shortest decimal carries float noise
 * of a formula (16 or 17 significant digits) past the column's decimals
 * is it rounded to them; a genuine extra decimal is kept, and the layout
 * refuses it if it cannot print it. */
#include "import_imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *cell_name(int row, int col, char *buf) {
  char letters[8];
  int n = 0;
  for (int c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  int k = 0;
  while (n)
    buf[k++] = letters[--n];
  snprintf(buf + k, 12, "%d", row + 1);
  return buf;
}

src_pos cell_pos(diag *d, cellref at) {
  char name[16];
  bbuf b = {0};
  bbuf_printf(&b, "%s:%s!%s", at.sheet->file, at.sheet->name,
              cell_name(at.row, at.col, name));
  src_pos pos = {diag_intern_file(d, b.data), 0, 0};
  bbuf_free(&b);
  return pos;
}

bool double_shortest(double v, char *buf, size_t cap) {
  if (!isfinite(v) || cap < 48)
    return false;
  char g[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(g, sizeof g, "%.*g", prec, v);
    if (strtod(g, NULL) == v)
      break;
  }
  /* g is [-]d[.ddd][e±NN]: write it out without the exponent. */
  const char *p = g;
  bool neg = *p == '-';
  if (neg)
    p++;
  char digits[24];
  int nd = 0, point = -1;
  for (; *p && *p != 'e'; p++) {
    if (*p == '.')
      point = nd;
    else
      digits[nd++] = *p;
  }
  if (point < 0)
    point = nd;
  int exp10 = *p == 'e' ? atoi(p + 1) : 0;
  point += exp10; /* digits before the decimal point */
  if (point > 30 || point < -30)
    return false;
  size_t k = 0;
  if (neg && !(nd == 1 && digits[0] == '0'))
    buf[k++] = '-';
  if (point <= 0) {
    buf[k++] = '0';
    buf[k++] = '.';
    for (int i = point; i < 0; i++)
      buf[k++] = '0';
    for (int i = 0; i < nd; i++)
      buf[k++] = digits[i];
  } else {
    for (int i = 0; i < point; i++)
      buf[k++] = i < nd ? digits[i] : '0';
    if (nd > point) {
      buf[k++] = '.';
      for (int i = point; i < nd; i++)
        buf[k++] = digits[i];
    }
  }
  buf[k] = 0;
  return true;
}

/* Significant digits of a plain decimal. */
static int significant(const char *s) {
  int n = 0;
  bool started = false;
  for (; *s; s++)
    if (*s >= '1' && *s <= '9')
      started = true, n++;
    else if (*s == '0' && started)
      n++;
  return n;
}

/* Round a plain decimal in place to `decimals` decimals, half away from
 * zero, as text. */
static void round_text(char *s, int decimals) {
  char *dot = strchr(s, '.');
  if (!dot || (int)strlen(dot + 1) <= decimals)
    return;
  bool up = dot[1 + decimals] >= '5';
  if (decimals == 0)
    *dot = 0;
  else
    dot[1 + decimals] = 0;
  if (up) {
    char *end = s + strlen(s) - 1;
    for (;;) {
      if (end < s || *end == '-') { /* 9.99 → 10.00: a new leading 1 */
        char *at = end + 1;
        memmove(at + 1, at, strlen(at) + 1);
        *at = '1';
        break;
      }
      if (*end == '.') {
        end--;
        continue;
      }
      if (*end < '9') {
        (*end)++;
        break;
      }
      *end-- = '0';
    }
  }
  if (!strcmp(s, "-0") || (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1)))
    memmove(s, s + 1, strlen(s)); /* no signed zero */
}

/* Full-width digits and signs as ASCII; false for any other character. */
static bool ascii_figure(const char *s, bbuf *out) {
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n)
      return false;
    i += n;
    if (cp >= 0xFF10 && cp <= 0xFF19)
      cp = '0' + (cp - 0xFF10);
    else if (cp == 0xFF0E)
      cp = '.';
    else if (cp == 0xFF0C)
      cp = ',';
    else if (cp == 0xFF0D || cp == 0x2212)
      cp = '-';
    if (cp >= 0x80)
      return false;
    char c = (char)cp;
    bbuf_append(out, &c, 1);
  }
  return true;
}

/* "1,681.99" → "1681.99": separators only between groups of three. */
static bool drop_thousands(char *s) {
  char *p = s[0] == '-' ? s + 1 : s;
  if (!strchr(p, ','))
    return true;
  char *dot = strchr(p, '.');
  size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
  if (dot && strchr(dot, ','))
    return false;
  /* d{1,3}(,ddd)+ */
  size_t first = strcspn(p, ",");
  if (first < 1 || first > 3)
    return false;
  for (size_t i = first; i < intlen; i += 4)
    if (p[i] != ',' || i + 4 > intlen || strcspn(p + i + 1, ",.") != 3)
      return false;
  char *w = p;
  for (char *r = p; *r; r++)
    if (*r != ',')
      *w++ = *r;
  *w = 0;
  return true;
}

const char *text_trim(arena *a, const char *text) {
  size_t len = strlen(text), start = 0, end = len;
  for (;;) {
    if (start < end && (text[start] == ' ' || text[start] == '\t' ||
                        text[start] == '\n' || text[start] == '\r'))
      start++;
    else if (end - start >= 3 && !memcmp(text + start, "\u3000", 3))
      start += 3;
    else if (end - start >= 2 && !memcmp(text + start, "\u00A0", 2))
      start += 2;
    else
      break;
  }
  for (;;) {
    if (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
                        text[end - 1] == '\n' || text[end - 1] == '\r'))
      end--;
    else if (end - start >= 3 && !memcmp(text + end - 3, "\u3000", 3))
      end -= 3;
    else if (end - start >= 2 && !memcmp(text + end - 2, "\u00A0", 2))
      end -= 2;
    else
      break;
  }
  return arena_strndup(a, text + start, end - start);
}

int text_indent(const char *text) {
  int w = 0;
  for (;;) {
    if (*text == ' ')
      w += 1, text += 1;
    else if (*text == '\t')
      w += 4, text += 1;
    else if (!strncmp(text, "\u3000", 3)) /* stops at the end of text */
      w += 2, text += 3;
    else
      return w;
  }
}

const char *label_norm(arena *a, const char *text) {
  bbuf b = {0};
  size_t len = strlen(text);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode_or_replace(text + i, len - i, &cp);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 ||
        cp == 0xA0)
      continue;
    if (cp == '(')
      cp = 0xFF08;
    else if (cp == ')')
      cp = 0xFF09;
    else if (cp == ':')
      cp = 0xFF1A;
    char u[4];
    bbuf_append(&b, u, utf8_encode(cp, u));
  }
  const char *out = arena_strdup(a, b.data ? b.data : "");
  bbuf_free(&b);
  return out;
}

const char *cell_text(arena *a, const book_cell *c) {
  if (!c)
    return "";
  if (c->kind == CELL_TEXT)
    return c->text;
  char buf[64];
  if (!double_shortest(c->number, buf, sizeof buf))
    return arena_printf(a, "%g", c->number);
  return arena_strdup(a, buf);
}

bool cell_amount(arena *a, const book_cell *c, int decimals,
                 const char **text, char *why, size_t whycap) {
  *text = NULL;
  if (!c)
    return true;
  char buf[64];
  bbuf fig = {0};
  const char *s;
  if (c->kind == CELL_NUMBER) {
    if (!double_shortest(c->number, buf, sizeof buf)) {
      snprintf(why, whycap, "the number is out of range");
      return false;
    }
    /* Float noise past the printed decimals (0.1 + 0.2 → 0.30000000000000004):
     * rounded off; a real extra decimal stays. */
    if (decimals >= 0 && significant(buf) >= 16) {
      round_text(buf, decimals);
      /* and written as typed: 0.30000000000000004 → 0.3 */
      char *dot = strchr(buf, '.');
      if (dot) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
          *--end = 0;
        if (end == dot + 1)
          *dot = 0;
      }
    }
    s = buf;
  } else {
    const char *t = text_trim(a, c->text);
    if (!*t)
      return true;
    if (!ascii_figure(t, &fig) || !fig.data || !drop_thousands(fig.data)) {
      snprintf(why, whycap, "'%s' is not a number", t);
      bbuf_free(&fig);
      return false;
    }
    s = fig.data;
  }
  model_amount am;
  char reason[160];
  bool ok = model_amount_parse(s, &am, reason, sizeof reason);
  if (!ok)
    snprintf(why, whycap, "'%s' is not an amount: %s",
             c->kind == CELL_TEXT ? c->text : s, reason);
  else
    *text = arena_strdup(a, s);
  bbuf_free(&fig);
  return ok;
}
