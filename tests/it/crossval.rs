//! The committed schemas mean the same in the validators other languages use.
//!
//! For every vector file of every version (`tests/vectors/<v>/{valid,invalid}/*.json`) and every
//! probe file (`tests/crossval/probes/<v>/…`, edge cases where validators are known to differ),
//! three validators judge the file against the **committed** schemas: ajv 8 with ajv-formats
//! (`tests/crossval/ajv.js`), Python `jsonschema` with its format checker and
//! `rfc3339-validator` (`tests/crossval/py_validate.py`), and the `jsonschema` crate, here.
//! A file holds one record (its kind's schema), an array (each element against its kind's
//! schema) or a batch (the batch schema). All three must give the same accept/reject per file.
//!
//! Then the crate's own verdict must agree with theirs. The crate reports *why* a record is
//! wrong with finer codes than "the schema rejects it", so its structural verdict is defined
//! by the codes it produces (see [`crate_rejects_structurally`]):
//! - a code in [`SCHEMA_CODES`] (the schema says exactly this) ⇒ the schema rejects the file;
//! - the schema rejects the file ⇒ the crate produced a code of [`SCHEMA_CODES`], of
//!   [`PARTLY_SCHEMA_CODES`] (a code whose condition the schema expresses in part, such as a
//!   birth date inside an ID number: month 13 breaks the pattern, 31 February does not) or of
//!   [`REFUSED_UNREAD_CODES`] (duplicate keys, limits: the crate refuses the bytes and reads
//!   no further, so it reports nothing else).
//!
//! Codes outside both lists (check characters, rules between fields, duplicate keys, limits)
//! are the crate being stricter than any schema can be, by design.
//!
//! The Node and Python parts need `node` with `npm ci --prefix tests/crossval`, and `python3`
//! with `pip install -r tests/crossval/requirements.txt`. Without them the test prints why and
//! passes, unless `CI` is set: then it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dsti::validate::{InputFormat, Options, Validator};
use serde_json::Value;

use crate::{files, root};

const NOW: &str = "2026-11-28T12:00:00+08:00";

/// Codes whose condition is exactly something the committed schema says.
const SCHEMA_CODES: &[&str] = &[
    "json.syntax",
    "json.encoding",
    "record.kind",
    "record.version",
    "schema.required",
    "schema.type",
    "schema.enum",
    "schema.pattern",
    "schema.format",
    "schema.additional-property",
    "schema.range",
    "schema.length",
    // The schema's pattern allows only province-level prefixes.
    "id-number.region",
    "region.unknown",
];

/// Codes whose condition the schema expresses only in part.
const PARTLY_SCHEMA_CODES: &[&str] = &[
    // The pattern has months 01–12 and days 01–31 of 1800–2099, not real or past dates.
    "id-number.birthdate",
];

/// Codes with which the crate refuses the bytes before reading the record, so that it reports
/// nothing else: whatever else the schema finds in the record is not reported.
const REFUSED_UNREAD_CODES: &[&str] = &["json.duplicate-key", "record.limit"];

/// The crate's structural verdict on a file: `true` when it rejects the file for a reason the
/// schema states exactly.
fn crate_rejects_structurally(codes: &[String]) -> bool {
    codes.iter().any(|c| SCHEMA_CODES.contains(&c.as_str()))
}

/// Every vector and probe file: (label `<version>/<group>/<name>` relative to its tree, path).
fn corpus(tree: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(versions) = std::fs::read_dir(tree) else {
        return out;
    };
    let mut versions: Vec<PathBuf> = versions.map(|e| e.expect("entry").path()).collect();
    versions.sort();
    for version in versions.iter().filter(|p| p.is_dir()) {
        let v = version.file_name().expect("name").to_string_lossy();
        for group in ["valid", "invalid"] {
            let dir = version.join(group);
            if !dir.is_dir() {
                continue;
            }
            for path in files(&dir, "json") {
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                if name != "manifest.json" {
                    out.push((format!("{v}/{group}/{name}"), path));
                }
            }
        }
    }
    out
}

/// Whether the environment lets an external validator run; `Err` says why not.
fn available(program: &str, args: &[&str]) -> Result<(), String> {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("`{program}` cannot be run: {e}")),
    }
}

/// Run one external validator over one tree: label → accepted.
fn run_script(program: &str, script: &str, tree: &Path) -> BTreeMap<String, bool> {
    let dir = root().join("tests/crossval");
    let out = Command::new(program)
        .arg(dir.join(script))
        .arg(root().join("schemas"))
        .arg(tree)
        .output()
        .unwrap_or_else(|e| panic!("{program} {script}: {e}"));
    assert!(
        out.status.success(),
        "{program} {script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8 output")
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            (
                v["file"].as_str().expect("file").to_owned(),
                v["accepted"].as_bool().expect("accepted"),
            )
        })
        .collect()
}

