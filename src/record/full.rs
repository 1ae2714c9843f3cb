//! The full parser: every valid shape of the record, and the error messages. Hand-written serde visitors
//! instead of derive: strings are borrowed from the input when they have no escapes, unknown keys are
//! counted rather than silently dropped, there is no intermediate `serde_json::Value`, and every key goes
//! through the field table ([`super::fields`]) and the one setter ([`Record::set`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::fields::{field, Field, Object};
use super::types::{FieldError, Record, RecordError, Value};

/// Parses one record with serde: every valid shape, and the error messages.
pub fn parse_record_full(text: &str) -> Result<Record<'_>, RecordError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut out_of_range = None;
    let rec = match RecordSeed(&mut out_of_range).deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => return Err(classify_json_error(e)),
    };
    if let Err(e) = de.end() {
        return Err(RecordError::BadJson(e.to_string()));
    }
    let rec = rec.map_err(|_| RecordError::NotARecord)?;
    match out_of_range {
        Some(e) => Err(e),
        None => Ok(rec),
    }
}

fn classify_json_error(e: serde_json::Error) -> RecordError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => RecordError::WrongType(e.to_string()),
        // `1e400`: serde_json reads it as a syntax error, but the value is what is wrong.
        _ if e.to_string().starts_with("number out of range") => {
            RecordError::OutOfRange(e.to_string())
        }
        _ => RecordError::BadJson(e.to_string()),
    }
}

/// Borrowed when possible, owned when the JSON string had escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A field's value: a string, a number or null (anything else is the wrong type for every field).
struct Scalar<'a>(Value<'a>);

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, a number or null")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Str(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Str(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Str(Cow::Owned(v))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Num(v as f64, None)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Num(v as f64, None)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Num(v, None)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Bool(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar(Value::Null))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads the value of a modelled key into `rec`. A value of the wrong type ends the parse; one out of range
/// is kept in `out_of_range` (the first one) and the parse goes on, so that the record is rejected for it.
fn set_from<'de, A: MapAccess<'de>>(
    map: &mut A,
    rec: &mut Record<'de>,
    out_of_range: &mut Option<RecordError>,
    f: Field,
    object: Object,
    key: &str,
) -> Result<(), A::Error> {
    let Scalar(v) = map.next_value::<Scalar<'de>>()?;
    match rec.set(f, v) {
        Ok(()) => Ok(()),
        Err(e @ FieldError::OutOfRange(_)) => {
            out_of_range.get_or_insert_with(|| e.into_record_error(&object.qualified(key)));
            Ok(())
        }
        Err(FieldError::WrongType(m)) => {
            Err(de::Error::custom(format!("{}: {m}", object.qualified(key))))
        }
    }
}

/// Seed for the top level. `Err(())` inside `Ok` means "valid JSON object, but not a record".
struct RecordSeed<'s>(&'s mut Option<RecordError>);

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Result<Record<'de>, ()>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TopVisitor(self.0))
    }
}

struct TopVisitor<'s>(&'s mut Option<RecordError>);

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = Result<Record<'de>, ()>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a delivery record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rec = Record::default();
        let mut seen_record_key = false;
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            if let Some(object) = Object::named(&key) {
                seen_record_key |= object.marks_record();
                map.next_value_seed(ObjectSeed(&mut rec, &mut *self.0, object))?;
            } else if let Some(Field::Ignored) = field(Object::Top, &key) {
                map.next_value::<IgnoredAny>()?;
            } else if let Some(f) = field(Object::Top, &key) {
                seen_record_key |= f.marks_record();
                set_from(&mut map, &mut rec, self.0, f, Object::Top, &key)?;
            } else {
                map.next_value::<IgnoredAny>()?;
                rec.unknown_keys.push(key);
            }
        }
        Ok(if seen_record_key { Ok(rec) } else { Err(()) })
    }

    // Any other JSON value (array, number, string) is valid JSON but not a record.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(()))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(()))
    }
}

/// `notification` or `delivery`.
struct ObjectSeed<'r, 'de>(&'r mut Record<'de>, &'r mut Option<RecordError>, Object);

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ObjectSeed(rec, out_of_range, object) = self;
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match field(object, &key) {
                Some(Field::Ignored) => {
                    map.next_value::<IgnoredAny>()?;
                }
                Some(f) => set_from(&mut map, rec, out_of_range, f, object, &key)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                    rec.unknown_keys.push(Cow::Owned(object.qualified(&key)));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{parse_record, Status};

    #[test]
    fn minimal_quota_failure() {
        let r = parse_record(r#"{"notification":{"messageId":"8c1de487-da4b-5c67-9d2a-b95f017e32b3","timestamp":"2023-11-23 04:45:41.264"},"delivery":{"destination":"+6580000000","smsType":"Transactional","providerResponse":"No quota left for account","dwellTimeMs":118},"status":"FAILURE"}"#).unwrap();
        assert_eq!(r.status, Some(Status::Failure));
        assert_eq!(
            r.provider_response.as_deref(),
            Some("No quota left for account")
        );
        assert_eq!(r.price_usd, None);
        assert_eq!(r.carrier, None);
        assert_eq!(r.dwell_ms, Some(118));
        assert!(matches!(r.destination, Some(Cow::Borrowed(_))));
    }

    #[test]
    fn numbers_as_strings_and_unknown_keys() {
        let r = parse_record(r#"{"notification":{"timestamp":"2019-08-14 16:59:01.3"},"delivery":{"mcc":"404","mnc":"31","priceInUSD":"0.00223","extra":{"a":[1]}},"status":"SUCCESS","x":1}"#).unwrap();
        assert_eq!(
            (r.mcc.as_deref(), r.mnc.as_deref(), r.price_usd),
            (Some("404"), Some("31"), Some(0.00223))
        );
        assert_eq!(
            r.unknown_keys,
            vec![Cow::Borrowed("delivery.extra"), Cow::Borrowed("x")]
        );
    }

    #[test]
    fn errors_are_told_apart() {
        assert!(matches!(
            parse_record("{not json"),
            Err(RecordError::BadJson(_))
        ));
        assert!(matches!(
            parse_record(r#"{"hello":1}"#),
            Err(RecordError::NotARecord)
        ));
        assert!(matches!(
            parse_record(r#"[1,2]"#),
            Err(RecordError::NotARecord)
        ));
        assert!(matches!(
            parse_record(r#"{"status":5}"#),
            Err(RecordError::WrongType(_))
        ));
        assert!(matches!(
            parse_record(r#"{"notification":{"timestamp":"yesterday"},"status":"SUCCESS"}"#),
            Err(RecordError::WrongType(_))
        ));
        assert!(matches!(
            parse_record(r#"{"status":"SUCCESS"} trailing"#),
            Err(RecordError::BadJson(_))
        ));
    }

    #[test]
    fn escaped_strings_are_owned() {
        let r = parse_record(r#"{"delivery":{"phoneCarrier":"AT\u0026T"},"status":"SUCCESS"}"#)
            .unwrap();
        assert_eq!(r.carrier.as_deref(), Some("AT&T"));
    }
}
