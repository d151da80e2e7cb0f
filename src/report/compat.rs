//! The report of `dsti compat`: one line per change and a verdict for people, one JSON
//! document (`{"mode","compatible","changes":[…]}`) or NDJSON (a line per change, then
//! `{"summary":{…}}`) for programs. The comparison itself is [`crate::compat`]'s.

use std::io::{self, Write};

use serde::Serialize;

use super::Format;
use crate::compat::{Change, Mode};

/// Writes the report of one comparison: changes as they come, the verdict at the end.
#[derive(Debug)]
pub struct CompatReportWriter<W: Write> {
    out: W,
    format: Format,
    mode: Mode,
    /// The changes, kept for the JSON document (its verdict comes before them).
    changes: Vec<serde_json::Value>,
    total: u64,
    breaking: u64,
}

/// `{"summary":{…}}`, the last line of an NDJSON report.
#[derive(Serialize)]
struct SummaryLine<'a> {
    summary: SummaryOut<'a>,
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    mode: &'a str,
    changes: u64,
    breaking: u64,
    compatible: bool,
}

/// The JSON document's shape. Its keys, and those of each change, are in alphabetical order,
/// as this report has always written them.
#[derive(Serialize)]
struct Document<'a> {
    changes: &'a [serde_json::Value],
    compatible: bool,
    mode: &'a str,
}

/// A change as JSON with its keys in alphabetical order.
fn sorted(change: &Change) -> serde_json::Value {
    serde_json::to_value(change).expect("invariant: a change serializes to a JSON object")
}

impl<W: Write> CompatReportWriter<W> {
    /// A writer of `format`, judging the changes in `mode`.
    pub fn new(out: W, format: Format, mode: Mode) -> Self {
        CompatReportWriter {
            out,
            format,
            mode,
            changes: Vec::new(),
            total: 0,
            breaking: 0,
        }
    }

    /// Write one change.
    pub fn write(&mut self, change: &Change) -> io::Result<()> {
        self.total += 1;
        self.breaking += u64::from(self.mode.is_broken_by(change));
        match self.format {
            Format::Text => writeln!(self.out, "{change}"),
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, &sorted(change))?;
                self.out.write_all(b"\n")
            }
            Format::Json => {
                self.changes.push(sorted(change));
                Ok(())
            }
        }
    }

    /// Write the verdict and flush; returns whether the mode's compatibility holds.
    pub fn finish(mut self) -> io::Result<bool> {
        let compatible = self.breaking == 0;
        let mode = self.mode.as_str();
        match self.format {
            Format::Text => writeln!(
                self.out,
                "{} change(s), {} breaking {mode} compatibility: {}",
                self.total,
                self.breaking,
                if compatible {
                    "compatible"
                } else {
                    "INCOMPATIBLE"
                }
            )?,
            Format::Ndjson => {
                let summary = SummaryOut {
                    mode,
                    changes: self.total,
                    breaking: self.breaking,
                    compatible,
                };
                serde_json::to_writer(&mut self.out, &SummaryLine { summary })?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                let document = Document {
                    changes: &self.changes,
                    compatible,
                    mode,
                };
                serde_json::to_writer_pretty(&mut self.out, &document)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.out.flush()?;
        Ok(compatible)
    }
}
