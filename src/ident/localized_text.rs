//! Text in several languages.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::strict_value::duplicate_key;
use crate::ident::IdentError;
use crate::Code;

const TAG_PATTERN: &str = "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$";

/// The language every [`LocalizedText`] must have.
const ZH_CN: &str = "zh-CN";

/// A language tag of the BCP 47 subset the standard uses (DESIGN §4.10): language (2–3
/// lower-case letters), optional script (`Hans`), optional region (2 upper-case letters or 3
/// digits), e.g. `zh-CN`, `zh-Hant-HK`, `en`, `es-419`.
///
/// - Schema: pattern `^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`.
/// - Rust only: nothing more (subtags are not checked against the IANA registry).
///
/// Failures are [`Code::SchemaPattern`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LanguageTag(String);

impl LanguageTag {
    fn validate(s: &str) -> Result<Self, IdentError> {
        fn language(p: &str) -> bool {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())
        }
        fn script(p: &str) -> bool {
            let b = p.as_bytes();
            b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase)
        }
        fn region(p: &str) -> bool {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()))
                || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        }
        let mut parts = s.split('-');
        let mut ok = parts.next().is_some_and(language);
        let mut next = parts.next();
        if next.is_some_and(script) {
            next = parts.next();
        }
        if let Some(p) = next {
            ok &= region(p);
        }
        ok &= parts.next().is_none();
        if !ok {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "language tag",
                "must be a language tag such as zh-CN or en",
            ));
        }
        Ok(LanguageTag(s.to_owned()))
    }

    /// The tag, e.g. `"zh-CN"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_newtype!(LanguageTag);

impl Borrow<str> for LanguageTag {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for LanguageTag {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "LanguageTag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": TAG_PATTERN,
            "description": "Language tag, e.g. zh-CN, en, zh-Hant-HK. / 语言标签，如 zh-CN、en、zh-Hant-HK。",
        })
    }
}

fn check_text(text: &str) -> Result<(), IdentError> {
    let len = text.chars().count();
    if !(1..=2000).contains(&len) {
        return Err(IdentError::new(
            Code::SchemaLength,
            "localized text",
            "each text must be 1 to 2000 characters",
        ));
    }
    Ok(())
}

/// Text in one or more languages, keyed by [`LanguageTag`], that always has Simplified
/// Chinese (`zh-CN`) (DESIGN §4.10). Wire form: `{"zh-CN": "家政服务", "en": "Housekeeping"}`.
///
/// - Schema: an object; `zh-CN` required; at least one property; every key matches the
///   language-tag pattern (`propertyNames`); every value a string of 1–2000 characters.
/// - Rust only: that no key appears twice (JSON parsers usually keep the last one silently).
///
/// Errors: missing `zh-CN` [`Code::SchemaRequired`]; a text too short or too long
/// [`Code::SchemaLength`]; a bad tag [`Code::SchemaPattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalizedText(BTreeMap<LanguageTag, String>);

impl LocalizedText {
    /// Text with only its Simplified Chinese version.
    pub fn new(zh_cn: impl Into<String>) -> Result<Self, IdentError> {
        let zh_cn = zh_cn.into();
        check_text(&zh_cn)?;
        Ok(LocalizedText(BTreeMap::from([(
            LanguageTag(ZH_CN.to_owned()),
            zh_cn,
        )])))
    }

    /// Adds (or replaces) the version in the language `tag`.
    pub fn with(mut self, tag: LanguageTag, text: impl Into<String>) -> Result<Self, IdentError> {
        let text = text.into();
        check_text(&text)?;
        self.0.insert(tag, text);
        Ok(self)
    }

    /// The version in the language `tag`, if there is one.
    pub fn get(&self, tag: &str) -> Option<&str> {
        self.0.get(tag).map(String::as_str)
    }

    /// The Simplified Chinese version, which is always there.
    pub fn zh_cn(&self) -> &str {
        self.get(ZH_CN).unwrap_or_default()
    }

    /// Every version, ordered by tag.
    pub fn iter(&self) -> impl Iterator<Item = (&LanguageTag, &str)> {
        self.0.iter().map(|(tag, text)| (tag, text.as_str()))
    }

    /// The validator of a map parsed from the wire.
    fn from_map(map: BTreeMap<LanguageTag, String>) -> Result<Self, IdentError> {
        if !map.contains_key(ZH_CN) {
            return Err(IdentError::new(
                Code::SchemaRequired,
                "localized text",
                "the zh-CN version is required",
            ));
        }
        map.values().try_for_each(|text| check_text(text))?;
        Ok(LocalizedText(map))
    }
}

