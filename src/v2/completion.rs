//! `completion`: one learner's result in one course (学习/结业记录).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::{AssessmentMethod, CompletionStatus, DeliveryMode, TrainingType};
use crate::kind::CompletionKind;

use super::shared::{Organization, PersonRef, V2};
use crate::ident::{Count, Decimal, Text};
use crate::ident::{Extensions, LocalizedText, RecordId, Timestamp};

/// # Completion
///
/// One learner's enrolment in and result of one course (学习/结业记录). / 一名学员在一门课程中的学习及结业记录。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Completion {
    /// Record kind, always `completion`. / 记录类型，固定为 `completion`。
    pub kind: CompletionKind,
    /// Version of the standard, `2.0`. / 标准版本，`2.0`。
    pub schema_version: V2,
    /// Record id: a lowercase hyphenated UUID, unique per record. / 记录 id：小写带连字符的 UUID，每条记录唯一。
    pub id: RecordId,
    /// The learner. / 学员。
    pub learner: PersonRef,
    /// The course taken. / 所学课程。
    pub course: CourseRef,
    /// The training provider. / 培训机构。
    pub provider: Organization,
    /// Kind of training, copied from the course when known. / 培训类型，已知时与课程一致。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub training_type: Option<TrainingType>,
    /// Delivery mode, copied from the course when known. / 授课方式，已知时与课程一致。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_mode: Option<DeliveryMode>,
    /// Where the learner stands. / 学习状态。
    pub status: CompletionStatus,
    /// When the learner enrolled. / 报名时间。
    pub enrolled_at: Timestamp,
    /// When the learner started. / 开始学习时间。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub started_at: Option<Timestamp>,
    /// When the learner completed; required when status is `completed`. / 结业时间，状态为已结业时必填。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_at: Option<Timestamp>,
    /// Class hours earned. / 已获得学时。
    pub class_hours: Decimal,
    /// Online learning outcomes (no face images or templates). / 线上学习情况（仅结果，不含人脸图像或特征）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub online_learning: Option<OnlineLearning>,
    /// The assessment and its result. / 考核及成绩。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub assessment: Option<Assessment>,
    /// Credits earned (学分). / 获得学分。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub credits_earned: Option<Decimal>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Completion {
    /// A completion with the required fields, by position. [`Completion::builder`] names
    /// every field and reports every problem at once; prefer it.
    pub fn new(
        id: RecordId,
        learner: PersonRef,
        course: CourseRef,
        provider: Organization,
        status: CompletionStatus,
        enrolled_at: Timestamp,
        class_hours: Decimal,
    ) -> Self {
        Completion {
            kind: CompletionKind,
            schema_version: V2,
            id,
            learner,
            course,
            provider,
            training_type: None,
            delivery_mode: None,
            status,
            enrolled_at,
            started_at: None,
            completed_at: None,
            class_hours,
            online_learning: None,
            assessment: None,
            credits_earned: None,
            extensions: Extensions::default(),
        }
    }
}

/// The course a completion is for. / 学习记录对应的课程。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CourseRef {
    /// Id of the course record. / 课程记录的 id。
    pub id: RecordId,
    /// The provider's course code. / 培训机构自编课程代码。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<Text<64>>,
    /// Course title by language. / 课程名称（多语言）。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<LocalizedText>,
}

impl CourseRef {
    /// A reference by course id.
    pub fn new(id: RecordId) -> Self {
        CourseRef {
            id,
            code: None,
            title: None,
        }
    }
}

/// Online learning outcomes: time studied and face checks passed. / 线上学习情况：学习时长和人脸核验结果。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnlineLearning {
    /// Minutes of study recorded by the platform. / 平台记录的学习分钟数。
    pub study_minutes: Count,
    /// Face checks during study. / 学习过程中的人脸核验次数。
    pub face_checks: FaceChecks,
}

impl OnlineLearning {
    /// Online learning outcomes.
    pub fn new(study_minutes: Count, face_checks: FaceChecks) -> Self {
        OnlineLearning {
            study_minutes,
            face_checks,
        }
    }
}

/// How many face checks passed out of how many. / 人脸核验通过次数与总次数。
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct FaceChecks {
    /// Checks passed. / 通过次数。
    pub passed: Count,
    /// Checks made. / 核验总次数。
    pub total: Count,
}

/// An assessment and its result. / 考核及其结果。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Assessment {
    /// How the learner was assessed. / 考核方式。
    pub method: AssessmentMethod,
    /// The score, from 0 to `maxScore`. / 成绩，0 至满分。
    pub score: Decimal,
    /// The highest possible score. / 满分。
    pub max_score: Decimal,
    /// The pass mark. / 合格分数线。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub pass_score: Option<Decimal>,
    /// Whether the learner passed; agrees with `passScore` when given. / 是否合格，给出合格线时须与之一致。
    pub passed: bool,
    /// When the assessment took place. / 考核时间。
    pub assessed_at: Timestamp,
}
