/* SPDX-License-Identifier: MIT */
/* check.c — the arithmetic a schema declares, run over a loaded model.
 *
 * Rules run in a fixed order: for each table (schema order) and side,
 * parents against their children from the deepest level up, then the
 * sub-total rows against the rows they name, then the total row against
 * the top-level rows (or the rows its rule names), then the sums within
 * each row, then the computed columns as written; then the identities
 * between tables (an item label one names must be a row); then the
 * performance sheets.  Columns that are not summed (rates, computed
 * columns) take no part in parents' and totals' sums.
 *
 * Every cell has an effective value, its figure as written (absent counts
 * as 0).  The aim is one finding per mistake, at the cell that is wrong.
 * When a parent (or total) does not equal the sum of its rows, the row
 * to blame is the one whose own row sum fails and is mended by the
 * difference — where a row and a column disagree by the same amount, the
 * cell where they cross is wrong.  Failing that, the parent is reported;
 * it takes the sum as its value for later rules only when that mends
 * other rules about it (its row sums, the sum above it, a blank), so a
 * wrong class row is reported once and not again by the total, while a
 * right parent over a wrong row does not carry the error upwards.  A
 * row-sum mismatch (合计 ≠ 基本支出 + 项目支出) says only that one of its
 * cells is wrong, so it corrects nothing. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

#define ABSENT_TEXT "（空）"

typedef struct cell {
  decimal eff;
  bool corrected;
} cell;

typedef struct side_work {
  const model_table *table;
  const model_side *side;
  const schema_side *ss;
  const char *name;      /* "表三", "表一 income" */
  cell *cells;           /* nrows × ncolumns */
  cell *total;           /* ncolumns, or NULL */
  int *parent;           /* per row, -1 for a top-level row */
  size_t *child_start;   /* children of row i: child_list[child_start[i] ..
                            child_start[i + 1]) */
  size_t *child_list;
  size_t *top;           /* rows without a parent, in row order */
  size_t ntop;
  size_t *by_code;       /* coded rows: row indices sorted by code, then
                            by row */
  size_t ncoded;
} side_work;

typedef struct checker {
  const model *m;
  const schema *s;
  arena *a; /* scratch for this run */
  model_finding_fn fn;
  void *ctx;
  size_t count;
  side_work **work; /* [table][side] */
  bbuf msg;
  const char *sum_what; /* settle_sum's name for the rows it adds up, when
                           not the children or the top-level rows */
  /* Per project (register order): its amount in the projects' table and
   * how many rows give it, summed once for all sheets. */
  struct project_total {
    decimal amount;
    size_t nrows;
    bool overflow;
  } *project_totals;
} checker;

/* ---------------------------------------------------------------- findings */

static void emit(checker *c, model_finding *f) {
  f->message = c->msg.data ? c->msg.data : "";
  c->count++;
  if (c->fn)
    c->fn(f, c->ctx);
  c->msg.len = 0;
  if (c->msg.data)
    c->msg.data[0] = 0;
}

static char *fmt_decimal(checker *c, decimal d) {
  char buf[48];
  return arena_strdup(c->a, decimal_format(d, buf, sizeof buf));
}

/* A cell as found: its figure as written, or （空）; and what an earlier
 * rule took it as, if it was corrected. */
static void put_found(checker *c, const model_amount *a, const cell *k) {
  bbuf_puts(&c->msg, a->present ? a->text : ABSENT_TEXT);
  if (k && k->corrected)
    bbuf_printf(&c->msg, _(" (taken as %s above)"), fmt_decimal(c, k->eff));
}

static void put_row(checker *c, const side_work *w, const model_row *r) {
  bbuf_puts(&c->msg, w->name);
  if (r->is_total) {
    bbuf_puts(&c->msg, _(" total row"));
    return;
  }
  if (w->side->kind == MODEL_ROWS_RECORD)
    return;
  bbuf_puts(&c->msg, _(" row"));
  if (r->code)
    bbuf_printf(&c->msg, " %s", r->code);
  if (r->name.text)
    bbuf_printf(&c->msg, " %s", r->name.text);
  if (r->project)
    bbuf_printf(&c->msg, " / %s", r->project->name.text
                                      ? r->project->name.text
                                      : r->project->id);
}

static model_amount expected_amount(decimal d) {
  model_amount a = {0};
  a.present = true;
  a.value = d.value;
  a.scale = d.scale;
  return a;
}

static cell *cell_of(side_work *w, const model_row *r, size_t col) {
  if (r->is_total)
    return &w->total[col];
  size_t i = (size_t)(r - w->side->rows);
  return &w->cells[i * w->side->ncolumns + col];
}

/* ---------------------------------------------------------------- setup */

typedef struct coded_row {
  const char *code;
  size_t row;
} coded_row;

static int coded_row_cmp(const void *x, const void *y) {
  const coded_row *a = x, *b = y;
  int k = strcmp(a->code, b->code);
  if (k)
    return k;
  return a->row < b->row ? -1 : a->row > b->row;
}

/* The first row (in data order) with this code, or -1; [*from, *to) is
 * the range of by_code holding every row with it. */
static long find_code(const side_work *w, const char *code, size_t *from,
                      size_t *to) {
  size_t lo = 0, hi = w->ncoded;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(w->side->rows[w->by_code[mid]].code, code) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < w->ncoded && !strcmp(w->side->rows[w->by_code[end]].code, code))
    end++;
  if (from)
    *from = lo;
  if (to)
    *to = end;
  return lo < end ? (long)w->by_code[lo] : -1;
}

static void compute_parents(checker *c, side_work *w) {
  const model_side *s = w->side;
  w->parent = ARENA_ARRAY(c->a, int, s->nrows ? s->nrows : 1);
  if (s->kind == MODEL_ROWS_CODED) {
    char prefix[64];
    for (size_t i = 0; i < s->nrows; i++) {
      const model_row *r = &s->rows[i];
      w->parent[i] = -1;
      for (int k = r->level - 1; k >= 0 && w->parent[i] < 0; k--) {
        size_t len = (size_t)s->levels[k].digits;
        if (len >= sizeof prefix || len > strlen(r->code))
          continue;
        memcpy(prefix, r->code, len);
        prefix[len] = 0;
        long p = find_code(w, prefix, NULL, NULL);
        if (p >= 0)
          w->parent[i] = (int)p;
      }
    }
  } else if (s->kind == MODEL_ROWS_ITEMS) {
    /* An outline: a row's parent is the nearest row above it with a
     * smaller level. */
    for (size_t i = 0; i < s->nrows; i++) {
      w->parent[i] = -1;
      for (size_t j = i; j-- > 0;)
        if (s->rows[j].level < s->rows[i].level) {
          w->parent[i] = (int)j;
          break;
        }
    }
  } else {
    for (size_t i = 0; i < s->nrows; i++)
      w->parent[i] = -1;
  }
}

