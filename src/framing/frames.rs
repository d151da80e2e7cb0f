//! The frames of an upload and the state machine that yields them: [`FrameLimits`],
//! [`InputFormat`], [`Body`], [`Frame`] and [`Frames`], which drives the other modules (input
//! buffer, NDJSON lines, the top-level array and the batch object, auto-detection).

use std::io::{self, Read};

use memchr::memchr;

use super::*;

/// Limits applied to every record while framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrameLimits {
    /// The largest record, in bytes, that is passed on; a larger one becomes
    /// [`Body::TooLarge`]. Also bounds a batch's envelope and the first line inspected by
    /// [`InputFormat::Auto`]. Default: 1 MiB.
    pub(crate) max_record_bytes: usize,
    /// The deepest nesting of `{`/`[` allowed in a record (a flat object has depth 1);
    /// deeper records become [`Body::TooDeep`]. Default: 64.
    pub(crate) max_depth: usize,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits {
            max_record_bytes: 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// The layout of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Decide from the first bytes (for stdin, which has no file extension). After a BOM and
    /// leading whitespace, `[` means [`InputFormat::Json`]. Otherwise the first line decides:
    /// if it holds exactly one complete JSON value that is not a batch, the upload is
    /// NDJSON, else JSON. A first line longer than the largest record size (`Limits::max_record_bytes`) in
    /// which no batch `"records": [` was seen counts as NDJSON (an over-long record). An
    /// empty upload is NDJSON with no records.
    Auto,
    /// One JSON document: an array of records, a batch object, or a single record.
    Json,
    /// Newline-delimited JSON: one record per line.
    Ndjson,
}

/// What a frame carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// The raw bytes, for the JSON parser. They may be invalid JSON, invalid UTF-8 or
    /// anything else; reporting that is the parser's job.
    Json(Vec<u8>),
    /// The record is longer than [`FrameLimits::max_record_bytes`]; it was measured and
    /// skipped without being buffered. Takes precedence over [`Body::TooDeep`].
    TooLarge {
        /// The full length of the record in bytes.
        bytes: u64,
    },
    /// The record nests `{`/`[` deeper than [`FrameLimits::max_depth`]; it was skipped.
    TooDeep {
        /// The deepest nesting found in the record.
        depth: usize,
    },
    /// The framing of the container itself is broken (a top-level array or a batch object),
    /// so this frame stands for the rest of the upload and no frame follows it.
    Syntax {
        /// A fixed English description; never contains input bytes.
        message: &'static str,
    },
}

/// One item of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A record (or, with [`Body::Syntax`], the broken rest of the upload).
    Record {
        /// 0-based count of the records yielded before this one.
        index: u64,
        /// 1-based line of the record's first byte.
        line: u64,
        /// The record.
        body: Body,
    },
    /// The envelope of a batch: the batch object's members other than the streamed
    /// `"records"` array, re-assembled as `{key:value,...}` from their raw bytes (whitespace
    /// between members and around `:` is dropped). Yielded once, after the batch's records.
    Envelope {
        /// 1-based line of the batch object's `{`.
        line: u64,
        /// The envelope object.
        body: Body,
    },
}

/// A lazy iterator over the frames of an upload. See the [module documentation](self).
///
/// Yields `Err` only for I/O errors of the reader; after an `Err` it yields `None`.
///
/// A batch is recognised only by the literal key `"records"`; an escaped spelling such as
/// `"rec\u006frds"` is an ordinary member. The first `"records"` member whose value is an
/// array is streamed; any other `"records"` member stays in the envelope, so the envelope
/// check downstream can report it.
pub(crate) struct Frames<R> {
    /// The reader and its buffer.
    pub(super) input: Input<R>,
    /// The limits.
    pub(super) limits: FrameLimits,
    /// The format asked for.
    pub(super) format: InputFormat,
    /// The format in use, once known.
    pub(super) detected: Option<InputFormat>,
    /// Where the scanner is.
    pub(super) state: State,
    /// How many records have been yielded.
    pub(super) index: u64,
    /// The NDJSON line being assembled across reads.
    pub(super) acc: LineAcc,
    /// The top-level object being scanned, if any.
    pub(super) obj: Option<ObjCtx>,
}

