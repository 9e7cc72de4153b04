/* SPDX-License-Identifier: MIT */
/* import.c — the run: read the workbook, find the schema's tables in it
 * (through a model: the existing data's, or a skeleton made from the
 * layout for a new file), write the YAML, load it back as the model stage
 * does, report its errors and `check`'s findings at the cells the figures
 * came from, and write the file atomically.
 *
 * --into keeps the data file's text: a table whose rows are the same as
 * before has only its changed figures replaced where they stand (comments
 * and spelling of everything else untouched); a table whose rows changed
 * is written anew in place of the old one. */
#define _DEFAULT_SOURCE 1 /* realpath */
#include "import_imp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct run {
  const import_options *o;
  diag *d;
  arena *a;
  const import_limits *lim;
  book *book;
  layout *layout;
  model *base; /* the schema's tables: old data, or the skeleton */
  model *old;  /* --into: the data as it is */
  imp_table *tables;
  imp_facts facts;
  line_map lm;
  const char *target; /* the file written */
  /* -o: the register, in first appearance order */
  const char **pnames;
  size_t npnames, cappnames;
  bool ok;
} run;

/* ---------------------------------------------------------------- projects */

static const char *new_project_id(const char *name, cellref at, void *ctx) {
  run *r = ctx;
  (void)at;
  for (size_t i = 0; i < r->npnames; i++)
    if (!strcmp(r->pnames[i], name))
      return arena_printf(r->a, "project-%zu", i + 1);
  XGROW(r->pnames, r->cappnames, r->npnames + 1);
  r->pnames[r->npnames++] = name;
  return arena_printf(r->a, "project-%zu", r->npnames);
}

static const char *old_project_id(const char *name, cellref at, void *ctx) {
  run *r = ctx;
  for (size_t i = 0; i < r->old->nprojects; i++)
    if (r->old->projects[i].name.text &&
        !strcmp(r->old->projects[i].name.text, name))
      return r->old->projects[i].id;
  diag_error(r->d, DIAG_SCHEMA, cell_pos(r->d, at),
             "project '%s' is not in the register (projects:) of %s; add it "
             "there first",
             name, r->o->into);
  r->ok = false;
  return "?";
}

/* ---------------------------------------------------------------- skeleton */

/* The parts a new data file must hold besides its tables and register,
 * written empty ("profile: {sections: []}"), as the schema's `parts:`
 * lists them with `required: true`.  Only the names, kinds and that flag
 * are read here; the model stage reads the schema itself. */
static void required_parts(run *r, bbuf *b) {
  const char *path = r->o->model.schema_path;
  if (!path)
    path = resource_path(r->a, "schema", "schemas",
                         layout_schema_name(r->layout), r->o->out,
                         r->o->model.datadir, (src_pos){0}, r->d);
  const ynode *root = path ? yaml_tree_load(r->a, path, &yaml_default_limits,
                                            r->d)
                           : NULL;
  const ynode *parts = root && root->kind == YNODE_MAP
                           ? ymap_lookup(root, "parts")
                           : NULL;
  if (!parts || parts->kind != YNODE_SEQ)
    return;
  static const struct {
    const char *kind, *empty;
  } empties[] = {{"sections", "{sections: []}"}, {"entries", "{entries: []}"},
                 {"fields", "{}"}, {"descriptions", "[]"}, {"sheets", "[]"}};
  for (size_t i = 0; i < parts->u.seq.count; i++) {
    const ynode *p = parts->u.seq.items[i];
    if (p->kind != YNODE_MAP)
      continue;
    const ynode *name = ymap_lookup(p, "name"), *kind = ymap_lookup(p, "kind"),
                *req = ymap_lookup(p, "required");
    if (!name || name->kind != YNODE_SCALAR || !kind ||
        kind->kind != YNODE_SCALAR || !req || req->kind != YNODE_SCALAR ||
        strcmp(req->u.scalar.text, "true"))
      continue;
    for (size_t k = 0; k < sizeof empties / sizeof *empties; k++)
      if (!strcmp(kind->u.scalar.text, empties[k].kind)) {
        yaml_write_scalar(b, name->u.scalar.text);
        bbuf_printf(b, ": %s\n", empties[k].empty);
      }
  }
}

/* Every table of the layout with no rows: a data file the model stage
 * loads, so that the schema's tables can be read through model.h. */
