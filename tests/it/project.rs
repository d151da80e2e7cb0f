//! Projections (`dsti::project`): generated certificates as Open Badges 3.0 credentials valid
//! under 1EdTech's published schema, generated completions as xAPI statements, the mapping of
//! each field, durations and UTC times, loss reports, skips and refusals, VC-JOSE securing,
//! and that no document number, name or phone of the input reaches any output or report.

use dsti::privacy::{DigestAlgorithm, DigestKey};
use dsti::project::{
    self, enveloped, ob3, project_value, secure_jose, xapi, Options, Outcome, Projected, Skip,
    Target,
};
use dsti::report::Format;
use dsti::synth::v2_1::Generator21;
use dsti::text::Lang;
use dsti::validate::InputFormat;
use dsti::Kind;
use serde_json::{json, Value};

use crate::root;

const KEY: &[u8] = b"exchange digest key for tests";

fn options() -> Options {
    Options::default().digest_key(DigestKey::new(KEY))
}

fn generated(kind: Option<Kind>, count: usize, seed: u64) -> Vec<Value> {
    let mut g = Generator21::new(seed);
    (0..count)
        .map(|_| serde_json::to_value(g.record(kind)).expect("records serialize"))
        .collect()
}

/// The credential of a valid generated certificate.
fn valid_credential() -> Value {
    let record = generated(Some(Kind::Certificate), 40, 3)
        .into_iter()
        .find(|r| r["status"] == "valid")
        .expect("a valid certificate");
    project_value(&record, Target::Ob3, &options())
        .output
        .expect("projected")
}

fn ob3_schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("tests/ob3/ob_v3p0_achievementcredential_schema.json"))
            .expect("the committed OB 3.0 schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft201909::options()
        .build(&schema)
        .expect("the schema compiles")
}

/// The keyed digest a record's person carries or gets.
fn expected_digest(person: &Value) -> Option<String> {
    if let Some(d) = person.get("documentDigest").and_then(Value::as_str) {
        return Some(d.to_owned());
    }
    let document: dsti::ident::IdDocument =
        serde_json::from_value(person.get("document")?.clone()).ok()?;
    Some(
        document
            .digest(&DigestKey::new(KEY), DigestAlgorithm::HmacSm3)
            .as_str()
            .to_owned(),
    )
}

