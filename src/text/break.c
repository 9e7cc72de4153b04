/* SPDX-License-Identifier: MIT */
/* break.c — Chinese line breaking, justification and alignment.
 *
 * The shaped text is cut into units (one HarfBuzz cluster each, or one
 * code point that has no glyph: a "\n" or a character no font covers).
 * Between two units a line may break or not by the rules of FORMAT.md
 * (W3C clreq, GB/T 15834): anywhere between Han characters; never inside a
 * Latin word or a number, before a closing mark or after an opening one,
 * inside "——" or "……", between a sign and its number or a number and its
 * unit.  Lines are filled greedily; because a break is never allowed
 * before a forbidden line-start character, the last allowed break before
 * it is taken instead, which pulls the previous character down with it.
 * A run longer than the line with no allowed break is broken by
 * character rather than let overflow.  Justified lines spread the extra
 * space evenly over the gaps between characters (not inside Latin words
 * or numbers, not inside "——"/"……").  A justified line that would take
 * more than spec->max_spread a gap is rebroken (clreq): the next piece
 * pulled on with its marks compressed; else the line (or the line less its
 * last piece) spread over more gaps, a Latin word's letters too; else a
 * break inside a Latin word after "-" or "/"; else the least loose of
 * these.  A figure is never spaced out nor broken, a line never overflows. */
#include "text_private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <threads.h>
#include <unicode/ubrk.h>
#include <unicode/uvernum.h>

typedef struct unit {
  uint32_t cp0, cp1; /* code points [cp0, cp1) */
  uint32_t g0, ng;   /* glyphs [g0, g0+ng) */
  double adv;        /* em, after punctuation compression */
  double shift;      /* em added to its glyphs' x (compression) */
  bool compressed;
  bool spaced; /* letter spacing after it (a spaced-out label) */
  unsigned first_class, last_class; /* of its first and last code point */
  uint32_t first, last;             /* those code points */
} unit;

/* ---------------------------------------------------------------- classes */

static bool in_list(uint32_t cp, const uint32_t *list) {
  for (; *list; list++)
    if (*list == cp)
      return true;
  return false;
}

/* Never at the start of a line (FORMAT.md). */
static const uint32_t forbidden_start[] = {
    0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, /* 、。，．：；？！ */
    0xFF09, 0xFF3D, 0xFF5D, 0x3015, 0x3009, 0x300B, 0x300D, 0x300F, /* ）］｝〕〉》」』 */
    0x3011, 0x3017, 0x3019, 0x201D, 0x2019, 0x2026, 0x2025, 0x00B7, /* 】〗〙”’…‥· */
    0xFF05, 0x2030, 0x2103,                                         /* ％‰℃ */
    ')', ']', '}', ',', '.', ':', ';', '?', '!', '%', 0};

/* Never at the end of a line. */
static const uint32_t forbidden_end[] = {
    0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3008, 0x300A, 0x300C, 0x300E, /* （［｛〔〈《「『 */
    0x3010, 0x3016, 0x3018, 0x201C, 0x2018,                         /* 【〖〘“‘ */
    '(', '[', '{', 0};

/* Signs that belong to the number after them: ≥95%, ≤15, ±0.5, ¥100. */
static const uint32_t number_prefix[] = {0x2265, 0x2264, 0x00B1, 0xFF1C, 0xFF1E,
                                         0x2248, 0x00A5, 0xFFE5, 0xFF0B, 0xFF0D,
                                         0x2266, 0x2267, 0};

/* Units that belong to the number before them (15万元, 3亿, 100元) are
 * 万 亿 元: see char_class. */

/* What the rules need to know of a character, computed once per
 * character (the lists above are scanned only for rare characters). */
enum {
  C_START = 1 << 0,   /* never starts a line */
  C_END = 1 << 1,     /* never ends a line */
  C_WORD = 1 << 2,    /* part of a Latin word or number */
  C_DIGIT = 1 << 3,
  C_PREFIX = 1 << 4,  /* a sign before a number */
  C_UNIT = 1 << 5,    /* a unit after a number: 元 万 亿, 年 月 日 */
  C_DOUBLED = 1 << 6, /* — … as in —— …… */
  C_SLASH = 1 << 7,   /* / binds both sides: 元/年 */
  C_SPACE = 1 << 8,
  C_BREAK = 1 << 9,   /* "\n" */
  C_WAN = 1 << 10     /* 万 亿: 万元 stays together */
};

static unsigned char_class(uint32_t cp) {
  if (cp >= 0x4E00 && cp <= 0x9FFF) { /* CJK ideographs: the common case */
    switch (cp) {
    case 0x4E07: /* 万 */
    case 0x4EBF: /* 亿 */
      return C_UNIT | C_WAN;
    case 0x5143: /* 元 */
    case 0x5E74: /* 年: a date's parts stay whole, 12月 never 12/月 */
    case 0x6708: /* 月 */
    case 0x65E5: /* 日 */
      return C_UNIT;
    default:
      return 0;
    }
  }
  /* ASCII letters and digits, the next most common, are in no list. */
  if (cp >= '0' && cp <= '9')
    return C_WORD | C_DIGIT;
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
    return C_WORD;
  unsigned c = 0;
  if (cp == ' ')
    return C_SPACE;
  if (cp == '\n')
    return C_BREAK;
  if (in_list(cp, forbidden_start))
    c |= C_START;
  if (in_list(cp, forbidden_end))
    c |= C_END;
  if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
    c |= C_DIGIT;
  /* Letters, digits and the ASCII signs that glue them into one word or
   * number (1681.99, e-mail).  Brackets and sentence punctuation are
   * handled by the forbidden lists. */
  if (cp > ' ' && cp < 0x7F) {
    if (!(c & C_END) || cp == '.' || cp == ',')
      c |= C_WORD;
  } else if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
             (cp >= 0x370 && cp <= 0x4FF)) {
    c |= C_WORD;
  }
  if (in_list(cp, number_prefix))
    c |= C_PREFIX;
  if (cp == 0x2014 || cp == 0x2015 || cp == 0x2026 || cp == 0x2025 ||
      cp == 0x2E3A || cp == 0x2500)
    c |= C_DOUBLED;
  if (cp == '/' || cp == 0xFF0F)
    c |= C_SLASH;
  return c;
}

/* May a line break between a and b (with classes ca, cb)?  A number
 * keeps its unit (1681.99万元) unless `loose_units`: justified text lets
 * them part rather than spread a whole line's characters apart. */
static bool can_break(uint32_t a, unsigned ca, uint32_t b, unsigned cb,
                      bool loose_units) {
  if (cb & C_SPACE)
    return false; /* spaces stay at the end of the line before */
  if (ca & C_SPACE)
    return !(cb & C_START);
  if ((cb & C_START) || (ca & C_END))
    return false;
  if (a == b && (ca & C_DOUBLED)) /* —— and …… */
    return false;
  if ((ca & C_WORD) && (cb & C_WORD))
    return false;
  if ((ca & C_PREFIX) && (cb & C_DIGIT))
    return false;
  if ((ca & C_DIGIT) && (cb & C_UNIT) && !loose_units)
    return false;
  if ((ca & C_WAN) && b == 0x5143) /* 万元, 亿元 */
    return false;
  if ((ca | cb) & C_SLASH) /* 元/年 */
    return false;
  return true;
}