static char *skeleton(run *r, const char *layout_name) {
  bbuf b = {0};
  bbuf_puts(&b, "schema: ");
  yaml_write_scalar(&b, layout_schema_name(r->layout));
  bbuf_puts(&b, "\nlayout: ");
  yaml_write_scalar(&b, layout_name);
  bbuf_puts(&b, "\ndocument:\n  unit: ");
  yaml_write_scalar(&b, r->facts.unit);
  bbuf_puts(&b, "\n  year: ");
  yaml_write_scalar(&b, r->facts.year);
  bbuf_puts(&b, "\n  amount_unit: ");
  yaml_write_scalar(&b, r->facts.amount_unit);
  bbuf_puts(&b, "\n");
  required_parts(r, &b);
  bbuf_puts(&b, "tables:\n");
  for (int i = 0; i < layout_table_count(r->layout); i++) {
    const layout_table *lt = layout_table_at(r->layout, i);
    /* sides from the fields' prefixes; a record has no name or code */
    const char *sides[8];
    int nsides = 0;
    bool labelled = false;
    const layout_column *todo[256];
    int ntodo = 0;
    for (int k = 0; k < layout_table_ncolumns(lt) && ntodo < 256; k++)
      todo[ntodo++] = layout_table_column(lt, k);
    while (ntodo) {
      const layout_column *c = todo[--ntodo];
      for (int k = 0; k < layout_column_nchildren(c) && ntodo < 256; k++)
        todo[ntodo++] = layout_column_child(c, k);
      const char *f = layout_column_field(c);
      if (!f)
        continue;
      const char *dot = strchr(f, '.');
      const char *rest = f;
      if (dot && strncmp(f, "code.", 5)) {
        const char *side = arena_strndup(r->a, f, (size_t)(dot - f));
        bool seen = false;
        for (int s = 0; s < nsides; s++)
          seen |= !strcmp(sides[s], side);
        if (!seen && nsides < 8)
          sides[nsides++] = side;
        rest = dot + 1;
      }
      labelled |= !strcmp(rest, "name") || !strncmp(rest, "code", 4) ||
                  !strcmp(rest, "project");
    }
    bbuf_puts(&b, "  ");
    yaml_write_scalar(&b, layout_table_data(lt));
    if (!labelled)
      bbuf_puts(&b, ": {}\n");
    else if (!nsides)
      bbuf_puts(&b, ": {rows: []}\n");
    else {
      bbuf_puts(&b, ": {");
      for (int s = 0; s < nsides; s++) {
        bbuf_puts(&b, s ? ", " : "");
        yaml_write_scalar(&b, sides[s]);
        bbuf_puts(&b, ": {rows: []}");
      }
      bbuf_puts(&b, "}\n");
    }
  }
  return b.data;
}

/* ---------------------------------------------------------------- positions */

static const imp_table *imported(const run *r, const char *id) {
  for (size_t i = 0; i < r->base->ntables; i++)
    if (!strcmp(r->tables[i].table->id, id))
      return &r->tables[i];
  return NULL;
}

/* The cell a finding's figure came from, or its YAML position. */
static src_pos finding_pos(run *r, const model *m, const model_finding *f) {
  if (!f->table || !f->row)
    return f->pos;
  const imp_table *it = imported(r, f->table);
  const model_table *mt = model_lookup_table(m, f->table);
  if (!it || !it->sheet || !mt)
    return f->pos;
  for (size_t s = 0; s < mt->nsides; s++) {
    const model_side *side = &mt->sides[s];
    const imp_row *row = NULL;
    if (f->row == side->total)
      row = &it->sides[s].total;
    else if (f->row >= side->rows && f->row < side->rows + side->nrows &&
             (size_t)(f->row - side->rows) < it->sides[s].nrows)
      row = &it->sides[s].rows[f->row - side->rows];
    if (!row)
      continue;
    int k = f->column ? model_side_column_index(side, f->column) : -1;
    return cell_pos(r->d, k >= 0 ? row->amounts[k].at : row->at);
  }
  return f->pos;
}

typedef struct finding_ctx {
  run *r;
  const model *m;
  size_t n;
} finding_ctx;

static void on_finding(const model_finding *f, void *ctx) {
  finding_ctx *fc = ctx;
  fc->n++;
  diag_warning(fc->r->d, DIAG_CHECK, finding_pos(fc->r, fc->m, f), "%s",
               f->message);
}

