//! Hostile uploads, each with the verdicts it must get: how many, and which codes.
//!
//! Large inputs are produced lazily by a `Read` that generates bytes on demand, so a 100 MB
//! line is never allocated by the test.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use dsti::validate::{Event, InputFormat, Limits, Options, Validator, Verdict};
use serde_json::{json, Value};

use crate::root;

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn options() -> Options {
    Options::default().now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now"))
}

fn validator() -> Validator {
    Validator::new(options())
}

fn with_limits(f: impl FnOnce(&mut Limits)) -> Validator {
    let mut limits = Limits::default();
    f(&mut limits);
    Validator::new(options().limits(limits))
}

fn vector(name: &str) -> String {
    let path = root().join("tests/vectors/2.0/valid").join(name);
    std::fs::read_to_string(&path)
        .expect("vector")
        .trim_end()
        .to_owned()
}

fn person() -> String {
    vector("person-minority-leap-day.json")
}

fn course() -> String {
    vector("course-elderly-online-retraining.json")
}

/// All events, I/O errors excluded (none can happen here).
fn run(validator: &Validator, input: impl Read, format: InputFormat) -> Vec<Event> {
    validator
        .validate_reader(input, format)
        .map(|e| e.expect("no I/O error"))
        .collect()
}

fn records(events: &[Event]) -> Vec<&Verdict> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Record(v) => Some(v),
            _ => None,
        })
        .collect()
}

fn codes(v: &Verdict) -> Vec<&'static str> {
    v.issues.iter().map(|f| f.code.as_str()).collect()
}

/// The record verdicts of `input` as (valid, codes), one per record.
fn verdicts(
    validator: &Validator,
    input: &[u8],
    format: InputFormat,
) -> Vec<(bool, Vec<&'static str>)> {
    let events = run(validator, input, format);
    assert!(
        events.iter().all(|e| matches!(e, Event::Record(_))),
        "no envelope expected"
    );
    records(&events)
        .into_iter()
        .map(|v| {
            assert_eq!(v.is_valid(), !v.issues.iter().any(|f| f.is_error()));
            (v.is_valid(), codes(v))
        })
        .collect()
}

fn invalid(codes: &[&'static str]) -> (bool, Vec<&'static str>) {
    (false, codes.to_vec())
}

fn valid() -> (bool, Vec<&'static str>) {
    (true, Vec::new())
}

/// A reader of `head`, then `fill` repeated `count` times, then `tail`, generated lazily.
struct Lazy {
    head: Vec<u8>,
    fill: Vec<u8>,
    count: u64,
    tail: Vec<u8>,
    /// Position: in head, then in the fills, then in the tail.
    pos: u64,
}

impl Lazy {
    fn new(
        head: impl Into<Vec<u8>>,
        fill: impl Into<Vec<u8>>,
        count: u64,
        tail: impl Into<Vec<u8>>,
    ) -> Self {
        Lazy {
            head: head.into(),
            fill: fill.into(),
            count,
            tail: tail.into(),
            pos: 0,
        }
    }

    fn len(&self) -> u64 {
        self.head.len() as u64 + self.fill.len() as u64 * self.count + self.tail.len() as u64
    }

    fn byte_at(&self, i: u64) -> u8 {
        let h = self.head.len() as u64;
        let f = self.fill.len() as u64 * self.count;
        if i < h {
            self.head[i as usize]
        } else if i < h + f {
            self.fill[((i - h) % self.fill.len() as u64) as usize]
        } else {
            self.tail[(i - h - f) as usize]
        }
    }
}

impl Read for Lazy {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let len = self.len();
        let h = self.head.len() as u64;
        let f = self.fill.len() as u64 * self.count;
        let mut n = 0;
        // Whole copies of `fill` are copied slice-wise; the rest byte by byte.
        while n < buf.len() && self.pos < len {
            let fill_len = self.fill.len() as u64;
            if self.pos >= h
                && self.pos < h + f
                && fill_len > 0
                && (self.pos - h) % fill_len == 0
                && (h + f - self.pos) >= fill_len
                && buf.len() - n >= self.fill.len()
            {
                buf[n..n + self.fill.len()].copy_from_slice(&self.fill);
                n += self.fill.len();
                self.pos += fill_len;
            } else {
                buf[n] = self.byte_at(self.pos);
                n += 1;
                self.pos += 1;
            }
        }
        Ok(n)
    }
}

