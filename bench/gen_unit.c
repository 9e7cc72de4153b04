/* SPDX-License-Identifier: MIT */
/* gen_unit.c — writes the data of a synthetic unit's budget disclosure
 * with N projects, for the benchmark: every project has its 表七 row, a
 * description and a performance sheet, and the function and economic
 * tables grow with N.  The figures add up (`budgetpdf check` finds
 * nothing): parents are the sums of their rows, row sums hold, and the
 * cross-table identities of schemas/department-budget.yaml hold (表二 =
 * 表三 = 表五 class by class, 表一/表四 agree with them, 表六 is 表五's
 * basic spending, 表七 its project spending, each sheet's funds are its
 * project's 表七 amount, 表八 matches 表六's 三公 items).
 *
 *   gen_unit [-s SEED] [-l] N [OUT.yaml]      (stdout without OUT)
 *   gen_unit -s SEED -m COUNT OUTDIR     COUNT units of a size mix
 *
 * -l (large): a county bureau's figures instead of the benchmark's tiny
 * ones — projects of 10.00 … 999.99 万元 (538.83 on a sheet), basic
 * spending items of 100 … 4000 万元, so that 62 projects make about 7亿元
 * (表四's totals of five integer digits): what the shipped layout must
 * fit (tests/e2e/test_e2e_large.c); every twentieth sheet has so many
 * indicators that it goes on over a page.
 *
 * The same N (and SEED, default 0) gives the same bytes.  -m writes
 * OUTDIR/unit-0000.yaml … and OUTDIR/manifest.txt (one path a line), a
 * province's mix drawn from SEED: half small units (1–6 projects), a
 * third about the reference's size (7–24; it has 15), the rest large
 * (25–80).  Text is drawn from the characters of
 * the reference document, so every default font covers it.  Amounts are
 * small (a project 0.01 … 0.19 万元, a basic-spending item 1.0 … 9.9) so
 * that even N = 5000's totals fit the layout's columns, which are as wide
 * as the reference's figures need (表七: 655.00).
 *
 * Shape: 4 projects to a 项 code, up to 10 项 codes to a 款 (the first
 * 项 of each 款 holds its basic spending only), up to 20 款 to a 类;
 * 表六 has 3 + N/50 款 rows (at most 99) under each of five 类. */
#define _DEFAULT_SOURCE 1 /* getopt */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Han characters of the reference document, most frequent first. */
static const char pool[] =
    "保社标出指会费险经支人万元的公金年目预政务算和理项管计工行用"
    "办本资产基员州业合度单效统机时数服位益障一意发全策运设补系规"
    "生共款构拨作休量退自治况关提区满般昌吉率成局及助法其国月情族"
    "回安参级立职筹要总信以财程事实等执家间放化企个质息活加分他为"
    "据增体排建传能收可升贴科感定完上部群网待宣额维续施商准养老民"
    "是持品使众主长采营有按市地因力于中护备响医车疗案期影名高购称"
    "模府少制划减三询覆缴盖照比档承对原入配通进见电日新担性常在依"
    "二贯表织福直源正权明改接彻善县门遇责负说组线知暖导前证破次核"
    "括快律并包验邮络第究研拟咨号值置救心寄存城卡到利价七造记训水"
    "格房庭展就培需辆转范状查方所开康受印卫健债修严专下路调获编确"
    "由点求根批得录平媒同占十防育积租离物每未旅故推当式应幸大境四"
    "话现条整教户微布小奖外复型各台动内住予了不革限降送还象解结纸"
    "类答爱极更晓无断报惠强审套多处围向别切具党件付交五食银输试综"
    "纳登特热来材料文控打手征底差巡层将室好口励刷六八储供伙从乡与"
    "领面除问适过达较软足账议被融节联耗绩粮籍移硬相百疫留环然灾漫"
    "游海流津洋注油没气步林术援探拥抗技我急形序密容害学季字均听变"
    "取勘劳功冬农兜做享九鼓风题音非集镇重释货词订视落色至者考粉米"
    "空稽税种硒础短督监疆班牌版燃涨涉测段止检桥栏束杂操播握描掌捷"
    "抖抓扫截或态径引广席带属屋居尔富宿宾失天墨填器告吾含后南华勤"
    "则刊函凭冒册典兴免充像促便例伤任令互买之举丰两"
    ;

