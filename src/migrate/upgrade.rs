//! Step `v1_0_to_v2_0`: a 1.0 record becomes a 2.0 record.

use serde_json::Value;

use super::tables::{self, forward};
use super::{record_id, Action, Note, Refusal};
use crate::ident::{
    Date, DocumentType, ExtensionKey, Extensions, IdDocument, IdentError, LocalizedText, Timestamp,
};
use crate::v1::{self, CompletionResult};
use crate::v2::{
    self, Assessment, AssessmentMethod, Certificate, CertificateStatus, CertificateType,
    Completion, Course, CourseRef, Decimal, NonEmpty, Occupation, Organization, Person, PersonRef,
    ServiceCategory, Verification, VerificationMethod, VerificationResult,
};
use crate::Code;

/// The namespace of the extension keys that carry 1.0 values 2.0 has no field for.
pub(crate) const EXT_CATEGORY: &str = "cn.dsti.v1:category";
pub(crate) const EXT_LEVEL: &str = "cn.dsti.v1:level";
pub(crate) const EXT_LEARNER_NAME: &str = "cn.dsti.v1:learnerName";
pub(crate) const EXT_END_DATE: &str = "cn.dsti.v1:endDate";
pub(crate) const EXT_VERIFIED: &str = "cn.dsti.v1:verified";
pub(crate) const EXT_VERIFIED_DATE: &str = "cn.dsti.v1:verifiedDate";

/// A conversion that cannot fail for a valid record; if it does, the record is refused.
fn internal(e: IdentError) -> Refusal {
    Refusal::Invalid {
        version: crate::Version::V1_0,
        issues: vec![super::Issue {
            code: e.code(),
            path: String::new(),
        }],
    }
}

/// `date` at `00:00:00+08:00`.
pub(crate) fn start_of(date: &Date) -> Result<Timestamp, IdentError> {
    format!("{}T00:00:00+08:00", date.as_str()).parse()
}

/// `date` at `23:59:59+08:00`.
pub(crate) fn end_of(date: &Date) -> Result<Timestamp, IdentError> {
    format!("{}T23:59:59+08:00", date.as_str()).parse()
}

fn ext(extensions: &mut Extensions, key: &str, value: Value) {
    if let Ok(key) = key.parse::<ExtensionKey>() {
        extensions.insert(key, value);
    }
}

struct Notes(Vec<Note>);

impl Notes {
    fn add(&mut self, action: Action, path: &str, en: &str, zh: &str) {
        self.0.push(Note::new(action, path, en, zh));
    }

    fn id(&mut self, key_en: &str, key_zh: &str) {
        self.add(
            Action::Derived,
            "/id",
            &format!("1.0 has no id: UUID v5 of the natural key {key_en}"),
            &format!("1.0 版没有 id：由自然键 {key_zh} 生成 UUID v5"),
        );
    }

    fn document(&mut self, at: &str, number: &v1::IdCardNo) {
        self.add(
            Action::Mapped,
            at,
            "idCardNo becomes a resident-id-card document",
            "idCardNo 转为居民身份证证件",
        );
        if number.is_15() {
            self.add(
                Action::Derived,
                &format!("{at}/number"),
                "the 15-digit ID number is lengthened to 18: century 19 (18 for sequence codes 996-999) and the computed check character",
                "15 位身份证号码升为 18 位：补世纪 19（顺序码 996–999 补 18）并计算校验码",
            );
        }
    }

    fn organization(&mut self, at: &str) {
        self.add(
            Action::Mapped,
            at,
            "orgName and orgCode become an organization",
            "orgName、orgCode 转为单位对象",
        );
    }
}

fn document(number: &v1::IdCardNo) -> Result<IdDocument, IdentError> {
    IdDocument::new(DocumentType::ResidentIdCard, number.to_18().parse()?, None)
}

fn person_key(number: &v1::IdCardNo) -> String {
    format!("person:{}", number.to_18())
}

fn person_ref(number: &v1::IdCardNo) -> Result<PersonRef, IdentError> {
    let mut r = PersonRef::by_id(record_id(&person_key(number)));
    r.document = Some(document(number)?);
    Ok(r)
}

/// Upgrade without checking the 1.0 rules (the caller has).
pub(crate) fn record(record: &v1::Record) -> Result<(v2::Record, Vec<Note>), Refusal> {
    let mut notes = Notes(Vec::new());
    let out = match record {
        v1::Record::Person(p) => person(p, &mut notes).map(v2::Record::from),
        v1::Record::Course(c) => course(c, &mut notes).map(v2::Record::from),
        v1::Record::Completion(c) => completion(c, &mut notes).map(v2::Record::from),
        v1::Record::Certificate(c) => certificate(c, &mut notes).map(v2::Record::from),
    }
    .map_err(internal)?;
    Ok((out, notes.0))
}

