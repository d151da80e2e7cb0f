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

mod batch;
mod blocks;
mod chunks;
mod detect;
mod elements;
mod frames;
mod input;
pub(crate) mod lex;
mod ndjson;
mod shared;
#[cfg(test)]
mod tests;
mod write;

use batch::*;
use detect::*;
use input::*;
use lex::*;
use ndjson::*;

pub(crate) use blocks::{Block, BufferPool, NdjsonBlocks};
pub(crate) use chunks::ChunkBlocks;
pub(crate) use elements::Elements;
pub use frames::InputFormat;
pub(crate) use frames::{Body, Frame, FrameLimits, Frames};
pub(crate) use ndjson::{classify_line_but_depth, too_deep, LineShape};
pub(crate) use shared::{detect_format, Behind, Mapping, SharedBlocks, SharedLines, Takers};
pub use write::{BatchWriter, JsonArrayWriter, NdjsonWriter};

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
