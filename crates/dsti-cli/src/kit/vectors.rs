//! The test vectors as a suite: every file under `DIR/<version>/valid/` (no finding at all)
//! and `DIR/<version>/invalid/` (exactly the findings its `manifest.json` lists), with the
//! instant and the profile each is judged at. The layout is the repository's `tests/vectors`
//! and a release bundle's `vectors/` (both described in their `README.md`).

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

/// Which verdict of an upload a finding belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordRef {
    /// The record at this 0-based index of the file (of a batch's `records`).
    Index(u64),
    /// A batch's envelope.
    Envelope,
}

impl Serialize for RecordRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordRef::Index(i) => s.serialize_u64(*i),
            RecordRef::Envelope => s.serialize_str("envelope"),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Index(i) => write!(f, "record {i}"),
            RecordRef::Envelope => f.write_str("envelope"),
        }
    }
}

/// One finding as the manifests write it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Finding {
    /// Whose finding.
    pub record: RecordRef,
    /// The validation code (`uscc.checksum`).
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// A JSON Pointer into the record (`""` for the whole record).
    pub path: String,
}

impl Finding {
    /// A finding from its manifest or report form; `None` when a part is missing.
    pub fn from_json(record: RecordRef, v: &Value) -> Option<Finding> {
        Some(Finding {
            record,
            code: v.get("code")?.as_str()?.to_owned(),
            severity: v.get("severity")?.as_str()?.to_owned(),
            path: v.get("path")?.as_str()?.to_owned(),
        })
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "\"\""
        } else {
            &self.path
        };
        write!(
            f,
            "{} ({}) at {} {path}",
            self.code, self.severity, self.record
        )
    }
}

/// One vector: a file and the answer it must get.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Vector {
    /// The name relative to the suite's root: `2.0/invalid/uscc-checksum.json`.
    pub name: String,
    /// Where the file is.
    pub file: PathBuf,
    /// The instant it is judged at (RFC 3339), from its version's manifest.
    pub now: Option<String>,
    /// The profile it is judged with, `None` for the default one.
    pub profile: Option<Value>,
    /// The sender (a unified social credit code) the upload is judged as made for, if any.
    pub sender: Option<String>,
    /// Every finding it must produce, sorted; empty for a valid vector.
    pub expected: BTreeSet<Finding>,
}

impl Vector {
    /// The exit status a validator must give: 1 if any expected finding is an error, else 0.
    pub fn expected_exit(&self) -> i32 {
        i32::from(self.expected.iter().any(|f| f.severity == "error"))
    }
}

fn bad(path: &Path, what: impl fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {what}", path.display()),
    )
}

/// The `.json` files directly inside `dir`, sorted by name; none when `dir` does not exist.
pub fn json_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The version directories of a suite (`1.0`, `2.0`, …), sorted.
pub fn versions(root: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let dir = entry.path();
        if dir.join("valid").is_dir() || dir.join("invalid").is_dir() {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Every vector of the suite at `root`, version by version (valid ones first, each in file
/// name order), or those of `only` (a version directory's name) when given. An error when the
/// suite holds no vector or a manifest is malformed or names a file that is missing.
pub fn load(root: &Path, only: Option<&str>) -> io::Result<Vec<Vector>> {
    let mut out = Vec::new();
    for version in versions(root)? {
        if only.is_some_and(|o| o != version) {
            continue;
        }
        let dir = root.join(&version);
        let manifest_path = dir.join("invalid").join("manifest.json");
        let manifest: Option<Value> = match fs::read(&manifest_path) {
            Ok(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| bad(&manifest_path, e))?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(bad(&manifest_path, e)),
        };
        let now = manifest
            .as_ref()
            .and_then(|m| m.get("now"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        for file in json_files(&dir.join("valid"))? {
            let base = file.file_name().unwrap_or_default().to_string_lossy();
            out.push(Vector {
                name: format!("{version}/valid/{base}"),
                file: file.clone(),
                now: now.clone(),
                profile: None,
                sender: None,
                expected: BTreeSet::new(),
            });
        }
        let Some(manifest) = manifest else { continue };
        let entries = manifest
            .get("vectors")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(&manifest_path, "no \"vectors\" array"))?;
        for entry in entries {
            let base = entry
                .get("file")
                .and_then(Value::as_str)
                .filter(|f| !f.contains('/') && !f.contains('\\') && *f != "..")
                .ok_or_else(|| bad(&manifest_path, "a vector without a plain \"file\" name"))?;
            let file = dir.join("invalid").join(base);
            if !file.is_file() {
                return Err(bad(&manifest_path, format_args!("{base} is missing")));
            }
            let mut expected = BTreeSet::new();
            for f in entry
                .get("findings")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(&manifest_path, format_args!("{base}: no findings")))?
            {
                let record = match f.get("record") {
                    Some(Value::String(s)) if s == "envelope" => RecordRef::Envelope,
                    Some(v) => RecordRef::Index(
                        v.as_u64()
                            .ok_or_else(|| bad(&manifest_path, format_args!("{base}: record")))?,
                    ),
                    None => return Err(bad(&manifest_path, format_args!("{base}: record"))),
                };
                expected.insert(
                    Finding::from_json(record, f)
                        .ok_or_else(|| bad(&manifest_path, format_args!("{base}: finding")))?,
                );
            }
            out.push(Vector {
                name: format!("{version}/invalid/{base}"),
                file,
                now: now.clone(),
                profile: entry.get("profile").cloned(),
                sender: entry
                    .get("sender")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                expected,
            });
        }
    }
    if out.is_empty() {
        return Err(bad(root, "no test vectors here"));
    }
    Ok(out)
}