/* May extra space go between a and b when justifying? */
static bool can_spread(uint32_t a, unsigned ca, uint32_t b, unsigned cb) {
  if ((ca | cb) & C_BREAK)
    return false;
  if ((ca & C_WORD) && (cb & C_WORD))
    return false;
  if (a == b && (ca & C_DOUBLED))
    return false;
  return true;
}

/* The gaps a loose line may also spread: between the letters of a Latin
 * word, never inside a figure (digits and their . ,). */
static bool can_spread_wide(const unit *a, const unit *b) {
  if (can_spread(a->last, a->last_class, b->first, b->first_class))
    return true;
  unsigned c = a->last_class | b->first_class;
  return !(c & (C_BREAK | C_DIGIT)) && (a->last_class & C_WORD) &&
         (b->first_class & C_WORD) && a->last != '.' && a->last != ',';
}

static bool spreads(const unit *a, const unit *b, bool wide) {
  return wide ? can_spread_wide(a, b)
              : can_spread(a->last, a->last_class, b->first, b->first_class);
}

/* A break inside a Latin word that a loose line may take: after a hyphen
 * or slash before a letter (e-|mail, km/|h), never inside a figure. */
static bool can_break_inside(const unit *a, const unit *b) {
  return (a->last == '-' || a->last == '/') && (b->first_class & C_WORD) &&
         !(b->first_class & C_DIGIT);
}

/* Full-width punctuation with a blank half that compression can take. */
static const uint32_t compressible[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF09, 0xFF3D, 0xFF5D, 0x3015,
    0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3017, 0x3019, 0x201D, 0x2019,
    0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010,
    0x3016, 0x3018, 0x201C, 0x2018, 0};

/* in_list(cp, compressible), without the search for the characters that
 * make most of a text: the list lies in three short ranges. */
static bool is_compressible(uint32_t cp) {
  bool near = (cp >= 0x2018 && cp <= 0x201D) || (cp >= 0x3001 && cp <= 0x3019) ||
              (cp >= 0xFF08 && cp <= 0xFF5D);
  return near && in_list(cp, compressible);
}

/* ---------------------------------------------------------------- units */

static size_t units_from_shaped(const shaped_text *t, unit *u) {
  size_t n = 0, gi = 0;
  for (uint32_t i = 0; i < t->ncps;) {
    unit *x = &u[n++];
    memset(x, 0, sizeof *x);
    x->cp0 = i;
    x->g0 = (uint32_t)gi;
    if (gi < t->nglyphs && t->glyphs[gi].cl_start == i) {
      uint32_t end = t->glyphs[gi].cl_end;
      while (gi < t->nglyphs && t->glyphs[gi].cl_start == i) {
        x->adv += t->glyphs[gi].adv;
        x->ng++;
        gi++;
      }
      x->cp1 = end > i ? end : i + 1;
    } else {
      x->cp1 = i + 1; /* no glyph: "\n" or a character no font covers */
    }
    i = x->cp1;
    x->first = t->cps[x->cp0];
    x->last = t->cps[x->cp1 - 1];
    x->first_class = char_class(x->first);
    x->last_class = x->cp1 - x->cp0 == 1 ? x->first_class : char_class(x->last);
  }
  return n;
}

enum { INK_KNOWN = 1, INK_LEFT_HALF = 2, INK_RIGHT_HALF = 4 };

/* Whether a full-width glyph's ink lies within its left (or right) half,
 * within 4% of the em; remembered per glyph in its face. */
static bool ink_in_half(const shaped_glyph *g, bool left) {
  const text_face *face = g->face;
  unsigned char known = g->id < face->nglyphs ? face->ink[g->id] : 0;
  if (!known) {
    hb_glyph_extents_t e;
    known = INK_KNOWN;
    if (hb_font_get_glyph_extents(face->hb_font, g->id, &e)) {
      double half = face->upem / 2.0, slack = face->upem * 0.04;
      if (e.x_bearing + e.width <= half + slack)
        known |= INK_LEFT_HALF;
      if (e.x_bearing >= half - slack)
        known |= INK_RIGHT_HALF;
    }
    if (g->id < face->nglyphs)
      face->ink[g->id] = known;
  }
  return known & (left ? INK_LEFT_HALF : INK_RIGHT_HALF);
}

/* "）。" → the first mark's blank half goes; "。（" likewise; "（（"
 * → the second's blank left half goes.  Decided by where the glyphs'
 * ink is, so it follows the font (GB and Taiwan fonts differ). */
static void compress_punctuation(const shaped_text *t, unit *u, size_t n) {
  for (size_t k = 0; k + 1 < n; k++) {
    unit *a = &u[k], *b = &u[k + 1];
    if (a->compressed || a->ng != 1 || b->ng != 1 || a->cp1 - a->cp0 != 1 ||
        b->cp1 - b->cp0 != 1)
      continue;
    if (!is_compressible(t->cps[a->cp0]) ||
        !is_compressible(t->cps[b->cp0]))
      continue;
    const shaped_glyph *ga = &t->glyphs[a->g0], *gb = &t->glyphs[b->g0];
    if (fabs(ga->adv - 1.0) > 0.05 || fabs(gb->adv - 1.0) > 0.05)
      continue;
    if (ink_in_half(ga, true)) {
      a->adv -= 0.5;
      a->compressed = true;
    } else if (ink_in_half(gb, false)) {
      b->adv -= 0.5;
      b->shift -= 0.5;
      b->compressed = true;
    }
  }
}

/* An opening mark at the start of a line (“ （ 《 …) loses its blank left
 * half, so that the line's text starts at the edge like its neighbours. */
static void compress_line_start(const shaped_text *t, unit *x) {
  if (x->compressed || x->ng != 1 || x->cp1 - x->cp0 != 1)
    return;
  uint32_t cp = t->cps[x->cp0];
  if (!is_compressible(cp) || !in_list(cp, forbidden_end))
    return;
  const shaped_glyph *g = &t->glyphs[x->g0];
  if (fabs(g->adv - 1.0) > 0.05 || !ink_in_half(g, false))
    return;
  x->adv -= 0.5;
  x->shift -= 0.5;
  x->compressed = true;
}

/* How much (em) a full-width mark inside a line can give up when the line
 * is a little too long (clreq 3.1.6: compress before spreading): its blank
 * half, left of an opening mark's ink (shift < 0) or right of the others'. */
