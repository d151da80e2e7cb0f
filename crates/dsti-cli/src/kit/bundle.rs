//! The association's release of one version: a directory that is the same, byte for byte,
//! whenever the same sources build it.
//!
//! ```text
//! OUT/README.md              what the bundle holds and how to check it (Chinese, English)
//! OUT/CHANGELOG.md           the changes from the previous version, from `dsti compat`
//!                            (Chinese, English); none for the first version
//! OUT/CONFORMANCE.md         the contract an implementation meets to claim conformance
//! OUT/schemas/index.json     the catalogue of this version's schemas (`$id`, path, SHA-256)
//! OUT/schemas/<v>/<kind>.json
//! OUT/docs/…                 the reference site of this version (`index.html` first)
//! OUT/vectors/…              the test vectors with their expected findings
//! OUT/SHA256SUMS             SHA-256 of every other file, `sha256sum -c` format, sorted
//! OUT/SHA256SUMS.jws         with `--key`: the association's detached JWS over SHA256SUMS
//! OUT/SHA256SUMS.jwks.json   with `--key`: the public key that verifies it (a JWKS)
//! ```
//!
//! With an Ed25519 key the signature is deterministic and the bundle stays byte-identical;
//! an SM2 signature takes a fresh random number each time, so only its two signature files
//! differ between runs.
//!
//! Files are listed in path order, written with mode 0644 (directories 0755) and one fixed
//! modification time: `SOURCE_DATE_EPOCH` when set, else 2026-01-01T00:00:00Z.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use dsti::compat::{self, Change, ChangeClass};
use dsti::sign::jws::{sign_detached, ParsedJws};
use dsti::sign::keys::{Jwks, PrivateKey};
use dsti::{schema, Version};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The modification time of every file when `SOURCE_DATE_EPOCH` is not set: 2026-01-01 UTC.
pub const DEFAULT_EPOCH: u64 = 1_767_225_600;

/// The contract, as the repository's `CONFORMANCE.md` states it.
const CONFORMANCE: &str = include_str!("../../../../CONFORMANCE.md");

/// One file of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct File {
    /// The path inside the bundle, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The version before `version` in the list of versions, if any.
pub fn previous(version: Version) -> Option<Version> {
    let all = Version::ALL;
    let at = all.iter().position(|&v| v == version)?;
    at.checked_sub(1).and_then(|i| all.get(i).copied())
}

/// The schemas of `version`, by kind name.
fn schema_set(version: Version, base_uri: &str) -> compat::SchemaSet {
    schema::kinds(version)
        .iter()
        .map(|&k| {
            (
                k.as_str().to_owned(),
                schema::generate(version, k, base_uri),
            )
        })
        .collect()
}

/// What a class of change is called, in English and Chinese.
fn class_words(class: ChangeClass) -> (&'static str, &'static str) {
    match class {
        ChangeClass::KindAdded => ("record kind added", "新增记录类型"),
        ChangeClass::KindRemoved => ("record kind removed", "删除记录类型"),
        ChangeClass::OptionalFieldAdded => ("optional field added", "新增选填字段"),
        ChangeClass::OptionalFieldRemoved => ("optional field removed", "删除选填字段"),
        ChangeClass::RequiredFieldAdded => ("required field added", "新增必填字段"),
        ChangeClass::RequiredFieldRemoved => ("required field removed", "删除必填字段"),
        ChangeClass::BecameRequired => ("field became required", "字段改为必填"),
        ChangeClass::BecameOptional => ("field became optional", "字段改为选填"),
        ChangeClass::EnumValueAdded => ("value added", "新增取值"),
        ChangeClass::EnumValueRemoved => ("value removed", "删除取值"),
        ChangeClass::PatternTightened => ("format tightened", "格式收紧"),
        ChangeClass::PatternLoosened => ("format loosened", "格式放宽"),
        ChangeClass::PatternChanged => ("format changed", "格式变更"),
        ChangeClass::BoundTightened => ("limit tightened", "限值收紧"),
        ChangeClass::BoundLoosened => ("limit loosened", "限值放宽"),
        ChangeClass::TypeChanged => ("type changed", "类型变更"),
        ChangeClass::AdditionalPropertiesChanged => {
            ("other fields allowed or refused", "是否允许其他字段变更")
        }
        ChangeClass::ConstChanged => ("constant changed", "常量变更"),
        ChangeClass::FormatChanged => ("format keyword changed", "format 关键字变更"),
        _ => (class.as_str(), class.as_str()),
    }
}

