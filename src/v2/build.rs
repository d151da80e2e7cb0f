//! Builders for every 2.0 record kind and the nested structs that need them: named setters,
//! and a `build()` that returns every problem at once, each with its JSON Pointer.
//!
//! ```
//! use dsti::v2::{Course, DeliveryMode, Organization, ServiceCategory, TrainingType};
//!
//! let err = Course::builder()
//!     .id("not a uuid")
//!     .code("MY-2026-01")
//!     .title("母婴护理员岗前培训")
//!     .provider(Organization::builder().name("广州市巾帼家政培训学校").uscc("91440101MA5CYUF35"))
//!     .service_categories(ServiceCategory::MaternityCare)
//!     .training_type(TrainingType::PreJob)
//!     .delivery_mode(DeliveryMode::Blended)
//!     .class_hours(-1.0)
//!     .build()
//!     .unwrap_err();
//! let paths: Vec<_> = err.findings().into_iter().map(|f| f.path).collect();
//! // A bad id, a credit code one character short, negative hours and a missing occupation:
//! // all of them, not just the first.
//! assert_eq!(paths, ["/id", "/provider/uscc", "/classHours", "/occupation"]);
//! ```
//!
//! A setter takes the typed value or anything that converts to it: text for identifiers (parsed
//! strictly; use the types' `parse_lenient` for what people typed), a `Result` of a parse, a
//! number for class hours and scores, a nested builder. Two values of one type that could be
//! swapped (an assessment's `score` and `maxScore`, face checks `passed` and `total`) are only
//! ever set by name. Problems are [`Finding`]s, the error model of the validator: a
//! [`Code`], a JSON Pointer and a message (English, or Chinese through
//! [`BuildError::findings_in`]); like every message, they never contain the value.
//!
//! A built record has the standard's structure; the rules that relate fields (dates in order,
//! hours that add up, the pass mark) are the validator's:
//! [`Validator::check`](crate::validate::Validator::check).

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use super::codes::{
    AssessmentMethod, CertificateStatus, CertificateType, CompletionStatus, DeliveryMode,
    ModuleTopic, TrainingType, VerificationMethod, VerificationResult,
};
use super::shared::V2;
use super::{
    Assessment, Batch, BatchKind, Certificate, Completion, Course, CourseRef, FaceChecks, Module,
    OnlineLearning, Person, Record, Verification,
};
use super::{Occupation, Organization, PersonRef};
use crate::finding::Finding;
use crate::ident::{
    BirthDate, CertificateNumber, Count, CountryCode, Date, Decimal, DocumentDigest,
    DocumentNumber, DocumentType, ExtensionKey, Extensions, Gender, HttpsUrl, IdDocument,
    IdentError, Level, LocalizedText, NonEmpty, OccupationCode, PersonName, PhoneNumber, RecordId,
    RegionCode, ServiceCategory, Text, Timestamp, Uscc,
};
use crate::kind::{CertificateKind, CompletionKind, CourseKind, PersonKind};
use crate::text::Lang;
use crate::Code;

/// One problem a builder found: a code, a path and a message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    code: Code,
    path: String,
    en: Cow<'static, str>,
    zh: Cow<'static, str>,
}

impl Problem {
    fn from_ident(e: &IdentError) -> Self {
        Problem {
            code: e.code(),
            path: String::new(),
            en: e.message(Lang::En).into(),
            zh: e.message(Lang::Zh).into(),
        }
    }

    fn missing(path: &str) -> Self {
        Problem {
            code: Code::SchemaRequired,
            path: path.to_owned(),
            en: "a required field is missing".into(),
            zh: "缺少必填字段".into(),
        }
    }
}

/// Why a builder could not build: every problem, each with its JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    problems: Vec<Problem>,
}

impl BuildError {
    /// Every problem as a finding with an English message, in the order the fields were set
    /// (missing required fields last).
    pub fn findings(&self) -> Vec<Finding> {
        self.findings_in(Lang::En)
    }

