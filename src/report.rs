//! The reports of the standard's tools, for programs (`ndjson`, `json`) and for people
//! (`text`): one [`Format`] and one writer shape — `new(out, format, …)`, `write`
//! as results come, `finish` for the summary — for validation ([`ReportWriter`]), migration
//! ([`MigrationReportWriter`]) and schema comparison ([`CompatReportWriter`]).
//!
//! Every writer streams: a verdict is written as soon as it is known, so memory does not grow
//! with the number of records. Messages are already masked by the validator; nothing here adds
//! a value from the input.

mod compat;
mod migration;
mod piece;
mod pieces;
pub(crate) mod records;

pub use compat::CompatReportWriter;
pub use migration::MigrationReportWriter;
pub(crate) use piece::{PiecePool, Style};
pub use piece::{PieceRecord, ReportPiece};
pub use pieces::ReportPieces;

use std::io::{self, Write};

use serde::Serialize;

use crate::framing::lex::string_special;
use crate::validate::{Event, Finding, Lang, Summary, Verdict};

/// The output formats of every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// For people: grouped, readable.
    #[default]
    Text,
    /// One JSON document.
    Json,
    /// One verdict per line, then a summary line.
    Ndjson,
}

/// Writes the events of one validation run, then its summary.
#[derive(Debug)]
pub struct ReportWriter<W: Write> {
    out: W,
    format: Format,
    lang: Lang,
    profile: String,
    summary: Summary,
    envelopes_invalid: u64,
    file: Option<String>,
    first_in_array: bool,
    by_code: std::collections::BTreeMap<crate::Code, u64>,
    /// `{"file":…,` (or `{`): how every JSON line of the current file starts.
    file_head: Vec<u8>,
}

/// A verdict with the file it came from, written field by field (no `flatten`: this is the
/// hot path of every report).
struct Line<'a> {
    file: Option<&'a str>,
    verdict: &'a Verdict,
}

impl Serialize for Line<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let v = self.verdict;
        let mut map = s.serialize_map(None)?;
        if let Some(file) = self.file {
            map.serialize_entry("file", file)?;
        }
        map.serialize_entry("index", &v.index)?;
        map.serialize_entry("line", &v.line)?;
        map.serialize_entry("kind", &v.kind)?;
        map.serialize_entry("id", &v.id)?;
        map.serialize_entry("valid", &v.is_valid())?;
        map.serialize_entry("issues", &v.issues)?;
        map.end()
    }
}

impl Line<'_> {
    /// Write a verdict without the serializer: the same bytes as serializing the `Line` (a
    /// test holds them equal), at a fraction of the cost for the codes, paths and messages of
    /// an invalid record.
    fn write_by_hand<W: Write>(&self, out: &mut W) -> io::Result<()> {
        let v = self.verdict;
        out.write_all(b"{")?;
        if let Some(file) = self.file {
            out.write_all(b"\"file\":")?;
            serde_json::to_writer(&mut *out, file)?;
            out.write_all(b",")?;
        }
        out.write_all(b"\"index\":")?;
        out.write_all(decimal(&mut [0; 20], v.index))?;
        out.write_all(b",\"line\":")?;
        out.write_all(decimal(&mut [0; 20], v.line))?;
        write_kind_id(out, v)?;
        write_json_issues(out, v)
    }
}

/// `,"kind":…,"id":…` of a verdict's line.
fn write_kind_id<W: Write>(out: &mut W, v: &Verdict) -> io::Result<()> {
    // A kind's wire name and an id's text are ASCII letters, digits and hyphens: no
    // escapes.
    out.write_all(b",\"kind\":")?;
    match v.kind {
        Some(kind) => quoted(out, kind.as_str())?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"id\":")?;
    match &v.id {
        Some(id) => quoted(out, id.as_str()),
        None => out.write_all(b"null"),
    }
}

/// `,"valid":…,"issues":[…]}`: the end of a verdict's line.
fn write_json_issues<W: Write>(out: &mut W, v: &Verdict) -> io::Result<()> {
    out.write_all(valid_open(v.is_valid()))?;
    for (i, f) in v.issues.iter().enumerate() {
        write_json_finding(out, f, i == 0)?;
    }
    out.write_all(b"]}")
}

