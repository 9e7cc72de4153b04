/* SPDX-License-Identifier: MIT */
/* test_hostile.c — hostile and mangled structure in data and layout
 * files, through the real binary (`check` and `render`): alias bombs,
 * nesting thousands of levels deep (block and flow), multi-megabyte
 * scalars and files, NUL bytes, invalid UTF-8, other encodings, a
 * byte-order mark, CRLF line ends, tabs, tags and merge keys.
 *
 * Each is handled or refused with a positioned error, asserted exactly
 * with its exit status, under `ulimit -s 256`, 1 GB of address space and
 * 10 s of CPU (bp_hostile_limits: a stack overflow, a memory or time
 * blow-up fails the test), and a render leaves the previous PDF as it
 * was with no temporary file. */
#include "runner.h"

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define REFERENCE_LAYOUT SOURCE_DIR "/layouts/department-budget.yaml"

/* ---------------------------------------------------------------- inputs */

typedef void (*make_fn)(bbuf *b);

static void repeat(bbuf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    bbuf_puts(b, s);
}

/* 10^10 nodes from ten lines. */
static void alias_bomb(bbuf *b) {
  bbuf_puts(b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 10; i++) {
    bbuf_printf(b, "a%d: &a%d [", i, i);
    for (int j = 0; j < 10; j++)
      bbuf_printf(b, "%s*a%d", j ? ", " : "", i - 1);
    bbuf_puts(b, "]\n");
  }
}

/* Few nodes, but each alias repeats 1 MB of text: 100 MB from one. */
static void alias_text_bomb(bbuf *b) {
  bbuf_puts(b, "a: &big \"");
  repeat(b, "预算", 1000000 / 6);
  bbuf_puts(b, "\"\nb: [");
  for (int i = 0; i < 100; i++)
    bbuf_puts(b, i ? ", *big" : "*big");
  bbuf_puts(b, "]\n");
}

static void deep_block_map(bbuf *b) {
  for (int i = 0; i < 2000; i++) {
    repeat(b, " ", (size_t)i);
    bbuf_puts(b, "a:\n");
  }
}

static void deep_block_seq(bbuf *b) {
  repeat(b, "- ", 100000);
  bbuf_puts(b, "x\n");
}

static void deep_flow_seq(bbuf *b) {
  repeat(b, "[", 100000);
  repeat(b, "]", 100000);
  bbuf_puts(b, "\n");
}

static void deep_flow_map(bbuf *b) {
  repeat(b, "{a: ", 100000);
  bbuf_puts(b, "1");
  repeat(b, "}", 100000);
  bbuf_puts(b, "\n");
}

static void long_quoted_scalar(bbuf *b) {
  bbuf_puts(b, "a: \"");
  repeat(b, "0123456789", 300000);
  bbuf_puts(b, "\"\n");
}

static void long_block_scalar(bbuf *b) {
  bbuf_puts(b, "a: |\n");
  for (int i = 0; i < 100000; i++)
    bbuf_puts(b, "  预算公开预算公开预算公开\n");
}

static void huge_file(bbuf *b) {
  bbuf_puts(b, "# ");
  repeat(b, "################################################################",
         (size_t)(70 << 20) / 64);
  bbuf_puts(b, "\n");
}

static void nul_byte(bbuf *b) { bbuf_append(b, "a: x\0y\n", 7); }
static void nul_escape(bbuf *b) { bbuf_puts(b, "a: \"x\\0y\"\n"); }
static void invalid_utf8(bbuf *b) { bbuf_puts(b, "a: ok\nb: x\xFFy\n"); }
static void overlong_utf8(bbuf *b) { bbuf_puts(b, "a: \xC0\xAF\n"); }
static void surrogate_utf8(bbuf *b) { bbuf_puts(b, "a: \xED\xA0\x80\n"); }
static void truncated_utf8(bbuf *b) { bbuf_puts(b, "a: 预\xE7\xAE"); }
static void utf16(bbuf *b) { bbuf_append(b, "\xFF\xFE" "a\0:\0 \0x\0\n\0", 12); }
static void bom_and_tag(bbuf *b) { bbuf_puts(b, "\xEF\xBB\xBF" "a: !!int 5\n"); }
static void tag_on_scalar(bbuf *b) { bbuf_puts(b, "a: !!int 5\n"); }
static void tag_on_map(bbuf *b) { bbuf_puts(b, "a: !custom {x: 1}\n"); }
static void merge_key(bbuf *b) { bbuf_puts(b, "base: &b {x: 1}\nmore:\n  <<: *b\n"); }
static void tab_indent(bbuf *b) { bbuf_puts(b, "a:\n\tb: 1\n"); }
static void two_documents(bbuf *b) { bbuf_puts(b, "a: 1\n---\nb: 2\n"); }

