/* SPDX-License-Identifier: MIT */
/* numbering.c — generated section and item numbers.  A heading or a
 * paragraph of the data written with {#} gets its number from the layout's
 * `numbering` patterns by depth ("一、", "（一）", "1."), so a section can
 * no longer be numbered "7、" among 一 … 十, nor two items "4.". */
#include "layout_imp.h"

#include <string.h>

/* 1 … 99 in Chinese numerals as used in section numbers: 一 … 十, 十一,
 * 二十, 二十一 … 九十九; beyond that, digits. */
static void chinese_numeral(bbuf *out, int n) {
  static const char *const digit[] = {"〇", "一", "二", "三", "四",
                                      "五", "六", "七", "八", "九"};
  if (n <= 0 || n > 99) {
    bbuf_printf(out, "%d", n);
    return;
  }
  int tens = n / 10, ones = n % 10;
  if (tens > 1)
    bbuf_puts(out, digit[tens]);
  if (tens > 0)
    bbuf_puts(out, "十");
  if (ones > 0)
    bbuf_puts(out, digit[ones]);
}

const char *numbering_label(arena *a, const char *pattern, int n) {
  bbuf out = {0};
  bbuf_puts(&out, "");
  const char *cn = strstr(pattern, "一");
  const char *ar = strchr(pattern, '1');
  const char *at = cn && (!ar || cn < ar) ? cn : ar;
  bbuf_append(&out, pattern, (size_t)(at - pattern));
  if (at == cn) {
    chinese_numeral(&out, n);
    at += strlen("一");
  } else {
    bbuf_printf(&out, "%d", n);
    at += 1;
  }
  bbuf_puts(&out, at);
  const char *s = arena_strdup(a, out.data);
  bbuf_free(&out);
  return s;
}

const char *numbering_fill(arena *a, const char *text, const char *label) {
  const char *mark = text ? strstr(text, "{#}") : NULL;
  if (!mark)
    return text;
  return arena_printf(a, "%.*s%s%s", (int)(mark - text), text, label,
                      mark + 3);
}
