//! Migration between versions of the standard: named steps, a report for every
//! record, and no silent loss.
//!
//! | step | from → to | what it does |
//! |---|---|---|
//! | [`upgrade`] | 1.0 → 2.0 | total where the data allows; every value that 2.0 says differently is reported as [mapped](Action::Mapped), [derived](Action::Derived), [assumed](Action::Assumed) or [kept](Action::Kept) under `extensions` |
//! | [`downgrade`] | 2.0 → 1.0 | lossy: every dropped value is reported by its JSON Pointer; a record 1.0 cannot express is refused |
//! | `v2_0_to_v2_1` | 2.0 → 2.1 | only `schemaVersion` changes; nothing to report |
//! | `v2_1_to_v2_0` | 2.1 → 2.0 | lossy: a certificate's `proof` and `credentialStatus` and a course's `programmeKind` are dropped, each reported; a competition is refused (2.0 has no such kind) |
//!
//! Steps chain: 1.0 → 2.1 is 1.0 → 2.0 → 2.1, and 2.1 → 1.0 the reverse.
//!
//! [`migrate`] does the same for callers holding raw JSON: it reads the record's
//! `schemaVersion` (a record without one is refused, never guessed), validates it under its
//! own version, converts it, and returns the converted JSON with a [`MigrationReport`].
//! [`migrate_reader`] does it for a whole upload, streaming. Each converted record validates
//! under the target version; a record that cannot be converted is refused with the reason,
//! and the others go on.
//!
//! # Record ids
//!
//! 1.0 records have no `id`. An upgrade gives each record a name-based UUID (version 5) over
//! the namespace [`NAMESPACE`] and the record's natural key, so that migrating the same file
//! twice gives the same ids, and another implementation gives the same ids too. The natural
//! keys are UTF-8 strings:
//!
//! | kind | natural key |
//! |---|---|
//! | person | `person:` + the 18-character ID number |
//! | course | `course:` + `orgCode` + `:` + `courseCode` |
//! | completion | `completion:` + `orgCode` + `:` + `courseCode` + `:` + the 18-character ID number + `:` + `startDate` |
//! | certificate | `certificate:` + `certNo` |
//!
//! A completion's `learner.personId` and a certificate's `holder.personId` are the person
//! key's id; a completion's `course.id` is the course key's id. A 15-digit ID number is first
//! lengthened to 18 characters: the century `19` (or `18` when the sequence code is 996–999,
//! the codes reserved for centenarians at the 1999 conversion) and the MOD 11-2 check
//! character.
//!
//! ```
//! use dsti::migrate::{record_id, NAMESPACE};
//! assert_eq!(NAMESPACE.to_string(), "e3ea7ce5-4088-5db3-a7d1-00eaa3e13519");
//! let id = record_id("person:11010519491231002X");
//! assert_eq!(id.as_uuid().get_version_num(), 5);
//! ```
//!
//! # Upgrade rules (1.0 → 2.0)
//!
//! - Dates become timestamps at `+08:00` (China Standard Time), reported as assumed: a start
//!   date (`startDate`, `verifiedDate`) at `00:00:00`, the end date of a completion
//!   (`endDate` → `completedAt`) at `23:59:59`, the end of that day. Midnight at both ends
//!   would make a one-day course take no time at all, which 2.0 rejects as
//!   `completion.hours-implausible`.
//! - Chinese values become 2.0 codes through the tables of [`tables`]: gender, training type,
//!   result → status (`合格` completed, `不合格` failed, `未完成` in-progress), level, and the
//!   course category → service categories **and** occupation (`母婴护理` → `maternity-care`,
//!   `4-10-01-06` job type 母婴护理员). A category the table does not know becomes `other`
//!   and the occupation 家政服务员 (assumed).
//! - A completion's `score` becomes an assessment: method `other` and maximum 100 (assumed),
//!   `passed` = result is `合格`, `assessedAt` = the end date, else the start date. Its
//!   `enrolledAt` and `startedAt` are the start date (assumed).
//! - A certificate's type comes from the number's shape (assumed): 22 characters `Y`/`S` + 21
//!   digits → skill-level, 16 digits → vocational-qualification, anything else →
//!   training-completion. Its status is `valid` (assumed). `occupationName` is kept in
//!   `occupation.name` and mapped to a code through the table; a name the table does not know
//!   gets the code [`tables::UNKNOWN_OCCUPATION`] (assumed; 2.0 warns `occupation.unknown`).
//! - `verified: true` with `verifiedDate` becomes a verification (method `other`, assumed;
//!   result passed). `verified: false` gives no verification.
//! - What 2.0 has no field for is kept under `extensions`, namespace `cn.dsti.v1`, and
//!   reported, so that a downgrade gives the 1.0 record back exactly: the category text when
//!   the table's spelling differs or it maps to nothing (`cn.dsti.v1:category`), a level
//!   spelled differently from the downgrade's spelling or on a certificate type without
//!   levels (`cn.dsti.v1:level`), a completion learner's name (`cn.dsti.v1:learnerName`; 2.0
//!   completions carry no names), the end date of an unfinished completion
//!   (`cn.dsti.v1:endDate`), and `verified` without a date or a `verifiedDate` of an
//!   unverified person (`cn.dsti.v1:verified`, `cn.dsti.v1:verifiedDate`).
//! - A record that is not valid under 1.0 (an ID number with a wrong check character, a
//!   credit code with a wrong check character, an end before the start, …) is refused with
//!   its findings' codes.
//!
//! So `downgrade(upgrade(r)) == r` for every valid 1.0 record, except that a 15-digit ID
//! number comes back with 18 characters.
//!
//! # Downgrade rules (2.0 → 1.0)
//!
//! Refused: a person or reference without a resident ID card (a passport holder has no
//! `idCardNo`), a completion without the learner's name (`cn.dsti.v1:learnerName`) or course
//! code, a certificate that is suspended or revoked (1.0 would present it as valid), one
//! without a level (1.0 requires one) or occupation name, a `continuing-education` course
//! (1.0 has no such training type). Everything else is written, and every value that the
//! 1.0 record cannot carry — precisely, every value that an upgrade of the result would not
//! give back — is reported as dropped at its JSON Pointer.

