/* SPDX-License-Identifier: MIT */
/* yamltree.c — libyaml events to a positioned node tree, with bounds.
 *
 * The tree is built with an explicit stack of open collections, so nesting
 * costs heap (bounded by max_depth), never C stack.  Aliases point at the
 * anchored node; `weight` counts what a walker would visit, and the sum
 * is bounded by max_nodes, which defeats "billion laughs". */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const yaml_limits yaml_default_limits = {
    .max_file_bytes = 64u << 20,
    .max_depth = 64,
    .max_nodes = 2000000,
    .max_scalar_bytes = 1u << 20,
    .max_text_bytes = 16u << 20,
};

typedef struct frame {
  ynode *node;
  const char *anchor; /* registered when the collection is complete */
  const ynode **items;
  size_t nitems, capitems;
  ypair *pairs;
  size_t npairs, cappairs;
  const ynode *pending_key;
} frame;

typedef struct anchor_entry {
  char *name;
  const ynode *node;
} anchor_entry;

typedef struct builder {
  arena *a;
  diag *d;
  const char *file; /* interned */
  const char *bytes;
  size_t len;
  const yaml_limits *lim;
  frame *stack;
  size_t depth, capstack;
  anchor_entry *anchors;
  size_t nanchors, capanchors;
  size_t expanded; /* nodes a walker would visit so far */
  size_t expanded_text; /* and the bytes of their scalars */
  bool aliased;    /* an alias was met: the limits may be its doing */
  const ynode *root;
  bool failed;
} builder;

const char *ynode_kind_name(ynode_kind k) {
  switch (k) {
  case YNODE_SCALAR:
    /* TRANSLATORS: a YAML node kind: one value (1681.99, a name) */
    return _("scalar");
  case YNODE_SEQ:
    /* TRANSLATORS: a YAML node kind: a list ([a, b] or "- " items) */
    return _("sequence");
  case YNODE_MAP:
    /* TRANSLATORS: a YAML node kind: keys and values ({key: value}) */
    return _("mapping");
  }
  return _("node");
}

static src_pos pos_from_mark(const builder *b, yaml_mark_t m) {
  return (src_pos){b->file, (int)m.line + 1, (int)m.column + 1};
}

/* libyaml's reader reports byte offsets, not marks: count lines and
 * characters up to the offset ourselves. */
static src_pos pos_from_offset(const builder *b, size_t offset) {
  int line = 1, col = 1;
  if (offset > b->len)
    offset = b->len;
  for (size_t i = 0; i < offset; i++) {
    unsigned char c = (unsigned char)b->bytes[i];
    if (c == '\n') {
      line++;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      col++;
    }
  }
  return (src_pos){b->file, line, col};
}

