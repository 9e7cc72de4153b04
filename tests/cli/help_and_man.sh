#!/bin/sh
# SPDX-License-Identifier: MIT
# help_and_man.sh BUDGETPDF SOURCE_DIR — the command line as documented:
# every option of `budgetpdf --help`, `render --help` and `check --help`
# is in the manual page's OPTIONS (man/budgetpdf.1) and the other way
# round; the manual page has the sections it promises and formats without
# a warning; a usage error is one line and where to read more; `-o -`
# writes the whole PDF to standard output, and nothing when it fails.
set -eu
exe=$(realpath "$1") src=$(realpath "$2")
man_src=$src/man/budgetpdf.1
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1" >&2; failed=$((failed + 1)); }
export LC_ALL=C
unset LANGUAGE

# Options at the start of a help line: "  -o, --output FILE", "  --strict".
for h in "--help" "render --help" "check --help"; do
  # shellcheck disable=SC2086
  "$exe" $h
done | grep -E '^  +-' | grep -oE '^ +(-[a-zA-Z], )?--?[a-zA-Z][a-z-]*' |
  tr ',' '\n' | tr -d ' ' | grep . | sort -u >"$work/help"
# Options in the tags (.TP's next line) of the OPTIONS section.
awk '/^\.SH OPTIONS/{on=1; next} /^\.SH/{on=0} on&&tp{print; tp=0} /^\.TP/{tp=1}' \
  "$man_src" | sed 's/\\-/-/g' |
  grep -oE '(^|[ "])--?[a-zA-Z][a-z-]*' | tr -d ' "' | sort -u >"$work/man"
if [ -s "$work/help" ] && cmp -s "$work/help" "$work/man"; then
  ok "every option of --help is in the manual page and the other way round ($(wc -l <"$work/help") options)"
else
  fail "the options of --help and of man/budgetpdf.1 differ (< help, > man):"
  diff "$work/help" "$work/man" >&2 || true
fi

for section in NAME SYNOPSIS COMMANDS OPTIONS FILES ENVIRONMENT \
  "EXIT STATUS" EXAMPLES; do
  grep -q "^\.SH \"\{0,1\}$section\"\{0,1\}\$" "$man_src" ||
    { fail "the manual page has no section $section"; continue; }
done
ok "the manual page has every section"
if command -v man >/dev/null 2>&1; then
  warnings=$(man --warnings -E UTF-8 -l "$man_src" 2>&1 >/dev/null || true)
  if [ -z "$warnings" ]; then ok "man formats the page without a warning"
  else fail "man warns: $warnings"; fi
else
  echo "skip man: not installed"
fi

cd "$work"
cp "$src/data/changji-sib-2021.yaml" ref.yaml
status=0
"$exe" render ref.yaml >out 2>err || status=$?
want="budgetpdf: error: render needs -o OUT.pdf
Try 'budgetpdf --help' for more information."
if [ "$status" -eq 2 ] && [ "$(cat err)" = "$want" ] && [ ! -s out ]; then
  ok "a usage error is one line and where to read more"
else
  fail "usage error: status $status, stderr: $(cat err)"
fi
helps=ok
for h in "--help" "render --help" "check --help"; do
  # shellcheck disable=SC2086
  if "$exe" $h >out 2>err && [ -s out ] && [ ! -s err ]; then :; else
    fail "budgetpdf $h"
    helps=failed
  fi
done
[ $helps = ok ] &&
  ok "--help, render --help and check --help print to stdout, status 0"

"$exe" render ref.yaml -o file.pdf 2>/dev/null
status=0
"$exe" render ref.yaml -o - >stdout.pdf 2>/dev/null || status=$?
if [ "$status" -eq 0 ] && cmp -s file.pdf stdout.pdf; then
  ok "-o - writes the PDF to standard output, the same bytes as -o FILE"
else
  fail "-o -: status $status, or other bytes than -o file.pdf"
fi
status=0
"$exe" render ref.yaml --font 仿宋=missing.ttf -o - >failed.pdf 2>/dev/null ||
  status=$?
if [ "$status" -eq 1 ] && [ ! -s failed.pdf ]; then
  ok "-o - writes nothing when the render fails"
else
  fail "-o - on a failed render: status $status, $(wc -c <failed.pdf) bytes"
fi
status=0
"$exe" render ref.yaml -o - >/dev/full 2>err || status=$?
if [ "$status" -eq 2 ] && grep -q 'cannot write to standard output' err; then
  ok "-o - to a full device is an I/O error"
else
  fail "-o - to /dev/full: status $status: $(cat err)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
