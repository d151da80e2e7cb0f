//! A record kind's page: every field of its schema, walked from the root with `$ref`s
//! resolved by the library ([`dsti::schema::walk::resolve`]), one table row per field in the
//! order records write them, with its type, whether it is required, its constraints in words
//! (the exact pattern folded away), its description and an example value taken from a real
//! record; then a complete valid record and a typical invalid one with its findings.

use dsti::schema::walk::resolve;
use dsti::validate::Lang;
use dsti::{schema, DocumentKind, Kind, Version};
use maud::{html, Markup};
use serde_json::Value;

use super::example::{self, Examples, FieldOrder, Ordered};
use super::{chrome, crumbs, describe, dir, halves, inline, kind_title, other, words};

/// Enumerations longer than this are folded away.
const LONG_LIST: usize = 24;

/// What a row's type cell says.
enum TypeCell {
    /// A JSON type in words (`string`, `array of object`, `constant "2.0"`).
    Text(String),
    /// A record of this kind: a link to its page.
    Record(Kind),
}

/// One row of a kind's field table.
struct Row {
    path: String,
    depth: usize,
    ty: TypeCell,
    required: bool,
    constraints: Vec<Markup>,
    description: Markup,
    example: String,
}

struct Walker<'a> {
    root: &'a Value,
    lang: Lang,
    rows: Vec<Row>,
    /// The order records write their fields in.
    order: Option<&'a FieldOrder>,
    /// A complete valid record, for example values.
    example: Option<&'a Ordered>,
}

/// The record kind a `$ref` names, when it points at a whole record's definition.
fn record_ref(node: &Value) -> Option<Kind> {
    let name = node.get("$ref")?.as_str()?.rsplit('/').next()?;
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(name))
}

/// Labels of enumeration values from a description like
/// "Title / 标题: `a` en a / 中文 a; `b` en b / 中文 b." (the legend every code list's schema
/// carries).
fn enum_labels(description: Option<&str>, value: &str, lang: Lang) -> Option<String> {
    let d = description?;
    let marker = format!("`{value}` ");
    let start = d.find(&marker)? + marker.len();
    let rest = &d[start..];
    let end = rest.find("; `").unwrap_or(rest.len());
    let label = rest[..end].trim_end_matches('.');
    let (en, zh) = halves(label);
    Some(lang.pick(en, zh).to_owned())
}

/// A JSON type's name in `lang`.
fn json_type(t: &str, lang: Lang) -> &str {
    match t {
        "string" => lang.pick("text", "文本"),
        "number" => lang.pick("number", "数字"),
        "integer" => lang.pick("whole number", "整数"),
        "boolean" => lang.pick("true or false", "true 或 false"),
        "object" => lang.pick("object", "对象"),
        "array" => lang.pick("list", "列表"),
        "null" => "null",
        other => other,
    }
}

