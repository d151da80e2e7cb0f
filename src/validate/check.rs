//! The schema checker of the slow path: the generated JSON Schemas of records compiled once into
//! a flat list of nodes, and checked on a record's tree without jsonschema's validators.
//!
//! It knows exactly the part of JSON Schema the generated schemas use, and reports what misses
//! them as jsonschema 0.61 would, in the same order: a node's keywords in jsonschema's order
//! (`type`, `const`, `enum`, bounds, lengths, `required`, `pattern`, `format`, the members,
//! `propertyNames`, `items`, `allOf`, `if`, `$ref`), an object's members in their order (the
//! tree's, sorted by key), one `additionalProperties` miss after the members' own, and a lone
//! `required` name of a closed object reported after it. The same regex engine matches the
//! patterns, translated the same way; formats, lengths and numbers are judged by the same
//! rules. A schema with anything else compiles to nothing, and the tree keeps using jsonschema
//! for it; so does a record whose pattern match the engine could not finish.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use jsonschema::json::{Array, Json, Node, Object};
use jsonschema::JsonType;
use serde_json::{Map, Value};

use super::structural::{Miss, SchemaFindings};
use crate::finding::Finding;
use crate::text::Lang;
use crate::{DocumentKind, Kind, Version};

/// A compiled schema: its nodes, the root first.
pub(crate) struct Checker {
    nodes: Vec<Vec<Op>>,
    regexes: Vec<Arc<Matcher>>,
}

/// A compiled `pattern`, in the form jsonschema picks for it: a literal test where the pattern
/// is one, the same byte-sequence matcher (with the engine behind it for what it cannot
/// decide), a count of one repeated class, or the engine.
enum Matcher {
    Prefix(String),
    Exact(String),
    Alternation(Vec<String>),
    NoWhitespace,
    Sequence(jsonschema_regex::Sequence, regex::Regex),
    Class(jsonschema_regex::RepeatedClass),
    Engine(regex::Regex),
}

impl Matcher {
    /// Compile `pattern` as jsonschema does (no engine limits), or `None` for a pattern that
    /// needs more than the `regex` crate (lookaround, backreferences).
    fn compile(pattern: &str) -> Option<Matcher> {
        use jsonschema_regex::{PatternAnalysis, Search};
        match jsonschema_regex::analyze_pattern(pattern) {
            Some(PatternAnalysis::Prefix(p)) => return Some(Matcher::Prefix(p.into_owned())),
            Some(PatternAnalysis::Exact(e)) => return Some(Matcher::Exact(e.into_owned())),
            Some(PatternAnalysis::Alternation(a)) => return Some(Matcher::Alternation(a)),
            Some(PatternAnalysis::NoWhitespace) => return Some(Matcher::NoWhitespace),
            None => {}
        }
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        if let Some(sequence) = jsonschema_regex::Sequence::compile(&translated) {
            return Some(Matcher::Sequence(
                sequence,
                regex::Regex::new(&translated).ok()?,
            ));
        }
        if jsonschema_regex::split_leading_lookaheads(pattern).is_some() {
            return None;
        }
        Some(match jsonschema_regex::search_form(pattern, &translated) {
            Some(Search::RepeatedClass(class)) => Matcher::Class(class),
            Some(Search::Collapsed(collapsed)) => {
                Matcher::Engine(regex::Regex::new(&collapsed).ok()?)
            }
            None => Matcher::Engine(regex::Regex::new(&translated).ok()?),
        })
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Matcher::Prefix(p) => text.starts_with(p.as_str()),
            Matcher::Exact(e) => text == e,
            Matcher::Alternation(a) => a.iter().any(|x| x == text),
            Matcher::NoWhitespace => !jsonschema_regex::contains_ecma_whitespace(text),
            Matcher::Sequence(sequence, regex) => match sequence.is_match(text.as_bytes()) {
                Some(matched) => matched,
                None => regex.is_match(text),
            },
            Matcher::Class(class) => class.is_match(text),
            Matcher::Engine(regex) => regex.is_match(text),
        }
    }
}

/// The matcher of `pattern`, compiled once per process for every schema that has it (the
/// editions share most of their patterns).
fn shared_matcher(pattern: &str) -> Option<Arc<Matcher>> {
    static ALL: std::sync::Mutex<BTreeMap<String, Option<Arc<Matcher>>>> =
        std::sync::Mutex::new(BTreeMap::new());
    let mut all = ALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    all.entry(pattern.to_owned())
        .or_insert_with(|| Matcher::compile(pattern).map(Arc::new))
        .clone()
}

/// A set of names (`properties`, `required`) found by a small open-addressed hash table: one
/// probe and one comparison for most lookups, whatever the number of names.
struct Names {
    names: Vec<String>,
    /// Index + 1 into `names`; 0 is empty.
    slots: Vec<u16>,
    mask: usize,
}

impl Names {
    fn new(names: Vec<String>) -> Option<Names> {
        let size = (names.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0_u16; size];
        let mask = size - 1;
        for (i, name) in names.iter().enumerate() {
            let mut at = hash(name) & mask;
            loop {
                match slots[at] {
                    0 => {
                        slots[at] = u16::try_from(i + 1).ok()?;
                        break;
                    }
                    s if names[usize::from(s) - 1] == *name => return None,
                    _ => at = (at + 1) & mask,
                }
            }
        }
        Some(Names { names, slots, mask })
    }

