/* SPDX-License-Identifier: MIT */
/* load.c — a data file into a model: find its schema, read the document
 * facts, then hand the parts to load_tables.c, load_projects.c and
 * load_text.c.  Every error is reported where it is and loading goes on,
 * so one run shows all of them; the model is returned only if there were
 * none. */
#include "model_imp.h"

#include <string.h>
#include <unistd.h>

/* Keys of a data file beside the parts its schema declares. */
static const char *const fixed_keys[] = {"schema", "layout", "document",
                                         "prior_year", NULL};

/* ---------------------------------------------------------------- text */

const char *load_text_scalar(loader *L, const ynode *n, const char *what) {
  const char *t = ynode_scalar(n, what, L->d);
  return t ? text_trim_copy(L->a, t) : NULL;
}

model_text load_text(loader *L, const ynode *n, const char *what) {
  model_text t = {NULL, {0}};
  if (!n)
    return t;
  t.pos = n->pos;
  if (ynode_is_null(n)) {
    diag_error(L->d, DIAG_SCHEMA, n->pos, "%s is empty", what);
    return t;
  }
  t.text = load_text_scalar(L, n, what);
  return t;
}

void load_missing(loader *L, const ynode *map, const char *key,
                  const char *what) {
  diag_error(L->d, DIAG_SCHEMA, map->pos, "missing key '%s' in %s", key,
             what);
}

/* ---------------------------------------------------------------- schema */

/* A schema named by the data (see resource_path). */
static const char *resolve_schema(loader *L, const ynode *n,
                                  const model_options *opts) {
  return resource_path(L->a, "schema", "schemas", L->m->schema_name,
                       L->m->path, opts ? opts->datadir : NULL, n->pos, L->d);
}

/* ---------------------------------------------------------------- document */

static void load_document(loader *L, const ynode *doc) {
  model *m = L->m;
  if (!ynode_expect(doc, YNODE_MAP, "document", L->d))
    return;
  static const char *const keys[] = {"unit", "year", "amount_unit", NULL};
  ymap_check_keys(doc, keys, "document", L->d);
  const ynode *unit = ymap_require(doc, "unit", "document", L->d);
  const ynode *year = ymap_require(doc, "year", "document", L->d);
  const ynode *au = ymap_require(doc, "amount_unit", "document", L->d);
  m->unit = load_text(L, unit, "the unit");
  m->year = load_text(L, year, "the year");
  m->amount_unit = load_text(L, au, "the amount unit");
  if (m->year.text) {
    const char *y = m->year.text;
    bool digits = strlen(y) == 4;
    for (int i = 0; digits && i < 4; i++)
      digits = y[i] >= '0' && y[i] <= '9';
    if (!digits)
      diag_error(L->d, DIAG_SCHEMA, year->pos,
                 "the year must be four digits, not '%s'", y);
    else
      m->year_number = (y[0] - '0') * 1000 + (y[1] - '0') * 100 +
                       (y[2] - '0') * 10 + (y[3] - '0');
  }
  const char *const *units = L->s->amount_units;
  if (m->amount_unit.text && units[0]) {
    bool known = false;
    for (size_t i = 0; units[i] && !known; i++)
      known = !strcmp(units[i], m->amount_unit.text);
    if (!known)
      report_unknown_name(L->d, DIAG_SCHEMA, au->pos, "amount unit",
                        m->amount_unit.text, NULL, units);
  }
}

/* ---------------------------------------------------------------- parts */

/* Every key of the data is a fixed key or a part of the schema; every
 * part the schema requires is there.  The model lists every part. */
static void check_parts(loader *L, const ynode *root) {
  const schema *s = L->s;
  size_t nallowed = s->nparts + sizeof fixed_keys / sizeof *fixed_keys;
  const char **allowed = ARENA_ARRAY(L->a, const char *, nallowed);
  size_t n = 0;
  for (size_t i = 0; fixed_keys[i]; i++)
    allowed[n++] = fixed_keys[i];
  for (size_t i = 0; i < s->nparts; i++)
    allowed[n++] = s->parts[i].name;
  allowed[n] = NULL;
  for (size_t i = 0; i < root->u.map.count; i++) {
    const ynode *k = root->u.map.pairs[i].key;
    bool known = false;
    for (size_t j = 0; j < n && !known; j++)
      known = !strcmp(allowed[j], k->u.scalar.text);
    if (!known)
      report_unknown_name(L->d, DIAG_SCHEMA, k->pos, N_("key"),
                          k->u.scalar.text, N_("in the data file"), allowed);
  }
  model_part *parts = ARENA_ARRAY(L->a, model_part, s->nparts);
  for (size_t i = 0; i < s->nparts; i++) {
    const schema_part *sp = &s->parts[i];
    const ynode *v = ymap_lookup(root, sp->name);
    parts[i].name = sp->name;
    parts[i].kind = sp->kind;
    parts[i].present = v != NULL;
    parts[i].pos = root->pos;
    for (size_t k = 0; v && k < root->u.map.count; k++)
      if (root->u.map.pairs[k].value == v)
        parts[i].pos = root->u.map.pairs[k].key->pos;
    if (!v && sp->required)
      diag_error(L->d, DIAG_SCHEMA, root->pos,
                 "missing part '%s': schema %s requires it (line %d); an "
                 "empty part is written empty",
                 sp->name, s->name ? s->name : s->path, sp->pos.line);
  }
  L->parts = parts;
  L->m->parts = parts;
  L->m->nparts = s->nparts;
}

/* The data's value for the schema's one part of kind k, or NULL. */
static const ynode *part_node(loader *L, const ynode *root,
                              model_part_kind k) {
  const schema_part *p = schema_part_of_kind(L->s, k);
  return p ? ymap_lookup(root, p->name) : NULL;
}