fn type_label(node: &Value, lang: Lang) -> String {
    if let Some(c) = node.get("const") {
        return format!("{} {}", lang.pick("always", "固定为"), c);
    }
    let base = match node.get("type") {
        Some(Value::String(t)) => json_type(t, lang).to_owned(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(|t| json_type(t, lang))
            .collect::<Vec<_>>()
            .join(lang.pick(" or ", " 或 ")),
        _ if node.get("enum").is_some() => json_type("string", lang).to_owned(),
        _ if node.get("properties").is_some() => json_type("object", lang).to_owned(),
        _ => lang.pick("any", "任意").to_owned(),
    };
    if node.get("enum").is_some() {
        format!("{base}{}", lang.pick(" (a fixed list)", "（固定取值）"))
    } else {
        base
    }
}

/// A made-up but valid-looking example for a field, by name and schema.
fn example(name: &str, node: &Value) -> String {
    if let Some(c) = node.get("const") {
        return c.to_string();
    }
    if let Some(first) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.to_string();
    }
    if let Some(e) = node
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return e.to_string();
    }
    let by_name = match name {
        "id" | "personId" => "\"5d1c7e0a-8f3b-4b2e-a1c4-6e9d2f0b7a35\"",
        "uscc" => "\"91440101MA5CYUF35N\"",
        "region" => "\"440106\"",
        "phone" => "\"13800138000\"",
        "documentDigest" => "\"hmac-sm3:3f5a…\"",
        "verificationUrl" => "\"https://cert.example.gov.cn/v/Y000144020000126301001\"",
        "holderName" => "\"李四\"",
        "jobType" => "\"母婴护理员\"",
        "programme" => "\"家政服务业提质扩容领跑者行动\"",
        "statusReason" => "\"证书信息有误\"",
        "issuingCountry" => "\"USA\"",
        _ => "",
    };
    if !by_name.is_empty() {
        return by_name.to_owned();
    }
    match node.get("format").and_then(Value::as_str) {
        Some("date-time") => return "\"2026-03-01T09:00:00+08:00\"".to_owned(),
        Some("date") => return "\"2026-03-01\"".to_owned(),
        Some("uuid") => return "\"0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11\"".to_owned(),
        _ => {}
    }
    let pattern = node.get("pattern").and_then(Value::as_str).unwrap_or("");
    match node.get("type").and_then(Value::as_str) {
        Some("string") if pattern.starts_with("^[1-8]-") => "\"4-10-01-06\"".to_owned(),
        Some("string") if name == "number" => "\"11010519491231002X\"".to_owned(),
        Some("string") if name == "code" => "\"MY-2026-01\"".to_owned(),
        Some("string") if name == "name" => "\"广州市巾帼家政培训学校\"".to_owned(),
        Some("string") => "\"…\"".to_owned(),
        Some("number") => "64".to_owned(),
        Some("integer") => "12".to_owned(),
        Some("boolean") => "true".to_owned(),
        Some("object")
            if node
                .get("required")
                .is_some_and(|r| r.to_string().contains("zh-CN")) =>
        {
            "{\"zh-CN\": \"母婴护理员岗前培训\"}".to_owned()
        }
        Some("object") => "{…}".to_owned(),
        Some("array") => "[…]".to_owned(),
        _ => String::new(),
    }
}

/// `<code>a</code>` + `sep` + `<code>b</code>`…
fn codes<'a>(names: impl IntoIterator<Item = &'a str>, sep: &str) -> Markup {
    html! {
        @for (i, name) in names.into_iter().enumerate() {
            @if i > 0 { (sep) }
            code { (name) }
        }
    }
}

/// A pattern for people: its words, with the exact pattern folded away for programmers; the
/// pattern itself only when no type of the standard owns it.
fn pattern_text(pattern: &str, lang: Lang) -> Markup {
    let exact = html! {
        details class="pattern" {
            summary { (lang.pick("exact pattern", "精确格式（正则表达式）")) }
            code { (pattern) }
        }
    };
    match words::for_pattern(pattern) {
        Some(w) => html! { (w.pick(lang)) (exact) },
        None => html! {
            (lang.pick("pattern", "格式")) ": " code { (words::bare(pattern)) } (exact)
        },
    }
}

/// What a conditional (`if` one field is a constant, `then` …) requires, if it says anything
/// a reader needs: patterns and required fields.
fn conditional(c: &Value, lang: Lang) -> Option<Markup> {
    let (cond, then) = (c.get("if")?, c.get("then")?);
    if then.get("$ref").is_some() {
        return None;
    }
    let (field, value) = cond
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|p| p.iter().next())
        .and_then(|(f, s)| Some((f, s.get("const")?)))?;
    let mut says: Vec<Markup> = Vec::new();
    if let Some(props) = then.get("properties").and_then(Value::as_object) {
        for (name, s) in props {
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                says.push(
                    html! { code { (name) } (lang.pick(": ", "：")) (pattern_text(p, lang)) },
                );
            }
        }
    }
    if let Some(req) = then.get("required").and_then(Value::as_array) {
        for r in req.iter().filter_map(Value::as_str) {
            says.push(html! { code { (r) } " " (lang.pick("required", "必填")) });
        }
    }
    if says.is_empty() {
        return None;
    }
    let value = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    Some(html! {
        (lang.pick("when", "当")) " " code { (field) } " = " code { (value) }
        (lang.pick(": ", " 时，"))
        @for (i, say) in says.iter().enumerate() {
            @if i > 0 { (lang.pick("; ", "；")) }
            (say)
        }
    })
}

