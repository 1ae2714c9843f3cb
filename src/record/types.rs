//! The delivery record (formats.md §1, §7) and how a parsed value becomes one of its fields: one setter, the
//! same for every parser and dialect, so that every parser accepts and rejects the same values.

use std::borrow::Cow;

use super::fields::Field;
use crate::domain::time::{epoch_to_ms, parse_timestamp_ms};

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

/// Which kind of source a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SourceKind {
    /// SNS SMS delivery-status logs (formats.md §1).
    #[default]
    SnsDeliveryLog,
    /// End User Messaging SMS events (§7.1): several events per message.
    EndUserMessaging,
    /// The legacy Pinpoint SMS event stream (§7.2).
    Pinpoint,
    /// SNS daily usage reports (§7.3).
    UsageReport,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [
        SourceKind::SnsDeliveryLog,
        SourceKind::EndUserMessaging,
        SourceKind::Pinpoint,
        SourceKind::UsageReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::SnsDeliveryLog => "sns-delivery-log",
            SourceKind::EndUserMessaging => "end-user-messaging",
            SourceKind::Pinpoint => "pinpoint",
            SourceKind::UsageReport => "sns-usage-report",
        }
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(c: u32) -> SourceKind {
        Self::ALL.get(c as usize).copied().unwrap_or_default()
    }

    /// The source kind whose id (`as_str`) is `id`; None for one this build does not know.
    pub fn from_id(id: &str) -> Option<SourceKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == id)
    }

    /// Sources that write several events per message (counted once, by its final event).
    pub fn is_event_stream(self) -> bool {
        matches!(self, SourceKind::EndUserMessaging | SourceKind::Pinpoint)
    }
}

/// One delivery record (or, for event streams, one event of a message). Every field but the outcome is
/// optional in real logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record<'a> {
    pub source: SourceKind,
    /// When the text was sent (epoch ms, UTC): SNS `notification.timestamp`, `messageRequestTimestamp`.
    pub time_ms: Option<i64>,
    /// When the event happened, for event streams (`eventTimestamp`, `event_timestamp`).
    pub event_time_ms: Option<i64>,
    pub message_id: Option<Cow<'a, str>>,
    /// SNS `status`.
    pub status: Option<Status>,
    /// End User Messaging `messageStatus` / Pinpoint `record_status`.
    pub status_word: Option<Cow<'a, str>>,
    /// End User Messaging `eventType`.
    pub event_type: Option<Cow<'a, str>>,
    /// Pinpoint `event_type`.
    pub pinpoint_event: Option<Cow<'a, str>>,
    pub is_final: Option<bool>,
    pub provider_response: Option<Cow<'a, str>>,
    pub sms_type: Option<Cow<'a, str>>,
    pub destination: Option<Cow<'a, str>>,
    /// The origination identity: a phone number, short code or sender ID.
    pub origination: Option<Cow<'a, str>>,
    /// MCC and MNC as written (End User Messaging keeps leading zeros: `"05"`).
    pub mcc: Option<Cow<'a, str>>,
    pub mnc: Option<Cow<'a, str>>,
    /// ISO 3166 code the source gives (`isoCountryCode`).
    pub iso_country: Option<Cow<'a, str>>,
    pub carrier: Option<Cow<'a, str>>,
    pub price_usd: Option<f64>,
    /// End User Messaging's carrier fee, paid on top of the price.
    pub carrier_fee_usd: Option<f64>,
    pub parts: Option<u32>,
    pub dwell_ms: Option<i64>,
    pub dwell_ack_ms: Option<i64>,
    pub protect_status: Option<Cow<'a, str>>,
    pub region: Option<Cow<'a, str>>,
    pub account: Option<Cow<'a, str>>,
    /// Keys present in the record that smslens does not model (e.g. `delivery.foo`).
    pub unknown_keys: Vec<Cow<'a, str>>,
}

impl Record<'_> {
    /// The MCC's value (0 = unknown network, as SNS writes it).
    pub fn mcc_value(&self) -> Option<u32> {
        self.mcc.as_deref().and_then(|m| m.parse().ok())
    }

    /// What the text cost: price plus carrier fee (End User Messaging bills them apart).
    pub fn cost_usd(&self) -> Option<f64> {
        match (self.price_usd, self.carrier_fee_usd) {
            (Some(p), Some(f)) => Some(p + f),
            (p, f) => p.or(f),
        }
    }
}

/// Why a piece of text is not a usable record. The variants are the skip reasons users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid JSON: {0}")]
    BadJson(String),
    #[error(
        "JSON but not a delivery record (no notification/delivery/status, eventType or event_type)"
    )]
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

/// A scalar as a parser found it; objects and arrays are no field's value (each parser declines or
/// reports them itself).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    /// A number, with its text when the parser has it (so that codes keep their spelling).
    Num(f64, Option<&'a str>),
    Bool(bool),
    Null,
}