/// `,"valid":…,"issues":[`.
fn valid_open(valid: bool) -> &'static [u8] {
    if valid {
        b",\"valid\":true,\"issues\":["
    } else {
        b",\"valid\":false,\"issues\":["
    }
}

/// One finding of a verdict's `issues`, after a comma unless it is the `first`.
fn write_json_finding<W: Write>(out: &mut W, f: &Finding, first: bool) -> io::Result<()> {
    // A code's and a severity's wire names are ASCII letters, digits, dots and hyphens.
    out.write_all(if first { b"{\"code\":" } else { b",{\"code\":" })?;
    quoted(out, f.code.as_str())?;
    out.write_all(b",\"severity\":")?;
    quoted(out, f.severity.as_str())?;
    out.write_all(b",\"path\":")?;
    string(out, &f.path)?;
    out.write_all(b",\"message\":")?;
    string(out, &f.message)?;
    out.write_all(b"}")
}

/// The text report's line of a finding, indented under its record's line.
fn write_text_finding<W: Write>(out: &mut W, f: &Finding) -> io::Result<()> {
    let path = if f.path.is_empty() { "/" } else { &f.path };
    writeln!(
        out,
        "  {:<7} {:<28} {:<32} {}",
        f.severity.as_str(),
        f.code.as_str(),
        path,
        f.message
    )
}

/// What the text report's line of a record (or an envelope) says about it.
struct TextHead<'a> {
    index: u64,
    line: u64,
    kind: Option<crate::DocumentKind>,
    id: Option<&'a str>,
    valid: bool,
    envelope: bool,
}

impl TextHead<'_> {
    /// `record 3 (line 4, person <id>): INVALID`, in `lang`.
    fn write<W: Write>(&self, out: &mut W, lang: Lang) -> io::Result<()> {
        let zh = lang == Lang::Zh;
        let what = match (self.envelope, zh) {
            (true, false) => "batch envelope".to_owned(),
            (true, true) => "批次封装".to_owned(),
            (false, false) => format!("record {}", self.index + 1),
            (false, true) => format!("第 {} 条记录", self.index + 1),
        };
        let kind = self.kind.map(|k| k.as_str()).unwrap_or(if zh {
            "类型未知"
        } else {
            "unknown kind"
        });
        let verdict = match (self.valid, zh) {
            (true, false) => "valid, with warnings",
            (true, true) => "有效（有警告）",
            (false, false) => "INVALID",
            (false, true) => "无效",
        };
        let line_word = if zh { "行" } else { "line" };
        write!(out, "{what} ({line_word} {}, {kind}", self.line)?;
        if let Some(id) = self.id {
            write!(out, " {id}")?;
        }
        writeln!(out, "): {verdict}")
    }
}

/// `text` as a JSON string, as serde_json writes it: as it is when it holds nothing to escape
/// (a quote, a backslash or a control character), else by serde_json.
fn string<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    if string_special(text.as_bytes()).is_some() {
        Ok(serde_json::to_writer(&mut *out, text)?)
    } else {
        quoted(out, text)
    }
}

/// `"text"`, for text that needs no escape.
fn quoted<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(buf: &mut [u8; 20], mut n: u64) -> &[u8] {
    /// "00" to "99".
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut at = buf.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    &buf[at..]
}

/// `{"envelope":{…}}`: a batch envelope's verdict, told apart from records' verdicts.
#[derive(Serialize)]
struct EnvelopeLine<'a> {
    envelope: Line<'a>,
}

/// `{"summary":{…}}`, the last line of an NDJSON report.
#[derive(Serialize)]
struct SummaryLine<'a> {
    summary: SummaryOut<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryOut<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    profile: &'a str,
    envelopes_invalid: u64,
}

