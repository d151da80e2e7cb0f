#!/usr/bin/env bash
# Mutation testing of the library with cargo-mutants: the identifier layer, the validation
# rules and migration, with a score per file. Not part of CI (it takes about an hour on 2 cores); run it before and after changing
# tests, and read the summary that tools/mutants_report.py prints.
#
# Usage: tools/mutants.sh [FILE...]      (default: the files below)
# Env:   DSTI_MUTANTS_JOBS (default 2), DSTI_MUTANTS_OUT (default target/mutants),
#        DSTI_MUTANTS_ITERATE=1 (test again only what the last run in OUT missed)
#
# The tests run are the library's unit tests and its integration binary, without the slow
# ones that aim elsewhere: cross-validation with ajv/Python, the memory probe and the huge
# inputs, the randomized properties, the parallel reader, the fuzz corpus replay and the
# generator's own tests. What they would kill here, the vectors and unit tests must kill.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    src/ident/check.rs src/ident/id_document.rs src/ident/uscc.rs src/ident/timestamp.rs
    src/rules.rs src/v2/rules.rs src/v2/checks.rs src/v1/rules.rs
    src/migrate/upgrade.rs src/migrate/downgrade.rs
  )
fi
out=${DSTI_MUTANTS_OUT:-target/mutants}
mkdir -p "$out"
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done
# One run (one baseline build) for every file; the report splits the outcomes by file.
if [ "${DSTI_MUTANTS_ITERATE:-0}" = 1 ]; then args+=(--iterate); fi
cargo mutants -p dsti --test-package dsti "${args[@]}" -o "$out" \
  -j "${DSTI_MUTANTS_JOBS:-2}" --timeout-multiplier 3 --no-shuffle \
  -- --lib --test it -- \
  --skip crossval --skip memory_ --skip a_100_mb_line --skip a_million_tiny_records \
  --skip a_10_mb_name --skip nesting_100_000_deep \
  --skip proptests --skip parallel --skip properties --skip corpus --skip synth:: \
  || true  # cargo-mutants exits 2 when mutants are missed: the report says which
python3 tools/mutants_report.py "$out/mutants.out/outcomes.json"
