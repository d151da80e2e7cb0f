//! `wire_enum!`: code lists of the standard as `#[non_exhaustive]` enums with `as_str`,
//! `Display`, `FromStr`, serde that round-trips, and a JSON Schema `enum`.

/// The error of parsing a code-list value that the list does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of the values of {list}")]
pub struct UnknownValue {
    /// The list, e.g. `"training type"`.
    pub list: &'static str,
    /// The value that was given (code-list values are never personal data).
    pub value: String,
}

/// Define a code list. Each variant names its wire value, its English and its Chinese label.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $list:literal, $en:literal, $zh:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, $ven:literal, $vzh:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the standard's order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The wire value.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $wire, )+ }
            }

            /// The English label.
            pub const fn label_en(self) -> &'static str {
                match self { $( $name::$variant => $ven, )+ }
            }

            /// The Chinese label.
            pub const fn label_zh(self) -> &'static str {
                match self { $( $name::$variant => $vzh, )+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::wire_enum::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $wire => Ok($name::$variant), )+
                    _ => Err($crate::wire_enum::UnknownValue { list: $list, value: s.to_owned() }),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("one of the values of ", $list))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        s.parse().map_err(|_| E::unknown_variant(s, &[ $( $wire, )+ ]))
                    }
                }
                deserializer.deserialize_str(V)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let values: &[&str] = &[ $( $wire, )+ ];
                let legend: Vec<String> = [ $( concat!("`", $wire, "` ", $ven, " / ", $vzh), )+ ]
                    .iter().map(|s| s.to_string()).collect();
                ::schemars::json_schema!({
                    "type": "string",
                    "enum": values,
                    "description": format!("{} / {}: {}.", $en, $zh, legend.join("; ")),
                })
            }
        }
    };
}

pub(crate) use wire_enum;
