"""Validating files: paths and file objects, framing, laziness, the summary, languages, jobs,
and bad input (profiles, encodings, a 50 MB line, unreadable files)."""

import datetime
import io
import json

import pytest

import dsti
from conftest import ROOT, cli_ndjson

UPLOAD = ROOT / "examples" / "upload.ndjson"
NOW = "2026-11-28T12:00:00+08:00"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sample_upload_equals_the_cli(lang):
    expected, summary = cli_ndjson("--now", NOW, "--lang", lang, UPLOAD)
    v = dsti.Validator(now=NOW, lang=lang)
    assert v.lang == lang and v.profile == "default"
    it = v.validate_file(UPLOAD)
    assert it.summary is None and v.summary is None
    assert list(it) == expected
    assert it.summary == summary == v.summary
    assert summary["total"] == len(expected) and summary["invalid"] > 0
    assert list(v.validate_file(UPLOAD, jobs=3)) == expected
    assert list(v.validate_file(io.BytesIO(UPLOAD.read_bytes()))) == expected
    # An exhausted iterator stays exhausted.
    assert list(it) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_findings_only_leaves_out_clean_verdicts(jobs):
    v = dsti.Validator(now=NOW)
    every = list(v.validate_file(UPLOAD))
    summary = v.summary
    some = list(v.validate_file(UPLOAD, findings_only=True, jobs=jobs))
    assert some == [x for x in every if x.get("envelope", x)["issues"]]
    assert 0 < len(some) < len(every)
    assert v.summary == summary
    batch = ROOT / "tests" / "vectors" / "2.0" / "invalid" / "batch-envelope-sender.json"
    every = list(v.validate_file(batch))
    assert any("envelope" in x for x in every)
    assert list(v.validate_file(batch, findings_only=True)) == [
        x for x in every if x.get("envelope", x)["issues"]
    ]


def test_now_as_an_aware_datetime():
    at = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    assert list(dsti.Validator(now=at).validate_file(UPLOAD)) == list(
        dsti.Validator(now=NOW).validate_file(UPLOAD)
    )
    with pytest.raises(ValueError, match="time zone"):
        dsti.Validator(now=datetime.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="RFC 3339"):
        dsti.Validator(now="yesterday")
    with pytest.raises(TypeError):
        dsti.Validator(now=12)


class CountingReader(io.RawIOBase):
    """A binary file that counts what was read from it."""

    def __init__(self, data):
        self.data = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buf):
        n = self.data.readinto(buf)
        self.read_bytes += n
        return n


def test_verdicts_come_lazily_and_in_order(tmp_path):
    records = dsti.generate(count=6000, seed=1)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    reader = CountingReader(data)
    it = dsti.Validator().validate_file(reader, format="ndjson")
    first = next(it)
    assert first["index"] == 0 and first["line"] == 1
    assert reader.read_bytes < len(data) // 2, "the first verdict came before the file was read"
    assert it.summary is None
    rest = list(it)
    assert [v["index"] for v in rest] == list(range(1, 6000))
    assert reader.read_bytes == len(data)
    assert it.summary["total"] == 6000 and it.summary["valid"] == 6000


def test_framing_follows_the_name_or_format(tmp_path):
    records = dsti.generate(count=3, seed=2)
    array = tmp_path / "upload.json"
    array.write_text(json.dumps(records), "utf-8")
    lines = tmp_path / "upload.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    other = tmp_path / "upload.txt"
    other.write_bytes(lines.read_bytes())
    v = dsti.Validator()
    for path in (array, lines, other):
        verdicts = list(v.validate_file(path))
        assert [x["valid"] for x in verdicts] == [True] * 3
        assert verdicts == cli_ndjson(path)[0]
    # A file object named .ndjson is read as NDJSON; `format` overrides the name.
    with open(array, "rb") as f:
        assert len(list(v.validate_file(f))) == 3
    with open(array, "rb") as f:
        assert len(list(v.validate_file(f, format="ndjson"))) == 1
    with pytest.raises(ValueError, match="format"):
        v.validate_file(array, format="csv")
    with pytest.raises(ValueError, match="jobs"):
        v.validate_file(array, jobs=0)


# -- bad input ------------------------------------------------------------------------------


def test_profile_with_an_unknown_key(profile_file):
    bad = {"profile": "gd-2026", "minutesPerClassHour": 45, "colour": "red"}
    with pytest.raises(dsti.ProfileError, match="unknown field `colour`") as caught:
        dsti.Validator(profile=bad)
    assert isinstance(caught.value, ValueError)
    path = profile_file(bad)
    with pytest.raises(dsti.ProfileError, match="colour"):
        dsti.Validator(profile=path)
    with pytest.raises(dsti.ProfileError, match="colour"):
        dsti.Validator(profile=str(path))
    with pytest.raises(dsti.ProfileError, match="colour"):
        dsti.migrate({}, "2.0", profile=bad)


def test_other_bad_profiles(profile_file, tmp_path):
    with pytest.raises(dsti.ProfileError, match="minutesPerClassHour"):
        dsti.Validator(profile={"profile": "x", "minutesPerClassHour": 0})
    with pytest.raises(dsti.ProfileError, match="profile"):
        dsti.Validator(profile={"minutesPerClassHour": 45})
    with pytest.raises(dsti.ProfileError, match="cannot read"):
        dsti.Validator(profile=tmp_path / "missing.json")
    not_json = tmp_path / "p.json"
    not_json.write_text("{", "utf-8")
    with pytest.raises(dsti.ProfileError):
        dsti.Validator(profile=not_json)
    with pytest.raises(TypeError):
        dsti.Validator(profile=42)


