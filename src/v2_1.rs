//! Version 2.1 of the standard, the newest edition (a draft; 2.0 stays the current one).
//!
//! 2.1 is a minor version: every 2.0 record, labelled `"schemaVersion":"2.1"`, is a valid 2.1
//! record, and an upgrade 2.0 → 2.1 changes nothing else. It adds optional fields:
//!
//! - certificate: `proof` ([`Proof`], a detached signature) and `credentialStatus`
//!   ([`CredentialStatus`], a W3C Bitstring Status List entry);
//! - batch: `proof`;
//! - course: `programmeKind` ([`ProgrammeKind`]);
//!
//! and a fifth record kind, [`Competition`]: one person's entry in a vocational skills
//! competition (event, participant, rank, award, score, the level it grants, the certificate it
//! led to).
//!
//! Each 2.1 record that 2.0 already has is its 2.0 record (`base`, reachable through `Deref`)
//! plus the added fields, so the 2.0 types, their constructors and their rules serve both
//! editions.
//!
//! ```
//! use dsti::v2_1::{Certificate, DetachedJws, KeyId, Proof, ProofAlg};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let json = include_str!("../tests/vectors/2.1/valid/certificate-signed.json");
//! let certificate: Certificate = serde_json::from_str(json)?;
//! assert_eq!(certificate.proof.as_ref().map(|p| p.alg), Some(ProofAlg::EdDsa));
//! assert_eq!(certificate.number.as_str().len(), 22); // a 2.0 field, through `Deref`
//! let written = serde_json::to_string(&certificate)?;
//! assert!(written.starts_with(r#"{"kind":"certificate","schemaVersion":"2.1","#));
//! # Ok(())
//! # }
//! ```

mod checks;
mod competition;
mod proof;
mod records;
mod relabel;

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

pub use competition::{Award, Competition, CompetitionLevel, Event, Rank};
pub use proof::{
    CredentialStatus, DetachedJws, DetachedJwsType, KeyId, Proof, ProofAlg, StatusListIndex,
    StatusPurpose,
};
pub use records::{Certificate, Completion, Course, Person, ProgrammeKind};

pub use crate::kind::CompetitionKind;

pub(crate) use checks::{envelope_rules, id_findings, record_rules, typed_rules};

use crate::ident::{Extensions, RecordId, StrictValue, Timestamp};
use crate::kind::{wire_marker, DocumentKind, Header};
use crate::v2::{BatchKind, Organization};
use crate::{schemagen, Kind};

wire_marker! {
    /// `schemaVersion` of a 2.1 record: always `"2.1"`.
    V21 = "2.1"
}

/// The JSON Schema of a 2.1 record kind (before `$id` and `title` are set).
pub(crate) fn record_schema(kind: Kind) -> Schema {
    match kind {
        Kind::Person => schemagen::root::<Person>(),
        Kind::Course => schemagen::root::<Course>(),
        Kind::Completion => schemagen::root::<Completion>(),
        Kind::Certificate => schemagen::root::<Certificate>(),
        Kind::Competition => schemagen::root::<Competition>(),
    }
}

/// The JSON Schema of the 2.1 batch envelope.
pub(crate) fn envelope_schema() -> Schema {
    schemagen::root::<Batch>()
}

