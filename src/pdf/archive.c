/* SPDX-License-Identifier: MIT */
/* archive.c — what makes the PDF an archival file, PDF/A-1b (ISO 19005-1,
 * in China GB/T 23286.1): the settings file that names the document's
 * language and the output intent's ICC profile (fonts/pdf.yaml: a profile
 * Debian installs, never bytes typed into C), that profile read and
 * checked against what PDF/A-1 accepts, and the XMP metadata packet,
 * which must say what the document information dictionary says.
 *
 * No libharu here: haru.c puts the results into the document. */
#include "pdf_private.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_PROFILE_BYTES = 4 << 20 };

void pdf_settings_drop(pdf_settings *s) {
  if (!s)
    return;
  free(s->lang);
  free(s->condition);
  free(s->zicc);
  free(s);
}

void pdf_archive_free(pdf_archive *a) {
  bbuf_free(&a->xmp);
  memset(a, 0, sizeof *a);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Read and check the ICC profile at path (named at pos): an output
 * intent of PDF/A-1 is a monitor or printer profile (device class mntr
 * or prtr) of ICC version 2 — PDF 1.4 knows no later one — in gray, RGB
 * or CMYK.  Keeps it compressed in a. */
static bool load_profile(pdf_settings *a, const char *path, src_pos pos, diag *d) {
  size_t len;
  unsigned char *icc = (unsigned char *)file_read_all(path, MAX_PROFILE_BYTES, &len, d);
  if (!icc)
    return false;
  const char *why = NULL;
  char buf[120];
  if (len < 132 || memcmp(icc + 36, "acsp", 4) || be32(icc) != len) {
    why = "is not an ICC profile (no 'acsp' header of its own size)";
  } else if (icc[8] != 2) {
    snprintf(buf, sizeof buf,
             "is an ICC version %u.%u profile; PDF/A-1 takes version 2 (PDF 1.4)",
             icc[8], icc[9] >> 4);
    why = buf;
  } else if (memcmp(icc + 12, "mntr", 4) && memcmp(icc + 12, "prtr", 4)) {
    snprintf(buf, sizeof buf,
             "is a '%.4s' profile; an output intent needs a monitor (mntr) or "
             "printer (prtr) profile",
             (const char *)icc + 12);
    why = buf;
  } else {
    a->icc_components = !memcmp(icc + 16, "GRAY", 4)   ? 1
                        : !memcmp(icc + 16, "RGB ", 4) ? 3
                        : !memcmp(icc + 16, "CMYK", 4) ? 4
                                                       : 0;
    if (!a->icc_components)
      why = "describes neither gray, RGB nor CMYK";
  }
  if (why) {
    diag_error(d, DIAG_SCHEMA, pos, "the colour profile '%s' %s", path, why);
    free(icc);
    return false;
  }
  struct libdeflate_compressor *z = libdeflate_alloc_compressor(9);
  if (!z)
    out_of_memory();
  size_t bound = libdeflate_zlib_compress_bound(z, len);
  a->zicc = xmalloc(bound);
  a->zicc_len = libdeflate_zlib_compress(z, icc, len, a->zicc, bound);
  libdeflate_free_compressor(z);
  free(icc);
  return a->zicc_len > 0;
}

/* A language tag (BCP 47: "zh-CN"): letters, digits and hyphens. */
static bool is_language_tag(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 35 || s[0] == '-' || s[n - 1] == '-')
    return false;
  for (; *s; s++)
    if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
          ('0' <= *s && *s <= '9') || *s == '-'))
      return false;
  return true;
}

/* Printable ASCII: the identifier is written as a PDF string as it is. */
static bool is_printable_ascii(const char *s) {
  if (!*s || strlen(s) > 127)
    return false;
  for (; *s; s++)
    if (*s < 0x20 || *s > 0x7E)
      return false;
  return true;
}

/* The scalar under key, or NULL after reporting it missing or not a
 * scalar; *node is where it is. */
static const char *required_scalar(const ynode *map, const char *key, const char *what,
                                   const ynode **node, diag *d) {
  *node = ymap_require(map, key, what, d);
  return *node ? ynode_scalar(*node, key, d) : NULL;
}

