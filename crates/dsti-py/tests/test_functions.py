"""Every function of the package besides file validation: migrate, schema, generate,
document_digest, the module's constants; each compared with the CLI or the repository."""

import json
import re

import pytest

import dsti
from conftest import ROOT, cli, cli_ndjson


def test_version_is_the_workspace_version():
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    workspace = cargo.split("[workspace.package]", 1)[1]
    version = re.search(r'^version = "([^"]+)"', workspace, re.M).group(1)
    assert dsti.__version__ == version


def test_kinds_and_versions_are_the_libraries():
    assert dsti.VERSIONS == tuple(sorted(dsti.VERSIONS, key=lambda v: tuple(map(int, v.split(".")))))
    assert {"1.0", "2.0"} <= set(dsti.VERSIONS)
    assert {"person", "course", "completion", "certificate"} <= set(dsti.KINDS)
    assert "batch" not in dsti.KINDS


# -- schema ---------------------------------------------------------------------------------


def committed_schemas():
    for version in dsti.VERSIONS:
        for path in sorted((ROOT / "schemas" / version).glob("*.json")):
            if path.name != "index.json":
                yield version, path


@pytest.mark.parametrize("version,path", list(committed_schemas()), ids=lambda p: str(p)[-30:])
def test_schema_equals_the_committed_file(version, path):
    assert dsti.schema(path.stem, version=version) == json.loads(path.read_bytes())


def test_every_version_has_a_schema_of_every_kind_it_lists():
    for version in dsti.VERSIONS:
        files = {p.stem for p in (ROOT / "schemas" / version).glob("*.json")} - {"index"}
        assert files, version
        for kind in files:
            assert dsti.schema(kind, version)["$id"].endswith(f"/{version}/{kind}.json")


def test_schema_base_uri_and_bad_names():
    assert dsti.schema("person", base_uri="https://example.org/s/")["$id"] == (
        "https://example.org/s/2.0/person.json"
    )
    with pytest.raises(ValueError, match="no kind"):
        dsti.schema("learner")
    with pytest.raises(ValueError, match="unknown version"):
        dsti.schema("person", version="3.7")


# -- generate -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", dsti.VERSIONS)
@pytest.mark.parametrize("kind", [*dsti.KINDS, "mixed"])
def test_generate_equals_dsti_generate(version, kind):
    out = cli("generate", "--kind", kind, "--count", 25, "--seed", 7, "--version", version)
    if out.returncode == 2 and b"has no record kind" in out.stderr:
        # A kind the version does not have (a competition before 2.1): both refuse it.
        with pytest.raises(ValueError, match="has no record kind"):
            dsti.generate(kind, count=25, seed=7, version=version)
        return
    assert out.returncode == 0, out.stderr.decode()
    expected = [json.loads(line) for line in out.stdout.decode().splitlines()]
    records = dsti.generate(kind, count=25, seed=7, version=version)
    assert records == expected
    assert all(r["schemaVersion"] == version for r in records)
    if kind != "mixed":
        assert {r["kind"] for r in records} == {kind}


def test_generated_records_are_valid_and_seeded():
    records = dsti.generate(count=200, seed=3)
    assert records == dsti.generate(None, 200, 3, "2.0")
    assert records != dsti.generate(count=200, seed=4)
    v = dsti.Validator()
    assert all(v.validate(r)["valid"] for r in records)
    assert dsti.generate("person", count=0) == []


def test_generate_bad_names():
    with pytest.raises(ValueError, match="unknown kind"):
        dsti.generate("batch")
    with pytest.raises(ValueError, match="unknown version"):
        dsti.generate("person", version="0.9")


# -- migrate --------------------------------------------------------------------------------


def test_migrate_equals_dsti_migrate(tmp_path):
    records = dsti.generate(count=60, seed=11, version="1.0")
    upload = tmp_path / "v1.ndjson"
    upload.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    out = cli("migrate", "--to", "2.0", "--report-format", "ndjson", upload)
    assert out.returncode == 0, out.stderr.decode()
    migrated = [json.loads(line) for line in out.stdout.decode().splitlines()]
    reports = [json.loads(line) for line in out.stderr.decode().splitlines()][:-1]
    assert len(migrated) == len(records) == len(reports)
    for record, expected, report in zip(records, migrated, reports):
        got, notes = dsti.migrate(record, to="2.0")
        assert got == expected
        assert notes == report["notes"]
        assert notes, "an upgrade always notes the derived id"


def test_migrate_round_trip_and_inputs():
    v = dsti.Validator()
    for record in dsti.generate(count=40, seed=5, version="1.0"):
        upgraded, _ = dsti.migrate(record, "2.0")
        assert upgraded["schemaVersion"] == "2.0"
        assert v.validate(upgraded)["valid"]
        back, _ = dsti.migrate(json.dumps(upgraded), "1.0")
        expected = dict(record)
        if len(record.get("idCardNo", "")) == 15:
            # A 15-digit ID number comes back lengthened to 18 characters.
            assert len(back["idCardNo"]) == 18 and back["idCardNo"][:6] == record["idCardNo"][:6]
            expected["idCardNo"] = back["idCardNo"]
        assert back == expected
        assert dsti.migrate(json.dumps(record).encode(), "2.0")[0] == upgraded