/// The scanner's position in the document grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Nothing read yet.
    Start,
    /// Reading NDJSON lines.
    Ndjson,
    /// JSON: before the document's first byte.
    JsonStart,
    /// Just after `[`: an element or `]`.
    ArrayFirst {
        /// The array is a batch's `"records"`.
        batch: bool,
    },
    /// Just after `,` in an array: an element.
    ArrayNext {
        /// The array is a batch's `"records"`.
        batch: bool,
    },
    /// After an element: `,` or `]`.
    ArrayAfter {
        /// The array is a batch's `"records"`.
        batch: bool,
    },
    /// Inside the top-level object (see [`ObjCtx`]).
    Object,
    /// After the document: only whitespace may follow.
    AfterDocument,
    /// Finished.
    Done,
}

impl<R: Read> Frames<R> {
    /// Frames `reader` as `format`, applying `limits`. Nothing is read until the first call
    /// to [`Iterator::next`].
    pub(crate) fn new(reader: R, format: InputFormat, limits: FrameLimits) -> Self {
        Frames {
            input: Input::new(reader),
            limits,
            format,
            detected: match format {
                InputFormat::Auto => None,
                known => Some(known),
            },
            state: State::Start,
            index: 0,
            acc: LineAcc::default(),
            obj: None,
        }
    }

