//! One JSON text, whatever it holds: a delivery record of any dialect (the fast path first), a Cognito error
//! log, or an envelope around another text (an EventBridge event, an SNS notification), which says where it
//! was logged.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::value::RawValue;

use super::cognito::{self, CognitoError};
use super::types::{Record, RecordError};
use super::{fast, full};
use crate::domain::aws::region_and_account;
use crate::domain::time::parse_timestamp_ms;

/// What a JSON text is.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one a line, moved once: boxing would allocate for every record
pub enum Parsed<'a> {
    Record(Record<'a>),
    Cognito(CognitoError),
    /// An envelope: the text inside it, and where and when the envelope says it was logged.
    Wrapped(Wrapped<'a>),
}

#[derive(Debug)]
pub struct Wrapped<'a> {
    pub inner: Cow<'a, str>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub time_ms: Option<i64>,
}

/// Parses `text`.
pub fn parse_any(text: &str) -> Result<Parsed<'_>, RecordError> {
    if let Some(r) = fast::parse_fast(text) {
        return Ok(Parsed::Record(r));
    }
    // Not the common record line: look at the top-level keys first, values unparsed.
    let Ok(top) = serde_json::from_str::<BTreeMap<Cow<'_, str>, &RawValue>>(text) else {
        return full::parse_record_full(text).map(Parsed::Record);
    };
    let string = |k: &str| {
        top.get(k)
            .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
    };
    if let (Some(detail), true) = (top.get("detail"), top.contains_key("detail-type")) {
        // EventBridge (formats.md §7.1): `region`, `account`, `time` beside the event in `detail`.
        return Ok(Parsed::Wrapped(Wrapped {
            inner: Cow::Borrowed(detail.get()),
            region: string("region"),
            account: string("account"),
            time_ms: string("time").and_then(|t| parse_timestamp_ms(&t)),
        }));
    }
    if string("Type").as_deref() == Some("Notification") {
        if let Some(message) = string("Message") {
            // An SNS topic's notification (saved from SQS or an HTTP or e-mail subscriber): the event
            // as a JSON string, the topic's ARN naming region and account.
            let arn = string("TopicArn").unwrap_or_default();
            let (region, account) = region_and_account(&arn);
            return Ok(Parsed::Wrapped(Wrapped {
                inner: Cow::Owned(message),
                region: region.map(str::to_owned),
                account: account.map(str::to_owned),
                time_ms: string("Timestamp").and_then(|t| parse_timestamp_ms(&t)),
            }));
        }
    }
    if string("eventSource").is_some_and(|s| s.eq_ignore_ascii_case("USER_NOTIFICATION")) {
        if let Some(e) = cognito::parse(text) {
            return Ok(Parsed::Cognito(e));
        }
    }
    full::parse_record_full(text).map(Parsed::Record)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"eventType":"TEXT_DELIVERED","eventVersion":"1.0","eventTimestamp":1686975103470,"isFinal":true,"originationPhoneNumber":"+12065550152","destinationPhoneNumber":"+14255550156","isInternationalSend":false,"isoCountryCode":"US","mcc":"310","mnc":"800","carrierName":"T-Mobile USA Inc.","messageId":"862a8790-60c0-4430-9b2b-658bdexample","messageRequestTimestamp":1686975103170,"messageEncoding":"GSM","messageType":"TRANSACTIONAL","messageStatus":"DELIVERED","messageStatusDescription":"Message has been accepted by phone carrier","context":{"account":"bar"},"totalMessageParts":1,"totalMessagePrice":0.09582,"totalCarrierFee":0.0}"#;

    #[test]
    fn an_end_user_messaging_event_takes_the_fast_path() {
        let r = fast::parse_fast(EVENT).expect("the fast path reads it");
        assert_eq!(r.event_type.as_deref(), Some("TEXT_DELIVERED"));
        assert_eq!(r.is_final, Some(true));
        assert_eq!(r.mnc.as_deref(), Some("800"));
        assert_eq!(r.time_ms, Some(1_686_975_103_170));
        assert_eq!(r.cost_usd(), Some(0.09582));
        assert!(r.unknown_keys.is_empty(), "{:?}", r.unknown_keys);
        assert_eq!(Some(r), full::parse_record_full(EVENT).ok());
    }

    #[test]
    fn envelopes_say_where_the_event_was_logged() {
        let eb = format!(
            r#"{{"version":"0","id":"e1","detail-type":"Text Message Delivery Status Updated","source":"aws.sms-voice","account":"111122223333","time":"2025-10-01T18:20:41Z","region":"us-east-1","resources":[],"detail":{EVENT}}}"#
        );
        let Ok(Parsed::Wrapped(w)) = parse_any(&eb) else {
            panic!("an EventBridge envelope")
        };
        assert_eq!(
            (w.region.as_deref(), w.account.as_deref()),
            (Some("us-east-1"), Some("111122223333"))
        );
        assert!(matches!(parse_any(&w.inner), Ok(Parsed::Record(_))));
        let sns = serde_json::json!({"Type": "Notification", "MessageId": "m", "TopicArn":
            "arn:aws:sns:eu-west-1:444455556666:sms-events", "Message": EVENT,
            "Timestamp": "2025-10-01T18:20:41.000Z"})
        .to_string();
        let Ok(Parsed::Wrapped(w)) = parse_any(&sns) else {
            panic!("an SNS notification")
        };
        assert_eq!(w.region.as_deref(), Some("eu-west-1"));
        assert_eq!(w.inner, EVENT);
    }
}
