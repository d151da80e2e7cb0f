//! NDJSON that arrives in chunks of shared bytes (a network body): [`ChunkBlocks`] cuts it
//! into [`Block::Chunks`] of whole lines that are ranges of the chunks themselves. Only a line
//! that a chunk's end cuts in two is copied, to join it.

use std::collections::VecDeque;
use std::io;

use bytes::Bytes;
use memchr::{memchr, memrchr};

use super::*;

/// The chunks of a stream, in order; an error ends them.
type Chunks = Box<dyn Iterator<Item = io::Result<Bytes>> + Send>;

/// An over-long line being skipped: measured, never stored.
#[derive(Debug)]
struct Skip {
    bytes: u64,
    blank: bool,
    last_cr: bool,
}

impl Skip {
    /// The line goes on with `part` (which holds no `\n`).
    fn add(&mut self, part: &[u8]) {
        self.blank &= is_blank(part);
        self.bytes += part.len() as u64;
        if let Some(&last) = part.last() {
            self.last_cr = last == b'\r';
        }
    }

    /// The block of the skipped line, as the framing state machine measures it (without a
    /// `\r` before its `\n`).
    fn block(self, ended: bool) -> Block {
        Block::Oversized {
            bytes: self.bytes - u64::from(self.last_cr),
            blank: self.blank,
            ended,
        }
    }
}

/// Cuts NDJSON arriving in [`Chunks`] into blocks of whole lines of about `block_bytes`, in
/// order: what [`NdjsonBlocks`] yields from a reader, without copying the chunks. A block is
/// the chunks' runs of whole lines, and between them each line cut by a chunk's end, joined
/// in a buffer of its own. Such a line is stored up to `max_record_bytes + 1` bytes; a longer
/// one is measured and skipped ([`Block::Oversized`]). Memory is bounded by the block being
/// gathered (whose chunks stay alive), one line of `max_record_bytes`, and one chunk.
pub(crate) struct ChunkBlocks {
    chunks: Chunks,
    limits: FrameLimits,
    block_bytes: usize,
    /// Runs of whole lines gathered for the next block, and their length.
    parts: Vec<Bytes>,
    gathered: usize,
    /// The start of a line that the last chunk's end cut (at the stream's start: its first
    /// bytes, until a byte-order mark can be told).
    carry: Vec<u8>,
    skipping: Option<Skip>,
    /// Blocks cut and not yet handed out (a block, then an over-long line after it).
    ready: VecDeque<Block>,
    started: bool,
    done: bool,
    /// A read error that comes after the blocks of the whole lines before it.
    failed: Option<io::Error>,
}

impl ChunkBlocks {
    /// Cut `chunks` into blocks of about `block_bytes`.
    pub(crate) fn new(chunks: Chunks, limits: FrameLimits, block_bytes: usize) -> Self {
        ChunkBlocks {
            chunks,
            limits,
            block_bytes: block_bytes.max(1),
            parts: Vec::new(),
            gathered: 0,
            carry: Vec::new(),
            skipping: None,
            ready: VecDeque::new(),
            started: false,
            done: false,
            failed: None,
        }
    }

    /// Hand the runs gathered so far to `ready` as one block.
    fn cut(&mut self) {
        if !self.parts.is_empty() {
            self.gathered = 0;
            self.ready
                .push_back(Block::Chunks(std::mem::take(&mut self.parts)));
        }
    }

    /// Gather `run` (whole lines, or the stream's last line) for the next block.
    fn gather(&mut self, run: Bytes) {
        if run.is_empty() {
            return;
        }
        self.gathered += run.len();
        self.parts.push(run);
        if self.gathered >= self.block_bytes {
            self.cut();
        }
    }

    /// A cut line grew past the record limit: skip it from here on, after the lines before.
    fn skip_if_over(&mut self) {
        if self.carry.len() > self.limits.max_record_bytes.saturating_add(1) {
            self.cut();
            self.skipping = Some(Skip {
                bytes: self.carry.len() as u64,
                blank: is_blank(&self.carry),
                last_cr: self.carry.last() == Some(&b'\r'),
            });
            self.carry.clear();
        }
    }

    /// Take the next chunk of the stream (after its byte-order mark, if it opens it).
    fn take(&mut self, mut chunk: Bytes) {
        if let Some(skip) = &mut self.skipping {
            let Some(at) = memchr(b'\n', &chunk) else {
                skip.add(&chunk);
                return;
            };
            skip.add(chunk.get(..at).unwrap_or_default());
            if let Some(skip) = self.skipping.take() {
                self.ready.push_back(skip.block(true));
            }
            chunk = chunk.slice(at + 1..);
        }
        if !self.carry.is_empty() {
            let Some(at) = memchr(b'\n', &chunk) else {
                self.carry.extend_from_slice(&chunk);
                return self.skip_if_over();
            };
            let mut line = std::mem::take(&mut self.carry);
            line.extend_from_slice(chunk.get(..=at).unwrap_or_default());
            self.gather(Bytes::from(line));
            chunk = chunk.slice(at + 1..);
        }
        let whole = memrchr(b'\n', &chunk).map_or(0, |at| at + 1);
        self.carry
            .extend_from_slice(chunk.get(whole..).unwrap_or_default());
        chunk.truncate(whole);
        self.gather(chunk);
        self.skip_if_over();
    }

