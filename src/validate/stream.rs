//! Streams of records: framing, one verdict per record in input order, duplicate ids, and
//! the same on several threads.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use super::fast::{self, Typed};
use super::{adapt, DuplicateIds, Finding, Validator, Verdict};
use crate::framing::{
    classify_line_but_depth, too_deep, Behind, Block, Body, BufferPool, ChunkBlocks, Elements,
    Frame, FrameLimits, Frames, InputFormat, LineShape, NdjsonBlocks, SharedBlocks,
};

pub(crate) mod file;

use crate::{Code, DocumentKind, Version};
pub use file::FileEvents;

/// What validating a stream yields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The verdict on one record.
    Record(Verdict),
    /// The verdict on a batch envelope (its sender, `createdAt`, a `records` that is not an
    /// array…). Not a record: it is not counted in the summary's total.
    Envelope(Verdict),
}

impl Event {
    /// The verdict, of a record or of an envelope.
    pub fn verdict(&self) -> &Verdict {
        match self {
            Event::Record(v) | Event::Envelope(v) => v,
        }
    }
}

impl Validator {
    pub(crate) fn frame_limits(&self) -> FrameLimits {
        let limits = &self.inner.options.limits;
        FrameLimits {
            max_record_bytes: limits.max_record_bytes,
            max_depth: limits.max_depth,
        }
    }

    /// Judge one frame (without the duplicate check, which needs input order).
    pub(crate) fn judge_frame(&self, frame: Frame) -> Event {
        match frame {
            Frame::Record { index, line, body } => {
                let mut verdict = Verdict::new(index, line);
                self.judge_body(&body, &mut verdict, false);
                Event::Record(verdict)
            }
            Frame::Envelope { line, body } => {
                let mut verdict = Verdict::new(0, line);
                self.judge_body(&body, &mut verdict, true);
                Event::Envelope(verdict)
            }
        }
    }

    fn judge_body(&self, body: &Body, verdict: &mut Verdict, envelope: bool) {
        let lang = self.lang();
        let limits = &self.inner.options.limits;
        match body {
            Body::Json(bytes) if envelope => self.judge_envelope(bytes, verdict),
            Body::Json(bytes) => self.judge(bytes, verdict),
            Body::TooLarge { bytes } => verdict.extend([Finding::new(
                Code::RecordLimit,
                "",
                match lang {
                    super::Lang::En => format!(
                        "the record has {bytes} bytes, more than the limit of {}",
                        limits.max_record_bytes
                    ),
                    super::Lang::Zh => format!(
                        "记录有 {bytes} 字节，超过 {} 字节的上限",
                        limits.max_record_bytes
                    ),
                },
            )]),
            Body::TooDeep { .. } => verdict.extend([Finding::new(
                Code::RecordLimit,
                "",
                match lang {
                    super::Lang::En => {
                        format!("nesting is deeper than the limit of {}", limits.max_depth)
                    }
                    super::Lang::Zh => format!("嵌套层级超过 {} 层的上限", limits.max_depth),
                },
            )]),
            Body::Syntax { message } => verdict.extend([Finding::new(
                Code::JsonSyntax,
                "",
                lang.pick(message, &format!("不是合法的 JSON（{message}）")),
            )]),
        }
    }

    /// Judge the lines of one NDJSON block: indices from 0 and lines from 1 within it.
    fn judge_block(&self, block: &Block) -> Judged {
        let mut events = VecDeque::new();
        let newlines = self.judge_block_into(block, &mut events);
        Judged {
            records: events.len() as u64,
            newlines,
            events,
            shared: None,
        }
    }

    /// Judge the lines of one NDJSON block into `events` (empty, its allocation reused);
    /// the block's newlines.
    fn judge_block_into(&self, block: &Block, events: &mut VecDeque<Event>) -> u64 {
        self.judge_block_each(block, |verdict| events.push_back(Event::Record(verdict)))
    }

    /// Judge a complete NDJSON line that is neither blank nor too large: what
    /// `classify_line` and then [`Body::TooDeep`] or [`Validator::judge`] give, counting
    /// the line's depth only where it can matter.
    ///
    /// Counting reads every byte of the line, and a 2.0 record its type takes nests no deeper
    /// than [`fast::TYPED_DEPTH_2_0`] but for its extensions, which the typed path holds to the
    /// depth limit itself. So while records mostly pass their typed parse, such a record is
    /// judged before its depth is counted, and the count is made only for the rest: a record
    /// the type refuses (the parse is not tried again), or one whose extensions broke a limit.
    fn judge_json_line(&self, line: &[u8], max_depth: usize, verdict: &mut Verdict) {
        let mut refused = false;
        if max_depth >= fast::TYPED_DEPTH_2_0 && !adapt::guess().schema_first() {
            if let Some((DocumentKind::Record(kind), Version::V2_0)) = self.typed_header(line) {
                match self.judge_typed_2_0(kind, line, verdict) {
                    Typed::Judged { shallow: true } => return adapt::saw(true),
                    Typed::Judged { shallow: false } => {
                        let Some(depth) = too_deep(line, max_depth) else {
                            return adapt::saw(true);
                        };
                        *verdict = Verdict::new(verdict.index, verdict.line);
                        return self.judge_body(&Body::TooDeep { depth }, verdict, false);
                    }
                    Typed::Refused => {
                        adapt::saw(false);
                        refused = true;
                    }
                }
            }
        }
        match too_deep(line, max_depth) {
            Some(depth) => self.judge_body(&Body::TooDeep { depth }, verdict, false),
            None => self.judge_after(line, verdict, refused),
        }
    }

