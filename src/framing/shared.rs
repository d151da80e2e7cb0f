//! NDJSON that already lies in one buffer (a mapped file, or an upload held in memory):
//! [`SharedBlocks`] cuts it into [`Block::Shared`] blocks of whole lines that are ranges of the
//! buffer itself, so no byte is copied, and [`Mapping`] gives a mapped file's pages back once
//! they are judged, so that memory does not grow with the file.

use std::fs::File;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use memchr::{memchr, memrchr};

use super::*;

/// A read-only mapping of a whole file, shared by the blocks cut from it.
#[derive(Debug)]
pub(crate) struct Mapping(memmap2::Mmap);

/// The owner of a mapping inside [`Bytes`].
struct MapOwner(Arc<Mapping>);

impl AsRef<[u8]> for MapOwner {
    fn as_ref(&self) -> &[u8] {
        &self.0 .0
    }
}

impl Mapping {
    /// Map `file` read-only, advising the kernel that it is read from start to end.
    ///
    /// If the file is truncated by another process while it is mapped, reading the pages
    /// past its new end raises `SIGBUS`, as with every tool that maps files; callers that
    /// cannot rule that out read the file instead.
    pub(crate) fn map(file: &File) -> io::Result<Arc<Mapping>> {
        // SAFETY: the mapping is read-only and private to this process; its bytes are only
        // read through `&[u8]`. Another process changing the file under it changes what is
        // read (never memory safety of this process beyond the SIGBUS documented above).
        let map = unsafe { memmap2::Mmap::map(file)? };
        #[cfg(unix)]
        {
            // Only advice: the kernel reads ahead further; failing changes nothing else.
            let _ = map.advise(memmap2::Advice::Sequential);
        }
        Ok(Arc::new(Mapping(map)))
    }

    /// The whole mapping as shared bytes (no copy; the mapping lives while any slice does).
    pub(crate) fn bytes(self: &Arc<Self>) -> Bytes {
        Bytes::from_owner(MapOwner(Arc::clone(self)))
    }

    /// Give back the pages under `part` (a range of this mapping that has been judged): they
    /// leave this process's memory and stay in the page cache. Pages at either end that
    /// `part` shares with its neighbours are given back too; if a neighbour is still being
    /// read, its next access reads the same bytes from the page cache again.
    pub(crate) fn release(&self, part: &[u8]) {
        if let Some(start) = self.offset_of(part) {
            self.release_range(start, start + part.len());
        }
    }

    /// Map the pages from offset `start` to `end` into this process at once, before they are
    /// read: one call instead of a page fault every few pages.
    fn populate(&self, start: usize, end: usize) {
        let end = end.min(self.0.len());
        if start >= end {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            // Only advice (Linux 5.14 and later): without it the pages fault in as read.
            let _ = self
                .0
                .advise_range(memmap2::Advice::PopulateRead, start, end - start);
        }
    }

    /// Where `part` starts in this mapping, if it lies in it.
    pub(crate) fn offset_of(&self, part: &[u8]) -> Option<usize> {
        let start = (part.as_ptr() as usize).checked_sub(self.0.as_ptr() as usize)?;
        (start <= self.0.len() && part.len() <= self.0.len() - start).then_some(start)
    }

    /// Give back the pages from offset `start` to `end` (see [`Mapping::release`]).
    fn release_range(&self, start: usize, end: usize) {
        let end = end.min(self.0.len());
        if start >= end {
            return;
        }
        #[cfg(unix)]
        {
            // SAFETY: the mapping is read-only and file-backed, never written: after
            // MADV_DONTNEED a page is read again from the file, with the same bytes, on its
            // next access. No reference sees different memory.
            let _ = unsafe {
                self.0.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    start,
                    end - start,
                )
            };
        }
    }
}

/// Gives back the pages of a mapping behind the point up to which it is judged, a few
/// megabytes at a time.
///
/// A page fault maps the pages around it that are in the page cache too ("fault-around",
/// 64 KiB by default), also pages just before the block being judged that were already given
/// back. So each release starts [`FAULT_AROUND_MARGIN`] before where the last one ended:
/// nothing judged stays mapped, however the blocks' edges fall.
#[derive(Debug)]
pub(crate) struct Behind {
    mapping: Arc<Mapping>,
    /// Where the pages not yet given back start.
    released: usize,
}

