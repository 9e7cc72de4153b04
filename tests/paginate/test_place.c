/* SPDX-License-Identifier: MIT */
/* test_place.c — page breaking over measured boxes (src/paginate/place.c):
 * keep-with-next, widows and orphans, table rows with repeated headers,
 * rows tied by spanning cells, and what cannot fit.  Each case lays out
 * synthetic blocks on pages 100pt tall and compares the placements, one
 * "page:block:first+count@y[C][<from-to>]" item each (C: a table's piece
 * on a later page, <from-to>: the part of a cut row). */
#include "harness.h"
#include "place.h"
#include "base.h"

static char *placements(const mblock *b, int n, int first_page,
                        int *next_page) {
  place_result r = {0};
  int next = place_section(b, n, 100, first_page, &r);
  if (next_page)
    *next_page = next;
  bbuf out = {0};
  bbuf_puts(&out, "");
  for (size_t i = 0; i < r.count; i++) {
    const placement *p = &r.items[i];
    bbuf_printf(&out, "%s%d:%d:%d+%d@%g%s", i ? " " : "", p->page, p->block,
                p->first, p->count, p->y, p->continued ? "C" : "");
    if (p->from > 0 || p->to > 0)
      bbuf_printf(&out, "<%g-%g>", p->from, p->to);
  }
  place_result_free(&r);
  return out.data;
}

static mblock lines(int n, double pitch) {
  return (mblock){.kind = M_LINES, .nlines = n, .pitch = pitch, .min_lines = 2};
}

