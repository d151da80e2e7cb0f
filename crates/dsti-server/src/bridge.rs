//! The bridge between async HTTP bodies and the library's synchronous, streaming validator.
//!
//! A task ([`pump`]) reads the request body frame by frame into a channel bounded in bytes:
//! one upload alone reads up to [`READ_AHEAD_MOST`] ahead of its validator, so that the
//! validator's threads never wait for the network; many share [`READ_AHEAD_POOL`] bytes, each
//! sure of one frame, so that memory stays flat under load. The validator takes the frames
//! from that channel as they came ([`ChannelChunks`], limited and counted by
//! [`LimitedChunks`]: NDJSON is judged where the frames lie), or reads them through
//! [`ChannelReader`] (a [`Read`]), decompressed and counted by [`Limited`] (gzip, JSON
//! documents, migration); it writes its lines through [`ChannelWriter`]
//! into another bounded channel that is the response body. Memory per upload is a few
//! buffers, whatever its size. A client that goes away closes the response channel: the next
//! write fails and the work stops.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use bytes::Bytes;
use http_body_util::BodyExt;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// The unit of the read-ahead budgets, in bytes.
const BUDGET_UNIT: usize = 1 << 10;
/// Bytes of request body read ahead of the validators, all uploads together (beyond the one
/// frame each upload may always have).
pub(crate) const READ_AHEAD_POOL: usize = 4 << 20;
/// The most one upload reads ahead of its validator (about 7 ms of its validator's work at
/// full speed on two cores, enough to ride out a scheduling delay).
pub(crate) const READ_AHEAD_MOST: usize = 2 << 20;

/// The service's shared read-ahead budget.
pub(crate) fn read_ahead_pool() -> Arc<Semaphore> {
    Arc::new(Semaphore::new(READ_AHEAD_POOL / BUDGET_UNIT))
}
/// Chunks of the answer in flight between the validator and the client.
const OUT_CHUNKS: usize = 2;
/// Answer bytes collected before they are sent. Each chunk is one write to the socket and one
/// wake-up of the connection's thread: a fast upload's 23 MB answer goes out in 180 chunks (720
/// at 32 KB). With two in flight, an upload's answer holds at most 256 KB besides its buffer.
const OUT_CHUNK_BYTES: usize = 128 << 10;
/// The answer buffers' first capacity: they grow to a chunk only for an upload whose answer
/// comes fast enough to fill chunks (many slow uploads keep small buffers).
const OUT_FIRST_BYTES: usize = 1 << 10;
/// How many hand-overs (pieces of lines, or lines) go to the answer between two looks at the
/// clock.
const CLOCK_EVERY: u32 = 16;
/// Longest time a judged line waits in the buffer while more input is read.
const OUT_LATENCY: Duration = Duration::from_millis(50);

/// Why reading an upload stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// More bytes than the limit, after decompression.
    TooLarge(u64),
    /// The request took longer than the request timeout.
    Timeout,
    /// The body could not be read (bad gzip, a malformed chunk).
    Unreadable,
    /// The client closed or reset the connection before its body ended: no one is left to
    /// read an answer.
    Gone,
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cut::TooLarge(limit) => {
                write!(f, "the upload is larger than the limit of {limit} bytes")
            }
            Cut::Timeout => f.write_str("the upload took longer than the request timeout"),
            Cut::Unreadable => f.write_str("the request body could not be read"),
            Cut::Gone => f.write_str("the client went away before the body ended"),
        }
    }
}

impl std::error::Error for Cut {}

impl Cut {
    /// The code of the answer's last line.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Cut::TooLarge(_) => "upload.too-large",
            Cut::Timeout => "upload.timeout",
            Cut::Unreadable | Cut::Gone => "upload.unreadable",
        }
    }

    /// The cut an I/O error of the reading side stands for.
    pub(crate) fn of(error: &io::Error) -> Cut {
        match error.get_ref().and_then(|e| e.downcast_ref::<Cut>()) {
            Some(cut) => *cut,
            None => Cut::Unreadable,
        }
    }

    fn into_io(self) -> io::Error {
        io::Error::other(self)
    }
}

