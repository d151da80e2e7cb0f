//! Identifiers and value types of the standard.
//!
//! Every identifier is a newtype whose field is private. It has exactly one validator, and
//! every way in — [`FromStr`](std::str::FromStr), `TryFrom<String>`, `TryFrom<&str>` and
//! `Deserialize` — goes through it, so a value of the type is always valid. There is no
//! unchecked constructor. The strict form is the wire form; where people type values by hand
//! (document numbers, credit codes, region codes, occupation codes, certificate numbers, phone
//! numbers, names) a `parse_lenient` also exists that normalizes what was typed, in one way for
//! every type (the table in [`lenient`]), before running the strict validator.
//!
//! Every type also describes itself as a JSON Schema. The schema says what JSON Schema can
//! say; what it cannot (check characters, real calendar dates, duplicate keys) is checked in
//! Rust only. Every value the Rust validator accepts matches the schema. Patterns use only
//! `^ $ [...] {m,n} ( | ) ? + *` and explicit ASCII classes, so that they mean the same in
//! ECMA-262 (with the `u` flag), Python `re` and Rust `regex`. One caveat: Python's `$` also
//! matches before a final `"\n"`; use `re.fullmatch` there, or rely on the Rust validator.
//!
//! | Identifier | Checked by the JSON Schema | Checked only in Rust |
//! |---|---|---|
//! | [`DocumentType`] | `enum` of the six types | — |
//! | [`DocumentNumber`] | pattern `^[0-9A-Z]{5,18}$` | — |
//! | [`CountryCode`] | `enum` of the 249 ISO 3166-1 alpha-3 codes | — |
//! | [`IdDocument`] | `type` and `number` required, no other fields but `issuingCountry`; the number's pattern per type (province prefix, `8[123]0000` prefix, date-shaped digits 1800–2099); `issuingCountry` required for passports | check characters (ISO 7064 MOD 11-2, ICAO 9303 7-3-1); the birth date is a real calendar date, not after today and not before 1800 |
//! | [`Uscc`] | pattern: 18 characters of the GB 32100 character set | the check character, and only on request ([`Uscc::check_character_is_valid`]) |
//! | [`RegionCode`] | pattern: 6 digits under a province-level code | — (the full GB/T 2260 table is not shipped) |
//! | [`OccupationCode`] | pattern `^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$` | membership of the domestic-service table ([`OccupationCode::lookup`]) |
//! | [`Level`], [`Gender`] | `enum` | — |
//! | [`CertificateNumber`] | 1–64 characters, no control characters, no whitespace at either end | shape per certificate kind, level digit and issue year ([`CertificateNumber::check_shape`]) |
//! | [`LocalizedText`] | object; `zh-CN` required; keys match the language-tag pattern; values 1–2000 characters | no duplicate keys |
//! | [`ExtensionKey`], [`Extensions`] | key pattern `namespace:name` | no duplicate keys at any depth |
//! | [`Timestamp`] | `format: date-time` and a pattern requiring the offset | a real date and time (`format` is only an annotation in most validators) |
//! | [`Date`] | `format: date` and pattern `^[0-9]{4}-[0-9]{2}-[0-9]{2}$` | a real calendar date |
//! | [`RecordId`] | `format: uuid` and a lower-case hyphenated pattern | — |
//! | [`PhoneNumber`] | pattern: mainland mobile or E.164 | — |
//! | [`PersonName`] | 1–64 characters; no control characters, no whitespace at either end, no look-alike middle dots | — |
//!
//! Errors are [`IdentError`]s: a [`Code`], what was being parsed and a short reason. They
//! never contain the offending value, since most of these values are personal data.

use std::borrow::Cow;

use crate::Code;

/// Parses a string where the deserializer holds it, through `parse`: as a value
/// (`ParseStr(parse).deserialize(d)`) or a map's key (`next_key_seed`). serde's own `String`
/// and `Cow<str>` always copy the text into a new allocation first, which the validated
/// newtypes, checking (and mostly re-storing) it anyway, have no use for.
pub(crate) struct ParseStr<T, E>(pub(crate) fn(&str) -> Result<T, E>);

