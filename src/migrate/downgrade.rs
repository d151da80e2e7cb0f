//! Step `v2_0_to_v1_0`: a 2.0 record becomes a 1.0 record, reporting every value it drops.
//!
//! The record is converted field by field; then the result is upgraded again and compared
//! with the original, and every value of the original that the round trip does not give back
//! is reported as dropped at its JSON Pointer. So the report lists exactly what is lost.

use chrono::{FixedOffset, NaiveDate};
use serde_json::Value;

use super::tables::{self, backward};
use super::upgrade::{
    EXT_CATEGORY, EXT_END_DATE, EXT_LEARNER_NAME, EXT_LEVEL, EXT_VERIFIED, EXT_VERIFIED_DATE,
};
use super::{Action, Issue, Note, Refusal};
use crate::ident::{
    CertificateNumber, Date, DocumentType, Extensions, IdentError, PersonName, Timestamp,
};
use crate::rules::RuleContext;
use crate::v1::{self, IdCardNo};
use crate::v2::{
    self, Certificate, CertificateStatus, CompletionStatus, Count, Decimal, DeliveryMode,
    PersonRef, Text, VerificationResult,
};
use crate::Version;

/// China Standard Time, the zone 1.0 dates are in.
const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("+08:00 is a valid offset"),
};

/// The date of `t` in China Standard Time.
fn date_of(t: &Timestamp) -> Result<Date, IdentError> {
    let day: NaiveDate = t.datetime().with_timezone(&CST).date_naive();
    Date::try_from(day)
}

fn ext_str<'a>(extensions: &'a Extensions, key: &str) -> Option<&'a str> {
    extensions.get(key).and_then(Value::as_str)
}

fn internal(e: IdentError) -> Refusal {
    Refusal::TargetInvalid {
        version: Version::V1_0,
        issues: vec![Issue {
            code: e.code(),
            path: String::new(),
        }],
    }
}

fn id_card(r: &PersonRef, at: &str) -> Result<IdCardNo, Refusal> {
    match &r.document {
        Some(d) if d.doc_type() == DocumentType::ResidentIdCard => {
            IdCardNo::try_from(d.number().as_str()).map_err(internal)
        }
        _ => Err(Refusal::NoResidentIdCard {
            path: format!("{at}/document"),
        }),
    }
}

/// Whole class hours: the fraction is dropped (and reported by the round trip).
fn hours(d: Decimal) -> Count {
    let h = d.get().floor();
    if h >= f64::from(u32::MAX) {
        Count(u32::MAX)
    } else {
        // Whole, at least 0 and below u32::MAX: exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Count(h as u32)
    }
}

fn text<const N: usize>(
    s: &str,
    path: &str,
    what_en: &'static str,
    what_zh: &'static str,
) -> Result<Text<N>, Refusal> {
    Text::new(s).map_err(|_| Refusal::Inexpressible {
        path: path.to_owned(),
        what_en,
        what_zh,
    })
}

/// Downgrade, then report what the round trip loses.
pub(crate) fn record(
    ctx: &RuleContext,
    record: &v2::Record,
) -> Result<(v1::Record, Vec<Note>), Refusal> {
    let mut notes = Vec::new();
    let out: v1::Record = match record {
        v2::Record::Person(p) => person(p, &mut notes)?.into(),
        v2::Record::Course(c) => course(c)?.into(),
        v2::Record::Completion(c) => completion(c)?.into(),
        v2::Record::Certificate(c) => certificate(c)?.into(),
    };
    let errors: Vec<Issue> = crate::v1::rule_findings(ctx, &out)
        .into_iter()
        .filter(crate::finding::Finding::is_error)
        .map(|f| Issue {
            code: f.code,
            path: f.path,
        })
        .collect();
    if !errors.is_empty() {
        return Err(Refusal::TargetInvalid {
            version: Version::V1_0,
            issues: errors,
        });
    }
    let (back, _) = super::upgrade::record(&out)?;
    let original = super::to_value(record);
    let again = super::to_value(&back);
    let mut lost = Vec::new();
    diff(&original, &again, &mut String::new(), &mut lost);
    for path in lost {
        let (en, zh) = dropped_message(&path);
        notes.push(Note::new(Action::Dropped, path, en, zh));
    }
    Ok((out, notes))
}