/// Whether a body error means the connection ended under it (closed mid-body, reset), as
/// opposed to a body that arrived but cannot be read.
fn connection_ended(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(e) = e.downcast_ref::<hyper::Error>() {
            if e.is_incomplete_message() || e.is_closed() || e.is_canceled() {
                return true;
            }
        }
        if let Some(e) = e.downcast_ref::<io::Error>() {
            if matches!(
                e.kind(),
                io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
            ) {
                return true;
            }
        }
        source = e.source();
    }
    false
}

/// A piece of the request body on its way to the validator, holding its share of the budgets
/// (its upload's and, unless it is the upload's only piece, the shared one) until it is read.
#[derive(Debug)]
pub(crate) struct Piece {
    bytes: Bytes,
    budget: Option<Budget>,
}

/// Read `body` into a channel until its end, an error, or `deadline`, with at most
/// [`READ_AHEAD_MOST`] bytes read but not yet taken by the validator, all but one frame of
/// them from the shared budget `pool`. Returns the
/// receiving end for [`ChannelReader`], and a signal that the body's first frame (or its end,
/// or an error) came: a client that sent `Expect: 100-continue` is told to go on when the body
/// is first asked for, which must come before the answer's head (otherwise the client waits
/// for a `100 Continue` that never comes, a second with curl).
pub(crate) fn pump(
    body: Body,
    deadline: Instant,
    pool: Arc<Semaphore>,
) -> (
    mpsc::UnboundedReceiver<io::Result<Piece>>,
    tokio::sync::oneshot::Receiver<()>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (started_tx, started) = tokio::sync::oneshot::channel();
    let units = READ_AHEAD_MOST / BUDGET_UNIT;
    let room = Arc::new(Semaphore::new(units));
    tokio::spawn(async move {
        let mut body = body;
        let mut started_tx = Some(started_tx);
        let deadline = tokio::time::Instant::from_std(deadline);
        loop {
            let frame = tokio::time::timeout_at(deadline, body.frame()).await;
            if let Some(started) = started_tx.take() {
                let _ = started.send(());
            }
            let frame = match frame {
                Err(_) => Err(Cut::Timeout.into_io()),
                Ok(None) => return,
                Ok(Some(Err(e))) if connection_ended(&e) => Err(Cut::Gone.into_io()),
                Ok(Some(Err(_))) => Err(Cut::Unreadable.into_io()),
                Ok(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) if data.is_empty() => continue,
                    Ok(data) => Ok(data),
                    Err(_) => continue, // trailers
                },
            };
            let piece = match frame {
                Ok(bytes) => {
                    // Wait for room: the validator has not yet taken enough of what was read.
                    let want = bytes.len().div_ceil(BUDGET_UNIT).clamp(1, units) as u32;
                    let room = room.clone();
                    let pool = pool.clone();
                    let permit = async move {
                        let own = room.clone().acquire_many_owned(want).await.ok()?;
                        // A share of the pool; or none, once nothing else of this upload is in
                        // flight (all the rest of its own budget is free): one frame each is
                        // always allowed, so no upload waits on others' slow clients.
                        let rest = (units as u32).saturating_sub(want);
                        let shared = tokio::select! {
                            biased;
                            shared = pool.acquire_many_owned(want) => Some(shared.ok()?),
                            alone = room.acquire_many(rest) => {
                                drop(alone.ok()?);
                                None
                            }
                        };
                        Some((own, shared))
                    };
                    let permit = tokio::select! {
                        permit = permit => permit,
                        () = tokio::time::sleep_until(deadline) => {
                            // The validator is slower than the deadline: it reads the cut next.
                            let _ = tx.send(Err(Cut::Timeout.into_io()));
                            return;
                        }
                    };
                    Ok(Piece {
                        bytes,
                        budget: permit,
                    })
                }
                Err(e) => Err(e),
            };
            let stop = piece.is_err();
            if tx.send(piece).is_err() {
                // The validator stopped before the body's end: its answer is cut (too large)
                // or finished. Read on and drop what the client still sends, for a while:
                // closing the connection on an unread body resets it, and the client may then
                // lose the answer's last lines, its `error` line first, before reading them.
                let until = deadline.min(tokio::time::Instant::now() + LINGER);
                discard(body, LINGER_BYTES, until).await;
                return;
            }
            if stop {
                return;
            }
        }
    });
    (rx, started)
}

