//! `dsti history`: one line per person (pre-job training and retraining per service category,
//! certificates in force, competitions), and the two-pass reading of files that `dsti stats`
//! shares.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use dsti::history::{Fact, Filter, History, PersonHistory, Scanner};
use dsti::privacy::DigestKey;
use dsti::validate::{Options, Validator};
use dsti_cli::load::{input_format, open};

use crate::Failure;

/// Output of `dsti history`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum HistoryFormat {
    /// One JSON document: summary and people.
    Json,
    /// One JSON object per person a line.
    Ndjson,
    /// One line per person, for people.
    Text,
}

/// Arguments of `dsti history`.
#[derive(clap::Args)]
pub(crate) struct HistoryArgs {
    /// Uploads (NDJSON, JSON array or batch; `-` is not accepted: files are read twice).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// A jurisdiction's profile (JSON): pre-job minimums and the retraining interval.
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// Judge as of this time (RFC 3339 with offset); default: the clock.
    #[arg(long)]
    pub(crate) now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: HistoryFormat,
    /// Only people overdue for retraining in some service category.
    #[arg(long)]
    pub(crate) overdue: bool,
    /// A file holding the exchange's digest key: people are shown (and linked) by
    /// `documentDigest` (HMAC-SM3) instead of a masked document. One trailing newline is not
    /// part of the key.
    #[arg(long)]
    pub(crate) digest_key_file: Option<PathBuf>,
}

/// The key in `path`, without one trailing newline. The bytes read are the key's own (moved
/// into it, not copied): they are wiped when the key is dropped, or here when the file is empty.
pub(crate) fn read_digest_key(path: &Path) -> Result<DigestKey, Failure> {
    let mut bytes = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| Failure(format!("{}: {e}", path.display())))?,
    );
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    if bytes.is_empty() {
        return Err(Failure(format!(
            "{}: the digest key is empty",
            path.display()
        )));
    }
    Ok(DigestKey::new(std::mem::take(&mut *bytes)))
}

/// A scanner for `--profile`, `--now` and `--digest-key-file` (`dsti history`, `dsti stats`).
pub(crate) fn scanner(
    profile: Option<&Path>,
    now: Option<&str>,
    digest_key_file: Option<&Path>,
) -> Result<Scanner, Failure> {
    let validator = validator(profile, now)?;
    let digest = digest_key_file.map(read_digest_key).transpose()?;
    Ok(Scanner::new(validator, digest))
}

/// A validator for `--profile` and `--now`.
pub(crate) fn validator(profile: Option<&Path>, now: Option<&str>) -> Result<Validator, Failure> {
    let mut options = Options::default().profile(crate::load_profile(profile)?);
    if let Some(now) = now {
        options = options.now(parse_now(now)?);
    }
    Ok(Validator::new(options))
}