/// What a change breaks, in English and Chinese.
fn breaks_words(change: &Change) -> (&'static str, &'static str) {
    match (change.breaks_backward, change.breaks_forward) {
        (true, true) => (
            "breaks old data and old readers",
            "旧数据不再有效，旧系统也读不了新数据",
        ),
        (true, false) => ("breaks old data", "旧数据不再有效"),
        (false, true) => ("breaks old readers", "旧系统读不了新数据"),
        (false, false) => ("compatible", "兼容"),
    }
}

/// `|`, line breaks and backticks made harmless inside a Markdown table cell's code span.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '`'], " ")
}

/// The bilingual changelog of `version` against `previous`: the compat comparison of their
/// schemas, breaking changes first, Chinese then English.
pub fn changelog(version: Version, previous: Version, base_uri: &str) -> String {
    let old = schema_set(previous, base_uri);
    let new = schema_set(version, base_uri);
    let mut changes = compat::compare_sets(&old, &new);
    changes.sort_by_key(|c| {
        (
            !(c.breaks_backward || c.breaks_forward),
            c.kind.clone(),
            c.path.clone(),
            c.class,
        )
    });
    let breaking_old = changes.iter().filter(|c| c.breaks_backward).count();
    let breaking_readers = changes.iter().filter(|c| c.breaks_forward).count();
    let total = changes.len();
    let mut s = String::new();
    let _ = writeln!(s, "# DSTI {version} 变更说明 · Changelog\n");
    for zh in [true, false] {
        if zh {
            let _ = writeln!(s, "## 中文\n");
            let _ = writeln!(
                s,
                "与 {previous} 版相比共 {total} 处变更：{breaking_old} 处使按 {previous} 版写的数据在 {version} 版下不再有效，{breaking_readers} 处使 {previous} 版的系统不能接受 {version} 版的数据。由 `dsti compat {previous} {version} --mode full` 的比较生成。\n"
            );
            let _ = writeln!(s, "| 记录类型 | 位置 | 变更 | 影响 | 详情 |");
        } else {
            let _ = writeln!(s, "## English\n");
            let _ = writeln!(
                s,
                "{total} changes from {previous}: {breaking_old} make data written to {previous} invalid under {version}, {breaking_readers} make {version} data invalid for {previous} readers. Generated from the comparison of `dsti compat {previous} {version} --mode full`.\n"
            );
            let _ = writeln!(s, "| kind | where | change | effect | detail |");
        }
        let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
        for c in &changes {
            let (class_en, class_zh) = class_words(c.class);
            let (breaks_en, breaks_zh) = breaks_words(c);
            let path = if c.path.is_empty() { "/" } else { &c.path };
            let _ = writeln!(
                s,
                "| `{}` | `{}` | {} | {} | `{}` |",
                cell(&c.kind),
                cell(path),
                if zh { class_zh } else { class_en },
                if zh { breaks_zh } else { breaks_en },
                cell(&c.detail)
            );
        }
        s.push('\n');
    }
    s
}

/// The bundle's README: what it holds and how to check it.
fn readme(version: Version, previous: Option<Version>) -> String {
    let changelog_zh = match previous {
        Some(p) => format!("- `CHANGELOG.md`：与 {p} 版相比的全部变更（中英文）。\n"),
        None => String::new(),
    };
    let changelog_en = match previous {
        Some(p) => format!("- `CHANGELOG.md`: every change from {p} (Chinese and English).\n"),
        None => String::new(),
    };
    format!(
        "# DSTI {version} 发布包 · Release bundle\n\n\
## 中文\n\n\
家政服务培训数据统一接口（DSTI）{version} 版的正式发布包。\n\n\
- `docs/index.html`：参考文档（先中文，可切换英文），每类记录的字段、约束、完整示例与校验代码。\n\
- `schemas/`：JSON Schema（2020-12）与目录 `schemas/index.json`（各文件的 `$id`、路径和 SHA-256）。\n\
- `vectors/`：测试向量及每个文件应得的校验结果（见 `vectors/README.md`）。\n\
{changelog_zh}\
- `CONFORMANCE.md`：其他实现声明符合本标准须满足的约定；用 `dsti conformance --vectors vectors --cmd '你的校验程序 {{file}}'` 检验。\n\
- `SHA256SUMS`：其余每个文件的 SHA-256。校验：`sha256sum -c SHA256SUMS`。\n\n\
同样的源码生成同样的字节：文件顺序、修改时间和权限都是固定的。\n\n\
## English\n\n\
The release of version {version} of the Domestic Service Training Interchange (DSTI).\n\n\
- `docs/index.html`: the reference (Chinese first, English a click away): every kind's fields, constraints, a complete example and the validation codes.\n\
- `schemas/`: the JSON Schemas (2020-12) and their catalogue `schemas/index.json` (`$id`, path and SHA-256 of each).\n\
- `vectors/`: the test vectors with the findings each file must produce (see `vectors/README.md`).\n\
{changelog_en}\
- `CONFORMANCE.md`: the contract another implementation meets to claim conformance; check it with `dsti conformance --vectors vectors --cmd 'YOUR-VALIDATOR {{file}}'`.\n\
- `SHA256SUMS`: the SHA-256 of every other file. Check: `sha256sum -c SHA256SUMS`.\n\n\
The same sources give the same bytes: file order, modification times and permissions are fixed.\n"
    )
}