    /// The place of `name` among the names.
    #[inline]
    fn find(&self, name: &str) -> Option<usize> {
        let mut at = hash(name) & self.mask;
        loop {
            let slot = usize::from(*self.slots.get(at)?);
            if slot == 0 {
                return None;
            }
            if same(self.names.get(slot - 1)?, name) {
                return Some(slot - 1);
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// A hash of a name from its length and its first and last two bytes.
#[inline]
fn hash(name: &str) -> usize {
    let b = name.as_bytes();
    let (first, last) = match (b.first_chunk::<2>(), b.last_chunk::<2>()) {
        (Some(f), Some(l)) => (u16::from_le_bytes(*f), u16::from_le_bytes(*l)),
        _ => (b.first().copied().map_or(0, u16::from), 0),
    };
    let x = (b.len() as u64) | u64::from(first) << 16 | u64::from(last) << 32;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

/// Whether two names (member names, keys) are equal. Names are short, where a call to
/// `memcmp` costs more than the comparison: one of up to 16 bytes is compared as two words,
/// from either end (overlapping in the middle), one of up to 3 byte by byte.
#[inline]
pub(super) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && match a.len() {
            0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
            4..=7 => {
                a.first_chunk::<4>() == b.first_chunk::<4>()
                    && a.last_chunk::<4>() == b.last_chunk::<4>()
            }
            8..=16 => {
                a.first_chunk::<8>() == b.first_chunk::<8>()
                    && a.last_chunk::<8>() == b.last_chunk::<8>()
            }
            _ => a == b,
        }
}

/// A number a bound compares with, in the width jsonschema compares it in.
#[derive(Clone, Copy)]
enum Limit {
    U(u64),
    I(i64),
    F(f64),
}

impl Limit {
    /// Whether `n` is at least (`at_least`) or at most this limit, as jsonschema compares.
    fn holds<N: jsonschema_value::JsonNumber>(self, n: &N, at_least: bool) -> bool {
        use jsonschema_value::numeric::{ge, le};
        match (self, at_least) {
            (Limit::U(l), true) => ge(n, l),
            (Limit::U(l), false) => le(n, l),
            (Limit::I(l), true) => ge(n, l),
            (Limit::I(l), false) => le(n, l),
            (Limit::F(l), true) => ge(n, l),
            (Limit::F(l), false) => le(n, l),
        }
    }
}

/// What to do with the members `properties` does not name.
enum Rest {
    /// Nothing (no `additionalProperties`, or `true`).
    Any,
    /// A miss (`additionalProperties: false`).
    Closed,
    /// Check them against a node.
    Schema(u32),
}

/// One keyword of a node (or the few keywords jsonschema checks as one).
enum Op {
    Type(JsonType),
    Const(Value),
    /// Every option is text.
    Enum(Arc<Value>),
    Minimum(Limit, Value),
    Maximum(Limit, Value),
    MinLength(u64),
    MaxLength(u64),
    MinItems(u64),
    MinProperties(u64),
    /// The names, in their order.
    Required(Names),
    Pattern(u32),
    Format(Format),
    /// `properties` and `additionalProperties`; `required` too when it names one member of a
    /// closed object (reported after the unexpected members, as jsonschema does).
    Members {
        /// The names, and the node of each.
        properties: Names,
        nodes: Vec<u32>,
        rest: Rest,
        required: Option<String>,
    },
    /// Every member name must match the pattern.
    PropertyNames(u32),
    Items(u32),
    AllOf(Vec<u32>),
    IfThen(Cond, u32),
    Ref(u32),
}

/// The condition of an `if`.
enum Cond {
    /// A node: whether the instance is valid against it.
    Node(u32),
    /// `{"properties": {key: {"const": text}}, "required": [key]}`, the generated schemas'
    /// test of a discriminator (`document.type`): an object whose member `key` is the text
    /// `text`, or anything that is not an object. One look at the members, where checking
    /// the node would look them up for `required` and again for `properties`.
    MemberIs { key: String, text: String },
}

/// The member name and text of a schema that is exactly a [`Cond::MemberIs`] (annotations
/// aside), else `None`.
fn member_is(schema: &Value) -> Option<(&str, &str)> {
    /// The keywords of an object schema, annotations left out.
    fn keywords(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
        map.iter()
            .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
    }
    let map = schema.as_object()?;
    let (mut properties, mut required) = (None, None);
    for (keyword, value) in keywords(map) {
        match keyword.as_str() {
            "properties" => properties = value.as_object(),
            "required" => required = value.as_array(),
            _ => return None,
        }
    }
    let (properties, [Value::String(key)]) = (properties?, required?.as_slice()) else {
        return None;
    };
    if properties.len() != 1 {
        return None;
    }
    let mut member = keywords(properties.get(key)?.as_object()?);
    match (member.next(), member.next()) {
        (Some((keyword, Value::String(text))), None) if keyword == "const" => Some((key, text)),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Format {
    Date,
    DateTime,
    Uuid,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Uuid => "uuid",
        }
    }

    fn holds(self, s: &str) -> bool {
        match self {
            Format::Date => is_date(s),
            Format::DateTime => is_date_time(s),
            Format::Uuid => is_uuid(s),
        }
    }
}

/// jsonschema's order of a node's keywords (lower first).
fn priority(op: &Op) -> u8 {
    match op {
        Op::Type(_) => 1,
        Op::Const(_) => 5,
        Op::Enum(_) => 6,
        Op::Minimum(..) => 10,
        Op::Maximum(..) => 11,
        Op::MinLength(_) => 20,
        Op::MaxLength(_) => 21,
        Op::MinItems(_) => 22,
        Op::MinProperties(_) => 24,
        Op::Required(..) => 26,
        Op::Pattern(_) => 30,
        Op::Format(_) => 31,
        Op::Members {
            rest: Rest::Any, ..
        } => 40,
        Op::Members { .. } => 42,
        Op::PropertyNames(_) => 43,
        Op::Items(_) => 44,
        Op::AllOf(_) => 50,
        Op::IfThen(..) => 54,
        Op::Ref(_) => 70,
    }
}

/// Keywords that say nothing about an instance.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "examples",
    "$comment",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Below this many `properties`, jsonschema checks `properties` and a two-name `required`
/// together (an order this checker does not follow).
const SMALL_PROPERTIES: usize = 15;

struct Compiler<'s> {
    defs: Option<&'s Map<String, Value>>,
    nodes: Vec<Vec<Op>>,
    regexes: Vec<Arc<Matcher>>,
    patterns: BTreeMap<String, u32>,
    refs: BTreeMap<String, u32>,
}

impl Checker {
    /// Compile a generated schema (in the form jsonschema is given), or `None` when it uses
    /// anything this checker does not know.
    pub(crate) fn compile(schema: &Value) -> Option<Checker> {
        let root = schema.as_object()?;
        let defs = match root.get("$defs") {
            Some(Value::Object(defs)) => Some(defs),
            Some(_) => return None,
            None => None,
        };
        let mut c = Compiler {
            defs,
            nodes: Vec::new(),
            regexes: Vec::new(),
            patterns: BTreeMap::new(),
            refs: BTreeMap::new(),
        };
        c.node(schema, true)?;
        Some(Checker {
            nodes: c.nodes,
            regexes: c.regexes,
        })
    }
}

impl Compiler<'_> {
    /// Compile `schema` into a new node; its index.
    fn node(&mut self, schema: &Value, root: bool) -> Option<u32> {
        let at = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Vec::new());
        let ops = self.ops(schema, root)?;
        self.nodes[at as usize] = ops;
        Some(at)
    }

    fn ops(&mut self, schema: &Value, root: bool) -> Option<Vec<Op>> {
        let map = match schema {
            Value::Bool(true) => return Some(Vec::new()),
            Value::Object(map) => map,
            _ => return None,
        };
        let mut ops = Vec::new();
        let u64_of = |v: &Value| v.as_u64();
        for (key, value) in map {
            let op = match key.as_str() {
                "type" => Op::Type(value.as_str()?.parse().ok()?),
                "const" if value.is_string() => Op::Const(value.clone()),
                "enum" => {
                    let options = value.as_array()?;
                    if options.is_empty() || !options.iter().all(Value::is_string) {
                        return None;
                    }
                    Op::Enum(Arc::new(value.clone()))
                }
                "minimum" | "maximum" => {
                    let n = value.as_number()?;
                    let limit = if let Some(u) = n.as_u64() {
                        Limit::U(u)
                    } else if let Some(i) = n.as_i64() {
                        Limit::I(i)
                    } else {
                        Limit::F(n.as_f64()?)
                    };
                    if key == "minimum" {
                        Op::Minimum(limit, value.clone())
                    } else {
                        Op::Maximum(limit, value.clone())
                    }
                }
                "minLength" => Op::MinLength(u64_of(value)?),
                "maxLength" => Op::MaxLength(u64_of(value)?),
                "minItems" => Op::MinItems(u64_of(value)?),
                "minProperties" => Op::MinProperties(u64_of(value)?),
                "pattern" => Op::Pattern(self.pattern(value.as_str()?)?),
                "format" => Op::Format(match value.as_str()? {
                    "date" => Format::Date,
                    "date-time" => Format::DateTime,
                    "uuid" => Format::Uuid,
                    _ => return None,
                }),
                "propertyNames" => {
                    // A pattern alone: each key that misses it is one miss.
                    let names = value.as_object()?;
                    let only = names
                        .iter()
                        .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
                        .collect::<Vec<_>>();
                    match only.as_slice() {
                        [(k, Value::String(p))] if k.as_str() == "pattern" => {
                            Op::PropertyNames(self.pattern(p)?)
                        }
                        _ => return None,
                    }
                }
                "items" => {
                    // jsonschema checks an array's `type`, `minItems` and `items` as one: the
                    // same order, as long as nothing else is checked beside them.
                    let others = map.keys().any(|k| {
                        !ANNOTATIONS.contains(&k.as_str())
                            && !matches!(k.as_str(), "type" | "items" | "minItems")
                    });
                    if others || !value.is_object() {
                        return None;
                    }
                    Op::Items(self.node(value, false)?)
                }
                "allOf" => {
                    let mut all = Vec::new();
                    for item in value.as_array()? {
                        all.push(self.node(item, false)?);
                    }
                    Op::AllOf(all)
                }
                "if" => {
                    if map.contains_key("else") {
                        return None;
                    }
                    let then = map.get("then")?;
                    Op::IfThen(self.condition(value)?, self.node(then, false)?)
                }
                "then" => continue,
                "$ref" => Op::Ref(self.reference(value.as_str()?)?),
                "properties" | "additionalProperties" | "required" => continue,
                "$id" | "$schema" | "$defs" if root => continue,
                k if ANNOTATIONS.contains(&k) => continue,
                _ => return None,
            };
            ops.push(op);
        }
        self.object_ops(map, &mut ops)?;
        ops.sort_by_key(priority);
        Some(ops)
    }

    /// `properties`, `additionalProperties` and `required`, as jsonschema combines them.
    fn object_ops(&mut self, map: &Map<String, Value>, ops: &mut Vec<Op>) -> Option<()> {
        let required = match map.get("required") {
            None => None,
            Some(Value::Array(names)) => Some(
                names
                    .iter()
                    .map(|n| n.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Some(_) => return None,
        };
        let rest = match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Rest::Any,
            Some(Value::Bool(false)) => Rest::Closed,
            Some(schema @ Value::Object(_)) => Rest::Schema(self.node(schema, false)?),
            Some(_) => return None,
        };
        let properties = match map.get("properties") {
            None => None,
            Some(Value::Object(props)) if !props.is_empty() => {
                let mut names = Vec::with_capacity(props.len());
                let mut nodes = Vec::with_capacity(props.len());
                for (name, schema) in props {
                    names.push(name.clone());
                    nodes.push(self.node(schema, false)?);
                }
                Some((Names::new(names)?, nodes))
            }
            Some(_) => return None,
        };
        if matches!(rest, Rest::Closed) && properties.is_none() {
            return None;
        }
        let mut lone = None;
        if let Some(names) = required {
            if names.len() > 64 {
                return None;
            }
            let fused = matches!(rest, Rest::Closed) && properties.is_some() && names.len() == 1;
            let paired = matches!(rest, Rest::Any)
                && properties
                    .as_ref()
                    .is_some_and(|p| p.1.len() < SMALL_PROPERTIES)
                && names.len() == 2;
            if paired {
                return None;
            }
            if fused {
                lone = names.into_iter().next();
            } else {
                ops.push(Op::Required(Names::new(names)?));
            }
        }
        match (properties, rest) {
            (None, Rest::Any) => {}
            (properties, rest) => {
                let (properties, nodes) = match properties {
                    Some(p) => p,
                    None => (Names::new(Vec::new())?, Vec::new()),
                };
                ops.push(Op::Members {
                    properties,
                    nodes,
                    rest,
                    required: lone,
                });
            }
        }
        Some(())
    }

    /// The condition of an `if`: a [`Cond::MemberIs`] where the schema is one.
    fn condition(&mut self, schema: &Value) -> Option<Cond> {
        match member_is(schema) {
            Some((key, text)) => Some(Cond::MemberIs {
                key: key.to_owned(),
                text: text.to_owned(),
            }),
            None => self.node(schema, false).map(Cond::Node),
        }
    }

    /// A pattern, compiled as jsonschema compiles it.
    fn pattern(&mut self, pattern: &str) -> Option<u32> {
        if let Some(&at) = self.patterns.get(pattern) {
            return Some(at);
        }
        let regex = shared_matcher(pattern)?;
        let at = u32::try_from(self.regexes.len()).ok()?;
        self.regexes.push(regex);
        self.patterns.insert(pattern.to_owned(), at);
        Some(at)
    }

    /// A `$ref` to one of the root's `$defs`, compiled once.
    fn reference(&mut self, reference: &str) -> Option<u32> {
        let name = reference.strip_prefix("#/$defs/")?;
        if name.contains(['/', '~', '%']) {
            return None;
        }
        if let Some(&at) = self.refs.get(name) {
            return Some(at);
        }
        let schema = self.defs?.get(name)?;
        let at = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Vec::new());
        self.refs.insert(name.to_owned(), at);
        let ops = self.ops(schema, false)?;
        self.nodes[at as usize] = ops;
        Some(at)
    }
}

/// Why a check stopped early.
enum Stop {
    /// Only whether the instance is valid was asked, and it is not.
    Invalid,
    /// A pattern match the engine could not finish: jsonschema must judge the record.
    GiveUp,
}

/// Where a check is: the segments of the instance's path, innermost first, on the stack.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p str, &'p Path<'p>),
    Index(usize, &'p Path<'p>),
}

