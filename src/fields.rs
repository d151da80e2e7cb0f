//! The few strings of a record that the identifier checks and the header read, whatever holds
//! the record: a JSON value on the value path, the borrowed tree on the slow path. The checks
//! then run on the tree without converting any of it to a value.

use serde_json::Value;

/// What is found at a path of member names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field<'a> {
    /// No such member, or something on the way is not an object.
    Missing,
    /// A string.
    Text(&'a str),
    /// Anything else.
    Other,
}

impl<'a> Field<'a> {
    /// The string, if it is one.
    pub(crate) fn text(self) -> Option<&'a str> {
        match self {
            Field::Text(s) => Some(s),
            Field::Missing | Field::Other => None,
        }
    }
}

/// A record whose members can be looked up by a path of member names (no escaping: the paths
/// are the checks' own, plain field names).
pub(crate) trait Fields {
    /// The member at `path`, each step a member of an object.
    fn field(&self, path: &[&str]) -> Field<'_>;
}

impl Fields for Value {
    fn field(&self, path: &[&str]) -> Field<'_> {
        let found = path
            .iter()
            .try_fold(self, |v, key| v.as_object()?.get(*key));
        match found {
            None => Field::Missing,
            Some(Value::String(s)) => Field::Text(s),
            Some(_) => Field::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_step_through_objects_only() {
        let v = serde_json::json!({"a": {"b": "x", "n": 1}, "l": ["b"], "s": "t"});
        assert_eq!(v.field(&["a", "b"]), Field::Text("x"));
        assert_eq!(v.field(&["a", "n"]), Field::Other);
        assert_eq!(v.field(&["a"]), Field::Other);
        assert_eq!(v.field(&["a", "c"]), Field::Missing);
        assert_eq!(v.field(&["l", "0"]), Field::Missing);
        assert_eq!(v.field(&["s", "b"]), Field::Missing);
        assert_eq!(v.field(&["s"]).text(), Some("t"));
    }
}
