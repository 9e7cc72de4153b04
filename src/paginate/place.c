/* SPDX-License-Identifier: MIT */
/* place.c — page breaking: which lines and rows go on which page.
 *
 * Rules (FORMAT.md, issue 4): a block that keeps with the next stays on
 * the page where the next one starts (headings, table label/title/meta
 * with the table's header and first rows); no paragraph leaves fewer than
 * min_lines lines at a page's foot or head; a table breaks between rows,
 * preferring breaks no spanning cell crosses, repeats its header rows on
 * the next page, and cuts a spanning cell only when its rows cannot stay
 * together on a whole page.  Space is dropped at the top of a page that a
 * break began.  Nothing here can fail or loop: whatever cannot fit an
 * empty page is placed there anyway. */
#include "place.h"

#include "base.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

/* Floating point lengths are compared with a little slack so that a line
 * that fits exactly is not pushed to the next page by rounding. */
#define SLACK 0.01

typedef struct placer {
  const mblock *blocks;
  int nblocks;
  double height; /* of the content frame */
  int page;
  double y;
  bool broke;    /* the current page began with a break, not a section */
  bool empty;    /* nothing placed on the current page yet */
  place_result *r;
} placer;

static void emit_cut(placer *p, int block, int first, int count, double y,
                     bool continued, double from, double to) {
  place_result *r = p->r;
  XGROW(r->items, r->cap, r->count + 1);
  r->items[r->count++] =
      (placement){p->page, block, first, count, y, continued, from, to};
  p->empty = false;
}

static void emit(placer *p, int block, int first, int count, double y,
                 bool continued) {
  emit_cut(p, block, first, count, y, continued, 0, 0);
}

static void new_page(placer *p) {
  p->page++;
  p->y = 0;
  p->broke = true;
  p->empty = true;
}

static double room(const placer *p) { return p->height - p->y; }

/* ---------------------------------------------------------------- tables */

/* What a piece of the table starting at body row r has above its rows:
 * the header where the table starts; the continued line and the repeated
 * rows on later pages. */
static double head_height(const mtable_geometry *t, bool continued, int r) {
  double h = 0;
  if (!continued) {
    for (int i = 0; i < t->nhead; i++)
      h += t->head_h[i];
    return h;
  }
  h = t->continued_h;
  if (r >= t->repeat_after)
    for (int i = 0; i < t->nrepeat; i++)
      h += t->repeat_h[i];
  return h;
}

/* One past the last row of the group of rows that starts at r: rows tied
 * by spanning cells stay together if they can. */
static int group_end(const mtable_geometry *t, int r) {
  int end = r + 1;
  for (int i = 0; i < t->nspans; i++) {
    const mspan *s = &t->spans[i];
    if (s->start >= end)
      break; /* sorted: no later span starts inside the group */
    if (s->end > end)
      end = s->end;
  }
  return end < t->nbody ? end : t->nbody;
}

static double rows_height(const mtable_geometry *t, int from, int to) {
  double h = 0;
  for (int i = from; i < to; i++)
    h += t->body_h[i];
  return h;
}

/* May the page break before row r?  Only if every span cut there keeps
 * enough height above the cut (the part below is grown when continued). */
static bool cut_allowed(const mtable_geometry *t, int r) {
  for (int i = 0; i < t->nspans; i++) {
    const mspan *s = &t->spans[i];
    if (s->start < r && s->end > r &&
        rows_height(t, s->start, r) + SLACK < s->need)
      return false;
  }
  return true;
}

/* A span cut before row r continues below: grow its last row so the
 * repeated text fits. */
static void grow_carried_spans(mtable_geometry *t, int r) {
  for (int i = 0; i < t->nspans; i++) {
    const mspan *s = &t->spans[i];
    if (s->start < r && s->end > r) {
      double have = rows_height(t, r, s->end);
      if (have + SLACK < s->need)
        t->body_h[s->end - 1] += s->need - have;
    }
  }
}

/* The first unit of a table: header rows and its first group of rows —
 * what a heading or caption kept with it must share a page with. */
static double table_first_unit(const mtable_geometry *t) {
  double h = head_height(t, false, 0);
  if (t->nbody > 0)
    h += rows_height(t, 0, group_end(t, 0));
  return h;
}

/* The furthest cut of row r after `from` that leaves a part no taller
 * than `space`; 0 if there is none. */