static FILE *out;
static uint64_t rng_state;
static int large; /* -l: realistic amounts */

static uint32_t rnd(void) { /* xorshift64*: deterministic, seeded by N */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static unsigned below(unsigned n) { return n ? rnd() % n : 0; }

static void put(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(out, fmt, ap);
  va_end(ap);
}

/* n Han characters from the pool (3 bytes each in UTF-8). */
static void put_han(unsigned n) {
  size_t chars = (sizeof pool - 1) / 3;
  for (unsigned i = 0; i < n; i++)
    fwrite(pool + 3 * (size_t)below((unsigned)chars), 1, 3, out);
}

/* A sentence-like text of about n characters: runs of Han separated by
 * ，, a figure now and then, ending in 。 */
static void put_text(unsigned n) {
  unsigned done = 0;
  while (done < n) {
    unsigned run = 6 + below(14);
    put_han(run);
    done += run;
    if (below(4) == 0) {
      put("%u", 1 + below(999));
      put_han(2);
      done += 4;
    }
    if (done < n)
      put("，");
  }
  put("。");
}

/* Amounts are held in hundredths of 万元 and written as the reference
 * writes whole amounts ("655"), decimals only when there are some. */
static void put_value(long long cents) {
  if (cents % 100)
    put("%lld.%02lld", cents / 100, cents % 100);
  else
    put("%lld", cents / 100);
}

static void put_amount(const char *key, long long cents) {
  put(", %s: ", key);
  put_value(cents);
}

/* ---------------------------------------------------------------- plan */

static const struct {
  const char *code, *name;
} classes[] = {
    {"201", "一般公共服务支出"}, {"202", "外交支出"}, {"203", "国防支出"},
    {"204", "公共安全支出"}, {"205", "教育支出"}, {"206", "科学技术支出"},
    {"207", "文化旅游体育与传媒支出"}, {"208", "社会保障和就业支出"},
    {"209", "社会保险基金支出"}, {"210", "卫生健康支出"}, {"211", "节能环保支出"},
    {"212", "城乡社区支出"}, {"213", "农林水支出"}, {"214", "交通运输支出"},
    {"215", "资源勘探工业信息等支出"}, {"216", "商业服务业等支出"},
    {"217", "金融支出"}, {"219", "援助其他地区支出"},
    {"220", "自然资源海洋气象等支出"}, {"221", "住房保障支出"},
    {"222", "粮油物资储备支出"}, {"223", "国有资本经营预算支出"},
    {"224", "灾害防治及应急管理支出"}, {"227", "预备费"}, {"229", "其他支出"},
    {"230", "转移性支出"}, {"231", "债务还本支出"}, {"232", "债务付息支出"},
    {"233", "债务发行费用支出"}, {"234", "抗疫特别国债还本支出"},
};
enum { NCLASSES = sizeof classes / sizeof *classes };

enum { PROJECTS_PER_ITEM = 4, ITEMS_PER_SECTION = 10, SECTIONS_PER_CLASS = 20 };

/* 表七's columns used here: a project's amount goes to one or two. */
enum { GOODS, PERSONS, CAPITAL, NCOLS };
static const char *const col_keys[NCOLS] = {"商品和服务支出", "对个人和家庭的补助",
                                            "资本性支出"};

typedef struct sums {
  long long basic, project, cols[NCOLS];
} sums;

typedef struct item { /* a 项 code */
  char code[16];
  int first_project, nprojects; /* nprojects 0: basic spending only */
  sums s;
} item;

typedef struct section { /* a 款 */
  char code[16];
  int first_item, nitems;
  sums s;
} section;

typedef struct klass {
  int index; /* into classes[] */
  int first_section, nsections;
  sums s;
} klass;

static long long *project_amount;       /* per project */
static long long (*project_cols)[NCOLS]; /* per project */
static item *items;
static section *sections;
static klass *klasses;
static int nitems, nsections, nklasses;

static void add_sums(sums *to, const sums *from) {
  to->basic += from->basic;
  to->project += from->project;
  for (int c = 0; c < NCOLS; c++)
    to->cols[c] += from->cols[c];
}

/* 表六: economic 类 with their 款 names' stems.  30212, 30217 and 30231
 * are the 三公 items 表八 is tied to; they always exist. */
static const struct {
  const char *code, *name;
  int personnel; /* 人员经费 (else 公用经费) */
} econ_classes[] = {
    {"301", "工资福利支出", 1}, {"302", "商品和服务支出", 0},
    {"303", "对个人和家庭的补助", 1}, {"310", "资本性支出", 0},
    {"399", "其他支出", 0},
};
enum { NECON = sizeof econ_classes / sizeof *econ_classes };

static void plan(int n) {
  project_amount = calloc((size_t)n + 1, sizeof *project_amount);
  project_cols = calloc((size_t)n + 1, sizeof *project_cols);
  int nproject_items = (n + PROJECTS_PER_ITEM - 1) / PROJECTS_PER_ITEM;
  int per_section = ITEMS_PER_SECTION - 1; /* item 01 is basic spending */
  nsections = (nproject_items + per_section - 1) / per_section;
  if (nsections < 1)
    nsections = 1;
  nklasses = (nsections + SECTIONS_PER_CLASS - 1) / SECTIONS_PER_CLASS;
  if (nklasses > NCLASSES) {
    fprintf(stderr, "gen_unit: N is too large for %d classes\n", NCLASSES);
    exit(2);
  }
  items = calloc((size_t)(nsections * ITEMS_PER_SECTION), sizeof *items);
  sections = calloc((size_t)nsections, sizeof *sections);
  klasses = calloc((size_t)nklasses, sizeof *klasses);
  /* Spread the classes over the 30 codes in code order. */
  int project = 0, s = 0;
  for (int k = 0; k < nklasses; k++) {
    klass *kl = &klasses[k];
    kl->index = k * NCLASSES / nklasses;
    kl->first_section = s;
    int left = nsections - s, classes_left = nklasses - k;
    kl->nsections = (left + classes_left - 1) / classes_left;
    for (int j = 0; j < kl->nsections; j++, s++) {
      section *se = &sections[s];
      snprintf(se->code, sizeof se->code, "%s%02d", classes[kl->index].code, (j + 1) % 100);
      se->first_item = nitems;
      for (int i = 0; i < ITEMS_PER_SECTION; i++) {
        if (i > 0 && project >= n)
          break;
        item *it = &items[nitems++];
        snprintf(it->code, sizeof it->code, "%.5s%02d", se->code, (i + 1) % 100);
        se->nitems++;
        if (i == 0)
          continue;
        it->first_project = project;
        for (int p = 0; p < PROJECTS_PER_ITEM && project < n; p++, project++) {
          /* 0.01 … 0.19 万元: 表七's eleven columns hold 655.00 at most,
           * and its totals must fit them even for thousands of projects */
          long long a = large ? 1000 + below(99000) : 1 + below(19);
          project_amount[project] = a;
          switch (project % 3) {
          case 0: project_cols[project][GOODS] = a; break;
          case 1: project_cols[project][PERSONS] = a; break;
          default:
            project_cols[project][CAPITAL] = a / 3;
            project_cols[project][GOODS] = a - project_cols[project][CAPITAL];
          }
          it->nprojects++;
          it->s.project += a;
          for (int c = 0; c < NCOLS; c++)
            it->s.cols[c] += project_cols[project][c];
        }
      }
    }
  }
}

/* Basic spending: the 表六 rows, then the same total spread over the
 * basic 项 codes (one per 款). */
static long long (*econ_rows)[2]; /* per 表六 款 row: 人员经费, 公用经费 */
static int econ_per_class;

static const char *const econ_fixed[][2] = {
    {"30212", "因公出国（境）费用"}, {"30217", "公务接待费"}, {"30231", "公务用车运行维护费"}};

static long long plan_basic(int n) {
  econ_per_class = 3 + n / 50;
  if (econ_per_class > 99)
    econ_per_class = 99;
  econ_rows = calloc((size_t)(NECON * econ_per_class), sizeof *econ_rows);
  long long total = 0;
  for (int c = 0; c < NECON; c++)
    for (int j = 0; j < econ_per_class; j++) {
      long long a = large ? 100 * (100 + below(3900)) + below(100)
                          : 100 * (1 + below(9)) + 10 * below(10); /* 1.0 … 9.9 */
      econ_rows[c * econ_per_class + j][econ_classes[c].personnel ? 0 : 1] = a;
      total += a;
    }
  /* spread over the basic items */
  long long share = total / nsections, rest = total - share * nsections;
  for (int s = 0; s < nsections; s++) {
    item *it = &items[sections[s].first_item];
    it->s.basic = share + (s == 0 ? rest : 0);
  }
  for (int s = 0; s < nsections; s++) {
    section *se = &sections[s];
    for (int i = 0; i < se->nitems; i++)
      add_sums(&se->s, &items[se->first_item + i].s);
  }
  for (int k = 0; k < nklasses; k++)
    for (int j = 0; j < klasses[k].nsections; j++)
      add_sums(&klasses[k].s, &sections[klasses[k].first_section + j].s);
  return total;
}

/* The economic 款 code of row j of class c: the 三公 items of 302 first. */
static void econ_code(int c, int j, char code[16], const char **fixed_name) {
  *fixed_name = NULL;
  if (c == 1 && j < 3) {
    snprintf(code, 16, "%s", econ_fixed[j][0]);
    *fixed_name = econ_fixed[j][1];
    return;
  }
  /* other codes skip 12, 17 and 31 in 302 */
  int k = j + 1;
  if (c == 1) {
    k = j - 2;
    if (k >= 12) k++;
    if (k >= 17) k++;
    if (k >= 31) k++;
  }
  snprintf(code, 16, "%s%02d", econ_classes[c].code, k % 100);
}

/* ---------------------------------------------------------------- writing */

static const char unit[] = "基准测试局";

static void put_function_rows(const char *indent, int kind) {
  /* kind 0: 表二 (总计, 一般公共预算拨款); 1: 表三/表五 (合计, 基本, 项目) */
  for (int k = 0; k < nklasses; k++) {
    const klass *kl = &klasses[k];
    for (int j = -1; j < kl->nsections; j++) {
      const section *se = j < 0 ? NULL : &sections[kl->first_section + j];
      for (int i = -1; i < (se ? se->nitems : 0); i++) {
        const sums *s;
        char code[16];
        if (!se) {
          s = &kl->s;
          snprintf(code, sizeof code, "%s", classes[kl->index].code);
        } else if (i < 0) {
          s = &se->s;
          snprintf(code, sizeof code, "%s", se->code);
        } else {
          s = &items[se->first_item + i].s;
          snprintf(code, sizeof code, "%s", items[se->first_item + i].code);
        }
        put("%s- {code: \"%s\", name: \"", indent, code);
        if (!se)
          put("%s", classes[kl->index].name);
        else if (i == 0)
          put("行政运行");
        else {
          put_han(4 + below(6));
          put(i < 0 ? "事务" : "支出");
        }
        put("\"");
        long long total = s->basic + s->project;
        if (kind == 0) {
          put_amount("总计", total);
          put_amount("一般公共预算拨款", total);
        } else {
          put_amount("合计", total);
          if (s->basic)
            put_amount("基本支出", s->basic);
          if (s->project)
            put_amount("项目支出", s->project);
        }
        put("}\n");
      }
    }
  }
}

static long long grand(int which) { /* 0 total, 1 basic, 2 project */
  long long t = 0;
  for (int k = 0; k < nklasses; k++)
    t += which == 0 ? klasses[k].s.basic + klasses[k].s.project
         : which == 1 ? klasses[k].s.basic : klasses[k].s.project;
  return t;
}

static void put_cols(const long long cols[NCOLS], long long total) {
  put_amount("项目支出合计", total);
  for (int c = 0; c < NCOLS; c++)
    if (cols[c])
      put_amount(col_keys[c], cols[c]);
}

static void put_tables(int n, long long basic_total) {
  long long total = grand(0);
  put("tables:\n");
  /* 表一 */
  put("  表一:\n    income:\n      rows:\n");
  put("        - {name: 财政拨款（补助）"); put_amount("预算数", total); put("}\n");
  put("        - {name: 一般公共预算, level: 1"); put_amount("预算数", total); put("}\n");
  put("        - {name: 政府性基金预算, level: 1}\n");
  put("        - {name: 国有资本经营预算, level: 1}\n");
  put("        - {name: 教育收费（财政专户）}\n        - {name: 事业收入}\n");
  put("        - {name: 事业单位经营收入}\n        - {name: 单位其他资金收入}\n");
  put("      total: {预算数: ");
  put_value(total);
  put("}\n");
  put("    expenditure:\n      rows:\n");
  for (int c = 0; c < NCLASSES; c++) {
    put("        - {code: %s, name: %s", classes[c].code, classes[c].name);
    for (int k = 0; k < nklasses; k++)
      if (klasses[k].index == c)
        put_amount("预算数", klasses[k].s.basic + klasses[k].s.project);
    put("}\n");
  }
  put("      total: {预算数: ");
  put_value(total);
  put("}\n\n");
  /* 表二, 表三 */
  put("  表二:\n    rows:\n");
  put_function_rows("      ", 0);
  put("    total: {总计: ");
  put_value(total);
  put_amount("一般公共预算拨款", total);
  put("}\n\n");
  for (int t = 0; t < 2; t++) {
    put("  %s:\n    rows:\n", t ? "表五" : "表三");
    put_function_rows("      ", 1);
    put("    total: {合计: ");
    put_value(total);
    put_amount("基本支出", basic_total);
    if (grand(2))
      put_amount("项目支出", grand(2));
    put("}\n\n");
    if (t == 0) {
      /* 表四 between 表三 and 表五 */
      put("  表四:\n    income:\n      rows:\n");
      put("        - {name: 财政拨款（补助）"); put_amount("合计", total); put("}\n");
      put("        - {name: 一般公共预算, level: 1"); put_amount("合计", total); put("}\n");
      put("        - {name: 政府性基金预算, level: 1}\n");
      put("        - {name: 国有资本经营预算, level: 1}\n");
      put("      total: {合计: ");
      put_value(total);
      put("}\n");
      put("    expenditure:\n      rows:\n");
      for (int c = 0; c < NCLASSES; c++) {
        put("        - {code: %s, name: %s", classes[c].code, classes[c].name);
        for (int k = 0; k < nklasses; k++)
          if (klasses[k].index == c) {
            long long a = klasses[k].s.basic + klasses[k].s.project;
            put_amount("合计", a);
            put_amount("一般公共预算", a);
          }
        put("}\n");
      }
      put("      total: {合计: ");
      put_value(total);
      put_amount("一般公共预算", total);
      put("}\n\n");
    }
  }
  /* 表六 */
  put("  表六:\n    rows:\n");
  long long pers = 0, pub = 0, sangong[3] = {0};
  for (int c = 0; c < NECON; c++) {
    long long cp = 0, cu = 0;
    for (int j = 0; j < econ_per_class; j++) {
      cp += econ_rows[c * econ_per_class + j][0];
      cu += econ_rows[c * econ_per_class + j][1];
    }
    put("      - {code: %s, name: %s", econ_classes[c].code, econ_classes[c].name);
    put_amount("合计", cp + cu);
    put_amount("人员经费", cp);
    put_amount("公用经费", cu);
    put("}\n");
    for (int j = 0; j < econ_per_class; j++) {
      char code[16];
      const char *fixed;
      econ_code(c, j, code, &fixed);
      long long p = econ_rows[c * econ_per_class + j][0], u = econ_rows[c * econ_per_class + j][1];
      if (fixed)
        sangong[j] = p + u;
      put("      - {code: %s, name: \"", code);
      if (fixed)
        put("%s", fixed);
      else {
        put_han(2 + below(6));
        put("费");
      }
      put("\"");
      put_amount("合计", p + u);
      put_amount("人员经费", p);
      put_amount("公用经费", u);
      put("}\n");
    }
    pers += cp;
    pub += cu;
  }
  put("    total: {合计: ");
  put_value(pers + pub);
  put_amount("人员经费", pers);
  put_amount("公用经费", pub);
  put("}\n\n");
  /* 表七 */
  put("  表七:\n    rows:\n");
  sums all = {0};
  for (int k = 0; k < nklasses; k++) {
    const klass *kl = &klasses[k];
    if (!kl->s.project)
      continue;
    add_sums(&all, &kl->s);
    put("      - {code: %s, name: %s", classes[kl->index].code, classes[kl->index].name);
    put_cols(kl->s.cols, kl->s.project);
    put("}\n");
    for (int j = 0; j < kl->nsections; j++) {
      const section *se = &sections[kl->first_section + j];
      if (!se->s.project)
        continue;
      put("      - {code: \"%s\", name: 款%s", se->code, se->code);
      put_cols(se->s.cols, se->s.project);
      put("}\n");
      for (int i = 1; i < se->nitems; i++) {
        const item *it = &items[se->first_item + i];
        for (int p = it->first_project; p < it->first_project + it->nprojects; p++) {
          put("      - {code: \"%s\", name: 项%s, project: p%05d", it->code, it->code, p + 1);
          put_cols(project_cols[p], project_amount[p]);
          put("}\n");
        }
      }
    }
  }
  put("    total: {项目支出合计: ");
  put_value(all.project);
  for (int c = 0; c < NCOLS; c++)
    if (all.cols[c])
      put_amount(col_keys[c], all.cols[c]);
  put("}\n\n");
  (void)n;
  /* 表八: 合计 = 出国 + 车 + 接待; 车 = 购置 + 运行 */
  long long abroad = sangong[0], reception = sangong[1], car = sangong[2];
  put("  表八: {合计: ");
  put_value(abroad + car + reception);
  put_amount("因公出国（境）费", abroad);
  put_amount("公务用车购置及运行费", car);
  put_amount("公务用车运行费", car);
  put_amount("公务接待费", reception);
  put("}\n\n");
  put("  表九:\n    rows: []\n    note: 备注：%s没有安排政府性基金预算拨款。\n\n", unit);
}

static void put_projects(int n) {
  put("projects:\n");
  for (int p = 0; p < n; p++) {
    put("  - {id: p%05d, name: \"", p + 1);
    put_han(6 + below(14));
    put("经费\"}\n");
  }
  put("\n");
}

static void put_descriptions(int n) {
  put("descriptions:\n");
  for (int p = 0; p < n; p++) {
    long long a = project_amount[p];
    put("  - project: p%05d\n    项目名称: \"", p + 1);
    put_han(6 + below(14));
    put("经费\"\n    设立的政策依据: \"《");
    put_han(8 + below(8));
    put("》");
    put_text(40 + below(120));
    put("\"\n    预算安排规模: \"");
    put_value(a);
    put("万元\"\n");
    put("    项目承担单位: %s\n    资金分配情况: \"", unit);
    put_text(20 + below(60));
    put("\"\n    资金执行时间: 2021年12月\n");
  }
  put("\n");
}

static const char *const level2_of[][2] = {
    {"产出指标", "数量指标"}, {"产出指标", "质量指标"}, {"产出指标", "时效指标"},
    {"产出指标", "成本指标"}, {"效益指标", "社会效益指标"},
    {"效益指标", "可持续影响指标"}, {"满意度指标", "满意度指标"},
};

static void put_sheets(int n) {
  put("sheets:\n");
  static const char *const values[] = {"≥95%", "=100%", "2021年12月", "长期", "提高", "≤40"};
  for (int p = 0; p < n; p++) {
    long long a = project_amount[p];
    put("  - project: p%05d\n    name: \"", p + 1);
    put_han(6 + below(14));
    put("经费\"\n    funds: {年度资金总额: ");
    put_value(a);
    put_amount("财政拨款", a);
    put("}\n");
    put("    goal: \"");
    put_text(60 + below(120));
    put("\"\n    indicators:\n");
    for (size_t k = 0; k < sizeof level2_of / sizeof *level2_of; k++) {
      unsigned rows = k == 0 ? 1 + below(3) : below(2) + (k == 6);
      if (large && p % 20 == 7)
        rows += 5; /* a sheet that goes on over a page */
      for (unsigned r = 0; r < rows; r++) {
        put("      - [%s, %s, \"", level2_of[k][0], level2_of[k][1]);
        put_han(6 + below(12));
        put("\", \"%s\"]\n", values[below(sizeof values / sizeof *values)]);
      }
    }
  }
  put("\n");
}

static void put_paragraphs(const char *indent, int count, unsigned len) {
  put("%sparagraphs:\n", indent);
  for (int i = 0; i < count; i++) {
    put("%s  - \"", indent);
    put_text(len / 2 + below(len));
    put("\"\n");
  }
}

static int write_unit(long n, unsigned long long seed, const char *path);

static const char usage[] =
    "usage: gen_unit [-s SEED] [-l] N [OUT.yaml]   (1 <= N <= 99999 projects)\n"
    "       gen_unit -s SEED -m COUNT OUTDIR\n";

/* COUNT units of the mix, each written by a child process (the plan is
 * kept in globals), and the manifest. */
static int write_mix(long count, unsigned long long seed, const char *dir) {
  rng_state = 0x2545F4914F6CDD1Dull ^ (seed * 0x9E3779B97F4A7C15ull + 1);
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.txt", dir);
  FILE *manifest = fopen(path, "w");
  if (!manifest) {
    perror(path);
    return 2;
  }
  long sizes[3] = {0};
  for (long i = 0; i < count; i++) {
    unsigned r = below(100);
    int band = r < 50 ? 0 : r < 85 ? 1 : 2;
    long n = band == 0 ? 1 + below(6) : band == 1 ? 7 + below(18) : 25 + below(56);
    sizes[band]++;
    snprintf(path, sizeof path, "%s/unit-%04ld.yaml", dir, i);
    fprintf(manifest, "unit-%04ld.yaml\n", i);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
      _exit(write_unit(n, seed * 100003u + (unsigned long long)i, path));
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      fprintf(stderr, "gen_unit: writing %s failed\n", path);
      return 2;
    }
  }
  if (fclose(manifest) != 0)
    return 2;
  fprintf(stderr, "gen_unit: %ld units in %s: %ld small, %ld reference-sized, %ld large\n",
          count, dir, sizes[0], sizes[1], sizes[2]);
  return 0;
}

