//! The one lexical core of the framing: the JSON rule for strings (a `"` opens and closes
//! one, a `\` escapes the next byte) and for nesting (`{`/`[` open, `}`/`]` close outside
//! strings), with the byte classes built on it.
//!
//! [`Lex`] applies the string rule to one byte at a time. Every scanner of the framing
//! ([`ValueScan`], the NDJSON line depth, the batch member scanner through [`ValueScan`],
//! auto-detection) goes through it.

/// What a byte was, for the string rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Outside strings, not `"`: the byte itself (structural or not).
    Outside(u8),
    /// The `"` that opens a string.
    Open,
    /// A byte inside a string: content, a `\` or the byte it escapes.
    Inside,
    /// The `"` that closes a string.
    Close,
}

/// Where the string rule is: outside strings, inside one, or inside one just after a `\`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Lex {
    /// Inside a string.
    in_str: bool,
    /// The previous byte was a `\` inside a string.
    escape: bool,
}

impl Lex {
    /// Outside strings.
    pub(crate) const OUTSIDE: Lex = Lex {
        in_str: false,
        escape: false,
    };

    /// Just after the `"` that opens a string.
    pub(crate) const IN_STRING: Lex = Lex {
        in_str: true,
        escape: false,
    };

    /// Inside a string (including just after a `\`).
    pub(crate) fn in_string(self) -> bool {
        self.in_str
    }

    /// Applies the string rule to `b`.
    #[inline]
    pub(crate) fn step(&mut self, b: u8) -> Class {
        if !self.in_str {
            if b == b'"' {
                self.in_str = true;
                return Class::Open;
            }
            return Class::Outside(b);
        }
        if self.escape {
            self.escape = false;
        } else if b == b'\\' {
            self.escape = true;
        } else if b == b'"' {
            self.in_str = false;
            return Class::Close;
        }
        Class::Inside
    }
}

/// The deepest `{`/`[` nesting in `bytes`, outside strings. Unbalanced closers never make it
/// negative.
pub(super) fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut lex, mut depth, mut max) = (Lex::OUTSIDE, 0usize, 0usize);
    for &b in bytes {
        match lex.step(b) {
            Class::Outside(b'{' | b'[') => {
                depth += 1;
                max = max.max(depth);
            }
            Class::Outside(b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Whether `b` ends a scalar (number, literal or garbage) token.
pub(super) fn is_scalar_end(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'[' | b']' | b'{' | b'}' | b'"'
    )
}

/// Whether a value (or at least a scalar token) can start with `b`, a non-whitespace byte.
pub(super) fn starts_value(b: u8) -> bool {
    matches!(b, b'"' | b'{' | b'[') || !is_scalar_end(b)
}

/// Which kind of value a [`ValueScan`] is scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    /// An object or array: ends when the depth returns to 0.
    Container,
    /// A string: ends at its closing quote.
    Str,
    /// Anything else: ends before the next delimiter (see [`is_scalar_end`]).
    Scalar,
}

/// Incremental scanner finding the end of one JSON value, fed in chunks.
#[derive(Debug)]
pub(super) struct ValueScan {
    /// The kind of value.
    kind: ValueKind,
    /// Current nesting depth.
    depth: usize,
    /// Deepest nesting seen.
    pub(super) max_seen: usize,
    /// The string rule.
    lex: Lex,
}

impl ValueScan {
    /// A scanner for the value starting with `first` (which is fed too).
    pub(super) fn new(first: u8) -> Self {
        let kind = match first {
            b'{' | b'[' => ValueKind::Container,
            b'"' => ValueKind::Str,
            _ => ValueKind::Scalar,
        };
        ValueScan {
            kind,
            depth: 0,
            max_seen: 0,
            lex: Lex::OUTSIDE,
        }
    }

    /// Scans `chunk`, counting newlines into `lines`. Returns how many bytes of `chunk`
    /// belong to the value if it ends in `chunk`, or `None` if it goes on.
    pub(super) fn feed(&mut self, chunk: &[u8], lines: &mut u64) -> Option<usize> {
        if self.kind == ValueKind::Scalar {
            // Scalars end before a delimiter; '\n' is one, so no newline is consumed.
            return chunk.iter().position(|&b| is_scalar_end(b));
        }
        // One pass over the bytes with one table lookup each: most bytes mean nothing in
        // either state and cost a load and a branch; the string rule and the depth act on
        // the rest. (A `memchr` per string costs more than the short strings of records.)
        // The state lives in locals while the loop runs.
        let mut i = 0;
        if self.lex.escape {
            // The byte escaped by a `\` at the end of the previous chunk.
            let &b = chunk.first()?;
            self.lex.escape = false;
            *lines += u64::from(b == b'\n');
            i = 1;
        }
        let (mut in_str, mut depth, mut max_seen) = (self.lex.in_str, self.depth, self.max_seen);
        let mut newlines = 0u64;
        let n = chunk.len();
        let end = loop {
            while i < n && SCAN[usize::from(chunk[i])] == NONE {
                i += 1;
            }
            let Some(&b) = chunk.get(i) else {
                break None;
            };
            i += 1;
            match SCAN[usize::from(b)] {
                NEWLINE => newlines += 1,
                QUOTE if in_str => {
                    in_str = false;
                    if depth == 0 {
                        break Some(i);
                    }
                }
                QUOTE => in_str = true,
                // The escaped byte changes nothing but the line count.
                BACKSLASH if in_str => match chunk.get(i) {
                    Some(&next) => {
                        newlines += u64::from(next == b'\n');
                        i += 1;
                    }
                    None => {
                        self.lex.escape = true;
                        break None;
                    }
                },
                OPEN if !in_str => {
                    depth += 1;
                    max_seen = max_seen.max(depth);
                }
                CLOSE if !in_str => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break Some(i);
                    }
                }
                _ => {}
            }
        };
        self.lex.in_str = in_str;
        self.depth = depth;
        self.max_seen = max_seen;
        *lines += newlines;
        end
    }
}

