/* SPDX-License-Identifier: MIT */
/* test_diag.c — what a message may print (diag_escape, and every report
 * going through it) and the cap on repeated reports. */
#include "base.h"
#include "harness.h"

static char *escaped(const char *s, size_t len) {
  bbuf b = {0};
  diag_escape(&b, s, len);
  return b.data;
}

TEST(escape_spec) {
  static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    const char *out;
  } cases[] = {
      {"plain 预算 text", 0, "plain 预算 text"},
      {"\x1b[2J", 0, "\\x1b[2J"},                 /* clears a terminal */
      {"a\0b", 3, "a\\x00b"},                     /* a NUL does not cut */
      {"bell\a tab\t nl\n cr\r", 0, "bell\\x07 tab\\x09 nl\\x0a cr\\x0d"},
      {"del\x7f", 0, "del\\x7f"},
      {"csi\xc2\x9b" "2J", 0, "csi\\u009B2J"},    /* C1 CSI, U+009B */
      {"bidi\xe2\x80\xae" "txt", 0, "bidi\\u202Etxt"}, /* RLO */
      {"isolate\xe2\x81\xa6", 0, "isolate\\u2066"},
      /* 预算 in GBK: D4 A4 happens to be valid UTF-8 (U+0524), CB E3 not */
      {"gbk \xd4\xa4\xcb\xe3", 0, "gbk \xd4\xa4\\xcb\\xe3"},
      {"cut \xe9\xa2", 0, "cut \\xe9\\xa2"},      /* truncated sequence */
      {"overlong \xc0\xaf", 0, "overlong \\xc0\\xaf"},
      {"surrogate \xed\xa0\x80", 0, "surrogate \\xed\\xa0\\x80"},
      {"\xff\xfe", 0, "\\xff\\xfe"},
      {"back\\slash", 0, "back\\slash"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *got = escaped(cases[i].in,
                        cases[i].len ? cases[i].len : strlen(cases[i].in));
    CHECK_STR(got, cases[i].out);
    free(got);
  }
}

static char *report_through_diag(void (*fn)(diag *d)) {
  FILE *f = tmpfile();
  diag *d = diag_new(f);
  fn(d);
  diag_drop(d);
  fflush(f);
  rewind(f);
  bbuf b = {0};
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
    bbuf_append(&b, buf, n);
  bbuf_append(&b, "", 0);
  fclose(f);
  return b.data;
}

static void hostile_reports(diag *d) {
  diag_error(d, DIAG_SCHEMA, (src_pos){"a\x1b]0;x\x07.yaml", 3, 4},
             "unknown key '%s'", "\x1b[2J");
  diag_error(d, DIAG_FONT, (src_pos){0}, "table '%c%c%c%c'", 0, 'c', 'm', 'a');
}

TEST(every_report_is_escaped) {
  char *out = report_through_diag(hostile_reports);
  CHECK_STR(out, "a\\x1b]0;x\\x07.yaml:3:4: error: unknown key '\\x1b[2J'\n"
                 "budgetpdf: error: table '\\x00cma'\n");
  free(out);
}

static void many_reports(diag *d) {
  for (int i = 0; i < 1000; i++)
    diag_error(d, DIAG_SCHEMA, (src_pos){"x.yaml", i + 1, 1},
               "unknown key 'k%d'", i);
  for (int i = 0; i < 3; i++)
    diag_error(d, DIAG_SCHEMA, (src_pos){"x.yaml", 2000 + i, 1},
               "another kind %d", i);
  CHECK_INT(diag_error_count(d), 1003); /* all counted */
  CHECK_INT(diag_exit_status(d), BP_EXIT_INPUT);
}

TEST(repeats_are_capped_and_summed) {
  char *out = report_through_diag(many_reports);
  size_t lines = 0;
  for (const char *p = out; *p; p++)
    lines += *p == '\n';
  CHECK_INT((int)lines, 100 + 3 + 1);
  CHECK(strstr(out, "x.yaml:100:1: error: unknown key 'k99'\n"));
  CHECK(!strstr(out, "'k100'"));
  CHECK(strstr(out, "x.yaml:2002:1: error: another kind 2\n"));
  CHECK(strstr(out, "x.yaml: note: … and 900 more like this\n"));
  free(out);
}

TEST(suggestions_within_a_budget) {
  /* 20,000 names; a sink suggests for the first keys, then stops */
  enum { N = 20000 };
  const char **names = xcalloc(N + 1, sizeof *names);
  for (int i = 0; i < N; i++) {
    char buf[16];
    snprintf(buf, sizeof buf, "s%d", i);
    names[i] = xstrdup(buf);
  }
  diag *d = diag_new(NULL);
  int suggested = 0;
  for (int i = 0; i < N; i++) {
    char key[16];
    snprintf(key, sizeof key, "t%d", i);
    suggested += diag_suggest(d, key, names) != NULL;
  }
  CHECK(suggested > 0 && suggested < 1000);
  diag *fresh = diag_new(NULL); /* a new sink has its whole budget */
  const char *near = diag_suggest(fresh, "t7", names);
  CHECK_STR(near ? near : "", "s7");
  diag_drop(fresh);
  diag_drop(d);
  for (int i = 0; i < N; i++)
    free((char *)names[i]);
  free(names);
}

TEST(round_within_spec) {
  CHECK(round_within(1.5, 10) == 2);
  CHECK(round_within(-1.5, 10) == -2);
  CHECK(round_within(1e308, 1000) == 1000);
  CHECK(round_within(-1e308, 1000) == -1000);
  CHECK(round_within(1.0 / 0.0, 1000) == 1000);
  CHECK(round_within(-1.0 / 0.0, 1000) == -1000);
  CHECK(round_within(0.0 / 0.0, 1000) == 0);
  CHECK(round_within(-0.0, 1000) == 0);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(escape_spec);
  RUN(every_report_is_escaped);
  RUN(repeats_are_capped_and_summed);
  RUN(suggestions_within_a_budget);
  RUN(round_within_spec);
  return harness_done();
}
