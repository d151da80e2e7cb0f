//! The conformance kit: every test vector through another implementation's command line, and
//! how far its answers agree with the vectors', per vector and per code.
//!
//! The contract (README, "Conformance"): the command template gets `{file}` (the vector's
//! path), `{now}` (the instant to judge at, RFC 3339) and `{profile}` (a profile file; the
//! default profile `{"profile":"default"}` for vectors without one), each shell-quoted, and
//! runs under `sh -c`; the same values are in the environment as `DSTI_FILE`, `DSTI_NOW` and
//! `DSTI_PROFILE`, and `DSTI_SENDER` holds the sender an upload is judged as made for (a
//! unified social credit code; empty for most vectors). It must exit 0 when every record is valid (warnings allowed), 1 when any
//! record or envelope is invalid; and, for full conformance, print DSTI's NDJSON verdict lines
//! on stdout (`{"index":N,…,"issues":[{"code","severity","path",…}]}` per record,
//! `{"envelope":{…,"issues":[…]}}` per batch envelope; other lines are ignored), whose
//! findings must be exactly the vector's.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::vectors::{Finding, RecordRef, Vector};

/// The most of a command's stdout that is read (the rest is drained and ignored).
const MAX_STDOUT: usize = 64 << 20;

/// What a run compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Exit status and every finding (the implementation prints DSTI's NDJSON verdicts).
    Full,
    /// The exit status only.
    ExitStatus,
}

impl Level {
    /// `full` or `exit-status`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Full => "full",
            Level::ExitStatus => "exit-status",
        }
    }
}

/// How to run the implementation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Runner {
    /// The command template (`their-validator --now {now} {file}`).
    pub template: String,
    /// What is compared.
    pub level: Level,
    /// How long one vector may take before it is killed (and disagrees).
    pub timeout: Duration,
    /// How many vectors run at once.
    pub jobs: usize,
}

impl Runner {
    /// A runner of `template` at `level`: a 60-second timeout, one vector at a time.
    pub fn new(template: impl Into<String>, level: Level) -> Runner {
        Runner {
            template: template.into(),
            level,
            timeout: Duration::from_secs(60),
            jobs: 1,
        }
    }

    /// Run `jobs` vectors at once (at least one).
    pub fn jobs(mut self, jobs: usize) -> Runner {
        self.jobs = jobs.max(1);
        self
    }

    /// Kill a vector's command after `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Runner {
        self.timeout = timeout;
        self
    }
}

/// The outcome of one vector.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Outcome {
    /// The vector's name (`2.0/invalid/uscc-checksum.json`).
    pub vector: String,
    /// Whether the implementation's answer agrees with the vector's.
    pub agrees: bool,
    /// The exit status the vector requires.
    pub expected_exit: i32,
    /// The exit status it gave; `None` when it was killed, timed out or did not start.
    pub exit: Option<i32>,
    /// Whether its stdout held NDJSON verdict lines.
    pub verdict_lines: bool,
    /// Expected findings it did not report (full level only).
    pub missing: Vec<Finding>,
    /// Findings it reported that the vector does not expect (full level only).
    pub unexpected: Vec<Finding>,
    /// Why the command gave no answer, if it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How one code fared across the vectors.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct CodeTally {
    /// The code.
    pub code: String,
    /// Findings of this code the vectors expect.
    pub expected: u64,
    /// Of those, reported.
    pub matched: u64,
    /// Of those, not reported.
    pub missing: u64,
    /// Reported where no vector expects it.
    pub unexpected: u64,
    /// `missing == 0 && unexpected == 0`.
    pub agrees: bool,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Report {
    /// The command template.
    pub command: String,
    /// What was compared.
    pub level: Level,
    /// Every vector agrees.
    pub conforms: bool,
    /// How many vectors ran.
    pub total: usize,
    /// How many agree.
    pub agree: usize,
    /// Per code (full level: every code expected or reported), in code order.
    pub codes: Vec<CodeTally>,
    /// Per vector, in suite order.
    pub vectors: Vec<Outcome>,
}

/// `s` quoted for `sh`: in single quotes, each `'` written `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The command line for one vector: the template with `{file}`, `{now}` and `{profile}`
/// replaced by their shell-quoted values.
pub fn command_line(template: &str, file: &Path, now: &str, profile: &Path) -> String {
    template
        .replace("{file}", &shell_quote(&file.to_string_lossy()))
        .replace("{now}", &shell_quote(now))
        .replace("{profile}", &shell_quote(&profile.to_string_lossy()))
}