/* The model stage's report on the written text, its positions moved to
 * the sheet rows the lines came from. */
static void relay(run *r, const char *report) {
  size_t nlen = strlen(r->target);
  for (const char *line = report; *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    char *text = arena_strndup(r->a, line, len);
    src_pos pos = {NULL, 0, 0};
    const char *rest = text;
    int l, c, used = 0;
    if (!strncmp(text, r->target, nlen) &&
        sscanf(text + nlen, ":%d:%d: %n", &l, &c, &used) == 2 && used) {
      rest = text + nlen + used;
      pos = (src_pos){r->target, l, c};
      if (l >= 1 && (size_t)l <= r->lm.n && r->lm.rows[l - 1].sheet)
        pos = cell_pos(r->d, r->lm.rows[l - 1]);
    } else if (!strncmp(text, r->target, nlen) && !strncmp(text + nlen, ": ", 2)) {
      rest = text + nlen + 2;
      pos = (src_pos){r->target, 0, 0};
    } else if (!strncmp(text, "budgetpdf: ", 11))
      rest = text + 11;
    diag_severity sev = DIAG_ERROR;
    if (!strncmp(rest, "error: ", 7))
      rest += 7;
    else if (!strncmp(rest, "warning: ", 9))
      rest += 9, sev = DIAG_WARNING;
    else if (!strncmp(rest, "note: ", 6))
      rest += 6, sev = DIAG_NOTE;
    diag_report(r->d, sev, DIAG_SCHEMA, pos, "%s", rest);
    line += len + (end ? 1 : 0);
  }
}

/* Load the text as the data file, report, check. */
static bool load_back(run *r, const char *text, size_t len) {
  char *report = NULL;
  size_t rlen = 0;
  FILE *mem = open_memstream(&report, &rlen);
  if (!mem)
    out_of_memory();
  diag *dd = diag_new(mem);
  model *m = model_parse(r->target, text, len, &r->o->model, dd);
  bool loaded = m != NULL;
  diag_drop(dd);
  fclose(mem);
  if (report && *report)
    relay(r, report);
  free(report);
  if (!loaded) {
    diag_report(r->d, DIAG_NOTE, DIAG_SCHEMA, (src_pos){r->target, 0, 0},
                "not written: the imported data does not load");
    return false;
  }
  finding_ctx fc = {r, m, 0};
  model_check(m, on_finding, &fc);
  if (fc.n)
    diag_report(r->d, DIAG_NOTE, DIAG_CHECK, (src_pos){r->target, 0, 0},
                "%zu finding%s in the imported figures (written as they are)",
                fc.n, fc.n == 1 ? "" : "s");
  model_drop(m);
  return true;
}

/* ---------------------------------------------------------------- -o */

static char *new_data(run *r, const char *layout_name) {
  bbuf b = {0};
  bbuf_puts(&b, "# Imported by budgetpdf from ");
  bbuf_puts(&b, r->o->books[0]);
  bbuf_puts(&b, r->o->nbooks > 1 ? " and more\n" : "\n");
  bbuf_puts(&b, "schema: ");
  yaml_write_scalar(&b, layout_schema_name(r->layout));
  bbuf_puts(&b, "\nlayout: ");
  yaml_write_scalar(&b, layout_name);
  bbuf_puts(&b, "\n\ndocument:\n  unit: ");
  yaml_write_scalar(&b, r->facts.unit);
  bbuf_puts(&b, "\n  year: ");
  yaml_write_scalar(&b, r->facts.year);
  bbuf_puts(&b, "\n  amount_unit: ");
  yaml_write_scalar(&b, r->facts.amount_unit);
  bbuf_puts(&b, "\n\n# The text parts, to be written (docs/DATA.md).\n");
  required_parts(r, &b);
  bbuf_puts(&b, "\ntables:\n");
  for (size_t i = 0; i < r->base->ntables; i++) {
    int line = 1;
    for (size_t k = 0; k < b.len; k++)
      line += b.data[k] == '\n';
    yaml_write_table(&b, &r->tables[i], 2, new_project_id, r, &r->lm, line);
    if (i + 1 < r->base->ntables)
      bbuf_puts(&b, "\n");
  }
  if (r->npnames) {
    bbuf_puts(&b, "\nprojects:\n");
    for (size_t i = 0; i < r->npnames; i++) {
      bbuf_printf(&b, "  - {id: project-%zu, name: ", i + 1);
      yaml_write_scalar(&b, r->pnames[i]);
      bbuf_puts(&b, "}\n");
    }
  }
  return b.data;
}