fn all_formats() -> [InputFormat; 3] {
    [InputFormat::Auto, InputFormat::Json, InputFormat::Ndjson]
}

#[test]
fn lazy_reader_yields_its_bytes() {
    let mut out = Vec::new();
    Lazy::new("ab", "xyz", 3, "cd")
        .read_to_end(&mut out)
        .expect("read");
    assert_eq!(out, b"abxyzxyzxyzcd");
}

/// Nesting 100,000 deep: one record, `record.limit`, in every format; and with the depth
/// limit raised past what the parser itself allows, still `record.limit` (no stack overflow).
#[test]
fn nesting_100_000_deep() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let object = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    for input in [&deep, &object] {
        for format in all_formats() {
            assert_eq!(
                verdicts(&validator(), input.as_bytes(), format),
                [invalid(&["record.limit"])],
                "{format:?}"
            );
        }
        let lax = with_limits(|l| l.max_depth = 1_000_000);
        for format in all_formats() {
            assert_eq!(
                verdicts(&lax, input.as_bytes(), format),
                [invalid(&["record.limit"])],
                "{format:?} with max_depth 1,000,000"
            );
        }
    }
}

/// A 100 MB line, generated lazily, followed by a good record: the long line is one
/// `record.limit` verdict and the next record is judged as usual. Also as an element of a
/// JSON array. That memory stays bounded meanwhile is measured by
/// [`memory_stays_bounded_on_huge_input`].
#[test]
fn a_100_mb_line() {
    const SIZE: u64 = 100 * 1000 * 1000;
    let head = r#"{"kind":"person","schemaVersion":"2.0","name":""#;
    let tail = format!("\"}}\n{}\n", person());
    for format in [InputFormat::Auto, InputFormat::Ndjson] {
        let events = run(
            &validator(),
            Lazy::new(head, "a", SIZE, tail.clone()),
            format,
        );
        let got: Vec<_> = records(&events)
            .into_iter()
            .map(|v| (v.is_valid(), codes(v), v.line))
            .collect();
        assert_eq!(
            got,
            [(false, vec!["record.limit"], 1), (true, vec![], 2)],
            "{format:?}"
        );
    }
    let tail = format!("\"}},\n{}]", person());
    let events = run(
        &validator(),
        Lazy::new(format!("[{head}"), "a", SIZE, tail),
        InputFormat::Json,
    );
    let got: Vec<_> = records(&events)
        .into_iter()
        .map(|v| (v.is_valid(), codes(v)))
        .collect();
    assert_eq!(got, [invalid(&["record.limit"]), valid()]);
}

/// A 10 MB name: over the default 1 MiB record limit; with the record limit raised, over
/// the 64 KiB string limit, at `/name`.
#[test]
fn a_10_mb_name() {
    let mut record: Value = serde_json::from_str(&person()).expect("json");
    record["name"] = Value::String("名".repeat(10 * 1000 * 1000 / 3));
    let bytes = serde_json::to_vec(&record).expect("json");
    for format in all_formats() {
        assert_eq!(
            verdicts(&validator(), &bytes, format),
            [invalid(&["record.limit"])]
        );
    }
    let lax = with_limits(|l| l.max_record_bytes = 64 << 20);
    let events = run(&lax, &bytes[..], InputFormat::Ndjson);
    let v = records(&events)[0];
    assert_eq!(codes(v), ["record.limit"]);
    assert_eq!(v.issues[0].path, "/name");
    assert!(!v.issues[0].message.contains("名名名"));
}

