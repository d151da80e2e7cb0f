//! People over time: valid records of any version read as facts about people, and each
//! person's history (pre-job training and retraining per service category, certificates in
//! force, competitions).
//!
//! # Reading
//!
//! A [`Scanner`] reads uploads (NDJSON, JSON arrays, batches; 1.0, 2.0 and 2.1 records mixed)
//! through the validator: a record with any error is skipped and counted, never guessed at.
//! 1.0 records are upgraded to 2.1 first. Completions name their course by id, and a course
//! may come anywhere in the input (after its completions, in another file), so reading takes
//! two passes over the files:
//!
//! 1. [`Scanner::index`] keeps the few facts of every valid course (service categories,
//!    training type, class hours, programme kind, occupation, target level, province: about
//!    200 bytes a course) and the identity of every valid person record (so that a
//!    `learner.personId` finds its document);
//! 2. [`Scanner::scan`] turns every valid completion, certificate and competition into a
//!    [`Fact`], with the course it names resolved through the index.
//!
//! A completion whose course is not in the input still counts as a completion, but belongs to
//! no service category (its programme, occupation and level are `unknown`).
//!
//! # People
//!
//! A person is their document (type and number), never kept as such: each is held as a
//! [`PersonKey`], 16 bytes of a SHA-256 keyed with a random per-run secret, and shown as the
//! masked document (`resident-id-card:110*************2X`) or, with a digest key, as the
//! `documentDigest` the standard defines. With a digest key, records that carry only a
//! `documentDigest` link with records that carry the document; without one, they are people of
//! their own. A `personId` that no person record in the input resolves stands for a person of
//! its own, shown as `personId:<uuid>`.
//!
//! ```
//! use dsti::history::{History, Scanner};
//! use dsti::validate::{InputFormat, Options, Validator};
//!
//! let upload = include_str!("../examples/upload.ndjson");
//! let validator = Validator::new(Options::default().now(
//!     chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00+08:00").unwrap(),
//! ));
//! let mut scanner = Scanner::new(validator, None);
//! scanner.index(upload.as_bytes(), InputFormat::Ndjson)?;
//! let mut history = History::new(scanner.validator().context().now, 24);
//! scanner.scan(upload.as_bytes(), InputFormat::Ndjson, |fact| history.add(fact))?;
//! let people = history.people(&Default::default());
//! assert!(!people.is_empty());
//! // Nobody's document number is shown whole.
//! assert!(people.iter().all(|p| p.person.contains('*') || p.person.starts_with("personId:")));
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read};

use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::framing::{Body, Frame, FrameLimits, Frames, InputFormat};
use crate::ident::{IdDocument, ServiceCategory};
use crate::kind::{DocumentKind, Header};
use crate::privacy::{DigestAlgorithm, DigestKey};
use crate::validate::Verdict;
use crate::validate::{Profile, Validator};
use crate::{Kind, Mask, Version};

/// A person as 16 bytes: a keyed hash of their identity, with a key drawn afresh for every
/// [`Scanner`]. It cannot be reversed without that key, which is never shown.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey([u8; 16]);

impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonKey(<hash>)")
    }
}

/// A person a fact is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonId {
    /// The in-memory key that groups records by person.
    pub key: PersonKey,
    /// How the person is shown: the masked document, the `documentDigest`, or
    /// `personId:<uuid>`; never a whole document number.
    pub label: String,
}

/// The facts of a course that completions need.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CourseFacts {
    /// The service categories it trains for.
    pub service_categories: Vec<ServiceCategory>,
    /// Whether it is pre-job (岗前) training.
    pub pre_job: bool,
    /// `programmeKind` (2.1), e.g. `womens-federation`.
    pub programme_kind: Option<String>,
    /// The occupation code, e.g. `4-10-01-06`.
    pub occupation: String,
    /// `targetLevel`, e.g. `junior`.
    pub level: Option<String>,
    /// The province (first two digits of the provider's region), when the region is given.
    pub province: Option<String>,
}

/// A completed training (status `completed`, with its `completedAt`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CompletionFact<'a> {
    /// The record's id.
    pub id: String,
    /// The learner.
    pub person: PersonId,
    /// The course's id as the completion names it.
    pub course_id: String,
    /// The course, when the input holds it.
    pub course: Option<&'a CourseFacts>,
    /// When it was completed.
    pub completed_at: DateTime<FixedOffset>,
    /// Class hours earned.
    pub class_hours: f64,
    /// The province of the provider of the completion (or else of the course).
    pub province: Option<String>,
}

