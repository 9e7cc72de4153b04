/* SPDX-License-Identifier: MIT */
/* load_tables.c — the tables part of a data file: each table the schema
 * declares, its sides, rows and amounts.  The schema decides what a row
 * may hold (its code format, its columns, whether it names a project);
 * anything else is an error at the offending node. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

/* What the messages call a side: "表三" or "表一 income". */
static const char *side_name(loader *L, const schema_table *t,
                             const schema_side *ss) {
  return ss->id ? arena_printf(L->a, "%s %s", t->id, ss->id) : t->id;
}

/* Keys a row of this side may have: its parts, then the columns. */
static const char *const *row_keys(loader *L, const schema_side *ss) {
  const char **keys = ARENA_ARRAY(L->a, const char *, ss->ncolumns + 5);
  size_t n = 0;
  if (ss->kind == MODEL_ROWS_CODED)
    keys[n++] = "code";
  if (ss->kind != MODEL_ROWS_RECORD)
    keys[n++] = "name";
  if (ss->kind == MODEL_ROWS_ITEMS)
    keys[n++] = "level";
  if (ss->project_level >= 0)
    keys[n++] = "project";
  for (size_t i = 0; i < ss->ncolumns; i++)
    keys[n++] = ss->columns[i];
  keys[n] = NULL;
  return keys;
}

/* Computed columns the data leaves out take their computed figure (in
 * column order, so a rate may use a difference computed before it); the
 * ones it writes are `check`'s to compare. */
static void fill_computed(loader *L, const schema_side *ss,
                          model_amount *cells) {
  for (size_t c = 0; c < ss->ncolumns; c++) {
    const schema_column *spec = &ss->colspecs[c];
    decimal d;
    bool overflow;
    if (spec->compute == COMPUTE_NONE || cells[c].present ||
        !schema_column_compute(spec, cells, &d, &overflow))
      continue;
    char buf[48];
    cells[c].present = true;
    cells[c].computed = true;
    cells[c].value = d.value;
    cells[c].scale = d.scale;
    cells[c].text = arena_strdup(L->a, decimal_format(d, buf, sizeof buf));
  }
}

/* Read the amounts of `map` (a row, a total or a record) into cells, in
 * column order; keys that are not columns are left to the caller. */
static model_amount *load_amounts(loader *L, const ynode *map,
                                  const schema_side *ss) {
  model_amount *cells = ARENA_ARRAY(L->a, model_amount, ss->ncolumns);
  for (size_t c = 0; c < ss->ncolumns; c++)
    cells[c].pos = map->pos;
  for (size_t i = 0; i < map->u.map.count; i++) {
    const ypair *p = &map->u.map.pairs[i];
    const char *key = p->key->u.scalar.text;
    size_t c = 0;
    while (c < ss->ncolumns && strcmp(ss->columns[c], key))
      c++;
    if (c == ss->ncolumns)
      continue;
    const ynode *v = p->value;
    if (ynode_is_null(v))
      continue; /* written out but empty: absent */
    const char *what = arena_printf(L->a, _("the amount of %s"), key);
    const char *text = ynode_scalar(v, what, L->d);
    if (!text)
      continue;
    char why[160];
    model_amount a;
    if (!model_amount_parse(text, &a, why, sizeof why)) {
      diag_error(L->d, DIAG_SCHEMA, v->pos,
                 "%s: '%s' is not an amount: %s", key, text, why);
      continue;
    }
    a.pos = v->pos;
    if (a.present)
      a.text = text_trim_copy(L->a, text);
    else
      a.pos = map->pos;
    if (a.present && a.value < 0 && !ss->colspecs[c].negative)
      diag_error(L->d, DIAG_SCHEMA, v->pos,
                 "%s: %s is negative; the schema does not allow negative "
                 "figures in this column (negative: true)",
                 key, a.text);
    cells[c] = a;
  }
  fill_computed(L, ss, cells);
  return cells;
}

/* A code's level in the classification, or -1 after reporting why the
 * code is not one. */
