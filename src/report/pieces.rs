//! Validation that renders its report on the threads that judge: [`Validator::report_file`],
//! [`Validator::report_shared`], [`Validator::report_reader`] and
//! [`Validator::report_chunks`] yield [`ReportPiece`]s,
//! the report lines of runs of records rendered where they were judged, in input order and
//! checked for duplicate ids, for [`ReportWriter::write_piece`](crate::report::ReportWriter::write_piece).

use std::fs::File;
use std::io::{self, Read};

use bytes::Bytes;

use crate::framing::{Block, BufferPool, ChunkBlocks, InputFormat, SharedBlocks, Takers};
use crate::report::{Format, PiecePool, ReportPiece, Style};
use crate::validate::stream::file::Plan;
use crate::validate::stream::{
    Event, Ordered, Output, SequentialEvents, Source, Work, BLOCK_BYTES, SEQUENTIAL_BLOCK_BYTES,
};
use crate::validate::{DuplicateIds, Validator, Verdict};

/// The report of a validation in pieces; see [`Validator::report_file`]. Each piece holds
/// the verdicts of a run of records, in input order, already checked for duplicate ids; an
/// I/O error ends the pieces.
pub struct ReportPieces(Inner);

enum Inner {
    One(Box<SequentialPieces>),
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
    /// The buffers of the pieces dropped.
    pool: PiecePool,
    /// The error that ends the input, due after the piece before it.
    held: Option<io::Error>,
    done: bool,
    /// Records and newlines of the blocks before, for pieces numbered from their start.
    index: u64,
    line: u64,
}

impl SequentialPieces {
    fn new(events: SequentialEvents<Box<dyn Read + Send>>, style: Style) -> Self {
        SequentialPieces {
            events,
            style,
            pool: PiecePool::default(),
            held: None,
            done: false,
            index: 0,
            line: 0,
        }
    }

    /// The next piece of framed events (a JSON document's), at most a chunk of them.
    fn next_framed(&mut self) -> Option<io::Result<ReportPiece>> {
        let mut piece = self.pool.piece(self.style);
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
        (!piece.is_empty()).then_some(Ok(piece))
    }

    /// The next NDJSON block, judged and rendered: its verdicts go straight into the piece.
    fn next_block(&mut self) -> Option<io::Result<ReportPiece>> {
        let validator = &self.events.validator;
        if let Source::Frames(_) = self.events.source {
            return self.next_framed();
        }
        let mut piece = self.pool.piece(self.style);
        let judged = match &mut self.events.source {
            Source::Blocks { blocks, pool, .. } => match blocks.next()? {
                Ok(block) => {
                    let newlines = render_block(validator, &block, &mut piece);
                    if let Block::Lines(buffer) = block {
                        pool.give(buffer);
                    }
                    newlines
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            },
            // The blocks give their pages back themselves, a few megabytes at a time.
            Source::Shared { blocks, .. } => render_block(validator, &blocks.next()?, &mut piece),
            Source::Frames(_) => return self.next_framed(),
        };
        piece.place(self.index, self.line);
        self.index += piece.records;
        self.line += judged;
        self.events.ids.prefetch_keys(piece.ids());
        Some(Ok(piece))
    }
}

impl Iterator for SequentialPieces {
    type Item = io::Result<ReportPiece>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.held.take() {
                return Some(Err(e));
            }
            if self.done {
                return None;
            }
            let mut piece = match self.next_block() {
                Some(Ok(piece)) if piece.is_empty() => continue,
                Some(Ok(piece)) => piece,
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    self.done = true;
                    return None;
                }
            };
            let lang = self.events.validator.lang();
            let ids = &mut self.events.ids;
            piece.check(|id, kind, cites, out| ids.check_key(id, kind, cites, lang, out));
            return Some(Ok(piece));
        }
    }
}

