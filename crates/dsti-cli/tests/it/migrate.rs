//! `dsti migrate` and `dsti generate --version 1.0` end to end: layouts kept, refused records
//! reported, exit codes, and nothing sensitive on stderr.

use std::fs;
use std::process::Command;

use dsti::validate::{Options, Validator};
use serde_json::{json, Value};

use crate::root;

fn validator() -> Validator {
    Validator::new(Options::default())
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dsti"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

const GOOD_PERSON: &str = r#"{"kind":"person","schemaVersion":"1.0","name":"王秀英","idCardNo":"110105491231002","gender":"女","verified":false}"#;
const BAD_PERSON: &str = r#"{"kind":"person","schemaVersion":"1.0","name":"李四","idCardNo":"110105194912310021","gender":"女","verified":false}"#;

#[test]
fn cli_migrates_ndjson_with_refused_records_mixed_in() {
    let dir = std::env::temp_dir().join(format!("dsti-migrate-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("mixed.ndjson");
    let course = fs::read_to_string(root().join("tests/migrations/course.v1.json")).expect("read");
    fs::write(
        &path,
        format!(
            "{GOOD_PERSON}\n{BAD_PERSON}\n\n{}\nnot json\n",
            course.trim()
        ),
    )
    .expect("write");
    let (code, stdout, stderr) = run(&["migrate", "--to", "2.0", path.to_str().expect("path")]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with(r#"{"kind":"person","schemaVersion":"2.0","id":""#));
    assert!(lines[1].starts_with(r#"{"kind":"course","schemaVersion":"2.0","id":""#));
    assert!(stderr.contains("record 1 (person): refused"), "{stderr}");
    assert!(stderr.contains("record 3 (?): refused"), "{stderr}");
    assert!(
        stderr.contains("4 records: 2 migrated, 2 refused"),
        "{stderr}"
    );
    assert!(!stderr.contains("110105194912310021"));
    assert!(!stderr.contains("李四"));

    // The output migrates back, every record validates, and the report is JSON.
    let v2 = dir.join("out.ndjson");
    fs::write(&v2, &stdout).expect("write");
    let (code, stdout, stderr) = run(&[
        "migrate",
        "--to",
        "1.0",
        "--report-format",
        "json",
        "--lang",
        "zh",
        v2.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2);
    assert!(stdout.contains(r#""idCardNo":"11010519491231002X""#));
    let report: Value = serde_json::from_str(&stderr).expect("json report");
    assert_eq!(
        report["summary"],
        json!({"total":2,"migrated":2,"refused":0})
    );
    let (code, _, stderr) = run(&["validate", v2.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn cli_keeps_json_array_and_single_record_framing() {
    let dir = std::env::temp_dir().join(format!("dsti-migrate-json-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("mkdir");
    let array = dir.join("array.json");
    fs::write(&array, format!("[\n{GOOD_PERSON},\n{BAD_PERSON}\n]\n")).expect("write");
    let (code, stdout, stderr) = run(&[
        "migrate",
        "--to",
        "2.0",
        "--report-format",
        "json",
        array.to_str().expect("path"),
    ]);
    assert_eq!(code, 1);
    let out: Value = serde_json::from_str(&stdout).expect("an array");
    assert_eq!(out.as_array().map(Vec::len), Some(1));
    let report: Value = serde_json::from_str(&stderr).expect("json report");
    assert_eq!(report["records"][1]["outcome"], "refused");
    assert_eq!(report["records"][1]["reason"]["code"], "invalid");

    let single = dir.join("single.json");
    fs::write(&single, GOOD_PERSON).expect("write");
    let (code, stdout, _) = run(&["migrate", "--to", "2.0", single.to_str().expect("path")]);
    assert_eq!(code, 0);
    let out: Value = serde_json::from_str(&stdout).expect("one record");
    assert_eq!(out["kind"], "person");

    fs::write(&single, BAD_PERSON).expect("write");
    let (code, stdout, _) = run(&["migrate", "--to", "2.0", single.to_str().expect("path")]);
    assert_eq!((code, stdout.as_str()), (1, ""));

    let (code, _, _) = run(&["migrate", "--to", "3.0", single.to_str().expect("path")]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["migrate", "--to", "2.0", "/nonexistent/file.json"]);
    assert_eq!(code, 2);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn cli_generates_valid_1_0_records() {
    let (code, stdout, _) = run(&[
        "generate",
        "--version",
        "1.0",
        "--kind",
        "mixed",
        "--count",
        "50",
        "--seed",
        "9",
    ]);
    assert_eq!(code, 0);
    let validator = validator();
    for line in stdout.lines() {
        assert!(line.contains(r#""schemaVersion":"1.0""#));
        let verdict = validator.validate_str(line);
        assert!(verdict.issues.is_empty(), "{line}: {:?}", verdict.issues);
    }
    assert_eq!(stdout.lines().count(), 50);
}