/// The most of a body read and dropped after its validator stopped, in bytes and in time (as a
/// web server's lingering close: enough for a client sending the rest of a small upload, not
/// a hold on a connection that sends on and on).
const LINGER_BYTES: usize = 1 << 20;
/// See [`LINGER_BYTES`].
const LINGER: Duration = Duration::from_secs(2);

/// Read `body` on and drop it, until its end, an error, `bytes` bytes or `until`, whichever
/// comes first.
pub(crate) async fn discard(body: Body, bytes: usize, until: tokio::time::Instant) {
    let mut body = body;
    let mut left = bytes;
    while left > 0 {
        match tokio::time::timeout_at(until, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    left = left.saturating_sub(data.len());
                }
            }
            _ => return,
        }
    }
}

/// The answer's buffer and channel, shared by the writer and the reader (which sends what is
/// buffered before it waits for more input, so that verdicts do not wait for the next bytes).
#[derive(Debug)]
pub(crate) struct Outbox {
    buf: Vec<u8>,
    tx: mpsc::Sender<io::Result<Bytes>>,
    last: Instant,
    /// Lines handed over since the clock was last read.
    unclocked: u32,
    closed: bool,
}

/// A shared [`Outbox`].
pub(crate) type SharedOutbox = Arc<Mutex<Outbox>>;

/// A new answer channel: the outbox for the validator's thread, the receiver for the body.
pub(crate) fn outbox() -> (SharedOutbox, mpsc::Receiver<io::Result<Bytes>>) {
    let (tx, rx) = mpsc::channel(OUT_CHUNKS);
    let outbox = Outbox {
        buf: Vec::with_capacity(OUT_FIRST_BYTES),
        tx,
        last: Instant::now(),
        unclocked: 0,
        closed: false,
    };
    (Arc::new(Mutex::new(outbox)), rx)
}

impl Outbox {
    /// Send what is buffered as one chunk. A full chunk moves as it is; a short one (sent for
    /// latency) is copied to its size, so that a chunk in flight holds no spare capacity.
    fn send(&mut self) -> io::Result<()> {
        self.last = Instant::now();
        if self.buf.is_empty() {
            return Ok(());
        }
        if self.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let chunk = self.take();
        if self.tx.blocking_send(Ok(chunk)).is_err() {
            self.closed = true;
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
    }

    /// Send what is buffered if the channel has room now; otherwise keep it (the client has
    /// answers waiting to be read anyway).
    fn send_if_room(&mut self) -> io::Result<()> {
        if self.buf.is_empty() || self.closed {
            return Ok(());
        }
        if self.tx.capacity() == 0 {
            return Ok(());
        }
        self.last = Instant::now();
        let chunk = self.take();
        match self.tx.try_send(Ok(chunk)) {
            Ok(()) => Ok(()),
            // Only this outbox sends, under its lock: room seen is room had. Keep it anyway.
            Err(mpsc::error::TrySendError::Full(chunk)) => {
                if let Ok(chunk) = chunk {
                    self.buf.extend_from_slice(&chunk);
                }
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.closed = true;
                Err(io::ErrorKind::BrokenPipe.into())
            }
        }
    }

    fn take(&mut self) -> Bytes {
        if self.buf.len() >= OUT_CHUNK_BYTES / 2 {
            Bytes::from(std::mem::replace(
                &mut self.buf,
                Vec::with_capacity(OUT_CHUNK_BYTES),
            ))
        } else {
            let chunk = Bytes::copy_from_slice(&self.buf);
            self.buf.clear();
            chunk
        }
    }
}

fn lock(outbox: &SharedOutbox) -> io::Result<std::sync::MutexGuard<'_, Outbox>> {
    outbox
        .lock()
        .map_err(|_| io::Error::other("the answer's buffer is poisoned"))
}

/// Whether the client is gone (the answer's channel is closed).
fn client_gone(outbox: &SharedOutbox) -> bool {
    lock(outbox).map_or(true, |o| o.closed || o.tx.is_closed())
}