static double squeeze(const shaped_text *t, const unit *x, bool *opening) {
  *opening = false;
  if (x->compressed || x->ng != 1 || x->cp1 - x->cp0 != 1)
    return 0;
  uint32_t cp = t->cps[x->cp0];
  if (!is_compressible(cp))
    return 0;
  const shaped_glyph *g = &t->glyphs[x->g0];
  if (fabs(g->adv - 1.0) > 0.05)
    return 0;
  if (in_list(cp, forbidden_end)) {
    *opening = true;
    return ink_in_half(g, false) ? 0.5 : 0;
  }
  return ink_in_half(g, true) ? 0.5 : 0;
}

/* Take `em` off the marks of units [s, e), evenly, each at most what it
 * can give. */
static void squeeze_line(const shaped_text *t, unit *u, size_t s, size_t e,
                         double em) {
  size_t n = 0;
  bool opening;
  for (size_t k = s; k < e; k++)
    n += squeeze(t, &u[k], &opening) > 0;
  if (!n)
    return;
  double each = em / (double)n;
  if (each > 0.5)
    each = 0.5;
  for (size_t k = s; k < e; k++)
    if (squeeze(t, &u[k], &opening) > 0) {
      u[k].adv -= each;
      if (opening)
        u[k].shift -= each;
      u[k].compressed = true;
    }
}

/* ---------------------------------------------------------------- spaces
 * White space typed between Chinese characters, or beside full-width
 * punctuation, is a word processor's artefact ("万元， 其中", "《 关于",
 * "伙食补助费    60.48"): typesetters drop it (FORMAT.md).  The data keeps
 * what was published; only the set text loses it.  Spaces between Latin
 * words and figures stay. */

static bool is_cjk(uint32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
         (cp >= 0x2014 && cp <= 0x2026) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* The code point ending just before p (p > s). */
static uint32_t cp_before(const char *s, const char *p) {
  const char *q = p - 1;
  while (q > s && ((unsigned char)*q & 0xC0) == 0x80)
    q--;
  uint32_t cp;
  utf8_decode(q, (size_t)(p - q), &cp);
  return cp;
}

/* utf8 with the space runs next to CJK removed, in `out`; NULL if there
 * are none (the common case: nothing is copied). */
static bool is_han(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_punct(uint32_t cp) {
  return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x2014 && cp <= 0x2026);
}

/* A label spaced out with spaces between Han characters ("合  计") keeps
 * its look as letter spacing after the character at byte `at` of the set
 * text, so that the text copies out as 合计. */
typedef struct letter_gap {
  size_t at;
  double em;
} letter_gap;

static const char *collapse_spaces(const char *utf8, size_t len,
                                   bool keep_wide, arena *out,
                                   size_t *out_len, letter_gap **gaps,
                                   size_t *ngaps) {
  *gaps = NULL;
  *ngaps = 0;
  if (!memchr(utf8, ' ', len) && !memchr(utf8, 0xE3, len) && !memchr(utf8, '\t', len))
    return NULL;
  char *buf = NULL;
  size_t n = 0, capgaps = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)utf8[i];
    bool ideo = c == 0xE3 && i + 2 < len &&
                (unsigned char)utf8[i + 1] == 0x80 &&
                (unsigned char)utf8[i + 2] == 0x80; /* U+3000 */
    if (c != ' ' && c != '\t' && !ideo) {
      if (buf)
        buf[n++] = utf8[i];
      i++;
      continue;
    }
    size_t j = i;
    while (j < len && (utf8[j] == ' ' || utf8[j] == '\t' ||
                       (j + 2 < len && (unsigned char)utf8[j] == 0xE3 &&
                        (unsigned char)utf8[j + 1] == 0x80 &&
                        (unsigned char)utf8[j + 2] == 0x80)))
      j += utf8[j] == ' ' || utf8[j] == '\t' ? 1 : 3;
    uint32_t before = i > 0 ? cp_before(utf8, utf8 + i) : 0, after = 0;
    if (j < len)
      utf8_decode(utf8 + j, len - j, &after);
    /* Leading and trailing space, and space before a line break, stay.
     * Outside justified text (headings, labels, cells) only space between
     * two CJK characters or beside full-width punctuation goes, and a run
     * of two or more between Han characters spaces out a label on purpose
     * ("合  计"): it stays; "201 一般公共服务支出" keeps its space.  In
     * body text any space beside CJK is an artefact ("伙食补助费   60.48"). */
    bool label_spacing = keep_wide && (j - i) >= 2 && !is_punct(before) &&
                         !is_punct(after);
    bool drop = before && after && before != '\n' && after != '\n' &&
                !label_spacing &&
                (keep_wide ? (is_cjk(before) && is_cjk(after)) ||
                                 is_punct(before) || is_punct(after)
                           : is_cjk(before) || is_cjk(after));
    bool letter = label_spacing && is_han(before) && is_han(after);
    if ((drop || letter) && !buf) {
      buf = ARENA_ARRAY(out, char, len + 1);
      memcpy(buf, utf8, i);
      n = i;
    }
    if (letter) {
      /* Word's half-width space of a CJK font: 0.5 em, U+3000 1 em */
      double em = 0;
      for (size_t k = i; k < j; k += utf8[k] == ' ' || utf8[k] == '\t' ? 1 : 3)
        em += utf8[k] == ' ' || utf8[k] == '\t' ? 0.5 : 1;
      if (*ngaps == capgaps) {
        capgaps = capgaps ? 2 * capgaps : 8;
        letter_gap *g = ARENA_ARRAY(out, letter_gap, capgaps);
        if (*ngaps)
          memcpy(g, *gaps, *ngaps * sizeof *g);
        *gaps = g;
      }
      (*gaps)[(*ngaps)++] = (letter_gap){n, em};
    } else if (!drop && buf) {
      memcpy(buf + n, utf8 + i, j - i);
      n += j - i;
    }
    i = j;
  }
  if (!buf)
    return NULL;
  buf[n] = 0;
  *out_len = n;
  return buf;
}

/* ---------------------------------------------------------------- words
 * Where a line may break in a table's header or name: between words, by
 * ICU's dictionary-based word boundaries (政府/性/基金/预算/拨款), with a
 * word of one Han character kept with the word before it (政府性/基金,
 * 利息及/费用, 公务用车), as a reader parses it. */

/* ICU is opened on first use, not linked: its 30 MB data library would be
 * mapped into every run (`check` under `ulimit -v 40000` could not even
 * start), though only a table's headers and names need it.  Without it,
 * breaking falls back to the rules alone. */
static struct {
  UBreakIterator *(*open)(UBreakIteratorType, const char *, const UChar *,
                          int32_t, UErrorCode *);
  void (*set_text)(UBreakIterator *, const UChar *, int32_t, UErrorCode *);
  int32_t (*first)(UBreakIterator *);
  int32_t (*next)(UBreakIterator *);
  void (*close)(UBreakIterator *);
} icu;
static once_flag icu_once = ONCE_FLAG_INIT;

#define ICU_SYMBOL(name) #name "_" U_ICU_VERSION_SHORT

