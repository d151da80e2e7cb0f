//! Invariants shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and by the stable replay
//! of their corpora (`tests/it/corpus.rs`), which includes this file with `#[path]`.
//!
//! Uses only crates that both the fuzz crate and the main crate's tests can see: `dsti`,
//! `serde_json` and `jsonschema`. Every check panics on a broken invariant.
#![allow(dead_code)]

use std::fmt::Debug;
use std::io::Cursor;
use std::str::FromStr;
use std::sync::OnceLock;

use dsti::ident::{
    CertificateNumber, CountryCode, Date, DocumentNumber, DocumentType, ExtensionKey, Gender,
    IdDocument, LanguageTag, Level, OccupationCode, PersonName, PhoneNumber, RecordId, RegionCode,
    Timestamp, Uscc,
};
use dsti::report::{Format, ReportWriter};
use dsti::v2::{
    AssessmentMethod, Batch, CertificateStatus, CertificateType, CompletionStatus, DeliveryMode,
    DocumentDigest, HttpsUrl, ModuleTopic, Record, ServiceCategory, Text, TrainingType,
    VerificationMethod, VerificationResult,
};
use dsti::validate::{Event, InputFormat, Lang, Limits, Options, Validator, Verdict};
use dsti::{schema, Code, DocumentKind, Kind, Version};
use serde_json::Value;

/// "Now" for every check, so that a replay judges exactly as the fuzzer did.
pub(crate) const NOW: &str = "2026-11-28T12:00:00+08:00";

/// Small limits, so that short inputs reach the limit paths.
pub(crate) fn small_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_record_bytes = 256;
    limits.max_depth = 4;
    limits.max_string_bytes = 16;
    limits
}

fn options(limits: Limits, lang: Lang) -> Options {
    let now = chrono_now();
    Options::default().limits(limits).lang(lang).now(now)
}

fn chrono_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(NOW).expect("NOW is RFC 3339")
}

/// The validators the checks use: default limits and small limits.
pub(crate) fn validators() -> &'static [Validator; 2] {
    static V: OnceLock<[Validator; 2]> = OnceLock::new();
    V.get_or_init(|| {
        [
            Validator::new(options(Limits::default(), Lang::En)),
            Validator::new(options(small_limits(), Lang::Zh)),
        ]
    })
}

/// How many records NDJSON framing must find: the lines (after a leading UTF-8 BOM, split
/// at `\n`) that are not blank, blank meaning only spaces, tabs and `\r` (as the framing
/// defines it).
pub(crate) fn ndjson_record_count(data: &[u8]) -> usize {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    data.split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')))
        .count()
}

/// `valid` says exactly whether there is an error.
pub(crate) fn check_verdict(v: &Verdict) {
    assert_eq!(
        v.is_valid(),
        !v.issues.iter().any(|f| f.is_error()),
        "valid disagrees with the issues: {v:?}"
    );
    for f in &v.issues {
        assert_eq!(f.code.as_str().parse::<Code>().ok(), Some(f.code));
    }
}

/// All events of `data` read as `format`, each verdict checked.
pub(crate) fn events(validator: &Validator, data: &[u8], format: InputFormat) -> Vec<Event> {
    validator
        .validate_reader(data, format)
        .map(|e| {
            let e = e.expect("reading a slice cannot fail");
            check_verdict(e.verdict());
            e
        })
        .collect()
}