static void setup_side(checker *c, side_work *w, const model_table *t,
                       const model_side *s, const schema_side *ss) {
  w->table = t;
  w->side = s;
  w->ss = ss;
  w->name = s->id ? arena_printf(c->a, "%s %s", t->id, s->id) : t->id;
  size_t ncol = s->ncolumns;
  w->cells = ARENA_ARRAY(c->a, cell, s->nrows * ncol + 1);
  for (size_t i = 0; i < s->nrows; i++)
    for (size_t k = 0; k < ncol; k++)
      w->cells[i * ncol + k].eff = decimal_from_amount(&s->rows[i].amounts[k]);
  if (s->total) {
    w->total = ARENA_ARRAY(c->a, cell, ncol);
    for (size_t k = 0; k < ncol; k++)
      w->total[k].eff = decimal_from_amount(&s->total->amounts[k]);
  }
  if (s->kind == MODEL_ROWS_CODED) {
    coded_row *sorted = xmalloc((s->nrows + 1) * sizeof *sorted);
    for (size_t i = 0; i < s->nrows; i++)
      if (s->rows[i].code)
        sorted[w->ncoded++] = (coded_row){s->rows[i].code, i};
    qsort(sorted, w->ncoded, sizeof *sorted, coded_row_cmp);
    w->by_code = ARENA_ARRAY(c->a, size_t, s->nrows + 1);
    for (size_t i = 0; i < w->ncoded; i++)
      w->by_code[i] = sorted[i].row;
    free(sorted);
  }
  compute_parents(c, w);
  /* Children of each row as index lists (a counting sort by parent), and
   * the top-level rows. */
  size_t n = s->nrows;
  w->child_start = ARENA_ARRAY(c->a, size_t, n + 1);
  w->child_list = ARENA_ARRAY(c->a, size_t, n + 1);
  w->top = ARENA_ARRAY(c->a, size_t, n + 1);
  for (size_t i = 0; i < n; i++)
    if (w->parent[i] >= 0)
      w->child_start[w->parent[i] + 1]++;
    else
      w->top[w->ntop++] = i;
  for (size_t i = 0; i < n; i++)
    w->child_start[i + 1] += w->child_start[i];
  size_t *fill = ARENA_ARRAY(c->a, size_t, n + 1);
  for (size_t i = 0; i < n; i++)
    if (w->parent[i] >= 0) {
      size_t p = (size_t)w->parent[i];
      w->child_list[w->child_start[p] + fill[p]++] = i;
    }
  /* Sub-total rows add up rows above them, not into the total; a total
   * with its own rule adds up the rows it names. */
  if (ss->nsubtotals || ss->total_parts) {
    size_t k = 0;
    for (size_t i = 0; i < w->ntop; i++) {
      const char *label = s->rows[w->top[i]].name.text;
      bool drop = false;
      for (size_t j = 0; j < ss->nsubtotals && !drop; j++)
        drop = label && !strcmp(label, ss->subtotals[j].target);
      if (ss->total_parts) {
        drop = true;
        for (size_t j = 0; j < ss->ntotal_parts && drop; j++)
          drop = !label || strcmp(label, ss->total_parts[j]);
      }
      if (!drop)
        w->top[k++] = w->top[i];
    }
    w->ntop = k;
  }
}

/* ---------------------------------------------------------------- hierarchy */

