//! The fast path's parse: a record of a known edition and kind deserialized straight from its
//! bytes into its typed form, with exactly the result of `serde_json::from_slice`.
//!
//! `serde_json::from_slice` checks the UTF-8 of every string on its own, a byte at a time.
//! Here the whole record is checked once with SIMD ([`simdutf8`]) and, when it is UTF-8,
//! serde_json reads it as text (`from_str`), which is the same parser without the per-string
//! check: on valid UTF-8 both accept the same records with the same values and refuse the
//! same ones. A record that is not UTF-8 is read by `from_slice`, as before, so nothing about
//! invalid input changes either. The differential fuzz target compares this parse with
//! `from_slice` on arbitrary bytes.

use serde::de::DeserializeOwned;

use super::{Validator, Verdict};
use crate::ident::{Extensions, RecordId};
use crate::{v2, v2_1, Kind, Version};

/// A record typed by the fast path: a 2.0 or a 2.1 record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TypedRecord {
    /// A 2.0 record.
    V2_0(v2::Record),
    /// A 2.1 record.
    V2_1(v2_1::Record),
}

/// One type, from bytes: `from_str` after one SIMD UTF-8 check, else `from_slice`.
fn read<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match simdutf8::basic::from_utf8(bytes) {
        // `from_str`'s result, without the error message nobody reads.
        Ok(text) => super::quiet::from_str(text),
        Err(_) => serde_json::from_slice(bytes).ok(),
    }
}

/// A 2.0 record type the fast path judges where it was parsed: no enum around it, so the
/// record (several hundred bytes) is not moved from wrapper to wrapper on its way to the
/// rules.
trait Typed2_0: DeserializeOwned {
    const KIND: Kind;
    fn id(&self) -> &RecordId;
    fn extensions(&self) -> &Extensions;
    fn rules(&self, rules: &mut v2::Rules<'_>);
}

macro_rules! typed_2_0 {
    ($($kind:ident => $rule:ident),* $(,)?) => {$(
        impl Typed2_0 for v2::$kind {
            const KIND: Kind = Kind::$kind;
            fn id(&self) -> &RecordId {
                &self.id
            }
            fn extensions(&self) -> &Extensions {
                &self.extensions
            }
            fn rules(&self, rules: &mut v2::Rules<'_>) {
                rules.$rule(self)
            }
        }
    )*};
}

typed_2_0!(
    Person => person,
    Course => course,
    Completion => completion,
    Certificate => certificate,
);

/// The deepest a 2.0 record that deserializes into its type nests, its extensions aside (a
/// course: the record, its `modules`, a module, its `title`). A test holds every 2.0 schema
/// to it. The extensions, the only part whose shape the type leaves free, are held to the
/// depth limit by the typed path itself ([`Validator::extensions_within_limits`]).
pub(crate) const TYPED_DEPTH_2_0: usize = 4;

/// What the typed path made of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typed {
    /// The bytes do not deserialize into the type: the verdict is untouched.
    Refused,
    /// The record is judged. `shallow`: its extensions are within the limits, so (with a
    /// depth limit of at least [`TYPED_DEPTH_2_0`]) the line cannot nest too deep.
    Judged { shallow: bool },
}

impl Validator {
    /// Judge a 2.0 record of `kind` into `verdict` when its bytes deserialize into its type
    /// (what [`typed_from_slice`] and then the 2.0 rules would give).
    pub(super) fn judge_typed_2_0(&self, kind: Kind, bytes: &[u8], verdict: &mut Verdict) -> Typed {
        match kind {
            Kind::Person => self.judge_as::<v2::Person>(bytes, verdict),
            Kind::Course => self.judge_as::<v2::Course>(bytes, verdict),
            Kind::Completion => self.judge_as::<v2::Completion>(bytes, verdict),
            Kind::Certificate => self.judge_as::<v2::Certificate>(bytes, verdict),
            Kind::Competition => Typed::Refused,
        }
    }

