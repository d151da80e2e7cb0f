//! The endpoints without authentication, the errors before streaming (RFC 9457 problems),
//! and the OpenAPI document held to the router.

use dsti_server::openapi::OPERATIONS;
use sha2::Digest;

use crate::client::{get, request};
use crate::{read, start, start_with};

#[test]
fn without_a_known_token_the_answer_is_401() {
    let server = start("");
    for path in ["/v2/uploads", "/v2/validate", "/v2/migrate?to=2.0"] {
        for auth in [
            None,
            Some("Bearer nope"),
            Some("Basic abc"),
            Some(server.token_a.as_str()),
        ] {
            let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", *a)).collect();
            let answer = request(server.addr, "POST", path, &headers, b"{}");
            assert_eq!(answer.status, 401, "{path} {auth:?}");
            assert_eq!(answer.problem_code(), "auth.unauthorized");
            assert!(answer.header("www-authenticate").is_some());
        }
    }
}

#[test]
fn errors_before_streaming_are_problems() {
    let server = start("max_body_bytes = 1000");
    let auth = server.auth_a();
    let post = |headers: &[(&str, &str)], body: &[u8]| {
        request(server.addr, "POST", "/v2/uploads", headers, body)
    };
    let answer = post(
        &[("Authorization", &auth), ("Content-Type", "text/csv")],
        b"a,b",
    );
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (415, "request.unsupported-media-type")
    );
    let answer = post(
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Content-Encoding", "br"),
        ],
        b"{}",
    );
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (415, "request.unsupported-media-type")
    );
    let answer = post(
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &[b' '; 1001],
    );
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (413, "upload.too-large")
    );
    let answer = request(
        server.addr,
        "POST",
        "/v2/uploads?what=1",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (400, "request.bad-query")
    );
    let answer = get(server.addr, "/v2/nothing");
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (404, "request.not-found")
    );
    let answer = get(server.addr, "/v2/uploads");
    assert_eq!(
        (answer.status, answer.problem_code().as_str()),
        (405, "request.method-not-allowed")
    );
}

#[test]
fn schemas_carry_the_catalogue_digest_and_revalidate() {
    let server = start("");
    let index = get(server.addr, "/schemas/index.json");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.body,
        read("schemas/index.json"),
        "the committed catalogue"
    );
    let etag = format!("\"{}\"", dsti_server::config::sha256_hex(&index.body));
    assert_eq!(index.header("etag"), Some(etag.as_str()));
    assert!(!index
        .header("cache-control")
        .expect("cache")
        .contains("immutable"));

    for version in dsti::Version::ALL {
        for kind in dsti::schema::kinds(version) {
            let path = format!("/schemas/{version}/{kind}.json");
            let file = get(server.addr, &path);
            assert_eq!(file.status, 200, "{path}");
            assert_eq!(
                file.body,
                read(&format!("schemas/{version}/{kind}.json")),
                "{path}"
            );
            assert_eq!(file.header("etag"), Some(etag.as_str()));
            assert!(file
                .header("cache-control")
                .expect("cache")
                .contains("immutable"));
            // The catalogue's digest of the file is that of the bytes served.
            let digest = hex(&sha2::Sha256::digest(&file.body));
            assert_eq!(
                index.json()["versions"][version.as_str()][kind.as_str()]["sha256"],
                digest
            );
        }
    }
    let again = request(
        server.addr,
        "GET",
        "/schemas/2.0/person.json",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let stale = request(
        server.addr,
        "GET",
        "/schemas/index.json",
        &[("If-None-Match", "\"old\"")],
        b"",
    );
    assert_eq!(stale.status, 200);
    assert_eq!(get(server.addr, "/schemas/9.9/person.json").status, 404);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_reference_site_is_served_and_stays_in_its_directory() {
    let site = tempfile::tempdir().expect("dir");
    std::fs::create_dir_all(site.path().join("2.0/en")).expect("dir");
    std::fs::write(site.path().join("index.html"), "<p>root</p>").expect("page");
    std::fs::write(site.path().join("2.0/en/person.html"), "<p>person</p>").expect("page");
    let docs = site.path().to_path_buf();
    let server = start_with("", move |s| s.docs_dir(docs));
    assert_eq!(get(server.addr, "/docs").status, 308);
    let root = get(server.addr, "/docs/");
    assert_eq!((root.status, root.text().as_str()), (200, "<p>root</p>"));
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        get(server.addr, "/docs/2.0/en/person.html").text(),
        "<p>person</p>"
    );
    for outside in [
        "/docs/../serve.toml",
        "/docs/%2e%2e/serve.toml",
        "/docs/2.0/../../tokens.json",
        "/docs/nope.html",
    ] {
        assert_eq!(get(server.addr, outside).status, 404, "{outside}");
    }
}

