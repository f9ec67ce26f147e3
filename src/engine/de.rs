//! A serde `Deserializer` over positioned YAML nodes.
//!
//! It decodes API objects the way the API server's strict JSON decoder does, but keeps
//! positions: a type mismatch is reported at the node that has the wrong type, with the
//! field path and go's "cannot unmarshal" wording, and every field the target type does
//! not know is collected as an "unknown field" warning pointing at its key.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::yaml::{Node, Pos, Value};

/// A decoding failure, located.
#[derive(Clone, Debug, PartialEq)]
pub struct DeError {
    pub pos: Option<Pos>,
    pub path: String,
    pub message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            pos: None,
            path: String::new(),
            message: msg.to_string(),
        }
    }
}

/// A field present in the input that the target type does not know.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownField {
    pub path: String,
    pub pos: Pos,
}

/// Decodes `node` into `T`; `base` is the path prefix for messages (e.g. `items[2]`).
/// Returns the value and the unknown fields met on the way.
pub fn from_node<T: DeserializeOwned>(
    node: &Node,
    base: &str,
) -> Result<(T, Vec<UnknownField>), DeError> {
    let unknown = RefCell::new(Vec::new());
    let de = NodeDe {
        node,
        path: base.to_string(),
        key_pos: None,
        unknown: &unknown,
    };
    let value = T::deserialize(de)?;
    Ok((value, unknown.into_inner()))
}

struct NodeDe<'a> {
    node: &'a Node,
    path: String,
    key_pos: Option<Pos>,
    unknown: &'a RefCell<Vec<UnknownField>>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'a> NodeDe<'a> {
    fn child(&self, node: &'a Node, path: String, key_pos: Option<Pos>) -> NodeDe<'a> {
        NodeDe {
            node,
            path,
            key_pos,
            unknown: self.unknown,
        }
    }

    /// Gives an error from deeper down (or from a visitor) this node's position if it has none.
    fn locate(&self, mut e: DeError) -> DeError {
        if e.pos.is_none() {
            e.pos = Some(self.node.pos);
            if e.path.is_empty() {
                e.path = self.path.clone();
            }
        }
        e
    }

    fn mismatch(&self, go_type: &str) -> DeError {
        let found = self.node.value.json_type();
        let field = if self.path.is_empty() {
            "Go value".to_string()
        } else {
            format!("Go struct field .{}", self.path)
        };
        DeError {
            pos: Some(self.node.pos),
            path: self.path.clone(),
            message: format!("json: cannot unmarshal {found} into {field} of type {go_type}"),
        }
    }

    fn int(&self, go_type: &str, min: i64, max: i64) -> Result<i64, DeError> {
        match self.node.value {
            Value::Null => Ok(0),
            Value::Int(i) if i >= min && i <= max => Ok(i),
            Value::Int(i) => Err(DeError {
                pos: Some(self.node.pos),
                path: self.path.clone(),
                message: format!(
                    "json: cannot unmarshal number {i} into Go struct field .{} of type {go_type}",
                    self.path
                ),
            }),
            _ => Err(self.mismatch(go_type)),
        }
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty, $go:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let i = self.int($go, <$ty>::MIN as i64, <$ty>::MAX as i64)?;
            visitor.$visit(i as $ty).map_err(|e| self.locate(e))
        }
    };
}

