/* SPDX-License-Identifier: MIT */
/* schema.c — read a schema file (schemas/<name>.yaml): the classifications,
 * the tables with their sides, columns and rules, the identities between
 * tables, and what projects, descriptions and sheets hold.  Every name a
 * rule uses is resolved here to an index, so check.c never looks a string
 * up; a wrong name is a positioned error in the schema file. */
#include "model_imp.h"

#include <string.h>

typedef struct schema_builder {
  arena *a;
  diag *d;
  schema *s;
} schema_builder;

static const char *const top_keys[] = {
    "schema",     "title",        "amount_units", "classifications",
    "tables",     "identities",   "parts",        "figures",      NULL};
static const char *const side_keys[] = {
    "id",  "rows",     "levels",    "project_level", "columns",
    "row_sums", "hierarchy", "total", "subtotals", NULL};
static const char *const table_keys[] = {
    "id",      "title",    "optional",  "sides",     "rows", "levels",
    "project_level", "columns", "row_sums", "hierarchy", "total",
    "subtotals", NULL};

/* Keys a data row uses for itself; a column may not take one of them. */
static const char *const reserved_keys[] = {"code", "name", "level",
                                            "project", "total", "rows",
                                            "note", NULL};

/* ---------------------------------------------------------------- helpers */

static int index_of(const char *const *names, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0)
      return (int)i;
  return -1;
}

/* Trim ASCII spaces at both ends of [s, e) into a new arena string. */
static char *trimmed(arena *a, const char *s, const char *e) {
  while (s < e && *s == ' ')
    s++;
  while (e > s && e[-1] == ' ')
    e--;
  return arena_strndup(a, s, (size_t)(e - s));
}

/* Split "a + b + c" at '+' into trimmed pieces; NULL-terminated. */
static char **split_plus(arena *a, const char *s, size_t *n) {
  size_t cap = 1;
  for (const char *p = s; *p; p++)
    cap += *p == '+';
  char **out = ARENA_ARRAY(a, char *, cap + 1);
  *n = 0;
  const char *start = s;
  for (const char *p = s;; p++) {
    if (*p == '+' || *p == 0) {
      out[(*n)++] = trimmed(a, start, p);
      if (!*p)
        break;
      start = p + 1;
    }
  }
  out[*n] = NULL;
  return out;
}

/* Split "left = right" at its single '='; false if not exactly one. */
static bool split_equation(arena *a, const char *s, char **left,
                           char **right) {
  const char *eq = strchr(s, '=');
  if (!eq || strchr(eq + 1, '='))
    return false;
  *left = trimmed(a, s, eq);
  *right = trimmed(a, eq + 1, s + strlen(s));
  return true;
}

/* ---------------------------------------------------------------- sums */

/* "target = part + part" over the given keys. */
static bool parse_sum(schema_builder *b, const ynode *n,
                      const char *const *keys, size_t nkeys,
                      const char *what, schema_sum *out) {
  const char *text = ynode_scalar(n, what, b->d);
  if (!text)
    return false;
  char *left, *right;
  if (!split_equation(b->a, text, &left, &right)) {
    diag_error(b->d, DIAG_SCHEMA, n->pos,
               "%s '%s' must have the form 'A = B + C'", what, text);
    return false;
  }
  size_t nparts;
  char **parts = split_plus(b->a, right, &nparts);
  bool ok = true;
  out->target = index_of(keys, nkeys, left);
  if (out->target < 0) {
    report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "column", left, NULL, keys);
    ok = false;
  }
  int *idx = ARENA_ARRAY(b->a, int, nparts);
  for (size_t i = 0; i < nparts; i++) {
    idx[i] = index_of(keys, nkeys, parts[i]);
    if (idx[i] < 0) {
      report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "column", parts[i], NULL,
                        keys);
      ok = false;
    } else if (idx[i] == out->target) {
      diag_error(b->d, DIAG_SCHEMA, n->pos,
                 "column '%s' is on both sides of '%s'", parts[i], text);
      ok = false;
    }
  }
  out->parts = idx;
  out->nparts = nparts;
  out->text = text;
  out->pos = n->pos;
  return ok;
}

static const schema_sum *parse_sums(schema_builder *b, const ynode *seq,
                                    const char *const *keys, size_t nkeys,
                                    size_t *n) {
  *n = 0;
  if (!seq || !ynode_expect(seq, YNODE_SEQ, "row_sums", b->d))
    return NULL;
  schema_sum *sums = ARENA_ARRAY(b->a, schema_sum, seq->u.seq.count);
  for (size_t i = 0; i < seq->u.seq.count; i++)
    if (parse_sum(b, seq->u.seq.items[i], keys, nkeys, "row sum",
                  &sums[*n]))
      (*n)++;
  return sums;
}

/* ---------------------------------------------------------------- tables */

static const schema_classification *
lookup_classification(const schema *s, const char *name) {
  for (size_t i = 0; i < s->nclassifications; i++)
    if (strcmp(s->classifications[i].name, name) == 0)
      return &s->classifications[i];
  return NULL;
}

static int level_index(const schema_classification *c, const char *name) {
  for (size_t i = 0; i < c->nlevels; i++)
    if (strcmp(c->levels[i].name, name) == 0)
      return (int)i;
  return -1;
}

static void parse_classifications(schema_builder *b, const ynode *map) {
  if (!map || !ynode_expect(map, YNODE_MAP, "classifications", b->d))
    return;
  schema_classification *cs =
      ARENA_ARRAY(b->a, schema_classification, map->u.map.count);
  size_t n = 0;
  for (size_t i = 0; i < map->u.map.count; i++) {
    const ypair *p = &map->u.map.pairs[i];
    const char *name = p->key->u.scalar.text;
    if (!strcmp(name, "items") || !strcmp(name, "record")) {
      diag_error(b->d, DIAG_SCHEMA, p->key->pos,
                 "'%s' is a row kind of its own; choose another name", name);
      continue;
    }
    if (!ynode_expect(p->value, YNODE_MAP, "a classification", b->d))
      continue;
    model_level *levels =
        ARENA_ARRAY(b->a, model_level, p->value->u.map.count);
    size_t nl = 0;
    int prev = 0;
    for (size_t j = 0; j < p->value->u.map.count; j++) {
      const ypair *lv = &p->value->u.map.pairs[j];
      const char *digits = ynode_scalar(lv->value, "a level's digits", b->d);
      if (!digits)
        continue;
      int dn = 0;
      const char *c = digits;
      while (*c >= '0' && *c <= '9' && dn < 100)
        dn = dn * 10 + (*c++ - '0');
      if (*c || c == digits || dn <= prev || dn > 20) {
        diag_error(b->d, DIAG_SCHEMA, lv->value->pos,
                   "level '%s' must have more digits than the level before "
                   "it (at most 20), not '%s'",
                   lv->key->u.scalar.text, digits);
        continue;
      }
      levels[nl++] = (model_level){lv->key->u.scalar.text, dn};
      prev = dn;
    }
    cs[n++] = (schema_classification){name, levels, nl};
  }
  b->s->classifications = cs;
  b->s->nclassifications = n;
}

