//! The slow path: parse to a JSON value and collect every structural finding with its path.
//!
//! Taken only when a record does not deserialize straight into its typed form. It reports the
//! same codes the typed path would have stopped at, so the verdict does not depend on the path.

use std::borrow::Cow;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::Limits;
use crate::finding::Finding;
use crate::text::{Bilingual, Lang};
use crate::{Code, Mask};

/// Parse bytes into a value, rejecting what serde_json would let through silently
/// (duplicate keys) and what is over the limits. `Err` holds the one finding that stops it.
pub(crate) fn parse(bytes: &[u8], limits: &Limits, lang: Lang) -> Result<Value, Finding> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Finding::new(
            Code::JsonEncoding,
            "",
            match lang {
                Lang::En => format!("byte {} is not UTF-8", e.valid_up_to()),
                Lang::Zh => format!("第 {} 个字节不是合法的 UTF-8 编码", e.valid_up_to()),
            },
        ));
    }
    // A typed fast-path attempt may have refused a duplicate key already: start clean.
    crate::ident::take_duplicate_key();
    let value = match serde_json::from_slice::<crate::ident::StrictValue>(bytes) {
        Ok(v) => v.0,
        Err(e) => return Err(parse_error(&e, lang)),
    };
    within_limits(&value, limits, lang)?;
    Ok(value)
}

/// `Err` with a `record.limit` finding at the first place where a record nests too deep or
/// holds too long a string or key.
pub(crate) fn within_limits(value: &Value, limits: &Limits, lang: Lang) -> Result<(), Finding> {
    within_limits_at(value, limits, lang, "", 1)
}

/// Like [`within_limits`], for a value found at `at` (a JSON Pointer), nested `depth` deep.
pub(crate) fn within_limits_at(
    value: &Value,
    limits: &Limits,
    lang: Lang,
    at: &str,
    depth: usize,
) -> Result<(), Finding> {
    match over_limits(value, limits, depth) {
        Some((path, what)) => Err(Finding::new(
            Code::RecordLimit,
            format!("{at}{path}"),
            what.get(lang).to_owned(),
        )),
        None => Ok(()),
    }
}

/// The syntax errors of serde_json that are not plain syntax, by the text of serde_json's own
/// error code (it exposes no typed code below [`serde_json::error::Category`]). Each row is
/// pinned by a test against the serde_json in use, so a change of wording fails loudly instead
/// of turning into `json.syntax`.
const SYNTAX_CASES: &[(&str, Code, &str, &str)] = &[
    (
        "recursion limit",
        Code::RecordLimit,
        "nesting is too deep",
        "嵌套层级过深",
    ),
    (
        "surrogate",
        Code::JsonEncoding,
        "a \\u escape is not a valid Unicode character",
        "\\u 转义不是合法的 Unicode 字符",
    ),
    (
        "unicode code point",
        Code::JsonEncoding,
        "a \\u escape is not a valid Unicode character",
        "\\u 转义不是合法的 Unicode 字符",
    ),
    // A leading surrogate not followed by `\u` (`"\ud800"`): serde_json's only use of it.
    (
        "end of hex escape",
        Code::JsonEncoding,
        "a \\u escape is not a valid Unicode character",
        "\\u 转义不是合法的 Unicode 字符",
    ),
    (
        "number out of range",
        Code::RecordLimit,
        "a number is beyond the range of a double",
        "数值超出双精度浮点数范围",
    ),
];

/// The finding for a serde_json parse error. Its message gives line and column, never text.
/// A duplicate key is known by the typed signal of [`crate::ident::StrictValue`]; the rest by
/// the error's [category](serde_json::Error::classify).
fn parse_error(e: &serde_json::Error, lang: Lang) -> Finding {
    use serde_json::error::Category;
    const SYNTAX: (Code, &str, &str) =
        (Code::JsonSyntax, "not well-formed JSON", "不是合法的 JSON");
    let (code, en, zh) = if crate::ident::take_duplicate_key() {
        (
            Code::JsonDuplicateKey,
            "an object has the same key twice",
            "对象中出现重复的键",
        )
    } else {
        match e.classify() {
            Category::Syntax => {
                let text = e.to_string();
                SYNTAX_CASES
                    .iter()
                    .find(|(needle, ..)| text.contains(needle))
                    .map_or(SYNTAX, |&(_, code, en, zh)| (code, en, zh))
            }
            Category::Io | Category::Eof | Category::Data => SYNTAX,
        }
    };
    let message = match lang {
        Lang::En => format!("{en} (line {}, column {})", e.line(), e.column()),
        Lang::Zh => format!("{zh}（第 {} 行第 {} 列）", e.line(), e.column()),
    };
    Finding::new(code, "", message)
}

