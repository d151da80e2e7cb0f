#!/usr/bin/env bash
# Load benchmark of `dsti serve` (not part of CI): the three scenarios of its issue, plus the
# peak RSS under many large uploads. Loopback only; every process it starts is stopped by id.
#
#   bench/serve.sh            # uses target/release/dsti (cargo build --release -p dsti-cli)
#
# Environment: JOBS (validator threads, default 2), RECORDS (the one big upload, 200000),
# ROUNDS (of the one big upload against the CLI, 8),
# CONCURRENT (16), SMALL_RECORDS (records per concurrent upload, 20000), SECONDS_EACH (wrk
# duration, 15), RSS_UPLOADS (64), RSS_MB (size of each, 100). Needs wrk, curl and GNU time.
# Prints the load average at each step: on a shared machine, read the numbers with it.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS="${JOBS:-2}"
RECORDS="${RECORDS:-200000}"
CONCURRENT="${CONCURRENT:-16}"
SMALL_RECORDS="${SMALL_RECORDS:-20000}"
SECONDS_EACH="${SECONDS_EACH:-15}"
ROUNDS="${ROUNDS:-8}"
RSS_UPLOADS="${RSS_UPLOADS:-64}"
RSS_MB="${RSS_MB:-100}"
DSTI="$PWD/target/release/dsti"
[ -x "$DSTI" ] || cargo build --release -p dsti-cli --bin dsti
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }

DATA="bench/out/serve"
mkdir -p "$DATA"
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

[ -s "$DATA/big.ndjson" ] || "$DSTI" generate --kind mixed --count "$RECORDS" --seed 7 > "$DATA/big.ndjson"
[ -s "$DATA/small.ndjson" ] || "$DSTI" generate --kind mixed --count "$SMALL_RECORDS" --seed 8 > "$DATA/small.ndjson"
"$DSTI" generate --kind completion --count 1 --seed 9 > "$DATA/one.json"
if [ ! -s "$DATA/rss.ndjson" ]; then
  while [ "$(stat -c %s "$DATA/rss.ndjson" 2>/dev/null || echo 0)" -lt $((RSS_MB << 20)) ]; do
    cat "$DATA/big.ndjson" >> "$DATA/rss.ndjson"
  done
  head -c $((RSS_MB << 20)) "$DATA/rss.ndjson" > "$DATA/rss.tmp" && mv "$DATA/rss.tmp" "$DATA/rss.ndjson"
fi

"$DSTI" serve token --sender 91440101MA5CYUF35N > "$WORK/token.txt"
TOKEN="$(sed -n 1p "$WORK/token.txt")"
export TOKEN
echo "[$(sed -n 2p "$WORK/token.txt")]" > "$WORK/tokens.json"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$WORK/serve.toml" <<TOML
listen = "127.0.0.1:$PORT"
tokens = "tokens.json"
jobs = $JOBS
max_concurrent_uploads = 128
TOML
"$DSTI" serve --config "$WORK/serve.toml" 2> "$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"

now() { date +%s.%N; }
load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
rate() { python3 -c "print(f'{$1/($3-$2):,.0f}')"; }

