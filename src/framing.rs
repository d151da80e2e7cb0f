//! Streaming framing of an upload into the raw bytes of its records.
//!
//! An upload can be a gigabyte, so it is never read whole. [`Frames`] reads any
//! [`std::io::Read`] through a bounded buffer and yields one [`Frame`] per record, lazily.
//! It does not parse JSON into values: it only scans bytes, tracking whether it is inside a
//! string (with backslash escapes) and how deeply `{`/`[` are nested, which is enough to find
//! where each record starts and ends. Whatever is malformed *inside* a record is passed on
//! as bytes for the JSON parser downstream to report; only a broken container (a top-level
//! array or a batch object) is reported here, as [`Body::Syntax`].
//!
//! Three layouts are understood (see [`InputFormat`]):
//!
//! * **NDJSON**: one record per line; blank lines are skipped.
//! * **JSON array**: `[rec, rec, ...]`, one record per element.
//! * **JSON object**: either a single record, or a *batch*
//!   `{"records": [rec, ...], ...envelope members...}`, whose records are streamed one by
//!   one and whose other members are yielded last as a [`Frame::Envelope`].
//!
//! Memory is bounded: besides the 64 KiB read buffer, at most one record of
//! [`FrameLimits::max_record_bytes`] is held (for a top-level object, up to three buffers of
//! that size: the object, its envelope and the current key). Anything larger is measured
//! and skipped, never buffered. The read buffer grows beyond 64 KiB only while
//! [`InputFormat::Auto`] inspects the first line, and then to at most about twice
//! `max_record_bytes`.
//!
//! The scanner never panics, always terminates, and gives every record exactly one frame.

use std::io::{self, Read};

use memchr::{memchr, memchr3};

/// Size of the read buffer.
const READ_BUF: usize = 64 * 1024;

/// The UTF-8 byte-order mark, skipped at the very start of a stream.
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// [`Body::Syntax`] message: the document is empty or only whitespace.
const MSG_EMPTY: &str = "empty document";
/// [`Body::Syntax`] message: something follows the closing `]` or `}` of the document.
const MSG_TRAILING: &str = "trailing data after the JSON document";
/// [`Body::Syntax`] message: the stream ended inside an array.
const MSG_UNTERMINATED_ARRAY: &str = "unterminated array";
/// [`Body::Syntax`] message: `[,` or `,,` in an array.
const MSG_EMPTY_ELEMENT: &str = "empty array element";
/// [`Body::Syntax`] message: `,]` in an array.
const MSG_TRAILING_COMMA: &str = "trailing comma in array";
/// [`Body::Syntax`] message: `}` or `:` where an array element should start.
const MSG_BAD_ELEMENT_START: &str = "unexpected byte where an array element should start";
/// [`Body::Syntax`] message: an element is followed by something other than `,` or `]`.
const MSG_AFTER_ELEMENT: &str = "expected ',' or ']' after an array element";
/// [`Body::Syntax`] message: the stream ended inside the batch object.
const MSG_UNTERMINATED_OBJECT: &str = "unterminated object";
/// [`Body::Syntax`] message: a member of the batch object does not start with a string key.
const MSG_EXPECTED_KEY: &str = "expected a string key in an object";
/// [`Body::Syntax`] message: a key of the batch object is not followed by `:`.
const MSG_EXPECTED_COLON: &str = "expected ':' after an object key";
/// [`Body::Syntax`] message: a `:` of the batch object is not followed by a value.
const MSG_EXPECTED_VALUE: &str = "expected a value after ':'";
/// [`Body::Syntax`] message: a member of the batch object is followed by something other
/// than `,` or `}`.
const MSG_AFTER_MEMBER: &str = "expected ',' or '}' after an object member";

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
    input: Input<R>,
    /// The limits.
    limits: FrameLimits,
    /// The format asked for.
    format: InputFormat,
    /// The format in use, once known.
    detected: Option<InputFormat>,
    /// Where the scanner is.
    state: State,
    /// How many records have been yielded.
    index: u64,
    /// The NDJSON line being assembled across reads.
    acc: LineAcc,
    /// The top-level object being scanned, if any.
    obj: Option<ObjCtx>,
}