/* ---------------------------------------------------------------- --into */

typedef struct edit {
  size_t at, len;
  const char *text;
} edit;

typedef struct source {
  const char *text;
  size_t len;
  size_t *line_start; /* index: line - 1 */
  size_t nlines;
} source;

static void index_lines(source *s) {
  size_t cap = 0;
  s->nlines = 0;
  for (size_t i = 0; i <= s->len; i++)
    if (i == 0 || s->text[i - 1] == '\n') {
      if (i == s->len && i > 0)
        break;
      XGROW(s->line_start, cap, s->nlines + 1);
      s->line_start[s->nlines++] = i;
    }
}

static size_t offset_of(const source *s, src_pos p) {
  if (p.line < 1 || (size_t)p.line > s->nlines)
    return s->len;
  size_t at = s->line_start[p.line - 1];
  for (int c = 1; c < p.col && at < s->len && s->text[at] != '\n'; c++) {
    uint32_t cp;
    size_t n = utf8_decode(s->text + at, s->len - at, &cp);
    at += n ? n : 1;
  }
  return at;
}

/* Length of the scalar token at `at` (plain, or quoted). */
static size_t scalar_len(const source *s, size_t at) {
  const char *t = s->text;
  size_t i = at;
  if (i < s->len && (t[i] == '"' || t[i] == '\'')) {
    char q = t[i++];
    while (i < s->len && t[i] != q && t[i] != '\n') {
      if (q == '"' && t[i] == '\\')
        i++;
      else if (q == '\'' && t[i] == '\'' && i + 1 < s->len && t[i + 1] == '\'')
        i++;
      i++;
    }
    return i < s->len ? i + 1 - at : i - at;
  }
  while (i < s->len && !strchr(",}]\n", t[i]) &&
         !(t[i] == ' ' && i + 1 < s->len && t[i + 1] == '#'))
    i++;
  while (i > at && (t[i - 1] == ' ' || t[i - 1] == '\t'))
    i--;
  return i - at;
}

static bool same_amount(const model_amount *old, const char *text) {
  if (!text || !old->present)
    return !text && !old->present;
  model_amount a;
  if (!model_amount_parse(text, &a, NULL, 0))
    return false;
  return model_amount_compare(old, &a) == 0;
}

/* Same rows (codes, names, levels, projects) and the same blanks: then
 * only changed figures need replacing. */
static bool same_shape(run *r, const imp_table *it, const model_table *mt) {
  if (it->note && (!mt->note.text || strcmp(it->note, mt->note.text)))
    return false;
  for (size_t s = 0; s < mt->nsides; s++) {
    const model_side *ms = &mt->sides[s];
    const imp_side *is = &it->sides[s];
    bool record = ms->kind == MODEL_ROWS_RECORD;
    if (!record && is->nrows != ms->nrows)
      return false;
    for (size_t i = 0; i < ms->nrows; i++) {
      const model_row *o = &ms->rows[i];
      const imp_row *n = i < is->nrows ? &is->rows[i] : &is->total;
      if (!record) {
        if ((o->code == NULL) != (n->code == NULL) ||
            (o->code && strcmp(o->code, n->code)))
          return false;
        if (!o->name.text || !n->name || strcmp(o->name.text, n->name))
          return false;
        if (ms->kind == MODEL_ROWS_ITEMS && o->level != n->level)
          return false;
        if ((o->project == NULL) != (n->project == NULL) ||
            (o->project && strcmp(o->project->id,
                                  old_project_id(n->project, n->at, r))))
          return false;
      }
      for (size_t k = 0; k < ms->ncolumns; k++)
        if (o->amounts[k].present != (n->amounts[k].text != NULL))
          return false;
    }
    if (ms->total)
      for (size_t k = 0; k < ms->ncolumns; k++)
        if (ms->total->amounts[k].present != (is->total.amounts[k].text != NULL))
          return false;
  }
  return true;
}

static int edit_order(const void *pa, const void *pb) {
  const edit *a = pa, *b = pb;
  return (a->at > b->at) - (a->at < b->at);
}