/// Judge the lines of `block` into `piece`, numbered from its start; the block's newlines.
fn render_block(validator: &Validator, block: &Block, piece: &mut ReportPiece) -> u64 {
    piece.newlines = validator.judge_block_each(block, |v| piece.push(&v, false));
    piece.records = piece.len() as u64;
    piece.newlines
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
        let mut piece = loop {
            let piece = match self.ordered.next()? {
                Ok(piece) => piece,
                Err(e) => return Some(Err(e)),
            };
            self.index += piece.records;
            self.line += piece.newlines;
            if !piece.is_empty() {
                break piece;
            }
        };
        piece.place(self.index - piece.records, self.line - piece.newlines);
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
    let pieces = PiecePool::default();
    move |validator, work, pool| {
        let mut piece = pieces.piece(style);
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
                render_block(validator, &block, &mut piece);
                match block {
                    Block::Lines(buffer) => pool.give(buffer),
                    Block::Shared(lines) => piece.shared = Some(lines.bytes),
                    Block::Chunks(_) | Block::Oversized { .. } => {}
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

    /// [`Validator::report_reader`] for NDJSON that arrives in chunks of shared bytes, as a
    /// network body does: blocks of whole lines are cut from the chunks where they lie, so
    /// that no byte is copied but a line cut by a chunk's end. On several threads the workers
    /// take the chunks themselves, with no reading thread in between. The pieces are those
    /// `report_reader` gives for the same bytes as one stream; an error from `chunks` ends
    /// them after the pieces of the whole lines before it.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use dsti::report::{Format, ReportWriter};
    /// use dsti::validate::{Lang, Options, Validator};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let validator = Validator::new(Options::default());
    /// // A line cut in two by the end of a chunk.
    /// let chunks = [&b"{\"kind\":\"cour"[..], b"se\"}\n\nnot json\n"]
    ///     .map(|c| Ok(Bytes::from_static(c)));
    /// let mut out = Vec::new();
    /// let mut report = ReportWriter::new(&mut out, Format::Ndjson, Lang::En, "default")?;
    /// for piece in validator.report_chunks(chunks.into_iter(), 2, Format::Ndjson) {
    ///     report.write_piece(&piece?)?;
    /// }
    /// let summary = report.finish()?;
    /// assert_eq!((summary.total, summary.invalid), (2, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn report_chunks<I>(&self, chunks: I, jobs: usize, report: Format) -> ReportPieces
    where
        I: Iterator<Item = io::Result<Bytes>> + Send + 'static,
    {
        let limits = self.frame_limits();
        let style = report.into();
        ReportPieces(if jobs > 1 {
            let blocks = ChunkBlocks::new(Box::new(chunks), limits, BLOCK_BYTES);
            let ordered = Ordered::pulled(self, blocks, jobs, render_work(style));
            Inner::Several(self.parallel_pieces(ordered))
        } else {
            let blocks = ChunkBlocks::new(Box::new(chunks), limits, SEQUENTIAL_BLOCK_BYTES);
            Inner::One(Box::new(SequentialPieces::new(
                SequentialEvents::chunks(self.clone(), blocks),
                style,
            )))
        })
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
                crate::validate::stream::file::SHARED_BLOCK_BYTES,
                Takers::Several(jobs),
            );
            let ordered = Ordered::shared(self, blocks, jobs, render_work(style));
            Inner::Several(self.parallel_pieces(ordered))
        } else {
            let blocks =
                SharedBlocks::new(bytes, mapping, limits, SEQUENTIAL_BLOCK_BYTES, Takers::One);
            Inner::One(Box::new(SequentialPieces::new(
                SequentialEvents::shared(self.clone(), blocks),
                style,
            )))
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
            Inner::One(Box::new(SequentialPieces::new(
                SequentialEvents::new(self.clone(), reader, format),
                style,
            )))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportWriter;
    use crate::text::Lang;
    use crate::validate::stream::tests::{inputs, json_inputs, FailingAt, TempFile};
    use crate::validate::{Limits, Options};

    /// NDJSON of the standard's example records, one per line: valid and invalid ones, ids
    /// repeated (the duplicate check turns valid records invalid and adds to invalid ones), a
    /// competition before and after the certificate it names, blank and broken lines.
    fn records() -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        let mut lines = Vec::new();
        for dir in ["2.0/valid", "2.0/invalid", "2.1/valid", "2.1/invalid"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("vectors")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).expect("vector");
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
                    continue;
                };
                match value.get("records").and_then(|r| r.as_array()) {
                    // A batch's records, in order and then reversed (a competition before
                    // its certificate).
                    Some(records) => {
                        lines.extend(records.iter().map(|r| r.to_string()));
                        lines.extend(records.iter().rev().map(|r| r.to_string()));
                    }
                    None => lines.push(value.to_string()),
                }
            }
        }
        // A competition before any certificate.
        if let Some(cites) = lines
            .iter()
            .find(|l| l.contains("\"kind\":\"competition\"") && l.contains("\"certificate\":"))
        {
            lines.insert(0, cites.clone());
        }
        let n = lines.len();
        let repeated: Vec<String> = lines.iter().step_by(3).cloned().collect();
        lines.extend(repeated);
        lines.insert(n / 2, String::new());
        lines.insert(n / 3, "{\"kind\":".to_owned());
        (lines.join("\n") + "\n").into_bytes()
    }

    /// What `write` writes for each file's `items`, and whether an error ended them.
    fn written<T, I: IntoIterator<Item = io::Result<T>>>(
        files: Vec<(Option<&str>, I)>,
        format: Format,
        lang: Lang,
        write: impl Fn(&mut ReportWriter<&mut Vec<u8>>, &T) -> io::Result<()>,
    ) -> (String, bool) {
        let mut out = Vec::new();
        let mut writer = ReportWriter::new(&mut out, format, lang, "p").expect("new");
        let mut failed = false;
        'files: for (file, items) in files {
            writer.set_file(file.map(str::to_owned)).expect("file");
            for item in items {
                match item {
                    Ok(item) => write(&mut writer, &item).expect("write"),
                    Err(_) => {
                        failed = true;
                        break 'files;
                    }
                }
            }
        }
        writer.finish().expect("finish");
        (String::from_utf8(out).expect("utf-8"), failed)
    }

    /// What `write_event` writes for `events`, per file, and whether an error ended them.
    fn by_events(
        events: Vec<(Option<&str>, Vec<io::Result<Event>>)>,
        format: Format,
        lang: Lang,
    ) -> (String, bool) {
        written(events, format, lang, |w, e| w.write_event(e))
    }

    /// What `write_piece` writes for `pieces`, per file, and whether an error ended them.
    fn by_pieces(
        pieces: Vec<(Option<&str>, ReportPieces)>,
        format: Format,
        lang: Lang,
    ) -> (String, bool) {
        written(pieces, format, lang, |w, p| w.write_piece(p))
    }

    /// A validator of `lang` with small limits (lines over them), or the default ones.
    fn validator(lang: Lang, small: bool) -> Validator {
        let options = Options::default().lang(lang);
        Validator::new(if small {
            options.limits(Limits {
                max_record_bytes: 64,
                max_depth: 8,
                ..Limits::default()
            })
        } else {
            options
        })
    }

    /// Pieces rendered on the workers (or on the calling thread), written with
    /// `write_piece`, are byte for byte what `write_event` writes for the events of the same
    /// input, in every format and language, with and without a file name, over several
    /// files, on every path (mapped, shared, read; one thread or several).
    #[test]
    fn pieces_write_what_events_write() {
        let records = records();
        let mut checked = 0;
        for lang in [Lang::En, Lang::Zh] {
            for (small, input) in [(false, records.clone())]
                .into_iter()
                .chain(inputs().into_iter().map(|i| (true, i)))
            {
                let validator = validator(lang, small);
                let file = TempFile::new(&input);
                for format in [Format::Ndjson, Format::Json, Format::Text] {
                    let events = |format| -> Vec<io::Result<Event>> {
                        validator.validate_reader(&input[..], format).collect()
                    };
                    // The second file's format is detected.
                    let expected = by_events(
                        vec![
                            (None, events(InputFormat::Ndjson)),
                            (Some("b \"x\".ndjson"), events(InputFormat::Auto)),
                        ],
                        format,
                        lang,
                    );
                    let shared = || Bytes::copy_from_slice(&input);
                    let reader = || io::Cursor::new(input.clone());
                    for jobs in [1, 2, 3] {
                        let ndjson = InputFormat::Ndjson;
                        let runs = [
                            (
                                "file",
                                validator.report_file(file.open(), ndjson, jobs, format),
                                validator.report_file(file.open(), InputFormat::Auto, jobs, format),
                            ),
                            (
                                "shared",
                                validator.report_shared(shared(), ndjson, jobs, format),
                                validator.report_shared(shared(), InputFormat::Auto, jobs, format),
                            ),
                            (
                                "reader",
                                validator.report_reader(reader(), ndjson, jobs, format),
                                validator.report_reader(reader(), InputFormat::Auto, jobs, format),
                            ),
                        ];
                        for (how, first, second) in runs {
                            let got = by_pieces(
                                vec![(None, first), (Some("b \"x\".ndjson"), second)],
                                format,
                                lang,
                            );
                            assert_eq!(got, expected, "{how}, jobs {jobs}, {format:?}, {lang:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    /// The same on the workers at every block size (so that pieces end at every record),
    /// for NDJSON cut by a reading thread or taken from shared bytes, and for JSON arrays
    /// and batches (envelopes too); and where a read error ends the input, the same bytes
    /// before it, then the error.
    #[test]
    fn pieces_of_every_size_and_read_errors_write_what_events_write() {
        let validator = validator(Lang::En, true);
        let format = Format::Ndjson;
        let records = records();
        let ndjson = inputs().into_iter().chain([records[..4000].to_vec()]);
        let json = json_inputs().into_iter();
        let mut cut = 0;
        for (input_format, input) in ndjson
            .map(|i| (InputFormat::Ndjson, i))
            .chain(json.map(|i| (InputFormat::Json, i)))
        {
            for report in [Format::Ndjson, Format::Text] {
                let events = validator
                    .validate_reader(&input[..], input_format)
                    .collect();
                let expected = by_events(vec![(None, events)], report, Lang::En);
                for block in [1, 2, 7, 64, 300, 4096] {
                    let render = render_work(Style::from(report));
                    let reader = io::Cursor::new(input.clone());
                    let spawned =
                        Ordered::spawn(&validator, reader, input_format, 2, block, render);
                    let mut runs = vec![spawned];
                    if input_format == InputFormat::Ndjson && !input.is_empty() {
                        let limits = validator.frame_limits();
                        let data = Bytes::copy_from_slice(&input);
                        let blocks =
                            SharedBlocks::new(data, None, limits, block, Takers::Several(3));
                        let render = render_work(Style::from(report));
                        runs.push(Ordered::shared(&validator, blocks, 3, render));
                        let blocks =
                            ChunkBlocks::new(chunked(&input, block % 13 + 1), limits, block);
                        let render = render_work(Style::from(report));
                        runs.push(Ordered::pulled(&validator, blocks, 3, render));
                    }
                    for ordered in runs {
                        let pieces =
                            ReportPieces(Inner::Several(validator.parallel_pieces(ordered)));
                        let got = by_pieces(vec![(None, pieces)], report, Lang::En);
                        assert_eq!(got, expected, "block {block}, {input_format:?}, {report:?}");
                        cut += 1;
                    }
                }
            }
            // A read error anywhere: the same bytes before it, then the error.
            for at in (0..=input.len()).step_by(1 + input.len() / 150) {
                let reader = || FailingAt::at(&input, at);
                let events = validator.validate_reader(reader(), input_format).collect();
                let expected = by_events(vec![(None, events)], format, Lang::En);
                for jobs in [1, 2] {
                    let pieces = validator.report_reader(reader(), input_format, jobs, format);
                    let got = by_pieces(vec![(None, pieces)], format, Lang::En);
                    assert_eq!(got, expected, "error at {at}, jobs {jobs}");
                }
            }
        }
        assert!(cut > 300, "{cut}");
    }

    /// `input` in chunks of `size` bytes (the last one shorter), as a network body comes.
    fn chunked(input: &[u8], size: usize) -> Box<dyn Iterator<Item = io::Result<Bytes>> + Send> {
        let chunks: Vec<_> = input
            .chunks(size)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        Box::new(chunks.into_iter())
    }

    /// NDJSON in chunks, cut wherever (in a byte-order mark, a `\r\n`, a line over the
    /// limit, mixed sizes and empty chunks), gives the pieces of the same bytes read as one
    /// stream, on one thread and several; an error after any byte gives the pieces before it,
    /// then the error, as a reader failing there does.
    #[test]
    fn chunks_cut_anywhere_give_the_pieces_of_one_stream() {
        let validator = validator(Lang::En, true);
        let format = Format::Ndjson;
        let records = records();
        let mut checked = 0;
        for input in inputs().into_iter().chain([records[..3000].to_vec()]) {
            let events = validator
                .validate_reader(&input[..], InputFormat::Ndjson)
                .collect();
            let expected = by_events(vec![(None, events)], format, Lang::En);
            let mixed = |seed: usize| {
                let mut chunks = Vec::new();
                let (mut at, mut x) = (0, seed);
                while at < input.len() {
                    x = (x * 31 + 17) % 101;
                    let end = (at + x % 83).min(input.len());
                    chunks.push(Ok(Bytes::copy_from_slice(&input[at..end])));
                    at = end;
                }
                Box::new(chunks.into_iter()) as Box<dyn Iterator<Item = _> + Send>
            };
            let mut cuts: Vec<_> = [1, 2, 3, 4, 5, 7, 64, 65, 66, 1000, input.len().max(1)]
                .into_iter()
                .map(|size| chunked(&input, size))
                .collect();
            cuts.extend((0..4).map(mixed));
            for chunks in cuts {
                let chunks: Vec<_> = chunks.collect();
                for jobs in [1, 2, 3] {
                    let each = chunks.iter().map(|c| match c {
                        Ok(c) => Ok(c.clone()),
                        Err(_) => unreachable!("no error"),
                    });
                    let each: Vec<_> = each.collect();
                    let pieces = validator.report_chunks(each.into_iter(), jobs, format);
                    let got = by_pieces(vec![(None, pieces)], format, Lang::En);
                    assert_eq!(
                        got,
                        expected,
                        "jobs {jobs}, {:?}",
                        String::from_utf8_lossy(&input)
                    );
                    checked += 1;
                }
            }
            for at in (0..=input.len()).step_by(1 + input.len() / 40) {
                let reader = || FailingAt::at(&input, at);
                for size in [1, 64] {
                    for jobs in [1, 2] {
                        let expected = by_pieces(
                            vec![(
                                None,
                                validator.report_reader(
                                    reader(),
                                    InputFormat::Ndjson,
                                    jobs,
                                    format,
                                ),
                            )],
                            format,
                            Lang::En,
                        );
                        assert!(expected.1, "the reader failed at {at}");
                        let failing =
                            chunked(&input[..at], size).chain([Err(io::Error::other("disk gone"))]);
                        let pieces = validator.report_chunks(failing, jobs, format);
                        let got = by_pieces(vec![(None, pieces)], format, Lang::En);
                        assert_eq!(
                            got, expected,
                            "error at {at}, chunks of {size}, jobs {jobs}"
                        );
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// A piece rendered for text is not written into a JSON report, nor the other way.
    #[test]
    fn a_piece_is_written_only_in_the_format_it_was_rendered_for() {
        let validator = validator(Lang::En, false);
        for (rendered, written) in [(Format::Text, Format::Ndjson), (Format::Json, Format::Text)] {
            let mut pieces = validator.report_shared(
                Bytes::from_static(b"{}\n"),
                InputFormat::Ndjson,
                1,
                rendered,
            );
            let piece = pieces.next().expect("a piece").expect("no error");
            assert_eq!(piece.len(), 1);
            let mut out = Vec::new();
            let mut writer = ReportWriter::new(&mut out, written, Lang::En, "p").expect("new");
            let error = writer.write_piece(&piece).expect_err("another format");
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
            assert_eq!(writer.summary().total, 0);
        }
    }

    /// What a piece says of its records (for a service's counters) is what their verdicts
    /// say, the duplicate check's findings included.
    #[test]
    fn a_piece_counts_what_the_verdicts_hold() {
        let validator = validator(Lang::En, false);
        let input = records();
        let verdicts: Vec<Verdict> = validator
            .validate_reader(&input[..], InputFormat::Ndjson)
            .map(|e| e.expect("in memory").verdict().clone())
            .collect();
        for added in [
            crate::Code::BatchDuplicateId,
            crate::Code::CompetitionCertificate,
        ] {
            let turned = verdicts.iter().any(|v| {
                v.issues.first().is_some_and(|f| f.code == added)
                    && v.issues.iter().all(|f| f.code == added)
            });
            assert!(turned, "a record the check alone finds wrong: {added:?}");
        }
        let mut records = Vec::new();
        let mut codes = std::collections::BTreeMap::new();
        for piece in
            validator.report_shared(Bytes::from(input), InputFormat::Ndjson, 2, Format::Text)
        {
            let piece = piece.expect("in memory");
            records.extend(piece.records());
            for (code, n) in piece.codes() {
                *codes.entry(code).or_insert(0) += n;
            }
        }
        let mut expected_codes = std::collections::BTreeMap::new();
        for v in &verdicts {
            for f in &v.issues {
                *expected_codes.entry(f.code).or_insert(0) += 1;
            }
        }
        assert_eq!(codes, expected_codes);
        assert_eq!(records.len(), verdicts.len());
        for (r, v) in records.iter().zip(&verdicts) {
            assert_eq!(
                (r.index, r.line, r.kind, r.valid, r.warnings, r.envelope),
                (
                    v.index,
                    v.line,
                    v.kind,
                    v.is_valid(),
                    v.warnings() as u64,
                    false
                )
            );
        }
    }
}
