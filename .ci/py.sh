#!/usr/bin/env bash
# The Python package (crates/dsti-py): build its wheel with maturin, install it into a fresh
# virtual environment, and run its pytest suite there against the `dsti` command-line tool.
# Idempotent; installs what it needs (pinned: crates/dsti-py/requirements-*.txt).
#
# The wheel is built with cargo's dev profile: it shares the library's build with the CLI
# binary built here and with the test step that follows, so CI compiles only PyO3 and the
# extension itself; the suite checks behaviour, not speed (bench/py_dsti_bench.py does, on a
# release build).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== the Python package (crates/dsti-py): wheel, fresh venv, pytest"

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r crates/dsti-py/requirements-ci.txt

echo "-- py: the CLI to compare with, and the wheel"
cargo build --quiet -p dsti-cli --bin dsti
wheels=target/py-wheels
rm -rf "$wheels"
python3 -m maturin build --quiet --profile dev -m crates/dsti-py/Cargo.toml --out "$wheels"

echo "-- py: a fresh virtual environment with the wheel"
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r crates/dsti-py/requirements-test.txt
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheels"/dsti-*.whl

echo "-- py: pytest"
# From outside the source tree, so that `import dsti` can only find the installed wheel.
cd "$(dirname "$venv")"
DSTI_BIN="$OLDPWD/target/debug/dsti" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  "$OLDPWD/crates/dsti-py/tests"