impl<'de, T, E: std::fmt::Display> serde::de::DeserializeSeed<'de> for ParseStr<T, E> {
    type Value = T;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T, E: std::fmt::Display> serde::de::Visitor<'_> for ParseStr<T, E> {
    type Value = T;

    /// As serde's `String` says it, so that a value of another type is refused in the same
    /// words.
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<Er: serde::de::Error>(self, s: &str) -> Result<T, Er> {
        (self.0)(s).map_err(Er::custom)
    }
}

/// Implements the string plumbing of a validated newtype: `FromStr`, `TryFrom<String>`,
/// `TryFrom<&str>`, `Display`, `Serialize` and `Deserialize`, all through the type's private
/// `fn validate(&str) -> Result<Self, IdentError>` and `fn as_str(&self) -> &str`.
macro_rules! string_newtype {
    ($ty:ident) => {
        impl ::std::str::FromStr for $ty {
            type Err = $crate::ident::IdentError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::validate(s)
            }
        }

        impl ::std::convert::TryFrom<String> for $ty {
            type Error = $crate::ident::IdentError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::validate(&s)
            }
        }

        impl ::std::convert::TryFrom<&str> for $ty {
            type Error = $crate::ident::IdentError;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::validate(s)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                ::serde::de::DeserializeSeed::deserialize(
                    $crate::ident::ParseStr(Self::validate),
                    deserializer,
                )
            }
        }
    };
}

/// Declares a unit-only enum whose wire form is a fixed string per variant, with `ALL`,
/// `as_str`, `Display`, `FromStr`, `Serialize`, `Deserialize` and a `JsonSchema` string enum.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            what: $what:literal,
            description: $description:literal,
            $( $(#[$vmeta:meta])* $variant:ident = $name:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $ty {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $ty {
            /// Every value, in the order of the standard.
            pub const ALL: &'static [$ty] = &[ $( $ty::$variant, )+ ];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self { $( $ty::$variant => $name, )+ }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::ident::IdentError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $name => Ok($ty::$variant), )+
                    _ => Err($crate::ident::IdentError::new(
                        $crate::Code::SchemaEnum,
                        $what,
                        "not one of the allowed values",
                    )),
                }
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::serde::de::DeserializeSeed::deserialize(
                    $crate::ident::ParseStr(<Self as ::std::str::FromStr>::from_str),
                    deserializer,
                )
            }
        }

        impl ::schemars::JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "type": "string",
                    "enum": [ $( $name, )+ ],
                    "description": $description,
                })
            }
        }
    };
}

mod birth_date;
mod certificate_number;
pub(crate) mod check;
mod country_code;
mod date;
mod document_number;
mod document_type;
mod extension;
mod gender;
mod id_document;
pub mod lenient;
mod level;
mod localized_text;
mod messages;
mod occupation;
mod person_name;
mod phone_number;
mod record_id;
mod region_code;
mod service_category;
mod strict_value;
mod timestamp;
mod uscc;
mod value;

pub use birth_date::BirthDate;
pub use certificate_number::{CertificateNumber, ShapeKind};
pub use country_code::{CountryCode, COUNTRY_CODES};
pub use date::Date;
pub use document_number::DocumentNumber;
pub use document_type::DocumentType;
pub use extension::{ExtensionKey, Extensions};
pub use gender::Gender;
pub use id_document::IdDocument;
pub use level::Level;
pub use localized_text::{LanguageTag, LocalizedText};
pub use occupation::{
    occupation_named, occupations, Occupation, OccupationCode, OccupationName, OCCUPATION_NAMES,
};
pub use person_name::PersonName;
pub use phone_number::PhoneNumber;
pub use record_id::RecordId;
pub use region_code::RegionCode;
pub use service_category::ServiceCategory;
pub use timestamp::Timestamp;
pub use uscc::Uscc;
pub use value::{Count, Decimal, DocumentDigest, HttpsUrl, NonEmpty, Text};