/// Every file under `dir`, by its path relative to `dir` (`/`-separated), in path order.
fn tree(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let rel = format!("{prefix}/{name}");
        if path.is_dir() {
            tree(&path, &rel, out)?;
        } else if path.is_file() {
            out.insert(rel, fs::read(&path)?);
        }
    }
    Ok(())
}

/// The files of the bundle of `version`, in path order, `SHA256SUMS` last: the vectors are
/// read from `vectors` (the layout of the repository's `tests/vectors`).
pub fn build(version: Version, vectors: &Path, base_uri: &str) -> io::Result<Vec<File>> {
    if schema::kinds(version).is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("version {version} has no schemas in this build"),
        ));
    }
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let prev = previous(version);
    files.insert("README.md".into(), readme(version, prev).into_bytes());
    if let Some(p) = prev {
        files.insert(
            "CHANGELOG.md".into(),
            changelog(version, p, base_uri).into_bytes(),
        );
    }
    files.insert("CONFORMANCE.md".into(), CONFORMANCE.as_bytes().to_vec());
    // The catalogue, of this version only.
    let index = schema::index(base_uri);
    let mut versions = Map::new();
    if let Some(entry) = index.get("versions").and_then(|v| v.get(version.as_str())) {
        versions.insert(version.as_str().into(), entry.clone());
    }
    let mut catalogue = Map::new();
    catalogue.insert("versions".into(), Value::Object(versions));
    files.insert(
        "schemas/index.json".into(),
        schema::to_file_bytes(&Value::Object(catalogue)),
    );
    for &kind in schema::kinds(version) {
        files.insert(
            format!("schemas/{version}/{kind}.json"),
            schema::to_file_bytes(&schema::generate(version, kind, base_uri)),
        );
    }
    for page in crate::docs::pages_of(&[version]) {
        files.insert(format!("docs/{}", page.path), page.html.into_bytes());
    }
    let dir = vectors.join(version.as_str());
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no test vectors of {version}", dir.display()),
        ));
    }
    tree(&dir, &format!("vectors/{version}"), &mut files)?;
    if let Ok(readme) = fs::read(vectors.join("README.md")) {
        files.insert("vectors/README.md".into(), readme);
    }
    let mut sums = String::new();
    for (path, bytes) in &files {
        let _ = writeln!(sums, "{}  {path}", sha256_hex(bytes));
    }
    let mut out: Vec<File> = files
        .into_iter()
        .map(|(path, bytes)| File { path, bytes })
        .collect();
    out.push(File {
        path: "SHA256SUMS".into(),
        bytes: sums.into_bytes(),
    });
    Ok(out)
}

/// The name of the signature file and of the public key file.
pub const SIGNATURE: &str = "SHA256SUMS.jws";
/// The public key that verifies [`SIGNATURE`], as a JWKS.
pub const SIGNING_KEYS: &str = "SHA256SUMS.jwks.json";

/// Sign the bundle: a detached JWS over its `SHA256SUMS` (the last of `files`) by `key` under
/// `kid`, and the public key as a JWKS, appended to `files`. No signing time is in the
/// header, so that the same key gives the same bundle.
pub fn sign(files: &mut Vec<File>, key: &PrivateKey, kid: &str) -> io::Result<()> {
    let sums = files
        .iter()
        .find(|f| f.path == "SHA256SUMS")
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no SHA256SUMS to sign"))?;
    let jws = sign_detached(key, kid, None, &sums.bytes);
    let mut keys = Jwks::new();
    keys.push(key.public_key().with_kid(kid));
    files.push(File {
        path: SIGNATURE.into(),
        bytes: format!("{jws}\n").into_bytes(),
    });
    files.push(File {
        path: SIGNING_KEYS.into(),
        bytes: format!("{}\n", keys.to_json()).into_bytes(),
    });
    Ok(())
}

