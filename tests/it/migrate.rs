//! Migrations: fixture pairs per kind and the report's promises (`dsti migrate` end to end is
//! in the CLI crate's tests, `crates/dsti-cli/tests/it/migrate.rs`).

use std::fs;

use dsti::migrate::{self, Action, Outcome};
use dsti::validate::{Options, Validator};
use dsti::{Kind, Version};
use serde_json::{json, Value};

use crate::root;

fn pretty(value: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("serializes");
    s.push('\n');
    s
}

fn validator() -> Validator {
    Validator::new(Options::default())
}

/// Set `DSTI_BLESS=1` to rewrite the `.v2.json` and `.report.json` fixtures.
#[test]
fn fixture_pairs_upgrade_as_committed() {
    let bless = crate::bless();
    let dir = root().join("tests/migrations");
    let mut stale = Vec::new();
    for kind in Kind::RECORDS {
        let input = fs::read_to_string(dir.join(format!("{kind}.v1.json"))).expect("fixture");
        let v1: Value = serde_json::from_str(&input).expect("json");
        let out = migrate::migrate(&v1, Version::V2_0);
        let record = out
            .record
            .unwrap_or_else(|| panic!("{kind}: {:?}", out.report));
        let verdict = validator().validate_value(&record.to_value());
        assert!(verdict.is_valid(), "{kind}: {:?}", verdict.issues);
        for (name, text) in [
            (format!("{kind}.v2.json"), pretty(&record)),
            (format!("{kind}.report.json"), pretty(&out.report)),
        ] {
            let path = dir.join(&name);
            if bless {
                fs::write(&path, &text).expect("write");
            } else if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(name);
            }
        }
        // And back: the same 1.0 record, the ID number lengthened if it had 15 digits.
        let back = migrate::migrate(&record.to_value(), Version::V1_0);
        let mut expected = v1.clone();
        let id = expected["idCardNo"].as_str().map(str::to_owned);
        if let Some(id) = id.filter(|id| id.len() == 15) {
            let lengthened = record.to_value()["document"]["number"]
                .as_str()
                .or(record.to_value()["learner"]["document"]["number"].as_str())
                .or(record.to_value()["holder"]["document"]["number"].as_str())
                .expect("number")
                .to_owned();
            assert_eq!(lengthened.len(), 18);
            assert_eq!(&lengthened[..6], &id[..6]);
            expected["idCardNo"] = Value::String(lengthened);
        }
        assert_eq!(back.record.map(|r| r.to_value()), Some(expected), "{kind}");
        assert!(
            back.report
                .notes
                .iter()
                .all(|n| n.action != Action::Dropped),
            "{kind}: {:?}",
            back.report.notes
        );
    }
    assert!(
        stale.is_empty(),
        "stale migration fixtures (rerun with DSTI_BLESS=1): {stale:?}"
    );
}

#[test]
fn ids_are_v5_of_the_documented_natural_keys() {
    let dir = root().join("tests/migrations");
    let read = |name: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(dir.join(name)).expect("fixture")).expect("json")
    };
    let id = |key: &str| migrate::record_id(key).to_string();
    assert_eq!(
        read("person.v2.json")["id"],
        id("person:11010519491231002X")
    );
    assert_eq!(
        read("course.v2.json")["id"],
        id("course:91440101MA5CYUF35N:MY-2019-01")
    );
    let completion = read("completion.v2.json");
    assert_eq!(
        completion["id"],
        id("completion:91440101MA5CYUF35N:MY-2019-01:11010519491231002X:2019-05-06")
    );
    assert_eq!(completion["course"]["id"], read("course.v2.json")["id"]);
    assert_eq!(
        completion["learner"]["personId"],
        read("person.v2.json")["id"]
    );
    assert_eq!(
        read("certificate.v2.json")["id"],
        id("certificate:S123444010100245000123")
    );
    // Pinned, so that other implementations can check theirs.
    assert_eq!(
        id("person:11010519491231002X"),
        uuid::Uuid::new_v5(
            &uuid::Uuid::parse_str("e3ea7ce5-4088-5db3-a7d1-00eaa3e13519").expect("uuid"),
            b"person:11010519491231002X"
        )
        .to_string()
    );
}

#[test]
fn unmapped_category_is_kept_and_reported() {
    let v1 = json!({"kind":"course","schemaVersion":"1.0","courseCode":"HY-1","courseName":"插花艺术","category":"插花艺术","trainingType":"在岗培训","hours":16,"online":true,"orgName":"某某家政公司","orgCode":"91440101MA5CYUF35N"});
    let out = migrate::migrate(&v1, Version::V2_0);
    let v2 = out.record.expect("migrated").to_value();
    assert_eq!(v2["serviceCategories"], json!(["other"]));
    assert_eq!(v2["extensions"]["cn.dsti.v1:category"], "插花艺术");
    assert_eq!(v2["deliveryMode"], "online");
    assert!(out
        .report
        .notes
        .iter()
        .any(|n| n.action == Action::Kept && n.path == "/extensions/cn.dsti.v1:category"));
    assert!(validator().validate_value(&v2).is_valid());
}

#[test]
fn invalid_records_are_refused_with_why() {
    let bad_id = json!({"kind":"person","schemaVersion":"1.0","name":"王芳","idCardNo":"110105194912310021","gender":"女","verified":false});
    let out = migrate::migrate(&bad_id, Version::V2_0);
    assert!(out.record.is_none());
    let Outcome::Refused { reason } = &out.report.outcome else {
        panic!("not refused")
    };
    assert_eq!(reason.code(), "invalid");
    let text = reason.to_string();
    assert!(text.contains("id-number.checksum at /idCardNo"), "{text}");
    assert!(!text.contains("110105194912310021"));
    let no_version = json!({"kind":"person","name":"王芳"});
    assert_eq!(
        migrate::migrate(&no_version, Version::V2_0).report.outcome,
        Outcome::Refused {
            reason: migrate::Refusal::Header
        }
    );
}

#[test]
fn downgrade_refuses_what_1_0_cannot_say_and_reports_drops() {
    let passport = json!({"kind":"person","schemaVersion":"2.0","id":"00000000-0000-4000-8000-000000000001","name":"John Smith","document":{"type":"passport","number":"E12345678","issuingCountry":"GBR"}});
    let out = migrate::migrate(&passport, Version::V1_0);
    assert!(out.record.is_none());
    let Outcome::Refused { reason } = &out.report.outcome else {
        panic!("not refused")
    };
    assert_eq!(reason.code(), "no-resident-id-card");

    let person = json!({"kind":"person","schemaVersion":"2.0","id":"00000000-0000-4000-8000-000000000002","name":"王芳","document":{"type":"resident-id-card","number":"11010519491231002X"},"birthDate":"1949-12-31","region":"110105"});
    let out = migrate::migrate(&person, Version::V1_0);
    let v1 = out.record.expect("migrated").to_value();
    assert_eq!(v1["gender"], "女");
    let dropped: Vec<&str> = out
        .report
        .notes
        .iter()
        .filter(|n| n.action == Action::Dropped)
        .map(|n| n.path.as_str())
        .collect();
    assert_eq!(dropped, ["/birthDate", "/id", "/region"]);
    assert!(out
        .report
        .notes
        .iter()
        .any(|n| n.action == Action::Derived && n.path == "/gender"));
    assert!(validator().validate_value(&v1).is_valid());
}
