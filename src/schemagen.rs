//! The schemars plumbing every DSTI schema is generated with: the settings, the transforms
//! (no `null` for optional fields, portable pattern ends) and the engine form the validator
//! compiles. A leaf below the editions (which generate their kinds' schemas with it) and
//! [`crate::schema`] (which publishes them).

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

/// The settings every DSTI schema is generated with: 2020-12, pinned, and no `null` for
/// optional fields (the standard omits an absent field; it never writes `null`).
///
/// Every `pattern` that ends with `$` also gets `(?!\n)` after it ([`PortableEnd`]).
pub(crate) fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
        .with_transform(StripNull)
        .with_transform(PortableEnd)
}

pub(crate) fn root<T: JsonSchema>() -> Schema {
    settings().into_generator().into_root_schema_for::<T>()
}

/// Remove `null` from the schema of optional fields.
#[derive(Debug, Clone)]
struct StripNull;

impl Transform for StripNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            if let Some(Value::Array(types)) = obj.get("type") {
                let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                let replacement = if kept.len() == 1 {
                    kept[0].clone()
                } else {
                    Value::Array(kept)
                };
                obj.insert("type".into(), replacement);
            }
            if obj.get("default").is_some_and(Value::is_null) {
                obj.remove("default");
            }
            if let Some(Value::Array(values)) = obj.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            let null_branch = |v: &Value| v.get("type").is_some_and(|t| t == "null");
            if let Some(Value::Array(branches)) = obj.get("anyOf") {
                if branches.iter().any(null_branch) {
                    let kept: Vec<Value> = branches
                        .iter()
                        .filter(|b| !null_branch(b))
                        .cloned()
                        .collect();
                    obj.remove("anyOf");
                    if let [only] = kept.as_slice() {
                        if let Value::Object(inner) = only {
                            for (k, v) in inner {
                                obj.entry(k.clone()).or_insert_with(|| v.clone());
                            }
                        }
                    } else {
                        obj.insert("anyOf".into(), Value::Array(kept));
                    }
                }
            }
        }
        transform_subschemas(self, schema);
    }
}

/// Make a pattern's final `$` mean "end of string" in every validator.
///
/// In ECMA-262 (ajv) and Rust, `$` without the multi-line flag matches only at the end of the
/// string; in Python's `re`, which Python's `jsonschema` uses with `re.search`, it also matches
/// just before a final `"\n"`, so `"440106\n"` would pass `^[0-9]{6}$` there and nowhere else.
/// `(?!\n)` after the `$` refuses that position and means the same in all three dialects.
#[derive(Debug, Clone)]
struct PortableEnd;

/// What [`PortableEnd`] appends to a pattern's final `$`.
const END_GUARD: &str = "(?!\\n)";

/// The schema as this crate's own validator compiles it: the same, less [`PortableEnd`]'s
/// guard. Under ECMA-262 semantics, which the `jsonschema` crate follows, `$` already means the
/// end of the string, so the guard changes nothing there; but a look-ahead sends every pattern
/// to the slow backtracking engine instead of the `regex` crate.
pub(crate) fn engine_form(mut schema: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match child {
                        Value::String(p) if key == "pattern" && p.ends_with(END_GUARD) => {
                            p.truncate(p.len() - END_GUARD.len());
                        }
                        _ => strip(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut schema);
    schema
}

impl Transform for PortableEnd {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(pattern)) =
            schema.as_object_mut().and_then(|o| o.get_mut("pattern"))
        {
            if pattern.ends_with('$') && !pattern.ends_with("\\$") {
                pattern.push_str(END_GUARD);
            }
        }
        transform_subschemas(self, schema);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_goes_and_nothing_else_changes() {
        let s = serde_json::json!({"properties": {"a": {"pattern": "^[0-9]{6}$(?!\\n)"}, "b": {"pattern": "^x"}}});
        let e = engine_form(s);
        assert_eq!(e["properties"]["a"]["pattern"], "^[0-9]{6}$");
        assert_eq!(e["properties"]["b"]["pattern"], "^x");
    }
}