    /// Every problem as a finding with a message in `lang`.
    pub fn findings_in(&self, lang: Lang) -> Vec<Finding> {
        self.problems
            .iter()
            .map(|p| Finding::new(p.code, p.path.clone(), lang.pick(&p.en, &p.zh)))
            .collect()
    }

    /// How many problems there are (at least one).
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Always `false`: a build error has at least one problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    fn nested(self, at: &str) -> Vec<Problem> {
        self.problems
            .into_iter()
            .map(|mut p| {
                p.path.insert_str(0, at);
                p
            })
            .collect()
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s):", self.problems.len())?;
        for p in &self.problems {
            let path = if p.path.is_empty() { "/" } else { &p.path };
            write!(f, " {path}: {} ({});", p.en, p.code.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

impl From<IdentError> for BuildError {
    fn from(e: IdentError) -> Self {
        BuildError {
            problems: vec![Problem::from_ident(&e)],
        }
    }
}

/// A value a builder's setter accepts for a field of type `T`: `T` itself, text that parses
/// to it, the `Result` of parsing it, or a nested builder.
pub trait IntoField<T> {
    /// The value, or its problems (paths relative to the field).
    fn into_field(self) -> Result<T, BuildError>;
}

/// `T` itself and the `Result` of making one.
macro_rules! field_identity {
    ($($ty:ty),* $(,)?) => {$(
        impl IntoField<$ty> for $ty {
            fn into_field(self) -> Result<$ty, BuildError> {
                Ok(self)
            }
        }
        impl IntoField<$ty> for Result<$ty, IdentError> {
            fn into_field(self) -> Result<$ty, BuildError> {
                self.map_err(BuildError::from)
            }
        }
        impl IntoField<$ty> for Result<$ty, BuildError> {
            fn into_field(self) -> Result<$ty, BuildError> {
                self
            }
        }
    )*};
}

/// Text parsed strictly by the type's one validator.
macro_rules! field_parsed {
    ($($ty:ty),* $(,)?) => {$(
        field_identity!($ty);
        impl IntoField<$ty> for &str {
            fn into_field(self) -> Result<$ty, BuildError> {
                self.parse::<$ty>().map_err(BuildError::from)
            }
        }
        impl IntoField<$ty> for String {
            fn into_field(self) -> Result<$ty, BuildError> {
                self.parse::<$ty>().map_err(BuildError::from)
            }
        }
        impl IntoField<$ty> for &String {
            fn into_field(self) -> Result<$ty, BuildError> {
                self.parse::<$ty>().map_err(BuildError::from)
            }
        }
    )*};
}

field_parsed!(
    RecordId,
    PersonName,
    DocumentNumber,
    CountryCode,
    Uscc,
    RegionCode,
    OccupationCode,
    CertificateNumber,
    PhoneNumber,
    Timestamp,
    Date,
    BirthDate,
    HttpsUrl,
    Text<64>,
    Text<100>,
    Text<200>,
    Text<500>,
);

field_identity!(
    DocumentDigest,
    IdDocument,
    LocalizedText,
    Decimal,
    Count,
    Gender,
    Level,
    ServiceCategory,
    NonEmpty<ServiceCategory>,
    Organization,
    Occupation,
    PersonRef,
    CourseRef,
    Verification,
    Module,
    OnlineLearning,
    FaceChecks,
    Assessment,
    Vec<Module>,
    Vec<RecordId>,
    Extensions,
    AssessmentMethod,
    CertificateStatus,
    CertificateType,
    CompletionStatus,
    DeliveryMode,
    ModuleTopic,
    TrainingType,
    VerificationMethod,
    VerificationResult,
    bool,
);

impl IntoField<LocalizedText> for &str {
    /// Text with only its `zh-CN` version.
    fn into_field(self) -> Result<LocalizedText, BuildError> {
        LocalizedText::new(self).map_err(|e| BuildError {
            problems: vec![Problem {
                path: "/zh-CN".to_owned(),
                ..Problem::from_ident(&e)
            }],
        })
    }
}

impl IntoField<DocumentDigest> for &str {
    fn into_field(self) -> Result<DocumentDigest, BuildError> {
        DocumentDigest::new(self).map_err(BuildError::from)
    }
}

impl IntoField<Decimal> for f64 {
    fn into_field(self) -> Result<Decimal, BuildError> {
        Decimal::new(self).map_err(BuildError::from)
    }
}

impl IntoField<Decimal> for u32 {
    fn into_field(self) -> Result<Decimal, BuildError> {
        Ok(Decimal::from(self))
    }
}

impl IntoField<Count> for u32 {
    fn into_field(self) -> Result<Count, BuildError> {
        Ok(Count(self))
    }
}

impl IntoField<NonEmpty<ServiceCategory>> for ServiceCategory {
    fn into_field(self) -> Result<NonEmpty<ServiceCategory>, BuildError> {
        Ok(NonEmpty::one(self))
    }
}

impl IntoField<NonEmpty<ServiceCategory>> for Vec<ServiceCategory> {
    fn into_field(self) -> Result<NonEmpty<ServiceCategory>, BuildError> {
        NonEmpty::new(self).ok_or_else(|| BuildError {
            problems: vec![Problem {
                code: Code::SchemaLength,
                path: String::new(),
                en: "needs at least one service category".into(),
                zh: "至少需要一个服务类别".into(),
            }],
        })
    }
}

impl IntoField<CourseRef> for RecordId {
    /// A reference by the course's id.
    fn into_field(self) -> Result<CourseRef, BuildError> {
        Ok(CourseRef::new(self))
    }
}

impl IntoField<CourseRef> for &Course {
    /// A reference to this course: its id, code and title.
    fn into_field(self) -> Result<CourseRef, BuildError> {
        Ok(CourseRef {
            id: self.id.clone(),
            code: Some(self.code.clone()),
            title: Some(self.title.clone()),
        })
    }
}

impl IntoField<PersonRef> for IdDocument {
    /// A reference by identity document.
    fn into_field(self) -> Result<PersonRef, BuildError> {
        Ok(PersonRef::by_document(self))
    }
}

impl IntoField<PersonRef> for RecordId {
    /// A reference by the person record's id.
    fn into_field(self) -> Result<PersonRef, BuildError> {
        Ok(PersonRef::by_id(self))
    }
}

impl IntoField<CourseRef> for Result<RecordId, IdentError> {
    /// A reference by the course's id, once parsed.
    fn into_field(self) -> Result<CourseRef, BuildError> {
        self.map(CourseRef::new).map_err(BuildError::from)
    }
}

/// A reference by identity document, from its type and number (problems at `/document/…`).
impl IntoField<PersonRef> for (DocumentType, &str) {
    fn into_field(self) -> Result<PersonRef, BuildError> {
        IntoField::<IdDocument>::into_field(self)
            .map(PersonRef::by_document)
            .map_err(|e| BuildError {
                problems: e.nested("/document"),
            })
    }
}

/// A reference by identity document, from its type, number and issuing country (problems at
/// `/document/…`).
impl IntoField<PersonRef> for (DocumentType, &str, Option<CountryCode>) {
    fn into_field(self) -> Result<PersonRef, BuildError> {
        IntoField::<IdDocument>::into_field(self)
            .map(PersonRef::by_document)
            .map_err(|e| BuildError {
                problems: e.nested("/document"),
            })
    }
}

impl IntoField<PersonRef> for DocumentDigest {
    /// A reference by keyed digest.
    fn into_field(self) -> Result<PersonRef, BuildError> {
        Ok(PersonRef::by_digest(self))
    }
}

/// An identity document from its type and its number as text (parsed strictly), for
/// documents without an issuing country; the problem's path is the number's.
impl IntoField<IdDocument> for (DocumentType, &str) {
    fn into_field(self) -> Result<IdDocument, BuildError> {
        (self.0, self.1, None).into_field()
    }
}

/// An identity document from its type, its number as text (parsed strictly) and its issuing
/// country; the problem's path is the number's or the country's.
impl IntoField<IdDocument> for (DocumentType, &str, Option<CountryCode>) {
    fn into_field(self) -> Result<IdDocument, BuildError> {
        let (doc_type, number, country) = self;
        let at = |e: IdentError, path: &str| BuildError {
            problems: vec![Problem {
                path: path.to_owned(),
                ..Problem::from_ident(&e)
            }],
        };
        let number = number
            .parse::<DocumentNumber>()
            .map_err(|e| at(e, "/number"))?;
        IdDocument::new(doc_type, number, country).map_err(|e| {
            let path = if e.code() == Code::SchemaRequired {
                "/issuingCountry"
            } else {
                "/number"
            };
            at(e, path)
        })
    }
}

/// The problems a builder collects as its setters run.
#[derive(Debug, Clone, Default)]
struct Problems {
    found: Vec<Problem>,
    /// Fields that were set to a value with problems: not also reported missing.
    failed: Vec<&'static str>,
    /// How many items each list setter was given, accepted or not: the next item's index.
    counts: Vec<(&'static str, usize)>,
}

impl Problems {
    fn take<T>(&mut self, value: impl IntoField<T>, path: &'static str) -> Option<T> {
        match value.into_field() {
            Ok(v) => Some(v),
            Err(e) => {
                self.found.extend(e.nested(path));
                self.failed.push(path);
                None
            }
        }
    }

    fn take_at<T>(&mut self, value: impl IntoField<T>, path: String) -> Option<T> {
        match value.into_field() {
            Ok(v) => Some(v),
            Err(e) => {
                self.found.extend(e.nested(&path));
                None
            }
        }
    }

    /// The index of the next item of the list at `path` (items with problems count too, so
    /// that a path names the item as the caller counted it).
    fn next_index(&mut self, path: &'static str) -> usize {
        match self.counts.iter_mut().find(|(p, _)| *p == path) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                self.counts.push((path, 1));
                0
            }
        }
    }

    fn require<T>(&mut self, value: &Option<T>, path: &'static str) {
        if value.is_none() && !self.failed.contains(&path) {
            self.found.push(Problem::missing(path));
        }
    }

    fn finish(self) -> Result<(), BuildError> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(BuildError {
                problems: self.found,
            })
        }
    }
}

