//! `dsti export`: records written for other systems. `--to ob3|xapi`: records projected to
//! international formats, one object a line (NDJSON) to `--out` or stdout, the report (with
//! each record's losses) to stderr; the projections themselves are the library's
//! `dsti::project`. `--to parquet`: one Parquet file per kind under `--out`, for analytics
//! engines (the `parquet` module).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use dsti::privacy::DigestAlgorithm;
use dsti::project::{self, Options, Outcome, ProjectionReportWriter, Skip, Target};
use dsti::report::Format;
use dsti::rules::RuleContext;
use dsti_cli::load::{input_format, open};

use crate::args::{FormatArg, LangArg};
use crate::history::{parse_now, read_digest_key, validator};
use crate::Failure;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum TargetArg {
    /// 1EdTech Open Badges 3.0: each certificate as an OpenBadgeCredential.
    Ob3,
    /// xAPI 2.0: each finished completion as a statement.
    Xapi,
    /// Apache Parquet: one file per kind under --out (a directory), document numbers replaced
    /// by documentDigest (needs --digest-key-file).
    Parquet,
}

#[derive(Clone, Copy, ValueEnum)]
enum DigestAlgArg {
    Sm3,
    Sha256,
}

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// The format to project to.
    #[arg(long, value_enum)]
    to: TargetArg,
    /// Where the projected objects go, one a line (`-`: stdout); with --to parquet, the
    /// directory the files are written under.
    #[arg(long, default_value = "-")]
    out: PathBuf,
    /// The exchange's digest key (the file's bytes; a final line break is not part of it):
    /// required when records carry raw document numbers, which never leave; their keyed
    /// digest does.
    #[arg(long)]
    digest_key_file: Option<PathBuf>,
    /// The HMAC of digests computed with --digest-key-file.
    #[arg(long, value_enum, default_value = "sm3")]
    digest_alg: DigestAlgArg,
    /// With --to ob3: secure each credential with this private key (a JWK as `dsti keys
    /// generate` writes it, or a PKCS#8 PEM) as a VC-JOSE JWS, written as an
    /// EnvelopedVerifiableCredential.
    #[arg(long)]
    key: Option<PathBuf>,
    /// The key's identifier, where the key file carries none (a PEM key).
    #[arg(long)]
    kid: Option<String>,
    /// The public base URL of the exchange: xAPI actors' account homePage.
    #[arg(long, default_value = project::DEFAULT_HOME_PAGE)]
    home_page: String,
    /// Format of the report (stderr).
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Language of the report (default: from LC_ALL, LC_MESSAGES, LANG: `zh*` is Chinese).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// A jurisdiction's profile (JSON), for the validation that decides what is written (every
    /// target: an invalid record is refused, or with --to parquet skipped).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Judge validity as of this time (RFC 3339 with offset; every target); default: the clock.
    #[arg(long)]
    now: Option<String>,
    /// Files of records of any version (`.json`, `.ndjson`; `-` for stdin).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Exit 0 when every record was projected or is of a kind or state that does not project,
/// 1 when some record was invalid or could not be projected without a digest key, 2 on a
/// usage or I/O error.
pub(crate) fn run(args: ExportArgs) -> Result<ExitCode, Failure> {
    let target = match args.to {
        TargetArg::Ob3 => Target::Ob3,
        TargetArg::Xapi => Target::Xapi,
        TargetArg::Parquet => return parquet(&args),
    };
    let key =
        match (&args.key, target) {
            (Some(_), Target::Xapi) => return Err(Failure(
                "--key secures OB 3.0 credentials (--to ob3); xAPI statements are not signed here"
                    .to_owned(),
            )),
            (Some(path), _) => Some(crate::sign::load_key(path, args.kid.clone())?),
            (None, _) => None,
        };
    let mut options = Options::default()
        .home_page(args.home_page.clone())
        .digest_algorithm(match args.digest_alg {
            DigestAlgArg::Sm3 => DigestAlgorithm::HmacSm3,
            DigestAlgArg::Sha256 => DigestAlgorithm::HmacSha256,
        });
    if let Some(path) = &args.digest_key_file {
        options = options.digest_key(read_digest_key(path)?);
    }
    // --profile and --now judge validity as `dsti migrate` and `--to parquet` do; without
    // them, records are judged by the default profile at the clock.
    let ctx = match (&args.profile, &args.now) {
        (None, None) => None,
        (profile, now) => Some(RuleContext::new(
            crate::load_profile(profile.as_deref())?,
            match now {
                Some(now) => parse_now(now)?,
                None => chrono::Utc::now().fixed_offset(),
            },
            dsti::text::Lang::default(),
        )),
    };
    let lang = crate::lang_or_env(args.lang);
    let mut out: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(BufWriter::new(io::stdout().lock()))
    } else {
        let file =
            File::create(&args.out).map_err(|e| Failure(format!("{}: {e}", args.out.display())))?;
        Box::new(BufWriter::new(file))
    };
    let mut report = ProjectionReportWriter::new(
        BufWriter::new(io::stderr().lock()),
        Format::from(args.format),
        lang,
    )?;
    let mut failed = false;
    for path in &args.files {
        let (reader, _) = open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        let format = input_format(path);
        let projections = match &ctx {
            Some(ctx) => project::project_reader_in(reader, format, target, &options, ctx),
            None => project::project_reader(reader, format, target, &options),
        }
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        for projected in projections {
            let projected = projected.map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            failed |= matches!(
                projected.report.outcome,
                Outcome::Refused { .. }
                    | Outcome::Skipped {
                        reason: Skip::NoDigestKey
                    }
            );
            if let Some(object) = &projected.output {
                match &key {
                    Some(key) => {
                        let jws = project::secure_jose(object, key)?;
                        serde_json::to_writer(&mut out, &project::enveloped(&jws))?;
                    }
                    None => serde_json::to_writer(&mut out, object)?,
                }
                out.write_all(b"\n")?;
            }
            report.write(&projected.report)?;
        }
    }
    out.flush()?;
    report.finish()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--to parquet`: the files written and their rows to stderr. Exit 0; 2 on usage or I/O
/// errors.
fn parquet(args: &ExportArgs) -> Result<ExitCode, Failure> {
    let Some(key_file) = &args.digest_key_file else {
        return Err(Failure(
            "--to parquet needs --digest-key-file: document numbers leave only as digests"
                .to_owned(),
        ));
    };
    if args.out.as_os_str() == "-" {
        return Err(Failure(
            "--to parquet needs --out DIR: the directory the files are written under".to_owned(),
        ));
    }
    let validator = validator(args.profile.as_deref(), args.now.as_deref())?;
    let key = read_digest_key(key_file)?;
    let written = crate::parquet::export(&validator, &args.files, &args.out, &key)?;
    for (path, rows) in &written.files {
        eprintln!("{}: {rows} rows", path.display());
    }
    eprintln!(
        "{} records read, {} invalid skipped",
        written.read, written.invalid
    );
    Ok(ExitCode::SUCCESS)
}