/// Every pointer of `a` whose value `b` lacks or differs in (timestamps compared as instants).
fn diff(a: &Value, b: &Value, at: &mut String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match b.get(key) {
                    Some(vb) => diff(va, vb, at, out),
                    None => out.push(at.clone()),
                }
                at.truncate(len);
            }
        }
        (Value::String(x), Value::String(y)) => {
            let same_instant = || {
                matches!(
                    (x.parse::<Timestamp>(), y.parse::<Timestamp>()),
                    (Ok(p), Ok(q)) if p == q
                )
            };
            if x != y && !same_instant() {
                out.push(at.clone());
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            if x.as_f64() != y.as_f64() {
                out.push(at.clone());
            }
        }
        _ => {
            if a != b {
                out.push(at.clone());
            }
        }
    }
}

/// Why a value at `path` has no place in 1.0.
fn dropped_message(path: &str) -> (&'static str, &'static str) {
    let first = path.split('/').nth(1).unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    match (first, last) {
        ("id", _) => (
            "1.0 has no record id; an upgrade derives another one from the natural key",
            "1.0 版没有记录 id；升级时将由自然键生成新的 id",
        ),
        (_, "region") => ("1.0 has no region code", "1.0 版没有行政区划代码"),
        ("birthDate", _) => (
            "1.0 has no birth date field (the ID number holds it)",
            "1.0 版没有出生日期字段（出生日期含在身份证号码中）",
        ),
        ("verification", _) => (
            "1.0 says only whether and on which day a person was verified",
            "1.0 版只记录是否认证及认证日期",
        ),
        (_, "issuingCountry") => ("1.0 has no issuing country", "1.0 版没有签发国家"),
        (_, "personId") => (
            "1.0 refers to people only by ID number",
            "1.0 版只以身份证号码指向人员",
        ),
        (_, "documentDigest") => (
            "1.0 has no document digest",
            "1.0 版没有证件摘要",
        ),
        ("course", _) => (
            "1.0 refers to the course only by its code",
            "1.0 版只以课程代码指向课程",
        ),
        ("enrolledAt" | "startedAt" | "completedAt", _) => (
            "1.0 has only start and end dates, without times of day",
            "1.0 版只有开始和结束日期，没有具体时间",
        ),
        ("assessment", _) => (
            "1.0 keeps only a score out of 100",
            "1.0 版只保留百分制成绩",
        ),
        ("classHours", _) => (
            "1.0 counts whole class hours: the fraction is dropped",
            "1.0 版学时为整数：小数部分被舍去",
        ),
        ("status", _) => (
            "1.0 has only the results 合格, 不合格 and 未完成",
            "1.0 版只有合格、不合格、未完成三种结果",
        ),
        ("extensions", _) => ("1.0 has no extensions", "1.0 版没有扩展字段"),
        ("title", _) => (
            "1.0 has only the Chinese course name",
            "1.0 版只有中文课程名称",
        ),
        ("occupation", _) => (
            "1.0 has no occupation code; an upgrade derives it from the category or occupation name",
            "1.0 版没有职业编码；升级时由服务类别或职业名称推导",
        ),
        ("serviceCategories", _) => (
            "1.0 has one category text; an upgrade reads the categories back from it",
            "1.0 版只有一个服务类别文字；升级时由其还原服务类别",
        ),
        ("deliveryMode", _) => (
            "1.0 says only whether a course is online",
            "1.0 版只记录是否线上授课",
        ),
        ("certificateType", _) => (
            "1.0 has no certificate type; an upgrade infers it from the number",
            "1.0 版没有证书类型；升级时由证书编号推定",
        ),
        ("credits" | "creditsEarned", _) => ("1.0 has no credits", "1.0 版没有学分"),
        ("ethicsHours", _) => (
            "1.0 has no ethics class hours",
            "1.0 版没有职业道德学时",
        ),
        ("modules", _) => ("1.0 courses have no modules", "1.0 版课程没有模块"),
        ("programme", _) => (
            "1.0 courses name no training programme",
            "1.0 版课程没有培训项目名称",
        ),
        ("targetLevel", _) => (
            "1.0 courses have no target level",
            "1.0 版课程没有目标等级",
        ),
        ("validFrom" | "validUntil", _) => ("1.0 has no validity dates", "1.0 版没有有效期"),
        ("evidence", _) => (
            "1.0 certificates do not list the completions they rest on",
            "1.0 版证书不列出所依据的学习记录",
        ),
        ("verificationUrl", _) => (
            "1.0 certificates have no verification address",
            "1.0 版证书没有查验网址",
        ),
        ("onlineLearning", _) => (
            "1.0 says only whether a course is online: no study minutes or face checks",
            "1.0 版只说明课程是否在线，没有学习分钟数和人脸核验结果",
        ),
        _ => (
            "1.0 has no field for this value",
            "1.0 版没有对应字段",
        ),
    }
}