echo "== one upload of $RECORDS records ($(du -h "$DATA/big.ndjson" | cut -f1)), jobs $JOBS, $ROUNDS rounds; $(load)"
# curl sends `Expect: 100-continue` with a body this large, as most clients do: the service
# must answer it (it once did not, and curl waited a second per upload).
#
# Both sides write their verdicts to a file (a province keeps them). The service's time is the
# HTTP exchange as curl measures it (`time_total`: from connecting to the answer's last byte),
# without curl's own start-up and exit (about 20 ms of loading libcurl's libraries, on the
# same two cores); the CLI's time is its whole process, start-up included. The wall clock of
# the curl process is printed too, and its ratio. The ratio of a round is the pair's; the
# result is the median of the rounds (the machine is shared and moves by +-10 % between runs).
ratios=(); wall_ratios=()
# CPU seconds (user + system) of a process so far, from /proc (clock ticks of 1/100 s).
cpu_of() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
# This machine's page cache is reclaimed under others' load: the file is read once right
# before each timed run, so that neither side pays for the disk. The side that goes first
# alternates.
warm() { cat "$DATA/big.ndjson" > /dev/null; }
run_cli() {
  warm; local t0; t0=$(now)
  /usr/bin/time -o "$WORK/cli.time" -f "%U %S" \
    "$DSTI" validate --format ndjson --jobs "$JOBS" --sender 91440101MA5CYUF35N \
    "$DATA/big.ndjson" > "$WORK/cli-answer.ndjson" || true
  cli=$(python3 -c "print($RECORDS/($(now)-$t0))")
  cli_cpu=$(tail -n 1 "$WORK/cli.time" | awk '{printf "%.2f", $1 + $2}')
}
run_srv() {
  warm; local t0 s0 total; t0=$(now); s0=$(cpu_of "$SERVER")
  total=$(curl -fsS -X POST "$URL/v2/uploads" -H "Authorization: Bearer $TOKEN" \
    -H "Content-Type: application/x-ndjson" -T "$DATA/big.ndjson" -o "$WORK/answer.ndjson" \
    -w '%{time_total}')
  srv_wall=$(python3 -c "print($RECORDS/($(now)-$t0))")
  srv=$(python3 -c "print($RECORDS/$total)")
  srv_cpu=$(python3 -c "print(f'{$(cpu_of "$SERVER") - $s0:.2f}')")
}
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then run_cli; run_srv; else run_srv; run_cli; fi
  ratios+=("$(python3 -c "print(f'{$srv/$cli:.3f}')")")
  wall_ratios+=("$(python3 -c "print(f'{$srv_wall/$cli:.3f}')")")
  echo "round $round: dsti validate $(printf %.0f "$cli") records/s (CPU ${cli_cpu} s), dsti serve $(printf %.0f "$srv") records/s (CPU ${srv_cpu} s; curl's process $(printf %.0f "$srv_wall")/s): ${ratios[-1]}x (${wall_ratios[-1]}x)"
done
cmp -s <(grep -v summary "$WORK/answer.ndjson") <(grep -v summary "$WORK/cli-answer.ndjson") \
  && echo "the service's answer and the CLI's verdicts are the same bytes"
tail -n 1 "$WORK/answer.ndjson"
python3 -c "
import statistics as s
r = [${ratios[*]/%/,}]; w = [${wall_ratios[*]/%/,}]
print(f'median of {len(r)} rounds: {s.median(r):.3f}x (target >= 0.8; rounds {min(r):.2f}-{max(r):.2f}); '
      f'with curl\'s process start and exit: {s.median(w):.3f}x')"
load

echo "== $CONCURRENT concurrent uploads of $SMALL_RECORDS records, ${SECONDS_EACH}s; $(load)"
BODY_FILE="$DATA/small.ndjson" CONTENT_TYPE=application/x-ndjson \
  wrk -t2 -c"$CONCURRENT" -d"${SECONDS_EACH}s" --timeout 120s --latency -s bench/serve.lua "$URL/v2/uploads"

echo "== single-record validation, 32 connections, ${SECONDS_EACH}s; $(load)"
BODY_FILE="$DATA/one.json" CONTENT_TYPE=application/json \
  wrk -t2 -c32 -d"${SECONDS_EACH}s" --latency -s bench/serve.lua "$URL/v2/validate"

echo "== peak RSS: $RSS_UPLOADS concurrent uploads of $RSS_MB MB; $(load)"
pids=()
t0=$(now)
for i in $(seq "$RSS_UPLOADS"); do
  curl -sS -X POST "$URL/v2/uploads" -H "Authorization: Bearer $TOKEN" \
    -H "Content-Type: application/x-ndjson" -T "$DATA/rss.ndjson" -o /dev/null &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
t1=$(now)
echo "took $(python3 -c "print(f'{$t1-$t0:.1f}')") s; $(load)"
grep -E "VmHWM|VmRSS" "/proc/$SERVER/status"
