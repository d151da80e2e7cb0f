//! `person`: the real-name identity of a worker or learner (实名认证).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::{VerificationMethod, VerificationResult};
use crate::kind::PersonKind;

use super::shared::{Organization, V2};
use crate::ident::{
    BirthDate, Extensions, Gender, IdDocument, PersonName, PhoneNumber, RecordId, RegionCode,
    Timestamp,
};

/// # Person
///
/// The real-name identity of a domestic-service worker or learner (实名认证). / 家政从业人员或学员的实名身份信息。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Person {
    /// Record kind, always `person`. / 记录类型，固定为 `person`。
    pub kind: PersonKind,
    /// Version of the standard, `2.0`. / 标准版本，`2.0`。
    pub schema_version: V2,
    /// Record id: a lowercase hyphenated UUID, unique per record. / 记录 id：小写带连字符的 UUID，每条记录唯一。
    pub id: RecordId,
    /// Legal name; minority names may contain the middle dot `·`. / 法定姓名，少数民族姓名可含间隔号 `·`。
    pub name: PersonName,
    /// Identity document. / 身份证件。
    pub document: IdDocument,
    /// Gender; must agree with the sex digit of a resident ID, residence permit or 2023-form permanent residence ID number. / 性别，须与居民身份证、居住证或 2023 版永久居留身份证号码的性别位一致。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub gender: Option<Gender>,
    /// Date of birth, from 1850-01-01; must agree with the birth date inside a resident ID, residence permit or 2023-form permanent residence ID number. / 出生日期，不早于 1850-01-01，须与居民身份证、居住证或 2023 版永久居留身份证号码中的出生日期一致。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub birth_date: Option<BirthDate>,
    /// Mobile number: 11-digit mainland number or E.164 `+…`. / 手机号码：11 位大陆手机号或 E.164 格式。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<PhoneNumber>,
    /// Region of residence (GB/T 2260). / 居住地行政区划代码（GB/T 2260）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub region: Option<RegionCode>,
    /// Real-name verification outcome. / 实名核验结果。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub verification: Option<Verification>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Person {
    /// A person with the required fields.
    pub fn new(id: RecordId, name: PersonName, document: IdDocument) -> Self {
        Person {
            kind: PersonKind,
            schema_version: V2,
            id,
            name,
            document,
            gender: None,
            birth_date: None,
            phone: None,
            region: None,
            verification: None,
            extensions: Extensions::default(),
        }
    }
}

/// The outcome of a real-name verification: only outcomes, never a face image or template. / 实名核验结果：仅记录结果，不含人脸图像或特征。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Verification {
    /// How the identity was verified. / 核验方式。
    pub method: VerificationMethod,
    /// When it was verified (RFC 3339 with offset). / 核验时间（带时区偏移的 RFC 3339 时间）。
    pub verified_at: Timestamp,
    /// Who verified it. / 核验单位。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub verifier: Option<Organization>,
    /// Whether the verification passed. / 核验是否通过。
    pub result: VerificationResult,
}

impl Verification {
    /// A verification outcome.
    pub fn new(
        method: VerificationMethod,
        verified_at: Timestamp,
        result: VerificationResult,
    ) -> Self {
        Verification {
            method,
            verified_at,
            verifier: None,
            result,
        }
    }
}
