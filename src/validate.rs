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
mod hints;
mod quiet;
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

/// Keeps the ids of one upload to find repeats, and which of them are certificates' (for a
/// competition's `certificate`), exactly, in about 15.5 bytes per record.
///
/// A hash set of 16-byte keys costs up to ~39 bytes per key just after it doubles. Here each
/// id goes through a keyed permutation of the 128-bit numbers (a Feistel network, random key
/// per index): the permuted id's top bits pick one of many sorted vectors, and the vector keeps
/// only the low 119 bits, plus one bit that says whether a certificate has that id: 15 bytes.
/// The permutation is a bijection and the vector's number supplies the top bits, so the id is
/// kept whole: a repeat is always found, a new id is never called one. Vectors grow by
/// [`STEP`] ids at a time: under a step of slack a vector, and no doubling spike. The number of
/// vectors follows the upload: 512 at first (a one-record upload costs about 12 KB), four times
/// as many whenever they average [`SPLIT_AT`] ids, up to 131,072 (a vector then holds ~300
/// ids at forty million records), so a binary search and a short move are all an insert costs.
/// The key is random, so no upload can pile its ids into one vector.
#[derive(Debug)]
pub(crate) struct DuplicateIds {
    shards: Vec<Vec<Entry>>,
    /// `shards.len()` is `1 << bits` once the first id is in.
    bits: u32,
    /// How many ids are in.
    len: usize,
    /// The permutation's round keys.
    key: [u64; ROUNDS],
}

/// One id in a vector: the permuted id's low 119 bits, shifted up by one, and the certificate
/// bit, as 15 little-endian bytes.
type Entry = [u8; 15];

/// Rounds of the Feistel network.
const ROUNDS: usize = 4;
/// The permuted id's bits an [`Entry`] keeps (the vector's number holds the rest).
const KEPT_BITS: u32 = 119;
/// `log2` of the number of sorted vectors the first ids are spread over: at least the bits an
/// [`Entry`] does not keep.
const FIRST_BITS: u32 = 128 - KEPT_BITS;
/// `log2` of the most sorted vectors the ids are spread over.
const MAX_BITS: u32 = 17;
/// The average ids per vector at which there become four times as many vectors: the more ids
/// a vector holds, the less its header and allocation cost per id (about a byte per id at the
/// smallest, right after a split), the longer the move an insert makes (a few kilobytes).
const SPLIT_AT: usize = 512;
/// A vector's capacity is a multiple of this many ids: a full vector grows by one step. The
/// slack is under a step a vector, and every vector's allocation is one of a few sizes, so the
/// memory one vector gives back as it grows is the size the next one asks for (with sizes all
/// different, the allocator's free memory scattered into holes too small to reuse).
const STEP: usize = 8;

impl Default for DuplicateIds {
    fn default() -> Self {
        use std::hash::{BuildHasher, RandomState};
        let random = RandomState::new();
        DuplicateIds {
            shards: Vec::new(),
            bits: FIRST_BITS,
            len: 0,
            key: std::array::from_fn(|i| random.hash_one(i)),
        }
    }
}

/// A 64-bit mix (the finalizer of SplitMix64): the Feistel network's round function.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn load(entry: &Entry) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[..15].copy_from_slice(entry);
    u128::from_le_bytes(bytes)
}

fn store(value: u128) -> Entry {
    let bytes = value.to_le_bytes();
    let mut entry = [0u8; 15];
    entry.copy_from_slice(&bytes[..15]);
    entry
}

/// The kept bits of a permuted id.
const KEPT: u128 = (1 << KEPT_BITS) - 1;

impl DuplicateIds {
    /// The id under the index's keyed permutation (a bijection of the 128-bit numbers).
    fn permute(&self, id: u128) -> u128 {
        let (mut left, mut right) = ((id >> 64) as u64, id as u64);
        for key in self.key {
            (left, right) = (right, left ^ mix(right ^ key));
        }
        (u128::from(left) << 64) | u128::from(right)
    }

    /// The vector a permuted id belongs in among `1 << bits`: its top bits, so the four a
    /// vector splits into are the ones its ids' next two bits pick.
    fn shard_of(permuted: u128, bits: u32) -> usize {
        (permuted >> (128 - bits)) as usize
    }