impl<W: Write> ReportWriter<W> {
    /// A writer of `format` in `lang`, naming the profile the verdicts used.
    pub fn new(out: W, format: Format, lang: Lang, profile: &str) -> io::Result<Self> {
        let mut writer = ReportWriter {
            out,
            format,
            lang,
            profile: profile.to_owned(),
            summary: Summary::default(),
            envelopes_invalid: 0,
            file: None,
            first_in_array: true,
            by_code: std::collections::BTreeMap::new(),
            file_head: b"{".to_vec(),
        };
        if format == Format::Json {
            write!(writer.out, "{{\"profile\":")?;
            serde_json::to_writer(&mut writer.out, profile)?;
            write!(writer.out, ",\"records\":[")?;
        }
        Ok(writer)
    }

    /// Name the input file of the events that follow (shown when several files are validated).
    pub fn set_file(&mut self, file: Option<String>) -> io::Result<()> {
        if self.format == Format::Text {
            if let Some(f) = &file {
                writeln!(self.out, "== {f}")?;
            }
        }
        self.file_head = b"{".to_vec();
        if let Some(file) = &file {
            self.file_head.extend_from_slice(b"\"file\":");
            serde_json::to_writer(&mut self.file_head, file)?;
            self.file_head.push(b',');
        }
        self.file = file;
        Ok(())
    }

    /// The counts so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Whether any record or envelope so far is invalid.
    pub fn any_invalid(&self) -> bool {
        self.summary.invalid > 0 || self.envelopes_invalid > 0
    }

    /// Write one event.
    pub fn write_event(&mut self, event: &Event) -> io::Result<()> {
        let (verdict, envelope) = match event {
            Event::Record(v) => {
                self.summary.add(v);
                (v, false)
            }
            Event::Envelope(v) => {
                if !v.is_valid() {
                    self.envelopes_invalid += 1;
                }
                (v, true)
            }
        };
        let line = Line {
            file: self.file.as_deref(),
            verdict,
        };
        match self.format {
            Format::Text => return self.write_text(verdict, envelope),
            Format::Json if !self.first_in_array => self.out.write_all(b",")?,
            Format::Json | Format::Ndjson => {}
        }
        self.first_in_array = false;
        if envelope {
            serde_json::to_writer(&mut self.out, &EnvelopeLine { envelope: line })?;
        } else {
            line.write_by_hand(&mut self.out)?;
        }
        if self.format == Format::Ndjson {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn write_text(&mut self, v: &Verdict, envelope: bool) -> io::Result<()> {
        if v.issues.is_empty() {
            return Ok(());
        }
        for f in &v.issues {
            *self.by_code.entry(f.code).or_default() += 1;
        }
        TextHead {
            index: v.index,
            line: v.line,
            kind: v.kind,
            id: v.id.as_ref().map(|id| id.as_str()),
            valid: v.is_valid(),
            envelope,
        }
        .write(&mut self.out, self.lang)?;
        for f in &v.issues {
            write_text_finding(&mut self.out, f)?;
        }
        Ok(())
    }

    /// Write the summary and flush; returns the final counts.
    pub fn finish(mut self) -> io::Result<Summary> {
        let summary = self.summary;
        let out = SummaryOut {
            summary: &summary,
            profile: &self.profile,
            envelopes_invalid: self.envelopes_invalid,
        };
        match self.format {
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, &SummaryLine { summary: out })?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                write!(self.out, "],\"summary\":")?;
                serde_json::to_writer(&mut self.out, &out)?;
                self.out.write_all(b"}\n")?;
            }
            Format::Text => {
                if !self.by_code.is_empty() {
                    writeln!(self.out)?;
                    for (code, n) in &self.by_code {
                        let meaning = if self.lang == Lang::Zh {
                            code.summary_zh()
                        } else {
                            code.summary_en()
                        };
                        writeln!(self.out, "{n:>8}  {:<28} {meaning}", code.as_str())?;
                    }
                }
                if self.lang == Lang::Zh {
                    writeln!(
                        self.out,
                        "共 {} 条记录：有效 {}，无效 {}，警告 {}（规则配置：{}）",
                        summary.total,
                        summary.valid,
                        summary.invalid,
                        summary.warnings,
                        self.profile
                    )?;
                } else {
                    writeln!(
                        self.out,
                        "{} records: {} valid, {} invalid, {} warnings (profile {})",
                        summary.total,
                        summary.valid,
                        summary.invalid,
                        summary.warnings,
                        self.profile
                    )?;
                }
                if self.envelopes_invalid > 0 {
                    writeln!(
                        self.out,
                        "{}",
                        if self.lang == Lang::Zh {
                            "批次封装无效"
                        } else {
                            "the batch envelope is invalid"
                        }
                    )?;
                }
            }
        }
        self.out.flush()?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_keeps_the_documented_order() {
        let mut out = Vec::new();
        let writer = ReportWriter::new(&mut out, Format::Ndjson, Lang::En, "default").expect("new");
        writer.finish().expect("finish");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"summary\":{\"total\":0,\"valid\":0,\"invalid\":0,\"warnings\":0,\"profile\":\"default\",\"envelopesInvalid\":0}}\n"
        );
    }

