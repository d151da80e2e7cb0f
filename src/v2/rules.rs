//! The semantic rules of DSTI 2.0: what a schema cannot say, in a
//! [`RuleContext`].
//!
//! They run on typed records, so every identifier in them has already passed its own checks;
//! what is left relates fields to each other, to the profile and to "now".

use chrono::{Datelike, NaiveDate};

use super::{
    Batch, Certificate, CertificateStatus, CertificateType, Completion, CompletionStatus, Course,
    Decimal, Occupation, Organization, Person, PersonRef, Record, TrainingType,
};
use crate::finding::Finding;
use crate::ident::{Date, IdDocument, OccupationCode, ShapeKind, Timestamp};
use crate::rules::{age_in_years, date_in_china, hundredths, RuleContext};
use crate::text::Lang;
use crate::Code;

/// The rules of one record in one context, and where their findings go.
pub(crate) struct Rules<'a> {
    pub(crate) ctx: &'a RuleContext,
    pub(crate) out: Vec<Finding>,
}

/// Every semantic finding of a typed 2.0 record, appended to `out`.
pub(crate) fn check(ctx: &RuleContext, record: &Record, out: &mut Vec<Finding>) {
    let mut rules = Rules {
        ctx,
        out: std::mem::take(out),
    };
    rules.record(record);
    *out = rules.out;
}

/// Every semantic finding of a typed 2.0 batch envelope, appended to `out`.
pub(crate) fn check_envelope(ctx: &RuleContext, batch: &Batch, out: &mut Vec<Finding>) {
    let mut rules = Rules {
        ctx,
        out: std::mem::take(out),
    };
    rules.batch_envelope(batch);
    *out = rules.out;
}

