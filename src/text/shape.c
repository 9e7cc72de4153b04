/* SPDX-License-Identifier: MIT */
/* shape.c — per-character font fallback and HarfBuzz shaping.
 *
 * Each character goes to the first candidate of its role that has a glyph
 * for it; marks, joiners and variation selectors stay with the character
 * before them.  The text is cut into runs of one face and one script and
 * each run is shaped with the whole text as context.  What HarfBuzz
 * returns (glyph ids, advances, offsets, clusters) is what gets drawn.
 *
 * A budget document shapes thousands of short table cells, most of them
 * repeats ("0.00", "合计", codes), so short texts are cached per role in
 * em units: a hit costs a hash and a copy-free lookup. */
#include "text_private.h"

#include <stdlib.h>
#include <string.h>

enum {
  CACHE_MAX_BYTES = 160, /* longer texts are paragraphs: not cached... */
  RECENT_TEXTS = 64,     /* ...but the last this many are */
  RECENT_MAX_BYTES = 4096,
  SLOT_MISSING = -1,
  SLOT_BREAK = -2 /* "\n": a forced line break, no glyph */
};

typedef struct cache_entry {
  struct cache_entry *next; /* hash chain */
  uint64_t hash;
  int role;
  size_t len;
  const char *text;          /* len bytes, in the shaper's arena */
  const shaped_glyph *glyphs;
  size_t nglyphs;
  int missing;
} cache_entry;

struct text_shaper {
  text_fonts *fonts;
  void *breaking; /* break.c's state: ICU's word iterator, texts set */
  unsigned generation; /* fonts->generation the cache was built for */
  hb_buffer_t *buf;
  hb_language_t lang;
  hb_unicode_funcs_t *ufuncs;
  /* scratch, reused across calls */
  uint32_t *cps, *offs;
  int *slots;
  hb_script_t *scripts;
  size_t capcps, capoffs, capslots, capscripts;
  shaped_glyph *glyphs;
  size_t nglyphs, capglyphs;
  /* Which candidate of a role covers a character: asked for every
   * character shaped (a cmap lookup per candidate tried), so remembered,
   * direct-mapped. */
  struct slot_memo {
    uint32_t cp;
    int role; /* -1: empty */
    int slot;
  } slot_memo[4096];
  /* HarfBuzz's shape plan of each face and script: hb_shape looks the
   * plan up again on every call (GSUB/GPOS feature variations), which
   * costs more than shaping a short cell. */
  struct plan_memo {
    const text_face *face;
    hb_script_t script;
    hb_shape_plan_t *plan;
  } *plans;
  size_t nplans, capplans;
  /* cache */
  arena *cache_arena;
  cache_entry **buckets;
  size_t nbuckets, nentries;
  /* The last long texts shaped: a table's long cells (a project's aims)
   * are shaped to size their column, then again to be set, but kept for
   * good they would grow with the document. */
  struct recent_text {
    uint64_t hash;
    int role;
    size_t len;
    char *text; /* owned, then the glyphs */
    shaped_glyph *glyphs;
    size_t nglyphs;
    int missing;
  } recent[RECENT_TEXTS];
  unsigned next_recent;
  text_shaper_stats stats;
};

text_shaper *text_shaper_new(text_fonts *fonts) {
  text_shaper *s = xcalloc(1, sizeof *s);
  s->fonts = fonts;
  s->generation = fonts->generation;
  s->buf = hb_buffer_create();
  if (!hb_buffer_allocation_successful(s->buf))
    out_of_memory();
  /* Simplified Chinese: picks the zh-Hans forms where a font has locl. */
  s->lang = hb_language_from_string("zh-Hans", -1);
  s->ufuncs = hb_unicode_funcs_get_default();
  s->cache_arena = arena_new();
  for (size_t i = 0; i < sizeof s->slot_memo / sizeof *s->slot_memo; i++)
    s->slot_memo[i].role = -1;
  s->nbuckets = 1024;
  s->buckets = xcalloc(s->nbuckets, sizeof *s->buckets);
  return s;
}

void text_shaper_drop(text_shaper *s) {
  if (!s)
    return;
  hb_buffer_destroy(s->buf);
  for (size_t i = 0; i < s->nplans; i++)
    hb_shape_plan_destroy(s->plans[i].plan);
  free(s->plans);
  free(s->cps);
  free(s->offs);
  free(s->slots);
  free(s->scripts);
  free(s->glyphs);
  free(s->buckets);
  arena_drop(s->cache_arena);
  for (size_t i = 0; i < RECENT_TEXTS; i++)
    free(s->recent[i].text);
  break_state_close(s->breaking);
  free(s);
}

void **shaper_break_state(text_shaper *s) { return &s->breaking; }

text_fonts *shaper_fonts(const text_shaper *s) { return s->fonts; }