static double furthest_cut(const mtable_geometry *t, int r, double from,
                           double space) {
  if (!t->cuts || !t->ncuts || !t->ncuts[r])
    return 0;
  double pad = from > 0 ? t->slice_pad : 0, best = 0;
  for (int i = 0; i < t->ncuts[r]; i++) {
    double c = t->cuts[r][i];
    if (c > from + SLACK && c - from + pad <= space + SLACK)
      best = c;
  }
  return best;
}

/* Height of what is left of row r from `from` on (all of it if 0). */
static double row_rest(const mtable_geometry *t, int r, double from) {
  return from > 0 ? t->body_h[r] - from + t->slice_pad : t->body_h[r];
}

/* kept: the blocks before keep with this table, and their keep chain has
 * already decided the page (moving the table alone would leave them
 * behind). */
static void place_table(placer *p, int bi, bool kept) {
  /* place may grow rows (grow_carried_spans); the geometry is owned by the
   * caller's measured block, which is not shared. */
  mtable_geometry *t = (mtable_geometry *)&p->blocks[bi].table;
  /* Move the whole start to a fresh page if header and first group do not
   * fit here but would there. */
  if (!kept && !p->empty && room(p) + SLACK < table_first_unit(t) &&
      table_first_unit(t) <= p->height + SLACK)
    new_page(p);
  if (t->nbody == 0) {
    emit(p, bi, 0, 0, p->y, false);
    p->y += head_height(t, false, 0);
    return;
  }
  bool continued = false;
  int r = 0;
  double from = 0; /* how much of row r earlier pages showed */
  while (r < t->nbody) {
    double top = p->y;
    double used = head_height(t, continued, r);
    int first = r;
    double first_from = from, to = 0;
    while (r < t->nbody) {
      if (from > 0) {
        /* The rest of a row cut on the page before. */
        double rest = row_rest(t, r, from);
        if (used + rest <= room(p) + SLACK) {
          used += rest;
          r++;
          from = 0;
          continue;
        }
        double c = furthest_cut(t, r, from, room(p) - used);
        if (c > 0) {
          used += c - from + t->slice_pad;
          to = c;
        } else { /* no cut fits: the rest overflows this page */
          used += rest;
          r++;
          from = 0;
        }
        break;
      }
      int g = group_end(t, r);
      double gh = rows_height(t, r, g);
      if (used + gh <= room(p) + SLACK) {
        used += gh;
        r = g;
        continue;
      }
      /* The group does not fit.  Keep it whole for the next page if it
       * fits there and this fragment already shows rows. */
      double fresh = p->height - head_height(t, true, r);
      if (r > first && gh <= fresh + SLACK)
        break;
      /* Cut inside the group: as many rows as fit, where a cut is allowed;
       * on an otherwise empty fragment, at least one row. */
      int k = r;
      double h = used;
      while (k < g && h + t->body_h[k] <= room(p) + SLACK) {
        h += t->body_h[k];
        k++;
      }
      while (k > r && !cut_allowed(t, k))
        h -= t->body_h[--k];
      /* A row that will never fit a page whole starts here, cut at a
       * line, rather than leave this page's room empty. */
      if (k < g && t->body_h[k] > fresh + SLACK && cut_allowed(t, k)) {
        double c = furthest_cut(t, k, 0, room(p) - h);
        if (c > 0) {
          used = h + c;
          r = k;
          to = c;
          break;
        }
      }
      if (k == r && r == first) {
        /* Not even one row fits.  On a page with other things on it,
         * start over on a new page; on an empty one, a row taller than a
         * page is cut at a line, or else overflows. */
        if (!p->empty)
          break;
        double c = furthest_cut(t, r, 0, room(p) - h);
        if (c > 0) {
          used = h + c;
          to = c;
          break;
        }
        h += t->body_h[k];
        k++;
      }
      used = h;
      r = k;
      break;
    }
    if (r == first && to == 0 && first_from == 0) {
      /* Nothing fitted on this page: continue on the next. */
      new_page(p);
      if (first > 0 || continued)
        continued = true;
      continue;
    }
    /* Rows [first, r) whole or rest-of, plus row r up to `to` if cut. */
    int count = r - first + (to > 0 ? 1 : 0);
    emit_cut(p, bi, first, count, top, continued, first_from, to);
    p->y = top + used;
    if (to > 0)
      from = to;
    if (r < t->nbody) {
      new_page(p);
      if (from == 0)
        grow_carried_spans(t, r);
      continued = true;
    }
  }
}

