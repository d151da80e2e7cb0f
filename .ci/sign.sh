#!/usr/bin/env bash
# Signatures and status lists against outside tools (called from .ci/run):
# - OpenSSL 3 verifies what `dsti sign` signs, and `dsti verify` accepts what OpenSSL signs with
#   a key OpenSSL generated (and `dsti sign` signs with that PEM key), for Ed25519 and SM2/SM3;
# - canonical bytes: the PyPI `rfc8785` package agrees with every committed JCS vector, and its
#   bytes are what OpenSSL verifies dsti's signatures over;
# - status lists: the specification's example and a list from `dsti status-list build` decode
#   in Python (gzip + base64url) to the expected bits.
# Installs what it needs, idempotently. Runtime: a few seconds after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v openssl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq openssl >/dev/null
fi
case "$(openssl version)" in
  "OpenSSL 3."*) ;;
  *) echo "sign.sh: OpenSSL 3 needed, found $(openssl version)" >&2; exit 1 ;;
esac
python3 -m pip install --quiet -r .ci/sign-requirements.txt

cargo build --quiet -p dsti-cli
dsti="$PWD/target/debug/dsti"
py="python3 $PWD/.ci/sign_interop.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

$py jcs tests/vectors/jcs

sm2opts=(-digest sm3 -pkeyopt distid:1234567812345678)
for alg in ed25519 sm2; do
  dir="$work/$alg"
  mkdir -p "$dir"
  opts=()
  [ "$alg" = sm2 ] && opts=("${sm2opts[@]}")
  "$dsti" generate --kind certificate --count 5 --seed 21 > "$dir/certs.ndjson"

  # dsti signs, OpenSSL verifies (the payload canonicalized by rfc8785).
  "$dsti" keys generate --alg "$alg" --kid "urn:dsti:ci:$alg" --out "$dir/keys" 2>/dev/null
  "$dsti" sign --key "$dir/keys/key.jwk" "$dir/certs.ndjson" > "$dir/signed.ndjson" 2>/dev/null
  n=$($py split "$alg" "$dir/signed.ndjson" "$dir/split")
  for ((i = 0; i < n; i++)); do
    openssl pkeyutl -verify -rawin "${opts[@]}" -pubin -inkey "$dir/keys/public.pem" \
      -in "$dir/split/$i.in" -sigfile "$dir/split/$i.sig" >/dev/null
  done
  # ... and refuses a changed payload.
  printf ' ' >> "$dir/split/0.in"
  if openssl pkeyutl -verify -rawin "${opts[@]}" -pubin -inkey "$dir/keys/public.pem" \
      -in "$dir/split/0.in" -sigfile "$dir/split/0.sig" >/dev/null 2>&1; then
    echo "sign.sh: OpenSSL verified a changed payload ($alg)" >&2; exit 1
  fi
  echo "$alg: OpenSSL verifies $n dsti signatures"

  # OpenSSL generates a key and signs; dsti verifies.
  if [ "$alg" = sm2 ]; then
    openssl genpkey -algorithm SM2 -out "$dir/ossl.pem" 2>/dev/null
  else
    openssl genpkey -algorithm ED25519 -out "$dir/ossl.pem"
  fi
  openssl pkey -in "$dir/ossl.pem" -pubout -outform DER -out "$dir/ossl.der"
  $py jwks "$alg" "urn:dsti:ossl:$alg" "$dir/ossl.der" > "$dir/ossl-jwks.json"
  n=$($py inputs "$alg" "urn:dsti:ossl:$alg" "$dir/certs.ndjson" "$dir/ossl")
  for ((i = 0; i < n; i++)); do
    openssl pkeyutl -sign -rawin "${opts[@]}" -inkey "$dir/ossl.pem" \
      -in "$dir/ossl/$i.in" -out "$dir/ossl/$i.sig"
  done
  $py assemble "$alg" "urn:dsti:ossl:$alg" "$dir/certs.ndjson" "$dir/ossl" > "$dir/ossl-signed.ndjson"
  "$dsti" verify --keys "$dir/ossl-jwks.json" "$dir/ossl-signed.ndjson" >/dev/null
  sed '1s/"holderName":"/"holderName":"X/' "$dir/ossl-signed.ndjson" > "$dir/ossl-tampered.ndjson"
  if "$dsti" verify --keys "$dir/ossl-jwks.json" "$dir/ossl-tampered.ndjson" >/dev/null; then
    echo "sign.sh: dsti verified a changed record ($alg)" >&2; exit 1
  fi
  # dsti signs with the PEM key OpenSSL made; its public key (as OpenSSL wrote it) verifies.
  "$dsti" sign --key "$dir/ossl.pem" --kid "urn:dsti:ossl:$alg" "$dir/certs.ndjson" > "$dir/pem-signed.ndjson" 2>/dev/null
  "$dsti" verify --keys "$dir/ossl-jwks.json" "$dir/pem-signed.ndjson" >/dev/null
  echo "$alg: dsti verifies $n OpenSSL signatures, and signs with OpenSSL's PEM key"
done

# Status lists: the specification's example, and one of dsti's.
cat > "$work/spec.json" <<'JSON'
{"credentialSubject": {"encodedList": "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"}}
JSON
$py bits "$work/spec.json" ""
python3 - "$work/certs.ndjson" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1].replace("certs", "ed25519/certs"))]
for i, r in enumerate(rows):
    r["schemaVersion"] = "2.1"
    r["credentialStatus"] = {"statusListCredential": "https://certs.example.cn/rl/9",
                             "statusListIndex": str([0, 7, 8, 131071, 200000][i]),
                             "statusPurpose": "revocation"}
    if i != 1:
        r["status"] = "revoked"
        r["statusReason"] = "revoked in CI"
open(sys.argv[1], "w").write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
PY
"$dsti" status-list build --purpose revocation --url https://certs.example.cn/rl/9 "$work/certs.ndjson" > "$work/list.json" 2>/dev/null
$py bits "$work/list.json" "0,8,131071,200000"
echo "sign.sh: all interop checks passed"
