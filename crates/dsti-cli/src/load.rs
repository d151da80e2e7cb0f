//! What a command-line argument names: an input file (or `-` for stdin) with its framing, and a
//! schema set for `dsti compat` (`DIR`, `DIR#VERSION`, a catalogue, a version of the standard).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use dsti::compat::SchemaSet;
use dsti::validate::InputFormat;
use dsti::{schema, Version};
use serde_json::Value;

/// The framing of an input file, by its extension: `.ndjson`/`.jsonl` one record a line,
/// `.json` one document, anything else (and stdin) detected from the first bytes.
pub fn input_format(path: &Path) -> InputFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ndjson" | "jsonl") => InputFormat::Ndjson,
        Some("json") => InputFormat::Json,
        _ => InputFormat::Auto,
    }
}

/// Open an input: the file, or stdin for `-`. The length is known for a file only.
pub fn open(path: &Path) -> io::Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    let file = File::open(path)?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), len))
}

/// Why a schema set could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file is not JSON.
    #[error("{path}: not JSON: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The argument names nothing usable.
    #[error("{0}")]
    Usage(String),
}

fn read_json(path: &Path) -> Result<Value, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| LoadError::Json {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Load a schema set named by a command-line argument:
///
/// - a directory of `<kind>.json` files (`schemas/2.0`); `index.json` in it is ignored;
/// - `DIR#VERSION`: the directory `DIR/VERSION` (`schemas#1.0`);
/// - a catalogue file as written by [`schema::write_index`], with `#VERSION` unless it lists
///   only one version (`schemas/index.json#2.0`); paths are relative to the catalogue;
/// - a version of the standard (`2.0`), when no such file or directory exists: the schemas
///   this build of the library generates for it.
pub fn load(arg: &str) -> Result<SchemaSet, LoadError> {
    let (base, version) = match arg.rsplit_once('#') {
        Some((b, v)) if !v.is_empty() && !v.contains('/') => (b, Some(v)),
        _ => (arg, None),
    };
    let path = Path::new(base);
    if path.is_dir() {
        let dir = match version {
            Some(v) => path.join(v),
            None => path.to_owned(),
        };
        return load_dir(&dir);
    }
    if path.is_file() {
        return load_catalogue(path, version);
    }
    if version.is_none() {
        if let Ok(v) = base.parse::<Version>() {
            let set: SchemaSet = schema::kinds(v)
                .iter()
                .map(|&k| {
                    (
                        k.as_str().to_owned(),
                        schema::generate(v, k, schema::DEFAULT_BASE_URI),
                    )
                })
                .collect();
            if set.is_empty() {
                return Err(LoadError::Usage(format!(
                    "version {v} has no schemas in this build"
                )));
            }
            return Ok(set);
        }
    }
    Err(LoadError::Usage(format!(
        "{arg}: neither a schema directory, a catalogue nor a version"
    )))
}

fn load_dir(dir: &Path) -> Result<SchemaSet, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut set = SchemaSet::new();
    for entry in entries {
        let path = entry
            .map_err(|source| LoadError::Io {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let is_schema = path.is_file()
            && path.extension().is_some_and(|e| e == "json")
            && path.file_name().is_some_and(|n| n != "index.json");
        if let (true, Some(stem)) = (is_schema, path.file_stem()) {
            set.insert(stem.to_string_lossy().into_owned(), read_json(&path)?);
        }
    }
    if set.is_empty() {
        return Err(LoadError::Usage(format!(
            "{}: no <kind>.json schema files",
            dir.display()
        )));
    }
    Ok(set)
}

fn load_catalogue(path: &Path, version: Option<&str>) -> Result<SchemaSet, LoadError> {
    let catalogue = read_json(path)?;
    let versions = catalogue
        .get("versions")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            LoadError::Usage(format!(
                "{}: not a schema catalogue (no \"versions\")",
                path.display()
            ))
        })?;
    let version = match version {
        Some(v) => v.to_owned(),
        None if versions.len() == 1 => versions.keys().next().cloned().unwrap_or_default(),
        None => {
            let listed: Vec<&str> = versions.keys().map(String::as_str).collect();
            return Err(LoadError::Usage(format!(
                "{}: name a version with #VERSION, one of {}",
                path.display(),
                listed.join(", ")
            )));
        }
    };
    let kinds = versions
        .get(&version)
        .and_then(Value::as_object)
        .ok_or_else(|| {
            LoadError::Usage(format!(
                "{}: no version {version} in the catalogue",
                path.display()
            ))
        })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut set = SchemaSet::new();
    for (kind, entry) in kinds {
        let file = entry
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| LoadError::Usage(format!("{}: {kind} has no path", path.display())))?;
        set.insert(kind.clone(), read_json(&dir.join(file))?);
    }
    Ok(set)
}
