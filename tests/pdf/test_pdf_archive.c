/* SPDX-License-Identifier: MIT */
/* test_pdf_archive.c — the PDF/A-1b objects of a small document, read
 * back from the bytes and with qpdf: version and binary comment, the
 * catalog's /Lang, /ViewerPreferences, /PageMode and output intent, the
 * XMP packet saying what the Info dictionary says (escaped, dates alike),
 * a /CIDSet in every font naming exactly the program's CIDs, direct
 * destinations and printable links, and a trailer /ID that is the XXH3-128 of
 * the file with the /ID zeroed.  Then the PDF settings file's mistakes,
 * each reported where it is.  (test_e2e_pdfa runs a real validator.) */
#include "harness.h"
#include "pdf.h"

#include <sys/wait.h>
#include <unistd.h>

static text_fonts *defaults;

static char *slurp_len(const char *path, size_t *len) {
  diag *d = diag_new(NULL);
  char *s = file_read_all(path, 1 << 24, len, d);
  diag_drop(d);
  if (!s)
    *len = 0;
  return s ? s : xstrdup("");
}

static char *slurp(const char *path) {
  size_t len;
  return slurp_len(path, &len);
}

/* needle in bytes that may hold NULs (PDF streams): strstr would stop at
 * the first. */
static char *find(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; n <= len && i <= len - n; i++)
    if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
      return (char *)hay + i;
  return NULL;
}

/* stdout of a shell command (caller frees); its status in *status. */
static char *run(const char *cmd, int *status) {
  bbuf b = {0};
  bbuf_printf(&b, "%s >archive.out 2>archive.err", cmd);
  int st = system(b.data);
  bbuf_free(&b);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return slurp("archive.out");
}

static void write_file(const char *path, const void *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  CHECK(f && fwrite(bytes, 1, len, f) == len);
  if (f)
    fclose(f);
}

/* Two pages, an outline entry and a link from page 1 to page 2. */
static page_doc *sample_doc(const char *role_name, const page_doc_info *info,
                            arena *a, diag *d) {
  text_shaper *sh = text_shaper_new(defaults);
  page_doc *doc = page_doc_new();
  page_list *p1 = page_doc_add_page(doc, 595.28, 841.89);
  page_doc_add_page(doc, 595.28, 841.89);
  /* (no figures: 宋体 leaves them to Noto Serif CJK, a second font) */
  static const char text[] = "部门预算公开 二零二一年“三公”经费";
  text_para_spec ps = {.style = {text_fonts_lookup_role(defaults, role_name), 12},
                       .leading = 18};
  const text_paragraph *p = text_break(sh, &ps, text, strlen(text), (src_pos){0}, a, d);
  page_add_paragraph(doc, p1, p, 0, p->nlines, 72, 72);
  page_add_link(doc, p1, &(page_link){72, 72, 200, 18, 1, 100});
  page_doc_add_outline(doc, "第二页", 1, 1, 100);
  page_doc_set_info(doc, info);
  text_shaper_drop(sh);
  return doc;
}

static const page_doc_info plain_info = {.title = "预算公开",
                                         .author = "测试",
                                         .subject = "2021年预算",
                                         .keywords = "预算, 2021",
                                         .creator = "budgetpdf",
                                         .creation_date = "2021-03-01"};

/* Render to path; the bytes in *out. */
static void render(const char *role, const page_doc_info *info, const char *path,
                   bbuf *out, pdf_stats *st) {
  diag *d = diag_new(stderr);
  arena *a = arena_new();
  page_doc *doc = sample_doc(role, info, a, d);
  CHECK(pdf_render(doc, out, st, d));
  CHECK_INT(diag_error_count(d), 0);
  write_file(path, out->data, out->len);
  page_doc_drop(doc);
  arena_drop(a);
  diag_drop(d);
}

