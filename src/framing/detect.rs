//! Auto-detection ([`InputFormat::Auto`]): a byte-by-byte classifier of the first line that
//! tells NDJSON from a JSON document.

use super::*;

/// Where [`Detect`] is in the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum DetectPhase {
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
pub(super) enum DetectStep {
    /// Undecided.
    Continue,
    /// The line so far was blank and has ended: consume it and start over.
    BlankLine,
    /// The format is known.
    Decided(InputFormat),
}

/// Byte-by-byte classifier of the first line, for [`InputFormat::Auto`].
#[derive(Debug, Default)]
pub(super) struct Detect {
    /// Where it is.
    pub(super) phase: DetectPhase,
    /// Nesting depth inside the top-level object.
    pub(super) depth: usize,
    /// The string rule.
    pub(super) lex: Lex,
    /// At depth 1, the next string is a key.
    pub(super) expect_key: bool,
    /// The current string is a depth-1 key.
    pub(super) in_key: bool,
    /// The first bytes of that key.
    pub(super) key: [u8; 8],
    /// Its length, saturating at 8.
    pub(super) key_len: usize,
    /// The last depth-1 key was literally `records`.
    pub(super) records_key: bool,
    /// The `:` after a `records` key was seen; its value is next.
    pub(super) records_colon: bool,
}

impl Detect {
    /// Looks at the next byte of the line.
    pub(super) fn step(&mut self, b: u8) -> DetectStep {
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
                    self.lex = Lex::IN_STRING;
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
                if !self.lex.in_string() {
                    self.phase = DetectPhase::After;
                }
                step
            }
            DetectPhase::Container if self.lex.in_string() => self.string_byte(b),
            DetectPhase::Container => self.structural(b),
        }
    }

    /// A byte after the first value.
    pub(super) fn after(&mut self, b: u8) -> DetectStep {
        match b {
            b' ' | b'\t' | b'\r' => DetectStep::Continue,
            b'\n' => DetectStep::Decided(InputFormat::Ndjson),
            _ => DetectStep::Decided(InputFormat::Json),
        }
    }

    /// A byte inside a string.
    pub(super) fn string_byte(&mut self, b: u8) -> DetectStep {
        if b == b'\n' {
            // The value does not end on the first line.
            return DetectStep::Decided(InputFormat::Json);
        }
        if self.lex.step(b) == Class::Close {
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
    pub(super) fn structural(&mut self, b: u8) -> DetectStep {
        let at_top = self.depth == 1;
        if self.lex.step(b) == Class::Open {
            if at_top && self.expect_key {
                self.in_key = true;
                self.key_len = 0;
                self.expect_key = false;
            }
            self.records_colon = false;
            return DetectStep::Continue;
        }
        match b {
            b' ' | b'\t' | b'\r' => {}
            b'\n' => return DetectStep::Decided(InputFormat::Json),
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
    pub(super) fn at_eof(&self) -> InputFormat {
        match self.phase {
            DetectPhase::Lead | DetectPhase::Scalar | DetectPhase::After => InputFormat::Ndjson,
            DetectPhase::Container | DetectPhase::Str => InputFormat::Json,
        }
    }
}
