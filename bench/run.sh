#!/usr/bin/env bash
# Throughput and memory benchmarks of `dsti validate` against the floor (serde_json straight
# into the typed records), ajv and Python jsonschema. See bench/README.md.
#
# Usage: bench/run.sh OUT.json
#
# Sizes (env):
#   DSTI_BENCH_RECORDS      records of the contender comparison        (default 200000)
#   DSTI_BENCH_PY_RECORDS   slice Python jsonschema validates           (default 20000)
#   DSTI_BENCH_MEM_MIB      size of the NDJSON/array/batch memory files (default 256; full 1024)
#   DSTI_BENCH_SCALE_SMALL  records of the small scale file             (default 100000)
#   DSTI_BENCH_SCALE_LARGE  records of the large scale file             (default 2000000; full 10000000)
#   DSTI_BENCH_FULL=1       the full sizes: 1 GiB memory files and 10M records for scale
#   DSTI_BENCH_RUNS         runs per throughput measurement, median taken (default 3; full 5)
#   DSTI_BENCH_DATA         where the generated files go                (default bench/out/data)
#   DSTI_BENCH_SKIP_INSTALL=1  do not run npm ci / pip install (they must already be there)
set -euo pipefail

out=${1:?usage: bench/run.sh OUT.json}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

full=${DSTI_BENCH_FULL:-0}
records=${DSTI_BENCH_RECORDS:-200000}
py_records=${DSTI_BENCH_PY_RECORDS:-20000}
if [ "$full" = 1 ]; then
  mem_mib=${DSTI_BENCH_MEM_MIB:-1024}
  scale_large=${DSTI_BENCH_SCALE_LARGE:-10000000}
  runs=${DSTI_BENCH_RUNS:-5}
else
  runs=${DSTI_BENCH_RUNS:-3}
  mem_mib=${DSTI_BENCH_MEM_MIB:-256}
  scale_large=${DSTI_BENCH_SCALE_LARGE:-2000000}
fi
scale_small=${DSTI_BENCH_SCALE_SMALL:-100000}
data=${DSTI_BENCH_DATA:-bench/out/data}
mkdir -p "$data" "$(dirname "$out")"

log() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time"
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if [ "${DSTI_BENCH_SKIP_INSTALL:-0}" != 1 ]; then
  log "installing ajv (npm ci --prefix tests/crossval)"
  npm ci --prefix tests/crossval --no-audit --no-fund >/dev/null
  log "installing Python jsonschema (pip install -r tests/crossval/requirements.txt)"
  python3 -m pip install -q -r tests/crossval/requirements.txt
fi

log "building release binaries"
cargo build --release -p dsti-cli --bin dsti
cargo build --release -p dsti --example floor
dsti=target/release/dsti
floor=target/release/examples/floor

# --- data ----------------------------------------------------------------------------------
# Generated files are kept between runs and remade only when missing.
gen() { # gen FILE COUNT SEED
  if [ ! -s "$1" ]; then
    log "generating $1 ($2 records)"
    "$dsti" generate --kind mixed --count "$2" --seed "$3" > "$1.tmp" && mv "$1.tmp" "$1"
  fi
}
valid=$data/valid-$records.ndjson
invalid=$data/invalid-$records.ndjson
gen "$valid" "$records" 1
if [ ! -s "$invalid" ]; then
  log "mutating $valid into $invalid"
  python3 bench/mutate.py 1 < "$valid" > "$invalid.tmp" && mv "$invalid.tmp" "$invalid"
fi
# The same valid records as one JSON array and as one batch (the two-job targets).
valid_array=$data/valid-$records-array.json
valid_batch=$data/valid-$records-batch.json
to_array() { # to_array NDJSON OUT
  awk 'BEGIN { printf "[" } NR > 1 { printf "," } { printf "%s", $0 } END { print "]" }' \
    "$1" > "$2.tmp" && mv "$2.tmp" "$2"
}
to_batch() { # to_batch NDJSON OUT
  {
    printf '{"kind":"batch","schemaVersion":"2.0","id":"7c0e6a4e-2b1d-4f7e-9a51-3d2c8b6f0a19",'
    printf '"sender":{"name":"广州市巾帼家政培训学校","uscc":"91440101MA5CYUF35N"},'
    printf '"createdAt":"2026-03-01T09:00:00+08:00","records":['
    awk 'NR > 1 { printf "," } { printf "%s", $0 }' "$1"
    printf ']}\n'
  } > "$2.tmp" && mv "$2.tmp" "$2"
}
[ -s "$valid_array" ] || { log "writing $valid_array"; to_array "$valid" "$valid_array"; }
[ -s "$valid_batch" ] || { log "writing $valid_batch"; to_batch "$valid" "$valid_batch"; }
small=$data/scale-$scale_small.ndjson
large=$data/scale-$scale_large.ndjson
gen "$small" "$scale_small" 2
gen "$large" "$scale_large" 2

# Memory files: the same records as NDJSON, as a JSON array and as a batch, of about mem_mib MiB.
mem_ndjson=$data/mem-${mem_mib}m.ndjson
mem_array=$data/mem-${mem_mib}m-array.json
mem_batch=$data/mem-${mem_mib}m-batch.json
if [ ! -s "$mem_ndjson" ]; then
  # About 635 bytes a record; generate a little more and cut at the size.
  count=$(( mem_mib * 1048576 / 600 ))
  log "generating $mem_ndjson (~$mem_mib MiB)"
  "$dsti" generate --kind mixed --count "$count" --seed 3 \
    | head -c $(( mem_mib * 1048576 )) | sed '$d' > "$mem_ndjson.tmp"
  mv "$mem_ndjson.tmp" "$mem_ndjson"
fi
[ -s "$mem_array" ] || { log "writing $mem_array"; to_array "$mem_ndjson" "$mem_array"; }
[ -s "$mem_batch" ] || { log "writing $mem_batch"; to_batch "$mem_ndjson" "$mem_batch"; }

# --- runs ----------------------------------------------------------------------------------
log "running contenders ($runs runs each, median)"
python3 bench/run.py \
  --out "$out" --runs "$runs" --dsti "$dsti" --floor "$floor" \
  --valid "$valid" --invalid "$invalid" --valid-array "$valid_array" --valid-batch "$valid_batch" \
  --py-records "$py_records" \
  --small "$small" --large "$large" \
  --mem-ndjson "$mem_ndjson" --mem-array "$mem_array" --mem-batch "$mem_batch" \
  --command "bench/run.sh $*" --full "$full"