static int parent_order_cmp(const void *x, const void *y) {
  const int *a = x, *b = y; /* pairs: level, row */
  if (a[0] != b[0])
    return a[0] > b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* A finding about cell (r, col), found wrong where `expected` was due; the
 * message so far names the table, row and column and what was found
 * (with what an earlier rule took it as, if corrected) — the caller says
 * why it is expected. */
static model_finding row_finding(checker *c, model_rule rule,
                                 side_work *w, const model_row *r,
                                 size_t col, decimal expected) {
  model_finding f = {0};
  f.rule = rule;
  f.pos = r->amounts[col].pos;
  f.table = w->table->id;
  f.side = w->side->id;
  f.row = r;
  f.column = w->side->columns[col];
  f.found = r->amounts[col];
  f.expected = expected_amount(expected);
  put_row(c, w, r);
  bbuf_printf(&c->msg, _(", %s: found "), f.column);
  put_found(c, &r->amounts[col], cell_of(w, r, col));
  return f;
}

static void overflow_finding(checker *c, model_rule rule, side_work *w,
                             const model_row *r, size_t col) {
  model_finding f = {0};
  f.rule = rule;
  f.pos = r->amounts[col].pos;
  f.table = w->table->id;
  f.side = w->side->id;
  f.row = r;
  f.column = w->side->columns[col];
  f.found = r->amounts[col];
  put_row(c, w, r);
  bbuf_printf(&c->msg, _(", %s: the figures are too large to add up exactly"),
              f.column);
  emit(c, &f);
}

/* Do the row sums of r that involve column col hold with (r, col) taken
 * as v?  *involved is set if any involves col. */
static bool row_sums_hold_with(side_work *w, const model_row *r, size_t col,
                               decimal v, bool *involved) {
  for (size_t k = 0; k < w->ss->nrow_sums; k++) {
    const schema_sum *rule = &w->ss->row_sums[k];
    bool uses = (size_t)rule->target == col;
    for (size_t i = 0; i < rule->nparts; i++)
      uses |= (size_t)rule->parts[i] == col;
    if (!uses)
      continue;
    *involved = true;
    decimal sum = {0, 0};
    for (size_t i = 0; i < rule->nparts; i++) {
      size_t p = (size_t)rule->parts[i];
      if (!decimal_add(sum, p == col ? v : cell_of(w, r, p)->eff, &sum))
        return false;
    }
    size_t t = (size_t)rule->target;
    if (decimal_compare(sum, t == col ? v : cell_of(w, r, t)->eff))
      return false;
  }
  return true;
}

/* Does a row-sum rule hold over the values vals[0..ncolumns)? */
static bool rule_holds(const schema_sum *rule, const decimal *vals) {
  decimal sum = {0, 0};
  for (size_t i = 0; i < rule->nparts; i++)
    if (!decimal_add(sum, vals[rule->parts[i]], &sum))
      return false;
  return decimal_compare(sum, vals[rule->target]) == 0;
}

/* "合计 = 人员经费 + 公用经费 (1.4 = 0 + 1.4)" for the first rule of r that
 * involves col, with (r, col) taken as v. */
static void put_rule_with(checker *c, side_work *w, const model_row *r,
                          size_t col, decimal v) {
  for (size_t k = 0; k < w->ss->nrow_sums; k++) {
    const schema_sum *rule = &w->ss->row_sums[k];
    bool uses = (size_t)rule->target == col;
    for (size_t i = 0; i < rule->nparts; i++)
      uses |= (size_t)rule->parts[i] == col;
    if (!uses)
      continue;
    size_t t = (size_t)rule->target;
    bbuf_printf(&c->msg, "%s =", w->side->columns[t]);
    for (size_t i = 0; i < rule->nparts; i++)
      bbuf_printf(&c->msg, "%s %s", i ? " +" : "",
                  w->side->columns[rule->parts[i]]);
    bbuf_printf(&c->msg, " (%s =",
                fmt_decimal(c, t == col ? v : cell_of(w, r, t)->eff));
    for (size_t i = 0; i < rule->nparts; i++) {
      size_t p = (size_t)rule->parts[i];
      bbuf_printf(&c->msg, "%s %s", i ? " +" : "",
                  fmt_decimal(c, p == col ? v : cell_of(w, r, p)->eff));
    }
    bbuf_puts(&c->msg, ")");
    return;
  }
}

/* The rows a row is summed with (its parent's children, or the top-level
 * rows under the total) and that sum's target; false if there is none. */
static bool upper_sum_of(side_work *w, size_t row, const model_row **target,
                         const size_t **rows, size_t *nrows) {
  int p = w->parent[row];
  if (p >= 0) {
    if (!w->ss->hierarchy)
      return false;
    *target = &w->side->rows[p];
    *rows = w->child_list + w->child_start[p];
    *nrows = w->child_start[p + 1] - w->child_start[p];
    return true;
  }
  if (!w->ss->total || !w->side->total)
    return false;
  *target = w->side->total;
  *rows = w->top;
  *nrows = w->ntop;
  return true;
}

/* Does target = Σ rows hold in column col, with `row` taken as v? */
static bool sum_holds_with(side_work *w, const model_row *target,
                           const size_t *rows, size_t nrows, size_t col,
                           size_t row, decimal v) {
  decimal sum = {0, 0};
  for (size_t k = 0; k < nrows; k++) {
    decimal x = rows[k] == row ? v : cell_of(w, &w->side->rows[rows[k]], col)->eff;
    if (!decimal_add(sum, x, &sum))
      return false;
  }
  return decimal_compare(sum, cell_of(w, target, col)->eff) == 0;
}

/* Should the target take the sums found for it in later rules?  Only if
 * that mends at least as many other rules about it (its row sums, the sum
 * it is part of) as it breaks, and some; a blank target counts as one
 * mended.  A target right as written, with a wrong row under it, must not
 * carry the error further up. */
static bool corrections_supported(checker *c, side_work *w,
                                  const model_row *target,
                                  const bool *mismatch, const decimal *sums) {
  const model_side *s = w->side;
  size_t ncol = s->ncolumns;
  decimal *written = ARENA_ARRAY(c->a, decimal, ncol);
  decimal *fixed = ARENA_ARRAY(c->a, decimal, ncol);
  for (size_t col = 0; col < ncol; col++) {
    written[col] = cell_of(w, target, col)->eff;
    fixed[col] = mismatch[col] ? sums[col] : written[col];
  }
  int support = 0, against = 0;
  /* A blank where the rows hold figures is an omission in itself. */
  for (size_t col = 0; col < ncol; col++)
    support += mismatch[col] && !target->amounts[col].present;
  for (size_t k = 0; k < w->ss->nrow_sums; k++) {
    bool before = rule_holds(&w->ss->row_sums[k], written);
    bool after = rule_holds(&w->ss->row_sums[k], fixed);
    support += !before && after;
    against += before && !after;
  }
  const model_row *up;
  const size_t *rows;
  size_t nrows;
  if (!target->is_total &&
      upper_sum_of(w, (size_t)(target - s->rows), &up, &rows, &nrows)) {
    size_t self = (size_t)(target - s->rows);
    for (size_t col = 0; col < ncol; col++) {
      if (!mismatch[col])
        continue;
      bool before = sum_holds_with(w, up, rows, nrows, col, self,
                                   written[col]);
      bool after = sum_holds_with(w, up, rows, nrows, col, self, fixed[col]);
      support += !before && after;
      against += before && !after;
    }
  }
  /* A tie is the row's own sums agreeing against the sum above it, which
   * may itself be wrong (a class row left blank): the row wins. */
  return support > 0 && support >= against;
}

/* The sum rule "target = the sum of these rows", in every column: the
 * hierarchy (target a parent row, rows its children) or the total (target
 * the total row, rows the top-level ones).  Where a column does not add
 * up, the wrong cell is one of the rows if exactly one of them fails its
 * own row sums and changing it by the difference mends both (it then
 * takes that value); otherwise the target is reported, and takes the sum
 * if corrections_supported says so. */
static void settle_sum(checker *c, side_work *w, model_rule rule,
                       const model_row *target, const size_t *rows,
                       size_t nrows) {
  const model_side *s = w->side;
  size_t ncol = s->ncolumns;
  bool *mismatch = ARENA_ARRAY(c->a, bool, ncol);
  decimal *sums = ARENA_ARRAY(c->a, decimal, ncol);
  bool any = false;
  for (size_t col = 0; col < ncol; col++) {
    if (!w->ss->colspecs[col].summed)
      continue; /* rates, 行次, computed columns */
    decimal sum = {0, 0};
    bool overflow = false;
    for (size_t k = 0; k < nrows && !overflow; k++)
      overflow = !decimal_add(sum, cell_of(w, &s->rows[rows[k]], col)->eff,
                              &sum);
    cell *tc = cell_of(w, target, col);
    decimal diff; /* what the rows have too much */
    if (overflow ||
        !decimal_add(sum, (decimal){-tc->eff.value, tc->eff.scale}, &diff)) {
      overflow_finding(c, rule, w, target, col);
      continue;
    }
    if (diff.value == 0)
      continue;
    long blamed = -1;
    decimal blamed_value = {0, 0};
    for (size_t k = 0; k < nrows && blamed != -2; k++) {
      const model_row *r = &s->rows[rows[k]];
      cell *rc = cell_of(w, r, col);
      decimal v;
      bool involved = false;
      if (row_sums_hold_with(w, r, col, rc->eff, &involved) || !involved)
        continue;
      if (!decimal_add(rc->eff, (decimal){-diff.value, diff.scale}, &v) ||
          !row_sums_hold_with(w, r, col, v, &involved))
        continue;
      blamed = blamed == -1 ? (long)rows[k] : -2;
      blamed_value = v;
    }
    if (blamed < 0) {
      mismatch[col] = true;
      sums[col] = sum;
      any = true;
      continue;
    }
    const model_row *r = &s->rows[blamed];
    cell *rc = cell_of(w, r, col);
    model_finding f = row_finding(c, rule, w, r, col, blamed_value);
    bbuf_printf(&c->msg, _(", expected %s so that "),
                fmt_decimal(c, blamed_value));
    put_rule_with(c, w, r, col, blamed_value);
    if (c->sum_what)
      bbuf_printf(&c->msg, _(" and %s is the sum of %s"),
                  target->is_total ? _("the total row") : target->name.text,
                  c->sum_what);
    else if (target->is_total)
      bbuf_puts(&c->msg,
                _(" and the total row is the sum of the top-level rows"));
    else
      bbuf_printf(&c->msg, _(" and row %s is the sum of the rows under it"),
                  target->code ? target->code : target->name.text);
    emit(c, &f);
    rc->eff = blamed_value;
    rc->corrected = true;
  }
  if (!any)
    return;
  bool take = corrections_supported(c, w, target, mismatch, sums);
  for (size_t col = 0; col < ncol; col++) {
    if (!mismatch[col])
      continue;
    cell *tc = cell_of(w, target, col);
    model_finding f = row_finding(c, rule, w, target, col, sums[col]);
    bbuf_printf(&c->msg, _(", expected %s = the sum of "),
                fmt_decimal(c, sums[col]));
    if (c->sum_what)
      bbuf_puts(&c->msg, c->sum_what);
    else if (target->is_total)
      bbuf_puts(&c->msg, _("the top-level rows"));
    else if (nrows && s->rows[rows[0]].level_name)
      bbuf_printf(&c->msg, _("its %s rows"), s->rows[rows[0]].level_name);
    else
      bbuf_puts(&c->msg, _("the rows under it"));
    /* Rows an earlier finding corrected: say what they counted as. */
    size_t shown = 0;
    for (size_t k = 0; k < nrows; k++) {
      const model_row *r = &s->rows[rows[k]];
      const cell *rc = cell_of(w, r, col);
      if (rc->corrected)
        bbuf_printf(&c->msg, _("%s%s as %s"), shown++ ? ", " : _(", taking "),
                    r->code ? r->code : r->name.text,
                    fmt_decimal(c, rc->eff));
    }
    emit(c, &f);
    if (take) {
      tc->eff = sums[col];
      tc->corrected = true;
    }
  }
}

static void check_hierarchy(checker *c, side_work *w) {
  const model_side *s = w->side;
  size_t n = s->nrows;
  if (!w->ss->hierarchy || n == 0)
    return;
  /* Parents, deepest level first, so children are settled when used. */
  int *order = ARENA_ARRAY(c->a, int, 2 * n);
  size_t nparents = 0;
  for (size_t i = 0; i < n; i++)
    if (w->child_start[i + 1] > w->child_start[i]) {
      order[2 * nparents] = s->rows[i].level;
      order[2 * nparents + 1] = (int)i;
      nparents++;
    }
  qsort(order, nparents, 2 * sizeof *order, parent_order_cmp);
  for (size_t o = 0; o < nparents; o++) {
    size_t p = (size_t)order[2 * o + 1];
    settle_sum(c, w, MODEL_RULE_HIERARCHY, &s->rows[p],
               w->child_list + w->child_start[p],
               w->child_start[p + 1] - w->child_start[p]);
  }
}

/* ---------------------------------------------------------------- totals */

/* The row of an items side with this label, or -1. */
static long row_labelled(const side_work *w, const char *label) {
  for (size_t i = 0; i < w->side->nrows; i++)
    if (w->side->rows[i].name.text &&
        !strcmp(w->side->rows[i].name.text, label))
      return (long)i;
  return -1;
}

/* A rule over rows named by label needs each of them: a missing one is a
 * finding at the side (it would read as blank and check nothing). */
static bool labels_exist(checker *c, side_work *w, const char *target,
                         const char *const *labels, size_t n,
                         const char *rule) {
  bool all = true;
  for (size_t i = 0; i <= n; i++) {
    const char *label = i < n ? labels[i] : target;
    if (!label || row_labelled(w, label) >= 0)
      continue;
    all = false;
    model_finding f = {0};
    f.rule = MODEL_RULE_SUBTOTAL;
    f.pos = w->side->pos;
    f.table = w->table->id;
    f.side = w->side->id;
    bbuf_printf(&c->msg,
                "%s has no row '%s', which the rule '%s' needs; add the "
                "row (its cells may be left blank)",
                w->name, label, rule);
    emit(c, &f);
  }
  return all;
}

static void check_total(checker *c, side_work *w) {
  if (!w->ss->total || !w->side->total)
    return;
  if (!w->ss->total_parts) {
    settle_sum(c, w, MODEL_RULE_TOTAL, w->side->total, w->top, w->ntop);
    return;
  }
  bbuf names = {0};
  for (size_t i = 0; i < w->ss->ntotal_parts; i++)
    bbuf_printf(&names, "%s%s", i ? " + " : "", w->ss->total_parts[i]);
  if (labels_exist(c, w, NULL, w->ss->total_parts, w->ss->ntotal_parts,
                   arena_printf(c->a, "total = %s", names.data))) {
    c->sum_what = arena_strdup(c->a, names.data);
    settle_sum(c, w, MODEL_RULE_TOTAL, w->side->total, w->top, w->ntop);
    c->sum_what = NULL;
  }
  bbuf_free(&names);
}

/* Sub-total rows, each the sum of the rows its rule names; before the
 * total, which may add them up. */
static void check_subtotals(checker *c, side_work *w) {
  const schema_side *ss = w->ss;
  for (size_t k = 0; k < ss->nsubtotals; k++) {
    const schema_subtotal *st = &ss->subtotals[k];
    if (!labels_exist(c, w, st->target, st->parts, st->nparts, st->text))
      continue;
    size_t *rows = ARENA_ARRAY(c->a, size_t, st->nparts);
    bbuf names = {0};
    for (size_t i = 0; i < st->nparts; i++) {
      rows[i] = (size_t)row_labelled(w, st->parts[i]);
      bbuf_printf(&names, "%s%s", i ? " + " : "", st->parts[i]);
    }
    c->sum_what = arena_strdup(c->a, names.data);
    settle_sum(c, w, MODEL_RULE_SUBTOTAL,
               &w->side->rows[row_labelled(w, st->target)], rows, st->nparts);
    c->sum_what = NULL;
    bbuf_free(&names);
  }
}

/* ---------------------------------------------------------------- computed */

/* A computed column's written figure against its computation (a cell the
 * data left out was filled in by the loader and is right by making). */
static void check_computed_of(checker *c, side_work *w, const model_row *r) {
  const model_side *s = w->side;
  for (size_t col = 0; col < s->ncolumns; col++) {
    const schema_column *spec = &w->ss->colspecs[col];
    const model_amount *a = &r->amounts[col];
    if (spec->compute == COMPUTE_NONE || a->computed)
      continue;
    decimal want;
    bool overflow;
    bool has = schema_column_compute(spec, r->amounts, &want, &overflow);
    if (overflow) {
      overflow_finding(c, MODEL_RULE_COMPUTED, w, r, col);
      continue;
    }
    if (!has && !a->present)
      continue;
    if (has && a->present &&
        decimal_compare(want, decimal_from_amount(a)) == 0)
      continue;
    model_finding f = row_finding(c, MODEL_RULE_COMPUTED, w, r, col,
                                  has ? want : (decimal){0, 0});
    if (!has) {
      f.expected.present = false;
      bbuf_printf(&c->msg, ", expected %s: %s has no figure", ABSENT_TEXT,
                  spec->text);
      emit(c, &f);
      continue;
    }
    bbuf_printf(&c->msg, ", expected %s = %s", fmt_decimal(c, want),
                spec->text);
    if (spec->compute == COMPUTE_RATIO)
      bbuf_printf(&c->msg, " as a percentage (%d decimals)", spec->decimals);
    bbuf_puts(&c->msg, " (");
    for (size_t i = 0; i < spec->nterms; i++) {
      const model_amount *o = &r->amounts[spec->terms[i]];
      if (i)
        bbuf_puts(&c->msg, spec->compute == COMPUTE_RATIO ? " / "
                           : spec->signs[i] < 0          ? " - "
                                                         : " + ");
      bbuf_puts(&c->msg, o->present ? o->text : ABSENT_TEXT);
    }
    bbuf_puts(&c->msg, ")");
    emit(c, &f);
  }
}

static void check_computed(checker *c, side_work *w) {
  for (size_t i = 0; i < w->side->nrows; i++)
    check_computed_of(c, w, &w->side->rows[i]);
  if (w->side->total)
    check_computed_of(c, w, w->side->total);
}

/* ---------------------------------------------------------------- row sums */

static void check_row_sums_of(checker *c, side_work *w, const model_row *r) {
  const schema_side *ss = w->ss;
  for (size_t k = 0; k < ss->nrow_sums; k++) {
    const schema_sum *rule = &ss->row_sums[k];
    decimal sum = {0, 0};
    bool overflow = false;
    for (size_t i = 0; i < rule->nparts && !overflow; i++)
      overflow = !decimal_add(sum, cell_of(w, r, (size_t)rule->parts[i])->eff,
                              &sum);
    size_t t = (size_t)rule->target;
    if (overflow) {
      overflow_finding(c, MODEL_RULE_ROW_SUM, w, r, t);
      continue;
    }
    const cell *tc = cell_of(w, r, t);
    if (decimal_compare(sum, tc->eff) == 0)
      continue;
    model_finding f = row_finding(c, MODEL_RULE_ROW_SUM, w, r, t, sum);
    bbuf_printf(&c->msg, _(", expected %s = "), fmt_decimal(c, sum));
    /* The rule with each part's figure: 基本支出 702.04 + 项目支出 （空）. */
    for (size_t i = 0; i < rule->nparts; i++) {
      size_t p = (size_t)rule->parts[i];
      const cell *pc = cell_of(w, r, p);
      const model_amount *pa = &r->amounts[p];
      bbuf_printf(&c->msg, "%s%s ", i ? " + " : "", w->side->columns[p]);
      if (pc->corrected)
        bbuf_puts(&c->msg, fmt_decimal(c, pc->eff));
      else
        bbuf_puts(&c->msg, pa->present ? pa->text : ABSENT_TEXT);
    }
    emit(c, &f);
  }
}

static void check_row_sums(checker *c, side_work *w) {
  for (size_t i = 0; i < w->side->nrows; i++)
    check_row_sums_of(c, w, &w->side->rows[i]);
  if (w->side->total)
    check_row_sums_of(c, w, w->side->total);
}

/* ---------------------------------------------------------------- identities */

typedef struct operand {
  decimal sum;
  const model_amount *cell; /* the one cell, if the operand is one cell */
  const cell *state;        /* its state */
  const model_row *row;     /* the (first) row, if any */
  side_work *w;
  size_t ncells;
  bool overflow;
} operand;

static void eval_ref(checker *c, const schema_ref *ref, const char *code,
                     operand *op) {
  memset(op, 0, sizeof *op);
  side_work *w = &c->work[ref->table][ref->side];
  const model_side *s = w->side;
  size_t col = (size_t)ref->column;
  op->w = w;
  const model_row *rows[1] = {NULL}; /* -O3 cannot see that the switch is total */
  switch (ref->kind) {
  case REF_TOTAL:
    rows[0] = s->total;
    break;
  case REF_RECORD:
    rows[0] = s->nrows ? &s->rows[0] : NULL;
    break;
  case REF_ROW:
  case REF_EACH: {
    const char *key = ref->kind == REF_EACH ? code : ref->key;
    if (s->kind == MODEL_ROWS_CODED) {
      size_t from, to;
      find_code(w, key, &from, &to);
      for (size_t k = from; k < to && !op->overflow; k++) {
        const model_row *r = &s->rows[w->by_code[k]];
        if (!op->row)
          op->row = r;
        op->cell = &r->amounts[col];
        op->state = cell_of(w, r, col);
        op->overflow = !decimal_add(op->sum, op->state->eff, &op->sum);
        op->ncells++;
      }
    } else {
      for (size_t i = 0; i < s->nrows && !op->overflow; i++) {
        const model_row *r = &s->rows[i];
        if (!r->name.text || strcmp(r->name.text, key))
          continue;
        if (!op->row)
          op->row = r;
        op->cell = &r->amounts[col];
        op->state = cell_of(w, r, col);
        op->overflow = !decimal_add(op->sum, op->state->eff, &op->sum);
        op->ncells++;
      }
    }
    if (op->ncells != 1) {
      op->cell = NULL;
      op->state = NULL;
    }
    return;
  }
  }
  if (!rows[0])
    return;
  op->row = rows[0];
  op->cell = &rows[0]->amounts[col];
  op->state = cell_of(w, rows[0], col);
  op->sum = op->state->eff;
  op->ncells = 1;
}

/* The operand as written in the schema, with [*] filled in. */
static void put_ref(checker *c, const schema_ref *ref, const char *code) {
  const schema_table *t = &c->s->tables[ref->table];
  const schema_side *ss = &t->sides[ref->side];
  bbuf_puts(&c->msg, t->id);
  if (t->two_sided)
    bbuf_printf(&c->msg, ".%s", ss->id);
  switch (ref->kind) {
  case REF_TOTAL:
    bbuf_puts(&c->msg, ".total");
    break;
  case REF_ROW:
    bbuf_printf(&c->msg, "[%s]", ref->key);
    break;
  case REF_EACH:
    bbuf_printf(&c->msg, "[%s]", code);
    break;
  case REF_RECORD:
    break;
  }
  bbuf_printf(&c->msg, ".%s", ss->columns[ref->column]);
}

/* The figure of an operand for a message. */
static void put_operand_value(checker *c, const operand *op) {
  if (op->cell)
    put_found(c, op->cell, op->state);
  else if (op->ncells == 0)
    bbuf_puts(&c->msg, ABSENT_TEXT);
  else
    bbuf_puts(&c->msg, fmt_decimal(c, op->sum));
}

static bool sum_operands(checker *c, const schema_ref *refs, size_t n,
                         const char *code, operand *ops, decimal *sum) {
  *sum = (decimal){0, 0};
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    eval_ref(c, &refs[i], code, &ops[i]);
    if (ops[i].overflow || !decimal_add(*sum, ops[i].sum, sum))
      ok = false;
  }
  return ok;
}

