//! The two parts 2.1 adds for certificates anyone can check: a detached signature (`proof`,
//! on certificates and batches) and a pointer into a W3C Bitstring Status List
//! (`credentialStatus`, on certificates). Only their shapes live here; making and checking
//! signatures and status lists is the signing module's work.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::{HttpsUrl, IdentError, Timestamp};
use crate::kind::wire_marker;
use crate::wire_enum::wire_enum;
use crate::Code;

wire_marker! {
    /// `type` of a proof: always `"DetachedJws"`.
    DetachedJwsType = "DetachedJws"
}

wire_enum! {
    /// The signature algorithm of a proof (the JWS `alg`).
    pub enum ProofAlg as "signature algorithm", "Signature algorithm", "签名算法" {
        /// Ed25519 (RFC 8032).
        EdDsa = "EdDSA", "Ed25519 (RFC 8032)", "Ed25519（RFC 8032）";
        /// SM2 with SM3 (GB/T 32918, GB/T 32905).
        Sm2Sm3 = "SM2SM3", "SM2 with SM3 (GB/T 32918)", "SM2 签名、SM3 杂凑（GB/T 32918）";
    }
}

wire_enum! {
    /// What a status list says about the certificates it lists (W3C Bitstring Status List).
    pub enum StatusPurpose as "status purpose", "Status purpose", "状态用途" {
        /// A set bit means revoked, for good.
        Revocation = "revocation", "revocation", "撤销";
        /// A set bit means suspended, for now.
        Suspension = "suspension", "suspension", "暂停";
    }
}

/// # Proof
///
/// A detached signature over the record without its `proof`: the RFC 8785 canonical JSON of the record, signed as a compact JWS with an unencoded, detached payload (RFC 7797). / 记录（不含 `proof`）的分离式签名：对记录的 RFC 8785 规范化 JSON 的紧凑 JWS 签名，载荷不编码、分离（RFC 7797）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Proof {
    /// Proof type, always `DetachedJws`. / 证明类型，固定为 `DetachedJws`。
    #[serde(rename = "type")]
    pub proof_type: DetachedJwsType,
    /// Signature algorithm. / 签名算法。
    pub alg: ProofAlg,
    /// Key id: a URI naming the public key that verifies the signature. / 密钥标识：指向验签公钥的 URI。
    pub kid: KeyId,
    /// When the record was signed. / 签名时间。
    pub created: Timestamp,
    /// The compact JWS with a detached payload: `<protected>..<signature>`, base64url without padding. / 载荷分离的紧凑 JWS：`<protected>..<signature>`，base64url 编码、无填充。
    pub jws: DetachedJws,
}

impl Proof {
    /// A proof of type `DetachedJws`.
    pub fn new(alg: ProofAlg, kid: KeyId, created: Timestamp, jws: DetachedJws) -> Self {
        Proof {
            proof_type: DetachedJwsType,
            alg,
            kid,
            created,
            jws,
        }
    }
}

/// # Credential status
///
/// Where a certificate's status is published: one bit of a W3C Bitstring Status List. / 证书状态的发布位置：W3C 位串状态列表中的一位。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct CredentialStatus {
    /// Address of the status list credential (https). / 状态列表凭证的网址（https）。
    pub status_list_credential: HttpsUrl,
    /// Position of the certificate's bit in the list: a non-negative integer written as a string of decimal digits. / 证书在列表中的位序号：以十进制数字字符串表示的非负整数。
    pub status_list_index: StatusListIndex,
    /// What a set bit means: `revocation` or `suspension`. / 置位的含义：`revocation`（撤销）或 `suspension`（暂停）。
    pub status_purpose: StatusPurpose,
}

impl CredentialStatus {
    /// A status entry.
    pub fn new(list: HttpsUrl, index: StatusListIndex, purpose: StatusPurpose) -> Self {
        CredentialStatus {
            status_list_credential: list,
            status_list_index: index,
            status_purpose: purpose,
        }
    }
}

/// Implements `FromStr`, `TryFrom<&str>`, `Display` and serde as a checked string.
macro_rules! checked_string {
    ($ty:ident) => {
        impl FromStr for $ty {
            type Err = IdentError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::new(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = IdentError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                $ty::new(s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.wire())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.wire())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                de::DeserializeSeed::deserialize(crate::ident::ParseStr($ty::new), d)
            }
        }
    };
}

/// The characters a URI may hold outside `%`-escapes (RFC 3986: unreserved and reserved).
fn uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
}

const KEY_ID_PATTERN: &str =
    "^[A-Za-z][A-Za-z0-9+.-]*:([A-Za-z0-9._~:/?#@!$&'()*+,;=\\[\\]-]|%[0-9A-Fa-f]{2})+$";

/// The key id of a proof: an absolute URI (a scheme, `:`, and at least one more character;
/// RFC 3986 characters only, `%` only in escapes), at most 1,024 characters (a detached JWS
/// carries it in its header and stays within 2,048). E.g.
/// `https://keys.example.cn/dsti#2026-1` or `did:web:example.cn#key-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyId(String);

impl KeyId {
    /// Check and wrap a key id.
    pub fn new(value: &str) -> Result<Self, IdentError> {
        let bad = || IdentError::new(Code::SchemaPattern, "key id", "not an absolute URI");
        if value.len() > 1024 {
            return Err(IdentError::new(
                Code::SchemaLength,
                "key id",
                "longer than 1024 characters",
            ));
        }
        let (scheme, rest) = value.split_once(':').ok_or_else(bad)?;
        let scheme_ok = scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b));
        if !scheme_ok || rest.is_empty() || !escapes_ok(rest, uri_char) {
            return Err(bad());
        }
        Ok(KeyId(value.to_owned()))
    }

    /// The key id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Every byte is allowed by `plain` or starts a `%` escape of two hex digits.
