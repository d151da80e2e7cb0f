//! What a new version of the schemas breaks.
//!
//! Two schema sets are compared kind by kind. Within a kind the two schemas are walked
//! together from the root, property by property (local `$ref`s into `$defs` resolved, array
//! `items` and `if`/`then` branches followed), and every difference that changes which data
//! validates is listed as a [`Change`] with its [`ChangeClass`] and the compatibilities it
//! breaks:
//!
//! - **backward**: every record valid under OLD is still valid under NEW (new readers accept old
//!   data). A change that makes the schema stricter breaks it.
//! - **forward**: every record valid under NEW is valid under OLD (old readers accept new data).
//!   A change that makes the schema looser breaks it.
//! - **full**: both.
//!
//! Annotations (`title`, `description`, `examples`, `$id`) never break anything and are not
//! listed, and neither is the version label (`schemaVersion`'s constant), which differs between
//! any two versions by design: "valid under NEW" means once relabelled, as a migration does. Patterns are compared as text: a changed pattern breaks both ways unless the new one
//! is provably a superset of the old (the same top-level alternatives plus more: loosened) or a
//! subset (tightened). No regular-expression algebra beyond that is attempted, so a change that
//! is in fact a superset but is written differently is reported as breaking both ways, which is
//! the safe side.
//!
//! ```
//! use serde_json::json;
//! use dsti::compat::{compare, ChangeClass};
//! let old = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
//!                  "additionalProperties": false});
//! let new = json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 8}},
//!                  "required": ["a"], "additionalProperties": false});
//! let changes = compare(&old, &new);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].class, ChangeClass::BoundTightened);
//! assert!(changes[0].breaks_backward && !changes[0].breaks_forward);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::schema::walk::resolve;

/// Which compatibility a check requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Data written to OLD validates under NEW.
    Backward,
    /// Data written to NEW validates under OLD.
    Forward,
    /// Both.
    Full,
}

impl Mode {
    /// Whether `change` breaks this mode.
    pub fn is_broken_by(self, change: &Change) -> bool {
        match self {
            Mode::Backward => change.breaks_backward,
            Mode::Forward => change.breaks_forward,
            Mode::Full => change.breaks_backward || change.breaks_forward,
        }
    }

    /// The name: `backward`, `forward` or `full`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Backward => "backward",
            Mode::Forward => "forward",
            Mode::Full => "full",
        }
    }
}

/// What kind of difference a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ChangeClass {
    /// A record kind exists only in NEW.
    KindAdded,
    /// A record kind exists only in OLD.
    KindRemoved,
    /// An optional field exists only in NEW.
    OptionalFieldAdded,
    /// An optional field exists only in OLD.
    OptionalFieldRemoved,
    /// A required field exists only in NEW.
    RequiredFieldAdded,
    /// A required field exists only in OLD.
    RequiredFieldRemoved,
    /// A field optional in OLD is required in NEW.
    BecameRequired,
    /// A field required in OLD is optional in NEW.
    BecameOptional,
    /// NEW allows an enumeration value that OLD does not.
    EnumValueAdded,
    /// OLD allows an enumeration value that NEW does not.
    EnumValueRemoved,
    /// NEW's pattern accepts provably less (or NEW adds a pattern).
    PatternTightened,
    /// NEW's pattern accepts provably more (or NEW drops the pattern).
    PatternLoosened,
    /// The pattern changed and neither is provably a superset of the other.
    PatternChanged,
    /// `minLength`, `maxLength`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
    /// `minItems` or `maxItems` became stricter (or was added).
    BoundTightened,
    /// One of those bounds became looser (or was dropped).
    BoundLoosened,
    /// The JSON type changed.
    TypeChanged,
    /// `additionalProperties` changed.
    AdditionalPropertiesChanged,
    /// `const` changed, was added or was dropped.
    ConstChanged,
    /// `format` changed, was added or was dropped.
    FormatChanged,
}