/// The structural invariants of one stream of events.
pub(crate) fn check_stream(data: &[u8], format: InputFormat, events: &[Event]) {
    let mut index = 0u64;
    let mut last_line = 0u64;
    let mut envelopes = 0;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Record(v) => {
                assert_eq!(v.index, index, "record indices are 0, 1, 2…");
                index += 1;
                assert!(v.line >= 1, "lines are 1-based");
                if format == InputFormat::Ndjson {
                    assert!(v.line > last_line, "NDJSON lines increase");
                } else {
                    assert!(v.line >= last_line, "lines do not go back");
                }
                last_line = v.line;
            }
            Event::Envelope(_) => {
                envelopes += 1;
                assert_ne!(format, InputFormat::Ndjson, "NDJSON has no envelope");
                // After the envelope, only garbage after the batch object may follow, as
                // one json.syntax record standing for the rest of the input.
                for after in &events[i + 1..] {
                    let Event::Record(v) = after else {
                        panic!("two envelopes")
                    };
                    assert_eq!(i + 2, events.len(), "one record at most after the envelope");
                    assert!(v.issues.iter().any(|f| f.code == Code::JsonSyntax));
                }
            }
            _ => {}
        }
    }
    assert!(envelopes <= 1);
    if format == InputFormat::Ndjson {
        assert_eq!(
            index as usize,
            ndjson_record_count(data),
            "one verdict per non-blank NDJSON line"
        );
    }
}

fn records(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::Record(_)))
        .count()
}

/// Arbitrary bytes through `validate_reader` in every format, with default and small limits.
/// `parallel` also compares the parallel reader with the sequential one.
pub(crate) fn check_validate(data: &[u8], parallel: bool) {
    for (n, validator) in validators().iter().enumerate() {
        let auto = events(validator, data, InputFormat::Auto);
        let json = events(validator, data, InputFormat::Json);
        let ndjson = events(validator, data, InputFormat::Ndjson);
        check_stream(data, InputFormat::Auto, &auto);
        check_stream(data, InputFormat::Json, &json);
        check_stream(data, InputFormat::Ndjson, &ndjson);
        assert!(
            auto == json || auto == ndjson,
            "Auto reads as neither JSON nor NDJSON"
        );
        check_chunks(validator, data, &ndjson, 1);
        if parallel {
            check_chunks(validator, data, &ndjson, 2);
        }
        if n == 0 {
            check_reports(&auto);
            if parallel {
                let par: Vec<Event> = validator
                    .validate_reader_parallel(Cursor::new(data.to_vec()), InputFormat::Auto, 2)
                    .map(|e| e.expect("reading a cursor cannot fail"))
                    .collect();
                assert!(par == auto, "the parallel reader disagrees");
            }
        }
    }
}

/// `data` in chunks (of 1 to 61 bytes, as its bytes say) through
/// `Validator::report_chunks` on `jobs` threads gives the report of the same bytes read as
/// one NDJSON stream (`ndjson`, its events).
pub(crate) fn check_chunks(validator: &Validator, data: &[u8], ndjson: &[Event], jobs: usize) {
    let mut chunks = Vec::new();
    let (mut at, mut i) = (0, 0);
    while at < data.len() {
        let size = 1 + usize::from(data[i % data.len()]) % 61;
        let end = (at + size).min(data.len());
        chunks.push(Ok(bytes::Bytes::copy_from_slice(&data[at..end])));
        (at, i) = (end, i + 7);
    }
    let lang = validator.options().lang;
    let mut out = Vec::new();
    let mut w = ReportWriter::new(&mut out, Format::Ndjson, lang, "default").expect("writer");
    for piece in validator.report_chunks(chunks.into_iter(), jobs, Format::Ndjson) {
        let piece = piece.expect("chunks in memory cannot fail");
        w.write_piece(&piece).expect("write to a Vec");
    }
    w.finish().expect("finish");
    assert!(
        out == report(ndjson, Format::Ndjson, lang),
        "the chunks disagree with one stream"
    );
}

/// Every report format in both languages is well-formed and counts every record.
pub(crate) fn check_reports(events: &[Event]) {
    let total = records(events) as u64;
    for lang in [Lang::En, Lang::Zh] {
        for format in [Format::Ndjson, Format::Json, Format::Text] {
            let out = report(events, format, lang);
            match format {
                Format::Ndjson => {
                    let text = std::str::from_utf8(&out).expect("UTF-8 report");
                    let lines: Vec<Value> = text
                        .lines()
                        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
                        .collect();
                    assert_eq!(lines.len(), events.len() + 1);
                    let summary = &lines.last().expect("summary")["summary"];
                    assert_eq!(summary["total"], total);
                    assert_eq!(
                        summary["valid"].as_u64().unwrap_or(u64::MAX)
                            + summary["invalid"].as_u64().unwrap_or(u64::MAX),
                        total
                    );
                }
                Format::Json => {
                    let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
                    assert_eq!(doc["summary"]["total"], total);
                    assert_eq!(doc["records"].as_array().map(Vec::len), Some(events.len()));
                }
                _ => {
                    std::str::from_utf8(&out).expect("UTF-8 report");
                }
            }
        }
    }
}

