//! Reading a Python binary file object from Rust: `std::io::Read` over its `read` method, so
//! that the library streams it as it streams a file. Each read takes the interpreter for the
//! call and lets it go again; an exception of `read` is kept and raised to the caller as it was.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};

/// The exception a file object raised, kept until the iteration can raise it.
pub(crate) type Failure = Arc<Mutex<Option<PyErr>>>;

/// `Read` over a Python object with a `read(n)` method that returns `bytes`.
pub(crate) struct PyReader {
    file: Py<PyAny>,
    failure: Failure,
}

impl PyReader {
    /// A reader of `file`; an exception of its `read` goes to `failure`.
    pub(crate) fn new(file: Py<PyAny>, failure: Failure) -> Self {
        PyReader { file, failure }
    }

    fn fail(&self, err: PyErr) -> io::Error {
        if let Ok(mut slot) = self.failure.lock() {
            *slot = Some(err);
        }
        io::Error::other("the file object's read() failed")
    }
}

impl Read for PyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        Python::attach(|py| {
            let data = match self.file.bind(py).call_method1("read", (buf.len(),)) {
                Ok(data) => data,
                Err(err) => return Err(self.fail(err)),
            };
            let copy = |bytes: &[u8], buf: &mut [u8]| {
                // A read(n) that returns more than n bytes breaks its contract; refuse it
                // rather than lose bytes.
                if bytes.len() > buf.len() {
                    return None;
                }
                buf[..bytes.len()].copy_from_slice(bytes);
                Some(bytes.len())
            };
            let n = if let Ok(bytes) = data.cast::<PyBytes>() {
                copy(bytes.as_bytes(), buf)
            } else if let Ok(bytes) = data.cast::<PyByteArray>() {
                copy(&bytes.to_vec(), buf)
            } else {
                return Err(self.fail(PyTypeError::new_err(
                    "the file object's read() must return bytes: open the file in binary mode ('rb')",
                )));
            };
            n.ok_or_else(|| {
                self.fail(PyTypeError::new_err(
                    "the file object's read(n) returned more than n bytes",
                ))
            })
        })
    }
}
