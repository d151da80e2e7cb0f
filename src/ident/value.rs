//! Version-independent value types with constraints: bounded text, non-negative decimals and
//! counts, `https` addresses, keyed document digests and non-empty lists. Both editions use them
//! (`dsti::v2` re-exports them), so they live beside the identifiers, not in an edition.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::IdentError;
use crate::Code;

/// Human text with a length bound: 1 to `MAX` characters, no C0 control character or DEL,
/// and at least one character that is neither whitespace nor a control (a
/// blank name, title or reason is no text).
///
/// Schema and Rust check the same: `minLength`, `maxLength` and a pattern without C0 controls
/// that requires a visible character. Over the length is [`Code::SchemaLength`], anything else
/// [`Code::SchemaPattern`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    /// Check and wrap `value`.
    pub fn new(value: impl Into<String>) -> Result<Self, IdentError> {
        let value = value.into();
        let len = value.chars().count();
        if len == 0 || len > MAX {
            return Err(IdentError::new(
                Code::SchemaLength,
                "text",
                "length is out of bounds",
            ));
        }
        if value.chars().any(|c| c < ' ' || c == '\u{7f}') {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "text",
                "contains a control character",
            ));
        }
        if !crate::ident::has_visible(&value) {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "text",
                "has no character other than whitespace",
            ));
        }
        Ok(Text(value))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> fmt::Debug for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const MAX: usize> FromStr for Text<MAX> {
    type Err = IdentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Text::new(s)
    }
}

impl<const MAX: usize> TryFrom<&str> for Text<MAX> {
    type Error = IdentError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Text::new(s)
    }
}

impl<const MAX: usize> TryFrom<String> for Text<MAX> {
    type Error = IdentError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Text::new(s)
    }
}

impl<const MAX: usize> Serialize for Text<MAX> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Text::new(s).map_err(de::Error::custom)
    }
}

impl<const MAX: usize> JsonSchema for Text<MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Text{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": MAX,
            "pattern": crate::ident::plain_text_pattern(),
        })
    }
}

/// A non-negative decimal (class hours, credits, scores). Whole values are written without a
/// fraction (`40`, not `40.0`), so that records round-trip byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Decimal(f64);

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal(0.0);

    /// Check and wrap `value`: finite and not negative.
    pub fn new(value: f64) -> Result<Self, IdentError> {
        if value.is_finite() && value >= 0.0 {
            // -0 becomes 0, so that it is written as 0.
            Ok(Decimal(value + 0.0))
        } else {
            Err(IdentError::new(
                Code::SchemaRange,
                "number",
                "must be a finite number of at least 0",
            ))
        }
    }

    /// The value.
    pub fn get(self) -> f64 {
        self.0
    }

    /// How many decimal places the shortest decimal form of the value has: `40.5` has 1,
    /// `40.125` has 3, `40` has 0. That is what the JSON text said, unless it had more
    /// significant digits than a double holds.
    pub fn decimal_places(self) -> usize {
        let text = self.0.to_string();
        text.split_once('.')
            .map_or(0, |(_, fraction)| fraction.len())
    }

    /// Whether the value has at most two decimal places, as class hours must (more is
    /// [`Code::NumberPrecision`], a rule rather than a schema `multipleOf`, on which validators
    /// disagree for decimals).
    pub fn is_hundredths(self) -> bool {
        // Without formatting (per record, on the hot path): a double whose shortest decimal
        // form has at most two places is the double nearest to some n / 100, and rounding it
        // to hundredths gives it back; any other double moves. Below 2^44 the product is
        // within a quarter of n, so this is exact; beyond, the decimal form decides.
        const EXACT_BELOW: f64 = (1u64 << 44) as f64;
        if self.0 < EXACT_BELOW {
            (self.0 * 100.0).round() / 100.0 == self.0
        } else {
            self.decimal_places() <= 2
        }
    }
}

impl From<u32> for Decimal {
    fn from(value: u32) -> Self {
        Decimal(f64::from(value))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if self.0.fract() == 0.0 && self.0 < EXACT {
            // The value is whole and below 2^53, so the conversion is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            s.serialize_u64(self.0 as u64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Decimal::new(v).map_err(de::Error::custom)
    }
}

impl JsonSchema for Decimal {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "minimum": 0 })
    }
}

