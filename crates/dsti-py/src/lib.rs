//! `dsti._dsti`, the extension module of the Python package `dsti`: the library's validator,
//! migrations, schemas, synthetic records and document digests for Python programs. Results
//! are plain dicts and lists, equal to the JSON the `dsti` command-line tool writes; the
//! package's `__init__.py` re-exports everything here, and its `.pyi` stubs give the types.
//! The README's "Python" section shows it in use.

mod convert;
mod reader;
mod validator;

use std::str::FromStr;

use dsti::ident::{CountryCode, DocumentNumber, DocumentType, IdDocument};
use dsti::privacy::{DigestAlgorithm, DigestKey};
use dsti::rules::RuleContext;
use dsti::{DocumentKind, Kind, Version};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

create_exception!(
    dsti,
    ProfileError,
    PyValueError,
    "A profile that cannot be used: unreadable, not JSON, an unknown key, a value of the wrong type or out of range."
);
create_exception!(
    dsti,
    MigrationRefused,
    PyValueError,
    "A record that cannot be migrated. `code` names the reason (e.g. \"invalid\"), `report` is the record's line of `dsti migrate --report-format ndjson`."
);
create_exception!(
    dsti,
    InputError,
    PyOSError,
    "An input that could not be read to its end (the verdicts before the failure were given)."
);

/// A version of the standard by its name (`"2.0"`).
fn version(name: &str) -> PyResult<Version> {
    Version::from_str(name).map_err(|_| {
        let known: Vec<&str> = Version::ALL.iter().map(|v| v.as_str()).collect();
        PyValueError::new_err(format!(
            "unknown version {name:?}: the standard has {}",
            known.join(", ")
        ))
    })
}

/// Migrate one record (a dict, or a str or bytes of JSON) to the version `to`. Returns
/// `(record, notes)`: the migrated record as a dict and what the migration assumed, mapped,
/// kept, dropped or derived (the `notes` of `dsti migrate --report-format ndjson`). A record
/// that cannot be migrated raises `MigrationRefused`.
#[pyfunction]
#[pyo3(signature = (record, to, *, profile=None, now=None, lang="en"))]
fn migrate<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    to: &str,
    profile: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
    lang: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let to = version(to)?;
    let profile = convert::profile(py, profile)?;
    let lang = convert::lang(lang)?;
    let ctx = match convert::now(py, now)? {
        Some(now) => RuleContext::new(profile, now, lang),
        None => RuleContext::at_clock(profile, lang),
    };
    let value = convert::record_value(py, record)?;
    let outcome = py.detach(|| dsti::migrate::migrate_in(&ctx, &value, to));
    let report = &outcome.report;
    match (&outcome.record, &report.outcome) {
        (Some(record), _) => {
            let record = py.detach(|| serde_json::to_vec(record));
            let record = record.map_err(|e| PyValueError::new_err(e.to_string()))?;
            let record = convert::loads(py, &record)?;
            let notes = convert::to_py(py, &report.notes)?;
            PyTuple::new(py, [record, notes])
        }
        (None, dsti::migrate::Outcome::Refused { reason }) => {
            let err = MigrationRefused::new_err(reason.message(lang));
            let value = err.value(py);
            value.setattr("code", reason.code())?;
            value.setattr("report", convert::to_py(py, report)?)?;
            Err(err)
        }
        (None, _) => Err(MigrationRefused::new_err("the record was not migrated")),
    }
}

/// The JSON Schema of `kind` (a record kind or `"batch"`) in `version`, as a dict: the
/// schema `dsti schema` writes (and `schemas/<version>/<kind>.json` holds).
#[pyfunction]
#[pyo3(signature = (kind, version="2.0", *, base_uri=dsti::schema::DEFAULT_BASE_URI))]
fn schema<'py>(
    py: Python<'py>,
    kind: &str,
    version: &str,
    base_uri: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let v = self::version(version)?;
    let kinds = dsti::schema::kinds(v);
    let kind = DocumentKind::from_str(kind)
        .ok()
        .filter(|k| kinds.contains(k))
        .ok_or_else(|| {
            let known: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            PyValueError::new_err(format!(
                "version {version} has no kind {kind:?}: it has {}",
                known.join(", ")
            ))
        })?;
    let bytes = dsti::schema::to_file_bytes(&dsti::schema::generate(v, kind, base_uri));
    convert::loads(py, &bytes)
}

