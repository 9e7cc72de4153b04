#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build.sh — the two commands of the README's quick start.
#
#   ./build.sh render   install what is missing, build, render the bundled
#                       reference data to out/changji-sib-2021.pdf
#   ./build.sh test     install what is missing, build, run the whole test
#                       suite: a normal build, then an AddressSanitizer +
#                       UndefinedBehaviorSanitizer build, then bounded fuzzing,
#                       then the Debian package (scripts/check-deb)
#
# Works as root on a fresh Debian 12 machine (or with sudo).  Packages that
# are already installed are not touched.
set -euo pipefail
cd "$(dirname "$0")"

# What the build, the fonts and the tests need, all from Debian 12.
BUILD_PACKAGES="gcc cmake make pkg-config libhpdf-dev libharfbuzz-dev
  libfreetype-dev libyaml-dev libfontconfig-dev libdeflate-dev
  libicu-dev
  libmd-dev
  libzip-dev libexpat1-dev libfreexl-dev
  libxxhash-dev
  gettext"
FONT_PACKAGES="fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei
  icc-profiles-free
  fonts-lxgw-wenkai fonts-noto-cjk"
TEST_PACKAGES="poppler-utils qpdf mupdf-tools libharfbuzz-bin valgrind
  default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java
  clang libclang-rt-14-dev
  libxlsxwriter-dev
  xxhash
  locales man-db"

jobs=2

install_missing() { scripts/install-missing "$@"; }

# The Chinese locale, for the test of LANG=zh_CN.UTF-8 messages (tests/po;
# without it that part is skipped).  Generated once, as root.
zh_locale() {
  locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' && return 0
  [ "$(id -u)" -eq 0 ] || { echo "build.sh: zh_CN.UTF-8 not generated (not root)" >&2; return 0; }
  sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
  locale-gen >/dev/null
}

build() { # build DIR [cmake options...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
render)
  # shellcheck disable=SC2086
  install_missing $BUILD_PACKAGES $FONT_PACKAGES
  build build
  mkdir -p out
  ./build/src/budgetpdf render data/changji-sib-2021.yaml -o out/changji-sib-2021.pdf
  echo "build.sh: wrote out/changji-sib-2021.pdf"
  ;;
test)
  # shellcheck disable=SC2086
  install_missing $BUILD_PACKAGES $FONT_PACKAGES $TEST_PACKAGES
  zh_locale
  build build
  (cd build && ctest -j "$jobs" --output-on-failure)
  echo "build.sh: tests again under AddressSanitizer + UndefinedBehaviorSanitizer"
  build build-asan -DBUDGETPDF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest -j "$jobs" --output-on-failure)
  # libFuzzer needs clang; each target fuzzes a copy of its seeds for
  # BUDGETPDF_FUZZ_SECONDS with a fixed seed (tests/fuzz/run.sh), one
  # after the other; a finding is kept under build-fuzz/fuzz-artifacts/.
  echo "build.sh: bounded fuzzing (libFuzzer + ASan + UBSan)"
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DBUDGETPDF_FUZZ=ON \
    -DBUDGETPDF_FUZZ_SECONDS=10 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_model fuzz_schema fuzz_layout fuzz_paginate \
    fuzz_font fuzz_import fuzz_expr
  (cd build-fuzz && ctest -L fuzz --output-on-failure)
  # The Debian package: built with dpkg-buildflags, lintian, installed,
  # its example rendered from /tmp, its manual page read, then removed
  # again (the suite it would run has just passed: NOCHECK).
  echo "build.sh: the Debian package (scripts/check-deb)"
  NOCHECK=1 scripts/check-deb
  echo "build.sh: all tests passed"
  ;;
*)
  echo "usage: ./build.sh render | test" >&2
  exit 2
  ;;
esac
