//! Validation: one verdict per record, with every finding.
//!
//! Two layers give one verdict. A record is first deserialized straight into its typed form —
//! the fast path, as fast as parsing gets — and the semantic [rules](self#rules) run on it.
//! Only a record that does not deserialize takes the slow path: it is read into a tree that
//! borrows from its bytes (parsed to a JSON value where that reader is unsure), checked
//! against the committed JSON Schema with every error collected and mapped to a `schema.*`
//! code with its JSON Pointer, and its identity documents are checked for the codes of their
//! own (`id-number.*`). Cross-field rules run once a record's structure is sound. A thread
//! that has lately seen mostly records that fail their typed parse tries the schema first,
//! skipping the parse for a record the schema finds an error in; the verdicts are the same
//! either way.
//!
//! ```
//! use dsti::validate::{Validator, Options};
//! let validator = Validator::new(Options::default());
//! let verdict = validator.validate_str(r#"{"kind":"person","schemaVersion":"2.0"}"#);
//! assert!(!verdict.is_valid());
//! assert_eq!(verdict.issues[0].code.as_str(), "schema.required");
//! ```
//!
//! # Rules
//!
//! Every code is listed in [`Code`]; the README has the table.

mod adapt;
mod check;
mod compiled;
mod diagnose;
mod fast;
mod hints;
mod ids;
mod quiet;
pub(crate) mod stream;
mod structural;
mod typed;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

pub use crate::finding::{Finding, Summary, Verdict};
pub use crate::profile::{Profile, ProfileError};
pub use crate::rules::RuleContext;
pub use crate::text::{Bilingual, Lang};
pub use fast::{typed_from_slice, TypedRecord};
pub use stream::{Event, FileEvents, ParallelEvents, SequentialEvents};
pub use typed::{BatchVerdict, Checkable};

use crate::edition;
pub use crate::framing::InputFormat;
use crate::kind::Header;
use crate::{Code, DocumentKind, Kind, Version};
use diagnose::TreeOutcome;
pub(crate) use ids::DuplicateIds;

/// Limits that keep hostile input from costing unbounded time or memory. Over a limit, a
/// record gets `record.limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest record, in bytes. Default 1 MiB.
    pub max_record_bytes: usize,
    /// Deepest nesting of arrays and objects. Default 64.
    pub max_depth: usize,
    /// Longest string or key, in bytes. Default 64 KiB.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: 1 << 20,
            max_depth: 64,
            max_string_bytes: 64 << 10,
        }
    }
}

/// How a [`Validator`] judges.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The jurisdiction's numbers.
    pub profile: Profile,
    /// "Now" for `time.future`; the clock when `None`.
    pub now: Option<DateTime<FixedOffset>>,
    /// Size, depth and length limits.
    pub limits: Limits,
    /// The language of messages.
    pub lang: Lang,
    /// The sender an upload is made for: a batch whose `sender.uscc` names another gets
    /// `upload.sender-mismatch`. `None` (the default) checks nothing.
    pub expected_sender: Option<crate::ident::Uscc>,
}

impl Options {
    /// Use this profile.
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Judge as if it were `now`.
    pub fn now(mut self, now: DateTime<FixedOffset>) -> Self {
        self.now = Some(now);
        self
    }

    /// Use these limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Write messages in this language.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Judge batches as uploads of this sender (see [`Options::expected_sender`]).
    pub fn expected_sender(mut self, sender: crate::ident::Uscc) -> Self {
        self.expected_sender = Some(sender);
        self
    }
}

/// Validates records. Cheap to clone and to share between threads.
#[derive(Clone)]
pub struct Validator {
    inner: Arc<Inner>,
}

struct Inner {
    options: Options,
    /// The rules' context, "now" read once.
    ctx: RuleContext,
    /// Whether the typed fast path may judge a record: not when `max_string_bytes` is below
    /// what a typed field can hold, since only the value path measures every string.
    typed_path: bool,
}

