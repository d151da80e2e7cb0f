//! `dsti keys generate` → `dsti sign` → `dsti verify`, and `dsti status-list build`: the README's
//! round trip and each of its failures, with exit codes and verdict lines.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::{dsti_in as dsti, generate, issue_codes as codes, keys_generate, ok, scratch};

const NOW: &str = "2026-05-01T09:00:00+08:00";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write");
}

/// The verdict lines of an NDJSON report, without the summary.
fn verdicts(out: &Output) -> Vec<Value> {
    crate::ndjson(&out.stdout)
        .into_iter()
        .filter(|v| v.get("summary").is_none())
        .collect()
}

/// `dsti sign --key key` with the further `options`, of `file`.
fn sign(dir: &Path, key: &str, options: &[&str], file: &str) -> Output {
    let mut args = vec!["sign", "--key", key];
    args.extend_from_slice(options);
    args.push(file);
    dsti(dir, &args)
}

/// `dsti verify --keys keys` with the further `options`, of `file`.
fn verify(dir: &Path, keys: &str, options: &[&str], file: &str) -> Output {
    let mut args = vec!["verify", "--keys", keys];
    args.extend_from_slice(options);
    args.push(file);
    dsti(dir, &args)
}

/// `dsti verify --keys keys/jwks.json --format ndjson file`.
fn verify_ndjson(dir: &Path, file: &str) -> Output {
    verify(dir, "keys/jwks.json", &["--format", "ndjson"], file)
}

/// 2.1 certificates, each with an entry in the revocation list at `https://certs.example.cn/rl/1`;
/// the third one revoked.
fn certificates(dir: &Path) -> String {
    let out = generate(dir, "certificate", "4", &["--seed", "11"]);
    let mut lines = Vec::new();
    for (i, line) in String::from_utf8_lossy(&out).lines().enumerate() {
        let mut record: Value = serde_json::from_str(line).expect("record");
        // credentialStatus exists from 2.1 on.
        record["schemaVersion"] = "2.1".into();
        record["credentialStatus"] = serde_json::json!({
            "statusListCredential": "https://certs.example.cn/rl/1",
            "statusListIndex": (40_000 + 7 * i).to_string(),
            "statusPurpose": "revocation",
        });
        if i == 2 {
            record["status"] = "revoked".into();
            record["statusReason"] = "证书持有人资格被取消".into();
        }
        lines.push(record.to_string());
    }
    lines.join("\n") + "\n"
}