pdf_settings *pdf_settings_load(const char *path, diag *d) {
  pdf_settings *a = xcalloc(1, sizeof *a);
  int errors = diag_error_count(d);
  arena *ar = arena_new();
  const ynode *root = yaml_tree_load(ar, path, &yaml_default_limits, d);
  if (!root || !ynode_expect(root, YNODE_MAP, "the PDF settings", d))
    goto done;
  static const char *const top_keys[] = {"language", "output_intent", NULL};
  static const char *const intent_keys[] = {"profile", "identifier", NULL};
  ymap_check_keys(root, top_keys, "the PDF settings", d);
  const ynode *lang_node;
  const char *lang = required_scalar(root, "language", "the PDF settings", &lang_node, d);
  if (lang && !is_language_tag(lang))
    diag_error(d, DIAG_SCHEMA, lang_node->pos,
               "language '%s' is not a language tag such as zh-CN", lang);
  else if (lang)
    a->lang = xstrdup(lang);
  const ynode *intent = ymap_require(root, "output_intent", "the PDF settings", d);
  if (!intent || !ynode_expect(intent, YNODE_MAP, "output_intent", d))
    goto done;
  ymap_check_keys(intent, intent_keys, "output_intent", d);
  const ynode *id_node, *profile_node;
  const char *id = required_scalar(intent, "identifier", "output_intent", &id_node, d);
  if (id && !is_printable_ascii(id))
    diag_error(d, DIAG_SCHEMA, id_node->pos,
               "identifier must be 1 to 127 printable ASCII characters");
  else if (id)
    a->condition = xstrdup(id);
  const char *profile = required_scalar(intent, "profile", "output_intent", &profile_node, d);
  if (profile) {
    /* relative to the settings file, as font files are to fonts.yaml */
    const char *slash = strrchr(path, '/');
    const char *full = profile[0] == '/' || !slash
                           ? profile
                           : arena_printf(ar, "%.*s/%s", (int)(slash - path), path, profile);
    load_profile(a, full, profile_node->pos, d);
  }
done:
  arena_drop(ar);
  if (diag_error_count(d) > errors) {
    pdf_settings_drop(a);
    return NULL;
  }
  return a;
}

/* ---------------------------------------------------------------- XMP */

/* Text as XML character data.  Characters XML 1.0 cannot hold (C0
 * controls other than tab and newlines) become spaces. */
static void put_xml_text(bbuf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': bbuf_puts(b, "&amp;"); break;
    case '<': bbuf_puts(b, "&lt;"); break;
    case '>': bbuf_puts(b, "&gt;"); break;
    default:
      if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
        bbuf_append(b, " ", 1);
      else
        bbuf_append(b, s, 1);
    }
  }
}

static void put_element(bbuf *b, const char *name, const char *text) {
  bbuf_printf(b, "   <%s>", name);
  put_xml_text(b, text);
  bbuf_printf(b, "</%s>\n", name);
}

/* dc:title and dc:description are language alternatives; dc:creator an
 * ordered list (of one: the Info dictionary's Author). */
static void put_alt(bbuf *b, const char *name, const char *text) {
  bbuf_printf(b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", name);
  put_xml_text(b, text);
  bbuf_printf(b, "</rdf:li></rdf:Alt></%s>\n", name);
}

static bool given(const char *s) { return s && *s; }

void pdf_archive_build_xmp(pdf_archive *a, const page_doc_info *in,
                           const char *producer, const char *created) {
  bbuf *b = &a->xmp;
  b->len = 0;
  /* begin="BOM": the packet is UTF-8; no bytes= or encoding= (PDF/A-1
   * forbids them). */
  bbuf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
               " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
  bbuf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
               "   <dc:format>application/pdf</dc:format>\n");
  if (given(in->title))
    put_alt(b, "dc:title", in->title);
  if (given(in->author)) {
    bbuf_puts(b, "   <dc:creator><rdf:Seq><rdf:li>");
    put_xml_text(b, in->author);
    bbuf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  if (given(in->subject))
    put_alt(b, "dc:description", in->subject);
  if (a->settings->lang)
    bbuf_printf(b, "   <dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n",
                a->settings->lang);
  bbuf_puts(b, "  </rdf:Description>\n");
  bbuf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
  if (given(in->creator))
    put_element(b, "xmp:CreatorTool", in->creator);
  if (given(created))
    put_element(b, "xmp:CreateDate", created);
  bbuf_puts(b, "  </rdf:Description>\n");
  bbuf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
  if (given(producer))
    put_element(b, "pdf:Producer", producer);
  if (given(in->keywords))
    put_element(b, "pdf:Keywords", in->keywords);
  bbuf_puts(b, "  </rdf:Description>\n");
  bbuf_puts(b, "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
               "   <pdfaid:part>1</pdfaid:part>\n"
               "   <pdfaid:conformance>B</pdfaid:conformance>\n"
               "  </rdf:Description>\n"
               " </rdf:RDF>\n"
               "</x:xmpmeta>\n"
               "<?xpacket end=\"r\"?>");
}
