#!/usr/bin/env bash
# Seed fuzz/corpus/<target>/ from tests/vectors (the corpora are gitignored; only
# fuzz/regressions/ is checked in). Safe to run again: it only adds files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vectors="$here/../tests/vectors"
corpus="$here/corpus"
mkdir -p "$corpus"/{validate,migrate,identifiers,differential,roundtrip,sign}

python3 - "$vectors" "$corpus" <<'PY'
import hashlib, json, pathlib, sys

vectors, corpus = map(pathlib.Path, sys.argv[1:3])

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    name = hashlib.sha1(data).hexdigest()
    (corpus / target / name).write_bytes(data)

records, raw = [], []
for path in sorted(vectors.rglob("*.json")):
    if path.name == "manifest.json":
        continue
    data = path.read_bytes()
    raw.append(data)
    for target in ("validate", "migrate", "roundtrip"):
        put(target, data)
    try:
        value = json.loads(data)
    except Exception:
        continue
    items = value.get("records") if isinstance(value, dict) else None
    if isinstance(items, list):
        records.extend(items)
    if isinstance(value, dict) and "kind" in value:
        records.append(value)

def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)

seen = set()
for r in records:
    compact = json.dumps(r, ensure_ascii=False, separators=(",", ":"))
    put("differential", compact)
    put("roundtrip", compact)
    put("migrate", compact)
    for s in strings(r):
        if s not in seen:
            seen.add(s)
            put("identifiers", s)

# NDJSON and array uploads of the records, and the edge layouts.
lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
put("validate", "\n".join(lines) + "\n")
put("validate", "\r\n".join(lines[:4]) + "\r\n")
put("validate", "[" + ",".join(lines[:4]) + "]")
put("validate", "\ufeff" + lines[0] + "\n\n \t\n" + lines[1])
for s in ["", " \n\t\r\n", "{}\n{}\n", "[]", "[,]", "{\"records\":{}}", "1e400", "-0",
          "123456789012345678901234567890", "\"\\ud800\"", "{\"a\":1,\"a\":2}"]:
    put("validate", s)
# Keys, proofs and status lists for the sign target (the published test keys of RFC 8037 and
# GM/T 0003.5, the status-list example of the W3C specification).
for r in records[:20]:
    put("sign", json.dumps(r, ensure_ascii=False, separators=(",", ":")))
for s in [
    '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","kid":"urn:k"}',
    '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"urn:k"}]}',
    '{"kty":"EC","crv":"SM2","x":"CfnfMR5UIaFQ3X0WHkvFxnIXn60YM_wHa7CP81bzUCA","y":"zOpJDOJndaUtxupxjMGqYArtBfvzXghKZjL2By2prRM","d":"OUUgj3shRLE_NuOKxtOflYiTk2koYLUaQvuB703fxbg"}',
    'eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il0sImtpZCI6InVybjprIn0..AAAA',
    'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA',
    '{"type":["BitstringStatusListCredential"],"id":"https://x.cn/1","credentialSubject":{"statusPurpose":"revocation","encodedList":"uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"}}',
    '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMRESdVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n',
]:
    put("sign", s)
print(f"seeded from {len(raw)} vector files and {len(records)} records")
PY
for t in validate migrate identifiers differential roundtrip sign; do
    if [ -d "$here/regressions/$t" ]; then
        cp -n "$here/regressions/$t"/* "$corpus/$t/" 2>/dev/null || true
    fi
done
ls "$corpus" | while read -r t; do echo "$t: $(ls "$corpus/$t" | wc -l) files"; done
