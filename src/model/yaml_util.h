/* yaml_util.h — small checked accessors over base's YAML tree, shared by
 * the schema and data loaders.  Each reports what is wrong at the node
 * (or, for a missing key, at the mapping that lacks it) and returns a
 * "nothing" value so the caller can go on and find more errors. */
#ifndef BUDGETPDF_MODEL_YAML_UTIL_H
#define BUDGETPDF_MODEL_YAML_UTIL_H

#include "base.h"

/* The scalar's text (untrimmed), or NULL after reporting
 * "<what> must be a scalar, not a <kind>". */
const char *yu_scalar(const ynode *n, const char *what, diag *d);

/* The value under key, or NULL after reporting
 * "missing key '<key>' in <what>" at the mapping. */
const ynode *yu_require(const ynode *map, const char *key, const char *what,
                        diag *d);

/* A sequence of scalars as a NULL-terminated array in a (count in *n).
 * Reports non-scalars and, if unique, repeated entries.  NULL (and *n
 * 0) after an error in the node's own kind. */
const char **yu_string_list(arena *a, const ynode *seq, const char *what,
                            bool unique, size_t *n, diag *d);

/* true/false; reports anything else. */
bool yu_bool(const ynode *n, const char *what, bool *out, diag *d);

/* Report "unknown <what> '<name>'[ <where>]; did you mean '<near>'?",
 * the suggestion being the closest of names (NULL-terminated, may be
 * NULL) if one is close enough.  where may be NULL. */
void yu_report_unknown(diag *d, diag_kind kind, src_pos pos,
                       const char *what, const char *name, const char *where,
                       const char *const *names);

#endif