static void fail(builder *b, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(builder *b, src_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vreport(b->d, DIAG_ERROR, DIAG_YAML, pos, fmt, ap);
  va_end(ap);
  b->failed = true;
}

static bool count_nodes(builder *b, size_t n, size_t text, src_pos pos) {
  b->expanded += n;
  b->expanded_text += text;
  /* Without an alias the file itself is that large: say so, not "bomb". */
  if (b->expanded > b->lim->max_nodes) {
    if (b->aliased)
      diag_error(b->d, DIAG_YAML, pos,
                 "document expands to more than %zu nodes (alias bomb?); "
                 "refused",
                 b->lim->max_nodes);
    else
      diag_error(b->d, DIAG_YAML, pos,
                 "the file has more than %zu nodes (values, lists and "
                 "mappings); refused",
                 b->lim->max_nodes);
    b->failed = true;
    return false;
  }
  if (b->lim->max_text_bytes && b->expanded_text > b->lim->max_text_bytes) {
    if (b->aliased)
      diag_error(b->d, DIAG_YAML, pos,
                 "document expands to more than %zu bytes of text (aliases "
                 "repeating a long text?); refused",
                 b->lim->max_text_bytes);
    else
      diag_error(b->d, DIAG_YAML, pos,
                 "the file has more than %zu bytes of text; refused",
                 b->lim->max_text_bytes);
    b->failed = true;
    return false;
  }
  return true;
}

static void register_anchor(builder *b, const char *name, const ynode *n) {
  if (!name)
    return;
  /* A later anchor of the same name replaces the earlier (YAML 1.2). */
  for (size_t i = 0; i < b->nanchors; i++)
    if (strcmp(b->anchors[i].name, name) == 0) {
      b->anchors[i].node = n;
      return;
    }
  XGROW(b->anchors, b->capanchors, b->nanchors + 1);
  b->anchors[b->nanchors].name = xstrdup(name);
  b->anchors[b->nanchors].node = n;
  b->nanchors++;
}

static const ynode *lookup_anchor(const builder *b, const char *name) {
  for (size_t i = b->nanchors; i-- > 0;)
    if (strcmp(b->anchors[i].name, name) == 0)
      return b->anchors[i].node;
  return NULL;
}

/* Hang a finished node on the open collection, or make it the root. */
static void attach(builder *b, const ynode *n) {
  if (b->depth == 0) {
    b->root = n;
    return;
  }
  frame *f = &b->stack[b->depth - 1];
  f->node->weight += n->weight;
  f->node->text_weight += n->text_weight;
  if (f->node->kind == YNODE_SEQ) {
    XGROW(f->items, f->capitems, f->nitems + 1);
    f->items[f->nitems++] = n;
    return;
  }
  if (!f->pending_key) {
    if (n->kind != YNODE_SCALAR) {
      fail(b, n->pos, "a mapping key must be a scalar, not a %s",
           ynode_kind_name(n->kind));
      return;
    }
    if (n->plain && strcmp(n->u.scalar.text, "<<") == 0) {
      fail(b, n->pos, "merge keys (<<) are not supported; write the keys out");
      return;
    }
    f->pending_key = n;
    return;
  }
  XGROW(f->pairs, f->cappairs, f->npairs + 1);
  f->pairs[f->npairs].key = f->pending_key;
  f->pairs[f->npairs].value = n;
  f->npairs++;
  f->pending_key = NULL;
}

typedef struct sort_item {
  const ypair *pair;
  size_t index;
} sort_item;

static int sort_item_cmp(const void *x, const void *y) {
  const sort_item *a = x, *b = y;
  int c = strcmp(a->pair->key->u.scalar.text, b->pair->key->u.scalar.text);
  if (c)
    return c;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* Duplicate keys, found in O(n log n) so that a mapping with a million
 * keys cannot take quadratic time. */
static void check_duplicate_keys(builder *b, const ypair *pairs, size_t n) {
  if (n < 2)
    return;
  sort_item *items = xmalloc(n * sizeof *items);
  for (size_t i = 0; i < n; i++)
    items[i] = (sort_item){&pairs[i], i};
  qsort(items, n, sizeof *items, sort_item_cmp);
  for (size_t i = 1; i < n; i++) {
    const ynode *k0 = items[i - 1].pair->key, *k1 = items[i].pair->key;
    if (strcmp(k0->u.scalar.text, k1->u.scalar.text) == 0) {
      diag_error(b->d, DIAG_YAML, k1->pos,
                 "duplicate key '%s' (first at line %d)", k1->u.scalar.text,
                 k0->pos.line);
      b->failed = true;
    }
  }
  free(items);
}

static bool tag_allowed(const yaml_char_t *tag) {
  return !tag || strcmp((const char *)tag, YAML_STR_TAG) == 0;
}

static void open_collection(builder *b, ynode_kind kind, yaml_mark_t mark,
                            const yaml_char_t *anchor,
                            const yaml_char_t *tag) {
  src_pos pos = pos_from_mark(b, mark);
  if (tag) {
    fail(b, pos, "YAML tags (%s) are not supported", (const char *)tag);
    return;
  }
  if (b->depth >= b->lim->max_depth) {
    diag_error(b->d, DIAG_YAML, pos,
               "nesting deeper than %zu levels; refused", b->lim->max_depth);
    b->failed = true;
    return;
  }
  if (!count_nodes(b, 1, 0, pos))
    return;
  XGROW(b->stack, b->capstack, b->depth + 1);
  frame *f = &b->stack[b->depth++];
  memset(f, 0, sizeof *f);
  f->node = ARENA_NEW(b->a, ynode);
  f->node->kind = kind;
  f->node->pos = pos;
  f->node->weight = 1;
  f->anchor = anchor ? arena_strdup(b->a, (const char *)anchor) : NULL;
}

static void close_collection(builder *b) {
  frame *f = &b->stack[--b->depth];
  ynode *n = f->node;
  if (n->kind == YNODE_SEQ) {
    const ynode **items = ARENA_ARRAY(b->a, const ynode *, f->nitems);
    if (f->nitems)
      memcpy(items, f->items, f->nitems * sizeof *items);
    n->u.seq.items = items;
    n->u.seq.count = f->nitems;
  } else {
    ypair *pairs = ARENA_ARRAY(b->a, ypair, f->npairs);
    if (f->npairs)
      memcpy(pairs, f->pairs, f->npairs * sizeof *pairs);
    n->u.map.pairs = pairs;
    n->u.map.count = f->npairs;
    check_duplicate_keys(b, pairs, f->npairs);
  }
  free(f->items);
  free(f->pairs);
  register_anchor(b, f->anchor, n);
  attach(b, n);
}

static void add_scalar(builder *b, const yaml_event_t *ev) {
  src_pos pos = pos_from_mark(b, ev->start_mark);
  const yaml_char_t *tag = ev->data.scalar.tag;
  if (!tag_allowed(tag)) {
    fail(b, pos, "YAML tags (%s) are not supported", (const char *)tag);
    return;
  }
  size_t len = ev->data.scalar.length;
  if (len > b->lim->max_scalar_bytes) {
    diag_error(b->d, DIAG_YAML, pos,
               "scalar of %zu bytes is longer than the limit of %zu; refused",
               len, b->lim->max_scalar_bytes);
    b->failed = true;
    return;
  }
  const char *text = (const char *)ev->data.scalar.value;
  if (memchr(text, 0, len)) {
    fail(b, pos, "a NUL character (U+0000) is not allowed in text");
    return;
  }
  if (!count_nodes(b, 1, len, pos))
    return;
  ynode *n = ARENA_NEW(b->a, ynode);
  n->kind = YNODE_SCALAR;
  n->pos = pos;
  n->weight = 1;
  n->text_weight = len;
  n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag;
  n->u.scalar.text = arena_strndup(b->a, text, len);
  n->u.scalar.len = len;
  if (ev->data.scalar.anchor)
    register_anchor(b, (const char *)ev->data.scalar.anchor, n);
  attach(b, n);
}

static void add_alias(builder *b, const yaml_event_t *ev) {
  src_pos pos = pos_from_mark(b, ev->start_mark);
  const char *name = (const char *)ev->data.alias.anchor;
  const ynode *target = lookup_anchor(b, name);
  if (!target) {
    fail(b, pos, "alias *%s names no anchor defined before it", name);
    return;
  }
  b->aliased = true;
  if (!count_nodes(b, target->weight, target->text_weight, pos))
    return;
  attach(b, target);
}

/* The byte at a mark (line and column count characters), or 0 past the
 * end. */
static char byte_at_mark(const builder *b, yaml_mark_t m) {
  size_t i = 0, line = 0, col = 0;
  while (i < b->len && line < m.line)
    line += b->bytes[i++] == '\n';
  while (i < b->len && col < m.column && b->bytes[i] != '\n') {
    i++;
    while (i < b->len && ((unsigned char)b->bytes[i] & 0xC0) == 0x80)
      i++;
    col++;
  }
  return i < b->len ? b->bytes[i] : 0;
}

static void report_parser_error(builder *b, const yaml_parser_t *p) {
  if (p->error == YAML_MEMORY_ERROR) {
    diag_error(b->d, DIAG_INTERNAL, (src_pos){b->file, 0, 0},
               "out of memory while parsing YAML");
  } else if (p->error == YAML_READER_ERROR) {
    src_pos pos = pos_from_offset(b, p->problem_offset);
    /* Chinese text saved by an editor set to the local code page. */
    const char *hint = strstr(p->problem, "UTF-8")
                           ? "; the file must be UTF-8 (saved as GBK or "
                             "GB18030?)"
                           : "";
    if (p->problem_value != -1 && strstr(p->problem, "Unicode character"))
      diag_error(b->d, DIAG_YAML, pos, "%s (U+%04X)%s", p->problem,
                 (unsigned)p->problem_value, hint);
    else if (p->problem_value != -1)
      diag_error(b->d, DIAG_YAML, pos, "%s (byte 0x%02X)%s", p->problem,
                 (unsigned)p->problem_value & 0xFF, hint);
    else
      diag_error(b->d, DIAG_YAML, pos, "%s%s", p->problem, hint);
  } else {
    src_pos pos = pos_from_mark(b, p->problem_mark);
    /* A tab where indentation goes is the commonest cause, and libyaml's
     * words do not say so. */
    const char *hint = byte_at_mark(b, p->problem_mark) == '\t'
                           ? " (a tab: YAML indents with spaces only)"
                           : "";
    if (p->context)
      diag_error(b->d, DIAG_YAML, pos, "YAML syntax: %s %s%s", p->problem,
                 p->context, hint);
    else
      diag_error(b->d, DIAG_YAML, pos, "YAML syntax: %s%s",
                 p->problem ? p->problem : "error", hint);
  }
  b->failed = true;
}

const ynode *yaml_tree_parse(arena *a, const char *name, const char *bytes,
                             size_t len, const yaml_limits *lim, diag *d) {
  /* Positions live as long as the tree, so the name goes in its arena. */
  const char *file = arena_strdup(a, name);
  /* Editors on Windows save UTF-8 with a byte-order mark; libyaml counts
   * it as a column of line 1, so it is dropped here.  UTF-16 (Notepad's
   * "Unicode") is refused by name rather than as an invalid UTF-8 byte. */
  if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3)) {
    bytes += 3;
    len -= 3;
  } else if (len >= 2 && (!memcmp(bytes, "\xFF\xFE", 2) ||
                          !memcmp(bytes, "\xFE\xFF", 2))) {
    diag_error(d, DIAG_YAML, (src_pos){file, 1, 1},
               "the file is UTF-16 (it starts with the bytes %s); save it "
               "as UTF-8",
               bytes[0] == '\xFF' ? "FF FE" : "FE FF");
    return NULL;
  }
  builder b = {.a = a, .d = d, .bytes = bytes, .len = len,
               .lim = lim ? lim : &yaml_default_limits};
  b.file = file;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    diag_error(d, DIAG_INTERNAL, (src_pos){b.file, 0, 0},
               "cannot initialise the YAML parser");
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, len);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  int documents = 0;
  bool done = false;
  while (!done && !b.failed) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      report_parser_error(&b, &parser);
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (++documents > 1)
        fail(&b, pos_from_mark(&b, ev.start_mark),
             "more than one YAML document in the file");
      break;
    case YAML_SCALAR_EVENT:
      add_scalar(&b, &ev);
      break;
    case YAML_ALIAS_EVENT:
      add_alias(&b, &ev);
      break;
    case YAML_SEQUENCE_START_EVENT:
      open_collection(&b, YNODE_SEQ, ev.start_mark,
                      ev.data.sequence_start.anchor,
                      ev.data.sequence_start.implicit
                          ? NULL
                          : ev.data.sequence_start.tag);
      break;
    case YAML_MAPPING_START_EVENT:
      open_collection(&b, YNODE_MAP, ev.start_mark,
                      ev.data.mapping_start.anchor,
                      ev.data.mapping_start.implicit
                          ? NULL
                          : ev.data.mapping_start.tag);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      close_collection(&b);
      break;
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  while (b.depth > 0) { /* unwind after an error */
    frame *f = &b.stack[--b.depth];
    free(f->items);
    free(f->pairs);
  }
  free(b.stack);
  for (size_t i = 0; i < b.nanchors; i++)
    free(b.anchors[i].name);
  free(b.anchors);
  if (b.failed)
    return NULL;
  if (!b.root) {
    diag_error(d, DIAG_YAML, (src_pos){b.file, 1, 1},
               "the file is empty; expected a YAML mapping");
    return NULL;
  }
  return b.root;
}