def test_a_refused_migration_raises_with_the_report():
    passport_holder = next(
        r for r in dsti.generate("person", count=300, seed=2)
        if r["document"]["type"] != "resident-id-card"
    )
    with pytest.raises(dsti.MigrationRefused) as caught:
        dsti.migrate(passport_holder, to="1.0")
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.code == "no-resident-id-card"
    assert err.report["outcome"] == "refused"
    assert err.report["reason"]["code"] == err.code
    assert err.report["kind"] == "person" and err.report["to"] == "1.0"
    assert str(err) == err.report["reason"]["messageEn"]

    with pytest.raises(dsti.MigrationRefused) as caught:
        dsti.migrate({"kind": "person"}, to="2.0", lang="zh")
    assert caught.value.code == "header"
    assert str(caught.value) == caught.value.report["reason"]["messageZh"]


def test_migrate_bad_input():
    with pytest.raises(ValueError, match="not JSON"):
        dsti.migrate("{", to="2.0")
    with pytest.raises(ValueError, match="unknown version"):
        dsti.migrate({}, to="9.9")
    with pytest.raises(TypeError):
        dsti.migrate(["not", "a", "record"], to="2.0")


def test_migrate_uses_the_profile():
    # 1.0 completions count class hours by the profile's minutes per class hour.
    records = dsti.generate("completion", count=30, seed=9, version="1.0")
    strict = {"profile": "strict", "minutesPerClassHour": 240}
    outcomes = []
    for r in records:
        try:
            dsti.migrate(r, "2.0", profile=strict, now="2026-11-28T12:00:00+08:00")
            outcomes.append(True)
        except dsti.MigrationRefused:
            outcomes.append(False)
    default = [dsti.migrate(r, "2.0")[0] is not None for r in records]
    assert all(default)
    assert not all(outcomes), "the strict profile refuses some"
    assert outcomes == [
        v["valid"] for v in map(dsti.Validator(profile=strict, now="2026-11-28T12:00:00+08:00").validate, records)
    ]


# -- document_digest ------------------------------------------------------------------------


def test_document_digest_reference_values():
    number = "11010519491231002X"
    assert dsti.document_digest("resident-id-card", number, key=b"key") == (
        "hmac-sm3:f7f14efeb4f8f80eb4f38825501972a0b11d6dbb2d33be3bd8d17c64fb06e124"
    )
    assert dsti.document_digest("resident-id-card", number, b"key", alg="hmac-sha256") == (
        "hmac-sha256:8d8610756b2f91c3afe4e26799dd95c8386e105e5eaa7443f2af05a694ed7a53"
    )
    assert dsti.document_digest("resident-id-card", number, b"other") != dsti.document_digest(
        "resident-id-card", number, b"key"
    )


def test_document_digest_checks_the_document():
    with pytest.raises(ValueError, match="check character"):
        dsti.document_digest("resident-id-card", "110105194912310021", b"key")
    with pytest.raises(ValueError, match="unknown document type"):
        dsti.document_digest("id-card", "11010519491231002X", b"key")
    with pytest.raises(ValueError, match="alg"):
        dsti.document_digest("resident-id-card", "11010519491231002X", b"key", alg="md5")
    with pytest.raises(ValueError):
        dsti.document_digest("passport", "E12345678", b"key")
    digest = dsti.document_digest("passport", "E12345678", b"key", issuing_country="FRA")
    assert digest.startswith("hmac-sm3:") and len(digest) == len("hmac-sm3:") + 64


def test_the_digest_of_a_generated_person_links_records():
    person = next(
        r for r in dsti.generate("person", count=50, seed=1)
        if r["document"]["type"] == "resident-id-card"
    )
    doc = person["document"]
    a = dsti.document_digest(doc["type"], doc["number"], b"k")
    b = dsti.document_digest(doc["type"], doc["number"], b"k")
    assert a == b


# -- the package ----------------------------------------------------------------------------


def test_the_package_ships_stubs_that_name_everything():
    import ast
    import pathlib

    here = pathlib.Path(dsti.__file__).parent
    assert (here / "py.typed").exists()
    stub = ast.parse((here / "_dsti.pyi").read_text("utf-8"))
    named = set()
    for node in stub.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            named.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            named.add(node.target.id)
    assert set(dsti.__all__) <= named
    public = {n for n in dir(dsti._dsti) if not n.startswith("_")} | {"__version__"}
    assert public == set(dsti.__all__)
    for name in dsti.__all__:
        obj = getattr(dsti, name)
        if callable(obj):
            assert obj.__doc__, name
