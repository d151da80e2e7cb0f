//! Walking a generated schema: the one `$ref` resolver that every reader of a schema uses
//! (the compatibility check in [`crate::compat`] and the reference site of `dsti docs`).

use serde_json::Value;

/// How many `$ref`s in a row [`resolve`] follows before it stops (a reference cycle).
pub const MAX_REF_CHAIN: usize = 48;

/// Follow local `$ref`s (`#/$defs/X`, any JSON Pointer into `root`) from `node` to the schema
/// they name, at most [`MAX_REF_CHAIN`] in a row.
///
/// A node without a `$ref`, or whose `$ref` is not local or points at nothing, is returned as
/// it is.
///
/// ```
/// use serde_json::json;
/// use dsti::schema::walk::resolve;
/// let root = json!({"$defs": {"Name": {"type": "string"}, "Alias": {"$ref": "#/$defs/Name"}}});
/// let node = json!({"$ref": "#/$defs/Alias"});
/// assert_eq!(resolve(&root, &node), &json!({"type": "string"}));
/// let remote = json!({"$ref": "https://example.org/other.json"});
/// assert_eq!(resolve(&root, &remote), &remote);
/// ```
pub fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..MAX_REF_CHAIN {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
        else {
            break;
        };
        node = target;
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reference_cycle_stops() {
        let root = json!({"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}});
        let start = json!({"$ref": "#/$defs/A"});
        let end = resolve(&root, &start);
        assert!(end == &root["$defs"]["A"] || end == &root["$defs"]["B"]);
    }
}
