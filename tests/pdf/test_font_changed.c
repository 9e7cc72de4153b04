/* SPDX-License-Identifier: MIT */
/* test_font_changed.c — a font file cut short while budgetpdf has it
 * mapped (another program rewriting it in place, a full disk on a share).
 * Reads past the new end would raise SIGBUS and kill the process with no
 * message; they read zeros instead, and the run ends with
 *   PATH: error: font file changed while being read (…); nothing written
 * an I/O error (exit 2), the previous PDF kept, no temporary file.
 *
 * The file is cut at defined points of the pipeline, in process: after
 * the face is opened and before any text is shaped; after shaping and
 * before subsetting and embedding.  Each at several lengths, for a
 * TrueType and an OpenType/CFF font. */
#include "harness.h"
#include "pdf.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORK "work-font-changed"
static const char sample[] = "预算“三公”经费≥95％（增长）2021年1681.99万元";
static const char previous[] = "%PDF-1.7\n% the previous version\n";

static char *slurp(const char *path, size_t *len) {
  diag *d = diag_new(NULL);
  char *s = file_read_all(path, (size_t)64 << 20, len, d);
  diag_drop(d);
  return s;
}

static void put(const char *path, const void *bytes, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f && fwrite(bytes, 1, n, f) == n);
  if (f)
    CHECK(fclose(f) == 0);
}

static int temporaries(void) {
  DIR *dir = opendir(WORK);
  int n = 0;
  for (struct dirent *e; dir && (e = readdir(dir));)
    n += !strncmp(e->d_name, ".out.pdf.", 9);
  if (dir)
    closedir(dir);
  return n;
}

typedef enum { CUT_BEFORE_SHAPING, CUT_BEFORE_EMBEDDING } cut_point;

/* Render sample with `font` (face index) copied to WORK/font, the copy
 * cut to `cut` bytes at `when`; expect the I/O error and the previous
 * PDF. */
static void render_with_cut(const char *font, const char *spec_suffix,
                            size_t cut, cut_point when) {
  mkdir(WORK, 0755);
  size_t len = 0;
  char *bytes = slurp(font, &len);
  CHECK(bytes != NULL);
  if (!bytes)
    return;
  put(WORK "/font", bytes, len);
  free(bytes);
  put(WORK "/out.pdf", previous, strlen(previous));

  FILE *messages = tmpfile();
  diag *d = diag_new(messages);
  text_fonts *fonts = text_fonts_new();
  bbuf spec = {0};
  bbuf_printf(&spec, "%s%s", WORK "/font", spec_suffix);
  CHECK(text_fonts_set_role(fonts, "宋体", spec.data, (src_pos){0}, d));
  if (when == CUT_BEFORE_SHAPING)
    CHECK(truncate(WORK "/font", (off_t)cut) == 0);
  text_shaper *sh = text_shaper_new(fonts);
  arena *a = arena_new();
  page_doc *doc = page_doc_new();
  page_list *pg = page_doc_add_page(doc, 595.28, 841.89);
  text_para_spec ps = {.style = {text_fonts_lookup_role(fonts, "宋体"), 12},
                       .leading = 18};
  const text_paragraph *p =
      text_break(sh, &ps, sample, strlen(sample), (src_pos){0}, a, d);
  if (p)
    page_add_paragraph(doc, pg, p, 0, p->nlines, 72, 72);
  if (when == CUT_BEFORE_EMBEDDING)
    CHECK(truncate(WORK "/font", (off_t)cut) == 0);

  /* what main does: the faces first, then the writer's own check */
  bool changed = text_fonts_report_changed(fonts, d);
  if (when == CUT_BEFORE_SHAPING)
    CHECK(changed);
  if (!changed)
    CHECK(!pdf_write(doc, WORK "/out.pdf", NULL, d));
  CHECK_INT(diag_exit_status(d), BP_EXIT_USAGE); /* 2: I/O */
  fflush(messages);
  rewind(messages);
  char got[1024] = "";
  size_t n = fread(got, 1, sizeof got - 1, messages);
  got[n] = 0;
  CHECK_STR(got, WORK "/font: error: font file changed while being read "
                 "(cut short during the render); nothing written\n");
  size_t out_len = 0;
  char *out = slurp(WORK "/out.pdf", &out_len);
  CHECK_STR(out ? out : "", previous);
  free(out);
  CHECK_INT(temporaries(), 0);

  page_doc_drop(doc);
  arena_drop(a);
  text_shaper_drop(sh);
  text_fonts_drop(fonts);
  diag_drop(d);
  fclose(messages);
  bbuf_free(&spec);
  unlink(WORK "/font");
}

#define SONG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define NOTO "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"

static const size_t cuts[] = {0, 12, 4096, 65536, 1 << 20};

TEST(truetype_cut_before_shaping) {
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
    render_with_cut(SONG, "", cuts[i], CUT_BEFORE_SHAPING);
}

TEST(truetype_cut_before_embedding) {
  /* the glyphs drawn lie past the first megabyte of the file */
  static const size_t late[] = {0, 12, 4096, 65536, 1 << 20};
  for (size_t i = 0; i < sizeof late / sizeof *late; i++)
    render_with_cut(SONG, "", late[i], CUT_BEFORE_EMBEDDING);
}

TEST(opentype_cff_cut_before_shaping_and_embedding) {
  render_with_cut(NOTO, "#2", 4096, CUT_BEFORE_SHAPING);
  render_with_cut(NOTO, "#2", 1 << 20, CUT_BEFORE_EMBEDDING);
}

/* A fault that is not in a font mapping still kills the process: the
 * handler passes it on rather than hiding it. */
TEST(other_sigbus_is_not_swallowed) {
  mkdir(WORK, 0755);
  put(WORK "/other", "x", 1);
  pid_t pid = fork();
  if (pid == 0) {
    /* install the handler by opening a face, then fault elsewhere */
    diag *d = diag_new(NULL);
    text_fonts *fonts = text_fonts_new();
    text_fonts_set_role(fonts, "宋体", SONG, (src_pos){0}, d);
    int fd = open(WORK "/other", O_RDONLY);
    volatile char *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    _exit(m[4096] == 0 ? 10 : 11); /* past the end of a 1-byte file */
  }
  int st = 0;
  waitpid(pid, &st, 0);
  /* killed by SIGBUS — or, under ASan, its handler's report and exit 1:
   * either way not the 10 or 11 of a read that went on */
  CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS) ||
        (WIFEXITED(st) && WEXITSTATUS(st) != 10 && WEXITSTATUS(st) != 11 &&
         WEXITSTATUS(st) != 0));
  unlink(WORK "/other");
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(truetype_cut_before_shaping);
  RUN(truetype_cut_before_embedding);
  RUN(opentype_cff_cut_before_shaping_and_embedding);
  RUN(other_sigbus_is_not_swallowed);
  return harness_done();
}
