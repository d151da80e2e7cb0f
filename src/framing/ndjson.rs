//! NDJSON lines: blank lines, the depth of a complete line, its classification before any
//! copy, and [`LineAcc`], a line assembled across reads.

use super::*;

/// Whether an NDJSON line holds only spaces, tabs and carriage returns.
pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// Whether `line` nests deeper than `max_depth`; `Some(depth)` if so.
pub(crate) fn too_deep(line: &[u8], max_depth: usize) -> Option<usize> {
    // Fast path: a line cannot nest deeper than it has openers; memchr finds them with SIMD
    // and stops counting once there are more than `max_depth`.
    if line.len() <= max_depth || openers_at_most(line, max_depth) {
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
    match classify_line_but_depth(line, limits) {
        LineShape::Blank => LineClass::Blank,
        LineShape::TooLarge(bytes) => LineClass::TooLarge(bytes),
        LineShape::Json => match too_deep(line, limits.max_depth) {
            Some(depth) => LineClass::TooDeep(depth),
            None => LineClass::Json,
        },
    }
}

/// What [`classify_line_but_depth`] tells of a line: a [`LineClass`] without its depth.
pub(crate) enum LineShape {
    /// Only spaces, tabs and `\r`: not a record.
    Blank,
    /// Longer than `max_record_bytes`.
    TooLarge(u64),
    /// A record to parse, at whatever depth.
    Json,
}

/// [`classify_line`] without counting the depth, which reads every byte, for a caller that
/// asks [`too_deep`] itself when it has to.
pub(crate) fn classify_line_but_depth(line: &[u8], limits: FrameLimits) -> LineShape {
    if is_blank(line) {
        LineShape::Blank
    } else if line.len() > limits.max_record_bytes {
        LineShape::TooLarge(line.len() as u64)
    } else {
        LineShape::Json
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

/// Whether `line` has at most `max` bytes `{` or `[`. Counted a few hundred bytes at a time
/// in byte-wide lanes, which the compiler vectorizes: cheaper than a search per opener, of
/// which records have dozens.
fn openers_at_most(line: &[u8], max: usize) -> bool {
    let mut openers = 0usize;
    for chunk in line.chunks(255) {
        // `{` and `[` differ only in the bit 0x20, and no other byte gives `{` with it set.
        let n = chunk
            .iter()
            .fold(0u8, |n, &b| n.wrapping_add(u8::from(b | 0x20 == b'{')));
        openers += usize::from(n);
        if openers > max {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_are_counted_as_a_plain_count_counts_them() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 700) as usize;
            let line: Vec<u8> = (0..len)
                .map(|k| match x.rotate_left(k as u32 % 64) % 9 {
                    0 => b'{',
                    1 => b'[',
                    2 => b'{' ^ 0x80,
                    3 => b'[' ^ 0x20 ^ 0x01,
                    _ => b'a',
                })
                .collect();
            let count = line.iter().filter(|&&b| b == b'{' || b == b'[').count();
            for max in [0, 1, count.saturating_sub(1), count, count + 1, 64] {
                assert_eq!(
                    openers_at_most(&line, max),
                    count <= max,
                    "{max} of {count}"
                );
            }
        }
    }
}
