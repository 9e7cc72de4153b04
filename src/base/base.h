/* SPDX-License-Identifier: MIT */
/* base.h — what every stage of budgetpdf shares: source positions, the
 * diagnostics sink, arenas, UTF-8, and the bounded YAML tree reader.
 *
 * Ownership words follow one vocabulary: *_new / *_load hand over
 * ownership, *_drop gives it up (NULL is always accepted), lookup_* borrows.
 *
 * Out of memory is not an error a stage reports: the x* allocators never
 * return NULL, so no caller checks.  They jump to the recovery point the
 * caller of the pipeline set (oom_set_recovery: the render library does,
 * and reports the failure as a job's internal error); with none set they
 * print "budgetpdf: out of memory" and exit with BP_EXIT_INTERNAL (the
 * atexit handler of the output writer removes a half-written file). */
#ifndef BUDGETPDF_BASE_H
#define BUDGETPDF_BASE_H

#include <libintl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- messages
 * Every message a user reads goes through gettext (po/, docs/ERRORS.md):
 * _() where it is printed, N_() where it is only marked.  diag_report
 * translates its format itself, so a diag_* call needs neither. */
#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* Set up the messages' language from the locale (LANG, LC_ALL,
 * LC_MESSAGES, LANGUAGE) and their catalogue (program_localedir).  Only
 * LC_CTYPE and LC_MESSAGES follow the locale: numbers in the PDF and in
 * parsing stay as in C. */
void messages_init(void);

/* ---------------------------------------------------------------- exit codes
 * The documented exit status of the program (README, "Exit status"). */
enum {
  BP_EXIT_OK = 0,       /* success; check: no findings */
  BP_EXIT_INPUT = 1,    /* the inputs have errors (data, layout, fonts,
                           or check findings where they are fatal) */
  BP_EXIT_USAGE = 2,    /* bad command line, or a file cannot be read or
                           written (I/O) */
  BP_EXIT_INTERNAL = 3, /* out of memory or a failure inside a library */
  BP_EXIT_SIGNAL = 128  /* + signal number: interrupted; nothing written */
};

/* ---------------------------------------------------------------- positions
 * Where a value came from.  line and col are 1-based; col counts
 * characters (code points), not bytes.  line == 0 means "the whole file";
 * file == NULL means "no file" (the command line, say). */
typedef struct src_pos {
  const char *file; /* borrowed from whoever made the position: a YAML
                       tree's arena (yaml_tree_*), or the diag's table of
                       names (diag_intern_file) */
  int line;
  int col;
} src_pos;

/* ---------------------------------------------------------------- diagnostics
 * A sink every stage writes to.  Each report is printed at once as
 *   file:line:col: error: message
 * (or "file: error:" without a line, or "budgetpdf: error:" without a
 * file), counted, and the stage goes on to find more.  Identical
 * consecutive reports are printed once. */
typedef enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

/* The kind decides the exit status main() chooses (see diag_exit_status). */
typedef enum diag_kind {
  DIAG_USAGE,  /* command line */
  DIAG_IO,     /* reading or writing a file */
  DIAG_YAML,   /* YAML syntax, limits */
  DIAG_SCHEMA, /* data or layout does not fit its schema */
  DIAG_CHECK,  /* arithmetic findings */
  DIAG_FONT,   /* font configuration, coverage, licensing */
  DIAG_LAYOUT, /* layout cannot be applied to the data */
  DIAG_INTERNAL,
  DIAG_KIND_COUNT
} diag_kind;

typedef struct diag diag;

/* A sink printing to `out` (stderr if NULL).  Drop with diag_drop. */
diag *diag_new(FILE *out);
void diag_drop(diag *d);

/* Keep a copy of a file name for the lifetime of the sink; positions keep
 * the returned pointer. */
const char *diag_intern_file(diag *d, const char *name);

