//! JSON Schemas generated from the Rust types.
//!
//! The types are the single source of truth: each schema is generated with schemars as JSON
//! Schema 2020-12, one self-contained file per kind (`$defs` only, no remote reference), with a
//! stable `$id` under a base URI that publishers choose. The committed `schemas/` directory
//! equals what [`write_schemas`] produces, and a test says so.
//!
//! What lives where: the schema says what JSON Schema can say (types, enumerations, shapes,
//! lengths, ranges, required fields, no unknown fields); check characters, real calendar dates
//! inside ID numbers and every rule that relates two fields live in Rust, in the identifier
//! types and the [validator](crate::validate). So every record the typed API accepts is
//! accepted by the schema, and every record the schema rejects is rejected by the typed API.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use schemars::Schema;
use serde_json::{Map, Value};

use crate::{DocumentKind, Version};

mod sha256;
pub mod walk;

/// The base URI of the `$id`s unless a publisher chooses another.
pub const DEFAULT_BASE_URI: &str = "https://schemas.dsti.example/";

/// Generate the schema of one kind of one version, with `$id` = `{base_uri}{version}/{kind}.json`.
///
/// ```
/// use dsti::{schema, Kind, Version};
/// let s = schema::generate(Version::V2_0, Kind::Course, schema::DEFAULT_BASE_URI);
/// assert_eq!(s["$id"], "https://schemas.dsti.example/2.0/course.json");
/// assert_eq!(s["properties"]["kind"]["const"], "course");
/// ```
///
/// `kind` is a record [`Kind`](crate::Kind) or [`DocumentKind::Batch`]. A version without a
/// batch envelope (1.0), or a version asked for a record kind it lacks (`competition` before
/// 2.1), gets a schema that accepts nothing; [`kinds`] lists what each version has.
pub fn generate(version: Version, kind: impl Into<DocumentKind>, base_uri: &str) -> Value {
    let kind = kind.into();
    let schema = crate::edition::of(version).schema(kind).unwrap_or_else(|| {
        let description = match kind {
            DocumentKind::Batch => {
                format!("Version {version} has no batch envelope. / {version} 版没有批次封装。")
            }
            DocumentKind::Record(kind) => format!(
                "Version {version} has no record kind {kind}. / {version} 版没有 {kind} 记录类型。"
            ),
        };
        schemars::json_schema!({ "description": description, "not": {} })
    });
    finish(schema, version, kind, base_uri)
}

/// The kinds a version has schemas for.
pub fn kinds(version: Version) -> &'static [DocumentKind] {
    crate::edition::of(version).kinds
}

/// The bytes of a schema file: pretty JSON with a final newline.
pub fn to_file_bytes(schema: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(schema)
        .expect("invariant: a JSON value (string keys) always serializes");
    bytes.push(b'\n');
    bytes
}

/// Write every schema of `version` under `dir/<version>/<kind>.json`; returns the paths written.
pub fn write_schemas(version: Version, base_uri: &str, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let out = dir.join(version.as_str());
    fs::create_dir_all(&out)?;
    let mut written = Vec::new();
    for &kind in kinds(version) {
        let path = out.join(format!("{kind}.json"));
        fs::write(&path, to_file_bytes(&generate(version, kind, base_uri)))?;
        written.push(path);
    }
    Ok(written)
}

/// The catalogue of every schema of every version that has schemas, as committed in
/// `schemas/index.json`:
/// `{ "versions": { "2.0": { "person": { "$id", "path", "sha256" }, … }, … } }`.
/// `path` is relative to the directory that holds the catalogue; `sha256` is the SHA-256 of the
/// file's bytes ([`to_file_bytes`]) in lower-case hex, so that a consumer can check a download.
///
/// ```
/// let index = dsti::schema::index(dsti::schema::DEFAULT_BASE_URI);
/// let person = &index["versions"]["2.0"]["person"];
/// assert_eq!(person["$id"], "https://schemas.dsti.example/2.0/person.json");
/// assert_eq!(person["path"], "2.0/person.json");
/// assert_eq!(person["sha256"].as_str().map(str::len), Some(64));
/// ```
pub fn index(base_uri: &str) -> Value {
    let mut versions = Map::new();
    for version in Version::ALL {
        let mut entries = Map::new();
        for &kind in kinds(version) {
            let schema = generate(version, kind, base_uri);
            let mut entry = Map::new();
            entry.insert("$id".into(), schema["$id"].clone());
            entry.insert("path".into(), format!("{version}/{kind}.json").into());
            entry.insert("sha256".into(), sha256::hex(&to_file_bytes(&schema)).into());
            entries.insert(kind.as_str().into(), Value::Object(entry));
        }
        if !entries.is_empty() {
            versions.insert(version.as_str().into(), Value::Object(entries));
        }
    }
    let mut out = Map::new();
    out.insert("versions".into(), Value::Object(versions));
    Value::Object(out)
}

/// Write the catalogue ([`index`]) to `dir/index.json`; returns its path.
pub fn write_index(base_uri: &str, dir: &Path) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let path = dir.join("index.json");
    fs::write(&path, to_file_bytes(&index(base_uri)))?;
    Ok(path)
}

fn finish(schema: Schema, version: Version, kind: DocumentKind, base_uri: &str) -> Value {
    let mut body = match schema.to_value() {
        Value::Object(map) => map,
        other => return other,
    };
    let mut out = Map::new();
    out.insert(
        "$schema".into(),
        body.remove("$schema")
            .unwrap_or_else(|| "https://json-schema.org/draft/2020-12/schema".into()),
    );
    let base = if base_uri.ends_with('/') {
        base_uri.to_owned()
    } else {
        format!("{base_uri}/")
    };
    out.insert("$id".into(), format!("{base}{version}/{kind}.json").into());
    let title = body.remove("title").unwrap_or_else(|| kind.as_str().into());
    out.insert("title".into(), title);
    out.append(&mut body);
    Value::Object(out)
}