/* "A - B + C" into terms and signs; false after reporting. */
static bool parse_linear(schema_builder *b, const ynode *n, const char *text,
                         const char *const *names, size_t nnames,
                         schema_column *c) {
  size_t cap = 1;
  for (const char *p = text; *p; p++)
    cap += *p == '+' || *p == '-';
  int *terms = ARENA_ARRAY(b->a, int, cap);
  int *signs = ARENA_ARRAY(b->a, int, cap);
  size_t k = 0;
  int sign = 1;
  const char *start = text;
  for (const char *p = text;; p++) {
    if (*p != '+' && *p != '-' && *p)
      continue;
    char *name = trimmed(b->a, start, p);
    int i = index_of(names, nnames, name);
    if (i < 0) {
      report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "column", name,
                          arena_printf(b->a, _("in '%s' (a column computed "
                                         "from columns before it)"), text),
                          names);
      return false;
    }
    terms[k] = i;
    signs[k++] = sign;
    if (!*p)
      break;
    sign = *p == '-' ? -1 : 1;
    start = p + 1;
  }
  c->compute = COMPUTE_LINEAR;
  c->terms = terms;
  c->signs = signs;
  c->nterms = k;
  return true;
}

/* "A / B" (with percent: N); false after reporting. */
static bool parse_ratio(schema_builder *b, const ynode *n, const char *text,
                        const char *const *names, size_t nnames,
                        schema_column *c) {
  const char *slash = strchr(text, '/');
  int *terms = ARENA_ARRAY(b->a, int, 2);
  const char *parts[2] = {trimmed(b->a, text, slash),
                          trimmed(b->a, slash + 1, text + strlen(text))};
  for (int i = 0; i < 2; i++) {
    terms[i] = index_of(names, nnames, parts[i]);
    if (terms[i] < 0) {
      report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "column", parts[i],
                          arena_printf(b->a, _("in '%s' (a column computed "
                                         "from columns before it)"), text),
                          names);
      return false;
    }
  }
  c->compute = COMPUTE_RATIO;
  c->terms = terms;
  c->nterms = 2;
  return true;
}

/* One column: a name, or {name, computed, percent, summed, negative}. */
static bool parse_column(schema_builder *b, const ynode *n,
                         const char *const *names, size_t before,
                         schema_column *c) {
  c->summed = true;
  c->pos = n->pos;
  if (n->kind == YNODE_SCALAR) {
    c->name = n->u.scalar.text;
    return true;
  }
  if (!ynode_expect(n, YNODE_MAP, "a column", b->d))
    return false;
  static const char *const keys[] = {"name", "computed", "percent", "summed",
                                     "negative", NULL};
  ymap_check_keys(n, keys, "a column", b->d);
  const ynode *name = ymap_require(n, "name", "a column", b->d);
  c->name = name ? ynode_scalar(name, "a column's name", b->d) : NULL;
  if (!c->name)
    return false;
  const ynode *sm = ymap_lookup(n, "summed");
  if (sm)
    ynode_bool(sm, "summed", &c->summed, b->d);
  if (sm && ymap_lookup(n, "computed"))
    diag_error(b->d, DIAG_SCHEMA, sm->pos,
               "a computed column is never summed (its operands are)");
  const ynode *neg = ymap_lookup(n, "negative");
  if (neg)
    ynode_bool(neg, "negative", &c->negative, b->d);
  const ynode *comp = ymap_lookup(n, "computed");
  const ynode *pct = ymap_lookup(n, "percent");
  if (!comp) {
    if (pct)
      diag_error(b->d, DIAG_SCHEMA, pct->pos,
                 "percent is for a computed ratio ('computed: A / B')");
    return true;
  }
  c->text = ynode_scalar(comp, "computed", b->d);
  if (!c->text)
    return false;
  c->negative = true; /* a difference or a change may fall */
  /* Its figures follow from its operands, which the sums check: checking
   * it again would report one mistake twice. */
  c->summed = false;
  bool ok;
  if (strchr(c->text, '/')) {
    ok = parse_ratio(b, comp, c->text, names, before, c);
    if (!pct) {
      diag_error(b->d, DIAG_SCHEMA, comp->pos,
                 "a ratio is printed as a percentage: give its decimals "
                 "with 'percent: N'");
      ok = false;
    } else {
      const char *t = ynode_scalar(pct, "percent", b->d);
      if (!t || strlen(t) != 1 || *t < '0' || *t > '6') {
        diag_error(b->d, DIAG_SCHEMA, pct->pos,
                   "percent is the number of decimals, 0 to 6");
        ok = false;
      } else {
        c->decimals = *t - '0';
      }
    }
  } else {
    ok = parse_linear(b, comp, c->text, names, before, c);
    if (pct)
      diag_error(b->d, DIAG_SCHEMA, pct->pos,
                 "percent is for a ratio ('computed: A / B')");
  }
  return ok;
}

/* The columns of a side; their names NULL-terminated (NULL after an
 * error), the specs into side->colspecs. */
static const char **parse_columns(schema_builder *b, const ynode *seq,
                                  schema_side *side, size_t *n) {
  *n = 0;
  if (!ynode_expect(seq, YNODE_SEQ, "columns", b->d))
    return NULL;
  size_t count = seq->u.seq.count;
  const char **names = ARENA_ARRAY(b->a, const char *, count + 1);
  schema_column *specs = ARENA_ARRAY(b->a, schema_column, count + 1);
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    if (!parse_column(b, seq->u.seq.items[i], names, i, &specs[i])) {
      ok = false;
      specs[i].name = "";
    }
    if (specs[i].name && index_of(names, i, specs[i].name) >= 0) {
      diag_error(b->d, DIAG_SCHEMA, seq->u.seq.items[i]->pos,
                 "'%s' appears twice in columns", specs[i].name);
    }
    names[i] = specs[i].name;
  }
  side->colspecs = specs;
  *n = count;
  return ok ? names : NULL;
}

