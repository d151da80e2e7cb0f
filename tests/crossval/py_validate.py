#!/usr/bin/env python3
"""Cross-validation with Python `jsonschema` (Draft 2020-12, formats asserted).

Usage: python3 py_validate.py SCHEMAS_DIR VECTORS_DIR

For every `VECTORS_DIR/<version>/{valid,invalid}/*.json` (manifest.json excepted), prints one
JSON line: {"file":"<version>/<valid|invalid>/<name>","accepted":bool,"errors":[...]}.
A file holds one record (validated against `SCHEMAS_DIR/<version>/<kind>.json`, `kind` read off
the record), an array of records (each against its kind's schema) or a batch (the batch
schema). Bytes that are not UTF-8 JSON, and records without a known kind, are not accepted.

`date-time` is only checked when `rfc3339-validator` is installed, so its absence is an error
here rather than a silent pass.
"""

import json
import os
import sys

from jsonschema import Draft202012Validator

try:
    import rfc3339_validator  # noqa: F401  (enables the date-time format checker)
except ImportError:
    sys.exit("rfc3339-validator is not installed: date-time would not be checked")


def no_constants(name):
    # NaN, Infinity and -Infinity are not JSON.
    raise ValueError(f"not JSON: {name}")


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: python3 py_validate.py SCHEMAS_DIR VECTORS_DIR\n")
        return 2
    schemas_dir, vectors_dir = sys.argv[1], sys.argv[2]
    checker = Draft202012Validator.FORMAT_CHECKER
    if "date-time" not in checker.checkers:
        sys.exit("the date-time format checker is missing")
    validators = {}

    def validator_for(version, kind):
        if version not in validators:
            by_kind = {}
            directory = os.path.join(schemas_dir, version)
            for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
                if name.endswith(".json"):
                    with open(os.path.join(directory, name), encoding="utf-8") as f:
                        schema = json.load(f)
                    Draft202012Validator.check_schema(schema)
                    by_kind[name[:-5]] = Draft202012Validator(schema, format_checker=checker)
            validators[version] = by_kind
        return validators[version].get(kind)

    def check(version, record, at, errors):
        kind = record.get("kind") if isinstance(record, dict) else None
        validator = validator_for(version, kind) if isinstance(kind, str) else None
        if validator is None:
            errors.append(f"{at}: no schema for kind {json.dumps(kind)}")
            return
        for e in validator.iter_errors(record):
            pointer = "".join(f"/{p}" for p in e.absolute_path)
            errors.append(f"{at}{pointer}: {e.validator} {e.message[:200]}")

    for version in sorted(os.listdir(vectors_dir)):
        for group in ("valid", "invalid"):
            directory = os.path.join(vectors_dir, version, group)
            if not os.path.isdir(directory):
                continue
            for name in sorted(os.listdir(directory)):
                if not name.endswith(".json") or name == "manifest.json":
                    continue
                errors = []
                with open(os.path.join(directory, name), "rb") as f:
                    raw = f.read()
                try:
                    value = json.loads(raw.decode("utf-8"), parse_constant=no_constants)
                except (UnicodeDecodeError, ValueError) as e:
                    errors.append(f"not UTF-8 JSON: {e}")
                else:
                    if isinstance(value, list):
                        for i, record in enumerate(value):
                            check(version, record, f"/{i}", errors)
                    else:
                        check(version, value, "", errors)
                line = {"file": f"{version}/{group}/{name}", "accepted": not errors, "errors": errors}
                print(json.dumps(line, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
