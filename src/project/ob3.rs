//! Certificates as 1EdTech Open Badges 3.0 `OpenBadgeCredential`s (W3C Verifiable Credentials
//! Data Model 2.0 with the OB 3.0 context).
//!
//! | DSTI certificate | credential |
//! |---|---|
//! | `id` | `id` (`urn:uuid:…`) |
//! | `certificateType` | `credentialSubject.achievement.achievementType` |
//! | `number` | `credentialSubject.licenseNumber` |
//! | `holder` | `credentialSubject.identifier`: a hashed `IdentityObject` over the keyed `documentDigest`; `credentialSubject.id` from `personId` |
//! | `occupation` | `achievement.alignment` (the occupation classification), `achievement.specialization` (job type) |
//! | `level` | `credentialSubject.result` against the achievement's level `resultDescription` |
//! | `issuer` | `issuer` (a `Profile`, the credit code as `otherIdentifier`) |
//! | `issuedOn`, `validUntil` | `validFrom`/`issuanceDate`/`awardedDate`, `validUntil`/`expirationDate` (China Standard Time) |
//! | `evidence` | `evidence` (`urn:uuid:` of each completion) |
//! | `credentialStatus` | `credentialStatus`, a `BitstringStatusListEntry` |
//!
//! The holder's name, the document and the DSTI signature are never carried; see the loss
//! report of each record.

use serde_json::{json, Map, Value};

use super::{digest_of, extension_losses, person_losses, Loss, Options, Skip};
use crate::ident::Date;
use crate::v2::{CertificateStatus, CertificateType};
use crate::v2_1::Certificate;

/// The W3C Verifiable Credentials 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context.
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The URL of 1EdTech's achievement-credential JSON Schema the credentials are valid under.
pub const OB3_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// The `identityType` of the hashed identifier: the SHA-256 of a keyed document digest.
pub const IDENTITY_TYPE: &str = "ext:dstiDocumentDigest";

/// The id of the achievement's level scale.
const LEVEL_SCALE: &str = "urn:dsti:result:skill-level";

/// The five levels, low to high, as the result's allowed values.
const LEVELS: [&str; 5] = [
    "junior",
    "intermediate",
    "senior",
    "technician",
    "senior-technician",
];

/// A calendar date as the instant its day starts in China Standard Time.
fn start_of_day(date: &Date) -> String {
    format!("{}T00:00:00+08:00", date.as_str())
}

/// A calendar date as the last second of its day in China Standard Time.
fn end_of_day(date: &Date) -> String {
    format!("{}T23:59:59+08:00", date.as_str())
}

/// OB 3.0's `achievementType` of a certificate type.
fn achievement_type(t: CertificateType) -> &'static str {
    match t {
        CertificateType::SkillLevel | CertificateType::VocationalQualification => "Certification",
        CertificateType::SpecialAbility => "Certificate",
        CertificateType::TrainingCompletion => "CertificateOfCompletion",
    }
}