/// A million tiny records (`{}` lines): a million verdicts, each `record.kind`, quickly.
#[test]
fn a_million_tiny_records() {
    const N: u64 = 1_000_000;
    let start = Instant::now();
    let mut count = 0u64;
    for event in validator().validate_reader(Lazy::new("", "{}\n", N, ""), InputFormat::Ndjson) {
        let Event::Record(v) = event.expect("no I/O error") else {
            panic!("no envelope in NDJSON");
        };
        assert_eq!(v.index, count);
        assert!(!v.is_valid());
        assert_eq!(codes(&v), ["record.kind"]);
        count += 1;
    }
    assert_eq!(count, N);
    let took = start.elapsed();
    // The test suite runs in debug mode; release is several times faster.
    assert!(
        took < Duration::from_secs(20),
        "{N} tiny records took {took:?}"
    );
    eprintln!("{N} tiny records: {took:?}");
}

/// Invalid UTF-8 inside one record: that record `json.encoding`, its neighbours fine.
#[test]
fn invalid_utf8_in_the_middle() {
    let bad = person().replace("阿依古丽", "阿\u{FFFD}古丽").into_bytes();
    let bad: Vec<u8> = {
        // Replace the three bytes of U+FFFD by two bytes that are not UTF-8.
        let at = bad
            .windows(3)
            .position(|w| w == "\u{FFFD}".as_bytes())
            .expect("marker");
        [&bad[..at], b"\xFF\xFE", &bad[at + 3..]].concat()
    };
    let input = [
        person().as_bytes(),
        b"\n",
        &bad,
        b"\n",
        course().as_bytes(),
        b"\n",
    ]
    .concat();
    assert_eq!(
        verdicts(&validator(), &input, InputFormat::Ndjson),
        [valid(), invalid(&["json.encoding"]), valid()]
    );
    let array = [
        b"[",
        person().as_bytes(),
        b",",
        &bad,
        b",",
        course().as_bytes(),
        b"]",
    ]
    .concat();
    for format in [InputFormat::Auto, InputFormat::Json] {
        assert_eq!(
            verdicts(&validator(), &array, format),
            [valid(), invalid(&["json.encoding"]), valid()]
        );
    }
}

/// A UTF-8 BOM at the start is skipped in every format; one later in the file is not JSON.
#[test]
fn utf8_bom() {
    let input = format!("\u{FEFF}{}\n", person());
    for format in all_formats() {
        assert_eq!(verdicts(&validator(), input.as_bytes(), format), [valid()]);
    }
    let later = format!("{}\n\u{FEFF}{}\n", person(), course());
    assert_eq!(
        verdicts(&validator(), later.as_bytes(), InputFormat::Ndjson),
        [valid(), invalid(&["json.syntax"])]
    );
}

/// The BOM in the other layouts and on the parallel path.
#[test]
fn utf8_bom_everywhere() {
    let v = validator();
    // Parallel NDJSON: skipped at the start, `json.syntax` on a later line, lines unchanged.
    let input = format!("\u{FEFF}{}\n\u{FEFF}{}\n", person(), course());
    for jobs in [1, 2] {
        let events: Vec<Event> = v
            .validate_reader_parallel(
                io::Cursor::new(input.clone().into_bytes()),
                InputFormat::Ndjson,
                jobs,
            )
            .map(|e| e.expect("no I/O error"))
            .collect();
        let got: Vec<_> = records(&events)
            .into_iter()
            .map(|v| (v.line, codes(v)))
            .collect();
        assert_eq!(got, [(1, vec![]), (2, vec!["json.syntax"])], "jobs {jobs}");
    }
    // An array and a batch with a leading BOM; a BOM between array elements is not JSON.
    let array = format!("\u{FEFF}[{},{}]", person(), course());
    for format in [InputFormat::Auto, InputFormat::Json] {
        assert_eq!(verdicts(&v, array.as_bytes(), format), [valid(), valid()]);
    }
    let between = format!("[{},\u{FEFF}{}]", person(), course());
    let got = verdicts(&v, between.as_bytes(), InputFormat::Json);
    assert_eq!(got.first(), Some(&valid()));
    assert!(got
        .iter()
        .skip(1)
        .all(|(ok, codes)| !ok && codes == &["json.syntax"]));
    let batch = format!("\u{FEFF}{{\"records\":[{}]}}", person());
    let events = run(&v, batch.as_bytes(), InputFormat::Auto);
    let r = records(&events);
    assert_eq!(r.len(), 1);
    assert!(r[0].is_valid(), "{:?}", r[0].issues);
    // U+FEFF inside a string is a character: no `json.*` finding.
    let inside = "{\"kind\":\"person\",\"schemaVersion\":\"2.0\",\"x\":\"\u{FEFF}\"}";
    for format in all_formats() {
        let events = run(&v, inside.as_bytes(), format);
        let r = records(&events);
        assert_eq!(r.len(), 1);
        assert!(
            r[0].issues
                .iter()
                .all(|f| !f.code.as_str().starts_with("json.")),
            "{format:?}"
        );
    }
}

