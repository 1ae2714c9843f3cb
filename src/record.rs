//! The SNS SMS delivery-status record (formats.md §1), parsed straight from JSON text.
//!
//! Hand-written serde visitors instead of derive: strings are borrowed from the input when they have no
//! escapes, numbers may arrive as strings, unknown keys are counted rather than silently dropped, and there
//! is no intermediate `serde_json::Value`. This is the hot path of every ingest.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::timefmt::parse_timestamp_ms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Success,
    Failure,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::Failure => "FAILURE",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        // SNS writes these two exactly; other spellings are rare.
        match s {
            "SUCCESS" => return Some(Status::Success),
            "FAILURE" => return Some(Status::Failure),
            _ => {}
        }
        if s.eq_ignore_ascii_case("SUCCESS") || s.eq_ignore_ascii_case("SUCCESSFUL") {
            Some(Status::Success)
        } else if s.eq_ignore_ascii_case("FAILURE") || s.eq_ignore_ascii_case("FAILED") {
            Some(Status::Failure)
        } else {
            None
        }
    }
}

/// One delivery record. Every `delivery.*` field is optional in real logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record<'a> {
    /// Event time (epoch ms, UTC) from `notification.timestamp`, if the record had one.
    pub time_ms: Option<i64>,
    pub message_id: Option<Cow<'a, str>>,
    pub status: Option<Status>,
    pub provider_response: Option<Cow<'a, str>>,
    pub sms_type: Option<Cow<'a, str>>,
    pub destination: Option<Cow<'a, str>>,
    pub mcc: Option<u32>,
    pub mnc: Option<u32>,
    pub carrier: Option<Cow<'a, str>>,
    pub price_usd: Option<f64>,
    pub parts: Option<u32>,
    pub dwell_ms: Option<i64>,
    pub dwell_ack_ms: Option<i64>,
    /// Keys present in the record that smslens does not model (e.g. `delivery.foo`).
    pub unknown_keys: Vec<Cow<'a, str>>,
}

/// Why a piece of text is not a usable record. The variants are the skip reasons users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid JSON: {0}")]
    BadJson(String),
    #[error("JSON but not a delivery record (no notification/delivery/status)")]
    NotARecord,
    #[error("field of the wrong type: {0}")]
    WrongType(String),
    #[error("no usable timestamp")]
    NoTimestamp,
}

impl RecordError {
    /// Stable short reason, the key of `skipped_by_reason`.
    pub fn reason(&self) -> &'static str {
        match self {
            RecordError::BadJson(_) => "invalid JSON",
            RecordError::NotARecord => "not a delivery record",
            RecordError::WrongType(_) => "wrong field type",
            RecordError::NoTimestamp => "no timestamp",
        }
    }
}

/// Parses one record from JSON text: the fast scanner for the common case, serde for everything else.
pub fn parse_record(text: &str) -> Result<Record<'_>, RecordError> {
    match crate::record_fast::parse_fast(text) {
        Some(r) => Ok(r),
        None => parse_record_full(text),
    }
}

/// The full parser (serde): every valid shape, and the error messages.
pub fn parse_record_full(text: &str) -> Result<Record<'_>, RecordError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let rec = match RecordSeed.deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => return Err(classify_json_error(e)),
    };
    if let Err(e) = de.end() {
        return Err(RecordError::BadJson(e.to_string()));
    }
    rec.map_err(|_| RecordError::NotARecord)
}

fn classify_json_error(e: serde_json::Error) -> RecordError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => RecordError::WrongType(e.to_string()),
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

/// A string or null.
struct OptStr<'a>(Option<Cow<'a, str>>);

impl<'de> de::Deserialize<'de> for OptStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(OptStr(Option::<Str<'de>>::deserialize(d)?.map(|s| s.0)))
    }
}

/// A number that may arrive as a JSON number or a numeric string (`"0.00645"`, `"310"`), or null.
struct Num(Option<f64>);

