/* SPDX-License-Identifier: MIT */
/* load_text.c — the text parts of a data file, whatever the schema names
 * them: sections parts (numbered sections of paragraphs, with the markers
 * saying where the register's descriptions and sheets are shown), entries
 * parts (a list of paragraphs under an optional title) and fields parts
 * (named texts, such as a sign-off's unit and date).  Headings keep their
 * numbering as published; the model does not renumber or correct
 * anything. */
#include "model_imp.h"

#include <string.h>

typedef struct insert_seen {
  const ynode *at[3]; /* by model_insert */
} insert_seen;


static const model_text *load_paragraphs(loader *L, const ynode *seq,
                                         size_t *n) {
  *n = 0;
  if (!ynode_expect(seq, YNODE_SEQ, "paragraphs", L->d))
    return NULL;
  model_text *out = ARENA_ARRAY(L->a, model_text, seq->u.seq.count);
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    model_text t = load_text(L, seq->u.seq.items[i], "a paragraph");
    if (t.text)
      out[(*n)++] = t;
  }
  return out;
}

static const model_section *load_sections(loader *L, const ynode *seq,
                                          insert_seen *seen,
                                          size_t *n);

static void load_section(loader *L, const ynode *sn, insert_seen *seen, model_section *sec) {
  static const char *const keys[] = {"heading", "paragraphs", "insert",
                                     "sections", NULL};
  sec->pos = sn->pos;
  ymap_check_keys(sn, keys, "a section", L->d);
  const ynode *h = ymap_require(sn, "heading", "a section", L->d);
  sec->heading = load_text(L, h, "a heading");
  const ynode *ps = ymap_lookup(sn, "paragraphs");
  if (ps)
    sec->paragraphs = load_paragraphs(L, ps, &sec->nparagraphs);
  const ynode *ins = ymap_lookup(sn, "insert");
  if (ins) {
    /* `insert: <part>` names the schema's descriptions or sheets part. */
    const schema_part *desc =
        schema_part_of_kind(L->s, MODEL_PART_DESCRIPTIONS);
    const schema_part *sheets = schema_part_of_kind(L->s, MODEL_PART_SHEETS);
    const char *names[3] = {NULL, NULL, NULL};
    size_t nn = 0;
    if (desc)
      names[nn++] = desc->name;
    if (sheets)
      names[nn++] = sheets->name;
    const char *name = load_text_scalar(L, ins, "insert");
    if (name && desc && !strcmp(name, desc->name))
      sec->insert = MODEL_INSERT_DESCRIPTIONS;
    else if (name && sheets && !strcmp(name, sheets->name))
      sec->insert = MODEL_INSERT_SHEETS;
    else if (name)
      report_unknown_name(L->d, DIAG_SCHEMA, ins->pos, "insert", name,
                          NULL, names);
    if (sec->insert != MODEL_INSERT_NONE) {
      if (seen->at[sec->insert])
        diag_error(L->d, DIAG_SCHEMA, ins->pos,
                   "%s are already inserted at line %d", name,
                   seen->at[sec->insert]->pos.line);
      else
        seen->at[sec->insert] = ins;
    }
  }
  const ynode *subs = ymap_lookup(sn, "sections");
  if (subs)
    sec->sections = load_sections(L, subs, seen, &sec->nsections);
}

static const model_section *load_sections(loader *L, const ynode *seq,
                                          insert_seen *seen,
                                          size_t *n) {
  *n = 0;
  if (!ynode_expect(seq, YNODE_SEQ, "sections", L->d))
    return NULL;
  model_section *out = ARENA_ARRAY(L->a, model_section, seq->u.seq.count);
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *sn = seq->u.seq.items[i];
    if (ynode_expect(sn, YNODE_MAP, "a section", L->d))
      load_section(L, sn, seen, &out[(*n)++]);
  }
  return out;
}