mod downgrade;
mod minor;
mod stream;
pub mod tables;
mod upgrade;

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;
use uuid::Uuid;

pub use stream::{
    migrate_reader, migrate_reader_in, Layout, MigratedRecord, MigrationEvents, RecordWriter,
};

use crate::ident::RecordId;
use crate::kind::Header;
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::validate::{Options, Validator};
use crate::{v1, v2, v2_1, Code, DocumentKind, Kind, Version};

/// The namespace of the name-based record ids an upgrade gives: the UUID v5 of the URL
/// `https://schemas.dsti.example/` in the RFC 9562 URL namespace,
/// `e3ea7ce5-4088-5db3-a7d1-00eaa3e13519`.
pub const NAMESPACE: Uuid = Uuid::from_u128(0xe3ea_7ce5_4088_5db3_a7d1_00ea_a3e1_3519);

/// The record id of a natural key (see the [module documentation](self#record-ids)).
pub fn record_id(natural_key: &str) -> RecordId {
    RecordId::new_v5(&NAMESPACE, natural_key.as_bytes())
}

/// What a migration did with one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Action {
    /// The source did not say it; the migration assumed a value.
    Assumed,
    /// A value was translated through a table (a Chinese value to a code, a field renamed).
    Mapped,
    /// A value the target has no field for was kept under `extensions`.
    Kept,
    /// A value the target cannot carry was dropped.
    Dropped,
    /// A value was computed from others (an id from a natural key, an occupation from a
    /// category).
    Derived,
}

/// One line of a migration report. Messages never contain a value of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Note {
    /// What was done.
    pub action: Action,
    /// JSON Pointer of the value: into the output for assumed, mapped, kept and derived
    /// values; into the input for dropped ones.
    pub path: String,
    /// What and why, in English.
    pub message_en: String,
    /// What and why, in Chinese.
    pub message_zh: String,
}

