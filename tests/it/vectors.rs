//! The test vectors under `tests/vectors/`: data that any implementation can reuse.
//!
//! `valid/*.json` are records (a batch for `batch-*`) that must produce no finding at all,
//! deserialize with the typed API, serialize back to the same bytes, and be accepted by the
//! committed schema. `invalid/manifest.json` lists each invalid file with every finding its
//! upload must produce, exactly — `{"record": N, "code", "severity", "path"}`, `record` being
//! the record's 0-based index or `"envelope"` for a batch's envelope — the profile to use if
//! not the default, and the `now` every vector is judged at.

use std::collections::BTreeSet;
use std::fs;

use dsti::validate::{Event, InputFormat, Options, Profile, Validator};
use dsti::{schema, DocumentKind, Version};
use serde_json::{json, Value};

use crate::{files, root};

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn options() -> Options {
    Options::default().now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now"))
}

/// Every finding of every verdict of an upload, as the manifest writes it, sorted; and the
/// number of verdicts.
fn findings_of(validator: &Validator, bytes: &[u8]) -> (Vec<Value>, usize) {
    let mut findings = Vec::new();
    let mut verdicts = 0;
    for event in validator.validate_reader(bytes, InputFormat::Json) {
        let event = event.expect("no I/O error");
        let v = event.verdict();
        verdicts += 1;
        let record = match event {
            Event::Envelope(_) => json!("envelope"),
            _ => json!(v.index),
        };
        findings.extend(v.issues.iter().map(|f| {
            json!({
                "record": record,
                "code": f.code.as_str(),
                "severity": f.severity.as_str(),
                "path": f.path,
            })
        }));
    }
    findings.sort_by_key(|f| f.to_string());
    (findings, verdicts)
}

#[test]
fn valid_vectors_are_valid_everywhere() {
    for version in Version::ALL {
        let dir = root()
            .join("tests/vectors")
            .join(version.as_str())
            .join("valid");
        if !dir.exists() {
            continue;
        }
        let validator = Validator::new(options());
        for path in files(&dir, "json") {
            let bytes = fs::read(&path).expect("read");
            let (findings, verdicts) = findings_of(&validator, &bytes);
            assert!(findings.is_empty(), "{}: {findings:?}", path.display());
            assert!(verdicts >= 1);

            let value: Value = serde_json::from_slice(&bytes).expect("json");
            let kind: DocumentKind = value["kind"]
                .as_str()
                .expect("kind")
                .parse()
                .expect("known kind");
            let compiled = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&schema::generate(version, kind, schema::DEFAULT_BASE_URI))
                .expect("schema");
            let errors: Vec<String> = compiled
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{}: schema says {errors:?}",
                path.display()
            );

            if version == Version::V2_0 {
                let text = std::str::from_utf8(&bytes).expect("utf-8").trim_end();
                let again = match kind {
                    DocumentKind::Batch => {
                        let b: dsti::v2::Batch = serde_json::from_str(text).expect("typed batch");
                        serde_json::to_string(&b).expect("write")
                    }
                    _ => {
                        let r: dsti::v2::Record = serde_json::from_str(text).expect("typed record");
                        serde_json::to_string(&r).expect("write")
                    }
                };
                assert_eq!(again, text, "{} does not round-trip", path.display());
            }
            if version == Version::V2_1 {
                let text = std::str::from_utf8(&bytes).expect("utf-8").trim_end();
                let again = match kind {
                    DocumentKind::Batch => {
                        let b: dsti::v2_1::Batch = serde_json::from_str(text).expect("typed batch");
                        serde_json::to_string(&b).expect("write")
                    }
                    _ => {
                        let r: dsti::v2_1::Record =
                            serde_json::from_str(text).expect("typed record");
                        serde_json::to_string(&r).expect("write")
                    }
                };
                assert_eq!(again, text, "{} does not round-trip", path.display());
            }
        }
    }
}

#[test]
fn invalid_vectors_give_exactly_their_codes() {
    let mut seen_codes = BTreeSet::new();
    for version in Version::ALL {
        let dir = root()
            .join("tests/vectors")
            .join(version.as_str())
            .join("invalid");
        let Ok(manifest) = fs::read_to_string(dir.join("manifest.json")) else {
            continue;
        };
        let manifest: Value = serde_json::from_str(&manifest).expect("manifest");
        assert_eq!(manifest["now"], NOW);
        let listed: BTreeSet<String> = manifest["vectors"]
            .as_array()
            .expect("vectors")
            .iter()
            .map(|v| v["file"].as_str().expect("file").to_owned())
            .collect();
        let present: BTreeSet<String> = files(&dir, "json")
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .filter(|n| n != "manifest.json")
            .collect();
        assert_eq!(listed, present, "manifest and files of {version} differ");

        let mut failures = Vec::new();
        for vector in manifest["vectors"].as_array().expect("vectors") {
            let file = vector["file"].as_str().expect("file");
            let mut opts = options();
            if let Some(p) = vector.get("profile") {
                opts = opts.profile(Profile::from_json(&p.to_string()).expect("profile"));
            }
            let bytes = fs::read(dir.join(file)).expect("read");
            let (found, _) = findings_of(&Validator::new(opts), &bytes);
            let mut expected = vector["findings"].as_array().expect("findings").clone();
            expected.sort_by_key(|f| f.to_string());
            assert!(
                !expected.is_empty(),
                "{version}/{file}: an invalid vector finds something"
            );
            if found != expected {
                failures.push(format!(
                    "{version}/{file}:\n  expected {}\n  got      {}",
                    Value::from(expected.clone()),
                    Value::from(found)
                ));
            }
            seen_codes.extend(
                expected
                    .iter()
                    .map(|f| f["code"].as_str().expect("code").to_owned()),
            );
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
    // At least one vector per code of the standard.
    let missing: Vec<&str> = dsti::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !seen_codes.contains(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an invalid vector: {missing:?}"
    );
}
