//! `dsti conformance`: every test vector through another implementation's command line (the
//! kit is [`dsti_cli::kit::conformance`]), reported per vector and per code. Exit 0 it
//! conforms, 1 it does not, 2 usage or I/O error.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use dsti::validate::Lang;
use dsti_cli::kit::conformance::{self, Level, Report};
use dsti_cli::kit::vectors;

use crate::args::LangArg;
use crate::Failure;

/// The report's format.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Json,
}

/// `dsti conformance`'s arguments.
#[derive(clap::Args)]
pub(crate) struct ConformanceArgs {
    /// The implementation's command line, run by `sh -c`: `{file}` is the vector, `{now}` the
    /// instant to judge at, `{profile}` a profile file (each shell-quoted).
    #[arg(long)]
    pub(crate) cmd: String,
    /// The test vectors: a directory of `<version>/valid/` and `<version>/invalid/` (the
    /// repository's `tests/vectors`, a release bundle's `vectors`).
    #[arg(long, default_value = "tests/vectors")]
    pub(crate) vectors: PathBuf,
    /// Only the vectors of this version.
    #[arg(long)]
    pub(crate) version: Option<String>,
    /// Compare exit statuses only (for an implementation that prints no NDJSON verdicts): a
    /// weaker claim, and the report says so.
    #[arg(long)]
    pub(crate) exit_status_only: bool,
    /// Seconds one vector may take.
    #[arg(long, default_value_t = 60)]
    pub(crate) timeout: u64,
    /// Vectors run at once (default: the number of cores).
    #[arg(long)]
    pub(crate) jobs: Option<usize>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: ReportFormat,
    /// Language of the text report (default: from LC_ALL, LC_MESSAGES, LANG).
    #[arg(long, value_enum)]
    pub(crate) lang: Option<LangArg>,
}

pub(crate) fn run(args: ConformanceArgs) -> Result<ExitCode, Failure> {
    if !args.cmd.contains("{file}") && !args.cmd.contains("DSTI_FILE") {
        return Err(Failure(
            "--cmd must name the vector: {file} (or $DSTI_FILE)".to_owned(),
        ));
    }
    let suite = vectors::load(&args.vectors, args.version.as_deref())
        .map_err(|e| Failure(e.to_string()))?;
    let level = if args.exit_status_only {
        Level::ExitStatus
    } else {
        Level::Full
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let runner = conformance::Runner::new(args.cmd.clone(), level)
        .jobs(jobs)
        .timeout(Duration::from_secs(args.timeout.max(1)));
    let report = conformance::run(&runner, &suite)?;
    let lang = crate::lang_or_env(args.lang);
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            out.write_all(b"\n")?;
        }
        ReportFormat::Text => text(&mut out, &report, lang)?,
    }
    out.flush()?;
    Ok(if report.conforms {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The report for people: each vector that disagrees and why, each code that disagrees, the
/// verdict last.
fn text(out: &mut impl Write, report: &Report, lang: Lang) -> io::Result<()> {
    let t = |en, zh| lang.pick(en, zh);
    writeln!(out, "{} {}", t("command:", "被测命令："), report.command)?;
    for o in report.vectors.iter().filter(|o| !o.agrees) {
        let exit = o
            .exit
            .map_or_else(|| t("none", "无").to_owned(), |e| e.to_string());
        writeln!(
            out,
            "{} {}: {} {}{}{} {exit}",
            t("DISAGREES", "不一致"),
            o.vector,
            t("exit expected", "应退出"),
            o.expected_exit,
            t(", ", "，"),
            t("got", "实际"),
        )?;
        if let Some(e) = &o.error {
            writeln!(out, "  {e}")?;
        }
        for f in &o.missing {
            writeln!(out, "  {} {f}", t("missing:   ", "缺少："))?;
        }
        for f in &o.unexpected {
            writeln!(out, "  {} {f}", t("unexpected:", "多出："))?;
        }
    }
    if report.level == Level::Full {
        writeln!(out, "{}", t("per code:", "各代码："))?;
        for c in &report.codes {
            writeln!(
                out,
                "  {:<32} {} {:>3}  {} {:>3}  {} {:>3}  {} {:>3}  {}",
                c.code,
                t("expected", "应有"),
                c.expected,
                t("matched", "一致"),
                c.matched,
                t("missing", "缺少"),
                c.missing,
                t("unexpected", "多出"),
                c.unexpected,
                if c.agrees {
                    t("agrees", "一致")
                } else {
                    t("DISAGREES", "不一致")
                }
            )?;
        }
    }
    let codes_agree = report.codes.iter().filter(|c| c.agrees).count();
    let pct = if report.total == 0 {
        0.0
    } else {
        100.0 * report.agree as f64 / report.total as f64
    };
    writeln!(
        out,
        "{} {}/{} ({pct:.1} %){}{} {codes_agree}/{}{}{} {}{}{}",
        t("vectors agreeing", "向量一致"),
        report.agree,
        report.total,
        t(", ", "，"),
        t("codes agreeing", "代码一致"),
        report.codes.len(),
        t("; ", "；"),
        t("level", "级别"),
        report.level.as_str(),
        t(": ", "："),
        if report.conforms {
            t("CONFORMS", "符合")
        } else {
            t("DOES NOT CONFORM", "不符合")
        }
    )
}
