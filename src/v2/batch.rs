//! `batch`: the upload envelope.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kind::wire_marker;

use super::shared::{Organization, V2};
use super::Record;
use crate::ident::{Extensions, RecordId, Timestamp};

wire_marker! {
    /// `kind` of a batch envelope: always `"batch"`.
    BatchKind = "batch"
}

/// # Batch
///
/// The upload envelope: who sends which records, of any kind mixed. / 上传封装：发送单位及其上传的各类记录。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Batch {
    /// Record kind, always `batch`. / 记录类型，固定为 `batch`。
    pub kind: BatchKind,
    /// Version of the standard, `2.0`. / 标准版本，`2.0`。
    pub schema_version: V2,
    /// Batch id: a lowercase hyphenated UUID. / 批次 id：小写带连字符的 UUID。
    pub id: RecordId,
    /// The sending organization. / 发送单位。
    pub sender: Organization,
    /// When the batch was created. / 批次生成时间。
    pub created_at: Timestamp,
    /// The records, of any kind. / 本批次的记录，可混合各类记录。
    pub records: Vec<Record>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Batch {
    /// A batch with no records yet.
    pub fn new(id: RecordId, sender: Organization, created_at: Timestamp) -> Self {
        Batch {
            kind: BatchKind,
            schema_version: V2,
            id,
            sender,
            created_at,
            records: Vec::new(),
            extensions: Extensions::default(),
        }
    }
}
