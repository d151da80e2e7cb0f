//! The 2.1 edition's part of the slow path: identity documents on a record given as a JSON
//! value, then the typed rules. The rules of 2.0 apply unchanged to every 2.1 record 2.0 has;
//! the fields 2.1 adds have rules of their own (a proof is not signed in the future).

use serde_json::Value;

use super::{Batch, Proof, Record};
use crate::finding::Finding;
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::{Code, Kind};

/// The identity documents' own codes on a record given as a JSON value: at the same places
/// as in 2.0.
pub(crate) fn id_findings(kind: Kind, value: &Value, lang: Lang, out: &mut Vec<Finding>) {
    crate::v2::id_findings(kind, value, lang, out);
}

/// Type a structurally sound record and run the rules on it.
pub(crate) fn typed_rules(ctx: &RuleContext, kind: Kind, value: Value, out: &mut Vec<Finding>) {
    let record = match Record::from_value_as(kind, value) {
        Ok(record) => record,
        Err(_) => return out.push(Finding::untyped(ctx.lang)),
    };
    if let Record::Certificate(c) = &record {
        proof_rules(ctx, c.proof.as_ref(), "/proof/created", out);
    }
    if let Some(v2) = record.into_v2() {
        crate::v2::rule_findings(ctx, &v2, out);
    }
}

/// The rules of a batch envelope given as a JSON value (its `records` empty): those of 2.0,
/// and its proof's.
pub(crate) fn envelope_rules(ctx: &RuleContext, value: Value, out: &mut Vec<Finding>) {
    let batch = match serde_json::from_value::<Batch>(value) {
        Ok(batch) => batch,
        Err(_) => return out.push(Finding::untyped(ctx.lang)),
    };
    proof_rules(ctx, batch.proof.as_ref(), "/proof/created", out);
    let mut v2 = crate::v2::Batch::new(batch.id, batch.sender, batch.created_at);
    v2.extensions = batch.extensions;
    crate::v2::envelope_rule_findings(ctx, &v2, out);
}

fn proof_rules(ctx: &RuleContext, proof: Option<&Proof>, path: &str, out: &mut Vec<Finding>) {
    if let Some(proof) = proof {
        if ctx.instant_in_future(proof.created.datetime()) {
            out.push(Finding::new(
                Code::TimeFuture,
                path,
                ctx.lang.pick("lies in the future", "晚于当前时间"),
            ));
        }
    }
}
