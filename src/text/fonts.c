/* SPDX-License-Identifier: MIT */
/* fonts.c — font roles and faces: fonts.yaml, user font files, fontconfig
 * look-ups, and the checks that keep a bad font out of the PDF.
 *
 * A face is its file mapped read-only with a HarfBuzz blob over the
 * mapping (no copy).  Before HarfBuzz sees the bytes the sfnt header and
 * table directory are checked against the file size, because neither
 * HarfBuzz nor FreeType reports a truncated file as such: HarfBuzz turns a
 * cut table into an empty one and shapes everything as .notdef.  The OS/2
 * fsType is checked here too, so a font whose licence forbids embedding is
 * refused before any work is done with it. */
#define _DEFAULT_SOURCE 1 /* strcasecmp, realpath */
#include "text_private.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- sfnt */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}
static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

#define TAG(a, b, c, d)                                                        \
  ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* fsType bits (OpenType OS/2): what the licence allows. */
enum {
  FSTYPE_RESTRICTED = 0x0002, /* no embedding at all */
  FSTYPE_NO_SUBSETTING = 0x0100,
  FSTYPE_BITMAP_ONLY = 0x0200
};

/* A table tag for a message: four printable ASCII characters as they are,
 * any other byte as \xNN (a NUL in a tag would cut the message short, an
 * ESC would reach the terminal). */
typedef struct tag_text {
  char s[17];
} tag_text;

static tag_text tag_for_message(uint32_t t) {
  tag_text out;
  char *p = out.s;
  for (int shift = 24; shift >= 0; shift -= 8) {
    unsigned c = (t >> shift) & 0xFF;
    if (c >= 0x20 && c < 0x7F && c != '\\')
      *p++ = (char)c;
    else
      p += sprintf(p, "\\x%02x", c);
  }
  *p = 0;
  return out;
}

typedef struct sfnt_facts {
  bool cff;
  unsigned fs_type;
} sfnt_facts;

/* Check the header, the table directory and the licence of face `index`
 * in the file bytes.  On failure writes the reason to why. */