    /// Judge the lines of one NDJSON block, handing each verdict (indices from 0 and lines
    /// from 1 within the block) to `each` in order; the block's newlines.
    pub(crate) fn judge_block_each(&self, block: &Block, mut each: impl FnMut(Verdict)) -> u64 {
        let limits = self.frame_limits();
        let mut newlines = 0;
        let mut records = 0;
        let mut judge_line = |line_no: u64, line: &[u8]| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let mut verdict = Verdict::new(records, line_no);
            match classify_line_but_depth(line, limits) {
                LineShape::Blank => return,
                LineShape::Json => self.judge_json_line(line, limits.max_depth, &mut verdict),
                LineShape::TooLarge(bytes) => {
                    self.judge_body(&Body::TooLarge { bytes }, &mut verdict, false)
                }
            }
            records += 1;
            each(verdict);
        };
        let mut judge_lines = |bytes: &[u8]| {
            let mut start = 0;
            for at in memchr::memchr_iter(b'\n', bytes) {
                newlines += 1;
                judge_line(newlines, &bytes[start..at]);
                start = at + 1;
            }
            if start < bytes.len() {
                judge_line(newlines + 1, &bytes[start..]);
            }
        };
        match block {
            Block::Lines(bytes) => judge_lines(bytes),
            Block::Shared(lines) => judge_lines(&lines.bytes),
            Block::Chunks(runs) => runs.iter().for_each(|run| judge_lines(run)),
            Block::Oversized {
                bytes,
                blank,
                ended,
            } => {
                newlines = u64::from(*ended);
                if !*blank {
                    let mut verdict = Verdict::new(0, 1);
                    self.judge_body(&Body::TooLarge { bytes: *bytes }, &mut verdict, false);
                    each(verdict);
                }
            }
        }
        newlines
    }
}

/// The verdicts of one piece of work, and how far the piece moves record and line counts.
struct Judged {
    events: VecDeque<Event>,
    /// Records in the piece (0 for framed chunks, whose events carry global positions).
    records: u64,
    /// Newlines in the piece (likewise).
    newlines: u64,
    /// The lines judged, when they lie in a mapping whose pages are given back behind them.
    shared: Option<bytes::Bytes>,
}

/// Validation of a stream on the calling thread; see [`Validator::validate_reader`].
pub struct SequentialEvents<R> {
    pub(crate) validator: Validator,
    pub(crate) source: Source<R>,
    pub(crate) ids: DuplicateIds,
}

/// Where the records of a stream judged on one thread come from.
pub(crate) enum Source<R> {
    /// JSON documents (and NDJSON found by [`InputFormat::Auto`]): one frame at a time.
    Frames(Frames<R>),
    /// NDJSON: blocks of whole lines, each line judged where it lies in the block (no copy of
    /// a record, no framing state machine), the verdicts of a block handed out in order.
    Blocks {
        blocks: Cutter<R>,
        sequence: Sequence,
        pool: BufferPool,
    },
    /// NDJSON that lies in one shared buffer (a mapped file): blocks are ranges of it.
    Shared {
        blocks: SharedBlocks,
        sequence: Sequence,
    },
}

/// What cuts NDJSON into blocks for one thread: a reader's bytes, or chunks of shared bytes.
pub(crate) enum Cutter<R> {
    Read(NdjsonBlocks<R>),
    Chunks(ChunkBlocks),
}

impl<R: Read> Iterator for Cutter<R> {
    type Item = io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Cutter::Read(blocks) => blocks.next(),
            Cutter::Chunks(blocks) => blocks.next(),
        }
    }
}

/// How many bytes of NDJSON one thread judges at once: a block and its verdicts stay in the
/// core's cache.
pub(crate) const SEQUENTIAL_BLOCK_BYTES: usize = 64 << 10;

impl<R: Read> SequentialEvents<R> {
    pub(crate) fn new(validator: Validator, reader: R, format: InputFormat) -> Self {
        let limits = validator.frame_limits();
        let source = if format == InputFormat::Ndjson {
            let pool = BufferPool::default();
            Source::Blocks {
                blocks: Cutter::Read(NdjsonBlocks::new(
                    reader,
                    limits,
                    SEQUENTIAL_BLOCK_BYTES,
                    pool.clone(),
                )),
                sequence: Sequence::default(),
                pool,
            }
        } else {
            Source::Frames(Frames::new(reader, format, limits))
        };
        SequentialEvents {
            validator,
            source,
            ids: DuplicateIds::default(),
        }
    }

    /// NDJSON cut from chunks of shared bytes, judged where it lies; `R` is not read.
    pub(crate) fn chunks(validator: Validator, blocks: ChunkBlocks) -> Self {
        SequentialEvents {
            validator,
            source: Source::Blocks {
                blocks: Cutter::Chunks(blocks),
                sequence: Sequence::default(),
                pool: BufferPool::default(),
            },
            ids: DuplicateIds::default(),
        }
    }

    /// NDJSON in one shared buffer, judged where it lies; `R` is not read.
    pub(crate) fn shared(validator: Validator, blocks: SharedBlocks) -> Self {
        SequentialEvents {
            validator,
            source: Source::Shared {
                blocks,
                sequence: Sequence::default(),
            },
            ids: DuplicateIds::default(),
        }
    }

    /// The same events from the framing state machine whatever the format: what the block
    /// path must equal.
    #[cfg(test)]
    fn framed(validator: Validator, reader: R, format: InputFormat) -> Self {
        let frames = Frames::new(reader, format, validator.frame_limits());
        SequentialEvents {
            validator,
            source: Source::Frames(frames),
            ids: DuplicateIds::default(),
        }
    }

    /// Whether the events judged together (a block's, or `n` frames) are all taken: where a
    /// piece of rendered events ends.
    pub(crate) fn run_taken(&self, n: usize) -> bool {
        match &self.source {
            Source::Frames(_) => n >= CHUNK,
            Source::Blocks { sequence, .. } | Source::Shared { sequence, .. } => {
                sequence.ready.is_empty()
            }
        }
    }