impl Note {
    pub(crate) fn new(action: Action, path: impl Into<String>, en: &str, zh: &str) -> Self {
        Note {
            action,
            path: path.into(),
            message_en: en.to_owned(),
            message_zh: zh.to_owned(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.message_en,
            Lang::Zh => &self.message_zh,
        }
    }
}

/// A finding that made a record unmigratable: its code and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Issue {
    /// The validation code.
    pub code: Code,
    /// JSON Pointer into the record.
    pub path: String,
}

/// Why a record was not migrated: the typed "unsupported" error of the migration steps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The record has no known `kind` or `schemaVersion`.
    #[error("the record has no known kind or schemaVersion")]
    Header,
    /// A batch envelope: 1.0 has none.
    #[error("a batch envelope cannot be migrated: version 1.0 has no batches")]
    Batch,
    /// The record is not valid under its own version.
    #[error("the record is not a valid {version} record: {}", issue_list(.issues))]
    Invalid {
        /// The version it claims.
        version: Version,
        /// Its errors.
        issues: Vec<Issue>,
    },
    /// The converted record would not be valid under the target version.
    #[error("the migrated record would not be a valid {version} record: {}", issue_list(.issues))]
    TargetInvalid {
        /// The target version.
        version: Version,
        /// The errors it would have.
        issues: Vec<Issue>,
    },
    /// 1.0 identifies people only by a resident ID number, and the record has none.
    #[error("1.0 identifies a person only by a resident ID number, and {path} is not a resident ID card")]
    NoResidentIdCard {
        /// Where the document should be.
        path: String,
    },
    /// 1.0 requires a value that the 2.0 record does not give.
    #[error("1.0 requires {what_en}, which the record does not give ({path})")]
    Missing {
        /// Where it would come from.
        path: String,
        /// What, in English.
        what_en: &'static str,
        /// What, in Chinese.
        what_zh: &'static str,
    },
    /// The target version has no such record kind (a competition has no 2.0 or 1.0 form).
    #[error("version {version} has no record kind {kind}")]
    NoSuchKind {
        /// The record's kind.
        kind: Kind,
        /// The target version.
        version: Version,
    },
    /// A value 1.0 cannot express.
    #[error("1.0 cannot express {what_en} ({path})")]
    Inexpressible {
        /// Where the value is.
        path: String,
        /// What, in English.
        what_en: &'static str,
        /// What, in Chinese.
        what_zh: &'static str,
    },
}

fn issue_list(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| {
            format!(
                "{} at {}",
                i.code,
                if i.path.is_empty() { "/" } else { &i.path }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Refusal {
    /// The record validated but does not fit the typed records of `version`.
    fn untyped(version: Version) -> Refusal {
        Refusal::Invalid {
            version,
            issues: vec![Issue {
                code: Code::SchemaType,
                path: String::new(),
            }],
        }
    }

    /// A stable name of the reason, e.g. `"invalid"`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Header => "header",
            Refusal::Batch => "batch",
            Refusal::Invalid { .. } => "invalid",
            Refusal::TargetInvalid { .. } => "target-invalid",
            Refusal::NoResidentIdCard { .. } => "no-resident-id-card",
            Refusal::Missing { .. } => "missing",
            Refusal::NoSuchKind { .. } => "no-such-kind",
            Refusal::Inexpressible { .. } => "inexpressible",
        }
    }

    /// The reason in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Refusal::Header => "记录缺少已知的 kind 或 schemaVersion".to_owned(),
            Refusal::Batch => "批次封装无法迁移：1.0 版没有批次".to_owned(),
            Refusal::Invalid { version, issues } => {
                format!("该记录不是有效的 {version} 版记录：{}", issue_list(issues))
            }
            Refusal::TargetInvalid { version, issues } => {
                format!(
                    "迁移后的记录不是有效的 {version} 版记录：{}",
                    issue_list(issues)
                )
            }
            Refusal::NoResidentIdCard { path } => {
                format!("1.0 版仅以居民身份证号码标识人员，{path} 不是居民身份证")
            }
            Refusal::Missing { path, what_zh, .. } => {
                format!("1.0 版要求{what_zh}，该记录未提供（{path}）")
            }
            Refusal::Inexpressible { path, what_zh, .. } => {
                format!("1.0 版无法表达{what_zh}（{path}）")
            }
            Refusal::NoSuchKind { kind, version } => {
                format!("{version} 版没有 {kind} 记录类型")
            }
        }
    }

    /// The reason in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => self.message_zh(),
        }
    }

    fn issues(&self) -> Option<&[Issue]> {
        match self {
            Refusal::Invalid { issues, .. } | Refusal::TargetInvalid { issues, .. } => Some(issues),
            _ => None,
        }
    }
}