TEST(header_and_catalog) {
  bbuf pdf = {0};
  render("宋体", &plain_info, "archive.pdf", &pdf, NULL);
  /* PDF 1.4, and a comment of four bytes >= 128 that marks it binary */
  CHECK(pdf.len > 15 && !memcmp(pdf.data, "%PDF-1.4\n%", 10));
  for (int i = 10; i < 14; i++)
    CHECK((unsigned char)pdf.data[i] >= 128);
  int st;
  char *catalog = run("qpdf --show-object=1 archive.pdf", &st);
  CHECK_INT(st, 0);
  CHECK_CONTAINS(catalog, "/Lang (zh-CN)");
  CHECK_CONTAINS(catalog, "/PageMode /UseOutlines");
  CHECK_CONTAINS(catalog, "/ViewerPreferences << /DisplayDocTitle true >>");
  CHECK_CONTAINS(catalog, "/OutputIntents [ << /DestOutputProfile ");
  CHECK_CONTAINS(catalog, "/Info (sRGB IEC61966-2.1) "
                          "/OutputConditionIdentifier (sRGB IEC61966-2.1) "
                          "/S /GTS_PDFA1 /Type /OutputIntent >> ]");
  CHECK_CONTAINS(catalog, "/Metadata ");
  free(catalog);
  bbuf_free(&pdf);
}

/* The XMP packet: uncompressed in the file (PDF/A-1 forbids a filter). */
static char *xmp_of(const bbuf *pdf) {
  const char *start = find(pdf->data, pdf->len, "<?xpacket begin=");
  const char *end = start ? strstr(start, "<?xpacket end=\"r\"?>") : NULL;
  CHECK(start && end);
  return start && end ? xstrndup(start, (size_t)(end - start) + 19) : xstrdup("");
}

