//! Prometheus metrics in the text exposition format: records by kind and validity, findings by
//! code, uploads by outcome, the upload duration histogram and uploads in flight. No label
//! carries a token, a record value or personal data: kinds, codes and outcomes are the
//! standard's own names.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use dsti::validate::Verdict;
use dsti::{Code, DocumentKind};

/// Upper bounds of the upload duration histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0,
];

/// What became of an upload or a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// The answer ended with its summary.
    Complete,
    /// The answer was cut (too large, timed out, unreadable body).
    Cut,
    /// The client went away.
    Disconnected,
    /// Refused before it started (401, 413, 415, 429, …).
    Rejected,
}

impl Outcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Outcome::Complete => "complete",
            Outcome::Cut => "cut",
            Outcome::Disconnected => "disconnected",
            Outcome::Rejected => "rejected",
        }
    }
}

/// Counts of one upload, merged into [`Metrics`] now and then so that uploads do not contend
/// for a lock per record.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    records: BTreeMap<(&'static str, bool), u64>,
    findings: BTreeMap<&'static str, u64>,
    pending: u64,
}

impl Tally {
    /// Count one verdict of a record.
    pub(crate) fn record(&mut self, verdict: &Verdict) {
        self.count(verdict.kind, verdict.is_valid());
        for f in &verdict.issues {
            self.findings(f.code, 1);
        }
    }

    /// Count one record of `kind` (if it could be read).
    pub(crate) fn count(&mut self, kind: Option<DocumentKind>, valid: bool) {
        let kind = kind.map_or("unknown", |k| k.as_str());
        *self.records.entry((kind, valid)).or_default() += 1;
        self.pending += 1;
    }

    /// Count `n` findings of `code` (a record's or an envelope's).
    pub(crate) fn findings(&mut self, code: Code, n: u64) {
        *self.findings.entry(code.as_str()).or_default() += n;
    }

    /// Whether enough is pending to merge.
    pub(crate) fn due(&self) -> bool {
        self.pending >= 4096
    }
}

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    records: Mutex<BTreeMap<(&'static str, bool), u64>>,
    findings: Mutex<BTreeMap<&'static str, u64>>,
    uploads: Mutex<BTreeMap<Outcome, u64>>,
    /// Counts per bucket (the last is +Inf), the sum in microseconds.
    durations: [AtomicU64; BUCKETS.len() + 1],
    duration_sum_micros: AtomicU64,
    in_flight: AtomicU64,
    requests: AtomicU64,
}

impl Metrics {
    /// Merge an upload's pending counts.
    pub(crate) fn merge(&self, tally: &mut Tally) {
        if let Ok(mut records) = self.records.lock() {
            for (key, n) in std::mem::take(&mut tally.records) {
                *records.entry(key).or_default() += n;
            }
        }
        if let Ok(mut findings) = self.findings.lock() {
            for (key, n) in std::mem::take(&mut tally.findings) {
                *findings.entry(key).or_default() += n;
            }
        }
        tally.pending = 0;
    }

    /// Count an upload's end.
    pub(crate) fn upload_done(&self, outcome: Outcome, took: Option<Duration>) {
        if let Ok(mut uploads) = self.uploads.lock() {
            *uploads.entry(outcome).or_default() += 1;
        }
        if let Some(took) = took {
            let secs = took.as_secs_f64();
            let bucket = BUCKETS
                .iter()
                .position(|&b| secs <= b)
                .unwrap_or(BUCKETS.len());
            self.durations[bucket].fetch_add(1, Ordering::Relaxed);
            let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
            self.duration_sum_micros
                .fetch_add(micros, Ordering::Relaxed);
        }
    }

    /// An upload started; the guard counts it in flight until dropped.
    pub(crate) fn in_flight(self: &std::sync::Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }

    /// Count a request.
    pub(crate) fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP dsti_records_total Records judged, by kind and validity.\n");
        out.push_str("# TYPE dsti_records_total counter\n");
        if let Ok(records) = self.records.lock() {
            for ((kind, valid), n) in records.iter() {
                let _ = writeln!(
                    out,
                    "dsti_records_total{{kind=\"{kind}\",valid=\"{valid}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP dsti_findings_total Findings, by validation code.\n");
        out.push_str("# TYPE dsti_findings_total counter\n");
        if let Ok(findings) = self.findings.lock() {
            for (code, n) in findings.iter() {
                let _ = writeln!(out, "dsti_findings_total{{code=\"{code}\"}} {n}");
            }
        }
        out.push_str("# HELP dsti_uploads_total Uploads and migrations, by outcome.\n");
        out.push_str("# TYPE dsti_uploads_total counter\n");
        if let Ok(uploads) = self.uploads.lock() {
            for outcome in [
                Outcome::Complete,
                Outcome::Cut,
                Outcome::Disconnected,
                Outcome::Rejected,
            ] {
                let n = uploads.get(&outcome).copied().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "dsti_uploads_total{{outcome=\"{}\"}} {n}",
                    outcome.as_str()
                );
            }
        }
        out.push_str("# HELP dsti_upload_duration_seconds Time from an upload's start to its answer's end.\n");
        out.push_str("# TYPE dsti_upload_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.durations[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "dsti_upload_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.durations[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "dsti_upload_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = self.duration_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "dsti_upload_duration_seconds_sum {sum}");
        let _ = writeln!(out, "dsti_upload_duration_seconds_count {cumulative}");
        out.push_str("# HELP dsti_uploads_in_flight Uploads and migrations being judged now.\n");
        out.push_str("# TYPE dsti_uploads_in_flight gauge\n");
        let _ = writeln!(
            out,
            "dsti_uploads_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out.push_str("# HELP dsti_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE dsti_http_requests_total counter\n");
        let _ = writeln!(
            out,
            "dsti_http_requests_total {}",
            self.requests.load(Ordering::Relaxed)
        );
        out
    }
}

/// Counts one upload in flight while it lives.
#[derive(Debug)]
pub(crate) struct InFlight(std::sync::Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}