/// CRLF line endings, blank CRLF lines included.
#[test]
fn crlf_line_endings() {
    let input = format!("{}\r\n\r\n \r\n{}\r\n", person(), course());
    for format in [InputFormat::Auto, InputFormat::Ndjson] {
        let events = run(&validator(), input.as_bytes(), format);
        let got: Vec<_> = records(&events)
            .into_iter()
            .map(|v| (v.is_valid(), v.line))
            .collect();
        assert_eq!(got, [(true, 1), (true, 4)]);
    }
    let array = format!("[\r\n{},\r\n{}\r\n]\r\n", person(), course());
    assert_eq!(
        verdicts(&validator(), array.as_bytes(), InputFormat::Json),
        [valid(), valid()]
    );
}

/// A NUL byte, between tokens or inside a string: `json.syntax` for that record only.
#[test]
fn nul_bytes() {
    let p = person();
    let between = format!("{}\0}}", &p[..p.len() - 1]);
    let inside = p.replace("female", "fe\0male");
    let input = format!("{between}\n{inside}\n{}\n", course());
    assert_eq!(
        verdicts(&validator(), input.as_bytes(), InputFormat::Ndjson),
        [
            invalid(&["json.syntax"]),
            invalid(&["json.syntax"]),
            valid()
        ]
    );
}

/// Something after a complete record: `json.syntax` for that record; in a JSON document,
/// one more verdict for what follows the array.
#[test]
fn trailing_garbage() {
    let input = format!("{} x\n{}}}\n{}\n", person(), course(), person());
    assert_eq!(
        verdicts(&validator(), input.as_bytes(), InputFormat::Ndjson),
        [
            invalid(&["json.syntax"]),
            invalid(&["json.syntax"]),
            valid()
        ]
    );
    let single = format!("{} x", person());
    for format in [InputFormat::Auto, InputFormat::Json] {
        assert_eq!(
            verdicts(&validator(), single.as_bytes(), format),
            [invalid(&["json.syntax"])]
        );
    }
    let array = format!("[{},{}] x", person(), course());
    assert_eq!(
        verdicts(&validator(), array.as_bytes(), InputFormat::Json),
        [valid(), valid(), invalid(&["json.syntax"])]
    );
}

/// An empty file, and a file of whitespace: as NDJSON (and auto-detected) no record at all;
/// as a JSON document one `json.syntax` verdict ("empty document").
#[test]
fn empty_and_whitespace_files() {
    for input in ["", " \n\t\r\n  \n", "\u{FEFF}"] {
        for format in [InputFormat::Auto, InputFormat::Ndjson] {
            assert_eq!(verdicts(&validator(), input.as_bytes(), format), []);
        }
        assert_eq!(
            verdicts(&validator(), input.as_bytes(), InputFormat::Json),
            [invalid(&["json.syntax"])]
        );
    }
}

fn course_with(field: &str, number: &str) -> String {
    let c = course();
    let at = format!("\"{field}\":");
    let start = c.find(&at).expect("field") + at.len();
    let end = start + c[start..].find([',', '}']).expect("end");
    format!("{}{number}{}", &c[..start], &c[end..])
}

