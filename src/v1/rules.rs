//! The semantic rules of 1.0: the 2.0 rules that 1.0's fields can break, with the same codes,
//! in the same [`RuleContext`] (profile, "now", language) as 2.0.

use chrono::{Datelike, NaiveDate};

use super::{Certificate, Completion, CompletionResult, Course, IdCardNo, Person, Record};
use crate::finding::Finding;
use crate::ident::{Date, ShapeKind, Uscc};
use crate::rules::{age_in_years, RuleContext};
use crate::Code;

/// Seconds in the 1.0 span of one day: `startDate`T00:00:00+08:00 to `endDate`T23:59:59+08:00
/// is `days × 86 400 − 1` seconds.
const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

struct Out<'a> {
    ctx: &'a RuleContext,
    findings: &'a mut Vec<Finding>,
}

impl Out<'_> {
    fn push(&mut self, code: Code, path: &str, en: &str, zh: &str) {
        self.findings
            .push(Finding::new(code, path, self.ctx.lang.pick(en, zh)));
    }

    fn uscc(&mut self, code: &Uscc) {
        if self.ctx.uscc_listed(code) {
            return;
        }
        if !code.positions_are_valid() {
            self.push(
                Code::UsccFormat,
                "/orgCode",
                "unified social credit code: the first character is 0 or characters 3 to 8 are not all digits",
                "统一社会信用代码第 1 位为 0 或第 3–8 位不全是数字",
            );
        }
        if !code.check_character_is_valid() {
            self.push(
                Code::UsccChecksum,
                "/orgCode",
                "unified social credit code: check character is wrong",
                "统一社会信用代码校验码错误",
            );
        }
    }

    /// The birth date inside the ID number is not after today.
    fn birth(&mut self, number: &IdCardNo) {
        if number
            .birth_date()
            .is_some_and(|b| self.ctx.date_in_future(b))
        {
            self.push(
                Code::IdNumberBirthdate,
                "/idCardNo",
                "ID card number: the birth date lies in the future",
                "身份证号码中的出生日期晚于今天",
            );
        }
    }

    /// A date is in the future when it is after today (+08:00).
    fn not_future(&mut self, date: &Date, path: &str) {
        if self.ctx.date_in_future(date.naive()) {
            self.push(Code::TimeFuture, path, "lies in the future", "晚于当前时间");
        }
    }
}

/// Every finding of the rules on `record`, appended to `findings`.
pub(crate) fn check(ctx: &RuleContext, record: &Record, findings: &mut Vec<Finding>) {
    let mut out = Out { ctx, findings };
    match record {
        Record::Person(p) => person(p, &mut out),
        Record::Course(c) => course(c, &mut out),
        Record::Completion(c) => completion(c, &mut out),
        Record::Certificate(c) => certificate(c, &mut out),
    }
}

fn person(p: &Person, out: &mut Out<'_>) {
    out.birth(&p.id_card_no);
    if let Some(date) = &p.verified_date {
        out.not_future(date, "/verifiedDate");
    }
    let inside = p.id_card_no.gender();
    let stated = match p.gender {
        super::Gender::Male => crate::ident::Gender::Male,
        super::Gender::Female => crate::ident::Gender::Female,
    };
    if inside != stated {
        out.push(
            Code::PersonGenderMismatch,
            "/gender",
            "gender disagrees with the ID number's sex digit",
            "gender 与身份证号码的性别位不一致",
        );
    }
    if let (true, Some(date), Some(birth)) =
        (p.verified, &p.verified_date, p.id_card_no.birth_date())
    {
        if age_in_years(birth, date.naive()) < 16 {
            out.push(
                Code::PersonAge,
                "/verifiedDate",
                "the person was younger than 16 when verified",
                "实名认证时该人员未满 16 周岁",
            );
        }
    }
}

fn course(c: &Course, out: &mut Out<'_>) {
    out.uscc(&c.org_code);
}

fn completion(c: &Completion, out: &mut Out<'_>) {
    out.uscc(&c.org_code);
    out.birth(&c.id_card_no);
    out.not_future(&c.start_date, "/startDate");
    if let Some(end) = &c.end_date {
        out.not_future(end, "/endDate");
        if end.naive() < c.start_date.naive() {
            out.push(
                Code::TimeOrder,
                "/endDate",
                "endDate is before startDate",
                "endDate 早于 startDate",
            );
        } else {
            let span = span_seconds(c.start_date.naive(), end.naive());
            let required = out.ctx.required_seconds(f64::from(c.hours.0));
            if required > span {
                out.push(
                    Code::CompletionHoursImplausible,
                    "/hours",
                    "more class hours earned than the days from startDate to endDate hold",
                    "获得学时超过开始至结束日期之间所能容纳的学时",
                );
            }
        }
    }
    if c.score.is_some_and(|s| s.get() > 100.0) {
        out.push(
            Code::CompletionScore,
            "/score",
            "the score is above 100",
            "成绩高于 100 分",
        );
    }
    if c.result == CompletionResult::Passed && c.end_date.is_none() {
        out.push(
            Code::CompletionStatus,
            "/endDate",
            "a passed (合格) record needs endDate",
            "结果为合格的记录须有 endDate",
        );
    }
}

/// Seconds from `start`T00:00:00 to `end`T23:59:59 (+08:00), for `start <= end`.
fn span_seconds(start: NaiveDate, end: NaiveDate) -> i64 {
    ((end - start).num_days() + 1) * SECONDS_PER_DAY - 1
}

fn certificate(c: &Certificate, out: &mut Out<'_>) {
    out.uscc(&c.org_code);
    // Levels per occupation, through the occupation the name maps to.
    let known =
        crate::ident::occupation_named(c.occupation_name.as_str()).and_then(|n| n.occupation());
    if known.is_some_and(|o| !o.levels.contains(&c.level.to_v2())) {
        out.push(
            Code::CertificateLevelUnavailable,
            "/level",
            "the occupation has no such level in its national skill standard",
            "该职业的国家职业技能标准没有此等级",
        );
    }
    out.birth(&c.id_card_no);
    out.not_future(&c.issue_date, "/issueDate");
    let shape = [ShapeKind::SkillLevel, ShapeKind::VocationalQualification]
        .into_iter()
        .find(|&k| c.cert_no.level_digit(k).is_some());
    if let Some(shape) = shape {
        let checked = c.cert_no.check_shape(
            shape,
            Some(c.level.to_v2()),
            Some(c.issue_date.naive().year()),
        );
        if let Err(e) = checked {
            out.push(
                Code::CertificateNumber,
                "/certNo",
                &format!("certificate number: {}", e.reason()),
                "证书编号中的等级位或年份与等级或发证日期不符",
            );
        }
    }
}
