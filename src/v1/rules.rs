//! The semantic rules of 1.0: the 2.0 rules that 1.0's fields can break, with the same codes.

use chrono::{Datelike, NaiveDate};

use super::{Certificate, Completion, CompletionResult, Course, Person, Record};
use crate::finding::Finding;
use crate::ident::{ShapeKind, Uscc};
use crate::text::Lang;
use crate::Code;

/// Minutes per class hour for `completion.hours-implausible`: the default profile's.
fn minutes_per_class_hour() -> u32 {
    crate::validate::Profile::default().minutes_per_class_hour
}

struct Out {
    lang: Lang,
    findings: Vec<Finding>,
}

impl Out {
    fn push(&mut self, code: Code, path: &str, en: &str, zh: &str) {
        self.findings
            .push(Finding::new(code, path, self.lang.pick(en, zh)));
    }

    fn uscc(&mut self, code: &Uscc) {
        if !code.check_character_is_valid() {
            self.push(
                Code::UsccChecksum,
                "/orgCode",
                "unified social credit code: check character is wrong",
                "统一社会信用代码校验码错误",
            );
        }
    }
}

/// Every finding of the rules on `record`.
pub(super) fn check(record: &Record, lang: Lang) -> Vec<Finding> {
    let mut out = Out {
        lang,
        findings: Vec::new(),
    };
    match record {
        Record::Person(p) => person(p, &mut out),
        Record::Course(c) => course(c, &mut out),
        Record::Completion(c) => completion(c, &mut out),
        Record::Certificate(c) => certificate(c, &mut out),
    }
    out.findings
}

/// Whole years from `birth` to `on`.
fn years_between(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

fn person(p: &Person, out: &mut Out) {
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
        if years_between(birth, date.naive()) < 16 {
            out.push(
                Code::PersonAge,
                "/verifiedDate",
                "the person was younger than 16 when verified",
                "实名认证时该人员未满 16 周岁",
            );
        }
    }
}

fn course(c: &Course, out: &mut Out) {
    out.uscc(&c.org_code);
}

fn completion(c: &Completion, out: &mut Out) {
    out.uscc(&c.org_code);
    if let Some(end) = &c.end_date {
        if end.naive() < c.start_date.naive() {
            out.push(
                Code::TimeOrder,
                "/endDate",
                "endDate is before startDate",
                "endDate 早于 startDate",
            );
        } else {
            let days = (end.naive() - c.start_date.naive()).num_days() + 1;
            let needed = u64::from(c.hours.0) * u64::from(minutes_per_class_hour());
            if needed > u64::try_from(days * 24 * 60).unwrap_or(0) {
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

fn certificate(c: &Certificate, out: &mut Out) {
    out.uscc(&c.org_code);
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
