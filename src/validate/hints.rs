//! How to fix a value of the wrong form, by the field it is in: the expected form, and a
//! lower-case letter where upper case is required. Never the value itself.

/// The field a JSON Pointer ends in, for the hints: the last segment, or the last two where
/// the last alone is ambiguous (`/document/number`, `/occupation/code`).
fn field(at: &str) -> (&str, &str) {
    let mut segments = at.rsplit('/');
    let last = segments.next().unwrap_or("");
    let parent = segments.next().unwrap_or("");
    (parent, last)
}

/// Whether `value` is text that has lower-case ASCII letters and would match `ok` once
/// upper-cased.
fn only_lower_case_wrong(value: Option<&str>, ok: impl Fn(&str) -> bool) -> bool {
    value.is_some_and(|s| s.bytes().any(|b| b.is_ascii_lowercase()) && ok(&s.to_ascii_uppercase()))
}

/// A hint for a `schema.pattern` finding at `at` on `value` (when it is text): (English, Chinese).
pub(crate) fn pattern(at: &str, value: Option<&str>) -> Option<(&'static str, &'static str)> {
    let code_chars = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    };
    Some(match field(at) {
        ("document", "number") => {
            if only_lower_case_wrong(value, |s| (5..=18).contains(&s.len()) && code_chars(s)) {
                (
                    "letters in a document number are upper-case: write the check character X, not x",
                    "证件号码中的字母须大写：校验码写 X，不写 x",
                )
            } else {
                (
                    "a document number is 5 to 18 digits or upper-case letters, without spaces; a resident ID number is 17 digits and a check character 0–9 or X",
                    "证件号码须为 5 至 18 位数字或大写字母，不含空格；居民身份证号码为 17 位数字加 1 位校验码（0–9 或 X）",
                )
            }
        }
        (_, "uscc") => {
            if only_lower_case_wrong(value, |s| s.len() == 18 && code_chars(s)) {
                (
                    "letters in a unified social credit code are upper-case",
                    "统一社会信用代码中的字母须大写",
                )
            } else {
                (
                    "a unified social credit code is 18 digits or upper-case letters other than I, O, S, V and Z",
                    "统一社会信用代码须为 18 位数字或大写字母（不含 I、O、S、V、Z）",
                )
            }
        }
        (_, "phone") => (
            "a phone number is an 11-digit mainland mobile number (13… to 19…) or + and 7 to 15 digits (E.164), without spaces or hyphens",
            "手机号码须为 11 位大陆手机号码（13 至 19 开头）或 + 加 7 至 15 位数字（E.164），不含空格或连字符",
        ),
        ("occupation", "code") => (
            "an occupation code has the form D-DD-DD-DD, such as 4-10-01-06, without the marks (L) or (S)",
            "职业编码格式须如 4-10-01-06（D-DD-DD-DD），不含 (L)、(S) 标识",
        ),
        (_, "documentDigest") => (
            "a document digest is hmac-sm3: or hmac-sha256: and 64 lower-case hexadecimal digits",
            "证件摘要须为 hmac-sm3: 或 hmac-sha256: 加 64 位小写十六进制数字",
        ),
        (_, "id" | "personId") | ("evidence", _) => return format("uuid", value),
        _ if at == "/name" || at == "/holderName" => (
            "a name has no whitespace at either end and no control characters; parts of a minority name are separated by the middle dot · (U+00B7), not • or ・",
            "姓名首尾不能有空白字符，不含控制字符；少数民族姓名各部分用间隔号 ·（U+00B7）分隔，不用 • 或 ・",
        ),
        _ => return None,
    })
}

/// A hint for a `schema.format` finding of format `format` on `value` (when it is text): (English, Chinese).
pub(crate) fn format(format: &str, value: Option<&str>) -> Option<(&'static str, &'static str)> {
    Some(match format {
        "uuid" => {
            if value.is_some_and(|s| s.bytes().any(|b| b.is_ascii_uppercase())) {
                (
                    "an id is a UUID written in lower case",
                    "id 须为小写的 UUID",
                )
            } else {
                (
                    "an id is a lower-case hyphenated UUID such as 0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11 (v4, or v5 of the platform's own key)",
                    "id 须为小写带连字符的 UUID，如 0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11（v4，或由平台自身主键生成的 v5）",
                )
            }
        }
        "date-time" => (
            "a timestamp is an RFC 3339 date-time with an offset, such as 2026-03-01T09:00:00+08:00 (upper-case T, a real date, no leap second)",
            "时间须为带时区偏移的 RFC 3339 时间，如 2026-03-01T09:00:00+08:00（T 大写，日期真实，不含闰秒）",
        ),
        "date" => (
            "a date is a real calendar date written YYYY-MM-DD, such as 2026-03-01",
            "日期须为真实日期，写作 YYYY-MM-DD，如 2026-03-01",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::validate::{Lang, Options, Validator};

    /// The messages of a record, in `lang`, by path.
    fn messages(record: &serde_json::Value, lang: Lang) -> Vec<(String, String)> {
        Validator::new(Options::default().lang(lang))
            .validate_value(record)
            .issues
            .into_iter()
            .map(|f| (f.path, f.message))
            .collect()
    }

    #[test]
    fn wrong_forms_say_how_to_fix_without_the_value() {
        let record = serde_json::json!({
            "kind": "person", "schemaVersion": "2.0",
            "id": "6F1C0000-0000-4000-8000-000000000001",
            "name": "王芳 ",
            "document": { "type": "resident-id-card", "number": "11010519491231002x" },
            "phone": "138 1234 5678",
        });
        for lang in [Lang::En, Lang::Zh] {
            let got = messages(&record, lang);
            let at = |path: &str| {
                got.iter()
                    .find(|(p, _)| p == path)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_else(|| panic!("{path}: {got:?}"))
            };
            let upper = lang.pick("upper-case", "大写");
            assert!(at("/document/number").contains(upper), "{got:?}");
            assert!(at("/document/number").contains('X'));
            assert!(at("/id").contains(lang.pick("lower case", "小写")));
            assert!(at("/phone").contains("E.164"));
            assert!(at("/name").contains("U+00B7"));
            for (_, m) in &got {
                assert!(
                    !m.contains("11010519491231002") && !m.contains("1234"),
                    "{m}"
                );
            }
        }
        // A number of the wrong length is told the form, not the case.
        let mut short = record.clone();
        short["document"]["number"] = "1101051949".into();
        let got = messages(&short, Lang::En);
        assert!(
            got.iter()
                .any(|(p, m)| p == "/document/number" && m.contains("17 digits")),
            "{got:?}"
        );
    }
}
