/* SPDX-License-Identifier: MIT */
/* load_projects.c — projects: the register (ids and the names printed in
 * the project table), the project descriptions and the performance target
 * sheets.  A project appears in up to three places, each in its own order
 * and with its own published spelling of the name; the id ties them
 * together so that a sheet's funds can be checked against the table. */
#include "model_imp.h"

#include <stdint.h>
#include <string.h>

/* Ids are looked up by hash: a register of thousands of projects is
 * looked up three times per project (table row, description, sheet). */
static size_t id_hash(const char *id) {
  uint64_t h = 1469598103934665603ull;
  for (; *id; id++)
    h = (h ^ (unsigned char)*id) * 1099511628211ull;
  return (size_t)(h ^ h >> 29);
}

/* The slot holding id, or the empty slot where it would go. */
static int *project_slot(loader *L, const char *id) {
  size_t mask = L->nproject_slots - 1;
  for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask)
    if (!L->project_slots[i] || !strcmp(L->projects[L->project_slots[i] - 1].id, id))
      return &L->project_slots[i];
}

int lookup_project_id(loader *L, const ynode *n, const char *what) {
  const char *id = load_text_scalar(L, n, what);
  if (!id)
    return -1;
  if (L->nproject_slots) {
    int slot = *project_slot(L, id);
    if (slot)
      return slot - 1;
  }
  report_unknown_name(L->d, DIAG_SCHEMA, n->pos, "project", id, NULL,
                    L->project_ids);
  return -1;
}

void load_projects(loader *L, const ynode *seq) {
  static const char *const no_ids[] = {NULL};
  L->project_ids = (const char **)no_ids;
  if (!seq || !L->s->has_register)
    return;
  if (!ynode_expect(seq, YNODE_SEQ, "projects", L->d))
    return;
  size_t count = seq->u.seq.count;
  L->projects = ARENA_ARRAY(L->a, model_project, count);
  L->project_ids = ARENA_ARRAY(L->a, const char *, count + 1);
  L->project_in_table = ARENA_ARRAY(L->a, bool, count);
  for (L->nproject_slots = 16; L->nproject_slots < 2 * count + 1;)
    L->nproject_slots *= 2;
  L->project_slots = ARENA_ARRAY(L->a, int, L->nproject_slots);
  size_t n = 0;
  static const char *const keys[] = {"id", "name", NULL};
  for (size_t i = 0; i < count; i++) {
    const ynode *pn = seq->u.seq.items[i];
    if (!ynode_expect(pn, YNODE_MAP, "a project", L->d))
      continue;
    ymap_check_keys(pn, keys, "a project", L->d);
    const ynode *id = ymap_require(pn, "id", "a project", L->d);
    const ynode *name = ymap_require(pn, "name", "a project", L->d);
    const char *id_text = id ? load_text_scalar(L, id, "a project id") : NULL;
    if (!id_text)
      continue;
    if (!*id_text || strpbrk(id_text, " .[]")) {
      diag_error(L->d, DIAG_SCHEMA, id->pos,
                 "project id '%s' must be non-empty, without spaces, dots "
                 "or brackets",
                 id_text);
      continue;
    }
    int *slot = project_slot(L, id_text);
    if (*slot) {
      diag_error(L->d, DIAG_SCHEMA, id->pos,
                 "project id '%s' is used twice (first at line %d)", id_text,
                 L->projects[*slot - 1].pos.line);
      continue;
    }
    model_project *p = &L->projects[n];
    p->id = id_text;
    *slot = (int)n + 1;
    p->pos = pn->pos;
    p->name = load_text(L, name, "a project's name");
    L->project_ids[n++] = id_text;
  }
  L->project_ids[n] = NULL;
  L->m->projects = L->projects;
  L->m->nprojects = n;
}

/* ---------------------------------------------------------------- descriptions */