/// The scanner's position in the document grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
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
    fn record(&mut self, line: u64, body: Body) -> Frame {
        let index = self.index;
        self.index += 1;
        Frame::Record { index, line, body }
    }

    /// Makes a [`Body::Syntax`] record at the current line and finishes.
    fn syntax_here(&mut self, message: &'static str) -> Frame {
        self.state = State::Done;
        let line = self.input.line + 1;
        self.record(line, Body::Syntax { message })
    }

    /// Runs the state machine until it produces a frame or finishes.
    fn step(&mut self) -> io::Result<Option<Frame>> {
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
    fn array_done(&mut self, batch: bool) {
        self.state = if batch && self.obj.is_some() {
            State::Object
        } else {
            State::AfterDocument
        };
    }

    /// Scans one array element whose first byte `first` (a valid value start) is next.
    fn array_element(&mut self, batch: bool, first: u8) -> io::Result<Option<Frame>> {
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
    fn object_step(&mut self) -> io::Result<Option<Frame>> {
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
    fn next_line(&mut self) -> io::Result<Option<Frame>> {
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
    fn detect(&mut self) -> io::Result<InputFormat> {
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

/// The reader with its buffer and a count of consumed newlines.
struct Input<R> {
    /// The source.
    reader: R,
    /// Storage; the unconsumed bytes are `buf[pos..end]`.
    buf: Vec<u8>,
    /// First unconsumed byte.
    pos: usize,
    /// End of the valid bytes.
    end: usize,
    /// The reader has reported the end of the stream.
    eof: bool,
    /// Newlines consumed so far (the current line is `line + 1`).
    line: u64,
}

impl<R: Read> Input<R> {
    /// Wraps `reader` with an empty buffer.
    fn new(reader: R) -> Self {
        Input {
            reader,
            buf: vec![0; READ_BUF],
            pos: 0,
            end: 0,
            eof: false,
            line: 0,
        }
    }

    /// The unconsumed bytes.
    fn avail(&self) -> &[u8] {
        self.buf.get(self.pos..self.end).unwrap_or_default()
    }

    /// Reads more bytes, keeping the unconsumed ones. When the buffer is full, it is
    /// compacted, or grown if `grow` (otherwise nothing is read). `Ok(false)` when nothing
    /// could be read.
    fn read_more(&mut self, grow: bool) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos >= self.end {
            self.pos = 0;
            self.end = 0;
            if self.buf.len() > READ_BUF && !grow {
                // Give back what Auto detection borrowed.
                self.buf.truncate(READ_BUF);
                self.buf.shrink_to_fit();
            }
        }
        if self.end >= self.buf.len() {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            } else if grow {
                let extra = self.buf.len().max(READ_BUF);
                self.buf.resize(self.buf.len().saturating_add(extra), 0);
            } else {
                return Ok(false);
            }
        }
        loop {
            let Some(space) = self.buf.get_mut(self.end..) else {
                return Ok(false);
            };
            let room = space.len();
            match self.reader.read(space) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    // A reader claiming more than it was given is not trusted.
                    self.end += n.min(room);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Ensures an unconsumed byte is buffered; `Ok(false)` at the end of the stream.
    fn fill(&mut self) -> io::Result<bool> {
        while self.pos >= self.end {
            if !self.read_more(false)? {
                return Ok(self.pos < self.end);
            }
        }
        Ok(true)
    }

    /// Buffers at least `n` unconsumed bytes, unless the stream ends first.
    fn fill_at_least(&mut self, n: usize) -> io::Result<()> {
        while self.end - self.pos < n {
            if !self.read_more(false)? {
                break;
            }
        }
        Ok(())
    }

    /// Consumes JSON whitespace, passing it to `sink`, and returns the next byte (not
    /// consumed), or `None` at the end of the stream.
    fn skip_ws(&mut self, mut sink: impl FnMut(&[u8])) -> io::Result<Option<u8>> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            let chunk = self.buf.get(self.pos..self.end).unwrap_or_default();
            let mut i = 0;
            let mut next = None;
            for &b in chunk {
                match b {
                    b' ' | b'\t' | b'\r' => {}
                    b'\n' => self.line += 1,
                    _ => {
                        next = Some(b);
                        break;
                    }
                }
                i += 1;
            }
            sink(chunk.get(..i).unwrap_or_default());
            self.pos += i;
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    /// Consumes one buffered byte (if any), passing it to `sink`.
    fn bump(&mut self, sink: impl FnOnce(&[u8])) {
        if let Some(&b) = self.avail().first() {
            if b == b'\n' {
                self.line += 1;
            }
            sink(&[b]);
            self.pos += 1;
        }
    }

    /// Consumes one value with `scan`, passing its bytes and the depth reached so far to
    /// `sink`. `Ok(false)` if the stream ended before the value did.
    fn scan_value(
        &mut self,
        scan: &mut ValueScan,
        mut sink: impl FnMut(&[u8], usize),
    ) -> io::Result<bool> {
        loop {
            if !self.fill()? {
                return Ok(false);
            }
            let chunk = self.buf.get(self.pos..self.end).unwrap_or_default();
            let done = scan.feed(chunk, &mut self.line);
            let n = done.unwrap_or(chunk.len()).min(chunk.len());
            sink(chunk.get(..n).unwrap_or_default(), scan.max_seen);
            self.pos += n;
            if done.is_some() {
                return Ok(true);
            }
        }
    }

    /// Consumes the rest of the stream, passing it to `sink`.
    fn drain(&mut self, mut sink: impl FnMut(&[u8])) -> io::Result<()> {
        while self.fill()? {
            let chunk = self.buf.get(self.pos..self.end).unwrap_or_default();
            self.line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            sink(chunk);
            self.pos = self.end;
        }
        Ok(())
    }
}

/// A bounded byte collector that keeps counting after it stops storing.
#[derive(Debug, Default)]
struct Sink {
    /// The bytes, while storing.
    buf: Vec<u8>,
    /// All bytes pushed.
    total: u64,
    /// The most bytes stored.
    limit: usize,
    /// Whether bytes are still stored (false once over the limit or too deep).
    stopped: bool,
}

impl Sink {
    /// An empty sink storing at most `limit` bytes.
    fn new(limit: usize) -> Self {
        Sink {
            limit,
            ..Sink::default()
        }
    }

    /// Appends `bytes` (or only counts them, once stopped or over the limit).
    fn push(&mut self, bytes: &[u8]) {
        self.total = self.total.saturating_add(bytes.len() as u64);
        if !self.stopped {
            if self.buf.len().saturating_add(bytes.len()) <= self.limit {
                self.buf.extend_from_slice(bytes);
            } else {
                self.stop();
            }
        }
    }

    /// Appends what `other` collected (only its length, if it stopped).
    fn push_sink(&mut self, other: &Sink) {
        if other.stopped {
            self.total = self.total.saturating_add(other.total);
            self.stop();
        } else {
            self.push(&other.buf);
        }
    }

    /// Stops storing (the record will not be passed on) and frees the buffer.
    fn stop(&mut self) {
        self.stopped = true;
        self.buf = Vec::new();
    }

    /// The body for the collected record, nesting `depth` deep.
    fn body(self, depth: usize, max_depth: usize) -> Body {
        if self.total > self.limit as u64 {
            Body::TooLarge { bytes: self.total }
        } else if depth > max_depth || self.stopped {
            Body::TooDeep { depth }
        } else {
            Body::Json(self.buf)
        }
    }
}

/// Which kind of value a [`ValueScan`] is scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An object or array: ends when the depth returns to 0.
    Container,
    /// A string: ends at its closing quote.
    Str,
    /// Anything else: ends before the next delimiter (see [`is_scalar_end`]).
    Scalar,
}

/// Incremental scanner finding the end of one JSON value, fed in chunks.
#[derive(Debug)]
struct ValueScan {
    /// The kind of value.
    kind: Kind,
    /// Current nesting depth.
    depth: usize,
    /// Deepest nesting seen.
    max_seen: usize,
    /// Inside a string.
    in_str: bool,
    /// The previous byte was a backslash inside a string.
    escape: bool,
}

/// Bytes that matter outside strings while scanning a container.
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table[b'\n' as usize] = true;
    table
};

impl ValueScan {
    /// A scanner for the value starting with `first` (which is fed too).
    fn new(first: u8) -> Self {
        let kind = match first {
            b'{' | b'[' => Kind::Container,
            b'"' => Kind::Str,
            _ => Kind::Scalar,
        };
        ValueScan {
            kind,
            depth: 0,
            max_seen: 0,
            in_str: false,
            escape: false,
        }
    }

    /// Scans `chunk`, counting newlines into `lines`. Returns how many bytes of `chunk`
    /// belong to the value if it ends in `chunk`, or `None` if it goes on.
    fn feed(&mut self, chunk: &[u8], lines: &mut u64) -> Option<usize> {
        if self.kind == Kind::Scalar {
            // Scalars end before a delimiter; '\n' is one, so no newline is consumed.
            return chunk.iter().position(|&b| is_scalar_end(b));
        }
        let mut i = 0;
        while let Some(rest) = chunk.get(i..) {
            if rest.is_empty() {
                break;
            }
            if self.in_str {
                if self.escape {
                    self.escape = false;
                    if rest.first() == Some(&b'\n') {
                        *lines += 1;
                    }
                    i += 1;
                    continue;
                }
                let off = memchr3(b'"', b'\\', b'\n', rest)?;
                i += off + 1;
                match rest.get(off) {
                    Some(b'"') => {
                        self.in_str = false;
                        if self.depth == 0 {
                            return Some(i);
                        }
                    }
                    Some(b'\\') => self.escape = true,
                    _ => *lines += 1,
                }
            } else {
                let off = rest.iter().position(|&b| STRUCTURAL[usize::from(b)])?;
                i += off + 1;
                match rest.get(off) {
                    Some(b'"') => self.in_str = true,
                    Some(b'{' | b'[') => {
                        self.depth += 1;
                        self.max_seen = self.max_seen.max(self.depth);
                    }
                    Some(b'}' | b']') => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => *lines += 1,
                }
            }
        }
        None
    }
}

/// Whether `b` ends a scalar (number, literal or garbage) token.
fn is_scalar_end(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'[' | b']' | b'{' | b'}' | b'"'
    )
}

/// Whether a value (or at least a scalar token) can start with `b`, a non-whitespace byte.
fn starts_value(b: u8) -> bool {
    matches!(b, b'"' | b'{' | b'[') || !is_scalar_end(b)
}

/// Whether an NDJSON line holds only spaces, tabs and carriage returns.
fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// The deepest `{`/`[` nesting in `line`, outside strings. Unbalanced closers never make it
/// negative.
fn line_depth(line: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut escape) = (0usize, 0usize, false, false);
    for &b in line {
        if in_str {
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == b'"' {
                in_str = false;
            }
        } else {
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

/// Whether `line` nests deeper than `max_depth`; `Some(depth)` if so.
fn too_deep(line: &[u8], max_depth: usize) -> Option<usize> {
    // Fast path: a line cannot nest deeper than it has openers; memchr finds them with SIMD
    // and stops counting once there are more than `max_depth`.
    if line.len() <= max_depth
        || memchr::memchr2_iter(b'{', b'[', line)
            .take(max_depth.saturating_add(1))
            .count()
            <= max_depth
    {
        return None;
    }
    let depth = line_depth(line);
    (depth > max_depth).then_some(depth)
}

/// What a complete NDJSON line (without `\n` and trailing `\r`) is, before any copy.
pub(crate) enum LineClass {
    /// Only spaces, tabs and `\r`: not a record.
    Blank,
    /// Longer than `max_record_bytes`.
    TooLarge(u64),
    /// Nested deeper than `max_depth`.
    TooDeep(usize),
    /// A record to parse.
    Json,
}

/// Classify a complete NDJSON line (without `\n` and trailing `\r`).
pub(crate) fn classify_line(line: &[u8], limits: FrameLimits) -> LineClass {
    if is_blank(line) {
        LineClass::Blank
    } else if line.len() > limits.max_record_bytes {
        LineClass::TooLarge(line.len() as u64)
    } else if let Some(depth) = too_deep(line, limits.max_depth) {
        LineClass::TooDeep(depth)
    } else {
        LineClass::Json
    }
}

/// The body for a complete, non-blank NDJSON line (without `\n` and trailing `\r`).
fn line_body(line: &[u8], limits: FrameLimits) -> Body {
    match classify_line(line, limits) {
        LineClass::TooLarge(bytes) => Body::TooLarge { bytes },
        LineClass::TooDeep(depth) => Body::TooDeep { depth },
        LineClass::Blank | LineClass::Json => Body::Json(line.to_vec()),
    }
}

/// A piece of an NDJSON stream cut for parallel validation: whole lines, so that each piece
/// can be framed and judged on its own thread. Indices and line numbers inside a piece start
/// at 0 and 1; the consumer adds the counts of the pieces before it.
#[derive(Debug)]
pub(crate) enum Block {
    /// Whole lines; only the last piece of a stream may end without `\n`.
    Lines(Vec<u8>),
    /// One line longer than `max_record_bytes`, measured and skipped without being stored.
    Oversized {
        /// Its length in bytes.
        bytes: u64,
        /// It held only spaces, tabs and `\r`: not a record.
        blank: bool,
        /// It ended with `\n` (rather than at the end of the stream).
        ended: bool,
    },
}

/// Buffers handed back by the threads that judged their blocks, shared with the reader.
#[derive(Debug, Clone, Default)]
pub(crate) struct BufferPool(std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

impl BufferPool {
    /// At most this many buffers wait for reuse; more are freed.
    const KEEP: usize = 16;

    /// An empty buffer, reused when one is available.
    pub(crate) fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default()
    }

    /// Hand a buffer back for reuse.
    pub(crate) fn give(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        if let Ok(mut pool) = self.0.lock() {
            if pool.len() < Self::KEEP {
                pool.push(buffer);
            }
        }
    }
}

/// Cuts an NDJSON stream into [`Block`]s of about `block_bytes`, in order. Memory is bounded
/// by `block_bytes + max_record_bytes` plus one read.
pub(crate) struct NdjsonBlocks<R> {
    reader: R,
    carry: Vec<u8>,
    /// Buffers of blocks already judged, handed back for reuse: no fresh pages per block.
    pool: BufferPool,
    limits: FrameLimits,
    block_bytes: usize,
    started: bool,
    done: bool,
}

impl<R: Read> NdjsonBlocks<R> {
    /// Cut `reader` into blocks of about `block_bytes`, taking buffers from `pool`.
    pub(crate) fn new(
        reader: R,
        limits: FrameLimits,
        block_bytes: usize,
        pool: BufferPool,
    ) -> Self {
        NdjsonBlocks {
            reader,
            carry: Vec::new(),
            pool,
            limits,
            block_bytes: block_bytes.max(1),
            started: false,
            done: false,
        }
    }

    /// Read more into `carry`; `false` at the end of the stream.
    fn read_more(&mut self) -> io::Result<bool> {
        let old = self.carry.len();
        self.carry.resize(old + (256 << 10), 0);
        let n = loop {
            match self.reader.read(&mut self.carry[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.carry.truncate(old);
                    return Err(e);
                }
            }
        };
        self.carry.truncate(old + n);
        Ok(n > 0)
    }

    /// Skip the rest of an over-long line whose first `carry` bytes are read.
    fn skip_oversized(&mut self) -> io::Result<Block> {
        let mut bytes = self.carry.len() as u64;
        let mut blank = is_blank(&self.carry);
        self.carry.clear();
        loop {
            if !self.read_more()? {
                self.done = true;
                return Ok(Block::Oversized {
                    bytes,
                    blank,
                    ended: false,
                });
            }
            match memchr(b'\n', &self.carry) {
                Some(at) => {
                    let head = self.carry.get(..at).unwrap_or_default();
                    blank &= is_blank(head);
                    bytes += head.len() as u64;
                    self.carry.drain(..=at);
                    return Ok(Block::Oversized {
                        bytes,
                        blank,
                        ended: true,
                    });
                }
                None => {
                    blank &= is_blank(&self.carry);
                    bytes += self.carry.len() as u64;
                    self.carry.clear();
                }
            }
        }
    }

    fn step(&mut self) -> io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        if !self.started {
            // A UTF-8 byte-order mark opens the stream only: skip it there, as `Frames` does.
            self.started = true;
            while self.carry.len() < BOM.len() && self.read_more()? {}
            if self.carry.starts_with(&BOM) {
                self.carry.drain(..BOM.len());
            }
        }
        loop {
            let last_newline = memchr::memrchr(b'\n', &self.carry);
            match last_newline {
                Some(at) if self.carry.len() >= self.block_bytes => {
                    let mut rest = self.pool.take();
                    rest.extend_from_slice(self.carry.get(at + 1..).unwrap_or_default());
                    self.carry.truncate(at + 1);
                    return Ok(Some(Block::Lines(std::mem::replace(&mut self.carry, rest))));
                }
                None if self.carry.len() > self.limits.max_record_bytes.saturating_add(1) => {
                    return self.skip_oversized().map(Some);
                }
                _ => {}
            }
            if !self.read_more()? {
                self.done = true;
                if self.carry.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Block::Lines(std::mem::take(&mut self.carry))));
            }
        }
    }
}

impl<R: Read> Iterator for NdjsonBlocks<R> {
    type Item = io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(block) => block.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// An NDJSON line being assembled across reads, stored up to `max_record_bytes + 1` bytes
/// (the extra byte may be a `\r` that is removed) and measured beyond.
#[derive(Debug, Default)]
struct LineAcc {
    /// A line is being assembled.
    active: bool,
    /// Its 1-based line number.
    line: u64,
    /// Its bytes, while stored.
    buf: Vec<u8>,
    /// Its length so far.
    total: u64,
    /// Too long to store.
    over: bool,
    /// Only spaces, tabs and `\r` so far.
    blank: bool,
    /// The last byte so far is `\r`.
    last_cr: bool,
}

impl LineAcc {
    /// Starts a line numbered `line`.
    fn start(&mut self, line: u64) {
        *self = LineAcc {
            active: true,
            line,
            blank: true,
            ..LineAcc::default()
        };
    }

    /// Appends `bytes` to the line.
    fn push(&mut self, bytes: &[u8], max: usize) {
        let Some(&last) = bytes.last() else {
            return;
        };
        self.total = self.total.saturating_add(bytes.len() as u64);
        self.last_cr = last == b'\r';
        if self.blank {
            self.blank = is_blank(bytes);
        }
        if !self.over {
            if self.buf.len().saturating_add(bytes.len()) <= max.saturating_add(1) {
                self.buf.extend_from_slice(bytes);
            } else {
                self.over = true;
                self.buf = Vec::new();
            }
        }
    }

    /// Ends the line; its body, or `None` if it is blank.
    fn finish(&mut self, limits: FrameLimits) -> Option<Body> {
        let acc = std::mem::take(self);
        if acc.blank {
            return None;
        }
        if acc.over {
            return Some(Body::TooLarge {
                bytes: acc.total - u64::from(acc.last_cr),
            });
        }
        let mut buf = acc.buf;
        if acc.last_cr {
            buf.pop();
        }
        Some(if buf.len() > limits.max_record_bytes {
            Body::TooLarge {
                bytes: buf.len() as u64,
            }
        } else if let Some(depth) = too_deep(&buf, limits.max_depth) {
            Body::TooDeep { depth }
        } else {
            Body::Json(buf)
        })
    }
}

/// What the member scanner of the top-level object expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjExpect {
    /// Just after `{`: a key or `}`.
    FirstKey,
    /// Just after `,`: a key.
    Key,
    /// After a member's value: `,` or `}`.
    AfterValue,
}

/// The top-level object: a single record or a batch, undecided until a `"records"` array
/// or the closing `}` is found.
#[derive(Debug)]
struct ObjCtx {
    /// 1-based line of the `{`.
    line: u64,
    /// The raw object, for the single-record case (unused once a batch is streaming).
    whole: Sink,
    /// The envelope: `{` and the members other than the streamed records, joined by `,`.
    env: Sink,
    /// Members in `env`.
    members: u64,
    /// Depth of the object: 1 + the deepest member value.
    depth: usize,
    /// A member with the literal key `"records"` was seen (so this is a batch).
    saw_records: bool,
    /// A `"records"` array has been streamed as records.
    streamed: bool,
    /// What comes next.
    expect: ObjExpect,
}

impl ObjCtx {
    /// An object whose `{` (on line `line`) has just been consumed.
    fn new(line: u64, limit: usize) -> Self {
        let mut whole = Sink::new(limit);
        whole.push(b"{");
        let mut env = Sink::new(limit);
        env.push(b"{");
        ObjCtx {
            line,
            whole,
            env,
            members: 0,
            depth: 1,
            saw_records: false,
            streamed: false,
            expect: ObjExpect::FirstKey,
        }
    }
}

/// Where [`scan_members`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjStep {
    /// The `[` of the records array has been consumed; its elements come next.
    RecordsArray,
    /// The closing `}` has been consumed.
    Closed,
    /// The object's framing is broken (nothing more was consumed).
    Broken(&'static str),
}

/// The literal key that makes an object a batch, quotes included.
const RECORDS_KEY: &[u8] = b"\"records\"";

/// Scans members of the top-level object until the records array, the end, or an error.
fn scan_members<R: Read>(
    input: &mut Input<R>,
    ctx: &mut ObjCtx,
    limits: FrameLimits,
) -> io::Result<ObjStep> {
    let max_depth = limits.max_depth;
    loop {
        let undecided = !ctx.streamed;
        let whole = &mut ctx.whole;
        let mut keep = |b: &[u8]| {
            if undecided {
                whole.push(b);
            }
        };
        match ctx.expect {
            ObjExpect::FirstKey | ObjExpect::Key => {
                match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b'}') if ctx.expect == ObjExpect::FirstKey => {
                        input.bump(&mut keep);
                        return Ok(ObjStep::Closed);
                    }
                    Some(b'"') => {}
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_KEY)),
                }
                let mut key = Sink::new(limits.max_record_bytes);
                let mut scan = ValueScan::new(b'"');
                let complete = input.scan_value(&mut scan, |b, _| {
                    keep(b);
                    key.push(b);
                })?;
                if !complete {
                    return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT));
                }
                match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b':') => input.bump(&mut keep),
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_COLON)),
                }
                let first = match input.skip_ws(&mut keep)? {
                    None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                    Some(b) if starts_value(b) => b,
                    Some(_) => return Ok(ObjStep::Broken(MSG_EXPECTED_VALUE)),
                };
                let is_records = !key.stopped && key.buf == RECORDS_KEY;
                if is_records && first == b'[' && !ctx.streamed {
                    input.bump(|_| {});
                    ctx.streamed = true;
                    ctx.saw_records = true;
                    ctx.whole = Sink::default();
                    ctx.expect = ObjExpect::AfterValue;
                    return Ok(ObjStep::RecordsArray);
                }
                ctx.saw_records |= is_records;
                if ctx.members > 0 {
                    ctx.env.push(b",");
                }
                ctx.env.push_sink(&key);
                ctx.env.push(b":");
                let env = &mut ctx.env;
                let mut scan = ValueScan::new(first);
                let complete = input.scan_value(&mut scan, |b, depth| {
                    if undecided {
                        whole.push(b);
                    }
                    env.push(b);
                    if depth.saturating_add(1) > max_depth {
                        env.stop();
                        if undecided {
                            whole.stop();
                        }
                    }
                })?;
                if !complete {
                    return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT));
                }
                ctx.members += 1;
                ctx.depth = ctx.depth.max(scan.max_seen.saturating_add(1));
                ctx.expect = ObjExpect::AfterValue;
            }
            ObjExpect::AfterValue => match input.skip_ws(&mut keep)? {
                None => return Ok(ObjStep::Broken(MSG_UNTERMINATED_OBJECT)),
                Some(b',') => {
                    input.bump(&mut keep);
                    ctx.expect = ObjExpect::Key;
                }
                Some(b'}') => {
                    input.bump(&mut keep);
                    return Ok(ObjStep::Closed);
                }
                Some(_) => return Ok(ObjStep::Broken(MSG_AFTER_MEMBER)),
            },
        }
    }
}

