//! `dsti serve` as a process: the token command, upload answers equal to `dsti validate
//! --format ndjson` on every sample and vector, a log that never holds a token or personal
//! data whatever the input, and SIGTERM ending in exit 0.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::client::request;
use crate::{files, root};

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn dsti() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dsti"));
    cmd.current_dir(root());
    cmd
}

/// A new token for `sender`: (token, tokens-file entry).
fn token(sender: &str) -> (String, Value) {
    let out = dsti()
        .args(["serve", "token", "--sender", sender, "--name", "测试"])
        .output()
        .expect("dsti serve token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    let token = lines.next().expect("token").to_owned();
    let entry: Value = serde_json::from_str(lines.next().expect("entry")).expect("json");
    (token, entry)
}

#[test]
fn the_token_command_prints_a_token_and_only_its_hash_for_the_file() {
    let (token, entry) = token("91440101MA5CYUF35N");
    assert_eq!(entry["sender"], "91440101MA5CYUF35N");
    assert_eq!(entry["name"], "测试");
    assert_eq!(
        entry["sha256"],
        dsti_server::config::sha256_hex(token.as_bytes())
    );
    assert!(!entry.to_string().contains(&token));
    let (other, _) = token_pair();
    assert_ne!(token, other);
    let bad = dsti()
        .args(["serve", "token", "--sender", "not-a-uscc"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
}

fn token_pair() -> (String, Value) {
    token("91440101MA5CYUF35N")
}

/// The sender a batch file names, if it is a batch.
fn batch_sender(bytes: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    (value["kind"] == "batch").then(|| value["sender"]["uscc"].as_str().map(str::to_owned))?
}

#[test]
fn a_served_upload_is_dsti_validate_and_the_log_holds_no_secret() {
    let dir = tempfile::tempdir().expect("dir");
    // Inputs: the sample and every 2.0 vector; a token for every sender a batch names.
    let mut inputs = vec![root().join("examples/upload.ndjson")];
    for sub in ["tests/vectors/2.0/valid", "tests/vectors/2.0/invalid"] {
        inputs.extend(
            files(&root().join(sub), "json")
                .into_iter()
                .filter(|p| !p.ends_with("manifest.json")),
        );
    }
    let mut senders: Vec<String> = vec!["91440101MA5CYUF35N".to_owned()];
    for path in &inputs {
        if let Some(s) = batch_sender(&std::fs::read(path).expect("read")) {
            if s.parse::<dsti::ident::Uscc>().is_ok() && !senders.contains(&s) {
                senders.push(s);
            }
        }
    }
    let tokens: Vec<(String, String, Value)> = senders
        .iter()
        .map(|s| {
            let (t, e) = token(s);
            (s.clone(), t, e)
        })
        .collect();
    let entries: Vec<&Value> = tokens.iter().map(|(_, _, e)| e).collect();
    std::fs::write(
        dir.path().join("tokens.json"),
        serde_json::to_vec(&entries).expect("json"),
    )
    .expect("tokens");
    std::fs::write(
        dir.path().join("serve.toml"),
        "listen = \"127.0.0.1:0\"\ntokens = \"tokens.json\"\nheader_timeout_secs = 5\n",
    )
    .expect("config");
    let mut child = dsti()
        .args(["serve", "--now", NOW, "--config"])
        .arg(dir.path().join("serve.toml"))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("dsti serve");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    log.read_line(&mut first).expect("first log line");
    let listening: Value = serde_json::from_str(&first).expect("a JSON log line");
    assert_eq!(listening["message"], "listening", "{first}");
    let addr: SocketAddr = listening["address"]
        .as_str()
        .expect("address")
        .parse()
        .expect("socket address");
    let started = Instant::now();
    while request(addr, "GET", "/readyz", &[], b"").status != 200 {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut requests = 1;

    for path in &inputs {
        let bytes = std::fs::read(path).expect("read");
        let named = batch_sender(&bytes);
        let (_, token, _) = tokens
            .iter()
            .find(|(s, _, _)| Some(s) == named.as_ref())
            .unwrap_or(&tokens[0]);
        let content_type = if path.extension().is_some_and(|e| e == "ndjson") {
            "application/x-ndjson"
        } else {
            "application/json"
        };
        let auth = format!("Bearer {token}");
        let answer = request(
            addr,
            "POST",
            "/v2/uploads",
            &[("Authorization", &auth), ("Content-Type", content_type)],
            &bytes,
        );
        requests += 1;
        assert_eq!(answer.status, 200, "{}", path.display());
        let cli = dsti()
            .args(["validate", "--format", "ndjson", "--now", NOW])
            .arg(path)
            .output()
            .expect("dsti validate");
        let cli = String::from_utf8(cli.stdout).expect("utf-8");
        if named.is_some_and(|s| s.parse::<dsti::ident::Uscc>().is_err()) {
            // A sender no token can belong to: the same lines, and the mismatch besides.
            assert!(
                answer.text().contains("upload.sender-mismatch"),
                "{}",
                path.display()
            );
        } else {
            assert_eq!(answer.text(), cli, "{}", path.display());
        }
    }

    // Whatever a client sends, the log holds none of it.
    let sample = std::fs::read_to_string(root().join("examples/upload.ndjson")).expect("sample");
    let mut secrets: Vec<String> = tokens.iter().map(|(_, t, _)| t.clone()).collect();
    for line in sample.lines() {
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        for pointer in ["/document/number", "/name", "/phone", "/holderName"] {
            if let Some(value) = record.pointer(pointer).and_then(Value::as_str) {
                secrets.push(value.to_owned());
            }
        }
    }
    assert!(secrets.len() > 10, "{secrets:?}");
    let number = "11010519491231002X";
    secrets.push(number.to_owned());
    let hostile = [
        format!("/v2/uploads?profile={number}"),
        format!("/docs/{number}.html"),
        format!("/schemas/2.0/{number}.json"),
        format!("/{}", tokens[0].1),
    ];
    for path in &hostile {
        let bad_auth = format!("Bearer {number}");
        for (method, auth) in [
            ("GET", bad_auth.as_str()),
            ("POST", &*format!("Bearer {}", tokens[0].1)),
        ] {
            request(
                addr,
                method,
                path,
                &[
                    ("Authorization", auth),
                    ("X-Id", number),
                    ("Content-Type", "application/x-ndjson"),
                ],
                sample.as_bytes(),
            );
            requests += 1;
        }
    }
    // A method is any token a client likes.
    request(addr, number, "/v2/uploads", &[], b"");
    request(addr, number, "/healthz", &[], b"");
    requests += 2;
    // An upload of a record with the secrets in unknown fields, invalid JSON and paths.
    let leaky = format!(
        "{{\"kind\":\"person\",\"schemaVersion\":\"2.0\",\"{number}\":\"{number}\",\"name\":\"{}\"}}\n{{\"{number}\n",
        secrets[1]
    );
    let auth = format!("Bearer {}", tokens[0].1);
    request(
        addr,
        "POST",
        "/v2/uploads",
        &[("Authorization", &auth)],
        leaky.as_bytes(),
    );
    request(
        addr,
        "POST",
        "/v2/validate",
        &[("Authorization", &auth)],
        leaky.as_bytes(),
    );
    requests += 2;

    // SIGTERM: drain and exit 0.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    log.read_to_string(&mut rest).expect("log");
    let mut request_lines = 0;
    for line in rest.lines() {
        let entry: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if entry["message"] == "request" {
            request_lines += 1;
            for field in [
                "method",
                "path",
                "status",
                "sender",
                "records",
                "bytes",
                "duration_ms",
            ] {
                assert!(entry.get(field).is_some(), "{field} missing in {line}");
            }
        }
        for secret in &secrets {
            assert!(
                !line.contains(secret.as_str()),
                "the log holds a secret: {line}"
            );
        }
    }
    assert!(
        request_lines >= requests,
        "{request_lines} lines for {requests} requests"
    );
    assert!(rest.contains("\"draining\""));
}