static bool sfnt_check(const unsigned char *b, size_t len, unsigned index,
                       sfnt_facts *facts, char *why, size_t whylen) {
  if (len < 12) {
    snprintf(why, whylen, _("not a font file (only %zu bytes)"), len);
    return false;
  }
  uint32_t tag = be32(b);
  size_t off = 0;
  if (tag == TAG('t', 't', 'c', 'f')) {
    uint32_t nfaces = be32(b + 8);
    if (len < 12 + (size_t)nfaces * 4) {
      snprintf(why, whylen, _("truncated (collection header cut short)"));
      return false;
    }
    if (index >= nfaces) {
      snprintf(why, whylen,
               _("face index %u out of range (the collection has %u faces)"),
               index, nfaces);
      return false;
    }
    off = be32(b + 12 + (size_t)index * 4);
    if (off + 12 > len) {
      snprintf(why, whylen, _("truncated (face %u starts past the end)"), index);
      return false;
    }
    tag = be32(b + off);
  } else if (index > 0) {
    snprintf(why, whylen,
             _("face index %u given, but the file is not a collection"), index);
    return false;
  }
  if (tag == TAG('w', 'O', 'F', 'F') || tag == TAG('w', 'O', 'F', '2')) {
    snprintf(why, whylen, _("WOFF web fonts are not supported; use the .ttf/.otf"));
    return false;
  }
  if (tag != 0x00010000 && tag != TAG('O', 'T', 'T', 'O') &&
      tag != TAG('t', 'r', 'u', 'e')) {
    snprintf(why, whylen, _("not a TrueType or OpenType font"));
    return false;
  }
  unsigned ntables = be16(b + off + 4);
  if (off + 12 + (size_t)ntables * 16 > len) {
    snprintf(why, whylen, _("truncated (table directory cut short)"));
    return false;
  }
  bool has[6] = {0};
  static const uint32_t wanted[6] = {TAG('c', 'm', 'a', 'p'), TAG('h', 'e', 'a', 'd'),
                                     TAG('h', 'h', 'e', 'a'), TAG('h', 'm', 't', 'x'),
                                     TAG('m', 'a', 'x', 'p'), 0};
  bool glyf = false, loca = false, cff = false, cff2 = false;
  facts->fs_type = 0;
  for (unsigned i = 0; i < ntables; i++) {
    const unsigned char *rec = b + off + 12 + (size_t)i * 16;
    uint32_t t = be32(rec);
    uint64_t toff = be32(rec + 8), tlen = be32(rec + 12);
    if (toff + tlen > len) {
      snprintf(why, whylen, _("truncated (table '%s' ends at byte %llu of %zu)"),
               tag_for_message(t).s, (unsigned long long)(toff + tlen), len);
      return false;
    }
    for (int k = 0; wanted[k]; k++)
      if (t == wanted[k])
        has[k] = true;
    glyf |= t == TAG('g', 'l', 'y', 'f');
    loca |= t == TAG('l', 'o', 'c', 'a');
    cff |= t == TAG('C', 'F', 'F', ' ');
    cff2 |= t == TAG('C', 'F', 'F', '2');
    if (t == TAG('O', 'S', '/', '2') && tlen >= 10)
      facts->fs_type = be16(b + toff + 8);
    if (t == TAG('h', 'e', 'a', 'd')) {
      /* HarfBuzz reads a unitsPerEm outside 16–16384 as 1000, FreeType
       * as what it is: the two would disagree on every advance. */
      unsigned upem = tlen >= 20 ? be16(b + toff + 18) : 0;
      if (upem < 16 || upem > 16384) {
        snprintf(why, whylen,
                 "not a usable font (head.unitsPerEm is %u; a font has 16 to "
                 "16384 units per em)",
                 upem);
        return false;
      }
    }
  }
  for (int k = 0; wanted[k]; k++)
    if (!has[k]) {
      snprintf(why, whylen, _("not a usable font (no '%s' table)"),
               tag_for_message(wanted[k]).s);
      return false;
    }
  if (!(glyf && loca) && !cff) {
    snprintf(why, whylen, cff2 ? _("CFF2 (variable) outlines are not supported")
                               : _("not a usable font (no glyph outlines)"));
    return false;
  }
  facts->cff = cff && !glyf;
  if (facts->fs_type & FSTYPE_RESTRICTED) {
    snprintf(why, whylen,
             _("its licence forbids embedding (OS/2 fsType 0x%04x: restricted "
             "licence); a PDF cannot use it"),
             facts->fs_type);
    return false;
  }
  if (facts->fs_type & FSTYPE_BITMAP_ONLY) {
    snprintf(why, whylen,
             _("its licence allows embedding bitmaps only (OS/2 fsType 0x%04x)"),
             facts->fs_type);
    return false;
  }
  if (facts->fs_type & FSTYPE_NO_SUBSETTING) {
    snprintf(why, whylen,
             _("its licence forbids subsetting (OS/2 fsType 0x%04x); budgetpdf "
             "embeds subsets only"),
             facts->fs_type);
    return false;
  }
  return true;
}

/* ---------------------------------------------------------------- faces */

/* PostScript names go into the PDF as names: keep them plain. */
static char *plain_name(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1), *q = p;
  for (; *s; s++)
    if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
        (*s >= '0' && *s <= '9') || *s == '-')
      *q++ = *s;
  *q = 0;
  return p;
}

static char *name_entry(hb_face_t *face, hb_ot_name_id_t id) {
  char buf[256];
  unsigned len = sizeof buf;
  unsigned n = hb_ot_name_get_utf8(face, id, hb_language_from_string("en", 2),
                                   &len, buf);
  if (n == 0) {
    len = sizeof buf;
    n = hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf);
  }
  return n ? xstrdup(buf) : NULL;
}

static void face_drop(text_face *face) {
  if (!face)
    return;
  hb_font_destroy(face->hb_font);
  hb_face_destroy(face->hb_face);
  hb_blob_destroy(face->blob);
  if (face->map && face->map_slot >= 0) {
    filemap_unregister(face->map_slot);
    munmap(face->map, face->map_len);
  } else {
    free(face->map);
  }
  if (face->fd >= 0)
    close(face->fd);
  free(face->path);
  free(face->ink);
  free(face->ps_name);
  free(face->label);
  free(face);
}

