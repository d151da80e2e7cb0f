#!/usr/bin/env bash
# Projections against outside tools (called from .ci/run):
# - every credential `dsti export --to ob3` makes of generated certificates (versions 2.1, 2.0
#   and 1.0, upgraded) is valid under 1EdTech's published OB 3.0 schema (tests/ob3/) in Python's
#   jsonschema Draft201909Validator;
# - every statement `dsti export --to xapi` makes of generated completions is built, serialized
#   and read back by the `tincan` xAPI library;
# - no document number, name or phone of the input is in either output.
# Installs what it needs (pinned in .ci/proj-requirements.txt), idempotently.
# Runtime: a few seconds after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet -r .ci/proj-requirements.txt

cargo build --quiet -p dsti-cli
dsti="$PWD/target/debug/dsti"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf 'ci digest key\n' > "$work/key"
{
  "$dsti" generate --kind mixed --count 1500 --seed 17 --version 2.1
  "$dsti" generate --kind certificate --count 300 --seed 18 --version 2.0
  "$dsti" generate --kind completion --count 300 --seed 19 --version 2.0
  "$dsti" generate --kind certificate --count 200 --seed 20 --version 1.0
  "$dsti" generate --kind completion --count 200 --seed 21 --version 1.0
} > "$work/in.ndjson"

for to in ob3 xapi; do
  "$dsti" export --to "$to" --digest-key-file "$work/key" --format ndjson \
    --out "$work/$to.ndjson" "$work/in.ndjson" 2> "$work/$to-report.ndjson"
  tail -n 1 "$work/$to-report.ndjson"
done
python3 .ci/proj_check.py ob3 tests/ob3/ob_v3p0_achievementcredential_schema.json "$work/ob3.ndjson" "$work/in.ndjson"
python3 .ci/proj_check.py xapi "$work/xapi.ndjson" "$work/in.ndjson"
