#!/usr/bin/env python3
"""Throughput of the `dsti` Python package against Python `jsonschema` and `fastjsonschema`.

All read the same NDJSON upload of `dsti generate --kind mixed` records (made here with
`dsti.generate`, which gives the same records), valid and, through bench/mutate.py, invalid
(1-3 mistakes per record). Each contender reads the file and counts valid and invalid records
on one thread:

- `dsti` — `Validator().validate_file(path)`: every rule (schemas, check characters, ID birth
  dates, hours, cross-field rules, duplicate ids), a verdict dict per record.
- `dsti findings_only` — the same with `findings_only=True`: dicts only for the records with
  a finding (the summary counts every record).
- `dsti validate()` — a Python loop calling `Validator.validate(line)` once per record.
- `jsonschema` — `json.loads` per line, then `Draft202012Validator(schema,
  format_checker=...)` of the record's kind, `is_valid` (structure only).
- `fastjsonschema` — `json.loads` per line, then the compiled validator of the record's kind
  (structure only; it knows drafts 4-7, so 2020-12 keywords it lacks are skipped).

The machine may be shared: rounds run the contenders in turn and each one's median is kept.

Needs a release build of the package (`pip install ./crates/dsti-py`), and
`pip install -r bench/requirements-py.txt`.

Usage: python3 bench/py_dsti_bench.py [--records N] [--jsonschema-records N] [--rounds R]
Prints a Markdown table, then one JSON line.
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import fastjsonschema
from jsonschema import Draft202012Validator

import dsti

try:
    import rfc3339_validator  # noqa: F401  (enables the date-time format checker)
except ImportError:
    sys.exit("rfc3339-validator is not installed: jsonschema would not check date-time")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def schemas():
    out = {}
    for kind in dsti.KINDS:
        path = ROOT / "schemas" / "2.0" / f"{kind}.json"
        if path.exists():
            out[kind] = json.loads(path.read_text("utf-8"))
    return out


def escape_dollars_in_classes(pattern):
    """`[...$...]` as `[...\\$...]`: the same pattern, but fastjsonschema turns every bare `$`
    into `\\Z`, which Python refuses inside a character class."""
    out, in_class, escaped = [], False, False
    for c in pattern:
        if escaped:
            out.append(c)
            escaped = False
        elif c == "\\":
            out.append(c)
            escaped = True
        elif in_class and c == "$":
            out.append("\\$")
        else:
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            out.append(c)
    return "".join(out)


def for_fastjsonschema(schema):
    if isinstance(schema, dict):
        return {
            k: escape_dollars_in_classes(v) if k == "pattern" and isinstance(v, str)
            else for_fastjsonschema(v)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [for_fastjsonschema(v) for v in schema]
    return schema


def count_lines(path, limit, judge):
    """Read `path` line by line, `json.loads` each, `judge(value)` -> bool."""
    valid = invalid = 0
    with open(path, "rb") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            try:
                value = json.loads(line)
            except ValueError:
                invalid += 1
                continue
            if judge(value):
                valid += 1
            else:
                invalid += 1
    return valid, invalid


def contenders():
    kinds = schemas()
    checker = Draft202012Validator.FORMAT_CHECKER
    js = {k: Draft202012Validator(s, format_checker=checker) for k, s in kinds.items()}
    fast = {k: fastjsonschema.compile(for_fastjsonschema(s)) for k, s in kinds.items()}

    def jsonschema_run(path, limit):
        def judge(value):
            v = js.get(value.get("kind")) if isinstance(value, dict) else None
            return v is not None and v.is_valid(value)

        return count_lines(path, limit, judge)

    def fast_run(path, limit):
        def judge(value):
            v = fast.get(value.get("kind")) if isinstance(value, dict) else None
            if v is None:
                return False
            try:
                v(value)
                return True
            except fastjsonschema.JsonSchemaException:
                return False

        return count_lines(path, limit, judge)

    def dsti_file(path, limit):
        assert limit is None
        valid = invalid = 0
        for verdict in dsti.Validator().validate_file(path):
            if verdict.get("valid"):
                valid += 1
            else:
                invalid += 1
        return valid, invalid

    def dsti_findings(path, limit):
        assert limit is None
        v = dsti.Validator()
        invalid = sum(1 for verdict in v.validate_file(path, findings_only=True) if not verdict.get("valid"))
        return v.summary["total"] - invalid, invalid

    def dsti_each(path, limit):
        assert limit is None
        v = dsti.Validator()
        valid = invalid = 0
        with open(path, "rb") as f:
            for line in f:
                if v.validate(line)["valid"]:
                    valid += 1
                else:
                    invalid += 1
        return valid, invalid

    return [
        ("dsti", dsti_file, False),
        ("dsti findings_only", dsti_findings, False),
        ("dsti validate()", dsti_each, False),
        ("fastjsonschema", fast_run, False),
        ("jsonschema", jsonschema_run, True),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--jsonschema-records", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dsti-py-bench-") as work:
        run(args, pathlib.Path(work))


def run(args, work):
    valid_path = work / "valid.ndjson"
    with open(valid_path, "w", encoding="utf-8") as f:
        for r in dsti.generate("mixed", count=args.records, seed=args.seed):
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    invalid_path = work / "invalid.ndjson"
    with open(valid_path, "rb") as src, open(invalid_path, "wb") as dst:
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "mutate.py"), "1"], stdin=src, stdout=dst,
            check=True,
        )

    results = []
    for label, path in (("valid", valid_path), ("invalid", invalid_path)):
        times = {}
        counts = {}
        for _ in range(args.rounds):
            for name, run, slow in contenders():
                limit = args.jsonschema_records if slow else None
                start = time.perf_counter()
                counts[name] = run(path, limit)
                times.setdefault(name, []).append(time.perf_counter() - start)
        for name, _, slow in contenders():
            n = sum(counts[name])
            seconds = statistics.median(times[name])
            results.append(
                {"file": label, "contender": name, "records": n, "valid": counts[name][0],
                 "seconds": seconds, "per_second": n / seconds}
            )

    print("| file | contender | records | valid | records/s | dsti is faster by |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        ours = next(x for x in results if x["file"] == r["file"] and x["contender"] == "dsti")
        ratio = ours["per_second"] / r["per_second"]
        print(
            f"| {r['file']} | {r['contender']} | {r['records']:,} | {r['valid']:,} "
            f"| {r['per_second']:,.0f} | {ratio:,.1f}× |"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