#[allow(unused_imports)]
pub(crate) use check::{icao_check_digit, mod11_2_check_char};
pub(crate) use id_document::EARLIEST_BIRTH_DATE;
#[allow(unused_imports)]
pub(crate) use person_name::mask_name;
#[allow(unused_imports)]
pub(crate) use region_code::is_province_prefix;
#[allow(unused_imports)]
pub(crate) use strict_value::{take_duplicate_key, StrictValue};

/// Why a value is not a valid identifier.
///
/// The message names what was parsed and why it failed, never the value itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct IdentError {
    code: Code,
    what: &'static str,
    reason: &'static str,
}

impl IdentError {
    /// An error with `code`, about a `what` (e.g. `"document number"`), because of `reason`.
    pub(crate) fn new(code: Code, what: &'static str, reason: &'static str) -> Self {
        IdentError { code, what, reason }
    }

    /// The validation code of the failure.
    pub fn code(&self) -> Code {
        self.code
    }

    /// What was being parsed, e.g. `"document number"`.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// Why it failed, e.g. `"check character is wrong"`.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

/// Folds full-width ASCII (U+FF01..U+FF5E) to ASCII and the ideographic space (U+3000) to a
/// space.
pub(crate) fn fold_full_width(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| !is_full_width(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
                _ => c,
            })
            .collect(),
    )
}

fn is_full_width(c: char) -> bool {
    matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}')
}

/// Whether `s` is exactly `n` ASCII digits.
pub(crate) fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The characters that may not start or end free text: Unicode `White_Space` and control
/// characters (`Cc`). [`TEXT_ANY_EXCLUDED`] plus whitespace.
pub(crate) const TEXT_EDGE_EXCLUDED: &[(char, char)] = &[
    ('\u{0000}', '\u{0020}'),
    ('\u{007F}', '\u{00A0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200A}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202F}', '\u{202F}'),
    ('\u{205F}', '\u{205F}'),
    ('\u{3000}', '\u{3000}'),
];

/// The characters that may not appear anywhere in free text: control characters (`Cc`).
pub(crate) const TEXT_ANY_EXCLUDED: &[(char, char)] =
    &[('\u{0000}', '\u{001F}'), ('\u{007F}', '\u{009F}')];

/// The characters that may stand in text but do not make it visible: whitespace that is not a
/// C0 control or DEL, and the C1 controls. [`TEXT_EDGE_EXCLUDED`] minus [`TEXT_C0_EXCLUDED`].
pub(crate) const TEXT_BLANK_ALLOWED: &[(char, char)] = &[
    ('\u{0020}', '\u{0020}'),
    ('\u{0080}', '\u{00A0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200A}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202F}', '\u{202F}'),
    ('\u{205F}', '\u{205F}'),
    ('\u{3000}', '\u{3000}'),
];

/// The characters that plain text ([`crate::v2::Text`]) may not contain: C0 controls and DEL.
pub(crate) const TEXT_C0_EXCLUDED: &[(char, char)] =
    &[('\u{0000}', '\u{001F}'), ('\u{007F}', '\u{007F}')];

/// A regex character class body (no brackets) of the union of `ranges`, in `\uXXXX` escapes.
fn class(ranges: &[&[(char, char)]]) -> String {
    let mut out = String::new();
    for &(lo, hi) in ranges.iter().flat_map(|r| r.iter()) {
        let (lo, hi) = (lo as u32, hi as u32);
        if lo == hi {
            out.push_str(&format!("\\u{lo:04X}"));
        } else if hi == lo + 1 {
            out.push_str(&format!("\\u{lo:04X}\\u{hi:04X}"));
        } else {
            out.push_str(&format!("\\u{lo:04X}-\\u{hi:04X}"));
        }
    }
    out
}

