//! Unified social credit codes (统一社会信用代码), GB 32100-2015.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::check::{gb32100_check_char, uscc_char_value};
use crate::ident::lenient::{normalize, Class};
use crate::ident::IdentError;
use crate::Code;

const WHAT: &str = "unified social credit code";

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of
/// `0-9 A-H J-N P Q R T U W X Y`.
///
/// - Schema: pattern `^[0-9A-HJ-NPQRTUWXY]{18}$`.
/// - Rust: the type checks the **shape only**. The check character is *not* part of the
///   type's validity, because some legally issued codes from the pilot period fail it, and the
///   standard lets jurisdictions allow-list such codes. The validator asks
///   [`Uscc::check_character_is_valid`] and reports [`Code::UsccChecksum`] unless the code is
///   allow-listed.
///
/// GB 32100 also fixes two position rules: the first character (the
/// registering authority) is not `0`, and characters 3–8 (the authority's GB/T 2260 region)
/// are digits. Like the check character they are *not* part of the type's validity, since an
/// allow-listed pilot code is admitted whatever its positions: the validator asks
/// [`Uscc::positions_are_valid`] and reports [`Code::UsccFormat`] unless the code is
/// allow-listed. No schema can say this, as the schema does not see the allow-list.
///
/// Every shape failure is [`Code::SchemaPattern`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uscc(String);

impl Uscc {
    fn validate(s: &str) -> Result<Self, IdentError> {
        if s.len() != 18 || !s.bytes().all(|b| uscc_char_value(b).is_some()) {
            return Err(IdentError::new(
                Code::SchemaPattern,
                WHAT,
                "must be 18 digits or upper-case letters other than I, O, S, V and Z",
            ));
        }
        Ok(Uscc(s.to_owned()))
    }

    /// Parse a hand-typed code: trims, folds full-width characters to ASCII, removes inner
    /// whitespace and upper-cases letters, then parses strictly (the table in
    /// [`crate::ident::lenient`]).
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        Self::validate(&normalize(s, Class::Code))
    }

    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The GB 32100 check character of the first 17 characters of a credit code, or `None` if
    /// `first17` is not 17 characters of the GB 32100 character set.
    pub fn compute_check_character(first17: &str) -> Option<char> {
        gb32100_check_char(first17)
    }

    /// Whether the position rules of GB 32100 hold: the first character is not `0` and
    /// characters 3–8 are digits.
    pub fn positions_are_valid(&self) -> bool {
        let b = self.0.as_bytes();
        b[0] != b'0' && b[2..8].iter().all(u8::is_ascii_digit)
    }

    /// `Ok` if the position rules hold, else an error with [`Code::UsccFormat`].
    pub fn verify_positions(&self) -> Result<(), IdentError> {
        if self.positions_are_valid() {
            Ok(())
        } else {
            Err(IdentError::new(
                Code::UsccFormat,
                WHAT,
                "the first character is 0 or characters 3 to 8 are not all digits",
            ))
        }
    }

    /// Whether the 18th character is the GB 32100 check character of the first 17.
    pub fn check_character_is_valid(&self) -> bool {
        Self::compute_check_character(&self.0[..17]) == Some(char::from(self.0.as_bytes()[17]))
    }

    /// `Ok` if the check character is right, else an error with [`Code::UsccChecksum`].
    pub fn verify_check_character(&self) -> Result<(), IdentError> {
        if self.check_character_is_valid() {
            Ok(())
        } else {
            Err(IdentError::new(
                Code::UsccChecksum,
                WHAT,
                "check character is wrong",
            ))
        }
    }
}

string_newtype!(Uscc);

impl JsonSchema for Uscc {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Uscc".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9A-HJ-NPQRTUWXY]{18}$",
            "description": "Unified social credit code (GB 32100): 18 characters; the check character and the position rules (first character not 0, characters 3–8 digits) are verified by the validator, not the schema, since a profile may allow-list pilot codes (uscc.checksum, uscc.format). / 统一社会信用代码（GB 32100）：18 位；校验码及位置规则（第 1 位不为 0，第 3–8 位为数字）由校验程序而非模式检查，因为地方规则可将试点代码列入白名单（uscc.checksum、uscc.format）。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn published_codes() {
        for ok in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
        ] {
            let u: Uscc = ok.parse().expect(ok);
            assert!(u.check_character_is_valid(), "{ok}");
            assert_eq!(u.verify_check_character(), Ok(()));
            assert_eq!(Uscc::compute_check_character(&ok[..17]), ok.chars().last());
            assert!(schema_accepts_str::<Uscc>(ok));
        }
    }

    #[test]
    fn position_rules() {
        for ok in [
            "91350100M000100Y43",
            "12100000400000624D",
            "Y1110000MA00000000",
        ] {
            let u: Uscc = ok.parse().expect(ok);
            assert!(u.positions_are_valid(), "{ok}");
            assert_eq!(u.verify_positions(), Ok(()));
        }
        // Both still parse (an allow-list may admit them); the validator reports them.
        for bad in [
            "01350100M000100Y43",
            "913501A0M000100Y43",
            "91A50100M000100Y43",
        ] {
            let u: Uscc = bad.parse().expect(bad);
            assert!(!u.positions_are_valid(), "{bad}");
            assert_eq!(
                u.verify_positions().map_err(|e| e.code()),
                Err(Code::UsccFormat)
            );
            assert!(schema_accepts_str::<Uscc>(bad), "{bad}");
        }
    }

    #[test]
    fn wrong_check_character_still_parses() {
        let u: Uscc = "91350100M000100Y44".parse().expect("shape is right");
        assert!(!u.check_character_is_valid());
        assert_eq!(
            u.verify_check_character().map_err(|e| e.code()),
            Err(Code::UsccChecksum)
        );
    }

    #[test]
    fn shape() {
        for bad in [
            "91350100M000100Y4",
            "91350100M000100Y433",
            "91350100I000100Y43",
            "91350100m000100Y43",
            "Z1350100M000100Y43",
        ] {
            assert_eq!(
                Uscc::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts_str::<Uscc>(bad), "{bad}");
        }
        assert_eq!(Uscc::compute_check_character("91350100I000100Y4"), None);
        assert_eq!(
            Uscc::parse_lenient(" ９１３５０１００m000100y43 ").map(|u| u.as_str().to_owned()),
            Ok("91350100M000100Y43".to_owned())
        );
    }
}
