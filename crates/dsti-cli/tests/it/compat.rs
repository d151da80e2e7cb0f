//! `dsti compat`: every change class on a fixture pair under `tests/compat/<case>/{old,new}/`,
//! the current version against itself, and 1.0 against 2.0 — through the library (with this
//! crate's loaders) and the binary.

use std::process::Command;

use dsti::compat::{self, ChangeClass, Mode};
use dsti_cli::load::load;

use crate::root;

/// (fixture, expected class, path, breaks backward, breaks forward)
const CASES: &[(&str, ChangeClass, &str, bool, bool)] = &[
    (
        "optional-field-added",
        ChangeClass::OptionalFieldAdded,
        "/email",
        false,
        true,
    ),
    (
        "optional-field-removed",
        ChangeClass::OptionalFieldRemoved,
        "/phone",
        true,
        false,
    ),
    (
        "required-field-added",
        ChangeClass::RequiredFieldAdded,
        "/birthDate",
        true,
        true,
    ),
    (
        "required-field-removed",
        ChangeClass::RequiredFieldRemoved,
        "/name",
        true,
        true,
    ),
    (
        "became-required",
        ChangeClass::BecameRequired,
        "/gender",
        true,
        false,
    ),
    (
        "became-optional",
        ChangeClass::BecameOptional,
        "/name",
        false,
        true,
    ),
    (
        "enum-value-added",
        ChangeClass::EnumValueAdded,
        "/gender",
        false,
        true,
    ),
    (
        "enum-value-removed",
        ChangeClass::EnumValueRemoved,
        "/gender",
        true,
        false,
    ),
    (
        "pattern-tightened",
        ChangeClass::PatternTightened,
        "/phone",
        true,
        false,
    ),
    (
        "pattern-loosened",
        ChangeClass::PatternLoosened,
        "/phone",
        false,
        true,
    ),
    (
        "pattern-changed",
        ChangeClass::PatternChanged,
        "/phone",
        true,
        true,
    ),
    (
        "bound-tightened",
        ChangeClass::BoundTightened,
        "/name",
        true,
        false,
    ),
    (
        "bound-loosened",
        ChangeClass::BoundLoosened,
        "/score",
        false,
        true,
    ),
    (
        "min-items-tightened",
        ChangeClass::BoundTightened,
        "/tags",
        true,
        false,
    ),
    (
        "type-changed",
        ChangeClass::TypeChanged,
        "/score",
        true,
        true,
    ),
    (
        "additional-properties-changed",
        ChangeClass::AdditionalPropertiesChanged,
        "",
        false,
        true,
    ),
    (
        "const-changed",
        ChangeClass::ConstChanged,
        "/kind",
        true,
        true,
    ),
    (
        "nested-field-added",
        ChangeClass::OptionalFieldAdded,
        "/address/street",
        false,
        true,
    ),
    ("kind-added", ChangeClass::KindAdded, "", false, true),
    ("kind-removed", ChangeClass::KindRemoved, "", true, false),
    (
        "format-changed",
        ChangeClass::FormatChanged,
        "/name",
        true,
        false,
    ),
];

fn dsti(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dsti"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run dsti");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_change_class_is_found_and_judged() {
    let mut seen = std::collections::BTreeSet::new();
    for &(case, class, path, back, fwd) in CASES {
        let dir = root().join("tests/compat").join(case);
        let old = load(&dir.join("old").to_string_lossy()).expect("old");
        let new = load(&dir.join("new").to_string_lossy()).expect("new");
        let changes = compat::compare_sets(&old, &new);
        assert_eq!(changes.len(), 1, "{case}: {changes:#?}");
        let c = &changes[0];
        assert_eq!(
            (
                c.class,
                c.path.as_str(),
                c.breaks_backward,
                c.breaks_forward
            ),
            (class, path, back, fwd),
            "{case}: {c}"
        );
        seen.insert(class);
        // The binary agrees, in every mode.
        let (o, n) = (
            format!("tests/compat/{case}/old"),
            format!("tests/compat/{case}/new"),
        );
        for (mode, broken) in [("backward", back), ("forward", fwd), ("full", back || fwd)] {
            let (code, stdout, stderr) = dsti(&["compat", &o, &n, "--mode", mode]);
            assert_eq!(
                code,
                i32::from(broken),
                "{case} --mode {mode}: {stdout}{stderr}"
            );
            assert!(stdout.contains(class.as_str()), "{case}: {stdout}");
        }
        let (code, stdout, _) = dsti(&["compat", &o, &n, "--format", "json"]);
        assert_eq!(code, i32::from(back), "{case} default mode is backward");
        let report: serde_json::Value = serde_json::from_str(&stdout).expect("json report");
        assert_eq!(report["mode"], "backward");
        assert_eq!(report["compatible"], !back);
        assert_eq!(report["changes"][0]["class"], class.as_str());
    }
    assert!(seen.len() >= 19, "classes covered: {seen:?}");
}