    /// The next event, before the duplicate check.
    pub(crate) fn next_event(&mut self) -> Option<io::Result<Event>> {
        match &mut self.source {
            Source::Frames(frames) => Some(frames.next()?.map(|f| self.validator.judge_frame(f))),
            Source::Blocks {
                blocks,
                sequence,
                pool,
            } => loop {
                if let Some(event) = sequence.next() {
                    return Some(Ok(event));
                }
                let block = match blocks.next()? {
                    Ok(block) => block,
                    Err(e) => return Some(Err(e)),
                };
                sequence.judge(&self.validator, &self.ids, &block);
                if let Block::Lines(buffer) = block {
                    pool.give(buffer);
                }
            },
            Source::Shared { blocks, sequence } => loop {
                if let Some(event) = sequence.next() {
                    return Some(Ok(event));
                }
                // The blocks give their pages back themselves, a few megabytes at a time.
                sequence.judge(&self.validator, &self.ids, &blocks.next()?);
            },
        }
    }
}

impl<R: Read> Iterator for SequentialEvents<R> {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut event = self.next_event()?;
        if let Ok(Event::Record(verdict)) = &mut event {
            self.ids.check(verdict, self.validator.lang());
        }
        Some(event)
    }
}

/// The events of judged pieces, in order, their records and lines moved past those of the
/// pieces before them.
#[derive(Default)]
pub(crate) struct Sequence {
    ready: VecDeque<Event>,
    /// Records and newlines of the pieces before the one in `ready`.
    base_index: u64,
    base_line: u64,
    /// Records and newlines of the piece now in `ready`, added once it is drained.
    pending_records: u64,
    pending_newlines: u64,
}

impl Sequence {
    /// The next piece, once the events of the one before are all taken.
    fn push(&mut self, judged: Judged) {
        self.push_counts(judged.records, judged.newlines);
        self.ready = judged.events;
    }

    /// Judge `block` into `ready` (drained before), ask the cache for its ids, and take its
    /// counts: one step of a one-thread block source.
    fn judge(&mut self, validator: &Validator, ids: &DuplicateIds, block: &Block) {
        let newlines = validator.judge_block_into(block, &mut self.ready);
        ids.prefetch(self.ready.iter().map(Event::verdict));
        self.push_counts(self.ready.len() as u64, newlines);
    }

    /// The counts of the next piece, whose events were just put in `ready` (drained before).
    fn push_counts(&mut self, records: u64, newlines: u64) {
        self.base_index += self.pending_records;
        self.base_line += self.pending_newlines;
        self.pending_records = records;
        self.pending_newlines = newlines;
    }

    /// The next event of the current piece, at its place in the stream.
    fn next(&mut self) -> Option<Event> {
        let mut event = self.ready.pop_front()?;
        if let Event::Record(verdict) = &mut event {
            verdict.index += self.base_index;
            verdict.line += self.base_line;
        }
        Some(event)
    }
}

/// How many frames travel to a worker at once (JSON arrays and batches).
const CHUNK: usize = 256;

/// How many bytes of NDJSON travel to a worker at once.
pub(crate) const BLOCK_BYTES: usize = 256 << 10;

/// A piece of work for a worker.
pub(crate) enum Work {
    /// Framed records of a JSON document, with their global positions.
    Frames(Vec<Frame>),
    /// Whole NDJSON lines, framed by the worker itself.
    Block(Block),
    /// Whole plain elements of a JSON array or a batch's records, cut by the reader.
    Elements(Elements),
}

/// The pieces of a JSON document: runs of plain array elements cut in one pass
/// ([`Frames::take_elements`]) and, between them, chunks of the frames that the state machine
/// yields itself (the start and end of the document, a batch's envelope, anything unusual).
struct JsonPieces<R> {
    frames: Frames<R>,
    pool: BufferPool,
    /// The buffer the next run of elements goes into.
    spare: Vec<u8>,
    block_bytes: usize,
    /// A run of elements or an error, due after the chunk of frames just sent.
    held: Option<io::Result<Work>>,
    done: bool,
}

impl<R: Read> Iterator for JsonPieces<R> {
    type Item = io::Result<Work>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(piece) = self.held.take() {
            return Some(piece);
        }
        if self.done {
            return None;
        }
        let mut chunk = Vec::new();
        loop {
            let cut = if self.frames.between_elements() {
                if self.spare.capacity() == 0 {
                    self.spare = self.pool.take();
                }
                self.frames.take_elements(self.block_bytes, &mut self.spare)
            } else {
                Ok(None)
            };
            let next = match cut {
                Ok(Some(elements)) => Some(Ok(Work::Elements(elements))),
                Ok(None) if chunk.len() >= CHUNK => None,
                Ok(None) => match self.frames.next() {
                    Some(Ok(frame)) => {
                        chunk.push(frame);
                        continue;
                    }
                    Some(Err(e)) => {
                        self.done = true;
                        Some(Err(e))
                    }
                    None => {
                        self.done = true;
                        None
                    }
                },
                Err(e) => {
                    self.done = true;
                    Some(Err(e))
                }
            };
            if chunk.is_empty() {
                return next;
            }
            self.held = next;
            return Some(Ok(Work::Frames(chunk)));
        }
    }
}

/// Validation of a stream on several threads; see [`Validator::validate_reader_parallel`].
///
/// One thread reads; `jobs` threads judge pieces of the input; this iterator puts their
/// verdicts back in input order and checks duplicate ids. NDJSON is cut into blocks of whole
/// lines that the workers frame themselves, so the reading thread does almost nothing and no
/// record is copied. JSON arrays and batches are cut into runs of whole elements in one pass
/// over the bytes (no record is copied or allocated on the reading thread); the state machine
/// frames only what is not a plain element (the document's edges, a batch's envelope, an
/// element over the limits, a syntax error), exactly as it does on one thread. The number of
/// pieces in flight is bounded, so memory does not grow with the input.
pub struct ParallelEvents {
    ordered: Ordered<Judged>,
    sequence: Sequence,
    ids: DuplicateIds,
    validator: Validator,
}