/// Whether `s` has a visible character: one that is neither whitespace nor a control
/// character.
pub(crate) fn has_visible(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !c.is_control())
}

/// The unanchored schema pattern of [`has_visible`]: one character outside
/// [`TEXT_EDGE_EXCLUDED`].
pub(crate) fn visible_pattern() -> String {
    format!("[^{}]", class(&[TEXT_EDGE_EXCLUDED]))
}

/// The schema pattern of plain text: no C0 control or DEL, and a visible character. Written so
/// that no backtracking engine needs more than one pass: the blanks before the first visible
/// character, that character, then anything but a C0 control or DEL.
pub(crate) fn plain_text_pattern() -> String {
    format!(
        "^[{}]*[^{}][^{}]*$",
        class(&[TEXT_BLANK_ALLOWED]),
        class(&[TEXT_EDGE_EXCLUDED]),
        class(&[TEXT_C0_EXCLUDED])
    )
}

/// The schema pattern of free text that has no control characters and no whitespace at either
/// end (the rule of [`check_free_text`]), and none of the characters in `extra` anywhere.
pub(crate) fn free_text_pattern(extra: &[(char, char)]) -> String {
    let edge = class(&[TEXT_EDGE_EXCLUDED, extra]);
    let any = class(&[TEXT_ANY_EXCLUDED, extra]);
    format!("^[^{edge}]([^{any}]*[^{edge}])?$")
}