static void check_identity_at(checker *c, const schema_identity *id,
                              const char *code) {
  operand left[8], right[8];
  operand *lops = id->nleft <= 8 ? left : xmalloc(id->nleft * sizeof *lops);
  operand *rops =
      id->nright <= 8 ? right : xmalloc(id->nright * sizeof *rops);
  decimal lsum, rsum;
  /* Both sides are evaluated, for the message, even if one overflows. */
  bool left_ok = sum_operands(c, id->left, id->nleft, code, lops, &lsum);
  bool right_ok = sum_operands(c, id->right, id->nright, code, rops, &rsum);
  bool ok = left_ok && right_ok;
  if (!ok || decimal_compare(lsum, rsum) != 0) {
    const operand *first = &lops[0];
    model_finding f = {0};
    f.rule = MODEL_RULE_IDENTITY;
    f.table = first->w->table->id;
    f.side = first->w->side->id;
    f.row = first->row;
    f.column = first->w->side->columns[id->left[0].column];
    /* Point at the first left cell written, else its row, else any
     * right cell written, else the left table. */
    f.pos = first->w->table->pos;
    if (first->cell && first->cell->present)
      f.pos = first->cell->pos;
    else if (first->row)
      f.pos = first->row->pos;
    else
      for (size_t i = 0; i < id->nright; i++)
        if (rops[i].cell && rops[i].cell->present) {
          f.pos = rops[i].cell->pos;
          break;
        }
    if (first->cell)
      f.found = *first->cell;
    f.expected = expected_amount(rsum);
    if (id->nleft == 1 && first->row) {
      put_row(c, first->w, first->row);
      bbuf_printf(&c->msg, ", %s", f.column);
    } else {
      for (size_t i = 0; i < id->nleft; i++) {
        bbuf_puts(&c->msg, i ? " + " : "");
        put_ref(c, &id->left[i], code);
      }
    }
    bbuf_puts(&c->msg, _(": found "));
    if (!ok) {
      bbuf_puts(&c->msg, _("figures too large to add up exactly"));
    } else {
      if (id->nleft == 1)
        put_operand_value(c, first);
      else
        bbuf_puts(&c->msg, fmt_decimal(c, lsum));
      bbuf_printf(&c->msg, _(", expected %s = "), fmt_decimal(c, rsum));
      for (size_t i = 0; i < id->nright; i++) {
        bbuf_puts(&c->msg, i ? " + " : "");
        put_ref(c, &id->right[i], code);
        if (id->nright > 1) {
          bbuf_puts(&c->msg, " ");
          put_operand_value(c, &rops[i]);
        } else if (rops[i].ncells == 0 ||
                   (rops[i].cell && !rops[i].cell->present &&
                    !rops[i].state->corrected)) {
          bbuf_puts(&c->msg, " " ABSENT_TEXT);
        }
        if (rops[i].cell && rops[i].cell->present)
          bbuf_printf(&c->msg, _(" (line %d)"), rops[i].cell->pos.line);
      }
    }
    emit(c, &f);
  }
  if (lops != left)
    free(lops);
  if (rops != right)
    free(rops);
}

