//! Migration values asserted straight from the standard's mapping and the rules in
//! `dsti::migrate`'s documentation, each expected value computed here by the rule (not read
//! from a file that a migration wrote): times at +08:00, assumed maxima, certificate types by
//! number shape, the century of a 15-digit ID number, name-based ids, and the downgrade's refusals.

use dsti::migrate::{migrate, Outcome, NAMESPACE};
use dsti::Version;
use serde_json::{json, Value};

use crate::{mod11_2, root};

/// The name-based id of a natural key, under the namespace the migration documents.
fn v5(key: &str) -> String {
    let namespace: uuid::Uuid = "e3ea7ce5-4088-5db3-a7d1-00eaa3e13519"
        .parse()
        .expect("uuid");
    assert_eq!(namespace, NAMESPACE);
    uuid::Uuid::new_v5(&namespace, key.as_bytes()).to_string()
}

fn vector(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect("vector");
    serde_json::from_str(&text).expect("json")
}

/// Upgrade `record`, which must migrate; the 2.0 record and the report as JSON.
fn upgraded(record: &Value) -> (Value, Value) {
    migrated(record, Version::V2_0)
}

/// Migrate `record` to `to`, which must succeed; the record and the report as JSON.
fn migrated(record: &Value, to: Version) -> (Value, Value) {
    let outcome = migrate(record, to);
    assert_eq!(
        outcome.report.outcome,
        Outcome::Migrated,
        "{:?}",
        outcome.report
    );
    let report = serde_json::to_value(&outcome.report).expect("report");
    (outcome.record.expect("record").to_value(), report)
}

/// The note of `report` about `path`, with the action it names.
fn note<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|n| n["path"] == path)
        .unwrap_or_else(|| panic!("no note about {path} in {report}"))
}

#[test]
fn a_15_digit_number_gets_century_19_or_18_and_its_check_character() {
    for (fifteen, century) in [("110105491231002", "19"), ("110105891231997", "18")] {
        let person = json!({
            "kind": "person", "schemaVersion": "1.0", "name": "王秀英",
            "idCardNo": fifteen, "gender": if century == "19" { "女" } else { "男" }, "verified": false
        });
        let first17 = format!("{}{century}{}", &fifteen[..6], &fifteen[6..]);
        let eighteen = format!("{first17}{}", mod11_2(&first17));
        let (v2, _) = upgraded(&person);
        assert_eq!(v2["document"]["number"], eighteen.as_str(), "{fifteen}");
        assert_eq!(v2["id"], v5(&format!("person:{eighteen}")).as_str());
    }
}

#[test]
fn dates_become_times_at_plus_eight_and_the_score_is_out_of_100() {
    let completion = vector("tests/vectors/1.0/valid/completion-passed.json");
    let (v2, report) = upgraded(&completion);
    let start = completion["startDate"].as_str().expect("start");
    let end = completion["endDate"].as_str().expect("end");
    assert_eq!(v2["enrolledAt"], format!("{start}T00:00:00+08:00").as_str());
    assert_eq!(v2["startedAt"], format!("{start}T00:00:00+08:00").as_str());
    assert_eq!(v2["completedAt"], format!("{end}T23:59:59+08:00").as_str());
    assert_eq!(v2["status"], "completed");
    let assessment = &v2["assessment"];
    assert_eq!(assessment["score"], completion["score"]);
    assert_eq!(assessment["maxScore"], 100);
    assert_eq!(assessment["method"], "other");
    assert_eq!(assessment["passed"], true);
    assert_eq!(note(&report, "/assessment/maxScore")["action"], "assumed");
    assert_eq!(note(&report, "/completedAt")["action"], "assumed");

    let org = completion["orgCode"].as_str().expect("org");
    let course = completion["courseCode"].as_str().expect("course");
    let number = completion["idCardNo"].as_str().expect("number");
    assert_eq!(
        v2["id"],
        v5(&format!("completion:{org}:{course}:{number}:{start}")).as_str()
    );
    assert_eq!(
        v2["course"]["id"],
        v5(&format!("course:{org}:{course}")).as_str()
    );
    assert_eq!(
        v2["learner"]["personId"],
        v5(&format!("person:{number}")).as_str()
    );
}

#[test]
fn a_certificate_type_comes_from_the_number_shape() {
    let cases = [
        (
            "tests/vectors/1.0/valid/certificate-skill-level.json",
            "skill-level",
        ),
        (
            "tests/vectors/1.0/valid/certificate-vocational-qualification.json",
            "vocational-qualification",
        ),
        (
            "tests/vectors/1.0/valid/certificate-training.json",
            "training-completion",
        ),
    ];
    for (path, expected) in cases {
        let certificate = vector(path);
        let (v2, report) = upgraded(&certificate);
        assert_eq!(v2["certificateType"], expected, "{path}");
        assert_eq!(
            note(&report, "/certificateType")["action"],
            "assumed",
            "{path}"
        );
        assert_eq!(v2["status"], "valid", "{path}");
        let number = certificate["certNo"].as_str().expect("certNo");
        assert_eq!(v2["id"], v5(&format!("certificate:{number}")).as_str());
    }
}

