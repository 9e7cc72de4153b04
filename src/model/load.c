/* SPDX-License-Identifier: MIT */
/* load.c — a data file into a model: find its schema, read the document
 * facts, then hand the parts to load_tables.c, load_projects.c and
 * load_text.c.  Every error is reported where it is and loading goes on,
 * so one run shows all of them; the model is returned only if there were
 * none. */
#include "model_imp.h"

#include <string.h>
#include <unistd.h>

static const char *const top_keys[] = {
    "schema",      "layout",   "document",     "profile",
    "tables",      "projects", "descriptions", "sheets",
    "explanation", "glossary", "sign_off",     NULL};

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
  if (!root || !ynode_expect(root, YNODE_MAP, "a budget data file", d))
    goto fail;
  ymap_check_keys(root, top_keys, "the data file", d);

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

  const ynode *layout = ymap_require(root, "layout", "the data file", d);
  m->layout = load_text(&L, layout, "layout");
  const ynode *doc = ymap_require(root, "document", "the data file", d);
  if (doc)
    load_document(&L, doc);
  load_projects(&L, root); /* the register first: table rows refer to it */
  const ynode *tables = ymap_require(root, "tables", "the data file", d);
  if (tables)
    load_tables(&L, tables);
  load_project_parts(&L, root);
  load_text_parts(&L, root);

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

const model_project *model_lookup_project(const model *m, const char *id) {
  for (size_t i = 0; m && id && i < m->nprojects; i++)
    if (!strcmp(m->projects[i].id, id))
      return &m->projects[i];
  return NULL;
}