fn person(p: &v2::Person, notes: &mut Vec<Note>) -> Result<v1::Person, Refusal> {
    if p.document.doc_type() != DocumentType::ResidentIdCard {
        return Err(Refusal::NoResidentIdCard {
            path: "/document".into(),
        });
    }
    let id_card_no = IdCardNo::try_from(p.document.number().as_str()).map_err(internal)?;
    let gender = match p.gender {
        Some(g) => backward(tables::GENDERS, g),
        None => None,
    };
    let gender = match gender {
        Some(g) => g,
        None => {
            notes.push(Note::new(
                Action::Derived,
                "/gender",
                "1.0 requires a gender: derived from the ID number's sex digit",
                "1.0 版要求性别：由身份证号码的性别位推导",
            ));
            backward(tables::GENDERS, id_card_no.gender()).unwrap_or(v1::Gender::Female)
        }
    };
    let (verified, verified_date) = match &p.verification {
        Some(v) => (
            v.result == VerificationResult::Passed,
            if v.result == VerificationResult::Passed {
                Some(date_of(&v.verified_at).map_err(internal)?)
            } else {
                None
            },
        ),
        None => (
            p.extensions.get(EXT_VERIFIED) == Some(&Value::Bool(true)),
            ext_str(&p.extensions, EXT_VERIFIED_DATE).and_then(|d| d.parse().ok()),
        ),
    };
    let mut out = v1::Person::new(p.name.clone(), id_card_no, gender, verified);
    out.phone = p.phone.clone();
    out.verified_date = verified_date;
    Ok(out)
}

fn course(c: &v2::Course) -> Result<v1::Course, Refusal> {
    let training_type =
        backward(tables::TRAINING_TYPES, c.training_type).ok_or(Refusal::Inexpressible {
            path: "/trainingType".into(),
            what_en: "the training type continuing-education",
            what_zh: "继续教育这一培训类型",
        })?;
    let category = match ext_str(&c.extensions, EXT_CATEGORY) {
        Some(original) => original.to_owned(),
        None => {
            let texts: Vec<&str> = c
                .service_categories
                .iter()
                .map(|&s| tables::category_text(s).unwrap_or("其他"))
                .collect();
            texts.join("、")
        }
    };
    Ok(v1::Course::new(
        c.code.clone(),
        text(
            c.title.zh_cn(),
            "/title/zh-CN",
            "a course title longer than 200 characters",
            "超过 200 个字符的课程名称",
        )?,
        text(
            &category,
            "/serviceCategories",
            "a category text longer than 100 characters",
            "超过 100 个字符的服务类别",
        )?,
        training_type,
        hours(c.class_hours),
        c.delivery_mode != DeliveryMode::Offline,
        c.provider.name.clone(),
        c.provider.uscc.clone(),
    ))
}

fn completion(c: &v2::Completion) -> Result<v1::Completion, Refusal> {
    let id_card_no = id_card(&c.learner, "/learner")?;
    let name = ext_str(&c.extensions, EXT_LEARNER_NAME)
        .and_then(|n| n.parse::<PersonName>().ok())
        .ok_or(Refusal::Missing {
            path: format!("/extensions/{EXT_LEARNER_NAME}"),
            what_en: "the learner's name, which a 2.0 completion carries only as the extension cn.dsti.v1:learnerName",
            what_zh: "学员姓名（2.0 版学习记录仅在扩展字段 cn.dsti.v1:learnerName 中携带）",
        })?;
    let code = c.course.code.clone().ok_or(Refusal::Missing {
        path: "/course/code".into(),
        what_en: "the course code",
        what_zh: "课程代码",
    })?;
    let start = c.started_at.as_ref().unwrap_or(&c.enrolled_at);
    let result = match c.status {
        CompletionStatus::Completed => v1::CompletionResult::Passed,
        CompletionStatus::Failed => v1::CompletionResult::Failed,
        _ => v1::CompletionResult::Incomplete,
    };
    let mut out = v1::Completion::new(
        id_card_no,
        name,
        code,
        c.provider.name.clone(),
        c.provider.uscc.clone(),
        date_of(start).map_err(internal)?,
        hours(c.class_hours),
        result,
    );
    out.end_date = match &c.completed_at {
        Some(t) => Some(date_of(t).map_err(internal)?),
        None => ext_str(&c.extensions, EXT_END_DATE).and_then(|d| d.parse().ok()),
    };
    out.score = match &c.assessment {
        Some(a) => {
            let (score, max) = (a.score.get(), a.max_score.get());
            let scaled = if max > 0.0 { score * 100.0 / max } else { 0.0 };
            Some(Decimal::new(scaled).map_err(internal)?)
        }
        None => None,
    };
    Ok(out)
}

