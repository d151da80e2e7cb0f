//! Streaming writers of uploads: NDJSON, a JSON array, and a batch (envelope, then records),
//! the counterparts of the readers behind [`Validator::validate_reader`] and
//! [`migrate_reader`]. Records are serialized as they are given; memory does not grow with
//! the upload.
//!
//! ```
//! use dsti::write::NdjsonWriter;
//! # fn main() -> std::io::Result<()> {
//! let mut out = NdjsonWriter::new(std::io::BufWriter::new(std::io::sink()));
//! for n in 0..3 {
//!     out.write(&serde_json::json!({ "n": n }))?;
//! }
//! assert_eq!(out.written(), 3);
//! out.finish()?;
//! # Ok(())
//! # }
//! ```
//!
//! [`Validator::validate_reader`]: crate::validate::Validator::validate_reader
//! [`migrate_reader`]: crate::migrate::migrate_reader

pub use crate::framing::{BatchWriter, JsonArrayWriter, NdjsonWriter};