#[test]
fn a_revoked_or_suspended_certificate_is_refused_by_the_downgrade() {
    let v1 = vector("tests/vectors/1.0/valid/certificate-skill-level.json");
    let (v2, _) = upgraded(&v1);
    // As upgraded (status valid), the downgrade gives the 1.0 record back.
    let back = migrate(&v2, Version::V1_0);
    assert_eq!(back.report.outcome, Outcome::Migrated, "{:?}", back.report);
    assert_eq!(back.record.expect("record").to_value(), v1);
    for status in ["revoked", "suspended"] {
        let mut certificate = v2.clone();
        certificate["status"] = json!(status);
        certificate["statusReason"] = json!("issued in error");
        let outcome = migrate(&certificate, Version::V1_0);
        assert!(outcome.record.is_none(), "{status}");
        let report = serde_json::to_value(&outcome.report).expect("report");
        assert_eq!(report["outcome"], "refused", "{status}: {report}");
        assert_eq!(
            report["reason"]["code"], "inexpressible",
            "{status}: {report}"
        );
        let message = report["reason"]["messageEn"].as_str().expect("message");
        assert!(
            message.contains("revoked") && message.ends_with("(/status)"),
            "{message}"
        );
    }
}

/// 1.0 identifies people by the resident ID card only: a holder of a residence permit for Hong
/// Kong, Macao and Taiwan residents (whose number has the same 18-digit form) is refused, not
/// written as if the permit were an ID card.
#[test]
fn a_residence_permit_holder_is_refused_by_the_downgrade() {
    let person = vector("tests/vectors/2.0/valid/person-hmt-residence-permit.json");
    let outcome = migrate(&person, Version::V1_0);
    assert!(outcome.record.is_none());
    let report = serde_json::to_value(&outcome.report).expect("report");
    assert_eq!(report["reason"]["code"], "no-resident-id-card", "{report}");
}

/// What the downgrade reports as dropped is what an upgrade would not give back: a region code
/// is (with why, in both languages); a timestamp that comes back as the same instant written
/// another way is not.
#[test]
fn the_downgrade_reports_exactly_what_is_lost() {
    let v1 = vector("tests/vectors/1.0/valid/completion-passed.json");
    let (mut v2, _) = upgraded(&v1);
    // The same instants as the upgrade wrote them (00:00 and 23:59:59 at +08:00), in UTC.
    let start = v1["startDate"].as_str().expect("start");
    let day_before = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d")
        .expect("date")
        .pred_opt()
        .expect("a day before");
    let utc = format!("{day_before}T16:00:00Z");
    v2["enrolledAt"] = json!(utc);
    v2["startedAt"] = json!(utc);
    v2["provider"]["region"] = json!("440106");
    let (_, report) = migrated(&v2, Version::V1_0);
    let dropped: Vec<&str> = report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["action"] == "dropped")
        .map(|n| n["path"].as_str().expect("path"))
        .collect();
    assert!(
        !dropped.contains(&"/enrolledAt") && !dropped.contains(&"/startedAt"),
        "{report}"
    );
    let region = note(&report, "/provider/region");
    assert_eq!(region["action"], "dropped");
    assert_eq!(region["messageEn"], "1.0 has no region code", "{region}");
    assert_eq!(region["messageZh"], "1.0 版没有行政区划代码", "{region}");
}

/// Every value a downgrade of the valid 2.0 vectors and of generated records drops is reported
/// with why 1.0 cannot hold that value, not with the generic fallback: the reasons are per
/// field, in both languages.
#[test]
fn every_dropped_value_says_why() {
    const GENERIC: &str = "1.0 has no field for this value";
    let mut records: Vec<Value> = crate::files(&root().join("tests/vectors/2.0/valid"), "json")
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json"))
        .filter(|v: &Value| v["kind"] != "batch")
        .collect();
    let mut generated = Vec::new();
    dsti::synth::write_ndjson(&mut generated, None, 400, 3).expect("generate");
    records.extend(
        String::from_utf8(generated)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("json")),
    );
    let mut seen = std::collections::BTreeSet::new();
    for record in &records {
        let report = serde_json::to_value(migrate(record, Version::V1_0).report).expect("report");
        for n in report["notes"].as_array().expect("notes") {
            if n["action"] != "dropped" {
                continue;
            }
            let path = n["path"].as_str().expect("path");
            assert_ne!(n["messageEn"], GENERIC, "{path}: {n}");
            assert!(!n["messageZh"].as_str().expect("zh").is_empty(), "{path}");
            seen.insert(path.split('/').nth(1).expect("a field").to_owned());
        }
    }
    // The reasons of many fields are exercised, not one.
    assert!(seen.len() >= 12, "{seen:?}");
}