#[test]
fn round_trip_and_its_failures() {
    for alg in ["ed25519", "sm2"] {
        let dir = scratch(&format!("sign-{alg}"));
        ok(keys_generate(
            &dir,
            alg,
            "https://certs.example.cn/keys/1",
            "keys",
        ));
        for file in ["key.jwk", "key.pem", "public.pem", "jwks.json"] {
            assert!(dir.join("keys").join(file).is_file(), "{file}");
        }
        let jwks = std::fs::read_to_string(dir.join("keys/jwks.json")).expect("jwks");
        let jwk = std::fs::read_to_string(dir.join("keys/key.jwk")).expect("jwk");
        let d = serde_json::from_str::<Value>(&jwk).expect("jwk")["d"]
            .as_str()
            .expect("d")
            .to_owned();
        assert!(!jwks.contains(&d), "the JWKS holds no private part");
        // Never over an existing key.
        let again = keys_generate(&dir, alg, "urn:dsti:other", "keys");
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
        let bad_kid = keys_generate(&dir, alg, "not a uri", "bad");
        assert_eq!(bad_kid.status.code(), Some(2), "a kid is a URI");
        assert!(!dir.join("bad").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("keys/key.jwk")).expect("jwk"),
            jwk
        );

        write(&dir, "certs.ndjson", certificates(&dir).as_bytes());
        let signed = ok(sign(&dir, "keys/key.jwk", &["--now", NOW], "certs.ndjson"));
        write(&dir, "signed.ndjson", &signed);
        let original = std::fs::read_to_string(dir.join("certs.ndjson")).expect("certs");
        for (before, after) in original
            .lines()
            .zip(String::from_utf8_lossy(&signed).lines())
        {
            let mut before: Value = serde_json::from_str(before).expect("record");
            let mut after: Value = serde_json::from_str(after).expect("signed");
            let proof = after
                .as_object_mut()
                .expect("object")
                .remove("proof")
                .expect("proof");
            assert_eq!(proof["kid"], "https://certs.example.cn/keys/1");
            assert_eq!(proof["created"], NOW);
            assert_eq!(after["schemaVersion"], "2.1");
            before["schemaVersion"] = "2.1".into();
            assert_eq!(before, after);
        }
        // 2.1 records are not rewritten: the proof is appended to their text.
        for (before, after) in original
            .lines()
            .zip(String::from_utf8_lossy(&signed).lines())
        {
            assert!(
                after.starts_with(before.trim_end_matches('}')),
                "the record's text is kept"
            );
        }
        // The signed records are valid 2.1 records.
        let out = dsti(&dir, &["validate", "--format", "ndjson", "signed.ndjson"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        // Signing again replaces the proof; a 1.0 record cannot be signed.
        let resigned = ok(sign(&dir, "keys/key.jwk", &["--now", NOW], "signed.ndjson"));
        write(&dir, "resigned.ndjson", &resigned);
        let out = verify(&dir, "keys/jwks.json", &[], "resigned.ndjson");
        assert_eq!(out.status.code(), Some(0));
        let v1 = generate(&dir, "certificate", "1", &["--version", "1.0"]);
        write(&dir, "v1.ndjson", &v1);
        let out = sign(&dir, "keys/key.jwk", &[], "v1.ndjson");
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("dsti migrate --to 2.1"));

        // All verified: exit 0, one verdict per record.
        let out = verify_ndjson(&dir, "signed.ndjson");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let lines = verdicts(&out);
        assert_eq!(lines.len(), 4);
        assert!(lines
            .iter()
            .all(|v| v["valid"] == true && v["kind"] == "certificate"));
        assert_eq!(lines[3]["line"], 4);

        // One changed byte, one removed proof: each its own code, exit 1.
        let mut text = String::from_utf8_lossy(&signed).into_owned();
        text = text.replacen("\"status\":\"valid\"", "\"status\":\"suspended\"", 1);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut bare: Value = serde_json::from_str(&lines[3]).expect("record");
        bare.as_object_mut().expect("object").remove("proof");
        lines[3] = bare.to_string();
        write(
            &dir,
            "tampered.ndjson",
            (lines.join("\n") + "\n").as_bytes(),
        );
        let out = verify_ndjson(&dir, "tampered.ndjson");
        assert_eq!(out.status.code(), Some(1));
        let found: Vec<Vec<String>> = verdicts(&out).iter().map(codes).collect();
        assert_eq!(found[0], ["signature.invalid"]);
        assert!(found[1].is_empty());
        assert_eq!(found[3], ["signature.missing"]);

        // A key set without the signer's key.
        ok(keys_generate(
            &dir,
            alg,
            "https://other.example.cn/k",
            "other",
        ));
        let out = verify(
            &dir,
            "other/jwks.json",
            &["--format", "json"],
            "signed.ndjson",
        );
        assert_eq!(out.status.code(), Some(1));
        let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
        assert_eq!(report["summary"]["invalid"], 4);
        assert_eq!(codes(&report["records"][0]), ["signature.unknown-key"]);

        // Status: the revoked certificate's bit is set; the others' are not.
        let list = ok(dsti(
            &dir,
            &[
                "status-list",
                "build",
                "--purpose",
                "revocation",
                "--url",
                "https://certs.example.cn/rl/1",
                "--now",
                NOW,
                "signed.ndjson",
            ],
        ));
        write(&dir, "rl.json", &list);
        let credential: Value = serde_json::from_slice(&list).expect("credential");
        assert_eq!(
            credential["credentialSubject"]["statusPurpose"],
            "revocation"
        );
        let out = verify(
            &dir,
            "keys/jwks.json",
            &["--status", "rl.json", "--format", "ndjson"],
            "signed.ndjson",
        );
        assert_eq!(out.status.code(), Some(1));
        let found: Vec<Vec<String>> = verdicts(&out).iter().map(codes).collect();
        assert_eq!(
            found,
            [vec![], vec![], vec!["status.revoked".to_owned()], vec![]]
        );
        // A suspension list built from the same file sets nothing: no certificate is suspended
        // there, and none names a suspension list.
        let list = ok(dsti(
            &dir,
            &[
                "status-list",
                "build",
                "--purpose",
                "suspension",
                "--url",
                "https://certs.example.cn/rl/1",
                "signed.ndjson",
            ],
        ));
        write(&dir, "sl.json", &list);
        let out = verify(
            &dir,
            "keys/jwks.json",
            &["--status", "sl.json"],
            "signed.ndjson",
        );
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("4 records: 4 verified, 0 not verified")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn batches_arrays_and_pem_keys() {
    let dir = scratch("sign-batch");
    ok(keys_generate(&dir, "ed25519", "urn:dsti:k1", "keys"));
    // A PEM key carries no kid: --kid is required.
    let out = sign(&dir, "keys/key.pem", &[], "-");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kid"));

    let people = generate(&dir, "person", "2", &["--seed", "3"]);
    let certs = generate(&dir, "certificate", "2", &["--seed", "3"]);
    // 2.0 certificates on their own: upgraded to 2.1 (the library's migration, members in the
    // standard's order), then signed, and said so.
    write(&dir, "certs.ndjson", &certs);
    let out = sign(&dir, "keys/key.jwk", &[], "certs.ndjson");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 upgraded from 2.0 to 2.1"));
    let upgraded = String::from_utf8_lossy(&ok(out)).into_owned();
    assert!(upgraded
        .lines()
        .all(|l| l.starts_with(r#"{"kind":"certificate","schemaVersion":"2.1","#)));
    let records: Vec<Value> = String::from_utf8_lossy(&people)
        .lines()
        .chain(String::from_utf8_lossy(&certs).lines())
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    let batch = serde_json::json!({
        "kind": "batch", "schemaVersion": "2.0", "id": "0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11",
        "sender": {"name": "广州市家政服务职业技能鉴定中心", "uscc": "91440101MA5CYUF35N"},
        "createdAt": "2026-04-30T10:00:00+08:00", "records": records,
    });
    write(
        &dir,
        "batch.json",
        serde_json::to_string_pretty(&batch)
            .expect("batch")
            .as_bytes(),
    );
    write(
        &dir,
        "array.json",
        serde_json::to_string_pretty(&records)
            .expect("array")
            .as_bytes(),
    );
    let out = sign(
        &dir,
        "keys/key.pem",
        &["--kid", "urn:dsti:k1"],
        "batch.json",
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("5 upgraded from 2.0 to 2.1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signed = ok(out);
    write(&dir, "signed-batch.json", &signed);
    // A 2.1 batch throughout, valid as such.
    let out = dsti(
        &dir,
        &["validate", "--format", "ndjson", "signed-batch.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let signed_batch: Value = serde_json::from_slice(&signed).expect("batch");
    assert!(signed_batch["proof"].is_object());
    assert_eq!(signed_batch["schemaVersion"], "2.1");
    assert_eq!(
        signed_batch["records"][0]["schemaVersion"], "2.1",
        "people are upgraded too"
    );
    assert!(
        signed_batch["records"][0].get("proof").is_none(),
        "a person carries no proof"
    );
    assert!(
        signed_batch["records"][2]["proof"].is_object(),
        "a certificate carries its own"
    );

    // The batch's proof covers its people; the certificates have their own.
    let out = verify_ndjson(&dir, "signed-batch.json");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines = verdicts(&out);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["envelope"]["kind"], "batch");
    // Changing a person breaks the batch's signature: the envelope fails, and so does the
    // person, whom no signature covers any more.
    let mut broken = signed_batch.clone();
    broken["records"][0]["phone"] = "13800138000".into();
    write(&dir, "broken.json", broken.to_string().as_bytes());
    let out = verify_ndjson(&dir, "broken.json");
    assert_eq!(out.status.code(), Some(1));
    let lines = verdicts(&out);
    assert_eq!(codes(&lines[0]), ["signature.missing"]);
    assert_eq!(
        codes(&lines[2]),
        Vec::<String>::new(),
        "the certificate's own proof holds"
    );
    assert_eq!(codes(&lines[4]["envelope"]), ["signature.invalid"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("13800138000"));

    // An array: certificates signed, people left as they were; lines point into the file.
    let signed = ok(sign(&dir, "keys/key.jwk", &[], "array.json"));
    write(&dir, "signed-array.json", &signed);
    let out = verify_ndjson(&dir, "signed-array.json");
    let lines = verdicts(&out);
    assert_eq!(codes(&lines[0]), ["signature.missing"]);
    assert_eq!(codes(&lines[3]), Vec::<String>::new());
    let file = String::from_utf8_lossy(&signed).into_owned();
    let file_lines: Vec<&str> = file.lines().collect();
    let mut previous = 0;
    for v in &lines {
        let n = v["line"].as_u64().expect("line");
        assert!(n > previous, "lines grow");
        previous = n;
        let text = file_lines[n as usize - 1].trim_start();
        assert!(text.starts_with('{'), "line {n} starts a record: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
