//! `dsti.Validator` and the iterator of verdicts that `Validator.validate_file` returns.
//!
//! A file is validated in chunks with the interpreter let go: the library judges records and its
//! own report writer (`dsti::report::ReportWriter`, NDJSON) writes their lines into a buffer;
//! then, holding the interpreter again, the complete lines of the chunk become Python dicts
//! with one `json.loads`. So every dict is the CLI's line for the same record, and other
//! Python threads run while a file is validated.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use dsti::report::{Format, ReportWriter};
use dsti::validate::{Event, InputFormat, Limits, Options, Validator};
use dsti::Code;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert;
use crate::reader::{Failure, PyReader};
use crate::InputError;

/// Validates DSTI records: one at a time (`validate`) or a whole upload file, streaming
/// (`validate_file`), with a profile, a "now" and a language of messages.
#[pyclass(module = "dsti", name = "Validator", frozen)]
pub(crate) struct PyValidator {
    inner: Validator,
    /// The summary of the last file validated to its end.
    summary: Mutex<Option<Py<PyAny>>>,
}

#[pymethods]
impl PyValidator {
    /// A validator. `profile`: `None` (the default profile), a path to a profile's JSON file,
    /// or a dict; `now`: "now" for the rules that compare with it (an RFC 3339 str or an aware
    /// datetime; the clock when `None`); `lang`: `"en"` or `"zh"`, the language of messages.
    /// The limits are those of `dsti validate`.
    #[new]
    #[pyo3(signature = (profile=None, now=None, lang="en", *, max_record_bytes=None, max_depth=None, max_string_bytes=None))]
    fn new(
        py: Python<'_>,
        profile: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        lang: &str,
        max_record_bytes: Option<usize>,
        max_depth: Option<usize>,
        max_string_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let mut options = Options::default()
            .profile(convert::profile(py, profile)?)
            .lang(convert::lang(lang)?);
        if let Some(now) = convert::now(py, now)? {
            options = options.now(now);
        }
        let mut limits = Limits::default();
        if let Some(n) = max_record_bytes {
            limits.max_record_bytes = n;
        }
        if let Some(n) = max_depth {
            limits.max_depth = n;
        }
        if let Some(n) = max_string_bytes {
            limits.max_string_bytes = n;
        }
        Ok(PyValidator {
            inner: Validator::new(options.limits(limits)),
            summary: Mutex::new(None),
        })
    }

    /// Validate one record (a dict, or a str or bytes of JSON). Returns its verdict:
    /// `{"kind", "id", "valid", "issues": [...]}`, as in `dsti validate --format ndjson`.
    fn validate<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = convert::record_bytes(py, record)?;
        let verdict = py.detach(|| self.judge_one(&bytes));
        let dict = convert::to_py(py, &verdict)?;
        // A single record has no position in a file.
        let d = dict.cast::<PyDict>()?;
        d.del_item("index")?;
        d.del_item("line")?;
        Ok(dict)
    }

    /// Validate an upload: a path (str or os.PathLike) or a binary file object. Returns an
    /// iterator of verdicts, in input order, one per record: the lines of
    /// `dsti validate --format ndjson` as dicts (a batch envelope's as `{"envelope": {...}}`).
    /// The framing follows the file name (`.ndjson`/`.jsonl`, `.json`, else detected) unless
    /// `format` (`"ndjson"`, `"json"`, `"auto"`) says otherwise. `jobs` > 1 validates on that
    /// many threads; verdicts stay in order. `findings_only=True` leaves out the verdicts
    /// without any finding (the summary still counts them). After the last verdict, `summary`
    /// holds the summary (on the iterator and on this validator).
    #[pyo3(signature = (file, *, format=None, jobs=1, findings_only=false))]
    fn validate_file(
        slf: &Bound<'_, Self>,
        py: Python<'_>,
        file: &Bound<'_, PyAny>,
        format: Option<&str>,
        jobs: usize,
        findings_only: bool,
    ) -> PyResult<VerdictIter> {
        let this = slf.get();
        let failure: Failure = Arc::new(Mutex::new(None));
        let (reader, name): (Box<dyn Read + Send>, Option<PathBuf>) =
            if let Ok(path) = file.extract::<PathBuf>() {
                (Box::new(open(py, &path)?), Some(path))
            } else if file.hasattr("read")? {
                static TEXT_IO: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
                if file.is_instance(TEXT_IO.import(py, "io", "TextIOBase")?)? {
                    return Err(PyTypeError::new_err(
                        "validate_file reads bytes: open the file in binary mode ('rb')",
                    ));
                }
                let name = file
                    .getattr("name")
                    .ok()
                    .and_then(|n| n.extract::<PathBuf>().ok());
                let reader = PyReader::new(file.clone().unbind(), failure.clone());
                (Box::new(reader), name)
            } else {
                return Err(PyTypeError::new_err(
                    "validate_file takes a path (str or os.PathLike) or a binary file object",
                ));
            };
        let format = match format {
            None => name.as_deref().map_or(InputFormat::Auto, input_format),
            Some("ndjson") => InputFormat::Ndjson,
            Some("json") => InputFormat::Json,
            Some("auto") => InputFormat::Auto,
            Some(other) => {
                return Err(PyValueError::new_err(format!(
                    "format must be \"ndjson\", \"json\" or \"auto\", not {other:?}"
                )))
            }
        };
        if jobs == 0 {
            return Err(PyValueError::new_err("jobs must be at least 1"));
        }
        let events: Box<dyn Iterator<Item = io::Result<Event>> + Send> = if jobs > 1 {
            Box::new(this.inner.validate_reader_parallel(reader, format, jobs))
        } else {
            Box::new(this.inner.validate_reader(reader, format))
        };
        let sink = Sink::default();
        let report = ReportWriter::new(
            BufWriter::with_capacity(CHUNK_BYTES, sink.clone()),
            Format::Ndjson,
            this.inner.options().lang,
            &this.inner.options().profile.profile,
        )?;
        Ok(VerdictIter {
            validator: slf.clone().unbind(),
            running: Some(Mutex::new(Running {
                events,
                report: Some(report),
                sink,
                carry: Vec::new(),
                findings_only,
            })),
            failure,
            name: name.map(|p| p.display().to_string()),
            ready: VecDeque::new(),
            error: None,
            summary: None,
        })
    }

    /// The summary of the last file validated to its end (`None` before): the CLI's summary
    /// line, `{"total", "valid", "invalid", "warnings", "profile", "envelopesInvalid"}`.
    #[getter]
    fn summary(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.summary
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.clone_ref(py)))
    }

    /// The name of the profile in use.
    #[getter]
    fn profile(&self) -> String {
        self.inner.options().profile.profile.clone()
    }

    /// The language of messages, `"en"` or `"zh"`.
    #[getter]
    fn lang(&self) -> &'static str {
        convert::lang_name(self.inner.options().lang)
    }

    fn __repr__(&self) -> String {
        format!(
            "dsti.Validator(profile={:?}, lang={:?})",
            self.inner.options().profile.profile,
            self.lang()
        )
    }
}