/* subtotals: ["总计 = 本年收入合计 + 年初结转和结余", …] over item labels. */
static bool parse_subtotals(schema_builder *b, const ynode *seq,
                            schema_side *side) {
  if (!ynode_expect(seq, YNODE_SEQ, "subtotals", b->d))
    return false;
  if (side->kind != MODEL_ROWS_ITEMS) {
    diag_error(b->d, DIAG_SCHEMA, seq->pos,
               "subtotals name rows by their labels: they need item rows "
               "(rows: items)");
    return false;
  }
  schema_subtotal *out = ARENA_ARRAY(b->a, schema_subtotal, seq->u.seq.count);
  bool ok = true;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *item = seq->u.seq.items[i];
    const char *text = ynode_scalar(item, "a subtotal", b->d);
    char *left, *right;
    if (!text || !split_equation(b->a, text, &left, &right)) {
      if (text)
        diag_error(b->d, DIAG_SCHEMA, item->pos,
                   "subtotal '%s' must have the form 'A = B + C'", text);
      ok = false;
      continue;
    }
    schema_subtotal *st = &out[side->nsubtotals++];
    st->target = left;
    st->parts = (const char *const *)split_plus(b->a, right, &st->nparts);
    st->text = text;
    st->pos = item->pos;
  }
  side->subtotals = out;
  return ok;
}

/* One side from a mapping (a table's own keys for a one-sided table). */
static bool parse_side(schema_builder *b, const ynode *map, const char *id,
                       const char *what, schema_side *side) {
  bool ok = true;
  memset(side, 0, sizeof *side);
  side->id = id;
  side->pos = map->pos;
  side->project_level = -1;
  const ynode *rows = ymap_require(map, "rows", what, b->d);
  const char *kind = rows ? ynode_scalar(rows, "rows", b->d) : NULL;
  if (!kind) {
    ok = false;
  } else if (!strcmp(kind, "items")) {
    side->kind = MODEL_ROWS_ITEMS;
  } else if (!strcmp(kind, "record")) {
    side->kind = MODEL_ROWS_RECORD;
  } else {
    side->kind = MODEL_ROWS_CODED;
    side->classification = lookup_classification(b->s, kind);
    if (!side->classification) {
      const char **names = ARENA_ARRAY(b->a, const char *,
                                       b->s->nclassifications + 3);
      size_t k = 0;
      names[k++] = "items";
      names[k++] = "record";
      for (size_t i = 0; i < b->s->nclassifications; i++)
        names[k++] = b->s->classifications[i].name;
      report_unknown_name(b->d, DIAG_SCHEMA, rows->pos, "row kind", kind, NULL,
                        names);
      ok = false;
    }
  }
  const schema_classification *c = side->classification;
  if (c)
    side->level_mask = (1u << c->nlevels) - 1;

  const ynode *levels = ymap_lookup(map, "levels");
  const ynode *project_level = ymap_lookup(map, "project_level");
  if ((levels || project_level) && side->kind != MODEL_ROWS_CODED && kind) {
    diag_error(b->d, DIAG_SCHEMA, (levels ? levels : project_level)->pos,
               "levels and project_level need coded rows, not '%s'", kind);
    ok = false;
  } else if (c) {
    if (levels) {
      size_t nl;
      const char **names =
          ynode_string_list(b->a, levels, "levels", true, &nl, b->d);
      side->level_mask = 0;
      for (size_t i = 0; names && i < nl; i++) {
        int li = level_index(c, names[i]);
        if (li < 0) {
          diag_error(b->d, DIAG_SCHEMA, levels->pos,
                     "'%s' is not a level of the %s classification",
                     names[i], c->name);
          ok = false;
        } else {
          side->level_mask |= 1u << li;
        }
      }
    }
    if (project_level) {
      const char *name = ynode_scalar(project_level, "project_level", b->d);
      if (name) {
        side->project_level = level_index(c, name);
        if (side->project_level < 0) {
          diag_error(b->d, DIAG_SCHEMA, project_level->pos,
                     "'%s' is not a level of the %s classification", name,
                     c->name);
          ok = false;
        }
      }
    }
  }

  const ynode *columns = ymap_require(map, "columns", what, b->d);
  if (columns) {
    size_t n;
    const char **keys = parse_columns(b, columns, side, &n);
    for (size_t i = 0; keys && i < n; i++)
      if (index_of(reserved_keys, 7, keys[i]) >= 0) {
        diag_error(b->d, DIAG_SCHEMA, columns->pos,
                   "'%s' names a part of a row; a column may not be called "
                   "so",
                   keys[i]);
        ok = false;
      }
    side->columns = keys;
    side->ncolumns = keys ? n : 0;
    if (keys && n == 0) {
      diag_error(b->d, DIAG_SCHEMA, columns->pos,
                 "a table side needs at least one column");
      ok = false;
    }
    if (!keys)
      ok = false;
  } else {
    ok = false;
  }
  if (side->columns)
    side->row_sums = parse_sums(b, ymap_lookup(map, "row_sums"),
                                side->columns, side->ncolumns,
                                &side->nrow_sums);
  const ynode *h = ymap_lookup(map, "hierarchy");
  if (h && !ynode_bool(h, "hierarchy", &side->hierarchy, b->d))
    ok = false;
  const ynode *t = ymap_lookup(map, "total");
  if (t && t->kind == YNODE_SCALAR && strchr(t->u.scalar.text, '+')) {
    /* total: 本年收入合计 + 年初结转和结余 — the rows it adds up. */
    side->total = true;
    char **parts = split_plus(b->a, t->u.scalar.text, &side->ntotal_parts);
    side->total_parts = (const char *const *)parts;
    if (side->kind != MODEL_ROWS_ITEMS) {
      diag_error(b->d, DIAG_SCHEMA, t->pos,
                 "a total of named rows needs item rows (rows: items)");
      ok = false;
    }
  } else if (t && !ynode_bool(t, "total", &side->total, b->d)) {
    ok = false;
  }
  const ynode *subs = ymap_lookup(map, "subtotals");
  if (subs && !parse_subtotals(b, subs, side))
    ok = false;
  if (side->kind == MODEL_ROWS_RECORD && (side->hierarchy || side->total)) {
    diag_error(b->d, DIAG_SCHEMA, map->pos,
               "a record has one row: no hierarchy and no total");
    ok = false;
  }
  return ok;
}

