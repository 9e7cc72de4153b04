/* SPDX-License-Identifier: MIT */
/* test_lengths.c — lengths in a layout that are zero, negative, tiny,
 * huge or not numbers, through the real binary.  Each length key has a
 * stated range (docs/LAYOUT.md, "Values"); a value outside it is an error
 * at its position, exit 1, the previous PDF kept and no temporary file —
 * never a PDF with text drawn above the page, `-9223372036854775.808 w`
 * in its content stream, or a trip of UBSan in paginate.
 *
 * Every case changes one thing in a copy of the small layout
 * (fixtures/layout-small.yaml) or, for performance sheets, of the
 * reference layout. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define REFERENCE_LAYOUT SOURCE_DIR "/layouts/department-budget.yaml"
#define FIXTURES TEST_DIR "/fixtures"

static bp_limits limits(void) {
  bp_limits l = bp_hostile_limits();
  l.wall_seconds = BP_SANITIZED ? 300 : 60;
  return l;
}

/* A fresh folder work/lengths-<name> holding the previous PDF as out.pdf. */
static const char *workdir(const char *name) {
  return bp_workdir("lengths-", name);
}


/* render with dir/layout.yaml: the errors (warnings left out) and status
 * are as expected, and the previous PDF is untouched. */
static void render_fails(const char *dir, const char *errors) {
  bp_limits lim = limits();
  bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                       "layout.yaml", "-o", "out.pdf", NULL);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, errors);
  CHECK_INT(r.status, 1);
  CHECK_PREVIOUS_KEPT(dir, "out.pdf");
  free(e);
  bp_result_drop(&r);
}

typedef struct length_case {
  const char *name;
  const char *from, *to; /* in layout-small.yaml */
  const char *errors;
} length_case;

#define STYLE "size: 三号}"
#define PARAGRAPH "{text: \"{unit}{year}\", style: body}"
#define TABLE "            cell-style: cell"
#define COLUMN "width: 30mm}"

static const length_case cases[] = {
    /* the examples */
    {"leading-zero", STYLE, "size: 三号, leading: \"0\"}",
     "layout.yaml:8:39: error: leading must be between 1pt and 1000pt "
     "(352.8mm), not '0'\n"},
    {"leading-minus-zero", STYLE, "size: 三号, leading: \"-0pt\"}",
     "layout.yaml:8:39: error: leading must be between 1pt and 1000pt "
     "(352.8mm), not '-0pt'\n"},
    {"size-tiny", STYLE, "size: \"1e-30\"}",
     "layout.yaml:8:26: error: size must be between 1pt and 200pt "
     "(70.6mm), not '1e-30'\n"},
    {"space-minus-huge", PARAGRAPH, PARAGRAPH "\n        - space: \"-1e308in\"",
     "layout.yaml:15:18: error: space must be between 0pt and 14400pt "
     "(5080mm), not '-1e308in'\n"},
    {"rule-huge", TABLE, "            rule: \"1e308in\"\n" TABLE,
     "layout.yaml:17:19: error: rule must be between 0pt and 20pt, not "
     "'1e308in'\n"},
    {"space-negative", PARAGRAPH, PARAGRAPH "\n        - space: -20mm",
     "layout.yaml:15:18: error: space must be between 0pt and 14400pt "
     "(5080mm), not '-20mm'\n"},
    {"padding-negative", TABLE, "            padding: [-1pt, 2pt]\n" TABLE,
     "layout.yaml:17:23: error: padding must be between 0pt and 100pt "
     "(35.3mm), not '-1pt'\n"},
    {"column-width-zero", COLUMN, "width: 0mm}",
     "layout.yaml:20:51: error: width must be between 1pt and 14400pt "
     "(5080mm), not '0mm'\n"},
    /* other values of the same kinds */
    {"leading-nan", STYLE, "size: 三号, leading: nan}",
     "layout.yaml:8:39: error: leading must be a length such as 12pt, 7mm "
     "or 2em, not 'nan'\n"},
    {"leading-inf", STYLE, "size: 三号, leading: inf}",
     "layout.yaml:8:39: error: leading must be a length such as 12pt, 7mm "
     "or 2em, not 'inf'\n"},
    {"leading-1e308", STYLE, "size: 三号, leading: 1e308}",
     "layout.yaml:8:39: error: leading must be between 1pt and 1000pt "
     "(352.8mm), not '1e308'\n"},
    {"leading-1e-300", STYLE, "size: 三号, leading: 1e-300pt}",
     "layout.yaml:8:39: error: leading must be between 1pt and 1000pt "
     "(352.8mm), not '1e-300pt'\n"},
    {"size-huge-em", STYLE, "size: 300pt}",
     "layout.yaml:8:26: error: size must be between 1pt and 200pt "
     "(70.6mm), not '300pt'\n"},
    {"indent-huge-em", STYLE, "size: 三号, indent: 1e300em}",
     "layout.yaml:8:38: error: indent must be between 0pt and 14400pt "
     "(5080mm), not '1e300em'\n"},
    {"hex-length", "size: [210mm, 297mm]", "size: [0x10, 297mm]",
     "layout.yaml:6:15: error: width must be a length such as 12pt, 7mm or "
     "2em, not '0x10'\n"},
    {"margin-negative", "margins: {top: 37mm", "margins: {top: -37mm",
     "layout.yaml:6:45: error: top must be between 0pt and 14400pt "
     "(5080mm), not '-37mm'\n"},
    {"column-width-negative", COLUMN, "width: -1e-300mm}",
     "layout.yaml:20:51: error: width must be between 1pt and 14400pt "
     "(5080mm), not '-1e-300mm'\n"},
    {"column-width-tiny", COLUMN, "width: 0.01mm}",
     "layout.yaml:20:51: error: width must be between 1pt and 14400pt "
     "(5080mm), not '0.01mm'\n"},
    {"rule-negative", TABLE, "            rule: -0.1pt\n" TABLE,
     "layout.yaml:17:19: error: rule must be between 0pt and 20pt, not "
     "'-0.1pt'\n"},
    {"min-row-height-inf", TABLE, "            min-row-height: 1e999\n" TABLE,
     "layout.yaml:17:29: error: min-row-height must be a length such as "
     "12pt, 7mm or 2em, not '1e999'\n"},
    {"indents-wider-than-the-page", STYLE,
     "size: 三号, left-indent: 100mm, right-indent: 100mm}",
     "layout.yaml:8:3: error: style 'body': its indents (200.0mm, first "
     "line 200.0mm) leave less than one character of the 156.0mm type area "
     "of page 'a4'\n"},
    {"first-indent-wider-than-the-page", STYLE, "size: 三号, indent: 14000pt}",
     "layout.yaml:8:3: error: style 'body': its indents (0.0mm, first line "
     "4938.9mm) leave less than one character of the 156.0mm type area of "
     "page 'a4'\n"},
    {"space-before-taller-than-the-page", STYLE,
     "size: 三号, space-before: 14000pt}",
     "layout.yaml:8:3: error: style 'body': its space-before (4938.9mm) is "
     "taller than the 225.0mm type area of page 'a4'\n"},
    {"leading-taller-than-the-page", STYLE, "size: 三号, leading: 999pt}",
     "layout.yaml:8:3: error: style 'body': its leading (352.4mm) is taller "
     "than the 225.0mm type area of page 'a4'\n"},
};

