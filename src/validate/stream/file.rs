//! Files and shared buffers: [`Validator::validate_file`] maps an NDJSON file and judges its
//! lines where they lie in the page cache (no `read(2)` copy), [`Validator::validate_shared`]
//! does the same for bytes already in memory; everything else takes the read path.

use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;

use bytes::Bytes;

use super::{Event, ParallelEvents, SequentialEvents, SEQUENTIAL_BLOCK_BYTES};
use crate::framing::{detect_format, InputFormat, Mapping, SharedBlocks, Takers};
use crate::validate::Validator;

/// How much of a shared buffer a worker takes at once on several threads. Nothing is read or
/// copied, so a block costs only its hand-offs: a worker's wake-up of the thread that orders
/// the verdicts, and that thread's of the next worker. Measured at two jobs on 200,000 records
/// (127 MB): 256 KiB blocks switched context about 1,000 times, 1 MiB blocks about 350, for
/// 1.5 % less CPU and 3 % less time; larger blocks switch less still, but the last block then
/// leaves a core idle for longer, and each keeps its pages mapped while it waits in the queue
/// (peak RSS on the 1 GiB file 43 MB at 256 KiB, 45 MB at 1 MiB, 54 MB at 2 MiB).
pub(crate) const SHARED_BLOCK_BYTES: usize = 1 << 20;

/// How an input is validated: NDJSON in shared bytes (a mapping's, if any) where it lies, or
/// anything else through a reader in its format.
pub(crate) enum Plan {
    Shared(Bytes, Option<Arc<Mapping>>),
    Read(Box<dyn Read + Send>, InputFormat),
}

/// Validation of a file or of shared bytes, on one thread or several; see
/// [`Validator::validate_file`]. The same events, in the same order, as
/// [`Validator::validate_reader`] gives for the same bytes.
pub struct FileEvents(Inner);

enum Inner {
    One(SequentialEvents<Box<dyn Read + Send>>),
    Several(ParallelEvents),
}

impl Iterator for FileEvents {
    type Item = io::Result<Event>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::One(events) => events.next(),
            Inner::Several(events) => events.next(),
        }
    }
}