impl Walker<'_> {
    fn constraints(&self, node: &Value) -> Vec<Markup> {
        let lang = self.lang;
        let mut out = Vec::new();
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let d = node.get("description").and_then(Value::as_str);
            let list = html! {
                @for (i, v) in values.iter().enumerate() {
                    @let s = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    @if i > 0 { (lang.pick("; ", "；")) }
                    code { (s) }
                    @if let Some(label) = enum_labels(d, &s, lang) { " " (label) }
                }
            };
            // A long code list (countries) is folded away: a clerk looks a value up, never reads it.
            if values.len() > LONG_LIST {
                out.push(html! {
                    details class="values" {
                        summary { (lang.pick("one of ", "取值为以下 ")) (values.len()) (lang.pick(" values", " 个之一")) }
                        (list)
                    }
                });
            } else {
                out.push(html! { (lang.pick("one of", "取值")) (lang.pick(": ", "：")) (list) });
            }
        }
        let pattern = node.get("pattern").and_then(Value::as_str);
        if let Some(p) = pattern {
            out.push(pattern_text(p, lang));
        }
        if let Some(f) = node.get("format").and_then(Value::as_str) {
            // A pattern's words already say what the format is.
            if pattern.and_then(words::for_pattern).is_none() {
                match words::for_format(f) {
                    Some(w) => out.push(html! { (w.pick(lang)) }),
                    None => out.push(html! { "format: " code { (f) } }),
                }
            }
        }
        let chars = |n: &Value| n.as_u64();
        match (
            node.get("minLength").and_then(chars),
            node.get("maxLength").and_then(chars),
        ) {
            (Some(min), Some(max)) => out.push(html! {
                (min) "–" (max) (lang.pick(" characters", " 个字符"))
            }),
            (None, Some(max)) => out.push(html! {
                (lang.pick("at most ", "最多 ")) (max) (lang.pick(" characters", " 个字符"))
            }),
            (Some(min), None) => out.push(html! {
                (lang.pick("at least ", "至少 ")) (min) (lang.pick(" characters", " 个字符"))
            }),
            (None, None) => {}
        }
        for (kw, en, zh) in [
            ("minimum", "minimum", "最小值"),
            ("maximum", "maximum", "最大值"),
            ("exclusiveMinimum", "greater than", "大于"),
            ("exclusiveMaximum", "less than", "小于"),
            ("minItems", "min items", "最少项数"),
            ("maxItems", "max items", "最多项数"),
            ("minProperties", "min keys", "最少键数"),
        ] {
            if let Some(v) = node.get(kw) {
                out.push(html! { (lang.pick(en, zh)) ": " (v.to_string()) });
            }
        }
        if node.get("uniqueItems") == Some(&Value::Bool(true)) {
            out.push(html! { (lang.pick("items unique", "各项不得重复")) });
        }
        if let Some(names) = node
            .get("propertyNames")
            .and_then(|p| p.get("pattern"))
            .and_then(Value::as_str)
        {
            out.push(html! {
                (lang.pick("each key: ", "每个键：")) (pattern_text(names, lang))
            });
        }
        if node.get("properties").is_none() {
            if let Some(req) = node.get("required").and_then(Value::as_array) {
                out.push(html! {
                    (lang.pick("must contain", "必须含键")) ": "
                    (codes(req.iter().filter_map(Value::as_str), ", "))
                });
            }
        }
        if node.get("additionalProperties") == Some(&Value::Bool(false)) {
            out.push(html! { (lang.pick("no other fields", "不允许其他字段")) });
        }
        if let Some(any) = node.get("anyOf").and_then(Value::as_array) {
            let alts: Vec<&Vec<Value>> = any
                .iter()
                .filter_map(|a| a.get("required")?.as_array())
                .collect();
            if !alts.is_empty() {
                out.push(html! {
                    (lang.pick("at least one of", "至少含其一")) ": "
                    @for (i, alt) in alts.iter().enumerate() {
                        @if i > 0 { ", " }
                        (codes(alt.iter().filter_map(Value::as_str), " + "))
                    }
                });
            }
        }
        // if/then: the conditional rules (document numbers by type, passports' country).
        let mut conditionals: Vec<&Value> = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        if node.get("if").is_some() {
            conditionals.push(node);
        }
        out.extend(
            conditionals
                .into_iter()
                .filter_map(|c| conditional(c, lang)),
        );
        out
    }

    fn fields(&mut self, node: &Value, prefix: &str, depth: usize) {
        let node = resolve(self.root, node);
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required: Vec<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // Record order, as records write their fields; a field no example has goes after them,
        // the header fields first and `extensions` last, then alphabetical.
        let mut names: Vec<&String> = props.keys().collect();
        let rank = |n: &str| match n {
            "kind" => 0,
            "schemaVersion" => 1,
            "id" => 2,
            "extensions" => 4,
            _ => 3,
        };
        let order = self.order;
        names.sort_by_key(|n| {
            let seen = order.map_or(usize::MAX, |o| o.rank(prefix, n));
            (rank(n) == 4, seen, rank(n), n.as_str())
        });
        for name in names {
            let prop = &props[name];
            let target = resolve(self.root, prop);
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let description = prop
                .get("description")
                .or_else(|| target.get("description"))
                .and_then(Value::as_str);
            let mut ty = type_label(target, self.lang);
            let items = target.get("items").map(|i| resolve(self.root, i));
            if let Some(items) = items {
                ty = format!(
                    "{} {}",
                    self.lang.pick("array of", "数组，元素为"),
                    type_label(items, self.lang)
                );
            }
            let mut constraints = self.constraints(target);
            if let Some(items) = items {
                let each = self.lang.pick("each", "每项");
                constraints.extend(
                    self.constraints(items)
                        .into_iter()
                        .map(|c| html! { (each) ": " (c) }),
                );
            }
            self.rows.push(Row {
                path: path.clone(),
                depth,
                ty: TypeCell::Text(ty),
                required: required.contains(&name.as_str()),
                constraints,
                description: describe(description, self.lang),
                example: match self.example.and_then(|e| e.at(&path)) {
                    Some(value) => {
                        example_value(value, target.get("properties").is_none()).unwrap_or_default()
                    }
                    None => example(name, target),
                },
            });
            self.fields(target, &path, depth + 1);
            if let Some(items) = target.get("items") {
                let records = resolve(self.root, items);
                self.record_branches(records, &format!("{path}[]"), depth + 1);
                self.fields(items, &format!("{path}[]"), depth + 1);
            }
        }
    }

    /// The `if kind = …, then $ref` branches of a batch's records: one row per kind, naming
    /// every field path of that kind and linking to its page.
    fn record_branches(&mut self, node: &Value, prefix: &str, depth: usize) {
        let Some(all) = node.get("allOf").and_then(Value::as_array) else {
            return;
        };
        for branch in all {
            let Some(kind) = branch.get("then").and_then(record_ref) else {
                continue;
            };
            let mut inner = Walker {
                root: self.root,
                lang: self.lang,
                rows: Vec::new(),
                order: None,
                example: None,
            };
            if let Some(then) = branch.get("then") {
                inner.fields(then, "", 0);
            }
            let fields = self.lang.pick("fields", "字段");
            self.rows.push(Row {
                path: format!("{prefix} (kind = {kind})"),
                depth,
                ty: TypeCell::Record(kind),
                required: false,
                constraints: vec![html! {
                    (fields) ": " (codes(inner.rows.iter().map(|r| r.path.as_str()), ", "))
                }],
                description: html! {
                    (self.lang.pick("See the kind's page for every field.", "该类型记录的全部字段见其页面。"))
                },
                example: String::new(),
            });
        }
    }
}

