//! Streaming writers of uploads, the counterparts of the framing that reads them: NDJSON, a
//! JSON array, and a batch (its envelope, then its records). Each record is serialized
//! straight to the output as it is given, so memory does not grow with the upload.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

/// Writes records as NDJSON: one compact JSON record a line.
///
/// ```
/// use dsti::write::NdjsonWriter;
/// let mut writer = NdjsonWriter::new(Vec::new());
/// writer.write(&serde_json::json!({"kind": "person"}))?;
/// writer.write(&serde_json::json!({"kind": "course"}))?;
/// assert_eq!(writer.written(), 2);
/// let bytes = writer.finish()?;
/// assert_eq!(bytes, b"{\"kind\":\"person\"}\n{\"kind\":\"course\"}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct NdjsonWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> NdjsonWriter<W> {
    /// A writer to `out`. Wrap a file in a [`BufWriter`](std::io::BufWriter).
    pub fn new(out: W) -> Self {
        NdjsonWriter { out, written: 0 }
    }

    /// Write one record and its newline.
    pub fn write<T: Serialize + ?Sized>(&mut self, record: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flush and give back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes records as one JSON array, one record a line: `[`, the records separated by `,`,
/// then `]` (`[]` when there are none).
#[derive(Debug)]
pub struct JsonArrayWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> JsonArrayWriter<W> {
    /// A writer to `out`. Nothing is written before the first record or [`Self::finish`].
    pub fn new(out: W) -> Self {
        JsonArrayWriter { out, written: 0 }
    }

    /// Write one element.
    pub fn write<T: Serialize + ?Sized>(&mut self, record: &T) -> io::Result<()> {
        self.out
            .write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, record)?;
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Close the array, flush, and give back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out
            .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The members of a JSON object, in order.
struct Members(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Writes a batch upload, streaming: the envelope's members first, then `"records":[`, each
/// record as it is given, and `]}` at [`Self::finish`]. A batch of a million records is never
/// held in memory; readers of batches (`dsti validate`, this library's) stream it back.
///
/// The envelope is any value that serializes to a JSON object (a [`Batch`](crate::v2::Batch)
/// with no records, typically); a `records` member of it is left out.
///
/// ```
/// use dsti::v2::{Batch, Organization};
/// use dsti::write::BatchWriter;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let envelope = Batch::builder()
///     .id("6b0e5c1e-2a4f-4d3b-9c8a-1f2e3d4c5b6a")
///     .sender(Organization::builder().name("广州市巾帼家政培训学校").uscc("91440101MA5CYUF35N"))
///     .created_at("2026-05-01T08:00:00+08:00")
///     .build()?;
/// let mut writer = BatchWriter::new(Vec::new(), &envelope)?;
/// writer.write(&serde_json::json!({"kind": "person"}))?;
/// let bytes = writer.finish()?;
/// let back: serde_json::Value = serde_json::from_slice(&bytes)?;
/// assert_eq!(back["records"][0]["kind"], "person");
/// assert_eq!(back["createdAt"], "2026-05-01T08:00:00+08:00");
/// assert!(bytes.starts_with(br#"{"kind":"batch","schemaVersion":"2.0","id":"#));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct BatchWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> BatchWriter<W> {
    /// Write the envelope's members and open `records`.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when `envelope` does not serialize to a JSON object;
    /// any error of `out`.
    pub fn new<E: Serialize + ?Sized>(mut out: W, envelope: &E) -> io::Result<Self> {
        // Through bytes, so that the members keep the order the envelope writes them in.
        let bytes = serde_json::to_vec(envelope)?;
        let Ok(Members(members)) = serde_json::from_slice::<Members>(&bytes) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a batch envelope must be a JSON object",
            ));
        };
        out.write_all(b"{")?;
        for (key, member) in members.iter().filter(|(k, _)| k.as_str() != "records") {
            serde_json::to_writer(&mut out, key)?;
            out.write_all(b":")?;
            serde_json::to_writer(&mut out, member)?;
            out.write_all(b",")?;
        }
        out.write_all(b"\"records\":[")?;
        Ok(BatchWriter { out, written: 0 })
    }

    /// Write one record of the batch, on a line of its own.
    pub fn write<T: Serialize + ?Sized>(&mut self, record: &T) -> io::Result<()> {
        self.out
            .write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, record)?;
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Close `records` and the batch, flush, and give back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(if self.written == 0 {
            b"]}\n"
        } else {
            b"\n]}\n"
        })?;
        self.out.flush()?;
        Ok(self.out)
    }
}
