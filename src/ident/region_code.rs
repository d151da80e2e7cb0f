//! GB/T 2260 administrative-division codes.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::{all_digits, IdentError, PROVINCE_GROUP};
use crate::Code;

/// Whether the first two characters of `s` are a province-level GB/T 2260 code: 11–15, 21–23,
/// 31–37, 41–46, 50–54, 61–65, 71 (Taiwan), 81 (Hong Kong) or 82 (Macao).
pub(crate) fn is_province_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return false;
    }
    let n = (b[0] - b'0') * 10 + (b[1] - b'0');
    matches!(n, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// An administrative-division code of GB/T 2260: six digits whose first two are a
/// province-level code, e.g. `110105` or `659001` (a city of the Xinjiang
/// Production and Construction Corps).
///
/// - Schema: pattern `^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)[0-9]{4}$`.
/// - Rust only: nothing more. The full GB/T 2260 table is not shipped, so a code with a known
///   province but an unknown county is accepted.
///
/// Every failure is [`Code::RegionUnknown`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(String);

impl RegionCode {
    fn validate(s: &str) -> Result<Self, IdentError> {
        if !all_digits(s, 6) {
            return Err(IdentError::new(
                Code::RegionUnknown,
                "region code",
                "must be 6 digits",
            ));
        }
        if !is_province_prefix(s) {
            return Err(IdentError::new(
                Code::RegionUnknown,
                "region code",
                "does not start with a province-level code",
            ));
        }
        Ok(RegionCode(s.to_owned()))
    }

    /// Parse a hand-typed code: trims, folds full-width digits and removes inner whitespace
    /// (the table in [`crate::ident::lenient`]), then parses strictly.
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        Self::validate(&crate::ident::lenient::normalize(
            s,
            crate::ident::lenient::Class::Code,
        ))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province-level code: the first two digits.
    pub fn province(&self) -> &str {
        &self.0[..2]
    }
}

string_newtype!(RegionCode);

impl JsonSchema for RegionCode {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "RegionCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": format!("^{PROVINCE_GROUP}[0-9]{{4}}$"),
            "description": "GB/T 2260 administrative-division code: six digits under a province-level code. / GB/T 2260 行政区划代码：以省级代码开头的六位数字。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn pattern_is_literal() {
        assert_eq!(
            schema_of::<RegionCode>()["pattern"],
            "^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)[0-9]{4}$"
        );
    }

    #[test]
    fn codes() {
        for ok in [
            "110105", "659001", "650000", "710000", "810000", "820000", "540102", "370000",
        ] {
            let r: RegionCode = ok.parse().expect(ok);
            assert_eq!(r.as_str(), ok);
            assert_eq!(r.province(), &ok[..2]);
            assert!(schema_accepts_str::<RegionCode>(ok), "{ok}");
        }
        for bad in [
            "100000", "160000", "380000", "550000", "660000", "720000", "830000", "11010",
            "1101050", "11010a", "",
        ] {
            assert_eq!(
                RegionCode::try_from(bad).map_err(|e| e.code()),
                Err(Code::RegionUnknown)
            );
            assert!(!schema_accepts_str::<RegionCode>(bad), "{bad}");
        }
    }

    #[test]
    fn province_prefixes() {
        let valid: Vec<u8> = (0..100u8)
            .filter(|n| is_province_prefix(&format!("{n:02}")))
            .collect();
        let expected: Vec<u8> = (11..=15)
            .chain(21..=23)
            .chain(31..=37)
            .chain(41..=46)
            .chain(50..=54)
            .chain(61..=65)
            .chain([71, 81, 82])
            .collect();
        assert_eq!(valid, expected);
        assert!(!is_province_prefix("1"));
    }
}