/// The findings of DSTI NDJSON verdict lines in `stdout`, and whether there was any such line.
pub fn parse_verdicts(stdout: &[u8]) -> (BTreeSet<Finding>, bool) {
    let mut found = BTreeSet::new();
    let mut any = false;
    for line in stdout.split(|&b| b == b'\n') {
        let Ok(Value::Object(line)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let (record, issues) = if let Some(envelope) = line.get("envelope") {
            (RecordRef::Envelope, envelope.get("issues"))
        } else if let Some(i) = line.get("index").and_then(Value::as_u64) {
            (RecordRef::Index(i), line.get("issues"))
        } else {
            continue;
        };
        let Some(issues) = issues.and_then(Value::as_array) else {
            continue;
        };
        any = true;
        found.extend(
            issues
                .iter()
                .filter_map(|i| Finding::from_json(record.clone(), i)),
        );
    }
    (found, any)
}

/// Judge one answer: `exit` and `stdout` of the command on `vector`.
pub fn judge(vector: &Vector, level: Level, exit: Option<i32>, stdout: &[u8]) -> Outcome {
    let expected_exit = vector.expected_exit();
    let (found, verdict_lines) = parse_verdicts(stdout);
    let (missing, unexpected) = match level {
        Level::Full => (
            vector.expected.difference(&found).cloned().collect(),
            found.difference(&vector.expected).cloned().collect(),
        ),
        Level::ExitStatus => (Vec::new(), Vec::new()),
    };
    let mut error = None;
    if level == Level::Full && !verdict_lines && exit.is_some() {
        error = Some("no NDJSON verdict line on stdout: findings cannot be compared".to_owned());
    }
    let agrees = exit == Some(expected_exit)
        && missing.is_empty()
        && unexpected.is_empty()
        && (level == Level::ExitStatus || verdict_lines);
    Outcome {
        vector: vector.name.clone(),
        agrees,
        expected_exit,
        exit,
        verdict_lines,
        missing,
        unexpected,
        error,
    }
}

/// Runs `line` under `sh -c` with `env`; its exit status and stdout, or why there is none.
fn execute(
    line: &str,
    env: &[(&str, String)],
    timeout: Duration,
) -> (Option<i32>, Vec<u8>, Option<String>) {
    let mut child = match Command::new("sh")
        .arg("-c")
        .arg(line)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return (None, Vec::new(), Some(format!("cannot start sh: {e}"))),
    };
    let reader = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut out).take(MAX_STDOUT as u64).read_to_end(&mut buf);
            // Drain the rest so that the child never blocks on a full pipe.
            let _ = io::copy(&mut out, &mut io::sink());
            buf
        })
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => break Err(format!("cannot wait for the command: {e}")),
        }
    };
    let stdout = reader.and_then(|r| r.join().ok()).unwrap_or_default();
    match status {
        Ok(status) => match status.code() {
            Some(code) => (Some(code), stdout, None),
            None => (None, stdout, Some("killed by a signal".to_owned())),
        },
        Err(why) => (None, stdout, Some(why)),
    }
}

