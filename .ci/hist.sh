#!/usr/bin/env bash
# People over time (called from .ci/run): `dsti export --to parquet` on a generated 2.1 upload
# plus the sample upload (1.0/2.0 records, invalid ones), read by DuckDB (PyPI `duckdb`, pinned
# in .ci/hist-requirements.txt), whose GROUP BY counts must equal `dsti stats --format json`
# on the same input. Installs what it needs, idempotently. Runtime: ~15 s after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet -r .ci/hist-requirements.txt
cargo build --quiet -p dsti-cli
dsti="$PWD/target/debug/dsti"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now="2026-06-01T12:00:00+08:00"
printf 'ci exchange key\n' > "$work/key"
"$dsti" generate --kind mixed --count 20000 --version 2.1 --seed 15 > "$work/upload.ndjson"
inputs=("$work/upload.ndjson" examples/upload.ndjson)
"$dsti" export --to parquet --out "$work/parquet" --digest-key-file "$work/key" --now "$now" "${inputs[@]}"
"$dsti" stats --by programme,province,year,occupation,level --format json \
  --digest-key-file "$work/key" --now "$now" "${inputs[@]}" > "$work/stats.json"
python3 .ci/hist_duckdb.py "$work/parquet" "$work/stats.json"
