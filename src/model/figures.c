/* SPDX-License-Identifier: MIT */
/* figures.c — the one lookup of a figure by reference, shared by the
 * expressions inside text, the claim check and the layout: a table cell
 * by table, side, row (code, name or total) and column; a register
 * item's amount, name, description field or sheet fund; the names the
 * schema gives figures (收支总预算 for 表一's income total); and the
 * prior-year figures the data supplies.  The reference grammar is in
 * model.h and docs/DATA.md. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

/* A reference cut at its dots; a segment in [...] is taken as written. */
typedef struct segment {
  const char *s;
  size_t n;
} segment;

enum { MAX_SEGMENTS = 6, MAX_NAME_DEPTH = 4 };

static bool seg_is(segment g, const char *word) {
  return strlen(word) == g.n && !strncmp(g.s, word, g.n);
}

static bool seg_in(segment g, const char *const *words) {
  for (size_t i = 0; words && words[i]; i++)
    if (seg_is(g, words[i]))
      return true;
  return false;
}

static bool seg_is_digits(segment g) {
  if (!g.n)
    return false;
  for (size_t i = 0; i < g.n; i++)
    if (g.s[i] < '0' || g.s[i] > '9')
      return false;
  return true;
}

static int split_reference(const char *ref, size_t len, segment *out,
                           char *why, size_t cap) {
  int n = 0;
  size_t i = 0;
  while (len && (ref[0] == ' ' || ref[0] == '\t'))
    ref++, len--;
  while (len && (ref[len - 1] == ' ' || ref[len - 1] == '\t'))
    len--;
  if (!len) {
    model_set_why(why, cap, "an empty reference");
    return -1;
  }
  while (i < len) {
    if (n == MAX_SEGMENTS) {
      model_set_why(why, cap, "'%.*s' has more than %d parts", (int)len, ref,
              MAX_SEGMENTS);
      return -1;
    }
    size_t start = i;
    if (ref[i] == '[') {
      const char *close = memchr(ref + i, ']', len - i);
      if (!close) {
        model_set_why(why, cap, "unclosed '[' in '%.*s'", (int)len, ref);
        return -1;
      }
      out[n++] = (segment){ref + i + 1, (size_t)(close - ref) - i - 1};
      i = (size_t)(close - ref) + 1;
    } else {
      while (i < len && ref[i] != '.' && ref[i] != '[')
        i++;
      out[n++] = (segment){ref + start, i - start};
      if (i == start) {
        model_set_why(why, cap, "an empty part in '%.*s'", (int)len, ref);
        return -1;
      }
    }
    if (i < len && ref[i] == '.') {
      i++;
      if (i == len) {
        model_set_why(why, cap, "'%.*s' ends with '.'", (int)len, ref);
        return -1;
      }
    } else if (i < len && ref[i] != '[') {
      model_set_why(why, cap, "unexpected '%c' in '%.*s'", ref[i], (int)len, ref);
      return -1;
    }
  }
  return n;
}

static const schema_figures *figures_of(const model *m) {
  return m->internal->schema->figures;
}

static const model_amount *prior_of(const model *m, const void *key) {
  for (size_t i = 0; i < m->internal->nprior; i++)
    if (m->internal->prior[i].key == key)
      return &m->internal->prior[i].amount;
  return NULL;
}

/* A sum of cells: present if any is. */
static bool add_cell(model_amount *sum, const model_amount *a) {
  if (!a->present)
    return true;
  decimal total = decimal_from_amount(sum), out;
  if (!decimal_add(total, decimal_from_amount(a), &out))
    return false;
  sum->present = true;
  sum->value = out.value;
  sum->scale = out.scale;
  sum->text = NULL;
  sum->pos = a->pos;
  return true;
}

/* "did you mean" over a NULL-terminated list. */
static void why_unknown(char *why, size_t cap, const char *what, segment g,
                        const char *where, const char *const *names) {
  char *key = xstrndup(g.s, g.n);
  const char *near = names ? closest_name(key, names) : NULL;
  model_set_why(why, cap, "%s '%s'%s%s%s%s%s", what, key, where ? " " : "",
          where ? where : "", near ? "; did you mean '" : "",
          near ? near : "", near ? "'?" : "");
  free(key);
}

