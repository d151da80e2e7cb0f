//! `completion` of 1.0.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::CompletionResult;
use super::{IdCardNo, V1};
use crate::ident::{Count, Decimal, Text};
use crate::ident::{Date, PersonName, Uscc};
use crate::kind::CompletionKind;

/// # Completion (1.0)
///
/// One learner's result in one course, as the first edition writes it. / 第一版（1.0）的学员学习及结业记录。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Completion {
    /// Record kind, always `completion`. / 记录类型，固定为 `completion`。
    pub kind: CompletionKind,
    /// Version of the standard, `1.0`. / 标准版本，`1.0`。
    pub schema_version: V1,
    /// The learner's resident ID number, 18 characters or the old 15 digits. / 学员居民身份证号码，18 位或旧版 15 位。
    pub id_card_no: IdCardNo,
    /// The learner's legal name. / 学员姓名。
    pub name: PersonName,
    /// The provider's code of the course taken. / 所学课程的自编代码。
    pub course_code: Text<64>,
    /// Registered name of the training provider. / 培训机构名称。
    pub org_name: Text<200>,
    /// Unified social credit code of the provider. / 培训机构统一社会信用代码。
    pub org_code: Uscc,
    /// First day of study. / 开始学习日期。
    pub start_date: Date,
    /// Last day of study; required when the result is `合格`. / 结束学习日期，结果为 `合格` 时必填。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// Class hours earned, a whole number. / 获得学时（整数）。
    pub hours: Count,
    /// Assessment score out of 100. / 考核成绩（百分制）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// Result: `合格`, `不合格` or `未完成`. / 结果：`合格`、`不合格` 或 `未完成`。
    pub result: CompletionResult,
}

impl Completion {
    /// A completion with the required fields.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id_card_no: IdCardNo,
        name: PersonName,
        course_code: Text<64>,
        org_name: Text<200>,
        org_code: Uscc,
        start_date: Date,
        hours: Count,
        result: CompletionResult,
    ) -> Self {
        Completion {
            kind: CompletionKind,
            schema_version: V1,
            id_card_no,
            name,
            course_code,
            org_name,
            org_code,
            start_date,
            end_date: None,
            hours,
            score: None,
            result,
        }
    }
}