/* An identity naming an item's label (表一.income[财政拨款（补助）]) needs
 * that row: without it the identity would read a blank and check nothing.
 * (A classification code may be absent: a unit spends nothing under it.)
 * Reports each missing label; true if there was none. */
static bool identity_labels_exist(checker *c, const schema_identity *id) {
  bool all = true;
  for (size_t k = 0; k < id->nleft + id->nright; k++) {
    const schema_ref *r =
        k < id->nleft ? &id->left[k] : &id->right[k - id->nleft];
    side_work *w = &c->work[r->table][r->side];
    if (r->kind != REF_ROW || w->side->kind != MODEL_ROWS_ITEMS)
      continue;
    bool found = false;
    for (size_t j = 0; j < w->side->nrows && !found; j++)
      found = w->side->rows[j].name.text &&
              !strcmp(w->side->rows[j].name.text, r->key);
    if (found)
      continue;
    all = false;
    model_finding f = {0};
    f.rule = MODEL_RULE_IDENTITY;
    f.pos = w->side->pos;
    f.table = w->table->id;
    f.side = w->side->id;
    f.column = w->side->columns[r->column];
    bbuf_printf(&c->msg,
                "%s%s%s has no row '%s', which the identity '%s' (schema "
                "%s, line %d) needs; add the row (its cells may be left "
                "blank)",
                w->table->id, w->side->id ? " side " : "",
                w->side->id ? w->side->id : "", r->key, id->text,
                c->s->name ? c->s->name : c->s->path, id->pos.line);
    emit(c, &f);
  }
  return all;
}

