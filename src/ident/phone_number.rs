//! Phone numbers.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::lenient::{normalize, Class};
use crate::ident::{all_digits, IdentError};
use crate::mask::Masked;
use crate::Code;

/// A phone number: an 11-digit mainland mobile number (`1[3-9]` and 9 digits)
/// or an E.164 number (`+`, a non-zero digit, 6 to 14 more digits). Personal data: `Debug`
/// masks it.
///
/// - Schema: pattern `^(1[3-9][0-9]{9}|\+[1-9][0-9]{6,14})$`.
/// - Rust only: nothing more.
///
/// Failures are [`Code::SchemaPattern`]. [`PhoneNumber::parse_lenient`] also removes spaces
/// and hyphens, so `+86 138-1234-5678` becomes `+8613812345678`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    fn validate(s: &str) -> Result<Self, IdentError> {
        let b = s.as_bytes();
        let mainland =
            b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && all_digits(s, 11);
        let e164 = (8..=16).contains(&b.len())
            && b[0] == b'+'
            && (b'1'..=b'9').contains(&b[1])
            && all_digits(&s[1..], b.len() - 1);
        if !(mainland || e164) {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "phone number",
                "must be an 11-digit mainland mobile number or an E.164 number",
            ));
        }
        Ok(PhoneNumber(s.to_owned()))
    }

    /// Parse a hand-typed number: trims, folds full-width characters to ASCII, removes
    /// whitespace and hyphens, then parses strictly (the table in [`crate::ident::lenient`]).
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        let folded: String = normalize(s, Class::Code)
            .chars()
            .filter(|&c| c != '-')
            .collect();
        Self::validate(&folded)
    }

    /// The number as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PhoneNumber);

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber")
            .field(&Masked(&self.0))
            .finish()
    }
}

impl JsonSchema for PhoneNumber {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PhoneNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(1[3-9][0-9]{9}|\\+[1-9][0-9]{6,14})$",
            "description": "Phone number: an 11-digit mainland mobile number or an E.164 number starting with +. / 电话号码：11 位大陆手机号码，或以 + 开头的 E.164 号码。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn numbers() {
        for ok in [
            "13812345678",
            "19912345678",
            "+8613812345678",
            "+85291234567",
            "+1234567",
            "+123456789012345",
        ] {
            let p: PhoneNumber = ok.parse().expect(ok);
            assert_eq!(p.to_string(), ok);
            assert!(schema_accepts_str::<PhoneNumber>(ok), "{ok}");
        }
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "+0123456789",
            "+123456",
            "+1234567890123456",
            "8613812345678",
            "138 1234 5678",
            "",
        ] {
            assert_eq!(
                PhoneNumber::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts_str::<PhoneNumber>(bad), "{bad}");
        }
    }

    #[test]
    fn lenient_and_debug() {
        let p = PhoneNumber::parse_lenient(" +86 138-1234-5678 ").expect("lenient");
        assert_eq!(p.as_str(), "+8613812345678");
        let p = PhoneNumber::parse_lenient("１３８　１２３４　５６７８").expect("full width");
        assert_eq!(p.as_str(), "13812345678");
        assert_eq!(format!("{p:?}"), "PhoneNumber(\"138******78\")");
    }
}
