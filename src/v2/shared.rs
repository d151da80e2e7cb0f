//! Parts shared by the 2.0 record kinds: organizations, occupations and person references (the
//! value types they use live in [`crate::ident`]).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ident::{
    DocumentDigest, IdDocument, IdentError, OccupationCode, RecordId, RegionCode, Text, Uscc,
};
use crate::Code;

/// An optional field is either absent or a value: `null` is rejected, as by the schema (which
/// has no `null`). Use with `#[serde(default, deserialize_with = "…present")]`.
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

crate::kind::wire_marker! {
    /// `schemaVersion` of a 2.0 record: always `"2.0"`.
    V2 = "2.0"
}
/// An organization: a training provider, an issuer, a verifier, a sender. / 单位：培训机构、发证机构、核验单位或发送单位。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Organization {
    /// Registered name of the organization. / 单位登记名称。
    pub name: Text<200>,
    /// Unified social credit code (GB 32100-2015, 18 characters). / 统一社会信用代码（18 位）。
    pub uscc: Uscc,
    /// Region where the organization is registered (GB/T 2260). / 单位所在行政区划代码（GB/T 2260）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub region: Option<RegionCode>,
}

impl Organization {
    /// An organization with a name and a credit code.
    pub fn new(name: Text<200>, uscc: Uscc) -> Self {
        Organization {
            name,
            uscc,
            region: None,
        }
    }
}

/// An occupation of the national occupational classification (2022 edition). / 国家职业分类大典（2022 年版）中的职业。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Occupation {
    /// Occupation code `D-DD-DD-DD`, e.g. `4-10-01-06` (housekeeping service worker). / 职业编码，如 `4-10-01-06`（家政服务员）。
    pub code: OccupationCode,
    /// Job type (工种) within the occupation, e.g. 母婴护理员. / 工种，如母婴护理员。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_type: Option<Text<100>>,
    /// Name of the occupation as the sender writes it. / 职业名称。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Text<100>>,
}

impl Occupation {
    /// An occupation by code.
    pub fn new(code: OccupationCode) -> Self {
        Occupation {
            code,
            job_type: None,
            name: None,
        }
    }
}

/// How a record points at a person: by record id, by document, or by a keyed digest of the document; at least one is present. / 指向人员的方式：人员记录 id、证件或证件密钥摘要，至少一项。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    try_from = "PersonRefWire"
)]
#[schemars(extend("minProperties" = 1))]
#[non_exhaustive]
pub struct PersonRef {
    /// Id of the person record. / 人员记录的 id。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub person_id: Option<RecordId>,
    /// The person's identity document. / 人员身份证件。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub document: Option<IdDocument>,
    /// Keyed digest of the normalized document. / 证件的密钥摘要（HMAC）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub document_digest: Option<DocumentDigest>,
}

/// How a record points at a person: by record id, by document, or by a keyed digest of the document; at least one is present. / 指向人员的方式：人员记录 id、证件或证件密钥摘要，至少一项。
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("minProperties" = 1))]
struct PersonRefWire {
    /// Id of the person record. / 人员记录的 id。
    #[serde(default, deserialize_with = "present")]
    person_id: Option<RecordId>,
    /// The person's identity document. / 人员身份证件。
    #[serde(default, deserialize_with = "present")]
    document: Option<IdDocument>,
    /// Keyed digest of the normalized document (`hmac-sm3:` or `hmac-sha256:` and 64 hex digits). / 证件的密钥摘要（HMAC）。
    #[serde(default, deserialize_with = "present")]
    document_digest: Option<DocumentDigest>,
}

impl TryFrom<PersonRefWire> for PersonRef {
    type Error = IdentError;
    fn try_from(w: PersonRefWire) -> Result<Self, Self::Error> {
        if w.person_id.is_none() && w.document.is_none() && w.document_digest.is_none() {
            return Err(IdentError::new(
                Code::SchemaLength,
                "person reference",
                "needs personId, document or documentDigest",
            ));
        }
        Ok(PersonRef {
            person_id: w.person_id,
            document: w.document,
            document_digest: w.document_digest,
        })
    }
}

impl PersonRef {
    /// A reference by record id.
    pub fn by_id(id: RecordId) -> Self {
        PersonRef {
            person_id: Some(id),
            document: None,
            document_digest: None,
        }
    }

    /// A reference by identity document.
    pub fn by_document(document: IdDocument) -> Self {
        PersonRef {
            person_id: None,
            document: Some(document),
            document_digest: None,
        }
    }

    /// A reference by keyed digest.
    pub fn by_digest(digest: DocumentDigest) -> Self {
        PersonRef {
            person_id: None,
            document: None,
            document_digest: Some(digest),
        }
    }
}