impl<'de, 'a> de::Deserializer<'de> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqDe {
                parent: &self,
                items: items.iter(),
                index: 0,
            }),
            Value::Map(entries) => visitor.visit_map(MapDe {
                parent: &self,
                entries: entries.iter(),
                value: None,
            }),
        };
        r.map_err(|e| self.locate(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Null => visitor.visit_bool(false),
            _ => Err(self.mismatch("bool")),
        }
        .map_err(|e| self.locate(e))
    }

    int_method!(deserialize_i8, visit_i8, i8, "int8");
    int_method!(deserialize_i16, visit_i16, i16, "int16");
    int_method!(deserialize_i32, visit_i32, i32, "int32");
    int_method!(deserialize_i64, visit_i64, i64, "int64");
    int_method!(deserialize_u8, visit_u8, u8, "uint8");
    int_method!(deserialize_u16, visit_u16, u16, "uint16");
    int_method!(deserialize_u32, visit_u32, u32, "uint32");

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let i = self.int("uint64", 0, i64::MAX)?;
        visitor.visit_u64(i as u64).map_err(|e| self.locate(e))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Int(i) => visitor.visit_f64(i as f64),
            Value::Float(f) => visitor.visit_f64(f),
            Value::Null => visitor.visit_f64(0.0),
            _ => Err(self.mismatch("float64")),
        }
        .map_err(|e| self.locate(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Str(s) => visitor.visit_str(s),
            Value::Null => visitor.visit_str(""),
            _ => Err(self.mismatch("string")),
        }
        .map_err(|e| self.locate(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.value {
            Value::Null => visitor.visit_none(),
            _ => {
                let pos = self.node.pos;
                visitor.visit_some(self).map_err(|mut e| {
                    e.pos.get_or_insert(pos);
                    e
                })
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit().map_err(|e| self.locate(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let pos = self.node.pos;
        visitor.visit_newtype_struct(self).map_err(|mut e| {
            e.pos.get_or_insert(pos);
            e
        })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Seq(items) => visitor.visit_seq(SeqDe {
                parent: &self,
                items: items.iter(),
                index: 0,
            }),
            Value::Null => visitor.visit_seq(SeqDe {
                parent: &self,
                items: [].iter(),
                index: 0,
            }),
            _ => Err(self.mismatch("array")),
        }
        .map_err(|e| self.locate(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map_like("object", visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map_like(name, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(self.mismatch("string")),
        }
        .map_err(|e| self.locate(e))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if let Some(pos) = self.key_pos {
            self.unknown.borrow_mut().push(UnknownField {
                path: self.path.clone(),
                pos,
            });
        }
        visitor.visit_unit()
    }
}

impl<'a> NodeDe<'a> {
    fn map_like<'de, V: Visitor<'de>>(
        self,
        go_type: &str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.value {
            Value::Map(entries) => visitor.visit_map(MapDe {
                parent: &self,
                entries: entries.iter(),
                value: None,
            }),
            Value::Null => visitor.visit_map(MapDe {
                parent: &self,
                entries: [].iter(),
                value: None,
            }),
            _ => Err(self.mismatch(go_type)),
        }
        .map_err(|e| self.locate(e))
    }
}

struct SeqDe<'p, 'a> {
    parent: &'p NodeDe<'a>,
    items: std::slice::Iter<'a, Node>,
    index: usize,
}

impl<'de, 'p, 'a> de::SeqAccess<'de> for SeqDe<'p, 'a> {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let path = format!("{}[{}]", self.parent.path, self.index);
        self.index += 1;
        seed.deserialize(self.parent.child(item, path, None))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'p, 'a> {
    parent: &'p NodeDe<'a>,
    entries: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a (Node, Node)>,
}

impl<'de, 'p, 'a> de::MapAccess<'de> for MapDe<'p, 'a> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        let key = entry.0.as_str().unwrap_or_default();
        seed.deserialize(de::value::StrDeserializer::<DeError>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("value requested before key"));
        };
        let path = join(&self.parent.path, key.as_str().unwrap_or_default());
        seed.deserialize(self.parent.child(value, path, Some(key.pos)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::yaml::parse_documents;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, Default)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Port {
        #[serde(default)]
        port: i32,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Deserialize, Debug, Default)]
    #[allow(dead_code)]
    struct Spec {
        #[serde(default)]
        ports: Vec<Port>,
    }

    fn root(text: &str) -> Node {
        parse_documents(text).unwrap()[0]
            .root
            .clone()
            .unwrap()
            .unwrap()
    }

    #[test]
    fn type_mismatch_points_at_the_value() {
        let node = root("ports:\n- port: eighty\n");
        let err = from_node::<Spec>(&node, "spec").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, col: 9 }));
        assert_eq!(
            err.message,
            "json: cannot unmarshal string into Go struct field .spec.ports[0].port of type int32"
        );
    }

    #[test]
    fn unknown_fields_point_at_the_key() {
        let node = root("ports:\n- port: 80\n  nmae: http\n");
        let (_, unknown) = from_node::<Spec>(&node, "spec").unwrap();
        assert_eq!(
            unknown,
            vec![UnknownField {
                path: "spec.ports[0].nmae".into(),
                pos: Pos { line: 3, col: 3 }
            }]
        );
    }

    #[test]
    fn out_of_range_integers_are_refused() {
        let node = root("ports:\n- port: 99999999999\n");
        let err = from_node::<Spec>(&node, "spec").unwrap_err();
        assert!(
            err.message.contains("number 99999999999"),
            "{}",
            err.message
        );
    }
}