static void parse_table(schema_builder *b, const ynode *map,
                        schema_table *t) {
  memset(t, 0, sizeof *t);
  t->pos = map->pos;
  const ynode *id = ymap_require(map, "id", "a table of the schema", b->d);
  t->id = id ? ynode_scalar(id, "a table id", b->d) : NULL;
  if (!t->id)
    t->id = "?";
  const char *what = arena_printf(b->a, _("table %s"), t->id);
  ymap_check_keys(map, table_keys, what, b->d);
  const ynode *title = ymap_lookup(map, "title");
  if (title)
    t->title = ynode_scalar(title, "a table title", b->d);
  const ynode *opt = ymap_lookup(map, "optional");
  if (opt)
    ynode_bool(opt, "optional", &t->optional, b->d);

  const ynode *sides = ymap_lookup(map, "sides");
  if (!sides) {
    schema_side *side = ARENA_NEW(b->a, schema_side);
    parse_side(b, map, NULL, what, side);
    t->sides = side;
    t->nsides = 1;
    return;
  }
  for (size_t i = 0; i < map->u.map.count; i++) {
    const char *k = map->u.map.pairs[i].key->u.scalar.text;
    if (index_of(side_keys, 8, k) > 0)
      diag_error(b->d, DIAG_SCHEMA, map->u.map.pairs[i].key->pos,
                 "'%s' belongs to a side when the table has sides", k);
  }
  if (!ynode_expect(sides, YNODE_SEQ, "sides", b->d))
    return;
  schema_side *ss = ARENA_ARRAY(b->a, schema_side, sides->u.seq.count);
  size_t n = 0;
  for (size_t i = 0; i < sides->u.seq.count; i++) {
    const ynode *sm = sides->u.seq.items[i];
    if (!ynode_expect(sm, YNODE_MAP, "a side", b->d))
      continue;
    const char *swhat = arena_printf(b->a, _("a side of table %s"), t->id);
    ymap_check_keys(sm, side_keys, swhat, b->d);
    const ynode *sid = ymap_require(sm, "id", swhat, b->d);
    const char *side_id = sid ? ynode_scalar(sid, "a side id", b->d) : NULL;
    if (!side_id)
      continue;
    for (size_t j = 0; j < n; j++)
      if (!strcmp(ss[j].id, side_id))
        diag_error(b->d, DIAG_SCHEMA, sid->pos,
                   "side '%s' appears twice in table %s", side_id, t->id);
    parse_side(b, sm, side_id,
               arena_printf(b->a, _("side %s of table %s"), side_id, t->id),
               &ss[n++]);
  }
  if (n < 2)
    diag_error(b->d, DIAG_SCHEMA, sides->pos,
               "a table with sides needs at least two; give a one-sided "
               "table its rows and columns directly");
  t->sides = ss;
  t->nsides = n;
  t->two_sided = true;
}

static void parse_tables(schema_builder *b, const ynode *seq) {
  if (!ynode_expect(seq, YNODE_SEQ, "tables", b->d))
    return;
  schema_table *ts = ARENA_ARRAY(b->a, schema_table, seq->u.seq.count);
  const char **ids = ARENA_ARRAY(b->a, const char *, seq->u.seq.count + 1);
  size_t n = 0;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *tm = seq->u.seq.items[i];
    if (!ynode_expect(tm, YNODE_MAP, "a table", b->d))
      continue;
    parse_table(b, tm, &ts[n]);
    if (index_of(ids, n, ts[n].id) >= 0)
      diag_error(b->d, DIAG_SCHEMA, tm->pos, "table '%s' appears twice",
                 ts[n].id);
    if (!strcmp(ts[n].id, "label") || !strcmp(ts[n].id, "title"))
      diag_error(b->d, DIAG_SCHEMA, tm->pos,
                 "'%s' cannot be a table id", ts[n].id);
    ids[n] = ts[n].id;
    n++;
  }
  ids[n] = NULL;
  b->s->tables = ts;
  b->s->ntables = n;
  b->s->table_ids = ids;
}

/* ---------------------------------------------------------------- identities
 * An operand names a cell:
 *   表三.total.合计            the total row's cell
 *   表六[30217].合计           the row with that code (or item label);
 *                              several rows sharing the code are summed
 *   表二[*].总计               every code of the first operand's side
 *   表八.公务接待费             a record's cell
 * A two-sided table names its side after the table: 表一.income.total.预算数. */

static int lookup_table_index(const schema *s, const char *id) {
  return index_of(s->table_ids, s->ntables, id);
}

