#!/usr/bin/env python3
"""Summarize a cargo-mutants run (tools/mutants.sh): per file, how many mutants were caught,
missed, unviable (did not build) or timed out, and the score caught / (caught + missed);
then every missed mutant, to be killed by a test or explained as equivalent.

Usage: tools/mutants_report.py [OUTCOMES_JSON]   (default target/mutants/mutants.out/outcomes.json)
"""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "target/mutants/mutants.out/outcomes.json"
KEYS = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable", "Timeout": "timeout"}
per_file, missed = {}, []
for o in json.load(open(path))["outcomes"]:
    scenario = o.get("scenario")
    if not isinstance(scenario, dict) or "Mutant" not in scenario:
        continue  # the baseline
    m = scenario["Mutant"]
    key = KEYS.get(o["summary"], o["summary"].lower())
    counts = per_file.setdefault(m["file"], {"caught": 0, "missed": 0, "unviable": 0, "timeout": 0})
    counts[key] = counts.get(key, 0) + 1
    if key == "missed":
        line = m.get("span", {}).get("start", {}).get("line")
        function = (m.get("function") or {}).get("function_name", "")
        missed.append(f"{m['file']}:{line}: {function}: replace {m.get('genre', '')} with {m.get('replacement', '')}")

print(f"| {'file':<28} | caught | missed | unviable | timeout | score |")
print(f"|{'-' * 30}|--------|--------|----------|---------|-------|")
total = {"caught": 0, "missed": 0, "unviable": 0, "timeout": 0}
for file in sorted(per_file):
    c = per_file[file]
    for k in total:
        total[k] += c.get(k, 0)
    tested = c["caught"] + c["missed"]
    score = f"{100 * c['caught'] / tested:.0f}%" if tested else "-"
    print(f"| {file:<28} | {c['caught']:>6} | {c['missed']:>6} | {c['unviable']:>8} | {c['timeout']:>7} | {score:>5} |")
tested = total["caught"] + total["missed"]
if tested:
    print(f"| {'all':<28} | {total['caught']:>6} | {total['missed']:>6} | {total['unviable']:>8} | {total['timeout']:>7} | {100 * total['caught'] / tested:.0f}% |")
if missed:
    print("\nmissed:")
    for m in missed:
        print("  " + m)
