//! Uploads: the answer is the validator's report line for line, senders are checked, gzip is
//! understood, profiles are chosen by name, and migration answers a line per record.

use std::io::Write;

use dsti::validate::InputFormat;

use crate::client::request;
use crate::{expected_report, json_files, read, start, SENDER_A};

#[test]
fn an_upload_answers_the_lines_of_the_report_writer() {
    let server = start("");
    let auth = server.auth_a();
    let sample = read("examples/upload.ndjson");
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        &sample,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/x-ndjson"));
    assert_eq!(
        answer.text(),
        expected_report(&sample, InputFormat::Ndjson, SENDER_A)
    );
    let last = answer.lines().pop().expect("a line");
    assert_eq!(last["summary"]["total"], 37, "{last}");

    // Every vector (records, arrays, batches) as JSON.
    for dir in [
        "tests/vectors/2.0/valid",
        "tests/vectors/2.0/invalid",
        "tests/vectors/1.0/invalid",
    ] {
        for path in json_files(dir) {
            let bytes = std::fs::read(&path).expect("vector");
            let answer = request(
                server.addr,
                "POST",
                "/v2/uploads",
                &[
                    ("Authorization", &auth),
                    ("Content-Type", "application/json"),
                ],
                &bytes,
            );
            assert_eq!(answer.status, 200, "{}", path.display());
            assert_eq!(
                answer.text(),
                expected_report(&bytes, InputFormat::Json, SENDER_A),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_batch_of_another_sender_is_invalid() {
    let server = start("");
    let batch = read("tests/vectors/2.0/valid/batch-mixed.json");
    let post = |auth: &str| {
        request(
            server.addr,
            "POST",
            "/v2/uploads",
            &[
                ("Authorization", auth),
                ("Content-Type", "application/json"),
            ],
            &batch,
        )
        .lines()
    };
    // The batch names sender B: B's token is fine, A's is not.
    let own = post(&server.auth_b());
    let envelope = own
        .iter()
        .find(|l| l.get("envelope").is_some())
        .expect("envelope");
    assert_eq!(envelope["envelope"]["valid"], true, "{envelope}");
    assert_eq!(
        own.last().expect("summary")["summary"]["envelopesInvalid"],
        0
    );

    let other = post(&server.auth_a());
    let envelope = other
        .iter()
        .find(|l| l.get("envelope").is_some())
        .expect("envelope");
    assert_eq!(envelope["envelope"]["valid"], false, "{envelope}");
    assert_eq!(
        envelope["envelope"]["issues"][0]["code"],
        "upload.sender-mismatch"
    );
    assert_eq!(envelope["envelope"]["issues"][0]["path"], "/sender/uscc");
    assert_eq!(
        other.last().expect("summary")["summary"]["envelopesInvalid"],
        1
    );
}

#[test]
fn a_gzip_upload_is_judged_as_the_plain_one() {
    let server = start("");
    let auth = server.auth_a();
    let sample = read("examples/upload.ndjson");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&sample).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
            ("Content-Encoding", "gzip"),
        ],
        &gz,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.text(),
        expected_report(&sample, InputFormat::Ndjson, SENDER_A)
    );
    // Not gzip at all: the answer is cut with an error line.
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
            ("Content-Encoding", "gzip"),
        ],
        &sample,
    );
    let lines = answer.lines();
    assert_eq!(
        lines.last().expect("line")["error"]["code"],
        "upload.unreadable"
    );
    assert!(lines.iter().all(|l| l.get("summary").is_none()));
}

#[test]
fn a_profile_is_chosen_by_name() {
    let server = start("");
    let auth = server.auth_a();
    let course = read("tests/vectors/2.0/valid/course-pre-job-modules.json");
    let post = |path: &str| {
        request(
            server.addr,
            "POST",
            path,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            &course,
        )
    };
    let default = post("/v2/uploads").lines();
    assert_eq!(default[0]["valid"], true, "{}", default[0]);
    let strict = post("/v2/uploads?profile=strict").lines();
    assert_eq!(strict[0]["issues"][0]["code"], "training.pre-job-minimum");
    assert_eq!(
        strict.last().expect("summary")["summary"]["profile"],
        "strict"
    );
    let unknown = post("/v2/uploads?profile=nope");
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.problem_code(), "request.unknown-profile");
    let chinese = post("/v2/validate?profile=strict&lang=zh").json();
    let message = chinese["issues"][0]["message"].as_str().expect("message");
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{message}"
    );
}