/* The figures of a same-shaped table that differ, as edits. */
static void figure_edits(run *r, const source *src, const imp_table *it,
                         const model_table *mt, edit **edits, size_t *n,
                         size_t *cap, int delta) {
  for (size_t s = 0; s < mt->nsides; s++) {
    const model_side *ms = &mt->sides[s];
    const imp_side *is = &it->sides[s];
    for (size_t i = 0; i <= ms->nrows; i++) {
      const model_row *o = i < ms->nrows ? &ms->rows[i] : ms->total;
      if (!o)
        continue;
      const imp_row *nr = i < ms->nrows && i < is->nrows ? &is->rows[i] : &is->total;
      if (o->pos.line > 0)
        line_map_set(&r->lm, o->pos.line + delta, nr->at);
      for (size_t k = 0; k < ms->ncolumns; k++) {
        if (same_amount(&o->amounts[k], nr->amounts[k].text) ||
            !o->amounts[k].present)
          continue;
        size_t at = offset_of(src, o->amounts[k].pos);
        XGROW(*edits, *cap, *n + 1);
        (*edits)[(*n)++] = (edit){at, scalar_len(src, at), nr->amounts[k].text};
      }
    }
  }
}

static bool blank_or_comment(const source *s, size_t line) {
  size_t i = s->line_start[line - 1];
  while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t'))
    i++;
  return i >= s->len || s->text[i] == '\n' || s->text[i] == '#';
}

static int count_lines(const char *s, size_t from, size_t to) {
  int n = 0;
  for (size_t i = from; i < to; i++)
    n += s[i] == '\n';
  return n;
}

static char *updated_data(run *r, const source *src, size_t *outlen) {
  arena *ta = arena_new();
  const ynode *root =
      yaml_tree_parse(ta, r->o->into, src->text, src->len, &yaml_default_limits, r->d);
  const ynode *tables = root && root->kind == YNODE_MAP ? ymap_lookup(root, "tables") : NULL;
  if (!tables || tables->kind != YNODE_MAP) {
    diag_error(r->d, DIAG_SCHEMA, (src_pos){r->o->into, 0, 0},
               "no tables: mapping to update");
    arena_drop(ta);
    return NULL;
  }
  /* the line after the tables: the next top-level key's */
  size_t after = src->nlines + 1;
  for (size_t i = 0; i + 1 < root->u.map.count; i++)
    if (root->u.map.pairs[i].value == tables)
      after = (size_t)root->u.map.pairs[i + 1].key->pos.line;
  bbuf out = {0};
  size_t cursor = 0;
  int delta = 0;
  for (size_t i = 0; i < tables->u.map.count; i++) {
    const ynode *key = tables->u.map.pairs[i].key;
    const imp_table *it = imported(r, key->u.scalar.text);
    const model_table *mt = model_lookup_table(r->old, key->u.scalar.text);
    if (!it || !mt || !it->sheet)
      continue;
    size_t first = (size_t)key->pos.line;
    size_t last = i + 1 < tables->u.map.count
                      ? (size_t)tables->u.map.pairs[i + 1].key->pos.line - 1
                      : after - 1;
    while (last > first && blank_or_comment(src, last))
      last--;
    size_t from = src->line_start[first - 1];
    size_t to = last < src->nlines ? src->line_start[last] : src->len;
    bbuf_append(&out, src->text + cursor, from - cursor);
    int out_line = 1 + count_lines(out.data ? out.data : "", 0, out.len);
    delta = out_line - (int)first;
    if (same_shape(r, it, mt)) {
      edit *edits = NULL;
      size_t n = 0, cap = 0;
      figure_edits(r, src, it, mt, &edits, &n, &cap, delta);
      if (n)
        qsort(edits, n, sizeof *edits, edit_order);
      size_t at = from;
      for (size_t e = 0; e < n; e++) {
        bbuf_append(&out, src->text + at, edits[e].at - at);
        bbuf_puts(&out, edits[e].text);
        at = edits[e].at + edits[e].len;
      }
      bbuf_append(&out, src->text + at, to - at);
      free(edits);
    } else {
      imp_table keep = *it;
      if (!keep.note && mt->note.text)
        keep.note = mt->note.text;
      yaml_write_table(&out, &keep, key->pos.col - 1, old_project_id, r,
                       &r->lm, out_line);
    }
    cursor = to;
  }
  bbuf_append(&out, src->text + cursor, src->len - cursor);
  arena_drop(ta);
  *outlen = out.len;
  if (!out.data)
    return xstrdup("");
  return out.data;
}

