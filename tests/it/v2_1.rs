//! Version 2.1 through the edition seam: every 2.0 record, relabelled, is a valid 2.1 record;
//! upgrades 2.0 → 2.1 change only `schemaVersion`; downgrades 2.1 → 2.0 drop and report what
//! 2.1 added; the typed records and their schemas agree.

use dsti::migrate::{self, Action, Outcome};
use dsti::validate::{Options, Validator};
use dsti::{schema, Kind, Version};
use serde_json::{json, Value};

use crate::root;

fn validator() -> Validator {
    Validator::new(Options::default().now("2026-11-28T12:00:00+08:00".parse().expect("now")))
}

fn vector(name: &str) -> Value {
    let path = root().join("tests/vectors/2.1/valid").join(name);
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
}

fn synthetic_v2(seed: u64, count: usize) -> Vec<Value> {
    let mut generator = dsti::synth::Generator::new(seed);
    (0..count)
        .map(|_| serde_json::to_value(generator.record(None)).expect("json"))
        .collect()
}

#[test]
fn every_valid_2_0_record_relabelled_is_a_valid_2_1_record_and_upgrades_to_it() {
    let validator = validator();
    for record in synthetic_v2(21, 600) {
        let mut relabelled = record.clone();
        relabelled["schemaVersion"] = json!("2.1");
        let verdict = validator.validate_value(&relabelled);
        assert!(verdict.is_valid(), "{:?}", verdict.issues);
        assert_eq!(verdict.issues, validator.validate_value(&record).issues);

        let out = migrate::migrate(&record, Version::V2_1);
        assert!(out.report.migrated(), "{:?}", out.report);
        assert!(out.report.notes.is_empty(), "{:?}", out.report.notes);
        let upgraded = out.record.expect("record").to_value();
        assert_eq!(upgraded, relabelled);
        // and back, without a note: nothing 2.0 lacks was there
        let back = migrate::migrate(&upgraded, Version::V2_0);
        assert!(back.report.notes.is_empty(), "{:?}", back.report.notes);
        assert_eq!(back.record.expect("record").to_value(), record);
    }
}

#[test]
fn the_same_2_0_rules_fire_on_2_1_records_at_the_same_paths() {
    let validator = validator();
    let mut course = vector("course-programme-kind.json");
    course["ethicsHours"] = json!(65);
    let verdict = validator.validate_value(&course);
    let codes: Vec<_> = verdict
        .issues
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(codes, [("course.ethics-hours", "/ethicsHours")]);
    let mut certificate = vector("certificate-signed.json");
    certificate["holder"] =
        json!({"document": {"type": "resident-id-card", "number": "110105194912310021"}});
    let verdict = validator.validate_value(&certificate);
    let codes: Vec<_> = verdict.issues.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["id-number.checksum"]);
}

#[test]
fn a_downgrade_drops_proof_status_and_programme_kind_and_says_so_in_both_languages() {
    for (file, dropped) in [
        (
            "certificate-signed.json",
            &["/proof", "/credentialStatus"][..],
        ),
        ("certificate-signed-sm2.json", &["/proof"][..]),
        ("course-programme-kind.json", &["/programmeKind"][..]),
        ("person-verified-by-chip.json", &[][..]),
    ] {
        let record = vector(file);
        let out = migrate::migrate(&record, Version::V2_0);
        assert!(out.report.migrated(), "{file}: {:?}", out.report);
        let notes: Vec<&str> = out.report.notes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(notes, dropped, "{file}");
        for note in &out.report.notes {
            assert_eq!(note.action, Action::Dropped);
            assert!(note.message_en.contains(&note.path[1..]), "{note:?}");
            assert!(note.message_zh.contains("2.0 版"), "{note:?}");
        }
        let v2 = out.record.expect("record").to_value();
        assert_eq!(v2["schemaVersion"], "2.0");
        for path in dropped {
            assert!(v2.pointer(path).is_none(), "{file} {path}");
        }
        assert!(validator().validate_value(&v2).is_valid(), "{file}");
        // Everything else is as it was.
        let mut expected = record.clone();
        expected["schemaVersion"] = json!("2.0");
        for path in dropped {
            expected.as_object_mut().expect("object").remove(&path[1..]);
        }
        assert_eq!(v2, expected, "{file}");
    }
}

