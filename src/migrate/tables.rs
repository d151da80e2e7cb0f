//! The mapping tables between 1.0's Chinese values and 2.0's codes: the one place they live.
//!
//! Each table is data, read in both directions: an upgrade looks a 1.0 value up, a downgrade
//! writes the first (canonical) 1.0 spelling of a 2.0 value.

use crate::ident::Level;
use crate::v1;
use crate::v2::{CertificateType, CompletionStatus, DeliveryMode, ServiceCategory, TrainingType};

/// A 1.0 course category and what it says in 2.0: its service category and the occupation
/// (code and job type) it trains for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryRow {
    /// The 1.0 text, e.g. `母婴护理`.
    pub text: &'static str,
    /// The 2.0 service category.
    pub category: ServiceCategory,
    /// The occupation code (2022 classification).
    pub occupation: &'static str,
    /// The job type (工种) within the occupation, if the table names one.
    pub job_type: Option<&'static str>,
}

const fn row(
    text: &'static str,
    category: ServiceCategory,
    occupation: &'static str,
    job_type: Option<&'static str>,
) -> CategoryRow {
    CategoryRow {
        text,
        category,
        occupation,
        job_type,
    }
}

/// 家政服务员, the occupation of most domestic-service training.
pub const HOUSEKEEPING_WORKER: &str = "4-10-01-06";

/// 1.0 category text → service category and occupation. The first row of each service
/// category is its canonical 1.0 spelling (what a downgrade writes).
pub const CATEGORIES: &[CategoryRow] = &[
    row(
        "母婴护理",
        ServiceCategory::MaternityCare,
        HOUSEKEEPING_WORKER,
        Some("母婴护理员"),
    ),
    row("育婴", ServiceCategory::InfantCare, "4-10-01-01", None),
    row("保育", ServiceCategory::Childcare, "4-10-01-02", None),
    row("养老护理", ServiceCategory::ElderlyCare, "4-10-01-05", None),
    row(
        "病患陪护",
        ServiceCategory::PatientCare,
        HOUSEKEEPING_WORKER,
        Some("家庭照护员"),
    ),
    row(
        "家务/保洁",
        ServiceCategory::Housekeeping,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "烹饪",
        ServiceCategory::Cooking,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "整理收纳",
        ServiceCategory::HomeOrganizing,
        HOUSEKEEPING_WORKER,
        Some("整理收纳师"),
    ),
    row(
        "洗涤护理",
        ServiceCategory::LaundryCare,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    // Other spellings seen in 1.0 uploads.
    row(
        "月嫂",
        ServiceCategory::MaternityCare,
        HOUSEKEEPING_WORKER,
        Some("母婴护理员"),
    ),
    row(
        "母婴护理员",
        ServiceCategory::MaternityCare,
        HOUSEKEEPING_WORKER,
        Some("母婴护理员"),
    ),
    row("育婴员", ServiceCategory::InfantCare, "4-10-01-01", None),
    row("育儿嫂", ServiceCategory::InfantCare, "4-10-01-01", None),
    row("保育员", ServiceCategory::Childcare, "4-10-01-02", None),
    row(
        "养老护理员",
        ServiceCategory::ElderlyCare,
        "4-10-01-05",
        None,
    ),
    row("养老", ServiceCategory::ElderlyCare, "4-10-01-05", None),
    row(
        "病患护理",
        ServiceCategory::PatientCare,
        HOUSEKEEPING_WORKER,
        Some("家庭照护员"),
    ),
    row(
        "家庭照护",
        ServiceCategory::PatientCare,
        HOUSEKEEPING_WORKER,
        Some("家庭照护员"),
    ),
    row(
        "医疗护工",
        ServiceCategory::PatientCare,
        HOUSEKEEPING_WORKER,
        Some("家庭照护员"),
    ),
    row(
        "家务",
        ServiceCategory::Housekeeping,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "保洁",
        ServiceCategory::Housekeeping,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "家政服务",
        ServiceCategory::Housekeeping,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "烹调",
        ServiceCategory::Cooking,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
    row(
        "收纳",
        ServiceCategory::HomeOrganizing,
        HOUSEKEEPING_WORKER,
        Some("整理收纳师"),
    ),
    row(
        "整理收纳师",
        ServiceCategory::HomeOrganizing,
        HOUSEKEEPING_WORKER,
        Some("整理收纳师"),
    ),
    row(
        "洗涤",
        ServiceCategory::LaundryCare,
        HOUSEKEEPING_WORKER,
        Some("家务服务员"),
    ),
];

/// The occupation a course whose category is in no row is assumed to train for: 家政服务员,
/// since every 1.0 course is a domestic-service course.
pub const UNMAPPED_CATEGORY_OCCUPATION: &str = HOUSEKEEPING_WORKER;

/// Separators between several categories in one 1.0 text (`母婴护理、育婴`).
pub const CATEGORY_SEPARATORS: &[char] = &['、', '，', ',', '；', ';'];

/// The row of a 1.0 category text (exact match after trimming).
pub fn category(text: &str) -> Option<&'static CategoryRow> {
    CATEGORIES.iter().find(|r| r.text == text.trim())
}

/// The canonical 1.0 spelling of a service category; `None` for `other`.
pub fn category_text(category: ServiceCategory) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|r| r.category == category)
        .map(|r| r.text)
}