impl Serialize for Refusal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        if let Some(issues) = self.issues() {
            map.serialize_entry("issues", issues)?;
        }
        map.serialize_entry("messageEn", &self.to_string())?;
        map.serialize_entry("messageZh", &self.message_zh())?;
        map.end()
    }
}

/// What became of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Migrated; the output record exists.
    Migrated,
    /// Not migrated, for this reason; there is no output record.
    Refused {
        /// Why.
        reason: Refusal,
    },
}

/// The report on one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MigrationReport {
    /// 0-based position of the record in its input.
    pub index: u64,
    /// The record's kind, when it could be read.
    pub kind: Option<DocumentKind>,
    /// The version it was, when it could be read.
    pub from: Option<Version>,
    /// The version asked for.
    pub to: Version,
    /// Migrated or refused.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What was assumed, mapped, kept, dropped or derived.
    pub notes: Vec<Note>,
}

impl MigrationReport {
    /// Whether the record was migrated.
    pub fn migrated(&self) -> bool {
        self.outcome == Outcome::Migrated
    }
}

/// A migrated record, typed; it serializes with the fields in the standard's order
/// (`kind` and `schemaVersion` first).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Converted {
    /// A 1.0 record.
    V1(v1::Record),
    /// A 2.0 record.
    V2(Box<v2::Record>),
    /// A 2.1 record.
    V2_1(Box<v2_1::Record>),
    /// Already of the target version and not a record kind (a 2.0 batch): as given.
    Unchanged(Value),
}

impl Converted {
    /// `value`, a record of `kind` in `version`, as that edition's typed record; `None` when
    /// it does not type. The one place a migration reads a version's records.
    fn typed(version: Version, kind: Kind, value: &Value) -> Option<Converted> {
        match version {
            Version::V1_0 => v1::Record::from_value_as(kind, value.clone())
                .ok()
                .map(Converted::V1),
            Version::V2_0 => v2::Record::from_value_as(kind, value.clone())
                .ok()
                .map(|r| Converted::V2(Box::new(r))),
            Version::V2_1 => v2_1::Record::from_value_as(kind, value.clone())
                .ok()
                .map(|r| Converted::V2_1(Box::new(r))),
        }
    }

    /// The record as a JSON value.
    pub fn to_value(&self) -> Value {
        to_value(self)
    }
}

impl Serialize for Converted {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Converted::V1(r) => r.serialize(s),
            Converted::V2(r) => r.serialize(s),
            Converted::V2_1(r) => r.serialize(s),
            Converted::Unchanged(v) => v.serialize(s),
        }
    }
}

/// The result of migrating one JSON record: the record in the target version (`None` when
/// refused) and the report.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MigrationOutcome {
    /// The migrated record, unless refused.
    pub record: Option<Converted>,
    /// What happened.
    pub report: MigrationReport,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label(Lang::En))
    }
}

/// Upgrade a 1.0 record to 2.0 (step `v1_0_to_v2_0`). Refused when the record is not valid
/// under 1.0 with the default profile and the clock's "now"; see the
/// [module documentation](self#upgrade-rules-10--20) and [`upgrade_in`].
pub fn upgrade(record: &v1::Record) -> Result<(v2::Record, Vec<Note>), Refusal> {
    upgrade_in(&default_context(), record)
}

