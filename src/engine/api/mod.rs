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
/// like Go's `json:",omitempty"`; field names are camelCase unless renamed
/// (`#[serde(rename = "podCIDR")]`).
///
/// `Serialize` and `Deserialize` are written here rather than derived (a fifth of the
/// worker's code went to the derived ones). For reading, serde's derive emits, per
/// struct, a field-identifier visitor (string, bytes and index tables), a slot per field
/// and duplicate checks; for writing, a skip test and an entry per field, inlined. This
/// reader is one loop over the keys that compares each with the field names and reads the
/// value in place, with the same results: absent fields keep their defaults, unknown keys
/// are read as `IgnoredAny` (which the node deserializer reports as unknown fields).
macro_rules! api_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$($fm:tt)*])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            // (Field attributes — docs and renames — are read by this macro, not emitted.)
            $(pub $field: $ty,)*
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                $(
                    crate::engine::api::write_field(
                        &mut map,
                        stringify!($field),
                        crate::engine::api::json_name!($(#[$($fm)*])*),
                        &self.$field,
                    )?;
                )*
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<String>()? {
                            $(
                                if crate::engine::api::field_is(
                                    &key,
                                    stringify!($field),
                                    crate::engine::api::json_name!($(#[$($fm)*])*),
                                ) {
                                    crate::engine::api::read_field(&mut map, &mut out.$field)?;
                                    continue;
                                }
                            )*
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                        Ok(out)
                    }
                }
                d.deserialize_struct(stringify!($name), &[], V)
            }
        }
    };
}
pub(crate) use api_struct;

/// Writes one field unless it is empty (Go's `omitempty`), under its JSON name. Not
/// inlined, like [`read_field`]: serde's derive repeats this code for every field.
#[inline(never)]
pub fn write_field<M: serde::ser::SerializeMap, T: serde::Serialize + Default + PartialEq>(
    map: &mut M,
    field: &str,
    rename: &str,
    value: &T,
) -> Result<(), M::Error> {
    if is_default(value) {
        return Ok(());
    }
    map.serialize_entry(json_key(field, rename).as_str(), value)
}

/// A field's JSON name: its rename, else the camelCase of its Rust name.
fn json_key(field: &str, rename: &str) -> String {
    if !rename.is_empty() {
        return rename.to_string();
    }
    // Dropping `_` and upper-casing ASCII letters keeps any UTF-8 valid.
    String::from_utf8(camel_case(field).collect()).expect("still UTF-8")
}

/// Reads the value of the key just read into `slot`. Not inlined: one copy per field
/// type (`String`, `Option<String>`, …) instead of one per field.
#[inline(never)]
pub fn read_field<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// A field's `#[serde(rename = "…")]`, or "" (then its name is the camelCase of the field).
macro_rules! json_name {
    () => { "" };
    (#[serde(rename = $r:literal)] $($rest:tt)*) => { $r };
    (#[$($other:tt)*] $($rest:tt)*) => { crate::engine::api::json_name!($($rest)*) };
}
pub(crate) use json_name;

/// Whether a JSON key names a field: its rename if it has one, else serde's
/// `rename_all = "camelCase"` of the Rust name (`pod_cidr` → `podCidr`, `r#type` → `type`).
pub fn field_is(key: &str, field: &str, rename: &str) -> bool {
    if rename.is_empty() {
        key.bytes().eq(camel_case(field))
    } else {
        key == rename
    }
}

/// The camelCase of a Rust field name, byte by byte: `_` dropped, the byte after it
/// upper-cased (ASCII), a raw identifier's `r#` left out.
fn camel_case(field: &str) -> impl Iterator<Item = u8> + '_ {
    let mut upper = false;
    let field = field.strip_prefix("r#").unwrap_or(field);
    field.bytes().filter_map(move |b| {
        if b == b'_' {
            upper = true;
            None
        } else if std::mem::take(&mut upper) {
            Some(b.to_ascii_uppercase())
        } else {
            Some(b)
        }
    })
}

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

#[cfg(test)]
mod tests {
    use super::core::{NodeSpec, PodSpec};
    use super::field_is;
    use crate::engine::de::from_node;
    use crate::engine::yaml::parse_documents;

    #[test]
    fn json_keys_are_camel_case_unless_renamed() {
        assert_eq!(super::json_key("pod_cidr", ""), "podCidr");
        assert_eq!(super::json_key("r#type", ""), "type");
        assert_eq!(super::json_key("pod_cidr", "podCIDR"), "podCIDR");
        let spec = NodeSpec {
            pod_cidr: "10.0.0.0/24".into(),
            unschedulable: true,
            ..NodeSpec::default()
        };
        assert_eq!(
            serde_json::to_string(&spec).unwrap(),
            r#"{"podCIDR":"10.0.0.0/24","unschedulable":true}"#
        );
    }

    #[test]
    fn field_names_are_camel_case_unless_renamed() {
        assert!(field_is("podCidr", "pod_cidr", ""));
        assert!(field_is("type", "r#type", ""));
        assert!(field_is("podCIDR", "pod_cidr", "podCIDR"));
        assert!(!field_is("podCidr", "pod_cidr", "podCIDR"));
        assert!(!field_is("pod_cidr", "pod_cidr", ""));
        assert!(!field_is("podCidrs", "pod_cidr", ""));
        assert!(!field_is("pod", "pod_cidr", ""));
    }

    #[test]
    fn the_hand_written_reader_keeps_defaults_reads_renames_and_reports_unknown_fields() {
        let root = |text: &str| {
            parse_documents(text).unwrap()[0]
                .root
                .clone()
                .unwrap()
                .unwrap()
        };
        let doc = root("podCIDR: 10.0.0.0/24\nunschedulable: true\nbogus: 1\n");
        let (spec, unknown) = from_node::<NodeSpec>(&doc, "spec").unwrap();
        assert_eq!(spec.pod_cidr, "10.0.0.0/24");
        assert!(spec.unschedulable);
        assert!(spec.taints.is_empty());
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].path, "spec.bogus");
        let doc = root("restartPolicy: 3\n");
        let err = from_node::<PodSpec>(&doc, "spec").unwrap_err();
        assert_eq!(
            err.message,
            "json: cannot unmarshal number into Go struct field .spec.restartPolicy of type string"
        );
    }
}