    /// Four times as many vectors, each id moved to its new vector in order (so every vector
    /// stays sorted), each old vector freed as soon as it is spread.
    fn split(&mut self) {
        let (old_bits, bits) = (self.bits, self.bits + 2);
        let old = std::mem::take(&mut self.shards);
        let mut shards: Vec<Vec<Entry>> = Vec::with_capacity(1 << bits);
        for (at, shard) in old.into_iter().enumerate() {
            let top = (at as u128) << (128 - old_bits);
            let quarter = |entry: &Entry| Self::shard_of(top | (load(entry) >> 1), bits) & 3;
            let mut quarters: [Vec<Entry>; 4] = Default::default();
            let mut counts = [0usize; 4];
            for entry in &shard {
                counts[quarter(entry)] += 1;
            }
            for (q, count) in quarters.iter_mut().zip(counts) {
                q.reserve_exact(count.next_multiple_of(STEP));
            }
            for entry in shard {
                quarters[quarter(&entry)].push(entry);
            }
            shards.extend(quarters);
        }
        self.shards = shards;
        self.bits = bits;
    }

    /// Where `id` is or would go: its vector, its place in it, and its kept bits.
    fn find(&self, id: u128) -> (usize, Result<usize, usize>, u128) {
        let permuted = self.permute(id);
        let at = Self::shard_of(permuted, self.bits);
        let kept = permuted & KEPT;
        let place = match self.shards.get(at) {
            Some(shard) => shard.binary_search_by(|e| (load(e) >> 1).cmp(&kept)),
            None => Err(0),
        };
        (at, place, kept)
    }

    /// Add `id`, marked a certificate's if `certificate` (a mark that stays); whether it was not
    /// there yet.
    fn add(&mut self, id: u128, certificate: bool) -> bool {
        if self.shards.is_empty() {
            self.shards = (0..1usize << self.bits).map(|_| Vec::new()).collect();
        } else if self.bits + 2 <= MAX_BITS && self.len >= self.shards.len() * SPLIT_AT {
            self.split();
        }
        let (at, place, kept) = self.find(id);
        let shard = &mut self.shards[at];
        match place {
            Ok(i) => {
                if certificate {
                    shard[i][0] |= 1;
                }
                false
            }
            Err(i) => {
                if shard.len() == shard.capacity() {
                    shard.reserve_exact(STEP);
                }
                shard.insert(i, store((kept << 1) | u128::from(certificate)));
                self.len += 1;
                true
            }
        }
    }

