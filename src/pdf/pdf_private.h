/* pdf_private.h — shared between the files of src/pdf; tests may include
 * it for the hooks at the end. */
#ifndef BUDGETPDF_PDF_PRIVATE_H
#define BUDGETPDF_PDF_PRIVATE_H

#include "pdf.h"

#include <hb.h>
#include <hpdf.h>

/* One embedded font: every glyph of one face the document draws. */
typedef struct pdf_font {
  const text_face *face;
  hb_map_t *text_index;  /* original gid → index into texts */
  const char **texts;    /* what each glyph stands for (borrowed from the
                            page_doc), UTF-8, texts_len bytes */
  uint32_t *texts_len;
  uint32_t *gids;        /* original gid of each index */
  size_t ntexts, captexts;
  /* after embedding */
  hb_map_t *code_of;     /* original gid → code in content streams */
  HPDF_Dict dict;        /* the Type0 font */
  size_t program_len;
} pdf_font;

/* Record that the font draws gid standing for text[0..len). */
void pdf_font_add_glyph(pdf_font *f, uint32_t gid, const char *text,
                        uint32_t len);

/* Subset the font, build its PDF objects in pdf and fill f->code_of and
 * f->dict.  Reports failures to d. */
bool pdf_font_embed(pdf_font *f, HPDF_Doc pdf, bool compress, diag *d);

void pdf_font_free(pdf_font *f);

/* Test hook: called by pdf_write_atomically after the temporary file is
 * created and before it is written (NULL in normal runs). */
extern void (*pdf_test_after_temp_created)(const char *temp_path);

#endif
