"""Every test vector: the verdict dicts of `dsti` from Python equal the lines of
`dsti validate --format ndjson` on the same file, with the same `now` and profile."""

import json

import pytest

import dsti
from conftest import VECTOR_LIST, cli_ndjson, vector_id


def test_there_are_vectors_of_every_version():
    versions = {path.parent.parent.name for path, _, _ in VECTOR_LIST}
    assert versions <= set(dsti.VERSIONS), "every vector directory is a version dsti knows"
    assert {"1.0", "2.0"} <= versions
    assert len(VECTOR_LIST) > 150


@pytest.mark.parametrize("vector", VECTOR_LIST, ids=vector_id)
def test_verdicts_equal_the_cli_lines(vector, profile_file):
    path, now, profile = vector
    args = ["--now", now] if now else []
    if profile is not None:
        args += ["--profile", profile_file(profile)]
    expected, expected_summary = cli_ndjson(*args, path)

    v = dsti.Validator(profile=profile, now=now)
    verdicts = list(v.validate_file(path))
    assert verdicts == expected
    assert v.summary == expected_summary

    # The same through a binary file object, and on two threads.
    with open(path, "rb") as f:
        assert list(v.validate_file(f)) == expected
    assert list(v.validate_file(str(path), jobs=2)) == expected

    if path.parent.name == "valid":
        assert all(verdict.get("envelope", verdict)["issues"] == [] for verdict in verdicts)
        assert v.summary["invalid"] == 0


def _single_record(vector):
    """A file of one record: an object that is not a batch, or not JSON at all."""
    try:
        value = json.loads(vector[0].read_bytes())
    except ValueError:
        return True
    return isinstance(value, dict) and value.get("kind") != "batch"


@pytest.mark.parametrize("vector", [v for v in VECTOR_LIST if _single_record(v)], ids=vector_id)
def test_one_record_verdict_is_the_cli_line_without_position(vector, profile_file):
    path, now, profile = vector
    args = ["--now", now] if now else []
    if profile is not None:
        args += ["--profile", profile_file(profile)]
    expected, _ = cli_ndjson(*args, path)
    assert len(expected) == 1
    line = dict(expected[0])
    del line["index"], line["line"]
    # A record on its own is no upload: a reference to another record of the upload (a
    # competition's certificate) is judged only in a file, never in `validate`.
    line["issues"] = [i for i in line["issues"] if i["code"] != "competition.certificate"]
    line["valid"] = not any(i["severity"] == "error" for i in line["issues"])

    v = dsti.Validator(profile=profile, now=now)
    raw = path.read_bytes()
    assert v.validate(raw) == line
    assert v.validate(bytearray(raw)) == line
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        assert v.validate(text) == line
    # A dict cannot hold what json.loads drops or refuses (a repeated key, bad syntax).
    if not any(issue["code"].startswith("json.") for issue in line["issues"]):
        assert v.validate(json.loads(raw)) == line
    assert list(v.validate(raw)) == ["kind", "id", "valid", "issues"]