static void load_description(loader *L, const ynode *dn,
                             model_description *desc) {
  desc->pos = dn->pos;
  const ynode *pn = ymap_lookup(dn, "project");
  const char *what = "a project description";
  if (!pn) {
    load_missing(L, dn, "project", what);
  } else {
    int p = lookup_project_id(L, pn, "project");
    if (p >= 0) {
      model_project *proj = &L->projects[p];
      if (proj->description)
        diag_error(L->d, DIAG_SCHEMA, pn->pos,
                   "project '%s' already has a description (line %d)",
                   proj->id, proj->description->pos.line);
      else
        proj->description = desc;
      desc->project = proj;
      what = arena_printf(L->a, _("the description of project %s"), proj->id);
    }
  }
  const char *const *labels = L->s->description_fields;
  model_field *fields = ARENA_ARRAY(L->a, model_field, dn->u.map.count);
  size_t n = 0;
  for (size_t i = 0; i < dn->u.map.count; i++) {
    const ypair *f = &dn->u.map.pairs[i];
    const char *label = f->key->u.scalar.text;
    if (!strcmp(label, "project"))
      continue;
    bool known = false;
    for (size_t k = 0; labels[k] && !known; k++)
      known = !strcmp(labels[k], label);
    if (!known) {
      report_unknown_name(L->d, DIAG_SCHEMA, f->key->pos,
                        "field", label,
                        arena_printf(L->a, _("in %s"), what), labels);
      continue;
    }
    fields[n].label = (model_text){text_trim_copy(L->a, label), f->key->pos};
    fields[n].value = load_text(L, f->value, label);
    n++;
  }
  for (size_t k = 0; L->s->required_fields[k]; k++)
    if (!ymap_lookup(dn, L->s->required_fields[k]))
      load_missing(L, dn, L->s->required_fields[k], what);
  desc->fields = fields;
  desc->nfields = n;
}

/* ---------------------------------------------------------------- sheets */

static bool in_list(const char *const *names, const char *name) {
  for (size_t i = 0; names[i]; i++)
    if (!strcmp(names[i], name))
      return true;
  return false;
}

/* A grid row: one cell per grid column; figure columns are amounts; the
 * first two cells must be a pair the schema lists (when it lists any). */
static bool load_grid_row(loader *L, const ynode *in, model_grid_row *row) {
  const schema *s = L->s;
  size_t n = s->ngrid_columns;
  row->pos = in->pos;
  if (!ynode_expect(in, YNODE_SEQ, "a grid row", L->d))
    return false;
  if (in->u.seq.count != n) {
    bbuf names = {0};
    for (size_t i = 0; i < n; i++)
      bbuf_printf(&names, "%s%s", i ? ", " : "", s->grid_columns[i]);
    diag_error(L->d, DIAG_SCHEMA, in->pos,
               "a row of %s has %zu cells [%s], not %zu", s->grid_key, n,
               names.data ? names.data : "", in->u.seq.count);
    bbuf_free(&names);
    return false;
  }
  model_text *cells = ARENA_ARRAY(L->a, model_text, n);
  model_amount *amounts = ARENA_ARRAY(L->a, model_amount, n);
  for (size_t i = 0; i < n; i++) {
    const ynode *c = in->u.seq.items[i];
    amounts[i].pos = c->pos;
    if (s->grid_figures[i] && ynode_is_null(c)) {
      cells[i].pos = c->pos; /* a figure left out: absent */
      continue;
    }
    cells[i] = load_text(L, c, s->grid_columns[i]);
    if (s->grid_figures[i] && cells[i].text) {
      char why[160];
      if (!model_amount_parse(cells[i].text, &amounts[i], why, sizeof why)) {
        diag_error(L->d, DIAG_SCHEMA, c->pos, "%s: '%s' is not an amount: %s",
                   s->grid_columns[i], cells[i].text, why);
        continue;
      }
      amounts[i].pos = c->pos;
      amounts[i].text = amounts[i].present ? cells[i].text : NULL;
      if (amounts[i].present && amounts[i].value < 0)
        diag_error(L->d, DIAG_SCHEMA, c->pos,
                   "%s: %s is negative; a grid's figures are not",
                   s->grid_columns[i], cells[i].text);
    }
  }
  row->cells = cells;
  row->amounts = amounts;
  if (!s->ngrid_groups || !cells[0].text || !cells[1].text)
    return true;
  const schema_grid_group *g = NULL;
  for (size_t i = 0; i < s->ngrid_groups && !g; i++)
    if (!strcmp(s->grid_groups[i].first, cells[0].text))
      g = &s->grid_groups[i];
  if (!g) {
    report_unknown_name(L->d, DIAG_SCHEMA, cells[0].pos, s->grid_columns[0],
                        cells[0].text, NULL, s->grid_firsts);
    return true;
  }
  if (!in_list(g->seconds, cells[1].text))
    report_unknown_name(L->d, DIAG_SCHEMA, cells[1].pos, s->grid_columns[1],
                        cells[1].text, arena_printf(L->a, _("under %s"), g->first),
                        g->seconds);
  return true;
}