/// What a worker makes of a piece of work: the verdicts as events, or as rendered report
/// lines.
pub(crate) trait Output: Send + 'static {
    /// The lines judged, when they lie in a mapping whose pages are given back behind them.
    fn take_shared(&mut self) -> Option<bytes::Bytes>;
}

impl Output for Judged {
    fn take_shared(&mut self) -> Option<bytes::Bytes> {
        self.shared.take()
    }
}

/// The results of the workers, put back in input order.
pub(crate) struct Ordered<T> {
    results: mpsc::Receiver<(u64, io::Result<T>)>,
    pending: BTreeMap<u64, io::Result<T>>,
    next_piece: u64,
    failed: bool,
    /// Gives back the pages of a mapping behind the blocks judged, in input order.
    behind: Option<Behind>,
}

/// Send every piece of `pieces` to the workers, numbered in order; an error ends the input.
fn feed<I: Iterator<Item = io::Result<Work>>, T>(
    pieces: I,
    work: &mpsc::SyncSender<(u64, Work)>,
    results: &mpsc::SyncSender<(u64, io::Result<T>)>,
) {
    for (seq, piece) in (0u64..).zip(pieces) {
        let sent = match piece {
            Ok(piece) => work.send((seq, piece)).is_ok(),
            Err(e) => {
                let _ = results.send((seq, Err(e)));
                false
            }
        };
        if !sent {
            return;
        }
    }
}

impl ParallelEvents {
    pub(crate) fn new<R: Read + Send + 'static>(
        validator: Validator,
        reader: R,
        format: InputFormat,
        jobs: usize,
    ) -> Self {
        Self::spawn(validator, reader, format, jobs, BLOCK_BYTES)
    }

    fn spawn<R: Read + Send + 'static>(
        validator: Validator,
        reader: R,
        format: InputFormat,
        jobs: usize,
        block_bytes: usize,
    ) -> Self {
        let ordered = Ordered::spawn(&validator, reader, format, jobs, block_bytes, judge_work);
        Self::ordering(validator, ordered)
    }

    /// NDJSON in one shared buffer on `jobs` threads; see [`Ordered::shared`].
    pub(crate) fn shared(validator: Validator, blocks: SharedBlocks, jobs: usize) -> Self {
        let ordered = Ordered::shared(&validator, blocks, jobs, judge_work);
        Self::ordering(validator, ordered)
    }

    fn ordering(validator: Validator, ordered: Ordered<Judged>) -> Self {
        ParallelEvents {
            ordered,
            sequence: Sequence::default(),
            ids: DuplicateIds::default(),
            validator,
        }
    }
}

/// A worker's judgement of one piece of work, as events.
fn judge_work(validator: &Validator, work: Work, pool: &BufferPool) -> Judged {
    match work {
        Work::Frames(frames) => Judged {
            events: frames
                .into_iter()
                .map(|f| validator.judge_frame(f))
                .collect(),
            records: 0,
            newlines: 0,
            shared: None,
        },
        Work::Elements(elements) => {
            let events = elements
                .iter()
                .map(|(index, line, bytes)| {
                    let mut verdict = Verdict::new(index, line);
                    validator.judge(bytes, &mut verdict);
                    Event::Record(verdict)
                })
                .collect();
            pool.give(elements.bytes);
            Judged {
                events,
                records: 0,
                newlines: 0,
                shared: None,
            }
        }
        Work::Block(block) => {
            let mut judged = validator.judge_block(&block);
            match block {
                Block::Lines(buffer) => pool.give(buffer),
                Block::Shared(lines) => judged.shared = Some(lines.bytes),
                Block::Chunks(_) | Block::Oversized { .. } => {}
            }
            judged
        }
    }
}

impl<T: Output> Ordered<T> {
    /// Read `reader` on a thread of its own and judge its pieces on `jobs` workers, each
    /// made into a `T` by `make`.
    pub(crate) fn spawn<R, M>(
        validator: &Validator,
        reader: R,
        format: InputFormat,
        jobs: usize,
        block_bytes: usize,
        make: M,
    ) -> Self
    where
        R: Read + Send + 'static,
        M: Fn(&Validator, Work, &BufferPool) -> T + Clone + Send + 'static,
    {
        let limits = validator.frame_limits();
        Self::start(
            validator,
            jobs,
            move |work_tx, reader_results, reader_pool| {
                if format == InputFormat::Ndjson {
                    let blocks = NdjsonBlocks::new(reader, limits, block_bytes, reader_pool);
                    feed(
                        blocks.map(|b| b.map(Work::Block)),
                        &work_tx,
                        &reader_results,
                    );
                } else {
                    let pieces = JsonPieces {
                        frames: Frames::new(reader, format, limits),
                        pool: reader_pool,
                        spare: Vec::new(),
                        block_bytes,
                        held: None,
                        done: false,
                    };
                    feed(pieces, &work_tx, &reader_results);
                }
            },
            make,
        )
    }

    /// NDJSON in one shared buffer on `jobs` threads. There is nothing to read: each worker
    /// takes the next block itself (finding where it ends is a search for one newline, done
    /// under a lock that also numbers the blocks) and judges it where it lies. No reading
    /// thread, no hand-off through a queue.
    pub(crate) fn shared<M>(
        validator: &Validator,
        blocks: SharedBlocks,
        jobs: usize,
        make: M,
    ) -> Self
    where
        M: Fn(&Validator, Work, &BufferPool) -> T + Clone + Send + 'static,
    {
        let behind = blocks.mapping().map(|m| Behind::new(Arc::clone(m)));
        let mut ordered = Self::pulled(validator, blocks.map(Ok), jobs, make);
        ordered.behind = behind;
        ordered
    }

