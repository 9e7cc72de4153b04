/* SPDX-License-Identifier: MIT */
/* blocks.c — the table of block kinds: for each, its key in a layout file,
 * its reader (load.c), its expander (expand.c) and the data it places.  A
 * new kind of block is one row here and its two functions; nothing else
 * switches on the kind. */
#include "layout_imp.h"

static const char *places_table(const lblock *b) { return b->u.table.data; }
static const char *places_text(const lblock *b) { return b->u.text.data; }
static const char *places_fields(const lblock *b) { return b->u.fields.data; }

const lblock_kind_ops lblock_kinds[LB_NKINDS] = {
    [LB_SPACE] = {"space", read_space_block, expand_space_block, NULL},
    [LB_PAGE_BREAK] = {"page-break", read_nothing_block,
                       expand_page_break_block, NULL},
    [LB_PARAGRAPH] = {"paragraph", read_paragraph_block,
                      expand_paragraph_block, NULL},
    [LB_HEADING] = {"heading", read_paragraph_block, expand_paragraph_block,
                    NULL},
    [LB_TOC] = {"toc", read_toc_block, expand_toc_block, NULL},
    [LB_TEXT_SECTIONS] = {"text-sections", read_text_block,
                          expand_sections_block, places_text},
    [LB_TABLE] = {"table", read_table_block, expand_table_block,
                  places_table},
    [LB_ENTRIES] = {"entries", read_text_block, expand_entries_block,
                    places_text},
    [LB_FIELDS] = {"fields", read_fields_block, expand_fields_block,
                   places_fields},
};