#[test]
fn generated_certificates_project_to_credentials_valid_under_the_ob3_schema() {
    let schema = ob3_schema();
    let mut projected = 0;
    for record in generated(Some(Kind::Certificate), 300, 17) {
        let out = project_value(&record, Target::Ob3, &options());
        let status = record["status"].as_str().unwrap_or_default();
        let Some(credential) = out.output else {
            assert_eq!(
                out.report.outcome,
                Outcome::Skipped {
                    reason: Skip::NotInForce
                },
                "only certificates not in force without a status entry are skipped"
            );
            assert_ne!(status, "valid");
            assert!(record.get("credentialStatus").is_none());
            continue;
        };
        projected += 1;
        let errors: Vec<String> = schema
            .iter_errors(&credential)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            credential["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(credential["@context"][0], ob3::VC_CONTEXT);
        assert_eq!(
            credential["id"],
            format!("urn:uuid:{}", record["id"].as_str().unwrap_or_default())
        );
        let subject = &credential["credentialSubject"];
        assert_eq!(subject["licenseNumber"], record["number"]);
        let digest = expected_digest(&record["holder"])
            .expect("generated holders have a document or digest");
        assert_eq!(
            subject["identifier"][0]["identityHash"],
            ob3::identity_hash(&digest)
        );
        assert_eq!(subject["identifier"][0]["hashed"], true);
        assert_eq!(
            subject["achievement"]["alignment"][0]["targetCode"],
            record["occupation"]["code"]
        );
        match record.get("level") {
            Some(level) => assert_eq!(subject["result"][0]["value"], *level),
            None => assert!(subject.get("result").is_none()),
        }
        let issued = record["issuedOn"].as_str().unwrap_or_default();
        assert_eq!(credential["validFrom"], format!("{issued}T00:00:00+08:00"));
        match record.get("credentialStatus") {
            Some(entry) => {
                let got = &credential["credentialStatus"];
                assert_eq!(got["type"], "BitstringStatusListEntry");
                assert_eq!(got["statusPurpose"], entry["statusPurpose"]);
                assert_eq!(got["statusListCredential"], entry["statusListCredential"]);
                assert_eq!(
                    got["statusListIndex"].as_str(),
                    Some(entry["statusListIndex"].to_string().trim_matches('"'))
                );
            }
            None => assert!(credential.get("credentialStatus").is_none()),
        }
        assert!(out.report.losses.iter().any(|l| l.path == "/holderName"));
    }
    assert!(projected > 200, "{projected} of 300 projected");
}

#[test]
fn the_published_schema_rejects_what_it_should() {
    // The committed schema is the real one: a credential without its subject's achievement,
    // or with an identity object carrying an unknown member, fails.
    let schema = ob3_schema();
    let credential = valid_credential();
    assert!(schema.is_valid(&credential));
    let mut broken = credential.clone();
    broken["credentialSubject"]
        .as_object_mut()
        .expect("object")
        .remove("achievement");
    assert!(!schema.is_valid(&broken));
    let mut broken = credential;
    broken["credentialSubject"]["identifier"][0]["number"] = json!("x");
    assert!(!schema.is_valid(&broken));
}

#[test]
fn generated_completions_project_to_statements() {
    let duration_shape = |d: &str| {
        let rest = d.strip_prefix("PT").unwrap_or("");
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, 'H' | 'M' | 'S' | '.'))
    };
    let mut projected = 0;
    for record in generated(Some(Kind::Completion), 300, 5) {
        let out = project_value(&record, Target::Xapi, &options());
        let status = record["status"].as_str().unwrap_or_default();
        let Some(statement) = out.output else {
            assert!(
                matches!(status, "enrolled" | "in-progress" | "withdrawn"),
                "{status}"
            );
            assert_eq!(
                out.report.outcome,
                Outcome::Skipped {
                    reason: Skip::NotFinished
                }
            );
            continue;
        };
        projected += 1;
        assert_eq!(statement["id"], record["id"]);
        let account = &statement["actor"]["account"];
        assert_eq!(account["homePage"], project::DEFAULT_HOME_PAGE);
        match expected_digest(&record["learner"]) {
            Some(d) => assert_eq!(account["name"], d),
            None => assert_eq!(
                account["name"],
                format!(
                    "urn:uuid:{}",
                    record["learner"]["personId"].as_str().unwrap_or_default()
                )
            ),
        }
        let verb = statement["verb"]["id"].as_str().unwrap_or_default();
        let expected = match (status, record.get("assessment")) {
            (_, Some(a)) if a["passed"] == true => xapi::Verb::Passed,
            (_, Some(_)) => xapi::Verb::Failed,
            ("completed", None) => xapi::Verb::Completed,
            _ => xapi::Verb::Failed,
        };
        assert_eq!(verb, expected.id());
        assert_eq!(
            statement["object"]["id"],
            format!(
                "urn:dsti:course:{}",
                record["course"]["id"].as_str().unwrap_or_default()
            )
        );
        let result = &statement["result"];
        assert_eq!(result["completion"], status == "completed");
        if let Some(a) = record.get("assessment") {
            assert_eq!(
                result["score"]["raw"],
                a["score"].as_f64().map(|v| json!(v)).unwrap_or_default()
            );
            assert_eq!(result["success"], a["passed"]);
            let scaled = result["score"]["scaled"].as_f64().unwrap_or(2.0);
            assert!((-1.0..=1.0).contains(&scaled));
        }
        let duration = result["duration"].as_str().unwrap_or_default();
        assert!(duration_shape(duration), "{duration}");
        // The timestamp is the completion's instant, in UTC.
        let ts = statement["timestamp"].as_str().unwrap_or_default();
        assert!(ts.ends_with('Z'), "{ts}");
        let source = record
            .get("completedAt")
            .or_else(|| record.get("assessment").and_then(|a| a.get("assessedAt")))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let a = chrono::DateTime::parse_from_rfc3339(ts).expect("RFC 3339");
        let b = chrono::DateTime::parse_from_rfc3339(source).expect("RFC 3339");
        assert_eq!(a, b);
        assert!(out.report.losses.iter().any(|l| l.path == "/provider"));
    }
    assert!(projected > 100, "{projected} of 300 projected");
}