/// The bytes of one report.
pub(crate) fn report(events: &[Event], format: Format, lang: Lang) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = ReportWriter::new(&mut out, format, lang, "default").expect("writer");
    for e in events {
        w.write_event(e).expect("write to a Vec");
    }
    w.finish().expect("finish");
    out
}

/// `dsti::migrate::migrate` both ways: a migrated record comes with `migrated()`, validates
/// under the target version, and migrating it again to that version leaves it unchanged; the
/// report never shows an ID or phone number of the input.
pub(crate) fn check_migrate(value: &Value) {
    static CLOCK: OnceLock<Validator> = OnceLock::new();
    // `migrate` judges with the clock's "now"; so does this validator.
    let clock = CLOCK.get_or_init(|| Validator::new(Options::default()));
    for to in Version::ALL {
        let outcome = dsti::migrate::migrate(value, to);
        assert_eq!(outcome.report.migrated(), outcome.record.is_some());
        assert_eq!(outcome.report.to, to);
        let report = serde_json::to_string(&outcome.report).expect("report serializes");
        let debug = format!("{:?}", outcome.report);
        for secret in sensitive_strings(value) {
            assert!(
                !report.contains(&secret),
                "the migration report leaks: {report}"
            );
            assert!(
                !debug.contains(&secret),
                "Debug of the report leaks: {debug}"
            );
        }
        let Some(record) = outcome.record else {
            continue;
        };
        let out = record.to_value();
        assert_eq!(
            out.get("schemaVersion").and_then(Value::as_str),
            Some(to.as_str())
        );
        let verdict = clock.validate_value(&out);
        check_verdict(&verdict);
        assert!(
            verdict.is_valid(),
            "migrated to {to} but invalid there: {:?}",
            verdict.issues
        );
        let again = dsti::migrate::migrate(&out, to);
        assert!(again.report.migrated(), "a migrated record is refused");
        assert_eq!(
            again.record.map(|r| r.to_value()),
            Some(out),
            "migrating to the same version changes the record"
        );
    }
}

/// ID and phone numbers (values of `idCardNo`, `number`, `phone` with 6 digits or more)
/// anywhere in a value.
fn sensitive_strings(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if let (true, Some(s)) = (
                        matches!(k.as_str(), "idCardNo" | "number" | "phone"),
                        v.as_str(),
                    ) {
                        // Only what looks like a number: at least 6 digits.
                        if s.bytes().filter(u8::is_ascii_digit).count() >= 6 {
                            out.push(s.to_owned());
                        }
                    }
                    stack.push(v);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// The compiled committed 2.0 schema of a record kind or the batch envelope.
pub(crate) fn schema_of(kind: impl Into<DocumentKind>) -> &'static jsonschema::Validator {
    static S: OnceLock<Vec<(DocumentKind, jsonschema::Validator)>> = OnceLock::new();
    let kind = kind.into();
    let all = S.get_or_init(|| {
        DocumentKind::ALL
            .iter()
            .map(|&k| {
                let s = schema::generate(Version::V2_0, k, schema::DEFAULT_BASE_URI);
                let v = jsonschema::draft202012::options()
                    .should_validate_formats(true)
                    .build(&s)
                    .expect("the committed schema compiles");
                (k, v)
            })
            .collect()
    });
    &all.iter().find(|(k, _)| *k == kind).expect("every kind").1
}

