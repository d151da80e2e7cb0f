//! Limits and faults: bodies over the limit after decompression, the concurrency limit,
//! header and request timeouts, clients that go away, and draining.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::client::{connect, get, read_answer, request, send_chunk, send_head};
use crate::{read, start};

fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

/// Poll `/metrics` until `series` reaches `want`, for at most ten seconds.
fn wait_for(addr: std::net::SocketAddr, series: &str, want: f64) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if value(&get(addr, "/metrics").text(), series) == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn a_gzip_bomb_is_stopped_early_and_the_answer_is_cut() {
    let server = start("max_body_bytes = 1000000");
    let auth = server.auth_a();
    // 64 MiB of newlines and records in a few hundred kilobytes.
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut line = record.trim_ascii().to_vec();
    line.push(b'\n');
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..(64 << 20) / line.len() {
        gz.write_all(&line).expect("gzip");
    }
    let bomb = gz.finish().expect("gzip");
    assert!(bomb.len() < 1_000_000, "{}", bomb.len());
    let started = Instant::now();
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
            ("Content-Encoding", "gzip"),
        ],
        &bomb,
    );
    assert_eq!(answer.status, 200);
    let lines = answer.lines();
    let last = lines.last().expect("a line");
    assert_eq!(last["error"]["code"], "upload.too-large", "{last}");
    assert!(lines.iter().all(|l| l.get("summary").is_none()));
    // Only what fits in the limit was judged.
    assert!(lines.len() < 1_000_000 / line.len() + 2, "{}", lines.len());
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(wait_for(
        server.addr,
        "dsti_uploads_total{outcome=\"cut\"}",
        1.0
    ));
}

#[test]
fn a_body_that_grows_past_the_limit_while_streaming_is_cut() {
    let server = start("max_body_bytes = 100000");
    let auth = server.auth_a();
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut stream = connect(server.addr);
    send_head(
        &mut stream,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        None,
    );
    let mut line = record.trim_ascii().to_vec();
    line.push(b'\n');
    // Chunked, no declared length: the service counts.
    let mut sent = 0;
    while sent < 300_000 {
        if send_chunk(&mut stream, &line).is_err() {
            break;
        }
        sent += line.len();
    }
    let _ = send_chunk(&mut stream, b"");
    let answer = read_answer(&mut stream);
    let lines = answer.lines();
    assert_eq!(
        lines.last().expect("line")["error"]["code"],
        "upload.too-large",
        "the answer must end with its error line ({} lines, the last {:?})",
        lines.len(),
        lines.last()
    );
    assert!(lines.iter().all(|l| l.get("summary").is_none()));
    assert!(
        lines.len() > 10,
        "records before the limit were judged and sent"
    );
}

#[test]
fn over_the_concurrency_limit_the_answer_is_429() {
    let server = start("max_concurrent_uploads = 1");
    let auth = server.auth_a();
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut slow = connect(server.addr);
    send_head(
        &mut slow,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        None,
    );
    send_chunk(&mut slow, record.trim_ascii()).expect("chunk");
    assert!(wait_for(server.addr, "dsti_uploads_in_flight", 1.0));
    let busy = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(busy.status, 429);
    assert_eq!(busy.problem_code(), "upload.busy");
    assert!(busy.header("retry-after").is_some());
    // Other endpoints still answer.
    assert_eq!(get(server.addr, "/healthz").status, 200);
    send_chunk(&mut slow, b"\n").expect("chunk");
    send_chunk(&mut slow, b"").expect("end");
    let answer = read_answer(&mut slow);
    assert_eq!(answer.lines().last().expect("line")["summary"]["total"], 1);
    // The slot is free again.
    assert!(wait_for(server.addr, "dsti_uploads_in_flight", 0.0));
    let again = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(again.status, 200);
}