#[test]
fn the_vector_completion_maps_field_by_field() {
    let text = std::fs::read_to_string(
        root().join("tests/vectors/2.1/valid/completion-completed-assessed.json"),
    )
    .expect("vector");
    let record: Value = serde_json::from_str(&text).expect("JSON");
    let out = project_value(
        &record,
        Target::Xapi,
        &Options::default().home_page("https://lrs.example/"),
    );
    let s = out.output.expect("projected");
    assert_eq!(s["actor"]["account"]["homePage"], "https://lrs.example/");
    assert_eq!(
        s["actor"]["account"]["name"],
        "urn:uuid:00000000-0000-4000-8000-000000000002"
    );
    assert_eq!(s["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
    assert_eq!(
        s["object"]["definition"]["name"]["zh-CN"],
        "母婴护理员岗前培训"
    );
    assert_eq!(
        s["result"]["score"],
        json!({"raw": 86.5, "min": 0, "max": 100.0, "scaled": 0.865})
    );
    // 1800 study minutes, not the 64 class hours.
    assert_eq!(s["result"]["duration"], "PT30H");
    // 17:00 in Beijing is 09:00 UTC.
    assert_eq!(s["timestamp"], "2026-03-20T09:00:00Z");
    let paths: Vec<&str> = out.report.losses.iter().map(|l| l.path.as_str()).collect();
    for p in [
        "/course/code",
        "/provider",
        "/trainingType",
        "/deliveryMode",
        "/assessment/method",
        "/assessment/passScore",
        "/onlineLearning/faceChecks",
        "/creditsEarned",
        "/startedAt",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[test]
fn kinds_that_do_not_project_and_invalid_records_are_counted() {
    let person = generated(Some(Kind::Person), 1, 1).remove(0);
    let course = generated(Some(Kind::Course), 1, 1).remove(0);
    let certificate = generated(Some(Kind::Certificate), 1, 1).remove(0);
    for (record, target) in [
        (&person, Target::Ob3),
        (&person, Target::Xapi),
        (&course, Target::Ob3),
        (&certificate, Target::Xapi),
    ] {
        let out = project_value(record, target, &options());
        assert!(out.output.is_none());
        assert_eq!(out.report.outcome, Outcome::Skipped { reason: Skip::Kind });
    }
    let mut invalid = certificate.clone();
    invalid["number"] = json!("not a number");
    let out = project_value(&invalid, Target::Ob3, &options());
    assert!(out.output.is_none());
    match out.report.outcome {
        Outcome::Refused { reason } => assert_eq!(reason.code(), "invalid"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_raw_document_needs_the_digest_key() {
    let record = generated(Some(Kind::Certificate), 50, 9)
        .into_iter()
        .find(|r| r["holder"].get("document").is_some() && r["status"] == "valid")
        .expect("a certificate with a raw document");
    let out = project_value(&record, Target::Ob3, &Options::default());
    assert_eq!(
        out.report.outcome,
        Outcome::Skipped {
            reason: Skip::NoDigestKey
        }
    );
    assert!(project_value(&record, Target::Ob3, &options())
        .output
        .is_some());
}

#[test]
fn older_versions_are_upgraded_first() {
    let mut g = dsti::synth::v1::Generator::new(4);
    let mut projected = 0;
    for _ in 0..60 {
        let record = serde_json::to_value(g.certificate()).expect("JSON");
        let out = project_value(&record, Target::Ob3, &options());
        assert_eq!(out.report.from, Some(dsti::Version::V1_0));
        if out.output.is_some() {
            projected += 1;
        }
    }
    assert!(projected > 0);
}

/// Strings of the input that must never be written: document numbers, names, phones.
fn sensitive(value: &Value, parent: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let secret = matches!(
                    (parent, k.as_str()),
                    ("document", "number")
                        | ("", "name")
                        | (_, "holderName" | "participantName" | "idCardNo" | "phone")
                );
                if secret {
                    if let Some(s) = v.as_str() {
                        out.push(s.to_owned());
                    }
                    if let Value::Object(parts) = v {
                        out.extend(parts.values().filter_map(Value::as_str).map(str::to_owned));
                    }
                }
                sensitive(v, k, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| sensitive(v, parent, out)),
        _ => {}
    }
}

fn everything_written(outs: &[Projected]) -> String {
    let mut text = String::new();
    for out in outs {
        if let Some(o) = &out.output {
            text.push_str(&o.to_string());
        }
    }
    for format in [Format::Text, Format::Json, Format::Ndjson] {
        for lang in [Lang::En, Lang::Zh] {
            let mut buf = Vec::new();
            let mut w =
                project::ProjectionReportWriter::new(&mut buf, format, lang).expect("writer");
            for out in outs {
                w.write(&out.report).expect("write");
            }
            w.finish().expect("finish");
            text.push_str(&String::from_utf8_lossy(&buf));
        }
    }
    text
}

#[test]
fn no_output_or_report_carries_a_number_name_or_phone() {
    let mut inputs = generated(None, 400, 23);
    let mut g1 = dsti::synth::v1::Generator::new(23);
    for _ in 0..100 {
        inputs.push(serde_json::to_value(g1.certificate()).expect("JSON"));
        inputs.push(serde_json::to_value(g1.completion()).expect("JSON"));
        inputs.push(serde_json::to_value(g1.person()).expect("JSON"));
    }
    // Invalid records too: their refusals must not quote them.
    let mut broken = inputs[0].clone();
    broken["schemaVersion"] = json!("9.9");
    inputs.push(broken);
    let mut secrets = Vec::new();
    for record in &inputs {
        sensitive(record, "", &mut secrets);
    }
    secrets.retain(|s| s.chars().count() >= 2);
    assert!(secrets.len() > 300, "{} secrets", secrets.len());
    for target in [Target::Ob3, Target::Xapi] {
        let outs: Vec<Projected> = inputs
            .iter()
            .map(|r| project_value(r, target, &options()))
            .collect();
        assert!(outs.iter().any(|o| o.output.is_some()));
        let text = everything_written(&outs);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{target:?} wrote a sensitive value"
            );
        }
    }
}

#[test]
fn an_upload_streams_through_project_reader() {
    let mut text = String::new();
    for r in generated(None, 50, 8) {
        text.push_str(&r.to_string());
        text.push('\n');
    }
    let options = options();
    let outs: Vec<Projected> =
        project::project_reader(text.as_bytes(), InputFormat::Auto, Target::Ob3, &options)
            .expect("reader")
            .collect::<Result<_, _>>()
            .expect("records");
    assert_eq!(outs.len(), 50);
    let indexes: Vec<u64> = outs.iter().map(|o| o.report.index).collect();
    assert_eq!(indexes, (0..50).collect::<Vec<u64>>());
    let mut buf = Vec::new();
    let mut w =
        project::ProjectionReportWriter::new(&mut buf, Format::Text, Lang::Zh).expect("writer");
    for o in &outs {
        w.write(&o.report).expect("write");
    }
    let (p, s, r) = w.finish().expect("finish");
    assert_eq!(p + s + r, 50);
    assert_eq!(p, outs.iter().filter(|o| o.output.is_some()).count() as u64);
    let report = String::from_utf8(buf).expect("UTF-8");
    assert!(report.contains(&format!("已投射 {p} 条")), "{report}");
    assert!(report.contains("丢失 /holderName"));
}

#[test]
fn a_secured_credential_is_a_jws_over_the_credential() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let key = dsti::sign::keys::PrivateKey::ed25519_from_seed(&[7; 32])
        .with_kid("https://issuer.example/keys/1");
    let credential = valid_credential();
    let jws = secure_jose(&credential, &key).expect("signed");
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("JSON");
    assert_eq!(
        header,
        json!({"alg": "EdDSA", "kid": "https://issuer.example/keys/1", "typ": "vc+jwt", "cty": "vc"})
    );
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("JSON");
    assert_eq!(payload, credential);
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
    let input = format!("{}.{}", parts[0], parts[1]);
    assert!(key.public_key().verify(input.as_bytes(), &signature));
    let mut tampered = input.into_bytes();
    tampered[5] ^= 1;
    assert!(!key.public_key().verify(&tampered, &signature));
    let env = enveloped(&jws);
    assert_eq!(env["type"], "EnvelopedVerifiableCredential");
    assert!(env["id"].as_str().is_some_and(|id| id.ends_with(&jws)));
}