    /// NDJSON blocks on `jobs` threads, each worker taking the next block from `blocks`
    /// itself, under a lock that also numbers them (see [`Ordered::shared`]): for blocks
    /// that are cut without copying ([`SharedBlocks`], [`ChunkBlocks`]), no reading thread.
    /// A worker that waits for the next block holds the lock; the others wait with it, as
    /// they would for a reading thread.
    pub(crate) fn pulled<B, M>(validator: &Validator, blocks: B, jobs: usize, make: M) -> Self
    where
        B: Iterator<Item = io::Result<Block>> + Send + 'static,
        M: Fn(&Validator, Work, &BufferPool) -> T + Clone + Send + 'static,
    {
        let jobs = jobs.max(1);
        let cut = Arc::new(Mutex::new((0u64, blocks)));
        let take = move || {
            let mut cut = cut.lock().ok()?;
            let block = cut.1.next()?;
            let seq = cut.0;
            cut.0 += 1;
            Some((seq, block.map(Work::Block)))
        };
        let results = mpsc::sync_channel(jobs * 4);
        Self::workers(validator, jobs, BufferPool::default(), results, take, make)
    }

    /// Start `jobs` workers and the reading thread, which runs `read` to send them the
    /// numbered pieces of the input (and an error, if one ends it, to the results).
    fn start<F, M>(validator: &Validator, jobs: usize, read: F, make: M) -> Self
    where
        F: FnOnce(
                mpsc::SyncSender<(u64, Work)>,
                mpsc::SyncSender<(u64, io::Result<T>)>,
                BufferPool,
            ) + Send
            + 'static,
        M: Fn(&Validator, Work, &BufferPool) -> T + Clone + Send + 'static,
    {
        let jobs = jobs.max(1);
        let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Work)>(jobs * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (result_tx, results) = mpsc::sync_channel(jobs * 4);

        let reader_results = result_tx.clone();
        let pool = BufferPool::default();
        let reader_pool = pool.clone();
        thread::spawn(move || read(work_tx, reader_results, reader_pool));
        let take = move || {
            let (seq, work) = work_rx.lock().ok()?.recv().ok()?;
            Some((seq, Ok(work)))
        };
        Self::workers(validator, jobs, pool, (result_tx, results), take, make)
    }

    /// Start `jobs` workers (at least one: the callers see to it) that make what `make` makes
    /// of the pieces `take` gives them until it gives none, and send it to `results` (or the
    /// error `take` gives instead of a piece).
    #[allow(clippy::type_complexity)]
    fn workers<P, M>(
        validator: &Validator,
        jobs: usize,
        pool: BufferPool,
        (result_tx, results): (
            mpsc::SyncSender<(u64, io::Result<T>)>,
            mpsc::Receiver<(u64, io::Result<T>)>,
        ),
        take: P,
        make: M,
    ) -> Self
    where
        P: Fn() -> Option<(u64, io::Result<Work>)> + Clone + Send + 'static,
        M: Fn(&Validator, Work, &BufferPool) -> T + Clone + Send + 'static,
    {
        for _ in 0..jobs {
            let take = take.clone();
            let make = make.clone();
            let result_tx = result_tx.clone();
            let validator = validator.clone();
            let pool = pool.clone();
            thread::spawn(move || loop {
                let Some((seq, work)) = take() else { return };
                let made = work.map(|work| make(&validator, work, &pool));
                if result_tx.send((seq, made)).is_err() {
                    return;
                }
            });
        }
        Ordered {
            results,
            pending: BTreeMap::new(),
            next_piece: 0,
            failed: false,
            behind: None,
        }
    }

    /// The next piece in input order (or the error that ended the input).
    pub(crate) fn next(&mut self) -> Option<io::Result<T>> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(piece) = self.pending.remove(&self.next_piece) {
                self.next_piece += 1;
                return match piece {
                    Ok(mut made) => {
                        if let (Some(behind), Some(lines)) = (&mut self.behind, made.take_shared())
                        {
                            behind.judged_through(&lines);
                        }
                        Some(Ok(made))
                    }
                    Err(e) => {
                        self.failed = true;
                        Some(Err(e))
                    }
                };
            }
            match self.results.recv() {
                Ok((seq, piece)) => {
                    self.pending.insert(seq, piece);
                }
                // Every sender is gone and nothing is pending: the input is done.
                Err(_) => return None,
            }
        }
    }
}

