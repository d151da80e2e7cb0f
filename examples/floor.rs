//! The physical floor of `dsti validate`: read NDJSON line by line and deserialize each line
//! with serde_json straight into the typed record, nothing else (no rules, no verdicts, no
//! output). `bench/run.sh` compares the validator against it.
//!
//! Usage: `cargo run --release --example floor -- FILE.ndjson`
//! Prints `records=N ok=N seconds=S records_per_s=R`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use dsti::v2::Record;
use dsti::Kind;

/// The record's kind, found cheaply as the validator does: the usual `{"kind":"…"` prefix,
/// else the first `"kind":"` anywhere in the line.
fn sniff_kind(line: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<Kind> {
    const KEY: &[u8] = b"\"kind\":\"";
    let rest = match line.strip_prefix(b"{") {
        Some(r) if r.starts_with(KEY) => &r[KEY.len()..],
        _ => &line[finder.find(line)? + KEY.len()..],
    };
    let end = memchr::memchr(b'"', rest)?;
    match &rest[..end] {
        b"person" => Some(Kind::Person),
        b"course" => Some(Kind::Course),
        b"completion" => Some(Kind::Completion),
        b"certificate" => Some(Kind::Certificate),
        _ => None,
    }
}

fn main() -> std::io::Result<()> {
    let path = std::env::args_os()
        .nth(1)
        .expect("usage: floor FILE.ndjson");
    let start = Instant::now();
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let finder = memchr::memmem::Finder::new(b"\"kind\":\"");
    let mut line = Vec::with_capacity(4096);
    let (mut records, mut ok) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let bytes = line.trim_ascii();
        if bytes.is_empty() {
            continue;
        }
        records += 1;
        if let Some(kind) = sniff_kind(bytes, &finder) {
            if Record::from_slice_as(kind, bytes).is_ok() {
                ok += 1;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "records={records} ok={ok} seconds={seconds:.4} records_per_s={:.0}",
        records as f64 / seconds
    );
    Ok(())
}
