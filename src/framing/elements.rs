//! Parallel JSON arrays and batches: [`Frames::take_elements`] cuts a run of whole, plain
//! array elements ([`Elements`]) out of the stream in one pass, so that worker threads judge
//! them while the state machine handles everything else (the document's start and end, a
//! batch's envelope, and any element that is not plain).

use std::io::{self, Read};

use super::frames::State;
use super::lex::string_stop;
use super::*;

/// A run of whole elements of the top-level array (or of a batch's `"records"`), each one
/// a plain container: it starts with `{` or `[`, is at most `max_record_bytes` long, nests at
/// most `max_depth` deep, and is followed by `,`. For each, [`Frames`] would have yielded a
/// [`Frame::Record`] with [`Body::Json`] of exactly its bytes, at the same line.
#[derive(Debug, Default)]
pub(crate) struct Elements {
    /// The index of the first element among the upload's records.
    pub(crate) first_index: u64,
    /// The bytes of the run, separators and whitespace included.
    pub(crate) bytes: Vec<u8>,
    /// Each element: its first byte, the byte after its last, and the 1-based line of its
    /// first byte.
    pub(crate) spans: Vec<(usize, usize, u64)>,
}

impl Elements {
    /// The elements' indices, lines and bytes, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, u64, &[u8])> + '_ {
        (self.first_index..)
            .zip(self.spans.iter())
            .map(|(index, &(start, end, line))| {
                (index, line, self.bytes.get(start..end).unwrap_or_default())
            })
    }
}

/// What [`Frames::take_elements`] expects next, outside any element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Between {
    /// An element (after `[` or `,`).
    Element,
    /// The `,` after an element.
    Comma,
}

impl<R: Read> Frames<R> {
    /// Whether the state machine is between the elements of an array (where
    /// [`Frames::take_elements`] may cut some).
    pub(crate) fn between_elements(&self) -> bool {
        matches!(
            self.state,
            State::ArrayFirst { .. } | State::ArrayNext { .. } | State::ArrayAfter { .. }
        )
    }

