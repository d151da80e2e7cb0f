//! Extension fields: namespaced keys and their free-form values.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::ident::strict_value::{duplicate_key, StrictValue};
use crate::ident::ParseStr;
use crate::ident::{all_digits, is_province_prefix, IdentError, PROVINCE_GROUP};
use crate::Code;

/// The pattern of an extension key.
fn key_pattern() -> String {
    format!(
        "^([a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+|{PROVINCE_GROUP}[0-9]{{4}}):[A-Za-z][A-Za-z0-9_-]{{0,63}}$"
    )
}

/// An extension key, `namespace:name`. The namespace is either a reverse-DNS
/// name of at least two lower-case labels (`cn.gov.bj.rsj`) or a GB/T 2260 region code
/// (`440300`); the name is a letter and up to 63 letters, digits, `_` or `-`. E.g.
/// `cn.gov.bj.rsj:subsidyBatch`, `440300:trainingVoucher`.
///
/// - Schema: pattern
///   `^([a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+|(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)[0-9]{4}):[A-Za-z][A-Za-z0-9_-]{0,63}$`.
/// - Rust only: nothing more.
///
/// Failures are [`Code::SchemaPattern`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExtensionKey(String);

impl ExtensionKey {
    fn validate(s: &str) -> Result<Self, IdentError> {
        fn reverse_dns(ns: &str) -> bool {
            let mut labels = ns.split('.');
            let first = labels.next().unwrap_or_default();
            let label_ok = |l: &str, first_ok: fn(&u8) -> bool| {
                l.as_bytes().first().is_some_and(first_ok)
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            };
            let mut rest = 0;
            let ok = label_ok(first, u8::is_ascii_lowercase)
                && labels.all(|l| {
                    rest += 1;
                    label_ok(l, |b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            ok && rest >= 1
        }
        fn name(n: &str) -> bool {
            let b = n.as_bytes();
            (1..=64).contains(&b.len())
                && b[0].is_ascii_alphabetic()
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        }
        let ok = match s.split_once(':') {
            Some((ns, n)) => {
                (reverse_dns(ns) || (all_digits(ns, 6) && is_province_prefix(ns))) && name(n)
            }
            None => false,
        };
        if !ok {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "extension key",
                "must be namespace:name with a reverse-DNS or region-code namespace",
            ));
        }
        Ok(ExtensionKey(s.to_owned()))
    }

    /// The key, e.g. `"cn.gov.bj.rsj:subsidyBatch"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The namespace: everything before the colon.
    pub fn namespace(&self) -> &str {
        self.0.split_once(':').map_or("", |(ns, _)| ns)
    }

    /// The name: everything after the colon.
    pub fn name(&self) -> &str {
        self.0.split_once(':').map_or("", |(_, n)| n)
    }
}

string_newtype!(ExtensionKey);

impl Borrow<str> for ExtensionKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for ExtensionKey {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "ExtensionKey".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": key_pattern(),
            "description": "Extension key namespace:name; the namespace is a reverse-DNS name or a GB/T 2260 region code. / 扩展字段键，格式为“命名空间:名称”，命名空间为反向域名或 GB/T 2260 行政区划代码。",
        })
    }
}

/// Extension fields of a record: any JSON values under [`ExtensionKey`]s.
///
/// - Schema: an object whose keys match the extension-key pattern (`propertyNames`); any
///   values.
/// - Rust only: that no object has the same key twice, at any depth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extensions(BTreeMap<ExtensionKey, Value>);

impl Extensions {
    /// No extensions.
    pub fn new() -> Self {
        Extensions(BTreeMap::new())
    }

    /// Sets the value of `key`, returning the value it replaces.
    pub fn insert(&mut self, key: ExtensionKey, value: Value) -> Option<Value> {
        self.0.insert(key, value)
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Every extension, ordered by key.
    pub fn iter(&self) -> impl Iterator<Item = (&ExtensionKey, &Value)> {
        self.0.iter()
    }

    /// Whether there are no extensions.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many extensions there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl Serialize for Extensions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExtensionsVisitor;

        impl<'de> Visitor<'de> for ExtensionsVisitor {
            type Value = Extensions;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of extension values keyed by namespace:name")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Extensions, A::Error> {
                let mut map = BTreeMap::new();
                while let Some(key) = access.next_key_seed(ParseStr(ExtensionKey::validate))? {
                    if map.contains_key(&key) {
                        return Err(duplicate_key());
                    }
                    let StrictValue(value) = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(Extensions(map))
            }
        }

        deserializer.deserialize_map(ExtensionsVisitor)
    }
}

impl JsonSchema for Extensions {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Extensions".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Extension fields keyed by namespace:name. / 以“命名空间:名称”为键的扩展字段。",
            "propertyNames": { "pattern": key_pattern() },
            "additionalProperties": true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;
    use serde_json::json;

    #[test]
    fn keys() {
        for ok in [
            "cn.gov.bj.rsj:subsidyBatch",
            "440300:trainingVoucher",
            "com.example:x",
            "org.a-b.1c:Name_1-2",
            "659001:a",
            &format!("a.b:{}", "x".repeat(64)),
        ] {
            let k: ExtensionKey = ok.parse().expect(ok);
            assert_eq!(format!("{}:{}", k.namespace(), k.name()), ok);
            assert!(schema_accepts_str::<ExtensionKey>(ok), "{ok}");
        }
        for bad in [
            "example:x",
            "Com.example:x",
            "1com.example:x",
            "com..example:x",
            "com.example.:x",
            "com.-x:y",
            "com.example:",
            "com.example:1x",
            "com.example:x.y",
            "com.example:x:y",
            "990000:x",
            "44030:x",
            "com.example",
            ":x",
            &format!("a.b:{}", "x".repeat(65)),
            "com.ex ample:x",
        ] {
            assert_eq!(
                ExtensionKey::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts_str::<ExtensionKey>(bad), "{bad}");
        }
    }

    #[test]
    fn extensions() {
        let e: Extensions = serde_json::from_str(
            r#"{"cn.gov.bj.rsj:batch":{"id":7,"tags":["a"]},"440300:voucher":"V1"}"#,
        )
        .expect("valid");
        assert_eq!(e.len(), 2);
        assert!(!e.is_empty());
        assert_eq!(e.get("440300:voucher"), Some(&json!("V1")));
        let value = serde_json::to_value(&e).expect("serializes");
        assert!(schema_accepts::<Extensions>(&value));
        let mut built = Extensions::new();
        assert!(built.is_empty());
        built.insert("440300:voucher".parse().expect("key"), json!("V1"));
        built.insert(
            "cn.gov.bj.rsj:batch".parse().expect("key"),
            json!({"id": 7, "tags": ["a"]}),
        );
        assert_eq!(built, e);
        assert_eq!(
            built.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["440300:voucher", "cn.gov.bj.rsj:batch"]
        );

        for bad in [
            r#"{"440300:v":1,"440300:v":2}"#,
            r#"{"440300:v":{"a":1,"a":2}}"#,
            r#"{"440300:v":[{"a":{"b":1,"b":1}}]}"#,
        ] {
            let err = serde_json::from_str::<Extensions>(bad).expect_err(bad);
            assert!(err.to_string().contains("duplicate key"), "{err}");
        }
        assert!(serde_json::from_str::<Extensions>(r#"{"voucher":1}"#).is_err());
        assert!(!schema_accepts::<Extensions>(&json!({"voucher": 1})));
    }
}
