//! `dsti`: the command-line tool of the Domestic Service Training Interchange.
//!
//! Argument parsing, files and exit codes; everything else is the library's.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dsti::report::{Format, ReportWriter};
use dsti::validate::{InputFormat, Lang, Options, Profile, Validator};
use dsti::{schema, Version};

#[derive(Parser)]
#[command(
    name = "dsti",
    version,
    about = "Domestic Service Training Interchange: validate, migrate and publish training records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate uploads: one verdict per record. Exit 0 all valid, 1 some invalid, 2 usage or I/O error.
    Validate(ValidateArgs),
    /// Write the JSON Schemas of a version.
    Schema(SchemaArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Ndjson,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

#[derive(Clone, Copy, ValueEnum)]
enum VersionArg {
    #[value(name = "1.0")]
    V1,
    #[value(name = "2.0")]
    V2,
}

impl From<VersionArg> for Version {
    fn from(v: VersionArg) -> Version {
        match v {
            VersionArg::V1 => Version::V1_0,
            VersionArg::V2 => Version::V2_0,
        }
    }
}

#[derive(clap::Args)]
struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// Judge as if it were this time (RFC 3339 with offset).
    #[arg(long)]
    now: Option<String>,
    /// A jurisdiction's profile (JSON).
    #[arg(long)]
    profile: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Largest record in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_record_bytes: usize,
    /// Deepest nesting of a record.
    #[arg(long, default_value_t = 64)]
    max_depth: usize,
    /// Longest string in a record, in bytes.
    #[arg(long, default_value_t = 64 << 10)]
    max_string_bytes: usize,
    /// Files: `.json` (a record, an array or a batch), `.ndjson`/`.jsonl` (a record a line), `-` for stdin.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// Version of the standard.
    #[arg(long, value_enum, default_value = "2.0")]
    version: VersionArg,
    /// Base of the schemas' `$id`.
    #[arg(long, default_value = schema::DEFAULT_BASE_URI)]
    base_uri: String,
    /// Directory to write `<version>/<kind>.json` under.
    #[arg(long)]
    out: PathBuf,
}

/// A usage or I/O failure: exit status 2.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate(args),
        Command::Schema(args) => write_schemas(args),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("dsti: {message}");
            ExitCode::from(2)
        }
    }
}

fn input_format(path: &Path) -> InputFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ndjson" | "jsonl") => InputFormat::Ndjson,
        Some("json") => InputFormat::Json,
        _ => InputFormat::Auto,
    }
}

fn open(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>), Failure> {
    if path == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    let file = File::open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let len = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), len))
}

/// A reader that moves a progress bar by the bytes read.
struct Progress<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

fn validate(args: ValidateArgs) -> Result<ExitCode, Failure> {
    let profile = match &args.profile {
        Some(path) => {
            Profile::load(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?
        }
        None => Profile::default(),
    };
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let mut options = Options::default().profile(profile).lang(lang);
    if let Some(now) = &args.now {
        let now = chrono::DateTime::parse_from_rfc3339(now)
            .map_err(|_| Failure(format!("--now {now}: not an RFC 3339 time with an offset")))?;
        options = options.now(now);
    }
    let mut limits = dsti::validate::Limits::default();
    limits.max_record_bytes = args.max_record_bytes;
    limits.max_depth = args.max_depth;
    limits.max_string_bytes = args.max_string_bytes;
    options = options.limits(limits);
    let validator = Validator::new(options);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Ndjson => Format::Ndjson,
    };
    let stdout = io::stdout().lock();
    let mut report = ReportWriter::new(
        BufWriter::with_capacity(1 << 16, stdout),
        format,
        lang,
        &validator.options().profile.profile,
    )?;
    let several = args.files.len() > 1;
    for path in &args.files {
        report.set_file(several.then(|| path.display().to_string()))?;
        let (reader, len) = open(path)?;
        let show_bar = format == Format::Text
            && io::stderr().is_terminal()
            && len.is_some_and(|l| l > 8 << 20);
        let reader: Box<dyn Read + Send> = match (show_bar, len) {
            (true, Some(len)) => {
                let bar = indicatif::ProgressBar::new(len);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                Box::new(Progress { inner: reader, bar })
            }
            _ => reader,
        };
        let events: Box<dyn Iterator<Item = io::Result<dsti::validate::Event>>> = if jobs > 1 {
            Box::new(validator.validate_reader_parallel(reader, input_format(path), jobs))
        } else {
            Box::new(validator.validate_reader(reader, input_format(path)))
        };
        for event in events {
            let event = event.map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            report.write_event(&event)?;
        }
    }
    let invalid = report.any_invalid();
    report.finish()?;
    Ok(if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_schemas(args: SchemaArgs) -> Result<ExitCode, Failure> {
    let written = schema::write_schemas(args.version.into(), &args.base_uri, &args.out)?;
    let mut err = io::stderr().lock();
    for path in written {
        writeln!(err, "wrote {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}
