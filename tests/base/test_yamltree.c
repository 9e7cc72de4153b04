/* SPDX-License-Identifier: MIT */
/* test_yamltree.c — the bounded YAML reader: structure, positions, and each
 * refusal (src/base/yamltree.c).  Every error case asserts the message and
 * its file:line:col. */
#include "base.h"
#include "harness.h"

typedef struct parsed {
  const ynode *root;
  char *messages;
} parsed;

/* Parse `text` as file "t.yaml"; return the root and the diagnostics. */
static parsed parse_with(const char *text, size_t len, const yaml_limits *lim) {
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  static arena *a;
  if (!a)
    a = arena_new(); /* lives for the test program */
  parsed p;
  p.root = yaml_tree_parse(a, "t.yaml", text, len, lim, d);
  p.messages = xstrdup(capture_text(&c));
  diag_drop(d);
  capture_close(&c);
  return p;
}

static parsed parse(const char *text) {
  return parse_with(text, strlen(text), NULL);
}

TEST(builds_mapping_sequence_scalars_with_positions) {
  parsed p = parse("unit: 昌吉\nrows:\n  - [208, \"x\"]\n  - {a: 1}\n");
  CHECK(p.root && p.root->kind == YNODE_MAP);
  CHECK_STR(p.messages, "");
  const ynode *unit = ymap_lookup(p.root, "unit");
  CHECK_STR(unit->u.scalar.text, "昌吉");
  CHECK_INT(unit->pos.line, 1);
  CHECK_INT(unit->pos.col, 7);
  const ynode *rows = ymap_lookup(p.root, "rows");
  CHECK(rows->kind == YNODE_SEQ && rows->u.seq.count == 2);
  const ynode *first = rows->u.seq.items[0];
  CHECK(first->u.seq.items[0]->plain);
  CHECK(!first->u.seq.items[1]->plain);
  CHECK_INT(first->u.seq.items[1]->pos.line, 3);
  CHECK_INT(first->u.seq.items[1]->pos.col, 11);
  free(p.messages);
}

TEST(column_counts_characters_not_bytes) {
  parsed p = parse("名称: 值\n");
  const ynode *v = ymap_lookup(p.root, "名称");
  CHECK_INT(v->pos.col, 5);
  free(p.messages);
}

TEST(duplicate_key_is_an_error_at_the_second) {
  parsed p = parse("a: 1\nb: 2\na: 3\n");
  CHECK(p.root == NULL);
  CHECK_STR(p.messages, "t.yaml:3:1: error: duplicate key 'a' (first at line 1)\n");
  free(p.messages);
}

TEST(syntax_error_has_libyaml_position) {
  parsed p = parse("a: [1, 2\nb: 3\n");
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "t.yaml:2:2: error: YAML syntax: did not find expected ',' or ']'");
  free(p.messages);
}

TEST(invalid_utf8_is_positioned) {
  parsed p = parse("a: ok\nb: x\xFFy\n");
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "t.yaml:2:5: error: invalid leading UTF-8 octet");
  free(p.messages);
}

TEST(nul_byte_is_refused) {
  parsed p = parse_with("a: x\0y\n", 7, NULL);
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "t.yaml:1:5: error: control characters are not allowed");
  free(p.messages);
}

TEST(byte_order_mark_is_accepted) {
  parsed p = parse("\xEF\xBB\xBFunit: x\n");
  CHECK(p.root != NULL);
  CHECK_STR(p.messages, "");
  free(p.messages);
}

TEST(merge_key_is_refused) {
  parsed p = parse("base: &b {x: 1}\nmore:\n  <<: *b\n");
  CHECK(p.root == NULL);
  CHECK_STR(p.messages, "t.yaml:3:3: error: merge keys (<<) are not supported; write the keys out\n");
  free(p.messages);
}

TEST(tags_are_refused_but_str_is_kept_as_text) {
  parsed p = parse("a: !!int 5\n");
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "t.yaml:1:4: error: YAML tags (tag:yaml.org,2002:int) are not supported");
  free(p.messages);
  p = parse("a: !!str 5\n");
  CHECK(p.root && !ymap_lookup(p.root, "a")->plain);
  free(p.messages);
  p = parse("a: !custom {x: 1}\n");
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "error: YAML tags (!custom) are not supported");
  free(p.messages);
}

TEST(alias_bomb_is_refused_in_bounded_time) {
  bbuf b = {0};
  bbuf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 12; i++) {
    bbuf_printf(&b, "a%d: &a%d [", i, i);
    for (int j = 0; j < 10; j++)
      bbuf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
    bbuf_puts(&b, "]\n");
  }
  parsed p = parse(b.data);
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "error: document expands to more than 2000000 nodes");
  free(p.messages);
  bbuf_free(&b);
}

