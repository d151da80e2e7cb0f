//! `dsti release`: the reproducible bundle of one version (the files are
//! [`dsti_cli::kit::bundle`]'s), written into an empty directory.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use dsti::{schema, Version};
use dsti_cli::kit::bundle;

use crate::Failure;

/// `dsti release`'s arguments.
#[derive(clap::Args)]
pub(crate) struct ReleaseArgs {
    /// Version of the standard to release (`1.0`, `2.0`, …).
    #[arg(long, value_parser = parse_version)]
    pub(crate) version: Version,
    /// Directory to write the bundle into (absent or empty).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// The test vectors: a directory of `<version>/valid/` and `<version>/invalid/`.
    #[arg(long, default_value = "tests/vectors")]
    pub(crate) vectors: PathBuf,
    /// Base of the schemas' `$id`.
    #[arg(long, default_value = schema::DEFAULT_BASE_URI)]
    pub(crate) base_uri: String,
}

/// A version named on the command line, from the library's list of versions.
pub(crate) fn parse_version(s: &str) -> Result<Version, String> {
    s.parse::<Version>().map_err(|_| {
        let known: Vec<&str> = Version::ALL.iter().map(|v| v.as_str()).collect();
        format!("unknown version (known: {})", known.join(", "))
    })
}

pub(crate) fn run(args: ReleaseArgs) -> Result<ExitCode, Failure> {
    let files = bundle::build(args.version, &args.vectors, &args.base_uri)?;
    let written = bundle::write(&args.out, &files, bundle::epoch())?;
    let sums = files
        .last()
        .map(|f| bundle::sha256_hex(&f.bytes))
        .unwrap_or_default();
    writeln!(
        io::stderr().lock(),
        "wrote {} files of DSTI {} under {} (SHA256SUMS {sums})",
        written.len(),
        args.version,
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
