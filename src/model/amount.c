/* SPDX-License-Identifier: MIT */
/* amount.c — amounts as exact decimals: parsing what finance staff type,
 * formatting with a layout's number of decimals, and overflow-checked
 * arithmetic on mixed scales.  An amount never passes through a double:
 * "0.1 + 0.2" must be exactly "0.3" on a published page. */
#include "model_imp.h"

#include <string.h>

static const int64_t pow10_table[] = {
    1,           10,           100,           1000,           10000,
    100000,      1000000,      10000000,      100000000,      1000000000,
    10000000000, 100000000000, 1000000000000, 10000000000000,
};

static bool is_blank_at(const char *s, size_t *len) {
  if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
    *len = 1;
    return true;
  }
  if (strncmp(s, "\xE3\x80\x80", 3) == 0) { /* U+3000 */
    *len = 3;
    return true;
  }
  return false;
}

char *text_trim_copy(arena *a, const char *s) {
  size_t n;
  while (*s && is_blank_at(s, &n))
    s += n;
  const char *end = s + strlen(s);
  for (;;) {
    if (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                    end[-1] == '\r'))
      end--;
    else if (end - s >= 3 && strncmp(end - 3, "\xE3\x80\x80", 3) == 0)
      end -= 3;
    else
      break;
  }
  return arena_strndup(a, s, (size_t)(end - s));
}

void model_set_why(char *why, size_t cap, const char *fmt, ...) {
  if (!why || !cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, _(fmt), ap); /* its callers' formats are in the catalog */
  va_end(ap);
}

/* Explain the first thing that makes s not an amount. */
static void explain_reject(const char *s, size_t len, char *why, size_t cap) {
  uint32_t cp;
  int points = 0;
  for (size_t i = 0; i < len;) {
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (!n)
      n = 1;
    if ((cp == ',' || cp == 0xFF0C) && i > 0 && s[i - 1] >= '0' &&
        s[i - 1] <= '9') {
      model_set_why(why, cap,
                    "thousands separators are not allowed; write the digits "
                    "without commas");
      return;
    }
    if ((cp == 'e' || cp == 'E') && i > 0 && s[i - 1] >= '0' &&
        s[i - 1] <= '9') {
      model_set_why(
          why, cap,
          "exponent forms (1e3) are not allowed; write the digits out");
      return;
    }
    if ((cp >= 0xFF10 && cp <= 0xFF19) || cp == 0xFF0E) {
      model_set_why(why, cap,
                    "full-width digits are not allowed; use 0-9 and '.'");
      return;
    }
    if (cp == '.' && points++) {
      model_set_why(why, cap, "more than one decimal point");
      return;
    }
    bool ok = (cp >= '0' && cp <= '9') || cp == '.' || (cp == '-' && i == 0);
    if (!ok) {
      char ch[8] = {0};
      memcpy(ch, s + i, n < 7 ? n : 7);
      model_set_why(why, cap, "unexpected character '%s'", ch);
      return;
    }
    i += n;
  }
  model_set_why(why, cap, "expected digits with an optional decimal point");
}

bool model_amount_parse(const char *text, model_amount *out, char *why,
                        size_t whycap) {
  size_t n;
  while (*text && is_blank_at(text, &n))
    text += n;
  size_t len = strlen(text);
  while (len > 0) { /* trailing blanks */
    if (text[len - 1] == ' ' || text[len - 1] == '\t' ||
        text[len - 1] == '\n' || text[len - 1] == '\r')
      len--;
    else if (len >= 3 && strncmp(text + len - 3, "\xE3\x80\x80", 3) == 0)
      len -= 3;
    else
      break;
  }
  memset(out, 0, sizeof *out);
  if (len == 0)
    return true; /* absent */
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  size_t int_start = i;
  while (i < len && text[i] >= '0' && text[i] <= '9')
    i++;
  size_t int_digits = i - int_start;
  size_t frac_digits = 0;
  bool point = false;
  if (i < len && text[i] == '.') {
    point = true;
    size_t frac_start = ++i;
    while (i < len && text[i] >= '0' && text[i] <= '9')
      i++;
    frac_digits = i - frac_start;
  }
  if (i != len) {
    explain_reject(text, len, why, whycap);
    return false;
  }
  if (int_digits == 0 && !point) {
    model_set_why(why, whycap, "expected digits");
    return false;
  }
  if (int_digits == 0 || (point && frac_digits == 0)) {
    model_set_why(
        why, whycap,
        "a decimal point needs digits on both sides (0.5, not .5 or 5.)");
    return false;
  }
  if (frac_digits > MODEL_MAX_SCALE) {
    model_set_why(why, whycap, "more than %d decimal places", MODEL_MAX_SCALE);
    return false;
  }
  int64_t value = 0;
  for (size_t k = int_start; k < len; k++) {
    if (text[k] == '.')
      continue;
    int digit = text[k] - '0';
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, digit, &value)) {
      model_set_why(why, whycap, "the figure is too large");
      return false;
    }
  }
  out->present = true;
  out->value = negative ? -value : value;
  out->scale = (int)frac_digits;
  return true;
}