/// A certificate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CertificateFact {
    /// The record's id.
    pub id: String,
    /// The holder.
    pub person: PersonId,
    /// `certificateType`.
    pub certificate_type: String,
    /// The occupation code.
    pub occupation: String,
    /// The level, when the type has one.
    pub level: Option<String>,
    /// `status`: `valid`, `suspended` or `revoked`.
    pub status: String,
    /// `issuedOn`.
    pub issued_on: NaiveDate,
    /// `validUntil`.
    pub valid_until: Option<NaiveDate>,
    /// The issuer's province.
    pub province: Option<String>,
}

/// One person's entry in a competition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CompetitionFact {
    /// The record's id.
    pub id: String,
    /// The participant.
    pub person: PersonId,
    /// The event's name (its `zh-CN` text).
    pub event: String,
    /// The event's level: `national`, `provincial`…
    pub event_level: String,
    /// The occupation code.
    pub occupation: String,
    /// `heldFrom`.
    pub held_from: NaiveDate,
    /// `award`, if any.
    pub award: Option<String>,
    /// `rank`, if any.
    pub rank: Option<u64>,
    /// `grantsLevel`, if any.
    pub grants_level: Option<String>,
    /// The organizer's province.
    pub province: Option<String>,
}

/// What [`Scanner::scan`] finds in one valid record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fact<'a> {
    /// A completed training.
    Completion(CompletionFact<'a>),
    /// A certificate.
    Certificate(CertificateFact),
    /// A competition entry.
    Competition(CompetitionFact),
}

/// How many records a [`Scanner`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Counts {
    /// Records read (envelopes not counted).
    pub records: u64,
    /// Of those, the invalid ones: skipped.
    pub invalid: u64,
    /// Valid completions whose status is not `completed`: not training done.
    pub not_completed: u64,
    /// Completed completions whose course is not in the input.
    pub unresolved_courses: u64,
    /// Courses indexed.
    pub courses: u64,
    /// Person records indexed.
    pub persons: u64,
}

/// How people are identified.
struct Identity {
    secret: [u8; 16],
    digest: Option<DigestKey>,
}

impl Identity {
    fn key(&self, identity: &str) -> PersonKey {
        let mut hash = Sha256::new();
        hash.update(self.secret);
        hash.update(identity.as_bytes());
        let bytes = hash.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&bytes[..16]);
        PersonKey(key)
    }

    /// A document: its digest with a key, else its normalized form (kept only hashed).
    fn document(&self, document: &IdDocument) -> PersonId {
        match &self.digest {
            Some(key) => self.digest_str(document.digest(key, DigestAlgorithm::HmacSm3).as_str()),
            None => {
                let normalized = document.normalized();
                let label = match normalized.split_once(':') {
                    Some((kind, number)) => format!("{kind}:{}", Mask::default().apply(number)),
                    None => Mask::FULL.apply(&normalized),
                };
                PersonId {
                    key: self.key(&format!("n:{normalized}")),
                    label,
                }
            }
        }
    }

    fn digest_str(&self, digest: &str) -> PersonId {
        PersonId {
            key: self.key(&format!("d:{digest}")),
            label: digest.to_owned(),
        }
    }
}

