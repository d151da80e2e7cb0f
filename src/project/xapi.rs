//! Completions as xAPI 2.0 statements.
//!
//! | DSTI completion | statement |
//! |---|---|
//! | `id` | `id` (the same UUID) |
//! | `learner` | `actor`: an `Agent` with `account {homePage, name: <documentDigest>}` (or the person id) |
//! | `status`, `assessment.passed` | `verb`: ADL `passed`/`failed` when assessed, else `completed`/`failed` |
//! | `course` | `object`: the activity `urn:dsti:course:<id>` (its title as the name) |
//! | `assessment` | `result.score` (raw, min 0, max, scaled) and `result.success` |
//! | `onlineLearning.studyMinutes`, else `classHours` | `result.duration` (`PT…H…M…S`) |
//! | `completedAt` (else the assessment's time) | `timestamp`, in UTC |
//!
//! Completions still enrolled, in progress or withdrawn make no statement.

use serde_json::{json, Map, Value};

use super::{digest_of, extension_losses, person_losses, utc, Loss, Options, Skip};
use crate::v2::CompletionStatus;
use crate::v2_1::Completion;

/// The ADL verb of a finished completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verb {
    /// `http://adlnet.gov/expapi/verbs/completed`.
    Completed,
    /// `http://adlnet.gov/expapi/verbs/passed`.
    Passed,
    /// `http://adlnet.gov/expapi/verbs/failed`.
    Failed,
}

impl Verb {
    /// The verb's IRI.
    pub const fn id(self) -> &'static str {
        match self {
            Verb::Completed => "http://adlnet.gov/expapi/verbs/completed",
            Verb::Passed => "http://adlnet.gov/expapi/verbs/passed",
            Verb::Failed => "http://adlnet.gov/expapi/verbs/failed",
        }
    }

    fn display(self) -> Value {
        let (en, zh) = match self {
            Verb::Completed => ("completed", "完成"),
            Verb::Passed => ("passed", "通过"),
            Verb::Failed => ("failed", "未通过"),
        };
        json!({"en-US": en, "zh-CN": zh})
    }
}

/// The verb of a completion, or `None` when it is not finished.
pub fn verb(c: &Completion) -> Option<Verb> {
    match (c.status, &c.assessment) {
        (CompletionStatus::Completed | CompletionStatus::Failed, Some(a)) => {
            Some(if a.passed { Verb::Passed } else { Verb::Failed })
        }
        (CompletionStatus::Completed, None) => Some(Verb::Completed),
        (CompletionStatus::Failed, None) => Some(Verb::Failed),
        _ => None,
    }
}

/// An ISO 8601 duration `PT…H…M…S` of a number of seconds (whole hours, minutes and seconds,
/// each part only when not zero; `PT0S` for none). Negative or non-finite inputs give `PT0S`.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds <= 0.0 {
        return "PT0S".to_owned();
    }
    // Centiseconds, rounded: xAPI keeps durations to 0.01 s.
    let total = (seconds * 100.0).round();
    let total = if total > u64::MAX as f64 {
        u64::MAX
    } else {
        total as u64
    };
    let (hours, rest) = (total / 360_000, total % 360_000);
    let (minutes, rest) = (rest / 6_000, rest % 6_000);
    let (secs, centis) = (rest / 100, rest % 100);
    let mut out = String::from("PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if centis > 0 {
        out.push_str(&format!("{secs}.{centis:02}S"));
    } else if secs > 0 || (hours == 0 && minutes == 0) {
        out.push_str(&format!("{secs}S"));
    }
    out
}

