"""The leak rule: no document number, phone number or name reaches a verdict, a summary, a
migration report or an exception message, in either language."""

import json

import pytest

import dsti
from conftest import VECTOR_LIST, vector_id

NOW = "2026-11-28T12:00:00+08:00"


def sensitive_values(value, parent="", out=None):
    """Names, document numbers and phone numbers of a record (the CLI's tests use this rule)."""
    out = [] if out is None else out
    if isinstance(value, dict):
        is_person = value.get("kind") == "person"
        for key, child in value.items():
            sensitive = (
                key in ("phone", "holderName", "idCardNo")
                or (key == "name" and (is_person or "idCardNo" in value))
                or (key == "number" and parent == "document")
            )
            if sensitive and isinstance(child, str) and len(child) >= 2:
                out.append(child)
            sensitive_values(child, key, out)
    elif isinstance(value, list):
        for item in value:
            sensitive_values(item, parent, out)
    return out


def assert_no_secret(secrets, *things):
    text = json.dumps(things, ensure_ascii=False, default=str)
    for secret in secrets:
        assert secret not in text


def broken_check_character(number):
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def invalid_people(count=40):
    """Generated people and records with numbers that fail their check character."""
    out = []
    for record in dsti.generate(count=count, seed=21):
        doc = record.get("document") or record.get("learner", {}).get("document")
        if doc and doc["type"] == "resident-id-card":
            doc["number"] = broken_check_character(doc["number"])
        out.append(record)
    return out


def _json_or_none(path):
    try:
        return json.loads(path.read_bytes())
    except ValueError:
        return None


# The invalid vectors that are JSON (the others hold no value to look for).
LEAK_VECTORS = [
    v for v in VECTOR_LIST
    if v[0].parent.name == "invalid" and _json_or_none(v[0]) is not None
]


@pytest.mark.parametrize("vector", LEAK_VECTORS, ids=vector_id)
def test_no_vector_leaks_through_verdicts(vector):
    path, now, profile = vector
    secrets = sensitive_values(_json_or_none(path))
    for lang in ("en", "zh"):
        v = dsti.Validator(profile=profile, now=now, lang=lang)
        assert_no_secret(secrets, list(v.validate_file(path)), v.summary)


def test_there_are_secrets_to_look_for():
    found = [s for v in LEAK_VECTORS for s in sensitive_values(_json_or_none(v[0]))]
    assert len(found) > 50


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_invalid_numbers_leak_nowhere(lang):
    v = dsti.Validator(now=NOW, lang=lang)
    records = invalid_people()
    secrets = [s for r in records for s in sensitive_values(r)]
    assert len(secrets) > 40
    with pytest.raises(AssertionError):
        assert_no_secret(secrets, records)  # the check does see them
    verdicts = [v.validate(r) for r in records]
    assert any(i["code"] == "id-number.checksum" for x in verdicts for i in x["issues"])
    assert_no_secret(secrets, verdicts)
    for record in records:
        for to in dsti.VERSIONS:
            try:
                migrated, notes = dsti.migrate(record, to, lang=lang, now=NOW)
                assert_no_secret(sensitive_values(record), notes)
            except dsti.MigrationRefused as err:
                assert_no_secret(sensitive_values(record), str(err), err.args, err.report)


def test_digest_errors_do_not_show_the_number():
    for record in invalid_people():
        doc = record.get("document")
        if not doc or doc["type"] != "resident-id-card":
            continue
        with pytest.raises(ValueError) as caught:
            dsti.document_digest(doc["type"], doc["number"], b"key")
        assert doc["number"] not in str(caught.value)
        assert doc["number"] not in repr(caught.value.args)
    for number in ("12345", "11010519491231002X" + "9", "1101051949123100\u00e9X"):
        with pytest.raises(ValueError) as caught:
            dsti.document_digest("resident-id-card", number, b"key")
        assert number not in str(caught.value)


def test_a_malformed_record_does_not_echo_its_text():
    number = "11010519491231002X"
    for text in (
        '{"kind":"person","document":{"number":"' + number + '"',
        '{"kind":"person","document":{"number":"' + number + '"}}}',
        '{"kind":"person","document":{"number":' + number + "}}",
    ):
        assert number not in json.dumps(dsti.Validator().validate(text), ensure_ascii=False)
        with pytest.raises(ValueError) as caught:
            dsti.migrate(text, "1.0")
        assert number not in str(caught.value)