/// [`upgrade`] in a rule context: the profile (minutes per class hour, the USCC allow-list)
/// and "now" that validation uses.
pub fn upgrade_in(
    ctx: &RuleContext,
    record: &v1::Record,
) -> Result<(v2::Record, Vec<Note>), Refusal> {
    let errors = errors_of(v1::rule_findings(ctx, record));
    if !errors.is_empty() {
        return Err(Refusal::Invalid {
            version: Version::V1_0,
            issues: errors,
        });
    }
    upgrade::record(record)
}

/// Downgrade a 2.0 record to 1.0 (step `v2_0_to_v1_0`): lossy, every dropped value reported;
/// see the [module documentation](self#downgrade-rules-20--10).
pub fn downgrade(record: &v2::Record) -> Result<(v1::Record, Vec<Note>), Refusal> {
    downgrade_in(&default_context(), record)
}

/// [`downgrade`] in a rule context (the 1.0 result is checked with its profile and "now").
pub fn downgrade_in(
    ctx: &RuleContext,
    record: &v2::Record,
) -> Result<(v1::Record, Vec<Note>), Refusal> {
    downgrade::record(ctx, record)
}

/// The default profile, the clock's "now", English.
fn default_context() -> RuleContext {
    RuleContext::at_clock(crate::validate::Profile::default(), Lang::En)
}

/// A named migration step (in the spirit of stac-rs' `Step`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// 1.0 → 2.0.
    V1_0ToV2_0,
    /// 2.0 → 1.0.
    V2_0ToV1_0,
    /// 2.0 → 2.1.
    V2_0ToV2_1,
    /// 2.1 → 2.0.
    V2_1ToV2_0,
}

/// The steps from `from` to `to`, in order: the one place where migration paths are chosen.
/// No steps when the versions are equal.
fn steps(from: Version, to: Version) -> &'static [Step] {
    use Step::*;
    match (from, to) {
        (Version::V1_0, Version::V1_0)
        | (Version::V2_0, Version::V2_0)
        | (Version::V2_1, Version::V2_1) => &[],
        (Version::V1_0, Version::V2_0) => &[V1_0ToV2_0],
        (Version::V2_0, Version::V1_0) => &[V2_0ToV1_0],
        (Version::V2_0, Version::V2_1) => &[V2_0ToV2_1],
        (Version::V2_1, Version::V2_0) => &[V2_1ToV2_0],
        (Version::V1_0, Version::V2_1) => &[V1_0ToV2_0, V2_0ToV2_1],
        (Version::V2_1, Version::V1_0) => &[V2_1ToV2_0, V2_0ToV1_0],
    }
}

fn errors_of(findings: Vec<crate::finding::Finding>) -> Vec<Issue> {
    findings
        .into_iter()
        .filter(crate::finding::Finding::is_error)
        .map(|f| Issue {
            code: f.code,
            path: f.path,
        })
        .collect()
}

/// Migrate one record given as JSON to the version `to`. The record's version is read from
/// its `schemaVersion`; it is validated under that version (with the default profile and the
/// clock's "now") and refused with its findings if invalid. A record already of version `to`
/// is returned unchanged.
pub fn migrate(value: &Value, to: Version) -> MigrationOutcome {
    Migrator::default().migrate(value, to)
}

/// [`migrate`] in a rule context: the record is validated, and the result checked, with the
/// context's profile and "now", as [`crate::validate`] would with the same options.
pub fn migrate_in(ctx: &RuleContext, value: &Value, to: Version) -> MigrationOutcome {
    Migrator::new(ctx).migrate(value, to)
}

/// Migrates records with one validator.
#[derive(Debug, Clone)]
pub(crate) struct Migrator {
    validator: Validator,
}

impl Default for Migrator {
    fn default() -> Self {
        Migrator {
            validator: Validator::new(Options::default()),
        }
    }
}