#[test]
fn one_record_gets_one_verdict() {
    let server = start("");
    let auth = server.auth_a();
    for (path, valid) in [
        ("tests/vectors/2.0/valid/person-passport.json", true),
        ("tests/vectors/2.0/invalid/id-number-checksum.json", false),
    ] {
        let bytes = read(path);
        let answer = request(
            server.addr,
            "POST",
            "/v2/validate",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            &bytes,
        );
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let verdict = answer.json();
        assert_eq!(verdict["valid"], valid, "{verdict}");
        // The verdict is the upload's first line.
        let expected = expected_report(&bytes, InputFormat::Json, SENDER_A);
        let first: serde_json::Value =
            serde_json::from_str(expected.lines().next().expect("line")).expect("json");
        assert_eq!(verdict, first);
    }
    // Over the record limit: refused by its declared length.
    let big = vec![b' '; (1 << 20) + 10];
    let answer = request(
        server.addr,
        "POST",
        "/v2/validate",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &big,
    );
    assert_eq!(answer.status, 413);
    assert_eq!(answer.problem_code(), "upload.too-large");
}

#[test]
fn migration_answers_a_line_per_record_then_a_summary() {
    let server = start("");
    let auth = server.auth_a();
    let mut body = Vec::new();
    for path in json_files("tests/vectors/1.0/valid") {
        body.extend(std::fs::read(&path).expect("vector").trim_ascii());
        body.push(b'\n');
    }
    body.extend_from_slice(b"{\"kind\":\"person\"}\n");
    let n = json_files("tests/vectors/1.0/valid").len();
    let answer = request(
        server.addr,
        "POST",
        "/v2/migrate?to=2.0",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let lines = answer.lines();
    assert_eq!(lines.len(), n + 2, "{}", answer.text());
    for (i, line) in lines[..n].iter().enumerate() {
        assert_eq!(line["index"], i as u64);
        assert_eq!(line["record"]["schemaVersion"], "2.0", "{line}");
        // The migrated record is a valid 2.0 record.
        let record = serde_json::to_vec(&line["record"]).expect("json");
        let verdict = dsti::validate::Validator::new(
            dsti::validate::Options::default()
                .now(chrono::DateTime::parse_from_rfc3339(crate::NOW).expect("now")),
        )
        .validate_bytes(&record);
        assert!(verdict.is_valid(), "{verdict:?}");
    }
    assert_eq!(lines[n]["refused"]["code"], "header", "{}", lines[n]);
    assert_eq!(
        lines[n + 1]["summary"],
        serde_json::json!({"total": n + 1, "migrated": n, "refused": 1})
    );
    for bad in ["/v2/migrate", "/v2/migrate?to=3.0"] {
        let answer = request(server.addr, "POST", bad, &[("Authorization", &auth)], &body);
        assert_eq!(answer.status, 400);
        assert_eq!(answer.problem_code(), "request.bad-query");
    }
}

/// Read an interim answer's head (`HTTP/1.1 100 Continue` and its blank line) byte by byte, so
/// that nothing after it is consumed.
fn interim_head(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[test]
fn a_client_that_expects_100_continue_is_told_to_go_on_before_the_answer() {
    // curl sends `Expect: 100-continue` with any large upload and waits (a second) for the
    // interim answer before it sends the body; the answer's head must not come first.
    let server = start("");
    let auth = server.auth_a();
    let sample = read("examples/upload.ndjson");
    for (path, ctype) in [
        ("/v2/uploads", "application/x-ndjson"),
        ("/v2/migrate?to=1.0", "application/x-ndjson"),
    ] {
        let mut stream = crate::client::connect(server.addr);
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        crate::client::send_head(
            &mut stream,
            "POST",
            path,
            &[
                ("Authorization", &auth),
                ("Content-Type", ctype),
                ("Expect", "100-continue"),
            ],
            Some(sample.len()),
        );
        let head = interim_head(&mut stream);
        assert!(
            head.starts_with("HTTP/1.1 100 Continue\r\n"),
            "{path}: {head:?}"
        );
        stream.write_all(&sample).expect("body");
        let answer = crate::client::read_answer(&mut stream);
        assert_eq!(answer.status, 200, "{path}");
        let last = answer.lines().pop().expect("a line");
        assert_eq!(last["summary"]["total"], 37, "{path}: {last}");
    }
}