/// The classes of [`SCAN`].
pub(super) const NONE: u8 = 0;
pub(super) const QUOTE: u8 = 1;
pub(super) const BACKSLASH: u8 = 2;
pub(super) const NEWLINE: u8 = 3;
pub(super) const OPEN: u8 = 4;
pub(super) const CLOSE: u8 = 5;

/// What each byte can do to [`ValueScan`]: open or close a string, escape, count a line,
/// nest or unnest (the last two only outside strings); [`NONE`] for everything else.
pub(super) const SCAN: [u8; 256] = {
    let mut table = [NONE; 256];
    table[b'"' as usize] = QUOTE;
    table[b'\\' as usize] = BACKSLASH;
    table[b'\n' as usize] = NEWLINE;
    table[b'{' as usize] = OPEN;
    table[b'[' as usize] = OPEN;
    table[b'}' as usize] = CLOSE;
    table[b']' as usize] = CLOSE;
    table
};

/// Eight copies of a byte, one in each byte of a little-endian word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `word` equal to `byte` (and perhaps of bytes above the
/// lowest one: a borrow only runs upwards from a byte rightly flagged).
#[inline]
fn equal(word: u64, byte: u8) -> u64 {
    let v = word ^ (ONES * u64::from(byte));
    v.wrapping_sub(ONES) & !v & HIGH
}

/// The offset of the first byte of `bytes` that `flags` marks, eight bytes at a time: `flags`
/// sets the high bit of the bytes of a little-endian word it marks, exactly up to the lowest
/// one, so the lowest flag is the first such byte; `is` judges the bytes after the last whole
/// word.
#[inline]
fn first(bytes: &[u8], flags: impl Fn(u64) -> u64, is: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let hits = flags(u64::from_le_bytes(word));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| is(b))
        .map(|i| at + i)
}

