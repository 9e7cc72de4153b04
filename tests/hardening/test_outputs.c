/* SPDX-License-Identifier: MIT */
/* test_outputs.c — where `render -o` writes, through the real binary:
 * symbolic links (dangling, chained, looping), -o naming a --font file,
 * the previous PDF's mode, owner and group, and names as long as a file
 * name may be.  docs/ERRORS.md ("I/O") says what each must do. */
#include "runner.h"

#include <limits.h>

#define REFERENCE SOURCE_DIR "/data/changji-sib-2021.yaml"
#define SMALL TEST_DIR "/fixtures/layout-small.yaml"
#define SONG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"

static bp_limits limits(void) {
  bp_limits l = {0};
  l.wall_seconds = BP_SANITIZED ? 300 : 60;
  return l;
}

static const char *workdir(const char *name) {
  static char dir[256];
  snprintf(dir, sizeof dir, "work/outputs-%s", name);
  bp_fresh_dir(dir);
  return dir;
}

static bp_result render_to(const char *dir, const char *out,
                           const char *extra) {
  bp_limits lim = limits();
  if (extra)
    return bp_run(dir, &lim, "render", REFERENCE, "--layout", SMALL, "-o",
                  out, "--font", extra, NULL);
  return bp_run(dir, &lim, "render", REFERENCE, "--layout", SMALL, "-o", out,
                NULL);
}

static char *at(const char *dir, const char *name) {
  bbuf b = {0};
  bbuf_printf(&b, "%s/%s", dir, name);
  return b.data;
}

static bool is_pdf(const char *path) {
  char *s = bp_slurp(path);
  bool ok = !strncmp(s, "%PDF-", 5) && strcmp(s, bp_previous_pdf);
  free(s);
  return ok;
}

static bool is_link_to(const char *path, const char *target) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0)
    return false;
  buf[n] = 0;
  return !strcmp(buf, target);
}

/* ---------------------------------------------------------------- links */

/* A dangling link: the file it points to is created, the link stays. */
TEST(dangling_links_create_their_target) {
  static const struct {
    const char *link, *points_to, *created; /* created: relative to dir */
  } cases[] = {
      {"out.pdf", "new.pdf", "new.pdf"},
      {"out.pdf", "sub/new.pdf", "sub/new.pdf"},
      {"sub/out.pdf", "../new.pdf", "new.pdf"},
      {"sub/out.pdf", "new.pdf", "sub/new.pdf"},
      {"out.pdf", "sub/next.pdf", "sub/final.pdf"}, /* a chain: next → final */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("dangling");
    char *sub = at(dir, "sub");
    CHECK(mkdir(sub, 0755) == 0);
    char *link = at(dir, cases[i].link);
    CHECK(symlink(cases[i].points_to, link) == 0);
    if (!strcmp(cases[i].created, "sub/final.pdf")) {
      char *next = at(dir, "sub/next.pdf");
      CHECK(symlink("final.pdf", next) == 0);
      free(next);
    }
    bp_result r = render_to(dir, cases[i].link, NULL);
    CHECK_INT(r.status, 0);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, "");
    free(e);
    CHECK(is_link_to(link, cases[i].points_to));
    char *made = at(dir, cases[i].created);
    CHECK(is_pdf(made));
    free(made);
    free(link);
    free(sub);
    bp_result_drop(&r);
  }
}

/* A dangling link into a folder that does not exist: nothing to create. */
TEST(dangling_link_into_a_missing_folder) {
  const char *dir = workdir("dangling-missing");
  char *link = at(dir, "out.pdf");
  CHECK(symlink("nosuch/new.pdf", link) == 0);
  bp_result r = render_to(dir, "out.pdf", NULL);
  CHECK_INT(r.status, 2);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, "out.pdf: error: cannot write: No such file or directory\n");
  free(e);
  CHECK(is_link_to(link, "nosuch/new.pdf"));
  free(link);
  bp_result_drop(&r);
}

/* A loop of links is refused, and every link stays as it was. */
TEST(link_loops_are_refused) {
  static const int lengths[] = {1, 2, 3, 5, 41};
  for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++) {
    const char *dir = workdir("loop");
    int n = lengths[i];
    for (int k = 0; k < n; k++) {
      char name[32], to[32];
      snprintf(name, sizeof name, "l%d", k);
      snprintf(to, sizeof to, "l%d", (k + 1) % n);
      char *p = at(dir, name);
      CHECK(symlink(to, p) == 0);
      free(p);
    }
    bp_result r = render_to(dir, "l0", NULL);
    CHECK_INT(r.status, 2);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, "l0: error: cannot write: Too many levels of symbolic links\n");
    free(e);
    char *l0 = at(dir, "l0");
    CHECK(is_link_to(l0, n == 1 ? "l0" : "l1"));
    free(l0);
    CHECK_INT(bp_temporaries(dir, "l0"), 0);
    bp_result_drop(&r);
  }
}

/* ---------------------------------------------------------------- --font */

