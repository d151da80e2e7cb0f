//! NDJSON lines: blank lines, the depth of a complete line, its classification before any
//! copy, and [`LineAcc`], a line assembled across reads.

use super::*;

/// Whether an NDJSON line holds only spaces, tabs and carriage returns.
pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Whether `line` nests deeper than `max_depth`; `Some(depth)` if so.
pub(super) fn too_deep(line: &[u8], max_depth: usize) -> Option<usize> {
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
    let depth = nesting_depth(line);
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
pub(super) fn line_body(line: &[u8], limits: FrameLimits) -> Body {
    match classify_line(line, limits) {
        LineClass::TooLarge(bytes) => Body::TooLarge { bytes },
        LineClass::TooDeep(depth) => Body::TooDeep { depth },
        LineClass::Blank | LineClass::Json => Body::Json(line.to_vec()),
    }
}

/// An NDJSON line being assembled across reads, stored up to `max_record_bytes + 1` bytes
/// (the extra byte may be a `\r` that is removed) and measured beyond.
#[derive(Debug, Default)]
pub(super) struct LineAcc {
    /// A line is being assembled.
    pub(super) active: bool,
    /// Its 1-based line number.
    pub(super) line: u64,
    /// Its bytes, while stored.
    pub(super) buf: Vec<u8>,
    /// Its length so far.
    pub(super) total: u64,
    /// Too long to store.
    pub(super) over: bool,
    /// Only spaces, tabs and `\r` so far.
    pub(super) blank: bool,
    /// The last byte so far is `\r`.
    pub(super) last_cr: bool,
}

impl LineAcc {
    /// Starts a line numbered `line`.
    pub(super) fn start(&mut self, line: u64) {
        *self = LineAcc {
            active: true,
            line,
            blank: true,
            ..LineAcc::default()
        };
    }

    /// Appends `bytes` to the line.
    pub(super) fn push(&mut self, bytes: &[u8], max: usize) {
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
    pub(super) fn finish(&mut self, limits: FrameLimits) -> Option<Body> {
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