/// Text, or null.
#[inline(always)]
fn text(v: Value<'_>) -> Result<Option<Cow<'_, str>>, FieldError> {
    match v {
        Value::Str(s) => Ok(Some(s)),
        Value::Null => Ok(None),
        Value::Num(n, _) => Err(FieldError::WrongType(format!(
            "expected a string, found the number {n}"
        ))),
        Value::Bool(b) => Err(FieldError::WrongType(format!(
            "expected a string, found {b}"
        ))),
    }
}

/// A number, a numeric string (`"0.00645"`, `"310"`; blank = absent), or null. Not-a-number and
/// infinities (`"NaN"`, `1e400`) are out of range, not zero.
#[inline(always)]
fn number(v: Value<'_>) -> Result<Option<f64>, FieldError> {
    let n = match v {
        Value::Num(n, _) => n,
        Value::Null => return Ok(None),
        Value::Bool(b) => {
            return Err(FieldError::WrongType(format!(
                "expected a number, found {b}"
            )))
        }
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

/// A network code (MCC, MNC): up to three digits, kept as written (`"05"` is not `"5"`); a JSON number
/// keeps its text when the parser has it.
#[inline(always)]
fn code(v: Value<'_>) -> Result<Option<Cow<'_, str>>, FieldError> {
    let digits = |t: &str| !t.is_empty() && t.len() <= 3 && t.bytes().all(|c| c.is_ascii_digit());
    match v {
        Value::Num(_, Some(t)) if digits(t) => Ok(Some(Cow::Borrowed(t))),
        // As the events write them ("310"): no trimming to do.
        Value::Str(s) if digits(&s) => Ok(Some(s)),
        Value::Str(s) if digits(s.trim()) => Ok(Some(match s {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
            Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
        })),
        v => Ok(within(number(v)?, 0.0, 999.0)?.map(|x| Cow::Owned((x as u32).to_string()))),
    }
}

/// A flag: a JSON boolean, or `"true"`/`"false"`.
#[inline(always)]
fn flag(v: Value<'_>) -> Result<Option<bool>, FieldError> {
    match v {
        Value::Bool(b) => Ok(Some(b)),
        Value::Null => Ok(None),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(FieldError::WrongType(format!(
            "expected true or false, found {other:?}"
        ))),
    }
}

/// A time: a timestamp string, or epoch seconds or milliseconds (as a number or a numeric string).
#[inline(always)]
fn time(v: Value<'_>) -> Result<Option<i64>, FieldError> {
    match v {
        Value::Null => Ok(None),
        Value::Str(s) if s.trim().is_empty() => Ok(None),
        Value::Str(s) => parse_timestamp_ms(&s)
            .or_else(|| s.trim().parse::<f64>().ok().and_then(epoch_to_ms))
            .map(Some)
            .ok_or_else(|| FieldError::WrongType(format!("{s:?} is not a timestamp"))),
        Value::Num(n, _) => epoch_to_ms(n)
            .map(Some)
            .ok_or_else(|| FieldError::OutOfRange(format!("{n} is not a time"))),
        Value::Bool(b) => Err(FieldError::WrongType(format!("expected a time, found {b}"))),
    }
}

impl<'a> Record<'a> {
    /// Sets `field` from a parsed value; `Err` says what is wrong with the value.
    #[inline(always)]
    pub fn set(&mut self, field: Field, v: Value<'a>) -> Result<(), FieldError> {
        match field {
            Field::MessageId => self.message_id = text(v)?,
            Field::ProviderResponse => self.provider_response = text(v)?,
            Field::Destination => self.destination = text(v)?,
            Field::Origination => self.origination = text(v)?,
            Field::Carrier => self.carrier = text(v)?,
            Field::SmsType => self.sms_type = text(v)?,
            Field::IsoCountry => self.iso_country = text(v)?,
            Field::ProtectStatus => self.protect_status = text(v)?,
            Field::Account => self.account = text(v)?,
            Field::StatusWord => self.status_word = text(v)?,
            Field::EventType => {
                self.event_type = text(v)?;
                self.source = SourceKind::EndUserMessaging;
            }
            Field::PinpointEvent => {
                self.pinpoint_event = text(v)?;
                self.source = SourceKind::Pinpoint;
            }
            Field::IsFinal => self.is_final = flag(v)?,
            // MCC and MNC are three digits (ITU E.212); a message has at most a few dozen parts.
            Field::Mcc => self.mcc = code(v)?,
            Field::Mnc => self.mnc = code(v)?,
            Field::Parts => self.parts = count(v, 1000.0)?,
            Field::Price => self.price_usd = within(number(v)?, 0.0, MAX_PRICE_USD)?,
            Field::PriceMillicents => {
                let mc = within(number(v)?, 0.0, MAX_PRICE_USD * 100_000.0)?;
                self.price_usd = mc.map(|m| m / 100_000.0);
            }
            Field::CarrierFee => self.carrier_fee_usd = within(number(v)?, 0.0, MAX_PRICE_USD)?,
            Field::Dwell => self.dwell_ms = duration(v)?,
            Field::DwellAck => self.dwell_ack_ms = duration(v)?,
            Field::Timestamp => self.time_ms = time(v)?,
            Field::EventTime => self.event_time_ms = time(v)?,
            Field::Status => {
                if let Some(s) = text(v)? {
                    let st = Status::parse(&s).ok_or_else(|| {
                        FieldError::WrongType(format!("{s:?} is neither SUCCESS nor FAILURE"))
                    })?;
                    self.status = Some(st);
                }
            }
            Field::Ignored => {}
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