TEST(paragraph_that_fits_stays) {
  mblock b[] = {lines(5, 10)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+5@0");
  free(s);
}

TEST(paragraph_splits_leaving_two_lines_each_side) {
  mblock b[] = {lines(8, 10), lines(5, 10)};
  char *s = placements(b, 2, 0, NULL);
  CHECK_STR(s, "0:0:0+8@0 0:1:0+2@80 1:1:2+3@0");
  free(s);
}

TEST(orphan_moves_the_paragraph) {
  /* One line of room: a single first line would be an orphan. */
  mblock b[] = {lines(9, 10), lines(5, 10)};
  char *s = placements(b, 2, 0, NULL);
  CHECK_STR(s, "0:0:0+9@0 1:1:0+5@0");
  free(s);
}

TEST(widow_pulls_a_line_down) {
  /* Room for 3 of 4 lines would leave one alone on the next page. */
  mblock b[] = {lines(7, 10), lines(4, 10)};
  char *s = placements(b, 2, 0, NULL);
  CHECK_STR(s, "0:0:0+7@0 0:1:0+2@70 1:1:2+2@0");
  free(s);
}

TEST(three_line_paragraph_never_splits) {
  mblock b[] = {lines(8, 10), lines(3, 10)};
  char *s = placements(b, 2, 0, NULL);
  CHECK_STR(s, "0:0:0+8@0 1:1:0+3@0");
  free(s);
}

TEST(heading_keeps_with_first_two_lines) {
  mblock head = lines(1, 10);
  head.keep_with_next = true;
  mblock b[] = {lines(7, 10), head, lines(6, 10)};
  /* Heading + 2 lines need 30pt; 30pt are left: it fits. */
  char *s = placements(b, 3, 0, NULL);
  CHECK_STR(s, "0:0:0+7@0 0:1:0+1@70 0:2:0+2@80 1:2:2+4@0");
  free(s);
  b[0].nlines = 8; /* now only 20pt are left: the heading moves */
  s = placements(b, 3, 0, NULL);
  CHECK_STR(s, "0:0:0+8@0 1:1:0+1@0 1:2:0+6@10");
  free(s);
}

TEST(space_is_dropped_at_a_broken_page_top_only) {
  mblock sp = {.kind = M_SPACE, .space = 30};
  mblock b[] = {sp, lines(5, 10), sp, lines(6, 10)};
  /* Kept at the section's start; dropped after the break. */
  char *s = placements(b, 4, 0, NULL);
  CHECK_STR(s, "0:1:0+5@30 1:3:0+6@0");
  free(s);
}

/* A table with a 2-row header (the second repeats), a 10pt continued
 * line, and n body rows of 10pt. */
static double head_h[2] = {10, 10};
static double body_h[64];

static mblock table(int n, const mspan *spans, int nspans) {
  for (int i = 0; i < n; i++)
    body_h[i] = 10;
  mblock b = {.kind = M_TABLE};
  b.table = (mtable_geometry){.nhead = 2, .head_h = head_h,
                              .nrepeat = 1, .repeat_h = head_h + 1,
                              .continued_h = 10, .nbody = n, .body_h = body_h,
                              .spans = spans, .nspans = nspans};
  return b;
}

TEST(table_repeats_header_on_continuation) {
  mblock b[] = {table(14, NULL, 0)};
  /* Page 1: header 20 + 8 rows.  Page 2: continued 10 + header 10 + 6. */
  char *s = placements(b, 1, 3, NULL);
  CHECK_STR(s, "3:0:0+8@0 4:0:8+6@0C");
  free(s);
}

TEST(caption_keeps_with_header_and_first_row) {
  mblock cap = lines(1, 10);
  cap.keep_with_next = true;
  mblock b[] = {lines(7, 10), cap, table(3, NULL, 0)};
  /* 30pt left: caption + header + first row need 40pt. */
  char *s = placements(b, 3, 0, NULL);
  CHECK_STR(s, "0:0:0+7@0 1:1:0+1@0 1:2:0+3@10");
  free(s);
}

TEST(spanned_rows_move_together) {
  /* Rows 6..8 are tied by a cell spanning them: no break inside. */
  static const mspan spans[] = {{6, 9, 10}};
  mblock b[] = {table(12, spans, 1)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+6@0 1:0:6+6@0C");
  free(s);
}

TEST(group_taller_than_a_page_is_cut_and_carried) {
  /* One cell spans all 12 rows (needs 15pt): the group cannot fit on any
   * page, so it is cut where the part above holds the cell. */
  static const mspan spans[] = {{0, 12, 15}};
  mblock b[] = {table(12, spans, 1)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+8@0 1:0:8+4@0C");
  free(s);
}

TEST(carried_span_grows_its_rows_below_the_cut) {
  /* The cell needs 60pt; after the cut at row 8 only 2 rows (20pt) are
   * left of it, so its last row grows by 40pt. */
  static const mspan spans[] = {{0, 10, 60}};
  mblock b[] = {table(10, spans, 1)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+8@0 1:0:8+2@0C");
  CHECK(body_h[9] == 50);
  free(s);
}

TEST(row_taller_than_a_page_is_placed_alone) {
  mblock b[] = {lines(5, 10), table(2, NULL, 0)};
  body_h[0] = 150;
  char *s = placements(b, 2, 0, NULL);
  /* The table moves to a fresh page; its first row overflows there. */
  CHECK_STR(s, "0:0:0+5@0 1:1:0+1@0 2:1:1+1@0C");
  free(s);
}

/* Cut points every 10pt from 5pt on, as lines of a cell would give. */
static double cut_points[32];
static const double *row_cuts[64];
static int row_ncuts[64];

static mblock table_with_tall_row(int n, int tall_row, double tall_h) {
  mblock b = table(n, NULL, 0);
  body_h[tall_row] = tall_h;
  int nc = 0;
  for (double c = 5; c < tall_h - 5 && nc < 32; c += 10)
    cut_points[nc++] = c;
  for (int i = 0; i < n; i++) {
    row_cuts[i] = i == tall_row ? cut_points : NULL;
    row_ncuts[i] = i == tall_row ? nc : 0;
  }
  b.table.cuts = row_cuts;
  b.table.ncuts = row_ncuts;
  b.table.slice_pad = 3;
  return b;
}

TEST(row_taller_than_a_page_is_cut_at_a_line) {
  /* Row 0 is 150pt: 75pt fit under the 20pt header; the rest (75pt and
   * 3pt of padding) goes under the repeated header on the next page,
   * which then has no room for row 1. */
  mblock b[] = {table_with_tall_row(2, 0, 150)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+1@0<0-75> 1:0:0+1@0C<75-0> 2:0:1+1@0C");
  free(s);
}

TEST(row_three_pages_tall_is_cut_twice) {
  mblock b[] = {table_with_tall_row(1, 0, 200)};
  char *s = placements(b, 1, 0, NULL);
  /* 20 header + 75; then 20 + 3 + 75 (to 150); then the last 50 + 3. */
  CHECK_STR(s, "0:0:0+1@0<0-75> 1:0:0+1@0C<75-145> 2:0:0+1@0C<145-0>");
  free(s);
}

TEST(row_that_never_fits_starts_on_the_current_page) {
  /* Rows 0-1 (20pt) under the header, then the 150pt row 2: it is cut
   * here at 55pt instead of leaving 60pt empty; its rest (98pt) is cut
   * again under the repeated header. */
  mblock b[] = {table_with_tall_row(3, 2, 150)};
  char *s = placements(b, 1, 0, NULL);
  CHECK_STR(s, "0:0:0+3@0<0-55> 1:0:2+1@0C<55-125> 2:0:2+1@0C<125-0>");
  free(s);
}

TEST(sheet_header_block_leads_and_repeats_only_past_it) {
  /* A sheet: no header above the body; body rows 0-2 are its header
   * block (row 2 the indicator header, repeated), kept with row 3. */
  static const mspan keep[] = {{0, 4, 0}};
  mblock b[] = {lines(7, 10), table(12, keep, 1)};
  b[1].table.nhead = 0;
  b[1].table.repeat_h = body_h + 2;
  b[1].table.repeat_after = 3;
  char *s = placements(b, 2, 0, NULL);
  /* 30pt left: rows 0-3 (40pt) move on together; 12 rows then fill
   * 100pt, the last 2 go under the continued line and the repeat. */
  CHECK_STR(s, "0:0:0+7@0 1:1:0+10@0 2:1:10+2@0C");
  free(s);
}

TEST(page_break_and_section_numbering) {
  mblock br = {.kind = M_PAGE_BREAK};
  mblock b[] = {lines(2, 10), br, br, lines(2, 10)};
  int next;
  char *s = placements(b, 4, 5, &next);
  CHECK_STR(s, "5:0:0+2@0 6:3:0+2@0");
  CHECK_INT(next, 7);
  free(s);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(paragraph_that_fits_stays);
  RUN(paragraph_splits_leaving_two_lines_each_side);
  RUN(orphan_moves_the_paragraph);
  RUN(widow_pulls_a_line_down);
  RUN(three_line_paragraph_never_splits);
  RUN(heading_keeps_with_first_two_lines);
  RUN(space_is_dropped_at_a_broken_page_top_only);
  RUN(table_repeats_header_on_continuation);
  RUN(caption_keeps_with_header_and_first_row);
  RUN(spanned_rows_move_together);
  RUN(group_taller_than_a_page_is_cut_and_carried);
  RUN(carried_span_grows_its_rows_below_the_cut);
  RUN(row_taller_than_a_page_is_placed_alone);
  RUN(row_taller_than_a_page_is_cut_at_a_line);
  RUN(row_three_pages_tall_is_cut_twice);
  RUN(row_that_never_fits_starts_on_the_current_page);
  RUN(sheet_header_block_leads_and_repeats_only_past_it);
  RUN(page_break_and_section_numbering);
  return harness_done();
}