/// A field's value in an example record, as its example: scalars, lists of scalars, and maps
/// of scalars (`map`: an object without fields of its own, such as a text in several
/// languages); objects with fields and lists of objects have rows of their own.
fn example_value(value: &Ordered, map: bool) -> Option<String> {
    match value {
        Ordered::Object(entries)
            if map
                && entries
                    .iter()
                    .all(|(_, v)| !matches!(v, Ordered::Object(_) | Ordered::Array(_))) =>
        {
            Some(value.compact())
        }
        Ordered::Object(_) => None,
        Ordered::Array(items)
            if items
                .iter()
                .any(|i| matches!(i, Ordered::Object(_) | Ordered::Array(_))) =>
        {
            None
        }
        v => Some(v.compact()),
    }
}

/// One row of the field table.
fn row(r: &Row, lang: Lang) -> Markup {
    let (lead, last) = match r.path.rsplit_once('.') {
        Some((lead, last)) if r.depth > 0 => (format!("{lead}."), last),
        _ => (String::new(), r.path.as_str()),
    };
    let anchor = r.path.replace(['[', ']', ' ', '(', ')', '='], "");
    let h = |en, zh| lang.pick(en, zh);
    html! {
        tr id=(anchor) {
            td class="name" { span class="depth" { (lead) } (last) }
            td class="req-cell" {
                @if r.required {
                    span class="req" { (h("required", "必填")) }
                } @else {
                    span class="opt" { (h("optional", "选填")) }
                }
            }
            td class="cons" data-label=(h("Type and constraints", "类型与约束")) {
                @match &r.ty {
                    TypeCell::Text(t) => { (t) }
                    TypeCell::Record(kind) => { a href={ (kind) ".html" } { (kind_title(*kind, lang)) } }
                }
                @if !r.constraints.is_empty() {
                    ul class="constraints" {
                        @for c in &r.constraints { li { (c) } }
                    }
                }
            }
            td class="desc" data-label=(h("Description", "说明")) {
                (r.description)
                @if !r.example.is_empty() {
                    div class="eg" { (h("Example: ", "示例：")) code { (r.example) } }
                }
            }
        }
        "\n"
    }
}