def test_a_good_profile_is_applied(profile_file):
    profile = json.loads((ROOT / "tests" / "vectors" / "2.0" / "invalid" / "manifest.json").read_text("utf-8"))
    entry = next(e for e in profile["vectors"] if e.get("profile", {}).get("profile") == "test-min")
    path = ROOT / "tests" / "vectors" / "2.0" / "invalid" / entry["file"]
    with_profile = dsti.Validator(profile=entry["profile"], now=NOW)
    assert with_profile.profile == "test-min"
    got = list(with_profile.validate_file(path))
    assert not got[0]["valid"]
    assert got == cli_ndjson("--now", NOW, "--profile", profile_file(entry["profile"]), path)[0]
    assert list(dsti.Validator(now=NOW).validate_file(path))[0]["valid"]


def test_a_non_utf8_file(tmp_path):
    person = dsti.generate("person", count=1, seed=4)[0]
    good = json.dumps(person, ensure_ascii=False, separators=(",", ":")).encode()
    bad = good.replace(b'"name":"', b'"name":"\xff\xfe', 1)
    assert b"\xff" in bad
    path = tmp_path / "latin.ndjson"
    path.write_bytes(good + b"\n" + bad + b"\n" + good + b"\n")
    verdicts = list(dsti.Validator().validate_file(path))
    assert [v["valid"] for v in verdicts] == [True, False, False]
    assert verdicts[1]["issues"][0]["code"] == "json.encoding"
    assert verdicts[2]["issues"][0]["code"] == "batch.duplicate-id"
    assert verdicts == cli_ndjson(path)[0]
    # The same bytes given directly, and a str with a lone surrogate.
    assert dsti.Validator().validate(bad)["issues"][0]["code"] == "json.encoding"
    assert dsti.Validator().validate('{"kind":"person","x":"\ud800"}')["issues"][0]["code"] == (
        "json.encoding"
    )


def test_a_50_mb_line(tmp_path):
    good = json.dumps(dsti.generate("course", count=1, seed=4)[0])
    huge = '{"kind":"course","schemaVersion":"2.0","title":"' + "x" * (50 << 20) + '"}'
    path = tmp_path / "huge.ndjson"
    path.write_text(huge + "\n" + good + "\n", "utf-8")
    v = dsti.Validator()
    verdicts = list(v.validate_file(path))
    assert [x["valid"] for x in verdicts] == [False, True]
    assert verdicts[0]["issues"][0]["code"] == "record.limit"
    assert verdicts[1]["line"] == 2
    assert verdicts == cli_ndjson(path)[0]
    assert v.summary["total"] == 2
    one = v.validate(huge)
    assert [i["code"] for i in one["issues"]] == ["record.limit"]
    # A larger limit takes it in: then the string is over the length limit.
    roomy = dsti.Validator(max_record_bytes=64 << 20, max_string_bytes=64 << 20)
    assert not roomy.validate(huge)["valid"]


def test_unreadable_inputs(tmp_path):
    v = dsti.Validator()
    with pytest.raises(FileNotFoundError) as caught:
        v.validate_file(tmp_path / "missing.ndjson")
    assert caught.value.filename.endswith("missing.ndjson")
    with pytest.raises(IsADirectoryError):
        v.validate_file(tmp_path)
    with open(UPLOAD, encoding="utf-8") as text:
        with pytest.raises(TypeError, match="binary mode"):
            v.validate_file(text)
    with pytest.raises(TypeError, match="path"):
        v.validate_file(42)


class Failing(io.RawIOBase):
    """A binary file that fails after some bytes."""

    def __init__(self, data, fail_after):
        self.data = io.BytesIO(data)
        self.left = fail_after

    def readable(self):
        return True

    def readinto(self, buf):
        if self.left <= 0:
            raise ConnectionResetError("the upload was cut off")
        n = self.data.readinto(memoryview(buf)[: min(len(buf), self.left)])
        self.left -= n
        return n


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_fails_midway_raises_its_error_after_the_verdicts_before(jobs):
    records = dsti.generate(count=5000, seed=8)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    it = dsti.Validator().validate_file(Failing(data, len(data) // 2), format="ndjson", jobs=jobs)
    got = []
    with pytest.raises(ConnectionResetError, match="cut off"):
        for verdict in it:
            got.append(verdict)
    assert 0 < len(got) < 5000
    assert [v["index"] for v in got] == list(range(len(got)))
    assert it.summary is None


def test_a_text_file_object_that_lies(tmp_path):
    class Texty:
        def read(self, n):
            return "{}"

    with pytest.raises(TypeError, match="binary mode"):
        list(dsti.Validator().validate_file(Texty()))


def test_bad_records_and_options():
    v = dsti.Validator()
    with pytest.raises(TypeError, match="dict"):
        v.validate(["a", "list"])
    with pytest.raises(TypeError):
        v.validate(None)
    with pytest.raises(ValueError):
        v.validate({"kind": "person", "x": float("nan")})
    assert v.validate("{")["issues"][0]["code"] == "json.syntax"
    assert v.validate('{"kind":"person","kind":"person"}')["issues"][0]["code"] == (
        "json.duplicate-key"
    )
    with pytest.raises(ValueError, match="lang"):
        dsti.Validator(lang="fr")
