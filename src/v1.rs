//! Version 1.0 of the standard: the first, flat edition, still produced by older
//! platforms.
//!
//! Records are flat: `idCardNo` (18 characters or the old 15 digits) instead of a document,
//! `orgName`/`orgCode` instead of an organization, dates without times, whole class hours and
//! Chinese enumeration values (`男`/`女`, `岗前培训`, `合格`, `初级`/`五级` …). A 1.0 record has
//! `kind` and `schemaVersion: "1.0"` and no `id`; unknown fields are errors and an absent
//! optional field is omitted, never `null`.
//!
//! The types carry the exact serde layout, so a value that deserializes is structurally valid
//! and its identifiers pass their checks. [`crate::validate`] checks 1.0 records with the same
//! codes as 2.0: the schema's `schema.*`, `id-number.*` on `/idCardNo`, and the rules that
//! relate fields to each other (`uscc.checksum`, `time.order`, `completion.score`,
//! `completion.status`, `completion.hours-implausible`, `person.gender-mismatch`,
//! `person.age`, `certificate.number`). [`crate::migrate`] converts 1.0 records to 2.0 and
//! back.
//!
//! ```
//! use dsti::v1;
//! let json = r#"{"kind":"person","schemaVersion":"1.0","name":"王芳","idCardNo":"110105491231002","gender":"女","verified":false}"#;
//! let person: v1::Record = serde_json::from_str(json)?;
//! assert_eq!(serde_json::to_string(&person)?, json);
//! # Ok::<(), serde_json::Error>(())
//! ```

mod certificate;
mod codes;
mod completion;
mod course;
mod id_card_no;
mod person;
mod rules;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

pub use certificate::Certificate;
pub use codes::{CompletionResult, Gender, Level, TrainingType};
pub use completion::Completion;
pub use course::Course;
pub use id_card_no::IdCardNo;
pub use person::Person;

use crate::fields::Fields;
use crate::finding::Finding;
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::{schemagen, Code, Kind};

/// `schemaVersion` of a 1.0 record: always `"1.0"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct V1;

impl V1 {
    /// The wire value.
    pub const VALUE: &'static str = "1.0";
}

impl Serialize for V1 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(Self::VALUE)
    }
}

impl<'de> Deserialize<'de> for V1 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s == Self::VALUE {
            Ok(V1)
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Other("another version"),
                &"\"1.0\"",
            ))
        }
    }
}

impl schemars::JsonSchema for V1 {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "V1".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "const": "1.0" })
    }
}

/// A 1.0 record of any kind.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Record {
    /// A person.
    Person(Person),
    /// A course.
    Course(Course),
    /// A completion.
    Completion(Completion),
    /// A certificate.
    Certificate(Certificate),
}

crate::kind::record_enum!();

/// The JSON Schema of a 1.0 record kind (before `$id` and `title` are set by
/// [`crate::schema`]).
pub(crate) fn record_schema(kind: Kind) -> schemars::Schema {
    match kind {
        Kind::Person => schemagen::root::<Person>(),
        Kind::Course => schemagen::root::<Course>(),
        Kind::Completion => schemagen::root::<Completion>(),
        Kind::Certificate => schemagen::root::<Certificate>(),
        // Not a 1.0 kind: the edition's table never asks (a schema that accepts nothing).
        Kind::Competition => schemars::json_schema!({ "not": {} }),
    }
}

/// Type a structurally sound 1.0 record and run the rules on it.
pub(crate) fn typed_rules(ctx: &RuleContext, kind: Kind, value: Value, out: &mut Vec<Finding>) {
    match Record::from_value_as(kind, value) {
        Ok(record) => rules::check(ctx, &record, out),
        Err(_) => out.push(Finding::untyped(ctx.lang)),
    }
}

/// The semantic findings of a typed 1.0 record (its structure is sound by construction).
pub(crate) fn rule_findings(ctx: &RuleContext, record: &Record) -> Vec<Finding> {
    let mut out = Vec::new();
    rules::check(ctx, record, &mut out);
    out
}

/// The ID number's own codes (`id-number.*`) replace the schema's generic finding there.
pub(crate) fn id_findings(_: Kind, value: &dyn Fields, lang: Lang, out: &mut Vec<Finding>) {
    const AT: &str = "/idCardNo";
    let Some(number) = value.field(&["idCardNo"]).text() else {
        return;
    };
    if let Err(e) = IdCardNo::try_from(number) {
        if e.code() == Code::SchemaPattern && out.iter().any(|f| f.path == AT) {
            return;
        }
        out.retain(|f| f.path != AT);
        let message = match lang {
            Lang::En => format!("{}: {}", e.what(), e.reason()),
            Lang::Zh => e.code().summary_zh().to_owned(),
        };
        out.push(Finding::new(e.code(), AT, message));
    }
}