/// The first place where the value, found at nesting `depth` (1 for a record), is nested too
/// deep or holds too long a string. The path (relative to the value) is built only for the
/// offender, on the way back up.
fn over_limits(value: &Value, limits: &Limits, depth: usize) -> Option<(String, Bilingual)> {
    fn walk(v: &Value, depth: usize, limits: &Limits) -> Option<(Vec<String>, Bilingual)> {
        if depth > limits.max_depth {
            return Some((
                Vec::new(),
                Bilingual::new("nesting is too deep", "嵌套层级过深"),
            ));
        }
        match v {
            Value::String(s) if s.len() > limits.max_string_bytes => {
                Some((Vec::new(), Bilingual::new("a text is too long", "文本过长")))
            }
            Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                let (mut path, what) = walk(item, depth + 1, limits)?;
                path.push(i.to_string());
                Some((path, what))
            }),
            Value::Object(map) => map.iter().find_map(|(k, item)| {
                let (mut path, what) = if k.len() > limits.max_string_bytes {
                    (Vec::new(), Bilingual::new("a key is too long", "键过长"))
                } else {
                    walk(item, depth + 1, limits)?
                };
                path.push(safe_segment(&escape_pointer(k)).into_owned());
                Some((path, what))
            }),
            _ => None,
        }
    }
    let (segments, what) = walk(value, depth, limits)?;
    let path = segments.iter().rev().fold(String::new(), |mut out, seg| {
        out.push('/');
        out.push_str(seg);
        out
    });
    Some((path, what))
}

fn escape_pointer(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1").into()
    } else {
        segment.into()
    }
}

/// A pointer segment or key as it may appear in output: field names of the standard as they
/// are; anything that could be personal data (long digit runs, non-ASCII text) masked.
pub(crate) fn safe_segment(segment: &str) -> Cow<'_, str> {
    let mut run = 0;
    let mut long_digit_run = false;
    for b in segment.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        long_digit_run |= run >= 5;
    }
    let plain = segment.is_ascii()
        && segment.len() <= 64
        && !long_digit_run
        && segment.bytes().all(|b| b.is_ascii_graphic());
    if plain {
        segment.into()
    } else if !segment.is_ascii() {
        // Non-ASCII text in a key is most likely a name: no character of it is shown.
        "*".repeat(segment.chars().count()).into()
    } else {
        Mask::default().apply(segment).into()
    }
}

/// Whether every segment of `pointer` (split at `/`) is one that [`safe_segment`] shows as it
/// is: printable ASCII, at most 64 bytes, no run of five digits. One pass, nothing allocated.
fn plain_pointer(pointer: &str) -> bool {
    let (mut len, mut run) = (0, 0);
    for b in pointer.bytes() {
        if b == b'/' {
            (len, run) = (0, 0);
            continue;
        }
        len += 1;
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if len > 64 || run >= 5 || !b.is_ascii_graphic() {
            return false;
        }
    }
    true
}

/// A JSON Pointer with every segment passed through [`safe_segment`].
pub(crate) fn safe_pointer(pointer: &str) -> String {
    if shown_as_it_is(pointer) {
        pointer.to_owned()
    } else {
        safe_segments(pointer)
    }
}

/// [`safe_pointer`] of a pointer of our own: the same string when it is shown as it is.
fn into_safe_pointer(pointer: String) -> String {
    if shown_as_it_is(&pointer) {
        pointer
    } else {
        safe_segments(&pointer)
    }
}

/// Whether [`safe_pointer`] shows `pointer` as it is: empty, or every segment plain.
fn shown_as_it_is(pointer: &str) -> bool {
    pointer.is_empty() || (pointer.starts_with('/') && plain_pointer(pointer))
}