/* ---------------------------------------------------------------- lines */

static void place_lines(placer *p, int bi) {
  const mblock *b = &p->blocks[bi];
  int done = 0;
  /* A paragraph of fewer than 2m lines cannot split without leaving
   * fewer than m lines on one side: the rules below then move it whole. */
  int m = b->min_lines < 1 ? 1 : b->min_lines;
  while (done < b->nlines) {
    int left = b->nlines - done;
    int fit = (int)round_within(floor((room(p) + SLACK) / b->pitch), INT_MAX);
    if (fit >= left) {
      emit(p, bi, done, left, p->y, false);
      p->y += left * b->pitch;
      return;
    }
    int take = fit;
    if (left - take < m)
      take = left - m; /* leave no widow on the next page */
    if (take < m)
      take = 0; /* leave no orphan here */
    if (take < 1) {
      if (p->empty) {
        take = fit > 0 ? fit : 1; /* cannot do better on an empty page */
      } else {
        new_page(p);
        continue;
      }
    }
    emit(p, bi, done, take, p->y, false);
    done += take;
    new_page(p);
  }
}

/* ---------------------------------------------------------------- blocks */

/* Height of a block's first unit: what must share a page with the blocks
 * kept with it. */
static double first_unit(const mblock *b) {
  switch (b->kind) {
  case M_LINES: {
    int m = b->min_lines < 1 ? 1 : b->min_lines;
    int n = b->nlines < 2 * m ? b->nlines : m;
    return b->space_before + n * b->pitch;
  }
  case M_SPACE:
    return b->space;
  case M_TABLE:
    return b->space_before + table_first_unit(&b->table);
  case M_PAGE_BREAK:
    return 0;
  }
  return 0;
}

static double full_height(const mblock *b) {
  switch (b->kind) {
  case M_LINES:
    return b->space_before + b->nlines * b->pitch + b->space_after;
  case M_SPACE:
    return b->space;
  case M_TABLE:
    return b->space_before + head_height(&b->table, false, 0) +
           rows_height(&b->table, 0, b->table.nbody) + b->space_after;
  case M_PAGE_BREAK:
    return 0;
  }
  return 0;
}

/* Blocks i.. that keep with the next, plus the first unit of the one
 * they keep with: the height that must fit on one page. */
static double keep_chain_height(const placer *p, int i) {
  double h = 0;
  int j = i;
  while (j < p->nblocks && p->blocks[j].keep_with_next &&
         p->blocks[j].kind != M_PAGE_BREAK)
    h += full_height(&p->blocks[j++]);
  if (j < p->nblocks && p->blocks[j].kind != M_PAGE_BREAK)
    h += first_unit(&p->blocks[j]);
  return h;
}

int place_section(const mblock *blocks, int nblocks, double page_height,
                  int first_page, place_result *r) {
  placer p = {blocks, nblocks, page_height, first_page, 0, false, true, r};
  for (int i = 0; i < nblocks; i++) {
    const mblock *b = &blocks[i];
    if (b->kind == M_PAGE_BREAK) {
      if (!p.empty)
        new_page(&p);
      p.broke = false; /* an asked-for break keeps the space that follows */
      continue;
    }
    /* A keep chain is decided where it starts: re-deciding at a later
     * link would move it away from the blocks kept with it. */
    bool kept = i > 0 && blocks[i - 1].keep_with_next &&
                blocks[i - 1].kind != M_PAGE_BREAK;
    if (b->keep_with_next && !kept && !p.empty) {
      double chain = keep_chain_height(&p, i);
      if (chain > room(&p) + SLACK && chain <= page_height + SLACK)
        new_page(&p);
    }
    bool at_broken_top = p.empty && p.broke;
    if (b->kind == M_SPACE) {
      if (!at_broken_top)
        p.y += b->space;
      if (p.y > page_height)
        p.y = page_height;
      continue;
    }
    if (!at_broken_top)
      p.y += b->space_before;
    if (b->kind == M_LINES)
      place_lines(&p, i);
    else
      place_table(&p, i, kept);
    p.y += b->space_after;
    if (p.y > page_height)
      p.y = page_height;
  }
  r->pages = p.page + 1 - first_page;
  return p.page + 1;
}

void place_result_free(place_result *r) {
  free(r->items);
  r->items = NULL;
  r->count = r->cap = 0;
}