    fn judge_as<T: Typed2_0>(&self, bytes: &[u8], verdict: &mut Verdict) -> Typed {
        let Some(record) = read::<T>(bytes) else {
            return Typed::Refused;
        };
        verdict.kind = Some(T::KIND.into());
        verdict.id = Some(record.id().clone());
        let mut rules = v2::Rules {
            ctx: &self.inner.ctx,
            out: std::mem::take(&mut verdict.issues),
        };
        record.rules(&mut rules);
        verdict.issues = rules.out;
        let over = self.extensions_within_limits(record.extensions());
        let shallow = over.is_none();
        verdict.extend(over);
        Typed::Judged { shallow }
    }
}

/// The record of `version` and `kind` in `bytes`, when they deserialize into its type: the
/// same as `serde_json::from_slice` into that type (for 2.0, [`v2::Record::from_slice_as`]),
/// faster. `None` for 1.0 (the fast path has no 1.0 types) and for a kind the version lacks.
#[doc(hidden)]
pub fn typed_from_slice(version: Version, kind: Kind, bytes: &[u8]) -> Option<TypedRecord> {
    Some(match version {
        Version::V1_0 => return None,
        Version::V2_0 => TypedRecord::V2_0(match kind {
            Kind::Person => v2::Record::Person(read(bytes)?),
            Kind::Course => v2::Record::Course(read(bytes)?),
            Kind::Completion => v2::Record::Completion(read(bytes)?),
            Kind::Certificate => v2::Record::Certificate(read(bytes)?),
            Kind::Competition => return None,
        }),
        Version::V2_1 => TypedRecord::V2_1(match kind {
            Kind::Person => v2_1::Record::Person(read(bytes)?),
            Kind::Course => v2_1::Record::Course(read(bytes)?),
            Kind::Completion => v2_1::Record::Completion(read(bytes)?),
            Kind::Certificate => v2_1::Record::Certificate(read(bytes)?),
            Kind::Competition => v2_1::Record::Competition(read(bytes)?),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes around the edges where a reader could differ from `from_slice`.
    const EDGES: &[&[u8]] = &[
        b"\"\\ud800\"",
        b"\"\\udc00\\ud800\"",
        b"\"\\ud83d\\ude00\"",
        b"\"\xff\"",
        b"\"\xed\xa0\x80\"",
        b"\"a\x01b\"",
        b"\"\\u0000\"",
        b"\"x\" ",
        b"\"x\" x",
        b"\"x\"\n\xff",
    ];

    #[test]
    fn strings_read_as_from_slice_reads_them() {
        for bytes in EDGES {
            let ours = read::<String>(bytes);
            let theirs = serde_json::from_slice::<String>(bytes).ok();
            assert_eq!(ours, theirs, "{bytes:?}");
        }
    }

    /// A typed 2.1 record gets the verdict the slow path gives its value: a valid one, one
    /// that breaks a rule, and one whose extension is over the limits (the slow path's
    /// `record.limit` alone).
    #[test]
    fn typed_2_1_records_are_judged_as_the_slow_path_judges_them() {
        use crate::validate::{Limits, Options, Validator};
        let limits = Limits {
            max_string_bytes: super::super::TYPED_STRING_BYTES,
            ..Limits::default()
        };
        // The vectors' "now".
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00+08:00").expect("now");
        let validator = Validator::new(Options::default().limits(limits).now(now));
        let course = include_str!("../../tests/vectors/2.1/valid/course-programme-kind.json");
        let rules = [
            include_str!(
                "../../tests/vectors/2.1/invalid/certificate-proof-created-in-the-future.json"
            ),
            include_str!(
                "../../tests/vectors/2.1/invalid/competition-held-until-before-held-from.json"
            ),
        ];
        for text in rules {
            let kind = crate::kind::Header::sniff(text.as_bytes()).and_then(|(k, _)| k.record());
            let kind = kind.expect("a 2.1 record with the usual header");
            assert!(typed_from_slice(Version::V2_1, kind, text.as_bytes()).is_some());
        }
        let long = format!(
            "{},\"extensions\":{{\"com.example:x\":\"{}\"}}}}",
            course.trim().trim_end_matches('}'),
            "x".repeat(limits.max_string_bytes + 1)
        );
        for text in [course.to_owned(), long]
            .into_iter()
            .chain(rules.map(str::to_owned))
        {
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let fast = validator.validate_str(&text);
            let slow = validator.validate_value(&value);
            assert_eq!(fast.is_valid(), text == course, "{text}");
            assert_eq!(
                serde_json::to_value(&fast).expect("verdict"),
                serde_json::to_value(&slow).expect("verdict")
            );
        }
        let over = format!(
            "{},\"extensions\":{{\"com.example:x\":\"{}\"}}}}",
            course.trim().trim_end_matches('}'),
            "x".repeat(limits.max_string_bytes + 1)
        );
        assert!(matches!(
            typed_from_slice(Version::V2_1, Kind::Course, over.as_bytes()),
            Some(TypedRecord::V2_1(_))
        ));
        let verdict = validator.validate_str(&over);
        assert_eq!(verdict.issues.len(), 1, "{:?}", verdict.issues);
        assert_eq!(verdict.issues[0].code, crate::Code::RecordLimit);
    }

    #[test]
    fn every_vector_types_as_from_slice_types_it() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
        let mut seen = 0;
        for (dir, version) in [("2.0", Version::V2_0), ("2.1", Version::V2_1)] {
            for sub in ["valid", "invalid"] {
                let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}/{sub}")) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let bytes = std::fs::read(entry.path()).expect("a vector reads");
                    for &kind in version.kinds() {
                        let ours = typed_from_slice(version, kind, &bytes);
                        let theirs = match version {
                            Version::V2_0 => v2::Record::from_slice_as(kind, &bytes)
                                .ok()
                                .map(TypedRecord::V2_0),
                            _ => serde_json::from_slice::<serde_json::Value>(&bytes)
                                .ok()
                                .filter(|v| {
                                    v.get("kind").and_then(|k| k.as_str()) == Some(kind.as_str())
                                })
                                .and_then(|v| v2_1::Record::from_value_as(kind, v).ok())
                                .map(TypedRecord::V2_1),
                        };
                        if ours.is_some() {
                            seen += 1;
                        }
                        assert_eq!(ours, theirs, "{} as {kind}", entry.path().display());
                    }
                }
            }
        }
        assert!(seen >= 10, "{seen}");
    }

    /// How deep a value `schema` allows nests, `extensions` members aside, following `$ref`s
    /// into `root`. A structure the schema leaves open (an object whose other members may be
    /// anything, an array without `items`) fails the test: its depth has no bound.
    fn nesting(schema: &serde_json::Value, root: &serde_json::Value) -> usize {
        use serde_json::Value;
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let target = root.pointer(target.trim_start_matches('#'));
            return nesting(target.expect("a $ref into the schema"), root);
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mut deepest = ["anyOf", "oneOf", "allOf"]
            .iter()
            .filter_map(|k| schema.get(k).and_then(Value::as_array))
            .flatten()
            .map(|sub| nesting(sub, root))
            .max()
            .unwrap_or(0);
        if types.contains(&"object") {
            let others = match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => None,
                Some(other @ Value::Object(_)) => Some(other),
                other => panic!("an object open to any member: {other:?}"),
            };
            let members = schema.get("properties").and_then(Value::as_object);
            let inner = members
                .into_iter()
                .flatten()
                .filter(|(name, _)| name.as_str() != "extensions")
                .map(|(_, sub)| sub)
                .chain(others)
                .map(|sub| nesting(sub, root))
                .max()
                .unwrap_or(0);
            deepest = deepest.max(1 + inner);
        }
        if types.contains(&"array") {
            let items = schema.get("items").expect("an array's items are typed");
            deepest = deepest.max(1 + nesting(items, root));
        }
        deepest
    }

    /// [`TYPED_DEPTH_2_0`] is the depth of the deepest 2.0 record type, extensions aside: the
    /// typed path judges records before their depth is counted on that ground.
    #[test]
    fn typed_depth_is_the_deepest_nesting_of_the_2_0_schemas() {
        let deepest = crate::schema::kinds(Version::V2_0)
            .iter()
            .filter(|kind| matches!(kind, crate::DocumentKind::Record(_)))
            .map(|&kind| {
                let schema = crate::schema::generate(Version::V2_0, kind, "https://example.org/");
                nesting(&schema, &schema)
            })
            .max();
        assert_eq!(deepest, Some(TYPED_DEPTH_2_0));
    }
}
