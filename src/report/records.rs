//! The framing shared by the per-record reports (`dsti migrate`, `dsti export`): one JSON
//! document (`{"records":[…],"summary":{…}}`), NDJSON (a line per record, then
//! `{"summary":{…}}`) or text (a line per record, its notes indented, then a summary line).
//! What a record says and how its outcomes are counted stay with each report.

use std::io::{self, Write};

use serde::Serialize;

use super::Format;
use crate::text::Lang;

/// The writer under a per-record report: it frames the records and the summary.
#[derive(Debug)]
pub(crate) struct RecordFrame<W: Write> {
    out: W,
    format: Format,
    lang: Lang,
    /// How many records were written so far (the JSON document separates them with commas).
    written: u64,
}

impl<W: Write> RecordFrame<W> {
    /// A frame of `format` in `lang`; a JSON document is opened at once.
    pub(crate) fn new(mut out: W, format: Format, lang: Lang) -> io::Result<Self> {
        if format == Format::Json {
            out.write_all(b"{\"records\":[")?;
        }
        Ok(RecordFrame {
            out,
            format,
            lang,
            written: 0,
        })
    }

    /// The language of the text report.
    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }

    /// Write one record for programs: `Ok(true)` when the format is JSON or NDJSON and the
    /// record was written; `Ok(false)` for text, which the caller writes with [`Self::head`]
    /// and [`Self::note`].
    pub(crate) fn record<T: Serialize>(&mut self, report: &T) -> io::Result<bool> {
        let first = self.written == 0;
        self.written += 1;
        match self.format {
            Format::Json => {
                if !first {
                    self.out.write_all(b",")?;
                }
                serde_json::to_writer(&mut self.out, report).map_err(io::Error::from)?;
                Ok(true)
            }
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, report)?;
                self.out.write_all(b"\n")?;
                Ok(true)
            }
            Format::Text => Ok(false),
        }
    }

    /// The text line of the record at `index`, of `kind`: what happened to it.
    pub(crate) fn head(&mut self, index: u64, kind: &str, what: &str) -> io::Result<()> {
        match self.lang {
            Lang::Zh => writeln!(self.out, "第 {index} 条记录（{kind}）：{what}"),
            _ => writeln!(self.out, "record {index} ({kind}): {what}"),
        }
    }

    /// An indented text line under the record's line: `label path: message`.
    pub(crate) fn note(&mut self, label: &str, path: &str, message: &str) -> io::Result<()> {
        writeln!(self.out, "  {label} {path}: {message}")
    }

    /// Write the summary and flush. `counts` are the summary's fields after `total` (their
    /// sum), in order; `text` is the summary line of the text report.
    pub(crate) fn finish(mut self, counts: &[(&str, u64)], text: &str) -> io::Result<()> {
        let total: u64 = counts.iter().map(|(_, n)| n).sum();
        let mut fields = format!("{{\"total\":{total}");
        for (name, n) in counts {
            fields.push_str(&format!(",\"{name}\":{n}"));
        }
        fields.push('}');
        match self.format {
            Format::Json => writeln!(self.out, "],\"summary\":{fields}}}")?,
            Format::Ndjson => writeln!(self.out, "{{\"summary\":{fields}}}")?,
            Format::Text => writeln!(self.out, "{text}")?,
        }
        self.out.flush()
    }
}
