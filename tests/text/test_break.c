/* SPDX-License-Identifier: MIT */
/* test_break.c — runs linebreak.spec: each case breaks its input at a
 * width and compares the lines (and, with "positions", every glyph's x)
 * with the expected output.  ./test_text_break <id> runs one case. */
#include "harness.h"
#include "text.h"

#include <math.h>

#define GBSN "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define NOTO_SERIF "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#2"

typedef struct spec_case {
  char id[64];
  char desc[256];
  double width, indent;
  text_align align;
  bool compress, positions, lonechar;
  bbuf input;
  bbuf expected;
  double max_spread; /* em a gap; 0: no limit */
  int line; /* of the ### line in the spec */
} spec_case;

static text_fonts *fonts;
static text_shaper *shaper;
static diag *dg;
static captured_diag cap;
static const double size = 10;

static char *chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
    s[--n] = 0;
  return s;
}

static void parse_options(spec_case *c, char *opts) {
  for (char *tok = strtok(opts, " "); tok; tok = strtok(NULL, " ")) {
    if (!strcmp(tok, "width"))
      c->width = atof(strtok(NULL, " "));
    else if (!strcmp(tok, "indent"))
      c->indent = atof(strtok(NULL, " "));
    else if (!strcmp(tok, "compress"))
      c->compress = true;
    else if (!strcmp(tok, "positions"))
      c->positions = true;
    else if (!strcmp(tok, "maxspread"))
      c->max_spread = atof(strtok(NULL, " "));
    else if (!strcmp(tok, "lonechar"))
      c->lonechar = true;
    else if (!strcmp(tok, "align")) {
      const char *a = strtok(NULL, " ");
      c->align = !strcmp(a, "justify")  ? TEXT_ALIGN_JUSTIFY
                 : !strcmp(a, "center") ? TEXT_ALIGN_CENTER
                 : !strcmp(a, "right")  ? TEXT_ALIGN_RIGHT
                                        : TEXT_ALIGN_LEFT;
    } else {
      fprintf(stderr, "linebreak.spec: unknown option %s\n", tok);
      exit(2);
    }
  }
}

/* Input lines use "\n" for a forced break. */
static void unescape(bbuf *b, const char *s) {
  for (; *s; s++) {
    if (s[0] == '\\' && s[1] == 'n') {
      bbuf_puts(b, "\n");
      s++;
    } else {
      bbuf_append(b, s, 1);
    }
  }
}

static void render_lines(const text_paragraph *p, bool positions, bbuf *out) {
  for (size_t i = 0; i < p->nlines; i++) {
    const text_line *l = &p->lines[i];
    bbuf_append(out, p->text + l->start, l->end - l->start);
    if (positions) {
      bbuf_puts(out, " @");
      const char *sep = "";
      for (size_t r = 0; r < l->nruns; r++)
        for (size_t g = 0; g < l->runs[r].count; g++) {
          double x = (l->runs[r].x + l->runs[r].glyphs[g].x) / size;
          x = round(x * 1000) / 1000;
          bbuf_printf(out, "%s%g", sep, x);
          sep = " ";
        }
    }
    bbuf_puts(out, "\n");
  }
}

/* text_cell_extent from one shaping gives what two text_break calls give:
 * the width on one line, and the widest piece set as narrow as can be
 * between whole words. */
static void check_cell_extent(spec_case *c, text_style style, src_pos pos,
                              arena *a) {
  text_para_spec one = {.style = style, .compress_punct = true,
                        .measure_only = true};
  text_para_spec narrow = {.style = style, .width = 0.01,
                           .compress_punct = true, .words = true,
                           .whole_words = true, .measure_only = true};
  const text_paragraph *p1 =
      text_break(shaper, &one, c->input.data, c->input.len, pos, a, dg);
  const text_paragraph *p2 =
      text_break(shaper, &narrow, c->input.data, c->input.len, pos, a, dg);
  for (int pieces = 0; pieces < 2; pieces++) {
    text_extent e = text_cell_extent(shaper, style, c->input.data,
                                     c->input.len, pieces, pos, a, dg);
    harness_checks++;
    if (e.one_line != p1->natural_width ||
        e.widest_piece != (pieces ? p2->natural_width : 0)) {
      harness_failures++;
      harness_current_failed = 1;
      fprintf(stderr, "linebreak.spec:%d: %s: cell extent %g/%g, text_break "
              "%g/%g\n", c->line, c->id, e.one_line, e.widest_piece,
              p1->natural_width, pieces ? p2->natural_width : 0);
    }
  }
}

