//! Validation: one verdict per record, with every finding.
//!
//! Two layers give one verdict. A record is first deserialized straight into its typed form —
//! the fast path, as fast as parsing gets — and the semantic [rules](self#rules) run on it.
//! Only a record that does not deserialize takes the slow path: it is read into a tree that
//! borrows from its bytes (parsed to a JSON value where that reader is unsure), checked
//! against the committed JSON Schema with every error collected and mapped to a `schema.*`
//! code with its JSON Pointer, and its identity documents are checked for the codes of their
//! own (`id-number.*`). Cross-field rules run once a record's structure is sound.
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

mod compiled;
mod diagnose;
mod fast;
mod fields;
mod hints;
mod stream;
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
pub(crate) use fields::{Field, Fields};
pub use stream::{Event, ParallelEvents, SequentialEvents};
pub use typed::{BatchVerdict, Checkable};

use crate::edition;
pub use crate::framing::InputFormat;
use crate::kind::Header;
use crate::v2::Record;
use crate::{Code, DocumentKind, Kind, Version};

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
    /// index of ids that finds duplicates (16 bytes and table overhead per record).
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

    fn lang(&self) -> Lang {
        self.inner.options.lang
    }

    fn limit_finding(&self, en: &str, zh: &str) -> Finding {
        Finding::new(Code::RecordLimit, "", self.lang().pick(en, zh).to_owned())
    }

    /// Judge one record's bytes into `verdict`.
    pub(crate) fn judge(&self, bytes: &[u8], verdict: &mut Verdict) {
        let limits = &self.inner.options.limits;
        if bytes.len() > limits.max_record_bytes {
            verdict.extend([self.limit_finding("the record is too large", "记录过大")]);
            return;
        }
        let header = Header::sniff(bytes).filter(|_| self.inner.typed_path);
        if let Some((DocumentKind::Record(kind), version)) = header {
            match fast::typed_from_slice(version, kind, bytes) {
                Some(TypedRecord::V2_0(record)) => return self.judge_typed(&record, verdict),
                // An extension over the limits: the slow path names that alone.
                Some(TypedRecord::V2_1(record)) if self.extensions_2_1_fit(&record) => {
                    return self.judge_typed_2_1(record, verdict)
                }
                _ => {}
            }
        }
        if self.judge_tree(bytes, verdict) {
            return;
        }
        match structural::parse(bytes, limits, self.lang()) {
            Ok(value) => self.judge_value(value, verdict),
            Err(finding) => verdict.extend([finding]),
        }
    }

    fn judge_typed(&self, record: &Record, verdict: &mut Verdict) {
        verdict.kind = Some(record.kind().into());
        verdict.id = Some(record.id().clone());
        crate::v2::rule_findings(&self.inner.ctx, record, &mut verdict.issues);
        if let Some(f) = self.extension_limits(record) {
            verdict.extend([f]);
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

    /// Strings inside extensions are the only ones without a bound in their type.
    fn extension_limits(&self, record: &Record) -> Option<Finding> {
        let extensions = match record {
            Record::Person(r) => &r.extensions,
            Record::Course(r) => &r.extensions,
            Record::Completion(r) => &r.extensions,
            Record::Certificate(r) => &r.extensions,
        };
        self.extensions_within_limits(extensions)
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

/// Keeps the ids of one upload to find repeats, exactly, in about 17 bytes per record.
///
/// A hash set of 16-byte keys costs up to ~39 bytes per key just after it doubles. Here the
/// ids are spread by a keyed hash over sorted vectors that grow by [`STEP`] ids at a time: 16
/// bytes per id plus under a step of slack a vector and the vectors' own headers, and no
/// doubling spike. The number of vectors follows the upload: 64 at first (a one-record upload
/// costs a few kilobytes, not the megabytes of a table sized for millions), four times as
/// many whenever they average [`SPLIT_AT`] ids, up to 65,536; a shard then holds ~150 ids at
/// ten million records, so a binary search and a short move are all an insert costs. The
/// hash key is random per process, so no upload can pile its ids into one shard. The ids
/// themselves are kept, so a verdict is never a guess: a repeat is always found and a new id
/// is never called one.
#[derive(Debug)]
pub(crate) struct DuplicateIds {
    shards: Vec<Vec<u128>>,
    /// `shards.len()` is `1 << bits` once the first id is in.
    bits: u32,
    /// How many ids are in.
    len: usize,
    /// A random key per index.
    key: (u64, u64),
}

impl Default for DuplicateIds {
    fn default() -> Self {
        use std::hash::{BuildHasher, RandomState};
        let random = RandomState::new();
        DuplicateIds {
            shards: Vec::new(),
            bits: FIRST_BITS,
            len: 0,
            key: (random.hash_one(1u8), random.hash_one(2u8)),
        }
    }
}

/// `log2` of the number of sorted vectors the first ids are spread over.
const FIRST_BITS: u32 = 6;
/// `log2` of the most sorted vectors the ids are spread over.
const MAX_BITS: u32 = 16;
/// The average ids per vector at which there become four times as many vectors: the more ids
/// a vector holds, the less its header and allocation cost per id (about a byte per id at the
/// smallest, right after a split), the longer the move an insert makes (a few hundred bytes).
const SPLIT_AT: usize = 256;
/// A vector's capacity is a multiple of this many ids: a full vector grows by one step. The
/// slack is under a step a vector, and every vector's allocation is one of a few sizes, so the
/// memory one vector gives back as it grows is the size the next one asks for (with sizes all
/// different, the allocator's free memory scattered into holes too small to reuse).
const STEP: usize = 8;

impl DuplicateIds {
    /// The shard `key` belongs in among `1 << bits`.
    fn shard_of(&self, key: u128, bits: u32) -> usize {
        // A keyed multiply-xorshift of both halves: cheap, and without the key no upload
        // can aim its ids at one shard. The top bits pick the shard, so the four shards a
        // shard splits into are the ones its ids' next two bits pick.
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let mixed = (lo ^ self.key.0).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (hi ^ self.key.1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        (mixed >> (64 - bits)) as usize
    }

    /// Four times as many shards, each id moved to its new shard in order (so every shard
    /// stays sorted), each old shard freed as soon as it is spread.
    fn split(&mut self) {
        let bits = self.bits + 2;
        let old = std::mem::take(&mut self.shards);
        let mut shards: Vec<Vec<u128>> = Vec::with_capacity(1 << bits);
        for shard in old {
            let mut quarters: [Vec<u128>; 4] = Default::default();
            let mut counts = [0usize; 4];
            for &key in &shard {
                counts[self.shard_of(key, bits) & 3] += 1;
            }
            for (quarter, count) in quarters.iter_mut().zip(counts) {
                quarter.reserve_exact(count.next_multiple_of(STEP));
            }
            for key in shard {
                quarters[self.shard_of(key, bits) & 3].push(key);
            }
            shards.extend(quarters);
        }
        self.shards = shards;
        self.bits = bits;
    }

    /// Add `key`; whether it was not there yet.
    pub(crate) fn insert(&mut self, key: u128) -> bool {
        if self.shards.is_empty() {
            self.shards = (0..1usize << self.bits).map(|_| Vec::new()).collect();
        } else if self.bits < MAX_BITS && self.len >= self.shards.len() * SPLIT_AT {
            self.split();
        }
        let at = self.shard_of(key, self.bits);
        let shard = &mut self.shards[at];
        match shard.binary_search(&key) {
            Ok(_) => false,
            Err(at) => {
                if shard.len() == shard.capacity() {
                    shard.reserve_exact(STEP);
                }
                shard.insert(at, key);
                self.len += 1;
                true
            }
        }
    }

    /// Whether `key` was added.
    pub(crate) fn contains(&self, key: u128) -> bool {
        !self.shards.is_empty()
            && self.shards[self.shard_of(key, self.bits)]
                .binary_search(&key)
                .is_ok()
    }

    pub(crate) fn check(&mut self, verdict: &mut Verdict, lang: Lang) {
        if let Some(key) = verdict.id.as_ref().map(|id| id.as_uuid().as_u128()) {
            if !self.insert(key) {
                verdict.extend([Finding::new(
                    Code::BatchDuplicateId,
                    "/id",
                    lang.pick(
                        "another record of this upload has the same id",
                        "本次上传中另一条记录使用了相同的 id",
                    ),
                )]);
            }
        }
    }
}

/// The certificates of one upload, so that a competition's `certificate` can be judged: it
/// must name a certificate earlier in the same upload (`competition.certificate`), as a
/// completion follows the course it cites. Keeps the certificates' ids in an index like the
/// one that finds repeated ids (about 17 bytes a certificate), nothing for other kinds.
#[derive(Debug, Default)]
pub(crate) struct References {
    certificates: DuplicateIds,
}

impl References {
    pub(crate) fn check(&mut self, verdict: &mut Verdict, lang: Lang) {
        if let Some(cited) = verdict.cites.take() {
            if !self.certificates.contains(cited.as_uuid().as_u128()) {
                verdict.extend([Finding::new(
                    Code::CompetitionCertificate,
                    "/certificate",
                    lang.pick(
                        "names no certificate earlier in this upload",
                        "所指证书不是本次上传中排在其前的证书记录",
                    ),
                )]);
            }
        }
        if verdict.kind == Some(DocumentKind::Record(Kind::Certificate)) {
            if let Some(id) = &verdict.id {
                self.certificates.insert(id.as_uuid().as_u128());
            }
        }
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

    #[test]
    fn duplicate_ids_are_found_and_the_index_stays_small() {
        let mut ids = DuplicateIds::default();
        let n = 200_000u128;
        let mut verdict = |key: u128| {
            let mut v = Verdict::new(0, 1);
            v.id = Some(crate::ident::RecordId::from_uuid(uuid::Uuid::from_u128(
                key,
            )));
            ids.check(&mut v, Lang::En);
            v.is_valid()
        };
        // Spread keys and sequential keys alike.
        assert!((0..n).all(|i| verdict(i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))));
        assert!((1..n).all(&mut verdict));
        assert!(!verdict(7));
        assert!(!verdict(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
        let slots: usize = ids.shards.iter().map(Vec::capacity).sum();
        // 16 bytes an id, and under a step of slack a shard; capacities are whole steps.
        assert!(
            slots as u128 <= 2 * n + (STEP * ids.shards.len()) as u128,
            "{slots}"
        );
        assert!(ids.shards.iter().all(|s| s.capacity() % STEP == 0));
        // The shards followed the upload: 400,000 ids over 4,096 shards (split at 16,384,
        // 65,536 and 262,144 ids), not 65,536.
        assert_eq!(ids.len, 2 * n as usize - 1);
        assert_eq!(ids.shards.len(), 1 << 12);
        assert!(ids.shards.iter().all(|s| s.windows(2).all(|w| w[0] < w[1])));
    }

    /// The heap bytes the index holds: its ids' slots and the vectors' headers.
    fn index_bytes(ids: &DuplicateIds) -> usize {
        let slots: usize = ids.shards.iter().map(Vec::capacity).sum();
        slots * std::mem::size_of::<u128>()
            + ids.shards.capacity() * std::mem::size_of::<Vec<u128>>()
    }

    #[test]
    fn the_index_is_exact_across_splits() {
        // A model (a plain hash set) and the index see the same stream: new ids, repeats of
        // ids from long before (kept across every split since), and ids that differ from an
        // earlier one in a single bit, high or low. Every verdict must agree.
        let mut ids = DuplicateIds::default();
        let mut model = std::collections::HashSet::new();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut seen: Vec<u128> = Vec::new();
        let (mut repeats, mut near) = (0, 0);
        for i in 0..300_000u32 {
            let r = next();
            let key = match r % 8 {
                0 if !seen.is_empty() => {
                    repeats += 1;
                    seen[(next() % seen.len() as u64) as usize]
                }
                1 if !seen.is_empty() => {
                    near += 1;
                    seen[(next() % seen.len() as u64) as usize] ^ (1u128 << (next() % 128))
                }
                2 => u128::from(i), // sequential ids
                _ => (u128::from(next()) << 64) | u128::from(next()),
            };
            let fresh = model.insert(key);
            assert_eq!(ids.insert(key), fresh, "id {i}");
            if fresh {
                seen.push(key);
            }
        }
        assert!(repeats > 30_000 && near > 30_000, "{repeats} {near}");
        assert_eq!(ids.len, model.len());
        assert!(ids.bits > FIRST_BITS, "the stream crossed splits");
        assert!(seen.iter().all(|&k| ids.contains(k)));
        assert!(seen.iter().all(|&k| !ids.insert(k)));
        assert!(ids.shards.iter().all(|s| s.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn the_index_costs_about_seventeen_bytes_an_id() {
        // (Worst right after a split, when a shard holds 64 ids and its step of slack and its
        // header weigh most.)
        // At every size from 16,384 ids (the first split) to half a million, right after a
        // split and just before one, the index holds at most 17.5 bytes per id (a 100 MB
        // upload is about 165,000 records); below that, the first 64 shards' few spare slots
        // weigh more, but the whole index is then under 300 KB.
        let mut ids = DuplicateIds::default();
        let mut worst = 0f64;
        for i in 0..500_000u128 {
            ids.insert(i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
            if i >= 16_384 {
                worst = worst.max(index_bytes(&ids) as f64 / ids.len as f64);
            } else {
                assert!(index_bytes(&ids) <= 300_000);
            }
        }
        assert!(worst <= 17.5, "{worst:.2} bytes an id");
        assert!(worst > 16.0, "{worst:.2}: the ids themselves are counted");
    }

    #[test]
    fn a_small_upload_keeps_a_small_index() {
        let mut ids = DuplicateIds::default();
        assert!(ids.insert(1) && ids.insert(2) && !ids.insert(1));
        assert_eq!(ids.shards.len(), 64);
        assert!(ids.contains(2) && !ids.contains(3));
    }
}
