//! Projections of DSTI records to international formats: certificates as 1EdTech Open Badges
//! 3.0 credentials ([`ob3`]), completions as xAPI 2.0 statements ([`xapi`]), each with a loss
//! report in English and Chinese: what the DSTI record says that the target cannot carry.
//!
//! The raw document number never leaves: a person is carried as the keyed `documentDigest`
//! (the one the record has, or the one computed with [`Options::digest_key`]). Names and phone
//! numbers are never projected. Records of every version are read (1.0 and 2.0 are upgraded
//! to 2.1 in memory first); a record that is invalid is not projected, and says why.
//!
//! ```
//! use dsti::project::{project_value, Options, Target};
//! let json = include_str!("../tests/vectors/2.1/valid/certificate-signed.json");
//! let record: serde_json::Value = serde_json::from_str(json).unwrap();
//! let out = project_value(&record, Target::Ob3, &Options::default());
//! let credential = out.output.expect("a valid certificate projects");
//! assert_eq!(credential["type"][1], "OpenBadgeCredential");
//! assert!(out.report.losses.iter().any(|l| l.path == "/holderName"));
//! ```

pub mod ob3;
mod report;
pub mod xapi;

use std::io::{self, Read};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

pub use report::ProjectionReportWriter;

use crate::ident::{DocumentDigest, Timestamp};
use crate::migrate::{self, Converted, MigrationEvents, Refusal};
use crate::privacy::{DigestAlgorithm, DigestKey};
use crate::rules::RuleContext;
use crate::text::Lang;
use crate::v2::PersonRef;
use crate::validate::InputFormat;
use crate::{v2_1, DocumentKind, Version};

/// The default `homePage` of xAPI actors' accounts, and the base of the issuer profiles' ids.
pub const DEFAULT_HOME_PAGE: &str = "https://dsti.example/";

/// The format records are projected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Target {
    /// 1EdTech Open Badges 3.0: each certificate as an `OpenBadgeCredential`.
    Ob3,
    /// xAPI 2.0: each finished completion as a statement.
    Xapi,
}

impl Target {
    /// The target's name as the command line writes it: `ob3` or `xapi`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Target::Ob3 => "ob3",
            Target::Xapi => "xapi",
        }
    }
}

/// How records are projected.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The exchange's digest key: needed for records that carry a raw document number (their
    /// digest is computed with it); records that carry a `documentDigest` need none.
    pub digest_key: Option<DigestKey>,
    /// The HMAC of digests computed with `digest_key`.
    pub digest_algorithm: DigestAlgorithm,
    /// The public base URL of the exchange: xAPI accounts' `homePage`.
    pub home_page: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            digest_key: None,
            digest_algorithm: DigestAlgorithm::default(),
            home_page: DEFAULT_HOME_PAGE.to_owned(),
        }
    }
}

impl Options {
    /// These options with a digest key.
    pub fn digest_key(mut self, key: DigestKey) -> Self {
        self.digest_key = Some(key);
        self
    }

    /// These options with another HMAC for computed digests.
    pub fn digest_algorithm(mut self, algorithm: DigestAlgorithm) -> Self {
        self.digest_algorithm = algorithm;
        self
    }

    /// These options with another public base URL.
    pub fn home_page(mut self, url: impl Into<String>) -> Self {
        self.home_page = url.into();
        self
    }
}

/// One thing a DSTI record says that its projection does not carry. Messages never contain a
/// value of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Loss {
    /// JSON Pointer of the value in the (2.1) record.
    pub path: String,
    /// What was lost and why, in English.
    pub message_en: String,
    /// What was lost and why, in Chinese.
    pub message_zh: String,
}

impl Loss {
    pub(crate) fn new(path: &str, en: &str, zh: &str) -> Self {
        Loss {
            path: path.to_owned(),
            message_en: en.to_owned(),
            message_zh: zh.to_owned(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            _ => &self.message_en,
        }
    }
}

/// Why a valid record was not projected. The record is counted, not dropped silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// The target has no object for records of this kind (a person, a course…).
    Kind,
    /// A completion that is not finished (enrolled, in progress, withdrawn): no statement.
    NotFinished,
    /// A suspended or revoked certificate without a `credentialStatus`: a credential would
    /// look valid, so none is made.
    NotInForce,
    /// The record carries a raw document number and no digest key was given.
    NoDigestKey,
    /// The record names its person by none of a document, a digest or a person id.
    NoIdentity,
}