/// The statement of a completion, and its losses.
pub fn statement(c: &Completion, options: &Options) -> Result<(Value, Vec<Loss>), Skip> {
    let Some(verb) = verb(c) else {
        return Err(Skip::NotFinished);
    };
    let digest = digest_of(&c.learner, options)?;
    let account_name = match (&digest, &c.learner.person_id) {
        (Some(d), _) => d.as_str().to_owned(),
        (None, Some(id)) => format!("urn:uuid:{}", id.as_str()),
        (None, None) => return Err(Skip::NoIdentity),
    };
    let mut losses = Vec::new();
    person_losses(&c.learner, "/learner", &mut losses);

    let mut definition = Map::new();
    definition.insert(
        "type".into(),
        Value::String("http://adlnet.gov/expapi/activities/course".into()),
    );
    if let Some(title) = &c.course.title {
        let names: Map<String, Value> = title
            .iter()
            .map(|(tag, text)| (tag.as_str().to_owned(), Value::String(text.to_owned())))
            .collect();
        definition.insert("name".into(), Value::Object(names));
    }
    if c.course.code.is_some() {
        losses.push(Loss::new(
            "/course/code",
            "the course's own code has no place in the activity (it is named by its id)",
            "课程编号在活动中没有对应位置（活动以课程 id 命名）",
        ));
    }

    let mut result = Map::new();
    result.insert(
        "completion".into(),
        Value::Bool(c.status == CompletionStatus::Completed),
    );
    match (&c.assessment, verb) {
        (Some(a), _) => {
            result.insert("success".into(), Value::Bool(a.passed));
            let (raw, max) = (a.score.get(), a.max_score.get());
            let mut score = json!({"raw": raw, "min": 0, "max": max});
            if max > 0.0 {
                let scaled = (raw / max).clamp(-1.0, 1.0);
                score["scaled"] = json!((scaled * 10_000.0).round() / 10_000.0);
            }
            result.insert("score".into(), score);
            losses.push(Loss::new(
                "/assessment/method",
                "how the learner was assessed (written, practical…) has no place in the result",
                "考核方式（笔试、实操等）在结果中没有对应位置",
            ));
            if a.pass_score.is_some() {
                losses.push(Loss::new(
                    "/assessment/passScore",
                    "the pass mark has no place in the score (success says whether it was met)",
                    "及格分在成绩中没有对应位置（success 表示是否通过）",
                ));
            }
            if c.completed_at.is_some() {
                losses.push(Loss::new(
                    "/assessment/assessedAt",
                    "the time of the assessment is not carried: the statement's timestamp is the completion's",
                    "考核时间不投射：陈述的时间为结业时间",
                ));
            }
        }
        (None, Verb::Failed) => {
            result.insert("success".into(), Value::Bool(false));
        }
        _ => {}
    }
    let seconds = match &c.online_learning {
        Some(online) => {
            losses.push(Loss::new(
                "/classHours",
                "the class hours are not carried: the duration is the online study time",
                "学时不投射：时长为线上学习时间",
            ));
            losses.push(Loss::new(
                "/onlineLearning/faceChecks",
                "face-check counts have no place in the statement",
                "人脸核验次数在陈述中没有对应位置",
            ));
            f64::from(online.study_minutes.0) * 60.0
        }
        None => {
            losses.push(Loss::new(
                "/classHours",
                "class hours are written as the duration at 60 minutes each; that they were class hours is lost",
                "学时按每学时 60 分钟写为时长，“学时”这一计量不保留",
            ));
            c.class_hours.get() * 3600.0
        }
    };
    result.insert("duration".into(), Value::String(duration(seconds)));

    let timestamp = c
        .completed_at
        .as_ref()
        .or(c.assessment.as_ref().map(|a| &a.assessed_at))
        .unwrap_or(&c.enrolled_at);
    losses.push(Loss::new(
        "/enrolledAt",
        "the enrolment time is not carried: a statement has one time",
        "报名时间不投射：一条陈述只有一个时间",
    ));
    if c.started_at.is_some() {
        losses.push(Loss::new(
            "/startedAt",
            "the start time is not carried: a statement has one time",
            "开始学习时间不投射：一条陈述只有一个时间",
        ));
    }
    losses.push(Loss::new(
        "/provider",
        "the training provider has no place in the statement",
        "培训机构在陈述中没有对应位置",
    ));
    if c.training_type.is_some() {
        losses.push(Loss::new(
            "/trainingType",
            "the training type has no place in the statement",
            "培训类型在陈述中没有对应位置",
        ));
    }
    if c.delivery_mode.is_some() {
        losses.push(Loss::new(
            "/deliveryMode",
            "the delivery mode has no place in the statement",
            "培训方式在陈述中没有对应位置",
        ));
    }
    if c.credits_earned.is_some() {
        losses.push(Loss::new(
            "/creditsEarned",
            "credits earned have no place in the statement",
            "所获学分在陈述中没有对应位置",
        ));
    }
    extension_losses(&c.extensions, &mut losses);

    let statement = json!({
        "id": c.id.as_str(),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": options.home_page, "name": account_name},
        },
        "verb": {"id": verb.id(), "display": verb.display()},
        "object": {
            "objectType": "Activity",
            "id": format!("urn:dsti:course:{}", c.course.id.as_str()),
            "definition": Value::Object(definition),
        },
        "result": Value::Object(result),
        "timestamp": utc(timestamp),
    });
    Ok((statement, losses))
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_use_hours_minutes_and_seconds() {
        assert_eq!(duration(0.0), "PT0S");
        assert_eq!(duration(-5.0), "PT0S");
        assert_eq!(duration(f64::NAN), "PT0S");
        assert_eq!(duration(59.0), "PT59S");
        assert_eq!(duration(60.0), "PT1M");
        assert_eq!(duration(3600.0), "PT1H");
        assert_eq!(duration(64.0 * 3600.0), "PT64H");
        assert_eq!(duration(3723.0), "PT1H2M3S");
        assert_eq!(duration(5400.0), "PT1H30M");
        assert_eq!(duration(1.5), "PT1.50S");
        assert_eq!(duration(3600.25), "PT1H0.25S");
    }
}
