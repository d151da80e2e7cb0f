//! Certificate numbers.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::{
    all_digits, check_free_text, free_text_pattern, is_province_prefix, IdentError, Level,
};
use crate::Code;

const WHAT: &str = "certificate number";

/// Which numbering scheme a certificate number should follow, for
/// [`CertificateNumber::check_shape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShapeKind {
    /// Vocational skill-level certificate (职业技能等级证书): 22 characters, `Y` or `S` and
    /// 21 digits — institution (4), province (2), site (6), year of issue `YY` (2), level
    /// digit 5…1 (1), serial (6).
    SkillLevel,
    /// Vocational qualification certificate of the old scheme (职业资格证书): 16 digits, year
    /// of issue `YY` first, level digit 1…5 at position 11.
    VocationalQualification,
    /// Any other certificate: no shape is checked.
    Other,
}

/// A certificate number: 1–64 characters, no control characters, no whitespace
/// at either end.
///
/// - Schema: `minLength` 1, `maxLength` 64 and a pattern excluding control characters
///   everywhere and whitespace at either end.
/// - Rust only: the shape of the numbering scheme, its level digit and its year of issue, on
///   request through [`CertificateNumber::check_shape`] (the certificate's type decides the
///   scheme, so the type alone cannot check it).
///
/// Length failures are [`Code::SchemaLength`], other failures [`Code::SchemaPattern`];
/// [`CertificateNumber::check_shape`] failures are [`Code::CertificateNumber`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertificateNumber(String);

impl CertificateNumber {
    fn validate(s: &str) -> Result<Self, IdentError> {
        check_free_text(s, 1, 64, WHAT)?;
        Ok(CertificateNumber(s.to_owned()))
    }

    /// Parse a hand-typed number: trims, folds full-width characters to ASCII, removes inner
    /// whitespace and upper-cases letters (the table in [`crate::ident::lenient`]), then
    /// parses strictly.
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        Self::validate(&crate::ident::lenient::normalize(
            s,
            crate::ident::lenient::Class::Code,
        ))
    }

    /// The number as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number has the shape of `kind` (without comparing level or year).
    fn shape_ok(&self, kind: ShapeKind) -> bool {
        let s = self.0.as_str();
        let b = s.as_bytes();
        match kind {
            ShapeKind::SkillLevel => {
                b.len() == 22
                    && matches!(b[0], b'Y' | b'S')
                    && all_digits(&s[1..], 21)
                    && is_province_prefix(&s[5..7])
                    && (b'1'..=b'5').contains(&b[15])
            }
            ShapeKind::VocationalQualification => {
                all_digits(s, 16) && (b'1'..=b'5').contains(&b[10])
            }
            ShapeKind::Other => true,
        }
    }

    /// The level digit (5 = junior … 1 = senior technician) if the number has the shape of
    /// `kind`; `None` for [`ShapeKind::Other`].
    pub fn level_digit(&self, kind: ShapeKind) -> Option<u8> {
        if !self.shape_ok(kind) {
            return None;
        }
        let b = self.0.as_bytes();
        match kind {
            ShapeKind::SkillLevel => Some(b[15] - b'0'),
            ShapeKind::VocationalQualification => Some(b[10] - b'0'),
            ShapeKind::Other => None,
        }
    }

    /// The two-digit year of issue if the number has the shape of `kind`; `None` for
    /// [`ShapeKind::Other`].
    pub fn issue_year_yy(&self, kind: ShapeKind) -> Option<u8> {
        if !self.shape_ok(kind) {
            return None;
        }
        let b = self.0.as_bytes();
        let at = match kind {
            ShapeKind::SkillLevel => 13,
            ShapeKind::VocationalQualification => 0,
            ShapeKind::Other => return None,
        };
        Some((b[at] - b'0') * 10 + (b[at + 1] - b'0'))
    }

    /// Checks the number against the scheme `kind`; and, when given, that its level digit is
    /// `level`'s [`grade_digit`](Level::grade_digit) and its year is `issued_year % 100`.
    ///
    /// Every failure is [`Code::CertificateNumber`], with a distinct reason.
    pub fn check_shape(
        &self,
        kind: ShapeKind,
        level: Option<Level>,
        issued_year: Option<i32>,
    ) -> Result<(), IdentError> {
        let err = |reason| Err(IdentError::new(Code::CertificateNumber, WHAT, reason));
        if !self.shape_ok(kind) {
            return match kind {
                ShapeKind::SkillLevel => err("not the shape of a skill-level certificate number"),
                _ => err("not the shape of a vocational qualification certificate number"),
            };
        }
        if kind == ShapeKind::Other {
            return Ok(());
        }
        if let (Some(level), Some(digit)) = (level, self.level_digit(kind)) {
            if level.grade_digit() != digit {
                return err("level digit disagrees with the level");
            }
        }
        if let (Some(year), Some(yy)) = (issued_year, self.issue_year_yy(kind)) {
            if i32::from(yy) != year.rem_euclid(100) {
                return err("year disagrees with the issue date");
            }
        }
        Ok(())
    }
}

