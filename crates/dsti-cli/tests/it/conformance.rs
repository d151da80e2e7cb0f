//! `dsti conformance` against `dsti` itself (every vector agrees) and against deliberately
//! wrong validators (the report names the vectors and codes where they go wrong).

use std::process::Command;

use serde_json::Value;

use crate::root;

const DSTI_ITSELF: &str = r#"{dsti} validate --format ndjson --now {now} --profile {profile} ${DSTI_SENDER:+--sender "$DSTI_SENDER"} {file}"#;

fn dsti() -> &'static str {
    env!("CARGO_BIN_EXE_dsti")
}

/// `dsti conformance ARGS --format json` from the repository root: the report and the exit status.
fn conformance(args: &[&str]) -> (Value, i32) {
    let out = Command::new(dsti())
        .current_dir(root())
        .env("DSTI_BIN", dsti())
        .arg("conformance")
        .args(args)
        .args(["--format", "json", "--jobs", "2"])
        .output()
        .expect("run dsti conformance");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out.status.code().unwrap_or(-1))
}

/// The number of vectors in the repository's suite.
fn vector_count() -> usize {
    dsti_cli::kit::vectors::load(&root().join("tests/vectors"), None)
        .expect("vectors")
        .len()
}

#[test]
fn dsti_conforms_to_its_own_vectors() {
    let cmd = DSTI_ITSELF.replace("{dsti}", dsti());
    let (report, status) = conformance(&["--cmd", &cmd]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["conforms"], true);
    assert_eq!(report["level"], "full");
    let total = vector_count();
    assert!(total > 100, "{total} vectors");
    assert_eq!(report["total"], total);
    assert_eq!(report["agree"], total);
    // Every code of the standard is exercised, and agrees.
    let codes = report["codes"].as_array().expect("codes");
    for code in dsti::Code::ALL {
        let tally = codes
            .iter()
            .find(|c| c["code"] == code.as_str())
            .unwrap_or_else(|| panic!("no tally of {code}"));
        assert_eq!(tally["agrees"], true, "{tally}");
        assert!(tally["matched"].as_u64() > Some(0), "{tally}");
    }
}

#[test]
fn a_validator_that_renames_a_code_is_caught_where_it_does() {
    let script = root().join("crates/dsti-cli/tests/conformance/wrong-validator.sh");
    let cmd = format!("sh {} {{file}}", script.display());
    let (report, status) = conformance(&["--cmd", &cmd]);
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(report["conforms"], false);
    // Exactly the vectors that expect uscc.checksum disagree: read from the manifests.
    let suite = dsti_cli::kit::vectors::load(&root().join("tests/vectors"), None).expect("vectors");
    let expected: Vec<&str> = suite
        .iter()
        .filter(|v| v.expected.iter().any(|f| f.code == "uscc.checksum"))
        .map(|v| v.name.as_str())
        .collect();
    assert!(!expected.is_empty());
    let disagreeing: Vec<&Value> = report["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .filter(|v| v["agrees"] == false)
        .collect();
    let names: Vec<&str> = disagreeing
        .iter()
        .filter_map(|v| v["vector"].as_str())
        .collect();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort_unstable();
    let mut sorted_names = names.clone();
    sorted_names.sort_unstable();
    assert_eq!(sorted_names, sorted_expected);
    for v in disagreeing {
        assert_eq!(
            v["exit"], v["expectedExit"],
            "the exit status is right: {v}"
        );
        assert!(v["missing"]
            .as_array()
            .is_some_and(|m| m.iter().all(|f| f["code"] == "uscc.checksum")));
        assert!(v["unexpected"]
            .as_array()
            .is_some_and(|m| !m.is_empty() && m.iter().all(|f| f["code"] == "schema.pattern")));
    }
    let codes = report["codes"].as_array().expect("codes");
    let wrong: Vec<&str> = codes
        .iter()
        .filter(|c| c["agrees"] == false)
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(wrong, ["schema.pattern", "uscc.checksum"]);
}

#[test]
fn a_validator_that_accepts_everything_fails_every_invalid_vector() {
    let suite =
        dsti_cli::kit::vectors::load(&root().join("tests/vectors"), Some("2.0")).expect("vectors");
    let must_fail: Vec<&str> = suite
        .iter()
        .filter(|v| v.expected_exit() == 1)
        .map(|v| v.name.as_str())
        .collect();
    let (report, status) = conformance(&[
        "--cmd",
        "true {file}",
        "--exit-status-only",
        "--version",
        "2.0",
    ]);
    assert_eq!(status, 1);
    assert_eq!(report["level"], "exit-status");
    assert_eq!(report["total"], suite.len());
    let failed: Vec<&str> = report["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .filter(|v| v["agrees"] == false)
        .filter_map(|v| v["vector"].as_str())
        .collect();
    assert_eq!(failed, must_fail);
    // Without --exit-status-only, silence is no answer: nothing agrees.
    let (report, status) = conformance(&["--cmd", "true {file}", "--version", "2.0"]);
    assert_eq!((status, report["agree"].as_u64()), (1, Some(0)));
}

#[test]
fn the_text_report_names_the_vector_and_the_codes() {
    let script = root().join("crates/dsti-cli/tests/conformance/wrong-validator.sh");
    let out = Command::new(dsti())
        .current_dir(root())
        .env("DSTI_BIN", dsti())
        .args(["conformance", "--lang", "en", "--version", "2.0", "--cmd"])
        .arg(format!("sh {} {{file}}", script.display()))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("DISAGREES 2.0/invalid/uscc-checksum.json"),
        "{text}"
    );
    assert!(
        text.contains("missing:    uscc.checksum (error) at record 0 /provider/uscc"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("DOES NOT CONFORM"), "{text}");
    // A hung implementation is killed at the timeout and disagrees.
    let out = Command::new(dsti())
        .current_dir(root())
        .args([
            "conformance",
            "--version",
            "1.0",
            "--timeout",
            "1",
            "--cmd",
            "sleep 5; true {file}",
            "--format",
            "json",
            "--jobs",
            "64",
        ])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        report["vectors"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("timed out")),
        "{report}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["conformance", "--cmd", "true"][..],
        &[
            "conformance",
            "--cmd",
            "true {file}",
            "--vectors",
            "no/such/dir",
        ][..],
    ] {
        let out = Command::new(dsti())
            .current_dir(root())
            .args(args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
