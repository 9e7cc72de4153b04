#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — a bounded libFuzzer run of one target, as a test.
#
#   run.sh FUZZER TARGET SECONDS SOURCE_DIR [ARTIFACT_DIR] [libFuzzer flags...]
#
# Copies the target's seed corpus (corpus.sh) to a temporary folder, so a
# run never adds files to the source tree, and fuzzes it for SECONDS with
# a fixed seed.  A crash, leak, sanitizer report, timeout (10 s on one
# input) or out-of-memory (2 GB) fails the test; the input that caused
# it is kept as ARTIFACT_DIR/TARGET-crash-… (default: the current folder)
# — minimise it (-minimize_crash=1), fix the bug, and add it under
# tests/fuzz/regressions/TARGET/.
set -eu
fuzzer=$1 target=$2 seconds=$3 src=$4
artifacts=${5:-.}
[ $# -ge 5 ] && shift 5 || shift $#
work=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-fuzz-$target.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
# shellcheck source=corpus.sh
. "$src/tests/fuzz/corpus.sh"
fuzz_corpus "$src" "$target" "$work/corpus"
echo "run.sh: $target: $(ls "$work/corpus" | wc -l) seeds, $seconds s"
"$fuzzer" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$@" \
  "$work/corpus"
