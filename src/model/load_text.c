/* SPDX-License-Identifier: MIT */
/* load_text.c — the text parts of a data file: the unit profile, the
 * explanatory part with its numbered sections and the markers saying
 * where project descriptions and performance sheets are shown, the
 * glossary and the sign-off.  Headings keep their numbering as published;
 * the model does not renumber or correct anything. */
#include "model_imp.h"

#include <string.h>

typedef struct insert_seen {
  const ynode *at[3]; /* by model_insert */
} insert_seen;

static const char *const insert_names[] = {"descriptions", "sheets", NULL};

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
    const char *name = load_text_scalar(L, ins, "insert");
    if (name && !strcmp(name, "descriptions"))
      sec->insert = MODEL_INSERT_DESCRIPTIONS;
    else if (name && !strcmp(name, "sheets"))
      sec->insert = MODEL_INSERT_SHEETS;
    else if (name)
      report_unknown_name(L->d, DIAG_SCHEMA, ins->pos, "insert", name, NULL,
                        insert_names);
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

void load_text_parts(loader *L, const ynode *root) {
  model *m = L->m;
  insert_seen seen = {{0}};
  const ynode *profile = ymap_lookup(root, "profile");
  if (profile)
    m->profile = load_part(L, profile, "profile", NULL, &seen, &m->nprofile);
  const ynode *expl = ymap_lookup(root, "explanation");
  if (expl)
    m->explanation = load_part(L, expl, "explanation", &m->explanation_title,
                               &seen, &m->nexplanation);
  if (m->ndescriptions && !seen.at[MODEL_INSERT_DESCRIPTIONS])
    diag_error(L->d, DIAG_SCHEMA, ymap_lookup(root, "descriptions")->pos,
               "no section shows the descriptions; add 'insert: "
               "descriptions' to one");
  if (m->nsheets && !seen.at[MODEL_INSERT_SHEETS])
    diag_error(L->d, DIAG_SCHEMA, ymap_lookup(root, "sheets")->pos,
               "no section shows the sheets; add 'insert: sheets' to one");

  const ynode *gl = ymap_lookup(root, "glossary");
  if (gl && ynode_expect(gl, YNODE_MAP, "glossary", L->d)) {
    static const char *const keys[] = {"title", "entries", NULL};
    ymap_check_keys(gl, keys, "glossary", L->d);
    const ynode *t = ymap_lookup(gl, "title");
    if (t)
      m->glossary_title = load_text(L, t, "the glossary's title");
    const ynode *entries = ymap_require(gl, "entries", "glossary", L->d);
    if (entries)
      m->glossary = load_paragraphs(L, entries, &m->nglossary);
  }

  const ynode *so = ymap_lookup(root, "sign_off");
  if (so && ynode_expect(so, YNODE_MAP, "sign_off", L->d)) {
    static const char *const keys[] = {"unit", "date", NULL};
    ymap_check_keys(so, keys, "sign_off", L->d);
    const ynode *unit = ymap_require(so, "unit", "sign_off", L->d);
    const ynode *date = ymap_require(so, "date", "sign_off", L->d);
    m->sign_off_unit = load_text(L, unit, "the sign-off unit");
    m->sign_off_date = load_text(L, date, "the sign-off date");
  }
}
