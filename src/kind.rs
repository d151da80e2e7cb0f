//! Record kinds and versions of the standard, and the one place that reads them off a record.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod marker;

pub(crate) use marker::wire_marker;
pub use marker::{CertificateKind, CompetitionKind, CompletionKind, CourseKind, PersonKind};

/// The kind of a record (`kind` on the wire). The batch envelope is not a record: see
/// [`DocumentKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// Real-name identity of a worker or learner.
    Person,
    /// A training course.
    Course,
    /// A learner's result in a course.
    Completion,
    /// A skill certificate.
    Certificate,
    /// A vocational skills competition entry (since 2.1).
    Competition,
}

impl Kind {
    /// Every record kind of every version. Which kinds a version has: [`Version::kinds`].
    pub const ALL: [Kind; 5] = [
        Kind::Person,
        Kind::Course,
        Kind::Completion,
        Kind::Certificate,
        Kind::Competition,
    ];

    /// The four record kinds every version has.
    pub const RECORDS: [Kind; 4] = [
        Kind::Person,
        Kind::Course,
        Kind::Completion,
        Kind::Certificate,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Course => "course",
            Kind::Completion => "completion",
            Kind::Certificate => "certificate",
            Kind::Competition => "competition",
        }
    }
}

/// What a JSON document of the standard is: a record of some [`Kind`], or the batch envelope
/// that carries records. Its wire name is the `kind` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    /// A record.
    Record(Kind),
    /// The upload envelope.
    Batch,
}

impl DocumentKind {
    /// Every document kind: the records, then the envelope.
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::Record(Kind::Person),
        DocumentKind::Record(Kind::Course),
        DocumentKind::Record(Kind::Completion),
        DocumentKind::Record(Kind::Certificate),
        DocumentKind::Record(Kind::Competition),
        DocumentKind::Batch,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Record(kind) => kind.as_str(),
            DocumentKind::Batch => "batch",
        }
    }

    /// The record kind, unless this is the envelope.
    pub const fn record(self) -> Option<Kind> {
        match self {
            DocumentKind::Record(kind) => Some(kind),
            DocumentKind::Batch => None,
        }
    }
}

impl From<Kind> for DocumentKind {
    fn from(kind: Kind) -> Self {
        DocumentKind::Record(kind)
    }
}

impl PartialEq<Kind> for DocumentKind {
    fn eq(&self, other: &Kind) -> bool {
        *self == DocumentKind::Record(*other)
    }
}

impl Serialize for DocumentKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The error of parsing a kind or a version that the standard does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {0}")]
pub struct UnknownName(&'static str);

/// `Display` and `FromStr` by the wire name (`as_str`) of each of `ALL`.
macro_rules! by_name {
    ($($ty:ident as $what:literal),* $(,)?) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .into_iter()
                    .find(|x| x.as_str() == s)
                    .ok_or(UnknownName($what))
            }
        }
    )*};
}

by_name!(
    Kind as "record kind",
    DocumentKind as "document kind",
    Version as "schema version",
);

/// A version of the standard (`schemaVersion` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Version {
    /// The first, flat edition.
    #[serde(rename = "1.0")]
    V1_0,
    /// The current edition.
    #[serde(rename = "2.0")]
    V2_0,
    /// The newest edition, a draft: 2.0 plus signatures, certificate status and programme
    /// kinds.
    #[serde(rename = "2.1")]
    V2_1,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 3] = [Version::V1_0, Version::V2_0, Version::V2_1];

    /// The current version.
    pub const CURRENT: Version = Version::V2_0;

    /// The wire name, `"1.0"`, `"2.0"` or `"2.1"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V2_0 => "2.0",
            Version::V2_1 => "2.1",
        }
    }
}

impl Version {
    /// The record kinds this version has, in the order of [`Kind::ALL`].
    ///
    /// ```
    /// use dsti::{Kind, Version};
    /// assert_eq!(Version::V2_0.kinds(), Kind::RECORDS);
    /// assert!(Version::V2_1.kinds().contains(&Kind::Competition));
    /// ```
    pub fn kinds(self) -> &'static [Kind] {
        match self {
            Version::V1_0 | Version::V2_0 => &Kind::RECORDS,
            Version::V2_1 => &Kind::ALL,
        }
    }

    /// Whether this version has record kind `kind`.
    pub fn has(self, kind: Kind) -> bool {
        self.kinds().contains(&kind)
    }
}

/// What a record says it is: its `kind` and `schemaVersion`, as far as they can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// `Some(Ok)` a known kind, `Some(Err)` a kind the standard lacks, `None` absent or not a string.
    pub(crate) kind: Option<Result<DocumentKind, ()>>,
    /// Likewise for `schemaVersion`.
    pub(crate) version: Option<Result<Version, ()>>,
}

impl Header {
    /// Read the header off a parsed record. This and [`Header::sniff`] are the only places that
    /// read `kind` and `schemaVersion`.
    pub(crate) fn of_value(value: &serde_json::Value) -> Header {
        Header::of_fields(value)
    }

    /// Read the header off a record given as a value or as the slow path's tree.
    pub(crate) fn of_fields(record: &dyn crate::fields::Fields) -> Header {
        let field = |name: &str| record.field(&[name]).text();
        Header {
            kind: field("kind").map(|k| k.parse().map_err(drop)),
            version: field("schemaVersion").map(|v| v.parse().map_err(drop)),
        }
    }

