/* SPDX-License-Identifier: MIT */
/* text.h — the text stage of budgetpdf: font roles, per-character font
 * fallback, HarfBuzz shaping and Chinese line breaking.
 *
 * Protocol (set, run, read — in the spirit of raqm):
 *
 *   text_fonts *fonts = text_fonts_load("fonts/fonts.yaml", d);   // roles
 *   text_fonts_set_role(fonts, "仿宋", "/srv/fonts/fs_GB2312.ttf", pos, d);
 *   text_shaper *sh = text_shaper_new(fonts);                     // caches
 *
 *   text_style st = {text_fonts_lookup_role(fonts, "仿宋"), 16};
 *   double w;  text_measure(sh, st, s, len, pos, &w, d);           // one line
 *   text_para_spec ps = {.style = st, .width = 442, .leading = 28.9,
 *                        .first_indent = 32, .align = TEXT_ALIGN_JUSTIFY};
 *   const text_paragraph *p = text_break(sh, &ps, s, len, pos, out, d);
 *   ... p->lines[i].runs[j].glyphs[k] ...                         // plain data
 *
 *   text_shaper_drop(sh);  text_fonts_drop(fonts);   // fonts last: faces
 *                                                    // live in text_fonts
 *
 * Units: lengths are PostScript points (pt); y grows downward; a paragraph's
 * positions are relative to its top-left corner.  Faces and roles are
 * opened lazily: a role's font file is mapped the first time a character of
 * that role is shaped, a fallback candidate only when an earlier one lacks a
 * glyph, and fontconfig is initialised only when a candidate names a family
 * whose file hint is missing.  A character no candidate covers is reported
 * as "no font has U+XXXX 'c'" at the text's src_pos and left out — never
 * drawn as a blank box.  Not thread-safe: a text_fonts (which opens faces
 * as it goes) and its shapers belong to one thread.
 */
#ifndef BUDGETPDF_TEXT_H
#define BUDGETPDF_TEXT_H

#include "base.h"

/* HarfBuzz's own types, declared so that this header does not pull in
 * hb.h; only the PDF writer uses them. */
struct hb_face_t;
struct hb_font_t;

/* ---------------------------------------------------------------- fonts */

/* The font configuration: named roles (宋体, 黑体, …), each an ordered list
 * of candidate faces.  Owns every face it opens. */
typedef struct text_fonts text_fonts;

/* One opened font face (a file, or one face of a .ttc).  Borrowed from the
 * text_fonts that opened it and valid until that is dropped.  The same
 * file+index used by several roles is one text_face. */
typedef struct text_face text_face;

/* Load a font configuration (fonts/fonts.yaml).  Relative `file:` paths
 * are resolved against the YAML file's directory.  Reports YAML and schema
 * errors (unknown keys included) with positions and returns NULL if there
 * were any.  Font files are not opened yet.  Drop with text_fonts_drop. */
text_fonts *text_fonts_load(const char *yaml_path, diag *d);

/* An empty configuration, for tests and for callers that set every role
 * with text_fonts_set_role.  Drop with text_fonts_drop. */
text_fonts *text_fonts_new(void);

/* Drops every face and role.  NULL is accepted.  Shapers using `f` and
 * display lists referring to its faces must be done with first. */
void text_fonts_drop(text_fonts *f);

/* Point `role` at a font file of the user's: spec is "path" or
 * "path#index" (face index in a .ttc/.otc, default 0).  The file becomes
 * the role's first candidate; the role's previous candidates stay behind it
 * as fallbacks (a licensed 仿宋_GB2312 without “ or ≥ still works).  The
 * role is created if new.  The file is opened and checked at once; on any
 * problem (missing, truncated, not a font, licence forbids embedding) the
 * error names the file and the reason, is reported at `pos`, and false is
 * returned with the configuration unchanged. */
bool text_fonts_set_role(text_fonts *f, const char *role, const char *spec,
                         src_pos pos, diag *d);

/* The user's font files (--font ROLE=FILE), each checked against the
 * roles a layout uses (NULL-terminated `used`): a role no style uses is a
 * typo that would silently keep the default font, reported at the
 * option's own position ("--font ROLE=FILE" as the file name) with the
 * closest used role; the others go to text_fonts_set_role.  Each of the
 * n specs is "ROLE=FILE" as the user wrote it.  Returns true if every one
 * was applied. */
bool text_fonts_override_roles(text_fonts *f, const char *const *specs,
                               size_t n, const char *const *used, diag *d);