static void check_identity(checker *c, const schema_identity *id) {
  if (!identity_labels_exist(c, id))
    return;
  if (!id->each) {
    check_identity_at(c, id, NULL);
    return;
  }
  /* Every code of the first operand's side, once, in row order. */
  side_work *w = &c->work[id->left[0].table][id->left[0].side];
  for (size_t i = 0; i < w->side->nrows; i++) {
    const model_row *r = &w->side->rows[i];
    if (!r->code || find_code(w, r->code, NULL, NULL) != (long)i)
      continue;
    check_identity_at(c, id, r->code);
  }
}

/* ---------------------------------------------------------------- sheets */

/* A finding about a sheet's fund cell t, found wrong where `expected`
 * was due; the message so far names the sheet, the fund and what was
 * found — the caller says why it is expected. */
static model_finding sheet_finding(checker *c, const model_sheet *sh,
                                   model_rule rule, const char *fund,
                                   const model_amount *t, decimal expected) {
  model_finding f = {0};
  f.rule = rule;
  f.pos = t->pos;
  f.sheet = sh;
  f.column = fund;
  f.found = *t;
  f.expected = expected_amount(expected);
  bbuf_printf(&c->msg, _("performance sheet %s, %s: found "),
              sh->title && sh->title->text ? sh->title->text : sh->project->id, fund);
  put_found(c, t, NULL);
  return f;
}