    /// Read the header off raw bytes without parsing them, when the record starts the way
    /// DSTI writers write it: `{"kind":"…","schemaVersion":"…"`. `None` when it does not; then
    /// the caller parses and uses [`Header::of_value`].
    pub(crate) fn sniff(bytes: &[u8]) -> Option<(DocumentKind, Version)> {
        let rest = bytes.strip_prefix(b"{\"kind\":\"")?;
        let (kind, rest) = named(rest, DocumentKind::ALL, DocumentKind::as_str)?;
        let rest = rest.strip_prefix(b",\"schemaVersion\":\"")?;
        let (version, _) = named(rest, Version::ALL, Version::as_str)?;
        Some((kind, version))
    }
}

/// The one of `all` whose wire name, and then the closing quote, begin `rest` (what `FromStr`
/// reads from the string that ends there: a string with an escape in it is none of them), and
/// what follows the quote. Compared as bytes: no UTF-8 check or search for the string's end.
fn named<T: Copy, const N: usize>(
    rest: &[u8],
    all: [T; N],
    name: fn(T) -> &'static str,
) -> Option<(T, &[u8])> {
    all.into_iter().find_map(|x| {
        let after = rest.strip_prefix(name(x).as_bytes())?.strip_prefix(b"\"")?;
        Some((x, after))
    })
}

/// The shared plumbing of a version's `Record` enum (variants `Person`, `Course`, `Completion`,
/// `Certificate`): its kind, deserializing by kind, `From` each record, and serde that writes
/// the record itself and reads it by its `kind`.
macro_rules! record_enum {
    () => {
        impl Record {
            /// The record's kind.
            pub fn kind(&self) -> $crate::Kind {
                match self {
                    Record::Person(_) => $crate::Kind::Person,
                    Record::Course(_) => $crate::Kind::Course,
                    Record::Completion(_) => $crate::Kind::Completion,
                    Record::Certificate(_) => $crate::Kind::Certificate,
                }
            }

            /// Deserialize a record of a known kind from a JSON value.
            pub fn from_value_as(
                kind: $crate::Kind,
                value: ::serde_json::Value,
            ) -> ::serde_json::Result<Record> {
                Ok(match kind {
                    $crate::Kind::Person => Record::Person(::serde_json::from_value(value)?),
                    $crate::Kind::Course => Record::Course(::serde_json::from_value(value)?),
                    $crate::Kind::Completion => {
                        Record::Completion(::serde_json::from_value(value)?)
                    }
                    $crate::Kind::Certificate => {
                        Record::Certificate(::serde_json::from_value(value)?)
                    }
                    other => {
                        return Err(<::serde_json::Error as ::serde::de::Error>::custom(
                            format_args!("this version has no record kind {other}"),
                        ))
                    }
                })
            }
        }

        impl From<Person> for Record {
            fn from(r: Person) -> Self {
                Record::Person(r)
            }
        }

        impl From<Course> for Record {
            fn from(r: Course) -> Self {
                Record::Course(r)
            }
        }

        impl From<Completion> for Record {
            fn from(r: Completion) -> Self {
                Record::Completion(r)
            }
        }

        impl From<Certificate> for Record {
            fn from(r: Certificate) -> Self {
                Record::Certificate(r)
            }
        }

        impl ::serde::Serialize for Record {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    Record::Person(r) => r.serialize(s),
                    Record::Course(r) => r.serialize(s),
                    Record::Completion(r) => r.serialize(s),
                    Record::Certificate(r) => r.serialize(s),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Record {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = $crate::ident::StrictValue::deserialize(d)?.0;
                let kind = match $crate::kind::Header::of_value(&value).kind {
                    Some(Ok($crate::kind::DocumentKind::Record(kind))) => kind,
                    _ => return Err(D::Error::custom("missing or unknown record kind")),
                };
                Record::from_value_as(kind, value).map_err(D::Error::custom)
            }
        }
    };
}
pub(crate) use record_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_usual_header() {
        assert_eq!(
            Header::sniff(br#"{"kind":"course","schemaVersion":"2.0","id":"x"}"#),
            Some((DocumentKind::Record(Kind::Course), Version::V2_0))
        );
        assert_eq!(
            Header::sniff(br#"{"schemaVersion":"2.0","kind":"course"}"#),
            None
        );
        assert_eq!(
            Header::sniff(br#"{"kind":"cour\"se","schemaVersion":"2.0"}"#),
            None
        );
        assert_eq!(
            Header::sniff(br#"{"kind":"person","schemaVersion":"3.0"}"#),
            None
        );
        for kind in DocumentKind::ALL {
            for version in Version::ALL {
                let head = format!(r#"{{"kind":"{kind}","schemaVersion":"{version}","id":1}}"#);
                assert_eq!(
                    Header::sniff(head.as_bytes()),
                    Some((kind, version)),
                    "{head}"
                );
            }
        }
        // Only the whole name, closed: a longer name, an escape, an open string are no header.
        for other in [
            r#"{"kind":"courses","schemaVersion":"2.0"}"#,
            r#"{"kind":"cours","schemaVersion":"2.0"}"#,
            r#"{"kind":"cours\u0065","schemaVersion":"2.0"}"#,
            r#"{"kind":"course\"","schemaVersion":"2.0"}"#,
            r#"{"kind":"course","schemaVersion":"2.00"}"#,
            r#"{"kind":"course","schemaVersion":"2.0"#,
            r#"{"kind":"","schemaVersion":"2.0"}"#,
        ] {
            assert_eq!(Header::sniff(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>(), Ok(k));
        }
        for k in DocumentKind::ALL {
            assert_eq!(k.as_str().parse::<DocumentKind>(), Ok(k));
        }
        assert!("batch".parse::<Kind>().is_err());
        for v in Version::ALL {
            assert_eq!(v.as_str().parse::<Version>(), Ok(v));
        }
    }
}