    /// Add `key`; whether it was not there yet.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, key: u128) -> bool {
        self.add(key, false)
    }

    /// Whether `key` was added.
    #[cfg(test)]
    pub(crate) fn contains(&self, key: u128) -> bool {
        self.find(key).1.is_ok()
    }

    /// Whether a certificate with id `key` was added.
    fn is_certificate(&self, key: u128) -> bool {
        match self.find(key) {
            (at, Ok(i), _) => self.shards[at][i][0] & 1 == 1,
            _ => false,
        }
    }

    /// Check a record's id against the ids before it (`batch.duplicate-id`) and, for a
    /// competition, that the certificate it names came before it in the same upload
    /// (`competition.certificate`, as a completion follows the course it cites); then keep
    /// its id.
    pub(crate) fn check(&mut self, verdict: &mut Verdict, lang: Lang) {
        let cites_none = verdict
            .cites
            .take()
            .is_some_and(|cited| !self.is_certificate(cited.as_uuid().as_u128()));
        let certificate = verdict.kind == Some(DocumentKind::Record(Kind::Certificate));
        if let Some(key) = verdict.id.as_ref().map(|id| id.as_uuid().as_u128()) {
            if !self.add(key, certificate) {
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
        if cites_none {
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
        // 15 bytes an id, and under a step of slack a shard; capacities are whole steps.
        assert!(
            slots as u128 <= 2 * n + (STEP * ids.shards.len()) as u128,
            "{slots}"
        );
        assert!(ids.shards.iter().all(|s| s.capacity() % STEP == 0));
        // The shards followed the upload: 400,000 ids over 2,048 shards (split at 262,144
        // ids), not 131,072.
        assert_eq!(ids.len, 2 * n as usize - 1);
        assert_eq!(ids.shards.len(), 1 << 11);
        assert!(sorted(&ids));
    }

    /// A xorshift64 generator from `seed`: the index tests' stream of ids.
    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// Whether every vector of the index is sorted, without repeats.
    fn sorted(ids: &DuplicateIds) -> bool {
        ids.shards
            .iter()
            .all(|s| s.windows(2).all(|w| load(&w[0]) >> 1 < load(&w[1]) >> 1))
    }

    /// The heap bytes the index holds: its ids' slots and the vectors' headers.
    fn index_bytes(ids: &DuplicateIds) -> usize {
        let slots: usize = ids.shards.iter().map(Vec::capacity).sum();
        slots * std::mem::size_of::<Entry>()
            + ids.shards.capacity() * std::mem::size_of::<Vec<Entry>>()
    }

    #[test]
    fn the_index_is_exact_across_splits() {
        // A model (a plain hash set) and the index see the same stream: new ids, repeats of
        // ids from long before (kept across every split since), and ids that differ from an
        // earlier one in a single bit, high or low. Every verdict must agree.
        let mut ids = DuplicateIds::default();
        let mut model = std::collections::HashSet::new();
        let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
        let mut seen: Vec<u128> = Vec::new();
        let (mut repeats, mut near) = (0, 0);
        for i in 0..400_000u32 {
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
        assert!(sorted(&ids));
    }

    #[test]
    fn the_index_costs_about_fifteen_and_a_half_bytes_an_id() {
        // (Worst right after a split, when a shard holds 128 ids and its step of slack and
        // its header weigh most.)
        // At every size from 65,536 ids to half a million, right after a split and just
        // before one, the index holds at most 16 bytes per id (a 100 MB upload is about
        // 165,000 records); below that, the first 512 shards' few spare slots weigh more, but
        // the whole index is then under 1.1 MB.
        let mut ids = DuplicateIds::default();
        let (mut worst, mut at_100_mb) = (0f64, 0f64);
        for i in 0..500_000u128 {
            ids.insert(i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835));
            if i >= 65_536 {
                worst = worst.max(index_bytes(&ids) as f64 / ids.len as f64);
            } else {
                assert!(index_bytes(&ids) <= 1_100_000);
            }
            if i == 165_000 {
                at_100_mb = index_bytes(&ids) as f64 / ids.len as f64;
            }
        }
        assert!(worst <= 16.0, "{worst:.2} bytes an id");
        assert!(worst > 15.0, "{worst:.2}: the ids themselves are counted");
        assert!(at_100_mb <= 15.5, "{at_100_mb:.2} bytes an id at 165,000");
    }

    /// The id the entry at `place` of vector `at` stands for: the inverse of the permutation
    /// of the vector's number (the top bits) and the entry's kept bits.
    fn id_of(ids: &DuplicateIds, at: usize, entry: &Entry) -> u128 {
        let permuted = ((at as u128) << (128 - ids.bits)) | (load(entry) >> 1);
        let (mut left, mut right) = ((permuted >> 64) as u64, permuted as u64);
        for key in ids.key.iter().rev() {
            (left, right) = (right ^ mix(left ^ key), left);
        }
        (u128::from(left) << 64) | u128::from(right)
    }

    #[test]
    fn every_entry_gives_back_its_id_and_certificates_are_marked() {
        // A model (a map from id to "a certificate has it") and the index see the same
        // stream of ids, some repeated, some of certificates, across splits. Every answer
        // agrees; every entry, with its vector's number, gives back exactly the ids added.
        let mut ids = DuplicateIds::default();
        let mut model: std::collections::HashMap<u128, bool> = Default::default();
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
        let mut seen: Vec<u128> = Vec::new();
        for i in 0..400_000u64 {
            let r = next();
            let id = match r % 4 {
                0 if !seen.is_empty() => seen[(next() % seen.len() as u64) as usize],
                1 => u128::from(i) << 64,
                _ => (u128::from(next()) << 64) | u128::from(next()),
            };
            let certificate = r % 3 == 0;
            let probe = (u128::from(next()) << 64) | u128::from(next());
            assert_eq!(
                ids.is_certificate(probe),
                model.get(&probe).copied().unwrap_or(false)
            );
            let fresh = !model.contains_key(&id);
            *model.entry(id).or_default() |= certificate;
            assert_eq!(ids.add(id, certificate), fresh, "id {i}");
            assert_eq!(ids.is_certificate(id), model[&id]);
            if fresh {
                seen.push(id);
            }
        }
        assert!(ids.bits > FIRST_BITS, "the stream crossed splits");
        assert!(sorted(&ids));
        let mut back: Vec<(u128, bool)> = ids
            .shards
            .iter()
            .enumerate()
            .flat_map(|(at, s)| s.iter().map(move |e| (at, e)))
            .map(|(at, e)| (id_of(&ids, at, e), e[0] & 1 == 1))
            .collect();
        back.sort_unstable();
        let mut expected: Vec<(u128, bool)> = model.into_iter().collect();
        expected.sort_unstable();
        assert_eq!(back, expected);
    }

    #[test]
    fn a_small_upload_keeps_a_small_index() {
        let mut ids = DuplicateIds::default();
        assert!(ids.insert(1) && ids.insert(2) && !ids.insert(1));
        assert_eq!(ids.shards.len(), 512);
        assert!(index_bytes(&ids) <= 16 << 10, "{}", index_bytes(&ids));
        assert!(ids.contains(2) && !ids.contains(3));
    }
}
