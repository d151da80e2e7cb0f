//! Signed records: a `proof` member holding a compact JWS with unencoded, detached payload
//! (RFC 7797), over the RFC 8785 bytes of the record without its `proof`.
//!
//! ```text
//! proof = {"type":"DetachedJws","alg":"EdDSA"|"SM2SM3","kid":URI,"created":Timestamp,
//!          "jws":"<protected>..<signature>"}
//! protected = base64url({"alg":…,"b64":false,"created":…,"crit":["b64"],"kid":…})
//! signed bytes = ASCII(protected) || "." || JCS(record without "proof")
//! ```
//!
//! The protected header repeats the proof's `created`, so that the time is signed too; a
//! verifier refuses a proof whose `alg`, `kid` or `created` differ from the header's.
//!
//! Everything works on [`serde_json::Value`]: records of any kind and version, batches, and
//! extension fields, which the signature covers like every other member.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::jcs;
use super::keys::{Alg, Jwks, PrivateKey, PublicKey};
use crate::ident::Timestamp;
use crate::v2_1::{KeyId, Proof, ProofAlg};

/// The member of a record that holds its proof.
pub const PROOF: &str = "proof";

/// The `type` of every DSTI proof.
pub const PROOF_TYPE: &str = "DetachedJws";

/// Why a record could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// Only a JSON object can carry a proof.
    #[error("only a JSON object can be signed")]
    NotAnObject,
    /// The key has no `kid`, so a verifier could not find it.
    #[error("the key has no kid: give one (a URI naming the key in the issuer's JWKS)")]
    NoKid,
    /// The proof would not be one the standard accepts: a `kid` that is not a URI, a `created`
    /// that is not an RFC 3339 time with an offset.
    #[error("proof: {0}")]
    Proof(String),
}

/// What is wrong with a record's signature or status: the codes of `dsti verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum VerifyCode {
    /// The record has no `proof` (and no signed batch covers it).
    SignatureMissing,
    /// The proof is malformed, or its signature does not match the record's bytes.
    SignatureInvalid,
    /// The proof names a `kid` the verifier's key set does not hold.
    SignatureUnknownKey,
    /// The certificate's bit is set in its revocation list.
    StatusRevoked,
    /// The certificate's bit is set in its suspension list.
    StatusSuspended,
}

impl VerifyCode {
    /// Every code.
    pub const ALL: &'static [VerifyCode] = &[
        VerifyCode::SignatureMissing,
        VerifyCode::SignatureInvalid,
        VerifyCode::SignatureUnknownKey,
        VerifyCode::StatusRevoked,
        VerifyCode::StatusSuspended,
    ];

    /// The dotted wire name, e.g. `"signature.invalid"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            VerifyCode::SignatureMissing => "signature.missing",
            VerifyCode::SignatureInvalid => "signature.invalid",
            VerifyCode::SignatureUnknownKey => "signature.unknown-key",
            VerifyCode::StatusRevoked => "status.revoked",
            VerifyCode::StatusSuspended => "status.suspended",
        }
    }

    /// What the code means, in English.
    pub const fn summary_en(self) -> &'static str {
        match self {
            VerifyCode::SignatureMissing => "the record is not signed",
            VerifyCode::SignatureInvalid => "the signature does not match the record",
            VerifyCode::SignatureUnknownKey => {
                "the record is signed with a key that is not trusted here"
            }
            VerifyCode::StatusRevoked => "the certificate has been revoked",
            VerifyCode::StatusSuspended => "the certificate is suspended",
        }
    }

    /// What the code means, in Chinese.
    pub const fn summary_zh(self) -> &'static str {
        match self {
            VerifyCode::SignatureMissing => "记录没有签名",
            VerifyCode::SignatureInvalid => "签名与记录内容不符",
            VerifyCode::SignatureUnknownKey => "签名所用密钥不在受信任的密钥集中",
            VerifyCode::StatusRevoked => "证书已被撤销",
            VerifyCode::StatusSuspended => "证书已被暂停",
        }
    }
}

impl fmt::Display for VerifyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for VerifyCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding of signature verification: a code and, for people, what exactly failed (never a
/// value from the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureIssue {
    /// The code.
    pub code: VerifyCode,
    /// What failed, in English (e.g. `"the JWS header is not base64url JSON"`).
    pub detail: &'static str,
}

impl SignatureIssue {
    fn new(code: VerifyCode, detail: &'static str) -> Self {
        SignatureIssue { code, detail }
    }
}

/// A detached JWS taken apart (its header read): `<protected>..<signature>`; the wire string
/// itself is [`crate::v2_1::DetachedJws`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedJws {
    /// The algorithm the protected header names.
    pub alg: Alg,
    /// The key the protected header names.
    pub kid: String,
    /// The time the protected header names, when it names one.
    pub created: Option<String>,
    /// The protected header as written (base64url), part of the signed bytes.
    protected: String,
    /// The raw signature.
    pub signature: Vec<u8>,
}