fn escapes_ok(s: &str, plain: fn(u8) -> bool) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
        } else if plain(bytes[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

checked_string!(KeyId);

impl KeyId {
    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl JsonSchema for KeyId {
    fn schema_name() -> Cow<'static, str> {
        "KeyId".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "maxLength": 1024, "pattern": KEY_ID_PATTERN })
    }
}

const JWS_PATTERN: &str = "^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$";

/// A compact JWS with a detached payload: `<protected header>..<signature>`, both segments
/// base64url without padding and non-empty, the payload segment empty; at most 2,048
/// characters. Only the shape is checked here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DetachedJws(String);

impl DetachedJws {
    /// Check and wrap a detached compact JWS.
    pub fn new(value: &str) -> Result<Self, IdentError> {
        if value.len() > 2048 {
            return Err(IdentError::new(
                Code::SchemaLength,
                "detached JWS",
                "longer than 2048 characters",
            ));
        }
        let b64url = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        match value.split_once("..") {
            Some((header, signature)) if b64url(header) && b64url(signature) => {
                Ok(DetachedJws(value.to_owned()))
            }
            _ => Err(IdentError::new(
                Code::SchemaPattern,
                "detached JWS",
                "not of the form <protected>..<signature> in base64url",
            )),
        }
    }

    /// The JWS as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The protected header segment (base64url).
    pub fn protected(&self) -> &str {
        self.0.split_once("..").map_or("", |(h, _)| h)
    }

    /// The signature segment (base64url).
    pub fn signature(&self) -> &str {
        self.0.split_once("..").map_or("", |(_, s)| s)
    }
}

checked_string!(DetachedJws);

impl DetachedJws {
    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl JsonSchema for DetachedJws {
    fn schema_name() -> Cow<'static, str> {
        "DetachedJws".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "maxLength": 2048, "pattern": JWS_PATTERN })
    }
}

const INDEX_PATTERN: &str = "^(0|[1-9][0-9]{0,18})$";

/// The position of a certificate's bit in a status list. On the wire, as the W3C Bitstring
/// Status List v1.0 says, a non-negative integer expressed as a string in base 10: `"0"` or
/// digits without a leading zero, at most 19 of them (every index up to 10^19 − 1 fits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatusListIndex(u64);

impl StatusListIndex {
    /// The index of `value`.
    pub const fn from_u64(value: u64) -> Self {
        StatusListIndex(value)
    }

    /// Parse the wire form.
    pub fn new(value: &str) -> Result<Self, IdentError> {
        let bad = || {
            IdentError::new(
                Code::SchemaPattern,
                "status list index",
                "not a non-negative integer in decimal digits without a leading zero",
            )
        };
        let digits_ok = !value.is_empty()
            && value.len() <= 19
            && value.bytes().all(|b| b.is_ascii_digit())
            && (value == "0" || !value.starts_with('0'));
        if !digits_ok {
            return Err(bad());
        }
        value.parse().map(StatusListIndex).map_err(|_| bad())
    }

    /// The index.
    pub const fn get(self) -> u64 {
        self.0
    }

    fn wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.to_string())
    }
}

checked_string!(StatusListIndex);

impl JsonSchema for StatusListIndex {
    fn schema_name() -> Cow<'static, str> {
        "StatusListIndex".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "maxLength": 19, "pattern": INDEX_PATTERN })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_absolute_uris() {
        for ok in [
            "https://keys.example.cn/dsti#2026-1",
            "did:web:example.cn#key-1",
            "urn:uuid:0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11",
            "https://k.example/%E5%AF%86",
        ] {
            assert!(KeyId::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "key-1", ":x", "1ab:x", "https:", "a b:c", "x:%zz", "x:a b", "x:密",
        ] {
            assert!(KeyId::new(bad).is_err(), "{bad}");
        }
        let schema = serde_json::json!({ "type": "string", "pattern": KEY_ID_PATTERN });
        let schema = jsonschema::validator_for(&schema).expect("pattern");
        for s in ["did:web:example.cn#key-1", "x:%2", "x:[::1]", "k:", "1x:y"] {
            assert_eq!(schema.is_valid(&s.into()), KeyId::new(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn a_detached_jws_has_an_empty_middle() {
        let jws = DetachedJws::new("eyJhbGciOiJFZERTQSJ9..c2ln_-").expect("jws");
        assert_eq!(jws.protected(), "eyJhbGciOiJFZERTQSJ9");
        assert_eq!(jws.signature(), "c2ln_-");
        for bad in ["a.b.c", "a..", "..b", "a...b", "a..b=", "a.b", "a..b+c"] {
            assert!(DetachedJws::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_list_indexes_are_decimal_strings() {
        assert_eq!(
            StatusListIndex::new("94567").map(StatusListIndex::get),
            Ok(94567)
        );
        assert_eq!(StatusListIndex::new("0").map(StatusListIndex::get), Ok(0));
        for bad in ["", "-1", "01", "1.0", "１", "99999999999999999999", " 1"] {
            assert!(StatusListIndex::new(bad).is_err(), "{bad}");
        }
        let json = serde_json::to_string(&StatusListIndex::from_u64(7)).expect("json");
        assert_eq!(json, "\"7\"");
        assert!(serde_json::from_str::<StatusListIndex>("7").is_err());
    }
}