/* An export without indentation gives every item level 0: where the
 * items are the data's, by name and order, their levels are kept. */
static void keep_item_levels(run *r) {
  for (size_t t = 0; t < r->base->ntables; t++) {
    const model_table *mt = model_lookup_table(r->old, r->tables[t].table->id);
    if (!mt || !r->tables[t].sheet)
      continue;
    for (size_t s = 0; s < mt->nsides; s++) {
      const model_side *ms = &mt->sides[s];
      imp_side *is = &r->tables[t].sides[s];
      if (ms->kind != MODEL_ROWS_ITEMS || ms->nrows != is->nrows)
        continue;
      bool same = true;
      for (size_t i = 0; i < ms->nrows && same; i++)
        same = ms->rows[i].name.text && is->rows[i].name &&
               !strcmp(ms->rows[i].name.text, is->rows[i].name) &&
               (is->rows[i].level == 0 ||
                is->rows[i].level == ms->rows[i].level);
      for (size_t i = 0; i < ms->nrows && same; i++)
        is->rows[i].level = ms->rows[i].level;
    }
  }
}

/* How the new data file names its layout: a name stays a name; a path is
 * made relative to the data file's folder, as the data's paths are read. */
static const char *layout_reference(run *r, const char *given,
                                    const char *lpath) {
  if (!strchr(given, '/') && !str_ends_with(given, ".yaml"))
    return given;
  char *target = realpath(lpath, NULL);
  char *dir = xstrdup(r->o->out);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = 0;
  char *from = realpath(slash ? (*dir ? dir : "/") : ".", NULL);
  free(dir);
  const char *out = given;
  if (target && from) {
    /* the folders both paths share, then "../" for each of from's left */
    size_t common = 0, i = 0;
    for (; from[i] && from[i] == target[i]; i++)
      if (from[i] == '/')
        common = i;
    if (!from[i] && target[i] == '/')
      common = i;
    bbuf b = {0};
    for (const char *p = from + common; *p; p++)
      if (*p == '/')
        bbuf_puts(&b, "../");
    bbuf_puts(&b, target + common + 1);
    out = arena_strdup(r->a, b.data);
    bbuf_free(&b);
  }
  free(target);
  free(from);
  return out;
}

static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* -o: the document facts from the workbook, and the schema's tables
 * through a model of the skeleton the layout makes; NULL after errors. */
static model *new_base(run *r, const char *layout_name, const char *lpath) {
  const import_options *o = r->o;
  import_scan_facts(r->a, r->book, r->layout, &r->facts);
  if (o->year)
    r->facts.year = o->year;
  src_pos file = {o->books[0], 0, 0};
  const layout_table *first = layout_table_at(r->layout, 0);
  if (!r->facts.unit)
    diag_error(r->d, DIAG_SCHEMA, file,
               "no sheet names the unit in its first rows (as '%s')",
               first ? layout_table_meta(first, false) : "");
  if (!r->facts.amount_unit)
    diag_error(r->d, DIAG_SCHEMA, file,
               "no sheet names the amount unit in its first rows (as '%s')",
               first ? layout_table_meta(first, true) : "");
  if (!r->facts.year && layout_import_year(r->layout))
    diag_error(r->d, DIAG_SCHEMA, file,
               "no title gives the year (as '%s'): give --year",
               layout_import_year(r->layout));
  else if (!r->facts.year)
    diag_error(r->d, DIAG_LAYOUT, file,
               "the layout does not say where a title gives the year "
               "(import: {year: \"{year}年\"}): give --year");
  if (!r->facts.unit || !r->facts.amount_unit || !r->facts.year)
    return NULL;
  char *sk = skeleton(r, layout_name);
  model *m = model_parse(o->out, sk, strlen(sk), &o->model, r->d);
  free(sk);
  if (!m)
    diag_report(r->d, DIAG_NOTE, DIAG_LAYOUT, (src_pos){lpath, 0, 0},
                "the layout's tables do not fit its schema");
  return m;
}

/* ---------------------------------------------------------------- the run */

