//! Version 2.0 of the standard, the current one: the wire layout of every record kind.
//!
//! Records are plain data with public fields. Each field's type carries its constraints, so a
//! value that deserializes is structurally valid and its identifiers pass their checks; the rules
//! that relate fields to each other (dates in order, hours that add up, a gender that agrees with
//! the ID number) are checked by the [validator](crate::validate).

mod batch;
mod build;
mod certificate;
mod checks;
mod codes;
mod completion;
mod course;
mod person;
mod rules;
mod shared;

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

pub use batch::{Batch, BatchKind};
pub use build::{
    AssessmentBuilder, BatchBuilder, BuildError, CertificateBuilder, CompletionBuilder,
    CourseBuilder, FaceChecksBuilder, IntoField, ModuleBuilder, OccupationBuilder,
    OnlineLearningBuilder, OrganizationBuilder, PersonBuilder, VerificationBuilder,
};
pub use certificate::Certificate;
pub use codes::{
    AssessmentMethod, CertificateStatus, CertificateType, CompletionStatus, DeliveryMode,
    ModuleTopic, TrainingType, VerificationMethod, VerificationResult,
};
pub use completion::{Assessment, Completion, CourseRef, FaceChecks, OnlineLearning};
pub use course::{Course, Module};
pub use person::{Person, Verification};
pub use shared::{Occupation, Organization, PersonRef, V2};

pub use crate::ident::{Count, Decimal, DocumentDigest, HttpsUrl, NonEmpty, ServiceCategory, Text};
pub use crate::kind::{CertificateKind, CompletionKind, CourseKind, PersonKind};

pub(crate) use checks::{document_findings, id_findings, typed_rules};
pub(crate) use rules::{check as rule_findings, check_envelope as envelope_rule_findings, Rules};

use crate::ident::RecordId;
use crate::{schemagen, Kind};

/// The JSON Schema of a 2.0 record kind (before `$id` and `title` are set by
/// [`crate::schema`]).
pub(crate) fn record_schema(kind: Kind) -> Schema {
    match kind {
        Kind::Person => schemagen::root::<Person>(),
        Kind::Course => schemagen::root::<Course>(),
        Kind::Completion => schemagen::root::<Completion>(),
        Kind::Certificate => schemagen::root::<Certificate>(),
        // Not a 2.0 kind: the edition's table never asks (a schema that accepts nothing).
        Kind::Competition => json_schema!({ "not": {} }),
    }
}

/// The JSON Schema of the 2.0 batch envelope.
pub(crate) fn envelope_schema() -> Schema {
    schemagen::root::<Batch>()
}

/// A 2.0 record of any kind.
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

impl Record {
    /// The record's id.
    pub fn id(&self) -> &RecordId {
        match self {
            Record::Person(r) => &r.id,
            Record::Course(r) => &r.id,
            Record::Completion(r) => &r.id,
            Record::Certificate(r) => &r.id,
        }
    }

    /// Deserialize a record of a known kind straight from JSON bytes.
    pub fn from_slice_as(kind: Kind, bytes: &[u8]) -> serde_json::Result<Record> {
        Ok(match kind {
            Kind::Person => Record::Person(serde_json::from_slice(bytes)?),
            Kind::Course => Record::Course(serde_json::from_slice(bytes)?),
            Kind::Completion => Record::Completion(serde_json::from_slice(bytes)?),
            Kind::Certificate => Record::Certificate(serde_json::from_slice(bytes)?),
            Kind::Competition => {
                return Err(<serde_json::Error as serde::de::Error>::custom(
                    "2.0 has no record kind competition",
                ))
            }
        })
    }
}

crate::kind::record_enum!();

impl JsonSchema for Record {
    fn schema_name() -> Cow<'static, str> {
        "Record".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let branch = |kind: &str, schema: Schema| {
            json_schema!({
                "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
                "then": schema,
            })
        };
        json_schema!({
            "description": "A record of any kind, chosen by its `kind`. / 任一类型的记录，由 `kind` 决定。",
            "type": "object",
            "properties": { "kind": {
                "description": "Record kind. / 记录类型。",
                "enum": ["person", "course", "completion", "certificate"],
            } },
            "required": ["kind"],
            "allOf": [
                branch("person", generator.subschema_for::<Person>()),
                branch("course", generator.subschema_for::<Course>()),
                branch("completion", generator.subschema_for::<Completion>()),
                branch("certificate", generator.subschema_for::<Certificate>()),
            ],
        })
    }
}