/* What names a grid row in a message: its first cell outside the
 * columns that group rows (spans: 一级指标, 二级指标), 三级指标 here. */
static const char *grid_row_name(const model_sheet *sh,
                                 const model_grid_row *r) {
  for (size_t k = 0; k < sh->ngrid_columns; k++)
    if (!sh->grid_spans[k] && r->cells[k].text && *r->cells[k].text)
      return r->cells[k].text;
  return "";
}

/* The grid's rules (schema `bounds:` and `totals:`): a row's 得分 at most
 * its 分值; the 分值 adding up to what the schema says. */
static void check_grid(checker *c, const model_sheet *sh) {
  const schema *s = c->s;
  const char *name = sh->title && sh->title->text ? sh->title->text
                                                  : sh->project->id;
  for (size_t i = 0; i < sh->nrows; i++) {
    const model_grid_row *r = &sh->rows[i];
    for (size_t k = 0; k < s->ngrid_bounds; k++) {
      int a = s->grid_bounds[k].bounded, lim = s->grid_bounds[k].limit;
      const model_amount *x = &r->amounts[a], *y = &r->amounts[lim];
      if (!x->present || !y->present ||
          decimal_compare(decimal_from_amount(x), decimal_from_amount(y)) <= 0)
        continue;
      model_finding f = sheet_finding(c, sh, MODEL_RULE_GRID,
                                      s->grid_columns[a], x,
                                      decimal_from_amount(y));
      bbuf_printf(&c->msg, _(", expected at most its %s %s (row %s)"),
                  s->grid_columns[lim], y->text, grid_row_name(sh, r));
      emit(c, &f);
    }
  }
  for (size_t k = 0; k < s->ngrid_totals; k++) {
    const struct schema_grid_total *t = &s->grid_totals[k];
    decimal sum = {0, 0};
    bool overflow = false;
    size_t given = 0;
    for (size_t i = 0; i < sh->nrows && !overflow; i++)
      if (sh->rows[i].amounts[t->column].present) {
        given++;
        overflow = !decimal_add(
            sum, decimal_from_amount(&sh->rows[i].amounts[t->column]), &sum);
      }
    if (!given || (!overflow && decimal_compare(sum, t->total) == 0))
      continue;
    model_finding f = {0};
    f.rule = MODEL_RULE_GRID;
    f.pos = sh->nrows ? sh->rows[0].pos : sh->pos;
    f.sheet = sh;
    f.column = s->grid_columns[t->column];
    f.expected = expected_amount(t->total);
    bbuf_printf(&c->msg,
                _("performance sheet %s, %s: its rows add up to %s, expected "
                  "%s (the schema's total)"),
                name, s->grid_columns[t->column],
                overflow ? _("more than can be held") : fmt_decimal(c, sum),
                t->text);
    emit(c, &f);
  }
}