/// The `required` list of a schema's root.
fn required_of(s: &Value) -> Vec<String> {
    s.get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A record as indented JSON in a box that scrolls sideways rather than wrapping.
fn record_block(record: &Ordered) -> Markup {
    html! { div class="scroll" { pre class="record" { code { (record.pretty()) } } } "\n" }
}

/// The examples' sections: the complete record, then the typical mistakes and their findings.
fn example_sections(examples: &Examples, lang: Lang) -> Markup {
    let h = |en, zh| lang.pick(en, zh);
    html! {
        h2 id="example" { (h("A complete valid record", "完整的有效记录示例")) } "\n"
        p {
            (h(
                "Every field in the order records write them; the validator accepts it without a finding.",
                "按记录中字段的顺序列出；校验程序对它没有任何问题提示。",
            ))
        }
        "\n"
        (record_block(&examples.valid))
        @if let Some((record, findings)) = &examples.invalid {
            h2 id="invalid" { (h("A typical invalid record", "典型的错误记录")) } "\n"
            p {
                (h(
                    "The same record with a typing slip in a check character or a required field left out, and what the validator says about it (dsti validate):",
                    "同一条记录，校验位打错或漏填必填字段后，校验程序（dsti validate）给出的问题：",
                ))
            }
            "\n"
            div class="scroll" {
                table class="findings" {
                    thead { tr { th { (h("Code", "代码")) } th { (h("Where", "位置")) } th { (h("What is wrong", "问题")) } } }
                    "\n"
                    tbody {
                        @for f in findings {
                            tr {
                                td { a href={ "codes.html#" (f.code.as_str()) } { code { (f.code.as_str()) } } }
                                td { code { @if f.path.is_empty() { "/" } @else { (f.path) } } }
                                td { (inline(&f.message)) }
                            }
                            "\n"
                        }
                    }
                }
            }
            "\n"
            (record_block(record))
        }
    }
}

/// The page of one record kind of one version.
pub(super) fn kind_page(version: Version, kind: DocumentKind, lang: Lang) -> Markup {
    let s = schema::generate(version, kind, schema::DEFAULT_BASE_URI);
    let examples = kind
        .record()
        .and_then(|k| example::examples(version, k, &required_of(&s), lang));
    let mut walker = Walker {
        root: &s,
        lang,
        rows: Vec::new(),
        order: examples.as_ref().map(|e| &e.order),
        example: examples.as_ref().map(|e| &e.valid),
    };
    walker.fields(&s, "", 0);
    let id = s["$id"].as_str().unwrap_or_default();
    let h = |en, zh| lang.pick(en, zh);
    let body = html! {
        p class="lead" { (describe(s.get("description").and_then(Value::as_str), lang)) } "\n"
        @if examples.is_some() {
            p class="toc" {
                a href="#fields" { (h("Fields", "字段")) } " · "
                a href="#example" { (h("Complete example", "完整示例")) } " · "
                a href="#invalid" { (h("Typical mistakes", "典型错误")) }
            }
            "\n"
        }
        h2 id="fields" { (h("Fields", "字段")) } "\n"
        p class="note" {
            (h(
                "In the order records write them. Open “exact pattern” for the regular expression a program checks.",
                "按记录中的字段顺序排列。需要程序校验用的正则表达式时，展开“精确格式”。",
            ))
        }
        "\n"
        div class="scroll cards" {
            table class="fields" {
                "\n"
                thead {
                    tr {
                        th { (h("Field", "字段")) }
                        th { (h("Required", "必填")) }
                        th { (h("Type and constraints", "类型与约束")) }
                        th { (h("Description and example", "说明与示例")) }
                    }
                }
                "\n"
                tbody {
                    "\n"
                    @for r in &walker.rows { (row(r, lang)) }
                }
            }
        }
        "\n"
        @if let Some(examples) = &examples { (example_sections(examples, lang)) }
        p { "JSON Schema: " a href=(id) { code { (id) } } } "\n"
    };
    let title = format!("{} · {kind} · DSTI {version}", kind_title(kind, lang));
    chrome::document(
        lang,
        &title,
        &crumbs(version, Some(kind.as_str())),
        Some(&format!("../{}/{kind}.html", dir(other(lang)))),
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_labels_are_read_from_descriptions() {
        let d = "Verification result / 核验结果: `passed` passed / 通过; `failed` failed / 未通过.";
        assert_eq!(
            enum_labels(Some(d), "passed", Lang::Zh).as_deref(),
            Some("通过")
        );
        assert_eq!(
            enum_labels(Some(d), "failed", Lang::En).as_deref(),
            Some("failed")
        );
        assert_eq!(
            enum_labels(Some(d), "failed", Lang::Zh).as_deref(),
            Some("未通过")
        );
    }

    #[test]
    fn a_type_cell_is_text_or_a_link_never_raw_markup() {
        let text = Row {
            path: "a<b".to_owned(),
            depth: 0,
            ty: TypeCell::Text("<i>x</i>".to_owned()),
            required: true,
            constraints: Vec::new(),
            description: html! { "d" },
            example: String::new(),
        };
        let html = row(&text, Lang::En).into_string();
        assert!(html.contains("&lt;i&gt;x&lt;/i&gt;"), "{html}");
        assert!(html.contains("a&lt;b"), "{html}");
        let link = Row {
            ty: TypeCell::Record(Kind::Course),
            ..text
        };
        let html = row(&link, Lang::Zh).into_string();
        assert!(html.contains("<a href=\"course.html\">课程</a>"), "{html}");
    }
}
