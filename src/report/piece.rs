//! Verdicts rendered where they were judged: a [`ReportPiece`] holds the report lines of a run
//! of records as bytes (written on the thread that judged them) and a few facts per record;
//! [`ReportWriter::write_piece`] writes them with their places in the input, the findings the
//! duplicate-id check adds (re-rendering only the lines those change), and counts the summary
//! from the facts.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use super::{
    decimal, valid_open, write_json_finding, write_json_issues, write_kind_id, write_text_finding,
    Format, ReportWriter, TextHead,
};
use crate::validate::{Finding, Summary, Verdict};
use crate::{Code, DocumentKind, Severity};

/// What a piece's lines are rendered for: the JSON formats share one rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `ndjson` and `json`: from `,"kind":` to the end of `issues`.
    Json,
    /// `text`: a record's finding lines.
    Text,
}

impl From<Format> for Style {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => Style::Text,
            Format::Json | Format::Ndjson => Style::Json,
        }
    }
}

/// The verdicts on a run of consecutive records (and envelopes) of one input, rendered for one
/// report format, with what the summary and the duplicate-id check need of each. The pieces of
/// a validation come from [`Validator::report_file`](crate::validate::Validator::report_file)
/// and its siblings, in input order, already checked for duplicate ids; hand each to
/// [`ReportWriter::write_piece`].
pub struct ReportPiece {
    style: Style,
    /// Every record's rendering, one after another.
    rendered: Vec<u8>,
    facts: Vec<Fact>,
    /// Findings by code, over the piece (those the duplicate check adds too).
    codes: Vec<(Code, u64)>,
    /// Findings the duplicate-id check added, by the index of their record in `facts`, in order.
    added: Vec<(usize, Vec<Finding>)>,
    /// The counts of the piece's records (those the duplicate check adds to too).
    summary: Summary,
    /// How many of its envelopes are invalid.
    envelopes_invalid: u64,
    /// Records and newlines in the piece when its positions count from its start (an NDJSON
    /// block), 0 when they are the input's.
    pub(crate) records: u64,
    pub(crate) newlines: u64,
    /// What to add to the positions of the facts.
    base_index: u64,
    base_line: u64,
    /// The lines judged, when they lie in a mapping whose pages are given back behind them.
    pub(crate) shared: Option<bytes::Bytes>,
    /// The certificates the piece's competitions name, by the index of their record.
    cites: Vec<(usize, u128)>,
    /// Where the piece's buffers go when it is dropped, for the next piece.
    pool: Option<PiecePool>,
}

/// Its counts, not its lines.
impl std::fmt::Debug for ReportPiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportPiece")
            .field("style", &self.style)
            .field("records", &self.facts.len())
            .field("bytes", &self.rendered.len())
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

/// What a piece keeps of one verdict (64 bytes).
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    index: u64,
    line: u64,
    /// The id's 128 bits, in two halves (an `Option<u128>` would take 32 bytes).
    id: Option<[u64; 2]>,
    /// Where its rendering ends in `rendered` (it starts where the one before ends).
    end: usize,
    issues: u32,
    warnings: u32,
    /// Where, within its JSON rendering, `,"valid":` starts.
    valid_at: u32,
    kind: Option<DocumentKind>,
    valid: bool,
    envelope: bool,
}

/// The buffers of dropped pieces, for the next ones: a piece's buffers (about as large as
/// its report, over 128 KiB for a block of a mapped file) are not given back to the
/// allocator and mapped again for every piece, and the pages they lie in stay mapped.
#[derive(Debug, Clone, Default)]
pub(crate) struct PiecePool(Arc<Mutex<Vec<Buffers>>>);

/// A piece's rendering and facts, empty.
type Buffers = (Vec<u8>, Vec<Fact>);

/// How many pieces' buffers a pool keeps: enough for the pieces in flight between the
/// workers and the thread that writes them.
const POOLED: usize = 32;

impl PiecePool {
    /// An empty piece rendered for `style`, in buffers of a dropped piece if there is one;
    /// dropped, it gives them back.
    pub(crate) fn piece(&self, style: Style) -> ReportPiece {
        let buffers = self.0.lock().ok().and_then(|mut pool| pool.pop());
        let mut piece = ReportPiece::new(style);
        if let Some((rendered, facts)) = buffers {
            piece.rendered = rendered;
            piece.facts = facts;
        }
        piece.pool = Some(self.clone());
        piece
    }
}

impl Drop for ReportPiece {
    fn drop(&mut self) {
        let Some(pool) = self.pool.take() else {
            return;
        };
        let Ok(mut pool) = pool.0.lock() else {
            return;
        };
        if pool.len() < POOLED {
            let mut rendered = std::mem::take(&mut self.rendered);
            let mut facts = std::mem::take(&mut self.facts);
            rendered.clear();
            facts.clear();
            pool.push((rendered, facts));
        }
    }
}

/// An id's 128 bits as two halves, and back.
fn halves(id: u128) -> [u64; 2] {
    [(id >> 64) as u64, id as u64]
}

fn whole([high, low]: [u64; 2]) -> u128 {
    (u128::from(high) << 64) | u128::from(low)
}