static void check_sheet(checker *c, const model_sheet *sh) {
  const schema *s = c->s;
  /* Computed funds as written (执行率 = 全年执行数 / 全年预算数). */
  for (size_t k = 0; k < s->nfunds; k++) {
    const schema_column *spec = &s->fund_specs[k];
    const model_amount *a = &sh->funds[k];
    decimal want;
    bool overflow;
    if (spec->compute == COMPUTE_NONE || a->computed || !a->present)
      continue;
    bool has = schema_column_compute(spec, sh->funds, &want, &overflow);
    if (has && decimal_compare(want, decimal_from_amount(a)) == 0)
      continue;
    model_finding f = sheet_finding(c, sh, MODEL_RULE_COMPUTED,
                                    s->fund_keys[k], a,
                                    has ? want : (decimal){0, 0});
    if (has)
      bbuf_printf(&c->msg, ", expected %s = %s%s", fmt_decimal(c, want),
                  spec->text,
                  spec->compute == COMPUTE_RATIO ? " as a percentage" : "");
    else
      bbuf_printf(&c->msg, ", expected %s: %s has no figure", ABSENT_TEXT,
                  spec->text);
    emit(c, &f);
  }
  for (size_t k = 0; k < s->nfund_sums; k++) {
    const schema_sum *rule = &s->fund_sums[k];
    decimal sum = {0, 0};
    bool overflow = false;
    for (size_t i = 0; i < rule->nparts && !overflow; i++)
      overflow = !decimal_add(
          sum, decimal_from_amount(&sh->funds[rule->parts[i]]), &sum);
    const model_amount *t = &sh->funds[rule->target];
    if (!overflow && decimal_compare(sum, decimal_from_amount(t)) == 0)
      continue;
    model_finding f = sheet_finding(c, sh, MODEL_RULE_ROW_SUM,
                                    s->fund_keys[rule->target], t, sum);
    bbuf_printf(&c->msg, _(", expected %s = "), fmt_decimal(c, sum));
    for (size_t i = 0; i < rule->nparts; i++) {
      const model_amount *pa = &sh->funds[rule->parts[i]];
      bbuf_printf(&c->msg, "%s%s %s", i ? " + " : "",
                  s->fund_keys[rule->parts[i]],
                  pa->present ? pa->text : ABSENT_TEXT);
    }
    emit(c, &f);
  }
  check_grid(c, sh);
  if (s->project_fund < 0 || s->project_table < 0 || !sh->project)
    return;
  side_work *w = &c->work[s->project_table][s->project_side];
  size_t col = (size_t)s->project_column;
  if (!c->project_totals) { /* one pass over the rows, not one per sheet */
    const model *m = c->m;
    c->project_totals = ARENA_ARRAY(c->a, struct project_total, m->nprojects + 1);
    for (size_t i = 0; i < w->side->nrows; i++) {
      const model_project *p = w->side->rows[i].project;
      if (!p || p < m->projects || p >= m->projects + m->nprojects)
        continue;
      struct project_total *pt = &c->project_totals[p - m->projects];
      if (!pt->overflow)
        pt->overflow = !decimal_add(
            pt->amount, w->cells[i * w->side->ncolumns + col].eff, &pt->amount);
      pt->nrows++;
    }
  }
  const struct project_total *pt = &c->project_totals[sh->project - c->m->projects];
  decimal amount = pt->amount;
  size_t nrows = pt->nrows;
  bool overflow = pt->overflow;
  const model_amount *t = &sh->funds[s->project_fund];
  if (!overflow && decimal_compare(amount, decimal_from_amount(t)) == 0)
    return;
  model_finding f = sheet_finding(c, sh, MODEL_RULE_PROJECT,
                                  s->fund_keys[s->project_fund], t, amount);
  bbuf_printf(&c->msg, _(", expected %s = the project's %s in %s"),
              fmt_decimal(c, amount), w->side->columns[col],
              w->table->id);
  if (nrows == 1) {
    for (size_t i = 0; i < w->side->nrows; i++)
      if (w->side->rows[i].project == sh->project)
        bbuf_printf(&c->msg, _(" (line %d)"), w->side->rows[i].pos.line);
  }
  emit(c, &f);
}

/* ---------------------------------------------------------------- entry */

size_t model_check(const model *m, model_finding_fn fn, void *ctx) {
  if (!m)
    return 0;
  checker c = {0};
  c.m = m;
  c.s = m->internal->schema;
  c.a = arena_new();
  c.fn = fn;
  c.ctx = ctx;
  c.work = ARENA_ARRAY(c.a, side_work *, m->ntables);
  for (size_t t = 0; t < m->ntables; t++) {
    const model_table *mt = &m->tables[t];
    c.work[t] = ARENA_ARRAY(c.a, side_work, mt->nsides);
    for (size_t i = 0; i < mt->nsides; i++)
      setup_side(&c, &c.work[t][i], mt, &mt->sides[i],
                 &c.s->tables[t].sides[i]);
  }
  for (size_t t = 0; t < m->ntables; t++)
    for (size_t i = 0; i < m->tables[t].nsides; i++) {
      side_work *w = &c.work[t][i];
      check_hierarchy(&c, w);
      check_subtotals(&c, w);
      check_total(&c, w);
      check_row_sums(&c, w);
      check_computed(&c, w);
    }
  for (size_t k = 0; k < c.s->nidentities; k++)
    check_identity(&c, &c.s->identities[k]);
  for (size_t k = 0; k < m->nsheets; k++)
    check_sheet(&c, &m->sheets[k]);
  bbuf_free(&c.msg);
  arena_drop(c.a);
  return c.count;
}

typedef struct report_ctx {
  diag *d;
  diag_severity sev;
} report_ctx;

static void report_finding(const model_finding *f, void *ctx) {
  report_ctx *r = ctx;
  diag_report(r->d, r->sev, DIAG_CHECK, f->pos, "%s", f->message);
}

size_t model_report_findings(const model *m, diag *d, diag_severity sev) {
  report_ctx r = {d, sev};
  size_t n = model_check(m, report_finding, &r);
  return n + model_report_claims(m, d); /* figures typed by hand: claims.c */
}
