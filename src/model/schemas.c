/* SPDX-License-Identifier: MIT */
/* schemas.c — parsed schemas kept between models.  A batch renders
 * thousands of data files of one or two kinds; each schema is read and
 * validated once.  A handful of schemas at most: a list is enough. */
#include "model_imp.h"

#include <stdlib.h>
#include <string.h>

typedef struct cached_schema {
  struct cached_schema *next;
  arena *arena; /* the schema, its path */
  const char *path;
  const schema *s;
} cached_schema;

struct model_schemas {
  cached_schema *head;
};

model_schemas *model_schemas_new(void) {
  return xcalloc(1, sizeof(model_schemas));
}

void model_schemas_drop(model_schemas *c) {
  if (!c)
    return;
  for (cached_schema *e = c->head, *next; e; e = next) {
    next = e->next;
    arena_drop(e->arena);
  }
  free(c);
}

const schema *model_schemas_load(model_schemas *c, const char *path,
                                 diag *d) {
  for (cached_schema *e = c->head; e; e = e->next)
    if (!strcmp(e->path, path))
      return e->s;
  /* Each schema in an arena of its own, so that one with errors (not
   * kept: every data file naming it is told) costs nothing afterwards. */
  arena *a = arena_new();
  const schema *s = schema_load(a, path, d);
  if (!s) {
    arena_drop(a);
    return NULL;
  }
  cached_schema *e = ARENA_NEW(a, cached_schema);
  e->arena = a;
  e->path = arena_strdup(a, path);
  e->s = s;
  e->next = c->head;
  c->head = e;
  return s;
}