/// `count` valid synthetic records of `kind` (`None` or `"mixed"`: a realistic mix) in
/// `version`, the same for the same `seed`: the records of `dsti generate`, as dicts.
#[pyfunction]
#[pyo3(signature = (kind=None, count=10, seed=1, version="2.0"))]
fn generate<'py>(
    py: Python<'py>,
    kind: Option<&str>,
    count: u64,
    seed: u64,
    version: &str,
) -> PyResult<Bound<'py, PyList>> {
    let v = self::version(version)?;
    let kind = match kind {
        None | Some("mixed") => None,
        Some(name) => Some(Kind::from_str(name).map_err(|_| {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            PyValueError::new_err(format!(
                "unknown kind {name:?}: the kinds are {} (or \"mixed\")",
                known.join(", ")
            ))
        })?),
    };
    if let Some(kind) = kind.filter(|&k| !v.has(k)) {
        return Err(PyValueError::new_err(format!(
            "version {v} has no record kind {kind}"
        )));
    }
    let lines = py.detach(|| {
        let mut out = Vec::new();
        let written = match v {
            Version::V1_0 => Some(dsti::synth::v1::write_ndjson_v1(
                &mut out, kind, count, seed,
            )),
            Version::V2_0 => Some(dsti::synth::write_ndjson(&mut out, kind, count, seed)),
            Version::V2_1 => Some(dsti::synth::v2_1::write_ndjson(&mut out, kind, count, seed)),
            // A version added to the library without a generator here.
            _ => None,
        };
        written.map(|w| w.map(|()| out))
    });
    let lines = lines
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "there is no generator of version {version} records"
            ))
        })?
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut array = Vec::with_capacity(lines.len() + 2);
    array.push(b'[');
    for (i, line) in lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            array.push(b',');
        }
        array.extend_from_slice(line);
    }
    array.push(b']');
    Ok(convert::loads(py, &array)?.cast_into::<PyList>()?)
}

/// The keyed digest of an identity document (`"hmac-sm3:<hex>"`), which links a person's
/// records without the number: `doc_type` as on the wire (`"resident-id-card"`, …),
/// `number` the document number, `key` the exchange's secret key, `alg` `"hmac-sm3"` or
/// `"hmac-sha256"`. A passport needs `issuing_country`. An invalid number raises
/// `ValueError`; no message contains it.
#[pyfunction]
#[pyo3(signature = (doc_type, number, key, alg="hmac-sm3", *, issuing_country=None))]
fn document_digest(
    doc_type: &str,
    number: &str,
    key: &[u8],
    alg: &str,
    issuing_country: Option<&str>,
) -> PyResult<String> {
    let doc_type = DocumentType::from_str(doc_type).map_err(|_| {
        let known: Vec<&str> = DocumentType::ALL.iter().map(|t| t.as_str()).collect();
        PyValueError::new_err(format!(
            "unknown document type {doc_type:?}: the types are {}",
            known.join(", ")
        ))
    })?;
    let algorithm = match alg {
        "hmac-sm3" => DigestAlgorithm::HmacSm3,
        "hmac-sha256" => DigestAlgorithm::HmacSha256,
        other => {
            return Err(PyValueError::new_err(format!(
                "alg must be \"hmac-sm3\" or \"hmac-sha256\", not {other:?}"
            )))
        }
    };
    // An ident error names what and why, never the value.
    let ident = |e: dsti::ident::IdentError| {
        PyValueError::new_err(format!("{} ({}): {}", e.what(), e.code(), e.reason()))
    };
    let number = DocumentNumber::from_str(number).map_err(ident)?;
    let country = issuing_country
        .map(CountryCode::from_str)
        .transpose()
        .map_err(ident)?;
    let document = IdDocument::new(doc_type, number, country).map_err(ident)?;
    Ok(document
        .digest(&DigestKey::new(key), algorithm)
        .as_str()
        .to_owned())
}

#[pymodule]
mod _dsti {
    #[pymodule_export]
    use super::{
        document_digest, generate, migrate, schema, InputError, MigrationRefused, ProfileError,
    };

    #[pymodule_export]
    use super::validator::{PyValidator, VerdictIter};

    use super::{Kind, Version};
    use pyo3::prelude::*;
    use pyo3::types::PyTuple;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let py = m.py();
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add(
            "KINDS",
            PyTuple::new(py, Kind::ALL.iter().map(|k| k.as_str()))?,
        )?;
        m.add(
            "VERSIONS",
            PyTuple::new(py, Version::ALL.iter().map(|v| v.as_str()))?,
        )?;
        Ok(())
    }
}