/// The `jsonschema` crate's verdict on one file, against the committed schemas.
struct RustSchemas {
    by_version: BTreeMap<String, BTreeMap<String, jsonschema::Validator>>,
}

impl RustSchemas {
    fn load() -> Self {
        let mut by_version = BTreeMap::new();
        for entry in std::fs::read_dir(root().join("schemas")).expect("schemas/") {
            let dir = entry.expect("entry").path();
            if !dir.is_dir() {
                continue;
            }
            let mut by_kind = BTreeMap::new();
            for path in files(&dir, "json") {
                let schema: Value =
                    serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
                let compiled = jsonschema::draft202012::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let kind = path
                    .file_stem()
                    .expect("stem")
                    .to_string_lossy()
                    .into_owned();
                by_kind.insert(kind, compiled);
            }
            let version = dir
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            by_version.insert(version, by_kind);
        }
        RustSchemas { by_version }
    }

    fn accepts(&self, version: &str, bytes: &[u8]) -> bool {
        let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
            return false;
        };
        let one = |record: &Value| {
            record
                .get("kind")
                .and_then(Value::as_str)
                .and_then(|kind| self.by_version.get(version)?.get(kind))
                .is_some_and(|schema| schema.is_valid(record))
        };
        match &value {
            Value::Array(records) => records.iter().all(one),
            record => one(record),
        }
    }
}

/// Every code of every verdict the crate gives on a file.
fn crate_codes(bytes: &[u8]) -> Vec<String> {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).expect("now");
    let validator = Validator::new(Options::default().now(now));
    let mut codes: Vec<String> = validator
        .validate_reader(bytes, InputFormat::Json)
        .flat_map(|event| {
            let event = event.expect("no I/O error");
            event
                .verdict()
                .issues
                .iter()
                .map(|f| f.code.as_str().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn ajv_python_jsonschema_rs_and_the_crate_agree() {
    let in_ci = std::env::var_os("CI").is_some();
    let node = available("node", &["--version"]).and_then(|()| {
        // ajv.js resolves its packages from the node_modules beside it.
        let modules = root().join("tests/crossval/node_modules");
        if modules.join("ajv").is_dir() && modules.join("ajv-formats").is_dir() {
            Ok(())
        } else {
            Err("ajv is not installed: run `npm ci --prefix tests/crossval`".to_owned())
        }
    });
    let python = available("python3", &["-c", "import jsonschema, rfc3339_validator"])
        .map_err(|e| format!("{e} (run `pip install -r tests/crossval/requirements.txt`)"));
    if let (Err(e), _) | (_, Err(e)) = (&node, &python) {
        assert!(!in_ci, "cross-validation cannot run under CI: {e}");
        println!("SKIPPED cross-validation with ajv and Python jsonschema: {e}");
        eprintln!("SKIPPED cross-validation with ajv and Python jsonschema: {e}");
        return;
    }

    let rust = RustSchemas::load();
    let mut disagreements = Vec::new();
    let mut judged = 0;
    for tree in [
        root().join("tests/vectors"),
        root().join("tests/crossval/probes"),
    ] {
        let ajv = run_script("node", "ajv.js", &tree);
        let py = run_script("python3", "py_validate.py", &tree);
        let corpus = corpus(&tree);
        assert_eq!(ajv.len(), corpus.len(), "ajv judged another set of files");
        assert_eq!(py.len(), corpus.len(), "Python judged another set of files");
        for (label, path) in corpus {
            judged += 1;
            let version = label.split('/').next().expect("version");
            let bytes = std::fs::read(&path).expect("read");
            let rs = rust.accepts(version, &bytes);
            let (a, p) = (ajv[&label], py[&label]);
            if a != rs || p != rs {
                disagreements.push(format!(
                    "{label}: ajv accepts={a}, python accepts={p}, jsonschema-rs accepts={rs}"
                ));
                continue;
            }
            let codes = crate_codes(&bytes);
            let schema_rejects = !rs;
            if crate_rejects_structurally(&codes) && !schema_rejects {
                disagreements.push(format!(
                    "{label}: the crate rejects it structurally ({codes:?}), the schema accepts it"
                ));
            }
            let explained = codes.iter().any(|c| {
                [SCHEMA_CODES, PARTLY_SCHEMA_CODES, REFUSED_UNREAD_CODES]
                    .iter()
                    .any(|set| set.contains(&c.as_str()))
            });
            if schema_rejects && !explained {
                disagreements.push(format!(
                    "{label}: the schema rejects it, the crate gives only {codes:?}"
                ));
            }
            if label.contains("/valid/") && schema_rejects {
                disagreements.push(format!("{label}: a valid vector is rejected by the schema"));
            }
        }
    }
    assert!(judged > 0, "no vector files found");
    assert!(
        disagreements.is_empty(),
        "validators disagree:\n{}",
        disagreements.join("\n")
    );
    println!("cross-validation: {judged} files, ajv, Python jsonschema, jsonschema-rs and the crate agree");
}