/* A part: its sections, and its title if `title` is not NULL. */
static const model_section *load_part(loader *L, const ynode *map,
                                      const char *what, model_text *title,
                                      insert_seen *seen, size_t *n) {
  *n = 0;
  if (!ynode_expect(map, YNODE_MAP, what, L->d))
    return NULL;
  static const char *const keys[] = {"title", "sections", NULL};
  ymap_check_keys(map, title ? keys : keys + 1, what, L->d);
  const ynode *t = ymap_lookup(map, "title");
  if (t && title)
    *title = load_text(L, t, "a title");
  const ynode *secs = ymap_require(map, "sections", what, L->d);
  return secs ? load_sections(L, secs, seen, n) : NULL;
}

static void load_entries(loader *L, const ynode *map, const schema_part *sp,
                         model_part *p) {
  if (!ynode_expect(map, YNODE_MAP, sp->name, L->d))
    return;
  static const char *const keys[] = {"title", "entries", NULL};
  ymap_check_keys(map, sp->title ? keys : keys + 1, sp->name, L->d);
  const ynode *t = ymap_lookup(map, "title");
  if (t && sp->title)
    p->title = load_text(L, t, arena_printf(L->a, _("the title of %s"), sp->name));
  const ynode *entries = ymap_require(map, "entries", sp->name, L->d);
  if (entries)
    p->entries = load_paragraphs(L, entries, &p->nentries);
}

/* A fields part: every field the schema lists, in schema order. */
static void load_fields(loader *L, const ynode *map, const schema_part *sp,
                        model_part *p) {
  if (!ynode_expect(map, YNODE_MAP, sp->name, L->d))
    return;
  ymap_check_keys(map, sp->fields, sp->name, L->d);
  model_field *f = ARENA_ARRAY(L->a, model_field, sp->nfields);
  for (size_t i = 0; i < sp->nfields; i++) {
    f[i].label = (model_text){sp->fields[i], map->pos};
    const ynode *v = ymap_require(map, sp->fields[i], sp->name, L->d);
    f[i].value = load_text(
        L, v, arena_printf(L->a, _("%s of %s"), sp->fields[i], sp->name));
    if (v)
      f[i].label.pos = v->pos;
  }
  p->fields = f;
  p->nfields = sp->nfields;
}

void load_text_parts(loader *L, const ynode *root) {
  const schema *s = L->s;
  insert_seen seen = {{0}};
  for (size_t i = 0; i < s->nparts; i++) {
    const schema_part *sp = &s->parts[i];
    model_part *p = &L->parts[i];
    const ynode *v = ymap_lookup(root, sp->name);
    if (!v)
      continue;
    switch (sp->kind) {
    case MODEL_PART_SECTIONS:
      p->sections = load_part(L, v, sp->name, sp->title ? &p->title : NULL,
                              &seen, &p->nsections);
      break;
    case MODEL_PART_ENTRIES:
      load_entries(L, v, sp, p);
      break;
    case MODEL_PART_FIELDS:
      load_fields(L, v, sp, p);
      break;
    case MODEL_PART_TABLES:
    case MODEL_PART_REGISTER:
    case MODEL_PART_DESCRIPTIONS:
    case MODEL_PART_SHEETS:
      break; /* load_tables.c, load_projects.c */
    }
  }
  const schema_part *desc = schema_part_of_kind(s, MODEL_PART_DESCRIPTIONS);
  const schema_part *sheets = schema_part_of_kind(s, MODEL_PART_SHEETS);
  if (L->m->ndescriptions && !seen.at[MODEL_INSERT_DESCRIPTIONS])
    diag_error(L->d, DIAG_SCHEMA, ymap_lookup(root, desc->name)->pos,
               "no section shows the %s; add 'insert: %s' to one",
               desc->name, desc->name);
  if (L->m->nsheets && !seen.at[MODEL_INSERT_SHEETS])
    diag_error(L->d, DIAG_SCHEMA, ymap_lookup(root, sheets->name)->pos,
               "no section shows the %s; add 'insert: %s' to one",
               sheets->name, sheets->name);
}
