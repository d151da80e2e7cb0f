//! # DSTI — the Domestic Service Training Interchange
//!
//! One standard for the training records of China's domestic-service industry: typed records
//! for **training courses, completions, skill certificates and real-name identity**, JSON
//! Schemas generated from those types, validation that says exactly what is wrong with which
//! record, and migrations between versions of the standard.
//!
//! - [`v2`]: the records of version 2.0, the current one, as plain Rust data.
//! - [`v2_1`]: version 2.1, the newest (draft) edition: 2.0 plus signatures, certificate
//!   status and programme kinds.
//! - [`v1`]: the records of version 1.0, the first, flat edition still produced by older
//!   platforms.
//! - [`migrate`]: upgrades 1.0 → 2.0 → 2.1 and downgrades back, with a report for every record.
//! - [`ident`]: the identifiers they are made of (ID documents, credit codes, region codes…),
//!   each with one validator that every way in goes through.
//! - [`schema`]: JSON Schemas generated from the types.
//! - [`validate`]: one verdict per record with every finding; streams of millions of records.
//! - [`rules`]: the context every rule of every edition runs in (profile, "now", language).
//! - [`text`]: the language of messages and the one bilingual text type.
//! - [`Code`]: the stable validation codes.
//! - [`report`]: verdicts written for programs (`ndjson`, `json`) and for people (`text`).
//! - [`privacy`]: keyed document digests, so records link without moving ID numbers.
//! - [`synth`] (feature `synth`, on by default): realistic, valid synthetic records of both
//!   versions for integration tests.
//! - [`compat`]: what a new schema version breaks.
//! - [`write`](mod@write): streaming writers of uploads (NDJSON, JSON array, batch).
//! - [`sign`]: canonical JSON, keys, signed records (`proof`) and certificate status lists.
//! - [`project`]: certificates as Open Badges 3.0 credentials, completions as xAPI statements,
//!   with loss reports.
//! - [`history`]: valid records read as facts about people; per-person training histories
//!   (pre-job, retraining due, certificates in force, competitions).
//! - [`stats`]: counts of people, completions, class hours, certificates and competition
//!   entrants by programme, province, year, occupation and level.
//!
//! The `dsti` command-line tool (its arguments, files, progress bar and the bilingual reference
//! site) is the workspace member `crates/dsti-cli`; this library compiles no clap, no terminal
//! code and no HTML templates.
//!
//! ## Quick start
//!
//! Build a course and a learner's completion of it, check them, and write them as JSON:
//!
//! ```
//! use dsti::ident::{DocumentType, Timestamp};
//! use dsti::v2::{
//!     Completion, CompletionStatus, Course, DeliveryMode, Occupation, Organization,
//!     ServiceCategory, TrainingType,
//! };
//! use dsti::validate::{Options, Validator};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let provider = Organization::builder()
//!     .name("广州市巾帼家政培训学校")
//!     .uscc("91440101MA5CYUF35N")
//!     .build()?;
//! let course = Course::builder()
//!     .id("0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11")
//!     .code("MY-2026-01")
//!     .title("母婴护理员岗前培训")
//!     .provider(provider.clone())
//!     .occupation(Occupation::builder().code("4-10-01-06"))
//!     .service_categories(ServiceCategory::MaternityCare)
//!     .training_type(TrainingType::PreJob)
//!     .delivery_mode(DeliveryMode::Blended)
//!     .class_hours(64.0)
//!     .build()?;
//!
//! let completion = Completion::builder()
//!     .id("5d1c7e0a-8f3b-4b2e-a1c4-6e9d2f0b7a35")
//!     .learner((DocumentType::ResidentIdCard, "11010519491231002X"))
//!     .course(&course)
//!     .provider(provider)
//!     .status(CompletionStatus::Completed)
//!     .enrolled_at("2026-03-01T09:00:00+08:00")
//!     .completed_at(Timestamp::from(chrono::DateTime::parse_from_rfc3339("2026-03-20T17:00:00+08:00")?))
//!     .class_hours(64.0)
//!     .build()?;
//!
//! // The same verdict as validating the JSON, without writing it.
//! let validator = Validator::new(Options::default());
//! assert!(validator.check(&course).is_valid());
//! assert!(validator.check(&completion).is_valid());
//!
//! println!("{}", serde_json::to_string_pretty(&course)?);
//! let json = serde_json::to_string(&completion)?;
//! assert!(json.starts_with(r#"{"kind":"completion","schemaVersion":"2.0","#));
//! // Sensitive values are masked in Debug output.
//! assert!(!format!("{completion:?}").contains("11010519491231002X"));
//! # Ok(())
//! # }
//! ```

mod code;
pub mod compat;
mod edition;
mod fields;
mod finding;
mod framing;
pub mod history;
pub mod ident;
mod kind;
mod mask;
pub mod migrate;
pub mod privacy;
mod profile;
pub mod project;
pub mod report;
pub mod rules;
pub mod schema;
mod schemagen;
pub mod sign;
pub mod stats;
#[cfg(feature = "synth")]
pub mod synth;
pub mod text;
pub mod v1;
pub mod v2;
pub mod v2_1;
pub mod validate;
mod wire_enum;
pub mod write;

pub use code::{Code, Severity, UnknownCode};
pub use kind::{DocumentKind, Kind, UnknownName, Version};
pub use mask::Mask;
pub use wire_enum::UnknownValue;

/// The README's examples are tested too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