/// Both ways between the typed API and the committed schema: the typed API accepting a value
/// implies the schema accepts it; the schema accepting a value that the typed API refuses
/// implies the validator reports a rule's error for it (the types check what no schema can:
/// check characters, calendar dates). Also: the validator's fast path (typed straight from
/// bytes) and slow path (through a value) agree.
pub(crate) fn check_differential(value: &Value) {
    let typed = serde_json::from_value::<Record>(value.clone());
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .and_then(|k| k.parse::<DocumentKind>().ok());
    match kind {
        None | Some(DocumentKind::Batch) => {
            assert!(typed.is_err(), "a record without a record kind is accepted");
            if kind == Some(DocumentKind::Batch) {
                let batch = serde_json::from_value::<Batch>(value.clone());
                if batch.is_ok() {
                    assert!(
                        schema_of(DocumentKind::Batch).is_valid(value),
                        "the typed API accepts a batch that the schema rejects: {value}"
                    );
                }
            }
        }
        Some(DocumentKind::Record(kind)) => {
            let schema_ok = schema_of(kind).is_valid(value);
            if let Ok(record) = &typed {
                assert!(
                    schema_ok,
                    "the typed API accepts what the committed schema rejects: {value}\n{record:?}"
                );
            }
            let bytes = serde_json::to_vec(value).expect("a value serializes");
            check_fast_path(&bytes);
            let fast = Record::from_slice_as(kind, &bytes);
            // Bytes nested deeper than serde_json's parser allows (128) fail from bytes
            // only; the validator never has such a value, since it parses bytes.
            if serde_json::from_slice::<Value>(&bytes).is_ok() {
                assert_eq!(
                    fast.is_ok(),
                    typed.is_ok(),
                    "typed from bytes and from a value disagree: {value}"
                );
            }
            // The validator reads the same bytes the same way on either path: a record the
            // typed API accepts has no structural finding.
            let validator = &validators()[0];
            let verdict = validator.validate_bytes(&bytes);
            check_verdict(&verdict);
            // From bytes (the typed path, else the tree the schema judges) and from the value
            // (the schema on a `serde_json::Value`), one verdict.
            if bytes.len() <= validator.options().limits.max_record_bytes
                && serde_json::from_slice::<Value>(&bytes).is_ok()
            {
                assert_eq!(
                    serde_json::to_value(&verdict).expect("verdict"),
                    serde_json::to_value(validator.validate_value(value)).expect("verdict"),
                    "a record is judged from its bytes unlike from its value: {value}"
                );
            }
            let structural = |f: &dsti::validate::Finding| {
                let c = f.code.as_str();
                c.starts_with("schema.") || c.starts_with("json.") || c == "record.kind"
            };
            if typed.is_ok() {
                assert!(
                    !verdict.issues.iter().any(structural),
                    "a typed record gets a structural finding: {verdict:?}"
                );
            }
            // The other way: what the schema accepts and the types refuse, they refuse for a
            // reason the schema cannot say (a check character, a calendar date…), and the
            // validator names it with a rule's code, as an error.
            if schema_ok && typed.is_err() {
                assert!(
                    verdict.issues.iter().any(|f| f.is_error() && !structural(f)),
                    "the schema accepts, the types refuse, and no rule says why: {value}\n{verdict:?}"
                );
            }
        }
    }
}

