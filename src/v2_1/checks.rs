//! The 2.1 edition's part of the slow path: identity documents on a record given as a JSON
//! value, then the typed rules. The rules of 2.0 apply unchanged to every 2.1 record 2.0 has;
//! the fields 2.1 adds have rules of their own (a proof is not signed in the future).

use serde_json::Value;

use super::{Batch, Competition, Proof, Record};
use crate::fields::Fields;
use crate::finding::Finding;
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::{Code, Kind};

/// The identity documents' own codes on a record given as a JSON value: at the same places
/// as in 2.0.
pub(crate) fn id_findings(kind: Kind, value: &dyn Fields, lang: Lang, out: &mut Vec<Finding>) {
    match kind {
        Kind::Competition => {
            crate::v2::document_findings(value, &["participant", "document"], lang, out)
        }
        _ => crate::v2::id_findings(kind, value, lang, out),
    }
}

/// Type a structurally sound record and run the rules on it.
pub(crate) fn typed_rules(ctx: &RuleContext, kind: Kind, value: Value, out: &mut Vec<Finding>) {
    match Record::from_value_as(kind, value) {
        Ok(record) => record_rules(ctx, record, out),
        Err(_) => out.push(Finding::untyped(ctx.lang)),
    }
}

/// The rules on a typed 2.1 record (the slow path's last step, and the fast path's): its
/// proof's, a competition's own, then those of 2.0.
pub(crate) fn record_rules(ctx: &RuleContext, record: Record, out: &mut Vec<Finding>) {
    match &record {
        Record::Certificate(c) => proof_rules(ctx, c.proof.as_ref(), "/proof/created", out),
        Record::Competition(c) => competition_rules(ctx, c, out),
        _ => {}
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

/// A competition's own rules (the reference to its certificate is judged by the stream, which
/// sees the whole upload): the event's dates in order and not after today, a level its
/// occupation has, and the 2.0 rules of the parts it shares with 2.0 records.
fn competition_rules(ctx: &RuleContext, c: &Competition, out: &mut Vec<Finding>) {
    let mut rules = crate::v2::Rules {
        ctx,
        out: std::mem::take(out),
    };
    let event = &c.event;
    rules.organization(&event.organizer, "/event/organizer");
    rules.occupation(&event.occupation, "/event/occupation");
    rules.person_ref(&c.participant, "/participant");
    if event.held_from.naive() > event.held_until.naive() {
        rules.order("/event/heldUntil", "heldFrom", "heldUntil");
    }
    rules.date_not_future(&event.held_until, "/event/heldUntil");
    if let (Some(level), Some(known)) = (c.grants_level, event.occupation.code.lookup()) {
        if !known.levels.contains(&level) {
            rules.push(
                Code::CompetitionLevelUnavailable,
                "/grantsLevel",
                format!("occupation {} has no level {level}", known.code),
                format!(
                    "职业 {}（{}）没有{}",
                    known.code,
                    known.name_zh,
                    level.name_zh()
                ),
            );
        }
    }
    *out = rules.out;
}
