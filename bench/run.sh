#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh — how fast, how big and how lean a render is, and how that
# grows with the document.
#
#   bench/run.sh [SECTION...]     sections: machine reference bytes
#                                 callgrind scaling (default: all)
#
# Builds an optimised budgetpdf (Release, in $BUILD), then prints
#   reference  wall time, CPU time and peak RSS of whole-process renders of
#              data/changji-sib-2021.yaml: median and spread over $RUNS runs
#              after $WARMUP warm-up runs (bench/measure.c, wait4 rusage);
#   bytes      where the bytes of the reference PDF go: each embedded font
#              program (raw and stored), ToUnicode maps, content streams,
#              the rest; objects written twice;
#   callgrind  the instruction count of one render under callgrind (it does
#              not drift with machine noise: judge optimisations by it), the
#              stages' shares and the top functions;
#   scaling    synthetic units of N projects (bench/gen_unit.c, checked
#              with `budgetpdf check`) for N in $SIZES: pages, time per page,
#              peak RSS and its growth per page.
#
# Environment: BUILD (build-bench), RUNS (20), WARMUP (3), SIZES
# ("10 100 1000 5000"), SCALE_RUNS (3), OUT (a temporary directory; the
# generated data and PDFs go there, never into the repository).
#
# Wall times are only as good as the machine is quiet: the machine's load
# is printed with them.  Needs bash, coreutils, awk, cmake, a C compiler
# and the build's libraries (./build.sh), qpdf and valgrind: missing
# Debian packages are installed when running as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build-bench}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
SIZES=${SIZES:-"10 100 1000 5000"}
SCALE_RUNS=${SCALE_RUNS:-3}
REF=data/changji-sib-2021.yaml
sections=${*:-machine reference bytes callgrind scaling}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }

if [ -z "${OUT:-}" ]; then
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/budgetpdf-bench.XXXXXX")
  trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"

install_missing() { scripts/install-missing "$@"; }
if command -v dpkg-query >/dev/null; then
  pkgs="qpdf"
  want callgrind && pkgs="$pkgs valgrind"
  # shellcheck disable=SC2086
  install_missing $pkgs
fi

echo "bench: building $BUILD (Release)" >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j 2 --target bench_tools >/dev/null
BIN=$BUILD/src/budgetpdf
GEN=$BUILD/bench/gen_unit
MEASURE=$BUILD/bench/measure

# ---------------------------------------------------------------- machine
if want machine; then
  echo "== machine"
  echo "  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) memory"
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "unknown (not a git checkout)")
  git diff --quiet HEAD -- src 2>/dev/null || [ "${commit#unknown}" != "$commit" ] ||
    commit="$commit (src modified)"
  echo "  $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# ---------------------------------------------------------------- reference
if want reference; then
  echo "== reference render: $REF"
  "$MEASURE" -w "$WARMUP" -r "$RUNS" -- "$BIN" render "$REF" -o "$OUT/ref.pdf"
  echo "  output $(stat -c %s "$OUT/ref.pdf") bytes, $(qpdf --show-npages "$OUT/ref.pdf") pages"
  "$BIN" render "$REF" -o "$OUT/ref2.pdf" 2>/dev/null
  cmp -s "$OUT/ref.pdf" "$OUT/ref2.pdf" && echo "  byte-identical across runs" ||
    echo "  WARNING: two runs gave different bytes"
fi