    /// Take the stream's first bytes (all of them, or enough to tell): a UTF-8 byte-order
    /// mark opens the stream only, and is skipped there, as `Frames` does.
    fn start(&mut self, head: Bytes) {
        self.started = true;
        let skip = if head.starts_with(&BOM) { BOM.len() } else { 0 };
        self.take(head.slice(skip..));
    }

    /// The stream ended: its last line (without `\n`) closes the last block.
    fn finish(&mut self) {
        self.done = true;
        match self.skipping.take() {
            Some(skip) => {
                self.cut();
                self.ready.push_back(skip.block(false));
            }
            None => {
                let last = std::mem::take(&mut self.carry);
                self.gather(Bytes::from(last));
                self.cut();
            }
        }
    }

    fn step(&mut self) -> io::Result<Option<Block>> {
        loop {
            if let Some(block) = self.ready.pop_front() {
                return Ok(Some(block));
            }
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            if self.done {
                return Ok(None);
            }
            match self.chunks.next() {
                None if !self.started => {
                    let head = Bytes::from(std::mem::take(&mut self.carry));
                    self.start(head);
                    self.finish();
                }
                None => self.finish(),
                // The whole lines before the failure are judged first; the error follows
                // them, and the incomplete line is dropped with it, as `Frames` does.
                Some(Err(e)) => {
                    self.done = true;
                    self.cut();
                    self.failed = Some(e);
                }
                // The stream's first bytes are gathered until a byte-order mark can be told.
                Some(Ok(chunk)) if !self.started => {
                    if self.carry.is_empty() && chunk.len() >= BOM.len() {
                        self.start(chunk);
                    } else {
                        self.carry.extend_from_slice(&chunk);
                        if self.carry.len() >= BOM.len() {
                            let head = Bytes::from(std::mem::take(&mut self.carry));
                            self.start(head);
                        }
                    }
                }
                Some(Ok(chunk)) => self.take(chunk),
            }
        }
    }
}

impl Iterator for ChunkBlocks {
    type Item = io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        // An error comes only after the stream is done: nothing follows it.
        self.step().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_record_bytes: usize) -> FrameLimits {
        FrameLimits {
            max_record_bytes,
            ..FrameLimits::default()
        }
    }

    /// A line far over the limit, in small chunks, is measured and skipped: the blocks around
    /// it are whole lines, and no more of it than the limit and a chunk is ever stored.
    #[test]
    fn an_over_long_line_is_skipped_with_bounded_memory() {
        let long = vec![b'x'; 1 << 20];
        let input = [&b"{}\n"[..], &long, b"\r\n{\"a\":1}\n"].concat();
        let chunks: Vec<io::Result<Bytes>> = input
            .chunks(1000)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let mut blocks = ChunkBlocks::new(Box::new(chunks.into_iter()), limits(64), 16);
        let mut most = 0;
        let mut got = Vec::new();
        while let Some(block) = blocks.next() {
            most = most.max(blocks.carry.capacity());
            got.push(block.expect("in memory"));
        }
        assert!(most <= 64 + 1 + 1000 * 2, "stored {most} bytes of a line");
        let runs = |block: &Block| match block {
            Block::Chunks(runs) => runs.concat(),
            other => panic!("a block of lines, not {other:?}"),
        };
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(runs(&got[0]), b"{}\n");
        match &got[1] {
            Block::Oversized {
                bytes,
                blank,
                ended,
            } => assert_eq!((*bytes, *blank, *ended), (1 << 20, false, true)),
            other => panic!("the skipped line, not {other:?}"),
        }
        assert_eq!(runs(&got[2]), b"{\"a\":1}\n");
    }

    /// Chunks are not copied: a block's runs are ranges of the chunks themselves, but for a
    /// line that a chunk's end cut.
    #[test]
    fn runs_of_whole_lines_are_the_chunks_own_bytes() {
        let first = Bytes::from_static(b"{\"a\":1}\n{\"b\":2}\n{\"c\"");
        let second = Bytes::from_static(b":3}\n{\"d\":4}\n");
        let chunks = vec![Ok(first.clone()), Ok(second.clone())];
        let mut blocks = ChunkBlocks::new(Box::new(chunks.into_iter()), limits(1000), 1 << 20);
        let Some(Ok(Block::Chunks(runs))) = blocks.next() else {
            panic!("one block");
        };
        assert!(blocks.next().is_none());
        let texts: Vec<&[u8]> = runs.iter().map(|r| &r[..]).collect();
        assert_eq!(
            texts,
            [
                &b"{\"a\":1}\n{\"b\":2}\n"[..],
                b"{\"c\":3}\n",
                b"{\"d\":4}\n"
            ]
        );
        assert_eq!(runs[0].as_ptr(), first.as_ptr(), "the first chunk's bytes");
        assert_eq!(
            runs[2].as_ptr(),
            second[4..].as_ptr(),
            "the second chunk's bytes"
        );
    }
}
