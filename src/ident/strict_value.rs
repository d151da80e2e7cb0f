//! A `serde_json::Value` deserializer that rejects duplicate object keys at every depth.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The message of a duplicate-key error. Deliberately without the key.
pub(crate) const DUPLICATE_KEY: &str = "duplicate key in a JSON object";

thread_local! {
    /// Set when a duplicate key was refused on this thread: the typed signal that the
    /// validator reads instead of matching the error's text.
    static DUPLICATE_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The error for a duplicate key; also raises the typed signal ([`take_duplicate_key`]).
pub(crate) fn duplicate_key<E: Error>() -> E {
    DUPLICATE_SEEN.with(|seen| seen.set(true));
    E::custom(DUPLICATE_KEY)
}

/// Whether a duplicate key was refused on this thread since the last call; resets the signal.
pub(crate) fn take_duplicate_key() -> bool {
    DUPLICATE_SEEN.with(|seen| seen.replace(false))
}

/// A JSON value deserialized strictly: an object that has the same key twice, at any depth, is
/// an error whose message contains "duplicate key" (`serde_json::Value` silently keeps the
/// last one). Otherwise the same as deserializing a `serde_json::Value`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StrictValue(pub(crate) Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        StrictValue::deserialize(deserializer).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(duplicate_key());
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> Result<Value, serde_json::Error> {
        serde_json::from_str::<StrictValue>(s).map(|v| v.0)
    }

    #[test]
    fn same_as_value_without_duplicates() {
        let text = r#"{"a":[1,-2,3.5,true,null,"x",{"b":{}}],"c":18446744073709551615,"d":1e300}"#;
        assert_eq!(
            parse(text).expect("valid"),
            serde_json::from_str::<Value>(text).expect("valid")
        );
        assert_eq!(parse("[]").expect("valid"), json!([]));
    }

    #[test]
    fn duplicates_at_any_depth() {
        for text in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1,"c":2,"b":3}}"#,
            r#"[{"x":[{"y":1,"y":1}]}]"#,
            r#"{"a\u0062":1,"ab":2}"#,
        ] {
            take_duplicate_key();
            let err = parse(text).expect_err(text);
            assert!(err.to_string().contains("duplicate key"), "{err}");
            assert!(take_duplicate_key(), "{text}");
            assert!(!take_duplicate_key(), "the signal resets");
        }
    }
}
