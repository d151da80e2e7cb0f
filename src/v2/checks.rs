//! The 2.0 edition's part of the slow path: the identity documents of a record given as a JSON
//! value, and its rules once it is typed.

use serde_json::Value;

use super::Record;
use crate::fields::{Field, Fields};
use crate::finding::Finding;
use crate::ident::{CountryCode, DocumentNumber, DocumentType, IdDocument};
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::{Code, Kind};

/// The identity documents' own codes (`id-number.*`) on a record given as a JSON value.
pub(crate) fn id_findings(kind: Kind, value: &dyn Fields, lang: Lang, out: &mut Vec<Finding>) {
    let document: &[&str] = match kind {
        Kind::Person => &["document"],
        Kind::Completion => &["learner", "document"],
        Kind::Certificate => &["holder", "document"],
        _ => return,
    };
    document_findings(value, document, lang, out);
}

/// Type a structurally sound record and run the rules on it.
pub(crate) fn typed_rules(ctx: &RuleContext, kind: Kind, value: Value, out: &mut Vec<Finding>) {
    match Record::from_value_as(kind, value) {
        Ok(record) => super::rules::check(ctx, &record, out),
        Err(_) => out.push(Finding::untyped(ctx.lang)),
    }
}

/// Check the identity documents of a record that the schema may have passed or failed only
/// by pattern: check characters, birth dates and province prefixes have their own codes, and
/// those replace the schema's generic finding at the same place.
/// The document is the object at `document`, a path of member names.
pub(crate) fn document_findings(
    value: &dyn Fields,
    document: &[&str],
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let member = |name: &'static str| {
        let mut path = [""; 3];
        let Some(slots) = path.get_mut(..=document.len()) else {
            return Field::Missing;
        };
        let Some((last, rest)) = slots.split_last_mut() else {
            return Field::Missing;
        };
        rest.copy_from_slice(document);
        *last = name;
        value.field(slots)
    };
    let parts = (
        member("type")
            .text()
            .and_then(|t| t.parse::<DocumentType>().ok()),
        member("number")
            .text()
            .and_then(|n| n.parse::<DocumentNumber>().ok()),
    );
    let (Some(doc_type), Some(number)) = parts else {
        return;
    };
    let country = match member("issuingCountry") {
        Field::Missing => None,
        c => match c.text().and_then(|c| c.parse::<CountryCode>().ok()) {
            Some(c) => Some(c),
            None => return, // the schema reports the country
        },
    };

    if let Err(e) = IdDocument::new(doc_type, number, country) {
        let field = if e.code() == Code::SchemaRequired {
            "issuingCountry"
        } else {
            "number"
        };
        let path = document
            .iter()
            .chain([&field])
            .flat_map(|name| ["/", name])
            .collect::<String>();
        out.retain(|f| f.path != path);
        let message = match lang {
            Lang::En => [e.what(), ": ", e.reason()].concat(),
            Lang::Zh => e.code().summary_zh().to_owned(),
        };
        out.push(Finding::new(e.code(), path, message));
    }
}