TEST(lengths_out_of_range_are_positioned_errors) {
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const length_case *c = &cases[i];
    fprintf(stderr, "  case %s\n", c->name);
    const char *dir = workdir(c->name);
    bp_layout_variant(dir, FIXTURES "/layout-small.yaml", c->from, c->to);
    render_fails(dir, c->errors);
  }
}

/* A column of a performance sheet: the "negative or zero sheet
 * widths".  The position is found in the reference layout, which other
 * changes may move. */
TEST(sheet_widths_zero_or_negative) {
  static const char *const values[] = {"-25mm", "0", "-0.0pt", "1e-30mm"};
  char *s = bp_slurp(REFERENCE_LAYOUT);
  const char *at = strstr(s, "widths: [");
  CHECK(at != NULL);
  if (!at) {
    free(s);
    return;
  }
  int line = 1, col = 1;
  for (const char *p = s; p < at; p++)
    line += *p == '\n';
  for (const char *p = at; p > s && p[-1] != '\n'; p--)
    col++;
  col += (int)strlen("widths: [");
  /* the first column: a length, or a {min, max, share} mapping */
  const char *open = at + strlen("widths: [");
  const char *end = *open == '{' ? strchr(open, '}') + 1 : strchr(open, ',');
  char *first = xstrndup(at, (size_t)(end - at));
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    const char *dir = workdir("sheet-width");
    bbuf to = {0}, want = {0};
    bbuf_printf(&to, "widths: [%s", values[i]);
    bp_layout_variant(dir, REFERENCE_LAYOUT, first, to.data);
    bbuf_printf(&want,
                "layout.yaml:%d:%d: error: width must be between 1pt and "
                "14400pt (5080mm), not '%s'\n",
                line, col, values[i]);
    render_fails(dir, want.data);
    bbuf_free(&to);
    bbuf_free(&want);
  }
  free(first);
  free(s);
}

/* The other side of the ranges: their ends are accepted and render. */
TEST(lengths_at_the_ends_of_their_ranges_render) {
  static const struct {
    const char *from, *to;
  } ok[] = {
      {STYLE, "size: 三号, leading: 1pt, space-after: 0}"},
      {STYLE, "size: 200pt}"},
      {TABLE, "            rule: 0\n            padding: 0\n" TABLE},
      {PARAGRAPH, PARAGRAPH "\n        - space: -0pt"},
      {"margins: {top: 37mm", "margins: {top: 0mm"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    const char *dir = workdir("ends");
    bp_layout_variant(dir, FIXTURES "/layout-small.yaml", ok[i].from, ok[i].to);
    bp_limits lim = limits();
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                         "layout.yaml", "-o", "out.pdf", NULL);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, "");
    CHECK_INT(r.status, 0);
    char *pdf = bp_slurp("work/lengths-ends/out.pdf");
    CHECK(!strncmp(pdf, "%PDF-", 5));
    /* no number beyond a page in the content: the rule, above all */
    CHECK(!strstr(pdf, "-9223372036854775"));
    free(pdf);
    free(e);
    bp_result_drop(&r);
  }
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(lengths_out_of_range_are_positioned_errors);
  RUN(sheet_widths_zero_or_negative);
  RUN(lengths_at_the_ends_of_their_ranges_render);
  return harness_done();
}