impl Path<'_> {
    /// The JSON Pointer, segments escaped.
    fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Write the pointer to `out`, the outermost segment first (a path is as deep as the
    /// record is nested, which the limits bound).
    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(key, up) => {
                up.write(out);
                out.push('/');
                if key.contains(['~', '/']) {
                    out.push_str(&key.replace('~', "~0").replace('/', "~1"));
                } else {
                    out.push_str(key);
                }
            }
            Path::Index(i, up) => {
                up.write(out);
                // Writing to a `String` cannot fail.
                let _ = write!(out, "/{i}");
            }
        }
    }
}

/// What a check found: `None` when only validity is asked.
struct Run<'r> {
    out: Option<&'r mut SchemaFindings>,
}

impl Run<'_> {
    fn miss(&mut self, miss: &Miss<'_>, at: &Path<'_>) -> Result<(), Stop> {
        match &mut self.out {
            Some(out) => {
                out.push(miss, at.pointer());
                Ok(())
            }
            None => Err(Stop::Invalid),
        }
    }
}

impl Checker {
    /// The findings of `instance` against this schema, as jsonschema's errors would map to
    /// them; `None` when jsonschema must judge it.
    pub(crate) fn findings<'a, F: Json, N: Node<'a, F>>(
        &self,
        instance: &N,
        lang: Lang,
    ) -> Option<Vec<Finding>> {
        let mut out = SchemaFindings::new(lang);
        let mut run = Run {
            out: Some(&mut out),
        };
        match self.check(0, instance, &Path::Root, &mut run) {
            Ok(()) => Some(out.finish()),
            Err(Stop::GiveUp | Stop::Invalid) => None,
        }
    }

