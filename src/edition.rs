//! The editions of the standard, dispatched in one place (in the spirit of cloudevents'
//! `SpecVersion`): each [`Edition`] names its kinds and brings its schema, its checks of a
//! record given as a JSON value and its typed rules. Validation and schema generation reach
//! an edition only through [`of`]; migration chooses its steps in [`crate::migrate`]'s
//! `steps`. Adding an edition touches this table, the edition's module and its migration step.

use serde_json::Value;

use crate::fields::Fields;
use crate::finding::Finding;
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::{v1, v2, v2_1, DocumentKind, Kind, Version};

/// One edition: what differs between versions, as plain functions.
pub(crate) struct Edition {
    /// The version it is.
    pub(crate) version: Version,
    /// The documents it has schemas for: its record kinds, and the batch envelope where it
    /// has one.
    pub(crate) kinds: &'static [DocumentKind],
    /// The JSON Schema of a record kind, before `$id` and `title` are set.
    pub(crate) record_schema: fn(Kind) -> schemars::Schema,
    /// The JSON Schema of its batch envelope, if it has one.
    pub(crate) envelope_schema: Option<fn() -> schemars::Schema>,
    /// The identifiers' own codes on a record, given as a JSON value or as the slow path's tree
    /// (they replace the schema's generic finding at the same place).
    pub(crate) id_findings: fn(Kind, &dyn Fields, Lang, &mut Vec<Finding>),
    /// Type a structurally sound record and run the edition's rules on it.
    pub(crate) typed_rules: fn(&RuleContext, Kind, Value, &mut Vec<Finding>),
    /// Type a structurally sound batch envelope (its `records` empty) and run the rules on it,
    /// if the edition has batches.
    pub(crate) envelope_rules: Option<fn(&RuleContext, Value, &mut Vec<Finding>)>,
}

/// Every edition, oldest first, in the order of [`Version::ALL`].
static EDITIONS: [Edition; 3] = [
    Edition {
        version: Version::V1_0,
        kinds: &RECORDS,
        record_schema: v1::record_schema,
        envelope_schema: None,
        id_findings: v1::id_findings,
        typed_rules: v1::typed_rules,
        envelope_rules: None,
    },
    Edition {
        version: Version::V2_0,
        kinds: &RECORDS_AND_BATCH,
        record_schema: v2::record_schema,
        envelope_schema: Some(v2::envelope_schema),
        id_findings: v2::id_findings,
        typed_rules: v2::typed_rules,
        envelope_rules: Some(v2_envelope_rules),
    },
    Edition {
        version: Version::V2_1,
        kinds: &DocumentKind::ALL,
        record_schema: v2_1::record_schema,
        envelope_schema: Some(v2_1::envelope_schema),
        id_findings: v2_1::id_findings,
        typed_rules: v2_1::typed_rules,
        envelope_rules: Some(v2_1::envelope_rules),
    },
];

/// The 2.0 envelope's rules on a structurally sound envelope given as a JSON value.
fn v2_envelope_rules(ctx: &RuleContext, value: Value, out: &mut Vec<Finding>) {
    match serde_json::from_value::<v2::Batch>(value) {
        Ok(batch) => v2::envelope_rule_findings(ctx, &batch, out),
        Err(_) => out.push(Finding::untyped(ctx.lang)),
    }
}

/// The four record kinds as documents.
const RECORDS: [DocumentKind; 4] = [
    DocumentKind::Record(Kind::Person),
    DocumentKind::Record(Kind::Course),
    DocumentKind::Record(Kind::Completion),
    DocumentKind::Record(Kind::Certificate),
];

/// The four record kinds and the batch envelope.
const RECORDS_AND_BATCH: [DocumentKind; 5] = [
    DocumentKind::Record(Kind::Person),
    DocumentKind::Record(Kind::Course),
    DocumentKind::Record(Kind::Completion),
    DocumentKind::Record(Kind::Certificate),
    DocumentKind::Batch,
];

impl Edition {
    /// The JSON Schema of one of its documents, before `$id` and `title` are set; `None` for
    /// a kind or an envelope the edition does not have.
    pub(crate) fn schema(&self, kind: DocumentKind) -> Option<schemars::Schema> {
        if !self.kinds.contains(&kind) {
            return None;
        }
        match kind {
            DocumentKind::Record(kind) => Some((self.record_schema)(kind)),
            DocumentKind::Batch => self.envelope_schema.map(|f| f()),
        }
    }
}

/// The edition of `version`.
pub(crate) fn of(version: Version) -> &'static Edition {
    let index = Version::ALL
        .iter()
        .position(|&v| v == version)
        .expect("invariant: every version has an edition (EDITIONS follows Version::ALL)");
    let edition = &EDITIONS[index];
    debug_assert_eq!(edition.version, version);
    edition
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_versions() {
        for version in Version::ALL {
            let edition = of(version);
            assert_eq!(edition.version, version);
            for &kind in edition.kinds {
                assert!(edition.schema(kind).is_some(), "{version} {kind}");
            }
        }
        assert!(of(Version::V1_0).schema(DocumentKind::Batch).is_none());
        for version in [Version::V1_0, Version::V2_0] {
            assert!(of(version).schema(Kind::Competition.into()).is_none());
        }
        for version in Version::ALL {
            let edition = of(version);
            let records: Vec<DocumentKind> = version.kinds().iter().map(|&k| k.into()).collect();
            let listed: Vec<DocumentKind> = edition
                .kinds
                .iter()
                .copied()
                .filter(|k| k.record().is_some())
                .collect();
            assert_eq!(records, listed, "{version}");
        }
    }
}
