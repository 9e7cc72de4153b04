# SPDX-License-Identifier: MIT
# corpus.sh — the seed corpus of each fuzz target (sourced by run.sh).
#
#   fuzz_corpus SOURCE_DIR TARGET DEST    copy TARGET's seeds into DEST
#
# Seeds are the project's real files for what the target reads (data,
# schemas or layouts, well-formed and the malformed test fixtures), the
# small hostile YAML cases of tests/fuzz/seeds/, and every regression
# input kept for the target.  Names are made unique by a prefix.
fuzz_corpus() {
  _src=$1 _target=$2 _dest=$3
  case $_target in
  model) _dirs="data tests/model/fixtures/data tests/model/fixtures/broken/data" ;;
  schema) _dirs="schemas tests/model/fixtures/schemas tests/model/fixtures/broken/schemas" ;;
  layout | paginate) _dirs="layouts tests/hardening/fixtures" ;;
  font) _dirs="tests/fuzz/fonts" ;;
  import) _dirs="tests/import/fixtures" ;;
  expr) _dirs="tests/fuzz/seeds-expr" ;;
  *) echo "corpus.sh: unknown target $_target" >&2; return 1 ;;
  esac
  _yaml=tests/fuzz/seeds
  [ "$_target" = font ] && _yaml= # YAML seeds are no fonts
  for _d in $_dirs $_yaml "tests/fuzz/regressions/$_target"; do
    for _f in "$_src/$_d"/*; do
      [ -f "$_f" ] || continue
      cp "$_f" "$_dest/$(echo "$_d" | tr / _)_$(basename "$_f")"
    done
  done
}