/// One record (or envelope) of a [`ReportPiece`], as the report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PieceRecord {
    /// 0-based position of the record in its input.
    pub index: u64,
    /// 1-based line of the input where the record starts.
    pub line: u64,
    /// The record's kind, when it could be read.
    pub kind: Option<DocumentKind>,
    /// Whether it has no error (warnings allowed), after the duplicate-id check.
    pub valid: bool,
    /// How many of its findings are warnings.
    pub warnings: u64,
    /// Whether this is a batch envelope's verdict rather than a record's.
    pub envelope: bool,
}

impl ReportPiece {
    /// An empty piece rendered for `style`.
    pub(crate) fn new(style: Style) -> Self {
        ReportPiece {
            style,
            rendered: Vec::with_capacity(16 << 10),
            facts: Vec::with_capacity(128),
            codes: Vec::new(),
            added: Vec::new(),
            cites: Vec::new(),
            pool: None,
            summary: Summary::default(),
            envelopes_invalid: 0,
            records: 0,
            newlines: 0,
            base_index: 0,
            base_line: 0,
            shared: None,
        }
    }

    /// Render `verdict` (a record's, or an envelope's) at the end of the piece.
    pub(crate) fn push(&mut self, verdict: &Verdict, envelope: bool) {
        let start = self.rendered.len();
        let mut valid_at = 0;
        // Writing to a Vec cannot fail.
        let _ = match self.style {
            Style::Json => write_kind_id(&mut self.rendered, verdict).and_then(|()| {
                valid_at = self.rendered.len() - start;
                write_json_issues(&mut self.rendered, verdict)
            }),
            Style::Text => verdict
                .issues
                .iter()
                .try_for_each(|f| write_text_finding(&mut self.rendered, f)),
        };
        let (mut valid, mut warnings) = (true, 0u32);
        for f in &verdict.issues {
            self.count(f.code);
            valid &= !f.is_error();
            warnings += u32::from(f.severity == Severity::Warning);
        }
        if envelope {
            self.envelopes_invalid += u64::from(!valid);
        } else {
            self.summary.total += 1;
            self.summary.valid += u64::from(valid);
            self.summary.invalid += u64::from(!valid);
            self.summary.warnings += u64::from(warnings);
        }
        if let Some(cited) = &verdict.cites {
            self.cites
                .push((self.facts.len(), cited.as_uuid().as_u128()));
        }
        self.facts.push(Fact {
            index: verdict.index,
            line: verdict.line,
            id: verdict.id.as_ref().map(|id| halves(id.as_uuid().as_u128())),
            end: self.rendered.len(),
            issues: u32::try_from(verdict.issues.len()).unwrap_or(u32::MAX),
            warnings,
            valid_at: u32::try_from(valid_at).unwrap_or(u32::MAX),
            kind: verdict.kind,
            valid,
            envelope,
        });
    }

    fn count(&mut self, code: Code) {
        match self.codes.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.codes.push((code, 1)),
        }
    }

    /// Number the piece's records after `index` records and `line` newlines of the input
    /// before it (for a piece whose positions count from its start).
    pub(crate) fn place(&mut self, index: u64, line: u64) {
        self.base_index = index;
        self.base_line = line;
    }

    /// Run the duplicate-id check (given its facts, it returns the findings it adds) over the
    /// piece's records in order.
    pub(crate) fn check(
        &mut self,
        mut check: impl FnMut(Option<u128>, Option<DocumentKind>, Option<u128>, &mut Vec<Finding>),
    ) {
        let mut added = Vec::new();
        let mut cites = self.cites.iter().peekable();
        for (i, fact) in self.facts.iter().enumerate() {
            let cited = cites.next_if(|(at, _)| *at == i).map(|&(_, cited)| cited);
            if fact.envelope {
                continue;
            }
            check(fact.id.map(whole), fact.kind, cited, &mut added);
            if !added.is_empty() {
                if fact.valid && added.iter().any(Finding::is_error) {
                    self.summary.valid -= 1;
                    self.summary.invalid += 1;
                }
                let warnings = added.iter().filter(|f| f.severity == Severity::Warning);
                self.summary.warnings += warnings.count() as u64;
                self.added.push((i, std::mem::take(&mut added)));
            }
        }
        let added: Vec<Code> = self
            .added
            .iter()
            .flat_map(|(_, fs)| fs.iter().map(|f| f.code))
            .collect();
        for code in added {
            self.count(code);
        }
    }

    /// The ids of the piece's records, to ask the cache for ahead of their check.
    pub(crate) fn ids(&self) -> impl Iterator<Item = u128> + '_ {
        self.facts.iter().filter_map(|f| f.id.map(whole))
    }

    /// How many records and envelopes the piece holds.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether the piece holds none.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The piece's records and envelopes, in input order, as the report counts them.
    pub fn records(&self) -> impl Iterator<Item = PieceRecord> + '_ {
        let mut added = self.added.iter().peekable();
        self.facts.iter().enumerate().map(move |(i, fact)| {
            let extra = added
                .next_if(|(at, _)| *at == i)
                .map_or(&[][..], |(_, fs)| fs.as_slice());
            PieceRecord {
                index: self.base_index + fact.index,
                line: self.base_line + fact.line,
                kind: fact.kind,
                valid: fact.valid && !extra.iter().any(Finding::is_error),
                warnings: u64::from(fact.warnings)
                    + extra
                        .iter()
                        .filter(|f| f.severity == Severity::Warning)
                        .count() as u64,
                envelope: fact.envelope,
            }
        })
    }

    /// How many findings of each code the piece's records and envelopes have (each code
    /// once, in no particular order).
    pub fn codes(&self) -> impl Iterator<Item = (Code, u64)> + '_ {
        self.codes.iter().copied()
    }
}

