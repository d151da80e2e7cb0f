//! Marker types whose only wire value is one constant string: the `kind` of each record kind,
//! shared by every edition, and the macro that defines such markers (`schemaVersion` too).

/// Define a marker type whose only wire value is one constant string (`kind`, `schemaVersion`).
macro_rules! wire_marker {
    ($(#[$meta:meta])* $name:ident = $value:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
        pub struct $name;

        impl $name {
            /// The wire value.
            pub const VALUE: &'static str = $value;
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("\"", $value, "\""))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        if v == $value {
                            Ok($name)
                        } else {
                            Err(E::invalid_value(::serde::de::Unexpected::Other("another value"), &self))
                        }
                    }
                }
                d.deserialize_str(V)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "const": $value })
            }
        }
    };
}
pub(crate) use wire_marker;

wire_marker! {
    /// `kind` of a person record: always `"person"`.
    PersonKind = "person"
}

wire_marker! {
    /// `kind` of a course record: always `"course"`.
    CourseKind = "course"
}

wire_marker! {
    /// `kind` of a completion record: always `"completion"`.
    CompletionKind = "completion"
}

wire_marker! {
    /// `kind` of a certificate record: always `"certificate"`.
    CertificateKind = "certificate"
}

wire_marker! {
    /// `kind` of a competition record (2.1): always `"competition"`.
    CompetitionKind = "competition"
}
