//! Findings and verdicts: what the validator says about a record. A leaf of vocabulary types
//! (`dsti::validate` re-exports them), so that every edition, migration and the reports can use
//! them without importing the validator.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::text::Lang;
use crate::{Code, DocumentKind, Severity};

/// One problem found in a record.
///
/// `path` is a JSON Pointer into the record. `message` is in the validator's language and never
/// contains a full document number, phone number or name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// Whether it makes the record invalid.
    pub severity: Severity,
    /// JSON Pointer to the offending value (`""` for the whole record).
    pub path: String,
    /// What is wrong, for people.
    pub message: String,
}

impl Finding {
    /// A finding with the code's default severity.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            path: path.into(),
            message: message.into(),
        }
    }

    /// A record that passed the schema and the identifier checks yet does not deserialize into
    /// its typed form: a disagreement between schema and types, which the differential fuzz
    /// target hunts for. Reported rather than hidden.
    pub(crate) fn untyped(lang: Lang) -> Self {
        Finding::new(
            Code::SchemaType,
            "",
            lang.pick(
                "the record does not fit the standard's types",
                "记录不符合标准的数据类型",
            ),
        )
    }

    /// Whether this finding makes the record invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The verdict on one input record: exactly one per record offered, malformed ones too.
///
/// Whether it is valid is computed from the findings ([`Verdict::is_valid`]), so it cannot go
/// stale when findings are added.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// 0-based position of the record in its input.
    pub index: u64,
    /// 1-based line of the input where the record starts.
    pub line: u64,
    /// The record's kind, when it could be read.
    pub kind: Option<DocumentKind>,
    /// The record's id, when it could be read and is a valid id.
    pub id: Option<crate::ident::RecordId>,
    /// Every finding, errors and warnings.
    pub issues: Vec<Finding>,
    /// The certificate a competition names, which the stream looks for earlier in the upload.
    pub(crate) cites: Option<crate::ident::RecordId>,
}

impl Verdict {
    pub(crate) fn new(index: u64, line: u64) -> Self {
        Verdict {
            index,
            line,
            kind: None,
            id: None,
            issues: Vec::new(),
            cites: None,
        }
    }

    /// Add findings.
    pub(crate) fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.issues.extend(findings);
    }

    /// Whether the record has no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(Finding::is_error)
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.issues
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Verdict", 6)?;
        out.serialize_field("index", &self.index)?;
        out.serialize_field("line", &self.line)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("valid", &self.is_valid())?;
        out.serialize_field("issues", &self.issues)?;
        out.end()
    }
}

/// Counts over a whole validation run. `total == valid + invalid`, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Records offered.
    pub total: u64,
    /// Records without an error.
    pub valid: u64,
    /// Records with at least one error.
    pub invalid: u64,
    /// Warnings over all records.
    pub warnings: u64,
}

impl Summary {
    /// Count one verdict.
    pub fn add(&mut self, verdict: &Verdict) {
        self.total += 1;
        if verdict.is_valid() {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
        self.warnings += verdict.warnings() as u64;
    }
}