/* Open face `index` of `path`, or return NULL with the reason in why. */
static text_face *face_open(const char *path, unsigned index, char *why,
                            size_t whylen) {
  /* O_NONBLOCK: a FIFO named as a font would block open() for ever; the
   * fstat below refuses it instead. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    snprintf(why, whylen, _("cannot open: %s"), strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, whylen, _("not a regular file"));
    close(fd);
    return NULL;
  }
  size_t len = (size_t)st.st_size;
  if ((uint64_t)st.st_size > UINT32_MAX) { /* a HarfBuzz blob's length */
    snprintf(why, whylen, "too large for a font (%lld bytes)",
             (long long)st.st_size);
    close(fd);
    return NULL;
  }
  void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
  if (len && map == MAP_FAILED) {
    close(fd);
    if (errno == ENOMEM) /* the address space, not the font */
      out_of_memory();
    snprintf(why, whylen, _("cannot map: %s"), strerror(errno));
    return NULL;
  }
  /* Reads of a mapping the file was cut short under are answered with
   * zeros and remembered (filemap.c); with no slot left, a copy. */
  int slot = map ? filemap_register(map, len) : -1;
  if (map && slot < 0) {
    void *copy = xmalloc(len);
    bool read_ok = pread(fd, copy, len, 0) == (ssize_t)len;
    munmap(map, len);
    map = copy;
    if (!read_ok) {
      snprintf(why, whylen, "cannot read: %s", strerror(errno));
      free(copy);
      close(fd);
      return NULL;
    }
  }
  text_face *face = xcalloc(1, sizeof *face);
  face->path = xstrdup(path);
  face->index = index;
  face->map = map;
  face->map_len = len;
  face->map_slot = slot;
  face->fd = fd;
  face->opened_size = (long long)st.st_size;
  face->opened_mtime_ns =
      (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  sfnt_facts facts;
  if (!sfnt_check(map, len, index, &facts, why, whylen)) {
    face_drop(face);
    return NULL;
  }
  face->cff = facts.cff;
  face->blob = hb_blob_create(map, (unsigned)len, HB_MEMORY_MODE_READONLY,
                              NULL, NULL);
  /* HarfBuzz answers a failed allocation with its empty objects: that is
   * out of memory, not a bad font. */
  if (len && face->blob == hb_blob_get_empty())
    out_of_memory();
  face->hb_face = hb_face_create(face->blob, index);
  if (face->hb_face == hb_face_get_empty())
    out_of_memory();
  face->upem = hb_face_get_upem(face->hb_face);
  face->nglyphs = hb_face_get_glyph_count(face->hb_face);
  if (face->nglyphs == 0 || face->upem == 0) {
    snprintf(why, whylen, _("not a usable font (HarfBuzz finds no glyphs)"));
    face_drop(face);
    return NULL;
  }
  face->hb_font = hb_font_create(face->hb_face);
  if (face->hb_font == hb_font_get_empty())
    out_of_memory();
  hb_font_set_scale(face->hb_font, (int)face->upem, (int)face->upem);
  face->ink = xcalloc(face->nglyphs, 1);
  char *ps = name_entry(face->hb_face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
  face->ps_name = plain_name(ps ? ps : "");
  free(ps);
  if (!face->ps_name[0]) {
    free(face->ps_name);
    face->ps_name = xstrdup("Font");
  }
  char *family = name_entry(face->hb_face, HB_OT_NAME_ID_FONT_FAMILY);
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  bbuf label = {0};
  bbuf_printf(&label, "%s (%s", family ? family : face->ps_name, base);
  if (index)
    bbuf_printf(&label, "#%u", index);
  bbuf_puts(&label, ")");
  face->label = label.data;
  free(family);
  return face;
}

/* The face for path#index, opened once per text_fonts. */
static text_face *fonts_face(text_fonts *f, const char *path, unsigned index,
                             char *why, size_t whylen) {
  for (size_t i = 0; i < f->nfaces; i++)
    if (f->faces[i]->index == index && !strcmp(f->faces[i]->path, path))
      return f->faces[i];
  text_face *face = face_open(path, index, why, whylen);
  if (!face)
    return NULL;
  XGROW(f->faces, f->capfaces, f->nfaces + 1);
  f->faces[f->nfaces++] = face;
  return face;
}

/* ---------------------------------------------------------------- fontconfig */

/* FcInit reads every configuration and cache file (about 6 ms here), so it
 * runs only when a family has to be looked up.  Fontconfig's state is
 * process-wide: count the text_fonts that use it and finalise with the
 * last, so leak checkers see a clean exit. */
static int fc_users;

static bool fc_ready(text_fonts *f) {
  if (f->fc_ready)
    return true;
  if (f->fc_failed)
    return false;
  if (!FcInit()) {
    f->fc_failed = true;
    return false;
  }
  f->fc_ready = true;
  fc_users++;
  return true;
}

static bool fc_value_is(FcPattern *p, const char *object, const char *want) {
  FcChar8 *s;
  for (int i = 0; FcPatternGetString(p, object, i, &s) == FcResultMatch; i++)
    if (!strcasecmp((const char *)s, want))
      return true;
  return false;
}

/* Find an installed face of family (and style).  Fontconfig always returns
 * its best match, so the match's family (and style) are checked: a role
 * asking for a font that is not there must fall back visibly, not quietly
 * get DejaVu. */
static bool fc_find(text_fonts *f, const char *family, const char *style,
                    char **path, unsigned *index) {
  if (!fc_ready(f))
    return false;
  FcPattern *p = FcPatternCreate();
  FcPatternAddString(p, FC_FAMILY, (const FcChar8 *)family);
  if (style)
    FcPatternAddString(p, FC_STYLE, (const FcChar8 *)style);
  FcConfigSubstitute(NULL, p, FcMatchPattern);
  FcDefaultSubstitute(p);
  FcResult res;
  FcPattern *m = FcFontMatch(NULL, p, &res);
  FcPatternDestroy(p);
  bool ok = false;
  FcChar8 *file;
  int idx = 0;
  if (m && fc_value_is(m, FC_FAMILY, family) &&
      (!style || fc_value_is(m, FC_STYLE, style)) &&
      FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
    FcPatternGetInteger(m, FC_INDEX, 0, &idx);
    *path = xstrdup((const char *)file);
    *index = (unsigned)idx;
    ok = true;
  }
  if (m)
    FcPatternDestroy(m);
  return ok;
}

/* ---------------------------------------------------------------- roles */

static font_role *role_by_name(text_fonts *f, const char *name) {
  for (size_t i = 0; i < f->nroles; i++)
    if (!strcmp(f->roles[i].name, name))
      return &f->roles[i];
  return NULL;
}

static font_role *role_add(text_fonts *f, const char *name, src_pos pos) {
  XGROW(f->roles, f->caproles, f->nroles + 1);
  font_role *r = &f->roles[f->nroles++];
  memset(r, 0, sizeof *r);
  r->name = xstrdup(name);
  r->pos = pos;
  return r;
}

static void cand_free(font_candidate *c) {
  free(c->exclude);
  free(c->family);
  free(c->style);
  free(c->file);
}

bool candidate_excludes(const font_candidate *c, uint32_t cp) {
  for (size_t i = 0; i < c->nexclude; i++)
    if (c->exclude[i] == cp)
      return true;
  return false;
}

text_face *fonts_candidate_face(text_fonts *f, font_role *r, size_t k,
                                diag *d) {
  font_candidate *c = &r->cands[k];
  if (c->state == CAND_OK)
    return c->face;
  if (c->state == CAND_FAILED)
    return NULL;
  char why[256];
  c->state = CAND_FAILED;
  if (c->file && (!c->family || access(c->file, F_OK) == 0)) {
    c->face = fonts_face(f, c->file, c->index, why, sizeof why);
    if (!c->face) {
      diag_error(d, DIAG_FONT, c->pos, "font file %s: %s", c->file, why);
      return NULL;
    }
  } else {
    char *path = NULL;
    unsigned index = 0;
    if (!fc_find(f, c->family, c->style, &path, &index)) {
      diag_warning(d, DIAG_FONT, c->pos,
                   "font family '%s'%s%s is not installed; role %s falls back "
                   "to its next candidate",
                   c->family, c->style ? " style " : "", c->style ? c->style : "",
                   r->name);
      return NULL;
    }
    c->face = fonts_face(f, path, index, why, sizeof why);
    if (!c->face)
      diag_error(d, DIAG_FONT, c->pos, "font file %s (family '%s'): %s", path,
                 c->family, why);
    free(path);
    if (!c->face)
      return NULL;
  }
  c->state = CAND_OK;
  return c->face;
}

/* ---------------------------------------------------------------- loading */

/* "dir of yaml" + rel, unless rel is absolute. */
static char *path_beside(const char *yaml_path, const char *rel) {
  if (rel[0] == '/')
    return xstrdup(rel);
  const char *slash = strrchr(yaml_path, '/');
  if (!slash)
    return xstrdup(rel);
  bbuf b = {0};
  bbuf_append(&b, yaml_path, (size_t)(slash - yaml_path + 1));
  bbuf_puts(&b, rel);
  return b.data;
}

static bool scalar_of(const ynode *n, const char *what, diag *d,
                      const char **out) {
  if (!ynode_expect(n, YNODE_SCALAR, what, d))
    return false;
  if (n->u.scalar.len == 0) {
    diag_error(d, DIAG_SCHEMA, n->pos, "%s must not be empty", what);
    return false;
  }
  *out = n->u.scalar.text;
  return true;
}

static bool load_candidate(font_role *r, const ynode *n, const char *yaml_path,
                           diag *d) {
  static const char *const keys[] = {"family", "style", "file", "index",
                                     "exclude", NULL};
  if (!ynode_expect(n, YNODE_MAP, "a font candidate", d))
    return false;
  bool ok = ymap_check_keys(n, keys, "a font candidate", d);
  const ynode *family = ymap_lookup(n, "family"), *style = ymap_lookup(n, "style"),
              *file = ymap_lookup(n, "file"), *index = ymap_lookup(n, "index");
  font_candidate c = {0};
  c.pos = n->pos; /* the tree's file name lives in its arena: intern it */
  c.pos.file = diag_intern_file(d, n->pos.file);
  const char *s;
  if (family && scalar_of(family, "family", d, &s))
    c.family = xstrdup(s);
  else if (family)
    ok = false;
  if (style && scalar_of(style, "style", d, &s))
    c.style = xstrdup(s);
  else if (style)
    ok = false;
  if (file && scalar_of(file, "file", d, &s))
    c.file = path_beside(yaml_path, s);
  else if (file)
    ok = false;
  if (index) {
    char *end;
    long v = -1;
    if (ynode_expect(index, YNODE_SCALAR, "index", d))
      v = strtol(index->u.scalar.text, &end, 10);
    if (v < 0 || v > 65535 || *end || !index->u.scalar.len) {
      diag_error(d, DIAG_SCHEMA, index->pos,
                 "index must be a face number 0…65535");
      ok = false;
    } else {
      c.index = (unsigned)v;
    }
  }
  const ynode *exclude = ymap_lookup(n, "exclude");
  if (exclude && ynode_expect(exclude, YNODE_SCALAR, "exclude", d)) {
    const char *p = exclude->u.scalar.text;
    size_t len = exclude->u.scalar.len;
    c.exclude = xmalloc((len + 1) * sizeof *c.exclude);
    for (size_t i = 0; i < len;) {
      uint32_t cp;
      size_t k = utf8_decode(p + i, len - i, &cp);
      if (!k)
        break; /* the YAML reader guarantees valid UTF-8 */
      c.exclude[c.nexclude++] = cp;
      i += k;
    }
  } else if (exclude) {
    ok = false;
  }
  if (ok && !c.family && !c.file) {
    diag_error(d, DIAG_SCHEMA, n->pos,
               "a font candidate needs a 'family' or a 'file'");
    ok = false;
  }
  if (ok && c.style && !c.family) {
    diag_error(d, DIAG_SCHEMA, style->pos, "'style' needs a 'family'");
    ok = false;
  }
  if (!ok) {
    cand_free(&c);
    return false;
  }
  XGROW(r->cands, r->capcands, r->ncands + 1);
  r->cands[r->ncands++] = c;
  return true;
}

text_fonts *text_fonts_new(void) { return xcalloc(1, sizeof(text_fonts)); }

text_fonts *text_fonts_load(const char *yaml_path, diag *d) {
  arena *a = arena_new();
  const ynode *root = yaml_tree_load(a, yaml_path, &yaml_default_limits, d);
  text_fonts *f = NULL;
  int errors = diag_error_count(d);
  static const char *const top_keys[] = {"roles", NULL};
  if (!root || !ynode_expect(root, YNODE_MAP, "a font configuration", d))
    goto done;
  ymap_check_keys(root, top_keys, "a font configuration", d);
  const ynode *roles = ymap_lookup(root, "roles");
  if (!roles) {
    diag_error(d, DIAG_SCHEMA, root->pos, "no 'roles' in the font configuration");
    goto done;
  }
  if (!ynode_expect(roles, YNODE_MAP, "roles", d))
    goto done;
  f = text_fonts_new();
  for (size_t i = 0; i < roles->u.map.count; i++) {
    const ynode *key = roles->u.map.pairs[i].key;
    const ynode *list = roles->u.map.pairs[i].value;
    if (!ynode_expect(list, YNODE_SEQ, "a font role", d))
      continue;
    if (list->u.seq.count == 0) {
      diag_error(d, DIAG_SCHEMA, list->pos, "font role %s has no candidates",
                 key->u.scalar.text);
      continue;
    }
    src_pos kpos = key->pos;
    kpos.file = diag_intern_file(d, kpos.file);
    font_role *r = role_add(f, key->u.scalar.text, kpos);
    for (size_t k = 0; k < list->u.seq.count; k++)
      load_candidate(r, list->u.seq.items[k], yaml_path, d);
  }
done:
  arena_drop(a);
  if (f && diag_error_count(d) > errors) {
    text_fonts_drop(f);
    f = NULL;
  }
  return f;
}

void text_fonts_drop(text_fonts *f) {
  if (!f)
    return;
  for (size_t i = 0; i < f->nroles; i++) {
    for (size_t k = 0; k < f->roles[i].ncands; k++)
      cand_free(&f->roles[i].cands[k]);
    free(f->roles[i].cands);
    free(f->roles[i].name);
  }
  free(f->roles);
  free(f->role_names);
  for (size_t i = 0; i < f->nfaces; i++)
    face_drop(f->faces[i]);
  free(f->faces);
  if (f->fc_ready && --fc_users == 0)
    FcFini();
  free(f);
}

bool text_fonts_set_role(text_fonts *f, const char *role, const char *spec,
                         src_pos pos, diag *d) {
  const char *hash = strrchr(spec, '#');
  unsigned index = 0;
  char *path;
  if (hash && hash[1]) {
    char *end;
    long v = strtol(hash + 1, &end, 10);
    if (*end || v < 0 || v > 65535) {
      diag_error(d, DIAG_FONT, pos, "font %s: '%s' is not a face index",
                 spec, hash + 1);
      return false;
    }
    index = (unsigned)v;
    path = xstrndup(spec, (size_t)(hash - spec));
  } else {
    path = xstrdup(spec);
  }
  char why[256];
  text_face *face = fonts_face(f, path, index, why, sizeof why);
  if (!face) {
    diag_error(d, DIAG_FONT, pos, "font file %s: %s", path, why);
    free(path);
    return false;
  }
  font_role *r = role_by_name(f, role);
  if (!r)
    r = role_add(f, role, pos);
  XGROW(r->cands, r->capcands, r->ncands + 1);
  memmove(r->cands + 1, r->cands, r->ncands * sizeof *r->cands);
  r->ncands++;
  font_candidate *c = &r->cands[0];
  memset(c, 0, sizeof *c);
  c->file = path;
  c->index = index;
  c->pos = pos;
  c->state = CAND_OK;
  c->face = face;
  r->reported_unusable = false;
  f->generation++;
  return true;
}

int text_fonts_lookup_role(const text_fonts *f, const char *role) {
  for (size_t i = 0; i < f->nroles; i++)
    if (!strcmp(f->roles[i].name, role))
      return (int)i;
  return -1;
}

/* The roles' names, NULL-terminated, for "did you mean" (kept with f). */
static const char **role_names(text_fonts *f) {
  free(f->role_names);
  f->role_names = xcalloc(f->nroles + 1, sizeof *f->role_names);
  for (size_t i = 0; i < f->nroles; i++)
    f->role_names[i] = f->roles[i].name;
  return f->role_names;
}

bool text_fonts_check_roles(text_fonts *f, const char *const *roles,
                            src_pos pos, diag *d) {
  return text_fonts_check_roles_at(f, roles, NULL, pos, d);
}

bool text_fonts_check_roles_at(text_fonts *f, const char *const *roles,
                               const src_pos *positions, src_pos pos,
                               diag *d) {
  bool ok = true;
  for (size_t i = 0; roles[i]; i++) {
    font_role *r = role_by_name(f, roles[i]);
    if (!r) {
      report_unknown_name(d, DIAG_FONT, positions ? positions[i] : pos,
                          "font role", roles[i], "in the fonts file",
                          (const char *const *)role_names(f));
      ok = false;
      continue;
    }
    bool usable = false;
    for (size_t k = 0; k < r->ncands && !usable; k++)
      usable = fonts_candidate_face(f, r, k, d) != NULL;
    if (!usable) {
      if (!r->reported_unusable)
        diag_error(d, DIAG_FONT, r->pos, "font role %s has no usable font",
                   r->name);
      r->reported_unusable = true;
      ok = false;
    }
  }
  return ok;
}

size_t text_fonts_face_count(const text_fonts *f) { return f->nfaces; }

const text_face *text_fonts_lookup_face(const text_fonts *f, size_t i) {
  return i < f->nfaces ? f->faces[i] : NULL;
}

void text_face_describe(const text_face *face, text_face_info *info) {
  memset(info, 0, sizeof *info);
  info->path = face->path;
  info->index = face->index;
  info->postscript_name = face->ps_name;
  info->upem = face->upem;
  info->cff = face->cff;
  hb_position_t v;
  if (hb_ot_metrics_get_position(face->hb_font,
                                 HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v))
    info->ascender = v;
  if (hb_ot_metrics_get_position(face->hb_font,
                                 HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v))
    info->descender = v;
  if (hb_ot_metrics_get_position(face->hb_font, HB_OT_METRICS_TAG_CAP_HEIGHT,
                                 &v))
    info->cap_height = v;
  hb_blob_t *head = hb_face_reference_table(face->hb_face, HB_TAG('h', 'e', 'a', 'd'));
  unsigned len;
  const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &len);
  if (len >= 44)
    for (int i = 0; i < 4; i++)
      info->bbox[i] = (int16_t)be16(h + 36 + 2 * i);
  hb_blob_destroy(head);
}

