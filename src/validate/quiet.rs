//! A typed parse that fails without words: serde_json reads the record as `from_str` does,
//! but the errors of the types being read (an unknown field, an unknown variant, a value out of
//! its type's range) are not written out, since a failed typed parse only sends the record to
//! the slow path, which finds its own words. An error message costs more than the rest of a
//! failed parse when it lists every field a type has.
//!
//! The wrapper only forwards: every call the types make reaches serde_json unchanged, and every
//! value serde_json gives reaches the types unchanged, so the same records parse to the same
//! values, and the same fail.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

/// `T` from `text`, exactly when `serde_json::from_str::<T>(text)` is `Ok`, with the same
/// value; no error message is made on the way to `None`.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Quiet(&mut de)).ok()?;
    de.end().ok()?;
    Some(value)
}

/// The one error of a quiet parse: it failed.
#[derive(Debug)]
pub(crate) struct Failed;

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the typed parse failed")
    }
}

impl std::error::Error for Failed {}

impl de::Error for Failed {
    #[inline]
    fn custom<M: fmt::Display>(_: M) -> Self {
        Failed
    }

    #[inline]
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Failed
    }

    #[inline]
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Failed
    }

    #[inline]
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Failed
    }

    #[inline]
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Failed
    }

    #[inline]
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Failed
    }

    #[inline]
    fn missing_field(_: &'static str) -> Self {
        Failed
    }

    #[inline]
    fn duplicate_field(_: &'static str) -> Self {
        Failed
    }
}

/// The error handed back to serde_json when a type refused: the cheapest it has (no text).
#[inline]
fn refused<E: de::Error>(_: Failed) -> E {
    E::custom("")
}

/// A deserializer, a visitor, a seed or an access of serde_json, made quiet.
pub(crate) struct Quiet<X>(X);

macro_rules! forward_deserialize {
    ($($method:ident)*) => {
        $(
            #[inline]
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failed> {
                self.0.$method(Quiet(visitor)).map_err(|_| Failed)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Quiet<D> {
    type Error = Failed;

    forward_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    #[inline]
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_unit_struct(name, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_newtype_struct(name, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_tuple(len, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_tuple_struct(name, len, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_struct(name, fields, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .deserialize_enum(name, variants, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty))*) => {
        $(
            #[inline]
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                self.0.$method(v).map_err(refused)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Quiet<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none().map_err(refused)
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit().map_err(refused)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(Quiet(d)).map_err(refused)
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(Quiet(d)).map_err(refused)
    }

    #[inline]
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Quiet(seq)).map_err(refused)
    }

    #[inline]
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Quiet(map)).map_err(refused)
    }

    #[inline]
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(Quiet(data)).map_err(refused)
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Quiet<S> {
    type Value = S::Value;

    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Quiet(d)).map_err(refused)
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Quiet<A> {
    type Error = Failed;

    #[inline(always)]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Failed> {
        self.0.next_element_seed(Quiet(seed)).map_err(|_| Failed)
    }

    #[inline(always)]
    fn next_element<T: de::Deserialize<'de>>(&mut self) -> Result<Option<T>, Failed> {
        self.next_element_seed(std::marker::PhantomData)
    }

    #[inline(always)]
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Quiet<A> {
    type Error = Failed;

    #[inline(always)]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Failed> {
        self.0.next_key_seed(Quiet(seed)).map_err(|_| Failed)
    }

    #[inline(always)]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failed> {
        self.0.next_value_seed(Quiet(seed)).map_err(|_| Failed)
    }

    #[inline(always)]
    fn next_key<K: de::Deserialize<'de>>(&mut self) -> Result<Option<K>, Failed> {
        self.next_key_seed(std::marker::PhantomData)
    }

    #[inline(always)]
    fn next_value<V: de::Deserialize<'de>>(&mut self) -> Result<V, Failed> {
        self.next_value_seed(std::marker::PhantomData)
    }

    #[inline(always)]
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Quiet<A> {
    type Error = Failed;
    type Variant = Quiet<A::Variant>;

    #[inline]
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Quiet<A::Variant>), Failed> {
        self.0
            .variant_seed(Quiet(seed))
            .map(|(value, variant)| (value, Quiet(variant)))
            .map_err(|_| Failed)
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Quiet<A> {
    type Error = Failed;

    #[inline]
    fn unit_variant(self) -> Result<(), Failed> {
        self.0.unit_variant().map_err(|_| Failed)
    }

    #[inline]
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Failed> {
        self.0.newtype_variant_seed(Quiet(seed)).map_err(|_| Failed)
    }

    #[inline]
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Failed> {
        self.0
            .tuple_variant(len, Quiet(visitor))
            .map_err(|_| Failed)
    }

    #[inline]
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failed> {
        self.0
            .struct_variant(fields, Quiet(visitor))
            .map_err(|_| Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2;

    /// The quiet parse and `serde_json::from_str` agree on every committed vector and on
    /// mutated generated records, of every type: the same values, the same failures.
    #[test]
    fn the_quiet_parse_is_from_str() {
        fn agree<T: DeserializeOwned + PartialEq + fmt::Debug>(text: &str) -> bool {
            let quiet = from_str::<T>(text);
            let loud = serde_json::from_str::<T>(text).ok();
            assert_eq!(quiet, loud, "{text}");
            quiet.is_some()
        }
        fn all(text: &str) -> usize {
            usize::from(agree::<v2::Person>(text))
                + usize::from(agree::<v2::Course>(text))
                + usize::from(agree::<v2::Completion>(text))
                + usize::from(agree::<v2::Certificate>(text))
                + usize::from(agree::<crate::v2_1::Record>(text))
                + usize::from(agree::<serde_json::Value>(text))
                + usize::from(agree::<crate::ident::StrictValue>(text))
        }
        let mut texts = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
        for version in ["1.0", "2.0", "2.1"] {
            for dir in ["valid", "invalid"] {
                let Ok(entries) = std::fs::read_dir(root.join(version).join(dir)) else {
                    continue;
                };
                for entry in entries.flatten() {
                    if let Ok(text) = std::fs::read_to_string(entry.path()) {
                        texts.push(text);
                    }
                }
            }
        }
        let mut out = Vec::new();
        crate::synth::write_ndjson(&mut out, None, 300, 11).expect("generate");
        let generated = String::from_utf8(out).expect("utf-8");
        for (i, line) in generated.lines().enumerate() {
            texts.push(line.to_owned());
            // Cut, doubled and edited copies: failures of every kind.
            let cut = line.len() * (i % 7 + 1) / 8;
            let cut = (0..=cut)
                .rev()
                .find(|&k| line.is_char_boundary(k))
                .unwrap_or(0);
            texts.push(line[..cut].to_owned());
            texts.push(format!("{line} {line}"));
            texts.push(line.replacen("\":\"", "\":1,\"x\":\"", 1 + i % 3));
            texts.push(line.replace("female", "unknown").replace("2.0", "2.1"));
            texts.push(line.replacen(",\"", ",\"extra\":[1,{\"a\":null}],\"", 1));
        }
        texts.extend(
            [
                "",
                "{",
                "[]",
                "null",
                "{\"a\":1,\"a\":2}",
                "\"\\ud800\"",
                "1e400",
                "{\"kind\":\"person\",\"schemaVersion\":\"2.0\"}",
            ]
            .map(String::from),
        );
        let parsed: usize = texts.iter().map(|t| all(t)).sum();
        assert!(parsed > 300, "{parsed} parses of {} texts", texts.len());
    }
}