static void load_sheet_funds(loader *L, const ynode *funds, const char *what,
                             model_amount *cells) {
  const schema *s = L->s;
  if (!ynode_expect(funds, YNODE_MAP, "funds", L->d))
    return;
  ymap_check_keys(funds, s->fund_keys,
                  arena_printf(L->a, _("the funds of %s"), what), L->d);
  for (size_t i = 0; i < funds->u.map.count; i++) {
    const ypair *p = &funds->u.map.pairs[i];
    int k = -1;
    for (size_t j = 0; j < s->nfunds; j++)
      if (!strcmp(s->fund_keys[j], p->key->u.scalar.text))
        k = (int)j;
    if (k < 0 || ynode_is_null(p->value))
      continue;
    const char *text = ynode_scalar(
        p->value, arena_printf(L->a, _("the amount of %s"), s->fund_keys[k]),
        L->d);
    char why[160];
    model_amount a;
    if (!text)
      continue;
    if (!model_amount_parse(text, &a, why, sizeof why)) {
      diag_error(L->d, DIAG_SCHEMA, p->value->pos,
                 "%s: '%s' is not an amount: %s", s->fund_keys[k], text, why);
      continue;
    }
    a.pos = a.present ? p->value->pos : funds->pos;
    a.text = a.present ? text_trim_copy(L->a, text) : NULL;
    if (a.present && a.value < 0 && !s->fund_specs[k].negative)
      diag_error(L->d, DIAG_SCHEMA, p->value->pos,
                 "%s: %s is negative; the schema does not allow negative "
                 "figures here (negative: true)",
                 s->fund_keys[k], a.text);
    cells[k] = a;
  }
  /* Computed funds the data leaves out (执行率) take their figure. */
  for (size_t k = 0; k < s->nfunds; k++) {
    decimal d;
    bool overflow;
    if (s->fund_specs[k].compute == COMPUTE_NONE || cells[k].present ||
        !schema_column_compute(&s->fund_specs[k], cells, &d, &overflow))
      continue;
    char buf[48];
    cells[k].present = cells[k].computed = true;
    cells[k].value = d.value;
    cells[k].scale = d.scale;
    cells[k].text = arena_strdup(L->a, decimal_format(d, buf, sizeof buf));
  }
}