impl PyValidator {
    /// The verdict on one record as `dsti validate` gives it for a `.json` file holding just
    /// that record. The two differ only where the CLI's framing judges the bytes before the
    /// validator does (size and depth limits, syntax), and then the verdict has a `json.*` or
    /// `record.limit` finding: only such a record goes through the framing (whose index of
    /// ids costs more than a record). Input that is not one record (an array, a batch) is
    /// judged as a whole.
    fn judge_one(&self, bytes: &[u8]) -> dsti::validate::Verdict {
        let verdict = self.inner.validate_bytes(bytes);
        let framing_matters = verdict
            .issues
            .iter()
            .any(|f| f.code == Code::RecordLimit || f.code.as_str().starts_with("json."));
        if framing_matters {
            let mut events = self.inner.validate_reader(bytes, InputFormat::Json);
            if let (Some(Ok(Event::Record(framed))), None) = (events.next(), events.next()) {
                return framed;
            }
        }
        verdict
    }
}

/// The framing of a file by its name, as `dsti validate` decides it.
fn input_format(path: &Path) -> InputFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ndjson" | "jsonl") => InputFormat::Ndjson,
        Some("json") => InputFormat::Json,
        _ => InputFormat::Auto,
    }
}

/// Open a file, or raise the `OSError` subclass Python raises for it, with its name.
fn open(py: Python<'_>, path: &Path) -> PyResult<File> {
    let os_error = |e: io::Error| {
        let shown = path.display().to_string();
        match e.raw_os_error() {
            Some(errno) => PyOSError::new_err((errno, e.to_string(), shown)),
            None => PyOSError::new_err(format!("{shown}: {e}")),
        }
    };
    let file = py.detach(|| File::open(path)).map_err(os_error)?;
    match file.metadata() {
        Ok(m) if m.is_dir() => Err(os_error(io::Error::from_raw_os_error(21))),
        _ => Ok(file),
    }
}

/// How many bytes of report lines a chunk gathers before they become dicts.
const CHUNK_BYTES: usize = 64 << 10;