    /// A verdict is written by hand: byte for byte what the serializer writes, with and
    /// without a file, kind, id or issues, with messages and paths that need escapes.
    #[test]
    fn a_line_by_hand_is_what_the_serializer_writes() {
        let validator = crate::validate::Validator::new(crate::validate::Options::default());
        let valid = include_str!("../tests/vectors/2.0/valid/person-passport.json");
        let mut verdicts = vec![validator.validate_str(valid)];
        assert!(verdicts[0].issues.is_empty() && verdicts[0].id.is_some());
        let mut invalid = validator.validate_str(&valid.replace("\"kind\"", "\"kinds\""));
        assert!(!invalid.issues.is_empty() && !invalid.is_valid());
        verdicts.push(invalid.clone());
        for f in &mut invalid.issues {
            f.path.push_str("/a\"b\\c\u{1f}é");
            f.message.push_str(" \"quoted\" \\ \n\t\u{7}\u{7f} 中文");
            f.severity = crate::Severity::Warning;
        }
        assert!(invalid.is_valid());
        verdicts.push(invalid);
        let lang_zh = crate::validate::Validator::new(
            crate::validate::Options::default().lang(crate::text::Lang::Zh),
        );
        verdicts.push(lang_zh.validate_str(r#"{"kind":"person","schemaVersion":"2.0","x":1}"#));
        let mut bare = Verdict::new(7, 12_345_678_901);
        verdicts.push(bare.clone());
        verdicts.push(Verdict::new(u64::MAX, 10));
        bare.kind = Some(crate::DocumentKind::Batch);
        verdicts.push(bare);
        for verdict in &verdicts {
            for file in [None, Some("a.ndjson"), Some("dir \"x\"\\y\n\u{7}é.json")] {
                let line = Line { file, verdict };
                let mut ours = Vec::new();
                line.write_by_hand(&mut ours).expect("write");
                assert_eq!(
                    String::from_utf8(ours).expect("utf-8"),
                    serde_json::to_string(&line).expect("line")
                );
            }
        }
    }

    #[test]
    fn decimal_writes_what_display_writes() {
        let mut n = 1u64;
        let mut checked = vec![0, 9, 10, 99, 100, 101, 999, 1000, u64::MAX];
        while n < u64::MAX / 3 {
            checked.extend([n - 1, n, n + 1]);
            n = n * 3 + 1;
        }
        for n in checked {
            assert_eq!(decimal(&mut [0; 20], n), n.to_string().as_bytes());
        }
    }

    /// `Line` writes a verdict field by field; it must write what `Verdict` itself writes.
    #[test]
    fn a_line_is_the_verdict_plus_its_file() {
        let validator = crate::validate::Validator::new(crate::validate::Options::default());
        let verdict = validator.validate_str(r#"{"kind":"person","schemaVersion":"2.0"}"#);
        let line = Line {
            file: None,
            verdict: &verdict,
        };
        assert_eq!(
            serde_json::to_string(&line).expect("line"),
            serde_json::to_string(&verdict).expect("verdict")
        );
        let with_file = Line {
            file: Some("a.ndjson"),
            verdict: &verdict,
        };
        let text = serde_json::to_string(&with_file).expect("line");
        assert!(
            text.starts_with(r#"{"file":"a.ndjson","index":0,"#),
            "{text}"
        );
    }
}
