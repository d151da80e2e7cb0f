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
}

#[derive(clap::Args)]
struct DocsArgs {
    /// Directory to write the site under.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompatModeArg {
    Backward,
    Forward,
    Full,
}

#[derive(Clone, Copy, ValueEnum)]
enum CompatFormatArg {
    Text,
    Json,
}

#[derive(clap::Args)]
struct CompatArgs {
    /// The old schemas: a directory of `<kind>.json`, `DIR#VERSION`, a catalogue
    /// (`schemas/index.json#1.0`) or a version of the standard (`1.0`).
    old: String,
    /// The new schemas, named the same way.
    new: String,
    /// Which compatibility must hold: backward (old data valid under new), forward (new data valid under old), or both.
    #[arg(long, value_enum, default_value = "backward")]
    mode: CompatModeArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: CompatFormatArg,
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

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Person,
    Course,
    Completion,
    Certificate,
    /// 20 % people, 10 % courses, 50 % completions, 20 % certificates.
    Mixed,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// Kind of records.
    #[arg(long, value_enum)]
    kind: KindArg,
    /// How many records.
    #[arg(long)]
    count: u64,
    /// Seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Version of the standard.
    #[arg(long, value_enum, default_value = "2.0")]
    version: VersionArg,
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
        Command::Migrate(args) => migrate(args),
        Command::Schema(args) => write_schemas(args),
        Command::Generate(args) => generate(args),
        Command::Docs(args) => write_docs(args),
        Command::Compat(args) => compat(args),
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
    let mut written = schema::write_schemas(args.version.into(), &args.base_uri, &args.out)?;
    written.push(schema::write_index(&args.base_uri, &args.out)?);
    let mut err = io::stderr().lock();
    for path in written {
        writeln!(err, "wrote {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(args: GenerateArgs) -> Result<ExitCode, Failure> {
    let kind = match args.kind {
        KindArg::Person => Some(dsti::Kind::Person),
        KindArg::Course => Some(dsti::Kind::Course),
        KindArg::Completion => Some(dsti::Kind::Completion),
        KindArg::Certificate => Some(dsti::Kind::Certificate),
        KindArg::Mixed => None,
    };
    // write_ndjson buffers by itself.
    let written = match args.version {
        VersionArg::V1 => {
            dsti::v1::generate::write_ndjson_v1(io::stdout().lock(), kind, args.count, args.seed)
        }
        VersionArg::V2 => {
            dsti::generate::write_ndjson(io::stdout().lock(), kind, args.count, args.seed)
        }
    };
    match written {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // The reader has had enough (`dsti generate … | head`).
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure(e.to_string())),
    }
}

fn write_docs(args: DocsArgs) -> Result<ExitCode, Failure> {
    let written = dsti::docs::write_site(&args.out)
        .map_err(|e| Failure(format!("{}: {e}", args.out.display())))?;
    writeln!(
        io::stderr().lock(),
        "wrote {} pages under {}",
        written.len(),
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn compat(args: CompatArgs) -> Result<ExitCode, Failure> {
    use dsti::compat;
    let old = compat::load(&args.old)?;
    let new = compat::load(&args.new)?;
    let mode = match args.mode {
        CompatModeArg::Backward => compat::Mode::Backward,
        CompatModeArg::Forward => compat::Mode::Forward,
        CompatModeArg::Full => compat::Mode::Full,
    };
    let changes = compat::compare_sets(&old, &new);
    let mut out = io::stdout().lock();
    match args.format {
        CompatFormatArg::Text => out.write_all(compat::report_text(&changes, mode).as_bytes())?,
        CompatFormatArg::Json => {
            serde_json::to_writer_pretty(&mut out, &compat::report_json(&changes, mode))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(if compat::is_broken(&changes, mode) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Text,
    Json,
}

#[derive(clap::Args)]
struct MigrateArgs {
    /// Version to migrate to.
    #[arg(long, value_enum)]
    to: VersionArg,
    /// Format of the report written to stderr.
    #[arg(long, value_enum, default_value = "text")]
    report_format: ReportFormatArg,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
    /// A jurisdiction's profile (JSON), applied as `dsti validate --profile` applies it.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// File: `.json` (a record, an array or a batch), `.ndjson`/`.jsonl` (a record a line), `-` for stdin.
    file: PathBuf,
}

fn migrate(args: MigrateArgs) -> Result<ExitCode, Failure> {
    use dsti::migrate::{migrate_reader_in, MigrationReportWriter, RecordWriter, ReportFormat};
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let format = match args.report_format {
        ReportFormatArg::Text => ReportFormat::Text,
        ReportFormatArg::Json => ReportFormat::Json,
    };
    let path = args.file.display().to_string();
    let (reader, _) = open(&args.file)?;
    let profile = match &args.profile {
        Some(path) => {
            Profile::load(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?
        }
        None => Profile::default(),
    };
    let ctx = dsti::rules::RuleContext::at_clock(profile, lang);
    let mut events = migrate_reader_in(reader, input_format(&args.file), args.to.into(), &ctx)
        .map_err(|e| Failure(format!("{path}: {e}")))?;
    let mut report = MigrationReportWriter::new(BufWriter::new(io::stderr().lock()), format, lang)?;
    let mut writer = None;
    while let Some(item) = events.next() {
        let item = item.map_err(|e| Failure(format!("{path}: {e}")))?;
        // The output's layout (NDJSON, array, single record) is known once reading began.
        let out = writer.get_or_insert_with(|| {
            RecordWriter::new(BufWriter::new(io::stdout().lock()), events.layout())
        });
        if let Some(record) = &item.record {
            out.write(record)?;
        }
        report.write(&item.report)?;
    }
    let out = match writer {
        Some(w) => w,
        None => RecordWriter::new(BufWriter::new(io::stdout().lock()), events.layout()),
    };
    out.finish()?;
    let (_, refused) = report.finish()?;
    Ok(if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