/// A 2.1 record of any kind.
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
    /// A competition entry.
    Competition(Competition),
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Record::Person(_) => Kind::Person,
            Record::Course(_) => Kind::Course,
            Record::Completion(_) => Kind::Completion,
            Record::Certificate(_) => Kind::Certificate,
            Record::Competition(_) => Kind::Competition,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &RecordId {
        match self {
            Record::Person(r) => &r.id,
            Record::Course(r) => &r.id,
            Record::Completion(r) => &r.id,
            Record::Certificate(r) => &r.id,
            Record::Competition(r) => &r.id,
        }
    }

    /// Deserialize a record of a known kind from a JSON value.
    pub fn from_value_as(kind: Kind, value: serde_json::Value) -> serde_json::Result<Record> {
        Ok(match kind {
            Kind::Person => Record::Person(serde_json::from_value(value)?),
            Kind::Course => Record::Course(serde_json::from_value(value)?),
            Kind::Completion => Record::Completion(serde_json::from_value(value)?),
            Kind::Certificate => Record::Certificate(serde_json::from_value(value)?),
            Kind::Competition => Record::Competition(serde_json::from_value(value)?),
        })
    }

    /// The 2.0 record inside, when 2.0 has the kind (the fields 2.1 added are left behind).
    pub(crate) fn into_v2(self) -> Option<crate::v2::Record> {
        Some(match self {
            Record::Person(r) => crate::v2::Record::Person(r.base),
            Record::Course(r) => crate::v2::Record::Course(r.base),
            Record::Completion(r) => crate::v2::Record::Completion(r.base),
            Record::Certificate(r) => crate::v2::Record::Certificate(r.base),
            Record::Competition(_) => return None,
        })
    }

    /// The 2.1 record of a 2.0 record: the same fields, relabelled.
    pub fn from_v2(record: crate::v2::Record) -> Record {
        match record {
            crate::v2::Record::Person(r) => Record::Person(r.into()),
            crate::v2::Record::Course(r) => Record::Course(r.into()),
            crate::v2::Record::Completion(r) => Record::Completion(r.into()),
            crate::v2::Record::Certificate(r) => Record::Certificate(r.into()),
        }
    }
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Record::Person(r) => r.serialize(s),
            Record::Course(r) => r.serialize(s),
            Record::Completion(r) => r.serialize(s),
            Record::Certificate(r) => r.serialize(s),
            Record::Competition(r) => r.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = StrictValue::deserialize(d)?.0;
        let kind = match Header::of_value(&value).kind {
            Some(Ok(DocumentKind::Record(kind))) => kind,
            _ => return Err(D::Error::custom("missing or unknown record kind")),
        };
        Record::from_value_as(kind, value).map_err(D::Error::custom)
    }
}

impl JsonSchema for Record {
    fn schema_name() -> Cow<'static, str> {
        "Record".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let branches: Vec<Schema> = Kind::ALL
            .iter()
            .map(|&kind| {
                let schema = match kind {
                    Kind::Person => generator.subschema_for::<Person>(),
                    Kind::Course => generator.subschema_for::<Course>(),
                    Kind::Completion => generator.subschema_for::<Completion>(),
                    Kind::Certificate => generator.subschema_for::<Certificate>(),
                    Kind::Competition => generator.subschema_for::<Competition>(),
                };
                json_schema!({
                    "if": { "properties": { "kind": { "const": kind.as_str() } }, "required": ["kind"] },
                    "then": schema,
                })
            })
            .collect();
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        json_schema!({
            "description": "A record of any kind, chosen by its `kind`. / 任一类型的记录，由 `kind` 决定。",
            "type": "object",
            "properties": { "kind": {
                "description": "Record kind. / 记录类型。",
                "enum": kinds,
            } },
            "required": ["kind"],
            "allOf": branches,
        })
    }
}

macro_rules! record_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Record {
            fn from(r: $variant) -> Self {
                Record::$variant(r)
            }
        }
    )*};
}
record_from!(Person, Course, Completion, Certificate, Competition);

/// # Batch
///
/// The upload envelope: who sends which records, of any kind mixed. / 上传封装：发送单位及其上传的各类记录。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Batch {
    /// Record kind, always `batch`. / 记录类型，固定为 `batch`。
    pub kind: BatchKind,
    /// Version of the standard, `2.1`. / 标准版本，`2.1`。
    pub schema_version: V21,
    /// Batch id: a lowercase hyphenated UUID. / 批次 id：小写带连字符的 UUID。
    pub id: RecordId,
    /// The sending organization. / 发送单位。
    pub sender: Organization,
    /// When the batch was created. / 批次生成时间。
    pub created_at: Timestamp,
    /// The records, of any kind. / 本批次的记录，可混合各类记录。
    pub records: Vec<Record>,
    /// Detached signature by the sender over the batch without its `proof`. / 发送单位对不含 `proof` 的批次的分离式签名。
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub proof: Option<Proof>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

/// An optional field is either absent or a value, never `null` (the schema has no `null`).
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

impl Batch {
    /// A batch with no records yet.
    pub fn new(id: RecordId, sender: Organization, created_at: Timestamp) -> Self {
        Batch {
            kind: BatchKind,
            schema_version: V21,
            id,
            sender,
            created_at,
            records: Vec::new(),
            proof: None,
            extensions: Extensions::default(),
        }
    }
}