const ynode *yaml_tree_load(arena *a, const char *path,
                            const yaml_limits *lim, diag *d) {
  if (!lim)
    lim = &yaml_default_limits;
  size_t len;
  char *bytes = file_read_all(path, lim->max_file_bytes, &len, d);
  if (!bytes)
    return NULL;
  const ynode *root = yaml_tree_parse(a, path, bytes, len, lim, d);
  free(bytes);
  return root;
}

/* ---------------------------------------------------------------- helpers */

bool ynode_is_null(const ynode *n) {
  if (!n)
    return true;
  if (n->kind != YNODE_SCALAR || !n->plain)
    return false;
  const char *t = n->u.scalar.text;
  return !*t || !strcmp(t, "~") || !strcmp(t, "null") ||
         !strcmp(t, "Null") || !strcmp(t, "NULL");
}

const ynode *ymap_lookup(const ynode *map, const char *key) {
  if (!map || map->kind != YNODE_MAP)
    return NULL;
  for (size_t i = 0; i < map->u.map.count; i++)
    if (strcmp(map->u.map.pairs[i].key->u.scalar.text, key) == 0)
      return map->u.map.pairs[i].value;
  return NULL;
}

/* What a message says it is about ("the data file", "row 208 of 支出表"),
 * in the reader's language: callers pass N_() literals or formats they
 * translated; gettext("") would be the catalog's header. */