/* ---------------------------------------------------------------- decimals */

static bool rescale(decimal d, int scale, int64_t *out) {
  return !__builtin_mul_overflow(d.value, pow10_table[scale - d.scale], out);
}

bool decimal_add(decimal a, decimal b, decimal *out) {
  int scale = a.scale > b.scale ? a.scale : b.scale;
  int64_t x, y, sum;
  if (!rescale(a, scale, &x) || !rescale(b, scale, &y) ||
      __builtin_add_overflow(x, y, &sum))
    return false;
  *out = (decimal){sum, scale};
  return true;
}

int decimal_compare(decimal a, decimal b) {
  int scale = a.scale > b.scale ? a.scale : b.scale;
  int64_t x, y;
  bool ox = !rescale(a, scale, &x), oy = !rescale(b, scale, &y);
  if (ox || oy) {
    /* One side does not fit at the common scale, so it is the larger in
     * magnitude; its sign decides. */
    if (ox && !oy)
      return a.value < 0 ? -1 : 1;
    if (oy && !ox)
      return b.value < 0 ? 1 : -1;
    /* Both overflow: compare integer parts, then the rest. */
    int64_t ia = a.value / pow10_table[a.scale],
            ib = b.value / pow10_table[b.scale];
    if (ia != ib)
      return ia < ib ? -1 : 1;
    decimal ra = {a.value % pow10_table[a.scale], a.scale};
    decimal rb = {b.value % pow10_table[b.scale], b.scale};
    return decimal_compare(ra, rb);
  }
  return x < y ? -1 : x > y;
}

decimal decimal_from_amount(const model_amount *a) {
  if (!a || !a->present)
    return (decimal){0, 0};
  return (decimal){a->value, a->scale};
}

/* Write |value| at scale with its sign into buf. */
static char *write_scaled(bool negative, uint64_t magnitude, int scale,
                          char *buf, size_t cap) {
  uint64_t p = (uint64_t)pow10_table[scale];
  uint64_t whole = magnitude / p, frac = magnitude % p;
  const char *sign = negative && magnitude ? "-" : "";
  if (scale == 0)
    snprintf(buf, cap, "%s%llu", sign, (unsigned long long)whole);
  else
    snprintf(buf, cap, "%s%llu.%0*llu", sign, (unsigned long long)whole, scale,
             (unsigned long long)frac);
  return buf;
}

static uint64_t magnitude_of(int64_t v) {
  return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

char *decimal_format(decimal d, char *buf, size_t cap) {
  return write_scaled(d.value < 0, magnitude_of(d.value), d.scale, buf, cap);
}

/* ---------------------------------------------------------------- format */

char *model_amount_format(const model_amount *a, int decimals, char *buf,
                          size_t cap) {
  if (cap)
    buf[0] = 0;
  if (!a || !a->present)
    return buf;
  if (decimals < 0)
    decimals = a->scale;
  if (decimals > MODEL_MAX_SCALE)
    decimals = MODEL_MAX_SCALE;
  uint64_t m = magnitude_of(a->value);
  if (decimals >= a->scale) {
    /* Widening cannot overflow: at most 6 + 6 decimals of a value that
     * fit in int64 with its own scale would, so widen in two steps via
     * the whole and fraction parts. */
    uint64_t p = (uint64_t)pow10_table[a->scale];
    uint64_t whole = m / p, frac = m % p;
    frac *= (uint64_t)pow10_table[decimals - a->scale];
    const char *sign = a->value < 0 && m ? "-" : "";
    if (decimals == 0)
      snprintf(buf, cap, "%s%llu", sign, (unsigned long long)whole);
    else
      snprintf(buf, cap, "%s%llu.%0*llu", sign, (unsigned long long)whole,
               decimals, (unsigned long long)frac);
    return buf;
  }
  uint64_t drop = (uint64_t)pow10_table[a->scale - decimals];
  uint64_t q = m / drop, r = m % drop;
  if (r * 2 >= drop) /* half away from zero */
    q++;
  return write_scaled(a->value < 0, q, decimals, buf, cap);
}

bool model_amount_fits(const model_amount *a, int decimals) {
  if (!a || !a->present || decimals >= a->scale)
    return true;
  if (decimals < 0)
    return true;
  return a->value % pow10_table[a->scale - decimals] == 0;
}

int model_amount_compare(const model_amount *a, const model_amount *b) {
  return decimal_compare(decimal_from_amount(a), decimal_from_amount(b));
}