void text_shaper_lookup_stats(const text_shaper *s, text_shaper_stats *st) {
  *st = s->stats;
  st->cache_entries = s->nentries;
}

/* ---------------------------------------------------------------- cache */

static uint64_t text_hash(int role, const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)role;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
  return h;
}

static void cache_clear(text_shaper *s) {
  for (size_t i = 0; i < sizeof s->slot_memo / sizeof *s->slot_memo; i++)
    s->slot_memo[i].role = -1;
  arena_drop(s->cache_arena);
  s->cache_arena = arena_new();
  memset(s->buckets, 0, s->nbuckets * sizeof *s->buckets);
  s->nentries = 0;
  for (size_t i = 0; i < RECENT_TEXTS; i++)
    free(s->recent[i].text);
  memset(s->recent, 0, sizeof s->recent);
}

static const struct recent_text *recent_find(const text_shaper *s, uint64_t h,
                                             int role, const char *p,
                                             size_t n) {
  for (size_t i = 0; i < RECENT_TEXTS; i++) {
    const struct recent_text *r = &s->recent[i];
    if (r->text && r->hash == h && r->role == role && r->len == n &&
        !memcmp(r->text, p, n))
      return r;
  }
  return NULL;
}

/* Keep the glyphs just shaped for text p, in place of the oldest. */
static void recent_add(text_shaper *s, uint64_t h, int role, const char *p,
                       size_t n, int missing) {
  struct recent_text *r = &s->recent[s->next_recent++ % RECENT_TEXTS];
  free(r->text);
  /* One block: the text, then the glyphs (aligned after it). */
  size_t at = (n + _Alignof(shaped_glyph)) & ~(_Alignof(shaped_glyph) - 1);
  r->text = xmalloc(at + s->nglyphs * sizeof *r->glyphs + 1);
  memcpy(r->text, p, n);
  r->glyphs = (shaped_glyph *)(void *)(r->text + at);
  if (s->nglyphs)
    memcpy(r->glyphs, s->glyphs, s->nglyphs * sizeof *r->glyphs);
  r->hash = h;
  r->role = role;
  r->len = n;
  r->nglyphs = s->nglyphs;
  r->missing = missing;
}

static cache_entry *cache_find(text_shaper *s, uint64_t h, int role,
                               const char *p, size_t n) {
  for (cache_entry *e = s->buckets[h & (s->nbuckets - 1)]; e; e = e->next)
    if (e->hash == h && e->role == role && e->len == n &&
        !memcmp(e->text, p, n))
      return e;
  return NULL;
}

static void cache_grow(text_shaper *s) {
  size_t nb = s->nbuckets * 2;
  cache_entry **b = xcalloc(nb, sizeof *b);
  for (size_t i = 0; i < s->nbuckets; i++)
    for (cache_entry *e = s->buckets[i], *next; e; e = next) {
      next = e->next;
      e->next = b[e->hash & (nb - 1)];
      b[e->hash & (nb - 1)] = e;
    }
  free(s->buckets);
  s->buckets = b;
  s->nbuckets = nb;
}

static void cache_add(text_shaper *s, uint64_t h, int role, const char *p,
                      size_t n, int missing) {
  if (s->nentries >= s->nbuckets)
    cache_grow(s);
  cache_entry *e = ARENA_NEW(s->cache_arena, cache_entry);
  e->hash = h;
  e->role = role;
  e->len = n;
  e->text = arena_strndup(s->cache_arena, p, n);
  shaped_glyph *g = ARENA_ARRAY(s->cache_arena, shaped_glyph, s->nglyphs);
  if (s->nglyphs)
    memcpy(g, s->glyphs, s->nglyphs * sizeof *g);
  e->glyphs = g;
  e->nglyphs = s->nglyphs;
  e->missing = missing;
  e->next = s->buckets[h & (s->nbuckets - 1)];
  s->buckets[h & (s->nbuckets - 1)] = e;
  s->nentries++;
}

/* ---------------------------------------------------------------- fallback */

/* Characters that belong to the character before them, whatever font
 * covers them: combining marks, joiners and variation selectors. */
