//! Migrating a whole upload, streaming, in the input's layout.

use std::io::{self, BufRead, BufReader, Read, Write};

use crate::rules::RuleContext;

use super::{Converted, MigrationReport, Migrator, Outcome, Refusal};
use crate::framing::{
    Body, Frame, FrameLimits, Frames, InputFormat, JsonArrayWriter, NdjsonWriter,
};
use crate::Version;

/// How an upload lays out its records; the output of a migration keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layout {
    /// One record a line.
    Ndjson,
    /// A JSON array of records (a batch's records are written this way too).
    Array,
    /// One record.
    Single,
}

/// One record of an upload after migration.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MigratedRecord {
    /// The record in the target version; `None` when refused or unreadable.
    pub record: Option<Converted>,
    /// The report, with the record's index in the upload.
    pub report: MigrationReport,
}

/// The lazy migration of an upload; see [`migrate_reader`].
pub struct MigrationEvents<R> {
    frames: Frames<BufReader<R>>,
    first_byte: Option<u8>,
    format: InputFormat,
    migrator: Migrator,
    to: Version,
    records: u64,
    batch: bool,
    started: bool,
    pending: Option<io::Result<Frame>>,
}

impl<R> std::fmt::Debug for MigrationEvents<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrationEvents")
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// Migrate every record of an upload to `to`, lazily, one [`MigratedRecord`] per record in
/// input order. A batch's envelope yields one more, refused (1.0 has no batches; a batch of
/// 2.0 records read for 2.0 keeps only its records). Memory does not grow with the upload.
pub fn migrate_reader<R: Read>(
    reader: R,
    format: InputFormat,
    to: Version,
) -> io::Result<MigrationEvents<R>> {
    migrate_reader_with(reader, format, to, Migrator::default())
}

/// [`migrate_reader`] in a rule context: records are validated, and results checked, with the
/// context's profile and "now" (`dsti migrate --profile`).
pub fn migrate_reader_in<R: Read>(
    reader: R,
    format: InputFormat,
    to: Version,
    ctx: &RuleContext,
) -> io::Result<MigrationEvents<R>> {
    migrate_reader_with(reader, format, to, Migrator::new(ctx))
}

fn migrate_reader_with<R: Read>(
    reader: R,
    format: InputFormat,
    to: Version,
    migrator: Migrator,
) -> io::Result<MigrationEvents<R>> {
    let mut reader = BufReader::with_capacity(64 << 10, reader);
    let first_byte = peek_first_byte(&mut reader)?;
    Ok(MigrationEvents {
        frames: Frames::new(reader, format, FrameLimits::default()),
        first_byte,
        format,
        migrator,
        to,
        records: 0,
        batch: false,
        started: false,
        pending: None,
    })
}

/// The first byte that is not whitespace or a byte-order mark, without consuming it.
fn peek_first_byte<R: Read>(reader: &mut BufReader<R>) -> io::Result<Option<u8>> {
    let mut at_start = true;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        if at_start && buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            at_start = false;
            continue;
        }
        at_start = false;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let byte = buf[i];
                reader.consume(i);
                return Ok(Some(byte));
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

impl<R: Read> MigrationEvents<R> {
    /// The layout of the upload, known once the first record was read: NDJSON stays NDJSON,
    /// an array stays an array, a single record stays a single record, and the records of a
    /// batch become an array.
    pub fn layout(&self) -> Layout {
        let ndjson = match self.format {
            InputFormat::Ndjson => true,
            InputFormat::Json => false,
            _ => self.frames.detected() == Some(InputFormat::Ndjson),
        };
        if ndjson {
            Layout::Ndjson
        } else if self.first_byte == Some(b'{') && !self.batch {
            Layout::Single
        } else {
            Layout::Array
        }
    }
}

impl<R: Read> Iterator for MigrationEvents<R> {
    type Item = io::Result<MigratedRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = match self.pending.take() {
            Some(frame) => Some(frame),
            None => self.frames.next(),
        };
        let frame = match next? {
            Ok(frame) => frame,
            Err(e) => return Some(Err(e)),
        };
        if !self.started {
            self.started = true;
            // A document that is one object is a single record or a batch: a batch has a
            // second frame (another record or its envelope).
            if self.first_byte == Some(b'{') && self.layout() != Layout::Ndjson {
                self.pending = self.frames.next();
                self.batch =
                    matches!(self.pending, Some(Ok(_))) || matches!(frame, Frame::Envelope { .. });
            }
        }
        let (index, body, envelope) = match frame {
            Frame::Record { index, body, .. } => {
                self.records = index + 1;
                (index, body, false)
            }
            Frame::Envelope { body, .. } => (self.records, body, true),
        };
        let refused = |reason: Refusal| MigratedRecord {
            record: None,
            report: MigrationReport {
                index,
                kind: None,
                from: None,
                to: self.to,
                outcome: Outcome::Refused { reason },
                notes: Vec::new(),
            },
        };
        let bytes = match body {
            Body::Json(bytes) => bytes,
            _ => {
                return Some(Ok(refused(super::Refusal::Invalid {
                    version: self.to,
                    issues: vec![super::Issue {
                        code: crate::Code::RecordLimit,
                        path: String::new(),
                    }],
                })))
            }
        };
        if envelope {
            let mut out = refused(Refusal::Batch);
            out.report.kind = Some(crate::DocumentKind::Batch);
            return Some(Ok(out));
        }
        let value = match serde_json::from_slice::<crate::ident::StrictValue>(&bytes) {
            Ok(v) => v.0,
            Err(e) => {
                let code = if e.to_string().contains("duplicate key") {
                    crate::Code::JsonDuplicateKey
                } else {
                    crate::Code::JsonSyntax
                };
                return Some(Ok(refused(Refusal::Invalid {
                    version: self.to,
                    issues: vec![super::Issue {
                        code,
                        path: String::new(),
                    }],
                })));
            }
        };
        let mut outcome = self.migrator.migrate(&value, self.to);
        outcome.report.index = index;
        Some(Ok(MigratedRecord {
            record: outcome.record,
            report: outcome.report,
        }))
    }
}

/// Writes migrated records in a [`Layout`], streaming, through the library's writers
/// ([`crate::write`]).
#[derive(Debug)]
pub struct RecordWriter<W: Write> {
    out: Out<W>,
}

/// The writer of each layout.
#[derive(Debug)]
enum Out<W: Write> {
    /// NDJSON, and a single record (a line of its own).
    Lines(NdjsonWriter<W>),
    /// A JSON array.
    Array(JsonArrayWriter<W>),
}

impl<W: Write> RecordWriter<W> {
    /// A writer of `layout` to `out`.
    pub fn new(out: W, layout: Layout) -> Self {
        let out = match layout {
            Layout::Ndjson | Layout::Single => Out::Lines(NdjsonWriter::new(out)),
            Layout::Array => Out::Array(JsonArrayWriter::new(out)),
        };
        RecordWriter { out }
    }

    /// Write one record.
    pub fn write<T: serde::Serialize + ?Sized>(&mut self, record: &T) -> io::Result<()> {
        match &mut self.out {
            Out::Lines(w) => w.write(record),
            Out::Array(w) => w.write(record),
        }
    }

    /// Close the layout (an array's `]`) and flush.
    pub fn finish(self) -> io::Result<W> {
        match self.out {
            Out::Lines(w) => w.finish(),
            Out::Array(w) => w.finish(),
        }
    }
}