impl Rules<'_> {
    pub(crate) fn push(&mut self, code: Code, path: &str, en: String, zh: String) {
        let message = match self.ctx.lang {
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

    pub(crate) fn person(&mut self, p: &Person) {
        self.document_birth(&p.document, "");
        if let Some(stated) = &p.birth_date {
            self.birth_not_future(stated.naive(), "/birthDate");
        }
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
                let verified_on = date_in_china(v.verified_at.datetime());
                if age_in_years(birth, verified_on) < 16 {
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

    pub(crate) fn course(&mut self, c: &Course) {
        self.organization(&c.provider, "/provider");
        self.occupation(&c.occupation, "/occupation");
        self.precision(c.class_hours, "/classHours");
        for (i, m) in c.modules.as_deref().unwrap_or_default().iter().enumerate() {
            // The path is built only for a finding: no allocation per module on the hot path.
            if !m.class_hours.is_hundredths() {
                self.precision(m.class_hours, &format!("/modules/{i}/classHours"));
            }
        }
        if let Some(ethics) = c.ethics_hours {
            self.precision(ethics, "/ethicsHours");
        }
        let hours = c.class_hours.get();
        if let Some(modules) = c.modules.as_deref().filter(|m| !m.is_empty()) {
            let sum: f64 = modules.iter().map(|m| m.class_hours.get()).sum();
            if hundredths(sum) != hundredths(hours) {
                self.push(
                    Code::CourseHoursSum,
                    "/modules",
                    format!("the modules add up to {sum} class hours, the course has {hours}"),
                    format!("各模块学时之和为 {sum}，课程学时为 {hours}"),
                );
            }
        }
        if let Some(ethics) = c.ethics_hours {
            if hundredths(ethics.get()) > hundredths(hours) {
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
                .filter_map(|&cat| self.ctx.profile.pre_job_minimum(cat).map(|min| (cat, min)))
                .find(|(_, min)| hours < min.get());
            if let Some((category, min)) = lacking {
                let profile = &self.ctx.profile.profile;
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

    pub(crate) fn completion(&mut self, c: &Completion) {
        self.organization(&c.provider, "/provider");
        self.precision(c.class_hours, "/classHours");
        self.person_ref(&c.learner, "/learner");
        self.not_future(&c.enrolled_at, "/enrolledAt");
        // (name, pointer, value): the pointers are constants, so no path is built per record.
        let stamps = [
            ("enrolledAt", "/enrolledAt", Some(&c.enrolled_at)),
            ("startedAt", "/startedAt", c.started_at.as_ref()),
            ("completedAt", "/completedAt", c.completed_at.as_ref()),
        ];
        for (_, path, stamp) in &stamps[1..] {
            if let Some(stamp) = stamp {
                self.not_future(stamp, path);
            }
        }
        // Each present timestamp must not precede the last present one before it.
        let mut previous: Option<(&str, &Timestamp)> = None;
        for (name, path, stamp) in stamps {
            let Some(stamp) = stamp else { continue };
            if let Some((before_name, before)) = previous {
                if stamp.datetime() < before.datetime() {
                    self.order(path, before_name, name);
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
            let span = (end.datetime() - start.datetime()).num_seconds();
            let required = self.ctx.required_seconds(c.class_hours.get());
            let per_hour = self.ctx.profile.minutes_per_class_hour;
            // A negative span is `time.order` alone.
            if span >= 0 && required > span {
                self.push(
                    Code::CompletionHoursImplausible,
                    "/classHours",
                    format!(
                        "{} class hours of {per_hour} minutes need {required} seconds, more than the {span} seconds between start and completion",
                        c.class_hours
                    ),
                    format!(
                        "{} 学时（每学时 {per_hour} 分钟）需 {required} 秒，超过了开始至结业之间的 {span} 秒",
                        c.class_hours
                    ),
                );
            }
            if let (Some(cap), Some(online)) =
                (self.ctx.profile.daily_study_cap_minutes, &c.online_learning)
            {
                let days = (date_in_china(end.datetime()) - date_in_china(start.datetime()))
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

    pub(crate) fn certificate(&mut self, c: &Certificate) {
        self.organization(&c.issuer, "/issuer");
        self.person_ref(&c.holder, "/holder");
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
            let (en, zh) = match (c.level, c.number.level_digit(shape)) {
                (Some(level), Some(digit)) if level.grade_digit() != digit => {
                    level_digit_message(shape, digit, level)
                }
                _ => (
                    format!("certificate number: {}", e.reason()),
                    format!("证书编号：{}", certificate_reason_zh(e.reason())),
                ),
            };
            self.push(Code::CertificateNumber, "/number", en, zh);
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
        self.date_not_future(&c.issued_on, "/issuedOn");
    }

    /// The birth date inside a referenced person's document.
    pub(crate) fn person_ref(&mut self, r: &PersonRef, at: &str) {
        if let Some(document) = &r.document {
            self.document_birth(document, at);
        }
    }

    /// The birth date inside an ID number is not after today. `at` is
    /// the pointer of the object that holds `document` (the path is built only for a finding).
    fn document_birth(&mut self, document: &IdDocument, at: &str) {
        if document
            .birth_date()
            .is_some_and(|b| self.ctx.date_in_future(b))
        {
            self.push(
                Code::IdNumberBirthdate,
                &format!("{at}/document/number"),
                "identity document number: the birth date lies in the future".into(),
                "证件号码中的出生日期晚于今天".into(),
            );
        }
    }

    /// A stated birth date is not after today.
    fn birth_not_future(&mut self, date: NaiveDate, at: &str) {
        if self.ctx.date_in_future(date) {
            self.push(
                Code::IdNumberBirthdate,
                at,
                "the birth date lies in the future".into(),
                "出生日期晚于今天".into(),
            );
        }
    }

    /// A date is in the future when it is after today (+08:00).
    pub(crate) fn date_not_future(&mut self, date: &Date, at: &str) {
        if self.ctx.date_in_future(date.naive()) {
            self.future(at);
        }
    }

    pub(crate) fn organization(&mut self, org: &Organization, at: &str) {
        if self.ctx.uscc_listed(&org.uscc) {
            return;
        }
        if !org.uscc.positions_are_valid() {
            self.push(
                Code::UsccFormat,
                &format!("{at}/uscc"),
                "the unified social credit code's first character is 0 or its characters 3 to 8 are not all digits".into(),
                "统一社会信用代码第 1 位为 0 或第 3–8 位不全是数字".into(),
            );
        }
        if !org.uscc.check_character_is_valid() {
            self.push(
                Code::UsccChecksum,
                &format!("{at}/uscc"),
                "the unified social credit code's check character is wrong".into(),
                "统一社会信用代码校验码错误".into(),
            );
        }
    }

    pub(crate) fn occupation(&mut self, occupation: &Occupation, at: &str) {
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

    /// Class hours have at most two decimal places.
    fn precision(&mut self, hours: Decimal, path: &str) {
        if !hours.is_hundredths() {
            self.push(
                Code::NumberPrecision,
                path,
                format!("{hours} class hours have more than two decimal places"),
                format!("学时 {hours} 的小数位数超过两位"),
            );
        }
    }

    fn not_future(&mut self, stamp: &Timestamp, path: &str) {
        if self.ctx.instant_in_future(stamp.datetime()) {
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

    pub(crate) fn order(&mut self, path: &str, earlier: &str, later: &str) {
        self.push(
            Code::TimeOrder,
            path,
            format!("{later} is before {earlier}"),
            format!("{later} 早于 {earlier}"),
        );
    }
}

/// Which level a certificate number's level digit means, and which digit the level needs.
fn level_digit_message(
    shape: ShapeKind,
    digit: u8,
    level: crate::ident::Level,
) -> (String, String) {
    let position = match shape {
        ShapeKind::VocationalQualification => 11,
        _ => 16,
    };
    let (means_en, means_zh) = match crate::ident::Level::from_grade_digit(digit) {
        Some(l) => (format!("means level {l}"), format!("表示{}", l.name_zh())),
        None => ("is no level".to_owned(), "不对应任何等级".to_owned()),
    };
    (
        format!(
            "certificate number: level digit disagrees with the level: character {position} is {digit}, which {means_en}; level {level} is digit {} (5 junior … 1 senior technician)",
            level.grade_digit()
        ),
        format!(
            "证书编号：等级位与证书等级不一致：第 {position} 位为 {digit}，{means_zh}；证书等级{}对应 {}（5 为五级/初级工 … 1 为一级/高级技师）",
            level.name_zh(),
            level.grade_digit()
        ),
    )
}

fn certificate_reason_zh(reason: &str) -> &'static str {
    match reason {
        "level digit disagrees with the level" => "等级位与证书等级不一致",
        "year disagrees with the issue date" => "年份位与发证日期不一致",
        _ => "不符合该类证书的编号格式",
    }
}