static int code_level(loader *L, const ynode *n, const char *code,
                      const schema_side *ss, const char *where) {
  const schema_classification *c = ss->classification;
  size_t len = strlen(code);
  for (size_t i = 0; i < len; i++)
    if (code[i] < '0' || code[i] > '9') {
      diag_error(L->d, DIAG_SCHEMA, n->pos,
                 "code '%s' in %s must be digits only", code, where);
      return -1;
    }
  for (size_t l = 0; l < c->nlevels; l++) {
    if ((size_t)c->levels[l].digits != len)
      continue;
    if (ss->level_mask & (1u << l))
      return (int)l;
    bbuf allowed = {0};
    for (size_t k = 0; k < c->nlevels; k++)
      if (ss->level_mask & (1u << k))
        bbuf_printf(&allowed, "%s%s", allowed.len ? ", " : "",
                    c->levels[k].name);
    diag_error(L->d, DIAG_SCHEMA, n->pos,
               "code '%s' is a %s code; rows of %s are %s only", code,
               c->levels[l].name, where, allowed.data ? allowed.data : "");
    bbuf_free(&allowed);
    return -1;
  }
  bbuf lengths = {0};
  for (size_t k = 0; k < c->nlevels; k++)
    bbuf_printf(&lengths, "%s%d (%s)",
                k == 0 ? "" : k + 1 == c->nlevels ? " or " : ", ",
                c->levels[k].digits, c->levels[k].name);
  diag_error(L->d, DIAG_SCHEMA, n->pos,
             "code '%s' has %zu digits; %s codes have %s", code, len,
             c->name, lengths.data);
  bbuf_free(&lengths);
  return -1;
}

static const char *const *code_parts(loader *L, const char *code,
                                     const schema_classification *c) {
  const char **parts = ARENA_ARRAY(L->a, const char *, c->nlevels);
  size_t len = strlen(code);
  int from = 0;
  for (size_t l = 0; l < c->nlevels; l++) {
    int to = c->levels[l].digits;
    parts[l] = (size_t)to <= len
                   ? arena_strndup(L->a, code + from, (size_t)(to - from))
                   : "";
    from = to;
  }
  return parts;
}

typedef struct code_index {
  const char *code;
  size_t row;
  bool project_row;
} code_index;

static int code_index_cmp(const void *x, const void *y) {
  const code_index *a = x, *b = y;
  int c = strcmp(a->code, b->code);
  if (c)
    return c;
  return a->row < b->row ? -1 : a->row > b->row;
}

/* Codes are unique within a side, except that the rows of a project
 * level may share one (one row per project). */
static void check_duplicate_codes(loader *L, const model_row *rows,
                                  size_t n, int project_level,
                                  const char *where) {
  code_index *idx = xmalloc((n ? n : 1) * sizeof *idx);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (rows[i].code)
      idx[k++] = (code_index){rows[i].code, i,
                              rows[i].level == project_level};
  qsort(idx, k, sizeof *idx, code_index_cmp);
  for (size_t i = 1; i < k; i++) {
    if (strcmp(idx[i - 1].code, idx[i].code))
      continue;
    if (idx[i - 1].project_row && idx[i].project_row)
      continue;
    const model_row *first = &rows[idx[i - 1].row];
    diag_error(L->d, DIAG_SCHEMA, rows[idx[i].row].pos,
               "code %s appears twice in %s (first at line %d)",
               idx[i].code, where, first->pos.line);
  }
  free(idx);
}

