/* SPDX-License-Identifier: MIT */
/* test_model_amount.c — amounts as exact decimals (src/model/amount.c):
 * what parses and to what, what is refused and why, absent versus 0,
 * rounding when printed with fewer decimals, and arithmetic on mixed
 * scales without overflow. */
#include "harness.h"
#include "model_imp.h"

#include <stdint.h>

typedef struct parse_case {
  const char *text;
  bool present;
  int64_t value;
  int scale;
} parse_case;

TEST(parses_exactly_as_written) {
  static const parse_case cases[] = {
      {"1681.99", true, 168199, 2},
      {"410", true, 410, 0},
      {"4.3", true, 43, 1},
      {"4.30", true, 430, 2},
      {"0", true, 0, 0},
      {"0.000001", true, 1, 6},
      {"-2.16", true, -216, 2},
      {"  638.42\xE3\x80\x80", true, 63842, 2}, /* Word padding trimmed */
      {"", false, 0, 0},
      {"\xE3\x80\x80", false, 0, 0},
      {"9223372036854775807", true, INT64_MAX, 0},
      {"9223372036854.775807", true, INT64_MAX, 6},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    model_amount a;
    char why[128] = "";
    CHECK(model_amount_parse(cases[i].text, &a, why, sizeof why));
    CHECK_STR(why, "");
    CHECK(a.present == cases[i].present);
    CHECK_INT(a.value, cases[i].value);
    CHECK_INT(a.scale, cases[i].scale);
  }
}

typedef struct reject_case {
  const char *text;
  const char *why;
} reject_case;

TEST(refuses_what_is_not_an_amount_and_says_why) {
  static const reject_case cases[] = {
      {"63x.42", "unexpected character 'x'"},
      {"1,681.99", "thousands separators are not allowed; write the digits "
                   "without commas"},
      {"1，681.99", "thousands separators are not allowed; write the digits "
                    "without commas"},
      {"1e3", "exponent forms (1e3) are not allowed; write the digits out"},
      {"1.5E+2", "exponent forms (1e3) are not allowed; write the digits out"},
      {"１６８", "full-width digits are not allowed; use 0-9 and '.'"},
      {"1.1234567", "more than 6 decimal places"},
      {".5", "a decimal point needs digits on both sides (0.5, not .5 or 5.)"},
      {"5.", "a decimal point needs digits on both sides (0.5, not .5 or 5.)"},
      {"-", "expected digits"},
      {"+5", "unexpected character '+'"},
      {"1 000", "unexpected character ' '"},
      {"1.2.3", "more than one decimal point"},
      {"1-2", "unexpected character '-'"},
      {".inf", "unexpected character 'i'"},
      {"9223372036854775808", "the figure is too large"},
      {"99999999999999.999999", "the figure is too large"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    model_amount a;
    char why[128] = "";
    bool ok = model_amount_parse(cases[i].text, &a, why, sizeof why);
    CHECK(!ok);
    CHECK_STR(why, cases[i].why);
  }
}

TEST(absent_and_zero_are_different) {
  model_amount absent, zero;
  CHECK(model_amount_parse("", &absent, NULL, 0));
  CHECK(model_amount_parse("0", &zero, NULL, 0));
  CHECK(!absent.present);
  CHECK(zero.present);
  char buf[32];
  CHECK_STR(model_amount_format(&absent, 2, buf, sizeof buf), "");
  CHECK_STR(model_amount_format(&zero, 2, buf, sizeof buf), "0.00");
  /* In sums an absent cell counts as nothing, so it compares equal to 0. */
  CHECK_INT(model_amount_compare(&absent, &zero), 0);
}

typedef struct format_case {
  const char *text;
  int decimals;
  const char *want;
  bool fits;
} format_case;

TEST(formats_with_rounding_half_away_from_zero) {
  static const format_case cases[] = {
      {"1681.99", 2, "1681.99", true},
      {"410", 2, "410.00", true},
      {"4.3", 2, "4.30", true},
      {"4.3", -1, "4.3", true},    /* as written */
      {"4.30", -1, "4.30", true},
      {"0.125", 2, "0.13", false}, /* half away from zero */
      {"-0.125", 2, "-0.13", false},
      {"0.124", 2, "0.12", false},
      {"-0.004", 2, "0.00", false}, /* no sign on zero */
      {"2.5", 0, "3", false},
      {"2.500", 1, "2.5", true},
      {"9.995", 2, "10.00", false},
      {"123.000001", 6, "123.000001", true},
      {"0.5", 6, "0.500000", true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    model_amount a;
    CHECK(model_amount_parse(cases[i].text, &a, NULL, 0));
    char buf[48];
    CHECK_STR(model_amount_format(&a, cases[i].decimals, buf, sizeof buf),
              cases[i].want);
    CHECK(model_amount_fits(&a, cases[i].decimals) == cases[i].fits);
  }
}

TEST(compares_across_scales) {
  model_amount a, b;
  model_amount_parse("4.3", &a, NULL, 0);
  model_amount_parse("4.30", &b, NULL, 0);
  CHECK_INT(model_amount_compare(&a, &b), 0);
  model_amount_parse("4.31", &b, NULL, 0);
  CHECK(model_amount_compare(&a, &b) < 0);
  model_amount_parse("-1", &b, NULL, 0);
  CHECK(model_amount_compare(&a, &b) > 0);
  /* Numbers that do not fit at the common scale still compare. */
  model_amount_parse("9223372036854775807", &a, NULL, 0);
  model_amount_parse("0.000001", &b, NULL, 0);
  CHECK(model_amount_compare(&a, &b) > 0);
  CHECK(model_amount_compare(&b, &a) < 0);
}

TEST(decimal_sums_are_exact_and_overflow_checked) {
  /* 0.1 + 0.2 is 0.3, exactly. */
  decimal sum;
  CHECK(decimal_add((decimal){1, 1}, (decimal){2, 1}, &sum));
  CHECK(decimal_compare(sum, (decimal){3, 1}) == 0);
  char buf[48];
  CHECK_STR(decimal_format(sum, buf, sizeof buf), "0.3");
  /* Mixed scales: 638.42 + 410 + 245 = 1293.42. */
  CHECK(decimal_add((decimal){63842, 2}, (decimal){410, 0}, &sum));
  CHECK(decimal_add(sum, (decimal){245, 0}, &sum));
  CHECK_STR(decimal_format(sum, buf, sizeof buf), "1293.42");
  /* A sum prints with the decimals of its most precise operand, as the
   * figures it adds are written (5391346.90, not 5391346.9). */
  CHECK_STR(decimal_format((decimal){90100, 2}, buf, sizeof buf), "901.00");
  CHECK_STR(decimal_format((decimal){-5, 1}, buf, sizeof buf), "-0.5");
  /* Overflow is refused, not wrapped. */
  CHECK(!decimal_add((decimal){INT64_MAX, 0}, (decimal){1, 0}, &sum));
  CHECK(!decimal_add((decimal){INT64_MAX / 10, 0}, (decimal){1, 6}, &sum));
}

int main(int argc, char **argv) {
  harness_init(argc, argv);
  RUN(parses_exactly_as_written);
  RUN(refuses_what_is_not_an_amount_and_says_why);
  RUN(absent_and_zero_are_different);
  RUN(formats_with_rounding_half_away_from_zero);
  RUN(compares_across_scales);
  RUN(decimal_sums_are_exact_and_overflow_checked);
  return harness_done();
}
