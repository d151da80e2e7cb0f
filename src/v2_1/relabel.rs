//! How a 2.1 record reuses its 2.0 layout: it is written by the 2.0 type's own `Serialize`,
//! through a serializer that writes `schemaVersion` as `"2.1"` and adds the fields 2.1 adds
//! (before `extensions`, which stays last), and it is read by taking those fields off the
//! object and handing the rest, labelled `"2.0"`, to the 2.0 type's `Deserialize`.

use serde::ser::{Error as _, Impossible, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::V21;
use crate::v2::V2;

/// The fields a 2.1 record adds to its 2.0 layout, written in order.
pub(crate) trait Additions {
    /// How many fields will be written (present ones).
    fn count(&self) -> usize;
    /// Write the present ones.
    fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error>;
}

/// Serialize `base` (a 2.0 record) as the 2.1 record with `additions`.
pub(crate) fn serialize<B, A, S>(base: &B, additions: &A, s: S) -> Result<S::Ok, S::Error>
where
    B: Serialize,
    A: Additions,
    S: Serializer,
{
    base.serialize(Relabel {
        inner: s,
        additions,
    })
}

/// Take `schemaVersion` (`"2.1"`, else an error) off a record object and label it `"2.0"`.
pub(crate) fn to_v2(map: &mut Map<String, Value>) -> Result<(), &'static str> {
    match map.get_mut("schemaVersion") {
        Some(v) if v == V21::VALUE => {
            *v = Value::from(V2::VALUE);
            Ok(())
        }
        _ => Err("schemaVersion must be \"2.1\""),
    }
}

/// Relabel a 2.0 record's schema as 2.1's: `schemaVersion` is the constant `"2.1"`.
pub(crate) fn relabel_schema(schema: &mut schemars::Schema) {
    if let Some(Value::Object(props)) = schema.as_object_mut().and_then(|o| o.get_mut("properties"))
    {
        props.insert(
            "schemaVersion".into(),
            serde_json::json!({
                "description": "Version of the standard, `2.1`. / 标准版本，`2.1`。",
                "type": "string",
                "const": V21::VALUE,
            }),
        );
    }
}

/// Add an optional property to an object schema, with its bilingual description.
pub(crate) fn add_property(
    schema: &mut schemars::Schema,
    name: &str,
    sub: schemars::Schema,
    description: &str,
) {
    let mut sub = sub.to_value();
    if let Value::Object(map) = &mut sub {
        map.insert("description".into(), description.into());
    }
    if let Some(Value::Object(props)) = schema.as_object_mut().and_then(|o| o.get_mut("properties"))
    {
        props.insert(name.into(), sub);
    }
}

struct Relabel<'a, S, A> {
    inner: S,
    additions: &'a A,
}

struct RelabelStruct<'a, S, A> {
    inner: S,
    additions: &'a A,
    written: bool,
}

impl<S: SerializeStruct, A: Additions> SerializeStruct for RelabelStruct<'_, S, A> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        match key {
            "schemaVersion" => self.inner.serialize_field(key, &V21),
            "extensions" => {
                self.flush()?;
                self.inner.serialize_field(key, value)
            }
            _ => self.inner.serialize_field(key, value),
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Self::Error> {
        self.inner.skip_field(key)
    }

    fn end(mut self) -> Result<Self::Ok, Self::Error> {
        self.flush()?;
        self.inner.end()
    }
}

impl<S: SerializeStruct, A: Additions> RelabelStruct<'_, S, A> {
    fn flush(&mut self) -> Result<(), S::Error> {
        if !self.written {
            self.written = true;
            self.additions.write(&mut self.inner)?;
        }
        Ok(())
    }
}

/// Everything but a struct is refused: a record is a struct.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(S::Error::custom("a record serializes as a struct"))
        })*
    };
}

impl<'a, S: Serializer, A: Additions> Serializer for Relabel<'a, S, A> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = RelabelStruct<'a, S::SerializeStruct, A>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Ok(RelabelStruct {
            inner: self
                .inner
                .serialize_struct(name, len + self.additions.count())?,
            additions: self.additions,
            written: false,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(S::Error::custom("a record serializes as a struct"))
    }
}