static void load_row(loader *L, const ynode *rn, const schema_side *ss,
                     const char *where, const char *const *keys,
                     int *prev_level, model_row *row) {
  row->pos = rn->pos;
  const ynode *code = ymap_lookup(rn, "code");
  const char *code_text =
      code ? load_text_scalar(L, code, "a code") : NULL;
  const char *what =
      code_text ? arena_printf(L->a, _("row %s of %s"), code_text, where)
                : arena_printf(L->a, _("a row of %s"), where);
  ymap_check_keys(rn, keys, what, L->d);

  if (ss->kind == MODEL_ROWS_CODED) {
    if (!code)
      load_missing(L, rn, "code", what);
    else if (code_text) {
      row->code = code_text;
      row->level = code_level(L, code, code_text, ss, where);
      if (row->level >= 0) {
        row->level_name = ss->classification->levels[row->level].name;
        row->code_parts = code_parts(L, code_text, ss->classification);
      } else {
        row->level = 0;
      }
    }
  }
  const ynode *name = ymap_lookup(rn, "name");
  if (!name)
    load_missing(L, rn, "name", what);
  else
    row->name = load_text(L, name, "a row's name");
  if (ss->kind == MODEL_ROWS_ITEMS) {
    const ynode *level = ymap_lookup(rn, "level");
    int lv = 0;
    const char *t = level ? ynode_scalar(level, "level", L->d) : "0";
    if (t) {
      const char *c = t;
      while (*c >= '0' && *c <= '9' && lv < 100)
        lv = lv * 10 + (*c++ - '0');
      if (*c || c == t) {
        diag_error(L->d, DIAG_SCHEMA, level->pos,
                   "level must be 0, 1, 2 …, not '%s'", t);
        lv = 0;
      } else if (lv > *prev_level + 1) {
        diag_error(L->d, DIAG_SCHEMA, level->pos,
                   "level %d follows a row of level %d; a row can be at "
                   "most one level deeper than the row above",
                   lv, *prev_level);
      }
    }
    row->level = lv;
    *prev_level = lv;
  }
  if (ss->project_level >= 0 && row->code) {
    const ynode *pn = ymap_lookup(rn, "project");
    bool project_row = row->level == ss->project_level;
    const char *level_name =
        ss->classification->levels[ss->project_level].name;
    if (project_row && !pn) {
      load_missing(L, rn, "project", what);
    } else if (!project_row && pn) {
      diag_error(L->d, DIAG_SCHEMA, pn->pos,
                 "only %s rows of %s name a project", level_name, where);
    } else if (pn) {
      int p = lookup_project_id(L, pn, "project");
      if (p >= 0) {
        row->project = &L->projects[p];
        if (L->project_in_table)
          L->project_in_table[p] = true;
      }
    }
  }
  row->amounts = load_amounts(L, rn, ss);
}

static model_amount *absent_cells(loader *L, const schema_side *ss,
                                  src_pos pos) {
  model_amount *cells = ARENA_ARRAY(L->a, model_amount, ss->ncolumns);
  for (size_t c = 0; c < ss->ncolumns; c++)
    cells[c].pos = pos;
  return cells;
}

/* A side as the schema describes it, with no body rows, a record's row
 * and the total row all absent: what a table left out (or written
 * wrongly) shows to later stages. */
static void init_side(loader *L, const schema_side *ss, src_pos pos,
                      model_side *side) {
  side->id = ss->id;
  side->pos = pos;
  side->kind = ss->kind;
  side->columns = ss->columns;
  side->ncolumns = ss->ncolumns;
  if (ss->classification) {
    side->classification = ss->classification->name;
    side->levels = ss->classification->levels;
    side->nlevels = ss->classification->nlevels;
  }
  if (ss->kind == MODEL_ROWS_RECORD) {
    model_row *row = ARENA_NEW(L->a, model_row);
    row->pos = pos;
    row->amounts = absent_cells(L, ss, pos);
    side->rows = row;
    side->nrows = 1;
  }
  if (ss->total) {
    model_row *row = ARENA_NEW(L->a, model_row);
    row->is_total = true;
    row->pos = pos;
    row->amounts = absent_cells(L, ss, pos);
    side->total = row;
  }
}

static void load_side(loader *L, const ynode *map, const schema_table *t,
                      const schema_side *ss, model_side *side) {
  const char *where = side_name(L, t, ss);
  init_side(L, ss, map->pos, side);
  if (ss->kind == MODEL_ROWS_RECORD) {
    ((model_row *)side->rows)->amounts = load_amounts(L, map, ss);
    return;
  }
  static const char *const keys[] = {"rows", "total", NULL};
  static const char *const keys_note[] = {"rows", "total", "note", NULL};
  ymap_check_keys(map, t->two_sided ? keys : keys_note, where, L->d);
  const ynode *rows = ymap_lookup(map, "rows");
  if (!rows) {
    load_missing(L, map, "rows", where);
  } else if (ynode_expect(rows, YNODE_SEQ, "rows", L->d)) {
    const char *const *rkeys = row_keys(L, ss);
    model_row *out = ARENA_ARRAY(L->a, model_row, rows->u.seq.count);
    size_t n = 0;
    int prev_level = -1;
    for (size_t i = 0; i < rows->u.seq.count; i++) {
      const ynode *rn = rows->u.seq.items[i];
      if (!ynode_expect(rn, YNODE_MAP, "a row", L->d))
        continue;
      load_row(L, rn, ss, where, rkeys, &prev_level, &out[n++]);
    }
    side->rows = out;
    side->nrows = n;
    check_duplicate_codes(L, out, n, ss->project_level, where);
  }
  const ynode *total = ymap_lookup(map, "total");
  if (total && !ss->total) {
    diag_error(L->d, DIAG_SCHEMA, total->pos, "%s has no total row", where);
  } else if (total && !ynode_is_null(total) &&
             ynode_expect(total, YNODE_MAP, "total", L->d)) {
    model_row *row = (model_row *)side->total;
    row->pos = total->pos;
    const char *what = arena_printf(L->a, _("the total row of %s"), where);
    ymap_check_keys(total, ss->columns, what, L->d);
    row->amounts = load_amounts(L, total, ss);
  }
}

