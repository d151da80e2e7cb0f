//! Typed validation and the builders: `Validator::check` gives the verdict of the record's
//! JSON on every 2.0 vector and on generated records with mistakes put in; every builder
//! reports every problem at once, each at its path.

use dsti::ident::{DocumentType, Timestamp};
use dsti::synth::Generator;
use dsti::v2::{
    Assessment, AssessmentMethod, Batch, Certificate, CertificateStatus, CertificateType,
    Completion, CompletionStatus, Course, DeliveryMode, FaceChecks, Module, ModuleTopic,
    Occupation, OnlineLearning, Organization, Person, Record, ServiceCategory, TrainingType,
};
use dsti::validate::{Event, InputFormat, Options, Validator};
use dsti::{Code, Kind};
use proptest::prelude::*;

use crate::{files, root};

const NOW: &str = "2026-06-01T12:00:00+08:00";

fn validator() -> Validator {
    Validator::new(Options::default().now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now")))
}

#[test]
fn check_equals_the_json_verdict_on_every_vector() {
    let validator = validator();
    let mut typed = 0;
    for dir in ["valid", "invalid"] {
        for path in files(&root().join("tests/vectors/2.0").join(dir), "json") {
            let bytes = std::fs::read(&path).expect("vector");
            let Ok(text) = String::from_utf8(bytes) else {
                continue; // not UTF-8: nothing typed to compare
            };
            if let Ok(record) = serde_json::from_str::<Record>(&text) {
                typed += 1;
                let json = serde_json::to_string(&record).expect("serializes");
                assert_eq!(
                    validator.check(&record),
                    validator.validate_str(&json),
                    "{}",
                    path.display()
                );
                // As read from the file, too.
                assert_eq!(
                    validator.check(&record),
                    validator.validate_str(&text),
                    "{}",
                    path.display()
                );
            }
            if let Ok(batch) = serde_json::from_str::<Batch>(&text) {
                typed += 1;
                assert_batch_equal(&validator, &batch, &path.display().to_string());
            }
        }
    }
    // Most vectors deserialize: the invalid ones that do are the rule violations.
    assert!(typed > 60, "{typed}");
}

/// `check_batch` equals the events of validating the batch's JSON as a stream.
fn assert_batch_equal(validator: &Validator, batch: &Batch, what: &str) {
    let json = serde_json::to_vec(batch).expect("serializes");
    let mut records = Vec::new();
    let mut envelope = None;
    for event in validator.validate_reader(json.as_slice(), InputFormat::Json) {
        match event.expect("reads") {
            Event::Record(v) => records.push(v),
            Event::Envelope(v) => envelope = Some(v),
            _ => {}
        }
    }
    let typed = validator.check_batch(batch);
    assert_eq!(typed.records, records, "{what}");
    assert_eq!(Some(typed.envelope), envelope, "{what}");
}

/// A generated record with mistakes put in by proptest: dates out of order or in the future,
/// scores and face checks out of range, hours that do not add up, a status without its field.
fn mutate(record: &mut Record, choice: &[u8]) {
    let pick = |i: usize| choice.get(i).copied().unwrap_or(0);
    let future: Timestamp = "2030-01-01T00:00:00+08:00".parse().expect("timestamp");
    let past: Timestamp = "2001-01-01T00:00:00+08:00".parse().expect("timestamp");
    match record {
        Record::Person(p) => {
            if pick(0) % 2 == 1 {
                p.gender = Some(if p.gender == Some(dsti::ident::Gender::Male) {
                    dsti::ident::Gender::Female
                } else {
                    dsti::ident::Gender::Male
                });
            }
            if pick(1) % 3 == 1 {
                p.birth_date = Some("2001-02-03".parse().expect("date"));
            }
        }
        Record::Course(c) => {
            if pick(0) % 2 == 1 {
                c.ethics_hours =
                    Some(dsti::v2::Decimal::new(c.class_hours.get() + 1.0).expect("hours"));
            }
            if pick(1) % 2 == 1 {
                if let Some(m) = c.modules.as_mut().and_then(|m| m.first_mut()) {
                    m.class_hours =
                        dsti::v2::Decimal::new(m.class_hours.get() + 0.5).expect("hours");
                }
            }
            if pick(2) % 3 == 1 {
                c.valid_from = Some("2027-01-01".parse().expect("date"));
                c.valid_until = Some("2026-01-01".parse().expect("date"));
            }
        }
        Record::Completion(c) => {
            if pick(0) % 3 == 1 {
                c.completed_at = None;
            }
            if pick(1) % 3 == 1 {
                c.started_at = Some(future.clone());
            }
            if pick(2) % 3 == 1 {
                c.enrolled_at = past.clone();
                c.completed_at = Some(past.clone());
            }
            if let Some(a) = c.assessment.as_mut() {
                if pick(3) % 2 == 1 {
                    a.score = dsti::v2::Decimal::new(a.max_score.get() + 1.0).expect("score");
                }
                if pick(4) % 2 == 1 {
                    a.passed = !a.passed;
                }
            }
            if let Some(o) = c.online_learning.as_mut() {
                if pick(5) % 2 == 1 {
                    o.face_checks.passed = dsti::v2::Count(o.face_checks.total.0 + 1);
                }
            }
            if pick(6) % 4 == 1 {
                c.class_hours = dsti::v2::Decimal::new(10_000.0).expect("hours");
            }
        }
        Record::Certificate(c) => {
            if pick(0) % 3 == 1 {
                c.status = CertificateStatus::Revoked;
            }
            if pick(1) % 3 == 1 {
                c.level = None;
            }
            if pick(2) % 3 == 1 {
                c.issued_on = "2030-01-01".parse().expect("date");
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `check` equals validating the serialized record, on generated records with and
    /// without mistakes.
    #[test]
    fn check_equals_the_json_verdict_on_generated_records(
        seed in any::<u64>(),
        skip in 0usize..8,
        kind in prop::sample::select(Kind::ALL.to_vec()),
        choice in prop::collection::vec(any::<u8>(), 8),
    ) {
        let validator = validator();
        let mut generator = Generator::new(seed);
        for _ in 0..skip {
            generator.record(None);
        }
        let mut record = generator.record(Some(kind));
        mutate(&mut record, &choice);
        let json = serde_json::to_string(&record).expect("serializes");
        prop_assert_eq!(validator.check(&record), validator.validate_str(&json));
    }

    /// `check_batch` equals validating the batch's JSON, repeated ids included.
    #[test]
    fn check_batch_equals_the_json_verdicts(seed in any::<u64>(), n in 0usize..6, repeat in any::<bool>()) {
        let mut generator = Generator::new(seed);
        let mut builder = Batch::builder()
            .id("6b0e5c1e-2a4f-4d3b-9c8a-1f2e3d4c5b6a")
            .sender(sender())
            .created_at("2026-05-01T08:00:00+08:00");
        let mut records: Vec<Record> = (0..n).map(|_| generator.record(None)).collect();
        if repeat {
            if let Some(first) = records.first().cloned() {
                records.push(first);
            }
        }
        for r in records {
            builder = builder.record(r);
        }
        let batch = builder.build().expect("batch");
        assert_batch_equal(&validator(), &batch, "generated");
    }
}

fn sender() -> Organization {
    Organization::builder()
        .name("广州市巾帼家政培训学校")
        .uscc("91440101MA5CYUF35N")
        .build()
        .expect("organization")
}

fn paths(err: dsti::v2::BuildError) -> Vec<(String, Code)> {
    err.findings()
        .into_iter()
        .map(|f| (f.path, f.code))
        .collect()
}

fn at(path: &str, code: Code) -> (String, Code) {
    (path.to_owned(), code)
}

#[test]
fn a_person_builder_reports_every_problem() {
    let err = Person::builder()
        .id("6B0E5C1E-2A4F-4D3B-9C8A-1F2E3D4C5B6A")
        .name(" 王芳")
        .document((DocumentType::ResidentIdCard, "110105194912310021"))
        .phone("12345")
        .build()
        .expect_err("problems");
    // Each problem has the code its parser gives, at its field's path.
    let code_of = |e: dsti::ident::IdentError| e.code();
    assert_eq!(
        paths(err),
        [
            at(
                "/id",
                code_of(
                    "6B0E5C1E-2A4F-4D3B-9C8A-1F2E3D4C5B6A"
                        .parse::<dsti::ident::RecordId>()
                        .expect_err("problems")
                )
            ),
            at(
                "/name",
                code_of(
                    " 王芳"
                        .parse::<dsti::ident::PersonName>()
                        .expect_err("problems")
                )
            ),
            at("/document/number", Code::IdNumberChecksum),
            at("/phone", Code::SchemaPattern),
        ]
    );
}

#[test]
fn a_course_builder_reports_every_problem_with_nested_paths() {
    let err = Course::builder()
        .id("0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11")
        .code("")
        .title("母婴护理员岗前培训")
        .provider(
            Organization::builder()
                .name("某培训学校")
                .uscc("91440101MA5CYUF35"),
        )
        .occupation(Occupation::builder().code("4-10-1-6"))
        .service_categories(Vec::<ServiceCategory>::new())
        .delivery_mode(DeliveryMode::Blended)
        .class_hours(f64::NAN)
        .module(
            Module::builder()
                .title("理论")
                .class_hours(8.0)
                .topic(ModuleTopic::Theory),
        )
        .module(Module::builder().title("实操").class_hours(-2.0))
        .build()
        .expect_err("problems");
    let got: Vec<String> = err.findings().into_iter().map(|f| f.path).collect();
    assert_eq!(
        got,
        [
            "/code",
            "/provider/uscc",
            "/occupation/code",
            "/serviceCategories",
            "/classHours",
            "/modules/1/classHours",
            "/modules/1/topic",
            "/trainingType",
        ]
    );
    // The same problems in Chinese, at the same paths.
    let zh = err.findings_in(dsti::validate::Lang::Zh);
    assert_eq!(zh.len(), got.len());
    assert!(zh
        .iter()
        .all(|f| !f.message.is_empty() && !f.message.is_ascii()));
}

#[test]
fn a_completion_builder_reports_every_problem() {
    let err = Completion::builder()
        .id("5d1c7e0a-8f3b-4b2e-a1c4-6e9d2f0b7a35")
        .learner((DocumentType::ResidentIdCard, "11010519491231002x"))
        .course("0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11".parse::<dsti::ident::RecordId>())
        .status(CompletionStatus::Completed)
        .enrolled_at("2026-03-01 09:00:00")
        .class_hours(64.0)
        .online_learning(
            OnlineLearning::builder()
                .study_minutes(2880)
                .face_checks(FaceChecks::builder().passed(12)),
        )
        .assessment(
            Assessment::builder()
                .method(AssessmentMethod::Written)
                .score(92.0)
                .max_score(-100.0)
                .passed(true)
                .assessed_at("2026-03-20T15:00:00+08:00"),
        )
        .build()
        .expect_err("problems");
    let got: Vec<String> = err.findings().into_iter().map(|f| f.path).collect();
    assert_eq!(
        got,
        [
            "/learner/document/number",
            "/enrolledAt",
            "/onlineLearning/faceChecks/total",
            "/assessment/maxScore",
            "/provider",
        ]
    );
}

#[test]
fn a_certificate_builder_reports_every_problem() {
    let err = Certificate::builder()
        .id("not-a-uuid")
        .certificate_type(CertificateType::SkillLevel)
        .number(" Y1234 ")
        .holder_name("阿依古丽•买买提")
        .occupation(Occupation::builder().code("4-10-01-06"))
        .issuer(sender())
        .issued_on("2026-02-30")
        .status(CertificateStatus::Valid)
        .evidence_id("5d1c7e0a-8f3b-4b2e-a1c4-6e9d2f0b7a35")
        .evidence_id("nope")
        .verification_url("http://example.org/c")
        .extension("no-namespace", serde_json::json!(1))
        .build()
        .expect_err("problems");
    let got: Vec<String> = err.findings().into_iter().map(|f| f.path).collect();
    assert_eq!(
        got,
        [
            "/id",
            "/number",
            "/holderName",
            "/issuedOn",
            "/evidence/1",
            "/verificationUrl",
            "/extensions",
            "/holder",
        ]
    );
}

#[test]
fn a_batch_builder_reports_every_problem() {
    let err = Batch::builder()
        .sender(Organization::builder().uscc("91440101MA5CYUF35N"))
        .created_at("2026-05-01T08:00:00")
        .build()
        .expect_err("problems");
    let got: Vec<(String, Code)> = paths(err);
    assert_eq!(
        got,
        [
            at("/sender/name", Code::SchemaRequired),
            at("/createdAt", Code::SchemaFormat),
            at("/id", Code::SchemaRequired),
        ]
    );
}

#[test]
fn built_records_validate_and_a_swapped_pair_cannot_compile_silently() {
    let validator = validator();
    let course = Course::builder()
        .id("0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11")
        .code("MY-2026-01")
        .title("母婴护理员岗前培训")
        .provider(sender())
        .occupation(Occupation::builder().code("4-10-01-06"))
        .service_categories(ServiceCategory::MaternityCare)
        .training_type(TrainingType::PreJob)
        .delivery_mode(DeliveryMode::Blended)
        .class_hours(64.0)
        .build()
        .expect("course");
    assert!(validator.check(&course).is_valid());
    let completion = Completion::builder()
        .id("5d1c7e0a-8f3b-4b2e-a1c4-6e9d2f0b7a35")
        .learner((DocumentType::ResidentIdCard, "11010519491231002X"))
        .course(&course)
        .provider(sender())
        .status(CompletionStatus::Completed)
        .enrolled_at("2026-03-01T09:00:00+08:00")
        .completed_at("2026-03-20T17:00:00+08:00")
        .class_hours(64.0)
        .online_learning(
            OnlineLearning::builder()
                .study_minutes(2880)
                .face_checks(FaceChecks::builder().total(12).passed(11)),
        )
        .assessment(
            Assessment::builder()
                .method(AssessmentMethod::Written)
                .max_score(100)
                .score(92.0)
                .pass_score(60)
                .passed(true)
                .assessed_at("2026-03-20T15:00:00+08:00"),
        )
        .build()
        .expect("completion");
    let verdict = validator.check(&completion);
    assert!(verdict.is_valid(), "{:?}", verdict.issues);
    let a = completion.assessment.as_ref().expect("assessment");
    assert_eq!((a.score.get(), a.max_score.get()), (92.0, 100.0));
    let f = completion
        .online_learning
        .as_ref()
        .expect("online")
        .face_checks;
    assert_eq!((f.passed.0, f.total.0), (11, 12));
    // A rule the builder does not judge: the validator does, at its path.
    let mut bad = completion.clone();
    bad.completed_at = Some("2026-02-01T09:00:00+08:00".parse().expect("timestamp"));
    let verdict = validator.check(&bad);
    assert!(
        verdict.issues.iter().any(|f| f.code == Code::TimeOrder),
        "{:?}",
        verdict.issues
    );
}

#[test]
fn a_reference_emptied_after_it_was_made_gets_the_verdict_of_its_json() {
    let validator = validator();
    let mut generator = Generator::new(3);
    let mut found = false;
    for _ in 0..50 {
        let mut record = generator.record(None);
        let emptied = match &mut record {
            Record::Completion(c) => Some(&mut c.learner),
            Record::Certificate(c) => Some(&mut c.holder),
            _ => None,
        };
        if let Some(r) = emptied {
            r.person_id = None;
            r.document = None;
            r.document_digest = None;
            found = true;
            let json = serde_json::to_string(&record).expect("serializes");
            let verdict = validator.check(&record);
            assert!(!verdict.is_valid());
            assert_eq!(verdict, validator.validate_str(&json));
        }
    }
    assert!(found);
}
