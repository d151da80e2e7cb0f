#!/usr/bin/env bash
# The association's release kit, checked with outside tools: `dsti conformance` against dsti
# itself (must conform, 100 %) and against a deliberately wrong validator (must not, and must
# name the code it gets wrong); two `dsti release` bundles compared with `diff -r` and `stat`,
# and their SHA256SUMS checked with `sha256sum -c`. Needs only coreutils, diff and sh.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet -p dsti-cli --bin dsti
DSTI="$PWD/target/debug/dsti"
export DSTI_BIN="$DSTI"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- conformance: dsti against its own vectors"
"$DSTI" conformance --lang en \
  --cmd "$DSTI validate --format ndjson --now {now} --profile {profile} "'${DSTI_SENDER:+--sender "$DSTI_SENDER"}'" {file}" >"$work/self.txt"
tail -n 1 "$work/self.txt"
grep -q "(100.0 %).*: CONFORMS$" "$work/self.txt"

echo "-- conformance: a validator that reports uscc.checksum as schema.pattern"
status=0
"$DSTI" conformance --lang en \
  --cmd "sh crates/dsti-cli/tests/conformance/wrong-validator.sh {file}" >"$work/wrong.txt" || status=$?
tail -n 1 "$work/wrong.txt"
[ "$status" -eq 1 ] || { echo "expected exit 1, got $status" >&2; exit 1; }
grep -q "^DISAGREES 2.0/invalid/uscc-checksum.json" "$work/wrong.txt"
grep -q "^  uscc.checksum .* DISAGREES$" "$work/wrong.txt"
grep -q "DOES NOT CONFORM$" "$work/wrong.txt"

echo "-- release: two bundles of every version are identical and checksummed"
# Every version this build knows, as its usage error lists them.
versions=$( ("$DSTI" release --version none --out "$work/none" 2>&1 || true) | sed -n 's/.*known: \([^)]*\)).*/\1/p' | tr -d ,)
[ -n "$versions" ] || { echo "no versions listed" >&2; exit 1; }
for version in $versions; do
  "$DSTI" release --version "$version" --out "$work/a-$version" 2>/dev/null
  sleep 1
  "$DSTI" release --version "$version" --out "$work/b-$version" 2>/dev/null
  diff -r "$work/a-$version" "$work/b-$version"
  (cd "$work/a-$version" && find . -printf '%P %m %T@\n' | sort) >"$work/a.stat"
  (cd "$work/b-$version" && find . -printf '%P %m %T@\n' | sort) >"$work/b.stat"
  diff "$work/a.stat" "$work/b.stat"
  (cd "$work/a-$version" && sha256sum --quiet -c SHA256SUMS)
  echo "$version: $(wc -l <"$work/a-$version/SHA256SUMS") files, SHA256SUMS $(sha256sum "$work/a-$version/SHA256SUMS" | cut -c1-16)…"
done