/// The downgrade of the 1.0 → 2.0 upgrade of `v1`, after `change` edits the 2.0 record.
fn downgraded_after(v1: &str, change: impl FnOnce(&mut Value)) -> Value {
    let (mut v2, _) = upgraded(&vector(v1));
    change(&mut v2);
    migrated(&v2, Version::V1_0).0
}

/// 2.0 statuses and assessments as 1.0 writes them: failed is 不合格, a score is scaled to
/// 100 (a maximum of 0 gives 0, never a division by zero).
#[test]
fn completion_results_and_scores_downgrade_by_the_rules() {
    let path = "tests/vectors/1.0/valid/completion-passed.json";
    let failed = downgraded_after(path, |v| {
        v["status"] = json!("failed");
        v["assessment"]["passed"] = json!(false);
        v["assessment"]["score"] = json!(30);
        v["assessment"]["maxScore"] = json!(50);
    });
    assert_eq!(failed["result"], "不合格");
    assert_eq!(failed["score"], 60.0);
    let in_progress = downgraded_after(path, |v| {
        v["status"] = json!("in-progress");
        v.as_object_mut().expect("object").remove("completedAt");
        v.as_object_mut().expect("object").remove("assessment");
    });
    assert_eq!(in_progress["result"], "未完成");
    let zero = downgraded_after(path, |v| {
        v["status"] = json!("failed");
        v["assessment"]["passed"] = json!(false);
        v["assessment"]["score"] = json!(0);
        v["assessment"]["maxScore"] = json!(0);
    });
    assert_eq!(zero["score"], 0.0);
}

/// A verification downgrades to `verified` and the day it passed (+08:00); a failed one to
/// `verified: false` without a day.
#[test]
fn verification_downgrades_to_verified_and_its_day() {
    let path = "tests/vectors/1.0/valid/person-verified.json";
    let passed = downgraded_after(path, |v| {
        v["verification"]["verifiedAt"] = json!("2024-05-01T17:30:00Z");
    });
    assert_eq!(passed["verified"], true);
    assert_eq!(passed["verifiedDate"], "2024-05-02");
    let failed = downgraded_after(path, |v| {
        v["verification"]["result"] = json!("failed");
    });
    assert_eq!(failed["verified"], false);
    assert!(failed.get("verifiedDate").is_none(), "{failed}");
}

/// A 1.0 level in the spelling a downgrade writes back is not kept under `extensions`; on a
/// certificate type without levels it is (so that a downgrade gives it back).
#[test]
fn a_level_is_kept_only_when_2_0_cannot_say_it() {
    let (skill, _) = upgraded(&vector(
        "tests/vectors/1.0/valid/certificate-skill-level.json",
    ));
    assert_eq!(skill["level"], "junior");
    assert!(
        skill["extensions"].get("cn.dsti.v1:level").is_none(),
        "{skill}"
    );
    let (training, _) = upgraded(&vector("tests/vectors/1.0/valid/certificate-training.json"));
    assert_eq!(training["certificateType"], "training-completion");
    assert_eq!(
        training["extensions"]["cn.dsti.v1:level"], "初级",
        "{training}"
    );
}

/// `verified` without a day has no 2.0 verification: it travels under `extensions` and comes
/// back, as does `verified: false`.
#[test]
fn verified_without_a_day_survives_the_round_trip() {
    for verified in [true, false] {
        let mut v1 = vector("tests/vectors/1.0/valid/person-verified.json");
        v1["verified"] = json!(verified);
        v1.as_object_mut().expect("object").remove("verifiedDate");
        let (v2, _) = upgraded(&v1);
        assert!(v2.get("verification").is_none(), "{v2}");
        let back = migrate(&v2, Version::V1_0);
        assert_eq!(back.record.expect("record").to_value(), v1);
    }
}

/// A completion's learner or a certificate's holder without a resident ID card is refused,
/// whatever the document (a residence permit's number has the ID card's form).
#[test]
fn a_learner_without_a_resident_id_card_is_refused() {
    let (mut v2, _) = upgraded(&vector("tests/vectors/1.0/valid/completion-passed.json"));
    v2["learner"] =
        json!({"document": {"type": "hmt-residence-permit", "number": "810000199001010019"}});
    let report = serde_json::to_value(migrate(&v2, Version::V1_0).report).expect("report");
    assert_eq!(report["reason"]["code"], "no-resident-id-card", "{report}");
}

/// A number written with a fraction of zero (`8.0`) comes back as `8`: the same number, so not
/// reported as dropped.
#[test]
fn a_whole_number_written_as_a_float_is_not_lost() {
    let (mut v2, _) = upgraded(&vector("tests/vectors/1.0/valid/completion-passed.json"));
    let hours = v2["classHours"].as_u64().expect("whole hours");
    v2["classHours"] = json!(hours as f64);
    assert!(v2["classHours"].is_f64());
    let report = serde_json::to_value(migrate(&v2, Version::V1_0).report).expect("report");
    let dropped: Vec<&Value> = report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["path"] == "/classHours")
        .collect();
    assert!(dropped.is_empty(), "{report}");
}