/// `sha256$<hex>` of a keyed digest: OB 3.0's IdentityHash form.
pub fn identity_hash(document_digest: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(document_digest.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// The credential of a certificate, and its losses.
pub fn credential(c: &Certificate, options: &Options) -> Result<(Value, Vec<Loss>), Skip> {
    if c.status != CertificateStatus::Valid && c.credential_status.is_none() {
        return Err(Skip::NotInForce);
    }
    let digest = digest_of(&c.holder, options)?;
    if digest.is_none() && c.holder.person_id.is_none() {
        return Err(Skip::NoIdentity);
    }
    let mut losses = Vec::new();

    let code = c.occupation.code.as_str();
    let known = c.occupation.code.lookup();
    let occupation_zh = c
        .occupation
        .name
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .or_else(|| known.map(|o| o.name_zh.to_owned()))
        .unwrap_or_else(|| code.to_owned());
    let type_zh = c.certificate_type.label_zh();
    let type_en = c.certificate_type.label_en();
    let level_part = c
        .level
        .map(|l| format!("（{}）", l.name_zh()))
        .unwrap_or_default();
    let name = format!("{type_zh}：{occupation_zh}{level_part}");

    let mut alignment = json!({
        "type": ["Alignment"],
        "targetName": occupation_zh,
        "targetCode": code,
        "targetFramework": "中华人民共和国职业分类大典 / Occupational Classification of the People's Republic of China",
        "targetType": "ext:OccupationCode",
        "targetUrl": format!("urn:dsti:occupation:{code}"),
    });
    if let (Some(o), Some(map)) = (known, alignment.as_object_mut()) {
        map.insert(
            "targetDescription".into(),
            Value::String(o.name_en.to_owned()),
        );
    }

    let mut achievement = Map::new();
    let achievement_id = match c.level {
        Some(level) => format!(
            "urn:dsti:achievement:{}:{code}:{}",
            c.certificate_type.as_str(),
            level.as_str()
        ),
        None => format!(
            "urn:dsti:achievement:{}:{code}",
            c.certificate_type.as_str()
        ),
    };
    achievement.insert("id".into(), Value::String(achievement_id));
    achievement.insert("type".into(), json!(["Achievement"]));
    achievement.insert(
        "achievementType".into(),
        Value::String(achievement_type(c.certificate_type).into()),
    );
    achievement.insert("name".into(), Value::String(name.clone()));
    achievement.insert(
        "description".into(),
        Value::String(format!("{type_en} ({type_zh}), occupation {code}")),
    );
    achievement.insert(
        "criteria".into(),
        json!({"narrative": format!("{type_zh}：职业 {code} 的职业标准规定的考核 / the assessment the occupational standard of {code} sets")}),
    );
    achievement.insert("alignment".into(), json!([alignment]));
    achievement.insert("fieldOfStudy".into(), Value::String(occupation_zh.clone()));
    achievement.insert("humanCode".into(), Value::String(code.to_owned()));
    achievement.insert("@language".into(), Value::String("zh-CN".into()));
    if let Some(job) = &c.occupation.job_type {
        achievement.insert("specialization".into(), Value::String(job.as_str().into()));
    }

    let mut subject = Map::new();
    if let Some(id) = &c.holder.person_id {
        subject.insert(
            "id".into(),
            Value::String(format!("urn:uuid:{}", id.as_str())),
        );
    }
    subject.insert("type".into(), json!(["AchievementSubject"]));
    if let Some(digest) = &digest {
        subject.insert(
            "identifier".into(),
            json!([{
                "type": "IdentityObject",
                "hashed": true,
                "identityHash": identity_hash(digest.as_str()),
                "identityType": IDENTITY_TYPE,
            }]),
        );
    }
    subject.insert(
        "licenseNumber".into(),
        Value::String(c.number.as_str().into()),
    );
    if let Some(level) = c.level {
        achievement.insert(
            "resultDescription".into(),
            json!([{
                "id": LEVEL_SCALE,
                "type": ["ResultDescription"],
                "name": "职业技能等级 / skill level",
                "resultType": "PerformanceLevel",
                "allowedValue": LEVELS,
            }]),
        );
        subject.insert(
            "result".into(),
            json!([{
                "type": ["Result"],
                "resultDescription": LEVEL_SCALE,
                "value": level.as_str(),
            }]),
        );
    }
    subject.insert("achievement".into(), Value::Object(achievement));
    person_losses(&c.holder, "/holder", &mut losses);
    losses.push(Loss::new(
        "/holderName",
        "the holder's name is never projected: names do not leave DSTI",
        "持证人姓名从不投射：姓名不离开 DSTI",
    ));

    let issuer = &c.issuer;
    let issued = start_of_day(&c.issued_on);
    let mut credential = Map::new();
    credential.insert("@context".into(), json!([VC_CONTEXT, OB3_CONTEXT]));
    credential.insert(
        "id".into(),
        Value::String(format!("urn:uuid:{}", c.id.as_str())),
    );
    credential.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    credential.insert("name".into(), Value::String(name));
    credential.insert(
        "issuer".into(),
        json!({
            "id": format!("urn:dsti:organization:{}", issuer.uscc.as_str()),
            "type": ["Profile"],
            "name": issuer.name.as_str(),
            "otherIdentifier": [{
                "type": "IdentifierEntry",
                "identifier": issuer.uscc.as_str(),
                "identifierType": "ext:uscc",
            }],
        }),
    );
    if issuer.region.is_some() {
        losses.push(Loss::new(
            "/issuer/region",
            "the issuer's region code has no place in the issuer profile",
            "发证机构的行政区划代码在发证方档案中没有对应位置",
        ));
    }
    credential.insert("validFrom".into(), Value::String(issued.clone()));
    credential.insert("issuanceDate".into(), Value::String(issued.clone()));
    credential.insert("awardedDate".into(), Value::String(issued));
    if let Some(until) = &c.valid_until {
        let end = end_of_day(until);
        credential.insert("validUntil".into(), Value::String(end.clone()));
        credential.insert("expirationDate".into(), Value::String(end));
    }
    credential.insert("credentialSubject".into(), Value::Object(subject));
    if let Some(evidence) = &c.evidence {
        let items: Vec<Value> = evidence
            .iter()
            .map(|id| {
                json!({
                    "id": format!("urn:uuid:{}", id.as_str()),
                    "type": ["Evidence"],
                    "name": "DSTI completion / 学习记录",
                })
            })
            .collect();
        credential.insert("evidence".into(), Value::Array(items));
    }
    if let Some(status) = &c.credential_status {
        let index = status.status_list_index.get().to_string();
        let list = status.status_list_credential.as_str();
        credential.insert(
            "credentialStatus".into(),
            json!({
                "id": format!("{list}#{index}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": status.status_purpose.as_str(),
                "statusListIndex": index,
                "statusListCredential": list,
            }),
        );
    }
    credential.insert(
        "credentialSchema".into(),
        json!([{"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]),
    );

    if c.status != CertificateStatus::Valid {
        losses.push(Loss::new(
            "/status",
            "the certificate's status is carried only by its status list entry: the credential itself says nothing",
            "证书状态只通过状态列表条目体现，凭证本身不含状态",
        ));
    }
    if c.status_reason.is_some() {
        losses.push(Loss::new(
            "/statusReason",
            "the reason for a suspension or revocation has no place in the credential",
            "暂停或撤销的原因在凭证中没有对应位置",
        ));
    }
    if c.verification_url.is_some() {
        losses.push(Loss::new(
            "/verificationUrl",
            "the public verification page has no place in the credential",
            "证书查验网址在凭证中没有对应位置",
        ));
    }
    if c.proof.is_some() {
        losses.push(Loss::new(
            "/proof",
            "the DSTI signature covers the DSTI record, not the credential: not carried (secure the credential with --key)",
            "DSTI 签名针对 DSTI 记录而非凭证，不投射（可用 --key 为凭证签名）",
        ));
    }
    extension_losses(&c.extensions, &mut losses);
    Ok((Value::Object(credential), losses))
}