static const char *tr(const char *what) {
  return what && *what ? _(what) : what;
}

bool ynode_expect(const ynode *n, ynode_kind k, const char *what, diag *d) {
  if (n->kind == k)
    return true;
  diag_error(d, DIAG_SCHEMA, n->pos, "%s must be a %s, not a %s", tr(what),
             ynode_kind_name(k), ynode_kind_name(n->kind));
  return false;
}

/* Edit distance over code points, counting a swap of two neighbours as
 * one edit (optimal string alignment), capped at 64 characters. */
static size_t edit_distance(const char *x, const char *y, size_t *budget) {
  uint32_t a[64], b[64];
  size_t na = 0, nb = 0, lx = strlen(x), ly = strlen(y);
  for (size_t i = 0, n; i < lx && na < 64; i += n)
    if (!(n = utf8_decode(x + i, lx - i, &a[na++])))
      return SIZE_MAX;
  for (size_t i = 0, n; i < ly && nb < 64; i += n)
    if (!(n = utf8_decode(y + i, ly - i, &b[nb++])))
      return SIZE_MAX;
  if ((na + 1) * (nb + 1) > *budget) {
    *budget = 0;
    return SIZE_MAX;
  }
  *budget -= (na + 1) * (nb + 1);
  static _Thread_local size_t m[65][65];
  for (size_t i = 0; i <= na; i++)
    m[i][0] = i;
  for (size_t j = 0; j <= nb; j++)
    m[0][j] = j;
  for (size_t i = 1; i <= na; i++)
    for (size_t j = 1; j <= nb; j++) {
      size_t best = m[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (m[i - 1][j] + 1 < best)
        best = m[i - 1][j] + 1;
      if (m[i][j - 1] + 1 < best)
        best = m[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          m[i - 2][j - 2] + 1 < best)
        best = m[i - 2][j - 2] + 1;
      m[i][j] = best;
    }
  return m[na][nb];
}

const char *closest_name(const char *key, const char *const *names) {
  size_t unlimited = SIZE_MAX;
  return closest_name_within(key, names, &unlimited);
}

const char *closest_name_within(const char *key, const char *const *names,
                                size_t *budget) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  size_t klen = utf8_length(key, strlen(key));
  for (const char *const *n = names; *n && *budget; n++) {
    size_t dist = edit_distance(key, *n, budget);
    if (dist < best_d) {
      best_d = dist;
      best = *n;
    }
  }
  /* One edit in short names, a third of the length in long ones. */
  size_t allowed = klen <= 4 ? 1 : klen / 3;
  return best && best_d <= allowed && *budget ? best : NULL;
}