    fn check<'a, F: Json, N: Node<'a, F>>(
        &self,
        node: u32,
        v: &N,
        at: &Path<'_>,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        let Some(ops) = self.nodes.get(node as usize) else {
            return Err(Stop::GiveUp);
        };
        for op in ops {
            self.op(op, v, at, run)?;
        }
        Ok(())
    }

    fn valid<'a, F: Json, N: Node<'a, F>>(&self, node: u32, v: &N) -> Result<bool, Stop> {
        let mut run = Run { out: None };
        match self.check(node, v, &Path::Root, &mut run) {
            Ok(()) => Ok(true),
            Err(Stop::Invalid) => Ok(false),
            Err(Stop::GiveUp) => Err(Stop::GiveUp),
        }
    }

    fn matches(&self, pattern: u32, s: &str) -> Result<bool, Stop> {
        let regex = self.regexes.get(pattern as usize).ok_or(Stop::GiveUp)?;
        // As jsonschema does: a panic of the engine is not the process's end.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| regex.is_match(s)))
            .map_err(|_| Stop::GiveUp)
    }

    #[allow(clippy::too_many_lines)]
    fn op<'a, F: Json, N: Node<'a, F>>(
        &self,
        op: &Op,
        v: &N,
        at: &Path<'_>,
        run: &mut Run<'_>,
    ) -> Result<(), Stop> {
        match op {
            Op::Type(t) => {
                let ok = match t {
                    JsonType::Array => v.as_array().is_some(),
                    JsonType::Boolean => v.as_boolean().is_some(),
                    JsonType::Integer => v
                        .as_number()
                        .is_some_and(|n| jsonschema::json::JsonNumber::is_integer(&n)),
                    JsonType::Null => v.is_null(),
                    JsonType::Number => v.as_number().is_some(),
                    JsonType::Object => v.as_object().is_some(),
                    JsonType::String => v.as_string().is_some(),
                };
                if !ok {
                    run.miss(&Miss::Type(&t.to_string()), at)?;
                }
            }
            Op::Const(expected) => {
                if !v.equals_value(expected) {
                    run.miss(&Miss::Const(expected), at)?;
                }
            }
            Op::Enum(options) => {
                let ok = v.as_string().is_some_and(|s| {
                    options
                        .as_array()
                        .is_some_and(|o| o.iter().any(|x| x.as_str() == Some(&*s)))
                });
                if !ok {
                    run.miss(&Miss::Enum(options), at)?;
                }
            }
            Op::Minimum(limit, value) => {
                if v.as_number().is_some_and(|n| !limit.holds(&n, true)) {
                    run.miss(&Miss::Minimum(value), at)?;
                }
            }
            Op::Maximum(limit, value) => {
                if v.as_number().is_some_and(|n| !limit.holds(&n, false)) {
                    run.miss(&Miss::Maximum(value), at)?;
                }
            }
            Op::MinLength(limit) => {
                // At most four bytes a character: only a short text needs counting.
                let short = |s: &str| {
                    let bytes = s.len() as u64;
                    bytes < *limit
                        || (bytes < limit.saturating_mul(4) && {
                            (s.chars().count() as u64) < *limit
                        })
                };
                if v.as_string().is_some_and(|s| short(&s)) {
                    run.miss(&Miss::TooShort(*limit), at)?;
                }
            }
            Op::MaxLength(limit) => {
                // No more characters than bytes: only a long text needs counting.
                let long = |s: &str| s.len() as u64 > *limit && s.chars().count() as u64 > *limit;
                if v.as_string().is_some_and(|s| long(&s)) {
                    run.miss(&Miss::TooLong(*limit), at)?;
                }
            }
            Op::MinItems(limit) => {
                if v.as_array().is_some_and(|a| (a.len() as u64) < *limit) {
                    run.miss(&Miss::TooShort(*limit), at)?;
                }
            }
            Op::MinProperties(limit) => {
                if v.as_object().is_some_and(|o| (o.len() as u64) < *limit) {
                    run.miss(&Miss::TooShort(*limit), at)?;
                }
            }
            Op::Required(names) => {
                if let Some(o) = v.as_object() {
                    let mut found = 0_u64;
                    for (name, _) in o.members() {
                        if let Some(i) = names.find(name.as_ref()) {
                            found |= 1 << i;
                        }
                    }
                    for (i, name) in names.names.iter().enumerate() {
                        if found & (1 << i) == 0 {
                            run.miss(&Miss::Required(name), at)?;
                        }
                    }
                }
            }
            Op::Pattern(p) => {
                if let Some(s) = v.as_string() {
                    if !self.matches(*p, &s)? {
                        run.miss(&Miss::Pattern(Some(&s)), at)?;
                    }
                }
            }
            Op::Format(f) => {
                if let Some(s) = v.as_string() {
                    if !f.holds(&s) {
                        run.miss(&Miss::Format(f.name(), Some(&s)), at)?;
                    }
                }
            }
            Op::Members {
                properties,
                nodes,
                rest,
                required,
            } => {
                if let Some(o) = v.as_object() {
                    let mut unexpected: Vec<String> = Vec::new();
                    let mut found = false;
                    for (name, member) in o.members() {
                        let name = name.as_ref();
                        let known = properties.find(name).and_then(|i| nodes.get(i));
                        let target = match (known, rest) {
                            (Some(node), _) => {
                                found |= required.as_deref().is_some_and(|r| same(r, name));
                                *node
                            }
                            (None, Rest::Any) => continue,
                            (None, Rest::Closed) => {
                                if run.out.is_none() {
                                    return Err(Stop::Invalid);
                                }
                                unexpected.push(name.to_owned());
                                continue;
                            }
                            (None, Rest::Schema(node)) => *node,
                        };
                        self.check(target, &member, &Path::Key(name, at), run)?;
                    }
                    if !unexpected.is_empty() {
                        let keys: Vec<&str> = unexpected.iter().map(String::as_str).collect();
                        run.miss(&Miss::Additional(&keys), at)?;
                    }
                    if let (Some(name), false) = (required, found) {
                        run.miss(&Miss::Required(name), at)?;
                    }
                }
            }
            Op::PropertyNames(p) => {
                if let Some(o) = v.as_object() {
                    for (name, _) in o.members() {
                        let name = name.as_ref();
                        if !self.matches(*p, name)? {
                            run.miss(&Miss::PropertyName(name), at)?;
                        }
                    }
                }
            }
            Op::Items(node) => {
                if let Some(a) = v.as_array() {
                    for (i, item) in a.elements().enumerate() {
                        self.check(*node, &item, &Path::Index(i, at), run)?;
                    }
                }
            }
            Op::AllOf(all) => {
                for node in all {
                    self.check(*node, v, at, run)?;
                }
            }
            Op::IfThen(cond, then) => {
                let holds = match cond {
                    Cond::Node(node) => self.valid(*node, v)?,
                    Cond::MemberIs { key, text } => v.as_object().map_or(true, |o| {
                        o.members().any(|(name, member)| {
                            same(name.as_ref(), key)
                                && member.as_string().is_some_and(|s| same(&s, text))
                        })
                    }),
                };
                if holds {
                    self.check(*then, v, at, run)?;
                }
            }
            Op::Ref(node) => self.check(*node, v, at, run)?,
        }
        Ok(())
    }
}