impl ChangeClass {
    /// The kebab-case name, as in JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeClass::KindAdded => "kind-added",
            ChangeClass::KindRemoved => "kind-removed",
            ChangeClass::OptionalFieldAdded => "optional-field-added",
            ChangeClass::OptionalFieldRemoved => "optional-field-removed",
            ChangeClass::RequiredFieldAdded => "required-field-added",
            ChangeClass::RequiredFieldRemoved => "required-field-removed",
            ChangeClass::BecameRequired => "became-required",
            ChangeClass::BecameOptional => "became-optional",
            ChangeClass::EnumValueAdded => "enum-value-added",
            ChangeClass::EnumValueRemoved => "enum-value-removed",
            ChangeClass::PatternTightened => "pattern-tightened",
            ChangeClass::PatternLoosened => "pattern-loosened",
            ChangeClass::PatternChanged => "pattern-changed",
            ChangeClass::BoundTightened => "bound-tightened",
            ChangeClass::BoundLoosened => "bound-loosened",
            ChangeClass::TypeChanged => "type-changed",
            ChangeClass::AdditionalPropertiesChanged => "additional-properties-changed",
            ChangeClass::ConstChanged => "const-changed",
            ChangeClass::FormatChanged => "format-changed",
        }
    }
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// The record kind (the schema file's name without `.json`).
    pub kind: String,
    /// Where in the record: a JSON Pointer of property names, `/-` for "every array item",
    /// and `[field=value]` for a branch that applies when a field has a value.
    pub path: String,
    /// What changed.
    pub class: ChangeClass,
    /// The old and the new value, for people.
    pub detail: String,
    /// Some data valid under OLD is invalid under NEW.
    pub breaks_backward: bool,
    /// Some data valid under NEW is invalid under OLD.
    pub breaks_forward: bool,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let breaks = match (self.breaks_backward, self.breaks_forward) {
            (true, true) => "breaks backward+forward",
            (true, false) => "breaks backward",
            (false, true) => "breaks forward",
            (false, false) => "compatible",
        };
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(
            f,
            "{:<24} {} {path}: {} ({})",
            breaks, self.kind, self.class, self.detail
        )
    }
}

/// How far `$ref`s are followed before the walk stops (recursive schemas).
const MAX_DEPTH: usize = 48;

/// Compare the schemas of one kind. `Change::kind` is left empty; [`compare_sets`] fills it in.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut walk = Walk {
        old_root: old,
        new_root: new,
        changes: Vec::new(),
    };
    walk.node(old, new, "", 0);
    walk.changes
}

/// Compare two schema sets, kind by kind (keys are kind names). Kinds are visited in name order.
pub fn compare_sets(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    let kinds: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for kind in kinds {
        match (old.get(kind), new.get(kind)) {
            (Some(o), Some(n)) => out.extend(compare(o, n).into_iter().map(|mut c| {
                c.kind.clone_from(kind);
                c
            })),
            (Some(_), None) => out.push(Change {
                kind: kind.clone(),
                path: String::new(),
                class: ChangeClass::KindRemoved,
                detail: "the kind has no schema in NEW".to_owned(),
                breaks_backward: true,
                breaks_forward: false,
            }),
            (None, Some(_)) => out.push(Change {
                kind: kind.clone(),
                path: String::new(),
                class: ChangeClass::KindAdded,
                detail: "the kind has no schema in OLD".to_owned(),
                breaks_backward: false,
                breaks_forward: true,
            }),
            (None, None) => {}
        }
    }
    out
}

/// Whether any change breaks `mode`.
pub fn is_broken(changes: &[Change], mode: Mode) -> bool {
    changes.iter().any(|c| mode.is_broken_by(c))
}

struct Walk<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    changes: Vec<Change>,
}

fn obj(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
}

