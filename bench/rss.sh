#!/usr/bin/env bash
# Peak resident memory of `dsti validate` on large and hostile uploads.
#
#   bench/rss.sh            # 1 GiB inputs
#   SIZE_MB=256 bench/rss.sh
#
# Builds the release binary, writes its inputs under bench/out/ (gitignored) and prints a
# table of peak RSS (from /usr/bin/time -v) and wall time per input.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${SIZE_MB:-1024}"
out=bench/out
mkdir -p "$out"

cargo build --release -p dsti-cli --bin dsti --quiet
dsti=target/release/dsti
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }

# 1. NDJSON of about SIZE_MB, from `dsti generate` (valid synthetic records).
ndjson="$out/records-${size_mb}m.ndjson"
if [ ! -s "$ndjson" ]; then
    "$dsti" generate --kind mixed --count 10000 --seed 7 > "$out/sample.ndjson"
    avg=$(( $(wc -c < "$out/sample.ndjson") / 10000 ))
    count=$(( size_mb * 1024 * 1024 / avg ))
    "$dsti" generate --kind mixed --count "$count" --seed 7 > "$ndjson"
fi
records=$(wc -l < "$ndjson")

# 2. The same records as one JSON array.
array="$out/records-${size_mb}m.json"
if [ ! -s "$array" ]; then
    { printf '['; sed '$!s/$/,/' "$ndjson"; printf ']\n'; } > "$array"
fi

# 3. A single 100 MB line (one record far over the 1 MiB limit).
line="$out/line-100m.ndjson"
if [ ! -s "$line" ]; then
    python3 -c 'import sys; w=sys.stdout.write; w("{\"kind\":\"person\",\"schemaVersion\":\"2.0\",\"name\":\""); [w("a"*1000000) for _ in range(100)]; w("\"}\n")' > "$line"
fi

# 4. A million tiny records.
tiny="$out/tiny-1m.ndjson"
if [ ! -s "$tiny" ]; then
    yes '{}' | head -n 1000000 > "$tiny"
fi

measure() {
    local file=$1
    local log
    log=$(mktemp)
    /usr/bin/time -v "$dsti" validate --format ndjson "$file" > "$out/verdicts.ndjson" 2> "$log" || true
    local rss wall verdicts
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    verdicts=$(( $(wc -l < "$out/verdicts.ndjson") - 1 ))
    printf '| %-32s | %9s | %12s | %8s MiB | %8s |\n' "$(basename "$file")" \
        "$(( $(wc -c < "$file") / 1048576 )) MiB" "$verdicts" "$(( rss / 1024 ))" "$wall"
    rm -f "$log"
}

echo "dsti validate --format ndjson, $(nproc) cores; $records records in the ${size_mb} MiB inputs"
printf '| %-32s | %9s | %12s | %12s | %8s |\n' input size verdicts "peak RSS" wall
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "-----------" "--------------" "--------------" "----------"
measure "$ndjson"
measure "$array"
measure "$line"
measure "$tiny"