/// The checker of the generated schema of `version` and `kind`, compiled once per process;
/// `None` when the edition has no such kind or its schema is not one this checker knows.
pub(crate) fn checker(version: Version, kind: Kind) -> Option<&'static Checker> {
    const KINDS: usize = Kind::ALL.len();
    static CELLS: [[OnceLock<Option<Checker>>; KINDS]; Version::ALL.len()] =
        [const { [const { OnceLock::new() }; KINDS] }; Version::ALL.len()];
    let v = Version::ALL.iter().position(|&x| x == version)?;
    let k = Kind::ALL.iter().position(|&x| x == kind)?;
    if !version.has(kind) {
        return None;
    }
    CELLS[v][k]
        .get_or_init(|| {
            let schema = crate::schemagen::engine_form(crate::schema::generate(
                version,
                DocumentKind::Record(kind),
                crate::schema::DEFAULT_BASE_URI,
            ));
            Checker::compile(&schema)
        })
        .as_ref()
}

/// Two ASCII digits, as a number.
fn two_digits(b: &[u8]) -> Option<u8> {
    match b {
        [x @ b'0'..=b'9', y @ b'0'..=b'9'] => Some((x - b'0') * 10 + (y - b'0')),
        _ => None,
    }
}

/// Four ASCII digits, as a number.
fn four_digits(b: &[u8]) -> Option<u16> {
    let (hi, lo) = (two_digits(b.get(..2)?)?, two_digits(b.get(2..4)?)?);
    Some(u16::from(hi) * 100 + u16::from(lo))
}