impl Validator {
    /// Validate an open file on `jobs` threads (one for `jobs <= 1`), with the events of
    /// [`Validator::validate_reader`] in the same order.
    ///
    /// A non-empty regular file read as [`InputFormat::Ndjson`] (or as
    /// [`InputFormat::Auto`] when its first line says NDJSON) is mapped and its lines are
    /// judged where they lie in the page cache: no byte is copied into a buffer of this
    /// process, and the pages of the lines already judged are given back as validation
    /// moves on (memory stays bounded, as on the read path). Anything else (a JSON document,
    /// a pipe, a FIFO, an empty file, a file that cannot be mapped) is read as
    /// [`Validator::validate_reader`] reads it.
    ///
    /// A mapped file that another process truncates during validation ends this process with
    /// `SIGBUS`, as it does any program that maps files; where that can happen, read the file
    /// with [`Validator::validate_reader`] instead.
    ///
    /// ```
    /// use dsti::validate::{InputFormat, Options, Validator};
    /// use std::io::Write;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let path = std::env::temp_dir().join(format!("dsti-doc-{}.ndjson", std::process::id()));
    /// std::fs::File::create(&path)?.write_all(b"{\"kind\":\"course\"}\n\nnot json\n")?;
    ///
    /// let validator = Validator::new(Options::default());
    /// let file = std::fs::File::open(&path)?;
    /// let lines: Vec<u64> = validator
    ///     .validate_file(file, InputFormat::Ndjson, 2)
    ///     .map(|event| event.map(|e| e.verdict().line))
    ///     .collect::<Result<_, _>>()?;
    /// // One verdict per record (the blank line is none), numbered by line.
    /// assert_eq!(lines, [1, 3]);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn validate_file(&self, file: File, format: InputFormat, jobs: usize) -> FileEvents {
        match self.plan_file(file, format) {
            Plan::Shared(bytes, mapping) => self.shared_events(bytes, mapping, jobs),
            Plan::Read(reader, format) => self.read_events(reader, format, jobs),
        }
    }

    /// Whether `file` is mapped and judged where it lies, or read.
    pub(crate) fn plan_file(&self, file: File, format: InputFormat) -> Plan {
        let mappable = matches!(format, InputFormat::Ndjson | InputFormat::Auto)
            && file.metadata().is_ok_and(|m| m.is_file() && m.len() > 0);
        if mappable {
            if let Ok(mapping) = Mapping::map(&file) {
                let bytes = mapping.bytes();
                if format == InputFormat::Ndjson
                    || detect_format(&bytes, self.frame_limits()) == InputFormat::Ndjson
                {
                    return Plan::Shared(bytes, Some(mapping));
                }
                // A JSON document is framed from the file: its pages would stay mapped.
            }
        }
        Plan::Read(Box::new(file), format)
    }

    /// Validate input that is already in memory as shared [`Bytes`] (a mapped file, an
    /// upload collected from a network body) on `jobs` threads, with the events of
    /// [`Validator::validate_reader`] in the same order. NDJSON is judged where it lies:
    /// the blocks handed to the threads are ranges of `bytes`, not copies. Other formats are
    /// read from `bytes` as from a reader; [`InputFormat::Auto`] is decided first.
    ///
    /// ```
    /// use dsti::validate::{InputFormat, Options, Validator};
    ///
    /// let validator = Validator::new(Options::default());
    /// let upload = bytes::Bytes::from_static(b"{\"kind\":\"course\"}\r\n[1,\n");
    /// let valid: Vec<bool> = validator
    ///     .validate_shared(upload, InputFormat::Ndjson, 1)
    ///     .map(|event| event.map(|e| e.verdict().is_valid()))
    ///     .collect::<Result<_, _>>()
    ///     .expect("no I/O error in memory");
    /// assert_eq!(valid, [false, false]);
    /// ```
    pub fn validate_shared(&self, bytes: Bytes, format: InputFormat, jobs: usize) -> FileEvents {
        match self.plan_shared(bytes, format) {
            Plan::Shared(bytes, mapping) => self.shared_events(bytes, mapping, jobs),
            Plan::Read(reader, format) => self.read_events(reader, format, jobs),
        }
    }

    /// Whether shared bytes are judged where they lie (NDJSON), or read.
    pub(crate) fn plan_shared(&self, bytes: Bytes, format: InputFormat) -> Plan {
        let format = match format {
            InputFormat::Auto => detect_format(&bytes, self.frame_limits()),
            known => known,
        };
        if format == InputFormat::Ndjson {
            Plan::Shared(bytes, None)
        } else {
            Plan::Read(Box::new(io::Cursor::new(bytes)), format)
        }
    }

    fn shared_events(
        &self,
        bytes: Bytes,
        mapping: Option<Arc<Mapping>>,
        jobs: usize,
    ) -> FileEvents {
        let limits = self.frame_limits();
        FileEvents(if jobs > 1 {
            let blocks = SharedBlocks::new(
                bytes,
                mapping,
                limits,
                SHARED_BLOCK_BYTES,
                Takers::Several(jobs),
            );
            Inner::Several(ParallelEvents::shared(self.clone(), blocks, jobs))
        } else {
            let blocks =
                SharedBlocks::new(bytes, mapping, limits, SEQUENTIAL_BLOCK_BYTES, Takers::One);
            Inner::One(SequentialEvents::shared(self.clone(), blocks))
        })
    }

    fn read_events(
        &self,
        reader: Box<dyn Read + Send>,
        format: InputFormat,
        jobs: usize,
    ) -> FileEvents {
        FileEvents(if jobs > 1 {
            Inner::Several(self.validate_reader_parallel(reader, format, jobs))
        } else {
            Inner::One(self.validate_reader(reader, format))
        })
    }
}