static void run_case(spec_case *c) {
  if (harness_only && strcmp(harness_only, c->id))
    return;
  harness_tests++;
  harness_current_failed = 0;
  arena *a = arena_new();
  text_para_spec ps = {
      .style = {text_fonts_lookup_role(fonts, "宋体"), size},
      .width = c->width * size,
      .leading = size * 1.5,
      .first_indent = c->indent * size,
      .align = c->align,
      .compress_punct = c->compress,
      .no_lone_char = c->lonechar,
      .max_spread = c->max_spread * size,
  };
  src_pos pos = {"linebreak.spec", c->line, 1};
  const text_paragraph *p =
      text_break(shaper, &ps, c->input.data, c->input.len, pos, a, dg);
  bbuf got = {0};
  render_lines(p, c->positions, &got);
  harness_checks++;
  if (strcmp(got.data ? got.data : "", c->expected.data ? c->expected.data : "") ||
      p->missing) {
    harness_failures++;
    harness_current_failed = 1;
    fprintf(stderr, "linebreak.spec:%d: %s: %s\n  input: %s\n--- want\n%s--- got\n%s",
            c->line, c->id, c->desc, c->input.data, c->expected.data,
            got.data ? got.data : "");
  }
  check_cell_extent(c, ps.style, pos, a);
  harness_report(c->id);
  bbuf_free(&got);
  arena_drop(a);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  dg = diag_new(capture_open(&cap));
  fonts = text_fonts_new();
  /* Noto behind AR PL SungtiL: 〘〙 are not in GB 2312. */
  if (!text_fonts_set_role(fonts, "宋体", NOTO_SERIF, (src_pos){0}, dg) ||
      !text_fonts_set_role(fonts, "宋体", GBSN, (src_pos){0}, dg)) {
    fprintf(stderr, "%s", capture_text(&cap));
    return 1;
  }
  shaper = text_shaper_new(fonts);
  FILE *f = fopen(TEST_DIR "/linebreak.spec", "r");
  if (!f) {
    perror(TEST_DIR "/linebreak.spec");
    return 1;
  }
  char buf[4096];
  int lineno = 0, state = 0; /* 0 none, 1 options, 2 input, 3 expected */
  spec_case c = {0};
  while (fgets(buf, sizeof buf, f)) {
    lineno++;
    chomp(buf);
    if (!strncmp(buf, "### ", 4)) {
      if (state == 3)
        run_case(&c);
      bbuf_free(&c.input);
      bbuf_free(&c.expected);
      memset(&c, 0, sizeof c);
      char *colon = strchr(buf + 4, ':');
      snprintf(c.id, sizeof c.id, "%.*s", (int)(colon - buf - 4), buf + 4);
      snprintf(c.desc, sizeof c.desc, "%s", colon + 2);
      c.line = lineno;
      state = 1;
    } else if (state == 1) {
      parse_options(&c, buf);
      state = 2;
    } else if (state == 2) {
      if (!strcmp(buf, "."))
        state = 3;
      else
        unescape(&c.input, buf);
    } else if (state == 3 && buf[0]) {
      bbuf_printf(&c.expected, "%s\n", buf);
    }
  }
  if (state == 3)
    run_case(&c);
  bbuf_free(&c.input);
  bbuf_free(&c.expected);
  fclose(f);
  if (diag_error_count(dg))
    fprintf(stderr, "unexpected diagnostics:\n%s", capture_text(&cap));
  CHECK_INT(diag_error_count(dg), 0);
  text_shaper_drop(shaper);
  text_fonts_drop(fonts);
  diag_drop(dg);
  capture_close(&cap);
  return harness_done();
}
