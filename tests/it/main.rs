//! Integration tests of the library: one binary, so that it links once. The `dsti` binary's
//! own tests (commands, exit codes, the reference site) are in `crates/dsti-cli/tests/it`.

mod adversarial;
mod corpus;
mod crossval;
mod messages;
mod migrate;
mod migration_rules;
mod parallel;
mod project;
mod properties;
mod proptests;
mod published;
mod schemas;
#[cfg(feature = "sign")]
mod sign;
mod typed;
mod v2_1;
mod vectors;
mod writers;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether golden files are to be rewritten from the code (`DSTI_BLESS` set) instead of
/// compared. Refused under `CI`: there the committed files are the oracle, never the output.
pub fn bless() -> bool {
    let bless = std::env::var_os("DSTI_BLESS").is_some();
    assert!(
        !bless || std::env::var_os("CI").is_none(),
        "DSTI_BLESS is refused under CI: golden files are compared there, never rewritten"
    );
    bless
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

/// The ISO 7064 MOD 11-2 check character of 17 digits, as GB 11643 defines it (computed here,
/// not by the library, so that tests do not take the code under test as their oracle).
pub fn mod11_2(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * ((1u32 << (17 - i)) % 11))
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}
