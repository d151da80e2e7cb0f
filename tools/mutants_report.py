#!/usr/bin/env python3
"""Summarize cargo-mutants runs (tools/mutants.sh): per file, how many mutants were caught,
missed, unviable (did not build) or timed out, and the score caught / (caught + missed);
then every missed mutant, to be killed by a test or explained as equivalent.

Usage: tools/mutants_report.py DIR   (DIR holds one cargo-mutants output directory per file)
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "target/mutants"
rows, missed = [], []
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "mutants.out", "outcomes.json")
    if not os.path.exists(path):
        continue
    outcomes = json.load(open(path))["outcomes"]
    counts = {"caught": 0, "missed": 0, "unviable": 0, "timeout": 0}
    for o in outcomes:
        scenario = o.get("scenario")
        if not isinstance(scenario, dict) or "Mutant" not in scenario:
            continue  # the baseline
        summary = o["summary"]
        key = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
               "Timeout": "timeout"}.get(summary, summary.lower())
        counts[key] = counts.get(key, 0) + 1
        if key == "missed":
            m = scenario["Mutant"]
            span = m.get("span", {}).get("start", {})
            missed.append(f"{m.get('file')}:{span.get('line')}: {m.get('function', {}).get('function_name', '')}: "
                          f"replace {m.get('genre', '')} with {m.get('replacement', '')}")
    tested = counts["caught"] + counts["missed"]
    score = f"{100 * counts['caught'] / tested:.0f}%" if tested else "-"
    rows.append((name, counts, score))

print(f"| {'file':<24} | caught | missed | unviable | timeout | score |")
print(f"|{'-' * 26}|--------|--------|----------|---------|-------|")
for name, c, score in rows:
    print(f"| {name:<24} | {c['caught']:>6} | {c['missed']:>6} | {c['unviable']:>8} | {c['timeout']:>7} | {score:>5} |")
if missed:
    print("\nmissed:")
    for m in missed:
        print("  " + m)
