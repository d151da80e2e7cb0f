//! `dsti release`: two runs give byte-identical bundles (contents, modes, times), the checksum
//! manifest covers every file, and the bundle holds what it says; and the command line's
//! language follows the environment.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use dsti::Version;

use crate::{root, scratch};

/// Every entry under `dir`: relative path → (bytes, mode, mtime in seconds); directories too.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::metadata(&path).expect("metadata");
            let rel = path
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let bytes = if meta.is_dir() {
                stack.push(path.clone());
                Vec::new()
            } else {
                std::fs::read(&path).expect("read")
            };
            out.insert(rel, (bytes, meta.mode() & 0o7777, meta.mtime()));
        }
    }
    let meta = std::fs::metadata(dir).expect("root");
    out.insert(".".into(), (Vec::new(), meta.mode() & 0o7777, meta.mtime()));
    out
}

fn release(version: &str, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dsti"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["release", "--version", version, "--out"])
        .arg(out)
        .output()
        .expect("run dsti release")
}

#[test]
fn two_releases_are_byte_identical_and_checksummed() {
    let dir = scratch("release");
    for version in Version::ALL {
        let (a, b) = (
            dir.join(format!("a-{version}")),
            dir.join(format!("b-{version}")),
        );
        for out in [&a, &b] {
            let run = release(version.as_str(), out);
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            // A pause, so that a time taken from the clock would differ.
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let (sa, sb) = (snapshot(&a), snapshot(&b));
        assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
        for (path, entry) in &sa {
            assert!(
                sb.get(path) == Some(entry),
                "{version}: {path} differs between runs"
            );
        }
        // Fixed modes and time.
        for (path, (_, mode, mtime)) in &sa {
            let want = if a.join(path).is_dir() { 0o755 } else { 0o644 };
            assert_eq!(*mode, want, "{path}");
            assert_eq!(
                *mtime,
                dsti_cli::kit::bundle::DEFAULT_EPOCH as i64,
                "{path}"
            );
        }
        // SHA256SUMS lists every other file with its digest, sorted.
        let sums = std::fs::read_to_string(a.join("SHA256SUMS")).expect("sums");
        let listed: Vec<(&str, &str)> = sums
            .lines()
            .map(|l| l.split_once("  ").expect("digest  path"))
            .collect();
        let files: Vec<&String> = sa
            .keys()
            .filter(|p| a.join(p).is_file() && *p != "SHA256SUMS")
            .collect();
        assert_eq!(listed.len(), files.len(), "{version}");
        let mut paths: Vec<&str> = listed.iter().map(|(_, p)| *p).collect();
        paths.sort_unstable();
        assert_eq!(paths, listed.iter().map(|(_, p)| *p).collect::<Vec<_>>());
        for (digest, path) in listed {
            let bytes = std::fs::read(a.join(path)).expect("listed file");
            assert_eq!(digest, dsti_cli::kit::bundle::sha256_hex(&bytes), "{path}");
        }
        // What it holds: schemas, catalogue, site, vectors with their manifest.
        for &kind in dsti::schema::kinds(version) {
            let on_disk =
                std::fs::read(a.join(format!("schemas/{version}/{kind}.json"))).expect("schema");
            let committed = std::fs::read(root().join(format!("schemas/{version}/{kind}.json")))
                .expect("committed");
            assert_eq!(on_disk, committed, "{version}/{kind}");
            assert!(a.join(format!("docs/{version}/zh/{kind}.html")).is_file());
        }
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(a.join("schemas/index.json")).expect("index"))
                .expect("json");
        assert_eq!(index["versions"].as_object().map(|v| v.len()), Some(1));
        assert!(a.join("docs/index.html").is_file());
        assert!(a
            .join(format!("vectors/{version}/invalid/manifest.json"))
            .is_file());
        assert!(a.join("CONFORMANCE.md").is_file());
        // The changelog: against the previous version, none for the first.
        let changelog = a.join("CHANGELOG.md");
        match dsti_cli::kit::bundle::previous(version) {
            None => assert!(!changelog.exists(), "{version} has no predecessor"),
            Some(prev) => {
                let text = std::fs::read_to_string(&changelog).expect("changelog");
                assert!(
                    text.contains("## 中文") && text.contains("## English"),
                    "{text}"
                );
                assert!(text.contains(&format!("dsti compat {prev} {version}")));
                // Every change of the comparison has a row in each language.
                let old = dsti_cli::load::load(prev.as_str()).expect("old");
                let new = dsti_cli::load::load(version.as_str()).expect("new");
                let n = dsti::compat::compare_sets(&old, &new).len();
                assert_eq!(text.lines().filter(|l| l.starts_with("| `")).count(), 2 * n);
            }
        }
        // The bundle's vectors are a suite the conformance kit runs.
        let suite = dsti_cli::kit::vectors::load(&a.join("vectors"), None).expect("suite");
        assert!(suite.iter().all(|v| v.name.starts_with(version.as_str())));
    }
    // Into a directory that is not empty: refused, exit 2.
    let run = release("2.0", &dir.join("a-2.0"));
    assert_eq!(run.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_version_is_a_usage_error() {
    let dir = scratch("release-bad");
    let run = release("9.9", &dir.join("out"));
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("known: 1.0"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `dsti validate` on a vector with a wrong check character, under `env`, with `args`: its
/// text report.
fn validate_in(env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dsti"));
    cmd.current_dir(root());
    for var in dsti_cli::kit::lang::VARIABLES {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd
        .args(["validate", "--now", "2026-11-28T12:00:00+08:00"])
        .args(args)
        .arg("tests/vectors/2.0/invalid/uscc-checksum.json")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_language_follows_the_environment_unless_told() {
    let zh = dsti::Code::UsccChecksum.summary_zh();
    let en = dsti::Code::UsccChecksum.summary_en();
    let says = |text: &str| (text.contains(zh), text.contains(en));
    assert_eq!(
        says(&validate_in(&[], &[])),
        (false, true),
        "no locale: English"
    );
    assert_eq!(
        says(&validate_in(&[("LANG", "zh_CN.UTF-8")], &[])),
        (true, false)
    );
    assert_eq!(
        says(&validate_in(&[("LANG", "en_US.UTF-8")], &[])),
        (false, true)
    );
    // LC_ALL, then LC_MESSAGES, then LANG.
    assert_eq!(
        says(&validate_in(
            &[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")],
            &[]
        )),
        (false, true)
    );
    assert_eq!(
        says(&validate_in(
            &[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US")],
            &[]
        )),
        (true, false)
    );
    // --lang wins.
    assert_eq!(
        says(&validate_in(&[("LANG", "zh_CN.UTF-8")], &["--lang", "en"])),
        (false, true)
    );
    assert_eq!(
        says(&validate_in(
            &[("LC_ALL", "en_US.UTF-8")],
            &["--lang", "zh"]
        )),
        (true, false)
    );
}

#[test]
fn a_signed_release_verifies_and_stays_reproducible() {
    use dsti::sign::keys::{Jwks, PrivateKey};
    use dsti_cli::kit::bundle;
    let dir = scratch("release-signed");
    let kid = "https://assoc.example/keys/2026";
    let key = PrivateKey::ed25519_from_seed(&[42; 32]).with_kid(kid);
    let key_file = dir.join("key.jwk");
    std::fs::write(&key_file, key.to_jwk().as_bytes()).expect("write key");
    let run = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_dsti"))
            .current_dir(root())
            .args(["release", "--version", "2.0", "--key"])
            .arg(&key_file)
            .arg("--out")
            .arg(out)
            .output()
            .expect("run")
    };
    let (a, b) = (dir.join("a"), dir.join("b"));
    for out in [&a, &b] {
        let r = run(out);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        // The private key never reaches the bundle or the terminal.
        assert!(!String::from_utf8_lossy(&r.stderr).contains("\"d\""));
    }
    assert_eq!(
        snapshot(&a),
        snapshot(&b),
        "Ed25519: the signed bundle is byte-identical"
    );
    let sums = std::fs::read(a.join("SHA256SUMS")).expect("sums");
    let jws = std::fs::read_to_string(a.join(bundle::SIGNATURE)).expect("jws");
    let keys_text = std::fs::read_to_string(a.join(bundle::SIGNING_KEYS)).expect("jwks");
    assert!(
        !keys_text.contains("\"d\""),
        "only the public key is published"
    );
    let keys = Jwks::from_json(&keys_text).expect("jwks");
    assert_eq!(bundle::verify(&sums, &jws, &keys).as_deref(), Ok(kid));
    // A file changed after signing: its digest no longer matches; a changed manifest no longer
    // verifies.
    let mut tampered = sums.clone();
    tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
    assert!(bundle::verify(&tampered, &jws, &keys).is_err());
    // Another key does not verify it.
    let mut other = Jwks::new();
    other.push(
        PrivateKey::ed25519_from_seed(&[1; 32])
            .public_key()
            .with_kid(kid),
    );
    assert!(bundle::verify(&sums, &jws, &other).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