impl<'de> de::Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                let t = v.trim();
                if t.is_empty() {
                    return Ok(Num(None));
                }
                t.parse::<f64>()
                    .map(|x| Num(Some(x)))
                    .map_err(|_| E::custom(format!("not a number: {v:?}")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Num, D2::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// A count or code from a JSON number: non-negative and in range, else absent.
pub(crate) fn to_u32(v: Option<f64>) -> Option<u32> {
    v.filter(|x| x.is_finite() && *x >= 0.0 && *x <= u32::MAX as f64)
        .map(|x| x as u32)
}

/// A duration from a JSON number, when it is one.
pub(crate) fn to_i64(v: Option<f64>) -> Option<i64> {
    v.filter(|x| x.is_finite() && x.abs() < 9.0e15)
        .map(|x| x as i64)
}

/// Seed for the top level. `Err(())` inside `Ok` means "valid JSON object, but not a record".
struct RecordSeed;

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Result<Record<'de>, ()>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TopVisitor)
    }
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Result<Record<'de>, ()>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a delivery record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rec = Record::default();
        let mut seen_record_key = false;
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match key.as_ref() {
                "notification" => {
                    seen_record_key = true;
                    map.next_value_seed(NotificationSeed(&mut rec))?;
                }
                "delivery" => {
                    seen_record_key = true;
                    map.next_value_seed(DeliverySeed(&mut rec))?;
                }
                "status" => {
                    seen_record_key = true;
                    let OptStr(s) = map.next_value::<OptStr<'de>>()?;
                    if let Some(s) = s {
                        rec.status = Some(Status::parse(&s).ok_or_else(|| {
                            de::Error::custom(format!(
                                "status {s:?} is neither SUCCESS nor FAILURE"
                            ))
                        })?);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    rec.unknown_keys.push(key);
                }
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

struct NotificationSeed<'r, 'de>(&'r mut Record<'de>);

impl<'de> DeserializeSeed<'de> for NotificationSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for NotificationSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the notification object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let rec = self.0;
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match key.as_ref() {
                "messageId" => rec.message_id = map.next_value::<OptStr<'de>>()?.0,
                "timestamp" => {
                    let OptStr(s) = map.next_value::<OptStr<'de>>()?;
                    if let Some(s) = s {
                        rec.time_ms = Some(parse_timestamp_ms(&s).ok_or_else(|| {
                            de::Error::custom(format!(
                                "notification.timestamp {s:?} is not a timestamp"
                            ))
                        })?);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    rec.unknown_keys
                        .push(Cow::Owned(format!("notification.{key}")));
                }
            }
        }
        Ok(())
    }
}

struct DeliverySeed<'r, 'de>(&'r mut Record<'de>);

impl<'de> DeserializeSeed<'de> for DeliverySeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DeliverySeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the delivery object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let rec = self.0;
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            match key.as_ref() {
                "providerResponse" => rec.provider_response = map.next_value::<OptStr<'de>>()?.0,
                "destination" => rec.destination = map.next_value::<OptStr<'de>>()?.0,
                "phoneCarrier" => rec.carrier = map.next_value::<OptStr<'de>>()?.0,
                "smsType" => rec.sms_type = map.next_value::<OptStr<'de>>()?.0,
                "mcc" => rec.mcc = to_u32(map.next_value::<Num>()?.0),
                "mnc" => rec.mnc = to_u32(map.next_value::<Num>()?.0),
                "priceInUSD" => {
                    rec.price_usd = map.next_value::<Num>()?.0.filter(|p| p.is_finite())
                }
                "numberOfMessageParts" => rec.parts = to_u32(map.next_value::<Num>()?.0),
                "dwellTimeMs" => rec.dwell_ms = to_i64(map.next_value::<Num>()?.0),
                "dwellTimeMsUntilDeviceAck" => {
                    rec.dwell_ack_ms = to_i64(map.next_value::<Num>()?.0)
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    rec.unknown_keys.push(Cow::Owned(format!("delivery.{key}")));
                }
            }
        }
        Ok(())
    }
}

/// Builds a record from flattened `name = value` pairs (Logs Insights columns such as
/// `delivery.providerResponse`, or aliases such as `providerResponse`). Values are strings, as Insights gives.
/// Unknown column names are returned in `unknown_keys`; `@timestamp`-style fallbacks are the caller's.
pub fn record_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Record<'a>, RecordError> {
    let mut rec = Record::default();
    let mut any = false;
    for (name, value) in fields {
        let short = name.rsplit('.').next().unwrap_or(name);
        let v = value.trim();
        let text = || {
            if v.is_empty() {
                None
            } else {
                Some(Cow::Borrowed(v))
            }
        };
        let num = |what: &str| -> Result<Option<f64>, RecordError> {
            if v.is_empty() {
                Ok(None)
            } else {
                v.parse::<f64>()
                    .map(Some)
                    .map_err(|_| RecordError::WrongType(format!("{what} {v:?} is not a number")))
            }
        };
        match short.to_ascii_lowercase().as_str() {
            "messageid" => rec.message_id = text(),
            "timestamp" if name.starts_with("notification") => {
                if !v.is_empty() {
                    rec.time_ms = Some(
                        parse_timestamp_ms(v)
                            .ok_or_else(|| RecordError::WrongType(format!("timestamp {v:?}")))?,
                    );
                }
            }
            "status" => {
                if !v.is_empty() {
                    rec.status = Some(
                        Status::parse(v)
                            .ok_or_else(|| RecordError::WrongType(format!("status {v:?}")))?,
                    );
                }
            }
            "providerresponse" => rec.provider_response = text(),
            "destination" => rec.destination = text(),
            "phonecarrier" => rec.carrier = text(),
            "smstype" => rec.sms_type = text(),
            "mcc" => rec.mcc = to_u32(num("mcc")?),
            "mnc" => rec.mnc = to_u32(num("mnc")?),
            "priceinusd" => rec.price_usd = num("priceInUSD")?,
            "numberofmessageparts" => rec.parts = to_u32(num("numberOfMessageParts")?),
            "dwelltimems" => rec.dwell_ms = to_i64(num("dwellTimeMs")?),
            "dwelltimemsuntildeviceack" => {
                rec.dwell_ack_ms = to_i64(num("dwellTimeMsUntilDeviceAck")?)
            }
            _ => {
                if !name.starts_with('@') {
                    rec.unknown_keys.push(Cow::Borrowed(name));
                }
                continue;
            }
        }
        any = true;
    }
    if any {
        Ok(rec)
    } else {
        Err(RecordError::NotARecord)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (r.mcc, r.mnc, r.price_usd),
            (Some(404), Some(31), Some(0.00223))
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
