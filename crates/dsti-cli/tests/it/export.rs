//! `dsti export --to ob3|xapi`: objects on stdout or in --out, the report on stderr, exit
//! codes, the digest key, VC-JOSE securing with a `dsti keys generate` key, and that nothing
//! written carries a document number of the input.

use std::path::Path;

use serde_json::Value;

use crate::{dsti_in as dsti, generate, keys_generate, ndjson as lines, scratch};

/// Generated 2.1 records of every kind in `dir/in.ndjson`, and a digest key in `dir/key`.
fn inputs(dir: &Path) {
    let records = generate(dir, "mixed", "120", &["--seed", "11", "--version", "2.1"]);
    std::fs::write(dir.join("in.ndjson"), records).expect("write");
    std::fs::write(dir.join("key"), b"the exchange key\n").expect("write");
}

fn document_numbers(ndjson: &str) -> Vec<String> {
    ndjson
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .flat_map(|r| {
            ["holder", "learner", "document"]
                .iter()
                .filter_map(|k| {
                    let v = if *k == "document" {
                        Some(&r)
                    } else {
                        r.get(*k)
                    };
                    v?.get("document")?
                        .get("number")?
                        .as_str()
                        .map(str::to_owned)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn ob3_and_xapi_write_one_object_per_projectable_record_and_a_report() {
    let dir = scratch("export-both");
    inputs(&dir);
    let input = std::fs::read_to_string(dir.join("in.ndjson")).expect("read");
    let numbers = document_numbers(&input);
    assert!(!numbers.is_empty());
    for (to, kind) in [("ob3", "certificate"), ("xapi", "completion")] {
        let out = dsti(
            &dir,
            &[
                "export",
                "--to",
                to,
                "--digest-key-file",
                "key",
                "--format",
                "ndjson",
                "in.ndjson",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let objects = lines(&out.stdout);
        let reports = lines(&out.stderr);
        let (summary, records) = reports.split_last().expect("a summary");
        assert_eq!(records.len(), 120);
        assert_eq!(summary["summary"]["total"], 120);
        assert_eq!(summary["summary"]["projected"], objects.len());
        assert!(!objects.is_empty());
        // Every record of another kind is counted as skipped for its kind.
        for r in records {
            if r["kind"] != kind {
                assert_eq!(r["outcome"], "skipped");
                assert_eq!(r["reason"]["code"], "kind");
            }
        }
        let written = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for n in &numbers {
            assert!(
                !written.contains(n.as_str()),
                "a document number was written"
            );
        }
    }
}

#[test]
fn without_the_digest_key_raw_numbers_are_not_projected_and_the_exit_is_1() {
    let dir = scratch("export-nokey");
    inputs(&dir);
    let out = dsti(
        &dir,
        &["export", "--to", "ob3", "--out", "out.ndjson", "in.ndjson"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("no digest key was given"), "{report}");
    let written = std::fs::read_to_string(dir.join("out.ndjson")).expect("--out written");
    let input = std::fs::read_to_string(dir.join("in.ndjson")).expect("read");
    for n in document_numbers(&input) {
        assert!(!written.contains(n.as_str()));
    }
}

#[test]
fn an_invalid_record_is_refused_and_reported_in_chinese() {
    let dir = scratch("export-invalid");
    std::fs::write(
        dir.join("bad.json"),
        br#"{"kind":"certificate","schemaVersion":"2.1","id":"nope"}"#,
    )
    .expect("write");
    let out = dsti(&dir, &["export", "--to", "ob3", "--lang", "zh", "bad.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("已拒绝"), "{report}");
    assert!(report.contains("拒绝 1 条"), "{report}");
}

#[test]
fn with_a_key_each_credential_is_an_enveloped_vc_jose_credential() {
    let dir = scratch("export-jose");
    inputs(&dir);
    let out = keys_generate(&dir, "ed25519", "https://issuer.example/keys/1", "k");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dsti(
        &dir,
        &[
            "export",
            "--to",
            "ob3",
            "--digest-key-file",
            "key",
            "--key",
            "k/key.jwk",
            "in.ndjson",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = lines(&out.stdout);
    assert!(!objects.is_empty());
    for o in &objects {
        assert_eq!(o["type"], "EnvelopedVerifiableCredential");
        let id = o["id"].as_str().unwrap_or_default();
        let jws = id
            .strip_prefix("data:application/vc+jwt,")
            .expect("a vc+jwt data URL");
        assert_eq!(jws.split('.').count(), 3);
    }
    let out = dsti(
        &dir,
        &["export", "--to", "xapi", "--key", "k/key.jwk", "in.ndjson"],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The README's projected completion and its losses are what `dsti export` writes.
#[test]
fn the_readme_shows_what_export_writes() {
    let root = crate::root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let section = readme
        .split("## Projections: Open Badges 3.0 and xAPI")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the README's projections section");
    let blocks: Vec<&str> = section
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or("", |(_, body)| body))
        .collect();
    let statement: Value = blocks
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .find(|v| v.get("verb").is_some())
        .expect("the README shows a statement");
    let vector = root.join("tests/vectors/2.1/valid/completion-completed-assessed.json");
    let vector = vector.to_str().expect("UTF-8 path");
    let out = dsti(root, &["export", "--to", "xapi", vector]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out.stdout), vec![statement]);
    let report = String::from_utf8_lossy(&out.stderr);
    let losses = report
        .lines()
        .filter(|l| !l.starts_with("1 records"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        blocks.iter().any(|b| b.trim_end() == losses),
        "the README's losses of the completion differ from:\n{losses}"
    );
}

/// `--profile` and `--now` judge validity for ob3 and xapi as they do for parquet and `dsti
/// migrate`: a pilot credit code on the profile's allow-list is admitted, and records issued
/// after `--now` are refused.
#[test]
fn the_profile_and_now_decide_what_is_projected() {
    let dir = scratch("export-profile");
    let root = crate::root();
    let pilot = root.join("tests/vectors/1.0/invalid/uscc-checksum-pilot-without-profile.json");
    let pilot = pilot.to_str().expect("UTF-8 path");
    std::fs::write(dir.join("key"), b"the exchange key").expect("write");
    std::fs::write(
        dir.join("pilot.json"),
        br#"{"profile":"pilot","usccAllowList":["91350100M0001TGQXM"]}"#,
    )
    .expect("write");
    let args = ["export", "--to", "xapi", "--digest-key-file", "key"];
    let without = dsti(&dir, &[&args[..], &["--format", "ndjson", pilot]].concat());
    assert_eq!(without.status.code(), Some(1));
    assert_eq!(lines(&without.stderr)[0]["outcome"], "refused");
    let with = dsti(
        &dir,
        &[
            &args[..],
            &["--format", "ndjson", "--profile", "pilot.json", pilot],
        ]
        .concat(),
    );
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert_eq!(lines(&with.stderr)[0]["outcome"], "projected");
    assert_eq!(lines(&with.stdout).len(), 1);

    inputs(&dir);
    let summary = |now: Option<&str>| {
        let mut args = vec!["export", "--to", "ob3", "--digest-key-file", "key"];
        args.extend(["--format", "ndjson"]);
        if let Some(now) = now {
            args.extend(["--now", now]);
        }
        args.push("in.ndjson");
        let out = dsti(&dir, &args);
        let reports = lines(&out.stderr);
        reports.last().expect("a summary")["summary"].clone()
    };
    let today = summary(None);
    assert!(today["projected"].as_u64() > Some(0), "{today}");
    assert_eq!(today["refused"], 0, "{today}");
    let long_ago = summary(Some("2000-01-01T00:00:00+08:00"));
    assert_eq!(long_ago["projected"], 0, "{long_ago}");
    assert!(long_ago["refused"].as_u64() > Some(0), "{long_ago}");
    let out = dsti(
        &dir,
        &["export", "--to", "ob3", "--now", "soon", "in.ndjson"],
    );
    assert_eq!(out.status.code(), Some(2));
}