bool ymap_check_keys(const ynode *map, const char *const *allowed,
                     const char *what, diag *d) {
  bool ok = true;
  for (size_t i = 0; i < map->u.map.count; i++) {
    const ynode *k = map->u.map.pairs[i].key;
    bool known = false;
    for (const char *const *a = allowed; *a && !known; a++)
      known = strcmp(*a, k->u.scalar.text) == 0;
    if (known)
      continue;
    ok = false;
    const char *near = diag_suggest(d, k->u.scalar.text, allowed);
    if (near)
      diag_error(d, DIAG_SCHEMA, k->pos,
                 "unknown key '%s' in %s; did you mean '%s'?",
                 k->u.scalar.text, tr(what), near);
    else
      diag_error(d, DIAG_SCHEMA, k->pos, "unknown key '%s' in %s",
                 k->u.scalar.text, tr(what));
  }
  return ok;
}

/* ---------------------------------------------------------------- accessors */

const char *ynode_scalar(const ynode *n, const char *what, diag *d) {
  if (!ynode_expect(n, YNODE_SCALAR, what, d))
    return NULL;
  return n->u.scalar.text;
}

const ynode *ymap_require(const ynode *map, const char *key, const char *what,
                        diag *d) {
  const ynode *v = ymap_lookup(map, key);
  if (!v)
    diag_error(d, DIAG_SCHEMA, map->pos, "missing key '%s' in %s", key,
               tr(what));
  return v;
}

