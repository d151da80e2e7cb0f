//! Replays the fuzz regressions (`fuzz/regressions/<target>/`, checked in) and, when present,
//! the local fuzz corpora (`fuzz/corpus/<target>/`, gitignored) on the stable toolchain,
//! through the same entry points and the same invariants as the fuzz targets: the checks are
//! the very file the targets use, `fuzz/common/checks.rs`.
//!
//! The `differential` target builds values with `arbitrary` from non-JSON inputs; those
//! inputs need the fuzzer to replay. Its regression files are stored as the JSON values
//! themselves, which are replayed here.

#[path = "../../fuzz/common/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

use crate::root;

const TARGETS: [&str; 5] = [
    "validate",
    "migrate",
    "identifiers",
    "differential",
    "roundtrip",
];

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Every invariant of `target` on one input.
fn replay(target: &str, data: &[u8], parallel: bool) {
    match target {
        "validate" => checks::check_validate(data, parallel),
        "identifiers" => {
            if let Ok(s) = std::str::from_utf8(data) {
                checks::check_identifiers(s);
            }
        }
        "roundtrip" => checks::check_roundtrip(data),
        "differential" | "migrate" => {
            if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
                if target == "differential" {
                    checks::check_differential(&value);
                } else {
                    checks::check_migrate(&value);
                }
                for validator in checks::validators() {
                    checks::check_verdict(&validator.validate_value(&value));
                }
            }
        }
        other => panic!("unknown target {other}"),
    }
}

fn replay_dir(kind: &str, max_per_target: usize) -> usize {
    let mut count = 0;
    for target in TARGETS {
        let dir = root().join("fuzz").join(kind).join(target);
        for path in inputs(&dir).into_iter().take(max_per_target) {
            // A running fuzzer may remove a corpus file meanwhile; regressions must be there.
            let data = match std::fs::read(&path) {
                Ok(data) => data,
                Err(e) if kind == "corpus" && e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            let result = std::panic::catch_unwind(|| replay(target, &data, true));
            assert!(result.is_ok(), "{} fails its invariants", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn regressions_replay() {
    let n = replay_dir("regressions", usize::MAX);
    assert!(n > 0, "fuzz/regressions/ has no input");
}

/// The local corpora, if a fuzzing run left them (at most 2,000 inputs a target, so that a
/// debug-mode test run stays short; set DSTI_FULL_CORPUS=1 for all of them).
#[test]
fn local_corpora_replay() {
    let max = if std::env::var_os("DSTI_FULL_CORPUS").is_some() {
        usize::MAX
    } else {
        2_000
    };
    replay_dir("corpus", max);
}

#[test]
fn ndjson_blank_lines_are_counted_like_the_framing() {
    assert_eq!(checks::ndjson_record_count(b""), 0);
    assert_eq!(checks::ndjson_record_count(b" \t\r\n\n"), 0);
    assert_eq!(checks::ndjson_record_count(b"\xEF\xBB\xBF{}\r\n\n x"), 2);
    assert_eq!(checks::ndjson_record_count(b"\x0b\n"), 1);
}
