#!/usr/bin/env python3
"""Make an upload of invalid records from a valid one, for the benchmark of invalid input.

Every record gets 1-3 mutations, each of which the validator must report: a wrong check
character (resident ID, credit code), an unknown enum value, a missing required field, an
extra field, swapped or impossible dates, a broken timestamp, a bad id. Deterministic for a
seed. Made for 2.0 and 2.1 records; a record of another shape (1.0) gets only the mutations
whose fields it has, and about 1 % of 1.0 records come out still valid.

Usage: python3 bench/mutate.py SEED < valid.ndjson > invalid.ndjson
"""

import json
import random
import sys

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def other_digit_check(number):
    """A resident-ID number with another check character (MOD 11-2 gives exactly one)."""
    last = number[-1]
    choices = [c for c in "0123456789X" if c != last]
    return number[:-1] + random.choice(choices)


def documents(r):
    for holder in (r, r.get("learner"), r.get("holder")):
        if isinstance(holder, dict):
            doc = holder.get("document")
            if isinstance(doc, dict) and doc.get("type") == "resident-id-card":
                yield doc


def organizations(r):
    for key in ("provider", "issuer"):
        if isinstance(r.get(key), dict):
            yield r[key]
    ver = r.get("verification")
    if isinstance(ver, dict) and isinstance(ver.get("verifier"), dict):
        yield ver["verifier"]


def m_id_checksum(r):
    docs = list(documents(r))
    if not docs:
        return False
    doc = random.choice(docs)
    if not isinstance(doc.get("number"), str) or not doc["number"]:
        return False
    doc["number"] = other_digit_check(doc["number"])
    return True


def m_uscc_checksum(r):
    orgs = [o for o in organizations(r) if isinstance(o.get("uscc"), str)]
    if not orgs:
        return False
    org = random.choice(orgs)
    u = org["uscc"]
    org["uscc"] = u[:17] + random.choice([c for c in USCC_CHARS if c != u[17]])
    return True


ENUMS = {
    "person": ["gender"],
    "course": ["trainingType", "deliveryMode"],
    "completion": ["trainingType", "deliveryMode", "status"],
    "certificate": ["certificateType", "level", "status"],
}


def m_enum(r):
    fields = [f for f in ENUMS.get(r.get("kind"), []) if f in r]
    if not fields:
        return False
    r[random.choice(fields)] = random.choice(["unknown", "other", "岗前培训", "Completed"])
    return True


REQUIRED = {
    "person": ["name", "document"],
    "course": ["title", "provider", "occupation", "classHours"],
    "completion": ["learner", "course", "provider", "status"],
    "certificate": ["number", "holder", "issuer", "issuedOn"],
}


def m_missing(r):
    fields = [f for f in REQUIRED.get(r.get("kind"), []) if f in r]
    if not fields:
        return False
    del r[random.choice(fields)]
    return True


def m_extra(r):
    r[random.choice(["remark", "Name", "extra", "score"])] = "x"
    return True


DATE_PAIRS = [("enrolledAt", "completedAt"), ("validFrom", "validUntil"), ("issuedOn", "validUntil")]


def m_swap_dates(r):
    pairs = [(a, b) for a, b in DATE_PAIRS if a in r and b in r and r[a] != r[b]]
    if not pairs:
        return False
    a, b = random.choice(pairs)
    r[a], r[b] = r[b], r[a]
    return True


def m_bad_date(r):
    for key in ("birthDate", "issuedOn", "validFrom"):
        if isinstance(r.get(key), str):
            r[key] = r[key][:5] + "02-30"
            return True
    return False


def m_bad_timestamp(r):
    for key in ("enrolledAt", "completedAt"):
        if isinstance(r.get(key), str):
            r[key] = r[key][:19]  # no offset
            return True
    ver = r.get("verification")
    if isinstance(ver, dict) and isinstance(ver.get("verifiedAt"), str):
        ver["verifiedAt"] = ver["verifiedAt"].replace("T", " ")
        return True
    return False


def m_bad_id(r):
    if not isinstance(r.get("id"), str) or r["id"] == r["id"].upper():
        return False
    r["id"] = r["id"].upper()
    return True


MUTATIONS = [m_id_checksum, m_uscc_checksum, m_enum, m_missing, m_extra, m_swap_dates,
             m_bad_date, m_bad_timestamp, m_bad_id]


def main():
    random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        want = random.randint(1, 3)
        done = 0
        for m in random.sample(MUTATIONS, len(MUTATIONS)):
            if done == want:
                break
            if m(r):
                done += 1
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