# ---------------------------------------------------------------- bytes
# Object sizes from the cross-reference offsets (libharu writes no object
# streams), classified by what refers to them.
pdf_bytes() {
  local pdf=$1 size objs
  size=$(stat -c %s "$pdf")
  objs="$OUT/objs.txt"
  qpdf --show-xref "$pdf" | sed -nE 's#^([0-9]+)/0: uncompressed; offset = ([0-9]+)#\1 \2#p' |
    sort -k2n | awk -v S="$size" 'NR > 1 {print o, $2 - p} {o = $1; p = $2} END {print o, S - p}' \
      >"$OUT/sizes.txt"
  : >"$objs"
  local o
  while read -r o _; do
    printf '%s\t%s\n' "$o" "$(qpdf --show-object="$o" "$pdf" | tr '\n' ' ')" >>"$objs"
  done <"$OUT/sizes.txt"
  # name of each font program (FontFile2/3 of a descriptor), ToUnicode and
  # content stream objects, and each object's stored stream length
  awk -F'\t' -v sizes="$OUT/sizes.txt" '
    function ref(s, key,   m) {
      if (!match(s, "/" key " [0-9]+ 0 R")) return ""
      m = substr(s, RSTART, RLENGTH); sub("/" key " ", "", m); sub(" 0 R", "", m); return m
    }
    BEGIN { while ((getline l < sizes) > 0) { split(l, a, " "); bytes[a[1]] = a[2] } }
    { body[$1] = $2 }
    END {
      for (o in body) {
        s = body[o]
        if ((f = ref(s, "FontFile2")) != "" || (f = ref(s, "FontFile3")) != "") {
          n = s; sub(/.*\/FontName \//, "", n); sub(/[ \/>].*/, "", n)
          kind[f] = "font"; name[f] = n
        }
        if ((t = ref(s, "ToUnicode")) != "") kind[t] = "tounicode"
        if ((c = ref(s, "Contents")) != "") kind[c] = "contents"
        if ((l = ref(s, "Length")) != "") length_of[o] = l
      }
      for (o in length_of) is_length[length_of[o]] = 1
      for (o in body) {
        if (o in is_length) continue          # counted with its stream
        stored = bytes[o] + ((o in length_of) ? bytes[length_of[o]] : 0)
        print o, (o in kind) ? kind[o] : "other", stored, (o in name) ? name[o] : "-"
      }
    }' "$objs" >"$OUT/classes.txt"
  echo "  $(qpdf --show-npages "$pdf") pages, $size bytes"
  printf '  %-34s %7s %9s %9s\n' "font program" glyphs raw stored
  local raw glyphs tu
  while read -r o _ stored name; do
    raw=$(qpdf --show-object="$o" --filtered-stream-data "$pdf" | wc -c)
    # the ToUnicode of the Type0 font with this BaseFont: one entry a glyph
    tu=$(awk -F'\t' -v n="/BaseFont /$name" 'index($2, "/Type0") && index($2, n) { if (match($2, "/ToUnicode [0-9]+ 0 R")) { m = substr($2, RSTART + 11, RLENGTH - 15); print m } }' "$objs" | head -1)
    glyphs=$([ -n "$tu" ] && qpdf --show-object="$tu" --filtered-stream-data "$pdf" | grep -c '^<[0-9A-F]*> <' || echo "?")
    printf '  %-34s %7s %9d %9d\n' "$name" "$glyphs" "$raw" "$stored"
  done < <(awk '$2 == "font"' "$OUT/classes.txt" | sort -k4)
  local craw=0 c
  for c in $(awk '$2 == "contents" {print $1}' "$OUT/classes.txt"); do
    craw=$((craw + $(qpdf --show-object="$c" --filtered-stream-data "$pdf" | wc -c)))
  done
  awk -v craw="$craw" '{ n[$2]++; b[$2] += $3 } END {
      printf "  %-34s %7s %9s %9d\n", "font programs (" n["font"] ")", "", "", b["font"]
      printf "  %-34s %7s %9s %9d\n", "ToUnicode maps (" n["tounicode"] ")", "", "", b["tounicode"]
      printf "  %-34s %7s %9d %9d\n", "content streams (" n["contents"] ")", "", craw, b["contents"]
      printf "  %-34s %7s %9s %9d\n", "everything else (" n["other"] " objects, xref)", "", "", b["other"] }' \
    "$OUT/classes.txt"
  # the same object twice is waste (stream lengths aside: bare numbers)
  local dups
  dups=$(cut -f2 "$objs" | sed -E 's/^[0-9]+ 0 obj//' | grep -vE '^ *[0-9.]+ *$' | sort | uniq -d | wc -l)
  echo "  objects written twice: $dups"
}