fn random_secret() -> [u8; 16] {
    let mut secret = [0u8; 16];
    for (i, chunk) in secret.chunks_mut(8).enumerate() {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(i);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    secret
}

/// Reads uploads as facts about people; see the [module documentation](self).
pub struct Scanner {
    validator: Validator,
    identity: Identity,
    courses: HashMap<String, CourseFacts>,
    persons: HashMap<String, PersonId>,
    counts: Counts,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

// The parts of the wire records that facts need; serde skips every other field.

#[derive(Deserialize)]
struct OrgW {
    region: Option<String>,
}

impl OrgW {
    fn province(&self) -> Option<String> {
        self.region
            .as_ref()
            .and_then(|r| r.get(..2))
            .map(str::to_owned)
    }
}

#[derive(Deserialize)]
struct OccW {
    code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersonRefW {
    person_id: Option<String>,
    document: Option<IdDocument>,
    document_digest: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CourseW {
    id: String,
    provider: OrgW,
    occupation: OccW,
    service_categories: Vec<ServiceCategory>,
    training_type: String,
    target_level: Option<String>,
    programme_kind: Option<String>,
}

#[derive(Deserialize)]
struct PersonW {
    id: String,
    document: IdDocument,
}

#[derive(Deserialize)]
struct CourseRefW {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompletionW {
    id: String,
    learner: PersonRefW,
    course: CourseRefW,
    provider: OrgW,
    status: String,
    completed_at: Option<DateTime<FixedOffset>>,
    class_hours: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CertificateW {
    id: String,
    certificate_type: String,
    holder: PersonRefW,
    occupation: OccW,
    level: Option<String>,
    issuer: OrgW,
    issued_on: NaiveDate,
    valid_until: Option<NaiveDate>,
    status: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventW {
    name: BTreeMap<String, String>,
    level: String,
    organizer: OrgW,
    occupation: OccW,
    held_from: NaiveDate,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompetitionW {
    id: String,
    event: EventW,
    participant: PersonRefW,
    rank: Option<u64>,
    award: Option<String>,
    grants_level: Option<String>,
}

/// A valid record's kind and its JSON in 2.1 wire form.
enum Valid {
    Bytes(Kind, Vec<u8>),
    Value(Kind, serde_json::Value),
}

impl Valid {
    fn kind(&self) -> Kind {
        match self {
            Valid::Bytes(kind, _) | Valid::Value(kind, _) => *kind,
        }
    }

    fn parse<T: for<'de> Deserialize<'de>>(&self) -> Option<T> {
        match self {
            Valid::Bytes(_, bytes) => serde_json::from_slice(bytes).ok(),
            Valid::Value(_, value) => T::deserialize(value).ok(),
        }
    }
}

impl Scanner {
    /// A scanner judging records with `validator` (its profile and "now"); `digest` shows
    /// people as keyed `documentDigest`s (HMAC-SM3) instead of masked documents.
    pub fn new(validator: Validator, digest: Option<DigestKey>) -> Self {
        Scanner {
            validator,
            identity: Identity {
                secret: random_secret(),
                digest,
            },
            courses: HashMap::new(),
            persons: HashMap::new(),
            counts: Counts::default(),
        }
    }

    /// The validator records are judged with.
    pub fn validator(&self) -> &Validator {
        &self.validator
    }

    /// What has been read so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The indexed course with `id`.
    pub fn course(&self, id: &str) -> Option<&CourseFacts> {
        self.courses.get(id)
    }

    /// Pass 1: index the courses and person records of one input (and count them, valid or
    /// not).
    pub fn index<R: Read>(&mut self, reader: R, format: InputFormat) -> io::Result<()> {
        let Scanner {
            validator,
            identity,
            courses,
            persons,
            counts,
        } = self;
        records(validator, reader, format, Pass::Index, |valid| {
            counts.records += 1;
            let Some(v) = valid else {
                counts.invalid += 1;
                return;
            };
            if v.kind() == Kind::Course {
                if let Some(c) = v.parse::<CourseW>() {
                    counts.courses += 1;
                    courses.insert(
                        c.id,
                        CourseFacts {
                            service_categories: c.service_categories,
                            pre_job: c.training_type == "pre-job",
                            programme_kind: c.programme_kind,
                            occupation: c.occupation.code,
                            level: c.target_level,
                            province: c.provider.province(),
                        },
                    );
                }
            } else if let Some(p) = v.parse::<PersonW>() {
                counts.persons += 1;
                persons.insert(p.id, identity.document(&p.document));
            }
        })
    }

    fn person(&self, r: &PersonRefW) -> PersonId {
        if let Some(document) = &r.document {
            return self.identity.document(document);
        }
        if let Some(digest) = &r.document_digest {
            return self.identity.digest_str(digest);
        }
        let id = r.person_id.as_deref().unwrap_or_default();
        self.persons.get(id).cloned().unwrap_or_else(|| PersonId {
            key: self.identity.key(&format!("p:{id}")),
            label: format!("personId:{id}"),
        })
    }

    /// Pass 2: every valid completion, certificate and competition of one input, as a
    /// [`Fact`] given to `each`. Run [`Scanner::index`] over every input first.
    pub fn scan<R: Read>(
        &mut self,
        reader: R,
        format: InputFormat,
        mut each: impl FnMut(&Fact<'_>),
    ) -> io::Result<()> {
        let mut counts = self.counts;
        let this = &*self;
        records(&this.validator, reader, format, Pass::Facts, |valid| {
            counts.records += 1;
            let Some(valid) = valid else {
                counts.invalid += 1;
                return;
            };
            let fact = match valid.kind() {
                Kind::Completion => {
                    let Some(c) = valid.parse::<CompletionW>() else {
                        return;
                    };
                    let (true, Some(completed_at)) = (c.status == "completed", c.completed_at)
                    else {
                        counts.not_completed += 1;
                        return;
                    };
                    let course = this.courses.get(&c.course.id);
                    if course.is_none() {
                        counts.unresolved_courses += 1;
                    }
                    Fact::Completion(CompletionFact {
                        id: c.id,
                        person: this.person(&c.learner),
                        province: c
                            .provider
                            .province()
                            .or_else(|| course.and_then(|c| c.province.clone())),
                        course_id: c.course.id,
                        course,
                        completed_at,
                        class_hours: c.class_hours,
                    })
                }
                Kind::Certificate => {
                    let Some(c) = valid.parse::<CertificateW>() else {
                        return;
                    };
                    Fact::Certificate(CertificateFact {
                        id: c.id,
                        person: this.person(&c.holder),
                        certificate_type: c.certificate_type,
                        occupation: c.occupation.code,
                        level: c.level,
                        status: c.status,
                        issued_on: c.issued_on,
                        valid_until: c.valid_until,
                        province: c.issuer.province(),
                    })
                }
                Kind::Competition => {
                    let Some(c) = valid.parse::<CompetitionW>() else {
                        return;
                    };
                    Fact::Competition(CompetitionFact {
                        id: c.id,
                        person: this.person(&c.participant),
                        event: c.event.name.get("zh-CN").cloned().unwrap_or_default(),
                        event_level: c.event.level,
                        occupation: c.event.occupation.code,
                        held_from: c.event.held_from,
                        award: c.award,
                        rank: c.rank,
                        grants_level: c.grants_level,
                        province: c.event.organizer.province(),
                    })
                }
                Kind::Person | Kind::Course => return,
            };
            each(&fact);
        })?;
        self.counts = counts;
        Ok(())
    }
}

/// Which records a pass reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Courses and person records.
    Index,
    /// Everything else, including records of no known kind.
    Facts,
    /// Every record.
    All,
}

/// Every valid record of `reader` (any version; 1.0 records upgraded to 2.1) given to `each`
/// as 2.1 JSON with its kind, in input order. Returns how many records were read and how many
/// of them were invalid (skipped). Memory does not grow with the input.
pub fn valid_records<R: Read>(
    validator: &Validator,
    reader: R,
    format: InputFormat,
    mut each: impl FnMut(Kind, serde_json::Value),
) -> io::Result<(u64, u64)> {
    let (mut read, mut invalid) = (0, 0);
    records(validator, reader, format, Pass::All, |valid| {
        read += 1;
        let value = match valid {
            Some(Valid::Bytes(kind, bytes)) => {
                serde_json::from_slice(&bytes).ok().map(|v| (kind, v))
            }
            Some(Valid::Value(kind, value)) => Some((kind, value)),
            None => None,
        };
        match value {
            Some((kind, value)) => each(kind, value),
            None => invalid += 1,
        }
    })?;
    Ok((read, invalid))
}

/// Each record of `reader` that `pass` reads: in 2.1 form if valid, `None` if not.
fn records<R: Read>(
    validator: &Validator,
    reader: R,
    format: InputFormat,
    pass: Pass,
    mut each: impl FnMut(Option<Valid>),
) -> io::Result<()> {
    let limits = &validator.options().limits;
    let limits = FrameLimits {
        max_record_bytes: limits.max_record_bytes,
        max_depth: limits.max_depth,
    };
    for frame in Frames::new(reader, format, limits) {
        let Frame::Record { index, line, body } = frame? else {
            continue;
        };
        let Body::Json(bytes) = body else {
            if pass != Pass::Index {
                each(None);
            }
            continue;
        };
        let header = record_header(&bytes);
        let indexed = matches!(header, Some((Kind::Course | Kind::Person, _)));
        if pass != Pass::All && indexed != (pass == Pass::Index) {
            continue;
        }
        let mut verdict = Verdict::new(index, line);
        validator.judge(&bytes, &mut verdict);
        if !verdict.is_valid() {
            each(None);
            continue;
        }
        let valid = match header {
            Some((kind, Version::V2_0 | Version::V2_1)) => Some(Valid::Bytes(kind, bytes)),
            Some((kind, Version::V1_0)) => upgrade(&bytes).map(|v| Valid::Value(kind, v)),
            _ => None,
        };
        each(valid);
    }
    Ok(())
}

/// The kind and version of a record, read off its first bytes or else parsed.
fn record_header(bytes: &[u8]) -> Option<(Kind, Version)> {
    let (kind, version) = match Header::sniff(bytes) {
        Some(header) => header,
        None => {
            let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            let header = Header::of_value(&value);
            (header.kind?.ok()?, header.version?.ok()?)
        }
    };
    match kind {
        DocumentKind::Record(kind) => Some((kind, version)),
        _ => None,
    }
}

/// A valid 1.0 record as 2.1 JSON.
fn upgrade(bytes: &[u8]) -> Option<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    crate::migrate::migrate(&value, Version::V2_1)
        .record
        .map(|r| r.to_value())
}

/// One person's training in one service category.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CategoryHistory {
    /// The category.
    pub service_category: ServiceCategory,
    /// A completed pre-job course of this category whose class hours earned meet the
    /// profile's minimum (any, when the profile sets none).
    pub pre_job_satisfied: bool,
    /// The last completed training of this category (any training type).
    pub last_completed: DateTime<FixedOffset>,
    /// The course of that training.
    pub last_course: String,
    /// The last completion plus the profile's retraining interval.
    pub retraining_due: NaiveDate,
    /// `now` is after the due date.
    pub overdue: bool,
}

/// A certificate in force: `valid`, issued by `now` and not expired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CertificateInForce {
    /// The record's id.
    pub id: String,
    /// `certificateType`.
    pub certificate_type: String,
    /// The occupation code.
    pub occupation: String,
    /// The level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// `issuedOn`.
    pub issued_on: NaiveDate,
    /// `validUntil`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

/// A competition entry in a history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompetitionEntry {
    /// The record's id.
    pub id: String,
    /// The event's name.
    pub event: String,
    /// The event's level.
    pub level: String,
    /// `heldFrom`.
    pub held_from: NaiveDate,
    /// `award`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award: Option<String>,
    /// `rank`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u64>,
    /// `grantsLevel`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grants_level: Option<String>,
}

/// One person's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PersonHistory {
    /// The person, masked or as `documentDigest`.
    pub person: String,
    /// Completed trainings counted.
    pub completions: u64,
    /// Completed trainings whose course is not in the input (no category).
    pub completions_without_course: u64,
    /// Per service category the person trained in, in the code list's order.
    pub categories: Vec<CategoryHistory>,
    /// Certificates in force at `now`.
    pub certificates_in_force: Vec<CertificateInForce>,
    /// Competitions entered by `now`.
    pub competitions: Vec<CompetitionEntry>,
    /// Some category is overdue for retraining.
    pub overdue: bool,
}

#[derive(Default)]
struct CategoryState {
    pre_job: bool,
    last: Option<(DateTime<FixedOffset>, String)>,
}

struct PersonState {
    label: String,
    completions: u64,
    without_course: u64,
    categories: BTreeMap<ServiceCategory, CategoryState>,
    certificates: Vec<CertificateInForce>,
    competitions: Vec<CompetitionEntry>,
}

/// Which people [`History::people`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only people overdue for retraining in some category.
    pub overdue_only: bool,
}

/// Per-person histories, built from [`Fact`]s. Memory grows with the people and their
/// certificates and competitions (a few hundred bytes a person).
pub struct History {
    now: DateTime<FixedOffset>,
    interval_months: u32,
    minimums: BTreeMap<ServiceCategory, f64>,
    people: HashMap<PersonKey, PersonState>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("people", &self.people.len())
            .finish_non_exhaustive()
    }
}

impl History {
    /// Histories as of `now`, with retraining due `interval_months` after the last training
    /// and no pre-job minimum.
    pub fn new(now: DateTime<FixedOffset>, interval_months: u32) -> Self {
        History {
            now,
            interval_months,
            minimums: BTreeMap::new(),
            people: HashMap::new(),
        }
    }

    /// Histories under a profile's retraining interval and pre-job minimums.
    pub fn with_profile(now: DateTime<FixedOffset>, profile: &Profile) -> Self {
        let mut history = History::new(now, profile.retraining_interval_months);
        history.minimums = profile
            .pre_job_minimum_class_hours
            .iter()
            .map(|(c, d)| (*c, d.get()))
            .collect();
        history
    }

    fn state(&mut self, person: &PersonId) -> &mut PersonState {
        self.people
            .entry(person.key)
            .or_insert_with(|| PersonState {
                label: person.label.clone(),
                completions: 0,
                without_course: 0,
                categories: BTreeMap::new(),
                certificates: Vec::new(),
                competitions: Vec::new(),
            })
    }

    /// Take one fact into account. Facts after `now` are ignored.
    pub fn add(&mut self, fact: &Fact<'_>) {
        let now = self.now;
        let today = now.date_naive();
        match fact {
            Fact::Completion(c) => {
                if c.completed_at > now {
                    return;
                }
                // Per category of the course: does this completion satisfy pre-job training?
                let categories: Vec<(ServiceCategory, bool)> = c
                    .course
                    .map(|course| {
                        course
                            .service_categories
                            .iter()
                            .map(|category| {
                                let minimum = self.minimums.get(category).copied();
                                let enough = c.class_hours >= minimum.unwrap_or(0.0);
                                (*category, course.pre_job && enough)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let state = self.state(&c.person);
                state.completions += 1;
                if c.course.is_none() {
                    state.without_course += 1;
                }
                for (category, pre_job) in categories {
                    let entry = state.categories.entry(category).or_default();
                    entry.pre_job |= pre_job;
                    if entry
                        .last
                        .as_ref()
                        .map_or(true, |(t, _)| c.completed_at > *t)
                    {
                        entry.last = Some((c.completed_at, c.course_id.clone()));
                    }
                }
            }
            Fact::Certificate(c) => {
                let in_force = c.status == "valid"
                    && c.issued_on <= today
                    && c.valid_until.map_or(true, |u| u >= today);
                let state = self.state(&c.person);
                if in_force {
                    state.certificates.push(CertificateInForce {
                        id: c.id.clone(),
                        certificate_type: c.certificate_type.clone(),
                        occupation: c.occupation.clone(),
                        level: c.level.clone(),
                        issued_on: c.issued_on,
                        valid_until: c.valid_until,
                    });
                }
            }
            Fact::Competition(c) => {
                if c.held_from > today {
                    return;
                }
                let state = self.state(&c.person);
                state.competitions.push(CompetitionEntry {
                    id: c.id.clone(),
                    event: c.event.clone(),
                    level: c.event_level.clone(),
                    held_from: c.held_from,
                    award: c.award.clone(),
                    rank: c.rank,
                    grants_level: c.grants_level.clone(),
                });
            }
        }
    }

    /// How many people the histories hold.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether no fact was added.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The histories, sorted by how people are shown.
    pub fn people(&self, filter: &Filter) -> Vec<PersonHistory> {
        let today = self.now.date_naive();
        let mut out: Vec<PersonHistory> = self
            .people
            .values()
            .map(|s| {
                let categories: Vec<CategoryHistory> = s
                    .categories
                    .iter()
                    .filter_map(|(category, c)| {
                        let (last, course) = c.last.clone()?;
                        let due = last
                            .date_naive()
                            .checked_add_months(Months::new(self.interval_months))
                            .unwrap_or(NaiveDate::MAX);
                        Some(CategoryHistory {
                            service_category: *category,
                            pre_job_satisfied: c.pre_job,
                            last_completed: last,
                            last_course: course,
                            retraining_due: due,
                            overdue: today > due,
                        })
                    })
                    .collect();
                let mut certificates = s.certificates.clone();
                certificates.sort_by(|a, b| (a.issued_on, &a.id).cmp(&(b.issued_on, &b.id)));
                let mut competitions = s.competitions.clone();
                competitions.sort_by(|a, b| (a.held_from, &a.id).cmp(&(b.held_from, &b.id)));
                PersonHistory {
                    person: s.label.clone(),
                    completions: s.completions,
                    completions_without_course: s.without_course,
                    overdue: categories.iter().any(|c| c.overdue),
                    categories,
                    certificates_in_force: certificates,
                    competitions,
                }
            })
            .filter(|p| !filter.overdue_only || p.overdue)
            .collect();
        out.sort_by(|a, b| a.person.cmp(&b.person));
        out
    }
}