static bool parse_ref(schema_builder *b, const ynode *n, const char *text,
                      schema_ref *r) {
  const schema *s = b->s;
  const char *p = text + strcspn(text, ".[");
  char *table_id = arena_strndup(b->a, text, (size_t)(p - text));
  r->table = lookup_table_index(s, table_id);
  if (r->table < 0) {
    report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "table", table_id, NULL,
                      s->table_ids);
    return false;
  }
  const schema_table *t = &s->tables[r->table];
  if (t->nsides == 0)
    return false; /* the table's own error is reported already */
  r->side = 0;
  if (t->two_sided) {
    if (*p != '.') {
      diag_error(b->d, DIAG_SCHEMA, n->pos,
                 "'%s': table %s has sides; name one after the table "
                 "(%s.%s…)",
                 text, t->id, t->id, t->sides[0].id);
      return false;
    }
    const char *q = p + 1 + strcspn(p + 1, ".[");
    char *side_id = arena_strndup(b->a, p + 1, (size_t)(q - p - 1));
    r->side = -1;
    for (size_t i = 0; i < t->nsides; i++)
      if (!strcmp(t->sides[i].id, side_id))
        r->side = (int)i;
    if (r->side < 0) {
      diag_error(b->d, DIAG_SCHEMA, n->pos, "table %s has no side '%s'",
                 t->id, side_id);
      return false;
    }
    p = q;
  }
  const schema_side *side = &t->sides[r->side];
  const char *column;
  if (side->kind == MODEL_ROWS_RECORD) {
    if (*p != '.') {
      diag_error(b->d, DIAG_SCHEMA, n->pos,
                 "'%s': a record's cell is named %s.<column>", text, t->id);
      return false;
    }
    r->kind = REF_RECORD;
    column = p + 1;
  } else if (*p == '[') {
    const char *close = strchr(p, ']');
    if (!close || close[1] != '.') {
      diag_error(b->d, DIAG_SCHEMA, n->pos,
                 "'%s': expected [code].<column>", text);
      return false;
    }
    r->key = arena_strndup(b->a, p + 1, (size_t)(close - p - 1));
    r->kind = strcmp(r->key, "*") ? REF_ROW : REF_EACH;
    if (r->kind == REF_EACH && side->kind != MODEL_ROWS_CODED) {
      diag_error(b->d, DIAG_SCHEMA, n->pos,
                 "'%s': [*] needs coded rows", text);
      return false;
    }
    column = close + 2;
  } else if (!strncmp(p, ".total.", 7)) {
    if (!side->total) {
      diag_error(b->d, DIAG_SCHEMA, n->pos, "'%s': %s has no total row",
                 text, t->id);
      return false;
    }
    r->kind = REF_TOTAL;
    column = p + 7;
  } else {
    diag_error(b->d, DIAG_SCHEMA, n->pos,
               "'%s': expected %s.total.<column> or %s[code].<column>", text,
               t->id, t->id);
    return false;
  }
  r->column = index_of(side->columns, side->ncolumns, column);
  if (r->column < 0) {
    report_unknown_name(b->d, DIAG_SCHEMA, n->pos,
                      "column", column,
                      arena_printf(b->a, _("in %s"), t->id), side->columns);
    return false;
  }
  return true;
}

static const schema_ref *parse_refs(schema_builder *b, const ynode *n,
                                    const char *text, size_t *count,
                                    bool *ok) {
  char **parts = split_plus(b->a, text, count);
  schema_ref *refs = ARENA_ARRAY(b->a, schema_ref, *count);
  for (size_t i = 0; i < *count; i++)
    if (!parse_ref(b, n, parts[i], &refs[i]))
      *ok = false;
  return refs;
}

static void parse_identities(schema_builder *b, const ynode *seq) {
  if (!ynode_expect(seq, YNODE_SEQ, "identities", b->d))
    return;
  schema_identity *ids =
      ARENA_ARRAY(b->a, schema_identity, seq->u.seq.count);
  size_t n = 0;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *item = seq->u.seq.items[i];
    const char *text = ynode_scalar(item, "an identity", b->d);
    if (!text)
      continue;
    char *left, *right;
    if (!split_equation(b->a, text, &left, &right)) {
      diag_error(b->d, DIAG_SCHEMA, item->pos,
                 "identity '%s' must have the form 'A = B + C'", text);
      continue;
    }
    schema_identity *id = &ids[n];
    bool ok = true;
    id->left = parse_refs(b, item, left, &id->nleft, &ok);
    id->right = parse_refs(b, item, right, &id->nright, &ok);
    if (!ok)
      continue;
    size_t each = 0;
    for (size_t k = 0; k < id->nleft; k++)
      each += id->left[k].kind == REF_EACH;
    for (size_t k = 0; k < id->nright; k++)
      each += id->right[k].kind == REF_EACH;
    if (each && each != id->nleft + id->nright) {
      diag_error(b->d, DIAG_SCHEMA, item->pos,
                 "identity '%s': use [*] in every operand or in none", text);
      continue;
    }
    id->each = each > 0;
    id->text = text;
    id->pos = item->pos;
    n++;
  }
  b->s->identities = ids;
  b->s->nidentities = n;
}

/* ---------------------------------------------------------------- parts
 * Each kind of part has one entry in part_kinds: its name in the schema,
 * the keys its declaration takes beside name/kind/required, and what
 * reads them.  The loader (load.c) and the layout dispatch on the kind. */

static void register_missing_key(schema_builder *b, const ynode *map,
                             const char *key) {
  diag_error(b->d, DIAG_SCHEMA, map->pos,
             "missing key '%s' in a register (give table and amount, or "
             "neither)", key);
}

static void parse_register(schema_builder *b, const ynode *map) {
  schema *s = b->s;
  s->has_register = true;
  const ynode *tn = ymap_lookup(map, "table");
  const ynode *an = ymap_lookup(map, "amount");
  if (!tn && !an)
    return; /* a plain list of items: no table's rows name them */
  if (!tn || !an) {
    register_missing_key(b, map, tn ? "amount" : "table");
    return;
  }
  const char *tid = tn ? ynode_scalar(tn, "the register's table", b->d) : NULL;
  const char *col = an ? ynode_scalar(an, "the register's amount", b->d) : NULL;
  if (!tid || !col)
    return;
  int ti = lookup_table_index(s, tid);
  if (ti < 0) {
    report_unknown_name(b->d, DIAG_SCHEMA, tn->pos, "table", tid, NULL,
                      s->table_ids);
    return;
  }
  const schema_table *t = &s->tables[ti];
  int si = -1;
  for (size_t i = 0; i < t->nsides; i++)
    if (t->sides[i].project_level >= 0)
      si = (int)i;
  if (si < 0) {
    diag_error(b->d, DIAG_SCHEMA, tn->pos,
               "table %s has no project_level, so no row carries a project",
               tid);
    return;
  }
  int ci = index_of(t->sides[si].columns, t->sides[si].ncolumns, col);
  if (ci < 0) {
    report_unknown_name(b->d, DIAG_SCHEMA, an->pos,
                      "column", col,
                      arena_printf(b->a, _("in %s"), tid), t->sides[si].columns);
    return;
  }
  s->project_table = ti;
  s->project_side = si;
  s->project_column = ci;
}

/* fields + optional_fields: all (required first) into *all, NULL-terminated;
 * returns the number required. */