/// The validator's fast-path parse against `serde_json::from_slice` on any bytes: for every
/// edition and kind it types, the same records, equal, and the same refusals (lone
/// surrogates, invalid UTF-8, control characters, numbers, depth, duplicate keys, trailing
/// bytes all included). A 2.1 record it types gets, from its bytes, the verdict that the slow
/// path gives it from its value.
pub(crate) fn check_fast_path(data: &[u8]) {
    use dsti::validate::{typed_from_slice, TypedRecord};
    fn v2_1<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
        serde_json::from_slice(data).ok()
    }
    let mut typed_2_1 = false;
    for version in [Version::V2_0, Version::V2_1] {
        for &kind in version.kinds() {
            let ours = typed_from_slice(version, kind, data);
            let theirs = match version {
                Version::V2_0 => Record::from_slice_as(kind, data)
                    .ok()
                    .map(TypedRecord::V2_0),
                _ => match kind {
                    Kind::Person => v2_1(data).map(dsti::v2_1::Record::Person),
                    Kind::Course => v2_1(data).map(dsti::v2_1::Record::Course),
                    Kind::Completion => v2_1(data).map(dsti::v2_1::Record::Completion),
                    Kind::Certificate => v2_1(data).map(dsti::v2_1::Record::Certificate),
                    _ => v2_1(data).map(dsti::v2_1::Record::Competition),
                }
                .map(TypedRecord::V2_1),
            };
            typed_2_1 |= version == Version::V2_1 && ours.is_some();
            assert_eq!(
                ours, theirs,
                "the fast path reads {version} {kind} unlike serde_json::from_slice"
            );
        }
    }
    let validator = &validators()[0];
    if typed_2_1 && data.len() <= validator.options().limits.max_record_bytes {
        let value: Value = serde_json::from_slice(data).expect("a typed record is JSON");
        let fast = serde_json::to_value(validator.validate_bytes(data)).expect("verdict");
        let slow = serde_json::to_value(validator.validate_value(&value)).expect("verdict");
        assert_eq!(
            fast, slow,
            "a typed 2.1 record is judged unlike its value: {value}"
        );
    }
}

/// A record that parses serializes to bytes that parse to the same record and serialize to
/// the same bytes.
pub(crate) fn check_roundtrip(data: &[u8]) {
    if let Ok(r1) = serde_json::from_slice::<Record>(data) {
        let s1 = serde_json::to_vec(&r1).expect("serialize");
        let r2: Record = serde_json::from_slice(&s1).expect("serialized record parses");
        assert_eq!(r1, r2, "the record changed on a round trip");
        let s2 = serde_json::to_vec(&r2).expect("serialize");
        assert_eq!(s1, s2, "serialization is not stable");
        let fast = Record::from_slice_as(r1.kind(), &s1).expect("fast path parses");
        assert_eq!(fast, r1);
    }
    if let Ok(b1) = serde_json::from_slice::<Batch>(data) {
        let s1 = serde_json::to_vec(&b1).expect("serialize");
        let b2: Batch = serde_json::from_slice(&s1).expect("serialized batch parses");
        let s2 = serde_json::to_vec(&b2).expect("serialize");
        assert_eq!(s1, s2, "batch serialization is not stable");
    }
}

/// Parsed strictly, `T` displays as a string that parses to the same value, and serializes as
/// JSON that deserializes to the same value.
fn round<T>(s: &str) -> Option<T>
where
    T: FromStr + ToString + PartialEq + Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    let t = s.parse::<T>().ok()?;
    let shown = t.to_string();
    let again = shown.parse::<T>().ok();
    assert!(again.as_ref() == Some(&t), "{t:?} does not re-parse");
    let json = serde_json::to_string(&t).expect("serialize");
    let back = serde_json::from_str::<T>(&json).ok();
    assert!(back.as_ref() == Some(&t), "{t:?} does not deserialize back");
    Some(t)
}

/// `Debug` of a sensitive value never shows an input of 6 characters or more inside any of
/// its quoted strings (field names and enum variants are not values). An input whose hidden
/// characters are all `*` already looks masked, and is skipped.
fn no_leak(debug: &str, input: &str) {
    if input.chars().count() < 6 || input.contains('*') {
        return;
    }
    for (i, quoted) in debug.split('"').enumerate() {
        if i % 2 == 1 {
            assert!(!quoted.contains(input), "Debug leaks the input: {debug}");
        }
    }
}