/// Check the detached JWS `jws` over `sums` (a bundle's `SHA256SUMS`) against `keys`: the kid
/// of the key that signed it, or what is wrong.
pub fn verify(sums: &[u8], jws: &str, keys: &Jwks) -> Result<String, String> {
    let jws = ParsedJws::parse(jws.trim()).map_err(str::to_owned)?;
    let key = keys
        .get(&jws.kid)
        .ok_or_else(|| format!("no key {} among the keys given", jws.kid))?;
    if key.alg() != jws.alg {
        return Err(format!(
            "key {} is not an {} key",
            jws.kid,
            jws.alg.as_str()
        ));
    }
    if key.verify(&jws.signing_input(sums), &jws.signature) {
        Ok(jws.kid)
    } else {
        Err("the signature does not match SHA256SUMS".to_owned())
    }
}

/// The fixed modification time: `SOURCE_DATE_EPOCH` if it is a number, else [`DEFAULT_EPOCH`].
pub fn epoch() -> SystemTime {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_EPOCH);
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}

/// Write `files` under `out`, which must be absent or empty: mode 0644 files, 0755
/// directories, every modification time `mtime`. Returns the paths written.
pub fn write(out: &Path, files: &[File], mtime: SystemTime) -> io::Result<Vec<PathBuf>> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty: a bundle is written into an empty directory",
                out.display()
            ),
        ));
    }
    fs::create_dir_all(out)?;
    let mut dirs = vec![out.to_path_buf()];
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let mut path = out.to_path_buf();
        for part in f.path.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{}: not a plain relative path", f.path),
                ));
            }
            path.push(part);
        }
        if let Some(parent) = path.parent() {
            if !parent.is_dir() {
                fs::create_dir_all(parent)?;
            }
            let mut p = parent.to_path_buf();
            while p.starts_with(out) && p != out {
                if !dirs.contains(&p) {
                    dirs.push(p.clone());
                }
                if !p.pop() {
                    break;
                }
            }
        }
        fs::write(&path, &f.bytes)?;
        set_mode(&path, 0o644)?;
        fs::File::options()
            .write(true)
            .open(&path)?
            .set_modified(mtime)?;
        written.push(path);
    }
    // Deepest first, so that setting a directory's time is the last change inside its parent.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in &dirs {
        set_mode(d, 0o755)?;
        fs::File::open(d)?.set_modified(mtime)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_first_version_has_no_predecessor() {
        assert_eq!(previous(Version::ALL[0]), None);
        for pair in Version::ALL.windows(2) {
            assert_eq!(previous(pair[1]), Some(pair[0]));
        }
    }

    #[test]
    fn every_class_of_change_has_words_in_both_languages() {
        let changes = compat::compare_sets(
            &schema_set(Version::ALL[0], schema::DEFAULT_BASE_URI),
            &schema_set(Version::CURRENT, schema::DEFAULT_BASE_URI),
        );
        assert!(!changes.is_empty());
        for c in &changes {
            let (en, zh) = class_words(c.class);
            assert_ne!(en, zh, "{} has no Chinese words", c.class);
        }
    }

    #[test]
    fn a_signed_manifest_verifies_and_a_changed_one_does_not() {
        let key = PrivateKey::ed25519_from_seed(&[7; 32]);
        let mut files = vec![File {
            path: "SHA256SUMS".into(),
            bytes: b"00  a\n".to_vec(),
        }];
        sign(&mut files, &key, "https://assoc.example/keys/1").expect("sign");
        let jws = String::from_utf8(files[1].bytes.clone()).expect("text");
        let keys = Jwks::from_json(&String::from_utf8_lossy(&files[2].bytes)).expect("jwks");
        assert_eq!(
            verify(b"00  a\n", &jws, &keys).as_deref(),
            Ok("https://assoc.example/keys/1")
        );
        assert!(verify(b"01  a\n", &jws, &keys).is_err());
        assert!(verify(b"00  a\n", &jws, &Jwks::new()).is_err());
        // Ed25519 is deterministic: signing again gives the same bytes.
        let mut again = vec![files[0].clone()];
        sign(&mut again, &key, "https://assoc.example/keys/1").expect("sign");
        assert_eq!(again, files);
    }

    #[test]
    fn a_table_cell_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc`d"), "a\\|b c d");
    }
}
