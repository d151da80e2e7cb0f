//! W3C Bitstring Status List v1.0: whether a certificate has been revoked or suspended, checked
//! offline from a list the issuer publishes.
//!
//! A list is a bitstring of at least 131,072 entries; entry `i` is bit `i`, counting from the
//! left-most (most significant) bit of the first byte. It travels gzip-compressed, as multibase
//! base64url without padding (a leading `u`), in the `encodedList` of a
//! `BitstringStatusListCredential`. A certificate names its entry in `credentialStatus`
//! (`statusListCredential`, the list's URL; `statusListIndex`, a string of decimal digits;
//! `statusPurpose`, `revocation` or `suspension`).

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

use serde::Deserialize as _;

use super::jws::VerifyCode;
use crate::v2_1::CredentialStatus;

/// The fewest entries a list has (the specification's minimum, 16 KiB), so that an entry's
/// position says little about who holds it.
pub const MIN_ENTRIES: usize = 131_072;

/// The most bytes a decoded list may have (16 MiB, 134 million entries): a bound on what a
/// small compressed input can expand to.
pub const MAX_DECODED_BYTES: usize = 16 << 20;

/// What a list's set bit means: version 2.1's `statusPurpose`.
pub use crate::v2_1::StatusPurpose as Purpose;

/// The certificate `status` a set bit of a list of `purpose` stands for (`"revoked"` or
/// `"suspended"`).
pub const fn certificate_status(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Revocation => "revoked",
        Purpose::Suspension => "suspended",
    }
}

/// The verification code a set bit of a list of `purpose` gives.
pub const fn code(purpose: Purpose) -> VerifyCode {
    match purpose {
        Purpose::Revocation => VerifyCode::StatusRevoked,
        Purpose::Suspension => VerifyCode::StatusSuspended,
    }
}

/// Why a status list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    /// `encodedList` is not `u` + base64url of gzip data.
    #[error("encodedList is not multibase base64url ('u' prefix) of gzip data")]
    Encoding,
    /// The decoded list is shorter than 131,072 entries or longer than 16 MiB.
    #[error("the decoded list has {0} bytes: not between 16 KiB and 16 MiB")]
    Size(usize),
    /// The credential lacks a member or has one of the wrong shape; names it.
    #[error("not a BitstringStatusListCredential: {0}")]
    Credential(&'static str),
}

/// A bitstring of status entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl Bitstring {
    /// A list of all-zero entries, at least [`MIN_ENTRIES`] long and long enough for index
    /// `entries - 1`.
    pub fn new(entries: usize) -> Bitstring {
        let entries = entries.max(MIN_ENTRIES);
        Bitstring {
            bytes: vec![0; entries.div_ceil(8)],
        }
    }

    /// A list of the given bytes (entry 0 is the first byte's most significant bit).
    pub fn from_bytes(bytes: Vec<u8>) -> Bitstring {
        Bitstring { bytes }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Entry `index`, or `None` beyond the list.
    pub fn get(&self, index: u64) -> Option<bool> {
        let byte = self.bytes.get(usize::try_from(index / 8).ok()?)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }

    /// Set entry `index` to `value`; `false` (and no change) beyond the list.
    pub fn set(&mut self, index: u64, value: bool) -> bool {
        let Some(byte) = usize::try_from(index / 8)
            .ok()
            .and_then(|i| self.bytes.get_mut(i))
        else {
            return false;
        };
        let mask = 0x80 >> (index % 8);
        if value {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        true
    }

    /// The `encodedList` form: `u` + base64url (no padding) of the gzip-compressed bytes.
    pub fn encode(&self) -> String {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let compressed = gz
            .write_all(&self.bytes)
            .and_then(|()| gz.finish())
            .unwrap_or_default();
        format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
    }

    /// Read an `encodedList`. The decoded list must hold at least [`MIN_ENTRIES`] entries and at
    /// most [`MAX_DECODED_BYTES`] bytes.
    pub fn decode(encoded: &str) -> Result<Bitstring, StatusError> {
        let b64 = encoded.strip_prefix('u').ok_or(StatusError::Encoding)?;
        let compressed = URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|_| StatusError::Encoding)?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| StatusError::Encoding)?;
        if bytes.len() < MIN_ENTRIES / 8 || bytes.len() > MAX_DECODED_BYTES {
            return Err(StatusError::Size(bytes.len()));
        }
        Ok(Bitstring { bytes })
    }
}

