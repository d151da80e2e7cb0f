#!/usr/bin/env python3
"""Throughput of Python `jsonschema` on an NDJSON upload.

`json.loads` every line, then `Draft202012Validator(schema, format_checker=FORMAT_CHECKER)` of
its kind (`is_valid`), counting valid and invalid records. `date-time` is checked only with
`rfc3339-validator` installed, so its absence is an error.

Usage: python3 bench/py_bench.py SCHEMAS_DIR/2.0 FILE.ndjson [MAX_RECORDS]
Prints one JSON line: {"records":N,"valid":N,"invalid":N,"seconds":S}.
"""

import json
import os
import sys
import time

from jsonschema import Draft202012Validator

try:
    import rfc3339_validator  # noqa: F401  (enables the date-time format checker)
except ImportError:
    sys.exit("rfc3339-validator is not installed: date-time would not be checked")


def main():
    schema_dir, path = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    checker = Draft202012Validator.FORMAT_CHECKER
    validators = {}
    for kind in ("person", "course", "completion", "certificate"):
        with open(os.path.join(schema_dir, f"{kind}.json"), encoding="utf-8") as f:
            validators[kind] = Draft202012Validator(json.load(f), format_checker=checker)
    start = time.perf_counter()
    records = valid = invalid = 0
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            if limit is not None and records >= limit:
                break
            records += 1
            try:
                value = json.loads(line)
            except ValueError:
                invalid += 1
                continue
            kind = value.get("kind") if isinstance(value, dict) else None
            validator = validators.get(kind) if isinstance(kind, str) else None
            if validator is not None and validator.is_valid(value):
                valid += 1
            else:
                invalid += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"records": records, "valid": valid, "invalid": invalid, "seconds": seconds}))


if __name__ == "__main__":
    main()
