//! `certificate` of 1.0.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::Level;
use super::{IdCardNo, V1};
use crate::ident::Text;
use crate::ident::{CertificateNumber, Date, PersonName, Uscc};
use crate::kind::CertificateKind;

/// # Certificate (1.0)
///
/// A vocational skill certificate, as the first edition writes it. / 第一版（1.0）的职业技能证书。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Certificate {
    /// Record kind, always `certificate`. / 记录类型，固定为 `certificate`。
    pub kind: CertificateKind,
    /// Version of the standard, `1.0`. / 标准版本，`1.0`。
    pub schema_version: V1,
    /// Certificate number. / 证书编号。
    pub cert_no: CertificateNumber,
    /// The holder's resident ID number, 18 characters or the old 15 digits. / 持证人居民身份证号码，18 位或旧版 15 位。
    pub id_card_no: IdCardNo,
    /// The holder's legal name. / 持证人姓名。
    pub name: PersonName,
    /// Name of the certified occupation, e.g. `家政服务员`. / 职业（工种）名称，如 `家政服务员`。
    pub occupation_name: Text<100>,
    /// Level: `初级` … `高级技师` or `五级` … `一级`. / 等级：`初级` 至 `高级技师`，或 `五级` 至 `一级`。
    pub level: Level,
    /// Date of issue. / 发证日期。
    pub issue_date: Date,
    /// Registered name of the issuing organization. / 发证机构名称。
    pub org_name: Text<200>,
    /// Unified social credit code of the issuer. / 发证机构统一社会信用代码。
    pub org_code: Uscc,
}

impl Certificate {
    /// A certificate with the required fields.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        cert_no: CertificateNumber,
        id_card_no: IdCardNo,
        name: PersonName,
        occupation_name: Text<100>,
        level: Level,
        issue_date: Date,
        org_name: Text<200>,
        org_code: Uscc,
    ) -> Self {
        Certificate {
            kind: CertificateKind,
            schema_version: V1,
            cert_no,
            id_card_no,
            name,
            occupation_name,
            level,
            issue_date,
            org_name,
            org_code,
        }
    }
}