impl Skip {
    /// The stable code: `kind`, `not-finished`, `not-in-force`, `no-digest-key`, `no-identity`.
    pub const fn code(self) -> &'static str {
        match self {
            Skip::Kind => "kind",
            Skip::NotFinished => "not-finished",
            Skip::NotInForce => "not-in-force",
            Skip::NoDigestKey => "no-digest-key",
            Skip::NoIdentity => "no-identity",
        }
    }

    /// The reason in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Skip::Kind, Lang::Zh) => "目标格式没有此类记录的对应对象",
            (Skip::NotFinished, Lang::Zh) => "学习尚未结束（已报名、学习中或已退出），不生成学习陈述",
            (Skip::NotInForce, Lang::Zh) => {
                "证书已暂停或撤销且没有 credentialStatus，投射后会显得有效，故不投射"
            }
            (Skip::NoDigestKey, Lang::Zh) => {
                "记录含证件号码但未提供摘要密钥（--digest-key-file），证件号码不得外传"
            }
            (Skip::NoIdentity, Lang::Zh) => "记录没有可投射的人员标识",
            (Skip::Kind, _) => "the target has no object for records of this kind",
            (Skip::NotFinished, _) => {
                "the completion is not finished (enrolled, in progress or withdrawn): no statement"
            }
            (Skip::NotInForce, _) => {
                "the certificate is suspended or revoked and has no credentialStatus: a credential would look valid"
            }
            (Skip::NoDigestKey, _) => {
                "the record carries a document number and no digest key was given (--digest-key-file); the number never leaves"
            }
            (Skip::NoIdentity, _) => "the record names its person in no way that can be projected",
        }
    }
}

impl Serialize for Skip {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("messageEn", self.message(Lang::En))?;
        map.serialize_entry("messageZh", self.message(Lang::Zh))?;
        map.end()
    }
}

/// What became of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Projected; the output object exists.
    Projected,
    /// Valid, but not projected, for this reason.
    Skipped {
        /// Why.
        reason: Skip,
    },
    /// Invalid (or unreadable): not projected.
    Refused {
        /// Why, as `dsti migrate` says it.
        reason: Refusal,
    },
}

/// The report on one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProjectionReport {
    /// 0-based position of the record in its input.
    pub index: u64,
    /// The record's kind, when it could be read.
    pub kind: Option<DocumentKind>,
    /// The record's version, when it could be read.
    pub from: Option<Version>,
    /// The target format.
    pub target: Target,
    /// Projected, skipped or refused.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What the record says that the projection does not carry.
    pub losses: Vec<Loss>,
}

impl ProjectionReport {
    /// Whether the record was projected.
    pub fn projected(&self) -> bool {
        self.outcome == Outcome::Projected
    }
}

/// The result of projecting one record: the target object (`None` unless projected) and the
/// report.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Projected {
    /// The credential or statement.
    pub output: Option<Value>,
    /// What happened.
    pub report: ProjectionReport,
}

/// Project one typed 2.1 record: the object and its losses, or why it is not projected.
pub fn project_record(
    record: &v2_1::Record,
    target: Target,
    options: &Options,
) -> Result<(Value, Vec<Loss>), Skip> {
    match (target, record) {
        (Target::Ob3, v2_1::Record::Certificate(c)) => ob3::credential(c, options),
        (Target::Xapi, v2_1::Record::Completion(c)) => xapi::statement(c, options),
        _ => Err(Skip::Kind),
    }
}

/// Project one record given as JSON, of any version: it is validated and upgraded to 2.1 as
/// `dsti migrate` would, then projected.
pub fn project_value(value: &Value, target: Target, options: &Options) -> Projected {
    let out = migrate::migrate(value, Version::V2_1);
    finish(out.record, out.report, target, options)
}

fn finish(
    record: Option<Converted>,
    migration: migrate::MigrationReport,
    target: Target,
    options: &Options,
) -> Projected {
    let mut report = ProjectionReport {
        index: migration.index,
        kind: migration.kind,
        from: migration.from,
        target,
        outcome: Outcome::Projected,
        losses: Vec::new(),
    };
    if let migrate::Outcome::Refused { reason } = migration.outcome {
        report.outcome = Outcome::Refused { reason };
        return Projected {
            output: None,
            report,
        };
    }
    let Some(Converted::V2_1(record)) = record else {
        // A batch envelope (or anything else that is not a record) is not projected.
        report.outcome = Outcome::Skipped { reason: Skip::Kind };
        return Projected {
            output: None,
            report,
        };
    };
    match project_record(&record, target, options) {
        Ok((output, losses)) => {
            report.losses = losses;
            Projected {
                output: Some(output),
                report,
            }
        }
        Err(reason) => {
            report.outcome = Outcome::Skipped { reason };
            Projected {
                output: None,
                report,
            }
        }
    }
}

