//! JSON Schemas generated from the Rust types (DESIGN §6).
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

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

use crate::{DocumentKind, Version};

mod sha256;

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
/// batch envelope (1.0) gets a schema that accepts nothing; [`kinds`] lists what each version has.
pub fn generate(version: Version, kind: impl Into<DocumentKind>, base_uri: &str) -> Value {
    let kind = kind.into();
    let schema = crate::edition::of(version).schema(kind).unwrap_or_else(|| {
        let description =
            format!("Version {version} has no batch envelope. / {version} 版没有批次封装。");
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

/// The settings every DSTI schema is generated with: 2020-12, pinned, and no `null` for
/// optional fields (the standard omits an absent field; it never writes `null`).
///
/// Every `pattern` that ends with `$` also gets `(?!\n)` after it ([`PortableEnd`]).
pub(crate) fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
        .with_transform(StripNull)
        .with_transform(PortableEnd)
}

pub(crate) fn root<T: JsonSchema>() -> Schema {
    settings().into_generator().into_root_schema_for::<T>()
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

/// Remove `null` from the schema of optional fields.
#[derive(Debug, Clone)]
struct StripNull;

impl Transform for StripNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            if let Some(Value::Array(types)) = obj.get("type") {
                let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                let replacement = if kept.len() == 1 {
                    kept[0].clone()
                } else {
                    Value::Array(kept)
                };
                obj.insert("type".into(), replacement);
            }
            if obj.get("default").is_some_and(Value::is_null) {
                obj.remove("default");
            }
            if let Some(Value::Array(values)) = obj.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            let null_branch = |v: &Value| v.get("type").is_some_and(|t| t == "null");
            if let Some(Value::Array(branches)) = obj.get("anyOf") {
                if branches.iter().any(null_branch) {
                    let kept: Vec<Value> = branches
                        .iter()
                        .filter(|b| !null_branch(b))
                        .cloned()
                        .collect();
                    obj.remove("anyOf");
                    if let [only] = kept.as_slice() {
                        if let Value::Object(inner) = only {
                            for (k, v) in inner {
                                obj.entry(k.clone()).or_insert_with(|| v.clone());
                            }
                        }
                    } else {
                        obj.insert("anyOf".into(), Value::Array(kept));
                    }
                }
            }
        }
        transform_subschemas(self, schema);
    }
}

/// Make a pattern's final `$` mean "end of string" in every validator.
///
/// In ECMA-262 (ajv) and Rust, `$` without the multi-line flag matches only at the end of the
/// string; in Python's `re`, which Python's `jsonschema` uses with `re.search`, it also matches
/// just before a final `"\n"`, so `"440106\n"` would pass `^[0-9]{6}$` there and nowhere else.
/// `(?!\n)` after the `$` refuses that position and means the same in all three dialects.
#[derive(Debug, Clone)]
struct PortableEnd;

/// What [`PortableEnd`] appends to a pattern's final `$`.
const END_GUARD: &str = "(?!\\n)";

/// The schema as this crate's own validator compiles it: the same, less [`PortableEnd`]'s
/// guard. Under ECMA-262 semantics, which the `jsonschema` crate follows, `$` already means the
/// end of the string, so the guard changes nothing there; but a look-ahead sends every pattern
/// to the slow backtracking engine instead of the `regex` crate.
pub(crate) fn engine_form(mut schema: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match child {
                        Value::String(p) if key == "pattern" && p.ends_with(END_GUARD) => {
                            p.truncate(p.len() - END_GUARD.len());
                        }
                        _ => strip(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut schema);
    schema
}

impl Transform for PortableEnd {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(pattern)) =
            schema.as_object_mut().and_then(|o| o.get_mut("pattern"))
        {
            if pattern.ends_with('$') && !pattern.ends_with("\\$") {
                pattern.push_str(END_GUARD);
            }
        }
        transform_subschemas(self, schema);
    }
}

#[cfg(test)]
mod engine_form_tests {
    use super::*;

    #[test]
    fn the_guard_goes_and_nothing_else_changes() {
        let s = serde_json::json!({"properties": {"a": {"pattern": "^[0-9]{6}$(?!\\n)"}, "b": {"pattern": "^x"}}});
        let e = engine_form(s);
        assert_eq!(e["properties"]["a"]["pattern"], "^[0-9]{6}$");
        assert_eq!(e["properties"]["b"]["pattern"], "^x");
    }
}