/// The validator's side of the answer. Writes land in a buffer of the validator's thread
/// (clones share it), without a lock; [`ChannelWriter::publish`], called once per judged piece
/// (uploads) or record (migrations), hands them to the shared [`Outbox`], which sends them in
/// chunks.
#[derive(Debug, Clone)]
pub(crate) struct ChannelWriter {
    outbox: SharedOutbox,
    local: Rc<RefCell<Vec<u8>>>,
}

impl ChannelWriter {
    pub(crate) fn new(outbox: SharedOutbox) -> Self {
        ChannelWriter {
            outbox,
            local: Rc::new(RefCell::new(Vec::with_capacity(OUT_FIRST_BYTES))),
        }
    }

    /// Whether the client is gone.
    pub(crate) fn gone(&self) -> bool {
        client_gone(&self.outbox)
    }

    fn local(&self) -> io::Result<std::cell::RefMut<'_, Vec<u8>>> {
        self.local
            .try_borrow_mut()
            .map_err(|_| io::Error::other("the answer's buffer is in use"))
    }

    /// Hand what was written to the answer: sent now when `force`, when a chunk is full, or
    /// when the oldest unsent line has waited long enough.
    pub(crate) fn publish(&self, force: bool) -> io::Result<()> {
        let mut local = self.local()?;
        if local.is_empty() && !force {
            return Ok(());
        }
        let mut outbox = lock(&self.outbox)?;
        if outbox.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if outbox.buf.is_empty() {
            std::mem::swap(&mut outbox.buf, &mut *local);
        } else {
            outbox.buf.extend_from_slice(&local);
            local.clear();
        }
        // The clock is read every few lines only (a line waits a few lines' time more): a
        // reader short of input sends what is buffered before it waits anyway.
        outbox.unclocked += 1;
        let due = outbox.unclocked >= CLOCK_EVERY && {
            outbox.unclocked = 0;
            outbox.last.elapsed() >= OUT_LATENCY
        };
        if force || due || outbox.buf.len() >= OUT_CHUNK_BYTES {
            outbox.send()?;
        }
        Ok(())
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.local()?.extend_from_slice(data);
        Ok(data.len())
    }

    /// One append (the report writer makes a dozen small writes a line; the provided method
    /// would loop over [`Write::write`] for each).
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.local()?.extend_from_slice(data);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.publish(true)
    }
}

/// The upload's own budget of pieces already read, given back in one go once
/// [`GIVE_BACK_BYTES`] of them add up (or before the reader waits): the pump then reads several
/// frames per wake-up instead of one (waking the pump, and the connection under it, costs more
/// than copying a frame). The shared budget goes back at once, for the other uploads.
#[derive(Debug, Default)]
struct Spent {
    own: Option<OwnedSemaphorePermit>,
    bytes: usize,
}

/// Bytes of read pieces whose own budget is given back at once.
const GIVE_BACK_BYTES: usize = READ_AHEAD_MOST / 4;

impl Spent {
    fn add(&mut self, budget: Option<Budget>, bytes: usize) {
        let Some((own, shared)) = budget else { return };
        drop(shared);
        match &mut self.own {
            Some(held) => held.merge(own),
            None => self.own = Some(own),
        }
        self.bytes += bytes;
        if self.bytes >= GIVE_BACK_BYTES {
            self.give_back();
        }
    }

    fn give_back(&mut self) {
        self.own = None;
        self.bytes = 0;
    }
}

/// A piece's share of the budgets: its upload's, and the shared one's unless it is alone.
type Budget = (OwnedSemaphorePermit, Option<OwnedSemaphorePermit>);

/// The validator's side of the request body, piece by piece as it came. The budgets of a
/// piece go back (in batches) once the next one is asked for; before it waits for more, what
/// was judged is sent (without waiting for the client).
#[derive(Debug)]
pub(crate) struct ChannelChunks {
    rx: mpsc::UnboundedReceiver<io::Result<Piece>>,
    /// The budgets the piece handed out last holds.
    held: Option<Budget>,
    /// The size of that piece.
    held_bytes: usize,
    spent: Spent,
    outbox: SharedOutbox,
}

