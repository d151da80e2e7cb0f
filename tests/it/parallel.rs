//! The parallel reader where it can differ from the sequential one: duplicate ids in different
//! blocks, arrays and batches longer than one chunk of 256 records with the envelope after
//! them, and a reader that fails in the middle of the stream.

use std::io::{self, Read};

use dsti::validate::{Event, InputFormat, Options, Validator};

use crate::root;

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn validator() -> Validator {
    Validator::new(Options::default().now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now")))
}

/// The valid person vector with the id `n`, always the same length.
fn person(n: usize) -> String {
    let path = root().join("tests/vectors/2.0/valid/person-minority-leap-day.json");
    let text = std::fs::read_to_string(path).expect("vector");
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let old = value["id"].as_str().expect("id").to_owned();
    text.trim_end()
        .replace(&old, &format!("00000000-0000-4000-8000-{n:012}"))
}

fn sequential(input: &[u8], format: InputFormat) -> Vec<Event> {
    validator()
        .validate_reader(input, format)
        .map(|e| e.expect("no I/O error"))
        .collect()
}

fn parallel(input: &[u8], format: InputFormat, jobs: usize) -> Vec<Event> {
    validator()
        .validate_reader_parallel(io::Cursor::new(input.to_vec()), format, jobs)
        .map(|e| e.expect("no I/O error"))
        .collect()
}

/// The codes of each event, in order; envelopes marked.
fn codes(events: &[Event]) -> Vec<(bool, Vec<&'static str>)> {
    events
        .iter()
        .map(|e| {
            let envelope = matches!(e, Event::Envelope(_));
            (
                envelope,
                e.verdict().issues.iter().map(|f| f.code.as_str()).collect(),
            )
        })
        .collect()
}

/// Record `j` repeats the id of record `j - 1000`: about 600 KB apart, so in other blocks of
/// 256 KiB. Every repeat is found, by one job and by two, in the order of the input.
#[test]
fn duplicate_ids_across_ndjson_blocks() {
    let lines: Vec<String> = (0..3000).map(|j| person(j % 1000)).collect();
    let input = (lines.join("\n") + "\n").into_bytes();
    assert!(
        input.len() > 4 * (256 << 10),
        "the file spans several blocks"
    );
    let expected: Vec<(bool, Vec<&str>)> = (0..3000)
        .map(|j| {
            let codes = if j < 1000 {
                vec![]
            } else {
                vec!["batch.duplicate-id"]
            };
            (false, codes)
        })
        .collect();
    let seq = sequential(&input, InputFormat::Ndjson);
    assert_eq!(codes(&seq), expected);
    for jobs in [1, 2, 3] {
        assert_eq!(
            parallel(&input, InputFormat::Ndjson, jobs),
            seq,
            "jobs {jobs}"
        );
    }
}

/// An array of 700 records (three chunks) with a duplicate in the first and third chunk, and a
/// batch of 700 whose `sender` and `createdAt` come after `records`: its envelope verdict
/// comes last, after all 700, in both readers.
#[test]
fn arrays_and_batches_longer_than_a_chunk() {
    let mut records: Vec<String> = (0..700).map(person).collect();
    records[650] = person(10);
    let array = format!("[{}]", records.join(","));
    let seq = sequential(array.as_bytes(), InputFormat::Json);
    let mut expected = vec![(false, vec![]); 700];
    expected[650].1.push("batch.duplicate-id");
    assert_eq!(codes(&seq), expected);
    assert_eq!(parallel(array.as_bytes(), InputFormat::Json, 2), seq);

    let batch = format!(
        r#"{{"kind":"batch","schemaVersion":"2.0","id":"00000000-0000-4000-8000-999999999999","records":[{}],"sender":{{"name":"广州市巾帼家政培训学校","uscc":"91440101MA5CYUF350"}},"createdAt":"2026-03-01T09:00:00+08:00"}}"#,
        records.join(",")
    );
    let seq = sequential(batch.as_bytes(), InputFormat::Json);
    let mut expected_batch = expected.clone();
    expected_batch.push((true, vec!["uscc.checksum"]));
    assert_eq!(codes(&seq), expected_batch);
    for format in [InputFormat::Json, InputFormat::Auto] {
        assert_eq!(parallel(batch.as_bytes(), format, 2), seq, "{format:?}");
    }
}

/// Gives `data` in pieces of at most 1000 bytes, then fails for good.
struct FailsAfter {
    data: Vec<u8>,
    at: usize,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at >= self.data.len() {
            return Err(io::Error::other("the disk went away"));
        }
        let n = buf.len().min(1000).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A reader that fails after 400 records: the stream ends with exactly one I/O error after
/// the verdict of every record read whole — 399 NDJSON lines (the last has no newline yet, so
/// it may go on), 400 array elements (the last one's `}` was read) — never a verdict made up
/// for bytes that were not read, and never a hang. Sequential and parallel agree.
#[test]
fn a_reader_that_fails_mid_stream() {
    let lines: Vec<String> = (0..400).map(person).collect();
    let ndjson = lines.join("\n").into_bytes(); // the last line has no newline: not complete
    let array = format!("[{}", lines.join(",")).into_bytes(); // never closed
    for (input, format, whole) in [
        (&ndjson, InputFormat::Ndjson, 399),
        (&array, InputFormat::Json, 400),
    ] {
        let runs: Vec<Vec<Result<Event, io::Error>>> = vec![
            validator()
                .validate_reader(
                    FailsAfter {
                        data: input.clone(),
                        at: 0,
                    },
                    format,
                )
                .collect(),
            validator()
                .validate_reader_parallel(
                    FailsAfter {
                        data: input.clone(),
                        at: 0,
                    },
                    format,
                    2,
                )
                .collect(),
        ];
        let mut prefixes = Vec::new();
        for (which, events) in runs.iter().enumerate() {
            let errors = events.iter().filter(|e| e.is_err()).count();
            assert_eq!(errors, 1, "{format:?} run {which}: one I/O error");
            assert!(
                events.last().is_some_and(Result::is_err),
                "{format:?} run {which}: it ends the stream"
            );
            let verdicts: Vec<Event> = events
                .iter()
                .filter_map(|e| e.as_ref().ok().cloned())
                .collect();
            assert_eq!(
                verdicts.len(),
                whole,
                "{format:?} run {which}: a verdict for every record read whole, and no more"
            );
            assert!(
                verdicts.iter().all(|e| e.verdict().issues.is_empty()),
                "{format:?} run {which}"
            );
            prefixes.push(verdicts);
        }
        assert_eq!(prefixes[0], prefixes[1], "{format:?}");
    }
}