    /// If the state machine is between the elements of an array, cuts the longest run of
    /// plain elements (see [`Elements`]) that starts here and ends with a `,` at or after
    /// `target` bytes, taking `buffer` for its bytes, and moves the state machine past it,
    /// as if it had yielded those elements itself. Stops early, before the first element
    /// that is not plain (anything else: a scalar, a string, `]`, a syntax error, an element
    /// over the limits), at the end of the stream, or at a read error (which is then
    /// reported where [`Iterator::next`] reaches it), so that the state machine deals with
    /// all of those exactly as it always does.
    ///
    /// `Ok(None)` when not between array elements or when no element was cut; the bytes
    /// read stay buffered for the state machine, and `buffer` is left empty for another
    /// try. Memory: at most `target`, plus one element
    /// of `max_record_bytes`, plus one read.
    pub(crate) fn take_elements(
        &mut self,
        target: usize,
        buffer: &mut Vec<u8>,
    ) -> io::Result<Option<Elements>> {
        let (batch, mut between) = match self.state {
            State::ArrayFirst { batch } | State::ArrayNext { batch } => (batch, Between::Element),
            State::ArrayAfter { batch } => (batch, Between::Comma),
            _ => return Ok(None),
        };
        if self.input.error.is_some() {
            // A read error is due after the buffered bytes: nothing may be read before it.
            return Ok(None);
        }
        let FrameLimits {
            max_record_bytes,
            max_depth,
        } = self.limits;
        buffer.clear();
        buffer.extend_from_slice(self.input.avail());
        self.input.pos = self.input.end;

        let mut spans = Vec::new();
        // The last cut: after the `,` that follows `spans[..cut_spans]`, at `cut_line`.
        let (mut cut, mut cut_spans, mut cut_line) = (0usize, 0usize, self.input.line);
        let first_index = self.index;
        let mut line = self.input.line;
        let mut i = 0usize;
        let mut error = None;
        'scan: loop {
            // Between elements: whitespace, then an element or a `,`. A long run of
            // whitespace is left to the state machine, which skips it without storing it.
            let blank_from = i;
            let b = loop {
                if i - blank_from > max_record_bytes {
                    break 'scan;
                }
                match buffer.get(i) {
                    Some(b' ' | b'\t' | b'\r') => i += 1,
                    Some(b'\n') => {
                        i += 1;
                        line += 1;
                    }
                    Some(&b) => break b,
                    None => {
                        if !self.read_more(buffer, &mut error) {
                            break 'scan;
                        }
                    }
                }
            };
            match between {
                Between::Comma if b == b',' => {
                    i += 1;
                    (cut, cut_spans, cut_line) = (i, spans.len(), line);
                    if cut >= target {
                        break 'scan;
                    }
                    between = Between::Element;
                    continue 'scan;
                }
                Between::Element if b == b'{' || b == b'[' => {}
                _ => break 'scan,
            }
            // One container, as `ValueScan` reads it: ends when the depth is back to 0.
            // Outside strings a table finds the bytes that matter; a string is skipped to its
            // closing quote eight bytes at a time.
            let (start, start_line) = (i, line + 1);
            let mut depth = 1usize;
            i += 1;
            loop {
                let n = buffer.len();
                while i < n && SCAN[usize::from(buffer[i])] == NONE {
                    i += 1;
                }
                let Some(&b) = buffer.get(i) else {
                    if i - start > max_record_bytes {
                        break 'scan;
                    }
                    if !self.read_more(buffer, &mut error) {
                        break 'scan;
                    }
                    continue;
                };
                match SCAN[usize::from(b)] {
                    NEWLINE => line += 1,
                    QUOTE => {
                        // To the closing quote, which `i` is left on.
                        i += 1;
                        loop {
                            let Some(off) = buffer.get(i..).and_then(string_stop) else {
                                i = buffer.len();
                                if i - start > max_record_bytes {
                                    break 'scan;
                                }
                                if !self.read_more(buffer, &mut error) {
                                    break 'scan;
                                }
                                continue;
                            };
                            i += off;
                            match buffer.get(i) {
                                Some(b'"') => break,
                                Some(b'\n') => {
                                    line += 1;
                                    i += 1;
                                }
                                _ => {
                                    // A `\`: the escaped byte changes nothing but the line
                                    // count.
                                    let next = loop {
                                        if let Some(&next) = buffer.get(i + 1) {
                                            break next;
                                        }
                                        if !self.read_more(buffer, &mut error) {
                                            break 'scan;
                                        }
                                    };
                                    line += u64::from(next == b'\n');
                                    i += 2;
                                }
                            }
                        }
                    }
                    OPEN => {
                        depth += 1;
                        if depth > max_depth {
                            break 'scan;
                        }
                    }
                    CLOSE => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            if i - start > max_record_bytes {
                                break 'scan;
                            }
                            spans.push((start, i, start_line));
                            between = Between::Comma;
                            continue 'scan;
                        }
                    }
                    // A `\` outside strings is an ordinary byte.
                    _ => {}
                }
                i += 1;
            }
        }

        // Everything after the last cut goes back to the state machine, which resumes just
        // after that `,` (or where it was, if no element was cut).
        if cut_spans == 0 {
            cut = 0;
        }
        let rest = buffer.get(cut..).unwrap_or_default();
        if self.input.buf.len() < rest.len() {
            self.input.buf.resize(rest.len(), 0);
        }
        if let Some(head) = self.input.buf.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        self.input.pos = 0;
        self.input.end = rest.len();
        self.input.error = error;
        if cut_spans == 0 {
            buffer.clear();
            return Ok(None);
        }
        self.input.line = cut_line;
        self.state = State::ArrayNext { batch };
        self.index += cut_spans as u64;
        buffer.truncate(cut);
        spans.truncate(cut_spans);
        Ok(Some(Elements {
            first_index,
            bytes: std::mem::take(buffer),
            spans,
        }))
    }

    /// [`Self::read_into`], its error kept in `error`: whether more bytes came.
    fn read_more(&mut self, buffer: &mut Vec<u8>, error: &mut Option<io::Error>) -> bool {
        match self.read_into(buffer) {
            Ok(more) => more,
            Err(e) => {
                *error = Some(e);
                false
            }
        }
    }

    /// Appends one read to `buffer`; `Ok(false)` at the end of the stream.
    fn read_into(&mut self, buffer: &mut Vec<u8>) -> io::Result<bool> {
        if self.input.eof {
            return Ok(false);
        }
        let old = buffer.len();
        buffer.resize(old + READ_BUF, 0);
        let got = loop {
            match self
                .input
                .reader
                .read(buffer.get_mut(old..).unwrap_or_default())
            {
                Ok(n) => break Ok(n.min(READ_BUF)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let n = *got.as_ref().unwrap_or(&0);
        buffer.truncate(old + n);
        if got? == 0 {
            self.input.eof = true;
            return Ok(false);
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_stop_finds_the_first_quote_backslash_or_newline() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|k| {
                    let r = x.rotate_left(k as u32 * 5);
                    match r % 23 {
                        0 => b'"',
                        1 => b'\\',
                        2 => b'\n',
                        3 => 0x80 | (r >> 8) as u8,
                        4 => b'"' ^ 0x80,
                        5 => 0,
                        _ => b'a' + (r >> 16) as u8 % 26,
                    }
                })
                .collect();
            let expected = bytes
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\n'));
            assert_eq!(string_stop(&bytes), expected, "{bytes:?}");
        }
    }
}