/// Where [`Detect`] is in the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum DetectPhase {
    /// Leading whitespace.
    #[default]
    Lead,
    /// Inside a top-level object.
    Container,
    /// Inside a top-level string.
    Str,
    /// Inside a top-level scalar token.
    Scalar,
    /// After the first value: only whitespace may follow on the line.
    After,
}

/// What [`Detect::step`] concluded from a byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DetectStep {
    /// Undecided.
    Continue,
    /// The line so far was blank and has ended: consume it and start over.
    BlankLine,
    /// The format is known.
    Decided(InputFormat),
}

/// Byte-by-byte classifier of the first line, for [`InputFormat::Auto`].
#[derive(Debug, Default)]
struct Detect {
    /// Where it is.
    phase: DetectPhase,
    /// Nesting depth inside the top-level object.
    depth: usize,
    /// Inside a string.
    in_str: bool,
    /// After a backslash inside a string.
    escape: bool,
    /// At depth 1, the next string is a key.
    expect_key: bool,
    /// The current string is a depth-1 key.
    in_key: bool,
    /// The first bytes of that key.
    key: [u8; 8],
    /// Its length, saturating at 8.
    key_len: usize,
    /// The last depth-1 key was literally `records`.
    records_key: bool,
    /// The `:` after a `records` key was seen; its value is next.
    records_colon: bool,
}