/// A full date of RFC 3339 (`YYYY-MM-DD`, a real day of the Gregorian calendar).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        four_digits(&b[..4]),
        two_digits(&b[5..7]),
        two_digits(&b[8..]),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=last).contains(&day)
}

/// A full time of RFC 3339 with its offset (a leap second only at 23:59:60 UTC).
fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    let len = b.len();
    if len < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        two_digits(&b[..2]),
        two_digits(&b[3..5]),
        two_digits(&b[6..8]),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b[i] == b'.' {
        i += 1;
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += digits;
    }
    if i == len {
        return false;
    }
    let sign: i16 = match b[i] {
        b'Z' | b'z' => return i == len - 1 && (second != 60 || (hour == 23 && minute == 59)),
        b'+' => -1,
        b'-' => 1,
        _ => return false,
    };
    if len - i != 6 || b[i + 3] != b':' {
        return false;
    }
    let (Some(oh), Some(om)) = (two_digits(&b[i + 1..i + 3]), two_digits(&b[i + 4..i + 6])) else {
        return false;
    };
    if oh > 23 || om > 59 {
        return false;
    }
    if second != 60 {
        return true;
    }
    // A leap second: 23:59 in UTC.
    let mut utc_h = i16::from(hour) + sign * i16::from(oh);
    let mut utc_m = i16::from(minute) + sign * i16::from(om);
    utc_h += utc_m / 60;
    utc_m %= 60;
    if utc_m < 0 {
        utc_m += 60;
        utc_h -= 1;
    }
    utc_h = (utc_h + 24) % 24;
    utc_h == 23 && utc_m == 59
}

/// A date-time of RFC 3339: a date, `T` (or `t`), a time with its offset.
fn is_date_time(s: &str) -> bool {
    match s.bytes().position(|b| b == b'T' || b == b't') {
        Some(t) => is_date(&s[..t]) && is_time(&s[t + 1..]),
        None => false,
    }
}

