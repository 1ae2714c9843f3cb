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
    #[error("value out of range: {0}")]
    OutOfRange(String),
    #[error("no usable timestamp")]
    NoTimestamp,
}

/// Why a value cannot be a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    WrongType(String),
    /// The right type, but impossible (a negative price, an infinite one, a year 9999 timestamp).
    OutOfRange(String),
}

impl FieldError {
    pub fn into_record_error(self, field: &str) -> RecordError {
        match self {
            FieldError::WrongType(m) => RecordError::WrongType(format!("{field}: {m}")),
            FieldError::OutOfRange(m) => RecordError::OutOfRange(format!("{field}: {m}")),
        }
    }
}

/// Event times smslens accepts: 2000-01-01 to 2099-12-31 UTC. SMS delivery logs start in the 2010s; a
/// time outside is a damaged record, and would put months like `+10000-01` in every output.
pub const TIME_RANGE_MS: std::ops::Range<i64> = 946_684_800_000..4_102_444_800_000;

/// Highest price of one text, in USD (multi-part international texts cost a few dollars at most).
pub const MAX_PRICE_USD: f64 = 1000.0;

/// A scalar as a parser found it. Booleans, objects and arrays are no field's value: each parser declines
/// or reports them itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Null,
}

/// Text, or null.
#[inline(always)]
fn text(v: Value<'_>) -> Result<Option<Cow<'_, str>>, FieldError> {
    match v {
        Value::Str(s) => Ok(Some(s)),
        Value::Null => Ok(None),
        Value::Num(n) => Err(FieldError::WrongType(format!(
            "expected a string, found the number {n}"
        ))),
    }
}

/// A number, a numeric string (`"0.00645"`, `"310"`; blank = absent), or null. Not-a-number and
/// infinities (`"NaN"`, `1e400`) are out of range, not zero.
#[inline(always)]
fn number(v: Value<'_>) -> Result<Option<f64>, FieldError> {
    let n = match v {
        Value::Num(n) => n,
        Value::Null => return Ok(None),
        Value::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .map_err(|_| FieldError::WrongType(format!("not a number: {s:?}")))?
        }
    };
    if n.is_finite() {
        Ok(Some(n))
    } else {
        Err(FieldError::OutOfRange(format!(
            "{n} is not a finite number"
        )))
    }
}

/// A number within `lo..=hi`.
#[inline(always)]
fn within(v: Option<f64>, lo: f64, hi: f64) -> Result<Option<f64>, FieldError> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) => Err(FieldError::OutOfRange(format!(
            "{x} is outside {lo}..={hi}"
        ))),
        v => Ok(v),
    }
}

/// A code or count within `0..=hi`.
#[inline(always)]
fn count(v: Value<'_>, hi: f64) -> Result<Option<u32>, FieldError> {
    Ok(within(number(v)?, 0.0, hi)?.map(|x| x as u32))
}

/// A duration in ms: not negative, at most a year.
#[inline(always)]
fn duration(v: Value<'_>) -> Result<Option<i64>, FieldError> {
    Ok(within(number(v)?, 0.0, 365.0 * 86_400_000.0)?.map(|x| x as i64))
}

impl<'a> Record<'a> {
    /// Sets `field` from a parsed value; `Err` says what is wrong with the value.
    #[inline(always)]
    pub fn set(&mut self, field: Field, v: Value<'a>) -> Result<(), FieldError> {
        match field {
            Field::MessageId => self.message_id = text(v)?,
            Field::ProviderResponse => self.provider_response = text(v)?,
            Field::Destination => self.destination = text(v)?,
            Field::Carrier => self.carrier = text(v)?,
            Field::SmsType => self.sms_type = text(v)?,
            // MCC and MNC are three digits (ITU E.212); a message has at most a few dozen parts.
            Field::Mcc => self.mcc = count(v, 999.0)?,
            Field::Mnc => self.mnc = count(v, 999.0)?,
            Field::Parts => self.parts = count(v, 1000.0)?,
            Field::Price => self.price_usd = within(number(v)?, 0.0, MAX_PRICE_USD)?,
            Field::Dwell => self.dwell_ms = duration(v)?,
            Field::DwellAck => self.dwell_ack_ms = duration(v)?,
            Field::Timestamp => {
                if let Some(s) = text(v)? {
                    let t = parse_timestamp_ms(&s).ok_or_else(|| {
                        FieldError::WrongType(format!("{s:?} is not a timestamp"))
                    })?;
                    self.time_ms = Some(t);
                }
            }
            Field::Status => {
                if let Some(s) = text(v)? {
                    let st = Status::parse(&s).ok_or_else(|| {
                        FieldError::WrongType(format!("{s:?} is neither SUCCESS nor FAILURE"))
                    })?;
                    self.status = Some(st);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::record::{parse_record, RecordError};

    #[test]
    fn impossible_values_are_out_of_range_not_zero() {
        for bad in [
            r#""priceInUSD":1e400"#,
            r#""priceInUSD":"NaN""#,
            r#""priceInUSD":"inf""#,
            r#""priceInUSD":-1000"#,
            r#""priceInUSD":1e308"#,
            r#""mcc":-1"#,
            r#""mnc":4096"#,
            r#""numberOfMessageParts":1e9"#,
            r#""dwellTimeMs":-5"#,
        ] {
            let line = format!(
                r#"{{"notification":{{"timestamp":"2026-03-01 00:00:00.000"}},"delivery":{{{bad}}},"status":"SUCCESS"}}"#
            );
            assert!(
                matches!(parse_record(&line), Err(RecordError::OutOfRange(_))),
                "{bad}: {:?}",
                parse_record(&line)
            );
        }
        let fine = r#"{"delivery":{"priceInUSD":0.00645,"mcc":"310","mnc":0,"dwellTimeMs":0},"status":"SUCCESS"}"#;
        assert!(parse_record(fine).is_ok());
    }
}
