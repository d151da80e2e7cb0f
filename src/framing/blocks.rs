//! Parallel NDJSON: [`NdjsonBlocks`] cuts a stream into [`Block`]s of whole lines for worker
//! threads, with a [`BufferPool`] so that blocks reuse their buffers.

use std::io::{self, Read};

use memchr::memchr;

use super::*;

/// A piece of an NDJSON stream cut for parallel validation: whole lines, so that each piece
/// can be framed and judged on its own thread. Indices and line numbers inside a piece start
/// at 0 and 1; the consumer adds the counts of the pieces before it.
#[derive(Debug)]
pub(crate) enum Block {
    /// Whole lines; only the last piece of a stream may end without `\n`.
    Lines(Vec<u8>),
    /// Whole lines that lie in a shared buffer, a mapped file's for one (see
    /// [`SharedBlocks`](super::SharedBlocks)); likewise only the last may end without `\n`.
    Shared(super::SharedLines),
    /// Runs of whole lines in chunks of a stream, in order (see
    /// [`ChunkBlocks`]); each ends with `\n` but the stream's last.
    Chunks(Vec<bytes::Bytes>),
    /// One line longer than `max_record_bytes`, measured and skipped without being stored.
    Oversized {
        /// Its length in bytes.
        bytes: u64,
        /// It held only spaces, tabs and `\r`: not a record.
        blank: bool,
        /// It ended with `\n` (rather than at the end of the stream).
        ended: bool,
    },
}

/// Buffers handed back by the threads that judged their blocks, shared with the reader.
#[derive(Debug, Clone, Default)]
pub(crate) struct BufferPool(std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>);

impl BufferPool {
    /// At most this many buffers wait for reuse; more are freed.
    const KEEP: usize = 16;

    /// An empty buffer, reused when one is available.
    pub(crate) fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default()
    }

    /// Hand a buffer back for reuse.
    pub(crate) fn give(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        if let Ok(mut pool) = self.0.lock() {
            if pool.len() < Self::KEEP {
                pool.push(buffer);
            }
        }
    }
}

/// Cuts an NDJSON stream into [`Block`]s of about `block_bytes`, in order. Memory is bounded
/// by `block_bytes + max_record_bytes` plus one read.
pub(crate) struct NdjsonBlocks<R> {
    pub(super) reader: R,
    pub(super) carry: Vec<u8>,
    /// Buffers of blocks already judged, handed back for reuse: no fresh pages per block.
    pub(super) pool: BufferPool,
    pub(super) limits: FrameLimits,
    pub(super) block_bytes: usize,
    pub(super) started: bool,
    pub(super) done: bool,
    /// A read error that comes after the block of the whole lines read before it.
    pub(super) failed: Option<io::Error>,
}

impl<R: Read> NdjsonBlocks<R> {
    /// Cut `reader` into blocks of about `block_bytes`, taking buffers from `pool`.
    pub(crate) fn new(
        reader: R,
        limits: FrameLimits,
        block_bytes: usize,
        pool: BufferPool,
    ) -> Self {
        NdjsonBlocks {
            reader,
            carry: Vec::new(),
            pool,
            limits,
            block_bytes: block_bytes.max(1),
            started: false,
            done: false,
            failed: None,
        }
    }

    /// Read more into `carry`; `false` at the end of the stream.
    pub(super) fn read_more(&mut self) -> io::Result<bool> {
        let old = self.carry.len();
        // Reads of about a block, between 64 KiB and 256 KiB.
        let read = self.block_bytes.clamp(64 << 10, 256 << 10);
        self.carry.resize(old + read, 0);
        let n = loop {
            match self.reader.read(&mut self.carry[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.carry.truncate(old);
                    return Err(e);
                }
            }
        };
        self.carry.truncate(old + n);
        Ok(n > 0)
    }

    /// Skip the rest of an over-long line whose first `carry` bytes are read. Its length,
    /// as the framing state machine counts it, leaves out a `\r` before its `\n`.
    pub(super) fn skip_oversized(&mut self) -> io::Result<Block> {
        let mut bytes = self.carry.len() as u64;
        let mut blank = is_blank(&self.carry);
        let mut last_cr = self.carry.last() == Some(&b'\r');
        self.carry.clear();
        loop {
            if !self.read_more()? {
                self.done = true;
                return Ok(Block::Oversized {
                    bytes: bytes - u64::from(last_cr),
                    blank,
                    ended: false,
                });
            }
            match memchr(b'\n', &self.carry) {
                Some(at) => {
                    let head = self.carry.get(..at).unwrap_or_default();
                    blank &= is_blank(head);
                    bytes += head.len() as u64;
                    if let Some(&last) = head.last() {
                        last_cr = last == b'\r';
                    }
                    self.carry.drain(..=at);
                    return Ok(Block::Oversized {
                        bytes: bytes - u64::from(last_cr),
                        blank,
                        ended: true,
                    });
                }
                None => {
                    blank &= is_blank(&self.carry);
                    bytes += self.carry.len() as u64;
                    last_cr = self.carry.last() == Some(&b'\r');
                    self.carry.clear();
                }
            }
        }
    }

    pub(super) fn step(&mut self) -> io::Result<Option<Block>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.done {
            return Ok(None);
        }
        if !self.started {
            // A UTF-8 byte-order mark opens the stream only: skip it there, as `Frames` does.
            self.started = true;
            while self.carry.len() < BOM.len() && self.read_more()? {}
            if self.carry.starts_with(&BOM) {
                self.carry.drain(..BOM.len());
            }
        }
        loop {
            let last_newline = memchr::memrchr(b'\n', &self.carry);
            match last_newline {
                Some(at) if self.carry.len() >= self.block_bytes => {
                    let mut rest = self.pool.take();
                    rest.extend_from_slice(self.carry.get(at + 1..).unwrap_or_default());
                    self.carry.truncate(at + 1);
                    return Ok(Some(Block::Lines(std::mem::replace(&mut self.carry, rest))));
                }
                None if self.carry.len() > self.limits.max_record_bytes.saturating_add(1) => {
                    return self.skip_oversized().map(Some);
                }
                _ => {}
            }
            match self.read_more() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    if self.carry.is_empty() {
                        return Ok(None);
                    }
                    return Ok(Some(Block::Lines(std::mem::take(&mut self.carry))));
                }
                // The whole lines read before the failure are judged first; the error follows
                // them, and the incomplete line is dropped with it, as `Frames` does.
                Err(e) => match memchr::memrchr(b'\n', &self.carry) {
                    Some(at) => {
                        self.carry.truncate(at + 1);
                        self.failed = Some(e);
                        return Ok(Some(Block::Lines(std::mem::take(&mut self.carry))));
                    }
                    None => return Err(e),
                },
            }
        }
    }
}

impl<R: Read> Iterator for NdjsonBlocks<R> {
    type Item = io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(block) => block.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