impl<W: Write> ReportWriter<W> {
    /// Write the records of a piece: the same bytes as [`ReportWriter::write_event`] writes
    /// for their events, one after another. The piece must have been rendered for this
    /// writer's format (text, or one of the JSON formats), else nothing is written and the
    /// error is [`io::ErrorKind::InvalidInput`].
    pub fn write_piece(&mut self, piece: &ReportPiece) -> io::Result<()> {
        if piece.style != Style::from(self.format) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the piece was rendered for another report format",
            ));
        }
        let counts = &piece.summary;
        self.summary.total += counts.total;
        self.summary.valid += counts.valid;
        self.summary.invalid += counts.invalid;
        self.summary.warnings += counts.warnings;
        self.envelopes_invalid += piece.envelopes_invalid;
        if self.format == Format::Text {
            for &(code, n) in &piece.codes {
                *self.by_code.entry(code).or_default() += n;
            }
        }
        let mut start = 0;
        let mut added = piece.added.iter().peekable();
        for (i, fact) in piece.facts.iter().enumerate() {
            let rendered = piece.rendered.get(start..fact.end).unwrap_or_default();
            start = fact.end;
            let extra = added
                .next_if(|(at, _)| *at == i)
                .map_or(&[][..], |(_, fs)| fs.as_slice());
            let index = piece.base_index + fact.index;
            let line = piece.base_line + fact.line;
            let valid = fact.valid && !extra.iter().any(Finding::is_error);
            if self.format == Format::Text {
                if fact.issues == 0 && extra.is_empty() {
                    continue;
                }
                let mut id = [0u8; 36];
                let id = fact.id.map(|k| {
                    &*uuid::Uuid::from_u128(whole(k))
                        .hyphenated()
                        .encode_lower(&mut id)
                });
                TextHead {
                    index,
                    line,
                    kind: fact.kind,
                    id,
                    valid,
                    envelope: fact.envelope,
                }
                .write(&mut self.out, self.lang)?;
                self.out.write_all(rendered)?;
                for f in extra {
                    write_text_finding(&mut self.out, f)?;
                }
                continue;
            }
            if self.format == Format::Json && !self.first_in_array {
                self.out.write_all(b",")?;
            }
            self.first_in_array = false;
            if fact.envelope {
                self.out.write_all(b"{\"envelope\":")?;
            }
            self.out.write_all(&self.file_head)?;
            // `"index":…,"line":…`, in one write.
            let (mut index_digits, mut line_digits) = ([0; 20], [0; 20]);
            let mut head = [0u8; 64];
            let mut at = 0;
            for part in [
                b"\"index\":".as_slice(),
                decimal(&mut index_digits, index),
                b",\"line\":",
                decimal(&mut line_digits, line),
            ] {
                head[at..at + part.len()].copy_from_slice(part);
                at += part.len();
            }
            self.out.write_all(&head[..at])?;
            if extra.is_empty() {
                self.out.write_all(rendered)?;
            } else {
                // The findings the check added go at the end of `issues`, and may turn the
                // record invalid.
                let old = valid_open(fact.valid).len();
                let valid_at = fact.valid_at as usize;
                let findings = rendered
                    .get(valid_at + old..rendered.len().saturating_sub(2))
                    .unwrap_or_default();
                self.out
                    .write_all(rendered.get(..valid_at).unwrap_or_default())?;
                self.out.write_all(valid_open(valid))?;
                self.out.write_all(findings)?;
                for (n, f) in extra.iter().enumerate() {
                    write_json_finding(&mut self.out, f, fact.issues == 0 && n == 0)?;
                }
                self.out.write_all(b"]}")?;
            }
            if fact.envelope {
                self.out.write_all(b"}")?;
            }
            if self.format == Format::Ndjson {
                self.out.write_all(b"\n")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A piece keeps 64 bytes a record besides its lines: a block of a mapped file (about
    /// 1,700 records) keeps about 100 KiB of facts.
    #[test]
    fn a_fact_is_small() {
        assert!(
            std::mem::size_of::<Fact>() <= 64,
            "{}",
            std::mem::size_of::<Fact>()
        );
    }

    /// An id goes into two halves and back whole.
    #[test]
    fn halves_make_the_whole() {
        for id in [
            0,
            1,
            u128::MAX,
            1 << 64,
            (1 << 64) - 1,
            0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
        ] {
            assert_eq!(whole(halves(id)), id);
        }
    }
}
