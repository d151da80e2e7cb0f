//! The command line of `dsti`: clap's types, and one `From` per library enum that a flag
//! chooses (clap needs `ValueEnum`; the library derives no clap trait).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use dsti::report::Format;
use dsti::validate::Lang;
use dsti::{compat, schema, Kind, Version};

#[derive(Parser)]
#[command(
    name = "dsti",
    version,
    about = "Domestic Service Training Interchange: validate, migrate and publish training records"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Validate uploads: one verdict per record. Exit 0 all valid, 1 some invalid, 2 usage or I/O error.
    Validate(ValidateArgs),
    /// Migrate records to another version: records to stdout in the input's layout, the report to stderr. Exit 0 all migrated, 1 some refused, 2 usage or I/O error.
    Migrate(MigrateArgs),
    /// Write the JSON Schemas of a version.
    Schema(SchemaArgs),
    /// Write valid synthetic records as NDJSON to stdout, the same for the same seed.
    Generate(GenerateArgs),
    /// Write the bilingual reference site (HTML, Chinese and English) of every version.
    Docs(DocsArgs),
    /// Compare two schema sets and list what changed. Exit 0 compatible, 1 the mode is broken, 2 usage or I/O error.
    Compat(CompatArgs),
    /// Write the reproducible release bundle of a version: schemas, reference, vectors, changelog, SHA256SUMS.
    Release(crate::release::ReleaseArgs),
    /// Run every test vector through another implementation's command line. Exit 0 it conforms, 1 it does not, 2 usage or I/O error.
    Conformance(crate::conformance::ConformanceArgs),
    /// Run the exchange service (`--config FILE`), or make a sender's token (`serve token --sender USCC`).
    Serve(crate::serve::ServeArgs),
    /// Make signing keys (Ed25519 or SM2) as JWK and PEM, and the JWKS verifiers read.
    Keys(crate::sign::KeysArgs),
    /// Sign certificates and batches: signed records to stdout in the input's layout.
    Sign(crate::sign::SignArgs),
    /// Check signatures (and, with --status, revocation and suspension): one verdict per record. Exit 0 all verified, 1 some not, 2 usage or I/O error.
    Verify(crate::sign::VerifyArgs),
    /// Build W3C Bitstring Status Lists of revoked or suspended certificates.
    StatusList(crate::sign::StatusListArgs),
    /// One line per person: pre-job training and retraining due per service category, certificates in force, competitions. People are shown masked or by documentDigest.
    History(crate::history::HistoryArgs),
    /// Distinct people who completed training, completions, class hours, certificates by level and competition entrants, by programme, province, year, occupation, level and service category.
    Stats(crate::stats::StatsArgs),
    /// Write valid records for other systems: `--to ob3|xapi` projects certificates to Open Badges 3.0 credentials and completions to xAPI statements (NDJSON to --out, the report with what was lost to stderr); `--to parquet` writes one Parquet file per kind under --out, document numbers replaced by documentDigest. Exit 0 done, 1 some record invalid or needing --digest-key-file (ob3, xapi), 2 usage or I/O error.
    Export(crate::export::ExportArgs),
}

#[derive(clap::Args)]
pub(crate) struct DocsArgs {
    /// Directory to write the site under.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CompatModeArg {
    Backward,
    Forward,
    Full,
}

