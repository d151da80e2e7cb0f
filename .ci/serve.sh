#!/usr/bin/env bash
# CI for `dsti serve`: schemathesis against the running service's /openapi.json (no 5xx, every
# answer conforming to the document), then two replicas behind nginx with uploads through it.
# Installs what it needs (pip, apt) idempotently. Loopback only; every process it starts is
# stopped by its id on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v st >/dev/null 2>&1 || ! st --version 2>/dev/null | grep -q "4.32.5"; then
  python3 -m pip install --quiet -r .ci/serve-requirements.txt
fi
if ! command -v nginx >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light >/dev/null || apt-get install -y -qq nginx >/dev/null
fi

cargo build --quiet -p dsti-cli --bin dsti
DSTI="$PWD/target/debug/dsti"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A sender (the one the batch vectors name) and its token.
"$DSTI" serve token --sender 52440101MJ00001238 --name "CI" > "$WORK/token.txt"
TOKEN="$(sed -n 1p "$WORK/token.txt")"
echo "[$(sed -n 2p "$WORK/token.txt")]" > "$WORK/tokens.json"

# A free loopback port, from the kernel.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_replica() { # NAME PORT
  cat > "$WORK/$1.toml" <<TOML
listen = "127.0.0.1:$2"
tokens = "tokens.json"
max_concurrent_uploads = 8
header_timeout_secs = 5
request_timeout_secs = 60
drain_grace_secs = 5
TOML
  "$DSTI" serve --config "$WORK/$1.toml" 2> "$WORK/$1.log" &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "replica $1 did not become ready" >&2; cat "$WORK/$1.log" >&2; return 1
}

echo "-- schemathesis against /openapi.json"
P1="$(free_port)"
start_replica one "$P1"
# From the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs.
(cd "$WORK" && st run "http://127.0.0.1:$P1/openapi.json" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 25 --workers 1 \
  --suppress-health-check all --warnings off)

echo "-- two replicas behind nginx"
P2="$(free_port)"
start_replica two "$P2"
PN="$(free_port)"
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream dsti { server 127.0.0.1:$P1; server 127.0.0.1:$P2; }
  server {
    listen 127.0.0.1:$PN;
    client_max_body_size 0;
    location / {
      proxy_pass http://dsti;
      proxy_http_version 1.1;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 900s;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -g "daemon off;" &
PIDS+=($!)
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$PN/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

"$DSTI" validate --format ndjson examples/upload.ndjson > "$WORK/expected.ndjson" || true
for i in 1 2 3 4 5 6; do
  curl -fsS -X POST "http://127.0.0.1:$PN/v2/uploads" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" \
    --data-binary @examples/upload.ndjson > "$WORK/answer-$i.ndjson"
  cmp "$WORK/expected.ndjson" "$WORK/answer-$i.ndjson"
done
gzip -c examples/upload.ndjson > "$WORK/upload.ndjson.gz"
curl -fsS -X POST "http://127.0.0.1:$PN/v2/uploads" \
  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" -H "Content-Encoding: gzip" \
  --data-binary @"$WORK/upload.ndjson.gz" | cmp "$WORK/expected.ndjson" -
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PN/v2/uploads" --data-binary @examples/upload.ndjson)"
[ "$status" = 401 ] || { echo "no token through nginx: $status, not 401" >&2; exit 1; }
# Both replicas took uploads.
for port in "$P1" "$P2"; do
  n="$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^dsti_uploads_total\{outcome="complete"\}/ {print $2}')"
  [ "${n:-0}" -ge 1 ] || { echo "replica on $port took no upload" >&2; exit 1; }
done
echo "serve: schemathesis and two replicas behind nginx passed"
