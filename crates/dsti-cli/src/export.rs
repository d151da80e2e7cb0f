//! `dsti export`: valid records written for other systems. `--to parquet`: one Parquet file
//! per kind for analytics engines (see the `parquet` module).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::history::{read_digest_key, validator};
use crate::Failure;

/// What `dsti export` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportTarget {
    /// One Parquet file per kind under --out.
    Parquet,
}

/// Arguments of `dsti export`.
#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// Uploads (NDJSON, JSON array or batch), any version.
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// The format to export to.
    #[arg(long, value_enum)]
    pub(crate) to: ExportTarget,
    /// Directory to write the files under.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// The exchange's digest key: document numbers become `documentDigest` (HMAC-SM3).
    #[arg(long)]
    pub(crate) digest_key_file: PathBuf,
    /// A jurisdiction's profile (JSON), for validation.
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// Judge as of this time (RFC 3339 with offset); default: the clock.
    #[arg(long)]
    pub(crate) now: Option<String>,
}

/// Run `dsti export`: the files written and their rows to stderr. Exit 0; 2 on usage or I/O
/// errors.
pub(crate) fn run(args: ExportArgs) -> Result<ExitCode, Failure> {
    let validator = validator(args.profile.as_deref(), args.now.as_deref())?;
    let key = read_digest_key(&args.digest_key_file)?;
    match args.to {
        ExportTarget::Parquet => {
            let written = crate::parquet::export(&validator, &args.files, &args.out, &key)?;
            for (path, rows) in &written.files {
                eprintln!("{}: {rows} rows", path.display());
            }
            eprintln!(
                "{} records read, {} invalid skipped",
                written.read, written.invalid
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
