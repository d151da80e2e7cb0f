//! The decided edges ("Values, decided") through the `dsti` binary and the library: one "now" for
//! every rule (the same file gives the verdicts its `--now` implies, on any day), and a profile
//! that applies to 1.0 records in validation and in migration.

use std::path::PathBuf;
use std::process::Output;

use dsti::migrate::{migrate_in, Outcome};
use dsti::rules::RuleContext;
use dsti::validate::{Lang, Options, Profile, Validator};
use dsti::Version;
use serde_json::Value;

use crate::root;

fn dsti(args: &[&str]) -> Output {
    crate::dsti_in(root(), args)
}

/// The issue codes of the first verdict.
fn codes(out: &Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&out.stdout);
    let first: Value = serde_json::from_str(text.lines().next().expect("a verdict")).expect("json");
    crate::issue_codes(&first)
}

/// A person whose ID number says born 2026-11-29 (female, check character right).
const BORN_2026_11_29: &str = "tests/vectors/2.0/invalid/id-number-birthdate-after-now.json";
/// The same birth in a 1.0 record.
const BORN_2026_11_29_V1: &str = "tests/vectors/1.0/invalid/id-number-birthdate-after-now.json";

#[test]
fn the_birth_date_inside_a_number_is_judged_at_now_whatever_the_day() {
    for file in [BORN_2026_11_29, BORN_2026_11_29_V1] {
        for (now, valid) in [
            // 2026-11-28 23:59 in China: the person is not born yet.
            ("2026-11-28T23:59:59+08:00", false),
            // The same instant written in UTC is still the 28th in China.
            ("2026-11-28T15:59:59Z", false),
            // Born today in China (it is still the 28th in UTC).
            ("2026-11-28T16:00:00Z", true),
            ("2031-01-01T00:00:00+08:00", true),
            // Long before: the 2020 clock cannot accept a 2026 birth.
            ("2020-01-01T00:00:00+08:00", false),
        ] {
            let out = dsti(&["validate", "--format", "ndjson", "--now", now, file]);
            assert_eq!(
                out.status.code(),
                Some(if valid { 0 } else { 1 }),
                "{file} at {now}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            if !valid {
                assert_eq!(codes(&out), ["id-number.birthdate"], "{file} at {now}");
            }
        }
    }
}

/// A 1.0 completion of one day (span 86 399 s) with 30 class hours and a pilot credit code
/// that fails the check character.
const PILOT_V1: &str = "tests/vectors/1.0/invalid/uscc-checksum-pilot-without-profile.json";

fn profile_file(name: &str, json: &str) -> PathBuf {
    let dir = crate::scratch(&format!("edges-{name}"));
    let path = dir.join("profile.json");
    std::fs::write(&path, json).expect("write profile");
    path
}

#[test]
fn a_profile_changes_1_0_verdicts() {
    let now = "2026-11-28T12:00:00+08:00";
    let default = dsti(&["validate", "--format", "ndjson", "--now", now, PILOT_V1]);
    assert_eq!(codes(&default), ["uscc.checksum"]);

    // The allow-list admits the pilot code: the record is valid.
    let allow = profile_file(
        "allow",
        r#"{"profile":"pilot","usccAllowList":["91350100M0001TGQXM"]}"#,
    );
    let allow = allow.to_str().expect("utf-8 path");
    let out = dsti(&[
        "validate",
        "--format",
        "ndjson",
        "--now",
        now,
        "--profile",
        allow,
        PILOT_V1,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // 60-minute class hours: 30 of them need 108 000 s, more than one day's 86 399 s.
    let hour = profile_file(
        "hour",
        r#"{"profile":"hour","minutesPerClassHour":60,"usccAllowList":["91350100M0001TGQXM"]}"#,
    );
    let hour = hour.to_str().expect("utf-8 path");
    let out = dsti(&[
        "validate",
        "--format",
        "ndjson",
        "--now",
        now,
        "--profile",
        hour,
        PILOT_V1,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&out), ["completion.hours-implausible"]);
}

#[test]
fn dsti_migrate_takes_the_profile() {
    let refused = dsti(&[
        "migrate",
        "--to",
        "2.0",
        "--report-format",
        "json",
        PILOT_V1,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("uscc.checksum"));

    let allow = profile_file(
        "migrate",
        r#"{"profile":"pilot","usccAllowList":["91350100M0001TGQXM"]}"#,
    );
    let allow = allow.to_str().expect("utf-8 path");
    let out = dsti(&["migrate", "--to", "2.0", "--profile", allow, PILOT_V1]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let migrated: Value = serde_json::from_slice(&out.stdout).expect("one record");
    assert_eq!(migrated["provider"]["uscc"], "91350100M0001TGQXM");
    assert_eq!(migrated["schemaVersion"], "2.0");

    // The migrated record validates under 2.0 with the same profile.
    let profile =
        Profile::from_json(r#"{"profile":"pilot","usccAllowList":["91350100M0001TGQXM"]}"#)
            .expect("profile");
    let validator = Validator::new(Options::default().profile(profile));
    assert!(validator.validate_value(&migrated).is_valid());
}

#[test]
fn library_migration_takes_the_rule_context() {
    let record: Value =
        serde_json::from_slice(&std::fs::read(root().join(PILOT_V1)).expect("read")).expect("json");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00+08:00").expect("now");
    let default = RuleContext::new(Profile::default(), now, Lang::En);
    assert!(matches!(
        migrate_in(&default, &record, Version::V2_0).report.outcome,
        Outcome::Refused { .. }
    ));
    let pilot = Profile::from_json(r#"{"profile":"pilot","usccAllowList":["91350100M0001TGQXM"]}"#)
        .expect("profile");
    let ctx = RuleContext::new(pilot, now, Lang::En);
    let outcome = migrate_in(&ctx, &record, Version::V2_0);
    assert!(outcome.record.is_some(), "{:?}", outcome.report);
}

#[test]
fn profile_values_out_of_range_exit_two() {
    for (name, json) in [
        ("mpch", r#"{"profile":"x","minutesPerClassHour":241}"#),
        ("cap", r#"{"profile":"x","dailyStudyCapMinutes":0}"#),
        ("allow", r#"{"profile":"x","usccAllowList":["123"]}"#),
    ] {
        let path = profile_file(name, json);
        let path = path.to_str().expect("utf-8 path");
        let out = dsti(&["validate", "--profile", path, BORN_2026_11_29]);
        assert_eq!(out.status.code(), Some(2), "{json}");
        let out = dsti(&["migrate", "--to", "1.0", "--profile", path, BORN_2026_11_29]);
        assert_eq!(out.status.code(), Some(2), "{json}");
    }
}