fn person(p: &v1::Person, notes: &mut Notes) -> Result<Person, IdentError> {
    let mut out = Person::new(
        record_id(&person_key(&p.id_card_no)),
        p.name.clone(),
        document(&p.id_card_no)?,
    );
    notes.id("person:<ID number>", "person:<身份证号码>");
    notes.document("/document", &p.id_card_no);
    out.gender = forward(tables::GENDERS, p.gender);
    notes.add(
        Action::Mapped,
        "/gender",
        "男/女 becomes male/female",
        "男/女 转为 male/female",
    );
    out.phone = p.phone.clone();
    match (p.verified, &p.verified_date) {
        (true, Some(date)) => {
            out.verification = Some(Verification::new(
                VerificationMethod::Other,
                start_of(date)?,
                VerificationResult::Passed,
            ));
            notes.add(
                Action::Derived,
                "/verification",
                "verified becomes a passed verification",
                "verified 转为核验通过",
            );
            notes.add(
                Action::Assumed,
                "/verification/method",
                "1.0 does not say how the person was verified: method other",
                "1.0 版未说明核验方式：记为 other",
            );
            notes.add(
                Action::Assumed,
                "/verification/verifiedAt",
                "verifiedDate is a date: assumed 00:00:00 China Standard Time (+08:00)",
                "verifiedDate 只有日期：假定为北京时间（+08:00）00:00:00",
            );
        }
        (true, None) => {
            ext(&mut out.extensions, EXT_VERIFIED, Value::Bool(true));
            notes.add(
                Action::Kept,
                &format!("/extensions/{EXT_VERIFIED}"),
                "verified without verifiedDate: 2.0 needs a verification time, so the flag is kept as an extension",
                "verified 为 true 但没有 verifiedDate：2.0 版核验须有时间，故保留为扩展字段",
            );
        }
        (false, date) => {
            notes.add(
                Action::Mapped,
                "/verification",
                "verified is false: no verification",
                "verified 为 false：不生成核验信息",
            );
            if let Some(date) = date {
                ext(
                    &mut out.extensions,
                    EXT_VERIFIED_DATE,
                    Value::String(date.as_str().to_owned()),
                );
                notes.add(
                    Action::Kept,
                    &format!("/extensions/{EXT_VERIFIED_DATE}"),
                    "verifiedDate of a person not verified is kept as an extension",
                    "未认证人员的 verifiedDate 保留为扩展字段",
                );
            }
        }
    }
    Ok(out)
}

