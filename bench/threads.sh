#!/usr/bin/env bash
# The work split of `dsti validate --jobs 2` per thread, in instructions (callgrind), for the
# same 20,000 valid records as NDJSON, as a JSON array and as a batch. Instructions do not
# depend on what else runs on the machine, so this shows on a loaded machine what wall-clock
# ratios cannot: how much work two jobs add to one, and how it is shared between the threads.
#
# Usage: bench/threads.sh [RECORDS]   (default 20000; needs valgrind and a release build)
#
# For each layout it prints the one-job total, the two-job total and each thread's share, and
# the ratio two cores could reach at best: one job's instructions over the larger of half the
# two-job total and the busiest thread that is not one of the two workers (they share their
# work out between them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
records=${1:-20000}
data=${DSTI_BENCH_DATA:-bench/out/data}
mkdir -p "$data"
cargo build --release -p dsti-cli --bin dsti >&2
dsti=target/release/dsti

ndjson=$data/threads-$records.ndjson
array=$data/threads-$records-array.json
batch=$data/threads-$records-batch.json
[ -s "$ndjson" ] || "$dsti" generate --kind mixed --count "$records" --seed 1 > "$ndjson"
[ -s "$array" ] || awk 'BEGIN { printf "[" } NR > 1 { printf "," } { printf "%s", $0 } END { print "]" }' \
  "$ndjson" > "$array"
if [ ! -s "$batch" ]; then
  {
    printf '{"kind":"batch","schemaVersion":"2.0","id":"7c0e6a4e-2b1d-4f7e-9a51-3d2c8b6f0a19",'
    printf '"sender":{"name":"广州市巾帼家政培训学校","uscc":"91440101MA5CYUF35N"},'
    printf '"createdAt":"2026-03-01T09:00:00+08:00","records":['
    awk 'NR > 1 { printf "," } { printf "%s", $0 }' "$ndjson"
    printf ']}\n'
  } > "$batch"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Instructions per thread of one run, space-separated, threads in the order they started.
counts() { # counts JOBS FILE
  rm -f "$out"/cg.*
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg.%p" \
    "$dsti" validate --format ndjson --jobs "$1" "$2" > /dev/null 2> "$out/log"
  for f in $(ls "$out"/cg.*-* | sort -t- -k2 -n); do
    awk '/^summary:/ { printf "%s ", $2 }' "$f"
  done
}

printf '%-8s %14s %14s  %s\n' layout "--jobs 1" "--jobs 2" "threads of --jobs 2 (main, reader, workers): share of the two-job total; best ratio on 2 cores"
for layout in ndjson array batch; do
  file=${!layout}
  python3 - "$layout" "$(counts 1 "$file")" "$(counts 2 "$file")" <<'EOF'
import sys
layout = sys.argv[1]
one = sum(int(t) for t in sys.argv[2].split())
threads = [int(t) for t in sys.argv[3].split()]
two = sum(threads)
shares = " ".join(f"{t / 1e6:.1f}M ({100 * t / two:.0f}%)" for t in threads)
# The workers take their blocks from one queue as they come free, so their split is the
# scheduler's (under valgrind, which runs one thread at a time, it is arbitrary): only the
# threads before them (main, and the reader of an array or batch) bound the ratio alone.
fixed = threads[: len(threads) - 2]
best = one / max(two / 2, max(fixed))
print(f"{layout:<8} {one / 1e6:13.1f}M {two / 1e6:13.1f}M  {shares}; {best:.2f}x")
EOF
done
