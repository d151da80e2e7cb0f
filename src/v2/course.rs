//! `course`: a training course or programme (培训课程).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::codes::{DeliveryMode, ModuleTopic, TrainingType};
use crate::ident::ServiceCategory;
use crate::kind::CourseKind;

use super::shared::{Occupation, Organization, V2};
use crate::ident::{Date, Extensions, Level, LocalizedText, RecordId};
use crate::ident::{Decimal, NonEmpty, Text};

/// # Course
///
/// A training course or programme offered by a provider (培训课程). / 培训机构提供的培训课程或项目。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Course {
    /// Record kind, always `course`. / 记录类型，固定为 `course`。
    pub kind: CourseKind,
    /// Version of the standard, `2.0`. / 标准版本，`2.0`。
    pub schema_version: V2,
    /// Record id: a lowercase hyphenated UUID, unique per record. / 记录 id：小写带连字符的 UUID，每条记录唯一。
    pub id: RecordId,
    /// The provider's own course code. / 培训机构自编课程代码。
    pub code: Text<64>,
    /// Course title by language; must contain `zh-CN`. / 课程名称（多语言），须含 `zh-CN`。
    pub title: LocalizedText,
    /// The training provider. / 培训机构。
    pub provider: Organization,
    /// The occupation the course trains for. / 课程对应的职业。
    pub occupation: Occupation,
    /// Service categories the course covers, one or more. / 课程涵盖的服务类别，至少一项。
    pub service_categories: NonEmpty<ServiceCategory>,
    /// Kind of training (pre-job, on-the-job, …). / 培训类型（岗前、在岗等）。
    pub training_type: TrainingType,
    /// Online, offline or blended. / 授课方式：线上、线下或混合。
    pub delivery_mode: DeliveryMode,
    /// Class hours (学时), a decimal of at least 0. / 课程学时，不小于 0。
    pub class_hours: Decimal,
    /// The course's modules; their class hours add up to `classHours`. / 课程模块，各模块学时之和等于课程学时。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub modules: Option<Vec<Module>>,
    /// Class hours of professional ethics; at most `classHours`. / 职业道德学时，不超过课程学时。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub ethics_hours: Option<Decimal>,
    /// The skill level the course prepares for. / 课程面向的技能等级。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_level: Option<Level>,
    /// The national training action the course belongs to. / 课程所属的国家培训行动或项目。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub programme: Option<Text<200>>,
    /// Credits the course awards (学分). / 课程学分。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub credits: Option<Decimal>,
    /// First day the course is offered. / 课程有效期起始日期。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_from: Option<Date>,
    /// Last day the course is offered. / 课程有效期截止日期。
    #[serde(
        default,
        deserialize_with = "crate::v2::shared::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub valid_until: Option<Date>,
    /// Fields outside the standard, under namespaced keys. / 标准之外的扩展字段，键须带命名空间。
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl Course {
    /// A course with the required fields, by position. [`Course::builder`] names every
    /// field and reports every problem at once; prefer it.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: RecordId,
        code: Text<64>,
        title: LocalizedText,
        provider: Organization,
        occupation: Occupation,
        service_categories: NonEmpty<ServiceCategory>,
        training_type: TrainingType,
        delivery_mode: DeliveryMode,
        class_hours: Decimal,
    ) -> Self {
        Course {
            kind: CourseKind,
            schema_version: V2,
            id,
            code,
            title,
            provider,
            occupation,
            service_categories,
            training_type,
            delivery_mode,
            class_hours,
            modules: None,
            ethics_hours: None,
            target_level: None,
            programme: None,
            credits: None,
            valid_from: None,
            valid_until: None,
            extensions: Extensions::default(),
        }
    }
}

/// One module of a course. / 课程的一个模块。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Module {
    /// Module title by language; must contain `zh-CN`. / 模块名称（多语言），须含 `zh-CN`。
    pub title: LocalizedText,
    /// Class hours of the module. / 模块学时。
    pub class_hours: Decimal,
    /// What the module is about. / 模块主题。
    pub topic: ModuleTopic,
}

impl Module {
    /// A module.
    pub fn new(title: LocalizedText, class_hours: Decimal, topic: ModuleTopic) -> Self {
        Module {
            title,
            class_hours,
            topic,
        }
    }
}