static void load_table(loader *L, const ynode *tn, const schema_table *st,
                       model_table *t) {
  t->id = st->id;
  t->title = st->title;
  t->pos = tn->pos;
  model_side *sides = ARENA_ARRAY(L->a, model_side, st->nsides);
  for (size_t i = 0; i < st->nsides; i++)
    init_side(L, &st->sides[i], tn->pos, &sides[i]);
  t->sides = sides;
  t->nsides = st->nsides;
  if (!ynode_expect(tn, YNODE_MAP, arena_printf(L->a, _("table %s"), st->id),
                    L->d))
    return;
  const ynode *note = ymap_lookup(tn, "note");
  if (note)
    t->note = load_text(L, note, "a note");
  if (st->two_sided) {
    const char **keys = ARENA_ARRAY(L->a, const char *, st->nsides + 2);
    for (size_t i = 0; i < st->nsides; i++)
      keys[i] = st->sides[i].id;
    keys[st->nsides] = "note";
    ymap_check_keys(tn, keys, arena_printf(L->a, _("table %s"), st->id), L->d);
    for (size_t i = 0; i < st->nsides; i++) {
      const ynode *sn = ymap_lookup(tn, st->sides[i].id);
      const char *where = side_name(L, st, &st->sides[i]);
      if (!sn)
        load_missing(L, tn, st->sides[i].id, arena_printf(L->a, _("table %s"),
                                                          st->id));
      else if (ynode_expect(sn, YNODE_MAP, where, L->d))
        load_side(L, sn, st, &st->sides[i], &sides[i]);
    }
    return;
  }
  if (st->sides[0].kind == MODEL_ROWS_RECORD) {
    const schema_side *ss = &st->sides[0];
    const char **keys = ARENA_ARRAY(L->a, const char *, ss->ncolumns + 2);
    for (size_t i = 0; i < ss->ncolumns; i++)
      keys[i] = ss->columns[i];
    keys[ss->ncolumns] = "note";
    ymap_check_keys(tn, keys, arena_printf(L->a, _("table %s"), st->id), L->d);
  }
  load_side(L, tn, st, &st->sides[0], &sides[0]);
}

void load_tables(loader *L, const ynode *tables) {
  const schema *s = L->s;
  model_table *out = ARENA_ARRAY(L->a, model_table, s->ntables);
  L->m->tables = out;
  L->m->ntables = s->ntables;
  for (size_t i = 0; i < s->ntables; i++) {
    out[i].id = s->tables[i].id;
    out[i].title = s->tables[i].title;
    out[i].pos = tables->pos;
  }
  if (!ynode_expect(tables, YNODE_MAP, "tables", L->d))
    return;
  for (size_t i = 0; i < tables->u.map.count; i++) {
    const ypair *p = &tables->u.map.pairs[i];
    const char *id = p->key->u.scalar.text;
    size_t k = 0;
    while (k < s->ntables && strcmp(s->tables[k].id, id))
      k++;
    if (k == s->ntables) {
      report_unknown_name(L->d, DIAG_SCHEMA, p->key->pos, "table", id, NULL,
                        s->table_ids);
      continue;
    }
    load_table(L, p->value, &s->tables[k], &out[k]);
  }
  for (size_t k = 0; k < s->ntables; k++)
    if (!ymap_lookup(tables, s->tables[k].id) && !s->tables[k].optional)
      diag_error(L->d, DIAG_SCHEMA, tables->pos, "missing table %s in tables",
                 s->tables[k].id);
  /* A table left out (optional) still has its sides, empty. */
  for (size_t k = 0; k < s->ntables; k++) {
    if (out[k].sides)
      continue;
    model_side *sides =
        ARENA_ARRAY(L->a, model_side, s->tables[k].nsides);
    for (size_t i = 0; i < s->tables[k].nsides; i++)
      init_side(L, &s->tables[k].sides[i], tables->pos, &sides[i]);
    out[k].sides = sides;
    out[k].nsides = s->tables[k].nsides;
  }
}