impl Migrator {
    /// A migrator that validates in `ctx`.
    pub(crate) fn new(ctx: &RuleContext) -> Self {
        let options = Options::default()
            .profile(ctx.profile.clone())
            .now(ctx.now)
            .lang(ctx.lang);
        Migrator {
            validator: Validator::new(options),
        }
    }

    pub(crate) fn migrate(&self, value: &Value, to: Version) -> MigrationOutcome {
        let header = Header::of_value(value);
        let kind = header.kind.and_then(Result::ok);
        let from = header.version.and_then(Result::ok);
        let mut report = MigrationReport {
            index: 0,
            kind,
            from,
            to,
            outcome: Outcome::Migrated,
            notes: Vec::new(),
        };
        match self.convert(value, kind, from, to) {
            Ok((record, notes)) => {
                report.notes = notes;
                MigrationOutcome {
                    record: Some(record),
                    report,
                }
            }
            Err(reason) => {
                report.outcome = Outcome::Refused { reason };
                MigrationOutcome {
                    record: None,
                    report,
                }
            }
        }
    }

    fn convert(
        &self,
        value: &Value,
        kind: Option<DocumentKind>,
        from: Option<Version>,
        to: Version,
    ) -> Result<(Converted, Vec<Note>), Refusal> {
        let (Some(document), Some(from)) = (kind, from) else {
            return Err(Refusal::Header);
        };
        let record_kind = document.record();
        if record_kind.is_none() && (from != to || to == Version::V1_0) {
            return Err(Refusal::Batch);
        }
        let verdict = self.validator.validate_value(value);
        if !verdict.is_valid() {
            return Err(Refusal::Invalid {
                version: from,
                issues: errors_of(verdict.issues),
            });
        }
        let path = steps(from, to);
        let Some(kind) = record_kind else {
            return Ok((Converted::Unchanged(value.clone()), Vec::new()));
        };
        let typed = Converted::typed(from, kind, value);
        if path.is_empty() {
            return Ok((
                typed.unwrap_or_else(|| Converted::Unchanged(value.clone())),
                Vec::new(),
            ));
        }
        let ctx = self.validator.context();
        let mut current = typed.ok_or_else(|| Refusal::untyped(from))?;
        let mut notes = Vec::new();
        for &step in path {
            let (next, more) = match (step, &current) {
                (Step::V1_0ToV2_0, Converted::V1(record)) => {
                    let (out, more) = upgrade_in(ctx, record)?;
                    (Converted::V2(Box::new(out)), more)
                }
                (Step::V2_0ToV1_0, Converted::V2(record)) => {
                    let (out, more) = downgrade_in(ctx, record)?;
                    (Converted::V1(out), more)
                }
                (Step::V2_0ToV2_1, Converted::V2(record)) => {
                    let (out, more) = minor::upgrade((**record).clone());
                    (Converted::V2_1(Box::new(out)), more)
                }
                (Step::V2_1ToV2_0, Converted::V2_1(record)) => {
                    let (out, more) = minor::downgrade((**record).clone())?;
                    (Converted::V2(Box::new(out)), more)
                }
                _ => {
                    unreachable!("invariant: steps() chains each step from the last one's version")
                }
            };
            current = next;
            notes.extend(more);
        }
        if to != Version::V1_0 {
            // 2.0 has rules 1.0 lacks (`time.future` on instants): the result must pass them.
            let verdict = self.validator.validate_value(&current.to_value());
            if !verdict.is_valid() {
                return Err(Refusal::TargetInvalid {
                    version: to,
                    issues: errors_of(verdict.issues),
                });
            }
        }
        Ok((current, notes))
    }
}

/// A record as a JSON value. Records serialize to JSON objects; nothing in them can fail.
fn to_value<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).expect("invariant: records serialize to JSON values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_is_the_documented_one() {
        let derived = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://schemas.dsti.example/");
        assert_eq!(NAMESPACE, derived, "{derived}");
    }
}