/// The offset of the first quote, backslash or control character (below 0x20) in `bytes`:
/// where a JSON string's run of bytes that need no escape ends.
pub(crate) fn string_special(bytes: &[u8]) -> Option<usize> {
    first(
        bytes,
        |w| equal(w, b'"') | equal(w, b'\\') | (w.wrapping_sub(ONES * 0x20) & !w & HIGH),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// The offset of the first quote, backslash or newline in `bytes`: where a scanner inside a
/// string must look (a newline only to count lines).
pub(crate) fn string_stop(bytes: &[u8]) -> Option<usize> {
    first(
        bytes,
        |w| equal(w, b'"') | equal(w, b'\\') | equal(w, b'\n'),
        |b| matches!(b, b'"' | b'\\' | b'\n'),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte that needs an escape is found wherever it is, and no other byte is taken
    /// for one.
    #[test]
    fn escapes_are_found_at_every_offset() {
        let plain = "abc 中文 é~\u{7f}".repeat(3);
        assert!(string_special(plain.as_bytes()).is_none());
        for len in 0..20 {
            for at in 0..len {
                for b in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                    let mut bytes = vec![b' '; len];
                    bytes[at] = b;
                    assert_eq!(string_special(&bytes), Some(at), "{len} {at} {b}");
                }
                let mut bytes = vec![b' '; len];
                bytes[at] = 0x20 + (at as u8 % 0x5f);
                let want = bytes
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                assert_eq!(string_special(&bytes), want);
            }
        }
    }

    #[test]
    fn the_string_rule() {
        let mut lex = Lex::OUTSIDE;
        let classes: Vec<Class> = br#"{"a\"\\":1}"#.iter().map(|&b| lex.step(b)).collect();
        assert_eq!(
            classes,
            [
                Class::Outside(b'{'),
                Class::Open,
                Class::Inside,
                Class::Inside,
                Class::Inside,
                Class::Inside,
                Class::Inside,
                Class::Close,
                Class::Outside(b':'),
                Class::Outside(b'1'),
                Class::Outside(b'}'),
            ]
        );
        assert!(!lex.in_string());
    }

    /// The scanner before its one-pass loop, for comparison: the string rule a byte at a
    /// time through `Lex::step`.
    fn feed_reference(scan: &mut ValueScan, chunk: &[u8], lines: &mut u64) -> Option<usize> {
        if scan.kind == ValueKind::Scalar {
            return chunk.iter().position(|&b| is_scalar_end(b));
        }
        let mut i = 0;
        while let Some(rest) = chunk.get(i..) {
            let &b = rest.first()?;
            i += 1;
            if b == b'\n' {
                *lines += 1;
            }
            match scan.lex.step(b) {
                Class::Close if scan.depth == 0 => return Some(i),
                Class::Outside(b'{' | b'[') => {
                    scan.depth += 1;
                    scan.max_seen = scan.max_seen.max(scan.depth);
                }
                Class::Outside(b'}' | b']') => {
                    scan.depth = scan.depth.saturating_sub(1);
                    if scan.depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The one-pass scanner ends every value where the reference does, with the same depth
    /// and line count, however the bytes are cut into chunks.
    #[test]
    fn the_scanner_agrees_with_the_string_rule_byte_by_byte() {
        const ALPHABET: &[u8] = b"{}[]\"\\\n a:,1\xe4";
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            bytes.insert(
                0,
                *[b'{', b'[', b'"']
                    .get((next() % 3) as usize)
                    .unwrap_or(&b'{'),
            );
            let cut = (next() % (bytes.len() as u64 + 1)) as usize;
            let (mut ours, mut theirs) = (ValueScan::new(bytes[0]), ValueScan::new(bytes[0]));
            let (mut our_lines, mut their_lines) = (0, 0);
            let mut results = Vec::new();
            for (scan, lines, reference) in [
                (&mut ours, &mut our_lines, false),
                (&mut theirs, &mut their_lines, true),
            ] {
                let feed = |scan: &mut ValueScan, chunk: &[u8], lines: &mut u64| {
                    if reference {
                        feed_reference(scan, chunk, lines)
                    } else {
                        scan.feed(chunk, lines)
                    }
                };
                let end = match feed(scan, &bytes[..cut], lines) {
                    Some(end) => Some(end),
                    None => feed(scan, &bytes[cut..], lines).map(|end| end + cut),
                };
                results.push((end, scan.depth, scan.max_seen, scan.lex, *lines));
            }
            assert_eq!(
                results[0],
                results[1],
                "{:?} cut at {cut}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn nesting_depths() {
        assert_eq!(nesting_depth(br#"{"a":[{"b":"[[[{"}],"c":{}}"#), 3);
        assert_eq!(nesting_depth(b"]]}{"), 1);
    }
}