impl ParsedJws {
    /// Parse the compact detached form. The header must be `{"alg","kid","b64":false,
    /// "crit":["b64"]}` (other members are allowed, other critical extensions are not).
    pub fn parse(jws: &str) -> Result<ParsedJws, &'static str> {
        let mut parts = jws.split('.');
        let (Some(protected), Some(""), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("the JWS is not of the form <protected>..<signature>");
        };
        let header = URL_SAFE_NO_PAD
            .decode(protected)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
            .ok_or("the JWS header is not base64url JSON")?;
        if header.get("b64") != Some(&Value::Bool(false)) {
            return Err("the JWS header does not say \"b64\": false");
        }
        if header.get("crit") != Some(&json!(["b64"])) {
            return Err("the JWS header's \"crit\" is not [\"b64\"]");
        }
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(Alg::from_jws)
            .ok_or("the JWS header names no supported alg (EdDSA, SM2SM3)")?;
        let kid = header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or("the JWS header names no kid")?
            .to_owned();
        let created = match header.get("created") {
            None => None,
            Some(Value::String(c)) => Some(c.clone()),
            Some(_) => return Err("the JWS header's created is not a string"),
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| "the JWS signature is not base64url")?;
        Ok(ParsedJws {
            alg,
            kid,
            created,
            protected: protected.to_owned(),
            signature,
        })
    }

    /// The bytes the signature is over: `ASCII(protected) || "." || payload`.
    pub fn signing_input(&self, payload: &[u8]) -> Vec<u8> {
        signing_input(&self.protected, payload)
    }
}

fn signing_input(protected: &str, payload: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(protected.len() + 1 + payload.len());
    input.extend_from_slice(protected.as_bytes());
    input.push(b'.');
    input.extend_from_slice(payload);
    input
}

/// The protected header of `alg`/`kid`/`created`, base64url of its canonical JSON.
fn protected_header(alg: Alg, kid: &str, created: Option<&str>) -> String {
    let mut header = json!({"alg": alg.as_str(), "kid": kid, "b64": false, "crit": ["b64"]});
    if let (Some(created), Some(map)) = (created, header.as_object_mut()) {
        map.insert("created".into(), Value::String(created.into()));
    }
    URL_SAFE_NO_PAD.encode(jcs::canonicalize(&header))
}

/// The detached JWS of `payload` by `key` under `kid`, with `created` in the protected header
/// when given.
pub fn sign_detached(key: &PrivateKey, kid: &str, created: Option<&str>, payload: &[u8]) -> String {
    let protected = protected_header(key.alg(), kid, created);
    let signature = key.sign(&signing_input(&protected, payload));
    format!("{protected}..{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Sign the JSON object `record`: replace its `proof` with a new one by `key` (whose `kid`, a
/// URI, names it), `created` at the given RFC 3339 time (with an offset). The proof is version
/// 2.1's typed [`Proof`]; the record itself may be of any kind and version (the caller decides
/// which records carry a proof).
pub fn sign_value(record: &mut Value, key: &PrivateKey, created: &str) -> Result<(), SignError> {
    let kid = key.kid().ok_or(SignError::NoKid)?.to_owned();
    let Value::Object(map) = record else {
        return Err(SignError::NotAnObject);
    };
    map.remove(PROOF);
    let payload = jcs::canonicalize(record);
    let jws = sign_detached(key, &kid, Some(created), &payload);
    // The typed proof of version 2.1: its kid, created and jws are checked as the standard
    // checks them.
    let bad = |e: crate::ident::IdentError| SignError::Proof(e.to_string());
    let alg = match key.alg() {
        Alg::EdDsa => ProofAlg::EdDsa,
        Alg::Sm2Sm3 => ProofAlg::Sm2Sm3,
    };
    let proof = Proof::new(
        alg,
        KeyId::new(&kid).map_err(bad)?,
        created.parse::<Timestamp>().map_err(bad)?,
        crate::v2_1::DetachedJws::new(&jws).map_err(bad)?,
    );
    let proof = serde_json::to_value(&proof).map_err(|e| SignError::Proof(e.to_string()))?;
    if let Value::Object(map) = record {
        map.insert(PROOF.into(), proof);
    }
    Ok(())
}

/// Check the `proof` of the JSON object `record` against `keys`. `Ok` names the key that
/// signed it.
pub fn verify_value<'k>(record: &Value, keys: &'k Jwks) -> Result<&'k PublicKey, SignatureIssue> {
    let invalid = |detail| SignatureIssue::new(VerifyCode::SignatureInvalid, detail);
    let proof = match record.get(PROOF) {
        None | Some(Value::Null) => {
            return Err(SignatureIssue::new(
                VerifyCode::SignatureMissing,
                "the record has no proof",
            ))
        }
        Some(Value::Object(proof)) => proof,
        Some(_) => return Err(invalid("the proof is not an object")),
    };
    if proof.get("type").and_then(Value::as_str) != Some(PROOF_TYPE) {
        return Err(invalid("the proof's type is not DetachedJws"));
    }
    let jws = proof
        .get("jws")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("the proof has no jws"))?;
    let jws = ParsedJws::parse(jws).map_err(invalid)?;
    if proof.get("alg").and_then(Value::as_str) != Some(jws.alg.as_str()) {
        return Err(invalid("the proof's alg differs from the JWS header's"));
    }
    if proof.get("kid").and_then(Value::as_str) != Some(jws.kid.as_str()) {
        return Err(invalid("the proof's kid differs from the JWS header's"));
    }
    if let Some(created) = &jws.created {
        if proof.get("created").and_then(Value::as_str) != Some(created.as_str()) {
            return Err(invalid("the proof's created differs from the JWS header's"));
        }
    }
    let key = keys.get(&jws.kid).ok_or(SignatureIssue::new(
        VerifyCode::SignatureUnknownKey,
        "no key with the proof's kid in the key set",
    ))?;
    if key.alg() != jws.alg {
        return Err(invalid("the key named by kid is not of the proof's alg"));
    }
    let payload = jcs::canonicalize_without(record, PROOF);
    if key.verify(&jws.signing_input(&payload), &jws.signature) {
        Ok(key)
    } else {
        Err(invalid("the signature does not match the record's content"))
    }
}
