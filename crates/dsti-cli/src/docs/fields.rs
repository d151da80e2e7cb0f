//! A record kind's page: every field of its schema, walked from the root with `$ref`s
//! resolved by the library ([`dsti::schema::walk::resolve`]), one table row per field with its
//! type, whether it is required, its constraints, its description and an example.

use dsti::schema::walk::resolve;
use dsti::validate::Lang;
use dsti::{schema, DocumentKind, Kind, Version};
use maud::{html, Markup};
use serde_json::Value;

use super::{chrome, crumbs, describe, dir, halves, kind_title, other};

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

fn type_label(node: &Value, lang: Lang) -> String {
    if let Some(c) = node.get("const") {
        return format!("{} {}", lang.pick("constant", "常量"), c);
    }
    let base = match node.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ if node.get("enum").is_some() => "string".to_owned(),
        _ if node.get("properties").is_some() => "object".to_owned(),
        _ => lang.pick("any", "任意").to_owned(),
    };
    if node.get("enum").is_some() {
        format!("{base} ({})", lang.pick("enum", "枚举"))
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
                says.push(html! { code { (name) } " ~ " code { (p) } });
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
    Some(html! {
        (lang.pick("when", "当")) " " code { (field) } " = " code { (value.to_string()) } ": "
        @for (i, say) in says.iter().enumerate() {
            @if i > 0 { "; " }
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
            out.push(html! {
                (lang.pick("one of", "取值")) ": "
                @for (i, v) in values.iter().enumerate() {
                    @let s = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                    @if i > 0 { "; " }
                    code { (s) }
                    @if let Some(label) = enum_labels(d, &s, lang) { " " (label) }
                }
            });
        }
        if let Some(p) = node.get("pattern").and_then(Value::as_str) {
            out.push(html! { (lang.pick("pattern", "格式")) ": " code { (p) } });
        }
        if let Some(f) = node.get("format").and_then(Value::as_str) {
            out.push(html! { "format: " code { (f) } });
        }
        for (kw, en, zh) in [
            ("minLength", "min length", "最短"),
            ("maxLength", "max length", "最长"),
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
        if let Some(names) = node.get("propertyNames").and_then(|p| p.get("pattern")) {
            out.push(html! {
                (lang.pick("keys match", "键格式")) ": " code { (names.as_str().unwrap_or_default()) }
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
        // Wire order: the header fields first, then alphabetical (the schema's own order).
        let mut names: Vec<&String> = props.keys().collect();
        let rank = |n: &str| match n {
            "kind" => 0,
            "schemaVersion" => 1,
            "id" => 2,
            "extensions" => 4,
            _ => 3,
        };
        names.sort_by_key(|n| (rank(n), n.as_str()));
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
                example: example(name, target),
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
            td data-label=(h("Type", "类型")) {
                @match &r.ty {
                    TypeCell::Text(t) => { (t) }
                    TypeCell::Record(kind) => { a href={ (kind) ".html" } { (kind_title(*kind, lang)) } }
                }
            }
            td data-label=(h("Required", "必填")) {
                @if r.required {
                    span class="req" { (h("yes", "是")) }
                } @else {
                    span class="opt" { (h("no", "否")) }
                }
            }
            td data-label=(h("Constraints", "约束")) {
                @if !r.constraints.is_empty() {
                    ul class="constraints" {
                        @for c in &r.constraints { li { (c) } }
                    }
                }
            }
            td data-label=(h("Description", "说明")) { (r.description) }
            td data-label=(h("Example", "示例")) {
                @if !r.example.is_empty() { code { (r.example) } }
            }
        }
        "\n"
    }
}

/// The page of one record kind of one version.
pub(super) fn kind_page(version: Version, kind: DocumentKind, lang: Lang) -> Markup {
    let s = schema::generate(version, kind, schema::DEFAULT_BASE_URI);
    let mut walker = Walker {
        root: &s,
        lang,
        rows: Vec::new(),
    };
    walker.fields(&s, "", 0);
    let id = s["$id"].as_str().unwrap_or_default();
    let h = |en, zh| lang.pick(en, zh);
    let body = html! {
        p class="lead" { (describe(s.get("description").and_then(Value::as_str), lang)) } "\n"
        p { "JSON Schema: " a href=(id) { code { (id) } } } "\n"
        h2 { (h("Fields", "字段")) } "\n"
        div class="scroll cards" {
            table class="fields" {
                "\n"
                thead {
                    tr {
                        th { (h("Field", "字段")) }
                        th { (h("Type", "类型")) }
                        th { (h("Required", "必填")) }
                        th { (h("Constraints", "约束")) }
                        th { (h("Description", "说明")) }
                        th { (h("Example", "示例")) }
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