/// A count (minutes, checks): a whole number from 0 to 4294967295.
///
/// JSON Schema counts `11.0` as an integer, so the typed parser accepts it too and writes `11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Count(pub u32);

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number from 0 to 4294967295")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                u32::try_from(v)
                    .map(Count)
                    .map_err(|_| E::invalid_value(de::Unexpected::Other("a large number"), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u32::try_from(v).map(Count).map_err(|_| {
                    E::invalid_value(de::Unexpected::Other("a negative number"), &self)
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                    // Whole and in range: exact.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Ok(Count(v as u32))
                } else {
                    Err(E::invalid_value(de::Unexpected::Other("a fraction"), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Count {
    fn schema_name() -> Cow<'static, str> {
        "Count".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })
    }
}

/// An `https` address (certificate verification pages).
///
/// Schema and Rust check the same pattern: `https://`, a host name, an optional port, and a path,
/// query and fragment of RFC 3986 characters with well-formed percent escapes; at most 2048
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpsUrl(String);

const URL_PATTERN: &str = "^https://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?([/?#]([A-Za-z0-9._~!$&'()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*)?$";

impl HttpsUrl {
    /// Check and wrap an address.
    pub fn new(value: impl Into<String>) -> Result<Self, IdentError> {
        let value = value.into();
        let bad = || IdentError::new(Code::SchemaPattern, "https address", "not an https address");
        if value.len() > 2048 {
            return Err(IdentError::new(
                Code::SchemaLength,
                "https address",
                "longer than 2048 characters",
            ));
        }
        let rest = value.strip_prefix("https://").ok_or_else(bad)?;
        let host_end = rest.find([':', '/', '?', '#']).unwrap_or(rest.len());
        let (host, mut tail) = rest.split_at(host_end);
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && host
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            && host
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric());
        if !host_ok {
            return Err(bad());
        }
        if let Some(port_and_more) = tail.strip_prefix(':') {
            let port_len = port_and_more.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=5).contains(&port_len) {
                return Err(bad());
            }
            tail = &port_and_more[port_len..];
        }
        // As the schema's pattern: the authority ends at `/`, `?`, `#` or the end.
        if !(tail.is_empty() || tail.starts_with(['/', '?', '#'])) {
            return Err(bad());
        }
        let bytes = tail.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'%' {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return Err(bad());
                }
                i += 3;
                continue;
            }
            if !(b.is_ascii_alphanumeric() || b"._~!$&'()*+,;=:@/?#-".contains(&b)) {
                return Err(bad());
            }
            i += 1;
        }
        Ok(HttpsUrl(value))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HttpsUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for HttpsUrl {
    type Err = IdentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HttpsUrl::new(s)
    }
}

impl Serialize for HttpsUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for HttpsUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HttpsUrl::new(String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl JsonSchema for HttpsUrl {
    fn schema_name() -> Cow<'static, str> {
        "HttpsUrl".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "maxLength": 2048, "pattern": URL_PATTERN })
    }
}

/// A keyed digest of a normalized identity document: `hmac-sm3:<64 hex>` or
/// `hmac-sha256:<64 hex>`. Lets records be linked without moving ID numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentDigest(String);

impl DocumentDigest {
    /// Check and wrap a digest string.
    pub fn new(value: impl Into<String>) -> Result<Self, IdentError> {
        let value = value.into();
        let hex = value
            .strip_prefix("hmac-sm3:")
            .or_else(|| value.strip_prefix("hmac-sha256:"));
        match hex {
            Some(h)
                if h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
            {
                Ok(DocumentDigest(value))
            }
            _ => Err(IdentError::new(
                Code::SchemaPattern,
                "document digest",
                "not hmac-sm3:<hex> or hmac-sha256:<hex>",
            )),
        }
    }

    /// The digest string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DocumentDigest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DocumentDigest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DocumentDigest::new(String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl JsonSchema for DocumentDigest {
    fn schema_name() -> Cow<'static, str> {
        "DocumentDigest".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "^hmac-(sm3|sha256):[0-9a-f]{64}$" })
    }
}

/// A list with at least one element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    /// A list of one element.
    pub fn one(first: T) -> Self {
        NonEmpty(vec![first])
    }

    /// Wrap a list; `None` when it is empty.
    pub fn new(items: Vec<T>) -> Option<Self> {
        (!items.is_empty()).then_some(NonEmpty(items))
    }

    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Add an element.
    pub fn push(&mut self, item: T) {
        self.0.push(item);
    }
}

impl<T> std::ops::Deref for NonEmpty<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Serialize> Serialize for NonEmpty<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NonEmpty<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(d)?;
        NonEmpty::new(items).ok_or_else(|| de::Error::invalid_length(0, &"at least one element"))
    }
}

impl<T: JsonSchema> JsonSchema for NonEmpty<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("NonEmpty_{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "array", "items": generator.subschema_for::<T>(), "minItems": 1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocation-free check agrees with counting the places of the shortest decimal
    /// form, on every thousandth up to 2,000 hours and on values that are not thousandths.
    #[test]
    fn hundredths_agree_with_the_decimal_form() {
        let mut values: Vec<f64> = (0..2_000_000).map(|n| f64::from(n) / 1000.0).collect();
        values.extend([
            0.1 + 0.2,
            1.005,
            40.125,
            1e-7,
            123_456.78,
            99_999.999,
            1e15 + 0.5,
        ]);
        for v in values {
            let d = Decimal(v);
            assert_eq!(d.is_hundredths(), d.decimal_places() <= 2, "{v}");
        }
    }
}
