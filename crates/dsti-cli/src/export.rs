//! `dsti export`: records projected to other formats, one object a line (NDJSON) to `--out`
//! or stdout, the report (with each record's losses) to stderr. The projections themselves are
//! the library's `dsti::project`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use dsti::privacy::{DigestAlgorithm, DigestKey};
use dsti::project::{self, Options, Outcome, ProjectionReportWriter, Skip, Target};
use dsti::report::Format;
use dsti_cli::load::{input_format, open};

use crate::args::{FormatArg, LangArg};
use crate::Failure;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum TargetArg {
    /// 1EdTech Open Badges 3.0: each certificate as an OpenBadgeCredential.
    Ob3,
    /// xAPI 2.0: each finished completion as a statement.
    Xapi,
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
    /// Where the projected objects go, one a line (`-`: stdout).
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
    /// Files of records of any version (`.json`, `.ndjson`; `-` for stdin).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

fn digest_key(path: &Path) -> Result<DigestKey, Failure> {
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?,
    );
    let end = bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(&bytes);
    if end.is_empty() {
        return Err(Failure(format!(
            "{}: the digest key is empty",
            path.display()
        )));
    }
    Ok(DigestKey::new(end.to_vec()))
}

/// Exit 0 when every record was projected or is of a kind or state that does not project,
/// 1 when some record was invalid or could not be projected without a digest key, 2 on a
/// usage or I/O error.
pub(crate) fn run(args: ExportArgs) -> Result<ExitCode, Failure> {
    let target = match args.to {
        TargetArg::Ob3 => Target::Ob3,
        TargetArg::Xapi => Target::Xapi,
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
        options = options.digest_key(digest_key(path)?);
    }
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
        let projections = project::project_reader(reader, input_format(path), target, &options)
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
