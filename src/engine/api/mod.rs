//! Typed Kubernetes API objects: the kinds kubeplay reads, with their real field names.
//!
//! Own structs rather than k8s-openapi: the README's "Dependencies" section has the
//! measured cost of both. Fields kubeplay does not simulate are kept as opaque JSON
//! ([`Any`]) so they survive a round trip and are not reported as unknown.

pub mod apps;
pub mod config;
pub mod core;
pub mod discovery;
pub mod meta;
pub mod networking;
pub mod storage;

pub use meta::{LabelSelector, ObjectMeta};

/// An opaque JSON value for fields kubeplay keeps but does not interpret.
pub type Any = serde_json::Value;

/// A port's protocol, `TCP` when unset (the API server's default for ports).
pub fn protocol_or_tcp(protocol: &str) -> &str {
    if protocol.is_empty() {
        "TCP"
    } else {
        protocol
    }
}

/// `skip_serializing_if` helper: Go's `omitempty`.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Declares an API struct: every field defaults when absent and is omitted when empty,
/// like Go's `json:",omitempty"`; field names are camelCase unless renamed.
macro_rules! api_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(skip_serializing_if = "crate::engine::api::is_default")]
                pub $field: $ty,
            )*
        }
    };
}
pub(crate) use api_struct;

/// A quantity (`1Gi`, `500m`, `2`) kept as the text the user wrote; YAML numbers become
/// their decimal text, as the API server's Quantity decoder accepts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(pub String);

impl serde::Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a quantity such as 1Gi")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// `intstr.IntOrString`: a port number or a port name (`targetPort`, `maxSurge`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl serde::Serialize for IntOrString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i32(*i),
            IntOrString::String(v) => s.serialize_str(v),
        }
    }
}

impl<'de> serde::Deserialize<'de> for IntOrString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                i32::try_from(v).map(IntOrString::Int).map_err(|_| {
                    E::custom(format!(
                        "json: cannot unmarshal number {v} into Go value of type int32"
                    ))
                })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                self.visit_i64(v as i64)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<IntOrString, E> {
                Err(E::custom(format!(
                    "json: cannot unmarshal number {v} into Go value of type int32"
                )))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<IntOrString, E> {
                Err(E::custom(
                    "json: cannot unmarshal bool into Go value of type intstr.IntOrString",
                ))
            }
        }
        d.deserialize_any(V)
    }
}