impl Detect {
    /// Looks at the next byte of the line.
    fn step(&mut self, b: u8) -> DetectStep {
        match self.phase {
            DetectPhase::Lead => match b {
                b' ' | b'\t' | b'\r' => DetectStep::Continue,
                b'\n' => DetectStep::BlankLine,
                b'[' => DetectStep::Decided(InputFormat::Json),
                b'{' => {
                    self.phase = DetectPhase::Container;
                    self.depth = 1;
                    self.expect_key = true;
                    DetectStep::Continue
                }
                b'"' => {
                    self.phase = DetectPhase::Str;
                    self.in_str = true;
                    DetectStep::Continue
                }
                _ if is_scalar_end(b) => DetectStep::Decided(InputFormat::Json),
                _ => {
                    self.phase = DetectPhase::Scalar;
                    DetectStep::Continue
                }
            },
            DetectPhase::Scalar => {
                if is_scalar_end(b) {
                    self.phase = DetectPhase::After;
                    self.after(b)
                } else {
                    DetectStep::Continue
                }
            }
            DetectPhase::After => self.after(b),
            DetectPhase::Str => {
                let step = self.string_byte(b);
                if !self.in_str {
                    self.phase = DetectPhase::After;
                }
                step
            }
            DetectPhase::Container if self.in_str => self.string_byte(b),
            DetectPhase::Container => self.structural(b),
        }
    }

