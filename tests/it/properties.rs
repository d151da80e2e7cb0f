//! Properties over generated inputs (proptest, 256 cases each): every non-blank line gets
//! exactly one verdict, and no sensitive value (resident ID number, name, mobile number) ever
//! reaches an output — reports in every format and language, `Debug` of verdicts and of
//! typed records.

use dsti::report::{Format, ReportWriter};
use dsti::v2::Record;
use dsti::validate::{Event, InputFormat, Lang, Limits, Options, Summary, Validator};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::{mod11_2, root};

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn validator(lang: Lang, small: bool) -> Validator {
    let mut limits = Limits::default();
    if small {
        limits.max_depth = 3;
        limits.max_string_bytes = 8;
    }
    Validator::new(
        Options::default()
            .now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now"))
            .lang(lang)
            .limits(limits),
    )
}

fn vector(name: &str) -> Value {
    let path = root().join("tests/vectors/2.0/valid").join(name);
    serde_json::from_slice(&std::fs::read(path).expect("vector")).expect("json")
}

/// Lines of an NDJSON upload: garbage, blank-ish lines and records.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let record = prop::sample::select(vec![
        "person-minority-leap-day.json",
        "course-elderly-online-retraining.json",
        "completion-completed-assessed.json",
        "certificate-skill-level.json",
    ])
    .prop_map(|name| serde_json::to_vec(&vector(name)).expect("json"));
    prop_oneof![
        3 => prop::collection::vec(any::<u8>().prop_filter("one line", |&b| b != b'\n'), 0..40),
        2 => prop::collection::vec(prop::sample::select(vec![b' ', b'\t', b'\r', 0x0b, 0x0c]), 0..4),
        2 => record.clone(),
        2 => (record, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut r, i, b)| {
            // One byte changed anywhere but to a newline.
            let at = i.index(r.len());
            r[at] = if b == b'\n' { b'{' } else { b };
            r
        }),
        1 => prop::sample::select(vec!["{}", "[]", "null", "1e400", "\"\\ud800\"", "{\"a\":1,\"a\":1}", "\u{FEFF}{}"])
            .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// One verdict per non-blank line, in order; valid + invalid = total.
    #[test]
    fn one_verdict_per_non_blank_line(
        lines in prop::collection::vec(line(), 0..12),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let sep: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let mut input = lines.join(sep);
        if final_newline {
            input.extend_from_slice(sep);
        }
        let expected = input.split(|&b| b == b'\n').filter(|l| !is_blank(l)).count();
        for small in [false, true] {
            let mut summary = Summary::default();
            let mut lines_seen = Vec::new();
            for event in validator(Lang::En, small).validate_reader(&input[..], InputFormat::Ndjson) {
                let Event::Record(v) = event.expect("no I/O error") else {
                    panic!("NDJSON has no envelope");
                };
                prop_assert_eq!(v.index as usize, lines_seen.len());
                prop_assert_eq!(v.is_valid(), !v.issues.iter().any(|f| f.is_error()));
                lines_seen.push(v.line);
                summary.add(&v);
            }
            prop_assert_eq!(summary.total as usize, expected);
            prop_assert_eq!(summary.valid + summary.invalid, summary.total);
            prop_assert!(lines_seen.windows(2).all(|w| w[0] < w[1]));
        }
    }
}

/// A valid resident ID number.
fn resident_id() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "110105", "310115", "440106", "650102", "510104", "370202",
        ]),
        1950u32..2006,
        1u32..13,
        1u32..29,
        0u32..1000,
    )
        .prop_map(|(region, y, m, d, seq)| {
            let first17 = format!("{region}{y:04}{m:02}{d:02}{seq:03}");
            format!("{first17}{}", mod11_2(&first17))
        })
}