/// Numbers at the edges: `1e400` is beyond a double (`record.limit`); `-0` is zero; an
/// integer beyond 64 bits is an ordinary (large) decimal where a decimal is expected, and
/// out of range where a count is expected.
#[test]
fn edge_numbers() {
    let cases = [
        ("1e400", invalid(&["record.limit"])),
        ("-1e400", invalid(&["record.limit"])),
        ("-0", valid()),
        ("-0.0", valid()),
        ("123456789012345678901234567890", valid()),
        (
            "-123456789012345678901234567890",
            invalid(&["schema.range"]),
        ),
        ("1e-400", valid()),
    ];
    for (number, expected) in cases {
        let input = course_with("classHours", number);
        assert_eq!(
            verdicts(&validator(), input.as_bytes(), InputFormat::Ndjson),
            [expected],
            "classHours {number}"
        );
    }
    let completion = vector("completion-completed-assessed.json");
    for (number, expected) in [
        ("18446744073709551616", invalid(&["schema.range"])),
        ("4294967296", invalid(&["schema.range"])),
        ("-0", valid()),
        ("1800.0", valid()),
    ] {
        let input = completion.replace(
            "\"studyMinutes\":1800",
            &format!("\"studyMinutes\":{number}"),
        );
        assert_ne!(input, completion);
        assert_eq!(
            verdicts(&validator(), input.as_bytes(), InputFormat::Ndjson),
            [expected],
            "studyMinutes {number}"
        );
    }
}

/// Lone surrogates in `\u` escapes cannot be UTF-8: `json.encoding`.
#[test]
fn lone_surrogates() {
    let p = person();
    let lines: Vec<String> = ["\\ud800", "\\udc00", "x\\ud800\\u0041", "\\ud800\\ud800"]
        .iter()
        .map(|esc| p.replace("阿依古丽·买买提", esc))
        .collect();
    assert_eq!(
        verdicts(
            &validator(),
            lines.join("\n").as_bytes(),
            InputFormat::Ndjson
        ),
        vec![invalid(&["json.encoding"]); 4]
    );
    // A proper pair is fine (and a name needs no more than that).
    let pair = p.replace("阿依古丽·买买提", "\\ud842\\udfb7");
    assert_eq!(
        verdicts(&validator(), pair.as_bytes(), InputFormat::Ndjson),
        [valid()]
    );
}

/// The same key twice, at any depth: `json.duplicate-key`, on either parsing path.
#[test]
fn duplicate_keys_at_depth() {
    let p = person();
    let lines = [
        p.replace(
            "\"method\":\"face-match\"",
            "\"method\":\"face-match\",\"method\":\"face-match\"",
        ),
        p.replace(
            "\"verification\":{",
            "\"extensions\":{\"a.b:c\":{\"x\":{\"y\":1,\"y\":2}}},\"verification\":{",
        ),
        format!("{},\"kind\":\"person\"}}", &p[..p.len() - 1]),
    ];
    assert_eq!(
        verdicts(
            &validator(),
            lines.join("\n").as_bytes(),
            InputFormat::Ndjson
        ),
        vec![invalid(&["json.duplicate-key"]); 3]
    );
}

/// A course of 100,000 modules: over the default record size; with the limit raised, judged
/// in full (the hours add up, so it is valid).
#[test]
fn a_course_with_100_000_modules() {
    const N: usize = 100_000;
    let mut c: Value = serde_json::from_str(&course()).expect("json");
    let module = json!({"title": {"zh-CN": "模块"}, "classHours": 1, "topic": "practice"});
    c["modules"] = Value::Array(vec![module; N]);
    c["classHours"] = json!(N);
    let bytes = serde_json::to_vec(&c).expect("json");
    assert_eq!(
        verdicts(&validator(), &bytes, InputFormat::Ndjson),
        [invalid(&["record.limit"])]
    );
    let lax = with_limits(|l| l.max_record_bytes = 64 << 20);
    let start = Instant::now();
    assert_eq!(verdicts(&lax, &bytes, InputFormat::Ndjson), [valid()]);
    c["classHours"] = json!(N + 1);
    let bytes = serde_json::to_vec(&c).expect("json");
    assert_eq!(
        verdicts(&lax, &bytes, InputFormat::Ndjson),
        [invalid(&["course.hours-sum"])]
    );
    assert!(start.elapsed() < Duration::from_secs(30));
}