/// What [`ChannelChunks::pull`] found.
enum Pulled {
    Bytes(Bytes),
    Failed(io::Error),
    End,
    /// Nothing queued yet (when not asked to wait).
    NotYet,
}

impl ChannelChunks {
    pub(crate) fn new(
        rx: mpsc::UnboundedReceiver<io::Result<Piece>>,
        outbox: SharedOutbox,
    ) -> Self {
        ChannelChunks {
            rx,
            held: None,
            held_bytes: 0,
            spent: Spent::default(),
            outbox,
        }
    }

    /// The next piece, waiting for it if `wait`.
    fn pull(&mut self, wait: bool) -> Pulled {
        // The piece taken last gives its budget back (in batches): the pump may read on.
        self.spent.add(self.held.take(), self.held_bytes);
        self.held_bytes = 0;
        let next = match self.rx.try_recv() {
            Ok(next) => Some(next),
            Err(mpsc::error::TryRecvError::Disconnected) => None,
            Err(mpsc::error::TryRecvError::Empty) if !wait => return Pulled::NotYet,
            Err(mpsc::error::TryRecvError::Empty) => {
                // Nothing to take yet: give back every budget, send what was judged, wait.
                self.spent.give_back();
                if let Err(e) = lock(&self.outbox).and_then(|mut o| o.send_if_room()) {
                    return Pulled::Failed(e);
                }
                self.rx.blocking_recv()
            }
        };
        match next {
            None => Pulled::End,
            Some(Err(e)) => Pulled::Failed(e),
            Some(Ok(piece)) => {
                self.held_bytes = piece.bytes.len();
                self.held = piece.budget;
                Pulled::Bytes(piece.bytes)
            }
        }
    }
}

impl Iterator for ChannelChunks {
    type Item = io::Result<Bytes>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.pull(true) {
            Pulled::Bytes(bytes) => Some(Ok(bytes)),
            Pulled::Failed(e) => Some(Err(e)),
            Pulled::End | Pulled::NotYet => None,
        }
    }
}

/// The request body as a [`Read`]. A read takes as much as is queued (up to the caller's
/// buffer), so that the validator's reader makes one call per block, not per frame.
#[derive(Debug)]
pub(crate) struct ChannelReader {
    chunks: ChannelChunks,
    current: Bytes,
    /// An error that came after bytes already handed out: the next read returns it.
    failed: Option<io::Error>,
}

impl ChannelReader {
    pub(crate) fn new(chunks: ChannelChunks) -> Self {
        ChannelReader {
            chunks,
            current: Bytes::new(),
            failed: None,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut n = 0;
        while n < out.len() {
            if !self.current.is_empty() {
                let k = (out.len() - n).min(self.current.len());
                out[n..n + k].copy_from_slice(&self.current.split_to(k));
                n += k;
                continue;
            }
            match self.chunks.pull(n == 0) {
                Pulled::Bytes(bytes) => self.current = bytes,
                Pulled::End | Pulled::NotYet => break,
                Pulled::Failed(e) if n == 0 => return Err(e),
                Pulled::Failed(e) => {
                    self.failed = Some(e);
                    break;
                }
            }
        }
        Ok(n)
    }
}

/// Chunks that end with [`Cut::TooLarge`] once more than `limit` bytes came, counted into a
/// shared counter: what [`Limited`] over [`Counted`] does for a reader.
#[derive(Debug)]
pub(crate) struct LimitedChunks<I> {
    inner: I,
    read: u64,
    limit: u64,
    count: Arc<std::sync::atomic::AtomicU64>,
    cut: bool,
}

impl<I> LimitedChunks<I> {
    pub(crate) fn new(inner: I, limit: u64, count: Arc<std::sync::atomic::AtomicU64>) -> Self {
        LimitedChunks {
            inner,
            read: 0,
            limit,
            count,
            cut: false,
        }
    }
}

impl<I: Iterator<Item = io::Result<Bytes>>> Iterator for LimitedChunks<I> {
    type Item = io::Result<Bytes>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.cut {
            return None;
        }
        let too_large = || Some(Err(Cut::TooLarge(self.limit).into_io()));
        if self.read > self.limit {
            self.cut = true;
            return too_large();
        }
        let mut chunk = match self.inner.next()? {
            Ok(chunk) => chunk,
            Err(e) => return Some(Err(e)),
        };
        // As `Limited`: never more than one byte past the limit is taken, and the bytes
        // within it are handed out before the cut.
        let room = usize::try_from(self.limit - self.read)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        chunk.truncate(room);
        self.read += chunk.len() as u64;
        self.count
            .fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
        if self.read > self.limit {
            chunk.truncate(chunk.len().saturating_sub(1));
            if chunk.is_empty() {
                self.cut = true;
                return too_large();
            }
        }
        Some(Ok(chunk))
    }
}