/// `pointer` rebuilt segment by segment, each one shown or masked on its own.
fn safe_segments(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .fold(String::new(), |mut out, seg| {
            out.push('/');
            out.push_str(&safe_segment(seg));
            out
        })
}

/// One way a value misses the committed schema, with what its message needs: the one
/// description of a miss, whether jsonschema found it (the value path) or the schema checker
/// of the tree did (`check`).
pub(crate) enum Miss<'a> {
    /// `required` names a member that is not there.
    Required(&'a str),
    /// Members that neither `properties` nor `additionalProperties` allow, in member order.
    Additional(&'a [&'a str]),
    /// Not of the type the schema names (the name as jsonschema writes it).
    Type(&'a str),
    /// Not one of an `enum`'s options (kept as one value, so its text is written once).
    Enum(&'a std::sync::Arc<Value>),
    /// Not the `const` value.
    Const(&'a Value),
    /// Does not match `pattern`: the value, when it is text.
    Pattern(Option<&'a str>),
    /// A member name (the key itself, unescaped) does not match `propertyNames`.
    PropertyName(&'a str),
    /// Not of the `format`: the format's name and the value, when it is text.
    Format(&'a str, Option<&'a str>),
    /// Below `minimum` (or `exclusiveMinimum`).
    Minimum(&'a Value),
    /// Above `maximum` (or `exclusiveMaximum`).
    Maximum(&'a Value),
    /// Shorter than `minLength`, `minItems` or `minProperties`.
    TooShort(u64),
    /// Longer than `maxLength`, `maxItems` or `maxProperties`.
    TooLong(u64),
}

/// The findings of a record's misses of its schema, in the order they were found: one per
/// code and path, and a value that is not of its format (a timestamp without an offset) not
/// also told that it misses the pattern that spells the format out.
pub(crate) struct SchemaFindings {
    lang: Lang,
    out: Vec<Finding>,
}

impl SchemaFindings {
    /// No findings yet; messages in `lang`.
    pub(crate) fn new(lang: Lang) -> Self {
        SchemaFindings {
            lang,
            out: Vec::new(),
        }
    }

    /// Add the findings of `miss` at `pointer` (a JSON Pointer, segments escaped, not yet
    /// masked).
    pub(crate) fn push(&mut self, miss: &Miss<'_>, pointer: String) {
        let at = into_safe_pointer(pointer);
        let (one, more) = findings_of(miss, &at, self.lang);
        for finding in one.into_iter().chain(more) {
            self.add(finding);
        }
    }

    fn add(&mut self, finding: Finding) {
        if !self
            .out
            .iter()
            .any(|f| f.code == finding.code && f.path == finding.path)
        {
            self.out.push(finding);
        }
    }

    /// The findings, a pattern's given way to its format's.
    pub(crate) fn finish(self) -> Vec<Finding> {
        let mut out = self.out;
        let formats: Vec<String> = out
            .iter()
            .filter(|f| f.code == Code::SchemaFormat)
            .map(|f| f.path.clone())
            .collect();
        out.retain(|f| {
            !matches!(f.code, Code::SchemaPattern | Code::IdNumberBirthdate)
                || !formats.contains(&f.path)
        });
        out
    }
}

/// Map the errors of the committed schema to findings, one per problem.
pub(crate) fn schema_findings<'a>(
    errors: impl Iterator<Item = ValidationError<'a>>,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = SchemaFindings::new(lang);
    for error in errors {
        let pointer = error.instance_path().as_str();
        let (one, more) = map_error(&error, &safe_pointer(pointer), lang);
        for finding in one.into_iter().chain(more) {
            out.add(finding);
        }
    }
    out.finish()
}

/// An `enum`'s options as JSON text, as they are written into a message: written once per
/// thread for each of a schema's `enum`s (they are few, and shared by every error of that
/// `enum`). The cache holds the options themselves, so no other `enum` can come to have the
/// same address while it is cached.
fn enum_text(options: &std::sync::Arc<Value>) -> std::rc::Rc<str> {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::Arc;
    /// Enough for every `enum` of every edition's schemas.
    const MOST: usize = 256;
    thread_local! {
        static TEXTS: RefCell<Vec<(Arc<Value>, Rc<str>)>> = const { RefCell::new(Vec::new()) };
    }
    TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        if let Some((_, text)) = texts.iter().find(|(o, _)| Arc::ptr_eq(o, options)) {
            return Rc::clone(text);
        }
        let text: Rc<str> = options.to_string().into();
        if texts.len() < MOST {
            texts.push((Arc::clone(options), Rc::clone(&text)));
        }
        text
    })
}

/// The findings of one error when it is one: the message written in `lang` alone.
fn one(
    lang: Lang,
    code: Code,
    path: String,
    en: impl FnOnce() -> String,
    zh: impl FnOnce() -> String,
) -> (Option<Finding>, Vec<Finding>) {
    let message = if lang == Lang::En { en() } else { zh() };
    (Some(Finding::new(code, path, message)), Vec::new())
}

/// The findings of one jsonschema error: its [`Miss`], or for a kind the generated schemas
/// never produce, jsonschema's own (masked) message.
fn map_error(error: &ValidationError<'_>, at: &str, lang: Lang) -> (Option<Finding>, Vec<Finding>) {
    let text = |v: &'_ Value| -> Option<String> { v.as_str().map(str::to_owned) };
    let unexpected: Vec<&str>;
    let type_name: String;
    let instance: Option<String>;
    let miss = match error.kind() {
        ValidationErrorKind::Required { property } => {
            Miss::Required(property.as_str().unwrap_or(""))
        }
        ValidationErrorKind::AdditionalProperties { unexpected: keys }
        | ValidationErrorKind::UnevaluatedProperties { unexpected: keys } => {
            unexpected = keys.iter().map(String::as_str).collect();
            Miss::Additional(&unexpected)
        }
        ValidationErrorKind::Type { kind } => {
            type_name = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(ts) => format!("{ts:?}"),
            };
            Miss::Type(&type_name)
        }
        ValidationErrorKind::Enum { options } => Miss::Enum(options),
        ValidationErrorKind::Constant { expected_value } => Miss::Const(expected_value),
        ValidationErrorKind::Pattern { .. } => {
            instance = text(error.instance());
            Miss::Pattern(instance.as_deref())
        }
        ValidationErrorKind::PropertyNames { error } => {
            instance = text(error.instance());
            Miss::PropertyName(instance.as_deref().unwrap_or(""))
        }
        ValidationErrorKind::Format { format } => {
            instance = text(error.instance());
            Miss::Format(format, instance.as_deref())
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => Miss::Minimum(limit),
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => Miss::Maximum(limit),
        ValidationErrorKind::MinLength { limit }
        | ValidationErrorKind::MinItems { limit }
        | ValidationErrorKind::MinProperties { limit } => Miss::TooShort(*limit),
        ValidationErrorKind::MaxLength { limit }
        | ValidationErrorKind::MaxItems { limit }
        | ValidationErrorKind::MaxProperties { limit } => Miss::TooLong(*limit),
        _ => {
            return one(
                lang,
                Code::SchemaType,
                at.to_owned(),
                || error.masked().to_string(),
                || "不符合标准的结构要求".into(),
            )
        }
    };
    findings_of(&miss, at, lang)
}

/// The findings of one miss at `at` (a pointer already masked): one (no vector allocated for
/// it), or several. Text is joined with `concat`, one allocation of the right size, where it
/// needs no formatting: `format!` sizes its string from the literal text alone and grows it
/// as it writes (a finding or two in every invalid record).
fn findings_of(miss: &Miss<'_>, at: &str, lang: Lang) -> (Option<Finding>, Vec<Finding>) {
    match *miss {
        Miss::Required(property) => {
            let name = safe_segment(property);
            one(
                lang,
                Code::SchemaRequired,
                [at, "/", &name].concat(),
                || ["required field `", &name, "` is missing"].concat(),
                || ["缺少必填字段 `", &name, "`"].concat(),
            )
        }
        Miss::Additional(unexpected) => (
            None,
            unexpected
            .iter()
            .map(|key| {
                let key = safe_segment(key);
                Finding::new(
                    Code::SchemaAdditionalProperty,
                    [at, "/", &key].concat(),
                    match lang {
                        Lang::En => ["field `", &key, "` is not defined by the standard; put other data under `extensions` with a namespaced key"].concat(),
                        Lang::Zh => ["字段 `", &key, "` 不是标准定义的字段；其他数据请放在 `extensions` 中并使用带命名空间的键"].concat(),
                    },
                )
            })
            .collect(),
        ),
        Miss::Type(expected) => one(
            lang,
            Code::SchemaType,
            at.to_owned(),
            || ["expected a value of type ", expected].concat(),
            || ["值的类型应为 ", expected].concat(),
        ),
        Miss::Enum(options) => {
            let options = enum_text(options);
            one(
                lang,
                Code::SchemaEnum,
                at.to_owned(),
                || ["not one of the allowed values: ", &options].concat(),
                || ["不在允许的取值范围内：", &options].concat(),
            )
        }
        Miss::Const(expected_value) => one(
            lang,
            Code::SchemaEnum,
            at.to_owned(),
            || format!("must be {expected_value}"),
            || format!("应为 {expected_value}"),
        ),
        Miss::Pattern(instance) => {
            if at.ends_with("/birthDate") {
                // A real date (else `format` says it) before 1850.
                one(
                    lang,
                    Code::IdNumberBirthdate,
                    at.to_owned(),
                    || "a birth date is not before 1850-01-01".into(),
                    || "出生日期不得早于 1850-01-01".into(),
                )
            } else if at.ends_with("/region") {
                one(
                    lang,
                    Code::RegionUnknown,
                    at.to_owned(),
                    || "not a GB/T 2260 region code of a known province".into(),
                    || "不是有效省份下的 GB/T 2260 行政区划代码".into(),
                )
            } else if let Some((en, zh)) = super::hints::pattern(at, instance) {
                one(lang, Code::SchemaPattern, at.to_owned(), || en.into(), || zh.into())
            } else {
                one(
                    lang,
                    Code::SchemaPattern,
                    at.to_owned(),
                    || "does not have the required form".into(),
                    || "格式不符合要求".into(),
                )
            }
        }
        Miss::PropertyName(key) => {
            // The offending key is reported at its own pointer.
            let key = safe_segment(&escape_pointer(key)).into_owned();
            let (en, zh) = if at.ends_with("/extensions") {
                (
                    "an extension key must be namespace:name, the namespace a reverse-DNS name or a GB/T 2260 region code",
                    "扩展字段的键须为“命名空间:名称”，命名空间为反向域名或 GB/T 2260 行政区划代码",
                )
            } else {
                (
                    "a key of localized text must be a BCP 47 language tag in canonical case, such as zh-CN, en or zh-Hant-TW (no private-use tags)",
                    "多语言文本的键须为规范大小写的 BCP 47 语言标签，如 zh-CN、en、zh-Hant-TW（不允许私用标签）",
                )
            };
            one(
                lang,
                Code::SchemaPattern,
                [at, "/", &key].concat(),
                || en.into(),
                || zh.into(),
            )
        }
        Miss::Format(format, instance) => match super::hints::format(format, instance) {
            Some((en, zh)) => one(lang, Code::SchemaFormat, at.to_owned(), || en.into(), || zh.into()),
            None => one(
                lang,
                Code::SchemaFormat,
                at.to_owned(),
                || ["not a valid ", format].concat(),
                || ["不是合法的 ", format].concat(),
            ),
        },
        Miss::Minimum(limit) => one(
            lang,
            Code::SchemaRange,
            at.to_owned(),
            || format!("must be at least {limit}"),
            || format!("不能小于 {limit}"),
        ),
        Miss::Maximum(limit) => one(
            lang,
            Code::SchemaRange,
            at.to_owned(),
            || format!("must be at most {limit}"),
            || format!("不能大于 {limit}"),
        ),
        Miss::TooShort(limit) => one(
            lang,
            Code::SchemaLength,
            at.to_owned(),
            || format!("too short: at least {limit} needed"),
            || format!("过短：至少需要 {limit} 个"),
        ),
        Miss::TooLong(limit) => one(
            lang,
            Code::SchemaLength,
            at.to_owned(),
            || format!("too long: at most {limit} allowed"),
            || format!("过长：最多允许 {limit} 个"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_serde_json_case_is_classified_by_its_code() {
        let limits = Limits::default();
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for (text, code) in [
            (r#"{"a":1,"a":2}"#, Code::JsonDuplicateKey),
            (deep.as_str(), Code::RecordLimit),
            (r#"{"a":"\udc00"}"#, Code::JsonEncoding),
            (r#"{"a":"\ud800\u0041"}"#, Code::JsonEncoding),
            (r#"{"a":"\ud800"}"#, Code::JsonEncoding),
            (r#"{"a":1e400}"#, Code::RecordLimit),
            (r#"{"a":}"#, Code::JsonSyntax),
            (r#"{"a":1"#, Code::JsonSyntax),
        ] {
            let finding = parse(text.as_bytes(), &limits, Lang::En).expect_err(text);
            assert_eq!(finding.code, code, "{text}: {}", finding.message);
        }
    }

    #[test]
    fn personal_data_in_keys_is_masked() {
        assert_eq!(safe_segment("schemaVersion"), "schemaVersion");
        assert_eq!(safe_segment("11010519491231002X"), "110*************2X");
        assert_eq!(safe_segment("王小明"), "***");
        assert_eq!(safe_segment("com.example:学员王小明"), "*".repeat(17));
        assert_eq!(safe_segment("en-us"), "en-us");
        assert_eq!(
            safe_pointer("/extensions/13812345678"),
            "/extensions/138******78"
        );
        assert_eq!(safe_pointer(""), "");
    }

    /// A pointer of plain segments is itself; any other is built segment by segment, as
    /// before, for every segment shape.
    #[test]
    fn plain_pointers_are_kept_as_they_are() {
        let segments = [
            "",
            "a",
            "schemaVersion",
            "0",
            "12",
            "1234",
            "12345",
            "x1234y",
            "a~1b",
            "王",
            "a b",
            "é",
            &"k".repeat(64),
            &"k".repeat(65),
            "-",
            "\u{7f}",
        ];
        for a in segments {
            for b in segments {
                let pointer = format!("/{a}/{b}");
                assert_eq!(safe_pointer(&pointer), safe_segments(&pointer), "{pointer}");
            }
        }
        assert!(plain_pointer("/provider/uscc"));
        assert!(!plain_pointer("/extensions/13812345678"));
    }

    /// A wrong key is reported at its own pointer, with a message about what keys it needs.
    #[test]
    fn wrong_keys_are_reported_at_their_own_pointer() {
        use crate::validate::{Options, Validator};
        let course = include_str!("../../tests/vectors/2.0/valid/course-pre-job-modules.json");
        let validator = Validator::new(Options::default());
        let tag = course.replace("\"en\":\"Maternity", "\"en-us\":\"Maternity");
        let verdict = validator.validate_str(&tag);
        assert_eq!(verdict.issues.len(), 1, "{:?}", verdict.issues);
        assert_eq!(verdict.issues[0].code, Code::SchemaPattern);
        assert_eq!(verdict.issues[0].path, "/title/en-us");
        assert!(verdict.issues[0].message.contains("language tag"));
        let private = course.replace("\"en\":\"Maternity", "\"x-fj-minnan\":\"Maternity");
        assert_eq!(
            validator.validate_str(&private).issues[0].path,
            "/title/x-fj-minnan"
        );
        let ext = course.replace(
            "\"validUntil\":\"2026-12-31\"",
            "\"validUntil\":\"2026-12-31\",\"extensions\":{\"nonamespace\":1}",
        );
        let verdict = validator.validate_str(&ext);
        assert_eq!(verdict.issues.len(), 1, "{:?}", verdict.issues);
        assert_eq!(verdict.issues[0].path, "/extensions/nonamespace");
        assert!(verdict.issues[0].message.contains("extension key"));
    }

    #[test]
    fn limits_name_the_place() {
        let limits = Limits {
            max_depth: 3,
            max_string_bytes: 4,
            ..Limits::default()
        };
        let v: Value = serde_json::json!({"a": {"b": "12345"}});
        let (path, _) = over_limits(&v, &limits, 1).expect("over");
        assert_eq!(path, "/a/b");
        let v: Value = serde_json::json!({"a": [[[1]]]});
        assert_eq!(over_limits(&v, &limits, 1).expect("deep").0, "/a/0/0");
    }
}
