//! The bridge between Python values and the library's JSON: a record given as `dict`, `str` or
//! `bytes` becomes the bytes the library reads, and what the library writes as JSON becomes
//! plain Python dicts and lists through Python's own `json.loads`, so that a verdict is exactly
//! the CLI's JSON line, key order included.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use dsti::validate::{Lang, Profile};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};

use crate::ProfileError;

/// Python's `json.loads` of `bytes`.
pub(crate) fn loads<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS
        .import(py, "json", "loads")?
        .call1((PyBytes::new(py, bytes),))
}

/// A value the library serializes, as Python objects (the same JSON the CLI writes).
pub(crate) fn to_py<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| PyValueError::new_err(format!("cannot write JSON: {e}")))?;
    loads(py, &bytes)
}

/// `json.dumps` of a dict, compact, UTF-8, with no `NaN` (not JSON).
fn dumps(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    kwargs.set_item("separators", (",", ":"))?;
    let text = DUMPS
        .import(py, "json", "dumps")?
        .call((value,), Some(&kwargs))?;
    let text = text.cast::<PyString>()?;
    Ok(encode_str(text)?.into_owned())
}

/// The UTF-8 bytes of a `str`. A lone surrogate (which no UTF-8 text can hold) is written as
/// its three bytes, so that the validator reports `json.encoding` as it does for a file.
fn encode_str<'a>(text: &'a Bound<'_, PyString>) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    match text.to_cow() {
        Ok(std::borrow::Cow::Borrowed(s)) => Ok(std::borrow::Cow::Borrowed(s.as_bytes())),
        Ok(std::borrow::Cow::Owned(s)) => Ok(std::borrow::Cow::Owned(s.into_bytes())),
        Err(_) => {
            let bytes = text.call_method1("encode", ("utf-8", "surrogatepass"))?;
            Ok(std::borrow::Cow::Owned(
                bytes.cast::<PyBytes>()?.as_bytes().to_vec(),
            ))
        }
    }
}

/// One record as the bytes of its JSON: a `dict` is written with `json.dumps`, a `str` is
/// encoded as UTF-8, `bytes` and `bytearray` are taken as they are.
pub(crate) fn record_bytes(py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = record.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(bytes) = record.cast::<PyByteArray>() {
        return Ok(bytes.to_vec());
    }
    if let Ok(text) = record.cast::<PyString>() {
        return Ok(encode_str(text)?.into_owned());
    }
    if record.cast::<PyDict>().is_ok() {
        return dumps(py, record);
    }
    Err(PyTypeError::new_err(format!(
        "a record is a dict, a str or bytes of JSON, not {}",
        record.get_type().name()?
    )))
}

/// One record as a JSON value (for migration, which works on values).
pub(crate) fn record_value(
    py: Python<'_>,
    record: &Bound<'_, PyAny>,
) -> PyResult<serde_json::Value> {
    let bytes = record_bytes(py, record)?;
    // serde_json's messages give a line and column, never the text itself.
    serde_json::from_slice(&bytes)
        .map_err(|e| PyValueError::new_err(format!("the record is not JSON: {e}")))
}

/// `"en"` or `"zh"`.
pub(crate) fn lang(name: &str) -> PyResult<Lang> {
    match name {
        "en" => Ok(Lang::En),
        "zh" => Ok(Lang::Zh),
        other => Err(PyValueError::new_err(format!(
            "lang must be \"en\" or \"zh\", not {other:?}"
        ))),
    }
}

/// The name of a language.
pub(crate) fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        _ => "en",
    }
}

/// "Now": an RFC 3339 `str` with an offset, or a `datetime` that has a time zone.
pub(crate) fn now(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<DateTime<FixedOffset>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let text: String = if let Ok(text) = value.cast::<PyString>() {
        text.to_cow()?.into_owned()
    } else {
        static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let datetime = DATETIME.import(py, "datetime", "datetime")?;
        if !value.is_instance(datetime)? {
            return Err(PyTypeError::new_err(
                "now is a datetime with a time zone or an RFC 3339 str",
            ));
        }
        if value.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "now needs a time zone (a naive datetime is ambiguous)",
            ));
        }
        value.call_method0("isoformat")?.extract()?
    };
    DateTime::parse_from_rfc3339(&text).map(Some).map_err(|_| {
        PyValueError::new_err(format!(
            "now: {text:?} is not an RFC 3339 time with an offset"
        ))
    })
}

/// A profile: `None` for the default one, a path (`str` or `os.PathLike`) to its JSON file, or
/// a `dict`. Whatever is wrong with it raises `ProfileError`.
pub(crate) fn profile(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Profile> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Profile::default());
    };
    if value.cast::<PyDict>().is_ok() {
        let bytes = dumps(py, value).map_err(|e| ProfileError::new_err(e.to_string()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ProfileError::new_err("invalid profile: not UTF-8"))?;
        return Profile::from_json(&text).map_err(|e| ProfileError::new_err(e.to_string()));
    }
    let path: PathBuf = value.extract().map_err(|_| {
        PyTypeError::new_err("profile is a path (str or os.PathLike) to a JSON file, or a dict")
    })?;
    py.detach(|| Profile::load(&path))
        .map_err(|e| ProfileError::new_err(format!("{}: {e}", path.display())))
}
