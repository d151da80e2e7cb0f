//! `certificate`: a vocational skill certificate (职业技能等级证书 and kin).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::{CertificateStatus, CertificateType};
use crate::kind::CertificateKind;

use super::shared::{Occupation, Organization, PersonRef, V2};
use crate::ident::{CertificateNumber, Date, Extensions, Level, PersonName, RecordId};
use crate::ident::{HttpsUrl, Text};

/// # Certificate
///
/// A vocational skill certificate held by a worker (职业技能等级证书等). / 从业人员持有的职业技能等级证书等证书。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Certificate {
    /// Record kind, always `certificate`. / 记录类型，固定为 `certificate`。
    pub kind: CertificateKind,
    /// Version of the standard, `2.0`. / 标准版本，`2.0`。
    pub schema_version: V2,
    /// Record id: a lowercase hyphenated UUID, unique per record. / 记录 id：小写带连字符的 UUID，每条记录唯一。
    pub id: RecordId,
    /// Kind of certificate. / 证书类型。
    pub certificate_type: CertificateType,
    /// Certificate number; its shape depends on the type. / 证书编号，格式取决于证书类型。
    pub number: CertificateNumber,
    /// The holder. / 持证人。
    pub holder: PersonRef,
    /// The holder's legal name as printed. / 证书上的持证人姓名。
    pub holder_name: PersonName,
    /// The certified occupation. / 证书对应的职业。
    pub occupation: Occupation,
    /// Level; required for skill-level and vocational-qualification certificates, absent otherwise. / 等级：职业技能等级证书和职业资格证书必填，其他证书不填。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub level: Option<Level>,
    /// The issuing organization. / 发证机构。
    pub issuer: Organization,
    /// Date of issue. / 发证日期。
    pub issued_on: Date,
    /// Last day of validity. / 有效期截止日期。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Date>,
    /// Whether the certificate is in force. / 证书状态。
    pub status: CertificateStatus,
    /// Why the certificate is suspended or revoked; required unless `valid`. / 暂停或撤销的原因，状态非有效时必填。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_reason: Option<Text<500>>,
    /// Ids of the completions the certificate rests on. / 证书所依据的学习记录 id。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub evidence: Option<Vec<RecordId>>,
    /// Public page where the certificate can be verified (https). / 证书查验网址（https）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub verification_url: Option<HttpsUrl>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Certificate {
    /// A certificate with the required fields, by position. [`Certificate::builder`] names
    /// every field and reports every problem at once; prefer it.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: RecordId,
        certificate_type: CertificateType,
        number: CertificateNumber,
        holder: PersonRef,
        holder_name: PersonName,
        occupation: Occupation,
        issuer: Organization,
        issued_on: Date,
        status: CertificateStatus,
    ) -> Self {
        Certificate {
            kind: CertificateKind,
            schema_version: V2,
            id,
            certificate_type,
            number,
            holder,
            holder_name,
            occupation,
            level: None,
            issuer,
            issued_on,
            valid_until: None,
            status,
            status_reason: None,
            evidence: None,
            verification_url: None,
            extensions: Extensions::default(),
        }
    }
}