/// A builder: its struct, its setters, its `build()`, and the type's `builder()`.
macro_rules! builder {
    (
        $(#[$doc:meta])*
        $ty:ident => $builder:ident {
            fixed { $($fixed:ident : $fixed_value:expr),* $(,)? }
            required { $($(#[$rdoc:meta])* $req:ident : $req_ty:ty = $req_path:literal),* $(,)? }
            optional { $($(#[$odoc:meta])* $opt:ident : $opt_ty:ty = $opt_path:literal),* $(,)? }
            $(defaulted { $($def:ident : $def_ty:ty = $def_path:literal),* $(,)? })?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct $builder {
            $($req: Option<$req_ty>,)*
            $($opt: Option<$opt_ty>,)*
            $($($def: $def_ty,)*)?
            problems: Problems,
        }

        impl $ty {
            #[doc = concat!("A builder of a [`", stringify!($ty), "`] with named setters.")]
            pub fn builder() -> $builder {
                $builder::default()
            }
        }

        impl $builder {
            $(
                $(#[$rdoc])*
                #[doc = concat!("\n\nRequired: `", $req_path, "`.")]
                pub fn $req(mut self, value: impl IntoField<$req_ty>) -> Self {
                    self.$req = self.problems.take(value, $req_path);
                    self
                }
            )*
            $(
                $(#[$odoc])*
                #[doc = concat!("\n\nOptional: `", $opt_path, "`.")]
                pub fn $opt(mut self, value: impl IntoField<$opt_ty>) -> Self {
                    self.$opt = self.problems.take(value, $opt_path);
                    self
                }
            )*

            /// The value, or every problem found, each with its JSON Pointer.
            pub fn build(self) -> Result<$ty, BuildError> {
                let mut problems = self.problems;
                $(problems.require(&self.$req, $req_path);)*
                problems.finish()?;
                match ($(self.$req,)*) {
                    ($(Some($req),)*) => Ok($ty {
                        $($fixed: $fixed_value,)*
                        $($req,)*
                        $($opt: self.$opt,)*
                        $($($def: self.$def,)*)?
                    }),
                    // Unreachable: `require` reported every missing field.
                    #[allow(unreachable_patterns)]
                    _ => Err(BuildError {
                        problems: vec![Problem::missing("")],
                    }),
                }
            }
        }

        impl IntoField<$ty> for $builder {
            fn into_field(self) -> Result<$ty, BuildError> {
                self.build()
            }
        }
    };
}

builder! {
    /// Builds an [`Organization`].
    Organization => OrganizationBuilder {
        fixed {}
        required {
            /// Registered name.
            name: Text<200> = "/name",
            /// Unified social credit code.
            uscc: Uscc = "/uscc",
        }
        optional {
            /// Region where it is registered.
            region: RegionCode = "/region",
        }
    }
}

builder! {
    /// Builds an [`Occupation`].
    Occupation => OccupationBuilder {
        fixed {}
        required {
            /// Occupation code `D-DD-DD-DD`.
            code: OccupationCode = "/code",
        }
        optional {
            /// Job type (工种) within the occupation.
            job_type: Text<100> = "/jobType",
            /// Name of the occupation as the sender writes it.
            name: Text<100> = "/name",
        }
    }
}

builder! {
    /// Builds a [`Person`].
    Person => PersonBuilder {
        fixed { kind: PersonKind, schema_version: V2 }
        required {
            /// Record id.
            id: RecordId = "/id",
            /// Legal name.
            name: PersonName = "/name",
            /// Identity document.
            document: IdDocument = "/document",
        }
        optional {
            /// Gender.
            gender: Gender = "/gender",
            /// Date of birth.
            birth_date: BirthDate = "/birthDate",
            /// Mobile number.
            phone: PhoneNumber = "/phone",
            /// Region of residence.
            region: RegionCode = "/region",
            /// Real-name verification outcome.
            verification: Verification = "/verification",
        }
        defaulted { extensions: Extensions = "/extensions" }
    }
}

builder! {
    /// Builds a [`Verification`].
    Verification => VerificationBuilder {
        fixed {}
        required {
            /// How the identity was verified.
            method: VerificationMethod = "/method",
            /// When it was verified.
            verified_at: Timestamp = "/verifiedAt",
            /// Whether it passed.
            result: VerificationResult = "/result",
        }
        optional {
            /// Who verified it.
            verifier: Organization = "/verifier",
        }
    }
}

builder! {
    /// Builds a [`Course`].
    Course => CourseBuilder {
        fixed { kind: CourseKind, schema_version: V2 }
        required {
            /// Record id.
            id: RecordId = "/id",
            /// The provider's own course code.
            code: Text<64> = "/code",
            /// Title by language (text alone is the `zh-CN` title).
            title: LocalizedText = "/title",
            /// The training provider.
            provider: Organization = "/provider",
            /// The occupation the course trains for.
            occupation: Occupation = "/occupation",
            /// Service categories, one or more.
            service_categories: NonEmpty<ServiceCategory> = "/serviceCategories",
            /// Kind of training.
            training_type: TrainingType = "/trainingType",
            /// Online, offline or blended.
            delivery_mode: DeliveryMode = "/deliveryMode",
            /// Class hours.
            class_hours: Decimal = "/classHours",
        }
        optional {
            /// All modules at once (or add them one at a time with `module`).
            modules: Vec<Module> = "/modules",
            /// Class hours of professional ethics.
            ethics_hours: Decimal = "/ethicsHours",
            /// The skill level the course prepares for.
            target_level: Level = "/targetLevel",
            /// The national training action the course belongs to.
            programme: Text<200> = "/programme",
            /// Credits the course awards.
            credits: Decimal = "/credits",
            /// First day the course is offered.
            valid_from: Date = "/validFrom",
            /// Last day the course is offered.
            valid_until: Date = "/validUntil",
        }
        defaulted { extensions: Extensions = "/extensions" }
    }
}

builder! {
    /// Builds a [`Module`] of a course.
    Module => ModuleBuilder {
        fixed {}
        required {
            /// Title by language (text alone is the `zh-CN` title).
            title: LocalizedText = "/title",
            /// Class hours of the module.
            class_hours: Decimal = "/classHours",
            /// What the module is about.
            topic: ModuleTopic = "/topic",
        }
        optional {}
    }
}

builder! {
    /// Builds a [`Completion`].
    Completion => CompletionBuilder {
        fixed { kind: CompletionKind, schema_version: V2 }
        required {
            /// Record id.
            id: RecordId = "/id",
            /// The learner: a [`PersonRef`], an [`IdDocument`], a person's [`RecordId`] or a
            /// [`DocumentDigest`].
            learner: PersonRef = "/learner",
            /// The course: a [`CourseRef`], a course's [`RecordId`] or a `&Course`.
            course: CourseRef = "/course",
            /// The training provider.
            provider: Organization = "/provider",
            /// Where the learner stands.
            status: CompletionStatus = "/status",
            /// When the learner enrolled.
            enrolled_at: Timestamp = "/enrolledAt",
            /// Class hours earned.
            class_hours: Decimal = "/classHours",
        }
        optional {
            /// Kind of training, as the course's.
            training_type: TrainingType = "/trainingType",
            /// Delivery mode, as the course's.
            delivery_mode: DeliveryMode = "/deliveryMode",
            /// When the learner started.
            started_at: Timestamp = "/startedAt",
            /// When the learner completed.
            completed_at: Timestamp = "/completedAt",
            /// Online learning outcomes.
            online_learning: OnlineLearning = "/onlineLearning",
            /// The assessment and its result.
            assessment: Assessment = "/assessment",
            /// Credits earned.
            credits_earned: Decimal = "/creditsEarned",
        }
        defaulted { extensions: Extensions = "/extensions" }
    }
}

builder! {
    /// Builds an [`OnlineLearning`].
    OnlineLearning => OnlineLearningBuilder {
        fixed {}
        required {
            /// Minutes of study recorded by the platform.
            study_minutes: Count = "/studyMinutes",
            /// Face checks during study.
            face_checks: FaceChecks = "/faceChecks",
        }
        optional {}
    }
}

builder! {
    /// Builds [`FaceChecks`]: `passed` and `total` are set by name, so they cannot be swapped.
    FaceChecks => FaceChecksBuilder {
        fixed {}
        required {
            /// Checks passed.
            passed: Count = "/passed",
            /// Checks made.
            total: Count = "/total",
        }
        optional {}
    }
}

builder! {
    /// Builds an [`Assessment`]: `score`, `max_score` and `pass_score` are set by name, so
    /// they cannot be swapped.
    Assessment => AssessmentBuilder {
        fixed {}
        required {
            /// How the learner was assessed.
            method: AssessmentMethod = "/method",
            /// The score.
            score: Decimal = "/score",
            /// The highest possible score.
            max_score: Decimal = "/maxScore",
            /// Whether the learner passed.
            passed: bool = "/passed",
            /// When the assessment took place.
            assessed_at: Timestamp = "/assessedAt",
        }
        optional {
            /// The pass mark.
            pass_score: Decimal = "/passScore",
        }
    }
}

builder! {
    /// Builds a [`Certificate`].
    Certificate => CertificateBuilder {
        fixed { kind: CertificateKind, schema_version: V2 }
        required {
            /// Record id.
            id: RecordId = "/id",
            /// Kind of certificate.
            certificate_type: CertificateType = "/certificateType",
            /// Certificate number.
            number: CertificateNumber = "/number",
            /// The holder: a [`PersonRef`], an [`IdDocument`], a person's [`RecordId`] or a
            /// [`DocumentDigest`].
            holder: PersonRef = "/holder",
            /// The holder's legal name as printed.
            holder_name: PersonName = "/holderName",
            /// The certified occupation.
            occupation: Occupation = "/occupation",
            /// The issuing organization.
            issuer: Organization = "/issuer",
            /// Date of issue.
            issued_on: Date = "/issuedOn",
            /// Whether the certificate is in force.
            status: CertificateStatus = "/status",
        }
        optional {
            /// Level (skill-level and vocational-qualification certificates).
            level: Level = "/level",
            /// Last day of validity.
            valid_until: Date = "/validUntil",
            /// Why it is suspended or revoked.
            status_reason: Text<500> = "/statusReason",
            /// All evidence ids at once (or add them one at a time with `evidence_id`).
            evidence: Vec<RecordId> = "/evidence",
            /// Public page where it can be verified.
            verification_url: HttpsUrl = "/verificationUrl",
        }
        defaulted { extensions: Extensions = "/extensions" }
    }
}

builder! {
    /// Builds a [`Batch`] envelope; add records with `record`, or write a large upload with
    /// the streaming [`BatchWriter`](crate::write::BatchWriter) instead.
    Batch => BatchBuilder {
        fixed { kind: BatchKind, schema_version: V2 }
        required {
            /// Batch id.
            id: RecordId = "/id",
            /// The sending organization.
            sender: Organization = "/sender",
            /// When the batch was created.
            created_at: Timestamp = "/createdAt",
        }
        optional {}
        defaulted { records: Vec<Record> = "/records", extensions: Extensions = "/extensions" }
    }
}

/// `extension(key, value)` on the builders of records and the batch.
macro_rules! extension_setter {
    ($($builder:ident),*) => {$(
        impl $builder {
            /// Adds an extension field under a namespaced key (`com.example:tag`); a bad key is
            /// a problem at `/extensions`.
            pub fn extension(mut self, key: impl IntoField<ExtensionKey>, value: Value) -> Self {
                if let Some(key) = self.problems.take_at(key, "/extensions".to_owned()) {
                    self.extensions.insert(key, value);
                }
                self
            }
        }
    )*};
}

field_parsed!(ExtensionKey);
extension_setter!(
    PersonBuilder,
    CourseBuilder,
    CompletionBuilder,
    CertificateBuilder,
    BatchBuilder
);

impl CourseBuilder {
    /// Adds one module (a [`Module`] or a [`ModuleBuilder`]); its problems are reported at
    /// `/modules/<index>/…`.
    pub fn module(mut self, module: impl IntoField<Module>) -> Self {
        let index = self.problems.next_index("/modules");
        if let Some(m) = self.problems.take_at(module, format!("/modules/{index}")) {
            self.modules.get_or_insert_with(Vec::new).push(m);
        }
        self
    }
}

impl CertificateBuilder {
    /// Adds the id of one completion the certificate rests on.
    pub fn evidence_id(mut self, id: impl IntoField<RecordId>) -> Self {
        let index = self.problems.next_index("/evidence");
        if let Some(id) = self.problems.take_at(id, format!("/evidence/{index}")) {
            self.evidence.get_or_insert_with(Vec::new).push(id);
        }
        self
    }
}

impl BatchBuilder {
    /// Adds one record of any kind.
    pub fn record(mut self, record: impl Into<Record>) -> Self {
        self.records.push(record.into());
        self
    }
}