#[test]
fn health_readiness_and_metrics() {
    let server = start("");
    let auth = server.auth_a();
    assert_eq!(get(server.addr, "/healthz").status, 200);
    assert_eq!(get(server.addr, "/readyz").status, 200);
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
    // The upload's counts land as its thread ends, just after the answer's last byte.
    let started = std::time::Instant::now();
    while !get(server.addr, "/metrics")
        .text()
        .contains("dsti_uploads_in_flight 0")
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let metrics = get(server.addr, "/metrics");
    assert!(metrics
        .header("content-type")
        .expect("type")
        .starts_with("text/plain; version=0.0.4"));
    let text = metrics.text();
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    let records: f64 = text
        .lines()
        .filter(|l| l.starts_with("dsti_records_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert_eq!(records, 37.0);
    assert_eq!(
        value("dsti_records_total{kind=\"unknown\",valid=\"false\"}"),
        1.0
    );
    assert_eq!(
        value("dsti_findings_total{code=\"id-number.checksum\"}"),
        1.0
    );
    assert_eq!(value("dsti_uploads_total{outcome=\"complete\"}"), 1.0);
    assert_eq!(value("dsti_upload_duration_seconds_count"), 1.0);
    assert_eq!(value("dsti_uploads_in_flight"), 0.0);
    // No label carries a value: only kinds, validity, codes, outcomes and bucket bounds.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let Some((_, labels)) = line.split_once('{') {
            let labels = labels.split('}').next().expect("labels");
            for pair in labels.split(',') {
                let (key, _) = pair.split_once('=').expect("label");
                assert!(
                    ["kind", "valid", "code", "outcome", "le"].contains(&key),
                    "{line}"
                );
            }
        }
    }
    assert!(!text.contains(&server.token_a));
}

/// Every documented operation is answered with a documented status and media type; every
/// route is documented; the document is OpenAPI 3.1.
#[test]
fn the_openapi_document_is_held_to_the_router() {
    let server = start("");
    let auth = server.auth_a();
    let doc = get(server.addr, "/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut listed: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    listed.sort();
    assert_eq!(documented, listed);

    let sample = read("tests/vectors/2.0/valid/person-passport.json");
    for (method, path) in OPERATIONS {
        let concrete = path
            .replace("{version}", "2.0")
            .replace("{file}", "person.json")
            .replace("{path}", "index.html");
        let concrete = if *path == "/v2/migrate" {
            format!("{concrete}?to=1.0")
        } else {
            concrete
        };
        let answer = request(
            server.addr,
            &method.to_uppercase(),
            &concrete,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            if *method == "post" { &sample } else { b"" },
        );
        let op = &doc["paths"][*path][*method];
        let response = &op["responses"][answer.status.to_string()];
        assert!(
            response.is_object(),
            "{method} {path}: {} is not documented",
            answer.status
        );
        let media = answer
            .header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .to_owned();
        if let Some(content) = response.get("content") {
            assert!(
                content.get(&media).is_some(),
                "{method} {path}: {media} is not documented"
            );
        }
    }
}

/// `dsti serve --config examples/serve.toml` works from a clone: the configuration, its
/// tokens file and its profile load, and the README's example token is the example sender's.
#[test]
fn the_example_configuration_loads_and_knows_its_token() {
    let config = dsti_server::config::Config::load(&crate::root().join("examples/serve.toml"))
        .expect("config");
    assert_eq!(config.listen.port(), 8480);
    let profiles = config.load_profiles().expect("profiles");
    assert_eq!(profiles["gd-2026"].profile, "gd-2026");
    let senders = dsti_server::config::Senders::load(&config.tokens).expect("tokens");
    let sender = senders
        .find("dsti_example_token_for_local_tests_only")
        .expect("the README's token");
    assert_eq!(sender.uscc.as_str(), "91440101MA5CYUF35N");
    dsti_server::App::new(dsti_server::Settings::new(config)).expect("app");
}