/// The lazy projection of an upload; see [`project_reader`].
pub struct Projections<'o, R> {
    events: MigrationEvents<R>,
    target: Target,
    options: &'o Options,
}

impl<R> std::fmt::Debug for Projections<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projections")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Iterator for Projections<'_, R> {
    type Item = io::Result<Projected>;

    fn next(&mut self) -> Option<Self::Item> {
        let migrated = match self.events.next()? {
            Ok(m) => m,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(finish(
            migrated.record,
            migrated.report,
            self.target,
            self.options,
        )))
    }
}

/// Project every record of an upload (NDJSON, a JSON array, one record or a batch, of any
/// version), lazily, one [`Projected`] per record in input order.
pub fn project_reader<R: Read>(
    reader: R,
    format: InputFormat,
    target: Target,
    options: &Options,
) -> io::Result<Projections<'_, R>> {
    Ok(Projections {
        events: migrate::migrate_reader(reader, format, Version::V2_1)?,
        target,
        options,
    })
}

/// [`project_reader`] in a rule context: records are validated with the context's profile and
/// "now" (`dsti export --profile --now`), as [`migrate::migrate_reader_in`] validates them.
pub fn project_reader_in<'o, R: Read>(
    reader: R,
    format: InputFormat,
    target: Target,
    options: &'o Options,
    ctx: &RuleContext,
) -> io::Result<Projections<'o, R>> {
    Ok(Projections {
        events: migrate::migrate_reader_in(reader, format, Version::V2_1, ctx)?,
        target,
        options,
    })
}

/// The keyed digest a person reference is carried as: its own `documentDigest`, or the digest
/// of its document under the options' key. `Ok(None)` when it has neither (only a person id).
pub(crate) fn digest_of(
    person: &PersonRef,
    options: &Options,
) -> Result<Option<DocumentDigest>, Skip> {
    if let Some(digest) = &person.document_digest {
        return Ok(Some(digest.clone()));
    }
    match (&person.document, &options.digest_key) {
        (Some(document), Some(key)) => Ok(Some(document.digest(key, options.digest_algorithm))),
        (Some(_), None) => Err(Skip::NoDigestKey),
        (None, _) => Ok(None),
    }
}

/// The losses every person reference has: its document is carried only as a digest.
pub(crate) fn person_losses(person: &PersonRef, at: &str, losses: &mut Vec<Loss>) {
    if person.document.is_some() {
        losses.push(Loss::new(
            &format!("{at}/document"),
            "the identity document (type, number, country) is not carried: only its keyed digest is",
            "身份证件（类型、号码、国家）不投射，只投射其密钥摘要",
        ));
    }
}

/// The losses of a record's extensions.
pub(crate) fn extension_losses(extensions: &crate::ident::Extensions, losses: &mut Vec<Loss>) {
    for (key, _) in extensions.iter() {
        losses.push(Loss::new(
            &format!("/extensions/{}", pointer_escape(key.as_str())),
            "an extension field has no place in the target",
            "扩展字段在目标格式中没有对应位置",
        ));
    }
}

fn pointer_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A timestamp as UTC with a `Z`, seconds or milliseconds as the instant has them.
pub(crate) fn utc(ts: &Timestamp) -> String {
    let t = ts.datetime().with_timezone(&chrono::Utc);
    if t.timestamp_subsec_millis() == 0 {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

/// The VC-JOSE secured form of a credential: a compact JWS (`typ` `vc+jwt`, `cty` `vc`) whose
/// payload is the credential, signed with a `dsti::sign` key (Ed25519 `EdDSA` or `SM2SM3`).
#[cfg(feature = "sign")]
pub fn secure_jose(
    credential: &Value,
    key: &crate::sign::keys::PrivateKey,
) -> Result<String, crate::sign::jws::SignError> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let kid = key.kid().ok_or(crate::sign::jws::SignError::NoKid)?;
    let header =
        serde_json::json!({"alg": key.alg().as_str(), "kid": kid, "typ": "vc+jwt", "cty": "vc"});
    let header = URL_SAFE_NO_PAD.encode(header.to_string());
    let payload = URL_SAFE_NO_PAD.encode(credential.to_string());
    let input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()));
    Ok(format!("{input}.{signature}"))
}

/// A secured credential as VC 2.0 writes one inside JSON: an `EnvelopedVerifiableCredential`
/// whose `id` is the `data:application/vc+jwt,` URL of the compact JWS.
pub fn enveloped(jws: &str) -> Value {
    serde_json::json!({
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": format!("data:application/vc+jwt,{jws}"),
        "type": "EnvelopedVerifiableCredential",
    })
}
