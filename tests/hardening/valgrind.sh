#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind.sh BUDGETPDF SOURCE_DIR — budgetpdf under valgrind: the reference
# render, `check` on the reference, and a render that fails (a layout
# naming a field that does not exist) must each end with their usual exit
# status and no invalid access, uninitialised read or definite leak
# (valgrind's own status would be 99).
set -eu
exe=$1 src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
data=$src/data/changji-sib-2021.yaml
failed=0

# valgrind 3.19 cannot read the DWARF 5 that clang 14 writes by default
# (the top-level CMakeLists.txt asks clang for DWARF 4); a binary built
# otherwise is skipped with the reason (exit 77: ctest's SKIP_RETURN_CODE)
# rather than reported as a leak or passed unchecked.
valgrind -q "$exe" --version >/dev/null 2>"$work/probe.err" || true
if grep -q 'Serious error when reading debug info' "$work/probe.err"; then
  echo "skip: valgrind cannot read this binary's debug info (DWARF 5?);" \
    "build it with -gdwarf-4"
  exit 77
fi

# expect STATUS NAME ARGS...: run under valgrind, compare the status.
expect() {
  want=$1 name=$2
  shift 2
  status=0
  valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite "$exe" "$@" >"$work/$name.out" \
    2>"$work/$name.err" || status=$?
  if [ "$status" -ne "$want" ]; then
    echo "valgrind.sh: $name: exit status $status, want $want" >&2
    grep -v ': warning: ' "$work/$name.err" >&2 || true
    failed=1
  else
    echo "ok   $name (status $status)"
  fi
}

expect 0 render-reference render "$data" -o "$work/reference.pdf"
if ! head -c 5 "$work/reference.pdf" 2>/dev/null | grep -q '%PDF-'; then
  echo "valgrind.sh: render-reference: no PDF written" >&2
  failed=1
fi
expect 1 check-reference check "$data"
sed 's/field: 合计,/field: 合记,/' "$src/tests/hardening/fixtures/layout-small.yaml" \
  >"$work/layout.yaml"
expect 1 render-layout-error render "$data" --layout "$work/layout.yaml" \
  -o "$work/failed.pdf"
[ ! -e "$work/failed.pdf" ] || { echo "valgrind.sh: a failed render wrote a PDF" >&2; failed=1; }
exit $failed