/// A batch whose `records` is not an array: no record, and the envelope says why.
///
/// Auto-detection (stdin) sees a one-line object without `"records": [` and reads it as
/// NDJSON: one invalid record, `record.kind` ("a batch cannot be a record of an upload").
/// Nothing is lost, but the code is less helpful than the envelope's (reported).
#[test]
fn batch_records_not_an_array() {
    let batch =
        std::fs::read(root().join("tests/vectors/2.0/invalid/batch-records-not-array.json"))
            .expect("vector");
    let auto = run(&validator(), &batch[..], InputFormat::Auto);
    assert_eq!(auto.len(), 1);
    assert!(!auto[0].verdict().is_valid());
    let mut pretty: Value = serde_json::from_slice(&batch).expect("json");
    pretty["records"] = json!({"a": 1});
    let pretty = serde_json::to_vec_pretty(&pretty).expect("json");
    for (format, bytes) in [
        (InputFormat::Json, &batch),
        (InputFormat::Auto, &pretty),
        (InputFormat::Json, &pretty),
    ] {
        let events = run(&validator(), &bytes[..], format);
        assert_eq!(events.len(), 1, "{format:?}");
        let Event::Envelope(v) = &events[0] else {
            panic!("an envelope verdict");
        };
        assert!(!v.is_valid());
        assert_eq!(codes(v), ["schema.type"]);
        assert_eq!(v.issues[0].path, "/records");
    }
    for records in ["null", "\"x\"", "1", "{}"] {
        let text = String::from_utf8_lossy(&batch).replace("{\"a\":1}", records);
        let events = run(&validator(), text.as_bytes(), InputFormat::Json);
        assert_eq!(events.len(), 1, "records: {records}");
        assert!(
            matches!(&events[0], Event::Envelope(v) if codes(v) == ["schema.type"]),
            "records: {records}"
        );
    }
}

/// The work whose memory [`memory_stays_bounded_on_huge_input`] measures, run in a child
/// process of this test binary: a 100 MB line and a 200 MB array of about 600,000 records (well
/// over the ceiling asserted), read lazily, both sequentially and on two threads.
#[test]
#[ignore = "run by memory_stays_bounded_on_huge_input in a child process"]
fn memory_probe() {
    let head = r#"{"kind":"person","schemaVersion":"2.0","name":""#;
    let long = Lazy::new(
        head,
        "a",
        100 * 1000 * 1000,
        format!("\"}}\n{}\n", person()),
    );
    assert_eq!(run(&validator(), long, InputFormat::Ndjson).len(), 2);
    let record = format!("{},", person());
    let n = 200 * 1000 * 1000 / record.len() as u64;
    let array = || Lazy::new("[", record.clone(), n, format!("{}]", person()));
    let mut count = 0;
    for event in validator().validate_reader_parallel(array(), InputFormat::Json, 2) {
        event.expect("no I/O error");
        count += 1;
    }
    assert_eq!(count, n + 1);
}

/// Peak memory of validating huge input stays far below its size: the probe above runs in a
/// child process whose high-water mark (VmHWM, Linux) is read until it exits.
#[test]
fn memory_stays_bounded_on_huge_input() {
    const CEILING_KIB: u64 = 96 * 1024;
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "adversarial::memory_probe",
            "--ignored",
            "--test-threads=1",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the probe");
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let exit = loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    assert!(exit.success(), "the probe failed: {err}");
    assert!(peak_kib > 0, "no reading of the probe's memory");
    assert!(
        peak_kib < CEILING_KIB,
        "peak RSS {peak_kib} KiB over {CEILING_KIB} KiB on 300 MB of input"
    );
    eprintln!("memory probe: peak RSS {peak_kib} KiB");
}