/* The id of a role by name, or -1 if there is no such role.  Ids are
 * small non-negative integers, stable for the life of `f`. */
int text_fonts_lookup_role(const text_fonts *f, const char *role);

/* Open each named role's first usable candidate now, reporting every
 * problem (unknown role, font missing, refused).  NULL-terminated `roles`;
 * positions of unknown roles are reported at `pos`.  Lets a command fail
 * before any work; shaping would find the same errors later.  Returns true
 * if every role has a usable face. */
bool text_fonts_check_roles(text_fonts *f, const char *const *roles,
                            src_pos pos, diag *d);
/* The same, an unknown role reported at positions[i] (where the layout
 * names roles[i]), with a "did you mean"; positions may be NULL. */
bool text_fonts_check_roles_at(text_fonts *f, const char *const *roles,
                               const src_pos *positions, src_pos pos,
                               diag *d);

/* Number of faces opened so far, and the i-th (borrowed), in the order
 * they were opened. */
size_t text_fonts_face_count(const text_fonts *f);
const text_face *text_fonts_lookup_face(const text_fonts *f, size_t i);

/* What the PDF writer needs to know about a face.  Strings are borrowed
 * from the face. */
typedef struct text_face_info {
  const char *path;            /* the font file */
  unsigned index;              /* face index within it */
  const char *postscript_name; /* ASCII letters, digits and '-' only;
                                  never empty */
  unsigned upem;               /* design units per em */
  bool cff;                    /* outlines in a 'CFF ' table (else 'glyf') */
  int ascender, descender;     /* font units, hhea/OS/2 as HarfBuzz reads */
  int cap_height;              /* font units; 0 if the font does not say */
  int bbox[4];                 /* head xMin yMin xMax yMax, font units */
} text_face_info;
void text_face_describe(const text_face *face, text_face_info *info);

/* The face's HarfBuzz objects, borrowed (do not destroy).  The font's scale
 * is the face's upem, so advances come out in font units. */
struct hb_face_t *text_face_hb_face(const text_face *face);
struct hb_font_t *text_face_hb_font(const text_face *face);

/* Give back the memory pages of the face's file read so far (the kernel
 * maps up to 64 KB around every byte read, so subsetting a CJK font
 * leaves megabytes resident).  Nothing else changes: what is read later
 * is read again from the file.  The PDF writer calls it once it is done
 * with a face, so that peak memory is one font's worth, not all of them. */
void text_face_release_pages(const text_face *face);

/* Was the face's file cut short while it was being read?  Reads past its
 * new end see zeros instead of killing the process (SIGBUS), so whatever
 * was made from the face since is wrong: the caller must not write it.
 * text_face_report_changed reports "PATH: error: font file changed while
 * being read" (an I/O error, exit 2); text_fonts_report_changed does so
 * for every face of f that changed and says whether any did. */
bool text_face_file_changed(const text_face *face);
void text_face_report_changed(const text_face *face, diag *d);
bool text_fonts_report_changed(const text_fonts *f, diag *d);

/* ---------------------------------------------------------------- shaping */

/* Shaping state: HarfBuzz buffers reused across calls and a cache of
 * shaped short texts (a budget's tables repeat the same cells many
 * times).  Borrows `fonts`, which must outlive it.  Drop with
 * text_shaper_drop (NULL accepted). */
typedef struct text_shaper text_shaper;
text_shaper *text_shaper_new(text_fonts *fonts);
void text_shaper_drop(text_shaper *s);

/* A font role at a size. */
typedef struct text_style {
  int role;    /* from text_fonts_lookup_role */
  double size; /* pt */
} text_style;

typedef enum text_align {
  TEXT_ALIGN_LEFT,
  TEXT_ALIGN_CENTER,
  TEXT_ALIGN_RIGHT,
  TEXT_ALIGN_JUSTIFY /* spread every line but the last to the width */
} text_align;