/// The code of an occupation name in no row: `4-99-00-00`, 其他社会生产服务和生活服务人员
/// ("other service workers") of the 2022 classification. It is outside the shipped
/// domestic-service table, so 2.0 validation warns `occupation.unknown`; the 1.0 name is kept
/// in `occupation.name`.
pub const UNKNOWN_OCCUPATION: &str = "4-99-00-00";

/// 1.0 training type ↔ 2.0 training type (2.0's `continuing-education` has no 1.0 value).
pub const TRAINING_TYPES: &[(v1::TrainingType, TrainingType)] = &[
    (v1::TrainingType::PreJob, TrainingType::PreJob),
    (v1::TrainingType::OnTheJob, TrainingType::OnTheJob),
    (v1::TrainingType::JobTransition, TrainingType::JobTransition),
    (v1::TrainingType::Retraining, TrainingType::Retraining),
];

/// 1.0 `online` → 2.0 delivery mode.
pub const fn delivery_mode(online: bool) -> DeliveryMode {
    if online {
        DeliveryMode::Online
    } else {
        DeliveryMode::Offline
    }
}

/// 1.0 result → 2.0 completion status.
pub const RESULTS: &[(v1::CompletionResult, CompletionStatus)] = &[
    (v1::CompletionResult::Passed, CompletionStatus::Completed),
    (v1::CompletionResult::Failed, CompletionStatus::Failed),
    (
        v1::CompletionResult::Incomplete,
        CompletionStatus::InProgress,
    ),
];

/// 1.0 gender → 2.0 gender.
pub const GENDERS: &[(v1::Gender, crate::ident::Gender)] = &[
    (v1::Gender::Male, crate::ident::Gender::Male),
    (v1::Gender::Female, crate::ident::Gender::Female),
];

/// The 1.0 spelling a downgrade writes for a level: certificates of the 2019 skill-level
/// system use the grades (五级 … 一级), the others the old names (初级 … 高级技师).
pub fn level_text(level: Level, certificate_type: CertificateType) -> v1::Level {
    if certificate_type == CertificateType::SkillLevel {
        v1::Level::grade_of(level)
    } else {
        v1::Level::old_name_of(level)
    }
}

/// Look up `from` in a two-column table.
pub fn forward<A: PartialEq + Copy, B: Copy>(table: &[(A, B)], from: A) -> Option<B> {
    table.iter().find(|(a, _)| *a == from).map(|&(_, b)| b)
}

/// Look up `from` in the second column of a two-column table.
pub fn backward<A: Copy, B: PartialEq + Copy>(table: &[(A, B)], from: B) -> Option<A> {
    table.iter().find(|(_, b)| *b == from).map(|&(a, _)| a)
}
