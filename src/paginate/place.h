/* SPDX-License-Identifier: MIT */
/* place.h — page breaking over measured boxes, private to src/paginate.
 *
 * Pagination runs in three steps (STYLE.md 12–13: position first, emit
 * later):
 *   measure  blocks → mblocks: paragraphs broken into lines, table cells
 *            broken into lines, row heights known          (measure.c)
 *   place    mblocks → placements: which lines and rows go on which page
 *            and where — pure geometry, no text, no PDF    (place.c)
 *   emit     placements → display lists, once every page number is
 *            known, so the table of contents is exact      (emit.c)
 *
 * Coordinates in this file are in the content frame of a page: origin at
 * the top-left corner of the type area, y growing downwards, in points. */
#ifndef BUDGETPDF_PLACE_H
#define BUDGETPDF_PLACE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum mkind {
  M_LINES,      /* a paragraph: lines of equal pitch */
  M_SPACE,      /* vertical space */
  M_TABLE,      /* header rows + body rows */
  M_PAGE_BREAK
} mkind;

/* A cell spanning body rows [start, end) whose content needs `need`
 * points of height; if a page break cuts it, each part shows the text
 * again and must be that tall. */
typedef struct mspan {
  int start, end;
  double need;
} mspan;

/* What place needs to know of a table: row heights and which rows are
 * tied together by cells spanning down. */
typedef struct mtable_geometry {
  int nhead;             /* header rows above the body where it starts */
  const double *head_h;  /* nhead heights */
  int nrepeat;           /* rows repeated on continuation pages that start
                            at or after body row repeat_after */
  const double *repeat_h;
  int repeat_after;
  double continued_h;    /* height of the "continued" line, or 0 */
  int nbody;
  double *body_h;        /* nbody heights; place grows the last row of a
                            cut span's second part when it needs it */
  const mspan *spans;    /* sorted by start */
  int nspans;
  /* Rows taller than a page may be cut, at these offsets from the row's
   * top (the line boundaries of its tallest cell), ascending; NULL or 0
   * for rows that never need it.  A part after a cut gets `slice_pad` on
   * top, so its text does not touch the border. */
  const double *const *cuts;
  const int *ncuts;
  double slice_pad;
} mtable_geometry;

typedef struct mblock {
  mkind kind;
  bool keep_with_next;
  double space_before, space_after; /* dropped at the top of a page that
                                       a break (not a section) began */
  /* M_LINES */
  int nlines;
  double pitch;
  int min_lines; /* widow and orphan bound: lines kept together at either
                    end of a page (2), or 1 for one-line paragraphs */
  /* M_SPACE */
  double space;
  /* M_TABLE */
  mtable_geometry table;
} mblock;

/* One placed piece: lines [first, first+count) of an M_LINES block, or
 * body rows [first, first+count) of a table with its header, at y.  A row
 * taller than a page is placed in parts: the piece's first row may start
 * `from` into the row, and its last row end at `to` (0: its end). */
typedef struct placement {
  int page;       /* 0-based page in the whole document */
  int block;      /* index into the section's mblocks */
  int first, count;
  double y;       /* top of the piece in the content frame */
  bool continued; /* table: a later page's piece (the continued line and
                     the repeated rows above it), else the first, under
                     the header */
  double from, to; /* table: the cut rows' parts, see above */
} placement;

typedef struct place_result {
  placement *items;
  size_t count, cap;
  int pages; /* pages used by this run of blocks */
} place_result;

/* Place a section's blocks on pages of the given content height, starting
 * on a new page numbered first_page.  Appends to r; returns the number of
 * the page after the last one used.  Never fails: what cannot fit on an
 * empty page is placed anyway, overflowing (measure reports it). */
int place_section(const mblock *blocks, int nblocks, double page_height,
                  int first_page, place_result *r);

void place_result_free(place_result *r);

#endif