string_newtype!(CertificateNumber);

impl JsonSchema for CertificateNumber {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "CertificateNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "pattern": free_text_pattern(&[]),
            "description": "Certificate number: 1 to 64 characters, no control characters, no whitespace at either end. / 证书编号：1 至 64 个字符，不含控制字符，首尾不含空白。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    // Institution 1234, Beijing (11), site 000001, 2024, level 3 (senior), serial 000123.
    const SKILL: &str = "Y123411000001243000123";

    #[test]
    fn skill_level_shape() {
        let n: CertificateNumber = SKILL.parse().expect("valid");
        assert_eq!(n.level_digit(ShapeKind::SkillLevel), Some(3));
        assert_eq!(n.issue_year_yy(ShapeKind::SkillLevel), Some(24));
        assert_eq!(
            n.check_shape(ShapeKind::SkillLevel, Some(Level::Senior), Some(2024)),
            Ok(())
        );
        assert_eq!(n.check_shape(ShapeKind::SkillLevel, None, None), Ok(()));
        assert_eq!(
            n.check_shape(ShapeKind::Other, Some(Level::Junior), Some(1999)),
            Ok(())
        );
        let e = n
            .check_shape(ShapeKind::SkillLevel, Some(Level::Junior), None)
            .expect_err("level");
        assert_eq!(
            (e.code(), e.reason()),
            (
                Code::CertificateNumber,
                "level digit disagrees with the level"
            )
        );
        let e = n
            .check_shape(ShapeKind::SkillLevel, None, Some(2023))
            .expect_err("year");
        assert_eq!(e.reason(), "year disagrees with the issue date");
        // Wrong province, wrong length, wrong letter, level digit 0.
        for bad in [
            "Y123499000001243000123",
            "Y12341100000124300012",
            "X123411000001243000123",
            "Y123411000001240000123",
        ] {
            let n: CertificateNumber = bad.parse().expect("free text");
            let e = n
                .check_shape(ShapeKind::SkillLevel, None, None)
                .expect_err(bad);
            assert_eq!(
                e.reason(),
                "not the shape of a skill-level certificate number"
            );
            assert_eq!(n.level_digit(ShapeKind::SkillLevel), None);
        }
    }

    #[test]
    fn vocational_qualification_shape() {
        let n: CertificateNumber = "0911000000400123".parse().expect("valid");
        assert_eq!(n.issue_year_yy(ShapeKind::VocationalQualification), Some(9));
        assert_eq!(n.level_digit(ShapeKind::VocationalQualification), Some(4));
        assert_eq!(
            n.check_shape(
                ShapeKind::VocationalQualification,
                Some(Level::Intermediate),
                Some(2009)
            ),
            Ok(())
        );
        assert!(n
            .check_shape(ShapeKind::VocationalQualification, None, Some(2010))
            .is_err());
        assert!(n.check_shape(ShapeKind::SkillLevel, None, None).is_err());
        let bad: CertificateNumber = "0911000000600123".parse().expect("free text");
        assert_eq!(
            bad.check_shape(ShapeKind::VocationalQualification, None, None)
                .map_err(|e| e.code()),
            Err(Code::CertificateNumber)
        );
    }

    #[test]
    fn free_text_rules() {
        for ok in ["A", "粤家政 2024-001", SKILL, &"x".repeat(64)] {
            assert!(CertificateNumber::try_from(ok).is_ok(), "{ok}");
            assert!(schema_accepts_str::<CertificateNumber>(ok), "{ok}");
        }
        for (bad, code) in [
            ("", Code::SchemaLength),
            (&"x".repeat(65) as &str, Code::SchemaLength),
            (" A1", Code::SchemaPattern),
            ("A1 ", Code::SchemaPattern),
            ("A1\u{3000}", Code::SchemaPattern),
            ("A\n1", Code::SchemaPattern),
            ("A\u{85}1", Code::SchemaPattern),
            ("\u{a0}", Code::SchemaPattern),
        ] {
            assert_eq!(
                CertificateNumber::try_from(bad).map_err(|e| e.code()),
                Err(code),
                "{bad:?}"
            );
            assert!(!schema_accepts_str::<CertificateNumber>(bad), "{bad:?}");
        }
    }
}