impl From<CompatModeArg> for compat::Mode {
    fn from(m: CompatModeArg) -> compat::Mode {
        match m {
            CompatModeArg::Backward => compat::Mode::Backward,
            CompatModeArg::Forward => compat::Mode::Forward,
            CompatModeArg::Full => compat::Mode::Full,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct CompatArgs {
    /// The old schemas: a directory of `<kind>.json`, `DIR#VERSION`, a catalogue
    /// (`schemas/index.json#1.0`) or a version of the standard (`1.0`).
    pub(crate) old: String,
    /// The new schemas, named the same way.
    pub(crate) new: String,
    /// Which compatibility must hold: backward (old data valid under new), forward (new data valid under old), or both.
    #[arg(long, value_enum, default_value = "backward")]
    pub(crate) mode: CompatModeArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: FormatArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
    Ndjson,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Ndjson => Format::Ndjson,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum VersionArg {
    #[value(name = "1.0")]
    V1,
    #[value(name = "2.0")]
    V2,
    #[value(name = "2.1")]
    V21,
}

impl From<VersionArg> for Version {
    fn from(v: VersionArg) -> Version {
        match v {
            VersionArg::V1 => Version::V1_0,
            VersionArg::V2 => Version::V2_0,
            VersionArg::V21 => Version::V2_1,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: FormatArg,
    /// Language of messages (default: from LC_ALL, LC_MESSAGES, LANG: `zh*` is Chinese).
    #[arg(long, value_enum)]
    pub(crate) lang: Option<LangArg>,
    /// Judge as if it were this time (RFC 3339 with offset).
    #[arg(long)]
    pub(crate) now: Option<String>,
    /// Judge batches as uploads made for this sender (a unified social credit code): a batch
    /// naming another sender gets `upload.sender-mismatch`, as `dsti serve` judges an upload
    /// by its token's sender.
    #[arg(long, value_name = "USCC")]
    pub(crate) sender: Option<String>,
    /// A jurisdiction's profile (JSON).
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    pub(crate) jobs: Option<usize>,
    /// Read NDJSON files instead of mapping them (for files another process may truncate
    /// meanwhile, which would end a mapped run with SIGBUS).
    #[arg(long)]
    pub(crate) no_mmap: bool,
    /// Largest record in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub(crate) max_record_bytes: usize,
    /// Deepest nesting of a record.
    #[arg(long, default_value_t = 64)]
    pub(crate) max_depth: usize,
    /// Longest string in a record, in bytes.
    #[arg(long, default_value_t = 64 << 10)]
    pub(crate) max_string_bytes: usize,
    /// Files: `.json` (a record, an array or a batch), `.ndjson`/`.jsonl` (a record a line), `-` for stdin.
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct SchemaArgs {
    /// Version of the standard.
    #[arg(long, value_enum, default_value = "2.0")]
    pub(crate) version: VersionArg,
    /// Base of the schemas' `$id`.
    #[arg(long, default_value = schema::DEFAULT_BASE_URI)]
    pub(crate) base_uri: String,
    /// Directory to write `<version>/<kind>.json` under.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    Person,
    Course,
    Completion,
    Certificate,
    /// Competition entries (version 2.1).
    Competition,
    /// 20 % people, 10 % courses, 50 % completions, 20 % certificates (in 2.1 also the
    /// competition entries behind some certificates).
    Mixed,
}

/// The kind to generate; `None` for a mix.
impl From<KindArg> for Option<Kind> {
    fn from(k: KindArg) -> Option<Kind> {
        match k {
            KindArg::Person => Some(Kind::Person),
            KindArg::Course => Some(Kind::Course),
            KindArg::Completion => Some(Kind::Completion),
            KindArg::Certificate => Some(Kind::Certificate),
            KindArg::Competition => Some(Kind::Competition),
            KindArg::Mixed => None,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// Kind of records.
    #[arg(long, value_enum)]
    pub(crate) kind: KindArg,
    /// How many records.
    #[arg(long)]
    pub(crate) count: u64,
    /// Seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Version of the standard.
    #[arg(long, value_enum, default_value = "2.0")]
    pub(crate) version: VersionArg,
}

#[derive(clap::Args)]
pub(crate) struct MigrateArgs {
    /// Version to migrate to: 1.0 <-> 2.0 (the downgrade lossy: every dropped value reported),
    /// 2.0 <-> 2.1 (2.1 -> 2.0 drops proof, credentialStatus and programmeKind, each reported,
    /// and refuses competition entries); 1.0 <-> 2.1 goes through 2.0.
    #[arg(long, value_enum)]
    pub(crate) to: VersionArg,
    /// Format of the report written to stderr.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) report_format: FormatArg,
    /// Language of the report (default: from LC_ALL, LC_MESSAGES, LANG: `zh*` is Chinese).
    #[arg(long, value_enum)]
    pub(crate) lang: Option<LangArg>,
    /// A jurisdiction's profile (JSON), applied as `dsti validate --profile` applies it.
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// File: `.json` (a record, an array or a batch), `.ndjson`/`.jsonl` (a record a line), `-` for stdin.
    pub(crate) file: PathBuf,
}
