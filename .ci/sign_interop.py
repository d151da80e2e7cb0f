#!/usr/bin/env python3
"""Helpers of .ci/sign.sh: the Python side of the signature and status-list interop checks.

Standard library plus `rfc8785` (an independent RFC 8785 implementation). Subcommands:

  jcs DIR                      every DIR/*.json canonicalized by rfc8785 equals DIR/*.jcs
  split ALG SIGNED OUTDIR      for each signed record: OUTDIR/N.in (JWS signing input, with the
                               payload canonicalized by rfc8785) and OUTDIR/N.sig (the
                               signature as OpenSSL wants it: raw Ed25519, DER for SM2)
  inputs ALG KID RECORDS OUTDIR  for each record: OUTDIR/N.in and OUTDIR/N.hdr (protected header)
  assemble ALG KID RECORDS OUTDIR  records with proofs made from OUTDIR/N.hdr and OUTDIR/N.sig
  jwks ALG KID SPKI_DER        a JWKS holding the public key OpenSSL wrote
  bits LIST_JSON I,J,...       the credential's encodedList decodes (gzip + base64url) to at least
                               131,072 bits, exactly I, J, ... set, index 0 the left-most bit
"""
import base64
import gzip
import json
import pathlib
import sys

import rfc8785

CREATED = "2026-05-01T09:00:00+08:00"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der_int(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + bytes([len(raw)]) + raw


def rs_to_der(sig: bytes) -> bytes:
    body = der_int(int.from_bytes(sig[:32], "big")) + der_int(int.from_bytes(sig[32:], "big"))
    return b"\x30" + bytes([len(body)]) + body


def der_to_rs(der: bytes) -> bytes:
    assert der[0] == 0x30
    i = 2
    out = b""
    for _ in range(2):
        assert der[i] == 0x02
        n = der[i + 1]
        out += int.from_bytes(der[i + 2 : i + 2 + n], "big").to_bytes(32, "big")
        i += 2 + n
    return out


def payload(record: dict) -> bytes:
    record = dict(record)
    record.pop("proof", None)
    return rfc8785.dumps(record)


def records(path):
    return [json.loads(line) for line in pathlib.Path(path).read_text().splitlines() if line.strip()]


def cmd_jcs(directory):
    n = 0
    for src in sorted(pathlib.Path(directory).glob("*.json")):
        want = src.with_suffix(".jcs").read_bytes()
        got = rfc8785.dumps(json.loads(src.read_text()))
        if got != want:
            sys.exit(f"{src}: rfc8785 gives {got!r}, the committed bytes are {want!r}")
        n += 1
    print(f"JCS: {n} vectors, rfc8785 agrees with the committed canonical bytes")


def cmd_split(alg, signed, outdir):
    out = pathlib.Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(records(signed)):
        protected, middle, signature = record["proof"]["jws"].split(".")
        assert middle == "", "detached payload"
        header = json.loads(unb64url(protected))
        assert header["b64"] is False and header["crit"] == ["b64"], header
        (out / f"{i}.in").write_bytes(protected.encode() + b"." + payload(record))
        sig = unb64url(signature)
        (out / f"{i}.sig").write_bytes(rs_to_der(sig) if alg == "sm2" else sig)
    print(i + 1)


def header(alg, kid):
    h = {"alg": "SM2SM3" if alg == "sm2" else "EdDSA", "b64": False, "crit": ["b64"], "kid": kid}
    return b64url(json.dumps(h).encode())


def cmd_inputs(alg, kid, path, outdir):
    out = pathlib.Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(records(path)):
        h = header(alg, kid)
        (out / f"{i}.hdr").write_text(h)
        (out / f"{i}.in").write_bytes(h.encode() + b"." + payload(record))
    print(i + 1)


def cmd_assemble(alg, kid, path, outdir):
    out = pathlib.Path(outdir)
    for i, record in enumerate(records(path)):
        sig = (out / f"{i}.sig").read_bytes()
        if alg == "sm2":
            sig = der_to_rs(sig)
        record["proof"] = {
            "type": "DetachedJws",
            "alg": "SM2SM3" if alg == "sm2" else "EdDSA",
            "kid": kid,
            "created": CREATED,
            "jws": (out / f"{i}.hdr").read_text() + ".." + b64url(sig),
        }
        print(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def cmd_jwks(alg, kid, spki_der):
    der = pathlib.Path(spki_der).read_bytes()
    if alg == "sm2":
        point = der[-65:]
        assert point[0] == 4, "uncompressed point"
        jwk = {"kty": "EC", "crv": "SM2", "x": b64url(point[1:33]), "y": b64url(point[33:])}
    else:
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(der[-32:])}
    jwk["kid"] = kid
    print(json.dumps({"keys": [jwk]}))


def cmd_bits(path, expected):
    credential = json.loads(pathlib.Path(path).read_text())
    encoded = credential["credentialSubject"]["encodedList"]
    assert encoded[0] == "u", "multibase base64url"
    bits = gzip.decompress(unb64url(encoded[1:]))
    assert len(bits) * 8 >= 131072, len(bits)
    want = {int(i) for i in expected.split(",") if i}
    got = {i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))}
    if got != want:
        sys.exit(f"{path}: bits set {sorted(got)}, expected {sorted(want)}")
    print(f"status list: {len(bits) * 8} entries, set: {sorted(got)}")


if __name__ == "__main__":
    globals()["cmd_" + sys.argv[1]](*sys.argv[2:])