static size_t parse_field_lists(schema_builder *b, const ynode *map,
                                const char *const **all_out, size_t *nall) {
  size_t nreq = 0, nopt = 0;
  const ynode *f = ymap_lookup(map, "fields");
  const ynode *o = ymap_lookup(map, "optional_fields");
  const char **req =
      f ? ynode_string_list(b->a, f, "fields", true, &nreq, b->d) : NULL;
  const char **opt =
      o ? ynode_string_list(b->a, o, "optional_fields", true, &nopt, b->d)
        : NULL;
  if (!req)
    nreq = 0;
  if (!opt)
    nopt = 0;
  const char **all = ARENA_ARRAY(b->a, const char *, nreq + nopt + 1);
  for (size_t i = 0; i < nreq; i++)
    all[i] = req[i];
  for (size_t i = 0; i < nopt; i++) {
    if (index_of(all, nreq, opt[i]) >= 0)
      diag_error(b->d, DIAG_SCHEMA, o->pos,
                 "'%s' is both a field and an optional field", opt[i]);
    all[nreq + i] = opt[i];
  }
  *all_out = all;
  *nall = nreq + nopt;
  return nreq;
}

static void parse_descriptions(schema_builder *b, const ynode *map) {
  size_t nall;
  const char *const *all;
  size_t nreq = parse_field_lists(b, map, &all, &nall);
  const char **req = ARENA_ARRAY(b->a, const char *, nreq + 1);
  for (size_t i = 0; i < nreq; i++)
    req[i] = all[i];
  b->s->required_fields = req;
  b->s->description_fields = all;
}

/* The grid figure column `name` names at pos, or -1 (reported). */
static int grid_figure_at(schema_builder *b, const char *name, src_pos pos,
                          const char **names, const bool *figures) {
  int c = index_of(names, b->s->ngrid_columns, name);
  if (c < 0)
    report_unknown_name(b->d, DIAG_SCHEMA, pos, "grid column", name, NULL,
                        names);
  else if (!figures[c])
    diag_error(b->d, DIAG_SCHEMA, pos,
               "grid column %s holds no figures (list it under figures:)",
               names[c]);
  return c >= 0 && figures[c] ? c : -1;
}

/* bounds: ["得分 <= 分值"]; totals: {分值: 90} */
static void parse_grid_rules(schema_builder *b, const ynode *map,
                             const char **names, const bool *figures) {
  schema *s = b->s;
  const ynode *bounds = ymap_lookup(map, "bounds");
  if (bounds && ynode_expect(bounds, YNODE_SEQ, "bounds", b->d)) {
    struct schema_grid_bound *pairs = ARENA_ARRAY(
        b->a, struct schema_grid_bound, bounds->u.seq.count + 1);
    size_t n = 0;
    for (size_t i = 0; i < bounds->u.seq.count; i++) {
      const ynode *item = bounds->u.seq.items[i];
      const char *t = ynode_scalar(item, "a bound", b->d);
      const char *le = t ? strstr(t, "<=") : NULL;
      if (!le) {
        if (t)
          diag_error(b->d, DIAG_SCHEMA, item->pos,
                     "a bound is \"<column> <= <column>\" (得分 <= 分值), "
                     "not \"%s\"",
                     t);
        continue;
      }
      const char *left =
          text_trim_copy(b->a, arena_strndup(b->a, t, (size_t)(le - t)));
      const char *right = text_trim_copy(b->a, le + 2);
      int a = grid_figure_at(b, left, item->pos, names, figures);
      int c = grid_figure_at(b, right, item->pos, names, figures);
      if (a >= 0 && c >= 0)
        pairs[n++] = (struct schema_grid_bound){a, c};
    }
    s->grid_bounds = pairs;
    s->ngrid_bounds = n;
  }
  const ynode *totals = ymap_lookup(map, "totals");
  if (totals && ynode_expect(totals, YNODE_MAP, "totals", b->d)) {
    struct schema_grid_total *t = ARENA_ARRAY(b->a, struct schema_grid_total,
                                              totals->u.map.count + 1);
    size_t n = 0;
    for (size_t i = 0; i < totals->u.map.count; i++) {
      const ypair *p = &totals->u.map.pairs[i];
      const char *col = p->key->u.scalar.text;
      int c = grid_figure_at(b, col, p->key->pos, names, figures);
      const char *v = ynode_scalar(p->value, "a total", b->d);
      model_amount amount = {0};
      char why[128] = "";
      if (c < 0 || !v)
        continue;
      if (!model_amount_parse(v, &amount, why, sizeof why)) {
        diag_error(b->d, DIAG_SCHEMA, p->value->pos,
                   "the total of %s must be a figure: %s", col, why);
        continue;
      }
      if (!amount.present) {
        diag_error(b->d, DIAG_SCHEMA, p->value->pos,
                   "the total of %s must be a figure, not empty", col);
        continue;
      }
      t[n++] = (struct schema_grid_total){c, decimal_from_amount(&amount),
                                          v, p->value->pos};
    }
    s->grid_totals = t;
    s->ngrid_totals = n;
  }
}

static void parse_grid(schema_builder *b, const ynode *map) {
  schema *s = b->s;
  if (!ynode_expect(map, YNODE_MAP, "grid", b->d))
    return;
  static const char *const keys[] = {"key",    "columns", "spans", "figures",
                                     "values", "bounds",  "totals", NULL};
  ymap_check_keys(map, keys, "grid", b->d);
  const ynode *key = ymap_require(map, "key", "grid", b->d);
  if (key)
    s->grid_key = ynode_scalar(key, "the grid's key", b->d);
  const ynode *cols = ymap_require(map, "columns", "grid", b->d);
  const char **names =
      cols ? ynode_string_list(b->a, cols, "grid columns", true,
                               &s->ngrid_columns, b->d)
           : NULL;
  if (!names)
    return;
  s->grid_columns = names;
  bool *figures = ARENA_ARRAY(b->a, bool, s->ngrid_columns);
  bool *spans = ARENA_ARRAY(b->a, bool, s->ngrid_columns);
  s->grid_figures = figures;
  s->grid_spans = spans;
  static const char *const lists[] = {"spans", "figures"};
  for (int l = 0; l < 2; l++) {
    const ynode *n = ymap_lookup(map, lists[l]);
    size_t k;
    const char **list =
        n ? ynode_string_list(b->a, n, lists[l], true, &k, b->d) : NULL;
    for (size_t i = 0; list && i < k; i++) {
      int c = index_of(names, s->ngrid_columns, list[i]);
      if (c < 0)
        report_unknown_name(b->d, DIAG_SCHEMA, n->pos, "grid column",
                            list[i], NULL, names);
      else
        (l ? figures : spans)[c] = true;
    }
  }
  const ynode *vals = ymap_lookup(map, "values");
  if (vals && ynode_expect(vals, YNODE_MAP, "values", b->d)) {
    if (s->ngrid_columns < 2)
      diag_error(b->d, DIAG_SCHEMA, vals->pos,
                 "values name pairs of the first two grid columns; the grid "
                 "has %zu", s->ngrid_columns);
    schema_grid_group *g =
        ARENA_ARRAY(b->a, schema_grid_group, vals->u.map.count);
    const char **firsts =
        ARENA_ARRAY(b->a, const char *, vals->u.map.count + 1);
    size_t n = 0;
    for (size_t i = 0; i < vals->u.map.count; i++) {
      const ypair *p = &vals->u.map.pairs[i];
      size_t nsec;
      const char **sec = ynode_string_list(
          b->a, p->value, arena_printf(b->a, _("values under %s"),
                                       p->key->u.scalar.text),
          true, &nsec, b->d);
      if (!sec)
        continue;
      g[n] = (schema_grid_group){p->key->u.scalar.text, sec, nsec};
      firsts[n++] = p->key->u.scalar.text;
    }
    firsts[n] = NULL;
    s->grid_groups = g;
    s->ngrid_groups = n;
    s->grid_firsts = firsts;
  }
  parse_grid_rules(b, map, names, figures);
}