impl Serialize for LocalizedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (tag, text) in &self.0 {
            map.serialize_entry(tag, text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for LocalizedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> Visitor<'de> for TextVisitor {
            type Value = LocalizedText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of texts keyed by language tag")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<LocalizedText, A::Error> {
                let mut map = BTreeMap::new();
                while let Some(key) = access.next_key::<Cow<'de, str>>()? {
                    let tag = LanguageTag::validate(&key).map_err(A::Error::custom)?;
                    if map.contains_key(&tag) {
                        return Err(duplicate_key());
                    }
                    let text: String = access.next_value()?;
                    map.insert(tag, text);
                }
                LocalizedText::from_map(map).map_err(A::Error::custom)
            }
        }

        deserializer.deserialize_map(TextVisitor)
    }
}

impl JsonSchema for LocalizedText {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "LocalizedText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Text keyed by language tag; the Simplified Chinese (zh-CN) version is required. / 按语言标签区分的文本，必须包含简体中文（zh-CN）。",
            "required": [ZH_CN],
            "minProperties": 1,
            "propertyNames": { "pattern": TAG_PATTERN },
            "additionalProperties": { "type": "string", "minLength": 1, "maxLength": 2000 },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;
    use serde_json::json;

    #[test]
    fn tags() {
        for ok in [
            "zh-CN",
            "en",
            "zh-Hant-HK",
            "zh-Hans",
            "es-419",
            "yue-HK",
            "ug-CN",
        ] {
            assert!(LanguageTag::try_from(ok).is_ok(), "{ok}");
            assert!(schema_accepts_str::<LanguageTag>(ok), "{ok}");
        }
        for bad in [
            "zh-cn",
            "ZH-CN",
            "zh_CN",
            "zh-",
            "-CN",
            "z",
            "zhon",
            "zh-CN-Hans",
            "zh-Hant-Hans",
            "zh-CN-x",
            "zh-HANT",
            "en-US-u",
            "",
        ] {
            assert_eq!(
                LanguageTag::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts_str::<LanguageTag>(bad), "{bad}");
        }
    }

    #[test]
    fn builder() {
        let t = LocalizedText::new("家政服务")
            .and_then(|t| t.with("en".parse()?, "Housekeeping"))
            .expect("valid");
        assert_eq!(t.zh_cn(), "家政服务");
        assert_eq!(t.get("en"), Some("Housekeeping"));
        assert_eq!(t.get("fr"), None);
        assert_eq!(t.iter().count(), 2);
        assert_eq!(
            serde_json::to_value(&t).expect("serializes"),
            json!({"en": "Housekeeping", "zh-CN": "家政服务"})
        );
        assert!(schema_accepts::<LocalizedText>(
            &serde_json::to_value(&t).expect("serializes")
        ));
        assert_eq!(
            LocalizedText::new("").map_err(|e| e.code()),
            Err(Code::SchemaLength)
        );
        assert_eq!(
            LocalizedText::new("x".repeat(2001)).map_err(|e| e.code()),
            Err(Code::SchemaLength)
        );
        assert!(LocalizedText::new("x".repeat(2000)).is_ok());
        assert_eq!(
            t.clone()
                .with("en".parse().expect("tag"), "")
                .map_err(|e| e.code()),
            Err(Code::SchemaLength)
        );
        assert_eq!(
            "EN".parse::<LanguageTag>().map_err(|e| e.code()),
            Err(Code::SchemaPattern)
        );
    }

    #[test]
    fn deserialize() {
        let t: LocalizedText =
            serde_json::from_str(r#"{"zh-CN":"养老护理","en":"Elderly care"}"#).expect("valid");
        assert_eq!(t.get("en"), Some("Elderly care"));
        for (bad, schema_too) in [
            (r#"{"zh-CN":"a","zh-CN":"b"}"#, false),
            (r#"{"en":"a"}"#, true),
            (r#"{}"#, true),
            (r#"{"zh-CN":""}"#, true),
            (r#"{"zh-CN":"a","en_US":"b"}"#, true),
            (r#"{"zh-CN":1}"#, true),
            (r#"["zh-CN"]"#, true),
        ] {
            let err = serde_json::from_str::<LocalizedText>(bad).expect_err(bad);
            if bad.contains("\"b\"}") && !schema_too {
                assert!(err.to_string().contains("duplicate key"), "{err}");
            }
            if schema_too {
                let value: serde_json::Value = serde_json::from_str(bad).expect("json");
                assert!(!schema_accepts::<LocalizedText>(&value), "{bad}");
            }
        }
    }
}