/// A scratch directory for the profile files, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Run every vector through `runner`'s command and tally the answers.
pub fn run(runner: &Runner, vectors: &[Vector]) -> io::Result<Report> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "dsti-conformance-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    )));
    fs::create_dir_all(&scratch.0)?;
    // One profile file per vector that has one; the default for the others.
    let default_profile = scratch.0.join("default.json");
    fs::write(&default_profile, b"{\"profile\":\"default\"}\n")?;
    let mut profiles = Vec::with_capacity(vectors.len());
    for (i, v) in vectors.iter().enumerate() {
        match &v.profile {
            Some(p) => {
                let path = scratch.0.join(format!("profile-{i}.json"));
                fs::write(&path, p.to_string())?;
                profiles.push(path);
            }
            None => profiles.push(default_profile.clone()),
        }
    }
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; vectors.len()]);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..runner.jobs.min(vectors.len()).max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(vector), Some(profile)) = (vectors.get(i), profiles.get(i)) else {
                    break;
                };
                let file = fs::canonicalize(&vector.file).unwrap_or_else(|_| vector.file.clone());
                let now = vector.now.clone().unwrap_or_default();
                let line = command_line(&runner.template, &file, &now, profile);
                let env = [
                    ("DSTI_FILE", file.to_string_lossy().into_owned()),
                    ("DSTI_NOW", now),
                    ("DSTI_PROFILE", profile.to_string_lossy().into_owned()),
                    ("DSTI_SENDER", vector.sender.clone().unwrap_or_default()),
                ];
                let (exit, stdout, error) = execute(&line, &env, runner.timeout);
                let mut outcome = judge(vector, runner.level, exit, &stdout);
                if error.is_some() {
                    outcome.error = error;
                    outcome.agrees = false;
                }
                if let Ok(mut all) = outcomes.lock() {
                    if let Some(slot) = all.get_mut(i) {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    let outcomes: Vec<Outcome> = outcomes
        .into_inner()
        .map_err(|_| io::Error::other("a worker panicked"))?
        .into_iter()
        .flatten()
        .collect();
    Ok(tally(runner, vectors, outcomes))
}

/// The report of `outcomes` (one per vector, in order).
pub fn tally(runner: &Runner, vectors: &[Vector], outcomes: Vec<Outcome>) -> Report {
    let mut codes: BTreeMap<String, CodeTally> = BTreeMap::new();
    if runner.level == Level::Full {
        for (vector, outcome) in vectors.iter().zip(&outcomes) {
            let entry = |codes: &mut BTreeMap<String, CodeTally>, code: &str| {
                let t = codes.entry(code.to_owned()).or_default();
                t.code = code.to_owned();
            };
            for f in &vector.expected {
                entry(&mut codes, &f.code);
                if let Some(t) = codes.get_mut(&f.code) {
                    t.expected += 1;
                    if outcome.missing.contains(f) || !outcome.verdict_lines {
                        t.missing += 1;
                    } else {
                        t.matched += 1;
                    }
                }
            }
            for f in &outcome.unexpected {
                entry(&mut codes, &f.code);
                if let Some(t) = codes.get_mut(&f.code) {
                    t.unexpected += 1;
                }
            }
        }
    }
    let codes: Vec<CodeTally> = codes
        .into_values()
        .map(|mut t| {
            t.agrees = t.missing == 0 && t.unexpected == 0;
            t
        })
        .collect();
    let agree = outcomes.iter().filter(|o| o.agrees).count();
    Report {
        command: runner.template.clone(),
        level: runner.level,
        conforms: agree == vectors.len() && outcomes.len() == vectors.len(),
        total: vectors.len(),
        agree,
        codes,
        vectors: outcomes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(expected: &[(RecordRef, &str, &str, &str)]) -> Vector {
        Vector {
            name: "2.0/invalid/x.json".into(),
            file: "x.json".into(),
            now: None,
            profile: None,
            sender: None,
            expected: expected
                .iter()
                .map(|(r, c, s, p)| Finding {
                    record: r.clone(),
                    code: (*c).into(),
                    severity: (*s).into(),
                    path: (*p).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        let line = command_line(
            "v --now {now} --profile {profile} {file}",
            Path::new("/t/a b.json"),
            "2026-11-28T12:00:00+08:00",
            Path::new("/p.json"),
        );
        assert_eq!(
            line,
            "v --now '2026-11-28T12:00:00+08:00' --profile '/p.json' '/t/a b.json'"
        );
    }

    #[test]
    fn verdict_lines_give_findings_records_and_envelopes() {
        let out = br#"{"index":0,"line":1,"kind":"person","valid":false,"issues":[{"code":"uscc.checksum","severity":"error","path":"/provider/uscc","message":"m"}]}
not json
{"index":1,"valid":true,"issues":[]}
{"envelope":{"valid":false,"issues":[{"code":"schema.pattern","severity":"error","path":"/sender/uscc"}]}}
{"summary":{"total":2}}
"#;
        let (found, any) = parse_verdicts(out);
        assert!(any);
        let found: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "uscc.checksum (error) at record 0 /provider/uscc",
                "schema.pattern (error) at envelope /sender/uscc"
            ]
        );
        assert!(!parse_verdicts(b"{\"summary\":{}}\n").1);
    }

    #[test]
    fn judging_names_what_is_missing_and_what_is_extra() {
        let v = vector(&[(
            RecordRef::Index(0),
            "uscc.checksum",
            "error",
            "/provider/uscc",
        )]);
        let right = br#"{"index":0,"issues":[{"code":"uscc.checksum","severity":"error","path":"/provider/uscc"}]}"#;
        assert!(judge(&v, Level::Full, Some(1), right).agrees);
        // Right findings, wrong exit status.
        assert!(!judge(&v, Level::Full, Some(0), right).agrees);
        let wrong = br#"{"index":0,"issues":[{"code":"schema.pattern","severity":"error","path":"/provider/uscc"}]}"#;
        let o = judge(&v, Level::Full, Some(1), wrong);
        assert!(!o.agrees);
        assert_eq!(o.missing.len(), 1);
        assert_eq!(o.unexpected[0].code, "schema.pattern");
        // Silence: at the full level it disagrees, at the exit-status level the exit decides.
        assert!(!judge(&v, Level::Full, Some(1), b"").agrees);
        assert!(judge(&v, Level::ExitStatus, Some(1), b"").agrees);
        assert!(!judge(&v, Level::ExitStatus, Some(0), b"").agrees);
        // A warning alone exits 0.
        let w = vector(&[(RecordRef::Index(0), "occupation.unknown", "warning", "/o")]);
        assert_eq!(w.expected_exit(), 0);
    }

    #[test]
    fn the_tally_counts_each_code() {
        let v = vector(&[
            (RecordRef::Index(0), "uscc.checksum", "error", "/a"),
            (RecordRef::Index(1), "time.order", "error", "/b"),
        ]);
        let out =
            br#"{"index":0,"issues":[{"code":"schema.pattern","severity":"error","path":"/a"}]}
{"index":1,"issues":[{"code":"time.order","severity":"error","path":"/b"}]}"#;
        let runner = Runner::new("x", Level::Full);
        let o = judge(&v, Level::Full, Some(1), out);
        let report = tally(&runner, std::slice::from_ref(&v), vec![o]);
        assert!(!report.conforms);
        let by: BTreeMap<&str, &CodeTally> =
            report.codes.iter().map(|t| (t.code.as_str(), t)).collect();
        assert_eq!(
            (by["uscc.checksum"].expected, by["uscc.checksum"].missing),
            (1, 1)
        );
        assert_eq!(
            (by["schema.pattern"].unexpected, by["schema.pattern"].agrees),
            (1, false)
        );
        assert!(by["time.order"].agrees && by["time.order"].matched == 1);
    }
}