void diag_report(diag *d, diag_severity sev, diag_kind kind, src_pos pos,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_vreport(diag *d, diag_severity sev, diag_kind kind, src_pos pos,
                  const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Shorthands for the two common severities. */
void diag_error(diag *d, diag_kind kind, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_warning(diag *d, diag_kind kind, src_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Print what diag_report held back: "file: note: … and N more like
 * this" for each kind of message given more than 100 times (each kind —
 * each format — is printed 100 times, the rest only counted).  Called by
 * diag_drop; call it before printing anything else to the same stream. */
void diag_flush(diag *d);


/* closest_name within a budget of work the sink keeps (20 million
 * edit-distance cells per sink): a file with thousands of unknown names
 * gets suggestions for the first of them and plain messages after, in
 * bounded time.  NULL when nothing is close or the budget is spent. */
const char *diag_suggest(diag *d, const char *key, const char *const *names);

/* Errors (not warnings) reported so far, in total and of one kind. */
int diag_error_count(const diag *d);
int diag_kind_count(const diag *d, diag_kind kind);
int diag_warning_count(const diag *d);

/* The exit status the errors so far call for: BP_EXIT_OK if none, else the
 * most severe of INTERNAL > USAGE/IO > INPUT. */
int diag_exit_status(const diag *d);

/* ---------------------------------------------------------------- memory */
/* Print "budgetpdf: error: out of memory" and exit with BP_EXIT_INTERNAL:
 * what the x* allocators do, for memory that is not malloc'ed (mmap). */
_Noreturn void out_of_memory(void);
/* Make out_of_memory longjmp(*where, 1) instead of exiting; NULL restores
 * exiting.  Returns the previous recovery point (to restore it).  The
 * point is cleared before the jump, so a failure while unwinding exits.
 * One per process: the pipeline is single-threaded. */
jmp_buf *oom_set_recovery(jmp_buf *where);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *p (holding *cap elements of size elem) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
#define XGROW(p, cap, need) xgrow((void **)&(p), &(cap), (need), sizeof *(p))

/* A bump allocator: many small objects, one drop.  Memory is zeroed. */
typedef struct arena arena;
arena *arena_new(void);
void arena_drop(arena *a);
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for the benchmark). */
size_t arena_used(const arena *a);
#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (n)))

/* A growable byte buffer. */
typedef struct bbuf {
  char *data; /* always NUL-terminated when non-NULL */
  size_t len;
  size_t cap;
} bbuf;
void bbuf_append(bbuf *b, const void *bytes, size_t n);
void bbuf_puts(bbuf *b, const char *s);
void bbuf_printf(bbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bbuf_free(bbuf *b);

/* Append s[0..len) to out as a message may show it: valid UTF-8 as it
 * is, except control characters (C0, DEL, C1) and bidirectional
 * overrides, which become \x1b or \u202E text; an invalid byte becomes
 * \xNN.  Every report is escaped this way when printed. */
void diag_escape(bbuf *out, const char *s, size_t len);

/* ---------------------------------------------------------------- UTF-8 */
/* Decode one code point from s[0..len).  Returns its length in bytes and
 * stores it in *cp, or returns 0 for an invalid or truncated sequence
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* utf8_decode for text that should be valid (len > 0): an invalid or
 * truncated sequence gives U+FFFD for its first byte, so a loop over the
 * text always moves on.  Returns the bytes taken (at least 1). */
size_t utf8_decode_or_replace(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out (at least 4 bytes); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* Byte offset of the first invalid sequence, or (size_t)-1 if s is valid. */
size_t utf8_first_invalid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t len);

/* ---------------------------------------------------------------- numbers */
/* v rounded to the nearest integer within [-limit, limit]: NaN gives 0,
 * anything beyond the range its end.  Every conversion of a length or a
 * font metric to an integer goes through here (a cast of an out-of-range
 * double is undefined; llround(inf) is LLONG_MIN, whose negation is too).
 * The inputs are checked long before (layout lengths have stated ranges),
 * so the clamp is a last guard, never what shapes a document. */
long long round_within(double v, long long limit);

/* Does s end with tail? */
bool str_ends_with(const char *s, const char *tail);

/* ---------------------------------------------------------------- files */
/* Read a whole file (at most max_bytes) into a NUL-terminated buffer the
 * caller frees.  On failure returns NULL and reports an I/O error. */
char *file_read_all(const char *path, size_t max_bytes, size_t *len,
                    diag *d);

/* The file a data file names for one of the program's resources, e.g.
 * kind "schema" in folder "schemas", or "layout" in "layouts": a name
 * with '/' or ending in .yaml is a path relative to the data file;
 * otherwise <data's folder>/../<folder>/<name>.yaml, then
 * <datadir>/<folder>/<name>.yaml (datadir may be NULL).  Returns the path
 * (in arena a), or NULL after reporting at pos where it looked. */
const char *resource_path(arena *a, const char *kind, const char *folder,
                          const char *name, const char *data_path,
                          const char *datadir, src_pos pos, diag *d);

/* The program's own folder of layouts/, schemas/ and fonts/: the
 * BUDGETPDF_DATADIR environment variable when set, else the installed
 * share/budgetpdf found from the executable's own path (/proc/self/exe),
 * so that an installed tree moved elsewhere still finds its files.  The
 * build tree holds the same relative folder, linked to the source tree's
 * files (src/CMakeLists.txt).  NULL if the executable cannot be found. */
const char *program_datadir(void);
/* The same for the message catalogues (share/locale); NULL if unknown. */
const char *program_localedir(void);

/* ---------------------------------------------------------------- YAML
 * A YAML file as a tree of positioned nodes, built from libyaml's event
 * stream without recursion.  What a hostile file could use to exhaust the
 * stack, memory or time is bounded and refused with a positioned error:
 * nesting depth, total nodes and total text (counting every expansion of
 * an alias), scalar length and file size.  Duplicate keys, merge keys ("<<"), tags
 * other than !!str, and more than one document are errors too.  Aliases
 * share the anchored node, so the tree is a DAG: walk it, never free
 * nodes (the arena owns them). */
typedef enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;
typedef struct ypair {
  const ynode *key; /* always a scalar */
  const ynode *value;
} ypair;

struct ynode {
  ynode_kind kind;
  src_pos pos;  /* where the node starts */
  bool plain;   /* a scalar written without quotes or block style */
  size_t weight; /* nodes in this subtree, every alias expanded */
  size_t text_weight; /* bytes of scalars in this subtree, every alias
                         expanded */
  union {
    struct {
      const char *text; /* NUL-terminated, valid UTF-8 */
      size_t len;
    } scalar;
    struct {
      const ynode **items;
      size_t count;
    } seq;
    struct {
      const ypair *pairs; /* in document order */
      size_t count;
    } map;
  } u;
};

typedef struct yaml_limits {
  size_t max_file_bytes;   /* refuse bigger files before parsing */
  size_t max_depth;        /* nesting of sequences and mappings */
  size_t max_nodes;        /* nodes, each alias counting its whole target */
  size_t max_scalar_bytes; /* one scalar */
  size_t max_text_bytes;   /* all scalars, each alias counting its whole
                              target: a few aliases of a long text must not
                              become gigabytes for the later stages */
} yaml_limits;

/* Limits suited to hand-written data and layout files. */
extern const yaml_limits yaml_default_limits;

/* Parse the file at path (or the bytes given) into a tree in arena a.
 * Returns the root, or NULL after reporting errors to d.  An empty file
 * yields NULL with an error.  name is used in positions. */
const ynode *yaml_tree_load(arena *a, const char *path,
                            const yaml_limits *lim, diag *d);
const ynode *yaml_tree_parse(arena *a, const char *name, const char *bytes,
                             size_t len, const yaml_limits *lim, diag *d);

/* "mapping", "sequence" or "scalar", for messages. */
const char *ynode_kind_name(ynode_kind k);
/* A plain scalar spelling YAML null ("", "~", "null", "Null", "NULL"). */
bool ynode_is_null(const ynode *n);
/* The value under key in a mapping, or NULL (borrowed). */
const ynode *ymap_lookup(const ynode *map, const char *key);

/* Report every key of `map` not in the NULL-terminated list `allowed`,
 * as "unknown key 'x' in <what>" with a "did you mean" when one allowed
 * key is close.  Returns true if all keys are known. */
bool ymap_check_keys(const ynode *map, const char *const *allowed,
                     const char *what, diag *d);

/* Report an error unless n has kind k: "<what> must be a <k>, not a ...".
 * Returns true if it has. */
bool ynode_expect(const ynode *n, ynode_kind k, const char *what, diag *d);

/* The allowed key closest to `key` by edit distance, if close enough to be
 * a likely typo, else NULL. */
const char *closest_name(const char *key, const char *const *names);
/* The same, taking the edit-distance cells it computes from *budget and
 * giving up (NULL) when it is spent. */
const char *closest_name_within(const char *key, const char *const *names,
                                size_t *budget);

/* Checked accessors for loaders.  Each reports what is wrong at the node
 * (for a missing key: at the mapping that lacks it) as a DIAG_SCHEMA
 * error and returns a "nothing" value, so that the caller goes on and
 * finds more errors. */

/* The scalar's text, or NULL after "<what> must be a scalar, not a …". */
const char *ynode_scalar(const ynode *n, const char *what, diag *d);
/* The value under key, or NULL after "missing key '<key>' in <what>". */
const ynode *ymap_require(const ynode *map, const char *key, const char *what,
                          diag *d);
/* A plain true or false into *out; anything else is reported. */
bool ynode_bool(const ynode *n, const char *what, bool *out, diag *d);
/* A sequence of scalars as a NULL-terminated array in a (count in *n);
 * with `unique`, an entry given twice is reported.  NULL (and *n 0) if the
 * node is not a sequence. */
const char **ynode_string_list(arena *a, const ynode *seq, const char *what,
                               bool unique, size_t *n, diag *d);
/* Report "unknown <what> '<name>'[ <where>][; did you mean '<near>'?]",
 * the suggestion being the closest of names (NULL-terminated, may be
 * NULL). */
void report_unknown_name(diag *d, diag_kind kind, src_pos pos,
                         const char *what, const char *name,
                         const char *where, const char *const *names);

/* ---------------------------------------------------------------- test points
 * Places where a test stops the program, defined by name, never by time
 * (tests/hardening).  They exist only in the test build, budgetpdf-testing,
 * compiled with BUDGETPDF_TESTING (src/CMakeLists.txt); in the program
 * that ships TEST_POINT is nothing and no test variable is read.
 *   BUDGETPDF_TEST_STOP_AT=NAME   at test point NAME the program stops
 *                                 itself (SIGSTOP) until continued
 *   BUDGETPDF_TEST_FAIL_ALLOC=N   the Nth x* allocation fails
 *   BUDGETPDF_TEST_COUNT_ALLOCS=1 at exit, print "allocations: N" */
#ifdef BUDGETPDF_TESTING
void test_point(const char *name);
bool test_allocation_fails(void);
#define TEST_POINT(name) test_point(name)
#else
#define TEST_POINT(name) ((void)0)
#endif

#endif