/* How to set a paragraph. */
typedef struct text_para_spec {
  text_style style;
  double width;        /* line length in pt; <= 0 means "never break" */
  double leading;      /* line pitch (baseline to baseline) in pt; <= 0
                          means 1.0 × size */
  double first_indent; /* first-line indent in pt (2 em = 2 × size) */
  text_align align;
  bool no_lone_char;   /* never end a paragraph with a line of one
                          unbreakable piece a couple of ems wide ("明",
                          "费。"): break the line before one earlier */
  bool compress_punct; /* two adjacent full-width punctuation marks:
                          the first's blank half is removed ("）。") */
  double tracking;     /* pt added to every full-width character's
                          advance (a character grid; negative condenses) */
  bool words;          /* break Chinese only between words (ICU's
                          dictionary word boundaries): table headers and
                          names, 政府性基金/预算拨款 not 政府性基/金预算 */
  bool whole_words;    /* a word wider than the line overflows it rather
                          than break (to measure a column's widest word) */
  bool measure_only;   /* lines without glyphs (runs NULL): for trial
                          widths, which want only the lines' count and
                          widths */
  double max_spread;   /* justified text: most pt a gap may take before the
                          line is rebroken (see text_break); <= 0: no limit */
} text_para_spec;

/* One glyph as drawn. */
typedef struct text_glyph {
  uint32_t id;         /* glyph id in the face (the font's own numbering) */
  float x, y;          /* where its origin goes, relative to the run's
                          origin, pt (y down; GPOS offsets included) */
  uint32_t text_start; /* bytes [text_start, text_start+text_len) of the
                          paragraph text are what this glyph stands for */
  uint32_t text_len;   /* 0 for the 2nd and later glyphs of one cluster */
} text_glyph;

/* Consecutive glyphs of one face. */
typedef struct text_run {
  const text_face *face;    /* borrowed from the text_fonts */
  double size;              /* pt */
  double x, y;              /* origin on the baseline, relative to the
                               paragraph's top-left, pt */
  const text_glyph *glyphs; /* count of them */
  size_t count;
  const char *text;         /* the paragraph's text (UTF-8); glyphs index it */
} text_run;

typedef struct text_line {
  const text_run *runs; /* nruns of them, left to right */
  size_t nruns;
  double x;             /* left edge of the line's ink box, pt */
  double width;         /* set width (justified width for full lines) */
  double baseline;      /* from the paragraph top, pt */
  size_t start, end;    /* bytes of the paragraph text on this line */
  double spread;        /* space justification added at each gap between
                           characters, pt; 0 for lines not justified */
  bool letter_spaced;   /* a label spaced out ("合  计" is set 合 计 and
                           stands for 合计) */
} text_line;

typedef struct text_paragraph {
  const text_line *lines; /* nlines of them, top to bottom */
  size_t nlines;
  double height;          /* nlines × leading */
  double natural_width;   /* widest line before justification, pt */
  const char *text;       /* a copy of the text */
  size_t text_len;
  int missing;            /* characters no font covers (reported, left out) */
} text_paragraph;

/* Natural width in pt of `utf8` set on one line in `style` (no breaking,
 * no justification).  Missing glyphs are reported at `pos` and count as
 * zero width; returns false if there were any. */
bool text_measure(text_shaper *s, text_style style, const char *utf8,
                  size_t len, src_pos pos, double *width, diag *d);

/* Break `utf8` into lines by the Chinese rules of FORMAT.md and position
 * every glyph.  "\n" forces a line break.  The result and everything it
 * points to is allocated in `out` (the caller's arena, dropped by the
 * caller); never NULL.  Characters no font of the role covers are reported
 * at `pos` and left out (see text_paragraph.missing).  An unknown role id
 * is reported and gives an empty paragraph. */
const text_paragraph *text_break(text_shaper *s, const text_para_spec *spec,
                                 const char *utf8, size_t len, src_pos pos,
                                 arena *out, diag *d);

/* What a table cell's text asks of its column, in pt, as text_break sets
 * it: its natural width on one line (forced breaks kept), and — when
 * `pieces` — the width of its widest piece that cannot break between words
 * (a figure, a code, a header word).  One shaping for both; scratch holds
 * the lines measured. */
typedef struct text_extent {
  double one_line, widest_piece;
} text_extent;
text_extent text_cell_extent(text_shaper *s, text_style style,
                             const char *utf8, size_t len, bool pieces,
                             src_pos pos, arena *scratch, diag *d);

/* Where the baseline of a line sits below the top of its line box of
 * height `leading`: the ideographic em box (0.88 em above, 0.12 em below
 * the baseline) centred in the box.  text_break uses the same rule. */
double text_baseline_in_line(double size, double leading);

/* Shaping statistics, for the benchmark. */
typedef struct text_shaper_stats {
  size_t shaped_runs;   /* runs handed to HarfBuzz */
  size_t cache_hits;    /* texts served from the cache */
  size_t cache_entries;
} text_shaper_stats;
void text_shaper_lookup_stats(const text_shaper *s, text_shaper_stats *st);

#endif
