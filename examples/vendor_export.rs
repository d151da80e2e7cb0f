//! A training platform's export to DSTI 2.0: the platform's own structs (learners, lessons,
//! enrollments, certificates) mapped to records with the builders, each checked with
//! `Validator::check`, and written as an upload with the streaming writers.
//!
//! Usage: `cargo run --example vendor_export -- [--ndjson] OUT` writes a batch (a JSON object:
//! envelope, then records) or, with `--ndjson`, one record a line; `-` is stdout. Then
//! `dsti validate OUT` accepts it (exit 0). Problems are printed to stderr with their paths,
//! never with the values.
//!
//! # What a vendor decides
//!
//! - **Record ids.** Every record needs a lower-case UUID that is the same every time the same
//!   thing is exported, so that a re-upload updates instead of duplicating. Either store a
//!   random UUID v4 with the row when it is created, or derive a UUID v5 from the platform's
//!   own key in a namespace of the platform's own (`RecordId::new_v5(&NAMESPACE,
//!   b"enrollment:8841")`), as this example does. Never derive ids from an ID number: a UUID v5
//!   of an ID number can be reversed by trying every number.
//! - **Cross-record references.** A completion names its course by the course record's id
//!   (`.course(&course)` or `.course(course_id)`), and its learner by the person record's id
//!   when the same upload carries the person (`.learner(person_id)`); a certificate's
//!   `evidence` lists completion ids. Export the referenced records first or in the same
//!   upload.
//! - **`documentDigest`.** Where a record must point at a person without carrying the ID
//!   number (a certificate sent to an exchange that already holds the person), use the keyed
//!   digest `IdDocument::digest(&key, DigestAlgorithm::HmacSm3)` with the key the exchange
//!   hands out; never a plain hash, which can be reversed. Records of the same person get the
//!   same digest under the same key.
//! - **Timestamps.** Convert from chrono with `Timestamp::from(datetime)`, which keeps the
//!   offset (`createdAt` comes out right whether the server runs in UTC or Beijing time), or
//!   `Timestamp::now_in(offset)`.
//! - **Hand-typed identifiers.** A learner's ID number or name as typed into a form goes
//!   through `parse_lenient` (spaces, full-width characters, a lower-case `x`, a `.` for `·`);
//!   the strict form is what the upload carries.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use chrono::{FixedOffset, TimeZone};
use dsti::ident::{
    DocumentNumber, DocumentType, IdDocument, Level, PersonName, RecordId, Timestamp,
};
use dsti::privacy::{DigestAlgorithm, DigestKey};
use dsti::v2::{
    Assessment, AssessmentMethod, Batch, BuildError, Certificate, CertificateStatus,
    CertificateType, Completion, CompletionStatus, Course, DeliveryMode, FaceChecks, Module,
    ModuleTopic, Occupation, OnlineLearning, Organization, Person, Record, ServiceCategory,
    TrainingType,
};
use dsti::validate::{Options, Validator};
use dsti::write::{BatchWriter, NdjsonWriter};
use uuid::Uuid;

/// The platform's own namespace for its record ids (any fixed UUID the platform chooses).
const NAMESPACE: Uuid = Uuid::from_u128(0x7d9c_35a0_8f61_4c2b_9d3e_52a1_c0f4_e8b7);

// ---- The platform's own data model --------------------------------------------------------

/// A learner as the platform stores it: the ID number as typed at sign-up.
struct Learner {
    key: u64,
    name: &'static str,
    id_number: &'static str,
    mobile: Option<&'static str>,
}

/// A lesson package the platform sells.
struct Lesson {
    sku: &'static str,
    title: &'static str,
    /// Theory and practice hours.
    hours: (f64, f64),
}

/// A learner's enrollment in a lesson package.
struct Enrollment {
    key: u64,
    learner: u64,
    sku: &'static str,
    /// Unix seconds, as the platform's database keeps them.
    enrolled: i64,
    finished: Option<i64>,
    minutes: u32,
    checks: (u32, u32),
    /// Exam score out of 100.
    exam: Option<f64>,
}

/// A certificate the platform's assessment centre issued.
struct Issued {
    number: &'static str,
    learner: u64,
    enrollment: u64,
    level: Level,
    /// Year, month, day.
    on: (i32, u32, u32),
}

fn id(kind: &str, key: impl std::fmt::Display) -> RecordId {
    RecordId::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes())
}

