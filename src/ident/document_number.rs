//! The number printed on an identity document.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::lenient::{normalize, Class};
use crate::ident::IdentError;
use crate::mask::Masked;
use crate::Code;

const WHAT: &str = "document number";

/// The number of an identity document, in canonical form: 5–18 ASCII digits and upper-case
/// letters. Personal data: `Debug` masks it.
///
/// - Schema: pattern `^[0-9A-Z]{5,18}$`.
/// - Rust only: nothing more; the per-type rules (check characters, dates) belong to
///   [`IdDocument`](crate::ident::IdDocument).
///
/// Strict parsing accepts only the canonical form; [`DocumentNumber::parse_lenient`] also
/// accepts surrounding whitespace, full-width characters and lower-case letters.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    fn validate(s: &str) -> Result<Self, IdentError> {
        let len = s.len();
        if !(5..=18).contains(&len)
            || !s
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        {
            return Err(IdentError::new(
                Code::SchemaPattern,
                WHAT,
                "must be 5 to 18 digits or upper-case letters",
            ));
        }
        Ok(DocumentNumber(s.to_owned()))
    }

    /// Parse a hand-typed number: folds full-width characters to ASCII, drops whitespace
    /// anywhere (`110105 19491231 002X`, as numbers are often grouped) and upper-cases
    /// letters, then parses strictly (the table in [`crate::ident::lenient`]).
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        Self::validate(&normalize(s, Class::Code))
    }

    /// The number as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(DocumentNumber);

impl fmt::Debug for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DocumentNumber")
            .field(&Masked(&self.0))
            .finish()
    }
}

impl JsonSchema for DocumentNumber {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "DocumentNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9A-Z]{5,18}$",
            "description": "Identity document number: 5 to 18 digits or upper-case letters. / 证件号码：5 至 18 位数字或大写字母。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn strict_and_lenient() {
        let n: DocumentNumber = "11010519491231002X".parse().expect("valid");
        assert_eq!(n.as_str(), "11010519491231002X");
        assert_eq!(format!("{n:?}"), "DocumentNumber(\"110*************2X\")");
        for bad in [
            "11010519491231002x",
            "1234",
            "1234567890123456789",
            " E12345678",
            "E1234-5678",
            "",
        ] {
            let err = DocumentNumber::try_from(bad).expect_err(bad);
            assert_eq!(err.code(), Code::SchemaPattern);
            assert!(!schema_accepts_str::<DocumentNumber>(bad), "{bad}");
        }
        let lenient =
            DocumentNumber::parse_lenient(" １１０１０５１９４９１２３１００２ｘ\u{3000}")
                .expect("lenient");
        assert_eq!(lenient, n);
        // Inner spaces of a grouped number go, as in phone numbers.
        for grouped in ["110105 19491231 002X", "110105\u{3000}1949 1231\t002x"] {
            assert_eq!(
                DocumentNumber::parse_lenient(grouped).as_ref(),
                Ok(&n),
                "{grouped:?}"
            );
        }
        assert!(DocumentNumber::parse_lenient("110105-19491231-002X").is_err());
        assert!(schema_accepts_str::<DocumentNumber>(n.as_str()));
    }

    #[test]
    fn serde_round_trip() {
        let n: DocumentNumber = serde_json::from_str("\"E12345678\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&n).expect("serializes"),
            "\"E12345678\""
        );
        let err = serde_json::from_str::<DocumentNumber>("\"e12345678\"").expect_err("lower case");
        assert!(!err.to_string().contains("12345678"));
    }
}
