//! `dsti`: the command-line tool of the Domestic Service Training Interchange.
//!
//! Argument parsing (`args`), files and exit codes; everything else is the `dsti` library's,
//! or this crate's (`dsti_cli`: loaders, the compat report, the reference site).

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use dsti::report::{CompatReportWriter, Format, ReportWriter};
use dsti::validate::{Lang, Options, Profile, Validator};
use dsti::{compat, schema};
use dsti_cli::load::{input_format, open};

mod args;
mod conformance;
mod export;
mod history;
mod parquet;
mod progress;
mod release;
mod serve;
mod sign;
mod stats;

use args::{
    Cli, Command, CompatArgs, DocsArgs, GenerateArgs, MigrateArgs, SchemaArgs, ValidateArgs,
    VersionArg,
};
use progress::Progress;

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
        Command::Release(args) => release::run(args),
        Command::Conformance(args) => conformance::run(args),
        Command::Serve(args) => serve::run(args).map_err(Failure),
        Command::Keys(args) => sign::keys(args),
        Command::Sign(args) => sign::sign(args),
        Command::Verify(args) => sign::verify(args),
        Command::StatusList(args) => sign::status_list(args),
        Command::History(args) => history::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Export(args) => export::run(args),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("dsti: {message}");
            ExitCode::from(2)
        }
    }
}

/// The language `--lang` names, else the one the environment's locale says.
fn lang_or_env(arg: Option<args::LangArg>) -> Lang {
    arg.map_or_else(dsti_cli::kit::lang::from_env, Lang::from)
}

/// Open an input named on the command line; an error names the file.
fn open_input(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>), Failure> {
    open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

/// The profile at `path`, or the default one.
fn load_profile(path: Option<&std::path::Path>) -> Result<Profile, Failure> {
    match path {
        Some(path) => Profile::load(path).map_err(|e| Failure(format!("{}: {e}", path.display()))),
        None => Ok(Profile::default()),
    }
}

fn validate(args: ValidateArgs) -> Result<ExitCode, Failure> {
    let profile = load_profile(args.profile.as_deref())?;
    let lang = lang_or_env(args.lang);
    let mut options = Options::default().profile(profile).lang(lang);
    if let Some(sender) = &args.sender {
        let sender = sender
            .parse()
            .map_err(|_| Failure("--sender: not a unified social credit code".to_owned()))?;
        options = options.expected_sender(sender);
    }
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
    let format = Format::from(args.format);
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
        let bar = format == Format::Text && io::stderr().is_terminal();
        let pieces = input_pieces(&validator, path, jobs, bar, args.no_mmap, format)?;
        for piece in pieces {
            let piece = piece.map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            report.write_piece(&piece)?;
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

/// The report of validating one input, rendered in pieces on the threads that judge. A file
/// is handed to the library whole, which maps an NDJSON file and judges it where it lies;
/// stdin, `--no-mmap` and a file large enough for the progress bar (which counts the bytes
/// read) take the read path.
fn input_pieces(
    validator: &Validator,
    path: &Path,
    jobs: usize,
    bar: bool,
    no_mmap: bool,
    report: Format,
) -> Result<dsti::report::ReportPieces, Failure> {
    let format = input_format(path);
    let (reader, len): (Box<dyn Read + Send>, _) = if path == Path::new("-") {
        open_input(path)?
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        let len = file.metadata().ok().map(|m| m.len());
        let show_bar = bar && len.is_some_and(|l| l > 8 << 20);
        if !no_mmap && !show_bar {
            return Ok(validator.report_file(file, format, jobs, report));
        }
        (Box::new(file), len)
    };
    let reader: Box<dyn Read + Send> = match len {
        Some(len) if bar && len > 8 << 20 => Box::new(Progress::new(reader, len)),
        _ => reader,
    };
    Ok(validator.report_reader(reader, format, jobs, report))
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
    let kind: Option<dsti::Kind> = args.kind.into();
    let version = dsti::Version::from(args.version);
    if let Some(kind) = kind.filter(|&k| !version.has(k)) {
        return Err(Failure(format!(
            "version {version} has no record kind {kind}"
        )));
    }
    // write_ndjson buffers by itself.
    let written = match args.version {
        VersionArg::V1 => {
            dsti::synth::v1::write_ndjson_v1(io::stdout().lock(), kind, args.count, args.seed)
        }
        VersionArg::V2 => {
            dsti::synth::write_ndjson(io::stdout().lock(), kind, args.count, args.seed)
        }
        VersionArg::V21 => {
            dsti::synth::v2_1::write_ndjson(io::stdout().lock(), kind, args.count, args.seed)
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
    let written = dsti_cli::docs::write_site(&args.out)
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
    use dsti_cli::load::load;
    let old = load(&args.old)?;
    let new = load(&args.new)?;
    let mode = compat::Mode::from(args.mode);
    let mut report = CompatReportWriter::new(
        BufWriter::new(io::stdout().lock()),
        args.format.into(),
        mode,
    );
    for change in compat::compare_sets(&old, &new) {
        report.write(&change)?;
    }
    Ok(if report.finish()? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn migrate(args: MigrateArgs) -> Result<ExitCode, Failure> {
    use dsti::migrate::{migrate_reader_in, RecordWriter};
    use dsti::report::MigrationReportWriter;
    let lang = lang_or_env(args.lang);
    let format = args.report_format.into();
    let path = args.file.display().to_string();
    let ctx = dsti::rules::RuleContext::at_clock(load_profile(args.profile.as_deref())?, lang);
    let (reader, _) = open_input(&args.file)?;
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
