//! The serialized field names of a struct, read from its `Deserialize` impl.
//!
//! Lets the parser tell known from unknown fields without a second hand-kept list
//! that could drift from the types.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// Field names (as they appear in JSON) of a struct deriving `Deserialize`.
pub(crate) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = None;
    let _ = T::deserialize(FieldGrabber {
        fields: &mut fields,
    });
    fields.unwrap_or(&[])
}

struct FieldGrabber<'a> {
    fields: &'a mut Option<&'static [&'static str]>,
}

impl<'de> Deserializer<'de> for FieldGrabber<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.fields = Some(fields);
        Err(de::Error::custom("fields read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::Message;

    #[test]
    fn reads_renamed_fields() {
        let fields = field_names::<Message>();
        assert!(fields.contains(&"userId"));
        assert!(fields.contains(&"type"));
        assert!(!fields.contains(&"user_id"));
    }
}
