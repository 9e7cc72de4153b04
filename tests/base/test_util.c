/* SPDX-License-Identifier: MIT */
/* test_util.c — diagnostics format, UTF-8 and arenas (src/base). */
#include "base.h"
#include "harness.h"

TEST(diag_prints_file_line_col) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  src_pos p = {diag_intern_file(d, "a.yaml"), 3, 7};
  diag_error(d, DIAG_SCHEMA, p, "bad %s", "thing");
  diag_warning(d, DIAG_CHECK, (src_pos){p.file, 0, 0}, "whole file");
  diag_error(d, DIAG_USAGE, (src_pos){0}, "no file");
  CHECK_STR(capture_text(&c), "a.yaml:3:7: error: bad thing\n"
                              "a.yaml: warning: whole file\n"
                              "budgetpdf: error: no file\n");
  CHECK_INT(diag_error_count(d), 2);
  CHECK_INT(diag_warning_count(d), 1);
  CHECK_INT(diag_exit_status(d), BP_EXIT_USAGE);
  diag_drop(d);
  capture_close(&c);
}

TEST(diag_collapses_repeats) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  for (int i = 0; i < 3; i++)
    diag_error(d, DIAG_FONT, (src_pos){0}, "same");
  CHECK_STR(capture_text(&c), "budgetpdf: error: same\n");
  CHECK_INT(diag_error_count(d), 1);
  CHECK_INT(diag_exit_status(d), BP_EXIT_INPUT);
  diag_drop(d);
  capture_close(&c);
}

TEST(utf8_round_trip_and_rejects) {
  char buf[4];
  uint32_t cp;
  const uint32_t samples[] = {0x41, 0xE9, 0x4E2D, 0xFF05, 0x1F600};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    size_t n = utf8_encode(samples[i], buf);
    CHECK(utf8_decode(buf, n, &cp) == n);
    CHECK(cp == samples[i]);
  }
  CHECK(utf8_decode("\xC0\xAF", 2, &cp) == 0);     /* overlong */
  CHECK(utf8_decode("\xED\xA0\x80", 3, &cp) == 0); /* surrogate */
  CHECK(utf8_decode("\xE4\xB8", 2, &cp) == 0);     /* truncated */
  CHECK(utf8_decode_or_replace("\xE4\xB8", 2, &cp) == 1 && cp == 0xFFFD);
  CHECK(utf8_decode_or_replace("\xE4\xB8\xAD", 3, &cp) == 3 && cp == 0x4E2D);
  CHECK(utf8_first_invalid("ab\xFF", 3) == 2);
  CHECK(utf8_first_invalid("中文", strlen("中文")) == (size_t)-1);
  CHECK_INT(utf8_length("中文ab", strlen("中文ab")), 4);
}

TEST(arena_allocates_zeroed_aligned_and_big) {
  arena *a = arena_new();
  for (int i = 0; i < 1000; i++) {
    char *p = arena_alloc(a, 37);
    CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0);
    CHECK(p[0] == 0 && p[36] == 0);
  }
  char *big = arena_alloc(a, 1 << 20);
  CHECK(big[(1 << 20) - 1] == 0);
  CHECK_STR(arena_printf(a, "%d-%s", 42, "x"), "42-x");
  CHECK(arena_used(a) >= (1 << 20));
  arena_drop(a);
  arena_drop(NULL);
}

TEST(closest_name_suggests_typos_only) {
  const char *names[] = {"unit", "year", "基本支出", "项目支出", NULL};
  CHECK_STR(closest_name("unti", names), "unit");
  CHECK_STR(closest_name("基本之出", names), "基本支出");
  CHECK(closest_name("zzzzzz", names) == NULL);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(diag_prints_file_line_col);
  RUN(diag_collapses_repeats);
  RUN(utf8_round_trip_and_rejects);
  RUN(arena_allocates_zeroed_aligned_and_big);
  RUN(closest_name_suggests_typos_only);
  return harness_done();
}