/* ---------------------------------------------------------------- cases */

typedef struct hostile_case {
  const char *name;
  make_fn make;
  /* What `check` prints for it as data.yaml, "@" standing for the file
   * name; render and a layout print the same lines but the last note. */
  const char *errors;
  int status;
} hostile_case;

static const hostile_case cases[] = {
    {"alias-bomb", alias_bomb,
     "@:7:10: error: document expands to more than 2000000 nodes (alias "
     "bomb?); refused\n", 1},
    {"alias-text-bomb", alias_text_bomb,
     "@:2:95: error: document expands to more than 16777216 bytes of text "
     "(aliases repeating a long text?); refused\n", 1},
    {"deep-block-map", deep_block_map,
     "@:65:65: error: nesting deeper than 64 levels; refused\n", 1},
    {"deep-block-seq", deep_block_seq,
     "@:1:129: error: nesting deeper than 64 levels; refused\n", 1},
    {"deep-flow-seq", deep_flow_seq,
     "@:1:65: error: nesting deeper than 64 levels; refused\n", 1},
    {"deep-flow-map", deep_flow_map,
     "@:1:257: error: nesting deeper than 64 levels; refused\n", 1},
    {"long-quoted-scalar", long_quoted_scalar,
     "@:1:4: error: scalar of 3000000 bytes is longer than the limit of "
     "1048576; refused\n", 1},
    {"long-block-scalar", long_block_scalar,
     "@:1:4: error: scalar of 3700000 bytes is longer than the limit of "
     "1048576; refused\n", 1},
    {"huge-file", huge_file,
     "@: error: file is larger than 67108864 bytes; refused\n", 2},
    {"nul-byte", nul_byte,
     "@:1:5: error: control characters are not allowed (byte 0x00)\n", 1},
    {"nul-escape", nul_escape,
     "@:1:4: error: a NUL character (U+0000) is not allowed in text\n", 1},
    {"invalid-utf8", invalid_utf8,
     "@:2:5: error: invalid leading UTF-8 octet (byte 0xFF); the file must "
     "be UTF-8 (saved as GBK or GB18030?)\n", 1},
    {"overlong-utf8", overlong_utf8,
     "@:1:4: error: invalid length of a UTF-8 sequence; the file must be "
     "UTF-8 (saved as GBK or GB18030?)\n", 1},
    {"surrogate-utf8", surrogate_utf8,
     "@:1:4: error: invalid Unicode character (U+D800)\n", 1},
    {"truncated-utf8", truncated_utf8,
     "@:1:5: error: incomplete UTF-8 octet sequence; the file must be UTF-8 "
     "(saved as GBK or GB18030?)\n", 1},
    {"utf16", utf16,
     "@:1:1: error: the file is UTF-16 (it starts with the bytes FF FE); "
     "save it as UTF-8\n", 1},
    {"bom-and-tag", bom_and_tag,
     "@:1:4: error: YAML tags (tag:yaml.org,2002:int) are not supported\n", 1},
    {"tag-on-scalar", tag_on_scalar,
     "@:1:4: error: YAML tags (tag:yaml.org,2002:int) are not supported\n", 1},
    {"tag-on-mapping", tag_on_map,
     "@:1:4: error: YAML tags (!custom) are not supported\n", 1},
    {"merge-key", merge_key,
     "@:3:3: error: merge keys (<<) are not supported; write the keys out\n",
     1},
    {"tab-indent", tab_indent,
     "@:2:1: error: YAML syntax: found character that cannot start any token "
     "while scanning for the next token (a tab: YAML indents with spaces "
     "only)\n", 1},
    {"two-documents", two_documents,
     "@:2:1: error: more than one YAML document in the file\n", 1},
};