TEST(plain_alias_is_shared_not_copied) {
  parsed p = parse("x: &t 说明\ny: *t\n");
  CHECK(p.root && ymap_lookup(p.root, "x") == ymap_lookup(p.root, "y"));
  free(p.messages);
  p = parse("y: *nope\n");
  CHECK_STR(p.messages, "t.yaml:1:4: error: alias *nope names no anchor defined before it\n");
  free(p.messages);
}

TEST(deep_nesting_block_and_flow_is_refused) {
  bbuf flow = {0}, block = {0};
  for (int i = 0; i < 5000; i++)
    bbuf_puts(&flow, "[");
  for (int i = 0; i < 5000; i++)
    bbuf_puts(&flow, "]");
  parsed p = parse(flow.data);
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "t.yaml:1:65: error: nesting deeper than 64 levels; refused");
  free(p.messages);
  for (int i = 0; i < 200; i++) {
    for (int j = 0; j < i; j++)
      bbuf_puts(&block, " ");
    bbuf_puts(&block, "k:\n");
  }
  p = parse(block.data);
  CHECK(p.root == NULL);
  CHECK_CONTAINS(p.messages, "error: nesting deeper than 64 levels; refused");
  free(p.messages);
  bbuf_free(&flow);
  bbuf_free(&block);
}

TEST(long_scalar_is_refused) {
  yaml_limits lim = yaml_default_limits;
  lim.max_scalar_bytes = 100;
  bbuf b = {0};
  bbuf_puts(&b, "a: ");
  for (int i = 0; i < 200; i++)
    bbuf_puts(&b, "x");
  parsed p = parse_with(b.data, b.len, &lim);
  CHECK_STR(p.messages, "t.yaml:1:4: error: scalar of 200 bytes is longer than the limit of 100; refused\n");
  free(p.messages);
  bbuf_free(&b);
}

TEST(empty_and_multi_document_files) {
  parsed p = parse("");
  CHECK_STR(p.messages, "t.yaml:1:1: error: the file is empty; expected a YAML mapping\n");
  free(p.messages);
  p = parse("a: 1\n---\nb: 2\n");
  CHECK_CONTAINS(p.messages, "t.yaml:2:1: error: more than one YAML document in the file");
  free(p.messages);
}

TEST(unknown_key_suggests_the_near_one) {
  parsed p = parse("unti: x\nyear: 2021\nzzz: 1\n");
  captured_diag c;
  diag *d = diag_new(capture_open(&c));
  const char *allowed[] = {"unit", "year", NULL};
  CHECK(!ymap_check_keys(p.root, allowed, "document", d));
  CHECK_STR(capture_text(&c),
            "t.yaml:1:1: error: unknown key 'unti' in document; did you mean 'unit'?\n"
            "t.yaml:3:1: error: unknown key 'zzz' in document\n");
  diag_drop(d);
  capture_close(&c);
  free(p.messages);
}

TEST(null_spellings) {
  parsed p = parse("a: ~\nb: null\nc: \"\"\nd:\ne: 'null'\n");
  CHECK(ynode_is_null(ymap_lookup(p.root, "a")));
  CHECK(ynode_is_null(ymap_lookup(p.root, "b")));
  CHECK(!ynode_is_null(ymap_lookup(p.root, "c")));
  CHECK(ynode_is_null(ymap_lookup(p.root, "d")));
  CHECK(!ynode_is_null(ymap_lookup(p.root, "e")));
  free(p.messages);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(builds_mapping_sequence_scalars_with_positions);
  RUN(column_counts_characters_not_bytes);
  RUN(duplicate_key_is_an_error_at_the_second);
  RUN(syntax_error_has_libyaml_position);
  RUN(invalid_utf8_is_positioned);
  RUN(nul_byte_is_refused);
  RUN(byte_order_mark_is_accepted);
  RUN(merge_key_is_refused);
  RUN(tags_are_refused_but_str_is_kept_as_text);
  RUN(alias_bomb_is_refused_in_bounded_time);
  RUN(plain_alias_is_shared_not_copied);
  RUN(deep_nesting_block_and_flow_is_refused);
  RUN(long_scalar_is_refused);
  RUN(empty_and_multi_document_files);
  RUN(unknown_key_suggests_the_near_one);
  RUN(null_spellings);
  return harness_done();
}