/* ---------------------------------------------------------------- model */

static model *model_from(const char *path, const char *bytes, size_t len,
                         const model_options *opts, diag *d) {
  arena *a = arena_new();
  int errors_before = diag_error_count(d);
  model *m = ARENA_NEW(a, model);
  m->internal = ARENA_NEW(a, struct model_internal);
  m->internal->arena = a;
  m->path = arena_strdup(a, path);
  loader L = {.a = a, .d = d, .m = m};

  const ynode *root = bytes ? yaml_tree_parse(a, path, bytes, len, NULL, d)
                            : yaml_tree_load(a, path, NULL, d);
  m->internal->from_file = !bytes;
  if (bytes)
    m->internal->source = arena_strndup(a, bytes, len);
  if (!root || !ynode_expect(root, YNODE_MAP, "a budget data file", d))
    goto fail;
  const ynode *sn = ymap_lookup(root, "schema");
  if (opts && opts->schema_path) {
    m->schema_name = sn ? load_text_scalar(&L, sn, "schema") : NULL;
    m->schema_path = arena_strdup(a, opts->schema_path);
  } else {
    if (!sn) {
      load_missing(&L, root, "schema", "the data file");
      goto fail;
    }
    m->schema_name = load_text_scalar(&L, sn, "schema");
    if (!m->schema_name)
      goto fail;
    m->schema_path = resolve_schema(&L, sn, opts);
    if (!m->schema_path)
      goto fail;
  }
  L.s = opts && opts->schemas
            ? model_schemas_load(opts->schemas, m->schema_path, d)
            : schema_load(a, m->schema_path, d);
  if (!L.s)
    goto fail;
  m->internal->schema = L.s;
  m->schema_title = L.s->title;
  if (m->schema_name && L.s->name && !strchr(m->schema_name, '/') &&
      !str_ends_with(m->schema_name, ".yaml") &&
      strcmp(m->schema_name, L.s->name))
    diag_error(d, DIAG_SCHEMA, sn->pos,
               "schema file %s is for '%s', not '%s'", m->schema_path,
               L.s->name, m->schema_name);

  check_parts(&L, root);

  const ynode *layout = ymap_require(root, "layout", "the data file", d);
  m->layout = load_text(&L, layout, "layout");
  const ynode *doc = ymap_require(root, "document", "the data file", d);
  if (doc)
    load_document(&L, doc);
  /* The register first: table rows refer to it; descriptions and sheets
   * after the tables, whose rows give a project its amount. */
  load_projects(&L, part_node(&L, root, MODEL_PART_REGISTER));
  const ynode *tables = part_node(&L, root, MODEL_PART_TABLES);
  if (tables)
    load_tables(&L, tables);
  load_project_parts(&L, part_node(&L, root, MODEL_PART_DESCRIPTIONS),
                     part_node(&L, root, MODEL_PART_SHEETS));
  load_text_parts(&L, root);
  if (diag_error_count(d) == errors_before) {
    load_prior_year(&L, root); /* figures in text, once the parts are read */
    load_check_bound_text(&L);
  }

  if (diag_error_count(d) == errors_before)
    return m;
fail:
  arena_drop(a);
  return NULL;
}

model *model_load(const char *path, const model_options *opts, diag *d) {
  return model_from(path, NULL, 0, opts, d);
}

model *model_parse(const char *name, const char *bytes, size_t len,
                   const model_options *opts, diag *d) {
  return model_from(name, bytes ? bytes : "", bytes ? len : 0, opts, d);
}

void model_drop(model *m) {
  if (m)
    arena_drop(m->internal->arena);
}

/* ---------------------------------------------------------------- lookups */

const model_table *model_lookup_table(const model *m, const char *id) {
  for (size_t i = 0; m && id && i < m->ntables; i++)
    if (!strcmp(m->tables[i].id, id))
      return &m->tables[i];
  return NULL;
}

const model_side *model_table_lookup_side(const model_table *t,
                                          const char *id) {
  if (!t || t->nsides == 0)
    return NULL;
  if (!id)
    return &t->sides[0];
  for (size_t i = 0; i < t->nsides; i++)
    if (t->sides[i].id && !strcmp(t->sides[i].id, id))
      return &t->sides[i];
  return NULL;
}

int model_side_column_index(const model_side *s, const char *key) {
  for (size_t i = 0; s && key && i < s->ncolumns; i++)
    if (!strcmp(s->columns[i], key))
      return (int)i;
  return -1;
}

const model_part *model_lookup_part(const model *m, const char *name) {
  for (size_t i = 0; m && name && i < m->nparts; i++)
    if (!strcmp(m->parts[i].name, name))
      return &m->parts[i];
  return NULL;
}

const model_text *model_part_field(const model_part *p, const char *key) {
  for (size_t i = 0; p && key && i < p->nfields; i++)
    if (!strcmp(p->fields[i].label.text, key))
      return &p->fields[i].value;
  return NULL;
}

const model_text *model_sheet_field(const model_sheet *s, const char *key) {
  for (size_t i = 0; s && key && i < s->nfields; i++)
    if (!strcmp(s->field_keys[i], key))
      return &s->fields[i];
  return NULL;
}

int model_sheet_grid_column(const model_sheet *s, const char *name) {
  for (size_t i = 0; s && name && i < s->ngrid_columns; i++)
    if (!strcmp(s->grid_columns[i], name))
      return (int)i;
  return -1;
}

const model_project *model_lookup_project(const model *m, const char *id) {
  for (size_t i = 0; m && id && i < m->nprojects; i++)
    if (!strcmp(m->projects[i].id, id))
      return &m->projects[i];
  return NULL;
}
