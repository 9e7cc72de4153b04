/* yaml_util.c — checked accessors over the YAML tree (see yaml_util.h). */
#include "yaml_util.h"

#include <string.h>

const char *yu_scalar(const ynode *n, const char *what, diag *d) {
  if (!ynode_expect(n, YNODE_SCALAR, what, d))
    return NULL;
  return n->u.scalar.text;
}

const ynode *yu_require(const ynode *map, const char *key, const char *what,
                        diag *d) {
  const ynode *v = ymap_lookup(map, key);
  if (!v)
    diag_error(d, DIAG_SCHEMA, map->pos, "missing key '%s' in %s", key, what);
  return v;
}

const char **yu_string_list(arena *a, const ynode *seq, const char *what,
                            bool unique, size_t *n, diag *d) {
  *n = 0;
  if (!ynode_expect(seq, YNODE_SEQ, what, d))
    return NULL;
  const char **out = ARENA_ARRAY(a, const char *, seq->u.seq.count + 1);
  for (size_t i = 0; i < seq->u.seq.count; i++) {
    const ynode *item = seq->u.seq.items[i];
    const char *text = yu_scalar(item, "an entry of a list", d);
    if (!text)
      continue;
    bool repeated = false;
    for (size_t j = 0; unique && j < *n && !repeated; j++)
      repeated = strcmp(out[j], text) == 0;
    if (repeated) {
      diag_error(d, DIAG_SCHEMA, item->pos, "'%s' appears twice in %s", text,
                 what);
      continue;
    }
    out[(*n)++] = text;
  }
  out[*n] = NULL;
  return out;
}

bool yu_bool(const ynode *n, const char *what, bool *out, diag *d) {
  const char *t = yu_scalar(n, what, d);
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
             what, t);
  return false;
}

void yu_report_unknown(diag *d, diag_kind kind, src_pos pos,
                       const char *what, const char *name, const char *where,
                       const char *const *names) {
  const char *near = names ? closest_name(name, names) : NULL;
  diag_error(d, kind, pos, "unknown %s '%s'%s%s%s%s%s", what, name,
             where ? " " : "", where ? where : "",
             near ? "; did you mean '" : "", near ? near : "",
             near ? "'?" : "");
}