#[test]
fn a_client_that_sends_headers_slowly_is_disconnected() {
    let server = start("header_timeout_secs = 1");
    let mut stream = connect(server.addr);
    let started = Instant::now();
    let head = b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let mut closed = false;
    for byte in head {
        if stream.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let mut rest = Vec::new();
    let read = stream.read_to_end(&mut rest);
    // The server closed the connection (EOF or reset), at most after a 408 answer.
    assert!(
        closed
            || read.is_ok()
            || matches!(
                read.as_ref().map_err(|e| e.kind()),
                Err(std::io::ErrorKind::ConnectionReset)
            ),
        "{read:?}"
    );
    assert!(
        rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&rest)
    );
    assert!(started.elapsed() < Duration::from_secs(6));
    // And others are served all the while.
    assert_eq!(get(server.addr, "/healthz").status, 200);
}

#[test]
fn an_upload_over_the_request_timeout_is_cut() {
    let server = start("request_timeout_secs = 1");
    let auth = server.auth_a();
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut stream = connect(server.addr);
    send_head(
        &mut stream,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        None,
    );
    send_chunk(&mut stream, record.trim_ascii()).expect("chunk");
    send_chunk(&mut stream, b"\n").expect("chunk");
    // Then one byte a second, never finishing.
    let started = Instant::now();
    let writer = stream.try_clone().expect("clone");
    let trickle = std::thread::spawn(move || {
        let mut writer = writer;
        for _ in 0..5 {
            std::thread::sleep(Duration::from_millis(700));
            if send_chunk(&mut writer, b" ").is_err() {
                break;
            }
        }
    });
    let answer = read_answer(&mut stream);
    let lines = answer.lines();
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(
        lines.last().expect("line")["error"]["code"],
        "upload.timeout"
    );
    assert!(lines.iter().all(|l| l.get("summary").is_none()));
    assert!(started.elapsed() < Duration::from_secs(4));
    let _ = trickle.join();
    assert!(wait_for(server.addr, "dsti_uploads_in_flight", 0.0));
}

#[test]
fn a_client_that_goes_away_stops_its_upload() {
    let server = start("");
    let auth = server.auth_a();
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut line = record.trim_ascii().to_vec();
    line.push(b'\n');
    let block: Vec<u8> = line.repeat(2000);
    {
        let mut stream = connect(server.addr);
        send_head(
            &mut stream,
            "POST",
            "/v2/uploads",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/x-ndjson"),
            ],
            None,
        );
        send_chunk(&mut stream, &block).expect("chunk");
        assert!(wait_for(server.addr, "dsti_uploads_in_flight", 1.0));
        // Gone without ending the body or reading the answer.
    }
    assert!(
        wait_for(server.addr, "dsti_uploads_in_flight", 0.0),
        "the work stopped"
    );
    assert!(wait_for(
        server.addr,
        "dsti_uploads_total{outcome=\"disconnected\"}",
        1.0
    ));
    // Others go on.
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        &block,
    );
    assert_eq!(
        answer.lines().last().expect("line")["summary"]["total"],
        2000
    );
}

#[test]
fn draining_finishes_uploads_in_flight_and_refuses_new_ones() {
    let mut server = start("");
    let auth = server.auth_a();
    let record = read("tests/vectors/2.0/valid/person-passport.json");
    let mut stream = connect(server.addr);
    send_head(
        &mut stream,
        "POST",
        "/v2/uploads",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-ndjson"),
        ],
        None,
    );
    send_chunk(&mut stream, record.trim_ascii()).expect("chunk");
    assert!(wait_for(server.addr, "dsti_uploads_in_flight", 1.0));
    server.signal_stop();
    let started = Instant::now();
    loop {
        let ready = get(server.addr, "/readyz");
        if ready.status == 503 {
            assert_eq!(ready.problem_code(), "service.not-ready");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "readyz stays 200"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let refused = request(
        server.addr,
        "POST",
        "/v2/uploads",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(
        (refused.status, refused.problem_code().as_str()),
        (503, "service.draining")
    );
    // The upload in flight finishes with its summary.
    send_chunk(&mut stream, b"\n").expect("chunk");
    send_chunk(&mut stream, b"").expect("end");
    let answer = read_answer(&mut stream);
    assert_eq!(answer.lines().last().expect("line")["summary"]["total"], 1);
    server.stop().expect("a clean stop");
}
