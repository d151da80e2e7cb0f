//! Constraints in words, for a clerk: one description in Chinese and English per identifier
//! or value type, found by the pattern that type's own schema carries, so that every field of
//! that type reads the same and the words follow the type. The exact pattern stays on the page
//! for programmers, folded away; the `(?!\n)` end guard that every generated pattern carries
//! is an implementation detail and never the text a reader sees first.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use dsti::ident::{
    BirthDate, CertificateNumber, Date, DocumentDigest, DocumentNumber, ExtensionKey, HttpsUrl,
    IdDocument, LanguageTag, OccupationCode, PersonName, PhoneNumber, RecordId, RegionCode,
    Timestamp, Uscc,
};
use dsti::v2_1::{DetachedJws, KeyId, StatusListIndex};
use dsti::validate::Lang;
use schemars::JsonSchema;
use serde_json::Value;

/// A constraint in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Words {
    pub(crate) en: &'static str,
    pub(crate) zh: &'static str,
}

impl Words {
    pub(crate) fn pick(self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.zh)
    }
}

const fn w(en: &'static str, zh: &'static str) -> Words {
    Words { en, zh }
}

/// The end guard every generated pattern carries after its `$`.
const END_GUARD: &str = "(?!\\n)";

/// A pattern without its end guard: the form a type's own schema and a published schema share.
pub(crate) fn bare(pattern: &str) -> &str {
    pattern.strip_suffix(END_GUARD).unwrap_or(pattern)
}