static char *replace_at(const char *text, const char *name) {
  bbuf b = {0};
  bbuf_puts(&b, "");
  for (const char *p = text; *p; p++)
    if (*p == '@')
      bbuf_puts(&b, name);
    else
      bbuf_append(&b, p, 1);
  return b.data;
}

/* work/<name>/ with <file> made by make and the previous PDF. */
static const char *setup(const char *name, const char *file, make_fn make) {
  static char dir[256];
  snprintf(dir, sizeof dir, "work/%s", name);
  bp_fresh_dir(dir);
  bbuf content = {0};
  make(&content);
  bbuf path = {0};
  bbuf_printf(&path, "%s/%s", dir, file);
  CHECK(bp_put_bytes(path.data, content.data, content.len));
  bbuf_free(&path);
  bbuf_free(&content);
  bbuf_printf(&path, "%s/out.pdf", dir);
  CHECK(bp_put(path.data, bp_previous_pdf));
  bbuf_free(&path);
  return dir;
}

static void check_bounds(const bp_result *r, const char *what) {
  if (r->status == -1 || r->signal == SIGSEGV || r->signal == SIGXCPU ||
      r->signal == SIGKILL)
    fprintf(stderr, "%s: status %d, signal %d after %.1fs\n", what, r->status,
            r->signal, r->seconds);
}

TEST(hostile_data_files) {
  bp_limits lim = bp_hostile_limits();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const hostile_case *c = &cases[i];
    bbuf name = {0};
    bbuf_printf(&name, "data-%s", c->name);
    const char *dir = setup(name.data, "data.yaml", c->make);
    char *want = replace_at(c->errors, "data.yaml");

    bp_result r = bp_run(dir, &lim, "check", "data.yaml", NULL);
    check_bounds(&r, c->name);
    bbuf check_want = {0};
    bbuf_puts(&check_want, want);
    if (c->status == 1)
      bbuf_puts(&check_want, "data.yaml: note: arithmetic not checked: fix "
                             "the errors above first\n");
    CHECK_STR(r.err, check_want.data);
    CHECK_INT(r.status, c->status);
    bp_result_drop(&r);
    bbuf_free(&check_want);

    r = bp_run(dir, &lim, "render", "data.yaml", "-o", "out.pdf", NULL);
    check_bounds(&r, c->name);
    CHECK_STR(r.err, want);
    CHECK_INT(r.status, c->status);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    bp_result_drop(&r);
    free(want);
    bbuf_free(&name);
  }
}

TEST(hostile_layout_files) {
  bp_limits lim = bp_hostile_limits();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const hostile_case *c = &cases[i];
    bbuf name = {0};
    bbuf_printf(&name, "layout-%s", c->name);
    const char *dir = setup(name.data, "layout.yaml", c->make);
    char *want = replace_at(c->errors, "layout.yaml");
    bp_result r = bp_run(dir, &lim, "render", REFERENCE, "--layout",
                         "layout.yaml", "-o", "out.pdf", NULL);
    check_bounds(&r, c->name);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, want);
    CHECK_INT(r.status, c->status);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    free(e);
    bp_result_drop(&r);
    free(want);
    bbuf_free(&name);
  }
}

/* The schema (check --schema) and the fonts file (render --fonts) are
 * read by the same bounded reader; a few of the cases show it. */
TEST(hostile_schema_and_fonts_files) {
  static const char *const which[] = {"alias-bomb", "alias-text-bomb",
                                      "deep-flow-seq", "long-quoted-scalar",
                                      "nul-byte", "invalid-utf8", "tag-on-scalar",
                                      "merge-key", NULL};
  bp_limits lim = bp_hostile_limits();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const hostile_case *c = &cases[i];
    bool chosen = false;
    for (const char *const *w = which; *w && !chosen; w++)
      chosen = !strcmp(*w, c->name);
    if (!chosen)
      continue;
    bbuf name = {0};
    bbuf_printf(&name, "other-%s", c->name);
    const char *dir = setup(name.data, "other.yaml", c->make);
    char *want = replace_at(c->errors, "other.yaml");
    bp_result r = bp_run(dir, &lim, "check", REFERENCE, "--schema",
                         "other.yaml", NULL);
    check_bounds(&r, c->name);
    bbuf check_want = {0};
    bbuf_printf(&check_want,
                "%s%s: note: arithmetic not checked: fix the errors above "
                "first\n",
                want, REFERENCE);
    CHECK_STR(r.err, check_want.data);
    CHECK_INT(r.status, c->status);
    bp_result_drop(&r);
    bbuf_free(&check_want);

    r = bp_run(dir, &lim, "render", REFERENCE, "--fonts", "other.yaml", "-o",
               "out.pdf", NULL);
    check_bounds(&r, c->name);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, want);
    CHECK_INT(r.status, c->status);
    CHECK_PREVIOUS_KEPT(dir, "out.pdf");
    free(e);
    bp_result_drop(&r);
    free(want);
    bbuf_free(&name);
  }
}