/* The layout file: a path on the command line is the user's (relative to
 * where they are); a name, or the data's own layout, resolves as the data
 * file's names do. */
static const char *layout_path(run *r, const char *name, const char *data,
                               src_pos pos, bool from_command_line) {
  if (from_command_line && (strchr(name, '/') || str_ends_with(name, ".yaml")))
    return name;
  return resource_path(r->a, "layout", "layouts", name, data,
                       r->o->model.datadir, pos, r->d);
}

bool import_run(const import_options *o, diag *d) {
  run r = {.o = o, .d = d, .a = arena_new(), .ok = true};
  r.lim = o->limits ? o->limits : &import_default_limits;
  bool written = false;
  char *text = NULL, *old_text = NULL;
  source src = {0};
  size_t len = 0;
  if (!o->nbooks || (!o->out) == (!o->into)) {
    diag_error(d, DIAG_USAGE, (src_pos){0},
               "import needs a workbook and one of -o DATA.yaml or --into "
               "DATA.yaml");
    goto done;
  }
  r.target = o->out ? o->out : o->into;
  for (size_t i = 0; i < o->nbooks; i++)
    if (same_file(r.target, o->books[i])) {
      diag_error(d, DIAG_USAGE, (src_pos){0},
                 "%s is the workbook; the data would replace it", r.target);
      goto done;
    }
  const char *layout_name = o->layout;
  const char *lpath = NULL;
  if (o->into) {
    r.old = model_load(o->into, &o->model, d);
    if (!r.old) {
      diag_report(d, DIAG_NOTE, DIAG_SCHEMA, (src_pos){o->into, 0, 0},
                  "fix the data file before importing into it");
      goto done;
    }
    r.base = r.old;
    lpath = layout_path(&r, o->layout ? o->layout : r.old->layout.text,
                        o->into, r.old->layout.pos, o->layout != NULL);
  } else if (!o->layout) {
    diag_error(d, DIAG_USAGE, (src_pos){0},
               "import -o needs --layout NAME (the layout names the schema)");
    goto done;
  } else {
    lpath = layout_path(&r, o->layout, o->out, (src_pos){0}, true);
  }
  if (!lpath || !(r.layout = layout_load(lpath, d)))
    goto done;
  if (o->out)
    layout_name = layout_reference(&r, o->layout, lpath);
  if (!(r.book = book_load(o->books, o->nbooks, r.lim, d)))
    goto done;
  if (o->out && !(r.base = new_base(&r, layout_name, lpath)))
    goto done;
  r.tables = ARENA_ARRAY(r.a, imp_table, r.base->ntables ? r.base->ntables : 1);
  if (!import_match(r.a, r.book, r.base, r.layout, r.tables, &r.facts, d))
    goto done;
  if (o->into && r.facts.amount_unit && r.old->amount_unit.text &&
      strcmp(r.facts.amount_unit, r.old->amount_unit.text)) {
    /* 元 figures into a 万元 document would be 10000 times too large */
    diag_error(d, DIAG_SCHEMA, cell_pos(d, r.facts.amount_unit_at),
               "the workbook's figures are in %s, the data's in %s",
               r.facts.amount_unit, r.old->amount_unit.text);
    goto done;
  }
  if (o->out) {
    text = new_data(&r, layout_name);
    len = strlen(text);
  } else {
    old_text = file_read_all(o->into, 64u << 20, &src.len, d);
    if (!old_text)
      goto done;
    src.text = old_text;
    index_lines(&src);
    keep_item_levels(&r);
    text = updated_data(&r, &src, &len);
    if (!text)
      goto done;
  }
  if (!r.ok || !load_back(&r, text, len))
    goto done;
  written = write_file_atomic(r.target, text, len, d);
done:
  free(text);
  free(old_text);
  free(src.line_start);
  free(r.lm.rows);
  free(r.pnames);
  if (r.base != r.old)
    model_drop(r.base);
  model_drop(r.old);
  layout_drop(r.layout);
  book_drop(r.book);
  arena_drop(r.a);
  return written;
}

int import_read_book(const char *name, const char *kind, const void *bytes,
                     size_t len, const import_limits *lim, diag *d) {
  book *b = book_parse(name, kind, bytes, len,
                       lim ? lim : &import_default_limits, d);
  if (!b)
    return -1;
  int n = (int)b->nsheets;
  book_drop(b);
  return n;
}
