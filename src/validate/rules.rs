//! The semantic rules of DSTI 2.0: what a schema cannot say (DESIGN §3).
//!
//! They run on typed records, so every identifier in them has already passed its own checks;
//! what is left relates fields to each other, to the profile and to "now".

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};

use super::profile::Profile;
use crate::finding::Finding;
use crate::ident::{OccupationCode, ShapeKind, Timestamp};
use crate::text::Lang;
use crate::v2::{
    Batch, Certificate, CertificateStatus, CertificateType, Completion, CompletionStatus, Course,
    Occupation, Organization, Person, Record, TrainingType,
};
use crate::Code;

/// How far in the future a timestamp may lie before it is `time.future` (clock skew).
const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// Everything a rule needs: the profile, "now", the language, and where findings go.
pub(crate) struct Rules<'a> {
    pub(crate) profile: &'a Profile,
    pub(crate) now: DateTime<FixedOffset>,
    pub(crate) lang: Lang,
    pub(crate) out: Vec<Finding>,
}

impl Rules<'_> {
    fn push(&mut self, code: Code, path: &str, en: String, zh: String) {
        let message = match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        self.out.push(Finding::new(code, path, message));
    }

    pub(crate) fn record(&mut self, record: &Record) {
        match record {
            Record::Person(r) => self.person(r),
            Record::Course(r) => self.course(r),
            Record::Completion(r) => self.completion(r),
            Record::Certificate(r) => self.certificate(r),
        }
    }

    pub(crate) fn batch_envelope(&mut self, batch: &Batch) {
        self.organization(&batch.sender, "/sender");
        self.not_future(&batch.created_at, "/createdAt");
    }

    fn person(&mut self, p: &Person) {
        let from_document = p.document.birth_date();
        if let (Some(stated), Some(inside)) = (&p.birth_date, from_document) {
            if stated.naive() != inside {
                self.push(
                    Code::PersonBirthdateMismatch,
                    "/birthDate",
                    "birthDate disagrees with the birth date inside the ID number".into(),
                    "birthDate 与身份证号码中的出生日期不一致".into(),
                );
            }
        }
        if let (Some(stated), Some(inside)) = (p.gender, p.document.gender()) {
            if stated != inside {
                self.push(
                    Code::PersonGenderMismatch,
                    "/gender",
                    "gender disagrees with the ID number's sex digit".into(),
                    "gender 与身份证号码的性别位不一致".into(),
                );
            }
        }
        if let Some(v) = &p.verification {
            self.not_future(&v.verified_at, "/verification/verifiedAt");
            let birth = from_document.or(p.birth_date.as_ref().map(|d| d.naive()));
            if let Some(birth) = birth {
                let verified_on = v.verified_at.datetime().date_naive();
                if years_between(birth, verified_on) < 16 {
                    self.push(
                        Code::PersonAge,
                        "/verification/verifiedAt",
                        "the person was younger than 16 when verified".into(),
                        "实名核验时该人员未满 16 周岁".into(),
                    );
                }
            }
            if let Some(org) = &v.verifier {
                self.organization(org, "/verification/verifier");
            }
        }
    }

    fn course(&mut self, c: &Course) {
        self.organization(&c.provider, "/provider");
        self.occupation(&c.occupation, "/occupation");
        let hours = c.class_hours.get();
        if let Some(modules) = c.modules.as_deref().filter(|m| !m.is_empty()) {
            let sum: f64 = modules.iter().map(|m| m.class_hours.get()).sum();
            if !nearly_equal(sum, hours) {
                self.push(
                    Code::CourseHoursSum,
                    "/modules",
                    format!("the modules add up to {sum} class hours, the course has {hours}"),
                    format!("各模块学时之和为 {sum}，课程学时为 {hours}"),
                );
            }
        }
        if let Some(ethics) = c.ethics_hours {
            if ethics.get() > hours && !nearly_equal(ethics.get(), hours) {
                self.push(
                    Code::CourseEthicsHours,
                    "/ethicsHours",
                    format!("{ethics} ethics hours exceed the course's {hours} class hours"),
                    format!("职业道德学时 {ethics} 超过课程学时 {hours}"),
                );
            }
        }
        if let (Some(from), Some(until)) = (&c.valid_from, &c.valid_until) {
            if from.naive() > until.naive() {
                self.order("/validUntil", "validFrom", "validUntil");
            }
        }
        if c.training_type == TrainingType::PreJob {
            let lacking = c
                .service_categories
                .iter()
                .filter_map(|&cat| self.profile.pre_job_minimum(cat).map(|min| (cat, min)))
                .find(|(_, min)| hours < min.get());
            if let Some((category, min)) = lacking {
                let profile = &self.profile.profile;
                self.push(
                    Code::TrainingPreJobMinimum,
                    "/classHours",
                    format!(
                        "a pre-job {category} course needs at least {min} class hours under profile {profile}, it has {hours}"
                    ),
                    format!(
                        "按 {profile} 规定，{} 岗前培训至少 {min} 学时，本课程为 {hours} 学时",
                        category.label_zh()
                    ),
                );
            }
        }
    }

    fn completion(&mut self, c: &Completion) {
        self.organization(&c.provider, "/provider");
        self.not_future(&c.enrolled_at, "/enrolledAt");
        let stamps = [
            ("enrolledAt", Some(&c.enrolled_at)),
            ("startedAt", c.started_at.as_ref()),
            ("completedAt", c.completed_at.as_ref()),
        ];
        for (name, stamp) in &stamps[1..] {
            if let Some(stamp) = stamp {
                self.not_future(stamp, &format!("/{name}"));
            }
        }
        // Each present timestamp must not precede the last present one before it.
        let mut previous: Option<(&str, &Timestamp)> = None;
        for (name, stamp) in stamps {
            let Some(stamp) = stamp else { continue };
            if let Some((before_name, before)) = previous {
                if stamp.datetime() < before.datetime() {
                    self.order(&format!("/{name}"), before_name, name);
                }
            }
            previous = Some((name, stamp));
        }

        let status_problem = match c.status {
            CompletionStatus::Completed if c.completed_at.is_none() => Some((
                "/completedAt",
                "a completed record needs completedAt",
                "已结业的记录须有 completedAt",
            )),
            CompletionStatus::Enrolled
            | CompletionStatus::InProgress
            | CompletionStatus::Withdrawn
                if c.completed_at.is_some() =>
            {
                Some((
                    "/completedAt",
                    "only a completed or failed record has completedAt",
                    "只有已结业或未通过的记录才有 completedAt",
                ))
            }
            CompletionStatus::Enrolled if c.started_at.is_some() => Some((
                "/startedAt",
                "an enrolled record that has started is in-progress",
                "已开始学习的记录状态应为学习中",
            )),
            CompletionStatus::Completed if c.assessment.as_ref().is_some_and(|a| !a.passed) => {
                Some((
                    "/status",
                    "a completed record's assessment must be passed",
                    "已结业记录的考核须为合格",
                ))
            }
            CompletionStatus::Failed if c.assessment.as_ref().is_some_and(|a| a.passed) => Some((
                "/status",
                "a failed record's assessment must not be passed",
                "未通过记录的考核不应为合格",
            )),
            _ => None,
        };
        if let Some((path, en, zh)) = status_problem {
            self.push(Code::CompletionStatus, path, en.into(), zh.into());
        }

        if let Some(a) = &c.assessment {
            self.not_future(&a.assessed_at, "/assessment/assessedAt");
            let (score, max) = (a.score.get(), a.max_score.get());
            if score > max {
                self.push(
                    Code::CompletionScore,
                    "/assessment/score",
                    format!("score {score} is above the maximum {max}"),
                    format!("成绩 {score} 高于满分 {max}"),
                );
            }
            if let Some(pass) = a.pass_score {
                let pass = pass.get();
                if pass > max {
                    self.push(
                        Code::CompletionScore,
                        "/assessment/passScore",
                        format!("pass mark {pass} is above the maximum {max}"),
                        format!("合格线 {pass} 高于满分 {max}"),
                    );
                } else if a.passed != (score >= pass) {
                    self.push(
                        Code::CompletionScore,
                        "/assessment/passed",
                        format!("passed is {} but the score {score} against the pass mark {pass} says otherwise", a.passed),
                        format!("passed 为 {}，但成绩 {score} 与合格线 {pass} 不符", a.passed),
                    );
                }
            }
        }

        if let Some(online) = &c.online_learning {
            let checks = online.face_checks;
            if checks.passed.0 > checks.total.0 {
                self.push(
                    Code::CompletionFaceChecks,
                    "/onlineLearning/faceChecks/passed",
                    "more face checks passed than were made".into(),
                    "人脸核验通过次数多于核验总次数".into(),
                );
            }
        }

        if let Some(end) = &c.completed_at {
            let start = c.started_at.as_ref().unwrap_or(&c.enrolled_at);
            let elapsed = (end.datetime() - start.datetime()).num_minutes().max(0);
            let per_hour = f64::from(self.profile.minutes_per_class_hour);
            let needed = c.class_hours.get() * per_hour;
            // Whole minutes can be lost to truncation at both ends.
            if needed > elapsed as f64 + 1.0 {
                self.push(
                    Code::CompletionHoursImplausible,
                    "/classHours",
                    format!(
                        "{} class hours of {per_hour} minutes need more than the {elapsed} minutes between start and completion",
                        c.class_hours
                    ),
                    format!(
                        "{} 学时（每学时 {per_hour} 分钟）超过了开始至结业之间的 {elapsed} 分钟",
                        c.class_hours
                    ),
                );
            }
            if let (Some(cap), Some(online)) =
                (self.profile.daily_study_cap_minutes, &c.online_learning)
            {
                let days = (end.datetime().date_naive() - start.datetime().date_naive())
                    .num_days()
                    .max(0)
                    + 1;
                let allowed = i64::from(cap) * days;
                if i64::from(online.study_minutes.0) > allowed {
                    self.push(
                        Code::TrainingDailyCap,
                        "/onlineLearning/studyMinutes",
                        format!("{} study minutes over {days} days exceed the cap of {cap} minutes a day", online.study_minutes.0),
                        format!("{days} 天内学习 {} 分钟，超过每日 {cap} 分钟的上限", online.study_minutes.0),
                    );
                }
            }
        }
    }

    fn certificate(&mut self, c: &Certificate) {
        self.organization(&c.issuer, "/issuer");
        self.occupation(&c.occupation, "/occupation");
        let needs_level = c.certificate_type.has_level();
        match (needs_level, c.level) {
            (true, None) => self.push(
                Code::CertificateLevel,
                "/level",
                format!("a {} certificate needs a level", c.certificate_type),
                format!("{}须注明等级", c.certificate_type.label_zh()),
            ),
            (false, Some(_)) => self.push(
                Code::CertificateLevel,
                "/level",
                format!("a {} certificate has no level", c.certificate_type),
                format!("{}不设等级", c.certificate_type.label_zh()),
            ),
            _ => {}
        }
        if let (Some(level), Some(known)) = (c.level, c.occupation.code.lookup()) {
            if !known.levels.contains(&level) {
                self.push(
                    Code::CertificateLevelUnavailable,
                    "/level",
                    format!("occupation {} has no level {level}", known.code),
                    format!(
                        "职业 {}（{}）没有{}",
                        known.code,
                        known.name_zh,
                        level.name_zh()
                    ),
                );
            }
        }
        let shape = match c.certificate_type {
            CertificateType::SkillLevel => ShapeKind::SkillLevel,
            CertificateType::VocationalQualification => ShapeKind::VocationalQualification,
            _ => ShapeKind::Other,
        };
        if let Err(e) = c
            .number
            .check_shape(shape, c.level, Some(c.issued_on.naive().year()))
        {
            self.push(
                Code::CertificateNumber,
                "/number",
                format!("certificate number: {}", e.reason()),
                format!("证书编号：{}", certificate_reason_zh(e.reason())),
            );
        }
        if c.status != CertificateStatus::Valid && c.status_reason.is_none() {
            self.push(
                Code::CertificateStatusReason,
                "/statusReason",
                format!("a {} certificate needs a statusReason", c.status),
                format!("状态为{}的证书须说明原因", c.status.label_zh()),
            );
        }
        if let Some(until) = &c.valid_until {
            if c.issued_on.naive() > until.naive() {
                self.order("/validUntil", "issuedOn", "validUntil");
            }
        }
        if c.issued_on.naive() > self.now.date_naive() {
            self.future("/issuedOn");
        }
    }

    fn organization(&mut self, org: &Organization, at: &str) {
        if !org.uscc.check_character_is_valid() && !self.profile.uscc_allow_list.contains(&org.uscc)
        {
            self.push(
                Code::UsccChecksum,
                &format!("{at}/uscc"),
                "the unified social credit code's check character is wrong".into(),
                "统一社会信用代码校验码错误".into(),
            );
        }
    }

    fn occupation(&mut self, occupation: &Occupation, at: &str) {
        let code: &OccupationCode = &occupation.code;
        if code.lookup().is_none() {
            self.push(
                Code::OccupationUnknown,
                &format!("{at}/code"),
                format!(
                    "occupation code {} is not in the domestic-service table",
                    code.as_str()
                ),
                format!("职业编码 {} 不在家政服务职业表中", code.as_str()),
            );
        }
    }

    fn not_future(&mut self, stamp: &Timestamp, path: &str) {
        let limit = self.now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES);
        if stamp.datetime() > limit {
            self.future(path);
        }
    }

    fn future(&mut self, path: &str) {
        self.push(
            Code::TimeFuture,
            path,
            "lies in the future".into(),
            "晚于当前时间".into(),
        );
    }

    fn order(&mut self, path: &str, earlier: &str, later: &str) {
        self.push(
            Code::TimeOrder,
            path,
            format!("{later} is before {earlier}"),
            format!("{later} 早于 {earlier}"),
        );
    }
}

/// Whole years from `birth` to `on` (the age on that day).
fn years_between(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    let anniversary =
        birth.checked_add_months(Months::new(12 * u32::try_from(years.max(0)).unwrap_or(0)));
    if anniversary.is_some_and(|a| a > on) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

fn nearly_equal(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn certificate_reason_zh(reason: &str) -> &'static str {
    match reason {
        "level digit disagrees with the level" => "等级位与证书等级不一致",
        "year disagrees with the issue date" => "年份位与发证日期不一致",
        _ => "不符合该类证书的编号格式",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(years_between(d("2010-03-01"), d("2026-02-28")), 15);
        assert_eq!(years_between(d("2010-03-01"), d("2026-03-01")), 16);
        assert_eq!(years_between(d("2008-02-29"), d("2024-02-28")), 15);
        assert_eq!(years_between(d("2008-02-29"), d("2024-02-29")), 16);
    }

    #[test]
    fn hours_compare_with_tolerance() {
        assert!(nearly_equal(0.1 + 0.2, 0.3));
        assert!(!nearly_equal(40.0, 40.5));
    }
}