/// A reader that fails with [`Cut::TooLarge`] once more than `limit` bytes were read from it.
#[derive(Debug)]
pub(crate) struct Limited<R> {
    inner: R,
    read: u64,
    limit: u64,
}

impl<R> Limited<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Limited {
            inner,
            read: 0,
            limit,
        }
    }

    /// Bytes read so far.
    #[cfg(test)]
    pub(crate) fn count(&self) -> u64 {
        self.read
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.read > self.limit {
            return Err(Cut::TooLarge(self.limit).into_io());
        }
        // Never more than one byte past the limit: a gzip bomb inflates no further, and the
        // bytes within the limit are handed out (their records judged) before the cut.
        let room = usize::try_from(self.limit - self.read)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let want = out.len().min(room);
        let n = self.inner.read(&mut out[..want])?;
        self.read += n as u64;
        if self.read > self.limit {
            let within = n.saturating_sub(1);
            return if within > 0 {
                Ok(within)
            } else {
                Err(Cut::TooLarge(self.limit).into_io())
            };
        }
        Ok(n)
    }
}

/// Counts the bytes read through it into a shared counter.
#[derive(Debug)]
pub(crate) struct Counted<R> {
    pub(crate) inner: R,
    pub(crate) count: Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// The answer's body: what the validator's thread sends, as it comes.
pub(crate) fn body_of(rx: mpsc::Receiver<io::Result<Bytes>>) -> Body {
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Body::from_stream(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body of `n` frames of 64 KiB.
    fn body_of_frames(n: usize) -> Body {
        let frames = (0..n).map(|_| Ok::<_, io::Error>(Bytes::from(vec![b' '; 64 << 10])));
        Body::from_stream(futures_util::stream::iter(frames))
    }

    /// Take what the pump has queued until it stops growing (at most ten seconds); the pieces
    /// are kept, so their budgets stay held.
    async fn drain(
        rx: &mut mpsc::UnboundedReceiver<io::Result<Piece>>,
        kept: &mut Vec<Piece>,
    ) -> usize {
        let mut bytes = 0;
        let mut quiet = 0;
        for _ in 0..1000 {
            match rx.try_recv() {
                Ok(Ok(piece)) => {
                    bytes += piece.bytes.len();
                    kept.push(piece);
                    quiet = 0;
                }
                _ => {
                    quiet += 1;
                    if quiet == 20 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
        bytes
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn read_ahead_is_bounded_and_every_upload_gets_a_frame() {
        let pool = read_ahead_pool();
        let deadline = Instant::now() + Duration::from_secs(60);
        let frame = 64 << 10;
        // Nobody reads: the first upload stops at its own bound, the second takes the rest of
        // the pool (beyond its own first frame), the third gets its one frame and no more.
        let mut kept = [Vec::new(), Vec::new(), Vec::new()];
        let mut uploads = Vec::new();
        let mut read = Vec::new();
        for kept in &mut kept {
            let (mut rx, started) = pump(body_of_frames(256), deadline, pool.clone());
            let _ = started.await;
            read.push(drain(&mut rx, kept).await);
            uploads.push(rx);
        }
        let (first, second, third) = (read[0], read[1], read[2]);
        assert_eq!(
            first, READ_AHEAD_MOST,
            "one upload reads ahead to its bound"
        );
        assert!(
            first + second <= READ_AHEAD_POOL + 2 * frame,
            "{first} + {second}"
        );
        assert!(
            second >= READ_AHEAD_POOL - READ_AHEAD_MOST - frame,
            "{second}"
        );
        assert_eq!(third, frame, "with the pool spent, one frame");
        assert_eq!(pool.available_permits(), 0);
        // The first upload ends (its validator took what it was given and its reader is
        // gone, so it reads no more): the others read on with what it held.
        drop(uploads.remove(0));
        kept[0].clear();
        let more = drain(&mut uploads[1], &mut kept[2]).await;
        assert!(more >= READ_AHEAD_MOST / 2, "{more}");
    }

    #[test]
    fn the_limit_counts_bytes_after_decompression() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![b' '; 1 << 20]).expect("gzip");
        let small = encoder.finish().expect("gzip");
        assert!(small.len() < 4096, "{}", small.len());
        let mut limited = Limited::new(flate2::read::MultiGzDecoder::new(&small[..]), 100_000);
        let mut sink = Vec::new();
        let error = limited.read_to_end(&mut sink).expect_err("over the limit");
        assert_eq!(Cut::of(&error), Cut::TooLarge(100_000));
        assert_eq!(
            sink.len(),
            100_000,
            "what is within the limit is handed out first"
        );
        assert!(
            limited.count() < 200_000,
            "stopped early: {}",
            limited.count()
        );
    }

    #[test]
    fn chunks_are_cut_at_the_limit_as_a_reader_is() {
        let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
        for (sizes, limit) in [
            (vec![40, 40, 40], 100),
            (vec![100, 5], 100),
            (vec![101], 100),
        ] {
            count.store(0, std::sync::atomic::Ordering::Relaxed);
            let chunks = sizes.iter().map(|&n| Ok(Bytes::from(vec![b'x'; n])));
            let limited: Vec<_> = LimitedChunks::new(chunks, limit, count.clone()).collect();
            let (last, within) = limited.split_last().expect("chunks");
            let within: usize = within
                .iter()
                .map(|c| c.as_ref().expect("bytes").len())
                .sum();
            assert_eq!(
                within as u64, limit,
                "{sizes:?}: the bytes within the limit first"
            );
            let error = last.as_ref().expect_err("then the cut");
            assert_eq!(Cut::of(error), Cut::TooLarge(limit));
            let counted = count.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(
                counted,
                limit + 1,
                "{sizes:?}: one byte past the limit is read"
            );
        }
        let under = [Ok(Bytes::from_static(b"abc"))].into_iter();
        let all: Vec<_> = LimitedChunks::new(under, 3, count).collect();
        assert_eq!(all.len(), 1, "at the limit exactly, no cut");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_takes_every_queued_piece_then_the_error_after_them() {
        let pool = read_ahead_pool();
        let all = pool.available_permits();
        let frames = (0..40u8).map(|i| Ok::<_, io::Error>(Bytes::from(vec![i; 10 << 10])));
        let failing = futures_util::stream::iter([Err(io::Error::other("a broken body"))]);
        let body = Body::from_stream(futures_util::StreamExt::chain(
            futures_util::stream::iter(frames),
            failing,
        ));
        let deadline = Instant::now() + Duration::from_secs(60);
        let (rx, started) = pump(body, deadline, pool.clone());
        let _ = started.await;
        // Wait until the pump queued all 40 frames (each holds its share of the pool).
        for _ in 0..1000 {
            if pool.available_permits() == all - 400 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(pool.available_permits(), all - 400);
        let (outbox, _answer) = outbox();
        let mut reader = ChannelReader::new(ChannelChunks::new(rx, outbox));
        let (first, second) = tokio::task::spawn_blocking(move || {
            let mut buf = vec![0u8; 1 << 20];
            let first = reader.read(&mut buf).map(|n| buf[..n].to_vec());
            let second = reader.read(&mut buf);
            (first, second)
        })
        .await
        .expect("reader");
        let first = first.expect("the queued bytes");
        assert_eq!(first.len(), 400 << 10, "one read takes every queued piece");
        assert!(first
            .chunks(10 << 10)
            .enumerate()
            .all(|(i, c)| c.iter().all(|&b| usize::from(b) == i)));
        let error = second.expect_err("the error comes after the bytes before it");
        assert_eq!(Cut::of(&error), Cut::Unreadable);
        assert_eq!(pool.available_permits(), all, "the shared budget came back");
    }
}
