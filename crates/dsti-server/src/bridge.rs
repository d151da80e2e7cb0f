//! The bridge between async HTTP bodies and the library's synchronous, streaming validator.
//!
//! A task ([`pump`]) reads the request body frame by frame into a small bounded channel; the
//! validator's thread reads that channel through [`ChannelReader`] (a [`Read`]), decompressed
//! and counted by [`Limited`]; it writes its lines through [`ChannelWriter`] into another
//! bounded channel that is the response body. Memory per upload is a few buffers, whatever its
//! size. A client that goes away closes the response channel: the next write fails and the
//! work stops.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use bytes::Bytes;
use http_body_util::BodyExt;
use tokio::sync::mpsc;

/// Frames of the request body in flight between the body task and the validator.
const IN_FRAMES: usize = 2;
/// Chunks of the answer in flight between the validator and the client.
const OUT_CHUNKS: usize = 4;
/// Answer bytes collected before they are sent.
const OUT_CHUNK_BYTES: usize = 32 << 10;
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

/// Read `body` into a channel until its end, an error, or `deadline`. Returns the receiving
/// end for [`ChannelReader`].
pub(crate) fn pump(body: Body, deadline: Instant) -> mpsc::Receiver<io::Result<Bytes>> {
    let (tx, rx) = mpsc::channel(IN_FRAMES);
    tokio::spawn(async move {
        let mut body = body;
        let deadline = tokio::time::Instant::from_std(deadline);
        loop {
            let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
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
            let stop = frame.is_err();
            let sent = tokio::select! {
                sent = tx.send(frame) => sent.is_ok(),
                () = tokio::time::sleep_until(deadline) => {
                    // The validator is slower than the deadline: it reads the cut next.
                    let _ = tx.try_send(Err(Cut::Timeout.into_io()));
                    false
                }
            };
            if stop || !sent {
                return;
            }
        }
    });
    rx
}

/// The answer's buffer and channel, shared by the writer and the reader (which sends what is
/// buffered before it waits for more input, so that verdicts do not wait for the next bytes).
#[derive(Debug)]
pub(crate) struct Outbox {
    buf: Vec<u8>,
    tx: mpsc::Sender<io::Result<Bytes>>,
    last: Instant,
    closed: bool,
}

/// A shared [`Outbox`].
pub(crate) type SharedOutbox = Arc<Mutex<Outbox>>;

/// A new answer channel: the outbox for the validator's thread, the receiver for the body.
pub(crate) fn outbox() -> (SharedOutbox, mpsc::Receiver<io::Result<Bytes>>) {
    let (tx, rx) = mpsc::channel(OUT_CHUNKS);
    let outbox = Outbox {
        buf: Vec::with_capacity(OUT_CHUNK_BYTES),
        tx,
        last: Instant::now(),
        closed: false,
    };
    (Arc::new(Mutex::new(outbox)), rx)
}

impl Outbox {
    fn send(&mut self) -> io::Result<()> {
        self.last = Instant::now();
        if self.buf.is_empty() {
            return Ok(());
        }
        if self.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(OUT_CHUNK_BYTES),
        ));
        if self.tx.blocking_send(Ok(chunk)).is_err() {
            self.closed = true;
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
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
/// (clones share it), without a lock; [`ChannelWriter::publish`], called once per judged
/// record, hands them to the shared [`Outbox`], which sends them in chunks.
#[derive(Debug, Clone)]
pub(crate) struct ChannelWriter {
    outbox: SharedOutbox,
    local: Rc<RefCell<Vec<u8>>>,
}

impl ChannelWriter {
    pub(crate) fn new(outbox: SharedOutbox) -> Self {
        ChannelWriter {
            outbox,
            local: Rc::new(RefCell::new(Vec::with_capacity(OUT_CHUNK_BYTES))),
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
        if force || outbox.buf.len() >= OUT_CHUNK_BYTES || outbox.last.elapsed() >= OUT_LATENCY {
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

    fn flush(&mut self) -> io::Result<()> {
        self.publish(true)
    }
}

/// The validator's side of the request body.
#[derive(Debug)]
pub(crate) struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
    outbox: SharedOutbox,
}

impl ChannelReader {
    pub(crate) fn new(rx: mpsc::Receiver<io::Result<Bytes>>, outbox: SharedOutbox) -> Self {
        ChannelReader {
            rx,
            current: Bytes::new(),
            outbox,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            let next = match self.rx.try_recv() {
                Ok(next) => Some(next),
                Err(mpsc::error::TryRecvError::Disconnected) => None,
                Err(mpsc::error::TryRecvError::Empty) => {
                    // Nothing to read yet: send what was judged, then wait.
                    lock(&self.outbox)?.send()?;
                    self.rx.blocking_recv()
                }
            };
            match next {
                None => return Ok(0),
                Some(Err(e)) => return Err(e),
                Some(Ok(bytes)) => self.current = bytes,
            }
        }
        let n = out.len().min(self.current.len());
        out[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
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
        let n = self.inner.read(out)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(Cut::TooLarge(self.limit).into_io());
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
        assert!(
            limited.count() < 200_000,
            "stopped early: {}",
            limited.count()
        );
    }
}
