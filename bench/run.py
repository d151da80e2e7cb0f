#!/usr/bin/env python3
"""The measuring half of bench/run.sh: runs every contender on the same files, side by side
(round-robin, so drift hits all of them alike), takes the median of the runs, prints the table
and the targets, and writes them as JSON.

Throughput of `dsti` is its process's wall time (start, schema compilation and output
included). The floor, ajv and Python report their own time, which leaves out process start
and schema compilation: that favours them, so a target met here is met with margin.
Peak RSS is GNU time's "Maximum resident set size", the largest over the runs.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

SCHEMAS = "schemas/2.0"
NODE_PATH = "tests/crossval/node_modules"


def count_lines(path, limit=None):
    """Records (non-blank lines) and their bytes, of the first `limit` records."""
    n = size = 0
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            if limit is not None and n >= limit:
                break
            n += 1
            size += len(line)
    return n, size


def run_timed(cmd, single_core, capture):
    """Run `cmd` under GNU time; return (wall seconds, peak RSS KiB, stdout, exit code, stderr).

    With `capture`, stdout goes to a temporary file (not a pipe the harness must drain while
    timing) and is returned as text; otherwise it goes to /dev/null."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t, \
            tempfile.TemporaryFile("w+b", suffix=".out") as o:
        full = ["/usr/bin/time", "-v", "-o", t.name]
        if single_core:
            full += ["taskset", "-c", "0"]
        full += cmd
        env = dict(os.environ, NODE_PATH=os.path.abspath(NODE_PATH))
        start = time.perf_counter()
        p = subprocess.run(
            full,
            stdout=o if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - start
        report = t.read()
        out = ""
        if capture:
            size = o.seek(0, os.SEEK_END)
            o.seek(max(0, size - 65536))  # the summary is the last line; verdicts can be GBs
            out = o.read().decode(errors="replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    rss = int(m.group(1)) if m else None
    return wall, rss, out, p.returncode, p.stderr.decode()


def last_json_line(out):
    """The last non-blank line of `out`, parsed as JSON."""
    lines = [line for line in out.splitlines() if line.strip()]
    if not lines:
        sys.exit("no output to check")
    return json.loads(lines[-1])


class Contender:
    """One command on one file. `expect` is the answer it must give, or the run fails:
    "valid" (every record valid) or "invalid" (every record invalid for dsti; for the floor and
    the schema-only validators, which cannot see every mutation, at least one invalid)."""

    def __init__(self, name, label, path, cmd, single_core, kind, expect, py_limit=None):
        self.name, self.label, self.path, self.cmd = name, label, path, cmd
        self.single_core, self.kind, self.expect = single_core, kind, expect
        self.records, self.bytes = count_lines(path, py_limit)
        if path.endswith(".json"):  # the array and batch files: count the NDJSON they came from
            self.records, self.bytes = None, os.path.getsize(path)
        self.seconds, self.rss = [], []
        self.counted = None

    def total(self):
        """The records of the file: counted beforehand, else as the run counted them."""
        return self.records if self.records is not None else self.counted

    def fail(self, why, err=""):
        sys.exit(f"wrong answer from {' '.join(self.cmd)}: {why}\n{err[-2000:]}")

    def check(self, total, valid):
        """The run counted `total` records and judged `valid` of them valid: is that the answer?"""
        expected_total = self.total()
        if expected_total is not None and total != expected_total:
            self.fail(f"counted {total} records, the file has {expected_total}")
        if self.expect == "valid" and valid != total:
            self.fail(f"{total - valid} of {total} records invalid in a file of valid records")
        exact = self.kind == "wall"  # the floor only parses: it accepts e.g. swapped dates
        if self.expect == "invalid" and (valid != 0 if exact else valid >= total):
            self.fail(f"{valid} of {total} records valid in a file where every record is invalid")

    def run(self):
        # Read the input once before the timed run: this VM gives back page-cache pages it
        # has not touched for a while, and whichever contender read a file first after a
        # pause paid for reading it from disk again (a floor measured at half its speed).
        with open(self.path, "rb") as f:
            while f.read(1 << 20):
                pass
        wall, rss, out, code, err = run_timed(self.cmd, self.single_core, True)
        if self.kind == "floor":  # records=N ok=N seconds=S ...
            if code != 0:
                self.fail(f"exit {code}", err)
            fields = dict(kv.split("=") for kv in out.split())
            secs, self.counted = float(fields["seconds"]), int(fields["records"])
            self.check(self.counted, int(fields["ok"]))
        elif self.kind == "json":  # ajv_bench.js / py_bench.py
            if code != 0:
                self.fail(f"exit {code}", err)
            d = last_json_line(out)
            secs, self.counted = d["seconds"], d["records"]
            if d["valid"] + d["invalid"] != d["records"]:
                self.fail(f"valid + invalid != records in {d}")
            self.check(d["records"], d["valid"])
        else:  # dsti validate --format ndjson: the exit status and the summary line
            secs = wall
            want = 0 if self.expect == "valid" else 1
            if code != want:
                self.fail(f"exit {code}, expected {want}", err)
            s = last_json_line(out)["summary"]
            if s["valid"] + s["invalid"] != s["total"]:
                self.fail(f"valid + invalid != total in {s}")
            self.check(s["total"], s["valid"])
        self.seconds.append(secs)
        self.rss.append(rss)
        print(f"   {self.name:<24} {self.label:<28} {secs:8.3f} s  {rss / 1024:7.1f} MiB", file=sys.stderr)

    def result(self, floor_rps=None):
        secs = statistics.median(self.seconds)
        records = self.total()
        rps = records / secs
        row = {
            "contender": self.name,
            "file": self.label,
            "records": records,
            "bytes": self.bytes,
            "runs": len(self.seconds),
            "seconds_median": round(secs, 4),
            "seconds_all": [round(s, 4) for s in self.seconds],
            "records_per_s": round(rps),
            "mb_per_s": round(self.bytes / secs / 1e6, 1),
            "peak_rss_mib": round(max(r for r in self.rss if r is not None) / 1024, 1),
            "command": " ".join(self.cmd),
            "single_core": self.single_core,
        }
        if floor_rps:
            row["ratio_to_floor"] = round(rps / floor_rps, 3)
        return row


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
                break
    return {
        "nproc": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
        "node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
        "python": platform.python_version(),
    }


def main():
    ap = argparse.ArgumentParser()
    for flag in ("out", "dsti", "floor", "valid", "invalid", "valid-array", "valid-batch", "small", "large",
                 "mem-ndjson", "mem-array", "mem-batch", "command"):
        ap.add_argument(f"--{flag}", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--py-records", type=int, default=20000)
    ap.add_argument("--full", default="0")
    a = ap.parse_args()

    dsti, floor = a.dsti, a.floor
    base = os.path.basename
    vname, iname = base(a.valid), base(a.invalid)
    validate = [dsti, "validate", "--format", "ndjson"]
    py_slice = f" (first {a.py_records})"

    throughput = [
        Contender("floor", vname, a.valid, [floor, a.valid], True, "floor", "valid"),
        Contender("floor", iname, a.invalid, [floor, a.invalid], True, "floor", "invalid"),
        Contender("dsti --jobs 1", vname, a.valid, validate + ["--jobs", "1", a.valid], True, "wall", "valid"),
        Contender("dsti --jobs 1", iname, a.invalid, validate + ["--jobs", "1", a.invalid], True, "wall", "invalid"),
        Contender("dsti --jobs 2", vname, a.valid, validate + ["--jobs", "2", a.valid], False, "wall", "valid"),
        Contender("dsti --jobs 2", iname, a.invalid, validate + ["--jobs", "2", a.invalid], False, "wall", "invalid"),
        # The same valid records as one JSON array and as one batch, for the two-job targets.
        Contender("dsti --jobs 1", base(a.valid_array), a.valid_array, validate + ["--jobs", "1", a.valid_array], True, "wall", "valid"),
        Contender("dsti --jobs 2", base(a.valid_array), a.valid_array, validate + ["--jobs", "2", a.valid_array], False, "wall", "valid"),
        Contender("dsti --jobs 1", base(a.valid_batch), a.valid_batch, validate + ["--jobs", "1", a.valid_batch], True, "wall", "valid"),
        Contender("dsti --jobs 2", base(a.valid_batch), a.valid_batch, validate + ["--jobs", "2", a.valid_batch], False, "wall", "valid"),
        Contender("ajv", vname, a.valid, ["node", "bench/ajv_bench.js", SCHEMAS, a.valid], True, "json", "valid"),
        Contender("ajv", iname, a.invalid, ["node", "bench/ajv_bench.js", SCHEMAS, a.invalid], True, "json", "invalid"),
        Contender("python jsonschema", vname + py_slice, a.valid,
                  ["python3", "bench/py_bench.py", SCHEMAS, a.valid, str(a.py_records)], True, "json", "valid",
                  py_limit=a.py_records),
        Contender("python jsonschema", iname + py_slice, a.invalid,
                  ["python3", "bench/py_bench.py", SCHEMAS, a.invalid, str(a.py_records)], True, "json", "invalid",
                  py_limit=a.py_records),
    ]
    valid_records, _ = count_lines(a.valid)
    for c in throughput:
        if c.path in (a.valid_array, a.valid_batch):
            c.records = valid_records
    scale = [
        Contender("dsti --jobs 1 (scale)", base(a.small), a.small, validate + ["--jobs", "1", a.small], True, "wall", "valid"),
        Contender("dsti --jobs 1 (scale)", base(a.large), a.large, validate + ["--jobs", "1", a.large], True, "wall", "valid"),
    ]
    mem_records, _ = count_lines(a.mem_ndjson)
    memory = [
        Contender("dsti (default jobs)", base(a.mem_ndjson), a.mem_ndjson, validate + [a.mem_ndjson], False, "wall", "valid"),
        Contender("dsti (default jobs)", base(a.mem_array), a.mem_array, validate + [a.mem_array], False, "wall", "valid"),
        Contender("dsti (default jobs)", base(a.mem_batch), a.mem_batch, validate + [a.mem_batch], False, "wall", "valid"),
    ]
    for c in memory:
        c.records = mem_records

    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    load_before = open("/proc/loadavg").read().split()[:3]
    for r in range(a.runs):
        print(f"== round {r + 1}/{a.runs}", file=sys.stderr)
        for c in throughput + scale:
            c.run()
    print("== memory (one run each)", file=sys.stderr)
    for c in memory:
        c.run()

    load_after = open("/proc/loadavg").read().split()[:3]
    floor_rps = throughput[0].result()["records_per_s"]
    rows = [c.result(floor_rps) for c in throughput + scale + memory]

    def rps(name, label):
        return next(r["records_per_s"] for r in rows if r["contender"] == name and r["file"] == label)

    def contender(name, label):
        return next(c for c in throughput + scale if c.name == name and c.label == label)

    def paired(a_key, b_key):
        """The median over rounds of a's rate over b's, each round's two runs a few seconds
        apart: drift of the host between rounds (this VM's speed moves by tens of percent
        within minutes) cancels, which it does not in a ratio of two medians."""
        a, b = contender(*a_key), contender(*b_key)
        return statistics.median(
            (a.total() / sa) / (b.total() / sb) for sa, sb in zip(a.seconds, b.seconds))

    d1 = rps("dsti --jobs 1", vname)
    d1i = rps("dsti --jobs 1", iname)
    d2 = rps("dsti --jobs 2", vname)
    ajv = rps("ajv", vname)
    py = rps("python jsonschema", vname + py_slice)
    small = rps("dsti --jobs 1 (scale)", base(a.small))
    large = rps("dsti --jobs 1 (scale)", base(a.large))
    mem_mib = os.path.getsize(a.mem_ndjson) / 1048576
    mem_label = f"{mem_mib:.0f} MiB files" + ("" if mem_mib >= 1000 else " (not 1 GiB: DSTI_BENCH_FULL=1)")
    aname, bname = base(a.valid_array), base(a.valid_batch)
    floor_key, d1_key = ("floor", vname), ("dsti --jobs 1", vname)
    d1i_key, d2_key = ("dsti --jobs 1", iname), ("dsti --jobs 2", vname)
    # (target, ratio of the medians, median of the paired ratios or None, threshold)
    targets = [
        ("dsti valid >= 1.0x floor", d1 / floor_rps, paired(d1_key, floor_key), 1.0),
        ("dsti valid >= 2.5x ajv", d1 / ajv, None, 2.5),
        ("dsti valid >= 50x Python jsonschema", d1 / py, None, 50),
        ("dsti invalid >= 0.5x dsti valid", d1i / d1, paired(d1i_key, d1_key), 0.5),
        ("--jobs 2 >= 1.85x --jobs 1 (valid NDJSON)", d2 / d1, paired(d2_key, d1_key), 1.85),
        ("--jobs 2 >= 1.85x --jobs 1 (valid JSON array)",
         rps("dsti --jobs 2", aname) / rps("dsti --jobs 1", aname),
         paired(("dsti --jobs 2", aname), ("dsti --jobs 1", aname)), 1.85),
        ("--jobs 2 >= 1.85x --jobs 1 (valid batch)",
         rps("dsti --jobs 2", bname) / rps("dsti --jobs 1", bname),
         paired(("dsti --jobs 2", bname), ("dsti --jobs 1", bname)), 1.85),
        (f"{base(a.large)} records/s within 10% of {base(a.small)}", large / small,
         paired(("dsti --jobs 1 (scale)", base(a.large)), ("dsti --jobs 1 (scale)", base(a.small))), 0.9),
    ]
    # A ratio between two dsti runs (or dsti and the floor) is judged by its paired median;
    # the ratio of the medians is kept beside it.
    target_rows = [
        {"target": t, "measured": round(p if p is not None else v, 3),
         "ratio_of_medians": round(v, 3), "paired_median": None if p is None else round(p, 3),
         "threshold": th, "pass": (p if p is not None else v) >= th}
        for t, v, p, th in targets
    ]
    for c in memory:
        rss = max(c.rss) / 1024
        target_rows.append({
            "target": f"peak RSS <= 96 MiB on {c.label} ({mem_label})",
            "measured": round(rss, 1), "threshold": 96, "pass": rss <= 96,
        })

    result = {
        "date": started,
        "command": a.command,
        "machine": machine(),
        "full": a.full == "1",
        "loadavg_before_after": [load_before, load_after],
        "runs": a.runs,
        "statistic": "median of runs (throughput); max of runs (peak RSS); a target that compares two of the timed runs by the median of its per-round ratios",
        "timing": "dsti: process wall time; floor, ajv, Python: their own timer, without process start and schema compilation",
        "mb": "1 MB = 10^6 bytes",
        "rows": rows,
        "targets": target_rows,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")

    m = result["machine"]
    print(f"\nmachine: {m['nproc']} cores, {m['cpu']}, {m['memory']}; {m['rustc']}; node {m['node']}; Python {m['python']}")
    print(f"load average (1/5/15 min) before {' '.join(load_before)}, after {' '.join(load_after)}: other work shares the cores")
    print(f"date: {started}; median of {a.runs} runs; ratio to floor = records/s over the floor's on {vname}\n")
    head = f"| {'contender':<24} | {'file':<40} | {'records/s':>10} | {'MB/s':>7} | {'peak RSS MiB':>12} | {'x floor':>7} |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for r in rows:
        print(f"| {r['contender']:<24} | {r['file']:<40} | {r['records_per_s']:>10,} | {r['mb_per_s']:>7.1f} | "
              f"{r['peak_rss_mib']:>12.1f} | {r.get('ratio_to_floor', 0):>7.3f} |")
    print()
    for t in target_rows:
        how = "" if t.get("paired_median") is None else f" paired median of {a.runs} rounds; ratio of medians {t['ratio_of_medians']}"
        print(f"{'PASS' if t['pass'] else 'FAIL'}  {t['target']}: {t['measured']} (needs {'<=' if 'RSS' in t['target'] else '>='} {t['threshold']}{';' if how else ''}{how})")
    print(f"\nwrote {a.out}")


if __name__ == "__main__":
    main()