/// Every identifier parser on one string.
pub(crate) fn check_identifiers(s: &str) {
    round::<RecordId>(s);
    round::<CertificateNumber>(s);
    round::<OccupationCode>(s);
    round::<LanguageTag>(s);
    round::<Date>(s);
    round::<CountryCode>(s);
    round::<Timestamp>(s);
    round::<ExtensionKey>(s);
    round::<RegionCode>(s);
    round::<DocumentType>(s);
    round::<Gender>(s);
    round::<Level>(s);
    round::<HttpsUrl>(s);
    round::<Text<200>>(s);
    round::<Kind>(s);
    round::<Version>(s);
    round::<ServiceCategory>(s);
    round::<TrainingType>(s);
    round::<DeliveryMode>(s);
    round::<ModuleTopic>(s);
    round::<CompletionStatus>(s);
    round::<AssessmentMethod>(s);
    round::<VerificationMethod>(s);
    round::<VerificationResult>(s);
    round::<CertificateType>(s);
    round::<CertificateStatus>(s);
    if let Ok(code) = s.parse::<Code>() {
        assert_eq!(code.to_string().parse::<Code>().ok(), Some(code));
    }
    if let Ok(d) = DocumentDigest::new(s) {
        assert_eq!(DocumentDigest::new(d.to_string()).ok(), Some(d));
    }

    // The sensitive ones, strict and lenient: the lenient result is canonical.
    let strict = round::<DocumentNumber>(s);
    let lenient = DocumentNumber::parse_lenient(s).ok();
    check_lenient(&strict, &lenient);
    for n in strict.iter().chain(&lenient) {
        no_leak(&format!("{n:?}"), s);
        no_leak(&format!("{n:?}"), n.as_str());
    }
    let numbers: Vec<DocumentNumber> = strict.into_iter().chain(lenient).collect();
    for number in &numbers {
        for doc_type in DocumentType::ALL {
            for country in [None, "CHN".parse::<CountryCode>().ok()] {
                if let Ok(doc) = IdDocument::new(*doc_type, number.clone(), country) {
                    let debug = format!("{doc:?}");
                    no_leak(&debug, s);
                    no_leak(&debug, number.as_str());
                    let json = serde_json::to_string(&doc).expect("serialize");
                    let back: IdDocument =
                        serde_json::from_str(&json).expect("a document deserializes back");
                    assert_eq!(back, doc);
                    let _ = (doc.birth_date(), doc.gender(), doc.normalized());
                }
            }
        }
    }

    let strict = round::<PhoneNumber>(s);
    let lenient = PhoneNumber::parse_lenient(s).ok();
    check_lenient(&strict, &lenient);
    for n in strict.iter().chain(&lenient) {
        no_leak(&format!("{n:?}"), s);
        no_leak(&format!("{n:?}"), n.as_str());
    }

    // Lenient name parsing folds full-width ASCII, which a strict name may contain: only
    // canonical output is required.
    let strict = round::<PersonName>(s);
    let lenient = PersonName::parse_lenient(s).ok();
    check_lenient(&None, &lenient);
    for n in strict.iter().chain(&lenient) {
        no_leak(&format!("{n:?}"), s);
        no_leak(&format!("{n:?}"), n.as_str());
    }

    let strict = round::<Uscc>(s);
    let lenient = Uscc::parse_lenient(s).ok();
    check_lenient(&strict, &lenient);
    if let Some(u) = strict.iter().chain(&lenient).next() {
        let _ = u.check_character_is_valid();
        let _ = Uscc::compute_check_character(u.as_str().get(..17).unwrap_or(""));
    }
    let _ = Uscc::compute_check_character(s);
}

/// Lenient parsing accepts whatever strict parsing accepts, unchanged, and its result parses
/// strictly to itself.
fn check_lenient<T>(strict: &Option<T>, lenient: &Option<T>)
where
    T: FromStr + ToString + PartialEq + Debug,
{
    if let Some(s) = strict {
        assert!(
            lenient.as_ref() == Some(s),
            "lenient rejects or changes {s:?}"
        );
    }
    if let Some(l) = lenient {
        let again = l.to_string().parse::<T>().ok();
        assert!(
            again.as_ref() == Some(l),
            "lenient result {l:?} is not canonical"
        );
    }
}
