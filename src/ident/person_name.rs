//! Legal names of people.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::lenient::{normalize, Class};
use crate::ident::{check_free_text, free_text_pattern, IdentError};
use crate::Code;

const WHAT: &str = "person name";

/// Look-alikes of the middle dot `·` (U+00B7) that strict parsing rejects and lenient parsing
/// folds: the bullet (U+2022) and the katakana middle dot (U+30FB).
const DOT_LOOKALIKES: &[(char, char)] = &[('\u{2022}', '\u{2022}'), ('\u{30FB}', '\u{30FB}')];

/// Masks a name for display: the first character, then one `*` per further character
/// (`"张三丰"` → `"张**"`).
pub(crate) fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// A person's legal name as on the identity document: 1–64 characters, no
/// control characters, no whitespace at either end. Names of many ethnic minorities and
/// transliterated foreign names separate their parts with the middle dot `·` (U+00B7), e.g.
/// `买买提·艾力`. Personal data: `Debug` shows only the first character.
///
/// - Schema: `minLength` 1, `maxLength` 64 and a pattern excluding control characters and the
///   look-alike dots U+2022 and U+30FB everywhere, and whitespace at either end.
/// - Rust only: nothing more.
///
/// Length failures are [`Code::SchemaLength`], other failures [`Code::SchemaPattern`].
/// [`PersonName::parse_lenient`] trims, folds full-width ASCII and folds U+2022 and U+30FB to
/// U+00B7; unlike the lenient parsing of codes it does not change letter case.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonName(String);

impl PersonName {
    fn validate(s: &str) -> Result<Self, IdentError> {
        check_free_text(s, 1, 64, WHAT)?;
        if s.contains(['\u{2022}', '\u{30FB}']) {
            return Err(IdentError::new(
                Code::SchemaPattern,
                WHAT,
                "name parts are separated by the middle dot U+00B7",
            ));
        }
        Ok(PersonName(s.to_owned()))
    }

    /// Parse a hand-typed name: trims, folds full-width ASCII to ASCII, collapses runs of
    /// whitespace to one space and the look-alike dots (U+2022, U+30FB and the others in the
    /// table of [`crate::ident::lenient`]) to the middle dot U+00B7, then parses strictly. An ASCII `.` (or a
    /// full-width `．`) between two non-ASCII letters, as in `阿依古丽.买买提`, is the middle dot
    /// typed on a Latin keyboard and becomes `·`; a `.` next to a Latin letter (`John A. Smith`)
    /// stays. Letter case is kept.
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        Self::validate(&normalize(s, Class::Name))
    }

    /// The name as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(PersonName);

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PersonName")
            .field(&mask_name(&self.0))
            .finish()
    }
}

impl JsonSchema for PersonName {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PersonName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "pattern": free_text_pattern(DOT_LOOKALIKES),
            "description": "Legal name as on the identity document; parts of minority and foreign names are separated by the middle dot U+00B7. / 证件上的姓名；少数民族及外国人姓名各部分以间隔号“·”（U+00B7）分隔。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn names() {
        for ok in [
            "张三",
            "欧阳娜娜",
            "买买提·艾力",
            "Anna Maria Smith",
            "李",
            &"名".repeat(64),
        ] {
            let n: PersonName = ok.parse().expect(ok);
            assert_eq!(n.as_str(), ok);
            assert!(schema_accepts_str::<PersonName>(ok), "{ok}");
        }
        for (bad, code) in [
            ("", Code::SchemaLength),
            (&"名".repeat(65) as &str, Code::SchemaLength),
            (" 张三", Code::SchemaPattern),
            ("张三\u{3000}", Code::SchemaPattern),
            ("张\t三", Code::SchemaPattern),
            ("买买提•艾力", Code::SchemaPattern),
            ("买买提・艾力", Code::SchemaPattern),
        ] {
            assert_eq!(
                PersonName::try_from(bad).map_err(|e| e.code()),
                Err(code),
                "{bad:?}"
            );
            assert!(!schema_accepts_str::<PersonName>(bad), "{bad:?}");
        }
    }

    #[test]
    fn lenient() {
        for input in [" 买买提•艾力 ", "买买提・艾力", "\u{3000}买买提·艾力"] {
            assert_eq!(
                PersonName::parse_lenient(input).map(|n| n.as_str().to_owned()),
                Ok("买买提·艾力".to_owned()),
                "{input:?}"
            );
        }
        assert_eq!(
            PersonName::parse_lenient("Ａｎｎａ Smith").map(|n| n.as_str().to_owned()),
            Ok("Anna Smith".to_owned())
        );
        for (typed, name) in [
            ("阿依古丽.买买提", "阿依古丽·买买提"),
            ("阿依古丽．买买提", "阿依古丽·买买提"),
            ("John A. Smith", "John A. Smith"),
            ("张.", "张."),
        ] {
            assert_eq!(
                PersonName::parse_lenient(typed).map(|n| n.as_str().to_owned()),
                Ok(name.to_owned()),
                "{typed}"
            );
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("买买提·艾力"), "买*****");
        assert_eq!(mask_name(""), "");
        let n: PersonName = "张三丰".parse().expect("valid");
        assert_eq!(format!("{n:?}"), "PersonName(\"张**\")");
        let err = "张三\u{0}".parse::<PersonName>().expect_err("control");
        assert!(!err.to_string().contains('张'));
    }
}
