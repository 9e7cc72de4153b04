/* SPDX-License-Identifier: MIT */
/* text_private.h — struct layouts shared by the text stage's .c files.
 * Nothing outside src/text includes this. */
#ifndef BUDGETPDF_TEXT_PRIVATE_H
#define BUDGETPDF_TEXT_PRIVATE_H

#include "text.h"

#include <hb.h>

struct text_face {
  char *path;       /* as opened (owned) */
  unsigned index;   /* face index in a collection */
  void *map;        /* the whole file, mapped read-only (owned) */
  size_t map_len;
  int map_slot;     /* its slot in filemap.c, or -1: map is malloc'ed (a
                       copy of the file, when the table was full) */
  int fd;           /* the file, kept open to see it change (owned), -1 */
  long long opened_size; /* its size and modification time when opened */
  long long opened_mtime_ns;
  hb_blob_t *blob;  /* over map, no copy */
  hb_face_t *hb_face;
  hb_font_t *hb_font; /* scale = upem */
  unsigned upem;
  bool cff;
  /* Where each glyph's ink lies (break.c's punctuation compression asks
   * for every mark it meets, and HarfBuzz interprets a CFF glyph's
   * outline to answer): INK_* bits per glyph id, 0 until asked (owned). */
  unsigned char *ink;
  unsigned nglyphs;
  char *ps_name;    /* owned */
  char *label;      /* "family (file)" for messages (owned) */
};

/* A candidate is a family (resolved through fontconfig), a file, or a
 * family with a file hint: the file is tried first and fontconfig only
 * asked if the file does not exist. */
typedef enum cand_state { CAND_UNRESOLVED, CAND_OK, CAND_FAILED } cand_state;

typedef struct font_candidate {
  char *family;     /* NULL if file-only (owned) */
  char *style;      /* NULL: regular (owned) */
  char *file;       /* NULL if family-only (owned) */
  unsigned index;
  uint32_t *exclude; /* characters this candidate must not draw (owned) */
  size_t nexclude;
  src_pos pos;      /* where it was configured */
  cand_state state;
  text_face *face;  /* when CAND_OK (borrowed from text_fonts) */
} font_candidate;

typedef struct font_role {
  char *name;               /* owned */
  src_pos pos;
  font_candidate *cands;    /* ncands, in fallback order (owned) */
  size_t ncands, capcands;
  bool reported_unusable;   /* "no usable font" said once */
} font_role;

struct text_fonts {
  font_role *roles;
  size_t nroles, caproles;
  text_face **faces; /* every face opened, in opening order (owned) */
  size_t nfaces, capfaces;
  unsigned generation; /* bumped when a role's candidates change, so
                          shapers drop cached results */
  const char **role_names; /* for "did you mean" (owned, not the names) */
  bool fc_ready;     /* FcInit done */
  bool fc_failed;
};

/* Mappings of font files that a SIGBUS may hit (filemap.c).  register
 * returns the mapping's slot, or -1 if none is free (read the file into
 * memory instead); changed says whether a read past the file's end has
 * been answered with zeros since (the file was cut short). */
int filemap_register(void *start, size_t len);
void filemap_unregister(int slot);
bool filemap_changed(int slot);

/* The shaper's line-breaking state (break.c makes it on first use, holding
 * ICU's iterator, the word boundaries of texts seen and short texts already
 * set, and closes it with break_state_close when the shaper is dropped). */
void **shaper_break_state(text_shaper *s);
void break_state_close(void *state);

/* Does candidate c refuse to draw cp (its `exclude:` list)? */
bool candidate_excludes(const font_candidate *c, uint32_t cp);

/* The face of candidate k of role r, opening it on first use; NULL if the
 * candidate cannot be used (reported once to d). */
text_face *fonts_candidate_face(text_fonts *f, font_role *r, size_t k,
                                diag *d);

/* ---------------------------------------------------------------- shaping
 * The shaper's output for one text, before line breaking: glyphs in
 * logical (= visual, LTR only) order with advances in em, so one cached
 * result serves every size. */
typedef struct shaped_glyph {
  const text_face *face;
  uint32_t id;
  uint32_t cl_start, cl_end; /* code points [cl_start, cl_end) of its
                                cluster (indices into shaped_text.cps) */
  float adv, dx, dy;         /* em; dy up as in HarfBuzz */
} shaped_glyph;

typedef struct shaped_text {
  const shaped_glyph *glyphs; /* nglyphs */
  size_t nglyphs;
  const uint32_t *cps;        /* the text as code points (ncps) */
  const uint32_t *offs;       /* byte offset of each, plus one past the end */
  size_t ncps;
  int missing;                /* code points no candidate covers */
} shaped_text;

/* Shape utf8 in role; the result lives until the next call on s.  Missing
 * glyphs are reported at pos.  Returns false for an unknown role. */
bool shaper_shape(text_shaper *s, int role, const char *utf8, size_t len,
                  src_pos pos, diag *d, shaped_text *out);

/* The text_fonts a shaper borrows. */
text_fonts *shaper_fonts(const text_shaper *s);

#endif
