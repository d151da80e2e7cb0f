//! `person` of 1.0.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::Gender;
use super::{IdCardNo, V1};
use crate::ident::{Date, PersonName, PhoneNumber};
use crate::kind::PersonKind;

/// # Person (1.0)
///
/// The real-name identity of a worker or learner, as the first edition writes it. / 第一版（1.0）的人员实名信息。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Person {
    /// Record kind, always `person`. / 记录类型，固定为 `person`。
    pub kind: PersonKind,
    /// Version of the standard, `1.0`. / 标准版本，`1.0`。
    pub schema_version: V1,
    /// Legal name; minority names may contain the middle dot `·`. / 法定姓名，少数民族姓名可含间隔号 `·`。
    pub name: PersonName,
    /// Resident ID number, 18 characters or the old 15 digits. / 居民身份证号码，18 位或旧版 15 位。
    pub id_card_no: IdCardNo,
    /// Gender, `男` or `女`; must agree with the ID number. / 性别，`男` 或 `女`，须与身份证号码一致。
    pub gender: Gender,
    /// Mobile number: 11-digit mainland number or E.164 `+…`. / 手机号码：11 位大陆手机号或 E.164 格式。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
    /// Whether the real-name identity was verified. / 是否已通过实名认证。
    pub verified: bool,
    /// Date of the real-name verification. / 实名认证日期。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_date: Option<Date>,
}

impl Person {
    /// A person with the required fields.
    pub fn new(name: PersonName, id_card_no: IdCardNo, gender: Gender, verified: bool) -> Self {
        Person {
            kind: PersonKind,
            schema_version: V1,
            name,
            id_card_no,
            gender,
            phone: None,
            verified,
            verified_date: None,
        }
    }
}