/// How far before the judged point a page may be mapped again by a fault after it.
const FAULT_AROUND_MARGIN: usize = 256 << 10;

impl Behind {
    /// Releases for `mapping`, nothing judged yet.
    pub(crate) fn new(mapping: Arc<Mapping>) -> Self {
        Behind {
            mapping,
            released: 0,
        }
    }

    /// Everything before offset `end` of the mapping is judged: give its pages back once
    /// there are [`RELEASE_STRIDE`] of them.
    pub(crate) fn judged_to(&mut self, end: usize) {
        if end >= self.released.saturating_add(RELEASE_STRIDE) {
            let start = self.released.saturating_sub(FAULT_AROUND_MARGIN);
            self.mapping.release_range(start, end);
            self.released = end;
        }
    }

    /// Everything before the end of `lines` (which lie in this mapping) is judged.
    pub(crate) fn judged_through(&mut self, lines: &[u8]) {
        if let Some(start) = self.mapping.offset_of(lines) {
            self.judged_to(start + lines.len());
        }
    }
}

/// Whole NDJSON lines that lie in a shared buffer, judged where they are.
#[derive(Debug)]
pub(crate) struct SharedLines {
    /// The lines; only the last block of the input may end without `\n`.
    pub(crate) bytes: Bytes,
}

/// How far an over-long line is scanned at once; its pages are given back behind the scan.
const SCAN_STEP: usize = 1 << 20;

/// How far ahead of a block the pages are mapped at once.
const POPULATE_STRIDE: usize = 1 << 20;

/// After this many judged bytes, [`SharedBlocks`] gives their pages back (on one thread).
const RELEASE_STRIDE: usize = 2 << 20;

/// The smallest block [`SharedBlocks`] cuts near the end of the buffer for several threads
/// (about a hundred records, a few hundred microseconds of work).
const TAIL_BLOCK_BYTES: usize = 64 << 10;

/// Who takes the blocks of a [`SharedBlocks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takers {
    /// One thread, in order: taking a block means the ones before it are judged, so their
    /// pages are given back.
    One,
    /// This many threads at once. Near the end the blocks shrink, so that the threads finish
    /// together: with whole blocks to the end, the last one left a core idle for half a
    /// block's work on average (about 1.5 ms of 1 MiB blocks, close to 1 % of a 127 MB file
    /// at two jobs).
    Several(usize),
}

/// Cuts NDJSON in a shared buffer into blocks of whole lines of about `block_bytes`, each a
/// range of the buffer: what [`NdjsonBlocks`] yields from a reader, without copying a byte.
/// A line longer than `block_bytes` is a block of its own, or a [`Block::Oversized`] when it
/// is longer than the record limit (scanned, never judged, its pages given back as it goes).
/// For [`Takers::Several`], once less than four blocks a thread are left, each block is a
/// quarter of what is left a thread (never under [`TAIL_BLOCK_BYTES`]): about twenty more
/// blocks, and the threads finish within one small block of each other.
pub(crate) struct SharedBlocks {
    data: Bytes,
    mapping: Option<Arc<Mapping>>,
    /// Where the next block starts.
    pos: usize,
    limits: FrameLimits,
    block_bytes: usize,
    /// Threads taking the blocks, when several: the tail's blocks shrink.
    several: Option<usize>,
    /// Gives back the pages behind each block handed out, when one thread judges the blocks
    /// in order (a block handed out means the ones before it are judged).
    behind: Option<Behind>,
    /// Where the pages not yet mapped ahead of the blocks start.
    populated: usize,
}

impl SharedBlocks {
    /// Cut `data` (that lies in `mapping`, if given) into blocks of about `block_bytes` for
    /// `takers`.
    pub(crate) fn new(
        data: Bytes,
        mapping: Option<Arc<Mapping>>,
        limits: FrameLimits,
        block_bytes: usize,
        takers: Takers,
    ) -> Self {
        // A UTF-8 byte-order mark opens the stream only: skip it there, as `Frames` does.
        let pos = if data.starts_with(&BOM) { BOM.len() } else { 0 };
        let (behind, several) = match (takers, &mapping) {
            (Takers::One, Some(mapping)) => (Some(Behind::new(Arc::clone(mapping))), None),
            (Takers::One, None) => (None, None),
            (Takers::Several(n), _) => (None, Some(n.max(1))),
        };
        SharedBlocks {
            data,
            mapping,
            pos,
            limits,
            block_bytes: block_bytes.max(1),
            several,
            behind,
            populated: 0,
        }
    }

