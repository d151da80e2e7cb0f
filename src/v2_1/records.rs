//! The 2.1 records that 2.0 already has: each is its 2.0 record (`base`, every field and
//! rule of 2.0) plus the optional fields 2.1 adds, with `schemaVersion` `"2.1"` on the wire.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::proof::{CredentialStatus, Proof};
use super::relabel::{self, Additions};
use crate::ident::StrictValue;
use crate::v2;
use crate::wire_enum::wire_enum;

wire_enum! {
    /// Which kind of programme a course belongs to (beside the free-text `programme`).
    pub enum ProgrammeKind as "programme kind", "Programme kind", "项目类别" {
        /// A national training action.
        NationalAction = "national-action", "national training action", "国家培训行动";
        /// A Women's Federation programme.
        WomensFederation = "womens-federation", "Women's Federation programme", "妇联项目";
        /// A trade-union programme.
        TradeUnion = "trade-union", "trade-union programme", "工会项目";
        /// A provincial programme.
        Provincial = "provincial", "provincial programme", "省级项目";
        /// A municipal programme.
        Municipal = "municipal", "municipal programme", "市级项目";
        /// An enterprise's own programme.
        Enterprise = "enterprise", "enterprise programme", "企业项目";
        /// Another programme.
        Other = "other", "other programme", "其他";
    }
}

/// A 2.1 record kind that reuses a 2.0 record: the wrapper struct, `new`, `Deref` to the 2.0
/// record, serde through [`relabel`], and the 2.0 schema relabelled with the added fields.
macro_rules! edition_record {
    (
        $(#[$meta:meta])*
        $name:ident wraps $base:ty {
            $( $(#[$fmeta:meta])* $field:ident: $fty:ty = $wire:literal, $desc:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            /// Every field the record has in 2.0 (its `schemaVersion` is written as `"2.1"`).
            pub base: $base,
            $( $(#[$fmeta])* pub $field: Option<$fty>, )*
        }

        impl $name {
            /// The 2.1 record of a 2.0 record, without the fields 2.1 adds.
            pub fn new(base: $base) -> Self {
                $name { base, $( $field: None, )* }
            }
        }

        impl From<$base> for $name {
            fn from(base: $base) -> Self {
                $name::new(base)
            }
        }

        impl Deref for $name {
            type Target = $base;
            fn deref(&self) -> &$base {
                &self.base
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $base {
                &mut self.base
            }
        }

        impl Additions for $name {
            fn count(&self) -> usize {
                0 $( + usize::from(self.$field.is_some()) )*
            }
            #[allow(unused_variables)]
            fn write<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
                $( if let Some(v) = &self.$field { out.serialize_field($wire, v)?; } )*
                Ok(())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                relabel::serialize(&self.base, self, s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let Value::Object(mut map) = StrictValue::deserialize(d)?.0 else {
                    return Err(D::Error::custom("a record must be a JSON object"));
                };
                relabel::to_v2(&mut map).map_err(D::Error::custom)?;
                $(
                    let $field = match map.remove($wire) {
                        None => None,
                        Some(v) => Some(serde_json::from_value::<$fty>(v).map_err(D::Error::custom)?),
                    };
                )*
                let base = serde_json::from_value(Value::Object(map)).map_err(D::Error::custom)?;
                Ok($name { base, $( $field, )* })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                #[allow(unused_mut)]
                let mut schema = <$base as JsonSchema>::json_schema(generator);
                relabel::relabel_schema(&mut schema);
                $( relabel::add_property(&mut schema, $wire, generator.subschema_for::<$fty>(), $desc); )*
                schema
            }
        }
    };
}

edition_record! {
    /// # Person
    ///
    /// A 2.1 person: the 2.0 person, unchanged but for `schemaVersion`.
    Person wraps v2::Person {}
}

edition_record! {
    /// # Course
    ///
    /// A 2.1 course: the 2.0 course plus `programmeKind`.
    Course wraps v2::Course {
        /// Which kind of programme the course belongs to.
        programme_kind: ProgrammeKind = "programmeKind",
            "Kind of programme the course belongs to, beside the free-text `programme`. / 课程所属项目的类别（`programme` 为其文字名称）。";
    }
}

edition_record! {
    /// # Completion
    ///
    /// A 2.1 completion: the 2.0 completion, unchanged but for `schemaVersion`.
    Completion wraps v2::Completion {}
}

edition_record! {
    /// # Certificate
    ///
    /// A 2.1 certificate: the 2.0 certificate plus an optional signature and status entry.
    Certificate wraps v2::Certificate {
        /// A detached signature by the issuer over the record without its `proof`.
        proof: Proof = "proof",
            "Detached signature over the record without its `proof`. / 对不含 `proof` 的记录的分离式签名。";
        /// Where the certificate's revocation or suspension is published.
        credential_status: CredentialStatus = "credentialStatus",
            "Where the certificate's revocation or suspension is published (W3C Bitstring Status List). / 证书撤销或暂停状态的发布位置（W3C 位串状态列表）。";
    }
}