fn certificate(c: &Certificate) -> Result<v1::Certificate, Refusal> {
    if c.status != CertificateStatus::Valid {
        return Err(Refusal::Inexpressible {
            path: "/status".into(),
            what_en: "a suspended or revoked certificate (1.0 would present it as valid)",
            what_zh: "暂停或撤销的证书（1.0 版会将其视为有效）",
        });
    }
    let id_card_no = id_card(&c.holder, "/holder")?;
    let from_ext = ext_str(&c.extensions, EXT_LEVEL)
        .and_then(|l| l.parse::<v1::Level>().ok())
        .filter(|l| c.level.map_or(true, |level| l.to_v2() == level));
    let level = match (from_ext, c.level) {
        (Some(l), _) => l,
        (None, Some(level)) => tables::level_text(level, c.certificate_type),
        (None, None) => {
            return Err(Refusal::Missing {
                path: "/level".into(),
                what_en: "a level",
                what_zh: "证书等级",
            })
        }
    };
    let occupation_name = c
        .occupation
        .name
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .or_else(|| {
            c.occupation
                .job_type
                .as_ref()
                .map(|j| j.as_str().to_owned())
        })
        .or_else(|| c.occupation.code.lookup().map(|o| o.name_zh.to_owned()))
        .ok_or(Refusal::Missing {
            path: "/occupation/name".into(),
            what_en: "an occupation name",
            what_zh: "职业名称",
        })?;
    let number: CertificateNumber = c.number.clone();
    Ok(v1::Certificate::new(
        number,
        id_card_no,
        c.holder_name.clone(),
        text(
            &occupation_name,
            "/occupation/name",
            "an occupation name longer than 100 characters",
            "超过 100 个字符的职业名称",
        )?,
        level,
        c.issued_on.clone(),
        c.issuer.name.clone(),
        c.issuer.uscc.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::dropped_message;

    /// Each field 1.0 cannot hold has its own reason, in both languages; only a field the
    /// table does not name gets the generic one. (Which fields a downgrade drops is tested on
    /// whole records in `tests/it/migration_rules.rs`; some drops, such as `certificateType`
    /// or part of `serviceCategories`, need records no vector has.)
    #[test]
    fn every_field_has_its_reason() {
        let cases = [
            ("/id", "record id"),
            ("/provider/region", "region code"),
            ("/birthDate", "birth date"),
            ("/verification/method", "verified"),
            ("/document/issuingCountry", "issuing country"),
            ("/learner/personId", "by ID number"),
            ("/holder/documentDigest", "document digest"),
            ("/course/title", ""),
            ("/enrolledAt", ""),
            ("/assessment/method", ""),
            ("/classHours", ""),
            ("/status", ""),
            ("/extensions/org.example:x", ""),
            ("/title/en", ""),
            ("/occupation/jobType", ""),
            ("/serviceCategories/1", ""),
            ("/deliveryMode", ""),
            ("/certificateType", "certificate type"),
            ("/credits", "credits"),
            ("/creditsEarned", "credits"),
            ("/ethicsHours", "ethics"),
            ("/modules/0/topic", "modules"),
            ("/programme", "programme"),
            ("/targetLevel", "target level"),
            ("/validFrom", "validity"),
            ("/validUntil", "validity"),
            ("/evidence/0", "completions"),
            ("/verificationUrl", "verification address"),
            ("/onlineLearning/studyMinutes", "online"),
        ];
        let (generic_en, _) = dropped_message("/no-such-field");
        let mut seen = std::collections::BTreeSet::new();
        for (path, words) in cases {
            let (en, zh) = dropped_message(path);
            assert_ne!(en, generic_en, "{path}");
            assert!(en.contains(words), "{path}: {en}");
            assert!(!zh.is_empty(), "{path}");
            seen.insert(en);
        }
        // Reasons are per field, not one text for all.
        assert!(seen.len() >= 20, "{}", seen.len());
    }
}