static void parse_sheets(schema_builder *b, const ynode *map) {
  schema *s = b->s;
  s->nsheet_required =
      parse_field_lists(b, map, &s->sheet_fields, &s->nsheet_fields);
  const ynode *tf = ymap_lookup(map, "title_field");
  if (tf) {
    const char *k = ynode_scalar(tf, "title_field", b->d);
    s->sheet_title_field = k ? index_of(s->sheet_fields, s->nsheet_fields, k)
                             : -1;
    if (k && s->sheet_title_field < 0)
      report_unknown_name(b->d, DIAG_SCHEMA, tf->pos, "field", k, NULL,
                          s->sheet_fields);
  }
  const ynode *funds = ymap_lookup(map, "funds");
  if (funds) {
    /* Funds are a record's columns: they may be computed (执行率). */
    schema_side record = {0};
    const char **fk = parse_columns(b, funds, &record, &s->nfunds);
    if (fk) {
      s->fund_keys = fk;
      s->fund_specs = record.colspecs;
    } else {
      s->nfunds = 0;
    }
  }
  s->fund_sums = parse_sums(b, ymap_lookup(map, "row_sums"), s->fund_keys,
                            s->nfunds, &s->nfund_sums);
  const ynode *pa = ymap_lookup(map, "project_amount");
  if (pa) {
    const char *k = ynode_scalar(pa, "project_amount", b->d);
    if (k) {
      s->project_fund = index_of(s->fund_keys, s->nfunds, k);
      if (s->project_fund < 0)
        report_unknown_name(b->d, DIAG_SCHEMA, pa->pos, "fund", k, NULL,
                          s->fund_keys);
      else if (s->project_table < 0)
        diag_error(b->d, DIAG_SCHEMA, pa->pos,
                   "project_amount needs a register part before the sheets");
    }
  }
  const ynode *grid = ymap_lookup(map, "grid");
  if (grid)
    parse_grid(b, grid);
}

static void parse_fields_part(schema_builder *b, const ynode *map,
                              schema_part *p) {
  const ynode *f = ymap_require(map, "fields", "a fields part", b->d);
  const char **keys =
      f ? ynode_string_list(b->a, f, "fields", true, &p->nfields, b->d) : NULL;
  if (keys)
    p->fields = keys;
  else
    p->nfields = 0;
}

typedef struct part_kind {
  const char *name;
  model_part_kind kind;
  const char *const *keys; /* beside name, kind, required */
  bool single;             /* one such part at most */
} part_kind;

static const char *const sections_keys[] = {"title", NULL};
static const char *const fields_keys[] = {"fields", NULL};
static const char *const no_keys[] = {NULL};
static const char *const register_keys[] = {"table", "amount", NULL};
static const char *const description_keys[] = {"fields", "optional_fields",
                                               NULL};
static const char *const sheet_keys[] = {"fields", "optional_fields",
                                         "title_field", "funds", "row_sums",
                                         "project_amount", "grid", NULL};

static const part_kind part_kinds[] = {
    {"sections", MODEL_PART_SECTIONS, sections_keys, false},
    {"entries", MODEL_PART_ENTRIES, sections_keys, false},
    {"fields", MODEL_PART_FIELDS, fields_keys, false},
    {"tables", MODEL_PART_TABLES, no_keys, true},
    {"register", MODEL_PART_REGISTER, register_keys, true},
    {"descriptions", MODEL_PART_DESCRIPTIONS, description_keys, true},
    {"sheets", MODEL_PART_SHEETS, sheet_keys, true},
};
#define NPART_KINDS (sizeof part_kinds / sizeof *part_kinds)

/* Keys of the data file that are not parts. */
static const char *const data_keys[] = {"schema", "layout", "document", NULL};

static void parse_part(schema_builder *b, const ynode *n, schema_part *p,
                       const part_kind **seen) {
  p->pos = n->pos;
  const ynode *name = ymap_require(n, "name", "a part", b->d);
  const ynode *kind = ymap_require(n, "kind", "a part", b->d);
  p->name = name ? ynode_scalar(name, "a part's name", b->d) : NULL;
  const char *k = kind ? ynode_scalar(kind, "a part's kind", b->d) : NULL;
  const char *kind_names[NPART_KINDS + 1];
  const part_kind *pk = NULL;
  for (size_t i = 0; i < NPART_KINDS; i++) {
    kind_names[i] = part_kinds[i].name;
    if (k && !strcmp(part_kinds[i].name, k))
      pk = &part_kinds[i];
  }
  kind_names[NPART_KINDS] = NULL;
  if (k && !pk)
    report_unknown_name(b->d, DIAG_SCHEMA, kind->pos, "part kind", k, NULL,
                        kind_names);
  if (!pk || !p->name)
    return;
  p->kind = pk->kind;
  if (index_of(data_keys, 3, p->name) >= 0)
    diag_error(b->d, DIAG_SCHEMA, name->pos,
               "'%s' is a key of the data file itself; name the part "
               "otherwise", p->name);
  const char *allowed[12];
  size_t na = 0;
  allowed[na++] = "name";
  allowed[na++] = "kind";
  allowed[na++] = "required";
  for (size_t i = 0; pk->keys[i]; i++)
    allowed[na++] = pk->keys[i];
  allowed[na] = NULL;
  ymap_check_keys(n, allowed, arena_printf(b->a, _("a %s part"), pk->name),
                  b->d);
  const ynode *req = ymap_lookup(n, "required");
  if (req)
    ynode_bool(req, "required", &p->required, b->d);
  if (pk->single) {
    if (seen[pk - part_kinds]) {
      diag_error(b->d, DIAG_SCHEMA, kind->pos,
                 "a schema has one %s part at most", pk->name);
      return;
    }
    seen[pk - part_kinds] = pk;
  }
  switch (pk->kind) {
  case MODEL_PART_SECTIONS:
  case MODEL_PART_ENTRIES: {
    const ynode *t = ymap_lookup(n, "title");
    if (t)
      ynode_bool(t, "title", &p->title, b->d);
    break;
  }
  case MODEL_PART_FIELDS:
    parse_fields_part(b, n, p);
    break;
  case MODEL_PART_TABLES:
    break;
  case MODEL_PART_REGISTER:
    parse_register(b, n);
    break;
  case MODEL_PART_DESCRIPTIONS:
    parse_descriptions(b, n);
    break;
  case MODEL_PART_SHEETS:
    parse_sheets(b, n);
    break;
  }
}

