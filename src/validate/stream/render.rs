//! Validation that renders its report on the threads that judge: [`Validator::report_file`],
//! [`Validator::report_shared`] and [`Validator::report_reader`] yield [`ReportPiece`]s,
//! the report lines of runs of records rendered where they were judged, in input order and
//! checked for duplicate ids, for [`ReportWriter::write_piece`](crate::report::ReportWriter::write_piece).

use std::fs::File;
use std::io::{self, Read};

use bytes::Bytes;

use super::file::Plan;
use super::{Event, Ordered, Output, SequentialEvents, Work, BLOCK_BYTES, SEQUENTIAL_BLOCK_BYTES};
use crate::framing::{Block, BufferPool, InputFormat, SharedBlocks};
use crate::report::{Format, ReportPiece, Style};
use crate::validate::{DuplicateIds, Validator, Verdict};

/// The report of a validation in pieces; see [`Validator::report_file`]. Each piece holds
/// the verdicts of a run of records, in input order, already checked for duplicate ids; an
/// I/O error ends the pieces.
pub struct ReportPieces(Inner);

enum Inner {
    One(SequentialPieces),
    Several(ParallelPieces),
}

impl Iterator for ReportPieces {
    type Item = io::Result<ReportPiece>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::One(pieces) => pieces.next(),
            Inner::Several(pieces) => pieces.next(),
        }
    }
}

impl Output for ReportPiece {
    fn take_shared(&mut self) -> Option<Bytes> {
        self.shared.take()
    }
}

/// Pieces judged and rendered on the calling thread.
struct SequentialPieces {
    events: SequentialEvents<Box<dyn Read + Send>>,
    style: Style,
    /// The error that ends the input, due after the piece before it.
    held: Option<io::Error>,
    done: bool,
}

impl Iterator for SequentialPieces {
    type Item = io::Result<ReportPiece>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.held.take() {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let mut piece = ReportPiece::new(self.style);
        loop {
            match self.events.next_event() {
                Some(Ok(event)) => push_event(&mut piece, &event),
                Some(Err(e)) => {
                    self.done = true;
                    if piece.is_empty() {
                        return Some(Err(e));
                    }
                    self.held = Some(e);
                    break;
                }
                None => {
                    self.done = true;
                    break;
                }
            }
            if self.events.run_taken(piece.len()) {
                break;
            }
        }
        if piece.is_empty() {
            return None;
        }
        // The block sources asked the cache for the ids already, as they judged them.
        let lang = self.events.validator.lang();
        let ids = &mut self.events.ids;
        piece.check(|id, kind, cites, out| ids.check_key(id, kind, cites, lang, out));
        Some(Ok(piece))
    }
}

fn push_event(piece: &mut ReportPiece, event: &Event) {
    match event {
        Event::Record(verdict) => piece.push(verdict, false),
        Event::Envelope(verdict) => piece.push(verdict, true),
    }
}

/// Pieces judged and rendered on worker threads, put back in order and checked for
/// duplicate ids here.
struct ParallelPieces {
    ordered: Ordered<ReportPiece>,
    ids: DuplicateIds,
    validator: Validator,
    /// Records and newlines of the pieces before, for pieces numbered from their start.
    index: u64,
    line: u64,
}

impl Iterator for ParallelPieces {
    type Item = io::Result<ReportPiece>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut piece = match self.ordered.next()? {
            Ok(piece) => piece,
            Err(e) => return Some(Err(e)),
        };
        piece.place(self.index, self.line);
        self.index += piece.records;
        self.line += piece.newlines;
        self.ids.prefetch_keys(piece.ids());
        let lang = self.validator.lang();
        let ids = &mut self.ids;
        piece.check(|id, kind, cites, out| ids.check_key(id, kind, cites, lang, out));
        Some(Ok(piece))
    }
}

/// What a worker makes of a piece of work when it renders: the report lines of its verdicts,
/// each verdict dropped as soon as it is rendered (on the thread that made it).
fn render_work(style: Style) -> impl Fn(&Validator, Work, &BufferPool) -> ReportPiece + Clone {
    move |validator, work, pool| {
        let mut piece = ReportPiece::new(style);
        match work {
            Work::Frames(frames) => {
                for frame in frames {
                    push_event(&mut piece, &validator.judge_frame(frame));
                }
            }
            Work::Elements(elements) => {
                for (index, line, bytes) in elements.iter() {
                    let mut verdict = Verdict::new(index, line);
                    validator.judge(bytes, &mut verdict);
                    piece.push(&verdict, false);
                }
                pool.give(elements.bytes);
            }
            Work::Block(block) => {
                piece.newlines = validator.judge_block_each(&block, |v| piece.push(&v, false));
                piece.records = piece.len() as u64;
                match block {
                    Block::Lines(buffer) => pool.give(buffer),
                    Block::Shared(lines) => piece.shared = Some(lines.bytes),
                    Block::Oversized { .. } => {}
                }
            }
        }
        piece
    }
}