    /// The size of the next block when `rest` bytes are left.
    fn block_len(&self, rest: usize) -> usize {
        match self.several {
            Some(threads) => (rest / (4 * threads))
                .max(TAIL_BLOCK_BYTES)
                .min(self.block_bytes),
            None => self.block_bytes,
        }
    }

    /// The mapping the blocks lie in, if any.
    pub(crate) fn mapping(&self) -> Option<&Arc<Mapping>> {
        self.mapping.as_ref()
    }

    /// The line at the start of `rest`, longer than a block: the length of the block that
    /// holds it (with its `\n`), or an over-long line's [`Block::Oversized`] and its length.
    fn long_line(&self, rest: &[u8]) -> (usize, Option<Block>) {
        // A line of up to `max_record_bytes` plus a `\r` is judged as any other.
        let limit = self.limits.max_record_bytes.saturating_add(1);
        let mut len = 0;
        let mut blank = true;
        let ended = loop {
            let step = rest.get(len..).unwrap_or_default();
            let step = step.get(..SCAN_STEP).unwrap_or(step);
            if step.is_empty() {
                break false;
            }
            let newline = memchr(b'\n', step);
            let part = step.get(..newline.unwrap_or(step.len())).unwrap_or(step);
            blank = blank && is_blank(part);
            len += part.len();
            if newline.is_some() {
                break true;
            }
            if len > limit {
                if let Some(mapping) = &self.mapping {
                    mapping.release(part);
                }
            }
        };
        let line = rest.get(..len).unwrap_or_default();
        let cr = usize::from(line.last() == Some(&b'\r'));
        let taken = len + usize::from(ended);
        if len - cr <= self.limits.max_record_bytes {
            return (taken, None);
        }
        if let Some(mapping) = &self.mapping {
            mapping.release(line);
        }
        let oversized = Block::Oversized {
            bytes: (len - cr) as u64,
            blank,
            ended,
        };
        (taken, Some(oversized))
    }
}

impl Iterator for SharedBlocks {
    type Item = Block;

    fn next(&mut self) -> Option<Block> {
        if let Some(behind) = &mut self.behind {
            if let Some(judged) = self.data.get(..self.pos) {
                behind.judged_through(judged);
            }
        }
        let rest = self.data.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return None;
        }
        let block_bytes = self.block_len(rest.len());
        let (len, oversized) = if rest.len() <= block_bytes {
            (rest.len(), None)
        } else {
            let window = rest.get(..block_bytes).unwrap_or(rest);
            match memrchr(b'\n', window) {
                Some(at) => (at + 1, None),
                None => self.long_line(rest),
            }
        };
        let start = self.pos;
        self.pos += len;
        if oversized.is_none() && self.pos > self.populated {
            if let Some(mapping) = &self.mapping {
                let from = self.populated.max(start);
                self.populated = self.pos.max(start.saturating_add(POPULATE_STRIDE));
                mapping.populate(from, self.populated);
            }
        }
        Some(oversized.unwrap_or_else(|| {
            Block::Shared(SharedLines {
                bytes: self.data.slice(start..self.pos),
            })
        }))
    }
}

/// The format [`InputFormat::Auto`] decides for `bytes` (after a byte-order mark, from the
/// first line that is not blank), reading no more of them than that takes.
pub(crate) fn detect_format(bytes: &[u8], limits: FrameLimits) -> InputFormat {
    let mut frames = Frames::new(bytes, InputFormat::Auto, limits);
    // Reading a slice cannot fail.
    let detected = frames.input.fill_at_least(BOM.len()).and_then(|()| {
        if frames.input.avail().starts_with(&BOM) {
            frames.input.pos += BOM.len();
        }
        frames.detect()
    });
    detected.unwrap_or(InputFormat::Auto)
}
