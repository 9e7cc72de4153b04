#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh SOURCE_DIR BUDGETPDF BUILD_TYPE — an install that needs no
# source tree.  A copy of the checkout is built and installed into a
# prefix with `cmake --install`, and the copy deleted; the installed
# program renders the reference data (copied to a folder of its own) to a
# PDF byte-identical to the one the build tree's BUDGETPDF makes, and so
# does the install moved to another prefix (the data directory is found
# relative to the executable).  BUDGETPDF_DATADIR, when set, comes first.
set -eu
src=$1 built=$2 build_type=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "install.sh: $*" >&2; exit 1; }

# The checkout, without build folders, outputs or version control.
mkdir "$work/checkout"
tar -C "$src" --exclude='./build*' --exclude='./obj-*' --exclude=./out \
  --exclude=./.git --exclude=./debian -cf - . | tar -C "$work/checkout" -xf -
cmake -S "$work/checkout" -B "$work/checkout/build" \
  -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_INSTALL_PREFIX="$work/prefix" \
  >/dev/null
cmake --build "$work/checkout/build" -j 2 --target budgetpdf-install-parts \
  >/dev/null
cmake --install "$work/checkout/build" >/dev/null
rm -rf "$work/checkout"

for f in bin/budgetpdf share/budgetpdf/layouts/department-budget.yaml \
  share/budgetpdf/schemas/department-budget.yaml \
  share/budgetpdf/fonts/fonts.yaml \
  share/budgetpdf/examples/changji-sib-2021.yaml \
  share/man/man1/budgetpdf.1 share/doc/budgetpdf/README.md \
  share/doc/budgetpdf/ERRORS.md; do
  [ -f "$work/prefix/$f" ] || fail "not installed: $f"
done

mkdir "$work/elsewhere"
cp "$src/data/changji-sib-2021.yaml" "$work/elsewhere/"
"$built" render "$src/data/changji-sib-2021.yaml" -o "$work/build-tree.pdf" \
  2>/dev/null
# render PREFIX OUT: the installed program, run from the data's folder.
render() {
  (cd "$work/elsewhere" &&
    "$1/bin/budgetpdf" render changji-sib-2021.yaml -o "$2" 2>/dev/null) ||
    fail "the program installed in $1 failed to render"
}
render "$work/prefix" "$work/installed.pdf"
cmp "$work/build-tree.pdf" "$work/installed.pdf" ||
  fail "the installed program's PDF differs from the build tree's"
echo "ok   installed, source deleted: byte-identical PDF"

mv "$work/prefix" "$work/moved"
render "$work/moved" "$work/moved.pdf"
cmp "$work/build-tree.pdf" "$work/moved.pdf" ||
  fail "the relocated install's PDF differs from the build tree's"
echo "ok   install moved to another prefix: byte-identical PDF"

status=0
(cd "$work/elsewhere" && BUDGETPDF_DATADIR="$work/none" \
  "$work/moved/bin/budgetpdf" render changji-sib-2021.yaml -o no.pdf \
  >/dev/null 2>"$work/none.err") || status=$?
[ "$status" -eq 1 ] && grep -q "$work/none/schemas/department-budget.yaml" \
  "$work/none.err" || fail "BUDGETPDF_DATADIR is not looked in first"
echo "ok   BUDGETPDF_DATADIR comes before the install's own folder"
