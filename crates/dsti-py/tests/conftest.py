"""Shared helpers of the pytest suite of the `dsti` Python package.

The suite runs against an installed `dsti` (a wheel in a fresh virtual environment, see
.ci/py.sh) and compares it with the `dsti` command-line tool: `DSTI_BIN` names its binary;
without it, the suite builds it with cargo.
"""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"


def _dsti_bin():
    path = os.environ.get("DSTI_BIN")
    if path:
        return path
    subprocess.run(
        ["cargo", "build", "--quiet", "-p", "dsti-cli", "--bin", "dsti"], cwd=ROOT, check=True
    )
    return str(ROOT / "target" / "debug" / "dsti")


DSTI_BIN = _dsti_bin()


def cli(*args, stdin=None):
    """Run the `dsti` CLI from the repository root; returns the CompletedProcess."""
    return subprocess.run(
        [DSTI_BIN, *map(str, args)], cwd=ROOT, input=stdin, capture_output=True, check=False
    )


def cli_ndjson(*args):
    """The lines of `dsti validate --format ndjson ARGS` as dicts: (verdicts, summary)."""
    out = cli("validate", "--format", "ndjson", "--jobs", "1", *args)
    assert out.returncode in (0, 1), out.stderr.decode()
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert "summary" in lines[-1]
    return lines[:-1], lines[-1]["summary"]


def vectors():
    """Every test vector: (path, now, profile dict or None), valid and invalid, every version."""
    found = []
    for version_dir in sorted(p for p in VECTORS.iterdir() if p.is_dir()):
        invalid = version_dir / "invalid"
        now = None
        if (invalid / "manifest.json").exists():
            manifest = json.loads((invalid / "manifest.json").read_text(encoding="utf-8"))
            now = manifest["now"]
            for entry in manifest["vectors"]:
                found.append((invalid / entry["file"], now, entry.get("profile")))
        for path in sorted((version_dir / "valid").glob("*.json")):
            found.append((path, now, None))
    return found


VECTOR_LIST = vectors()


def vector_id(vector):
    path = vector[0]
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


@pytest.fixture
def profile_file(tmp_path):
    """Write a profile dict to a file; returns its path."""

    def write(profile):
        path = tmp_path / "profile.json"
        path.write_text(json.dumps(profile), encoding="utf-8")
        return path

    return write