/// The schema of `T`, as its `JsonSchema` implementation writes it.
fn schema_of<T: JsonSchema>() -> Value {
    schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The `pattern` of `T`'s schema.
fn pattern_of<T: JsonSchema>() -> Option<String> {
    schema_of::<T>()
        .get("pattern")
        .and_then(Value::as_str)
        .map(|p| bare(p).to_owned())
}

/// The words of the document number of each document type (the `type` of an identity
/// document decides its number's form).
pub(crate) fn document_number(document_type: &str) -> Option<Words> {
    Some(match document_type {
        "resident-id-card" => w(
            "18 characters: 17 digits and a check character, which may be X; characters 1–6 are the region (starting with a province-level code), 7–14 the birth date (YYYYMMDD)",
            "18 位：17 位数字加校验位，校验位可为 X；第 1–6 位为地区码（以省级代码开头），第 7–14 位为出生日期（年月日）",
        ),
        "hmt-residence-permit" => w(
            "18 characters starting with 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan): then the birth date (YYYYMMDD), 3 digits and a check character, which may be X",
            "18 位，以 810000（香港）、820000（澳门）或 830000（台湾）开头，其后为出生日期（年月日）、3 位数字和校验位，校验位可为 X",
        ),
        "hk-macao-travel-permit" => w(
            "H (Hong Kong) or M (Macao) and 8 or 10 digits",
            "H（香港）或 M（澳门）加 8 位或 10 位数字",
        ),
        "taiwan-travel-permit" => w("8 or 10 digits", "8 位或 10 位数字"),
        "foreign-permanent-residence-id" => w(
            "the 2017 form, 3 capital letters and 12 digits; or the 2023 form, 18 characters: 9, a province-level code, 3 digits, the birth date (YYYYMMDD), 3 digits and a check character, which may be X",
            "2017 版：3 个大写字母加 12 位数字；或 2023 版 18 位：9、省级代码、3 位数字、出生日期（年月日）、3 位数字和校验位（可为 X）",
        ),
        "passport" => w(
            "5 to 17 digits and capital letters",
            "5–17 位数字和大写字母",
        ),
        _ => return None,
    })
}

/// Words of text patterns that no single public type owns: recognized by what they refuse.
fn text_words(pattern: &str) -> Option<Words> {
    let refuses_whitespace_edges = pattern.contains("\\u3000");
    if !refuses_whitespace_edges {
        return None;
    }
    Some(if pattern.contains("\\u2022") {
        w(
            "a name: no spaces at either end and no control characters; a minority name joins its parts with the middle dot ·, not • or ・",
            "姓名：首尾不得有空格，不含控制字符；少数民族姓名各部分用间隔号 · 连接，不用 • 或 ・",
        )
    } else if pattern.starts_with("^[^") {
        w(
            "text without spaces at either end and without control characters",
            "文本，首尾不得有空格，不含控制字符",
        )
    } else {
        w(
            "text with at least one visible character (not only spaces) and no control characters",
            "文本，须含至少一个可见字符（不能只有空格），不含控制字符",
        )
    })
}

/// Every type's pattern (without its end guard) and its words.
fn table() -> &'static BTreeMap<String, Words> {
    static TABLE: OnceLock<BTreeMap<String, Words>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let types: [(Option<String>, Words); 18] = [
            (pattern_of::<RecordId>(), w(
                "a UUID: 32 lower-case hexadecimal digits in groups of 8-4-4-4-12 joined by hyphens",
                "UUID：32 位小写十六进制数字，按 8-4-4-4-12 分组，以连字符连接",
            )),
            (pattern_of::<Uscc>(), w(
                "18 characters, the unified social credit code: digits and capital letters except I, O, S, V and Z; the last is a check character",
                "18 位统一社会信用代码：数字和大写字母（不含 I、O、S、V、Z），最后一位为校验码",
            )),
            (pattern_of::<RegionCode>(), w(
                "6 digits, an administrative division code (GB/T 2260) starting with a province-level code",
                "6 位数字的行政区划代码（GB/T 2260），前两位为省级代码",
            )),
            (pattern_of::<OccupationCode>(), w(
                "an occupation code such as 4-10-01-06: a digit 1–8, then three groups of two digits, joined by hyphens",
                "职业编码，如 4-10-01-06：一位 1–8 的数字，再接三组两位数字，以连字符连接",
            )),
            (pattern_of::<Timestamp>(), w(
                "a date and time with its offset: YYYY-MM-DDTHH:MM:SS, optionally 1–9 decimals of a second, then Z or ±HH:MM (2026-03-01T09:00:00+08:00)",
                "带时区的日期时间：YYYY-MM-DDTHH:MM:SS，秒后可带 1–9 位小数，末尾为 Z 或 ±HH:MM（如 2026-03-01T09:00:00+08:00）",
            )),
            (pattern_of::<Date>(), w(
                "a date, YYYY-MM-DD (2026-03-01)",
                "日期，格式 YYYY-MM-DD（如 2026-03-01）",
            )),
            (pattern_of::<BirthDate>(), w(
                "a date, YYYY-MM-DD, not before 1850-01-01",
                "日期，格式 YYYY-MM-DD，不早于 1850-01-01",
            )),
            (pattern_of::<PhoneNumber>(), w(
                "a mobile number: 11 digits starting with 13–19; or an international number: + and 7 to 15 digits",
                "手机号码：11 位数字，以 13–19 开头；或国际号码：+ 加 7–15 位数字",
            )),
            (pattern_of::<PersonName>(), w(
                "a name: no spaces at either end and no control characters; a minority name joins its parts with the middle dot ·, not • or ・",
                "姓名：首尾不得有空格，不含控制字符；少数民族姓名各部分用间隔号 · 连接，不用 • 或 ・",
            )),
            (pattern_of::<LanguageTag>(), w(
                "a language tag: a 2–3 letter lower-case language, optionally a 4-letter script with a capital first letter, optionally a 2-letter capital region or a 3-digit region (zh-CN, en, zh-Hant-TW)",
                "语言标签：2–3 个小写字母的语言代码，可接首字母大写的 4 字母文字代码，可接 2 个大写字母或 3 位数字的地区代码（如 zh-CN、en、zh-Hant-TW）",
            )),
            (pattern_of::<ExtensionKey>(), w(
                "namespace:name, the namespace a reversed domain (cn.gov.gd) or a 6-digit region code, the name a letter and up to 63 letters, digits, _ or -",
                "命名空间:名称，命名空间为反向域名（如 cn.gov.gd）或 6 位行政区划代码，名称以字母开头，其后最多 63 个字母、数字、_ 或 -",
            )),
            (pattern_of::<HttpsUrl>(), w(
                "a web address starting with https://",
                "以 https:// 开头的网址",
            )),
            (pattern_of::<DocumentDigest>(), w(
                "hmac-sm3: or hmac-sha256: and 64 lower-case hexadecimal digits",
                "hmac-sm3: 或 hmac-sha256: 加 64 位小写十六进制数字",
            )),
            (pattern_of::<DocumentNumber>(), w(
                "5 to 18 digits and capital letters; the document's type decides the exact form",
                "5–18 位数字和大写字母；具体格式由证件类型决定",
            )),
            (pattern_of::<KeyId>(), w(
                "the key's identifier, an absolute URI (https://…, did:…, urn:…): a scheme, a colon, then no spaces",
                "密钥标识，绝对 URI（https://…、did:…、urn:… 等）：协议名、冒号，其后不含空格",
            )),
            (pattern_of::<DetachedJws>(), w(
                "a detached signature: the base64url header, two dots, the base64url signature (header..signature)",
                "分离式签名：base64url 编码的头部、两个点、base64url 编码的签名（头部..签名）",
            )),
            (pattern_of::<StatusListIndex>(), w(
                "a position in the status list: a whole number written as digits in a string, 0 or without leading zeros (\"94567\")",
                "状态列表中的位置：以字符串书写的非负整数，为 0 或不以 0 开头（如 \"94567\"）",
            )),
            (pattern_of::<CertificateNumber>(), w(
                "the certificate number: no spaces at either end and no control characters; its form must fit the certificate's type, level and issue date",
                "证书编号：首尾不得有空格，不含控制字符；格式须与证书类型、等级和发证日期相符",
            )),
        ];
        let mut table = BTreeMap::new();
        // The first type to claim a pattern keeps it.
        for (pattern, words) in types {
            if let Some(p) = pattern {
                table.entry(p).or_insert(words);
            }
        }
        // The document numbers, by the conditionals of the identity document's own schema.
        for (value, pattern) in document_number_patterns(&schema_of::<IdDocument>()) {
            if let Some(words) = document_number(&value) {
                table.entry(pattern).or_insert(words);
            }
        }
        table
    })
}