    /// The format in use: [`InputFormat::Json`] or [`InputFormat::Ndjson`] once known
    /// (for [`InputFormat::Auto`], after the first call to [`Iterator::next`]).
    // Part of the API (e.g. for reporting which layout was read); not every build calls it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn detected(&self) -> Option<InputFormat> {
        self.detected
    }

    /// Makes a [`Frame::Record`] with the next index.
    pub(super) fn record(&mut self, line: u64, body: Body) -> Frame {
        let index = self.index;
        self.index += 1;
        Frame::Record { index, line, body }
    }

    /// Makes a [`Body::Syntax`] record at the current line and finishes.
    pub(super) fn syntax_here(&mut self, message: &'static str) -> Frame {
        self.state = State::Done;
        let line = self.input.line + 1;
        self.record(line, Body::Syntax { message })
    }

    /// Runs the state machine until it produces a frame or finishes.
    pub(super) fn step(&mut self) -> io::Result<Option<Frame>> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => {
                    self.input.fill_at_least(BOM.len())?;
                    if self.input.avail().starts_with(&BOM) {
                        self.input.pos += BOM.len();
                    }
                    let format = match self.format {
                        InputFormat::Auto => self.detect()?,
                        known => known,
                    };
                    self.detected = Some(format);
                    self.state = if format == InputFormat::Ndjson {
                        State::Ndjson
                    } else {
                        State::JsonStart
                    };
                }
                State::Ndjson => {
                    let frame = self.next_line()?;
                    if frame.is_none() {
                        self.state = State::Done;
                    }
                    return Ok(frame);
                }
                State::JsonStart => match self.input.skip_ws(|_| {})? {
                    None => return Ok(Some(self.syntax_here(MSG_EMPTY))),
                    Some(b'[') => {
                        self.input.bump(|_| {});
                        self.state = State::ArrayFirst { batch: false };
                    }
                    Some(b'{') => {
                        let line = self.input.line + 1;
                        self.input.bump(|_| {});
                        self.obj = Some(ObjCtx::new(line, self.limits.max_record_bytes));
                        self.state = State::Object;
                    }
                    Some(_) => {
                        // Not a record layout: hand the whole rest to the parser.
                        let line = self.input.line + 1;
                        let mut sink = Sink::new(self.limits.max_record_bytes);
                        self.input.drain(|b| sink.push(b))?;
                        self.state = State::Done;
                        let body = sink.body(0, self.limits.max_depth);
                        return Ok(Some(self.record(line, body)));
                    }
                },
                State::ArrayFirst { batch } | State::ArrayNext { batch } => {
                    let first = matches!(self.state, State::ArrayFirst { .. });
                    match self.input.skip_ws(|_| {})? {
                        None => return Ok(Some(self.syntax_here(MSG_UNTERMINATED_ARRAY))),
                        Some(b']') if first => {
                            self.input.bump(|_| {});
                            self.array_done(batch);
                        }
                        Some(b']') => return Ok(Some(self.syntax_here(MSG_TRAILING_COMMA))),
                        Some(b',') => return Ok(Some(self.syntax_here(MSG_EMPTY_ELEMENT))),
                        Some(b) if starts_value(b) => return self.array_element(batch, b),
                        Some(_) => return Ok(Some(self.syntax_here(MSG_BAD_ELEMENT_START))),
                    }
                }
                State::ArrayAfter { batch } => match self.input.skip_ws(|_| {})? {
                    None => return Ok(Some(self.syntax_here(MSG_UNTERMINATED_ARRAY))),
                    Some(b',') => {
                        self.input.bump(|_| {});
                        self.state = State::ArrayNext { batch };
                    }
                    Some(b']') => {
                        self.input.bump(|_| {});
                        self.array_done(batch);
                    }
                    Some(_) => return Ok(Some(self.syntax_here(MSG_AFTER_ELEMENT))),
                },
                State::Object => return self.object_step(),
                State::AfterDocument => match self.input.skip_ws(|_| {})? {
                    None => {
                        self.state = State::Done;
                        return Ok(None);
                    }
                    Some(_) => return Ok(Some(self.syntax_here(MSG_TRAILING))),
                },
            }
        }
    }

    /// After the `]` of an array: back into the batch object, or the end of the document.
    pub(super) fn array_done(&mut self, batch: bool) {
        self.state = if batch && self.obj.is_some() {
            State::Object
        } else {
            State::AfterDocument
        };
    }

    /// Scans one array element whose first byte `first` (a valid value start) is next.
    pub(super) fn array_element(&mut self, batch: bool, first: u8) -> io::Result<Option<Frame>> {
        let line = self.input.line + 1;
        let max_depth = self.limits.max_depth;
        let mut scan = ValueScan::new(first);
        let mut sink = Sink::new(self.limits.max_record_bytes);
        let complete = self.input.scan_value(&mut scan, |bytes, depth| {
            sink.push(bytes);
            if depth > max_depth {
                sink.stop();
            }
        })?;
        if !complete {
            // The stream ended inside the element: the array is unterminated, and this
            // frame stands for the element and the rest.
            self.state = State::Done;
            let body = Body::Syntax {
                message: MSG_UNTERMINATED_ARRAY,
            };
            return Ok(Some(self.record(line, body)));
        }
        self.state = State::ArrayAfter { batch };
        let body = sink.body(scan.max_seen, max_depth);
        Ok(Some(self.record(line, body)))
    }

    /// Continues scanning the top-level object.
    pub(super) fn object_step(&mut self) -> io::Result<Option<Frame>> {
        let Some(mut ctx) = self.obj.take() else {
            self.state = State::Done;
            return Ok(None);
        };
        let max_depth = self.limits.max_depth;
        match scan_members(&mut self.input, &mut ctx, self.limits)? {
            ObjStep::RecordsArray => {
                self.obj = Some(ctx);
                self.state = State::ArrayFirst { batch: true };
                self.step()
            }
            ObjStep::Closed if ctx.streamed || ctx.saw_records => {
                ctx.env.push(b"}");
                self.state = State::AfterDocument;
                Ok(Some(Frame::Envelope {
                    line: ctx.line,
                    body: ctx.env.body(ctx.depth, max_depth),
                }))
            }
            ObjStep::Closed => {
                // A single record. Anything but whitespace after it is appended, so that the
                // parser reports trailing characters for this record.
                let mut pending = Sink::new(self.limits.max_record_bytes);
                if self.input.skip_ws(|b| pending.push(b))?.is_some() {
                    ctx.whole.push_sink(&pending);
                    let whole = &mut ctx.whole;
                    self.input.drain(|b| whole.push(b))?;
                }
                self.state = State::Done;
                let body = ctx.whole.body(ctx.depth, max_depth);
                Ok(Some(self.record(ctx.line, body)))
            }
            ObjStep::Broken(message) if ctx.streamed => {
                self.state = State::Done;
                Ok(Some(Frame::Envelope {
                    line: ctx.line,
                    body: Body::Syntax { message },
                }))
            }
            ObjStep::Broken(_) => {
                // Not (yet) a batch: the object is one malformed record. Hand it and the
                // rest of the stream to the parser, which reports the exact error.
                let whole = &mut ctx.whole;
                self.input.drain(|b| whole.push(b))?;
                self.state = State::Done;
                let body = ctx.whole.body(ctx.depth, max_depth);
                Ok(Some(self.record(ctx.line, body)))
            }
        }
    }

    /// Reads the next non-blank NDJSON line; `None` at the end of the stream.
    pub(super) fn next_line(&mut self) -> io::Result<Option<Frame>> {
        let limits = self.limits;
        loop {
            if !self.input.fill()? {
                if self.acc.active {
                    let line = self.acc.line;
                    if let Some(body) = self.acc.finish(limits) {
                        return Ok(Some(self.record(line, body)));
                    }
                }
                return Ok(None);
            }
            let (pos, end) = (self.input.pos, self.input.end);
            let Some(chunk) = self.input.buf.get(pos..end) else {
                return Ok(None); // unreachable: pos <= end <= buf.len()
            };
            match memchr(b'\n', chunk) {
                Some(off) => {
                    self.input.pos = pos + off + 1;
                    self.input.line += 1;
                    let content = chunk.get(..off).unwrap_or_default();
                    if !self.acc.active {
                        // Fast path: the whole line is in the buffer.
                        let line = match content {
                            [rest @ .., b'\r'] => rest,
                            all => all,
                        };
                        if is_blank(line) {
                            continue;
                        }
                        let body = line_body(line, limits);
                        let line_no = self.input.line;
                        return Ok(Some(self.record(line_no, body)));
                    }
                    self.acc.push(content, limits.max_record_bytes);
                    let line = self.acc.line;
                    if let Some(body) = self.acc.finish(limits) {
                        return Ok(Some(self.record(line, body)));
                    }
                }
                None => {
                    if !self.acc.active {
                        self.acc.start(self.input.line + 1);
                    }
                    self.acc.push(chunk, limits.max_record_bytes);
                    self.input.pos = end;
                }
            }
        }
    }

    /// Decides between JSON and NDJSON (for [`InputFormat::Auto`]) by looking at the first
    /// non-blank line without consuming it. Blank lines before it are consumed.
    pub(super) fn detect(&mut self) -> io::Result<InputFormat> {
        let cap = self.limits.max_record_bytes.saturating_add(2);
        let mut detect = Detect::default();
        // Bytes of the current line already looked at, from `input.pos`.
        let mut seen = 0usize;
        loop {
            while let Some(&b) = self.input.buf.get(self.input.pos + seen) {
                if self.input.pos + seen >= self.input.end {
                    break;
                }
                seen += 1;
                match detect.step(b) {
                    DetectStep::Continue => {}
                    DetectStep::BlankLine => {
                        self.input.pos += seen;
                        self.input.line += 1;
                        seen = 0;
                    }
                    DetectStep::Decided(format) => return Ok(format),
                }
                if seen > cap {
                    // An over-long first line that is not visibly a batch.
                    return Ok(InputFormat::Ndjson);
                }
            }
            if !self.input.read_more(true)? {
                return Ok(detect.at_eof());
            }
        }
    }
}

impl<R: Read> Iterator for Frames<R> {
    type Item = io::Result<Frame>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(frame)) => Some(Ok(frame)),
            Ok(None) => {
                self.state = State::Done;
                None
            }
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

impl<R: Read> std::iter::FusedIterator for Frames<R> {}