impl Iterator for ParallelEvents {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(mut event) = self.sequence.next() {
                if let Event::Record(verdict) = &mut event {
                    self.ids.check(verdict, self.validator.lang());
                }
                return Some(Ok(event));
            }
            match self.ordered.next()? {
                Ok(judged) => {
                    self.ids.prefetch(judged.events.iter().map(Event::verdict));
                    self.sequence.push(judged);
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::framing::{Mapping, Takers};
    use crate::validate::{Limits, Options};

    /// Inputs whose NDJSON framing has edges: blank and whitespace lines, CRLF, a BOM, lines
    /// over the limit (blank ones too), nesting over the limit, a last line without `\n`.
    pub(crate) fn inputs() -> Vec<Vec<u8>> {
        let valid = r#"{"kind":"course","schemaVersion":"2.0"}"#;
        let mut out: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n\n  \n".to_vec(),
            format!("{valid}\n\n{valid}\r\nnot json\n   \n{valid}").into_bytes(),
            [
                &b"\xEF\xBB\xBF"[..],
                valid.as_bytes(),
                b"\n\xEF\xBB\xBF{}\n",
            ]
            .concat(),
            format!(
                "{valid}\n{}\n{valid}\n{}\n{}",
                "x".repeat(300),
                " ".repeat(400),
                "y".repeat(90)
            )
            .into_bytes(),
            format!("{}\n{valid}", "[".repeat(40)).into_bytes(),
            format!("{valid}\n{valid}\n").repeat(50).into_bytes(),
            b"{\"a\":\"\xff\"}\n\r\n{}".to_vec(),
        ];
        // Pseudo-random lines from a fixed xorshift.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..30 {
            let mut bytes = Vec::new();
            for _ in 0..40 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let piece: &[u8] = match x % 7 {
                    0 => b"\n",
                    1 => b"\r\n",
                    2 => b"   ",
                    3 => valid.as_bytes(),
                    4 => b"{\"kind\":",
                    5 => b"[[[[[[[[[[[[",
                    _ => b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                };
                bytes.extend_from_slice(piece);
            }
            out.push(bytes);
        }
        out
    }

    /// NDJSON blocks judged on one thread or several give the events of the framing state
    /// machine on one, at every block size and with read errors.
    #[test]
    fn parallel_blocks_give_the_same_events_as_sequential_framing() {
        let limits = Limits {
            max_record_bytes: 64,
            max_depth: 8,
            ..Limits::default()
        };
        let validator = Validator::new(Options::default().limits(limits));
        let framed = |reader| {
            collect(SequentialEvents::framed(
                validator.clone(),
                reader,
                InputFormat::Ndjson,
            ))
        };
        for input in inputs() {
            let sequential: Vec<Event> =
                SequentialEvents::framed(validator.clone(), &input[..], InputFormat::Ndjson)
                    .map(|e| e.expect("no I/O error"))
                    .collect();
            let blocks: Vec<Event> = validator
                .validate_reader(&input[..], InputFormat::Ndjson)
                .map(|e| e.expect("no I/O error"))
                .collect();
            assert_eq!(blocks, sequential, "{:?}", String::from_utf8_lossy(&input));
            for (jobs, block) in [(1, 1), (2, 7), (2, 64), (3, 1 << 20)] {
                let parallel: Vec<Event> = ParallelEvents::spawn(
                    validator.clone(),
                    std::io::Cursor::new(input.clone()),
                    InputFormat::Ndjson,
                    jobs,
                    block,
                )
                .map(|e| e.expect("no I/O error"))
                .collect();
                assert_eq!(
                    parallel,
                    sequential,
                    "jobs {jobs}, block {block}, input {:?}",
                    String::from_utf8_lossy(&input)
                );
            }
            // A read error here and there: the same events before it, then the error.
            for at in (0..=input.len()).step_by(7) {
                let reader = || FailingAt::at(&input, at);
                let sequential = framed(Box::new(reader()) as Box<dyn Read>);
                let blocks = collect(validator.validate_reader(reader(), InputFormat::Ndjson));
                assert_eq!(blocks, sequential, "error at {at}, one thread");
                let parallel = collect(ParallelEvents::spawn(
                    validator.clone(),
                    reader(),
                    InputFormat::Ndjson,
                    2,
                    1 + at % 40,
                ));
                assert_eq!(parallel, sequential, "error at {at}");
            }
        }
    }

    /// Events as [`collect`] gives them.
    type Events = Vec<Result<Event, String>>;

    /// The events of NDJSON `input` from the framing state machine (which counts every
    /// line's depth first) and from the read path.
    fn framed_and_read(validator: &Validator, input: &[u8]) -> (Events, Events) {
        let framed = SequentialEvents::framed(validator.clone(), input, InputFormat::Ndjson);
        let read = validator.validate_reader(input, InputFormat::Ndjson);
        (collect(framed), collect(read))
    }

    /// Records the typed path takes are judged before their depth is counted: with extensions
    /// nested just within, at and beyond the depth limit, and limits below, at and above the
    /// depth of the types, the block path gives the framing state machine's events (which
    /// count every line's depth first).
    #[test]
    fn typed_records_with_deep_extensions_get_the_verdicts_of_a_depth_count_first() {
        let records = [
            include_str!("../../tests/vectors/2.0/valid/course-pre-job-modules.json"),
            include_str!("../../tests/vectors/2.0/valid/person-passport.json"),
            include_str!("../../tests/vectors/2.0/valid/completion-completed-assessed.json"),
        ];
        let mut input = Vec::new();
        for line in records.map(|r| r.trim().as_bytes()) {
            input.extend_from_slice(line);
            input.push(b'\n');
            for nesting in 0..8 {
                let value = format!("{}1{}", "[".repeat(nesting), "]".repeat(nesting));
                // At the end, where the record's header does not hide it from the typed path.
                let extension = format!(",\"extensions\":{{\"org.example:deep\":{value}}}}}\n");
                input.extend_from_slice(&line[..line.len() - 1]);
                input.extend_from_slice(extension.as_bytes());
            }
        }
        let (mut too_deep, mut within) = (0, 0);
        for max_depth in [3, 4, 5, 6, 8, 64] {
            let limits = Limits {
                max_depth,
                ..Limits::default()
            };
            let validator = Validator::new(Options::default().limits(limits));
            let (framed, blocks) = framed_and_read(&validator, &input);
            assert_eq!(blocks, framed, "max depth {max_depth}");
            for event in framed.iter().flatten() {
                let verdict = event.verdict();
                // (An extended line repeats its record's id: a duplicate, not over a limit.)
                let limit = verdict.issues.iter().find(|f| f.code == Code::RecordLimit);
                within += usize::from(limit.is_none());
                too_deep += usize::from(limit.is_some_and(|f| f.path.is_empty()));
            }
        }
        assert!(
            within > 60 && too_deep > 40,
            "{within} within the limits, {too_deep} too deep"
        );
    }

    /// A file in the temporary directory holding `bytes`, removed when dropped.
    pub(crate) struct TempFile(std::path::PathBuf);

    impl TempFile {
        pub(crate) fn new(bytes: &[u8]) -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let name = format!(
                "dsti-stream-{}-{}.ndjson",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, bytes).expect("temporary file written");
            TempFile(path)
        }

        pub(crate) fn open(&self) -> std::fs::File {
            std::fs::File::open(&self.0).expect("temporary file opened")
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// NDJSON judged where it lies (in a mapped file or in shared bytes, on one thread or
    /// several, at every block size) gives the events of the read path and of the framing
    /// state machine: lines across block edges, CRLF, a last line without `\n`, lines over
    /// the limit (longer than a block and than a scan step, CRLF and blank ones too), an
    /// empty file, invalid UTF-8, a byte-order mark.
    #[test]
    fn mapped_and_shared_blocks_give_the_events_of_the_read_path() {
        let limits = Limits {
            max_record_bytes: 64,
            max_depth: 8,
            ..Limits::default()
        };
        let validator = Validator::new(Options::default().limits(limits));
        let valid = r#"{"kind":"course","schemaVersion":"2.0"}"#;
        let mut inputs = inputs();
        inputs.extend([
            format!("{valid}\r\n{valid}\r\n[1,\r\n\r\n{{}}\r\n").into_bytes(),
            format!("{valid}\n{}\r\n{valid}", "x".repeat(100)).into_bytes(),
            [
                b"{\"a\":\"\xc3\x28\"}\n".as_slice(),
                b"\xff\xfe\n",
                valid.as_bytes(),
            ]
            .concat(),
            // Over-long lines beyond a read, a block and a scan step of the mapped path.
            [
                valid.as_bytes(),
                b"\r\n",
                &b"x".repeat(3 << 20),
                b"\r\n",
                &b" ".repeat(300_000),
                b"\r\n{}\r\n",
                &b"y".repeat(200_000),
            ]
            .concat(),
            [&b"z".repeat(70_000), b"\r".as_slice()].concat(),
            [
                &b"\xEF\xBB\xBF"[..],
                &b" ".repeat(1 << 20),
                b"\n[[[[[[[[[[\n",
            ]
            .concat(),
        ]);
        let mut cut = 0;
        for input in &inputs {
            let what = String::from_utf8_lossy(&input[..input.len().min(200)]).into_owned();
            let (framed, read) = framed_and_read(&validator, input);
            assert_eq!(read, framed, "read path, {what:?}");
            let file = TempFile::new(input);
            let detected = collect(validator.validate_reader(&input[..], InputFormat::Auto));
            for jobs in [1, 2] {
                let whole =
                    collect(validator.validate_file(file.open(), InputFormat::Ndjson, jobs));
                assert_eq!(whole, framed, "validate_file, jobs {jobs}, {what:?}");
                let shared = bytes::Bytes::copy_from_slice(input);
                let shared = collect(validator.validate_shared(shared, InputFormat::Ndjson, jobs));
                assert_eq!(shared, framed, "validate_shared, jobs {jobs}, {what:?}");
                let auto = collect(validator.validate_file(file.open(), InputFormat::Auto, jobs));
                assert_eq!(auto, detected, "validate_file, auto, jobs {jobs}, {what:?}");
                let shared = bytes::Bytes::copy_from_slice(input);
                let auto = collect(validator.validate_shared(shared, InputFormat::Auto, jobs));
                assert_eq!(
                    auto, detected,
                    "validate_shared, auto, jobs {jobs}, {what:?}"
                );
            }
            if input.is_empty() {
                continue;
            }
            let mapping = Mapping::map(&file.open()).expect("a non-empty file maps");
            for block in [1, 7, 64, 100, 4096, 1 << 20] {
                for (data, mapping) in [
                    (mapping.bytes(), Some(Arc::clone(&mapping))),
                    (bytes::Bytes::copy_from_slice(input), None),
                ] {
                    let limits = validator.frame_limits();
                    let one = || {
                        let (data, mapping) = (data.clone(), mapping.clone());
                        SharedBlocks::new(data, mapping, limits, block, Takers::One)
                    };
                    cut += one().count();
                    let sequential = collect(SequentialEvents::<std::io::Empty>::shared(
                        validator.clone(),
                        one(),
                    ));
                    assert_eq!(sequential, framed, "one thread, block {block}, {what:?}");
                    let several =
                        SharedBlocks::new(data, mapping, limits, block, Takers::Several(3));
                    let parallel = collect(ParallelEvents::shared(validator.clone(), several, 3));
                    assert_eq!(parallel, framed, "three threads, block {block}, {what:?}");
                }
            }
        }
        assert!(cut > 2_000, "inputs were cut into many blocks: {cut}");
    }

    /// A file that is not NDJSON, or not a regular file, takes the read path, with its
    /// events.
    #[test]
    fn validate_file_reads_what_it_does_not_map() {
        let validator = Validator::new(Options::default());
        let valid = r#"{"kind":"course","schemaVersion":"2.0"}"#;
        for (input, format) in [
            (format!("[{valid},{valid}]"), InputFormat::Json),
            (format!("{valid}\n{valid}\n"), InputFormat::Auto),
        ] {
            let expected = collect(validator.validate_reader(input.as_bytes(), format));
            let file = TempFile::new(input.as_bytes());
            for jobs in [1, 2] {
                let events = collect(validator.validate_file(file.open(), format, jobs));
                assert_eq!(events, expected, "{format:?}, jobs {jobs}");
            }
        }
        // Documents that detection finds to be JSON, and broken ones, left to the read path.
        for input in json_inputs() {
            let expected = collect(validator.validate_reader(&input[..], InputFormat::Auto));
            let file = TempFile::new(&input);
            for jobs in [1, 2] {
                let events = collect(validator.validate_file(file.open(), InputFormat::Auto, jobs));
                let what = String::from_utf8_lossy(&input);
                assert_eq!(events, expected, "jobs {jobs}, {what:?}");
            }
        }
        #[cfg(unix)]
        {
            // A directory opens but is not a regular file: the read path's error, not a map.
            let dir = std::fs::File::open(std::env::temp_dir()).expect("directory opened");
            let events = collect(validator.validate_file(dir, InputFormat::Ndjson, 1));
            assert!(
                matches!(events.as_slice(), [Err(_)]),
                "one read error: {events:?}"
            );
        }
    }

    /// JSON arrays and batches, well-formed and not: plain elements (with `},{` and brackets
    /// inside nested values and strings, escapes, newlines), elements that are not plain
    /// (scalars, strings, too long, too deep), broken separators and ends, and batches with
    /// envelope members around their records.
    pub(crate) fn json_inputs() -> Vec<Vec<u8>> {
        let rec = r#"{"kind":"course","schemaVersion":"2.0"}"#;
        let pieces: [&str; 16] = [
            rec,
            r#"{"a":[{"b":1},{"c":"},{"}]}"#,
            "{\"s\":\"q\\\"}],[\\\\\"}",
            "{\"n\":\"line\nbreak\"}",
            "[1,2]",
            "7",
            "\"str,ing\"",
            r#"{"x":"0123456789012345678901234567890123456789012345678901234567"}"#,
            "[[[[[[[[[[]]]]]]]]]]",
            " \n ",
            ",",
            ",,",
            "]",
            "{",
            "\"\\",
            "x",
        ];
        let mut out: Vec<Vec<u8>> = vec![
            format!("[{rec},{rec}]").into_bytes(),
            format!("[ {rec} ,\n{rec}\r\n, {rec} ]\n").into_bytes(),
            format!("[{rec},{rec},]").into_bytes(),
            format!("[{rec},,{rec}]").into_bytes(),
            format!("[{rec},{rec}").into_bytes(),
            format!("[{rec},{rec}").into_bytes(),
            format!("[{rec},{rec}] x").into_bytes(),
            format!("[{rec} {rec}]").into_bytes(),
            format!("[{rec},{rec}]]").into_bytes(),
            format!("[{rec},{{\"a\":\"\\\"").into_bytes(),
            b"[]".to_vec(),
            b"[".to_vec(),
            format!(r#"{{"kind":"batch","records":[{rec},{rec},{rec}],"sender":{{"name":"x"}}}}"#)
                .into_bytes(),
            format!(r#"{{"id":"1","records":[{rec},{rec}],"records":[{rec}]}}"#).into_bytes(),
            format!(r#"{{"records":[{rec},{rec},"#).into_bytes(),
            format!(r#"{{"records":[{rec},{rec}]"#).into_bytes(),
            format!(r#"{{"records":[{rec}] , "a" : [{rec},{rec}] }} "#).into_bytes(),
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..30 {
            let mut body = String::new();
            for _ in 0..12 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly plain elements and commas, so that runs of elements are cut.
                let piece = if x % 3 == 0 {
                    pieces[(x >> 8) as usize % pieces.len()]
                } else if x % 3 == 1 {
                    rec
                } else {
                    ","
                };
                body.push_str(piece);
            }
            let doc = match round % 3 {
                0 => format!("[{body}]"),
                1 => format!(r#"{{"kind":"batch","records":[{body}],"id":"b"}}"#),
                _ => format!("[{body}"),
            };
            out.push(doc.into_bytes());
        }
        out
    }

    /// A reader that fails once, after `at` bytes.
    pub(crate) struct FailingAt {
        pub(crate) bytes: Vec<u8>,
        pub(crate) pos: usize,
        pub(crate) at: usize,
        pub(crate) failed: bool,
    }

    impl FailingAt {
        /// `bytes` read until `at`, where reading fails once.
        pub(crate) fn at(bytes: &[u8], at: usize) -> Self {
            FailingAt {
                bytes: bytes.to_vec(),
                pos: 0,
                at,
                failed: false,
            }
        }
    }

    impl Read for FailingAt {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.pos >= self.at && !self.failed {
                self.failed = true;
                return Err(io::Error::other("disk gone"));
            }
            let end = self
                .bytes
                .len()
                .min(self.at.max(self.pos + 1))
                .min(self.pos + buf.len());
            let n = end.saturating_sub(self.pos);
            buf[..n].copy_from_slice(&self.bytes[self.pos..end]);
            self.pos = end;
            Ok(n)
        }
    }

    /// The events, with an I/O error as its message.
    fn collect(events: impl Iterator<Item = io::Result<Event>>) -> Vec<Result<Event, String>> {
        events.map(|e| e.map_err(|e| e.to_string())).collect()
    }

    /// Runs of array elements cut on the reading thread and judged on others give the events
    /// of the framing state machine on one, whatever the block size (so a run ends at every
    /// element of every input) and wherever a read error comes.
    #[test]
    fn parallel_runs_of_elements_give_the_same_events_as_sequential_framing() {
        let limits = Limits {
            max_record_bytes: 64,
            max_depth: 8,
            ..Limits::default()
        };
        let validator = Validator::new(Options::default().limits(limits));
        let mut cut = 0;
        for (n, input) in json_inputs().into_iter().enumerate() {
            let formats: &[InputFormat] = if n % 4 == 0 {
                &[InputFormat::Json, InputFormat::Auto]
            } else {
                &[InputFormat::Json]
            };
            for &format in formats {
                let sequential = collect(validator.validate_reader(&input[..], format));
                // Every block size, so that a run of elements ends at every boundary.
                for block in 1..=input.len() + 1 {
                    let jobs = 1 + block % 3;
                    let parallel = collect(ParallelEvents::spawn(
                        validator.clone(),
                        std::io::Cursor::new(input.clone()),
                        format,
                        jobs,
                        block,
                    ));
                    cut += usize::from(parallel.len() > 1);
                    assert_eq!(
                        parallel,
                        sequential,
                        "{format:?}, jobs {jobs}, block {block}, input {:?}",
                        String::from_utf8_lossy(&input)
                    );
                }
            }
            // A read error anywhere: the same events before it, then the error.
            for at in 0..=input.len() {
                let reader = || FailingAt::at(&input, at);
                let sequential = collect(validator.validate_reader(reader(), InputFormat::Json));
                let parallel = collect(ParallelEvents::spawn(
                    validator.clone(),
                    reader(),
                    InputFormat::Json,
                    2,
                    1 + at % 40,
                ));
                assert_eq!(parallel, sequential, "error at {at}");
            }
        }
        assert!(cut > 100, "runs of elements were cut");
    }
}