/// A status list with the URL it is published at and its purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    /// The URL certificates name in `statusListCredential` (the credential's `id`).
    pub url: String,
    /// What a set bit means.
    pub purpose: Purpose,
    /// The entries.
    pub bits: Bitstring,
}

impl StatusList {
    /// The `BitstringStatusListCredential` (W3C VC Data Model 2.0) that publishes this list,
    /// issued by `issuer` and valid from `valid_from` (RFC 3339).
    pub fn to_credential(&self, issuer: &str, valid_from: &str) -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": self.url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
            "validFrom": valid_from,
            "credentialSubject": {
                "id": format!("{}#list", self.url),
                "type": "BitstringStatusList",
                "statusPurpose": self.purpose.as_str(),
                "encodedList": self.bits.encode(),
            }
        })
    }

    /// Read a `BitstringStatusListCredential`: its `id`, `credentialSubject.statusPurpose` and
    /// `credentialSubject.encodedList`.
    pub fn from_credential(credential: &Value) -> Result<StatusList, StatusError> {
        let types = credential
            .get("type")
            .and_then(Value::as_array)
            .ok_or(StatusError::Credential("type"))?;
        if !types
            .iter()
            .any(|t| t.as_str() == Some("BitstringStatusListCredential"))
        {
            return Err(StatusError::Credential("type"));
        }
        let url = credential
            .get("id")
            .and_then(Value::as_str)
            .ok_or(StatusError::Credential("id"))?;
        let subject = credential
            .get("credentialSubject")
            .ok_or(StatusError::Credential("credentialSubject"))?;
        let purpose = subject
            .get("statusPurpose")
            .and_then(Value::as_str)
            .and_then(|p| p.parse::<Purpose>().ok())
            .ok_or(StatusError::Credential("credentialSubject.statusPurpose"))?;
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or(StatusError::Credential("credentialSubject.encodedList"))?;
        Ok(StatusList {
            url: url.to_owned(),
            purpose,
            bits: Bitstring::decode(encoded)?,
        })
    }
}

/// A certificate's `credentialStatus`: which entry of which list is its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// The list's URL.
    pub list: String,
    /// The entry's index.
    pub index: u64,
    /// The list's purpose.
    pub purpose: Purpose,
}

impl StatusEntry {
    /// The `credentialStatus` of a record, when it has one of version 2.1's shape
    /// ([`CredentialStatus`]: an https URL, an index written as a string of decimal digits as the
    /// specification writes it, a purpose).
    pub fn of_record(record: &Value) -> Option<StatusEntry> {
        let status = record.get("credentialStatus")?;
        let status = CredentialStatus::deserialize(status).ok()?;
        Some(StatusEntry {
            list: status.status_list_credential.as_str().to_owned(),
            index: status.status_list_index.get(),
            purpose: status.status_purpose,
        })
    }
}

/// The status finding of `record` against `lists`: [`VerifyCode::StatusRevoked`] or
/// [`VerifyCode::StatusSuspended`] when its entry is set in the list it names. `None` when the
/// record names no list, names one not among `lists`, or its bit is clear.
pub fn check(record: &Value, lists: &[StatusList]) -> Option<VerifyCode> {
    let entry = StatusEntry::of_record(record)?;
    lists
        .iter()
        .filter(|l| l.url == entry.list && l.purpose == entry.purpose)
        .find_map(|l| {
            l.bits
                .get(entry.index)
                .filter(|&set| set)
                .map(|_| code(l.purpose))
        })
}
