/* SPDX-License-Identifier: MIT */
/* computed.c — the figure of a computed column (schema `computed:`): a
 * sum or difference of the row's other columns, or a ratio of two of them
 * as a percentage with a stated number of decimals.  Exact: the ratio is
 * the integer quotient of the two decimals brought to one scale, rounded
 * half away from zero (四舍五入) on the exact remainder; no floating point.
 * The loader fills a computed cell the data leaves out; `check` compares
 * a written one with it. */
#include "model_imp.h"

static bool pow10_mul(__int128 *x, int n) {
  const __int128 limit = (__int128)1 << 120;
  for (int i = 0; i < n; i++) {
    if (*x > limit / 10 || *x < -(limit / 10))
      return false;
    *x *= 10;
  }
  return true;
}

static bool compute_linear(const schema_column *c, const model_amount *cells,
                           decimal *out, bool *overflow) {
  decimal sum = {0, 0};
  bool any = false;
  for (size_t i = 0; i < c->nterms; i++) {
    const model_amount *a = &cells[c->terms[i]];
    any |= a->present;
    decimal d = decimal_from_amount(a);
    if (c->signs[i] < 0)
      d.value = -d.value;
    if (!decimal_add(sum, d, &sum)) {
      *overflow = true;
      return false;
    }
  }
  *out = sum;
  return any;
}

static bool compute_ratio(const schema_column *c, const model_amount *cells,
                          decimal *out, bool *overflow) {
  const model_amount *num = &cells[c->terms[0]], *den = &cells[c->terms[1]];
  if (!den->present || den->value == 0)
    return false; /* no rate of nothing */
  /* num/den × 100 at `decimals` decimals: (n·10^(ds+2+k)) / (d·10^ns). */
  __int128 x = num->present ? num->value : 0;
  __int128 y = den->value;
  int ns = num->present ? num->scale : 0;
  if (!pow10_mul(&x, den->scale + 2 + c->decimals) || !pow10_mul(&y, ns)) {
    *overflow = true;
    return false;
  }
  __int128 q = x / y, r = x % y;
  __int128 ar = r < 0 ? -r : r, ay = y < 0 ? -y : y;
  if (2 * ar >= ay)
    q += (x < 0) == (y < 0) ? 1 : -1;
  if (q > INT64_MAX || q < -INT64_MAX) {
    *overflow = true;
    return false;
  }
  *out = (decimal){(int64_t)q, c->decimals};
  return true;
}

bool schema_column_compute(const schema_column *c, const model_amount *cells,
                           decimal *out, bool *overflow) {
  *overflow = false;
  switch (c->compute) {
  case COMPUTE_LINEAR:
    return compute_linear(c, cells, out, overflow);
  case COMPUTE_RATIO:
    return compute_ratio(c, cells, out, overflow);
  case COMPUTE_NONE:
    break;
  }
  return false;
}