/// A Chinese name of 2 to 4 characters.
fn name() -> impl Strategy<Value = String> {
    const SURNAMES: &str =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁";
    const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫淑婷颖";
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    (
        prop::sample::select(s),
        prop::collection::vec(prop::sample::select(g), 1..4),
    )
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

/// A mainland mobile number.
fn phone() -> impl Strategy<Value = String> {
    (3u32..10, 0u64..1_000_000_000).prop_map(|(second, rest)| format!("1{second}{rest:09}"))
}

#[derive(Debug, Clone)]
struct Secrets {
    id: String,
    name: String,
    phone: String,
}

impl Secrets {
    fn all(&self) -> [&str; 3] {
        [&self.id, &self.name, &self.phone]
    }
}

/// A valid person holding the secrets (no gender or birth date, which would have to agree).
fn person(s: &Secrets) -> Value {
    json!({
        "kind": "person", "schemaVersion": "2.0", "id": "00000000-0000-4000-8000-000000000002",
        "name": s.name, "document": {"type": "resident-id-card", "number": s.id},
        "phone": s.phone, "region": "440106",
    })
}

fn completion(s: &Secrets) -> Value {
    let mut c = vector("completion-completed-assessed.json");
    c["learner"] = json!({"document": {"type": "resident-id-card", "number": s.id}});
    c
}

fn certificate(s: &Secrets) -> Value {
    let mut c = vector("certificate-skill-level.json");
    c["holderName"] = json!(s.name);
    c["holder"] = json!({"document": {"type": "resident-id-card", "number": s.id}});
    c
}

/// One way to make a record holding a secret invalid. `secret` is 0, 1 or 2 (id, name, phone).
fn corrupt(s: &Secrets, how: u8, secret: usize) -> Value {
    let value = s.all()[secret].to_owned();
    let mut p = person(s);
    match how {
        0 => p["kind"] = json!("persn"),
        1 => p["kind"] = json!(value),
        2 => p["schemaVersion"] = json!(value),
        3 => p[value.as_str()] = json!(1),
        4 => p["extra"] = json!(value),
        5 => p["birthDate"] = json!(format!("{}-02-30", &s.id[6..10])),
        6 => p["gender"] = json!(value),
        7 => p["id"] = json!(value),
        8 => p["name"] = json!([s.name]),
        9 => p["phone"] = json!(s.phone.parse::<u64>().unwrap_or(0)),
        10 => {
            // A wrong check character.
            let last = if s.id.ends_with('0') { '1' } else { '0' };
            p["document"]["number"] = json!(format!("{}{last}", &s.id[..17]));
        }
        11 => p["document"]["number"] = json!(s.id.to_lowercase().replace('X', "x") + " "),
        12 => p["extensions"] = json!({ format!("acme.example:{value}"): value }),
        13 => p["extensions"] = json!({ value.clone(): {"x": value} }),
        14 => p["document"]["type"] = json!("passport"),
        15 => p["phone"] = json!(format!("{}0", s.phone)),
        16 => p["name"] = json!(format!(" {} ", s.name)),
        17 => {
            let mut c = completion(s);
            c["learner"]["document"]["extra"] = json!(value);
            return c;
        }
        18 => {
            let mut c = certificate(s);
            c["level"] = json!(value);
            return c;
        }
        19 => {
            let mut c = certificate(s);
            c["holder"][value.as_str()] = json!({"deep": {"deeper": {"deepest": value}}});
            return c;
        }
        20 => p["document"] = json!({"type": "resident-id-card", "number": s.id, "number2": s.id}),
        _ => {
            p["verification"] =
                json!({"method": value, "verifiedAt": "2026-01-01T00:00:00", "result": s.phone})
        }
    }
    p
}

fn secrets() -> impl Strategy<Value = Secrets> {
    (resident_id(), name(), phone()).prop_map(|(id, name, phone)| Secrets { id, name, phone })
}

fn assert_no_secret(text: &str, s: &Secrets, what: &str) -> Result<(), TestCaseError> {
    for secret in s.all() {
        prop_assert!(
            !text.contains(secret),
            "{} leaks {:?}:\n{}",
            what,
            secret,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No report, verdict or typed record ever shows a sensitive value.
    #[test]
    fn no_sensitive_value_leaks(
        s in secrets(),
        corruptions in prop::collection::vec((0u8..22, 0usize..3), 1..6),
        duplicate in any::<bool>(),
    ) {
        let mut lines: Vec<String> = corruptions
            .iter()
            .map(|&(how, secret)| corrupt(&s, how, secret).to_string())
            .collect();
        // A valid record of each kind holding the secrets, and, raw, a duplicate key named by
        // a secret.
        lines.push(person(&s).to_string());
        lines.push(completion(&s).to_string());
        lines.push(certificate(&s).to_string());
        if duplicate {
            lines.push(format!(
                r#"{{"kind":"person","schemaVersion":"2.0","{0}":1,"{0}":2,"name":"{1}"}}"#,
                s.id, s.name
            ));
        }
        let input = lines.join("\n");

        for lang in [Lang::En, Lang::Zh] {
            for small in [false, true] {
                let events: Vec<Event> = validator(lang, small)
                    .validate_reader(input.as_bytes(), InputFormat::Ndjson)
                    .map(|e| e.expect("no I/O error"))
                    .collect();
                prop_assert_eq!(events.len(), lines.len());
                for e in &events {
                    assert_no_secret(&format!("{:?}", e.verdict()), &s, "Debug of a verdict")?;
                    assert_no_secret(&format!("{e:?}"), &s, "Debug of an event")?;
                }
                for format in [Format::Text, Format::Json, Format::Ndjson] {
                    for report_lang in [Lang::En, Lang::Zh] {
                        let mut out = Vec::new();
                        let mut w = ReportWriter::new(&mut out, format, report_lang, "default")
                            .expect("writer");
                        for e in &events {
                            w.write_event(e).expect("write");
                        }
                        w.finish().expect("finish");
                        let text = String::from_utf8(out).expect("UTF-8");
                        assert_no_secret(&text, &s, &format!("{format:?} report ({lang:?})"))?;
                    }
                }
            }
        }

        // Debug of the typed records.
        for record in [person(&s), completion(&s), certificate(&s)] {
            let typed: Record = serde_json::from_value(record).expect("a valid record");
            assert_no_secret(&format!("{typed:?}"), &s, "Debug of a typed record")?;
            assert_no_secret(&format!("{typed:#?}"), &s, "pretty Debug of a typed record")?;
        }
    }
}