static void icu_load(void) {
  void *h = dlopen("libicuuc.so." U_ICU_VERSION_SHORT, RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return;
  /* POSIX: a function pointer from dlsym goes through a data pointer. */
  void *sym[5] = {dlsym(h, ICU_SYMBOL(ubrk_open)),
                  dlsym(h, ICU_SYMBOL(ubrk_setText)),
                  dlsym(h, ICU_SYMBOL(ubrk_first)),
                  dlsym(h, ICU_SYMBOL(ubrk_next)),
                  dlsym(h, ICU_SYMBOL(ubrk_close))};
  for (int i = 0; i < 5; i++)
    if (!sym[i]) {
      dlclose(h);
      return;
    }
  memcpy(&icu.open, &sym[0], sizeof sym[0]);
  memcpy(&icu.set_text, &sym[1], sizeof sym[1]);
  memcpy(&icu.first, &sym[2], sizeof sym[2]);
  memcpy(&icu.next, &sym[3], sizeof sym[3]);
  memcpy(&icu.close, &sym[4], sizeof sym[4]);
}

/* What a shaper keeps for word boundaries (behind shaper_break_state):
 * ICU's iterator, and the answers for texts already asked about.  Column
 * sizing breaks the same header and name cells at many trial widths; the
 * boundaries depend on the code points alone. */
enum { WORD_MEMO_MAX_CPS = 512, WORD_MEMO_MAX_ENTRIES = 1 << 16 };

typedef struct word_memo_entry {
  struct word_memo_entry *next; /* hash chain */
  uint64_t hash;
  uint32_t n;
  bool done;       /* ICU answered; if not, ok is unused */
  uint32_t *cps;   /* n code points, then ok: n + 1 flags */
  bool *ok;
} word_memo_entry;

typedef struct set_memo_entry set_memo_entry;

typedef struct break_state {
  void *iterator; /* UBreakIterator, opened on first use */
  word_memo_entry **buckets;
  size_t nbuckets, nentries;
  /* Short texts already set (see set_memo_find), in their own arena */
  arena *set_arena;
  set_memo_entry **set_buckets;
  size_t set_nbuckets, set_nentries;
  unsigned set_generation; /* of the fonts they were set with */
} break_state;

void break_state_close(void *state) {
  break_state *ws = state;
  if (!ws)
    return;
  if (ws->iterator && icu.close)
    icu.close(ws->iterator);
  for (size_t i = 0; i < ws->nbuckets; i++)
    for (word_memo_entry *e = ws->buckets[i], *next; e; e = next) {
      next = e->next;
      free(e);
    }
  free(ws->buckets);
  arena_drop(ws->set_arena);
  free(ws->set_buckets);
  free(ws);
}

static break_state *break_state_of(text_shaper *sh) {
  void **slot = shaper_break_state(sh);
  if (!*slot)
    *slot = xcalloc(1, sizeof(break_state));
  return *slot;
}

static uint64_t cps_hash(const uint32_t *cps, uint32_t n) {
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < n; i++) {
    h ^= cps[i];
    h *= 1099511628211ull;
  }
  return h;
}

static word_memo_entry *word_memo_find(const break_state *ws, uint64_t h,
                                       const uint32_t *cps, uint32_t n) {
  if (!ws->nbuckets)
    return NULL;
  for (word_memo_entry *e = ws->buckets[h & (ws->nbuckets - 1)]; e; e = e->next)
    if (e->hash == h && e->n == n && !memcmp(e->cps, cps, n * sizeof *cps))
      return e;
  return NULL;
}

static void word_memo_add(break_state *ws, uint64_t h, const uint32_t *cps,
                          uint32_t n, bool done, const bool *ok) {
  if (n > WORD_MEMO_MAX_CPS || ws->nentries >= WORD_MEMO_MAX_ENTRIES)
    return;
  if (ws->nentries >= ws->nbuckets) { /* keep chains short: rehash */
    size_t nb = ws->nbuckets ? ws->nbuckets * 2 : 256;
    word_memo_entry **b = xcalloc(nb, sizeof *b);
    for (size_t i = 0; i < ws->nbuckets; i++)
      for (word_memo_entry *e = ws->buckets[i], *next; e; e = next) {
        next = e->next;
        e->next = b[e->hash & (nb - 1)];
        b[e->hash & (nb - 1)] = e;
      }
    free(ws->buckets);
    ws->buckets = b;
    ws->nbuckets = nb;
  }
  /* One block: the entry, its code points, its flags. */
  word_memo_entry *e =
      xmalloc(sizeof *e + n * sizeof *cps + (size_t)n + 1);
  e->hash = h;
  e->n = n;
  e->done = done;
  e->cps = (uint32_t *)(e + 1);
  e->ok = (bool *)(e->cps + n);
  memcpy(e->cps, cps, n * sizeof *cps);
  if (done)
    memcpy(e->ok, ok, (size_t)n + 1);
  e->next = ws->buckets[h & (ws->nbuckets - 1)];
  ws->buckets[h & (ws->nbuckets - 1)] = e;
  ws->nentries++;
}

/* ok[i]: a word starts at code point i, as ICU sees it.  false if ICU is
 * not usable. */
static bool icu_word_starts(break_state *ws, const uint32_t *cps, uint32_t n,
                            bool *ok) {
  UChar *u16 = xmalloc(sizeof *u16 * (2 * (size_t)n + 1));
  uint32_t *at = xmalloc(sizeof *at * (2 * (size_t)n + 1)); /* u16 → cp */
  int32_t m = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    at[m] = i;
    if (c >= 0x10000) {
      u16[m++] = (UChar)(0xD800 + ((c - 0x10000) >> 10));
      at[m] = i;
      u16[m++] = (UChar)(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      u16[m++] = (UChar)c;
    }
  }
  at[m] = n;
  UErrorCode e = U_ZERO_ERROR;
  call_once(&icu_once, icu_load);
  if (!ws->iterator && icu.open)
    ws->iterator = icu.open(UBRK_WORD, "zh", NULL, 0, &e);
  bool done = false;
  if (ws->iterator && U_SUCCESS(e)) {
    icu.set_text(ws->iterator, u16, m, &e);
    if (U_SUCCESS(e)) {
      memset(ok, 0, n + 1);
      int32_t prev = icu.first(ws->iterator), b;
      while ((b = icu.next(ws->iterator)) != UBRK_DONE) {
        uint32_t start = at[prev], end = at[b];
        /* A one-character Han word joins the word before it. */
        bool single = end == start + 1 && is_han(cps[start]) && start > 0 &&
                      is_han(cps[start - 1]);
        /* and a first word of one character goes with the next (对个人) */
        if (prev > 0 && at[prev] == 1 && start == 1 && is_han(cps[0]) &&
            is_han(cps[1]))
          single = true;
        if (!single)
          ok[start] = true;
        prev = b;
      }
      done = true;
    }
  }
  free(u16);
  free(at);
  return done;
}

/* ok[i]: a word starts at code point i.  false for every i if ICU is not
 * usable (then breaking falls back to the rules alone). */