int main(int argc, char **argv) {
  unsigned long long seed = 0;
  long mix = 0;
  int opt;
  char *end = "";
  while ((opt = getopt(argc, argv, "s:m:l")) != -1) {
    if (opt == 'l')
      large = 1;
    else if (opt == 's')
      seed = strtoull(optarg, &end, 10);
    else if (opt == 'm' && (mix = strtol(optarg, &end, 10)) < 1)
      end = optarg;
    if (opt == '?' || *end) {
      fputs(usage, stderr);
      return 2;
    }
  }
  if (mix)
    return optind + 1 == argc ? write_mix(mix, seed, argv[optind]) : (fputs(usage, stderr), 2);
  long n = optind < argc ? strtol(argv[optind], &end, 10) : 0;
  if (optind == argc || argc - optind > 2 || *end || n < 1 || n > 99999) {
    fputs(usage, stderr);
    return 2;
  }
  return write_unit(n, seed, optind + 1 < argc ? argv[optind + 1] : NULL);
}

static int write_unit(long n, unsigned long long seed, const char *path) {
  out = path ? fopen(path, "w") : stdout;
  if (!out) {
    perror(path);
    return 2;
  }
  /* Seed 0 is the generator as it was before seeds. */
  rng_state = 0x9E3779B97F4A7C15ull ^ (uint64_t)n ^ (seed * 0xBF58476D1CE4E5B9ull) ^
              (large ? 0x5A5A : 0);
  plan((int)n);
  long long basic_total = plan_basic((int)n);

  put("# Synthetic unit with %ld projects, written by bench/gen_unit.\n", n);
  put("schema: department-budget\nlayout: department-budget\n\n");
  put("document:\n  unit: %s\n  year: 2021\n  amount_unit: 万元\n\n", unit);
  put("profile:\n  sections:\n");
  put("    - heading: 一、主要职能\n");
  put_paragraphs("      ", 2, 160);
  put("    - heading: 二、机构设置及人员情况\n");
  put_paragraphs("      ", 2, 120);
  put("\n");
  put_tables((int)n, basic_total);
  put_projects((int)n);
  put("explanation:\n  title: 预算情况说明\n  sections:\n");
  static const char *const headings[] = {
      "一、关于收支预算情况的总体说明", "二、关于收入预算情况说明",
      "三、关于支出预算情况说明", "四、关于财政拨款收支预算情况的总体说明",
      "五、关于一般公共预算当年拨款情况说明", "六、关于一般公共预算基本支出情况说明"};
  for (size_t i = 0; i < sizeof headings / sizeof *headings; i++) {
    put("    - heading: %s\n", headings[i]);
    put_paragraphs("      ", 2 + (int)below(3), 120);
  }
  put("    - heading: 七、关于一般公共预算项目支出情况说明\n      insert: descriptions\n");
  put("    - heading: 八、其他重要事项的情况说明\n      sections:\n");
  put("        - heading: （一）机关运行经费情况\n");
  put_paragraphs("          ", 1, 100);
  put("        - heading: （二）预算绩效情况\n");
  put("          paragraphs:\n            - 具体情况见下表：\n");
  put("          insert: sheets\n\n");
  put_descriptions((int)n);
  put_sheets((int)n);
  put("glossary:\n  title: 名词解释：\n  entries:\n");
  static const char *const nums[] = {"一", "二", "三", "四", "五", "六"};
  for (int i = 0; i < 6; i++) {
    put("    - \"%s、", nums[i]);
    put_han(4);
    put("：");
    put_text(30 + below(100));
    put("\"\n");
  }
  put("\nsign_off:\n  unit: %s\n  date: 2021年2月2日\n", unit);
  if (out != stdout && fclose(out) != 0) {
    perror(path);
    return 2;
  }
  return 0;
}
