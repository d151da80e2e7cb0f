//! Micro-benchmarks of the hot paths of `dsti validate`: identifier checks, the typed parse of
//! one record of each kind, judging one record, and writing its verdict.
//!
//! `cargo bench --bench hot_paths` runs them; CI only builds them (`cargo bench --no-run`).
//! End-to-end throughput against the floor, ajv and Python is `bench/run.sh`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dsti::ident::{DocumentNumber, DocumentType, IdDocument, Timestamp, Uscc};
use dsti::report::{Format, ReportWriter};
use dsti::synth::Generator;
use dsti::v2::Record;
use dsti::validate::{Event, Lang, Options, Validator};
use dsti::Kind;

const RESIDENT_ID: &str = "11010519491231002X";
const USCC: &str = "91440101MA5CYUF35N";
const TIMESTAMP: &str = "2026-03-01T09:00:00+08:00";

/// One generated record of each kind, as the NDJSON line `dsti generate` would write.
fn samples() -> Vec<(Kind, Vec<u8>)> {
    let mut generator = Generator::new(42);
    // A course first, so that the completion refers to one from earlier in the stream.
    let course = generator.record(Some(Kind::Course));
    let records = [
        generator.record(Some(Kind::Person)),
        course,
        generator.record(Some(Kind::Completion)),
        generator.record(Some(Kind::Certificate)),
    ];
    records
        .iter()
        .map(|r| {
            (
                r.kind(),
                serde_json::to_vec(r).expect("a record serializes"),
            )
        })
        .collect()
}

/// The completion with a wrong check character in the learner's resident ID number (a schema
/// failure: the slow path, through `Value` and jsonschema) and with an extra field.
fn invalid_record(valid: &[u8]) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(valid).expect("valid JSON");
    value["learner"] = serde_json::json!({
        "document": { "type": "resident-id-card", "number": "110105194912310021" }
    });
    value["remark"] = serde_json::json!("x");
    serde_json::to_vec(&value).expect("serializes")
}

fn identifiers(c: &mut Criterion) {
    let mut g = c.benchmark_group("ident");
    g.bench_function("resident_id_mod11_2", |b| {
        b.iter(|| {
            let number: DocumentNumber = black_box(RESIDENT_ID).parse().expect("valid number");
            IdDocument::new(DocumentType::ResidentIdCard, number, None).expect("valid ID")
        })
    });
    g.bench_function("uscc_parse_and_check", |b| {
        b.iter(|| {
            let code: Uscc = black_box(USCC).parse().expect("valid USCC");
            code.check_character_is_valid()
        })
    });
    g.bench_function("timestamp_parse", |b| {
        b.iter(|| {
            black_box(TIMESTAMP)
                .parse::<Timestamp>()
                .expect("valid timestamp")
        })
    });
    g.finish();
}

fn typed_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("typed_parse");
    for (kind, bytes) in samples() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(kind), &bytes, |b, bytes| {
            b.iter(|| Record::from_slice_as(kind, black_box(bytes)).expect("valid record"))
        });
    }
    g.finish();
}

fn validate(c: &mut Criterion) {
    let validator = Validator::new(Options::default());
    let samples = samples();
    let completion = &samples[2].1;
    let invalid = invalid_record(completion);
    assert!(validator.validate_bytes(completion).is_valid());
    assert!(!validator.validate_bytes(&invalid).is_valid());

    let mut g = c.benchmark_group("validate_bytes");
    for (kind, bytes) in &samples {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("valid", kind), bytes, |b, bytes| {
            b.iter(|| validator.validate_bytes(black_box(bytes)))
        });
    }
    g.throughput(Throughput::Bytes(invalid.len() as u64));
    g.bench_function("invalid/completion", |b| {
        b.iter(|| validator.validate_bytes(black_box(&invalid)))
    });
    g.finish();
}

fn report(c: &mut Criterion) {
    let validator = Validator::new(Options::default());
    let samples = samples();
    let valid = Event::Record(validator.validate_bytes(&samples[2].1));
    let invalid = Event::Record(validator.validate_bytes(&invalid_record(&samples[2].1)));
    let mut g = c.benchmark_group("report_ndjson");
    for (name, event) in [("valid", &valid), ("invalid", &invalid)] {
        g.bench_function(name, |b| {
            let mut writer = ReportWriter::new(io::sink(), Format::Ndjson, Lang::En, "default")
                .expect("a sink never fails");
            b.iter(|| {
                writer
                    .write_event(black_box(event))
                    .expect("a sink never fails")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, identifiers, typed_parse, validate, report);
criterion_main!(benches);
