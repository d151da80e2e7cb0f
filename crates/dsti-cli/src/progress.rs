//! The progress bar of `dsti validate --format text` on a terminal: a reader that moves an
//! indicatif bar by the bytes read.

use std::io::{self, Read};

/// A reader that moves a progress bar by the bytes read.
pub(crate) struct Progress<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: Read> Progress<R> {
    /// A bar over `len` bytes in front of `inner`.
    pub(crate) fn new(inner: R, len: u64) -> Self {
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Progress { inner, bar }
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