static bool sticks_to_previous(hb_unicode_funcs_t *uf, uint32_t cp) {
  switch (hb_unicode_general_category(uf, cp)) {
  case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
  case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    return true;
  default:
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}

static void report_missing(text_shaper *s, font_role *r, uint32_t cp,
                           src_pos pos, diag *d) {
  char ch[8] = {0};
  utf8_encode(cp, ch);
  bbuf tried = {0};
  for (size_t k = 0; k < r->ncands; k++) {
    font_candidate *c = &r->cands[k];
    if (c->state != CAND_OK)
      continue;
    if (text_face_file_changed(c->face)) {
      /* It read zeros: not the font's fault nor the text's.  Said once,
       * as an I/O error, when the caller asks (text_fonts_report_changed). */
      bbuf_free(&tried);
      return;
    }
    bbuf_printf(&tried, "%s%s", tried.len ? ", " : "", c->face->label);
  }
  diag_error(d, DIAG_FONT, pos,
             "no font of role %s has a glyph for U+%04X '%s' (tried %s)",
             r->name, (unsigned)cp, ch, tried.len ? tried.data : "no usable font");
  bbuf_free(&tried);
  (void)s;
}

/* The candidate of role r covering cp, or SLOT_MISSING. */
static int slot_for(text_shaper *s, font_role *r, uint32_t cp, diag *d) {
  int role = (int)(r - s->fonts->roles);
  struct slot_memo *m =
      &s->slot_memo[((cp * 2654435761u) >> 20 ^ (uint32_t)role) &
                    (sizeof s->slot_memo / sizeof *s->slot_memo - 1)];
  if (m->role == role && m->cp == cp)
    return m->slot;
  int slot = SLOT_MISSING;
  for (size_t k = 0; k < r->ncands && slot == SLOT_MISSING; k++) {
    if (r->cands[k].nexclude && candidate_excludes(&r->cands[k], cp))
      continue;
    text_face *face = fonts_candidate_face(s->fonts, r, k, d);
    hb_codepoint_t g;
    if (face && hb_font_get_nominal_glyph(face->hb_font, cp, &g))
      slot = (int)k;
  }
  *m = (struct slot_memo){cp, role, slot};
  return slot;
}

/* The shape plan for face and script (owned by the shaper). */
static hb_shape_plan_t *plan_for(text_shaper *s, const text_face *face,
                                 const hb_segment_properties_t *props) {
  for (size_t i = 0; i < s->nplans; i++)
    if (s->plans[i].face == face && s->plans[i].script == props->script)
      return s->plans[i].plan;
  XGROW(s->plans, s->capplans, s->nplans + 1);
  hb_shape_plan_t *plan = hb_shape_plan_create_cached2(face->hb_face, props, NULL, 0,
                                                        NULL, 0, NULL);
  s->plans[s->nplans++] = (struct plan_memo){face, props->script, plan};
  return plan;
}

/* ---------------------------------------------------------------- shaping */

/* Decode into s->cps/s->offs; returns the number of code points.  Controls
 * other than "\n" become spaces: a tab pasted from a spreadsheet must not
 * turn into .notdef. */
static size_t decode(text_shaper *s, const char *p, size_t n) {
  size_t count = 0;
  XGROW(s->cps, s->capcps, n + 1);
  XGROW(s->offs, s->capoffs, n + 1);
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    /* callers pass valid UTF-8; never loop on bad bytes */
    size_t k = utf8_decode_or_replace(p + i, n - i, &cp);
    if ((cp < 0x20 && cp != '\n') || cp == 0x7F)
      cp = ' ';
    s->offs[count] = (uint32_t)i;
    s->cps[count++] = cp;
    i += k;
  }
  s->offs[count] = (uint32_t)n;
  XGROW(s->slots, s->capslots, count + 1);
  XGROW(s->scripts, s->capscripts, count + 1);
  s->nglyphs = 0;
  return count;
}

static void shape_run(text_shaper *s, const text_face *face, hb_script_t script,
                      const uint32_t *shape_cps, size_t ncps, size_t start,
                      size_t end) {
  hb_buffer_t *b = s->buf;
  hb_buffer_clear_contents(b);
  hb_buffer_set_direction(b, HB_DIRECTION_LTR);
  hb_buffer_set_script(b, script);
  hb_buffer_set_language(b, s->lang);
  hb_buffer_add_codepoints(b, shape_cps, (int)ncps, (unsigned)start,
                           (int)(end - start));
  hb_segment_properties_t props;
  hb_buffer_get_segment_properties(b, &props);
  hb_shape_plan_execute(plan_for(s, face, &props), face->hb_font, b, NULL, 0);
  if (!hb_buffer_allocation_successful(b))
    out_of_memory(); /* not the font's fault: HarfBuzz could not grow */
  unsigned n;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &n);
  XGROW(s->glyphs, s->capglyphs, s->nglyphs + n);
  float em = (float)face->upem;
  size_t first = s->nglyphs;
  for (unsigned i = 0; i < n; i++) {
    shaped_glyph *g = &s->glyphs[s->nglyphs++];
    g->face = face;
    g->id = info[i].codepoint;
    g->cl_start = info[i].cluster;
    g->adv = (float)pos[i].x_advance / em;
    g->dx = (float)pos[i].x_offset / em;
    g->dy = (float)pos[i].y_offset / em;
  }
  /* A cluster ends where the next one starts, or at the run's end. */
  uint32_t cl_end = (uint32_t)end;
  for (size_t i = s->nglyphs; i-- > first;) {
    if (i + 1 < s->nglyphs && s->glyphs[i + 1].cl_start != s->glyphs[i].cl_start)
      cl_end = s->glyphs[i + 1].cl_start;
    s->glyphs[i].cl_end = cl_end;
  }
  s->stats.shaped_runs++;
}