TEST(xmp_says_what_the_info_dictionary_says) {
  bbuf pdf = {0};
  render("宋体", &plain_info, "archive.pdf", &pdf, NULL);
  char *xmp = xmp_of(&pdf);
  CHECK_CONTAINS(xmp, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>");
  CHECK_CONTAINS(xmp, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">预算公开</rdf:li>");
  CHECK_CONTAINS(xmp, "<dc:creator><rdf:Seq><rdf:li>测试</rdf:li></rdf:Seq></dc:creator>");
  CHECK_CONTAINS(xmp, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">2021年预算</rdf:li>");
  CHECK_CONTAINS(xmp, "<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>");
  CHECK_CONTAINS(xmp, "<xmp:CreatorTool>budgetpdf</xmp:CreatorTool>");
  CHECK_CONTAINS(xmp, "<xmp:CreateDate>2021-03-01T00:00:00</xmp:CreateDate>");
  CHECK_CONTAINS(xmp, "<pdf:Keywords>预算, 2021</pdf:Keywords>");
  CHECK_CONTAINS(xmp, "<pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>");
  CHECK_CONTAINS(xmp, "<pdfaid:part>1</pdfaid:part>");
  CHECK_CONTAINS(xmp, "<pdfaid:conformance>B</pdfaid:conformance>");
  CHECK(find(pdf.data, pdf.len, "/CreationDate (D:20210301000000)"));
  CHECK(find(pdf.data, pdf.len, "/Producer (Haru Free PDF Library 2.3.0)"));
  free(xmp);
  bbuf_free(&pdf);

  /* markup characters escaped; a zone given is written in both */
  page_doc_info odd = {.title = "A & B <c>", .creation_date = "2021-03-01T09:30:05+08:00"};
  bbuf pdf2 = {0};
  render("宋体", &odd, "archive2.pdf", &pdf2, NULL);
  xmp = xmp_of(&pdf2);
  CHECK_CONTAINS(xmp, ">A &amp; B &lt;c&gt;</rdf:li>");
  CHECK_CONTAINS(xmp, "<xmp:CreateDate>2021-03-01T09:30:05+08:00</xmp:CreateDate>");
  CHECK(!strstr(xmp, "dc:creator")); /* no Author, no dc:creator */
  CHECK(find(pdf2.data, pdf2.len, "/CreationDate (D:20210301093005+08'00')"));
  free(xmp);
  bbuf_free(&pdf2);
}

/* The /CIDSet streams of a file, decoded, via qpdf's QDF form. */
static size_t cid_sets(const char *path, char **sets, size_t *lens, size_t cap) {
  int st;
  bbuf b = {0};
  bbuf_printf(&b, "qpdf --qdf --object-streams=disable %s archive.qdf", path);
  free(run(b.data, &st));
  CHECK_INT(st, 0);
  size_t qlen;
  char *qdf = slurp_len("archive.qdf", &qlen);
  size_t n = 0;
  for (const char *p = qdf; (p = find(p, qlen - (size_t)(p - qdf), "/CIDSet ")) && n < cap;
       p++) {
    int obj = atoi(p + 8);
    b.len = 0;
    bbuf_printf(&b, "qpdf --show-object=%d --filtered-stream-data archive.qdf", obj);
    free(run(b.data, &st));
    CHECK_INT(st, 0);
    sets[n] = slurp_len("archive.out", &lens[n]);
    n++;
  }
  free(qdf);
  bbuf_free(&b);
  return n;
}

static size_t bits_set(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += (size_t)__builtin_popcount((unsigned char)s[i]);
  return n;
}

TEST(every_font_has_a_cid_set_of_its_program) {
  /* TrueType: CIDs are the subset's glyph ids, 0 (.notdef) … glyphs */
  bbuf pdf = {0};
  pdf_stats st = {0};
  render("宋体", &plain_info, "archive.pdf", &pdf, &st);
  char *sets[4];
  size_t lens[4];
  CHECK_INT(st.fonts, 1);
  if (cid_sets("archive.pdf", sets, lens, 4) != 1) {
    CHECK(!"one /CIDSet");
    return;
  }
  CHECK_INT(bits_set(sets[0], lens[0]), st.glyphs + 1);
  for (size_t cid = 0; cid <= st.glyphs; cid++)
    CHECK(sets[0][cid / 8] & (0x80 >> cid % 8));
  free(sets[0]);
  bbuf_free(&pdf);

  /* CID-keyed CFF (Noto Serif CJK): the CIDs of its charset, sparse */
  bbuf cff = {0};
  render("小标宋", &plain_info, "archive-cff.pdf", &cff, &st);
  CHECK_INT(st.fonts, 1);
  if (cid_sets("archive-cff.pdf", sets, lens, 4) != 1) {
    CHECK(!"one /CIDSet");
    return;
  }
  CHECK_INT(bits_set(sets[0], lens[0]), st.glyphs + 1);
  CHECK(lens[0] > (st.glyphs + 1) / 8 + 1); /* CIDs beyond the glyph count */
  CHECK(sets[0][0] & 0x80);                 /* CID 0 */
  free(sets[0]);
  bbuf_free(&cff);
}

TEST(destinations_are_direct_and_links_print) {
  bbuf pdf = {0};
  render("宋体", &plain_info, "archive.pdf", &pdf, NULL);
  int st;
  free(run("qpdf --qdf --object-streams=disable archive.pdf archive.qdf", &st));
  CHECK_INT(st, 0);
  size_t qlen;
  char *qdf = slurp_len("archive.qdf", &qlen);
  size_t direct = 0, indirect = 0;
  for (const char *p = qdf; (p = find(p, qlen - (size_t)(p - qdf), "/Dest ")); p++)
    p[6] == '[' ? direct++ : indirect++;
  CHECK_INT(direct, 2); /* the outline entry and the link */
  CHECK_INT(indirect, 0);
  CHECK(find(qdf, qlen, "  /F 4\n")); /* only annotations have /F */
  free(qdf);
  bbuf_free(&pdf);
}

TEST(trailer_id_is_the_hash_of_the_file) {
  bbuf pdf = {0}, again = {0}, other = {0};
  render("宋体", &plain_info, "archive.pdf", &pdf, NULL);
  render("宋体", &plain_info, "archive-again.pdf", &again, NULL);
  CHECK(pdf.len == again.len && !memcmp(pdf.data, again.data, pdf.len));
  page_doc_info changed = plain_info;
  changed.title = "预算公开（修订）";
  render("宋体", &changed, "archive-other.pdf", &other, NULL);

  /* /ID [ <h> <h> ]: h is the XXH3-128 of the file with both h zeroed,
   * as xxhsum (the xxhash package) computes it */
  char *id = find(pdf.data, pdf.len, "/ID [ <");
  CHECK(id != NULL);
  if (!id)
    return;
  char hex[33];
  memcpy(hex, id + 7, 32);
  hex[32] = 0;
  CHECK(!strncmp(id + 39, "> <", 3) && !strncmp(id + 42, hex, 32));
  CHECK(strspn(hex, "0123456789ABCDEF") == 32 && strcmp(hex, "00000000000000000000000000000000"));
  memset(id + 7, '0', 32);
  memset(id + 42, '0', 32);
  write_file("archive.zeroed", pdf.data, pdf.len);
  int st;
  char *sum = run("xxhsum -H2 archive.zeroed | tr a-f A-F", &st);
  CHECK_INT(st, 0);
  CHECK(!strncmp(sum, hex, 32));
  free(sum);
  char *other_id = find(other.data, other.len, "/ID [ <");
  CHECK(other_id && strncmp(other_id + 7, hex, 32));
  bbuf_free(&pdf);
  bbuf_free(&again);
  bbuf_free(&other);
}

/* PDF/A-1 allows an array 8191 elements: a longer document's pages hang
 * from nodes of 4096 under the root. */
TEST(a_page_tree_of_more_than_8191_pages_has_nodes) {
  diag *d = diag_new(stderr);
  page_doc *doc = page_doc_new();
  for (int i = 0; i < 8200; i++)
    page_doc_add_page(doc, 595.28, 841.89);
  bbuf pdf = {0};
  CHECK(pdf_render(doc, &pdf, NULL, d));
  write_file("archive-long.pdf", pdf.data, pdf.len);
  int st;
  char *root = run("qpdf --show-object=2 archive-long.pdf", &st);
  CHECK_INT(st, 0);
  CHECK_CONTAINS(root, "/Count 8200 /Kids [ ");
  size_t kids = 0;
  for (const char *p = strstr(root, "/Kids ["); p && (p = strstr(p + 1, " R")); )
    kids++;
  CHECK_INT(kids, 3); /* 4096 + 4096 + 8 */
  free(root);
  char *check = run("qpdf --check archive-long.pdf && pdfinfo archive-long.pdf | grep Pages:", &st);
  CHECK_INT(st, 0);
  CHECK_CONTAINS(check, "Pages:           8200");
  free(check);
  bbuf_free(&pdf);
  page_doc_drop(doc);
  diag_drop(d);
}

/* Render the sample with the settings text given (written to
 * settings.yaml); the diagnostics printed. */
static char *render_with_settings(const char *settings) {
  write_file("settings.yaml", settings, strlen(settings));
  captured_diag cap;
  diag *d = diag_new(capture_open(&cap));
  arena *a = arena_new();
  page_doc *doc = sample_doc("宋体", &plain_info, a, d);
  bbuf pdf = {0};
  bool ok = pdf_render_with(doc, &(pdf_options){.settings = "settings.yaml"}, &pdf, NULL, d);
  char *text = xstrdup(capture_text(&cap));
  CHECK(ok == (diag_error_count(d) == 0));
  bbuf_free(&pdf);
  page_doc_drop(doc);
  arena_drop(a);
  diag_drop(d);
  capture_close(&cap);
  return text;
}

/* An ICC header of the given version, class and colour space (only the
 * 128-byte header and an empty tag table: enough for the checks). */
static void write_icc(const char *path, int major, const char *cls, const char *space) {
  unsigned char h[132] = {0};
  h[3] = 132;
  h[8] = (unsigned char)major;
  memcpy(h + 12, cls, 4);
  memcpy(h + 16, space, 4);
  memcpy(h + 20, "XYZ ", 4);
  memcpy(h + 36, "acsp", 4);
  write_file(path, h, sizeof h);
}

TEST(settings_mistakes_are_reported_where_they_are) {
  char *out = render_with_settings("language: zh-CN\n"
                                   "output_intent:\n"
                                   "  profile: /usr/share/color/icc/sRGB.icc\n"
                                   "  identifier: sRGB IEC61966-2.1\n");
  CHECK_STR(out, "");
  free(out);

  out = render_with_settings("languge: zh-CN\n"
                             "output_intent:\n"
                             "  profile: /usr/share/color/icc/sRGB.icc\n"
                             "  identifier: sRGB\n");
  CHECK_CONTAINS(out, "settings.yaml:1:1: error: unknown key 'languge' in the PDF settings; did you mean 'language'?");
  CHECK_CONTAINS(out, "settings.yaml:1:1: error: missing key 'language' in the PDF settings");
  free(out);

  out = render_with_settings("language: 中文\n"
                             "output_intent:\n"
                             "  profile: /usr/share/color/icc/sRGB.icc\n");
  CHECK_CONTAINS(out, "settings.yaml:1:11: error: language '中文' is not a language tag such as zh-CN");
  CHECK_CONTAINS(out, "settings.yaml:3:3: error: missing key 'identifier' in output_intent");
  free(out);

  out = render_with_settings("language: zh-CN\n"
                             "output_intent:\n"
                             "  profile: settings.yaml\n"
                             "  identifier: sRGB\n");
  CHECK_CONTAINS(out, "settings.yaml:3:12: error: the colour profile 'settings.yaml' is not an "
                      "ICC profile (no 'acsp' header of its own size)");
  free(out);

  write_icc("v4.icc", 4, "mntr", "RGB ");
  out = render_with_settings("language: zh-CN\n"
                             "output_intent:\n"
                             "  profile: v4.icc\n"
                             "  identifier: sRGB\n");
  CHECK_CONTAINS(out, "settings.yaml:3:12: error: the colour profile 'v4.icc' is an ICC version "
                      "4.0 profile; PDF/A-1 takes version 2 (PDF 1.4)");
  free(out);

  write_icc("scanner.icc", 2, "scnr", "RGB ");
  out = render_with_settings("language: zh-CN\n"
                             "output_intent:\n"
                             "  profile: scanner.icc\n"
                             "  identifier: sRGB\n");
  CHECK_CONTAINS(out, "is a 'scnr' profile; an output intent needs a monitor (mntr) or printer "
                      "(prtr) profile");
  free(out);

  write_icc("lab.icc", 2, "mntr", "Lab ");
  out = render_with_settings("language: zh-CN\n"
                             "output_intent:\n"
                             "  profile: lab.icc\n"
                             "  identifier: Lab\n");
  CHECK_CONTAINS(out, "describes neither gray, RGB nor CMYK");
  free(out);

  out = render_with_settings("language: zh-CN\n"
                             "output_intent:\n"
                             "  profile: /nonexistent/none.icc\n"
                             "  identifier: \"sRGB\\n\"\n");
  CHECK_CONTAINS(out, "settings.yaml:4:15: error: identifier must be 1 to 127 printable ASCII characters");
  CHECK_CONTAINS(out, "/nonexistent/none.icc");
  free(out);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  diag *d = diag_new(NULL);
  defaults = text_fonts_load(SOURCE_DIR "/fonts/fonts.yaml", d);
  if (!defaults)
    return 1;
  RUN(header_and_catalog);
  RUN(xmp_says_what_the_info_dictionary_says);
  RUN(every_font_has_a_cid_set_of_its_program);
  RUN(destinations_are_direct_and_links_print);
  RUN(trailer_id_is_the_hash_of_the_file);
  RUN(a_page_tree_of_more_than_8191_pages_has_nodes);
  RUN(settings_mistakes_are_reported_where_they_are);
  text_fonts_drop(defaults);
  diag_drop(d);
  return harness_done();
}