fn required_set(v: &Value) -> BTreeSet<String> {
    v.get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an object schema refuses properties it does not list.
fn is_closed(v: &Value) -> bool {
    v.get("additionalProperties") == Some(&Value::Bool(false))
        || v.get("unevaluatedProperties") == Some(&Value::Bool(false))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn shown(v: Option<&Value>) -> String {
    v.map_or_else(|| "(none)".to_owned(), short)
}

/// The JSON types a schema allows, `integer` folded into `number` when both appear.
fn types(v: &Value) -> Option<BTreeSet<String>> {
    let set: BTreeSet<String> = match v.get("type")? {
        Value::String(s) => [s.clone()].into(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return None,
    };
    Some(set)
}

/// Whether every value of the types `a` is of one of the types `b`.
fn types_within(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    a.iter()
        .all(|t| b.contains(t) || (t == "integer" && b.contains("number")))
}

/// The top-level alternatives of an anchored pattern `^(a|b|c)$…` or `^a$…`, when it is that
/// simple; the trailing `(?!\n)` guard is kept with the anchor.
fn alternatives(pattern: &str) -> Option<(String, Vec<String>)> {
    let body = pattern.strip_prefix('^')?;
    let (body, end) = if let Some(b) = body.strip_suffix("$(?!\\n)") {
        (b, "$(?!\\n)")
    } else {
        (body.strip_suffix('$')?, "$")
    };
    let inner = body
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .filter(|b| top_level_bars(b).is_some())
        .unwrap_or(body);
    let mut parts = Vec::new();
    let mut start = 0;
    for bar in top_level_bars(inner)? {
        parts.push(inner[start..bar].to_owned());
        start = bar + 1;
    }
    parts.push(inner[start..].to_owned());
    Some((end.to_owned(), parts))
}

/// Where `s` has `|` outside parentheses, classes and escapes; `None` when its parentheses do
/// not balance (a pattern too odd to reason about).
fn top_level_bars(s: &str) -> Option<Vec<usize>> {
    let (mut depth, mut class, mut escaped) = (0i32, false, false);
    let mut bars = Vec::new();
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            '(' if !class => depth += 1,
            ')' if !class => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            '|' if !class && depth == 0 => bars.push(i),
            _ => {}
        }
    }
    (depth == 0).then_some(bars)
}

/// `Some(true)` when `new` provably accepts everything `old` does (its alternatives include
/// `old`'s), `Some(false)` when provably the reverse, `None` when neither can be shown.
fn pattern_relation(old: &str, new: &str) -> Option<bool> {
    let (old_end, old_alts) = alternatives(old)?;
    let (new_end, new_alts) = alternatives(new)?;
    if old_end != new_end {
        return None;
    }
    let o: BTreeSet<&String> = old_alts.iter().collect();
    let n: BTreeSet<&String> = new_alts.iter().collect();
    if o.is_subset(&n) {
        Some(true)
    } else if n.is_subset(&o) {
        Some(false)
    } else {
        None
    }
}

/// A label for an `if` condition: `[field=value]` when it is one `const`, else `[#i]`.
fn branch_label(if_schema: Option<&Value>, index: usize) -> String {
    let single = if_schema
        .and_then(|i| i.get("properties"))
        .and_then(Value::as_object)
        .filter(|p| p.len() == 1)
        .and_then(|p| p.iter().next())
        .and_then(|(name, s)| Some((name, s.get("const")?.as_str()?)));
    match single {
        Some((name, value)) => format!("[{name}={value}]"),
        None => format!("[#{index}]"),
    }
}

impl Walk<'_> {
    fn push(&mut self, path: &str, class: ChangeClass, detail: String, back: bool, fwd: bool) {
        self.changes.push(Change {
            kind: String::new(),
            path: path.to_owned(),
            class,
            detail,
            breaks_backward: back,
            breaks_forward: fwd,
        });
    }

    fn node(&mut self, old: &Value, new: &Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = resolve(self.old_root, old);
        let new = resolve(self.new_root, new);
        if old == new {
            return;
        }
        // A boolean schema: `true` accepts all, `false` nothing.
        if let (Value::Bool(o), Value::Bool(n)) = (old, new) {
            self.push(
                path,
                ChangeClass::TypeChanged,
                format!("{o} → {n}"),
                *o && !n,
                !o && *n,
            );
            return;
        }
        self.types(old, new, path);
        self.consts(old, new, path);
        self.enums(old, new, path);
        self.pattern(old, new, path);
        self.format(old, new, path);
        for (kw, lower) in [
            ("minLength", true),
            ("maxLength", false),
            ("minimum", true),
            ("maximum", false),
            ("exclusiveMinimum", true),
            ("exclusiveMaximum", false),
            ("minItems", true),
            ("maxItems", false),
            ("minProperties", true),
            ("maxProperties", false),
        ] {
            self.bound(old, new, path, kw, lower);
        }
        self.properties(old, new, path, depth);
        self.additional(old, new, path, depth);
        for kw in ["items", "propertyNames"] {
            if let (Some(o), Some(n)) = (old.get(kw), new.get(kw)) {
                let sub = if kw == "items" {
                    format!("{path}/-")
                } else {
                    format!("{path}/(key)")
                };
                self.node(o, n, &sub, depth + 1);
            }
        }
        self.branches(old, new, path, depth);
    }

    fn types(&mut self, old: &Value, new: &Value, path: &str) {
        let (o, n) = (types(old), types(new));
        if o == n {
            return;
        }
        let everything: BTreeSet<String> =
            ["null", "boolean", "object", "array", "number", "string"]
                .into_iter()
                .map(str::to_owned)
                .collect();
        let o_set = o.clone().unwrap_or_else(|| everything.clone());
        let n_set = n.clone().unwrap_or(everything);
        let back = !types_within(&o_set, &n_set);
        let fwd = !types_within(&n_set, &o_set);
        if back || fwd {
            self.push(
                path,
                ChangeClass::TypeChanged,
                format!("{} → {}", shown(old.get("type")), shown(new.get("type"))),
                back,
                fwd,
            );
        }
    }

    fn consts(&mut self, old: &Value, new: &Value, path: &str) {
        // `schemaVersion` is the label of the version being compared: it differs between any
        // two versions by design, and a migration rewrites it. Not a change of the data.
        let label = |v: &Value| v.get("const").is_some_and(Value::is_string);
        if path.rsplit('/').next() == Some("schemaVersion") && label(old) && label(new) {
            return;
        }
        self.keyword_changed("const", ChangeClass::ConstChanged, old, new, path);
    }

    /// A keyword whose presence narrows what validates (`const`, `format`): adding it breaks
    /// backward compatibility, removing it forward, changing it both.
    fn keyword_changed(
        &mut self,
        keyword: &str,
        class: ChangeClass,
        old: &Value,
        new: &Value,
        path: &str,
    ) {
        let (o, n) = (old.get(keyword), new.get(keyword));
        if o == n {
            return;
        }
        let (back, fwd) = match (o, n) {
            (None, Some(_)) => (true, false),
            (Some(_), None) => (false, true),
            _ => (true, true),
        };
        self.push(
            path,
            class,
            format!("{} → {}", shown(o), shown(n)),
            back,
            fwd,
        );
    }

    fn enums(&mut self, old: &Value, new: &Value, path: &str) {
        let as_set = |v: &Value| -> Option<BTreeSet<String>> {
            Some(
                v.get("enum")?
                    .as_array()?
                    .iter()
                    .map(Value::to_string)
                    .collect(),
            )
        };
        match (as_set(old), as_set(new)) {
            (Some(o), Some(n)) => {
                for added in n.difference(&o) {
                    self.push(
                        path,
                        ChangeClass::EnumValueAdded,
                        format!("{added} added"),
                        false,
                        true,
                    );
                }
                for removed in o.difference(&n) {
                    self.push(
                        path,
                        ChangeClass::EnumValueRemoved,
                        format!("{removed} removed"),
                        true,
                        false,
                    );
                }
            }
            (None, Some(n)) => {
                let values: Vec<&str> = n.iter().map(String::as_str).collect();
                self.push(
                    path,
                    ChangeClass::EnumValueRemoved,
                    format!("restricted to [{}]", values.join(", ")),
                    true,
                    false,
                );
            }
            (Some(o), None) => {
                let values: Vec<&str> = o.iter().map(String::as_str).collect();
                self.push(
                    path,
                    ChangeClass::EnumValueAdded,
                    format!("no longer restricted to [{}]", values.join(", ")),
                    false,
                    true,
                );
            }
            (None, None) => {}
        }
    }

    fn pattern(&mut self, old: &Value, new: &Value, path: &str) {
        let (o, n) = (
            old.get("pattern").and_then(Value::as_str),
            new.get("pattern").and_then(Value::as_str),
        );
        let (class, back, fwd) = match (o, n) {
            (a, b) if a == b => return,
            (None, Some(_)) => (ChangeClass::PatternTightened, true, false),
            (Some(_), None) => (ChangeClass::PatternLoosened, false, true),
            (Some(a), Some(b)) => match pattern_relation(a, b) {
                Some(true) => (ChangeClass::PatternLoosened, false, true),
                Some(false) => (ChangeClass::PatternTightened, true, false),
                None => (ChangeClass::PatternChanged, true, true),
            },
            (None, None) => return,
        };
        let text = |p: Option<&str>| p.map_or_else(|| "(none)".to_owned(), |p| format!("/{p}/"));
        self.push(path, class, format!("{} → {}", text(o), text(n)), back, fwd);
    }

    fn format(&mut self, old: &Value, new: &Value, path: &str) {
        self.keyword_changed("format", ChangeClass::FormatChanged, old, new, path);
    }

    /// `lower`: the keyword is a lower bound (raising it tightens).
    fn bound(&mut self, old: &Value, new: &Value, path: &str, kw: &str, lower: bool) {
        let (o, n) = (
            old.get(kw).and_then(Value::as_f64),
            new.get(kw).and_then(Value::as_f64),
        );
        let tightened = match (o, n) {
            (Some(a), Some(b)) if a == b => return,
            (Some(a), Some(b)) => (b > a) == lower,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (None, None) => return,
        };
        let class = if tightened {
            ChangeClass::BoundTightened
        } else {
            ChangeClass::BoundLoosened
        };
        self.push(
            path,
            class,
            format!("{kw} {} → {}", shown(old.get(kw)), shown(new.get(kw))),
            tightened,
            !tightened,
        );
    }

    fn properties(&mut self, old: &Value, new: &Value, path: &str, depth: usize) {
        let empty = Map::new();
        let o_props = old.get("properties").and_then(obj).unwrap_or(&empty);
        let n_props = new.get("properties").and_then(obj).unwrap_or(&empty);
        let (o_req, n_req) = (required_set(old), required_set(new));
        let names: BTreeSet<&String> = o_props
            .keys()
            .chain(n_props.keys())
            .chain(o_req.iter())
            .chain(n_req.iter())
            .collect();
        for name in names {
            let sub = format!("{path}/{}", escape_pointer(name));
            let (in_old, in_new) = (o_props.get(name), n_props.get(name));
            let (req_old, req_new) = (o_req.contains(name), n_req.contains(name));
            match (in_old.is_some() || req_old, in_new.is_some() || req_new) {
                (false, true) => {
                    // Data written to NEW may carry the field; OLD refuses it when closed.
                    if req_new {
                        self.push(
                            &sub,
                            ChangeClass::RequiredFieldAdded,
                            "a required field that OLD lacks".to_owned(),
                            true,
                            is_closed(old),
                        );
                    } else {
                        self.push(
                            &sub,
                            ChangeClass::OptionalFieldAdded,
                            "an optional field that OLD lacks".to_owned(),
                            false,
                            is_closed(old),
                        );
                    }
                }
                (true, false) => {
                    if req_old {
                        self.push(
                            &sub,
                            ChangeClass::RequiredFieldRemoved,
                            "a required field of OLD that NEW lacks".to_owned(),
                            is_closed(new),
                            true,
                        );
                    } else {
                        self.push(
                            &sub,
                            ChangeClass::OptionalFieldRemoved,
                            "an optional field of OLD that NEW lacks".to_owned(),
                            is_closed(new),
                            false,
                        );
                    }
                }
                (true, true) => {
                    if !req_old && req_new {
                        self.push(
                            &sub,
                            ChangeClass::BecameRequired,
                            "optional → required".to_owned(),
                            true,
                            false,
                        );
                    } else if req_old && !req_new {
                        self.push(
                            &sub,
                            ChangeClass::BecameOptional,
                            "required → optional".to_owned(),
                            false,
                            true,
                        );
                    }
                    if let (Some(o), Some(n)) = (in_old, in_new) {
                        self.node(o, n, &sub, depth + 1);
                    }
                }
                (false, false) => {}
            }
        }
    }

    fn additional(&mut self, old: &Value, new: &Value, path: &str, depth: usize) {
        let (o, n) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        );
        if o == n {
            return;
        }
        // Absent and `true` both accept any other property.
        let open = |v: Option<&Value>| v.is_none() || v == Some(&Value::Bool(true));
        let (back, fwd) = match (o, n) {
            (a, b) if open(a) && open(b) => return,
            (a, Some(Value::Bool(false))) if open(a) => (true, false),
            (Some(Value::Bool(false)), b) if open(b) => (false, true),
            (Some(Value::Bool(false)), Some(_)) => (false, true),
            (a, Some(Value::Bool(false))) if a.is_some() => (true, false),
            (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) => {
                // Both are schemas for the other properties' values: compare them as such.
                self.node(a, b, &format!("{path}/(other)"), depth + 1);
                return;
            }
            (a, _) if open(a) => (true, false),
            _ => (false, true),
        };
        self.push(
            path,
            ChangeClass::AdditionalPropertiesChanged,
            format!("{} → {}", shown(o), shown(n)),
            back,
            fwd,
        );
    }

    /// `allOf`/`anyOf`/`oneOf` entries and `if`/`then`/`else`: an `allOf` of `if`/`then`
    /// branches is matched by condition, anything else by position.
    fn branches(&mut self, old: &Value, new: &Value, path: &str, depth: usize) {
        for kw in ["then", "else", "not"] {
            if let (Some(o), Some(n)) = (old.get(kw), new.get(kw)) {
                let label = branch_label(old.get("if"), 0);
                self.node(o, n, &format!("{path}{label}"), depth + 1);
            }
        }
        for kw in ["allOf", "anyOf", "oneOf"] {
            let (Some(o), Some(n)) = (
                old.get(kw).and_then(Value::as_array),
                new.get(kw).and_then(Value::as_array),
            ) else {
                continue;
            };
            let key = |v: &Value, i: usize| {
                v.get("if")
                    .map_or_else(|| format!("#{i}"), |c| c.to_string())
            };
            let new_by_key: BTreeMap<String, &Value> =
                n.iter().enumerate().map(|(i, v)| (key(v, i), v)).collect();
            for (i, ob) in o.iter().enumerate() {
                if let Some(nb) = new_by_key.get(&key(ob, i)) {
                    match (ob.get("then"), nb.get("then")) {
                        (Some(ot), Some(nt)) => {
                            let label = branch_label(ob.get("if"), i);
                            self.node(ot, nt, &format!("{path}{label}"), depth + 1);
                        }
                        _ => self.node(ob, nb, path, depth + 1),
                    }
                }
            }
        }
    }
}

fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A schema set, read from disk or generated: kind name → schema.
pub type SchemaSet = BTreeMap<String, Value>;

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn alternatives_split_only_at_the_top_level() {
        let alts = |p: &str| alternatives(p).map(|(_, a)| a);
        assert_eq!(alts("^(a|b)$"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(alts("^[|x]$(?!\\n)"), Some(vec!["[|x]".into()]));
        assert_eq!(alts("^(a)|(b)$"), Some(vec!["(a)".into(), "(b)".into()]));
        assert_eq!(alts("^a\\|b$"), Some(vec!["a\\|b".into()]));
        assert_eq!(alts("^a)|(b$"), None);
        assert_eq!(alts("a|b"), None);
    }
}