/// A hyphenated UUID: 8-4-4-4-12 hexadecimal digits of either case.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_is_equality() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "abd",
            "xbc",
            "name",
            "namf",
            "nbme",
            "region",
            "regiom",
            "schemaVersion",
            "schemaVersiom",
            "schemaVersioo",
            "achemaVersion",
            "verification",
            "verificatio_",
            "0123456789abcdef",
            "0123456789abcdeg",
            "0123456789abcdefg",
            "0123456789abcdefh",
            "1123456789abcdefg",
            "0123456789xbcdefg",
        ];
        for a in names {
            for b in names {
                assert_eq!(super::same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    use super::*;
    use crate::validate::diagnose::{compiled, read};
    use crate::validate::{structural, Limits};
    use serde_json::json;

    /// Every edition's record kinds (1.0's too: the tree reads 1.0 records as well).
    fn schemas() -> Vec<(Version, Kind)> {
        [Version::V1_0, Version::V2_0, Version::V2_1]
            .into_iter()
            .flat_map(|v| {
                Kind::ALL
                    .iter()
                    .filter(move |&&k| v.has(k))
                    .map(move |&k| (v, k))
            })
            .collect()
    }

    #[test]
    fn every_record_schema_compiles() {
        let all = schemas();
        assert!(all.len() >= 13, "{}", all.len());
        for (v, k) in all {
            assert!(checker(v, k).is_some(), "{v} {k}");
        }
    }

    /// What jsonschema would not let this checker judge falls back instead of judging wrongly.
    #[test]
    fn unknown_shapes_compile_to_nothing() {
        for schema in [
            json!({"type": "string", "multipleOf": 2}),
            json!({"anyOf": [{"type": "string"}]}),
            json!({"format": "email"}),
            json!({"type": ["string", "null"]}),
            json!({"$ref": "other.json"}),
            json!({"properties": {"a": {}, "b": {}}, "required": ["a", "b"]}),
            json!({"if": {"required": ["a"]}, "then": {}, "else": {}}),
            json!({"const": 1}),
            json!({"properties": {"a": {"$id": "x"}}}),
        ] {
            assert!(Checker::compile(&schema).is_none(), "{schema}");
        }
        assert!(Checker::compile(&json!({"type": "string", "description": "x"})).is_some());
    }

    /// The formats hold where jsonschema's do, on strings near their edges.
    #[test]
    fn formats_agree_with_jsonschema() {
        let mut strings: Vec<String> = vec![
            "2024-02-29",
            "2023-02-29",
            "1900-02-29",
            "2000-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-01",
            "２０２６-01-01",
            "2026-01-01T00:00:00Z",
            "2026-03-01T09:00:00+08:00",
            "2026-03-01t09:00:00z",
            "2026-03-01T09:00:00",
            "2026-03-01T24:00:00Z",
            "2026-03-01T09:60:00Z",
            "2026-03-01T09:00:00.Z",
            "2026-03-01T09:00:00.123456789-23:59",
            "2026-03-01T09:00:00+24:00",
            "2026-03-01T09:00:00+08:60",
            "2026-03-01T09:00:00+0800",
            "1990-12-31T23:59:60Z",
            "1990-12-31T15:59:60-08:00",
            "1990-12-31T23:59:60+01:00",
            "1990-12-31T00:59:60+01:00",
            "2026-03-01 09:00:00Z",
            "2026-03-01TT09:00:00Z",
            "2026-03-01T09:00:00+08:00 ",
            "0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11",
            "0B6F2A52-3C7E-4D0A-9D6E-2F7C1A9B8E11",
            "0b6f2a523c7e4d0a9d6e2f7c1a9b8e11",
            "{0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11}",
            "0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e1g",
            "0b6f2a52-3c7e-4d0a-9d6e2-f7c1a9b8e11",
            "",
            "T",
            "2026-03-01T",
            "王2026-03-01",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        // Every one-byte change of a few of them.
        for base in [
            "2024-02-29T23:59:60-00:01",
            "0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11",
        ] {
            for at in 0..base.len() {
                for c in ['0', '9', ':', '-', 'T', 'Z', '+', '.', 'a', 'F', '/', ' '] {
                    let mut s = base.to_owned();
                    s.replace_range(at..=at, &c.to_string());
                    strings.push(s);
                }
            }
        }
        for (format, ours) in [
            (Format::Date, is_date as fn(&str) -> bool),
            (Format::DateTime, is_date_time),
            (Format::Uuid, is_uuid),
        ] {
            let theirs = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&json!({"format": format.name()}))
                .expect("compiles");
            for s in &strings {
                assert_eq!(
                    ours(s),
                    theirs.is_valid(&Value::String(s.clone())),
                    "{} {s:?}",
                    format.name()
                );
            }
        }
    }

    /// A small seeded generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Values near the edges of the schemas' types, formats and patterns.
    fn edge(rng: &mut Rng) -> Value {
        let long = "长".repeat(2001);
        let values = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(2.0),
            json!(4_294_967_296_u64),
            json!(1e300),
            json!(""),
            json!(" "),
            json!("x"),
            json!("unknown"),
            json!("2024-02-29"),
            json!("2026-02-29"),
            json!("1849-12-31"),
            json!("2026-03-01T09:00:00+08:00"),
            json!("2026-03-01T09:00:00"),
            json!("1990-12-31T23:59:60Z"),
            json!("0B6F2A52-3C7E-4D0A-9D6E-2F7C1A9B8E11"),
            json!("0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11"),
            json!("11010519491231002x"),
            json!("11010519491231002X"),
            json!("138 1234 5678"),
            json!("王芳 "),
            json!("王•芳"),
            json!("4-10-01-06"),
            json!("110000"),
            json!(long),
            json!([]),
            json!(["x", 1]),
            json!({}),
            json!({"zh-CN": "x", "en-us": "y", "a/b~c": ""}),
            json!({"com.example:x": 1, "nonamespace": 2, "110000:y": 3}),
            json!({"type": "resident-id-card", "number": "11010519491231002X"}),
            json!({"type": "passport", "number": "E1234567"}),
        ];
        values[rng.below(values.len())].clone()
    }

    /// Keys an object may wrongly have.
    const KEYS: &[&str] = &[
        "remark",
        "a/b~c",
        "13812345678",
        "王",
        "zh-CN",
        "en-us",
        "x-private",
        "com.example:x",
        "type",
        "number",
        "id",
    ];

    /// Change `value` at a random place: a value replaced, a member dropped or added, a key
    /// renamed, a string edited.
    fn mutate(value: &mut Value, rng: &mut Rng) {
        let depth = rng.below(4);
        change(value, depth, rng);
    }

    /// Go `depth` levels down at random, then change what is there.
    fn change(at: &mut Value, depth: usize, rng: &mut Rng) {
        if depth > 0 {
            let pick = rng.next() as usize;
            match at {
                Value::Object(map) if !map.is_empty() => {
                    let i = pick % map.len();
                    if let Some(next) = map.values_mut().nth(i) {
                        return change(next, depth - 1, rng);
                    }
                }
                Value::Array(items) if !items.is_empty() => {
                    let i = pick % items.len();
                    if let Some(next) = items.get_mut(i) {
                        return change(next, depth - 1, rng);
                    }
                }
                _ => {}
            }
        }
        match (rng.below(6), &mut *at) {
            (0, Value::Object(map)) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                map.remove(&key);
            }
            (1, Value::Object(map)) => {
                map.insert(KEYS[rng.below(KEYS.len())].to_owned(), edge(rng));
            }
            (2, Value::Object(map)) if !map.is_empty() => {
                let key = map
                    .keys()
                    .nth(rng.below(map.len()))
                    .cloned()
                    .unwrap_or_default();
                if let Some(v) = map.remove(&key) {
                    map.insert(key.to_uppercase() + "x", v);
                }
            }
            (3, Value::String(s)) => match rng.below(4) {
                0 => *s = s.to_uppercase(),
                1 => {
                    let keep = s.chars().count().saturating_sub(1);
                    *s = s.chars().take(keep).collect();
                }
                2 => s.push(['1', 'X', ' ', '\n', 'Z', '王'][rng.below(6)]),
                _ => *s = s.replace('-', "/"),
            },
            _ => *at = edge(rng),
        }
    }

    /// Records of every kind: the vectors' (batches' too) and generated ones.
    fn seeds() -> Vec<Value> {
        let mut out = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        for version in ["1.0", "2.0", "2.1"] {
            for dir in ["valid", "invalid"] {
                let mut paths: Vec<_> = std::fs::read_dir(root.join(version).join(dir))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                paths.sort();
                for path in paths {
                    let Ok(value) =
                        serde_json::from_slice::<Value>(&std::fs::read(&path).expect("a vector"))
                    else {
                        continue;
                    };
                    if let Some(records) = value.get("records").and_then(Value::as_array) {
                        out.extend(records.iter().cloned());
                    }
                    out.push(value);
                }
            }
        }
        let mut text = Vec::new();
        crate::synth::write_ndjson(&mut text, None, 300, 5).expect("generate");
        for line in String::from_utf8(text).expect("utf-8").lines() {
            out.push(serde_json::from_str(line).expect("a record"));
        }
        out
    }

    /// The checker's findings of `bytes` against every record schema, in both languages,
    /// are jsonschema's, mapped the one way; how many findings there were.
    fn agree(bytes: &[u8]) -> usize {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let Some(doc) = read(text, &Limits::default()) else {
            return 0;
        };
        let mut found = 0;
        for (v, k) in schemas() {
            let ours = checker(v, k).expect("compiles");
            let theirs = compiled(v, k).expect("compiles");
            for lang in [Lang::En, Lang::Zh] {
                let want = structural::schema_findings(theirs.iter_errors(doc.node()), lang);
                let got = ours.findings(&doc.node(), lang);
                assert_eq!(got.as_ref(), Some(&want), "{v} {k} {lang:?}: {text}");
                found += want.len();
            }
        }
        found
    }

    /// The vectors, generated records, and many random mutations of them: the same findings
    /// in the same order as jsonschema's errors give.
    #[test]
    fn findings_are_jsonschema_s_in_its_order() {
        let seeds = seeds();
        assert!(seeds.len() > 350, "{}", seeds.len());
        let mut rng = Rng(0x5EED_1234_ABCD_0001);
        let (mut records, mut found) = (0, 0);
        for seed in &seeds {
            found += agree(&serde_json::to_vec(seed).expect("json"));
            records += 1;
            for _ in 0..6 {
                let mut record = seed.clone();
                for _ in 0..=rng.below(3) {
                    mutate(&mut record, &mut rng);
                }
                found += agree(&serde_json::to_vec(&record).expect("json"));
                records += 1;
            }
        }
        assert!(found > records * 5, "{found} findings in {records} records");
    }
}