/// Where the report writer's buffer goes when it is full; drained between chunks.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn len(&self) -> usize {
        self.0.lock().map_or(0, |b| b.len())
    }

    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("report buffer poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A file being validated.
struct Running {
    events: Box<dyn Iterator<Item = io::Result<Event>> + Send>,
    /// `None` once finished.
    report: Option<ReportWriter<BufWriter<Sink>>>,
    sink: Sink,
    /// The start of a line that the writer's buffer cut, until the rest of it comes.
    carry: Vec<u8>,
    /// Leave out the lines of verdicts without findings.
    findings_only: bool,
}

/// What one chunk gave: complete NDJSON lines, and whether the file ended (the last line is
/// then the summary) or failed.
struct Chunk {
    lines: Vec<u8>,
    end: End,
}

enum End {
    More,
    Done,
    Failed(io::Error),
}

impl Running {
    /// Judge records until a chunk of lines is ready or the input ends. Runs without the
    /// interpreter.
    fn chunk(&mut self) -> Chunk {
        let end = loop {
            let Some(report) = self.report.as_mut() else {
                break End::Done;
            };
            match self.events.next() {
                Some(Ok(event)) => {
                    if let Err(e) = report.write_event(&event) {
                        break End::Failed(e);
                    }
                    if self.sink.len() >= CHUNK_BYTES {
                        break End::More;
                    }
                }
                Some(Err(e)) => break End::Failed(e),
                None => break End::Done,
            }
        };
        let end = match end {
            End::More => End::More,
            // The summary line (written, then dropped on failure), and the lines still in the
            // writer's buffer.
            End::Done => match self.report.take().map(ReportWriter::finish) {
                Some(Err(e)) => End::Failed(e),
                _ => End::Done,
            },
            End::Failed(e) => {
                if let Some(report) = self.report.take() {
                    let _ = report.finish();
                }
                End::Failed(e)
            }
        };
        let carry = &mut self.carry;
        carry.extend_from_slice(&self.sink.take());
        let complete = match end {
            End::More => carry.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1),
            _ => carry.len(),
        };
        let rest = carry.split_off(complete);
        let mut lines = std::mem::replace(carry, rest);
        if self.findings_only {
            lines = without_clean_verdicts(&lines);
        }
        Chunk { lines, end }
    }
}

/// The lines of `lines` but those of verdicts without findings. A verdict's line ends with its
/// `issues`, so an empty list shows at the very end: `,"issues":[]}` for a record,
/// `,"issues":[]}}` for an envelope.
fn without_clean_verdicts(lines: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.len() / 4);
    for line in lines.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let clean = body.ends_with(br#","issues":[]}"#) || body.ends_with(br#","issues":[]}}"#);
        if !clean {
            out.extend_from_slice(line);
        }
    }
    out
}

/// NDJSON lines as one JSON array, for a single `json.loads`.
fn as_array(mut lines: Vec<u8>) -> Vec<u8> {
    if lines.last() == Some(&b'\n') {
        lines.pop();
    }
    for b in lines.iter_mut() {
        // A newline only ever ends a line: JSON escapes it inside strings.
        if *b == b'\n' {
            *b = b',';
        }
    }
    let mut out = Vec::with_capacity(lines.len() + 2);
    out.push(b'[');
    out.extend_from_slice(&lines);
    out.push(b']');
    out
}

/// The verdicts of one file, lazily and in input order (`Validator.validate_file`).
#[pyclass(module = "dsti", name = "VerdictIterator")]
pub(crate) struct VerdictIter {
    validator: Py<PyValidator>,
    /// `None` once the file is done; in a mutex since the class may be shared between threads.
    running: Option<Mutex<Running>>,
    failure: Failure,
    /// The file's name, for error messages.
    name: Option<String>,
    ready: VecDeque<Py<PyAny>>,
    /// An error to raise once the verdicts before it are out.
    error: Option<PyErr>,
    summary: Option<Py<PyAny>>,
}

#[pymethods]
impl VerdictIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            if let Some(verdict) = self.ready.pop_front() {
                return Ok(Some(verdict));
            }
            if let Some(err) = self.error.take() {
                return Err(err);
            }
            let Some(running) = self.running.take() else {
                return Ok(None);
            };
            let mut running = running
                .into_inner()
                .map_err(|_| PyValueError::new_err("a previous read of this file panicked"))?;
            let (running, lines, end) = py.detach(move || {
                let chunk = running.chunk();
                (running, as_array(chunk.lines), chunk.end)
            });
            let list = convert::loads(py, &lines)?;
            let list = list.cast::<PyList>()?;
            let mut items: Vec<Py<PyAny>> = list.iter().map(Bound::unbind).collect();
            match end {
                End::More => self.running = Some(Mutex::new(running)),
                End::Done => {
                    let summary = items
                        .pop()
                        .ok_or_else(|| PyValueError::new_err("the report has no summary"))?;
                    let summary = summary.bind(py).get_item("summary")?.unbind();
                    if let Ok(mut slot) = self.validator.get().summary.lock() {
                        *slot = Some(summary.clone_ref(py));
                    }
                    self.summary = Some(summary);
                }
                End::Failed(e) => {
                    // The summary of a file that could not be read to its end is no summary.
                    let last_is_summary = items
                        .last()
                        .is_some_and(|i| i.bind(py).contains("summary").unwrap_or(false));
                    if last_is_summary {
                        items.pop();
                    }
                    let from_python = self.failure.lock().ok().and_then(|mut f| f.take());
                    self.error = Some(from_python.unwrap_or_else(|| {
                        InputError::new_err(match &self.name {
                            Some(name) => format!("{name}: {e}"),
                            None => e.to_string(),
                        })
                    }));
                }
            }
            self.ready.extend(items);
        }
    }

    /// The summary once the file has been read to its end, else `None`.
    #[getter]
    fn summary(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.summary.as_ref().map(|s| s.clone_ref(py))
    }
}
