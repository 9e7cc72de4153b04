#!/bin/sh
# SPDX-License-Identifier: MIT
# messages_zh.sh BUDGETPDF SOURCE_DIR — the messages in Chinese: one of
# each kind (usage, I/O, data, schema, layout, font, check) with the
# position first, as `file:line:col: 错误：…`; English under LANG=C.
#
# The Chinese runs use LANGUAGE=zh_CN on the C.UTF-8 locale, which every
# Debian machine has, so that the test holds on a fresh one; the same
# with LANG=zh_CN.UTF-8 runs too where that locale is generated
# (build.sh generates it), and is reported skipped where it is not.
set -eu
exe=$1 src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-zh.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
failed=0 passed=0 skipped=0

sed 's/^  unit: /  uint: /' "$src/data/changji-sib-2021.yaml" >data.yaml
cp "$src/data/changji-sib-2021.yaml" ref.yaml
sed 's/field: 合计,/field: 合记,/' \
  "$src/tests/hardening/fixtures/layout-small.yaml" >layout.yaml
mkdir -p d/data d/schemas
sed -e '9d' -e '11,$d' "$src/tests/model/fixtures/data/bad-amounts.yaml" \
  >d/data/amounts.yaml
cp "$src/tests/model/fixtures/schemas/mini.yaml" d/schemas/
sed -e 's/^layuot:/layout:/' "$src/tests/model/fixtures/data/bad-keys.yaml" >d/data/keys.yaml
cp "$src/tests/model/fixtures/broken/data/uses-broken.yaml" d/data/
cp "$src/tests/model/fixtures/broken/schemas/broken.yaml" d/schemas/

# expect NAME WANT-FIRST-ERROR-LINE ARGS...: the first line of stderr that
# is not a warning must be WANT (a trailing * : a prefix).
expect() {
  name=$1 want=$2
  shift 2
  "$exe" "$@" >/dev/null 2>"$name.err" || true
  got=$(grep -v -e ': warning: ' -e '警告：' "$name.err" | head -n 1)
  case $want in
  *\*) ok=0; case $got in "${want%\*}"*) ok=1 ;; esac ;;
  *) ok=0; [ "$got" = "$want" ] && ok=1 ;;
  esac
  if [ $ok = 1 ]; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    printf 'FAIL %s\n   got: %s\n  want: %s\n' "$name" "$got" "$want" >&2
    failed=$((failed + 1))
  fi
}

chinese() {
  expect "$1 io" "missing.yaml: 错误：无法打开：*" check missing.yaml
  expect "$1 data" \
    "data.yaml:15:3: 错误：document 中有未知的键“uint”；是否想写“unit”？" \
    check data.yaml
  expect "$1 schema" \
    "d/schemas/broken.yaml:4:23: 错误：层级“款”的位数必须多于上一层级（最多 20 位），不能是“2”" \
    check d/data/uses-broken.yaml
  expect "$1 layout" \
    "layout.yaml:22:36: 错误：表 表三 没有字段“合记”；是否想写“合计”？" \
    render ref.yaml --layout layout.yaml -o out.pdf
  expect "$1 font" \
    "--font 仿宋=missing.ttf: 错误：字体文件 missing.ttf：无法打开：*" \
    render ref.yaml --font 仿宋=missing.ttf -o out.pdf
  expect "$1 check" \
    "ref.yaml:224:9: 错误：表七 行 20825 其他生活救助，对个人和家庭的补助：实际为 （空），应为 246 = 其下各项行之和" \
    check ref.yaml
  expect "$1 usage" "budgetpdf: 错误：未知的命令“rendr”" rendr ref.yaml
  # why a figure is refused, in the same language as the message around it
  expect "$1 amount" \
    "d/data/amounts.yaml:9:29: 错误：预算数：“1,681.99”不是金额：不允许千位分隔符；请去掉逗号，直接写数字" \
    check d/data/amounts.yaml
  # what a message is about, too (row 208 of 支出表)
  expect "$1 row" \
    "d/data/keys.yaml:13:38: 错误：支出表 的 208 行 中有未知的键“合记”；是否想写“合计”？" \
    check d/data/keys.yaml
}

unset LC_ALL LC_MESSAGES LC_CTYPE
LANG=C.UTF-8 LANGUAGE=zh_CN chinese "LANGUAGE=zh_CN"
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  unset LANGUAGE
  LANG=zh_CN.UTF-8 chinese "LANG=zh_CN.UTF-8"
else
  echo "skip LANG=zh_CN.UTF-8: the locale is not generated here" \
    "(build.sh generates it; LANGUAGE=zh_CN above covers the messages)"
  skipped=$((skipped + 1))
fi

unset LANGUAGE
LANG=C expect "LANG=C english" \
  "layout.yaml:22:36: error: table 表三 has no field '合记'; did you mean '合计'?" \
  render ref.yaml --layout layout.yaml -o out.pdf
LANG=C expect "LANG=C english usage" "budgetpdf: error: unknown command 'rendr'*" \
  rendr ref.yaml

# The language of the messages never changes the PDF.
LANG=C "$exe" render ref.yaml -o english.pdf 2>/dev/null
LANG=C.UTF-8 LANGUAGE=zh_CN "$exe" render ref.yaml -o chinese.pdf 2>/dev/null
if cmp -s english.pdf chinese.pdf; then
  echo "ok   the PDF is the same bytes in either language"
  passed=$((passed + 1))
else
  echo "FAIL the PDF rendered with Chinese messages differs" >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
