//! The read buffer ([`Input`]: bounded reads, whitespace, one value at a time, newline
//! counting) and the bounded byte collector ([`Sink`]) records are gathered into.

use std::io::{self, Read};

use super::*;

/// The reader with its buffer and a count of consumed newlines.
pub(super) struct Input<R> {
    /// The source.
    pub(super) reader: R,
    /// Storage; the unconsumed bytes are `buf[pos..end]`.
    pub(super) buf: Vec<u8>,
    /// First unconsumed byte.
    pub(super) pos: usize,
    /// End of the valid bytes.
    pub(super) end: usize,
    /// The reader has reported the end of the stream.
    pub(super) eof: bool,
    /// Newlines consumed so far (the current line is `line + 1`).
    pub(super) line: u64,
    /// A read error met ahead of the bytes still buffered (by [`Frames::take_elements`]):
    /// reported once those bytes are consumed, where reading on would have met it.
    pub(super) error: Option<io::Error>,
}

impl<R: Read> Input<R> {
    /// Wraps `reader` with an empty buffer.
    pub(super) fn new(reader: R) -> Self {
        Input {
            reader,
            buf: vec![0; READ_BUF],
            pos: 0,
            end: 0,
            eof: false,
            line: 0,
            error: None,
        }
    }

    /// The unconsumed bytes.
    pub(super) fn avail(&self) -> &[u8] {
        self.buf.get(self.pos..self.end).unwrap_or_default()
    }

    /// Reads more bytes, keeping the unconsumed ones. When the buffer is full, it is
    /// compacted, or grown if `grow` (otherwise nothing is read). `Ok(false)` when nothing
    /// could be read.
    pub(super) fn read_more(&mut self, grow: bool) -> io::Result<bool> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
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
    pub(super) fn fill(&mut self) -> io::Result<bool> {
        while self.pos >= self.end {
            if !self.read_more(false)? {
                return Ok(self.pos < self.end);
            }
        }
        Ok(true)
    }

    /// Buffers at least `n` unconsumed bytes, unless the stream ends first.
    pub(super) fn fill_at_least(&mut self, n: usize) -> io::Result<()> {
        while self.end - self.pos < n {
            if !self.read_more(false)? {
                break;
            }
        }
        Ok(())
    }

    /// Consumes JSON whitespace, passing it to `sink`, and returns the next byte (not
    /// consumed), or `None` at the end of the stream.
    pub(super) fn skip_ws(&mut self, mut sink: impl FnMut(&[u8])) -> io::Result<Option<u8>> {
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
    pub(super) fn bump(&mut self, sink: impl FnOnce(&[u8])) {
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
    pub(super) fn scan_value(
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
    pub(super) fn drain(&mut self, mut sink: impl FnMut(&[u8])) -> io::Result<()> {
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
pub(super) struct Sink {
    /// The bytes, while storing.
    pub(super) buf: Vec<u8>,
    /// All bytes pushed.
    pub(super) total: u64,
    /// The most bytes stored.
    pub(super) limit: usize,
    /// Whether bytes are still stored (false once over the limit or too deep).
    pub(super) stopped: bool,
}

impl Sink {
    /// An empty sink storing at most `limit` bytes.
    pub(super) fn new(limit: usize) -> Self {
        Sink {
            limit,
            ..Sink::default()
        }
    }

    /// Appends `bytes` (or only counts them, once stopped or over the limit).
    pub(super) fn push(&mut self, bytes: &[u8]) {
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
    pub(super) fn push_sink(&mut self, other: &Sink) {
        if other.stopped {
            self.total = self.total.saturating_add(other.total);
            self.stop();
        } else {
            self.push(&other.buf);
        }
    }

    /// Stops storing (the record will not be passed on) and frees the buffer.
    pub(super) fn stop(&mut self) {
        self.stopped = true;
        self.buf = Vec::new();
    }

    /// The body for the collected record, nesting `depth` deep.
    pub(super) fn body(self, depth: usize, max_depth: usize) -> Body {
        if self.total > self.limit as u64 {
            Body::TooLarge { bytes: self.total }
        } else if depth > max_depth || self.stopped {
            Body::TooDeep { depth }
        } else {
            Body::Json(self.buf)
        }
    }
}
