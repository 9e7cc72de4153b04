/* SPDX-License-Identifier: MIT */
/* dump.c — the block tree as text: one line per block or table row, for
 * tests and `budgetpdf dump-blocks` (one renderer per output, STYLE.md 15). */
#include "layout_imp.h"

static void dump_row(FILE *out, const char *what, const block_row *r) {
  fprintf(out, "    %s", what);
  for (int i = 0; i < r->ncells; i++) {
    const block_cell *c = &r->cells[i];
    fprintf(out, " | %s", c->text);
    if (c->colspan != 1 || c->rowspan != 1)
      fprintf(out, " (%dx%d)", c->colspan, c->rowspan);
  }
  fputs(" |\n", out);
}

static bool repeats(const block_table *t, const block_row *r) {
  return t->repeat && r >= t->repeat && r < t->repeat + t->nrepeat;
}

void block_doc_dump(const block_doc *b, FILE *out) {
  fprintf(out, "document \"%s\" author \"%s\" date %s\n",
          b->title ? b->title : "", b->author ? b->author : "",
          b->creation_date ? b->creation_date : "-");
  for (int s = 0; s < b->nsections; s++) {
    const block_section *sec = &b->sections[s];
    fprintf(out, "section page=%s%s%s", sec->page ? sec->page->name : "?",
            sec->folio ? "" : " no-folio", sec->bookmark ? " bookmark=" : "");
    if (sec->bookmark)
      fputs(sec->bookmark, out);
    if (sec->first_page_number)
      fprintf(out, " first-page=%d", sec->first_page_number);
    fputc('\n', out);
    for (int i = 0; i < sec->nblocks; i++) {
      const block *bl = &sec->blocks[i];
      const char *marks = bl->keep_with_next ? " keep" : "";
      switch (bl->kind) {
      case BLOCK_PARAGRAPH:
        fprintf(out, "  paragraph [%s]%s", bl->u.paragraph.style->name, marks);
        if (bl->toc_level)
          fprintf(out, " toc=%d", bl->toc_level);
        if (bl->bookmark_level)
          fprintf(out, " bookmark=%d", bl->bookmark_level);
        fprintf(out, " %s\n", bl->u.paragraph.text);
        break;
      case BLOCK_SPACE:
        fprintf(out, "  space %.1fpt\n", bl->u.space);
        break;
      case BLOCK_PAGE_BREAK:
        fputs("  page-break\n", out);
        break;
      case BLOCK_TOC:
        fprintf(out, "  toc %s\n", bl->u.toc.title ? bl->u.toc.title : "");
        break;
      case BLOCK_TABLE: {
        const block_table *t = &bl->u.table;
        fprintf(out, "  table %d columns%s%s\n", t->ncols,
                t->borders ? "" : " borderless", marks);
        /* "*": drawn again on continuation pages. */
        for (int r = 0; r < t->nhead; r++)
          dump_row(out, repeats(t, &t->head[r]) ? "head*" : "head ",
                   &t->head[r]);
        for (int r = 0; r < t->nbody; r++)
          dump_row(out, repeats(t, &t->body[r]) ? "row* " : "row  ",
                   &t->body[r]);
        break;
      }
      }
    }
  }
}
