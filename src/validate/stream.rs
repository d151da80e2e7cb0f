//! Streams of records: framing, one verdict per record in input order, duplicate ids, and
//! the same on several threads.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use super::{DuplicateIds, Finding, Validator, Verdict};
use crate::framing::{Body, Frame, FrameLimits, Frames, InputFormat};
use crate::Code;

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
    fn frame_limits(&self) -> FrameLimits {
        let limits = &self.inner.options.limits;
        FrameLimits {
            max_record_bytes: limits.max_record_bytes,
            max_depth: limits.max_depth,
        }
    }

    /// Judge one frame (without the duplicate check, which needs input order).
    fn judge_frame(&self, frame: Frame) -> Event {
        let lang = self.lang();
        let (is_envelope, line, index, body) = match frame {
            Frame::Record { index, line, body } => (false, line, index, body),
            Frame::Envelope { line, body } => (true, line, 0, body),
        };
        let mut verdict = Verdict::new(index, line);
        match body {
            Body::Json(bytes) if is_envelope => self.judge_envelope(&bytes, &mut verdict),
            Body::Json(bytes) => self.judge(&bytes, &mut verdict),
            Body::TooLarge { bytes } => verdict.extend([Finding::new(
                Code::RecordLimit,
                "",
                match lang {
                    super::Lang::En => format!(
                        "the record has {bytes} bytes, more than the limit of {}",
                        self.inner.options.limits.max_record_bytes
                    ),
                    super::Lang::Zh => format!(
                        "记录有 {bytes} 字节，超过 {} 字节的上限",
                        self.inner.options.limits.max_record_bytes
                    ),
                },
            )]),
            Body::TooDeep { .. } => verdict.extend([Finding::new(
                Code::RecordLimit,
                "",
                lang.pick(
                    &format!(
                        "nesting is deeper than the limit of {}",
                        self.inner.options.limits.max_depth
                    ),
                    &format!(
                        "嵌套层级超过 {} 层的上限",
                        self.inner.options.limits.max_depth
                    ),
                ),
            )]),
            Body::Syntax { message } => verdict.extend([Finding::new(
                Code::JsonSyntax,
                "",
                lang.pick(message, &format!("不是合法的 JSON（{message}）")),
            )]),
        }
        if is_envelope {
            Event::Envelope(verdict)
        } else {
            Event::Record(verdict)
        }
    }
}

/// Validation of a stream on the calling thread; see [`Validator::validate_reader`].
pub struct SequentialEvents<R> {
    validator: Validator,
    frames: Frames<R>,
    ids: DuplicateIds,
}

impl<R: Read> SequentialEvents<R> {
    pub(crate) fn new(validator: Validator, reader: R, format: InputFormat) -> Self {
        let frames = Frames::new(reader, format, validator.frame_limits());
        SequentialEvents {
            validator,
            frames,
            ids: DuplicateIds::default(),
        }
    }
}

impl<R: Read> Iterator for SequentialEvents<R> {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        let frame = match self.frames.next()? {
            Ok(frame) => frame,
            Err(e) => return Some(Err(e)),
        };
        let mut event = self.validator.judge_frame(frame);
        if let Event::Record(verdict) = &mut event {
            self.ids.check(verdict, self.validator.lang());
        }
        Some(Ok(event))
    }
}

/// How many frames travel to a worker at once.
const CHUNK: usize = 256;

type Chunk = (u64, Vec<Frame>);

/// Validation of a stream on several threads; see [`Validator::validate_reader_parallel`].
///
/// One thread reads and frames, `jobs` threads judge chunks of records, and this iterator
/// puts their verdicts back in input order and checks duplicate ids. The number of chunks in
/// flight is bounded, so memory does not grow with the input.
pub struct ParallelEvents {
    results: mpsc::Receiver<(u64, io::Result<Vec<Event>>)>,
    pending: BTreeMap<u64, io::Result<Vec<Event>>>,
    next_chunk: u64,
    ready: std::vec::IntoIter<Event>,
    ids: DuplicateIds,
    validator: Validator,
    failed: bool,
}

impl ParallelEvents {
    pub(crate) fn new<R: Read + Send + 'static>(
        validator: Validator,
        reader: R,
        format: InputFormat,
        jobs: usize,
    ) -> Self {
        let jobs = jobs.max(1);
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(jobs * 2);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (result_tx, results) = mpsc::sync_channel(jobs * 4);

        let reader_results = result_tx.clone();
        let limits = validator.frame_limits();
        thread::spawn(move || {
            let mut frames = Frames::new(reader, format, limits);
            let mut seq = 0;
            loop {
                let mut chunk = Vec::with_capacity(CHUNK);
                let mut error = None;
                for frame in frames.by_ref().take(CHUNK) {
                    match frame {
                        Ok(f) => chunk.push(f),
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
                let done = chunk.len() < CHUNK || error.is_some();
                if !chunk.is_empty() {
                    if work_tx.send((seq, chunk)).is_err() {
                        return;
                    }
                    seq += 1;
                }
                if let Some(e) = error {
                    let _ = reader_results.send((seq, Err(e)));
                    return;
                }
                if done {
                    return;
                }
            }
        });

        for _ in 0..jobs {
            let work_rx = Arc::clone(&work_rx);
            let result_tx = result_tx.clone();
            let validator = validator.clone();
            thread::spawn(move || loop {
                let next = work_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((seq, frames))) = next else { return };
                let events = frames
                    .into_iter()
                    .map(|f| validator.judge_frame(f))
                    .collect();
                if result_tx.send((seq, Ok(events))).is_err() {
                    return;
                }
            });
        }

        ParallelEvents {
            results,
            pending: BTreeMap::new(),
            next_chunk: 0,
            ready: Vec::new().into_iter(),
            ids: DuplicateIds::default(),
            validator,
            failed: false,
        }
    }
}

impl Iterator for ParallelEvents {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(mut event) = self.ready.next() {
                if let Event::Record(verdict) = &mut event {
                    self.ids.check(verdict, self.validator.lang());
                }
                return Some(Ok(event));
            }
            if self.failed {
                return None;
            }
            if let Some(chunk) = self.pending.remove(&self.next_chunk) {
                self.next_chunk += 1;
                match chunk {
                    Ok(events) => self.ready = events.into_iter(),
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                }
                continue;
            }
            match self.results.recv() {
                Ok((seq, chunk)) => {
                    self.pending.insert(seq, chunk);
                }
                // Every sender is gone and nothing is pending: the input is done.
                Err(_) => return None,
            }
        }
    }
}
