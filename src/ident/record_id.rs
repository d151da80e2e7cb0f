//! Record identifiers.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use uuid::Uuid;

use crate::ident::IdentError;
use crate::Code;

/// The identifier of a record: a UUID written lower-case and hyphenated, e.g.
/// `6ba7b810-9dad-11d1-80b4-00c04fd430c8`.
///
/// - Schema: `format: uuid` and pattern
///   `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`.
/// - Rust only: nothing more (any version is accepted).
///
/// Upper-case, braced, URN and simple forms are rejected with [`Code::SchemaFormat`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId {
    uuid: Uuid,
    /// The wire form, kept inline: no allocation per record.
    text: [u8; 36],
}

/// Where the 32 hex digits of a hyphenated UUID are.
const HEX_AT: [usize; 32] = {
    let mut at = [0usize; 32];
    let (mut i, mut p) = (0, 0);
    while i < 32 {
        if p == 8 || p == 13 || p == 18 || p == 23 {
            p += 1;
        }
        at[i] = p;
        i += 1;
        p += 1;
    }
    at
};

/// The value of each lower-case hex digit; `0x80` for every other byte.
const LOWER_HEX: [u8; 256] = {
    let mut table = [0x80u8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

impl RecordId {
    fn validate(s: &str) -> Result<Self, IdentError> {
        let invalid = || {
            IdentError::new(
                Code::SchemaFormat,
                "record id",
                "must be a lower-case hyphenated UUID",
            )
        };
        let text: [u8; 36] = s.as_bytes().try_into().map_err(|_| invalid())?;
        if [text[8], text[13], text[18], text[23]] != [b'-'; 4] {
            return Err(invalid());
        }
        // The 32 hex digits, through a table: one load, one shift and one or apiece.
        let mut value: u128 = 0;
        let mut bad = 0u8;
        for &at in &HEX_AT {
            let digit = LOWER_HEX[usize::from(text[at])];
            bad |= digit;
            value = value << 4 | u128::from(digit & 0x0F);
        }
        if bad & 0x80 != 0 {
            return Err(invalid());
        }
        Ok(RecordId {
            uuid: Uuid::from_u128(value),
            text,
        })
    }

    /// The record id of `uuid`.
    pub fn from_uuid(uuid: Uuid) -> Self {
        let mut text = [0u8; 36];
        uuid.hyphenated().encode_lower(&mut text);
        RecordId { uuid, text }
    }

    /// A name-based (version 5, SHA-1) record id: the same `namespace` and `name` always give
    /// the same id.
    pub fn new_v5(namespace: &Uuid, name: &[u8]) -> Self {
        Self::from_uuid(Uuid::new_v5(namespace, name))
    }

    /// The UUID.
    pub fn as_uuid(&self) -> &Uuid {
        &self.uuid
    }

    /// The id as it goes on the wire: lower-case, hyphenated.
    pub fn as_str(&self) -> &str {
        // `encode_lower` wrote 36 ASCII characters.
        std::str::from_utf8(&self.text).unwrap_or_default()
    }
}

string_newtype!(RecordId);

impl JsonSchema for RecordId {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "RecordId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "uuid",
            "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "description": "Record identifier: a UUID, lower-case and hyphenated. / 记录标识：小写、带连字符的 UUID。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn ids() {
        let ok = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        let id: RecordId = ok.parse().expect("valid");
        assert_eq!(id.as_uuid(), &Uuid::NAMESPACE_DNS);
        assert_eq!(id.to_string(), ok);
        assert!(schema_accepts_str::<RecordId>(ok));
        for bad in [
            "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
            "6ba7b8109dad11d180b400c04fd430c8",
            "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
            "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "6ba7b810-9dad-11d1-80b4-00c04fd430cg",
            "6ba7b810-9dad-11d1-80b400-c04fd430c8",
        ] {
            assert_eq!(
                RecordId::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaFormat),
                "{bad}"
            );
            assert!(!schema_accepts_str::<RecordId>(bad), "{bad}");
        }
    }

    #[test]
    fn v5() {
        // RFC 9562 appendix A.4: v5 of "www.example.com" in the DNS namespace.
        let id = RecordId::new_v5(&Uuid::NAMESPACE_DNS, b"www.example.com");
        assert_eq!(id.as_str(), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
        assert_eq!(RecordId::from_uuid(*id.as_uuid()), id);
    }
}