static void load_sheet(loader *L, const ynode *sn, model_sheet *sheet) {
  const schema *s = L->s;
  sheet->pos = sn->pos;
  const char *what = "a performance sheet";
  const ynode *pn = ymap_lookup(sn, "project");
  if (pn) {
    int p = lookup_project_id(L, pn, "project");
    if (p >= 0) {
      model_project *proj = &L->projects[p];
      if (proj->sheet)
        diag_error(L->d, DIAG_SCHEMA, pn->pos,
                   "project '%s' already has a performance sheet (line %d)",
                   proj->id, proj->sheet->pos.line);
      else
        proj->sheet = sheet;
      sheet->project = proj;
      what = arena_printf(L->a, _("the performance sheet of project %s"), proj->id);
    }
  }
  /* Keys: project, the header fields, funds (if any), the grid (if any). */
  const char **keys = ARENA_ARRAY(L->a, const char *, s->nsheet_fields + 4);
  size_t nk = 0;
  keys[nk++] = "project";
  for (size_t i = 0; i < s->nsheet_fields; i++)
    keys[nk++] = s->sheet_fields[i];
  if (s->nfunds)
    keys[nk++] = "funds";
  if (s->grid_key)
    keys[nk++] = s->grid_key;
  keys[nk] = NULL;
  ymap_check_keys(sn, keys, what, L->d);
  if (!pn)
    load_missing(L, sn, "project", what);

  model_text *fields = ARENA_ARRAY(L->a, model_text, s->nsheet_fields);
  for (size_t i = 0; i < s->nsheet_fields; i++) {
    const char *key = s->sheet_fields[i];
    const ynode *v = i < s->nsheet_required ? ymap_require(sn, key, what, L->d)
                                            : ymap_lookup(sn, key);
    fields[i] = load_text(L, v, key);
    if (!v)
      fields[i].pos = sn->pos;
  }
  sheet->field_keys = s->sheet_fields;
  sheet->fields = fields;
  sheet->nfields = s->nsheet_fields;
  sheet->title = s->sheet_title_field >= 0 ? &fields[s->sheet_title_field]
                                           : NULL;

  sheet->fund_keys = s->fund_keys;
  sheet->nfunds = s->nfunds;
  model_amount *cells = ARENA_ARRAY(L->a, model_amount, s->nfunds);
  for (size_t i = 0; i < s->nfunds; i++)
    cells[i].pos = sn->pos;
  sheet->funds = cells;
  const ynode *funds = s->nfunds ? ymap_require(sn, "funds", what, L->d) : NULL;
  if (funds)
    load_sheet_funds(L, funds, what, cells);

  sheet->grid_columns = s->grid_columns;
  sheet->ngrid_columns = s->ngrid_columns;
  sheet->grid_spans = s->grid_spans;
  const ynode *rows = s->grid_key ? ymap_require(sn, s->grid_key, what, L->d)
                                  : NULL;
  if (rows && ynode_expect(rows, YNODE_SEQ, s->grid_key, L->d)) {
    model_grid_row *out = ARENA_ARRAY(L->a, model_grid_row, rows->u.seq.count);
    size_t n = 0;
    for (size_t i = 0; i < rows->u.seq.count; i++)
      if (load_grid_row(L, rows->u.seq.items[i], &out[n]))
        n++;
    sheet->rows = out;
    sheet->nrows = n;
  }
}

void load_project_parts(loader *L, const ynode *descs,
                        const ynode *sheets) {
  const schema *s = L->s;
  /* Every project must be in the projects' table: its amount is there. */
  for (size_t i = 0; s->project_table >= 0 && L->project_in_table &&
                     i < L->m->nprojects;
       i++)
    if (!L->project_in_table[i])
      diag_error(L->d, DIAG_SCHEMA, L->projects[i].pos,
                 "project '%s' has no row in %s", L->projects[i].id,
                 s->tables[s->project_table].id);

  if (descs && ynode_expect(descs, YNODE_SEQ,
                            schema_part_of_kind(s, MODEL_PART_DESCRIPTIONS)->name,
                            L->d)) {
    model_description *out =
        ARENA_ARRAY(L->a, model_description, descs->u.seq.count);
    size_t n = 0;
    for (size_t i = 0; i < descs->u.seq.count; i++) {
      const ynode *dn = descs->u.seq.items[i];
      if (ynode_expect(dn, YNODE_MAP, "a project description", L->d))
        load_description(L, dn, &out[n++]);
    }
    L->m->descriptions = out;
    L->m->ndescriptions = n;
  }
  if (sheets && ynode_expect(sheets, YNODE_SEQ,
                             schema_part_of_kind(s, MODEL_PART_SHEETS)->name,
                             L->d)) {
    model_sheet *out = ARENA_ARRAY(L->a, model_sheet, sheets->u.seq.count);
    size_t n = 0;
    for (size_t i = 0; i < sheets->u.seq.count; i++) {
      const ynode *sn = sheets->u.seq.items[i];
      if (ynode_expect(sn, YNODE_MAP, "a performance sheet", L->d))
        load_sheet(L, sn, &out[n++]);
    }
    L->m->sheets = out;
    L->m->nsheets = n;
  }
}