/// Checks free text: `min..=max` characters (else [`Code::SchemaLength`]), no control
/// characters and no whitespace at either end (else [`Code::SchemaPattern`]).
pub(crate) fn check_free_text(
    s: &str,
    min: usize,
    max: usize,
    what: &'static str,
) -> Result<(), IdentError> {
    let len = s.chars().count();
    if len < min || len > max {
        return Err(IdentError::new(
            Code::SchemaLength,
            what,
            "too short or too long",
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(IdentError::new(
            Code::SchemaPattern,
            what,
            "contains a control character",
        ));
    }
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_whitespace());
    if edge(s.chars().next()) || edge(s.chars().next_back()) {
        return Err(IdentError::new(
            Code::SchemaPattern,
            what,
            "starts or ends with whitespace",
        ));
    }
    Ok(())
}

/// The province-level prefixes of GB/T 2260 as a pattern group (no anchors).
pub(crate) const PROVINCE_GROUP: &str = "(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)";

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers shared by the unit tests of the identifier modules.

    use schemars::JsonSchema;

    /// The JSON Schema of `T`, as JSON.
    pub(crate) fn schema_of<T: JsonSchema>() -> serde_json::Value {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        serde_json::to_value(schema).expect("schema serializes")
    }

    /// Whether `value` is valid against `T`'s schema (patterns checked by `jsonschema`).
    pub(crate) fn schema_accepts<T: JsonSchema>(value: &serde_json::Value) -> bool {
        let schema = schema_of::<T>();
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        validator.is_valid(value)
    }

    /// Whether the string `s` is valid against `T`'s schema.
    pub(crate) fn schema_accepts_str<T: JsonSchema>(s: &str) -> bool {
        schema_accepts::<T>(&serde_json::Value::String(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The newtypes parse strings where serde_json holds them: borrowed, unescaped into its
    /// scratch space, or as a map's key; and they refuse another type as serde's `String`
    /// does.
    #[test]
    fn strings_parse_without_a_copy_and_refuse_as_before() {
        let id = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        let plain: RecordId = serde_json::from_str(&format!("\"{id}\"")).expect("plain");
        let escaped: RecordId =
            serde_json::from_str(r#""6ba7b810\u002d9dad-11d1-80b4-00c04fd430c8""#)
                .expect("escaped");
        assert_eq!(plain, escaped);
        assert_eq!(plain.as_str(), id);
        let from_value: RecordId = serde_json::from_value(serde_json::json!(id)).expect("value");
        assert_eq!(from_value, plain);
        let number = serde_json::from_str::<RecordId>("5").expect_err("a number");
        let as_string = serde_json::from_str::<String>("5").expect_err("a number");
        assert_eq!(number.to_string(), as_string.to_string());
        let gender = serde_json::from_str::<Gender>("true").expect_err("a boolean");
        assert!(gender.to_string().contains("expected a string"), "{gender}");
        let bad = serde_json::from_str::<RecordId>(r#""6BA7B810-9DAD-11D1-80B4-00C04FD430C8""#)
            .expect_err("upper case");
        assert!(
            !bad.to_string().contains("6BA7"),
            "no value in the error: {bad}"
        );
        // As a key: a localized text's language tags.
        let text: LocalizedText =
            serde_json::from_str(r#"{"zh-CN":"家政","\u0065n":"Domestic"}"#).expect("keys");
        assert_eq!(text.get("en"), Some("Domestic"));
        assert!(serde_json::from_str::<LocalizedText>(r#"{"zh-CN":"家政","EN":"x"}"#).is_err());
    }

    fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
        ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    #[test]
    fn free_text_ranges_match_rust_char_classes() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                in_ranges(c, TEXT_ANY_EXCLUDED),
                c.is_control(),
                "{:X}",
                c as u32
            );
            assert_eq!(
                in_ranges(c, TEXT_EDGE_EXCLUDED),
                c.is_control() || c.is_whitespace(),
                "{:X}",
                c as u32
            );
        }
    }

    #[test]
    fn blank_ranges_are_edge_minus_c0() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                in_ranges(c, TEXT_BLANK_ALLOWED),
                in_ranges(c, TEXT_EDGE_EXCLUDED) && !in_ranges(c, TEXT_C0_EXCLUDED),
                "{:X}",
                c as u32
            );
        }
    }

    #[test]
    fn visible_text() {
        let plain =
            jsonschema::validator_for(&serde_json::json!({ "pattern": plain_text_pattern() }))
                .expect("compiles");
        let visible =
            jsonschema::validator_for(&serde_json::json!({ "pattern": visible_pattern() }))
                .expect("compiles");
        for (s, has) in [
            ("家政", true),
            (" a ", true),
            ("\u{3000}培训\u{3000}", true),
            ("", false),
            (" ", false),
            ("\u{3000}\u{00A0}\u{2003}", false),
            ("\u{0085}", false),
            ("\u{0080}", false),
            ("\t\n", false),
        ] {
            assert_eq!(has_visible(s), has, "{s:?}");
            assert_eq!(visible.is_valid(&serde_json::json!(s)), has, "{s:?}");
            let no_c0 = !s.chars().any(|c| in_ranges(c, TEXT_C0_EXCLUDED));
            assert_eq!(plain.is_valid(&serde_json::json!(s)), has && no_c0, "{s:?}");
        }
        assert!(!plain.is_valid(&serde_json::json!("a\u{0001}")));
        assert!(plain.is_valid(&serde_json::json!("a\u{0085}b")));
    }

    #[test]
    fn free_text_pattern_literal() {
        assert_eq!(
            free_text_pattern(&[]),
            "^[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]\
             ([^\\u0000-\\u001F\\u007F-\\u009F]*\
             [^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000])?$"
        );
    }

    #[test]
    fn lenient_folding() {
        assert_eq!(fold_full_width("ａ－Ｚ～！"), "a-Z~!");
        assert!(matches!(fold_full_width("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn error_message_has_no_value() {
        let e = IdentError::new(
            Code::IdNumberChecksum,
            "document number",
            "check character is wrong",
        );
        assert_eq!(
            e.to_string(),
            "invalid document number: check character is wrong"
        );
        assert_eq!(e.code(), Code::IdNumberChecksum);
        assert_eq!(e.what(), "document number");
        assert_eq!(e.reason(), "check character is wrong");
    }
}