fn beijing() -> FixedOffset {
    // UTC+08:00 is a valid offset; the fallback is never taken.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// A Unix time as a timestamp in Beijing time.
fn at(unix: i64) -> Timestamp {
    match beijing().timestamp_opt(unix, 0).single() {
        Some(t) => Timestamp::from(t),
        None => Timestamp::now_in(beijing()),
    }
}

fn provider() -> Organization {
    Organization::builder()
        .name("广州市巾帼家政培训学校")
        .uscc("91440101MA5CYUF35N")
        .region("440106")
        .build()
        .expect("the platform's own organization is valid")
}

// ---- The mapping ----------------------------------------------------------------------------

fn document(l: &Learner) -> Result<IdDocument, BuildError> {
    let number = DocumentNumber::parse_lenient(l.id_number)?;
    Ok(IdDocument::new(DocumentType::ResidentIdCard, number, None)?)
}

fn person(l: &Learner) -> Result<Person, BuildError> {
    let mut b = Person::builder()
        .id(id("learner", l.key))
        .name(PersonName::parse_lenient(l.name))
        .document(document(l));
    if let Some(m) = l.mobile {
        b = b.phone(dsti::ident::PhoneNumber::parse_lenient(m));
    }
    b.build()
}

fn course(s: &Lesson) -> Result<Course, BuildError> {
    Course::builder()
        .id(id("lesson", s.sku))
        .code(s.sku)
        .title(s.title)
        .provider(provider())
        .occupation(
            Occupation::builder()
                .code("4-10-01-06")
                .job_type("母婴护理员"),
        )
        .service_categories(ServiceCategory::MaternityCare)
        .training_type(TrainingType::PreJob)
        .delivery_mode(DeliveryMode::Blended)
        .class_hours(s.hours.0 + s.hours.1)
        .module(
            Module::builder()
                .title("理论知识")
                .class_hours(s.hours.0)
                .topic(ModuleTopic::Theory),
        )
        .module(
            Module::builder()
                .title("操作技能")
                .class_hours(s.hours.1)
                .topic(ModuleTopic::Practice),
        )
        .build()
}

fn completion(e: &Enrollment, course: &Course) -> Result<Completion, BuildError> {
    let mut b = Completion::builder()
        .id(id("enrollment", e.key))
        // The person record travels in the same upload: refer to it by id.
        .learner(id("learner", e.learner))
        .course(course)
        .provider(provider())
        .training_type(course.training_type)
        .delivery_mode(course.delivery_mode)
        .enrolled_at(at(e.enrolled))
        .started_at(at(e.enrolled + 3600))
        .online_learning(
            OnlineLearning::builder()
                .study_minutes(e.minutes)
                .face_checks(FaceChecks::builder().passed(e.checks.0).total(e.checks.1)),
        );
    b = match (e.finished, e.exam) {
        (Some(done), Some(score)) => b
            .status(if score >= 60.0 {
                CompletionStatus::Completed
            } else {
                CompletionStatus::Failed
            })
            .completed_at(at(done))
            .class_hours(if score >= 60.0 {
                course.class_hours
            } else {
                dsti::v2::Decimal::from(0)
            })
            .assessment(
                Assessment::builder()
                    .method(AssessmentMethod::Written)
                    .score(score)
                    .max_score(100)
                    .pass_score(60)
                    .passed(score >= 60.0)
                    .assessed_at(at(done - 1800)),
            ),
        _ => b.status(CompletionStatus::InProgress).class_hours(0),
    };
    b.build()
}

fn certificate(c: &Issued, holder: &Learner, key: &DigestKey) -> Result<Certificate, BuildError> {
    let (y, m, d) = c.on;
    let document = document(holder)?;
    Certificate::builder()
        .id(id("certificate", c.number))
        .certificate_type(CertificateType::SkillLevel)
        .number(dsti::ident::CertificateNumber::parse_lenient(c.number))
        // The holder by keyed digest: the certificate carries no ID number.
        .holder(document.digest(key, DigestAlgorithm::HmacSm3))
        .holder_name(PersonName::parse_lenient(holder.name))
        .occupation(Occupation::builder().code("4-10-01-06"))
        .level(c.level)
        .issuer(provider())
        .issued_on(format!("{y:04}-{m:02}-{d:02}"))
        .status(CertificateStatus::Valid)
        .evidence_id(id("enrollment", c.enrollment))
        .build()
}

// ---- The platform's data (in real life: a database query, streamed) ------------------------

const LEARNERS: &[Learner] = &[
    Learner {
        key: 1001,
        name: "王芳",
        id_number: "110105 19491231 002x",
        mobile: Some("138-1234-5678"),
    },
    Learner {
        key: 1002,
        name: "阿依古丽.买买提",
        id_number: "４４０１０６１９９００３０７００２８",
        mobile: None,
    },
];

const LESSONS: &[Lesson] = &[Lesson {
    sku: "MY-2025-01",
    title: "母婴护理员岗前培训",
    hours: (24.0, 40.0),
}];

const ENROLLMENTS: &[Enrollment] = &[
    Enrollment {
        key: 8841,
        learner: 1001,
        sku: "MY-2025-01",
        enrolled: 1_740_787_200, // 2025-03-01T08:00:00+08:00
        finished: Some(1_742_464_800),
        minutes: 2900,
        checks: (11, 12),
        exam: Some(92.0),
    },
    Enrollment {
        key: 8842,
        learner: 1002,
        sku: "MY-2025-01",
        enrolled: 1_740_790_800,
        finished: None,
        minutes: 600,
        checks: (3, 3),
        exam: None,
    },
];

const ISSUED: &[Issued] = &[Issued {
    number: "y1234 4401 0600 2530 00121",
    learner: 1001,
    enrollment: 8841,
    level: Level::Senior,
    on: (2025, 4, 10),
}];

// ---- The export -----------------------------------------------------------------------------

/// Where records go: a batch or NDJSON.
enum Out<W: Write> {
    Batch(BatchWriter<W>),
    Ndjson(NdjsonWriter<W>),
}

impl<W: Write> Out<W> {
    fn write(&mut self, record: &Record) -> io::Result<()> {
        match self {
            Out::Batch(w) => w.write(record),
            Out::Ndjson(w) => w.write(record),
        }
    }

    fn finish(self) -> io::Result<W> {
        match self {
            Out::Batch(w) => w.finish(),
            Out::Ndjson(w) => w.finish(),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ndjson = args.iter().any(|a| a == "--ndjson");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("-", String::as_str);
    let sink: Box<dyn Write> = if path == "-" {
        Box::new(io::stdout().lock())
    } else {
        Box::new(File::create(path)?)
    };
    let sink = BufWriter::new(sink);

    let mut out = if ndjson {
        Out::Ndjson(NdjsonWriter::new(sink))
    } else {
        // One id per export run: a v5 of the run's creation time.
        let created = Timestamp::now_in(beijing());
        let envelope = Batch::builder()
            .id(id("batch", created.as_str()))
            .sender(provider())
            .created_at(created)
            .build()?;
        Out::Batch(BatchWriter::new(sink, &envelope)?)
    };

    let validator = Validator::new(Options::default());
    let key = DigestKey::new(*b"the key the exchange hands out");
    let (mut written, mut refused) = (0, 0);
    let mut emit = |what: String, built: Result<Record, BuildError>| -> io::Result<()> {
        let record = match built {
            Ok(r) => r,
            Err(e) => {
                // Paths and messages only: no value of the learner reaches the log.
                for f in e.findings() {
                    eprintln!("{what}: {} {} {}", f.code.as_str(), f.path, f.message);
                }
                refused += 1;
                return Ok(());
            }
        };
        let verdict = validator.check(&record);
        for f in &verdict.issues {
            eprintln!("{what}: {} {} {}", f.code.as_str(), f.path, f.message);
        }
        if verdict.is_valid() {
            written += 1;
            out.write(&record)
        } else {
            refused += 1;
            Ok(())
        }
    };

    for l in LEARNERS {
        emit(format!("learner {}", l.key), person(l).map(Record::from))?;
    }
    let courses: Vec<Course> = LESSONS.iter().filter_map(|s| course(s).ok()).collect();
    for c in &courses {
        emit(format!("lesson {}", c.code), Ok(Record::from(c.clone())))?;
    }
    for e in ENROLLMENTS {
        let Some(c) = courses.iter().find(|c| c.code.as_str() == e.sku) else {
            eprintln!("enrollment {}: no such lesson", e.key);
            continue;
        };
        emit(
            format!("enrollment {}", e.key),
            completion(e, c).map(Record::from),
        )?;
    }
    for c in ISSUED {
        let Some(holder) = LEARNERS.iter().find(|l| l.key == c.learner) else {
            continue;
        };
        emit(
            format!("certificate of learner {}", c.learner),
            certificate(c, holder, &key).map(Record::from),
        )?;
    }
    out.finish()?;
    eprintln!("{written} records written, {refused} refused");
    if refused > 0 {
        std::process::exit(1);
    }
    Ok(())
}