    /// A byte after the first value.
    fn after(&mut self, b: u8) -> DetectStep {
        match b {
            b' ' | b'\t' | b'\r' => DetectStep::Continue,
            b'\n' => DetectStep::Decided(InputFormat::Ndjson),
            _ => DetectStep::Decided(InputFormat::Json),
        }
    }

    /// A byte inside a string.
    fn string_byte(&mut self, b: u8) -> DetectStep {
        if b == b'\n' {
            // The value does not end on the first line.
            return DetectStep::Decided(InputFormat::Json);
        }
        if self.escape {
            self.escape = false;
        } else if b == b'\\' {
            self.escape = true;
        } else if b == b'"' {
            self.in_str = false;
            if self.in_key {
                self.in_key = false;
                self.records_key = self.key.get(..self.key_len) == Some(b"records".as_slice());
            }
            return DetectStep::Continue;
        }
        if self.in_key {
            if let Some(slot) = self.key.get_mut(self.key_len) {
                *slot = b;
            }
            self.key_len = (self.key_len + 1).min(self.key.len());
        }
        DetectStep::Continue
    }

    /// A byte inside the top-level object, outside strings.
    fn structural(&mut self, b: u8) -> DetectStep {
        let at_top = self.depth == 1;
        match b {
            b' ' | b'\t' | b'\r' => {}
            b'\n' => return DetectStep::Decided(InputFormat::Json),
            b'"' => {
                self.in_str = true;
                if at_top && self.expect_key {
                    self.in_key = true;
                    self.key_len = 0;
                    self.expect_key = false;
                }
                self.records_colon = false;
            }
            b'[' | b'{' => {
                if at_top && self.records_colon && b == b'[' {
                    // A batch: `"records": [`.
                    return DetectStep::Decided(InputFormat::Json);
                }
                self.records_colon = false;
                self.depth += 1;
            }
            b'}' | b']' => {
                self.records_colon = false;
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.phase = DetectPhase::After;
                }
            }
            b':' if at_top => {
                self.records_colon = self.records_key;
                self.records_key = false;
            }
            b',' if at_top => {
                self.expect_key = true;
                self.records_key = false;
                self.records_colon = false;
            }
            _ => self.records_colon = false,
        }
        DetectStep::Continue
    }

    /// The decision when the stream ends on the first line.
    fn at_eof(&self) -> InputFormat {
        match self.phase {
            DetectPhase::Lead | DetectPhase::Scalar | DetectPhase::After => InputFormat::Ndjson,
            DetectPhase::Container | DetectPhase::Str => InputFormat::Json,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// A reader that returns one byte per read.
    struct OneByte<R>(R);

    impl<R: Read> Read for OneByte<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match buf.first_mut() {
                None => Ok(0),
                Some(slot) => self.0.read(std::slice::from_mut(slot)),
            }
        }
    }

    /// A reader that returns reads of varying sizes and sometimes `Interrupted`.
    struct Chunky<R> {
        inner: R,
        n: usize,
    }

    impl<R: Read> Read for Chunky<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.n += 1;
            if self.n % 5 == 0 {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "again"));
            }
            let len = buf.len().min(self.n % 13 + 1);
            self.inner.read(&mut buf[..len])
        }
    }

    fn collect<R: Read>(
        reader: R,
        format: InputFormat,
        limits: FrameLimits,
    ) -> (Vec<Frame>, Option<InputFormat>) {
        let mut frames = Frames::new(reader, format, limits);
        let out = frames.by_ref().map(|f| f.unwrap()).collect();
        assert!(frames.next().is_none(), "fused after the end");
        (out, frames.detected())
    }

    /// Frames `input` with a normal, a one-byte and a chunky reader; all must agree.
    fn run_with(
        input: &[u8],
        format: InputFormat,
        limits: FrameLimits,
    ) -> (Vec<Frame>, Option<InputFormat>) {
        let normal = collect(input, format, limits);
        let one = collect(OneByte(input), format, limits);
        assert_eq!(
            normal,
            one,
            "one-byte reader differs on {:?}",
            String::from_utf8_lossy(input)
        );
        let chunky = collect(Chunky { inner: input, n: 0 }, format, limits);
        assert_eq!(
            normal,
            chunky,
            "chunky reader differs on {:?}",
            String::from_utf8_lossy(input)
        );
        let mut index = 0;
        for frame in &normal.0 {
            if let Frame::Record { index: i, .. } = frame {
                assert_eq!(*i, index);
                index += 1;
            }
        }
        normal
    }

    fn run(input: &[u8], format: InputFormat) -> Vec<Frame> {
        run_with(input, format, FrameLimits::default()).0
    }

    fn limits(max_record_bytes: usize, max_depth: usize) -> FrameLimits {
        FrameLimits {
            max_record_bytes,
            max_depth,
        }
    }

    fn rec(index: u64, line: u64, bytes: &[u8]) -> Frame {
        Frame::Record {
            index,
            line,
            body: Body::Json(bytes.to_vec()),
        }
    }

    fn rec_body(index: u64, line: u64, body: Body) -> Frame {
        Frame::Record { index, line, body }
    }

    fn syntax(index: u64, line: u64, message: &'static str) -> Frame {
        Frame::Record {
            index,
            line,
            body: Body::Syntax { message },
        }
    }

    fn env(line: u64, bytes: &[u8]) -> Frame {
        Frame::Envelope {
            line,
            body: Body::Json(bytes.to_vec()),
        }
    }

    use InputFormat::{Auto, Json, Ndjson};

    #[test]
    fn defaults() {
        assert_eq!(FrameLimits::default(), limits(1024 * 1024, 64));
        assert_eq!(
            Frames::new(&b""[..], Json, FrameLimits::default()).detected(),
            Some(Json)
        );
        assert_eq!(
            Frames::new(&b""[..], Ndjson, FrameLimits::default()).detected(),
            Some(Ndjson)
        );
        assert_eq!(
            Frames::new(&b""[..], Auto, FrameLimits::default()).detected(),
            None
        );
    }

    #[test]
    fn ndjson_blank_lines_and_crlf() {
        let input = b"{\"a\":1}\r\n\r\n  \t\n{\"b\":2}\n\n{\"c\":3}";
        assert_eq!(
            run(input, Ndjson),
            vec![
                rec(0, 1, b"{\"a\":1}"),
                rec(1, 4, b"{\"b\":2}"),
                rec(2, 6, b"{\"c\":3}")
            ]
        );
        // Only one trailing '\r' is removed; inner bytes pass untouched.
        assert_eq!(
            run(b" x\r\r\n\0\xff\n", Ndjson),
            vec![rec(0, 1, b" x\r"), rec(1, 2, b"\0\xff")]
        );
    }

    #[test]
    fn bom_is_skipped() {
        for format in [Ndjson, Json, Auto] {
            assert_eq!(
                run(b"\xEF\xBB\xBF{\"a\":1}\n", format),
                vec![rec(0, 1, b"{\"a\":1}")],
                "{format:?}"
            );
        }
        // Only a complete BOM, and only at the very start.
        assert_eq!(run(b"\xEF\xBBx\n", Ndjson), vec![rec(0, 1, b"\xEF\xBBx")]);
        assert_eq!(
            run(b"1\n\xEF\xBB\xBF2\n", Ndjson),
            vec![rec(0, 1, b"1"), rec(1, 2, b"\xEF\xBB\xBF2")]
        );
        assert_eq!(run(b"\xEF\xBB\xBF", Auto), vec![]);
    }

    #[test]
    fn ndjson_over_long_lines() {
        let l = limits(16, 64);
        let input = b"{\"a\":\"0123456789abcdef\"}\n{\"b\":2}\n";
        assert_eq!(
            run_with(input, Ndjson, l).0,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 24 }),
                rec(1, 2, b"{\"b\":2}")
            ]
        );
        // Exactly the limit, with and without '\r'; one over; over-long CRLF line; at EOF.
        let input = b"0123456789abcdef\r\n0123456789abcdef\n0123456789abcdefg\n0123456789abcdefgh\r\n0123456789abcdef01234";
        assert_eq!(
            run_with(input, Ndjson, l).0,
            vec![
                rec(0, 1, b"0123456789abcdef"),
                rec(1, 2, b"0123456789abcdef"),
                rec_body(2, 3, Body::TooLarge { bytes: 17 }),
                rec_body(3, 4, Body::TooLarge { bytes: 18 }),
                rec_body(4, 5, Body::TooLarge { bytes: 21 }),
            ]
        );
        // An over-long blank line is still blank.
        let mut input = vec![b' '; 100];
        input.extend_from_slice(b"\r\n{}\n");
        assert_eq!(run_with(&input, Ndjson, l).0, vec![rec(0, 2, b"{}")]);
        // A line much longer than the read buffer.
        let mut input = vec![b'x'; 200_000];
        input.extend_from_slice(b"\n{}");
        assert_eq!(
            run_with(&input, Ndjson, l).0,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 200_000 }),
                rec(1, 2, b"{}")
            ]
        );
    }

    #[test]
    fn ndjson_depth() {
        let l = limits(1024, 3);
        let input = b"[[[1]]]\n[[[[1]]]]\n{\"a\":\"[[[[[[\"}\n{\"a\":\"\\\"[[[[[[\"}\n{\"a\":\"\\\\\",\"b\":[[[[1]]]]}\n]]]]]][[[\n";
        assert_eq!(
            run_with(input, Ndjson, l).0,
            vec![
                rec(0, 1, b"[[[1]]]"),
                rec_body(1, 2, Body::TooDeep { depth: 4 }),
                rec(2, 3, b"{\"a\":\"[[[[[[\"}"),
                rec(3, 4, b"{\"a\":\"\\\"[[[[[[\"}"),
                rec_body(4, 5, Body::TooDeep { depth: 5 }),
                rec(5, 6, b"]]]]]][[["),
            ]
        );
    }

    #[test]
    fn strings_with_brackets_commas_and_escapes() {
        let input = br#"[{"a":"],[{\"x\\", "b":"\\"} , "x,y]" ,3,true,"\\\"]"]"#;
        assert_eq!(
            run(input, Json),
            vec![
                rec(0, 1, br#"{"a":"],[{\"x\\", "b":"\\"}"#),
                rec(1, 1, br#""x,y]""#),
                rec(2, 1, b"3"),
                rec(3, 1, b"true"),
                rec(4, 1, br#""\\\"]""#),
            ]
        );
    }

    #[test]
    fn array_whitespace_and_line_numbers() {
        let input = b"\n[\n  {\"a\":1},\n\n  {\"b\":\n 2}\n,3\r\n]\n\n";
        assert_eq!(
            run(input, Json),
            vec![
                rec(0, 3, b"{\"a\":1}"),
                rec(1, 5, b"{\"b\":\n 2}"),
                rec(2, 7, b"3")
            ]
        );
        assert_eq!(run(b"[]", Json), vec![]);
        assert_eq!(run(b" [ \n ] \n", Json), vec![]);
    }

    #[test]
    fn array_element_over_limits() {
        let input = b"[{\"a\":\"0123456789abcdef\"}, {\"b\":2}]";
        assert_eq!(
            run_with(input, Json, limits(16, 64)).0,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 24 }),
                rec(1, 1, b"{\"b\":2}")
            ]
        );
        let input = b"[[[[1]]], {\"b\":[2]}, [[\"[[[[\"]]]";
        assert_eq!(
            run_with(input, Json, limits(1024, 2)).0,
            vec![
                rec_body(0, 1, Body::TooDeep { depth: 3 }),
                rec(1, 1, b"{\"b\":[2]}"),
                rec(2, 1, b"[[\"[[[[\"]]"),
            ]
        );
        // Both: too large wins.
        assert_eq!(
            run_with(
                b"[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]",
                Json,
                limits(16, 2)
            )
            .0,
            vec![rec_body(0, 1, Body::TooLarge { bytes: 36 })]
        );
        // A huge element is skipped, not buffered, and the next one still arrives.
        let mut input = b"[\"".to_vec();
        input.extend_from_slice(&vec![b'a'; 3_000_000]);
        input.extend_from_slice(b"\",{}]");
        assert_eq!(
            run_with(&input, Json, FrameLimits::default()).0,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 3_000_002 }),
                rec(1, 1, b"{}")
            ]
        );
    }

    #[test]
    fn broken_arrays() {
        assert_eq!(
            run(b"[{\"a\":1} {\"b\":2}]", Json),
            vec![rec(0, 1, b"{\"a\":1}"), syntax(1, 1, MSG_AFTER_ELEMENT)]
        );
        assert_eq!(
            run(b"[{\"a\":1},\n", Json),
            vec![
                rec(0, 1, b"{\"a\":1}"),
                syntax(1, 2, MSG_UNTERMINATED_ARRAY)
            ]
        );
        assert_eq!(
            run(b"[1,,2]", Json),
            vec![rec(0, 1, b"1"), syntax(1, 1, MSG_EMPTY_ELEMENT)]
        );
        assert_eq!(
            run(b"[1,]", Json),
            vec![rec(0, 1, b"1"), syntax(1, 1, MSG_TRAILING_COMMA)]
        );
        assert_eq!(run(b"[,1]", Json), vec![syntax(0, 1, MSG_EMPTY_ELEMENT)]);
        assert_eq!(run(b"[}", Json), vec![syntax(0, 1, MSG_BAD_ELEMENT_START)]);
        assert_eq!(run(b"[", Json), vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]);
        // The stream ends inside an element: that element's frame is the error.
        assert_eq!(
            run(b"[1,\n{\"a\":[1,2]", Json),
            vec![rec(0, 1, b"1"), syntax(1, 2, MSG_UNTERMINATED_ARRAY)]
        );
        assert_eq!(
            run(b"[1,2", Json),
            vec![rec(0, 1, b"1"), syntax(1, 1, MSG_UNTERMINATED_ARRAY)]
        );
        assert_eq!(
            run(b"[\"abc", Json),
            vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]
        );
        // Mismatched brackets inside an element are the parser's business.
        assert_eq!(run(b"[{\"a\":1]]", Json), vec![rec(0, 1, b"{\"a\":1]")]);
    }

    #[test]
    fn batch_records_first() {
        let input = br#"{"records":[{"a":1},{"b":2}],"schema" : "dsti/1","meta":{"x":[1,2]}}"#;
        assert_eq!(
            run(input, Json),
            vec![
                rec(0, 1, br#"{"a":1}"#),
                rec(1, 1, br#"{"b":2}"#),
                env(1, br#"{"schema":"dsti/1","meta":{"x":[1,2]}}"#),
            ]
        );
    }

    #[test]
    fn batch_records_last() {
        let input = b"\n{\n  \"schema\": \"dsti/1\",\n  \"n\": 2,\n  \"records\": [\n    {\"a\":1},\n    {\"b\":2}\n  ]\n}\n";
        assert_eq!(
            run(input, Json),
            vec![
                rec(0, 6, br#"{"a":1}"#),
                rec(1, 7, br#"{"b":2}"#),
                env(2, br#"{"schema":"dsti/1","n":2}"#)
            ]
        );
        assert_eq!(run(b"{\"records\":[]}", Json), vec![env(1, b"{}")]);
        // Envelope members between records and others.
        let input = br#"{"a":1,"records":[true],"b":[2]}"#;
        assert_eq!(
            run(input, Json),
            vec![rec(0, 1, b"true"), env(1, br#"{"a":1,"b":[2]}"#)]
        );
    }

    #[test]
    fn batch_limits_and_errors() {
        // An envelope over the limits; the records still stream.
        let input = br#"{"records":[{}],"big":"0123456789abcdef"}"#;
        assert_eq!(
            run_with(input, Json, limits(16, 64)).0,
            vec![
                rec(0, 1, b"{}"),
                Frame::Envelope {
                    line: 1,
                    body: Body::TooLarge { bytes: 26 }
                }
            ]
        );
        let input = br#"{"deep":[[1]],"records":[[2]]}"#;
        assert_eq!(
            run_with(input, Json, limits(100, 2)).0,
            vec![
                rec(0, 1, b"[2]"),
                Frame::Envelope {
                    line: 1,
                    body: Body::TooDeep { depth: 3 }
                }
            ]
        );
        // Broken framing after the records: the envelope is the error.
        assert_eq!(
            run(br#"{"records":[1], "x" 2}"#, Json),
            vec![
                rec(0, 1, b"1"),
                Frame::Envelope {
                    line: 1,
                    body: Body::Syntax {
                        message: MSG_EXPECTED_COLON
                    }
                }
            ]
        );
        assert_eq!(
            run(br#"{"records":[1]"#, Json),
            vec![
                rec(0, 1, b"1"),
                Frame::Envelope {
                    line: 1,
                    body: Body::Syntax {
                        message: MSG_UNTERMINATED_OBJECT
                    }
                }
            ]
        );
        // Broken inside the records: one syntax record, and nothing after it.
        assert_eq!(
            run(br#"{"records":[1 2],"x":1}"#, Json),
            vec![rec(0, 1, b"1"), syntax(1, 1, MSG_AFTER_ELEMENT)]
        );
        // Trailing data after a batch.
        assert_eq!(
            run(b"{\"records\":[1]}\n\n x", Json),
            vec![rec(0, 1, b"1"), env(1, b"{}"), syntax(1, 3, MSG_TRAILING)]
        );
    }

    #[test]
    fn records_not_an_array() {
        assert_eq!(
            run(br#"{"records":5,"x":1}"#, Json),
            vec![env(1, br#"{"records":5,"x":1}"#)]
        );
        assert_eq!(
            run(br#"{"x":1, "records" :{"a":[1]}}"#, Json),
            vec![env(1, br#"{"x":1,"records":{"a":[1]}}"#)]
        );
        // Only the first records array streams; another stays in the envelope.
        assert_eq!(
            run(br#"{"records":null,"records":[1],"records":[2]}"#, Json),
            vec![
                rec(0, 1, b"1"),
                env(1, br#"{"records":null,"records":[2]}"#)
            ]
        );
        // Only the literal spelling counts.
        let input = br#"{"rec\u006frds":[1]}"#;
        assert_eq!(run(input, Json), vec![rec(0, 1, input)]);
    }

    #[test]
    fn single_object() {
        let input = b"  {\"a\": 1,\n \"b\" : [1, {\"records\" : [2]}], \"c\":\"}\"}  \n\n";
        assert_eq!(
            run(input, Json),
            vec![rec(0, 1, &input[2..input.len() - 4])]
        );
        assert_eq!(run(b"{}", Json), vec![rec(0, 1, b"{}")]);
        assert_eq!(run(b"\n{ }", Json), vec![rec(0, 2, b"{ }")]);
        let input = br#"{"a":"0123456789abcdef"}"#;
        assert_eq!(
            run_with(input, Json, limits(16, 64)).0,
            vec![rec_body(0, 1, Body::TooLarge { bytes: 24 })]
        );
        assert_eq!(
            run_with(b"{\"a\":[[1]]}", Json, limits(16, 2)).0,
            vec![rec_body(0, 1, Body::TooDeep { depth: 3 })]
        );
        // A malformed object (not a batch) goes whole to the parser.
        assert_eq!(
            run(b"{\"a\":1 \"b\":2}\n", Json),
            vec![rec(0, 1, b"{\"a\":1 \"b\":2}\n")]
        );
        assert_eq!(run(b"{\"a\":", Json), vec![rec(0, 1, b"{\"a\":")]);
        assert_eq!(run(b"{\"a\":}", Json), vec![rec(0, 1, b"{\"a\":}")]);
    }

    #[test]
    fn single_object_with_trailing_garbage() {
        assert_eq!(
            run(b"{\"a\":1} \n x\n", Json),
            vec![rec(0, 1, b"{\"a\":1} \n x\n")]
        );
        assert_eq!(
            run(b"{\"a\":1}{\"b\":2}", Json),
            vec![rec(0, 1, b"{\"a\":1}{\"b\":2}")]
        );
        assert_eq!(
            run_with(b"{\"a\":1}        xxxxxxxxxx", Json, limits(16, 64)).0,
            vec![rec_body(0, 1, Body::TooLarge { bytes: 25 })]
        );
    }

    #[test]
    fn array_with_trailing_garbage() {
        assert_eq!(
            run(b"[1] x y", Json),
            vec![rec(0, 1, b"1"), syntax(1, 1, MSG_TRAILING)]
        );
        assert_eq!(run(b"[]\n]", Json), vec![syntax(0, 2, MSG_TRAILING)]);
        assert_eq!(run(b"[1]\n \r\n", Json), vec![rec(0, 1, b"1")]);
    }

    #[test]
    fn empty_documents() {
        for input in [&b""[..], b"   ", b"\n\r\n\t", b"\xEF\xBB\xBF \n"] {
            let lines = input.iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(run(input, Json), vec![syntax(0, lines + 1, MSG_EMPTY)]);
            assert_eq!(run(input, Ndjson), vec![]);
            let (frames, detected) = run_with(input, Auto, FrameLimits::default());
            assert_eq!(frames, vec![]);
            assert_eq!(detected, Some(Ndjson));
        }
    }

    #[test]
    fn other_json_documents_go_to_the_parser() {
        assert_eq!(run(b"\n 12 34\n", Json), vec![rec(0, 2, b"12 34\n")]);
        assert_eq!(run(b"\"x\"", Json), vec![rec(0, 1, b"\"x\"")]);
        assert_eq!(run(b"}", Json), vec![rec(0, 1, b"}")]);
        assert_eq!(
            run_with(b"nulllllllllllllllllllll", Json, limits(16, 64)).0,
            vec![rec_body(0, 1, Body::TooLarge { bytes: 23 })]
        );
    }

    fn auto(input: &[u8]) -> (Vec<Frame>, Option<InputFormat>) {
        run_with(input, Auto, FrameLimits::default())
    }

    #[test]
    fn auto_detection() {
        let (frames, detected) = auto(b"\n\n{\"a\":1}\n  {\"b\":[2]}\n");
        assert_eq!(detected, Some(Ndjson));
        assert_eq!(
            frames,
            vec![rec(0, 3, b"{\"a\":1}"), rec(1, 4, b"  {\"b\":[2]}")]
        );

        let (frames, detected) = auto(br#"{"a":"x\n{"}"#);
        assert_eq!(detected, Some(Ndjson));
        assert_eq!(frames, vec![rec(0, 1, br#"{"a":"x\n{"}"#)]);

        let input = b"{\n  \"a\": 1\n}\n";
        let (frames, detected) = auto(input);
        assert_eq!(detected, Some(Json));
        assert_eq!(frames, vec![rec(0, 1, b"{\n  \"a\": 1\n}")]);

        let (frames, detected) = auto(b"{\"v\":1,\"records\":[{\"a\":1},{\"a\":2}]}\n");
        assert_eq!(detected, Some(Json));
        assert_eq!(
            frames,
            vec![
                rec(0, 1, b"{\"a\":1}"),
                rec(1, 1, b"{\"a\":2}"),
                env(1, b"{\"v\":1}")
            ]
        );

        let (frames, detected) = auto(b" \n [1,\n2]");
        assert_eq!(detected, Some(Json));
        assert_eq!(frames, vec![rec(0, 2, b"1"), rec(1, 3, b"2")]);

        // `records` that is not an array, or nested, or escaped: not a batch.
        for line in [
            &br#"{"records":5}"#[..],
            br#"{"x":{"records":[1]}}"#,
            br#"{"x":"records","y":[1]}"#,
            br#"{"rec\u006frds":[1]}"#,
        ] {
            let (frames, detected) = auto(line);
            assert_eq!(detected, Some(Ndjson), "{}", String::from_utf8_lossy(line));
            assert_eq!(frames, vec![rec(0, 1, line)]);
        }
        // Two values on the first line: a JSON document (with trailing data).
        let (frames, detected) = auto(b"{\"a\":1} {\"b\":2}\n");
        assert_eq!(detected, Some(Json));
        assert_eq!(frames, vec![rec(0, 1, b"{\"a\":1} {\"b\":2}\n")]);
        // Scalars and strings.
        assert_eq!(auto(b"1\n2").1, Some(Ndjson));
        assert_eq!(auto(b"\"a\"\n").1, Some(Ndjson));
        assert_eq!(auto(b"\"a\nb\"").1, Some(Json));
        assert_eq!(auto(b"}\n").1, Some(Json));
        // An unterminated first line.
        assert_eq!(auto(b"{\"a\":1").1, Some(Json));
    }

    #[test]
    fn auto_over_long_first_line() {
        let l = limits(16, 64);
        let input = b"{\"a\":\"0123456789abcdef\"}\n{\"b\":2}\n";
        let (frames, detected) = run_with(input, Auto, l);
        assert_eq!(detected, Some(Ndjson));
        assert_eq!(
            frames,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 24 }),
                rec(1, 2, b"{\"b\":2}")
            ]
        );
        // A one-line batch bigger than the limit is still recognised.
        let input = b"{\"records\":[{\"a\":\"0123456789abcdef\"},{}]}";
        let (frames, detected) = run_with(input, Auto, l);
        assert_eq!(detected, Some(Json));
        assert_eq!(
            frames,
            vec![
                rec_body(0, 1, Body::TooLarge { bytes: 24 }),
                rec(1, 1, b"{}"),
                env(1, b"{}")
            ]
        );
        // A huge blank first line.
        let mut input = vec![b' '; 300_000];
        input.extend_from_slice(b"\n{}\n");
        let (frames, detected) = run_with(&input, Auto, l);
        assert_eq!(detected, Some(Ndjson));
        assert_eq!(frames, vec![rec(0, 2, b"{}")]);
    }

    #[test]
    fn very_deep_nesting() {
        let n = 100_000;
        let open = vec![b'['; n];
        let mut closed = open.clone();
        closed.extend_from_slice(&vec![b']'; n]);
        assert_eq!(
            run(&open, Ndjson),
            vec![rec_body(0, 1, Body::TooDeep { depth: n })]
        );
        assert_eq!(auto(&open).0, vec![syntax(0, 1, MSG_UNTERMINATED_ARRAY)]);
        assert_eq!(
            run(&closed, Json),
            vec![rec_body(0, 1, Body::TooDeep { depth: n - 1 })]
        );
        let mut object = b"{\"a\":".to_vec();
        object.extend_from_slice(&closed);
        object.push(b'}');
        assert_eq!(
            run(&object, Json),
            vec![rec_body(0, 1, Body::TooDeep { depth: n + 1 })]
        );
        let mut batch = b"{\"records\":[".to_vec();
        batch.extend_from_slice(&closed);
        batch.extend_from_slice(b",{}]}");
        assert_eq!(
            run(&batch, Json),
            vec![
                rec_body(0, 1, Body::TooDeep { depth: n }),
                rec(1, 1, b"{}"),
                env(1, b"{}")
            ]
        );
    }

    #[test]
    fn io_error_ends_the_iteration() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("boom"));
                }
                self.0 -= 1;
                buf[0] = b'1';
                buf[1] = b'\n';
                Ok(2)
            }
        }
        let mut frames = Frames::new(Failing(2), Ndjson, FrameLimits::default());
        assert_eq!(frames.next().unwrap().unwrap(), rec(0, 1, b"1"));
        assert_eq!(frames.next().unwrap().unwrap(), rec(1, 2, b"1"));
        assert!(frames.next().unwrap().is_err());
        assert!(frames.next().is_none());
    }

    /// xorshift64*.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_inputs_never_panic_and_terminate() {
        const PIECES: &[&[u8]] = &[
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"\\",
            b",",
            b":",
            b" ",
            b"\n",
            b"\r",
            b"\t",
            b"a",
            b"1",
            b"\"records\"",
            b"\"records\":[",
            b"\xEF\xBB\xBF",
            b"\0",
            b"\xff",
            b"true",
            b"{\"a\":1}",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..4000 {
            let len = rng.below(if case % 10 == 0 { 400 } else { 40 });
            let mut input = Vec::new();
            for _ in 0..len {
                if rng.below(8) == 0 {
                    input.push(rng.next() as u8);
                } else {
                    input.extend_from_slice(PIECES[rng.below(PIECES.len())]);
                }
            }
            let l = if case % 2 == 0 {
                limits(12, 3)
            } else {
                FrameLimits::default()
            };
            for format in [Auto, Json, Ndjson] {
                let (frames, detected) = run_with(&input, format, l);
                assert!(frames.len() <= input.len() + 2, "too many frames");
                assert!(detected.is_some());
                let envelopes = frames
                    .iter()
                    .filter(|f| matches!(f, Frame::Envelope { .. }))
                    .count();
                assert!(envelopes <= 1);
                if let Some(pos) = frames.iter().position(|f| {
                    matches!(
                        f,
                        Frame::Record {
                            body: Body::Syntax { .. },
                            ..
                        } | Frame::Envelope {
                            body: Body::Syntax { .. },
                            ..
                        }
                    )
                }) {
                    assert_eq!(pos, frames.len() - 1, "a syntax frame is the last");
                }
            }
        }
    }

    /// Manual throughput check: `cargo test --release -- --ignored --nocapture throughput`.
    #[test]
    #[ignore = "manual throughput check"]
    fn throughput() {
        let record = br#"{"id":"6f1c2a7e-0000-4000-8000-000000000000","kind":"lesson","title":"Folding fitted sheets, \"the easy way\"","steps":[{"n":1,"text":"Lay it flat [corners up]"},{"n":2,"text":"Tuck, fold, repeat"}],"tags":["laundry","bedroom"],"minutes":12,"ok":true}"#;
        let count = 200_000_000 / (record.len() + 2);
        let mut ndjson = Vec::with_capacity(count * (record.len() + 1));
        let mut array = Vec::with_capacity(count * (record.len() + 3) + 2);
        array.extend_from_slice(b"[\n");
        for i in 0..count {
            ndjson.extend_from_slice(record);
            ndjson.push(b'\n');
            if i > 0 {
                array.extend_from_slice(b",\n");
            }
            array.extend_from_slice(record);
        }
        array.extend_from_slice(b"\n]\n");
        for (name, data, format) in [
            ("ndjson", &ndjson, Ndjson),
            ("array", &array, Json),
            ("ndjson/auto", &ndjson, Auto),
        ] {
            let start = std::time::Instant::now();
            let mut n = 0u64;
            let mut bytes = 0usize;
            for frame in Frames::new(data.as_slice(), format, FrameLimits::default()) {
                if let Ok(Frame::Record {
                    body: Body::Json(b),
                    ..
                }) = frame
                {
                    bytes += b.len();
                    n += 1;
                }
            }
            let secs = start.elapsed().as_secs_f64();
            assert_eq!(n as usize, count);
            println!(
                "{name}: {} MB, {n} records ({bytes} record bytes) in {secs:.3} s = {:.0} MB/s",
                data.len() / 1_000_000,
                data.len() as f64 / 1e6 / secs
            );
        }
    }
}
