"""Threads: one Validator shared by several Python threads gives each the same verdicts as
one thread, and the GIL is let go while a file is validated."""

import json
import sys
import threading
import time

import pytest

import dsti


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    records = dsti.generate(count=2500, seed=12)
    # Some invalid records among them: a wrong check character now and then.
    for r in records[::97]:
        doc = r.get("document")
        if doc and doc["type"] == "resident-id-card":
            doc["number"] = doc["number"][:-1] + ("0" if doc["number"][-1] != "0" else "1")
    path = tmp_path_factory.mktemp("threads") / "upload.ndjson"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_threads_share_a_validator(upload):
    v = dsti.Validator(now="2026-11-28T12:00:00+08:00")
    expected = list(v.validate_file(upload))
    expected_summary = v.summary
    assert expected_summary["invalid"] > 0
    results = {}
    errors = []

    def work(n):
        try:
            if n % 2:
                results[n] = (list(v.validate_file(upload)), None)
            else:
                with open(upload, "rb") as f:
                    it = v.validate_file(f, jobs=2)
                    results[n] = (list(it), it.summary)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 4
    for verdicts, summary in results.values():
        assert verdicts == expected
        assert summary in (None, expected_summary)
    assert v.summary == expected_summary
    # validate() from several threads at once.
    records = [json.loads(line) for line in upload.read_text("utf-8").splitlines()[:1000]]
    singles = {}

    def single(n):
        singles[n] = [v.validate(r)["valid"] for r in records]

    threads = [threading.Thread(target=single, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(s == [e["valid"] for e in expected[:1000]] for s in singles.values())


def test_the_gil_is_released_while_a_file_is_validated(upload):
    """With a switch interval of 10 s, a thread that kept the GIL would keep it for the whole
    file: the main thread gets to run in the middle only if validation lets it go."""
    v = dsti.Validator()
    started = threading.Event()
    finished = threading.Event()

    def validate():
        started.set()
        for _ in v.validate_file(upload):
            pass
        finished.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=validate)
        t.start()
        started.wait()
        seen = []
        while t.is_alive():
            time.sleep(0.0002)
            seen.append(finished.is_set())
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert finished.is_set()
    assert seen and not seen[0], "the main thread ran while the file was validated"