/* ---------------------------------------------------------------- projects */

/* The name the schema gives the part of that kind ("projects" for the
 * register), or "" if it has none: references name the part, not a
 * word of the code. */
static const char *part_name(const model *m, model_part_kind kind) {
  for (size_t i = 0; i < m->nparts; i++)
    if (m->parts[i].kind == kind)
      return m->parts[i].name;
  return "";
}

static bool lookup_project_figure(const model *m, const segment *g, int n,
                                  model_figure *out, char *why, size_t cap) {
  const schema *s = m->internal->schema;
  if (n != 3) {
    model_set_why(why, cap, "a register item is %s.ID.FIELD",
            part_name(m, MODEL_PART_REGISTER));
    return false;
  }
  char *id = xstrndup(g[1].s, g[1].n);
  const model_project *p = model_lookup_project(m, id);
  if (!p) {
    const char **ids = xcalloc(m->nprojects + 1, sizeof *ids);
    for (size_t i = 0; i < m->nprojects; i++)
      ids[i] = m->projects[i].id;
    why_unknown(why, cap, "unknown project", g[1], NULL, ids);
    free(ids);
    free(id);
    return false;
  }
  free(id);
  snprintf(out->label, sizeof out->label, "%s %s %.*s",
           part_name(m, MODEL_PART_REGISTER), p->id, (int)g[2].n, g[2].s);
  if (seg_is(g[2], "amount")) {
    if (s->project_table < 0) {
      model_set_why(why, cap, "the schema gives projects no amount");
      return false;
    }
    const model_side *side =
        &m->tables[s->project_table].sides[s->project_side];
    out->kind = MODEL_FIGURE_AMOUNT;
    for (size_t i = 0; i < side->nrows; i++)
      if (side->rows[i].project == p &&
          !add_cell(&out->amount, &side->rows[i].amounts[s->project_column])) {
        model_set_why(why, cap, "the amount of project %s overflows", p->id);
        return false;
      }
    out->key = p;
    return true;
  }
  if (seg_is(g[2], "name")) {
    out->kind = MODEL_FIGURE_TEXT;
    out->text = p->name.text;
    out->key = &p->name;
    return true;
  }
  for (size_t i = 0; p->description && i < p->description->nfields; i++) {
    const model_field *f = &p->description->fields[i];
    if (seg_is(g[2], f->label.text)) {
      out->kind = MODEL_FIGURE_TEXT;
      out->text = f->value.text;
      out->key = f;
      return true;
    }
  }
  for (size_t i = 0; p->sheet && i < p->sheet->nfunds; i++)
    if (seg_is(g[2], p->sheet->fund_keys[i])) {
      out->kind = MODEL_FIGURE_AMOUNT;
      out->amount = p->sheet->funds[i];
      out->key = &p->sheet->funds[i];
      return true;
    }
  size_t nfields = p->description ? p->description->nfields : 0;
  size_t nfunds = p->sheet ? p->sheet->nfunds : 0;
  const char **names = xcalloc(3 + nfields + nfunds, sizeof *names);
  size_t k = 0;
  names[k++] = "amount";
  names[k++] = "name";
  for (size_t i = 0; i < nfields; i++)
    names[k++] = p->description->fields[i].label.text;
  for (size_t i = 0; i < nfunds; i++)
    names[k++] = p->sheet->fund_keys[i];
  char *field = xstrndup(g[2].s, g[2].n);
  const char *near = closest_name(field, names);
  model_set_why(why, cap, "project %s has no field '%s'%s%s%s", p->id, field,
          near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  free(field);
  free(names);
  return false;
}

static void describe_row(const model_table *t, const model_side *side,
                         const model_row *r, const char *column,
                         model_figure *out);

void figure_of_cell(const model *m, const model_table *t,
                    const model_side *side, const model_row *r, int column,
                    model_figure *out) {
  memset(out, 0, sizeof *out);
  out->kind = MODEL_FIGURE_AMOUNT;
  out->amount = r->amounts[column];
  out->key = &r->amounts[column];
  out->prior = prior_of(m, out->key);
  describe_row(t, side, r, side->columns[column], out);
}

bool figure_project_amounts(const model *m, model_figure *out) {
  const schema *s = m->internal->schema;
  if (s->project_table < 0)
    return false;
  for (size_t i = 0; i < m->nprojects; i++) {
    const model_project *p = &m->projects[i];
    memset(&out[i], 0, sizeof out[i]);
    out[i].kind = MODEL_FIGURE_AMOUNT;
    out[i].key = p;
    snprintf(out[i].label, sizeof out[i].label, "%s %s amount",
             part_name(m, MODEL_PART_REGISTER), p->id);
  }
  const model_side *side = &m->tables[s->project_table].sides[s->project_side];
  for (size_t r = 0; r < side->nrows; r++) {
    const model_project *p = side->rows[r].project;
    if (p && !add_cell(&out[p - m->projects].amount,
                       &side->rows[r].amounts[s->project_column]))
      out[p - m->projects].amount.present = false; /* overflow: no claim */
  }
  for (size_t i = 0; i < m->nprojects; i++)
    out[i].prior = prior_of(m, out[i].key);
  return true;
}

/* ---------------------------------------------------------------- tables */

/* The rows of side matching g: the total row, the rows with a code, or
 * the rows with a name (which must then all share one code). */
static int match_rows(const model *m, const model_side *side, segment g,
                      const model_row **rows, int cap) {
  int n = 0;
  if (seg_is(g, "total") || seg_in(g, figures_of(m)->total_names)) {
    if (side->total)
      rows[n++] = side->total;
    return n;
  }
  bool digits = seg_is_digits(g);
  for (size_t i = 0; i < side->nrows && n < cap; i++) {
    const model_row *r = &side->rows[i];
    if (digits ? (r->code && seg_is(g, r->code))
               : (r->name.text && seg_is(g, r->name.text)))
      rows[n++] = &side->rows[i];
  }
  return n;
}

static void describe_row(const model_table *t, const model_side *side,
                         const model_row *r, const char *column,
                         model_figure *out) {
  const char *sid = t->nsides > 1 && side->id ? side->id : NULL;
  if (side->kind != MODEL_ROWS_RECORD && side->total && side->ncolumns) {
    out->whole = &side->total->amounts[0];
    snprintf(out->whole_label, sizeof out->whole_label, "%s%s%s total %s",
             t->id, sid ? " " : "", sid ? sid : "", side->columns[0]);
  }
  if (r->is_total)
    snprintf(out->label, sizeof out->label, "%s%s%s total %s", t->id,
             sid ? " " : "", sid ? sid : "", column);
  else if (side->kind == MODEL_ROWS_RECORD)
    snprintf(out->label, sizeof out->label, "%s %s", t->id, column);
  else
    snprintf(out->label, sizeof out->label, "%s%s%s row %s%s%s %s", t->id,
             sid ? " " : "", sid ? sid : "", r->code ? r->code : "",
             r->code ? " " : "", r->name.text ? r->name.text : "", column);
}

static bool lookup_table_figure(const model *m, const model_table *t,
                                const segment *g, int n, model_figure *out,
                                char *why, size_t cap) {
  int i = 1;
  const model_side *side = NULL;
  if (t->nsides > 1 && i < n)
    for (size_t k = 0; k < t->nsides && !side; k++)
      if (t->sides[k].id && seg_is(g[i], t->sides[k].id))
        side = &t->sides[k];
  if (side)
    i++;
  else if (t->nsides == 1)
    side = &t->sides[0];

  /* rows sharing a code (a project level) may be many: no fixed cap */
  size_t most = 1;
  for (size_t k = 0; k < t->nsides; k++)
    if (t->sides[k].nrows + 1 > most)
      most = t->sides[k].nrows + 1;
  const model_row **rows = xcalloc(most, sizeof *rows);
  const model_row **r = xcalloc(most, sizeof *r);
  bool ok = false;
  int nrows = 0;
  if (side && side->kind == MODEL_ROWS_RECORD) {
    rows[nrows++] = &side->rows[0];
  } else {
    if (i >= n) {
      model_set_why(why, cap, "name a row of %s (a code, a name or total)", t->id);
      goto done;
    }
    if (side) {
      nrows = match_rows(m, side, g[i], rows, (int)most);
    } else { /* a two-sided table without its side: the row decides it */
      for (size_t k = 0; k < t->nsides; k++) {
        int nr = match_rows(m, &t->sides[k], g[i], r, (int)most);
        if (nr && side) {
          model_set_why(why, cap, "'%.*s' is in more than one side of %s; name the "
                  "side first (%s.%s.…)", (int)g[i].n, g[i].s, t->id, t->id,
                  t->sides[0].id);
          goto done;
        }
        if (nr) {
          side = &t->sides[k];
          memcpy(rows, r, sizeof *r * (size_t)nr);
          nrows = nr;
        }
      }
    }
    if (!nrows) {
      model_set_why(why, cap, "%s has no row '%.*s'", t->id, (int)g[i].n, g[i].s);
      goto done;
    }
    i++;
    for (int k = 1; k < nrows; k++)
      if (!rows[k]->code || !rows[0]->code ||
          strcmp(rows[k]->code, rows[0]->code)) {
        model_set_why(why, cap, "%s has %d rows named '%.*s' (codes %s and %s); "
                "name the row by its code", t->id, nrows, (int)g[i - 1].n,
                g[i - 1].s, rows[0]->code ? rows[0]->code : "?",
                rows[k]->code ? rows[k]->code : "?");
        goto done;
      }
  }
  int column = -1;
  if (i < n) {
    char *key = xstrndup(g[i].s, g[i].n);
    column = model_side_column_index(side, key);
    if (column < 0) {
      const char **cols = xcalloc(side->ncolumns + 1, sizeof *cols);
      memcpy(cols, side->columns, sizeof *cols * side->ncolumns);
      const char *near = closest_name(key, cols);
      model_set_why(why, cap, "%s%s%s has no column '%s'%s%s%s", t->id,
              t->nsides > 1 ? " " : "", t->nsides > 1 ? side->id : "", key,
              near ? "; did you mean '" : "", near ? near : "",
              near ? "'?" : "");
      free(cols);
    }
    free(key);
    if (column < 0)
      goto done;
    i++;
  } else if (side->ncolumns == 1) {
    column = 0;
  } else {
    model_set_why(why, cap, "name a column of %s: %s, …", t->id, side->columns[0]);
    goto done;
  }
  if (i < n) {
    model_set_why(why, cap, "unexpected '%.*s' after the column", (int)g[i].n,
            g[i].s);
    goto done;
  }
  out->kind = MODEL_FIGURE_AMOUNT;
  out->key = &rows[0]->amounts[column];
  if (nrows == 1) {
    out->amount = rows[0]->amounts[column];
  } else {
    out->amount = (model_amount){0};
    out->amount.pos = rows[0]->pos;
    for (int k = 0; k < nrows; k++)
      if (!add_cell(&out->amount, &rows[k]->amounts[column])) {
        model_set_why(why, cap, "the sum of the rows overflows");
        goto done;
      }
  }
  describe_row(t, side, rows[0], side->columns[column], out);
  ok = true;
done:
  free(rows);
  free(r);
  return ok;
}

/* ---------------------------------------------------------------- lookup */

static bool lookup_segments(const model *m, const segment *g, int n,
                            int depth, model_figure *out, char *why,
                            size_t cap) {
  const schema_figures *f = figures_of(m);
  if (n == 1)
    for (size_t i = 0; i < f->nnames; i++)
      if (seg_is(g[0], f->names[i].name)) {
        if (depth >= MAX_NAME_DEPTH) {
          model_set_why(why, cap, "the name '%s' refers to itself", f->names[i].name);
          return false;
        }
        segment inner[MAX_SEGMENTS];
        int k = split_reference(f->names[i].ref, strlen(f->names[i].ref),
                                inner, why, cap);
        return k > 0 &&
               lookup_segments(m, inner, k, depth + 1, out, why, cap);
      }
  const char *reg = part_name(m, MODEL_PART_REGISTER);
  if (*reg && seg_is(g[0], reg))
    return lookup_project_figure(m, g, n, out, why, cap);
  for (size_t i = 0; i < m->ntables; i++)
    if (seg_is(g[0], m->tables[i].id))
      return lookup_table_figure(m, &m->tables[i], g, n, out, why, cap);
  const char **names = xcalloc(m->ntables + f->nnames + 2, sizeof *names);
  size_t k = 0;
  for (size_t i = 0; i < m->ntables; i++)
    names[k++] = m->tables[i].id;
  for (size_t i = 0; i < f->nnames; i++)
    names[k++] = f->names[i].name;
  if (*reg)
    names[k++] = reg;
  why_unknown(why, cap, "unknown figure", g[0],
              "(not a table, a named figure or the register)", names);
  free(names);
  return false;
}

bool model_lookup_figure(const model *m, const char *ref, size_t len,
                         model_figure *out, char *why, size_t whycap) {
  memset(out, 0, sizeof *out);
  segment g[MAX_SEGMENTS];
  int n = split_reference(ref, len, g, why, whycap);
  if (n <= 0 || !lookup_segments(m, g, n, 0, out, why, whycap))
    return false;
  if (out->kind == MODEL_FIGURE_AMOUNT)
    out->prior = prior_of(m, out->key);
  return true;
}

bool figure_count(const model *m, const char *ref, size_t len, int64_t *out,
                  char *why, size_t whycap) {
  segment g[MAX_SEGMENTS];
  int n = split_reference(ref, len, g, why, whycap);
  if (n <= 0)
    return false;
  const char *reg = part_name(m, MODEL_PART_REGISTER);
  const char *descs = part_name(m, MODEL_PART_DESCRIPTIONS);
  const char *sheets = part_name(m, MODEL_PART_SHEETS);
  if (n == 1 && *reg && seg_is(g[0], reg)) {
    *out = (int64_t)m->nprojects;
    return true;
  }
  if (n == 1 && *descs && seg_is(g[0], descs)) {
    *out = (int64_t)m->ndescriptions;
    return true;
  }
  if (n == 1 && *sheets && seg_is(g[0], sheets)) {
    *out = (int64_t)m->nsheets;
    return true;
  }
  /* T[.side].column: the body rows with a figure in that column. */
  const model_table *t = NULL;
  for (size_t i = 0; i < m->ntables && !t; i++)
    if (seg_is(g[0], m->tables[i].id))
      t = &m->tables[i];
  const model_side *side = t && t->nsides == 1 ? &t->sides[0] : NULL;
  int i = 1;
  for (size_t k = 0; t && t->nsides > 1 && n > 1 && k < t->nsides; k++)
    if (t->sides[k].id && seg_is(g[1], t->sides[k].id)) {
      side = &t->sides[k];
      i = 2;
    }
  int column = -1;
  if (side && i == n - 1) {
    char *key = xstrndup(g[i].s, g[i].n);
    column = model_side_column_index(side, key);
    free(key);
  }
  if (column < 0) {
    model_set_why(why, whycap, "count() takes the register, descriptions or sheets "
            "part (%s, %s, %s) or TABLE[.SIDE].COLUMN, not '%.*s'", reg,
            descs, sheets, (int)len, ref);
    return false;
  }
  int64_t c = 0;
  for (size_t r = 0; r < side->nrows; r++)
    c += side->rows[r].amounts[column].present;
  *out = c;
  return true;
}

/* ---------------------------------------------------------------- schema */

schema_figures *schema_parse_figures(arena *a, const ynode *n, diag *d) {
  schema_figures *f = ARENA_NEW(a, schema_figures);
  static const char *const none[] = {NULL};
  f->total_names = none;
  f->prior_year = none;
  if (!n || !ynode_expect(n, YNODE_MAP, "figures", d))
    return f;
  static const char *const keys[] = {"total_names", "names", "prior_year",
                                     NULL};
  ymap_check_keys(n, keys, "figures", d);
  size_t count;
  const ynode *tn = ymap_lookup(n, "total_names");
  const char **list;
  if (tn && (list = ynode_string_list(a, tn, "total_names", true, &count, d)))
    f->total_names = list;
  const ynode *py = ymap_lookup(n, "prior_year");
  if (py && (list = ynode_string_list(a, py, "prior_year", true, &count, d)))
    f->prior_year = list;
  const ynode *names = ymap_lookup(n, "names");
  if (names && ynode_expect(names, YNODE_MAP, "figures.names", d)) {
    schema_figure_name *out =
        ARENA_ARRAY(a, schema_figure_name, names->u.map.count);
    for (size_t i = 0; i < names->u.map.count; i++) {
      const ypair *p = &names->u.map.pairs[i];
      const char *ref = ynode_scalar(p->value, "a named figure", d);
      if (!ref)
        continue;
      out[f->nnames++] = (schema_figure_name){p->key->u.scalar.text, ref,
                                              p->value->pos};
    }
    f->names = out;
  }
  return f;
}

/* ---------------------------------------------------------------- prior year */

/* Whether the table (or the register) a figure belongs to — its label's
 * first word — may have prior-year figures. */
static bool prior_year_allowed(const model *m, const model_figure *fig) {
  const char *const *allowed = figures_of(m)->prior_year;
  char owner[64];
  snprintf(owner, sizeof owner, "%.*s", (int)strcspn(fig->label, " "),
           fig->label);
  for (size_t i = 0; allowed[i]; i++)
    if (!strcmp(allowed[i], owner))
      return true;
  return false;
}

void load_prior_year(loader *L, const ynode *root) {
  const schema_figures *f = L->s->figures;
  char why[256];
  for (size_t i = 0; i < f->nnames; i++) {
    model_figure fig;
    if (!model_lookup_figure(L->m, f->names[i].ref, strlen(f->names[i].ref),
                             &fig, why, sizeof why))
      diag_error(L->d, DIAG_SCHEMA, f->names[i].pos,
                 "the named figure %s: %s", f->names[i].name, why);
  }
  const ynode *py = ymap_lookup(root, "prior_year");
  if (!py || !ynode_expect(py, YNODE_MAP, "prior_year", L->d))
    return;
  prior_figure *out = ARENA_ARRAY(L->a, prior_figure, py->u.map.count);
  size_t n = 0;
  for (size_t i = 0; i < py->u.map.count; i++) {
    const ypair *p = &py->u.map.pairs[i];
    const char *ref = p->key->u.scalar.text;
    model_figure fig;
    if (!model_lookup_figure(L->m, ref, strlen(ref), &fig, why, sizeof why)) {
      diag_error(L->d, DIAG_SCHEMA, p->key->pos, "prior_year: %s", why);
      continue;
    }
    if (fig.kind != MODEL_FIGURE_AMOUNT) {
      diag_error(L->d, DIAG_SCHEMA, p->key->pos,
                 "prior_year: %s is text, not an amount", fig.label);
      continue;
    }
    if (!prior_year_allowed(L->m, &fig)) {
      diag_error(L->d, DIAG_SCHEMA, p->key->pos,
                 "prior_year: the schema gives %s no prior-year figures "
                 "(figures.prior_year)", fig.label);
      continue;
    }
    const char *text = ynode_scalar(p->value, "a prior-year figure", L->d);
    if (!text)
      continue;
    model_amount a;
    char why2[128];
    if (!model_amount_parse(text, &a, why2, sizeof why2)) {
      diag_error(L->d, DIAG_SCHEMA, p->value->pos,
                 "prior_year %s: '%s' is not an amount: %s", ref, text, why2);
      continue;
    }
    a.text = a.present ? text_trim_copy(L->a, text) : NULL;
    a.pos = p->value->pos;
    bool twice = false;
    for (size_t k = 0; k < n && !twice; k++)
      if (out[k].key == fig.key) {
        diag_error(L->d, DIAG_SCHEMA, p->key->pos,
                   "prior_year: %s is given twice (first at line %d)",
                   fig.label, out[k].amount.pos.line);
        twice = true;
      }
    if (!twice)
      out[n++] = (prior_figure){fig.key, a};
  }
  L->m->internal->prior = out;
  L->m->internal->nprior = n;
}