#[test]
fn the_current_version_is_compatible_with_itself() {
    let set = load("schemas/2.0").or_else(|_| load(&root().join("schemas/2.0").to_string_lossy()));
    let set = set.expect("schemas/2.0");
    assert!(compat::compare_sets(&set, &set).is_empty());
    for (old, new) in [
        ("schemas/2.0", "schemas/2.0"),
        ("schemas#2.0", "2.0"),
        ("schemas/index.json#2.0", "schemas/2.0"),
    ] {
        let (code, stdout, stderr) = dsti(&["compat", old, new, "--mode", "full"]);
        assert_eq!(code, 0, "{old} {new}: {stdout}{stderr}");
        assert!(stdout.contains("0 change(s)"), "{stdout}");
    }
}

#[test]
fn usage_and_io_errors_exit_2() {
    for args in [
        &["compat", "no/such/dir", "schemas/2.0"][..],
        &["compat", "schemas/index.json", "schemas/2.0"],
        &["compat", "schemas/2.0", "schemas/2.0", "--mode", "sideways"],
        &["compat", "schemas/2.0"],
    ] {
        let (code, _, stderr) = dsti(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn one_point_zero_to_two_point_zero_breaks_backward_compatibility() {
    if dsti::schema::kinds(dsti::Version::V1_0).is_empty() {
        println!("SKIPPED: no 1.0 schemas yet");
        return;
    }
    let old = load("1.0").expect("1.0");
    let new = load("2.0").expect("2.0");
    let changes = compat::compare_sets(&old, &new);
    assert!(changes.len() > 10, "{changes:#?}");
    assert!(compat::is_broken(&changes, Mode::Backward));
    assert!(changes
        .iter()
        .any(|c| c.class == ChangeClass::KindAdded && c.kind == "batch"));
    assert!(changes
        .iter()
        .any(|c| c.class == ChangeClass::RequiredFieldAdded && c.path == "/id"));
    let (code, stdout, _) = dsti(&["compat", "schemas/1.0", "schemas/2.0"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("INCOMPATIBLE"));
}

#[test]
fn two_point_zero_to_two_point_one_is_backward_compatible() {
    let old = load("2.0").expect("2.0");
    let new = load("2.1").expect("2.1");
    let changes = compat::compare_sets(&old, &new);
    assert!(!compat::is_broken(&changes, Mode::Backward), "{changes:#?}");
    // New readers accept old data, not the reverse: 2.1 adds optional fields.
    assert!(compat::is_broken(&changes, Mode::Forward));
    for (kind, path) in [
        ("certificate", "/proof"),
        ("certificate", "/credentialStatus"),
        ("course", "/programmeKind"),
        ("batch", "/proof"),
    ] {
        assert!(
            changes
                .iter()
                .any(|c| c.class == ChangeClass::OptionalFieldAdded
                    && c.kind == kind
                    && c.path == path),
            "{kind} {path}: {changes:#?}"
        );
    }
    let (code, stdout, _) = dsti(&["compat", "schemas/2.0", "schemas/2.1"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = dsti(&["compat", "schemas/2.0", "schemas/2.1", "--mode", "full"]);
    assert_eq!(code, 1, "{stdout}");
}
