//! `course` of 1.0.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::TrainingType;
use super::V1;
use crate::ident::Uscc;
use crate::ident::{Count, Text};
use crate::kind::CourseKind;

/// # Course (1.0)
///
/// A training course, as the first edition writes it. / 第一版（1.0）的培训课程。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Course {
    /// Record kind, always `course`. / 记录类型，固定为 `course`。
    pub kind: CourseKind,
    /// Version of the standard, `1.0`. / 标准版本，`1.0`。
    pub schema_version: V1,
    /// The provider's own course code. / 培训机构自编课程代码。
    pub course_code: Text<64>,
    /// Course name in Chinese. / 课程名称。
    pub course_name: Text<200>,
    /// Service category as free Chinese text, e.g. `母婴护理`. / 服务类别（中文），如 `母婴护理`。
    pub category: Text<100>,
    /// Kind of training. / 培训类型。
    pub training_type: TrainingType,
    /// Class hours, a whole number. / 课程学时（整数）。
    pub hours: Count,
    /// Whether the course is given online. / 是否线上授课。
    pub online: bool,
    /// Registered name of the training provider. / 培训机构名称。
    pub org_name: Text<200>,
    /// Unified social credit code of the provider. / 培训机构统一社会信用代码。
    pub org_code: Uscc,
}

impl Course {
    /// A course with the required fields.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        course_code: Text<64>,
        course_name: Text<200>,
        category: Text<100>,
        training_type: TrainingType,
        hours: Count,
        online: bool,
        org_name: Text<200>,
        org_code: Uscc,
    ) -> Self {
        Course {
            kind: CourseKind,
            schema_version: V1,
            course_code,
            course_name,
            category,
            training_type,
            hours,
            online,
            org_name,
            org_code,
        }
    }
}