if want bytes; then
  echo "== bytes of the reference PDF"
  "$BIN" render "$REF" -o "$OUT/ref.pdf" 2>/dev/null
  pdf_bytes "$OUT/ref.pdf"
fi

# ---------------------------------------------------------------- callgrind
if want callgrind; then
  echo "== callgrind: one render of the reference"
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
    "$BIN" render "$REF" -o "$OUT/cg.pdf" >/dev/null 2>"$OUT/callgrind.log"
  total=$(sed -nE 's/.*Collected : ([0-9]+)/\1/p' "$OUT/callgrind.log")
  echo "  instructions: $total"
  callgrind_annotate --inclusive=yes --threshold=100 "$OUT/callgrind.out" 2>/dev/null >"$OUT/inclusive.txt"
  echo "  by stage (inclusive):"
  for f in model_load layout_load text_fonts_load layout_expand paginate pdf_fonts_prepare \
    pdf_render pdf_write_atomically; do
    awk -v f="$f" '$0 ~ ":" f " " { gsub(",", "", $1); printf "    %-22s %12d  %5.1f%%\n", f, $1, 100 * $1 / T; exit }' \
      T="$total" "$OUT/inclusive.txt"
  done
  echo "  top functions (exclusive):"
  callgrind_annotate "$OUT/callgrind.out" 2>/dev/null |
    awk '/^-+$/ {sep++; next} sep >= 3 && NF >= 2 && $1 ~ /^[0-9,]+$/ && !/PROGRAM TOTALS/ && n < 15 {
           gsub(",", "", $1); f = $0; sub(/^ *[0-9,]+ *\([ 0-9.%]*\) */, "", f)
           sub(/^[^ ]*:/, "", f); sub(/ \[.*\//, " [", f); printf "    %12d  %s\n", $1, f; n++ }'
fi

# ---------------------------------------------------------------- scaling
if want scaling; then
  echo "== scaling: synthetic units of N projects ($SCALE_RUNS runs each after 1 warm-up; medians)"
  printf '  %6s %6s %10s %10s %9s %9s %10s %12s %9s\n' N pages bytes wall_ms "ms/page" \
    cpu_ms "RSS_MiB" "RSS_KB/page" "dRSS/pg"
  base_pages="" base_rss=""
  for n in $SIZES; do
    "$GEN" "$n" "$OUT/unit-$n.yaml"
    "$BIN" check "$OUT/unit-$n.yaml" >/dev/null 2>"$OUT/check-$n.log" || {
      echo "  N=$n: the generated data does not pass check:" >&2
      head "$OUT/check-$n.log" >&2
      exit 1
    }
    read -r wall _ _ cpu _ _ rss _ _ _ < <("$MEASURE" -q -w 1 -r "$SCALE_RUNS" -- "$BIN" render \
      "$OUT/unit-$n.yaml" -o "$OUT/unit-$n.pdf")
    pages=$(qpdf --show-npages "$OUT/unit-$n.pdf")
    bytes=$(stat -c %s "$OUT/unit-$n.pdf")
    [ -z "$base_pages" ] && base_pages=$pages base_rss=$rss
    awk -v n="$n" -v p="$pages" -v b="$bytes" -v w="$wall" -v c="$cpu" -v r="$rss" \
      -v bp="$base_pages" -v br="$base_rss" 'BEGIN {
        d = p > bp ? sprintf("%9.1f", (r - br) * 1.024 / (p - bp)) : sprintf("%9s", "-")
        printf "  %6d %6d %10d %10.1f %9.3f %9.1f %10.1f %12.1f %s\n", n, p, b, w, w / p, c,
               r / 1024, r * 1.024 / p, d }'
    rm -f "$OUT/unit-$n.pdf"
  done
  echo "  (RSS_KB/page: peak RSS over pages; dRSS/pg: its growth per page beyond the first size, in KB)"
fi
