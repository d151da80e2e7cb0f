//! Text in several languages.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{Error as _, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::strict_value::duplicate_key;
use crate::ident::ParseStr;
use crate::ident::{has_visible, visible_pattern, IdentError};
use crate::Code;

const TAG_PATTERN: &str = "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$";

/// The language every [`LocalizedText`] must have.
const ZH_CN: &str = "zh-CN";

/// A language tag of the BCP 47 subset the standard uses:
/// language (2–3 letters), optional script (4 letters), optional region (2 letters or 3
/// digits), written in BCP 47's canonical case: `zh-CN`, `zh-Hant-TW`, `en`, `es-419`. A tag in
/// another case (`en-us`, `ZH-CN`) is not the wire form, and private-use tags (`x-fj-minnan`)
/// are not allowed.
///
/// - Schema: pattern `^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`.
/// - Rust only: nothing more (subtags are not checked against the IANA registry).
///
/// [`LanguageTag::parse_lenient`] canonicalizes the case (and `_` to `-`) first. Failures are
/// [`Code::SchemaPattern`].
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

    /// Parse a hand-typed tag: trims, reads `_` as `-`, and writes each subtag in BCP 47's
    /// canonical case (language lower-case, script title-case, region upper-case), then parses
    /// strictly: `zh-cn` and `ZH_cn` give `zh-CN`, `zh-hant-tw` gives `zh-Hant-TW`.
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        let mut out = String::with_capacity(s.len());
        for (i, part) in s.trim().split(['-', '_']).enumerate() {
            if i > 0 {
                out.push('-');
            }
            let lower = part.to_ascii_lowercase();
            match (i, part.len()) {
                (0, _) => out.push_str(&lower),
                (_, 2) => out.push_str(&part.to_ascii_uppercase()),
                (_, 4) => {
                    let mut chars = lower.chars();
                    if let Some(first) = chars.next() {
                        out.push(first.to_ascii_uppercase());
                    }
                    out.extend(chars);
                }
                _ => out.push_str(&lower),
            }
        }
        Self::validate(&out)
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
            "description": "BCP 47 language tag in canonical case (language lower-case, script title-case, region upper-case), e.g. zh-CN, en, zh-Hant-TW; no private-use tags. / 规范大小写的 BCP 47 语言标签（语言小写、文字首字母大写、地区大写），如 zh-CN、en、zh-Hant-TW；不允许私用标签。",
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
    if !has_visible(text) {
        return Err(IdentError::new(
            Code::SchemaPattern,
            "localized text",
            "each text must have a character other than whitespace",
        ));
    }
    Ok(())
}

/// Text in one or more languages, keyed by [`LanguageTag`], that always has Simplified
/// Chinese (`zh-CN`). Wire form: `{"zh-CN": "家政服务", "en": "Housekeeping"}`.
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
                while let Some(tag) = access.next_key_seed(ParseStr(LanguageTag::validate))? {
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
            "description": "Text keyed by BCP 47 language tag in canonical case (zh-CN, en, zh-Hant-TW; no private-use tags); the Simplified Chinese (zh-CN) version is required; every text 1–2000 characters with a character other than whitespace. / 按规范大小写的 BCP 47 语言标签（zh-CN、en、zh-Hant-TW；不允许私用标签）区分的文本，必须包含简体中文（zh-CN）；每段文本 1–2000 个字符，且须含非空白字符。",
            "required": [ZH_CN],
            "minProperties": 1,
            "propertyNames": { "pattern": TAG_PATTERN },
            "additionalProperties": {
                "type": "string",
                "minLength": 1,
                "maxLength": 2000,
                "pattern": visible_pattern(),
            },
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
    fn lenient_tags_get_canonical_case() {
        for (typed, canonical) in [
            ("zh-cn", "zh-CN"),
            ("ZH_cn", "zh-CN"),
            (" en ", "en"),
            ("EN-us", "en-US"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("ZH-HANS", "zh-Hans"),
            ("es-419", "es-419"),
        ] {
            assert_eq!(
                LanguageTag::parse_lenient(typed).map(|t| t.as_str().to_owned()),
                Ok(canonical.to_owned()),
                "{typed}"
            );
        }
        for bad in [
            "x-fj-minnan",
            "zh-CN-x-private",
            "",
            "zh--CN",
            "en-US-u-ca-gregory",
        ] {
            assert_eq!(
                LanguageTag::parse_lenient(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{bad}"
            );
        }
        // Strict parsing takes only the canonical case.
        assert!(LanguageTag::try_from("en-us").is_err());
        assert!(LanguageTag::try_from("x-fj-minnan").is_err());
        assert!(!schema_accepts_str::<LanguageTag>("x-fj-minnan"));
    }

    #[test]
    fn blank_text_is_no_text() {
        for blank in [" ", "\u{3000}", "\u{00A0}\t"] {
            assert_eq!(
                LocalizedText::new(blank).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{blank:?}"
            );
            assert!(!schema_accepts::<LocalizedText>(&json!({ "zh-CN": blank })));
            assert!(
                serde_json::from_value::<LocalizedText>(json!({ "zh-CN": "a", "en": blank }))
                    .is_err()
            );
        }
        assert!(LocalizedText::new(" 家政 ").is_ok());
        assert!(schema_accepts::<LocalizedText>(
            &json!({ "zh-CN": " 家政 " })
        ));
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