/* -o naming the font file of a --font option, however it is spelt. */
TEST(output_is_a_font_file) {
  static const struct {
    const char *out, *font;
  } cases[] = {
      {"f.ttf", "宋体=f.ttf"},
      {"./f.ttf", "宋体=f.ttf"},
      {"f.ttf", "宋体=./f.ttf#0"},
      {"link.ttf", "仿宋=f.ttf"},   /* a link to it */
      {"hard.ttf", "宋体=f.ttf"},   /* a hard link to it */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *dir = workdir("font");
    char *f = at(dir, "f.ttf"), *soft = at(dir, "link.ttf"),
         *hard = at(dir, "hard.ttf");
    size_t len = 0;
    char *font = bp_slurp_len(SONG, &len);
    CHECK(bp_put_bytes(f, font, len));
    CHECK(symlink("f.ttf", soft) == 0);
    CHECK(link(f, hard) == 0);
    bp_result r = render_to(dir, cases[i].out, cases[i].font);
    CHECK_INT(r.status, 2);
    char *e = bp_without_warnings(r.err);
    bbuf want = {0};
    bbuf_printf(&want,
                "budgetpdf: error: -o %s is the font file of --font %s; the "
                "PDF would replace it\n",
                cases[i].out, cases[i].font);
    CHECK_STR(e, want.data);
    size_t now_len = 0;
    char *now = bp_slurp_len(f, &now_len);
    CHECK(now_len == len && !memcmp(now, font, len));
    free(now);
    bbuf_free(&want);
    free(e);
    free(font);
    free(f);
    free(soft);
    free(hard);
    bp_result_drop(&r);
  }
}

/* ---------------------------------------------------------------- modes */

/* The new PDF keeps the previous one's mode, owner and group. */
TEST(previous_mode_owner_and_group_kept) {
  static const struct {
    mode_t mode;
    uid_t uid;
    gid_t gid;
  } cases[] = {
      {0600, 0, 1}, {0640, 0, 2}, {0444, 0, 0}, {0755, 0, 0}, {0660, 1, 1},
      {0604, 65534, 65534},
  };
  bool root = geteuid() == 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    if (!root && (cases[i].uid != geteuid() || cases[i].gid != getegid()))
      continue; /* only root may give a file away */
    const char *dir = workdir("mode");
    char *out = at(dir, "out.pdf");
    CHECK(bp_put(out, bp_previous_pdf));
    CHECK(chown(out, cases[i].uid, cases[i].gid) == 0);
    CHECK(chmod(out, cases[i].mode) == 0);
    bp_result r = render_to(dir, "out.pdf", NULL);
    CHECK_INT(r.status, 0);
    struct stat st;
    CHECK(stat(out, &st) == 0);
    CHECK_INT((int)(st.st_mode & 07777), (int)cases[i].mode);
    CHECK_INT((int)st.st_uid, (int)cases[i].uid);
    CHECK_INT((int)st.st_gid, (int)cases[i].gid);
    CHECK(is_pdf(out));
    free(out);
    bp_result_drop(&r);
  }
}

/* No previous file: 0666 less the umask, as any new file. */
TEST(new_file_mode_from_umask) {
  const char *dir = workdir("umask");
  mode_t old = umask(027);
  bp_result r = render_to(dir, "out.pdf", NULL);
  umask(old);
  CHECK_INT(r.status, 0);
  struct stat st;
  char *out = at(dir, "out.pdf");
  CHECK(stat(out, &st) == 0);
  CHECK_INT((int)(st.st_mode & 07777), 0640);
  free(out);
  bp_result_drop(&r);
}

/* ---------------------------------------------------------------- names */

/* A name of up to NAME_MAX (255) bytes is written: the temporary name
 * beside it is shortened to fit. */
TEST(names_up_to_name_max) {
  static const size_t lengths[] = {247, 248, 250, 252, 255};
  for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++) {
    const char *dir = workdir("long");
    char name[300];
    memset(name, 'a', lengths[i] - 4);
    memcpy(name + lengths[i] - 4, ".pdf", 5);
    bp_result r = render_to(dir, name, NULL);
    CHECK_INT(r.status, 0);
    char *e = bp_without_warnings(r.err);
    CHECK_STR(e, "");
    free(e);
    char *p = at(dir, name);
    CHECK(is_pdf(p));
    free(p);
    bp_result_drop(&r);
  }
  /* 85 Chinese characters, 255 bytes: cut at a character, not inside one */
  const char *dir = workdir("long-utf8");
  bbuf name = {0};
  for (int k = 0; k < 85; k++)
    bbuf_puts(&name, "预");
  bp_result r = render_to(dir, name.data, NULL);
  CHECK_INT(r.status, 0);
  char *p = at(dir, name.data);
  CHECK(is_pdf(p));
  free(p);
  bp_result_drop(&r);
  bbuf_free(&name);
  /* one byte more than a name may have: the system's own refusal */
  dir = workdir("too-long");
  char toolong[300];
  memset(toolong, 'a', 256);
  toolong[256] = 0;
  r = render_to(dir, toolong, NULL);
  CHECK_INT(r.status, 2);
  bbuf want = {0};
  bbuf_printf(&want, "%s: error: cannot write: File name too long\n", toolong);
  char *e = bp_without_warnings(r.err);
  CHECK_STR(e, want.data);
  free(e);
  bbuf_free(&want);
  bp_result_drop(&r);
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(dangling_links_create_their_target);
  RUN(dangling_link_into_a_missing_folder);
  RUN(link_loops_are_refused);
  RUN(output_is_a_font_file);
  RUN(previous_mode_owner_and_group_kept);
  RUN(new_file_mode_from_umask);
  RUN(names_up_to_name_max);
  return harness_done();
}