bool shaper_shape(text_shaper *s, int role, const char *utf8, size_t len,
                  src_pos pos, diag *d, shaped_text *out) {
  text_fonts *f = s->fonts;
  memset(out, 0, sizeof *out);
  if (role < 0 || (size_t)role >= f->nroles) {
    diag_error(d, DIAG_FONT, pos, "unknown font role #%d", role);
    return false;
  }
  if (s->generation != f->generation) {
    cache_clear(s);
    s->generation = f->generation;
  }
  font_role *r = &f->roles[role];
  size_t n = decode(s, utf8, len);
  out->cps = s->cps;
  out->offs = s->offs;
  out->ncps = n;

  uint64_t h = 0;
  bool cacheable = len <= CACHE_MAX_BYTES;
  bool recent = !cacheable && len <= RECENT_MAX_BYTES;
  if (cacheable || recent) {
    h = text_hash(role, utf8, len);
    const shaped_glyph *glyphs = NULL;
    size_t nglyphs = 0;
    int was_missing = 0;
    bool hit = false;
    if (cacheable) {
      const cache_entry *e = cache_find(s, h, role, utf8, len);
      if ((hit = e != NULL)) {
        glyphs = e->glyphs;
        nglyphs = e->nglyphs;
        was_missing = e->missing;
      }
    } else {
      const struct recent_text *e = recent_find(s, h, role, utf8, len);
      if ((hit = e != NULL)) {
        glyphs = e->glyphs;
        nglyphs = e->nglyphs;
        was_missing = e->missing;
      }
    }
    if (hit) {
      s->stats.cache_hits++;
      if (was_missing) /* report again: this text has its own position */
        for (size_t i = 0; i < n; i++)
          if (slot_for(s, r, s->cps[i], d) == SLOT_MISSING &&
              s->cps[i] != '\n' && !sticks_to_previous(s->ufuncs, s->cps[i]))
            report_missing(s, r, s->cps[i], pos, d);
      out->glyphs = glyphs;
      out->nglyphs = nglyphs;
      out->missing = was_missing;
      return true;
    }
  }

  const uint32_t *shape_cps = s->cps;
  int missing = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = s->cps[i];
    if (cp == '\n') {
      s->slots[i] = SLOT_BREAK;
      continue;
    }
    if (i > 0 && s->slots[i - 1] >= 0 && sticks_to_previous(s->ufuncs, cp)) {
      s->slots[i] = s->slots[i - 1];
      continue;
    }
    s->slots[i] = slot_for(s, r, cp, d);
    if (s->slots[i] == SLOT_MISSING) {
      report_missing(s, r, cp, pos, d);
      missing++;
    }
  }
  /* Scripts: Common and Inherited take the script around them. */
  hb_script_t last = HB_SCRIPT_INVALID;
  for (size_t i = 0; i < n; i++) {
    hb_script_t sc = hb_unicode_script(s->ufuncs, shape_cps[i]);
    if (sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED ||
        sc == HB_SCRIPT_UNKNOWN)
      sc = last;
    s->scripts[i] = sc;
    if (sc != HB_SCRIPT_INVALID)
      last = sc;
  }
  hb_script_t next = HB_SCRIPT_HAN;
  for (size_t i = n; i-- > 0;) {
    if (s->scripts[i] == HB_SCRIPT_INVALID)
      s->scripts[i] = next;
    next = s->scripts[i];
  }
  for (size_t i = 0; i < n;) {
    if (s->slots[i] < 0) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < n && s->slots[j] == s->slots[i] && s->scripts[j] == s->scripts[i])
      j++;
    const text_face *face = r->cands[s->slots[i]].face;
    shape_run(s, face, s->scripts[i], shape_cps, n, i, j);
    i = j;
  }
  out->glyphs = s->glyphs;
  out->nglyphs = s->nglyphs;
  out->missing = missing;
  if (cacheable)
    cache_add(s, h, role, utf8, len, missing);
  else if (recent)
    recent_add(s, h, role, utf8, len, missing);
  return true;
}

bool text_measure(text_shaper *s, text_style style, const char *utf8,
                  size_t len, src_pos pos, double *width, diag *d) {
  shaped_text t;
  *width = 0;
  if (!shaper_shape(s, style.role, utf8, len, pos, d, &t))
    return false;
  double w = 0;
  for (size_t i = 0; i < t.nglyphs; i++)
    w += t.glyphs[i].adv;
  *width = w * style.size;
  return t.missing == 0;
}