/// `(document type, number pattern)` of every `if type = … then number ~ pattern` under `node`.
fn document_number_patterns(node: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match node {
        Value::Object(map) => {
            if let (Some(cond), Some(then)) = (map.get("if"), map.get("then")) {
                let value = cond
                    .pointer("/properties/type/const")
                    .and_then(Value::as_str);
                let pattern = then
                    .pointer("/properties/number/pattern")
                    .and_then(Value::as_str);
                if let (Some(v), Some(p)) = (value, pattern) {
                    out.push((v.to_owned(), bare(p).to_owned()));
                }
            }
            for child in map.values() {
                out.extend(document_number_patterns(child));
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|c| out.extend(document_number_patterns(c))),
        _ => {}
    }
    out
}

/// The 1.0 ID number (`idCardNo`): 18 or the old 15 digits.
fn v1_id_card(pattern: &str) -> Option<Words> {
    (pattern.contains("[0-9X]|") && pattern.contains("[0-9]{3})$")).then_some(w(
        "an ID number: 18 characters (17 digits and a check character, which may be X) or the old 15 digits; the first two are a province-level code, then the birth date",
        "身份证号码：18 位（17 位数字加校验位，校验位可为 X）或旧式 15 位数字；前两位为省级代码，其后含出生日期",
    ))
}

/// The words of a pattern, if a type of the standard owns it.
pub(crate) fn for_pattern(pattern: &str) -> Option<Words> {
    let pattern = bare(pattern);
    table()
        .get(pattern)
        .copied()
        .or_else(|| v1_id_card(pattern))
        .or_else(|| text_words(pattern))
}

/// The words of a `format` keyword, for a field without a pattern of its own.
pub(crate) fn for_format(format: &str) -> Option<Words> {
    Some(match format {
        "date" => w("a date, YYYY-MM-DD", "日期，格式 YYYY-MM-DD"),
        "date-time" => w("a date and time with its offset", "带时区的日期时间"),
        "uuid" => w("a UUID", "UUID"),
        "uri" => w("a web address", "网址"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dsti::{schema, Version};

    fn patterns(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(p)) = map.get("pattern") {
                    out.push(p.clone());
                }
                map.values().for_each(|c| patterns(c, out));
            }
            Value::Array(items) => items.iter().for_each(|c| patterns(c, out)),
            _ => {}
        }
    }

    #[test]
    fn every_pattern_of_every_schema_has_words() {
        let mut missing = Vec::new();
        for version in Version::ALL {
            for &kind in schema::kinds(version) {
                let mut found = Vec::new();
                patterns(
                    &schema::generate(version, kind, schema::DEFAULT_BASE_URI),
                    &mut found,
                );
                for p in found {
                    match for_pattern(&p) {
                        Some(words) => {
                            assert!(!words.en.contains("(?!") && !words.zh.contains("(?!"));
                            assert_ne!(words.en, words.zh);
                        }
                        None => missing.push(format!("{version}/{kind}: {p}")),
                    }
                }
            }
        }
        assert!(missing.is_empty(), "patterns without words: {missing:#?}");
    }

    #[test]
    fn the_words_follow_the_type() {
        let uscc = pattern_of::<Uscc>().expect("a pattern");
        assert!(for_pattern(&format!("{uscc}{END_GUARD}"))
            .is_some_and(|w| w.zh.starts_with("18 位统一社会信用代码")));
        // The resident ID card's number, from the identity document's own conditionals.
        let numbers = document_number_patterns(&schema_of::<IdDocument>());
        let resident = numbers
            .iter()
            .find(|(t, _)| t == "resident-id-card")
            .expect("a resident ID card branch");
        assert_eq!(
            for_pattern(&resident.1).map(|w| w.zh),
            document_number("resident-id-card").map(|w| w.zh)
        );
        assert!(for_pattern("^nothing-a-type-owns$").is_none());
    }
}