static void parse_parts(schema_builder *b, const ynode *seq) {
  schema *s = b->s;
  if (!ynode_expect(seq, YNODE_SEQ, "parts", b->d))
    return;
  schema_part *parts = ARENA_ARRAY(b->a, schema_part, seq->u.seq.count);
  const char **names = ARENA_ARRAY(b->a, const char *, seq->u.seq.count + 1);
  const part_kind *seen[NPART_KINDS] = {0};
  size_t n = 0;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *item = seq->u.seq.items[i];
    if (!ynode_expect(item, YNODE_MAP, "a part", b->d))
      continue;
    schema_part *p = &parts[n];
    parse_part(b, item, p, seen);
    if (!p->name)
      continue;
    if (index_of(names, n, p->name) >= 0) {
      diag_error(b->d, DIAG_SCHEMA, item->pos, "part '%s' is declared twice",
                 p->name);
      continue;
    }
    names[n++] = p->name;
  }
  names[n] = NULL;
  s->parts = parts;
  s->nparts = n;
  s->part_names = names;
  if (s->ntables && !seen[3])
    diag_error(b->d, DIAG_SCHEMA, seq->pos,
               "the schema declares tables but no part of kind tables shows "
               "them");
}

const schema_part *schema_lookup_part(const schema *s, const char *name) {
  for (size_t i = 0; name && i < s->nparts; i++)
    if (!strcmp(s->parts[i].name, name))
      return &s->parts[i];
  return NULL;
}

const schema_part *schema_part_of_kind(const schema *s, model_part_kind k) {
  for (size_t i = 0; i < s->nparts; i++)
    if (s->parts[i].kind == k)
      return &s->parts[i];
  return NULL;
}

/* ---------------------------------------------------------------- load */

const schema *schema_load(arena *a, const char *path, diag *d) {
  int errors_before = diag_error_count(d);
  const ynode *root = yaml_tree_load(a, path, NULL, d);
  if (!root)
    return NULL;
  if (!ynode_expect(root, YNODE_MAP, "a schema file", d))
    return NULL;
  schema_builder b = {a, d, ARENA_NEW(a, schema)};
  schema *s = b.s;
  s->path = arena_strdup(a, path);
  /* A schema of before `parts:` declared its register, descriptions and
   * sheets at the top; say where they went rather than only "unknown". */
  for (size_t i = 0; i < root->u.map.count; i++) {
    const ynode *k = root->u.map.pairs[i].key;
    if (index_of(top_keys, sizeof top_keys / sizeof *top_keys - 1,
                 k->u.scalar.text) >= 0)
      continue;
    const char *near = closest_name(k->u.scalar.text, top_keys);
    if (near)
      diag_error(d, DIAG_SCHEMA, k->pos,
                 "unknown key '%s' in the schema; did you mean '%s'?",
                 k->u.scalar.text, near);
    else
      diag_error(d, DIAG_SCHEMA, k->pos,
                 "unknown key '%s' in the schema; the document's parts "
                 "(text, register, descriptions, sheets) are declared as "
                 "items of 'parts:', e.g. '- {name: %s, kind: ...}' "
                 "(docs/DATA.md)",
                 k->u.scalar.text, k->u.scalar.text);
  }
  const ynode *name = ymap_require(root, "schema", "the schema", d);
  if (name)
    s->name = ynode_scalar(name, "the schema's name", d);
  const ynode *title = ymap_lookup(root, "title");
  if (title)
    s->title = ynode_scalar(title, "the schema's title", d);
  static const char *const no_units[] = {NULL};
  s->amount_units = no_units;
  const ynode *units = ymap_lookup(root, "amount_units");
  if (units) {
    size_t n;
    const char **u = ynode_string_list(a, units, "amount_units", true, &n, d);
    if (u)
      s->amount_units = u;
  }
  parse_classifications(&b, ymap_lookup(root, "classifications"));
  const ynode *tables = ymap_require(root, "tables", "the schema", d);
  if (tables)
    parse_tables(&b, tables);
  if (!s->table_ids) {
    static const char *const no_ids[] = {NULL};
    s->table_ids = no_ids;
  }
  const ynode *ids = ymap_lookup(root, "identities");
  if (ids)
    parse_identities(&b, ids);
  static const char *const none[] = {NULL};
  s->project_table = s->project_side = s->project_column = -1;
  s->required_fields = s->description_fields = none;
  s->sheet_fields = s->fund_keys = s->grid_columns = s->grid_firsts = none;
  s->sheet_title_field = s->project_fund = -1;
  s->part_names = none;
  const ynode *parts = ymap_lookup(root, "parts");
  if (parts) {
    parse_parts(&b, parts);
  } else {
    /* A schema of tables only: its one part is the tables. */
    static const char *const names[] = {"tables", NULL};
    schema_part *p = ARENA_NEW(a, schema_part);
    *p = (schema_part){.name = names[0], .kind = MODEL_PART_TABLES,
                       .required = true, .pos = root->pos};
    s->parts = p;
    s->nparts = 1;
    s->part_names = names;
  }
  s->figures = schema_parse_figures(a, ymap_lookup(root, "figures"), d);
  if (diag_error_count(d) != errors_before)
    return NULL;
  return s;
}