struct hb_face_t *text_face_hb_face(const text_face *face) {
  return face->hb_face;
}
struct hb_font_t *text_face_hb_font(const text_face *face) {
  return face->hb_font;
}

void text_face_release_pages(const text_face *face) {
  /* A private, never written file mapping: dropped pages come back from
   * the page cache unchanged. */
  if (face->map && face->map_slot >= 0)
    madvise(face->map, face->map_len, MADV_DONTNEED);
}

/* A read past the end answered with zeros, or the file's size or time
 * not what they were when it was mapped: a cut inside the first page
 * (the table directory) reads zeros with no fault at all, and a file
 * rewritten in place shows its new bytes in pages not read yet. */
bool text_face_file_changed(const text_face *face) {
  if (!face)
    return false;
  if (face->map_slot >= 0 && filemap_changed(face->map_slot))
    return true;
  struct stat st;
  if (face->fd < 0 || face->map_slot < 0) /* a copy cannot change */
    return false;
  if (fstat(face->fd, &st) != 0)
    return true;
  long long mtime =
      (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  return (long long)st.st_size != face->opened_size ||
         mtime != face->opened_mtime_ns;
}

bool text_fonts_report_changed(const text_fonts *f, diag *d) {
  bool changed = false;
  for (size_t i = 0; i < f->nfaces; i++)
    if (text_face_file_changed(f->faces[i])) {
      text_face_report_changed(f->faces[i], d);
      changed = true;
    }
  return changed;
}

void text_face_report_changed(const text_face *face, diag *d) {
  diag_error(d, DIAG_IO, (src_pos){diag_intern_file(d, face->path), 0, 0},
             "font file changed while being read (cut short during the "
             "render); nothing written");
}