/* ---------------------------------------------------------------- handled */

/* dir/<file>: the bytes of src, changed by edit. */
static void copy_edited(const char *src, const char *dst,
                        void (*edit)(bbuf *out, const char *in)) {
  char *in = bp_slurp(src);
  bbuf out = {0};
  edit(&out, in);
  CHECK(bp_put_bytes(dst, out.data, out.len));
  bbuf_free(&out);
  free(in);
}

static void add_bom(bbuf *out, const char *in) {
  bbuf_puts(out, "\xEF\xBB\xBF");
  bbuf_puts(out, in);
}

static void to_crlf(bbuf *out, const char *in) {
  for (const char *p = in; *p; p++)
    if (*p == '\n')
      bbuf_puts(out, "\r\n");
    else
      bbuf_append(out, p, 1);
}

/* A byte-order mark or CRLF line ends (Windows editors) change nothing:
 * `check` says exactly what it says of the reference, at the same
 * positions, and both render. */
static void same_as_reference(const char *name,
                              void (*edit)(bbuf *, const char *)) {
  bp_limits lim = bp_hostile_limits();
  bbuf dir = {0}, path = {0};
  bbuf_printf(&dir, "work/%s", name);
  bp_fresh_dir(dir.data);
  bbuf_printf(&path, "%s/ref.yaml", dir.data);
  char *reference = bp_slurp(REFERENCE);
  CHECK(bp_put(path.data, reference));
  free(reference);
  bbuf_free(&path);
  bbuf_printf(&path, "%s/data.yaml", dir.data);
  copy_edited(REFERENCE, path.data, edit);
  bbuf_free(&path);
  bbuf_printf(&path, "%s/layout.yaml", dir.data);
  copy_edited(REFERENCE_LAYOUT, path.data, edit);
  bbuf_free(&path);

  bp_result want = bp_run(dir.data, &lim, "check", "ref.yaml", NULL);
  bp_result got = bp_run(dir.data, &lim, "check", "data.yaml", NULL);
  CHECK_INT(got.status, want.status);
  bbuf want_err = {0};
  bbuf_puts(&want_err, "");
  for (const char *p = want.err, *at; *p; p = at + 8) {
    if (!(at = strstr(p, "ref.yaml"))) {
      bbuf_puts(&want_err, p);
      break;
    }
    bbuf_append(&want_err, p, (size_t)(at - p));
    bbuf_puts(&want_err, "data.yaml");
  }
  CHECK_STR(got.err, want_err.data);
  bbuf_free(&want_err);
  bp_result_drop(&want);
  bp_result_drop(&got);

  got = bp_run(dir.data, &lim, "render", "data.yaml", "--layout",
               "layout.yaml", "-o", "out.pdf", NULL);
  CHECK_INT(got.status, 0);
  bbuf_printf(&path, "%s/out.pdf", dir.data);
  char *pdf = bp_slurp(path.data);
  CHECK(!strncmp(pdf, "%PDF-", 5));
  free(pdf);
  bbuf_free(&path);
  bp_result_drop(&got);
  bbuf_free(&dir);
}

TEST(byte_order_mark_is_handled) { same_as_reference("bom", add_bom); }
TEST(crlf_line_ends_are_handled) { same_as_reference("crlf", to_crlf); }

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(hostile_data_files);
  RUN(hostile_layout_files);
  RUN(hostile_schema_and_fonts_files);
  RUN(byte_order_mark_is_handled);
  RUN(crlf_line_ends_are_handled);
  return harness_done();
}