const char **ynode_string_list(arena *a, const ynode *seq, const char *what,
                            bool unique, size_t *n, diag *d) {
  *n = 0;
  if (!ynode_expect(seq, YNODE_SEQ, what, d))
    return NULL;
  const char **out = ARENA_ARRAY(a, const char *, seq->u.seq.count + 1);
  /* Entries seen, by hash (open addressing): a list of 100,000 entries
   * is not compared pairwise. */
  size_t cap = 16;
  while (unique && cap < 2 * seq->u.seq.count + 1)
    cap *= 2;
  const char **seen = unique ? xcalloc(cap, sizeof *seen) : NULL;
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *item = seq->u.seq.items[i];
    const char *text = ynode_scalar(item, N_("an entry of a list"), d);
    if (!text)
      continue;
    bool repeated = false;
    if (unique) {
      size_t h = 14695981039346656037u;
      for (const char *c = text; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
      for (h &= cap - 1; seen[h] && !repeated; h = (h + 1) & (cap - 1))
        repeated = strcmp(seen[h], text) == 0;
      if (!repeated)
        seen[h] = text;
    }
    if (repeated) {
      diag_error(d, DIAG_SCHEMA, item->pos, "'%s' appears twice in %s", text,
                 tr(what));
      continue;
    }
    out[(*n)++] = text;
  }
  free(seen);
  out[*n] = NULL;
  return out;
}

bool ynode_bool(const ynode *n, const char *what, bool *out, diag *d) {
  const char *t = ynode_scalar(n, what, d);
  if (!t)
    return false;
  if (n->plain && !strcmp(t, "true")) {
    *out = true;
    return true;
  }
  if (n->plain && !strcmp(t, "false")) {
    *out = false;
    return true;
  }
  diag_error(d, DIAG_SCHEMA, n->pos, "%s must be true or false, not '%s'",
             tr(what), t);
  return false;
}

void report_unknown_name(diag *d, diag_kind kind, src_pos pos,
                       const char *what, const char *name, const char *where,
                       const char *const *names) {
  const char *near = names ? diag_suggest(d, name, names) : NULL;
  diag_error(d, kind, pos, "unknown %s '%s'%s%s%s%s%s", tr(what), name,
             where ? " " : "", where ? tr(where) : "",
             near ? _("; did you mean '") : "", near ? near : "",
             near ? _("'?") : "");
}