static bool word_starts(text_shaper *sh, const uint32_t *cps, uint32_t n,
                        bool *ok) {
  break_state *ws = break_state_of(sh);
  uint64_t h = cps_hash(cps, n);
  const word_memo_entry *hit = word_memo_find(ws, h, cps, n);
  if (hit) {
    if (hit->done)
      memcpy(ok, hit->ok, (size_t)n + 1);
    return hit->done;
  }
  bool done = icu_word_starts(ws, cps, n, ok);
  word_memo_add(ws, h, cps, n, done, ok);
  return done;
}

/* ---------------------------------------------------------------- output */

double text_baseline_in_line(double size, double leading) {
  return (leading - size) / 2 + 0.88 * size;
}

typedef struct line_builder {
  arena *out;
  const shaped_text *t;
  const unit *u;
  double size;
  const char *text; /* the paragraph's copy */
  text_glyph *glyphs;
  size_t nglyphs, capglyphs;
} line_builder;

/* Position the glyphs of units [s, e) on one line, starting at x, with
 * `gap` pt added before each unit that may take extra space (`wide`:
 * can_spread_wide). */
static void emit_line(line_builder *lb, text_line *line, size_t s, size_t e,
                      double x, double gap, bool wide, double baseline) {
  const shaped_text *t = lb->t;
  const unit *u = lb->u;
  double size = lb->size, pen = x;
  lb->nglyphs = 0;
  /* First pass: absolute x of each glyph into lb->glyphs. */
  XGROW(lb->glyphs, lb->capglyphs, (size_t)(u[e - 1].g0 + u[e - 1].ng - u[s].g0) + 1);
  const text_face **faces = NULL;
  size_t capfaces = 0;
  XGROW(faces, capfaces, (size_t)(u[e - 1].g0 + u[e - 1].ng - u[s].g0) + 1);
  for (size_t k = s; k < e; k++) {
    if (k > s && gap > 0 && spreads(&u[k - 1], &u[k], wide))
      pen += gap;
    double gx = pen + u[k].shift * size;
    for (uint32_t g = 0; g < u[k].ng; g++) {
      const shaped_glyph *sg = &t->glyphs[u[k].g0 + g];
      text_glyph *out = &lb->glyphs[lb->nglyphs];
      faces[lb->nglyphs++] = sg->face;
      out->id = sg->id;
      out->x = (float)(gx + sg->dx * size);
      out->y = (float)(-sg->dy * size);
      out->text_start = g == 0 ? t->offs[u[k].cp0] : 0;
      out->text_len = g == 0 ? t->offs[u[k].cp1] - t->offs[u[k].cp0] : 0;
      gx += sg->adv * size;
    }
    pen += u[k].adv * size;
  }
  /* Second pass: cut into runs of one face, positions relative to each
   * run's first glyph. */
  size_t nruns = 0;
  for (size_t i = 0; i < lb->nglyphs; i++)
    if (i == 0 || faces[i] != faces[i - 1])
      nruns++;
  text_run *runs = ARENA_ARRAY(lb->out, text_run, nruns ? nruns : 1);
  text_glyph *glyphs = ARENA_ARRAY(lb->out, text_glyph, lb->nglyphs ? lb->nglyphs : 1);
  memcpy(glyphs, lb->glyphs, lb->nglyphs * sizeof *glyphs);
  size_t r = 0;
  for (size_t i = 0; i < lb->nglyphs;) {
    size_t j = i + 1;
    while (j < lb->nglyphs && faces[j] == faces[i])
      j++;
    text_run *run = &runs[r++];
    run->face = faces[i];
    run->size = size;
    run->x = glyphs[i].x;
    run->y = baseline;
    run->glyphs = &glyphs[i];
    run->count = j - i;
    run->text = lb->text;
    float ox = glyphs[i].x;
    for (size_t k = i; k < j; k++)
      glyphs[k].x -= ox;
    i = j;
  }
  free(faces);
  line->runs = runs;
  line->nruns = nruns;
}

/* Is what follows a break at `from`, up to the paragraph's end or a
 * forced break, one unbreakable piece of at most one Han character and
 * two ems of Han, letters and digits — a lone character ("明", "报）：",
 * "1234。") on the paragraph's last line?  Punctuation does not count:
 * "（万元）" is two characters, not lone. */