/// `--now`: an RFC 3339 time with an offset.
pub(crate) fn parse_now(now: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Failure> {
    chrono::DateTime::parse_from_rfc3339(now)
        .map_err(|_| Failure(format!("--now {now}: not an RFC 3339 time with an offset")))
}

/// Read `files` twice: index courses and people, then give every fact to `each`.
pub(crate) fn scan_files(
    scanner: &mut Scanner,
    files: &[PathBuf],
    mut each: impl FnMut(&Fact<'_>),
) -> Result<(), Failure> {
    if files.iter().any(|f| f.as_os_str() == "-") {
        return Err(Failure(
            "the files are read twice (courses first), so stdin (-) cannot be one".to_owned(),
        ));
    }
    let fail = |path: &Path, e: io::Error| Failure(format!("{}: {e}", path.display()));
    for path in files {
        let (reader, _) = open(path).map_err(|e| fail(path, e))?;
        scanner
            .index(reader, input_format(path))
            .map_err(|e| fail(path, e))?;
    }
    for path in files {
        let (reader, _) = open(path).map_err(|e| fail(path, e))?;
        scanner
            .scan(reader, input_format(path), &mut each)
            .map_err(|e| fail(path, e))?;
    }
    Ok(())
}

/// One person as a line of text.
fn text_line(p: &PersonHistory) -> String {
    let mut parts = vec![p.person.clone()];
    for c in &p.categories {
        parts.push(format!(
            "{}: pre-job {}, last {}, retraining due {}{}",
            c.service_category.as_str(),
            if c.pre_job_satisfied { "yes" } else { "no" },
            c.last_completed.date_naive(),
            c.retraining_due,
            if c.overdue { " OVERDUE" } else { "" }
        ));
    }
    if p.completions_without_course > 0 {
        parts.push(format!(
            "{} completion(s) of courses not in the input",
            p.completions_without_course
        ));
    }
    let certs: Vec<String> = p
        .certificates_in_force
        .iter()
        .map(|c| match &c.level {
            Some(level) => format!("{} {} {level}", c.certificate_type, c.occupation),
            None => format!("{} {}", c.certificate_type, c.occupation),
        })
        .collect();
    parts.push(format!("certificates in force: {}", certs.len()));
    if !certs.is_empty() {
        parts.push(certs.join(", "));
    }
    parts.push(format!("competitions: {}", p.competitions.len()));
    parts.join(" | ")
}

/// Run `dsti history`. Exit 0; 2 on usage or I/O errors.
pub(crate) fn run(args: HistoryArgs) -> Result<ExitCode, Failure> {
    let mut scanner = scanner(
        args.profile.as_deref(),
        args.now.as_deref(),
        args.digest_key_file.as_deref(),
    )?;
    let now = scanner.validator().context().now;
    let mut history = History::with_profile(now, &scanner.validator().context().profile);
    scan_files(&mut scanner, &args.files, |fact| history.add(fact))?;
    let people = history.people(&Filter {
        overdue_only: args.overdue,
    });
    let counts = scanner.counts();
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        HistoryFormat::Json => {
            let doc = serde_json::json!({
                "profile": scanner.validator().context().profile.profile,
                "now": now.to_rfc3339(),
                "summary": counts,
                "people": people,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        HistoryFormat::Ndjson => {
            for p in &people {
                serde_json::to_writer(&mut out, p)?;
                writeln!(out)?;
            }
        }
        HistoryFormat::Text => {
            for p in &people {
                writeln!(out, "{}", text_line(p))?;
            }
            writeln!(
                out,
                "{} people shown; {} records read, {} invalid skipped, {} completions of courses not in the input",
                people.len(),
                counts.records,
                counts.invalid,
                counts.unresolved_courses
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use dsti::ident::{DocumentType, IdDocument};
    use dsti::privacy::{DigestAlgorithm, DigestKey};

    use super::read_digest_key;

    /// The key file's bytes without one final line break are the key; an empty one is refused.
    #[test]
    fn a_digest_key_file_is_its_bytes_without_the_final_line_break() {
        let dir = std::env::temp_dir().join(format!("dsti-digest-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let doc = IdDocument::new(
            DocumentType::ResidentIdCard,
            "11010519491231002X".parse().expect("number"),
            None,
        )
        .expect("document");
        let digest = |key: &DigestKey| doc.digest(key, DigestAlgorithm::HmacSm3);
        let expected = digest(&DigestKey::new(*b"exchange key"));
        for (name, bytes) in [
            ("lf", &b"exchange key\n"[..]),
            ("crlf", b"exchange key\r\n"),
            ("bare", b"exchange key"),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("write");
            let key = read_digest_key(&path).unwrap_or_else(|e| panic!("{}", e.0));
            assert_eq!(digest(&key), expected, "{name}");
        }
        let path = dir.join("two");
        std::fs::write(&path, b"exchange key\n\n").expect("write");
        let key = read_digest_key(&path).unwrap_or_else(|e| panic!("{}", e.0));
        assert_ne!(digest(&key), expected, "only one line break is dropped");
        let path = dir.join("empty");
        std::fs::write(&path, b"\n").expect("write");
        let err = read_digest_key(&path).expect_err("an empty key");
        assert!(err.0.contains("the digest key is empty"), "{}", err.0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
