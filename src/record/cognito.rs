//! Cognito user-pool notification error logs (formats.md §7.4: `SetLogDeliveryConfiguration`,
//! `EventSource: userNotification`, `LogLevel: ERROR`): texts (and e-mails) Cognito could not hand to SNS or
//! End User Messaging at all, so no delivery record exists for them. AWS says the schema may change and
//! fields may be null: every field is optional.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::time::{epoch_to_ms, parse_timestamp_ms};

/// One error Cognito logged.
/// Serialized in a dataset's manifest (the export kept no row for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CognitoError {
    pub time_ms: Option<i64>,
    pub user_pool_id: Option<String>,
    pub log_level: Option<String>,
    /// What Cognito said (`message.details`, or the message itself when it is text).
    pub details: String,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "eventTimestamp")]
    event_timestamp: Option<Value>,
    #[serde(rename = "logLevel")]
    log_level: Option<Value>,
    message: Option<Value>,
    #[serde(rename = "logSourceId")]
    log_source_id: Option<Value>,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The error in `json` (a `USER_NOTIFICATION` event); `None` when it is not one.
pub fn parse(json: &str) -> Option<CognitoError> {
    let raw: Raw = serde_json::from_str(json).ok()?;
    let time_ms = raw.event_timestamp.as_ref().and_then(|v| match v {
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(epoch_to_ms)
            .or_else(|| parse_timestamp_ms(s)),
        Value::Number(n) => n.as_f64().and_then(epoch_to_ms),
        _ => None,
    });
    let details = match &raw.message {
        Some(Value::Object(m)) => m
            .get("details")
            .and_then(text)
            .unwrap_or_else(|| Value::Object(m.clone()).to_string()),
        Some(v) => text(v).unwrap_or_default(),
        None => String::new(),
    };
    Some(CognitoError {
        time_ms,
        user_pool_id: raw
            .log_source_id
            .as_ref()
            .and_then(|s| s.get("userPoolId"))
            .and_then(text),
        log_level: raw.log_level.as_ref().and_then(text),
        details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_and_its_variants() {
        let e = parse(r#"{"eventTimestamp":"1687297330677","eventSource":"USER_NOTIFICATION","logLevel":"ERROR","message":{"details":"SNS configuration error: Rate exceeded"},"logSourceId":{"userPoolId":"us-east-1_EXAMPLE"}}"#).unwrap();
        assert_eq!(e.time_ms, Some(1_687_297_330_677));
        assert_eq!(e.user_pool_id.as_deref(), Some("us-east-1_EXAMPLE"));
        assert_eq!(e.details, "SNS configuration error: Rate exceeded");
        let e = parse(r#"{"eventTimestamp":1687297330677,"eventSource":"USER_NOTIFICATION","message":null,"logSourceId":null}"#).unwrap();
        assert_eq!(
            (e.time_ms, e.user_pool_id, e.details.as_str()),
            (Some(1_687_297_330_677), None, "")
        );
    }
}