static bool lone_rest(const shaped_text *t, const unit *u, size_t nu,
                      size_t from, double size, bool loose_units) {
  double w = 0;
  int han = 0;
  for (size_t k = from; k < nu; k++) {
    if (t->cps[u[k].cp0] == '\n')
      break;
    han += is_han(u[k].first);
    if (k > from && can_break(u[k - 1].last, u[k - 1].last_class, u[k].first,
                              u[k].first_class, loose_units))
      return false;
    /* Only Han characters, letters and digits count: "报）：" is as
     * lone as "报". */
    uint32_t c = u[k].first;
    if (is_han(c) || (u[k].first_class & C_WORD) ||
        (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
        (c >= 0xFF41 && c <= 0xFF5A)) /* full-width digits, letters */
      w += u[k].adv * size;
  }
  return w > 0 && w <= 2 * size + 1e-6 && han <= 1;
}

/* Can the line loop below end a line anywhere but at the paragraph's end?
 * Only at a forced break, or where the text, added up as the loop adds
 * it, outgrows the first line.  A text that fits needs no word
 * boundaries: the column sizing asks for the same short cells at many
 * widths, and ICU's word iterator was most of a render's time. */
static bool needs_break_search(const text_para_spec *spec,
                               const shaped_text *t, const unit *u,
                               size_t nu) {
  if (spec->width <= 0)
    return false; /* unbounded: one line per forced break, no search */
  double avail = spec->width - spec->first_indent, w = 0;
  for (size_t k = 0; k < nu; k++) {
    if (t->cps[u[k].cp0] == '\n')
      return true;
    w += u[k].adv * spec->style.size;
    if (w > avail + 1e-6)
      return true;
  }
  return false;
}

/* The content end of a line of units [start, end): trailing spaces and
 * "\n" do not count. */
static size_t content_end(const shaped_text *t, const unit *u, size_t start,
                          size_t end) {
  while (end > start &&
         (t->cps[u[end - 1].cp0] == ' ' || t->cps[u[end - 1].cp0] == '\n'))
    end--;
  return end;
}

/* How loose (pt a gap) a justified line of units [start, end) would be;
 * INFINITY if it does not fit even with its marks compressed, 0 if it is a
 * paragraph's last line or must be compressed to fit; the whole extra if it
 * has no gap. */
static double line_looseness(const shaped_text *t, const unit *u, size_t nu,
                             size_t start, size_t end, double avail,
                             double size, bool wide) {
  size_t ce = content_end(t, u, start, end);
  double natural = 0, sq = 0;
  bool opening;
  for (size_t k = start; k < ce; k++) {
    natural += u[k].adv * size;
    sq += squeeze(t, &u[k], &opening);
  }
  if (natural - sq * size > avail + 1e-6)
    return INFINITY;
  if (natural >= avail || end >= nu || t->cps[u[end - 1].cp0] == '\n')
    return 0;
  size_t gaps = 0;
  for (size_t k = start + 1; k < ce; k++)
    gaps += spreads(&u[k - 1], &u[k], wide);
  return gaps ? (avail - natural) / (double)gaps : avail - natural;
}

typedef struct line_choice {
  size_t end;
  bool wide;
} line_choice;

/* A justified line [start, end) looser than `max` a gap: the first of
 * clreq's alternatives that keeps within it, else the least loose. */
static line_choice rebreak(const shaped_text *t, const unit *u, size_t nu,
                           size_t start, size_t end, double avail,
                           double size, double max, bool loose_units,
                           bool no_lone_char) {
  line_choice best = {end, false};
  double best_loose = line_looseness(t, u, nu, start, end, avail, size, false);
  if (best_loose <= max)
    return best;
  /* the next allowed break after end (or a forced one) */
  size_t next = end + 1;
  while (next < nu && t->cps[u[next - 1].cp0] != '\n' &&
         !can_break(u[next - 1].last, u[next - 1].last_class, u[next].first,
                    u[next].first_class, loose_units))
    next++;
  /* the allowed break before end */
  size_t prev = end - 1;
  while (prev > start + 1 &&
         !can_break(u[prev - 1].last, u[prev - 1].last_class, u[prev].first,
                    u[prev].first_class, loose_units))
    prev--;
  /* the last break inside the piece after end that fits */
  size_t inside = 0;
  for (size_t k = end + 1; k < next; k++)
    if (can_break_inside(&u[k - 1], &u[k])) {
      if (line_looseness(t, u, nu, start, k, avail, size, true) == INFINITY)
        break; /* and so would every later one */
      inside = k;
    }
  line_choice alt[4] = {{next, false}, {end, true}, {prev, true}, {inside, true}};
  for (size_t i = 0; i < 4; i++) {
    if (alt[i].end <= start + (i == 2) || alt[i].end > nu)
      continue;
    if (no_lone_char && alt[i].end < nu &&
        lone_rest(t, u, nu, alt[i].end, size, loose_units))
      continue;
    double loose = line_looseness(t, u, nu, start, alt[i].end, avail, size,
                                  alt[i].wide);
    if (loose <= max)
      return alt[i];
    if (loose < best_loose - 1e-6) {
      best_loose = loose;
      best = alt[i];
    }
  }
  return best;
}

/* A text shaped and cut into units, its full-width marks compressed, its
 * label spacing and grid tracking applied: what the line loop works on. */
typedef struct prepared {
  shaped_text t; /* its arrays live until the shaper's next call */
  unit *u;       /* nu of them (owned) */
  size_t nu;
  bool shaped; /* the role was known (else the error is reported) */
} prepared;

/* Prepare `utf8` as spec says into pr, its (collapsed) text into p; false
 * if there is nothing to set (p is then complete). */
static bool prepare(text_shaper *s, const text_para_spec *spec,
                    const char *utf8, size_t len, src_pos pos, arena *out,
                    diag *d, text_paragraph *p, prepared *pr) {
  size_t clen, nletter;
  letter_gap *letter;
  const char *collapsed =
      collapse_spaces(utf8, len, spec->align != TEXT_ALIGN_JUSTIFY, out,
                      &clen, &letter, &nletter);
  if (collapsed) {
    utf8 = collapsed;
    len = clen;
  }
  p->text = collapsed ? collapsed : arena_strndup(out, utf8, len);
  p->text_len = len;
  shaped_text *tp = &pr->t;
  pr->u = NULL;
  pr->shaped = shaper_shape(s, spec->style.role, utf8, len, pos, d, tp);
  if (!pr->shaped || tp->ncps == 0)
    return false;
  const shaped_text t = *tp;
  p->missing = t.missing;
  unit *u = xmalloc(t.ncps * sizeof *u);
  size_t nu = units_from_shaped(&t, u);
  if (spec->compress_punct)
    compress_punctuation(&t, u, nu);
  /* Letter spacing where a label had spaces: after the unit ending there */
  for (size_t g = 0, k = 0; g < nletter; g++) {
    while (k < nu && t.offs[u[k].cp1] < letter[g].at)
      k++;
    if (k < nu && t.offs[u[k].cp1] == letter[g].at) {
      u[k].adv += letter[g].em;
      u[k].spaced = true;
    }
  }
  /* A character grid (GB/T 9704: 28 a line) condenses or widens every
   * full-width character by the same amount. */
  if (spec->tracking != 0)
    for (size_t k = 0; k < nu; k++)
      if (is_cjk(u[k].first) && u[k].ng)
        u[k].adv += spec->tracking / spec->style.size;
  pr->u = u;
  pr->nu = nu;
  return true;
}

/* Where Chinese may break as spec asks: NULL for anywhere the rules
 * allow, else ok[i] for a word starting at code point i (owned). */
static bool *word_breaks(text_shaper *s, const text_para_spec *spec,
                         const prepared *pr) {
  if (!spec->words || !needs_break_search(spec, &pr->t, pr->u, pr->nu))
    return NULL;
  bool *word_ok = xmalloc(pr->t.ncps + 1);
  if (!word_starts(s, pr->t.cps, pr->t.ncps, word_ok)) {
    free(word_ok);
    return NULL;
  }
  return word_ok;
}

/* The line loop: pr's units into p's lines (allocated in out).  It may
 * compress marks at line starts and in lines that fit by compressing. */
static void set_lines(const text_para_spec *spec, prepared *pr,
                      const bool *word_ok, arena *out, text_paragraph *p) {
  const shaped_text t = pr->t;
  unit *u = pr->u;
  size_t nu = pr->nu;
  double size = spec->style.size;
  double leading = spec->leading > 0 ? spec->leading : size;
  bool bounded = spec->width > 0;
  bool loose_units = spec->align == TEXT_ALIGN_JUSTIFY;
  double base = text_baseline_in_line(size, leading);
  /* Only these lines may fit by giving up marks' blank halves (below). */
  bool squeezable = spec->compress_punct && loose_units && bounded;

  text_line *lines = NULL;
  size_t nlines = 0, caplines = 0;
  line_builder lb = {.out = out, .t = &t, .u = u, .size = size, .text = p->text};
  const double eps = 1e-6;
  for (size_t start = 0; start < nu;) {
    bool first = nlines == 0;
    double indent = first ? spec->first_indent : 0;
    if (spec->compress_punct && indent == 0)
      compress_line_start(&t, &u[start]);
    double avail = bounded ? spec->width - indent : INFINITY;
    double w = 0, wc = 0, sq = 0;
    size_t best = 0, before_best = 0, end = nu;
    bool forced = false, overflowing = false;
    for (size_t k = start;; k++) {
      if (k == nu) {
        end = nu;
        break;
      }
      if (k > start &&
          can_break(u[k - 1].last, u[k - 1].last_class, u[k].first,
                    u[k].first_class, loose_units) &&
          (!word_ok || word_ok[u[k].cp0] ||
           !(is_han(u[k - 1].last) && is_han(u[k].first)))) {
        if (overflowing) {
          end = k;
          break;
        }
        before_best = best;
        best = k;
      }
      uint32_t c0 = t.cps[u[k].cp0];
      if (c0 == '\n') {
        end = k + 1;
        forced = true;
        break;
      }
      w += u[k].adv * size;
      if (c0 != ' ')
        wc = w;
      /* Justified text: a line a little too long fits if its marks give
       * up their blank halves (clreq 3.1.6), rather than push its last
       * piece down and spread the line.  (Ragged text just wraps.) */
      bool opening;
      if (squeezable)
        sq += squeeze(&t, &u[k], &opening);
      if (wc > avail + eps && spec->compress_punct && loose_units &&
          bounded && wc - sq * size <= avail + eps &&
          (k + 1 == nu ||
           can_break(u[k].last, u[k].last_class, u[k + 1].first,
                     u[k + 1].first_class, loose_units)))
        continue;
      if (wc > avail + eps && best <= start && spec->whole_words) {
        overflowing = true;
        continue;
      }
      if (wc > avail + eps) {
        if (best > start)
          end = best;
        else
          end = k > start ? k : k + 1; /* no allowed break: by character */
        break;
      }
    }
    if (spec->no_lone_char && bounded && !forced && end == best &&
        before_best > start + 1 &&
        lone_rest(&t, u, nu, end, size, loose_units))
      end = before_best;
    bool wide = false;
    if (bounded && loose_units && spec->max_spread > 0 && !forced && end < nu &&
        !word_ok) {
      line_choice c = rebreak(&t, u, nu, start, end, avail, size,
                              spec->max_spread, loose_units,
                              spec->no_lone_char);
      end = c.end;
      wide = c.wide;
      forced = t.cps[u[end - 1].cp0] == '\n';
    }
    /* The line's content: trailing spaces and "\n" do not count. */
    size_t ce = content_end(&t, u, start, end);
    double natural = 0;
    for (size_t k = start; k < ce; k++)
      natural += u[k].adv * size;
    if (bounded && ce > start && natural > avail + eps) {
      /* it fitted by its marks giving up blank halves */
      squeeze_line(&t, u, start, ce, (natural - avail) / size);
      natural = 0;
      for (size_t k = start; k < ce; k++)
        natural += u[k].adv * size;
    }
    double x = indent, gap = 0, set_width = natural;
    bool last = end >= nu || forced;
    if (bounded) {
      switch (spec->align) {
      case TEXT_ALIGN_JUSTIFY:
        if (!last && natural < avail) {
          size_t gaps = 0;
          for (size_t k = start + 1; k < ce; k++)
            gaps += spreads(&u[k - 1], &u[k], wide);
          if (gaps) {
            gap = (avail - natural) / (double)gaps;
            set_width = avail;
          }
        }
        break;
      case TEXT_ALIGN_CENTER:
        x += (avail - natural) / 2;
        break;
      case TEXT_ALIGN_RIGHT:
        x += avail - natural;
        break;
      case TEXT_ALIGN_LEFT:
        break;
      }
    }
    XGROW(lines, caplines, nlines + 1);
    text_line *line = &lines[nlines++];
    memset(line, 0, sizeof *line);
    line->x = x;
    line->width = set_width;
    line->baseline = (double)(nlines - 1) * leading + base;
    line->start = t.offs[u[start].cp0];
    line->end = ce > start ? t.offs[u[ce - 1].cp1] : line->start;
    line->spread = gap;
    for (size_t k = start; k + 1 < ce && !line->letter_spaced; k++)
      line->letter_spaced = u[k].spaced;
    if (ce > start && !spec->measure_only)
      emit_line(&lb, line, start, ce, x, gap, wide, line->baseline);
    if (natural + indent > p->natural_width)
      p->natural_width = natural + indent;
    start = end;
  }
  free(lb.glyphs);
  text_line *kept = ARENA_ARRAY(out, text_line, nlines ? nlines : 1);
  if (nlines)
    memcpy(kept, lines, nlines * sizeof *kept);
  free(lines);
  p->lines = kept;
  p->nlines = nlines;
  p->height = (double)nlines * leading;
}

/* ---------------------------------------------------------------- memo
 * A budget's tables set the same short texts again and again — codes,
 * names, "合计", the headers of every table and every unit — in the same
 * column at the same size.  What text_break and text_cell_extent give for
 * a short text depends only on the text, the spec and the fonts, so the
 * shaper keeps it; a hit is a copy.  Texts with missing characters are
 * not kept (each occurrence reports them at its own position). */
enum { SET_MEMO_MAX_BYTES = 160, SET_MEMO_MAX_ENTRIES = 8192 };

typedef enum set_kind { SET_PARAGRAPH, SET_EXTENT, SET_EXTENT_PIECES } set_kind;

typedef struct set_key {
  set_kind kind;
  int role;
  int align;
  bool no_lone_char, compress_punct, words, whole_words, measure_only;
  double size, width, leading, first_indent, tracking, max_spread;
} set_key;

struct set_memo_entry {
  set_memo_entry *next; /* hash chain */
  uint64_t hash;
  set_key key;
  const char *text; /* len bytes */
  size_t len;
  const text_paragraph *para; /* SET_PARAGRAPH */
  text_extent extent;         /* SET_EXTENT* */
};

/* The key is hashed and compared as bytes, so it is filled in place,
 * padding zeroed, and copied with memcpy (an assignment need not copy
 * padding). */
static void key_fill(set_key *k, set_kind kind, const text_para_spec *spec) {
  memset(k, 0, sizeof *k);
  k->kind = kind;
  k->role = spec->style.role;
  k->size = spec->style.size;
  if (kind != SET_PARAGRAPH)
    return;
  k->align = (int)spec->align;
  k->no_lone_char = spec->no_lone_char;
  k->compress_punct = spec->compress_punct;
  k->words = spec->words;
  k->whole_words = spec->whole_words;
  k->measure_only = spec->measure_only;
  k->width = spec->width;
  k->leading = spec->leading;
  k->first_indent = spec->first_indent;
  k->tracking = spec->tracking;
  k->max_spread = spec->max_spread;
}

static uint64_t key_hash(const set_key *k, const char *text, size_t len) {
  uint64_t h = 1469598103934665603ull;
  const unsigned char *b = (const unsigned char *)k;
  for (size_t i = 0; i < sizeof *k; i++)
    h = (h ^ b[i]) * 1099511628211ull;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
  return h;
}

static void set_memo_clear(break_state *ws) {
  arena_drop(ws->set_arena);
  ws->set_arena = NULL;
  if (ws->set_buckets)
    memset(ws->set_buckets, 0, ws->set_nbuckets * sizeof *ws->set_buckets);
  ws->set_nentries = 0;
}

/* The memo of sh, emptied if the fonts changed since it was filled. */
static break_state *set_memo(text_shaper *sh) {
  break_state *ws = break_state_of(sh);
  unsigned generation = shaper_fonts(sh)->generation;
  if (ws->set_arena && ws->set_generation != generation)
    set_memo_clear(ws);
  ws->set_generation = generation;
  return ws;
}

static const set_memo_entry *set_memo_find(const break_state *ws, uint64_t h,
                                           const set_key *k,
                                           const char *text, size_t len) {
  if (!ws->set_nbuckets)
    return NULL;
  for (const set_memo_entry *e = ws->set_buckets[h & (ws->set_nbuckets - 1)];
       e; e = e->next)
    if (e->hash == h && e->len == len && !memcmp(&e->key, k, sizeof *k) &&
        !memcmp(e->text, text, len))
      return e;
  return NULL;
}

/* A deep copy of p in `to`: its text, lines, runs and glyphs. */
static text_paragraph *paragraph_copy(const text_paragraph *p, arena *to) {
  text_paragraph *c = ARENA_NEW(to, text_paragraph);
  *c = *p;
  c->text = arena_strndup(to, p->text, p->text_len);
  text_line *lines = ARENA_ARRAY(to, text_line, p->nlines ? p->nlines : 1);
  for (size_t i = 0; i < p->nlines; i++) {
    const text_line *l = &p->lines[i];
    lines[i] = *l;
    if (!l->nruns)
      continue;
    /* a line's glyphs are one array, its runs consecutive pieces of it */
    size_t nglyphs = 0;
    for (size_t r = 0; r < l->nruns; r++)
      nglyphs += l->runs[r].count;
    text_glyph *glyphs = ARENA_ARRAY(to, text_glyph, nglyphs ? nglyphs : 1);
    text_run *runs = ARENA_ARRAY(to, text_run, l->nruns);
    for (size_t r = 0, g = 0; r < l->nruns; r++) {
      runs[r] = l->runs[r];
      memcpy(glyphs + g, l->runs[r].glyphs, l->runs[r].count * sizeof *glyphs);
      runs[r].glyphs = glyphs + g;
      runs[r].text = c->text;
      g += l->runs[r].count;
    }
    lines[i].runs = runs;
  }
  c->lines = lines;
  return c;
}

static set_memo_entry *set_memo_add(break_state *ws, uint64_t h,
                                    const set_key *k, const char *text,
                                    size_t len) {
  if (ws->set_nentries >= SET_MEMO_MAX_ENTRIES) /* bounded: start over */
    set_memo_clear(ws);
  if (!ws->set_arena)
    ws->set_arena = arena_new();
  if (ws->set_nentries >= ws->set_nbuckets) { /* keep chains short */
    size_t nb = ws->set_nbuckets ? ws->set_nbuckets * 2 : 1024;
    set_memo_entry **b = xcalloc(nb, sizeof *b);
    for (size_t i = 0; i < ws->set_nbuckets; i++)
      for (set_memo_entry *e = ws->set_buckets[i], *next; e; e = next) {
        next = e->next;
        e->next = b[e->hash & (nb - 1)];
        b[e->hash & (nb - 1)] = e;
      }
    free(ws->set_buckets);
    ws->set_buckets = b;
    ws->set_nbuckets = nb;
  }
  set_memo_entry *e = ARENA_NEW(ws->set_arena, set_memo_entry);
  e->hash = h;
  memcpy(&e->key, k, sizeof *k);
  e->text = arena_strndup(ws->set_arena, text, len);
  e->len = len;
  e->next = ws->set_buckets[h & (ws->set_nbuckets - 1)];
  ws->set_buckets[h & (ws->set_nbuckets - 1)] = e;
  ws->set_nentries++;
  return e;
}

const text_paragraph *text_break(text_shaper *s, const text_para_spec *spec,
                                 const char *utf8, size_t len, src_pos pos,
                                 arena *out, diag *d) {
  bool memo = len <= SET_MEMO_MAX_BYTES;
  set_key key;
  uint64_t h = 0;
  break_state *ws = NULL;
  if (memo) {
    key_fill(&key, SET_PARAGRAPH, spec);
    h = key_hash(&key, utf8, len);
    ws = set_memo(s);
    const set_memo_entry *e = set_memo_find(ws, h, &key, utf8, len);
    if (e)
      return paragraph_copy(e->para, out);
  }
  text_paragraph *p = ARENA_NEW(out, text_paragraph);
  prepared pr;
  if (!prepare(s, spec, utf8, len, pos, out, d, p, &pr)) {
    if (memo && pr.shaped && !p->missing) /* an empty cell, say */
      set_memo_add(ws, h, &key, utf8, len)->para =
          paragraph_copy(p, ws->set_arena);
    return p;
  }
  bool *word_ok = word_breaks(s, spec, &pr);
  set_lines(spec, &pr, word_ok, out, p);
  free(word_ok);
  free(pr.u);
  if (memo && !p->missing) {
    set_memo_entry *e = set_memo_add(ws, h, &key, utf8, len);
    e->para = paragraph_copy(p, ws->set_arena);
  }
  return p;
}

text_extent text_cell_extent(text_shaper *s, text_style style,
                             const char *utf8, size_t len, bool pieces,
                             src_pos pos, arena *scratch, diag *d) {
  text_extent e = {0, 0};
  bool memo = len <= SET_MEMO_MAX_BYTES;
  text_para_spec asked = {.style = style};
  set_key key;
  key_fill(&key, pieces ? SET_EXTENT_PIECES : SET_EXTENT, &asked);
  uint64_t h = memo ? key_hash(&key, utf8, len) : 0;
  break_state *ws = memo ? set_memo(s) : NULL;
  const set_memo_entry *hit =
      memo ? set_memo_find(ws, h, &key, utf8, len) : NULL;
  if (hit)
    return hit->extent;
  /* One line, and as narrow as can be with whole words: each line is then
   * one unbreakable piece.  Both set from one shaping; the narrow setting
   * runs second, as it compresses more of the marks. */
  text_para_spec one = {
      .style = style, .compress_punct = true, .measure_only = true};
  text_para_spec narrow = {.style = style,
                           .width = 0.01,
                           .compress_punct = true,
                           .words = true,
                           .whole_words = true,
                           .measure_only = true};
  text_paragraph p = {0};
  prepared pr;
  if (!prepare(s, &one, utf8, len, pos, scratch, d, &p, &pr))
    return e;
  bool *word_ok = pieces ? word_breaks(s, &narrow, &pr) : NULL;
  set_lines(&one, &pr, NULL, scratch, &p);
  e.one_line = p.natural_width;
  if (pieces) {
    p.natural_width = 0;
    set_lines(&narrow, &pr, word_ok, scratch, &p);
    e.widest_piece = p.natural_width;
  }
  free(word_ok);
  free(pr.u);
  if (memo && !p.missing)
    set_memo_add(ws, h, &key, utf8, len)->extent = e;
  return e;
}
