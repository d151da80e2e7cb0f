//! Steps `v2_0_to_v2_1` and `v2_1_to_v2_0`, between the current edition and the minor edition
//! after it. Upward only `schemaVersion` changes; downward the fields 2.1 added are dropped,
//! each with a line in the report.

use super::{Action, Note, Refusal};
use crate::{v2, v2_1};

/// 2.0 → 2.1: the same record, relabelled. Nothing to report.
pub(crate) fn upgrade(record: v2::Record) -> (v2_1::Record, Vec<Note>) {
    (v2_1::Record::from_v2(record), Vec::new())
}

/// 2.1 → 2.0: every field 2.0 lacks is dropped and reported at its pointer.
pub(crate) fn downgrade(record: v2_1::Record) -> Result<(v2::Record, Vec<Note>), Refusal> {
    let mut notes = Vec::new();
    let mut drop = |present: bool, path: &str, en: &str, zh: &str| {
        if present {
            notes.push(Note::new(Action::Dropped, path, en, zh));
        }
    };
    match &record {
        v2_1::Record::Certificate(c) => {
            drop(
                c.proof.is_some(),
                "/proof",
                "2.0 has no signatures: the proof is dropped (the 2.0 record is not signed)",
                "2.0 版没有签名：proof 被舍弃（2.0 版记录不带签名）",
            );
            drop(
                c.credential_status.is_some(),
                "/credentialStatus",
                "2.0 has no status list entries: credentialStatus is dropped",
                "2.0 版没有状态列表条目：credentialStatus 被舍弃",
            );
        }
        v2_1::Record::Course(c) => drop(
            c.programme_kind.is_some(),
            "/programmeKind",
            "2.0 has no programme kinds: programmeKind is dropped (programme, the text, is kept)",
            "2.0 版没有项目类别：programmeKind 被舍弃（文字项目名称 programme 保留）",
        ),
        v2_1::Record::Person(_) | v2_1::Record::Completion(_) => {}
    }
    let out = match record {
        v2_1::Record::Person(r) => v2::Record::Person(r.base),
        v2_1::Record::Course(r) => v2::Record::Course(r.base),
        v2_1::Record::Completion(r) => v2::Record::Completion(r.base),
        v2_1::Record::Certificate(r) => v2::Record::Certificate(r.base),
    };
    Ok((out, notes))
}
