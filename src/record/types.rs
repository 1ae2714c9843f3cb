//! The delivery record (formats.md §1) and how a parsed value becomes one of its fields: one setter, the
//! same for every parser, so that every parser accepts and rejects the same values.

use std::borrow::Cow;

use super::fields::Field;
use crate::domain::time::parse_timestamp_ms;

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

/// A scalar as a parser found it. Booleans, objects and arrays are no field's value: each parser declines
/// or reports them itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Null,
}

/// A count or code from a JSON number: non-negative and in range, else absent.
fn to_u32(v: Option<f64>) -> Option<u32> {
    v.filter(|x| x.is_finite() && *x >= 0.0 && *x <= u32::MAX as f64)
        .map(|x| x as u32)
}

/// A duration from a JSON number, when it is one.
fn to_i64(v: Option<f64>) -> Option<i64> {
    v.filter(|x| x.is_finite() && x.abs() < 9.0e15)
        .map(|x| x as i64)
}

/// Text, or null.
fn text(v: Value<'_>) -> Result<Option<Cow<'_, str>>, String> {
    match v {
        Value::Str(s) => Ok(Some(s)),
        Value::Null => Ok(None),
        Value::Num(n) => Err(format!("expected a string, found the number {n}")),
    }
}

/// A number, a numeric string (`"0.00645"`, `"310"`; blank = absent), or null.
fn number(v: Value<'_>) -> Result<Option<f64>, String> {
    match v {
        Value::Num(n) => Ok(Some(n)),
        Value::Null => Ok(None),
        Value::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .map(Some)
                .map_err(|_| format!("not a number: {s:?}"))
        }
    }
}

impl<'a> Record<'a> {
    /// Sets `field` from a parsed value; `Err` says what is wrong with the value.
    #[inline]
    pub fn set(&mut self, field: Field, v: Value<'a>) -> Result<(), String> {
        match field {
            Field::MessageId => self.message_id = text(v)?,
            Field::ProviderResponse => self.provider_response = text(v)?,
            Field::Destination => self.destination = text(v)?,
            Field::Carrier => self.carrier = text(v)?,
            Field::SmsType => self.sms_type = text(v)?,
            Field::Mcc => self.mcc = to_u32(number(v)?),
            Field::Mnc => self.mnc = to_u32(number(v)?),
            Field::Price => self.price_usd = number(v)?.filter(|p| p.is_finite()),
            Field::Parts => self.parts = to_u32(number(v)?),
            Field::Dwell => self.dwell_ms = to_i64(number(v)?),
            Field::DwellAck => self.dwell_ack_ms = to_i64(number(v)?),
            Field::Timestamp => {
                if let Some(s) = text(v)? {
                    let t = parse_timestamp_ms(&s).ok_or_else(|| {
                        format!("notification.timestamp {s:?} is not a timestamp")
                    })?;
                    self.time_ms = Some(t);
                }
            }
            Field::Status => {
                if let Some(s) = text(v)? {
                    let st = Status::parse(&s)
                        .ok_or_else(|| format!("status {s:?} is neither SUCCESS nor FAILURE"))?;
                    self.status = Some(st);
                }
            }
        }
        Ok(())
    }
}
