#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/batch.sh — a province's batch against one process per document, in
# the same run.
#
#   bench/batch.sh [SECTION...]   sections: machine mix reference rss
#                                 callgrind (default: all)
#
#   mix        $COUNT generated units of a size mix (bench/gen_unit -s $SEED
#              -m: half small, a third reference-sized, the rest large):
#              `budgetpdf render --manifest … -d … -j 2` against
#              `xargs -P2 -L1 budgetpdf render X.yaml -o X.pdf`, one after
#              the other: documents/s, CPU ms per document, peak RSS of the
#              largest process (a worker, or one render), and whether the
#              two sets of PDFs are byte-identical;
#   reference  the same for $REF_COPIES copies of the reference document;
#   rss        one worker's RSS after the 1st, 10th, 100th, 1000th of
#              $RSS_DOCS reference renders in one process (bench/batch_rss);
#   callgrind  the instruction count of one render of the reference.
#
# Environment: BUILD (build-bench), COUNT (1000), SEED (1), REF_COPIES
# (200), RSS_DOCS (1000), OUT (a temporary folder in /dev/shm when there is
# one: every PDF is fsync'ed, and on a shared disk the syncs, not the
# renders, would be measured).  Wall times are only as good as the machine
# is quiet: its load is printed with them; CPU times and instruction
# counts move far less.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build-bench}
COUNT=${COUNT:-1000}
SEED=${SEED:-1}
REF_COPIES=${REF_COPIES:-200}
RSS_DOCS=${RSS_DOCS:-1000}
REF=data/changji-sib-2021.yaml
sections=${*:-machine mix reference rss callgrind}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

if [ -z "${OUT:-}" ]; then
  tmp=${TMPDIR:-/tmp}
  [ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
  OUT=$(mktemp -d "$tmp/budgetpdf-batch.XXXXXX")
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"

if command -v dpkg-query >/dev/null; then
  pkgs="findutils diffutils"
  want callgrind && pkgs="$pkgs valgrind"
  # shellcheck disable=SC2086
  scripts/install-missing $pkgs
fi

echo "bench: building $BUILD (Release)" >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j 2 --target bench_tools >/dev/null
BIN=$(cd "$BUILD/src" && pwd)/budgetpdf
GEN=$BUILD/bench/gen_unit
MEASURE=$BUILD/bench/measure
RSS=$BUILD/bench/batch_rss

if want machine; then
  echo "== machine"
  echo "  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory"
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "unknown (not a git checkout)")
  git diff --quiet HEAD -- src 2>/dev/null || [ "${commit#unknown}" != "$commit" ] ||
    commit="$commit (src modified)"
  echo "  $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, output in $OUT"
fi

# compare NAME DIR: the units listed in DIR/manifest.txt, batch -j2 against
# xargs -P2, one after the other.
compare() {
  local name=$1 dir=$2 n
  n=$(grep -c . "$dir/manifest.txt")
  rm -rf "$OUT/$name-batch" "$OUT/$name-single"
  mkdir -p "$OUT/$name-single"
  sed -E "s#^(.*)\.yaml\$#$dir/\1.yaml -o $OUT/$name-single/\1.pdf#" "$dir/manifest.txt" \
    >"$OUT/$name-args.txt"
  # warm the page cache (fonts, libraries) for both
  head -3 "$OUT/$name-args.txt" | xargs -L1 "$BIN" render 2>/dev/null
  local load_before batch single
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  batch=$("$MEASURE" -q -w 0 -r 1 -- "$BIN" render --manifest "$dir/manifest.txt" \
    -d "$OUT/$name-batch" -j 2 --report "$OUT/$name-report.json")
  single=$("$MEASURE" -q -w 0 -r 1 -- xargs -a "$OUT/$name-args.txt" -P2 -L1 "$BIN" render)
  echo "  $n documents; load average $load_before before, $(cut -d' ' -f1 /proc/loadavg) after"
  printf '  %-28s %10s %12s %14s %14s\n' "" "docs/s" "wall_s" "CPU_ms/doc" "peak_RSS_MiB"
  # measure -q: wall_ms_median … cpu_ms_median … rss_kib_median …
  for row in "batch -j 2:$batch" "xargs -P2, one per doc:$single"; do
    awk -v label="${row%%:*}" -v n="$n" '{
      printf "  %-28s %10.1f %12.2f %14.1f %14.1f\n", label, n / ($1 / 1000), $1 / 1000, $4 / n, $7 / 1024
    }' <<<"${row#*:}"
  done
  awk -v b="${batch%% *}" -v s="${single%% *}" 'BEGIN { printf "  batch / one process per document: %.2fx documents/s\n", s / b }'
  local failed
  failed=$(grep -c '"status":"failed"' "$OUT/$name-report.json" || true)
  [ "$failed" = 0 ] || echo "  WARNING: $failed documents failed in the batch"
  if diff -rq "$OUT/$name-batch" "$OUT/$name-single" >/dev/null; then
    echo "  outputs byte-identical ($(find "$OUT/$name-batch" -name '*.pdf' | wc -l) PDFs)"
  else
    echo "  WARNING: outputs differ:"
    diff -rq "$OUT/$name-batch" "$OUT/$name-single" | head -5
  fi
  awk -F'"pages":' '{ split($2, a, ","); p += a[1] } END { printf "  %d pages in all\n", p }' \
    "$OUT/$name-report.json"
}

if want mix; then
  echo "== mix: $COUNT generated units (gen_unit -s $SEED -m $COUNT)"
  mkdir -p "$OUT/mix"
  "$GEN" -s "$SEED" -m "$COUNT" "$OUT/mix" 2>&1 | sed 's/^/  /'
  compare mix "$OUT/mix"
fi

if want reference; then
  echo "== reference: $REF_COPIES copies of $REF"
  mkdir -p "$OUT/ref"
  : >"$OUT/ref/manifest.txt"
  for i in $(seq -w 1 "$REF_COPIES"); do
    cp "$REF" "$OUT/ref/ref-$i.yaml"
    echo "ref-$i.yaml" >>"$OUT/ref/manifest.txt"
  done
  compare ref "$OUT/ref"
fi

if want rss; then
  echo "== rss: one worker, $RSS_DOCS renders of the reference in one process"
  "$RSS" "$RSS_DOCS" "$PWD" "$REF"
fi

if want callgrind; then
  echo "== callgrind: one render of the reference (whole process)"
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
    "$BIN" render "$REF" -o "$OUT/cg.pdf" >/dev/null 2>"$OUT/callgrind.log"
  echo "  instructions: $(sed -nE 's/.*Collected : ([0-9]+)/\1/p' "$OUT/callgrind.log")"
fi
