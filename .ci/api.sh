#!/usr/bin/env bash
# The vendor's side (issue 12): the example that maps a platform's own structs to an upload
# writes it as a batch and as NDJSON, and `dsti validate` accepts both (exit 0). Needs nothing
# outside cargo; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== the vendor's example (examples/vendor_export.rs): its upload validates"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cargo build --quiet --example vendor_export -p dsti
cargo build --quiet -p dsti-cli --bin dsti
for mode in batch ndjson; do
  file="$out/upload.$mode"
  flag=""
  [ "$mode" = ndjson ] && flag="--ndjson"
  target/debug/examples/vendor_export $flag "$file"
  target/debug/dsti validate --format text "$file"
  echo "-- vendor_export ($mode): dsti validate exit 0"
done