impl Validator {
    /// [`Validator::validate_file`], its verdicts rendered for a report of `report` format on
    /// the threads that judge them: the pieces, written in order with
    /// [`ReportWriter::write_piece`](crate::report::ReportWriter::write_piece), give the
    /// bytes that [`ReportWriter::write_event`](crate::report::ReportWriter::write_event)
    /// gives for the events of `validate_file`, and the same summary. On several threads
    /// the thread that consumes the pieces only checks ids and copies bytes.
    ///
    /// ```
    /// use dsti::report::{Format, ReportWriter};
    /// use dsti::validate::{InputFormat, Lang, Options, Validator};
    /// use std::io::Write;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let path = std::env::temp_dir().join(format!("dsti-doc-r-{}.ndjson", std::process::id()));
    /// std::fs::File::create(&path)?.write_all(b"{\"kind\":\"course\"}\n\nnot json\n")?;
    ///
    /// let validator = Validator::new(Options::default());
    /// let mut out = Vec::new();
    /// let mut report = ReportWriter::new(&mut out, Format::Ndjson, Lang::En, "default")?;
    /// let file = std::fs::File::open(&path)?;
    /// for piece in validator.report_file(file, InputFormat::Ndjson, 2, Format::Ndjson) {
    ///     report.write_piece(&piece?)?;
    /// }
    /// let summary = report.finish()?;
    /// assert_eq!((summary.total, summary.invalid), (2, 2));
    /// assert_eq!(String::from_utf8(out)?.lines().count(), 3);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn report_file(
        &self,
        file: File,
        format: InputFormat,
        jobs: usize,
        report: Format,
    ) -> ReportPieces {
        match self.plan_file(file, format) {
            Plan::Shared(bytes, mapping) => self.shared_pieces(bytes, mapping, jobs, report.into()),
            Plan::Read(reader, format) => self.read_pieces(reader, format, jobs, report.into()),
        }
    }

    /// [`Validator::validate_shared`], rendered as [`Validator::report_file`] renders.
    pub fn report_shared(
        &self,
        bytes: Bytes,
        format: InputFormat,
        jobs: usize,
        report: Format,
    ) -> ReportPieces {
        match self.plan_shared(bytes, format) {
            Plan::Shared(bytes, mapping) => self.shared_pieces(bytes, mapping, jobs, report.into()),
            Plan::Read(reader, format) => self.read_pieces(reader, format, jobs, report.into()),
        }
    }

    /// [`Validator::validate_reader`] (`jobs <= 1`) or
    /// [`Validator::validate_reader_parallel`], rendered as [`Validator::report_file`]
    /// renders: the input a service receives, for example, its report written as the
    /// pieces come.
    pub fn report_reader<R: Read + Send + 'static>(
        &self,
        reader: R,
        format: InputFormat,
        jobs: usize,
        report: Format,
    ) -> ReportPieces {
        self.read_pieces(Box::new(reader), format, jobs, report.into())
    }

    fn shared_pieces(
        &self,
        bytes: Bytes,
        mapping: Option<std::sync::Arc<crate::framing::Mapping>>,
        jobs: usize,
        style: Style,
    ) -> ReportPieces {
        let limits = self.frame_limits();
        ReportPieces(if jobs > 1 {
            let blocks = SharedBlocks::new(
                bytes,
                mapping,
                limits,
                super::file::SHARED_BLOCK_BYTES,
                false,
            );
            let ordered = Ordered::shared(self, blocks, jobs, render_work(style));
            Inner::Several(self.parallel_pieces(ordered))
        } else {
            let blocks = SharedBlocks::new(bytes, mapping, limits, SEQUENTIAL_BLOCK_BYTES, true);
            Inner::One(SequentialPieces {
                events: SequentialEvents::shared(self.clone(), blocks),
                style,
                held: None,
                done: false,
            })
        })
    }

    fn read_pieces(
        &self,
        reader: Box<dyn Read + Send>,
        format: InputFormat,
        jobs: usize,
        style: Style,
    ) -> ReportPieces {
        ReportPieces(if jobs > 1 {
            let ordered =
                Ordered::spawn(self, reader, format, jobs, BLOCK_BYTES, render_work(style));
            Inner::Several(self.parallel_pieces(ordered))
        } else {
            Inner::One(SequentialPieces {
                events: SequentialEvents::new(self.clone(), reader, format),
                style,
                held: None,
                done: false,
            })
        })
    }

    fn parallel_pieces(&self, ordered: Ordered<ReportPiece>) -> ParallelPieces {
        ParallelPieces {
            ordered,
            ids: DuplicateIds::default(),
            validator: self.clone(),
            index: 0,
            line: 0,
        }
    }
}
