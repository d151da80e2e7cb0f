//! The streaming writers: what they write reads back, record for record, through the
//! library's readers, as NDJSON and as a batch.

use dsti::synth::Generator;
use dsti::v2::{Batch, Organization, Record};
use dsti::validate::{Event, InputFormat, Options, Validator};
use dsti::write::{BatchWriter, JsonArrayWriter, NdjsonWriter};

fn records(n: usize) -> Vec<Record> {
    let mut generator = Generator::new(7);
    (0..n).map(|_| generator.record(None)).collect()
}

fn verdicts(bytes: &[u8], format: InputFormat) -> (Vec<dsti::validate::Verdict>, usize) {
    let validator = Validator::new(Options::default());
    let mut records = Vec::new();
    let mut envelopes = 0;
    for event in validator.validate_reader(bytes, format) {
        match event.expect("reads") {
            Event::Record(v) => records.push(v),
            Event::Envelope(v) => {
                assert!(v.is_valid(), "{:?}", v.issues);
                envelopes += 1;
            }
            _ => {}
        }
    }
    (records, envelopes)
}

#[test]
fn every_writer_reads_back_record_for_record() {
    let records = records(50);
    let validator = Validator::new(Options::default());
    let expected: Vec<_> = records.iter().map(|r| r.id().clone()).collect();

    let mut ndjson = NdjsonWriter::new(Vec::new());
    let mut array = JsonArrayWriter::new(Vec::new());
    let envelope = Batch::builder()
        .id("6b0e5c1e-2a4f-4d3b-9c8a-1f2e3d4c5b6a")
        .sender(
            Organization::builder()
                .name("广州市巾帼家政培训学校")
                .uscc("91440101MA5CYUF35N"),
        )
        .created_at("2026-05-01T08:00:00+08:00")
        .extension("com.example:run", serde_json::json!({"n": 1}))
        .build()
        .expect("envelope");
    let mut batch = BatchWriter::new(Vec::new(), &envelope).expect("envelope");
    for r in &records {
        assert!(validator.check(r).is_valid());
        ndjson.write(r).expect("ndjson");
        array.write(r).expect("array");
        batch.write(r).expect("batch");
    }
    assert_eq!(batch.written(), 50);
    for (bytes, format, envelopes) in [
        (ndjson.finish().expect("ndjson"), InputFormat::Ndjson, 0),
        (array.finish().expect("array"), InputFormat::Json, 0),
        (batch.finish().expect("batch"), InputFormat::Auto, 1),
    ] {
        let (verdicts, n) = verdicts(&bytes, format);
        assert_eq!(n, envelopes);
        let ids: Vec<_> = verdicts.iter().filter_map(|v| v.id.clone()).collect();
        assert_eq!(ids, expected);
        assert!(verdicts.iter().all(|v| v.is_valid()));
        // And as the typed batch it is.
        if envelopes == 1 {
            let back: Batch = serde_json::from_slice(&bytes).expect("a batch");
            assert_eq!(back.records, records);
            assert_eq!(back.extensions, envelope.extensions);
        }
    }
}

#[test]
fn empty_uploads_are_well_formed() {
    assert_eq!(NdjsonWriter::new(Vec::new()).finish().expect("ndjson"), b"");
    assert_eq!(
        JsonArrayWriter::new(Vec::new()).finish().expect("array"),
        b"[]\n"
    );
    let envelope = serde_json::json!({"kind": "batch", "records": [1, 2]});
    let bytes = BatchWriter::new(Vec::new(), &envelope)
        .expect("object")
        .finish()
        .expect("batch");
    assert_eq!(
        bytes,
        br#"{"kind":"batch","records":[]}
"#
    );
    assert!(BatchWriter::new(Vec::new(), &serde_json::json!([1])).is_err());
}