#[test]
fn steps_chain_between_1_0_and_2_1() {
    let proof = vector("certificate-signed.json")["proof"].clone();
    let (mut migrated, mut refused) = (0, 0);
    for record in synthetic_v2(5, 400) {
        let mut v21 = record.clone();
        v21["schemaVersion"] = json!("2.1");
        let signed = record["kind"] == "certificate";
        if signed {
            v21["proof"] = proof.clone();
        }
        let direct = migrate::migrate(&record, Version::V1_0);
        let chained = migrate::migrate(&v21, Version::V1_0);
        assert_eq!(direct.report.migrated(), chained.report.migrated());
        if !direct.report.migrated() {
            refused += 1;
            assert_eq!(direct.report.outcome, chained.report.outcome);
            continue;
        }
        migrated += 1;
        let v1 = chained.record.expect("record").to_value();
        assert_eq!(v1, direct.record.expect("record").to_value());
        // The same notes, after the one for the proof the first step dropped.
        let mut notes = chained.report.notes;
        if signed {
            assert_eq!(notes.remove(0).path, "/proof");
        }
        assert_eq!(notes, direct.report.notes);
        // And up again, 1.0 → 2.0 → 2.1: the 1.0 → 2.0 upgrade, relabelled.
        let up = migrate::migrate(&v1, Version::V2_1);
        let up_v2 = migrate::migrate(&v1, Version::V2_0);
        assert_eq!(up.report.notes, up_v2.report.notes);
        let mut expected = up_v2.record.expect("record").to_value();
        expected["schemaVersion"] = json!("2.1");
        assert_eq!(up.record.expect("record").to_value(), expected);
    }
    assert!(migrated > 100 && refused > 0, "{migrated} {refused}");
}

#[test]
fn typed_2_1_records_refuse_another_label_and_what_the_schema_refuses() {
    let text = vector("certificate-signed.json").to_string();
    assert!(serde_json::from_str::<dsti::v2_1::Certificate>(&text).is_ok());
    let as_2_0 = text.replace("\"2.1\"", "\"2.0\"");
    assert!(serde_json::from_str::<dsti::v2_1::Certificate>(&as_2_0).is_err());
    assert!(serde_json::from_str::<dsti::v2::Certificate>(&text).is_err());
    // `null` is not an absent proof, for the schema and the type alike.
    let null_proof = vector("certificate-signed.json");
    let mut null_proof = null_proof;
    null_proof["proof"] = Value::Null;
    assert!(serde_json::from_value::<dsti::v2_1::Certificate>(null_proof.clone()).is_err());
    let compiled = jsonschema::validator_for(&schema::generate(
        Version::V2_1,
        Kind::Certificate,
        schema::DEFAULT_BASE_URI,
    ))
    .expect("schema");
    assert!(!compiled.is_valid(&null_proof));
    // A duplicate key inside an added field is refused, as everywhere.
    let duplicate = text.replacen(
        "\"alg\":\"EdDSA\"",
        "\"alg\":\"EdDSA\",\"alg\":\"EdDSA\"",
        1,
    );
    assert!(serde_json::from_str::<dsti::v2_1::Certificate>(&duplicate).is_err());
}

#[test]
fn the_2_1_generator_makes_valid_records_and_leaves_2_0_alone() {
    let mut out = Vec::new();
    dsti::synth::v2_1::write_ndjson(&mut out, None, 3000, 9).expect("write");
    let mut added = 0;
    let validator = validator();
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let value: Value = serde_json::from_slice(line).expect("json");
        assert_eq!(value["schemaVersion"], "2.1");
        added += usize::from(
            value.get("credentialStatus").is_some() || value.get("programmeKind").is_some(),
        );
        let verdict = validator.validate_value(&value);
        assert!(
            verdict.is_valid() && verdict.issues.is_empty(),
            "{:?}",
            verdict.issues
        );
    }
    assert!(added > 100, "{added}");
    // The 2.0 output of a seed is its 2.1 output's 2.0 part.
    let mut v2 = Vec::new();
    dsti::synth::write_ndjson(&mut v2, None, 3000, 9).expect("write");
    let v21 = String::from_utf8(out).expect("utf-8");
    for (a, b) in std::str::from_utf8(&v2)
        .expect("utf-8")
        .lines()
        .zip(v21.lines())
    {
        let back = migrate::migrate(&serde_json::from_str(b).expect("json"), Version::V2_0);
        assert_eq!(
            back.record.expect("record").to_value(),
            serde_json::from_str::<Value>(a).expect("json")
        );
    }
}

#[test]
fn refusals_name_the_version_asked_for() {
    let mut record = vector("person-verified-by-chip.json");
    record["document"]["number"] = json!("110105194912310021");
    let out = migrate::migrate(&record, Version::V2_0);
    match out.report.outcome {
        Outcome::Refused { reason } => assert_eq!(reason.code(), "invalid"),
        other => panic!("{other:?}"),
    }
}
