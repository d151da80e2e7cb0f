//! End-to-end tests of the `dsti` binary: files and stdin, every format, exit codes, order,
//! and that no sensitive value of the input reaches any output.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::{files, root, scratch};

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn dsti(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsti"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dsti");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("dsti output")
}

fn ndjson_lines(out: &Output) -> Vec<Value> {
    crate::ndjson(&out.stdout)
}

const SAMPLE: &str = "tests/vectors/2.0/valid/person-passport.json";

#[test]
fn valid_file_exits_zero_in_every_format() {
    for format in ["text", "json", "ndjson"] {
        let out = dsti(
            &["validate", "--format", format, "--now", NOW, SAMPLE],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn ndjson_gives_one_verdict_per_record_in_order_and_a_summary() {
    let input = [
        r#"{"kind":"person","schemaVersion":"2.0"}"#,
        "",
        "this is not json",
        std::fs::read_to_string(root().join(SAMPLE))
            .expect("sample")
            .trim_end(),
        r#"{"kind":"course"}"#,
    ]
    .join("\n");
    for jobs in ["1", "2"] {
        let out = dsti(
            &[
                "validate", "--format", "ndjson", "--now", NOW, "--jobs", jobs, "-",
            ],
            Some(input.as_bytes()),
        );
        assert_eq!(out.status.code(), Some(1));
        let lines = ndjson_lines(&out);
        assert_eq!(lines.len(), 5, "4 verdicts and a summary");
        let indices: Vec<u64> = lines[..4]
            .iter()
            .map(|l| l["index"].as_u64().expect("index"))
            .collect();
        assert_eq!(indices, [0, 1, 2, 3]);
        let line_numbers: Vec<u64> = lines[..4]
            .iter()
            .map(|l| l["line"].as_u64().expect("line"))
            .collect();
        assert_eq!(line_numbers, [1, 3, 4, 5]);
        assert_eq!(lines[1]["issues"][0]["code"], "json.syntax");
        assert_eq!(lines[2]["valid"], true);
        assert_eq!(lines[3]["issues"][0]["code"], "record.version");
        let summary = &lines[4]["summary"];
        assert_eq!(summary["total"], 4);
        assert_eq!(summary["valid"], 1);
        assert_eq!(summary["invalid"], 3);
        assert_eq!(summary["profile"], "default");
    }
}

#[test]
fn json_format_is_one_document_with_the_same_content() {
    let out = dsti(
        &[
            "validate",
            "--format",
            "json",
            "--now",
            NOW,
            "tests/vectors/2.0/valid/batch-mixed.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let records = doc["records"].as_array().expect("records");
    assert_eq!(records.len(), 5, "four records and the envelope");
    assert!(records[4].get("envelope").is_some());
    assert_eq!(doc["summary"]["total"], 4);
}

#[test]
fn text_format_is_for_people() {
    let out = dsti(
        &[
            "validate",
            "--now",
            NOW,
            "--lang",
            "zh",
            "tests/vectors/2.0/invalid/person-gender-mismatch.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("person.gender-mismatch"), "{text}");
    assert!(text.contains("共 1 条记录"), "{text}");
}

#[test]
fn several_files_and_stdin_are_one_report() {
    let sample = std::fs::read(root().join(SAMPLE)).expect("sample");
    let out = dsti(
        &["validate", "--format", "ndjson", "--now", NOW, SAMPLE, "-"],
        Some(&sample),
    );
    // Each file is its own upload: the same id in two files is not a duplicate.
    assert_eq!(out.status.code(), Some(0));
    let lines = ndjson_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["file"], SAMPLE);
    assert_eq!(lines[1]["file"], "-");
}

#[test]
fn usage_and_io_errors_exit_two() {
    assert_eq!(
        dsti(&["validate", "no/such/file.json"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        dsti(&["validate", "--format", "xml", SAMPLE], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        dsti(&["validate", "--now", "yesterday", SAMPLE], None)
            .status
            .code(),
        Some(2)
    );
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let dir = scratch.path();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"profile":"x","minutesPerHour":45}"#).expect("write");
    let out = dsti(
        &["validate", "--profile", bad.to_str().expect("path"), SAMPLE],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("minutesPerHour"));
}

#[test]
fn the_profile_is_named_and_applied() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let dir = scratch.path();
    let profile = dir.join("gd.json");
    std::fs::write(
        &profile,
        r#"{"profile":"gd-2026","preJobMinimumClassHours":{"maternity-care":80}}"#,
    )
    .expect("write");
    let out = dsti(
        &[
            "validate",
            "--format",
            "ndjson",
            "--now",
            NOW,
            "--profile",
            profile.to_str().expect("path"),
            "tests/vectors/2.0/valid/course-pre-job-modules.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let lines = ndjson_lines(&out);
    assert_eq!(lines[0]["issues"][0]["code"], "training.pre-job-minimum");
    assert_eq!(lines[1]["summary"]["profile"], "gd-2026");
}

/// Names, document numbers and phone numbers of a record.
fn sensitive_values(v: &Value, parent: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            let is_person = map.get("kind").and_then(Value::as_str) == Some("person");
            for (k, child) in map {
                let sensitive = matches!(k.as_str(), "phone" | "holderName" | "idCardNo")
                    || (k == "name" && (is_person || map.contains_key("idCardNo")))
                    || (k == "number" && parent == "document");
                if let (true, Some(s)) = (sensitive, child.as_str()) {
                    out.push(s.to_owned());
                }
                sensitive_values(child, k, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| sensitive_values(i, parent, out)),
        _ => {}
    }
}

#[test]
fn no_sensitive_value_reaches_any_output() {
    for version in ["1.0", "2.0"] {
        let dir = root().join("tests/vectors").join(version).join("invalid");
        if !dir.exists() {
            continue;
        }
        for path in files(&dir, "json") {
            let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(&path).expect("read"))
            else {
                continue;
            };
            let mut secrets = Vec::new();
            sensitive_values(&value, "", &mut secrets);
            let file = path
                .strip_prefix(root())
                .unwrap_or(Path::new(""))
                .to_str()
                .expect("path");
            for format in ["text", "json", "ndjson"] {
                for lang in ["en", "zh"] {
                    let out = dsti(
                        &[
                            "validate", "--format", format, "--lang", lang, "--now", NOW, file,
                        ],
                        None,
                    );
                    let all = [out.stdout, out.stderr].concat();
                    let text = String::from_utf8_lossy(&all);
                    for secret in &secrets {
                        assert!(
                            !text.contains(secret.as_str()),
                            "{file} {format} {lang} leaks a value"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn dsti_schema_writes_the_committed_bytes() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let dir = scratch.path();
    for version in ["1.0", "2.0"] {
        let out = dsti(
            &[
                "schema",
                "--version",
                version,
                "--out",
                dir.to_str().expect("path"),
            ],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for path in files(&root().join("schemas").join(version), "json") {
            let name = path.file_name().expect("name");
            let written = std::fs::read(dir.join(version).join(name)).expect("written");
            assert_eq!(
                written,
                std::fs::read(&path).expect("committed"),
                "{}",
                path.display()
            );
        }
    }
    let index = std::fs::read(dir.join("index.json")).expect("index written");
    assert_eq!(
        index,
        std::fs::read(root().join("schemas/index.json")).expect("committed index")
    );
}

fn vector_text(path: &str) -> String {
    std::fs::read_to_string(root().join(path))
        .expect("vector")
        .trim_end()
        .to_owned()
}

/// A batch whose records are all valid but whose sender's credit code is wrong: the records'
/// verdicts are valid, the envelope's verdict line follows them, the summary counts it in
/// `envelopesInvalid` (not in `total`), and the exit status is 1.
#[test]
fn an_invalid_envelope_alone_makes_the_exit_status_one() {
    let batch = vector_text("tests/vectors/2.0/valid/batch-mixed.json").replacen(
        "52440101MJ00001238",
        "52440101MJ00001239",
        1,
    );
    let out = dsti(
        &["validate", "--format", "ndjson", "--now", NOW, "-"],
        Some(batch.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let lines = ndjson_lines(&out);
    let (summary, envelope) = (&lines[lines.len() - 1], &lines[lines.len() - 2]);
    assert_eq!(envelope["envelope"]["issues"][0]["code"], "uscc.checksum");
    assert_eq!(envelope["envelope"]["issues"][0]["path"], "/sender/uscc");
    assert_eq!(summary["summary"]["invalid"], 0);
    assert_eq!(summary["summary"]["valid"], summary["summary"]["total"]);
    assert_eq!(summary["summary"]["envelopesInvalid"], 1);
    assert!(lines[..lines.len() - 2].iter().all(|l| l["valid"] == true));
}

/// Warnings alone never fail an upload: exit 0, counted as warnings.
#[test]
fn a_file_with_only_warnings_exits_zero() {
    let course = vector_text("tests/vectors/2.0/valid/course-elderly-online-retraining.json");
    let value: Value = serde_json::from_str(&course).expect("json");
    let code = value["occupation"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let unknown = course.replacen(&format!("\"{code}\""), "\"4-99-99-99\"", 1);
    assert_ne!(unknown, course);
    let out = dsti(
        &["validate", "--format", "ndjson", "--now", NOW, "-"],
        Some(unknown.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines = ndjson_lines(&out);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["issues"][0]["code"], "occupation.unknown");
    assert_eq!(lines[0]["issues"][0]["severity"], "warning");
    assert_eq!(lines[1]["summary"]["warnings"], 1);
    assert_eq!(lines[1]["summary"]["invalid"], 0);
}

/// Each `--max-*` flag turns a record over it into `record.limit`, and only that record.
#[test]
fn the_limit_flags_apply() {
    let person = vector_text("tests/vectors/2.0/valid/person-passport.json");
    let other = person.replacen("-000000000009\"", "-000000000010\"", 1);
    assert_ne!(other, person);
    let input = format!("{person}\n{other}\n").replacen(
        "\"kind\":\"person\"",
        "\"kind\":\"person\",\"extensions\":{\"org.example:n\":[[[[[[1]]]]]]}",
        1,
    );
    let len = input.lines().next().expect("line").len();
    let cases = [
        ("--max-record-bytes", (len - 1).to_string()),
        ("--max-depth", "4".to_owned()),
        ("--max-string-bytes", "8".to_owned()),
    ];
    for (flag, value) in cases {
        let out = dsti(
            &[
                "validate", "--format", "ndjson", "--now", NOW, flag, &value, "-",
            ],
            Some(input.as_bytes()),
        );
        let lines = ndjson_lines(&out);
        let codes: Vec<&Value> = lines[..2].iter().map(|l| &l["issues"][0]["code"]).collect();
        if flag == "--max-string-bytes" {
            // Both records have a name and a number longer than 8 bytes.
            assert_eq!(codes, ["record.limit", "record.limit"], "{flag}");
        } else {
            assert_eq!(codes[0], "record.limit", "{flag}");
            assert_eq!(
                lines[1]["valid"], true,
                "{flag}: the other record is untouched"
            );
        }
    }
    // Without the flags, the same input is valid.
    let out = dsti(
        &["validate", "--format", "ndjson", "--now", NOW, "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `dsti schema --base-uri` puts every `$id` under that base, and the catalogue too.
#[test]
fn schema_base_uri_is_used_for_every_id() {
    let dir = scratch("base-uri");
    let base = "https://schemas.example.gd.gov.cn/dsti/";
    let out = dsti(
        &[
            "schema",
            "--version",
            "2.0",
            "--base-uri",
            base,
            "--out",
            dir.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = files(&dir.join("2.0"), "json");
    assert_eq!(written.len(), 5, "four kinds and the batch");
    for path in written {
        let schema: Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        let id = schema["$id"].as_str().expect("$id");
        assert!(id.starts_with(base), "{}: {id}", path.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `.jsonl` file is NDJSON: one verdict per line, with its line number.
#[test]
fn jsonl_files_are_ndjson() {
    let dir = scratch("jsonl");
    let person = vector_text("tests/vectors/2.0/valid/person-passport.json");
    let file = dir.join("upload.jsonl");
    std::fs::write(&file, format!("{person}\n\n{{\"kind\":\"person\"}}\n")).expect("write");
    let out = dsti(
        &[
            "validate",
            "--format",
            "ndjson",
            "--now",
            NOW,
            file.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let lines = ndjson_lines(&out);
    assert_eq!(lines.len(), 3, "two verdicts and the summary");
    assert_eq!(
        (lines[0]["line"].as_u64(), lines[1]["line"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(lines[0]["valid"], true);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's first command does what the README says: the summary line it shows, and exit
/// status 1.
#[test]
fn the_readme_first_command_gives_the_summary_it_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(readme.contains("cargo dsti validate examples/upload.ndjson"));
    let shown = readme
        .lines()
        .find(|l| l.contains(" records: ") && l.contains("(profile default)"))
        .expect("the README shows the summary line");
    let out = dsti(&["validate", "examples/upload.ndjson"], None);
    assert_eq!(out.status.code(), Some(1), "the README says exit status 1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().last(), Some(shown));
}

/// One report format for every command: with `ndjson`, `migrate` writes a line per record and
/// `compat` a line per change, each then a summary line that counts them.
#[test]
fn migrate_and_compat_write_ndjson_reports_too() {
    let out = dsti(
        &[
            "migrate",
            "--to",
            "2.0",
            "--report-format",
            "ndjson",
            "tests/vectors/1.0/valid/person-15-digit.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["outcome"], "migrated");
    assert_eq!(lines[1]["summary"]["total"], 1);
    assert_eq!(lines[1]["summary"]["migrated"], 1);

    let out = dsti(&["compat", "1.0", "2.0", "--format", "ndjson"], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "1.0 to 2.0 is not backward compatible"
    );
    let lines = ndjson_lines(&out);
    let (summary, changes) = lines.split_last().expect("lines");
    let breaking = changes
        .iter()
        .filter(|c| c["breaksBackward"] == true)
        .count();
    assert_eq!(summary["summary"]["changes"], changes.len());
    assert_eq!(summary["summary"]["breaking"], breaking);
    assert_eq!(summary["summary"]["compatible"], false);
    assert!(breaking > 0);
}

#[test]
fn sender_judges_a_batch_as_an_upload_made_for_it() {
    let file = "tests/vectors/2.0/invalid/upload-sender-mismatch.json";
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(crate::root().join("tests/vectors/2.0/invalid/manifest.json"))
            .expect("manifest"),
    )
    .expect("manifest JSON");
    let entry = manifest["vectors"]
        .as_array()
        .and_then(|v| {
            v.iter()
                .find(|e| e["file"] == "upload-sender-mismatch.json")
        })
        .expect("the sender-mismatch vector");
    let sender = entry["sender"].as_str().expect("its sender");
    let now = manifest["now"].as_str().expect("now");
    // Without a sender the batch is valid; made for another sender it is not.
    let alone = dsti(
        &["validate", "--format", "ndjson", "--now", now, file],
        None,
    );
    assert_eq!(alone.status.code(), Some(0), "{alone:?}");
    let out = dsti(
        &[
            "validate", "--format", "ndjson", "--now", now, "--sender", sender, file,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let envelope = ndjson_lines(&out)
        .into_iter()
        .find(|l| l.get("envelope").is_some())
        .expect("an envelope verdict");
    assert_eq!(
        envelope["envelope"]["issues"][0]["code"], "upload.sender-mismatch",
        "{envelope}"
    );
    // A sender that is not a credit code is a usage error.
    let bad = dsti(&["validate", "--sender", "not-a-uscc", file], None);
    assert_eq!(bad.status.code(), Some(2));
}

/// An NDJSON file is mapped and judged where it lies; `--no-mmap` and stdin read it. All
/// give the same report, byte for byte, on one thread and two: LF and CRLF files, a last line
/// without a newline, an over-long line, a FIFO, an empty file.
#[test]
fn mapped_files_report_as_read_files_and_stdin() {
    let dir = scratch("mapped");
    let upload = std::fs::read(root().join("examples/upload.ndjson")).expect("sample upload");
    let crlf: Vec<u8> = String::from_utf8_lossy(&upload)
        .replace('\n', "\r\n")
        .into_bytes();
    let long = [
        &upload[..],
        b"{\"kind\":\"course\",\"title\":\"",
        &b"x".repeat(200_000),
        b"\"}\r\n",
        b"{\"kind\":\"person\"}",
    ]
    .concat();
    for (name, bytes) in [
        ("lf", upload),
        ("crlf", crlf),
        ("long", long),
        ("empty", Vec::new()),
    ] {
        let path = dir.join(format!("{name}.ndjson"));
        std::fs::write(&path, &bytes).expect("write input");
        let path = path.to_str().expect("UTF-8 path");
        let run = |extra: &[&str], stdin: Option<&[u8]>| {
            let mut args = vec!["validate", "--format", "ndjson", "--now", NOW];
            args.extend_from_slice(extra);
            let out = dsti(&args, stdin);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{name} {extra:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let read = run(&["--no-mmap", "--jobs", "1", path], None);
        assert!(!read.is_empty(), "{name}: a summary at least");
        for jobs in ["1", "2"] {
            assert_eq!(
                run(&["--jobs", jobs, path], None),
                read,
                "{name}, jobs {jobs}"
            );
            assert_eq!(
                run(&["--no-mmap", "--jobs", jobs, path], None),
                read,
                "{name}, --no-mmap, jobs {jobs}"
            );
        }
        if !bytes.is_empty() {
            assert_eq!(run(&["-"], Some(&bytes)), read, "{name} on stdin");
        }
        #[cfg(unix)]
        {
            // A FIFO is not mapped: it is read as it comes.
            let fifo = dir.join(format!("{name}-fifo.ndjson"));
            let made = Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let writer = {
                    let fifo = fifo.clone();
                    let bytes = bytes.clone();
                    std::thread::spawn(move || std::fs::write(fifo, bytes))
                };
                let fifo = fifo.to_str().expect("UTF-8 path");
                assert_eq!(
                    run(&["--jobs", "2", fifo], None),
                    read,
                    "{name} from a FIFO"
                );
                writer.join().expect("writer").expect("FIFO written");
            }
        }
    }
}