/// The service categories and occupation of a 1.0 category text, and whether the text is
/// the canonical spelling of those categories.
pub(crate) fn categories(
    text: &str,
) -> (
    Vec<ServiceCategory>,
    &'static str,
    Option<&'static str>,
    bool,
) {
    let rows: Vec<Option<&tables::CategoryRow>> = match tables::category(text) {
        Some(row) => vec![Some(row)],
        None => text
            .split(tables::CATEGORY_SEPARATORS)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(tables::category)
            .collect(),
    };
    let mut categories = Vec::new();
    for row in &rows {
        let c = row.map_or(ServiceCategory::Other, |r| r.category);
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    if categories.is_empty() {
        categories.push(ServiceCategory::Other);
    }
    let first = rows.iter().flatten().next();
    let code = first.map_or(tables::UNMAPPED_CATEGORY_OCCUPATION, |r| r.occupation);
    let job_type = first.and_then(|r| r.job_type);
    let canonical = categories
        .iter()
        .map(|&c| tables::category_text(c))
        .collect::<Option<Vec<_>>>()
        .is_some_and(|texts| texts.join("、") == text);
    (categories, code, job_type, canonical)
}

fn organization(name: &v2::Text<200>, code: &crate::ident::Uscc) -> Organization {
    Organization::new(name.clone(), code.clone())
}

fn course(c: &v1::Course, notes: &mut Notes) -> Result<Course, IdentError> {
    let (categories, code, job_type, canonical) = categories(c.category.as_str());
    let mut occupation = Occupation::new(code.parse()?);
    occupation.job_type = job_type.map(str::parse).transpose()?;
    let mapped = !categories.contains(&ServiceCategory::Other);
    let training_type = forward(tables::TRAINING_TYPES, c.training_type)
        .ok_or_else(|| IdentError::new(Code::SchemaEnum, "training type", "not in the table"))?;
    let mut out = Course::new(
        record_id(&format!(
            "course:{}:{}",
            c.org_code.as_str(),
            c.course_code.as_str()
        )),
        c.course_code.clone(),
        LocalizedText::new(c.course_name.as_str())?,
        organization(&c.org_name, &c.org_code),
        occupation,
        NonEmpty::new(categories).unwrap_or_else(|| NonEmpty::one(ServiceCategory::Other)),
        training_type,
        tables::delivery_mode(c.online),
        Decimal::from(c.hours.0),
    );
    notes.id(
        "course:<orgCode>:<courseCode>",
        "course:<orgCode>:<courseCode>",
    );
    notes.add(
        Action::Mapped,
        "/title",
        "courseName becomes the zh-CN title",
        "courseName 转为 zh-CN 课程名称",
    );
    notes.organization("/provider");
    if mapped {
        notes.add(
            Action::Mapped,
            "/serviceCategories",
            "the category text becomes service categories through the category table",
            "按类别对照表将服务类别文字转为服务类别代码",
        );
        notes.add(
            Action::Derived,
            "/occupation",
            "the occupation is derived from the category through the category table",
            "按类别对照表由服务类别推导职业",
        );
    } else {
        notes.add(
            Action::Mapped,
            "/serviceCategories",
            "the category text (or part of it) is in no row of the category table: other",
            "服务类别文字（或其一部分）不在类别对照表中：记为 other",
        );
        notes.add(
            Action::Assumed,
            "/occupation",
            "no occupation can be derived from the category: assumed 4-10-01-06 housekeeping service worker",
            "无法由服务类别推导职业：假定为 4-10-01-06 家政服务员",
        );
    }
    if !canonical {
        ext(
            &mut out.extensions,
            EXT_CATEGORY,
            Value::String(c.category.as_str().to_owned()),
        );
        notes.add(
            Action::Kept,
            &format!("/extensions/{EXT_CATEGORY}"),
            "the original category text is kept as an extension",
            "原服务类别文字保留为扩展字段",
        );
    }
    notes.add(
        Action::Mapped,
        "/trainingType",
        "the Chinese training type becomes its code",
        "培训类型中文值转为代码",
    );
    notes.add(
        Action::Mapped,
        "/deliveryMode",
        "online true/false becomes delivery mode online/offline",
        "online 的 true/false 转为授课方式 online/offline",
    );
    notes.add(
        Action::Mapped,
        "/classHours",
        "hours becomes classHours",
        "hours 转为 classHours",
    );
    Ok(out)
}

fn completion(c: &v1::Completion, notes: &mut Notes) -> Result<Completion, IdentError> {
    let status = forward(tables::RESULTS, c.result)
        .ok_or_else(|| IdentError::new(Code::SchemaEnum, "result", "not in the table"))?;
    let key = format!(
        "completion:{}:{}:{}:{}",
        c.org_code.as_str(),
        c.course_code.as_str(),
        c.id_card_no.to_18(),
        c.start_date.as_str()
    );
    let mut course = CourseRef::new(record_id(&format!(
        "course:{}:{}",
        c.org_code.as_str(),
        c.course_code.as_str()
    )));
    course.code = Some(c.course_code.clone());
    let start = start_of(&c.start_date)?;
    let mut out = Completion::new(
        record_id(&key),
        person_ref(&c.id_card_no)?,
        course,
        organization(&c.org_name, &c.org_code),
        status,
        start.clone(),
        Decimal::from(c.hours.0),
    );
    out.started_at = Some(start.clone());
    notes.id(
        "completion:<orgCode>:<courseCode>:<ID number>:<startDate>",
        "completion:<orgCode>:<courseCode>:<身份证号码>:<startDate>",
    );
    notes.add(
        Action::Derived,
        "/learner/personId",
        "the learner's person id is the UUID v5 of person:<ID number>",
        "学员的人员 id 为 person:<身份证号码> 的 UUID v5",
    );
    notes.document("/learner/document", &c.id_card_no);
    ext(
        &mut out.extensions,
        EXT_LEARNER_NAME,
        Value::String(c.name.as_str().to_owned()),
    );
    notes.add(
        Action::Kept,
        &format!("/extensions/{EXT_LEARNER_NAME}"),
        "2.0 completions carry no name: the learner's name is kept as an extension",
        "2.0 版学习记录不含姓名：学员姓名保留为扩展字段",
    );
    notes.add(
        Action::Derived,
        "/course/id",
        "the course id is the UUID v5 of course:<orgCode>:<courseCode>",
        "课程 id 为 course:<orgCode>:<courseCode> 的 UUID v5",
    );
    notes.organization("/provider");
    notes.add(
        Action::Mapped,
        "/status",
        "result 合格/不合格/未完成 becomes status completed/failed/in-progress",
        "结果 合格/不合格/未完成 转为 completed/failed/in-progress",
    );
    notes.add(
        Action::Assumed,
        "/enrolledAt",
        "1.0 has no enrolment date: assumed startDate at 00:00:00 China Standard Time (+08:00)",
        "1.0 版没有报名日期：假定为 startDate 北京时间（+08:00）00:00:00",
    );
    notes.add(
        Action::Assumed,
        "/startedAt",
        "startDate is a date: assumed 00:00:00 China Standard Time (+08:00)",
        "startDate 只有日期：假定为北京时间（+08:00）00:00:00",
    );
    let finished = matches!(
        c.result,
        CompletionResult::Passed | CompletionResult::Failed
    );
    if let Some(end) = &c.end_date {
        if finished {
            out.completed_at = Some(end_of(end)?);
            notes.add(
                Action::Assumed,
                "/completedAt",
                "endDate is a date: assumed the end of that day, 23:59:59 China Standard Time (+08:00)",
                "endDate 只有日期：假定为当日北京时间（+08:00）23:59:59",
            );
        } else {
            ext(
                &mut out.extensions,
                EXT_END_DATE,
                Value::String(end.as_str().to_owned()),
            );
            notes.add(
                Action::Kept,
                &format!("/extensions/{EXT_END_DATE}"),
                "an unfinished (未完成) record has no completedAt in 2.0: endDate is kept as an extension",
                "未完成的记录在 2.0 版中没有 completedAt：endDate 保留为扩展字段",
            );
        }
    }
    notes.add(
        Action::Mapped,
        "/classHours",
        "hours becomes classHours",
        "hours 转为 classHours",
    );
    if let Some(score) = c.score {
        let assessed_at = match &c.end_date {
            Some(end) => end_of(end)?,
            None => start.clone(),
        };
        out.assessment = Some(Assessment {
            method: AssessmentMethod::Other,
            score,
            max_score: Decimal::from(100),
            pass_score: None,
            passed: c.result == CompletionResult::Passed,
            assessed_at,
        });
        notes.add(
            Action::Mapped,
            "/assessment/score",
            "score becomes an assessment",
            "score 转为考核信息",
        );
        notes.add(
            Action::Assumed,
            "/assessment/method",
            "1.0 does not say how the learner was assessed: method other",
            "1.0 版未说明考核方式：记为 other",
        );
        notes.add(
            Action::Assumed,
            "/assessment/maxScore",
            "1.0 scores are out of 100: maxScore 100",
            "1.0 版成绩为百分制：满分记为 100",
        );
        notes.add(
            Action::Derived,
            "/assessment/passed",
            "passed is whether the result is 合格",
            "passed 取决于结果是否为合格",
        );
        notes.add(
            Action::Assumed,
            "/assessment/assessedAt",
            "1.0 has no assessment date: assumed the end date, else the start date",
            "1.0 版没有考核日期：假定为结束日期，无结束日期时为开始日期",
        );
    }
    Ok(out)
}

/// The certificate type a number's shape suggests.
pub(crate) fn certificate_type(number: &crate::ident::CertificateNumber) -> CertificateType {
    use crate::ident::ShapeKind;
    if number.level_digit(ShapeKind::SkillLevel).is_some() {
        CertificateType::SkillLevel
    } else if number
        .level_digit(ShapeKind::VocationalQualification)
        .is_some()
    {
        CertificateType::VocationalQualification
    } else {
        CertificateType::TrainingCompletion
    }
}

fn certificate(c: &v1::Certificate, notes: &mut Notes) -> Result<Certificate, IdentError> {
    let certificate_type = certificate_type(&c.cert_no);
    let row = crate::ident::occupation_named(c.occupation_name.as_str());
    let code = row.map_or(tables::UNKNOWN_OCCUPATION, |r| r.code);
    let mut occupation = Occupation::new(code.parse()?);
    occupation.job_type = row.and_then(|r| r.job_type).map(str::parse).transpose()?;
    occupation.name = Some(c.occupation_name.as_str().parse()?);
    let mut holder = person_ref(&c.id_card_no)?;
    holder.document_digest = None;
    let mut out = Certificate::new(
        record_id(&format!("certificate:{}", c.cert_no.as_str())),
        certificate_type,
        c.cert_no.clone(),
        holder,
        c.name.clone(),
        occupation,
        organization(&c.org_name, &c.org_code),
        c.issue_date.clone(),
        CertificateStatus::Valid,
    );
    notes.id("certificate:<certNo>", "certificate:<certNo>");
    notes.add(
        Action::Assumed,
        "/certificateType",
        "1.0 has no certificate type: assumed from the number's shape (Y/S + 21 digits skill-level, 16 digits vocational-qualification, otherwise training-completion)",
        "1.0 版没有证书类型：按编号格式推定（Y/S 加 21 位数字为职业技能等级证书，16 位数字为职业资格证书，其他为培训合格证）",
    );
    notes.add(
        Action::Derived,
        "/holder/personId",
        "the holder's person id is the UUID v5 of person:<ID number>",
        "持证人的人员 id 为 person:<身份证号码> 的 UUID v5",
    );
    notes.document("/holder/document", &c.id_card_no);
    notes.add(
        Action::Mapped,
        "/holderName",
        "name becomes holderName",
        "name 转为 holderName",
    );
    if row.is_some() {
        notes.add(
            Action::Derived,
            "/occupation/code",
            "the occupation code is derived from occupationName through the occupation table",
            "按职业对照表由 occupationName 推导职业编码",
        );
    } else {
        notes.add(
            Action::Assumed,
            "/occupation/code",
            "occupationName is in no row of the occupation table: assumed 4-99-00-00 (other service workers)",
            "occupationName 不在职业对照表中：假定为 4-99-00-00（其他社会生产服务和生活服务人员）",
        );
    }
    notes.add(
        Action::Mapped,
        "/occupation/name",
        "occupationName is kept as the occupation's name",
        "occupationName 保留为职业名称",
    );
    let level = c.level.to_v2();
    if certificate_type.has_level() {
        out.level = Some(level);
        notes.add(
            Action::Mapped,
            "/level",
            "the Chinese level becomes its code",
            "等级中文值转为代码",
        );
    }
    if !certificate_type.has_level() || tables::level_text(level, certificate_type) != c.level {
        ext(
            &mut out.extensions,
            EXT_LEVEL,
            Value::String(c.level.as_str().to_owned()),
        );
        let (en, zh) = if certificate_type.has_level() {
            (
                "the level's 1.0 spelling is kept as an extension",
                "等级的 1.0 版写法保留为扩展字段",
            )
        } else {
            (
                "a training-completion certificate has no level in 2.0: the level is kept as an extension",
                "培训合格证在 2.0 版中不设等级：等级保留为扩展字段",
            )
        };
        notes.add(Action::Kept, &format!("/extensions/{EXT_LEVEL}"), en, zh);
    }
    notes.organization("/issuer");
    notes.add(
        Action::Mapped,
        "/issuedOn",
        "issueDate becomes issuedOn",
        "issueDate 转为 issuedOn",
    );
    notes.add(
        Action::Assumed,
        "/status",
        "1.0 has no certificate status: assumed valid",
        "1.0 版没有证书状态：假定为有效",
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::OccupationCode;

    #[test]
    fn table_codes_are_well_formed() {
        for row in tables::CATEGORIES {
            assert!(
                row.occupation.parse::<OccupationCode>().is_ok(),
                "{}",
                row.text
            );
        }
        for row in crate::ident::OCCUPATION_NAMES {
            assert!(row.code.parse::<OccupationCode>().is_ok(), "{}", row.name);
        }
        assert!(tables::UNKNOWN_OCCUPATION.parse::<OccupationCode>().is_ok());
    }

    #[test]
    fn category_texts() {
        let (cats, code, job, canonical) = categories("母婴护理");
        assert_eq!(cats, [ServiceCategory::MaternityCare]);
        assert_eq!(code, "4-10-01-06");
        assert_eq!(job, Some("母婴护理员"));
        assert!(canonical);
        let (cats, _, _, canonical) = categories("母婴护理、育婴");
        assert_eq!(
            cats,
            [ServiceCategory::MaternityCare, ServiceCategory::InfantCare]
        );
        assert!(canonical);
        let (cats, _, _, canonical) = categories("月嫂");
        assert_eq!(cats, [ServiceCategory::MaternityCare]);
        assert!(!canonical);
        let (cats, code, _, canonical) = categories("插花艺术");
        assert_eq!(cats, [ServiceCategory::Other]);
        assert_eq!(code, "4-10-01-06");
        assert!(!canonical);
    }
}