/// The longest string a typed field can hold, in bytes: an `https` URL of 2,048 characters
/// of up to 4 UTF-8 bytes each (a test holds every schema's `maxLength` under it; extension
/// values, the only unbounded ones, are measured on the typed path too).
const TYPED_STRING_BYTES: usize = 2048 * 4;

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// A validator with these options.
    pub fn new(options: Options) -> Self {
        let ctx = match options.now {
            Some(now) => RuleContext::new(options.profile.clone(), now, options.lang),
            None => RuleContext::at_clock(options.profile.clone(), options.lang),
        };
        let typed_path = options.limits.max_string_bytes >= TYPED_STRING_BYTES;
        Validator {
            inner: Arc::new(Inner {
                options,
                ctx,
                typed_path,
            }),
        }
    }

    /// The context the rules run in: the profile, "now" (read once) and the language.
    pub fn context(&self) -> &RuleContext {
        &self.inner.ctx
    }

    /// The options this validator was built with.
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    /// Validate one record given as JSON text.
    pub fn validate_str(&self, text: &str) -> Verdict {
        self.validate_bytes(text.as_bytes())
    }

    /// Validate one record given as bytes. A record on its own is no upload: references to
    /// other records of an upload (a competition's `certificate`) are not judged.
    pub fn validate_bytes(&self, bytes: &[u8]) -> Verdict {
        let mut verdict = Verdict::new(0, 1);
        self.judge(bytes, &mut verdict);
        verdict.cites = None;
        verdict
    }

    /// Validate one record that is already a JSON value.
    /// The depth and string limits apply as they do to bytes; the size limit does not, since
    /// the value is already in memory.
    pub fn validate_value(&self, value: &Value) -> Verdict {
        let mut verdict = Verdict::new(0, 1);
        match structural::within_limits(value, &self.inner.options.limits, self.lang()) {
            Ok(()) => self.judge_value(value.clone(), &mut verdict),
            Err(finding) => verdict.extend([finding]),
        }
        verdict.cites = None;
        verdict
    }

    /// Validate a stream of records lazily, one [`Event`] per record in input order, plus one
    /// for a batch envelope. Memory does not grow with the number of records, apart from the
    /// index of ids that finds duplicates (about 15.5 bytes per record).
    pub fn validate_reader<R: std::io::Read>(
        &self,
        reader: R,
        format: InputFormat,
    ) -> SequentialEvents<R> {
        SequentialEvents::new(self.clone(), reader, format)
    }

    /// Like [`Validator::validate_reader`], on `jobs` threads; events stay in input order.
    pub fn validate_reader_parallel<R: std::io::Read + Send + 'static>(
        &self,
        reader: R,
        format: InputFormat,
        jobs: usize,
    ) -> ParallelEvents {
        ParallelEvents::new(self.clone(), reader, format, jobs)
    }

    pub(crate) fn lang(&self) -> Lang {
        self.inner.options.lang
    }

    fn limit_finding(&self, en: &str, zh: &str) -> Finding {
        Finding::new(Code::RecordLimit, "", self.lang().pick(en, zh).to_owned())
    }

    /// Judge one record's bytes into `verdict`.
    pub(crate) fn judge(&self, bytes: &[u8], verdict: &mut Verdict) {
        self.judge_after(bytes, verdict, false)
    }

    /// The record's header, when the typed path may take it.
    pub(crate) fn typed_header(&self, bytes: &[u8]) -> Option<(DocumentKind, Version)> {
        Header::sniff(bytes).filter(|_| self.inner.typed_path)
    }

    /// [`Validator::judge`], after the caller found that the record's 2.0 type refuses its
    /// bytes (and told [`adapt`]) when `typed_refused`: the typed parse is not tried again.
    pub(crate) fn judge_after(&self, bytes: &[u8], verdict: &mut Verdict, typed_refused: bool) {
        let limits = &self.inner.options.limits;
        if bytes.len() > limits.max_record_bytes {
            verdict.extend([self.limit_finding("the record is too large", "记录过大")]);
            return;
        }
        let header = self.typed_header(bytes).filter(|_| !typed_refused);
        let mut tree = TreeOutcome::Sound;
        if let Some((DocumentKind::Record(kind), version)) = header {
            // While this thread sees mostly records that fail their typed parse, the schema
            // goes first: a record it finds an error in is judged without the doomed parse.
            // The verdict is the same either way (see `adapt`).
            if adapt::guess().schema_first() {
                tree = self.judge_tree_then(bytes, verdict, false);
                if let TreeOutcome::Judged { sound } = tree {
                    return adapt::saw(sound);
                }
            }
            if version == Version::V2_0 {
                let judged = self.judge_typed_2_0(kind, bytes, verdict) != fast::Typed::Refused;
                adapt::saw(judged);
                if judged {
                    return;
                }
            } else {
                let typed = fast::typed_from_slice(version, kind, bytes);
                adapt::saw(typed.is_some());
                match typed {
                    // An extension over the limits: the slow path names that alone.
                    Some(TypedRecord::V2_1(record)) if self.extensions_2_1_fit(&record) => {
                        return self.judge_typed_2_1(record, verdict)
                    }
                    _ => {}
                }
            }
        }
        // The tree judges the record unless it gave up on it already.
        if tree != TreeOutcome::GaveUp && self.judge_tree(bytes, verdict) {
            return;
        }
        match structural::parse(bytes, limits, self.lang()) {
            Ok(value) => self.judge_value(value, verdict),
            Err(finding) => verdict.extend([finding]),
        }
    }

    /// Whether the extensions of a typed 2.1 record are within the limits.
    fn extensions_2_1_fit(&self, record: &crate::v2_1::Record) -> bool {
        use crate::v2_1::Record as R;
        let extensions = match record {
            R::Person(r) => &r.extensions,
            R::Course(r) => &r.extensions,
            R::Completion(r) => &r.extensions,
            R::Certificate(r) => &r.extensions,
            R::Competition(r) => &r.extensions,
        };
        self.extensions_within_limits(extensions).is_none()
    }

    /// Judge a typed 2.1 record (its extensions within the limits) as the slow path would:
    /// the rules of 2.1, a competition's `certificate` left to the stream.
    fn judge_typed_2_1(&self, record: crate::v2_1::Record, verdict: &mut Verdict) {
        use crate::v2_1::Record as R;
        verdict.kind = Some(record.kind().into());
        verdict.id = Some(record.id().clone());
        if let R::Competition(c) = &record {
            verdict.cites = c.certificate.clone();
        }
        crate::v2_1::record_rules(&self.inner.ctx, record, &mut verdict.issues);
    }

    fn judge_value(&self, value: Value, verdict: &mut Verdict) {
        let lang = self.lang();
        if !value.is_object() {
            verdict.extend([Finding::new(
                Code::SchemaType,
                "",
                lang.pick("a record must be a JSON object", "记录必须是 JSON 对象"),
            )]);
            return;
        }
        let header = Header::of_value(&value);
        verdict.kind = header.kind.and_then(Result::ok);
        if let Some(id) = value.get("id").and_then(Value::as_str) {
            if let Ok(id) = id.parse::<crate::ident::RecordId>() {
                verdict.id = Some(id);
            }
        }
        let kind = match header.kind {
            Some(Ok(DocumentKind::Batch)) => {
                verdict.extend([Finding::new(
                    Code::RecordKind,
                    "/kind",
                    lang.pick(
                        "a batch cannot be a record of an upload",
                        "批次封装不能作为上传中的一条记录",
                    ),
                )]);
                return;
            }
            Some(Ok(DocumentKind::Record(kind))) => kind,
            Some(Err(())) => {
                verdict.extend([Finding::new(
                    Code::RecordKind,
                    "/kind",
                    lang.pick(
                        "kind must be person, course, completion, certificate or competition",
                        "kind 须为 person、course、completion、certificate 或 competition",
                    ),
                )]);
                return;
            }
            None => {
                verdict.extend([Finding::new(
                    Code::RecordKind,
                    "/kind",
                    lang.pick("the record has no kind", "记录缺少 kind"),
                )]);
                return;
            }
        };
        if kind == Kind::Competition {
            verdict.cites = value
                .get("certificate")
                .and_then(Value::as_str)
                .and_then(|id| id.parse().ok());
        }
        let version = match header.version {
            Some(Ok(v)) => v,
            Some(Err(())) | None => {
                let (en, zh) = if header.version.is_none() {
                    ("the record has no schemaVersion", "记录缺少 schemaVersion")
                } else {
                    (
                        "schemaVersion must be 1.0, 2.0 or 2.1",
                        "schemaVersion 须为 1.0、2.0 或 2.1",
                    )
                };
                verdict.extend([Finding::new(
                    Code::RecordVersion,
                    "/schemaVersion",
                    lang.pick(en, zh),
                )]);
                return;
            }
        };
        verdict.extend(self.judge_edition(version, kind, value));
    }

    /// The slow path of one edition: the committed schema's findings, the identifiers' own
    /// codes, then (when the structure is sound) the typed rules.
    fn judge_edition(&self, version: Version, kind: Kind, value: Value) -> Vec<Finding> {
        let lang = self.lang();
        if !version.has(kind) {
            let (en, zh) = (
                format!("version {version} has no record kind {kind}"),
                format!("{version} 版没有 {kind} 记录类型"),
            );
            return vec![Finding::new(Code::RecordKind, "/kind", lang.pick(&en, &zh))];
        }
        let edition = edition::of(version);
        let mut findings = match compiled::compiled(version, kind.into()) {
            Some(schema) => structural::schema_findings(schema.iter_errors(&value), lang),
            None => Vec::new(),
        };
        (edition.id_findings)(kind, &value, lang, &mut findings);
        if !findings.iter().any(Finding::is_error) {
            (edition.typed_rules)(&self.inner.ctx, kind, value, &mut findings);
        }
        findings
    }

    /// Judge a batch envelope: the batch object without its records.
    pub(crate) fn judge_envelope(&self, bytes: &[u8], verdict: &mut Verdict) {
        verdict.kind = Some(DocumentKind::Batch);
        let lang = self.lang();
        let mut value = match structural::parse(bytes, &self.inner.options.limits, lang) {
            Ok(v) => v,
            Err(f) => return verdict.extend([f]),
        };
        if let Some(id) = value.get("id").and_then(Value::as_str) {
            if let Ok(id) = id.parse::<crate::ident::RecordId>() {
                verdict.id = Some(id);
            }
        }
        if let Some(expected) = &self.inner.options.expected_sender {
            let named = value.pointer("/sender/uscc").and_then(Value::as_str);
            if named.is_some_and(|named| named != expected.as_str()) {
                verdict.extend([Finding::new(
                    Code::UploadSenderMismatch,
                    "/sender/uscc",
                    lang.pick(
                        "the batch names a sender other than the uploader",
                        "批次的发送单位与上传者不一致",
                    ),
                )]);
            }
        }
        if let Value::Object(map) = &mut value {
            map.entry("records")
                .or_insert_with(|| Value::Array(Vec::new()));
        }
        // An envelope of a version with batches is judged by that edition; any other by 2.0's
        // schema, which names what is wrong with its `schemaVersion`.
        let version = match Header::of_value(&value).version {
            Some(Ok(v)) if edition::of(v).envelope_rules.is_some() => v,
            _ => Version::V2_0,
        };
        let mut findings = match compiled::compiled(version, DocumentKind::Batch) {
            Some(schema) => structural::schema_findings(schema.iter_errors(&value), lang),
            None => Vec::new(),
        };
        if !findings.iter().any(Finding::is_error) {
            if let Some(rules) = edition::of(version).envelope_rules {
                rules(&self.inner.ctx, value, &mut findings);
            }
        }
        verdict.extend(findings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path skips the string-length limit only while no typed string can exceed it:
    /// `TYPED_STRING_BYTES` must cover the longest `maxLength` of every generated schema, at up
    /// to 4 UTF-8 bytes a character.
    #[test]
    fn typed_strings_fit_the_fast_path_bound() {
        fn longest(v: &Value) -> u64 {
            match v {
                Value::Object(m) => m
                    .iter()
                    .map(|(k, x)| match (k.as_str(), x.as_u64()) {
                        ("maxLength", Some(n)) => n,
                        _ => longest(x),
                    })
                    .max()
                    .unwrap_or(0),
                Value::Array(a) => a.iter().map(longest).max().unwrap_or(0),
                _ => 0,
            }
        }
        let most = Version::ALL
            .iter()
            .flat_map(|&v| crate::schema::kinds(v).iter().map(move |&k| (v, k)))
            .map(|(v, k)| {
                longest(&crate::schema::generate(
                    v,
                    k,
                    crate::schema::DEFAULT_BASE_URI,
                ))
            })
            .max()
            .expect("schemas");
        assert!(most >= 2048, "{most}");
        assert!(most * 4 <= TYPED_STRING_BYTES as u64, "{most} characters");
    }

    #[test]
    fn values_in_memory_get_the_depth_and_length_limits() {
        let validator = Validator::new(Options::default());
        let mut deep = serde_json::json!("x");
        for _ in 0..100 {
            deep = serde_json::json!([deep]);
        }
        let record = serde_json::json!({
            "kind": "course", "schemaVersion": "2.0",
            "extensions": { "com.example:deep": deep },
        });
        let verdict = validator.validate_value(&record);
        assert_eq!(verdict.issues.len(), 1);
        assert_eq!(verdict.issues[0].code, Code::RecordLimit);
        assert!(verdict.issues[0]
            .path
            .starts_with("/extensions/com.example:deep/0/0"));
    }

    #[test]
    fn typed_records_get_the_limits_inside_extensions() {
        let limits = Limits {
            max_string_bytes: 64,
            ..Limits::default()
        };
        let validator = Validator::new(Options::default().limits(limits));
        let course = include_str!("../tests/vectors/2.0/valid/course-housekeeping-extensions.json")
            .replace("\"入门\"", &format!("\"{}\"", "x".repeat(65)));
        // The record is typed (fast path); the long string is still found, with its path.
        assert!(Header::sniff(course.as_bytes()).is_some());
        let verdict = validator.validate_str(&course);
        assert_eq!(verdict.issues.len(), 1, "{:?}", verdict.issues);
        assert_eq!(verdict.issues[0].code, Code::RecordLimit);
        assert_eq!(
            verdict.issues[0].path,
            "/extensions/com.example.lms:catalog/tags/1"
        );
    }
}
