//! Integration tests of the `dsti` binary: one test binary, so that it links once. They run
//! the binary (`CARGO_BIN_EXE_dsti` exists only inside this package) from the repository root,
//! on the repository's vectors, fixtures and committed schemas.

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
