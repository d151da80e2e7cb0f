"""Independent checks of `dsti export` (called by .ci/proj.sh).

ob3 SCHEMA OUT IN: every credential in OUT (NDJSON) is valid under the committed 1EdTech OB 3.0
    achievement-credential schema in Python's jsonschema Draft201909Validator (with format
    checks), and a credential stripped of its achievement is not (the validator is live).
xapi OUT IN: every statement in OUT is built by the `tincan` library from its JSON, serialized,
    and read back to the same statement (id, actor, verb, object, result, timestamp).
Both: no document number, name or phone of IN (the NDJSON input) appears in OUT.
Prints how many objects passed; exits non-zero on the first failure.
"""

import copy
import datetime
import json
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def secrets(records):
    """Document numbers, names and phones of the input."""
    found = set()

    def walk(value, parent):
        if isinstance(value, dict):
            for k, v in value.items():
                secret = (parent == "document" and k == "number") or (
                    parent == "" and k == "name") or k in (
                    "holderName", "participantName", "idCardNo", "phone")
                if secret and isinstance(v, str) and len(v) >= 2:
                    found.add(v)
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, parent)

    for r in records:
        walk(r, "")
    return found


def no_leaks(out_path, in_path):
    text = open(out_path, encoding="utf-8").read()
    leaked = [s for s in secrets(read(in_path)) if s in text]
    if leaked:
        sys.exit(f"{out_path}: {len(leaked)} sensitive values of the input were written")


def ob3(schema_path, out_path, in_path):
    from jsonschema import Draft201909Validator

    schema = json.load(open(schema_path, encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    credentials = read(out_path)
    if not credentials:
        sys.exit("ob3: no credential to check")
    for i, c in enumerate(credentials):
        errors = sorted(validator.iter_errors(c), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            sys.exit(f"ob3: credential {i}: {e.message} at {list(e.path)}")
        if "OpenBadgeCredential" not in c["type"]:
            sys.exit(f"ob3: credential {i} is not an OpenBadgeCredential")
        broken = copy.deepcopy(c)
        del broken["credentialSubject"]["achievement"]
        if validator.is_valid(broken):
            sys.exit("ob3: the validator accepted a credential without its achievement")
    no_leaks(out_path, in_path)
    print(f"ob3: {len(credentials)} credentials valid under the OB 3.0 schema (Draft201909Validator)")


DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")


def xapi(out_path, in_path):
    from tincan import Statement

    statements = read(out_path)
    if not statements:
        sys.exit("xapi: no statement to check")
    for i, s in enumerate(statements):
        if not DURATION.match(s["result"]["duration"]) or s["result"]["duration"] == "PT":
            sys.exit(f"xapi: statement {i}: duration {s['result']['duration']!r}")
        if not s["timestamp"].endswith("Z"):
            sys.exit(f"xapi: statement {i}: timestamp not in UTC")
        built = Statement.from_json(json.dumps(s))
        again = Statement.from_json(built.to_json())
        for st in (built, again):
            same = (
                str(st.id) == s["id"]
                and st.actor.account.home_page == s["actor"]["account"]["homePage"]
                and st.actor.account.name == s["actor"]["account"]["name"]
                and st.verb.id == s["verb"]["id"]
                and st.object.id == s["object"]["id"]
                and st.result.completion == s["result"]["completion"]
                and st.result.success == s["result"].get("success")
                and st.timestamp == datetime.datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
            )
            if not same:
                sys.exit(f"xapi: statement {i} does not round-trip through tincan")
            score = s["result"].get("score")
            if score is not None:
                if float(st.result.score.raw) != float(score["raw"]) or float(st.result.score.max) != float(score["max"]):
                    sys.exit(f"xapi: statement {i}: score does not round-trip")
            # tincan reads the ISO 8601 duration into a timedelta; it must equal ours.
            m = DURATION.match(s["result"]["duration"])
            h, mi, se = (float((g or "0").rstrip("HMS")) for g in (m.group(1), m.group(2), m.group(3)))
            if abs(st.result.duration.total_seconds() - (h * 3600 + mi * 60 + se)) > 0.01:
                sys.exit(f"xapi: statement {i}: duration does not round-trip")
    no_leaks(out_path, in_path)
    print(f"xapi: {len(statements)} statements built, serialized and read back by tincan")


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    {"ob3": ob3, "xapi": xapi}[mode](*rest)
