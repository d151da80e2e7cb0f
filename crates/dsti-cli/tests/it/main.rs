//! Integration tests of the `dsti` binary: one test binary, so that it links once. They run
//! the binary (`CARGO_BIN_EXE_dsti` exists only inside this package) from the repository root,
//! on the repository's vectors, fixtures and committed schemas.

mod browser;
mod cli;
/// The HTTP/1.1 test client of the service's own tests.
#[path = "../../../dsti-server/tests/it/client.rs"]
mod client;
mod compat;
mod conformance;
mod docs;
mod edges;
mod export;
mod history;
mod migrate;
mod release;
mod serve;
mod sign;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root (two levels above this crate), where the vectors and schemas are.
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Every file with `ext` directly inside `dir`, sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// A fresh, empty directory of this test process under the target dir (no tempfile crate; a
/// browser run by the tests can read it). `name` is unique across the tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("test-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Runs `dsti args` in `dir`, with English messages whatever the machine's locale.
pub fn dsti_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dsti"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .output()
        .expect("run dsti")
}

/// The standard output of a run that must succeed (its standard error says why it did not).
pub fn ok(out: Output) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `dsti generate --kind kind --count count` and the further `options`, run in `dir`: the
/// records (NDJSON).
pub fn generate(dir: &Path, kind: &str, count: &str, options: &[&str]) -> Vec<u8> {
    let mut args = vec!["generate", "--kind", kind, "--count", count];
    args.extend_from_slice(options);
    ok(dsti_in(dir, &args))
}

/// `dsti keys generate --alg alg --kid kid --out out`, run in `dir`.
pub fn keys_generate(dir: &Path, alg: &str, kid: &str, out: &str) -> Output {
    dsti_in(
        dir,
        &["keys", "generate", "--alg", alg, "--kid", kid, "--out", out],
    )
}

/// Every line of NDJSON output as a JSON value.
pub fn ndjson(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The codes of a verdict's issues, in order.
pub fn issue_codes(verdict: &Value) -> Vec<String> {
    verdict["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["code"].as_str().expect("code").to_owned())
        .collect()
}
